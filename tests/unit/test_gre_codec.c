/*
 * GRE header codec (RFC 2784, RFC 2890 keys and sequence numbers).
 *
 * The vectors below were written out by hand from the RFC header layouts,
 * not produced by the encoder, so a symmetric mistake in encoder and decoder
 * cannot pass. Checksums are worked out in the comments (and one vector was
 * cross-checked with tshark). Decoding always reads from a heap copy of
 * exactly the packet's length, so ASan reports any read past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gre/gre_codec.h"
#include "lib/buf.h"
#include "lib/csum.h"

struct vec {
	const uint8_t *pkt; /* GRE header followed by payload */
	size_t len;
	size_t hdr_len;
	struct gre_hdr h; /* what the header decodes to */
};

/* (a) No options: flags 0, version 0, IPv4; payload de ad be ef. */
static const uint8_t pkt_plain[] = {0x00, 0x00, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef};

/* (b) Key only (K = 0x2000), key 42, IPv4; payload 45 00. */
static const uint8_t pkt_key_v4[] = {0x20, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x45, 0x00};

/* (c) Key only, IPv6, a key whose bytes differ so byte order shows; payload
 * 60 00 00 00. */
static const uint8_t pkt_key_v6[] = {0x20, 0x00, 0x86, 0xdd, 0x01, 0x02,
                                     0x03, 0x04, 0x60, 0x00, 0x00, 0x00};

/* (c) Key only, NHRP (0x2001), a key with the top bit set; payload 00 01
 * (the start of an NHRP fixed header, ar$afn). */
static const uint8_t pkt_key_nhrp[] = {0x20, 0x00, 0x20, 0x01, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x01};

/* (d) Key and sequence (K|S = 0x3000), key 42, sequence 0x80000001;
 * payload de. */
static const uint8_t pkt_key_seq[] = {0x30, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
                                      0x2a, 0x80, 0x00, 0x00, 0x01, 0xde};

/* Sequence only (S = 0x1000), sequence 5, no payload at all. */
static const uint8_t pkt_seq[] = {0x10, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x05};

/*
 * (e) Checksum, key and sequence (C|K|S = 0xb000), key 42, sequence 1,
 * payload 01 02 03 04. The checksum covers header and payload with the
 * checksum field taken as zero, as network-order 16-bit words:
 *   b000 + 0800 + 0000 + 0000 (Reserved1) + 0000 + 002a + 0000 + 0001
 *   + 0102 + 0304 = bc31 (no carries)
 *   checksum = ~bc31 = 43ce
 * Check: bc31 + 43ce = ffff.
 */
static const uint8_t pkt_csum_key_seq[] = {0xb0, 0x00, 0x08, 0x00, 0x43, 0xce, 0x00,
                                           0x00, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00,
                                           0x00, 0x01, 0x01, 0x02, 0x03, 0x04};

/*
 * Checksum only (C = 0x8000) with an odd-length payload 01 02 03; the last
 * byte is the high half of a zero-padded word (RFC 1071):
 *   8000 + 0800 + 0000 + 0000 + 0102 + 0300 = 8c02, checksum ~8c02 = 73fd
 */
static const uint8_t pkt_csum_odd[] = {0x80, 0x00, 0x08, 0x00, 0x73, 0xfd,
                                       0x00, 0x00, 0x01, 0x02, 0x03};

/* Checksum only, no payload: 8000 + 0800 = 8800, checksum ~8800 = 77ff. */
static const uint8_t pkt_csum_empty[] = {0x80, 0x00, 0x08, 0x00, 0x77, 0xff, 0x00, 0x00};

#define VEC(p, hl, c, k, s, pr, ky, sq)                                                            \
	{                                                                                          \
		.pkt = (p), .len = sizeof(p), .hdr_len = (hl),                                     \
		.h = {.has_csum = (c),                                                             \
		      .has_key = (k),                                                              \
		      .has_seq = (s),                                                              \
		      .proto = (pr),                                                               \
		      .key = (ky),                                                                 \
		      .seq = (sq)},                                                                \
	}

