/*
 * ZAPI message codec (FRR 8.4, ZSERV_VERSION 6).
 *
 * The vectors were written out by hand, field by field, from the frr-8.4.4
 * sources (lib/zclient.c zclient_create_header, zclient_send_hello,
 * zapi_route_encode, zapi_nexthop_encode, zclient_capabilities_send;
 * zebra/zapi_msg.c route_notify_internal, zserv_encode_interface,
 * zsend_interface_address), not produced by the encoder, so a symmetric
 * mistake in encoder and decoder cannot pass. Decoding always reads a heap
 * copy of exactly the message's length, so ASan reports any read past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "routing/zapi_msg.h"

#define GUARD 0xA5
#define H     ZAPI_HEADER_LEN

/* HELLO: NHRP, instance 1, session 0, notifications wanted. */
static const uint8_t hello_frame[] = {
    0x00, 0x13,             /* length 19 */
    0xfe, 0x06,             /* marker, version 6 */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 (always, for HELLO) */
    0x00, 0x12,             /* command HELLO 18 */
    0x0c,                   /* proto: ZEBRA_ROUTE_NHRP 12 */
    0x00, 0x01,             /* instance 1 */
    0x00, 0x00, 0x00, 0x00, /* session_id 0 */
    0x01,                   /* receive_notify */
    0x00,                   /* synchronous: no */
};

/*
 * ROUTE_ADD 10.1.3.0/24 via 10.0.0.3 on ifindex 5, onlink, distance 10.
 * METRIC is left out: zebra takes an absent metric as 0
 * (zapi_route_decode zeroes the struct), so sending 0 adds only 4 bytes.
 */
static const uint8_t route_v4_add[] = {
    0x00, 0x2c,             /* length 44 */
    0xfe, 0x06,             /* marker, version */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 */
    0x00, 0x08,             /* ROUTE_ADD */
    0x0c,                   /* type NHRP */
    0x00, 0x01,             /* instance 1 */
    0x00, 0x00, 0x00, 0x01, /* flags ALLOW_RECURSION (as FRR's nhrpd sets) */
    0x00, 0x00, 0x00, 0x03, /* message NEXTHOP | DISTANCE */
    0x01,                   /* safi unicast */
    0x02,                   /* family AF_INET */
    0x18,                   /* prefixlen 24 */
    0x0a, 0x01, 0x03,       /* 10.1.3, PSIZE(24) = 3 bytes */
    0x00, 0x01,             /* 1 nexthop */
    0x00, 0x00, 0x00, 0x00, /*   vrf_id 0 */
    0x03,                   /*   type IPV4_IFINDEX */
    0x01,                   /*   flags ONLINK */
    0x0a, 0x00, 0x00, 0x03, /*   10.0.0.3 */
    0x00, 0x00, 0x00, 0x05, /*   ifindex 5 */
    0x0a,                   /* distance 10 */
};

/* ROUTE_DELETE of the same route: no NEXTHOP bit, no nexthops. */
static const uint8_t route_v4_del[] = {
    0x00, 0x1c,             /* length 28 */
    0xfe, 0x06,             /* marker, version */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 */
    0x00, 0x09,             /* ROUTE_DELETE */
    0x0c,                   /* type NHRP */
    0x00, 0x01,             /* instance 1 */
    0x00, 0x00, 0x00, 0x01, /* flags ALLOW_RECURSION */
    0x00, 0x00, 0x00, 0x02, /* message DISTANCE */
    0x01,                   /* safi unicast */
    0x02,                   /* AF_INET */
    0x18,                   /* /24 */
    0x0a, 0x01, 0x03,       /* 10.1.3 */
    0x0a,                   /* distance 10 */
};

/* ROUTE_ADD 2001:db8:3::/48 via 2001:db8:ffff::3 on ifindex 5, onlink. */
static const uint8_t route_v6_add[] = {
    0x00, 0x3b,                                     /* length 59 */
    0xfe, 0x06,                                     /* marker, version */
    0x00, 0x00, 0x00, 0x00,                         /* vrf_id 0 */
    0x00, 0x08,                                     /* ROUTE_ADD */
    0x0c,                                           /* type NHRP */
    0x00, 0x01,                                     /* instance 1 */
    0x00, 0x00, 0x00, 0x01,                         /* flags ALLOW_RECURSION */
    0x00, 0x00, 0x00, 0x03,                         /* message NEXTHOP | DISTANCE */
    0x01,                                           /* safi unicast */
    0x0a,                                           /* family AF_INET6 */
    0x30,                                           /* prefixlen 48 */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x03,             /* 2001:db8:3, PSIZE(48) = 6 */
    0x00, 0x01,                                     /* 1 nexthop */
    0x00, 0x00, 0x00, 0x00,                         /*   vrf_id 0 */
    0x05,                                           /*   type IPV6_IFINDEX */
    0x01,                                           /*   flags ONLINK */
    0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0x00, 0x00, /* 2001:db8:ffff:: */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, /*            ...3 */
    0x00, 0x00, 0x00, 0x05,                         /*   ifindex 5 */
    0x0a,                                           /* distance 10 */
};

/* ROUTE_ADD 10.99.0.0/16 to a blackhole (BLACKHOLE_NULL), nothing else. */
static const uint8_t route_bh_add[] = {
    0x00, 0x23,             /* length 35 */
    0xfe, 0x06,             /* marker, version */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 */
    0x00, 0x08,             /* ROUTE_ADD */
    0x0c,                   /* type NHRP */
    0x00, 0x00,             /* instance 0 */
    0x00, 0x00, 0x00, 0x00, /* flags 0 */
    0x00, 0x00, 0x00, 0x01, /* message NEXTHOP */
    0x01,                   /* safi unicast */
    0x02,                   /* AF_INET */
    0x10,                   /* /16 */
    0x0a, 0x63,             /* 10.99 */
    0x00, 0x01,             /* 1 nexthop */
    0x00, 0x00, 0x00, 0x00, /*   vrf_id 0 */
    0x06,                   /*   type BLACKHOLE */
    0x00,                   /*   flags 0 */
    0x01,                   /*   bh_type BLACKHOLE_NULL */
};

/*
 * Every attribute we carry: 0.0.0.0/0 in VRF 7, multicast safi, over two
 * nexthops (IFINDEX 5, and IPV4 10.0.0.9 whose ifindex is still written),
 * distance 250, metric 20, tag 0x01020304, mtu 1400, table 100.
 */
