/*
 * lib/json_read.c: the shell trusts it with whatever a daemon's socket
 * says, so every value type and escape is read back exactly, 64-bit
 * counters stay exact, every RFC 8259 refusal names its reason and offset,
 * and what lib/json.h writes reads back as the values it was given.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/json_read.h"

static struct json_value *parse_ok(const char *text)
{
	char err[128];
	struct json_value *v = json_read(text, strlen(text), err, sizeof(err));

	if (!v)
		fail_msg("refused %s: %s", text, err);
	assert_string_equal(err, "");
	return v;
}

/* Refused with exactly this reason at this offset. */
static void parse_refused(const char *text, size_t len, const char *why)
{
	char err[128];
	struct json_value *v = json_read(text, len, err, sizeof(err));

	if (v) {
		json_value_free(v);
		fail_msg("accepted %s, expected %s", text, why);
	}
	assert_string_equal(err, why);
}

#define REFUSED(text, why) parse_refused(text, sizeof(text) - 1, why)

static void test_every_type(void **state)
{
	struct json_value *v =
	    parse_ok("{\"n\":null,\"t\":true,\"f\":false,\"num\":42,\"s\":\"x\",\"a\":[1,\"y\"],"
	             "\"o\":{},\"e\":[]}");

	(void)state;
	assert_int_equal(v->type, JSON_OBJECT);
	assert_int_equal(v->n, 8);
	assert_string_equal(v->keys[0], "n");
	assert_int_equal(json_get(v, "n")->type, JSON_NULL);
	assert_int_equal(json_get(v, "t")->type, JSON_BOOL);
	assert_true(json_get(v, "t")->b);
	assert_int_equal(json_get(v, "f")->type, JSON_BOOL);
	assert_false(json_get(v, "f")->b);
	assert_int_equal(json_get(v, "num")->type, JSON_NUMBER);
	assert_int_equal(json_get_u64(v, "num", 0), 42);
	assert_string_equal(json_get_str(v, "s", NULL), "x");
	assert_int_equal(json_get(v, "a")->type, JSON_ARRAY);
	assert_int_equal(json_get(v, "a")->n, 2);
	assert_true(json_at(json_get(v, "a"), 0)->num == 1.0);
	assert_string_equal(json_at(json_get(v, "a"), 1)->str, "y");
	assert_int_equal(json_get(v, "o")->type, JSON_OBJECT);
	assert_int_equal(json_get(v, "o")->n, 0);
	assert_int_equal(json_get(v, "e")->n, 0);
	json_value_free(v);

	/* Any value may stand alone, with the four whitespace bytes around. */
	v = parse_ok(" \t\r\n\"alone\" \n");
	assert_int_equal(v->type, JSON_STRING);
	assert_string_equal(v->str, "alone");
	json_value_free(v);
	v = parse_ok("null");
	assert_int_equal(v->type, JSON_NULL);
	json_value_free(v);
	v = parse_ok("7");
	assert_int_equal(v->type, JSON_NUMBER);
	json_value_free(v);
}

static void test_nesting(void **state)
{
	struct json_value *v = parse_ok("{\"a\":[{\"b\":[[],{\"c\":[true]}]},2],\"d\":{\"e\":{}}}");
	const struct json_value *b;

	(void)state;
	b = json_get(json_at(json_get(v, "a"), 0), "b");
	assert_non_null(b);
	assert_int_equal(b->n, 2);
	assert_int_equal(json_at(b, 0)->type, JSON_ARRAY);
	assert_true(json_at(json_get(json_at(b, 1), "c"), 0)->b);
	assert_true(json_at(json_get(v, "a"), 1)->num == 2.0);
	assert_int_equal(json_get(json_get(v, "d"), "e")->type, JSON_OBJECT);
	json_value_free(v);

	/* Many members: the arrays grow past their first allocation. */
	{
		char text[4096];
		size_t n = 0;

		text[n++] = '[';
		for (int i = 0; i < 1000; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%d", i ? "," : "",
			                      i % 10);
		text[n++] = ']';
		text[n] = '\0';
		v = parse_ok(text);
		assert_int_equal(v->n, 1000);
		assert_int_equal(json_at(v, 999)->u, 9);
		json_value_free(v);
	}
}