static const struct vec v_plain = VEC(pkt_plain, 4, false, false, false, GRE_PROTO_IPV4, 0, 0);
static const struct vec v_key_v4 = VEC(pkt_key_v4, 8, false, true, false, GRE_PROTO_IPV4, 42, 0);
static const struct vec v_key_v6 =
    VEC(pkt_key_v6, 8, false, true, false, GRE_PROTO_IPV6, 0x01020304u, 0);
static const struct vec v_key_nhrp =
    VEC(pkt_key_nhrp, 8, false, true, false, GRE_PROTO_NHRP, 0xfffffffeu, 0);
static const struct vec v_key_seq =
    VEC(pkt_key_seq, 12, false, true, true, GRE_PROTO_IPV4, 42, 0x80000001u);
static const struct vec v_seq = VEC(pkt_seq, 8, false, false, true, GRE_PROTO_IPV4, 0, 5);
static const struct vec v_csum_key_seq =
    VEC(pkt_csum_key_seq, 16, true, true, true, GRE_PROTO_IPV4, 42, 1);
static const struct vec v_csum_odd = VEC(pkt_csum_odd, 8, true, false, false, GRE_PROTO_IPV4, 0, 0);
static const struct vec v_csum_empty =
    VEC(pkt_csum_empty, 8, true, false, false, GRE_PROTO_IPV4, 0, 0);

static const struct vec *const all_vecs[] = {
    &v_plain, &v_key_v4,       &v_key_v6,   &v_key_nhrp,   &v_key_seq,
    &v_seq,   &v_csum_key_seq, &v_csum_odd, &v_csum_empty,
};
#define N_VECS (sizeof(all_vecs) / sizeof(all_vecs[0]))

/* A heap copy of exactly n bytes, so ASan catches reads past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return d;
}

static enum gre_err decode_copy(const uint8_t *p, size_t n, struct gre_hdr *h)
{
	uint8_t *d = dup_exact(p, n);
	struct buf b;
	enum gre_err rc;

	buf_init(&b, d, n);
	rc = gre_decode(&b, h);
	free(d);
	return rc;
}

static void assert_hdr_equal(const struct gre_hdr *got, const struct gre_hdr *want)
{
	assert_int_equal(got->has_csum, want->has_csum);
	assert_int_equal(got->has_key, want->has_key);
	assert_int_equal(got->has_seq, want->has_seq);
	assert_int_equal(got->proto, want->proto);
	/* The decoder zeroes absent fields; the vectors say 0 for them. */
	assert_int_equal(got->key, want->key);
	assert_int_equal(got->seq, want->seq);
}

/* Rewrite the checksum of a packet whose header has C set. */
static void fix_csum(uint8_t *p, size_t n)
{
	uint16_t c;

	p[4] = 0;
	p[5] = 0;
	c = csum_compute(p, n);
	memcpy(p + 4, &c, 2);
}

#define GUARD 0xA5

/* Decode, check the struct and the cursor, re-encode, compare bytes. */
static void test_vector(void **state)
{
	const struct vec *v = *state;
	uint8_t *d = dup_exact(v->pkt, v->len);
	uint8_t out[GRE_HDR_MAX + 4];
	struct gre_hdr h;
	struct buf b;
	struct wbuf w;
	size_t i;

	memset(&h, 0x55, sizeof(h));
	buf_init(&b, d, v->len);
	assert_int_equal(gre_decode(&b, &h), GRE_OK);
	assert_hdr_equal(&h, &v->h);
	/* The cursor is left on the first payload byte. */
	assert_ptr_equal(buf_cursor(&b), d + v->hdr_len);
	assert_int_equal(buf_remaining(&b), v->len - v->hdr_len);
	assert_int_equal(gre_hdr_len(&h), v->hdr_len);
	assert_int_equal(gre_hdr_len(&v->h), v->hdr_len);

	/* Encoding the decoded struct gives back the same bytes exactly. */
	memset(out, GUARD, sizeof(out));
	wbuf_init(&w, out, GRE_HDR_MAX);
	gre_encode(&w, &h, v->pkt + v->hdr_len, v->len - v->hdr_len);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), v->hdr_len);
	assert_memory_equal(out, v->pkt, v->hdr_len);
	for (i = v->hdr_len; i < sizeof(out); i++)
		assert_int_equal(out[i], GUARD);

	/* A wbuf of exactly the header's size is enough. */
	wbuf_init(&w, out, v->hdr_len);
	gre_encode(&w, &v->h, v->pkt + v->hdr_len, v->len - v->hdr_len);
	assert_true(wbuf_ok(&w));
	assert_memory_equal(out, v->pkt, v->hdr_len);
	free(d);
}

