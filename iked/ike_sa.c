/*
 * IKE SAs: the table, message IDs and retransmission (RFC 7296 2.1, 2.2,
 * window size 1), the SK payload on the way out and in (3.14), and the
 * receive path that routes each message to its exchange.
 *
 * The one timer of an SA means: retransmit our outstanding request
 * (initiator side of any exchange), or give up on a half-open SA (a
 * responder that answered IKE_SA_INIT and never saw IKE_AUTH), or free a
 * dead SA once its failure has been visible for a while.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"
#include "gre/dataplane.h"
#include "lib/ctl.h"

#define IKE_SA_DEAD_LINGER_MS 10000

static const char *const ike_sa_state_names[] = {
    [IKE_SA_NEW] = "new",
    [IKE_SA_INIT_SENT] = "init-sent",
    [IKE_SA_AUTH_SENT] = "auth-sent",
    [IKE_SA_HALF_OPEN] = "half-open",
    [IKE_SA_ESTABLISHED] = "established",
    [IKE_SA_DELETING] = "deleting",
    [IKE_SA_DEAD] = "dead",
};

const char *ike_sa_state_name(enum ike_sa_state s)
{
	return (unsigned)s <= IKE_SA_DEAD ? ike_sa_state_names[s] : "unknown";
}

static const char *const child_sa_state_names[] = {
    [CHILD_SA_NONE] = "none",
    [CHILD_SA_INSTALLED] = "installed",
    [CHILD_SA_FAILED] = "failed",
    [CHILD_SA_DELETED] = "deleted",
};

const char *child_sa_state_name(enum child_sa_state s)
{
	return (unsigned)s <= CHILD_SA_DELETED ? child_sa_state_names[s] : "unknown";
}

static void ike_frags_free(struct ike_sa *sa);

static void ike_sa_timer_fn(struct timer *t, void *arg)
{
	struct ike_sa *sa = arg;

	(void)t;
	if (sa->state == IKE_SA_DEAD) {
		ike_sa_free(sa);
		return;
	}
	if (sa->state == IKE_SA_HALF_OPEN) {
		ike_sa_fail(sa, "no IKE_AUTH after IKE_SA_INIT");
		return;
	}
	if (sa->state == IKE_SA_DELETING && !sa->out_req) {
		ike_sa_fail(sa, "rekeyed, and the peer never deleted it");
		return;
	}
	if (!sa->out_req)
		return;
	if (++sa->tries >= IKED_RETRANSMIT_TRIES) {
		ike_sa_fail(sa, "peer not responding");
		return;
	}
	sa->d->stats.retransmits++;
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, sa->out_req, sa->out_req_len);
	timer_start_ms(&sa->timer, (uint64_t)IKED_RETRANSMIT_MS << sa->tries);
}

struct ike_sa *ike_sa_new(struct iked *d, const struct iked_profile *p, bool initiator,
                          const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->d = d;
	sa->id = ++d->next_sa_id;
	sa->profile = iked_profile_ref(p); /* this version, whatever the config becomes */
	sa->initiator = initiator;
	sa->local = *local;
	sa->remote = *remote;
	sa->rport = rport;
	sa->created_ms = clock_now_ms();
	timer_init(&sa->timer, d->loop, ike_sa_timer_fn, sa);
	ike_sa_init_timers(sa);
	sa->next = d->sas;
	d->sas = sa;
	return sa;
}

