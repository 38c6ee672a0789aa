/*
 * show dmvpn [detail] [json]: Cisco's peer table. One row per cache entry
 * but our own addresses, grouped by NBMA address (# Ent counts the entries
 * of a peer); entries without an NBMA address (incomplete, negative) are a
 * peer each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nhrpd/nhrpd_show.h"

/* The letter of each cache type (text; JSON has its name). */
static const char nhrpd_show_type_letter[NHRP_CACHE_LOCAL + 1] = {
    [NHRP_CACHE_INCOMPLETE] = 'I', [NHRP_CACHE_NEGATIVE] = 'X', [NHRP_CACHE_CACHED] = 'C',
    [NHRP_CACHE_DYNAMIC] = 'D',    [NHRP_CACHE_NHS] = 'H',      [NHRP_CACHE_STATIC] = 'S',
    [NHRP_CACHE_LOCAL] = 'L',
};

enum nhrpd_show_peer_state { NHRPD_SHOW_PEER_UP, NHRPD_SHOW_PEER_NHRP, NHRPD_SHOW_PEER_NEG };
static const char *const nhrpd_show_state_json[] = {"up", "nhrp", "negative"};
static const char *const nhrpd_show_state_text[] = {"UP", "NHRP", "NEG"};

/* The NHS an NHS entry stands for: its registration decides the state. */
static const struct nhrp_nhs *nhrpd_show_nhs_of(const struct nhrp_iface *ifp,
                                                const struct nhrp_cache_entry *e)
{
	for (unsigned i = 0; e->type == NHRP_CACHE_NHS && i < ifp->nnhs; i++)
		if (ipaddr_equal(&ifp->nhs[i]->conf.proto, &e->proto))
			return ifp->nhs[i];
	return NULL;
}

static void nhrpd_show_peer_json(const struct nhrp_cache_entry *e, enum nhrpd_show_peer_state st,
                                 uint64_t updn, struct nhrpd_show *s)
{
	struct json *j = &s->j;

	json_obj_begin(j);
	nhrpd_show_kv_addr(j, "nbma", &e->nbma);
	nhrpd_show_kv_addr(j, "tunnel", &e->proto);
	json_kv_str(j, "state", nhrpd_show_state_json[st]);
	json_kv_u64(j, "updn", updn);
	json_key(j, "attributes");
	json_arr_begin(j);
	json_str(j, nhrp_cache_type_name(nhrp_cache_entry_type(e)));
	if (e->nat)
		json_str(j, "nat");
	if (e->unique)
		json_str(j, "unique");
	json_arr_end(j);
	nhrpd_show_kv_secs(j, "expires_in", e->expires_ms != 0,
	                   nhrpd_show_until(e->expires_ms, s->now));
	json_obj_end(j);
}

/* One row; group is the # Ent of the first row of an NBMA peer, else 0. */
static void nhrpd_show_peer_text(const struct nhrp_cache_entry *e, enum nhrpd_show_peer_state st,
                                 uint64_t updn, unsigned group, const struct nhrpd_show *s)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN + 4], t[NHRPD_SHOW_TIME_MAX], attr[4];
	size_t na = 0;

	attr[na++] = nhrpd_show_type_letter[nhrp_cache_entry_type(e)];
	if (e->nat)
		attr[na++] = 'N';
	if (e->unique)
		attr[na++] = 'U';
	attr[na] = '\0';
	if (group)
		strbuf_printf(s->o, " %5u %-15s", group, ipaddr_format(&e->nbma, a));
	else
		strbuf_printf(s->o, " %5s %-15s", "", "");
	/* A network (from a resolution reply) shows with its prefix length. */
	ipaddr_format(&e->proto, b);
	if (e->prefix_len != ipaddr_len(&e->proto) * 8)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "/%u", e->prefix_len);
	strbuf_printf(s->o, " %15s %5s %8s %5s\n", b, nhrpd_show_state_text[st],
	              nhrpd_show_time(updn, t), attr);
	if (!(s->opts & NHRPD_SHOW_DETAIL))
		return;
	strbuf_printf(s->o, "       holding time %us, expires %s%s", e->holding_time,
	              e->expires_ms ? nhrpd_show_time(nhrpd_show_until(e->expires_ms, s->now), t)
	                            : "never",
	              e->unique ? ", unique" : "");
	if (ipaddr_is_set(&e->nbma_claimed))
		strbuf_printf(s->o, ", NBMA claimed %s observed %s",
		              ipaddr_format(&e->nbma_claimed, a), ipaddr_format(&e->nbma, b));
	strbuf_puts(s->o, "\n");
}

