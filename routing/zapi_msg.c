/*
 * ZAPI messages as FRR 8.4 (ZSERV_VERSION 6) puts them on the wire. Layout
 * facts are cited from the frr-8.4.4 sources: lib/zclient.c (the client
 * library, which encodes what zebra reads and decodes what zebra writes),
 * zebra/zapi_msg.c (zebra's own writers) and lib/zclient.h (the constants).
 *
 * Decoders are stricter than FRR's: what FRR would read but this project
 * never sends or asks for (source prefixes, backup nexthops, nexthop groups,
 * SR-TE colours, opaque data, labelled/weighted/SRv6/EVPN nexthops) is
 * refused rather than half-read, so that nothing is silently misparsed, and
 * a decoded route always re-encodes to exactly the bytes it came from.
 */
#include "routing/zapi_msg.h"

#include <string.h>

#include "lib/buf.h"

#define N_NAMES(a) (sizeof(a) / sizeof((a)[0]))

/* lib/route_types.txt: ZEBRA_ROUTE_ALL is the 31st type, ZEBRA_ROUTE_MAX 31. */
#define ZAPI_ROUTE_TYPE_MAX 31
/* lib/zebra.h: safi_t runs from SAFI_UNICAST 1 to SAFI_MAX 8 (exclusive). */
#define ZAPI_SAFI_MAX 8
/* lib/zebra.h: afi_t AFI_IP 1, AFI_IP6 2 (ROUTE_NOTIFY_OWNER carries one). */
#define ZAPI_AFI_IP  1
#define ZAPI_AFI_IP6 2
/* lib/if.h: INTERFACE_NAMSIZ is IFNAMSIZ, 16 on Linux; INTERFACE_HWADDR_MAX. */
#define ZAPI_IFNAMSIZ   16
#define ZAPI_HWADDR_MAX 20
/* lib/nexthop.h enum blackhole_type: UNSPEC 0 .. ADMINPROHIB 3. */
#define ZAPI_BLACKHOLE_MAX 3
/* lib/zclient.h: CLIENT_CAPABILITIES cap values. */
#define ZAPI_CAP_GR              1
#define ZAPI_CAP_UPDATE_COMPLETE 2

/*
 * The route message bits this codec carries. lib/zclient.h (8.4) also has
 * SRCPFX 0x20, BACKUP_NEXTHOPS 0x40, NHG 0x80, SRTE 0x200 and OPAQUE 0x400;
 * those, and any bit FRR does not define, are refused.
 */
#define ZAPI_MESSAGE_KNOWN                                                                         \
	(ZAPI_MESSAGE_NEXTHOP | ZAPI_MESSAGE_DISTANCE | ZAPI_MESSAGE_METRIC | ZAPI_MESSAGE_TAG |   \
	 ZAPI_MESSAGE_MTU | ZAPI_MESSAGE_TABLEID)
/*
 * Nexthop flags: only ONLINK. LABEL 0x02, WEIGHT 0x04, HAS_BACKUP 0x08,
 * SEG6 0x10, SEG6LOCAL 0x20 and EVPN 0x40 each add fields after the address
 * (lib/zclient.c zapi_nexthop_encode) and are refused, as is 0x80.
 */
#define ZAPI_NEXTHOP_FLAGS_KNOWN ZAPI_NEXTHOP_FLAG_ONLINK

static const char *const zapi_command_names[] = {
    [ZAPI_INTERFACE_ADD] = "interface-add",
    [ZAPI_INTERFACE_DELETE] = "interface-delete",
    [ZAPI_INTERFACE_ADDRESS_ADD] = "interface-address-add",
    [ZAPI_INTERFACE_ADDRESS_DELETE] = "interface-address-delete",
    [ZAPI_INTERFACE_UP] = "interface-up",
    [ZAPI_INTERFACE_DOWN] = "interface-down",
    [ZAPI_ROUTE_ADD] = "route-add",
    [ZAPI_ROUTE_DELETE] = "route-delete",
    [ZAPI_ROUTE_NOTIFY_OWNER] = "route-notify-owner",
    [ZAPI_REDISTRIBUTE_ADD] = "redistribute-add",
    [ZAPI_ROUTER_ID_ADD] = "router-id-add",
    [ZAPI_ROUTER_ID_UPDATE] = "router-id-update",
    [ZAPI_HELLO] = "hello",
    [ZAPI_CAPABILITIES] = "capabilities",
    [ZAPI_VRF_ADD] = "vrf-add",
    [ZAPI_ERROR] = "error",
    [ZAPI_CLIENT_CAPABILITIES] = "client-capabilities",
    [ZAPI_ROUTE_NOTIFY_REQUEST] = "route-notify-request",
};

