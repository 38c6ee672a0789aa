/*
 * Multicast over the NBMA overlay: there is no multicast underneath, so
 * every multicast or broadcast frame the overlay interface sends is
 * replicated as unicast to each peer that wants it (what lets OSPF hellos
 * or a multicast ping cross the overlay):
 *
 *   ip nhrp map multicast dynamic   every client registered with us (hub)
 *   ip nhrp nhs ... multicast       that NHS (spoke)
 *   ip nhrp map multicast nhs       every NHS
 *   ip nhrp map multicast A.B.C.D   that NBMA address
 *
 * A packet socket on the overlay interface sees what the kernel transmits
 * on it; a socket filter keeps only outgoing frames with a group
 * destination, so unicast data never reaches this process. The copies go
 * back out through the data plane with a peer's NBMA address as the
 * destination; the data plane itself drops the original (it has no peer
 * list), and our copies are unicast so the filter does not see them again.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nhrpd/nhrpd.h"

struct nhrp_mcast_send {
	struct nhrp_iface *ifp;
	uint16_t ethertype;
	const uint8_t *payload;
	size_t len;
};

static void nhrp_multicast_to(struct nhrp_mcast_send *s, const struct ipaddr *nbma)
{
	if (dp_frame_send(s->ifp->dp, nbma, s->ethertype, s->payload, s->len) < 0)
		s->ifp->traffic.mcast_send_error++;
	else
		s->ifp->traffic.mcast_replicated++;
}

static void nhrp_multicast_dynamic(struct nhrp_cache_entry *e, void *arg)
{
	if (e->type == NHRP_CACHE_DYNAMIC)
		nhrp_multicast_to(arg, &e->nbma);
}

static void nhrp_multicast_replicate(struct nhrp_iface *ifp, uint16_t ethertype,
                                     const uint8_t *payload, size_t len)
{
	const struct nhrp_iface_conf *c = &ifp->conf;
	struct nhrp_mcast_send s = {ifp, ethertype, payload, len};

	if (c->mcast_dynamic)
		nhrp_cache_foreach(ifp, nhrp_multicast_dynamic, &s);
	for (unsigned i = 0; i < ifp->nnhs; i++)
		if (c->mcast_nhs || ifp->nhs[i]->conf.multicast)
			nhrp_multicast_to(&s, &ifp->nhs[i]->conf.nbma);
	for (unsigned i = 0; i < c->nmcast; i++)
		nhrp_multicast_to(&s, &c->mcast[i]);
}

static void nhrp_multicast_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nhrp_iface *ifp = w->data;
	static uint8_t frame[65536];
	struct sockaddr_ll sll;
	socklen_t sl;
	ssize_t n;

	(void)loop;
	(void)revents;
	for (int i = 0; i < 64; i++) {
		sl = sizeof(sll);
		n = recvfrom(ifp->mcast_fd, frame, sizeof(frame), MSG_DONTWAIT,
		             (struct sockaddr *)&sll, &sl);
		if (n < 0)
			return;
		/* The filter already checked; check again, it costs nothing. */
		if (n < ETH_HLEN || sll.sll_pkttype != PACKET_OUTGOING || !(frame[0] & 1))
			continue;
		/* The ethertype follows the two addresses. */
		nhrp_multicast_replicate(
		    ifp, (uint16_t)(frame[2 * ETH_ALEN] << 8 | frame[2 * ETH_ALEN + 1]),
		    frame + ETH_HLEN, (size_t)n - ETH_HLEN);
	}
}

static bool nhrp_multicast_wanted(const struct nhrp_iface *ifp)
{
	const struct nhrp_iface_conf *c = &ifp->conf;

	if (c->mcast_dynamic || c->mcast_nhs || c->nmcast)
		return true;
	for (unsigned i = 0; i < c->nnhs; i++)
		if (c->nhs[i].multicast)
			return true;
	return false;
}

int nhrp_multicast_open(struct nhrp_iface *ifp)
{
	/* Accept outgoing frames whose destination has the group bit. */
	struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 3),
	    BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 65535),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ALL),
	    .sll_ifindex = ifp->ifindex,
	};
	int fd;

	if (!nhrp_multicast_wanted(ifp))
		return 0;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Filter before binding, so that nothing unfiltered is queued. */
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	ifp->mcast_fd = fd;
	ev_io_init(&ifp->mcast_io, nhrp_multicast_readable, fd, EV_READ);
	ifp->mcast_io.data = ifp;
	ev_io_start(ifp->d->loop, &ifp->mcast_io);
	return 0;
}

void nhrp_multicast_close(struct nhrp_iface *ifp)
{
	if (ifp->mcast_fd < 0)
		return;
	ev_io_stop(ifp->d->loop, &ifp->mcast_io);
	close(ifp->mcast_fd);
	ifp->mcast_fd = -1;
}

void nhrp_multicast_update(struct nhrp_iface *ifp)
{
	if (!ifp->attached)
		return; /* attaching opens it */
	if (!nhrp_multicast_wanted(ifp)) {
		nhrp_multicast_close(ifp);
		return;
	}
	if (ifp->mcast_fd < 0 && nhrp_multicast_open(ifp) < 0)
		log_warn("%s: multicast replication unavailable: %s", ifp->conf.tun.name,
		         strerror(errno));
}
