/*
 * Our side of an IKE SA's message windows (RFC 7296 2.1-2.3, window size
 * one): the one request we have out, what it is (its kind names the
 * exchange that must answer it, and the answer's handler reads the rest
 * from it), its retransmission; and our last response, sent again when the
 * peer retransmits the request it answers.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"

static const struct {
	const char *name;
	uint8_t exchange;
} ike_request_kinds[IKE_REQ__COUNT] = {
    [IKE_REQ_NONE] = {"none", 0},
    [IKE_REQ_SA_INIT] = {"IKE_SA_INIT", IKEV2_EXCHANGE_IKE_SA_INIT},
    [IKE_REQ_AUTH] = {"IKE_AUTH", IKEV2_EXCHANGE_IKE_AUTH},
    [IKE_REQ_REKEY_IKE] = {"rekey of the IKE SA", IKEV2_EXCHANGE_CREATE_CHILD_SA},
    [IKE_REQ_REKEY_CHILD] = {"rekey of the CHILD_SA", IKEV2_EXCHANGE_CREATE_CHILD_SA},
    [IKE_REQ_DELETE_CHILD] = {"delete of a CHILD_SA", IKEV2_EXCHANGE_INFORMATIONAL},
    [IKE_REQ_DELETE_IKE] = {"delete of the IKE SA", IKEV2_EXCHANGE_INFORMATIONAL},
    [IKE_REQ_LIVENESS] = {"liveness check", IKEV2_EXCHANGE_INFORMATIONAL},
};

const char *ike_request_kind_name(enum ike_request_kind k)
{
	return (unsigned)k < IKE_REQ__COUNT ? ike_request_kinds[k].name : "unknown";
}

uint8_t ike_request_exchange(enum ike_request_kind k)
{
	return (unsigned)k < IKE_REQ__COUNT ? ike_request_kinds[k].exchange : 0;
}

bool ike_request_busy(const struct ike_sa *sa)
{
	return sa->req.kind != IKE_REQ_NONE;
}

static int ike_request_out(struct ike_sa *sa, enum ike_request_kind k, uint32_t msg_id,
                           const uint8_t *msg, size_t len)
{
	uint8_t *copy = malloc(len);

	if (!copy)
		return -1;
	memcpy(copy, msg, len);
	sa->req.kind = k;
	sa->req.msg_id = msg_id;
	sa->req.msg = copy;
	sa->req.len = len;
	sa->req.sends = 1;
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, msg, len);
	ike_timers_request_sent(sa);
	return 0;
}

int ike_request_send(struct ike_sa *sa, enum ike_request_kind k, const struct ikev2_builder *inner)
{
	uint8_t out[IKED_MAX_MSG];
	size_t n;

	if (ike_request_busy(sa) || k == IKE_REQ_NONE || k == IKE_REQ_SA_INIT)
		return -1;
	n = ike_sa_seal(sa, ike_request_exchange(k), false, sa->next_msg_id, inner, out,
	                sizeof(out));
	if (!n || ike_request_out(sa, k, sa->next_msg_id, out, n) < 0)
		return -1;
	sa->next_msg_id++;
	return 0;
}

int ike_request_send_init(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	if (ike_request_busy(sa) || ike_request_out(sa, IKE_REQ_SA_INIT, 0, msg, len) < 0)
		return -1;
	sa->next_msg_id = 1;
	return 0;
}

int ike_request_retransmit(struct ike_sa *sa)
{
	if (!ike_request_busy(sa))
		return 0;
	if (sa->req.sends >= IKED_RETRANSMIT_TRIES)
		return -1;
	sa->req.sends++;
	sa->d->stats.retransmits++;
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, sa->req.msg, sa->req.len);
	ike_timers_request_sent(sa);
	return 0;
}

void ike_request_take(struct ike_sa *sa, struct ike_request *r)
{
	*r = sa->req;
	memset(&sa->req, 0, sizeof(sa->req));
	ike_timers_request_answered(sa);
}

void ike_request_wipe(struct ike_request *r)
{
	free(r->msg);
	ikev2_dh_free(r->rekey.dh);
	/* Nonces of a rekey feed its keys. */
	OPENSSL_cleanse(r, sizeof(*r));
}

void ike_response_send_plain(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	uint8_t *copy = malloc(len);

	if (copy)
		memcpy(copy, msg, len);
	free(sa->last_resp);
	sa->last_resp = copy;
	sa->last_resp_len = copy ? len : 0;
	sa->has_last_resp = copy != NULL;
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, msg, len);
}

int ike_response_send(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id,
                      const struct ikev2_builder *inner)
{
	uint8_t out[IKED_MAX_MSG];
	size_t n = ike_sa_seal(sa, exchange, true, msg_id, inner, out, sizeof(out));

	if (!n)
		return -1;
	ike_response_send_plain(sa, out, n);
	return 0;
}

int ike_response_notify(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, uint16_t notify,
                        const uint8_t *data, size_t len)
{
	struct ikev2_builder b;
	uint8_t inner[64];

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_notify(&b, 0, NULL, 0, notify, data, len);
	return ike_response_send(sa, exchange, msg_id, &b);
}

void ike_response_resend(struct ike_sa *sa)
{
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, sa->last_resp, sa->last_resp_len);
}