static const char *const zapi_route_note_names[] = {
    [ZAPI_ROUTE_FAIL_INSTALL] = "fail-install", [ZAPI_ROUTE_BETTER_ADMIN_WON] = "better-admin-won",
    [ZAPI_ROUTE_INSTALLED] = "installed",       [ZAPI_ROUTE_REMOVED] = "removed",
    [ZAPI_ROUTE_REMOVE_FAIL] = "remove-fail",
};

static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *zapi_command_name(uint16_t cmd)
{
	return name_of(zapi_command_names, N_NAMES(zapi_command_names), cmd);
}

const char *zapi_route_note_name(uint32_t note)
{
	return name_of(zapi_route_note_names, N_NAMES(zapi_route_note_names), note);
}

/* Address bytes of a family, 0 for any other (then refused). */
static size_t family_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* lib/prefix.h PSIZE: a route prefix carries only (plen + 7) / 8 bytes. */
static size_t prefix_size(uint8_t plen)
{
	return ((size_t)plen + 7) / 8;
}

/*
 * No bit set past plen. Zebra masks route prefixes (zebra/zebra_rib.c
 * apply_mask), so a host bit would make the route we track differ from the
 * route zebra installs; both directions refuse it.
 */
static bool prefix_is_masked(const struct ipaddr *a, uint8_t plen)
{
	size_t i, n = ipaddr_len(a);

	for (i = plen / 8; i < n; i++) {
		unsigned keep = i == (size_t)plen / 8 ? plen % 8 : 0;

		if (a->u.bytes[i] & (0xffu >> keep))
			return false;
	}
	return true;
}

int zapi_header_decode(const uint8_t *p, size_t len, struct zapi_header *h)
{
	struct buf b;
	uint8_t marker, version;

	/* lib/zclient.c zclient_create_header: length, marker, version, vrf, command. */
	buf_init(&b, p, len);
	if (buf_get_be16(&b, &h->length) < 0 || buf_get_u8(&b, &marker) < 0 ||
	    buf_get_u8(&b, &version) < 0 || buf_get_be32(&b, &h->vrf_id) < 0 ||
	    buf_get_be16(&b, &h->command) < 0)
		return -1;
	if (marker != ZAPI_MARKER || version != ZAPI_VERSION)
		return -1;
	/* Zebra's streams hold ZEBRA_MAX_PACKET_SIZ; anything longer is a desync. */
	if (h->length < ZAPI_HEADER_LEN || h->length > ZAPI_MAX_FRAME)
		return -1;
	return 0;
}

/* lib/zclient.c zapi_nexthop_decode: vrf_id u32, type u8, flags u8, by type. */
static int nexthop_decode(struct buf *b, struct zapi_nexthop *nh)
{
	size_t alen = 0;

	memset(nh, 0, sizeof(*nh));
	if (buf_get_be32(b, &nh->vrf_id) < 0 || buf_get_u8(b, &nh->type) < 0 ||
	    buf_get_u8(b, &nh->flags) < 0)
		return -1;
	if (nh->flags & ~ZAPI_NEXTHOP_FLAGS_KNOWN)
		return -1;
	switch (nh->type) {
	case ZAPI_NEXTHOP_BLACKHOLE:
		if (buf_get_u8(b, &nh->bh_type) < 0 || nh->bh_type > ZAPI_BLACKHOLE_MAX)
			return -1;
		return 0;
	case ZAPI_NEXTHOP_IFINDEX:
		return buf_get_be32(b, &nh->ifindex);
	case ZAPI_NEXTHOP_IPV4:
	case ZAPI_NEXTHOP_IPV4_IFINDEX:
		nh->gate.family = AF_INET;
		alen = 4;
		break;
	case ZAPI_NEXTHOP_IPV6:
	case ZAPI_NEXTHOP_IPV6_IFINDEX:
		nh->gate.family = AF_INET6;
		alen = 16;
		break;
	default:
		/* FRR reads nothing for an unknown type and goes on; we stop. */
		return -1;
	}
	/* An ifindex follows the gateway even for the types without one. */
	if (buf_get_bytes(b, nh->gate.u.bytes, alen) < 0 || buf_get_be32(b, &nh->ifindex) < 0)
		return -1;
	return 0;
}

