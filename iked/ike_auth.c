/*
 * IKE_AUTH (RFC 7296 1.2, 2.15) with pre-shared keys, and the first
 * CHILD_SA it carries (1.3, 2.9, 2.17): ESP, transport mode when asked
 * (USE_TRANSPORT_MODE, 1.3.1), traffic selectors narrowed to GRE between
 * the two NBMA addresses (ike_child.c). A refused CHILD_SA does not fail
 * the IKE SA (2.21.2). AUTH values are compared in constant time; the PSK
 * is never logged.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "iked/iked.h"

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

void ike_auth_send_request(struct ike_sa *sa)
{
	const struct iked_profile *p = sa->profile;
	static struct ikev2_sa_payload sap;
	struct ikev2_ts_payload tsi, tsr;
	uint8_t inner[IKED_MAX_MSG], idt, idd[128], auth[IKEV2_C_PRF_MAX];
	const uint8_t *body;
	size_t idl, bl, al;
	struct ikev2_builder b;
	int rc;

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
	/* Our inbound SPI of the first CHILD_SA, until the answer. */
	if (ikev2_esp_spi_random(&sa->child.spi_in) < 0) {
		ike_sa_fail(sa, "no SPI");
		return;
	}
	ike_proposals_esp(p, sa->child.spi_in, &sap);
	ikev2_build_sa(&b, &sap);
	ike_ts_gre(&tsi, &sa->local);
	ike_ts_gre(&tsr, &sa->remote);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	rc = ike_request_send(sa, IKE_REQ_AUTH, &b);
	OPENSSL_cleanse(inner, sizeof(inner));
	if (rc < 0) {
		ike_sa_fail(sa, "could not build IKE_AUTH");
		return;
	}
	ike_sa_fsm(sa, IKE_EV_AUTH_SENT);
}

/* Responder: decide the CHILD_SA into c; 0 or the error notify to answer. */
static uint16_t ike_auth_child_responder(struct ike_sa *sa, const struct ikev2_msg *m,
                                         struct child_sa *c, uint8_t *num)
{
	struct iked_proposal chosen;

