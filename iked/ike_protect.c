/*
 * Protection of the messages of an IKE SA after IKE_SA_INIT: the SK
 * payload on the way out and in (RFC 7296 3.14; the crypto is
 * ikev2_sk.c's), and RFC 7383 reassembly of SKF fragments, each checked
 * on its own before it is kept.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "iked/iked.h"

/* The keys each direction uses: the initiator sends with SK_ei/SK_ai. */
static void ike_sa_keys(struct ike_sa *sa, bool sending, const struct ikev2_secret **ek,
                        const struct ikev2_secret **ak)
{
	bool mine_i = sa->initiator == sending;

	*ek = mine_i ? &sa->keys.sk_ei : &sa->keys.sk_er;
	*ak = mine_i ? &sa->keys.sk_ai : &sa->keys.sk_ar;
}

size_t ike_sa_seal(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t msg_id,
                   const struct ikev2_builder *inner, uint8_t *out, size_t cap)
{
	struct ikev2_header h = {
	    .ispi = sa->ispi,
	    .rspi = sa->rspi,
	    .exchange = exchange,
	    .flags = (uint8_t)((sa->initiator ? IKEV2_FLAG_INITIATOR : 0) |
	                       (response ? IKEV2_FLAG_RESPONSE : 0)),
	    .msg_id = msg_id,
	};
	const struct ikev2_secret *ek, *ak;
	struct ikev2_builder b;
	size_t plain_len = wbuf_len(&inner->w), body_len, total;
	uint8_t *body;

	if (!wbuf_ok(&inner->w) || inner->failed)
		return 0;
	ikev2_build_init(&b, out, cap, &h);
	body_len = ikev2_sk_body_len(&sa->prop.alg, plain_len);
	body = ikev2_build_sk(&b, plain_len ? inner->first : IKEV2_PAYLOAD_NONE, body_len);
	total = ikev2_build_finish(&b);
	if (!body || !total)
		return 0;
	ike_sa_keys(sa, true, &ek, &ak);
	if (ikev2_sk_seal(&sa->prop.alg, ek, ak, &sa->iv_ctr, out, total, (size_t)(body - out),
	                  inner->w.data, plain_len) < 0)
		return 0;
	return total;
}

/* RFC 7383: the decrypted pieces of one fragmented message. */
struct ike_frags {
	uint32_t msg_id;
	bool response;
	uint16_t total, have;
	uint8_t first;
	size_t len[IKED_MAX_FRAGS];
	uint8_t piece[IKED_MAX_FRAGS][IKED_MAX_MSG];
};

void ike_frags_free(struct ike_sa *sa)
{
	if (sa->frags)
		OPENSSL_clear_free(sa->frags, sizeof(*sa->frags));
	sa->frags = NULL;
}

/* Keep one fragment (each is protected on its own, RFC 7383 2.5.3);
 * when all are in, their plaintexts in order make the message. */
static int ike_sa_open_fragment(struct ike_sa *sa, const uint8_t *pkt, size_t len,
                                struct ikev2_msg *m, uint8_t *plain, size_t cap)
{
	const struct ikev2_secret *ek, *ak;
	struct ikev2_decode_error err = {0};
	bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	struct ike_frags *f = sa->frags;
	size_t n = 0, plen;
	uint8_t first;

	if (m->skf_total == 0 || m->skf_total > IKED_MAX_FRAGS || m->skf_num == 0 ||
	    m->skf_num > m->skf_total) {
		log_msg_rl(&sa->d->rl, LOG_LVL_INFO, LOG_CAT_IKE,
		           "IKE SA %u: fragment %u of %u refused (at most %d fragments)", sa->id,
		           m->skf_num, m->skf_total, IKED_MAX_FRAGS);
		return -1;
	}
	if (f &&
	    (f->msg_id != m->hdr.msg_id || f->response != response || f->total != m->skf_total)) {
		ike_frags_free(sa); /* a new message: the old one was abandoned */
		f = NULL;
	}
	if (!f) {
		f = OPENSSL_zalloc(sizeof(*f));
		if (!f)
			return -1;
		f->msg_id = m->hdr.msg_id;
		f->response = response;
		f->total = m->skf_total;
		sa->frags = f;
	}
	if (f->len[m->skf_num - 1])
		return 1; /* a retransmitted fragment */
	ike_sa_keys(sa, false, &ek, &ak);
	if (ikev2_sk_open(&sa->prop.alg, ek, ak, pkt, len, m->skf_body_off,
	                  f->piece[m->skf_num - 1], IKED_MAX_MSG, &plen) < 0 ||
	    plen == 0)
		return -1;
	f->len[m->skf_num - 1] = plen;
	if (m->skf_num == 1)
		f->first = m->skf_first;
	if (++f->have < f->total)
		return 1;
	for (unsigned i = 0; i < f->total; i++) {
		if (n + f->len[i] > cap) {
			ike_frags_free(sa);
			return -1;
		}
		memcpy(plain + n, f->piece[i], f->len[i]);
		n += f->len[i];
	}
	first = f->first;
	ike_frags_free(sa);
	return ikev2_payloads_decode(first, plain, n, m, &err) < 0 ? -1 : 0;
}

int ike_sa_open(struct ike_sa *sa, const uint8_t *pkt, size_t len, struct ikev2_msg *m,
                uint8_t *plain, size_t cap)
{
	const struct ikev2_secret *ek, *ak;
	struct ikev2_decode_error err = {0};
	size_t plen;

	if (m->has_skf)
		return ike_sa_open_fragment(sa, pkt, len, m, plain, cap);
	if (!m->has_sk)
		return -1; /* after IKE_SA_INIT everything is protected */
	ike_sa_keys(sa, false, &ek, &ak);
	if (ikev2_sk_open(&sa->prop.alg, ek, ak, pkt, len, m->sk_body_off, plain, cap, &plen) < 0)
		return -1;
	if (ikev2_payloads_decode(m->sk_first, plain, plen, m, &err) < 0) {
		log_msg_rl(&sa->d->rl, LOG_LVL_INFO, LOG_CAT_IKE,
		           "IKE SA %u: bad inner payloads: %s", sa->id,
		           err.reason ? err.reason : "?");
		return -1;
	}
	return 0;
}
