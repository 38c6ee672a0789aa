/*
 * iked: IKEv2 (RFC 7296) with pre-shared keys, for protecting GRE between
 * NBMA addresses. How an exchange flows through these files:
 * docs/architecture.md.
 *
 * The files in layers, bottom to top. A file calls functions of the files
 * below it only, never of one above it or beside it. What must travel
 * upward goes through hooks wired at creation, which the lower file calls
 * without naming what is behind them: what the socket reads goes to the
 * receive function its opener gives (struct iked's recv, ike_recv), and
 * an IKE SA's timers, when they fire, call the SA's hooks (struct
 * ike_sa_hooks: ike_timers_due.c's, given by IKE_SA_INIT to the SAs it
 * makes and taken over by a rekey's SA from the one it replaces).
 *
 *   ikev2_crypto.c  crypto basics (OpenSSL 3): secrets, randomness, the
 *                   PRF and prf+, PSK AUTH, NAT detection hashes
 *   ikev2_alg.c     transform parameters: key, IV, ICV, block lengths
 *   ikev2_dh.c      Diffie-Hellman, with RFC 6989's checks
 *   ikev2_keys.c    key derivation: IKE SA keys, rekeyed, CHILD_SA KEYMAT
 *   ikev2_sk.c      the SK payload's encryption and integrity
 *   ikev2_msg.c     the message codec's names and size rules, and the
 *                   notify queries of a decoded message
 *   ikev2_msg_sa.c  the SA payload decoder
 *   ikev2_msg_decode.c  the message decoder
 *   ikev2_msg_build.c   the message builder
 *   iked.h          the state predicates and SPI helpers, static inline
 *   iked_proposal.c proposal strings parsed and printed; algorithm names
 *   iked_profile.c  a profile: counted, copied on change, its PSK file
 *   iked_conf.c     the configuration as data: copies, profiles, checks
 *   ike_net.c       the UDP/500 socket, and the send hook tests replace
 *   ike_timers.c    every timer of an IKE SA, armed at its deadline
 *   ike_protect.c   SK payloads out and in, RFC 7383 reassembly
 *   ike_child.c     the CHILD_SA: GRE selectors, keys, the data plane
 *   ike_proposal.c  SA payloads, selection by preference
 *   iked_keylog.c   test-only key log in tshark's format
 *   ike_request.c   our outstanding request (window of one) and its
 *                   retransmission, our last response for duplicates
 *   ike_fsm.c       the IKE SA's and the CHILD_SA's state machines
 *   ike_sa.c        the IKE SA table: new, find, fail, free
 *   ike_rekey.c     what both rekeys share: refusals, crossing nonces
 *   ike_info.c      INFORMATIONAL: deletes, liveness
 *   ike_auth.c      IKE_AUTH and the first CHILD_SA (both roles)
 *   ike_rekey_child.c  rekeying the CHILD_SA, crossing rekeys (2.8.1)
 *   ike_rekey_ike.c    rekeying the IKE SA, crossing rekeys (2.8.2)
 *   ike_rekey_recv.c   CREATE_CHILD_SA received: which rekey it is for
 *   ike_timers_due.c   the SA hooks: what each timer does when it fires
 *   ike_init.c      IKE_SA_INIT (both roles), COOKIEs, INVALID_KE_PAYLOAD;
 *                   the IKE SAs it makes get ike_timers_due.c's hooks
 *   ike_exchange.c  the receive path and the exchange table: (state,
 *                   exchange, request or response) -> handler or refusal
 *   iked_show.c     show crypto ikev2 sa / show crypto ipsec sa
 *   iked_running_config.c  show running-config
 *   iked_reconfigure.c     what a live change changes; the swap
 *   iked_cmd_conf.c handlers of iked's configuration lines (iked.def)
 *   iked_cmd_exec.c handlers of iked's operational commands
 *   iked_cmd_binding.c  the binding: which handler runs each command
 *   iked_conf_load.c    a configuration read through the binding
 *   iked_daemon.c   iked for the daemon skeleton (lib/daemon.h): start,
 *                   stop, options, control socket requests, SIGHUP, live
 *                   lines
 *   iked_main.c     main(): the skeleton with iked's table
 *
 * What exists: IKE_SA_INIT and IKE_AUTH (PSK) as initiator and responder
 * with the first CHILD_SA (transport mode, GRE selectors), INVALID_KE_PAYLOAD
 * retry, COOKIE challenges under load, retransmission, duplicate requests
 * answered from the stored response, CREATE_CHILD_SA rekeys of the IKE SA
 * and of the CHILD_SA in both roles (with PFS, and crossing rekeys resolved
 * as RFC 7296 2.8 says), INFORMATIONAL delete and liveness (DPD), RFC 7383
 * reassembly of fragmented messages. Not yet: NAT-T (UDP/4500), sending
 * fragments, and a data plane that protects traffic with the CHILD_SAs
 * (they are recorded, and every show says that nothing protects traffic).
 */
