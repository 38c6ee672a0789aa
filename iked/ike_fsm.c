/*
 * The state machines of the IKE SA and of its CHILD_SA (iked.h draws
 * both). Every state change goes through ike_sa_fsm() or child_sa_fsm():
 * the (state, event) pair is looked up in a table, the change is logged
 * as "IKE SA N with ADDR: old -> new (event)" and counted, and what
 * entering the new state means happens here, in one place: the events
 * nhrpd subscribes to, the data plane, the timers (ike_timers.c), the
 * keys wiped when the SA dies. A pair the table does not have is a bug of
 * ours: logged as an error, counted, and the state is left as it was.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "iked/iked.h"
#include "lib/ctl.h"

static const char *const ike_sa_state_names[IKE_SA__COUNT] = {
    [IKE_SA_NEW] = "new",
    [IKE_SA_INIT_SENT] = "init-sent",
    [IKE_SA_AUTH_SENT] = "auth-sent",
    [IKE_SA_HALF_OPEN] = "half-open",
    [IKE_SA_ESTABLISHED] = "established",
    [IKE_SA_REKEYING] = "rekeying",
    [IKE_SA_REPLACED] = "replaced",
    [IKE_SA_DELETING] = "deleting",
    [IKE_SA_DEAD] = "dead",
};

static const char *const ike_sa_event_names[IKE_EV__COUNT] = {
    [IKE_EV_INIT_SENT] = "init-sent",       [IKE_EV_INIT_ANSWERED] = "init-answered",
    [IKE_EV_AUTH_SENT] = "auth-sent",       [IKE_EV_AUTHENTICATED] = "authenticated",
    [IKE_EV_REKEYED_IN] = "rekeyed-in",     [IKE_EV_REKEY_SENT] = "rekey-sent",
    [IKE_EV_REKEY_FAILED] = "rekey-failed", [IKE_EV_REKEY_DONE] = "rekey-done",
    [IKE_EV_REPLACED] = "replaced",         [IKE_EV_DELETE_SENT] = "delete-sent",
    [IKE_EV_DELETED] = "deleted",           [IKE_EV_FAILED] = "failed",
};

static const char *const child_sa_state_names[CHILD_SA__COUNT] = {
    [CHILD_SA_NONE] = "none",         [CHILD_SA_INSTALLED] = "installed",
    [CHILD_SA_REKEYING] = "rekeying", [CHILD_SA_FAILED] = "failed",
    [CHILD_SA_DELETED] = "deleted",
};

static const char *const child_sa_event_names[CHILD_EV__COUNT] = {
    [CHILD_EV_INSTALLED] = "installed",   [CHILD_EV_REFUSED] = "refused",
    [CHILD_EV_REKEY_SENT] = "rekey-sent", [CHILD_EV_REKEY_FAILED] = "rekey-failed",
    [CHILD_EV_REKEYED] = "rekeyed",       [CHILD_EV_MOVED] = "moved",
    [CHILD_EV_ADOPTED] = "adopted",       [CHILD_EV_DELETED] = "deleted",
};

const char *ike_sa_state_name(enum ike_sa_state s)
{
	return (unsigned)s < IKE_SA__COUNT ? ike_sa_state_names[s] : "unknown";
}

const char *ike_sa_event_name(enum ike_sa_event e)
{
	return (unsigned)e < IKE_EV__COUNT ? ike_sa_event_names[e] : "unknown";
}

const char *child_sa_state_name(enum child_sa_state s)
{
	return (unsigned)s < CHILD_SA__COUNT ? child_sa_state_names[s] : "unknown";
}

const char *child_sa_event_name(enum child_sa_event e)
{
	return (unsigned)e < CHILD_EV__COUNT ? child_sa_event_names[e] : "unknown";
}

/* The tables hold next state + 1: 0 is "no such transition". */
#define TO(s) ((uint8_t)((s) + 1))
/* What ends an SA once it is up: a Delete either way, or a failure. */
#define IKE_SA_ENDS [IKE_EV_DELETED] = TO(IKE_SA_DEAD), [IKE_EV_FAILED] = TO(IKE_SA_DEAD)

