/*
 * libFuzzer target for the IKEv2 message codec (iked/ikev2_msg*.c).
 *
 * Every input is decoded twice: as a whole message (ikev2_msg_decode), and
 * as a plaintext payload chain (ikev2_payloads_decode) whose first payload
 * type is the input's first byte and whose bytes are the rest. Whatever is
 * decoded, or refused only for an unknown critical payload (the struct is
 * then complete), must be within our limits, every pointer inside the
 * input, and an SK/SKF body must run to the end of the input.
 *
 * Re-build: when every payload is one the builder writes (SA, KE, IDi,
 * IDr, AUTH, Nonce, Notify, Delete, Vendor ID, TSi, TSr, SK) and no
 * transform carries an attribute other than one Key Length, the decoded
 * struct is re-built in wire order and:
 *
 *   - it is exactly as long as the input, and needs all of it (one byte
 *     less of capacity fails);
 *   - it equals the input byte for byte, unless the decoder noted a
 *     RESERVED field or the critical bit of a known payload set
 *     (m.nonzero_reserved: ignored on receipt, RFC 7296 3.2, written as
 *     zero). Then the re-build must decode with no such note to an equal
 *     re-build (a fixpoint).
 *
 * Not re-built: CERT, CERTREQ, CP, EAP, SKF and unknown payloads (checked
 * and skipped by the decoder, not kept), unknown transform attributes.
 * Failures abort(), which libFuzzer reports as a crash with the input
 * saved.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iked/ikev2_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_ikev2: check failed at line %d: %s\n", __LINE__,     \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_OUT 70000 /* a UDP datagram at most, and then some */

/* p .. p + len lies within the input (or is NULL and empty). */
static bool inside(const uint8_t *in, size_t size, const uint8_t *p, size_t len)
{
	if (len == 0)
		return p == NULL;
	return p >= in && p <= in + size && len <= (size_t)(in + size - p);
}

static void check_struct(const uint8_t *in, size_t size, const struct ikev2_msg *m)
{
	size_t i;

	CHECK(m->n_payloads <= IKEV2_MAX_PAYLOADS && m->n_notify <= IKEV2_MAX_NOTIFY);
	CHECK(m->n_delete <= IKEV2_MAX_DELETE && m->n_vendor <= IKEV2_MAX_VENDOR);
	CHECK(m->sa.n <= IKEV2_MAX_PROPOSALS && m->tsi.n <= IKEV2_MAX_TS &&
	      m->tsr.n <= IKEV2_MAX_TS);
	for (i = 0; i < m->sa.n; i++)
		CHECK(m->sa.p[i].n_transforms >= 1 &&
		      m->sa.p[i].n_transforms <= IKEV2_MAX_TRANSFORMS);
	CHECK(inside(in, size, m->ke, m->ke_len));
	CHECK(inside(in, size, m->nonce, m->nonce_len));
	CHECK(inside(in, size, m->idi.data, m->idi.len) &&
	      inside(in, size, m->idi.body, m->idi.body_len));
	CHECK(inside(in, size, m->idr.data, m->idr.len) &&
	      inside(in, size, m->idr.body, m->idr.body_len));
	CHECK(inside(in, size, m->auth, m->auth_len));
	for (i = 0; i < m->n_notify; i++)
		CHECK(inside(in, size, m->notify[i].spi, m->notify[i].spi_size) &&
		      inside(in, size, m->notify[i].data, m->notify[i].len));
	for (i = 0; i < m->n_delete; i++) {
		size_t len = (size_t)m->del[i].spi_size * m->del[i].n_spi;

		CHECK(inside(in, size, m->del[i].spis, len));
	}
	for (i = 0; i < m->n_vendor; i++)
		CHECK(inside(in, size, m->vendor[i].data, m->vendor[i].len));
	if (m->has_sk) /* the last payload: it runs to the end */
		CHECK(m->sk_body == in + m->sk_body_off && m->sk_body_off + m->sk_body_len == size);
	if (m->has_skf)
		CHECK(m->skf_body == in + m->skf_body_off &&
		      m->skf_body_off + m->skf_body_len == size);
	CHECK(!(m->has_sk && m->has_skf));
}

static bool buildable(const struct ikev2_msg *m)
{
	size_t i, j, k;

	for (i = 0; i < m->sa.n; i++)
		for (j = 0; j < m->sa.p[i].n_transforms; j++)
			if (m->sa.p[i].t[j].unknown_attr)
				return false;
	for (k = 0; k < m->n_payloads; k++)
		switch (m->types[k]) {
		case IKEV2_PAYLOAD_SA:
		case IKEV2_PAYLOAD_KE:
		case IKEV2_PAYLOAD_IDI:
		case IKEV2_PAYLOAD_IDR:
		case IKEV2_PAYLOAD_AUTH:
		case IKEV2_PAYLOAD_NONCE:
		case IKEV2_PAYLOAD_NOTIFY:
		case IKEV2_PAYLOAD_DELETE:
		case IKEV2_PAYLOAD_VENDOR:
		case IKEV2_PAYLOAD_TSI:
		case IKEV2_PAYLOAD_TSR:
		case IKEV2_PAYLOAD_SK:
			break;
		default:
			return false;
		}
	return true;
}

