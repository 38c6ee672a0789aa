/*
 * Resolution end to end (RFC 2332 5.2.1, 5.2.2, 5.2.5), between
 * interfaces of one test daemon over the test data plane, on the
 * simulated clock:
 *
 *          tun1 hub 10.0.0.1 (NBMA 192.0.2.1)
 *            /                        \
 *   tun2 spoke 10.0.0.2          tun3 spoke 10.0.0.3
 *   (NBMA 192.0.2.2)             (NBMA 192.0.2.3)
 *
 * Both spokes register with the hub. tun2 resolves 10.0.0.3: its request
 * goes to the hub, which forwards it to tun3; tun3 answers tun2 directly
 * and learns tun2's binding as it does; tun2 binds and mirrors the
 * binding into its neighbour table. Unanswered, a request is retried
 * after 1 s and 2 s, and the entry goes negative; the hub answers an
 * address nobody registered negatively; a reply nobody asked for is
 * dropped and counted; a binding is refreshed before it expires only if
 * it was used; and a purge from the hub removes it. Everything asserted
 * is what the packets say (decoded from the frames sent), the entries'
 * states, the neighbour table, the counters and the timers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/nhrp_harness.h"

#define HOLD 60

#define IFACE(N, ADDR, NBMA)                                                                       \
	"interface tun" N "\n"                                                                     \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source " NBMA "\n"                                                                \
	" ip address " ADDR "/24\n"                                                                \
	" ip nhrp network-id 1\n"                                                                  \
	" ip nhrp holdtime 60\n"

#define LAB                                                                                        \
	IFACE("1", "10.0.0.1", "192.0.2.1")                                                        \
	IFACE("2", "10.0.0.2", "192.0.2.2")                                                        \
	" ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n" IFACE(                                            \
	    "3", "10.0.0.3", "192.0.2.3") " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n"

static struct nhrp_iface *hub, *sp2, *sp3;

/* The lab, both spokes registered. */
static void lab(void)
{
	h_start(LAB);
	hub = h_iface("tun1");
	sp2 = h_iface("tun2");
	sp3 = h_iface("tun3");
	assert_int_equal(h_count(NHRP_REGISTRATION_REQUEST), 2);
	assert_int_equal(h_deliver(), 4); /* two requests, two replies */
	assert_int_equal(sp2->nhs[0]->state, NHRP_NHS_UP);
	assert_int_equal(sp3->nhs[0]->state, NHRP_NHS_UP);
	assert_int_equal(h_entry(hub, "10.0.0.2")->type, NHRP_CACHE_DYNAMIC);
	assert_int_equal(h_entry(hub, "10.0.0.3")->type, NHRP_CACHE_DYNAMIC);
}

static void expect_cached(struct nhrp_iface *ifp, const char *proto, const char *nbma)
{
	struct nhrp_cache_entry *e = h_entry(ifp, proto);
	struct ipaddr want = h_addr(nbma);
	const struct h_neigh *n;

	assert_non_null(e);
	assert_int_equal(e->state, NHRP_ENTRY_BOUND);
	assert_int_equal(e->type, NHRP_CACHE_CACHED);
	assert_true(ipaddr_equal(&e->nbma, &want));
	assert_int_equal(e->holding_time, HOLD);
	/* Mirrored into the interface's neighbour table. */
	n = h_neigh_find(ifp->ifindex, &e->proto);
	assert_non_null(n);
	assert_true(ipaddr_equal(&n->nbma, &want));
	assert_false(n->permanent);
}

/* sp2 resolves 10.0.0.3 and the answer comes back (one exchange). */
static void resolve_3(void)
{
	struct ipaddr a3 = h_addr("10.0.0.3"), to;
	struct nhrp_packet p;

	nhrp_resolve_solicited(sp2, &a3);
	assert_int_equal(h_entry(sp2, "10.0.0.3")->state, NHRP_ENTRY_INCOMPLETE);
	assert_true(h_take(NHRP_RESOLUTION_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &hub->nbma)); /* to the NHS */
	assert_true(ipaddr_equal(&p.dst_proto, &a3));
	assert_true(ipaddr_equal(&p.src_proto, &sp2->conf.tun.addr));
	assert_true(ipaddr_equal(&p.src_nbma, &sp2->nbma));
	assert_int_equal(p.request_id, h_entry(sp2, "10.0.0.3")->request_id);
	assert_int_equal(p.hop_count, NHRP_HOP_COUNT_DEFAULT);
	/* Put it back on the wire and let it go around. */
	h_dp_frame_send(sp2->dp, &to, NHRP_ETHERTYPE, h.taken.data, h.taken.len);
	assert_int_equal(h_deliver(), 3); /* request, forwarded request, reply */
}

