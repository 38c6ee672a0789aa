/*
 * Live configuration: the running tunnels follow a new configuration (a
 * line typed in `configure terminal`, or the file re-read on SIGHUP)
 * without a restart, touching only the interfaces that changed:
 *
 *   a new userspace mGRE tunnel (its block complete)   created
 *   a tunnel deleted, or no longer one of mgred's      destroyed
 *   tunnel source changed                              destroyed and created
 *   description                                        kept (nothing runs on it)
 *   tunnel key, tunnel checksum                        the next packet's GRE header
 *   tunnel ttl                                         the underlay socket's TTL
 *   mtu (and the default one, which follows the key    set on the TAP
 *   and checksum)
 *   ip address, ipv6 address                           added to / removed from the TAP
 *
 * What cannot be done now is kept in the configuration and reported as
 * "% mgred: restart mgred to apply: ..." (the skeleton, lib/daemon.h, logs
 * it too). Creating and destroying a TAP resets that tunnel's counters and
 * changes its ifindex; the other tunnels, their peers and counters are
 * left alone.
 */
#include <errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdarg.h>
#include <string.h>

#include "gre/mgred/mgred.h"
#include "lib/nl.h"

static void mgred_reconf_notice(struct strbuf *notices, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void mgred_reconf_notice(struct strbuf *notices, const char *fmt, ...)
{
	va_list ap;
	char what[512];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	strbuf_printf(notices, "%% mgred: restart mgred to apply: %s\n", what);
}

static const struct mgred_iface_conf *mgred_reconf_find(const struct mgred_conf *c,
                                                        const char *name)
{
	for (unsigned i = 0; c && i < c->nifaces; i++)
		if (!strcmp(c->ifaces[i].tun.name, name))
			return &c->ifaces[i];
	return NULL;
}

/* lib/nl.h adds addresses only: the same request as RTM_DELADDR. */
static int mgred_reconf_addr_del(int ifindex, const struct mgred_prefix *p)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local =
	    nl_addr_build(p->addr.family, p->addr.u.bytes, ipaddr_len(&p->addr));
	int err = -NLE_NOMEM;

	if (sk && ra && local && (err = nl_connect(sk, NETLINK_ROUTE)) == 0) {
		nl_addr_set_prefixlen(local, (int)p->plen);
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_prefixlen(ra, (int)p->plen);
		err = rtnl_addr_delete(sk, ra, 0);
	}
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	if (sk)
		nl_socket_free(sk);
	return err;
}

static void mgred_reconf_addrs(struct mgred_tunnel *t, const struct mgred_iface_conf *ic,
                               struct strbuf *notices)
{
	struct mgred_prefix want[MGRED_MAX_ADDRS], have[MGRED_MAX_ADDRS];
	unsigned nwant = mgred_iface_addrs(ic, want), nhave = mgred_iface_addrs(&t->conf, have);
	char a[IPADDR_STRLEN];
	int err;

	/*
	 * Additions first: removing an interface's last IPv4 address flushes
	 * its neighbour table (the NBMA mappings nhrpd installed), so a
	 * replaced address or prefix length must never leave it without one.
	 */
	for (unsigned i = 0; i < nwant; i++) {
		const struct mgred_prefix *p = &want[i];

		if (mgred_iface_has_prefix(&t->conf, p))
			continue;
		err = nlh_addr_add(t->d->nl, t->ifindex, &p->addr, p->plen);
		if (err < 0)
			mgred_reconf_notice(notices, "adding %s/%u to %s (%s)",
			                    ipaddr_format(&p->addr, a), p->plen, ic->tun.name,
			                    nlh_strerror(err));
	}
	for (unsigned i = 0; i < nhave; i++) {
		const struct mgred_prefix *p = &have[i];

		if (mgred_iface_has_prefix(ic, p))
			continue;
		err = mgred_reconf_addr_del(t->ifindex, p);
		if (err < 0 && err != -NLE_NOADDR && err != -NLE_OBJ_NOTFOUND)
			mgred_reconf_notice(notices, "removing %s/%u from %s (%s)",
			                    ipaddr_format(&p->addr, a), p->plen, ic->tun.name,
			                    nlh_strerror(err));
	}
	t->conf.tun.addr = ic->tun.addr;
	t->conf.tun.plen = ic->tun.plen;
	memcpy(t->conf.addrs6, ic->addrs6, sizeof(ic->addrs6));
	t->conf.naddrs6 = ic->naddrs6;
}

/*
 * The key picks the tunnel of an inbound packet among those on one
 * underlay socket (RFC 2890 2.1; mgred_rx.c): a key another tunnel there
 * receives already would make one of them deaf.
 */
static void mgred_reconf_key(struct mgred_tunnel *t, const struct mgred_iface_conf *ic,
                             struct strbuf *notices)
{
	struct mgred *d = t->d;

	if (t->conf.has_key == ic->has_key && t->conf.key == ic->key)
		return;
	for (unsigned i = 0; i < d->ntunnels; i++) {
		const struct mgred_tunnel *o = d->tunnels[i];

		if (o != t && o->ul == t->ul && o->conf.has_key == ic->has_key &&
		    (!ic->has_key || o->conf.key == ic->key)) {
			mgred_reconf_notice(notices,
			                    "tunnel key of %s (%s on the same underlay "
			                    "receives with that key now)",
			                    ic->tun.name, o->conf.tun.name);
			return;
		}
	}
	t->conf.has_key = ic->has_key;
	t->conf.key = ic->key;
}

