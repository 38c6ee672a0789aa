/*
 * IKEv2 message codec (RFC 7296 3).
 *
 * The vectors below were laid out by hand, field by field from the RFC
 * 7296 3.1-3.14 diagrams (one line per group of fields, with its offset),
 * not produced by the builder: a mistake shared by builder and decoder
 * cannot pass. Each was also fed to tshark 4.0's isakmp dissector (UDP
 * port 500 in IPv4; the two plaintext inner chains behind an IKE header
 * whose next payload is their first), which decodes every field as the
 * comments say. RFC 7296 has no published message vectors.
 *
 * Decoding always reads a heap copy of exactly the message's length, so
 * ASan reports any read past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "iked/ikev2_msg.h"

/* Data filled with a counting pattern: 32 bytes from 0x20 are
 * 0x20, 0x21, ... 0x3f. */
static uint8_t ke32[32], nonce32[32], natd_src[20], natd_dst[20], cookie20[20], auth32[32],
    sk40[40], sk25[25];

static void pattern(uint8_t *p, uint8_t start, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

static void init_patterns(void)
{
	pattern(ke32, 0x20, 32);
	pattern(nonce32, 0x40, 32);
	pattern(natd_src, 0x60, 20);
	pattern(natd_dst, 0x80, 20);
	pattern(cookie20, 0xa0, 20);
	pattern(auth32, 0xc0, 32);
	pattern(sk40, 0xd0, 40);
	pattern(sk25, 0x30, 25);
}

#define ISPI 0x0102030405060708ULL
#define RSPI 0x1112131415161718ULL

/* IKE_SA_INIT request (RFC 7296 1.2): HDR, SAi1, KEi, Ni, N(NAT-D src),
 * N(NAT-D dst), N(IKEV2_FRAGMENTATION_SUPPORTED). */
static const uint8_t vec_init_req[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* 0: initiator SPI */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 8: responder SPI 0 */
    0x21, 0x20, 0x22, 0x08, /* 16: next SA (33), version 2.0, IKE_SA_INIT (34), flags I */
    0x00, 0x00, 0x00, 0x00, /* 20: message ID 0 */
    0x00, 0x00, 0x00, 0xd0, /* 24: length 208 */
    0x22, 0x00, 0x00, 0x28, /* 28: SA: next KE (34), C 0, length 40 */
    0x00, 0x00, 0x00, 0x24, /* 32:   proposal: last (0), reserved, length 36 */
    0x01, 0x01, 0x00, 0x03, /* 36:   number 1, IKE (1), SPI size 0, 3 transforms */
    0x03, 0x00, 0x00, 0x0c, /* 40:     transform: more (3), reserved, length 12 */
    0x01, 0x00, 0x00, 0x14, /* 44:     ENCR (1), reserved, ENCR_AES_GCM_16 (20) */
    0x80, 0x0e, 0x01, 0x00, /* 48:     attribute TV Key Length (14): 256 */
    0x03, 0x00, 0x00, 0x08, /* 52:     transform: more, length 8 */
    0x02, 0x00, 0x00, 0x06, /* 56:     PRF (2), PRF_HMAC_SHA2_384 (6) */
    0x00, 0x00, 0x00, 0x08, /* 60:     transform: last (0), length 8 */
    0x04, 0x00, 0x00, 0x1f, /* 64:     DH (4), group 31 (Curve25519) */
    0x28, 0x00, 0x00, 0x28, /* 68: KE: next Nonce (40), length 40 */
    0x00, 0x1f, 0x00, 0x00, /* 72:   DH group 31, reserved */
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, /* 76:   KE data, 32 bytes */
    0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, /* 84 */
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, /* 92 */
    0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, /* 100 */
    0x29, 0x00, 0x00, 0x24,                         /* 108: Nonce: next N (41), length 36 */
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, /* 112:   nonce, 32 bytes */
    0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, /* 120 */
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, /* 128 */
    0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, /* 136 */
    0x29, 0x00, 0x00, 0x1c,                         /* 144: N: next N, length 28 */
    0x00, 0x00, 0x40, 0x04, /* 148:   protocol 0, SPI size 0, NAT_DETECTION_SOURCE_IP (16388) */
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, /* 152:   SHA-1 hash, 20 bytes */
    0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, /* 160 */
    0x70, 0x71, 0x72, 0x73,                         /* 168 */
    0x29, 0x00, 0x00, 0x1c,                         /* 172: N: next N, length 28 */
    0x00, 0x00, 0x40, 0x05, /* 176:   protocol 0, SPI size 0, NAT_DETECTION_DESTINATION_IP */
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, /* 180:   SHA-1 hash, 20 bytes */
    0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, /* 188 */
    0x90, 0x91, 0x92, 0x93,                         /* 196 */
    0x00, 0x00, 0x00, 0x08,                         /* 200: N: no next payload, length 8 */
    0x00, 0x00, 0x40, 0x2e, /* 204:   IKEV2_FRAGMENTATION_SUPPORTED (16430), no data */
};

/* IKE_SA_INIT response refusing the KE group (RFC 7296 1.3): N(INVALID_KE_PAYLOAD). */
static const uint8_t vec_init_invalid_ke[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* 0: initiator SPI */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 8: responder SPI 0 */
    0x29, 0x20, 0x22, 0x20, /* 16: next N (41), version 2.0, IKE_SA_INIT, flags R */
    0x00, 0x00, 0x00, 0x00, /* 20: message ID 0 */
    0x00, 0x00, 0x00, 0x26, /* 24: length 38 */
    0x00, 0x00, 0x00, 0x0a, /* 28: N: no next payload, length 10 */
    0x00, 0x00, 0x00, 0x11, /* 32:   protocol 0, SPI size 0, INVALID_KE_PAYLOAD (17) */
    0x00, 0x13,             /* 36:   accepted group 19 */
};

/* IKE_SA_INIT response asking for a cookie (RFC 7296 2.6): N(COOKIE). */
static const uint8_t vec_init_cookie[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* 0: initiator SPI */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 8: responder SPI 0 */
    0x29, 0x20, 0x22, 0x20, /* 16: next N (41), version 2.0, IKE_SA_INIT, flags R */
    0x00, 0x00, 0x00, 0x00, /* 20: message ID 0 */
    0x00, 0x00, 0x00, 0x38, /* 24: length 56 */
    0x00, 0x00, 0x00, 0x1c, /* 28: N: no next payload, length 28 */
    0x00, 0x00, 0x40, 0x06, /* 32:   protocol 0, SPI size 0, COOKIE (16390) */
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, /* 36:   cookie, 20 bytes */
    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, /* 44 */
    0xb0, 0xb1, 0xb2, 0xb3,                         /* 52 */
};

/*
 * The plaintext inside an IKE_AUTH request's SK (RFC 7296 1.2), first
 * payload IDi: IDi, AUTH, SAi2, TSi, TSr, N(USE_TRANSPORT_MODE),
 * N(INITIAL_CONTACT). GRE between 192.0.2.1 and 198.51.100.1.
 */
static const uint8_t vec_auth_inner[] = {
    0x27, 0x00, 0x00, 0x1a,                        /* 0: IDi: next AUTH (39), length 26 */
    0x02, 0x00, 0x00, 0x00,                        /* 4:   ID_FQDN (2), reserved */
    's',  'p',  'o',  'k',  'e',  '1',  '.',  'e', /* 8:   "spoke1.example.net" */
    'x',  'a',  'm',  'p',  'l',  'e',  '.',  'n', /* 16 */
    'e',  't',                                     /* 24 */
    0x21, 0x00, 0x00, 0x28,                        /* 26: AUTH: next SA (33), length 40 */
    0x02, 0x00, 0x00, 0x00, /* 30:   Shared Key Message Integrity Code (2), reserved */
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, /* 34:   auth data, 32 bytes */
    0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, /* 42 */
    0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, /* 50 */
    0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, /* 58 */
    0x2c, 0x00, 0x00, 0x24,                         /* 66: SA: next TSi (44), length 36 */
    0x00, 0x00, 0x00, 0x20,                         /* 70:   proposal: last, length 32 */
    0x01, 0x03, 0x04, 0x02, /* 74:   number 1, ESP (3), SPI size 4, 2 transforms */
    0xca, 0xfe, 0x00, 0x01, /* 78:   SPI 0xcafe0001 */
    0x03, 0x00, 0x00, 0x0c, /* 82:     transform: more, length 12 */
    0x01, 0x00, 0x00, 0x14, /* 86:     ENCR, ENCR_AES_GCM_16 (20) */
    0x80, 0x0e, 0x00, 0x80, /* 90:     attribute TV Key Length: 128 */
    0x00, 0x00, 0x00, 0x08, /* 94:     transform: last, length 8 */
    0x05, 0x00, 0x00, 0x00, /* 98:     ESN (5), no ESN (0) */
    0x2d, 0x00, 0x00, 0x18, /* 102: TSi: next TSr (45), length 24 */
    0x01, 0x00, 0x00, 0x00, /* 106:   1 selector, reserved */
    0x07, 0x2f, 0x00, 0x10, /* 110:   TS_IPV4_ADDR_RANGE (7), GRE (47), length 16 */
    0x00, 0x00, 0xff, 0xff, /* 114:   ports 0-65535 */
    0xc0, 0x00, 0x02, 0x01, /* 118:   start 192.0.2.1 */
    0xc0, 0x00, 0x02, 0x01, /* 122:   end 192.0.2.1 */
    0x29, 0x00, 0x00, 0x18, /* 126: TSr: next N (41), length 24 */
    0x01, 0x00, 0x00, 0x00, /* 130:   1 selector, reserved */
    0x07, 0x2f, 0x00, 0x10, /* 134:   TS_IPV4_ADDR_RANGE, GRE, length 16 */
    0x00, 0x00, 0xff, 0xff, /* 138:   ports 0-65535 */
    0xc6, 0x33, 0x64, 0x01, /* 142:   start 198.51.100.1 */
    0xc6, 0x33, 0x64, 0x01, /* 146:   end 198.51.100.1 */
    0x29, 0x00, 0x00, 0x08, /* 150: N: next N, length 8 */
    0x00, 0x00, 0x40, 0x07, /* 154:   protocol 0, SPI size 0, USE_TRANSPORT_MODE (16391) */
    0x00, 0x00, 0x00, 0x08, /* 158: N: no next payload, length 8 */
    0x00, 0x00, 0x40, 0x00, /* 162:   protocol 0, SPI size 0, INITIAL_CONTACT (16384) */
};

/* An IKE_AUTH request as sent (RFC 7296 3.14): HDR, SK {IDi, ...}; the
 * body (IV, ciphertext, ICV) is opaque here. */
static const uint8_t vec_auth_sk[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* 0: initiator SPI */
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, /* 8: responder SPI */
    0x2e, 0x20, 0x23, 0x08, /* 16: next SK (46), version 2.0, IKE_AUTH (35), flags I */
    0x00, 0x00, 0x00, 0x01, /* 20: message ID 1 */
    0x00, 0x00, 0x00, 0x48, /* 24: length 72 */
    0x23, 0x00, 0x00, 0x2c, /* 28: SK: next (first inside) IDi (35), length 44 */
    0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, /* 32: IV .. ICV, 40 bytes */
    0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, /* 40 */
    0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, /* 48 */
    0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef, /* 56 */
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, /* 64 */
};

/* The plaintext inside an INFORMATIONAL request's SK deleting two ESP SAs
 * and the IKE SA (RFC 7296 1.4.1, 3.11): D(ESP), D(IKE). */
static const uint8_t vec_delete_inner[] = {
    0x2a, 0x00, 0x00, 0x10, /* 0: D: next D (42), length 16 */
    0x03, 0x04, 0x00, 0x02, /* 4:   ESP (3), SPI size 4, 2 SPIs */
    0xca, 0xfe, 0x00, 0x01, /* 8:   SPI 0xcafe0001 */
    0xca, 0xfe, 0x00, 0x02, /* 12:  SPI 0xcafe0002 */
    0x00, 0x00, 0x00, 0x08, /* 16: D: no next payload, length 8 */
    0x01, 0x00, 0x00, 0x00, /* 20:   IKE (1), SPI size 0, no SPIs */
};

/* An empty INFORMATIONAL request, the liveness check (RFC 7296 1.4): an SK
 * with nothing inside; the body is IV, the pad length and ICV. */
static const uint8_t vec_info_empty[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* 0: initiator SPI */
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, /* 8: responder SPI */
    0x2e, 0x20, 0x25, 0x08, /* 16: next SK (46), version 2.0, INFORMATIONAL (37), flags I */
    0x00, 0x00, 0x00, 0x02, /* 20: message ID 2 */
    0x00, 0x00, 0x00, 0x39, /* 24: length 57 */
    0x00, 0x00, 0x00, 0x1d, /* 28: SK: nothing inside, length 29 */
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, /* 32: IV .. ICV, 25 bytes */
    0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, /* 40 */
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, /* 48 */
    0x48,                                           /* 56 */
};

static const uint8_t fqdn[] = "spoke1.example.net"; /* 18 bytes and a NUL */
static const uint8_t esp_spi[4] = {0xca, 0xfe, 0x00, 0x01};
static const uint8_t esp_spis[8] = {0xca, 0xfe, 0x00, 0x01, 0xca, 0xfe, 0x00, 0x02};
static const uint8_t group19[2] = {0x00, 0x13};

static void set_addr(struct ipaddr *a, const char *s)
{
	assert_int_equal(ipaddr_parse(s, a), 0);
}

static void want_header(struct ikev2_msg *m, uint64_t rspi, uint8_t np, uint8_t exchange,
                        uint8_t flags, uint32_t msg_id, uint32_t length)
{
	memset(m, 0, sizeof(*m));
	m->hdr.ispi = ISPI;
	m->hdr.rspi = rspi;
	m->hdr.next_payload = np;
	m->hdr.version = IKEV2_VERSION;
	m->hdr.exchange = exchange;
	m->hdr.flags = flags;
	m->hdr.msg_id = msg_id;
	m->hdr.length = length;
}

static void want_types(struct ikev2_msg *m, const uint8_t *types, size_t n)
{
	memcpy(m->types, types, n);
	m->n_payloads = n;
}

static void add_notify(struct ikev2_msg *m, uint16_t type, const uint8_t *data, size_t len)
{
	struct ikev2_notify *n = &m->notify[m->n_notify++];

	n->type = type;
	n->data = data;
	n->len = len;
}

static void want_init_req(struct ikev2_msg *m)
{
	static const uint8_t types[] = {33, 34, 40, 41, 41, 41};
	struct ikev2_proposal *p = &m->sa.p[0];

	want_header(m, 0, IKEV2_PAYLOAD_SA, IKEV2_EXCHANGE_IKE_SA_INIT, IKEV2_FLAG_INITIATOR, 0,
	            208);
	m->has_sa = true;
	m->sa.n = 1;
	p->num = 1;
	p->protocol = IKEV2_PROTO_IKE;
	p->n_transforms = 3;
	p->t[0] = (struct ikev2_transform){IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256, false};
	p->t[1] = (struct ikev2_transform){IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_384, 0, false};
	p->t[2] = (struct ikev2_transform){IKEV2_TRANSFORM_DH, IKEV2_DH_CURVE25519, 0, false};
	m->has_ke = true;
	m->ke_group = IKEV2_DH_CURVE25519;
	m->ke = ke32;
	m->ke_len = 32;
	m->has_nonce = true;
	m->nonce = nonce32;
	m->nonce_len = 32;
	add_notify(m, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd_src, 20);
	add_notify(m, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd_dst, 20);
	add_notify(m, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	want_types(m, types, sizeof(types));
}

static const struct ikev2_header hdr_init_req = {
    .ispi = ISPI, .exchange = IKEV2_EXCHANGE_IKE_SA_INIT, .flags = IKEV2_FLAG_INITIATOR};
static const struct ikev2_header hdr_init_resp = {
    .ispi = ISPI, .exchange = IKEV2_EXCHANGE_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};

/* What an initiator's state machine would write. */
static size_t build_init_req(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;
	struct ikev2_sa_payload sa = {.n = 1};

	sa.p[0].num = 1;
	sa.p[0].protocol = IKEV2_PROTO_IKE;
	sa.p[0].n_transforms = 3;
	sa.p[0].t[0] = (struct ikev2_transform){
	    .type = IKEV2_TRANSFORM_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .key_len = 256};
	sa.p[0].t[1] =
	    (struct ikev2_transform){.type = IKEV2_TRANSFORM_PRF, .id = IKEV2_PRF_HMAC_SHA2_384};
	sa.p[0].t[2] =
	    (struct ikev2_transform){.type = IKEV2_TRANSFORM_DH, .id = IKEV2_DH_CURVE25519};
	ikev2_build_init(&b, out, cap, &hdr_init_req);
	ikev2_build_sa(&b, &sa);
	ikev2_build_ke(&b, IKEV2_DH_CURVE25519, ke32, sizeof(ke32));
	ikev2_build_nonce(&b, nonce32, sizeof(nonce32));
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd_src, 20);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd_dst, 20);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	return ikev2_build_finish(&b);
}

