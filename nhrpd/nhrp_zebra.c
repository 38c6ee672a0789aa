/*
 * nhrpd's routes in FRR's zebra (through routing/zapi_client): shortcut
 * routes learnt in DMVPN phase 3 and, with `ip nhrp host-routes`, a host
 * route per registered client. Routes are type NHRP with the configured
 * instance and distance (10 by default: better than any BGP or OSPF route
 * through the hub). The client re-announces them after zebra restarts;
 * they leave zebra when nhrpd withdraws them or stops. Host routes follow
 * the cache as one of its subscribers; shortcut routes follow the
 * shortcuts (nhrp_shortcut.c).
 */
#include <string.h>

#include "nhrpd/nhrpd.h"

static void nhrp_zebra_route_state_cb(void *arg, const struct ipaddr *prefix, uint8_t plen,
                                      enum zapi_route_state st)
{
	char a[IPADDR_STRLEN];

	(void)arg;
	if (st == ZAPI_RS_FAILED || st == ZAPI_RS_BETTER_ADMIN_WON)
		log_msg(LOG_LVL_WARN, LOG_CAT_ZAPI, "zebra did not install %s/%u: %s",
		        ipaddr_format(prefix, a), plen, zapi_route_state_name(st));
	else
		log_debug(LOG_CAT_ZAPI, "route %s/%u: %s", ipaddr_format(prefix, a), plen,
		          zapi_route_state_name(st));
}

static const struct zapi_client_ops nhrp_zebra_ops = {
    .route_state = nhrp_zebra_route_state_cb,
};

int nhrp_zebra_open(struct nhrpd *d, const struct nhrpd_conf *c)
{
	if (!nhrpd_conf_zebra_wanted(c))
		return 0;
	d->zebra_distance = c->zebra_distance;
	d->zebra = zapi_client_new(d->loop, c->zebra_path, (uint16_t)c->zebra_instance,
	                           &nhrp_zebra_ops, d);
	return d->zebra ? 0 : -1;
}

void nhrp_zebra_close(struct nhrpd *d)
{
	zapi_client_free(d->zebra);
	d->zebra = NULL;
}

static void nhrp_zebra_route(struct nhrpd *d, struct nhrp_iface *ifp, const struct ipaddr *prefix,
                             uint8_t plen, const struct ipaddr *via)
{
	struct zapi_route r;
	struct zapi_nexthop *nh;

	memset(&r, 0, sizeof(r));
	r.prefix = *prefix;
	r.prefixlen = plen;
	r.safi = ZAPI_SAFI_UNICAST;
	r.message = ZAPI_MESSAGE_NEXTHOP | ZAPI_MESSAGE_DISTANCE;
	r.distance = (uint8_t)d->zebra_distance;
	r.n_nexthops = 1;
	nh = &r.nexthops[0];
	nh->type = via->family == AF_INET6 ? ZAPI_NEXTHOP_IPV6_IFINDEX : ZAPI_NEXTHOP_IPV4_IFINDEX;
	nh->gate = *via;
	nh->ifindex = (uint32_t)ifp->ifindex;
	/* The overlay next hop is on the tunnel, whatever the prefixes say. */
	nh->flags = ZAPI_NEXTHOP_FLAG_ONLINK;
	zapi_client_route_set(d->zebra, &r);
}

void nhrp_zebra_entry_bound(struct nhrp_cache_entry *e)
{
	struct nhrpd *d = e->ifp->d;

	if (!d->zebra || !e->ifp->conf.host_routes || !nhrp_cache_entry_bound(e) ||
	    e->type != NHRP_CACHE_DYNAMIC)
		return;
	nhrp_zebra_route(d, e->ifp, &e->proto, nhrp_host_plen(&e->proto), &e->proto);
	e->host_route = true;
}

void nhrp_zebra_entry_removed(struct nhrp_cache_entry *e)
{
	if (!e->host_route || !e->ifp->d->zebra)
		return;
	zapi_client_route_unset(e->ifp->d->zebra, &e->proto, nhrp_host_plen(&e->proto));
	e->host_route = false;
}

void nhrp_zebra_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)arg;
	switch (note) {
	case NHRP_ENTRY_NOTE_BOUND:
	case NHRP_ENTRY_NOTE_CHANGED:
	case NHRP_ENTRY_NOTE_RENEWED:
		nhrp_zebra_entry_bound(e);
		break;
	case NHRP_ENTRY_NOTE_REMOVED:
		nhrp_zebra_entry_removed(e);
		break;
	case NHRP_ENTRY_NOTE_RESOLVE:
	case NHRP_ENTRY_NOTE_USED:
	case NHRP_ENTRY_NOTE_REFRESH:
		break;
	}
}

void nhrp_zebra_shortcut_add(struct nhrp_shortcut *sc)
{
	struct nhrpd *d = sc->ifp->d;
	struct ipaddr p = sc->prefix;

	if (!d->zebra)
		return;
	nhrp_prefix_mask(&p, sc->plen);
	nhrp_zebra_route(d, sc->ifp, &p, sc->plen, &sc->via);
}

void nhrp_zebra_shortcut_del(struct nhrp_shortcut *sc)
{
	struct nhrpd *d = sc->ifp->d;

	if (d->zebra)
		zapi_client_route_unset(d->zebra, &sc->prefix, sc->plen);
}

const char *nhrp_zebra_route_state(struct nhrpd *d, const struct ipaddr *prefix, uint8_t plen)
{
	int st;

	if (!d->zebra)
		return "no-zebra";
	st = zapi_client_route_state(d->zebra, prefix, plen);
	return st < 0 ? "none" : zapi_route_state_name((enum zapi_route_state)st);
}
