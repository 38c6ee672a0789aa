/*
 * Software GRO (gre/mgred/mgred_coalesce.c): consecutive TCP/IPv4 segments
 * of one flow merged into one GSO frame for the TAP.
 *
 * The segments are cut here from a known byte stream, each with correct
 * IPv4 and TCP checksums worked out by a naive RFC 1071 reference (not
 * lib/csum.c, which the code under test uses), and each lives in a heap
 * buffer of exactly its length so ASan reports any read past its end.
 * A merged frame is checked the way the kernel will use it: header fields,
 * the virtio_net_hdr, and the partial TCP checksum completed over the
 * merged bytes; and cut again by mgred_segment it must give back the
 * segments it was made of (software GRO then TSO is the identity, but for
 * the IPv4 ID).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred_coalesce.h"
#include "gre/mgred/mgred_segment.h"
#include "lib/csum.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_CWR 0x80

#define PROTO_TCP 6
#define PROTO_UDP 17

#define ETH_HLEN   14
#define THL        32 /* TCP header with NOP NOP timestamps */
#define HLEN       (20 + THL)
#define MSS        1448
#define SEQ0       0xffffe000u /* wraps 2^32 within a few segments */
#define STREAM_MAX 80000
#define NSEG_MAX   64

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
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

/* RFC 1071 read literally; continues sum16, returns the folded sum. */
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

/* Folded pseudo-header sum for TCP over the IPv4 header at ip. */
static uint16_t ref_pseudo(const uint8_t *ip, size_t tcp_len)
{
	uint8_t ph[12];

	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = PROTO_TCP;
	put16(ph + 10, (uint16_t)tcp_len);
	return ref_sum(ph, 12, 0);
}

static size_t ihl(const uint8_t *ip)
{
	return (size_t)(ip[0] & 0x0f) * 4;
}

/* A verifier that knows nothing of the code under test. */
static int ref_ip_ok(const uint8_t *ip)
{
	return ref_sum(ip, ihl(ip), 0) == 0xffff;
}

static int ref_tcp_ok(const uint8_t *ip, size_t len)
{
	size_t hl = ihl(ip);

	return ref_sum(ip + hl, len - hl, ref_pseudo(ip, len - hl)) == 0xffff;
}

/* Recompute both checksums after building or mutating a segment. */
static void fix_csums(uint8_t *ip, size_t len)
{
	size_t hl = ihl(ip);

	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~ref_sum(ip, hl, 0));
	put16(ip + hl + 16, 0);
	put16(ip + hl + 16, (uint16_t)~ref_sum(ip + hl, len - hl, ref_pseudo(ip, len - hl)));
}

static uint8_t stream[STREAM_MAX];

static void stream_init(void)
{
	size_t i;

	/* Not periodic in 256, so a payload from the wrong place shows. */
	for (i = 0; i < STREAM_MAX; i++)
		stream[i] = (uint8_t)(i * 131u + (i >> 8) * 17u + 5u);
}

/* A segment in a heap buffer of exactly its length. */
struct seg {
	uint8_t *p;
	size_t len;
};

/*
 * Bytes [off, off + plen) of the stream as one segment of the flow
 * 10.0.0.1:40000 -> 10.0.0.2:5201 with the given flags, IPv4 ID 100 + off
 * (IDs need not be consecutive to merge), checksums correct.
 */
static struct seg mkseg(size_t off, size_t plen, uint8_t flags)
{
	struct seg s = {malloc(HLEN + plen), HLEN + plen};
	uint8_t *ip = s.p, *tcp = ip + 20;

	assert_non_null(s.p);
	assert_true(off + plen <= STREAM_MAX);
	memset(ip, 0, HLEN);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)s.len);
	put16(ip + 4, (uint16_t)(100 + off));
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = PROTO_TCP;
	ip[12] = 10;
	ip[15] = 1;
	ip[16] = 10;
	ip[19] = 2;
	put16(tcp, 40000);
	put16(tcp + 2, 5201);
	put32(tcp + 4, SEQ0 + (uint32_t)off);
	put32(tcp + 8, 0x01020304u);
	tcp[12] = THL / 4 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 502);
	tcp[20] = 1; /* NOP NOP timestamps */
	tcp[21] = 1;
	tcp[22] = 8;
	tcp[23] = 10;
	put32(tcp + 24, 0x11223344u);
	put32(tcp + 28, 0x55667788u);
	memcpy(tcp + THL, stream + off, plen);
	fix_csums(s.p, s.len);
	return s;
}

