/*
 * The NHRP cache of one interface: overlay (protocol) address -> NBMA
 * address, with the holding time the binding was granted for (RFC 2332
 * 5.2.0.1). Every usable binding is mirrored into the interface's
 * neighbour table, which is what makes the kernel send to the right NBMA
 * address; removing a binding removes the neighbour entry and purges the
 * peers that were told about it (RFC 2332 5.2.5).
 *
 * Each entry owns one timer whose meaning follows its type: expiry for
 * bindings with a holding time, the retry of an outstanding Resolution
 * Request for an incomplete entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static const char *const nhrp_cache_type_names[] = {
	[NHRP_CACHE_INCOMPLETE] = "incomplete", [NHRP_CACHE_NEGATIVE] = "negative",
	[NHRP_CACHE_CACHED] = "cached",		[NHRP_CACHE_DYNAMIC] = "dynamic",
	[NHRP_CACHE_NHS] = "nhs",		[NHRP_CACHE_STATIC] = "static",
	[NHRP_CACHE_LOCAL] = "local",
};

const char *nhrp_cache_type_name(enum nhrp_cache_type t)
{
	return (unsigned)t <= NHRP_CACHE_LOCAL ? nhrp_cache_type_names[t] : "unknown";
}

#define NHRP_CACHE_INITIAL_BUCKETS 256

int nhrp_cache_init(struct nhrp_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->buckets = calloc(NHRP_CACHE_INITIAL_BUCKETS, sizeof(*c->buckets));
	if (!c->buckets)
		return -1;
	c->nbuckets = NHRP_CACHE_INITIAL_BUCKETS;
	return 0;
}

static size_t nhrp_cache_slot(const struct nhrp_cache *c, const struct ipaddr *a)
{
	return ipaddr_hash(a) & (c->nbuckets - 1);
}

/* Keep chains short as a hub's table grows to thousands of spokes. */
static void nhrp_cache_grow(struct nhrp_cache *c)
{
	size_t n = c->nbuckets * 2;
	struct nhrp_cache_entry **nb = calloc(n, sizeof(*nb));

	if (!nb)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < c->nbuckets; i++) {
		struct nhrp_cache_entry *e = c->buckets[i], *next;

		for (; e; e = next) {
			size_t s = ipaddr_hash(&e->proto) & (n - 1);

			next = e->hnext;
			e->hnext = nb[s];
			nb[s] = e;
		}
	}
	free(c->buckets);
	c->buckets = nb;
	c->nbuckets = n;
}

struct nhrp_cache_entry *nhrp_cache_get(struct nhrp_iface *ifp, const struct ipaddr *proto)
{
	struct nhrp_cache *c = &ifp->cache;
	struct nhrp_cache_entry *e = c->buckets[nhrp_cache_slot(c, proto)];

	for (; e; e = e->hnext)
		if (ipaddr_equal(&e->proto, proto))
			return e;
	return NULL;
}

bool nhrp_cache_entry_valid(const struct nhrp_cache_entry *e)
{
	return e->type >= NHRP_CACHE_CACHED && e->type != NHRP_CACHE_LOCAL;
}

static void nhrp_cache_timer_fn(struct timer *t, void *arg);

struct nhrp_cache_entry *nhrp_cache_new(struct nhrp_iface *ifp, const struct ipaddr *proto,
					enum nhrp_cache_type type)
{
	struct nhrp_cache *c = &ifp->cache;
	struct nhrp_cache_entry *e;
	size_t s;

	if (c->count >= NHRP_MAX_CACHE)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	if (c->count >= c->nbuckets * 2)
		nhrp_cache_grow(c);
	e->ifp = ifp;
	e->type = type;
	e->proto = *proto;
	e->prefix_len = (uint8_t)(ipaddr_len(proto) * 8);
	e->created_ms = clock_now_ms();
	timer_init(&e->timer, ifp->d->loop, nhrp_cache_timer_fn, e);
	s = nhrp_cache_slot(c, proto);
	e->hnext = c->buckets[s];
	c->buckets[s] = e;
	c->count++;
	c->count_by_type[type]++;
	return e;
}

void nhrp_cache_set_type(struct nhrp_cache_entry *e, enum nhrp_cache_type type)
{
	struct nhrp_cache *c = &e->ifp->cache;

	c->count_by_type[e->type]--;
	c->count_by_type[type]++;
	e->type = type;
}

static void nhrp_cache_neigh_sync(struct nhrp_cache_entry *e)
{
	bool permanent = e->type == NHRP_CACHE_STATIC || e->type == NHRP_CACHE_NHS;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	if (!e->ifp->dp)
		return;
	if (nhrp_cache_entry_valid(e) && ipaddr_is_set(&e->nbma)) {
		if (dp_neigh_set(e->ifp->dp, &e->proto, &e->nbma, permanent) == 0)
			e->neigh_installed = true;
		else
			log_warn("%s: neighbour %s -> %s not installed: %s", e->ifp->conf.tun.name,
				 ipaddr_format(&e->proto, a), ipaddr_format(&e->nbma, b),
				 strerror(errno));
	} else if (e->neigh_installed) {
		dp_neigh_del(e->ifp->dp, &e->proto);
		e->neigh_installed = false;
	}
}

void nhrp_cache_neigh_refresh(struct nhrp_cache_entry *e)
{
	nhrp_cache_neigh_sync(e);
}

