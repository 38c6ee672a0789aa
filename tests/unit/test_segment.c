/*
 * Software TSO (gre/mgred/mgred_segment.c): GSO super-frames from the TAP
 * cut into MSS-sized TCP segments, and partial checksums completed.
 *
 * Every frame is built here field by field and handed over in a heap copy
 * of exactly its length, so ASan reports any read past its end. The
 * segments are checked against what a NIC's TSO engine produces, and every
 * checksum with a deliberately naive RFC 1071 reference (network-order
 * 16-bit words, carry folded after each addition, the pseudo-header laid
 * out as bytes) rather than with lib/csum.c, which the code under test uses:
 * a shared mistake cannot pass both.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred_segment.h"
#include "lib/csum.h"

#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define PROTO_TCP 6
#define PROTO_UDP 17

#define ETH_HLEN    14 /* what mgred passes as l3_off */
#define TCP_TS_HLEN 32 /* 20 + NOP NOP timestamps */
#define MSS         1448
#define MAX_SEGS    512
#define FRAME_MAX   65600

/* Fields of the super-frame, chosen to wrap during segmentation: the IPv4
 * ID passes 0xffff and the sequence number passes 2^32. */
#define ID0  0xfffeu
#define SEQ0 0xfffff000u
#define ACK0 0x01020304u
#define WIN0 502

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

/*
 * RFC 1071 read literally: network-order words, an odd final byte is the
 * high half of a zero-padded word, carries folded in after every addition.
 * Continues sum; returns the folded sum (not complemented). Pieces passed
 * one after the other must have even lengths except the last.
 */
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

static int is_v6(const uint8_t *ip)
{
	return ip[0] >> 4 == 6;
}

static size_t ip_hlen(const uint8_t *ip)
{
	return is_v6(ip) ? 40 : (size_t)(ip[0] & 0x0f) * 4;
}

/* Folded sum of the pseudo-header (RFC 793 3.1 / RFC 8200 8.1), built as
 * bytes the way the RFCs draw it. */
static uint16_t ref_pseudo(const uint8_t *ip, uint8_t proto, size_t l4_len)
{
	uint8_t ph[40];

	if (is_v6(ip)) {
		memcpy(ph, ip + 8, 32);
		put32(ph + 32, (uint32_t)l4_len);
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		return ref_sum(ph, 40, 0);
	}
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = proto;
	put16(ph + 10, (uint16_t)l4_len);
	return ref_sum(ph, 12, 0);
}

/* A TCP or UDP packet (IPv4 or IPv6, no extension headers) whose L4
 * checksum verifies: pseudo-header plus segment sum to 0xffff. */
static int ref_l4_ok(const uint8_t *ip, size_t len, uint8_t proto)
{
	size_t hl = ip_hlen(ip);

	return ref_sum(ip + hl, len - hl, ref_pseudo(ip, proto, len - hl)) == 0xffff;
}

/* The L4 checksum a sender stores, computed with the field read as zero. */
static uint16_t ref_l4_csum(const uint8_t *ip, size_t len, uint8_t proto, size_t field)
{
	size_t hl = ip_hlen(ip);
	uint16_t s = ref_pseudo(ip, proto, len - hl);

	s = ref_sum(ip + hl, field, s);
	s = ref_sum(ip + hl + field + 2, len - hl - field - 2, s);
	return (uint16_t)~s;
}

/* Payload byte i: not periodic in 256, so a slice taken from the wrong
 * offset does not compare equal by accident. */
static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 131u + (i >> 8) * 17u + 5u);
}

struct frame_spec {
	int v6;
	size_t ip_opts; /* bytes of IPv4 options (multiple of 4) */
	size_t thl;     /* TCP header length */
	size_t plen;    /* payload bytes */
	uint8_t flags;  /* TCP flags of the super-frame */
};

/*
 * Build IP + TCP + payload into buf (FRAME_MAX bytes); returns the length.
 * The TCP checksum field holds the pseudo-header sum, as the kernel leaves
 * it for a CHECKSUM_PARTIAL GSO frame; segmentation must not depend on it.
 */
