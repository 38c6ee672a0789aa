/*
 * nhrpd: NHRP (RFC 2332) with the Cisco DMVPN conventions, per mGRE tunnel
 * interface, as next-hop client (spoke), next-hop server (hub) or both.
 *
 * Objects, one file each:
 *   nhrpd_conf.c     the configuration as a whole (read with lib/cmd_conf)
 *   nhrpd_cmd_*.c    the commands of lib/grammar.def nhrpd owns: config
 *                    lines, operational commands, the binding
 *   nhrpd_running_config.c  show running-config
 *   nhrpd_reconfigure.c     a new configuration applied live, or noticed
 *   nhrp_iface.c     a tunnel interface: data plane handle, NHRP socket
 *   nhrp_iface_reconf.c     a running interface takes new NHRP settings
 *   nhrp_cache.c     the cache (overlay -> NBMA bindings) mirrored into the
 *                    interface's neighbour table
 *   nhrp_nhs.c       next-hop client: registration with each NHS (FSM)
 *   nhrp_server.c    next-hop server: registrations, purges
 *   nhrp_resolve.c   Resolution Requests/Replies, on neighbour misses
 *   nhrp_send.c      building and sending packets with the standard
 *                    extensions; Error Indications
 *   nhrp_recv.c      receive path: decode, authenticate, dispatch by type
 *   nhrp_neigh.c     rtnetlink: the kernel's neighbour solicitations
 *   nhrp_multicast.c replication of overlay multicast to peers
 *   nhrpd_daemon.c   nhrpd for the daemon skeleton (lib/daemon.h): start,
 *                    stop, control socket requests, SIGHUP
 */
#ifndef DMVPN_NHRPD_H
#define DMVPN_NHRPD_H

#include <ev.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "gre/dataplane.h"
#include "gre/tunnel_conf.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/strbuf.h"
#include "nhrpd/nhrp_packet.h"
#include "routing/zapi_client.h"

#define NHRP_MAX_IFACES 16
#define NHRP_MAX_NHS 8
#define NHRP_MAX_STATIC 64
#define NHRP_MAX_MCAST_STATIC 16
#define NHRP_AUTH_MAX 8		     /* Cisco: cleartext password, 8 characters */
#define NHRP_DEFAULT_HOLDTIME 7200   /* seconds; Cisco's and FRR's default */
#define NHRP_NEGATIVE_HOLD_MS 10000  /* a negative answer is believed this long */
#define NHRP_MAX_CACHE 65536	     /* entries per interface */
#define NHRP_RESOLVE_TIMEOUT_MS 1000 /* first retry of a Resolution Request */
#define NHRP_RESOLVE_TRIES 3

/* ---------- configuration ---------- */

#define NHRPD_CONF_MAX_IFACES 64 /* interface blocks kept, NHRP or not */
#define NHRP_HOSTNAME_MAX 63	 /* Cisco: 63 characters */
#define NHRP_AUTH_FILE_MAX 256

struct nhrp_nhs_conf {
	struct ipaddr proto; /* the NHS's overlay address */
	struct ipaddr nbma;
	bool multicast;
	int line;
};

struct nhrp_map_conf {
	struct ipaddr proto;
	struct ipaddr nbma;
	int line;
};

/*
 * One `interface` block, whatever it holds: nhrpd keeps every block so that
 * `show running-config` gives back what was configured, and runs only the
 * mGRE tunnels with NHRP lines (nhrpd_conf_iface_runs). The tunnel's own
 * lines are read by gre/tunnel_conf.c's handlers, as mgred reads them.
 */
struct nhrp_iface_conf {
	/* first: name, tunnel mode, source, data plane and our overlay
	 * address (ip address), the lines shared with mgred */
	struct tunnel_conf tun;
	uint32_t network_id;	    /* 0: none */
	uint32_t holdtime;	    /* seconds in effect: NHRP_DEFAULT_HOLDTIME unless set */
	bool holdtime_set;
	uint32_t reg_timeout;	    /* seconds between registrations; 0: holdtime/3 */
	bool no_unique;
	bool mcast_dynamic;	    /* ip nhrp map multicast dynamic */
	bool mcast_nhs;		    /* ip nhrp map multicast nhs */
	bool redirect;
	bool shortcut;
	bool host_routes;	    /* ip nhrp host-routes: zebra route per registration */
	uint8_t auth[NHRP_AUTH_MAX];
	size_t auth_len;	    /* 0: no authentication */
	char auth_file[NHRP_AUTH_FILE_MAX]; /* where auth came from; "": inline */
	unsigned nnhs;
	struct nhrp_nhs_conf nhs[NHRP_MAX_NHS];
	unsigned nmaps;
	struct nhrp_map_conf maps[NHRP_MAX_STATIC];
	unsigned nmcast;
	struct ipaddr mcast[NHRP_MAX_MCAST_STATIC];
};

