/*
 * The exchange table of iked/ike_exchange.c, row by row, with two ikeds
 * (tests/unit/ike_pair.h) on the simulated clock: every (IKE SA state,
 * exchange type, request or response) the table handles is driven here,
 * and what it refuses is refused without a trace on the SA: a response of
 * the wrong exchange type leaves the outstanding request and its
 * retransmission timer as they were (the bug this table was made for: an
 * INFORMATIONAL or CREATE_CHILD_SA "answer" to IKE_AUTH used to free the
 * request and stop its timer, leaving the SA stuck).
 *
 * Rows (node 0 receiving), and the tests that drive them:
 *
 *   HALF_OPEN    IKE_AUTH         request   test_answers_in_every_state
 *   ESTABLISHED  CREATE_CHILD_SA  request   test_requests_in_up_states, _answers_
 *   REKEYING     CREATE_CHILD_SA  request   test_requests_in_up_states, _answers_
 *   REPLACED     CREATE_CHILD_SA  request   test_requests_in_up_states
 *   DELETING     CREATE_CHILD_SA  request   test_requests_in_up_states
 *   ESTABLISHED  INFORMATIONAL    request   test_requests_in_up_states, _answers_
 *   REKEYING     INFORMATIONAL    request   test_requests_in_up_states, _answers_
 *   REPLACED     INFORMATIONAL    request   test_requests_in_up_states, _answers_
 *   DELETING     INFORMATIONAL    request   test_requests_in_up_states
 *   ESTABLISHED  (unknown)        request   test_requests_in_up_states
 *   REKEYING     (unknown)        request   test_requests_in_up_states
 *   REPLACED     (unknown)        request   test_requests_in_up_states
 *   DELETING     (unknown)        request   test_requests_in_up_states
 *   INIT_SENT    IKE_SA_INIT      response  test_answers_in_every_state
 *   AUTH_SENT    IKE_AUTH         response  test_answers_in_every_state
 *   ESTABLISHED  CREATE_CHILD_SA  response  test_answers_in_every_state
 *   REKEYING     CREATE_CHILD_SA  response  test_answers_in_every_state
 *   REPLACED     CREATE_CHILD_SA  response  test_answers_in_every_state
 *   ESTABLISHED  INFORMATIONAL    response  test_answers_in_every_state
 *   REPLACED     INFORMATIONAL    response  test_answers_in_every_state
 *   DELETING     INFORMATIONAL    response  test_answers_in_every_state
 *
 * Refused (every other cell): a response of another exchange than our
 * request's, for every request kind (test_wrong_exchange_answers, and
 * test_auth_sent_refuses_wrong_exchange_answers for the regression);
 * requests before the SA is up and IKE_AUTH after
 * (test_requests_in_the_wrong_state). test_every_row_exercised, last,
 * checks from iked's own per-row counters that each row above was used.
 */
#include "tests/unit/ike_pair.h"

#define BASIC            PAIR_PROFILE("")
#define EXCHANGE_UNKNOWN 40 /* not an exchange type of RFC 7296 3.1 */

static uint64_t rows_hit[IKE_EXCHANGE_ROWS];

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++)
		for (unsigned r = 0; r < IKE_EXCHANGE_ROWS; r++)
			rows_hit[r] += nodes[i].d.stats.exchange_rows[r];
	pair_stop();
	return 0;
}

static uint64_t row_hits(int node, enum ike_sa_state st, uint8_t exchange, bool response)
{
	int r = ike_exchange_row(st, exchange, response);

	assert_true(r >= 0);
	return nodes[node].d.stats.exchange_rows[r];
}