static void want_init_invalid_ke(struct ikev2_msg *m)
{
	static const uint8_t types[] = {41};

	want_header(m, 0, IKEV2_PAYLOAD_NOTIFY, IKEV2_EXCHANGE_IKE_SA_INIT, IKEV2_FLAG_RESPONSE, 0,
	            38);
	add_notify(m, IKEV2_N_INVALID_KE_PAYLOAD, group19, 2);
	want_types(m, types, sizeof(types));
}

static size_t build_init_invalid_ke(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;

	ikev2_build_init(&b, out, cap, &hdr_init_resp);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_INVALID_KE_PAYLOAD, group19, 2);
	return ikev2_build_finish(&b);
}

static void want_init_cookie(struct ikev2_msg *m)
{
	static const uint8_t types[] = {41};

	want_header(m, 0, IKEV2_PAYLOAD_NOTIFY, IKEV2_EXCHANGE_IKE_SA_INIT, IKEV2_FLAG_RESPONSE, 0,
	            56);
	add_notify(m, IKEV2_N_COOKIE, cookie20, 20);
	want_types(m, types, sizeof(types));
}

static size_t build_init_cookie(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;

	ikev2_build_init(&b, out, cap, &hdr_init_resp);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_COOKIE, cookie20, 20);
	return ikev2_build_finish(&b);
}

static void want_gre_ts(struct ikev2_ts_payload *tsp, const char *addr)
{
	tsp->n = 1;
	tsp->ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	tsp->ts[0].ip_proto = 47;
	tsp->ts[0].start_port = 0;
	tsp->ts[0].end_port = 65535;
	set_addr(&tsp->ts[0].start, addr);
	set_addr(&tsp->ts[0].end, addr);
}

static void want_esp_sa(struct ikev2_sa_payload *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->n = 1;
	sa->p[0].num = 1;
	sa->p[0].protocol = IKEV2_PROTO_ESP;
	sa->p[0].spi_size = 4;
	memcpy(sa->p[0].spi, esp_spi, 4);
	sa->p[0].n_transforms = 2;
	sa->p[0].t[0] = (struct ikev2_transform){
	    .type = IKEV2_TRANSFORM_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .key_len = 128};
	sa->p[0].t[1] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_ESN, .id = IKEV2_ESN_NONE};
}

/* hdr: kept from before ikev2_payloads_decode */
static void want_auth_inner(struct ikev2_msg *m)
{
	static const uint8_t types[] = {35, 39, 33, 44, 45, 41, 41};

	memset(m, 0, sizeof(*m));
	m->has_idi = true;
	m->idi.type = IKEV2_ID_FQDN;
	m->idi.data = fqdn;
	m->idi.len = 18;
	m->idi.body = vec_auth_inner + 4;
	m->idi.body_len = 22;
	m->has_auth = true;
	m->auth_method = IKEV2_AUTH_SHARED_KEY_MIC;
	m->auth = auth32;
	m->auth_len = 32;
	m->has_sa = true;
	want_esp_sa(&m->sa);
	m->has_tsi = m->has_tsr = true;
	want_gre_ts(&m->tsi, "192.0.2.1");
	want_gre_ts(&m->tsr, "198.51.100.1");
	add_notify(m, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	add_notify(m, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	want_types(m, types, sizeof(types));
}

static size_t build_auth_inner(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;
	struct ikev2_sa_payload sa;
	struct ikev2_ts_payload tsi, tsr;
	const uint8_t *body;
	size_t body_len = 0;

	want_esp_sa(&sa);
	want_gre_ts(&tsi, "192.0.2.1");
	want_gre_ts(&tsr, "198.51.100.1");
	ikev2_build_inner_init(&b, out, cap);
	ikev2_build_id(&b, IKEV2_PAYLOAD_IDI, IKEV2_ID_FQDN, fqdn, 18);
	/* IDi' for the AUTH computation (RFC 7296 2.15) */
	body = ikev2_build_last_body(&b, &body_len);
	if (cap >= 26) {
		assert_ptr_equal(body, out + 4);
		assert_int_equal(body_len, 22);
	}
	ikev2_build_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, auth32, 32);
	ikev2_build_sa(&b, &sa);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	if (ikev2_build_ok(&b))
		assert_int_equal(b.first, IKEV2_PAYLOAD_IDI);
	return ikev2_build_finish(&b);
}

static const struct ikev2_header hdr_auth = {.ispi = ISPI,
                                             .rspi = RSPI,
                                             .exchange = IKEV2_EXCHANGE_IKE_AUTH,
                                             .flags = IKEV2_FLAG_INITIATOR,
                                             .msg_id = 1};
static const struct ikev2_header hdr_info = {.ispi = ISPI,
                                             .rspi = RSPI,
                                             .exchange = IKEV2_EXCHANGE_INFORMATIONAL,
                                             .flags = IKEV2_FLAG_INITIATOR,
                                             .msg_id = 2};

static void want_auth_sk(struct ikev2_msg *m)
{
	static const uint8_t types[] = {46};

	want_header(m, RSPI, IKEV2_PAYLOAD_SK, IKEV2_EXCHANGE_IKE_AUTH, IKEV2_FLAG_INITIATOR, 1,
	            72);
	m->has_sk = true;
	m->sk_first = IKEV2_PAYLOAD_IDI;
	m->sk_body = sk40;
	m->sk_body_len = 40;
	m->sk_body_off = 32;
	want_types(m, types, sizeof(types));
}

static size_t build_auth_sk(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;
	uint8_t *body;
	size_t n;

	ikev2_build_init(&b, out, cap, &hdr_auth);
	body = ikev2_build_sk(&b, IKEV2_PAYLOAD_IDI, sizeof(sk40));
	n = ikev2_build_finish(&b);
	if (n) {
		assert_ptr_equal(body, out + 32); /* the AAD is out[0..32) */
		memcpy(body, sk40, sizeof(sk40));
	}
	return n;
}

static void want_delete_inner(struct ikev2_msg *m)
{
	static const uint8_t types[] = {42, 42};

	memset(m, 0, sizeof(*m));
	m->n_delete = 2;
	m->del[0] = (struct ikev2_delete){IKEV2_PROTO_ESP, 4, 2, esp_spis};
	m->del[1] = (struct ikev2_delete){IKEV2_PROTO_IKE, 0, 0, NULL};
	want_types(m, types, sizeof(types));
}

static size_t build_delete_inner(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;

	ikev2_build_inner_init(&b, out, cap);
	ikev2_build_delete(&b, IKEV2_PROTO_ESP, 4, esp_spis, 2);
	ikev2_build_delete(&b, IKEV2_PROTO_IKE, 0, NULL, 0);
	return ikev2_build_finish(&b);
}

static void want_info_empty(struct ikev2_msg *m)
{
	static const uint8_t types[] = {46};

	want_header(m, RSPI, IKEV2_PAYLOAD_SK, IKEV2_EXCHANGE_INFORMATIONAL, IKEV2_FLAG_INITIATOR,
	            2, 57);
	m->has_sk = true;
	m->sk_first = IKEV2_PAYLOAD_NONE;
	m->sk_body = sk25;
	m->sk_body_len = 25;
	m->sk_body_off = 32;
	want_types(m, types, sizeof(types));
}

static size_t build_info_empty(uint8_t *out, size_t cap)
{
	struct ikev2_builder b;
	uint8_t *body;
	size_t n;

	ikev2_build_init(&b, out, cap, &hdr_info);
	body = ikev2_build_sk(&b, IKEV2_PAYLOAD_NONE, sizeof(sk25));
	n = ikev2_build_finish(&b);
	if (n)
		memcpy(body, sk25, sizeof(sk25));
	return n;
}

struct vec {
	const char *name;
	const uint8_t *pkt;
	size_t len;
	bool inner;    /* a plaintext chain: ikev2_payloads_decode */
	uint8_t first; /* its first payload */
	void (*want)(struct ikev2_msg *m);
	size_t (*build)(uint8_t *out, size_t cap);
};

static const struct vec vecs[] = {
    {"init_req", vec_init_req, sizeof(vec_init_req), false, 0, want_init_req, build_init_req},
    {"init_invalid_ke", vec_init_invalid_ke, sizeof(vec_init_invalid_ke), false, 0,
     want_init_invalid_ke, build_init_invalid_ke},
    {"init_cookie", vec_init_cookie, sizeof(vec_init_cookie), false, 0, want_init_cookie,
     build_init_cookie},
    {"auth_inner", vec_auth_inner, sizeof(vec_auth_inner), true, IKEV2_PAYLOAD_IDI, want_auth_inner,
     build_auth_inner},
    {"auth_sk", vec_auth_sk, sizeof(vec_auth_sk), false, 0, want_auth_sk, build_auth_sk},
    {"delete_inner", vec_delete_inner, sizeof(vec_delete_inner), true, IKEV2_PAYLOAD_DELETE,
     want_delete_inner, build_delete_inner},
    {"info_empty", vec_info_empty, sizeof(vec_info_empty), false, 0, want_info_empty,
     build_info_empty},
};
#define N_VECS (sizeof(vecs) / sizeof(vecs[0]))

#define BIG 4096

static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	assert_non_null(c);
	if (n)
		memcpy(c, p, n);
	return c;
}

