/*
 * Two ikeds (tests/unit/ike_pair.h) rekey and delete on the simulated
 * clock: the IKE SA and the CHILD_SA rekeyed at their deadlines, a rekey
 * that falls due while another request is out, crossing CHILD_SA rekeys
 * (RFC 7296 2.8.1) and crossing IKE SA rekeys (2.8.2), with the survivor
 * the rules name and both ends agreeing on its SPIs and keys, and deletes
 * of the CHILD_SA and of the IKE SA in both directions.
 */
#include "tests/unit/ike_pair.h"

#define BASIC PAIR_PROFILE("")

/* RFC 7296 2.8: compare the lower nonce of each exchange. */
static bool lowest_first(const uint8_t *a1, const uint8_t *a2, const uint8_t *b1, const uint8_t *b2)
{
	const uint8_t *a = memcmp(a1, a2, IKED_NONCE_LEN) < 0 ? a1 : a2;
	const uint8_t *b = memcmp(b1, b2, IKED_NONCE_LEN) < 0 ? b1 : b2;

	return memcmp(a, b, IKED_NONCE_LEN) < 0;
}

/* Node 0's IKE lifetime is the shorter: its rekey timer fires first, at
 * established + rekey_after, not a millisecond before. */
static void test_ike_rekey_at_deadline(void **state)
{
	struct ike_sa *a, *b, *n0, *n1;
	uint32_t child_in;
	uint64_t due;

	(void)state;
	pair_start(PAIR_PROFILE(" lifetime ike 1000\n"), BASIC);
	a = pair_establish(0, &b);
	child_in = a->child.spi_in;
	due = a->established_ms + a->rekey_after_ms;
	assert_int_equal(timer_deadline_ms(&a->rekey_timer), due);
	assert_between(a->rekey_after_ms, 855000, 945000);
	clock_sim_advance(due - 1 - clock_now_ms());
	assert_int_equal(wire_n, 0);
	clock_sim_advance(1);
	assert_int_equal(wire_n, 1);
	assert_int_equal(wire_exchange(0), IKEV2_EXCHANGE_CREATE_CHILD_SA);
	assert_int_equal(a->state, IKE_SA_REKEYING);
	assert_int_equal(a->req.kind, IKE_REQ_REKEY_IKE);
	wire_deliver_all();
	/* The old SAs are gone (the rekey's initiator deleted them); the new
	 * ones agree, with the CHILD_SA moved over unchanged. */
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_string_equal(a->error, "deleted");
	assert_int_equal(b->state, IKE_SA_DEAD);
	assert_string_equal(b->error, "deleted by the peer");
	n0 = pair_sa(0, IKE_SA_ESTABLISHED);
	n1 = pair_sa(1, IKE_SA_ESTABLISHED);
	assert_non_null(n0);
	assert_non_null(n1);
	assert_int_equal(a->replaced_by, n0->id);
	assert_int_equal(b->replaced_by, n1->id);
	assert_true(n0->initiator && !n1->initiator);
	assert_true(n0->ispi != a->ispi && n0->rspi != a->rspi);
	pair_assert_ike_agree(n0, n1);
	pair_assert_child_agree(n0, n1);
	assert_int_equal(n0->child.spi_in, child_in);
	assert_int_equal(n0->rekeys, 1);
	assert_int_equal(n1->rekeys, 1);
	assert_int_equal(a->child.state, CHILD_SA_NONE);
	/* What each end went through. */
	assert_int_equal(nodes[0].d.stats.ike_events[IKE_EV_REKEY_SENT], 1);
	assert_int_equal(nodes[0].d.stats.ike_events[IKE_EV_REKEY_DONE], 1);
	assert_int_equal(nodes[0].d.stats.ike_events[IKE_EV_DELETE_SENT], 1);
	assert_int_equal(nodes[1].d.stats.ike_events[IKE_EV_REPLACED], 1);
	assert_int_equal(nodes[1].d.stats.ike_events[IKE_EV_REKEYED_IN], 1);
	assert_int_equal(nodes[0].d.stats.child_events[CHILD_EV_MOVED], 1);
	assert_int_equal(nodes[1].d.stats.child_events[CHILD_EV_ADOPTED], 1);
	/* The new SA's timers: its own rekey deadline, the child's as before. */
	assert_int_equal(timer_deadline_ms(&n0->rekey_timer),
	                 n0->established_ms + n0->rekey_after_ms);
	assert_int_equal(timer_deadline_ms(&n0->child_rekey_timer),
	                 n0->child.established_ms + n0->child.rekey_after_ms);
	assert_false(timer_is_active(&a->rekey_timer));
	assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
}

