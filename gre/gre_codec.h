/*
 * GRE header codec: RFC 2784 with the RFC 2890 key and sequence number
 * extensions. Pure: no I/O, no globals.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |C| |K|S| Reserved0       | Ver |         Protocol Type         |
 *  |      Checksum (optional)      |       Reserved1 (Optional)    |
 *  |                         Key (optional)                        |
 *  |                 Sequence Number (Optional)                    |
 */
#ifndef DMVPN_GRE_CODEC_H
#define DMVPN_GRE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define GRE_FLAG_C 0x8000 /* checksum present, RFC 2784 2.2 */
#define GRE_FLAG_R 0x4000 /* RFC 1701 routing present: must be zero */
#define GRE_FLAG_K 0x2000 /* key present, RFC 2890 2.1 */
#define GRE_FLAG_S 0x1000 /* sequence number present, RFC 2890 2.1 */
/*
 * RFC 2784 2.3: a receiver MUST discard a packet with any of bits 1-5 set
 * unless it implements RFC 1701; RFC 2890 gives bits 2 and 3 meaning (K, S),
 * which leaves bit 1 (routing), bit 4 (strict source route) and bit 5 (top
 * bit of recursion control). Bits 6-12 MUST be ignored on receipt.
 */
#define GRE_MUST_BE_ZERO 0x4C00
#define GRE_IGNORED_BITS 0x03F8
#define GRE_VERSION_MASK 0x0007

#define GRE_PROTO_IPV4 0x0800
#define GRE_PROTO_IPV6 0x86DD
#define GRE_PROTO_NHRP 0x2001 /* RFC 2332 5, as carried by Cisco and Linux */

#define GRE_HDR_MIN 4
#define GRE_HDR_MAX 16

struct gre_hdr {
	bool has_csum;
	bool has_key;
	bool has_seq;
	uint16_t proto;
	uint32_t key;
	uint32_t seq;
};

enum gre_err {
	GRE_OK = 0,
	GRE_ERR_TRUNCATED, /* shorter than the header its flags announce */
	GRE_ERR_VERSION,   /* version is not 0 (RFC 2784 2.3.1) */
	GRE_ERR_RESERVED,  /* bits 1, 4 or 5 set (RFC 2784 2.3) */
	GRE_ERR_CHECKSUM,  /* checksum present and wrong (RFC 2784 2.5) */
	GRE_ERR__COUNT
};

const char *gre_err_name(enum gre_err err);

/* Length of the header that h describes. */
size_t gre_hdr_len(const struct gre_hdr *h);

/*
 * Decode the GRE header at the cursor of b and leave the cursor on the
 * payload. When the checksum bit is set, the checksum is verified over the
 * header and everything remaining in b (RFC 2784 2.5). On error the cursor
 * position is unspecified.
 */
enum gre_err gre_decode(struct buf *b, struct gre_hdr *h);

/*
 * Encode h into w. When h->has_csum is set, payload (which the caller will
 * place right after the header) is needed to compute the checksum; it may be
 * NULL otherwise. Check wbuf_ok() afterwards.
 */
void gre_encode(struct wbuf *w, const struct gre_hdr *h, const void *payload, size_t payload_len);

#endif
