/*
 * The kernel's neighbour solicitations, over rtnetlink.
 *
 * The overlay interface has app_solicit = 1 and no unicast/multicast
 * solicitations (mgred sets them, as one does for mGRE): for a next hop
 * without a usable neighbour entry the kernel sends an RTM_GETNEIGH
 * message to the RTNLGRP_NEIGH group instead of ARPing. That is the
 * neighbour miss that starts a resolution, and, for an entry in use whose
 * reachable time ran out, the probe that we answer by confirming it.
 * Link deletions tell us that the data plane took the interface away.
 *
 * Messages come from the kernel, but are still parsed with every length
 * checked (lib/nl.c, with libnl's parsers). The socket for route lookups
 * (nhrp_route.c) opens and closes with this one: once per daemon.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <unistd.h>

#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

#define NHRP_NEIGH_RCVBUF (1 << 20)
#define NHRP_NEIGH_BATCH  64 /* datagrams per wakeup: one busy socket must not starve */

static void nhrp_neigh_msg(struct nlmsghdr *h, void *arg)
{
	struct nhrpd *d = arg;
	struct nhrp_iface *ifp;
	struct ipaddr dst;
	int ifindex;

	switch (h->nlmsg_type) {
	case RTM_GETNEIGH:
		if (nlh_neigh_msg_parse(h, &ifindex, &dst) == 0 &&
		    (ifp = nhrp_iface_by_index(d, ifindex)))
			nhrp_resolve_solicited(ifp, &dst);
		break;
	case RTM_DELLINK:
		if (nlh_link_msg_parse(h, &ifindex) == 0 && (ifp = nhrp_iface_by_index(d, ifindex)))
			nhrp_iface_detach(ifp, "interface deleted");
		break;
	default:
		break;
	}
}

/* ENOBUFS (the kernel dropped notifications) is passed over: the next
 * packet for that next hop solicits again. */
static void nhrp_neigh_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	nlh_listen_read(w->fd, NHRP_NEIGH_BATCH, nhrp_neigh_msg, w->data);
}

int nhrp_neigh_open(struct nhrpd *d)
{
	int fd = nlh_listen_open(NETLINK_ROUTE, RTMGRP_NEIGH | RTMGRP_LINK, NHRP_NEIGH_RCVBUF);

	if (fd < 0)
		return -1;
	if (nhrp_route_open(d) < 0) {
		close(fd);
		return -1;
	}
	d->neigh_fd = fd;
	ev_io_init(&d->neigh_io, nhrp_neigh_readable, fd, EV_READ);
	d->neigh_io.data = d;
	ev_io_start(d->loop, &d->neigh_io);
	return 0;
}

void nhrp_neigh_close(struct nhrpd *d)
{
	nhrp_route_close(d);
	if (d->neigh_fd < 0)
		return;
	ev_io_stop(d->loop, &d->neigh_io);
	close(d->neigh_fd);
	d->neigh_fd = -1;
}
