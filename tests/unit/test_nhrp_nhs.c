/*
 * The next-hop client's registration state machine (nhrpd/nhrp_nhs.c)
 * over its whole (state x event) table, on the simulated clock and the
 * test data plane: for each of DOWN, PROBING and UP and each of START,
 * TIMER, REPLY_OK, REPLY_REFUSED and STOP, the state it leads to, the
 * Registration Requests sent (decoded from what the data plane was handed),
 * and when the next one is due. Then the retry backoff (doubling from 1 s
 * to a cap of 32 s, each within the 25% jitter), the refresh interval (a
 * third of the holding time granted), and the rule that takes PROBING to
 * DOWN: the holding time has passed since the last reply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/nhrp_harness.h"

#define HOLD 60 /* seconds: refreshes every 20 s */

#define SPOKE_CONF H_SPOKE_CONF("60")

static struct nhrp_iface *ifp;
static struct nhrp_nhs *nhs;

/* A Registration Request went to the NHS, with our binding in it. */
static void expect_request(void)
{
	struct nhrp_packet p;
	struct ipaddr to;

	assert_true(h_take(NHRP_REGISTRATION_REQUEST, &p, &to));
	assert_true(ipaddr_equal(&to, &nhs->conf.nbma));
	assert_true(ipaddr_equal(&p.dst_proto, &nhs->conf.proto));
	assert_true(ipaddr_equal(&p.src_proto, &ifp->conf.tun.addr));
	assert_int_equal(p.request_id, nhs->request_id);
	assert_int_equal(p.n_cie, 1);
	assert_int_equal(p.cie[0].holding_time, HOLD);
	assert_int_equal(p.cie[0].prefix_len, NHRP_PREFIX_UNIQUE);
	assert_true(p.flags & NHRP_FLAG_REG_U);
}

static void expect_nothing_sent(void)
{
	assert_int_equal(h.nframes, 0);
}

/* The next timer is a backoff retry of cur ms (25% jitter). */
static void expect_retry_in(uint32_t cur)
{
	uint64_t in = h_due_in(&nhs->timer);

	assert_int_equal(nhs->backoff.cur_ms, cur);
	assert_in_range(in, cur * 3 / 4, cur * 5 / 4);
}

/* The next timer is a refresh: a third of the holding time (5% jitter). */
static void expect_refresh_in(void)
{
	uint64_t in = h_due_in(&nhs->timer);

	assert_in_range(in, HOLD * 1000 / 3 * 95 / 100, HOLD * 1000 / 3 * 105 / 100);
}

/* The NHS answers the outstanding request through the receive path. */
static void nhs_replies(uint8_t code, uint16_t hold)
{
	struct nhrp_packet p;

	memset(&p, 0, sizeof(p));
	p.type = NHRP_REGISTRATION_REPLY;
	p.src_proto = ifp->conf.tun.addr;
	p.src_nbma = ifp->nbma;
	p.dst_proto = nhs->conf.proto;
	p.request_id = nhs->request_id;
	p.n_cie = 1;
	p.cie[0].code = code;
	p.cie[0].holding_time = hold;
	nhrp_nhs_recv_reply(ifp, &p, &nhs->conf.nbma);
}

static void advance_to_timer(void)
{
	clock_sim_advance(h_due_in(&nhs->timer));
}

/* ---------- the three states ---------- */

/* DOWN, as after attaching: the first request is out, its retry due. */
static void to_down(void)
{
	h_start(SPOKE_CONF);
	ifp = h_iface("tun0");
	nhs = ifp->nhs[0];
	assert_int_equal(nhs->state, NHRP_NHS_DOWN);
	expect_request();
	expect_retry_in(NHRP_NHS_RETRY_BASE_MS);
	expect_nothing_sent();
}

static void to_up(void)
{
	to_down();
	nhs_replies(NHRP_CODE_SUCCESS, HOLD);
	assert_int_equal(nhs->state, NHRP_NHS_UP);
	assert_int_equal(nhs->request_id, 0);
	expect_nothing_sent();
}

/* PROBING: the refresh went out, and its retry came due unanswered. */
static void to_probing(void)
{
	to_up();
	advance_to_timer();
	expect_request();
	assert_int_equal(nhs->state, NHRP_NHS_UP);
	advance_to_timer();
	expect_request();
	assert_int_equal(nhs->state, NHRP_NHS_PROBING);
	assert_int_equal(nhs->missed, 1);
}

