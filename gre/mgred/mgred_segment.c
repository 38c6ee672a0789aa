#include "gre/mgred/mgred_segment.h"

#include <netinet/in.h>
#include <string.h>

#include "lib/csum.h"

#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/* Store a folded checksum exactly as computed (TCP, IPv4 header). */
static void store_csum(uint8_t *field, uint16_t c)
{
	memcpy(field, &c, 2);
}

/* Where a UDP header keeps its checksum: a computed 0 is sent as 0xffff
 * there (RFC 768), because 0 means "no checksum". */
#define UDP_CSUM_OFFSET 6

/* Complete a CHECKSUM_PARTIAL packet: the field holds the pseudo-header sum. */
static enum seg_result seg_complete_csum(const struct virtio_net_hdr *vh, uint8_t *l3, size_t len,
                                         size_t l3_off)
{
	size_t start, field;

	if (vh->csum_start < l3_off)
		return SEG_ERR_MALFORMED;
	start = (size_t)vh->csum_start - l3_off;
	field = start + vh->csum_offset;
	if (start >= len || field + 2 > len || field < start)
		return SEG_ERR_MALFORMED;
	uint16_t c = csum_compute(l3 + start, len - start);

	if (c == 0 && vh->csum_offset == UDP_CSUM_OFFSET)
		c = 0xffff;
	store_csum(l3 + field, c);
	return SEG_OK;
}

/* Sum of the TCP pseudo-header (RFC 793 3.1, RFC 8200 8.1) in memory order. */
static uint32_t seg_pseudo_sum(const uint8_t *l3, int v6, size_t l4_len)
{
	uint8_t tail[8] = {0};
	uint32_t sum;

	if (v6) {
		/* source, destination, upper-layer length (32 bit), zero, next header */
		sum = csum_partial(l3 + 8, 32, 0);
		wr32(tail, (uint32_t)l4_len);
		tail[7] = IPPROTO_TCP;
		return csum_partial(tail, 8, sum);
	}
	/* source, destination, zero, protocol, TCP length */
	sum = csum_partial(l3 + 12, 8, 0);
	tail[1] = IPPROTO_TCP;
	wr16(tail + 2, (uint16_t)l4_len);
	return csum_partial(tail, 4, sum);
}

struct seg_layout {
	int v6;
	size_t l3_len;  /* IP header */
	size_t hdr_len; /* IP + TCP header */
};

static enum seg_result seg_parse(const struct virtio_net_hdr *vh, const uint8_t *l3, size_t len,
                                 struct seg_layout *lay)
{
	size_t tcp_len;

	if (len < 1)
		return SEG_ERR_MALFORMED;
	switch (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		if (len < 20 || (l3[0] >> 4) != 4)
			return SEG_ERR_MALFORMED;
		lay->v6 = 0;
		lay->l3_len = (size_t)(l3[0] & 0x0f) * 4;
		/* No fragments, TCP inside, total length equal to what we hold. */
		if (lay->l3_len < 20 || lay->l3_len > len || l3[9] != IPPROTO_TCP ||
		    (rd16(l3 + 6) & 0x3fff) != 0 || rd16(l3 + 2) != len)
			return SEG_ERR_MALFORMED;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		/* Extension headers are not offloaded to us: TCP must follow. */
		if (len < 40 || (l3[0] >> 4) != 6 || l3[6] != IPPROTO_TCP ||
		    (size_t)rd16(l3 + 4) + 40 != len)
			return SEG_ERR_MALFORMED;
		lay->v6 = 1;
		lay->l3_len = 40;
		break;
	default:
		return SEG_ERR_MALFORMED;
	}
	if (lay->l3_len + 20 > len)
		return SEG_ERR_MALFORMED;
	tcp_len = (size_t)(l3[lay->l3_len + 12] >> 4) * 4;
	if (tcp_len < 20 || lay->l3_len + tcp_len > len)
		return SEG_ERR_MALFORMED;
	lay->hdr_len = lay->l3_len + tcp_len;
	return SEG_OK;
}

enum seg_result mgred_segment(const struct virtio_net_hdr *vh, uint8_t *l3, size_t len,
                              size_t l3_off, seg_emit_fn emit, void *ctx)
{
	struct seg_layout lay;
	uint8_t hdr[SEG_HDR_MAX];
	const uint8_t *payload;
	size_t total, mss, off;
	uint32_t seq0;
	uint16_t id0;
	unsigned k;

	if (vh->gso_type == VIRTIO_NET_HDR_GSO_NONE) {
		if ((vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    seg_complete_csum(vh, l3, len, l3_off) != SEG_OK)
			return SEG_ERR_MALFORMED;
		return emit(ctx, NULL, 0, l3, len) < 0 ? SEG_ERR_EMIT : SEG_OK;
	}
	if (seg_parse(vh, l3, len, &lay) != SEG_OK || lay.hdr_len > SEG_HDR_MAX ||
	    vh->gso_size == 0)
		return SEG_ERR_MALFORMED;
	payload = l3 + lay.hdr_len;
	total = len - lay.hdr_len;
	mss = vh->gso_size;
	seq0 = rd32(l3 + lay.l3_len + 4);
	id0 = lay.v6 ? 0 : rd16(l3 + 4);
	for (k = 0, off = 0; off < total || (total == 0 && k == 0); k++, off += mss) {
		size_t seg = total - off < mss ? total - off : mss;
		int last = off + seg >= total;
		uint8_t *tcp = hdr + lay.l3_len;
		uint32_t sum;

		memcpy(hdr, l3, lay.hdr_len);
		if (lay.v6) {
			wr16(hdr + 4, (uint16_t)(lay.hdr_len - 40 + seg));
		} else {
			wr16(hdr + 2, (uint16_t)(lay.hdr_len + seg));
			wr16(hdr + 4, (uint16_t)(id0 + k));
			wr16(hdr + 10, 0);
			store_csum(hdr + 10, csum_compute(hdr, lay.l3_len));
		}
		wr32(tcp + 4, seq0 + (uint32_t)off);
		if (!last)
			tcp[13] &= (uint8_t) ~(TCP_FIN | TCP_PSH);
		if (k > 0)
			tcp[13] &= (uint8_t)~TCP_CWR;
		wr16(tcp + 16, 0);
		sum = seg_pseudo_sum(hdr, lay.v6, lay.hdr_len - lay.l3_len + seg);
		sum = csum_partial(tcp, lay.hdr_len - lay.l3_len, sum);
		/* The TCP header is a whole number of 32-bit words: the payload's
		 * sum continues at an even offset. */
		sum = csum_partial(payload + off, seg, sum);
		store_csum(tcp + 16, csum_fold(sum));
		if (emit(ctx, hdr, lay.hdr_len, payload + off, seg) < 0)
			return SEG_ERR_EMIT;
		if (total == 0)
			break;
	}
	return SEG_OK;
}