static const uint8_t route_full_add[] = {
    0x00, 0x43,             /* length 67 */
    0xfe, 0x06,             /* marker, version */
    0x00, 0x00, 0x00, 0x07, /* vrf_id 7 */
    0x00, 0x08,             /* ROUTE_ADD */
    0x0c,                   /* type NHRP */
    0x02, 0x03,             /* instance 0x0203 */
    0x00, 0x00, 0x00, 0x01, /* flags ALLOW_RECURSION */
    0x00, 0x00, 0x01, 0x1f, /* message TABLEID|MTU|TAG|METRIC|DISTANCE|NEXTHOP */
    0x02,                   /* safi multicast */
    0x02,                   /* AF_INET */
    0x00,                   /* /0: no prefix bytes */
    0x00, 0x02,             /* 2 nexthops */
    0x00, 0x00, 0x00, 0x00, /*   vrf_id 0 */
    0x01,                   /*   type IFINDEX */
    0x00,                   /*   flags 0 */
    0x00, 0x00, 0x00, 0x05, /*   ifindex 5 */
    0x00, 0x00, 0x00, 0x00, /*   vrf_id 0 */
    0x02,                   /*   type IPV4 */
    0x00,                   /*   flags 0 */
    0x0a, 0x00, 0x00, 0x09, /*   10.0.0.9 */
    0x00, 0x00, 0x00, 0x00, /*   ifindex 0 */
    0xfa,                   /* distance 250 */
    0x00, 0x00, 0x00, 0x14, /* metric 20 */
    0x01, 0x02, 0x03, 0x04, /* tag */
    0x00, 0x00, 0x05, 0x78, /* mtu 1400 */
    0x00, 0x00, 0x00, 0x64, /* table 100 */
};

/* ROUTE_NOTIFY_OWNER bodies: the note is a host-order (x86: LE) enum. */
static const uint8_t notify_installed[] = {
    0x02, 0x00, 0x00, 0x00, /* note INSTALLED 2, little-endian */
    0x02,                   /* AF_INET */
    0x18,                   /* /24 */
    0x0a, 0x01, 0x03, 0x00, /* 10.1.3.0: all 4 bytes (prefix_blen) */
    0x00, 0x00, 0x00, 0xfe, /* table 254 (main) */
    0x01,                   /* afi IP */
    0x01,                   /* safi unicast */
};

static const uint8_t notify_fail_v6[] = {
    0x00, 0x00, 0x00, 0x00,                         /* note FAIL_INSTALL 0 */
    0x0a,                                           /* AF_INET6 */
    0x30,                                           /* /48 */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x03, 0x00, 0x00, /* 2001:db8:3:: */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* all 16 bytes */
    0x00, 0x00, 0x00, 0xfe,                         /* table 254 */
    0x02,                                           /* afi IP6 */
    0x01,                                           /* safi unicast */
};

/* INTERFACE_UP body (zserv_encode_interface), "tun0", no link params. */
static const uint8_t if_tun0[] = {
    't',  'u',  'n',  '0',  0,    0,    0, 0, /* name[16] */
    0,    0,    0,    0,    0,    0,    0, 0, /* */
    0x00, 0x00, 0x00, 0x05,                   /* ifindex 5 */
    0x01,                                     /* status ZEBRA_INTERFACE_ACTIVE */
    0x00, 0x00, 0x00, 0x00,                   /* flags (u64): UP 0x1 | RUNNING 0x40 | */
    0x00, 0x01, 0x10, 0xc1,                   /* NOARP 0x80 | MULTICAST 0x1000 | LOWER_UP 0x10000 */
    0x00,                                     /* ptm_enable off */
    0x02,                                     /* ptm_status unknown */
    0x00, 0x00, 0x00, 0x00,                   /* metric 0 */
    0x00, 0x00, 0x00, 0x00,                   /* speed 0 */
    0x00, 0x00, 0x05, 0xc4,                   /* mtu 1476 */
    0x00, 0x00, 0x05, 0xc4,                   /* mtu6 1476 */
    0x00, 0x00, 0x00, 0x00,                   /* bandwidth 0 */
    0x00, 0x00, 0x00, 0x00,                   /* link_ifindex 0 */
    0x00, 0x00, 0x00, 0x01,                   /* ll_type ZEBRA_LLT_ETHER 1 */
    0x00, 0x00, 0x00, 0x06,                   /* hw_addr_len 6 */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x05,       /* hw_addr */
    0x00,                                     /* link_params_present 0 */
};

/* INTERFACE_ADDRESS_ADD body: 10.0.0.2/24 on ifindex 5, no peer. */
static const uint8_t addr_v4[] = {
    0x00, 0x00, 0x00, 0x05, /* ifindex 5 */
    0x00,                   /* flags 0 */
    0x02,                   /* AF_INET */
    0x0a, 0x00, 0x00, 0x02, /* 10.0.0.2 */
    0x18,                   /* /24 */
    0x00, 0x00, 0x00, 0x00, /* destination: none */
};

/* A point-to-point address: 10.0.0.2/32 peer 10.0.0.1, ZEBRA_IFA_PEER. */
static const uint8_t addr_v4_peer[] = {
    0x00, 0x00, 0x00, 0x05, /* ifindex 5 */
    0x02,                   /* flags ZEBRA_IFA_PEER */
    0x02,                   /* AF_INET */
    0x0a, 0x00, 0x00, 0x02, /* 10.0.0.2 */
    0x20,                   /* /32 */
    0x0a, 0x00, 0x00, 0x01, /* destination 10.0.0.1 */
};

/* 2001:db8::2/64 on ifindex 5, secondary. */
static const uint8_t addr_v6[] = {
    0x00, 0x00, 0x00, 0x05,                         /* ifindex 5 */
    0x01,                                           /* flags ZEBRA_IFA_SECONDARY */
    0x0a,                                           /* AF_INET6 */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 2001:db8:: */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /*        ::2 */
    0x40,                                           /* /64 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* destination: */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* none */
};

/* CLIENT_CAPABILITIES: graceful restart, stale time 120 s, VRF 0. */
static const uint8_t caps_gr[] = {
    0x00, 0x16,             /* length 22 */
    0xfe, 0x06,             /* marker, version */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 (zclient_capabilities_send) */
    0x00, 0x77,             /* CLIENT_CAPABILITIES 119 */
    0x00, 0x00, 0x00, 0x01, /* ZEBRA_CLIENT_GR_CAPABILITIES */
    0x00, 0x00, 0x00, 0x78, /* stale_removal_time 120 */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 */
};

