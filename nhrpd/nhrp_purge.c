/*
 * Purges (RFC 2332 5.2.5, 5.2.6). A binding we answered for, or forwarded
 * a request toward, records who was told (nhrp_cache_add_purge_target);
 * when it goes, or moves to another NBMA address, those are sent a Purge
 * Request so that they drop what they cached before its holding time runs
 * out. A subscriber of the cache: the cache says when.
 *
 * A Purge Request we receive drops the bindings its CIEs name, and the
 * shortcuts they cover, and is answered unless N is set.
 */
#include "nhrpd/nhrpd.h"

void nhrp_purge_send(struct nhrp_iface *ifp, const struct nhrp_cache_entry *e,
                     const struct nhrp_purge_target *to)
{
	struct nhrp_packet p;

	nhrp_packet_init(ifp, &p, NHRP_PURGE_REQUEST);
	p.dst_proto = to->proto;
	p.request_id = nhrp_next_request_id(ifp->d);
	p.n_cie = 1;
	p.cie[0].prefix_len = e->prefix_len;
	p.cie[0].proto = e->proto;
	nhrp_packet_add_auth(ifp, &p);
	p.has_extensions = true;
	nhrp_send(ifp, &p, &to->nbma);
}

void nhrp_purge_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)arg;
	/* A binding that goes (ours too: a shortcut may point at it), or a
	 * client that moved: whoever relies on it is out of date. */
	if ((note == NHRP_ENTRY_NOTE_REMOVED &&
	     (nhrp_cache_entry_valid(e) ||
	      (nhrp_cache_entry_bound(e) && e->type == NHRP_CACHE_LOCAL))) ||
	    note == NHRP_ENTRY_NOTE_CHANGED)
		for (unsigned i = 0; i < e->npurge; i++)
			nhrp_purge_send(e->ifp, e, &e->purge[i]);
}

/*
 * RFC 2332 5.2.5: drop the bindings named in the CIEs and answer (unless
 * N is set). Only what we learnt from others can be purged: a client may
 * withdraw its own registration, nobody else's; configuration is never
 * purged.
 */
void nhrp_purge_recv_request(struct nhrp_iface *ifp, struct nhrp_packet *p,
                             const struct ipaddr *from_nbma)
{
	struct nhrp_packet rep;

	if (!nhrp_iface_is_local(ifp, &p->dst_proto)) {
		nhrp_drop(ifp, NHRP_DROP_UNEXPECTED, from_nbma, "purge for another address");
		return;
	}
	for (size_t i = 0; i < p->n_cie; i++) {
		struct nhrp_cache_entry *e = nhrp_cache_get(ifp, &p->cie[i].proto);

		nhrp_shortcut_purge(ifp, &p->cie[i].proto, p->cie[i].prefix_len);
		if (!e || e->type >= NHRP_CACHE_NHS)
			continue;
		if (e->type == NHRP_CACHE_DYNAMIC && !ipaddr_equal(&e->nbma, from_nbma))
			continue;
		nhrp_cache_remove(e, "purged");
	}
	if (p->flags & NHRP_FLAG_PURGE_N)
		return;
	nhrp_packet_reply_from(p, &rep, NHRP_PURGE_REPLY);
	nhrp_send(ifp, &rep, from_nbma);
}
