/*
 * nhrpd: NHRP (RFC 2332) with the Cisco DMVPN conventions, per mGRE tunnel
 * interface, as next-hop client (spoke), next-hop server (hub) or both.
 * How it works with the other processes, and how a registration and a
 * resolution flow through these files: docs/architecture.md.
 *
 * The files in layers, bottom to top. A file calls functions of the files
 * below it only, never of one above it or beside it; what must travel
 * upward, the events of cache entries, goes to the subscribers an
 * interface wires to its cache when it is created, which the cache calls
 * without naming them.
 *
 *   nhrp_packet*.c       the packet codec (pure: no state, no I/O)
 *   nhrpd_conf.c, nhrpd_conf_auth.c   the configuration, as data
 *   nhrpd.h              the clock (lib/clock.h) and the small interface
 *                        accessors, static inline below
 *   nhrp_send.c          building and sending packets with the standard
 *                        extensions; Error Indications; drops counted
 *   nhrp_route.c         the kernel's route for an address (rtnetlink)
 *   nhrp_cache.c         the cache (overlay -> NBMA bindings): storage,
 *                        lookup, the subscribers' list
 *   nhrp_cache_fsm.c     the state machine of a cache entry, its timer
 *   nhrp_mirror.c        subscriber: bindings mirrored into the data
 *                        plane's neighbour table
 *   nhrp_zebra.c         subscriber: host routes in zebra; shortcut routes
 *   nhrp_shortcut.c      subscriber: shortcuts (DMVPN phase 3) go with their
 *                        next hop's binding and are refreshed with it;
 *                        Traffic Indications answered
 *   nhrp_purge.c         subscriber: purges to whoever was told of a
 *                        binding that goes or moves (RFC 2332 5.2.5);
 *                        Purge Requests received
 *   nhrp_nhs.c           next-hop client: registration with each NHS (FSM)
 *   nhrp_resolve.c       subscriber: Resolution Requests (first, retries,
 *                        refreshes); requests and replies received;
 *                        neighbour misses
 *   nhrp_server.c        next-hop server: registrations
 *   nhrp_recv.c          receive path: decode, authenticate, dispatch
 *   nhrp_multicast.c     replication of overlay multicast to peers
 *   nhrp_iface.c         a tunnel interface: data plane handle, NHRP
 *                        socket, its cache and subscribers; attach, detach
 *   nhrp_iface_reconf.c  a running interface takes new NHRP settings
 *   nhrp_redirect.c      hub: hairpinned packets (NFLOG) become Traffic
 *                        Indications
 *   nhrp_neigh.c         rtnetlink: the kernel's neighbour solicitations,
 *                        and link deletions (which detach an interface)
 *   nhrpd_cmd_conf.c     the configuration lines (lib/cmd_conf)
 *   nhrpd_running_config.c  show running-config
 *   nhrpd_reconfigure.c  a new configuration applied live, or noticed
 *   nhrpd_show*.c, nhrpd_cmd_exec.c, nhrpd_cmd_binding.c  operational
 *                        commands and their output; the binding of every
 *                        command to its handler
 *   nhrpd_conf_load.c    a configuration file read with that binding
 *   nhrpd_daemon.c       nhrpd for the daemon skeleton (lib/daemon.h): start,
 *                        stop, control socket requests, SIGHUP
 *   nhrpd_main.c         main(): the skeleton with nhrpd's table
 */
#ifndef DMVPN_NHRPD_H
#define DMVPN_NHRPD_H

#include <ev.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "gre/dataplane.h"
#include "gre/tunnel_conf.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/nl.h"
#include "lib/strbuf.h"
#include "nhrpd/nhrp_packet.h"
#include "routing/zapi_client.h"

#define NHRP_MAX_IFACES       16
#define NHRP_MAX_NHS          8
#define NHRP_MAX_STATIC       64
#define NHRP_MAX_MCAST_STATIC 16
#define NHRP_AUTH_MAX         8 /* Cisco: cleartext password, 8 characters */
/* The Authentication extension, Cisco's cleartext kind (RFC 2332 5.3.4):
 * a 32-bit type, then the password. */