int zapi_route_decode(const uint8_t *body, size_t len, struct zapi_route *r)
{
	struct buf b;
	uint8_t family;
	uint16_t count;
	size_t i;

	memset(r, 0, sizeof(*r));
	buf_init(&b, body, len);
	/* lib/zclient.c zapi_route_decode: type, instance, flags, message, safi. */
	if (buf_get_u8(&b, &r->type) < 0 || buf_get_be16(&b, &r->instance) < 0 ||
	    buf_get_be32(&b, &r->flags) < 0 || buf_get_be32(&b, &r->message) < 0 ||
	    buf_get_u8(&b, &r->safi) < 0)
		return -1;
	if (r->type >= ZAPI_ROUTE_TYPE_MAX || r->safi < ZAPI_SAFI_UNICAST ||
	    r->safi >= ZAPI_SAFI_MAX || (r->message & ~(uint32_t)ZAPI_MESSAGE_KNOWN))
		return -1;
	/* Then family u8, prefixlen u8 and PSIZE(prefixlen) bytes of prefix. */
	if (buf_get_u8(&b, &family) < 0 || buf_get_u8(&b, &r->prefixlen) < 0)
		return -1;
	if (family_len(family) == 0 || r->prefixlen > family_len(family) * 8)
		return -1;
	r->prefix.family = family;
	if (buf_get_bytes(&b, r->prefix.u.bytes, prefix_size(r->prefixlen)) < 0 ||
	    !prefix_is_masked(&r->prefix, r->prefixlen))
		return -1;
	/* SRCPFX and NHG would come here; both are refused above. */
	if (r->message & ZAPI_MESSAGE_NEXTHOP) {
		if (buf_get_be16(&b, &count) < 0)
			return -1;
		/* FRR allows MULTIPATH_NUM (Debian: 256) but we keep 8; none is no route. */
		if (count == 0 || count > ZAPI_MAX_NEXTHOPS)
			return -1;
		r->n_nexthops = count;
		for (i = 0; i < count; i++)
			if (nexthop_decode(&b, &r->nexthops[i]) < 0)
				return -1;
	}
	/* Attributes, in this order (BACKUP_NEXTHOPS would precede them). */
	if ((r->message & ZAPI_MESSAGE_DISTANCE) && buf_get_u8(&b, &r->distance) < 0)
		return -1;
	if ((r->message & ZAPI_MESSAGE_METRIC) && buf_get_be32(&b, &r->metric) < 0)
		return -1;
	if ((r->message & ZAPI_MESSAGE_TAG) && buf_get_be32(&b, &r->tag) < 0)
		return -1;
	if ((r->message & ZAPI_MESSAGE_MTU) && buf_get_be32(&b, &r->mtu) < 0)
		return -1;
	if ((r->message & ZAPI_MESSAGE_TABLEID) && buf_get_be32(&b, &r->table_id) < 0)
		return -1;
	/* OPAQUE would end the message; nothing else may. */
	return buf_remaining(&b) == 0 ? 0 : -1;
}

/*
 * zebra/zapi_msg.c route_notify_internal writes the note with
 * stream_put(&note, sizeof(note)): a 4-byte enum in zebra's host order,
 * little-endian on every Debian architecture FRR is built for here (amd64,
 * arm64). Read it as little-endian explicitly.
 */
static int get_le32(struct buf *b, uint32_t *v)
{
	const uint8_t *p;

	if (buf_get_ptr(b, &p, 4) < 0)
		return -1;
	*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return 0;
}

int zapi_route_notify_decode(const uint8_t *body, size_t len, struct zapi_route_notify *n)
{
	struct buf b;
	uint8_t family;

	memset(n, 0, sizeof(*n));
	buf_init(&b, body, len);
	if (get_le32(&b, &n->note) < 0 || n->note > ZAPI_ROUTE_REMOVE_FAIL)
		return -1;
	/* Then family, plen and the whole address (prefix_blen, not PSIZE). */
	if (buf_get_u8(&b, &family) < 0 || buf_get_u8(&b, &n->prefixlen) < 0)
		return -1;
	if (family_len(family) == 0 || n->prefixlen > family_len(family) * 8)
		return -1;
	n->prefix.family = family;
	if (buf_get_bytes(&b, n->prefix.u.bytes, family_len(family)) < 0)
		return -1;
	/* table u32, afi u8, safi u8. The afi is that of the route's table. */
	if (buf_get_be32(&b, &n->table_id) < 0 || buf_get_u8(&b, &n->afi) < 0 ||
	    buf_get_u8(&b, &n->safi) < 0)
		return -1;
	if (n->afi != (family == AF_INET ? ZAPI_AFI_IP : ZAPI_AFI_IP6) ||
	    n->safi < ZAPI_SAFI_UNICAST || n->safi >= ZAPI_SAFI_MAX)
		return -1;
	return buf_remaining(&b) == 0 ? 0 : -1;
}

