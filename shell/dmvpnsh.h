/*
 * dmvpnsh: the router's shell. Every line is resolved against the one
 * grammar (lib/grammar.h; the shell's part in shell.def); the command's
 * owners say where it goes:
 *
 *   sh_io.c       the bottom, used by all the others: the daemons it
 *                 knows, a request to one, output (pager, standard error)
 *   sh_exec.c     dispatch: the daemons' control sockets, the shell's own
 *                 commands, live configuration (checked by every owner
 *                 before any applies it); calls the three below it
 *   sh_config.c   show running-config (merged from the daemons), write
 *                 memory (atomic, with a backup), show startup-config
 *   sh_dmvpn.c    show dmvpn detail: NHRP and IKE state side by side
 *   sh_frr.c      FRR's commands through vtysh
 *   sh_help.c     `?` help and TAB completion from the grammar
 *   dmvpnsh.c     options, the interactive loop, -c and standard input
 */
#ifndef DMVPN_SH_H
#define DMVPN_SH_H

#include <stdbool.h>

#include "lib/cmd.h"
#include "lib/strbuf.h"
#include "shell/pager.h"

enum sh_daemon { SH_MGRED, SH_NHRPD, SH_IKED, SH_DAEMON__COUNT };

struct sh {
	const char *sock[SH_DAEMON__COUNT];
	const char *config_path; /* the startup configuration */
	const char *vtysh;       /* FRR's vtysh command line (words) */
	int timeout_ms;
	enum cmd_node node;
	char header[CMD_MAX_LINE + 1]; /* the line that opened the node */
	char hostname[64];
	bool interactive;
	bool quit;
	struct pager pager;
};

/* sh_io.c */
extern const char *const sh_daemon_names[SH_DAEMON__COUNT];
unsigned sh_daemon_owner(enum sh_daemon d); /* CMD_OWN_MGRED, ... */

/* Run one line in the current node: 0, or -1 after printing the error. */
int sh_run_line(struct sh *sh, const char *line);

/* Output through the pager (interactive) or straight to stdout. */
void sh_print(struct sh *sh, const char *text);
void sh_error(struct sh *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * One request to a daemon: 0 OK, 1 ERR (reply holds the message), -1 the
 * daemon is unreachable (reply says why), -2 it is not deployed (no
 * socket: a router may run without iked, say).
 */
int sh_call(struct sh *sh, enum sh_daemon d, const char *line, struct strbuf *reply);

/* sh_config.c */
int sh_show_running_config(struct sh *sh, bool json);
int sh_running_config_text(struct sh *sh, bool secrets, struct strbuf *out, struct strbuf *err);
int sh_write_memory(struct sh *sh);
int sh_show_startup_config(struct sh *sh, bool json);
void sh_refresh_hostname(struct sh *sh);

/* sh_dmvpn.c */
int sh_show_dmvpn_detail(struct sh *sh, bool json);

/* sh_frr.c: run vtysh with these -c commands; its output printed. */
int sh_frr(struct sh *sh, const char *const *cmds, int ncmds);

/* sh_help.c */
char *sh_help_text(struct sh *sh, const char *line, size_t cursor);
int sh_complete_words(struct sh *sh, const char *line, size_t cursor, const char ***cands);

#endif
