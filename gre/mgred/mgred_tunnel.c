/*
 * Tunnel life cycle: the TAP device that is the overlay interface, its
 * neighbour settings, addresses and MTU, and its underlay endpoint. Closing
 * the TAP's file descriptor removes the device, so a crash leaves nothing
 * behind either.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gre/gre_codec.h"
#include "gre/mgre_lladdr.h"
#include "gre/mgred/mgred.h"
#include "lib/nl.h"

static int mgred_sysctl_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

/*
 * A missing neighbour must become a question to userspace (RTM_GETNEIGH,
 * "app solicit"), which nhrpd answers with an NHRP resolution, and never an
 * ARP or neighbour solicitation on the overlay: the kernel's mGRE devices
 * behave the same way (NOARP), and nhrpd relies on it.
 */
static int mgred_tunnel_neigh_sysctls(const char *ifname)
{
	static const char *const settings[][2] = {
	    {"app_solicit", "1"},
	    {"ucast_solicit", "0"},
	    {"mcast_solicit", "0"},
	    {"mcast_resolicit", "0"},
	};
	static const char *const families[] = {"ipv4", "ipv6"};
	char path[128];

	for (unsigned f = 0; f < 2; f++) {
		for (unsigned i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
			snprintf(path, sizeof(path), "/proc/sys/net/%s/neigh/%s/%s", families[f],
			         ifname, settings[i][0]);
			if (mgred_sysctl_write(path, settings[i][1]) < 0 &&
			    (f == 0 || errno != ENOENT)) /* no IPv6 is acceptable */
				return -1;
		}
	}
	/* Duplicate address detection would only send multicast we drop. */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_dad", ifname);
	mgred_sysctl_write(path, "0");
	return 0;
}

static int mgred_tunnel_open_tap(struct mgred_tunnel *t)
{
	struct ifreq ifr = {0};
	int fd, sock, err;
	unsigned offloads = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->conf.tun.name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		goto fail;
	t->offload = t->d->offload && ioctl(fd, TUNSETOFFLOAD, offloads) == 0;
	/* Our own lladdr encodes the local NBMA address, as the kernel's mGRE
	 * device has its local address as its hardware address. */
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		goto fail;
	ifr.ifr_hwaddr.sa_family = 1; /* ARPHRD_ETHER */
	memcpy(ifr.ifr_hwaddr.sa_data, t->mac, 6);
	err = ioctl(sock, SIOCSIFHWADDR, &ifr);
	close(sock);
	if (err < 0)
		goto fail;
	t->tap_fd = fd;
	return 0;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Local NBMA address and the underlay MTU, from tunnel source. */
static int mgred_tunnel_resolve_source(struct mgred_tunnel *t, unsigned *ul_mtu)
{
	const struct mgred_iface_conf *tc = &t->conf;
	int ifindex = 0;

	*ul_mtu = 1500;
	if (tc->tun.source_dev[0]) {
		ifindex = nlh_link_index(t->d->nl, tc->tun.source_dev);
		if (ifindex < 0) {
			log_err("%s: tunnel source %s: no such interface", tc->tun.name,
			        tc->tun.source_dev);
			return -1;
		}
		if (nlh_link_first_addr(t->d->nl, ifindex, AF_INET, &t->local) < 0) {
			log_err("%s: tunnel source %s has no IPv4 address", tc->tun.name,
			        tc->tun.source_dev);
			return -1;
		}
	} else {
		t->local = tc->tun.source_addr;
		if (nlh_addr_find_link(t->d->nl, &t->local, &ifindex) < 0)
			ifindex = 0; /* not local (yet): bind() will say so */
	}
	if (t->local.family != AF_INET) {
		log_err("%s: IPv6 underlay is not supported yet by the userspace data plane",
		        tc->tun.name);
		return -1;
	}
	if (ifindex > 0)
		nlh_link_get_mtu(t->d->nl, ifindex, ul_mtu);
	return 0;
}

/*
 * The TAP's queue toward us (a ring of tx_queue_len frames, 1000 by
 * default) must absorb a burst: nhrpd replicating one multicast frame to
 * every registered spoke writes thousands of copies at once, and what does
 * not fit is dropped silently, taking NHRP replies queued with it.
 */
#define MGRED_TAP_QUEUE_LEN 16384

static void mgred_tunnel_set_queue_len(const char *name)
{
	struct ifreq ifr = {.ifr_qlen = MGRED_TAP_QUEUE_LEN};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCSIFTXQLEN, &ifr) < 0)
		log_warn("%s: queue length %d: %s", name, MGRED_TAP_QUEUE_LEN, strerror(errno));
	close(fd);
}