#ifndef DMVPN_IKED_H
#define DMVPN_IKED_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "iked/ikev2_crypto.h"
#include "iked/ikev2_msg.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/strbuf.h"

#define IKED_MAX_PROFILES  16
#define IKED_MAX_PROPOSALS 8
#define IKED_PSK_MAX       129
#define IKED_MAX_MSG       4096 /* we build and accept no larger message */
#define IKED_MAX_FRAGS     32   /* RFC 7383: fragments of one message we reassemble */
#define IKED_NONCE_LEN     32
/* Timers (ike_timers.c says what each one does). */
#define IKED_RETRANSMIT_MS        1000  /* first wait for an answer; doubled each send */
#define IKED_RETRANSMIT_TRIES     5     /* sends of one request before the peer is gone */
#define IKED_HALF_OPEN_TIMEOUT_MS 30000 /* responder: from IKE_SA_INIT to IKE_AUTH */
#define IKED_REPLACED_WAIT_MS     30000 /* a rekeyed IKE SA waits for the peer's Delete */
#define IKED_DEAD_LINGER_MS       10000 /* a dead IKE SA stays this long for show */
#define IKED_REKEY_RETRY_MS       10000 /* a rekey due while it cannot start (+-20%) */
#define IKED_REKEY_PERMILLE       900   /* rekey at 90% of a lifetime... */
#define IKED_REKEY_JITTER_PERCENT 5     /* ...+-5%, so that many SAs do not rekey at once */

/* ---------- configuration ---------- */

enum iked_id_type {
	IKED_ID_NONE,
	IKED_ID_ANY,          /* remote only: any identity */
	IKED_ID_ADDRESS_AUTO, /* our / their IP address on this exchange */
	IKED_ID_ADDRESS,
	IKED_ID_FQDN,
	IKED_ID_KEY_ID,
};

struct iked_identity {
	enum iked_id_type type;
	struct ipaddr addr;
	char value[128];
};

/* One proposal: IKE (encr, integ, prf, dh) or ESP (encr, integ). */
struct iked_proposal {
	struct ikev2_alg alg;
	uint16_t dh;   /* IKE only */
	char text[64]; /* canonical: what running-config prints */
};
/* iked_proposal.c. Parse "aes256gcm16-prfsha384-x25519" (tokens in any
 * order); text gets the canonical form (encr, integ, prf when not implied,
 * dh). */
int iked_proposal_parse(const char *s, bool esp, struct iked_proposal *p);
/* The names show prints for the algorithms. */
const char *ike_encr_name(const struct ikev2_alg *a, char *buf, size_t len);
const char *ike_integ_name(uint16_t integ);
const char *ike_prf_name(uint16_t prf);
const char *ike_dh_name(uint16_t group);

/* Defaults: what strongSwan and our examples use. */
#define IKED_IKE_DEFAULT    "aes256gcm16-prfsha384-x25519"
#define IKED_ESP_DEFAULT    "aes256gcm16"
#define IKED_IKE_LIFETIME   14400
#define IKED_CHILD_LIFETIME 3600
#define IKED_PATH_MAX       256

/*
 * A profile is immutable once a configuration holding it is running:
 * each is allocated alone and counted (iked_profile_ref/unref). The
 * running configuration holds one reference, and so does every IKE SA
 * made under it (ike_sa_new), so an SA keeps the version it was
 * negotiated under, through its rekeys, until it ends or is cleared, even
 * if the profile is changed or removed meanwhile. A change is made on a
 * private copy in a candidate configuration (iked_conf_profile_edit), which
 * becomes the running one only when accepted: new SAs use it.
 */
struct iked_profile {
	unsigned refs;
	char name[32];
	int line; /* of its header in the file (0: made live) */
	char psk_path[IKED_PATH_MAX];
	uint8_t psk[IKED_PSK_MAX];
	size_t psk_len;
	unsigned n_ike, n_esp;
	struct iked_proposal ike[IKED_MAX_PROPOSALS];
	struct iked_proposal esp[IKED_MAX_PROPOSALS];
	struct iked_identity local_id, remote_id;
	struct ipaddr remote_addr; /* unset: any peer */
	uint32_t ike_lifetime, child_lifetime, dpd;
	bool tunnel_mode;
	/* Which were configured (running-config prints only those); the
	 * others hold their defaults. */
	struct {
		bool ike, esp, local_id, remote_id, remote_addr, ike_lifetime, child_lifetime, dpd,
		    mode;
	} set;
};

/* A new profile with every default, one reference; NULL without memory. */
struct iked_profile *iked_profile_new(const char *name);
/* The same content, alone (one reference). */
struct iked_profile *iked_profile_clone(const struct iked_profile *p);
/* The count is bookkeeping, not content: a shared profile is never
 * changed, so taking a reference to a const one is fine. */
