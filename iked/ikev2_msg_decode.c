/*
 * IKEv2 message decoder (RFC 7296 3).
 *
 * The header first (3.1), then the payload chain: each generic payload
 * header (3.2) is read, its body carved into a sub-buffer of exactly its
 * declared length, and decoded by its type with the sizes the RFC fixes;
 * each body must be used up. Proposals and transforms (3.3) are nested
 * sub-buffers of their own lengths, their "last substructure" flags
 * checked against what follows. What RFC 7296 says to ignore on receipt
 * (RESERVED fields, the critical bit of a payload we understand) is
 * ignored, but noted in m->nonzero_reserved.
 *
 * Error notifies suggested: INVALID_SYNTAX for malformed payloads,
 * NO_PROPOSAL_CHOSEN / TS_UNACCEPTABLE for SA and TS payloads over our
 * limits, 0 (drop) for a bad header or too many payloads in all.
 */
#include "iked/ikev2_msg.h"

#include <string.h>

#include "lib/buf.h"

#define TS_V4_LEN 16 /* RFC 7296 3.13.1 */
#define TS_V6_LEN 40

struct ikev2_dec {
	const uint8_t *pkt; /* for the SK body offset */
	struct ikev2_msg *m;
	struct ikev2_decode_error *err;
	bool inner; /* a decrypted chain: no SK/SKF */
};

static int dec_fail(struct ikev2_dec *d, uint16_t notify, const char *reason)
{
	d->err->notify = notify;
	d->err->reason = reason;
	return -1;
}

static int dec_syntax(struct ikev2_dec *d, const char *reason)
{
	return dec_fail(d, IKEV2_N_INVALID_SYNTAX, reason);
}

/* 3 RESERVED bytes after a one-byte type (ID, AUTH, TS payloads). */
static int dec_reserved3(struct ikev2_dec *d, struct buf *b)
{
	uint8_t r[3];

	if (buf_get_bytes(b, r, sizeof(r)) < 0)
		return -1;
	if (r[0] | r[1] | r[2])
		d->m->nonzero_reserved = true;
	return 0;
}

/* The rest of b, NULL when empty. */
static void dec_rest(struct buf *b, const uint8_t **p, size_t *len)
{
	*len = buf_remaining(b);
	*p = *len ? buf_cursor(b) : NULL;
	buf_skip(b, *len);
}

/* KE payload (RFC 7296 3.4): the size of a group we know is fixed. */
static int dec_ke(struct ikev2_dec *d, struct buf *b)
{
	struct ikev2_msg *m = d->m;
	uint16_t reserved;
	size_t want;

	if (buf_get_be16(b, &m->ke_group) < 0 || buf_get_be16(b, &reserved) < 0)
		return dec_syntax(d, "truncated KE payload");
	if (reserved)
		m->nonzero_reserved = true;
	dec_rest(b, &m->ke, &m->ke_len);
	want = ikev2_dh_public_len(m->ke_group);
	if (m->ke_len == 0 || (want && m->ke_len != want))
		return dec_syntax(d, "KE data size does not match its group");
	return 0;
}

/* IDi/IDr payload (RFC 7296 3.5); body kept for AUTH (2.15). */
static int dec_id(struct ikev2_dec *d, struct buf *b, struct ikev2_id *id)
{
	id->body_len = buf_remaining(b);
	id->body = id->body_len ? buf_cursor(b) : NULL;
	if (buf_get_u8(b, &id->type) < 0 || dec_reserved3(d, b) < 0)
		return dec_syntax(d, "truncated ID payload");
	dec_rest(b, &id->data, &id->len);
	if (!ikev2_id_data_ok(id->type, id->len))
		return dec_syntax(d, "ID data size does not match its type");
	return 0;
}