/* A copy of a segment, for mutating. */
static struct seg segdup(const struct seg *s)
{
	struct seg d = {malloc(s->len), s->len};

	assert_non_null(d.p);
	memcpy(d.p, s->p, s->len);
	return d;
}

static void segfree(struct seg *s)
{
	free(s->p);
	s->p = NULL;
}

/* A run of segments cutting the stream from 0: sizes[i] payload bytes. */
struct run {
	size_t n;
	struct seg s[NSEG_MAX];
	uint8_t orig[NSEG_MAX][HLEN]; /* headers before coal_finish */
};

static void run_build(struct run *r, const size_t *sizes, size_t n, uint8_t last_flags)
{
	size_t off = 0, i;

	assert_true(n <= NSEG_MAX);
	r->n = n;
	for (i = 0; i < n; i++) {
		r->s[i] = mkseg(off, sizes[i], i + 1 == n ? last_flags : TCP_ACK);
		memcpy(r->orig[i], r->s[i].p, HLEN);
		off += sizes[i];
	}
}

static void run_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		segfree(&r->s[i]);
}

/* Segments of one size, the last one possibly shorter (last_plen). */
static void run_uniform(struct run *r, size_t n, size_t plen, size_t last_plen, uint8_t last_flags)
{
	size_t sizes[NSEG_MAX], i;

	assert_true(n <= NSEG_MAX);
	for (i = 0; i < n; i++)
		sizes[i] = i + 1 == n ? last_plen : plen;
	run_build(r, sizes, n, last_flags);
}

/* Start a group with r->s[0] and append the rest; all must be accepted. */
static void merge_all(struct coal_group *g, struct run *r)
{
	size_t i, total = r->s[0].len;

	memset(g, 0, sizeof(*g));
	assert_true(coal_start(g, r->s[0].p, r->s[0].len));
	for (i = 1; i < r->n; i++) {
		assert_true(coal_append(g, r->s[i].p, r->s[i].len));
		total += r->s[i].len - HLEN;
		assert_int_equal(g->nsegs, i + 1);
		assert_int_equal(g->total, total);
		/* Zero copy: the payload as it is in the segment's buffer. */
		assert_ptr_equal(g->payload[i - 1].iov_base, r->s[i].p + HLEN);
		assert_int_equal(g->payload[i - 1].iov_len, r->s[i].len - HLEN);
	}
}

/* Captures the segments mgred_segment cuts from a merged frame. */
struct cut {
	size_t n;
	uint8_t pkt[NSEG_MAX][HLEN + 9000];
	size_t len[NSEG_MAX];
};

static int cut_emit(void *ctx, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload,
                    size_t plen)
{
	struct cut *c = ctx;

	assert_true(c->n < NSEG_MAX);
	assert_true(hdr_len + plen <= sizeof(c->pkt[0]));
	memcpy(c->pkt[c->n], hdr, hdr_len);
	memcpy(c->pkt[c->n] + hdr_len, payload, plen);
	c->len[c->n] = hdr_len + plen;
	c->n++;
	return 0;
}

/*
 * Finish a merged run and check the frame as the kernel will read it:
 * the first segment's buffer followed by the payload iovecs.
 */
