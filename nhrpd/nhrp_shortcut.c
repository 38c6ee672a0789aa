/*
 * Shortcuts, DMVPN phase 3. A hub that forwards a packet back out of the
 * tunnel it came in on sends the source spoke a Traffic Indication; the
 * spoke (with `ip nhrp shortcut`) resolves the packet's destination. The
 * request travels hub-ward and is forwarded to the router whose route for
 * the destination leaves the overlay; that router answers with the
 * prefix of that route and its own overlay and NBMA addresses. The
 * requester binds the egress router's overlay address (a neighbour entry)
 * and installs the prefix via it in zebra: traffic then goes direct.
 *
 * A shortcut lives for the holding time of the answer. While traffic
 * flows through it, its next hop's binding is used, and refreshing that
 * binding refreshes the shortcut; idle, it expires and its route is
 * withdrawn. A purge, or the loss of the next hop's binding, removes it.
 * What happens to the next hop's binding comes as the cache's notes (this
 * file subscribes to them); a resolution this file wants is an entry it
 * asks the cache to resolve.
 */
#include <stdlib.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static bool nhrp_prefix_covers(const struct ipaddr *prefix, uint8_t plen, const struct ipaddr *a)
{
	if (prefix->family != a->family)
		return false;
	for (unsigned i = 0; i < ipaddr_len(a) && plen; i++) {
		unsigned bits = plen >= 8 ? 8 : plen;
		uint8_t mask = (uint8_t)(0xff00 >> bits);

		if ((prefix->u.bytes[i] & mask) != (a->u.bytes[i] & mask))
			return false;
		plen = (uint8_t)(plen - bits);
	}
	return true;
}

const struct nhrp_shortcut *nhrp_shortcut_find(const struct nhrp_iface *ifp,
                                               const struct ipaddr *dst)
{
	for (const struct nhrp_shortcut *sc = ifp->shortcuts; sc; sc = sc->next)
		if (nhrp_prefix_covers(&sc->prefix, sc->plen, dst))
			return sc;
	return NULL;
}

static void nhrp_shortcut_remove(struct nhrp_shortcut *sc, const char *why)
{
	struct nhrp_iface *ifp = sc->ifp;
	struct nhrp_shortcut **pp;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	log_msg(LOG_LVL_INFO, LOG_CAT_NHRP, "%s: shortcut %s/%u via %s removed: %s",
	        ifp->conf.tun.name, ipaddr_format(&sc->prefix, a), sc->plen,
	        ipaddr_format(&sc->via, b), why);
	for (pp = &ifp->shortcuts; *pp; pp = &(*pp)->next)
		if (*pp == sc) {
			*pp = sc->next;
			break;
		}
	ifp->nshortcuts--;
	timer_stop(&sc->timer);
	nhrp_zebra_shortcut_del(sc);
	free(sc);
}

static void nhrp_shortcut_timer_fn(struct timer *t, void *arg)
{
	(void)t;
	nhrp_shortcut_remove(arg, "holding time expired");
}

void nhrp_shortcut_install(struct nhrp_iface *ifp, const struct ipaddr *target, uint8_t plen,
                           const struct ipaddr *via, uint16_t holding_time)
{
	struct ipaddr prefix = *target;
	struct nhrp_shortcut *sc;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	if (plen > ipaddr_len(target) * 8 || !holding_time)
		return;
	nhrp_prefix_mask(&prefix, plen);
	for (sc = ifp->shortcuts; sc; sc = sc->next)
		if (sc->plen == plen && ipaddr_equal(&sc->prefix, &prefix))
			break;
	if (!sc) {
		if (ifp->nshortcuts >= NHRP_MAX_CACHE)
			return;
		sc = calloc(1, sizeof(*sc));
		if (!sc)
			return;
		sc->ifp = ifp;
		sc->prefix = prefix;
		sc->plen = plen;
		sc->created_ms = clock_now_ms();
		timer_init(&sc->timer, ifp->d->loop, nhrp_shortcut_timer_fn, sc);
		sc->next = ifp->shortcuts;
		ifp->shortcuts = sc;
		ifp->nshortcuts++;
		ifp->traffic.shortcuts_installed++;
		log_msg(LOG_LVL_INFO, LOG_CAT_NHRP, "%s: shortcut %s/%u via %s", ifp->conf.tun.name,
		        ipaddr_format(&prefix, a), plen, ipaddr_format(via, b));
	}
	sc->target = *target;
	sc->via = *via;
	sc->holding_time = holding_time;
	sc->expires_ms = clock_now_ms() + (uint64_t)holding_time * 1000;
	timer_start_ms(&sc->timer, (uint64_t)holding_time * 1000);
	nhrp_zebra_shortcut_add(sc);
}

