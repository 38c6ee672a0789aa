/*
 * Two ikeds (tests/unit/ike_pair.h) set up IKE SAs over an in-memory wire
 * on the simulated clock: IKE_SA_INIT and IKE_AUTH in both roles, the
 * INVALID_KE_PAYLOAD retry, the COOKIE challenge, refusals (no proposal,
 * a wrong PSK, a refused CHILD_SA), INITIAL_CONTACT, retransmission and
 * its backoff up to giving up, duplicate and corrupted messages, half-open
 * expiry, and DPD liveness checks. Assertions are about outcomes: states,
 * SPIs and keys equal on both ends, counters, timer deadlines, and what
 * went on the wire.
 */
#include "tests/unit/ike_pair.h"

#define BASIC PAIR_PROFILE("")

/* Both roles: four messages, one SA each end with equal SPIs and keys,
 * the CHILD_SA in both, and its timers at their deadlines. */
static void test_establish_both_roles(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct ike_sa *a, *b;
		struct iked *di, *dr;

		pair_start(BASIC, BASIC);
		a = pair_establish(i, &b);
		di = &nodes[i].d;
		dr = &nodes[!i].d;
		assert_true(a->initiator && !b->initiator);
		assert_int_equal(history_n, 4);
		assert_int_equal(history_count(0, i, IKEV2_EXCHANGE_IKE_SA_INIT, false), 1);
		assert_int_equal(history_count(0, !i, IKEV2_EXCHANGE_IKE_SA_INIT, true), 1);
		assert_int_equal(history_count(0, i, IKEV2_EXCHANGE_IKE_AUTH, false), 1);
		assert_int_equal(history_count(0, !i, IKEV2_EXCHANGE_IKE_AUTH, true), 1);
		assert_string_equal(a->peer_id, i == 0 ? "192.0.2.2" : "192.0.2.1");
		assert_string_equal(b->peer_id, i == 0 ? "192.0.2.1" : "192.0.2.2");
		assert_true(a->child.transport && b->child.transport);
		assert_int_equal(a->prop.dh, IKEV2_DH_CURVE25519);
		/* The states each end went through, once each. */
		assert_int_equal(di->stats.ike_events[IKE_EV_INIT_SENT], 1);
		assert_int_equal(di->stats.ike_events[IKE_EV_AUTH_SENT], 1);
		assert_int_equal(di->stats.ike_events[IKE_EV_AUTHENTICATED], 1);
		assert_int_equal(dr->stats.ike_events[IKE_EV_INIT_ANSWERED], 1);
		assert_int_equal(dr->stats.ike_events[IKE_EV_AUTHENTICATED], 1);
		assert_int_equal(di->stats.child_events[CHILD_EV_INSTALLED], 1);
		assert_int_equal(dr->stats.child_events[CHILD_EV_INSTALLED], 1);
		assert_int_equal(di->stats.exchange_rows[ike_exchange_row(
		                     IKE_SA_INIT_SENT, IKEV2_EXCHANGE_IKE_SA_INIT, true)],
		                 1);
		assert_int_equal(di->stats.exchange_rows[ike_exchange_row(
		                     IKE_SA_AUTH_SENT, IKEV2_EXCHANGE_IKE_AUTH, true)],
		                 1);
		assert_int_equal(dr->stats.exchange_rows[ike_exchange_row(
		                     IKE_SA_HALF_OPEN, IKEV2_EXCHANGE_IKE_AUTH, false)],
		                 1);
		/* Timers: no request out, no half-open expiry; rekeys at
		 * established + 90% of the lifetime +-5%; no DPD (off). */
		assert_false(timer_is_active(&a->retransmit_timer));
		assert_false(timer_is_active(&b->half_open_timer));
		assert_false(timer_is_active(&a->dpd_timer));
		assert_true(timer_is_active(&a->rekey_timer));
		assert_int_equal(timer_deadline_ms(&a->rekey_timer),
		                 a->established_ms + a->rekey_after_ms);
		assert_between(a->rekey_after_ms, IKED_IKE_LIFETIME * 855ull,
		               IKED_IKE_LIFETIME * 945ull);
		assert_int_equal(timer_deadline_ms(&b->child_rekey_timer),
		                 b->child.established_ms + b->child.rekey_after_ms);
		assert_between(b->child.rekey_after_ms, IKED_CHILD_LIFETIME * 855ull,
		               IKED_CHILD_LIFETIME * 945ull);
		assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
		pair_stop();
	}
}

