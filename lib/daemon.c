/*
 * The skeleton's process (lib/daemon.h): command line, configuration file,
 * control socket, signals and the event loop around a daemon's table.
 *
 *   NAME [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S] OWN...
 *
 * Exit status: 0, 1 for a configuration or start-up error, 2 for a usage
 * error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/ctl.h"
#include "lib/daemon.h"
#include "lib/log.h"
#include "lib/loop.h"

#define DAEMON_COMMON_OPTIONS "f:s:g:nd:Sh"

struct daemon_opts {
	const char *conf_path;
	const char *sock_path;
	const char *group;
	bool check_only;
	bool use_syslog;
	char default_sock[128];
};

/* The daemon as the control socket and the signals see it. */
struct daemon_run {
	const struct daemon_def *def;
	void *daemon;
	const char *conf_path;
};

static void daemon_usage(const struct daemon_def *def, const struct daemon_opts *o, FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S]%s%s\n"
	    "  -f CONFIG    configuration file (default " DAEMON_DEFAULT_CONF ")\n"
	    "  -s SOCKET    control socket (default %s)\n"
	    "  -g GROUP     group allowed to use the control socket (default " DAEMON_DEFAULT_GROUP
	    ")\n"
	    "  -n           check the configuration and exit\n"
	    "  -d CATEGORY  enable debug logs: %s\n"
	    "  -S           log to syslog instead of standard error\n"
	    "%s",
	    def->name, def->synopsis ? " " : "", def->synopsis ? def->synopsis : "",
	    o->default_sock, def->debug_categories, def->help ? def->help : "");
}

/* -1 to go on, or the exit status. */
static int daemon_options(const struct daemon_def *def, void *daemon, int argc, char **argv,
                          struct daemon_opts *o)
{
	char optstring[64];
	int opt, cat;

	snprintf(o->default_sock, sizeof(o->default_sock), CTL_DEFAULT_DIR "/%s.sock", def->name);
	o->conf_path = DAEMON_DEFAULT_CONF;
	o->sock_path = o->default_sock;
	o->group = DAEMON_DEFAULT_GROUP;
	snprintf(optstring, sizeof(optstring), "%s%s", DAEMON_COMMON_OPTIONS,
	         def->options ? def->options : "");
	while ((opt = getopt(argc, argv, optstring)) != -1) {
		switch (opt) {
		case 'f':
			o->conf_path = optarg;
			break;
		case 's':
			o->sock_path = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'n':
			o->check_only = true;
			break;
		case 'd':
			if ((cat = log_cat_from_name(optarg)) < 0) {
				fprintf(stderr, "%s: unknown debug category '%s'\n", def->name,
				        optarg);
				return 2;
			}
			log_set_category(cat, true);
			break;
		case 'S':
			o->use_syslog = true;
			break;
		case 'h':
			daemon_usage(def, o, stdout);
			return 0;
		case '?':
			daemon_usage(def, o, stderr);
			return 2;
		default:
			if (def->option(daemon, opt, optarg) < 0)
				return 2;
			break;
		}
	}
	if (optind != argc) {
		daemon_usage(def, o, stderr);
		return 2;
	}
	return -1;
}

static int daemon_ctl_cb(void *ctx, const char *line, struct strbuf *out)
{
	struct daemon_run *run = ctx;

	return daemon_ctl_request(run->def, run->daemon, line, out);
}

static void daemon_hup_cb(void *arg)
{
	struct daemon_run *run = arg;

	daemon_reload(run->def, run->daemon, run->conf_path);
}

/* Start on conf, run until SIGINT/SIGTERM, stop: the exit status. */
static int daemon_run(const struct daemon_def *def, void *daemon, void *conf,
                      const struct daemon_opts *o)
{
	struct daemon_run run = {.def = def, .daemon = daemon, .conf_path = o->conf_path};
	struct daemon_env env = {.conf_path = o->conf_path, .sock_path = o->sock_path};
	struct loop_signals sigs;
	struct strbuf summary;

	env.loop = ev_default_loop(EVFLAG_AUTO);
	if (!strncmp(o->sock_path, CTL_DEFAULT_DIR "/", sizeof(CTL_DEFAULT_DIR)))
		mkdir(CTL_DEFAULT_DIR, 0755);
	/* Requests are served only once the loop runs, after start. */
	env.ctl = ctl_server_open(env.loop, o->sock_path, o->group, daemon_ctl_cb, &run);
	if (!env.ctl) {
		def->conf_free(conf);
		ev_loop_destroy(env.loop);
		return 1;
	}
	if (def->start(daemon, conf, &env) < 0) {
		def->stop(daemon);
		def->conf_free(conf);
		ctl_server_close(env.ctl);
		ev_loop_destroy(env.loop);
		return 1;
	}
	loop_signals_init(&sigs, env.loop, daemon_hup_cb, &run);
	strbuf_init(&summary);
	def->conf_summary(conf, &summary);
	log_notice("running, %s, control socket %s", strbuf_str(&summary), o->sock_path);
	strbuf_free(&summary);
	ev_run(env.loop, 0);
	log_notice("shutting down");
	loop_signals_stop(&sigs, env.loop);
	/* Live changes may have replaced the configuration it started on. */
	conf = def->conf_running(daemon);
	def->stop(daemon);
	def->conf_free(conf);
	/* After stop: the daemon may tell subscribers what it stopped. */
	ctl_server_close(env.ctl);
	ev_loop_destroy(env.loop);
	return 0;
}

int daemon_main(const struct daemon_def *def, void *daemon, int argc, char **argv)
{
	struct daemon_opts o = {0};
	struct strbuf msg;
	void *conf;
	int rc = daemon_options(def, daemon, argc, argv, &o);

	if (rc >= 0)
		return rc;
	log_init(def->name, o.use_syslog);
	strbuf_init(&msg);
	/* A command of the grammar without its handler is a bug of this build. */
	if (cmd_binding_check(def->binding(), &msg) < 0) {
		fputs(strbuf_str(&msg), stderr);
		strbuf_free(&msg);
		return 1;
	}
	conf = daemon_conf_read(def, o.conf_path, &msg);
	if (!conf) {
		fputs(strbuf_str(&msg), stderr);
		if (msg.s)
			explicit_bzero(msg.s, msg.cap);
		strbuf_free(&msg);
		return 1;
	}
	strbuf_free(&msg);
	if (o.check_only) {
		strbuf_init(&msg);
		def->conf_summary(conf, &msg);
		printf("%s: configuration OK, %s\n", o.conf_path, strbuf_str(&msg));
		strbuf_free(&msg);
		def->conf_free(conf);
		return 0;
	}
	return daemon_run(def, daemon, conf, &o);
}