static void check_finish(struct coal_group *g, struct run *r, size_t l2_len, int want_psh)
{
	static uint8_t merged[65536];
	static struct cut cut;
	struct virtio_net_hdr vh;
	size_t total = 0, i, off;
	uint8_t *ip = r->s[0].p, *tcp = ip + 20;
	uint16_t field, c;

	for (i = 0; i < r->n; i++)
		total += r->s[i].len;
	total -= (r->n - 1) * HLEN;

	memset(&vh, 0xa5, sizeof(vh)); /* every field must be written */
	coal_finish(g, &vh, l2_len);

	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(vh.gso_size, r->s[0].len - HLEN);
	assert_int_equal(vh.hdr_len, l2_len + 20 + THL);
	assert_int_equal(vh.csum_start, l2_len + 20);
	assert_int_equal(vh.csum_offset, 16);

	assert_int_equal(get16(ip + 2), total);
	assert_true(ref_ip_ok(ip));
	/* Only length, checksum and (for PSH) the flags changed. */
	assert_memory_equal(ip, r->orig[0], 2);
	assert_memory_equal(ip + 4, r->orig[0] + 4, 6);
	assert_memory_equal(ip + 12, r->orig[0] + 12, 8);
	assert_memory_equal(tcp, r->orig[0] + 20, 13);
	assert_int_equal(tcp[13], want_psh ? TCP_ACK | TCP_PSH : TCP_ACK);
	assert_memory_equal(tcp + 14, r->orig[0] + 20 + 14, 2);
	assert_memory_equal(tcp + 18, r->orig[0] + 20 + 18, THL - 18);

	/* CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum for
	 * the merged TCP length, not complemented. */
	field = get16(tcp + 16);
	assert_int_equal(field, ref_pseudo(ip, total - 20));

	/* The frame the kernel gets, in one buffer. */
	memcpy(merged, ip, r->s[0].len);
	off = r->s[0].len;
	for (i = 0; i + 1 < g->nsegs; i++) {
		memcpy(merged + off, g->payload[i].iov_base, g->payload[i].iov_len);
		off += g->payload[i].iov_len;
	}
	assert_int_equal(off, total);
	assert_memory_equal(merged + HLEN, stream, total - HLEN);

	/* Complete it as the kernel would: sum [csum_start, end) with the
	 * field as it is, fold, complement, store. A verifier must accept. */
	c = csum_compute(merged + 20, total - 20);
	memcpy(merged + 20 + 16, &c, 2);
	assert_true(ref_tcp_ok(merged, total));

	/* Cut it again: the original segments come back, but for the IPv4
	 * ID (TSO numbers them from the first) and so its checksum. */
	put16(merged + 20 + 16, field); /* back as coal_finish left it */
	memset(&cut, 0, sizeof(cut));
	assert_int_equal(mgred_segment(&vh, merged, total, l2_len, cut_emit, &cut), SEG_OK);
	assert_int_equal(cut.n, r->n);
	for (i = 0; i < r->n; i++) {
		const uint8_t *a = cut.pkt[i], *b = i ? r->s[i].p : r->orig[0];

		assert_int_equal(cut.len[i], r->s[i].len);
		assert_int_equal(get16(a + 4), (uint16_t)(get16(r->orig[0] + 4) + i));
		assert_memory_equal(a, b, 4);
		assert_memory_equal(a + 6, b + 6, 4);
		assert_memory_equal(a + 12, b + 12, HLEN - 12);
		assert_memory_equal(a + HLEN, r->s[i].p + HLEN, r->s[i].len - HLEN);
		assert_true(ref_ip_ok(a));
	}
}

static void test_merge(void **state)
{
	static struct run r;
	static struct coal_group g;

	(void)state;
	/* Four full segments and a shorter last one. */
	run_uniform(&r, 5, MSS, 1000, TCP_ACK);
	merge_all(&g, &r);
	assert_true(g.closed); /* by the shorter last one */
	assert_false(g.psh);
	assert_int_equal(g.nsegs, 5);
	check_finish(&g, &r, ETH_HLEN, 0);
	run_free(&r);

	/* All full, and no Ethernet header in front. */
	run_uniform(&r, 3, MSS, MSS, TCP_ACK);
	merge_all(&g, &r);
	assert_false(g.closed);
	check_finish(&g, &r, 0, 0);
	run_free(&r);

	/* Two segments is the smallest merge; odd segment sizes. */
	run_uniform(&r, 2, 999, 3, TCP_ACK);
	merge_all(&g, &r);
	check_finish(&g, &r, ETH_HLEN, 0);
	run_free(&r);
}

