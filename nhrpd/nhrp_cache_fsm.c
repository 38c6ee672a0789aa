/*
 * The state machine of a cache entry, and what its one timer means in
 * each state. Every change to an entry's state goes through
 * nhrp_cache_fsm(), which counts the event, logs a change of state, arms
 * the timer the new state wants and tells the subscribers (nhrp_cache.c
 * keeps their list; the cache names none of them).
 *
 *   state       RESOLVE      TIMER            BIND    NAK         USED   REMOVE
 *   NEW         INCOMPLETE   -                BOUND   -           -      REMOVED
 *   INCOMPLETE  -            INCOMPLETE (a    BOUND   NEGATIVE    -      REMOVED
 *                            retry), or
 *                            NEGATIVE after
 *                            the last try
 *   NEGATIVE    -            REMOVED          BOUND   -           -      REMOVED
 *   BOUND       -            REFRESHING or    BOUND   -           BOUND  REMOVED
 *                            EXPIRING
 *                            (cached: used
 *                            or not since
 *                            bound), else
 *                            REMOVED
 *   REFRESHING  -            REMOVED          BOUND   EXPIRING    same   REMOVED
 *   EXPIRING    -            REMOVED          BOUND   -           same   REMOVED
 *
 * "-": nothing changes (the event is still counted, and USED still notes
 * when the entry was last asked for). Notes to the subscribers: RESOLVE on
 * entering INCOMPLETE and on each retry; BOUND, CHANGED or RENEWED on a
 * binding (CHANGED when the NBMA address moved: whoever was told of the
 * old one is purged, and forgotten); USED when a bound entry is asked for;
 * REFRESH on entering REFRESHING; REMOVED before an entry is freed.
 *
 * Timers (RFC 2332 5.2.0.1: a binding is valid for its holding time): a
 * resolution is retried after 1 s, then 2 s, and its answer is negative
 * 4 s after the third request; a negative answer is kept 10 s, so that the
 * kernel's retries do not become a storm; a cached binding is looked at
 * two thirds into its holding time and re-resolved if it was used since it
 * was bound (refreshed while in use, never kept alive by itself); any
 * binding with a holding time goes at its end.
 */
#include <stdlib.h>

#include "nhrpd/nhrpd.h"

static const char *const nhrp_entry_state_names[NHRP_ENTRY_STATE_COUNT] = {
    [NHRP_ENTRY_NEW] = "new",
    [NHRP_ENTRY_INCOMPLETE] = "incomplete",
    [NHRP_ENTRY_NEGATIVE] = "negative",
    [NHRP_ENTRY_BOUND] = "bound",
    [NHRP_ENTRY_REFRESHING] = "refreshing",
    [NHRP_ENTRY_EXPIRING] = "expiring",
    [NHRP_ENTRY_REMOVED] = "removed",
};

static const char *const nhrp_entry_event_names[NHRP_ENTRY_EVENT_COUNT] = {
    [NHRP_ENTRY_EV_RESOLVE] = "resolve", [NHRP_ENTRY_EV_TIMER] = "timer",
    [NHRP_ENTRY_EV_BIND] = "bind",       [NHRP_ENTRY_EV_NAK] = "nak",
    [NHRP_ENTRY_EV_USED] = "used",       [NHRP_ENTRY_EV_REMOVE] = "remove",
};

static const char *const nhrp_entry_note_names[NHRP_ENTRY_NOTE_COUNT] = {
    [NHRP_ENTRY_NOTE_RESOLVE] = "resolve", [NHRP_ENTRY_NOTE_BOUND] = "bound",
    [NHRP_ENTRY_NOTE_CHANGED] = "changed", [NHRP_ENTRY_NOTE_RENEWED] = "renewed",
    [NHRP_ENTRY_NOTE_USED] = "used",       [NHRP_ENTRY_NOTE_REFRESH] = "refresh",
    [NHRP_ENTRY_NOTE_REMOVED] = "removed",
};

