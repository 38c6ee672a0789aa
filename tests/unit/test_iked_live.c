/*
 * iked on the command engine: its binding covers every command it owns,
 * show running-config gives back what was configured (canonical order,
 * defaults left out, the PSK's path and never the key) and reads back to
 * the same configuration, and live lines change a candidate that replaces
 * the running configuration only when every check passed. An IKE SA keeps
 * the profile version it was negotiated under (ASan watches the pointer)
 * while new SAs get the new one.
 *
 * PSK files are created with mkstemp in /tmp and removed by each test's
 * teardown.
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

#include "iked/iked.h"
#include "lib/cmd_conf.h"

static struct iked_conf conf;
static struct iked d0;

#define MAX_TMP 8
static char tmp_paths[MAX_TMP][40];
static unsigned ntmp;

static const char *tmp_file(const char *text, mode_t mode)
{
	char *path;
	int fd;

	assert_true(ntmp < MAX_TMP);
	path = tmp_paths[ntmp];
	strcpy(path, "/tmp/test_iked_live_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	ntmp++;
	assert_int_equal(write(fd, text, strlen(text)), strlen(text));
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
	while (d0.sas)
		ike_sa_free(d0.sas);
	iked_conf_wipe(&conf);
	return 0;
}

/* The running-config text of c (static: valid until the next call). */
static const char *rc_text(const struct iked_conf *c)
{
	static struct strbuf sb;

	strbuf_free(&sb);
	strbuf_init(&sb);
	iked_running_config(c, &sb);
	return sb.s ? sb.s : "";
}

static void load_ok(const char *text)
{
	struct strbuf errors;

	strbuf_init(&errors);
	if (iked_conf_load_mem("test.conf", text, strlen(text), &conf, &errors) != 0)
		fail_msg("unexpected errors: %s", strbuf_str(&errors));
	strbuf_free(&errors);
}

static const char *psk1, *psk2;

/* Every line iked has, out of the canonical order and in other spellings,
 * with lines of the other daemons around. */
static void load_rich(void)
{
	char text[2048];

	psk1 = tmp_file("hub key\n", 0600);
	psk2 = tmp_file("spoke key\n", 0400);
	snprintf(text, sizeof(text),
	         "hostname hub1\n"
	         "crypto ikev2 profile HUB\n"
	         " dpd 30\n"
	         " mode transport\n"
	         " proposal x25519-prfsha384-aes256gcm16\n"
	         " match identity remote key-id spoke@dmvpn\n"
	         " authentication pre-shared-key file %s\n"
	         " proposal aes128-sha256-curve25519\n"
	         " esp-proposal chacha20poly1305\n"
	         " lifetime child 1800\n"
	         " esp-proposal aes128-sha256\n"
	         " identity local fqdn hub.example.net\n"
	         " match address remote any\n"
	         " lifetime ike 28800\n"
	         "!\n"
	         "interface tun0\n"
	         " ip nhrp network-id 1\n"
	         " tunnel source 192.0.2.1\n"
	         "crypto ikev2 profile SPOKE\n"
	         " authentication pre-shared-key file %s\n"
	         " identity local address 2001:db8::1\n"
	         " match identity remote address\n"
	         " match address remote 192.0.2.1\n"
	         " mode tunnel\n"
	         "crypto ikev2 cookie-challenge 10\n"
	         "crypto ikev2 profile BARE\n"
	         " authentication pre-shared-key file %s\n",
	         psk1, psk2, psk1);
	load_ok(text);
}

static void expect_rich_text(void)
{
	char want[2048];

	snprintf(want, sizeof(want),
	         "crypto ikev2 cookie-challenge 10\n"
	         "crypto ikev2 profile HUB\n"
	         " authentication pre-shared-key file %s\n"
	         " proposal aes256gcm16-prfsha384-x25519\n"
	         " proposal aes128-sha256-x25519\n"
	         " esp-proposal chacha20poly1305\n"
	         " esp-proposal aes128-sha256\n"
	         " identity local fqdn hub.example.net\n"
	         " match identity remote key-id spoke@dmvpn\n"
	         " match address remote any\n"
	         " lifetime ike 28800\n"
	         " lifetime child 1800\n"
	         " dpd 30\n"
	         " mode transport\n"
	         "!\n"
	         "crypto ikev2 profile SPOKE\n"
	         " authentication pre-shared-key file %s\n"
	         " identity local address 2001:db8::1\n"
	         " match identity remote address\n"
	         " match address remote 192.0.2.1\n"
	         " mode tunnel\n"
	         "!\n"
	         "crypto ikev2 profile BARE\n"
	         " authentication pre-shared-key file %s\n"
	         "!\n",
	         psk1, psk2, psk1);
	assert_string_equal(rc_text(&conf), want);
}