static void test_start_fields(void **state)
{
	static struct run r;
	static struct coal_group g;

	(void)state;
	run_uniform(&r, 1, MSS, MSS, TCP_ACK);
	memset(&g, 0, sizeof(g));
	assert_true(coal_start(&g, r.s[0].p, r.s[0].len));
	assert_ptr_equal(g.first, r.s[0].p);
	assert_int_equal(g.first_len, r.s[0].len);
	assert_int_equal(g.ihl, 20);
	assert_int_equal(g.thl, THL);
	assert_int_equal(g.gso_size, MSS);
	assert_int_equal(g.next_seq, (uint32_t)(SEQ0 + MSS));
	assert_int_equal(g.total, r.s[0].len);
	assert_int_equal(g.nsegs, 1);
	assert_false(g.closed);
	assert_false(g.psh);
	/* Starting reads the segment; it does not change it. */
	assert_memory_equal(r.s[0].p, r.orig[0], HLEN);
	run_free(&r);
}

/*
 * A group of two full segments, then seg (a mutation of the third) is
 * offered: refused, and the group exactly as it was. The unmutated third
 * is then still accepted, so the refusal was the mutation's doing.
 */
static void expect_refused(struct seg *bad, int fix)
{
	static struct run r;
	static struct coal_group g, before;
	struct seg orig;

	run_uniform(&r, 3, MSS, MSS, TCP_ACK);
	if (fix)
		fix_csums(bad->p, bad->len);
	orig = segdup(bad);
	memset(&g, 0, sizeof(g));
	assert_true(coal_start(&g, r.s[0].p, r.s[0].len));
	assert_true(coal_append(&g, r.s[1].p, r.s[1].len));
	memcpy(&before, &g, sizeof(g));
	assert_false(coal_append(&g, bad->p, bad->len));
	assert_memory_equal(&g, &before, sizeof(g));
	assert_memory_equal(bad->p, orig.p, bad->len); /* not written */
	assert_true(coal_append(&g, r.s[2].p, r.s[2].len));
	segfree(&orig);
	run_free(&r);
}

/* The third segment of the stream (as in expect_refused), to mutate. */
static struct seg third(void)
{
	return mkseg(2 * MSS, MSS, TCP_ACK);
}

static void test_refuse_tcp_fields(void **state)
{
	struct seg s;

	(void)state;
	/* Sequence: a byte ahead (a hole), a byte behind, a retransmission. */
	s = third();
	put32(s.p + 24, get32(s.p + 24) + 1);
	expect_refused(&s, 1);
	segfree(&s);
	s = third();
	put32(s.p + 24, get32(s.p + 24) - 1);
	expect_refused(&s, 1);
	segfree(&s);
	s = mkseg(MSS, MSS, TCP_ACK);
	expect_refused(&s, 0);
	segfree(&s);

	/* Ports. */
	s = third();
	put16(s.p + 20, 40001);
	expect_refused(&s, 1);
	segfree(&s);
	s = third();
	put16(s.p + 22, 5202);
	expect_refused(&s, 1);
	segfree(&s);

	/* ACK number. */
	s = third();
	put32(s.p + 28, 0x01020305u);
	expect_refused(&s, 1);
	segfree(&s);

	/* Window. */
	s = third();
	put16(s.p + 34, 503);
	expect_refused(&s, 1);
	segfree(&s);

	/* Options: a newer timestamp. */
	s = third();
	put32(s.p + 44, 0x11223345u);
	expect_refused(&s, 1);
	segfree(&s);

	/* Urgent pointer. */
	s = third();
	put16(s.p + 38, 1);
	expect_refused(&s, 1);
	segfree(&s);

	/* A reserved bit next to the data offset. */
	s = third();
	s.p[32] |= 0x01;
	expect_refused(&s, 1);
	segfree(&s);
}

static void test_refuse_tcp_flags(void **state)
{
	static const uint8_t bad[] = {
	    TCP_ACK | TCP_SYN, TCP_ACK | TCP_FIN, TCP_ACK | TCP_RST, TCP_ACK | TCP_URG,
	    TCP_ACK | TCP_CWR, TCP_ACK | 0x40,    0 /* no ACK */,    TCP_PSH /* PSH without ACK */};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad); i++) {
		struct seg s = third();

		s.p[33] = bad[i];
		expect_refused(&s, 1);
		segfree(&s);
	}
}

