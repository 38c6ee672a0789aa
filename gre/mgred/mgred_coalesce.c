#include "gre/mgred/mgred_coalesce.h"

#include <netinet/in.h>
#include <string.h>

#include "lib/csum.h"

#define TCP_FIN   0x01
#define TCP_SYN   0x02
#define TCP_RST   0x04
#define TCP_PSH   0x08
#define TCP_ACK   0x10
#define IPV4_HLEN 20

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Sum of the TCP pseudo-header (RFC 793 3.1) for an IPv4 header at l3. */
static uint32_t coal_pseudo_sum(const uint8_t *l3, size_t tcp_len)
{
	uint8_t tail[4] = {0, IPPROTO_TCP, (uint8_t)(tcp_len >> 8), (uint8_t)tcp_len};

	return csum_partial(tail, 4, csum_partial(l3 + 12, 8, 0));
}

/*
 * A plain data segment we may merge: IPv4 without options or fragments,
 * TCP with payload and only ACK (and PSH) set, both checksums correct.
 * Returns the TCP header length, or 0.
 */
static size_t coal_eligible(const uint8_t *l3, size_t len)
{
	size_t thl;
	uint8_t flags;

	if (len < IPV4_HLEN + 20 || l3[0] != 0x45 || rd16(l3 + 2) != len ||
	    (rd16(l3 + 6) & 0x3fff) != 0 || l3[9] != IPPROTO_TCP)
		return 0;
	thl = (size_t)(l3[IPV4_HLEN + 12] >> 4) * 4;
	if (thl < 20 || IPV4_HLEN + thl >= len)
		return 0;
	flags = l3[IPV4_HLEN + 13];
	if ((flags & ~TCP_PSH) != TCP_ACK)
		return 0;
	if (csum_compute(l3, IPV4_HLEN) != 0)
		return 0;
	if (csum_fold(csum_partial(l3 + IPV4_HLEN, len - IPV4_HLEN,
	                           coal_pseudo_sum(l3, len - IPV4_HLEN))) != 0)
		return 0;
	return thl;
}

bool coal_start(struct coal_group *g, uint8_t *l3, size_t len)
{
	size_t thl = coal_eligible(l3, len);

	if (!thl || (l3[IPV4_HLEN + 13] & TCP_PSH))
		return false; /* a PSH segment would end the run at once */
	g->first = l3;
	g->first_len = len;
	g->ihl = IPV4_HLEN;
	g->thl = thl;
	g->gso_size = len - IPV4_HLEN - thl;
	g->next_seq = rd32(l3 + IPV4_HLEN + 4) + (uint32_t)g->gso_size;
	g->total = len;
	g->nsegs = 1;
	g->closed = false;
	g->psh = false;
	return true;
}

bool coal_append(struct coal_group *g, uint8_t *l3, size_t len)
{
	const uint8_t *f, *ft, *t;
	size_t thl, payload;

	/* A closed or never-started group has no first segment to compare. */
	if (g->closed || g->nsegs == 0 || g->nsegs == COAL_MAX_SEGS)
		return false;
	f = g->first;
	ft = f + IPV4_HLEN;
	t = l3 + IPV4_HLEN;
	thl = coal_eligible(l3, len);
	if (thl != g->thl)
		return false;
	payload = len - IPV4_HLEN - thl;
	if (payload > g->gso_size || g->total + payload > 0xffff)
		return false;
	/* IPv4: same version/IHL/TOS, flags/fragment, TTL/protocol, addresses. */
	if (memcmp(f, l3, 2) || memcmp(f + 6, l3 + 6, 4) || memcmp(f + 12, l3 + 12, 8))
		return false;
	/* TCP: same ports, next sequence, same ACK, header length, window,
	 * urgent pointer and options; flags may differ only by PSH. */
	if (memcmp(ft, t, 4) || rd32(t + 4) != g->next_seq || memcmp(ft + 8, t + 8, 5) ||
	    (ft[13] | TCP_PSH) != (t[13] | TCP_PSH) || memcmp(ft + 14, t + 14, 2) ||
	    memcmp(ft + 18, t + 18, thl - 18))
		return false;
	g->payload[g->nsegs - 1] =
	    (struct iovec){.iov_base = l3 + IPV4_HLEN + thl, .iov_len = payload};
	g->nsegs++;
	g->total += payload;
	g->next_seq += (uint32_t)payload;
	if (t[13] & TCP_PSH) {
		g->psh = true;
		g->closed = true;
	}
	if (payload < g->gso_size)
		g->closed = true;
	return true;
}

void coal_finish(struct coal_group *g, struct virtio_net_hdr *vh, size_t l2_len)
{
	uint8_t *ip = g->first, *tcp = ip + g->ihl;
	uint16_t c;

	wr16(ip + 2, (uint16_t)g->total);
	wr16(ip + 10, 0);
	c = csum_compute(ip, g->ihl);
	memcpy(ip + 10, &c, 2);
	if (g->psh)
		tcp[13] |= TCP_PSH;
	/* CHECKSUM_PARTIAL convention: the field holds the folded pseudo-header
	 * sum, not complemented; the kernel (or a NIC) finishes it if needed. */
	c = (uint16_t)~csum_fold(coal_pseudo_sum(ip, g->total - g->ihl));
	memcpy(tcp + 16, &c, 2);
	memset(vh, 0, sizeof(*vh));
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vh->hdr_len = (uint16_t)(l2_len + g->ihl + g->thl);
	vh->gso_size = (uint16_t)g->gso_size;
	vh->csum_start = (uint16_t)(l2_len + g->ihl);
	vh->csum_offset = 16;
}
