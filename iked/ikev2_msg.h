/*
 * IKEv2 messages (RFC 7296), decoded into owned structs and built back.
 * Pure: no I/O, no globals, so it links alone into unit tests and fuzzers.
 *
 * Layout (RFC 7296 3.1, 3.2):
 *
 *   IKE header      28 bytes: initiator SPI, responder SPI, next payload,
 *                   version (major.minor nibbles), exchange type, flags,
 *                   message ID, length (of the whole message)
 *   payloads        each: next payload, critical bit + 7 reserved bits,
 *                   payload length (generic header included), body
 *
 * An SK payload (RFC 7296 3.14) or SKF payload (RFC 7383 2.5) is the last
 * one; its next-payload field names the first payload inside it. The
 * decoder hands the encrypted body to the crypto layer untouched, and
 * ikev2_payloads_decode() decodes the decrypted chain.
 *
 * On UDP port 4500 the caller strips the four-byte non-ESP marker first
 * (RFC 3948 2.2); what comes here starts at the IKE header.
 */
#ifndef DMVPN_IKEV2_MSG_H
#define DMVPN_IKEV2_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"

#define IKEV2_HDR_LEN         28
#define IKEV2_PAYLOAD_HDR_LEN 4
#define IKEV2_VERSION         0x20 /* major 2, minor 0 (RFC 7296 3.1) */
#define IKEV2_MAJOR(version)  ((version) >> 4)

/* Exchange types (RFC 7296 3.1). */
enum ikev2_exchange {
	IKEV2_EXCHANGE_IKE_SA_INIT = 34,
	IKEV2_EXCHANGE_IKE_AUTH = 35,
	IKEV2_EXCHANGE_CREATE_CHILD_SA = 36,
	IKEV2_EXCHANGE_INFORMATIONAL = 37,
};
const char *ikev2_exchange_name(unsigned exchange); /* "unknown" otherwise */

/* Header flags (RFC 7296 3.1). */
#define IKEV2_FLAG_INITIATOR 0x08 /* I: sent by the original initiator */
#define IKEV2_FLAG_VERSION   0x10 /* V: can speak a higher major version */
#define IKEV2_FLAG_RESPONSE  0x20 /* R: this message is a response */

/* Payload types (RFC 7296 3.2; SKF: RFC 7383 2.5). */
enum ikev2_payload_type {
	IKEV2_PAYLOAD_NONE = 0, /* "no next payload" */
	IKEV2_PAYLOAD_SA = 33,
	IKEV2_PAYLOAD_KE = 34,
	IKEV2_PAYLOAD_IDI = 35,
	IKEV2_PAYLOAD_IDR = 36,
	IKEV2_PAYLOAD_CERT = 37,
	IKEV2_PAYLOAD_CERTREQ = 38,
	IKEV2_PAYLOAD_AUTH = 39,
	IKEV2_PAYLOAD_NONCE = 40,
	IKEV2_PAYLOAD_NOTIFY = 41,
	IKEV2_PAYLOAD_DELETE = 42,
	IKEV2_PAYLOAD_VENDOR = 43,
	IKEV2_PAYLOAD_TSI = 44,
	IKEV2_PAYLOAD_TSR = 45,
	IKEV2_PAYLOAD_SK = 46,
	IKEV2_PAYLOAD_CP = 47,
	IKEV2_PAYLOAD_EAP = 48,
	IKEV2_PAYLOAD_SKF = 53,
};
#define IKEV2_PAYLOAD_CRITICAL 0x80 /* the C bit, in the generic header */
const char *ikev2_payload_name(unsigned type);

/* Transform types (RFC 7296 3.3.2) and the IDs we use. */
enum ikev2_transform_type {
	IKEV2_TRANSFORM_ENCR = 1,
	IKEV2_TRANSFORM_PRF = 2,
	IKEV2_TRANSFORM_INTEG = 3,
	IKEV2_TRANSFORM_DH = 4,
	IKEV2_TRANSFORM_ESN = 5,
};
#define IKEV2_ENCR_AES_CBC            12
#define IKEV2_ENCR_AES_GCM_16         20 /* RFC 5282 */
#define IKEV2_ENCR_CHACHA20_POLY1305  28 /* RFC 7634 */
#define IKEV2_PRF_HMAC_SHA2_256       5  /* RFC 4868 */
#define IKEV2_PRF_HMAC_SHA2_384       6
#define IKEV2_PRF_HMAC_SHA2_512       7
#define IKEV2_INTEG_HMAC_SHA2_256_128 12 /* IANA: AUTH_HMAC_SHA2_256_128 */
#define IKEV2_INTEG_HMAC_SHA2_384_192 13
#define IKEV2_INTEG_HMAC_SHA2_512_256 14
#define IKEV2_DH_MODP_2048            14 /* RFC 3526 */
#define IKEV2_DH_ECP_256              19 /* RFC 5903 */
#define IKEV2_DH_ECP_384              20
#define IKEV2_DH_CURVE25519           31 /* RFC 8031 */
#define IKEV2_ESN_NONE                0
#define IKEV2_ESN_ENABLED             1
const char *ikev2_transform_type_name(unsigned type);
const char *ikev2_transform_id_name(unsigned type, unsigned id);
/* Size of the KE data for a DH group (RFC 7296 3.4, RFC 5903 7,
 * RFC 8031 3.1); 0 for a group we do not know. */