/* RFC 7296 1.2: the responder wants ECP-256; the initiator guessed
 * Curve25519 and, having offered ECP-256 too, retries with it. */
static void test_invalid_ke_retry(void **state)
{
	static struct ikev2_msg m;
	struct ikev2_decode_error err = {0};
	struct ike_sa *a, *b;
	unsigned id;

	(void)state;
	pair_start(PAIR_PROFILE(" proposal aes256gcm16-prfsha384-x25519\n"
	                        " proposal aes128-sha256-ecp256\n"),
	           PAIR_PROFILE(" proposal aes128-sha256-ecp256\n"));
	id = pair_initiate(0);
	wire_deliver(0);
	/* The answer: INVALID_KE_PAYLOAD naming group 19, and no SA kept. */
	assert_int_equal(wire_n, 1);
	assert_int_equal(ikev2_msg_decode(wire[0].data, wire[0].len, &m, &err), 0);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKEV2_N_INVALID_KE_PAYLOAD);
	assert_int_equal(m.notify[0].len, 2);
	assert_int_equal(m.notify[0].data[1], IKEV2_DH_ECP_256);
	assert_null(nodes[1].d.sas);
	wire_deliver(0);
	/* The same SA asks again, message ID 0, with an ECP-256 KE. */
	assert_int_equal(wire_n, 1);
	assert_int_equal(ikev2_msg_decode(wire[0].data, wire[0].len, &m, &err), 0);
	assert_int_equal(m.hdr.msg_id, 0);
	assert_int_equal(m.ke_group, IKEV2_DH_ECP_256);
	assert_int_equal(pair_sa_id(0, id)->state, IKE_SA_INIT_SENT);
	wire_deliver_all();
	a = pair_sa_id(0, id);
	b = pair_sa(1, IKE_SA_ESTABLISHED);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_non_null(b);
	assert_int_equal(a->prop.dh, IKEV2_DH_ECP_256);
	pair_assert_ike_agree(a, b);
	pair_assert_child_agree(a, b);
	assert_int_equal(history_n, 6);
	assert_int_equal(history_count(0, 0, IKEV2_EXCHANGE_IKE_SA_INIT, false), 2);
}

/* RFC 7296 2.6: a responder asking for COOKIEs keeps no state for the
 * first request; the second, with the cookie first, makes the SA. */
static void test_cookie_challenge(void **state)
{
	static struct ikev2_msg m;
	struct ikev2_decode_error err = {0};
	uint8_t cookie[IKEV2_COOKIE_MAX];
	size_t cookie_len;
	unsigned id;

	(void)state;
	pair_start(BASIC, BASIC "crypto ikev2 cookie-challenge 0\n");
	id = pair_initiate(0);
	wire_deliver(0);
	assert_int_equal(nodes[1].d.cookies_sent, 1);
	assert_null(nodes[1].d.sas);
	assert_int_equal(ikev2_msg_decode(wire[0].data, wire[0].len, &m, &err), 0);
	assert_int_equal(m.notify[0].type, IKEV2_N_COOKIE);
	cookie_len = m.notify[0].len;
	assert_true(cookie_len > 0 && cookie_len <= sizeof(cookie));
	memcpy(cookie, m.notify[0].data, cookie_len);
	wire_deliver(0);
	assert_int_equal(ikev2_msg_decode(wire[0].data, wire[0].len, &m, &err), 0);
	assert_int_equal(m.types[0], IKEV2_PAYLOAD_NOTIFY);
	assert_int_equal(m.notify[0].type, IKEV2_N_COOKIE);
	assert_memory_equal(m.notify[0].data, cookie, cookie_len);
	wire_deliver_all();
	assert_int_equal(pair_sa_id(0, id)->state, IKE_SA_ESTABLISHED);
	assert_int_equal(pair_count(1, IKE_SA_ESTABLISHED), 1);
	assert_int_equal(nodes[1].d.cookies_sent, 1);
}