static size_t build_frame(uint8_t *buf, const struct frame_spec *s)
{
	size_t hl = s->v6 ? 40 : 20 + s->ip_opts, len = hl + s->thl + s->plen, i;
	uint8_t *tcp = buf + hl;

	assert_true(len <= FRAME_MAX);
	memset(buf, 0, hl + s->thl);
	if (s->v6) {
		buf[0] = 0x60;
		buf[1] = 0x0a; /* traffic class and flow label: copied as they are */
		buf[3] = 0x77;
		put16(buf + 4, (uint16_t)(len - 40));
		buf[6] = PROTO_TCP;
		buf[7] = 64;
		buf[8] = 0x20; /* 2001:db8::1 -> 2001:db8::2 */
		buf[9] = 0x01;
		buf[10] = 0x0d;
		buf[11] = 0xb8;
		memcpy(buf + 24, buf + 8, 16);
		buf[23] = 1;
		buf[39] = 2;
	} else {
		buf[0] = (uint8_t)(0x40 | hl / 4);
		put16(buf + 2, (uint16_t)len);
		put16(buf + 4, ID0);
		put16(buf + 6, 0x4000); /* DF */
		buf[8] = 64;
		buf[9] = PROTO_TCP;
		buf[12] = 10; /* 10.0.0.1 -> 10.0.0.2 */
		buf[15] = 1;
		buf[16] = 10;
		buf[19] = 2;
		/* Options: NOPs with a (bogus but well-formed) end byte, copied
		 * into every segment as the kernel's GSO does. */
		memset(buf + 20, 0x01, s->ip_opts);
		if (s->ip_opts)
			buf[hl - 1] = 0x00;
		put16(buf + 10, (uint16_t)~ref_sum(buf, hl, 0));
	}
	put16(tcp, 40000);
	put16(tcp + 2, 5201);
	put32(tcp + 4, SEQ0);
	put32(tcp + 8, ACK0);
	tcp[12] = (uint8_t)(s->thl / 4 << 4);
	tcp[13] = s->flags;
	put16(tcp + 14, WIN0);
	put16(tcp + 18, 0);
	if (s->thl >= TCP_TS_HLEN) {
		tcp[20] = 1;
		tcp[21] = 1;
		tcp[22] = 8;
		tcp[23] = 10;
		put32(tcp + 24, 0x11223344u);
		put32(tcp + 28, 0x55667788u);
		memset(tcp + 32, 0x01, s->thl - 32); /* NOP padding */
	}
	for (i = 0; i < s->plen; i++)
		tcp[s->thl + i] = pattern(i);
	put16(tcp + 16, ref_pseudo(buf, PROTO_TCP, len - hl));
	return len;
}

/* A heap copy of exactly n bytes, so ASan catches reads past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return d;
}

/* What the emit callback saw. */
struct rec {
	size_t n;
	long fail_at; /* the call (from 0) that returns -1; -1 for none */
	struct {
		uint8_t hdr[SEG_HDR_MAX];
		size_t hdr_len;
		const uint8_t *payload;
		size_t plen;
	} s[MAX_SEGS];
};

static int rec_emit(void *ctx, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload,
                    size_t plen)
{
	struct rec *r = ctx;
	long call = (long)r->n;

	assert_true(r->n < MAX_SEGS);
	assert_true(hdr_len <= SEG_HDR_MAX);
	if (hdr_len)
		memcpy(r->s[r->n].hdr, hdr, hdr_len);
	r->s[r->n].hdr_len = hdr_len;
	r->s[r->n].payload = payload;
	r->s[r->n].plen = plen;
	r->n++;
	return call == r->fail_at ? -1 : 0;
}

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->fail_at = -1;
}

static struct virtio_net_hdr gso_vh(int v6, uint16_t gso_size, size_t hdr_len)
{
	struct virtio_net_hdr vh;

	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	vh.gso_size = gso_size;
	vh.hdr_len = (uint16_t)(ETH_HLEN + hdr_len);
	vh.csum_start = (uint16_t)(ETH_HLEN + (v6 ? 40 : 20));
	vh.csum_offset = 16;
	return vh;
}

/*
 * Segment the frame of spec s with the given MSS (and vh gso_type, which
 * may carry the ECN bit) and check every segment against the super-frame.
 */
