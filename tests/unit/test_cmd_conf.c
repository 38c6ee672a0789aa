/*
 * The daemon side of the command engine (lib/cmd_conf.c) with a toy
 * binding: config files are read through the grammar, block by block,
 * lines of other processes skipped but still checked, errors reported as
 * file:line; live lines run under their block's header; control requests
 * for live lines survive a round trip through their text form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/cmd_conf.h"

/* What the toy daemon configures: holding times by interface. */
struct toy {
	char ifname[4][16];
	unsigned holdtime[4];
	unsigned nifaces;
	int blocks_ended;
};

static int toy_interface(struct cmd_exec *x, const struct cmd_args *a)
{
	struct toy *t = x->ctx;

	for (unsigned i = 0; i < t->nifaces; i++)
		if (!strcmp(t->ifname[i], a->argv[1])) {
			x->block_ctx = &t->holdtime[i];
			return 0;
		}
	if (t->nifaces == 4) {
		strbuf_puts(x->out, "at most 4 interfaces");
		return -1;
	}
	strcpy(t->ifname[t->nifaces], a->argv[1]);
	x->block_ctx = &t->holdtime[t->nifaces++];
	return 0;
}

static int toy_holdtime(struct cmd_exec *x, const struct cmd_args *a)
{
	unsigned *h = x->block_ctx;
	unsigned v = (unsigned)strtoul(cmd_arg(a, "<1-65535>", 0), NULL, 10);

	if (v == 13) {
		strbuf_puts(x->out, "holding time 13 is unlucky");
		return -1;
	}
	*h = v;
	return 0;
}

static int toy_block_end(struct cmd_exec *x)
{
	struct toy *t = x->ctx;

	t->blocks_ended++;
	if (*(unsigned *)x->block_ctx == 0 && !x->live) {
		strbuf_printf(x->out, "interface %s: holdtime is required", x->block->argv[1]);
		return -1;
	}
	return 0;
}

/* Owns two commands of nhrpd's; the binding claims the NHRPD bit only for
 * the test: cmd_binding_check would (rightly) call it incomplete. */
static struct cmd_binding toy_binding = {
    .daemon = "toy",
    .owner = CMD_OWN_NHRPD,
    .handlers = {[CMD_INTERFACE] = toy_interface, [CMD_NHRP_HOLDTIME] = toy_holdtime},
    .block_end = toy_block_end,
};

static int toy_read(const char *text, struct toy *t, struct strbuf *errors)
{
	struct conf_reader r;

	memset(t, 0, sizeof(*t));
	assert_int_equal(conf_open_mem(&r, "toy.conf", text, strlen(text), errors), 0);
	return cmd_conf_read(&r, &toy_binding, t);
}

static void test_file_blocks(void **state)
{
	struct strbuf err;
	struct toy t;

	(void)state;
	strbuf_init(&err);
	assert_int_equal(toy_read("! comment\n"
	                          "interface tun0\n"
	                          " tunnel key 42\n" /* mgred's: skipped */
	                          " ip nhrp holdtime 300\n"
	                          "!\n"
	                          "crypto ikev2 profile P\n" /* iked's block */
	                          " proposal aes128-sha256-ecp256\n"
	                          "interface tun1\n"
	                          " ip nh holdt 60\n" /* abbreviated */
	                          "end\n",
	                          &t, &err),
	                 0);
	assert_int_equal(err.len, 0);
	assert_int_equal(t.nifaces, 2);
	assert_string_equal(t.ifname[1], "tun1");
	assert_int_equal(t.holdtime[0], 300);
	assert_int_equal(t.holdtime[1], 60);
	assert_int_equal(t.blocks_ended, 2);
	strbuf_free(&err);
}