static void test_binding_check(void **state)
{
	struct strbuf err;

	(void)state;
	strbuf_init(&err);
	assert_int_equal(cmd_binding_check(iked_binding(), &err), 0);
	assert_int_equal(err.len, 0);
	strbuf_free(&err);
}

/* Load, write, load the text, write again: the same text, the same keys. */
static void test_round_trip(void **state)
{
	char first[2048];

	(void)state;
	load_rich();
	expect_rich_text();
	assert_false(strstr(rc_text(&conf), "hub key") || strstr(rc_text(&conf), "spoke key"));
	snprintf(first, sizeof(first), "%s", rc_text(&conf));
	load_ok(first);
	assert_string_equal(rc_text(&conf), first);
	assert_int_equal(conf.nprofiles, 3);
	assert_int_equal(conf.profiles[1]->psk_len, 9);
	assert_memory_equal(conf.profiles[1]->psk, "spoke key", 9);
	assert_int_equal(conf.cookie_threshold, 10);
	/* Defaults are not printed, and hold. */
	assert_int_equal(conf.profiles[2]->n_ike, 1);
	assert_string_equal(conf.profiles[2]->ike[0].text, IKED_IKE_DEFAULT);
	assert_int_equal(conf.profiles[2]->ike_lifetime, IKED_IKE_LIFETIME);
	/* Nothing of iked's: nothing printed. */
	load_ok("interface tun0\n ip nhrp network-id 1\n");
	assert_string_equal(rc_text(&conf), "");
	assert_int_equal(conf.cookie_threshold, IKED_COOKIE_DEFAULT);
}

/* Apply header+line to conf; the candidate replaces it. */
static void apply_ok(const char *header, const char *line)
{
	struct strbuf out;
	struct iked_conf *cand;

	strbuf_init(&out);
	cand = iked_conf_candidate(&conf, header, line, &out);
	if (!cand)
		fail_msg("'%s' / '%s' refused: %s", header ? header : "", line, strbuf_str(&out));
	assert_int_equal(out.len, 0);
	strbuf_free(&out);
	iked_conf_replace(&conf, cand);
}

/* Refused with want in the reply, and nothing changed: the same text, the
 * same profile objects. */
static void apply_refused(const char *header, const char *line, const char *want)
{
	struct iked_profile *before[IKED_MAX_PROFILES];
	unsigned n = conf.nprofiles;
	struct strbuf out;
	char text[2048];

	memcpy(before, conf.profiles, sizeof(before));
	snprintf(text, sizeof(text), "%s", rc_text(&conf));
	strbuf_init(&out);
	assert_null(iked_conf_candidate(&conf, header, line, &out));
	if (!strstr(strbuf_str(&out), want) || strncmp(strbuf_str(&out), "% ", 2))
		fail_msg("'%s': expected '%% ...%s' in: %s", line, want, strbuf_str(&out));
	strbuf_free(&out);
	assert_string_equal(rc_text(&conf), text);
	assert_int_equal(conf.nprofiles, n);
	assert_memory_equal(conf.profiles, before, sizeof(before));
}

static struct ike_sa *sa_under(const char *profile)
{
	struct ipaddr local, remote;
	struct ike_sa *sa;

	assert_int_equal(ipaddr_parse("192.0.2.1", &local), 0);
	assert_int_equal(ipaddr_parse("192.0.2.2", &remote), 0);
	sa = ike_sa_new(&d0, iked_conf_profile(&conf, profile), true, &local, &remote, 500);
	assert_non_null(sa);
	return sa;
}

/* A live proposal change: what a new SA offers changes; an existing SA
 * keeps its version, valid after the change and after the removal of the
 * profile, until it is freed. */
