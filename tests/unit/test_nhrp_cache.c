/*
 * The state machine of a cache entry (nhrpd/nhrp_cache_fsm.c) over every
 * (state x event), on the simulated clock and the test data plane, with
 * what it makes the subscribers do: the notes each one hears, in order (a
 * recording subscriber sits last in the list, so it hears of a removal
 * first); the neighbour entries set and deleted; the Resolution Requests
 * and Purge Requests sent, decoded; and the timers: retries at 1 s and
 * 2 s, negative 4 s after the third request and kept 10 s, a cached
 * binding refreshed at two thirds of its holding time only when it was
 * used since it was bound, and every binding gone at its end. The counts
 * of events by state are checked as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/nhrp_harness.h"

#define HOLD 60

#define SPOKE_CONF H_SPOKE_CONF("3600")

#define X      "10.0.0.9"
#define X_NBMA "192.0.2.9"

static struct nhrp_iface *ifp;
static struct ipaddr x, x_nbma;

/* The notes the recording subscriber heard. */
static struct {
	unsigned n;
	enum nhrp_entry_note note[32];
	enum nhrp_entry_state state[32]; /* the entry's, as it heard */
} rec;

static void rec_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)arg;
	if (!ipaddr_equal(&e->proto, &x) || rec.n == 32)
		return;
	rec.note[rec.n] = note;
	rec.state[rec.n] = e->state;
	rec.n++;
}

static void expect_notes(unsigned n, ...)
{
	va_list ap;

	assert_int_equal(rec.n, n);
	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		assert_string_equal(nhrp_entry_note_name(rec.note[i]),
		                    nhrp_entry_note_name(va_arg(ap, enum nhrp_entry_note)));
	va_end(ap);
	rec.n = 0;
}

static uint64_t count(enum nhrp_entry_state s, enum nhrp_entry_event ev)
{
	return ifp->cache.transitions[s][ev];
}

static void start(void)
{
	h_start(SPOKE_CONF);
	ifp = h_iface("tun0");
	x = h_addr(X);
	x_nbma = h_addr(X_NBMA);
	assert_int_equal(nhrp_cache_subscribe(&ifp->cache, rec_note, NULL), 0);
	memset(&rec, 0, sizeof(rec));
	/* Registration has its own tests: stopped, it sends nothing here,
	 * and resolution still asks the NHS. */
	nhrp_nhs_fsm(ifp->nhs[0], NHRP_NHS_EV_STOP);
	h_frames_clear();
	/* The configuration's entries (ours, the NHS) were bound from NEW. */
	assert_int_equal(count(NHRP_ENTRY_NEW, NHRP_ENTRY_EV_BIND), 2);
}

static struct nhrp_cache_entry *ex(void)
{
	return nhrp_cache_get(ifp, &x);
}

static enum nhrp_entry_state ex_state(void)
{
	struct nhrp_cache_entry *e = ex();

	return e ? e->state : NHRP_ENTRY_REMOVED;
}

/* A Resolution Request for X went to the NHS, with the entry's id. */
static void expect_request(void)
{
	struct nhrp_packet p;
	struct ipaddr to;

	assert_true(h_take(NHRP_RESOLUTION_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &ifp->nhs[0]->conf.nbma));
	assert_true(ipaddr_equal(&p.dst_proto, &x));
	assert_true(ipaddr_equal(&p.src_proto, &ifp->conf.tun.addr));
	assert_int_equal(p.request_id, ex()->request_id);
	assert_int_not_equal(p.request_id, 0);
}

static const struct h_neigh *x_neigh(void)
{
	return h_neigh_find(ifp->ifindex, &x);
}

static struct nhrp_binding cached(const char *nbma, uint16_t hold)
{
	return (struct nhrp_binding){
	    .type = NHRP_CACHE_CACHED, .nbma = h_addr(nbma), .holding_time = hold};
}

/* ---------- getting X into each state ---------- */

