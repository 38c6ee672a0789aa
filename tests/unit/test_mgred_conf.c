/*
 * mgred's configuration through the command engine: the binding is
 * complete; a file gives the expected struct and keeps every interface
 * block (run or not); bad lines are reported as name:line with a reason;
 * show running-config prints it back in canonical order and reading that
 * gives the same text again; live lines change a candidate only, and a
 * refused one leaves the running configuration as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gre/mgred/mgred.h"

static struct mgred_conf conf, conf2;

static int load_into(struct mgred_conf *c, const char *text, struct strbuf *errors)
{
	strbuf_init(errors);
	return mgred_conf_load_mem("test.conf", text, strlen(text), c, errors);
}

static int load(const char *text, struct strbuf *errors)
{
	return load_into(&conf, text, errors);
}

static void load_ok(const char *text)
{
	struct strbuf errors;

	if (load(text, &errors) != 0)
		fail_msg("refused: %s", strbuf_str(&errors));
	strbuf_free(&errors);
}

static void expect_error(const char *text, const char *want)
{
	struct strbuf errors;

	if (load(text, &errors) != -1)
		fail_msg("accepted: %s", text);
	if (!strstr(strbuf_str(&errors), want))
		fail_msg("expected '%s' in: %s", want, strbuf_str(&errors));
	strbuf_free(&errors);
}

/* The running-config text of c (static: valid until the next call). */
static const char *running(const struct mgred_conf *c)
{
	static struct strbuf out;

	strbuf_free(&out);
	strbuf_init(&out);
	mgred_running_config(c, &out);
	return out.s ? out.s : "";
}

#define RICH                                                                                       \
	"! a hub with everything mgred owns, and lines of the other daemons\n"                     \
	"interface tun0\n"                                                                         \
	" ipv6 address fd00::1/64\n"                                                               \
	" ip nhrp network-id 1\n"                                                                  \
	" mtu 1400\n"                                                                              \
	" ip address 10.0.0.1/24\n"                                                                \
	" tunnel checksum\n"                                                                       \
	" tunnel dataplane userspace\n"                                                            \
	" tunnel ttl 32\n"                                                                         \
	" tunnel key 42\n"                                                                         \
	" tunnel source eth0\n"                                                                    \
	" tunnel mode gre multipoint\n"                                                            \
	" description DMVPN   hub, site#1!\n"                                                      \
	" ipv6 address fd00:1::1/64\n"                                                             \
	"!\n"                                                                                      \
	"interface tun1\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source 192.0.2.1\n"                                                               \
	" tunnel key 0\n"                                                                          \
	"interface gre9\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel dataplane kernel\n"                                                               \
	" ip address 10.9.0.1/24\n"                                                                \
	"interface eth0\n"                                                                         \
	" description underlay\n"                                                                  \
	"crypto ikev2 profile DMVPN\n"                                                             \
	" authentication pre-shared-key file /etc/dmvpn/psk\n"                                     \
	"nhrp zebra\n"

#define RICH_CANONICAL                                                                             \
	"interface tun0\n"                                                                         \
	" description DMVPN hub, site#1!\n"                                                        \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source eth0\n"                                                                    \
	" tunnel key 42\n"                                                                         \
	" tunnel ttl 32\n"                                                                         \
	" tunnel checksum\n"                                                                       \
	" tunnel dataplane userspace\n"                                                            \
	" mtu 1400\n"                                                                              \
	" ip address 10.0.0.1/24\n"                                                                \
	" ipv6 address fd00::1/64\n"                                                               \
	" ipv6 address fd00:1::1/64\n"                                                             \
	"!\n"                                                                                      \
	"interface tun1\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source 192.0.2.1\n"                                                               \
	" tunnel key 0\n"                                                                          \
	"!\n"                                                                                      \
	"interface gre9\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel dataplane kernel\n"                                                               \
	" ip address 10.9.0.1/24\n"                                                                \
	"!\n"                                                                                      \
	"interface eth0\n"                                                                         \
	" description underlay\n"                                                                  \
	"!\n"

static void test_binding_complete(void **state)
{
	struct strbuf err;

	(void)state;
	strbuf_init(&err);
	assert_int_equal(cmd_binding_check(&mgred_binding, &err), 0);
	assert_int_equal(err.len, 0);
	strbuf_free(&err);
}