static const uint8_t ike_sa_next[IKE_SA__COUNT][IKE_EV__COUNT] = {
    [IKE_SA_NEW] = {[IKE_EV_INIT_SENT] = TO(IKE_SA_INIT_SENT),
                    [IKE_EV_INIT_ANSWERED] = TO(IKE_SA_HALF_OPEN),
                    [IKE_EV_REKEYED_IN] = TO(IKE_SA_ESTABLISHED),
                    [IKE_EV_FAILED] = TO(IKE_SA_DEAD)},
    [IKE_SA_INIT_SENT] =
        {[IKE_EV_AUTH_SENT] = TO(IKE_SA_AUTH_SENT), [IKE_EV_FAILED] = TO(IKE_SA_DEAD)},
    [IKE_SA_AUTH_SENT] =
        {[IKE_EV_AUTHENTICATED] = TO(IKE_SA_ESTABLISHED), [IKE_EV_FAILED] = TO(IKE_SA_DEAD)},
    [IKE_SA_HALF_OPEN] =
        {[IKE_EV_AUTHENTICATED] = TO(IKE_SA_ESTABLISHED), [IKE_EV_FAILED] = TO(IKE_SA_DEAD)},
    [IKE_SA_ESTABLISHED] = {[IKE_EV_REKEY_SENT] = TO(IKE_SA_REKEYING),
                            [IKE_EV_REPLACED] = TO(IKE_SA_REPLACED),
                            [IKE_EV_DELETE_SENT] = TO(IKE_SA_DELETING),
                            IKE_SA_ENDS},
    [IKE_SA_REKEYING] = {[IKE_EV_REKEY_FAILED] = TO(IKE_SA_ESTABLISHED),
                         [IKE_EV_REKEY_DONE] = TO(IKE_SA_REPLACED),
                         [IKE_EV_REPLACED] = TO(IKE_SA_REPLACED),
                         IKE_SA_ENDS},
    [IKE_SA_REPLACED] = {[IKE_EV_DELETE_SENT] = TO(IKE_SA_DELETING), IKE_SA_ENDS},
    [IKE_SA_DELETING] = {IKE_SA_ENDS},
};

static const uint8_t child_sa_next[CHILD_SA__COUNT][CHILD_EV__COUNT] = {
    [CHILD_SA_NONE] = {[CHILD_EV_INSTALLED] = TO(CHILD_SA_INSTALLED),
                       [CHILD_EV_REFUSED] = TO(CHILD_SA_FAILED),
                       [CHILD_EV_ADOPTED] = TO(CHILD_SA_INSTALLED)},
    [CHILD_SA_INSTALLED] = {[CHILD_EV_REKEY_SENT] = TO(CHILD_SA_REKEYING),
                            [CHILD_EV_REKEYED] = TO(CHILD_SA_INSTALLED),
                            [CHILD_EV_MOVED] = TO(CHILD_SA_NONE),
                            [CHILD_EV_DELETED] = TO(CHILD_SA_DELETED)},
    [CHILD_SA_REKEYING] = {[CHILD_EV_REKEY_FAILED] = TO(CHILD_SA_INSTALLED),
                           [CHILD_EV_REKEYED] = TO(CHILD_SA_INSTALLED),
                           [CHILD_EV_MOVED] = TO(CHILD_SA_NONE),
                           [CHILD_EV_DELETED] = TO(CHILD_SA_DELETED)},
};

static void ike_fsm_invalid(struct ike_sa *sa, const char *what, const char *state,
                            const char *event)
{
	sa->d->stats.fsm_invalid++;
	log_msg(LOG_LVL_ERR, LOG_CAT_IKE, "IKE SA %u: %s: no transition from %s on %s (a bug)",
	        sa->id, what, state, event);
}

/* EVENT frames for control-socket subscribers (nhrpd waits for these):
 *   ike-up id=N local=A remote=B peer-id=X
 *   ike-down id=N local=A remote=B reason=TEXT
 *   child-up id=N spi-in=HEX spi-out=HEX mode=transport|tunnel
 *   child-down id=N */
static void iked_event(struct iked *d, const char *text)
{
	if (d->ctl)
		ctl_server_event(d->ctl, text);
}

/* child-up / child-down for subscribers, and the data plane with them. */
static void child_sa_announce(struct ike_sa *sa, bool up)
{
	char ev[160];

	ike_child_dataplane(sa, up);
	if (up)
		snprintf(ev, sizeof(ev), "child-up id=%u spi-in=%08x spi-out=%08x mode=%s", sa->id,
		         sa->child.spi_in, sa->child.spi_out,
		         sa->child.transport ? "transport" : "tunnel");
	else
		snprintf(ev, sizeof(ev), "child-down id=%u", sa->id);
	iked_event(sa->d, ev);
}

/* A negotiated CHILD_SA comes in: its keys are ours now (next's are
 * cleared, not freed). */
static void child_sa_take(struct child_sa *c, struct child_sa *next, enum child_sa_state st)
{
	*c = *next;
	memset(&next->keymat, 0, sizeof(next->keymat));
	c->state = st;
}

