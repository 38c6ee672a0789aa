/*
 * The daemon skeleton (lib/daemon.h) with a toy daemon: its configuration
 * is one hostname (the grammar's `hostname WORD`, under nhrpd's owner bit)
 * that the skeleton copies byte for byte (it holds no pointer), its
 * handlers refuse some names in the ways real handlers do, its whole check
 * refuses one, and its reconfigure counts what it was asked to do.
 *
 * - configure applies a line to a candidate, brings the daemon to it and
 *   makes it the running configuration, with the daemon's notices;
 * - configure-check and every refusal change nothing and never reach the
 *   daemon; a candidate refused by the whole check is not applied;
 * - each refusal line starts with "% " exactly once, whoever wrote it;
 * - the buffer the skeleton parsed the request into holds the line while
 *   the handlers run and is zero after the call, whatever the outcome;
 * - SIGHUP applies a good file, and a bad or missing one keeps everything;
 * - the command line: -n summarises, a bad file exits 1, a usage error 2,
 *   the daemon's own option reaches it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/conf.h"
#include "lib/daemon.h"

struct toy_conf {
	char hostname[64];
};

struct toy {
	struct toy_conf *conf;
	unsigned reconfigures;
	char old_name[64], new_name[64];
	bool option_t;
	bool line_in_buffer; /* a live line was in the skeleton's buffer */
};

static struct toy toy;
static char conf_path[40];

/* ---------- the toy's handlers ---------- */

static bool toy_in_request_buffer(const char *word)
{
	size_t size;
	const char *buf = daemon_request_buffer(&size);

	return memmem(buf, size, word, strlen(word)) != NULL;
}

static int toy_hostname(struct cmd_exec *x, const struct cmd_args *a)
{
	struct toy_conf *c = x->ctx;
	const char *name = cmd_arg(a, "WORD", 0);

	if (x->live)
		toy.line_in_buffer = toy_in_request_buffer(name);
	if (!strcmp(name, "refuse")) {
		strbuf_puts(x->out, "no such name");
		return -1;
	}
	if (!strcmp(name, "prefixed")) {
		strbuf_puts(x->out, "% already prefixed\n");
		return -1;
	}
	if (!strcmp(name, "twolines")) {
		strbuf_puts(x->out, "first reason\n% second reason");
		return -1;
	}
	snprintf(c->hostname, sizeof(c->hostname), "%s", name);
	return 0;
}

static int toy_no_hostname(struct cmd_exec *x, const struct cmd_args *a)
{
	struct toy_conf *c = x->ctx;

	(void)a;
	c->hostname[0] = '\0';
	return 0;
}

static int toy_show_version(struct cmd_exec *x, const struct cmd_args *a)
{
	(void)a;
	strbuf_printf(x->out, "toy %s\n", ((struct toy *)x->ctx)->conf->hostname);
	return 0;
}

/* The rest of what nhrpd's owner bit covers: not in the toy. */
static int toy_other(struct cmd_exec *x, const struct cmd_args *a)
{
	strbuf_printf(x->out, "'%s' is not in the toy", a->def->pattern);
	return -1;
}

static struct cmd_binding toy_cmds = {
    .daemon = "toy",
    .owner = CMD_OWN_NHRPD,
    .handlers =
        {
            [CMD_HOSTNAME] = toy_hostname,
            [CMD_NO_HOSTNAME] = toy_no_hostname,
            [CMD_SHOW_VERSION] = toy_show_version,
        },
};

/* ---------- the toy's table ---------- */

/* Complete, as the skeleton checks at start. */
static const struct cmd_binding *toy_binding(void)
{
	for (int i = 0; i < CMD__COUNT; i++)
		if ((cmd_grammar[i].owners & toy_cmds.owner) && !toy_cmds.handlers[i])
			toy_cmds.handlers[i] = toy_other;
	return &toy_cmds;
}

static int toy_option(void *daemon, int opt, const char *arg)
{
	(void)arg;
	((struct toy *)daemon)->option_t = opt == 'T';
	return 0;
}

static int toy_conf_load(const char *path, void *conf, struct strbuf *errors)
{
	struct conf_reader r;

	if (conf_open(&r, path, errors) < 0)
		return -1;
	return cmd_conf_read(&r, &toy_cmds, conf);
}

static void toy_conf_free(void *conf)
{
	if (conf)
		explicit_bzero(conf, sizeof(struct toy_conf));
	free(conf);
}

/* The whole: one name is refused only here, after its line passed. */
static int toy_conf_check(void *conf, struct strbuf *why)
{
	if (strcmp(((struct toy_conf *)conf)->hostname, "whole-bad"))
		return 0;
	strbuf_puts(why, "% the whole is refused\n");
	return -1;
}

static void toy_conf_summary(const void *conf, struct strbuf *out)
{
	strbuf_printf(out, "hostname '%s'", ((const struct toy_conf *)conf)->hostname);
}

