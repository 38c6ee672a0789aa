/*
 * IKE_SA_INIT (RFC 7296 1.2, 2.6, 2.7, 2.10, 2.14, 2.23), both roles:
 * proposals, Diffie-Hellman, nonces, NAT detection; an INVALID_KE_PAYLOAD
 * answer makes the initiator retry with the group the responder wants
 * (1.2), if it offered it. Once both halves are in, the keys are derived
 * and IKE_AUTH follows.
 */
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"

/* RFC 7296 2.23: hashes of (SPIs, address, port) of both ends. */
static void ike_nat_notifies(struct ike_sa *sa, struct ikev2_builder *b)
{
	uint8_t h[IKEV2_C_NAT_HASH_LEN];
	uint16_t lport = sa->d->port;

	if (ikev2_nat_hash(sa->ispi, sa->rspi, &sa->local, lport, h) == 0)
		ikev2_build_notify(b, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	if (ikev2_nat_hash(sa->ispi, sa->rspi, &sa->remote, sa->rport, h) == 0)
		ikev2_build_notify(b, 0, NULL, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP, h,
		                   sizeof(h));
}

/* Compare the peer's NAT hashes with what we see (RFC 7296 2.23): over
 * the SPIs as the peer's header had them (no responder SPI in a request). */
static void ike_nat_check(struct ike_sa *sa, const struct ikev2_msg *m)
{
	uint64_t rspi = m->hdr.rspi;

	uint8_t h[IKEV2_C_NAT_HASH_LEN];

	for (size_t i = 0; i < m->n_notify; i++) {
		const struct ikev2_notify *n = &m->notify[i];

		if (n->len != sizeof(h))
			continue;
		if (n->type == IKEV2_N_NAT_DETECTION_SOURCE_IP &&
		    ikev2_nat_hash(sa->ispi, rspi, &sa->remote, sa->rport, h) == 0)
			sa->nat_remote = memcmp(h, n->data, sizeof(h)) != 0;
		if (n->type == IKEV2_N_NAT_DETECTION_DESTINATION_IP &&
		    ikev2_nat_hash(sa->ispi, rspi, &sa->local, sa->d->port, h) == 0)
			sa->nat_local = memcmp(h, n->data, sizeof(h)) != 0;
	}
}

static int ike_init_keys(struct ike_sa *sa, const uint8_t *peer_ke, size_t peer_ke_len)
{
	struct ikev2_secret gir = {0};
	int rc = -1;

	if (ikev2_dh_derive(sa->dh, peer_ke, peer_ke_len, &gir) < 0)
		goto out;
	if (ikev2_derive_ike_keys(&sa->prop.alg, sa->ni, sa->ni_len, sa->nr, sa->nr_len, &gir,
	                          sa->ispi, sa->rspi, &sa->keys) < 0)
		goto out;
	rc = 0;
out:
	ikev2_secret_free(&gir);
	/* The private value has done its work (no reuse across SAs). */
	ikev2_dh_free(sa->dh);
	sa->dh = NULL;
	return rc;
}

/* Answer an IKE_SA_INIT request with an unprotected error notify (no SA
 * is made: RFC 7296 1.2, 2.6). */
static void ike_send_init_error(struct iked *d, const struct ikev2_msg *req,
                                const struct ipaddr *local, const struct ipaddr *remote,
                                uint16_t rport, uint16_t notify, const uint8_t *data, size_t len)
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

/* RFC 7296 2.6: a cookie the responder can check without state:
 * prf(secret, Ni | IPi | SPIi). */
static size_t ike_cookie(struct iked *d, const struct ikev2_msg *m, const struct ipaddr *remote,
                         uint8_t out[IKEV2_C_PRF_MAX])
{
	uint8_t in[IKEV2_NONCE_MAX + 16 + 8];
	size_t n = 0;

	memcpy(in, m->nonce, m->nonce_len);
	n += m->nonce_len;
	memcpy(in + n, remote->u.bytes, ipaddr_len(remote));
	n += ipaddr_len(remote);
	for (int i = 7; i >= 0; i--)
		in[n++] = (uint8_t)(m->hdr.ispi >> (8 * i));
	if (ikev2_prf(IKEV2_PRF_HMAC_SHA2_256, d->cookie_secret, sizeof(d->cookie_secret), in, n,
	              out) < 0)
		return 0;
	return 32;
}

static unsigned ike_half_open(const struct iked *d)
{
	unsigned n = 0;

	for (const struct ike_sa *sa = d->sas; sa; sa = sa->next)
		n += sa->state == IKE_SA_HALF_OPEN;
	return n;
}

static size_t ike_init_build_request(struct ike_sa *sa, uint8_t *out, size_t cap)
{
	struct ikev2_header h = {.ispi = sa->ispi,
	                         .exchange = IKEV2_EXCHANGE_IKE_SA_INIT,
	                         .flags = IKEV2_FLAG_INITIATOR};
	static struct ikev2_sa_payload sap;
	uint8_t ke[IKEV2_C_DH_PUBLIC_MAX];
	size_t ke_len = ikev2_dh_public_len(sa->prop.dh);
	struct ikev2_builder b;

	if (ikev2_dh_public(sa->dh, ke, ke_len) < 0)
		return 0;
	ike_proposals_ike(sa->profile, &sap);
	ikev2_build_init(&b, out, cap, &h);
	/* RFC 7296 2.6: the responder's cookie goes first. */
	if (sa->cookie_len)
		ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_COOKIE, sa->cookie, sa->cookie_len);
	ikev2_build_sa(&b, &sap);
	ikev2_build_ke(&b, sa->prop.dh, ke, ke_len);
	ikev2_build_nonce(&b, sa->ni, sa->ni_len);
	ike_nat_notifies(sa, &b);
	/* RFC 7383 2.3: we reassemble fragmented messages (we send none:
	 * ours are far below any MTU). */
	ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	return ikev2_build_finish(&b);
}

