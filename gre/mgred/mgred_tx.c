/*
 * Overlay -> underlay. Frames the kernel routes out of the TAP carry, in
 * their destination lladdr, the NBMA address of the next hop it chose from
 * its neighbour table (mgre_lladdr.h). Each becomes one or more GRE packets
 * (one per segment of a GSO super-frame), batched for one sendmmsg().
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "gre/gre_codec.h"
#include "gre/mgre_lladdr.h"
#include "gre/mgred/mgred.h"
#include "gre/mgred/mgred_segment.h"
#include "lib/csum.h"

#define ETH_P_ARP_ 0x0806

/* TAP reads handled per wakeup before the loop looks at other sockets. */
#define MGRED_TX_BUDGET 256

struct mgred_tx_ctx {
	struct mgred_tunnel *t;
	struct mgred_peer *peer;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	uint16_t proto;
};

static int mgred_tx_emit(void *arg, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload,
                         size_t payload_len)
{
	struct mgred_tx_ctx *cx = arg;
	struct mgred_tunnel *t = cx->t;
	struct mgred_txbatch *b = t->tx;
	struct gre_hdr gh = {
	    .has_key = t->conf.has_key,
	    .key = t->conf.key,
	    .proto = cx->proto,
	    .has_csum = t->conf.checksum,
	};
	struct wbuf w;
	unsigned i;

	if (b->n == MGRED_BATCH)
		mgred_tx_flush(t);
	i = b->n;
	wbuf_init(&w, b->hdr[i], MGRED_HDR_SLOT);
	gre_encode(&w, &gh, NULL, 0);
	wbuf_put_bytes(&w, hdr, hdr_len);
	if (!wbuf_ok(&w))
		return -1;
	if (gh.has_csum) {
		/* RFC 2784 2.5: over the GRE header and the whole payload, which
		 * here sits in two pieces; the first has an even length. */
		uint32_t sum;
		uint16_t c;

		b->hdr[i][4] = b->hdr[i][5] = 0;
		sum = csum_partial(b->hdr[i], wbuf_len(&w), 0);
		c = csum_fold(csum_partial(payload, payload_len, sum));
		memcpy(&b->hdr[i][4], &c, 2);
	}
	b->iov[i][0].iov_base = b->hdr[i];
	b->iov[i][0].iov_len = wbuf_len(&w);
	b->iov[i][1].iov_base = (void *)payload;
	b->iov[i][1].iov_len = payload_len;
	b->dst[i] = cx->dst;
	b->msgs[i].msg_hdr = (struct msghdr){
	    .msg_name = &b->dst[i],
	    .msg_namelen = cx->dst_len,
	    .msg_iov = b->iov[i],
	    .msg_iovlen = 2,
	};
	b->peer[i] = cx->peer;
	b->n++;
	return 0;
}

static void mgred_tx_account(struct mgred_tunnel *t, unsigned i, uint64_t now)
{
	struct mgred_txbatch *b = t->tx;
	/* Overlay bytes, as counted on the receiving side: no GRE header. */
	size_t bytes = b->iov[i][0].iov_len - t->gre_len + b->iov[i][1].iov_len;

	t->c.tx_packets++;
	t->c.tx_bytes += bytes;
	if (b->peer[i]) {
		b->peer[i]->tx_packets++;
		b->peer[i]->tx_bytes += bytes;
		b->peer[i]->last_tx_ms = now;
	}
}

void mgred_tx_flush(struct mgred_tunnel *t)
{
	struct mgred_txbatch *b = t->tx;
	unsigned off = 0, waits = 0;
	uint64_t now = clock_now_ms();

	while (off < b->n) {
		int r = sendmmsg(t->ul->fd, b->msgs + off, b->n - off, 0);

		if (r > 0) {
			for (int k = 0; k < r; k++)
				mgred_tx_account(t, off + (unsigned)k, now);
			off += (unsigned)r;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS) && waits < 3) {
			/* Send buffer full: give the underlay a moment, then drop. */
			struct pollfd p = {.fd = t->ul->fd, .events = POLLOUT};

			poll(&p, 1, 5);
			waits++;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		log_msg_rl(&t->rl, LOG_LVL_WARN, LOG_CAT_GRE, "%s: send: %s", t->conf.tun.name,
		           strerror(errno));
		t->c.drops[MGRED_DROP_TX_SEND_ERROR]++;
		off++;
	}
	b->n = 0;
	/* Segments of a frame still being cut will point into its buffer:
	 * mgred_tx_tap_cb() settles frames_used once the frame is done. */
	if (!b->in_frame)
		b->frames_used = 0;
}

