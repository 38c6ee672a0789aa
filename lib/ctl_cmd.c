#include <string.h>

#include "lib/ctl_cmd.h"
#include "lib/log.h"

int ctl_cmd_split(const char *line, char buf[CTL_CMD_MAX_LINE], char **w, int max, struct strbuf *o)
{
	char *save = NULL, *tok;
	int n = 0;

	if (strlen(line) >= CTL_CMD_MAX_LINE) {
		strbuf_puts(o, "% command too long\n");
		return -1;
	}
	strcpy(buf, line);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == max) {
			strbuf_puts(o, "% too many words\n");
			return -1;
		}
		w[n++] = tok;
	}
	return n;
}

bool ctl_cmd_common(char **w, int n, struct strbuf *o, int *rc)
{
	int lvl;

	if (n == 2 && !strcmp(w[0], "show") && !strcmp(w[1], "debugging")) {
		strbuf_printf(o, "log level %s\n", log_level_name(log_get_level()));
		for (int c = 0; c < LOG_CAT__COUNT; c++)
			if (log_category_enabled(c))
				strbuf_printf(o, "debug %s\n", log_cat_name(c));
		*rc = 0;
		return true;
	}
	if (n == 3 && !strcmp(w[0], "log") && !strcmp(w[1], "level")) {
		if ((lvl = log_level_from_name(w[2])) < 0) {
			strbuf_puts(o, "usage: log level error|warning|notice|info|debug\n");
			*rc = -1;
			return true;
		}
		log_set_level(lvl);
		*rc = 0;
		return true;
	}
	return false;
}
