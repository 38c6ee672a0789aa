/*
 * mgred's control socket: every request goes through the command engine.
 *
 *   configure-check\nHEADER\nLINE   would this live line be accepted?
 *                                   (changes nothing)
 *   configure\nHEADER\nLINE         apply it: the running tunnels follow
 *                                   (mgred_reconfigure.c), the reply
 *                                   carries any restart notice
 *   anything else                   an exec command of lib/grammar.def
 *                                   (mgred_cmd_exec.c)
 */
#include <stdlib.h>

#include "gre/mgred/mgred.h"
#include "lib/ctl.h"

static int mgred_ctl_configure(struct mgred *d, enum cmd_conf_request kind, const char *header,
                               const char *line, struct strbuf *out)
{
	struct mgred_conf *cand;
	int rc = mgred_conf_candidate(d->conf, header, line, &cand, out);

	if (rc == 1) {
		strbuf_printf(out, "%% not a mgred command: %s\n", line);
		return -1;
	}
	if (rc < 0)
		return -1;
	if (kind == CMD_CONF_APPLY) {
		log_info("configure: %s%s%s", header, header[0] ? " / " : "", line);
		mgred_reconfigure(d, d->conf, cand, out);
		free(d->conf);
		d->conf = cand;
	} else {
		free(cand);
	}
	return 0;
}

int mgred_ctl_handle(void *ctx, const char *line, struct strbuf *out)
{
	struct mgred *d = ctx;
	char buf[2 * CMD_MAX_LINE + 2];
	const char *header, *cline;
	enum cmd_conf_request kind;

	kind = cmd_conf_request_parse(line, buf, sizeof(buf), &header, &cline);
	if (kind != CMD_CONF_NONE)
		return mgred_ctl_configure(d, kind, header, cline, out);
	/* Resolved among this daemon's commands only: another's is refused
	 * as unknown here, with the reason. */
	return cmd_exec_line(&mgred_binding, d, line, (unsigned)ctl_request_uid(), out);
}