static void test_refuse_checksums(void **state)
{
	struct seg s;

	(void)state;
	/* A wrong TCP checksum, and a payload bit flipped under a correct
	 * looking checksum. The merged frame will say "verified". */
	s = third();
	s.p[36] ^= 0x01;
	expect_refused(&s, 0);
	segfree(&s);
	s = third();
	s.p[HLEN + 100] ^= 0x10;
	expect_refused(&s, 0);
	segfree(&s);

	/* A wrong IPv4 header checksum. */
	s = third();
	s.p[10] ^= 0x80;
	expect_refused(&s, 0);
	segfree(&s);
}

static void test_refuse_ip_fields(void **state)
{
	struct seg s;
	uint8_t *p;

	(void)state;
	/* IPv4 options: IHL 6 with a NOP option word; the TCP header moves. */
	{
		struct seg t = third();

		p = malloc(t.len + 4);
		assert_non_null(p);
		memcpy(p, t.p, 20);
		p[0] = 0x46;
		put16(p + 2, (uint16_t)(t.len + 4));
		memset(p + 20, 0x01, 4);
		memcpy(p + 24, t.p + 20, t.len - 20);
		s = (struct seg){p, t.len + 4};
		expect_refused(&s, 1);
		segfree(&s);
		segfree(&t);
	}

	/* A fragment: MF, or an offset. */
	s = third();
	put16(s.p + 6, 0x2000);
	expect_refused(&s, 1);
	segfree(&s);
	s = third();
	put16(s.p + 6, 0x0001);
	expect_refused(&s, 1);
	segfree(&s);

	/* DF differing from the first. */
	s = third();
	put16(s.p + 6, 0x0000);
	expect_refused(&s, 1);
	segfree(&s);

	/* Addresses, TTL, TOS. */
	s = third();
	s.p[15] = 3;
	expect_refused(&s, 1);
	segfree(&s);
	s = third();
	s.p[19] = 3;
	expect_refused(&s, 1);
	segfree(&s);
	s = third();
	s.p[8] = 63;
	expect_refused(&s, 1);
	segfree(&s);
	s = third();
	s.p[1] = 0x03; /* ECN CE */
	expect_refused(&s, 1);
	segfree(&s);

	/* Total length that does not match what we hold. */
	s = third();
	put16(s.p + 2, (uint16_t)(s.len + 1));
	expect_refused(&s, 1);
	segfree(&s);

	/* Not TCP (the TCP checksum fixed as if it were). */
	s = third();
	s.p[9] = PROTO_UDP;
	expect_refused(&s, 1);
	segfree(&s);
}

static void test_refuse_sizes(void **state)
{
	struct seg s;

	(void)state;
	/* More payload than the first segment had. */
	s = mkseg(2 * MSS, MSS + 1, TCP_ACK);
	expect_refused(&s, 0);
	segfree(&s);

	/* No payload (a pure ACK in the flow). */
	s = mkseg(2 * MSS, 0, TCP_ACK);
	expect_refused(&s, 0);
	segfree(&s);

	/* A different TCP header length: no options. */
	{
		struct seg t = third();
		uint8_t *p = malloc(t.len - 12);

		assert_non_null(p);
		memcpy(p, t.p, 40);
		put16(p + 2, (uint16_t)(t.len - 12));
		p[32] = 5 << 4;
		memcpy(p + 40, t.p + HLEN, t.len - HLEN);
		s = (struct seg){p, t.len - 12};
		expect_refused(&s, 1);
		segfree(&s);
		segfree(&t);
	}
}

static void test_refuse_after_short(void **state)
{
	static struct run r;
	static struct coal_group g;
	struct seg next;

	(void)state;
	/* 1448, 1448, 1000: the shorter one closes the run... */
	run_uniform(&r, 3, MSS, 1000, TCP_ACK);
	merge_all(&g, &r);
	assert_true(g.closed);
	/* ...so the segment that follows it in the stream is refused. */
	next = mkseg(2 * MSS + 1000, MSS, TCP_ACK);
	assert_false(coal_append(&g, next.p, next.len));
	assert_int_equal(g.nsegs, 3);
	check_finish(&g, &r, ETH_HLEN, 0);
	segfree(&next);
	run_free(&r);
}