static int mgred_tunnel_configure_link(struct mgred_tunnel *t)
{
	struct mgred_prefix addrs[MGRED_MAX_ADDRS];
	unsigned naddrs;
	int err;
	char a[IPADDR_STRLEN];

	mgred_tunnel_set_queue_len(t->conf.tun.name);
	if (mgred_tunnel_neigh_sysctls(t->conf.tun.name) < 0) {
		log_err("%s: neighbour sysctls: %s", t->conf.tun.name, strerror(errno));
		return -1;
	}
	err = nlh_link_set(t->d->nl, t->ifindex, t->mtu, 1);
	if (err < 0) {
		log_err("%s: set mtu %u and up: %s", t->conf.tun.name, t->mtu, nlh_strerror(err));
		return -1;
	}
	naddrs = mgred_iface_addrs(&t->conf, addrs);
	for (unsigned i = 0; i < naddrs; i++) {
		err = nlh_addr_add(t->d->nl, t->ifindex, &addrs[i].addr, addrs[i].plen);
		if (err < 0) {
			log_err("%s: address %s/%u: %s", t->conf.tun.name,
			        ipaddr_format(&addrs[i].addr, a), addrs[i].plen, nlh_strerror(err));
			return -1;
		}
	}
	return 0;
}

unsigned mgred_tunnel_gre_len(const struct mgred_iface_conf *ic)
{
	struct gre_hdr gh = {.has_key = ic->has_key, .has_csum = ic->checksum};

	return (unsigned)gre_hdr_len(&gh);
}

unsigned mgred_tunnel_want_mtu(const struct mgred_tunnel *t, const struct mgred_iface_conf *ic)
{
	/* RFC 2784/2890 overhead over an IPv4 underlay without options. */
	return ic->mtu ? ic->mtu : t->ul_mtu - 20 - mgred_tunnel_gre_len(ic);
}

int mgred_tunnel_create(struct mgred *d, const struct mgred_iface_conf *tc)
{
	struct mgred_tunnel *t;
	char a[IPADDR_STRLEN];

	if (d->ntunnels == MGRED_MAX_TUNNELS || mgred_tunnel_find(d, tc->tun.name))
		return -1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	t->d = d;
	t->conf = *tc;
	t->tap_fd = -1;
	t->created_ms = clock_now_ms();
	t->tx = calloc(1, sizeof(*t->tx));
	t->frames = malloc((size_t)MGRED_TX_FRAMES * MGRED_FRAME_MAX);
	if (!t->tx || !t->frames || mgred_tunnel_resolve_source(t, &t->ul_mtu) < 0)
		goto fail;
	mgre_lladdr_from_ipv4(t->local.u.v4, t->mac);
	t->gre_len = mgred_tunnel_gre_len(tc);
	t->mtu = mgred_tunnel_want_mtu(t, tc);
	if (mgred_tunnel_open_tap(t) < 0) {
		log_err("%s: cannot create TAP device: %s", tc->tun.name, strerror(errno));
		goto fail;
	}
	t->ifindex = (int)if_nametoindex(tc->tun.name);
	if (t->ifindex <= 0 || mgred_tunnel_configure_link(t) < 0)
		goto fail;
	t->ul = mgred_underlay_get(d, &t->local, tc->tun.source_dev,
	                           tc->ttl ? tc->ttl : MGRED_DEFAULT_TTL);
	if (!t->ul)
		goto fail;
	ev_io_init(&t->tap_io, mgred_tx_tap_cb, t->tap_fd, EV_READ);
	t->tap_io.data = t;
	ev_io_start(d->loop, &t->tap_io);
	d->tunnels[d->ntunnels++] = t;
	log_notice("%s: up, local %s, %s key, mtu %u, offloads %s", tc->tun.name,
	           ipaddr_format(&t->local, a), tc->has_key ? "with" : "no", t->mtu,
	           t->offload ? "on" : "off");
	return 0;
fail:
	if (t->tap_fd >= 0)
		close(t->tap_fd);
	free(t->tx);
	free(t->frames);
	free(t);
	return -1;
}

void mgred_tunnel_destroy(struct mgred_tunnel *t)
{
	struct mgred *d = t->d;

	ev_io_stop(d->loop, &t->tap_io);
	mgred_tx_flush(t);
	close(t->tap_fd); /* the kernel removes the non-persistent TAP */
	mgred_underlay_put(t->ul);
	mgred_peer_table_clear(&t->peers);
	for (unsigned i = 0; i < d->ntunnels; i++) {
		if (d->tunnels[i] == t) {
			d->tunnels[i] = d->tunnels[--d->ntunnels];
			break;
		}
	}
	log_notice("%s: removed", t->conf.tun.name);
	free(t->tx);
	free(t->frames);
	free(t);
}

struct mgred_tunnel *mgred_tunnel_find(struct mgred *d, const char *name)
{
	for (unsigned i = 0; i < d->ntunnels; i++)
		if (!strcmp(d->tunnels[i]->conf.tun.name, name))
			return d->tunnels[i];
	return NULL;
}