/* CLIENT_CAPABILITIES: route update complete, afi IP, safi unicast, VRF 3. */
static const uint8_t caps_update_complete[] = {
    0x00, 0x1a,             /* length 26 */
    0xfe, 0x06,             /* marker, version */
    0x00, 0x00, 0x00, 0x00, /* vrf_id 0 in the header */
    0x00, 0x77,             /* CLIENT_CAPABILITIES */
    0x00, 0x00, 0x00, 0x02, /* ZEBRA_CLIENT_ROUTE_UPDATE_COMPLETE */
    0x00, 0x00, 0x00, 0x01, /* afi IP */
    0x00, 0x00, 0x00, 0x01, /* safi unicast */
    0x00, 0x00, 0x00, 0x03, /* vrf_id 3 */
};

/* INTERFACE_ADD request (asks for the dump), VRF 0. */
static const uint8_t empty_if_add[] = {
    0x00, 0x0a, 0xfe, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Helpers ----------------------------------------------------------------- */

static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return d;
}

static struct ipaddr addr(const char *s)
{
	struct ipaddr a;

	assert_int_equal(ipaddr_parse(s, &a), 0);
	return a;
}

static void assert_addr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	assert_int_equal(a->family, b->family);
	assert_memory_equal(a->u.bytes, b->u.bytes, sizeof(a->u.bytes));
}

static void assert_nexthop_equal(const struct zapi_nexthop *a, const struct zapi_nexthop *b)
{
	assert_int_equal(a->vrf_id, b->vrf_id);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->flags, b->flags);
	assert_addr_equal(&a->gate, &b->gate);
	assert_int_equal(a->ifindex, b->ifindex);
	assert_int_equal(a->bh_type, b->bh_type);
}

static void assert_route_equal(const struct zapi_route *a, const struct zapi_route *b)
{
	size_t i;

	assert_int_equal(a->type, b->type);
	assert_int_equal(a->instance, b->instance);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->message, b->message);
	assert_int_equal(a->safi, b->safi);
	assert_addr_equal(&a->prefix, &b->prefix);
	assert_int_equal(a->prefixlen, b->prefixlen);
	assert_int_equal(a->n_nexthops, b->n_nexthops);
	for (i = 0; i < a->n_nexthops; i++)
		assert_nexthop_equal(&a->nexthops[i], &b->nexthops[i]);
	assert_int_equal(a->distance, b->distance);
	assert_int_equal(a->metric, b->metric);
	assert_int_equal(a->tag, b->tag);
	assert_int_equal(a->mtu, b->mtu);
	assert_int_equal(a->table_id, b->table_id);
}

static int route_decode_copy(const uint8_t *p, size_t n, struct zapi_route *r)
{
	uint8_t *d = dup_exact(p, n);
	int rc = zapi_route_decode(d, n, r);

	free(d);
	return rc;
}

static int notify_decode_copy(const uint8_t *p, size_t n, struct zapi_route_notify *r)
{
	uint8_t *d = dup_exact(p, n);
	int rc = zapi_route_notify_decode(d, n, r);

	free(d);
	return rc;
}

static int if_decode_copy(const uint8_t *p, size_t n, struct zapi_interface *r)
{
	uint8_t *d = dup_exact(p, n);
	int rc = zapi_interface_decode(d, n, r);

	free(d);
	return rc;
}

static int addr_decode_copy(const uint8_t *p, size_t n, struct zapi_if_address *r)
{
	uint8_t *d = dup_exact(p, n);
	int rc = zapi_if_address_decode(d, n, r);

	free(d);
	return rc;
}

static int header_decode_copy(const uint8_t *p, size_t n, struct zapi_header *h)
{
	uint8_t *d = dup_exact(p, n);
	int rc = zapi_header_decode(d, n, h);

	free(d);
	return rc;
}

/* Route vectors and the structs they stand for ------------------------------ */

static void want_v4_add(struct zapi_route *r)
{
	memset(r, 0, sizeof(*r));
	r->type = ZAPI_ROUTE_NHRP;
	r->instance = 1;
	r->flags = ZAPI_FLAG_ALLOW_RECURSION;
	r->message = ZAPI_MESSAGE_NEXTHOP | ZAPI_MESSAGE_DISTANCE;
	r->safi = ZAPI_SAFI_UNICAST;
	r->prefix = addr("10.1.3.0");
	r->prefixlen = 24;
	r->n_nexthops = 1;
	r->nexthops[0].type = ZAPI_NEXTHOP_IPV4_IFINDEX;
	r->nexthops[0].flags = ZAPI_NEXTHOP_FLAG_ONLINK;
	r->nexthops[0].gate = addr("10.0.0.3");
	r->nexthops[0].ifindex = 5;
	r->distance = 10;
}

static void want_v4_del(struct zapi_route *r)
{
	want_v4_add(r);
	r->message = ZAPI_MESSAGE_DISTANCE;
	r->n_nexthops = 0;
	memset(r->nexthops, 0, sizeof(r->nexthops));
}

static void want_v6_add(struct zapi_route *r)
{
	want_v4_add(r);
	r->prefix = addr("2001:db8:3::");
	r->prefixlen = 48;
	r->nexthops[0].type = ZAPI_NEXTHOP_IPV6_IFINDEX;
	r->nexthops[0].gate = addr("2001:db8:ffff::3");
}

static void want_bh_add(struct zapi_route *r)
{
	memset(r, 0, sizeof(*r));
	r->type = ZAPI_ROUTE_NHRP;
	r->message = ZAPI_MESSAGE_NEXTHOP;
	r->safi = ZAPI_SAFI_UNICAST;
	r->prefix = addr("10.99.0.0");
	r->prefixlen = 16;
	r->n_nexthops = 1;
	r->nexthops[0].type = ZAPI_NEXTHOP_BLACKHOLE;
	r->nexthops[0].bh_type = 1;
}

static void want_full_add(struct zapi_route *r)
{
	memset(r, 0, sizeof(*r));
	r->type = ZAPI_ROUTE_NHRP;
	r->instance = 0x0203;
	r->flags = ZAPI_FLAG_ALLOW_RECURSION;
	r->message = ZAPI_MESSAGE_NEXTHOP | ZAPI_MESSAGE_DISTANCE | ZAPI_MESSAGE_METRIC |
	             ZAPI_MESSAGE_TAG | ZAPI_MESSAGE_MTU | ZAPI_MESSAGE_TABLEID;
	r->safi = 2;
	r->prefix = addr("0.0.0.0");
	r->prefixlen = 0;
	r->n_nexthops = 2;
	r->nexthops[0].type = ZAPI_NEXTHOP_IFINDEX;
	r->nexthops[0].ifindex = 5;
	r->nexthops[1].type = ZAPI_NEXTHOP_IPV4;
	r->nexthops[1].gate = addr("10.0.0.9");
	r->distance = 250;
	r->metric = 20;
	r->tag = 0x01020304;
	r->mtu = 1400;
	r->table_id = 100;
}