static void test_refuse_after_psh(void **state)
{
	static struct run r;
	static struct coal_group g;
	struct seg next;

	(void)state;
	/* A full-sized PSH segment is merged and ends the run. */
	run_uniform(&r, 3, MSS, MSS, TCP_ACK | TCP_PSH);
	merge_all(&g, &r);
	assert_true(g.closed);
	assert_true(g.psh);
	next = mkseg(3 * MSS, MSS, TCP_ACK);
	assert_false(coal_append(&g, next.p, next.len));
	assert_int_equal(g.nsegs, 3);
	/* The merged frame carries PSH, and TSO puts it back on the last. */
	check_finish(&g, &r, ETH_HLEN, 1);
	segfree(&next);
	run_free(&r);
}

static void test_refuse_start(void **state)
{
	static struct coal_group g;
	struct seg s;
	uint8_t *p;
	static const uint8_t bad[] = {TCP_ACK | TCP_PSH, TCP_ACK | TCP_SYN, TCP_SYN,
	                              TCP_ACK | TCP_FIN, TCP_ACK | TCP_RST, 0};
	size_t i;

	(void)state;
	/* A PSH segment would end the run at once; the others never merge. */
	for (i = 0; i < sizeof(bad); i++) {
		s = mkseg(0, MSS, bad[i]);
		assert_false(coal_start(&g, s.p, s.len));
		segfree(&s);
	}
	/* No payload. */
	s = mkseg(0, 0, TCP_ACK);
	assert_false(coal_start(&g, s.p, s.len));
	segfree(&s);
	/* Bad checksums. */
	s = mkseg(0, MSS, TCP_ACK);
	s.p[37] ^= 1;
	assert_false(coal_start(&g, s.p, s.len));
	s.p[37] ^= 1;
	s.p[11] ^= 1;
	assert_false(coal_start(&g, s.p, s.len));
	s.p[11] ^= 1;
	/* Truncated: fewer bytes than the total length says, or than the
	 * TCP header (a 39-byte packet that says 39). */
	assert_false(coal_start(&g, s.p, s.len - 1));
	segfree(&s);
	p = malloc(39);
	assert_non_null(p);
	s = mkseg(0, MSS, TCP_ACK);
	memcpy(p, s.p, 39);
	put16(p + 2, 39);
	put16(p + 10, 0);
	put16(p + 10, (uint16_t)~ref_sum(p, 20, 0));
	assert_false(coal_start(&g, p, 39));
	free(p);
	segfree(&s);
	/* TCP data offset beyond the packet. */
	s = mkseg(0, 4, TCP_ACK);
	s.p[32] = 0xf0;
	fix_csums(s.p, s.len);
	assert_false(coal_start(&g, s.p, s.len));
	segfree(&s);
	/* IPv6. */
	s = mkseg(0, MSS, TCP_ACK);
	s.p[0] = 0x60;
	assert_false(coal_start(&g, s.p, s.len));
	segfree(&s);
	/* A first fragment (MF) or a later one (offset): a run of fragments
	 * alike in every other field must not start a merge. */
	s = mkseg(0, MSS, TCP_ACK);
	put16(s.p + 6, 0x2000);
	fix_csums(s.p, s.len);
	assert_false(coal_start(&g, s.p, s.len));
	put16(s.p + 6, 0x00b9);
	fix_csums(s.p, s.len);
	assert_false(coal_start(&g, s.p, s.len));
	segfree(&s);
	/* IPv4 options. */
	s = mkseg(0, MSS, TCP_ACK);
	p = malloc(s.len + 4);
	assert_non_null(p);
	memcpy(p, s.p, 20);
	p[0] = 0x46;
	put16(p + 2, (uint16_t)(s.len + 4));
	memset(p + 20, 0x01, 4);
	memcpy(p + 24, s.p + 20, s.len - 20);
	fix_csums(p, s.len + 4);
	assert_false(coal_start(&g, p, s.len + 4));
	free(p);
	segfree(&s);
	/* Not TCP. */
	s = mkseg(0, MSS, TCP_ACK);
	s.p[9] = PROTO_UDP;
	fix_csums(s.p, s.len);
	assert_false(coal_start(&g, s.p, s.len));
	segfree(&s);
}

