/*
 * libFuzzer target for the ZAPI message codec (routing/zapi_msg.c).
 *
 * The first byte picks a decoder (modulo 5); the rest is its input:
 *   0 header, 1 route body, 2 ROUTE_NOTIFY_OWNER body, 3 interface body,
 *   4 interface address body.
 * The input is copied to a heap buffer of exactly its size, so ASan sees
 * any read past it. Whatever decodes must satisfy the decoder's promises:
 *
 *   - header: marker and version were right and 10 <= length <= 16384;
 *   - route: the struct is within its limits, re-encodes (as ROUTE_ADD when
 *     it has nexthops, else ROUTE_DELETE) to a frame whose body is exactly
 *     the input, whose header decodes to that command and length, which
 *     needs every byte of its capacity, and which decodes to an equal struct;
 *   - notify, interface, address: the fields are within their limits.
 *
 * Failures abort(), which libFuzzer reports as a crash with the input saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/zapi_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_zapi: check failed at line %d: %s\n", __LINE__,      \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static bool addr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family && memcmp(a->u.bytes, b->u.bytes, sizeof(a->u.bytes)) == 0;
}

static bool route_equal(const struct zapi_route *a, const struct zapi_route *b)
{
	size_t i;

	if (a->type != b->type || a->instance != b->instance || a->flags != b->flags ||
	    a->message != b->message || a->safi != b->safi || !addr_equal(&a->prefix, &b->prefix) ||
	    a->prefixlen != b->prefixlen || a->n_nexthops != b->n_nexthops ||
	    a->distance != b->distance || a->metric != b->metric || a->tag != b->tag ||
	    a->mtu != b->mtu || a->table_id != b->table_id)
		return false;
	for (i = 0; i < a->n_nexthops; i++) {
		const struct zapi_nexthop *x = &a->nexthops[i], *y = &b->nexthops[i];

		if (x->vrf_id != y->vrf_id || x->type != y->type || x->flags != y->flags ||
		    !addr_equal(&x->gate, &y->gate) || x->ifindex != y->ifindex ||
		    x->bh_type != y->bh_type)
			return false;
	}
	return true;
}

static size_t family_bits(sa_family_t f)
{
	return f == AF_INET ? 32 : f == AF_INET6 ? 128 : 0;
}

static void fuzz_route(const uint8_t *in, size_t size)
{
	struct zapi_route r, r2;
	struct zapi_header h;
	uint16_t cmd;
	uint8_t *out;
	size_t cap = ZAPI_HEADER_LEN + size, n, i;

	if (zapi_route_decode(in, size, &r) < 0)
		return;
	CHECK(r.type < 31 && r.safi >= 1 && r.safi < 8);
	CHECK(family_bits(r.prefix.family) && r.prefixlen <= family_bits(r.prefix.family));
	CHECK(r.n_nexthops <= ZAPI_MAX_NEXTHOPS);
	CHECK(((r.message & ZAPI_MESSAGE_NEXTHOP) != 0) == (r.n_nexthops != 0));
	for (i = 0; i < r.n_nexthops; i++)
		CHECK(r.nexthops[i].type >= ZAPI_NEXTHOP_IFINDEX &&
		      r.nexthops[i].type <= ZAPI_NEXTHOP_BLACKHOLE);

	cmd = r.n_nexthops ? ZAPI_ROUTE_ADD : ZAPI_ROUTE_DELETE;
	out = malloc(cap + 1);
	CHECK(out != NULL);
	n = zapi_encode_route(out, cap + 1, cmd, 0x01020304, &r);
	CHECK(n == cap);
	CHECK(memcmp(out + ZAPI_HEADER_LEN, in, size) == 0);
	CHECK(zapi_header_decode(out, n, &h) == 0);
	CHECK(h.length == n && h.command == cmd && h.vrf_id == 0x01020304);
	/* One byte short is refused. */
	CHECK(zapi_encode_route(out, cap - 1, cmd, 0, &r) == 0);
	n = zapi_encode_route(out, cap, cmd, 0, &r);
	CHECK(n == cap);
	CHECK(zapi_route_decode(out + ZAPI_HEADER_LEN, n - ZAPI_HEADER_LEN, &r2) == 0);
	CHECK(route_equal(&r, &r2));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zapi_header h;
	struct zapi_route_notify nt;
	struct zapi_interface ifc;
	struct zapi_if_address a;
	uint8_t *in;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	in = malloc(n ? n : 1);
	CHECK(in != NULL);
	if (n)
		memcpy(in, data + 1, n);

	switch (data[0] % 5) {
	case 0:
		if (zapi_header_decode(in, n, &h) == 0) {
			CHECK(n >= ZAPI_HEADER_LEN);
			CHECK(h.length >= ZAPI_HEADER_LEN && h.length <= ZAPI_MAX_FRAME);
			CHECK(in[2] == ZAPI_MARKER && in[3] == ZAPI_VERSION);
			CHECK(zapi_command_name(h.command) != NULL);
		}
		break;
	case 1:
		fuzz_route(in, n);
		break;
	case 2:
		if (zapi_route_notify_decode(in, n, &nt) == 0) {
			CHECK(nt.note <= ZAPI_ROUTE_REMOVE_FAIL);
			CHECK(strcmp(zapi_route_note_name(nt.note), "unknown") != 0);
			CHECK(family_bits(nt.prefix.family) &&
			      nt.prefixlen <= family_bits(nt.prefix.family));
			CHECK(n == (nt.prefix.family == AF_INET ? 16u : 28u));
		}
		break;
	case 3:
		if (zapi_interface_decode(in, n, &ifc) == 0) {
			CHECK(memchr(ifc.name, 0, sizeof(ifc.name)) != NULL);
			CHECK(ifc.hw_len <= 20);
			CHECK(n >= 16 + 4 + 1 + 8 + 2 + 8 * 4 + ifc.hw_len + 1);
		}
		break;
	default:
		if (zapi_if_address_decode(in, n, &a) == 0) {
			CHECK(family_bits(a.addr.family) &&
			      a.prefixlen <= family_bits(a.addr.family));
			CHECK(a.dest.family == AF_UNSPEC || a.dest.family == a.addr.family);
			CHECK(n == (a.addr.family == AF_INET ? 15u : 39u));
		}
		break;
	}
	free(in);
	return 0;
}
