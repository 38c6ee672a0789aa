/*
 * nhrpd's configuration through the command engine: what a hub and a
 * spoke file give, that every block nhrpd owns is kept (run or not), that
 * every bad line is reported as name:line with a reason and nothing is
 * applied, the password file's rules, and `show running-config`: canonical
 * order, secrets hidden, and a round trip (write, read back, write again:
 * the same text).
 *
 * Password files are created with mkstemp in /tmp and removed by each
 * test's teardown, even when an assertion fails midway.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

static struct nhrpd_conf conf;

/* ---------- temporary files ---------- */

#define MAX_TMP 8
static char tmp_paths[MAX_TMP][40];
static unsigned ntmp;

static const char *tmp_file(const char *text, mode_t mode)
{
	char *path;
	int fd;

	assert_true(ntmp < MAX_TMP);
	path = tmp_paths[ntmp];
	strcpy(path, "/tmp/test_nhrp_auth_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	ntmp++;
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static int cleanup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ntmp; i++)
		unlink(tmp_paths[i]);
	ntmp = 0;
	return 0;
}

/* ---------- helpers ---------- */

static int load(const char *text, struct strbuf *errors)
{
	strbuf_init(errors);
	return nhrpd_conf_load_mem("test.conf", text, strlen(text), &conf, errors);
}

static void load_ok(const char *text)
{
	struct strbuf errors;

	if (load(text, &errors) < 0)
		fail_msg("refused: %s", strbuf_str(&errors));
	strbuf_free(&errors);
}

static void expect_error(const char *text, const char *want)
{
	struct strbuf errors;

	assert_int_equal(load(text, &errors), -1);
	if (!strstr(strbuf_str(&errors), want))
		fail_msg("expected '%s' in: %s", want, strbuf_str(&errors));
	/* Nothing half-applied, and no secret left behind. */
	for (unsigned i = 0; i < NHRPD_CONF_MAX_IFACES; i++)
		assert_int_equal(conf.ifaces[i].auth_len, 0);
	strbuf_free(&errors);
}

/* The running-config text of conf (static: valid until the next call). */
static const char *written(bool secrets)
{
	static struct strbuf out;

	strbuf_free(&out);
	strbuf_init(&out);
	nhrpd_running_config(&conf, secrets, &out);
	return strbuf_str(&out);
}

#define TUNNEL                                                                                     \
	"interface tun0\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source eth0\n"                                                                    \
	" tunnel key 42\n"                                                                         \
	" tunnel dataplane userspace\n"

/* ---------- tests ---------- */

static void test_binding_complete(void **state)
{
	struct strbuf err;

	(void)state;
	strbuf_init(&err);
	if (cmd_binding_check(&nhrpd_binding, &err) < 0)
		fail_msg("%s", strbuf_str(&err));
	strbuf_free(&err);
}

static void test_hub(void **state)
{
	const struct nhrp_iface_conf *c;
	struct ipaddr a;

	(void)state;
	load_ok("! hub\nhostname hub1\n" TUNNEL " description hub\n"
	        " ip address 10.0.0.1/24\n"
	        " ip nhrp network-id 7\n"
	        " ip nhrp holdtime 600\n"
	        " ip nhrp authentication secret12\n"
	        " ip nhrp map multicast dynamic\n"
	        " ip nhrp map 10.0.0.9 192.0.2.9\n"
	        " ip nhrp redirect\n"
	        "!\n"
	        "crypto ikev2 profile DMVPN\n"
	        " proposal aes256gcm16-prfsha384-x25519\n");
	assert_string_equal(conf.hostname, "hub1");
	assert_int_equal(conf.nifaces, 1);
	c = &conf.ifaces[0];
	assert_true(nhrpd_conf_iface_runs(c));
	assert_string_equal(c->tun.name, "tun0");
	assert_string_equal(c->tun.source_dev, "eth0");
	assert_int_equal(c->tun.backend, DP_BACKEND_USERSPACE);
	assert_true(c->tun.backend_set);
	ipaddr_parse("10.0.0.1", &a);
	assert_true(ipaddr_equal(&c->tun.addr, &a));
	assert_int_equal(c->tun.plen, 24);
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
	const struct nhrp_iface_conf *c;
	struct ipaddr a;

	(void)state;
	load_ok(TUNNEL " ip address 10.0.0.2/24\n"
	               " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast\n"
	               " ip nhrp nhs 10.0.0.254 nbma 192.0.2.254\n"
	               " ip nhrp registration no-unique\n"
	               " ip nhrp registration timeout 30\n"
	               " ip nhrp shortcut\n");
	c = &conf.ifaces[0];
	assert_int_equal(c->holdtime, NHRP_DEFAULT_HOLDTIME);
	assert_false(c->holdtime_set);
	assert_int_equal(c->nnhs, 2);
	assert_true(c->nhs[0].multicast);
	assert_false(c->nhs[1].multicast);
	ipaddr_parse("192.0.2.254", &a);
	assert_true(ipaddr_equal(&c->nhs[1].nbma, &a));
	assert_true(c->no_unique);
	assert_int_equal(c->reg_timeout, 30);
	assert_true(c->shortcut);
	assert_int_equal(c->auth_len, 0);
	assert_string_equal(conf.hostname, "");
}