static void test_live_proposal(void **state)
{
	const struct iked_profile *old, *p;
	struct ikev2_sa_payload offer;
	struct ike_sa *sa;

	(void)state;
	load_rich();
	d0.loop = EV_DEFAULT;
	d0.conf = &conf;
	sa = sa_under("HUB");
	old = sa->profile;
	assert_ptr_equal(old, conf.profiles[0]);
	assert_int_equal(old->refs, 2); /* the configuration's and the SA's */

	apply_ok("crypto ikev2 profile HUB", "proposal aes128-sha256-ecp256");
	p = iked_conf_profile(&conf, "HUB");
	assert_ptr_not_equal(p, old);
	assert_int_equal(p->n_ike, 3);
	assert_string_equal(p->ike[2].text, "aes128-sha256-ecp256");
	assert_int_equal(old->n_ike, 2);
	assert_int_equal(old->refs, 1); /* the SA's only */
	assert_ptr_equal(sa->profile, old);

	/* Only the new one: a new SA offers it alone. */
	apply_ok("crypto ikev2 profile HUB", "no proposal");
	assert_string_equal(iked_conf_profile(&conf, "HUB")->ike[0].text, IKED_IKE_DEFAULT);
	assert_false(iked_conf_profile(&conf, "HUB")->set.ike);
	apply_ok("crypto ikev2 profile HUB", "proposal ecp256-aes128-sha256");
	p = iked_conf_profile(&conf, "HUB");
	ike_proposals_ike(p, &offer);
	assert_int_equal(offer.n, 1);
	assert_int_equal(offer.p[0].t[0].id, IKEV2_ENCR_AES_CBC);
	assert_int_equal(offer.p[0].t[0].key_len, 128);
	assert_int_equal(offer.p[0].t[3].type, IKEV2_TRANSFORM_DH);
	assert_int_equal(offer.p[0].t[3].id, IKEV2_DH_ECP_256);
	/* The SA's version still offers what it was negotiated under. */
	ike_proposals_ike(sa->profile, &offer);
	assert_int_equal(offer.n, 2);
	assert_int_equal(offer.p[0].t[0].id, IKEV2_ENCR_AES_GCM_16);
	assert_true(strstr(rc_text(&conf), " proposal aes128-sha256-ecp256\n esp-proposal"));

	/* A second SA under the new version; then the profile goes: both
	 * SAs keep theirs, the configuration has none. */
	sa = sa_under("HUB");
	assert_ptr_equal(sa->profile, p);
	apply_ok(NULL, "no crypto ikev2 profile HUB");
	assert_null(iked_conf_profile(&conf, "HUB"));
	assert_int_equal(conf.nprofiles, 2);
	assert_string_equal(conf.profiles[0]->name, "SPOKE");
	assert_string_equal(sa->profile->name, "HUB");
	assert_string_equal(sa->profile->ike[0].text, "aes128-sha256-ecp256");
	assert_string_equal(old->ike[1].text, "aes128-sha256-x25519");
	assert_int_equal(old->psk_len, 7);
	/* cleanup frees the SAs: the last references (ASan: no leak, no
	 * use after free). */
}

/* A line that does not change a profile leaves the same object (SAs and
 * the log see no new version). */
static void test_live_unchanged_profile_kept(void **state)
{
	const struct iked_profile *p;

	(void)state;
	load_rich();
	p = conf.profiles[0];
	apply_ok("crypto ikev2 profile HUB", "dpd 30");
	apply_ok("crypto ikev2 profile HUB", "proposal aes128-sha256-x25519");
	apply_ok(NULL, "crypto ikev2 cookie-challenge 5");
	assert_ptr_equal(conf.profiles[0], p);
	assert_int_equal(p->refs, 1);
	assert_int_equal(conf.cookie_threshold, 5);
	apply_ok(NULL, "no crypto ikev2 cookie-challenge");
	assert_int_equal(conf.cookie_threshold, IKED_COOKIE_DEFAULT);
	assert_null(strstr(rc_text(&conf), "cookie-challenge"));
	apply_ok(NULL, "crypto ikev2 cookie-challenge 0");
	assert_int_equal(conf.cookie_threshold, 0);
	assert_int_equal(strncmp(rc_text(&conf), "crypto ikev2 cookie-challenge 0\n", 32), 0);
}