static void test_resolution(void **state)
{
	(void)state;
	lab();
	resolve_3();
	assert_int_equal(hub->traffic.forwarded[NHRP_RESOLUTION_REQUEST], 1);
	assert_int_equal(sp3->traffic.received[NHRP_RESOLUTION_REQUEST], 1);
	assert_int_equal(sp3->traffic.sent[NHRP_RESOLUTION_REPLY], 1);
	assert_int_equal(sp2->traffic.received[NHRP_RESOLUTION_REPLY], 1);
	expect_cached(sp2, "10.0.0.3", "192.0.2.3");
	assert_int_equal(h_entry(sp2, "10.0.0.3")->request_id, 0);
	/* The responder learnt the requester's binding from the request. */
	expect_cached(sp3, "10.0.0.2", "192.0.2.2");
	/* The hub will purge the requester when 10.0.0.3 goes; the
	 * responder, when its own address does. */
	assert_int_equal(h_entry(hub, "10.0.0.3")->npurge, 1);
	assert_int_equal(h_entry(sp3, "10.0.0.3")->npurge, 1);
	h_stop();
}

/* Unanswered: requests at 0, 1 s and 3 s; negative at 7 s, kept 10 s. */
static void test_retries_then_negative(void **state)
{
	struct ipaddr a77 = h_addr("10.0.0.77"), to;
	struct nhrp_packet p;
	uint32_t ids[3];

	(void)state;
	lab();
	nhrp_resolve_solicited(sp2, &a77);
	for (int i = 0; i < 3; i++) {
		assert_true(h_take(NHRP_RESOLUTION_REQUEST, &p, &to));
		assert_true(ipaddr_equal(&to, &hub->nbma));
		assert_true(ipaddr_equal(&p.dst_proto, &a77));
		ids[i] = p.request_id;
		assert_int_equal(h_count(NHRP_RESOLUTION_REQUEST), 0);
		clock_sim_advance((uint64_t)1000 << i);
	}
	assert_int_not_equal(ids[0], ids[1]);
	assert_int_not_equal(ids[1], ids[2]);
	assert_int_equal(clock_now_ms(), H_T0 + 7000);
	assert_int_equal(h_entry(sp2, "10.0.0.77")->state, NHRP_ENTRY_NEGATIVE);
	assert_int_equal(h_count(NHRP_RESOLUTION_REQUEST), 0);
	/* The kernel asks again meanwhile: no new request. */
	nhrp_resolve_solicited(sp2, &a77);
	assert_int_equal(h_count(NHRP_RESOLUTION_REQUEST), 0);
	clock_sim_advance(NHRP_NEGATIVE_HOLD_MS);
	assert_null(h_entry(sp2, "10.0.0.77"));
	assert_int_equal(sp2->traffic.sent[NHRP_RESOLUTION_REQUEST], 3);
	h_stop();
}

/* The hub has no binding and no one to ask: a negative answer. */
static void test_nak_binds_negative(void **state)
{
	struct ipaddr a78 = h_addr("10.0.0.78");

	(void)state;
	lab();
	nhrp_resolve_solicited(sp2, &a78);
	assert_int_equal(h_deliver(), 2);
	assert_int_equal(h.route_lookups, 1); /* the hub looked for a route */
	assert_int_equal(hub->traffic.sent[NHRP_RESOLUTION_REPLY], 1);
	assert_int_equal(h_entry(sp2, "10.0.0.78")->state, NHRP_ENTRY_NEGATIVE);
	assert_string_equal(nhrp_cache_type_name(nhrp_cache_entry_type(h_entry(sp2, "10.0.0.78"))),
	                    "negative");
	assert_null(h_neigh_find(sp2->ifindex, &a78));
	/* No retry follows a negative answer. */
	clock_sim_advance(5000);
	assert_int_equal(h_count(NHRP_RESOLUTION_REQUEST), 0);
	h_stop();
}

