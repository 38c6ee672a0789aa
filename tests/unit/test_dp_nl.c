/*
 * The data plane's operations tables (gre/dataplane.h) and the netlink
 * parsers nhrpd reads the kernel with (lib/nl.c):
 *
 * - the kernel backend refuses to open, with ENOSYS; a backend's table
 *   can be replaced (as the unit tests' recording backend does) and put
 *   back;
 * - the userspace backend gives the NBMA address behind one of mgred's
 *   lladdrs, and refuses an lladdr that encodes none (a handle, a foreign
 *   address, a wrong length);
 * - a neighbour solicitation, a link deletion and an NFLOG packet, built
 *   with libnl as the kernel sends them, parse to what they say; each
 *   truncation, and a message of the wrong kind, is refused;
 * - a route lookup on the one socket nhrpd keeps, against this host's
 *   kernel: the loopback address is local, in 127.0.0.0/8 on lo, and the
 *   answers of successive lookups never get mixed up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <string.h>

#include "gre/dataplane.h"
#include "gre/mgre_lladdr.h"
#include "lib/nl.h"

static void test_kernel_backend_refuses(void **state)
{
	(void)state;
	errno = 0;
	assert_null(dp_tunnel_open(DP_BACKEND_KERNEL, "tun0"));
	assert_int_equal(errno, ENOSYS);
	assert_string_equal(dp_backend_name(DP_BACKEND_KERNEL), "kernel");
	assert_int_equal(dp_backend_from_name("kernel"), DP_BACKEND_KERNEL);
	assert_int_equal(dp_backend_from_name("userspace"), DP_BACKEND_USERSPACE);
	assert_int_equal(dp_backend_from_name("xfrm"), -1);
	errno = 0;
	assert_null(dp_tunnel_open(DP_BACKEND_USERSPACE, "a-name-longer-than-ifnamsiz"));
	assert_int_equal(errno, EINVAL);
}

static struct dp_tunnel fake;

static struct dp_tunnel *fake_open(const char *ifname)
{
	strcpy(fake.ifname, ifname);
	fake.ifindex = 7;
	return &fake;
}

static void fake_close(struct dp_tunnel *t)
{
	assert_ptr_equal(t, &fake);
	fake.ifindex = 0;
}

static void test_ops_replaced_and_restored(void **state)
{
	const struct dp_ops ops = {.name = "fake", .open = fake_open, .close = fake_close};
	const struct dp_ops *prev;
	struct dp_tunnel *t;

	(void)state;
	prev = dp_backend_set_ops(DP_BACKEND_KERNEL, &ops);
	assert_ptr_equal(prev, &dp_kernel_ops);
	t = dp_tunnel_open(DP_BACKEND_KERNEL, "tun9");
	assert_ptr_equal(t, &fake);
	assert_ptr_equal(t->ops, &ops);
	assert_int_equal(t->backend, DP_BACKEND_KERNEL);
	assert_int_equal(dp_tunnel_ifindex(t), 7);
	assert_string_equal(t->ifname, "tun9");
	dp_tunnel_close(t);
	assert_int_equal(fake.ifindex, 0);
	assert_ptr_equal(dp_backend_set_ops(DP_BACKEND_KERNEL, prev), &ops);
	errno = 0;
	assert_null(dp_tunnel_open(DP_BACKEND_KERNEL, "tun9"));
	assert_int_equal(errno, ENOSYS);
}

static void test_userspace_lladdr(void **state)
{
	uint8_t mac[MGRE_LLADDR_LEN];
	struct in_addr v4;
	struct ipaddr nbma, want;

	(void)state;
	inet_pton(AF_INET, "192.0.2.7", &v4);
	ipaddr_from_v4(&want, v4);
	mgre_lladdr_from_ipv4(v4, mac);
	assert_int_equal(dp_userspace_ops.lladdr_nbma(NULL, mac, sizeof(mac), &nbma), 0);
	assert_true(ipaddr_equal(&nbma, &want));
	/* Too short, or the kernel backend's 4 bytes: not an mgred lladdr. */
	errno = 0;
	assert_int_equal(dp_userspace_ops.lladdr_nbma(NULL, mac, 4, &nbma), -1);
	assert_int_equal(errno, EPROTO);
	/* An IPv6 handle names no IPv4 NBMA address; a vendor MAC nothing. */
	mgre_lladdr_from_handle(42, mac);
	assert_int_equal(dp_userspace_ops.lladdr_nbma(NULL, mac, sizeof(mac), &nbma), -1);
	memcpy(mac, (const uint8_t[]){0x00, 0x16, 0x3e, 1, 2, 3}, sizeof(mac));
	assert_int_equal(dp_userspace_ops.lladdr_nbma(NULL, mac, sizeof(mac), &nbma), -1);
}

/* ---------- netlink messages ---------- */

static struct nl_msg *neigh_msg(int type, int ifindex, const char *dst)
{
	struct ndmsg nd = {.ndm_family = AF_INET, .ndm_ifindex = ifindex};
	struct nl_msg *m = nlmsg_alloc_simple(type, 0);
	struct in_addr a;

	assert_non_null(m);
	assert_int_equal(nlmsg_append(m, &nd, sizeof(nd), NLMSG_ALIGNTO), 0);
	if (dst) {
		inet_pton(AF_INET, dst, &a);
		assert_int_equal(nla_put(m, NDA_DST, 4, &a), 0);
	}
	return m;
}

