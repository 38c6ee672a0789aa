/*
 * nhrpd: the NHRP daemon.
 *
 *   nhrpd [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/ctl.h"
#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

static void nhrpd_usage(FILE *f)
{
	fprintf(f, "usage: nhrpd [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S]\n"
		   "  -f CONFIG    configuration file (default /etc/dmvpn/dmvpn.conf)\n"
		   "  -s SOCKET    control socket (default " CTL_DEFAULT_DIR "/nhrpd.sock)\n"
		   "  -g GROUP     group allowed to use the control socket (default dmvpn)\n"
		   "  -n           check the configuration and exit\n"
		   "  -d CATEGORY  enable debug logs: nhrp, packet, ctl\n"
		   "  -S           log to syslog instead of standard error\n");
}

/* SIGHUP: the file again, applied like live lines (or ignored with its
 * errors logged). */
static void nhrpd_hup(void *arg)
{
	nhrpd_reload(arg);
}

/* A command of grammar.def without a handler is a bug of this program. */
static int nhrpd_binding_ok(void)
{
	struct strbuf err;
	int rc;

	strbuf_init(&err);
	rc = cmd_binding_check(&nhrpd_binding, &err);
	if (rc < 0)
		fprintf(stderr, "nhrpd: bug: %s", strbuf_str(&err));
	strbuf_free(&err);
	return rc;
}

static void nhrpd_shutdown(struct nhrpd *d)
{
	nhrp_redirect_close(d);
	while (d->nifaces)
		nhrp_iface_destroy(d->ifaces[d->nifaces - 1]);
	/* After the interfaces: their routes are withdrawn, then we leave. */
	nhrp_zebra_close(d);
	nhrp_neigh_close(d);
	ctl_server_close(d->ctl);
	d->ctl = NULL;
}

int main(int argc, char **argv)
{
	const char *conf_path = "/etc/dmvpn/dmvpn.conf";
	const char *sock_path = CTL_DEFAULT_DIR "/nhrpd.sock";
	const char *group = "dmvpn";
	bool check_only = false, use_syslog = false;
	struct nhrpd_conf *conf;
	static struct nhrpd d;
	struct strbuf errors;
	struct loop_signals sigs;
	int opt, cat, rc = 0;
	unsigned nruns;

	while ((opt = getopt(argc, argv, "f:s:g:nd:Sh")) != -1) {
		switch (opt) {
		case 'f':
			conf_path = optarg;
			break;
		case 's':
			sock_path = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 'n':
			check_only = true;
			break;
		case 'd':
			if ((cat = log_cat_from_name(optarg)) < 0) {
				fprintf(stderr, "nhrpd: unknown debug category '%s'\n", optarg);
				return 2;
			}
			log_set_category(cat, true);
			break;
		case 'S':
			use_syslog = true;
			break;
		case 'h':
			nhrpd_usage(stdout);
			return 0;
		default:
			nhrpd_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		nhrpd_usage(stderr);
		return 2;
	}
	log_init("nhrpd", use_syslog);
	if (nhrpd_binding_ok() < 0)
		return 1;
	if (!(conf = malloc(sizeof(*conf)))) {
		fputs("nhrpd: out of memory\n", stderr);
		return 1;
	}
	strbuf_init(&errors);
	if (nhrpd_conf_load(conf_path, conf, &errors) < 0) {
		fputs(strbuf_str(&errors), stderr);
		strbuf_free(&errors);
		nhrpd_conf_free(conf);
		return 1;
	}
	strbuf_free(&errors);
	nruns = nhrpd_conf_count_running(conf);
	if (check_only) {
		printf("%s: configuration OK, %u NHRP interface%s\n", conf_path, nruns,
		       nruns == 1 ? "" : "s");
		nhrpd_conf_free(conf);
		return 0;
	}
	d.conf = conf;
	d.conf_path = conf_path;
	if (nruns == 0)
		log_warn("%s: no mGRE interface with 'ip nhrp' configuration", conf_path);
	d.loop = ev_default_loop(EVFLAG_AUTO);
	d.neigh_fd = -1;
	d.nflog_fd = -1;
	/* Request IDs from a random start: replies to a previous run of ours
	 * must not match this run's requests. */
	if (getrandom(&d.next_request_id, sizeof(d.next_request_id), 0) < 0)
		d.next_request_id = (uint32_t)time(NULL);
	if (!strncmp(sock_path, CTL_DEFAULT_DIR "/", sizeof(CTL_DEFAULT_DIR)))
		mkdir(CTL_DEFAULT_DIR, 0755);
	if (nhrp_neigh_open(&d) < 0) {
		log_err("cannot listen to the kernel's neighbour solicitations");
		rc = 1;
		goto out;
	}
	if (nhrp_zebra_open(&d, conf) < 0) {
		log_err("cannot set up the zebra client");
		rc = 1;
		goto out;
	}
	for (unsigned i = 0; i < conf->nifaces; i++)
		if (nhrpd_conf_iface_runs(&conf->ifaces[i]) &&
		    nhrp_iface_create(&d, &conf->ifaces[i]) < 0) {
			log_err("%s: out of memory", conf->ifaces[i].name);
			rc = 1;
			goto out;
		}
	if (nhrp_redirect_open(&d) < 0)
		log_err("redirects (ip nhrp redirect) are not available: see the log above");
	d.ctl = ctl_server_open(d.loop, sock_path, group, nhrpd_ctl_handle, &d);
	if (!d.ctl) {
		rc = 1;
		goto out;
	}
	loop_signals_init(&sigs, d.loop, nhrpd_hup, &d);
	log_notice("running, %u interface%s, control socket %s", d.nifaces,
		   d.nifaces == 1 ? "" : "s", sock_path);
	ev_run(d.loop, 0);
	log_notice("shutting down");
	loop_signals_stop(&sigs, d.loop);
out:
	nhrpd_shutdown(&d);
	nhrpd_conf_free(d.conf);
	d.conf = NULL;
	ev_loop_destroy(d.loop);
	return rc;
}
