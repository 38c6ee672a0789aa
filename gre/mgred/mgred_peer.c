/*
 * Per-peer accounting: one entry per NBMA address a tunnel has exchanged
 * packets with. Bounded (MGRED_MAX_PEERS): a flood of spoofed sources costs
 * at most that much memory, and what is past it is counted, not itemized.
 */
#include <stdlib.h>

#include "gre/mgred/mgred.h"

struct mgred_peer *mgred_peer_get(struct mgred_peer_table *pt, const struct ipaddr *nbma,
                                  uint64_t now_ms)
{
	uint32_t b = ipaddr_hash(nbma) % MGRED_PEER_BUCKETS;
	struct mgred_peer *p;

	for (p = pt->buckets[b]; p; p = p->next)
		if (ipaddr_equal(&p->nbma, nbma))
			return p;
	if (pt->count >= MGRED_MAX_PEERS)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nbma = *nbma;
	p->first_seen_ms = now_ms;
	p->next = pt->buckets[b];
	pt->buckets[b] = p;
	pt->count++;
	return p;
}

void mgred_peer_table_clear(struct mgred_peer_table *pt)
{
	for (unsigned b = 0; b < MGRED_PEER_BUCKETS; b++) {
		while (pt->buckets[b]) {
			struct mgred_peer *p = pt->buckets[b];

			pt->buckets[b] = p->next;
			free(p);
		}
	}
	pt->count = 0;
	pt->untracked = 0;
}
