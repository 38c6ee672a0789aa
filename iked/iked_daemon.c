/*
 * iked as the daemon skeleton (lib/daemon.h) runs it: its table, its own
 * options (-p PORT, -b ADDRESS, -K KEYLOG), and what starting and stopping
 * mean here. The command line, the configuration file, the control socket,
 * live lines and SIGHUP are the skeleton's. A configuration holds one
 * reference to each of its profiles (iked.h): a candidate is a copy
 * sharing them (iked_conf_dup), and becomes the running configuration in
 * place (iked_conf_replace), so that unchanged profiles stay the objects
 * SAs hold.
 */
#include <openssl/crypto.h>
#include <stdlib.h>

#include "iked/iked.h"
#include "lib/cmd_conf.h"
#include "lib/daemon.h"

#define IKED_DEFAULT_PORT 500

/* The options of this process (one iked per process). */
static struct {
	struct ipaddr bind_addr; /* unset: any */
	const char *keylog;
} iked_opts;

static int iked_daemon_option(void *daemon, int opt, const char *arg)
{
	struct iked *d = daemon;
	uint32_t port;

	switch (opt) {
	case 'p':
		if (conf_parse_u32(arg, 1, 65535, &port) < 0) {
			fprintf(stderr, "iked: bad port '%s'\n", arg);
			return -1;
		}
		d->port = (uint16_t)port;
		return 0;
	case 'b':
		if (ipaddr_parse(arg, &iked_opts.bind_addr) < 0 ||
		    iked_opts.bind_addr.family != AF_INET) {
			fprintf(stderr, "iked: bad address '%s'\n", arg);
			return -1;
		}
		return 0;
	default: /* 'K' */
		iked_opts.keylog = arg;
		return 0;
	}
}

static int iked_daemon_conf_load(const char *path, void *conf, struct strbuf *errors)
{
	return iked_conf_load(path, conf, errors);
}

static void iked_daemon_conf_free(void *conf)
{
	iked_conf_free(conf);
}

static void *iked_daemon_conf_dup(const void *conf)
{
	return iked_conf_dup(conf);
}

static int iked_daemon_conf_check(void *conf, struct strbuf *why)
{
	return iked_conf_check(conf, why);
}

static void iked_daemon_conf_summary(const void *conf, struct strbuf *out)
{
	unsigned n = ((const struct iked_conf *)conf)->nprofiles;

	strbuf_printf(out, "%u IKEv2 profile%s", n, n == 1 ? "" : "s");
}

static void iked_daemon_stop(void *daemon)
{
	struct iked *d = daemon;

	while (d->sas)
		ike_sa_free(d->sas);
	ike_net_close(d);
	d->ctl = NULL; /* the skeleton's */
	if (d->keylog)
		fclose(d->keylog);
	d->keylog = NULL;
	OPENSSL_cleanse(d->cookie_secret, sizeof(d->cookie_secret));
}

static int iked_daemon_start(void *daemon, void *conf, const struct daemon_env *env)
{
	struct iked *d = daemon;
	uint16_t port = d->port ? d->port : IKED_DEFAULT_PORT;

	d->loop = env->loop;
	d->conf = conf;
	d->conf_path = env->conf_path;
	d->ctl = env->ctl;
	d->fd4 = -1;
	d->started_ms = clock_now_ms();
	if (ikev2_random(d->cookie_secret, sizeof(d->cookie_secret)) < 0) {
		log_err("no randomness for the cookie secret");
		return -1;
	}
	if (iked_opts.keylog) {
		d->keylog = fopen(iked_opts.keylog, "a");
		if (!d->keylog) {
			log_err("key log %s: cannot open", iked_opts.keylog);
			return -1;
		}
		log_warn(
		    "KEY LOG ON: every SA's keys go to %s; for tests only, never in production",
		    iked_opts.keylog);
	}
	log_warn("no data plane protects traffic yet: CHILD_SAs are negotiated and recorded only");
	if (ike_net_open(d, &iked_opts.bind_addr, port, ike_recv) < 0) {
		log_err("cannot listen on UDP port %u", port);
		return -1;
	}
	log_notice("IKE on UDP port %u", port);
	return 0;
}

static void *iked_daemon_conf_running(void *daemon)
{
	return ((struct iked *)daemon)->conf;
}

static void iked_daemon_reconfigure(void *daemon, const void *old, void *new_conf,
                                    struct strbuf *notices)
{
	(void)notices; /* everything iked has is live */
	iked_reconfigure(daemon, old, new_conf);
}

static void iked_daemon_conf_install(void *daemon, void *conf)
{
	iked_conf_replace(((struct iked *)daemon)->conf, conf);
}

const struct daemon_def iked_daemon = {
    .name = "iked",
    .options = "p:b:K:",
    .synopsis = "[-p PORT] [-b ADDRESS] [-K KEYLOG]",
    .help = "  -p PORT      IKE port (default 500)\n"
            "  -b ADDRESS   listen on this address only\n"
            "  -K KEYLOG    TESTS ONLY: write every SA's keys to KEYLOG (tshark format)\n",
    .debug_categories = "ike, ctl",
    .option = iked_daemon_option,
    .binding = iked_binding,
    .conf_size = sizeof(struct iked_conf),
    .conf_load = iked_daemon_conf_load,
    .conf_free = iked_daemon_conf_free,
    .conf_dup = iked_daemon_conf_dup,
    .conf_check = iked_daemon_conf_check,
    .conf_summary = iked_daemon_conf_summary,
    .start = iked_daemon_start,
    .conf_running = iked_daemon_conf_running,
    .reconfigure = iked_daemon_reconfigure,
    .conf_install = iked_daemon_conf_install,
    .stop = iked_daemon_stop,
};

struct iked_conf *iked_conf_candidate(const struct iked_conf *running, const char *header,
                                      const char *line, struct strbuf *out)
{
	void *cand;

	return daemon_conf_candidate(&iked_daemon, running, header, line, &cand, out) == 0 ? cand
	                                                                                   : NULL;
}

int iked_ctl_handle(void *ctx, const char *line, struct strbuf *out)
{
	return daemon_ctl_request(&iked_daemon, ctx, line, out);
}

void iked_reload(void *arg)
{
	struct iked *d = arg;

	daemon_reload(&iked_daemon, d, d->conf_path);
}