static void check_gso(const struct frame_spec *s, uint16_t mss, uint8_t gso_type)
{
	static uint8_t orig[FRAME_MAX], seg[FRAME_MAX], joined[FRAME_MAX];
	size_t len = build_frame(orig, s);
	size_t hl = s->v6 ? 40 : 20 + s->ip_opts, hdr_len = hl + s->thl;
	size_t want_n = s->plen ? (s->plen + mss - 1) / mss : 1, off = 0, k;
	uint8_t *frame = dup_exact(orig, len);
	struct virtio_net_hdr vh = gso_vh(s->v6, mss, hdr_len);
	static struct rec r;

	if (gso_type)
		vh.gso_type = gso_type;
	rec_init(&r);
	assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_OK);
	assert_int_equal(r.n, want_n);
	/* Segmentation reads the super-frame; it never writes it. */
	assert_memory_equal(frame, orig, len);

	for (k = 0; k < r.n; k++) {
		const uint8_t *h = r.s[k].hdr, *tcp = h + hl, *otcp = orig + hl;
		int last = k + 1 == r.n;
		size_t plen = last ? s->plen - off : mss;
		uint8_t want_flags = s->flags;

		assert_int_equal(r.s[k].hdr_len, hdr_len);
		assert_int_equal(r.s[k].plen, plen);
		/* Zero copy: the payload is a slice of the super-frame. */
		assert_ptr_equal(r.s[k].payload, frame + hdr_len + off);

		if (s->v6) {
			assert_int_equal(get16(h + 4), s->thl + plen);
			/* Nothing else in the IPv6 header changes. */
			assert_memory_equal(h, orig, 4);
			assert_memory_equal(h + 6, orig + 6, 34);
		} else {
			assert_int_equal(get16(h + 2), hdr_len + plen);
			assert_int_equal(get16(h + 4), (uint16_t)(ID0 + k));
			assert_int_equal(ref_sum(h, hl, 0), 0xffff);
			assert_int_equal(csum_compute(h, hl), 0);
			assert_memory_equal(h, orig, 2);
			assert_memory_equal(h + 6, orig + 6, 4);
			assert_memory_equal(h + 12, orig + 12, hl - 12); /* addresses, options */
		}

		assert_int_equal(get32(tcp + 4), (uint32_t)(SEQ0 + off));
		/* FIN and PSH belong to the end of the data, CWR to its start. */
		if (!last)
			want_flags &= (uint8_t) ~(TCP_FIN | TCP_PSH);
		if (k > 0)
			want_flags &= (uint8_t)~TCP_CWR;
		assert_int_equal(tcp[13], want_flags);
		assert_memory_equal(tcp, otcp, 4);                     /* ports */
		assert_memory_equal(tcp + 8, otcp + 8, 5);             /* ack, doff */
		assert_memory_equal(tcp + 14, otcp + 14, 2);           /* window */
		assert_memory_equal(tcp + 18, otcp + 18, s->thl - 18); /* urg, options */

		/* The whole segment as it goes on the wire verifies. */
		memcpy(seg, h, hdr_len);
		memcpy(seg + hdr_len, r.s[k].payload, plen);
		assert_true(ref_l4_ok(seg, hdr_len + plen, PROTO_TCP));

		memcpy(joined + off, r.s[k].payload, plen);
		off += plen;
	}
	assert_int_equal(off, s->plen);
	assert_memory_equal(joined, orig + hdr_len, s->plen);
	free(frame);
}

static void test_gso_v4(void **state)
{
	/* 5000 = 3 x 1448 + 656: three full segments and a short last one. */
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 5000,
	                             TCP_PSH | TCP_ACK | TCP_FIN | TCP_CWR};

	(void)state;
	check_gso(&s, MSS, 0);
}

static void test_gso_v6(void **state)
{
	const struct frame_spec s = {1, 0, TCP_TS_HLEN, 5000,
	                             TCP_PSH | TCP_ACK | TCP_FIN | TCP_CWR};

	(void)state;
	check_gso(&s, MSS, 0);
}

static void test_gso_exact_multiple(void **state)
{
	const struct frame_spec s4 = {0, 0, TCP_TS_HLEN, 4 * MSS, TCP_PSH | TCP_ACK | TCP_FIN};
	const struct frame_spec s6 = {1, 0, TCP_TS_HLEN, 4 * MSS, TCP_PSH | TCP_ACK | TCP_FIN};

	(void)state;
	/* Four full segments; the last carries PSH|FIN although it is not short. */
	check_gso(&s4, MSS, 0);
	check_gso(&s6, MSS, 0);
}

static void test_gso_one_segment(void **state)
{
	const struct frame_spec s4 = {0, 0, TCP_TS_HLEN, 100,
	                              TCP_PSH | TCP_ACK | TCP_FIN | TCP_CWR};
	const struct frame_spec s6 = {1, 0, TCP_TS_HLEN, 1, TCP_PSH | TCP_ACK | TCP_CWR};
	const struct frame_spec exact = {0, 0, TCP_TS_HLEN, MSS, TCP_PSH | TCP_ACK};

	(void)state;
	/* First and last at once: keeps CWR, PSH and FIN. */
	check_gso(&s4, MSS, 0);
	check_gso(&s6, MSS, 0);
	check_gso(&exact, MSS, 0);
}

