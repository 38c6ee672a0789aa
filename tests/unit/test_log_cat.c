/*
 * Debug categories (lib/log.h): declared by their components in the
 * assembled grammar, known to every program by the names they always had,
 * in the order show debugging lists them (lib/ctl_cmd.c), which the order
 * of the grammar's parts fixes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/ctl_cmd.h"
#include "lib/log.h"

static const char *const names[] = {"general", "gre",  "packet", "tunnel",
                                    "ctl",     "nhrp", "ike",    "zapi"};

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(LOG_CAT__COUNT, 8);
	for (int c = 0; c < LOG_CAT__COUNT; c++) {
		assert_string_equal(log_cat_name(c), names[c]);
		assert_int_equal(log_cat_from_name(names[c]), c);
	}
	/* the constants the components' call sites use */
	assert_string_equal(log_cat_name(LOG_CAT_GENERAL), "general");
	assert_string_equal(log_cat_name(LOG_CAT_GRE), "gre");
	assert_string_equal(log_cat_name(LOG_CAT_PACKET), "packet");
	assert_string_equal(log_cat_name(LOG_CAT_TUNNEL), "tunnel");
	assert_string_equal(log_cat_name(LOG_CAT_CTL), "ctl");
	assert_string_equal(log_cat_name(LOG_CAT_NHRP), "nhrp");
	assert_string_equal(log_cat_name(LOG_CAT_IKE), "ike");
	assert_string_equal(log_cat_name(LOG_CAT_ZAPI), "zapi");
	assert_string_equal(log_cat_name(LOG_CAT__COUNT), "?");
	assert_int_equal(log_cat_from_name("bogus"), -1);
	assert_int_equal(log_cat_from_name(""), -1);
	assert_int_equal(log_cat_from_name("NHRP"), -1);
}

static void show_debugging(const char *line, struct strbuf *out)
{
	struct cmd_args a;
	struct cmd_exec x = {.out = out};
	struct strbuf err;

	strbuf_init(&err);
	assert_int_equal(cmd_resolve_line(CMD_NODE_EXEC, CMD_OWN_DAEMONS, line, &a, &err), 0);
	strbuf_free(&err);
	assert_int_equal(ctl_cmd_show_debugging(&x, &a), 0);
}

static void test_show_debugging(void **state)
{
	struct strbuf out;

	(void)state;
	log_set_level(LOG_LVL_INFO);
	for (int c = 0; c < LOG_CAT__COUNT; c++)
		log_set_category(c, false);
	log_set_category(LOG_CAT_NHRP, true);
	log_set_category(LOG_CAT_CTL, true);
	log_set_category(LOG_CAT_GRE, true);
	log_set_category(LOG_CAT_ZAPI, true);
	log_set_category(LOG_CAT_PACKET, true);
	strbuf_init(&out);
	show_debugging("show debugging", &out);
	assert_string_equal(out.s, "log level info\n"
	                           "debug gre\n"
	                           "debug packet\n"
	                           "debug ctl\n"
	                           "debug nhrp\n"
	                           "debug zapi\n");
	strbuf_reset(&out);
	show_debugging("show debugging json", &out);
	assert_string_equal(
	    out.s, "{\"log_level\":\"info\",\"debug\":[\"gre\",\"packet\",\"ctl\",\"nhrp\","
	           "\"zapi\"]}\n");
	strbuf_reset(&out);
	for (int c = 0; c < LOG_CAT__COUNT; c++)
		log_set_category(c, false);
	show_debugging("show debugging", &out);
	assert_string_equal(out.s, "log level info\n");
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_show_debugging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
