/*
 * Reading a configuration: the file's lines (or text in memory) through
 * iked's binding (lib/cmd_conf.h; iked_cmd_binding.c), then the checks
 * that span the whole configuration. Nothing of a configuration with an
 * error is kept.
 */
#include "iked/iked.h"
#include "lib/cmd_conf.h"

static int iked_conf_read(struct conf_reader *r, struct iked_conf *c)
{
	struct strbuf why;
	struct conf_line at = {.lineno = 0};

	if (cmd_conf_read(r, iked_binding(), c) == 0) {
		strbuf_init(&why);
		if (iked_conf_check(c, &why) < 0)
			conf_error(r, &at, "%s", strbuf_str(&why));
		strbuf_free(&why);
	}
	if (r->nerrors) {
		iked_conf_wipe(c);
		return -1;
	}
	return 0;
}

static void iked_conf_init(struct iked_conf *c)
{
	iked_conf_wipe(c);
	c->cookie_threshold = IKED_COOKIE_DEFAULT;
}

int iked_conf_load(const char *path, struct iked_conf *c, struct strbuf *errors)
{
	struct conf_reader r;

	iked_conf_init(c);
	if (conf_open(&r, path, errors) < 0)
		return -1;
	return iked_conf_read(&r, c);
}

int iked_conf_load_mem(const char *name, const void *data, size_t len, struct iked_conf *c,
                       struct strbuf *errors)
{
	struct conf_reader r;

	iked_conf_init(c);
	if (conf_open_mem(&r, name, data, len, errors) < 0)
		return -1;
	return iked_conf_read(&r, c);
}