static void test_gso_no_payload(void **state)
{
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 0, TCP_ACK | TCP_FIN};

	(void)state;
	/* A GSO frame without data still goes out, once. */
	check_gso(&s, MSS, 0);
}

static void test_gso_odd_mss(void **state)
{
	/* Odd slice lengths and odd offsets into the payload: each segment's
	 * payload sum starts afresh at an even offset of its own segment. */
	const struct frame_spec s4 = {0, 0, TCP_TS_HLEN, 3001, TCP_ACK};
	const struct frame_spec s6 = {1, 0, 20, 2999, TCP_ACK | TCP_PSH};
	const struct frame_spec tiny = {0, 0, 20, 61, TCP_ACK | TCP_FIN};

	(void)state;
	check_gso(&s4, 999, 0);
	check_gso(&s6, 7, 0);
	/* One payload byte per segment. */
	check_gso(&tiny, 1, 0);
}

static void test_gso_max_headers(void **state)
{
	/* 60-byte IPv4 header and 60-byte TCP header: SEG_HDR_MAX exactly. */
	const struct frame_spec s4 = {0, 40, 60, 3000, TCP_ACK | TCP_PSH};
	const struct frame_spec s6 = {1, 0, 60, 3000, TCP_ACK | TCP_PSH};

	(void)state;
	assert_int_equal(60 + 60, SEG_HDR_MAX);
	check_gso(&s4, 1000, 0);
	check_gso(&s6, 1000, 0);
}

static void test_gso_ecn(void **state)
{
	/* The ECN bit of gso_type says the frame has CWR; it is not a type. */
	const struct frame_spec s4 = {0, 0, TCP_TS_HLEN, 5000, TCP_ACK | TCP_CWR | TCP_ECE};
	const struct frame_spec s6 = {1, 0, TCP_TS_HLEN, 5000, TCP_ACK | TCP_CWR};

	(void)state;
	check_gso(&s4, MSS, VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN);
	check_gso(&s6, MSS, VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN);
}

static void test_gso_largest(void **state)
{
	/* The largest IPv4 frame: total length 65535, 46 segments. */
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 65535 - 20 - TCP_TS_HLEN,
	                             TCP_ACK | TCP_PSH};

	(void)state;
	check_gso(&s, MSS, 0);
}

/* A malformed frame: refused before anything is emitted, left unchanged. */
static void expect_malformed(const struct virtio_net_hdr *vh, const uint8_t *pkt, size_t len,
                             size_t l3_off)
{
	uint8_t *frame = dup_exact(pkt, len);
	static struct rec r;

	rec_init(&r);
	assert_int_equal(mgred_segment(vh, frame, len, l3_off, rec_emit, &r), SEG_ERR_MALFORMED);
	assert_int_equal(r.n, 0);
	if (len)
		assert_memory_equal(frame, pkt, len);
	free(frame);
}

/* Rewrite the IPv4 header checksum after a mutation, so that only the
 * mutation can be the reason for a refusal. */
static void fix_ip_csum(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~ref_sum(ip, ip_hlen(ip), 0));
}

static void test_malformed_v4(void **state)
{
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 3000, TCP_ACK};
	static uint8_t orig[FRAME_MAX], m[FRAME_MAX];
	size_t len = build_frame(orig, &s);
	struct virtio_net_hdr vh = gso_vh(0, MSS, 20 + TCP_TS_HLEN), v;

	(void)state;
	/* gso_size 0: no segment could carry anything. */
	v = vh;
	v.gso_size = 0;
	expect_malformed(&v, orig, len, ETH_HLEN);

	/* Total length says more, or less, than we hold. */
	memcpy(m, orig, len);
	put16(m + 2, (uint16_t)(len + 1));
	fix_ip_csum(m);
	expect_malformed(&vh, m, len, ETH_HLEN);
	put16(m + 2, (uint16_t)(len - 1));
	fix_ip_csum(m);
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* A fragment: MF set, or a fragment offset. */
	memcpy(m, orig, len);
	put16(m + 6, 0x2000);
	fix_ip_csum(m);
	expect_malformed(&vh, m, len, ETH_HLEN);
	put16(m + 6, 0x4001);
	fix_ip_csum(m);
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* Not TCP. */
	memcpy(m, orig, len);
	m[9] = PROTO_UDP;
	fix_ip_csum(m);
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* IHL below 5. */
	memcpy(m, orig, len);
	m[0] = 0x44;
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* An IPv6 packet under a TCPV4 gso_type. */
	memcpy(m, orig, len);
	m[0] = 0x65;
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* TCP doff too big for the packet (15 words = 60 > 52 bytes held)
	 * and below the minimum of 5 words. */
	{
		const struct frame_spec nopay = {0, 0, TCP_TS_HLEN, 0, TCP_ACK};
		size_t n = build_frame(m, &nopay);

		m[20 + 12] = 0xf0;
		expect_malformed(&vh, m, n, ETH_HLEN);
		m[20 + 12] = 0x40;
		expect_malformed(&vh, m, n, ETH_HLEN);
		memcpy(m, orig, len);
		m[20 + 12] = 0x40;
		expect_malformed(&vh, m, len, ETH_HLEN);
	}

	/* Truncated TCP header: 19 bytes after the IPv4 header, total length
	 * consistent with it. */
	memcpy(m, orig, 39);
	put16(m + 2, 39);
	fix_ip_csum(m);
	expect_malformed(&vh, m, 39, ETH_HLEN);

	/* IPv4 header longer than the packet: IHL 15, 40 bytes held. */
	memcpy(m, orig, 40);
	m[0] = 0x4f;
	put16(m + 2, 40);
	expect_malformed(&vh, m, 40, ETH_HLEN);

	/* Shorter than any IPv4 header, and empty. */
	expect_malformed(&vh, orig, 19, ETH_HLEN);
	expect_malformed(&vh, orig, 1, ETH_HLEN);
	expect_malformed(&vh, orig, 0, ETH_HLEN);
}

