/*
 * libFuzzer target for the NHRP packet codec (nhrpd/nhrp_packet*.c).
 *
 * Every input is decoded. Whatever the decoder accepts, or refuses only for
 * an unknown compulsory extension (it still fills the whole struct so a
 * transit NHS can forward it), must re-encode, and:
 *
 *   - the encoding is exactly ar$pktsz long and needs all of it;
 *   - it equals the input's first ar$pktsz bytes, except where the decoder
 *     ignores what it reads, which the encoder writes as zero: ar$pro.snap
 *     (RFC 2332 5.1, ignored for a short-form protocol type), the unused
 *     word of an Error Indication (5.2.7) and that of every CIE (5.2.0.1).
 *     Those are zeroed in a copy of the input by an independent walk of
 *     its lengths, and the copy's checksum recomputed. When nothing was
 *     zeroed, the input's own checksum must match too, but for 0xffff
 *     against 0x0000 (both zero in one's complement; the encoder never
 *     writes 0xffff);
 *   - the encoding decodes with the same verdict to an equal struct.
 *
 * Link-layer padding after ar$pktsz must not change the verdict. Each
 * input is also tried with its checksum made good, so that mutations get
 * past it. Failures abort(), which libFuzzer reports as a crash with the
 * input saved.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csum.h"
#include "nhrpd/nhrp_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_nhrp: check failed at line %d: %s\n", __LINE__,      \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool bytes_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	/* An empty value is NULL, never a pointer to nothing. */
	if (alen != blen || (alen == 0) != (a == NULL) || (blen == 0) != (b == NULL))
		return false;
	return alen == 0 || memcmp(a, b, alen) == 0;
}

static bool cie_equal(const struct nhrp_cie *a, const struct nhrp_cie *b)
{
	return a->code == b->code && a->prefix_len == b->prefix_len && a->mtu == b->mtu &&
	       a->holding_time == b->holding_time && a->preference == b->preference &&
	       memcmp(&a->nbma, &b->nbma, sizeof(a->nbma)) == 0 &&
	       memcmp(&a->proto, &b->proto, sizeof(a->proto)) == 0;
}

static bool packet_equal(const struct nhrp_packet *a, const struct nhrp_packet *b)
{
	size_t i, j;

	if (a->afn != b->afn || a->pro_type != b->pro_type || a->hop_count != b->hop_count ||
	    a->type != b->type || a->flags != b->flags || a->request_id != b->request_id ||
	    a->error_code != b->error_code || a->error_offset != b->error_offset ||
	    memcmp(&a->src_nbma, &b->src_nbma, sizeof(a->src_nbma)) != 0 ||
	    memcmp(&a->src_proto, &b->src_proto, sizeof(a->src_proto)) != 0 ||
	    memcmp(&a->dst_proto, &b->dst_proto, sizeof(a->dst_proto)) != 0 ||
	    a->n_cie != b->n_cie || a->n_ext != b->n_ext ||
	    a->has_extensions != b->has_extensions ||
	    !bytes_equal(a->payload, a->payload_len, b->payload, b->payload_len))
		return false;
	for (i = 0; i < a->n_cie; i++)
		if (!cie_equal(&a->cie[i], &b->cie[i]))
			return false;
	for (i = 0; i < a->n_ext; i++) {
		const struct nhrp_ext *x = &a->ext[i], *y = &b->ext[i];

		if (x->type != y->type || x->compulsory != y->compulsory || x->n_cie != y->n_cie ||
		    !bytes_equal(x->data, x->len, y->data, y->len))
			return false;
		for (j = 0; j < x->n_cie; j++)
			if (!cie_equal(&x->cie[j], &y->cie[j]))
				return false;
	}
	return true;
}

static void zero_cie_unused(uint8_t *b, size_t off, size_t end)
{
	while (off < end) {
		b[off + 2] = b[off + 3] = 0;
		off += 12 + b[off + 8] + b[off + 9] + b[off + 10];
	}
}