struct route_vec {
	const uint8_t *frame;
	size_t len;
	uint16_t command;
	uint32_t vrf_id;
	void (*want)(struct zapi_route *r);
};

#define RVEC(f, c, v, w)                                                                           \
	{                                                                                          \
		.frame = (f), .len = sizeof(f), .command = (c), .vrf_id = (v), .want = (w)         \
	}

static const struct route_vec rv_v4_add = RVEC(route_v4_add, ZAPI_ROUTE_ADD, 0, want_v4_add);
static const struct route_vec rv_v4_del = RVEC(route_v4_del, ZAPI_ROUTE_DELETE, 0, want_v4_del);
static const struct route_vec rv_v6_add = RVEC(route_v6_add, ZAPI_ROUTE_ADD, 0, want_v6_add);
static const struct route_vec rv_bh_add = RVEC(route_bh_add, ZAPI_ROUTE_ADD, 0, want_bh_add);
static const struct route_vec rv_full_add = RVEC(route_full_add, ZAPI_ROUTE_ADD, 7, want_full_add);

static const struct route_vec *const all_routes[] = {
    &rv_v4_add, &rv_v4_del, &rv_v6_add, &rv_bh_add, &rv_full_add,
};
#define N_ROUTES (sizeof(all_routes) / sizeof(all_routes[0]))

/* Encode into a guarded buffer of exactly cap bytes; nothing past cap moves. */
static size_t encode_route_guarded(const struct route_vec *v, const struct zapi_route *r,
                                   size_t cap, uint8_t *out, size_t outsz)
{
	size_t n, k;

	memset(out, GUARD, outsz);
	n = zapi_encode_route(out, cap, v->command, v->vrf_id, r);
	for (k = cap; k < outsz; k++)
		assert_int_equal(out[k], GUARD);
	return n;
}

/* Tests -------------------------------------------------------------------- */

static void test_hello(void **state)
{
	uint8_t out[64];
	size_t cap, k;

	(void)state;
	memset(out, GUARD, sizeof(out));
	assert_int_equal(zapi_encode_hello(out, sizeof(out), ZAPI_ROUTE_NHRP, 1, 0, true),
	                 sizeof(hello_frame));
	assert_memory_equal(out, hello_frame, sizeof(hello_frame));
	/* receive_notify false flips exactly that byte. */
	assert_int_equal(zapi_encode_hello(out, sizeof(out), ZAPI_ROUTE_NHRP, 1, 0, false),
	                 sizeof(hello_frame));
	assert_int_equal(out[17], 0);
	/* Byte order of instance and session. */
	assert_int_equal(zapi_encode_hello(out, sizeof(out), 12, 0x0102, 0x03040506, true), 19);
	assert_memory_equal(out + 11, ((const uint8_t[]){1, 2, 3, 4, 5, 6}), 6);
	for (cap = 0; cap < sizeof(hello_frame); cap++) {
		memset(out, GUARD, sizeof(out));
		assert_int_equal(zapi_encode_hello(out, cap, ZAPI_ROUTE_NHRP, 1, 0, true), 0);
		for (k = cap; k < sizeof(out); k++)
			assert_int_equal(out[k], GUARD);
	}
	/* zapi_route_decode refuses type >= ZEBRA_ROUTE_MAX 31; so do we. */
	assert_int_equal(zapi_encode_hello(out, sizeof(out), 31, 1, 0, true), 0);
}

static void test_empty(void **state)
{
	uint8_t out[32];
	size_t cap;

	(void)state;
	assert_int_equal(zapi_encode_empty(out, sizeof(out), ZAPI_INTERFACE_ADD, 0),
	                 sizeof(empty_if_add));
	assert_memory_equal(out, empty_if_add, sizeof(empty_if_add));
	assert_int_equal(zapi_encode_empty(out, sizeof(out), ZAPI_ROUTER_ID_ADD, 0x01020304), 10);
	assert_memory_equal(out, ((const uint8_t[]){0, 10, 0xfe, 6, 1, 2, 3, 4, 0, 15}), 10);
	for (cap = 0; cap < ZAPI_HEADER_LEN; cap++)
		assert_int_equal(zapi_encode_empty(out, cap, ZAPI_INTERFACE_ADD, 0), 0);
}

/* Known bytes decode to the struct and encode back; every cut is refused. */
static void test_route_vector(void **state)
{
	const struct route_vec *v = *state;
	uint8_t out[128];
	struct zapi_route want, got, again;
	struct zapi_header h;
	size_t n, cap;

	v->want(&want);
	assert_int_equal(header_decode_copy(v->frame, v->len, &h), 0);
	assert_int_equal(h.length, v->len);
	assert_int_equal(h.command, v->command);
	assert_int_equal(h.vrf_id, v->vrf_id);

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(route_decode_copy(v->frame + H, v->len - H, &got), 0);
	assert_route_equal(&got, &want);

	/* The hand-built struct encodes to the vector. */
	n = encode_route_guarded(v, &want, v->len, out, sizeof(out));
	assert_int_equal(n, v->len);
	assert_memory_equal(out, v->frame, v->len);

	/* Round trip: decoded -> encoded -> decoded again, equal. */
	n = encode_route_guarded(v, &got, sizeof(out), out, sizeof(out));
	assert_int_equal(n, v->len);
	assert_memory_equal(out, v->frame, v->len);
	assert_int_equal(route_decode_copy(out + H, n - H, &again), 0);
	assert_route_equal(&again, &got);

	/* Every truncation of the body is refused, and so is one byte more. */
	for (n = 0; n < v->len - H; n++)
		assert_int_equal(route_decode_copy(v->frame + H, n, &got), -1);
	memcpy(out, v->frame, v->len);
	out[v->len] = 0;
	assert_int_equal(route_decode_copy(out + H, v->len - H + 1, &got), -1);

	/* Every capacity short of the frame is refused, writing nothing past it. */
	for (cap = 0; cap < v->len; cap++)
		assert_int_equal(encode_route_guarded(v, &want, cap, out, sizeof(out)), 0);
}