static int ike_init_send_request(struct ike_sa *sa)
{
	uint8_t out[IKED_MAX_MSG];
	size_t n = ike_init_build_request(sa, out, sizeof(out));

	if (!n)
		return -1;
	free(sa->init_req);
	sa->init_req = malloc(n);
	if (!sa->init_req)
		return -1;
	memcpy(sa->init_req, out, n);
	sa->init_req_len = n;
	return ike_request_send_init(sa, out, n);
}

/* An IKE SA that IKE_SA_INIT makes, either role: its timers do what
 * ike_timers_due.c says (a rekey's SA takes these from its predecessor). */
static struct ike_sa *ike_init_sa_new(struct iked *d, const struct iked_profile *p, bool initiator,
                                      const struct ipaddr *local, const struct ipaddr *remote,
                                      uint16_t rport)
{
	struct ike_sa *sa = ike_sa_new(d, p, initiator, local, remote, rport);

	if (sa)
		sa->hooks = &ike_timers_due;
	return sa;
}

int ike_initiate(struct iked *d, const struct iked_profile *p, const struct ipaddr *local,
                 const struct ipaddr *remote, unsigned *id)
{
	struct ike_sa *sa = ike_init_sa_new(d, p, true, local, remote, 500);

	if (!sa)
		return -1;
	sa->prop = p->ike[0]; /* our KE guesses the group we prefer */
	sa->dh = ikev2_dh_new(sa->prop.dh);
	sa->ni_len = IKED_NONCE_LEN;
	if (!sa->dh || ikev2_spi_random(&sa->ispi) < 0 || ikev2_random(sa->ni, sa->ni_len) < 0 ||
	    ike_init_send_request(sa) < 0) {
		ike_sa_fail(sa, "could not build IKE_SA_INIT");
		return -1;
	}
	ike_sa_fsm(sa, IKE_EV_INIT_SENT);
	*id = sa->id;
	return 0;
}

