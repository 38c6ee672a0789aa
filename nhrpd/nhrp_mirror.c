/*
 * The cache mirrored into the overlay interface's neighbour table, through
 * the data plane: what makes the kernel send to the right NBMA address. A
 * subscriber of the cache: every binding to a peer is set (again at each
 * renewal, and when the kernel asks for it, which confirms it and stops
 * its probing), and deleted with its entry. Static maps and NHSes are
 * permanent neighbours; learnt ones age in the kernel and are asked for
 * again while used (lib/nl.c: nlh_neigh_replace).
 */
#include <errno.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static void nhrp_mirror_set(struct nhrp_cache_entry *e)
{
	bool permanent = e->type == NHRP_CACHE_STATIC || e->type == NHRP_CACHE_NHS;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	if (!nhrp_cache_entry_valid(e) || !ipaddr_is_set(&e->nbma))
		return;
	if (dp_neigh_set(e->ifp->dp, &e->proto, &e->nbma, permanent) == 0)
		e->neigh_installed = true;
	else
		log_warn("%s: neighbour %s -> %s not installed: %s", e->ifp->conf.tun.name,
		         ipaddr_format(&e->proto, a), ipaddr_format(&e->nbma, b), strerror(errno));
}

void nhrp_mirror_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg)
{
	(void)arg;
	if (!e->ifp->dp)
		return; /* detached: the neighbour table went with the interface */
	switch (note) {
	case NHRP_ENTRY_NOTE_BOUND:
	case NHRP_ENTRY_NOTE_CHANGED:
	case NHRP_ENTRY_NOTE_RENEWED:
	case NHRP_ENTRY_NOTE_USED:
		nhrp_mirror_set(e);
		break;
	case NHRP_ENTRY_NOTE_REMOVED:
		if (e->neigh_installed)
			dp_neigh_del(e->ifp->dp, &e->proto);
		e->neigh_installed = false;
		break;
	case NHRP_ENTRY_NOTE_RESOLVE:
	case NHRP_ENTRY_NOTE_REFRESH:
		break;
	}
}