const char *nhrp_entry_state_name(enum nhrp_entry_state s)
{
	return (unsigned)s < NHRP_ENTRY_STATE_COUNT ? nhrp_entry_state_names[s] : "unknown";
}

const char *nhrp_entry_event_name(enum nhrp_entry_event ev)
{
	return (unsigned)ev < NHRP_ENTRY_EVENT_COUNT ? nhrp_entry_event_names[ev] : "unknown";
}

const char *nhrp_entry_note_name(enum nhrp_entry_note n)
{
	return (unsigned)n < NHRP_ENTRY_NOTE_COUNT ? nhrp_entry_note_names[n] : "unknown";
}

/* The timer of the state the entry is in: the one place that says what
 * it waits for. */
static void nhrp_cache_fsm_arm(struct nhrp_cache_entry *e)
{
	switch (e->state) {
	case NHRP_ENTRY_INCOMPLETE:
		/* The next retry: 1 s after the first request, then doubling. */
		timer_start_ms(&e->timer, (uint64_t)NHRP_RESOLVE_TIMEOUT_MS << (e->tries - 1));
		break;
	case NHRP_ENTRY_BOUND:
		if (!e->holding_time)
			timer_stop(&e->timer); /* configuration, ours: permanent */
		else if (e->type == NHRP_CACHE_CACHED)
			/* At two thirds of the holding time: refresh if in use. */
			timer_start_at(&e->timer,
			               e->bound_ms + (uint64_t)e->holding_time * 2000 / 3);
		else
			timer_start_at(&e->timer, e->expires_ms);
		break;
	case NHRP_ENTRY_NEGATIVE:
	case NHRP_ENTRY_REFRESHING:
	case NHRP_ENTRY_EXPIRING:
		timer_start_at(&e->timer, e->expires_ms);
		break;
	case NHRP_ENTRY_NEW:
	case NHRP_ENTRY_REMOVED:
		timer_stop(&e->timer);
		break;
	}
}

static void nhrp_cache_fsm_timer(struct timer *t, void *arg)
{
	(void)t;
	nhrp_cache_fsm(arg, NHRP_ENTRY_EV_TIMER, NULL, "holding time expired");
}

/* Where an event takes an entry in a state (the table above). */
static enum nhrp_entry_state nhrp_cache_fsm_next(const struct nhrp_cache_entry *e,
                                                 enum nhrp_entry_event ev, uint64_t now)
{
	enum nhrp_entry_state s = e->state;

	switch (ev) {
	case NHRP_ENTRY_EV_RESOLVE:
		return s == NHRP_ENTRY_NEW ? NHRP_ENTRY_INCOMPLETE : s;
	case NHRP_ENTRY_EV_TIMER:
		if (s == NHRP_ENTRY_INCOMPLETE)
			return e->tries < NHRP_RESOLVE_TRIES ? NHRP_ENTRY_INCOMPLETE
			                                     : NHRP_ENTRY_NEGATIVE;
		if (s == NHRP_ENTRY_BOUND && e->type == NHRP_CACHE_CACHED && e->holding_time &&
		    now < e->expires_ms)
			return e->last_used_ms >= e->bound_ms ? NHRP_ENTRY_REFRESHING
			                                      : NHRP_ENTRY_EXPIRING;
		return s == NHRP_ENTRY_NEW ? s : NHRP_ENTRY_REMOVED;
	case NHRP_ENTRY_EV_BIND:
		return NHRP_ENTRY_BOUND;
	case NHRP_ENTRY_EV_NAK:
		if (s == NHRP_ENTRY_INCOMPLETE)
			return NHRP_ENTRY_NEGATIVE;
		return s == NHRP_ENTRY_REFRESHING ? NHRP_ENTRY_EXPIRING : s;
	case NHRP_ENTRY_EV_USED:
		return s;
	case NHRP_ENTRY_EV_REMOVE:
		return NHRP_ENTRY_REMOVED;
	}
	return s;
}

