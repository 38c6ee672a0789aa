/*
 * nhrp_pcap: writes a pcap file of NHRP packets built by nhrp_encode(), one
 * of every type (RFC 2332 5.2.1-5.2.7, and Cisco's Traffic Indication) with
 * every extension between them, as they travel: raw IPv4 (LINKTYPE_RAW),
 * GRE with a key (RFC 2784, RFC 2890) carrying protocol 0x2001, then NHRP.
 * tests/integration/test_nhrp_tshark.sh checks tshark's reading of each
 * field against the values set here.
 *
 *   nhrp_pcap FILE
 *
 *   frame  packet                 extensions (C = compulsory)
 *   1      Resolution Request     forward/reverse transit (C), responder (C), auth (C)
 *   2      Resolution Reply       responder (C, 1 CIE), forward transit (C, 1 CIE),
 *                                 reverse transit (C), NAT address (1 CIE), auth (C)
 *   3      Registration Request   responder, forward/reverse transit (C), auth (C), NAT
 *   4      Registration Reply     responder (C, 1 CIE), transit (C), auth (C), NAT (1 CIE)
 *   5      Purge Request          vendor-private
 *   6      Purge Reply            none
 *   7      Error Indication       none; the packet in error is frame 6's NHRP packet
 *   8      Traffic Indication     forward transit (C); the IPv4 head that caused it
 *   9      Registration Request   responder (C); IPv6 NBMA and protocol addresses
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre/gre_codec.h"
#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/csum.h"
#include "nhrpd/nhrp_packet.h"

#define LINKTYPE_RAW 101
#define GRE_KEY      42

static const uint8_t cisco_auth[] = {0, 0, 0, 1, 's', 'e', 'c', 'r', 'e', 't', '1', '2'};
static const uint8_t vendor_cisco[] = {0x00, 0x00, 0x0c, 0x12, 0x34};

/* Room for the packet in error of frame 7 and the IP head of frame 8. */
static uint8_t purge_reply[NHRP_MAX_PACKET];
static size_t purge_reply_len;
static uint8_t ip_head[28];

static void nhrp_pcap_addr(struct ipaddr *a, const char *s)
{
	if (ipaddr_parse(s, a) < 0) {
		fprintf(stderr, "nhrp_pcap: bad address %s\n", s);
		exit(1);
	}
}

static void nhrp_pcap_hdr(struct nhrp_packet *p, uint8_t type, const char *src_nbma,
                          const char *src_proto, const char *dst_proto)
{
	memset(p, 0, sizeof(*p));
	p->afn = NHRP_AFN_IPV4;
	p->pro_type = NHRP_PRO_IPV4;
	p->hop_count = 255;
	p->type = type;
	nhrp_pcap_addr(&p->src_nbma, src_nbma);
	nhrp_pcap_addr(&p->src_proto, src_proto);
	nhrp_pcap_addr(&p->dst_proto, dst_proto);
}

static void nhrp_pcap_cie(struct nhrp_cie *c, uint8_t prefix, uint16_t mtu, uint16_t ht,
                          const char *nbma, const char *proto)
{
	memset(c, 0, sizeof(*c));
	c->code = NHRP_CODE_SUCCESS;
	c->prefix_len = prefix;
	c->mtu = mtu;
	c->holding_time = ht;
	if (nbma)
		nhrp_pcap_addr(&c->nbma, nbma);
	if (proto)
		nhrp_pcap_addr(&c->proto, proto);
}

static struct nhrp_ext *nhrp_pcap_ext(struct nhrp_packet *p, uint16_t type, bool compulsory)
{
	struct nhrp_ext *e = nhrp_packet_add_ext(p, type, compulsory);

	if (!e) {
		fprintf(stderr, "nhrp_pcap: too many extensions\n");
		exit(1);
	}
	return e;
}

static void nhrp_pcap_auth(struct nhrp_packet *p)
{
	struct nhrp_ext *e = nhrp_pcap_ext(p, NHRP_EXT_AUTHENTICATION, true);

	e->data = cisco_auth;
	e->len = sizeof(cisco_auth);
}

/* The CIE a spoke gets back for 10.0.0.2, and the hub's own. */
static void nhrp_pcap_cie_spoke2(struct nhrp_cie *c)
{
	nhrp_pcap_cie(c, 32, 1400, 7200, "203.0.113.2", "10.0.0.2");
}

static void nhrp_pcap_cie_hub(struct nhrp_cie *c)
{
	nhrp_pcap_cie(c, 32, 1400, 7200, "198.51.100.1", "10.0.0.254");
}

