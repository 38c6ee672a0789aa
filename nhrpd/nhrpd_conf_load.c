/*
 * Reading nhrpd's part of a configuration file with the command engine
 * (lib/cmd_conf.h) and nhrpd's binding: above the configuration's data
 * (nhrpd_conf.c) and the handlers, which know nothing of files.
 */
#include "lib/cmd_conf.h"
#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

static int nhrpd_conf_read(struct conf_reader *r, struct nhrpd_conf *c)
{
	const char *name = r->path;

	int rc = cmd_conf_read(r, &nhrpd_binding, c);

	/* Every error at once: the lines', then the whole's. */
	if (nhrpd_conf_check(c, name, r->errors) < 0 || rc < 0) {
		nhrpd_conf_wipe(c);
		return -1;
	}
	return 0;
}

int nhrpd_conf_load(const char *path, struct nhrpd_conf *c, struct strbuf *errors)
{
	struct conf_reader r;

	nhrpd_conf_init(c);
	if (conf_open(&r, path, errors) < 0)
		return -1;
	return nhrpd_conf_read(&r, c);
}

int nhrpd_conf_load_mem(const char *name, const void *data, size_t len, struct nhrpd_conf *c,
                        struct strbuf *errors)
{
	struct conf_reader r;

	nhrpd_conf_init(c);
	if (conf_open_mem(&r, name, data, len, errors) < 0)
		return -1;
	return nhrpd_conf_read(&r, c);
}