static void (*const to_state[])(void) = {
    [NHRP_NHS_DOWN] = to_down,
    [NHRP_NHS_PROBING] = to_probing,
    [NHRP_NHS_UP] = to_up,
};

/* ---------- the table ---------- */

static void test_start(void **state)
{
	(void)state;
	for (int s = NHRP_NHS_DOWN; s <= NHRP_NHS_UP; s++) {
		to_state[s]();
		nhrp_nhs_fsm(nhs, NHRP_NHS_EV_START);
		/* A registration at once, whatever the state; the state
		 * waits for its answer. */
		assert_int_equal(nhs->state, s);
		expect_request();
		expect_retry_in(NHRP_NHS_RETRY_BASE_MS);
		assert_int_equal(nhs->missed, 0);
		expect_nothing_sent();
		h_stop();
	}
}

static void test_timer_down(void **state)
{
	(void)state;
	to_down();
	advance_to_timer();
	assert_int_equal(nhs->state, NHRP_NHS_DOWN);
	assert_int_equal(nhs->missed, 1);
	expect_request();
	expect_retry_in(2 * NHRP_NHS_RETRY_BASE_MS);
	h_stop();
}

static void test_timer_up(void **state)
{
	uint64_t requests;

	(void)state;
	to_up();
	requests = nhs->requests;
	expect_refresh_in();
	advance_to_timer();
	/* The refresh: sent, still UP until its retry comes due unanswered. */
	assert_int_equal(nhs->state, NHRP_NHS_UP);
	assert_int_equal(nhs->requests, requests + 1);
	assert_int_equal(nhs->missed, 0);
	expect_request();
	expect_retry_in(NHRP_NHS_RETRY_BASE_MS);
	advance_to_timer();
	assert_int_equal(nhs->state, NHRP_NHS_PROBING);
	expect_request();
	expect_retry_in(2 * NHRP_NHS_RETRY_BASE_MS);
	h_stop();
}

static void test_timer_probing(void **state)
{
	(void)state;
	to_probing();
	advance_to_timer();
	/* Within the holding time since the last reply: still PROBING. */
	assert_int_equal(nhs->state, NHRP_NHS_PROBING);
	assert_int_equal(nhs->missed, 2);
	expect_request();
	expect_retry_in(4 * NHRP_NHS_RETRY_BASE_MS);
	h_stop();
}

static void test_reply_ok(void **state)
{
	(void)state;
	for (int s = NHRP_NHS_DOWN; s <= NHRP_NHS_UP; s++) {
		to_state[s]();
		if (s == NHRP_NHS_UP)
			nhrp_nhs_fsm(nhs, NHRP_NHS_EV_START); /* a request to answer */
		h_frames_clear();
		nhs_replies(NHRP_CODE_SUCCESS, HOLD);
		assert_int_equal(nhs->state, NHRP_NHS_UP);
		assert_int_equal(nhs->up_since_ms, s == NHRP_NHS_UP ? H_T0 : clock_now_ms());
		assert_int_equal(nhs->last_reply_ms, clock_now_ms());
		assert_int_equal(nhs->missed, 0);
		assert_int_equal(nhs->backoff.cur_ms, 0);
		assert_int_equal(nhs->granted, HOLD);
		expect_refresh_in();
		expect_nothing_sent();
		h_stop();
	}
}

static void test_reply_refused(void **state)
{
	(void)state;
	for (int s = NHRP_NHS_DOWN; s <= NHRP_NHS_UP; s++) {
		uint32_t cur;

		to_state[s]();
		if (s == NHRP_NHS_UP)
			nhrp_nhs_fsm(nhs, NHRP_NHS_EV_START);
		h_frames_clear();
		cur = nhs->backoff.cur_ms;
		nhs_replies(NHRP_CODE_UNIQUE_ALREADY_REGISTERED, 0);
		assert_int_equal(nhs->state, NHRP_NHS_DOWN);
		assert_int_equal(nhs->refusals, 1);
		assert_int_equal(nhs->last_code, NHRP_CODE_UNIQUE_ALREADY_REGISTERED);
		assert_int_equal(nhs->request_id, 0);
		/* Retried later, backing off: the conflicting binding may go. */
		expect_retry_in(cur * 2);
		expect_nothing_sent();
		h_stop();
	}
}