/* Decode a heap copy of exactly n bytes (freed by the caller: *copy),
 * a message or, when inner, a chain from type first. */
static int decode_copy(const uint8_t *pkt, size_t n, bool inner, uint8_t first, uint8_t **copy,
                       struct ikev2_msg *m, struct ikev2_decode_error *err)
{
	int rc;

	*copy = dup_exact(pkt, n);
	if (inner)
		rc = ikev2_payloads_decode(first, *copy, n, m, err);
	else
		rc = ikev2_msg_decode(*copy, n, m, err);
	assert_true(rc == 0 || rc == -1);
	assert_non_null(err->reason);
	if (rc == 0)
		assert_int_equal(err->notify, 0);
	return rc;
}

/* Decode and expect a refusal with this notify. */
static void expect_err(const uint8_t *pkt, size_t n, bool inner, uint8_t first, uint16_t notify)
{
	struct ikev2_msg m;
	struct ikev2_decode_error err;
	uint8_t *copy;

	if (decode_copy(pkt, n, inner, first, &copy, &m, &err) != -1)
		fail_msg("accepted, expected %s", ikev2_notify_name(notify));
	if (err.notify != notify)
		fail_msg("refused with %u (%s), expected %u", err.notify, err.reason, notify);
	free(copy);
}

/*
 * Decoded copies that must outlive expect_ok() (m points into them), freed
 * after each test by free_kept().
 */
static uint8_t *kept[256];
static size_t n_kept;

static int free_kept(void **state)
{
	(void)state;
	while (n_kept > 0)
		free(kept[--n_kept]);
	return 0;
}

static void expect_ok(const uint8_t *pkt, size_t n, bool inner, uint8_t first, struct ikev2_msg *m)
{
	struct ikev2_decode_error err;
	uint8_t *copy;

	assert_true(n_kept < sizeof(kept) / sizeof(kept[0]));
	if (decode_copy(pkt, n, inner, first, &copy, m, &err) != 0)
		fail_msg("refused: %s", err.reason);
	kept[n_kept++] = copy;
}

/* A message or chain with one byte changed, decoded. */
static void expect_err_mut(const struct vec *v, size_t off, uint8_t val, uint16_t notify)
{
	uint8_t b[BIG];

	memcpy(b, v->pkt, v->len);
	b[off] = val;
	expect_err(b, v->len, v->inner, v->first, notify);
}

static void assert_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	assert_int_equal(alen, blen);
	/* an empty value is NULL, never a pointer to nothing */
	assert_int_equal(a == NULL, alen == 0);
	assert_int_equal(b == NULL, blen == 0);
	if (alen)
		assert_memory_equal(a, b, alen);
}

static void assert_ts_equal(const struct ikev2_ts_payload *a, const struct ikev2_ts_payload *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->ts[i].type, b->ts[i].type);
		assert_int_equal(a->ts[i].ip_proto, b->ts[i].ip_proto);
		assert_int_equal(a->ts[i].start_port, b->ts[i].start_port);
		assert_int_equal(a->ts[i].end_port, b->ts[i].end_port);
		assert_true(ipaddr_equal(&a->ts[i].start, &b->ts[i].start));
		assert_true(ipaddr_equal(&a->ts[i].end, &b->ts[i].end));
	}
}

static void assert_sa_equal(const struct ikev2_sa_payload *a, const struct ikev2_sa_payload *b)
{
	size_t i, j;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct ikev2_proposal *x = &a->p[i], *y = &b->p[i];

		assert_int_equal(x->num, y->num);
		assert_int_equal(x->protocol, y->protocol);
		assert_int_equal(x->spi_size, y->spi_size);
		assert_memory_equal(x->spi, y->spi, x->spi_size);
		assert_int_equal(x->n_transforms, y->n_transforms);
		for (j = 0; j < x->n_transforms; j++) {
			assert_int_equal(x->t[j].type, y->t[j].type);
			assert_int_equal(x->t[j].id, y->t[j].id);
			assert_int_equal(x->t[j].key_len, y->t[j].key_len);
			assert_int_equal(x->t[j].unknown_attr, y->t[j].unknown_attr);
		}
	}
}

static void assert_id_equal(const struct ikev2_id *a, const struct ikev2_id *b)
{
	assert_int_equal(a->type, b->type);
	assert_bytes(a->data, a->len, b->data, b->len);
	assert_bytes(a->body, a->body_len, b->body, b->body_len);
}

static void assert_msg_equal(const struct ikev2_msg *a, const struct ikev2_msg *b)
{
	size_t i;

	assert_memory_equal(&a->hdr, &b->hdr, sizeof(a->hdr));
	assert_int_equal(a->has_sa, b->has_sa);
	assert_sa_equal(&a->sa, &b->sa);
	assert_int_equal(a->has_ke, b->has_ke);
	assert_int_equal(a->ke_group, b->ke_group);
	assert_bytes(a->ke, a->ke_len, b->ke, b->ke_len);
	assert_int_equal(a->has_nonce, b->has_nonce);
	assert_bytes(a->nonce, a->nonce_len, b->nonce, b->nonce_len);
	assert_int_equal(a->has_idi, b->has_idi);
	assert_int_equal(a->has_idr, b->has_idr);
	assert_id_equal(&a->idi, &b->idi);
	assert_id_equal(&a->idr, &b->idr);
	assert_int_equal(a->has_auth, b->has_auth);
	assert_int_equal(a->auth_method, b->auth_method);
	assert_bytes(a->auth, a->auth_len, b->auth, b->auth_len);
	assert_int_equal(a->n_notify, b->n_notify);
	for (i = 0; i < a->n_notify; i++) {
		const struct ikev2_notify *x = &a->notify[i], *y = &b->notify[i];

		assert_int_equal(x->protocol, y->protocol);
		assert_int_equal(x->type, y->type);
		assert_bytes(x->spi, x->spi_size, y->spi, y->spi_size);
		assert_bytes(x->data, x->len, y->data, y->len);
	}
	assert_int_equal(a->has_tsi, b->has_tsi);
	assert_int_equal(a->has_tsr, b->has_tsr);
	assert_ts_equal(&a->tsi, &b->tsi);
	assert_ts_equal(&a->tsr, &b->tsr);
	assert_int_equal(a->n_delete, b->n_delete);
	for (i = 0; i < a->n_delete; i++) {
		const struct ikev2_delete *x = &a->del[i], *y = &b->del[i];

		assert_int_equal(x->protocol, y->protocol);
		assert_int_equal(x->n_spi, y->n_spi);
		assert_bytes(x->spis, (size_t)x->spi_size * x->n_spi, y->spis,
		             (size_t)y->spi_size * y->n_spi);
	}
	assert_int_equal(a->n_vendor, b->n_vendor);
	for (i = 0; i < a->n_vendor; i++)
		assert_bytes(a->vendor[i].data, a->vendor[i].len, b->vendor[i].data,
		             b->vendor[i].len);
	assert_int_equal(a->has_sk, b->has_sk);
	assert_int_equal(a->sk_first, b->sk_first);
	assert_bytes(a->sk_body, a->sk_body_len, b->sk_body, b->sk_body_len);
	assert_int_equal(a->sk_body_off, b->sk_body_off);
	assert_int_equal(a->has_skf, b->has_skf);
	assert_int_equal(a->skf_num, b->skf_num);
	assert_int_equal(a->skf_total, b->skf_total);
	assert_int_equal(a->skf_first, b->skf_first);
	assert_bytes(a->skf_body, a->skf_body_len, b->skf_body, b->skf_body_len);
	assert_int_equal(a->skf_body_off, b->skf_body_off);
	assert_int_equal(a->unknown_critical, b->unknown_critical);
	assert_int_equal(a->n_payloads, b->n_payloads);
	assert_memory_equal(a->types, b->types, a->n_payloads);
	assert_int_equal(a->nonzero_reserved, b->nonzero_reserved);
}

/*
 * Re-build a decoded message (or chain) in its wire order with the
 * builder: possible when every payload is one the builder writes and no
 * ignored bit was set (tests/fuzz/fuzz_ikev2.c does the same).
 */
