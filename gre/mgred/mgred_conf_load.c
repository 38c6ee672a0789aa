/*
 * Reading mgred's part of a configuration file with the command engine
 * (lib/cmd_conf.h) and mgred's binding: above the configuration's data
 * (mgred_conf.c) and the handlers, which know nothing of files.
 */
#include <string.h>

#include "gre/mgred/mgred.h"
#include "lib/conf.h"

static int mgred_conf_read(struct conf_reader *r, struct mgred_conf *conf)
{
	int rc = cmd_conf_read(r, &mgred_binding, conf);

	/* Across blocks too, so that every error is reported at once. */
	if (mgred_conf_check_blocks(conf, r, NULL) < 0)
		rc = -1;
	return rc;
}

int mgred_conf_load(const char *path, struct mgred_conf *conf, struct strbuf *errors)
{
	struct conf_reader r;

	memset(conf, 0, sizeof(*conf));
	if (conf_open(&r, path, errors) < 0)
		return -1;
	return mgred_conf_read(&r, conf);
}

int mgred_conf_load_mem(const char *name, const void *data, size_t len, struct mgred_conf *conf,
                        struct strbuf *errors)
{
	struct conf_reader r;

	memset(conf, 0, sizeof(*conf));
	if (conf_open_mem(&r, name, data, len, errors) < 0)
		return -1;
	return mgred_conf_read(&r, conf);
}
