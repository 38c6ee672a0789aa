/*
 * Every timer of an IKE SA, each armed at the deadline it stands for
 * (lib/clock.h), and the named functions through which the exchanges and
 * the state machines arm and stop them: no other file touches these
 * timers.
 *
 *   retransmit_timer   our outstanding request (RFC 7296 2.1): sent again
 *                      1, 2, 4 and 8 s after each send; 16 s after the
 *                      fifth send the peer is given up and the SA fails
 *   half_open_timer    responder, IKE_SA_INIT answered: no IKE_AUTH within
 *                      30 s fails the SA (a half-open SA holds a DH and
 *                      keys for an address that may be forged, 2.6)
 *   replaced_timer     rekeyed into another IKE SA: the peer deletes this
 *                      one (2.18, 2.8.2); 30 s without its Delete fails it
 *   linger_timer       dead: the SA stays 10 s for show, then is freed
 *   rekey_timer        at established + rekey_after (90% of the IKE
 *                      lifetime, +-5%): rekey the IKE SA (1.3.2)
 *   child_rekey_timer  at the CHILD_SA's installation + its rekey_after:
 *                      rekey the CHILD_SA (1.3.3)
 *   dpd_timer          at last_rx + dpd: nothing authenticated heard from
 *                      the peer for an interval, send an empty INFORMATIONAL
 *                      (2.4); only while the SA is up
 *
 * A rekey that falls due while it cannot start (another request is out:
 * a window of one, 2.3) is tried again IKED_REKEY_RETRY_MS (+-20%) later.
 *
 * This file only arms and stops them. When one fires, the SA's hooks
 * (struct ike_sa_hooks: ike_timers_due.c's) do what it stands for: they
 * start exchanges and end SAs, which sit above this file and call it.
 */
#include "iked/iked.h"

static uint64_t ike_timers_dpd_ms(const struct ike_sa *sa)
{
	return (uint64_t)sa->profile->dpd * 1000;
}

/* A rekey timer: at its deadline, or, when retrying one already due, a
 * while from now. */
static void ike_timers_arm_rekey(struct timer *t, uint64_t deadline, bool retry)
{
	uint64_t now = clock_now_ms();

	if (retry && deadline <= now)
		deadline = now + jitter_ms(IKED_REKEY_RETRY_MS, 20);
	timer_start_at(t, deadline);
}

/* A timer fired: the SA's hooks say what that means. An SA made without
 * hooks (a test of the SA table alone) lets its timers pass. */
static void ike_timers_fire(struct timer *t, void *arg)
{
	struct ike_sa *sa = arg;
	const struct ike_sa_hooks *h = sa->hooks;

	if (!h)
		return;
	if (t == &sa->retransmit_timer)
		h->retransmit_due(sa);
	else if (t == &sa->half_open_timer)
		h->half_open_due(sa);
	else if (t == &sa->replaced_timer)
		h->replaced_due(sa);
	else if (t == &sa->linger_timer)
		h->linger_due(sa);
	else if (t == &sa->rekey_timer)
		h->rekey_due(sa);
	else if (t == &sa->child_rekey_timer)
		h->child_rekey_due(sa);
	else if (t == &sa->dpd_timer)
		h->dpd_due(sa);
}

void ike_timers_init(struct ike_sa *sa)
{
	struct ev_loop *loop = sa->d->loop;

	timer_init(&sa->retransmit_timer, loop, ike_timers_fire, sa);
	timer_init(&sa->half_open_timer, loop, ike_timers_fire, sa);
	timer_init(&sa->replaced_timer, loop, ike_timers_fire, sa);
	timer_init(&sa->linger_timer, loop, ike_timers_fire, sa);
	timer_init(&sa->rekey_timer, loop, ike_timers_fire, sa);
	timer_init(&sa->child_rekey_timer, loop, ike_timers_fire, sa);
	timer_init(&sa->dpd_timer, loop, ike_timers_fire, sa);
}