/* Initiator: the responder's answer to IKE_SA_INIT (req: ours, answered). */
void ike_init_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req)
{
	const struct ikev2_notify *n;
	struct iked_proposal chosen;
	uint16_t group;
	int wanted = ike_proposal_wanted_group(sa->profile, m, &group);

	if (wanted >= 0) {
		/* RFC 7296 1.2: retry with the group asked for, if we offered it. */
		if (!wanted || group == sa->prop.dh) {
			ike_sa_fail(sa, "responder wants a DH group we did not offer");
			return;
		}
		ikev2_dh_free(sa->dh);
		sa->prop.dh = group;
		sa->dh = ikev2_dh_new(group);
		if (!sa->dh || ike_init_send_request(sa) < 0)
			ike_sa_fail(sa, "could not retry IKE_SA_INIT");
		return;
	}
	if ((n = ikev2_notify_find(m, IKEV2_N_COOKIE))) {
		/* RFC 7296 2.6: the same request again, with the cookie. */
		if (n->len < 1 || n->len > sizeof(sa->cookie) || ++sa->cookie_tries > 3) {
			ike_sa_fail(sa, "responder keeps asking for a cookie");
			return;
		}
		memcpy(sa->cookie, n->data, n->len);
		sa->cookie_len = n->len;
		if (ike_init_send_request(sa) < 0)
			ike_sa_fail(sa, "could not retry IKE_SA_INIT with the cookie");
		return;
	}
	if ((n = ikev2_notify_find(m, IKEV2_N_NO_PROPOSAL_CHOSEN))) {
		sa->d->stats.no_proposal++;
		ike_sa_fail(sa, "responder: NO_PROPOSAL_CHOSEN");
		return;
	}
	if (!m->has_sa || !m->has_ke || !m->has_nonce || m->hdr.rspi == 0) {
		ike_sa_fail(sa, "IKE_SA_INIT response without SA, KE or nonce");
		return;
	}
	if (ike_proposal_check(sa->profile->ike, sa->profile->n_ike, false, &m->sa, &chosen, NULL) <
	        0 ||
	    chosen.dh != m->ke_group || chosen.dh != sa->prop.dh) {
		ike_sa_fail(sa, "responder chose a proposal we did not offer");
		return;
	}
	if (m->nonce_len < IKEV2_NONCE_MIN || m->nonce_len > sizeof(sa->nr)) {
		ike_sa_fail(sa, "bad responder nonce");
		return;
	}
	sa->prop = chosen;
	sa->rspi = m->hdr.rspi;
	memcpy(sa->nr, m->nonce, m->nonce_len);
	sa->nr_len = m->nonce_len;
	sa->init_resp = malloc(req->answer_len);
	if (!sa->init_resp) {
		ike_sa_fail(sa, "out of memory");
		return;
	}
	memcpy(sa->init_resp, req->answer, req->answer_len);
	sa->init_resp_len = req->answer_len;
	ike_nat_check(sa, m);
	if (ike_init_keys(sa, m->ke, m->ke_len) < 0) {
		ike_sa_fail(sa, "bad responder KE (RFC 6989 checks) or key derivation failed");
		return;
	}
	iked_keylog_ike(sa);
	ike_auth_send_request(sa);
}

static const struct iked_profile *ike_profile_for(struct iked *d, const struct ipaddr *remote)
{
	const struct iked_profile *any = NULL;

	for (unsigned i = 0; i < d->conf->nprofiles; i++) {
		const struct iked_profile *p = d->conf->profiles[i];

		if (ipaddr_equal(&p->remote_addr, remote))
			return p;
		if (!ipaddr_is_set(&p->remote_addr) && !any)
			any = p;
	}
	return any;
}

