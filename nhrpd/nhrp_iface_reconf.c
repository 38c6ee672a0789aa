/*
 * A running interface takes a new configuration (a live line, SIGHUP):
 *
 *   holding time, registration timeout, no-unique, password
 *                      in effect for the next packet; each NHS registers
 *                      again at once, so the NHS learns the new binding
 *                      and the next refresh follows the new interval
 *   NHSes              a new one is registered with at once; a removed one
 *                      stops and its cache entry goes; the others go on
 *   static maps        bound, rebound or removed in the cache
 *   multicast maps     replication opened or closed as now wanted
 *   shortcut off       the shortcuts and their routes go
 *   host-routes        every registered client's route added or withdrawn
 *   network-id         nothing to do (it names the NBMA network)
 *
 * The tunnel itself (source, data plane, address) needs a restart: it
 * stays as it runs (nhrpd_reconfigure tells the user).
 */
#include <openssl/crypto.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

/* Keep the running NHSes still configured (in the configured order), add
 * the new ones, free the others. */
static void nhrp_iface_reconf_nhs(struct nhrp_iface *ifp, bool reregister)
{
	const struct nhrp_iface_conf *c = &ifp->conf;
	struct nhrp_nhs *next[NHRP_MAX_NHS] = {0};
	bool fresh[NHRP_MAX_NHS] = {0};
	unsigned n = 0;
	char a[IPADDR_STRLEN];

	for (unsigned i = 0; i < c->nnhs; i++) {
		struct nhrp_nhs *nhs = NULL;

		for (unsigned j = 0; j < ifp->nnhs && !nhs; j++)
			if (ifp->nhs[j] &&
			    ipaddr_equal(&ifp->nhs[j]->conf.proto, &c->nhs[i].proto) &&
			    ipaddr_equal(&ifp->nhs[j]->conf.nbma, &c->nhs[i].nbma)) {
				nhs = ifp->nhs[j];
				ifp->nhs[j] = NULL;
				nhs->conf = c->nhs[i]; /* the multicast flag may differ */
			}
		if (!nhs) {
			if (!(nhs = nhrp_nhs_new(ifp, &c->nhs[i]))) {
				log_err("%s: NHS %s: out of memory", c->tun.name,
				        ipaddr_format(&c->nhs[i].proto, a));
				continue;
			}
			log_notice("%s: NHS %s added", c->tun.name,
			           ipaddr_format(&c->nhs[i].proto, a));
			fresh[n] = true;
		}
		next[n++] = nhs;
	}
	for (unsigned j = 0; j < ifp->nnhs; j++)
		if (ifp->nhs[j]) {
			log_notice("%s: NHS %s removed", c->tun.name,
			           ipaddr_format(&ifp->nhs[j]->conf.proto, a));
			nhrp_nhs_free(ifp->nhs[j]);
		}
	memcpy(ifp->nhs, next, sizeof(next));
	ifp->nnhs = n;
	if (!ifp->attached)
		return; /* attaching starts them */
	for (unsigned i = 0; i < n; i++)
		if (fresh[i] || reregister)
			nhrp_nhs_fsm(ifp->nhs[i], NHRP_NHS_EV_START);
}

struct nhrp_iface_stale {
	const struct nhrp_iface_conf *c;
	struct ipaddr v[NHRP_MAX_STATIC + NHRP_MAX_NHS];
	size_t n;
};

/* Is e (static or NHS) still bound as configured? */
static bool nhrp_iface_still_configured(const struct nhrp_iface_conf *c,
                                        const struct nhrp_cache_entry *e)
{
	if (e->type == NHRP_CACHE_STATIC) {
		for (unsigned i = 0; i < c->nmaps; i++)
			if (ipaddr_equal(&c->maps[i].proto, &e->proto))
				return ipaddr_equal(&c->maps[i].nbma, &e->nbma);
		return false;
	}
	for (unsigned i = 0; i < c->nmaps; i++)
		if (ipaddr_equal(&c->maps[i].proto, &e->proto))
			return false; /* now a static map: rebound as one */
	for (unsigned i = 0; i < c->nnhs; i++)
		if (ipaddr_equal(&c->nhs[i].proto, &e->proto))
			return ipaddr_equal(&c->nhs[i].nbma, &e->nbma);
	return false;
}

static void nhrp_iface_stale_one(struct nhrp_cache_entry *e, void *arg)
{
	struct nhrp_iface_stale *s = arg;

	if ((e->type == NHRP_CACHE_STATIC || e->type == NHRP_CACHE_NHS) &&
	    !nhrp_iface_still_configured(s->c, e) && s->n < sizeof(s->v) / sizeof(s->v[0]))
		s->v[s->n++] = e->proto;
}

/*
 * Bindings that are no longer configured (or configured otherwise) go,
 * purging whoever was told of them; then what is configured is bound.
 */
static void nhrp_iface_reconf_cache(struct nhrp_iface *ifp)
{
	static struct nhrp_iface_stale s;

	s.c = &ifp->conf;
	s.n = 0;
	nhrp_cache_foreach(ifp, nhrp_iface_stale_one, &s);
	for (size_t i = 0; i < s.n; i++) {
		struct nhrp_cache_entry *e = nhrp_cache_get(ifp, &s.v[i]);

		if (e && (e->type == NHRP_CACHE_STATIC || e->type == NHRP_CACHE_NHS))
			nhrp_cache_remove(e, "no longer configured");
	}
	nhrp_iface_load_config(ifp);
}

static void nhrp_iface_host_route_add(struct nhrp_cache_entry *e, void *arg)
{
	(void)arg;
	nhrp_zebra_entry_bound(e); /* dynamic entries only */
}

static void nhrp_iface_host_route_del(struct nhrp_cache_entry *e, void *arg)
{
	(void)arg;
	nhrp_zebra_entry_removed(e);
}

void nhrp_iface_reconfigure(struct nhrp_iface *ifp, const struct nhrp_iface_conf *c)
{
	struct nhrp_iface_conf prev = ifp->conf;
	struct nhrp_iface_conf *next = &ifp->conf;
	bool reregister;

	*next = *c;
	/* What only a restart changes stays as it runs. */
	memcpy(next->tun.name, prev.tun.name, sizeof(next->tun.name));
	next->tun.multipoint = prev.tun.multipoint;
	next->tun.backend = prev.tun.backend;
	next->tun.backend_set = prev.tun.backend_set;
	memcpy(next->tun.source_dev, prev.tun.source_dev, sizeof(next->tun.source_dev));
	next->tun.source_addr = prev.tun.source_addr;
	next->tun.addr = prev.tun.addr;
	next->tun.plen = prev.tun.plen;
	reregister = prev.holdtime != next->holdtime || prev.reg_timeout != next->reg_timeout ||
	             prev.no_unique != next->no_unique || prev.auth_len != next->auth_len ||
	             CRYPTO_memcmp(prev.auth, next->auth, sizeof(prev.auth)) != 0;
	explicit_bzero(prev.auth, sizeof(prev.auth));
	nhrp_iface_reconf_nhs(ifp, reregister);
	if (ifp->attached)
		nhrp_iface_reconf_cache(ifp);
	nhrp_multicast_update(ifp);
	if (prev.shortcut && !next->shortcut)
		nhrp_shortcut_flush(ifp);
	if (prev.host_routes != next->host_routes)
		nhrp_cache_foreach(
		    ifp, next->host_routes ? nhrp_iface_host_route_add : nhrp_iface_host_route_del,
		    NULL);
}
