/*
 * A daemon's side of the command engine: config file, live lines and
 * control commands all go through cmd_resolve and the daemon's binding.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/cmd_conf.h"

int cmd_binding_check(const struct cmd_binding *b, struct strbuf *err)
{
	int rc = cmd_grammar_check(err);

	for (int i = 0; i < CMD__COUNT; i++)
		if ((cmd_grammar[i].owners & b->owner) && !b->handlers[i]) {
			strbuf_printf(err, "%s: no handler for '%s'\n", b->daemon,
			              cmd_grammar[i].pattern);
			rc = -1;
		}
	return rc;
}

/* Run a resolved line if it is ours: 0, 1 (not ours), -1. */
static int cmd_conf_dispatch(const struct cmd_binding *b, struct cmd_exec *x,
                             const struct cmd_args *a)
{
	if (!(a->def->owners & b->owner))
		return 1;
	if (!b->handlers[a->def->id]) {
		/* cmd_binding_check reports this at start; never crash on it */
		strbuf_printf(x->out, "%s: '%s' is not implemented", b->daemon, a->def->pattern);
		return -1;
	}
	x->binding = b;
	return b->handlers[a->def->id](x, a);
}

/* The reason a handler gave, without the trailing newline. */
static const char *cmd_conf_reason(struct strbuf *sb)
{
	while (sb->len && sb->s[sb->len - 1] == '\n')
		sb->s[--sb->len] = '\0';
	return sb->len ? strbuf_str(sb) : "refused";
}

/* A line of the file: resolved in node; errors go to r as file:line. */
static int cmd_conf_file_line(struct conf_reader *r, const struct conf_line *l,
                              const struct cmd_binding *b, struct cmd_exec *x, enum cmd_node node,
                              struct cmd_args *a)
{
	struct strbuf msg;
	int rc;

	strbuf_init(&msg);
	/* A foreign program's lines (FRR's router bgp ...) belong in its own
	 * configuration: unknown here. */
	rc = cmd_resolve(node, CMD_OWN_DAEMONS | CMD_OWN_FRONT, (char **)l->argv, l->argc, a, &msg,
	                 NULL);
	if (rc < 0) {
		const char *why = cmd_conf_reason(&msg);

		conf_error(r, l, "%s", why[0] == '%' && why[1] == ' ' ? why + 2 : why);
		strbuf_free(&msg);
		return -1;
	}
	if (!(a->def->owners & CMD_OWN_DAEMONS)) {
		/* The front end's: `end`, `exit` (IOS writes them in a saved
		 * configuration) close nothing in a file; anything else it
		 * owns is not configuration. */
		bool closing = !strcmp(a->def->pattern, "end") || !strcmp(a->def->pattern, "exit");

		if (!closing)
			conf_error(r, l, "'%s' is a shell command, not configuration", l->argv[0]);
		strbuf_free(&msg);
		return closing ? 1 : -1;
	}
	x->out = &msg;
	x->lineno = l->lineno;
	rc = cmd_conf_dispatch(b, x, a);
	if (rc < 0)
		conf_error(r, l, "%s", cmd_conf_reason(&msg));
	strbuf_free(&msg);
	return rc;
}

static void cmd_conf_block_end(struct conf_reader *r, const struct cmd_binding *b,
                               struct cmd_exec *x, int lineno)
{
	struct strbuf msg;
	struct conf_line at = {.lineno = lineno};

	if (!b->block_end || !x->block || !x->block_ctx)
		return;
	strbuf_init(&msg);
	x->out = &msg;
	if (b->block_end(x) < 0)
		conf_error(r, &at, "%s", cmd_conf_reason(&msg));
	strbuf_free(&msg);
}

int cmd_conf_read(struct conf_reader *r, const struct cmd_binding *b, void *ctx)
{
	static struct cmd_args block, a;
	struct cmd_exec x = {.ctx = ctx};
	struct conf_line l;
	enum cmd_node node = CMD_NODE_CONFIG;
	int block_line = 0;
	bool block_ok = false, skip_indented = false;

	while (conf_next(r, &l) == 1) {
		if (l.indented && node != CMD_NODE_CONFIG) {
			if (block_ok)
				cmd_conf_file_line(r, &l, b, &x, node, &a);
			continue;
		}
		if (l.indented && skip_indented)
			continue; /* under a refused line: reported once, there */
		skip_indented = false;
		if (node != CMD_NODE_CONFIG && block_ok)
			cmd_conf_block_end(r, b, &x, block_line);
		node = CMD_NODE_CONFIG;
		x.block = NULL;
		x.block_ctx = NULL;
		if (l.indented) {
			conf_error(r, &l, "indented line outside an interface or profile block");
			continue;
		}
		if (cmd_conf_file_line(r, &l, b, &x, CMD_NODE_CONFIG, &block) < 0) {
			/* A refused block header: its lines are not read (they
			 * would be errors of their own, or land nowhere). */
			skip_indented = true;
			block_ok = false;
			continue;
		}
		if (block.def->enters != CMD_NODE_NONE) {
			node = block.def->enters;
			x.block = &block;
			block_line = l.lineno;
			block_ok = true;
		}
	}
	if (node != CMD_NODE_CONFIG && block_ok)
		cmd_conf_block_end(r, b, &x, block_line);
	/* Secrets (authentication) may have passed through the line buffers. */
	explicit_bzero(&l, sizeof(l));
	explicit_bzero(&a, sizeof(a));
	explicit_bzero(&block, sizeof(block));
	conf_close(r);
	return r->nerrors ? -1 : 0;
}

