/*
 * Where a line goes. The grammar resolves it in the shell's current node;
 * the command's owners decide: the shell's own commands run here, FRR's
 * go to vtysh, the daemons' go to their control sockets. A configuration
 * line is first checked by every daemon that owns it and applied only when
 * all accept it, so a line two daemons share (`tunnel source`) is never
 * half applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmd_conf.h"
#include "lib/ctl.h"
#include "lib/ctl_cmd.h"
#include "shell/dmvpnsh.h"

/* A refusal or an unreachable daemon: on stderr, as "% reason\n". */
static void sh_error_reply(struct sh *sh, const struct strbuf *reply)
{
	const char *msg = strbuf_str(reply);

	sh_error(sh, "%s%s%s", msg[0] == '%' ? "" : "% ", msg,
	         reply->len && msg[reply->len - 1] == '\n' ? "" : "\n");
}

/* A daemon's reply printed as it is; errors go to stderr with a "% ". */
static int sh_forward(struct sh *sh, enum sh_daemon d, const char *line)
{
	struct strbuf reply;
	int rc;

	strbuf_init(&reply);
	rc = sh_call(sh, d, line, &reply);
	if (rc == 0)
		sh_print(sh, strbuf_str(&reply));
	else
		sh_error_reply(sh, &reply);
	strbuf_free(&reply);
	return rc == 0 ? 0 : -1;
}

/* Each daemon, its answer under its name (show version, show debugging,
 * log level, debug control). */
static int sh_fan_out(struct sh *sh, const char *line, bool labels)
{
	int failures = 0, reached = 0;

	for (int d = 0; d < SH_DAEMON__COUNT; d++) {
		struct strbuf reply;
		int rc;

		strbuf_init(&reply);
		rc = sh_call(sh, (enum sh_daemon)d, line, &reply);
		if (rc == -2) {
			strbuf_free(&reply);
			continue;
		}
		if (rc == 0) {
			reached++;
			if (labels && reply.len) {
				char label[32];

				snprintf(label, sizeof(label), "%s:\n", sh_daemon_names[d]);
				sh_print(sh, label);
			}
			sh_print(sh, strbuf_str(&reply));
		} else {
			failures++;
			sh_error(sh, "%% %s: %s\n", sh_daemon_names[d], strbuf_str(&reply));
		}
		strbuf_free(&reply);
	}
	if (!reached && !failures)
		sh_error(sh, "%% no daemon is running\n");
	return failures || !reached ? -1 : 0;
}

/* The JSON of every daemon in one object: {"mgred": {...}, ...}. */
static int sh_fan_out_json(struct sh *sh, const char *line)
{
	struct strbuf out;
	int failures = 0, n = 0;

	strbuf_init(&out);
	strbuf_puts(&out, "{");
	for (int d = 0; d < SH_DAEMON__COUNT; d++) {
		struct strbuf reply;
		int rc;

		strbuf_init(&reply);
		rc = sh_call(sh, (enum sh_daemon)d, line, &reply);
		if (rc == 0) {
			while (reply.len && reply.s[reply.len - 1] == '\n')
				reply.s[--reply.len] = '\0';
			strbuf_printf(&out, "%s\"%s\":%s", n++ ? "," : "", sh_daemon_names[d],
			              strbuf_str(&reply));
		} else if (rc != -2) {
			failures++;
			sh_error(sh, "%% %s: %s\n", sh_daemon_names[d], strbuf_str(&reply));
		}
		strbuf_free(&reply);
	}
	strbuf_puts(&out, "}\n");
	sh_print(sh, strbuf_str(&out));
	strbuf_free(&out);
	return failures ? -1 : 0;
}

