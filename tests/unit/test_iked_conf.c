/*
 * iked's configuration and proposals: what a `crypto ikev2 profile` block
 * gives, the defaults, that every bad line is reported as name:line with a
 * reason and nothing is applied (no PSK byte left behind), the proposal
 * strings, the SA payloads we offer, and the choice among the peer's
 * (RFC 7296 2.7, 3.3).
 *
 * PSK files are created with mkstemp in /tmp and removed by each test's
 * teardown, even when an assertion fails midway.
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

static struct iked_conf conf;

/* ---------- temporary files ---------- */

#define MAX_TMP 16
static char tmp_paths[MAX_TMP][40];
static unsigned ntmp;
static const char *secret_psk; /* "secret", for the error tests */

/* A file holding data with this mode; removed by cleanup(). */
static const char *tmp_file(const void *data, size_t len, mode_t mode)
{
	char *path;
	int fd;

	assert_true(ntmp < MAX_TMP);
	path = tmp_paths[ntmp];
	strcpy(path, "/tmp/test_iked_psk_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	ntmp++;
	assert_int_equal(write(fd, data, len), len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static const char *psk_file(const char *text)
{
	return tmp_file(text, strlen(text), 0600);
}

static int cleanup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ntmp; i++)
		unlink(tmp_paths[i]);
	ntmp = 0;
	secret_psk = NULL;
	iked_conf_wipe(&conf);
	return 0;
}

/* ---------- loading ---------- */

static int load(const char *text, struct strbuf *errors)
{
	strbuf_init(errors);
	return iked_conf_load_mem("test.conf", text, strlen(text), &conf, errors);
}

static void load_ok(const char *text)
{
	struct strbuf errors;

	if (load(text, &errors) != 0)
		fail_msg("unexpected errors: %s", strbuf_str(&errors));
	strbuf_free(&errors);
}

/* Nothing half-applied: no profile (each was released, its key wiped
 * by iked_profile_unref; ASan's leak check says none was kept). */
static void assert_nothing_applied(void)
{
	assert_int_equal(conf.nprofiles, 0);
	for (unsigned i = 0; i < IKED_MAX_PROFILES; i++)
		assert_null(conf.profiles[i]);
}

static void expect_error(const char *text, const char *want)
{
	struct strbuf errors;

	assert_int_equal(load(text, &errors), -1);
	if (!strstr(strbuf_str(&errors), want))
		fail_msg("expected '%s' in: %s", want, strbuf_str(&errors));
	assert_nothing_applied();
	strbuf_free(&errors);
}

/* "crypto ikev2 profile NAME" on line 1, its PSK on line 2, body from
 * line 3. */
static const char *profile(char *out, size_t cap, const char *name, const char *psk_path,
                           const char *body)
{
	int n = snprintf(out, cap,
	                 "crypto ikev2 profile %s\n"
	                 " authentication pre-shared-key file %s\n"
	                 "%s",
	                 name, psk_path, body);

	assert_true(n > 0 && (size_t)n < cap);
	return out;
}

static void expect_body_error(const char *body, const char *want)
{
	char text[2048];

	if (!secret_psk)
		secret_psk = psk_file("secret\n");
	profile(text, sizeof(text), "DMVPN", secret_psk, body);
	expect_error(text, want);
}

static void assert_prop(const struct iked_proposal *p, uint16_t encr, uint16_t bits, uint16_t integ,
                        uint16_t prf, uint16_t dh, const char *text)
{
	assert_int_equal(p->alg.encr, encr);
	assert_int_equal(p->alg.encr_bits, bits);
	assert_int_equal(p->alg.integ, integ);
	assert_int_equal(p->alg.prf, prf);
	assert_int_equal(p->dh, dh);
	assert_string_equal(p->text, text);
}

#define FULL_BODY                                                                                  \
	" proposal aes256gcm16-prfsha384-x25519\n"                                                 \
	" proposal aes128-sha256-ecp256\n"                                                         \
	" proposal aes256-sha512-modp2048\n"                                                       \
	" esp-proposal aes256gcm16\n"                                                              \
	" esp-proposal chacha20poly1305\n"                                                         \
	" esp-proposal aes128-sha256\n"                                                            \
	" identity local fqdn spoke1.example.net\n"                                                \
	" match identity remote key-id hub@dmvpn\n"                                                \
	" match address remote 192.0.2.1\n"                                                        \
	" lifetime ike 28800\n"                                                                    \
	" lifetime child 1800\n"                                                                   \
	" dpd 30\n"                                                                                \
	" mode tunnel\n"                                                                           \
	"!\n"

static void load_full(void)
{
	char text[2048];

	load_ok(profile(text, sizeof(text), "DMVPN", psk_file("s3cr3t PSK\n"), FULL_BODY));
}

static void test_full_profile(void **state)
{
	const struct iked_profile *p;
	struct ipaddr a;

	(void)state;
	load_full();
	assert_int_equal(conf.nprofiles, 1);
	p = conf.profiles[0];
	assert_string_equal(p->name, "DMVPN");
	assert_int_equal(p->line, 1);
	assert_int_equal(p->psk_len, 10);
	assert_memory_equal(p->psk, "s3cr3t PSK", 10);

	/* Proposals in the order written, with their IANA transform IDs. */
	assert_int_equal(p->n_ike, 3);
	assert_prop(&p->ike[0], IKEV2_ENCR_AES_GCM_16, 256, 0, IKEV2_PRF_HMAC_SHA2_384,
	            IKEV2_DH_CURVE25519, "aes256gcm16-prfsha384-x25519");
	assert_prop(&p->ike[1], IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128,
	            IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_ECP_256, "aes128-sha256-ecp256");
	assert_prop(&p->ike[2], IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256,
	            IKEV2_PRF_HMAC_SHA2_512, IKEV2_DH_MODP_2048, "aes256-sha512-modp2048");
	assert_int_equal(p->n_esp, 3);
	assert_prop(&p->esp[0], IKEV2_ENCR_AES_GCM_16, 256, 0, 0, 0, "aes256gcm16");
	assert_prop(&p->esp[1], IKEV2_ENCR_CHACHA20_POLY1305, 0, 0, 0, 0, "chacha20poly1305");
	assert_prop(&p->esp[2], IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128, 0, 0,
	            "aes128-sha256");

	assert_int_equal(p->local_id.type, IKED_ID_FQDN);
	assert_string_equal(p->local_id.value, "spoke1.example.net");
	assert_int_equal(p->remote_id.type, IKED_ID_KEY_ID);
	assert_string_equal(p->remote_id.value, "hub@dmvpn");
	assert_int_equal(ipaddr_parse("192.0.2.1", &a), 0);
	assert_true(ipaddr_equal(&p->remote_addr, &a));
	assert_int_equal(p->ike_lifetime, 28800);
	assert_int_equal(p->child_lifetime, 1800);
	assert_int_equal(p->dpd, 30);
	assert_true(p->tunnel_mode);

	/* Wiping leaves no key behind. */
	iked_conf_wipe(&conf);
	assert_nothing_applied();
}

static void test_defaults(void **state)
{
	char text[512];
	const struct iked_profile *p;

	(void)state;
	load_ok(profile(text, sizeof(text), "DMVPN", psk_file("k"), ""));
	assert_int_equal(conf.nprofiles, 1);
	p = conf.profiles[0];
	assert_int_equal(p->psk_len, 1);
	assert_int_equal(p->psk[0], 'k');
	assert_int_equal(p->n_ike, 1);
	assert_prop(&p->ike[0], IKEV2_ENCR_AES_GCM_16, 256, 0, IKEV2_PRF_HMAC_SHA2_384,
	            IKEV2_DH_CURVE25519, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(p->n_esp, 1);
	assert_prop(&p->esp[0], IKEV2_ENCR_AES_GCM_16, 256, 0, 0, 0, "aes256gcm16");
	assert_int_equal(p->ike_lifetime, 14400);
	assert_int_equal(p->child_lifetime, 3600);
	assert_int_equal(p->dpd, 0);
	assert_false(p->tunnel_mode);
	assert_int_equal(p->local_id.type, IKED_ID_ADDRESS_AUTO);
	assert_int_equal(p->remote_id.type, IKED_ID_ANY);
	assert_false(ipaddr_is_set(&p->remote_addr));
}

/* The other forms of each line, the range ends, and lines of other daemons. */
static void test_variants(void **state)
{
	char text[2048];
	const struct iked_profile *p;
	struct ipaddr a;

	(void)state;
	load_ok(profile(text, sizeof(text), "HUB", psk_file("line\r\n"),
	                " identity local address 198.51.100.7\n"
	                " match identity remote fqdn spoke.example.net\n"
	                " match address remote 192.0.2.1\n"
	                " match address remote any\n"
	                " lifetime ike 60\n"
	                " lifetime child 86400\n"
	                " dpd 3600\n"
	                " mode tunnel\n"
	                " mode transport\n"
	                "interface tun0\n"
	                " ip nhrp network-id 1\n"));
	assert_int_equal(conf.nprofiles, 1);
	p = conf.profiles[0];
	assert_int_equal(p->psk_len, 4);
	assert_memory_equal(p->psk, "line", 4);
	assert_int_equal(p->local_id.type, IKED_ID_ADDRESS);
	assert_int_equal(ipaddr_parse("198.51.100.7", &a), 0);
	assert_true(ipaddr_equal(&p->local_id.addr, &a));
	assert_int_equal(p->remote_id.type, IKED_ID_FQDN);
	assert_string_equal(p->remote_id.value, "spoke.example.net");
	assert_false(ipaddr_is_set(&p->remote_addr));
	assert_int_equal(p->ike_lifetime, 60);
	assert_int_equal(p->child_lifetime, 86400);
	assert_int_equal(p->dpd, 3600);
	assert_false(p->tunnel_mode);

	load_ok(profile(text, sizeof(text), "HUB", psk_file("k\n"),
	                " identity local key-id spoke-1\n"
	                " match identity remote address\n"
	                " dpd 0\n"));
	p = conf.profiles[0];
	assert_int_equal(p->local_id.type, IKED_ID_KEY_ID);
	assert_string_equal(p->local_id.value, "spoke-1");
	assert_int_equal(p->remote_id.type, IKED_ID_ADDRESS_AUTO);
	assert_int_equal(p->dpd, 0);

	/* No profile at all is a valid (empty) configuration. */
	load_ok("interface tun0\n ip nhrp network-id 1\n");
	assert_int_equal(conf.nprofiles, 0);
}

/* Two profiles, each with its own key. */
static void test_two_profiles(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text),
	         "crypto ikev2 profile A\n"
	         " authentication pre-shared-key file %s\n"
	         "crypto ikev2 profile B\n"
	         " authentication pre-shared-key file %s\n"
	         " dpd 10\n",
	         psk_file("alpha\n"), psk_file("bravo-bravo\n"));
	load_ok(text);
	assert_int_equal(conf.nprofiles, 2);
	assert_string_equal(conf.profiles[0]->name, "A");
	assert_int_equal(conf.profiles[0]->psk_len, 5);
	assert_memory_equal(conf.profiles[0]->psk, "alpha", 5);
	assert_int_equal(conf.profiles[0]->dpd, 0);
	assert_string_equal(conf.profiles[1]->name, "B");
	assert_int_equal(conf.profiles[1]->line, 3);
	assert_int_equal(conf.profiles[1]->psk_len, 11);
	assert_memory_equal(conf.profiles[1]->psk, "bravo-bravo", 11);
	assert_int_equal(conf.profiles[1]->dpd, 10);
}