static bool rebuildable(const struct ikev2_msg *m)
{
	size_t i, j, k;

	if (m->nonzero_reserved || m->unknown_critical)
		return false;
	for (i = 0; i < m->n_payloads; i++)
		switch (m->types[i]) {
		case IKEV2_PAYLOAD_SA:
			for (j = 0; j < m->sa.n; j++)
				for (k = 0; k < m->sa.p[j].n_transforms; k++)
					if (m->sa.p[j].t[k].unknown_attr)
						return false;
			break;
		case IKEV2_PAYLOAD_KE:
		case IKEV2_PAYLOAD_IDI:
		case IKEV2_PAYLOAD_IDR:
		case IKEV2_PAYLOAD_AUTH:
		case IKEV2_PAYLOAD_NONCE:
		case IKEV2_PAYLOAD_NOTIFY:
		case IKEV2_PAYLOAD_DELETE:
		case IKEV2_PAYLOAD_VENDOR:
		case IKEV2_PAYLOAD_TSI:
		case IKEV2_PAYLOAD_TSR:
		case IKEV2_PAYLOAD_SK:
			break;
		default:
			return false;
		}
	return true;
}

static size_t rebuild(const struct ikev2_msg *m, bool inner, uint8_t *out, size_t cap,
                      uint8_t *first)
{
	struct ikev2_builder b;
	size_t i, n_notify = 0, n_delete = 0, n_vendor = 0, n;
	uint8_t *sk = NULL;

	if (inner)
		ikev2_build_inner_init(&b, out, cap);
	else
		ikev2_build_init(&b, out, cap, &m->hdr);
	for (i = 0; i < m->n_payloads; i++) {
		const struct ikev2_notify *no = &m->notify[n_notify];
		const struct ikev2_delete *d = &m->del[n_delete];

		switch (m->types[i]) {
		case IKEV2_PAYLOAD_SA:
			ikev2_build_sa(&b, &m->sa);
			break;
		case IKEV2_PAYLOAD_KE:
			ikev2_build_ke(&b, m->ke_group, m->ke, m->ke_len);
			break;
		case IKEV2_PAYLOAD_IDI:
			ikev2_build_id(&b, IKEV2_PAYLOAD_IDI, m->idi.type, m->idi.data, m->idi.len);
			break;
		case IKEV2_PAYLOAD_IDR:
			ikev2_build_id(&b, IKEV2_PAYLOAD_IDR, m->idr.type, m->idr.data, m->idr.len);
			break;
		case IKEV2_PAYLOAD_AUTH:
			ikev2_build_auth(&b, m->auth_method, m->auth, m->auth_len);
			break;
		case IKEV2_PAYLOAD_NONCE:
			ikev2_build_nonce(&b, m->nonce, m->nonce_len);
			break;
		case IKEV2_PAYLOAD_NOTIFY:
			ikev2_build_notify(&b, no->protocol, no->spi, no->spi_size, no->type,
			                   no->data, no->len);
			n_notify++;
			break;
		case IKEV2_PAYLOAD_DELETE:
			ikev2_build_delete(&b, d->protocol, d->spi_size, d->spis, d->n_spi);
			n_delete++;
			break;
		case IKEV2_PAYLOAD_VENDOR:
			ikev2_build_vendor(&b, m->vendor[n_vendor].data, m->vendor[n_vendor].len);
			n_vendor++;
			break;
		case IKEV2_PAYLOAD_TSI:
			ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &m->tsi);
			break;
		case IKEV2_PAYLOAD_TSR:
			ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &m->tsr);
			break;
		case IKEV2_PAYLOAD_SK:
			sk = ikev2_build_sk(&b, m->sk_first, m->sk_body_len);
			break;
		default:
			fail_msg("payload %u cannot be built", m->types[i]);
		}
	}
	n = ikev2_build_finish(&b);
	assert_true(ikev2_build_ok(&b));
	if (sk)
		memcpy(sk, m->sk_body, m->sk_body_len);
	if (first)
		*first = b.first;
	return n;
}

/* Each vector decodes to its struct, and the builder (both the calls a
 * state machine makes and the generic re-build) writes its bytes back. */
static void test_vector(void **state)
{
	const struct vec *v = *state;
	struct ikev2_msg want, got;
	struct ikev2_decode_error err;
	uint8_t out[BIG], first = 0xff, *copy;

	v->want(&want);
	if (v->inner) { /* the header is kept */
		got.hdr = hdr_auth;
		want.hdr = hdr_auth;
	}
	assert_int_equal(decode_copy(v->pkt, v->len, v->inner, v->first, &copy, &got, &err), 0);
	assert_string_equal(err.reason, "ok");
	assert_msg_equal(&got, &want);

	memset(out, 0xee, sizeof(out));
	assert_int_equal(v->build(out, sizeof(out)), v->len);
	assert_memory_equal(out, v->pkt, v->len);

	assert_true(rebuildable(&got));
	memset(out, 0xee, sizeof(out));
	assert_int_equal(rebuild(&got, v->inner, out, sizeof(out), &first), v->len);
	assert_memory_equal(out, v->pkt, v->len);
	if (v->inner)
		assert_int_equal(first, v->first);
	free(copy);
}

/* Every prefix is refused: as it is (the header's length disagrees), and
 * with the header's length made to agree (a payload is cut short). */
static void test_truncated(void **state)
{
	uint8_t b[BIG];
	size_t i, n;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		for (n = 0; n < v->len; n++) {
			memcpy(b, v->pkt, v->len);
			if (v->inner) {
				expect_err(b, n, true, v->first, IKEV2_N_INVALID_SYNTAX);
				continue;
			}
			expect_err(b, n, false, 0, 0);
			if (n < IKEV2_HDR_LEN)
				continue;
			b[24] = (uint8_t)(n >> 24);
			b[25] = (uint8_t)(n >> 16);
			b[26] = (uint8_t)(n >> 8);
			b[27] = (uint8_t)n;
			expect_err(b, n, false, 0, IKEV2_N_INVALID_SYNTAX);
		}
	}
}

/* The IKE header (RFC 7296 3.1, 2.5). */
static void test_header(void **state)
{
	const struct vec *v = &vecs[0];
	uint8_t b[BIG], out[BIG];
	struct ikev2_msg m;

	(void)state;
	expect_err_mut(v, 17, 0x10, 0); /* IKEv1: dropped */
	expect_err_mut(v, 17, 0x00, 0);
	expect_err_mut(v, 17, 0x30, IKEV2_N_INVALID_MAJOR_VERSION); /* 3.0: answered */
	expect_err_mut(v, 17, 0xf0, IKEV2_N_INVALID_MAJOR_VERSION);
	expect_err_mut(v, 27, 0xcf, 0); /* length 207 */
	expect_err_mut(v, 27, 0xd1, 0); /* length 209 */
	expect_err_mut(v, 24, 0x01, 0);
	/* the minor version is ignored, kept, and re-built */
	memcpy(b, v->pkt, v->len);
	b[17] = 0x21;
	expect_ok(b, v->len, false, 0, &m);
	assert_int_equal(m.hdr.version, 0x21);
	/* an initiator SPI of zero is never valid */
	memset(b, 0, 8);
	expect_err(b, v->len, false, 0, 0);
	/* a byte after the last payload */
	memcpy(b, v->pkt, v->len);
	b[v->len] = 0;
	b[27] = 0xd1;
	expect_err(b, v->len + 1, false, 0, IKEV2_N_INVALID_SYNTAX);
	/* a message without payloads (a reply to an empty INFORMATIONAL
	 * would be encrypted, but the header alone is well formed) */
	memcpy(b, vec_info_empty, 28);
	b[16] = 0;
	b[27] = 28;
	expect_ok(b, 28, false, 0, &m);
	assert_int_equal(m.n_payloads, 0);
	assert_int_equal(rebuild(&m, false, out, sizeof(out), NULL), 28);
	assert_memory_equal(out, b, 28);
	b[16] = IKEV2_PAYLOAD_NOTIFY;
	expect_err(b, 28, false, 0, IKEV2_N_INVALID_SYNTAX);
}

/*
 * Messages for the refusals, written without the builder (which refuses
 * most of them): an INFORMATIONAL header, then payloads appended with
 * their generic headers.
 */
struct raw {
	uint8_t b[BIG];
	size_t len;
	size_t np_off; /* where the next payload's type goes */
};

static void raw_put(struct raw *r, const void *p, size_t n)
{
	assert_true(r->len + n <= sizeof(r->b));
	if (n)
		memcpy(r->b + r->len, p, n);
	r->len += n;
}

static void raw_init(struct raw *r)
{
	memcpy(r->b, vec_info_empty, 28);
	r->b[16] = 0;
	r->len = 28;
	r->np_off = 16;
}

static void raw_payload(struct raw *r, uint8_t type, uint8_t flags, const void *body, size_t n)
{
	uint8_t h[4] = {0, flags, (uint8_t)((n + 4) >> 8), (uint8_t)(n + 4)};

	r->b[r->np_off] = type;
	r->np_off = r->len;
	raw_put(r, h, 4);
	raw_put(r, body, n);
}

static size_t raw_finish(struct raw *r)
{
	r->b[24] = (uint8_t)(r->len >> 24);
	r->b[25] = (uint8_t)(r->len >> 16);
	r->b[26] = (uint8_t)(r->len >> 8);
	r->b[27] = (uint8_t)r->len;
	return r->len;
}

static void raw_expect_err(struct raw *r, uint16_t notify)
{
	expect_err(r->b, raw_finish(r), false, 0, notify);
}

static void raw_expect_ok(struct raw *r, struct ikev2_msg *m)
{
	expect_ok(r->b, raw_finish(r), false, 0, m);
}

/* One payload alone in a message: refused with notify, or accepted. */
static void one_err(uint8_t type, const void *body, size_t n, uint16_t notify)
{
	struct raw r;

	raw_init(&r);
	raw_payload(&r, type, 0, body, n);
	raw_expect_err(&r, notify);
}

static void one_ok(uint8_t type, const void *body, size_t n)
{
	struct raw r;
	struct ikev2_msg m;

	raw_init(&r);
	raw_payload(&r, type, 0, body, n);
	raw_expect_ok(&r, &m);
}

/* Generic payload header lengths (RFC 7296 3.2). */
static void test_payload_lengths(void **state)
{
	const struct vec *ke = &vecs[1], *init = &vecs[0], *chain = &vecs[3];

	(void)state;
	expect_err_mut(ke, 31, 0, IKEV2_N_INVALID_SYNTAX); /* under 4 */
	expect_err_mut(ke, 31, 3, IKEV2_N_INVALID_SYNTAX);
	expect_err_mut(ke, 31, 4, IKEV2_N_INVALID_SYNTAX);  /* empty notify */
	expect_err_mut(ke, 31, 9, IKEV2_N_INVALID_SYNTAX);  /* notify data 1 byte */
	expect_err_mut(ke, 31, 11, IKEV2_N_INVALID_SYNTAX); /* past the message */
	expect_err_mut(ke, 30, 1, IKEV2_N_INVALID_SYNTAX);
	expect_err_mut(init, 31, 39, IKEV2_N_INVALID_SYNTAX);  /* SA one short */
	expect_err_mut(init, 31, 41, IKEV2_N_INVALID_SYNTAX);  /* SA one long */
	expect_err_mut(init, 71, 39, IKEV2_N_INVALID_SYNTAX);  /* KE one short */
	expect_err_mut(init, 111, 35, IKEV2_N_INVALID_SYNTAX); /* nonce one short */
	expect_err_mut(init, 203, 9, IKEV2_N_INVALID_SYNTAX);  /* last N past the end */
	expect_err_mut(init, 200, IKEV2_PAYLOAD_NOTIFY, IKEV2_N_INVALID_SYNTAX); /* chain goes on */
	expect_err_mut(chain, 29, 0x29, IKEV2_N_INVALID_SYNTAX);                 /* AUTH 1 long */
	expect_err_mut(chain, 161, 9, IKEV2_N_INVALID_SYNTAX);
}