/* Resolve dst for a shortcut, unless one covers it or a request is out. */
void nhrp_shortcut_request(struct nhrp_iface *ifp, const struct ipaddr *dst)
{
	if (!ifp->nnhs || nhrp_shortcut_find(ifp, dst))
		return; /* no one to ask, or already there */
	if (nhrp_cache_get(ifp, dst))
		return; /* under way, known negative, or an overlay address */
	if (!nhrp_cache_resolve(ifp, dst))
		ifp->traffic.dropped[NHRP_DROP_NO_RESOURCES]++;
}

/* The binding of via is in use and being refreshed: so are the shortcuts
 * through it (their targets resolved again). */
static void nhrp_shortcut_refresh_via(struct nhrp_iface *ifp, const struct ipaddr *via)
{
	for (struct nhrp_shortcut *sc = ifp->shortcuts; sc; sc = sc->next) {
		if (!ipaddr_equal(&sc->via, via) || nhrp_cache_get(ifp, &sc->target))
			continue;
		if (!nhrp_cache_resolve(ifp, &sc->target))
			return;
	}
}

/* The binding of via is gone: so are the shortcuts through it. */
static void nhrp_shortcut_via_gone(struct nhrp_iface *ifp, const struct ipaddr *via)
{
	struct nhrp_shortcut *sc = ifp->shortcuts, *next;

	for (; sc; sc = next) {
		next = sc->next;
		if (ipaddr_equal(&sc->via, via))
			nhrp_shortcut_remove(sc, "next hop binding gone");
	}
}

void nhrp_shortcut_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)arg;
	if (note == NHRP_ENTRY_NOTE_REFRESH)
		nhrp_shortcut_refresh_via(e->ifp, &e->proto);
	else if (note == NHRP_ENTRY_NOTE_REMOVED && nhrp_cache_entry_valid(e))
		nhrp_shortcut_via_gone(e->ifp, &e->proto);
}

void nhrp_shortcut_recv_indication(struct nhrp_iface *ifp, struct nhrp_packet *p,
                                   const struct ipaddr *from_nbma)
{
	struct ipaddr dst = {.family = AF_INET};

	if (!ifp->conf.shortcut) {
		nhrp_drop(ifp, NHRP_DROP_UNEXPECTED, from_nbma,
		          "Traffic Indication without 'ip nhrp shortcut'");
		return;
	}
	/* Cisco: the indication carries the head of the packet that went
	 * through the hub; its destination is what to resolve. */
	if (p->payload_len < 20 || (p->payload[0] >> 4) != 4) {
		nhrp_drop(ifp, NHRP_DROP_MALFORMED, from_nbma,
		          "Traffic Indication without an IPv4 header");
		return;
	}
	memcpy(&dst.u.v4, p->payload + 16, 4);
	nhrp_shortcut_request(ifp, &dst);
}

void nhrp_shortcut_purge(struct nhrp_iface *ifp, const struct ipaddr *prefix, uint8_t plen)
{
	struct nhrp_shortcut *sc = ifp->shortcuts, *next;

	for (; sc; sc = next) {
		next = sc->next;
		if (sc->plen >= plen && nhrp_prefix_covers(prefix, plen, &sc->prefix))
			nhrp_shortcut_remove(sc, "purged");
	}
}

void nhrp_shortcut_flush(struct nhrp_iface *ifp)
{
	while (ifp->shortcuts)
		nhrp_shortcut_remove(ifp->shortcuts, "flushed");
}