static void test_route_decode_refusals(void **state)
{
	const size_t b = H; /* body offset in route_v4_add */
	uint8_t p[128];
	struct zapi_route r;
	size_t n = sizeof(route_v4_add) - H;
	static const struct {
		size_t off; /* from the start of the body */
		uint8_t val;
	} bad[] = {
	    {0, 31},    /* type ZEBRA_ROUTE_MAX */
	    {0, 0xff},  /* type */
	    {10, 0x20}, /* message SRCPFX */
	    {10, 0x43}, /* BACKUP_NEXTHOPS */
	    {10, 0x83}, /* NHG */
	    {9, 0x02},  /* SRTE 0x200 */
	    {9, 0x04},  /* OPAQUE 0x400 */
	    {7, 0x80},  /* an undefined bit */
	    {11, 0},    /* safi 0 */
	    {11, 8},    /* safi SAFI_MAX */
	    {12, 0},    /* family AF_UNSPEC */
	    {12, 7},    /* family 7 */
	    {12, 28},   /* family 28 (AF_MPLS) */
	    {13, 33},   /* /33 */
	    {13, 0xff}, /* /255 */
	    {18, 0x00}, /* 0 nexthops with the NEXTHOP bit */
	    {18, 0x09}, /* 9 nexthops > ZAPI_MAX_NEXTHOPS */
	    {17, 0x01}, /* 257 nexthops */
	    {23, 0},    /* nexthop type 0 */
	    {23, 7},    /* nexthop type 7 */
	    {24, 0x02}, /* nexthop flag LABEL */
	    {24, 0x05}, /* WEIGHT | ONLINK */
	    {24, 0x08}, /* HAS_BACKUP */
	    {24, 0x10}, /* SEG6 */
	    {24, 0x20}, /* SEG6LOCAL */
	    {24, 0x40}, /* EVPN */
	    {24, 0x80}, /* undefined */
	    {23, 0x06}, /* BLACKHOLE: bh_type 10 > ADMINPROHIB, then bytes left */
	    {23, 0x01}, /* IFINDEX: reads 10.0.0.3 as ifindex, then bytes left */
	    {23, 0x05}, /* IPV6_IFINDEX: runs past the end */
	};
	size_t i;

	(void)state;
	/* Control: the same edit machinery on a harmless byte (distance 11). */
	memcpy(p, route_v4_add, sizeof(route_v4_add));
	p[b + 33] = 11;
	assert_int_equal(route_decode_copy(p + b, n, &r), 0);
	assert_int_equal(r.distance, 11);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(p, route_v4_add, sizeof(route_v4_add));
		p[b + bad[i].off] = bad[i].val;
		assert_int_equal(route_decode_copy(p + b, n, &r), -1);
	}
	/* A host bit past /24: 10.1.3 is whole bytes, so make it /23 with .3. */
	memcpy(p, route_v4_add, sizeof(route_v4_add));
	p[b + 13] = 23;
	assert_int_equal(route_decode_copy(p + b, n, &r), -1);
	p[b + 16] = 0x02; /* 10.1.2.0/23 is fine */
	assert_int_equal(route_decode_copy(p + b, n, &r), 0);
	assert_int_equal(r.prefixlen, 23);
	/* /0 with NEXTHOP clear and nothing else is a valid delete body. */
	{
		static const uint8_t del0[] = {0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0};

		assert_int_equal(route_decode_copy(del0, sizeof(del0), &r), 0);
		assert_int_equal(r.prefixlen, 0);
		assert_int_equal(r.n_nexthops, 0);
	}
	/* Blackhole types 0..3 are known; 4 is not. */
	memcpy(p, route_bh_add, sizeof(route_bh_add));
	p[sizeof(route_bh_add) - 1] = 3;
	assert_int_equal(route_decode_copy(p + b, sizeof(route_bh_add) - b, &r), 0);
	p[sizeof(route_bh_add) - 1] = 4;
	assert_int_equal(route_decode_copy(p + b, sizeof(route_bh_add) - b, &r), -1);
	/* IPv6 /129. */
	memcpy(p, route_v6_add, sizeof(route_v6_add));
	p[b + 13] = 129;
	assert_int_equal(route_decode_copy(p + b, sizeof(route_v6_add) - b, &r), -1);
}

/* A full 8-nexthop route decodes; it is the most we accept. */
static void test_route_max_nexthops(void **state)
{
	struct zapi_route r, got;
	uint8_t out[512];
	size_t n, i;

	(void)state;
	want_v4_add(&r);
	r.n_nexthops = ZAPI_MAX_NEXTHOPS;
	for (i = 0; i < ZAPI_MAX_NEXTHOPS; i++) {
		r.nexthops[i] = r.nexthops[0];
		r.nexthops[i].ifindex = (uint32_t)(i + 1);
	}
	n = zapi_encode_route(out, sizeof(out), ZAPI_ROUTE_ADD, 0, &r);
	assert_int_equal(n, sizeof(route_v4_add) + 7 * 14);
	assert_int_equal(route_decode_copy(out + H, n - H, &got), 0);
	assert_route_equal(&got, &r);
	r.n_nexthops = ZAPI_MAX_NEXTHOPS + 1;
	assert_int_equal(zapi_encode_route(out, sizeof(out), ZAPI_ROUTE_ADD, 0, &r), 0);
}

