/*
 * mgred: the userspace mGRE data plane. Per tunnel it owns a TAP device (the
 * overlay interface; the kernel's routing and neighbour table still choose
 * the next hop) and forwards between it and GRE over raw IP sockets:
 *
 *   TAP frame, dst lladdr = NBMA  --mgred_tx.c-->  GRE (RFC 2784/2890) to NBMA
 *   GRE from NBMA, right key      --mgred_rx.c-->  TAP frame, src lladdr = NBMA
 *
 * Tunnels that share a local address share one raw socket (an "underlay"
 * endpoint) and are told apart by their GRE key.
 */
#ifndef DMVPN_MGRED_H
#define DMVPN_MGRED_H

#include <ev.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/addr.h"
#include "lib/log.h"
#include "lib/strbuf.h"

#define MGRED_MAX_TUNNELS 64
#define MGRED_MAX_ADDRS 8
#define MGRED_BATCH 64	      /* packets per sendmmsg / recvmmsg */
#define MGRED_TX_FRAMES 16    /* TAP frames held while their segments wait in a batch */
#define MGRED_FRAME_MAX 65600 /* vnet header + Ethernet + a 64 KiB GSO frame */
#define MGRED_RX_BUF 65536    /* one IP datagram */
#define MGRED_HDR_SLOT 256    /* GRE + rebuilt L3/L4 header of one segment */
#define MGRED_MAX_PEERS 65536 /* per tunnel; more are forwarded but not itemized */
#define MGRED_PEER_BUCKETS 1024
#define MGRED_VNET_HDR_LEN ((int)sizeof(struct virtio_net_hdr))
#define MGRED_ETH_HLEN 14

/* Why a packet was dropped; one counter each. Names in mgred_drop_name(). */
enum mgred_drop {
	/* overlay -> underlay */
	MGRED_DROP_TX_ARP,	 /* ARP never leaves: NHRP resolves instead */
	MGRED_DROP_TX_MULTICAST, /* no replication targets yet */
	MGRED_DROP_TX_UNMAPPED,	 /* destination lladdr encodes no NBMA address */
	MGRED_DROP_TX_PROTO,	 /* ethertype GRE here does not carry */
	MGRED_DROP_TX_MALFORMED, /* runt frame, bad vnet header or GSO layout */
	MGRED_DROP_TX_SEND_ERROR,
	/* underlay -> overlay, after the key matched a tunnel */
	MGRED_DROP_RX_PROTO,	 /* payload protocol is not IPv4, IPv6 or NHRP */
	MGRED_DROP_RX_TAP_ERROR, /* the TAP refused the frame */
	/* underlay endpoint: before any tunnel can be trusted */
	MGRED_DROP_RX_MALFORMED_IP,
	MGRED_DROP_RX_TRUNCATED,
	MGRED_DROP_RX_BAD_VERSION,
	MGRED_DROP_RX_RESERVED,
	MGRED_DROP_RX_BAD_CHECKSUM,
	MGRED_DROP_RX_WRONG_KEY,
	MGRED_DROP__COUNT
};

const char *mgred_drop_name(enum mgred_drop d);

struct mgred_counters {
	uint64_t tx_packets, tx_bytes; /* GRE packets sent, bytes of payload */
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_gso_frames;	       /* TAP super-frames split into segments */
	uint64_t rx_coalesced;	       /* GRE packets merged into bigger TAP frames */
	uint64_t drops[MGRED_DROP__COUNT];
};

struct mgred_peer {
	struct ipaddr nbma;
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes;
	uint64_t first_seen_ms, last_tx_ms, last_rx_ms;
	struct mgred_peer *next;
};

struct mgred_peer_table {
	struct mgred_peer *buckets[MGRED_PEER_BUCKETS];
	uint32_t count;
	uint64_t untracked; /* packets of peers past MGRED_MAX_PEERS */
};

struct mgred_prefix {
	struct ipaddr addr;
	unsigned plen;
};

/* What the config says about one tunnel; validated before anything is applied. */
struct mgred_tunnel_conf {
	char name[IFNAMSIZ];
	char source_dev[IFNAMSIZ];   /* tunnel source IFNAME, or "" */
	struct ipaddr source_addr;   /* tunnel source ADDRESS, or unset */
	bool has_key;
	uint32_t key;
	unsigned ttl;		     /* 0: default 64 */
	unsigned mtu;		     /* 0: underlay MTU minus overhead */
	bool checksum;		     /* tunnel checksum: send RFC 2784 checksums */
	struct mgred_prefix addrs[MGRED_MAX_ADDRS];
	unsigned naddrs;
	int line;		     /* where the interface block starts */
};

