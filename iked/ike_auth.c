/*
 * IKE_AUTH (RFC 7296 1.2, 2.15) with pre-shared keys, and the first
 * CHILD_SA it carries (1.3, 2.9, 2.17): ESP, transport mode when asked
 * (USE_TRANSPORT_MODE, 1.3.1), traffic selectors narrowed to GRE (IP
 * protocol 47) between the two NBMA addresses. A refused CHILD_SA does not
 * fail the IKE SA (2.21.2). AUTH values are compared in constant time;
 * the PSK is never logged.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "iked/iked.h"

#define IKE_PROTO_GRE 47

void ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *out, size_t cap)
{
	struct ipaddr a = {0};
	size_t o = 0;

	if ((type == IKEV2_ID_IPV4_ADDR && len == 4) || (type == IKEV2_ID_IPV6_ADDR && len == 16)) {
		a.family = len == 4 ? AF_INET : AF_INET6;
		memcpy(a.u.bytes, data, len);
		snprintf(out, cap, "%s", ipaddr_format(&a, (char[IPADDR_STRLEN]){0}));
		return;
	}
	o = (size_t)snprintf(out, cap, "%s:",
	                     type == IKEV2_ID_FQDN     ? "fqdn"
	                     : type == IKEV2_ID_KEY_ID ? "keyid"
	                                               : "id");
	for (size_t i = 0; i < len && o + 5 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o,
		                      data[i] > 32 && data[i] < 127 ? "%c" : "\\x%02x", data[i]);
}

/* Our identity as an ID payload (type, data). */
static void ike_local_id(struct ike_sa *sa, uint8_t *type, uint8_t *data, size_t *len)
{
	const struct iked_identity *id = &sa->profile->local_id;

	switch (id->type) {
	case IKED_ID_FQDN:
	case IKED_ID_KEY_ID:
		*type = id->type == IKED_ID_FQDN ? IKEV2_ID_FQDN : IKEV2_ID_KEY_ID;
		*len = strlen(id->value);
		memcpy(data, id->value, *len);
		break;
	case IKED_ID_ADDRESS:
		/* RFC 7296 3.5: ID_IPV4_ADDR or ID_IPV6_ADDR. */
		*type = id->addr.family == AF_INET6 ? IKEV2_ID_IPV6_ADDR : IKEV2_ID_IPV4_ADDR;
		*len = ipaddr_len(&id->addr);
		memcpy(data, id->addr.u.bytes, *len);
		break;
	default:
		*type = IKEV2_ID_IPV4_ADDR;
		memcpy(data, &sa->local.u.v4, 4);
		*len = 4;
		break;
	}
	ike_id_format(*type, data, *len, sa->local_id, sizeof(sa->local_id));
}

/* Does the peer's ID payload match what the profile accepts? */
static bool ike_peer_id_ok(const struct ike_sa *sa, const struct ikev2_id *id)
{
	const struct iked_identity *want = &sa->profile->remote_id;

	switch (want->type) {
	case IKED_ID_ANY:
		return true;
	case IKED_ID_ADDRESS_AUTO:
		return id->type == IKEV2_ID_IPV4_ADDR && id->len == 4 &&
		       !memcmp(id->data, &sa->remote.u.v4, 4);
	case IKED_ID_ADDRESS:
		return id->type == (want->addr.family == AF_INET6 ? IKEV2_ID_IPV6_ADDR
		                                                  : IKEV2_ID_IPV4_ADDR) &&
		       id->len == ipaddr_len(&want->addr) &&
		       !memcmp(id->data, want->addr.u.bytes, id->len);
	case IKED_ID_FQDN:
	case IKED_ID_KEY_ID:
		return id->type == (want->type == IKED_ID_FQDN ? IKEV2_ID_FQDN : IKEV2_ID_KEY_ID) &&
		       id->len == strlen(want->value) && !memcmp(id->data, want->value, id->len);
	default:
		return false;
	}
}

/* AUTH = prf(prf(PSK, "Key Pad for IKEv2"), <signed octets>), RFC 7296 2.15. */
static int ike_auth_compute(struct ike_sa *sa, bool for_initiator, const uint8_t *id_body,
                            size_t id_body_len, uint8_t *out, size_t *out_len)
{
	const struct iked_profile *p = sa->profile;

	if (for_initiator)
		return ikev2_psk_auth(sa->prop.alg.prf, p->psk, p->psk_len, sa->init_req,
		                      sa->init_req_len, sa->nr, sa->nr_len, &sa->keys.sk_pi,
		                      id_body, id_body_len, out, out_len);
	return ikev2_psk_auth(sa->prop.alg.prf, p->psk, p->psk_len, sa->init_resp,
	                      sa->init_resp_len, sa->ni, sa->ni_len, &sa->keys.sk_pr, id_body,
	                      id_body_len, out, out_len);
}