size_t ikev2_dh_public_len(uint16_t group);

/* Transform attributes (RFC 7296 3.3.5): only Key Length, in TV format. */
#define IKEV2_ATTR_TV         0x8000 /* AF bit: 2-byte value, no length */
#define IKEV2_ATTR_KEY_LENGTH 14

/* Protocol IDs (RFC 7296 3.3.1). */
#define IKEV2_PROTO_IKE 1
#define IKEV2_PROTO_AH  2
#define IKEV2_PROTO_ESP 3

/* ID types (RFC 7296 3.5). */
#define IKEV2_ID_IPV4_ADDR   1
#define IKEV2_ID_FQDN        2
#define IKEV2_ID_RFC822_ADDR 3
#define IKEV2_ID_IPV6_ADDR   5
#define IKEV2_ID_KEY_ID      11

/* Authentication methods (RFC 7296 3.8). */
#define IKEV2_AUTH_SHARED_KEY_MIC 2

/* Traffic selector types (RFC 7296 3.13.1). */
#define IKEV2_TS_IPV4_ADDR_RANGE 7
#define IKEV2_TS_IPV6_ADDR_RANGE 8

/* Notify message types (RFC 7296 3.10.1; fragmentation RFC 7383,
 * signature hashes RFC 7427). Below 16384: errors; from 16384: status. */
enum ikev2_notify_type {
	IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKEV2_N_INVALID_IKE_SPI = 4,
	IKEV2_N_INVALID_MAJOR_VERSION = 5,
	IKEV2_N_INVALID_SYNTAX = 7,
	IKEV2_N_INVALID_MESSAGE_ID = 9,
	IKEV2_N_INVALID_SPI = 11,
	IKEV2_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV2_N_INVALID_KE_PAYLOAD = 17,
	IKEV2_N_AUTHENTICATION_FAILED = 24,
	IKEV2_N_SINGLE_PAIR_REQUIRED = 34,
	IKEV2_N_NO_ADDITIONAL_SAS = 35,
	IKEV2_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKEV2_N_FAILED_CP_REQUIRED = 37,
	IKEV2_N_TS_UNACCEPTABLE = 38,
	IKEV2_N_INVALID_SELECTORS = 39,
	IKEV2_N_TEMPORARY_FAILURE = 43,
	IKEV2_N_CHILD_SA_NOT_FOUND = 44,
	IKEV2_N_INITIAL_CONTACT = 16384,
	IKEV2_N_SET_WINDOW_SIZE = 16385,
	IKEV2_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKEV2_N_IPCOMP_SUPPORTED = 16387,
	IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKEV2_N_COOKIE = 16390,
	IKEV2_N_USE_TRANSPORT_MODE = 16391,
	IKEV2_N_REKEY_SA = 16393,
	IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKEV2_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKEV2_N_SIGNATURE_HASH_ALGORITHMS = 16431,
};
#define IKEV2_N_STATUS_MIN 16384 /* types below are errors (RFC 7296 3.10.1) */
const char *ikev2_notify_name(unsigned type);

/*
 * Sizes the decoder checks and the builder refuses to break, shared:
 * Notification Data of the types whose size the RFCs fix (RFC 7296 3.10.1,
 * 2.6, 2.23; RFC 7383 2.3; RFC 7427 4), the SPI size of a proposal per
 * protocol (RFC 7296 3.3.1), the Identification Data of an ID type (3.5:
 * exact for addresses, at least a byte otherwise).
 */