static void test_truncated(void **state)
{
	struct gre_hdr h;
	size_t i, n;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		/* Every prefix shorter than the header its flags announce. */
		for (n = 0; n < v->hdr_len; n++)
			assert_int_equal(decode_copy(v->pkt, n, &h), GRE_ERR_TRUNCATED);
		/*
		 * With a checksum, a cut payload no longer sums to zero. (True
		 * of these payloads: each dropped suffix sums to non-zero.)
		 */
		if (v->h.has_csum)
			for (n = v->hdr_len; n < v->len; n++)
				assert_int_equal(decode_copy(v->pkt, n, &h), GRE_ERR_CHECKSUM);
	}
}

static void test_version(void **state)
{
	uint8_t p[64];
	struct gre_hdr h;
	size_t i;
	unsigned ver;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		for (ver = 1; ver <= 7; ver++) {
			memcpy(p, v->pkt, v->len);
			p[1] |= (uint8_t)ver;
			assert_int_equal(decode_copy(p, v->len, &h), GRE_ERR_VERSION);
		}
	}
}

static void test_reserved(void **state)
{
	static const uint16_t bad[] = {0x4000, 0x0800, 0x0400, 0x4C00, 0x4000 | 0x03F8};
	uint8_t p[64];
	struct gre_hdr h;
	size_t i, j;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			memcpy(p, v->pkt, v->len);
			p[0] |= (uint8_t)(bad[j] >> 8);
			p[1] |= (uint8_t)bad[j];
			assert_int_equal(decode_copy(p, v->len, &h), GRE_ERR_RESERVED);
		}
	}
}

/* RFC 2784 2.3: bits 6-12 MUST be ignored on receipt. */
static void test_ignored_bits(void **state)
{
	uint8_t p[64];
	struct gre_hdr h;
	size_t i;
	uint16_t bit;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		/* Each bit alone; the last round (bit 0) sets them all. */
		for (bit = 0x0200;; bit >>= 1) {
			uint16_t set = bit >= 0x0008 ? bit : GRE_IGNORED_BITS;

			memcpy(p, v->pkt, v->len);
			p[0] |= (uint8_t)(set >> 8);
			p[1] |= (uint8_t)set;
			/* The bits are ignored, not exempt from the checksum. */
			if (v->h.has_csum)
				fix_csum(p, v->len);
			assert_int_equal(decode_copy(p, v->len, &h), GRE_OK);
			assert_hdr_equal(&h, &v->h);
			if (bit < 0x0008)
				break;
		}
	}
}

/* Reserved1 is sent as zero but ignored on receipt (RFC 2784 2.5). */
static void test_reserved1_ignored(void **state)
{
	uint8_t p[64];
	struct gre_hdr h;
	size_t i;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		if (!v->h.has_csum)
			continue;
		memcpy(p, v->pkt, v->len);
		p[6] = 0xbe;
		p[7] = 0xef;
		fix_csum(p, v->len);
		assert_int_equal(decode_copy(p, v->len, &h), GRE_OK);
		assert_hdr_equal(&h, &v->h);
	}
}