/* Proposals and transforms (RFC 7296 3.3.1, 3.3.2), in the IKE_SA_INIT
 * request (proposal at 32, transforms at 40, 52, 60). */
static void test_sa_structure(void **state)
{
	const struct vec *v = &vecs[0], *esp = &vecs[3];

	(void)state;
	expect_err_mut(v, 32, 2, IKEV2_N_INVALID_SYNTAX); /* "more" but none follows */
	expect_err_mut(v, 32, 1, IKEV2_N_INVALID_SYNTAX); /* not a proposal value */
	expect_err_mut(v, 40, 0, IKEV2_N_INVALID_SYNTAX); /* "last" on the first */
	expect_err_mut(v, 52, 2, IKEV2_N_INVALID_SYNTAX);
	expect_err_mut(v, 60, 3, IKEV2_N_INVALID_SYNTAX);  /* "more" on the last */
	expect_err_mut(v, 39, 2, IKEV2_N_INVALID_SYNTAX);  /* count below the transforms */
	expect_err_mut(v, 39, 4, IKEV2_N_INVALID_SYNTAX);  /* count above */
	expect_err_mut(v, 39, 0, IKEV2_N_INVALID_SYNTAX);  /* no transforms */
	expect_err_mut(v, 35, 7, IKEV2_N_INVALID_SYNTAX);  /* proposal length under 8 */
	expect_err_mut(v, 35, 35, IKEV2_N_INVALID_SYNTAX); /* one short */
	expect_err_mut(v, 35, 37, IKEV2_N_INVALID_SYNTAX); /* past the SA payload */
	expect_err_mut(v, 43, 7, IKEV2_N_INVALID_SYNTAX);  /* transform length under 8 */
	expect_err_mut(v, 43, 8, IKEV2_N_INVALID_SYNTAX);  /* attribute left over */
	expect_err_mut(v, 43, 16, IKEV2_N_INVALID_SYNTAX); /* past the proposal */
	expect_err_mut(v, 43, 10, IKEV2_N_INVALID_SYNTAX); /* attribute cut short */
	expect_err_mut(v, 38, 4, IKEV2_N_INVALID_SYNTAX);  /* IKE: SPI size 0 or 8 */
	expect_err_mut(v, 38, 8, IKEV2_N_INVALID_SYNTAX);  /* 8: then too few bytes */
	expect_err_mut(v, 37, IKEV2_PROTO_ESP, IKEV2_N_INVALID_SYNTAX); /* ESP: SPI size 4 */
	expect_err_mut(v, 36, 0, IKEV2_N_INVALID_SYNTAX);               /* proposal number 0 */
	expect_err_mut(v, 31, 4, IKEV2_N_INVALID_SYNTAX);               /* SA without proposals */
	expect_err_mut(esp, 76, 0, IKEV2_N_INVALID_SYNTAX);             /* ESP: SPI size 0 */
	expect_err_mut(esp, 76, 8, IKEV2_N_INVALID_SYNTAX);
}

/* A proposal of n transforms (ENCR ids 1..n), numbered num, last or not. */
static size_t put_proposal(uint8_t *p, uint8_t num, size_t n, bool last)
{
	size_t len = 8 + 8 * n, i;

	p[0] = last ? 0 : 2;
	p[1] = 0;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = num;
	p[5] = IKEV2_PROTO_IKE;
	p[6] = 0;
	p[7] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		uint8_t *t = p + 8 + 8 * i;

		t[0] = i + 1 < n ? 3 : 0;
		t[1] = 0;
		t[2] = 0;
		t[3] = 8;
		t[4] = IKEV2_TRANSFORM_ENCR;
		t[5] = 0;
		t[6] = 0;
		t[7] = (uint8_t)(i + 1);
	}
	return len;
}

static void sa_with(struct raw *r, size_t n_prop, size_t n_trans, uint8_t first_num)
{
	uint8_t body[BIG];
	size_t len = 0, i;

	for (i = 0; i < n_prop; i++)
		len += put_proposal(body + len, (uint8_t)(first_num + i), n_trans, i + 1 == n_prop);
	raw_init(r);
	raw_payload(r, IKEV2_PAYLOAD_SA, 0, body, len);
}

/* Our limits (ikev2_msg.h): at the limit accepted, over it refused. */
static void test_limits(void **state)
{
	static const uint8_t natd[24] = {0, 0, 0x40, 0x04};
	static const uint8_t vid[4] = {1, 2, 3, 4};
	static const uint8_t del[4] = {IKEV2_PROTO_IKE, 0, 0, 0};
	uint8_t ts[4 + 9 * 16] = {0};
	struct ikev2_msg m;
	struct raw r;
	size_t i;

	(void)state;
	sa_with(&r, IKEV2_MAX_PROPOSALS, IKEV2_MAX_TRANSFORMS, 1);
	raw_expect_ok(&r, &m);
	assert_int_equal(m.sa.n, IKEV2_MAX_PROPOSALS);
	assert_int_equal(m.sa.p[7].num, 8);
	assert_int_equal(m.sa.p[7].n_transforms, IKEV2_MAX_TRANSFORMS);
	assert_int_equal(m.sa.p[7].t[15].id, 16);
	sa_with(&r, IKEV2_MAX_PROPOSALS + 1, 1, 1);
	raw_expect_err(&r, IKEV2_N_NO_PROPOSAL_CHOSEN);
	sa_with(&r, 1, IKEV2_MAX_TRANSFORMS + 1, 1);
	raw_expect_err(&r, IKEV2_N_NO_PROPOSAL_CHOSEN);
	/* numbering (3.3.1): consecutive from the first; a response's one
	 * proposal keeps the number chosen */
	sa_with(&r, 1, 1, 3);
	raw_expect_ok(&r, &m);
	sa_with(&r, 2, 1, 1);
	r.b[32 + 16 + 4] = 3; /* 1, 3 */
	raw_expect_err(&r, IKEV2_N_INVALID_SYNTAX);

	/* TS: 8 selectors fit, 9 do not */
	for (i = 0; i < 9; i++) {
		uint8_t *s = ts + 4 + 16 * i;

		s[0] = IKEV2_TS_IPV4_ADDR_RANGE;
		s[3] = 16;
	}
	ts[0] = IKEV2_MAX_TS;
	one_ok(IKEV2_PAYLOAD_TSI, ts, 4 + 8 * 16);
	ts[0] = IKEV2_MAX_TS + 1;
	one_err(IKEV2_PAYLOAD_TSI, ts, sizeof(ts), IKEV2_N_TS_UNACCEPTABLE);

	/* notify, delete and vendor ID payloads */
	raw_init(&r);
	for (i = 0; i < IKEV2_MAX_NOTIFY; i++)
		raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, natd, sizeof(natd));
	raw_expect_ok(&r, &m);
	assert_int_equal(m.n_notify, IKEV2_MAX_NOTIFY);
	raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, natd, sizeof(natd));
	raw_expect_err(&r, 0);
	raw_init(&r);
	for (i = 0; i < IKEV2_MAX_DELETE; i++)
		raw_payload(&r, IKEV2_PAYLOAD_DELETE, 0, del, sizeof(del));
	raw_expect_ok(&r, &m);
	assert_int_equal(m.n_delete, IKEV2_MAX_DELETE);
	raw_payload(&r, IKEV2_PAYLOAD_DELETE, 0, del, sizeof(del));
	raw_expect_err(&r, 0);
	raw_init(&r);
	for (i = 0; i < IKEV2_MAX_VENDOR; i++)
		raw_payload(&r, IKEV2_PAYLOAD_VENDOR, 0, vid, sizeof(vid));
	raw_expect_ok(&r, &m);
	assert_int_equal(m.n_vendor, IKEV2_MAX_VENDOR);
	raw_payload(&r, IKEV2_PAYLOAD_VENDOR, 0, vid, sizeof(vid));
	raw_expect_err(&r, 0);

	/* payloads in all, unknown ones included */
	raw_init(&r);
	for (i = 0; i < IKEV2_MAX_PAYLOADS; i++)
		raw_payload(&r, 200, 0, NULL, 0);
	raw_expect_ok(&r, &m);
	assert_int_equal(m.n_payloads, IKEV2_MAX_PAYLOADS);
	raw_payload(&r, 200, 0, NULL, 0);
	raw_expect_err(&r, 0);
}

/* SK and SKF (RFC 7296 3.14, RFC 7383 2.5): the last payload, never inside
 * another SK, with a body. */
static void test_encrypted(void **state)
{
	static const uint8_t n_ic[4] = {0, 0, 0x40, 0x00};
	static const uint8_t skf[12] = {0x00, 0x01, 0x00, 0x02, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf};
	struct ikev2_msg m;
	struct raw r;

	(void)state;
	/* a payload after SK */
	raw_init(&r);
	raw_payload(&r, IKEV2_PAYLOAD_SK, 0, sk25, sizeof(sk25));
	raw_put(&r, "\0\0\0\x08\0\0\x40\0", 8);
	raw_expect_err(&r, IKEV2_N_INVALID_SYNTAX);
	/* payloads before SK are allowed by the syntax */
	raw_init(&r);
	raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, n_ic, sizeof(n_ic));
	raw_payload(&r, IKEV2_PAYLOAD_SK, 0, sk25, sizeof(sk25));
	raw_expect_ok(&r, &m);
	assert_true(m.has_sk);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.sk_body_off, 28 + 8 + 4);
	/* an empty SK */
	one_err(IKEV2_PAYLOAD_SK, NULL, 0, IKEV2_N_INVALID_SYNTAX);
	/* SK and SKF inside a decrypted chain */
	expect_err((const uint8_t *)"\0\0\0\x05\x01", 5, true, IKEV2_PAYLOAD_SK,
	           IKEV2_N_INVALID_SYNTAX);
	expect_err((const uint8_t *)"\0\0\0\x09\0\x01\0\x01\x01", 9, true, IKEV2_PAYLOAD_SKF,
	           IKEV2_N_INVALID_SYNTAX);

	/* SKF: fragment 1 of 2, first inner payload IDi */
	raw_init(&r);
	raw_payload(&r, IKEV2_PAYLOAD_SKF, 0, skf, sizeof(skf));
	r.b[28] = IKEV2_PAYLOAD_IDI;
	raw_expect_ok(&r, &m);
	assert_true(m.has_skf);
	assert_false(m.has_sk);
	assert_int_equal(m.skf_num, 1);
	assert_int_equal(m.skf_total, 2);
	assert_int_equal(m.skf_first, IKEV2_PAYLOAD_IDI);
	assert_int_equal(m.skf_body_off, 36); /* the AAD ends after Total Fragments */
	assert_int_equal(m.skf_body_len, 8);
	assert_memory_equal(m.skf_body, skf + 4, 8);
	r.b[33] = 0; /* fragment 0 */
	raw_expect_err(&r, 0);
	r.b[33] = 3; /* 3 of 2 */
	raw_expect_err(&r, 0);
	r.b[33] = 2; /* 2 of 2 */
	raw_expect_ok(&r, &m);
	one_err(IKEV2_PAYLOAD_SKF, skf, 3, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_SKF, skf, 4, IKEV2_N_INVALID_SYNTAX);
}