static void test_file_errors(void **state)
{
	struct strbuf err;
	struct toy t;

	(void)state;
	strbuf_init(&err);
	assert_int_equal(toy_read("interface tun0\n"
	                          " ip nhrp holdtime 13\n"    /* handler refuses */
	                          " ip nhrp holdtime 70000\n" /* out of range */
	                          " bogus line\n"             /* unknown */
	                          "crypto ikev2 profile P\n"
	                          " ip nhrp holdtime 5\n" /* wrong node */
	                          " proposal\n"           /* iked's, incomplete */
	                          "  indented\n"
	                          "interface tun2\n" /* block_end refuses */
	                          "show dmvpn\n"     /* not configuration */
	                          "do show dmvpn\n"
	                          "router bgp 65000\n" /* FRR's, not here */
	                          "interface bad/name\n"
	                          " ip nhrp holdtime 5\n", /* under a refused header */
	                          &t, &err),
	                 -1);
	assert_non_null(strstr(err.s, "toy.conf:2: holding time 13 is unlucky\n"));
	assert_non_null(strstr(err.s, "toy.conf:3: Invalid input at '70000'\n"));
	assert_non_null(strstr(err.s, "toy.conf:4: Unknown command: bogus\n"));
	assert_non_null(strstr(err.s, "toy.conf:6: Unknown command: ip\n"));
	assert_non_null(strstr(err.s, "toy.conf:7: Incomplete command\n"));
	assert_non_null(strstr(err.s, "toy.conf:9: interface tun2: holdtime is required\n"));
	assert_non_null(strstr(err.s, "toy.conf:10: Unknown command: show\n"));
	assert_non_null(strstr(err.s, "toy.conf:11: 'do' is a shell command, not configuration\n"));
	assert_non_null(strstr(err.s, "toy.conf:12: Unknown command: router\n"));
	assert_non_null(strstr(err.s, "toy.conf:13: Invalid input at 'bad/name'\n"));
	assert_null(strstr(err.s, "toy.conf:14:"));
	/* unknown in any node: an error for every process, not only iked */
	assert_non_null(strstr(err.s, "toy.conf:8: Unknown command: indented\n"));
	strbuf_free(&err);
}

static void test_live_apply(void **state)
{
	struct strbuf out;
	struct toy t;

	(void)state;
	strbuf_init(&out);
	memset(&t, 0, sizeof(t));
	assert_int_equal(
	    cmd_conf_apply(&toy_binding, &t, "interface tun0", "ip nhrp holdtime 300", &out), 0);
	assert_int_equal(t.holdtime[0], 300);
	/* refused: nothing of it stays */
	assert_int_equal(
	    cmd_conf_apply(&toy_binding, &t, "interface tun0", "ip nhrp holdtime 13", &out), -1);
	assert_int_equal(t.holdtime[0], 300);
	assert_non_null(strstr(out.s, "unlucky"));
	strbuf_reset(&out);
	/* not ours: nothing done, said so */
	assert_int_equal(cmd_conf_apply(&toy_binding, &t, "interface tun0", "tunnel key 42", &out),
	                 1);
	assert_int_equal(cmd_conf_apply(&toy_binding, &t, "crypto ikev2 profile P", "dpd 10", &out),
	                 1);
	/* a header that opens nothing, a line for another node */
	assert_int_equal(cmd_conf_apply(&toy_binding, &t, "hostname x", "ip nhrp holdtime 5", &out),
	                 -1);
	assert_int_equal(cmd_conf_apply(&toy_binding, &t, "", "ip nhrp holdtime 5", &out), -1);
	assert_int_equal(t.nifaces, 1);
	strbuf_free(&out);
}

static void test_exec_and_requests(void **state)
{
	struct strbuf out, req;
	char buf[256];
	const char *header, *line;

	(void)state;
	strbuf_init(&out);
	strbuf_init(&req);
	/* an exec command nhrpd owns, without a handler: refused, no crash */
	assert_int_equal(cmd_exec_line(&toy_binding, NULL, "show dmvpn", 0, &out), -1);
	/* another daemon's command: not ours */
	strbuf_reset(&out);
	assert_int_equal(cmd_exec_line(&toy_binding, NULL, "show crypto ikev2 sa", 0, &out), -1);
	cmd_conf_request_format(&req, CMD_CONF_CHECK, "interface tun0", "ip nhrp holdtime 300");
	assert_int_equal(cmd_conf_request_parse(req.s, buf, sizeof(buf), &header, &line),
	                 CMD_CONF_CHECK);
	assert_string_equal(header, "interface tun0");
	assert_string_equal(line, "ip nhrp holdtime 300");
	strbuf_reset(&req);
	cmd_conf_request_format(&req, CMD_CONF_APPLY, NULL, "hostname hub1");
	assert_int_equal(cmd_conf_request_parse(req.s, buf, sizeof(buf), &header, &line),
	                 CMD_CONF_APPLY);
	assert_string_equal(header, "");
	assert_int_equal(
	    cmd_conf_request_parse("configure\nno-newline", buf, sizeof(buf), &header, &line),
	    CMD_CONF_NONE);
	assert_int_equal(
	    cmd_conf_request_parse("configure\na\nb\nc", buf, sizeof(buf), &header, &line),
	    CMD_CONF_NONE);
	assert_int_equal(cmd_conf_request_parse("show dmvpn", buf, sizeof(buf), &header, &line),
	                 CMD_CONF_NONE);
	strbuf_free(&out);
	strbuf_free(&req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_blocks),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_live_apply),
	    cmocka_unit_test(test_exec_and_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