static void test_route_encode_refusals(void **state)
{
	uint8_t out[256];
	struct zapi_route r;

	(void)state;
#define REFUSED(cmd, edit)                                                                         \
	do {                                                                                       \
		want_v4_add(&r);                                                                   \
		edit;                                                                              \
		assert_int_equal(zapi_encode_route(out, sizeof(out), (cmd), 0, &r), 0);            \
	} while (0)
	/* The unedited struct is fine, as ADD and as DELETE. */
	want_v4_add(&r);
	assert_int_not_equal(zapi_encode_route(out, sizeof(out), ZAPI_ROUTE_ADD, 0, &r), 0);
	assert_int_not_equal(zapi_encode_route(out, sizeof(out), ZAPI_ROUTE_DELETE, 0, &r), 0);

	REFUSED(ZAPI_ROUTE_NOTIFY_OWNER, (void)0);
	REFUSED(ZAPI_HELLO, (void)0);
	REFUSED(ZAPI_ROUTE_ADD, r.type = 31);
	REFUSED(ZAPI_ROUTE_ADD, r.safi = 0);
	REFUSED(ZAPI_ROUTE_ADD, r.safi = 8);
	REFUSED(ZAPI_ROUTE_ADD, r.message |= 0x20);  /* SRCPFX */
	REFUSED(ZAPI_ROUTE_ADD, r.message |= 0x400); /* OPAQUE */
	REFUSED(ZAPI_ROUTE_ADD, r.prefix.family = AF_UNSPEC);
	REFUSED(ZAPI_ROUTE_ADD, r.prefix.family = AF_INET + 256);
	REFUSED(ZAPI_ROUTE_ADD, r.prefixlen = 33);
	REFUSED(ZAPI_ROUTE_ADD, r.prefixlen = 16);        /* 10.1.3.0/16: host bits */
	REFUSED(ZAPI_ROUTE_ADD, r.prefix.u.bytes[3] = 1); /* 10.1.3.1/24 */
	REFUSED(ZAPI_ROUTE_ADD, r.message &= ~1u);        /* ADD without nexthops */
	REFUSED(ZAPI_ROUTE_DELETE, r.message &= ~1u);     /* nexthops without the bit */
	REFUSED(ZAPI_ROUTE_ADD, r.n_nexthops = 0);        /* the bit without nexthops */
	REFUSED(ZAPI_ROUTE_ADD, r.n_nexthops = ZAPI_MAX_NEXTHOPS + 1);
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].type = 0);
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].type = 7);
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].flags = 0x02); /* LABEL */
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].gate = addr("2001:db8::1"));
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].gate.family = AF_UNSPEC);
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].type = ZAPI_NEXTHOP_IPV6_IFINDEX);
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].type = ZAPI_NEXTHOP_IFINDEX); /* with a gate */
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].bh_type = 1);
	REFUSED(ZAPI_ROUTE_ADD, r.nexthops[0].type = ZAPI_NEXTHOP_BLACKHOLE);
	REFUSED(ZAPI_ROUTE_ADD, (r.nexthops[0].type = ZAPI_NEXTHOP_BLACKHOLE,
	                         r.nexthops[0].gate.family = AF_UNSPEC)); /* ifindex 5 */
	REFUSED(ZAPI_ROUTE_ADD,
	        (r.nexthops[0].type = ZAPI_NEXTHOP_BLACKHOLE, r.nexthops[0].gate.family = AF_UNSPEC,
	         r.nexthops[0].ifindex = 0, r.nexthops[0].bh_type = 4));
	/* A value whose message bit is clear would be lost. */
	REFUSED(ZAPI_ROUTE_ADD, r.metric = 1);
	REFUSED(ZAPI_ROUTE_ADD, r.tag = 1);
	REFUSED(ZAPI_ROUTE_ADD, r.mtu = 1);
	REFUSED(ZAPI_ROUTE_ADD, r.table_id = 1);
	REFUSED(ZAPI_ROUTE_ADD, r.message &= ~(uint32_t)ZAPI_MESSAGE_DISTANCE);
#undef REFUSED
	/* An IPv6 nexthop for an IPv4 prefix (RFC 5549) is zebra's to judge. */
	want_v4_add(&r);
	r.nexthops[0].type = ZAPI_NEXTHOP_IPV6_IFINDEX;
	r.nexthops[0].gate = addr("fe80::1");
	assert_int_not_equal(zapi_encode_route(out, sizeof(out), ZAPI_ROUTE_ADD, 0, &r), 0);
}

struct notify_vec {
	const uint8_t *body;
	size_t len;
	uint32_t note;
	const char *prefix;
	uint8_t prefixlen, afi;
};

static const struct notify_vec nv_installed = {
    notify_installed, sizeof(notify_installed), ZAPI_ROUTE_INSTALLED, "10.1.3.0", 24, 1};
static const struct notify_vec nv_fail = {
    notify_fail_v6, sizeof(notify_fail_v6), ZAPI_ROUTE_FAIL_INSTALL, "2001:db8:3::", 48, 2};

static void test_notify_vector(void **state)
{
	const struct notify_vec *v = *state;
	struct zapi_route_notify n;
	struct ipaddr want = addr(v->prefix);
	size_t len;

	memset(&n, 0x55, sizeof(n));
	assert_int_equal(notify_decode_copy(v->body, v->len, &n), 0);
	assert_int_equal(n.note, v->note);
	assert_addr_equal(&n.prefix, &want);
	assert_int_equal(n.prefixlen, v->prefixlen);
	assert_int_equal(n.table_id, 254);
	assert_int_equal(n.afi, v->afi);
	assert_int_equal(n.safi, ZAPI_SAFI_UNICAST);
	for (len = 0; len < v->len; len++)
		assert_int_equal(notify_decode_copy(v->body, len, &n), -1);
}

static void test_notify_refusals(void **state)
{
	uint8_t p[sizeof(notify_installed) + 1];
	struct zapi_route_notify n;
	static const struct {
		size_t off;
		uint8_t val;
	} bad[] = {
	    {0, 5},  /* note past REMOVE_FAIL */
	    {3, 2},  /* note 0x02000002: the big-endian reading of INSTALLED is not a note */
	    {4, 0},  /* family AF_UNSPEC */
	    {4, 10}, /* AF_INET6 with a 4-byte address: runs out */
	    {5, 33}, /* /33 */
	    {14, 2}, /* afi IP6 for an IPv4 prefix */
	    {14, 0}, /* afi 0 */
	    {15, 0}, /* safi 0 */
	    {15, 8}, /* safi SAFI_MAX */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(p, notify_installed, sizeof(notify_installed));
		p[bad[i].off] = bad[i].val;
		assert_int_equal(notify_decode_copy(p, sizeof(notify_installed), &n), -1);
	}
	/* Nothing may follow. */
	memcpy(p, notify_installed, sizeof(notify_installed));
	p[sizeof(notify_installed)] = 0;
	assert_int_equal(notify_decode_copy(p, sizeof(p), &n), -1);
	/* Every known note decodes, little-endian. */
	for (i = 0; i <= ZAPI_ROUTE_REMOVE_FAIL; i++) {
		memcpy(p, notify_installed, sizeof(notify_installed));
		p[0] = (uint8_t)i;
		assert_int_equal(notify_decode_copy(p, sizeof(notify_installed), &n), 0);
		assert_int_equal(n.note, i);
	}
}

