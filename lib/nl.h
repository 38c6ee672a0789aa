/*
 * Netlink helpers over libnl-route-3: link, address and neighbour
 * operations; route lookups on one socket; listening sockets and the
 * parsers of what the kernel announces (neighbour solicitations, link
 * deletions, NFLOG packets). Prefix nlh_ keeps them
 * apart from libnl's own nl_ names. The libnl operations return 0 or a
 * negative libnl error, with a reason in nlh_strerror().
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

/* ---------- messages the kernel sends on its own, and one-off requests ---------- */

/*
 * A raw netlink socket, non-blocking, subscribed to groups (RTMGRP_*; 0 for
 * none), with a receive buffer of at least rcvbuf bytes (0: the default).
 * The fd, or -1 with errno set.
 */
int nlh_listen_open(int protocol, uint32_t groups, int rcvbuf);
/*
 * Read what is waiting on a non-blocking netlink socket, at most max_reads
 * datagrams (one busy socket must not starve the loop), and call fn on
 * each message whose header and length check out. A lost notification
 * (ENOBUFS) is skipped: the kernel says so when its queue overflowed.
 */
void nlh_listen_read(int fd, unsigned max_reads, void (*fn)(struct nlmsghdr *h, void *arg),
                     void *arg);

/* A neighbour message (RTM_GETNEIGH: the kernel's solicitation, with
 * app_solicit): its interface and destination. 0, or -1 when it is
 * malformed or has no usable destination. */
int nlh_neigh_msg_parse(struct nlmsghdr *h, int *ifindex, struct ipaddr *dst);
/* A link message (RTM_NEWLINK, RTM_DELLINK): its interface. */
int nlh_link_msg_parse(struct nlmsghdr *h, int *ifindex);

/*
 * NFLOG (nfnetlink_log) on a NETLINK_NETFILTER socket: bind the socket to
 * a group, copying copy_range bytes of each packet, and deliver each
 * logged packet at once (a queue threshold of 1). 0, or -1 with errno.
 */
int nlh_nflog_bind(int fd, uint16_t group, uint32_t copy_range);
/* A logged packet: the interface it came in on, its link-layer source
 * address (len 0 when none) and its head. */
struct nlh_nflog_pkt {
	int indev;
	uint8_t hwaddr[8];
	size_t hwaddr_len;
	const uint8_t *payload; /* points into the message */
	size_t payload_len;
};
/* 0, or -1 when the message is no logged packet or is malformed. */
int nlh_nflog_msg_parse(struct nlmsghdr *h, struct nlh_nflog_pkt *out);

/*
 * Route lookups on a socket opened once: a request is answered by the
 * kernel within the send (rtnetlink answers synchronously), so the answer
 * is read right after it without waiting; it is matched by sequence
 * number, and anything else waiting (the answer to an earlier request
 * that was given up) is drained. The event loop never blocks on it.
 */
struct nlh_req;
struct nlh_req *nlh_req_open(void);
void nlh_req_close(struct nlh_req *q);

struct nlh_route {
	bool found;   /* a unicast or local route */
	uint8_t type; /* RTN_* */
	uint8_t plen; /* prefix length of the matching FIB entry */
	int oif;
	struct ipaddr gateway; /* unset for a connected route */
};
/* RTM_GETROUTE with RTM_F_FIB_MATCH: the FIB entry dst matches (IPv4).
 * 0 (found or not), or a negative errno when the kernel could not say. */
int nlh_route_get(struct nlh_req *q, const struct ipaddr *dst, struct nlh_route *out);
/* The prefix length and interface of local address a, from an
 * RTM_GETADDR dump. 0, or a negative errno (EADDRNOTAVAIL: a is no local
 * address). */
int nlh_addr_prefix(struct nlh_req *q, const struct ipaddr *a, uint8_t *plen, int *ifindex);

#endif