static void test_string_escapes(void **state)
{
	struct json_value *v;

	(void)state;
	v = parse_ok("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"");
	assert_string_equal(v->str, "q\" b\\ s/ \b\f\n\r\t");
	json_value_free(v);

	v = parse_ok("[\"\\u00e9\",\"\\u00E9\",\"\\u20ac\",\"\\ud83d\\ude00\",\"\\uD834\\uDD1E\","
	             "\"\\u0001\\u001f\",\"\\u0041\"]");
	assert_string_equal(json_at(v, 0)->str, "\xc3\xa9");
	assert_string_equal(json_at(v, 1)->str, "\xc3\xa9");
	assert_string_equal(json_at(v, 2)->str, "\xe2\x82\xac");
	assert_string_equal(json_at(v, 3)->str, "\xf0\x9f\x98\x80");
	assert_string_equal(json_at(v, 4)->str, "\xf0\x9d\x84\x9e");
	assert_string_equal(json_at(v, 5)->str, "\x01\x1f");
	assert_string_equal(json_at(v, 6)->str, "A");
	json_value_free(v);

	/* Raw UTF-8 at each length and its boundaries, and DEL, pass as they are. */
	v = parse_ok("\"\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf "
	             "\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf \x7f\"");
	assert_string_equal(v->str, "\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 "
	                            "\xef\xbf\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf \x7f");
	json_value_free(v);

	/* Keys are decoded like strings. */
	v = parse_ok("{\"\\u00e9t\\u00e9\":1,\"\":2}");
	assert_string_equal(v->keys[0], "\xc3\xa9t\xc3\xa9");
	assert_int_equal(json_get_u64(v, "\xc3\xa9t\xc3\xa9", 0), 1);
	assert_int_equal(json_get_u64(v, "", 0), 2);
	json_value_free(v);
}

static void test_numbers(void **state)
{
	struct json_value *v = parse_ok(
	    "[18446744073709551615,18446744073709551616,9223372036854775807,-9223372036854775808,"
	    "-9223372036854775809,-1,-0,0,0.5,-2.25,1e3,1E-2,1.5e+2,1e-400,-12.5e-1]");
	const struct json_value *x;

	(void)state;
	x = json_at(v, 0); /* the largest counter a daemon writes, exactly */
	assert_true(x->is_u64 && x->u == UINT64_MAX);
	assert_false(x->is_i64);
	x = json_at(v, 1); /* one more: only the double */
	assert_false(x->is_u64 || x->is_i64);
	assert_true(x->num == 18446744073709551616.0);
	x = json_at(v, 2);
	assert_true(x->is_i64 && x->i == INT64_MAX && x->is_u64 && x->u == INT64_MAX);
	x = json_at(v, 3);
	assert_true(x->is_i64 && x->i == INT64_MIN);
	assert_false(x->is_u64);
	x = json_at(v, 4);
	assert_false(x->is_u64 || x->is_i64);
	assert_true(x->num == -9223372036854775808.0);
	x = json_at(v, 5);
	assert_true(x->is_i64 && x->i == -1 && x->num == -1.0);
	assert_false(x->is_u64);
	x = json_at(v, 6); /* -0 is the integer 0, and the double keeps its sign */
	assert_true(x->is_u64 && x->u == 0 && x->is_i64 && x->i == 0);
	assert_true(x->num == 0.0 && signbit(x->num));
	x = json_at(v, 7);
	assert_true(x->is_u64 && x->u == 0 && !signbit(x->num));
	assert_true(json_at(v, 8)->num == 0.5);
	assert_true(json_at(v, 9)->num == -2.25);
	/* A fraction or exponent makes a double only, even when integral. */
	x = json_at(v, 10);
	assert_true(x->num == 1000.0);
	assert_false(x->is_u64 || x->is_i64);
	assert_true(json_at(v, 11)->num == 0.01);
	assert_true(json_at(v, 12)->num == 150.0);
	assert_true(json_at(v, 13)->num == 0.0); /* underflow is not an error */
	assert_true(json_at(v, 14)->num == -1.25);
	for (size_t i = 8; i < v->n; i++)
		assert_false(json_at(v, i)->is_u64 || json_at(v, i)->is_i64);
	json_value_free(v);

	/* A number longer than the reader's stack copy. */
	v = parse_ok("0.00000000000000000000000000000000000000000000000000000000000000000000000000"
	             "000000000000000000000000001");
	assert_true(v->num == 1e-101);
	json_value_free(v);
}

static void test_refused_syntax(void **state)
{
	(void)state;
	REFUSED("", "unexpected end of input at offset 0");
	REFUSED("   ", "unexpected end of input at offset 3");
	REFUSED("[", "unexpected end of input at offset 1");
	REFUSED("[1,", "unexpected end of input at offset 3");
	REFUSED("{\"a\":", "unexpected end of input at offset 5");
	REFUSED("{\"a\"", "expected ':' at offset 4");
	REFUSED("{\"a\" 1}", "expected ':' at offset 5");
	REFUSED("{1:2}", "expected string key at offset 1");
	REFUSED("{,}", "expected string key at offset 1");
	REFUSED("[1 2]", "expected ',' or ']' at offset 3");
	REFUSED("{\"a\":1 \"b\":2}", "expected ',' or '}' at offset 7");
	REFUSED("[1,,2]", "unexpected character at offset 3");
	REFUSED("[,1]", "unexpected character at offset 1");
	/* No trailing commas (section 5 and 4 have none). */
	REFUSED("[1,]", "trailing comma at offset 3");
	REFUSED("[1, ]", "trailing comma at offset 4");
	REFUSED("{\"a\":1,}", "trailing comma at offset 7");
	/* No comments, before or after the value. */
	REFUSED("// c\n1", "unexpected character at offset 0");
	REFUSED("/* c */ 1", "unexpected character at offset 0");
	REFUSED("1 /* c */", "trailing characters after value at offset 2");
	REFUSED("[1]// c", "trailing characters after value at offset 3");
	REFUSED("[1 /* c */]", "expected ',' or ']' at offset 3");
	/* Trailing garbage, and bytes that are not JSON whitespace. */
	REFUSED("1 2", "trailing characters after value at offset 2");
	REFUSED("{}x", "trailing characters after value at offset 2");
	REFUSED("\v1", "unexpected character at offset 0");
	REFUSED("\xef\xbb\xbf{}", "unexpected character at offset 0"); /* a BOM */
	REFUSED("[1,\0]", "unexpected character at offset 3");
	REFUSED("1\0", "trailing characters after value at offset 1");
	/* Literals are lower case and whole. */
	REFUSED("tru", "invalid literal at offset 0");
	REFUSED("nul", "invalid literal at offset 0");
	REFUSED("[falsy]", "invalid literal at offset 1");
	REFUSED("True", "unexpected character at offset 0");
	REFUSED("nullx", "trailing characters after value at offset 4");
	REFUSED("'a'", "unexpected character at offset 0");
}

/* Section 6: no leading zeros, no NaN or infinity, digits on both sides. */
static void test_refused_numbers(void **state)
{
	(void)state;
	REFUSED("01", "leading zero in number at offset 0");
	REFUSED("-01", "leading zero in number at offset 0");
	REFUSED("[00]", "leading zero in number at offset 1");
	REFUSED("NaN", "unexpected character at offset 0");
	REFUSED("Infinity", "unexpected character at offset 0");
	REFUSED("-Infinity", "digit expected in number at offset 1");
	REFUSED("-", "digit expected in number at offset 1");
	REFUSED("1.", "digit expected in number at offset 2");
	REFUSED("1.e5", "digit expected in number at offset 2");
	REFUSED("1e", "digit expected in number at offset 2");
	REFUSED("1e+", "digit expected in number at offset 3");
	REFUSED(".5", "unexpected character at offset 0");
	REFUSED("+1", "unexpected character at offset 0");
	REFUSED("0x10", "trailing characters after value at offset 1");
	REFUSED("1e400", "number out of range at offset 0");
	REFUSED("[-1e400]", "number out of range at offset 1");
}

static void test_refused_strings(void **state)
{
	(void)state;
	REFUSED("\"abc", "unterminated string at offset 0");
	REFUSED("\"abc\\\"", "unterminated string at offset 0");
	REFUSED("{\"a", "unterminated string at offset 1");
	/* Section 7: control characters must be escaped, NUL included. */
	REFUSED("\"a\tb\"", "control character in string at offset 2");
	REFUSED("\"a\nb\"", "control character in string at offset 2");
	REFUSED("\"\x1f\"", "control character in string at offset 1");
	REFUSED("\"a\0b\"", "control character in string at offset 2");
	REFUSED("\"\\x\"", "invalid escape in string at offset 1");
	REFUSED("\"\\'\"", "invalid escape in string at offset 1");
	REFUSED("\"\\U00e9\"", "invalid escape in string at offset 1");
	REFUSED("\"\\u12\"", "invalid \\u escape at offset 1");
	REFUSED("\"\\u12g4\"", "invalid \\u escape at offset 1");
	REFUSED("\"ab\\u", "unterminated string at offset 0");
	/* A NUL would cut the C string short. */
	REFUSED("\"a\\u0000b\"", "\\u0000 in string at offset 2");
	REFUSED("{\"\\u0000\":1}", "\\u0000 in string at offset 2");
	/* Lone surrogates (section 8.2) name no character. */
	REFUSED("\"\\ud800\"", "lone surrogate in \\u escape at offset 1");
	REFUSED("\"\\udbff\\u0041\"", "lone surrogate in \\u escape at offset 1");
	REFUSED("\"\\ud800x\"", "lone surrogate in \\u escape at offset 1");
	REFUSED("\"\\ud800\\ud800\"", "lone surrogate in \\u escape at offset 1");
	REFUSED("\"\\ud800\\n\"", "lone surrogate in \\u escape at offset 1");
	REFUSED("\"x\\udc00\"", "lone surrogate in \\u escape at offset 2");
	REFUSED("\"\\ude00\\ud83d\"", "lone surrogate in \\u escape at offset 1");
}

/* Section 8.1: strings are UTF-8; Unicode table 3-7 says which is well formed. */
static void test_refused_utf8(void **state)
{
	(void)state;
	REFUSED("\"\x80\"", "invalid UTF-8 in string at offset 1"); /* lone continuation */
	REFUSED("\"\xbf\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xc0\xaf\"", "invalid UTF-8 in string at offset 1"); /* overlong '/' */
	REFUSED("\"\xc1\xbf\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xe0\x80\xaf\"", "invalid UTF-8 in string at offset 1"); /* overlong */
	REFUSED("\"\xe0\x9f\xbf\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xf0\x80\x80\xaf\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xf0\x8f\xbf\xbf\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xed\xa0\x80\"", "invalid UTF-8 in string at offset 1");     /* U+D800 */
	REFUSED("\"\xed\xbf\xbf\"", "invalid UTF-8 in string at offset 1");     /* U+DFFF */
	REFUSED("\"\xf4\x90\x80\x80\"", "invalid UTF-8 in string at offset 1"); /* U+110000 */
	REFUSED("\"\xf5\x80\x80\x80\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xfe\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xff\"", "invalid UTF-8 in string at offset 1");
	/* Truncated sequences, cut by the closing quote or by a plain byte. */
	REFUSED("\"\xc3\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xe2\x82\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"\xf0\x9f\x98\"", "invalid UTF-8 in string at offset 1");
	REFUSED("\"ab\xe2\x82x\"", "invalid UTF-8 in string at offset 3");
	REFUSED("{\"\xc3\x28\":1}", "invalid UTF-8 in string at offset 2");
}

static void test_depth_limit(void **state)
{
	static char text[2 * 100000 + 16];
	struct json_value *v;
	const struct json_value *x;
	size_t n;

	(void)state;
	/* JSON_READ_MAX_DEPTH nested arrays are read... */
	memset(text, '[', JSON_READ_MAX_DEPTH);
	memset(text + JSON_READ_MAX_DEPTH, ']', JSON_READ_MAX_DEPTH);
	text[2 * JSON_READ_MAX_DEPTH] = '\0';
	v = parse_ok(text);
	x = v;
	for (int d = 1; d < JSON_READ_MAX_DEPTH; d++)
		x = json_at(x, 0);
	assert_non_null(x);
	assert_int_equal(x->n, 0);
	json_value_free(v);

	/* ...one more is refused where it opens. */
	memset(text, '[', JSON_READ_MAX_DEPTH + 1);
	memset(text + JSON_READ_MAX_DEPTH + 1, ']', JSON_READ_MAX_DEPTH + 1);
	parse_refused(text, 2 * (JSON_READ_MAX_DEPTH + 1), "nesting too deep at offset 64");

	/* Objects count the same way. */
	n = 0;
	for (int d = 0; d < JSON_READ_MAX_DEPTH; d++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{\"k\":");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "1");
	for (int d = 0; d < JSON_READ_MAX_DEPTH; d++)
		text[n++] = '}';
	text[n] = '\0';
	v = parse_ok(text);
	json_value_free(v);
	memmove(text + 5, text, n + 1);
	memcpy(text, "{\"k\":", 5);
	text[n + 5] = '}';
	text[n + 6] = '\0';
	parse_refused(text, n + 6, "nesting too deep at offset 320");

	/* Hostile depth ends at the limit, not in a stack overflow. */
	memset(text, '[', 100000);
	memset(text + 100000, ']', 100000);
	parse_refused(text, 200000, "nesting too deep at offset 64");
	parse_refused(text, 100000, "nesting too deep at offset 64");
}

/* The input need not be NUL-terminated, and the error buffer is optional. */
static void test_lengths_and_err(void **state)
{
	char err[8];
	struct json_value *v = json_read("[1]garbage", 3, NULL, 0);

	(void)state;
	assert_non_null(v);
	assert_int_equal(v->n, 1);
	json_value_free(v);
	assert_null(json_read("[1]garbage", 4, NULL, 0));
	assert_null(json_read(NULL, 0, NULL, 0));
	assert_null(json_read("x", 1, err, sizeof(err)));
	assert_string_equal(err, "unexpec"); /* cut, still terminated */
	json_value_free(NULL);
}

/* What the daemons write (lib/json.h) reads back as the values given. */
static void test_writer_round_trip(void **state)
{
	struct strbuf sb;
	struct json j;
	struct json_value *v;
	const struct json_value *sa, *child;

	(void)state;
	strbuf_init(&sb);
	json_init(&j, &sb);
	json_obj_begin(&j);
	json_kv_str(&j, "dataplane", "none");
	json_kv_u64(&j, "bytes", UINT64_MAX);
	json_key(&j, "delta");
	json_i64(&j, INT64_MIN);
	json_kv_str(&j, "odd", "q\"b\\n\nt\tc\x01\r\x7f \xc3\xa9\xf0\x9f\x98\x80");
	json_key(&j, "sas");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kv_u64(&j, "id", 7);
	json_kv_bool(&j, "nat_local", true);
	json_kv_bool(&j, "nat_remote", false);
	json_key(&j, "replaced_by");
	json_null(&j);
	json_key(&j, "child");
	json_obj_begin(&j);
	json_kv_str(&j, "spi_in", "c0ffee01");
	json_obj_end(&j);
	json_obj_end(&j);
	json_arr_begin(&j);
	json_u64(&j, 0);
	json_str(&j, "");
	json_arr_end(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	assert_false(sb.oom);

	v = parse_ok(strbuf_str(&sb));
	assert_string_equal(json_get_str(v, "dataplane", NULL), "none");
	assert_true(json_get_u64(v, "bytes", 0) == UINT64_MAX);
	assert_true(json_get(v, "delta")->is_i64 && json_get(v, "delta")->i == INT64_MIN);
	assert_string_equal(json_get_str(v, "odd", NULL),
	                    "q\"b\\n\nt\tc\x01\r\x7f \xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(json_get(v, "sas")->n, 2);
	sa = json_at(json_get(v, "sas"), 0);
	assert_int_equal(json_get_u64(sa, "id", 0), 7);
	assert_true(json_get(sa, "nat_local")->b);
	assert_false(json_get(sa, "nat_remote")->b);
	assert_int_equal(json_get(sa, "replaced_by")->type, JSON_NULL);
	child = json_get(sa, "child");
	assert_string_equal(json_get_str(child, "spi_in", NULL), "c0ffee01");
	assert_int_equal(json_at(json_at(json_get(v, "sas"), 1), 0)->u, 0);
	assert_string_equal(json_at(json_at(json_get(v, "sas"), 1), 1)->str, "");
	json_value_free(v);
	strbuf_free(&sb);
}

/* The shell's use: join nhrpd's peers with iked's SAs on the NBMA address. */
static void test_merge_daemon_answers(void **state)
{
	struct json_value *dmvpn = parse_ok(
	    "{\"interfaces\":[{\"name\":\"gre1\",\"type\":\"hub\",\"peers\":["
	    "{\"nbma\":\"192.0.2.2\",\"tunnel\":\"10.0.0.2\",\"state\":\"up\",\"updn\":12},"
	    "{\"nbma\":\"192.0.2.3\",\"tunnel\":\"10.0.0.3\",\"state\":\"nhrp\",\"updn\":3}]}]}");
	struct json_value *ike = parse_ok("{\"dataplane\":\"none\",\"sas\":[{\"id\":1,\"remote\":"
	                                  "\"192.0.2.3\",\"state\":\"ESTABLISHED\"},{\"id\":2,"
	                                  "\"remote\":\"192.0.2.2\",\"state\":\"ESTABLISHED\"}]}");
	const struct json_value *peers, *sas, *match;

	(void)state;
	peers = json_get(json_at(json_get(dmvpn, "interfaces"), 0), "peers");
	sas = json_get(ike, "sas");
	assert_non_null(peers);
	for (size_t i = 0; json_at(peers, i); i++) {
		const char *nbma = json_get_str(json_at(peers, i), "nbma", "");

		match = NULL;
		for (size_t k = 0; json_at(sas, k); k++)
			if (strcmp(json_get_str(json_at(sas, k), "remote", ""), nbma) == 0)
				match = json_at(sas, k);
		assert_non_null(match);
		assert_int_equal(json_get_u64(match, "id", 0), i == 0 ? 2 : 1);
	}
	json_value_free(dmvpn);
	json_value_free(ike);
}

/* Accessors take NULL and wrong types and answer with the default. */
static void test_accessors_wrong_types(void **state)
{
	struct json_value *v = parse_ok("{\"s\":\"5\",\"neg\":-1,\"frac\":1.5,\"exp\":1e3,"
	                                "\"big\":18446744073709551616,\"b\":true,\"n\":null,"
	                                "\"a\":[1],\"dup\":1,\"dup\":2}");
	const struct json_value *a = json_get(v, "a");

	(void)state;
	assert_null(json_get(NULL, "s"));
	assert_null(json_get(v, NULL));
	assert_null(json_get(v, "missing"));
	assert_null(json_get(a, "s")); /* an array has no members by name */
	assert_null(json_at(v, 0));    /* an object has no elements by index */
	assert_null(json_at(NULL, 0));
	assert_non_null(json_at(a, 0));
	assert_null(json_at(a, 1));
	assert_null(json_at(a, SIZE_MAX));

	assert_string_equal(json_get_str(v, "s", "d"), "5");
	assert_string_equal(json_get_str(v, "neg", "d"), "d");
	assert_string_equal(json_get_str(v, "n", "d"), "d");
	assert_string_equal(json_get_str(v, "a", "d"), "d");
	assert_string_equal(json_get_str(v, "missing", "d"), "d");
	assert_null(json_get_str(NULL, "s", NULL));
	assert_string_equal(json_get_str(a, "s", "d"), "d");

	assert_int_equal(json_get_u64(v, "s", 9), 9); /* no string-to-number */
	assert_int_equal(json_get_u64(v, "neg", 9), 9);
	assert_int_equal(json_get_u64(v, "frac", 9), 9);
	assert_int_equal(json_get_u64(v, "exp", 9), 9);
	assert_int_equal(json_get_u64(v, "big", 9), 9);
	assert_int_equal(json_get_u64(v, "b", 9), 9);
	assert_int_equal(json_get_u64(v, "n", 9), 9);
	assert_int_equal(json_get_u64(v, "a", 9), 9);
	assert_int_equal(json_get_u64(NULL, "a", 9), 9);
	/* Duplicate keys are kept; lookups see the first. */
	assert_int_equal(json_get_u64(v, "dup", 9), 1);
	json_value_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_type),
	    cmocka_unit_test(test_nesting),
	    cmocka_unit_test(test_string_escapes),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_refused_syntax),
	    cmocka_unit_test(test_refused_numbers),
	    cmocka_unit_test(test_refused_strings),
	    cmocka_unit_test(test_refused_utf8),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_lengths_and_err),
	    cmocka_unit_test(test_writer_round_trip),
	    cmocka_unit_test(test_merge_daemon_answers),
	    cmocka_unit_test(test_accessors_wrong_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
