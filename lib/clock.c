#include "lib/clock.h"

#include <time.h>

/* The simulated clock: its time, and the armed timers (few in a test, so
 * a plain list searched for the earliest deadline is enough). */
static struct {
	bool active;
	uint64_t now_ms;
	struct timer *armed;
	unsigned narmed;
} clock_sim;

uint64_t clock_now_ms(void)
{
	struct timespec ts;

	if (clock_sim.active)
		return clock_sim.now_ms;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void clock_sim_link(struct timer *t)
{
	t->sim_prev = NULL;
	t->sim_next = clock_sim.armed;
	if (clock_sim.armed)
		clock_sim.armed->sim_prev = t;
	clock_sim.armed = t;
	clock_sim.narmed++;
}

static void clock_sim_unlink(struct timer *t)
{
	if (t->sim_prev)
		t->sim_prev->sim_next = t->sim_next;
	else if (clock_sim.armed == t)
		clock_sim.armed = t->sim_next;
	else
		return; /* armed on the real loop, not here */
	if (t->sim_next)
		t->sim_next->sim_prev = t->sim_prev;
	t->sim_prev = t->sim_next = NULL;
	clock_sim.narmed--;
}

/*
 * libev measures timers from its cached loop time, which may lag
 * clock_now_ms() a little: a timer that fires before its deadline is
 * armed again for the rest, so that no owner ever sees an early call.
 */
static void timer_ev_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct timer *t = w->data;
	uint64_t now = clock_now_ms();

	(void)loop;
	(void)revents;
	if (now < t->deadline_ms) {
		ev_timer_set(&t->w, (double)(t->deadline_ms - now) / 1000., 0.);
		ev_timer_start(t->loop, &t->w);
		return;
	}
	t->armed = false;
	t->fn(t, t->arg);
}

void timer_init(struct timer *t, struct ev_loop *loop, timer_fn fn, void *arg)
{
	ev_timer_init(&t->w, timer_ev_cb, 0., 0.);
	t->w.data = t;
	t->loop = loop;
	t->fn = fn;
	t->arg = arg;
	t->deadline_ms = 0;
	t->armed = false;
	t->sim_prev = t->sim_next = NULL;
}

void timer_stop(struct timer *t)
{
	if (!t->armed)
		return;
	t->armed = false;
	if (clock_sim.active)
		clock_sim_unlink(t);
	else if (t->loop)
		ev_timer_stop(t->loop, &t->w);
}

void timer_start_at(struct timer *t, uint64_t deadline_ms)
{
	uint64_t now = clock_now_ms();

	timer_stop(t);
	t->deadline_ms = deadline_ms;
	t->armed = true;
	if (clock_sim.active) {
		clock_sim_link(t);
		return;
	}
	ev_timer_set(&t->w, deadline_ms > now ? (double)(deadline_ms - now) / 1000. : 0., 0.);
	ev_timer_start(t->loop, &t->w);
}

void timer_start_ms(struct timer *t, uint64_t ms)
{
	timer_start_at(t, clock_now_ms() + ms);
}

bool timer_is_active(const struct timer *t)
{
	return t->armed;
}

uint64_t timer_deadline_ms(const struct timer *t)
{
	return t->deadline_ms;
}

void clock_sim_start(uint64_t now_ms)
{
	clock_sim_stop();
	clock_sim.active = true;
	clock_sim.now_ms = now_ms;
}

void clock_sim_stop(void)
{
	while (clock_sim.armed) {
		struct timer *t = clock_sim.armed;

		clock_sim_unlink(t);
		t->armed = false;
	}
	clock_sim.active = false;
	clock_sim.narmed = 0;
}

bool clock_sim_active(void)
{
	return clock_sim.active;
}

static struct timer *clock_sim_earliest(void)
{
	struct timer *best = NULL;

	for (struct timer *t = clock_sim.armed; t; t = t->sim_next)
		if (!best || t->deadline_ms < best->deadline_ms)
			best = t;
	return best;
}

static void clock_sim_fire(struct timer *t)
{
	if (t->deadline_ms > clock_sim.now_ms)
		clock_sim.now_ms = t->deadline_ms;
	clock_sim_unlink(t);
	t->armed = false;
	t->fn(t, t->arg);
}

void clock_sim_advance(uint64_t ms)
{
	uint64_t target = clock_sim.now_ms + ms;
	struct timer *t;

	while ((t = clock_sim_earliest()) && t->deadline_ms <= target)
		clock_sim_fire(t);
	clock_sim.now_ms = target;
}

bool clock_sim_step(void)
{
	struct timer *t = clock_sim_earliest();
	uint64_t due;

	if (!t)
		return false;
	due = t->deadline_ms > clock_sim.now_ms ? t->deadline_ms : clock_sim.now_ms;
	clock_sim_advance(due - clock_sim.now_ms);
	return true;
}

unsigned clock_sim_armed(void)
{
	return clock_sim.narmed;
}