/*
 * zebra/zapi_msg.c zserv_encode_interface (ADD, DELETE, UP and DOWN alike):
 * name[INTERFACE_NAMSIZ 16], ifindex u32, status u8, flags u64,
 * ptm_enable u8, ptm_status u8, metric, speed, mtu, mtu6, bandwidth,
 * link_ifindex, ll_type, hw_addr_len (u32 each), hw_addr, then
 * link_params_present u8. When that is 1, zebra appends the interface's TE
 * link parameters (lib/zclient.c zebra_interface_link_params_write: 96
 * bytes in 8.4, a layout that changes between releases); we do not use
 * them and skip whatever follows. Otherwise nothing may follow.
 */
int zapi_interface_decode(const uint8_t *body, size_t len, struct zapi_interface *i)
{
	struct buf b;
	uint8_t ptm_enable, ptm_status, link_params;

	memset(i, 0, sizeof(*i));
	buf_init(&b, body, len);
	if (buf_get_bytes(&b, i->name, ZAPI_IFNAMSIZ) < 0)
		return -1;
	i->name[ZAPI_IFNAMSIZ] = '\0';
	if (buf_get_be32(&b, &i->ifindex) < 0 || buf_get_u8(&b, &i->status) < 0 ||
	    buf_get_be64(&b, &i->flags) < 0 || buf_get_u8(&b, &ptm_enable) < 0 ||
	    buf_get_u8(&b, &ptm_status) < 0 || buf_get_be32(&b, &i->metric) < 0 ||
	    buf_get_be32(&b, &i->speed) < 0 || buf_get_be32(&b, &i->mtu) < 0 ||
	    buf_get_be32(&b, &i->mtu6) < 0 || buf_get_be32(&b, &i->bandwidth) < 0 ||
	    buf_get_be32(&b, &i->link_ifindex) < 0 || buf_get_be32(&b, &i->ll_type) < 0 ||
	    buf_get_be32(&b, &i->hw_len) < 0)
		return -1;
	/* zebra's struct interface holds hw_addr[INTERFACE_HWADDR_MAX]. */
	if (i->hw_len > ZAPI_HWADDR_MAX || buf_get_bytes(&b, i->hw_addr, i->hw_len) < 0)
		return -1;
	if (buf_get_u8(&b, &link_params) < 0 || link_params > 1)
		return -1;
	if (link_params == 0 && buf_remaining(&b) != 0)
		return -1;
	return 0;
}

/*
 * zebra/zapi_msg.c zsend_interface_address: ifindex u32, flags u8 (ZEBRA_IFA_*),
 * family u8, address (4 or 16 bytes), prefixlen u8, destination (as many
 * bytes, all zero when there is none: then dest is left unset).
 */
int zapi_if_address_decode(const uint8_t *body, size_t len, struct zapi_if_address *a)
{
	static const uint8_t zero[16];
	struct buf b;
	uint8_t family;
	size_t alen;

	memset(a, 0, sizeof(*a));
	buf_init(&b, body, len);
	if (buf_get_be32(&b, &a->ifindex) < 0 || buf_get_u8(&b, &a->flags) < 0 ||
	    buf_get_u8(&b, &family) < 0)
		return -1;
	alen = family_len(family);
	if (alen == 0)
		return -1;
	a->addr.family = family;
	if (buf_get_bytes(&b, a->addr.u.bytes, alen) < 0 || buf_get_u8(&b, &a->prefixlen) < 0)
		return -1;
	/* FRR's reader clamps a longer plen (zclient_stream_get_prefix); we refuse it. */
	if (a->prefixlen > alen * 8 || buf_get_bytes(&b, a->dest.u.bytes, alen) < 0)
		return -1;
	if (memcmp(a->dest.u.bytes, zero, alen) != 0)
		a->dest.family = family;
	return buf_remaining(&b) == 0 ? 0 : -1;
}

/* Encoding ---------------------------------------------------------------- */

