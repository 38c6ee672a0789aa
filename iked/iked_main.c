/*
 * iked: the IKEv2 daemon.
 *
 *   iked [-f CONFIG] [-s SOCKET] [-g GROUP] [-p PORT] [-b ADDRESS] [-n] [-d CATEGORY]...
 *        [-S] [-K KEYLOG]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sys/stat.h>

#include "iked/iked.h"
#include "lib/cmd_conf.h"
#include "lib/ctl.h"

static void iked_usage(FILE *f)
{
	fprintf(f, "usage: iked [-f CONFIG] [-s SOCKET] [-g GROUP] [-p PORT] [-b ADDRESS] [-n]\n"
	           "            [-d CATEGORY]... [-S] [-K KEYLOG]\n"
	           "  -f CONFIG    configuration file (default /etc/dmvpn/dmvpn.conf)\n"
	           "  -s SOCKET    control socket (default " CTL_DEFAULT_DIR "/iked.sock)\n"
	           "  -g GROUP     group allowed to use the control socket (default dmvpn)\n"
	           "  -p PORT      IKE port (default 500)\n"
	           "  -b ADDRESS   listen on this address only\n"
	           "  -n           check the configuration and exit\n"
	           "  -d CATEGORY  enable debug logs: ike, ctl\n"
	           "  -S           log to syslog instead of standard error\n"
	           "  -K KEYLOG    TESTS ONLY: write every SA's keys to KEYLOG (tshark format)\n");
}

static void iked_shutdown(struct iked *d)
{
	while (d->sas)
		ike_sa_free(d->sas);
	ike_net_close(d);
	ctl_server_close(d->ctl);
	d->ctl = NULL;
	if (d->keylog)
		fclose(d->keylog);
	d->keylog = NULL;
	OPENSSL_cleanse(d->cookie_secret, sizeof(d->cookie_secret));
}

int main(int argc, char **argv)
{
	const char *conf_path = "/etc/dmvpn/dmvpn.conf", *sock_path = CTL_DEFAULT_DIR "/iked.sock";
	const char *group = "dmvpn", *keylog = NULL;
	static struct iked_conf conf;
	static struct iked d;
	struct ipaddr bind_addr = {0};
	bool check_only = false, use_syslog = false;
	struct loop_signals sigs;
	struct strbuf errors;
	uint32_t port = 500;
	int opt, cat, rc = 0;

	while ((opt = getopt(argc, argv, "f:s:g:p:b:nd:SK:h")) != -1) {
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
		case 'p':
			port = (uint32_t)strtoul(optarg, NULL, 10);
			if (port == 0 || port > 65535) {
				fprintf(stderr, "iked: bad port '%s'\n", optarg);
				return 2;
			}
			break;
		case 'b':
			if (ipaddr_parse(optarg, &bind_addr) < 0 || bind_addr.family != AF_INET) {
				fprintf(stderr, "iked: bad address '%s'\n", optarg);
				return 2;
			}
			break;
		case 'n':
			check_only = true;
			break;
		case 'd':
			if ((cat = log_cat_from_name(optarg)) < 0) {
				fprintf(stderr, "iked: unknown debug category '%s'\n", optarg);
				return 2;
			}
			log_set_category(cat, true);
			break;
		case 'S':
			use_syslog = true;
			break;
		case 'K':
			keylog = optarg;
			break;
		case 'h':
			iked_usage(stdout);
			return 0;
		default:
			iked_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		iked_usage(stderr);
		return 2;
	}
	log_init("iked", use_syslog);
	strbuf_init(&errors);
	/* A command of grammar.def without its handler is a bug of ours. */
	if (cmd_binding_check(iked_binding(), &errors) < 0) {
		fputs(strbuf_str(&errors), stderr);
		strbuf_free(&errors);
		return 1;
	}
	if (iked_conf_load(conf_path, &conf, &errors) < 0) {
		fputs(strbuf_str(&errors), stderr);
		strbuf_free(&errors);
		return 1;
	}
	strbuf_free(&errors);
	if (check_only) {
		printf("%s: configuration OK, %u IKEv2 profile%s\n", conf_path, conf.nprofiles,
		       conf.nprofiles == 1 ? "" : "s");
		iked_conf_wipe(&conf);
		return 0;
	}
	d.loop = ev_default_loop(EVFLAG_AUTO);
	d.conf = &conf;
	d.conf_path = conf_path;
	d.fd4 = -1;
	d.started_ms = clock_now_ms();
	if (ikev2_random(d.cookie_secret, sizeof(d.cookie_secret)) < 0) {
		log_err("no randomness for the cookie secret");
		rc = 1;
		goto out;
	}
	if (keylog) {
		d.keylog = fopen(keylog, "a");
		if (!d.keylog) {
			log_err("key log %s: cannot open", keylog);
			rc = 1;
			goto out;
		}
		log_warn(
		    "KEY LOG ON: every SA's keys go to %s; for tests only, never in production",
		    keylog);
	}
	log_warn("no data plane protects traffic yet: CHILD_SAs are negotiated and recorded only");
	if (ike_net_open(&d, &bind_addr, (uint16_t)port) < 0) {
		log_err("cannot listen on UDP port %u", port);
		rc = 1;
		goto out;
	}
	if (!strncmp(sock_path, CTL_DEFAULT_DIR "/", sizeof(CTL_DEFAULT_DIR)))
		mkdir(CTL_DEFAULT_DIR, 0755);
	d.ctl = ctl_server_open(d.loop, sock_path, group, iked_ctl_handle, &d);
	if (!d.ctl) {
		rc = 1;
		goto out;
	}
	loop_signals_init(&sigs, d.loop, iked_reload, &d);
	log_notice("running, %u profile%s, UDP port %u, control socket %s", conf.nprofiles,
	           conf.nprofiles == 1 ? "" : "s", port, sock_path);
	ev_run(d.loop, 0);
	log_notice("shutting down");
	loop_signals_stop(&sigs, d.loop);
out:
	iked_shutdown(&d);
	iked_conf_wipe(&conf);
	ev_loop_destroy(d.loop);
	return rc;
}