static void test_stop(void **state)
{
	(void)state;
	for (int s = NHRP_NHS_DOWN; s <= NHRP_NHS_UP; s++) {
		to_state[s]();
		nhrp_nhs_fsm(nhs, NHRP_NHS_EV_STOP);
		assert_int_equal(nhs->state, NHRP_NHS_DOWN);
		assert_int_equal(nhs->request_id, 0);
		assert_false(timer_is_active(&nhs->timer));
		/* Nothing more is sent, however long we wait. */
		clock_sim_advance(10 * HOLD * 1000);
		expect_nothing_sent();
		h_stop();
	}
}

/* A reply with the wrong request id, or from no NHS of ours: dropped,
 * counted, and the state machine never hears of it. */
static void test_reply_nobody_asked_for(void **state)
{
	uint64_t replies;

	(void)state;
	to_down();
	replies = nhs->replies;
	nhs->request_id ^= 1;
	nhs_replies(NHRP_CODE_SUCCESS, HOLD);
	nhs->request_id ^= 1;
	assert_int_equal(nhs->state, NHRP_NHS_DOWN);
	assert_int_equal(nhs->replies, replies);
	assert_int_equal(ifp->traffic.dropped[NHRP_DROP_UNEXPECTED], 1);
	h_stop();
}

/* ---------- over time ---------- */

static void test_backoff_growth_and_cap(void **state)
{
	static const uint32_t want[] = {1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000};

	(void)state;
	to_down();
	for (size_t i = 1; i < sizeof(want) / sizeof(want[0]); i++) {
		advance_to_timer();
		expect_request();
		expect_retry_in(want[i]);
		assert_int_equal(nhs->state, NHRP_NHS_DOWN);
		assert_int_equal(nhs->missed, i);
	}
	assert_int_equal(nhs->backoff.cur_ms, NHRP_NHS_RETRY_CAP_MS);
	h_stop();
}

/* PROBING goes DOWN at the first retry once the holding time granted
 * has passed since the last reply: the NHS has forgotten us by then. */
static void test_probing_to_down_after_holding_time(void **state)
{
	uint64_t last;

	(void)state;
	to_probing();
	last = nhs->last_reply_ms;
	while (nhs->state == NHRP_NHS_PROBING) {
		advance_to_timer();
		expect_request();
		if (clock_now_ms() - last < HOLD * 1000)
			assert_int_equal(nhs->state, NHRP_NHS_PROBING);
	}
	assert_int_equal(nhs->state, NHRP_NHS_DOWN);
	assert_true(clock_now_ms() - last >= HOLD * 1000);
	/* Not long after: the retry before it was still within the time. */
	assert_true(clock_now_ms() - last < HOLD * 1000 + 40000);
	/* And a reply brings it back up at once. */
	nhs_replies(NHRP_CODE_SUCCESS, HOLD);
	assert_int_equal(nhs->state, NHRP_NHS_UP);
	assert_int_equal(nhs->transitions, 4); /* up, probing, down, up */
	h_stop();
}

/* The NHS grants less than we ask: we refresh within what it granted. */
static void test_refresh_follows_grant(void **state)
{
	uint64_t in;

	(void)state;
	to_down();
	nhs_replies(NHRP_CODE_SUCCESS, 30);
	in = h_due_in(&nhs->timer);
	assert_in_range(in, 10000 * 95 / 100, 10000 * 105 / 100);
	h_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_start, h_teardown),
	    cmocka_unit_test_teardown(test_timer_down, h_teardown),
	    cmocka_unit_test_teardown(test_timer_up, h_teardown),
	    cmocka_unit_test_teardown(test_timer_probing, h_teardown),
	    cmocka_unit_test_teardown(test_reply_ok, h_teardown),
	    cmocka_unit_test_teardown(test_reply_refused, h_teardown),
	    cmocka_unit_test_teardown(test_stop, h_teardown),
	    cmocka_unit_test_teardown(test_reply_nobody_asked_for, h_teardown),
	    cmocka_unit_test_teardown(test_backoff_growth_and_cap, h_teardown),
	    cmocka_unit_test_teardown(test_probing_to_down_after_holding_time, h_teardown),
	    cmocka_unit_test_teardown(test_refresh_follows_grant, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