/* A message sealed by sa (the sending end of the SA) from node `from`. */
static void forge(struct ike_sa *sa, int from, uint8_t exchange, bool response, uint32_t msg_id)
{
	uint8_t inner[64], out[IKED_MAX_MSG];
	struct ikev2_builder b;
	size_t n;

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	n = ike_sa_seal(sa, exchange, response, msg_id, &b, out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(
	    wire_send(&nodes[from].d, &nodes[from].addr, &nodes[!from].addr, 500, out, n), 0);
}

/* A message in the clear (no keys yet): the header and one notify. */
static void forge_plain(int from, uint64_t ispi, uint8_t exchange, uint8_t flags, uint32_t msg_id)
{
	struct ikev2_header h = {
	    .ispi = ispi, .exchange = exchange, .flags = flags, .msg_id = msg_id};
	struct ikev2_builder b;
	uint8_t out[128];
	size_t n;

	ikev2_build_init(&b, out, sizeof(out), &h);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
	n = ikev2_build_finish(&b);
	assert_true(n > 0);
	assert_int_equal(
	    wire_send(&nodes[from].d, &nodes[from].addr, &nodes[!from].addr, 500, out, n), 0);
}

/* What a refused message must not change. */
struct snapshot {
	enum ike_sa_state state;
	enum ike_request_kind kind;
	uint32_t msg_id, peer_msg_id;
	unsigned sends;
	bool armed;
	uint64_t deadline;
};

static struct snapshot snapshot(const struct ike_sa *sa)
{
	return (struct snapshot){sa->state,
	                         sa->req.kind,
	                         sa->req.msg_id,
	                         sa->peer_msg_id,
	                         sa->req.sends,
	                         timer_is_active(&sa->retransmit_timer),
	                         timer_deadline_ms(&sa->retransmit_timer)};
}

static void assert_unchanged(const struct ike_sa *sa, const struct snapshot *s)
{
	struct snapshot now = snapshot(sa);

	assert_int_equal(now.state, s->state);
	assert_int_equal(now.kind, s->kind);
	assert_int_equal(now.msg_id, s->msg_id);
	assert_int_equal(now.peer_msg_id, s->peer_msg_id);
	assert_int_equal(now.sends, s->sends);
	assert_int_equal(now.armed, s->armed);
	assert_int_equal(now.deadline, s->deadline);
	assert_non_null(sa->req.kind == IKE_REQ_NONE ? (void *)1 : sa->req.msg);
}

/* Deliver the last message on the wire to node 0; it must be refused:
 * counted, nothing answered, the SA as it was. */
static void deliver_refused(struct ike_sa *a)
{
	struct snapshot s = snapshot(a);
	uint64_t refused = nodes[0].d.stats.refused;
	unsigned n = wire_n;

	wire_deliver(wire_n - 1);
	assert_int_equal(nodes[0].d.stats.refused, refused + 1);
	assert_int_equal(wire_n, n - 1);
	assert_unchanged(a, &s);
}

/* The regression: node 0 waits for the IKE_AUTH answer; an INFORMATIONAL
 * and a CREATE_CHILD_SA "answer" with its message ID, correctly sealed,
 * are refused, and the IKE_AUTH retransmission still comes on time. */
static void test_auth_sent_refuses_wrong_exchange_answers(void **state)
{
	struct ike_sa *a, *b;
	uint64_t deadline;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_half_open(0, &b);
	wire_drop(0); /* the IKE_AUTH request is lost */
	deadline = timer_deadline_ms(&a->retransmit_timer);
	forge(b, 1, IKEV2_EXCHANGE_INFORMATIONAL, true, a->req.msg_id);
	deliver_refused(a);
	forge(b, 1, IKEV2_EXCHANGE_CREATE_CHILD_SA, true, a->req.msg_id);
	deliver_refused(a);
	assert_int_equal(a->req.kind, IKE_REQ_AUTH);
	assert_true(timer_is_active(&a->retransmit_timer));
	assert_int_equal(timer_deadline_ms(&a->retransmit_timer), deadline);
	assert_int_equal(nodes[0].d.stats.refused, 2);
	assert_int_equal(nodes[0].d.stats.dropped, 2);
	clock_sim_advance(deadline - clock_now_ms());
	assert_int_equal(wire_n, 1);
	assert_int_equal(wire_exchange(0), IKEV2_EXCHANGE_IKE_AUTH);
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	pair_assert_child_agree(a, pair_sa(1, IKE_SA_ESTABLISHED));
}

/* Node 0 with a request of kind k out (lost on the wire); *b: node 1's
 * end of the SA, NULL before it has one. */
static struct ike_sa *with_request(enum ike_request_kind k, struct ike_sa **b)
{
	struct ike_sa *a;

	*b = NULL;
	if (k == IKE_REQ_SA_INIT) {
		a = pair_sa_id(0, pair_initiate(0));
	} else if (k == IKE_REQ_AUTH) {
		a = pair_half_open(0, b);
	} else {
		a = pair_establish(0, b);
		switch (k) {
		case IKE_REQ_REKEY_IKE:
			assert_int_equal(ike_rekey_ike_start(a), 0);
			break;
		case IKE_REQ_REKEY_CHILD:
			assert_int_equal(ike_rekey_child_start(a), 0);
			break;
		case IKE_REQ_DELETE_CHILD:
			ike_info_delete_child(a, a->child.spi_in);
			break;
		case IKE_REQ_DELETE_IKE:
			ike_sa_delete(a);
			break;
		default:
			ike_info_liveness(a);
			break;
		}
	}
	assert_int_equal(a->req.kind, k);
	wire_drop_all();
	return a;
}

/* For every kind of request: an answer of any other exchange type (an
 * unknown one too) is refused, the request and its timer untouched; one
 * of the right type with another message ID answers nothing either. */
static void test_wrong_exchange_answers(void **state)
{
	static const uint8_t exchanges[] = {IKEV2_EXCHANGE_IKE_SA_INIT, IKEV2_EXCHANGE_IKE_AUTH,
	                                    IKEV2_EXCHANGE_CREATE_CHILD_SA,
	                                    IKEV2_EXCHANGE_INFORMATIONAL, EXCHANGE_UNKNOWN};

	(void)state;
	for (int k = IKE_REQ_SA_INIT; k < IKE_REQ__COUNT; k++) {
		struct ike_sa *a, *b;
		struct snapshot s;
		uint64_t dropped;

		pair_start(BASIC, BASIC);
		a = with_request((enum ike_request_kind)k, &b);
		for (size_t e = 0; e < sizeof(exchanges); e++) {
			if (exchanges[e] == ike_request_exchange((enum ike_request_kind)k))
				continue;
			if (b)
				forge(b, 1, exchanges[e], true, a->req.msg_id);
			else /* no keys yet: the refusal comes before any decryption */
				forge_plain(1, a->ispi, exchanges[e], IKEV2_FLAG_RESPONSE,
				            a->req.msg_id);
			deliver_refused(a);
		}
		if (b) {
			s = snapshot(a);
			dropped = nodes[0].d.stats.dropped;
			forge(b, 1, ike_request_exchange((enum ike_request_kind)k), true,
			      a->req.msg_id + 1);
			wire_deliver(0);
			assert_int_equal(nodes[0].d.stats.dropped, dropped + 1);
			assert_unchanged(a, &s);
		}
		/* The request still goes out again at its deadline. */
		clock_sim_advance(timer_deadline_ms(&a->retransmit_timer) - clock_now_ms());
		assert_int_equal(wire_n, 1);
		assert_int_equal(wire_exchange(0), ike_request_exchange((enum ike_request_kind)k));
		assert_int_equal(a->req.sends, 2);
		pair_stop();
	}
}

/* Requests the table has no row for: before the SA is up (only IKE_AUTH,
 * RFC 7296 1.2), and IKE_AUTH after. Refused before decryption, the
 * message ID not taken, nothing answered; the real exchange then works. */
static void test_requests_in_the_wrong_state(void **state)
{
	static const uint8_t before_auth[] = {IKEV2_EXCHANGE_CREATE_CHILD_SA,
	                                      IKEV2_EXCHANGE_INFORMATIONAL, EXCHANGE_UNKNOWN};
	struct ike_sa *a, *b;

	(void)state;
	pair_start(BASIC, BASIC);
	a = pair_sa_id(0, pair_initiate(0));
	/* INIT_SENT: no keys; a request from the responder's side. */
	forge_plain(1, a->ispi, IKEV2_EXCHANGE_IKE_AUTH, 0, 0);
	deliver_refused(a);
	wire_deliver(0);
	wire_deliver(0);
	b = pair_sa(1, IKE_SA_HALF_OPEN);
	/* HALF_OPEN (node 1): the initiator's requests other than IKE_AUTH,
	 * under the IKE_AUTH request's message ID. */
	for (size_t e = 0; e < sizeof(before_auth); e++) {
		struct snapshot s = snapshot(b);
		uint64_t refused = nodes[1].d.stats.refused;

		forge(a, 0, before_auth[e], false, 1);
		wire_deliver(wire_n - 1);
		assert_int_equal(nodes[1].d.stats.refused, refused + 1);
		assert_int_equal(wire_n, 1);
		assert_int_equal(b->peer_msg_id, 1);
		assert_int_equal(snapshot(b).state, s.state);
	}
	/* AUTH_SENT (node 0): the responder's requests, IKE_AUTH included. */
	for (size_t e = 0; e < sizeof(before_auth); e++) {
		forge(b, 1, before_auth[e], false, 0);
		deliver_refused(a);
	}
	forge(b, 1, IKEV2_EXCHANGE_IKE_AUTH, false, 0);
	deliver_refused(a);
	/* The IKE_AUTH request, held all along, still completes the SA. */
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	/* ESTABLISHED: IKE_AUTH again is refused. */
	forge(b, 1, IKEV2_EXCHANGE_IKE_AUTH, false, a->peer_msg_id);
	deliver_refused(a);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(nodes[0].d.stats.refused, 6);
	assert_int_equal(nodes[1].d.stats.refused, 3);
}

/* Node 0's SA put in an up state st (another request out or held); *b:
 * node 1's end. */
static struct ike_sa *in_state(enum ike_sa_state st, struct ike_sa **b)
{
	struct ike_sa *a = pair_establish(0, b);

	if (st == IKE_SA_REKEYING)
		assert_int_equal(ike_rekey_ike_start(a), 0);
	if (st == IKE_SA_REPLACED) {
		assert_int_equal(ike_rekey_ike_start(*b), 0);
		wire_deliver(0);
	}
	if (st == IKE_SA_DELETING)
		ike_sa_delete(a);
	assert_int_equal(a->state, st);
	return a;
}

/* Node 1's request of exchange ex reaches node 0's SA in state st; node
 * 0's answer is decrypted into m (plain holds its payloads). */
static void request_in_state(enum ike_sa_state st, uint8_t ex, struct ike_sa **pa,
                             struct ikev2_msg *m, uint8_t *plain, size_t cap)
{
	struct ike_sa *a, *b;
	uint32_t msg_id;
	unsigned k;

	a = in_state(st, &b);
	msg_id = b->next_msg_id;
	if (ex == IKEV2_EXCHANGE_CREATE_CHILD_SA && !ike_request_busy(b))
		assert_int_equal(ike_rekey_child_start(b), 0); /* a real one */
	else
		forge(b, 1, ex, false, b->next_msg_id++);
	assert_int_equal(a->peer_msg_id, msg_id);
	wire_deliver(wire_n - 1);
	k = wire_n - 1;
	assert_int_equal(wire[k].from, 0);
	assert_true(wire_is_response(k));
	assert_int_equal(wire_exchange(k), ex);
	assert_int_equal(wire_msg_id(k), msg_id);
	pair_open(b, k, m, plain, cap);
	assert_int_equal(row_hits(0, st, ex, false), 1);
	*pa = a;
}

/* Every request row of an up SA: the peer's CHILD_SA rekey (done when
 * established; TEMPORARY_FAILURE while rekeying the IKE SA, replaced or
 * deleting, RFC 7296 2.25), INFORMATIONAL (answered, empty), and an
 * unknown exchange (answered NO_ADDITIONAL_SAS). */
static void test_requests_in_up_states(void **state)
{
	static const enum ike_sa_state states[] = {IKE_SA_ESTABLISHED, IKE_SA_REKEYING,
	                                           IKE_SA_REPLACED, IKE_SA_DELETING};
	static const uint8_t exchanges[] = {IKEV2_EXCHANGE_CREATE_CHILD_SA,
	                                    IKEV2_EXCHANGE_INFORMATIONAL, EXCHANGE_UNKNOWN};
	static uint8_t plain[IKED_MAX_MSG];
	static struct ikev2_msg m;

	(void)state;
	for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++)
		for (size_t e = 0; e < sizeof(exchanges); e++) {
			struct ike_sa *a;

			pair_start(BASIC, BASIC);
			request_in_state(states[s], exchanges[e], &a, &m, plain, sizeof(plain));
			assert_int_equal(a->state, states[s]);
			if (exchanges[e] == IKEV2_EXCHANGE_INFORMATIONAL) {
				assert_int_equal(m.n_payloads, 0);
			} else if (exchanges[e] == EXCHANGE_UNKNOWN) {
				assert_int_equal(ikev2_notify_error(&m), IKEV2_N_NO_ADDITIONAL_SAS);
			} else if (states[s] == IKE_SA_ESTABLISHED) {
				assert_int_equal(ikev2_notify_error(&m), 0);
				assert_true(m.has_sa && m.has_nonce && m.has_ke);
				assert_int_equal(a->rekeys, 1);
			} else {
				assert_int_equal(ikev2_notify_error(&m), IKEV2_N_TEMPORARY_FAILURE);
				assert_int_equal(a->rekeys, 0);
			}
			teardown(NULL);
		}
}