static void test_rich(void **state)
{
	struct mgred_prefix all[MGRED_MAX_ADDRS];
	const struct mgred_iface_conf *t;
	struct ipaddr a;

	(void)state;
	load_ok(RICH);
	assert_int_equal(conf.nifaces, 4);
	assert_int_equal(mgred_conf_ntunnels(&conf), 2);
	t = &conf.ifaces[0];
	assert_string_equal(t->tun.name, "tun0");
	assert_string_equal(t->description, "DMVPN hub, site#1!");
	assert_true(t->tun.multipoint && mgred_iface_is_tunnel(t));
	assert_true(t->tun.backend_set && t->tun.backend == DP_BACKEND_USERSPACE);
	assert_string_equal(t->tun.source_dev, "eth0");
	assert_false(ipaddr_is_set(&t->tun.source_addr));
	assert_true(t->has_key);
	assert_int_equal(t->key, 42);
	assert_int_equal(t->ttl, 32);
	assert_int_equal(t->mtu, 1400);
	assert_true(t->checksum);
	assert_int_equal(mgred_iface_addrs(t, all), 3);
	assert_int_equal(t->tun.line, 2);
	t = &conf.ifaces[1];
	assert_string_equal(t->tun.name, "tun1");
	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	assert_true(ipaddr_equal(&t->tun.source_addr, &a) && !t->tun.source_dev[0]);
	assert_true(t->has_key && t->key == 0 && t->ttl == 0 && t->mtu == 0 && !t->checksum);
	assert_false(t->tun.backend_set);
	assert_true(mgred_iface_is_tunnel(t));
	/* Kept for show running-config, not run: the kernel's, and not a tunnel. */
	assert_false(mgred_iface_is_tunnel(&conf.ifaces[2]));
	assert_false(mgred_iface_is_tunnel(&conf.ifaces[3]));
	assert_string_equal(conf.ifaces[3].description, "underlay");
}

static void test_round_trip(void **state)
{
	struct strbuf errors;
	char *first;

	(void)state;
	load_ok(RICH);
	assert_string_equal(running(&conf), RICH_CANONICAL);
	first = strdup(running(&conf));
	assert_non_null(first);
	assert_int_equal(load_into(&conf2, first, &errors), 0);
	strbuf_free(&errors);
	assert_string_equal(running(&conf2), first);
	free(first);
	assert_int_equal(conf2.nifaces, conf.nifaces);
	for (unsigned i = 0; i < conf.nifaces; i++)
		assert_true(mgred_iface_conf_equal(&conf.ifaces[i], &conf2.ifaces[i]));
	/* An empty configuration prints nothing. */
	load_ok("! nothing\n");
	assert_string_equal(running(&conf), "");
}

#define TUN0 "interface tun0\n tunnel mode gre multipoint\n tunnel source eth0\n"

static void test_errors(void **state)
{
	char desc[400];

	(void)state;
	/* The engine's own reasons: types and ranges, unknown lines. */
	expect_error(TUN0 " tunnel key 99999999999\n",
	             "test.conf:4: Invalid input at '99999999999'");
	expect_error(TUN0 " tunnel ttl 0\n", "test.conf:4: Invalid input at '0'");
	expect_error(TUN0 " mtu 1279\n", "test.conf:4: Invalid input at '1279'");
	expect_error(TUN0 " ip address 10.0.0.1/33\n",
	             "test.conf:4: Invalid input at '10.0.0.1/33'");
	expect_error(TUN0 " ipv6 address 10.0.0.1/24\n", "test.conf:4: Invalid input");
	expect_error(TUN0 " tunnel mode gre point-to-point\n", "test.conf:4: Invalid input");
	expect_error(TUN0 " frobnicate on\n", "test.conf:4: Unknown command: frobnicate");
	expect_error("interface this-name-is-too-long\n", "test.conf:1: Invalid input");
	expect_error(" tunnel key 1\n", "test.conf:1: indented line outside");
	/* mgred's own checks */
	expect_error("interface tun1\n tunnel mode gre multipoint\n ip address 10.0.1.1/24\n",
	             "test.conf:1: interface tun1: 'tunnel source' is required");
	expect_error(TUN0 " tunnel key 7\n!\ninterface tun1\n tunnel mode gre multipoint\n"
	                  " tunnel source eth0\n tunnel key 7\n",
	             "test.conf:6: interface tun1: same tunnel source and key as tun0 (line 1)");
	expect_error(TUN0 " ipv6 address fd00::1/64\n ipv6 address fd00::2/64\n"
	                  " ipv6 address fd00::3/64\n ipv6 address fd00::4/64\n"
	                  " ipv6 address fd00::5/64\n ipv6 address fd00::6/64\n"
	                  " ipv6 address fd00::7/64\n ipv6 address fd00::8/64\n"
	                  " ipv6 address fd00::9/64\n",
	             "test.conf:12: at most 8 addresses per interface");
	memset(desc, 'x', sizeof(desc));
	memcpy(desc, "interface tun0\n description ", 28);
	desc[28 + MGRED_DESC_MAX + 1] = '\n';
	desc[28 + MGRED_DESC_MAX + 2] = '\0';
	expect_error(desc, "test.conf:2: description: at most 240 characters");
	expect_error("interface tun0\n!\nno interface tun1\n",
	             "test.conf:3: interface tun1 is not configured");
	/* Every error at once. */
	expect_error(TUN0 " tunnel ttl 0\n mtu 1\n", "test.conf:5: Invalid input at '1'");
}