struct mgred_conf {
	struct mgred_tunnel_conf tunnels[MGRED_MAX_TUNNELS];
	unsigned ntunnels;
};

struct mgred;
struct mgred_tunnel;

/* One raw GRE socket per local address, shared by the tunnels on it. */
struct mgred_underlay {
	struct mgred *d;
	struct ipaddr local;
	char dev[IFNAMSIZ];
	unsigned ttl;
	int fd;
	ev_io io;
	int refs;
	uint64_t drops[MGRED_DROP__COUNT]; /* only the MGRED_DROP_RX_* before demux */
	uint64_t rx_packets;
	/* receive batch */
	struct mmsghdr *rx_msgs;
	struct iovec *rx_iov;
	struct sockaddr_storage *rx_names;
	uint8_t *rx_bufs; /* MGRED_BATCH x MGRED_RX_BUF */
	struct mgred_underlay *next;
};

/* Packets waiting for one sendmmsg on the tunnel's underlay socket. */
struct mgred_txbatch {
	unsigned n;
	struct mmsghdr msgs[MGRED_BATCH];
	struct iovec iov[MGRED_BATCH][2];
	struct sockaddr_storage dst[MGRED_BATCH];
	struct mgred_peer *peer[MGRED_BATCH];
	uint8_t hdr[MGRED_BATCH][MGRED_HDR_SLOT];
	unsigned frames_used; /* frame buffers [0, frames_used) may be pointed into */
	bool in_frame;	      /* a frame is being cut into segments right now */
};

struct mgred_tunnel {
	struct mgred *d;
	struct mgred_tunnel_conf conf;
	int tap_fd;
	int ifindex;
	uint8_t mac[6];	     /* our own lladdr: encodes the local NBMA address */
	struct ipaddr local; /* resolved local NBMA address */
	unsigned mtu;
	unsigned gre_len;    /* GRE header bytes on every packet we send */
	bool offload;	     /* TAP hands us GSO super-frames */
	struct mgred_underlay *ul;
	ev_io tap_io;
	struct mgred_counters c;
	struct mgred_peer_table peers;
	struct log_ratelimit rl;
	uint64_t created_ms;
	struct mgred_txbatch *tx;
	uint8_t *frames; /* MGRED_TX_FRAMES x MGRED_FRAME_MAX */
};

struct mgred {
	struct ev_loop *loop;
	struct nlh *nl;
	struct mgred_tunnel *tunnels[MGRED_MAX_TUNNELS];
	unsigned ntunnels;
	struct mgred_underlay *underlays;
	struct ctl_server *ctl;
	bool offload; /* use TAP offloads (vnet GSO); -O turns it off */
	uint64_t started_ms;
};

/* mgred_conf.c */
int mgred_conf_load(const char *path, struct mgred_conf *conf, struct strbuf *errors);
int mgred_conf_load_mem(const char *name, const void *data, size_t len, struct mgred_conf *conf,
			struct strbuf *errors);

/* mgred_tunnel.c */
int mgred_tunnel_create(struct mgred *d, const struct mgred_tunnel_conf *tc);
void mgred_tunnel_destroy(struct mgred_tunnel *t);
struct mgred_tunnel *mgred_tunnel_find(struct mgred *d, const char *name);

/* mgred_underlay.c */
struct mgred_underlay *mgred_underlay_get(struct mgred *d, const struct ipaddr *local,
					  const char *dev, unsigned ttl);
void mgred_underlay_put(struct mgred_underlay *ul);

/* mgred_tx.c: TAP readable */
void mgred_tx_tap_cb(struct ev_loop *loop, ev_io *w, int revents);
void mgred_tx_flush(struct mgred_tunnel *t);

/* mgred_rx.c: underlay socket readable */
void mgred_rx_underlay_cb(struct ev_loop *loop, ev_io *w, int revents);

/* mgred_multicast.c: where replication to NHRP peers will live */
void mgred_multicast_out(struct mgred_tunnel *t, const uint8_t *frame, size_t len);

/* mgred_peer.c */
struct mgred_peer *mgred_peer_get(struct mgred_peer_table *pt, const struct ipaddr *nbma,
				  uint64_t now_ms);
void mgred_peer_table_clear(struct mgred_peer_table *pt);

/* mgred_ctl.c */
int mgred_ctl_handle(void *ctx, const char *line, struct strbuf *out);

#endif