/* No IKE proposal in common: NO_PROPOSAL_CHOSEN, nothing kept. */
static void test_no_proposal_chosen(void **state)
{
	struct ike_sa *a;
	unsigned id;

	(void)state;
	pair_start(PAIR_PROFILE(" proposal aes128-sha256-ecp256\n"),
	           PAIR_PROFILE(" proposal aes256-sha512-modp2048\n"));
	id = pair_initiate(0);
	wire_deliver_all();
	a = pair_sa_id(0, id);
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_string_equal(a->error, "responder: NO_PROPOSAL_CHOSEN");
	assert_null(nodes[1].d.sas);
	assert_int_equal(nodes[0].d.stats.no_proposal, 1);
	assert_int_equal(nodes[1].d.stats.no_proposal, 1);
	assert_int_equal(history_n, 2);
	/* The dead SA stays 10 s for show, then goes. */
	assert_int_equal(timer_deadline_ms(&a->linger_timer), PAIR_T0 + IKED_DEAD_LINGER_MS);
	clock_sim_advance(IKED_DEAD_LINGER_MS);
	assert_null(nodes[0].d.sas);
}

/* IKE proposals agree, ESP ones do not: the IKE SA is up, the CHILD_SA
 * refused on both ends (RFC 7296 2.21.2). */
static void test_child_refused(void **state)
{
	struct ike_sa *a, *b;
	unsigned id;

	(void)state;
	pair_start(PAIR_PROFILE(" esp-proposal aes128-sha256\n"),
	           PAIR_PROFILE(" esp-proposal chacha20poly1305\n"));
	id = pair_initiate(0);
	wire_deliver_all();
	a = pair_sa_id(0, id);
	b = pair_sa(1, IKE_SA_ESTABLISHED);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_non_null(b);
	pair_assert_ike_agree(a, b);
	assert_int_equal(a->child.state, CHILD_SA_FAILED);
	assert_int_equal(b->child.state, CHILD_SA_FAILED);
	assert_int_equal(a->child.failure, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(b->child.failure, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_false(timer_is_active(&a->child_rekey_timer));
	assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 0);
}

/* A wrong PSK: AUTHENTICATION_FAILED, both ends dead and counted. */
static void test_wrong_psk(void **state)
{
	struct ike_sa *a, *b;
	unsigned id;

	(void)state;
	pair_start(BASIC, BASIC);
	/* Node 1 reads another key. */
	iked_conf_wipe(&nodes[1].conf);
	unlink(nodes[1].psk_path);
	pair_node_init(1, "another secret", BASIC);
	id = pair_initiate(0);
	wire_deliver_all();
	a = pair_sa_id(0, id);
	b = pair_sa(1, IKE_SA_DEAD);
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_non_null(b);
	assert_string_equal(a->error, "responder: AUTHENTICATION_FAILED");
	assert_string_equal(b->error, "AUTH mismatch (wrong PSK?)");
	assert_int_equal(nodes[0].d.stats.bad_auth, 1);
	assert_int_equal(nodes[1].d.stats.bad_auth, 1);
	assert_int_equal(history_n, 4);
	assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 0);
}

/* RFC 7296 2.4: INITIAL_CONTACT in the peer's IKE_AUTH ends the SAs we
 * had with it. */
static void test_initial_contact(void **state)
{
	struct ike_sa *old, *b, *n;

	(void)state;
	pair_start(BASIC, BASIC);
	old = pair_establish(0, NULL);
	n = pair_establish(1, &b);
	assert_int_equal(old->state, IKE_SA_DEAD);
	assert_string_equal(old->error, "replaced: the peer sent INITIAL_CONTACT");
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_int_equal(pair_count(0, IKE_SA_ESTABLISHED), 1);
	pair_assert_child_agree(n, b);
}

/* Nothing comes back: the request goes out 5 times, 1, 2, 4 and 8 s
 * apart, and 16 s after the last the SA fails. */
