/*
 * The data plane interface over both backends. Only the userspace one is
 * implemented; the kernel backend (ip_gre + XFRM via libnl) is refused with
 * ENOSYS rather than pretended.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gre/dataplane.h"
#include "gre/gre_codec.h"
#include "gre/mgre_lladdr.h"
#include "lib/nl.h"

struct dp_tunnel {
	enum dp_backend backend;
	char ifname[IFNAMSIZ];
	int ifindex;
	struct nlh *nl;
	int nhrp_fd;
};

const char *dp_backend_name(enum dp_backend b)
{
	return b == DP_BACKEND_KERNEL ? "kernel" : "userspace";
}

int dp_backend_from_name(const char *name)
{
	if (!strcmp(name, "userspace"))
		return DP_BACKEND_USERSPACE;
	if (!strcmp(name, "kernel"))
		return DP_BACKEND_KERNEL;
	return -1;
}

struct dp_tunnel *dp_tunnel_open(enum dp_backend backend, const char *ifname)
{
	struct dp_tunnel *t;

	if (backend != DP_BACKEND_USERSPACE) {
		errno = ENOSYS; /* the kernel backend is not written yet */
		return NULL;
	}
	if (strlen(ifname) >= IFNAMSIZ) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->backend = backend;
	t->nhrp_fd = -1;
	strcpy(t->ifname, ifname);
	t->ifindex = (int)if_nametoindex(ifname);
	t->nl = nlh_open();
	if (t->ifindex <= 0 || !t->nl) {
		int err = t->ifindex <= 0 ? ENODEV : ENOMEM;

		dp_tunnel_close(t);
		errno = err;
		return NULL;
	}
	return t;
}

void dp_tunnel_close(struct dp_tunnel *t)
{
	if (!t)
		return;
	if (t->nhrp_fd >= 0)
		close(t->nhrp_fd);
	nlh_close(t->nl);
	free(t);
}

int dp_tunnel_ifindex(const struct dp_tunnel *t)
{
	return t->ifindex;
}

static int dp_lladdr(const struct ipaddr *nbma, uint8_t mac[MGRE_LLADDR_LEN])
{
	if (nbma->family != AF_INET) {
		errno = EAFNOSUPPORT; /* IPv6 NBMA handles come with the IPv6 underlay */
		return -1;
	}
	mgre_lladdr_from_ipv4(nbma->u.v4, mac);
	return 0;
}

int dp_neigh_set(struct dp_tunnel *t, const struct ipaddr *overlay, const struct ipaddr *nbma,
		 bool permanent)
{
	uint8_t mac[MGRE_LLADDR_LEN];
	int err;

	if (dp_lladdr(nbma, mac) < 0)
		return -1;
	err = nlh_neigh_replace(t->nl, t->ifindex, overlay, mac, sizeof(mac), permanent);
	if (err < 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int dp_neigh_del(struct dp_tunnel *t, const struct ipaddr *overlay)
{
	if (nlh_neigh_delete(t->nl, t->ifindex, overlay) < 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int dp_nhrp_fd(struct dp_tunnel *t)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(GRE_PROTO_NHRP),
		.sll_ifindex = t->ifindex,
	};
	int fd;

	if (t->nhrp_fd >= 0)
		return t->nhrp_fd;
	/* SOCK_DGRAM: the kernel strips and builds the Ethernet header, and
	 * hands us the peer's lladdr in sll_addr. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(GRE_PROTO_NHRP));
	if (fd < 0)
		return -1;
	/* Thousands of spokes re-register at once after a hub restart: the
	 * default buffer (~250 frames) would drop most of them. */
	int sz = 8 << 20;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -1;
	}
	t->nhrp_fd = fd;
	return fd;
}

ssize_t dp_frame_send(struct dp_tunnel *t, const struct ipaddr *nbma, uint16_t ethertype,
		      const void *pkt, size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ethertype),
		.sll_ifindex = t->ifindex,
		.sll_halen = MGRE_LLADDR_LEN,
	};

	/* The NHRP socket is SOCK_DGRAM: sll_protocol sets the ethertype of
	 * what it sends, whatever it was bound to. */
	if (dp_nhrp_fd(t) < 0 || dp_lladdr(nbma, sll.sll_addr) < 0)
		return -1;
	return sendto(t->nhrp_fd, pkt, len, 0, (struct sockaddr *)&sll, sizeof(sll));
}

ssize_t dp_nhrp_send(struct dp_tunnel *t, const struct ipaddr *nbma, const void *pkt, size_t len)
{
	return dp_frame_send(t, nbma, GRE_PROTO_NHRP, pkt, len);
}

ssize_t dp_nhrp_recv(struct dp_tunnel *t, void *buf, size_t cap, struct ipaddr *nbma)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	struct in_addr v4;
	uint32_t handle;
	ssize_t n;

	if (dp_nhrp_fd(t) < 0)
		return -1;
	n = recvfrom(t->nhrp_fd, buf, cap, 0, (struct sockaddr *)&sll, &sl);
	if (n < 0)
		return -1;
	/* Our own transmissions come back to a packet socket: not a peer's. */
	if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_halen != MGRE_LLADDR_LEN ||
	    mgre_lladdr_decode(sll.sll_addr, &v4, &handle) != MGRE_LLADDR_IPV4) {
		errno = EPROTO;
		return -1;
	}
	ipaddr_from_v4(nbma, v4);
	return n;
}