static void ike_ts_single(struct ikev2_ts_payload *tsp, const struct ipaddr *a)
{
	memset(tsp, 0, sizeof(*tsp));
	tsp->n = 1;
	tsp->ts[0].type = IKEV2_TS_IPV4_ADDR_RANGE;
	tsp->ts[0].ip_proto = IKE_PROTO_GRE;
	tsp->ts[0].start_port = 0;
	tsp->ts[0].end_port = 65535;
	tsp->ts[0].start = *a;
	tsp->ts[0].end = *a;
}

/* Does some selector of the payload cover GRE from/to address a? */
static bool ike_ts_covers(const struct ikev2_ts_payload *tsp, const struct ipaddr *a)
{
	for (size_t i = 0; i < tsp->n; i++) {
		const struct ikev2_ts *t = &tsp->ts[i];

		if (t->type != IKEV2_TS_IPV4_ADDR_RANGE ||
		    (t->ip_proto != 0 && t->ip_proto != IKE_PROTO_GRE))
			continue;
		if (memcmp(&t->start.u.v4, &a->u.v4, 4) <= 0 &&
		    memcmp(&a->u.v4, &t->end.u.v4, 4) <= 0)
			return true;
	}
	return false;
}

static bool ike_has_notify(const struct ikev2_msg *m, uint16_t type)
{
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return true;
	return false;
}

/* First error notify of a response (2.21), or 0. */
static uint16_t ike_error_notify(const struct ikev2_msg *m)
{
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < 16384)
			return m->notify[i].type;
	return 0;
}

static int ike_child_keys(struct ike_sa *sa)
{
	struct child_sa *c = &sa->child;
	size_t one = ikev2_encr_key_len(&c->alg) + ikev2_integ_key_len(c->alg.integ);

	if (ikev2_secret_alloc(&c->keymat, 2 * one) < 0)
		return -1;
	/* RFC 7296 2.17: KEYMAT = prf+(SK_d, Ni | Nr). */
	return ikev2_derive_child_keys(sa->prop.alg.prf, &sa->keys.sk_d, NULL, sa->ni, sa->ni_len,
	                               sa->nr, sa->nr_len, c->keymat.p, c->keymat.len);
}

void ike_auth_send_request(struct ike_sa *sa)
{
	const struct iked_profile *p = sa->profile;
	static struct ikev2_sa_payload sap;
	struct ikev2_ts_payload tsi, tsr;
	uint8_t inner[IKED_MAX_MSG], out[IKED_MAX_MSG], idt, idd[128], auth[IKEV2_C_PRF_MAX];
	const uint8_t *body;
	size_t idl, bl, al, n;
	struct ikev2_builder b;

	ike_local_id(sa, &idt, idd, &idl);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_id(&b, IKEV2_PAYLOAD_IDI, idt, idd, idl);
	body = ikev2_build_last_body(&b, &bl);
	if (!body || ike_auth_compute(sa, true, body, bl, auth, &al) < 0) {
		ike_sa_fail(sa, "could not compute AUTH");
		return;
	}
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	ikev2_build_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, auth, al);
	OPENSSL_cleanse(auth, sizeof(auth));
	if (!p->tunnel_mode)
		ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	if (ikev2_esp_spi_random(&sa->child.spi_in) < 0) {
		ike_sa_fail(sa, "no SPI");
		return;
	}
	ike_proposals_esp(p, sa->child.spi_in, &sap);
	ikev2_build_sa(&b, &sap);
	ike_ts_single(&tsi, &sa->local);
	ike_ts_single(&tsr, &sa->remote);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_IKE_AUTH, false, sa->next_msg_id, &b, out, sizeof(out));
	OPENSSL_cleanse(inner, sizeof(inner));
	if (!n) {
		ike_sa_fail(sa, "could not build IKE_AUTH");
		return;
	}
	sa->next_msg_id++;
	ike_sa_set_state(sa, IKE_SA_AUTH_SENT);
	ike_sa_send_request(sa, out, n);
}