#define NHRP_ZEBRA_DEFAULT_DISTANCE 10 /* zebra's own default for NHRP routes */
#define NHRP_ZEBRA_DEFAULT_PATH "/run/frr/zserv.api"

struct nhrpd_conf {
	char hostname[NHRP_HOSTNAME_MAX + 1];
	unsigned nifaces;
	struct nhrp_iface_conf ifaces[NHRPD_CONF_MAX_IFACES];
	/* nhrp zebra [socket PATH] [instance N] [distance D]: the values
	 * hold the defaults unless given (the *_set flags) */
	bool zebra;
	char zebra_path[108];
	uint32_t zebra_instance;
	uint32_t zebra_distance;
	bool zebra_path_set, zebra_instance_set, zebra_distance_set;
};

/* Read a whole configuration (nothing is kept on an error; errors are
 * "name:line: reason"). */
int nhrpd_conf_load(const char *path, struct nhrpd_conf *c, struct strbuf *errors);
int nhrpd_conf_load_mem(const char *name, const void *data, size_t len, struct nhrpd_conf *c,
			struct strbuf *errors);
/* An empty configuration (defaults). */
void nhrpd_conf_init(struct nhrpd_conf *c);
/* Where nhrpd's configuration keeps its interface blocks, for the handlers
 * of the lines it shares with mgred (gre/tunnel_conf.h); a new block gets
 * nhrpd's defaults. */
extern const struct tunnel_conf_blocks nhrpd_tunnel_blocks;
/*
 * The checks of the whole configuration: at most NHRP_MAX_IFACES NHRP
 * interfaces and, reading a file (name set), each of them complete. Errors
 * are "name:line: reason", or "reason" when name is NULL (a live line,
 * where an interface being typed may be incomplete). 0 or -1.
 */
int nhrpd_conf_check(const struct nhrpd_conf *c, const char *name, struct strbuf *errors);
/* Wipe secrets (authentication) held by a configuration. */
void nhrpd_conf_wipe(struct nhrpd_conf *c);
/* Free a heap configuration (the skeleton's copies), wiped. NULL is fine. */
void nhrpd_conf_free(struct nhrpd_conf *c);
struct nhrp_iface_conf *nhrpd_conf_iface(const struct nhrpd_conf *c, const char *name);
/* Has the block any ip nhrp line? */
bool nhrpd_conf_iface_has_nhrp(const struct nhrp_iface_conf *ic);
/* An mGRE tunnel with NHRP lines: nhrpd runs it. */
bool nhrpd_conf_iface_runs(const struct nhrp_iface_conf *ic);
/* What a running interface still lacks ("'tunnel source' is required for
 * NHRP"), or NULL when complete. */
const char *nhrpd_conf_iface_incomplete(const struct nhrp_iface_conf *ic);
unsigned nhrpd_conf_count_running(const struct nhrpd_conf *c);
/* nhrp zebra, or shortcuts and host routes, which go to zebra. */
bool nhrpd_conf_zebra_wanted(const struct nhrpd_conf *c);
/* Read an authentication password file (mode 0600, one line, 1-8
 * characters) into ic; 0, or -1 with the reason in err. */
int nhrpd_conf_read_auth_file(struct nhrp_iface_conf *ic, const char *path, struct strbuf *err);
/*
 * The configuration as text in canonical order (`show running-config`):
 * an inline password is "<secret-hidden>" unless secrets.
 */
#define NHRPD_SECRET_HIDDEN "<secret-hidden>"
void nhrpd_running_config(const struct nhrpd_conf *c, bool secrets, struct strbuf *out);

/* ---------- counters ---------- */

enum nhrp_drop {
	NHRP_DROP_MALFORMED,	  /* decode refused it */
	NHRP_DROP_AUTH,		  /* authentication missing or wrong */
	NHRP_DROP_UNEXPECTED,	  /* a reply nobody asked for, wrong type for our role */
	NHRP_DROP_HOP_COUNT,	  /* hop count exhausted */
	NHRP_DROP_LOOP,		  /* our own address in a transit record */
	NHRP_DROP_NOT_SERVER,	  /* a request for a server we are not */
	NHRP_DROP_NO_RESOURCES,	  /* cache full */
	NHRP_DROP_SEND_ERROR,	  /* could not send */
	NHRP_DROP__COUNT
};
const char *nhrp_drop_name(enum nhrp_drop d);

