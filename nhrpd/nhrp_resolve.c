/*
 * Address resolution (RFC 2332 5.2.1, 5.2.2) and how it is triggered.
 *
 * The kernel asks for the lladdr of an overlay next hop it has no
 * neighbour entry for (an application solicitation, mGRE style). A spoke
 * then sends a Resolution Request to its NHS. The hub forwards it to the
 * client that registered the address (adding itself to the Forward
 * Transit NHS Record, refusing loops and exhausted hop counts); that
 * client answers the requester directly, and learns the requester's
 * binding from the request as it does (Cisco DMVPN phase 2), so both ends
 * get a neighbour entry and traffic goes spoke to spoke. The hub answers
 * itself for addresses it holds statically, and negatively for addresses
 * nobody registered; a negative answer is kept for a few seconds so that
 * the kernel's retries do not become a storm.
 *
 * A binding learnt this way is refreshed while it is used: the kernel
 * re-solicits an entry it is using once its reachable time runs out, and
 * an entry used since it was bound is re-resolved at two thirds of its
 * holding time (nhrp_cache_fsm.c decides when; this file, a subscriber of
 * the cache, sends the requests it asks for: first, retries, refreshes).
 */
#include <net/if.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static struct nhrp_nhs *nhrp_resolve_pick_nhs(struct nhrp_iface *ifp)
{
	for (unsigned i = 0; i < ifp->nnhs; i++)
		if (ifp->nhs[i]->state == NHRP_NHS_UP)
			return ifp->nhs[i];
	return ifp->nnhs ? ifp->nhs[0] : NULL;
}

/* A Resolution Request for e, with the request id the cache gave it. */
static void nhrp_resolve_send(struct nhrp_iface *ifp, const struct nhrp_cache_entry *e)
{
	struct nhrp_nhs *n = nhrp_resolve_pick_nhs(ifp);
	struct nhrp_packet p;
	struct nhrp_cie *cie;

	if (!n)
		return;
	nhrp_packet_init(ifp, &p, NHRP_RESOLUTION_REQUEST);
	p.dst_proto = e->proto;
	p.flags = NHRP_FLAG_RES_Q; /* we are a router (RFC 2332 5.2.1) */
	if (!ifp->conf.no_unique)
		p.flags |= NHRP_FLAG_RES_U;
	p.request_id = e->request_id;
	/* Our own binding, for the responder to cache (5.2.1). */
	p.n_cie = 1;
	cie = &p.cie[0];
	cie->prefix_len = nhrp_host_plen(&ifp->conf.tun.addr);
	cie->holding_time = nhrp_iface_holdtime(ifp);
	cie->mtu = nhrp_iface_mtu(ifp);
	nhrp_packet_add_request_exts(ifp, &p);
	nhrp_send(ifp, &p, &n->conf.nbma);
}

void nhrp_resolve_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)arg;
	if (note == NHRP_ENTRY_NOTE_RESOLVE || note == NHRP_ENTRY_NOTE_REFRESH)
		nhrp_resolve_send(e->ifp, e);
}

void nhrp_resolve_start(struct nhrp_iface *ifp, const struct ipaddr *proto)
{
	if (!nhrp_resolve_pick_nhs(ifp))
		return; /* a hub knows all it can know: no one to ask */
	if (!nhrp_cache_resolve(ifp, proto))
		ifp->traffic.dropped[NHRP_DROP_NO_RESOURCES]++;
}

void nhrp_resolve_solicited(struct nhrp_iface *ifp, const struct ipaddr *proto)
{
	struct nhrp_cache_entry *e = nhrp_cache_get(ifp, proto);

	if (!e) {
		nhrp_resolve_start(ifp, proto);
		return;
	}
	/* Remember the use (the entry is refreshed if used); a binding is
	 * confirmed to the kernel, which stops probing. Incomplete: under way;
	 * negative: wait it out. */
	nhrp_cache_used(e);
}

/* Learn the requester's binding from its request (RFC 2332 5.2.1: the
 * responder may cache the source's binding for the CIE's holding time). */
static void nhrp_resolve_learn_requester(struct nhrp_iface *ifp, const struct nhrp_packet *p)
{
	const struct nhrp_ext *nat = nhrp_packet_ext((struct nhrp_packet *)p, NHRP_EXT_NAT_ADDRESS);
	const struct ipaddr *nbma = &p->src_nbma;
	uint16_t hold = p->n_cie ? p->cie[0].holding_time : 0;
	const struct nhrp_cache_entry *e;

	/* The NHS saw the requester's real address: trust it over the claim. */
	if (nat && nat->n_cie && ipaddr_is_set(&nat->cie[0].nbma) &&
	    ipaddr_equal(&nat->cie[0].proto, &p->src_proto))
		nbma = &nat->cie[0].nbma;
	if (!hold)
		hold = nhrp_iface_holdtime(ifp);
	e = nhrp_cache_get(ifp, &p->src_proto);
	if (e && e->type > NHRP_CACHE_CACHED)
		return; /* registered, configured or ours: keep it */
	nhrp_cache_bind(
	    ifp, &p->src_proto,
	    &(struct nhrp_binding){.type = NHRP_CACHE_CACHED, .nbma = *nbma, .holding_time = hold});
}

