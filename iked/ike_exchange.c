/*
 * The receive path: a message is decoded, matched to its IKE SA, checked
 * against the message windows (RFC 7296 2.1-2.3) and against the exchange
 * table below, and only then decrypted and handed to its exchange.
 *
 * The table says which (IKE SA state, exchange type, request or response)
 * are handled, and by what; anything else is refused: counted as a drop
 * (stats.refused), logged (rate-limited), and nothing of the SA changes,
 * its outstanding request and retransmission timer included. A response
 * must also answer our outstanding request: the same message ID, and the
 * exchange type of the request's kind (ike_request.c); a response of
 * another type is refused before anything else is looked at.
 *
 * One message stands outside the table: an IKE_SA_INIT request that
 * matches no SA makes one (ike_init.c). States NEW (an SA is never left
 * there) and DEAD (never found) see no message.
 */
#include <stdio.h>

#include "iked/iked.h"

/* The exchange types of RFC 7296 3.1; a row with 0 stands for any other. */
#define IKE_EXCHANGE_UNKNOWN 0

typedef void ike_request_fn(struct ike_sa *sa, struct ikev2_msg *m);
typedef void ike_response_fn(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);

struct ike_exchange_row {
	enum ike_sa_state state;
	uint8_t exchange;
	bool response;
	ike_request_fn *on_request;
	ike_response_fn *on_response;
	const char *what;
};

static void ike_exchange_unknown(struct ike_sa *sa, struct ikev2_msg *m);

/* clang-format off */
#define REQ(st, ex, fn, what)  {IKE_SA_##st, IKEV2_EXCHANGE_##ex, false, fn, NULL, what}
#define RESP(st, ex, fn, what) {IKE_SA_##st, IKEV2_EXCHANGE_##ex, true, NULL, fn, what}
#define OTHER(st)              {IKE_SA_##st, IKE_EXCHANGE_UNKNOWN, false, ike_exchange_unknown, \
                                NULL, "unknown exchange: NO_ADDITIONAL_SAS"}
/* clang-format on */

static const struct ike_exchange_row ike_exchange_rows[] = {
    /* The peer's requests. Before IKE_AUTH completes only IKE_AUTH (1.2);
     * an SA rekeyed or being deleted is not rekeyed again (2.25). */
    REQ(HALF_OPEN, IKE_AUTH, ike_auth_recv_request, "IKE_AUTH (1.2, 2.15)"),
    REQ(ESTABLISHED, CREATE_CHILD_SA, ike_rekey_recv_request, "rekey (1.3)"),
    REQ(REKEYING, CREATE_CHILD_SA, ike_rekey_recv_request,
        "IKE SA rekey crossing ours (2.8.2); CHILD_SA: TEMPORARY_FAILURE (2.25.2)"),
    REQ(REPLACED, CREATE_CHILD_SA, ike_rekey_refuse_busy, "TEMPORARY_FAILURE (2.25)"),
    REQ(DELETING, CREATE_CHILD_SA, ike_rekey_refuse_busy, "TEMPORARY_FAILURE (2.25)"),
    REQ(ESTABLISHED, INFORMATIONAL, ike_info_recv_request, "delete or liveness (1.4)"),
    REQ(REKEYING, INFORMATIONAL, ike_info_recv_request, "delete or liveness (1.4)"),
    REQ(REPLACED, INFORMATIONAL, ike_info_recv_request, "delete or liveness (1.4)"),
    REQ(DELETING, INFORMATIONAL, ike_info_recv_request, "deletes crossing (1.4.1)"),
    OTHER(ESTABLISHED),
    OTHER(REKEYING),
    OTHER(REPLACED),
    OTHER(DELETING),
    /* Answers to ours (their kind, ike_request.c, says which of ours). */
    RESP(INIT_SENT, IKE_SA_INIT, ike_init_recv_response, "IKE_SA_INIT answered"),
    RESP(AUTH_SENT, IKE_AUTH, ike_auth_recv_response, "IKE_AUTH answered"),
    RESP(ESTABLISHED, CREATE_CHILD_SA, ike_rekey_recv_response, "CHILD_SA rekey answered"),
    RESP(REKEYING, CREATE_CHILD_SA, ike_rekey_recv_response, "IKE SA rekey answered"),
    /* The peer's rekey replaced the SA while ours was out: a crossing
     * IKE SA rekey to decide (2.8.2), or a CHILD_SA rekey overtaken. */
    RESP(REPLACED, CREATE_CHILD_SA, ike_rekey_recv_response, "rekey answered, SA replaced"),
    RESP(ESTABLISHED, INFORMATIONAL, ike_info_recv_response, "delete or liveness answered"),
    RESP(REPLACED, INFORMATIONAL, ike_info_recv_response, "delete or liveness answered"),
    RESP(DELETING, INFORMATIONAL, ike_info_recv_response, "IKE SA delete answered"),
};