/* iked_conf_load reads a file, and reports one it cannot open. */
static void test_load_file(void **state)
{
	char text[512], want[128];
	struct strbuf errors;
	const char *path;

	(void)state;
	profile(text, sizeof(text), "DMVPN", psk_file("from-a-file\n"), " dpd 5\n");
	path = tmp_file(text, strlen(text), 0644);
	strbuf_init(&errors);
	assert_int_equal(iked_conf_load(path, &conf, &errors), 0);
	strbuf_free(&errors);
	assert_int_equal(conf.nprofiles, 1);
	assert_int_equal(conf.profiles[0]->psk_len, 11);
	assert_memory_equal(conf.profiles[0]->psk, "from-a-file", 11);
	assert_int_equal(conf.profiles[0]->dpd, 5);

	/* Errors name the file. */
	profile(text, sizeof(text), "DMVPN", psk_file("k\n"), " dpd never\n");
	path = tmp_file(text, strlen(text), 0644);
	strbuf_init(&errors);
	assert_int_equal(iked_conf_load(path, &conf, &errors), -1);
	snprintf(want, sizeof(want), "%s:3: Invalid input at 'never'", path);
	if (!strstr(strbuf_str(&errors), want))
		fail_msg("expected '%s' in: %s", want, strbuf_str(&errors));
	strbuf_free(&errors);
	assert_nothing_applied();

	strbuf_init(&errors);
	assert_int_equal(iked_conf_load("/nonexistent/dmvpn.conf", &conf, &errors), -1);
	assert_non_null(strstr(strbuf_str(&errors), "/nonexistent/dmvpn.conf: "));
	strbuf_free(&errors);
	assert_nothing_applied();
}

/* ---------- errors ---------- */