/* A block may be opened again: its lines add up, checked whole at the end. */
static void test_block_reopened(void **state)
{
	(void)state;
	load_ok("interface tun0\n tunnel mode gre multipoint\n ip nhrp network-id 1\n!\n"
	        "interface eth1\n ip address 10.1.0.1/24\n!\n"
	        "interface tun0\n tunnel source eth0\n ip address 10.0.0.2/24\n!\n");
	assert_int_equal(conf.nifaces, 2);
	assert_int_equal(nhrpd_conf_count_running(&conf), 1);
	assert_string_equal(conf.ifaces[0].tun.source_dev, "eth0");
	expect_error("interface tun0\n tunnel mode gre multipoint\n ip nhrp network-id 1\n!\n"
	             "interface tun0\n tunnel source eth0\n!\n",
	             "test.conf:1: interface tun0: 'ip address' is required for NHRP");
}

/* Tunnels without NHRP and other interfaces are kept, not run. */
static void test_kept_not_run(void **state)
{
	(void)state;
	load_ok(TUNNEL " ip address 10.0.0.2/24\n"
	               "interface eth1\n"
	               " ip address 10.1.2.1/24\n"
	               "interface lo\n"
	               "crypto ikev2 profile DMVPN\n"
	               " proposal aes256gcm16-prfsha384-x25519\n");
	assert_int_equal(conf.nifaces, 3);
	assert_int_equal(nhrpd_conf_count_running(&conf), 0);
	assert_false(nhrpd_conf_iface_runs(&conf.ifaces[0]));
	assert_string_equal(written(false), "interface tun0\n"
	                                    " tunnel mode gre multipoint\n"
	                                    " tunnel source eth0\n"
	                                    " tunnel dataplane userspace\n"
	                                    " ip address 10.0.0.2/24\n"
	                                    "!\n"
	                                    "interface eth1\n"
	                                    " ip address 10.1.2.1/24\n"
	                                    "!\n"
	                                    "interface lo\n"
	                                    "!\n");
	/* An `ip nhrp` line on a tunnel that is not mGRE: kept, not run. */
	load_ok("interface tun5\n tunnel source eth0\n ip address 10.9.0.1/24\n"
	        " ip nhrp network-id 1\n");
	assert_int_equal(nhrpd_conf_count_running(&conf), 0);
	assert_true(nhrpd_conf_iface_has_nhrp(&conf.ifaces[0]));
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp nhs 10.0.0.1 192.0.2.1\n",
	             "test.conf:7: ");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp holdtime 0\n",
	             "test.conf:7: Invalid input at '0'");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp holdtime 65536\n",
	             "test.conf:7: Invalid input at '65536'");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp authentication 123456789\n",
	             "test.conf:7: usage: ip nhrp authentication STRING (1-8 characters)");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp frobnicate\n",
	             "test.conf:7: Invalid input at 'frobnicate'");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp map 10.0.0.9\n",
	             "test.conf:7: Incomplete command");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp map multicast sometimes\n",
	             "test.conf:7: Invalid input at 'sometimes'");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n"
	                    " ip nhrp nhs 10.0.0.1 nbma 192.0.2.3\n",
	             "test.conf:8: NHS 10.0.0.1 already configured at line 7");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp map 10.0.0.9 192.0.2.9\n"
	                    " ip nhrp map 10.0.0.9 192.0.2.9\n",
	             "test.conf:8: 10.0.0.9 already mapped to 192.0.2.9 at line 7");
	expect_error(TUNNEL " ip nhrp network-id 1\n",
	             "test.conf:1: interface tun0: 'ip address' is required for NHRP");
	expect_error("interface tun0\n tunnel mode gre multipoint\n ip address 10.0.0.2/24\n"
	             " ip nhrp network-id 1\n",
	             "test.conf:1: interface tun0: 'tunnel source' is required for NHRP");
	/* IPv6 NHRP is not in the grammar. */
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ipv6 nhrp network-id 1\n", "test.conf:7: ");
	/* A block opened again adds to the first; duplicates still count. */
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n"
	                    "interface tun0\n ip nhrp nhs 10.0.0.1 nbma 192.0.2.3\n",
	             "test.conf:9: NHS 10.0.0.1 already configured at line 7");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n bogus line\n",
	             "test.conf:7: Unknown command: bogus");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n tunnel dataplane fpga\n",
	             "test.conf:7: Invalid input at 'fpga'");
	expect_error("hostname a/b\n", "test.conf:1: hostname: letters, digits");
	expect_error("no interface tun0\n", "test.conf:1: interface tun0 is not configured");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n no ip nhrp nhs 10.0.0.1\n",
	             "test.conf:7: NHS 10.0.0.1 is not configured");
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp map 10.0.0.9 192.0.2.9\n"
	                    " no ip nhrp map 10.0.0.9 192.0.2.8\n",
	             "test.conf:8: 10.0.0.9 is mapped to 192.0.2.9, not 192.0.2.8");
}