static int toy_start(void *daemon, void *conf, const struct daemon_env *env)
{
	(void)daemon;
	(void)conf;
	(void)env;
	fail_msg("the toy is never started here");
	return -1;
}

static void *toy_conf_running(void *daemon)
{
	return ((struct toy *)daemon)->conf;
}

static void toy_reconfigure(void *daemon, const void *old, void *new_conf, struct strbuf *notices)
{
	struct toy *t = daemon;
	const struct toy_conf *o = old, *n = new_conf;

	assert_ptr_equal(o, t->conf);
	t->reconfigures++;
	strcpy(t->old_name, o->hostname);
	strcpy(t->new_name, n->hostname);
	if (!strcmp(n->hostname, "restart-me"))
		strbuf_puts(notices, "% toy: restart toy to apply: hostname\n");
}

static void toy_conf_install(void *daemon, void *conf)
{
	struct toy *t = daemon;

	toy_conf_free(t->conf);
	t->conf = conf;
}

static void toy_stop(void *daemon)
{
	(void)daemon;
	fail_msg("the toy is never stopped here");
}

static const struct daemon_def toy_def = {
    .name = "toy",
    .options = "T",
    .synopsis = "[-T]",
    .help = "  -T           a toy option\n",
    .debug_categories = "ctl",
    .option = toy_option,
    .binding = toy_binding,
    .conf_size = sizeof(struct toy_conf),
    .conf_load = toy_conf_load,
    .conf_free = toy_conf_free,
    .conf_check = toy_conf_check,
    .conf_summary = toy_conf_summary,
    .start = toy_start,
    .conf_running = toy_conf_running,
    .reconfigure = toy_reconfigure,
    .conf_install = toy_conf_install,
    .stop = toy_stop,
};

/* ---------- helpers ---------- */

