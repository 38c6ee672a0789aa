/*
 * libFuzzer target for the control socket framing (lib/ctl_frame.c), which
 * every daemon runs over bytes from a local client.
 *
 * The input is a byte stream as it arrives on the socket. Frames are decoded
 * until the decoder says "need more" (0) or "never valid" (-1). Checks,
 * besides ASan/UBSan:
 *   - 1: exactly header + payload consumed, the payload pointing into the
 *     input right after the header, a known type, len <= the maximum; the
 *     frame re-encodes to the very bytes consumed, into a buffer of exactly
 *     that size (one byte less overflows); any proper prefix of those bytes
 *     decodes to 0 (a frame split across reads is waited for, not refused);
 *   - 0: nothing consumed, and truly too few bytes for the header or for
 *     the length it declares;
 *   - -1: nothing consumed, and the header is bad: unknown type or a length
 *     over CTL_FRAME_MAX_PAYLOAD.
 * Failures abort(), which libFuzzer reports as a crash with the input saved.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/ctl_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_ctl_frame: check failed at line %d: %s\n", __LINE__, \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The frame at p (n bytes, n = header + payload) re-encodes to itself. */
static void check_reencode(const uint8_t *p, size_t n, const struct ctl_frame *f)
{
	uint8_t *out = malloc(n + 1);
	struct wbuf w;
	struct buf b;
	struct ctl_frame f2;
	size_t k;

	CHECK(out != NULL);
	wbuf_init(&w, out, n);
	ctl_frame_encode(&w, f->type, f->payload, f->len);
	CHECK(wbuf_ok(&w));
	CHECK(wbuf_len(&w) == n);
	CHECK(memcmp(out, p, n) == 0);

	wbuf_init(&w, out, n - 1);
	ctl_frame_encode(&w, f->type, f->payload, f->len);
	CHECK(!wbuf_ok(&w));

	/* Every proper prefix is "need more". Checked at a few lengths, not
	 * all, to keep a large frame from costing O(n^2). */
	for (k = 0; k < n; k = k < 8 ? k + 1 : k * 2 + 1) {
		buf_init(&b, p, k);
		CHECK(ctl_frame_decode(&b, &f2) == 0);
		CHECK(buf_remaining(&b) == k);
	}
	buf_init(&b, p, n - 1);
	CHECK(ctl_frame_decode(&b, &f2) == 0);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A heap copy of exactly size bytes, so ASan sees any overread. */
	uint8_t *in = malloc(size ? size : 1);
	struct ctl_frame f;
	struct buf b;
	int rc;

	CHECK(in != NULL);
	if (size)
		memcpy(in, data, size);
	buf_init(&b, in, size);
	for (;;) {
		size_t before = buf_remaining(&b);
		const uint8_t *cur = buf_cursor(&b);

		rc = ctl_frame_decode(&b, &f);
		CHECK(rc == 1 || rc == 0 || rc == -1);
		if (rc != 1) {
			CHECK(buf_remaining(&b) == before);
			if (rc == 0) {
				CHECK(before < CTL_FRAME_HDR_LEN ||
				      (cur[4] >= CTL_FRAME_REQUEST && cur[4] <= CTL_FRAME_EVENT &&
				       be32(cur) <= CTL_FRAME_MAX_PAYLOAD &&
				       before - CTL_FRAME_HDR_LEN < be32(cur)));
			} else {
				CHECK(before >= CTL_FRAME_HDR_LEN);
				CHECK(cur[4] < CTL_FRAME_REQUEST || cur[4] > CTL_FRAME_EVENT ||
				      be32(cur) > CTL_FRAME_MAX_PAYLOAD);
			}
			break;
		}
		CHECK(f.type >= CTL_FRAME_REQUEST && f.type <= CTL_FRAME_EVENT);
		CHECK(f.type == cur[4]);
		CHECK(f.len == be32(cur) && f.len <= CTL_FRAME_MAX_PAYLOAD);
		CHECK(before - buf_remaining(&b) == CTL_FRAME_HDR_LEN + (size_t)f.len);
		CHECK(f.payload == cur + CTL_FRAME_HDR_LEN);
		CHECK(buf_cursor(&b) == cur + CTL_FRAME_HDR_LEN + f.len);
		check_reencode(cur, CTL_FRAME_HDR_LEN + f.len, &f);
	}
	free(in);
	return 0;
}
