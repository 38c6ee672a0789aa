/*
 * nhrpd as the daemon skeleton (lib/daemon.h) runs it: its table, and what
 * starting and stopping mean here. The command line, the configuration
 * file, the control socket, live lines and SIGHUP are the skeleton's; a
 * refused line leaves the configuration and the running state as they
 * were, and an accepted one that needs a restart is kept with a notice
 * (nhrpd_reconfigure.c).
 */
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "lib/daemon.h"
#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

static const struct cmd_binding *nhrpd_daemon_binding(void)
{
	return &nhrpd_binding;
}

static int nhrpd_daemon_conf_load(const char *path, void *conf, struct strbuf *errors)
{
	return nhrpd_conf_load(path, conf, errors);
}

static void nhrpd_daemon_conf_free(void *conf)
{
	nhrpd_conf_free(conf);
}

/* Live: an interface being typed may be incomplete (no file name). */
static int nhrpd_daemon_conf_check(void *conf, struct strbuf *why)
{
	return nhrpd_conf_check(conf, NULL, why);
}

static void nhrpd_daemon_conf_summary(const void *conf, struct strbuf *out)
{
	unsigned n = nhrpd_conf_count_running(conf);

	strbuf_printf(out, "%u NHRP interface%s", n, n == 1 ? "" : "s");
}

static void nhrpd_daemon_stop(void *daemon)
{
	struct nhrpd *d = daemon;

	nhrp_redirect_close(d);
	while (d->nifaces)
		nhrp_iface_destroy(d->ifaces[d->nifaces - 1]);
	/* After the interfaces: their routes are withdrawn, then we leave. */
	nhrp_zebra_close(d);
	nhrp_neigh_close(d);
	d->ctl = NULL; /* the skeleton's */
}

static int nhrpd_daemon_start(void *daemon, void *conf, const struct daemon_env *env)
{
	struct nhrpd *d = daemon;
	struct nhrpd_conf *c = conf;

	d->conf = c;
	d->conf_path = env->conf_path;
	d->loop = env->loop;
	d->ctl = env->ctl;
	d->neigh_fd = -1;
	d->nflog_fd = -1;
	if (nhrpd_conf_count_running(c) == 0)
		log_warn("%s: no mGRE interface with 'ip nhrp' configuration", env->conf_path);
	/* Request IDs from a random start: replies to a previous run of ours
	 * must not match this run's requests. */
	if (getrandom(&d->next_request_id, sizeof(d->next_request_id), 0) < 0)
		d->next_request_id = (uint32_t)time(NULL);
	if (nhrp_neigh_open(d) < 0) {
		log_err("cannot listen to the kernel's neighbour solicitations");
		return -1;
	}
	if (nhrp_zebra_open(d, c) < 0) {
		log_err("cannot set up the zebra client");
		return -1;
	}
	for (unsigned i = 0; i < c->nifaces; i++)
		if (nhrpd_conf_iface_runs(&c->ifaces[i]) &&
		    nhrp_iface_create(d, &c->ifaces[i]) < 0) {
			log_err("%s: out of memory", c->ifaces[i].tun.name);
			return -1;
		}
	if (nhrp_redirect_open(d) < 0)
		log_err("redirects (ip nhrp redirect) are not available: see the log above");
	return 0;
}

static void *nhrpd_daemon_conf_running(void *daemon)
{
	return ((struct nhrpd *)daemon)->conf;
}

static void nhrpd_daemon_reconfigure(void *daemon, const void *old, void *new_conf,
                                     struct strbuf *notices)
{
	nhrpd_reconfigure(daemon, old, new_conf, notices);
}

static void nhrpd_daemon_conf_install(void *daemon, void *conf)
{
	struct nhrpd *d = daemon;

	nhrpd_conf_free(d->conf);
	d->conf = conf;
}

const struct daemon_def nhrpd_daemon = {
    .name = "nhrpd",
    .debug_categories = "nhrp, packet, ctl",
    .binding = nhrpd_daemon_binding,
    .conf_size = sizeof(struct nhrpd_conf),
    .conf_load = nhrpd_daemon_conf_load,
    .conf_free = nhrpd_daemon_conf_free,
    .conf_check = nhrpd_daemon_conf_check,
    .conf_summary = nhrpd_daemon_conf_summary,
    .start = nhrpd_daemon_start,
    .conf_running = nhrpd_daemon_conf_running,
    .reconfigure = nhrpd_daemon_reconfigure,
    .conf_install = nhrpd_daemon_conf_install,
    .stop = nhrpd_daemon_stop,
};

int nhrpd_ctl_handle(void *ctx, const char *line, struct strbuf *out)
{
	return daemon_ctl_request(&nhrpd_daemon, ctx, line, out);
}

void nhrpd_reload(struct nhrpd *d)
{
	daemon_reload(&nhrpd_daemon, d, d->conf_path);
}
