/*
 * The IKE socket: UDP port 500 (RFC 7296 2), IPv4. IP_PKTINFO tells us on
 * which of our addresses a request arrived, so that the answer leaves from
 * it and the NAT detection hashes use it. NAT traversal (UDP 4500, RFC
 * 7296 2.23) is not implemented yet.
 *
 * Every message iked sends goes through d->send: opening the socket puts
 * its sender there, and tests put an in-memory wire there instead (and
 * call ike_recv() themselves), so that two ikeds talk in one process.
 * What the socket reads goes to the receive function the opener gives
 * (d->recv): the receive path is above this file, which knows none of it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iked/iked.h"

static void ike_net_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct iked *d = w->data;
	static uint8_t buf[IKED_MAX_MSG + 1];
	union {
		char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in from;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr mh = {.msg_name = &from,
	                    .msg_namelen = sizeof(from),
	                    .msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf.b,
	                    .msg_controllen = sizeof(cbuf)};
	struct ipaddr local = {0}, remote;
	ssize_t n;

	(void)loop;
	(void)revents;
	for (int i = 0; i < 64; i++) {
		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(d->fd4, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		d->stats.rx++;
		if ((size_t)n > IKED_MAX_MSG || (mh.msg_flags & MSG_TRUNC)) {
			d->stats.dropped++;
			continue;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				ipaddr_from_v4(&local, pi.ipi_addr);
			}
		ipaddr_from_v4(&remote, from.sin_addr);
		d->recv(d, buf, (size_t)n, &local, &remote, ntohs(from.sin_port));
	}
}

static int ike_net_udp_send(struct iked *d, const struct ipaddr *local, const struct ipaddr *remote,
                            uint16_t rport, const uint8_t *msg, size_t len)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(rport)};
	struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
	struct msghdr mh = {
	    .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1};

	if (remote->family != AF_INET)
		return -1;
	to.sin_addr = remote->u.v4;
	if (local && local->family == AF_INET) {
		struct in_pktinfo pi = {.ipi_spec_dst = local->u.v4};
		struct cmsghdr *c;

		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.b;
		mh.msg_controllen = sizeof(cbuf.b);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(d->fd4, &mh, 0) < 0 ? -1 : 0;
}

int ike_net_open(struct iked *d, const struct ipaddr *bind_addr, uint16_t port, iked_recv_fn *recv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int one = 1, fd;

	if (bind_addr && bind_addr->family == AF_INET)
		sa.sin_addr = bind_addr->u.v4;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	d->fd4 = fd;
	d->port = port;
	d->send = ike_net_udp_send;
	d->recv = recv;
	ev_io_init(&d->io4, ike_net_readable, fd, EV_READ);
	d->io4.data = d;
	ev_io_start(d->loop, &d->io4);
	return 0;
}

void ike_net_close(struct iked *d)
{
	if (d->fd4 < 0)
		return;
	ev_io_stop(d->loop, &d->io4);
	close(d->fd4);
	d->fd4 = -1;
	if (d->send == ike_net_udp_send)
		d->send = NULL;
}

int ike_net_send(struct iked *d, const struct ipaddr *local, const struct ipaddr *remote,
                 uint16_t rport, const uint8_t *msg, size_t len)
{
	if (!d->send || d->send(d, local, remote, rport, msg, len) < 0)
		return -1;
	d->stats.tx++;
	return 0;
}
