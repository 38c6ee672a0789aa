/*
 * The command engine (lib/cmd.c, lib/cmd_pattern.c): the grammar compiles,
 * abbreviations resolve as Cisco's parser would, arguments are typed and
 * range-checked, ambiguity and incompleteness are told apart, and
 * completion offers what may follow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/cmd.h"

static struct cmd_args args;

/* Resolve in node; the expanded line, or the error message. */
static const char *resolve(enum cmd_node node, unsigned owners, const char *line, int *rc)
{
	static struct strbuf out;

	strbuf_free(&out);
	strbuf_init(&out);
	*rc = cmd_resolve_line(node, owners, line, &args, &out);
	if (*rc == 0)
		cmd_args_line(&args, &out);
	return out.s ? out.s : "";
}

static void test_grammar_compiles(void **state)
{
	struct strbuf err;

	(void)state;
	strbuf_init(&err);
	assert_int_equal(cmd_grammar_check(&err), 0);
	assert_int_equal(err.len, 0);
	strbuf_free(&err);
}

static void test_abbreviations(void **state)
{
	int rc;

	(void)state;
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "sh dmvpn", &rc), "show dmvpn");
	assert_int_equal(rc, 0);
	assert_int_equal(args.def->id, CMD_SHOW_DMVPN);
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "sh ip nh ca j", &rc),
	                    "show ip nhrp cache json");
	assert_int_equal(args.def->id, CMD_SHOW_IP_NHRP);
	assert_true(cmd_has(&args, "json") && cmd_has(&args, "cache") && !cmd_has(&args, "detail"));
	/* "ip" is the keyword ip, not a prefix of ipv6 */
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "show ip route", &rc), "show ip route");
	assert_int_equal(args.def->id, CMD_FRR_SHOW_IP_ROUTE);
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "sh cry ikev2 sa det", &rc),
	                    "show crypto ikev2 sa detail");
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "conf t", &rc), "configure terminal");
	assert_int_equal(args.def->enters, CMD_NODE_CONFIG);
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "wr", &rc), "write");
	assert_int_equal(args.def->id, CMD_WRITE_MEMORY);
}

static void test_typed_arguments(void **state)
{
	int rc;

	(void)state;
	assert_string_equal(resolve(CMD_NODE_INTERFACE, 0, "ip nhrp holdtime 300", &rc),
	                    "ip nhrp holdtime 300");
	assert_string_equal(cmd_arg(&args, "<1-65535>", 0), "300");
	resolve(CMD_NODE_INTERFACE, 0, "ip nhrp holdtime 0", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_INTERFACE, 0, "ip nhrp holdtime 65536", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_INTERFACE, 0, "ip nhrp holdtime 99999999999999999999", &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(
	    resolve(CMD_NODE_INTERFACE, 0, "ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 mult", &rc),
	    "ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast");
	assert_string_equal(cmd_arg(&args, "A.B.C.D", 1), "192.0.2.1");
	resolve(CMD_NODE_INTERFACE, 0, "ip nhrp nhs 10.0.0.256 nbma 192.0.2.1", &rc);
	assert_int_equal(rc, -1);
	/* "multicast" is the keyword, an address is the static map */
	resolve(CMD_NODE_INTERFACE, 0, "ip nhrp map multicast dynamic", &rc);
	assert_int_equal(args.def->id, CMD_NHRP_MAP_MULTICAST);
	resolve(CMD_NODE_INTERFACE, 0, "ip nhrp map 10.0.0.3 192.0.2.3", &rc);
	assert_int_equal(args.def->id, CMD_NHRP_MAP);
	/* an address beats an interface name for the same word */
	resolve(CMD_NODE_INTERFACE, 0, "tunnel source 192.0.2.1", &rc);
	assert_string_equal(args.tok[2], "A.B.C.D");
	resolve(CMD_NODE_INTERFACE, 0, "tunnel source eth0", &rc);
	assert_string_equal(args.tok[2], "IFNAME");
	resolve(CMD_NODE_INTERFACE, 0, "ip address 10.0.0.1/33", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_INTERFACE, 0, "ipv6 address 2001:db8::1/64", &rc);
	assert_int_equal(rc, 0);
	/* "ip" is taken exactly by `ip address`: it never stands for ipv6,
	 * even when `ip address` then fails on the address */
	assert_string_equal(resolve(CMD_NODE_INTERFACE, 0, "ip address fd00::1/64", &rc),
	                    "% Invalid input at 'fd00::1/64'\n");
	resolve(CMD_NODE_CONFIG, 0, "nhrp zebra socket /run/z.api distance 20", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(cmd_arg(&args, "/PATH", 0), "/run/z.api");
	assert_string_equal(cmd_arg(&args, "<1-255>", 0), "20");
	resolve(CMD_NODE_CONFIG, 0, "nhrp zebra socket relative", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_EXEC, 0, "clear crypto ikev2 sa peer 2001:db8::2", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(cmd_arg(&args, "X:X::X:X", 0), "2001:db8::2");
	/* LINE takes the rest, words as typed */
	resolve(CMD_NODE_INTERFACE, 0, "description Hub  of the west", &rc);
	assert_int_equal(args.argc, 5);
	assert_string_equal(args.argv[4], "west");
}

static void test_errors(void **state)
{
	int rc;

	(void)state;
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "bogus", &rc), "% Unknown command: bogus\n");
	assert_int_equal(rc, -1);
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "show ip nhrp bogus", &rc),
	                    "% Invalid input at 'bogus'\n");
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "show crypto", &rc),
	                    "% Incomplete command\n");
	/* "s" is show or ... nothing else at exec; "d" in exec is debug only,
	 * "c" is clear, configure or copy */
	assert_string_equal(resolve(CMD_NODE_EXEC, 0, "c", &rc),
	                    "% Ambiguous command: 'c' (clear or configure)\n");
	/* owners filter: mgred does not know nhrpd's commands */
	resolve(CMD_NODE_EXEC, CMD_OWN_MGRED, "show dmvpn", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_EXEC, CMD_OWN_NHRPD, "show dmvpn", &rc);
	assert_int_equal(rc, 0);
	/* a config command at exec, an exec command in config */
	resolve(CMD_NODE_EXEC, 0, "ip nhrp holdtime 300", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_INTERFACE, 0, "show dmvpn", &rc);
	assert_int_equal(rc, -1);
	resolve(CMD_NODE_EXEC, 0, "", &rc);
	assert_int_equal(rc, -1);
}