/* The timers of the SA's life while up (not the request's, not linger). */
static void ike_timers_stop_up(struct ike_sa *sa)
{
	timer_stop(&sa->half_open_timer);
	timer_stop(&sa->replaced_timer);
	timer_stop(&sa->rekey_timer);
	timer_stop(&sa->child_rekey_timer);
	timer_stop(&sa->dpd_timer);
}

void ike_timers_stop(struct ike_sa *sa)
{
	ike_timers_stop_up(sa);
	timer_stop(&sa->retransmit_timer);
	timer_stop(&sa->linger_timer);
}

void ike_timers_request_sent(struct ike_sa *sa)
{
	/* 1 s after the first send, doubled after each one after. */
	timer_start_ms(&sa->retransmit_timer, (uint64_t)IKED_RETRANSMIT_MS << (sa->req.sends - 1));
}

void ike_timers_request_answered(struct ike_sa *sa)
{
	timer_stop(&sa->retransmit_timer);
}

void ike_timers_authenticated_rx(struct ike_sa *sa)
{
	sa->last_rx_ms = clock_now_ms();
	if (sa->profile->dpd && ike_sa_is_up(sa))
		timer_start_at(&sa->dpd_timer, sa->last_rx_ms + ike_timers_dpd_ms(sa));
}

void ike_timers_rekey_retry(struct ike_sa *sa)
{
	ike_timers_arm_rekey(&sa->rekey_timer, clock_now_ms(), true);
}

void ike_timers_child_rekey_retry(struct ike_sa *sa)
{
	ike_timers_arm_rekey(&sa->child_rekey_timer, clock_now_ms(), true);
}

void ike_timers_dpd_restart(struct ike_sa *sa)
{
	timer_start_ms(&sa->dpd_timer, ike_timers_dpd_ms(sa));
}

void ike_timers_ike_sa_changed(struct ike_sa *sa, enum ike_sa_event ev)
{
	switch (sa->state) {
	case IKE_SA_HALF_OPEN:
		timer_start_ms(&sa->half_open_timer, IKED_HALF_OPEN_TIMEOUT_MS);
		break;
	case IKE_SA_ESTABLISHED:
		timer_stop(&sa->half_open_timer);
		if (ev == IKE_EV_REKEY_FAILED) {
			ike_timers_arm_rekey(&sa->rekey_timer,
			                     sa->established_ms + sa->rekey_after_ms, true);
			break;
		}
		sa->rekey_after_ms = jitter_ms(sa->profile->ike_lifetime * IKED_REKEY_PERMILLE,
		                               IKED_REKEY_JITTER_PERCENT);
		timer_start_at(&sa->rekey_timer, sa->established_ms + sa->rekey_after_ms);
		ike_timers_authenticated_rx(sa); /* DPD counts from now */
		break;
	case IKE_SA_REKEYING:
		timer_stop(&sa->rekey_timer); /* the rekey is out */
		break;
	case IKE_SA_REPLACED:
		ike_timers_stop_up(sa);
		timer_start_ms(&sa->replaced_timer, IKED_REPLACED_WAIT_MS);
		break;
	case IKE_SA_DELETING:
		ike_timers_stop_up(sa);
		break;
	case IKE_SA_DEAD:
		ike_timers_stop(sa);
		timer_start_ms(&sa->linger_timer, IKED_DEAD_LINGER_MS);
		break;
	default:
		break;
	}
}

void ike_timers_child_changed(struct ike_sa *sa, enum child_sa_event ev)
{
	const struct child_sa *c = &sa->child;
	uint64_t deadline = c->established_ms + c->rekey_after_ms;

	switch (ev) {
	case CHILD_EV_INSTALLED:
	case CHILD_EV_REKEYED:
	case CHILD_EV_ADOPTED:
		/* Adopted: its deadline may have passed during the IKE SA's
		 * rekey; then it fires at once. */
		timer_start_at(&sa->child_rekey_timer, deadline);
		break;
	case CHILD_EV_REKEY_FAILED:
		ike_timers_arm_rekey(&sa->child_rekey_timer, deadline, true);
		break;
	default:
		timer_stop(&sa->child_rekey_timer);
		break;
	}
}
