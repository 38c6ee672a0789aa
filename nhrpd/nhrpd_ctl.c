/*
 * nhrpd's control socket: every request goes through the command engine.
 *
 *   "configure\n" HEADER "\n" LINE        a live configuration line: applied
 *                                         to a copy of the running
 *                                         configuration, checked whole, then
 *                                         the daemon is brought to it
 *                                         (nhrpd_reconfigure) and the copy
 *                                         becomes the running configuration
 *   "configure-check\n" HEADER "\n" LINE  the same checks, nothing changes
 *   anything else                         an operational command
 *                                         (nhrpd_cmd_exec.c)
 *
 * A refused line leaves the configuration and the running state as they
 * were. Accepted lines that need a restart are kept, with a notice.
 */
#include <string.h>

#include "lib/ctl.h"
#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

/* Engine messages start with "% "; a handler's reason does not. */
static void nhrpd_ctl_refusal(struct strbuf *out)
{
	struct strbuf why;

	if (out->len && out->s[0] == '%')
		return;
	strbuf_init(&why);
	strbuf_printf(&why, "%% %s%s", out->len ? strbuf_str(out) : "refused",
	              out->len && out->s[out->len - 1] == '\n' ? "" : "\n");
	strbuf_reset(out);
	strbuf_puts(out, strbuf_str(&why));
	strbuf_free(&why);
}

static int nhrpd_ctl_configure(struct nhrpd *d, enum cmd_conf_request kind, const char *header,
                               const char *line, struct strbuf *out)
{
	struct nhrpd_conf *cand = nhrpd_conf_dup(d->conf), *old;
	int rc;

	if (!cand) {
		strbuf_puts(out, "% out of memory\n");
		return -1;
	}
	rc = cmd_conf_apply(&nhrpd_binding, cand, header, line, out);
	if (rc == 1) {
		strbuf_printf(out, "%% not a nhrpd command: %s\n", line);
		rc = -1;
	} else if (rc < 0) {
		nhrpd_ctl_refusal(out);
	} else if (nhrpd_conf_check(cand, NULL, out) < 0) {
		nhrpd_ctl_refusal(out);
		rc = -1;
	}
	if (rc < 0 || kind == CMD_CONF_CHECK) {
		nhrpd_conf_free(cand);
		return rc;
	}
	old = d->conf;
	nhrpd_reconfigure(d, old, cand, out);
	d->conf = cand;
	nhrpd_conf_free(old);
	return 0;
}

int nhrpd_ctl_handle(void *ctx, const char *line, struct strbuf *out)
{
	struct nhrpd *d = ctx;
	char buf[2 * CMD_MAX_LINE + 2];
	const char *header, *cline;
	enum cmd_conf_request kind;
	int rc;

	kind = cmd_conf_request_parse(line, buf, sizeof(buf), &header, &cline);
	if (kind != CMD_CONF_NONE) {
		rc = nhrpd_ctl_configure(d, kind, header, cline, out);
		/* The line may carry a password. */
		explicit_bzero(buf, sizeof(buf));
		return rc;
	}
	/* Resolved among this daemon's commands only: another's is refused
	 * as unknown here, with the reason. */
	return cmd_exec_line(&nhrpd_binding, d, line, (unsigned)ctl_request_uid(), out);
}
