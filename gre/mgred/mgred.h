/*
 * mgred: the userspace mGRE data plane. Per tunnel it owns a TAP device (the
 * overlay interface; the kernel's routing and neighbour table still choose
 * the next hop) and forwards between it and GRE over raw IP sockets:
 *
 *   TAP frame, dst lladdr = NBMA  --mgred_tx.c-->  GRE (RFC 2784/2890) to NBMA
 *   GRE from NBMA, right key      --mgred_rx.c-->  TAP frame, src lladdr = NBMA
 *
 * Tunnels that share a local address share one raw socket (an "underlay"
 * endpoint) and are told apart by their GRE key. How a data packet and
 * NHRP's frames cross it: docs/architecture.md.
 */
#ifndef DMVPN_MGRED_H
#define DMVPN_MGRED_H

#include <ev.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "gre/tunnel_conf.h"
#include "lib/addr.h"
#include "lib/clock.h"
#include "lib/cmd_conf.h"
#include "lib/log.h"
#include "lib/strbuf.h"

#define MGRED_MAX_TUNNELS  64
#define MGRED_MAX_ADDRS    8
#define MGRED_BATCH        64    /* packets per sendmmsg / recvmmsg */
#define MGRED_TX_FRAMES    16    /* TAP frames held while their segments wait in a batch */
#define MGRED_FRAME_MAX    65600 /* vnet header + Ethernet + a 64 KiB GSO frame */
#define MGRED_RX_BUF       65536 /* one IP datagram */
#define MGRED_HDR_SLOT     256   /* GRE + rebuilt L3/L4 header of one segment */
#define MGRED_MAX_PEERS    65536 /* per tunnel; more are forwarded but not itemized */
#define MGRED_PEER_BUCKETS 1024
#define MGRED_VNET_HDR_LEN ((int)sizeof(struct virtio_net_hdr))
#define MGRED_ETH_HLEN     14

