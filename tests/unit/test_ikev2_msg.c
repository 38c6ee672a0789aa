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
    0x27, 0x00, 0x00, 0x1a, /* 0: IDi: next AUTH (39), length 26 */
    0x02, 0x00, 0x00, 0x00, /* 4:   ID_FQDN (2), reserved */
    's',  'p',  'o',  'k',  'e',  '1',  '.',  'e', /* 8:   "spoke1.example.net" */
    'x',  'a',  'm',  'p',  'l',  'e',  '.',  'n', /* 16 */
    'e',  't',                                     /* 24 */
    0x21, 0x00, 0x00, 0x28, /* 26: AUTH: next SA (33), length 40 */
    0x02, 0x00, 0x00, 0x00, /* 30:   Shared Key Message Integrity Code (2), reserved */
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, /* 34:   auth data, 32 bytes */
    0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, /* 42 */
    0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, /* 50 */
    0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, /* 58 */
    0x2c, 0x00, 0x00, 0x24, /* 66: SA: next TSi (44), length 36 */
    0x00, 0x00, 0x00, 0x20, /* 70:   proposal: last, length 32 */
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
	sa.p[0].t[0] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_ENCR,
						.id = IKEV2_ENCR_AES_GCM_16,
						.key_len = 256};
	sa.p[0].t[1] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_PRF,
						.id = IKEV2_PRF_HMAC_SHA2_384};
	sa.p[0].t[2] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_DH,
						.id = IKEV2_DH_CURVE25519};
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
	sa->p[0].t[0] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_ENCR,
						 .id = IKEV2_ENCR_AES_GCM_16,
						 .key_len = 128};
	sa->p[0].t[1] = (struct ikev2_transform){.type = IKEV2_TRANSFORM_ESN,
						 .id = IKEV2_ESN_NONE};
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
    {"auth_inner", vec_auth_inner, sizeof(vec_auth_inner), true, IKEV2_PAYLOAD_IDI,
     want_auth_inner, build_auth_inner},
    {"auth_sk", vec_auth_sk, sizeof(vec_auth_sk), false, 0, want_auth_sk, build_auth_sk},
    {"delete_inner", vec_delete_inner, sizeof(vec_delete_inner), true, IKEV2_PAYLOAD_DELETE,
     want_delete_inner, build_delete_inner},
    {"info_empty", vec_info_empty, sizeof(vec_info_empty), false, 0, want_info_empty,
     build_info_empty},
};
#define N_VECS (sizeof(vecs) / sizeof(vecs[0]))