/* AUTH payload (RFC 7296 3.8). */
static int dec_auth(struct ikev2_dec *d, struct buf *b)
{
	struct ikev2_msg *m = d->m;

	if (buf_get_u8(b, &m->auth_method) < 0 || dec_reserved3(d, b) < 0)
		return dec_syntax(d, "truncated AUTH payload");
	dec_rest(b, &m->auth, &m->auth_len);
	if (m->auth_len == 0)
		return dec_syntax(d, "AUTH payload without data");
	return 0;
}

/* Nonce payload (RFC 7296 3.9): 16 to 256 bytes. */
static int dec_nonce(struct ikev2_dec *d, struct buf *b)
{
	struct ikev2_msg *m = d->m;

	dec_rest(b, &m->nonce, &m->nonce_len);
	if (m->nonce_len < IKEV2_NONCE_MIN || m->nonce_len > IKEV2_NONCE_MAX)
		return dec_syntax(d, "nonce size outside 16..256");
	return 0;
}

/* Notify payload (RFC 7296 3.10). */
static int dec_notify(struct ikev2_dec *d, struct buf *b)
{
	struct ikev2_msg *m = d->m;
	struct ikev2_notify *n;

	if (m->n_notify == IKEV2_MAX_NOTIFY)
		return dec_fail(d, 0, "too many notify payloads");
	n = &m->notify[m->n_notify];
	if (buf_get_u8(b, &n->protocol) < 0 || buf_get_u8(b, &n->spi_size) < 0 ||
	    buf_get_be16(b, &n->type) < 0)
		return dec_syntax(d, "truncated notify payload");
	if (n->spi_size && buf_get_ptr(b, &n->spi, n->spi_size) < 0)
		return dec_syntax(d, "notify SPI runs past its payload");
	dec_rest(b, &n->data, &n->len);
	if (!ikev2_notify_data_ok(n->type, n->len))
		return dec_syntax(d, "notify data size does not match its type");
	m->n_notify++;
	return 0;
}

/* Delete payload (RFC 7296 3.11). */
static int dec_delete(struct ikev2_dec *d, struct buf *b)
{
	struct ikev2_msg *m = d->m;
	struct ikev2_delete *del;

	if (m->n_delete == IKEV2_MAX_DELETE)
		return dec_fail(d, 0, "too many delete payloads");
	del = &m->del[m->n_delete];
	if (buf_get_u8(b, &del->protocol) < 0 || buf_get_u8(b, &del->spi_size) < 0 ||
	    buf_get_be16(b, &del->n_spi) < 0)
		return dec_syntax(d, "truncated delete payload");
	if (!ikev2_delete_spis_ok(del->protocol, del->spi_size, del->n_spi))
		return dec_syntax(d, "delete SPI size or count does not match its protocol");
	if (buf_remaining(b) != (size_t)del->spi_size * del->n_spi)
		return dec_syntax(d, "delete payload size does not match its SPIs");
	if (del->n_spi)
		buf_get_ptr(b, &del->spis, buf_remaining(b));
	m->n_delete++;
	return 0;
}

/* Vendor ID payload (RFC 7296 3.12). */
static int dec_vendor(struct ikev2_dec *d, struct buf *b)
{
	struct ikev2_msg *m = d->m;

	if (m->n_vendor == IKEV2_MAX_VENDOR)
		return dec_fail(d, 0, "too many vendor ID payloads");
	dec_rest(b, &m->vendor[m->n_vendor].data, &m->vendor[m->n_vendor].len);
	if (m->vendor[m->n_vendor].len == 0)
		return dec_syntax(d, "empty vendor ID");
	m->n_vendor++;
	return 0;
}