/* Unknown payloads (RFC 7296 2.5, 3.2): skipped, unless critical. */
static void test_unknown_payloads(void **state)
{
	static const uint8_t n_ic[4] = {0, 0, 0x40, 0x00};
	static const uint8_t junk[3] = {1, 2, 3};
	struct ikev2_msg m;
	struct ikev2_decode_error err;
	struct raw r;
	uint8_t *copy;

	(void)state;
	raw_init(&r);
	raw_payload(&r, 99, 0, junk, sizeof(junk));
	raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, n_ic, sizeof(n_ic));
	raw_expect_ok(&r, &m);
	assert_int_equal(m.n_payloads, 2);
	assert_int_equal(m.types[0], 99);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.unknown_critical, 0);
	assert_false(rebuildable(&m));

	/* critical: refused, the first one recorded, the rest decoded */
	raw_init(&r);
	raw_payload(&r, 99, IKEV2_PAYLOAD_CRITICAL, junk, sizeof(junk));
	raw_payload(&r, 100, IKEV2_PAYLOAD_CRITICAL, NULL, 0);
	raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, n_ic, sizeof(n_ic));
	assert_int_equal(decode_copy(r.b, raw_finish(&r), false, 0, &copy, &m, &err), -1);
	assert_int_equal(err.notify, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_int_equal(m.unknown_critical, 99);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKEV2_N_INITIAL_CONTACT);
	free(copy);
	/* the same inside SK */
	assert_int_equal(decode_copy(r.b + 28, r.len - 28, true, 99, &copy, &m, &err), -1);
	assert_int_equal(err.notify, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_int_equal(m.unknown_critical, 99);
	free(copy);
	/* a syntax error after it wins */
	raw_init(&r);
	raw_payload(&r, 99, IKEV2_PAYLOAD_CRITICAL, junk, sizeof(junk));
	raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, n_ic, 3);
	raw_expect_err(&r, IKEV2_N_INVALID_SYNTAX);

	/* payloads we know but do not decode: minimum sizes */
	one_ok(IKEV2_PAYLOAD_CERTREQ, junk, 1);
	one_err(IKEV2_PAYLOAD_CERTREQ, NULL, 0, IKEV2_N_INVALID_SYNTAX);
	one_ok(IKEV2_PAYLOAD_CERT, junk, 3);
	one_err(IKEV2_PAYLOAD_CP, junk, 3, IKEV2_N_INVALID_SYNTAX);
	one_ok(IKEV2_PAYLOAD_EAP, n_ic, 4);
}

/* Payloads that may appear once (RFC 7296 1.2, 3). */
static void test_duplicates(void **state)
{
	static const uint8_t nonce[16] = {0}, id[5] = {IKEV2_ID_FQDN, 0, 0, 0, 'a'},
	                     auth[5] = {2, 0, 0, 0, 1}, ke[36] = {0, 31},
	                     ts[20] = {1, 0, 0, 0, 7, 0, 0, 16};
	static const struct {
		uint8_t type;
		const uint8_t *body;
		size_t len;
	} once[] = {
	    {IKEV2_PAYLOAD_NONCE, nonce, sizeof(nonce)}, {IKEV2_PAYLOAD_IDI, id, sizeof(id)},
	    {IKEV2_PAYLOAD_IDR, id, sizeof(id)},         {IKEV2_PAYLOAD_AUTH, auth, sizeof(auth)},
	    {IKEV2_PAYLOAD_KE, ke, sizeof(ke)},          {IKEV2_PAYLOAD_TSI, ts, sizeof(ts)},
	    {IKEV2_PAYLOAD_TSR, ts, sizeof(ts)},
	};
	uint8_t sa[16];
	struct ikev2_msg m;
	struct raw r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		raw_init(&r);
		raw_payload(&r, once[i].type, 0, once[i].body, once[i].len);
		raw_expect_ok(&r, &m);
		raw_payload(&r, once[i].type, 0, once[i].body, once[i].len);
		raw_expect_err(&r, IKEV2_N_INVALID_SYNTAX);
	}
	put_proposal(sa, 1, 1, true);
	raw_init(&r);
	raw_payload(&r, IKEV2_PAYLOAD_SA, 0, sa, sizeof(sa));
	raw_payload(&r, IKEV2_PAYLOAD_SA, 0, sa, sizeof(sa));
	raw_expect_err(&r, IKEV2_N_INVALID_SYNTAX);
}

static void notify_err(uint16_t type, size_t len)
{
	uint8_t b[4 + 300] = {0, 0, (uint8_t)(type >> 8), (uint8_t)type};

	one_err(IKEV2_PAYLOAD_NOTIFY, b, 4 + len, IKEV2_N_INVALID_SYNTAX);
}

static void notify_ok(uint16_t type, size_t len)
{
	uint8_t b[4 + 300] = {0, 0, (uint8_t)(type >> 8), (uint8_t)type};

	one_ok(IKEV2_PAYLOAD_NOTIFY, b, 4 + len);
}

/* Sizes per payload type (RFC 7296 3.4-3.13). */
static void test_payload_sizes(void **state)
{
	uint8_t b[300] = {0};
	struct ikev2_msg m;
	struct raw r;

	(void)state;
	/* Nonce: 16..256 (3.9) */
	one_err(IKEV2_PAYLOAD_NONCE, b, 15, IKEV2_N_INVALID_SYNTAX);
	one_ok(IKEV2_PAYLOAD_NONCE, b, 16);
	one_ok(IKEV2_PAYLOAD_NONCE, b, 256);
	one_err(IKEV2_PAYLOAD_NONCE, b, 257, IKEV2_N_INVALID_SYNTAX);
	/* KE: the group's size (3.4); any for a group we do not know */
	b[1] = IKEV2_DH_CURVE25519;
	one_err(IKEV2_PAYLOAD_KE, b, 4 + 31, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_KE, b, 4 + 33, IKEV2_N_INVALID_SYNTAX);
	b[1] = IKEV2_DH_ECP_256;
	one_ok(IKEV2_PAYLOAD_KE, b, 4 + 64);
	b[1] = IKEV2_DH_ECP_384;
	one_ok(IKEV2_PAYLOAD_KE, b, 4 + 96);
	b[1] = IKEV2_DH_MODP_2048;
	one_err(IKEV2_PAYLOAD_KE, b, 4 + 255, IKEV2_N_INVALID_SYNTAX);
	b[1] = 99;
	one_ok(IKEV2_PAYLOAD_KE, b, 4 + 5);
	one_err(IKEV2_PAYLOAD_KE, b, 4, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_KE, b, 3, IKEV2_N_INVALID_SYNTAX);
	memset(b, 0, sizeof(b));
	/* Notify data (3.10.1) */
	notify_err(IKEV2_N_INVALID_KE_PAYLOAD, 1);
	notify_err(IKEV2_N_INVALID_KE_PAYLOAD, 3);
	notify_err(IKEV2_N_NAT_DETECTION_SOURCE_IP, 19);
	notify_err(IKEV2_N_NAT_DETECTION_DESTINATION_IP, 21);
	notify_err(IKEV2_N_COOKIE, 0);
	notify_ok(IKEV2_N_COOKIE, 1);
	notify_ok(IKEV2_N_COOKIE, 64);
	notify_err(IKEV2_N_COOKIE, 65);
	notify_err(IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, 1);
	notify_err(IKEV2_N_INITIAL_CONTACT, 4);
	notify_err(IKEV2_N_SIGNATURE_HASH_ALGORITHMS, 3);
	notify_ok(IKEV2_N_SIGNATURE_HASH_ALGORITHMS, 6);
	notify_err(IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, 0);
	notify_ok(IKEV2_N_NO_PROPOSAL_CHOSEN, 0);
	notify_ok(40000, 7);
	one_err(IKEV2_PAYLOAD_NOTIFY, b, 3, IKEV2_N_INVALID_SYNTAX);
	/* a REKEY_SA with an ESP SPI; an SPI running past the payload */
	raw_init(&r);
	raw_payload(&r, IKEV2_PAYLOAD_NOTIFY, 0, "\x03\x04\x40\x09\xca\xfe\0\x01", 8);
	raw_expect_ok(&r, &m);
	assert_int_equal(m.notify[0].protocol, IKEV2_PROTO_ESP);
	assert_int_equal(m.notify[0].spi_size, 4);
	assert_int_equal(m.notify[0].type, IKEV2_N_REKEY_SA);
	assert_null(m.notify[0].data);
	one_err(IKEV2_PAYLOAD_NOTIFY, "\x03\x05\x40\x09\xca\xfe\0\x01", 8, IKEV2_N_INVALID_SYNTAX);
	/* ID (3.5) */
	b[0] = IKEV2_ID_IPV4_ADDR;
	one_err(IKEV2_PAYLOAD_IDI, b, 4 + 3, IKEV2_N_INVALID_SYNTAX);
	one_ok(IKEV2_PAYLOAD_IDI, b, 4 + 4);
	one_err(IKEV2_PAYLOAD_IDI, b, 4 + 5, IKEV2_N_INVALID_SYNTAX);
	b[0] = IKEV2_ID_IPV6_ADDR;
	one_ok(IKEV2_PAYLOAD_IDR, b, 4 + 16);
	one_err(IKEV2_PAYLOAD_IDR, b, 4 + 4, IKEV2_N_INVALID_SYNTAX);
	b[0] = IKEV2_ID_FQDN;
	one_err(IKEV2_PAYLOAD_IDI, b, 4, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_IDI, b, 2, IKEV2_N_INVALID_SYNTAX);
	/* AUTH (3.8), vendor ID (3.12) */
	one_err(IKEV2_PAYLOAD_AUTH, b, 4, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_AUTH, b, 1, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_VENDOR, b, 0, IKEV2_N_INVALID_SYNTAX);
	/* Delete (3.11) */
	one_err(IKEV2_PAYLOAD_DELETE, "\x03\x08\0\x01", 4, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x03\x04\0\0", 4, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x01\x04\0\x01\0\0\0\x01", 8, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x01\0\0\x01", 4, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x09\x04\0\x01\0\0\0\x01", 8, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x03\x04\0\x02\0\0\0\x01", 8, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x03\x04\0\x01\0\0\0\x01\0", 9, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_DELETE, "\x03\x04\0", 3, IKEV2_N_INVALID_SYNTAX);
	one_ok(IKEV2_PAYLOAD_DELETE, "\x02\x04\0\x01\0\0\0\x01", 8);
	/* TS (3.13, 3.13.1) */
	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[4] = IKEV2_TS_IPV4_ADDR_RANGE;
	b[7] = 16;
	one_ok(IKEV2_PAYLOAD_TSI, b, 20);
	one_err(IKEV2_PAYLOAD_TSI, b, 19, IKEV2_N_INVALID_SYNTAX);
	one_err(IKEV2_PAYLOAD_TSI, b, 21, IKEV2_N_INVALID_SYNTAX); /* a byte after */
	b[7] = 40;
	one_err(IKEV2_PAYLOAD_TSI, b, 44, IKEV2_N_INVALID_SYNTAX); /* IPv4 of 40 */
	b[4] = IKEV2_TS_IPV6_ADDR_RANGE;
	one_ok(IKEV2_PAYLOAD_TSR, b, 44);
	b[7] = 16;
	one_err(IKEV2_PAYLOAD_TSR, b, 20, IKEV2_N_INVALID_SYNTAX); /* IPv6 of 16 */
	b[4] = 9;                                                  /* FC (RFC 4595) */
	one_err(IKEV2_PAYLOAD_TSR, b, 20, IKEV2_N_TS_UNACCEPTABLE);
	b[0] = 0;
	one_err(IKEV2_PAYLOAD_TSR, b, 4, IKEV2_N_INVALID_SYNTAX);
	b[0] = 2;
	b[4] = IKEV2_TS_IPV4_ADDR_RANGE;
	one_err(IKEV2_PAYLOAD_TSR, b, 20, IKEV2_N_INVALID_SYNTAX); /* 2 said, 1 there */
	one_err(IKEV2_PAYLOAD_TSR, b, 3, IKEV2_N_INVALID_SYNTAX);
}