/* As in IOS, `interface tun0` again continues the same block. */
static void test_reopened_block(void **state)
{
	(void)state;
	load_ok(TUN0 "!\ninterface tun0\n tunnel key 7\n");
	assert_int_equal(conf.nifaces, 1);
	assert_true(conf.ifaces[0].has_key);
	assert_int_equal(conf.ifaces[0].key, 7);
}

static void test_not_ours_and_defaults(void **state)
{
	(void)state;
	/* Not multipoint, or the kernel's: kept, and no source needed. */
	load_ok("interface tun0\n tunnel dataplane kernel\n tunnel mode gre multipoint\n"
	        "interface lo\n description loopback\n"
	        "interface tun5\n ip nhrp network-id 5\n ip nhrp holdtime 300\n");
	assert_int_equal(conf.nifaces, 3);
	assert_int_equal(mgred_conf_ntunnels(&conf), 0);
	assert_string_equal(running(&conf), "interface tun0\n tunnel mode gre multipoint\n"
	                                    " tunnel dataplane kernel\n!\n"
	                                    "interface lo\n description loopback\n!\n"
	                                    "interface tun5\n!\n");
	/* A second ip address replaces the first (IOS); ipv6 adds. */
	load_ok(TUN0 " ip address 10.0.0.1/24\n ip address 10.0.0.2/16\n"
	             " ipv6 address fd00::1/64\n ipv6 address fd00::1/48\n");
	assert_string_equal(running(&conf), TUN0 " ip address 10.0.0.2/16\n"
	                                         " ipv6 address fd00::1/48\n!\n");
	/* Explicit defaults are printed (they were set), `no` forms are not. */
	load_ok(TUN0 " tunnel ttl 64\n tunnel key 5\n no tunnel key\n tunnel checksum\n"
	             " no tunnel checksum\n mtu 1500\n no mtu\n description x\n no description\n");
	assert_string_equal(running(&conf), TUN0 " tunnel ttl 64\n!\n");
	/* A source given twice: the last one. */
	load_ok(TUN0 " tunnel source 192.0.2.7\n");
	assert_string_equal(
	    running(&conf),
	    "interface tun0\n tunnel mode gre multipoint\n tunnel source 192.0.2.7\n!\n");
}

/* One live line against conf (the running configuration). */
static int live(const char *header, const char *line, struct mgred_conf **cand, struct strbuf *why)
{
	strbuf_init(why);
	return mgred_conf_candidate(&conf, header, line, cand, why);
}

static void live_ok(const char *header, const char *line)
{
	struct mgred_conf *cand;
	struct strbuf why;

	if (live(header, line, &cand, &why) != 0)
		fail_msg("'%s' / '%s' refused: %s", header, line, strbuf_str(&why));
	memcpy(&conf, cand, sizeof(conf));
	free(cand);
	strbuf_free(&why);
}

static void live_refused(const char *header, const char *line, const char *want)
{
	static struct mgred_conf before;
	struct mgred_conf *cand = (void *)1;
	struct strbuf why;

	memcpy(&before, &conf, sizeof(before));
	assert_int_equal(live(header, line, &cand, &why), -1);
	assert_null(cand);
	if (strcmp(strbuf_str(&why), want))
		fail_msg("expected '%s', got '%s'", want, strbuf_str(&why));
	assert_memory_equal(&before, &conf, sizeof(conf));
	strbuf_free(&why);
}

