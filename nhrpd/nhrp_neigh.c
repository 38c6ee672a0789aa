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
 * checked.
 */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

static void nhrp_neigh_msg(struct nhrpd *d, const struct nlmsghdr *h)
{
	const struct ndmsg *nd = NLMSG_DATA(h);
	const struct rtattr *rta;
	struct nhrp_iface *ifp;
	struct ipaddr dst = {0};
	int len;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
		return;
	ifp = nhrp_iface_by_index(d, nd->ndm_ifindex);
	if (!ifp || nd->ndm_family != AF_INET)
		return;
	len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*nd));
	for (rta = (const struct rtattr *)((const char *)nd + NLMSG_ALIGN(sizeof(*nd)));
	     RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == NDA_DST && RTA_PAYLOAD(rta) == 4) {
			dst.family = AF_INET;
			memcpy(&dst.u.v4, RTA_DATA(rta), 4);
		}
	}
	if (!ipaddr_is_set(&dst))
		return;
	nhrp_neigh_solicited(ifp, &dst);
}

static void nhrp_neigh_link_msg(struct nhrpd *d, const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct nhrp_iface *ifp;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	ifp = nhrp_iface_by_index(d, ifi->ifi_index);
	if (ifp)
		nhrp_iface_detach(ifp, "interface deleted");
}

static void nhrp_neigh_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nhrpd *d = w->data;
	static char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	(void)loop;
	(void)revents;
	for (int i = 0; i < 64; i++) {
		n = recv(d->neigh_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			/* ENOBUFS: the kernel dropped notifications; the next
			 * packet for that next hop solicits again. */
			if (errno != ENOBUFS)
				return;
			continue;
		}
		int len = (int)n;

		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; nl_msg_ok(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == RTM_GETNEIGH)
				nhrp_neigh_msg(d, h);
			else if (h->nlmsg_type == RTM_DELLINK)
				nhrp_neigh_link_msg(d, h);
		}
	}
}

int nhrp_neigh_open(struct nhrpd *d)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_NEIGH | RTMGRP_LINK,
	};
	int fd, sz = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
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
	if (d->neigh_fd < 0)
		return;
	ev_io_stop(d->loop, &d->neigh_io);
	close(d->neigh_fd);
	d->neigh_fd = -1;
}