static void test_psk_errors(void **state)
{
	char text[1024], want[256], longkey[IKED_PSK_MAX + 2];
	const char *path;

	(void)state;
	/* Readable by others, or by the group: refused (OpenBSD iked's rule). */
	path = tmp_file("secret\n", 7, 0644);
	snprintf(want, sizeof(want),
	         "test.conf:2: pre-shared key file %s is accessible by group or others (mode 644)",
	         path);
	expect_error(profile(text, sizeof(text), "DMVPN", path, ""), want);
	path = tmp_file("secret\n", 7, 0640);
	expect_error(profile(text, sizeof(text), "DMVPN", path, ""),
	             "accessible by group or others");

	/* Missing. */
	expect_error(profile(text, sizeof(text), "DMVPN", "/nonexistent/psk", ""),
	             "test.conf:2: pre-shared key file /nonexistent/psk: No such file");

	/* Empty, or nothing but a newline. */
	expect_error(profile(text, sizeof(text), "DMVPN", psk_file(""), ""),
	             "test.conf:2: pre-shared key file");
	expect_error(profile(text, sizeof(text), "DMVPN", psk_file("\n"), ""),
	             "empty or longer than 128 bytes");

	/* IKED_PSK_MAX - 1 bytes is the longest accepted... */
	memset(longkey, 'x', sizeof(longkey));
	longkey[IKED_PSK_MAX - 1] = '\n';
	longkey[IKED_PSK_MAX] = '\0';
	load_ok(profile(text, sizeof(text), "DMVPN", psk_file(longkey), ""));
	assert_int_equal(conf.profiles[0]->psk_len, IKED_PSK_MAX - 1);
	assert_int_equal(conf.profiles[0]->psk[IKED_PSK_MAX - 2], 'x');
	/* ...one more is refused, with or without the newline. */
	longkey[IKED_PSK_MAX - 1] = 'x';
	longkey[IKED_PSK_MAX] = '\n';
	longkey[IKED_PSK_MAX + 1] = '\0';
	expect_error(profile(text, sizeof(text), "DMVPN", psk_file(longkey), ""),
	             "test.conf:2: pre-shared key file");
	longkey[IKED_PSK_MAX] = '\0';
	expect_error(profile(text, sizeof(text), "DMVPN", psk_file(longkey), ""),
	             "empty or longer than 128 bytes");

	/* A usage error. */
	expect_error("crypto ikev2 profile DMVPN\n authentication pre-shared-key file\n",
	             "test.conf:2: Incomplete command");
	expect_error("crypto ikev2 profile DMVPN\n authentication pre-shared-key file psk\n",
	             "test.conf:2: Invalid input at 'psk'");
}

static void test_profile_errors(void **state)
{
	char text[1024], body[512];
	const char *psk;

	(void)state;
	expect_error("crypto ikev2 profile DMVPN\n dpd 10\n",
	             "test.conf:1: profile DMVPN: 'authentication pre-shared-key file' is "
	             "required");
	expect_error("crypto ikev2 profile\n", "test.conf:1: Incomplete command");
	expect_error("crypto ikev2 profile ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\n",
	             "test.conf:1: profile name 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456': up to 31 "
	             "characters");

	/* The same name again continues the profile (as IOS does). */
	psk = psk_file("secret\n");
	snprintf(body, sizeof(body),
	         " dpd 10\n"
	         "crypto ikev2 profile DMVPN\n"
	         " lifetime ike 600\n");
	load_ok(profile(text, sizeof(text), "DMVPN", psk, body));
	assert_int_equal(conf.nprofiles, 1);
	assert_int_equal(conf.profiles[0]->dpd, 10);
	assert_int_equal(conf.profiles[0]->ike_lifetime, 600);
	iked_conf_wipe(&conf);

	expect_body_error(" frobnicate\n", "test.conf:3: Unknown command: frobnicate");
	expect_body_error(" dpd 10\n identity remote any\n",
	                  "test.conf:4: Invalid input at 'remote'");
	/* A line of another node, or of the shell. */
	expect_body_error(" ip nhrp holdtime 300\n", "test.conf:3: Unknown command: ip");
	expect_body_error(" do show version\n",
	                  "test.conf:3: 'do' is a shell command, not configuration");
}

/* At most IKED_MAX_PROFILES profiles. */
static void test_too_many_profiles(void **state)
{
	char text[4096], *p = text;
	const char *psk;
	struct strbuf errors;
	int n;

	(void)state;
	psk = psk_file("secret\n");
	for (int i = 0; i <= IKED_MAX_PROFILES; i++) {
		n = snprintf(p, sizeof(text) - (size_t)(p - text),
		             "crypto ikev2 profile P%d\n authentication pre-shared-key file %s\n",
		             i, psk);
		assert_true(n > 0 && (size_t)n < sizeof(text) - (size_t)(p - text));
		p += n;
	}
	expect_error(text, "test.conf:33: at most 16 profiles");

	/* Sixteen are fine. */
	*strstr(text, "crypto ikev2 profile P16") = '\0';
	assert_int_equal(load(text, &errors), 0);
	strbuf_free(&errors);
	assert_int_equal(conf.nprofiles, IKED_MAX_PROFILES);
	assert_string_equal(conf.profiles[15]->name, "P15");
}

static void test_proposal_errors(void **state)
{
	char text[1024];

	(void)state;
	expect_body_error(" proposal aes256-prfsha384\n",
	                  "test.conf:3: proposal 'aes256-prfsha384': expected e.g. "
	                  "aes256gcm16-prfsha384-x25519");
	expect_body_error(" proposal des-sha1-modp1024\n",
	                  "test.conf:3: proposal 'des-sha1-modp1024': expected");
	expect_body_error(" proposal aes256gcm16-sha256-x25519-x25519\n",
	                  "test.conf:3: proposal 'aes256gcm16-sha256-x25519-x25519': expected");
	expect_body_error(" esp-proposal aes128gcm16-x25519\n",
	                  "test.conf:3: esp-proposal 'aes128gcm16-x25519': expected e.g. "
	                  "aes256gcm16, chacha20poly1305, aes128-sha256");
	expect_body_error(" proposal\n", "test.conf:3: Incomplete command");
	expect_body_error(" esp-proposal aes256gcm16 aes128gcm16\n",
	                  "test.conf:3: Invalid input at 'aes128gcm16'");

	/* At most IKED_MAX_PROPOSALS of each. */
	expect_body_error(" proposal aes256gcm16-prfsha384-x25519\n"
	                  " proposal aes128gcm16-prfsha256-x25519\n"
	                  " proposal aes256gcm16-prfsha384-ecp384\n"
	                  " proposal aes128gcm16-prfsha256-ecp256\n"
	                  " proposal aes256-sha512-modp2048\n"
	                  " proposal aes256-sha384-ecp384\n"
	                  " proposal aes128-sha256-ecp256\n"
	                  " proposal aes128-sha256-modp2048\n"
	                  " proposal aes128-sha256-x25519\n",
	                  "test.conf:11: at most 8 proposals");
	/* The same one again (in any spelling) is the one already there,
	 * not a second: pasting a running-config back keeps the list. */
	load_ok(profile(text, sizeof(text), "DMVPN", psk_file("k\n"),
	                " esp-proposal aes256gcm16\n"
	                " esp-proposal aes128-sha256\n"
	                " esp-proposal aes256gcm16\n"
	                " proposal aes128-sha256-ecp256\n"
	                " proposal ecp256-sha256-aes128\n"
	                " proposal aes128-sha256-prfsha256-ecp256\n"));
	assert_int_equal(conf.profiles[0]->n_esp, 2);
	assert_string_equal(conf.profiles[0]->esp[1].text, "aes128-sha256");
	assert_int_equal(conf.profiles[0]->n_ike, 1);
	assert_string_equal(conf.profiles[0]->ike[0].text, "aes128-sha256-ecp256");
}

