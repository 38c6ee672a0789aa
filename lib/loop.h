/*
 * libev glue: retry backoff with a cap and jitter, and the signals every
 * daemon handles. Timers and the clock are lib/clock.h's.
 */
#ifndef DMVPN_LOOP_H
#define DMVPN_LOOP_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/clock.h"

/*
 * Exponential backoff: first delay base_ms, doubling up to cap_ms, each
 * randomized to [75%, 125%] so that many spokes do not retry in lockstep.
 */
struct backoff {
	uint32_t base_ms;
	uint32_t cap_ms;
	uint32_t cur_ms;
};

void backoff_init(struct backoff *b, uint32_t base_ms, uint32_t cap_ms);
void backoff_reset(struct backoff *b);
uint32_t backoff_next(struct backoff *b);
/* v randomized by +-percent, e.g. lifetimes with jitter. */
uint32_t jitter_ms(uint32_t v, unsigned percent);

/* SIGINT, SIGTERM -> stop the loop; SIGHUP -> hup_fn; SIGPIPE ignored. */
struct loop_signals {
	ev_signal sigint, sigterm, sighup;
	void (*hup_fn)(void *arg);
	void *arg;
};
void loop_signals_init(struct loop_signals *s, struct ev_loop *loop, void (*hup_fn)(void *),
                       void *arg);
void loop_signals_stop(struct loop_signals *s, struct ev_loop *loop);

#endif