static void to_incomplete(void)
{
	start();
	assert_non_null(nhrp_cache_resolve(ifp, &x));
	assert_int_equal(ex_state(), NHRP_ENTRY_INCOMPLETE);
	expect_notes(1, NHRP_ENTRY_NOTE_RESOLVE);
	expect_request();
	assert_int_equal(ex()->tries, 1);
	assert_int_equal(h_due_in(&ex()->timer), 1000);
	assert_int_equal(nhrp_cache_entry_type(ex()), NHRP_CACHE_INCOMPLETE);
}

static void to_negative(void)
{
	to_incomplete();
	nhrp_cache_nak(ex());
	assert_int_equal(ex_state(), NHRP_ENTRY_NEGATIVE);
	assert_int_equal(nhrp_cache_entry_type(ex()), NHRP_CACHE_NEGATIVE);
	assert_string_equal(nhrp_cache_type_name(nhrp_cache_entry_type(ex())), "negative");
	assert_int_equal(ex()->request_id, 0);
	assert_int_equal(ex()->holding_time, NHRP_NEGATIVE_HOLD_MS / 1000);
	assert_int_equal(h_due_in(&ex()->timer), NHRP_NEGATIVE_HOLD_MS);
	expect_notes(0);
	assert_null(x_neigh());
}

static void to_bound(void)
{
	struct nhrp_binding b = cached(X_NBMA, HOLD);

	start();
	assert_non_null(nhrp_cache_bind(ifp, &x, &b));
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	assert_int_equal(count(NHRP_ENTRY_NEW, NHRP_ENTRY_EV_BIND), 3);
	expect_notes(1, NHRP_ENTRY_NOTE_BOUND);
	assert_non_null(x_neigh());
	assert_true(ipaddr_equal(&x_neigh()->nbma, &x_nbma));
	assert_false(x_neigh()->permanent);
	assert_true(ex()->neigh_installed);
	/* The refresh point: two thirds of the holding time. */
	assert_int_equal(h_due_in(&ex()->timer), HOLD * 2000 / 3);
	assert_int_equal(ex()->expires_ms, clock_now_ms() + HOLD * 1000);
	assert_string_equal(nhrp_cache_type_name(nhrp_cache_entry_type(ex())), "cached");
}

/* In use since bound: at the refresh point a request goes out. */
static void to_refreshing(void)
{
	to_bound();
	clock_sim_advance(1000);
	nhrp_cache_used(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_USED);
	clock_sim_advance(h_due_in(&ex()->timer));
	assert_int_equal(ex_state(), NHRP_ENTRY_REFRESHING);
	expect_notes(1, NHRP_ENTRY_NOTE_REFRESH);
	expect_request();
	assert_int_equal(h_due_in(&ex()->timer), HOLD * 1000 / 3);
	assert_string_equal(nhrp_cache_type_name(nhrp_cache_entry_type(ex())), "cached");
}

/* Unused since bound: nothing is sent, it waits for its end. */
static void to_expiring(void)
{
	to_bound();
	clock_sim_advance(h_due_in(&ex()->timer));
	assert_int_equal(ex_state(), NHRP_ENTRY_EXPIRING);
	expect_notes(0);
	assert_int_equal(h.nframes, 0);
	assert_int_equal(h_due_in(&ex()->timer), HOLD * 1000 / 3);
	assert_non_null(x_neigh());
}

/* ---------- NEW: an entry lives there only between its creation and its
 * first event (nhrp_cache_resolve, nhrp_cache_bind); the others leave it
 * there, but for a removal. ---------- */