static int complete(enum cmd_node node, const char *line, const char *partial,
                    struct cmd_next *next)
{
	static char buf[CMD_MAX_LINE + 1];
	char *words[CMD_MAX_WORDS];
	struct strbuf err;
	int n;

	strbuf_init(&err);
	n = cmd_split(line, buf, sizeof(buf), words, CMD_MAX_WORDS, &err);
	strbuf_free(&err);
	assert_true(n >= 0);
	return cmd_complete(node, 0, words, n, partial, next, CMD_MAX_NEXT);
}

static bool has_next(const struct cmd_next *next, int n, const char *tok)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(next[i].tok, tok))
			return true;
	return false;
}

static void test_completion(void **state)
{
	struct cmd_next next[CMD_MAX_NEXT];
	int n;

	(void)state;
	n = complete(CMD_NODE_EXEC, "", "sh", next);
	assert_int_equal(n, 1);
	assert_string_equal(next[0].tok, "show");
	n = complete(CMD_NODE_EXEC, "show", "", next);
	assert_true(has_next(next, n, "dmvpn") && has_next(next, n, "ip") &&
	            has_next(next, n, "crypto") && has_next(next, n, "running-config") &&
	            has_next(next, n, "interface"));
	assert_false(has_next(next, n, "<cr>"));
	n = complete(CMD_NODE_EXEC, "show ip", "", next);
	assert_true(has_next(next, n, "nhrp") && has_next(next, n, "route"));
	assert_false(has_next(next, n, "holdtime"));
	n = complete(CMD_NODE_EXEC, "show dmvpn", "", next);
	assert_true(has_next(next, n, "detail") && has_next(next, n, "json") &&
	            has_next(next, n, "<cr>"));
	n = complete(CMD_NODE_INTERFACE, "ip nhrp", "ho", next);
	assert_true(n == 2 && has_next(next, n, "holdtime") && has_next(next, n, "host-routes"));
	n = complete(CMD_NODE_INTERFACE, "ip nhrp holdtime", "", next);
	assert_int_equal(n, 1);
	assert_string_equal(next[0].tok, "<1-65535>");
	assert_string_equal(next[0].help, "Seconds");
	/* inside an optional sequence: after "peer" only the address */
	n = complete(CMD_NODE_EXEC, "clear crypto ikev2 sa peer", "", next);
	assert_true(n == 2 && has_next(next, n, "A.B.C.D") && has_next(next, n, "X:X::X:X"));
	/* abbreviations before the word being completed */
	n = complete(CMD_NODE_EXEC, "sh ip nh", "", next);
	assert_true(has_next(next, n, "cache") && has_next(next, n, "traffic"));
}

/*
 * What the assembled grammar declares: the owners by role (lib/ names none
 * of them), the nodes after exec and config with their prompts, each one
 * level below config.
 */
