#include "lib/loop.h"

#include <openssl/rand.h>
#include <signal.h>

static uint32_t rand_u32(void)
{
	uint32_t v = 0;

	/* Jitter needs no secrecy, but RAND_bytes is always there and good. */
	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
		v = (uint32_t)clock_now_ms();
	return v;
}

uint32_t jitter_ms(uint32_t v, unsigned percent)
{
	uint64_t span = (uint64_t)v * percent / 100;

	if (span == 0)
		return v;
	return (uint32_t)(v - span + rand_u32() % (2 * span + 1));
}

void backoff_init(struct backoff *b, uint32_t base_ms, uint32_t cap_ms)
{
	b->base_ms = base_ms;
	b->cap_ms = cap_ms < base_ms ? base_ms : cap_ms;
	b->cur_ms = 0;
}

void backoff_reset(struct backoff *b)
{
	b->cur_ms = 0;
}

uint32_t backoff_next(struct backoff *b)
{
	if (b->cur_ms == 0)
		b->cur_ms = b->base_ms;
	else if (b->cur_ms >= b->cap_ms / 2)
		b->cur_ms = b->cap_ms;
	else
		b->cur_ms *= 2;
	return jitter_ms(b->cur_ms, 25);
}

static void loop_stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

static void loop_hup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct loop_signals *s = w->data;

	(void)loop;
	(void)revents;
	if (s->hup_fn)
		s->hup_fn(s->arg);
}

void loop_signals_init(struct loop_signals *s, struct ev_loop *loop, void (*hup_fn)(void *),
                       void *arg)
{
	signal(SIGPIPE, SIG_IGN);
	s->hup_fn = hup_fn;
	s->arg = arg;
	ev_signal_init(&s->sigint, loop_stop_cb, SIGINT);
	ev_signal_init(&s->sigterm, loop_stop_cb, SIGTERM);
	ev_signal_init(&s->sighup, loop_hup_cb, SIGHUP);
	s->sighup.data = s;
	ev_signal_start(loop, &s->sigint);
	ev_signal_start(loop, &s->sigterm);
	ev_signal_start(loop, &s->sighup);
}

void loop_signals_stop(struct loop_signals *s, struct ev_loop *loop)
{
	ev_signal_stop(loop, &s->sigint);
	ev_signal_stop(loop, &s->sigterm);
	ev_signal_stop(loop, &s->sighup);
}