static void test_malformed_v6(void **state)
{
	const struct frame_spec s = {1, 0, TCP_TS_HLEN, 3000, TCP_ACK};
	static uint8_t orig[FRAME_MAX], m[FRAME_MAX];
	size_t len = build_frame(orig, &s);
	struct virtio_net_hdr vh = gso_vh(1, MSS, 40 + TCP_TS_HLEN), v;

	(void)state;
	v = vh;
	v.gso_size = 0;
	expect_malformed(&v, orig, len, ETH_HLEN);

	/* An extension header (hop-by-hop, 8 bytes of PadN) before TCP: the
	 * kernel does not hand us those, and we do not walk them. */
	memcpy(m, orig, 40);
	m[6] = 0; /* next header: hop-by-hop */
	put16(m + 4, (uint16_t)(len - 40 + 8));
	m[40] = PROTO_TCP;
	m[41] = 0;
	m[42] = 1; /* PadN, 4 bytes */
	m[43] = 4;
	memset(m + 44, 0, 4);
	memcpy(m + 48, orig + 40, len - 40);
	expect_malformed(&vh, m, len + 8, ETH_HLEN);

	/* Payload length mismatch. */
	memcpy(m, orig, len);
	put16(m + 4, (uint16_t)(len - 40 + 1));
	expect_malformed(&vh, m, len, ETH_HLEN);
	put16(m + 4, (uint16_t)(len - 40 - 1));
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* Not TCP. */
	memcpy(m, orig, len);
	m[6] = PROTO_UDP;
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* IPv4 version nibble under a TCPV6 gso_type. */
	memcpy(m, orig, len);
	m[0] = 0x40;
	expect_malformed(&vh, m, len, ETH_HLEN);

	/* Truncated TCP header, and doff beyond the packet. */
	memcpy(m, orig, 40 + 19);
	put16(m + 4, 19);
	expect_malformed(&vh, m, 40 + 19, ETH_HLEN);
	memcpy(m, orig, 40 + TCP_TS_HLEN);
	put16(m + 4, TCP_TS_HLEN);
	m[40 + 12] = 0xf0;
	expect_malformed(&vh, m, 40 + TCP_TS_HLEN, ETH_HLEN);

	expect_malformed(&vh, orig, 39, ETH_HLEN);
}

static void test_malformed_gso_type(void **state)
{
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 3000, TCP_ACK};
	static uint8_t orig[FRAME_MAX];
	size_t len = build_frame(orig, &s);
	struct virtio_net_hdr vh = gso_vh(0, MSS, 20 + TCP_TS_HLEN);
	static const uint8_t bad[] = {VIRTIO_NET_HDR_GSO_UDP, 5 /* UDP_L4 */, 2, 0x42, 0xff,
	                              VIRTIO_NET_HDR_GSO_ECN};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad); i++) {
		vh.gso_type = bad[i];
		expect_malformed(&vh, orig, len, ETH_HLEN);
	}
}