/*
 * Any single bit flipped after the first word changes the one's complement
 * sum by +-2^k, never a multiple of 0xffff, so the checksum must catch it:
 * the checksum field itself, Reserved1, key, sequence and payload alike.
 */
static void test_bad_checksum(void **state)
{
	uint8_t p[64];
	struct gre_hdr h;
	size_t i, bitno;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		if (!v->h.has_csum)
			continue;
		for (bitno = 32; bitno < v->len * 8; bitno++) {
			memcpy(p, v->pkt, v->len);
			p[bitno / 8] ^= (uint8_t)(0x80 >> (bitno % 8));
			assert_int_equal(decode_copy(p, v->len, &h), GRE_ERR_CHECKSUM);
		}
		/* An all-zero checksum is not "no checksum" when C is set. */
		memcpy(p, v->pkt, v->len);
		p[4] = 0;
		p[5] = 0;
		assert_int_equal(decode_copy(p, v->len, &h), GRE_ERR_CHECKSUM);
	}
}

static void test_encode_too_small(void **state)
{
	uint8_t out[GRE_HDR_MAX + 4];
	struct wbuf w;
	size_t i, cap, k;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		for (cap = 0; cap < v->hdr_len; cap++) {
			memset(out, GUARD, sizeof(out));
			wbuf_init(&w, out, cap);
			gre_encode(&w, &v->h, v->pkt + v->hdr_len, v->len - v->hdr_len);
			assert_false(wbuf_ok(&w));
			/* In particular the checksum is not patched in past cap. */
			for (k = cap; k < sizeof(out); k++)
				assert_int_equal(out[k], GUARD);
		}
	}
}

/*
 * Header and checksum at odd offsets: decode from a cursor that is not at
 * the start of its buffer, and encode after bytes already in the wbuf. The
 * checksum must cover the GRE packet only.
 */
static void test_offsets(void **state)
{
	const struct vec *v = &v_csum_key_seq;
	uint8_t in[3 + sizeof(pkt_csum_key_seq)];
	uint8_t out[1 + GRE_HDR_MAX];
	struct gre_hdr h;
	struct buf b;
	struct wbuf w;

	(void)state;
	memset(in, 0xff, 3);
	memcpy(in + 3, v->pkt, v->len);
	buf_init(&b, in, sizeof(in));
	assert_int_equal(buf_skip(&b, 3), 0);
	assert_int_equal(gre_decode(&b, &h), GRE_OK);
	assert_hdr_equal(&h, &v->h);
	assert_int_equal(buf_remaining(&b), v->len - v->hdr_len);

	wbuf_init(&w, out, sizeof(out));
	wbuf_put_u8(&w, 0xff);
	gre_encode(&w, &v->h, v->pkt + v->hdr_len, v->len - v->hdr_len);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), 1 + v->hdr_len);
	assert_memory_equal(out + 1, v->pkt, v->hdr_len);
}

/*
 * in[0..len) decoded to *h with a header of hl bytes; re-encode *h and
 * check it reads back as the same header. The encoder is allowed to differ
 * only where the decoder ignores: bits 6-12 and Reserved1 are written as
 * zero, and the checksum then differs whenever those were not zero on input
 * (and may be 0x0000 where the input said 0xffff, the other zero of one's
 * complement). What must always hold is that the re-encoded packet verifies.
 */