const struct iked_profile *iked_profile_ref(const struct iked_profile *p);
/* Drop a reference; the last one wipes the PSK and frees. NULL is fine. */
void iked_profile_unref(const struct iked_profile *p);
/* Read the PSK file at path into p (mode checks: never readable by group
 * or others). 0, or -1 with the reason in why; p unchanged then. */
int iked_profile_read_psk(struct iked_profile *p, const char *path, struct strbuf *why);
/* The profile is complete (it has a key). */
bool iked_profile_usable(const struct iked_profile *p);

#define IKED_COOKIE_DEFAULT 64

struct iked_conf {
	unsigned nprofiles;
	struct iked_profile *profiles[IKED_MAX_PROFILES]; /* one reference each */
	/* crypto ikev2 cookie-challenge N: ask for a COOKIE (RFC 7296 2.6)
	 * once N SAs are half-open; 0: always. */
	uint32_t cookie_threshold;
	bool cookie_set;
};

/* iked_conf.c. Release every profile (wiping keys no SA holds) and zero c. */
void iked_conf_wipe(struct iked_conf *c);
/* A heap copy sharing c's profiles (one more reference each); NULL. */
struct iked_conf *iked_conf_dup(const struct iked_conf *c);
void iked_conf_free(struct iked_conf *c);
const struct iked_profile *iked_conf_profile(const struct iked_conf *c, const char *name);
/* The profile named, private to c (copied first if shared), for a change;
 * created with the defaults when create and absent. NULL with the reason
 * in why (too many profiles, no memory, absent). */
struct iked_profile *iked_conf_profile_edit(struct iked_conf *c, const char *name, bool create,
                                            struct strbuf *why);
int iked_conf_profile_remove(struct iked_conf *c, const char *name);
/* The checks that span the whole configuration (after every line). */
int iked_conf_check(struct iked_conf *c, struct strbuf *why);

/* iked_cmd_conf.c, iked_cmd_exec.c: the handlers of every command iked
 * owns (iked/iked.def); iked_cmd_binding.c: the binding of them all. */
struct cmd_binding;
void iked_cmd_conf_bind(struct cmd_binding *b);
void iked_cmd_exec_bind(struct cmd_binding *b);
const struct cmd_binding *iked_binding(void);

/* iked_conf_load.c. c: zeroed, or a loaded configuration (released
 * first). On error c is left empty (nothing applied, no key left behind). */
int iked_conf_load(const char *path, struct iked_conf *c, struct strbuf *errors);
int iked_conf_load_mem(const char *name, const void *data, size_t len, struct iked_conf *c,
                       struct strbuf *errors);

/* iked_running_config.c: iked's part of the configuration, as config text
 * in canonical order (reading it back gives the same configuration). The
 * PSK is in its file: only the path is printed, in both forms. */
void iked_running_config(const struct iked_conf *c, struct strbuf *out);

/*
 * Live changes. iked_conf_candidate (iked_daemon.c: the skeleton's)
 * applies one line (its block's header may be NULL or "") to a copy of
 * running and runs the whole-config checks: the candidate, or NULL with
 * the reason in out (running untouched). iked_conf_replace
 * (iked_reconfigure.c) makes a candidate the running configuration (the
 * old one's profiles are released: SAs keep theirs).
 */
struct iked_conf *iked_conf_candidate(const struct iked_conf *running, const char *header,
                                      const char *line, struct strbuf *out);
void iked_conf_replace(struct iked_conf *running, struct iked_conf *cand);

/* ---------- SAs ---------- */

/* What iked protects: GRE (RFC 2784) between two NBMA addresses. The
 * traffic selectors and the ESP SAs name this IP protocol. */
#define IKED_IP_PROTO_GRE IPPROTO_GRE

/*
 * An IKE SA's life; ike_fsm.c holds the table of (state, event) -> state,
 * and ike_sa_fsm() is the only writer of the state:
 *
 *   NEW -init-sent-> INIT_SENT -auth-sent-> AUTH_SENT -authenticated-> ESTABLISHED
 *   NEW -init-answered-> HALF_OPEN -authenticated-> ESTABLISHED
 *   NEW -rekeyed-in-> ESTABLISHED                 (made by a rekey, 2.18)
 *   ESTABLISHED -rekey-sent-> REKEYING -rekey-done-> REPLACED
 *                             REKEYING -rekey-failed-> ESTABLISHED
 *   ESTABLISHED, REKEYING -replaced-> REPLACED    (by the peer's rekey)
 *   ESTABLISHED, REPLACED -delete-sent-> DELETING
 *   any but DEAD -failed-> DEAD; ESTABLISHED and after -deleted-> DEAD
 */
