#include <string.h>

#include "lib/ctl_cmd.h"
#include "lib/json.h"
#include "lib/log.h"

int ctl_cmd_show_version(struct cmd_exec *x, const struct cmd_args *a, const char *daemon)
{
	if (cmd_has(a, "json")) {
		struct json j;

		json_init(&j, x->out);
		json_obj_begin(&j);
		json_kv_str(&j, "daemon", daemon);
		json_kv_str(&j, "version", DMVPN_VERSION);
		json_obj_end(&j);
		strbuf_puts(x->out, "\n");
	} else {
		strbuf_printf(x->out, "%s %s\n", daemon, DMVPN_VERSION);
	}
	return 0;
}

int ctl_cmd_show_debugging(struct cmd_exec *x, const struct cmd_args *a)
{
	if (cmd_has(a, "json")) {
		struct json j;

		json_init(&j, x->out);
		json_obj_begin(&j);
		json_kv_str(&j, "log_level", log_level_name(log_get_level()));
		json_key(&j, "debug");
		json_arr_begin(&j);
		for (int c = 0; c < LOG_CAT__COUNT; c++)
			if (log_category_enabled(c))
				json_str(&j, log_cat_name(c));
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_puts(x->out, "\n");
		return 0;
	}
	strbuf_printf(x->out, "log level %s\n", log_level_name(log_get_level()));
	for (int c = 0; c < LOG_CAT__COUNT; c++)
		if (log_category_enabled(c))
			strbuf_printf(x->out, "debug %s\n", log_cat_name(c));
	return 0;
}

int ctl_cmd_log_level(struct cmd_exec *x, const struct cmd_args *a)
{
	int lvl = log_level_from_name(a->argv[2]);

	if (lvl < 0) {
		strbuf_printf(x->out, "%% unknown log level '%s'\n", a->argv[2]);
		return -1;
	}
	log_set_level(lvl);
	return 0;
}

int ctl_cmd_debug_control(struct cmd_exec *x, const struct cmd_args *a)
{
	(void)x;
	log_set_category(LOG_CAT_CTL, strcmp(a->argv[0], "no") != 0);
	return 0;
}

bool ctl_cmd_secrets_allowed(struct cmd_exec *x)
{
	return x->uid == 0;
}

int ctl_cmd_running_config_reply(struct cmd_exec *x, const struct cmd_args *a, const char *text)
{
	struct json j;
	const char *p = text;

	if (cmd_has(a, "secrets") && !ctl_cmd_secrets_allowed(x)) {
		strbuf_puts(x->out, "% show running-config secrets: root only\n");
		return -1;
	}
	if (!cmd_has(a, "json")) {
		strbuf_puts(x->out, text);
		return 0;
	}
	json_init(&j, x->out);
	json_obj_begin(&j);
	json_key(&j, "lines");
	json_arr_begin(&j);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[CMD_MAX_LINE + 1];

		if (n > CMD_MAX_LINE)
			n = CMD_MAX_LINE;
		memcpy(line, p, n);
		line[n] = '\0';
		json_str(&j, line);
		p = nl ? nl + 1 : p + strlen(p);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	strbuf_puts(x->out, "\n");
	return 0;
}