struct nhrp_traffic {
	uint64_t sent[NHRP_TYPE_MAX + 1];
	uint64_t received[NHRP_TYPE_MAX + 1];
	uint64_t forwarded[NHRP_TYPE_MAX + 1];
	uint64_t dropped[NHRP_DROP__COUNT];
	uint64_t mcast_replicated;
	uint64_t mcast_send_error;
	uint64_t redirects_sent;      /* Traffic Indications for hairpinned packets */
	uint64_t redirects_limited;   /* suppressed by the per-pair rate limit */
	uint64_t shortcuts_installed;
};

/* ---------- cache ---------- */

/* Cisco's cache attributes, in order of precedence. */
enum nhrp_cache_type {
	NHRP_CACHE_INCOMPLETE, /* resolution under way */
	NHRP_CACHE_NEGATIVE,   /* resolution failed: do not ask again for a while */
	NHRP_CACHE_CACHED,     /* learnt from a resolution (either side) */
	NHRP_CACHE_DYNAMIC,    /* registered with us (we are its NHS) */
	NHRP_CACHE_NHS,	       /* one of our NHSes (ip nhrp nhs) */
	NHRP_CACHE_STATIC,     /* ip nhrp map */
	NHRP_CACHE_LOCAL,      /* our own address */
};
const char *nhrp_cache_type_name(enum nhrp_cache_type t);

#define NHRP_MAX_PURGE_TARGETS 8

/* Who was told about a binding (so that it can be purged, RFC 2332 5.2.5). */
struct nhrp_purge_target {
	struct ipaddr nbma;
	struct ipaddr proto;
};

struct nhrp_cache_entry {
	struct nhrp_cache_entry *hnext; /* hash chain */
	struct nhrp_iface *ifp;
	enum nhrp_cache_type type;
	struct ipaddr proto;
	uint8_t prefix_len;
	struct ipaddr nbma;	    /* as we reach it (after NAT) */
	struct ipaddr nbma_claimed; /* what the peer said, when it differs */
	bool unique;
	bool nat;
	bool neigh_installed;
	uint16_t holding_time;	    /* seconds, as granted */
	uint16_t mtu;
	uint64_t created_ms;
	uint64_t expires_ms;	    /* 0: never */
	uint64_t bound_ms;	    /* when the binding was last (re)granted */
	uint64_t last_used_ms;	    /* last neighbour solicitation for it */
	bool refresh_checked;	    /* past the refresh point of its holding time */
	uint32_t request_id;	    /* outstanding resolution */
	bool shortcut;		    /* resolving a prefix for a shortcut (phase 3) */
	bool host_route;	    /* a host route for it is in zebra */
	unsigned tries;
	struct timer timer;	    /* expiry, or resolution retry */
	unsigned npurge;
	struct nhrp_purge_target purge[NHRP_MAX_PURGE_TARGETS];
};

struct nhrp_cache {
	struct nhrp_cache_entry **buckets;
	size_t nbuckets;
	size_t count;
	size_t count_by_type[NHRP_CACHE_LOCAL + 1];
};

int nhrp_cache_init(struct nhrp_cache *c);
void nhrp_cache_flush(struct nhrp_iface *ifp, bool keep_config); /* frees entries */
void nhrp_cache_free(struct nhrp_iface *ifp);
struct nhrp_cache_entry *nhrp_cache_get(struct nhrp_iface *ifp, const struct ipaddr *proto);
/* Create (type, no NBMA yet) or NULL when full. */
struct nhrp_cache_entry *nhrp_cache_new(struct nhrp_iface *ifp, const struct ipaddr *proto,
					enum nhrp_cache_type type);
/*
 * Bind an entry: type, NBMA, holding time (0 = permanent) and install or
 * refresh its neighbour entry. The entry's timer expires it.
 */
void nhrp_cache_bind(struct nhrp_cache_entry *e, enum nhrp_cache_type type,
		     const struct ipaddr *nbma, uint16_t holding_time);