bool ikev2_notify_data_ok(uint16_t type, size_t len);
bool ikev2_proposal_spi_ok(uint8_t protocol, uint8_t spi_size);
bool ikev2_id_data_ok(uint8_t id_type, size_t len);
/* Delete (RFC 7296 3.11): the IKE SA has no SPIs there (they are in the
 * header); AH and ESP have at least one SPI of 4 bytes; no other protocol. */
bool ikev2_delete_spis_ok(uint8_t protocol, uint8_t spi_size, uint16_t n_spi);

/* Sizes the RFC fixes. */
#define IKEV2_NONCE_MIN    16 /* RFC 7296 3.9 */
#define IKEV2_NONCE_MAX    256
#define IKEV2_COOKIE_MAX   64 /* RFC 7296 2.6 */
#define IKEV2_NATD_LEN     20 /* SHA-1 (RFC 7296 2.23) */
#define IKEV2_SPI_SIZE_ESP 4  /* also AH */
#define IKEV2_SPI_SIZE_IKE 8  /* in a CREATE_CHILD_SA rekeying the IKE SA */

/* Our limits; a message over them is refused (see ikev2_msg_decode). */
#define IKEV2_MAX_TRANSFORMS 16 /* per proposal */
#define IKEV2_MAX_PROPOSALS  8
#define IKEV2_MAX_TS         8 /* per TS payload */
#define IKEV2_MAX_NOTIFY     16
#define IKEV2_MAX_DELETE     4
#define IKEV2_MAX_VENDOR     8
#define IKEV2_MAX_PAYLOADS   48 /* every payload, known or not */

struct ikev2_header {
	uint64_t ispi, rspi;
	uint8_t next_payload; /* builder: ignored, written per payload */
	uint8_t version;      /* builder: 0 means IKEV2_VERSION */
	uint8_t exchange;     /* enum ikev2_exchange */
	uint8_t flags;        /* IKEV2_FLAG_* */
	uint32_t msg_id;
	uint32_t length; /* builder: ignored, written by ikev2_build_finish */
};

/* RFC 7296 3.3.2; key_len from the Key Length attribute (3.3.5). */
struct ikev2_transform {
	uint8_t type; /* enum ikev2_transform_type */
	uint16_t id;
	uint16_t key_len; /* bits, 0 = no attribute */
	/* Decoded only: an attribute other than one Key Length (another
	 * type, TLV format, a second one, length 0). RFC 7296 3.3.6: this
	 * transform is unacceptable, the others are processed as usual. The
	 * builder refuses it. */
	bool unknown_attr;
};

/* RFC 7296 3.3.1 */
struct ikev2_proposal {
	uint8_t num;
	uint8_t protocol; /* IKEV2_PROTO_* */
	uint8_t spi_size; /* 0, 4 or 8 */
	uint8_t spi[8];
	size_t n_transforms;
	struct ikev2_transform t[IKEV2_MAX_TRANSFORMS];
};

struct ikev2_sa_payload {
	size_t n;
	struct ikev2_proposal p[IKEV2_MAX_PROPOSALS];
};

/* RFC 7296 3.13.1; start and end have the family of the type. */
struct ikev2_ts {
	uint8_t type;     /* IKEV2_TS_IPV4_ADDR_RANGE or _IPV6_ */
	uint8_t ip_proto; /* 0 = any */
	uint16_t start_port, end_port;
	struct ipaddr start, end;
};

struct ikev2_ts_payload {
	size_t n;
	struct ikev2_ts ts[IKEV2_MAX_TS];
};

/* RFC 7296 3.10; spi and data point into the decoded buffer. */
struct ikev2_notify {
	uint8_t protocol; /* 0 when there is no SPI */
	uint8_t spi_size;
	const uint8_t *spi;
	uint16_t type; /* enum ikev2_notify_type */
	const uint8_t *data;
	size_t len;
};

/* RFC 7296 3.11; spis holds n_spi SPIs of spi_size bytes each. */
struct ikev2_delete {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t n_spi;
	const uint8_t *spis;
};

/* RFC 7296 3.5. body is the payload body from the ID type byte on:
 * what the AUTH payload signs (RFC 7296 2.15, IDi'/IDr'). */
struct ikev2_id {
	uint8_t type; /* IKEV2_ID_* */
	const uint8_t *data;
	size_t len;
	const uint8_t *body;
	size_t body_len;
};

/*
 * A decoded message. Every pointer points into the decoded buffer (for
 * ikev2_payloads_decode: into the decrypted chain), so the buffer must
 * outlive the struct.
 */
struct ikev2_msg {
	struct ikev2_header hdr;

	bool has_sa;
	struct ikev2_sa_payload sa;