/* The grammar (iked/iked.def) checks words, types and ranges: its
 * messages name the word at fault. */
static void test_value_errors(void **state)
{
	char body[256], longid[160];

	(void)state;
	expect_body_error(" lifetime ike 59\n", "test.conf:3: Invalid input at '59'");
	expect_body_error(" lifetime child 86401\n", "test.conf:3: Invalid input at '86401'");
	expect_body_error(" lifetime ike\n", "test.conf:3: Incomplete command");
	expect_body_error(" lifetime ike 1h\n", "test.conf:3: Invalid input at '1h'");
	expect_body_error(" dpd 3601\n", "test.conf:3: Invalid input at '3601'");
	expect_body_error(" dpd -1\n", "test.conf:3: Invalid input at '-1'");
	expect_body_error(" dpd\n", "test.conf:3: Incomplete command");
	expect_body_error(" mode bridge\n", "test.conf:3: Invalid input at 'bridge'");
	expect_body_error(" mode\n", "test.conf:3: Incomplete command");
	expect_body_error(" identity local any\n", "test.conf:3: Invalid input at 'any'");
	expect_body_error(" identity local fqdn\n", "test.conf:3: Incomplete command");
	expect_body_error(" identity local address 300.1.1.1\n",
	                  "test.conf:3: Invalid input at '300.1.1.1'");
	expect_body_error(" identity local email a@b\n", "test.conf:3: Invalid input at 'email'");
	expect_body_error(" match identity remote any thing\n",
	                  "test.conf:3: Invalid input at 'thing'");
	expect_body_error(" match address remote somewhere\n",
	                  "test.conf:3: Invalid input at 'somewhere'");
	expect_body_error(" match address remote\n", "test.conf:3: Incomplete command");
	/* What the grammar cannot know: the identity's length. */
	memset(longid, 'a', 128);
	longid[128] = '\0';
	snprintf(body, sizeof(body), " identity local fqdn %s\n", longid);
	expect_body_error(body, "longer than 127 characters");
	snprintf(body, sizeof(body), " match identity remote key-id %s\n", longid);
	expect_body_error(body, "test.conf:3: identity 'aaaa");
}

/* Every error is reported at once, and a good PSK read before a bad line
 * is wiped with the rest. */
static void test_errors_all_reported(void **state)
{
	char text[1024];
	struct strbuf errors;
	const char *s;

	(void)state;
	profile(text, sizeof(text), "DMVPN", psk_file("good key\n"),
	        " dpd soon\n"
	        " lifetime ike 10\n"
	        " proposal aes256gcm16-prfsha384-x25519\n"
	        " mode bridge\n");
	assert_int_equal(load(text, &errors), -1);
	s = strbuf_str(&errors);
	assert_non_null(strstr(s, "test.conf:3: Invalid input at 'soon'"));
	assert_non_null(strstr(s, "test.conf:4: Invalid input at '10'"));
	assert_null(strstr(s, "test.conf:5:"));
	assert_non_null(strstr(s, "test.conf:6: Invalid input at 'bridge'"));
	strbuf_free(&errors);
	assert_nothing_applied();
}

/* ---------- proposal strings ---------- */

