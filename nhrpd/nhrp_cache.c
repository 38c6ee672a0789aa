/*
 * The NHRP cache of one interface: overlay (protocol) address -> NBMA
 * address, with the holding time the binding was granted for (RFC 2332
 * 5.2.0.1). This file is its storage: a hash table that grows with a
 * hub's thousands of spokes, the subscribers an interface wires to it,
 * and the records of who was told about a binding (RFC 2332 5.2.5).
 *
 * What happens to an entry is nhrp_cache_fsm.c's: the state machine, the
 * entry's timer, and the notes to the subscribers (the data plane's
 * neighbour table, zebra, shortcuts, purges, resolution), which the cache
 * calls without knowing them.
 */
#include <stdlib.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static const char *const nhrp_cache_type_names[] = {
    [NHRP_CACHE_INCOMPLETE] = "incomplete",
    [NHRP_CACHE_NEGATIVE] = "negative",
    [NHRP_CACHE_CACHED] = "cached",
    [NHRP_CACHE_DYNAMIC] = "dynamic",
    [NHRP_CACHE_NHS] = "nhs",
    [NHRP_CACHE_STATIC] = "static",
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

int nhrp_cache_subscribe(struct nhrp_cache *c, nhrp_cache_note_fn fn, void *arg)
{
	if (c->nsubs == NHRP_CACHE_MAX_SUBSCRIBERS)
		return -1;
	c->subs[c->nsubs].fn = fn;
	c->subs[c->nsubs].arg = arg;
	c->nsubs++;
	return 0;
}

void nhrp_cache_notify(struct nhrp_cache_entry *e, enum nhrp_entry_note note)
{
	struct nhrp_cache *c = &e->ifp->cache;

	if (note == NHRP_ENTRY_NOTE_REMOVED) {
		for (unsigned i = c->nsubs; i-- > 0;)
			c->subs[i].fn(e, note, c->subs[i].arg);
		return;
	}
	for (unsigned i = 0; i < c->nsubs; i++)
		c->subs[i].fn(e, note, c->subs[i].arg);
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

bool nhrp_cache_entry_bound(const struct nhrp_cache_entry *e)
{
	return e->state == NHRP_ENTRY_BOUND || e->state == NHRP_ENTRY_REFRESHING ||
	       e->state == NHRP_ENTRY_EXPIRING;
}

bool nhrp_cache_entry_valid(const struct nhrp_cache_entry *e)
{
	return nhrp_cache_entry_bound(e) && e->type != NHRP_CACHE_LOCAL;
}

enum nhrp_cache_type nhrp_cache_entry_type(const struct nhrp_cache_entry *e)
{
	if (nhrp_cache_entry_bound(e))
		return e->type;
	return e->state == NHRP_ENTRY_NEGATIVE ? NHRP_CACHE_NEGATIVE : NHRP_CACHE_INCOMPLETE;
}

struct nhrp_cache_entry *nhrp_cache_new(struct nhrp_iface *ifp, const struct ipaddr *proto)
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
	e->state = NHRP_ENTRY_NEW;
	e->type = NHRP_CACHE_CACHED; /* what a resolution would bind */
	e->proto = *proto;
	e->prefix_len = nhrp_host_plen(proto);
	e->created_ms = clock_now_ms();
	s = nhrp_cache_slot(c, proto);
	e->hnext = c->buckets[s];
	c->buckets[s] = e;
	c->count++;
	return e;
}

void nhrp_cache_unlink_free(struct nhrp_cache_entry *e)
{
	struct nhrp_cache *c = &e->ifp->cache;
	struct nhrp_cache_entry **pp = &c->buckets[nhrp_cache_slot(c, &e->proto)];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	c->count--;
	free(e);
}

void nhrp_cache_add_purge_target(struct nhrp_cache_entry *e, const struct ipaddr *nbma,
                                 const struct ipaddr *proto)
{
	for (unsigned i = 0; i < e->npurge; i++)
		if (ipaddr_equal(&e->purge[i].nbma, nbma) &&
		    ipaddr_equal(&e->purge[i].proto, proto))
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

void nhrp_cache_foreach(struct nhrp_iface *ifp, void (*fn)(struct nhrp_cache_entry *, void *),
                        void *arg)
{
	struct nhrp_cache *c = &ifp->cache;

	for (size_t i = 0; i < c->nbuckets; i++)
		for (struct nhrp_cache_entry *e = c->buckets[i]; e; e = e->hnext)
			fn(e, arg);
}