static void test_interface(void **state)
{
	uint8_t p[sizeof(if_tun0) + 96];
	struct zapi_interface i;
	size_t n;

	(void)state;
	memset(&i, 0x55, sizeof(i));
	assert_int_equal(if_decode_copy(if_tun0, sizeof(if_tun0), &i), 0);
	assert_string_equal(i.name, "tun0");
	assert_int_equal(i.ifindex, 5);
	assert_int_equal(i.status, 1);
	assert_int_equal(i.flags, 0x1 | 0x40 | 0x80 | 0x1000 | 0x10000);
	assert_int_equal(i.metric, 0);
	assert_int_equal(i.speed, 0);
	assert_int_equal(i.mtu, 1476);
	assert_int_equal(i.mtu6, 1476);
	assert_int_equal(i.bandwidth, 0);
	assert_int_equal(i.link_ifindex, 0);
	assert_int_equal(i.ll_type, 1);
	assert_int_equal(i.hw_len, 6);
	assert_memory_equal(i.hw_addr, ((const uint8_t[]){2, 0, 0, 0, 0, 5}), 6);
	for (n = 0; n < sizeof(if_tun0); n++)
		assert_int_equal(if_decode_copy(if_tun0, n, &i), -1);

	/* A name of all 16 bytes still ends in NUL. */
	memcpy(p, if_tun0, sizeof(if_tun0));
	memset(p, 'x', 16);
	assert_int_equal(if_decode_copy(p, sizeof(if_tun0), &i), 0);
	assert_int_equal(strlen(i.name), 16);

	/* No link params: nothing may follow. */
	memcpy(p, if_tun0, sizeof(if_tun0));
	p[sizeof(if_tun0)] = 0;
	assert_int_equal(if_decode_copy(p, sizeof(if_tun0) + 1, &i), -1);
	/* link_params_present is 0 or 1. */
	p[sizeof(if_tun0) - 1] = 2;
	assert_int_equal(if_decode_copy(p, sizeof(if_tun0), &i), -1);
	/* With link params (96 bytes in 8.4), whatever follows is skipped. */
	p[sizeof(if_tun0) - 1] = 1;
	memset(p + sizeof(if_tun0), 0x77, 96);
	assert_int_equal(if_decode_copy(p, sizeof(p), &i), 0);
	assert_int_equal(i.mtu, 1476);
	assert_int_equal(if_decode_copy(p, sizeof(if_tun0), &i), 0);

	/* hw_addr_len up to INTERFACE_HWADDR_MAX 20 only. */
	memcpy(p, if_tun0, sizeof(if_tun0));
	p[62] = 21; /* hw_addr_len at 59..62 */
	memset(p + 63, 0, 22);
	assert_int_equal(if_decode_copy(p, 63 + 22, &i), -1);
	p[62] = 20;
	assert_int_equal(if_decode_copy(p, 63 + 21, &i), 0);
	assert_int_equal(i.hw_len, 20);
	/* A GRE tunnel's 4-byte address (ll_type ZEBRA_LLT_IPGRE 35 at 55..58). */
	memcpy(p, if_tun0, 55);
	memcpy(p + 55, ((const uint8_t[]){0, 0, 0, 35, 0, 0, 0, 4, 192, 0, 2, 1, 0}), 13);
	assert_int_equal(if_decode_copy(p, 68, &i), 0);
	assert_int_equal(i.ll_type, 35);
	assert_int_equal(i.hw_len, 4);
	assert_memory_equal(i.hw_addr, ((const uint8_t[]){192, 0, 2, 1}), 4);
	assert_int_equal(if_decode_copy(p, 67, &i), -1);
	assert_int_equal(if_decode_copy(p, 69, &i), -1);
}

struct addr_vec {
	const uint8_t *body;
	size_t len;
	uint8_t flags;
	const char *addr;
	uint8_t prefixlen;
	const char *dest; /* NULL: none */
};

static const struct addr_vec av_v4 = {addr_v4, sizeof(addr_v4), 0, "10.0.0.2", 24, NULL};
static const struct addr_vec av_v4_peer = {addr_v4_peer, sizeof(addr_v4_peer), 2, "10.0.0.2", 32,
                                           "10.0.0.1"};
static const struct addr_vec av_v6 = {addr_v6, sizeof(addr_v6), 1, "2001:db8::2", 64, NULL};

static void test_address_vector(void **state)
{
	const struct addr_vec *v = *state;
	struct zapi_if_address a;
	struct ipaddr want = addr(v->addr), dest;
	size_t n;

	memset(&dest, 0, sizeof(dest));
	if (v->dest)
		dest = addr(v->dest);
	memset(&a, 0x55, sizeof(a));
	assert_int_equal(addr_decode_copy(v->body, v->len, &a), 0);
	assert_int_equal(a.ifindex, 5);
	assert_int_equal(a.flags, v->flags);
	assert_addr_equal(&a.addr, &want);
	assert_int_equal(a.prefixlen, v->prefixlen);
	assert_addr_equal(&a.dest, &dest);
	for (n = 0; n < v->len; n++)
		assert_int_equal(addr_decode_copy(v->body, n, &a), -1);
}

static void test_address_refusals(void **state)
{
	uint8_t p[sizeof(addr_v6) + 1];
	struct zapi_if_address a;

	(void)state;
	memcpy(p, addr_v4, sizeof(addr_v4));
	p[5] = 7; /* family */
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v4), &a), -1);
	p[5] = 0;
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v4), &a), -1);
	p[5] = 10; /* AF_INET6 in 15 bytes */
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v4), &a), -1);
	memcpy(p, addr_v4, sizeof(addr_v4));
	p[10] = 33;
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v4), &a), -1);
	p[10] = 32;
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v4), &a), 0);
	p[sizeof(addr_v4)] = 0;
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v4) + 1, &a), -1);
	memcpy(p, addr_v6, sizeof(addr_v6));
	p[22] = 129;
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v6), &a), -1);
	p[22] = 128;
	assert_int_equal(addr_decode_copy(p, sizeof(addr_v6), &a), 0);
}

static void test_capabilities(void **state)
{
	uint8_t out[64];
	size_t cap, k;

	(void)state;
	memset(out, GUARD, sizeof(out));
	assert_int_equal(zapi_encode_capabilities_gr(out, sizeof(out), 120, 0), sizeof(caps_gr));
	assert_memory_equal(out, caps_gr, sizeof(caps_gr));
	assert_int_equal(zapi_encode_update_complete(out, sizeof(out), 1, 1, 3),
	                 sizeof(caps_update_complete));
	assert_memory_equal(out, caps_update_complete, sizeof(caps_update_complete));
	for (cap = 0; cap < sizeof(caps_gr); cap++) {
		memset(out, GUARD, sizeof(out));
		assert_int_equal(zapi_encode_capabilities_gr(out, cap, 120, 0), 0);
		for (k = cap; k < sizeof(out); k++)
			assert_int_equal(out[k], GUARD);
	}
	for (cap = 0; cap < sizeof(caps_update_complete); cap++) {
		memset(out, GUARD, sizeof(out));
		assert_int_equal(zapi_encode_update_complete(out, cap, 1, 1, 3), 0);
		for (k = cap; k < sizeof(out); k++)
			assert_int_equal(out[k], GUARD);
	}
}

