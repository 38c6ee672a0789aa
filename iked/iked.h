/*
 * iked: IKEv2 (RFC 7296) with pre-shared keys, for protecting GRE between
 * NBMA addresses.
 *
 *   iked_profile.c  a profile: counted, copied on change, its PSK file
 *   iked_conf.c     the configuration: load (lib/cmd_conf.h), copy, checks
 *   iked_cmd_conf.c handlers of iked's configuration lines (grammar.def)
 *   iked_cmd_exec.c handlers of iked's operational commands, the binding
 *   iked_running_config.c  show running-config
 *   iked_reconfigure.c     live changes and SIGHUP: candidate, then swap
 *   iked_show.c     show crypto ikev2 sa / show crypto ipsec sa
 *   ike_proposal.c  proposal strings, SA payloads, selection by preference
 *   ike_net.c       the UDP/500 socket
 *   ike_sa.c        IKE SA table, message IDs, retransmission, SK payloads
 *   ike_init.c      IKE_SA_INIT (both roles)
 *   ike_auth.c      IKE_AUTH and the first CHILD_SA (both roles)
 *   ike_info.c      INFORMATIONAL: delete, liveness
 *   iked_keylog.c   test-only key log in tshark's format
 *   iked_daemon.c   iked for the daemon skeleton (lib/daemon.h): start,
 *                   stop, options, control socket requests, SIGHUP
 *
 * What exists today: IKE_SA_INIT and IKE_AUTH (PSK) as initiator and
 * responder with the first CHILD_SA (transport mode, GRE selectors),
 * INVALID_KE_PAYLOAD retry, retransmission, duplicate requests answered
 * from the stored response, INFORMATIONAL delete and liveness. Not yet:
 * CREATE_CHILD_SA (rekeying), DPD timers, COOKIEs, NAT-T (UDP/4500),
 * fragmentation, and any data plane for the CHILD_SAs (they are recorded,
 * and every show says that nothing protects traffic).
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

#define IKED_MAX_PROFILES         16
#define IKED_MAX_PROPOSALS        8
#define IKED_PSK_MAX              129
#define IKED_MAX_MSG              4096 /* we build and accept no larger message */
#define IKED_NONCE_LEN            32
#define IKED_RETRANSMIT_MS        1000
#define IKED_RETRANSMIT_TRIES     5
#define IKED_HALF_OPEN_TIMEOUT_MS 30000

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
/* Parse "aes256gcm16-prfsha384-x25519" (tokens in any order); text gets
 * the canonical form (encr, integ, prf when not implied, dh). */
int iked_proposal_parse(const char *s, bool esp, struct iked_proposal *p);

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

/* c: zeroed, or a loaded configuration (released first). On error c is
 * left empty (nothing applied, no key left behind). */
int iked_conf_load(const char *path, struct iked_conf *c, struct strbuf *errors);
int iked_conf_load_mem(const char *name, const void *data, size_t len, struct iked_conf *c,
                       struct strbuf *errors);
/* Release every profile (wiping keys no SA holds) and zero c. */
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
 * owns in lib/grammar.def. */
struct cmd_binding;
const struct cmd_binding *iked_binding(void);
void iked_cmd_conf_bind(struct cmd_binding *b);
void iked_cmd_exec_bind(struct cmd_binding *b);

/* iked_running_config.c: iked's part of the configuration, as config text
 * in canonical order (reading it back gives the same configuration). The
 * PSK is in its file: only the path is printed, in both forms. */
void iked_running_config(const struct iked_conf *c, struct strbuf *out);

/*
 * iked_reconfigure.c: live changes. iked_conf_candidate applies one line
 * (its block's header may be NULL or "") to a copy of running and runs
 * the whole-config checks: the candidate, or NULL with the reason in out
 * (running untouched). iked_conf_replace makes a candidate the running
 * configuration (the old one's profiles are released: SAs keep theirs).
 */
struct iked_conf *iked_conf_candidate(const struct iked_conf *running, const char *header,
                                      const char *line, struct strbuf *out);
void iked_conf_replace(struct iked_conf *running, struct iked_conf *cand);

/* ---------- SAs ---------- */