#define NHRP_AUTH_TYPE_CLEARTEXT 1
#define NHRP_AUTH_HDR_LEN        4
#define NHRP_DEFAULT_HOLDTIME    7200  /* seconds; Cisco's and FRR's default */
#define NHRP_NEGATIVE_HOLD_MS    10000 /* a negative answer is believed this long */
#define NHRP_MAX_CACHE           65536 /* entries per interface */
#define NHRP_RESOLVE_TIMEOUT_MS  1000  /* first retry of a Resolution Request, then doubling */
#define NHRP_RESOLVE_TRIES       3     /* requests sent before the answer is negative */
#define NHRP_HOP_COUNT_DEFAULT   16    /* ar$hopcnt we start with (Cisco, FRR) */

/* ---------- configuration ---------- */

#define NHRPD_CONF_MAX_IFACES 64 /* interface blocks kept, NHRP or not */
#define NHRP_HOSTNAME_MAX     63 /* Cisco: 63 characters */
#define NHRP_AUTH_FILE_MAX    256

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
	uint32_t network_id; /* 0: none */
	uint32_t holdtime;   /* seconds in effect: NHRP_DEFAULT_HOLDTIME unless set */
	bool holdtime_set;
	uint32_t reg_timeout; /* seconds between registrations; 0: holdtime/3 */
	bool no_unique;
	bool mcast_dynamic; /* ip nhrp map multicast dynamic */
	bool mcast_nhs;     /* ip nhrp map multicast nhs */
	bool redirect;
	bool shortcut;
	bool host_routes; /* ip nhrp host-routes: zebra route per registration */
	uint8_t auth[NHRP_AUTH_MAX];
	size_t auth_len;                    /* 0: no authentication */
	char auth_file[NHRP_AUTH_FILE_MAX]; /* where auth came from; "": inline */
	unsigned nnhs;
	struct nhrp_nhs_conf nhs[NHRP_MAX_NHS];
	unsigned nmaps;
	struct nhrp_map_conf maps[NHRP_MAX_STATIC];
	unsigned nmcast;
	struct ipaddr mcast[NHRP_MAX_MCAST_STATIC];
};

#define NHRP_ZEBRA_DEFAULT_DISTANCE 10 /* zebra's own default for NHRP routes */
#define NHRP_ZEBRA_DEFAULT_PATH     "/run/frr/zserv.api"

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

/* nhrpd_conf_load.c: read a whole configuration with nhrpd's binding
 * (nothing is kept on an error; errors are "name:line: reason"). */
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
	NHRP_DROP_MALFORMED,    /* decode refused it */
	NHRP_DROP_AUTH,         /* authentication missing or wrong */
	NHRP_DROP_UNEXPECTED,   /* a reply nobody asked for, wrong type for our role */
	NHRP_DROP_HOP_COUNT,    /* hop count exhausted */
	NHRP_DROP_LOOP,         /* our own address in a transit record */
	NHRP_DROP_NOT_SERVER,   /* a request for a server we are not */
	NHRP_DROP_NO_RESOURCES, /* cache full */
	NHRP_DROP_SEND_ERROR,   /* could not send */
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
	uint64_t redirects_sent;    /* Traffic Indications for hairpinned packets */
	uint64_t redirects_limited; /* suppressed by the per-pair rate limit */
	uint64_t shortcuts_installed;
};

/* ---------- cache ---------- */

/*
 * Cisco's cache types, as shown, in order of precedence. An entry's
 * binding comes from one of CACHED..LOCAL (its type); incomplete and
 * negative are states of an entry without a binding, whose type is CACHED
 * until it is bound (nhrp_cache_entry_type() gives what to show).
 */
enum nhrp_cache_type {
	NHRP_CACHE_INCOMPLETE, /* resolution under way */
	NHRP_CACHE_NEGATIVE,   /* resolution failed: do not ask again for a while */
	NHRP_CACHE_CACHED,     /* learnt from a resolution (either side) */
	NHRP_CACHE_DYNAMIC,    /* registered with us (we are its NHS) */
	NHRP_CACHE_NHS,        /* one of our NHSes (ip nhrp nhs) */
	NHRP_CACHE_STATIC,     /* ip nhrp map */
	NHRP_CACHE_LOCAL,      /* our own address */
};
const char *nhrp_cache_type_name(enum nhrp_cache_type t);

/*
 * The state of a cache entry (nhrp_cache_fsm.c has the table). Its one
 * timer means what the state says:
 *
 *   NEW         created; its first event follows at once     none
 *   INCOMPLETE  a Resolution Request is out                  retry
 *   NEGATIVE    resolution failed                            end of the hold
 *   BOUND       a binding                                    refresh point
 *                                                            (cached), expiry,
 *                                                            or none
 *   REFRESHING  cached, in use at its refresh point: a       expiry
 *               request for it is out
 *   EXPIRING    cached, past its refresh point unused (or    expiry
 *               its refresh refused)
 *   REMOVED     gone: subscribers told, the entry freed
 */