/* One transform with these attribute bytes, in an SA alone. */
static int attr_decode(const uint8_t *attrs, size_t n, struct ikev2_msg *m, uint16_t *notify)
{
	uint8_t sa[64] = {
	    0, 0, 0, (uint8_t)(16 + n), 1, IKEV2_PROTO_IKE, 0, 1, 0, 0, 0, (uint8_t)(8 + n), 1,
	    0, 0, 12};
	struct ikev2_decode_error err;
	struct raw r;
	uint8_t *copy;
	int rc;

	memcpy(sa + 16, attrs, n);
	raw_init(&r);
	raw_payload(&r, IKEV2_PAYLOAD_SA, 0, sa, 16 + n);
	rc = decode_copy(r.b, raw_finish(&r), false, 0, &copy, m, &err);
	*notify = err.notify;
	free(copy);
	return rc;
}

/* Transform attributes (RFC 7296 3.3.5, 3.3.6): an attribute we do not
 * understand makes its transform unacceptable, not the message. */
static void test_attributes(void **state)
{
	static const struct {
		const char *bytes;
		size_t n;
		uint16_t key_len;
		bool unknown;
	} ok[] = {
	    {"", 0, 0, false},
	    {"\x80\x0e\x00\x80", 4, 128, false},
	    {"\x80\x0f\x00\x80", 4, 0, true},                   /* another TV type */
	    {"\x00\x0e\x00\x02\x00\x80", 6, 0, true},           /* Key Length as TLV */
	    {"\x00\x63\x00\x00", 4, 0, true},                   /* empty TLV */
	    {"\x80\x0e\x00\x00", 4, 0, true},                   /* key length 0 */
	    {"\x80\x0e\x00\x80\x80\x0e\x01\x00", 8, 128, true}, /* twice */
	};
	static const struct {
		const char *bytes;
		size_t n;
	} bad[] = {
	    {"\x80", 1},
	    {"\x80\x0e\x00", 3},
	    {"\x00\x0e\x00\x03\x00\x80", 6}, /* TLV past its transform */
	    {"\x80\x0e\x00\x80\x00", 5},
	};
	struct ikev2_msg m;
	uint16_t notify;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (attr_decode((const uint8_t *)ok[i].bytes, ok[i].n, &m, &notify) != 0)
			fail_msg("attributes %zu refused", i);
		assert_int_equal(m.sa.p[0].t[0].id, 12);
		assert_int_equal(m.sa.p[0].t[0].key_len, ok[i].key_len);
		assert_int_equal(m.sa.p[0].t[0].unknown_attr, ok[i].unknown);
		assert_int_equal(rebuildable(&m), !ok[i].unknown);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (attr_decode((const uint8_t *)bad[i].bytes, bad[i].n, &m, &notify) != -1)
			fail_msg("attributes %zu accepted", i);
		assert_int_equal(notify, IKEV2_N_INVALID_SYNTAX);
	}
}

/* RESERVED fields and the critical bit of a known payload are ignored on
 * receipt (RFC 7296 3.2), but noted: such a message re-builds to other
 * bytes. */
static void test_reserved(void **state)
{
	/* offsets in the IKE_SA_INIT request and the IKE_AUTH chain */
	static const size_t init_off[] = {29, 33, 41, 45, 74, 75, 201};
	static const size_t auth_off[] = {1, 5, 7, 31, 71, 107, 109};
	struct ikev2_msg want, got;
	uint8_t b[BIG];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(init_off) / sizeof(init_off[0]); i++) {
		memcpy(b, vec_init_req, sizeof(vec_init_req));
		b[init_off[i]] |= i == 0 ? IKEV2_PAYLOAD_CRITICAL : 0x01;
		expect_ok(b, sizeof(vec_init_req), false, 0, &got);
		want_init_req(&want);
		want.nonzero_reserved = true;
		assert_msg_equal(&got, &want);
		assert_false(rebuildable(&got));
	}
	for (i = 0; i < sizeof(auth_off) / sizeof(auth_off[0]); i++) {
		memcpy(b, vec_auth_inner, sizeof(vec_auth_inner));
		b[auth_off[i]] |= 0x40;
		expect_ok(b, sizeof(vec_auth_inner), true, IKEV2_PAYLOAD_IDI, &got);
		assert_true(got.nonzero_reserved);
	}
	/* the protocol of a notify without SPI is kept as sent */
	memcpy(b, vec_init_invalid_ke, sizeof(vec_init_invalid_ke));
	b[32] = 1;
	expect_ok(b, sizeof(vec_init_invalid_ke), false, 0, &got);
	assert_int_equal(got.notify[0].protocol, 1);
	assert_false(got.nonzero_reserved);
	/* unknown header flags are kept and re-built */
	b[19] |= 0x81;
	expect_ok(b, sizeof(vec_init_invalid_ke), false, 0, &got);
	assert_int_equal(got.hdr.flags, 0xa1);
	assert_true(rebuildable(&got));
}

/* Every capacity short of the message fails, and writes nothing past it. */
static void test_build_cap(void **state)
{
	uint8_t out[BIG];
	size_t i, cap;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		for (cap = 0; cap < v->len; cap++) {
			memset(out, 0xee, sizeof(out));
			assert_int_equal(v->build(out, cap), 0);
			assert_int_equal(out[cap], 0xee);
		}
		assert_int_equal(v->build(out, v->len), v->len);
	}
}

static void init_msg(struct ikev2_builder *b, uint8_t *out, size_t cap)
{
	ikev2_build_init(b, out, cap, &hdr_auth);
}

/* The builder refuses what the decoder would refuse. */
static void test_build_refusals(void **state)
{
	static const uint8_t v4[4] = {192, 0, 2, 1};
	uint8_t out[BIG], *big;
	struct ikev2_builder b;
	struct ikev2_sa_payload sa;
	struct ikev2_ts_payload ts;
	size_t len;

	(void)state;
	/* nothing after SK; SK only in a message */
	init_msg(&b, out, sizeof(out));
	assert_non_null(ikev2_build_sk(&b, 0, 16));
	ikev2_build_vendor(&b, v4, 4);
	assert_int_equal(ikev2_build_finish(&b), 0);
	init_msg(&b, out, sizeof(out));
	assert_non_null(ikev2_build_sk(&b, 0, 16));
	assert_null(ikev2_build_sk(&b, 0, 16));
	assert_int_equal(ikev2_build_finish(&b), 0);
	ikev2_build_inner_init(&b, out, sizeof(out));
	assert_null(ikev2_build_sk(&b, 0, 16));
	init_msg(&b, out, sizeof(out));
	assert_null(ikev2_build_sk(&b, 0, 0));
	init_msg(&b, out, sizeof(out));
	assert_null(ikev2_build_sk(&b, 0, 65532));
	init_msg(&b, out, 100);
	assert_null(ikev2_build_sk(&b, 0, 100));

	/* SA: counts, numbering, SPI sizes, unknown attributes */
	want_esp_sa(&sa);
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_not_equal(ikev2_build_finish(&b), 0);
	sa.p[0].t[1].unknown_attr = true;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_equal(ikev2_build_finish(&b), 0);
	want_esp_sa(&sa);
	sa.p[0].spi_size = 8;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_equal(ikev2_build_finish(&b), 0);
	want_esp_sa(&sa);
	sa.p[1] = sa.p[0];
	sa.n = 2;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa); /* numbered 1, 1 */
	assert_int_equal(ikev2_build_finish(&b), 0);
	sa.p[1].num = 2;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_not_equal(ikev2_build_finish(&b), 0);
	sa.n = 0;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_equal(ikev2_build_finish(&b), 0);
	sa.n = IKEV2_MAX_PROPOSALS + 1;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_equal(ikev2_build_finish(&b), 0);
	want_esp_sa(&sa);
	sa.p[0].n_transforms = 0;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_equal(ikev2_build_finish(&b), 0);
	sa.p[0].n_transforms = IKEV2_MAX_TRANSFORMS + 1;
	init_msg(&b, out, sizeof(out));
	ikev2_build_sa(&b, &sa);
	assert_int_equal(ikev2_build_finish(&b), 0);

	/* sizes per payload */
#define REFUSED(call)                                                                              \
	do {                                                                                       \
		init_msg(&b, out, sizeof(out));                                                    \
		call;                                                                              \
		assert_int_equal(ikev2_build_finish(&b), 0);                                       \
		assert_false(ikev2_build_ok(&b));                                                  \
	} while (0)
	REFUSED(ikev2_build_ke(&b, IKEV2_DH_CURVE25519, ke32, 31));
	REFUSED(ikev2_build_ke(&b, 99, NULL, 0));
	REFUSED(ikev2_build_ke(&b, 99, NULL, 4));
	REFUSED(ikev2_build_nonce(&b, nonce32, 15));
	REFUSED(ikev2_build_nonce(&b, out, 257));
	REFUSED(ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd_src, 19));
	REFUSED(ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_COOKIE, NULL, 0));
	REFUSED(ikev2_build_notify(&b, 3, NULL, 4, IKEV2_N_REKEY_SA, NULL, 0));
	REFUSED(ikev2_build_id(&b, IKEV2_PAYLOAD_TSI, IKEV2_ID_FQDN, fqdn, 18));
	REFUSED(ikev2_build_id(&b, IKEV2_PAYLOAD_IDI, IKEV2_ID_IPV4_ADDR, v4, 3));
	REFUSED(ikev2_build_id(&b, IKEV2_PAYLOAD_IDI, IKEV2_ID_FQDN, fqdn, 0));
	REFUSED(ikev2_build_auth(&b, 2, auth32, 0));
	REFUSED(ikev2_build_delete(&b, IKEV2_PROTO_ESP, 4, esp_spis, 0));
	REFUSED(ikev2_build_delete(&b, IKEV2_PROTO_IKE, 0, esp_spis, 1));
	REFUSED(ikev2_build_delete(&b, IKEV2_PROTO_ESP, 4, NULL, 1));
	REFUSED(ikev2_build_vendor(&b, v4, 0));
	want_gre_ts(&ts, "192.0.2.1");
	REFUSED(ikev2_build_ts(&b, IKEV2_PAYLOAD_IDI, &ts));
	ts.ts[0].type = IKEV2_TS_IPV6_ADDR_RANGE;
	REFUSED(ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &ts));
	ts.ts[0].type = 9;
	REFUSED(ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &ts));
	want_gre_ts(&ts, "192.0.2.1");
	set_addr(&ts.ts[0].end, "2001:db8::1");
	REFUSED(ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &ts));
	ts.n = 0;
	REFUSED(ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &ts));
	ts.n = IKEV2_MAX_TS + 1;
	REFUSED(ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &ts));
#undef REFUSED

	/* a payload longer than its 16-bit length field */
	len = 70000;
	big = calloc(2, len);
	assert_non_null(big);
	init_msg(&b, big, len);
	ikev2_build_vendor(&b, big + len, 65531);
	assert_int_equal(ikev2_build_finish(&b), 28 + 65535);
	init_msg(&b, big, len);
	ikev2_build_vendor(&b, big + len, 65532);
	assert_int_equal(ikev2_build_finish(&b), 0);
	free(big);
}

