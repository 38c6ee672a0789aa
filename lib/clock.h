/*
 * The one clock of every process, and the timers armed against it.
 *
 * Time is monotonic milliseconds (clock_now_ms). A timer is embedded in
 * the object that owns it and armed at a deadline on that clock: the
 * owner says when something is due (a rekey at 90% of a lifetime, an
 * entry's expiry), not how often to look. In a daemon, timers run on the
 * libev loop; a callback never runs before its deadline.
 *
 * Tests drive a simulated clock instead: clock_sim_start() freezes time
 * at a chosen value and takes the timers off any event loop;
 * clock_sim_advance() moves time forward and fires each timer that falls
 * due, in deadline order, with the clock reading that deadline, so a
 * state machine can be walked through hours of retransmissions, refreshes
 * and expiries in microseconds, without sockets or sleeps.
 */
#ifndef DMVPN_CLOCK_H
#define DMVPN_CLOCK_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

/* Milliseconds since an arbitrary point (CLOCK_MONOTONIC, or simulated). */
uint64_t clock_now_ms(void);

struct timer;
typedef void (*timer_fn)(struct timer *t, void *arg);

/* Embed in the object that owns it; its destructor calls timer_stop(). */
struct timer {
	ev_timer w;
	struct ev_loop *loop; /* NULL is fine under the simulated clock */
	timer_fn fn;
	void *arg;
	uint64_t deadline_ms;
	bool armed;
	struct timer *sim_prev, *sim_next; /* the simulated clock's list */
};

void timer_init(struct timer *t, struct ev_loop *loop, timer_fn fn, void *arg);
/* (Re)arm, one shot: at an absolute time on clock_now_ms()'s scale, or
 * ms from now. */
void timer_start_at(struct timer *t, uint64_t deadline_ms);
void timer_start_ms(struct timer *t, uint64_t ms);
void timer_stop(struct timer *t);
bool timer_is_active(const struct timer *t);
/* The deadline of an armed timer (meaningless when it is not armed). */
uint64_t timer_deadline_ms(const struct timer *t);

/* ---------- the simulated clock (tests) ---------- */

/* Freeze time at now_ms; timers armed from here on wait for
 * clock_sim_advance. Arm no timer before this call in a test. */
void clock_sim_start(uint64_t now_ms);
/* Back to CLOCK_MONOTONIC; every simulated timer is disarmed. */
void clock_sim_stop(void);
bool clock_sim_active(void);
/* Move time forward by ms, firing due timers in deadline order (a timer a
 * callback arms within the window fires too). */
void clock_sim_advance(uint64_t ms);
/* Move to the next deadline and fire what is due there; false (time
 * unchanged) when no timer is armed. */
bool clock_sim_step(void);
/* How many timers are armed. */
unsigned clock_sim_armed(void);

#endif