enum nhrp_entry_state {
	NHRP_ENTRY_NEW,
	NHRP_ENTRY_INCOMPLETE,
	NHRP_ENTRY_NEGATIVE,
	NHRP_ENTRY_BOUND,
	NHRP_ENTRY_REFRESHING,
	NHRP_ENTRY_EXPIRING,
	NHRP_ENTRY_REMOVED,
};
#define NHRP_ENTRY_STATE_COUNT (NHRP_ENTRY_REMOVED + 1)
const char *nhrp_entry_state_name(enum nhrp_entry_state s);

enum nhrp_entry_event {
	NHRP_ENTRY_EV_RESOLVE, /* wanted: a neighbour miss, a Traffic Indication */
	NHRP_ENTRY_EV_TIMER,   /* its timer fired (what it meant follows the state) */
	NHRP_ENTRY_EV_BIND,    /* a binding: reply, registration, request, configuration */
	NHRP_ENTRY_EV_NAK,     /* a negative Resolution Reply */
	NHRP_ENTRY_EV_USED,    /* the kernel asked for it (a neighbour solicitation) */
	NHRP_ENTRY_EV_REMOVE,  /* purged, withdrawn, cleared, flushed, unconfigured */
};
#define NHRP_ENTRY_EVENT_COUNT (NHRP_ENTRY_EV_REMOVE + 1)
const char *nhrp_entry_event_name(enum nhrp_entry_event ev);

/* What the cache tells its subscribers about an entry. */
enum nhrp_entry_note {
	NHRP_ENTRY_NOTE_RESOLVE, /* send a Resolution Request: e->request_id, try e->tries */
	NHRP_ENTRY_NOTE_BOUND,   /* a binding, where there was none */
	NHRP_ENTRY_NOTE_CHANGED, /* bound again, to another NBMA address */
	NHRP_ENTRY_NOTE_RENEWED, /* bound again, to the same NBMA address */
	NHRP_ENTRY_NOTE_USED,    /* the kernel asked for a bound entry: confirm it */
	NHRP_ENTRY_NOTE_REFRESH, /* in use at its refresh point: resolve it again
	                          * (e->request_id) */
	NHRP_ENTRY_NOTE_REMOVED, /* about to be freed */
};
#define NHRP_ENTRY_NOTE_COUNT (NHRP_ENTRY_NOTE_REMOVED + 1)
const char *nhrp_entry_note_name(enum nhrp_entry_note n);

#define NHRP_MAX_PURGE_TARGETS 8

/* Who was told about a binding (so that it can be purged, RFC 2332 5.2.5). */
struct nhrp_purge_target {
	struct ipaddr nbma;
	struct ipaddr proto;
};

/* A binding, as an event gives it to an entry. */
#define NHRP_BIND_PEER   1u /* unique, nat, nbma_claimed and mtu are given */
#define NHRP_BIND_PREFIX 2u /* prefix_len is given */
struct nhrp_binding {
	enum nhrp_cache_type type; /* CACHED..LOCAL */
	struct ipaddr nbma;
	uint16_t holding_time; /* seconds; 0: permanent */
	unsigned given;        /* NHRP_BIND_*: the entry keeps what is not */
	bool unique, nat;
	struct ipaddr nbma_claimed;
	uint16_t mtu;
	uint8_t prefix_len;
};

/*
 * Only the cache (nhrp_cache.c, nhrp_cache_fsm.c) changes an entry, but
 * for the marks its subscribers keep on it (neigh_installed: the mirror's;
 * host_route: zebra's).
 */
struct nhrp_cache_entry {
	struct nhrp_cache_entry *hnext; /* hash chain */
	struct nhrp_iface *ifp;
	enum nhrp_entry_state state;
	enum nhrp_cache_type type; /* where the binding came from; CACHED unbound */
	struct ipaddr proto;
	uint8_t prefix_len;
	struct ipaddr nbma;         /* as we reach it (after NAT) */
	struct ipaddr nbma_claimed; /* what the peer said, when it differs */
	bool unique;
	bool nat;
	bool neigh_installed;
	bool host_route;       /* a host route for it is in zebra */
	uint16_t holding_time; /* seconds, as granted */
	uint16_t mtu;
	uint64_t created_ms;
	uint64_t expires_ms;   /* 0: never */
	uint64_t bound_ms;     /* when the binding was last (re)granted */
	uint64_t last_used_ms; /* last neighbour solicitation for it */
	uint32_t request_id;   /* the resolution whose answer we take; 0: none */
	unsigned tries;        /* requests sent for the current resolution */
	struct timer timer;
	unsigned npurge;
	struct nhrp_purge_target purge[NHRP_MAX_PURGE_TARGETS];
};

