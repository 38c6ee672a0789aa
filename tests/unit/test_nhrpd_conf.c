/*
 * nhrpd's configuration grammar: what a hub and a spoke file give, that
 * lines of other daemons are left alone, and that every bad line is
 * reported as name:line with a reason and nothing is applied.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nhrpd/nhrpd.h"

static struct nhrpd_conf conf;

static int load(const char *text, struct strbuf *errors)
{
	strbuf_init(errors);
	return nhrpd_conf_load_mem("test.conf", text, strlen(text), &conf, errors);
}

static void expect_error(const char *text, const char *want)
{
	struct strbuf errors;

	assert_int_equal(load(text, &errors), -1);
	if (!strstr(strbuf_str(&errors), want))
		fail_msg("expected '%s' in: %s", want, strbuf_str(&errors));
	/* Nothing half-applied, and no secret left behind. */
	for (unsigned i = 0; i < conf.nifaces; i++)
		assert_int_equal(conf.ifaces[i].auth_len, 0);
	strbuf_free(&errors);
}

#define TUNNEL                                                                                     \
	"interface tun0\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source eth0\n"                                                                    \
	" tunnel key 42\n"                                                                         \
	" tunnel dataplane userspace\n"

static void test_hub(void **state)
{
	struct strbuf errors;
	const struct nhrp_iface_conf *c;
	struct ipaddr a;

	(void)state;
	assert_int_equal(load("! hub\n" TUNNEL " description hub\n"
			      " tunnel protection ikev2 profile DMVPN\n"
			      " ip address 10.0.0.1/24\n"
			      " ip nhrp network-id 7\n"
			      " ip nhrp holdtime 600\n"
			      " ip nhrp authentication secret12\n"
			      " ip nhrp map multicast dynamic\n"
			      " ip nhrp map 10.0.0.9 192.0.2.9\n"
			      " ip nhrp redirect\n"
			      "!\n",
			      &errors),
			 0);
	strbuf_free(&errors);
	assert_int_equal(conf.nifaces, 1);
	c = &conf.ifaces[0];
	assert_string_equal(c->name, "tun0");
	assert_string_equal(c->source_dev, "eth0");
	assert_int_equal(c->backend, DP_BACKEND_USERSPACE);
	ipaddr_parse("10.0.0.1", &a);
	assert_true(ipaddr_equal(&c->addr, &a));
	assert_int_equal(c->plen, 24);
	assert_int_equal(c->network_id, 7);
	assert_int_equal(c->holdtime, 600);
	assert_int_equal(c->auth_len, 8);
	assert_memory_equal(c->auth, "secret12", 8);
	assert_true(c->mcast_dynamic);
	assert_true(c->redirect);
	assert_int_equal(c->nnhs, 0);
	assert_int_equal(c->nmaps, 1);
	ipaddr_parse("192.0.2.9", &a);
	assert_true(ipaddr_equal(&c->maps[0].nbma, &a));
	nhrpd_conf_wipe(&conf);
	assert_int_equal(conf.ifaces[0].auth_len, 0);
	assert_int_equal(conf.ifaces[0].auth[0], 0);
}

static void test_spoke_defaults(void **state)
{
	struct strbuf errors;
	const struct nhrp_iface_conf *c;
	struct ipaddr a;

	(void)state;
	assert_int_equal(load(TUNNEL " ip address 10.0.0.2/24\n"
				     " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast\n"
				     " ip nhrp nhs 10.0.0.254 nbma 192.0.2.254\n"
				     " ip nhrp registration no-unique\n"
				     " ip nhrp registration timeout 30\n"
				     " ip nhrp shortcut\n",
			      &errors),
			 0);
	strbuf_free(&errors);
	c = &conf.ifaces[0];
	assert_int_equal(c->holdtime, NHRP_DEFAULT_HOLDTIME);
	assert_int_equal(c->nnhs, 2);
	assert_true(c->nhs[0].multicast);
	assert_false(c->nhs[1].multicast);
	ipaddr_parse("192.0.2.254", &a);
	assert_true(ipaddr_equal(&c->nhs[1].nbma, &a));
	assert_true(c->no_unique);
	assert_int_equal(c->reg_timeout, 30);
	assert_true(c->shortcut);
	assert_int_equal(c->auth_len, 0);
}