enum ike_sa_state {
	IKE_SA_NEW,         /* being set up */
	IKE_SA_INIT_SENT,   /* initiator: waiting for the IKE_SA_INIT response */
	IKE_SA_AUTH_SENT,   /* initiator: waiting for the IKE_AUTH response */
	IKE_SA_HALF_OPEN,   /* responder: IKE_SA_INIT answered, waiting for IKE_AUTH */
	IKE_SA_ESTABLISHED, /* up */
	IKE_SA_REKEYING,    /* up; our CREATE_CHILD_SA rekeying it is out */
	IKE_SA_REPLACED,    /* rekeyed into another IKE SA; waits for a Delete */
	IKE_SA_DELETING,    /* our Delete is out */
	IKE_SA_DEAD,        /* failed or deleted; freed shortly */
	IKE_SA__COUNT
};
const char *ike_sa_state_name(enum ike_sa_state s);

enum ike_sa_event {
	IKE_EV_INIT_SENT,     /* we sent IKE_SA_INIT */
	IKE_EV_INIT_ANSWERED, /* we answered the peer's IKE_SA_INIT */
	IKE_EV_AUTH_SENT,     /* we sent IKE_AUTH */
	IKE_EV_AUTHENTICATED, /* the peer's AUTH checked out (either role) */
	IKE_EV_REKEYED_IN,    /* made by a rekey of another IKE SA */
	IKE_EV_REKEY_SENT,    /* our rekey of it is out */
	IKE_EV_REKEY_FAILED,  /* our rekey was refused, or its answer unusable */
	IKE_EV_REKEY_DONE,    /* our rekey made its successor */
	IKE_EV_REPLACED,      /* a successor the peer's rekey made (or a crossing won) */
	IKE_EV_DELETE_SENT,   /* our Delete is out */
	IKE_EV_DELETED,       /* a Delete done, ours answered or the peer's */
	IKE_EV_FAILED,        /* anything else that ends it */
	IKE_EV__COUNT
};
const char *ike_sa_event_name(enum ike_sa_event e);

/*
 * The CHILD_SA of an IKE SA (one: all a GRE path needs); child_sa_fsm()
 * is the only writer of its state:
 *
 *   NONE -installed-> INSTALLED      NONE -refused-> FAILED
 *   NONE -adopted-> INSTALLED        (moved in from the IKE SA this one replaced)
 *   INSTALLED -rekey-sent-> REKEYING -rekey-failed-> INSTALLED
 *   INSTALLED, REKEYING -rekeyed-> INSTALLED   (a new pair of SPIs in place)
 *   INSTALLED, REKEYING -moved-> NONE          (to the IKE SA replacing this one)
 *   INSTALLED, REKEYING -deleted-> DELETED
 */
enum child_sa_state {
	CHILD_SA_NONE,
	CHILD_SA_INSTALLED, /* negotiated and handed to the data plane */
	CHILD_SA_REKEYING,  /* installed; our rekey of it is out */
	CHILD_SA_FAILED,    /* the peer refused it, or we did */
	CHILD_SA_DELETED,
	CHILD_SA__COUNT
};
const char *child_sa_state_name(enum child_sa_state s);

enum child_sa_event {
	CHILD_EV_INSTALLED,
	CHILD_EV_REFUSED,
	CHILD_EV_REKEY_SENT,
	CHILD_EV_REKEY_FAILED,
	CHILD_EV_REKEYED,
	CHILD_EV_MOVED,
	CHILD_EV_ADOPTED,
	CHILD_EV_DELETED,
	CHILD_EV__COUNT
};
const char *child_sa_event_name(enum child_sa_event e);

struct child_sa {
	enum child_sa_state state;
	uint32_t spi_in, spi_out; /* ours (inbound), the peer's (outbound) */
	struct ikev2_alg alg;
	bool esn;
	bool transport;
	struct ikev2_ts tsi, tsr;
	struct ikev2_secret keymat; /* encr_i | integ_i | encr_r | integ_r */
	bool we_initiated;          /* of the exchange that made it: "i" above is us */
	uint16_t failure;           /* notify that refused it */
	uint64_t established_ms;
	uint32_t rekey_after_ms; /* its lifetime's 90%, jittered +-5% */
};
/* Installed in the data plane (a rekey of it may be out). */
static inline bool child_sa_installed(const struct child_sa *c)
{
	return c->state == CHILD_SA_INSTALLED || c->state == CHILD_SA_REKEYING;
}

/*
 * Our outstanding request (RFC 7296 2.3: a window of one) and what it is:
 * the exchange that must answer it and what the answer means follow from
 * its kind.
 */
enum ike_request_kind {
	IKE_REQ_NONE,         /* the window is free */
	IKE_REQ_SA_INIT,      /* IKE_SA_INIT (1.2) */
	IKE_REQ_AUTH,         /* IKE_AUTH (1.2) */
	IKE_REQ_REKEY_IKE,    /* CREATE_CHILD_SA rekeying the IKE SA (1.3.2) */
	IKE_REQ_REKEY_CHILD,  /* CREATE_CHILD_SA rekeying the CHILD_SA (1.3.3) */
	IKE_REQ_DELETE_CHILD, /* INFORMATIONAL deleting a CHILD_SA (1.4.1) */
	IKE_REQ_DELETE_IKE,   /* INFORMATIONAL deleting the IKE SA (1.4.1) */
	IKE_REQ_LIVENESS,     /* empty INFORMATIONAL (2.4) */
	IKE_REQ__COUNT
};
const char *ike_request_kind_name(enum ike_request_kind k);
/* The exchange type that carries a request of kind k, and its answer. */
uint8_t ike_request_exchange(enum ike_request_kind k);