/*
 * mgred_rx.c's protocol: after a refused coal_start it sets nsegs = 1 and
 * closed = true and keeps offering the following packets of the same
 * sender to coal_append, which must refuse them without looking at the
 * group's (never set, or stale) first packet. On the receive loop's first
 * run that pointer is NULL (the pending state is zero-initialised).
 */
static void test_append_after_refused_start(void **state)
{
	static struct coal_group g;
	struct seg a, b;

	(void)state;
	memset(&g, 0, sizeof(g));
	a = mkseg(0, MSS, TCP_ACK | TCP_SYN);
	b = mkseg(MSS, MSS, TCP_ACK);
	assert_false(coal_start(&g, a.p, a.len));
	g.nsegs = 1;
	g.closed = true;
	assert_false(coal_append(&g, b.p, b.len));
	assert_int_equal(g.nsegs, 1);
	segfree(&a);
	segfree(&b);
}

static void test_max_segs(void **state)
{
	static struct run r;
	static struct coal_group g;
	struct seg next;

	(void)state;
	/* 44 x 1448 + 52 = 63764: the segment count, not the length, is
	 * what stops the 45th (63764 + 1448 would still fit in 65535). */
	run_uniform(&r, COAL_MAX_SEGS, MSS, MSS, TCP_ACK);
	merge_all(&g, &r);
	assert_int_equal(g.nsegs, COAL_MAX_SEGS);
	assert_true(g.total + MSS <= 0xffff);
	next = mkseg(COAL_MAX_SEGS * MSS, MSS, TCP_ACK);
	assert_false(coal_append(&g, next.p, next.len));
	assert_int_equal(g.nsegs, COAL_MAX_SEGS);
	check_finish(&g, &r, ETH_HLEN, 0);
	segfree(&next);
	run_free(&r);
}

static void test_max_total(void **state)
{
	static struct run r;
	static struct coal_group g;
	struct seg next;
	size_t sizes[9], i;

	(void)state;
	/* Jumbo segments: 8 x 8000 + 52 = 64052, a 9th full one would make
	 * 72052. Refused; but a shorter one that ends at exactly 65535 fits. */
	for (i = 0; i < 8; i++)
		sizes[i] = 8000;
	run_build(&r, sizes, 8, TCP_ACK);
	merge_all(&g, &r);
	next = mkseg(8 * 8000, 8000, TCP_ACK);
	assert_false(coal_append(&g, next.p, next.len));
	segfree(&next);
	next = mkseg(8 * 8000, 65535 - 64052 + 1, TCP_ACK);
	assert_false(coal_append(&g, next.p, next.len));
	segfree(&next);
	assert_int_equal(g.nsegs, 8);
	run_free(&r);

	sizes[8] = 65535 - 64052;
	run_build(&r, sizes, 9, TCP_ACK);
	merge_all(&g, &r);
	assert_int_equal(g.total, 65535);
	check_finish(&g, &r, ETH_HLEN, 0);
	run_free(&r);
}

static int setup(void **state)
{
	(void)state;
	stream_init();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_start_fields),
	    cmocka_unit_test(test_refuse_tcp_fields),
	    cmocka_unit_test(test_refuse_tcp_flags),
	    cmocka_unit_test(test_refuse_checksums),
	    cmocka_unit_test(test_refuse_ip_fields),
	    cmocka_unit_test(test_refuse_sizes),
	    cmocka_unit_test(test_refuse_after_short),
	    cmocka_unit_test(test_refuse_after_psh),
	    cmocka_unit_test(test_refuse_start),
	    cmocka_unit_test(test_append_after_refused_start),
	    cmocka_unit_test(test_max_segs),
	    cmocka_unit_test(test_max_total),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
