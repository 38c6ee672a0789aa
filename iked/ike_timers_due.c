/*
 * What each timer of an IKE SA does when it fires (ike_timers.c lists
 * them, arms them at their deadlines and calls these). They are the SA's
 * hooks (struct ike_sa_hooks): IKE_SA_INIT gives them to the SAs it makes
 * (ike_init.c), and a rekey's new SA takes its predecessor's. They start
 * exchanges and end SAs, so they sit above both, where the timers, below
 * the state machines, cannot reach.
 */
#include "iked/iked.h"

/* Send our request again, or give up on the peer (RFC 7296 2.1). */
static void ike_timers_due_retransmit(struct ike_sa *sa)
{
	if (ike_request_retransmit(sa) < 0)
		ike_sa_fail(sa, "peer not responding");
}

static void ike_timers_due_half_open(struct ike_sa *sa)
{
	if (sa->state == IKE_SA_HALF_OPEN)
		ike_sa_fail(sa, "no IKE_AUTH after IKE_SA_INIT");
}

static void ike_timers_due_replaced(struct ike_sa *sa)
{
	if (sa->state == IKE_SA_REPLACED)
		ike_sa_fail(sa, "rekeyed, and the peer never deleted it");
}

static void ike_timers_due_linger(struct ike_sa *sa)
{
	if (sa->state == IKE_SA_DEAD)
		ike_sa_free(sa);
}

static void ike_timers_due_rekey(struct ike_sa *sa)
{
	if (sa->state == IKE_SA_ESTABLISHED && ike_rekey_ike_start(sa) < 0)
		ike_timers_rekey_retry(sa);
}

static void ike_timers_due_child_rekey(struct ike_sa *sa)
{
	/* While the IKE SA is being rekeyed, the CHILD_SA waits: it moves to
	 * the new IKE SA, which arms this timer again. */
	if (ike_sa_is_up(sa) && sa->child.state == CHILD_SA_INSTALLED &&
	    (sa->state != IKE_SA_ESTABLISHED || ike_rekey_child_start(sa) < 0))
		ike_timers_child_rekey_retry(sa);
}

static void ike_timers_due_dpd(struct ike_sa *sa)
{
	if (!ike_sa_is_up(sa) || !sa->profile->dpd)
		return;
	/* A request already out tests the peer as well as a liveness check
	 * would (its retransmissions fail the SA); look again later. The
	 * answer to ours re-arms the timer (ike_timers_authenticated_rx). */
	if (ike_request_busy(sa)) {
		ike_timers_dpd_restart(sa);
		return;
	}
	ike_info_liveness(sa);
	if (!ike_request_busy(sa))
		ike_timers_dpd_restart(sa); /* could not send: later */
}

const struct ike_sa_hooks ike_timers_due = {
    .retransmit_due = ike_timers_due_retransmit,
    .half_open_due = ike_timers_due_half_open,
    .replaced_due = ike_timers_due_replaced,
    .linger_due = ike_timers_due_linger,
    .rekey_due = ike_timers_due_rekey,
    .child_rekey_due = ike_timers_due_child_rekey,
    .dpd_due = ike_timers_due_dpd,
};