static void mgred_tx_frame(struct mgred_tunnel *t, uint8_t *frame, size_t len)
{
	struct virtio_net_hdr vh;
	struct mgred_tx_ctx cx = {.t = t};
	const uint8_t *eth = frame + MGRED_VNET_HDR_LEN;
	struct in_addr v4;
	struct ipaddr nbma;
	uint32_t handle;
	enum seg_result r;

	if (len < (size_t)MGRED_VNET_HDR_LEN + MGRED_ETH_HLEN) {
		t->c.drops[MGRED_DROP_TX_MALFORMED]++;
		return;
	}
	memcpy(&vh, frame, sizeof(vh));
	if (eth[0] & 0x01) { /* group bit: multicast or broadcast */
		mgred_multicast_out(t, eth, len - MGRED_VNET_HDR_LEN);
		return;
	}
	cx.proto = (uint16_t)(eth[12] << 8 | eth[13]);
	if (cx.proto == ETH_P_ARP_) {
		t->c.drops[MGRED_DROP_TX_ARP]++;
		return;
	}
	if (cx.proto != GRE_PROTO_IPV4 && cx.proto != GRE_PROTO_IPV6 &&
	    cx.proto != GRE_PROTO_NHRP) {
		t->c.drops[MGRED_DROP_TX_PROTO]++;
		return;
	}
	if (mgre_lladdr_decode(eth, &v4, &handle) != MGRE_LLADDR_IPV4) {
		/* IPv6 NBMA handles arrive with the IPv6 underlay. */
		t->c.drops[MGRED_DROP_TX_UNMAPPED]++;
		return;
	}
	ipaddr_from_v4(&nbma, v4);
	cx.dst_len = ipaddr_to_sockaddr(&nbma, 0, &cx.dst);
	cx.peer = mgred_peer_get(&t->peers, &nbma, clock_now_ms());
	if (!cx.peer)
		t->peers.untracked++;
	r = mgred_segment(&vh, frame + MGRED_VNET_HDR_LEN + MGRED_ETH_HLEN,
	                  len - MGRED_VNET_HDR_LEN - MGRED_ETH_HLEN, MGRED_ETH_HLEN, mgred_tx_emit,
	                  &cx);
	if (r == SEG_ERR_MALFORMED)
		t->c.drops[MGRED_DROP_TX_MALFORMED]++;
	else if (r == SEG_ERR_EMIT)
		t->c.drops[MGRED_DROP_TX_SEND_ERROR]++;
	if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE && r == SEG_OK)
		t->c.tx_gso_frames++;
}

void mgred_tx_tap_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mgred_tunnel *t = w->data;
	struct mgred_txbatch *b = t->tx;

	(void)loop;
	(void)revents;
	for (unsigned budget = 0; budget < MGRED_TX_BUDGET; budget++) {
		uint8_t *frame;
		ssize_t n;

		if (b->frames_used == MGRED_TX_FRAMES)
			mgred_tx_flush(t);
		frame = t->frames + (size_t)b->frames_used * MGRED_FRAME_MAX;
		n = read(t->tap_fd, frame, MGRED_FRAME_MAX);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_msg_rl(&t->rl, LOG_LVL_WARN, LOG_CAT_GRE, "%s: read: %s",
				           t->conf.tun.name, strerror(errno));
			break;
		}
		b->in_frame = true;
		mgred_tx_frame(t, frame, (size_t)n);
		b->in_frame = false;
		/* Queued packets may point into any buffer up to this one. */
		b->frames_used = b->n ? b->frames_used + 1 : 0;
	}
	mgred_tx_flush(t);
}
