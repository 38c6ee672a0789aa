/*
 * Bringing the running daemon to a new configuration (a live line from
 * the shell, or the file again on SIGHUP), touching only what differs
 * between the old configuration and the new one:
 *
 *   live     hostname; in a running interface everything NHRP
 *            (nhrp_iface_reconfigure); redirect (the nftables rule and
 *            NFLOG group are set up again); the zebra connection that
 *            shortcuts or host routes need, when there is none yet
 *   restart  `nhrp zebra`, a new or deleted NHRP interface, and the
 *            tunnel source, data plane or address of a running one: the
 *            change is kept in the configuration and the user is told
 *            "% nhrpd: restart nhrpd to apply: WHAT"
 */
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static void nhrpd_restart_notice(struct strbuf *notices, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void nhrpd_restart_notice(struct strbuf *notices, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	strbuf_printf(notices, "%% nhrpd: restart nhrpd to apply: %s\n", what);
}

static bool nhrpd_nhs_equal(const struct nhrp_nhs_conf *a, const struct nhrp_nhs_conf *b)
{
	return ipaddr_equal(&a->proto, &b->proto) && ipaddr_equal(&a->nbma, &b->nbma) &&
	       a->multicast == b->multicast;
}

/* The tunnel as nhrpd runs it changes only with a restart: which of its
 * parts differ. */
static const char *const nhrpd_tunnel_fields[] = {"tunnel source", "tunnel dataplane",
                                                  "ip address"};

static bool nhrpd_tunnel_field_differs(const struct nhrp_iface_conf *a,
                                       const struct nhrp_iface_conf *b, unsigned field)
{
	switch (field) {
	case 0:
		return !tunnel_conf_source_equal(&a->tun, &b->tun);
	case 1:
		return a->tun.backend != b->tun.backend;
	default:
		return !ipaddr_equal(&a->tun.addr, &b->tun.addr) || a->tun.plen != b->tun.plen;
	}
}

/* Every field but line numbers. */
static bool nhrpd_iface_equal(const struct nhrp_iface_conf *a, const struct nhrp_iface_conf *b)
{
	if (!tunnel_conf_equal(&a->tun, &b->tun) || a->network_id != b->network_id ||
	    a->holdtime != b->holdtime || a->holdtime_set != b->holdtime_set ||
	    a->reg_timeout != b->reg_timeout || a->no_unique != b->no_unique ||
	    a->mcast_dynamic != b->mcast_dynamic || a->mcast_nhs != b->mcast_nhs ||
	    a->redirect != b->redirect || a->shortcut != b->shortcut ||
	    a->host_routes != b->host_routes || a->auth_len != b->auth_len ||
	    CRYPTO_memcmp(a->auth, b->auth, sizeof(a->auth)) ||
	    strcmp(a->auth_file, b->auth_file) || a->nnhs != b->nnhs || a->nmaps != b->nmaps ||
	    a->nmcast != b->nmcast)
		return false;
	for (unsigned i = 0; i < a->nnhs; i++)
		if (!nhrpd_nhs_equal(&a->nhs[i], &b->nhs[i]))
			return false;
	for (unsigned i = 0; i < a->nmaps; i++)
		if (!ipaddr_equal(&a->maps[i].proto, &b->maps[i].proto) ||
		    !ipaddr_equal(&a->maps[i].nbma, &b->maps[i].nbma))
			return false;
	for (unsigned i = 0; i < a->nmcast; i++)
		if (!ipaddr_equal(&a->mcast[i], &b->mcast[i]))
			return false;
	return true;
}

/* One interface block that changed (o or n is NULL when added or deleted). */
static void nhrpd_reconfigure_iface(struct nhrpd *d, const struct nhrp_iface_conf *o,
                                    const struct nhrp_iface_conf *n, struct strbuf *notices,
                                    bool *redirect_changed)
{
	const char *name = n ? n->tun.name : o->tun.name, *why;
	struct nhrp_iface *ifp = nhrp_iface_by_name(d, name);
	char what[64];

	if (!ifp) {
		if (n && nhrpd_conf_iface_runs(n)) {
			why = nhrpd_conf_iface_incomplete(n);
			nhrpd_restart_notice(notices, "new NHRP interface %s%s%s%s", name,
			                     why ? " (" : "", why ? why : "", why ? ")" : "");
		}
		return;
	}
	if (!n || !nhrpd_conf_iface_runs(n)) {
		nhrpd_restart_notice(notices, "interface %s %s", name,
		                     n ? "is no longer an NHRP interface" : "deleted");
		return;
	}
	/* The tunnel as it runs stays: name what this change (or a
	 * re-created block) made differ from it; back to what runs needs
	 * nothing. */
	what[0] = '\0';
	for (unsigned f = 0; f < 3; f++)
		if ((!o || nhrpd_tunnel_field_differs(o, n, f)) &&
		    nhrpd_tunnel_field_differs(&ifp->conf, n, f))
			snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s%s",
			         what[0] ? ", " : "", nhrpd_tunnel_fields[f]);
	if (what[0]) {
		why = nhrpd_conf_iface_incomplete(n);
		nhrpd_restart_notice(notices, "interface %s: %s%s%s%s", name, what, why ? " (" : "",
		                     why ? why : "", why ? ")" : "");
	}
	if (ifp->conf.redirect != n->redirect)
		*redirect_changed = true;
	nhrp_iface_reconfigure(ifp, n);
}

static bool nhrpd_zebra_equal(const struct nhrpd_conf *a, const struct nhrpd_conf *b)
{
	return a->zebra == b->zebra && !strcmp(a->zebra_path, b->zebra_path) &&
	       a->zebra_instance == b->zebra_instance && a->zebra_distance == b->zebra_distance;
}

void nhrpd_reconfigure(struct nhrpd *d, const struct nhrpd_conf *old, const struct nhrpd_conf *new,
                       struct strbuf *notices)
{
	bool redirect_changed = false;

	if (strcmp(old->hostname, new->hostname))
		log_notice("hostname %s", new->hostname[0] ? new->hostname : "removed");
	if (!nhrpd_zebra_equal(old, new)) {
		nhrpd_restart_notice(notices, "nhrp zebra");
	} else if (!d->zebra && !new->zebra && nhrpd_conf_zebra_wanted(new)) {
		/* Shortcuts or host routes turned on: their routes go to zebra
		 * (with the defaults; a pending `nhrp zebra` waits for the
		 * restart it was told to need). */
		if (nhrp_zebra_open(d, new) < 0)
			log_err("cannot set up the zebra client");
		else
			log_notice("zebra client started (%s)", new->zebra_path);
	}
	/* Shortcut and host routes go to zebra, so zebra comes first. */
	for (unsigned i = 0; i < new->nifaces; i++) {
		const struct nhrp_iface_conf *n = &new->ifaces[i];
		const struct nhrp_iface_conf *o = nhrpd_conf_iface(old, n->tun.name);

		if (!o || !nhrpd_iface_equal(o, n))
			nhrpd_reconfigure_iface(d, o, n, notices, &redirect_changed);
	}
	for (unsigned i = 0; i < old->nifaces; i++)
		if (!nhrpd_conf_iface(new, old->ifaces[i].tun.name))
			nhrpd_reconfigure_iface(d, &old->ifaces[i], NULL, notices,
			                        &redirect_changed);
	if (redirect_changed) {
		/* The rule names every interface with redirect: set it up again. */
		nhrp_redirect_close(d);
		if (nhrp_redirect_open(d) < 0)
			log_err(
			    "redirects (ip nhrp redirect) are not available: see the log above");
	}
}
