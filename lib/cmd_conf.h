/*
 * Running the grammar (lib/cmd.h) in a daemon: the handlers a daemon binds
 * to the commands it owns, and the three ways a line reaches them:
 *
 *   cmd_conf_read     the config file at start-up (or -n): every line is
 *                     resolved against the whole grammar, so a line no
 *                     process knows is an error in each of them; lines of
 *                     other processes are skipped; errors are file:line
 *   cmd_conf_apply    one line of `configure terminal` (live), under the
 *                     header of its block (`interface tun0`)
 *   cmd_exec_line     an operational command from the control socket
 *
 * A handler returns 0, or -1 with the reason in x->out (no "% ", no
 * newline needed). Handlers of configuration commands change only the
 * configuration they are given (a candidate the daemon applies once every
 * line is accepted), so a refused line changes nothing.
 */
#ifndef DMVPN_CMD_CONF_H
#define DMVPN_CMD_CONF_H

#include "lib/cmd.h"
#include "lib/conf.h"

struct cmd_binding;

struct cmd_exec {
	const struct cmd_binding *binding; /* whose handler runs */
	void *ctx;                         /* the daemon's candidate configuration, or the daemon */
	const struct cmd_args *block;      /* the line that opened the current node, or NULL */
	void *block_ctx;                   /* what the block's handler set (e.g. its interface) */
	struct strbuf *out;                /* output, or the reason for a refusal */
	bool live;                         /* configure terminal, not the file */
	int lineno;                        /* of the line in the file (0: live) */
	unsigned uid;                      /* the control client's uid (exec commands) */
};

typedef int (*cmd_handler_fn)(struct cmd_exec *x, const struct cmd_args *a);

struct cmd_binding {
	const char *daemon; /* its name, in messages */
	unsigned owner;     /* its CMD_OWN_ bit (an owner of role daemon) */
	cmd_handler_fn handlers[CMD__COUNT];
	/* Called when a block closes (file) and after each live line inside
	 * one: the block as a whole must be valid (e.g. a tunnel needs a
	 * source). NULL: nothing to check. */
	int (*block_end)(struct cmd_exec *x);
	/* What handlers several daemons share (gre/tunnel_conf.h) need to
	 * know of this daemon's configuration (x->binding->shared). */
	const void *shared;
};

/*
 * Every command b->owner owns must have a handler and the grammar must
 * compile: a broken binding is a bug of the program, reported at start.
 */
int cmd_binding_check(const struct cmd_binding *b, struct strbuf *err);

/* Read a whole config; r's errors collect "file:line: reason". 0 or -1. */
int cmd_conf_read(struct conf_reader *r, const struct cmd_binding *b, void *ctx);

/*
 * One live line. header: the line that opened its block ("interface tun0"),
 * or NULL/"" at the top. 0, 1 when the line is not this daemon's (nothing
 * done), -1 with the reason in out.
 */
int cmd_conf_apply(const struct cmd_binding *b, void *ctx, const char *header, const char *line,
                   struct strbuf *out);

/*
 * An operational command, resolved among b's commands only (another
 * process's is refused as unknown): 0, or -1 with the reason in out.
 */
int cmd_exec_line(const struct cmd_binding *b, void *ctx, const char *line, unsigned uid,
                  struct strbuf *out);

/*
 * The control requests that carry one live line:
 *   "configure\n" HEADER "\n" LINE         apply it
 *   "configure-check\n" HEADER "\n" LINE   would it be accepted? (nothing
 *                                          changes; the shell asks every
 *                                          owner before any applies it)
 * HEADER may be empty. cmd_conf_request_parse: CMD_CONF_APPLY or
 * CMD_CONF_CHECK with header and line pointing into buf, or CMD_CONF_NONE.
 */
enum cmd_conf_request { CMD_CONF_NONE, CMD_CONF_APPLY, CMD_CONF_CHECK };
enum cmd_conf_request cmd_conf_request_parse(const char *req, char *buf, size_t bufsz,
                                             const char **header, const char **line);
void cmd_conf_request_format(struct strbuf *out, enum cmd_conf_request kind, const char *header,
                             const char *line);

#endif
