/*
 * show ip nhrp shortcut [json]: the shortcuts of each interface and what
 * zebra did with their routes; show ip nhrp zebra [json]: the zebra
 * connection and every route nhrpd holds there (a route zebra refused
 * shows as failed or better-admin-won).
 */
#include <inttypes.h>
#include <string.h>

#include "nhrpd/nhrpd_show.h"

int nhrpd_show_shortcut(struct nhrp_iface *ifp, struct nhrpd_show *s)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], c[IPADDR_STRLEN], t[NHRPD_SHOW_TIME_MAX];
	const char *route;

	if (s->opts & NHRPD_SHOW_JSON)
		nhrpd_show_json_iface(&s->j, ifp, "shortcuts");
	else
		strbuf_printf(s->o, "%s: %u shortcut%s\n", ifp->conf.tun.name, ifp->nshortcuts,
		              ifp->nshortcuts == 1 ? "" : "s");
	for (const struct nhrp_shortcut *sc = ifp->shortcuts; sc; sc = sc->next) {
		route = nhrp_zebra_route_state(ifp->d, &sc->prefix, sc->plen);
		if (s->opts & NHRPD_SHOW_JSON) {
			json_obj_begin(&s->j);
			nhrpd_show_kv_addr(&s->j, "prefix", &sc->prefix);
			json_kv_u64(&s->j, "prefix_len", sc->plen);
			nhrpd_show_kv_addr(&s->j, "via", &sc->via);
			nhrpd_show_kv_addr(&s->j, "target", &sc->target);
			json_kv_u64(&s->j, "holding_time", sc->holding_time);
			json_kv_u64(&s->j, "expires_in", nhrpd_show_until(sc->expires_ms, s->now));
			json_kv_u64(&s->j, "age", nhrpd_show_since(sc->created_ms, s->now));
			json_kv_str(&s->j, "route", route);
			json_obj_end(&s->j);
			continue;
		}
		strbuf_printf(s->o, "  %s/%u via %s (for %s), expires in %s, route %s\n",
		              ipaddr_format(&sc->prefix, a), sc->plen, ipaddr_format(&sc->via, b),
		              ipaddr_format(&sc->target, c),
		              nhrpd_show_time(nhrpd_show_until(sc->expires_ms, s->now), t), route);
	}
	if (s->opts & NHRPD_SHOW_JSON) {
		json_arr_end(&s->j);
		json_obj_end(&s->j);
	}
	return 0;
}

static void nhrpd_show_zebra_route(const struct zapi_route *r, enum zapi_route_state st, void *arg)
{
	struct nhrpd_show *s = arg;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];
	const struct zapi_nexthop *nh = r->n_nexthops ? &r->nexthops[0] : NULL;

	if (s->opts & NHRPD_SHOW_JSON) {
		json_obj_begin(&s->j);
		nhrpd_show_kv_addr(&s->j, "prefix", &r->prefix);
		json_kv_u64(&s->j, "prefix_len", r->prefixlen);
		if (nh)
			nhrpd_show_kv_addr(&s->j, "via", &nh->gate);
		json_kv_u64(&s->j, "distance", r->distance);
		json_kv_str(&s->j, "state", zapi_route_state_name(st));
		json_obj_end(&s->j);
		return;
	}
	strbuf_printf(s->o, "  %s/%u via %s, distance %u: %s\n", ipaddr_format(&r->prefix, a),
	              r->prefixlen, nh ? ipaddr_format(&nh->gate, b) : "-", r->distance,
	              zapi_route_state_name(st));
}

int nhrpd_show_zebra(struct nhrpd *d, struct nhrpd_show *s)
{
	struct zapi_client_stats st = {0};

	if (d->zebra)
		zapi_client_get_stats(d->zebra, &st);
	if (s->opts & NHRPD_SHOW_JSON) {
		json_init(&s->j, s->o);
		json_obj_begin(&s->j);
		json_kv_bool(&s->j, "enabled", d->zebra != NULL);
		if (d->zebra) {
			json_kv_str(&s->j, "socket", zapi_client_path(d->zebra));
			json_kv_u64(&s->j, "instance", zapi_client_instance(d->zebra));
			json_kv_bool(&s->j, "connected", zapi_client_connected(d->zebra));
			json_kv_u64(&s->j, "connects", st.connects);
			json_kv_u64(&s->j, "disconnects", st.disconnects);
			json_kv_u64(&s->j, "installed", st.installed);
			json_kv_u64(&s->j, "failed", st.failed);
			json_key(&s->j, "routes");
			json_arr_begin(&s->j);
			zapi_client_foreach(d->zebra, nhrpd_show_zebra_route, s);
			json_arr_end(&s->j);
		}
		json_obj_end(&s->j);
		strbuf_puts(s->o, "\n");
		return 0;
	}
	if (!d->zebra) {
		strbuf_puts(s->o, "zebra: not used (no 'nhrp zebra', 'ip nhrp shortcut' or "
		                  "'ip nhrp host-routes')\n");
		return 0;
	}
	strbuf_printf(s->o,
	              "zebra at %s, instance %u: %s (%" PRIu64 " connects, %" PRIu64
	              " disconnects)\n  %" PRIu64 " routes, %" PRIu64 " installed, %" PRIu64
	              " failed\n",
	              zapi_client_path(d->zebra), zapi_client_instance(d->zebra),
	              zapi_client_connected(d->zebra) ? "connected" : "not connected", st.connects,
	              st.disconnects, st.routes, st.installed, st.failed);
	zapi_client_foreach(d->zebra, nhrpd_show_zebra_route, s);
	return 0;
}