static void test_new(void **state)
{
	static const enum nhrp_entry_event stay[] = {NHRP_ENTRY_EV_TIMER, NHRP_ENTRY_EV_NAK,
	                                             NHRP_ENTRY_EV_USED};
	struct nhrp_cache_entry *e;

	(void)state;
	start();
	e = nhrp_cache_new(ifp, &x);
	assert_non_null(e);
	assert_int_equal(e->state, NHRP_ENTRY_NEW);
	for (size_t i = 0; i < sizeof(stay) / sizeof(stay[0]); i++) {
		nhrp_cache_fsm(e, stay[i], NULL, NULL);
		assert_int_equal(e->state, NHRP_ENTRY_NEW);
		assert_int_equal(count(NHRP_ENTRY_NEW, stay[i]), 1);
	}
	assert_int_equal(e->last_used_ms, clock_now_ms());
	expect_notes(0);
	nhrp_cache_remove(e, "test");
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_int_equal(h.nframes, 0);
	assert_int_equal(h.neigh_dels, 0);
	/* RESOLVE and BIND from NEW: the other tests start with them. */
	assert_non_null(nhrp_cache_resolve(ifp, &x));
	assert_int_equal(count(NHRP_ENTRY_NEW, NHRP_ENTRY_EV_RESOLVE), 1);
	h_stop();
}

/* ---------- INCOMPLETE ---------- */

static void test_incomplete_retries_then_negative(void **state)
{
	uint32_t first;

	(void)state;
	to_incomplete();
	first = ex()->request_id;
	clock_sim_advance(1000);
	assert_int_equal(ex_state(), NHRP_ENTRY_INCOMPLETE);
	expect_notes(1, NHRP_ENTRY_NOTE_RESOLVE);
	expect_request();
	assert_int_not_equal(ex()->request_id, first); /* a new request */
	assert_int_equal(ex()->tries, 2);
	assert_int_equal(h_due_in(&ex()->timer), 2000);
	clock_sim_advance(2000);
	expect_notes(1, NHRP_ENTRY_NOTE_RESOLVE);
	expect_request();
	assert_int_equal(ex()->tries, 3);
	assert_int_equal(h_due_in(&ex()->timer), 4000);
	clock_sim_advance(3999);
	assert_int_equal(ex_state(), NHRP_ENTRY_INCOMPLETE);
	clock_sim_advance(1);
	/* Three requests unanswered: negative, without a fourth. */
	assert_int_equal(ex_state(), NHRP_ENTRY_NEGATIVE);
	assert_int_equal(h.nframes, 0);
	expect_notes(0);
	assert_int_equal(count(NHRP_ENTRY_INCOMPLETE, NHRP_ENTRY_EV_TIMER), 3);
	assert_int_equal(h_due_in(&ex()->timer), NHRP_NEGATIVE_HOLD_MS);
	h_stop();
}

static void test_incomplete_events(void **state)
{
	struct nhrp_binding b = cached(X_NBMA, HOLD);
	uint64_t used;

	(void)state;
	/* RESOLVE: under way already; nothing more is sent. */
	to_incomplete();
	assert_ptr_equal(nhrp_cache_resolve(ifp, &x), ex());
	assert_int_equal(ex()->tries, 1);
	assert_int_equal(h.nframes, 0);
	expect_notes(0);
	/* USED: remembered, nothing else. */
	clock_sim_advance(10);
	nhrp_cache_used(ex());
	used = ex()->last_used_ms;
	assert_int_equal(used, clock_now_ms());
	assert_int_equal(ex_state(), NHRP_ENTRY_INCOMPLETE);
	assert_int_equal(h_due_in(&ex()->timer), 990); /* the retry did not move */
	expect_notes(0);
	/* BIND: the answer. */
	nhrp_cache_bind(ifp, &x, &b);
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	assert_int_equal(ex()->request_id, 0);
	assert_int_equal(ex()->tries, 0);
	expect_notes(1, NHRP_ENTRY_NOTE_BOUND);
	assert_non_null(x_neigh());
	h_stop();

	/* NAK: negative at once. */
	to_negative();
	assert_int_equal(count(NHRP_ENTRY_INCOMPLETE, NHRP_ENTRY_EV_NAK), 1);
	h_stop();

	/* REMOVE: gone; no binding, so no neighbour and no purge. */
	to_incomplete();
	nhrp_cache_add_purge_target(ex(), &x_nbma, &x);
	nhrp_cache_remove(ex(), "test");
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_int_equal(h.nframes, 0);
	assert_int_equal(h.neigh_dels, 0);
	h_stop();
}

