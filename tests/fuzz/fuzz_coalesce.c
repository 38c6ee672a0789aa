/*
 * libFuzzer target for software GRO (gre/mgred/mgred_coalesce.c), which
 * reads packets straight off the underlay: anyone who can send GRE to us
 * chooses these bytes.
 *
 * The input is a list of packets, each copied into a heap buffer of exactly
 * its length (so ASan sees any overread), fed through coal_start and
 * coal_append the way mgred_rx.c does: a refused packet ends the group
 * (coal_finish when it has two or more segments) and tries to start the
 * next one. Random bytes almost never carry two correct checksums, so the
 * input can ask for them to be fixed, and can describe a packet as "the
 * next one of the previous packet's flow" in a few bytes:
 *
 *   0      mode: bit 0 set = rewrite the IPv4 and TCP checksums of
 *          every packet before use
 *   1      l2_len for coal_finish
 *   then records, until the input ends (at most MAX_PKTS packets):
 *     tag & 3 != 3: a raw packet: u16 length (big-endian), then that many
 *                   bytes (fewer if the input ends)
 *     tag & 3 == 3: the previous packet's IPv4 + TCP header, its total
 *                   length and sequence number moved on, the TCP flags
 *                   XORed with tag >> 2; then u16 payload length and a
 *                   fill byte for the payload
 *
 * The checks, besides ASan/UBSan:
 *   - start and append agree with an independent reading of the merge rules
 *     in mgred_coalesce.h, and neither writes the packet;
 *   - a refused append leaves the group unchanged; a closed or full group
 *     refuses everything; total == sum of the lengths, <= 65535, and each
 *     iovec is exactly the payload of the packet it was appended from;
 *   - coal_finish: vh fields, IPv4 total length and header checksum, the TCP
 *     field holding the pseudo-header sum so that completing it over the
 *     merged bytes gives a checksum a naive RFC 1071 verifier accepts;
 *   - segmenting the merged frame again (mgred_segment) gives back the
 *     packets it was made of, but for the IPv4 ID and its checksum.
 * Failures abort(), which libFuzzer reports as a crash with the input saved.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred_coalesce.h"
#include "gre/mgred/mgred_segment.h"
#include "lib/csum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_coalesce: check failed at line %d: %s\n", __LINE__,  \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_PKTS  64
#define MAX_BYTES (160u << 10) /* all packets of one input: room for one 64 KiB merge and more */
#define PROTO_TCP 6
#define TCP_PSH   0x08
#define TCP_ACK   0x10

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
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

static uint16_t ref_pseudo(const uint8_t *ip, size_t tcp_len)
{
	uint8_t ph[12] = {0};

	memcpy(ph, ip + 12, 8);
	ph[9] = PROTO_TCP;
	put16(ph + 10, (uint16_t)tcp_len);
	return ref_sum(ph, 12, 0);
}

/* Rewrite whatever checksums the packet has room for (mode bit 0). */
static void fix_csums(uint8_t *p, size_t len)
{
	size_t hl;

	if (len < 20 || p[0] >> 4 != 4 || (p[0] & 15) < 5)
		return;
	hl = (size_t)(p[0] & 15) * 4;
	if (hl > len)
		return;
	put16(p + 10, 0);
	put16(p + 10, (uint16_t)~ref_sum(p, hl, 0));
	if (p[9] != PROTO_TCP || len < hl + 18)
		return;
	put16(p + hl + 16, 0);
	put16(p + hl + 16, (uint16_t)~ref_sum(p + hl, len - hl, ref_pseudo(p, len - hl)));
}

/*
 * The merge rules of mgred_coalesce.h, read independently: a plain data
 * segment is IPv4 without options or fragments, TCP with payload, only ACK
 * (and PSH) set, both checksums correct. Returns the TCP header length or 0.
 */