/* Frame n's packet (1-9), as the header comment lists them. */
static void nhrp_pcap_packet(int n, struct nhrp_packet *p)
{
	struct nhrp_ext *e;

	switch (n) {
	case 1:
		nhrp_pcap_hdr(p, NHRP_RESOLUTION_REQUEST, "192.0.2.1", "10.0.0.1", "10.0.0.2");
		p->flags = NHRP_FLAG_RES_Q | NHRP_FLAG_RES_S | NHRP_FLAG_RES_NAT;
		p->request_id = 0x11223344;
		p->n_cie = 1;
		nhrp_pcap_cie(&p->cie[0], 32, 1400, 7200, NULL, NULL);
		nhrp_pcap_ext(p, NHRP_EXT_FORWARD_TRANSIT, true);
		nhrp_pcap_ext(p, NHRP_EXT_REVERSE_TRANSIT, true);
		nhrp_pcap_ext(p, NHRP_EXT_RESPONDER_ADDRESS, true);
		nhrp_pcap_auth(p);
		break;
	case 2:
		nhrp_pcap_hdr(p, NHRP_RESOLUTION_REPLY, "192.0.2.1", "10.0.0.1", "10.0.0.2");
		p->flags = NHRP_FLAG_RES_Q | NHRP_FLAG_RES_A | NHRP_FLAG_RES_D | NHRP_FLAG_RES_S |
		           NHRP_FLAG_RES_NAT;
		p->request_id = 0x11223344;
		p->n_cie = 1;
		nhrp_pcap_cie_spoke2(&p->cie[0]);
		e = nhrp_pcap_ext(p, NHRP_EXT_RESPONDER_ADDRESS, true);
		e->n_cie = 1;
		nhrp_pcap_cie_spoke2(&e->cie[0]);
		e = nhrp_pcap_ext(p, NHRP_EXT_FORWARD_TRANSIT, true);
		e->n_cie = 1;
		nhrp_pcap_cie_hub(&e->cie[0]);
		nhrp_pcap_ext(p, NHRP_EXT_REVERSE_TRANSIT, true);
		e = nhrp_pcap_ext(p, NHRP_EXT_NAT_ADDRESS, false);
		e->n_cie = 1;
		nhrp_pcap_cie(&e->cie[0], 32, 1400, 0, "203.0.113.99", "10.0.0.2");
		nhrp_pcap_auth(p);
		break;
	case 3:
	case 4:
		nhrp_pcap_hdr(p, n == 3 ? NHRP_REGISTRATION_REQUEST : NHRP_REGISTRATION_REPLY,
		              "192.0.2.1", "10.0.0.1", "10.0.0.254");
		p->flags = NHRP_FLAG_REG_U | NHRP_FLAG_REG_NAT;
		p->request_id = 42;
		p->n_cie = 1;
		nhrp_pcap_cie(&p->cie[0], 255, 1400, 7200, NULL, NULL);
		e = nhrp_pcap_ext(p, NHRP_EXT_RESPONDER_ADDRESS, true);
		if (n == 4) {
			e->n_cie = 1;
			nhrp_pcap_cie_hub(&e->cie[0]);
		}
		nhrp_pcap_ext(p, NHRP_EXT_FORWARD_TRANSIT, true);
		nhrp_pcap_ext(p, NHRP_EXT_REVERSE_TRANSIT, true);
		nhrp_pcap_auth(p);
		e = nhrp_pcap_ext(p, NHRP_EXT_NAT_ADDRESS, false);
		if (n == 4) {
			e->n_cie = 1;
			nhrp_pcap_cie(&e->cie[0], 32, 1400, 0, "192.0.2.99", "10.0.0.1");
		}
		break;
	case 5:
	case 6:
		nhrp_pcap_hdr(p, n == 5 ? NHRP_PURGE_REQUEST : NHRP_PURGE_REPLY, "198.51.100.1",
		              "10.0.0.254", "10.0.0.1");
		p->request_id = 0x100;
		p->n_cie = 1;
		nhrp_pcap_cie(&p->cie[0], 32, 0, 0, NULL, "10.0.0.2");
		if (n == 5) {
			e = nhrp_pcap_ext(p, NHRP_EXT_VENDOR_PRIVATE, false);
			e->data = vendor_cisco;
			e->len = sizeof(vendor_cisco);
		}
		break;
	case 7:
		nhrp_pcap_hdr(p, NHRP_ERROR_INDICATION, "192.0.2.1", "10.0.0.1", "10.0.0.254");
		p->hop_count = 0;
		p->error_code = NHRP_ERR_PROTO_ADDR_UNREACHABLE;
		p->error_offset = 0;
		p->payload = purge_reply;
		p->payload_len = purge_reply_len;
		break;
	case 8:
		nhrp_pcap_hdr(p, NHRP_TRAFFIC_INDICATION, "198.51.100.1", "10.0.0.254", "10.0.0.1");
		p->hop_count = 1;
		p->payload = ip_head;
		p->payload_len = sizeof(ip_head);
		nhrp_pcap_ext(p, NHRP_EXT_FORWARD_TRANSIT, true);
		break;
	case 9:
		memset(p, 0, sizeof(*p));
		p->afn = NHRP_AFN_IPV6;
		p->pro_type = NHRP_PRO_IPV6;
		p->hop_count = 255;
		p->type = NHRP_REGISTRATION_REQUEST;
		p->flags = NHRP_FLAG_REG_U;
		p->request_id = 0x01020304;
		nhrp_pcap_addr(&p->src_nbma, "2001:db8::1");
		nhrp_pcap_addr(&p->src_proto, "fd00::1");
		nhrp_pcap_addr(&p->dst_proto, "fd00::fe");
		p->n_cie = 1;
		nhrp_pcap_cie(&p->cie[0], 128, 1400, 7200, "2001:db8::1", "fd00::1");
		p->cie[0].preference = 1;
		nhrp_pcap_ext(p, NHRP_EXT_RESPONDER_ADDRESS, true);
		break;
	}
}

