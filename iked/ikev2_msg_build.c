/*
 * IKEv2 message builder (RFC 7296 3). Each payload is a generic header
 * (3.2) with its length filled in once its body is written, its type
 * written into the previous payload's next-payload field (or the IKE
 * header's, or b->first for an inner chain). It refuses what the decoder
 * would refuse, so whatever it builds decodes back to what it was given.
 * RESERVED fields and the critical bit are written as zero.
 */
#include "iked/ikev2_msg.h"

#include <string.h>

#include "lib/buf.h"

#define OFF_NEXT_PAYLOAD 16 /* in the IKE header (RFC 7296 3.1) */
#define OFF_LENGTH       24
#define PROPOSAL_HDR_LEN 8
#define MORE_PROPOSALS   2 /* "last substructure" (3.3.1, 3.3.2) */
#define MORE_TRANSFORMS  3

void ikev2_build_init(struct ikev2_builder *b, uint8_t *buf, size_t cap,
                      const struct ikev2_header *h)
{
	memset(b, 0, sizeof(*b));
	wbuf_init(&b->w, buf, cap);
	b->has_header = true;
	b->prev_np_off = OFF_NEXT_PAYLOAD;
	b->last_body_off = SIZE_MAX;
	wbuf_put_be64(&b->w, h->ispi);
	wbuf_put_be64(&b->w, h->rspi);
	wbuf_put_u8(&b->w, IKEV2_PAYLOAD_NONE);
	wbuf_put_u8(&b->w, h->version ? h->version : IKEV2_VERSION);
	wbuf_put_u8(&b->w, h->exchange);
	wbuf_put_u8(&b->w, h->flags);
	wbuf_put_be32(&b->w, h->msg_id);
	wbuf_put_be32(&b->w, 0); /* length: ikev2_build_finish */
}

void ikev2_build_inner_init(struct ikev2_builder *b, uint8_t *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	wbuf_init(&b->w, buf, cap);
	b->prev_np_off = SIZE_MAX;
	b->last_body_off = SIZE_MAX;
	b->first = IKEV2_PAYLOAD_NONE;
}

bool ikev2_build_ok(const struct ikev2_builder *b)
{
	return wbuf_ok(&b->w) && !b->failed;
}

/* Start a payload of this type: link it, write its generic header.
 * Returns its offset, or SIZE_MAX when nothing more can be written. */
static size_t pl_begin(struct ikev2_builder *b, uint8_t type)
{
	size_t off;

	if (b->sealed) /* RFC 7296 3.14: SK is the last payload */
		b->failed = true;
	if (!ikev2_build_ok(b))
		return SIZE_MAX;
	if (b->prev_np_off == SIZE_MAX)
		b->first = type;
	else
		b->w.data[b->prev_np_off] = type;
	off = wbuf_reserve(&b->w, IKEV2_PAYLOAD_HDR_LEN); /* zero: none next, C 0 */
	if (off != SIZE_MAX)
		b->prev_np_off = off;
	return off;
}

/* Close the payload begun at off: its length, and the last body. */
static void pl_end(struct ikev2_builder *b, size_t off)
{
	size_t len;

	if (off == SIZE_MAX || !ikev2_build_ok(b))
		return;
	len = wbuf_len(&b->w) - off;
	if (len > UINT16_MAX) {
		b->failed = true;
		return;
	}
	wbuf_set_be16(&b->w, off + 2, (uint16_t)len);
	b->last_body_off = off + IKEV2_PAYLOAD_HDR_LEN;
	b->last_body_len = len - IKEV2_PAYLOAD_HDR_LEN;
}

/* A pointer and length the caller gave: data may be NULL only if empty. */
static bool bytes_ok(const uint8_t *data, size_t len)
{
	return len == 0 || data != NULL;
}

/* A one-byte type, 3 RESERVED bytes and data (ID, AUTH: 3.5, 3.8). */
static void put_typed(struct ikev2_builder *b, uint8_t payload, uint8_t type, const uint8_t *data,
                      size_t len)
{
	size_t off = pl_begin(b, payload);

	if (off == SIZE_MAX)
		return;
	wbuf_put_u8(&b->w, type);
	wbuf_put_zero(&b->w, 3);
	wbuf_put_bytes(&b->w, data, len);
	pl_end(b, off);
}

static bool proposal_ok(const struct ikev2_proposal *p)
{
	size_t i;

	if (p->num == 0 || !ikev2_proposal_spi_ok(p->protocol, p->spi_size) ||
	    p->n_transforms == 0 || p->n_transforms > IKEV2_MAX_TRANSFORMS)
		return false;
	for (i = 0; i < p->n_transforms; i++)
		if (p->t[i].unknown_attr)
			return false;
	return true;
}