	if (!m->has_sa || !m->has_tsi || !m->has_tsr)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	if (ike_proposal_select(sa->profile->esp, sa->profile->n_esp, true, &m->sa, &chosen, num,
	                        &c->spi_out) < 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	/* TSi is the initiator's side (the remote NBMA address), TSr ours. */
	if (!ike_ts_covers(&m->tsi, &sa->remote) || !ike_ts_covers(&m->tsr, &sa->local))
		return IKEV2_N_TS_UNACCEPTABLE;
	c->alg = chosen.alg;
	c->transport =
	    !sa->profile->tunnel_mode && ikev2_notify_find(m, IKEV2_N_USE_TRANSPORT_MODE);
	ike_child_selectors(sa, c, false);
	if (ikev2_esp_spi_random(&c->spi_in) < 0 ||
	    ike_child_keymat(sa, c, NULL, sa->ni, sa->ni_len, sa->nr, sa->nr_len) < 0)
		return IKEV2_N_TEMPORARY_FAILURE;
	return 0;
}

static void ike_auth_refuse(struct ike_sa *sa, uint16_t notify, const char *why)
{
	ike_response_notify(sa, IKEV2_EXCHANGE_IKE_AUTH, sa->last_resp_id, notify, NULL, 0);
	sa->d->stats.bad_auth++;
	ike_sa_fail(sa, why);
}

/* The CHILD_SA's half of the IKE_AUTH response (c accepted), or the
 * notify that refuses it. */
static void ike_auth_child_answer(struct ike_sa *sa, struct ikev2_builder *b,
                                  const struct child_sa *c, uint16_t child_err, uint8_t num)
{
	static struct ikev2_sa_payload sap;
	struct ikev2_ts_payload tsi, tsr;

	if (child_err) {
		ikev2_build_notify(b, 0, NULL, 0, child_err, NULL, 0);
		return;
	}
	if (c->transport)
		ikev2_build_notify(b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	ike_proposals_esp(sa->profile, c->spi_in, &sap);
	for (unsigned i = 0; i < sa->profile->n_esp; i++)
		if (sa->profile->esp[i].alg.encr == c->alg.encr &&
		    sa->profile->esp[i].alg.encr_bits == c->alg.encr_bits &&
		    sa->profile->esp[i].alg.integ == c->alg.integ) {
			sap.p[0] = sap.p[i];
			break;
		}
	sap.p[0].num = num;
	sap.n = 1;
	ikev2_build_sa(b, &sap);
	ike_ts_gre(&tsi, &sa->remote);
	ike_ts_gre(&tsr, &sa->local);
	ikev2_build_ts(b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(b, IKEV2_PAYLOAD_TSR, &tsr);
}

void ike_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *m)
{
	uint8_t inner[IKED_MAX_MSG], idt, idd[128], want[IKEV2_C_PRF_MAX];
	uint8_t auth[IKEV2_C_PRF_MAX], num = 0;
	struct child_sa c = {0};
	struct ikev2_builder b;
	const uint8_t *body;
	size_t wl, idl, bl, al;
	uint16_t child_err;
	int rc;

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
	child_err = ike_auth_child_responder(sa, m, &c, &num);

	ike_local_id(sa, &idt, idd, &idl);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_id(&b, IKEV2_PAYLOAD_IDR, idt, idd, idl);
	body = ikev2_build_last_body(&b, &bl);
	if (!body || ike_auth_compute(sa, false, body, bl, auth, &al) < 0) {
		ikev2_secret_free(&c.keymat);
		ike_sa_fail(sa, "could not compute AUTH");
		return;
	}
	ikev2_build_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, auth, al);
	OPENSSL_cleanse(auth, sizeof(auth));
	ike_auth_child_answer(sa, &b, &c, child_err, num);
	rc = ike_response_send(sa, IKEV2_EXCHANGE_IKE_AUTH, m->hdr.msg_id, &b);
	OPENSSL_cleanse(inner, sizeof(inner));
	if (rc < 0) {
		ikev2_secret_free(&c.keymat);
		ike_sa_fail(sa, "could not build the IKE_AUTH response");
		return;
	}
	ike_sa_fsm(sa, IKE_EV_AUTHENTICATED);
	/* RFC 7296 2.4: INITIAL_CONTACT: the peer has no other SA with us. */
	if (ikev2_notify_find(m, IKEV2_N_INITIAL_CONTACT))
		for (struct ike_sa *o = sa->d->sas; o; o = o->next)
			if (o != sa && ike_sa_is_up(o) && ipaddr_equal(&o->remote, &sa->remote) &&
			    !strcmp(o->peer_id, sa->peer_id))
				ike_sa_fail(o, "replaced: the peer sent INITIAL_CONTACT");
	if (child_err) {
		ikev2_secret_free(&c.keymat);
		sa->child.failure = child_err;
		child_sa_fsm(sa, CHILD_EV_REFUSED, NULL);
	} else {
		child_sa_fsm(sa, CHILD_EV_INSTALLED, &c);
	}
}

/* Initiator: the CHILD_SA the responder accepted into c; 0, or the notify
 * that says why there is none. */
static uint16_t ike_auth_child_initiator(struct ike_sa *sa, const struct ikev2_msg *m,
                                         struct child_sa *c)
{
	struct iked_proposal chosen;
	uint16_t err = ikev2_notify_error(m);

	if (err || !m->has_sa || !m->has_tsi || !m->has_tsr ||
	    ike_proposal_check(sa->profile->esp, sa->profile->n_esp, true, &m->sa, &chosen,
	                       &c->spi_out) < 0 ||
	    !ike_ts_covers(&m->tsi, &sa->local) || !ike_ts_covers(&m->tsr, &sa->remote))
		return err ? err : IKEV2_N_NO_PROPOSAL_CHOSEN;
	c->alg = chosen.alg;
	c->spi_in = sa->child.spi_in;
	c->transport = ikev2_notify_find(m, IKEV2_N_USE_TRANSPORT_MODE);
	ike_child_selectors(sa, c, true);
	if (ike_child_keymat(sa, c, NULL, sa->ni, sa->ni_len, sa->nr, sa->nr_len) < 0) {
		ikev2_secret_free(&c->keymat);
		return IKEV2_N_TEMPORARY_FAILURE;
	}
	return 0;
}

void ike_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req)
{
	uint8_t want[IKEV2_C_PRF_MAX];
	uint16_t err = ikev2_notify_error(m);
	struct child_sa c = {0};
	size_t wl;

	(void)req;
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
	ike_sa_fsm(sa, IKE_EV_AUTHENTICATED);
	/* The CHILD_SA (RFC 7296 1.2): accepted, or refused with a notify. */
	err = ike_auth_child_initiator(sa, m, &c);
	if (err) {
		sa->child.failure = err;
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: CHILD_SA refused: %s", sa->id,
		        ikev2_notify_name(err));
		child_sa_fsm(sa, CHILD_EV_REFUSED, NULL);
		return;
	}
	child_sa_fsm(sa, CHILD_EV_INSTALLED, &c);
}