static size_t ref_eligible(const uint8_t *p, size_t len)
{
	size_t thl;

	if (len < 40 || p[0] != 0x45 || be16(p + 2) != len || p[9] != PROTO_TCP)
		return 0;
	if (be16(p + 6) & 0x3fff)
		return 0;
	thl = (size_t)(p[32] >> 4) * 4;
	if (thl < 20 || 20 + thl >= len)
		return 0;
	if ((p[33] | TCP_PSH) != (TCP_ACK | TCP_PSH))
		return 0;
	if (ref_sum(p, 20, 0) != 0xffff)
		return 0;
	if (ref_sum(p + 20, len - 20, ref_pseudo(p, len - 20)) != 0xffff)
		return 0;
	return thl;
}

struct pkt {
	uint8_t *p;    /* exactly len bytes */
	uint8_t *orig; /* a copy, before any coal_* call */
	size_t len;
};

/* The group as the reference sees it. */
struct ref_group {
	const uint8_t *first; /* a copy of the first packet */
	size_t first_len, thl, gso, total;
	uint32_t next_seq;
	unsigned n;
	int closed, psh;
	size_t idx[COAL_MAX_SEGS]; /* which packets it holds */
};

static int ref_start(struct ref_group *r, const struct pkt *k, size_t i)
{
	size_t thl = ref_eligible(k->orig, k->len);

	if (!thl || k->orig[33] & TCP_PSH)
		return 0;
	r->first = k->orig;
	r->first_len = k->len;
	r->thl = thl;
	r->gso = k->len - 20 - thl;
	r->total = k->len;
	r->next_seq = be32(k->orig + 24) + (uint32_t)r->gso;
	r->n = 1;
	r->closed = r->psh = 0;
	r->idx[0] = i;
	return 1;
}

static int ref_append(struct ref_group *r, const struct pkt *k, size_t i)
{
	const uint8_t *f = r->first, *p = k->orig;
	size_t thl, pl;

	if (r->closed || r->n == COAL_MAX_SEGS)
		return 0;
	thl = ref_eligible(p, k->len);
	if (!thl || thl != r->thl)
		return 0;
	pl = k->len - 20 - thl;
	if (pl > r->gso || r->total + pl > 0xffff)
		return 0;
	/* Same version/IHL, TOS, flags/fragment, TTL, protocol, addresses. */
	if (memcmp(f, p, 2) || memcmp(f + 6, p + 6, 4) || memcmp(f + 12, p + 12, 8))
		return 0;
	/* Same ports, the next sequence number, same ACK, offset, window,
	 * urgent pointer and options; flags only ACK/PSH (above). */
	if (memcmp(f + 20, p + 20, 4) || be32(p + 24) != r->next_seq || memcmp(f + 28, p + 28, 5) ||
	    memcmp(f + 34, p + 34, 2) || memcmp(f + 38, p + 38, thl - 18))
		return 0;
	r->idx[r->n++] = i;
	r->total += pl;
	r->next_seq += (uint32_t)pl;
	if (p[33] & TCP_PSH)
		r->psh = r->closed = 1;
	if (pl < r->gso)
		r->closed = 1;
	return 1;
}

struct cut {
	const struct pkt *pk;
	const struct ref_group *r;
	unsigned n;
	uint8_t *buf;
};

/* Each segment cut from the merged frame is the packet it came from. */
static int cut_emit(void *vctx, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload,
                    size_t plen)
{
	struct cut *c = vctx;
	const struct pkt *k;
	const uint8_t *a, *b;
	uint16_t ca, cb;

	CHECK(c->n < c->r->n);
	k = &c->pk[c->r->idx[c->n]];
	CHECK(hdr_len + plen == k->len);
	memcpy(c->buf, hdr, hdr_len);
	memcpy(c->buf + hdr_len, payload, plen);
	a = c->buf;
	b = k->orig;
	CHECK(be16(a + 4) == (uint16_t)(be16(c->r->first + 4) + c->n));
	CHECK(ref_sum(a, 20, 0) == 0xffff);
	CHECK(memcmp(a, b, 4) == 0);
	CHECK(memcmp(a + 6, b + 6, 4) == 0);
	CHECK(memcmp(a + 12, b + 12, 24) == 0);
	/* The TCP checksum: recomputed, so equal but for the two zeros of
	 * one's complement (the sender may have written either). */
	ca = be16(a + 36);
	cb = be16(b + 36);
	CHECK(ca == cb || (ca == 0 && cb == 0xffff) || (ca == 0xffff && cb == 0));
	CHECK(memcmp(a + 38, b + 38, k->len - 38) == 0);
	c->n++;
	return 0;
}