/* An IPv4 header (20 octets, checksummed) for total octets from src to dst. */
static void nhrp_pcap_ipv4(struct wbuf *w, size_t total, uint8_t proto, uint16_t id,
                           const char *src, const char *dst)
{
	struct ipaddr s, d;
	size_t start = wbuf_len(w);
	uint16_t c;

	nhrp_pcap_addr(&s, src);
	nhrp_pcap_addr(&d, dst);
	wbuf_put_be16(w, 0x4500);
	wbuf_put_be16(w, (uint16_t)total);
	wbuf_put_be16(w, id);
	wbuf_put_be16(w, 0x4000); /* don't fragment */
	wbuf_put_u8(w, 64);
	wbuf_put_u8(w, proto);
	wbuf_reserve(w, 2);
	wbuf_put_bytes(w, &s.u.v4, 4);
	wbuf_put_bytes(w, &d.u.v4, 4);
	if (wbuf_ok(w)) {
		c = csum_compute(w->data + start, 20);
		memcpy(w->data + start + 10, &c, 2);
	}
}

/* pcap fields are in the writer's byte order, which the magic tells. */
static int nhrp_pcap_u32(FILE *f, uint32_t v)
{
	return fwrite(&v, sizeof(v), 1, f) == 1 ? 0 : -1;
}

static int nhrp_pcap_u16(FILE *f, uint16_t v)
{
	return fwrite(&v, sizeof(v), 1, f) == 1 ? 0 : -1;
}

static int nhrp_pcap_frame(FILE *f, int n, const uint8_t *nhrp, size_t len)
{
	static const struct gre_hdr gre = {
	    .has_key = true, .proto = GRE_PROTO_NHRP, .key = GRE_KEY};
	uint8_t frame[20 + GRE_HDR_MAX + NHRP_MAX_PACKET];
	size_t glen = gre_hdr_len(&gre);
	struct wbuf w;

	wbuf_init(&w, frame, sizeof(frame));
	nhrp_pcap_ipv4(&w, 20 + glen + len, 47, (uint16_t)n, "192.0.2.1", "198.51.100.1");
	gre_encode(&w, &gre, nhrp, len);
	wbuf_put_bytes(&w, nhrp, len);
	if (!wbuf_ok(&w))
		return -1;
	if (nhrp_pcap_u32(f, (uint32_t)n) < 0 || nhrp_pcap_u32(f, 0) < 0 ||
	    nhrp_pcap_u32(f, (uint32_t)wbuf_len(&w)) < 0 ||
	    nhrp_pcap_u32(f, (uint32_t)wbuf_len(&w)) < 0)
		return -1;
	return fwrite(frame, wbuf_len(&w), 1, f) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct nhrp_packet p;
	uint8_t pkt[NHRP_MAX_PACKET];
	struct wbuf w;
	size_t len;
	FILE *f;
	int n;

	if (argc != 2) {
		fprintf(stderr, "usage: nhrp_pcap FILE\n");
		return 2;
	}
	/* Frame 8's payload: the head of a ping 10.0.0.1 > 10.0.2.1. */
	wbuf_init(&w, ip_head, sizeof(ip_head));
	nhrp_pcap_ipv4(&w, 84, 1, 0x1234, "10.0.0.1", "10.0.2.1");
	wbuf_put_be32(&w, 0x0800f7fe); /* echo request, its checksum */
	wbuf_put_be32(&w, 0x00010001); /* identifier 1, sequence 1 */

	f = fopen(argv[1], "wb");
	if (!f) {
		fprintf(stderr, "nhrp_pcap: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* magic, version 2.4, zone, accuracy, snap length, link type */
	if (nhrp_pcap_u32(f, 0xa1b2c3d4) < 0 || nhrp_pcap_u16(f, 2) < 0 ||
	    nhrp_pcap_u16(f, 4) < 0 || nhrp_pcap_u32(f, 0) < 0 || nhrp_pcap_u32(f, 0) < 0 ||
	    nhrp_pcap_u32(f, 65535) < 0 || nhrp_pcap_u32(f, LINKTYPE_RAW) < 0)
		goto fail;
	for (n = 1; n <= 9; n++) {
		nhrp_pcap_packet(n, &p);
		len = nhrp_encode(&p, pkt, sizeof(pkt));
		if (len == 0) {
			fprintf(stderr, "nhrp_pcap: nhrp_encode refused frame %d\n", n);
			fclose(f);
			return 1;
		}
		if (n == 6) {
			memcpy(purge_reply, pkt, len);
			purge_reply_len = len;
		}
		if (nhrp_pcap_frame(f, n, pkt, len) < 0)
			goto fail;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "nhrp_pcap: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "nhrp_pcap: writing %s failed\n", argv[1]);
	fclose(f);
	return 1;
}
