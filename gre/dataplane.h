/*
 * The data plane interface that nhrpd and iked program, whichever backend
 * carries the tunnel:
 *
 *   userspace  mgred's TAP device; an NBMA address is encoded in the
 *              neighbour's Ethernet lladdr (mgre_lladdr.h)
 *   kernel     a Linux ip_gre device in NBMA mode; the neighbour's lladdr
 *              is the NBMA address itself (not implemented yet: opening a
 *              kernel tunnel fails with ENOSYS and says so)
 *
 * Each backend fills a table of operations (struct dp_ops); dp_tunnel_open
 * picks the table of the backend asked for, and every call on a tunnel
 * goes through it. What is here now: the overlay -> NBMA neighbour
 * mapping, NHRP frame I/O (ethertype 0x2001 on the overlay interface, as
 * the kernel's mGRE and FRR's nhrpd use it) and the NBMA address behind a
 * link-layer source address. SAs and policies join when iked needs them.
 */
#ifndef DMVPN_DATAPLANE_H
#define DMVPN_DATAPLANE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

enum dp_backend { DP_BACKEND_USERSPACE, DP_BACKEND_KERNEL };
#define DP_BACKEND_COUNT 2

const char *dp_backend_name(enum dp_backend b);
int dp_backend_from_name(const char *name); /* -1 if unknown */

struct dp_ops;

/*
 * An open tunnel. A backend allocates it (embedded first in a struct of
 * its own, when it needs more) in its open operation and frees it in
 * close; the fields here are what every backend has.
 */
struct dp_tunnel {
	const struct dp_ops *ops;
	enum dp_backend backend;
	char ifname[IFNAMSIZ];
	int ifindex;
};

/*
 * One backend. Every operation but open takes the tunnel open returned;
 * all return 0 (or a length) on success and -1 with errno set.
 */
struct dp_ops {
	const char *name;
	/* Attach to the overlay interface ifname (the backend created it). */
	struct dp_tunnel *(*open)(const char *ifname);
	void (*close)(struct dp_tunnel *t);
	int (*mtu)(struct dp_tunnel *t, unsigned *mtu);
	int (*neigh_set)(struct dp_tunnel *t, const struct ipaddr *overlay,
	                 const struct ipaddr *nbma, bool permanent);
	int (*neigh_del)(struct dp_tunnel *t, const struct ipaddr *overlay);
	int (*nhrp_fd)(struct dp_tunnel *t);
	ssize_t (*frame_send)(struct dp_tunnel *t, const struct ipaddr *nbma, uint16_t ethertype,
	                      const void *pkt, size_t len);
	ssize_t (*nhrp_recv)(struct dp_tunnel *t, void *buf, size_t cap, struct ipaddr *nbma);
	int (*lladdr_nbma)(struct dp_tunnel *t, const uint8_t *lladdr, size_t len,
	                   struct ipaddr *nbma);
};

extern const struct dp_ops dp_userspace_ops;
extern const struct dp_ops dp_kernel_ops;

/*
 * The operations dp_tunnel_open uses for a backend. Unit tests put a
 * recording backend in place of a real one (an nhrpd interface then runs
 * without a device); the previous table is returned, to be put back.
 */
const struct dp_ops *dp_backend_set_ops(enum dp_backend b, const struct dp_ops *ops);

/*
 * Attach to the overlay interface ifname, which the backend has created
 * (mgred for userspace). NULL with errno set on failure.
 */
struct dp_tunnel *dp_tunnel_open(enum dp_backend backend, const char *ifname);
void dp_tunnel_close(struct dp_tunnel *t);
int dp_tunnel_ifindex(const struct dp_tunnel *t);
/* The overlay interface's MTU. */
int dp_tunnel_mtu(struct dp_tunnel *t, unsigned *mtu);

/* Map an overlay address to an NBMA address in the interface's neighbour
 * table; permanent for static maps, otherwise reachable (kernel ages it). */
int dp_neigh_set(struct dp_tunnel *t, const struct ipaddr *overlay, const struct ipaddr *nbma,
                 bool permanent);
int dp_neigh_del(struct dp_tunnel *t, const struct ipaddr *overlay);

/*
 * NHRP frames: a socket for ethertype 0x2001 on the overlay interface, for
 * the caller's event loop, and send/receive with the peer's NBMA address.
 */
int dp_nhrp_fd(struct dp_tunnel *t);
ssize_t dp_nhrp_send(struct dp_tunnel *t, const struct ipaddr *nbma, const void *pkt, size_t len);
/*
 * Send any overlay frame (ethertype + payload) to one NBMA address: how
 * nhrpd replicates multicast to its peers (the backend drops multicast it
 * is handed directly, having no peer list of its own).
 */
ssize_t dp_frame_send(struct dp_tunnel *t, const struct ipaddr *nbma, uint16_t ethertype,
                      const void *pkt, size_t len);
/* Returns the length, or -1 (errno EAGAIN when nothing is waiting; EPROTO
 * for a frame whose source is no NBMA address, which is then consumed). */
ssize_t dp_nhrp_recv(struct dp_tunnel *t, void *buf, size_t cap, struct ipaddr *nbma);
/*
 * The NBMA address a frame came from, given its link-layer source address
 * on the overlay interface (as a packet socket or NFLOG reports it): the
 * userspace backend decodes its own encoding, the kernel's is the address
 * itself. -1 (EPROTO) when the address names no NBMA peer.
 */
int dp_lladdr_to_nbma(struct dp_tunnel *t, const uint8_t *lladdr, size_t len, struct ipaddr *nbma);

/*
 * ESP SAs (iked installs them; RFC 4303, transport mode for GRE between
 * two NBMA addresses). Neither backend protects traffic yet: the
 * userspace one records what it is given (metadata only, never keys) so
 * that iked's state and tests can be checked, and says so through
 * dp_esp_protecting(); the kernel one (XFRM) refuses with ENOSYS.
 */
struct dp_esp_sa {
	uint32_t spi;
	struct ipaddr src, dst; /* outer (NBMA) addresses */
	bool transport;
	uint8_t ip_proto;                  /* the selector's protocol: 47 for GRE */
	uint16_t encr, encr_bits, integ;   /* IKEv2 transform ids */
	const uint8_t *enc_key, *auth_key; /* not kept by the recording backend */
	size_t enc_key_len, auth_key_len;
};

int dp_esp_sa_add(enum dp_backend backend, const struct dp_esp_sa *sa);
int dp_esp_sa_del(enum dp_backend backend, uint32_t spi, const struct ipaddr *dst);
/* How many SAs the backend holds, and whether it protects traffic. */
size_t dp_esp_sa_count(enum dp_backend backend);
bool dp_esp_protecting(enum dp_backend backend);

#endif
