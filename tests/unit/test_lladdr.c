/*
 * The NBMA-address-in-a-MAC encoding of the userspace backend, and the
 * struct ipaddr helpers that every table key and socket address goes
 * through. A wrong byte here sends tunnel traffic to the wrong peer, so the
 * expected bytes are spelled out rather than derived.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/un.h>

#include "gre/mgre_lladdr.h"
#include "lib/addr.h"

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void test_lladdr_ipv4(void **state)
{
	static const uint8_t want[MGRE_LLADDR_LEN] = {0x02, 0x04, 0xc0, 0x00, 0x02, 0x01};
	uint8_t mac[MGRE_LLADDR_LEN];
	struct in_addr got;
	uint32_t handle = 0x12345678u;

	(void)state;
	mgre_lladdr_from_ipv4(v4("192.0.2.1"), mac);
	assert_memory_equal(mac, want, sizeof(want));
	memset(&got, 0, sizeof(got));
	assert_int_equal(mgre_lladdr_decode(mac, &got, &handle), MGRE_LLADDR_IPV4);
	assert_int_equal(got.s_addr, v4("192.0.2.1").s_addr);
	/* The other output is left alone. */
	assert_int_equal(handle, 0x12345678u);
}

static void test_lladdr_ipv4_round_trip(void **state)
{
	static const char *const addrs[] = {"0.0.0.1",         "1.2.3.4",        "10.0.0.1",
	                                    "127.0.0.1",       "198.51.100.254", "224.0.0.5",
	                                    "255.255.255.254", "128.0.0.0"};
	uint8_t mac[MGRE_LLADDR_LEN];
	struct in_addr in, out;
	uint32_t handle;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		in = v4(addrs[i]);
		mgre_lladdr_from_ipv4(in, mac);
		assert_int_equal(mac[0], 0x02);
		assert_int_equal(mac[1], 0x04);
		/* Network order: the address reads left to right in the MAC. */
		assert_memory_equal(mac + 2, &in.s_addr, 4);
		assert_int_equal(mgre_lladdr_decode(mac, &out, &handle), MGRE_LLADDR_IPV4);
		assert_int_equal(out.s_addr, in.s_addr);
	}
}

static void test_lladdr_handle(void **state)
{
	static const uint32_t handles[] = {1, 0x01020304u, 0xdeadbeefu, 0x80000000u, UINT32_MAX};
	static const uint8_t want[MGRE_LLADDR_LEN] = {0x02, 0x06, 0x01, 0x02, 0x03, 0x04};
	uint8_t mac[MGRE_LLADDR_LEN];
	struct in_addr a;
	uint32_t h;
	size_t i;

	(void)state;
	mgre_lladdr_from_handle(0x01020304u, mac);
	assert_memory_equal(mac, want, sizeof(want));
	for (i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
		mgre_lladdr_from_handle(handles[i], mac);
		h = 0;
		assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_IPV6_HANDLE);
		assert_int_equal(h, handles[i]);
	}
}

static void test_lladdr_invalid(void **state)
{
	uint8_t mac[MGRE_LLADDR_LEN];
	struct in_addr a;
	uint32_t h;
	unsigned i;

	(void)state;
	/* Any first byte but 0x02: a real NIC's address, multicast, ... */
	for (i = 0; i < 256; i++) {
		if (i == MGRE_LLADDR_OUI)
			continue;
		mgre_lladdr_from_ipv4(v4("192.0.2.1"), mac);
		mac[0] = (uint8_t)i;
		assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_INVALID);
		mgre_lladdr_from_handle(7, mac);
		mac[0] = (uint8_t)i;
		assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_INVALID);
	}
	/* Any tag but the two we assign. */
	for (i = 0; i < 256; i++) {
		if (i == MGRE_LLADDR_TAG_IPV4 || i == MGRE_LLADDR_TAG_IPV6_HANDLE)
			continue;
		mgre_lladdr_from_ipv4(v4("192.0.2.1"), mac);
		mac[1] = (uint8_t)i;
		assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_INVALID);
	}
	/* 0.0.0.0 and the limited broadcast are never a peer. */
	mgre_lladdr_from_ipv4(v4("0.0.0.0"), mac);
	assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_INVALID);
	mgre_lladdr_from_ipv4(v4("255.255.255.255"), mac);
	assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_INVALID);
	/* An all-zero MAC (an unresolved neighbour) is not ours either. */
	memset(mac, 0, sizeof(mac));
	assert_int_equal(mgre_lladdr_decode(mac, &a, &h), MGRE_LLADDR_INVALID);
}

/* --- lib/addr.c --- */

static void test_addr_parse_v4(void **state)
{
	static const uint8_t want[] = {192, 0, 2, 1};
	struct ipaddr a;
	char s[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.u.bytes, want, 4);
	assert_int_equal(ipaddr_len(&a), 4);
	assert_true(ipaddr_is_set(&a));
	assert_string_equal(ipaddr_format(&a, s), "192.0.2.1");
	assert_ptr_equal(ipaddr_format(&a, s), s);
}