/* ---------- NEGATIVE ---------- */

static void test_negative_events(void **state)
{
	struct nhrp_binding b = cached(X_NBMA, HOLD);

	(void)state;
	/* RESOLVE, NAK, USED: it waits its time out. */
	to_negative();
	nhrp_cache_resolve(ifp, &x);
	nhrp_cache_nak(ex());
	nhrp_cache_used(ex());
	assert_int_equal(ex_state(), NHRP_ENTRY_NEGATIVE);
	assert_int_equal(h.nframes, 0);
	expect_notes(0);
	assert_int_equal(count(NHRP_ENTRY_NEGATIVE, NHRP_ENTRY_EV_RESOLVE), 1);
	assert_int_equal(count(NHRP_ENTRY_NEGATIVE, NHRP_ENTRY_EV_NAK), 1);
	assert_int_equal(count(NHRP_ENTRY_NEGATIVE, NHRP_ENTRY_EV_USED), 1);
	/* TIMER: 10 s after the answer, gone. */
	clock_sim_advance(NHRP_NEGATIVE_HOLD_MS - 1);
	assert_int_equal(ex_state(), NHRP_ENTRY_NEGATIVE);
	clock_sim_advance(1);
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	h_stop();

	/* BIND: a binding after all (the peer asked us, say). */
	to_negative();
	nhrp_cache_bind(ifp, &x, &b);
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	expect_notes(1, NHRP_ENTRY_NOTE_BOUND);
	assert_non_null(x_neigh());
	h_stop();

	/* REMOVE. */
	to_negative();
	nhrp_cache_remove(ex(), "cleared");
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_int_equal(h.nframes, 0);
	h_stop();
}

/* ---------- BOUND ---------- */

static void test_bound_events(void **state)
{
	struct nhrp_binding same = cached(X_NBMA, HOLD), moved = cached("192.0.2.10", HOLD);
	struct nhrp_packet p;
	struct ipaddr to, t1 = h_addr("192.0.2.30"), t2 = h_addr("192.0.2.31");
	struct ipaddr p1 = h_addr("10.0.0.30"), p2 = h_addr("10.0.0.31");
	unsigned sets;

	(void)state;
	/* RESOLVE, NAK: nothing to do. USED: the neighbour confirmed. */
	to_bound();
	nhrp_cache_resolve(ifp, &x);
	nhrp_cache_nak(ex());
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	expect_notes(0);
	sets = h.neigh_sets;
	nhrp_cache_used(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_USED);
	assert_int_equal(h.neigh_sets, sets + 1);
	assert_int_equal(h.nframes, 0);
	/* BIND again, same address: renewed, its times start again. */
	clock_sim_advance(5000);
	nhrp_cache_bind(ifp, &x, &same);
	expect_notes(1, NHRP_ENTRY_NOTE_RENEWED);
	assert_int_equal(ex()->bound_ms, clock_now_ms());
	assert_int_equal(h_due_in(&ex()->timer), HOLD * 2000 / 3);
	assert_int_equal(h.neigh_sets, sets + 2);
	assert_int_equal(h.nframes, 0);
	/* BIND to another address: changed; whoever was told is purged. */
	nhrp_cache_add_purge_target(ex(), &t1, &p1);
	nhrp_cache_bind(ifp, &x, &moved);
	expect_notes(1, NHRP_ENTRY_NOTE_CHANGED);
	assert_true(ipaddr_equal(&x_neigh()->nbma, &moved.nbma));
	assert_true(h_take(NHRP_PURGE_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &t1));
	assert_true(ipaddr_equal(&p.dst_proto, &p1));
	assert_true(ipaddr_equal(&p.cie[0].proto, &x));
	assert_int_equal(ex()->npurge, 0);
	/* REMOVE: the neighbour deleted, each target purged. */
	nhrp_cache_add_purge_target(ex(), &t1, &p1);
	nhrp_cache_add_purge_target(ex(), &t2, &p2);
	nhrp_cache_remove(ex(), "purged");
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_null(x_neigh());
	assert_true(h_take(NHRP_PURGE_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &t1) && ipaddr_equal(&p.dst_proto, &p1));
	assert_true(h_take(NHRP_PURGE_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &t2) && ipaddr_equal(&p.dst_proto, &p2));
	assert_true(ipaddr_equal(&p.cie[0].proto, &x));
	assert_int_equal(h.nframes, 0);
	assert_int_equal(count(NHRP_ENTRY_BOUND, NHRP_ENTRY_EV_BIND), 2);
	assert_int_equal(count(NHRP_ENTRY_BOUND, NHRP_ENTRY_EV_REMOVE), 1);
	h_stop();
}