/* Take a binding; the note it makes. */
static enum nhrp_entry_note nhrp_cache_fsm_bind(struct nhrp_cache_entry *e,
                                                const struct nhrp_binding *b, bool was_bound,
                                                uint64_t now)
{
	bool moved = was_bound && !ipaddr_equal(&e->nbma, &b->nbma);
	char a[IPADDR_STRLEN], n[IPADDR_STRLEN];

	if (!was_bound || e->type != b->type || moved)
		log_debug(LOG_CAT_NHRP, "%s: %s %s -> %s, holding time %u s", e->ifp->conf.tun.name,
		          nhrp_cache_type_name(b->type), ipaddr_format(&e->proto, a),
		          ipaddr_format(&b->nbma, n), b->holding_time);
	e->type = b->type;
	e->nbma = b->nbma;
	e->holding_time = b->holding_time;
	e->bound_ms = now;
	e->expires_ms = b->holding_time ? now + (uint64_t)b->holding_time * 1000 : 0;
	if (b->given & NHRP_BIND_PEER) {
		e->unique = b->unique;
		e->nat = b->nat;
		e->nbma_claimed = b->nbma_claimed;
		e->mtu = b->mtu;
	}
	if (b->given & NHRP_BIND_PREFIX)
		e->prefix_len = b->prefix_len;
	if (!was_bound)
		return NHRP_ENTRY_NOTE_BOUND;
	return moved ? NHRP_ENTRY_NOTE_CHANGED : NHRP_ENTRY_NOTE_RENEWED;
}

static void nhrp_cache_fsm_remove(struct nhrp_cache_entry *e, const char *why)
{
	char a[IPADDR_STRLEN];

	log_debug(LOG_CAT_NHRP, "%s: %s entry %s removed: %s", e->ifp->conf.tun.name,
	          nhrp_cache_type_name(nhrp_cache_entry_type(e)), ipaddr_format(&e->proto, a),
	          why ? why : "-");
	timer_stop(&e->timer);
	nhrp_cache_notify(e, NHRP_ENTRY_NOTE_REMOVED);
	e->state = NHRP_ENTRY_REMOVED;
	nhrp_cache_unlink_free(e);
}

void nhrp_cache_fsm(struct nhrp_cache_entry *e, enum nhrp_entry_event ev,
                    const struct nhrp_binding *b, const char *why)
{
	uint64_t now = clock_now_ms();
	enum nhrp_entry_state from = e->state, to = nhrp_cache_fsm_next(e, ev, now);
	bool was_bound = nhrp_cache_entry_bound(e);
	char a[IPADDR_STRLEN];

	e->ifp->cache.transitions[from][ev]++;
	if (from != to)
		log_debug(LOG_CAT_NHRP, "%s: entry %s %s -> %s (%s)", e->ifp->conf.tun.name,
		          ipaddr_format(&e->proto, a), nhrp_entry_state_name(from),
		          nhrp_entry_state_name(to), nhrp_entry_event_name(ev));
	if (ev == NHRP_ENTRY_EV_USED) {
		e->last_used_ms = now;
		if (was_bound)
			nhrp_cache_notify(e, NHRP_ENTRY_NOTE_USED);
		return;
	}
	if (to == NHRP_ENTRY_REMOVED) {
		nhrp_cache_fsm_remove(e, why);
		return;
	}
	if (from == to && ev != NHRP_ENTRY_EV_TIMER && ev != NHRP_ENTRY_EV_BIND)
		return; /* nothing to do in this state */
	e->state = to;
	switch (to) {
	case NHRP_ENTRY_INCOMPLETE: /* the first request, or a retry */
		e->tries++;
		e->request_id = nhrp_next_request_id(e->ifp->d);
		nhrp_cache_fsm_arm(e);
		nhrp_cache_notify(e, NHRP_ENTRY_NOTE_RESOLVE);
		break;
	case NHRP_ENTRY_NEGATIVE:
		e->request_id = 0;
		e->tries = 0;
		e->nbma = (struct ipaddr){0};
		e->holding_time = NHRP_NEGATIVE_HOLD_MS / 1000;
		e->bound_ms = now;
		e->expires_ms = now + NHRP_NEGATIVE_HOLD_MS;
		nhrp_cache_fsm_arm(e);
		break;
	case NHRP_ENTRY_BOUND: {
		enum nhrp_entry_note note = nhrp_cache_fsm_bind(e, b, was_bound, now);

		e->request_id = 0;
		e->tries = 0;
		nhrp_cache_fsm_arm(e);
		nhrp_cache_notify(e, note);
		/* Those told of the old address have just been purged. */
		if (note == NHRP_ENTRY_NOTE_CHANGED)
			e->npurge = 0;
		break;
	}
	case NHRP_ENTRY_REFRESHING:
		e->tries = 1;
		e->request_id = nhrp_next_request_id(e->ifp->d);
		nhrp_cache_fsm_arm(e);
		nhrp_cache_notify(e, NHRP_ENTRY_NOTE_REFRESH);
		break;
	case NHRP_ENTRY_EXPIRING:
		e->request_id = 0;
		nhrp_cache_fsm_arm(e);
		break;
	case NHRP_ENTRY_NEW:
	case NHRP_ENTRY_REMOVED:
		break;
	}
}