static unsigned mgred_reconf_ttl_of(const struct mgred_iface_conf *ic)
{
	return ic->ttl ? ic->ttl : MGRED_DEFAULT_TTL;
}

/*
 * The TTL belongs to the underlay socket, shared by the tunnels on one
 * local address: it changes once every tunnel there wants the same (the
 * new configuration's ttl for each), whichever of them changed last.
 */
static void mgred_reconf_ttl(struct mgred_tunnel *t, const struct mgred_iface_conf *ic,
                             const struct mgred_conf *new_conf, struct strbuf *notices)
{
	struct mgred *d = t->d;
	unsigned want = mgred_reconf_ttl_of(ic);
	char a[IPADDR_STRLEN];

	t->conf.ttl = ic->ttl;
	if (want == t->ul->ttl)
		return;
	for (unsigned i = 0; i < d->ntunnels; i++) {
		const struct mgred_tunnel *o = d->tunnels[i];
		const struct mgred_iface_conf *oc = mgred_reconf_find(new_conf, o->conf.tun.name);

		if (o == t || o->ul != t->ul || mgred_reconf_ttl_of(oc ? oc : &o->conf) == want)
			continue;
		mgred_reconf_notice(notices,
		                    "tunnel ttl %u on %s (underlay %s is shared with %s, "
		                    "whose ttl differs: mgred needs one ttl per underlay)",
		                    want, ic->tun.name, ipaddr_format(&t->ul->local, a),
		                    o->conf.tun.name);
		return;
	}
	if (mgred_underlay_set_ttl(t->ul, want) < 0)
		mgred_reconf_notice(notices, "tunnel ttl %u on %s (%s)", want, ic->tun.name,
		                    strerror(errno));
	else
		log_notice("underlay %s: ttl %u", ipaddr_format(&t->ul->local, a), want);
}

static void mgred_reconf_tunnel(struct mgred_tunnel *t, const struct mgred_iface_conf *ic,
                                const struct mgred_conf *new_conf, struct strbuf *notices)
{
	unsigned mtu;
	int err;

	/* Nothing is queued between two wakeups; flush in case, before the header changes. */
	mgred_tx_flush(t);
	mgred_reconf_key(t, ic, notices);
	t->conf.checksum = ic->checksum;
	t->gre_len = mgred_tunnel_gre_len(&t->conf);
	mgred_reconf_ttl(t, ic, new_conf, notices);
	/* The default MTU follows the GRE header's length. */
	t->conf.mtu = ic->mtu;
	mtu = mgred_tunnel_want_mtu(t, &t->conf);
	if (mtu != t->mtu) {
		err = nlh_link_set(t->d->nl, t->ifindex, mtu, -1);
		if (err < 0)
			mgred_reconf_notice(notices, "mtu %u on %s (%s)", mtu, ic->tun.name,
			                    nlh_strerror(err));
		else
			t->mtu = mtu;
	}
	mgred_reconf_addrs(t, ic, notices);
	memcpy(t->conf.description, ic->description, sizeof(ic->description));
	t->conf.tun.line = ic->tun.line;
	log_notice("%s: reconfigured: %s key, checksum %s, ttl %u, mtu %u", ic->tun.name,
	           t->conf.has_key ? "with" : "no", t->conf.checksum ? "on" : "off", t->ul->ttl,
	           t->mtu);
}

/* Has ic changed since old (or is it new)? Untouched blocks are left alone. */
static bool mgred_reconf_changed(const struct mgred_conf *old, const struct mgred_iface_conf *ic)
{
	const struct mgred_iface_conf *was = mgred_reconf_find(old, ic->tun.name);

	return !was || !mgred_iface_conf_equal(was, ic);
}

/*
 * Three passes, so that what goes away frees its underlay socket, key and
 * name before anything new claims them, and tunnels that stay take their
 * new ttl before a new tunnel on the same underlay must match it:
 * destroy, update in place, create.
 */
void mgred_reconfigure(struct mgred *d, const struct mgred_conf *old,
                       const struct mgred_conf *new_conf, struct strbuf *notices)
{
	/* Downwards: destroying moves the last tunnel, already seen, into the slot. */
	for (unsigned i = d->ntunnels; i-- > 0;) {
		struct mgred_tunnel *t = d->tunnels[i];
		const struct mgred_iface_conf *ic = mgred_reconf_find(new_conf, t->conf.tun.name);

		/* A new source is a new local address: a new lladdr and underlay. */
		if (!ic || !mgred_iface_is_tunnel(ic) ||
		    !tunnel_conf_source_equal(&t->conf.tun, &ic->tun))
			mgred_tunnel_destroy(t);
	}
	for (unsigned i = 0; i < new_conf->nifaces; i++) {
		const struct mgred_iface_conf *ic = &new_conf->ifaces[i];
		struct mgred_tunnel *t = mgred_tunnel_find(d, ic->tun.name);

		if (t && mgred_reconf_changed(old, ic))
			mgred_reconf_tunnel(t, ic, new_conf, notices);
	}
	for (unsigned i = 0; i < new_conf->nifaces; i++) {
		const struct mgred_iface_conf *ic = &new_conf->ifaces[i];

		if (!mgred_iface_is_tunnel(ic) || mgred_tunnel_find(d, ic->tun.name) ||
		    !mgred_reconf_changed(old, ic))
			continue;
		if (mgred_tunnel_create(d, ic) < 0)
			mgred_reconf_notice(notices,
			                    "interface %s (it cannot be created now: see "
			                    "mgred's log)",
			                    ic->tun.name);
	}
}
