/*
 * nhrpd's live configuration, through its control handler as the shell
 * drives it ("configure\nHEADER\nLINE", "configure-check\n...", exec
 * commands), on a daemon whose interface is configured but not attached
 * (no such device: nothing is sent, the state machines still run):
 *
 * - a change that can be live reaches the running interface (holding
 *   time, NHSes added and removed, the NHS that stays is the same object,
 *   maps, password) with no notice;
 * - one that needs a restart is kept in the running configuration with
 *   "% nhrpd: restart nhrpd to apply: ..." and the interface runs as before;
 * - a refused line, or a check, leaves configuration and state as they were;
 * - SIGHUP reads the file again, or keeps everything when it has errors.
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

#define IFN "nhrput0" /* no such device: the interface stays detached */

#define BASE                                                                                       \
	"hostname spoke\n"                                                                         \
	"interface " IFN "\n"                                                                      \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source eth0\n"                                                                    \
	" ip address 10.0.0.2/24\n"                                                                \
	" ip nhrp network-id 1\n"                                                                  \
	" ip nhrp authentication pw\n"                                                             \
	" ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n"

static struct nhrpd d;
static char conf_path[40];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct strbuf errors;
	int fd;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.loop = ev_loop_new(EVFLAG_AUTO);
	d.neigh_fd = -1;
	d.nflog_fd = -1;
	strcpy(conf_path, "/tmp/test_nhrpd_live_XXXXXX");
	fd = mkstemp(conf_path);
	assert_true(fd >= 0);
	close(fd);
	write_file(conf_path, BASE);
	d.conf_path = conf_path;
	d.conf = malloc(sizeof(*d.conf));
	strbuf_init(&errors);
	if (nhrpd_conf_load(conf_path, d.conf, &errors) < 0)
		fail_msg("%s", strbuf_str(&errors));
	strbuf_free(&errors);
	assert_int_equal(nhrp_iface_create(&d, &d.conf->ifaces[0]), 0);
	assert_int_equal(d.nifaces, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (d.nifaces)
		nhrp_iface_destroy(d.ifaces[d.nifaces - 1]);
	nhrp_zebra_close(&d);
	nhrpd_conf_free(d.conf);
	ev_loop_destroy(d.loop);
	unlink(conf_path);
	return 0;
}

/* One control request: its status, and its output (static). */
static const char *ctl(const char *req, int *rc)
{
	static struct strbuf out;

	strbuf_free(&out);
	strbuf_init(&out);
	*rc = nhrpd_ctl_handle(&d, req, &out);
	return strbuf_str(&out);
}

/* A live line under interface IFN: it must be accepted; the notices. */
static const char *live(const char *line)
{
	char req[256];
	const char *out;
	int rc;

	snprintf(req, sizeof(req), "configure\ninterface " IFN "\n%s", line);
	out = ctl(req, &rc);
	if (rc != 0)
		fail_msg("'%s' refused: %s", line, out);
	return out;
}

static const char *running_config(void)
{
	static struct strbuf out;

	strbuf_free(&out);
	strbuf_init(&out);
	nhrpd_running_config(d.conf, true, &out);
	return strbuf_str(&out);
}

static struct nhrp_iface *ifp0(void)
{
	return d.ifaces[0];
}

static void test_holdtime_live(void **state)
{
	(void)state;
	assert_string_equal(live("ip nhrp holdtime 300"), "");
	assert_int_equal(d.conf->ifaces[0].holdtime, 300);
	assert_int_equal(ifp0()->conf.holdtime, 300);
	assert_int_equal(nhrp_iface_holdtime(ifp0()), 300);
	assert_non_null(strstr(running_config(), "\n ip nhrp holdtime 300\n"));
	assert_string_equal(live("no ip nhrp holdtime"), "");
	assert_int_equal(ifp0()->conf.holdtime, NHRP_DEFAULT_HOLDTIME);
	assert_null(strstr(running_config(), "holdtime"));
	assert_string_equal(live("ip nhrp registration timeout 5"), "");
	assert_int_equal(ifp0()->conf.reg_timeout, 5);
	assert_string_equal(live("ip nhrp network-id 42"), "");
	assert_int_equal(ifp0()->conf.network_id, 42);
}