/* The builder's bookkeeping: header defaults, the first payload of an
 * inner chain, the last payload's body. */
static void test_build_misc(void **state)
{
	struct ikev2_header h = {.ispi = ISPI, .exchange = IKEV2_EXCHANGE_INFORMATIONAL};
	uint8_t out[BIG];
	struct ikev2_builder b;
	const uint8_t *body;
	size_t len = 99;

	(void)state;
	ikev2_build_init(&b, out, sizeof(out), &h);
	assert_null(ikev2_build_last_body(&b, &len));
	assert_int_equal(ikev2_build_finish(&b), 28);
	assert_int_equal(out[16], IKEV2_PAYLOAD_NONE);
	assert_int_equal(out[17], IKEV2_VERSION); /* version 0: 2.0 */
	h.version = 0x21;
	ikev2_build_init(&b, out, sizeof(out), &h);
	assert_int_equal(ikev2_build_finish(&b), 28);
	assert_int_equal(out[17], 0x21);

	/* an empty chain: 0 bytes, no failure */
	ikev2_build_inner_init(&b, out, sizeof(out));
	assert_int_equal(ikev2_build_finish(&b), 0);
	assert_true(ikev2_build_ok(&b));
	assert_int_equal(b.first, IKEV2_PAYLOAD_NONE);
	ikev2_build_inner_init(&b, out, 3);
	ikev2_build_vendor(&b, fqdn, 1);
	assert_int_equal(ikev2_build_finish(&b), 0);
	assert_false(ikev2_build_ok(&b));
	assert_null(ikev2_build_last_body(&b, &len));

	/* IDr' as the AUTH computation needs it (RFC 7296 2.15) */
	ikev2_build_inner_init(&b, out, sizeof(out));
	ikev2_build_id(&b, IKEV2_PAYLOAD_IDR, IKEV2_ID_IPV4_ADDR,
	               (const uint8_t *)"\xc6\x33\x64\x01", 4);
	body = ikev2_build_last_body(&b, &len);
	assert_non_null(body);
	assert_int_equal(len, 8);
	assert_memory_equal(body, "\x01\0\0\0\xc6\x33\x64\x01", 8);
	assert_int_equal(b.first, IKEV2_PAYLOAD_IDR);
	assert_int_equal(ikev2_build_finish(&b), 12);
}

/* Payloads no vector has: IPv6 selectors, IDr, vendor IDs, notifies
 * with an SPI, several proposals; built, decoded, compared. */
static void test_build_decode(void **state)
{
	static const uint8_t vid[16] = {0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc};
	uint8_t out[BIG], out2[BIG];
	struct ikev2_builder b;
	struct ikev2_sa_payload sa;
	struct ikev2_ts_payload ts = {.n = 2};
	struct ikev2_msg m;
	size_t n;

	(void)state;
	want_esp_sa(&sa);
	sa.n = 3;
	sa.p[1] = sa.p[0];
	sa.p[1].num = 2;
	sa.p[1].t[0].id = IKEV2_ENCR_CHACHA20_POLY1305;
	sa.p[1].t[0].key_len = 0;
	sa.p[2] = sa.p[1];
	sa.p[2].num = 3;
	sa.p[2].t[0] = (struct ikev2_transform){
	    .type = IKEV2_TRANSFORM_ENCR, .id = IKEV2_ENCR_AES_CBC, .key_len = 256};
	sa.p[2].t[2] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_INTEG,
	                                        .id = IKEV2_INTEG_HMAC_SHA2_256_128};
	sa.p[2].n_transforms = 3;
	ts.ts[0].type = IKEV2_TS_IPV6_ADDR_RANGE;
	set_addr(&ts.ts[0].start, "2001:db8::");
	set_addr(&ts.ts[0].end, "2001:db8::ffff");
	ts.ts[0].end_port = 65535;
	ts.ts[1].type = IKEV2_TS_IPV4_ADDR_RANGE;
	ts.ts[1].ip_proto = 17;
	ts.ts[1].start_port = ts.ts[1].end_port = 500;
	set_addr(&ts.ts[1].start, "0.0.0.0");
	set_addr(&ts.ts[1].end, "255.255.255.255");

	ikev2_build_init(&b, out, sizeof(out), &hdr_auth);
	ikev2_build_id(&b, IKEV2_PAYLOAD_IDR, IKEV2_ID_KEY_ID, vid, 3);
	ikev2_build_vendor(&b, vid, sizeof(vid));
	ikev2_build_notify(&b, IKEV2_PROTO_ESP, esp_spi, 4, IKEV2_N_REKEY_SA, NULL, 0);
	ikev2_build_sa(&b, &sa);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &ts);
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_SET_WINDOW_SIZE, esp_spi, 4);
	n = ikev2_build_finish(&b);
	assert_int_not_equal(n, 0);

	expect_ok(out, n, false, 0, &m);
	assert_int_equal(m.n_payloads, 6);
	assert_true(m.has_idr);
	assert_int_equal(m.idr.type, IKEV2_ID_KEY_ID);
	assert_int_equal(m.idr.len, 3);
	assert_int_equal(m.n_vendor, 1);
	assert_memory_equal(m.vendor[0].data, vid, sizeof(vid));
	assert_int_equal(m.notify[0].spi_size, 4);
	assert_memory_equal(m.notify[0].spi, esp_spi, 4);
	assert_sa_equal(&m.sa, &sa);
	assert_true(m.has_tsr);
	assert_ts_equal(&m.tsr, &ts);
	assert_int_equal(m.notify[1].type, IKEV2_N_SET_WINDOW_SIZE);
	assert_true(rebuildable(&m));
	assert_int_equal(rebuild(&m, false, out2, sizeof(out2), NULL), n);
	assert_memory_equal(out2, out, n);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ikev2_exchange_name(IKEV2_EXCHANGE_IKE_SA_INIT), "IKE_SA_INIT");
	assert_string_equal(ikev2_exchange_name(IKEV2_EXCHANGE_INFORMATIONAL), "INFORMATIONAL");
	assert_string_equal(ikev2_exchange_name(33), "unknown");
	assert_string_equal(ikev2_exchange_name(1000), "unknown");
	assert_string_equal(ikev2_payload_name(IKEV2_PAYLOAD_SK), "SK");
	assert_string_equal(ikev2_payload_name(IKEV2_PAYLOAD_SKF), "SKF");
	assert_string_equal(ikev2_payload_name(49), "unknown");
	assert_string_equal(ikev2_payload_name(255), "unknown");
	assert_string_equal(ikev2_notify_name(IKEV2_N_INVALID_KE_PAYLOAD), "INVALID_KE_PAYLOAD");
	assert_string_equal(ikev2_notify_name(IKEV2_N_SIGNATURE_HASH_ALGORITHMS),
	                    "SIGNATURE_HASH_ALGORITHMS");
	assert_string_equal(ikev2_notify_name(0), "unknown");
	assert_string_equal(ikev2_notify_name(16392), "unknown");
	assert_string_equal(ikev2_transform_type_name(IKEV2_TRANSFORM_INTEG), "INTEG");
	assert_string_equal(ikev2_transform_type_name(6), "unknown");
	assert_string_equal(ikev2_transform_id_name(IKEV2_TRANSFORM_ENCR, 20), "ENCR_AES_GCM_16");
	assert_string_equal(ikev2_transform_id_name(IKEV2_TRANSFORM_INTEG, 14),
	                    "AUTH_HMAC_SHA2_512_256");
	assert_string_equal(ikev2_transform_id_name(IKEV2_TRANSFORM_DH, 31), "CURVE25519");
	assert_string_equal(ikev2_transform_id_name(IKEV2_TRANSFORM_ESN, 0), "NO_ESN");
	assert_string_equal(ikev2_transform_id_name(IKEV2_TRANSFORM_PRF, 1), "unknown");
	assert_string_equal(ikev2_transform_id_name(9, 1), "unknown");
	assert_int_equal(ikev2_dh_public_len(IKEV2_DH_MODP_2048), 256);
	assert_int_equal(ikev2_dh_public_len(IKEV2_DH_ECP_256), 64);
	assert_int_equal(ikev2_dh_public_len(IKEV2_DH_ECP_384), 96);
	assert_int_equal(ikev2_dh_public_len(IKEV2_DH_CURVE25519), 32);
	assert_int_equal(ikev2_dh_public_len(2), 0);
}

/* One bit flipped anywhere: never a crash, a sane verdict, and whatever
 * is accepted and can be re-built re-builds to the flipped bytes. */
static void test_bitflip(void **state)
{
	uint8_t b[BIG], out[BIG];
	size_t i, bit, accepted = 0, rebuilt = 0;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		for (bit = 0; bit < v->len * 8; bit++) {
			struct ikev2_msg m;
			struct ikev2_decode_error err;
			uint8_t *copy, first;
			int rc;

			memcpy(b, v->pkt, v->len);
			b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			rc = decode_copy(b, v->len, v->inner, v->first, &copy, &m, &err);
			if (rc != 0) {
				free(copy);
				continue;
			}
			accepted++;
			if (rebuildable(&m)) {
				if (rebuild(&m, v->inner, out, sizeof(out), &first) != v->len ||
				    memcmp(out, b, v->len) != 0)
					fail_msg("%s, bit %zu flipped", v->name, bit);
				rebuilt++;
			}
			free(copy);
		}
	}
	assert_true(accepted > 0 && rebuilt > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    {"vector_init_req", test_vector, NULL, free_kept, (void *)&vecs[0]},
	    {"vector_init_invalid_ke", test_vector, NULL, free_kept, (void *)&vecs[1]},
	    {"vector_init_cookie", test_vector, NULL, free_kept, (void *)&vecs[2]},
	    {"vector_auth_inner", test_vector, NULL, free_kept, (void *)&vecs[3]},
	    {"vector_auth_sk", test_vector, NULL, free_kept, (void *)&vecs[4]},
	    {"vector_delete_inner", test_vector, NULL, free_kept, (void *)&vecs[5]},
	    {"vector_info_empty", test_vector, NULL, free_kept, (void *)&vecs[6]},
	    cmocka_unit_test_teardown(test_truncated, free_kept),
	    cmocka_unit_test_teardown(test_header, free_kept),
	    cmocka_unit_test_teardown(test_payload_lengths, free_kept),
	    cmocka_unit_test_teardown(test_sa_structure, free_kept),
	    cmocka_unit_test_teardown(test_limits, free_kept),
	    cmocka_unit_test_teardown(test_encrypted, free_kept),
	    cmocka_unit_test_teardown(test_unknown_payloads, free_kept),
	    cmocka_unit_test_teardown(test_duplicates, free_kept),
	    cmocka_unit_test_teardown(test_payload_sizes, free_kept),
	    cmocka_unit_test_teardown(test_attributes, free_kept),
	    cmocka_unit_test_teardown(test_reserved, free_kept),
	    cmocka_unit_test_teardown(test_build_cap, free_kept),
	    cmocka_unit_test_teardown(test_build_refusals, free_kept),
	    cmocka_unit_test_teardown(test_build_misc, free_kept),
	    cmocka_unit_test_teardown(test_build_decode, free_kept),
	    cmocka_unit_test_teardown(test_names, free_kept),
	    cmocka_unit_test_teardown(test_bitflip, free_kept),
	};

	init_patterns();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