/* A copy of h cut to len bytes, its header saying so. */
static struct nlmsghdr *truncated(const struct nlmsghdr *h, uint32_t len)
{
	static uint64_t buf[512];

	memcpy(buf, h, h->nlmsg_len);
	((struct nlmsghdr *)buf)->nlmsg_len = len;
	return (struct nlmsghdr *)buf;
}

static void test_neigh_solicitation(void **state)
{
	struct nl_msg *m = neigh_msg(RTM_GETNEIGH, 12, "10.0.0.9");
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct ipaddr dst, want;
	int ifindex = 0;

	(void)state;
	ipaddr_parse("10.0.0.9", &want);
	assert_int_equal(nlh_neigh_msg_parse(h, &ifindex, &dst), 0);
	assert_int_equal(ifindex, 12);
	assert_true(ipaddr_equal(&dst, &want));
	/* Every truncation is refused. */
	for (uint32_t len = sizeof(*h); len < h->nlmsg_len; len++)
		assert_int_equal(nlh_neigh_msg_parse(truncated(h, len), &ifindex, &dst), -1);
	nlmsg_free(m);
	/* Without a destination: nothing to resolve. */
	m = neigh_msg(RTM_GETNEIGH, 12, NULL);
	assert_int_equal(nlh_neigh_msg_parse(nlmsg_hdr(m), &ifindex, &dst), -1);
	nlmsg_free(m);
}

static void test_link_deletion(void **state)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = 33};
	struct nl_msg *m = nlmsg_alloc_simple(RTM_DELLINK, 0);
	int ifindex = 0;

	(void)state;
	assert_int_equal(nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	assert_int_equal(nlh_link_msg_parse(nlmsg_hdr(m), &ifindex), 0);
	assert_int_equal(ifindex, 33);
	assert_int_equal(
	    nlh_link_msg_parse(truncated(nlmsg_hdr(m), sizeof(struct nlmsghdr) + 4), &ifindex), -1);
	nlmsg_free(m);
}

static struct nl_msg *nflog_msg(bool with_hw, bool with_payload)
{
	struct nfgenmsg g = {.nfgen_family = AF_INET, .version = NFNETLINK_V0};
	struct nfulnl_msg_packet_hw hw = {.hw_addrlen = htons(4), .hw_addr = {192, 0, 2, 5}};
	static const uint8_t payload[28] = {0x45};
	struct nl_msg *m = nlmsg_alloc_simple((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET, 0);

	assert_int_equal(nlmsg_append(m, &g, sizeof(g), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_u32(m, NFULA_IFINDEX_INDEV, htonl(21)), 0);
	if (with_hw)
		assert_int_equal(nla_put(m, NFULA_HWADDR, sizeof(hw), &hw), 0);
	if (with_payload)
		assert_int_equal(nla_put(m, NFULA_PAYLOAD, sizeof(payload), payload), 0);
	return m;
}

static void test_nflog_packet(void **state)
{
	struct nl_msg *m = nflog_msg(true, true);
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlh_nflog_pkt p;

	(void)state;
	assert_int_equal(nlh_nflog_msg_parse(h, &p), 0);
	assert_int_equal(p.indev, 21);
	assert_int_equal(p.hwaddr_len, 4);
	assert_memory_equal(p.hwaddr, ((const uint8_t[]){192, 0, 2, 5}), 4);
	assert_int_equal(p.payload_len, 28);
	assert_int_equal(p.payload[0], 0x45);
	/* Every truncation is refused (the packet comes last). */
	for (uint32_t len = sizeof(*h); len < h->nlmsg_len; len++)
		assert_int_equal(nlh_nflog_msg_parse(truncated(h, len), &p), -1);
	/* A config message, or one without the packet or its source: no. */
	h->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	assert_int_equal(nlh_nflog_msg_parse(h, &p), -1);
	nlmsg_free(m);
	m = nflog_msg(false, true);
	assert_int_equal(nlh_nflog_msg_parse(nlmsg_hdr(m), &p), -1);
	nlmsg_free(m);
	m = nflog_msg(true, false);
	assert_int_equal(nlh_nflog_msg_parse(nlmsg_hdr(m), &p), -1);
	nlmsg_free(m);
}

static void test_route_lookup(void **state)
{
	struct nlh_req *q = nlh_req_open();
	struct ipaddr lo, other;
	struct nlh_route r;
	uint8_t plen = 0;
	int ifindex = 0;

	(void)state;
	assert_non_null(q);
	ipaddr_parse("127.0.0.1", &lo);
	ipaddr_parse("127.0.0.2", &other);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(nlh_route_get(q, &lo, &r), 0);
		assert_true(r.found);
		assert_int_equal(r.type, RTN_LOCAL);
		assert_int_equal(nlh_addr_prefix(q, &lo, &plen, &ifindex), 0);
		assert_int_equal(plen, 8);
		assert_int_equal(ifindex, (int)if_nametoindex("lo"));
		/* Not an address of ours, though routed locally. */
		assert_int_equal(nlh_addr_prefix(q, &other, &plen, &ifindex), -EADDRNOTAVAIL);
	}
	nlh_req_close(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kernel_backend_refuses),
	    cmocka_unit_test(test_ops_replaced_and_restored),
	    cmocka_unit_test(test_userspace_lladdr),
	    cmocka_unit_test(test_neigh_solicitation),
	    cmocka_unit_test(test_link_deletion),
	    cmocka_unit_test(test_nflog_packet),
	    cmocka_unit_test(test_route_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