/* More than NHRP_MAX_IFACES NHRP interfaces: refused at the first too many. */
/*
 * `no ip address X` (gre/tunnel_conf.c, as mgred reads it): X must be the
 * configured address, or the line is refused (it used to clear whatever
 * address there was); without X the address goes, if any.
 */
static void test_no_ip_address(void **state)
{
	(void)state;
	expect_error("interface tun0\n ip address 10.0.0.2/24\n no ip address 10.0.0.3/24\n",
	             "test.conf:3: ip address 10.0.0.3/24 is not configured on tun0");
	expect_error("interface tun0\n no ip address 10.0.0.2/24\n",
	             "test.conf:2: ip address 10.0.0.2/24 is not configured on tun0");
	load_ok("interface tun0\n ip address 10.0.0.2/24\n no ip address 10.0.0.2/24\n"
	        "interface tun1\n no ip address\n");
	assert_false(ipaddr_is_set(&conf.ifaces[0].tun.addr));
	assert_int_equal(conf.ifaces[0].tun.plen, 0);
	assert_string_equal(written(false), "interface tun0\n!\ninterface tun1\n!\n");
}

static void test_too_many_interfaces(void **state)
{
	struct strbuf text;
	char want[64];

	(void)state;
	strbuf_init(&text);
	for (int i = 0; i <= NHRP_MAX_IFACES; i++)
		strbuf_printf(&text,
		              "interface tun%d\n tunnel mode gre multipoint\n tunnel source eth0\n"
		              " ip address 10.%d.0.1/24\n ip nhrp network-id 1\n",
		              i, i);
	snprintf(want, sizeof(want), "test.conf:%d: at most %d NHRP interfaces",
	         5 * NHRP_MAX_IFACES + 1, NHRP_MAX_IFACES);
	expect_error(strbuf_str(&text), want);
	strbuf_free(&text);
}

static void test_zebra(void **state)
{
	(void)state;
	/* Shortcuts imply a zebra connection, with FRR's defaults; `nhrp
	 * zebra` itself is not written back unless given. */
	load_ok(TUNNEL " ip address 10.0.0.2/24\n ip nhrp shortcut\n"
	               " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n");
	assert_false(conf.zebra);
	assert_true(nhrpd_conf_zebra_wanted(&conf));
	assert_string_equal(conf.zebra_path, "/run/frr/zserv.api");
	assert_int_equal(conf.zebra_instance, 0);
	assert_int_equal(conf.zebra_distance, 10);
	assert_null(strstr(written(false), "nhrp zebra"));
	load_ok("nhrp zebra socket /tmp/z.api instance 7 distance 5\n");
	assert_true(conf.zebra);
	assert_string_equal(conf.zebra_path, "/tmp/z.api");
	assert_int_equal(conf.zebra_instance, 7);
	assert_int_equal(conf.zebra_distance, 5);
	assert_string_equal(written(false), "nhrp zebra socket /tmp/z.api instance 7 distance 5\n");
	load_ok("nhrp zebra distance 20\n");
	assert_string_equal(written(false), "nhrp zebra distance 20\n");
	assert_string_equal(conf.zebra_path, "/run/frr/zserv.api");
	/* Without shortcuts or host routes, no zebra. */
	load_ok(TUNNEL " ip address 10.0.0.2/24\n ip nhrp network-id 1\n");
	assert_false(nhrpd_conf_zebra_wanted(&conf));
	expect_error("nhrp zebra socket relative.api\n", "test.conf:1: ");
	expect_error("nhrp zebra distance 0\n", "test.conf:1: Invalid input at '0'");
	expect_error("nhrp zebra instance\n", "test.conf:1: Incomplete command");
}

