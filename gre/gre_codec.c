#include "gre/gre_codec.h"

#include "lib/csum.h"

static const char *const gre_err_names[GRE_ERR__COUNT] = {
    [GRE_OK] = "ok",
    [GRE_ERR_TRUNCATED] = "truncated",
    [GRE_ERR_VERSION] = "bad-version",
    [GRE_ERR_RESERVED] = "reserved-bits",
    [GRE_ERR_CHECKSUM] = "bad-checksum",
};

const char *gre_err_name(enum gre_err err)
{
	if ((unsigned)err >= GRE_ERR__COUNT)
		return "unknown";
	return gre_err_names[err];
}

size_t gre_hdr_len(const struct gre_hdr *h)
{
	return GRE_HDR_MIN + (h->has_csum ? 4 : 0) + (h->has_key ? 4 : 0) + (h->has_seq ? 4 : 0);
}

enum gre_err gre_decode(struct buf *b, struct gre_hdr *h)
{
	/* The checksum covers the GRE header and payload (RFC 2784 2.5). */
	const uint8_t *start = buf_cursor(b);
	size_t total = buf_remaining(b);
	uint16_t flags, csum_field, reserved1;

	if (buf_get_be16(b, &flags) < 0 || buf_get_be16(b, &h->proto) < 0)
		return GRE_ERR_TRUNCATED;
	if ((flags & GRE_VERSION_MASK) != 0)
		return GRE_ERR_VERSION;
	if (flags & GRE_MUST_BE_ZERO)
		return GRE_ERR_RESERVED;
	h->has_csum = flags & GRE_FLAG_C;
	h->has_key = flags & GRE_FLAG_K;
	h->has_seq = flags & GRE_FLAG_S;
	h->key = 0;
	h->seq = 0;
	if (h->has_csum) {
		/* Reserved1 is sent as zero (2.5) and, like bits 6-12, ignored. */
		if (buf_get_be16(b, &csum_field) < 0 || buf_get_be16(b, &reserved1) < 0)
			return GRE_ERR_TRUNCATED;
	}
	if (h->has_key && buf_get_be32(b, &h->key) < 0)
		return GRE_ERR_TRUNCATED;
	if (h->has_seq && buf_get_be32(b, &h->seq) < 0)
		return GRE_ERR_TRUNCATED;
	if (h->has_csum && csum_compute(start, total) != 0)
		return GRE_ERR_CHECKSUM;
	return GRE_OK;
}

void gre_encode(struct wbuf *w, const struct gre_hdr *h, const void *payload, size_t payload_len)
{
	uint16_t flags = 0;
	size_t start = wbuf_len(w), csum_off = 0;

	if (h->has_csum)
		flags |= GRE_FLAG_C;
	if (h->has_key)
		flags |= GRE_FLAG_K;
	if (h->has_seq)
		flags |= GRE_FLAG_S;
	wbuf_put_be16(w, flags);
	wbuf_put_be16(w, h->proto);
	if (h->has_csum) {
		csum_off = wbuf_reserve(w, 4); /* checksum and Reserved1, zero for now */
	}
	if (h->has_key)
		wbuf_put_be32(w, h->key);
	if (h->has_seq)
		wbuf_put_be32(w, h->seq);
	if (h->has_csum && wbuf_ok(w)) {
		uint32_t sum = csum_partial(w->data + start, wbuf_len(w) - start, 0);
		uint16_t c;

		/* The header is a whole number of 16-bit words, so the payload's
		 * sum continues at an even offset. */
		if (payload_len)
			sum = csum_partial(payload, payload_len, sum);
		c = csum_fold(sum);
		w->data[csum_off] = ((uint8_t *)&c)[0];
		w->data[csum_off + 1] = ((uint8_t *)&c)[1];
	}
}