/* Responder: decide the CHILD_SA; 0 or the error notify to answer. */
static uint16_t ike_auth_child_responder(struct ike_sa *sa, const struct ikev2_msg *m, uint8_t *num)
{
	struct iked_proposal chosen;
	struct child_sa *c = &sa->child;

	if (!m->has_sa || !m->has_tsi || !m->has_tsr)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	if (ike_proposal_select(sa->profile->esp, sa->profile->n_esp, true, &m->sa, &chosen, num,
	                        &c->spi_out) < 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	/* TSi is the initiator's side (the remote NBMA address), TSr ours. */
	if (!ike_ts_covers(&m->tsi, &sa->remote) || !ike_ts_covers(&m->tsr, &sa->local))
		return IKEV2_N_TS_UNACCEPTABLE;
	c->alg = chosen.alg;
	c->transport = !sa->profile->tunnel_mode && ike_has_notify(m, IKEV2_N_USE_TRANSPORT_MODE);
	if (ikev2_esp_spi_random(&c->spi_in) < 0 || ike_child_keys(sa) < 0)
		return IKEV2_N_TEMPORARY_FAILURE;
	c->tsi = (struct ikev2_ts){
	    IKEV2_TS_IPV4_ADDR_RANGE, IKE_PROTO_GRE, 0, 65535, sa->remote, sa->remote};
	c->tsr = (struct ikev2_ts){
	    IKEV2_TS_IPV4_ADDR_RANGE, IKE_PROTO_GRE, 0, 65535, sa->local, sa->local};
	return 0;
}

static void ike_auth_refuse(struct ike_sa *sa, uint16_t notify, const char *why)
{
	struct ikev2_builder b;
	uint8_t inner[64], out[256];
	size_t n;

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_notify(&b, 0, NULL, 0, notify, NULL, 0);
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_IKE_AUTH, true, sa->last_resp_id, &b, out, sizeof(out));
	if (n)
		ike_sa_send_response(sa, out, n);
	sa->d->stats.bad_auth++;
	ike_sa_fail(sa, why);
}

void ike_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *m)
{
	static struct ikev2_sa_payload sap;
	uint8_t inner[IKED_MAX_MSG], out[IKED_MAX_MSG], idt, idd[128], want[IKEV2_C_PRF_MAX];
	uint8_t auth[IKEV2_C_PRF_MAX], num = 0;
	struct ikev2_ts_payload tsi, tsr;
	struct ikev2_builder b;
	const uint8_t *body;
	size_t wl, idl, bl, al, n;
	uint16_t child_err;

	if (!m->has_idi || !m->has_auth || m->auth_method != IKEV2_AUTH_SHARED_KEY_MIC) {
		ike_auth_refuse(sa, IKEV2_N_AUTHENTICATION_FAILED, "IKE_AUTH without a PSK AUTH");
		return;
	}
	if (!ike_peer_id_ok(sa, &m->idi)) {
		ike_auth_refuse(sa, IKEV2_N_AUTHENTICATION_FAILED, "peer identity not accepted");
		return;
	}
	if (ike_auth_compute(sa, true, m->idi.body, m->idi.body_len, want, &wl) < 0 ||
	    !ikev2_auth_equal(want, wl, m->auth, m->auth_len)) {
		OPENSSL_cleanse(want, sizeof(want));
		ike_auth_refuse(sa, IKEV2_N_AUTHENTICATION_FAILED, "AUTH mismatch (wrong PSK?)");
		return;
	}
	OPENSSL_cleanse(want, sizeof(want));
	ike_id_format(m->idi.type, m->idi.data, m->idi.len, sa->peer_id, sizeof(sa->peer_id));
	child_err = ike_auth_child_responder(sa, m, &num);

	ike_local_id(sa, &idt, idd, &idl);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_id(&b, IKEV2_PAYLOAD_IDR, idt, idd, idl);
	body = ikev2_build_last_body(&b, &bl);
	if (!body || ike_auth_compute(sa, false, body, bl, auth, &al) < 0) {
		ike_sa_fail(sa, "could not compute AUTH");
		return;
	}
	ikev2_build_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, auth, al);
	OPENSSL_cleanse(auth, sizeof(auth));
	if (child_err) {
		ikev2_build_notify(&b, 0, NULL, 0, child_err, NULL, 0);
		sa->child.state = CHILD_SA_FAILED;
		sa->child.failure = child_err;
	} else {
		if (sa->child.transport)
			ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
		ike_proposals_esp(sa->profile, sa->child.spi_in, &sap);
		for (unsigned i = 0; i < sa->profile->n_esp; i++)
			if (sa->profile->esp[i].alg.encr == sa->child.alg.encr &&
			    sa->profile->esp[i].alg.encr_bits == sa->child.alg.encr_bits &&
			    sa->profile->esp[i].alg.integ == sa->child.alg.integ) {
				sap.p[0] = sap.p[i];
				break;
			}
		sap.p[0].num = num;
		sap.n = 1;
		ikev2_build_sa(&b, &sap);
		ike_ts_single(&tsi, &sa->remote);
		ike_ts_single(&tsr, &sa->local);
		ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
		ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	}
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_IKE_AUTH, true, m->hdr.msg_id, &b, out, sizeof(out));
	OPENSSL_cleanse(inner, sizeof(inner));
	if (!n) {
		ike_sa_fail(sa, "could not build the IKE_AUTH response");
		return;
	}
	ike_sa_send_response(sa, out, n);
	timer_stop(&sa->timer);
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	ike_sa_arm_timers(sa);
	/* RFC 7296 2.4: INITIAL_CONTACT: the peer has no other SA with us. */
	if (ike_has_notify(m, IKEV2_N_INITIAL_CONTACT))
		for (struct ike_sa *o = sa->d->sas; o; o = o->next)
			if (o != sa && o->state == IKE_SA_ESTABLISHED &&
			    ipaddr_equal(&o->remote, &sa->remote) &&
			    !strcmp(o->peer_id, sa->peer_id))
				ike_sa_fail(o, "replaced: the peer sent INITIAL_CONTACT");
	if (!child_err) {
		sa->child.we_initiated = false;
		sa->child.state = CHILD_SA_INSTALLED;
		sa->child.established_ms = clock_now_ms();
		iked_keylog_child(sa);
		ike_child_event(sa, true);
	}
}