/* lib/zclient.c zclient_create_header; the length is filled in by finish. */
static void put_header(struct wbuf *w, uint16_t command, uint32_t vrf_id)
{
	wbuf_put_be16(w, 0);
	wbuf_put_u8(w, ZAPI_MARKER);
	wbuf_put_u8(w, ZAPI_VERSION);
	wbuf_put_be32(w, vrf_id);
	wbuf_put_be16(w, command);
}

static size_t finish(struct wbuf *w)
{
	if (!wbuf_ok(w) || wbuf_len(w) > ZAPI_MAX_FRAME)
		return 0;
	wbuf_set_be16(w, 0, (uint16_t)wbuf_len(w));
	return wbuf_len(w);
}

/* lib/zclient.c zclient_send_hello: the HELLO's vrf_id is always 0. */
size_t zapi_encode_hello(uint8_t *out, size_t cap, uint8_t proto, uint16_t instance,
                         uint32_t session_id, bool receive_notify)
{
	struct wbuf w;

	if (proto >= ZAPI_ROUTE_TYPE_MAX)
		return 0;
	wbuf_init(&w, out, cap);
	put_header(&w, ZAPI_HELLO, 0);
	wbuf_put_u8(&w, proto);
	wbuf_put_be16(&w, instance);
	wbuf_put_be32(&w, session_id);
	wbuf_put_u8(&w, receive_notify ? 1 : 0);
	wbuf_put_u8(&w, 0); /* synchronous: no, we take CAPABILITIES and VRF updates */
	return finish(&w);
}

size_t zapi_encode_empty(uint8_t *out, size_t cap, uint16_t command, uint32_t vrf_id)
{
	struct wbuf w;

	wbuf_init(&w, out, cap);
	put_header(&w, command, vrf_id);
	return finish(&w);
}

/* What nexthop_decode would accept, and nothing it would read differently. */
static bool nexthop_ok(const struct zapi_nexthop *nh)
{
	sa_family_t want;

	if (nh->flags & ~ZAPI_NEXTHOP_FLAGS_KNOWN)
		return false;
	switch (nh->type) {
	case ZAPI_NEXTHOP_BLACKHOLE:
		return nh->gate.family == AF_UNSPEC && nh->ifindex == 0 &&
		       nh->bh_type <= ZAPI_BLACKHOLE_MAX;
	case ZAPI_NEXTHOP_IFINDEX:
		return nh->gate.family == AF_UNSPEC && nh->bh_type == 0;
	case ZAPI_NEXTHOP_IPV4:
	case ZAPI_NEXTHOP_IPV4_IFINDEX:
		want = AF_INET;
		break;
	case ZAPI_NEXTHOP_IPV6:
	case ZAPI_NEXTHOP_IPV6_IFINDEX:
		want = AF_INET6;
		break;
	default:
		return false;
	}
	return nh->gate.family == want && nh->bh_type == 0;
}

static bool route_ok(uint16_t command, const struct zapi_route *r)
{
	bool has_nh = r->message & ZAPI_MESSAGE_NEXTHOP;
	size_t i;

	if (command != ZAPI_ROUTE_ADD && command != ZAPI_ROUTE_DELETE)
		return false;
	/* lib/zclient.c zapi_route_encode refuses these types and safis too. */
	if (r->type >= ZAPI_ROUTE_TYPE_MAX || r->safi < ZAPI_SAFI_UNICAST ||
	    r->safi >= ZAPI_SAFI_MAX || (r->message & ~(uint32_t)ZAPI_MESSAGE_KNOWN))
		return false;
	if (ipaddr_len(&r->prefix) == 0 || r->prefixlen > ipaddr_len(&r->prefix) * 8 ||
	    !prefix_is_masked(&r->prefix, r->prefixlen))
		return false;
	/* zebra/zapi_msg.c zread_route_add drops an ADD without nexthops. */
	if (has_nh ? r->n_nexthops == 0 || r->n_nexthops > ZAPI_MAX_NEXTHOPS
	           : r->n_nexthops != 0 || command == ZAPI_ROUTE_ADD)
		return false;
	for (i = 0; i < r->n_nexthops; i++)
		if (!nexthop_ok(&r->nexthops[i]))
			return false;
	/* A value whose bit is clear would be lost: the caller forgot the bit. */
	if ((!(r->message & ZAPI_MESSAGE_DISTANCE) && r->distance) ||
	    (!(r->message & ZAPI_MESSAGE_METRIC) && r->metric) ||
	    (!(r->message & ZAPI_MESSAGE_TAG) && r->tag) ||
	    (!(r->message & ZAPI_MESSAGE_MTU) && r->mtu) ||
	    (!(r->message & ZAPI_MESSAGE_TABLEID) && r->table_id))
		return false;
	return true;
}