/* A good secret and a bad line: refused whole, the secret wiped. */
static void test_error_wipes_secret(void **state)
{
	(void)state;
	expect_error(TUNNEL " ip address 10.0.0.2/24\n ip nhrp authentication pw\n"
	                    " ip nhrp holdtime soon\n",
	             "test.conf:8:");
}

static void test_auth_file(void **state)
{
	const char *good = tmp_file("pw12\n", 0600);
	const char *crlf = tmp_file("pw12\r\n", 0600);
	const char *open = tmp_file("pw12\n", 0640);
	const char *two = tmp_file("pw12\nmore\n", 0600);
	const char *toolong = tmp_file("123456789\n", 0600);
	const char *empty = tmp_file("", 0600);
	char text[512];

	(void)state;
	snprintf(text, sizeof(text),
	         TUNNEL " ip address 10.0.0.2/24\n"
	                " ip nhrp authentication file %s\n",
	         good);
	load_ok(text);
	assert_int_equal(conf.ifaces[0].auth_len, 4);
	assert_memory_equal(conf.ifaces[0].auth, "pw12", 4);
	assert_string_equal(conf.ifaces[0].auth_file, good);
	/* Shown by its path, in both forms. */
	snprintf(text, sizeof(text), " ip nhrp authentication file %s\n", good);
	assert_non_null(strstr(written(false), text));
	assert_non_null(strstr(written(true), text));
	assert_null(strstr(written(true), "pw12"));
	snprintf(text, sizeof(text),
	         TUNNEL " ip address 10.0.0.2/24\n"
	                " ip nhrp authentication file %s\n",
	         crlf);
	load_ok(text);
	assert_int_equal(conf.ifaces[0].auth_len, 4);
#define AUTH_FILE_ERROR(path, why)                                                                 \
	do {                                                                                       \
		snprintf(text, sizeof(text), TUNNEL " ip nhrp authentication file %s\n", path);    \
		expect_error(text, why);                                                           \
	} while (0)
	AUTH_FILE_ERROR(open, "is accessible by group or others (mode 640)");
	AUTH_FILE_ERROR(two, "more than one line");
	AUTH_FILE_ERROR(toolong, "empty or longer than 8 characters");
	AUTH_FILE_ERROR(empty, "empty or longer than 8 characters");
	AUTH_FILE_ERROR("/nonexistent/pw", "No such file or directory");
	AUTH_FILE_ERROR("/tmp", "not a regular file");
	/* A link is not followed (someone else may own where it points). */
	assert_true(ntmp < MAX_TMP);
	snprintf(tmp_paths[ntmp], sizeof(tmp_paths[0]), "%s.lnk", good);
	assert_int_equal(symlink(good, tmp_paths[ntmp]), 0);
	AUTH_FILE_ERROR(tmp_paths[ntmp++], "Too many levels of symbolic links");
}

/* The hidden form does not read back: the marker is not a password. */
static void test_secret_hidden(void **state)
{
	(void)state;
	load_ok(TUNNEL " ip address 10.0.0.2/24\n ip nhrp authentication s3cret\n");
	assert_null(strstr(written(false), "s3cret"));
	assert_non_null(strstr(written(false), " ip nhrp authentication <secret-hidden>\n"));
	assert_non_null(strstr(written(true), " ip nhrp authentication s3cret\n"));
	expect_error(written(false), "test.conf:6: the secret was hidden by show running-config: "
	                             "give it again, or use 'ip nhrp authentication file'");
}