/* A rekey's own material, kept with its request until the answer. */
struct ike_rekey_req {
	struct ikev2_dh *dh;
	uint8_t nonce[IKED_NONCE_LEN];
	uint64_t spi;          /* our new IKE SPI, or (low 32 bits) our new inbound ESP SPI */
	uint32_t child_spi_in; /* CHILD_SA: the one this rekeys (our inbound SPI) */
	/* RFC 7296 2.8.1, 2.8.2: the peer's rekey of the same SA crossed this
	 * one (we answered it while this was out); decided by the nonces when
	 * our answer comes. */
	struct {
		bool seen;
		uint8_t ni[IKEV2_NONCE_MAX]; /* the peer's exchange: its nonce... */
		size_t ni_len;
		uint8_t nr[IKED_NONCE_LEN]; /* ...and ours in the answer */
		uint32_t old_spi_in;        /* CHILD_SA: the one both rekeys replaced */
		unsigned made_id;           /* IKE SA: the one the peer's rekey made */
	} crossing;
};

struct ike_request {
	enum ike_request_kind kind;
	uint32_t msg_id;
	uint8_t *msg; /* as sent, for retransmission */
	size_t len;
	unsigned sends;
	struct ike_rekey_req rekey; /* IKE_REQ_REKEY_IKE, IKE_REQ_REKEY_CHILD */
	/* Once answered (out of the window, in the answer's handler): the
	 * answer as received; IKE_SA_INIT's is signed by AUTH (2.15). */
	const uint8_t *answer;
	size_t answer_len;
};

struct iked;
struct ike_sa;

/*
 * What an IKE SA's timers do when they fire. The timers (ike_timers.c)
 * are armed by the state machines and the request window, below the
 * exchanges; what a timer means (rekey, a liveness check, give up on the
 * peer) is above them, in ike_timers_due.c. So the timers call these
 * hooks, which an SA is given when it is made: by IKE_SA_INIT
 * (ike_init.c), or, for the new SA of a rekey, its predecessor's.
 */
struct ike_sa_hooks {
	void (*retransmit_due)(struct ike_sa *sa);
	void (*half_open_due)(struct ike_sa *sa);
	void (*replaced_due)(struct ike_sa *sa);
	void (*linger_due)(struct ike_sa *sa);
	void (*rekey_due)(struct ike_sa *sa);
	void (*child_rekey_due)(struct ike_sa *sa);
	void (*dpd_due)(struct ike_sa *sa);
};

struct ike_sa {
	struct ike_sa *next;
	struct iked *d;
	const struct ike_sa_hooks *hooks; /* NULL: its timers do nothing */
	unsigned id;                      /* for show and clear */
	const struct iked_profile *profile;
	bool initiator;
	enum ike_sa_state state; /* written by ike_sa_fsm() only */
	uint64_t ispi, rspi;
	struct ipaddr local, remote;
	uint16_t lport, rport;
	/* negotiated */
	struct iked_proposal prop;
	struct ikev2_dh *dh;
	uint8_t ni[IKEV2_NONCE_MAX], nr[IKEV2_NONCE_MAX];
	uint8_t cookie[IKEV2_COOKIE_MAX]; /* the responder's, to send back */
	size_t cookie_len;
	unsigned cookie_tries;
	size_t ni_len, nr_len;
	struct ikev2_ike_keys keys;
	uint64_t iv_ctr;
	/* the IKE_SA_INIT messages, signed by AUTH (RFC 7296 2.15) */
	uint8_t *init_req, *init_resp;
	size_t init_req_len, init_resp_len;
	/* RFC 7296 2.3: our requests (window 1) and the peer's */
	uint32_t next_msg_id; /* of our next request */
	uint32_t peer_msg_id; /* of the peer's next request */
	struct ike_request req;
	uint8_t *last_resp; /* our last response, for duplicate requests */
	size_t last_resp_len;
	uint32_t last_resp_id;
	bool has_last_resp;
	/* identities */
	char peer_id[160]; /* authenticated (text) */
	char local_id[160];
	bool nat_local, nat_remote;
	struct child_sa child;
	unsigned replaced_by;    /* REPLACED, DELETING: the IKE SA that took over */
	unsigned rekeys;         /* how many times (IKE and CHILD) */
	uint64_t crossed_rekeys; /* the peer's rekeys that crossed ours (2.8) */
	struct ike_frags *frags; /* RFC 7383 reassembly in progress */
	/* CHILD_SA SPI pairs replaced by a rekey, until the peer deletes them */
	struct {
		uint32_t spi_in, spi_out;
	} retired[4];
	unsigned nretired;
	/* ike_timers.c: what each one stands for */
	struct timer retransmit_timer, half_open_timer, replaced_timer, linger_timer;
	struct timer rekey_timer, child_rekey_timer, dpd_timer;
	uint64_t last_rx_ms; /* last authenticated message from the peer */
	uint64_t created_ms, established_ms;
	uint32_t rekey_after_ms; /* the IKE lifetime's 90%, jittered +-5% */
	char error[96];          /* why it failed, for show */
};

