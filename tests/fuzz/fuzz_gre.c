/*
 * libFuzzer target for the GRE header codec.
 *
 * Every input is decoded. Whatever the decoder accepts is re-encoded and
 * must come out as the same header: the decoder may only have accepted what
 * the encoder can express. The two may legitimately differ in exactly the
 * places the decoder ignores, so those are masked rather than compared:
 *
 *   - bits 6-12 of the flags word (RFC 2784 2.3), which the encoder zeroes;
 *   - Reserved1, which the encoder zeroes (RFC 2784 2.5);
 *   - the checksum field, whenever either of the above was non-zero on
 *     input (they are covered by the checksum, so it changes with them),
 *     and 0x0000 versus 0xffff otherwise: both are zero in one's complement
 *     and the input may carry either, while the encoder never writes 0xffff.
 *
 * Instead of the masked checksum, the re-encoded packet must verify and
 * decode to the same struct. Failures abort(), which libFuzzer reports as a
 * crash with the input saved.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre/gre_codec.h"
#include "lib/buf.h"
#include "lib/csum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_gre: check failed at line %d: %s\n", __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void check_reencode(const uint8_t *in, size_t size, const struct gre_hdr *h, size_t hl)
{
	size_t plen = size - hl;
	uint8_t *out = malloc(GRE_HDR_MAX + plen + 1);
	uint16_t fin = be16(in), fout;
	struct gre_hdr h2;
	struct wbuf w;
	struct buf b;

	CHECK(out != NULL);
	/* Room for the header only: the encoder must not need more. */
	wbuf_init(&w, out, GRE_HDR_MAX);
	gre_encode(&w, h, in + hl, plen);
	CHECK(wbuf_ok(&w));
	CHECK(wbuf_len(&w) == hl);

	fout = be16(out);
	CHECK(fout == (fin & ~GRE_IGNORED_BITS));
	CHECK(be16(out + 2) == be16(in + 2));
	if (h->has_csum) {
		uint16_t cin = be16(in + 4), cout = be16(out + 4);

		CHECK(be16(out + 6) == 0);
		if (be16(in + 6) == 0 && (fin & GRE_IGNORED_BITS) == 0)
			CHECK(cin == cout || (cin == 0xffff && cout == 0x0000));
		CHECK(memcmp(out + 8, in + 8, hl - 8) == 0);
	} else {
		CHECK(memcmp(out + 4, in + 4, hl - 4) == 0);
	}

	/* The re-encoded header with the same payload decodes the same. */
	if (plen)
		memcpy(out + hl, in + hl, plen);
	if (h->has_csum)
		CHECK(csum_compute(out, hl + plen) == 0);
	buf_init(&b, out, hl + plen);
	CHECK(gre_decode(&b, &h2) == GRE_OK);
	CHECK(buf_remaining(&b) == plen);
	CHECK(h2.has_csum == h->has_csum && h2.has_key == h->has_key && h2.has_seq == h->has_seq &&
	      h2.proto == h->proto && h2.key == h->key && h2.seq == h->seq);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gre_hdr h;
	struct buf b;
	enum gre_err rc;
	size_t hl;

	buf_init(&b, data, size);
	rc = gre_decode(&b, &h);
	CHECK((unsigned)rc < GRE_ERR__COUNT);
	CHECK(gre_err_name(rc) != NULL);
	if (rc != GRE_OK)
		return 0;

	/* The cursor moved by exactly the header the flags describe. */
	CHECK(buf_remaining(&b) <= size);
	hl = size - buf_remaining(&b);
	CHECK(hl == gre_hdr_len(&h));
	CHECK(hl >= GRE_HDR_MIN && hl <= GRE_HDR_MAX);
	CHECK(buf_cursor(&b) == data + hl);
	/* Absent fields decode as zero. */
	CHECK(h.has_key || h.key == 0);
	CHECK(h.has_seq || h.seq == 0);

	check_reencode(data, size, &h, hl);
	return 0;
}