static void test_live_refused(void **state)
{
	const char *open_psk, *psk_lines;

	(void)state;
	load_rich();
	open_psk = tmp_file("k\n", 0644);
	psk_lines = tmp_file("k\nl\n", 0600);
	apply_refused("crypto ikev2 profile HUB", "proposal des-sha1-modp1024",
	              "proposal 'des-sha1-modp1024': expected e.g.");
	apply_refused("crypto ikev2 profile HUB", "esp-proposal aes128gcm16-x25519",
	              "esp-proposal 'aes128gcm16-x25519': expected e.g. aes256gcm16");
	apply_refused("crypto ikev2 profile HUB", "dpd 99999", "% Invalid input at '99999'");
	apply_refused("crypto ikev2 profile HUB", "lifetime", "% Incomplete command");
	apply_refused("crypto ikev2 profile HUB", "no proposal aes256-sha512-modp2048",
	              "% proposal aes256-sha512-modp2048 is not configured");
	apply_refused("crypto ikev2 profile BARE", "no esp-proposal aes256gcm16",
	              "aes256gcm16 is not configured");
	apply_refused(NULL, "no crypto ikev2 profile NOPE", "no crypto ikev2 profile NOPE");
	/* A bad key file refuses the line, and the old key stays. */
	apply_refused("crypto ikev2 profile HUB",
	              "authentication pre-shared-key file /nonexistent/k",
	              "pre-shared key file /nonexistent/k: No such file");
	{
		char line[128];

		snprintf(line, sizeof(line), "authentication pre-shared-key file %s", open_psk);
		apply_refused("crypto ikev2 profile HUB", line, "accessible by group or others");
		snprintf(line, sizeof(line), "authentication pre-shared-key file %s", psk_lines);
		apply_refused("crypto ikev2 profile HUB", line, "more than one line");
	}
	assert_memory_equal(conf.profiles[0]->psk, "hub key", 7);
	/* A new profile wants its key first. */
	apply_refused("crypto ikev2 profile NEW", "dpd 10",
	              "profile NEW: 'authentication pre-shared-key file' is required (set it "
	              "first)");
	/* Other daemons' lines, and nonsense. */
	apply_refused("interface tun0", "ip nhrp holdtime 300", "% not an iked command");
	apply_refused(NULL, "hostname hub2", "% not an iked command");
	apply_refused("crypto ikev2 profile HUB", "frobnicate", "% Unknown command: frobnicate");
	apply_refused("crypto ikev2", "dpd 10", "% Incomplete command");
	apply_refused("hostname hub2", "dpd 10", "opens no block");
	/* Too many profiles. */
	for (int i = 0; conf.nprofiles < IKED_MAX_PROFILES; i++) {
		char hdr[64], line[128];

		snprintf(hdr, sizeof(hdr), "crypto ikev2 profile P%d", i);
		snprintf(line, sizeof(line), "authentication pre-shared-key file %s", psk1);
		apply_ok(hdr, line);
	}
	apply_refused("crypto ikev2 profile ONE-TOO-MANY", "dpd 1", "at most 16 profiles");
}