/* Established, a rekey of it possibly out. */
static inline bool ike_sa_is_up(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_REKEYING;
}

/* The rows of ike_exchange.c's table. */
#define IKE_EXCHANGE_ROWS 21

struct iked_stats {
	uint64_t rx, tx, retransmits, dropped, bad_auth, bad_msg, no_proposal;
	/* Dropped by the exchange table: a message of the wrong exchange
	 * type or in the wrong state (ike_exchange.c). */
	uint64_t refused;
	/* Which rows of the exchange table handled a message. */
	uint64_t exchange_rows[IKE_EXCHANGE_ROWS];
	/* Transitions by event; fsm_invalid: ones the tables do not have (a
	 * bug of ours, logged as an error). */
	uint64_t ike_events[IKE_EV__COUNT];
	uint64_t child_events[CHILD_EV__COUNT];
	uint64_t fsm_invalid;
};

typedef int iked_send_fn(struct iked *d, const struct ipaddr *local, const struct ipaddr *remote,
                         uint16_t rport, const uint8_t *msg, size_t len);
typedef void iked_recv_fn(struct iked *d, const uint8_t *pkt, size_t len,
                          const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport);

struct iked {
	struct ev_loop *loop;
	struct ctl_server *ctl;
	struct iked_conf *conf; /* running: replaced whole by live changes */
	const char *conf_path;  /* re-read on SIGHUP */
	int fd4;                /* UDP/500 */
	ev_io io4;
	uint16_t port;
	/* Every message we send goes through here: ike_net_open() sets the
	 * UDP socket's sender; tests put an in-memory wire instead. */
	iked_send_fn *send;
	void *send_ctx;
	/* Every message the socket reads goes here: the receive path
	 * (ike_recv), which ike_net_open() is given by its caller. */
	iked_recv_fn *recv;
	struct ike_sa *sas;
	unsigned next_sa_id;
	struct iked_stats stats;
	struct log_ratelimit rl;
	FILE *keylog;
	uint8_t cookie_secret[32];
	uint64_t cookies_sent;
	uint64_t started_ms;
};

/* Big-endian SPIs in payloads (RFC 7296 3.3.1, 3.10, 3.11). */
static inline uint32_t ike_get_spi32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void ike_put_spi32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint64_t ike_get_spi64(const uint8_t *p)
{
	return (uint64_t)ike_get_spi32(p) << 32 | ike_get_spi32(p + 4);
}

static inline void ike_put_spi64(uint8_t *p, uint64_t v)
{
	ike_put_spi32(p, (uint32_t)(v >> 32));
	ike_put_spi32(p + 4, (uint32_t)v);
}

/* ike_net.c */
/* The socket on port, its messages read into recv. */
int ike_net_open(struct iked *d, const struct ipaddr *bind_addr, uint16_t port, iked_recv_fn *recv);
void ike_net_close(struct iked *d);
/* Through d->send; counted in stats.tx. -1: not sent (no sender). */
int ike_net_send(struct iked *d, const struct ipaddr *local, const struct ipaddr *remote,
                 uint16_t rport, const uint8_t *msg, size_t len);

/* ike_exchange.c */
void ike_recv(struct iked *d, const uint8_t *pkt, size_t len, const struct ipaddr *local,
              const struct ipaddr *remote, uint16_t rport);
/* The row of the exchange table for (state, exchange, response): its
 * index, or -1 when the table refuses that message. */
int ike_exchange_row(enum ike_sa_state state, uint8_t exchange, bool response);
const char *ike_exchange_row_name(unsigned row);

/* ike_request.c */
bool ike_request_busy(const struct ike_sa *sa);
/* Seal inner in an SK payload as our next request of kind k, send it and
 * keep it for retransmission. -1: the window is busy or it could not be
 * built (nothing sent). */
int ike_request_send(struct ike_sa *sa, enum ike_request_kind k, const struct ikev2_builder *inner);
/* IKE_SA_INIT: in the clear, message ID 0 (again after INVALID_KE_PAYLOAD
 * or a COOKIE, RFC 7296 1.2, 2.6). */
int ike_request_send_init(struct ike_sa *sa, const uint8_t *msg, size_t len);
/* The retransmission timer's work: send again; -1 when the request has
 * been sent as often as it may (the peer is gone: the caller fails the
 * SA). */