/* Re-build m in wire order into out (cap bytes); 0 when it did not fit. */
static size_t rebuild(const struct ikev2_msg *m, bool inner, uint8_t *out, size_t cap,
                      uint8_t *first)
{
	struct ikev2_builder b;
	size_t i, n_notify = 0, n_delete = 0, n_vendor = 0, n;
	uint8_t *sk = NULL;

	if (inner)
		ikev2_build_inner_init(&b, out, cap);
	else
		ikev2_build_init(&b, out, cap, &m->hdr);
	for (i = 0; i < m->n_payloads; i++) {
		const struct ikev2_notify *no = &m->notify[n_notify];
		const struct ikev2_delete *d = &m->del[n_delete];

		switch (m->types[i]) {
		case IKEV2_PAYLOAD_SA:
			ikev2_build_sa(&b, &m->sa);
			break;
		case IKEV2_PAYLOAD_KE:
			ikev2_build_ke(&b, m->ke_group, m->ke, m->ke_len);
			break;
		case IKEV2_PAYLOAD_IDI:
			ikev2_build_id(&b, IKEV2_PAYLOAD_IDI, m->idi.type, m->idi.data, m->idi.len);
			break;
		case IKEV2_PAYLOAD_IDR:
			ikev2_build_id(&b, IKEV2_PAYLOAD_IDR, m->idr.type, m->idr.data, m->idr.len);
			break;
		case IKEV2_PAYLOAD_AUTH:
			ikev2_build_auth(&b, m->auth_method, m->auth, m->auth_len);
			break;
		case IKEV2_PAYLOAD_NONCE:
			ikev2_build_nonce(&b, m->nonce, m->nonce_len);
			break;
		case IKEV2_PAYLOAD_NOTIFY:
			ikev2_build_notify(&b, no->protocol, no->spi, no->spi_size, no->type,
			                   no->data, no->len);
			n_notify++;
			break;
		case IKEV2_PAYLOAD_DELETE:
			ikev2_build_delete(&b, d->protocol, d->spi_size, d->spis, d->n_spi);
			n_delete++;
			break;
		case IKEV2_PAYLOAD_VENDOR:
			ikev2_build_vendor(&b, m->vendor[n_vendor].data, m->vendor[n_vendor].len);
			n_vendor++;
			break;
		case IKEV2_PAYLOAD_TSI:
			ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &m->tsi);
			break;
		case IKEV2_PAYLOAD_TSR:
			ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &m->tsr);
			break;
		case IKEV2_PAYLOAD_SK:
			sk = ikev2_build_sk(&b, m->sk_first, m->sk_body_len);
			break;
		default:
			CHECK(false);
		}
	}
	n = ikev2_build_finish(&b);
	if (!ikev2_build_ok(&b))
		return 0;
	CHECK(n == 0 || n == wbuf_len(&b.w));
	if (sk)
		memcpy(sk, m->sk_body, m->sk_body_len);
	*first = b.first;
	return n;
}

static int decode(const uint8_t *in, size_t size, bool inner, uint8_t first, struct ikev2_msg *m,
                  struct ikev2_decode_error *err)
{
	int rc = inner ? ikev2_payloads_decode(first, in, size, m, err)
	               : ikev2_msg_decode(in, size, m, err);

	CHECK(rc == 0 || rc == -1);
	CHECK(err->reason != NULL);
	CHECK((rc == 0) == (err->notify == 0 && strcmp(err->reason, "ok") == 0));
	if (err->notify)
		CHECK(strcmp(ikev2_notify_name(err->notify), "unknown") != 0);
	return rc;
}

static void check_rebuild(const uint8_t *in, size_t size, bool inner, uint8_t first,
                          const struct ikev2_msg *m)
{
	static uint8_t out[MAX_OUT], out2[MAX_OUT];
	static struct ikev2_msg m2;
	struct ikev2_decode_error err;
	uint8_t first2 = 0xff, first3 = 0xff;
	size_t n;

	CHECK(size <= MAX_OUT);
	n = rebuild(m, inner, out, sizeof(out), &first2);
	CHECK(n == size && (n > 0 || inner));
	if (inner)
		CHECK(first2 == (size ? first : IKEV2_PAYLOAD_NONE));
	if (n > 0)
		CHECK(rebuild(m, inner, out2, n - 1, &first3) == 0);
	if (!m->nonzero_reserved) {
		CHECK(memcmp(out, in, n) == 0);
		return;
	}
	/* the ignored bits written as zero: a fixpoint from there */
	CHECK(decode(out, n, inner, first2, &m2, &err) == 0);
	CHECK(!m2.nonzero_reserved);
	CHECK(rebuild(&m2, inner, out2, sizeof(out2), &first3) == n);
	CHECK(memcmp(out, out2, n) == 0);
}

static void check_one(const uint8_t *in, size_t size, bool inner, uint8_t first)
{
	static struct ikev2_msg m;
	struct ikev2_decode_error err;
	int rc;

	rc = decode(in, size, inner, first, &m, &err);
	if (rc != 0 && err.notify != IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD)
		return;
	CHECK((rc != 0) == (m.unknown_critical != 0));
	check_struct(in, size, &m);
	if (!inner)
		CHECK(m.hdr.length == size && size >= IKEV2_HDR_LEN && m.hdr.ispi != 0);
	if (rc == 0 && buildable(&m))
		check_rebuild(in, size, inner, first, &m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	/* heap copies of exactly the bytes decoded, for ASan */
	copy = malloc(size ? size : 1);
	CHECK(copy != NULL);
	if (size)
		memcpy(copy, data, size);
	check_one(copy, size, false, 0);
	free(copy);
	if (size == 0)
		return 0;
	copy = malloc(size - 1 ? size - 1 : 1);
	CHECK(copy != NULL);
	memcpy(copy, data + 1, size - 1);
	check_one(copy, size - 1, true, data[0]);
	free(copy);
	return 0;
}