/* Re-install the neighbour entry of a valid binding (the kernel asked). */
void nhrp_cache_neigh_refresh(struct nhrp_cache_entry *e);
void nhrp_cache_set_type(struct nhrp_cache_entry *e, enum nhrp_cache_type type);
/* Remove: neighbour entry deleted, purges sent to whoever was told. */
void nhrp_cache_remove(struct nhrp_cache_entry *e, const char *why);
void nhrp_cache_add_purge_target(struct nhrp_cache_entry *e, const struct ipaddr *nbma,
				 const struct ipaddr *proto);
/* Iterate every entry (the callback may not remove entries). */
void nhrp_cache_foreach(struct nhrp_iface *ifp, void (*fn)(struct nhrp_cache_entry *, void *),
			void *arg);
bool nhrp_cache_entry_valid(const struct nhrp_cache_entry *e); /* usable binding */

/* ---------- next-hop client ---------- */

enum nhrp_nhs_state {
	NHRP_NHS_DOWN,	  /* not registered; retrying with backoff */
	NHRP_NHS_PROBING, /* a registration is outstanding and overdue */
	NHRP_NHS_UP,	  /* registered */
};
const char *nhrp_nhs_state_name(enum nhrp_nhs_state s);

enum nhrp_nhs_event {
	NHRP_NHS_EV_START,
	NHRP_NHS_EV_TIMER,	 /* time to send (refresh or retry) */
	NHRP_NHS_EV_REPLY_OK,
	NHRP_NHS_EV_REPLY_REFUSED,
	NHRP_NHS_EV_STOP,
};

struct nhrp_nhs {
	struct nhrp_iface *ifp;
	struct nhrp_nhs_conf conf;
	enum nhrp_nhs_state state;
	uint32_t request_id;
	uint64_t sent_ms;
	uint64_t up_since_ms;
	uint64_t last_reply_ms;
	uint16_t last_code;	/* CIE code of the last reply */
	unsigned missed;	/* requests without a reply since the last one */
	uint64_t requests, replies, refusals;
	uint16_t granted;	/* holding time the NHS granted us (0: none yet) */
	struct backoff backoff;
	struct timer timer;
	bool nat_detected;
};

/* A registration with an NHS (stopped until START); NULL when out of memory. */
struct nhrp_nhs *nhrp_nhs_new(struct nhrp_iface *ifp, const struct nhrp_nhs_conf *c);
void nhrp_nhs_free(struct nhrp_nhs *n);
void nhrp_nhs_fsm(struct nhrp_nhs *n, enum nhrp_nhs_event ev);
void nhrp_nhs_recv_reply(struct nhrp_iface *ifp, struct nhrp_packet *p,
			 const struct ipaddr *from_nbma);

/* ---------- interface ---------- */

struct nhrp_iface {
	struct nhrpd *d;
	struct nhrp_iface_conf conf;
	struct dp_tunnel *dp;
	int ifindex;
	struct ipaddr nbma; /* our NBMA address */
	bool attached;	     /* the overlay interface exists and we hold it */
	struct timer attach_timer;
	unsigned mtu;
	ev_io nhrp_io;
	int mcast_fd;
	ev_io mcast_io;
	struct nhrp_cache cache;
	unsigned nnhs;
	struct nhrp_nhs *nhs[NHRP_MAX_NHS]; /* in configured order */
	struct nhrp_traffic traffic;
	struct nhrp_shortcut *shortcuts;
	unsigned nshortcuts;
	struct log_ratelimit rl;
	uint64_t up_ms;
};

/* A shortcut (DMVPN phase 3): a prefix learnt from a Resolution Reply
 * whose CIE names the egress router's overlay address. */
struct nhrp_shortcut {
	struct nhrp_shortcut *next;
	struct nhrp_iface *ifp;
	struct ipaddr prefix;
	uint8_t plen;
	struct ipaddr target; /* the address that was resolved */
	struct ipaddr via;    /* the egress router's overlay address */
	uint16_t holding_time;
	uint64_t created_ms;
	uint64_t expires_ms;
	struct timer timer;
};

struct nhrpd {
	struct ev_loop *loop;
	struct zapi_client *zebra;
	uint32_t zebra_distance;
	int nflog_fd;
	ev_io nflog_io;
	bool nft_installed;
	struct ctl_server *ctl;
	unsigned nifaces;
	struct nhrp_iface *ifaces[NHRP_MAX_IFACES];
	int neigh_fd;
	ev_io neigh_io;
	uint32_t next_request_id;
	struct nhrpd_conf *conf; /* the running configuration (what was accepted) */
	const char *conf_path;	 /* re-read on SIGHUP */
};

int nhrp_iface_create(struct nhrpd *d, const struct nhrp_iface_conf *c);
/* The overlay interface went away (its data plane restarted): drop what
 * lived on it and try to attach again. */