_Static_assert(sizeof(ike_exchange_rows) / sizeof(ike_exchange_rows[0]) == IKE_EXCHANGE_ROWS,
               "IKE_EXCHANGE_ROWS (iked.h) counts the rows of the table");

static bool ike_exchange_known(uint8_t exchange)
{
	return exchange >= IKEV2_EXCHANGE_IKE_SA_INIT && exchange <= IKEV2_EXCHANGE_INFORMATIONAL;
}

int ike_exchange_row(enum ike_sa_state state, uint8_t exchange, bool response)
{
	uint8_t ex = ike_exchange_known(exchange) ? exchange : IKE_EXCHANGE_UNKNOWN;

	for (unsigned i = 0; i < IKE_EXCHANGE_ROWS; i++) {
		const struct ike_exchange_row *r = &ike_exchange_rows[i];

		if (r->state == state && r->exchange == ex && r->response == response)
			return (int)i;
	}
	return -1;
}

const char *ike_exchange_row_name(unsigned row)
{
	return row < IKE_EXCHANGE_ROWS ? ike_exchange_rows[row].what : "refused";
}

static void ike_drop(struct iked *d, const struct ipaddr *from, const char *why)
{
	char a[IPADDR_STRLEN];

	d->stats.dropped++;
	log_msg_rl(&d->rl, LOG_LVL_INFO, LOG_CAT_IKE, "dropped IKE message from %s: %s",
	           ipaddr_format(from, a), why);
}

/* A message the table (or our request) does not allow: nothing changes. */
static void ike_exchange_refuse(struct ike_sa *sa, const struct ikev2_msg *m, const char *why)
{
	char text[160];

	sa->d->stats.refused++;
	snprintf(text, sizeof(text), "IKE SA %u (%s): %s %s, message ID %u: %s", sa->id,
	         ike_sa_state_name(sa->state), ikev2_exchange_name(m->hdr.exchange),
	         m->hdr.flags & IKEV2_FLAG_RESPONSE ? "response" : "request", m->hdr.msg_id, why);
	ike_drop(sa->d, &sa->remote, text);
}

/* An exchange type we do not know: answered (the peer's window moves
 * on) with NO_ADDITIONAL_SAS, in that exchange type. */