/* TIMER in BOUND: a cached binding at its refresh point (used or not:
 * to_refreshing, to_expiring); any other binding at its end. */
static void test_bound_timer(void **state)
{
	struct nhrp_binding dyn = {
	    .type = NHRP_CACHE_DYNAMIC, .nbma = h_addr(X_NBMA), .holding_time = HOLD};
	struct nhrp_binding stat = {.type = NHRP_CACHE_STATIC, .nbma = h_addr(X_NBMA)};

	(void)state;
	to_refreshing();
	h_stop();
	to_expiring();
	h_stop();

	start();
	nhrp_cache_bind(ifp, &x, &dyn);
	expect_notes(1, NHRP_ENTRY_NOTE_BOUND);
	nhrp_cache_used(ex()); /* used or not: a registration is not refreshed here */
	expect_notes(1, NHRP_ENTRY_NOTE_USED);
	assert_int_equal(h_due_in(&ex()->timer), HOLD * 1000);
	clock_sim_advance(HOLD * 1000 - 1);
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	clock_sim_advance(1);
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_null(x_neigh());
	assert_int_equal(h.nframes, 0);

	/* Permanent: no timer, a permanent neighbour. */
	nhrp_cache_bind(ifp, &x, &stat);
	assert_false(timer_is_active(&ex()->timer));
	assert_true(x_neigh()->permanent);
	assert_int_equal(ex()->expires_ms, 0);
	h_stop();
}

/* ---------- REFRESHING ---------- */

static void test_refreshing_events(void **state)
{
	struct nhrp_binding b = cached(X_NBMA, HOLD);

	(void)state;
	/* RESOLVE: ignored. USED: confirmed. BIND: the refresh answered. */
	to_refreshing();
	nhrp_cache_resolve(ifp, &x);
	assert_int_equal(h.nframes, 0);
	nhrp_cache_used(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_USED);
	assert_int_equal(ex_state(), NHRP_ENTRY_REFRESHING);
	nhrp_cache_bind(ifp, &x, &b);
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	expect_notes(1, NHRP_ENTRY_NOTE_RENEWED);
	assert_int_equal(ex()->request_id, 0);
	assert_int_equal(ex()->expires_ms, clock_now_ms() + HOLD * 1000);
	h_stop();

	/* NAK: the binding stays until its end, unrefreshed. */
	to_refreshing();
	nhrp_cache_nak(ex());
	assert_int_equal(ex_state(), NHRP_ENTRY_EXPIRING);
	assert_int_equal(ex()->request_id, 0);
	assert_non_null(x_neigh());
	expect_notes(0);
	h_stop();

	/* TIMER: no answer by the end of the holding time: gone. */
	to_refreshing();
	clock_sim_advance(h_due_in(&ex()->timer));
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_null(x_neigh());
	h_stop();

	/* REMOVE. */
	to_refreshing();
	nhrp_cache_remove(ex(), "purged");
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	h_stop();
}

/* ---------- EXPIRING ---------- */