/* Zero, in b (a packet that decoded), what the decoder ignores. */
static void normalize(uint8_t *b)
{
	size_t pktsz = be16(b + 10), extoff = be16(b + 14), off;
	uint16_t c;

	memset(b + 4, 0, 5);
	if (b[17] == NHRP_ERROR_INDICATION)
		b[22] = b[23] = 0;
	else if (b[17] != NHRP_TRAFFIC_INDICATION)
		zero_cie_unused(b, 28 + b[18] + b[20] + b[21], extoff ? extoff : pktsz);
	for (off = extoff; off && (be16(b + off) & 0x7fff) != 0; off += 4 + be16(b + off + 2)) {
		uint16_t type = be16(b + off) & 0x7fff;

		if (type == 3 || type == 4 || type == 5 || type == 9)
			zero_cie_unused(b, off + 4, off + 4 + be16(b + off + 2));
	}
	b[12] = b[13] = 0;
	c = csum_compute(b, pktsz);
	memcpy(b + 12, &c, 2);
}

static void check_reencode(const uint8_t *in, const struct nhrp_packet *p,
                           const struct nhrp_decode_error *err)
{
	static uint8_t out[NHRP_MAX_PACKET], norm[NHRP_MAX_PACKET];
	static struct nhrp_packet p2;
	struct nhrp_decode_error err2;
	size_t pktsz = be16(in + 10), n;

	n = nhrp_encode(p, out, sizeof(out));
	CHECK(n == pktsz);
	CHECK(nhrp_encode(p, out, n - 1) == 0);
	CHECK(nhrp_encode(p, out, n) == n);

	memcpy(norm, in, pktsz);
	normalize(norm);
	CHECK(memcmp(out, norm, n) == 0);
	if (memcmp(norm, in, 12) == 0 && memcmp(norm + 14, in + 14, pktsz - 14) == 0)
		CHECK(memcmp(out + 12, in + 12, 2) == 0 ||
		      (be16(in + 12) == 0xffff && be16(out + 12) == 0));

	CHECK(nhrp_decode(out, n, &p2, &err2) == (err->code == NHRP_ERR_NONE ? 0 : -1));
	CHECK(err2.code == err->code && err2.offset == err->offset);
	CHECK(packet_equal(p, &p2));
}

static void check_one(const uint8_t *data, size_t size)
{
	static struct nhrp_packet p, q;
	struct nhrp_decode_error err, err2;
	int rc;

	rc = nhrp_decode(data, size, &p, &err);
	CHECK(rc == 0 || rc == -1);
	CHECK(err.reason != NULL);
	CHECK(strcmp(nhrp_error_code_name(err.code), "unknown") != 0);
	CHECK((rc == 0) == (err.code == NHRP_ERR_NONE && strcmp(err.reason, "ok") == 0));
	if (rc == 0 || err.code != NHRP_ERR_NONE) {
		/* Past the checksum, so ar$pktsz is within the buffer: what
		 * follows it is padding and must not change anything. */
		CHECK(size >= NHRP_FIXED_HLEN && be16(data + 10) <= size);
		CHECK(nhrp_decode(data, be16(data + 10), &q, &err2) == rc);
		CHECK(err2.code == err.code && err2.offset == err.offset);
	}
	if (rc == 0) {
		CHECK(strcmp(nhrp_type_name(p.type), "unknown") != 0);
		CHECK(p.n_cie <= NHRP_MAX_CIE && p.n_ext <= NHRP_MAX_EXT);
	}
	if (rc == 0 || err.code == NHRP_ERR_UNRECOGNIZED_EXTENSION)
		check_reencode(data, &p, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed;
	size_t pktsz;
	uint16_t c;

	check_one(data, size);
	/*
	 * Again with the checksum made good, or almost every mutation would
	 * stop there. A heap copy of exactly size bytes, for ASan.
	 */
	if (size < NHRP_FIXED_HLEN || (pktsz = be16(data + 10)) < NHRP_FIXED_HLEN || pktsz > size)
		return 0;
	fixed = malloc(size);
	CHECK(fixed != NULL);
	memcpy(fixed, data, size);
	fixed[12] = fixed[13] = 0;
	c = csum_compute(fixed, pktsz);
	memcpy(fixed + 12, &c, 2);
	check_one(fixed, size);
	free(fixed);
	return 0;
}