/* Every response row, and the request rows real exchanges drive. */
static void test_answers_in_every_state(void **state)
{
	struct ike_sa *a, *b;

	(void)state;
	/* IKE_SA_INIT, IKE_AUTH; a CHILD_SA rekey (and the old pair's
	 * delete), a liveness check, an IKE SA rekey and the old SA's delete,
	 * each answered. */
	pair_start(BASIC, BASIC);
	a = pair_establish(0, &b);
	assert_int_equal(ike_rekey_child_start(a), 0);
	wire_deliver_all();
	ike_info_liveness(a);
	wire_deliver_all();
	assert_int_equal(ike_rekey_ike_start(a), 0);
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_int_equal(row_hits(0, IKE_SA_INIT_SENT, IKEV2_EXCHANGE_IKE_SA_INIT, true), 1);
	assert_int_equal(row_hits(0, IKE_SA_AUTH_SENT, IKEV2_EXCHANGE_IKE_AUTH, true), 1);
	assert_int_equal(row_hits(1, IKE_SA_HALF_OPEN, IKEV2_EXCHANGE_IKE_AUTH, false), 1);
	assert_int_equal(row_hits(0, IKE_SA_ESTABLISHED, IKEV2_EXCHANGE_CREATE_CHILD_SA, true), 1);
	assert_int_equal(row_hits(1, IKE_SA_ESTABLISHED, IKEV2_EXCHANGE_CREATE_CHILD_SA, false), 2);
	assert_int_equal(row_hits(0, IKE_SA_ESTABLISHED, IKEV2_EXCHANGE_INFORMATIONAL, true), 2);
	assert_int_equal(row_hits(0, IKE_SA_REKEYING, IKEV2_EXCHANGE_CREATE_CHILD_SA, true), 1);
	assert_int_equal(row_hits(0, IKE_SA_DELETING, IKEV2_EXCHANGE_INFORMATIONAL, true), 1);
	assert_int_equal(row_hits(1, IKE_SA_REPLACED, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
	teardown(NULL);

	/* Node 0's liveness check crosses node 1's IKE SA rekey: node 1
	 * answers it while rekeying, and the answer finds node 0's SA
	 * replaced. */
	pair_start(BASIC, BASIC);
	a = pair_establish(0, &b);
	ike_info_liveness(a);
	assert_int_equal(ike_rekey_ike_start(b), 0);
	wire_deliver(1);
	assert_int_equal(a->state, IKE_SA_REPLACED);
	wire_deliver(0);
	wire_deliver_all();
	assert_int_equal(a->state, IKE_SA_DEAD);
	assert_int_equal(pair_count(0, IKE_SA_ESTABLISHED), 1);
	assert_int_equal(row_hits(1, IKE_SA_REKEYING, IKEV2_EXCHANGE_INFORMATIONAL, false), 1);
	assert_int_equal(row_hits(0, IKE_SA_REPLACED, IKEV2_EXCHANGE_INFORMATIONAL, true), 1);
	teardown(NULL);

	/* Crossing IKE SA rekeys: each answers the other's while rekeying,
	 * and each answer finds its SA replaced (RFC 7296 2.8.2). */
	pair_start(BASIC, BASIC);
	a = pair_establish(0, &b);
	assert_int_equal(ike_rekey_ike_start(a), 0);
	assert_int_equal(ike_rekey_ike_start(b), 0);
	wire_deliver_all();
	pair_assert_ike_agree(pair_sa(0, IKE_SA_ESTABLISHED), pair_sa(1, IKE_SA_ESTABLISHED));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(
		    row_hits(i, IKE_SA_REKEYING, IKEV2_EXCHANGE_CREATE_CHILD_SA, false), 1);
		assert_int_equal(row_hits(i, IKE_SA_REPLACED, IKEV2_EXCHANGE_CREATE_CHILD_SA, true),
		                 1);
	}
}

static void test_every_row_exercised(void **state)
{
	(void)state;
	for (unsigned r = 0; r < IKE_EXCHANGE_ROWS; r++)
		if (!rows_hit[r])
			fail_msg("row %u (%s) was never exercised", r, ike_exchange_row_name(r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_auth_sent_refuses_wrong_exchange_answers, teardown),
	    cmocka_unit_test_teardown(test_wrong_exchange_answers, teardown),
	    cmocka_unit_test_teardown(test_requests_in_the_wrong_state, teardown),
	    cmocka_unit_test_teardown(test_requests_in_up_states, teardown),
	    cmocka_unit_test_teardown(test_answers_in_every_state, teardown),
	    cmocka_unit_test(test_every_row_exercised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