static void test_retransmission_backoff(void **state)
{
	static const uint64_t at[] = {1000, 3000, 7000, 15000};
	uint8_t first[IKED_MAX_MSG];
	size_t first_len;
	struct ike_sa *a;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_sa_id(0, pair_initiate(0));
	first_len = wire[0].len;
	memcpy(first, wire[0].data, first_len);
	wire_drop_all();
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		assert_int_equal(timer_deadline_ms(&a->retransmit_timer), PAIR_T0 + at[k]);
		clock_sim_advance(PAIR_T0 + at[k] - 1 - clock_now_ms());
		assert_int_equal(wire_n, 0);
		clock_sim_advance(1);
		assert_int_equal(wire_n, 1);
		assert_int_equal(wire[0].len, first_len);
		assert_memory_equal(wire[0].data, first, first_len);
		wire_drop_all();
	}
	assert_int_equal(a->req.sends, IKED_RETRANSMIT_TRIES);
	assert_int_equal(timer_deadline_ms(&a->retransmit_timer), PAIR_T0 + 31000);
	clock_sim_advance(PAIR_T0 + 31000 - clock_now_ms());
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_string_equal(a->error, "peer not responding");
	assert_int_equal(nodes[0].d.stats.retransmits, 4);
	assert_int_equal(history_count(0, 0, IKEV2_EXCHANGE_IKE_SA_INIT, false), 5);
	assert_int_equal(wire_n, 0);
	clock_sim_advance(IKED_DEAD_LINGER_MS);
	assert_null(nodes[0].d.sas);
}

/* A lost IKE_AUTH request: its retransmission completes the SA. */
static void test_retransmission_recovers(void **state)
{
	struct ike_sa *a, *b;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_half_open(0, &b);
	assert_int_equal(wire_exchange(0), IKEV2_EXCHANGE_IKE_AUTH);
	wire_drop(0);
	clock_sim_advance(IKED_RETRANSMIT_MS);
	assert_int_equal(wire_n, 1);
	wire_deliver_all();
	b = pair_sa(1, IKE_SA_ESTABLISHED);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_non_null(b);
	pair_assert_child_agree(a, b);
	assert_false(timer_is_active(&a->retransmit_timer));
	assert_int_equal(nodes[0].d.stats.retransmits, 1);
}

/* RFC 7296 2.1: duplicated requests get the stored response again, byte
 * for byte; the duplicated responses find no request and are dropped. */
static void test_duplicate_requests(void **state)
{
	struct ike_sa *a;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_sa_id(0, pair_initiate(0));
	wire_duplicate(0);
	wire_deliver(0);
	wire_deliver(0);
	assert_int_equal(wire_n, 2);
	assert_true(wire_is_response(0) && wire_is_response(1));
	assert_int_equal(wire[0].len, wire[1].len);
	assert_memory_equal(wire[0].data, wire[1].data, wire[0].len);
	assert_int_equal(pair_count(1, IKE_SA_HALF_OPEN), 1);
	wire_deliver(0); /* IKE_AUTH goes out */
	wire_deliver(0); /* the duplicate: no request with message ID 0 now */
	assert_int_equal(nodes[0].d.stats.dropped, 1);
	assert_int_equal(a->state, IKE_SA_AUTH_SENT);
	assert_int_equal(wire_n, 1);
	wire_duplicate(0);
	wire_deliver(0);
	wire_deliver(0);
	assert_int_equal(wire_n, 2);
	assert_memory_equal(wire[0].data, wire[1].data, wire[0].len);
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(nodes[0].d.stats.dropped, 2);
	assert_int_equal(nodes[1].d.stats.ike_events[IKE_EV_AUTHENTICATED], 1);
	assert_int_equal(nodes[1].d.stats.child_events[CHILD_EV_INSTALLED], 1);
	assert_int_equal(pair_count(1, IKE_SA_ESTABLISHED), 1);
	assert_int_equal(history_count(0, 1, IKEV2_EXCHANGE_IKE_AUTH, true), 2);
}

/* A corrupted IKE_AUTH fails its integrity check: dropped, counted, the
 * responder unchanged; the retransmission gets through. */
static void test_corrupted_request(void **state)
{
	struct ike_sa *a, *b;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_half_open(0, &b);
	wire_corrupt(0, wire[0].len - 3); /* in the ICV */
	wire_deliver(0);
	assert_int_equal(b->state, IKE_SA_HALF_OPEN);
	assert_int_equal(b->peer_msg_id, 1);
	assert_int_equal(nodes[1].d.stats.bad_msg, 1);
	assert_int_equal(wire_n, 0);
	clock_sim_advance(IKED_RETRANSMIT_MS);
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	pair_assert_child_agree(a, b);
}

/* Advance time in slices, the wire emptied after each (delivered, or
 * lost). */
static void run(uint64_t ms, bool deliver)
{
	uint64_t end = clock_now_ms() + ms;

	while (clock_now_ms() < end) {
		clock_sim_advance(end - clock_now_ms() < 100 ? end - clock_now_ms() : 100);
		if (deliver)
			wire_deliver_all();
		else
			wire_drop_all();
	}
}

