/*
 * dmvpnsh: the shell of a dmvpn router, in the manner of Cisco's CLI and
 * FRR's vtysh.
 *
 *   dmvpnsh [-d DIR] [--mgred SOCK] [--nhrpd SOCK] [--iked SOCK]
 *           [-f CONFIG] [-V VTYSH] [-t MS] [-c CMD]...
 *
 * Interactive on a terminal (prompt `hub1#`, `?`, TAB, history, pager).
 * With -c, runs those commands in order; otherwise, when standard input is
 * not a terminal, runs its lines. Either way the exit status is 1 when any
 * command failed, so scripts can trust it.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ctl.h"
#include "shell/dmvpnsh.h"
#include "shell/line_edit.h"

#define SH_USAGE                                                                                   \
	"usage: dmvpnsh [-d DIR] [--mgred SOCK] [--nhrpd SOCK] [--iked SOCK] [-f CONFIG]\n"        \
	"               [-V VTYSH] [-t TIMEOUT_MS] [-c COMMAND]...\n"

static char *sh_path_join(const char *dir, const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s.sock", dir, name) < 0)
		return NULL;
	return p;
}

static void sh_prompt(const struct sh *sh, char *buf, size_t cap)
{
	if (sh->node == CMD_NODE_EXEC)
		snprintf(buf, cap, "%s# ", sh->hostname);
	else
		snprintf(buf, cap, "%s(%s)# ", sh->hostname, cmd_node_prompt(sh->node));
}

static int sh_op_complete(void *ctx, const char *line, size_t cursor, const char ***cands)
{
	return sh_complete_words(ctx, line, cursor, cands);
}

static char *sh_op_help(void *ctx, const char *line, size_t cursor)
{
	return sh_help_text(ctx, line, cursor);
}

static int sh_interactive(struct sh *sh)
{
	static const struct line_edit_ops ops = {.complete = sh_op_complete, .help = sh_op_help};
	struct line_edit *le;
	char prompt[128], *line;
	int r;

	if (line_edit_init(&le, STDIN_FILENO, STDOUT_FILENO, &ops, sh) < 0) {
		fprintf(stderr, "%% cannot set up the terminal\n");
		return 1;
	}
	while (!sh->quit) {
		sh_prompt(sh, prompt, sizeof(prompt));
		r = line_edit_read(le, prompt, &line);
		if (r <= 0)
			break;
		if (line[strspn(line, " \t")] != '\0') {
			line_edit_history_add(le, line);
			sh_run_line(sh, line);
		}
		explicit_bzero(line, strlen(line)); /* it may have set a password */
		free(line);
	}
	if (!sh->quit)
		fputc('\n', stdout);
	line_edit_free(le);
	return 0;
}

/* Lines from a script: comments and blank lines skipped, each echoed on
 * error so the failing one is obvious. */
static int sh_script(struct sh *sh, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	int failures = 0;

	while (!sh->quit && getline(&line, &cap, in) > 0) {
		char *p = line + strspn(line, " \t");

		p[strcspn(p, "\r\n")] = '\0';
		if (*p == '\0' || *p == '!' || *p == '#')
			continue;
		if (sh_run_line(sh, p) < 0) {
			fprintf(stderr, "%% failed: %s\n", p);
			failures++;
		}
	}
	if (line)
		explicit_bzero(line, cap);
	free(line);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {{"mgred", required_argument, NULL, 'M'},
	                                         {"nhrpd", required_argument, NULL, 'N'},
	                                         {"iked", required_argument, NULL, 'I'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {NULL, 0, NULL, 0}};
	struct sh sh = {.config_path = "/etc/dmvpn/dmvpn.conf",
	                .vtysh = "vtysh",
	                .timeout_ms = 5000,
	                .node = CMD_NODE_EXEC};
	const char *dir = CTL_DEFAULT_DIR, *cmds[64];
	char *owned[SH_DAEMON__COUNT] = {0};
	int ncmds = 0, opt, status = 0;
	struct strbuf err;

	while ((opt = getopt_long(argc, argv, "d:f:V:t:c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'M':
			sh.sock[SH_MGRED] = optarg;
			break;
		case 'N':
			sh.sock[SH_NHRPD] = optarg;
			break;
		case 'I':
			sh.sock[SH_IKED] = optarg;
			break;
		case 'f':
			sh.config_path = optarg;
			break;
		case 'V':
			sh.vtysh = optarg;
			break;
		case 't':
			sh.timeout_ms = atoi(optarg);
			break;
		case 'c':
			if (ncmds == (int)(sizeof(cmds) / sizeof(cmds[0]))) {
				fprintf(stderr, "%% at most %zu -c commands\n",
				        sizeof(cmds) / sizeof(cmds[0]));
				return 2;
			}
			cmds[ncmds++] = optarg;
			break;
		default:
			fputs(SH_USAGE, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind != argc || sh.timeout_ms <= 0) {
		fputs(SH_USAGE, stderr);
		return 2;
	}
	strbuf_init(&err);
	if (cmd_grammar_check(&err) < 0) {
		fprintf(stderr, "%s", strbuf_str(&err)); /* a bug of the build */
		return 2;
	}
	strbuf_free(&err);
	for (int d = 0; d < SH_DAEMON__COUNT; d++)
		if (!sh.sock[d] && !(sh.sock[d] = owned[d] = sh_path_join(dir, sh_daemon_names[d])))
			return 2;
	/* A pager reading keys must not die of a closed pipe downstream. */
	signal(SIGPIPE, SIG_IGN);
	sh.interactive = ncmds == 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	sh.pager =
	    (struct pager){.in_fd = STDIN_FILENO,
	                   .out_fd = STDOUT_FILENO,
	                   .length = sh.interactive ? pager_terminal_rows(STDOUT_FILENO) : 0};
	sh_refresh_hostname(&sh);
	if (ncmds > 0) {
		for (int i = 0; i < ncmds && !sh.quit; i++)
			if (sh_run_line(&sh, cmds[i]) < 0)
				status = 1;
	} else if (sh.interactive) {
		status = sh_interactive(&sh);
	} else {
		status = sh_script(&sh, stdin);
	}
	fflush(stdout);
	for (int d = 0; d < SH_DAEMON__COUNT; d++)
		free(owned[d]);
	return status;
}