/* ---------- events, as the rest of nhrpd raises them ---------- */

static struct nhrp_cache_entry *nhrp_cache_fsm_entry(struct nhrp_iface *ifp,
                                                     const struct ipaddr *proto)
{
	struct nhrp_cache_entry *e = nhrp_cache_get(ifp, proto);

	if (e)
		return e;
	e = nhrp_cache_new(ifp, proto);
	if (e)
		timer_init(&e->timer, ifp->d->loop, nhrp_cache_fsm_timer, e);
	return e;
}

struct nhrp_cache_entry *nhrp_cache_resolve(struct nhrp_iface *ifp, const struct ipaddr *proto)
{
	struct nhrp_cache_entry *e = nhrp_cache_fsm_entry(ifp, proto);

	if (e)
		nhrp_cache_fsm(e, NHRP_ENTRY_EV_RESOLVE, NULL, NULL);
	return e;
}

struct nhrp_cache_entry *nhrp_cache_bind(struct nhrp_iface *ifp, const struct ipaddr *proto,
                                         const struct nhrp_binding *b)
{
	struct nhrp_cache_entry *e = nhrp_cache_fsm_entry(ifp, proto);

	if (e)
		nhrp_cache_fsm(e, NHRP_ENTRY_EV_BIND, b, NULL);
	return e;
}

void nhrp_cache_nak(struct nhrp_cache_entry *e)
{
	nhrp_cache_fsm(e, NHRP_ENTRY_EV_NAK, NULL, NULL);
}

void nhrp_cache_used(struct nhrp_cache_entry *e)
{
	nhrp_cache_fsm(e, NHRP_ENTRY_EV_USED, NULL, NULL);
}

void nhrp_cache_remove(struct nhrp_cache_entry *e, const char *why)
{
	nhrp_cache_fsm(e, NHRP_ENTRY_EV_REMOVE, NULL, why);
}

/* Remove every entry; keep_config keeps static, NHS and local ones. */
void nhrp_cache_flush(struct nhrp_iface *ifp, bool keep_config)
{
	struct nhrp_cache *c = &ifp->cache;

	for (size_t i = 0; i < c->nbuckets; i++) {
		struct nhrp_cache_entry *e = c->buckets[i], *next;

		for (; e; e = next) {
			next = e->hnext;
			if (keep_config && nhrp_cache_entry_bound(e) && e->type >= NHRP_CACHE_NHS)
				continue;
			nhrp_cache_remove(e, "flushed");
		}
	}
}

void nhrp_cache_free(struct nhrp_iface *ifp)
{
	if (!ifp->cache.buckets)
		return;
	nhrp_cache_flush(ifp, false);
	free(ifp->cache.buckets);
	ifp->cache.buckets = NULL;
}