/* Tunnels without NHRP, and blocks of other daemons, are not ours. */
static void test_not_ours(void **state)
{
	struct strbuf errors;

	(void)state;
	assert_int_equal(load(TUNNEL " ip address 10.0.0.2/24\n"
				     "interface eth1\n"
				     " ip address 10.1.2.1/24\n"
				     "crypto ikev2 profile DMVPN\n"
				     " proposal aes256gcm16-prfsha384-x25519\n",
			      &errors),
			 0);
	strbuf_free(&errors);
	assert_int_equal(conf.nifaces, 0);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp nhs 10.0.0.1 192.0.2.1\n",
		     "test.conf:7: usage: ip nhrp nhs");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp holdtime 0\n",
		     "test.conf:7: usage: ip nhrp holdtime <1-65535>");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp holdtime 65536\n",
		     "test.conf:7:");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp authentication 123456789\n",
		     "test.conf:7: usage: ip nhrp authentication");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp frobnicate\n",
		     "test.conf:7: unknown command 'ip nhrp frobnicate'");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp map 10.0.0.9\n",
		     "test.conf:7: usage: ip nhrp map");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp map multicast sometimes\n",
		     "test.conf:7: usage: ip nhrp map multicast");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n"
			    " ip nhrp nhs 10.0.0.1 nbma 192.0.2.3\n",
		     "test.conf:8: NHS 10.0.0.1 already configured at line 7");
	expect_error(TUNNEL " ip nhrp network-id 1\n", "test.conf:1: interface tun0: 'ip address'");
	expect_error("interface tun0\n tunnel mode gre multipoint\n ip address 10.0.0.2/24\n"
		     " ip nhrp network-id 1\n",
		     "test.conf:1: interface tun0: 'tunnel source' is required");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ipv6 nhrp network-id 1\n",
		     "test.conf:7: ipv6 nhrp: IPv6 overlay addresses are not supported yet");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp network-id 1\n" TUNNEL
			    " ip address 10.0.0.3/24\n ip nhrp network-id 1\n",
		     "interface tun0 defined twice (first at line 1)");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n bogus line\n",
		     "test.conf:7: unknown interface command 'bogus'");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n tunnel dataplane fpga\n",
		     "test.conf:7: usage: tunnel dataplane userspace|kernel");
}

static void test_zebra(void **state)
{
	struct strbuf errors;

	(void)state;
	/* Shortcuts imply a zebra connection, with FRR's defaults. */
	assert_int_equal(load(TUNNEL " ip address 10.0.0.2/24\n ip nhrp shortcut\n"
				     " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n",
			      &errors),
			 0);
	strbuf_free(&errors);
	assert_true(conf.zebra);
	assert_string_equal(conf.zebra_path, "/run/frr/zserv.api");
	assert_int_equal(conf.zebra_instance, 0);
	assert_int_equal(conf.zebra_distance, 10);
	assert_int_equal(load("nhrp zebra socket /tmp/z.api instance 7 distance 5\n", &errors), 0);
	strbuf_free(&errors);
	assert_true(conf.zebra);
	assert_string_equal(conf.zebra_path, "/tmp/z.api");
	assert_int_equal(conf.zebra_instance, 7);
	assert_int_equal(conf.zebra_distance, 5);
	/* Without shortcuts or host routes, no zebra. */
	assert_int_equal(load(TUNNEL " ip address 10.0.0.2/24\n ip nhrp network-id 1\n", &errors),
			 0);
	strbuf_free(&errors);
	assert_false(conf.zebra);
	expect_error("nhrp zebra socket relative.api\n", "test.conf:1: usage: nhrp zebra");
	expect_error("nhrp zebra distance 0\n", "test.conf:1: usage: nhrp zebra");
	expect_error("nhrp zebra instance\n", "test.conf:1: usage: nhrp zebra");
}

/* A good secret and a bad line: refused whole, the secret wiped. */
static void test_error_wipes_secret(void **state)
{
	(void)state;
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp authentication pw\n"
			    " ip nhrp holdtime soon\n",
		     "test.conf:8:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hub),
	    cmocka_unit_test(test_spoke_defaults),
	    cmocka_unit_test(test_not_ours),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_error_wipes_secret),
	    cmocka_unit_test(test_zebra),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