/* cmd_conf_apply, with the parsed header and line in block and a. */
static int cmd_conf_apply_args(const struct cmd_binding *b, void *ctx, const char *header,
                               const char *line, struct strbuf *out, struct cmd_args *block,
                               struct cmd_args *a)
{
	struct cmd_exec x = {.ctx = ctx, .out = out, .live = true};
	enum cmd_node node = CMD_NODE_CONFIG;
	int rc;

	if (header && *header) {
		if (cmd_resolve_line(CMD_NODE_CONFIG, CMD_OWN_DAEMONS, header, block, out) < 0)
			return -1;
		if (block->def->enters == CMD_NODE_NONE) {
			strbuf_printf(out, "%% '%s' opens no block\n", header);
			return -1;
		}
		node = block->def->enters;
		if (!(block->def->owners & b->owner))
			return 1;
	}
	if (cmd_resolve_line(node, CMD_OWN_DAEMONS, line, a, out) < 0)
		return -1;
	if (!(a->def->owners & b->owner))
		return 1;
	if (node != CMD_NODE_CONFIG) {
		/* The header first: it finds (or starts) the block. */
		rc = cmd_conf_dispatch(b, &x, block);
		if (rc != 0)
			return rc;
		x.block = block;
	}
	rc = cmd_conf_dispatch(b, &x, a);
	if (rc == 0 && x.block && x.block_ctx && b->block_end)
		rc = b->block_end(&x);
	return rc < 0 ? -1 : 0;
}

int cmd_conf_apply(const struct cmd_binding *b, void *ctx, const char *header, const char *line,
                   struct strbuf *out)
{
	static struct cmd_args block, a;
	int rc = cmd_conf_apply_args(b, ctx, header, line, out, &block, &a);

	/* Whatever the outcome: the line may carry a password. */
	explicit_bzero(&a, sizeof(a));
	explicit_bzero(&block, sizeof(block));
	return rc;
}

int cmd_exec_line(const struct cmd_binding *b, void *ctx, const char *line, unsigned uid,
                  struct strbuf *out)
{
	struct cmd_args *a = calloc(1, sizeof(*a));
	struct cmd_exec x = {.ctx = ctx, .out = out, .uid = uid};
	int rc;

	if (!a) {
		strbuf_puts(out, "% out of memory\n");
		return -1;
	}
	rc = cmd_resolve_line(CMD_NODE_EXEC, b->owner, line, a, out);
	if (rc == 0)
		rc = cmd_conf_dispatch(b, &x, a);
	free(a);
	return rc;
}

#define CMD_CONF_APPLY_PREFIX "configure\n"
#define CMD_CONF_CHECK_PREFIX "configure-check\n"

enum cmd_conf_request cmd_conf_request_parse(const char *req, char *buf, size_t bufsz,
                                             const char **header, const char **line)
{
	enum cmd_conf_request kind;
	char *nl;

	if (!strncmp(req, CMD_CONF_APPLY_PREFIX, strlen(CMD_CONF_APPLY_PREFIX))) {
		kind = CMD_CONF_APPLY;
		req += strlen(CMD_CONF_APPLY_PREFIX);
	} else if (!strncmp(req, CMD_CONF_CHECK_PREFIX, strlen(CMD_CONF_CHECK_PREFIX))) {
		kind = CMD_CONF_CHECK;
		req += strlen(CMD_CONF_CHECK_PREFIX);
	} else {
		return CMD_CONF_NONE;
	}
	if (strlen(req) >= bufsz)
		return CMD_CONF_NONE;
	strcpy(buf, req);
	nl = strchr(buf, '\n');
	if (!nl || strchr(nl + 1, '\n'))
		return CMD_CONF_NONE;
	*nl = '\0';
	*header = buf;
	*line = nl + 1;
	return kind;
}

void cmd_conf_request_format(struct strbuf *out, enum cmd_conf_request kind, const char *header,
                             const char *line)
{
	strbuf_printf(out, "%s%s\n%s",
	              kind == CMD_CONF_CHECK ? CMD_CONF_CHECK_PREFIX : CMD_CONF_APPLY_PREFIX,
	              header ? header : "", line);
}