void ike_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *m)
{
	uint8_t want[IKEV2_C_PRF_MAX];
	struct iked_proposal chosen;
	struct child_sa *c = &sa->child;
	uint16_t err = ike_error_notify(m);
	size_t wl;

	if (err == IKEV2_N_AUTHENTICATION_FAILED || !m->has_idr || !m->has_auth) {
		sa->d->stats.bad_auth++;
		ike_sa_fail(sa, err ? "responder: AUTHENTICATION_FAILED"
		                    : "IKE_AUTH response without IDr/AUTH");
		return;
	}
	if (!ike_peer_id_ok(sa, &m->idr)) {
		ike_sa_fail(sa, "responder identity not accepted");
		return;
	}
	if (m->auth_method != IKEV2_AUTH_SHARED_KEY_MIC ||
	    ike_auth_compute(sa, false, m->idr.body, m->idr.body_len, want, &wl) < 0 ||
	    !ikev2_auth_equal(want, wl, m->auth, m->auth_len)) {
		OPENSSL_cleanse(want, sizeof(want));
		sa->d->stats.bad_auth++;
		ike_sa_fail(sa, "responder AUTH mismatch (wrong PSK?)");
		return;
	}
	OPENSSL_cleanse(want, sizeof(want));
	ike_id_format(m->idr.type, m->idr.data, m->idr.len, sa->peer_id, sizeof(sa->peer_id));
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	ike_sa_arm_timers(sa);
	/* The CHILD_SA (RFC 7296 1.2): accepted, or refused with a notify. */
	if (err || !m->has_sa || !m->has_tsi || !m->has_tsr ||
	    ike_proposal_check(sa->profile->esp, sa->profile->n_esp, true, &m->sa, &chosen,
	                       &c->spi_out) < 0 ||
	    !ike_ts_covers(&m->tsi, &sa->local) || !ike_ts_covers(&m->tsr, &sa->remote)) {
		c->state = CHILD_SA_FAILED;
		c->failure = err ? err : IKEV2_N_NO_PROPOSAL_CHOSEN;
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: CHILD_SA refused: %s", sa->id,
		        ikev2_notify_name(c->failure));
		return;
	}
	c->alg = chosen.alg;
	c->we_initiated = true;
	c->transport = ike_has_notify(m, IKEV2_N_USE_TRANSPORT_MODE);
	c->tsi = (struct ikev2_ts){
	    IKEV2_TS_IPV4_ADDR_RANGE, IKE_PROTO_GRE, 0, 65535, sa->local, sa->local};
	c->tsr = (struct ikev2_ts){
	    IKEV2_TS_IPV4_ADDR_RANGE, IKE_PROTO_GRE, 0, 65535, sa->remote, sa->remote};
	if (ike_child_keys(sa) < 0) {
		c->state = CHILD_SA_FAILED;
		return;
	}
	c->state = CHILD_SA_INSTALLED;
	c->established_ms = clock_now_ms();
	iked_keylog_child(sa);
	ike_child_event(sa, true);
}
