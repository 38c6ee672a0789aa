/*
 * Netlink helpers over libnl-route-3: the link, address and neighbour
 * operations the data plane backends and nhrpd need. Prefix nlh_ keeps them
 * apart from libnl's own nl_ names. All return 0 or a negative value, and
 * leave a reason in nlh_strerror().
 */
#ifndef DMVPN_NL_H
#define DMVPN_NL_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct nlh;

struct nlh *nlh_open(void);
void nlh_close(struct nlh *h);
const char *nlh_strerror(int err);

int nlh_link_index(struct nlh *h, const char *name);
int nlh_link_get_mtu(struct nlh *h, int ifindex, unsigned *mtu);
/* Change the MTU (0: leave it) and the admin state (-1: leave it). */
int nlh_link_set(struct nlh *h, int ifindex, unsigned mtu, int up);
int nlh_addr_add(struct nlh *h, int ifindex, const struct ipaddr *a, unsigned plen);
/* First address of a family on a link (the primary one). */
int nlh_link_first_addr(struct nlh *h, int ifindex, int family, struct ipaddr *out);
/* Which link holds address a; *ifindex on success. */
int nlh_addr_find_link(struct nlh *h, const struct ipaddr *a, int *ifindex);
/* ip neigh replace DST lladdr LL dev IFINDEX nud permanent|reachable */
int nlh_neigh_replace(struct nlh *h, int ifindex, const struct ipaddr *dst, const uint8_t *lladdr,
		      size_t lladdr_len, int permanent);
int nlh_neigh_delete(struct nlh *h, int ifindex, const struct ipaddr *dst);

/*
 * NLMSG_OK with the comparison done in one signedness: len (what is left
 * of a receive buffer) is an int that NLMSG_NEXT may drive negative, the
 * header's length is unsigned.
 */
static inline bool nl_msg_ok(const struct nlmsghdr *h, int len)
{
	return len >= (int)sizeof(*h) && h->nlmsg_len >= sizeof(*h) &&
	       h->nlmsg_len <= (unsigned)len;
}

#endif