typedef void (*nhrp_cache_note_fn)(struct nhrp_cache_entry *e, enum nhrp_entry_note note,
                                   void *arg);

#define NHRP_CACHE_MAX_SUBSCRIBERS 8

struct nhrp_cache {
	struct nhrp_cache_entry **buckets;
	size_t nbuckets;
	size_t count;
	/* Told of every note, in subscription order; of a removal in the
	 * reverse order (what was set up last is torn down first). */
	unsigned nsubs;
	struct {
		nhrp_cache_note_fn fn;
		void *arg;
	} subs[NHRP_CACHE_MAX_SUBSCRIBERS];
	/* Events applied, by the state they found. */
	uint64_t transitions[NHRP_ENTRY_STATE_COUNT][NHRP_ENTRY_EVENT_COUNT];
};

int nhrp_cache_init(struct nhrp_cache *c);
/* Add a subscriber (0, or -1 when the list is full). */
int nhrp_cache_subscribe(struct nhrp_cache *c, nhrp_cache_note_fn fn, void *arg);
void nhrp_cache_flush(struct nhrp_iface *ifp, bool keep_config); /* frees entries */
void nhrp_cache_free(struct nhrp_iface *ifp);
struct nhrp_cache_entry *nhrp_cache_get(struct nhrp_iface *ifp, const struct ipaddr *proto);
/* Resolve proto: its entry (created INCOMPLETE, or as it was), or NULL when
 * the cache is full. */
struct nhrp_cache_entry *nhrp_cache_resolve(struct nhrp_iface *ifp, const struct ipaddr *proto);
/* Bind proto (created when new): its entry, or NULL when the cache is full. */
struct nhrp_cache_entry *nhrp_cache_bind(struct nhrp_iface *ifp, const struct ipaddr *proto,
                                         const struct nhrp_binding *b);
/* A negative answer to the entry's request. */
void nhrp_cache_nak(struct nhrp_cache_entry *e);
/* The kernel asked for it. */
void nhrp_cache_used(struct nhrp_cache_entry *e);
/* Remove (the entry is freed): subscribers told first. */
void nhrp_cache_remove(struct nhrp_cache_entry *e, const char *why);
void nhrp_cache_add_purge_target(struct nhrp_cache_entry *e, const struct ipaddr *nbma,
                                 const struct ipaddr *proto);
/* Iterate every entry (the callback may not remove entries). */
void nhrp_cache_foreach(struct nhrp_iface *ifp, void (*fn)(struct nhrp_cache_entry *, void *),
                        void *arg);
/* Has it a binding (BOUND, REFRESHING, EXPIRING)? */
bool nhrp_cache_entry_bound(const struct nhrp_cache_entry *e);
/* A binding to a peer: bound, and not our own address. */
bool nhrp_cache_entry_valid(const struct nhrp_cache_entry *e);
/* What to show as its type: incomplete, negative, or its binding's. */
enum nhrp_cache_type nhrp_cache_entry_type(const struct nhrp_cache_entry *e);

/*
 * The one entry point of the entry's state machine (nhrp_cache_fsm.c): b
 * is the binding of NHRP_ENTRY_EV_BIND, why the reason of a removal. Logs
 * a change of state, counts every event, arms the timer the new state
 * wants and tells the subscribers. After NHRP_ENTRY_EV_REMOVE (or a timer
 * that expires the entry) e is freed.
 */
void nhrp_cache_fsm(struct nhrp_cache_entry *e, enum nhrp_entry_event ev,
                    const struct nhrp_binding *b, const char *why);
/* The storage under the state machine (nhrp_cache.c, for nhrp_cache_fsm.c):
 * a new entry (NEW, no timer yet) or NULL when full; tell the subscribers;
 * unlink and free an entry whose timer is stopped. */
struct nhrp_cache_entry *nhrp_cache_new(struct nhrp_iface *ifp, const struct ipaddr *proto);
void nhrp_cache_notify(struct nhrp_cache_entry *e, enum nhrp_entry_note note);
void nhrp_cache_unlink_free(struct nhrp_cache_entry *e);