/* Answer a request for an address we hold (ours, or a static map on a
 * server), straight to the requester. */
static void nhrp_resolve_answer(struct nhrp_iface *ifp, const struct nhrp_packet *req,
                                struct nhrp_cache_entry *e, const struct ipaddr *to_nbma)
{
	struct nhrp_packet rep;
	struct nhrp_cie *cie;

	nhrp_packet_reply_from(req, &rep, NHRP_RESOLUTION_REPLY);
	rep.flags |= NHRP_FLAG_RES_A; /* authoritative: we own or configured it */
	rep.n_cie = 1;
	cie = &rep.cie[0];
	memset(cie, 0, sizeof(*cie));
	cie->prefix_len = nhrp_host_plen(&e->proto);
	cie->holding_time = nhrp_iface_holdtime(ifp);
	cie->mtu = nhrp_iface_mtu(ifp);
	cie->nbma = e->type == NHRP_CACHE_LOCAL ? ifp->nbma : e->nbma;
	cie->proto = e->proto;
	nhrp_packet_fill_responder(ifp, &rep);
	nhrp_cache_add_purge_target(e, to_nbma, &req->src_proto);
	nhrp_send(ifp, &rep, to_nbma);
}

static void nhrp_resolve_nak(struct nhrp_iface *ifp, const struct nhrp_packet *req,
                             const struct ipaddr *to_nbma)
{
	struct nhrp_packet rep;

	nhrp_packet_reply_from(req, &rep, NHRP_RESOLUTION_REPLY);
	rep.n_cie = 1;
	memset(&rep.cie[0], 0, sizeof(rep.cie[0]));
	rep.cie[0].code = NHRP_CODE_NO_BINDING;
	rep.cie[0].prefix_len = nhrp_host_plen(&req->dst_proto);
	rep.cie[0].proto = req->dst_proto;
	nhrp_packet_fill_responder(ifp, &rep);
	nhrp_send(ifp, &rep, to_nbma);
}

/* RFC 2332 5.3.1: a transit NHS adds itself to the Forward Transit NHS
 * Record; finding itself there already means a loop (5.3.1, 5.2.7). */
static int nhrp_resolve_forward(struct nhrp_iface *ifp, struct nhrp_packet *p, const uint8_t *pkt,
                                size_t len, const struct ipaddr *from, const struct ipaddr *to)
{
	struct nhrp_ext *fwd = nhrp_packet_ext(p, NHRP_EXT_FORWARD_TRANSIT);
	struct nhrp_cie *cie;

	if (p->hop_count <= 1) {
		nhrp_drop(ifp, NHRP_DROP_HOP_COUNT, from, "hop count exhausted");
		nhrp_send_error(ifp, pkt, len, p, NHRP_ERR_HOP_COUNT_EXCEEDED, 0, from);
		return -1;
	}
	if (fwd) {
		for (size_t i = 0; i < fwd->n_cie; i++)
			if (ipaddr_equal(&fwd->cie[i].proto, &ifp->conf.tun.addr)) {
				nhrp_drop(ifp, NHRP_DROP_LOOP, from,
				          "we are in the transit record");
				nhrp_send_error(ifp, pkt, len, p, NHRP_ERR_LOOP_DETECTED, 0, from);
				return -1;
			}
		if (fwd->n_cie == NHRP_MAX_EXT_CIE) {
			nhrp_drop(ifp, NHRP_DROP_HOP_COUNT, from, "transit record full");
			return -1;
		}
		cie = &fwd->cie[fwd->n_cie++];
		memset(cie, 0, sizeof(*cie));
		cie->prefix_len = nhrp_host_plen(&ifp->conf.tun.addr);
		cie->holding_time = nhrp_iface_holdtime(ifp);
		cie->mtu = nhrp_iface_mtu(ifp);
		cie->nbma = ifp->nbma;
		cie->proto = ifp->conf.tun.addr;
	}
	/* Tell the responder where the requester really is (Cisco NAT ext). */
	struct nhrp_ext *nat = nhrp_packet_ext(p, NHRP_EXT_NAT_ADDRESS);
	if (nat && nat->n_cie == 0 && !ipaddr_equal(from, &p->src_nbma)) {
		struct nhrp_cache_entry *src = nhrp_cache_get(ifp, &p->src_proto);

		if (src && src->type == NHRP_CACHE_DYNAMIC) {
			nat->n_cie = 1;
			memset(&nat->cie[0], 0, sizeof(nat->cie[0]));
			nat->cie[0].prefix_len = nhrp_host_plen(&p->src_proto);
			nat->cie[0].nbma = src->nbma;
			nat->cie[0].proto = p->src_proto;
		}
	}
	p->hop_count--;
	if (nhrp_send(ifp, p, to) < 0)
		return -1;
	ifp->traffic.forwarded[NHRP_RESOLUTION_REQUEST]++;
	return 0;
}