/* Responder: a new IKE_SA_INIT request. */
void ike_init_recv_request(struct iked *d, struct ikev2_msg *m, const uint8_t *pkt, size_t len,
                           const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport)
{
	const struct iked_profile *p = ike_profile_for(d, remote);
	struct ikev2_header h = {.exchange = IKEV2_EXCHANGE_IKE_SA_INIT,
	                         .flags = IKEV2_FLAG_RESPONSE};
	static struct ikev2_sa_payload sap;
	struct iked_proposal chosen;
	uint8_t num, ke[IKEV2_C_DH_PUBLIC_MAX], out[IKED_MAX_MSG];
	struct ikev2_builder b;
	struct ike_sa *sa;
	size_t n;

	if (!p || !m->has_sa || !m->has_ke || !m->has_nonce || m->nonce_len < IKEV2_NONCE_MIN ||
	    m->nonce_len > IKEV2_NONCE_MAX) {
		d->stats.bad_msg++;
		return;
	}
	/* Under load (many half-open SAs), prove the address first (2.6):
	 * no state until the request comes back with our cookie, first. */
	if (ike_half_open(d) >= d->conf->cookie_threshold) {
		uint8_t want[IKEV2_C_PRF_MAX];
		size_t wl = ike_cookie(d, m, remote, want);
		bool ok = wl && m->n_notify && m->n_payloads &&
		          m->types[0] == IKEV2_PAYLOAD_NOTIFY &&
		          m->notify[0].type == IKEV2_N_COOKIE &&
		          ikev2_auth_equal(want, wl, m->notify[0].data, m->notify[0].len);

		if (!ok) {
			d->cookies_sent++;
			ike_send_init_error(d, m, local, remote, rport, IKEV2_N_COOKIE, want, wl);
			return;
		}
	}
	if (ike_proposal_select(p->ike, p->n_ike, false, &m->sa, &chosen, &num, NULL) < 0) {
		d->stats.no_proposal++;
		ike_send_init_error(d, m, local, remote, rport, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
		                    0);
		return;
	}
	if (m->ke_group != chosen.dh) {
		/* RFC 7296 1.2: tell the initiator which group we want. */
		uint8_t g[2] = {(uint8_t)(chosen.dh >> 8), (uint8_t)chosen.dh};

		ike_send_init_error(d, m, local, remote, rport, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return;
	}
	sa = ike_init_sa_new(d, p, false, local, remote, rport);
	if (!sa)
		return;
	sa->prop = chosen;
	sa->ispi = m->hdr.ispi;
	memcpy(sa->ni, m->nonce, m->nonce_len);
	sa->ni_len = m->nonce_len;
	sa->nr_len = IKED_NONCE_LEN;
	sa->dh = ikev2_dh_new(chosen.dh);
	if (!sa->dh || ikev2_spi_random(&sa->rspi) < 0 || ikev2_random(sa->nr, sa->nr_len) < 0 ||
	    ikev2_dh_public(sa->dh, ke, ikev2_dh_public_len(chosen.dh)) < 0) {
		ike_sa_fail(sa, "out of resources");
		return;
	}
	/* The chosen proposal, alone, under the initiator's number (3.3). */
	ike_proposals_ike(p, &sap);
	for (unsigned i = 0; i < p->n_ike; i++)
		if (!strcmp(p->ike[i].text, chosen.text)) {
			sap.p[0] = sap.p[i];
			break;
		}
	sap.p[0].num = num;
	sap.n = 1;
	h.ispi = sa->ispi;
	h.rspi = sa->rspi;
	ikev2_build_init(&b, out, sizeof(out), &h);
	ikev2_build_sa(&b, &sap);
	ikev2_build_ke(&b, chosen.dh, ke, ikev2_dh_public_len(chosen.dh));
	ikev2_build_nonce(&b, sa->nr, sa->nr_len);
	ike_nat_notifies(sa, &b);
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED)
			ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED,
			                   NULL, 0);
	n = ikev2_build_finish(&b);
	sa->init_req = malloc(len);
	sa->init_resp = n ? malloc(n) : NULL;
	if (!n || !sa->init_req || !sa->init_resp) {
		ike_sa_fail(sa, "could not build IKE_SA_INIT response");
		return;
	}
	memcpy(sa->init_req, pkt, len);
	sa->init_req_len = len;
	memcpy(sa->init_resp, out, n);
	sa->init_resp_len = n;
	ike_nat_check(sa, m);
	if (ike_init_keys(sa, m->ke, m->ke_len) < 0) {
		ike_sa_fail(sa, "bad initiator KE (RFC 6989 checks) or key derivation failed");
		return;
	}
	sa->last_resp_id = 0;
	sa->peer_msg_id = 1;
	ike_response_send_plain(sa, out, n);
	ike_sa_fsm(sa, IKE_EV_INIT_ANSWERED);
	iked_keylog_ike(sa);
}