/* Why a packet was dropped; one counter each. Names in mgred_drop_name(). */
enum mgred_drop {
	/* overlay -> underlay */
	MGRED_DROP_TX_ARP,       /* ARP never leaves: NHRP resolves instead */
	MGRED_DROP_TX_MULTICAST, /* no replication targets yet */
	MGRED_DROP_TX_UNMAPPED,  /* destination lladdr encodes no NBMA address */
	MGRED_DROP_TX_PROTO,     /* ethertype GRE here does not carry */
	MGRED_DROP_TX_MALFORMED, /* runt frame, bad vnet header or GSO layout */
	MGRED_DROP_TX_SEND_ERROR,
	/* underlay -> overlay, after the key matched a tunnel */
	MGRED_DROP_RX_PROTO,     /* payload protocol is not IPv4, IPv6 or NHRP */
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
	uint64_t tx_gso_frames; /* TAP super-frames split into segments */
	uint64_t rx_coalesced;  /* GRE packets merged into bigger TAP frames */
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

#define MGRED_MAX_IFACES  128 /* interface blocks kept, run or not */
#define MGRED_DESC_MAX    240 /* description, as Cisco IOS allows */
#define MGRED_DEFAULT_TTL 64

/*
 * One `interface` block of the config, whether mgred runs it or not (only
 * userspace mGRE tunnels run here; the others are kept so that show
 * running-config gives them back). The lines nhrpd reads too (name,
 * tunnel mode, source, data plane, the IPv4 address) are in tun; zero
 * means "not set" wherever the grammar's range excludes zero (ttl, mtu).
 * The interface's addresses are tun's IPv4 one and the ipv6 ones, at most
 * MGRED_MAX_ADDRS in all (mgred_iface_addrs lists them).
 */
struct mgred_iface_conf {
	struct tunnel_conf tun; /* first: the lines shared with nhrpd (gre/tunnel_conf.h) */
	char description[MGRED_DESC_MAX + 1];
	bool has_key;
	uint32_t key;
	unsigned ttl;                                /* 0: default 64 */
	unsigned mtu;                                /* 0: underlay MTU minus overhead */
	bool checksum;                               /* tunnel checksum: send RFC 2784 checksums */
	struct mgred_prefix addrs6[MGRED_MAX_ADDRS]; /* ipv6 address lines */
	unsigned naddrs6;
};

struct mgred_conf {
	struct mgred_iface_conf ifaces[MGRED_MAX_IFACES];
	unsigned nifaces;
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
	bool in_frame;        /* a frame is being cut into segments right now */
};

struct mgred_tunnel {
	struct mgred *d;
	struct mgred_iface_conf conf; /* as applied (mgred_reconfigure.c) */
	int tap_fd;
	int ifindex;
	uint8_t mac[6];      /* our own lladdr: encodes the local NBMA address */
	struct ipaddr local; /* resolved local NBMA address */
	unsigned mtu;
	unsigned ul_mtu;  /* of the underlay device at creation: the default mtu's base */
	unsigned gre_len; /* GRE header bytes on every packet we send */
	bool offload;     /* TAP hands us GSO super-frames */
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
	struct mgred_conf *conf; /* the running configuration */
	const char *conf_path;   /* re-read on SIGHUP */
	struct nlh *nl;
	struct mgred_tunnel *tunnels[MGRED_MAX_TUNNELS];
	unsigned ntunnels;
	struct mgred_underlay *underlays;
	struct ctl_server *ctl;
	bool offload; /* use TAP offloads (vnet GSO); -O turns it off */
	uint64_t started_ms;
};

/* mgred_conf_load.c: a file (or text) read with mgred's binding; 0, or -1
 * with "file:line: reason" lines in errors. */
int mgred_conf_load(const char *path, struct mgred_conf *conf, struct strbuf *errors);
int mgred_conf_load_mem(const char *name, const void *data, size_t len, struct mgred_conf *conf,
                        struct strbuf *errors);

/* mgred_conf.c: the configuration as data. Where mgred's configuration keeps its interface blocks,
 * for the handlers of the lines it shares with nhrpd (gre/tunnel_conf.h). */
extern const struct tunnel_conf_blocks mgred_tunnel_blocks;
/* Every address of the interface, the IPv4 one first: how many. */
unsigned mgred_iface_addrs(const struct mgred_iface_conf *ic,
                           struct mgred_prefix out[MGRED_MAX_ADDRS]);
/* Is p (address and length) one of them? */
bool mgred_iface_has_prefix(const struct mgred_iface_conf *ic, const struct mgred_prefix *p);
/* Does mgred run this block: an mGRE tunnel of the userspace data plane? */
bool mgred_iface_is_tunnel(const struct mgred_iface_conf *ic);
unsigned mgred_conf_ntunnels(const struct mgred_conf *c);
/* Equal but for where they were read. */
bool mgred_iface_conf_equal(const struct mgred_iface_conf *a, const struct mgred_iface_conf *b);
/* The checks across blocks: 0, or -1 with each reason at its file:line
 * through r (reading a file) or in why ("% reason", a live candidate). */
struct conf_reader;
int mgred_conf_check_blocks(const struct mgred_conf *c, struct conf_reader *r, struct strbuf *why);
/* The same on a live candidate: 0, or -1 with the reason in why. */
int mgred_conf_check(const struct mgred_conf *c, struct strbuf *why);
/* Free a heap configuration (the skeleton's copies). NULL is fine. */
void mgred_conf_free(struct mgred_conf *c);
/*
 * mgred_daemon.c: one live line applied to a heap copy of running,
 * followed by the whole-config checks (lib/daemon.h's
 * daemon_conf_candidate): 0 with *cand
 * set (the caller frees it), 1 when the line is not mgred's, -1 with the
 * reason in why ("% ...\n"). running is never changed.
 */
int mgred_conf_candidate(const struct mgred_conf *running, const char *header, const char *line,
                         struct mgred_conf **cand, struct strbuf *why);

/* mgred_running_config.c: the config text mgred owns, in canonical order. */
void mgred_running_config(const struct mgred_conf *c, struct strbuf *out);

/* mgred_cmd_exec.c: every command mgred owns (gre/mgred/mgred.def, gre/gre.def). */
extern const struct cmd_binding mgred_binding;

/* mgred_reconfigure.c: make the running tunnels match new (old: what ran). */
void mgred_reconfigure(struct mgred *d, const struct mgred_conf *old,
                       const struct mgred_conf *new_conf, struct strbuf *notices);

/* mgred_tunnel.c */
int mgred_tunnel_create(struct mgred *d, const struct mgred_iface_conf *ic);
void mgred_tunnel_destroy(struct mgred_tunnel *t);
struct mgred_tunnel *mgred_tunnel_find(struct mgred *d, const char *name);
/* GRE header bytes for the tunnel's key and checksum settings. */
unsigned mgred_tunnel_gre_len(const struct mgred_iface_conf *ic);
/* The MTU the config asks for: explicit, or the underlay's minus the headers. */
unsigned mgred_tunnel_want_mtu(const struct mgred_tunnel *t, const struct mgred_iface_conf *ic);

/* mgred_underlay.c */
struct mgred_underlay *mgred_underlay_get(struct mgred *d, const struct ipaddr *local,
                                          const char *dev, unsigned ttl);
void mgred_underlay_put(struct mgred_underlay *ul);
int mgred_underlay_set_ttl(struct mgred_underlay *ul, unsigned ttl);

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

/* mgred_daemon.c: mgred for the daemon skeleton (lib/daemon.h). */
struct daemon_def;
extern const struct daemon_def mgred_daemon;

/* mgred_show.c */
int mgred_show_tunnels(struct mgred *d, const char *name, bool json, struct strbuf *o);
int mgred_clear_counters(struct mgred *d, const char *name, struct strbuf *o);

#endif