/* Lines in any order come out in the canonical one. */
static void test_canonical_order(void **state)
{
	(void)state;
	load_ok("interface tun0\n"
	        " ip nhrp host-routes\n"
	        " ip nhrp shortcut\n"
	        " ip nhrp redirect\n"
	        " ip nhrp registration timeout 20\n"
	        " ip nhrp registration no-unique\n"
	        " ip nhrp map multicast 192.0.2.77\n"
	        " ip nhrp map multicast nhs\n"
	        " ip nhrp map multicast dynamic\n"
	        " ip nhrp map 10.0.0.8 192.0.2.8\n"
	        " ip nhrp map 10.0.0.7 192.0.2.7\n"
	        " ip nhrp nhs 10.0.0.254 nbma 192.0.2.254\n"
	        " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast\n"
	        " ip nhrp authentication pw\n"
	        " ip nhrp holdtime 7200\n"
	        " ip nhrp network-id 9\n"
	        " ip address 10.0.0.2/24\n"
	        " tunnel dataplane kernel\n"
	        " tunnel source 192.0.2.2\n"
	        " tunnel mode gre multipoint\n"
	        "nhrp zebra instance 3\n"
	        "hostname spoke2\n");
	assert_string_equal(written(true), "hostname spoke2\n"
	                                   "nhrp zebra instance 3\n"
	                                   "interface tun0\n"
	                                   " tunnel mode gre multipoint\n"
	                                   " tunnel source 192.0.2.2\n"
	                                   " tunnel dataplane kernel\n"
	                                   " ip address 10.0.0.2/24\n"
	                                   " ip nhrp network-id 9\n"
	                                   " ip nhrp holdtime 7200\n"
	                                   " ip nhrp authentication pw\n"
	                                   " ip nhrp nhs 10.0.0.254 nbma 192.0.2.254\n"
	                                   " ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast\n"
	                                   " ip nhrp map 10.0.0.8 192.0.2.8\n"
	                                   " ip nhrp map 10.0.0.7 192.0.2.7\n"
	                                   " ip nhrp map multicast dynamic\n"
	                                   " ip nhrp map multicast nhs\n"
	                                   " ip nhrp map multicast 192.0.2.77\n"
	                                   " ip nhrp registration no-unique\n"
	                                   " ip nhrp registration timeout 20\n"
	                                   " ip nhrp redirect\n"
	                                   " ip nhrp shortcut\n"
	                                   " ip nhrp host-routes\n"
	                                   "!\n");
}

/* Write, read back, write again: the same text (and the same struct). */
static void test_round_trip(void **state)
{
	static struct nhrpd_conf first;
	const char *pwfile = tmp_file("filepw\n", 0600);
	struct strbuf once;
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text),
	         "hostname r1\n"
	         "nhrp zebra socket /run/z.api distance 30\n" TUNNEL
	         " description the hub\n ip address 10.0.0.1/24\n"
	         " ip nhrp network-id 1\n ip nhrp holdtime 600\n ip nhrp authentication abc\n"
	         " ip nhrp map 10.0.0.9 192.0.2.9\n ip nhrp map multicast dynamic\n"
	         " ip nhrp map multicast 192.0.2.50\n ip nhrp redirect\n ip nhrp host-routes\n"
	         "!\n"
	         "interface tun1\n tunnel mode gre multipoint\n tunnel source 2001:db8::2\n"
	         " ip address 10.1.0.2/24\n ip nhrp nhs 10.1.0.1 nbma 192.0.2.1 multicast\n"
	         " ip nhrp authentication file %s\n ip nhrp registration no-unique\n"
	         " ip nhrp registration timeout 9\n ip nhrp shortcut\n"
	         "!\n"
	         "interface eth1\n ip address 172.16.0.1/16\n!\n",
	         pwfile);
	load_ok(text);
	first = conf;
	strbuf_init(&once);
	strbuf_puts(&once, written(true));
	load_ok(strbuf_str(&once));
	assert_string_equal(written(true), strbuf_str(&once));
	assert_int_equal(conf.nifaces, first.nifaces);
	assert_memory_equal(conf.ifaces[1].auth, first.ifaces[1].auth, NHRP_AUTH_MAX);
	assert_int_equal(nhrpd_conf_count_running(&conf), 2);
	strbuf_free(&once);
	nhrpd_conf_wipe(&first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_binding_complete),
	    cmocka_unit_test(test_hub),
	    cmocka_unit_test(test_spoke_defaults),
	    cmocka_unit_test(test_kept_not_run),
	    cmocka_unit_test(test_block_reopened),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_no_ip_address),
	    cmocka_unit_test(test_too_many_interfaces),
	    cmocka_unit_test(test_error_wipes_secret),
	    cmocka_unit_test(test_zebra),
	    cmocka_unit_test_teardown(test_auth_file, cleanup),
	    cmocka_unit_test(test_secret_hidden),
	    cmocka_unit_test(test_canonical_order),
	    cmocka_unit_test_teardown(test_round_trip, cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