/*
 * DMVPN phase 3: we are the egress for an address that is no overlay
 * address when our route for it leaves the overlay (a LAN, not the
 * underlay, not a default route). Answer with that route's prefix and our
 * own overlay and NBMA addresses: the requester routes the prefix via us.
 */
static bool nhrp_resolve_egress_answer(struct nhrp_iface *ifp, const struct nhrp_packet *req,
                                       const struct nlh_route *ri)
{
	struct nhrp_cache_entry *local = nhrp_cache_get(ifp, &ifp->conf.tun.addr);
	struct nhrp_packet rep;
	struct nhrp_cie *cie;
	struct ipaddr to = req->src_nbma;

	if (!local || !ri->found || ri->plen == 0 || ri->oif == ifp->ifindex)
		return false;
	if (ri->oif > 0 && ifp->conf.tun.source_dev[0] &&
	    ri->oif == (int)if_nametoindex(ifp->conf.tun.source_dev))
		return false; /* the underlay: not ours to offer */
	nhrp_resolve_learn_requester(ifp, req);
	nhrp_packet_reply_from(req, &rep, NHRP_RESOLUTION_REPLY);
	rep.flags |= NHRP_FLAG_RES_A;
	rep.n_cie = 1;
	cie = &rep.cie[0];
	memset(cie, 0, sizeof(*cie));
	cie->prefix_len = ri->plen;
	cie->holding_time = nhrp_iface_holdtime(ifp);
	cie->mtu = nhrp_iface_mtu(ifp);
	cie->nbma = ifp->nbma;
	cie->proto = ifp->conf.tun.addr;
	nhrp_packet_fill_responder(ifp, &rep);
	/* Purging our local binding must also purge this shortcut. */
	nhrp_cache_add_purge_target(local, &to, &req->src_proto);
	nhrp_send(ifp, &rep, &to);
	return true;
}

void nhrp_resolve_recv_request(struct nhrp_iface *ifp, struct nhrp_packet *p, const uint8_t *pkt,
                               size_t len, const struct ipaddr *from_nbma)
{
	struct nhrp_cache_entry *e = nhrp_cache_get(ifp, &p->dst_proto);
	nhrp_route_lookup_fn lookup =
	    ifp->d->route_lookup ? ifp->d->route_lookup : nhrp_route_lookup;
	struct nlh_route ri;
	struct nhrp_nhs *n;

	if (nhrp_iface_is_local(ifp, &p->src_proto)) {
		nhrp_drop(ifp, NHRP_DROP_LOOP, from_nbma, "our own request came back");
		return;
	}
	if (e && e->type == NHRP_CACHE_LOCAL) {
		/* For us: we are the authority. The requester goes direct. */
		nhrp_resolve_learn_requester(ifp, p);
		e = nhrp_cache_get(ifp, &p->dst_proto);
		if (e)
			nhrp_resolve_answer(ifp, p, e, &p->src_nbma);
		return;
	}
	if (e && e->type == NHRP_CACHE_DYNAMIC) {
		/* Its owner answers (and learns the requester): forward. */
		if (nhrp_resolve_forward(ifp, p, pkt, len, from_nbma, &e->nbma) == 0)
			nhrp_cache_add_purge_target(e, from_nbma, &p->src_proto);
		return;
	}
	if (e && e->type == NHRP_CACHE_STATIC) {
		nhrp_resolve_answer(ifp, p, e, from_nbma);
		return;
	}
	/* Not an overlay address we know: where does our route send it? */
	if (lookup(ifp->d, &p->dst_proto, &ri) == 0 && ri.found) {
		if (ri.oif == ifp->ifindex) {
			const struct ipaddr *nh = ipaddr_is_set(&ri.gateway) ? &ri.gateway : NULL;
			struct nhrp_cache_entry *ne = nh ? nhrp_cache_get(ifp, nh) : NULL;

			/* Over the overlay to a client of ours: it is the egress. */
			if (ne && ne->type == NHRP_CACHE_DYNAMIC) {
				if (nhrp_resolve_forward(ifp, p, pkt, len, from_nbma, &ne->nbma) ==
				    0)
					nhrp_cache_add_purge_target(ne, from_nbma, &p->src_proto);
				return;
			}
		} else if (nhrp_resolve_egress_answer(ifp, p, &ri)) {
			return;
		}
	}
	/* Not ours to answer: up the hierarchy, or nobody has it. */
	n = nhrp_resolve_pick_nhs(ifp);
	if (n && !ipaddr_equal(&n->conf.nbma, from_nbma)) {
		nhrp_resolve_forward(ifp, p, pkt, len, from_nbma, &n->conf.nbma);
		return;
	}
	nhrp_resolve_nak(ifp, p, from_nbma);
}