/* Cisco's State: UP, NHRP while resolving or registering, NEG if negative. */
static void nhrpd_show_peer(const struct nhrp_iface *ifp, const struct nhrp_cache_entry *e,
                            unsigned group, struct nhrpd_show *s)
{
	const struct nhrp_nhs *nhs = nhrpd_show_nhs_of(ifp, e);
	enum nhrpd_show_peer_state st = NHRPD_SHOW_PEER_UP;
	uint64_t since = e->created_ms;

	if (e->state == NHRP_ENTRY_NEGATIVE)
		st = NHRPD_SHOW_PEER_NEG;
	else if (!nhrp_cache_entry_valid(e) || (nhs && nhs->state != NHRP_NHS_UP))
		st = NHRPD_SHOW_PEER_NHRP;
	if (nhs && nhs->state == NHRP_NHS_UP)
		since = nhs->up_since_ms;
	if (s->opts & NHRPD_SHOW_JSON)
		nhrpd_show_peer_json(e, st, nhrpd_show_since(since, s->now), s);
	else
		nhrpd_show_peer_text(e, st, nhrpd_show_since(since, s->now), group, s);
}

/* Entries without an NBMA address (incomplete, negative) are peers each. */
static bool nhrpd_show_same_peer(const struct nhrp_cache_entry *a, const struct nhrp_cache_entry *b)
{
	return ipaddr_is_set(&a->nbma) && ipaddr_equal(&a->nbma, &b->nbma);
}

int nhrpd_show_dmvpn(struct nhrp_iface *ifp, struct nhrpd_show *s)
{
	bool json = s->opts & NHRPD_SHOW_JSON, hub = nhrp_iface_is_server(ifp);
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];
	struct nhrpd_show_entries c;
	size_t peers = 0, i, k;

	if (nhrpd_show_collect(ifp, &c, true) < 0)
		return -1;
	for (i = 0; i < c.n; i++)
		peers += !i || !nhrpd_show_same_peer(c.v[i - 1], c.v[i]);
	if (json) {
		nhrpd_show_json_iface(&s->j, ifp, NULL);
		json_kv_str(&s->j, "type", hub ? "hub" : "spoke");
		nhrpd_show_kv_addr(&s->j, "nbma", &ifp->nbma);
		nhrpd_show_kv_addr(&s->j, "overlay", &ifp->conf.tun.addr);
		json_key(&s->j, "peers");
		json_arr_begin(&s->j);
	} else {
		strbuf_printf(s->o, "Interface: %s, %s NHRP Details\n", ifp->conf.tun.name,
		              ifp->conf.tun.addr.family == AF_INET6 ? "IPv6" : "IPv4");
		strbuf_printf(s->o, "Type:%s, NHRP Peers:%zu, NBMA %s, Overlay %s\n\n",
		              hub ? "Hub" : "Spoke", peers, ipaddr_format(&ifp->nbma, a),
		              ipaddr_format(&ifp->conf.tun.addr, b));
		strbuf_puts(s->o, " # Ent Peer NBMA Addr  Peer Tunnel Add State  UpDn Tm Attrb\n"
		                  " ----- --------------- --------------- ----- -------- -----\n");
	}
	for (i = 0; i < c.n; i = k) {
		for (k = i + 1; k < c.n && nhrpd_show_same_peer(c.v[i], c.v[k]); k++)
			;
		for (size_t m = i; m < k; m++)
			nhrpd_show_peer(ifp, c.v[m], m == i ? (unsigned)(k - i) : 0, s);
	}
	if (json) {
		json_arr_end(&s->j);
		json_obj_end(&s->j);
	} else {
		strbuf_puts(s->o, "\n");
	}
	free(c.v);
	return 0;
}