static void check_reencode(const uint8_t *in, size_t len, const struct gre_hdr *h, size_t hl)
{
	uint8_t out[GRE_HDR_MAX + 64];
	struct gre_hdr h2;
	struct wbuf w;
	uint16_t fin = (uint16_t)(in[0] << 8 | in[1]), fout;

	assert_true(len - hl <= sizeof(out) - GRE_HDR_MAX);
	wbuf_init(&w, out, GRE_HDR_MAX);
	gre_encode(&w, h, in + hl, len - hl);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), hl);
	fout = (uint16_t)(out[0] << 8 | out[1]);
	assert_int_equal(fout, fin & ~GRE_IGNORED_BITS);
	assert_memory_equal(out + 2, in + 2, 2); /* protocol type */
	if (h->has_csum) {
		assert_int_equal(out[6], 0);
		assert_int_equal(out[7], 0);
		assert_memory_equal(out + 8, in + 8, hl - 8);
	} else {
		assert_memory_equal(out + 4, in + 4, hl - 4);
	}
	/* Header plus the same payload decodes to the same struct. */
	memcpy(out + hl, in + hl, len - hl);
	if (h->has_csum)
		assert_int_equal(csum_compute(out, len), 0);
	assert_int_equal(decode_copy(out, len, &h2), GRE_OK);
	assert_hdr_equal(&h2, h);
}

/*
 * Flip every bit of every vector: the decoder must not crash or read out of
 * bounds, must return a known code, and whatever it accepts must re-encode
 * to an equivalent header.
 */
static void test_bitflip(void **state)
{
	uint8_t p[64];
	struct gre_hdr h;
	struct buf b;
	size_t i, bitno;
	enum gre_err rc;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = all_vecs[i];

		for (bitno = 0; bitno < v->len * 8; bitno++) {
			uint8_t *d;

			memcpy(p, v->pkt, v->len);
			p[bitno / 8] ^= (uint8_t)(0x80 >> (bitno % 8));
			d = dup_exact(p, v->len);
			buf_init(&b, d, v->len);
			rc = gre_decode(&b, &h);
			assert_true((unsigned)rc < GRE_ERR__COUNT);
			assert_string_not_equal(gre_err_name(rc), "unknown");
			if (rc == GRE_OK) {
				size_t hl = v->len - buf_remaining(&b);

				assert_int_equal(gre_hdr_len(&h), hl);
				check_reencode(p, v->len, &h, hl);
			}
			free(d);
		}
	}
}

static void test_err_name(void **state)
{
	unsigned e, f;

	(void)state;
	for (e = 0; e < GRE_ERR__COUNT; e++) {
		const char *n = gre_err_name((enum gre_err)e);

		assert_non_null(n);
		assert_true(n[0] != '\0');
		assert_string_not_equal(n, "unknown");
		/* Names end up in logs and counters, so they must differ. */
		for (f = 0; f < e; f++)
			assert_string_not_equal(n, gre_err_name((enum gre_err)f));
	}
	assert_string_equal(gre_err_name(GRE_ERR__COUNT), "unknown");
	assert_string_equal(gre_err_name((enum gre_err)(GRE_ERR__COUNT + 1)), "unknown");
	assert_string_equal(gre_err_name((enum gre_err)1000), "unknown");
	assert_string_equal(gre_err_name((enum gre_err) - 1), "unknown");
}

#define VEC_TEST(name, v)                                                                          \
	{                                                                                          \
		"vector_" name, test_vector, NULL, NULL, (void *)(v)                               \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    VEC_TEST("plain", &v_plain),
	    VEC_TEST("key_ipv4", &v_key_v4),
	    VEC_TEST("key_ipv6", &v_key_v6),
	    VEC_TEST("key_nhrp", &v_key_nhrp),
	    VEC_TEST("key_seq", &v_key_seq),
	    VEC_TEST("seq", &v_seq),
	    VEC_TEST("csum_key_seq", &v_csum_key_seq),
	    VEC_TEST("csum_odd_payload", &v_csum_odd),
	    VEC_TEST("csum_no_payload", &v_csum_empty),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_version),
	    cmocka_unit_test(test_reserved),
	    cmocka_unit_test(test_ignored_bits),
	    cmocka_unit_test(test_reserved1_ignored),
	    cmocka_unit_test(test_bad_checksum),
	    cmocka_unit_test(test_encode_too_small),
	    cmocka_unit_test(test_offsets),
	    cmocka_unit_test(test_bitflip),
	    cmocka_unit_test(test_err_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