/* A profile made live, its key changed, its lines reset with `no`. */
static void test_live_profile_lines(void **state)
{
	const struct iked_profile *p, *v1;
	const char *newkey;
	struct ike_sa *sa;
	char line[128], want[512];

	(void)state;
	load_rich();
	d0.loop = EV_DEFAULT;
	d0.conf = &conf;
	/* The header alone (the shell entering the node) keeps nothing. */
	apply_ok(NULL, "crypto ikev2 profile NEW");
	assert_null(iked_conf_profile(&conf, "NEW"));
	snprintf(line, sizeof(line), "authentication pre-shared-key file %s", psk2);
	apply_ok("crypto ikev2 profile NEW", line);
	apply_ok("crypto ikev2 profile NEW", "life ch 900"); /* abbreviated */
	apply_ok("crypto ikev2 profile NEW", "match identity remote fqdn spoke.example.net");
	p = iked_conf_profile(&conf, "NEW");
	assert_non_null(p);
	assert_int_equal(p->line, 0);
	assert_int_equal(p->child_lifetime, 900);
	snprintf(want, sizeof(want),
	         "crypto ikev2 profile NEW\n"
	         " authentication pre-shared-key file %s\n"
	         " match identity remote fqdn spoke.example.net\n"
	         " lifetime child 900\n"
	         "!\n",
	         psk2);
	assert_non_null(strstr(rc_text(&conf), want));

	/* A new key for new SAs; the SA keeps the key it authenticated with. */
	sa = sa_under("NEW");
	v1 = sa->profile;
	newkey = tmp_file("a new key\n", 0600);
	snprintf(line, sizeof(line), "authentication pre-shared-key file %s", newkey);
	apply_ok("crypto ikev2 profile NEW", line);
	p = iked_conf_profile(&conf, "NEW");
	assert_int_equal(p->psk_len, 9);
	assert_memory_equal(p->psk, "a new key", 9);
	assert_string_equal(p->psk_path, newkey);
	assert_int_equal(v1->psk_len, 9);
	assert_memory_equal(v1->psk, "spoke key", 9);

	/* Every `no` form gives the default back, and running-config drops it. */
	apply_ok("crypto ikev2 profile HUB", "no dpd");
	apply_ok("crypto ikev2 profile HUB", "no mode");
	apply_ok("crypto ikev2 profile HUB", "no lifetime ike");
	apply_ok("crypto ikev2 profile HUB", "no lifetime child 1800");
	apply_ok("crypto ikev2 profile HUB", "no identity local");
	apply_ok("crypto ikev2 profile HUB", "no match identity remote");
	apply_ok("crypto ikev2 profile HUB", "no match address remote");
	apply_ok("crypto ikev2 profile HUB", "no esp-proposal chacha20poly1305");
	apply_ok("crypto ikev2 profile HUB", "no proposal aes256gcm16-x25519-prfsha384");
	p = iked_conf_profile(&conf, "HUB");
	assert_int_equal(p->dpd, 0);
	assert_false(p->tunnel_mode);
	assert_int_equal(p->ike_lifetime, IKED_IKE_LIFETIME);
	assert_int_equal(p->child_lifetime, IKED_CHILD_LIFETIME);
	assert_int_equal(p->local_id.type, IKED_ID_ADDRESS_AUTO);
	assert_int_equal(p->remote_id.type, IKED_ID_ANY);
	snprintf(want, sizeof(want),
	         "crypto ikev2 profile HUB\n"
	         " authentication pre-shared-key file %s\n"
	         " proposal aes128-sha256-x25519\n"
	         " esp-proposal aes128-sha256\n"
	         "!\n",
	         psk1);
	assert_non_null(strstr(rc_text(&conf), want));
	/* The last one removed: the default, not printed. */
	apply_ok("crypto ikev2 profile HUB", "no esp-proposal aes128-sha256");
	p = iked_conf_profile(&conf, "HUB");
	assert_int_equal(p->n_esp, 1);
	assert_string_equal(p->esp[0].text, IKED_ESP_DEFAULT);
	assert_null(strstr(rc_text(&conf), "esp-proposal"));
	/* And the whole text still reads back the same. */
	{
		char text[2048];

		snprintf(text, sizeof(text), "%s", rc_text(&conf));
		load_ok(text);
		assert_string_equal(rc_text(&conf), text);
	}
}

/* The control socket's requests: configure-check changes nothing,
 * configure applies; operational commands through the grammar. */