/* One traffic selector (RFC 7296 3.13.1): IPv4 or IPv6 address range. */
static int dec_selector(struct ikev2_dec *d, struct buf *b, struct ikev2_ts *ts)
{
	size_t alen;
	uint16_t len;
	struct buf s;

	if (buf_get_u8(b, &ts->type) < 0 || buf_get_u8(b, &ts->ip_proto) < 0 ||
	    buf_get_be16(b, &len) < 0)
		return dec_syntax(d, "truncated traffic selector");
	if (ts->type == IKEV2_TS_IPV4_ADDR_RANGE)
		ts->start.family = ts->end.family = AF_INET;
	else if (ts->type == IKEV2_TS_IPV6_ADDR_RANGE)
		ts->start.family = ts->end.family = AF_INET6;
	else
		return dec_fail(d, IKEV2_N_TS_UNACCEPTABLE, "unknown traffic selector type");
	if (len != (ts->type == IKEV2_TS_IPV4_ADDR_RANGE ? TS_V4_LEN : TS_V6_LEN))
		return dec_syntax(d, "traffic selector length does not match its type");
	if (buf_sub(b, &s, len - 4) < 0)
		return dec_syntax(d, "traffic selector runs past its payload");
	alen = ipaddr_len(&ts->start);
	buf_get_be16(&s, &ts->start_port);
	buf_get_be16(&s, &ts->end_port);
	buf_get_bytes(&s, ts->start.u.bytes, alen);
	buf_get_bytes(&s, ts->end.u.bytes, alen);
	return 0;
}

/* TSi/TSr payload (RFC 7296 3.13): at least one selector. */
static int dec_ts(struct ikev2_dec *d, struct buf *b, struct ikev2_ts_payload *tsp)
{
	uint8_t n;
	size_t i;

	if (buf_get_u8(b, &n) < 0 || dec_reserved3(d, b) < 0)
		return dec_syntax(d, "truncated TS payload");
	if (n == 0)
		return dec_syntax(d, "TS payload without selectors");
	if (n > IKEV2_MAX_TS)
		return dec_fail(d, IKEV2_N_TS_UNACCEPTABLE, "too many traffic selectors");
	for (i = 0; i < n; i++)
		if (dec_selector(d, b, &tsp->ts[i]) < 0)
			return -1;
	tsp->n = n;
	if (buf_remaining(b) > 0)
		return dec_syntax(d, "bytes after the last traffic selector");
	return 0;
}

/* SK (RFC 7296 3.14) or SKF (RFC 7383 2.5) payload: the body is opaque
 * here; what precedes it is the associated data (RFC 5282 5.1). */
static int dec_encrypted(struct ikev2_dec *d, struct buf *b, uint8_t type, uint8_t first)
{
	struct ikev2_msg *m = d->m;

	if (type == IKEV2_PAYLOAD_SK) {
		m->has_sk = true;
		m->sk_first = first;
		m->sk_body_off = (size_t)(buf_cursor(b) - d->pkt);
		dec_rest(b, &m->sk_body, &m->sk_body_len);
		return m->sk_body_len ? 0 : dec_syntax(d, "empty SK payload");
	}
	m->has_skf = true;
	m->skf_first = first;
	if (buf_get_be16(b, &m->skf_num) < 0 || buf_get_be16(b, &m->skf_total) < 0)
		return dec_syntax(d, "truncated SKF payload");
	/* RFC 7383 2.6: a fragment number of 0 or over the total: discard */
	if (m->skf_num == 0 || m->skf_num > m->skf_total)
		return dec_fail(d, 0, "fragment number outside 1..total");
	m->skf_body_off = (size_t)(buf_cursor(b) - d->pkt);
	dec_rest(b, &m->skf_body, &m->skf_body_len);
	return m->skf_body_len ? 0 : dec_syntax(d, "empty SKF payload");
}

/* A payload we check for its minimum size only. */
static int dec_skip(struct ikev2_dec *d, struct buf *b, size_t min)
{
	if (buf_remaining(b) < min)
		return dec_syntax(d, "payload too short");
	return buf_skip(b, buf_remaining(b));
}

