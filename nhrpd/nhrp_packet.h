/*
 * NHRP packets (RFC 2332), decoded into owned structs and encoded back.
 * Pure: no I/O, no globals, so it links alone into unit tests and fuzzers.
 *
 * Layout (RFC 2332 5.1, 5.2, 5.3):
 *
 *   fixed header    20 bytes: ar$afn, ar$pro.type, ar$pro.snap, ar$hopcnt,
 *                   ar$pktsz, ar$chksum, ar$extoff, ar$op.version,
 *                   ar$op.type, ar$shtl, ar$sstl
 *   mandatory part  src/dst protocol address lengths, flags, request id
 *                   (Error Indication: unused, error code, error offset),
 *                   source NBMA address and subaddress, source and
 *                   destination protocol addresses, then CIEs (or, for an
 *                   Error or Traffic Indication, the packet that caused it)
 *   extensions      from ar$extoff: type (top bit = compulsory), length,
 *                   value; ending with End of Extensions
 *
 * Only IP is handled: ar$afn 1 (IPv4) or 2 (IPv6) NBMA addresses, and
 * ar$pro.type 0x0800 or 0x86DD protocol addresses; no subaddresses.
 */
#ifndef DMVPN_NHRP_PACKET_H
#define DMVPN_NHRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define NHRP_ETHERTYPE  0x2001 /* NHRP over GRE (RFC 2332 Appendix? / Cisco, Linux) */
#define NHRP_VERSION    1
#define NHRP_FIXED_HLEN 20
#define NHRP_MAX_PACKET 1500 /* what we build and accept; larger is refused */

/* ar$afn: address family numbers (IANA) of the NBMA addresses. */
#define NHRP_AFN_IPV4 1
#define NHRP_AFN_IPV6 2
/* ar$pro.type: EtherTypes of the protocol (overlay) addresses. */
#define NHRP_PRO_IPV4 0x0800
#define NHRP_PRO_IPV6 0x86DD
/* The address family of ar$afn / ar$pro.type; AF_UNSPEC when not handled. */
sa_family_t nhrp_afn_family(uint16_t afn);
sa_family_t nhrp_pro_family(uint16_t pro_type);

/* ar$op.type (RFC 2332 5.0; 8 = Traffic Indication, Cisco's redirect). */
enum nhrp_type {
	NHRP_RESOLUTION_REQUEST = 1,
	NHRP_RESOLUTION_REPLY = 2,
	NHRP_REGISTRATION_REQUEST = 3,
	NHRP_REGISTRATION_REPLY = 4,
	NHRP_PURGE_REQUEST = 5,
	NHRP_PURGE_REPLY = 6,
	NHRP_ERROR_INDICATION = 7,
	NHRP_TRAFFIC_INDICATION = 8,
};
#define NHRP_TYPE_MAX 8
const char *nhrp_type_name(unsigned type); /* "unknown" outside 1..8 */

/* Flags of the mandatory part (RFC 2332 5.2.1, 5.2.2, 5.2.3, 5.2.4). */
#define NHRP_FLAG_RES_Q   0x8000 /* Q: requester is a router */
#define NHRP_FLAG_RES_A   0x4000 /* A: reply is authoritative */
#define NHRP_FLAG_RES_D   0x2000 /* D: destination is stable */
#define NHRP_FLAG_RES_U   0x1000 /* U: uniqueness */
#define NHRP_FLAG_RES_S   0x0800 /* S: source binding is stable */
#define NHRP_FLAG_RES_NAT 0x0002 /* Cisco: requester is behind NAT */
#define NHRP_FLAG_REG_U   0x8000 /* U: unique registration */
#define NHRP_FLAG_REG_NAT 0x0002 /* Cisco: registrant is behind NAT */
#define NHRP_FLAG_PURGE_N 0x8000 /* N: no reply expected */

/* CIE codes (RFC 2332 5.2.0.1, 5.2.2, 5.2.4). */
enum nhrp_cie_code {
	NHRP_CODE_SUCCESS = 0,
	NHRP_CODE_ADMIN_PROHIBITED = 4,
	NHRP_CODE_INSUFFICIENT_RESOURCES = 5,
	NHRP_CODE_NO_BINDING = 12,
	NHRP_CODE_BINDING_NOT_UNIQUE = 13,
	NHRP_CODE_UNIQUE_ALREADY_REGISTERED = 14,
};
const char *nhrp_cie_code_name(unsigned code);

/* Error Indication codes (RFC 2332 5.2.7). */
enum nhrp_error_code {
	NHRP_ERR_NONE = 0, /* decode failures that are dropped silently */
	NHRP_ERR_UNRECOGNIZED_EXTENSION = 1,
	NHRP_ERR_LOOP_DETECTED = 3,
	NHRP_ERR_PROTO_ADDR_UNREACHABLE = 6,
	NHRP_ERR_PROTOCOL_ERROR = 7,
	NHRP_ERR_SDU_SIZE_EXCEEDED = 8,
	NHRP_ERR_INVALID_EXTENSION = 9,
	NHRP_ERR_INVALID_RESOLUTION_REPLY = 10,
	NHRP_ERR_AUTHENTICATION_FAILURE = 11,
	NHRP_ERR_HOP_COUNT_EXCEEDED = 15,
};
const char *nhrp_error_code_name(unsigned code);