static void test_ctl_requests(void **state)
{
	const struct iked_profile *p;
	struct strbuf out;

	(void)state;
	load_rich();
	d0.loop = EV_DEFAULT;
	d0.conf = &conf;
	p = conf.profiles[0];
	strbuf_init(&out);
	assert_int_equal(
	    iked_ctl_handle(&d0, "configure-check\ncrypto ikev2 profile HUB\ndpd 7", &out), 0);
	assert_ptr_equal(conf.profiles[0], p);
	assert_int_equal(p->dpd, 30);
	assert_int_equal(
	    iked_ctl_handle(&d0, "configure-check\ncrypto ikev2 profile HUB\ndpd x", &out), -1);
	assert_string_equal(strbuf_str(&out), "% Invalid input at 'x'\n");
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "configure\ncrypto ikev2 profile HUB\ndpd 7", &out),
	                 0);
	assert_int_equal(out.len, 0); /* live: no restart notice */
	assert_int_equal(iked_conf_profile(&conf, "HUB")->dpd, 7);
	assert_int_equal(iked_ctl_handle(&d0, "configure\n\nno crypto ikev2 profile BARE", &out),
	                 0);
	assert_null(iked_conf_profile(&conf, "BARE"));

	/* Operational commands. */
	assert_int_equal(iked_ctl_handle(&d0, "show version", &out), 0);
	assert_string_equal(strbuf_str(&out), "iked 0.2\n");
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "sh run", &out), 0);
	assert_string_equal(strbuf_str(&out), rc_text(&conf));
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "show running-config json", &out), 0);
	assert_non_null(
	    strstr(strbuf_str(&out), "{\"lines\":[\"crypto ikev2 cookie-challenge 10\""));
	strbuf_reset(&out);
	/* The secrets form: root only (the test's client has no uid). */
	assert_int_equal(iked_ctl_handle(&d0, "show running-config secrets", &out), -1);
	assert_non_null(strstr(strbuf_str(&out), "root only"));
	strbuf_reset(&out);
	assert_int_equal(cmd_exec_line(iked_binding(), &d0, "show running-config secrets", 0, &out),
	                 0);
	assert_string_equal(strbuf_str(&out), rc_text(&conf));
	assert_null(strstr(strbuf_str(&out), "hub key"));
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "show crypto ikev2 sa json", &out), 0);
	assert_non_null(strstr(strbuf_str(&out), "\"sas\":[]"));
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "initiate NOPE 192.0.2.1 192.0.2.2", &out), -1);
	assert_string_equal(strbuf_str(&out), "% no crypto ikev2 profile 'NOPE'\n");
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "initiate HUB 2001:db8::1 192.0.2.2", &out), -1);
	assert_non_null(strstr(strbuf_str(&out), "usage: initiate"));
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "rekey ike 7", &out), -1);
	assert_string_equal(strbuf_str(&out), "% no IKE SA 7\n");
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "clear crypto ikev2 sa peer 192.0.2.9", &out), 0);
	assert_string_equal(strbuf_str(&out), "0 IKE SAs cleared\n");
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "debug crypto ikev2", &out), 0);
	assert_true(log_category_enabled(LOG_CAT_IKE));
	assert_int_equal(iked_ctl_handle(&d0, "no debug crypto ikev2", &out), 0);
	assert_false(log_category_enabled(LOG_CAT_IKE));
	/* Resolved among iked's commands only. */
	assert_int_equal(iked_ctl_handle(&d0, "show dmvpn", &out), -1);
	assert_string_equal(strbuf_str(&out), "% Invalid input at 'dmvpn'\n");
	strbuf_reset(&out);
	assert_int_equal(iked_ctl_handle(&d0, "debug ctl", &out), -1);
	strbuf_free(&out);
}

/* SIGHUP: the file again; a bad file changes nothing. */
static void test_reload(void **state)
{
	const struct iked_profile *p;
	char text[512];

	(void)state;
	load_rich();
	d0.loop = EV_DEFAULT;
	d0.conf = &conf;
	p = conf.profiles[0];
	snprintf(text, sizeof(text),
	         "crypto ikev2 profile HUB\n authentication pre-shared-key file %s\n dpd never\n",
	         psk1);
	d0.conf_path = tmp_file(text, 0600);
	iked_reload(&d0);
	assert_ptr_equal(conf.profiles[0], p);
	assert_int_equal(conf.nprofiles, 3);
	snprintf(text, sizeof(text),
	         "crypto ikev2 profile HUB\n authentication pre-shared-key file %s\n dpd 5\n",
	         psk1);
	d0.conf_path = tmp_file(text, 0600);
	iked_reload(&d0);
	assert_int_equal(conf.nprofiles, 1);
	assert_int_equal(conf.profiles[0]->dpd, 5);
	assert_int_equal(conf.cookie_threshold, IKED_COOKIE_DEFAULT);
	d0.conf_path = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_binding_check),
	    cmocka_unit_test_teardown(test_round_trip, cleanup),
	    cmocka_unit_test_teardown(test_live_proposal, cleanup),
	    cmocka_unit_test_teardown(test_live_unchanged_profile_kept, cleanup),
	    cmocka_unit_test_teardown(test_live_refused, cleanup),
	    cmocka_unit_test_teardown(test_live_profile_lines, cleanup),
	    cmocka_unit_test_teardown(test_ctl_requests, cleanup),
	    cmocka_unit_test_teardown(test_reload, cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