static void test_proposal_parse_ike(void **state)
{
	struct iked_proposal p;

	(void)state;
	/* The three suites of the strongSwan interop test. */
	assert_int_equal(iked_proposal_parse("aes256gcm16-prfsha384-x25519", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_GCM_16, 256, 0, IKEV2_PRF_HMAC_SHA2_384, IKEV2_DH_CURVE25519,
	            "aes256gcm16-prfsha384-x25519");
	/* Without a prf token, the PRF is the integrity algorithm's hash. */
	assert_int_equal(iked_proposal_parse("aes128-sha256-ecp256", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128,
	            IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_ECP_256, "aes128-sha256-ecp256");
	assert_int_equal(iked_proposal_parse("aes256-sha512-modp2048", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256,
	            IKEV2_PRF_HMAC_SHA2_512, IKEV2_DH_MODP_2048, "aes256-sha512-modp2048");
	assert_int_equal(iked_proposal_parse("aes256-sha384-ecp384", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_384_192,
	            IKEV2_PRF_HMAC_SHA2_384, IKEV2_DH_ECP_384, "aes256-sha384-ecp384");
	/* An explicit PRF wins over the default; curve25519 names x25519.
	 * The text is canonical: x25519, and the PRF named since it is not
	 * the integrity algorithm's. */
	assert_int_equal(iked_proposal_parse("aes128-sha256-prfsha512-curve25519", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128,
	            IKEV2_PRF_HMAC_SHA2_512, IKEV2_DH_CURVE25519, "aes128-sha256-prfsha512-x25519");
	/* An AEAD without a prf token gets PRF_HMAC_SHA2_256 (named in the
	 * canonical text, as for every AEAD). */
	assert_int_equal(iked_proposal_parse("aes128gcm16-ecp256", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_GCM_16, 128, 0, IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_ECP_256,
	            "aes128gcm16-prfsha256-ecp256");
	/* Tokens in any order; the implied PRF is not named. */
	assert_int_equal(iked_proposal_parse("ecp384-prfsha384-sha384-aes256", false, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_384_192,
	            IKEV2_PRF_HMAC_SHA2_384, IKEV2_DH_ECP_384, "aes256-sha384-ecp384");
	/* The canonical text parses back to the same proposal. */
	{
		struct iked_proposal q;

		assert_int_equal(iked_proposal_parse("x25519-aes256gcm16", false, &p), 0);
		assert_int_equal(iked_proposal_parse(p.text, false, &q), 0);
		assert_memory_equal(&p, &q, sizeof(p));
	}
}

static void test_proposal_parse_esp(void **state)
{
	struct iked_proposal p;

	(void)state;
	assert_int_equal(iked_proposal_parse("aes128gcm16", true, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_GCM_16, 128, 0, 0, 0, "aes128gcm16");
	assert_int_equal(iked_proposal_parse("aes256gcm16", true, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_GCM_16, 256, 0, 0, 0, "aes256gcm16");
	assert_int_equal(iked_proposal_parse("chacha20poly1305", true, &p), 0);
	assert_prop(&p, IKEV2_ENCR_CHACHA20_POLY1305, 0, 0, 0, 0, "chacha20poly1305");
	assert_int_equal(iked_proposal_parse("aes128-sha256", true, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128, 0, 0,
	            "aes128-sha256");
	assert_int_equal(iked_proposal_parse("aes256-sha256", true, &p), 0);
	assert_prop(&p, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128, 0, 0,
	            "aes256-sha256");
}

static void test_proposal_parse_refused(void **state)
{
	static const char *const ike_bad[] = {
	    "",
	    "aes256-prfsha384",                 /* no DH */
	    "des-sha1-modp1024",                /* unknown tokens */
	    "aes256gcm16-sha256-x25519-x25519", /* DH twice */
	    "aes256gcm16-sha256-x25519",        /* AEAD with integrity */
	    "aes256-x25519",                    /* CBC without integrity */
	    "aes256-aes128-sha256-x25519",      /* two ciphers */
	    "sha256-prfsha256-x25519",          /* no cipher */
	    "aes256-sha256-sha384-ecp256",      /* two integrity algorithms */
	    "AES256GCM16-PRFSHA384-X25519",     /* tokens are lower case */
	    "aes256gcm16-prfsha384-x25519-aes256gcm16-prfsha384-x25519-x2551", /* 64 chars */
	};
	static const char *const esp_bad[] = {
	    "",
	    "aes128gcm16-x25519",    /* no DH for ESP (no PFS in IKE_AUTH) */
	    "aes256gcm16-prfsha384", /* no PRF for ESP */
	    "aes128gcm16-sha256",    /* AEAD with integrity */
	    "aes128",                /* CBC without integrity */
	    "aes256-sha512",         /* ESP CBC: HMAC-SHA2-256-128 only */
	    "sha256",                /* no cipher */
	    "3des-sha1",
	};
	struct iked_proposal p;

	(void)state;
	for (size_t i = 0; i < sizeof(ike_bad) / sizeof(ike_bad[0]); i++)
		if (iked_proposal_parse(ike_bad[i], false, &p) != -1)
			fail_msg("IKE proposal '%s' accepted", ike_bad[i]);
	for (size_t i = 0; i < sizeof(esp_bad) / sizeof(esp_bad[0]); i++)
		if (iked_proposal_parse(esp_bad[i], true, &p) != -1)
			fail_msg("ESP proposal '%s' accepted", esp_bad[i]);
	/* An IKE suite is not an ESP one, nor the reverse. */
	assert_int_equal(iked_proposal_parse("aes256gcm16-prfsha384-x25519", true, &p), -1);
	assert_int_equal(iked_proposal_parse("aes256gcm16", false, &p), -1);
}

/* ---------- SA payloads we offer ---------- */

static void assert_transform(const struct ikev2_transform *t, uint8_t type, uint16_t id,
                             uint16_t key_len)
{
	assert_int_equal(t->type, type);
	assert_int_equal(t->id, id);
	assert_int_equal(t->key_len, key_len);
	assert_false(t->unknown_attr);
}

static void test_proposals_ike_payload(void **state)
{
	struct ikev2_sa_payload sa;
	const struct ikev2_proposal *pp;

	(void)state;
	load_full();
	memset(&sa, 0xa5, sizeof(sa));
	ike_proposals_ike(conf.profiles[0], &sa);
	assert_int_equal(sa.n, 3);

	/* RFC 7296 3.3.1: numbered from 1, no SPI in IKE_SA_INIT; ENCR, PRF,
	 * INTEG (absent with an AEAD), D-H. */
	pp = &sa.p[0];
	assert_int_equal(pp->num, 1);
	assert_int_equal(pp->protocol, IKEV2_PROTO_IKE);
	assert_int_equal(pp->spi_size, 0);
	assert_int_equal(pp->n_transforms, 3);
	assert_transform(&pp->t[0], IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	assert_transform(&pp->t[1], IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_384, 0);
	assert_transform(&pp->t[2], IKEV2_TRANSFORM_DH, IKEV2_DH_CURVE25519, 0);

	pp = &sa.p[1];
	assert_int_equal(pp->num, 2);
	assert_int_equal(pp->protocol, IKEV2_PROTO_IKE);
	assert_int_equal(pp->spi_size, 0);
	assert_int_equal(pp->n_transforms, 4);
	assert_transform(&pp->t[0], IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 128);
	assert_transform(&pp->t[1], IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	assert_transform(&pp->t[2], IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	assert_transform(&pp->t[3], IKEV2_TRANSFORM_DH, IKEV2_DH_ECP_256, 0);

	pp = &sa.p[2];
	assert_int_equal(pp->num, 3);
	assert_int_equal(pp->n_transforms, 4);
	assert_transform(&pp->t[0], IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 256);
	assert_transform(&pp->t[1], IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_512, 0);
	assert_transform(&pp->t[2], IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_512_256, 0);
	assert_transform(&pp->t[3], IKEV2_TRANSFORM_DH, IKEV2_DH_MODP_2048, 0);

	/* Everything past what was filled is zero. */
	assert_int_equal(sa.p[3].num, 0);
	assert_int_equal(sa.p[3].n_transforms, 0);
}

static void test_proposals_esp_payload(void **state)
{
	static const uint8_t spi[4] = {0xc0, 0xff, 0xee, 0x42};
	struct ikev2_sa_payload sa;
	const struct ikev2_proposal *pp;

	(void)state;
	load_full();
	memset(&sa, 0xa5, sizeof(sa));
	ike_proposals_esp(conf.profiles[0], 0xc0ffee42, &sa);
	assert_int_equal(sa.n, 3);
	for (size_t i = 0; i < sa.n; i++) {
		pp = &sa.p[i];
		assert_int_equal(pp->num, i + 1);
		assert_int_equal(pp->protocol, IKEV2_PROTO_ESP);
		/* RFC 7296 3.3.1: our inbound SPI, 4 bytes in network order. */
		assert_int_equal(pp->spi_size, 4);
		assert_memory_equal(pp->spi, spi, 4);
	}

	/* ENCR, INTEG (only without an AEAD), ESN (none). */
	pp = &sa.p[0];
	assert_int_equal(pp->n_transforms, 2);
	assert_transform(&pp->t[0], IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	assert_transform(&pp->t[1], IKEV2_TRANSFORM_ESN, IKEV2_ESN_NONE, 0);
	/* RFC 7634 2: no Key Length attribute for ChaCha20-Poly1305. */
	pp = &sa.p[1];
	assert_int_equal(pp->n_transforms, 2);
	assert_transform(&pp->t[0], IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_CHACHA20_POLY1305, 0);
	assert_transform(&pp->t[1], IKEV2_TRANSFORM_ESN, IKEV2_ESN_NONE, 0);
	pp = &sa.p[2];
	assert_int_equal(pp->n_transforms, 3);
	assert_transform(&pp->t[0], IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 128);
	assert_transform(&pp->t[1], IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	assert_transform(&pp->t[2], IKEV2_TRANSFORM_ESN, IKEV2_ESN_NONE, 0);
	assert_int_equal(sa.p[3].num, 0);
}

/* ---------- choosing among the peer's proposals ---------- */

/* Our IKE proposals, in our order of preference: GCM, then the CBC suites. */
static struct iked_proposal ours_ike[3], ours_esp[3];

static int setup_ours(void **state)
{
	(void)state;
	assert_int_equal(iked_proposal_parse("aes256gcm16-prfsha384-x25519", false, &ours_ike[0]),
	                 0);
	assert_int_equal(iked_proposal_parse("aes128-sha256-ecp256", false, &ours_ike[1]), 0);
	assert_int_equal(iked_proposal_parse("aes256-sha512-modp2048", false, &ours_ike[2]), 0);
	assert_int_equal(iked_proposal_parse("aes256gcm16", true, &ours_esp[0]), 0);
	assert_int_equal(iked_proposal_parse("chacha20poly1305", true, &ours_esp[1]), 0);
	assert_int_equal(iked_proposal_parse("aes128-sha256", true, &ours_esp[2]), 0);
	return 0;
}

static struct ikev2_proposal *add_proposal(struct ikev2_sa_payload *sa, uint8_t num,
                                           uint8_t protocol)
{
	struct ikev2_proposal *pp;

	assert_true(sa->n < IKEV2_MAX_PROPOSALS);
	pp = &sa->p[sa->n++];
	memset(pp, 0, sizeof(*pp));
	pp->num = num;
	pp->protocol = protocol;
	return pp;
}

static void add_transform(struct ikev2_proposal *pp, uint8_t type, uint16_t id, uint16_t key_len)
{
	assert_true(pp->n_transforms < IKEV2_MAX_TRANSFORMS);
	pp->t[pp->n_transforms++] =
	    (struct ikev2_transform){.type = type, .id = id, .key_len = key_len};
}

static void set_spi(struct ikev2_proposal *pp, uint32_t spi)
{
	pp->spi_size = 4;
	pp->spi[0] = (uint8_t)(spi >> 24);
	pp->spi[1] = (uint8_t)(spi >> 16);
	pp->spi[2] = (uint8_t)(spi >> 8);
	pp->spi[3] = (uint8_t)spi;
}

/* One IKE proposal with one transform of each type (integ 0: none). */
static struct ikev2_proposal *add_ike(struct ikev2_sa_payload *sa, uint8_t num, uint16_t encr,
                                      uint16_t bits, uint16_t prf, uint16_t integ, uint16_t dh)
{
	struct ikev2_proposal *pp = add_proposal(sa, num, IKEV2_PROTO_IKE);

	add_transform(pp, IKEV2_TRANSFORM_ENCR, encr, bits);
	add_transform(pp, IKEV2_TRANSFORM_PRF, prf, 0);
	if (integ)
		add_transform(pp, IKEV2_TRANSFORM_INTEG, integ, 0);
	add_transform(pp, IKEV2_TRANSFORM_DH, dh, 0);
	return pp;
}

static struct ikev2_proposal *add_esp(struct ikev2_sa_payload *sa, uint8_t num, uint32_t spi,
                                      uint16_t encr, uint16_t bits, uint16_t integ)
{
	struct ikev2_proposal *pp = add_proposal(sa, num, IKEV2_PROTO_ESP);

	set_spi(pp, spi);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, encr, bits);
	if (integ)
		add_transform(pp, IKEV2_TRANSFORM_INTEG, integ, 0);
	add_transform(pp, IKEV2_TRANSFORM_ESN, IKEV2_ESN_NONE, 0);
	return pp;
}

#define ADD_GCM(sa, num)                                                                           \
	add_ike(sa, num, IKEV2_ENCR_AES_GCM_16, 256, IKEV2_PRF_HMAC_SHA2_384, 0,                   \
	        IKEV2_DH_CURVE25519)
#define ADD_CBC128(sa, num)                                                                        \
	add_ike(sa, num, IKEV2_ENCR_AES_CBC, 128, IKEV2_PRF_HMAC_SHA2_256,                         \
	        IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_DH_ECP_256)
#define ADD_CBC256(sa, num)                                                                        \
	add_ike(sa, num, IKEV2_ENCR_AES_CBC, 256, IKEV2_PRF_HMAC_SHA2_512,                         \
	        IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_DH_MODP_2048)

/* Responder: our order of preference wins (RFC 7296 2.7), and the answer
 * carries the peer's number. */
static void test_select_preference(void **state)
{
	struct ikev2_sa_payload sa;
	struct iked_proposal chosen;
	uint8_t num = 0;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	ADD_CBC256(&sa, 1);
	ADD_CBC128(&sa, 2);
	ADD_GCM(&sa, 3);
	assert_int_equal(ike_proposal_select(ours_ike, 3, false, &sa, &chosen, &num, NULL), 0);
	assert_string_equal(chosen.text, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(chosen.dh, IKEV2_DH_CURVE25519);
	assert_int_equal(num, 3);

	/* Without GCM: our second choice, though the peer put it second. */
	memset(&sa, 0, sizeof(sa));
	ADD_CBC256(&sa, 1);
	ADD_CBC128(&sa, 2);
	assert_int_equal(ike_proposal_select(ours_ike, 3, false, &sa, &chosen, &num, NULL), 0);
	assert_string_equal(chosen.text, "aes128-sha256-ecp256");
	assert_int_equal(num, 2);

	/* With only our third to offer, the peer's only match. */
	memset(&sa, 0, sizeof(sa));
	ADD_CBC256(&sa, 7);
	assert_int_equal(ike_proposal_select(ours_ike, 3, false, &sa, &chosen, &num, NULL), 0);
	assert_string_equal(chosen.text, "aes256-sha512-modp2048");
	assert_int_equal(num, 7);

	/* We only consider the first n of ours. */
	assert_int_equal(ike_proposal_select(ours_ike, 2, false, &sa, &chosen, &num, NULL), -1);
}

/* One proposal with several transforms of each type (strongSwan's way):
 * the one of each type that ours needs is chosen from those offered. */
static void test_select_multi_transform(void **state)
{
	struct ikev2_sa_payload sa;
	struct ikev2_proposal *pp;
	struct iked_proposal chosen;
	uint8_t num = 0;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_IKE);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 256);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 128);
	add_transform(pp, IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_512_256, 0);
	add_transform(pp, IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	add_transform(pp, IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_512, 0);
	add_transform(pp, IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add_transform(pp, IKEV2_TRANSFORM_DH, IKEV2_DH_MODP_2048, 0);
	add_transform(pp, IKEV2_TRANSFORM_DH, IKEV2_DH_ECP_256, 0);
	add_transform(pp, 99, 1, 0);   /* an unknown type is ignored */
	ADD_GCM(&sa, 2)->spi_size = 8; /* an IKE SPI (rekeying) is allowed */
	assert_int_equal(ike_proposal_select(ours_ike, 3, false, &sa, &chosen, &num, NULL), 0);
	assert_string_equal(chosen.text, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(num, 2);
	assert_int_equal(ike_proposal_select(ours_ike + 1, 2, false, &sa, &chosen, &num, NULL), 0);
	assert_string_equal(chosen.text, "aes128-sha256-ecp256");
	assert_int_equal(num, 1);
}

static void test_select_esp(void **state)
{
	struct ikev2_sa_payload sa;
	struct iked_proposal chosen;
	uint8_t num = 0;
	uint32_t spi = 0;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 0xcafe0001, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128);
	add_esp(&sa, 2, 0xcafe0002, IKEV2_ENCR_CHACHA20_POLY1305, 0, 0);
	assert_int_equal(ike_proposal_select(ours_esp, 3, true, &sa, &chosen, &num, &spi), 0);
	assert_string_equal(chosen.text, "chacha20poly1305");
	assert_int_equal(num, 2);
	assert_int_equal(spi, 0xcafe0002);

	add_esp(&sa, 3, 0x80000003, IKEV2_ENCR_AES_GCM_16, 256, 0);
	assert_int_equal(ike_proposal_select(ours_esp, 3, true, &sa, &chosen, &num, &spi), 0);
	assert_string_equal(chosen.text, "aes256gcm16");
	assert_int_equal(num, 3);
	assert_int_equal(spi, 0x80000003);

	/* ESN offered both ways: we take none. */
	memset(&sa, 0, sizeof(sa));
	add_transform(add_esp(&sa, 1, 0x01020304, IKEV2_ENCR_AES_GCM_16, 256, 0),
	              IKEV2_TRANSFORM_ESN, IKEV2_ESN_ENABLED, 0);
	spi = 0;
	assert_int_equal(ike_proposal_select(ours_esp, 3, true, &sa, &chosen, &num, &spi), 0);
	assert_string_equal(chosen.text, "aes256gcm16");
	assert_int_equal(spi, 0x01020304);
	/* peer_spi may be NULL. */
	assert_int_equal(ike_proposal_select(ours_esp, 3, true, &sa, &chosen, &num, NULL), 0);
}

static void expect_no_select(const struct iked_proposal *ours, bool esp,
                             const struct ikev2_sa_payload *sa, const char *what)
{
	struct iked_proposal chosen;
	uint8_t num = 0;
	uint32_t spi = 0;

	if (ike_proposal_select(ours, 3, esp, sa, &chosen, &num, &spi) != -1)
		fail_msg("selected: %s", what);
}

static void test_select_refusals(void **state)
{
	struct ikev2_sa_payload sa;
	struct ikev2_proposal *pp;

	(void)state;
	/* Nothing of ours. */
	memset(&sa, 0, sizeof(sa));
	add_ike(&sa, 1, IKEV2_ENCR_AES_CBC, 128, IKEV2_PRF_HMAC_SHA2_256,
	        IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_DH_MODP_2048);
	add_ike(&sa, 2, IKEV2_ENCR_AES_GCM_16, 128, IKEV2_PRF_HMAC_SHA2_384, 0,
	        IKEV2_DH_CURVE25519);
	expect_no_select(ours_ike, false, &sa, "no match");

	memset(&sa, 0, sizeof(sa));
	expect_no_select(ours_ike, false, &sa, "empty SA payload");

	/* Our transforms, under another protocol. */
	memset(&sa, 0, sizeof(sa));
	ADD_GCM(&sa, 1)->protocol = IKEV2_PROTO_ESP;
	expect_no_select(ours_ike, false, &sa, "IKE transforms as ESP");
	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 1, IKEV2_ENCR_AES_GCM_16, 256, 0)->protocol = IKEV2_PROTO_AH;
	expect_no_select(ours_esp, true, &sa, "ESP transforms as AH");
	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 1, IKEV2_ENCR_AES_GCM_16, 256, 0)->protocol = IKEV2_PROTO_IKE;
	expect_no_select(ours_esp, true, &sa, "ESP transforms as IKE");

	/* A D-H transform missing, or the PRF. */
	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_IKE);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add_transform(pp, IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_384, 0);
	expect_no_select(ours_ike, false, &sa, "no DH transform");
	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_IKE);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add_transform(pp, IKEV2_TRANSFORM_DH, IKEV2_DH_CURVE25519, 0);
	expect_no_select(ours_ike, false, &sa, "no PRF transform");

	/* CBC without its integrity transform. */
	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_IKE);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 128);
	add_transform(pp, IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	add_transform(pp, IKEV2_TRANSFORM_DH, IKEV2_DH_ECP_256, 0);
	expect_no_select(ours_ike, false, &sa, "no INTEG transform");

	/* AES without its Key Length attribute (RFC 7296 3.3.5). */
	memset(&sa, 0, sizeof(sa));
	add_ike(&sa, 1, IKEV2_ENCR_AES_GCM_16, 0, IKEV2_PRF_HMAC_SHA2_384, 0, IKEV2_DH_CURVE25519);
	expect_no_select(ours_ike, false, &sa, "AES without a key length");

	/* An IKE SPI of 4 bytes. */
	memset(&sa, 0, sizeof(sa));
	ADD_GCM(&sa, 1)->spi_size = 4;
	expect_no_select(ours_ike, false, &sa, "IKE SPI of 4 bytes");

	/* ESP: ESN missing, or only ESN enabled (we do not do ESN yet). */
	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_ESP);
	set_spi(pp, 1);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	expect_no_select(ours_esp, true, &sa, "ESP without ESN");
	add_transform(pp, IKEV2_TRANSFORM_ESN, IKEV2_ESN_ENABLED, 0);
	expect_no_select(ours_esp, true, &sa, "ESP with ESN enabled only");

	/* ESP without an SPI. */
	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 1, IKEV2_ENCR_AES_GCM_16, 256, 0)->spi_size = 0;
	expect_no_select(ours_esp, true, &sa, "ESP without an SPI");

	/* ESP CBC with another integrity algorithm than ours. */
	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 1, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_512_256);
	expect_no_select(ours_esp, true, &sa, "ESP CBC with SHA-512");
}

/* Initiator: the response holds exactly one proposal, numbered as one of
 * ours, with its transforms (RFC 7296 3.3). */
static void test_check(void **state)
{
	struct ikev2_sa_payload sa;
	struct iked_proposal chosen;
	uint32_t spi = 0;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	ADD_CBC128(&sa, 2);
	assert_int_equal(ike_proposal_check(ours_ike, 3, false, &sa, &chosen, NULL), 0);
	assert_string_equal(chosen.text, "aes128-sha256-ecp256");

	memset(&sa, 0, sizeof(sa));
	ADD_GCM(&sa, 1);
	assert_int_equal(ike_proposal_check(ours_ike, 3, false, &sa, &chosen, &spi), 0);
	assert_string_equal(chosen.text, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(spi, 0);

	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 3, 0xdeadbeef, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(ike_proposal_check(ours_esp, 3, true, &sa, &chosen, &spi), 0);
	assert_string_equal(chosen.text, "aes128-sha256");
	assert_int_equal(spi, 0xdeadbeef);
}

/* ours is copied to the heap, so that ASan reports a read outside it (a
 * proposal number taken as an index unchecked). */
static void expect_no_check(const struct iked_proposal *ours, bool esp,
                            const struct ikev2_sa_payload *sa, const char *what)
{
	struct iked_proposal chosen, *heap = malloc(3 * sizeof(*heap));
	uint32_t spi = 0;
	int rc;

	assert_non_null(heap);
	memcpy(heap, ours, 3 * sizeof(*heap));
	rc = ike_proposal_check(heap, 3, esp, sa, &chosen, &spi);
	free(heap);
	if (rc != -1)
		fail_msg("accepted: %s", what);
}

static void test_check_refusals(void **state)
{
	struct ikev2_sa_payload sa;
	struct ikev2_proposal *pp;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	expect_no_check(ours_ike, false, &sa, "no proposal");

	memset(&sa, 0, sizeof(sa));
	ADD_GCM(&sa, 1);
	ADD_CBC128(&sa, 2);
	expect_no_check(ours_ike, false, &sa, "two proposals in a response");

	/* Numbers outside ours, or naming another of ours. */
	memset(&sa, 0, sizeof(sa));
	ADD_GCM(&sa, 0);
	expect_no_check(ours_ike, false, &sa, "proposal number 0");
	sa.p[0].num = 4;
	expect_no_check(ours_ike, false, &sa, "proposal number 4 of 3");
	sa.p[0].num = 2;
	expect_no_check(ours_ike, false, &sa, "our #1's transforms under #2");

	/* Transforms that are not those of the proposal named. */
	memset(&sa, 0, sizeof(sa));
	add_ike(&sa, 2, IKEV2_ENCR_AES_CBC, 128, IKEV2_PRF_HMAC_SHA2_256,
	        IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_DH_MODP_2048);
	expect_no_check(ours_ike, false, &sa, "another DH group");

	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_IKE);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	add_transform(pp, IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_384, 0);
	expect_no_check(ours_ike, false, &sa, "no DH transform");

	memset(&sa, 0, sizeof(sa));
	ADD_GCM(&sa, 1)->protocol = IKEV2_PROTO_ESP;
	expect_no_check(ours_ike, false, &sa, "IKE response as ESP");

	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 5, IKEV2_ENCR_AES_GCM_16, 256, 0)->protocol = IKEV2_PROTO_AH;
	expect_no_check(ours_esp, true, &sa, "ESP response as AH");

	memset(&sa, 0, sizeof(sa));
	pp = add_proposal(&sa, 1, IKEV2_PROTO_ESP);
	set_spi(pp, 5);
	add_transform(pp, IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	expect_no_check(ours_esp, true, &sa, "ESP response without ESN");

	memset(&sa, 0, sizeof(sa));
	add_esp(&sa, 1, 5, IKEV2_ENCR_AES_GCM_16, 128, 0);
	expect_no_check(ours_esp, true, &sa, "ESP response with another key length");
}

/* What we offer, the peer (another iked with the same profile) picks from,
 * and its answer is what we accept. */
static void test_offer_select_check(void **state)
{
	struct ikev2_sa_payload offer, answer;
	const struct iked_profile *p;
	struct iked_proposal chosen;
	uint8_t num = 0;
	uint32_t spi = 0;

	(void)state;
	load_full();
	p = conf.profiles[0];

	ike_proposals_ike(p, &offer);
	assert_int_equal(ike_proposal_select(p->ike, p->n_ike, false, &offer, &chosen, &num, NULL),
	                 0);
	assert_string_equal(chosen.text, p->ike[0].text);
	assert_int_equal(num, 1);
	/* A responder that preferred our second. */
	memset(&answer, 0, sizeof(answer));
	answer.n = 1;
	answer.p[0] = offer.p[1];
	assert_int_equal(ike_proposal_check(p->ike, p->n_ike, false, &answer, &chosen, NULL), 0);
	assert_string_equal(chosen.text, "aes128-sha256-ecp256");

	ike_proposals_esp(p, 0x12345678, &offer);
	assert_int_equal(ike_proposal_select(p->esp, p->n_esp, true, &offer, &chosen, &num, &spi),
	                 0);
	assert_string_equal(chosen.text, "aes256gcm16");
	assert_int_equal(num, 1);
	assert_int_equal(spi, 0x12345678);
	memset(&answer, 0, sizeof(answer));
	answer.n = 1;
	answer.p[0] = offer.p[2];
	set_spi(&answer.p[0], 0x9abcdef0);
	assert_int_equal(ike_proposal_check(p->esp, p->n_esp, true, &answer, &chosen, &spi), 0);
	assert_string_equal(chosen.text, "aes128-sha256");
	assert_int_equal(spi, 0x9abcdef0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_full_profile, cleanup),
	    cmocka_unit_test_teardown(test_defaults, cleanup),
	    cmocka_unit_test_teardown(test_variants, cleanup),
	    cmocka_unit_test_teardown(test_two_profiles, cleanup),
	    cmocka_unit_test_teardown(test_load_file, cleanup),
	    cmocka_unit_test_teardown(test_psk_errors, cleanup),
	    cmocka_unit_test_teardown(test_profile_errors, cleanup),
	    cmocka_unit_test_teardown(test_too_many_profiles, cleanup),
	    cmocka_unit_test_teardown(test_proposal_errors, cleanup),
	    cmocka_unit_test_teardown(test_value_errors, cleanup),
	    cmocka_unit_test_teardown(test_errors_all_reported, cleanup),
	    cmocka_unit_test(test_proposal_parse_ike),
	    cmocka_unit_test(test_proposal_parse_esp),
	    cmocka_unit_test(test_proposal_parse_refused),
	    cmocka_unit_test_teardown(test_proposals_ike_payload, cleanup),
	    cmocka_unit_test_teardown(test_proposals_esp_payload, cleanup),
	    cmocka_unit_test_setup(test_select_preference, setup_ours),
	    cmocka_unit_test_setup(test_select_multi_transform, setup_ours),
	    cmocka_unit_test_setup(test_select_esp, setup_ours),
	    cmocka_unit_test_setup(test_select_refusals, setup_ours),
	    cmocka_unit_test_setup(test_check, setup_ours),
	    cmocka_unit_test_setup(test_check_refusals, setup_ours),
	    cmocka_unit_test_teardown(test_offer_select_check, cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