void nhrp_iface_detach(struct nhrp_iface *ifp, const char *why);
void nhrp_iface_destroy(struct nhrp_iface *ifp);
/*
 * Apply what can change while the interface runs (NHRP parameters, NHSes,
 * static and multicast maps, authentication, redirect/shortcut/host-routes
 * flags) from c; its tunnel source, data plane and address stay as they
 * were (those need a restart). Registrations not concerned survive.
 */
void nhrp_iface_reconfigure(struct nhrp_iface *ifp, const struct nhrp_iface_conf *c);
/* Put our address, the static maps and the NHSes of the configuration in
 * the cache (entries already bound as configured are left alone). */
void nhrp_iface_load_config(struct nhrp_iface *ifp);
struct nhrp_iface *nhrp_iface_by_index(struct nhrpd *d, int ifindex);
struct nhrp_iface *nhrp_iface_by_name(struct nhrpd *d, const char *name);
uint32_t nhrp_next_request_id(struct nhrpd *d);
/* Is a an address of ours on this interface? */
bool nhrp_iface_is_local(const struct nhrp_iface *ifp, const struct ipaddr *a);
bool nhrp_iface_is_server(const struct nhrp_iface *ifp); /* a hub: no NHS configured */
uint16_t nhrp_iface_holdtime(const struct nhrp_iface *ifp);
uint16_t nhrp_iface_mtu(const struct nhrp_iface *ifp);

/* ---------- packets ---------- */

/* Start a request/reply from our addresses (fixed header, mandatory part). */
void nhrp_packet_init(struct nhrp_iface *ifp, struct nhrp_packet *p, enum nhrp_type type);
/* Add the extensions every request carries (RFC 2332 5.3; Cisco: NAT). */
void nhrp_packet_add_request_exts(struct nhrp_iface *ifp, struct nhrp_packet *p);
/* Authentication extension, when configured (must be first, RFC 2332 5.3.4). */
void nhrp_packet_add_auth(struct nhrp_iface *ifp, struct nhrp_packet *p);
/* A reply starts as a copy of its request with the type changed (RFC 2332
 * 5.2.2, 5.2.4, 5.2.6): same addresses, request id and extensions. */
void nhrp_packet_reply_from(const struct nhrp_packet *req, struct nhrp_packet *rep,
			    enum nhrp_type type);
/* Our CIE into the Responder Address extension, when the request has one. */
void nhrp_packet_fill_responder(struct nhrp_iface *ifp, struct nhrp_packet *rep);
/* Encode and send to an NBMA address; counts it. 0 or -1. */
int nhrp_send(struct nhrp_iface *ifp, struct nhrp_packet *p, const struct ipaddr *nbma);
/* Send an Error Indication about a packet we received (RFC 2332 5.2.7). */
void nhrp_send_error(struct nhrp_iface *ifp, const uint8_t *pkt, size_t len,
		     const struct nhrp_packet *orig, uint16_t code, uint16_t offset,
		     const struct ipaddr *to_nbma);
void nhrp_drop(struct nhrp_iface *ifp, enum nhrp_drop why, const struct ipaddr *from,
	       const char *detail);

void nhrp_recv_packet(struct nhrp_iface *ifp, const uint8_t *pkt, size_t len,
		      const struct ipaddr *from_nbma);

/* Server side (hub). */
void nhrp_server_recv_registration(struct nhrp_iface *ifp, struct nhrp_packet *p,
				   const struct ipaddr *from_nbma);
void nhrp_recv_purge_request(struct nhrp_iface *ifp, struct nhrp_packet *p,
			     const struct ipaddr *from_nbma);
void nhrp_send_purge(struct nhrp_iface *ifp, const struct nhrp_cache_entry *e,
		     const struct nhrp_purge_target *to);

/* Resolution. */
void nhrp_resolve_start(struct nhrp_iface *ifp, const struct ipaddr *proto);
/* An incomplete entry's timer: resend, or give up (negative). */
void nhrp_resolve_retry(struct nhrp_cache_entry *e);
/* Re-resolve a cached binding that is still in use, before it expires. */
void nhrp_resolve_refresh(struct nhrp_cache_entry *e);
void nhrp_resolve_recv_request(struct nhrp_iface *ifp, struct nhrp_packet *p, const uint8_t *pkt,
			       size_t len, const struct ipaddr *from_nbma);
void nhrp_resolve_recv_reply(struct nhrp_iface *ifp, struct nhrp_packet *p,
			     const struct ipaddr *from_nbma);