static void test_nhs_live(void **state)
{
	struct nhrp_nhs *second;
	struct ipaddr a;

	(void)state;
	assert_string_equal(live("ip nhrp nhs 10.0.0.254 nbma 192.0.2.254 multicast"), "");
	assert_int_equal(ifp0()->nnhs, 2);
	second = ifp0()->nhs[1];
	ipaddr_parse("10.0.0.254", &a);
	assert_true(ipaddr_equal(&second->conf.proto, &a));
	assert_true(second->conf.multicast);
	/* The same line again: nothing changes. */
	assert_string_equal(live("ip nhrp nhs 10.0.0.254 nbma 192.0.2.254 multicast"), "");
	assert_ptr_equal(ifp0()->nhs[1], second);
	assert_string_equal(live("no ip nhrp nhs 10.0.0.1"), "");
	assert_int_equal(ifp0()->nnhs, 1);
	/* The NHS that stays is the one that ran (its registration goes on). */
	assert_ptr_equal(ifp0()->nhs[0], second);
	assert_int_equal(d.conf->ifaces[0].nnhs, 1);
	assert_false(nhrp_iface_is_server(ifp0()));
	assert_string_equal(live("no ip nhrp nhs 10.0.0.254"), "");
	assert_int_equal(ifp0()->nnhs, 0);
	assert_true(nhrp_iface_is_server(ifp0()));
}

static void test_maps_and_flags_live(void **state)
{
	(void)state;
	assert_string_equal(live("ip nhrp map 10.0.0.9 192.0.2.9"), "");
	assert_string_equal(live("ip nhrp map multicast 192.0.2.50"), "");
	assert_string_equal(live("ip nhrp map multicast dynamic"), "");
	assert_int_equal(ifp0()->conf.nmaps, 1);
	assert_int_equal(ifp0()->conf.nmcast, 1);
	assert_true(ifp0()->conf.mcast_dynamic);
	assert_string_equal(live("no ip nhrp map 10.0.0.9"), "");
	assert_string_equal(live("no ip nhrp map multicast 192.0.2.50"), "");
	assert_int_equal(ifp0()->conf.nmaps, 0);
	assert_int_equal(ifp0()->conf.nmcast, 0);
	assert_string_equal(live("ip nhrp registration no-unique"), "");
	assert_true(ifp0()->conf.no_unique);
	assert_string_equal(live("ip nhrp shortcut"), "");
	assert_true(ifp0()->conf.shortcut);
	assert_string_equal(live("no ip nhrp shortcut"), "");
	assert_false(ifp0()->conf.shortcut);
}

static void test_auth_live(void **state)
{
	(void)state;
	assert_string_equal(live("ip nhrp authentication newpw"), "");
	assert_int_equal(ifp0()->conf.auth_len, 5);
	assert_memory_equal(ifp0()->conf.auth, "newpw", 5);
	assert_string_equal(live("no ip nhrp authentication"), "");
	assert_int_equal(ifp0()->conf.auth_len, 0);
	assert_int_equal(ifp0()->conf.auth[0], 0);
}