enum ike_sa_state {
	IKE_SA_NEW,       /* being set up */
	IKE_SA_INIT_SENT, /* initiator: waiting for the IKE_SA_INIT response */
	IKE_SA_AUTH_SENT, /* initiator: waiting for the IKE_AUTH response */
	IKE_SA_HALF_OPEN, /* responder: IKE_SA_INIT answered, waiting for IKE_AUTH */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING, /* our delete is out */
	IKE_SA_DEAD,     /* failed or deleted; freed shortly */
};
const char *ike_sa_state_name(enum ike_sa_state s);

enum child_sa_state {
	CHILD_SA_NONE,
	CHILD_SA_INSTALLED, /* negotiated and recorded (no data plane yet) */
	CHILD_SA_FAILED,    /* the peer refused it, or we did */
	CHILD_SA_DELETED,
};
const char *child_sa_state_name(enum child_sa_state s);

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

struct iked;

struct ike_sa {
	struct ike_sa *next;
	struct iked *d;
	unsigned id; /* for show and clear */
	const struct iked_profile *profile;
	bool initiator;
	enum ike_sa_state state;
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
	uint8_t *out_req;     /* our outstanding request, for retransmission */
	size_t out_req_len;
	unsigned tries;
	struct timer timer; /* retransmission, or half-open expiry */
	uint8_t *last_resp; /* our last response, for duplicate requests */
	size_t last_resp_len;
	uint32_t last_resp_id;
	bool has_last_resp;
	/* identities */
	char peer_id[160]; /* authenticated (text) */
	char local_id[160];
	bool nat_local, nat_remote;
	struct child_sa child;
	/* a rekey we started (CREATE_CHILD_SA, RFC 7296 1.3.2, 1.3.3) */
	enum { IKE_REKEY_NONE, IKE_REKEY_IKE, IKE_REKEY_CHILD } rekeying;
	struct ikev2_dh *rekey_dh;
	uint8_t rekey_nonce[IKED_NONCE_LEN];
	uint64_t rekey_spi;         /* our new IKE SPI, or (low 32 bits) our new ESP SPI */
	struct ike_sa *replaced_by; /* this SA was rekeyed into that one */
	unsigned rekeys;            /* how many times (IKE and CHILD) */
	struct ike_frags *frags;    /* RFC 7383 reassembly in progress */
	/* CHILD_SA SPI pairs replaced by a rekey, until the peer deletes them */
	struct {
		uint32_t spi_in, spi_out;
	} retired[4];
	unsigned nretired;
	/* RFC 7296 2.8.1: we answered the peer's CHILD rekey while ours was out */
	bool simul;
	uint8_t simul_ni[IKEV2_NONCE_MAX], simul_nr[IKED_NONCE_LEN];
	size_t simul_ni_len;
	uint32_t simul_old_in;    /* the CHILD_SA both rekeys replaced */
	struct ike_sa *simul_ike; /* 2.8.2: the IKE SA the peer's crossing rekey made */
	uint64_t simul_collisions;
	struct timer rekey_timer; /* lifetime: rekey before it ends */
	struct timer dpd_timer;   /* liveness check when idle */
	uint64_t last_rx_ms;      /* last authenticated message from the peer */
	uint64_t created_ms, established_ms;
	uint32_t rekey_after_ms; /* the IKE lifetime's 90%, jittered +-5% */
	char error[96];          /* why it failed, for show */
};

struct iked_stats {
	uint64_t rx, tx, retransmits, dropped, bad_auth, bad_msg, no_proposal;
};

struct iked {
	struct ev_loop *loop;
	struct ctl_server *ctl;
	struct iked_conf *conf; /* running: replaced whole by live changes */
	const char *conf_path;  /* re-read on SIGHUP */
	int fd4;                /* UDP/500 */
	ev_io io4;
	uint16_t port;
	struct ike_sa *sas;
	unsigned next_sa_id;
	struct iked_stats stats;
	struct log_ratelimit rl;
	FILE *keylog;
	uint8_t cookie_secret[32];
	uint64_t cookies_sent;
	uint64_t started_ms;
};


/* ike_net.c */
int ike_net_open(struct iked *d, const struct ipaddr *bind_addr, uint16_t port);
void ike_net_close(struct iked *d);
int ike_net_send(struct iked *d, const struct ipaddr *local, const struct ipaddr *remote,
                 uint16_t rport, const uint8_t *msg, size_t len);