static void test_expiring_events(void **state)
{
	struct nhrp_binding b = cached(X_NBMA, HOLD);

	(void)state;
	/* RESOLVE, NAK: nothing. USED: confirmed, but not refreshed now. */
	to_expiring();
	nhrp_cache_resolve(ifp, &x);
	nhrp_cache_nak(ex());
	nhrp_cache_used(ex());
	assert_int_equal(ex_state(), NHRP_ENTRY_EXPIRING);
	expect_notes(1, NHRP_ENTRY_NOTE_USED);
	assert_int_equal(h.nframes, 0);
	/* TIMER: its end. */
	clock_sim_advance(h_due_in(&ex()->timer));
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	assert_null(x_neigh());
	assert_int_equal(count(NHRP_ENTRY_EXPIRING, NHRP_ENTRY_EV_TIMER), 1);
	h_stop();

	/* BIND: bound again, its refresh point ahead. */
	to_expiring();
	nhrp_cache_bind(ifp, &x, &b);
	assert_int_equal(ex_state(), NHRP_ENTRY_BOUND);
	expect_notes(1, NHRP_ENTRY_NOTE_RENEWED);
	assert_int_equal(h_due_in(&ex()->timer), HOLD * 2000 / 3);
	h_stop();

	/* REMOVE. */
	to_expiring();
	nhrp_cache_remove(ex(), "cleared");
	assert_null(ex());
	expect_notes(1, NHRP_ENTRY_NOTE_REMOVED);
	h_stop();
}

/* Subscribers hear a binding in the order they subscribed, and its
 * removal in the reverse order (what was set up last goes first). */
static char order[16];
static size_t norder;

static void order_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)e;
	if (norder + 2 < sizeof(order) &&
	    (note == NHRP_ENTRY_NOTE_BOUND || note == NHRP_ENTRY_NOTE_REMOVED))
		order[norder++] = *(const char *)arg;
}

static void test_subscriber_order(void **state)
{
	struct nhrp_binding b = cached(X_NBMA, HOLD);
	unsigned nsubs;

	(void)state;
	start();
	/* nhrpd's five, wired by nhrp_iface_create, then the recorder. */
	assert_int_equal(ifp->cache.nsubs, 6);
	assert_ptr_equal(ifp->cache.subs[0].fn, nhrp_mirror_entry_note);
	assert_ptr_equal(ifp->cache.subs[1].fn, nhrp_zebra_entry_note);
	assert_ptr_equal(ifp->cache.subs[2].fn, nhrp_resolve_entry_note);
	assert_ptr_equal(ifp->cache.subs[3].fn, nhrp_shortcut_entry_note);
	assert_ptr_equal(ifp->cache.subs[4].fn, nhrp_purge_entry_note);
	nsubs = ifp->cache.nsubs;
	assert_int_equal(nhrp_cache_subscribe(&ifp->cache, order_note, "a"), 0);
	assert_int_equal(nhrp_cache_subscribe(&ifp->cache, order_note, "b"), 0);
	norder = 0;
	nhrp_cache_bind(ifp, &x, &b);
	nhrp_cache_remove(ex(), "test");
	order[norder] = '\0';
	assert_string_equal(order, "abba");
	/* The recorder, before them: its removal note came after theirs. */
	expect_notes(2, NHRP_ENTRY_NOTE_BOUND, NHRP_ENTRY_NOTE_REMOVED);
	/* The list is bounded. */
	while (ifp->cache.nsubs < NHRP_CACHE_MAX_SUBSCRIBERS)
		assert_int_equal(nhrp_cache_subscribe(&ifp->cache, order_note, "c"), 0);
	assert_int_equal(nhrp_cache_subscribe(&ifp->cache, order_note, "c"), -1);
	ifp->cache.nsubs = nsubs;
	h_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_new, h_teardown),
	    cmocka_unit_test_teardown(test_incomplete_retries_then_negative, h_teardown),
	    cmocka_unit_test_teardown(test_incomplete_events, h_teardown),
	    cmocka_unit_test_teardown(test_negative_events, h_teardown),
	    cmocka_unit_test_teardown(test_bound_events, h_teardown),
	    cmocka_unit_test_teardown(test_bound_timer, h_teardown),
	    cmocka_unit_test_teardown(test_refreshing_events, h_teardown),
	    cmocka_unit_test_teardown(test_expiring_events, h_teardown),
	    cmocka_unit_test_teardown(test_subscriber_order, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
