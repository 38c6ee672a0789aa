/*
 * Underlay -> overlay. GRE arriving on an underlay socket is checked
 * (RFC 2784/2890 via gre_codec), matched to a tunnel by its key, and
 * written to that tunnel's TAP as an Ethernet frame whose source lladdr
 * encodes the sender's NBMA address, so that nhrpd (reading NHRP on the
 * TAP) and the neighbour table see who sent it.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gre/gre_codec.h"
#include "gre/mgre_lladdr.h"
#include "gre/mgred/mgred.h"

/* recvmmsg rounds per wakeup before the loop looks at other sockets. */
#define MGRED_RX_ROUNDS 8

static const enum mgred_drop gre_err_drop[GRE_ERR__COUNT] = {
	[GRE_ERR_TRUNCATED] = MGRED_DROP_RX_TRUNCATED,
	[GRE_ERR_VERSION] = MGRED_DROP_RX_BAD_VERSION,
	[GRE_ERR_RESERVED] = MGRED_DROP_RX_RESERVED,
	[GRE_ERR_CHECKSUM] = MGRED_DROP_RX_BAD_CHECKSUM,
};

/*
 * IPv4 raw sockets deliver the IP header too. The kernel has checked it,
 * but we still trust only what the bytes prove: version, header length and
 * total length within what arrived.
 */
static int mgred_rx_strip_ipv4(struct buf *b, struct ipaddr *src)
{
	uint8_t vihl;
	uint16_t tot;
	size_t ihl;
	const uint8_t *hdr = buf_cursor(b);

	if (buf_peek_u8(b, 0, &vihl) < 0 || (vihl >> 4) != 4)
		return -1;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < 20 || buf_peek_be16(b, 2, &tot) < 0 || tot < ihl || tot > buf_remaining(b))
		return -1;
	memset(src, 0, sizeof(*src));
	src->family = AF_INET;
	memcpy(&src->u.v4, hdr + 12, 4);
	b->len = b->pos + tot; /* trailing bytes past the IP datagram are not ours */
	return buf_skip(b, ihl);
}

static struct mgred_tunnel *mgred_rx_demux(struct mgred_underlay *ul, const struct gre_hdr *gh)
{
	struct mgred *d = ul->d;

	for (unsigned i = 0; i < d->ntunnels; i++) {
		struct mgred_tunnel *t = d->tunnels[i];

		if (t->ul == ul && t->conf.has_key == gh->has_key &&
		    (!gh->has_key || t->conf.key == gh->key))
			return t;
	}
	return NULL;
}

static void mgred_rx_packet(struct mgred_underlay *ul, const uint8_t *data, size_t len,
			    const struct sockaddr *name)
{
	struct buf b;
	struct ipaddr src;
	struct gre_hdr gh;
	struct mgred_tunnel *t;
	struct mgred_peer *peer;
	enum gre_err ge;
	uint8_t hdr[MGRED_VNET_HDR_LEN + MGRED_ETH_HLEN];
	struct iovec iov[2];
	size_t plen;
	uint64_t now;

	buf_init(&b, data, len);
	if (ul->local.family == AF_INET) {
		if (mgred_rx_strip_ipv4(&b, &src) < 0) {
			ul->drops[MGRED_DROP_RX_MALFORMED_IP]++;
			return;
		}
	} else if (ipaddr_from_sockaddr(name, &src) < 0) {
		ul->drops[MGRED_DROP_RX_MALFORMED_IP]++;
		return;
	}
	ge = gre_decode(&b, &gh);
	if (ge != GRE_OK) {
		ul->drops[gre_err_drop[ge]]++;
		return;
	}
	t = mgred_rx_demux(ul, &gh);
	if (!t) {
		ul->drops[MGRED_DROP_RX_WRONG_KEY]++;
		return;
	}
	if (gh.proto != GRE_PROTO_IPV4 && gh.proto != GRE_PROTO_IPV6 &&
	    gh.proto != GRE_PROTO_NHRP) {
		t->c.drops[MGRED_DROP_RX_PROTO]++;
		return;
	}
	plen = buf_remaining(&b);
	/* virtio_net_hdr all zero: no offload claims, the kernel checks sums. */
	memset(hdr, 0, MGRED_VNET_HDR_LEN);
	memcpy(hdr + MGRED_VNET_HDR_LEN, t->mac, 6);
	mgre_lladdr_from_ipv4(src.u.v4, hdr + MGRED_VNET_HDR_LEN + 6);
	hdr[MGRED_VNET_HDR_LEN + 12] = (uint8_t)(gh.proto >> 8);
	hdr[MGRED_VNET_HDR_LEN + 13] = (uint8_t)gh.proto;
	iov[0] = (struct iovec){.iov_base = hdr, .iov_len = sizeof(hdr)};
	iov[1] = (struct iovec){.iov_base = (void *)buf_cursor(&b), .iov_len = plen};
	if (writev(t->tap_fd, iov, 2) < 0) {
		t->c.drops[MGRED_DROP_RX_TAP_ERROR]++;
		log_msg_rl(&t->rl, LOG_LVL_WARN, LOG_CAT_GRE, "%s: write to TAP: %s",
			   t->conf.name, strerror(errno));
		return;
	}
	now = log_now_ms();
	t->c.rx_packets++;
	t->c.rx_bytes += plen;
	peer = mgred_peer_get(&t->peers, &src, now);
	if (!peer) {
		t->peers.untracked++;
		return;
	}
	peer->rx_packets++;
	peer->rx_bytes += plen;
	peer->last_rx_ms = now;
}

void mgred_rx_underlay_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mgred_underlay *ul = w->data;

	(void)loop;
	(void)revents;
	for (unsigned round = 0; round < MGRED_RX_ROUNDS; round++) {
		int n;

		for (unsigned i = 0; i < MGRED_BATCH; i++)
			ul->rx_msgs[i].msg_hdr.msg_namelen = sizeof(ul->rx_names[i]);
		n = recvmmsg(ul->fd, ul->rx_msgs, MGRED_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			ul->rx_packets++;
			mgred_rx_packet(ul, ul->rx_bufs + (size_t)i * MGRED_RX_BUF,
					ul->rx_msgs[i].msg_len,
					(const struct sockaddr *)&ul->rx_names[i]);
		}
		if (n < MGRED_BATCH)
			break;
	}
}