static void test_emit_fails(void **state)
{
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 5000, TCP_ACK};
	static uint8_t orig[FRAME_MAX];
	size_t len = build_frame(orig, &s);
	struct virtio_net_hdr vh = gso_vh(0, MSS, 20 + TCP_TS_HLEN), none;
	uint8_t *frame = dup_exact(orig, len);
	static struct rec r;

	(void)state;
	/* The first, a middle and the last segment: segmenting stops there. */
	rec_init(&r);
	r.fail_at = 0;
	assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_ERR_EMIT);
	assert_int_equal(r.n, 1);
	rec_init(&r);
	r.fail_at = 1;
	assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_ERR_EMIT);
	assert_int_equal(r.n, 2);
	rec_init(&r);
	r.fail_at = 3;
	assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_ERR_EMIT);
	assert_int_equal(r.n, 4);

	/* A whole packet. */
	memset(&none, 0, sizeof(none));
	rec_init(&r);
	r.fail_at = 0;
	assert_int_equal(mgred_segment(&none, frame, len, ETH_HLEN, rec_emit, &r), SEG_ERR_EMIT);
	assert_int_equal(r.n, 1);
	free(frame);
}

/* NEEDS_CSUM on a whole packet: the field holds the pseudo-header sum. */
static struct virtio_net_hdr partial_vh(size_t l3_off, size_t l4_start, size_t field)
{
	struct virtio_net_hdr vh;

	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	vh.csum_start = (uint16_t)(l3_off + l4_start);
	vh.csum_offset = (uint16_t)field;
	return vh;
}

/*
 * Complete the checksum of pkt (its field holding the pseudo-header sum)
 * and check the packet went out whole, with want (wire order) in the field
 * and nothing else changed.
 */
static void complete_and_check(const uint8_t *pkt, size_t len, size_t l3_off, uint8_t proto,
                               size_t field, uint16_t want)
{
	size_t hl = ip_hlen(pkt);
	struct virtio_net_hdr vh = partial_vh(l3_off, hl, field);
	uint8_t *frame = dup_exact(pkt, len);
	static struct rec r;

	rec_init(&r);
	assert_int_equal(mgred_segment(&vh, frame, len, l3_off, rec_emit, &r), SEG_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.s[0].hdr_len, 0);
	assert_ptr_equal(r.s[0].payload, frame);
	assert_int_equal(r.s[0].plen, len);
	assert_int_equal(get16(frame + hl + field), want);
	assert_true(ref_l4_ok(frame, len, proto));
	assert_memory_equal(frame, pkt, hl + field);
	assert_memory_equal(frame + hl + field + 2, pkt + hl + field + 2, len - hl - field - 2);
	free(frame);
}

static void test_needs_csum_tcp(void **state)
{
	const struct frame_spec s4 = {0, 0, TCP_TS_HLEN, 1001, TCP_ACK | TCP_PSH};
	const struct frame_spec s6 = {1, 0, TCP_TS_HLEN, 500, TCP_ACK};
	static uint8_t pkt[FRAME_MAX];
	size_t len;

	(void)state;
	/* build_frame leaves the pseudo-header sum in the field, as the
	 * kernel does for CHECKSUM_PARTIAL. */
	len = build_frame(pkt, &s4);
	complete_and_check(pkt, len, ETH_HLEN, PROTO_TCP, 16, ref_l4_csum(pkt, len, PROTO_TCP, 16));
	/* csum_start is relative to the frame: a different l3_off. */
	complete_and_check(pkt, len, 0, PROTO_TCP, 16, ref_l4_csum(pkt, len, PROTO_TCP, 16));
	complete_and_check(pkt, len, 18, PROTO_TCP, 16, ref_l4_csum(pkt, len, PROTO_TCP, 16));
	len = build_frame(pkt, &s6);
	complete_and_check(pkt, len, ETH_HLEN, PROTO_TCP, 16, ref_l4_csum(pkt, len, PROTO_TCP, 16));
}

/*
 * A TCP packet whose correct checksum is 0x0000 must carry 0x0000: only UDP
 * maps a computed zero to 0xffff. The checksum is ~S where S is the folded
 * sum of pseudo-header and segment with the field as zero, so it is 0x0000
 * exactly when S = 0xffff. Start from a payload whose last word is zero,
 * compute S there, and put W = 0xffff - S into that word: S + W = 0xffff
 * with no carry, so the new sum is 0xffff.
 */