static void write_file(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	int fd;

	(void)state;
	memset(&toy, 0, sizeof(toy));
	toy.conf = calloc(1, sizeof(*toy.conf));
	assert_non_null(toy.conf);
	strcpy(toy.conf->hostname, "start");
	strcpy(conf_path, "/tmp/test_daemon_XXXXXX");
	fd = mkstemp(conf_path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	toy_conf_free(toy.conf);
	toy.conf = NULL;
	unlink(conf_path);
	return 0;
}

static bool request_buffer_zero(void)
{
	size_t size;
	const char *buf = daemon_request_buffer(&size);

	assert_true(size > 2 * CMD_MAX_LINE);
	for (size_t i = 0; i < size; i++)
		if (buf[i])
			return false;
	return true;
}

/* One control request: its status, its reply (static), and the buffer
 * zero after it. */
static const char *request(const char *req, int *rc)
{
	static struct strbuf out;

	strbuf_free(&out);
	strbuf_init(&out);
	*rc = daemon_ctl_request(&toy_def, &toy, req, &out);
	assert_true(request_buffer_zero());
	return strbuf_str(&out);
}

/* A refused live line: its reply, and nothing changed or reached the toy. */
static void refused(const char *line, const char *want)
{
	struct toy_conf *before = toy.conf;
	char req[256], name[64];
	const char *out;
	int rc;

	strcpy(name, toy.conf->hostname);
	snprintf(req, sizeof(req), "configure\n\n%s", line);
	out = request(req, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, want);
	assert_ptr_equal(toy.conf, before);
	assert_string_equal(toy.conf->hostname, name);
	assert_int_equal(toy.reconfigures, 0);
}

/* ---------- tests ---------- */

static void test_configure_applies(void **state)
{
	struct toy_conf *before = toy.conf;
	const char *out;
	int rc;

	(void)state;
	out = request("configure\n\nhostname alpha", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "");
	assert_int_equal(toy.reconfigures, 1);
	assert_string_equal(toy.old_name, "start");
	assert_string_equal(toy.new_name, "alpha");
	/* The candidate is the running configuration now. */
	assert_ptr_not_equal(toy.conf, before);
	assert_string_equal(toy.conf->hostname, "alpha");
	/* A change the daemon cannot make now: kept, and the notice says so. */
	out = request("configure\n\nhostname restart-me", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "% toy: restart toy to apply: hostname\n");
	assert_string_equal(toy.conf->hostname, "restart-me");
	out = request("configure\n\nno hostname", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(toy.conf->hostname, "");
	assert_int_equal(toy.reconfigures, 3);
}

static void test_check_changes_nothing(void **state)
{
	struct toy_conf *before = toy.conf;
	const char *out;
	int rc;

	(void)state;
	out = request("configure-check\n\nhostname beta", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "");
	assert_ptr_equal(toy.conf, before);
	assert_string_equal(toy.conf->hostname, "start");
	assert_int_equal(toy.reconfigures, 0);
	/* A check says no as configure would. */
	out = request("configure-check\n\nhostname refuse", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "% no such name\n");
	assert_int_equal(toy.reconfigures, 0);
}

static void test_refusal_prefix_once(void **state)
{
	(void)state;
	/* A handler's reason, without and with its own "% ". */
	refused("hostname refuse", "% no such name\n");
	refused("hostname prefixed", "% already prefixed\n");
	refused("hostname twolines", "% first reason\n% second reason\n");
	/* The engine's. */
	refused("hostname", "% Incomplete command\n");
	refused("frobnicate", "% Unknown command: frobnicate\n");
	/* Another daemon's line. */
	refused("crypto ikev2 cookie-challenge 5",
	        "% not a toy command: crypto ikev2 cookie-challenge 5\n");
}

static void test_whole_check_refuses(void **state)
{
	(void)state;
	/* The line passes its handler; the whole does not: nothing applied. */
	refused("hostname whole-bad", "% the whole is refused\n");
	assert_true(toy.line_in_buffer);
}

static void test_request_wiped(void **state)
{
	const char *out;
	int rc;

	(void)state;
	/* While the handler ran, the line was in the skeleton's buffer;
	 * request() asserts it is zero after each call. */
	toy.line_in_buffer = false;
	request("configure\n\nhostname s3cretpw", &rc);
	assert_int_equal(rc, 0);
	assert_true(toy.line_in_buffer);
	toy.line_in_buffer = false;
	request("configure-check\n\nhostname s3cretpw", &rc);
	assert_int_equal(rc, 0);
	assert_true(toy.line_in_buffer);
	toy.line_in_buffer = false;
	request("configure\n\nhostname refuse", &rc);
	assert_int_equal(rc, -1);
	assert_true(toy.line_in_buffer);
	/* Malformed (no line after the header): copied by the parse, refused
	 * as an operational command, and wiped all the same. */
	out = request("configure\nhostname s3cretpw", &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(out, "% "));
	/* Operational commands go to the engine. */
	out = request("show version", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "toy s3cretpw\n");
}

static void test_sighup(void **state)
{
	struct toy_conf *before;

	(void)state;
	write_file("hostname gamma\ncrypto ikev2 cookie-challenge 5\n");
	daemon_reload(&toy_def, &toy, conf_path);
	assert_int_equal(toy.reconfigures, 1);
	assert_string_equal(toy.old_name, "start");
	assert_string_equal(toy.conf->hostname, "gamma");
	/* A file with an error: the running configuration stays. */
	before = toy.conf;
	write_file("hostname delta\nhostname refuse\n");
	daemon_reload(&toy_def, &toy, conf_path);
	assert_ptr_equal(toy.conf, before);
	assert_string_equal(toy.conf->hostname, "gamma");
	assert_int_equal(toy.reconfigures, 1);
	/* No file at all: the same. */
	daemon_reload(&toy_def, &toy, "/nonexistent/toy.conf");
	assert_ptr_equal(toy.conf, before);
	assert_int_equal(toy.reconfigures, 1);
}

/* daemon_main: its status for argv. */
static int run_main(int argc, const char *const *argv)
{
	optind = 0; /* glibc: parse a new argv from the start */
	return daemon_main(&toy_def, &toy, argc, (char **)argv);
}

/* daemon_main's status, and what it printed on stdout into out. */
static int run_main_stdout(int argc, const char *const *argv, char *out, size_t cap)
{
	FILE *f = tmpfile();
	int saved, rc;
	size_t n;

	assert_non_null(f);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(f), STDOUT_FILENO) >= 0);
	rc = run_main(argc, argv);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(f);
	n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
	return rc;
}

static void test_main_command_line(void **state)
{
	const char *check[] = {"toy", "-T", "-n", "-f", conf_path, NULL};
	const char *bad_opt[] = {"toy", "-x", NULL};
	const char *extra[] = {"toy", "-n", "stray", NULL};
	const char *bad_cat[] = {"toy", "-d", "nosuch", "-n", NULL};
	const char *help[] = {"toy", "-h", NULL};

	char printed[256], want[256];

	(void)state;
	write_file("hostname epsilon\n");
	assert_int_equal(run_main_stdout(5, check, printed, sizeof(printed)), 0);
	snprintf(want, sizeof(want), "%s: configuration OK, hostname 'epsilon'\n", conf_path);
	assert_string_equal(printed, want);
	assert_true(toy.option_t);
	write_file("hostname refuse\n");
	assert_int_equal(run_main(5, check), 1);
	assert_int_equal(run_main(2, bad_opt), 2);
	assert_int_equal(run_main(3, extra), 2);
	assert_int_equal(run_main(4, bad_cat), 2);
	assert_int_equal(run_main(2, help), 0);
	/* -n never starts the daemon nor touches its running configuration. */
	assert_string_equal(toy.conf->hostname, "start");
	assert_int_equal(toy.reconfigures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_configure_applies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusal_prefix_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_whole_check_refuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_request_wiped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sighup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_main_command_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