/* A configuration line: checked by every owner, then applied by each. */
static int sh_configure(struct sh *sh, const struct cmd_args *a, const char *line)
{
	const char *header = sh->node == CMD_NODE_CONFIG ? "" : sh->header;
	enum cmd_conf_request phase[2] = {CMD_CONF_CHECK, CMD_CONF_APPLY};
	int rc = 0;

	for (int p = 0; p < 2 && rc == 0; p++) {
		for (int d = 0; d < SH_DAEMON__COUNT; d++) {
			struct strbuf req, reply;
			int r;

			if (!(a->def->owners & sh_daemon_owner((enum sh_daemon)d)))
				continue;
			strbuf_init(&req);
			strbuf_init(&reply);
			cmd_conf_request_format(&req, phase[p], header, line);
			r = sh_call(sh, (enum sh_daemon)d, strbuf_str(&req), &reply);
			if (r != 0) {
				sh_error_reply(sh, &reply);
				if (p == 1)
					sh_error(sh, "%% %s did not apply it (the others did)\n",
					         sh_daemon_names[d]);
				rc = -1;
			} else if (p == 1 && reply.len) {
				sh_print(sh, strbuf_str(&reply)); /* notices: restart needed */
			}
			/* The line may set a password. */
			if (req.s)
				explicit_bzero(req.s, req.len);
			strbuf_free(&req);
			strbuf_free(&reply);
		}
	}
	/* The prompt follows the router's name. */
	if (rc == 0 && (a->def->id == CMD_HOSTNAME || a->def->id == CMD_NO_HOSTNAME))
		sh_refresh_hostname(sh);
	return rc;
}

/* The words of a LINE argument, joined as typed. */
static void sh_line_arg(const struct cmd_args *a, struct strbuf *out)
{
	for (int i = 0, n = 0; i < a->argc; i++)
		if (!strcmp(a->tok[i], "LINE"))
			strbuf_printf(out, "%s%s", n++ ? " " : "", a->argv[i]);
}

static int sh_run_frr(struct sh *sh, const struct cmd_args *a, const char *expanded)
{
	struct strbuf rest;
	const char *cmds[3];
	int n = 0, rc;

	strbuf_init(&rest);
	switch (a->def->id) {
	case CMD_FRR_VTYSH:
	case CMD_FRR_CONFIG:
	case CMD_FRR_NODE_LINE:
		sh_line_arg(a, &rest);
		break;
	default:
		strbuf_puts(&rest, expanded);
	}
	if (sh->node != CMD_NODE_EXEC)
		cmds[n++] = "configure terminal";
	if (sh->node == CMD_NODE_FRR)
		cmds[n++] = sh->header;
	cmds[n++] = strbuf_str(&rest);
	rc = sh_frr(sh, cmds, n);
	if (rc == 0 && a->def->enters == CMD_NODE_FRR) {
		sh->node = CMD_NODE_FRR;
		snprintf(sh->header, sizeof(sh->header), "%s", strbuf_str(&rest));
	}
	strbuf_free(&rest);
	return rc;
}

