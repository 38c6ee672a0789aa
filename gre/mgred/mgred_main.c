/*
 * mgred: the userspace mGRE data plane daemon.
 *
 *   mgred [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-O] [-d CATEGORY]... [-S]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gre/mgred/mgred.h"
#include "lib/ctl.h"
#include "lib/loop.h"
#include "lib/nl.h"

static void mgred_usage(FILE *f)
{
	fprintf(f, "usage: mgred [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-O] [-d CATEGORY]... [-S]\n"
		   "  -f CONFIG    configuration file (default /etc/dmvpn/dmvpn.conf)\n"
		   "  -s SOCKET    control socket (default " CTL_DEFAULT_DIR "/mgred.sock)\n"
		   "  -g GROUP     group allowed to use the control socket (default dmvpn)\n"
		   "  -n           check the configuration and exit\n"
		   "  -O           do not use TAP offloads (GSO); for comparison and debugging\n"
		   "  -d CATEGORY  enable debug logs: gre, packet, tunnel, ctl\n"
		   "  -S           log to syslog instead of standard error\n");
}

/*
 * SIGHUP: re-read the file into a candidate and apply it as live lines
 * are applied; a file with errors changes nothing.
 */
static void mgred_hup(void *arg)
{
	struct mgred *d = arg;
	struct mgred_conf *cand = calloc(1, sizeof(*cand));
	struct strbuf msg;

	if (!cand) {
		log_err("SIGHUP: out of memory");
		return;
	}
	strbuf_init(&msg);
	if (mgred_conf_load(d->conf_path, cand, &msg) < 0) {
		log_lines(LOG_LVL_ERR, "SIGHUP: ", strbuf_str(&msg));
		log_err("SIGHUP: %s has errors: the running configuration stays", d->conf_path);
		free(cand);
	} else {
		/* mgred_reconfigure logs its notices itself. */
		mgred_reconfigure(d, d->conf, cand, &msg);
		free(d->conf);
		d->conf = cand;
		log_notice("SIGHUP: %s applied, %u tunnel%s running", d->conf_path, d->ntunnels,
			   d->ntunnels == 1 ? "" : "s");
	}
	strbuf_free(&msg);
}

static void mgred_shutdown(struct mgred *d)
{
	while (d->ntunnels)
		mgred_tunnel_destroy(d->tunnels[d->ntunnels - 1]);
	ctl_server_close(d->ctl);
	d->ctl = NULL;
	nlh_close(d->nl);
	d->nl = NULL;
	free(d->conf);
	d->conf = NULL;
}

int main(int argc, char **argv)
{
	const char *conf_path = "/etc/dmvpn/dmvpn.conf";
	const char *sock_path = CTL_DEFAULT_DIR "/mgred.sock";
	const char *group = "dmvpn";
	bool check_only = false, use_syslog = false;
	struct mgred_conf *conf;
	struct strbuf errors;
	struct loop_signals sigs;
	struct mgred d = {.offload = true};
	unsigned ntunnels;
	int opt, cat;

	while ((opt = getopt(argc, argv, "f:s:g:nOd:Sh")) != -1) {
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
		case 'O':
			d.offload = false;
			break;
		case 'd':
			if ((cat = log_cat_from_name(optarg)) < 0) {
				fprintf(stderr, "mgred: unknown debug category '%s'\n", optarg);
				return 2;
			}
			log_set_category(cat, true);
			break;
		case 'S':
			use_syslog = true;
			break;
		case 'h':
			mgred_usage(stdout);
			return 0;
		default:
			mgred_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		mgred_usage(stderr);
		return 2;
	}
	log_init("mgred", use_syslog);
	strbuf_init(&errors);
	/* A command of lib/grammar.def without its handler is a bug of this build. */
	if (cmd_binding_check(&mgred_binding, &errors) < 0) {
		fputs(strbuf_str(&errors), stderr);
		strbuf_free(&errors);
		return 1;
	}
	conf = calloc(1, sizeof(*conf));
	if (!conf || mgred_conf_load(conf_path, conf, &errors) < 0) {
		fputs(conf ? strbuf_str(&errors) : "mgred: out of memory\n", stderr);
		strbuf_free(&errors);
		free(conf);
		return 1;
	}
	strbuf_free(&errors);
	ntunnels = mgred_conf_ntunnels(conf);
	if (check_only) {
		printf("%s: configuration OK, %u userspace tunnel%s\n", conf_path, ntunnels,
		       ntunnels == 1 ? "" : "s");
		free(conf);
		return 0;
	}
	d.conf = conf;
	d.conf_path = conf_path;
	if (ntunnels == 0)
		log_warn("%s: no 'tunnel mode gre multipoint' interface with the userspace data plane",
			 conf_path);
	d.loop = ev_default_loop(EVFLAG_AUTO);
	d.nl = nlh_open();
	d.started_ms = clock_now_ms();
	if (!d.nl) {
		log_err("cannot open a netlink socket");
		free(conf);
		return 1;
	}
	if (!strncmp(sock_path, CTL_DEFAULT_DIR "/", sizeof(CTL_DEFAULT_DIR)))
		mkdir(CTL_DEFAULT_DIR, 0755);
	/* All or nothing: a tunnel that cannot come up takes the others down. */
	for (unsigned i = 0; i < conf->nifaces; i++) {
		const struct mgred_iface_conf *ic = &conf->ifaces[i];

		if (!mgred_iface_is_tunnel(ic))
			continue; /* kept for show running-config; not ours to run */
		if (mgred_tunnel_create(&d, ic) < 0) {
			log_err("%s:%d: interface %s could not be created; exiting", conf_path,
				ic->line, ic->name);
			mgred_shutdown(&d);
			return 1;
		}
	}
	d.ctl = ctl_server_open(d.loop, sock_path, group, mgred_ctl_handle, &d);
	if (!d.ctl) {
		mgred_shutdown(&d);
		return 1;
	}
	loop_signals_init(&sigs, d.loop, mgred_hup, &d);
	log_notice("running, %u tunnel%s, control socket %s", d.ntunnels,
		   d.ntunnels == 1 ? "" : "s", sock_path);
	ev_run(d.loop, 0);
	log_notice("shutting down");
	loop_signals_stop(&sigs, d.loop);
	mgred_shutdown(&d);
	ev_loop_destroy(d.loop);
	return 0;
}