void child_sa_fsm(struct ike_sa *sa, enum child_sa_event ev, struct child_sa *next)
{
	struct child_sa *c = &sa->child;
	enum child_sa_state old = c->state, st;
	char a[IPADDR_STRLEN];
	uint8_t to = (unsigned)ev < CHILD_EV__COUNT ? child_sa_next[old][ev] : 0;

	if (!to) {
		ike_fsm_invalid(sa, "CHILD_SA", child_sa_state_name(old), child_sa_event_name(ev));
		if (next)
			ikev2_secret_free(&next->keymat);
		return;
	}
	st = (enum child_sa_state)(to - 1);
	log_msg(LOG_LVL_INFO, LOG_CAT_IKE, "IKE SA %u with %s: CHILD_SA %s -> %s (%s)", sa->id,
	        ipaddr_format(&sa->remote, a), child_sa_state_name(old), child_sa_state_name(st),
	        child_sa_event_name(ev));
	sa->d->stats.child_events[ev]++;
	switch (ev) {
	case CHILD_EV_REKEYED:
		/* The replaced pair of SPIs leaves the data plane; the peer's
		 * Delete (or ours) ends it on the wire (RFC 7296 1.3.3). */
		ike_child_dataplane(sa, false);
		ikev2_secret_free(&c->keymat);
		/* fall through */
	case CHILD_EV_INSTALLED:
		child_sa_take(c, next, st);
		c->established_ms = clock_now_ms();
		c->rekey_after_ms = jitter_ms(sa->profile->child_lifetime * IKED_REKEY_PERMILLE,
		                              IKED_REKEY_JITTER_PERCENT);
		iked_keylog_child(sa);
		child_sa_announce(sa, true);
		break;
	case CHILD_EV_ADOPTED:
		/* Already in the data plane, and announced, under the same SPIs:
		 * only its IKE SA changed (RFC 7296 2.18). */
		child_sa_take(c, next, st);
		break;
	case CHILD_EV_MOVED:
		memset(&c->keymat, 0, sizeof(c->keymat)); /* the new IKE SA's now */
		c->state = st;
		break;
	case CHILD_EV_DELETED:
		c->state = st;
		child_sa_announce(sa, false);
		ikev2_secret_free(&c->keymat);
		break;
	default:
		c->state = st;
		break;
	}
	ike_timers_child_changed(sa, ev);
}

static void ike_sa_announce(struct ike_sa *sa, bool up)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], ev[400];

	if (up)
		snprintf(ev, sizeof(ev), "ike-up id=%u local=%s remote=%s peer-id=%s", sa->id,
		         ipaddr_format(&sa->local, a), ipaddr_format(&sa->remote, b), sa->peer_id);
	else
		snprintf(ev, sizeof(ev), "ike-down id=%u local=%s remote=%s reason=%s", sa->id,
		         ipaddr_format(&sa->local, a), ipaddr_format(&sa->remote, b),
		         sa->error[0] ? sa->error : "deleted");
	iked_event(sa->d, ev);
}

/* Dead: its CHILD_SA goes, the keys go now; the entry stays a while for
 * show (its linger timer frees it: ike_timers_due.c). */
static void ike_sa_enter_dead(struct ike_sa *sa, enum ike_sa_state old)
{
	bool was_up = old == IKE_SA_ESTABLISHED || old == IKE_SA_REKEYING ||
	              old == IKE_SA_REPLACED || old == IKE_SA_DELETING;

	if (child_sa_installed(&sa->child))
		child_sa_fsm(sa, CHILD_EV_DELETED, NULL);
	/* Subscribers heard of it if it was up, or if they asked for it. */
	if (was_up || sa->initiator)
		ike_sa_announce(sa, false);
	ike_request_wipe(&sa->req);
	ikev2_dh_free(sa->dh);
	sa->dh = NULL;
	ikev2_ike_keys_free(&sa->keys);
	ikev2_secret_free(&sa->child.keymat);
	ike_frags_free(sa);
}

void ike_sa_fsm(struct ike_sa *sa, enum ike_sa_event ev)
{
	enum ike_sa_state old = sa->state, st;
	char a[IPADDR_STRLEN];
	uint8_t to = (unsigned)ev < IKE_EV__COUNT ? ike_sa_next[old][ev] : 0;

	if (!to) {
		ike_fsm_invalid(sa, "IKE SA", ike_sa_state_name(old), ike_sa_event_name(ev));
		return;
	}
	st = (enum ike_sa_state)(to - 1);
	log_msg(st == IKE_SA_ESTABLISHED ? LOG_LVL_NOTICE : LOG_LVL_INFO, LOG_CAT_IKE,
	        "IKE SA %u with %s: %s -> %s (%s)", sa->id, ipaddr_format(&sa->remote, a),
	        ike_sa_state_name(old), ike_sa_state_name(st), ike_sa_event_name(ev));
	sa->d->stats.ike_events[ev]++;
	sa->state = st;
	if (st == IKE_SA_ESTABLISHED && old != IKE_SA_REKEYING) {
		sa->established_ms = clock_now_ms();
		ike_sa_announce(sa, true);
	}
	if (st == IKE_SA_DEAD)
		ike_sa_enter_dead(sa, old);
	ike_timers_ike_sa_changed(sa, ev);
}
