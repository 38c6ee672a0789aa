/*
 * Underlay endpoints: one raw GRE socket (IP protocol 47) per local address,
 * device and TTL, shared by every tunnel on it. Binding to the local address
 * makes the kernel deliver only GRE addressed to us; the key then picks the
 * tunnel (mgred_rx.c).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gre/mgred/mgred.h"

/* Bursts of 64 KiB super-frames become ~45 packets each: room for many. */
#define MGRED_SOCKBUF (8 * 1024 * 1024)

static int mgred_underlay_sockopt_ttl(int fd, int family, unsigned ttl)
{
	int v = (int)ttl;

	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v));
}

static int mgred_underlay_socket(const struct ipaddr *local, const char *dev, unsigned ttl)
{
	struct sockaddr_storage ss;
	socklen_t sl = ipaddr_to_sockaddr(local, 0, &ss);
	int fd, v;

	fd = socket(local->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	if (dev[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev)) < 0)
		goto fail;
	v = MGRED_SOCKBUF;
	/* The FORCE variants pass the sysctl caps (we run as root); plain as fallback. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	if (mgred_underlay_sockopt_ttl(fd, local->family, ttl) < 0)
		goto fail;
	if (local->family == AF_INET) {
		int pmtu = IP_PMTUDISC_DONT;

		/* An overlay MTU set above the underlay's is honoured by
		 * fragmenting the outer packet, as ip_gre does with pmtudisc off. */
		if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu)) < 0)
			goto fail;
	}
	return fd;
fail:
	v = errno;
	close(fd);
	errno = v;
	return -1;
}

static int mgred_underlay_alloc_rx(struct mgred_underlay *ul)
{
	ul->rx_msgs = calloc(MGRED_BATCH, sizeof(*ul->rx_msgs));
	ul->rx_iov = calloc(MGRED_BATCH, sizeof(*ul->rx_iov));
	ul->rx_names = calloc(MGRED_BATCH, sizeof(*ul->rx_names));
	ul->rx_bufs = malloc((size_t)MGRED_BATCH * MGRED_RX_BUF);
	if (!ul->rx_msgs || !ul->rx_iov || !ul->rx_names || !ul->rx_bufs)
		return -1;
	for (unsigned i = 0; i < MGRED_BATCH; i++) {
		ul->rx_iov[i].iov_base = ul->rx_bufs + (size_t)i * MGRED_RX_BUF;
		ul->rx_iov[i].iov_len = MGRED_RX_BUF;
		ul->rx_msgs[i].msg_hdr.msg_iov = &ul->rx_iov[i];
		ul->rx_msgs[i].msg_hdr.msg_iovlen = 1;
		ul->rx_msgs[i].msg_hdr.msg_name = &ul->rx_names[i];
	}
	return 0;
}

static void mgred_underlay_free(struct mgred_underlay *ul)
{
	if (ul->fd >= 0)
		close(ul->fd);
	free(ul->rx_msgs);
	free(ul->rx_iov);
	free(ul->rx_names);
	free(ul->rx_bufs);
	free(ul);
}

struct mgred_underlay *mgred_underlay_get(struct mgred *d, const struct ipaddr *local,
                                          const char *dev, unsigned ttl)
{
	struct mgred_underlay *ul;
	char a[IPADDR_STRLEN];

	/*
	 * One socket per local address: two raw sockets bound to the same
	 * address would each receive every GRE packet, and each would count
	 * the other's traffic as wrong-key drops.
	 */
	for (ul = d->underlays; ul; ul = ul->next) {
		if (!ipaddr_equal(&ul->local, local))
			continue;
		if ((dev[0] && ul->dev[0] && strcmp(ul->dev, dev)) || ul->ttl != ttl) {
			log_err("tunnels on local address %s must share their source "
			        "interface and ttl",
			        ipaddr_format(local, a));
			return NULL;
		}
		if (dev[0] && !ul->dev[0]) {
			/* Same address, now named by its device: bind to it too. */
			if (setsockopt(ul->fd, SOL_SOCKET, SO_BINDTODEVICE, dev,
			               (socklen_t)strlen(dev)) < 0)
				return NULL;
			snprintf(ul->dev, sizeof(ul->dev), "%s", dev);
		}
		ul->refs++;
		return ul;
	}
	ul = calloc(1, sizeof(*ul));
	if (!ul)
		return NULL;
	ul->d = d;
	ul->local = *local;
	ul->ttl = ttl;
	snprintf(ul->dev, sizeof(ul->dev), "%s", dev);
	ul->fd = mgred_underlay_socket(local, dev, ttl);
	if (ul->fd < 0 || mgred_underlay_alloc_rx(ul) < 0) {
		log_err("underlay %s%s%s: %s", ipaddr_format(local, a), dev[0] ? " dev " : "", dev,
		        strerror(errno));
		mgred_underlay_free(ul);
		return NULL;
	}
	ev_io_init(&ul->io, mgred_rx_underlay_cb, ul->fd, EV_READ);
	ul->io.data = ul;
	ev_io_start(d->loop, &ul->io);
	ul->refs = 1;
	ul->next = d->underlays;
	d->underlays = ul;
	log_debug(LOG_CAT_TUNNEL, "underlay %s open", ipaddr_format(local, a));
	return ul;
}

/* A new TTL for every tunnel on the endpoint (live `tunnel ttl`). */
int mgred_underlay_set_ttl(struct mgred_underlay *ul, unsigned ttl)
{
	if (mgred_underlay_sockopt_ttl(ul->fd, ul->local.family, ttl) < 0)
		return -1;
	ul->ttl = ttl;
	return 0;
}

void mgred_underlay_put(struct mgred_underlay *ul)
{
	struct mgred_underlay **pp;

	if (!ul || --ul->refs > 0)
		return;
	for (pp = &ul->d->underlays; *pp; pp = &(*pp)->next) {
		if (*pp == ul) {
			*pp = ul->next;
			break;
		}
	}
	ev_io_stop(ul->d->loop, &ul->io);
	mgred_underlay_free(ul);
}