/* SA payload (RFC 7296 3.3): proposals numbered consecutively (3.3.1). */
void ikev2_build_sa(struct ikev2_builder *b, const struct ikev2_sa_payload *sa)
{
	size_t off, i, j;

	if (sa->n == 0 || sa->n > IKEV2_MAX_PROPOSALS) {
		b->failed = true;
		return;
	}
	for (i = 0; i < sa->n; i++) {
		if (!proposal_ok(&sa->p[i]) || (i > 0 && sa->p[i].num != sa->p[i - 1].num + 1)) {
			b->failed = true;
			return;
		}
	}
	off = pl_begin(b, IKEV2_PAYLOAD_SA);
	if (off == SIZE_MAX)
		return;
	for (i = 0; i < sa->n; i++) {
		const struct ikev2_proposal *p = &sa->p[i];
		size_t poff = wbuf_len(&b->w);

		wbuf_put_u8(&b->w, i + 1 < sa->n ? MORE_PROPOSALS : 0);
		wbuf_put_u8(&b->w, 0);
		wbuf_put_be16(&b->w, 0); /* length, below */
		wbuf_put_u8(&b->w, p->num);
		wbuf_put_u8(&b->w, p->protocol);
		wbuf_put_u8(&b->w, p->spi_size);
		wbuf_put_u8(&b->w, (uint8_t)p->n_transforms);
		wbuf_put_bytes(&b->w, p->spi, p->spi_size);
		for (j = 0; j < p->n_transforms; j++) { /* 3.3.2 */
			const struct ikev2_transform *t = &p->t[j];

			wbuf_put_u8(&b->w, j + 1 < p->n_transforms ? MORE_TRANSFORMS : 0);
			wbuf_put_u8(&b->w, 0);
			wbuf_put_be16(&b->w, t->key_len ? 12 : 8);
			wbuf_put_u8(&b->w, t->type);
			wbuf_put_u8(&b->w, 0);
			wbuf_put_be16(&b->w, t->id);
			if (t->key_len) { /* 3.3.5: Key Length, TV format */
				wbuf_put_be16(&b->w, IKEV2_ATTR_TV | IKEV2_ATTR_KEY_LENGTH);
				wbuf_put_be16(&b->w, t->key_len);
			}
		}
		/* at most 4 + 8 + 16 * 12 bytes: fits the 16-bit length */
		wbuf_set_be16(&b->w, poff + 2, (uint16_t)(wbuf_len(&b->w) - poff));
	}
	pl_end(b, off);
}

/* KE payload (RFC 7296 3.4). */
void ikev2_build_ke(struct ikev2_builder *b, uint16_t group, const uint8_t *data, size_t len)
{
	size_t off, want = ikev2_dh_public_len(group);

	if (len == 0 || !bytes_ok(data, len) || (want && len != want)) {
		b->failed = true;
		return;
	}
	off = pl_begin(b, IKEV2_PAYLOAD_KE);
	if (off == SIZE_MAX)
		return;
	wbuf_put_be16(&b->w, group);
	wbuf_put_be16(&b->w, 0);
	wbuf_put_bytes(&b->w, data, len);
	pl_end(b, off);
}

/* Nonce payload (RFC 7296 3.9): 16 to 256 bytes. */
void ikev2_build_nonce(struct ikev2_builder *b, const uint8_t *data, size_t len)
{
	size_t off;

	if (len < IKEV2_NONCE_MIN || len > IKEV2_NONCE_MAX || !bytes_ok(data, len)) {
		b->failed = true;
		return;
	}
	off = pl_begin(b, IKEV2_PAYLOAD_NONCE);
	if (off == SIZE_MAX)
		return;
	wbuf_put_bytes(&b->w, data, len);
	pl_end(b, off);
}

/* Notify payload (RFC 7296 3.10). */
void ikev2_build_notify(struct ikev2_builder *b, uint8_t protocol, const uint8_t *spi,
                        uint8_t spi_size, uint16_t type, const uint8_t *data, size_t len)
{
	size_t off;

	if (!bytes_ok(spi, spi_size) || !bytes_ok(data, len) || !ikev2_notify_data_ok(type, len)) {
		b->failed = true;
		return;
	}
	off = pl_begin(b, IKEV2_PAYLOAD_NOTIFY);
	if (off == SIZE_MAX)
		return;
	wbuf_put_u8(&b->w, protocol);
	wbuf_put_u8(&b->w, spi_size);
	wbuf_put_be16(&b->w, type);
	wbuf_put_bytes(&b->w, spi, spi_size);
	wbuf_put_bytes(&b->w, data, len);
	pl_end(b, off);
}

/* IDi/IDr payload (RFC 7296 3.5). */
void ikev2_build_id(struct ikev2_builder *b, uint8_t payload_type, uint8_t id_type,
                    const uint8_t *data, size_t len)
{
	if ((payload_type != IKEV2_PAYLOAD_IDI && payload_type != IKEV2_PAYLOAD_IDR) ||
	    !bytes_ok(data, len) || !ikev2_id_data_ok(id_type, len)) {
		b->failed = true;
		return;
	}
	put_typed(b, payload_type, id_type, data, len);
}

/* AUTH payload (RFC 7296 3.8). */
void ikev2_build_auth(struct ikev2_builder *b, uint8_t method, const uint8_t *data, size_t len)
{
	if (len == 0 || !bytes_ok(data, len)) {
		b->failed = true;
		return;
	}
	put_typed(b, IKEV2_PAYLOAD_AUTH, method, data, len);
}