static void ike_exchange_unknown(struct ike_sa *sa, struct ikev2_msg *m)
{
	ike_response_notify(sa, m->hdr.exchange, m->hdr.msg_id, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
}

/* A message of an SA's exchanges: the windows, the table, the SK
 * payload (IKE_SA_INIT's are in the clear), then its handler. */
static void ike_exchange_dispatch(struct ike_sa *sa, struct ikev2_msg *m, const uint8_t *pkt,
                                  size_t len)
{
	static uint8_t plain[IKED_MAX_FRAGS * IKED_MAX_MSG];
	bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	const struct ike_exchange_row *row;
	struct ike_request req;
	int idx, rc = 0;

	if (response) {
		/* RFC 7296 2.2: a response answers our outstanding request. */
		if (!ike_request_busy(sa) || m->hdr.msg_id != sa->req.msg_id) {
			ike_drop(sa->d, &sa->remote, "response to no outstanding request");
			return;
		}
		if (m->hdr.exchange != ike_request_exchange(sa->req.kind)) {
			ike_exchange_refuse(sa, m, "not the exchange of our request");
			return;
		}
	} else {
		/* RFC 7296 2.1: a retransmitted request gets the same response. */
		if (sa->has_last_resp && m->hdr.msg_id == sa->last_resp_id) {
			ike_response_resend(sa);
			return;
		}
		if (m->hdr.msg_id != sa->peer_msg_id) {
			ike_drop(sa->d, &sa->remote, "request with an unexpected message ID");
			return;
		}
	}
	idx = ike_exchange_row(sa->state, m->hdr.exchange, response);
	if (idx < 0) {
		ike_exchange_refuse(sa, m, "not in this state");
		return;
	}
	row = &ike_exchange_rows[idx];
	if (m->hdr.exchange != IKEV2_EXCHANGE_IKE_SA_INIT)
		rc = ike_sa_open(sa, pkt, len, m, plain, sizeof(plain));
	if (rc < 0) {
		sa->d->stats.bad_msg++;
		ike_drop(sa->d, &sa->remote, "failed its integrity check");
		return;
	}
	if (rc > 0)
		return; /* more fragments to come */
	sa->d->stats.exchange_rows[idx]++;
	if (!response) {
		sa->peer_msg_id++;
		sa->last_resp_id = m->hdr.msg_id;
		ike_timers_authenticated_rx(sa);
		row->on_request(sa, m);
		return;
	}
	ike_request_take(sa, &req);
	req.answer = pkt;
	req.answer_len = len;
	/* IKE_SA_INIT's answer is not authenticated: only later ones count. */
	if (m->hdr.exchange != IKEV2_EXCHANGE_IKE_SA_INIT)
		ike_timers_authenticated_rx(sa);
	row->on_response(sa, m, &req);
	ike_request_wipe(&req);
}

void ike_recv(struct iked *d, const uint8_t *pkt, size_t len, const struct ipaddr *local,
              const struct ipaddr *remote, uint16_t rport)
{
	static struct ikev2_msg m;
	struct ikev2_decode_error err = {0};
	struct ike_sa *sa;
	bool response;

	if (ikev2_msg_decode(pkt, len, &m, &err) < 0) {
		d->stats.bad_msg++;
		ike_drop(d, remote, err.reason ? err.reason : "malformed");
		return;
	}
	response = m.hdr.flags & IKEV2_FLAG_RESPONSE;
	if (m.hdr.exchange == IKEV2_EXCHANGE_IKE_SA_INIT) {
		/* Its SA: the one of the peer's request (a retransmission) or
		 * of ours, by the initiator's SPI and the peer's address. */
		sa = ike_sa_find_init(d, m.hdr.ispi, remote, response);
		if (!sa && response) {
			ike_drop(d, remote, "IKE_SA_INIT response for no SA of ours");
			return;
		}
		if (!sa) {
			if (m.hdr.rspi != 0 || m.hdr.msg_id != 0) {
				ike_drop(d, remote, "IKE_SA_INIT request with a responder SPI");
				return;
			}
			ike_init_recv_request(d, &m, pkt, len, local, remote, rport);
			return;
		}
	} else {
		sa = ike_sa_find(d, m.hdr.ispi, m.hdr.rspi);
		if (!sa || !ipaddr_equal(&sa->remote, remote)) {
			ike_drop(d, remote, "unknown IKE SA");
			return;
		}
		/* RFC 7296 3.1: the I flag says who sent it. */
		if (!!(m.hdr.flags & IKEV2_FLAG_INITIATOR) == sa->initiator) {
			ike_drop(d, remote, "initiator flag of the wrong side");
			return;
		}
	}
	ike_exchange_dispatch(sa, &m, pkt, len);
}