int ike_request_retransmit(struct ike_sa *sa);
/* The answered request leaves the window (its timer stops) into *r. */
void ike_request_take(struct ike_sa *sa, struct ike_request *r);
/* Free and wipe a request (its rekey material included). */
void ike_request_wipe(struct ike_request *r);
/* Responses, kept for the peer's retransmitted request (RFC 7296 2.1):
 * inner sealed in an SK payload, or one notify alone; -1 if it could not
 * be built (nothing sent). */
int ike_response_send(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id,
                      const struct ikev2_builder *inner);
int ike_response_notify(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, uint16_t notify,
                        const uint8_t *data, size_t len);
void ike_response_send_plain(struct ike_sa *sa, const uint8_t *msg, size_t len);
void ike_response_resend(struct ike_sa *sa);

/* ike_fsm.c. The transitions tell control-socket subscribers (nhrpd):
 *   ike-up id=N local=A remote=B peer-id=X
 *   ike-down id=N local=A remote=B reason=TEXT
 *   child-up id=N spi-in=HEX spi-out=HEX mode=transport|tunnel
 *   child-down id=N */
void ike_sa_fsm(struct ike_sa *sa, enum ike_sa_event ev);
/* next: the negotiated CHILD_SA that comes in (INSTALLED, REKEYED,
 * ADOPTED), whose keys it takes over; NULL for the other events. */
void child_sa_fsm(struct ike_sa *sa, enum child_sa_event ev, struct child_sa *next);

/* ike_timers.c */
void ike_timers_init(struct ike_sa *sa);
void ike_timers_stop(struct ike_sa *sa);
/* What arms them: a request went out (again), its answer came; an
 * authenticated message came from the peer; the IKE SA or its CHILD_SA
 * changed state. */
void ike_timers_request_sent(struct ike_sa *sa);
void ike_timers_request_answered(struct ike_sa *sa);
void ike_timers_authenticated_rx(struct ike_sa *sa);
void ike_timers_ike_sa_changed(struct ike_sa *sa, enum ike_sa_event ev);
void ike_timers_child_changed(struct ike_sa *sa, enum child_sa_event ev);
/* A rekey due that could not start: again a while from now; a liveness
 * check due that waits: a DPD interval from now. */
void ike_timers_rekey_retry(struct ike_sa *sa);
void ike_timers_child_rekey_retry(struct ike_sa *sa);
void ike_timers_dpd_restart(struct ike_sa *sa);

/* ike_timers_due.c: the hooks of every SA IKE_SA_INIT makes. */
extern const struct ike_sa_hooks ike_timers_due;

/* ike_sa.c */
struct ike_sa *ike_sa_new(struct iked *d, const struct iked_profile *p, bool initiator,
                          const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport);
void ike_sa_free(struct ike_sa *sa);
void ike_sa_fail(struct ike_sa *sa, const char *why);
/* A Delete done (ours answered, or the peer's): dead, with text for show. */
void ike_sa_deleted(struct ike_sa *sa, const char *text);
struct ike_sa *ike_sa_find(struct iked *d, uint64_t ispi, uint64_t rspi);
/* The SA (not dead) of an IKE_SA_INIT exchange: ours as initiator or the
 * peer's, by the initiator's SPI and the peer's address. */
struct ike_sa *ike_sa_find_init(struct iked *d, uint64_t ispi, const struct ipaddr *remote,
                                bool initiator);
struct ike_sa *ike_sa_by_id(struct iked *d, unsigned id);

/* ike_protect.c */
/* Build a message whose payloads (in `inner`, already built) go in an SK
 * payload; returns the length in out, 0 on failure. */
size_t ike_sa_seal(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t msg_id,
                   const struct ikev2_builder *inner, uint8_t *out, size_t cap);
/* Decrypt m's SK payload (or, RFC 7383, an SKF fragment, reassembling)
 * and decode its payloads into m. 0 done, 1 a fragment kept (wait for
 * the rest), -1 refused. */
int ike_sa_open(struct ike_sa *sa, const uint8_t *pkt, size_t len, struct ikev2_msg *m,
                uint8_t *plain, size_t cap);
void ike_frags_free(struct ike_sa *sa);

/* ike_child.c */
/* A selector of GRE from or to one address; does some selector of tsp
 * cover GRE from or to a? */
void ike_ts_gre(struct ikev2_ts_payload *tsp, const struct ipaddr *a);
bool ike_ts_covers(const struct ikev2_ts_payload *tsp, const struct ipaddr *a);
/* c's algorithm set: its KEYMAT (RFC 7296 2.17), prf+(SK_d, [g^ir] Ni Nr). */
int ike_child_keymat(struct ike_sa *sa, struct child_sa *c, const struct ikev2_secret *gir,
                     const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len);
/* c's selectors: GRE between the two NBMA addresses, TSi the initiator's. */
void ike_child_selectors(struct ike_sa *sa, struct child_sa *c, bool we_initiated);
/* Install or remove the CHILD_SA's ESP SAs (gre/dataplane.h). */
void ike_child_dataplane(struct ike_sa *sa, bool up);