/* Payloads that may appear only once: their has_ flag, else NULL. */
static bool *dec_once_flag(struct ikev2_msg *m, uint8_t type)
{
	switch (type) {
	case IKEV2_PAYLOAD_SA:
		return &m->has_sa;
	case IKEV2_PAYLOAD_KE:
		return &m->has_ke;
	case IKEV2_PAYLOAD_IDI:
		return &m->has_idi;
	case IKEV2_PAYLOAD_IDR:
		return &m->has_idr;
	case IKEV2_PAYLOAD_AUTH:
		return &m->has_auth;
	case IKEV2_PAYLOAD_NONCE:
		return &m->has_nonce;
	case IKEV2_PAYLOAD_TSI:
		return &m->has_tsi;
	case IKEV2_PAYLOAD_TSR:
		return &m->has_tsr;
	default:
		return NULL;
	}
}

/*
 * One payload body by type. 1: a type we do not know (skipped); 0: done;
 * -1: refused. CERT, CERTREQ (3.6, 3.7: an encoding byte), CP (3.15: type
 * and 3 RESERVED) and EAP (3.16: the EAP header) are checked for their
 * minimum size only.
 */
static int dec_body(struct ikev2_dec *d, struct buf *b, uint8_t type)
{
	struct ikev2_msg *m = d->m;
	bool *once = dec_once_flag(m, type);

	if (once && *once)
		return dec_syntax(d, "duplicate payload");
	if (once)
		*once = true;
	switch (type) {
	case IKEV2_PAYLOAD_SA:
		return ikev2_sa_decode(b, &m->sa, &m->nonzero_reserved, d->err);
	case IKEV2_PAYLOAD_KE:
		return dec_ke(d, b);
	case IKEV2_PAYLOAD_IDI:
		return dec_id(d, b, &m->idi);
	case IKEV2_PAYLOAD_IDR:
		return dec_id(d, b, &m->idr);
	case IKEV2_PAYLOAD_AUTH:
		return dec_auth(d, b);
	case IKEV2_PAYLOAD_NONCE:
		return dec_nonce(d, b);
	case IKEV2_PAYLOAD_NOTIFY:
		return dec_notify(d, b);
	case IKEV2_PAYLOAD_DELETE:
		return dec_delete(d, b);
	case IKEV2_PAYLOAD_VENDOR:
		return dec_vendor(d, b);
	case IKEV2_PAYLOAD_TSI:
		return dec_ts(d, b, &m->tsi);
	case IKEV2_PAYLOAD_TSR:
		return dec_ts(d, b, &m->tsr);
	case IKEV2_PAYLOAD_CERT:
	case IKEV2_PAYLOAD_CERTREQ:
		return dec_skip(d, b, 1);
	case IKEV2_PAYLOAD_CP:
	case IKEV2_PAYLOAD_EAP:
		return dec_skip(d, b, 4);
	default:
		return 1;
	}
}

/*
 * The payload chain in b, from type np (RFC 7296 3.2): it ends at "no next
 * payload" exactly at the end of b, or with an SK/SKF payload that
 * reaches the end of b (3.14; RFC 7383 2.5).
 */