static size_t tcp_zero_csum(uint8_t *pkt, int v6, size_t plen)
{
	const struct frame_spec s = {v6, 0, TCP_TS_HLEN, plen, TCP_ACK};
	size_t len = build_frame(pkt, &s), hl = v6 ? 40 : 20;
	uint16_t sum;

	put16(pkt + len - 2, 0);
	put16(pkt + hl + 16, 0);
	sum = ref_sum(pkt + hl, len - hl, ref_pseudo(pkt, PROTO_TCP, len - hl));
	put16(pkt + len - 2, (uint16_t)(0xffff - sum));
	assert_int_equal(ref_l4_csum(pkt, len, PROTO_TCP, 16), 0x0000);
	return len;
}

static void test_needs_csum_tcp_zero(void **state)
{
	static uint8_t pkt[FRAME_MAX];
	size_t len;

	(void)state;
	len = tcp_zero_csum(pkt, 0, 200);
	put16(pkt + 20 + 16, ref_pseudo(pkt, PROTO_TCP, len - 20));
	complete_and_check(pkt, len, ETH_HLEN, PROTO_TCP, 16, 0x0000);
	len = tcp_zero_csum(pkt, 1, 200);
	put16(pkt + 40 + 16, ref_pseudo(pkt, PROTO_TCP, len - 40));
	complete_and_check(pkt, len, ETH_HLEN, PROTO_TCP, 16, 0x0000);
}

/* The same through segmentation: a single-segment GSO frame whose one
 * segment checksums to 0x0000 (the frame is its own only segment, so the
 * sum worked out on the frame is the segment's). */
static void test_gso_tcp_zero(void **state)
{
	static uint8_t pkt[FRAME_MAX];
	static struct rec r;
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 1; v6++) {
		size_t len = tcp_zero_csum(pkt, v6, 300), hl = v6 ? 40 : 20;
		struct virtio_net_hdr vh = gso_vh(v6, MSS, hl + TCP_TS_HLEN);
		uint8_t *frame = dup_exact(pkt, len);

		rec_init(&r);
		assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_OK);
		assert_int_equal(r.n, 1);
		assert_int_equal(get16(r.s[0].hdr + hl + 16), 0x0000);
		free(frame);
	}
}

/*
 * UDP/IPv4 whose checksum computes to 0: RFC 768 says a computed zero is
 * sent as all ones, because zero in the field means "no checksum". Same
 * construction as tcp_zero_csum: the last payload word W is chosen so that
 * pseudo-header + UDP header (checksum field 0) + payload sum to 0xffff,
 * i.e. W = 0xffff - S where S is the sum with W = 0.
 */
static size_t udp_zero_csum(uint8_t *pkt, int v6)
{
	static const uint8_t data[] = "a UDP payload whose sum we steer!"; /* 34 bytes with NUL */
	size_t hl = v6 ? 40 : 20, ulen = 8 + sizeof(data) + 2, len = hl + ulen;
	uint16_t sum;

	/* W must be a whole word of the sum: at an even offset. */
	assert_int_equal(ulen % 2, 0);
	memset(pkt, 0, hl + 8);
	if (v6) {
		pkt[0] = 0x60;
		put16(pkt + 4, (uint16_t)ulen);
		pkt[6] = PROTO_UDP;
		pkt[7] = 64;
		pkt[8] = 0xfd; /* fd00::10 -> fd00::20 */
		pkt[23] = 0x10;
		pkt[24] = 0xfd;
		pkt[39] = 0x20;
	} else {
		pkt[0] = 0x45;
		put16(pkt + 2, (uint16_t)len);
		pkt[8] = 64;
		pkt[9] = PROTO_UDP;
		pkt[12] = 192; /* 192.0.2.7 -> 198.51.100.9 */
		pkt[14] = 2;
		pkt[15] = 7;
		pkt[16] = 198;
		pkt[17] = 51;
		pkt[18] = 100;
		pkt[19] = 9;
		fix_ip_csum(pkt);
	}
	put16(pkt + hl, 5353);
	put16(pkt + hl + 2, 4789);
	put16(pkt + hl + 4, (uint16_t)ulen);
	memcpy(pkt + hl + 8, data, sizeof(data));
	put16(pkt + len - 2, 0);
	sum = ref_sum(pkt + hl, ulen, ref_pseudo(pkt, PROTO_UDP, ulen));
	put16(pkt + len - 2, (uint16_t)(0xffff - sum));
	assert_int_equal(ref_l4_csum(pkt, len, PROTO_UDP, 6), 0x0000);
	/* The kernel's CHECKSUM_PARTIAL: the pseudo-header sum in the field. */
	put16(pkt + hl + 6, ref_pseudo(pkt, PROTO_UDP, ulen));
	return len;
}