/* ike_proposal.c */
void ike_proposals_ike(const struct iked_profile *p, struct ikev2_sa_payload *sa);
void ike_proposals_esp(const struct iked_profile *p, uint32_t spi, struct ikev2_sa_payload *sa);
void ike_proposals_esp_from(const struct iked_proposal *props, unsigned n, uint32_t spi,
                            struct ikev2_sa_payload *sa);
/* Responder: the first of our proposals (our preference) the peer offered;
 * the peer's proposal number in *num. -1 when none. */
int ike_proposal_select(const struct iked_proposal *ours, unsigned n, bool esp,
                        const struct ikev2_sa_payload *theirs, struct iked_proposal *chosen,
                        uint8_t *num, uint32_t *peer_spi);
/* Initiator: is the responder's single proposal one we offered? */
int ike_proposal_check(const struct iked_proposal *ours, unsigned n, bool esp,
                       const struct ikev2_sa_payload *theirs, struct iked_proposal *chosen,
                       uint32_t *peer_spi);
/* RFC 7296 1.2: the DH group an INVALID_KE_PAYLOAD in m asks for, in
 * *group: 1 when one of p's IKE proposals offers it, 0 when none does,
 * -1 when m has no such notify (or a malformed one). */
int ike_proposal_wanted_group(const struct iked_profile *p, const struct ikev2_msg *m,
                              uint16_t *group);

/* ike_init.c */
int ike_initiate(struct iked *d, const struct iked_profile *p, const struct ipaddr *local,
                 const struct ipaddr *remote, unsigned *id);
void ike_init_recv_request(struct iked *d, struct ikev2_msg *m, const uint8_t *pkt, size_t len,
                           const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport);
void ike_init_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);

/* ike_auth.c */
void ike_auth_send_request(struct ike_sa *sa);
void ike_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *m);
void ike_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);
void ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *out, size_t cap);

/* ike_rekey.c, ike_rekey_ike.c, ike_rekey_child.c, ike_rekey_recv.c:
 * CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.18, 2.25). _start: -1 when
 * it cannot start now (not established, the window busy, nothing to
 * rekey). */
int ike_rekey_ike_start(struct ike_sa *sa);
int ike_rekey_child_start(struct ike_sa *sa);
void ike_rekey_recv_request(struct ike_sa *sa, struct ikev2_msg *m);
void ike_rekey_refuse_busy(struct ike_sa *sa, struct ikev2_msg *m);
void ike_rekey_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);
/* What the two rekeys share (ike_rekey.c). */
void ike_rekey_refuse(struct ike_sa *sa, uint32_t msg_id, uint16_t notify, const uint8_t *data,
                      size_t len);
void ike_rekey_refuse_group(struct ike_sa *sa, uint32_t msg_id, uint16_t group);
/* RFC 7296 2.8: of two crossing exchanges (nonces a1, a2 and b1, b2), does
 * the first hold the lowest of the four? Its SA is the one that goes. */
bool ike_rekey_first_lowest(const uint8_t *a1, size_t a1l, const uint8_t *a2, size_t a2l,
                            const uint8_t *b1, size_t b1l, const uint8_t *b2, size_t b2l);
void ike_rekey_ike_respond(struct ike_sa *sa, struct ikev2_msg *m);
void ike_rekey_ike_done(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);
void ike_rekey_child_respond(struct ike_sa *sa, struct ikev2_msg *m);
void ike_rekey_child_done(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);

/* ike_info.c */
void ike_info_liveness(struct ike_sa *sa);
/* Delete one of our inbound ESP SPIs: a pair a CHILD_SA rekey replaced
 * (1.3.3), or the CHILD_SA itself (then deleted here at once). */
void ike_info_delete_child(struct ike_sa *sa, uint32_t spi_in);
void ike_info_recv_request(struct ike_sa *sa, struct ikev2_msg *m);
void ike_info_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req);
/* Delete the IKE SA (and its child): INFORMATIONAL with a Delete; one
 * that cannot send it (not up, another request out) just fails. */
void ike_sa_delete(struct ike_sa *sa);

/* iked_keylog.c */
void iked_keylog_ike(struct ike_sa *sa);
void iked_keylog_child(struct ike_sa *sa);

/* iked_show.c */
int iked_show_ike(struct iked *d, bool json, bool detail, struct strbuf *o);
int iked_show_ipsec(struct iked *d, bool json, struct strbuf *o);

/* iked_daemon.c: the daemon skeleton's table (lib/daemon.h), and its
 * control socket requests. */
struct daemon_def;
extern const struct daemon_def iked_daemon;
int iked_ctl_handle(void *ctx, const char *line, struct strbuf *out);
/* SIGHUP: read the file again into a candidate and apply it; on an error,
 * log it and keep the running configuration. */
void iked_reload(void *arg);
/* iked_reconfigure.c: say what changes from old to cand (the skeleton
 * then makes cand the running configuration, iked_conf_replace). */
void iked_reconfigure(struct iked *d, const struct iked_conf *old, const struct iked_conf *cand);

#endif
