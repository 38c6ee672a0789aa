/*
 * Next-hop server: Registration Requests (RFC 2332 5.2.3, 5.2.4).
 *
 * A registration binds the client's protocol address to the NBMA address
 * the request came from (which differs from the one it claims when it is
 * behind NAT: Cisco's NAT extension tells it so in the reply). A unique
 * binding, or a unique request, is never overwritten by another NBMA
 * address: the request is refused with "unique address already
 * registered" and the existing binding stays. A client that is not
 * unique may move: its binding is changed, and whoever we told of the old
 * one is purged (nhrp_purge.c, as the cache notes the change).
 *
 * The holding time granted is the client's, capped by ours (`ip nhrp
 * holdtime`), as Cisco's hubs do: the reply's CIE says how long the
 * binding is valid (RFC 2332 5.2.0.1), so a hub whose holding time was
 * lowered grants the lower one at the next registration, and the client
 * refreshes accordingly. A refusal carries 0 (5.2.0.1: "set to 0 on a
 * NAK").
 */
#include <string.h>

#include "nhrpd/nhrpd.h"

/* Decide one CIE of a registration; returns its reply code, and the
 * holding time granted in *granted. */
static uint8_t nhrp_server_register_one(struct nhrp_iface *ifp, const struct nhrp_packet *p,
                                        const struct nhrp_cie *cie, const struct ipaddr *from_nbma,
                                        uint16_t *granted)
{
	const struct ipaddr *proto = ipaddr_is_set(&cie->proto) ? &cie->proto : &p->src_proto;
	const struct ipaddr *claimed = ipaddr_is_set(&cie->nbma) ? &cie->nbma : &p->src_nbma;
	bool unique = p->flags & NHRP_FLAG_REG_U;
	struct nhrp_cache_entry *e;
	struct nhrp_binding binding;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	if (proto->family != ifp->conf.tun.addr.family)
		return NHRP_CODE_ADMIN_PROHIBITED;
	/* A client registers its own address, not someone else's. */
	if (!ipaddr_equal(proto, &p->src_proto))
		return NHRP_CODE_ADMIN_PROHIBITED;
	e = nhrp_cache_get(ifp, proto);
	if (e && e->type >= NHRP_CACHE_NHS)
		return NHRP_CODE_ADMIN_PROHIBITED; /* ours, a static map or an NHS */
	if (e && e->type == NHRP_CACHE_DYNAMIC && !ipaddr_equal(&e->nbma, from_nbma) &&
	    (e->unique || unique)) {
		log_msg_rl(&ifp->rl, LOG_LVL_WARN, LOG_CAT_NHRP,
		           "%s: %s from %s refused: registered uniquely from %s",
		           ifp->conf.tun.name, ipaddr_format(proto, a), ipaddr_format(from_nbma, b),
		           ipaddr_format(&e->nbma, (char[IPADDR_STRLEN]){0}));
		return NHRP_CODE_UNIQUE_ALREADY_REGISTERED;
	}
	*granted = cie->holding_time < nhrp_iface_holdtime(ifp) ? cie->holding_time
	                                                        : nhrp_iface_holdtime(ifp);
	if (cie->holding_time == 0) {
		/* Holding time 0: the client withdraws its registration. */
		if (e && e->type == NHRP_CACHE_DYNAMIC)
			nhrp_cache_remove(e, "deregistered");
		return NHRP_CODE_SUCCESS;
	}
	if (!e || e->type != NHRP_CACHE_DYNAMIC)
		log_msg(LOG_LVL_INFO, LOG_CAT_NHRP, "%s: %s registered from %s", ifp->conf.tun.name,
		        ipaddr_format(proto, a), ipaddr_format(from_nbma, b));
	binding = (struct nhrp_binding){
	    .type = NHRP_CACHE_DYNAMIC,
	    .nbma = *from_nbma,
	    .holding_time = *granted,
	    .given = NHRP_BIND_PEER,
	    .unique = unique,
	    .nat = !ipaddr_equal(claimed, from_nbma),
	    .mtu = cie->mtu,
	};
	if (binding.nat)
		binding.nbma_claimed = *claimed;
	if (!nhrp_cache_bind(ifp, proto, &binding))
		return NHRP_CODE_INSUFFICIENT_RESOURCES;
	return NHRP_CODE_SUCCESS;
}

void nhrp_server_recv_registration(struct nhrp_iface *ifp, struct nhrp_packet *p,
                                   const struct ipaddr *from_nbma)
{
	struct nhrp_packet rep;
	struct nhrp_ext *nat;

	if (!nhrp_iface_is_local(ifp, &p->dst_proto)) {
		nhrp_drop(ifp, NHRP_DROP_NOT_SERVER, from_nbma, "registration for another server");
		return;
	}
	if (p->n_cie == 0) {
		nhrp_drop(ifp, NHRP_DROP_MALFORMED, from_nbma, "registration without a CIE");
		return;
	}
	nhrp_packet_reply_from(p, &rep, NHRP_REGISTRATION_REPLY);
	for (size_t i = 0; i < p->n_cie; i++) {
		uint16_t granted = 0;

		rep.cie[i].code = nhrp_server_register_one(ifp, p, &p->cie[i], from_nbma, &granted);
		rep.cie[i].holding_time = rep.cie[i].code == NHRP_CODE_SUCCESS ? granted : 0;
	}
	nhrp_packet_fill_responder(ifp, &rep);
	/* Cisco NAT extension: tell the client the address we saw. */
	nat = nhrp_packet_ext(&rep, NHRP_EXT_NAT_ADDRESS);
	if (nat) {
		memset(nat->cie, 0, sizeof(nat->cie[0]));
		nat->n_cie = 1;
		nat->cie[0].prefix_len = (uint8_t)(ipaddr_len(&p->src_proto) * 8);
		nat->cie[0].nbma = *from_nbma;
		nat->cie[0].proto = p->src_proto;
	}
	nhrp_send(ifp, &rep, from_nbma);
}