	bool has_ke; /* RFC 7296 3.4 */
	uint16_t ke_group;
	const uint8_t *ke;
	size_t ke_len;

	bool has_nonce; /* RFC 7296 3.9 */
	const uint8_t *nonce;
	size_t nonce_len;

	bool has_idi, has_idr;
	struct ikev2_id idi, idr;

	bool has_auth; /* RFC 7296 3.8 */
	uint8_t auth_method;
	const uint8_t *auth;
	size_t auth_len;

	size_t n_notify; /* in wire order */
	struct ikev2_notify notify[IKEV2_MAX_NOTIFY];

	bool has_tsi, has_tsr;
	struct ikev2_ts_payload tsi, tsr;

	size_t n_delete;
	struct ikev2_delete del[IKEV2_MAX_DELETE];

	size_t n_vendor; /* RFC 7296 3.12 */
	struct {
		const uint8_t *data;
		size_t len;
	} vendor[IKEV2_MAX_VENDOR];

	/* Encrypted payload (RFC 7296 3.14): sk_body runs from the IV to
	 * the end of the ICV. The AEAD associated data (RFC 5282 5.1) and
	 * the integrity check cover message[0 .. sk_body_off). */
	bool has_sk;
	uint8_t sk_first; /* type of the first payload inside */
	const uint8_t *sk_body;
	size_t sk_body_len;
	size_t sk_body_off;

	/* Encrypted Fragment payload (RFC 7383 2.5): likewise, with the
	 * fragment number and total ahead of the IV (inside the AAD). */
	bool has_skf;
	uint16_t skf_num, skf_total;
	uint8_t skf_first; /* meaningful in fragment 1 only */
	const uint8_t *skf_body;
	size_t skf_body_len;
	size_t skf_body_off;

	/* The first payload of an unknown type with the critical bit set
	 * (RFC 7296 2.5), 0 if none. */
	uint8_t unknown_critical;

	/* Every payload's type in wire order, known or not (SK/SKF last).
	 * CERT, CERTREQ, CP, EAP and unknown non-critical payloads are
	 * checked and skipped: they show only here. */
	size_t n_payloads;
	uint8_t types[IKEV2_MAX_PAYLOADS];

	/* A RESERVED field or the critical bit of a known payload was set:
	 * ignored on receipt (RFC 7296 3.2), so this message does not
	 * re-build to the same bytes. */
	bool nonzero_reserved;
};

/*
 * Why a decode failed: the error notify to answer with (0 = drop
 * silently) and a short reason for counters and logs. The notify is a
 * suggestion: the caller answers only requests, and INVALID_SYNTAX only
 * inside an authenticated SK payload (RFC 7296 2.21.2, 3.10.1).
 */
struct ikev2_decode_error {
	uint16_t notify;
	const char *reason;
};

/*
 * Decode a whole message of len bytes (the UDP payload). Checks: the
 * header (length equal to len, major version 2: a higher one answers
 * INVALID_MAJOR_VERSION, RFC 7296 2.5), every generic payload header
 * (length >= 4 and within the message; exact or minimum sizes per type),
 * each payload in a sub-buffer of its declared length with nothing left
 * over, proposal and transform lengths, counts and "last substructure"
 * flags (RFC 7296 3.3), duplicates of the payloads that may appear once,
 * SK/SKF last (RFC 7296 3.14), our limits (IKEV2_MAX_*). Unknown
 * non-critical payloads are skipped.
 *
 * 0 on success, -1 with *err filled. An unknown critical payload gives -1
 * with err->notify = UNSUPPORTED_CRITICAL_PAYLOAD and m->unknown_critical
 * set, m otherwise complete (so an SK can still be checked before
 * answering). Any other failure leaves m partial: use only m->hdr, and only
 * when err->notify is not 0.
 */
int ikev2_msg_decode(const uint8_t *pkt, size_t len, struct ikev2_msg *m,
                     struct ikev2_decode_error *err);

/*
 * Decode an SA payload's body (RFC 7296 3.3), b holding exactly that body
 * (ikev2_msg_decode calls it; exported for tests). Sets *nonzero_reserved
 * when a RESERVED field is not zero, leaves it alone otherwise.
 */
int ikev2_sa_decode(struct buf *b, struct ikev2_sa_payload *sa, bool *nonzero_reserved,
                    struct ikev2_decode_error *err);

/*
 * Decode a plaintext payload chain (the decrypted content of SK, padding
 * and ICV removed) starting with payload type first, into m. m->hdr is
 * kept; every other field is reset. Same checks and results as
 * ikev2_msg_decode(); an SK or SKF inside is refused.
 */