static void test_live(void **state)
{
	struct mgred_prefix all[MGRED_MAX_ADDRS];
	struct mgred_conf *cand;
	struct strbuf why;

	(void)state;
	load_ok(TUN0 " tunnel key 42\n ip address 10.0.0.1/24\n");
	/* A new tunnel, line by line: incomplete until its source comes. */
	live_ok("", "interface tun1");
	assert_int_equal(conf.nifaces, 2);
	assert_int_equal(conf.ifaces[1].tun.line, 0);
	live_ok("interface tun1", "tunnel mode gre multipoint");
	assert_false(mgred_iface_is_tunnel(&conf.ifaces[1]));
	live_ok("interface tun1", "tunnel key 43");
	live_ok("interface tun1", "tunnel source eth0");
	assert_true(mgred_iface_is_tunnel(&conf.ifaces[1]));
	assert_int_equal(mgred_conf_ntunnels(&conf), 2);
	/* Abbreviations resolve as in the shell. */
	live_ok("int tun1", "tun ttl 9");
	assert_int_equal(conf.ifaces[1].ttl, 9);
	live_ok("interface tun0", "description the hub!");
	assert_string_equal(conf.ifaces[0].description, "the hub!");
	live_ok("interface tun0", "description the hub");
	assert_string_equal(conf.ifaces[0].description, "the hub");
	live_ok("interface tun0", "ip address 10.0.0.9/24");
	live_ok("interface tun0", "ipv6 address fd00::1/64");
	assert_string_equal(running(&conf),
	                    "interface tun0\n description the hub\n tunnel mode gre multipoint\n"
	                    " tunnel source eth0\n tunnel key 42\n ip address 10.0.0.9/24\n"
	                    " ipv6 address fd00::1/64\n!\n"
	                    "interface tun1\n tunnel mode gre multipoint\n tunnel source eth0\n"
	                    " tunnel key 43\n tunnel ttl 9\n!\n");
	/* Refused lines change nothing. */
	live_refused("interface tun1", "tunnel key 42",
	             "% interface tun1: same tunnel source and key as tun0 (line 1)\n");
	live_refused("interface tun0", "tunnel ttl 300", "% Invalid input at '300'\n");
	live_refused("interface tun0", "no ip address 10.0.0.1/24",
	             "% ip address 10.0.0.1/24 is not configured on tun0\n");
	live_refused("interface tun0", "no ipv6 address fd00::2/64",
	             "% ipv6 address fd00::2/64 is not configured on tun0\n");
	live_refused("interface tun0", "description a #b",
	             "% description: a word that starts with '!' or '#' starts a comment in the "
	             "configuration file\n");
	live_refused("", "no interface tun7", "% interface tun7 is not configured\n");
	live_refused("interface tun0", "frobnicate", "% Unknown command: frobnicate\n");
	/* A header that creates a block, then a refused line: nothing either. */
	live_refused("interface tun2", "description x !y",
	             "% description: a word that starts with '!' or '#' starts a comment in the "
	             "configuration file\n");
	/* Not mgred's: nothing done, said so. */
	assert_int_equal(live("interface tun0", "ip nhrp holdtime 300", &cand, &why), 1);
	assert_null(cand);
	strbuf_free(&why);
	assert_int_equal(live("crypto ikev2 profile X", "dpd 10", &cand, &why), 1);
	strbuf_free(&why);
	/* Removals. */
	live_ok("interface tun0", "no ipv6 address fd00::1/64");
	live_ok("interface tun0", "no ip address");
	assert_int_equal(mgred_iface_addrs(&conf.ifaces[0], all), 0);
	live_ok("interface tun1", "tunnel dataplane kernel");
	assert_int_equal(mgred_conf_ntunnels(&conf), 1);
	live_ok("", "no interface tun0");
	assert_int_equal(conf.nifaces, 1);
	assert_string_equal(conf.ifaces[0].tun.name, "tun1");
}

/*
 * `no ip address X` (gre/tunnel_conf.c, as nhrpd reads it too): X must be
 * the configured address, or the line is refused, in a file as live;
 * without X whatever is there goes. The limit of addresses counts the
 * IPv4 one with the IPv6 ones.
 */
