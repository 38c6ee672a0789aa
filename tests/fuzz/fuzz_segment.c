/*
 * libFuzzer target for software TSO and checksum completion
 * (gre/mgred/mgred_segment.c), which reads frames the kernel hands over
 * from the TAP together with their virtio_net_hdr. Both are trusted
 * less than they look: a guest or a bug may send anything.
 *
 * Input layout (big-endian where it matters):
 *
 *   0      flags of the virtio_net_hdr (as is)
 *   1      gso_type: 0 NONE, 1 TCPV4, 2 TCPV6, 3 TCPV4|ECN, 4 TCPV6|ECN,
 *          5-7 the byte itself (mostly garbage types); chosen this way so
 *          that most inputs exercise a real type
 *   2-3    gso_size
 *   4-5    csum_start
 *   6-7    csum_offset
 *   8      l3_off (the Ethernet header length the caller claims)
 *   9      emit fails at call n - 1 (0: never)
 *   10-    the IP packet, copied into a heap buffer of exactly its length
 *
 * The checks, besides ASan/UBSan:
 *   - the verdict matches an independent reading of the layout rules
 *     (IPv4/IPv6 header, TCP inside, lengths consistent, gso_size > 0);
 *   - a refusal emits nothing and leaves the packet alone;
 *   - GSO: every header fits SEG_HDR_MAX and is the frame's own header with
 *     only length, ID, sequence number, flags and checksums rewritten;
 *     payloads are consecutive slices of the frame, gso_size long but the
 *     last, and add up to exactly the frame's payload; every segment's IPv4
 *     and TCP checksums verify with a naive RFC 1071 reference; the frame
 *     itself is not written;
 *   - NONE: the packet goes out whole; with NEEDS_CSUM only the two bytes
 *     of the field change, to the complement of the sum over
 *     [csum_start, end) (0 becoming 0xffff for UDP's offset only).
 * Failures abort(), which libFuzzer reports as a crash with the input saved.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred_segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_segment: check failed at line %d: %s\n", __LINE__,   \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define PREFIX    10
#define PROTO_TCP 6

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RFC 1071 read literally: network-order words, folded as it goes. */
static uint16_t ref_sum(const uint8_t *p, size_t n, uint16_t sum16)
{
	uint32_t sum = sum16;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (n & 1) {
		sum += (uint32_t)p[n - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

/* TCP over IPv4 or IPv6 (IP header length hl) verifies. */
static int ref_tcp_ok(const uint8_t *ip, int v6, size_t hl, size_t len)
{
	uint8_t ph[40] = {0};
	size_t l4 = len - hl;
	uint16_t s;

	if (v6) {
		memcpy(ph, ip + 8, 32);
		ph[34] = (uint8_t)(l4 >> 8);
		ph[35] = (uint8_t)l4;
		ph[39] = PROTO_TCP;
		s = ref_sum(ph, 40, 0);
	} else {
		memcpy(ph, ip + 12, 8);
		ph[9] = PROTO_TCP;
		ph[10] = (uint8_t)(l4 >> 8);
		ph[11] = (uint8_t)l4;
		s = ref_sum(ph, 12, 0);
	}
	return ref_sum(ip + hl, l4, s) == 0xffff;
}

/*
 * The layout rules read from the header comment and RFC 791/8200/793:
 * returns the IP + TCP header length of an acceptable GSO frame, or 0.
 * *l3_len gets the IP header length.
 */
static size_t ref_layout(uint8_t type, const uint8_t *p, size_t len, size_t *l3_len)
{
	size_t hl, thl;

	switch (type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		if (len < 20 || p[0] >> 4 != 4)
			return 0;
		hl = (size_t)(p[0] & 15) * 4;
		if (hl < 20 || hl > len || be16(p + 2) != len || p[9] != PROTO_TCP)
			return 0;
		if (p[6] & 0x20 || (be16(p + 6) & 0x1fff))
			return 0; /* MF or an offset: a fragment */
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		if (len < 40 || p[0] >> 4 != 6 || p[6] != PROTO_TCP || be16(p + 4) + 40u != len)
			return 0;
		hl = 40;
		break;
	default:
		return 0;
	}
	if (len < hl + 20)
		return 0;
	thl = (size_t)(p[hl + 12] >> 4) * 4;
	if (thl < 20 || hl + thl > len)
		return 0;
	*l3_len = hl;
	return hl + thl;
}

struct ctx {
	const uint8_t *pkt;  /* the buffer handed to mgred_segment */
	const uint8_t *orig; /* a copy from before */
	size_t len;
	int gso, v6;
	size_t l3_len, hdr_len; /* expected, for GSO */
	size_t mss, off;
	unsigned calls, fail_at;
	uint8_t *seg; /* room for one whole segment */
};

static int emit(void *vctx, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload, size_t plen)
{
	struct ctx *c = vctx;
	unsigned call = c->calls++;

	CHECK(hdr_len <= SEG_HDR_MAX);
	CHECK(payload >= c->pkt && plen <= c->len && (size_t)(payload - c->pkt) <= c->len - plen);
	if (!c->gso) {
		CHECK(call == 0);
		CHECK(hdr_len == 0);
		CHECK(payload == c->pkt && plen == c->len);
	} else {
		size_t total = c->len - c->hdr_len, hl = c->l3_len;
		uint8_t flags, oflags = c->orig[hl + 13];
		int last;

		CHECK(hdr != NULL && hdr_len == c->hdr_len);
		/* Consecutive slices of the frame's payload, mss long but the last. */
		CHECK(payload == c->pkt + c->hdr_len + c->off);
		CHECK(plen <= c->mss && plen <= total - c->off);
		last = c->off + plen == total;
		CHECK(last || plen == c->mss);
		CHECK(plen > 0 || total == 0);

		/* The frame's header but for the fields TSO rewrites. */
		if (c->v6) {
			CHECK(be16(hdr + 4) == hdr_len - 40 + plen);
			CHECK(memcmp(hdr, c->orig, 4) == 0);
			CHECK(memcmp(hdr + 6, c->orig + 6, 34) == 0);
		} else {
			CHECK(be16(hdr + 2) == hdr_len + plen);
			CHECK(be16(hdr + 4) == (uint16_t)(be16(c->orig + 4) + call));
			CHECK(ref_sum(hdr, hl, 0) == 0xffff);
			CHECK(memcmp(hdr, c->orig, 2) == 0);
			CHECK(memcmp(hdr + 6, c->orig + 6, 4) == 0);
			CHECK(memcmp(hdr + 12, c->orig + 12, hl - 12) == 0);
		}
		CHECK(memcmp(hdr + hl, c->orig + hl, 4) == 0);
		CHECK(be32(hdr + hl + 4) == (uint32_t)(be32(c->orig + hl + 4) + c->off));
		CHECK(memcmp(hdr + hl + 8, c->orig + hl + 8, 5) == 0);
		flags = oflags;
		if (!last)
			flags &= (uint8_t)~0x09; /* FIN, PSH */
		if (call > 0)
			flags &= (uint8_t)~0x80; /* CWR */
		CHECK(hdr[hl + 13] == flags);
		CHECK(memcmp(hdr + hl + 14, c->orig + hl + 14, 2) == 0);
		CHECK(memcmp(hdr + hl + 18, c->orig + hl + 18, hdr_len - hl - 18) == 0);

		memcpy(c->seg, hdr, hdr_len);
		memcpy(c->seg + hdr_len, payload, plen);
		CHECK(ref_tcp_ok(c->seg, c->v6, hl, hdr_len + plen));
		c->off += plen;
	}
	return c->fail_at && call + 1 == c->fail_at ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t types[5] = {
	    VIRTIO_NET_HDR_GSO_NONE,
	    VIRTIO_NET_HDR_GSO_TCPV4,
	    VIRTIO_NET_HDR_GSO_TCPV6,
	    VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN,
	    VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN,
	};
	struct virtio_net_hdr vh;
	struct ctx c;
	size_t len, l3_off, want_hdr = 0, l3_len = 0;
	uint8_t *pkt, *orig;
	enum seg_result rc;

	if (size < PREFIX)
		return 0;
	memset(&vh, 0, sizeof(vh));
	vh.flags = data[0];
	vh.gso_type = data[1] % 8 < 5 ? types[data[1] % 8] : data[1];
	vh.gso_size = be16(data + 2);
	vh.csum_start = be16(data + 4);
	vh.csum_offset = be16(data + 6);
	l3_off = data[8];
	len = size - PREFIX;

	/* Exactly len bytes on the heap, so ASan sees any overread. */
	pkt = malloc(len ? len : 1);
	orig = malloc(len ? len : 1);
	CHECK(pkt && orig);
	memcpy(pkt, data + PREFIX, len);
	memcpy(orig, data + PREFIX, len);

	memset(&c, 0, sizeof(c));
	c.pkt = pkt;
	c.orig = orig;
	c.len = len;
	c.gso = vh.gso_type != VIRTIO_NET_HDR_GSO_NONE;
	c.mss = vh.gso_size;
	c.fail_at = data[9];
	if (c.gso) {
		want_hdr = ref_layout(vh.gso_type, pkt, len, &l3_len);
		c.hdr_len = want_hdr;
		c.l3_len = l3_len;
		c.v6 = (vh.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) == VIRTIO_NET_HDR_GSO_TCPV6;
		c.seg = malloc(SEG_HDR_MAX + 65536);
		CHECK(c.seg != NULL);
	}

	rc = mgred_segment(&vh, pkt, len, l3_off, emit, &c);
	CHECK(rc == SEG_OK || rc == SEG_ERR_MALFORMED || rc == SEG_ERR_EMIT);

	if (rc == SEG_ERR_MALFORMED) {
		CHECK(c.calls == 0);
		CHECK(memcmp(pkt, orig, len) == 0);
	} else if (rc == SEG_ERR_EMIT) {
		CHECK(c.fail_at != 0 && c.calls == c.fail_at);
	} else {
		CHECK(c.fail_at == 0 || c.calls < c.fail_at);
	}

	if (c.gso) {
		size_t total = want_hdr ? len - want_hdr : 0;
		size_t nsegs = total ? (total + c.mss - 1) / (c.mss ? c.mss : 1) : 1;

		/* Accepted exactly when the layout is sound and gso_size > 0. */
		CHECK((rc == SEG_ERR_MALFORMED) == (want_hdr == 0 || c.mss == 0));
		if (rc == SEG_OK) {
			CHECK(c.calls == nsegs);
			CHECK(c.off == total);
		}
		/* Segmenting never writes the frame. */
		CHECK(memcmp(pkt, orig, len) == 0);
		free(c.seg);
	} else if (!(vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		CHECK(rc != SEG_ERR_MALFORMED);
		CHECK(memcmp(pkt, orig, len) == 0);
	} else {
		size_t start = (size_t)vh.csum_start - l3_off, field = start + vh.csum_offset;
		int ok = vh.csum_start >= l3_off && start < len && field + 2 <= len;

		CHECK((rc != SEG_ERR_MALFORMED) == ok);
		if (ok) {
			/* Only the field changed... */
			CHECK(memcmp(pkt, orig, field) == 0);
			CHECK(memcmp(pkt + field + 2, orig + field + 2, len - field - 2) == 0);
			/* ...to ~sum of [start, end) as it was, the field holding
			 * the pseudo-header sum. (At an odd csum_offset, which no
			 * kernel sends, the value is still that, only useless.) */
			uint16_t want = (uint16_t)~ref_sum(orig + start, len - start, 0);

			if (want == 0 && vh.csum_offset == 6)
				want = 0xffff;
			CHECK(be16(pkt + field) == want);
		} else {
			CHECK(memcmp(pkt, orig, len) == 0);
		}
	}
	free(pkt);
	free(orig);
	return 0;
}