/* The kernel asks for an overlay address's lladdr (neighbour miss/probe). */
void nhrp_neigh_solicited(struct nhrp_iface *ifp, const struct ipaddr *proto);

/* The kernel's route for an address (nhrp_route.c). */
struct nhrp_route_info {
	bool found;	/* a unicast or local route */
	uint8_t type;	/* RTN_* */
	uint8_t plen;	/* prefix length of the matching route */
	int oif;
	struct ipaddr gateway; /* unset for a connected route */
};
int nhrp_route_lookup(const struct ipaddr *dst, struct nhrp_route_info *ri);

/* rtnetlink neighbour solicitations. */
int nhrp_neigh_open(struct nhrpd *d);
void nhrp_neigh_close(struct nhrpd *d);

/* Multicast replication. */
int nhrp_multicast_open(struct nhrp_iface *ifp);
void nhrp_multicast_close(struct nhrp_iface *ifp);
/* The configuration changed: open or close replication as it now wants. */
void nhrp_multicast_update(struct nhrp_iface *ifp);

/* Routes into zebra (nhrp_zebra.c): host routes for registrations, and
 * shortcut routes. No-ops without a zebra connection. */
int nhrp_zebra_open(struct nhrpd *d, const struct nhrpd_conf *c);
void nhrp_zebra_close(struct nhrpd *d);
void nhrp_zebra_entry_bound(struct nhrp_cache_entry *e);
void nhrp_zebra_entry_removed(struct nhrp_cache_entry *e);
void nhrp_zebra_shortcut_add(struct nhrp_shortcut *sc);
void nhrp_zebra_shortcut_del(struct nhrp_shortcut *sc);
/* "installed", "pending", "failed", ... or "no zebra". */
const char *nhrp_zebra_route_state(struct nhrpd *d, const struct ipaddr *prefix, uint8_t plen);

/* Shortcuts (nhrp_shortcut.c). */
/* A Traffic Indication asks us to find a better path to dst. */
void nhrp_shortcut_request(struct nhrp_iface *ifp, const struct ipaddr *dst);
/* A Resolution Reply named an egress router for a prefix. */
void nhrp_shortcut_install(struct nhrp_iface *ifp, const struct ipaddr *target, uint8_t plen,
			   const struct ipaddr *via, uint16_t holding_time);
/* The binding of via is in use and being refreshed: refresh its shortcuts. */
void nhrp_shortcut_refresh_via(struct nhrp_iface *ifp, const struct ipaddr *via);
/* The binding of via is gone: so are the shortcuts through it. */
void nhrp_shortcut_via_gone(struct nhrp_iface *ifp, const struct ipaddr *via);
/* Purge: remove shortcuts for prefix/plen (or covered by it). */
void nhrp_shortcut_purge(struct nhrp_iface *ifp, const struct ipaddr *prefix, uint8_t plen);
void nhrp_shortcut_flush(struct nhrp_iface *ifp);
const struct nhrp_shortcut *nhrp_shortcut_find(const struct nhrp_iface *ifp,
					       const struct ipaddr *dst);

/* Redirects (nhrp_redirect.c): hairpinned packets on a hub with
 * `ip nhrp redirect` become Traffic Indications; a spoke with `ip nhrp
 * shortcut` answers them. */
int nhrp_redirect_open(struct nhrpd *d);
void nhrp_redirect_close(struct nhrpd *d);
void nhrp_redirect_recv_indication(struct nhrp_iface *ifp, struct nhrp_packet *p,
				   const struct ipaddr *from_nbma);

/* nhrpd_daemon.c: the daemon skeleton's table (lib/daemon.h), and its
 * control socket requests. */
struct daemon_def;
extern const struct daemon_def nhrpd_daemon;
int nhrpd_ctl_handle(void *ctx, const char *line, struct strbuf *out);

/*
 * Bring the running daemon from configuration old to new (both accepted):
 * live where possible, otherwise a line "% nhrpd: restart nhrpd to apply:
 * WHAT" in notices. Only what differs between old and new is touched.
 */
void nhrpd_reconfigure(struct nhrpd *d, const struct nhrpd_conf *old, const struct nhrpd_conf *new,
		       struct strbuf *notices);
/* Re-read the configuration file (SIGHUP, nhrpd_daemon.c): applied as by
 * nhrpd_reconfigure, or logged and ignored when it has errors. */
void nhrpd_reload(struct nhrpd *d);


#endif