static void test_owners_and_nodes(void **state)
{
	(void)state;
	assert_int_equal(CMD_OWN_DAEMONS, CMD_OWN_MGRED | CMD_OWN_NHRPD | CMD_OWN_IKED);
	assert_int_equal(CMD_OWN_FRONT, CMD_OWN_SHELL);
	assert_int_equal(CMD_OWNER__COUNT, 5);
	assert_int_equal(CMD_OWN_MGRED | CMD_OWN_NHRPD | CMD_OWN_IKED | CMD_OWN_SHELL | CMD_OWN_FRR,
	                 (1 << CMD_OWNER__COUNT) - 1);
	assert_int_equal(CMD_NODE__COUNT, 5);
	assert_string_equal(cmd_node_prompt(CMD_NODE_EXEC), "");
	assert_string_equal(cmd_node_prompt(CMD_NODE_CONFIG), "config");
	assert_string_equal(cmd_node_prompt(CMD_NODE_INTERFACE), "config-if");
	assert_string_equal(cmd_node_prompt(CMD_NODE_IKEV2_PROFILE), "config-ikev2-profile");
	assert_string_equal(cmd_node_prompt(CMD_NODE_FRR), "config-router");
	assert_string_equal(cmd_node_prompt(CMD_NODE_NONE), "?");
	assert_int_equal(cmd_node_parent(CMD_NODE_EXEC), CMD_NODE_EXEC);
	assert_int_equal(cmd_node_parent(CMD_NODE_CONFIG), CMD_NODE_EXEC);
	assert_int_equal(cmd_node_parent(CMD_NODE_INTERFACE), CMD_NODE_CONFIG);
	assert_int_equal(cmd_node_parent(CMD_NODE_IKEV2_PROFILE), CMD_NODE_CONFIG);
	assert_int_equal(cmd_node_parent(CMD_NODE_FRR), CMD_NODE_CONFIG);
	assert_int_equal(cmd_node_parent(CMD_NODE_NONE), CMD_NODE_EXEC);
	/* a shared line is owned by both daemons, an exit by the shell */
	assert_int_equal(cmd_grammar[CMD_TUNNEL_SOURCE].owners, CMD_OWN_MGRED | CMD_OWN_NHRPD);
	assert_int_equal(cmd_grammar[CMD_EXIT_INTERFACE].owners, CMD_OWN_SHELL);
	assert_int_equal(cmd_grammar[CMD_SHOW_VERSION].owners, CMD_OWN_DAEMONS | CMD_OWN_SHELL);
}

/*
 * Where one word fits commands of several parts, the order of the parts
 * decides which the message and `?` name first: a node's exits before the
 * daemons' lines, the daemons' exec commands before the shell's.
 */
static void test_part_order(void **state)
{
	struct cmd_next next[CMD_MAX_NEXT];
	int rc, n;

	(void)state;
	assert_string_equal(resolve(CMD_NODE_INTERFACE, 0, "d", &rc),
	                    "% Ambiguous command: 'd' (do or description)\n");
	assert_string_equal(resolve(CMD_NODE_IKEV2_PROFILE, 0, "d", &rc),
	                    "% Ambiguous command: 'd' (do or dpd)\n");
	n = complete(CMD_NODE_INTERFACE, "d", "", next);
	assert_int_equal(n, 1);
	assert_string_equal(next[0].tok, "LINE");
	assert_string_equal(next[0].help, "The command");
	n = complete(CMD_NODE_IKEV2_PROFILE, "d", "", next);
	assert_true(n == 2 && has_next(next, n, "LINE") && has_next(next, n, "<0-3600>"));
}

static void test_token_types(void **state)
{
	(void)state;
	assert_true(cmd_token_accepts("<60-86400>", "60"));
	assert_false(cmd_token_accepts("<60-86400>", "59"));
	assert_false(cmd_token_accepts("<60-86400>", "6x"));
	assert_false(cmd_token_accepts("<0-4294967295>", "4294967296"));
	assert_true(cmd_token_accepts("<0-4294967295>", "4294967295"));
	assert_true(cmd_token_accepts("A.B.C.D", "192.0.2.1"));
	assert_false(cmd_token_accepts("A.B.C.D", "192.0.2"));
	assert_false(cmd_token_accepts("A.B.C.D", "2001:db8::1"));
	assert_true(cmd_token_accepts("A.B.C.D/M", "10.0.0.0/8"));
	assert_false(cmd_token_accepts("A.B.C.D/M", "10.0.0.0/"));
	assert_false(cmd_token_accepts("A.B.C.D/M", "10.0.0.0/8x"));
	assert_true(cmd_token_accepts("IFNAME", "tun0"));
	assert_false(cmd_token_accepts("IFNAME", "a-name-longer-than-15"));
	assert_false(cmd_token_accepts("IFNAME", "tun/0"));
	assert_true(cmd_token_accepts("/PATH", "/etc/dmvpn/psk"));
	assert_false(cmd_token_accepts("/PATH", "psk"));
}

static void test_split_limits(void **state)
{
	char buf[CMD_MAX_LINE + 1];
	char *words[4];
	char longline[CMD_MAX_LINE + 10];
	struct strbuf err;

	(void)state;
	strbuf_init(&err);
	assert_int_equal(cmd_split("  a\tb  c \r\n", buf, sizeof(buf), words, 4, &err), 3);
	assert_string_equal(words[2], "c");
	assert_int_equal(cmd_split("a b c d e", buf, sizeof(buf), words, 4, &err), -1);
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	assert_int_equal(cmd_split(longline, buf, sizeof(buf), words, 4, &err), -1);
	strbuf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grammar_compiles), cmocka_unit_test(test_abbreviations),
	    cmocka_unit_test(test_typed_arguments),  cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_completion),       cmocka_unit_test(test_token_types),
	    cmocka_unit_test(test_split_limits),     cmocka_unit_test(test_owners_and_nodes),
	    cmocka_unit_test(test_part_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