static int sh_run_shell(struct sh *sh, const struct cmd_args *a, const char *expanded)
{
	bool json = cmd_has(a, "json");
	struct strbuf rest;
	int rc;

	switch (a->def->id) {
	case CMD_SHOW_VERSION:
		if (json)
			return sh_fan_out_json(sh, expanded);
		sh_print(sh, "dmvpnsh " DMVPN_VERSION "\n");
		return sh_fan_out(sh, "show version", false);
	case CMD_SHOW_DEBUGGING:
		return json ? sh_fan_out_json(sh, expanded) : sh_fan_out(sh, expanded, true);
	case CMD_DEBUG_CONTROL:
	case CMD_NO_DEBUG_CONTROL:
	case CMD_LOG_LEVEL:
		return sh_fan_out(sh, expanded, false);
	case CMD_SHOW_RUNNING_CONFIG:
		return sh_show_running_config(sh, json);
	case CMD_SHOW_STARTUP_CONFIG:
		return sh_show_startup_config(sh, json);
	case CMD_SHOW_DMVPN:
		if (cmd_has(a, "detail"))
			return sh_show_dmvpn_detail(sh, json);
		return sh_forward(sh, SH_NHRPD, expanded);
	case CMD_TERMINAL_LENGTH:
		sh->pager.length = (unsigned)strtoul(a->argv[2], NULL, 10);
		return 0;
	case CMD_CONFIGURE_TERMINAL:
		sh->node = CMD_NODE_CONFIG;
		sh->header[0] = '\0';
		return 0;
	case CMD_WRITE_MEMORY:
	case CMD_COPY_RUN_START:
		return sh_write_memory(sh);
	case CMD_END_CONFIG:
	case CMD_END_INTERFACE:
	case CMD_END_PROFILE:
	case CMD_END_FRR:
		sh->node = CMD_NODE_EXEC;
		sh->header[0] = '\0';
		return 0;
	case CMD_EXIT_CONFIG:
	case CMD_EXIT_INTERFACE:
	case CMD_EXIT_PROFILE:
	case CMD_EXIT_FRR:
		sh->node = cmd_node_parent(sh->node);
		sh->header[0] = '\0';
		return 0;
	case CMD_EXIT_EXEC:
	case CMD_QUIT:
		sh->quit = true;
		return 0;
	case CMD_DO_CONFIG:
	case CMD_DO_INTERFACE:
	case CMD_DO_PROFILE: {
		enum cmd_node saved = sh->node;

		strbuf_init(&rest);
		sh_line_arg(a, &rest);
		sh->node = CMD_NODE_EXEC;
		rc = sh_run_line(sh, strbuf_str(&rest));
		/* `do` never changes the node (do configure terminal, do end) */
		sh->node = saved;
		sh->quit = false;
		strbuf_free(&rest);
		return rc;
	}
	default:
		sh_error(sh, "%% %s: not a shell command\n", a->def->pattern);
		return -1;
	}
}

int sh_run_line(struct sh *sh, const char *line)
{
	struct cmd_args *a = calloc(1, sizeof(*a));
	struct strbuf err, expanded;
	int rc = -1;

	if (!a)
		return -1;
	strbuf_init(&err);
	strbuf_init(&expanded);
	if (cmd_resolve_line(sh->node, 0, line, a, &err) < 0) {
		/* As IOS does, a global command typed inside a block leaves
		 * the block (so a pasted configuration reads like a file). */
		struct strbuf ignored;
		bool global;

		strbuf_init(&ignored);
		global = (sh->node == CMD_NODE_INTERFACE || sh->node == CMD_NODE_IKEV2_PROFILE) &&
		         cmd_resolve_line(CMD_NODE_CONFIG, 0, line, a, &ignored) == 0;
		strbuf_free(&ignored);
		if (!global) {
			sh_error(sh, "%s", strbuf_str(&err));
			goto out;
		}
		sh->node = CMD_NODE_CONFIG;
		sh->header[0] = '\0';
	}
	cmd_args_line(a, &expanded);
	if (a->def->owners & CMD_OWN_SHELL) {
		rc = sh_run_shell(sh, a, strbuf_str(&expanded));
	} else if (a->def->owners & CMD_OWN_FRR) {
		rc = sh_run_frr(sh, a, strbuf_str(&expanded));
	} else if (a->def->enters != CMD_NODE_NONE) {
		/* `interface tun1`: the block exists once a line is typed in it. */
		sh->node = a->def->enters;
		snprintf(sh->header, sizeof(sh->header), "%s", strbuf_str(&expanded));
		rc = 0;
	} else if (sh->node != CMD_NODE_EXEC) {
		rc = sh_configure(sh, a, strbuf_str(&expanded));
	} else {
		rc = 0;
		for (int d = 0; d < SH_DAEMON__COUNT; d++)
			if (a->def->owners & sh_daemon_owner((enum sh_daemon)d))
				rc |= sh_forward(sh, (enum sh_daemon)d, strbuf_str(&expanded));
	}
out:
	strbuf_free(&err);
	if (expanded.s)
		explicit_bzero(expanded.s, expanded.len);
	strbuf_free(&expanded);
	explicit_bzero(a, sizeof(*a));
	free(a);
	return rc;
}