static void test_no_ip_address(void **state)
{
	struct mgred_prefix all[MGRED_MAX_ADDRS];
	char text[1024];
	int n;

	(void)state;
	expect_error(TUN0 " ip address 10.0.0.1/24\n no ip address 10.0.0.2/24\n",
	             "test.conf:5: ip address 10.0.0.2/24 is not configured on tun0");
	expect_error(TUN0 " no ip address 10.0.0.1/24\n",
	             "test.conf:4: ip address 10.0.0.1/24 is not configured on tun0");
	load_ok(TUN0 " ip address 10.0.0.1/24\n!\ninterface tun1\n no ip address\n");
	live_refused("interface tun0", "no ip address 10.0.0.2/24",
	             "% ip address 10.0.0.2/24 is not configured on tun0\n");
	live_refused("interface tun1", "no ip address 10.0.0.1/24",
	             "% ip address 10.0.0.1/24 is not configured on tun1\n");
	live_ok("interface tun1", "no ip address");
	/* The address names it; its prefix length need not match (mgred did so). */
	live_ok("interface tun0", "no ip address 10.0.0.1/16");
	assert_false(ipaddr_is_set(&conf.ifaces[0].tun.addr));
	assert_int_equal(mgred_iface_addrs(&conf.ifaces[0], all), 0);
	/* Eight IPv6 addresses fill the interface: no room for the IPv4 one. */
	n = snprintf(text, sizeof(text), TUN0);
	for (int i = 1; i <= MGRED_MAX_ADDRS; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, " ipv6 address fd00::%d/64\n", i);
	load_ok(text);
	assert_int_equal(mgred_iface_addrs(&conf.ifaces[0], all), MGRED_MAX_ADDRS);
	live_refused("interface tun0", "ip address 10.0.0.1/24",
	             "% at most 8 addresses per interface\n");
	live_ok("interface tun0", "no ipv6 address fd00::8/64");
	live_ok("interface tun0", "ip address 10.0.0.1/24");
	assert_int_equal(mgred_iface_addrs(&conf.ifaces[0], all), MGRED_MAX_ADDRS);
	assert_int_equal(all[0].addr.family, AF_INET);
	live_refused("interface tun0", "ipv6 address fd00::9/64",
	             "% at most 8 addresses per interface\n");
}

static void test_exec(void **state)
{
	struct mgred d = {0};
	struct strbuf out;

	(void)state;
	load_ok(TUN0);
	d.conf = &conf;
	strbuf_init(&out);
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "show running-config", 1000, &out), 0);
	assert_string_equal(strbuf_str(&out), TUN0 "!\n");
	strbuf_reset(&out);
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "sh run json", 1000, &out), 0);
	assert_string_equal(strbuf_str(&out),
	                    "{\"lines\":[\"interface tun0\",\" tunnel mode gre multipoint\","
	                    "\" tunnel source eth0\",\"!\"]}\n");
	strbuf_reset(&out);
	/* mgred has no secrets: the same text, still for root only. */
	assert_int_equal(
	    cmd_exec_line(&mgred_binding, &d, "show running-config secrets", 1000, &out), -1);
	strbuf_reset(&out);
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "show running-config secrets", 0, &out),
	                 0);
	assert_string_equal(strbuf_str(&out), TUN0 "!\n");
	strbuf_reset(&out);
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "debug gre packet", 1000, &out), 0);
	assert_true(log_category_enabled(LOG_CAT_PACKET));
	assert_false(log_category_enabled(LOG_CAT_GRE));
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "debug gre", 1000, &out), 0);
	assert_true(log_category_enabled(LOG_CAT_GRE));
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "no debug gre packet", 1000, &out), 0);
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "no debug gre", 1000, &out), 0);
	assert_false(log_category_enabled(LOG_CAT_PACKET) || log_category_enabled(LOG_CAT_GRE));
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "debug control", 1000, &out), 0);
	assert_true(log_category_enabled(LOG_CAT_CTL));
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "no debug control", 1000, &out), 0);
	assert_int_equal(out.len, 0);
	/* No tunnel runs here: show and clear of a named one say so. */
	assert_int_equal(
	    cmd_exec_line(&mgred_binding, &d, "show interface tunnel tun0", 1000, &out), -1);
	assert_string_equal(strbuf_str(&out), "% no such tunnel interface: tun0\n");
	strbuf_reset(&out);
	assert_int_equal(
	    cmd_exec_line(&mgred_binding, &d, "show interface tunnel json", 1000, &out), 0);
	assert_string_equal(strbuf_str(&out), "{\"interfaces\":[]}\n");
	strbuf_reset(&out);
	/* Another daemon's command is unknown here. */
	assert_int_equal(cmd_exec_line(&mgred_binding, &d, "show dmvpn", 1000, &out), -1);
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_binding_complete),
	    cmocka_unit_test(test_rich),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_reopened_block),
	    cmocka_unit_test(test_not_ours_and_defaults),
	    cmocka_unit_test(test_live),
	    cmocka_unit_test(test_no_ip_address),
	    cmocka_unit_test(test_exec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