static bool selector_ok(const struct ikev2_ts *ts)
{
	sa_family_t af = ts->type == IKEV2_TS_IPV4_ADDR_RANGE   ? AF_INET
	                 : ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? AF_INET6
	                                                        : AF_UNSPEC;

	return af != AF_UNSPEC && ts->start.family == af && ts->end.family == af;
}

/* TSi/TSr payload (RFC 7296 3.13, 3.13.1). */
void ikev2_build_ts(struct ikev2_builder *b, uint8_t payload_type,
                    const struct ikev2_ts_payload *tsp)
{
	size_t off, i;

	if ((payload_type != IKEV2_PAYLOAD_TSI && payload_type != IKEV2_PAYLOAD_TSR) ||
	    tsp->n == 0 || tsp->n > IKEV2_MAX_TS) {
		b->failed = true;
		return;
	}
	for (i = 0; i < tsp->n; i++) {
		if (!selector_ok(&tsp->ts[i])) {
			b->failed = true;
			return;
		}
	}
	off = pl_begin(b, payload_type);
	if (off == SIZE_MAX)
		return;
	wbuf_put_u8(&b->w, (uint8_t)tsp->n);
	wbuf_put_zero(&b->w, 3);
	for (i = 0; i < tsp->n; i++) {
		const struct ikev2_ts *ts = &tsp->ts[i];
		size_t alen = ipaddr_len(&ts->start);

		wbuf_put_u8(&b->w, ts->type);
		wbuf_put_u8(&b->w, ts->ip_proto);
		wbuf_put_be16(&b->w, (uint16_t)(8 + 2 * alen));
		wbuf_put_be16(&b->w, ts->start_port);
		wbuf_put_be16(&b->w, ts->end_port);
		wbuf_put_bytes(&b->w, ts->start.u.bytes, alen);
		wbuf_put_bytes(&b->w, ts->end.u.bytes, alen);
	}
	pl_end(b, off);
}

/* Delete payload (RFC 7296 3.11). */
void ikev2_build_delete(struct ikev2_builder *b, uint8_t protocol, uint8_t spi_size,
                        const uint8_t *spis, uint16_t n)
{
	size_t off, len = (size_t)spi_size * n;

	if (!ikev2_delete_spis_ok(protocol, spi_size, n) || !bytes_ok(spis, len)) {
		b->failed = true;
		return;
	}
	off = pl_begin(b, IKEV2_PAYLOAD_DELETE);
	if (off == SIZE_MAX)
		return;
	wbuf_put_u8(&b->w, protocol);
	wbuf_put_u8(&b->w, spi_size);
	wbuf_put_be16(&b->w, n);
	wbuf_put_bytes(&b->w, spis, len);
	pl_end(b, off);
}

/* Vendor ID payload (RFC 7296 3.12). */
void ikev2_build_vendor(struct ikev2_builder *b, const uint8_t *data, size_t len)
{
	size_t off;

	if (len == 0 || !bytes_ok(data, len)) {
		b->failed = true;
		return;
	}
	off = pl_begin(b, IKEV2_PAYLOAD_VENDOR);
	if (off == SIZE_MAX)
		return;
	wbuf_put_bytes(&b->w, data, len);
	pl_end(b, off);
}

/* SK payload (RFC 7296 3.14): the last; its body is the crypto layer's. */
uint8_t *ikev2_build_sk(struct ikev2_builder *b, uint8_t first_inner, size_t body_len)
{
	size_t off, body;

	if (!b->has_header || body_len == 0 || body_len > UINT16_MAX - IKEV2_PAYLOAD_HDR_LEN) {
		b->failed = true;
		return NULL;
	}
	off = pl_begin(b, IKEV2_PAYLOAD_SK);
	b->sealed = true;
	if (off == SIZE_MAX)
		return NULL;
	b->w.data[off] = first_inner;
	body = wbuf_reserve(&b->w, body_len);
	pl_end(b, off);
	return body == SIZE_MAX || !ikev2_build_ok(b) ? NULL : b->w.data + body;
}

size_t ikev2_build_finish(struct ikev2_builder *b)
{
	size_t len = wbuf_len(&b->w);

	if (!ikev2_build_ok(b) || len > UINT32_MAX)
		return 0;
	if (b->has_header) {
		b->w.data[OFF_LENGTH] = (uint8_t)(len >> 24);
		b->w.data[OFF_LENGTH + 1] = (uint8_t)(len >> 16);
		b->w.data[OFF_LENGTH + 2] = (uint8_t)(len >> 8);
		b->w.data[OFF_LENGTH + 3] = (uint8_t)len;
	}
	return len;
}

const uint8_t *ikev2_build_last_body(const struct ikev2_builder *b, size_t *len)
{
	if (!ikev2_build_ok(b) || b->last_body_off == SIZE_MAX)
		return NULL;
	*len = b->last_body_len;
	return b->w.data + b->last_body_off;
}