/* ike_sa.c */
struct ike_sa *ike_sa_new(struct iked *d, const struct iked_profile *p, bool initiator,
                          const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport);
void ike_sa_free(struct ike_sa *sa);
void ike_sa_fail(struct ike_sa *sa, const char *why);
struct ike_sa *ike_sa_find(struct iked *d, uint64_t ispi, uint64_t rspi);
struct ike_sa *ike_sa_find_init(struct iked *d, uint64_t ispi, const struct ipaddr *remote);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
/* EVENT frames for control-socket subscribers (nhrpd waits for these):
 *   ike-up id=N local=A remote=B peer-id=X
 *   ike-down id=N local=A remote=B reason=TEXT
 *   child-up id=N spi-in=HEX spi-out=HEX mode=transport|tunnel
 *   child-down id=N */
void ike_child_event(struct ike_sa *sa, bool up);
/* Install or remove the CHILD_SA's ESP SAs (gre/dataplane.h). */
void ike_child_dataplane(struct ike_sa *sa, bool up);
/* Send a request (kept for retransmission) or a response (kept for
 * duplicates). */
void ike_sa_send_request(struct ike_sa *sa, const uint8_t *msg, size_t len);
void ike_sa_send_response(struct ike_sa *sa, const uint8_t *msg, size_t len);
/* Build a message whose payloads (in `inner`, already built) go in an SK
 * payload; returns the length in out, 0 on failure. */
size_t ike_sa_seal(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t msg_id,
                   const struct ikev2_builder *inner, uint8_t *out, size_t cap);
/* Decrypt m's SK payload (or, RFC 7383, an SKF fragment, reassembling)
 * and decode its payloads into m. 0 done, 1 a fragment kept (wait for
 * the rest), -1 refused. */
int ike_sa_open(struct ike_sa *sa, const uint8_t *pkt, size_t len, struct ikev2_msg *m,
                uint8_t *plain, size_t cap);
void ike_recv(struct iked *d, const uint8_t *pkt, size_t len, const struct ipaddr *local,
              const struct ipaddr *remote, uint16_t rport);
/* Answer a request with an unprotected error notify (IKE_SA_INIT). */
void ike_send_init_error(struct iked *d, const struct ikev2_msg *req, const struct ipaddr *local,
                         const struct ipaddr *remote, uint16_t rport, uint16_t notify,
                         const uint8_t *data, size_t len);

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
const char *ike_encr_name(const struct ikev2_alg *a, char *buf, size_t len);
const char *ike_integ_name(uint16_t integ);
const char *ike_prf_name(uint16_t prf);
const char *ike_dh_name(uint16_t group);

/* ike_init.c */
int ike_initiate(struct iked *d, const struct iked_profile *p, const struct ipaddr *local,
                 const struct ipaddr *remote, unsigned *id);
void ike_init_recv_request(struct iked *d, struct ikev2_msg *m, const uint8_t *pkt, size_t len,
                           const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport);
void ike_init_recv_response(struct ike_sa *sa, struct ikev2_msg *m, const uint8_t *pkt, size_t len);
void ike_nat_notifies(struct ike_sa *sa, struct ikev2_builder *b);

/* ike_auth.c */
void ike_auth_send_request(struct ike_sa *sa);
void ike_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *m);
void ike_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *m);
void ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *out, size_t cap);

/* ike_rekey.c: CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.18) */
int ike_rekey_ike_start(struct ike_sa *sa);
int ike_rekey_child_start(struct ike_sa *sa);
void ike_rekey_recv_request(struct ike_sa *sa, struct ikev2_msg *m);
void ike_rekey_recv_response(struct ike_sa *sa, struct ikev2_msg *m);
/* Arm the lifetime (rekey) and liveness timers of an established SA. */
void ike_sa_arm_timers(struct ike_sa *sa);
void ike_sa_init_timers(struct ike_sa *sa);

/* ike_info.c */
void ike_info_liveness(struct ike_sa *sa);
void ike_info_recv_request(struct ike_sa *sa, struct ikev2_msg *m);
void ike_info_recv_response(struct ike_sa *sa, struct ikev2_msg *m);
/* Delete the IKE SA (and its child): INFORMATIONAL with a Delete. */
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