static void test_addr_parse_v6(void **state)
{
	static const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	                                 0,    0,    0,    0,    0, 0, 0, 1};
	static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4};
	struct ipaddr a;
	char s[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(ipaddr_parse("2001:db8::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.u.bytes, want, 16);
	assert_int_equal(ipaddr_len(&a), 16);
	assert_true(ipaddr_is_set(&a));
	assert_string_equal(ipaddr_format(&a, s), "2001:db8::1");

	/* A long spelling formats in the canonical RFC 5952 form. */
	assert_int_equal(ipaddr_parse("2001:0DB8:0000:0:0:0::0001", &a), 0);
	assert_memory_equal(a.u.bytes, want, 16);
	assert_string_equal(ipaddr_format(&a, s), "2001:db8::1");

	/* The longest text form fits IPADDR_STRLEN. */
	assert_int_equal(ipaddr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &a), 0);
	assert_string_equal(ipaddr_format(&a, s), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

	/* A v4-mapped address is an IPv6 address, not an IPv4 one. */
	assert_int_equal(ipaddr_parse("::ffff:1.2.3.4", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.u.bytes, mapped, 16);
	assert_string_equal(ipaddr_format(&a, s), "::ffff:1.2.3.4");
}

static void test_addr_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "1.2.3",
	    "256.1.1.1",
	    "1.2.3.4 ",
	    " 1.2.3.4",
	    "1.2.3.4/24",
	    "1.2.3.4.5",
	    "::g",
	    "2001:db8:::1",
	    "2001:db8::1%eth0",
	    "hello",
	    "1:2:3:4:5:6:7:8:9",
	    "[::1]",
	    "0x01.2.3.4",
	};
	struct ipaddr a;
	char s[IPADDR_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Start from a set address: a failed parse must unset it. */
		assert_int_equal(ipaddr_parse("10.0.0.1", &a), 0);
		assert_int_equal(ipaddr_parse(bad[i], &a), -1);
		assert_int_equal(a.family, AF_UNSPEC);
		assert_false(ipaddr_is_set(&a));
		assert_int_equal(ipaddr_len(&a), 0);
		assert_string_equal(ipaddr_format(&a, s), "-");
	}
}

static void test_addr_equal_hash(void **state)
{
	struct ipaddr a, b, c, d, e;
	struct in_addr in = v4("192.0.2.1");

	(void)state;
	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	ipaddr_from_v4(&b, in);
	assert_true(ipaddr_equal(&a, &b));
	assert_int_equal(ipaddr_hash(&a), ipaddr_hash(&b));

	/* Bytes past an IPv4 address are not part of it. */
	memset(&c, 0xee, sizeof(c));
	c.family = AF_INET;
	c.u.v4 = in;
	assert_true(ipaddr_equal(&a, &c));
	assert_int_equal(ipaddr_hash(&a), ipaddr_hash(&c));

	assert_int_equal(ipaddr_parse("192.0.2.2", &d), 0);
	assert_false(ipaddr_equal(&a, &d));
	/* The v4-mapped form of the same address is a different key. */
	assert_int_equal(ipaddr_parse("::ffff:192.0.2.1", &e), 0);
	assert_false(ipaddr_equal(&a, &e));
	assert_false(ipaddr_equal(&e, &a));

	assert_int_equal(ipaddr_parse("2001:db8::1", &d), 0);
	assert_int_equal(ipaddr_parse("2001:DB8:0::1", &e), 0);
	assert_true(ipaddr_equal(&d, &e));
	assert_int_equal(ipaddr_hash(&d), ipaddr_hash(&e));
	assert_int_equal(ipaddr_parse("2001:db8::2", &e), 0);
	assert_false(ipaddr_equal(&d, &e));
	/* The last byte matters to equal (no prefix comparison). */
	assert_int_equal(ipaddr_parse("2001:db8::1:0:0:1", &e), 0);
	assert_false(ipaddr_equal(&d, &e));
}

static void test_addr_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;
	struct sockaddr_un sau;
	struct ipaddr a, b;

	(void)state;
	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	assert_int_equal(ipaddr_to_sockaddr(&a, 4500, &ss), sizeof(struct sockaddr_in));
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(sin->sin_port, htons(4500));
	assert_int_equal(sin->sin_addr.s_addr, v4("192.0.2.1").s_addr);
	assert_int_equal(ipaddr_from_sockaddr((const struct sockaddr *)&ss, &b), 0);
	assert_true(ipaddr_equal(&a, &b));

	assert_int_equal(ipaddr_parse("2001:db8::1", &a), 0);
	assert_int_equal(ipaddr_to_sockaddr(&a, 0, &ss), sizeof(struct sockaddr_in6));
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(sin6->sin6_port, 0);
	assert_memory_equal(&sin6->sin6_addr, a.u.bytes, 16);
	assert_int_equal(sin6->sin6_scope_id, 0);
	assert_int_equal(ipaddr_from_sockaddr((const struct sockaddr *)&ss, &b), 0);
	assert_true(ipaddr_equal(&a, &b));

	/* An unset address gives no sockaddr. */
	ipaddr_parse("nonsense", &a);
	assert_int_equal(ipaddr_to_sockaddr(&a, 4500, &ss), 0);

	/* Other families are refused and leave the address unset. */
	memset(&sau, 0, sizeof(sau));
	sau.sun_family = AF_UNIX;
	assert_int_equal(ipaddr_from_sockaddr((const struct sockaddr *)&sau, &b), -1);
	assert_false(ipaddr_is_set(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lladdr_ipv4),    cmocka_unit_test(test_lladdr_ipv4_round_trip),
	    cmocka_unit_test(test_lladdr_handle),  cmocka_unit_test(test_lladdr_invalid),
	    cmocka_unit_test(test_addr_parse_v4),  cmocka_unit_test(test_addr_parse_v6),
	    cmocka_unit_test(test_addr_parse_bad), cmocka_unit_test(test_addr_equal_hash),
	    cmocka_unit_test(test_addr_sockaddr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
