/*
 * What every part of the shell uses to talk: the daemons it knows, a
 * request to one of them, and output through the pager or to standard
 * error. The bottom of the shell: it calls none of the other sh_ files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/ctl.h"
#include "shell/dmvpnsh.h"

const char *const sh_daemon_names[SH_DAEMON__COUNT] = {"mgred", "nhrpd", "iked"};

unsigned sh_daemon_owner(enum sh_daemon d)
{
	static const unsigned owners[SH_DAEMON__COUNT] = {CMD_OWN_MGRED, CMD_OWN_NHRPD,
	                                                  CMD_OWN_IKED};
	return owners[d];
}

void sh_print(struct sh *sh, const char *text)
{
	pager_write(&sh->pager, text, strlen(text));
}

void sh_error(struct sh *sh, const char *fmt, ...)
{
	va_list ap;

	(void)sh;
	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int sh_call(struct sh *sh, enum sh_daemon d, const char *line, struct strbuf *reply)
{
	struct stat st;

	if (stat(sh->sock[d], &st) < 0 && errno == ENOENT) {
		strbuf_printf(reply, "%s is not running (no %s)", sh_daemon_names[d], sh->sock[d]);
		return -2;
	}
	return ctl_call(sh->sock[d], line, sh->timeout_ms, reply);
}