static void test_header(void **state)
{
	/* The header of a ROUTE_NOTIFY_OWNER for notify_installed, VRF 0x01020304. */
	static const uint8_t good[] = {0x00, 0x1a, 0xfe, 0x06, 0x01, 0x02,
	                               0x03, 0x04, 0x00, 0x0a, 0xee};
	uint8_t p[sizeof(good)];
	struct zapi_header h;
	size_t n;

	(void)state;
	memset(&h, 0x55, sizeof(h));
	assert_int_equal(header_decode_copy(good, ZAPI_HEADER_LEN, &h), 0);
	assert_int_equal(h.length, 26);
	assert_int_equal(h.vrf_id, 0x01020304);
	assert_int_equal(h.command, ZAPI_ROUTE_NOTIFY_OWNER);
	/* Bytes after the header are not the header's business. */
	assert_int_equal(header_decode_copy(good, sizeof(good), &h), 0);
	for (n = 0; n < ZAPI_HEADER_LEN; n++)
		assert_int_equal(header_decode_copy(good, n, &h), -1);

	memcpy(p, good, sizeof(good));
	p[2] = 0xff; /* marker */
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), -1);
	memcpy(p, good, sizeof(good));
	p[3] = 5; /* version 5 (FRR 7.x) */
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), -1);
	p[3] = 7;
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), -1);
	memcpy(p, good, sizeof(good));
	p[1] = 9; /* length < 10 */
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), -1);
	p[1] = 0;
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), -1);
	p[1] = 10; /* exactly a header */
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), 0);
	assert_int_equal(h.length, 10);
	p[0] = 0x40; /* 16384 = ZEBRA_MAX_PACKET_SIZ */
	p[1] = 0x00;
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), 0);
	p[1] = 0x01; /* one more */
	assert_int_equal(header_decode_copy(p, ZAPI_HEADER_LEN, &h), -1);
}

/*
 * Every single bit flipped in every decoded vector: the decoder never reads
 * out of bounds, and a route it still accepts re-encodes to exactly the
 * flipped bytes.
 */
static void test_bitflip(void **state)
{
	uint8_t p[128], out[160];
	struct zapi_route r;
	struct zapi_route_notify nt;
	struct zapi_interface ifc;
	struct zapi_if_address a;
	size_t i, bit, n;

	(void)state;
	for (i = 0; i < N_ROUTES; i++) {
		const struct route_vec *v = all_routes[i];

		for (bit = H * 8; bit < v->len * 8; bit++) {
			memcpy(p, v->frame, v->len);
			p[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			if (route_decode_copy(p + H, v->len - H, &r) < 0)
				continue;
			n = zapi_encode_route(
			    out, sizeof(out),
			    (r.message & ZAPI_MESSAGE_NEXTHOP) ? ZAPI_ROUTE_ADD : ZAPI_ROUTE_DELETE,
			    0, &r);
			assert_int_equal(n, v->len);
			assert_memory_equal(out + H, p + H, v->len - H);
		}
	}
	for (bit = 0; bit < sizeof(notify_fail_v6) * 8; bit++) {
		memcpy(p, notify_fail_v6, sizeof(notify_fail_v6));
		p[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		(void)notify_decode_copy(p, sizeof(notify_fail_v6), &nt);
	}
	for (bit = 0; bit < sizeof(if_tun0) * 8; bit++) {
		memcpy(p, if_tun0, sizeof(if_tun0));
		p[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		if (if_decode_copy(p, sizeof(if_tun0), &ifc) == 0)
			assert_true(ifc.hw_len <= 20 && strlen(ifc.name) <= 16);
	}
	for (bit = 0; bit < sizeof(addr_v6) * 8; bit++) {
		memcpy(p, addr_v6, sizeof(addr_v6));
		p[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		(void)addr_decode_copy(p, sizeof(addr_v6), &a);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(zapi_command_name(ZAPI_ROUTE_ADD), "route-add");
	assert_string_equal(zapi_command_name(ZAPI_ROUTE_NOTIFY_REQUEST), "route-notify-request");
	assert_string_equal(zapi_command_name(6), "unknown");
	assert_string_equal(zapi_command_name(0xffff), "unknown");
	assert_string_equal(zapi_route_note_name(ZAPI_ROUTE_INSTALLED), "installed");
	assert_string_equal(zapi_route_note_name(ZAPI_ROUTE_FAIL_INSTALL), "fail-install");
	assert_string_equal(zapi_route_note_name(5), "unknown");
	assert_string_equal(zapi_route_note_name(0x02000000), "unknown");
}

#define STATE_TEST(name, fn, st)                                                                   \
	{                                                                                          \
		name, fn, NULL, NULL, (void *)(st)                                                 \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hello),
	    cmocka_unit_test(test_empty),
	    STATE_TEST("route_v4_add", test_route_vector, &rv_v4_add),
	    STATE_TEST("route_v4_delete", test_route_vector, &rv_v4_del),
	    STATE_TEST("route_v6_add", test_route_vector, &rv_v6_add),
	    STATE_TEST("route_blackhole_add", test_route_vector, &rv_bh_add),
	    STATE_TEST("route_all_attributes", test_route_vector, &rv_full_add),
	    cmocka_unit_test(test_route_decode_refusals),
	    cmocka_unit_test(test_route_max_nexthops),
	    cmocka_unit_test(test_route_encode_refusals),
	    STATE_TEST("notify_installed", test_notify_vector, &nv_installed),
	    STATE_TEST("notify_fail_install_v6", test_notify_vector, &nv_fail),
	    cmocka_unit_test(test_notify_refusals),
	    cmocka_unit_test(test_interface),
	    STATE_TEST("address_v4", test_address_vector, &av_v4),
	    STATE_TEST("address_v4_peer", test_address_vector, &av_v4_peer),
	    STATE_TEST("address_v6", test_address_vector, &av_v6),
	    cmocka_unit_test(test_address_refusals),
	    cmocka_unit_test(test_capabilities),
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_bitflip),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