static int dec_chain(struct ikev2_dec *d, struct buf *b, uint8_t np)
{
	struct ikev2_msg *m = d->m;

	while (np != IKEV2_PAYLOAD_NONE) {
		uint8_t next, flags;
		uint16_t len;
		struct buf body;
		int rc;

		if (buf_get_u8(b, &next) < 0 || buf_get_u8(b, &flags) < 0 ||
		    buf_get_be16(b, &len) < 0)
			return dec_syntax(d, "truncated payload header");
		if (len < IKEV2_PAYLOAD_HDR_LEN)
			return dec_syntax(d, "payload length under 4");
		if (buf_sub(b, &body, len - IKEV2_PAYLOAD_HDR_LEN) < 0)
			return dec_syntax(d, "payload runs past the message");
		if (m->n_payloads == IKEV2_MAX_PAYLOADS)
			return dec_fail(d, 0, "too many payloads");
		m->types[m->n_payloads++] = np;
		if (flags & ~IKEV2_PAYLOAD_CRITICAL)
			m->nonzero_reserved = true;

		if (np == IKEV2_PAYLOAD_SK || np == IKEV2_PAYLOAD_SKF) {
			if (d->inner)
				return dec_syntax(d, "encrypted payload inside SK");
			if (buf_remaining(b) > 0)
				return dec_syntax(d, "encrypted payload not the last");
			if (flags & IKEV2_PAYLOAD_CRITICAL)
				m->nonzero_reserved = true;
			return dec_encrypted(d, &body, np, next);
		}
		rc = dec_body(d, &body, np);
		if (rc < 0)
			return -1;
		if (rc > 0 && (flags & IKEV2_PAYLOAD_CRITICAL) && !m->unknown_critical)
			m->unknown_critical = np; /* RFC 7296 2.5 */
		if (rc == 0 && (flags & IKEV2_PAYLOAD_CRITICAL))
			m->nonzero_reserved = true; /* ignored: we understand it */
		if (rc == 0 && buf_remaining(&body) > 0)
			return dec_syntax(d, "bytes left in a payload");
		np = next;
	}
	if (buf_remaining(b) > 0)
		return dec_syntax(d, "bytes after the last payload");
	return 0;
}

static int dec_done(struct ikev2_dec *d)
{
	if (d->m->unknown_critical)
		return dec_fail(d, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
		                "unknown payload with the critical bit");
	return 0;
}

int ikev2_msg_decode(const uint8_t *pkt, size_t len, struct ikev2_msg *m,
                     struct ikev2_decode_error *err)
{
	struct ikev2_dec d = {.pkt = pkt, .m = m, .err = err};
	struct ikev2_header *h = &m->hdr;
	struct buf b;

	memset(m, 0, sizeof(*m));
	err->notify = 0;
	err->reason = "ok";
	buf_init(&b, pkt, len);

	/* RFC 7296 3.1. Nothing in a header that is cut short or whose
	 * length disagrees with the datagram can be trusted: drop. */
	if (buf_get_be64(&b, &h->ispi) < 0 || buf_get_be64(&b, &h->rspi) < 0 ||
	    buf_get_u8(&b, &h->next_payload) < 0 || buf_get_u8(&b, &h->version) < 0 ||
	    buf_get_u8(&b, &h->exchange) < 0 || buf_get_u8(&b, &h->flags) < 0 ||
	    buf_get_be32(&b, &h->msg_id) < 0 || buf_get_be32(&b, &h->length) < 0)
		return dec_fail(&d, 0, "shorter than the IKE header");
	if (h->length != len)
		return dec_fail(&d, 0, "header length does not match the datagram");
	/* RFC 7296 2.5: a higher major version is answered, IKEv1 dropped. */
	if (IKEV2_MAJOR(h->version) > 2)
		return dec_fail(&d, IKEV2_N_INVALID_MAJOR_VERSION, "higher major version");
	if (IKEV2_MAJOR(h->version) < 2)
		return dec_fail(&d, 0, "major version below 2");
	if (h->ispi == 0) /* RFC 7296 3.1: never zero */
		return dec_fail(&d, 0, "initiator SPI zero");
	if (dec_chain(&d, &b, h->next_payload) < 0)
		return -1;
	return dec_done(&d);
}

int ikev2_payloads_decode(uint8_t first, const uint8_t *p, size_t len, struct ikev2_msg *m,
                          struct ikev2_decode_error *err)
{
	struct ikev2_dec d = {.pkt = p, .m = m, .err = err, .inner = true};
	struct ikev2_header h = m->hdr;
	struct buf b;

	memset(m, 0, sizeof(*m));
	m->hdr = h;
	err->notify = 0;
	err->reason = "ok";
	buf_init(&b, p, len);
	if (dec_chain(&d, &b, first) < 0)
		return -1;
	return dec_done(&d);
}