void ike_sa_free(struct ike_sa *sa)
{
	struct ike_sa **pp;

	for (pp = &sa->d->sas; *pp; pp = &(*pp)->next)
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	for (struct ike_sa *o = sa->d->sas; o; o = o->next)
		if (o->replaced_by == sa)
			o->replaced_by = NULL;
	for (struct ike_sa *o = sa->d->sas; o; o = o->next)
		if (o->simul_ike == sa)
			o->simul_ike = NULL;
	timer_stop(&sa->timer);
	timer_stop(&sa->rekey_timer);
	timer_stop(&sa->dpd_timer);
	if (sa->child.state == CHILD_SA_INSTALLED)
		ike_child_dataplane(sa, false);
	ikev2_dh_free(sa->dh);
	ikev2_dh_free(sa->rekey_dh);
	ikev2_ike_keys_free(&sa->keys);
	ikev2_secret_free(&sa->child.keymat);
	OPENSSL_cleanse(sa->rekey_nonce, sizeof(sa->rekey_nonce));
	OPENSSL_cleanse(sa->ni, sizeof(sa->ni));
	OPENSSL_cleanse(sa->nr, sizeof(sa->nr));
	free(sa->init_req);
	free(sa->init_resp);
	free(sa->out_req);
	free(sa->last_resp);
	ike_frags_free(sa);
	iked_profile_unref(sa->profile);
	free(sa);
}

static void iked_event(struct iked *d, const char *text)
{
	if (d->ctl)
		ctl_server_event(d->ctl, text);
}

/* The CHILD_SA's two ESP SAs into (or out of) the data plane. */
void ike_child_dataplane(struct ike_sa *sa, bool up)
{
	const struct child_sa *c = &sa->child;
	struct dp_esp_sa in = {
	    .spi = c->spi_in,
	    .src = sa->remote,
	    .dst = sa->local,
	    .transport = c->transport,
	    .ip_proto = 47,
	    .encr = c->alg.encr,
	    .encr_bits = c->alg.encr_bits,
	    .integ = c->alg.integ,
	};
	struct dp_esp_sa out = in;

	out.spi = c->spi_out;
	out.src = sa->local;
	out.dst = sa->remote;
	if (!up) {
		dp_esp_sa_del(DP_BACKEND_USERSPACE, in.spi, &in.dst);
		dp_esp_sa_del(DP_BACKEND_USERSPACE, out.spi, &out.dst);
		return;
	}
	if (dp_esp_sa_add(DP_BACKEND_USERSPACE, &in) < 0 ||
	    dp_esp_sa_add(DP_BACKEND_USERSPACE, &out) < 0)
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: data plane refused the CHILD_SA",
		        sa->id);
}

void ike_child_event(struct ike_sa *sa, bool up)
{
	char ev[160];

	if (up)
		sa->child.rekey_after_ms = jitter_ms(sa->profile->child_lifetime * 900u, 5);
	ike_child_dataplane(sa, up);
	if (up)
		snprintf(ev, sizeof(ev), "child-up id=%u spi-in=%08x spi-out=%08x mode=%s", sa->id,
		         sa->child.spi_in, sa->child.spi_out,
		         sa->child.transport ? "transport" : "tunnel");
	else
		snprintf(ev, sizeof(ev), "child-down id=%u", sa->id);
	iked_event(sa->d, ev);
}

void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], ev[400];
	bool was_up = sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_DELETING;

	if (sa->state == st)
		return;
	if (st == IKE_SA_ESTABLISHED) {
		snprintf(ev, sizeof(ev), "ike-up id=%u local=%s remote=%s peer-id=%s", sa->id,
		         ipaddr_format(&sa->local, a), ipaddr_format(&sa->remote, b), sa->peer_id);
		iked_event(sa->d, ev);
	} else if (st == IKE_SA_DEAD && (was_up || sa->initiator)) {
		snprintf(ev, sizeof(ev), "ike-down id=%u local=%s remote=%s reason=%s", sa->id,
		         ipaddr_format(&sa->local, a), ipaddr_format(&sa->remote, b),
		         sa->error[0] ? sa->error : "deleted");
		iked_event(sa->d, ev);
	}
	log_msg(st == IKE_SA_ESTABLISHED ? LOG_LVL_NOTICE : LOG_LVL_INFO, LOG_CAT_IKE,
	        "IKE SA %u with %s: %s -> %s", sa->id, ipaddr_format(&sa->remote, a),
	        ike_sa_state_name(sa->state), ike_sa_state_name(st));
	sa->state = st;
	if (st == IKE_SA_ESTABLISHED)
		sa->established_ms = clock_now_ms();
}