/* Extension types (RFC 2332 5.3; 9 is Cisco's NAT address extension). */
#define NHRP_EXT_COMPULSORY 0x8000
enum nhrp_ext_type {
	NHRP_EXT_END = 0,
	NHRP_EXT_RESPONDER_ADDRESS = 3,
	NHRP_EXT_FORWARD_TRANSIT = 4,
	NHRP_EXT_REVERSE_TRANSIT = 5,
	NHRP_EXT_AUTHENTICATION = 7,
	NHRP_EXT_VENDOR_PRIVATE = 8,
	NHRP_EXT_NAT_ADDRESS = 9,
};
const char *nhrp_ext_type_name(unsigned type); /* ignores the compulsory bit */
/* Shape of an extension's value, shared by the decoder and the encoder:
 * whether it is a list of CIEs (Responder Address, Transit NHS Records, NAT
 * Address), whether it may appear only once (those and Authentication), and
 * the shortest value allowed (Authentication 4, Vendor-Private 3). */
bool nhrp_ext_holds_cies(uint16_t type);
bool nhrp_ext_is_unique(uint16_t type);
size_t nhrp_ext_min_len(uint16_t type);

#define NHRP_MAX_CIE     16 /* CIEs in a mandatory part */
#define NHRP_MAX_EXT     12 /* extensions in one packet, End excluded */
#define NHRP_MAX_EXT_CIE 16 /* CIEs in one extension (transit records) */

/*
 * A Client Information Entry (RFC 2332 5.2.0.1). An address of length 0
 * decodes to family AF_UNSPEC, and an unset address encodes with length 0.
 */
struct nhrp_cie {
	uint8_t code;
	uint8_t prefix_len;
	uint16_t mtu;
	uint16_t holding_time; /* seconds */
	uint8_t preference;
	struct ipaddr nbma;
	struct ipaddr proto;
};

/*
 * One extension. Responder Address, Forward/Reverse Transit NHS Record and
 * NAT Address hold CIEs; Authentication, Vendor-Private and any other type
 * hold their raw value in data/len (pointing into the decoded packet, or at
 * caller memory for encoding).
 */
struct nhrp_ext {
	uint16_t type; /* without NHRP_EXT_COMPULSORY */
	bool compulsory;
	size_t n_cie;
	struct nhrp_cie cie[NHRP_MAX_EXT_CIE];
	const uint8_t *data;
	size_t len;
};

struct nhrp_packet {
	/* fixed header */
	uint16_t afn;      /* NHRP_AFN_*: family of the NBMA addresses */
	uint16_t pro_type; /* 0x0800 or 0x86DD: family of protocol addresses */
	uint8_t hop_count;
	uint8_t type; /* enum nhrp_type */
	/* mandatory part */
	uint16_t flags;      /* not for Error Indication */
	uint32_t request_id; /* not for Error Indication */
	uint16_t error_code; /* Error Indication only */
	uint16_t error_offset;
	struct ipaddr src_nbma;
	struct ipaddr src_proto;
	struct ipaddr dst_proto;
	size_t n_cie; /* types 1-6 */
	struct nhrp_cie cie[NHRP_MAX_CIE];
	/* Error Indication: the packet in error; Traffic Indication: the
	 * start of the packet that caused it (RFC 2332 5.2.7, Cisco). */
	const uint8_t *payload;
	size_t payload_len;
	/* extensions, in wire order; End of Extensions is implied */
	size_t n_ext;
	struct nhrp_ext ext[NHRP_MAX_EXT];
	bool has_extensions; /* ar$extoff != 0: encode an extension part */
};

/* Why a decode failed: the Error Indication code to answer with (NONE when
 * the packet is dropped silently), the offset of the offending field, and a
 * short reason for counters and logs. */
struct nhrp_decode_error {
	uint16_t code;
	uint16_t offset;
	const char *reason;
};

/*
 * Decode len bytes. Checks the checksum (RFC 2332 5.2.0: a bad one is
 * dropped silently), version, lengths against the buffer and each other,
 * address sizes against ar$afn/ar$pro.type, CIE counts, extension lengths,
 * unknown compulsory extensions (Error Indication "Unrecognized
 * Extension"), and that nothing is left over. data pointers in *p point
 * into pkt. 0 on success, -1 with *err filled.
 *
 * On failure *p holds what was decoded before the fault (the source
 * addresses only once the fixed header and ar$extoff passed). Refused only
 * for an unknown compulsory extension (NHRP_ERR_UNRECOGNIZED_EXTENSION),
 * *p is complete, that extension kept raw: a transit NHS ignores it and
 * forwards the packet (RFC 2332 5.2.7), only a responder answers. Bytes
 * after ar$pktsz are ignored; so are ar$pro.snap and the unused words of
 * an Error Indication and of a CIE, which nhrp_encode() writes as zero.
 */
int nhrp_decode(const uint8_t *pkt, size_t len, struct nhrp_packet *p,
                struct nhrp_decode_error *err);

/*
 * Encode p into out (cap bytes): fills ar$pktsz, ar$extoff (when
 * has_extensions or n_ext > 0), appends End of Extensions, and computes the
 * checksum. Returns the length, or 0 when it did not fit or p is
 * inconsistent (address families not matching afn/pro_type, too many
 * CIEs).
 */
size_t nhrp_encode(const struct nhrp_packet *p, uint8_t *out, size_t cap);

/* Find the first extension of a type; NULL when absent. */
struct nhrp_ext *nhrp_packet_ext(struct nhrp_packet *p, uint16_t type);
/* Append an extension (zeroed, type set); NULL when the packet is full. */
struct nhrp_ext *nhrp_packet_add_ext(struct nhrp_packet *p, uint16_t type, bool compulsory);

#endif