/* The same reply twice: the second answers nothing outstanding. */
static void test_reply_nobody_asked_for(void **state)
{
	struct ipaddr a3 = h_addr("10.0.0.3");
	struct nhrp_packet p;
	static struct h_frame reply;

	(void)state;
	lab();
	nhrp_resolve_solicited(sp2, &a3);
	assert_true(h_deliver_one()); /* to the hub, which forwards it */
	assert_true(h_deliver_one()); /* to tun3, which answers */
	assert_int_equal(h.nframes, 1);
	reply = h.frames[0];
	assert_int_equal(nhrp_decode(reply.data, reply.len, &p, &(struct nhrp_decode_error){0}), 0);
	assert_int_equal(p.type, NHRP_RESOLUTION_REPLY);
	assert_int_equal(h_deliver(), 1);
	expect_cached(sp2, "10.0.0.3", "192.0.2.3");
	h_dp_frame_send(sp3->dp, &reply.to, NHRP_ETHERTYPE, reply.data, reply.len);
	assert_int_equal(h_deliver(), 1);
	assert_int_equal(sp2->traffic.received[NHRP_RESOLUTION_REPLY], 2);
	assert_int_equal(sp2->traffic.dropped[NHRP_DROP_UNEXPECTED], 1);
	expect_cached(sp2, "10.0.0.3", "192.0.2.3");
	h_stop();
}

/* At two thirds of the holding time a binding used since it was bound
 * is resolved again (and bound again); an idle one is not, and goes. */
static void test_refresh_only_used(void **state)
{
	struct ipaddr a3 = h_addr("10.0.0.3");
	uint64_t sent, bound;

	(void)state;
	lab();
	resolve_3();
	bound = h_entry(sp2, "10.0.0.3")->bound_ms;
	sent = sp2->traffic.sent[NHRP_RESOLUTION_REQUEST];
	/* Used: the kernel solicits it once its reachable time is out. */
	h_run(10000);
	nhrp_resolve_solicited(sp2, &a3);
	assert_int_equal(h_entry(sp2, "10.0.0.3")->state, NHRP_ENTRY_BOUND);
	h_run(HOLD * 2000 / 3 - 10000);
	/* At the refresh point: one request, answered, bound again. */
	assert_int_equal(sp2->traffic.sent[NHRP_RESOLUTION_REQUEST], sent + 1);
	assert_int_equal(h_entry(sp2, "10.0.0.3")->state, NHRP_ENTRY_BOUND);
	assert_true(h_entry(sp2, "10.0.0.3")->bound_ms > bound);
	assert_int_equal(h_entry(sp2, "10.0.0.3")->expires_ms, clock_now_ms() + HOLD * 1000);
	/* Idle from now on: at the next refresh point nothing is sent, and
	 * at the end of the holding time it goes, neighbour and all. */
	h_run(HOLD * 2000 / 3);
	assert_int_equal(sp2->traffic.sent[NHRP_RESOLUTION_REQUEST], sent + 1);
	assert_int_equal(h_entry(sp2, "10.0.0.3")->state, NHRP_ENTRY_EXPIRING);
	h_run(HOLD * 1000 / 3);
	assert_null(h_entry(sp2, "10.0.0.3"));
	assert_null(h_neigh_find(sp2->ifindex, &a3));
	assert_int_equal(sp2->traffic.sent[NHRP_RESOLUTION_REQUEST], sent + 1);
	h_stop();
}

/* 10.0.0.3 leaves the hub: the hub purges the spoke it told, which drops
 * its binding and answers. */
static void test_purge_removes(void **state)
{
	struct ipaddr a3 = h_addr("10.0.0.3"), to;
	struct nhrp_packet p;

	(void)state;
	lab();
	resolve_3();
	nhrp_cache_remove(h_entry(hub, "10.0.0.3"), "cleared");
	assert_true(h_take(NHRP_PURGE_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &sp2->nbma));
	assert_true(ipaddr_equal(&p.dst_proto, &sp2->conf.tun.addr));
	assert_int_equal(p.n_cie, 1);
	assert_true(ipaddr_equal(&p.cie[0].proto, &a3));
	h_dp_frame_send(hub->dp, &to, NHRP_ETHERTYPE, h.taken.data, h.taken.len);
	assert_int_equal(h_deliver(), 2); /* the purge, its reply */
	assert_null(h_entry(sp2, "10.0.0.3"));
	assert_null(h_neigh_find(sp2->ifindex, &a3));
	assert_int_equal(sp2->traffic.sent[NHRP_PURGE_REPLY], 1);
	assert_int_equal(hub->traffic.received[NHRP_PURGE_REPLY], 1);
	h_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_resolution, h_teardown),
	    cmocka_unit_test_teardown(test_retries_then_negative, h_teardown),
	    cmocka_unit_test_teardown(test_nak_binds_negative, h_teardown),
	    cmocka_unit_test_teardown(test_reply_nobody_asked_for, h_teardown),
	    cmocka_unit_test_teardown(test_refresh_only_used, h_teardown),
	    cmocka_unit_test_teardown(test_purge_removes, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
