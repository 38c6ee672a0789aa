/*
 * The userspace backend of the data plane interface: mgred's TAP device.
 * The kernel's neighbour table on it maps an overlay address to an
 * Ethernet address that encodes the NBMA address (mgre_lladdr.h); NHRP
 * frames go through a packet socket on the device, and mgred carries them
 * in GRE to the NBMA address their destination encodes.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gre/dataplane.h"
#include "gre/gre_codec.h"
#include "gre/mgre_lladdr.h"
#include "lib/nl.h"

/* Thousands of spokes re-register at once after a hub restart: the
 * default receive buffer (~250 frames) would drop most of them. */
#define DP_USERSPACE_NHRP_RCVBUF (8 << 20)

struct dp_userspace {
	struct dp_tunnel t; /* first: the tunnel is this struct */
	struct nlh *nl;
	int nhrp_fd;
};

static struct dp_userspace *dp_userspace_of(struct dp_tunnel *t)
{
	return (struct dp_userspace *)t;
}

static void dp_userspace_close(struct dp_tunnel *t)
{
	struct dp_userspace *u = dp_userspace_of(t);

	if (u->nhrp_fd >= 0)
		close(u->nhrp_fd);
	nlh_close(u->nl);
	free(u);
}

static struct dp_tunnel *dp_userspace_open(const char *ifname)
{
	struct dp_userspace *u = calloc(1, sizeof(*u));
	int err;

	if (!u)
		return NULL;
	u->nhrp_fd = -1;
	strcpy(u->t.ifname, ifname); /* dp_tunnel_open checked its length */
	u->t.ifindex = (int)if_nametoindex(ifname);
	u->nl = nlh_open();
	if (u->t.ifindex <= 0 || !u->nl) {
		err = u->t.ifindex <= 0 ? ENODEV : ENOMEM;
		dp_userspace_close(&u->t);
		errno = err;
		return NULL;
	}
	return &u->t;
}

static int dp_userspace_mtu(struct dp_tunnel *t, unsigned *mtu)
{
	if (nlh_link_get_mtu(dp_userspace_of(t)->nl, t->ifindex, mtu) < 0) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

static int dp_userspace_lladdr(const struct ipaddr *nbma, uint8_t mac[MGRE_LLADDR_LEN])
{
	if (nbma->family != AF_INET) {
		errno = EAFNOSUPPORT; /* IPv6 NBMA handles come with the IPv6 underlay */
		return -1;
	}
	mgre_lladdr_from_ipv4(nbma->u.v4, mac);
	return 0;
}

static int dp_userspace_neigh_set(struct dp_tunnel *t, const struct ipaddr *overlay,
                                  const struct ipaddr *nbma, bool permanent)
{
	uint8_t mac[MGRE_LLADDR_LEN];

	if (dp_userspace_lladdr(nbma, mac) < 0)
		return -1;
	if (nlh_neigh_replace(dp_userspace_of(t)->nl, t->ifindex, overlay, mac, sizeof(mac),
	                      permanent) < 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int dp_userspace_neigh_del(struct dp_tunnel *t, const struct ipaddr *overlay)
{
	if (nlh_neigh_delete(dp_userspace_of(t)->nl, t->ifindex, overlay) < 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

static int dp_userspace_nhrp_fd(struct dp_tunnel *t)
{
	struct dp_userspace *u = dp_userspace_of(t);
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(GRE_PROTO_NHRP),
	    .sll_ifindex = t->ifindex,
	};
	int fd, sz = DP_USERSPACE_NHRP_RCVBUF;

	if (u->nhrp_fd >= 0)
		return u->nhrp_fd;
	/* SOCK_DGRAM: the kernel strips and builds the Ethernet header, and
	 * hands us the peer's lladdr in sll_addr. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(GRE_PROTO_NHRP));
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -1;
	}
	u->nhrp_fd = fd;
	return fd;
}

static ssize_t dp_userspace_frame_send(struct dp_tunnel *t, const struct ipaddr *nbma,
                                       uint16_t ethertype, const void *pkt, size_t len)
{
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(ethertype),
	    .sll_ifindex = t->ifindex,
	    .sll_halen = MGRE_LLADDR_LEN,
	};
	int fd = dp_userspace_nhrp_fd(t);

	/* The NHRP socket is SOCK_DGRAM: sll_protocol sets the ethertype of
	 * what it sends, whatever it was bound to. */
	if (fd < 0 || dp_userspace_lladdr(nbma, sll.sll_addr) < 0)
		return -1;
	return sendto(fd, pkt, len, 0, (struct sockaddr *)&sll, sizeof(sll));
}

static int dp_userspace_lladdr_nbma(struct dp_tunnel *t, const uint8_t *lladdr, size_t len,
                                    struct ipaddr *nbma)
{
	struct in_addr v4;
	uint32_t handle;

	(void)t;
	if (len != MGRE_LLADDR_LEN ||
	    mgre_lladdr_decode(lladdr, &v4, &handle) != MGRE_LLADDR_IPV4) {
		errno = EPROTO;
		return -1;
	}
	ipaddr_from_v4(nbma, v4);
	return 0;
}

static ssize_t dp_userspace_nhrp_recv(struct dp_tunnel *t, void *buf, size_t cap,
                                      struct ipaddr *nbma)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	int fd = dp_userspace_nhrp_fd(t);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&sll, &sl);
	if (n < 0)
		return -1;
	/* Our own transmissions come back to a packet socket: not a peer's. */
	if (sll.sll_pkttype == PACKET_OUTGOING) {
		errno = EPROTO;
		return -1;
	}
	if (dp_userspace_lladdr_nbma(t, sll.sll_addr, sll.sll_halen, nbma) < 0)
		return -1;
	return n;
}

const struct dp_ops dp_userspace_ops = {
    .name = "userspace",
    .open = dp_userspace_open,
    .close = dp_userspace_close,
    .mtu = dp_userspace_mtu,
    .neigh_set = dp_userspace_neigh_set,
    .neigh_del = dp_userspace_neigh_del,
    .nhrp_fd = dp_userspace_nhrp_fd,
    .frame_send = dp_userspace_frame_send,
    .nhrp_recv = dp_userspace_nhrp_recv,
    .lladdr_nbma = dp_userspace_lladdr_nbma,
};
