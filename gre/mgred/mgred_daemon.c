/*
 * mgred as the daemon skeleton (lib/daemon.h) runs it: its table, its own
 * option (-O), and what starting and stopping mean here. Everything else
 * (command line, configuration file, control socket, live lines, SIGHUP)
 * is the skeleton's; the live changes themselves are mgred_reconfigure.c's.
 */
#include <stdlib.h>

#include "gre/mgred/mgred.h"
#include "lib/daemon.h"
#include "lib/nl.h"

static int mgred_daemon_option(void *daemon, int opt, const char *arg)
{
	struct mgred *d = daemon;

	(void)arg;
	if (opt == 'O')
		d->offload = false;
	return 0;
}

static const struct cmd_binding *mgred_daemon_binding(void)
{
	return &mgred_binding;
}

static int mgred_daemon_conf_load(const char *path, void *conf, struct strbuf *errors)
{
	return mgred_conf_load(path, conf, errors);
}

static void mgred_daemon_conf_free(void *conf)
{
	mgred_conf_free(conf);
}

static int mgred_daemon_conf_check(void *conf, struct strbuf *why)
{
	return mgred_conf_check(conf, why);
}

static void mgred_daemon_conf_summary(const void *conf, struct strbuf *out)
{
	unsigned n = mgred_conf_ntunnels(conf);

	strbuf_printf(out, "%u userspace tunnel%s", n, n == 1 ? "" : "s");
}

static void mgred_daemon_stop(void *daemon)
{
	struct mgred *d = daemon;

	while (d->ntunnels)
		mgred_tunnel_destroy(d->tunnels[d->ntunnels - 1]);
	nlh_close(d->nl);
	d->nl = NULL;
	d->ctl = NULL; /* the skeleton's */
}

static int mgred_daemon_start(void *daemon, void *conf, const struct daemon_env *env)
{
	struct mgred *d = daemon;
	const struct mgred_conf *c = conf;

	d->conf = conf;
	d->conf_path = env->conf_path;
	d->loop = env->loop;
	d->ctl = env->ctl;
	d->started_ms = clock_now_ms();
	if (mgred_conf_ntunnels(c) == 0)
		log_warn(
		    "%s: no 'tunnel mode gre multipoint' interface with the userspace data plane",
		    env->conf_path);
	d->nl = nlh_open();
	if (!d->nl) {
		log_err("cannot open a netlink socket");
		return -1;
	}
	/* All or nothing: a tunnel that cannot come up takes the others down. */
	for (unsigned i = 0; i < c->nifaces; i++) {
		const struct mgred_iface_conf *ic = &c->ifaces[i];

		if (!mgred_iface_is_tunnel(ic))
			continue; /* kept for show running-config; not ours to run */
		if (mgred_tunnel_create(d, ic) < 0) {
			log_err("%s:%d: interface %s could not be created; exiting", env->conf_path,
			        ic->tun.line, ic->tun.name);
			return -1;
		}
	}
	return 0;
}

static void *mgred_daemon_conf_running(void *daemon)
{
	return ((struct mgred *)daemon)->conf;
}

static void mgred_daemon_reconfigure(void *daemon, const void *old, void *new_conf,
                                     struct strbuf *notices)
{
	mgred_reconfigure(daemon, old, new_conf, notices);
}

static void mgred_daemon_conf_install(void *daemon, void *conf)
{
	struct mgred *d = daemon;

	mgred_conf_free(d->conf);
	d->conf = conf;
}

const struct daemon_def mgred_daemon = {
    .name = "mgred",
    .options = "O",
    .synopsis = "[-O]",
    .help = "  -O           do not use TAP offloads (GSO); for comparison and debugging\n",
    .debug_categories = "gre, packet, tunnel, ctl",
    .option = mgred_daemon_option,
    .binding = mgred_daemon_binding,
    .conf_size = sizeof(struct mgred_conf),
    .conf_load = mgred_daemon_conf_load,
    .conf_free = mgred_daemon_conf_free,
    .conf_check = mgred_daemon_conf_check,
    .conf_summary = mgred_daemon_conf_summary,
    .start = mgred_daemon_start,
    .conf_running = mgred_daemon_conf_running,
    .reconfigure = mgred_daemon_reconfigure,
    .conf_install = mgred_daemon_conf_install,
    .stop = mgred_daemon_stop,
};

int mgred_conf_candidate(const struct mgred_conf *running, const char *header, const char *line,
                         struct mgred_conf **cand, struct strbuf *why)
{
	void *c;
	int rc = daemon_conf_candidate(&mgred_daemon, running, header, line, &c, why);

	*cand = c;
	return rc;
}