static void check_finish(struct coal_group *g, const struct ref_group *r, struct pkt *pk,
                         size_t l2_len)
{
	struct virtio_net_hdr vh;
	uint8_t *ip = g->first, *merged;
	size_t off, i;
	uint16_t field, c;
	struct cut cut;

	memset(&vh, 0xa5, sizeof(vh));
	coal_finish(g, &vh, l2_len);
	CHECK(vh.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK(vh.gso_type == VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK(vh.gso_size == r->gso);
	CHECK(vh.hdr_len == (uint16_t)(l2_len + 20 + r->thl));
	CHECK(vh.csum_start == (uint16_t)(l2_len + 20));
	CHECK(vh.csum_offset == 16);
	CHECK(be16(ip + 2) == r->total);
	CHECK(ref_sum(ip, 20, 0) == 0xffff);
	CHECK(((ip[33] & TCP_PSH) != 0) == r->psh);
	field = be16(ip + 36);
	CHECK(field == ref_pseudo(ip, r->total - 20));

	/* The frame the kernel gets, completed as it would. */
	merged = malloc(r->total);
	CHECK(merged != NULL);
	memcpy(merged, ip, g->first_len);
	off = g->first_len;
	for (i = 0; i + 1 < g->nsegs; i++) {
		memcpy(merged + off, g->payload[i].iov_base, g->payload[i].iov_len);
		off += g->payload[i].iov_len;
	}
	CHECK(off == r->total);
	c = csum_compute(merged + 20, r->total - 20);
	memcpy(merged + 36, &c, 2);
	CHECK(ref_sum(merged + 20, r->total - 20, ref_pseudo(merged, r->total - 20)) == 0xffff);

	/* Cut again: the packets come back. */
	put16(merged + 36, field);
	cut.pk = pk;
	cut.r = r;
	cut.n = 0;
	cut.buf = malloc(SEG_HDR_MAX + 65536);
	CHECK(cut.buf != NULL);
	CHECK(mgred_segment(&vh, merged, r->total, l2_len, cut_emit, &cut) == SEG_OK);
	CHECK(cut.n == r->n);
	free(cut.buf);
	free(merged);
}

/* Parse the records into packets; returns how many. */
static size_t parse(const uint8_t *d, size_t n, int fix, struct pkt *pk)
{
	size_t np = 0, pos = 0, bytes = 0;

	while (pos < n && np < MAX_PKTS) {
		uint8_t tag = d[pos++];
		size_t len;
		uint8_t *p;

		if ((tag & 3) != 3) {
			if (n - pos < 2)
				break;
			len = be16(d + pos);
			pos += 2;
			if (len > n - pos)
				len = n - pos;
			if (bytes + len > MAX_BYTES)
				break;
			p = malloc(len ? len : 1);
			CHECK(p != NULL);
			memcpy(p, d + pos, len);
			pos += len;
		} else {
			const struct pkt *prev = np ? &pk[np - 1] : NULL;
			size_t hl, plen, i;
			uint8_t fill;

			if (!prev || n - pos < 3)
				break;
			plen = be16(d + pos);
			fill = d[pos + 2];
			pos += 3;
			/* IPv4 (as its IHL says) + TCP (as its offset says). */
			hl = prev->len;
			if (prev->len >= 20) {
				hl = (size_t)(prev->p[0] & 15) * 4;
				if (hl >= 20 && prev->len >= hl + 13)
					hl += (size_t)(prev->p[hl + 12] >> 4) * 4;
				if (hl > prev->len)
					hl = prev->len;
			}
			if (plen > 0xffff - hl)
				plen = 0xffff - hl;
			len = hl + plen;
			if (bytes + len > MAX_BYTES)
				break;
			p = malloc(len ? len : 1);
			CHECK(p != NULL);
			memcpy(p, prev->p, hl);
			for (i = 0; i < plen; i++)
				p[hl + i] = (uint8_t)(fill + i * 7);
			if (hl >= 4)
				put16(p + 2, (uint16_t)len);
			if (hl >= 20 && p[0] >> 4 == 4) {
				size_t ihl = (size_t)(p[0] & 15) * 4;

				if (hl >= ihl + 14) {
					size_t prev_pl = prev->len - hl;

					put32(p + ihl + 4,
					      be32(prev->p + ihl + 4) + (uint32_t)prev_pl);
					p[ihl + 13] ^= (uint8_t)(tag >> 2);
				}
			}
		}
		if (fix)
			fix_csums(p, len);
		pk[np].p = p;
		pk[np].len = len;
		pk[np].orig = malloc(len ? len : 1);
		CHECK(pk[np].orig != NULL);
		memcpy(pk[np].orig, p, len);
		bytes += len;
		np++;
	}
	return np;
}

static void check_group(const struct coal_group *g, const struct ref_group *r, const struct pkt *pk)
{
	size_t sum = r->first_len, i;

	CHECK(g->nsegs == r->n && g->nsegs >= 1 && g->nsegs <= COAL_MAX_SEGS);
	CHECK(g->total == r->total && g->total <= 0xffff);
	CHECK(g->closed == (r->closed != 0) && g->psh == (r->psh != 0));
	CHECK(g->first == pk[r->idx[0]].p && g->first_len == r->first_len);
	CHECK(g->gso_size == r->gso && g->thl == r->thl && g->ihl == 20);
	CHECK(g->next_seq == r->next_seq);
	for (i = 1; i < r->n; i++) {
		const struct pkt *k = &pk[r->idx[i]];
		const struct iovec *v = &g->payload[i - 1];

		/* The payload of packet idx[i], in its own buffer. */
		CHECK(v->iov_len > 0 && v->iov_len <= g->gso_size && v->iov_len < k->len);
		CHECK((const uint8_t *)v->iov_base == k->p + (k->len - v->iov_len));
		CHECK(v->iov_len == k->len - 20 - r->thl);
		sum += v->iov_len;
	}
	CHECK(sum == g->total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pkt pk[MAX_PKTS];
	static struct coal_group g, before;
	static struct ref_group r;
	size_t np, i, l2_len;
	int open = 0;

	if (size < 2)
		return 0;
	l2_len = data[1];
	np = parse(data + 2, size - 2, data[0] & 1, pk);

	memset(&g, 0, sizeof(g));
	for (i = 0; i < np; i++) {
		int ok, want;

		if (open) {
			memcpy(&before, &g, sizeof(g));
			ok = coal_append(&g, pk[i].p, pk[i].len);
			want = ref_append(&r, &pk[i], i);
			CHECK(ok == want);
			CHECK(memcmp(pk[i].p, pk[i].orig, pk[i].len) == 0);
			if (ok) {
				check_group(&g, &r, pk);
				continue;
			}
			CHECK(memcmp(&g, &before, sizeof(g)) == 0);
			if (g.nsegs > 1)
				check_finish(&g, &r, pk, l2_len);
			open = 0;
		}
		memcpy(&before, &g, sizeof(g));
		ok = coal_start(&g, pk[i].p, pk[i].len);
		want = ref_start(&r, &pk[i], i);
		CHECK(ok == want);
		CHECK(memcmp(pk[i].p, pk[i].orig, pk[i].len) == 0);
		if (ok) {
			check_group(&g, &r, pk);
			open = 1;
			continue;
		}
		CHECK(memcmp(&g, &before, sizeof(g)) == 0);
		/*
		 * As mgred_rx.c does: the refused packet is held as a closed
		 * group of one, and the next packets are offered to that group
		 * (and must be refused), even before any group was started.
		 */
		g.nsegs = 1;
		g.closed = true;
		r.n = 1;
		r.closed = 1;
		open = 1;
	}
	if (open && g.nsegs > 1)
		check_finish(&g, &r, pk, l2_len);

	for (i = 0; i < np; i++) {
		free(pk[i].p);
		free(pk[i].orig);
	}
	return 0;
}
