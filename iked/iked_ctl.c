/*
 * iked's control socket requests, through the command engine: a live
 * configuration line ("configure" / "configure-check", lib/cmd_conf.h) goes
 * to iked_reconfigure.c; anything else is an operational command of
 * lib/grammar.def (handlers in iked_cmd_exec.c).
 */
#include "iked/iked.h"
#include "lib/cmd_conf.h"
#include "lib/ctl.h"

int iked_ctl_handle(void *ctx, const char *line, struct strbuf *out)
{
	struct iked *d = ctx;
	char buf[2 * CMD_MAX_LINE + 4];
	const char *header, *cline;

	switch (cmd_conf_request_parse(line, buf, sizeof(buf), &header, &cline)) {
	case CMD_CONF_APPLY:
		return iked_reconfigure_line(d, true, header, cline, out);
	case CMD_CONF_CHECK:
		return iked_reconfigure_line(d, false, header, cline, out);
	case CMD_CONF_NONE:
		break;
	}
	/* Resolved among this daemon's commands only: another's is refused
	 * as unknown here, with the reason. */
	return cmd_exec_line(iked_binding(), d, line, (unsigned)ctl_request_uid(), out);
}