/* Bind the egress router named by a route answer, and route via it. */
static void nhrp_resolve_bind_egress(struct nhrp_iface *ifp, const struct nhrp_packet *p,
                                     const struct nhrp_cie *cie, const struct ipaddr *from_nbma)
{
	const struct nhrp_ext *resp =
	    nhrp_packet_ext((struct nhrp_packet *)p, NHRP_EXT_RESPONDER_ADDRESS);
	uint16_t hold = cie->holding_time ? cie->holding_time : nhrp_iface_holdtime(ifp);
	struct nhrp_cache_entry *via = nhrp_cache_get(ifp, &cie->proto);
	struct ipaddr nbma = cie->nbma;
	bool nat = false;

	if (cie->proto.family != ifp->conf.tun.addr.family || nhrp_iface_is_local(ifp, &cie->proto))
		return;
	if (resp && resp->n_cie && ipaddr_equal(&resp->cie[0].proto, &cie->proto) &&
	    !ipaddr_equal(from_nbma, &cie->nbma)) {
		nat = true;
		nbma = *from_nbma;
	}
	if (!via || via->type <= NHRP_CACHE_CACHED)
		nhrp_cache_bind(
		    ifp, &cie->proto,
		    &(struct nhrp_binding){.type = NHRP_CACHE_CACHED,
		                           .nbma = nbma,
		                           .holding_time = hold,
		                           .given = NHRP_BIND_PEER,
		                           .nat = nat,
		                           .nbma_claimed = nat ? cie->nbma : (struct ipaddr){0},
		                           .mtu = cie->mtu});
	nhrp_shortcut_install(ifp, &p->dst_proto, cie->prefix_len, &cie->proto, hold);
}

void nhrp_resolve_recv_reply(struct nhrp_iface *ifp, struct nhrp_packet *p,
                             const struct ipaddr *from_nbma)
{
	struct nhrp_cache_entry *e = nhrp_cache_get(ifp, &p->dst_proto);
	const struct nhrp_cie *cie = p->n_cie ? &p->cie[0] : NULL;
	const struct nhrp_ext *resp;
	struct nhrp_binding b;

	if (!nhrp_iface_is_local(ifp, &p->src_proto) || !e || !e->request_id ||
	    e->request_id != p->request_id || !cie) {
		nhrp_drop(ifp, NHRP_DROP_UNEXPECTED, from_nbma,
		          "resolution reply nobody asked for");
		return;
	}
	if (cie->code != NHRP_CODE_SUCCESS || !ipaddr_is_set(&cie->nbma)) {
		nhrp_cache_nak(e);
		return;
	}
	/* A route answer (phase 3): the CIE names the egress router. */
	if (ipaddr_is_set(&cie->proto) && !ipaddr_equal(&cie->proto, &p->dst_proto)) {
		nhrp_resolve_bind_egress(ifp, p, cie, from_nbma);
		nhrp_cache_remove(e, "resolved to a shortcut");
		return;
	}
	b = (struct nhrp_binding){
	    .type = NHRP_CACHE_CACHED,
	    .nbma = cie->nbma,
	    .holding_time = cie->holding_time ? cie->holding_time : nhrp_iface_holdtime(ifp),
	    .given = NHRP_BIND_PEER | NHRP_BIND_PREFIX,
	    .mtu = cie->mtu,
	    .prefix_len = cie->prefix_len,
	};
	/* The owner answered itself from an address other than it claims:
	 * it is behind NAT, and that address is the one that works. */
	resp = nhrp_packet_ext(p, NHRP_EXT_RESPONDER_ADDRESS);
	if (resp && resp->n_cie && ipaddr_equal(&resp->cie[0].proto, &p->dst_proto) &&
	    !ipaddr_equal(from_nbma, &cie->nbma)) {
		b.nbma_claimed = cie->nbma;
		b.nat = true;
		b.nbma = *from_nbma;
	}
	nhrp_cache_bind(ifp, &p->dst_proto, &b);
}
