/*
 * The daemon skeleton: what mgred, nhrpd and iked do alike, around a small
 * table each of them hands it (struct daemon_def).
 *
 *   daemon_main          the command line (-f -s -g -n -d -S -h, plus the
 *                        daemon's own options), the binding check, the
 *                        configuration file (-n: checked, summarised, exit),
 *                        the control directory and socket, the signals
 *                        (SIGINT/SIGTERM stop, SIGHUP reload), the event
 *                        loop, start and stop (lib/daemon.c)
 *   daemon_ctl_request   one control request: a live line ("configure",
 *                        "configure-check", lib/cmd_conf.h) is applied to a
 *                        candidate copy of the running configuration and
 *                        checked whole; for "configure" the daemon is then
 *                        brought to the candidate, which becomes the running
 *                        configuration. Anything else is an operational
 *                        command (cmd_exec_line). (lib/daemon_live.c)
 *   daemon_reload        SIGHUP: the file read into a candidate, applied as a
 *                        live line is, only when it has no errors; the errors
 *                        are logged one line each
 *
 * Every refusal line starts with "% " exactly once, whoever wrote the
 * reason (the engine's start with it, a handler's do not). The skeleton's
 * copy of a live line, and every reason it collected, is wiped whatever
 * the outcome: a line may carry a password (ip nhrp authentication).
 */
#ifndef DMVPN_DAEMON_H
#define DMVPN_DAEMON_H

#include <stddef.h>

#include "lib/cmd_conf.h"
#include "lib/strbuf.h"

struct ev_loop;
struct ctl_server;

#define DAEMON_DEFAULT_CONF  "/etc/dmvpn/dmvpn.conf"
#define DAEMON_DEFAULT_GROUP "dmvpn"

/* What a daemon is started with; valid until it is stopped. */
struct daemon_env {
	struct ev_loop *loop;
	const char *conf_path; /* re-read on SIGHUP */
	const char *sock_path;
	struct ctl_server *ctl; /* open already; closed by the skeleton after stop */
};

/*
 * A daemon, for the skeleton. `daemon` is the daemon's own state (struct
 * nhrpd, ...), `conf` one of its configuration objects (struct
 * nhrpd_conf, ...): the skeleton never looks inside either.
 */
struct daemon_def {
	const char *name; /* "nhrpd": log ident, NAME.sock, messages */
	/* Its own command-line options: getopt letters ("p:b:K:"), their
	 * synopsis ("[-p PORT]") and help lines ("  -p PORT  ...\n"). */
	const char *options;
	const char *synopsis;
	const char *help;
	const char *debug_categories; /* for -d's help: "nhrp, packet, ctl" */
	/* One of its options: 0, or -1 after saying why on stderr (exit 2). */
	int (*option)(void *daemon, int opt, const char *arg);
	/* The handlers of its commands (its part of the grammar, lib/grammar.h);
	 * checked complete at start. */
	const struct cmd_binding *(*binding)(void);

	/* Configuration objects. */
	size_t conf_size;
	/* Read path into conf (zeroed, conf_size bytes): 0, or -1 with
	 * "file:line: reason" lines in errors (conf then holds nothing, and
	 * is freed with conf_free). */
	int (*conf_load)(const char *path, void *conf, struct strbuf *errors);
	void (*conf_free)(void *conf); /* wipes its secrets; NULL is fine */
	/* A copy (NULL when out of memory); NULL: a byte copy of conf_size
	 * bytes, for a configuration that holds no pointers. */
	void *(*conf_dup)(const void *conf);
	/* The checks of the whole configuration, on a live candidate: 0, or
	 * -1 with the reason in why. */
	int (*conf_check)(void *conf, struct strbuf *why);
	/* For -n and the log: "2 userspace tunnels". */
	void (*conf_summary)(const void *conf, struct strbuf *out);

	/* The running daemon. */
	/* Start on conf, which becomes its running configuration: 0, or -1
	 * (the skeleton then calls stop, and frees conf). */
	int (*start)(void *daemon, void *conf, const struct daemon_env *env);
	void *(*conf_running)(void *daemon);
	/* Bring the running daemon from old (its running configuration) to
	 * new (accepted whole); what needs a restart goes to notices as
	 * "% NAME: restart NAME to apply: WHAT\n" lines. */
	void (*reconfigure)(void *daemon, const void *old, void *new_conf, struct strbuf *notices);
	/* Make conf (just reconfigured to) the running configuration; the
	 * previous one is released. */
	void (*conf_install)(void *daemon, void *conf);
	/* Stop everything start started (also after a failed start); the
	 * running configuration is freed by the skeleton afterwards. */
	void (*stop)(void *daemon);
};

/* The whole process: its exit status (0, 1 for errors, 2 for usage). */
int daemon_main(const struct daemon_def *def, void *daemon, int argc, char **argv);

/* A control request (the control socket's handler): 0, or -1 with the
 * refusal in out. */
int daemon_ctl_request(const struct daemon_def *def, void *daemon, const char *req,
                       struct strbuf *out);

/*
 * One live line (its block's header may be NULL or "") applied to a copy
 * of running, and the copy checked whole: 0 with *cand set (the caller
 * owns it), 1 when the line is not this daemon's ("% not a NAME command:
 * LINE" in why), -1 with the refusal in why. running is never changed.
 */
int daemon_conf_candidate(const struct daemon_def *def, const void *running, const char *header,
                          const char *line, void **cand, struct strbuf *why);

/* A new configuration object read from path (lib/daemon.h's conf_load),
 * or NULL with its errors in errors. */
void *daemon_conf_read(const struct daemon_def *def, const char *path, struct strbuf *errors);

/* SIGHUP: read path again and apply it, or log its errors and keep the
 * running configuration. */
void daemon_reload(const struct daemon_def *def, void *daemon, const char *path);

/*
 * For tests: the buffer a live request is parsed into (its header and
 * line point into it while the request runs); all zero between requests.
 */
const char *daemon_request_buffer(size_t *size);

#endif