/* The CHILD_SA's rekey at its deadline: new SPIs and keys on both ends,
 * the old pair deleted by the rekey's initiator. */
static void test_child_rekey_at_deadline(void **state)
{
	struct ike_sa *a, *b;
	uint32_t old_in, old_out;
	unsigned since;
	uint64_t due;

	(void)state;
	pair_start(PAIR_PROFILE(" lifetime child 600\n"), BASIC);
	a = pair_establish(0, &b);
	old_in = a->child.spi_in;
	old_out = a->child.spi_out;
	due = a->child.established_ms + a->child.rekey_after_ms;
	assert_int_equal(timer_deadline_ms(&a->child_rekey_timer), due);
	assert_between(a->child.rekey_after_ms, 513000, 567000);
	clock_sim_advance(due - 1 - clock_now_ms());
	assert_int_equal(wire_n, 0);
	since = history_n;
	clock_sim_advance(1);
	assert_int_equal(wire_n, 1);
	assert_int_equal(a->child.state, CHILD_SA_REKEYING);
	assert_int_equal(a->req.kind, IKE_REQ_REKEY_CHILD);
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(a->child.state, CHILD_SA_INSTALLED);
	assert_true(a->child.spi_in != old_in && a->child.spi_out != old_out);
	pair_assert_child_agree(a, b);
	assert_int_equal(a->rekeys, 1);
	assert_int_equal(b->rekeys, 1);
	/* The old pair: deleted by node 0, answered from node 1's retired. */
	assert_int_equal(history_count(since, 0, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
	assert_int_equal(history_count(since, 1, IKEV2_EXCHANGE_INFORMATIONAL, true), 1);
	assert_int_equal(b->nretired, 0);
	assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
	assert_int_equal(timer_deadline_ms(&a->child_rekey_timer),
	                 a->child.established_ms + a->child.rekey_after_ms);
	assert_true(a->child.established_ms >= due);
}

/* A rekey due while another request is out waits (a window of one, RFC
 * 7296 2.3) and is tried again about 10 s later. */
static void test_rekey_waits_for_the_window(void **state)
{
	struct ike_sa *a;
	uint64_t due, retry;

	(void)state;
	pair_start(PAIR_PROFILE(" lifetime child 600\n"), BASIC);
	a = pair_establish(0, NULL);
	due = a->child.established_ms + a->child.rekey_after_ms;
	clock_sim_advance(due - 1 - clock_now_ms());
	ike_info_liveness(a); /* held on the wire */
	assert_int_equal(a->req.kind, IKE_REQ_LIVENESS);
	clock_sim_advance(1);
	assert_int_equal(wire_n, 1);
	assert_int_equal(a->child.state, CHILD_SA_INSTALLED);
	retry = timer_deadline_ms(&a->child_rekey_timer);
	assert_between(retry, due + IKED_REKEY_RETRY_MS * 8 / 10,
	               due + IKED_REKEY_RETRY_MS * 12 / 10);
	wire_deliver_all();
	assert_false(ike_request_busy(a));
	clock_sim_advance(retry - clock_now_ms());
	assert_int_equal(wire_n, 1);
	assert_int_equal(wire_exchange(0), IKEV2_EXCHANGE_CREATE_CHILD_SA);
	assert_int_equal(a->child.state, CHILD_SA_REKEYING);
	wire_deliver_all();
	assert_int_equal(a->child.state, CHILD_SA_INSTALLED);
	assert_int_equal(a->rekeys, 1);
}

/* RFC 7296 2.8.1: both ends rekey the CHILD_SA at once. Each answers the
 * other's request while its own is out; of the two new pairs, the one
 * made with the lowest of the four nonces goes. Run until both outcomes
 * were seen, delivering the two requests in either order. */
static void test_crossing_child_rekeys(void **state)
{
	bool seen[2] = {false, false};

	(void)state;
	for (int run = 0; run < 64 && !(seen[0] && seen[1]); run++) {
		uint8_t ni_a[IKED_NONCE_LEN], nr_a[IKED_NONCE_LEN];
		uint8_t ni_b[IKED_NONCE_LEN], nr_b[IKED_NONCE_LEN];
		uint32_t a0, a1, b0, b1;
		struct ike_sa *a, *b;
		unsigned since;
		bool a_goes;

		pair_start(BASIC, BASIC);
		a = pair_establish(0, &b);
		since = history_n;
		assert_int_equal(ike_rekey_child_start(a), 0); /* exchange A */
		assert_int_equal(ike_rekey_child_start(b), 0); /* exchange B */
		if (run % 2)
			wire_swap(0, 1);
		wire_deliver(0);
		wire_deliver(0);
		/* Both requests answered, both answers on the wire: each end
		 * runs the pair the peer's exchange made, and its own request
		 * remembers the crossing. */
		assert_int_equal(wire_n, 2);
		assert_true(wire_is_response(0) && wire_is_response(1));
		assert_true(a->req.rekey.crossing.seen && b->req.rekey.crossing.seen);
		memcpy(ni_a, a->req.rekey.nonce, IKED_NONCE_LEN);
		memcpy(nr_a, b->req.rekey.crossing.nr, IKED_NONCE_LEN);
		memcpy(ni_b, b->req.rekey.nonce, IKED_NONCE_LEN);
		memcpy(nr_b, a->req.rekey.crossing.nr, IKED_NONCE_LEN);
		a0 = (uint32_t)a->req.rekey.spi; /* A's pair: node 0's SPI... */
		a1 = b->child.spi_in;            /* ...node 1's (it answered A) */
		b1 = (uint32_t)b->req.rekey.spi;
		b0 = a->child.spi_in;
		a_goes = lowest_first(ni_a, nr_a, ni_b, nr_b);
		wire_deliver_all();
		pair_assert_child_agree(a, b);
		assert_int_equal(a->child.state, CHILD_SA_INSTALLED);
		assert_int_equal(a->child.spi_in, a_goes ? b0 : a0);
		assert_int_equal(a->child.spi_out, a_goes ? b1 : a1);
		assert_int_equal(a->crossed_rekeys, 1);
		assert_int_equal(b->crossed_rekeys, 1);
		/* Each end deleted one pair (its redundant one, or the original)
		 * and nothing waits for a Delete any more. */
		assert_int_equal(history_count(since, 0, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
		assert_int_equal(history_count(since, 1, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
		assert_int_equal(a->nretired, 0);
		assert_int_equal(b->nretired, 0);
		assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
		assert_int_equal(a->state, IKE_SA_ESTABLISHED);
		assert_int_equal(b->state, IKE_SA_ESTABLISHED);
		seen[a_goes] = true;
		pair_stop();
	}
	assert_true(seen[0] && seen[1]);
}

/* RFC 7296 2.8.2: both ends rekey the IKE SA at once; the new IKE SA made
 * with the lowest of the four nonces is deleted by the end that made it,
 * the old one by the survivor's initiator; one IKE SA is left on each
 * end, the same, with the CHILD_SA. */
static void test_crossing_ike_rekeys(void **state)
{
	bool seen[2] = {false, false};

	(void)state;
	for (int run = 0; run < 64 && !(seen[0] && seen[1]); run++) {
		struct ike_sa *a, *b, *m0, *m1, *s0, *s1;
		uint64_t ispi_a, rspi_a, ispi_b, rspi_b;
		uint32_t child_in;
		bool a_goes;

		pair_start(BASIC, BASIC);
		a = pair_establish(0, &b);
		child_in = a->child.spi_in;
		assert_int_equal(ike_rekey_ike_start(a), 0); /* exchange A */
		assert_int_equal(ike_rekey_ike_start(b), 0); /* exchange B */
		if (run % 2)
			wire_swap(0, 1);
		wire_deliver(0);
		wire_deliver(0);
		/* Each end answered the other's rekey: replaced by it, with ours
		 * still out. */
		assert_int_equal(a->state, IKE_SA_REPLACED);
		assert_int_equal(b->state, IKE_SA_REPLACED);
		assert_int_equal(a->req.kind, IKE_REQ_REKEY_IKE);
		m0 = pair_sa_id(0, a->req.rekey.crossing.made_id); /* from B */
		m1 = pair_sa_id(1, b->req.rekey.crossing.made_id); /* from A */
		assert_non_null(m0);
		assert_non_null(m1);
		ispi_a = a->req.rekey.spi;
		rspi_a = m1->rspi;
		ispi_b = b->req.rekey.spi;
		rspi_b = m0->rspi;
		a_goes = lowest_first(a->req.rekey.nonce, m1->nr, b->req.rekey.nonce, m0->nr);
		wire_deliver_all();
		assert_int_equal(pair_count(0, IKE_SA_ESTABLISHED), 1);
		assert_int_equal(pair_count(1, IKE_SA_ESTABLISHED), 1);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(pair_count(i, IKE_SA_REPLACED), 0);
			assert_int_equal(pair_count(i, IKE_SA_DELETING), 0);
			assert_int_equal(pair_count(i, IKE_SA_REKEYING), 0);
		}
		s0 = pair_sa(0, IKE_SA_ESTABLISHED);
		s1 = pair_sa(1, IKE_SA_ESTABLISHED);
		assert_true(s0->ispi == (a_goes ? ispi_b : ispi_a));
		assert_true(s0->rspi == (a_goes ? rspi_b : rspi_a));
		pair_assert_ike_agree(s0, s1);
		pair_assert_child_agree(s0, s1);
		assert_int_equal(s0->child.spi_in, child_in);
		assert_int_equal(a->state, IKE_SA_DEAD);
		assert_int_equal(b->state, IKE_SA_DEAD);
		assert_int_equal(a->crossed_rekeys, 1);
		assert_int_equal(b->crossed_rekeys, 1);
		assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
		seen[a_goes] = true;
		pair_stop();
	}
	assert_true(seen[0] && seen[1]);
}

/* RFC 7296 2.25.2: a CHILD_SA rekey that meets our IKE SA rekey is
 * refused with TEMPORARY_FAILURE; the CHILD_SA moves to the new IKE SA,
 * its rekey still due, and it is rekeyed there. */
static void test_child_rekey_meets_ike_rekey(void **state)
{
	struct ike_sa *a, *b, *n0, *n1;
	uint32_t child_in;
	uint64_t due;

	(void)state;
	pair_start(BASIC, PAIR_PROFILE(" lifetime child 600\n"));
	a = pair_establish(0, &b);
	child_in = a->child.spi_in;
	due = b->child.established_ms + b->child.rekey_after_ms;
	clock_sim_advance(due - 1 - clock_now_ms());
	assert_int_equal(ike_rekey_ike_start(a), 0);
	clock_sim_advance(1);
	assert_int_equal(wire_n, 2);
	assert_int_equal(b->child.state, CHILD_SA_REKEYING);
	wire_deliver(1); /* node 1's CHILD_SA rekey reaches node 0 first */
	assert_int_equal(wire_n, 2);
	assert_int_equal(nodes[0].d.stats.exchange_rows[ike_exchange_row(
	                     IKE_SA_REKEYING, IKEV2_EXCHANGE_CREATE_CHILD_SA, false)],
	                 1);
	assert_int_equal(a->state, IKE_SA_REKEYING);
	assert_int_equal(a->child.spi_in, child_in);
	wire_deliver_all();
	assert_int_equal(b->state, IKE_SA_DEAD);
	n0 = pair_sa(0, IKE_SA_ESTABLISHED);
	n1 = pair_sa(1, IKE_SA_ESTABLISHED);
	pair_assert_ike_agree(n0, n1);
	pair_assert_child_agree(n0, n1);
	assert_int_equal(n1->child.spi_out, child_in);
	/* Still due on the new IKE SA: rekeyed at the next tick. */
	assert_int_equal(timer_deadline_ms(&n1->child_rekey_timer), due);
	clock_sim_advance(1);
	assert_int_equal(wire_n, 1);
	wire_deliver_all();
	pair_assert_child_agree(n0, n1);
	assert_true(n0->child.spi_in != child_in);
	assert_int_equal(n1->rekeys, 2);
	assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
}

/* The peer answers our CHILD_SA rekey, then rekeys the IKE SA, and the
 * two arrive reordered: the CHILD_SA has moved to the new IKE SA when our
 * answer comes, and the rekey applies there, on both ends alike. */
static void test_child_rekey_answer_overtaken(void **state)
{
	struct ike_sa *a, *b, *n0, *n1;
	uint32_t child_in;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_establish(0, &b);
	child_in = a->child.spi_in;
	assert_int_equal(ike_rekey_child_start(a), 0);
	wire_deliver(0);
	assert_int_equal(ike_rekey_ike_start(b), 0);
	assert_int_equal(wire_n, 2);
	wire_swap(0, 1);
	wire_deliver(0); /* the IKE SA rekey first: node 0's SA is replaced */
	assert_int_equal(a->state, IKE_SA_REPLACED);
	n0 = pair_sa(0, IKE_SA_ESTABLISHED);
	assert_int_equal(n0->child.spi_in, child_in);
	wire_deliver_all();
	n1 = pair_sa(1, IKE_SA_ESTABLISHED);
	assert_int_equal(pair_count(0, IKE_SA_ESTABLISHED), 1);
	assert_int_equal(pair_count(1, IKE_SA_ESTABLISHED), 1);
	pair_assert_ike_agree(n0, n1);
	pair_assert_child_agree(n0, n1);
	assert_true(n0->child.spi_in != child_in);
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 2);
}

/* The IKE SA deleted by either end, and by both at once (RFC 7296 1.4.1):
 * dead on both, its CHILD_SA with it. */
static void test_delete_ike(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct ike_sa *a, *b;

		pair_start(BASIC, BASIC);
		a = pair_establish(0, &b);
		if (i != 1)
			ike_sa_delete(a);
		if (i != 0)
			ike_sa_delete(b);
		if (i != 1)
			assert_int_equal(a->state, IKE_SA_DELETING);
		wire_deliver_all();
		assert_int_equal(a->state, IKE_SA_DEAD);
		assert_int_equal(b->state, IKE_SA_DEAD);
		if (i == 0) {
			assert_string_equal(a->error, "deleted");
			assert_string_equal(b->error, "deleted by the peer");
		} else if (i == 1) {
			assert_string_equal(a->error, "deleted by the peer");
			assert_string_equal(b->error, "deleted");
		} else { /* each got the other's Delete first */
			assert_string_equal(a->error, "deleted by the peer");
			assert_string_equal(b->error, "deleted by the peer");
		}
		assert_int_equal(a->child.state, CHILD_SA_DELETED);
		assert_int_equal(b->child.state, CHILD_SA_DELETED);
		assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 0);
		assert_int_equal(nodes[0].d.stats.child_events[CHILD_EV_DELETED], 1);
		pair_stop();
	}
}

/* One end deletes the CHILD_SA: both ends' go, the IKE SA stays, and a
 * later rekey of it finds nothing (CHILD_SA_NOT_FOUND is not needed: it
 * cannot start). */
static void test_delete_child(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct ike_sa *sa[2];
		unsigned since;

		pair_start(BASIC, BASIC);
		sa[0] = pair_establish(0, &sa[1]);
		since = history_n;
		ike_info_delete_child(sa[i], sa[i]->child.spi_in);
		assert_int_equal(sa[i]->child.state, CHILD_SA_DELETED);
		wire_deliver_all();
		assert_int_equal(sa[!i]->child.state, CHILD_SA_DELETED);
		assert_int_equal(history_count(since, i, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
		assert_int_equal(history_count(since, !i, IKEV2_EXCHANGE_INFORMATIONAL, true), 1);
		assert_int_equal(sa[0]->state, IKE_SA_ESTABLISHED);
		assert_int_equal(sa[1]->state, IKE_SA_ESTABLISHED);
		assert_false(timer_is_active(&sa[0]->child_rekey_timer));
		assert_int_equal(ike_rekey_child_start(sa[0]), -1);
		assert_int_equal(dp_esp_sa_count(DP_BACKEND_USERSPACE), 0);
		pair_stop();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_ike_rekey_at_deadline, pair_teardown),
	    cmocka_unit_test_teardown(test_child_rekey_at_deadline, pair_teardown),
	    cmocka_unit_test_teardown(test_rekey_waits_for_the_window, pair_teardown),
	    cmocka_unit_test_teardown(test_crossing_child_rekeys, pair_teardown),
	    cmocka_unit_test_teardown(test_crossing_ike_rekeys, pair_teardown),
	    cmocka_unit_test_teardown(test_child_rekey_meets_ike_rekey, pair_teardown),
	    cmocka_unit_test_teardown(test_child_rekey_answer_overtaken, pair_teardown),
	    cmocka_unit_test_teardown(test_delete_ike, pair_teardown),
	    cmocka_unit_test_teardown(test_delete_child, pair_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