void nhrp_cache_bind(struct nhrp_cache_entry *e, enum nhrp_cache_type type,
		     const struct ipaddr *nbma, uint16_t holding_time)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];
	bool changed = e->type != type || !ipaddr_equal(&e->nbma, nbma);

	nhrp_cache_set_type(e, type);
	e->nbma = *nbma;
	e->holding_time = holding_time;
	e->bound_ms = clock_now_ms();
	e->expires_ms = holding_time ? e->bound_ms + (uint64_t)holding_time * 1000 : 0;
	e->tries = 0;
	e->refresh_checked = false;
	if (!holding_time)
		timer_stop(&e->timer);
	else if (type == NHRP_CACHE_CACHED)
		/* At two thirds of the holding time: refresh if in use. */
		timer_start_ms(&e->timer, (uint64_t)holding_time * 2000 / 3);
	else
		timer_start_ms(&e->timer, (uint64_t)holding_time * 1000);
	if (changed)
		log_debug(LOG_CAT_NHRP, "%s: %s %s -> %s, holding time %u s", e->ifp->conf.tun.name,
			  nhrp_cache_type_name(type), ipaddr_format(&e->proto, a),
			  ipaddr_format(nbma, b), holding_time);
	nhrp_cache_neigh_sync(e);
	nhrp_zebra_entry_bound(e);
}

void nhrp_cache_add_purge_target(struct nhrp_cache_entry *e, const struct ipaddr *nbma,
				 const struct ipaddr *proto)
{
	for (unsigned i = 0; i < e->npurge; i++)
		if (ipaddr_equal(&e->purge[i].nbma, nbma) && ipaddr_equal(&e->purge[i].proto, proto))
			return;
	/* Full: forget the oldest; it learns of the change at its own expiry. */
	if (e->npurge == NHRP_MAX_PURGE_TARGETS) {
		memmove(&e->purge[0], &e->purge[1], sizeof(e->purge[0]) * (e->npurge - 1));
		e->npurge--;
	}
	e->purge[e->npurge].nbma = *nbma;
	e->purge[e->npurge].proto = *proto;
	e->npurge++;
}

static void nhrp_cache_unlink(struct nhrp_cache_entry *e)
{
	struct nhrp_cache *c = &e->ifp->cache;
	struct nhrp_cache_entry **pp = &c->buckets[nhrp_cache_slot(c, &e->proto)];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	c->count--;
	c->count_by_type[e->type]--;
}

void nhrp_cache_remove(struct nhrp_cache_entry *e, const char *why)
{
	char a[IPADDR_STRLEN];

	log_debug(LOG_CAT_NHRP, "%s: %s entry %s removed: %s", e->ifp->conf.tun.name,
		  nhrp_cache_type_name(e->type), ipaddr_format(&e->proto, a), why);
	/* A binding we answered for is stale: tell whoever relies on it. */
	if (nhrp_cache_entry_valid(e) || e->type == NHRP_CACHE_LOCAL)
		for (unsigned i = 0; i < e->npurge; i++)
			nhrp_send_purge(e->ifp, e, &e->purge[i]);
	timer_stop(&e->timer);
	nhrp_zebra_entry_removed(e);
	if (nhrp_cache_entry_valid(e))
		nhrp_shortcut_via_gone(e->ifp, &e->proto);
	nhrp_cache_set_type(e, NHRP_CACHE_NEGATIVE); /* not valid: neighbour goes */
	nhrp_cache_neigh_sync(e);
	nhrp_cache_unlink(e);
	free(e);
}

static void nhrp_cache_timer_fn(struct timer *t, void *arg)
{
	struct nhrp_cache_entry *e = arg;
	uint64_t now = clock_now_ms();

	(void)t;
	if (e->type == NHRP_CACHE_INCOMPLETE) {
		nhrp_resolve_retry(e);
		return;
	}
	if (e->type == NHRP_CACHE_CACHED && !e->refresh_checked && e->expires_ms > now) {
		e->refresh_checked = true;
		if (e->last_used_ms >= e->bound_ms) {
			nhrp_resolve_refresh(e);
			nhrp_shortcut_refresh_via(e->ifp, &e->proto);
		}
		timer_start_ms(&e->timer, e->expires_ms - now);
		return;
	}
	nhrp_cache_remove(e, "holding time expired");
}

void nhrp_cache_foreach(struct nhrp_iface *ifp, void (*fn)(struct nhrp_cache_entry *, void *),
			void *arg)
{
	struct nhrp_cache *c = &ifp->cache;

	for (size_t i = 0; i < c->nbuckets; i++)
		for (struct nhrp_cache_entry *e = c->buckets[i]; e; e = e->hnext)
			fn(e, arg);
}

/* Remove every entry; keep_config keeps static, NHS and local ones. */
void nhrp_cache_flush(struct nhrp_iface *ifp, bool keep_config)
{
	struct nhrp_cache *c = &ifp->cache;

	for (size_t i = 0; i < c->nbuckets; i++) {
		struct nhrp_cache_entry *e = c->buckets[i], *next;

		for (; e; e = next) {
			next = e->hnext;
			if (keep_config && e->type >= NHRP_CACHE_NHS)
				continue;
			nhrp_cache_remove(e, "flushed");
		}
	}
}

void nhrp_cache_free(struct nhrp_iface *ifp)
{
	if (!ifp->cache.buckets)
		return;
	nhrp_cache_flush(ifp, false);
	free(ifp->cache.buckets);
	ifp->cache.buckets = NULL;
}
