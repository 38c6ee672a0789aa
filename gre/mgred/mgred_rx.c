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
#include "gre/mgred/mgred_coalesce.h"

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

/* A GRE packet accepted for a tunnel, waiting to be written to its TAP. */
struct mgred_rx_item {
	struct mgred_tunnel *t;
	struct ipaddr src;
	uint16_t proto;
	uint8_t *payload;
	size_t len;
};

/* What is being merged: a run of items for one tunnel, sender and flow. */
struct mgred_rx_pending {
	bool open;
	struct mgred_rx_item first;
	struct coal_group g;
};

static void mgred_rx_eth_hdr(uint8_t *hdr, const struct mgred_rx_item *it)
{
	uint8_t *eth = hdr + MGRED_VNET_HDR_LEN;

	memcpy(eth, it->t->mac, 6);
	mgre_lladdr_from_ipv4(it->src.u.v4, eth + 6);
	eth[12] = (uint8_t)(it->proto >> 8);
	eth[13] = (uint8_t)it->proto;
}

static void mgred_rx_write(struct mgred_tunnel *t, struct iovec *iov, int iovcnt)
{
	if (writev(t->tap_fd, iov, iovcnt) < 0) {
		t->c.drops[MGRED_DROP_RX_TAP_ERROR]++;
		log_msg_rl(&t->rl, LOG_LVL_WARN, LOG_CAT_GRE, "%s: write to TAP: %s",
		           t->conf.tun.name, strerror(errno));
	}
}

/* Write the pending run: one plain frame, or one GSO frame for several. */
static void mgred_rx_flush(struct mgred_rx_pending *p)
{
	struct mgred_rx_item *it = &p->first;
	uint8_t hdr[MGRED_VNET_HDR_LEN + MGRED_ETH_HLEN];
	struct iovec iov[2 + COAL_MAX_SEGS];
	struct virtio_net_hdr vh = {0};
	int n = 2;

	if (!p->open)
		return;
	p->open = false;
	if (p->g.nsegs > 1) {
		coal_finish(&p->g, &vh, MGRED_ETH_HLEN);
		for (unsigned i = 0; i + 1 < p->g.nsegs; i++)
			iov[n++] = p->g.payload[i];
		it->t->c.rx_coalesced += p->g.nsegs;
	}
	/* An all-zero virtio_net_hdr claims nothing: the kernel checks sums. */
	memcpy(hdr, &vh, MGRED_VNET_HDR_LEN);
	mgred_rx_eth_hdr(hdr, it);
	iov[0] = (struct iovec){.iov_base = hdr, .iov_len = sizeof(hdr)};
	iov[1] = (struct iovec){.iov_base = it->payload, .iov_len = it->len};
	mgred_rx_write(it->t, iov, n);
}

static void mgred_rx_deliver(struct mgred_rx_pending *p, const struct mgred_rx_item *it)
{
	struct mgred_tunnel *t = it->t;
	struct mgred_peer *peer;
	uint64_t now = clock_now_ms();

	t->c.rx_packets++;
	t->c.rx_bytes += it->len;
	peer = mgred_peer_get(&t->peers, &it->src, now);
	if (peer) {
		peer->rx_packets++;
		peer->rx_bytes += it->len;
		peer->last_rx_ms = now;
	} else {
		t->peers.untracked++;
	}
	if (p->open && p->first.t == t && ipaddr_equal(&p->first.src, &it->src) &&
	    it->proto == GRE_PROTO_IPV4 && p->first.proto == GRE_PROTO_IPV4 &&
	    coal_append(&p->g, it->payload, it->len))
		return;
	mgred_rx_flush(p);
	p->first = *it;
	p->open = true;
	p->g.nsegs = 1;
	/* Only TCP/IPv4 merges, and only with offloads on (-O turns it off). */
	p->g.closed =
	    !(t->offload && it->proto == GRE_PROTO_IPV4 && coal_start(&p->g, it->payload, it->len));
}

/* Parse one datagram from the underlay; true when it is for a tunnel. */
static bool mgred_rx_packet(struct mgred_underlay *ul, uint8_t *data, size_t len,
                            const struct sockaddr *name, struct mgred_rx_item *it)
{
	struct buf b;
	struct gre_hdr gh;
	enum gre_err ge;

	buf_init(&b, data, len);
	if (ul->local.family == AF_INET) {
		if (mgred_rx_strip_ipv4(&b, &it->src) < 0) {
			ul->drops[MGRED_DROP_RX_MALFORMED_IP]++;
			return false;
		}
	} else if (ipaddr_from_sockaddr(name, &it->src) < 0) {
		ul->drops[MGRED_DROP_RX_MALFORMED_IP]++;
		return false;
	}
	ge = gre_decode(&b, &gh);
	if (ge != GRE_OK) {
		ul->drops[gre_err_drop[ge]]++;
		return false;
	}
	it->t = mgred_rx_demux(ul, &gh);
	if (!it->t) {
		ul->drops[MGRED_DROP_RX_WRONG_KEY]++;
		return false;
	}
	if (gh.proto != GRE_PROTO_IPV4 && gh.proto != GRE_PROTO_IPV6 &&
	    gh.proto != GRE_PROTO_NHRP) {
		it->t->c.drops[MGRED_DROP_RX_PROTO]++;
		return false;
	}
	it->proto = gh.proto;
	it->payload = data + b.pos;
	it->len = buf_remaining(&b);
	return true;
}

void mgred_rx_underlay_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mgred_underlay *ul = w->data;
	struct mgred_rx_pending pending = {.open = false};
	struct mgred_rx_item it;

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
			if (mgred_rx_packet(ul, ul->rx_bufs + (size_t)i * MGRED_RX_BUF,
			                    ul->rx_msgs[i].msg_len,
			                    (const struct sockaddr *)&ul->rx_names[i], &it))
				mgred_rx_deliver(&pending, &it);
		}
		/* The next recvmmsg reuses the buffers the run points into. */
		mgred_rx_flush(&pending);
		if (n < MGRED_BATCH)
			break;
	}
}