static void test_refused_changes_nothing(void **state)
{
	struct strbuf before;
	struct nhrp_iface_conf ic = ifp0()->conf;
	const char *out;
	int rc;

	(void)state;
	strbuf_init(&before);
	strbuf_puts(&before, running_config());
	assert_string_equal(live("ip nhrp map 10.0.0.9 192.0.2.9"), "");
	strbuf_reset(&before);
	strbuf_puts(&before, running_config());
	ic = ifp0()->conf;
	out = ctl("configure\ninterface " IFN "\nip nhrp holdtime 0", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% Invalid input at '0'\n");
	out = ctl("configure\ninterface " IFN "\nip nhrp map 10.0.0.9 192.0.2.10", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% 10.0.0.9 already mapped to 192.0.2.9: "
	                         "'no ip nhrp map' it first\n");
	out = ctl("configure\ninterface " IFN "\nip nhrp authentication <secret-hidden>", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% the secret was hidden by show running-config: give it again, "
	                         "or use 'ip nhrp authentication file'\n");
	out = ctl("configure\ninterface " IFN "\nno ip nhrp nhs 10.9.9.9", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% NHS 10.9.9.9 is not configured\n");
	out = ctl("configure\ninterface " IFN "\ndescription hello", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% not a nhrpd command: description hello\n");
	/* A check says yes and changes nothing. */
	out = ctl("configure-check\ninterface " IFN "\nip nhrp holdtime 42", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "");
	assert_string_equal(running_config(), strbuf_str(&before));
	assert_int_equal(ifp0()->conf.holdtime, ic.holdtime);
	assert_int_equal(ifp0()->conf.nmaps, ic.nmaps);
	assert_memory_equal(ifp0()->conf.auth, ic.auth, sizeof(ic.auth));
	strbuf_free(&before);
	explicit_bzero(&ic, sizeof(ic));
}

/*
 * `no ip address X` for an X that is not the configured address is
 * refused, by configure-check as by configure (the shell asks every owner
 * first, so mgred and nhrpd refuse it alike), and changes nothing; the
 * configured one is removed, with the restart it needs.
 */
static void test_no_ip_address(void **state)
{
	struct ipaddr a;
	const char *out;
	int rc;

	(void)state;
	ipaddr_parse("10.0.0.2", &a);
	out = ctl("configure-check\ninterface " IFN "\nno ip address 10.0.0.9/24", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% ip address 10.0.0.9/24 is not configured on " IFN "\n");
	out = ctl("configure\ninterface " IFN "\nno ip address 10.0.0.9/24", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% ip address 10.0.0.9/24 is not configured on " IFN "\n");
	assert_true(ipaddr_equal(&d.conf->ifaces[0].tun.addr, &a));
	assert_true(ipaddr_equal(&ifp0()->conf.tun.addr, &a));
	assert_non_null(strstr(running_config(), "\n ip address 10.0.0.2/24\n"));
	assert_string_equal(live("no ip address 10.0.0.2/24"),
	                    "% nhrpd: restart nhrpd to apply: interface " IFN
	                    ": ip address ('ip address' is required for NHRP)\n");
	assert_false(ipaddr_is_set(&d.conf->ifaces[0].tun.addr));
	assert_true(ipaddr_equal(&ifp0()->conf.tun.addr, &a)); /* runs as before */
	/* Nothing configured now: naming an address is refused, none is fine. */
	out = ctl("configure\ninterface " IFN "\nno ip address 10.0.0.2/24", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% ip address 10.0.0.2/24 is not configured on " IFN "\n");
	live("no ip address");
}

static void test_restart_notices(void **state)
{
	const char *out;
	int rc;

	(void)state;
	assert_string_equal(live("tunnel source eth9"),
	                    "% nhrpd: restart nhrpd to apply: interface " IFN ": tunnel source\n");
	assert_string_equal(d.conf->ifaces[0].tun.source_dev, "eth9");
	assert_string_equal(ifp0()->conf.tun.source_dev, "eth0"); /* runs as before */
	assert_string_equal(live("ip address 10.0.0.3/24"),
	                    "% nhrpd: restart nhrpd to apply: interface " IFN ": ip address\n");
	/* The live part of the same interface still applies. */
	assert_string_equal(live("ip nhrp holdtime 60"), "");
	assert_int_equal(ifp0()->conf.holdtime, 60);
	/* Back to what runs: nothing to restart for. */
	assert_string_equal(live("tunnel source eth0"), "");
	assert_string_equal(live("ip address 10.0.0.2/24"), "");
	assert_string_equal(live("tunnel dataplane kernel"),
	                    "% nhrpd: restart nhrpd to apply: interface " IFN
	                    ": tunnel dataplane\n");
	out = ctl("configure\n\nnhrp zebra distance 20", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "% nhrpd: restart nhrpd to apply: nhrp zebra\n");
	/* A new interface, typed line by line: accepted incomplete. */
	assert_string_equal(ctl("configure\n\ninterface nhrput1", &rc), "");
	assert_int_equal(rc, 0);
	assert_string_equal(ctl("configure\ninterface nhrput1\ntunnel mode gre multipoint", &rc),
	                    "");
	out = ctl("configure\ninterface nhrput1\nip nhrp network-id 1", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "% nhrpd: restart nhrpd to apply: new NHRP interface nhrput1 "
	                         "('tunnel source' is required for NHRP)\n");
	assert_int_equal(d.nifaces, 1);
	assert_int_equal(d.conf->nifaces, 2);
	out = ctl("configure\n\nno interface " IFN, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "% nhrpd: restart nhrpd to apply: interface " IFN " deleted\n");
	assert_int_equal(d.nifaces, 1);
	assert_null(nhrpd_conf_iface(d.conf, IFN));
	/* The hostname is only kept (the shell's prompt). */
	assert_string_equal(ctl("configure\n\nhostname spoke9", &rc), "");
	assert_string_equal(d.conf->hostname, "spoke9");
}

static void test_exec(void **state)
{
	const char *out;
	int rc;

	(void)state;
	out = ctl("show running-config", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, " ip nhrp authentication <secret-hidden>\n"));
	assert_null(strstr(out, " pw"));
	out = ctl("show running-config json", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"hostname spoke\""));
	out = ctl("show running-config secrets", &rc); /* not from root */
	assert_int_equal(rc, -1);
	assert_null(strstr(out, "pw"));
	assert_string_equal(ctl("show version", &rc), "nhrpd 0.2\n");
	out = ctl("show ip nhrp nhs json", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"interfaces\":[{\"name\":\"" IFN "\""));
	ctl("debug nhrp", &rc);
	assert_int_equal(rc, 0);
	assert_true(log_category_enabled(LOG_CAT_NHRP));
	ctl("no debug nhrp", &rc);
	assert_false(log_category_enabled(LOG_CAT_NHRP));
	ctl("show dmvpn bogus", &rc);
	assert_int_equal(rc, -1);
	ctl("show crypto ikev2 sa", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(ctl("clear ip nhrp", &rc), "0 entries cleared\n");
}

/* A hub grants at most its own holding time (Cisco; RFC 2332 5.2.0.1: the
 * reply's CIE is what the binding is valid for), and a lowered one at the
 * next registration. */
static uint16_t register_at_hub(uint16_t asked)
{
	static struct nhrp_packet p;
	struct ipaddr from;
	const struct nhrp_cache_entry *e;

	memset(&p, 0, sizeof(p));
	p.type = NHRP_REGISTRATION_REQUEST;
	ipaddr_parse("10.0.0.7", &p.src_proto);
	ipaddr_parse("192.0.2.7", &p.src_nbma);
	p.dst_proto = ifp0()->conf.tun.addr;
	p.n_cie = 1;
	p.cie[0].holding_time = asked;
	p.cie[0].proto = p.src_proto;
	p.cie[0].nbma = p.src_nbma;
	from = p.src_nbma;
	nhrp_server_recv_registration(ifp0(), &p, &from);
	e = nhrp_cache_get(ifp0(), &p.src_proto);
	assert_non_null(e);
	assert_int_equal(e->type, NHRP_CACHE_DYNAMIC);
	return e->holding_time;
}

static void test_hub_grants_its_holdtime(void **state)
{
	(void)state;
	assert_string_equal(live("no ip nhrp nhs 10.0.0.1"), "");
	assert_true(nhrp_iface_is_server(ifp0()));
	assert_int_equal(register_at_hub(600), 600); /* under the default 7200 */
	assert_string_equal(live("ip nhrp holdtime 300"), "");
	assert_int_equal(register_at_hub(600), 300);
	assert_int_equal(register_at_hub(100), 100);
}

static void test_sighup(void **state)
{
	(void)state;
	write_file(conf_path,
	           BASE " ip nhrp holdtime 120\n ip nhrp nhs 10.0.0.254 nbma 192.0.2.254\n");
	nhrpd_reload(&d);
	assert_int_equal(ifp0()->conf.holdtime, 120);
	assert_int_equal(ifp0()->nnhs, 2);
	assert_int_equal(d.conf->ifaces[0].holdtime, 120);
	/* A file with an error: everything stays. */
	write_file(conf_path, BASE " ip nhrp holdtime 0\n");
	nhrpd_reload(&d);
	assert_int_equal(ifp0()->conf.holdtime, 120);
	assert_int_equal(d.conf->ifaces[0].holdtime, 120);
	assert_int_equal(ifp0()->nnhs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_holdtime_live, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nhs_live, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_maps_and_flags_live, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_auth_live, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_ip_address, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_notices, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exec, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hub_grants_its_holdtime, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sighup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