int ikev2_payloads_decode(uint8_t first, const uint8_t *p, size_t len, struct ikev2_msg *m,
                          struct ikev2_decode_error *err);

/* The first notify of type in m, or NULL; the first error notify's type
 * (RFC 7296 3.10.1: below 16384), or 0. */
const struct ikev2_notify *ikev2_notify_find(const struct ikev2_msg *m, uint16_t type);
uint16_t ikev2_notify_error(const struct ikev2_msg *m);

/*
 * Message builder. Payloads are appended in call order, each one's type
 * written into the previous one's next-payload field; the critical bit is
 * 0 on everything we send. Writes past the end, payloads too long for
 * their length field, inconsistent input (too many proposals, an address
 * family not matching its TS type) and anything after an SK payload make
 * ikev2_build_finish() return 0: builders check once, at the end.
 */
struct ikev2_builder {
	struct wbuf w;
	size_t prev_np_off;   /* where the next payload's type goes; SIZE_MAX:
	                         nothing yet in an inner chain (goes to first) */
	uint8_t first;        /* inner chain: type of the first payload */
	bool has_header;      /* ikev2_build_init (else _inner_init) */
	bool sealed;          /* an SK payload was added: nothing may follow */
	bool failed;          /* inconsistent input */
	size_t last_body_off; /* body of the payload added last */
	size_t last_body_len;
};

/* Start a message: writes the IKE header from h (next payload and length
 * filled in later). */
void ikev2_build_init(struct ikev2_builder *b, uint8_t *buf, size_t cap,
                      const struct ikev2_header *h);
/* Start a plaintext chain for an SK payload (no header); after building,
 * b->first holds the first payload's type (IKEV2_PAYLOAD_NONE if empty). */
void ikev2_build_inner_init(struct ikev2_builder *b, uint8_t *buf, size_t cap);

void ikev2_build_sa(struct ikev2_builder *b, const struct ikev2_sa_payload *sa);
void ikev2_build_ke(struct ikev2_builder *b, uint16_t group, const uint8_t *data, size_t len);
void ikev2_build_nonce(struct ikev2_builder *b, const uint8_t *data, size_t len);
void ikev2_build_notify(struct ikev2_builder *b, uint8_t protocol, const uint8_t *spi,
                        uint8_t spi_size, uint16_t type, const uint8_t *data, size_t len);
/* payload_type: IKEV2_PAYLOAD_IDI or IKEV2_PAYLOAD_IDR */
void ikev2_build_id(struct ikev2_builder *b, uint8_t payload_type, uint8_t id_type,
                    const uint8_t *data, size_t len);
void ikev2_build_auth(struct ikev2_builder *b, uint8_t method, const uint8_t *data, size_t len);
/* payload_type: IKEV2_PAYLOAD_TSI or IKEV2_PAYLOAD_TSR */
void ikev2_build_ts(struct ikev2_builder *b, uint8_t payload_type,
                    const struct ikev2_ts_payload *ts);
/* spis: n SPIs of spi_size bytes each (none for the IKE SA) */
void ikev2_build_delete(struct ikev2_builder *b, uint8_t protocol, uint8_t spi_size,
                        const uint8_t *spis, uint16_t n);
void ikev2_build_vendor(struct ikev2_builder *b, const uint8_t *data, size_t len);

/*
 * Append the SK payload (RFC 7296 3.14), which must be the last: writes its
 * generic header (next payload = first_inner), reserves body_len bytes for
 * IV, ciphertext, padding, pad length and ICV, and returns a pointer to
 * them for the crypto layer, NULL on overflow. The body's offset from buf
 * is the length of the associated data. Call ikev2_build_finish() before
 * computing the ICV: the header's length field is covered by it.
 */
uint8_t *ikev2_build_sk(struct ikev2_builder *b, uint8_t first_inner, size_t body_len);

/* Write the header's length (message builders). Returns the total length,
 * or 0 if anything overflowed or was inconsistent (an empty inner chain is
 * 0 bytes too: check ikev2_build_ok()). */
size_t ikev2_build_finish(struct ikev2_builder *b);
bool ikev2_build_ok(const struct ikev2_builder *b);

/* The body (after the generic header) of the payload added last, e.g. the
 * ID payload's IDx' for the AUTH computation (RFC 7296 2.15). NULL if
 * none or after an overflow. */
const uint8_t *ikev2_build_last_body(const struct ikev2_builder *b, size_t *len);

#endif