/* ---------- next-hop client ---------- */

enum nhrp_nhs_state {
	NHRP_NHS_DOWN,    /* not registered; retrying with backoff */
	NHRP_NHS_PROBING, /* a registration is outstanding and overdue */
	NHRP_NHS_UP,      /* registered */
};
const char *nhrp_nhs_state_name(enum nhrp_nhs_state s);

enum nhrp_nhs_event {
	NHRP_NHS_EV_START,
	NHRP_NHS_EV_TIMER, /* time to send (refresh or retry) */
	NHRP_NHS_EV_REPLY_OK,
	NHRP_NHS_EV_REPLY_REFUSED,
	NHRP_NHS_EV_STOP,
};
#define NHRP_NHS_EVENT_COUNT (NHRP_NHS_EV_STOP + 1)
const char *nhrp_nhs_event_name(enum nhrp_nhs_event ev);

#define NHRP_NHS_RETRY_BASE_MS 1000 /* first retry of a registration, then doubling */
#define NHRP_NHS_RETRY_CAP_MS  32000
#define NHRP_PREFIX_UNIQUE     0xff /* RFC 2332 5.2.3: a unique registration's prefix */

struct nhrp_nhs {
	struct nhrp_iface *ifp;
	struct nhrp_nhs_conf conf;
	enum nhrp_nhs_state state;
	uint32_t request_id;
	uint64_t sent_ms;
	uint64_t up_since_ms;
	uint64_t last_reply_ms;
	uint16_t last_code; /* CIE code of the last reply */
	unsigned missed;    /* requests without a reply since the last one */
	uint64_t requests, replies, refusals;
	uint64_t transitions; /* changes of state */
	uint16_t granted;     /* holding time the NHS granted us (0: none yet) */
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
	bool attached;      /* the overlay interface exists and we hold it */
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

struct nhrpd;
typedef int (*nhrp_route_lookup_fn)(struct nhrpd *d, const struct ipaddr *dst,
                                    struct nlh_route *ri);

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
	struct nlh_req *route_req;         /* route lookups, opened once (nhrp_route.c) */
	nhrp_route_lookup_fn route_lookup; /* NULL: nhrp_route_lookup; tests fake it */
	uint32_t next_request_id;
	struct nhrpd_conf *conf; /* the running configuration (what was accepted) */
	const char *conf_path;   /* re-read on SIGHUP */
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

/* ---------- small accessors ---------- */

static inline struct nhrp_iface *nhrp_iface_by_index(struct nhrpd *d, int ifindex)
{
	for (unsigned i = 0; i < d->nifaces; i++)
		if (d->ifaces[i]->attached && d->ifaces[i]->ifindex == ifindex)
			return d->ifaces[i];
	return NULL;
}

static inline struct nhrp_iface *nhrp_iface_by_name(struct nhrpd *d, const char *name)
{
	for (unsigned i = 0; i < d->nifaces; i++)
		if (!strcmp(d->ifaces[i]->conf.tun.name, name))
			return d->ifaces[i];
	return NULL;
}

/* Request IDs: never 0, which means "none" in our records. */
static inline uint32_t nhrp_next_request_id(struct nhrpd *d)
{
	if (++d->next_request_id == 0)
		d->next_request_id = 1;
	return d->next_request_id;
}

/* Is a an address of ours on this interface? */
static inline bool nhrp_iface_is_local(const struct nhrp_iface *ifp, const struct ipaddr *a)
{
	return ipaddr_equal(&ifp->conf.tun.addr, a);
}

/* A hub: no NHS configured. */
static inline bool nhrp_iface_is_server(const struct nhrp_iface *ifp)
{
	return ifp->conf.nnhs == 0;
}

static inline uint16_t nhrp_iface_holdtime(const struct nhrp_iface *ifp)
{
	return (uint16_t)ifp->conf.holdtime;
}

static inline uint16_t nhrp_iface_mtu(const struct nhrp_iface *ifp)
{
	return ifp->mtu > 65535 ? 65535 : (uint16_t)ifp->mtu;
}

/* The full-length prefix of an address (a host's CIE). */
static inline uint8_t nhrp_host_plen(const struct ipaddr *a)
{
	return (uint8_t)(ipaddr_len(a) * 8);
}

/* Clear the bits of a past its first plen (a prefix's address). */
static inline void nhrp_prefix_mask(struct ipaddr *a, uint8_t plen)
{
	for (unsigned i = 0; i < ipaddr_len(a); i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits < 8)
			a->u.bytes[i] &= (uint8_t)(0xff00 >> bits);
	}
}

