/*
 * ZAPI messages (FRR zebra's client protocol, wire version 6 as spoken by
 * FRR 8.4), encoded and decoded without libfrr. Pure: no I/O, no globals,
 * so it links alone into unit tests and fuzzers. The wire format and the
 * zebra behaviour it is built around: docs/zapi.md (and FRR's
 * lib/zclient.c).
 *
 *   header  length u16 (whole frame) | marker u8 0xFE | version u8 6 |
 *           vrf_id u32 | command u16            (all big-endian)
 */
#ifndef DMVPN_ZAPI_MSG_H
#define DMVPN_ZAPI_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define ZAPI_HEADER_LEN 10
#define ZAPI_MARKER     0xFE
#define ZAPI_VERSION    6
#define ZAPI_MAX_FRAME  16384 /* zebra's ZEBRA_MAX_PACKET_SIZ */

enum zapi_command {
	ZAPI_INTERFACE_ADD = 0,
	ZAPI_INTERFACE_DELETE = 1,
	ZAPI_INTERFACE_ADDRESS_ADD = 2,
	ZAPI_INTERFACE_ADDRESS_DELETE = 3,
	ZAPI_INTERFACE_UP = 4,
	ZAPI_INTERFACE_DOWN = 5,
	ZAPI_ROUTE_ADD = 8,
	ZAPI_ROUTE_DELETE = 9,
	ZAPI_ROUTE_NOTIFY_OWNER = 10,
	ZAPI_REDISTRIBUTE_ADD = 11,
	ZAPI_ROUTER_ID_ADD = 15,
	ZAPI_ROUTER_ID_UPDATE = 17,
	ZAPI_HELLO = 18,
	ZAPI_CAPABILITIES = 19,
	ZAPI_VRF_ADD = 33,
	ZAPI_ERROR = 118,
	ZAPI_CLIENT_CAPABILITIES = 119,
	ZAPI_ROUTE_NOTIFY_REQUEST = 124,
};

#define ZAPI_ROUTE_NHRP 12 /* zebra route type */

/* Route message bits. */
#define ZAPI_MESSAGE_NEXTHOP  0x01
#define ZAPI_MESSAGE_DISTANCE 0x02
#define ZAPI_MESSAGE_METRIC   0x04
#define ZAPI_MESSAGE_TAG      0x08
#define ZAPI_MESSAGE_MTU      0x10
#define ZAPI_MESSAGE_TABLEID  0x100
/* Route flags. */
#define ZAPI_FLAG_ALLOW_RECURSION 0x01
#define ZAPI_SAFI_UNICAST         1

enum zapi_nexthop_type {
	ZAPI_NEXTHOP_IFINDEX = 1,
	ZAPI_NEXTHOP_IPV4 = 2,
	ZAPI_NEXTHOP_IPV4_IFINDEX = 3,
	ZAPI_NEXTHOP_IPV6 = 4,
	ZAPI_NEXTHOP_IPV6_IFINDEX = 5,
	ZAPI_NEXTHOP_BLACKHOLE = 6,
};
#define ZAPI_NEXTHOP_FLAG_ONLINK 0x01

/* ROUTE_NOTIFY_OWNER notes. */
enum zapi_route_note {
	ZAPI_ROUTE_FAIL_INSTALL = 0,
	ZAPI_ROUTE_BETTER_ADMIN_WON = 1,
	ZAPI_ROUTE_INSTALLED = 2,
	ZAPI_ROUTE_REMOVED = 3,
	ZAPI_ROUTE_REMOVE_FAIL = 4,
};
const char *zapi_route_note_name(uint32_t note);
const char *zapi_command_name(uint16_t cmd);

#define ZAPI_MAX_NEXTHOPS 8

struct zapi_header {
	uint16_t length; /* whole frame, header included */
	uint32_t vrf_id;
	uint16_t command;
};

struct zapi_nexthop {
	uint32_t vrf_id;
	uint8_t type; /* enum zapi_nexthop_type */
	uint8_t flags;
	struct ipaddr gate; /* IPV4*, IPV6* */
	uint32_t ifindex;   /* IFINDEX, *_IFINDEX */
	uint8_t bh_type;    /* BLACKHOLE */
};

struct zapi_route {
	uint8_t type; /* ZAPI_ROUTE_NHRP */
	uint16_t instance;
	uint32_t flags;
	uint32_t message; /* ZAPI_MESSAGE_* present */
	uint8_t safi;
	struct ipaddr prefix; /* family AF_INET or AF_INET6 */
	uint8_t prefixlen;
	size_t n_nexthops;
	struct zapi_nexthop nexthops[ZAPI_MAX_NEXTHOPS];
	uint8_t distance;
	uint32_t metric;
	uint32_t tag;
	uint32_t mtu;
	uint32_t table_id;
};

struct zapi_route_notify {
	uint32_t note; /* host order on the wire (FRR quirk) */
	struct ipaddr prefix;
	uint8_t prefixlen;
	uint32_t table_id;
	uint8_t afi;
	uint8_t safi;
};

struct zapi_interface {
	char name[17]; /* 16 bytes on the wire, NUL added */
	uint32_t ifindex;
	uint8_t status;
	uint64_t flags; /* IFF_* */
	uint32_t metric;
	uint32_t speed;
	uint32_t mtu;
	uint32_t mtu6;
	uint32_t bandwidth;
	uint32_t link_ifindex;
	uint32_t ll_type;
	uint32_t hw_len;
	uint8_t hw_addr[32];
};

struct zapi_if_address {
	uint32_t ifindex;
	uint8_t flags;
	struct ipaddr addr;
	uint8_t prefixlen;
	struct ipaddr dest;
};

/*
 * Decoding. zapi_header_decode needs the 10 header bytes; it checks marker,
 * version and that length >= 10 (a frame longer than the bytes at hand is
 * the caller's to wait for). The body decoders take the bytes after the
 * header and refuse anything short, inconsistent or left over (where the
 * layout is fixed). 0 or -1.
 */
int zapi_header_decode(const uint8_t *p, size_t len, struct zapi_header *h);
int zapi_route_decode(const uint8_t *body, size_t len, struct zapi_route *r);
int zapi_route_notify_decode(const uint8_t *body, size_t len, struct zapi_route_notify *n);
int zapi_interface_decode(const uint8_t *body, size_t len, struct zapi_interface *i);
int zapi_if_address_decode(const uint8_t *body, size_t len, struct zapi_if_address *a);

/*
 * Encoding: a whole frame (header included) into out; the length, or 0 when
 * it does not fit or the input is inconsistent.
 */
size_t zapi_encode_hello(uint8_t *out, size_t cap, uint8_t proto, uint16_t instance,
                         uint32_t session_id, bool receive_notify);
/* A frame with an empty body (e.g. INTERFACE_ADD asks for the dump). */
size_t zapi_encode_empty(uint8_t *out, size_t cap, uint16_t command, uint32_t vrf_id);
/* ROUTE_ADD or ROUTE_DELETE (a delete needs no nexthops). */
size_t zapi_encode_route(uint8_t *out, size_t cap, uint16_t command, uint32_t vrf_id,
                         const struct zapi_route *r);
/* CLIENT_CAPABILITIES: graceful restart with a stale time (seconds). */
size_t zapi_encode_capabilities_gr(uint8_t *out, size_t cap, uint32_t stale_time, uint32_t vrf_id);
/* CLIENT_CAPABILITIES: route update complete for afi/safi. */
size_t zapi_encode_update_complete(uint8_t *out, size_t cap, uint32_t afi, uint32_t safi,
                                   uint32_t vrf_id);

#endif