/* lib/zclient.c zapi_nexthop_encode, for the flags we allow (no extras). */
static void put_nexthop(struct wbuf *w, const struct zapi_nexthop *nh)
{
	wbuf_put_be32(w, nh->vrf_id);
	wbuf_put_u8(w, nh->type);
	wbuf_put_u8(w, nh->flags);
	switch (nh->type) {
	case ZAPI_NEXTHOP_BLACKHOLE:
		wbuf_put_u8(w, nh->bh_type);
		break;
	case ZAPI_NEXTHOP_IFINDEX:
		wbuf_put_be32(w, nh->ifindex);
		break;
	default: /* IPV4*, IPV6*: nexthop_ok checked the family */
		wbuf_put_bytes(w, nh->gate.u.bytes, ipaddr_len(&nh->gate));
		wbuf_put_be32(w, nh->ifindex);
		break;
	}
}

/*
 * lib/zclient.c zapi_route_encode. FRR sorts the nexthops first
 * (zapi_nexthop_group_sort) so that equal groups hash alike; zebra does not
 * need it, and we keep the caller's order so the bytes are predictable.
 */
size_t zapi_encode_route(uint8_t *out, size_t cap, uint16_t command, uint32_t vrf_id,
                         const struct zapi_route *r)
{
	struct wbuf w;
	size_t i;

	if (!route_ok(command, r))
		return 0;
	wbuf_init(&w, out, cap);
	put_header(&w, command, vrf_id);
	wbuf_put_u8(&w, r->type);
	wbuf_put_be16(&w, r->instance);
	wbuf_put_be32(&w, r->flags);
	wbuf_put_be32(&w, r->message);
	wbuf_put_u8(&w, r->safi);
	wbuf_put_u8(&w, (uint8_t)r->prefix.family);
	wbuf_put_u8(&w, r->prefixlen);
	wbuf_put_bytes(&w, r->prefix.u.bytes, prefix_size(r->prefixlen));
	if (r->message & ZAPI_MESSAGE_NEXTHOP) {
		wbuf_put_be16(&w, (uint16_t)r->n_nexthops);
		for (i = 0; i < r->n_nexthops; i++)
			put_nexthop(&w, &r->nexthops[i]);
	}
	if (r->message & ZAPI_MESSAGE_DISTANCE)
		wbuf_put_u8(&w, r->distance);
	if (r->message & ZAPI_MESSAGE_METRIC)
		wbuf_put_be32(&w, r->metric);
	if (r->message & ZAPI_MESSAGE_TAG)
		wbuf_put_be32(&w, r->tag);
	if (r->message & ZAPI_MESSAGE_MTU)
		wbuf_put_be32(&w, r->mtu);
	if (r->message & ZAPI_MESSAGE_TABLEID)
		wbuf_put_be32(&w, r->table_id);
	return finish(&w);
}

/*
 * lib/zclient.c zclient_capabilities_send: the header's vrf_id is 0; the
 * VRF the capability is about travels in the body
 * (zebra/zebra_gr.c zread_client_capabilities reads it from there).
 */
size_t zapi_encode_capabilities_gr(uint8_t *out, size_t cap, uint32_t stale_time, uint32_t vrf_id)
{
	struct wbuf w;

	wbuf_init(&w, out, cap);
	put_header(&w, ZAPI_CLIENT_CAPABILITIES, 0);
	wbuf_put_be32(&w, ZAPI_CAP_GR);
	wbuf_put_be32(&w, stale_time);
	wbuf_put_be32(&w, vrf_id);
	return finish(&w);
}

size_t zapi_encode_update_complete(uint8_t *out, size_t cap, uint32_t afi, uint32_t safi,
                                   uint32_t vrf_id)
{
	struct wbuf w;

	wbuf_init(&w, out, cap);
	put_header(&w, ZAPI_CLIENT_CAPABILITIES, 0);
	wbuf_put_be32(&w, ZAPI_CAP_UPDATE_COMPLETE);
	wbuf_put_be32(&w, afi);
	wbuf_put_be32(&w, safi);
	wbuf_put_be32(&w, vrf_id);
	return finish(&w);
}