/* ---------- packets ---------- */

/* Start a request/reply from our addresses (fixed header, mandatory part). */
void nhrp_packet_init(struct nhrp_iface *ifp, struct nhrp_packet *p, enum nhrp_type type);
/* Add the extensions every request carries (RFC 2332 5.3; Cisco: NAT). */
void nhrp_packet_add_request_exts(struct nhrp_iface *ifp, struct nhrp_packet *p);
/*
 * Authentication extension, when configured (must be first, RFC 2332
 * 5.3.4). It holds no secret: nhrp_send puts the password in while it
 * encodes, on its stack, and wipes it after.
 */
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

/* ---------- the cache's subscribers (wired by nhrp_iface_create) ---------- */

/* The data plane's neighbour table mirrors the bindings (nhrp_mirror.c). */
void nhrp_mirror_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg);
/* Host routes in zebra (nhrp_zebra.c). */
void nhrp_zebra_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg);
/* Requests for entries being resolved or refreshed (nhrp_resolve.c). */
void nhrp_resolve_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg);
/* Shortcuts through a binding (nhrp_shortcut.c). */
void nhrp_shortcut_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg);
/* Purges of a binding that goes or moves (nhrp_purge.c). */
void nhrp_purge_entry_note(struct nhrp_cache_entry *e, enum nhrp_entry_note note, void *arg);

/* ---------- server side (hub) ---------- */

void nhrp_server_recv_registration(struct nhrp_iface *ifp, struct nhrp_packet *p,
                                   const struct ipaddr *from_nbma);

/* Purges (nhrp_purge.c). */
void nhrp_purge_recv_request(struct nhrp_iface *ifp, struct nhrp_packet *p,
                             const struct ipaddr *from_nbma);
void nhrp_purge_send(struct nhrp_iface *ifp, const struct nhrp_cache_entry *e,
                     const struct nhrp_purge_target *to);

/* ---------- resolution ---------- */

/* Resolve proto (when there is an NHS to ask). */
void nhrp_resolve_start(struct nhrp_iface *ifp, const struct ipaddr *proto);
/* The kernel asks for an overlay address's lladdr (neighbour miss/probe). */
void nhrp_resolve_solicited(struct nhrp_iface *ifp, const struct ipaddr *proto);
void nhrp_resolve_recv_request(struct nhrp_iface *ifp, struct nhrp_packet *p, const uint8_t *pkt,
                               size_t len, const struct ipaddr *from_nbma);
void nhrp_resolve_recv_reply(struct nhrp_iface *ifp, struct nhrp_packet *p,
                             const struct ipaddr *from_nbma);

/* The kernel's route for an address (nhrp_route.c), on d->route_req, which
 * it opens when not yet open. */
int nhrp_route_lookup(struct nhrpd *d, const struct ipaddr *dst, struct nlh_route *ri);
int nhrp_route_open(struct nhrpd *d);
void nhrp_route_close(struct nhrpd *d);

/* rtnetlink neighbour solicitations and link deletions; the route lookup
 * socket opens and closes with them. */
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
/* A Traffic Indication received (with `ip nhrp shortcut`): resolve the
 * destination of the packet it carries. */
void nhrp_shortcut_recv_indication(struct nhrp_iface *ifp, struct nhrp_packet *p,
                                   const struct ipaddr *from_nbma);
/* A Resolution Reply named an egress router for a prefix. */
void nhrp_shortcut_install(struct nhrp_iface *ifp, const struct ipaddr *target, uint8_t plen,
                           const struct ipaddr *via, uint16_t holding_time);
/* Purge: remove shortcuts for prefix/plen (or covered by it). */
void nhrp_shortcut_purge(struct nhrp_iface *ifp, const struct ipaddr *prefix, uint8_t plen);
void nhrp_shortcut_flush(struct nhrp_iface *ifp);
const struct nhrp_shortcut *nhrp_shortcut_find(const struct nhrp_iface *ifp,
                                               const struct ipaddr *dst);

/* Redirects (nhrp_redirect.c): hairpinned packets on a hub with
 * `ip nhrp redirect` become Traffic Indications. */
int nhrp_redirect_open(struct nhrpd *d);
void nhrp_redirect_close(struct nhrpd *d);

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