/* The responder of an IKE_SA_INIT that sees no IKE_AUTH gives the SA up
 * after 30 s; the initiator after its retransmissions. */
static void test_half_open_expiry(void **state)
{
	struct ike_sa *a, *b;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_half_open(0, &b);
	assert_int_equal(timer_deadline_ms(&b->half_open_timer),
	                 PAIR_T0 + IKED_HALF_OPEN_TIMEOUT_MS);
	run(IKED_HALF_OPEN_TIMEOUT_MS - 1, false);
	assert_int_equal(b->state, IKE_SA_HALF_OPEN);
	run(1, false);
	assert_int_equal(b->state, IKE_SA_DEAD);
	assert_string_equal(b->error, "no IKE_AUTH after IKE_SA_INIT");
	assert_int_equal(a->state, IKE_SA_AUTH_SENT);
	run(1000, false);
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_string_equal(a->error, "peer not responding");
	assert_int_equal(history_count(0, 0, IKEV2_EXCHANGE_IKE_AUTH, false), 5);
	run(IKED_DEAD_LINGER_MS, false);
	assert_null(nodes[0].d.sas);
	assert_null(nodes[1].d.sas);
}

/* RFC 7296 2.4: a liveness check only after dpd seconds without an
 * authenticated message; answered, the SA stays; unanswered, it fails. */
static void test_dpd(void **state)
{
	struct ike_sa *a, *b;
	unsigned since;
	uint64_t due;

	(void)state;
	pair_start(PAIR_PROFILE(" dpd 10\n"), PAIR_PROFILE(" dpd 10\n"));
	a = pair_establish(0, &b);
	assert_int_equal(timer_deadline_ms(&a->dpd_timer), a->last_rx_ms + 10000);
	assert_int_equal(timer_deadline_ms(&b->dpd_timer), b->last_rx_ms + 10000);
	/* Node 1 checks early (by hand): node 0 hears it and waits longer. */
	since = history_n;
	run(4000, true);
	ike_info_liveness(b);
	wire_deliver_all();
	assert_int_equal(a->last_rx_ms, clock_now_ms());
	assert_int_equal(timer_deadline_ms(&a->dpd_timer), clock_now_ms() + 10000);
	due = clock_now_ms() + 10000;
	run(due - 1 - clock_now_ms(), true);
	assert_int_equal(history_count(since, 0, IKEV2_EXCHANGE_INFORMATIONAL, false), 0);
	/* Idle for an interval: both check, both answer. */
	run(1, true);
	assert_int_equal(history_count(since, 0, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
	assert_int_equal(history_count(since, 1, IKEV2_EXCHANGE_INFORMATIONAL, true), 1);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	/* The peer goes: the next check goes unanswered and the SA fails. */
	since = history_n;
	due = timer_deadline_ms(&a->dpd_timer);
	run(due - clock_now_ms() + 30999, false);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	run(1, false);
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_string_equal(a->error, "peer not responding");
	assert_int_equal(history_count(since, 0, IKEV2_EXCHANGE_INFORMATIONAL, false),
	                 IKED_RETRANSMIT_TRIES);
	assert_int_equal(a->child.state, CHILD_SA_DELETED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_establish_both_roles, pair_teardown),
	    cmocka_unit_test_teardown(test_invalid_ke_retry, pair_teardown),
	    cmocka_unit_test_teardown(test_cookie_challenge, pair_teardown),
	    cmocka_unit_test_teardown(test_no_proposal_chosen, pair_teardown),
	    cmocka_unit_test_teardown(test_child_refused, pair_teardown),
	    cmocka_unit_test_teardown(test_wrong_psk, pair_teardown),
	    cmocka_unit_test_teardown(test_initial_contact, pair_teardown),
	    cmocka_unit_test_teardown(test_retransmission_backoff, pair_teardown),
	    cmocka_unit_test_teardown(test_retransmission_recovers, pair_teardown),
	    cmocka_unit_test_teardown(test_duplicate_requests, pair_teardown),
	    cmocka_unit_test_teardown(test_corrupted_request, pair_teardown),
	    cmocka_unit_test_teardown(test_half_open_expiry, pair_teardown),
	    cmocka_unit_test_teardown(test_dpd, pair_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