/* Failed or deleted: keys go now; the entry stays a while for show. */
void ike_sa_fail(struct ike_sa *sa, const char *why)
{
	char a[IPADDR_STRLEN];

	if (sa->state != IKE_SA_DEAD && why)
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u with %s: %s", sa->id,
		        ipaddr_format(&sa->remote, a), why);
	if (why)
		snprintf(sa->error, sizeof(sa->error), "%s", why);
	if (sa->child.state == CHILD_SA_INSTALLED)
		ike_child_event(sa, false);
	ike_sa_set_state(sa, IKE_SA_DEAD);
	timer_stop(&sa->rekey_timer);
	timer_stop(&sa->dpd_timer);
	ikev2_dh_free(sa->rekey_dh);
	sa->rekey_dh = NULL;
	if (sa->child.state == CHILD_SA_INSTALLED)
		sa->child.state = CHILD_SA_DELETED;
	ikev2_dh_free(sa->dh);
	sa->dh = NULL;
	ikev2_ike_keys_free(&sa->keys);
	ikev2_secret_free(&sa->child.keymat);
	free(sa->out_req);
	sa->out_req = NULL;
	timer_start_ms(&sa->timer, IKE_SA_DEAD_LINGER_MS);
}

struct ike_sa *ike_sa_find(struct iked *d, uint64_t ispi, uint64_t rspi)
{
	for (struct ike_sa *sa = d->sas; sa; sa = sa->next)
		if (sa->ispi == ispi && sa->rspi == rspi && sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_find_init(struct iked *d, uint64_t ispi, const struct ipaddr *remote)
{
	for (struct ike_sa *sa = d->sas; sa; sa = sa->next)
		if (sa->ispi == ispi && !sa->initiator && ipaddr_equal(&sa->remote, remote) &&
		    sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

static uint8_t *ike_sa_copy(const uint8_t *msg, size_t len)
{
	uint8_t *p = malloc(len);

	if (p)
		memcpy(p, msg, len);
	return p;
}

void ike_sa_send_request(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	free(sa->out_req);
	sa->out_req = ike_sa_copy(msg, len);
	sa->out_req_len = sa->out_req ? len : 0;
	sa->tries = 0;
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, msg, len);
	timer_start_ms(&sa->timer, IKED_RETRANSMIT_MS);
}

void ike_sa_send_response(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	free(sa->last_resp);
	sa->last_resp = ike_sa_copy(msg, len);
	sa->last_resp_len = sa->last_resp ? len : 0;
	sa->has_last_resp = sa->last_resp != NULL;
	ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, msg, len);
}

/* The keys each direction uses: the initiator sends with SK_ei/SK_ai. */
static void ike_sa_keys(struct ike_sa *sa, bool sending, const struct ikev2_secret **ek,
                        const struct ikev2_secret **ak)
{
	bool mine_i = sa->initiator == sending;

	*ek = mine_i ? &sa->keys.sk_ei : &sa->keys.sk_er;
	*ak = mine_i ? &sa->keys.sk_ai : &sa->keys.sk_ar;
}

size_t ike_sa_seal(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t msg_id,
                   const struct ikev2_builder *inner, uint8_t *out, size_t cap)
{
	struct ikev2_header h = {
	    .ispi = sa->ispi,
	    .rspi = sa->rspi,
	    .exchange = exchange,
	    .flags = (uint8_t)((sa->initiator ? IKEV2_FLAG_INITIATOR : 0) |
	                       (response ? IKEV2_FLAG_RESPONSE : 0)),
	    .msg_id = msg_id,
	};
	const struct ikev2_secret *ek, *ak;
	struct ikev2_builder b;
	size_t plain_len = wbuf_len(&inner->w), body_len, total;
	uint8_t *body;

	if (!wbuf_ok(&inner->w) || inner->failed)
		return 0;
	ikev2_build_init(&b, out, cap, &h);
	body_len = ikev2_sk_body_len(&sa->prop.alg, plain_len);
	body = ikev2_build_sk(&b, plain_len ? inner->first : IKEV2_PAYLOAD_NONE, body_len);
	total = ikev2_build_finish(&b);
	if (!body || !total)
		return 0;
	ike_sa_keys(sa, true, &ek, &ak);
	if (ikev2_sk_seal(&sa->prop.alg, ek, ak, &sa->iv_ctr, out, total, (size_t)(body - out),
	                  inner->w.data, plain_len) < 0)
		return 0;
	return total;
}

#define IKED_MAX_FRAGS 32

/* RFC 7383: the decrypted pieces of one fragmented message. */
struct ike_frags {
	uint32_t msg_id;
	bool response;
	uint16_t total, have;
	uint8_t first;
	size_t len[IKED_MAX_FRAGS];
	uint8_t piece[IKED_MAX_FRAGS][IKED_MAX_MSG];
};

static void ike_frags_free(struct ike_sa *sa)
{
	if (sa->frags)
		OPENSSL_clear_free(sa->frags, sizeof(*sa->frags));
	sa->frags = NULL;
}

/* Keep one fragment (each is protected on its own, RFC 7383 2.5.3);
 * when all are in, their plaintexts in order make the message. */
static int ike_sa_open_fragment(struct ike_sa *sa, const uint8_t *pkt, size_t len,
                                struct ikev2_msg *m, uint8_t *plain, size_t cap)
{
	const struct ikev2_secret *ek, *ak;
	struct ikev2_decode_error err = {0};
	bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	struct ike_frags *f = sa->frags;
	size_t n = 0, plen;
	uint8_t first;

	if (m->skf_total == 0 || m->skf_total > IKED_MAX_FRAGS || m->skf_num == 0 ||
	    m->skf_num > m->skf_total) {
		log_msg_rl(&sa->d->rl, LOG_LVL_INFO, LOG_CAT_IKE,
		           "IKE SA %u: fragment %u of %u refused (at most %d fragments)", sa->id,
		           m->skf_num, m->skf_total, IKED_MAX_FRAGS);
		return -1;
	}
	if (f &&
	    (f->msg_id != m->hdr.msg_id || f->response != response || f->total != m->skf_total)) {
		ike_frags_free(sa); /* a new message: the old one was abandoned */
		f = NULL;
	}
	if (!f) {
		f = OPENSSL_zalloc(sizeof(*f));
		if (!f)
			return -1;
		f->msg_id = m->hdr.msg_id;
		f->response = response;
		f->total = m->skf_total;
		sa->frags = f;
	}
	if (f->len[m->skf_num - 1])
		return 1; /* a retransmitted fragment */
	ike_sa_keys(sa, false, &ek, &ak);
	if (ikev2_sk_open(&sa->prop.alg, ek, ak, pkt, len, m->skf_body_off,
	                  f->piece[m->skf_num - 1], IKED_MAX_MSG, &plen) < 0 ||
	    plen == 0)
		return -1;
	f->len[m->skf_num - 1] = plen;
	if (m->skf_num == 1)
		f->first = m->skf_first;
	if (++f->have < f->total)
		return 1;
	for (unsigned i = 0; i < f->total; i++) {
		if (n + f->len[i] > cap) {
			ike_frags_free(sa);
			return -1;
		}
		memcpy(plain + n, f->piece[i], f->len[i]);
		n += f->len[i];
	}
	first = f->first;
	ike_frags_free(sa);
	return ikev2_payloads_decode(first, plain, n, m, &err) < 0 ? -1 : 0;
}

int ike_sa_open(struct ike_sa *sa, const uint8_t *pkt, size_t len, struct ikev2_msg *m,
                uint8_t *plain, size_t cap)
{
	const struct ikev2_secret *ek, *ak;
	struct ikev2_decode_error err = {0};
	size_t plen;

	if (m->has_skf)
		return ike_sa_open_fragment(sa, pkt, len, m, plain, cap);
	if (!m->has_sk)
		return -1; /* after IKE_SA_INIT everything is protected */
	ike_sa_keys(sa, false, &ek, &ak);
	if (ikev2_sk_open(&sa->prop.alg, ek, ak, pkt, len, m->sk_body_off, plain, cap, &plen) < 0)
		return -1;
	if (ikev2_payloads_decode(m->sk_first, plain, plen, m, &err) < 0) {
		log_msg_rl(&sa->d->rl, LOG_LVL_INFO, LOG_CAT_IKE,
		           "IKE SA %u: bad inner payloads: %s", sa->id,
		           err.reason ? err.reason : "?");
		return -1;
	}
	return 0;
}

static void ike_drop(struct iked *d, const struct ipaddr *from, const char *why)
{
	char a[IPADDR_STRLEN];

	d->stats.dropped++;
	log_msg_rl(&d->rl, LOG_LVL_INFO, LOG_CAT_IKE, "dropped IKE message from %s: %s",
	           ipaddr_format(from, a), why);
}

/* A request or response within an IKE SA (after IKE_SA_INIT). */
static void ike_recv_sa(struct ike_sa *sa, struct ikev2_msg *m, const uint8_t *pkt, size_t len)
{
	static uint8_t plain[IKED_MAX_FRAGS * IKED_MAX_MSG];
	bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	int rc;

	if (response) {
		/* RFC 7296 2.2: a response must answer our outstanding request. */
		if (!sa->out_req || m->hdr.msg_id != sa->next_msg_id - 1) {
			ike_drop(sa->d, &sa->remote, "response to no outstanding request");
			return;
		}
		rc = ike_sa_open(sa, pkt, len, m, plain, sizeof(plain));
		if (rc < 0) {
			sa->d->stats.bad_msg++;
			ike_drop(sa->d, &sa->remote, "response failed its integrity check");
			return;
		}
		if (rc > 0)
			return; /* more fragments to come */
		free(sa->out_req);
		sa->out_req = NULL;
		timer_stop(&sa->timer);
		sa->last_rx_ms = clock_now_ms();
		if (m->hdr.exchange == IKEV2_EXCHANGE_IKE_AUTH && sa->state == IKE_SA_AUTH_SENT)
			ike_auth_recv_response(sa, m);
		else if (m->hdr.exchange == IKEV2_EXCHANGE_INFORMATIONAL)
			ike_info_recv_response(sa, m);
		else if (m->hdr.exchange == IKEV2_EXCHANGE_CREATE_CHILD_SA)
			ike_rekey_recv_response(sa, m);
		return;
	}
	/* RFC 7296 2.1: a retransmitted request gets the same response. */
	if (sa->has_last_resp && m->hdr.msg_id == sa->last_resp_id) {
		ike_net_send(sa->d, &sa->local, &sa->remote, sa->rport, sa->last_resp,
		             sa->last_resp_len);
		return;
	}
	if (m->hdr.msg_id != sa->peer_msg_id) {
		ike_drop(sa->d, &sa->remote, "request with an unexpected message ID");
		return;
	}
	rc = ike_sa_open(sa, pkt, len, m, plain, sizeof(plain));
	if (rc < 0) {
		sa->d->stats.bad_msg++;
		ike_drop(sa->d, &sa->remote, "request failed its integrity check");
		return;
	}
	if (rc > 0)
		return; /* more fragments to come */
	sa->peer_msg_id++;
	sa->last_resp_id = m->hdr.msg_id;
	sa->last_rx_ms = clock_now_ms();
	switch (m->hdr.exchange) {
	case IKEV2_EXCHANGE_IKE_AUTH:
		if (sa->state == IKE_SA_HALF_OPEN && !sa->initiator)
			ike_auth_recv_request(sa, m);
		else
			ike_drop(sa->d, &sa->remote, "IKE_AUTH in the wrong state");
		break;
	case IKEV2_EXCHANGE_INFORMATIONAL:
		ike_info_recv_request(sa, m);
		break;
	case IKEV2_EXCHANGE_CREATE_CHILD_SA:
		ike_rekey_recv_request(sa, m);
		break;
	default: {
		/* An exchange type we do not know: refuse, politely. */
		struct ikev2_builder in;
		uint8_t ib[64], out[256];
		size_t n;

		ikev2_build_inner_init(&in, ib, sizeof(ib));
		ikev2_build_notify(&in, 0, NULL, 0, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
		n = ike_sa_seal(sa, m->hdr.exchange, true, m->hdr.msg_id, &in, out, sizeof(out));
		if (n)
			ike_sa_send_response(sa, out, n);
		break;
	}
	}
}

void ike_recv(struct iked *d, const uint8_t *pkt, size_t len, const struct ipaddr *local,
              const struct ipaddr *remote, uint16_t rport)
{
	static struct ikev2_msg m;
	struct ikev2_decode_error err = {0};
	struct ike_sa *sa;

	if (ikev2_msg_decode(pkt, len, &m, &err) < 0) {
		d->stats.bad_msg++;
		ike_drop(d, remote, err.reason ? err.reason : "malformed");
		return;
	}
	if (m.hdr.exchange == IKEV2_EXCHANGE_IKE_SA_INIT) {
		if (!(m.hdr.flags & IKEV2_FLAG_RESPONSE)) {
			sa = ike_sa_find_init(d, m.hdr.ispi, remote);
			if (sa && sa->has_last_resp) {
				/* A retransmitted IKE_SA_INIT: the same answer. */
				ike_net_send(d, &sa->local, remote, rport, sa->last_resp,
				             sa->last_resp_len);
				return;
			}
			if (m.hdr.rspi != 0 || m.hdr.msg_id != 0) {
				ike_drop(d, remote, "IKE_SA_INIT request with a responder SPI");
				return;
			}
			ike_init_recv_request(d, &m, pkt, len, local, remote, rport);
			return;
		}
		for (sa = d->sas; sa; sa = sa->next)
			if (sa->initiator && sa->ispi == m.hdr.ispi &&
			    sa->state == IKE_SA_INIT_SENT)
				break;
		if (!sa || !ipaddr_equal(&sa->remote, remote)) {
			ike_drop(d, remote, "IKE_SA_INIT response for no SA of ours");
			return;
		}
		ike_init_recv_response(sa, &m, pkt, len);
		return;
	}
	sa = ike_sa_find(d, m.hdr.ispi, m.hdr.rspi);
	if (!sa || !ipaddr_equal(&sa->remote, remote)) {
		ike_drop(d, remote, "unknown IKE SA");
		return;
	}
	/* RFC 7296 3.1: the I flag says who sent it. */
	if (!!(m.hdr.flags & IKEV2_FLAG_INITIATOR) == sa->initiator) {
		ike_drop(d, remote, "initiator flag of the wrong side");
		return;
	}
	ike_recv_sa(sa, &m, pkt, len);
}

void ike_send_init_error(struct iked *d, const struct ikev2_msg *req, const struct ipaddr *local,
                         const struct ipaddr *remote, uint16_t rport, uint16_t notify,
                         const uint8_t *data, size_t len)
{
	struct ikev2_header h = {
	    .ispi = req->hdr.ispi,
	    .exchange = IKEV2_EXCHANGE_IKE_SA_INIT,
	    .flags = IKEV2_FLAG_RESPONSE,
	};
	struct ikev2_builder b;
	uint8_t out[256];
	size_t n;

	ikev2_build_init(&b, out, sizeof(out), &h);
	ikev2_build_notify(&b, 0, NULL, 0, notify, data, len);
	n = ikev2_build_finish(&b);
	if (n)
		ike_net_send(d, local, remote, rport, out, n);
}