static void test_needs_csum_udp_zero(void **state)
{
	static uint8_t pkt[256];
	size_t len;

	(void)state;
	len = udp_zero_csum(pkt, 0);
	complete_and_check(pkt, len, ETH_HLEN, PROTO_UDP, 6, 0xffff);
	len = udp_zero_csum(pkt, 1);
	complete_and_check(pkt, len, ETH_HLEN, PROTO_UDP, 6, 0xffff);
}

static void test_needs_csum_udp(void **state)
{
	static uint8_t pkt[256];
	size_t len;

	(void)state;
	/* An ordinary UDP checksum (not zero) is stored as computed. */
	len = udp_zero_csum(pkt, 0);
	pkt[len - 3] ^= 0x40;
	complete_and_check(pkt, len, ETH_HLEN, PROTO_UDP, 6, ref_l4_csum(pkt, len, PROTO_UDP, 6));
}

static void test_no_csum_passthrough(void **state)
{
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 700, TCP_ACK};
	static uint8_t pkt[FRAME_MAX];
	size_t len = build_frame(pkt, &s);
	uint8_t *frame = dup_exact(pkt, len);
	struct virtio_net_hdr vh;
	static struct rec r;

	(void)state;
	/* No flags, no GSO: sent whole and untouched, even with a checksum
	 * that is not complete (it is not ours to complete). Bogus csum_start
	 * and csum_offset are not looked at. */
	memset(&vh, 0, sizeof(vh));
	vh.csum_start = 0xffff;
	vh.csum_offset = 0xffff;
	rec_init(&r);
	assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.s[0].hdr_len, 0);
	assert_ptr_equal(r.s[0].payload, frame);
	assert_int_equal(r.s[0].plen, len);
	assert_memory_equal(frame, pkt, len);
	free(frame);
}

static void test_needs_csum_malformed(void **state)
{
	const struct frame_spec s = {0, 0, TCP_TS_HLEN, 10, TCP_ACK};
	static uint8_t pkt[FRAME_MAX];
	size_t len = build_frame(pkt, &s);
	struct virtio_net_hdr vh;

	(void)state;
	/* csum_start in front of the IP header (inside the Ethernet header). */
	vh = partial_vh(ETH_HLEN, 20, 16);
	vh.csum_start = ETH_HLEN - 1;
	expect_malformed(&vh, pkt, len, ETH_HLEN);
	/* Field past the end, or straddling it. */
	vh = partial_vh(ETH_HLEN, 20, len - 20 - 1);
	expect_malformed(&vh, pkt, len, ETH_HLEN);
	vh = partial_vh(ETH_HLEN, 20, 0xffff);
	expect_malformed(&vh, pkt, len, ETH_HLEN);
	/* Start at or past the end. */
	vh = partial_vh(ETH_HLEN, len, 0);
	expect_malformed(&vh, pkt, len, ETH_HLEN);
	vh = partial_vh(ETH_HLEN, 0xffff - ETH_HLEN, 0);
	expect_malformed(&vh, pkt, len, ETH_HLEN);
	/* The last two bytes are still a valid place for a field. */
	{
		uint8_t *frame = dup_exact(pkt, len);
		static struct rec r;

		vh = partial_vh(ETH_HLEN, 20, len - 20 - 2);
		rec_init(&r);
		assert_int_equal(mgred_segment(&vh, frame, len, ETH_HLEN, rec_emit, &r), SEG_OK);
		assert_int_equal(r.n, 1);
		free(frame);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gso_v4),
	    cmocka_unit_test(test_gso_v6),
	    cmocka_unit_test(test_gso_exact_multiple),
	    cmocka_unit_test(test_gso_one_segment),
	    cmocka_unit_test(test_gso_no_payload),
	    cmocka_unit_test(test_gso_odd_mss),
	    cmocka_unit_test(test_gso_max_headers),
	    cmocka_unit_test(test_gso_ecn),
	    cmocka_unit_test(test_gso_largest),
	    cmocka_unit_test(test_malformed_v4),
	    cmocka_unit_test(test_malformed_v6),
	    cmocka_unit_test(test_malformed_gso_type),
	    cmocka_unit_test(test_emit_fails),
	    cmocka_unit_test(test_needs_csum_tcp),
	    cmocka_unit_test(test_needs_csum_tcp_zero),
	    cmocka_unit_test(test_gso_tcp_zero),
	    cmocka_unit_test(test_needs_csum_udp_zero),
	    cmocka_unit_test(test_needs_csum_udp),
	    cmocka_unit_test(test_no_csum_passthrough),
	    cmocka_unit_test(test_needs_csum_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
