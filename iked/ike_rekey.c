/*
 * CREATE_CHILD_SA (RFC 7296 1.3): rekeying the IKE SA (1.3.2, 2.18) and
 * the CHILD_SA (1.3.3, 2.17, with PFS: a fresh Diffie-Hellman in the
 * group of the IKE SA), in both roles, and the lifetime timers that start
 * them. The rekey initiator deletes what it replaced.
 *
 * Not handled yet: simultaneous rekeys (2.8.1: when both ends start one,
 * the SA created with the lowest of the four nonces must go); here both
 * complete and each end deletes what it replaced. One CHILD_SA per IKE SA
 * is all a GRE path needs; a request for another is refused
 * (NO_ADDITIONAL_SAS).
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"

static const struct ikev2_notify *ike_notify(const struct ikev2_msg *m, uint16_t type)
{
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

static uint64_t ike_spi64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void ike_put_spi64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void ike_put_spi32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void ike_ts_gre(struct ikev2_ts_payload *t, const struct ipaddr *a)
{
	memset(t, 0, sizeof(*t));
	t->n = 1;
	t->ts[0] = (struct ikev2_ts){IKEV2_TS_IPV4_ADDR_RANGE, 47, 0, 65535, *a, *a};
}

static void ike_send_response(struct ike_sa *sa, uint32_t msg_id, const struct ikev2_builder *b)
{
	uint8_t out[IKED_MAX_MSG];
	size_t n =
	    ike_sa_seal(sa, IKEV2_EXCHANGE_CREATE_CHILD_SA, true, msg_id, b, out, sizeof(out));

	if (n)
		ike_sa_send_response(sa, out, n);
}

static void ike_refuse(struct ike_sa *sa, uint32_t msg_id, uint16_t notify, const uint8_t *data,
                       size_t len)
{
	struct ikev2_builder b;
	uint8_t inner[64];

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_notify(&b, 0, NULL, 0, notify, data, len);
	ike_send_response(sa, msg_id, &b);
}

/* The new IKE SA of a rekey: same peer, identities and child. */
static struct ike_sa *ike_rekey_new_sa(struct ike_sa *old, bool initiator,
                                       const struct iked_proposal *prop)
{
	struct ike_sa *n =
	    ike_sa_new(old->d, old->profile, initiator, &old->local, &old->remote, old->rport);

	if (!n)
		return NULL;
	n->prop = *prop;
	memcpy(n->peer_id, old->peer_id, sizeof(n->peer_id));
	memcpy(n->local_id, old->local_id, sizeof(n->local_id));
	n->nat_local = old->nat_local;
	n->nat_remote = old->nat_remote;
	n->rekeys = old->rekeys + 1;
	return n;
}

/* The CHILD_SA moves to the new IKE SA (RFC 7296 2.18). */
static void ike_rekey_move_child(struct ike_sa *old, struct ike_sa *n)
{
	n->child = old->child;
	memset(&old->child.keymat, 0, sizeof(old->child.keymat)); /* now n's */
	old->child.state = CHILD_SA_NONE;
}

static int ike_child_keymat(struct ike_sa *sa, struct child_sa *c, const struct ikev2_secret *gir,
                            const uint8_t *ni, const uint8_t *nr, size_t nlen_i, size_t nlen_r)
{
	size_t one = ikev2_encr_key_len(&c->alg) + ikev2_integ_key_len(c->alg.integ);

	if (ikev2_secret_alloc(&c->keymat, 2 * one) < 0)
		return -1;
	return ikev2_derive_child_keys(sa->prop.alg.prf, &sa->keys.sk_d, gir, ni, nlen_i, nr,
	                               nlen_r, c->keymat.p, c->keymat.len);
}

/* Our ESP proposals, with the PFS group of a CREATE_CHILD_SA (RFC 7296
 * 1.3.1: the SA must offer the group of the KE it carries). */
static unsigned ike_esp_pfs(const struct iked_profile *p, uint16_t group,
                            struct iked_proposal out[IKED_MAX_PROPOSALS])
{
	for (unsigned i = 0; i < p->n_esp; i++) {
		out[i] = p->esp[i];
		out[i].dh = group;
	}
	return p->n_esp;
}

/* A replaced SPI pair waits for the peer's Delete (RFC 7296 1.4.1). */
static void ike_retire(struct ike_sa *sa, uint32_t spi_in, uint32_t spi_out)
{
	if (sa->nretired == sizeof(sa->retired) / sizeof(sa->retired[0])) {
		memmove(&sa->retired[0], &sa->retired[1],
		        sizeof(sa->retired[0]) * (sa->nretired - 1));
		sa->nretired--;
	}
	sa->retired[sa->nretired].spi_in = spi_in;
	sa->retired[sa->nretired].spi_out = spi_out;
	sa->nretired++;
}

static void ike_unretire(struct ike_sa *sa, uint32_t spi_in)
{
	for (unsigned i = 0; i < sa->nretired; i++)
		if (sa->retired[i].spi_in == spi_in) {
			sa->retired[i] = sa->retired[--sa->nretired];
			return;
		}
}

/* Nonces compared as unsigned big numbers, shorter first (RFC 7296 2.8.1). */
static int ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

/* ---------- responder ---------- */

static void ike_rekey_ike_respond(struct ike_sa *sa, struct ikev2_msg *m)
{
	struct iked_proposal chosen;
	static struct ikev2_sa_payload sap;
	struct ikev2_secret gir = {0};
	struct ikev2_dh *dh = NULL;
	struct ikev2_builder b;
	struct ike_sa *n = NULL;
	uint8_t num, inner[IKED_MAX_MSG], ke[IKEV2_C_DH_PUBLIC_MAX], nr[IKED_NONCE_LEN];
	uint64_t rspi;
	size_t kl;

	if (ike_proposal_select(sa->profile->ike, sa->profile->n_ike, false, &m->sa, &chosen, &num,
	                        NULL) < 0) {
		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (!m->has_ke || m->ke_group != chosen.dh) {
		uint8_t g[2] = {(uint8_t)(chosen.dh >> 8), (uint8_t)chosen.dh};

		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return;
	}
	for (size_t i = 0; i < m->sa.n; i++)
		if (m->sa.p[i].num == num && m->sa.p[i].spi_size == 8)
			break;
	kl = ikev2_dh_public_len(chosen.dh);
	dh = ikev2_dh_new(chosen.dh);
	n = ike_rekey_new_sa(sa, false, &chosen);
	if (!dh || !n || ikev2_spi_random(&rspi) < 0 || ikev2_random(nr, sizeof(nr)) < 0 ||
	    ikev2_dh_public(dh, ke, kl) < 0 || ikev2_dh_derive(dh, m->ke, m->ke_len, &gir) < 0)
		goto fail;
	for (size_t i = 0; i < m->sa.n; i++)
		if (m->sa.p[i].num == num && m->sa.p[i].spi_size == 8)
			n->ispi = ike_spi64(m->sa.p[i].spi);
	n->rspi = rspi;
	if (!n->ispi || m->nonce_len > sizeof(n->ni))
		goto fail;
	memcpy(n->ni, m->nonce, m->nonce_len);
	n->ni_len = m->nonce_len;
	memcpy(n->nr, nr, sizeof(nr));
	n->nr_len = sizeof(nr);
	/* RFC 7296 2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). */
	if (ikev2_derive_ike_keys_rekey(&chosen.alg, sa->prop.alg.prf, &sa->keys.sk_d, &gir, n->ni,
	                                n->ni_len, n->nr, n->nr_len, n->ispi, n->rspi,
	                                &n->keys) < 0)
		goto fail;
	ike_proposals_ike(sa->profile, &sap);
	for (unsigned i = 0; i < sa->profile->n_ike; i++)
		if (!strcmp(sa->profile->ike[i].text, chosen.text))
			sap.p[0] = sap.p[i];
	sap.n = 1;
	sap.p[0].num = num;
	sap.p[0].spi_size = 8;
	ike_put_spi64(sap.p[0].spi, rspi);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, nr, sizeof(nr));
	ikev2_build_ke(&b, chosen.dh, ke, kl);
	ike_send_response(sa, m->hdr.msg_id, &b);
	if (sa->rekeying == IKE_REKEY_IKE) {
		/* Both ends rekeyed the IKE SA at once (2.8.2): decided when
		 * ours completes. */
		sa->simul_ike = n;
		sa->simul_collisions++;
		log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE,
		        "IKE SA %u: the peer's IKE SA rekey crossed ours", sa->id);
		memcpy(sa->simul_ni, n->ni, n->ni_len);
		sa->simul_ni_len = n->ni_len;
		memcpy(sa->simul_nr, nr, sizeof(nr));
	}
	ike_rekey_move_child(sa, n);
	ike_sa_set_state(n, IKE_SA_ESTABLISHED);
	ike_sa_arm_timers(n);
	sa->replaced_by = n;
	iked_keylog_ike(n);
	log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE, "IKE SA %u rekeyed by the peer into IKE SA %u", sa->id,
	        n->id);
	/* The old SA waits for the initiator's delete; it starts nothing. */
	timer_stop(&sa->rekey_timer);
	timer_stop(&sa->dpd_timer);
	ike_sa_set_state(sa, IKE_SA_DELETING);
	timer_start_ms(&sa->timer, IKED_HALF_OPEN_TIMEOUT_MS);
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	return;
fail:
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	if (n)
		ike_sa_free(n);
	ike_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
}

static void ike_rekey_child_respond(struct ike_sa *sa, struct ikev2_msg *m)
{
	struct iked_proposal chosen;
	static struct ikev2_sa_payload sap;
	struct ikev2_secret gir = {0};
	struct ikev2_ts_payload tsi, tsr;
	struct ikev2_dh *dh = NULL;
	struct ikev2_builder b;
	struct child_sa c = {0};
	uint8_t num, inner[IKED_MAX_MSG], ke[IKEV2_C_DH_PUBLIC_MAX], nr[IKED_NONCE_LEN];
	size_t kl = 0;

	const struct ikev2_notify *rk = ike_notify(m, IKEV2_N_REKEY_SA);
	uint32_t rk_spi = rk && rk->spi_size == 4
	                      ? (uint32_t)rk->spi[0] << 24 | (uint32_t)rk->spi[1] << 16 |
	                            (uint32_t)rk->spi[2] << 8 | rk->spi[3]
	                      : 0;

	/* RFC 7296 1.3.3, 2.25.1: REKEY_SA names the SA by the sender's
	 * inbound SPI (our outbound); one we already replaced is not found. */
	if (sa->child.state != CHILD_SA_INSTALLED || rk_spi != sa->child.spi_out) {
		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_CHILD_SA_NOT_FOUND, NULL, 0);
		return;
	}
	struct iked_proposal esp[IKED_MAX_PROPOSALS];
	unsigned nesp = ike_esp_pfs(sa->profile, m->has_ke ? sa->prop.dh : 0, esp);

	if (ike_proposal_select(esp, nesp, true, &m->sa, &chosen, &num, &c.spi_out) < 0) {
		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (m->has_ke) { /* PFS: in the IKE SA's group */
		if (m->ke_group != sa->prop.dh) {
			uint8_t g[2] = {(uint8_t)(sa->prop.dh >> 8), (uint8_t)sa->prop.dh};

			ike_refuse(sa, m->hdr.msg_id, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
			return;
		}
		kl = ikev2_dh_public_len(sa->prop.dh);
		dh = ikev2_dh_new(sa->prop.dh);
		if (!dh || ikev2_dh_public(dh, ke, kl) < 0 ||
		    ikev2_dh_derive(dh, m->ke, m->ke_len, &gir) < 0)
			goto fail;
	}
	c.alg = chosen.alg;
	c.transport = sa->child.transport;
	c.tsi = sa->child.tsi;
	c.tsr = sa->child.tsr;
	c.we_initiated = false;
	if (ikev2_esp_spi_random(&c.spi_in) < 0 || ikev2_random(nr, sizeof(nr)) < 0 ||
	    ike_child_keymat(sa, &c, m->has_ke ? &gir : NULL, m->nonce, nr, m->nonce_len,
	                     sizeof(nr)) < 0)
		goto fail;
	ike_proposals_esp_from(esp, nesp, c.spi_in, &sap);
	for (unsigned i = 0; i < nesp; i++)
		if (!strcmp(esp[i].text, chosen.text))
			sap.p[0] = sap.p[i];
	sap.n = 1;
	sap.p[0].num = num;
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	if (c.transport)
		ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, nr, sizeof(nr));
	if (m->has_ke)
		ikev2_build_ke(&b, sa->prop.dh, ke, kl);
	ike_ts_gre(&tsi, &sa->remote);
	ike_ts_gre(&tsr, &sa->local);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	ike_send_response(sa, m->hdr.msg_id, &b);
	if (sa->rekeying == IKE_REKEY_CHILD) {
		/* Both ends rekeyed at once (2.8.1): decided when ours completes. */
		sa->simul = true;
		sa->simul_collisions++;
		memcpy(sa->simul_ni, m->nonce, m->nonce_len);
		sa->simul_ni_len = m->nonce_len;
		memcpy(sa->simul_nr, nr, sizeof(nr));
		sa->simul_old_in = sa->child.spi_in;
	}
	/* The old CHILD_SA goes when the initiator deletes it. */
	ikev2_secret_free(&sa->child.keymat);
	c.state = CHILD_SA_INSTALLED;
	c.established_ms = clock_now_ms();
	if (sa->child.state == CHILD_SA_INSTALLED) {
		ike_child_dataplane(sa, false); /* the old pair of SPIs */
		ike_retire(sa, sa->child.spi_in, sa->child.spi_out);
	}
	sa->child = c;
	sa->rekeys++;
	iked_keylog_child(sa);
	ike_child_event(sa, true);
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	return;
fail:
	ikev2_secret_free(&c.keymat);
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	ike_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
}

void ike_rekey_recv_request(struct ike_sa *sa, struct ikev2_msg *m)
{
	/* RFC 7296 2.25: an SA being deleted or already rekeyed cannot be
	 * rekeyed again: TEMPORARY_FAILURE, the peer tries later. */
	if (sa->state == IKE_SA_DELETING || sa->replaced_by) {
		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (sa->state != IKE_SA_ESTABLISHED || !m->has_sa || !m->has_nonce ||
	    m->nonce_len < IKEV2_NONCE_MIN || m->sa.n == 0) {
		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	if (m->sa.p[0].protocol == IKEV2_PROTO_IKE)
		ike_rekey_ike_respond(sa, m);
	else if (ike_notify(m, IKEV2_N_REKEY_SA))
		ike_rekey_child_respond(sa, m);
	else
		ike_refuse(sa, m->hdr.msg_id, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
}

/* ---------- initiator ---------- */

static int ike_rekey_send(struct ike_sa *sa, const struct ikev2_builder *b)
{
	uint8_t out[IKED_MAX_MSG];
	size_t n;

	if (sa->out_req)
		return -1; /* window of one: another request is out */
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_CREATE_CHILD_SA, false, sa->next_msg_id, b, out,
	                sizeof(out));
	if (!n)
		return -1;
	sa->next_msg_id++;
	ike_sa_send_request(sa, out, n);
	return 0;
}

/* Rekey the IKE SA, with our KE in group (0: the current one). */
static int ike_rekey_ike_send(struct ike_sa *sa, uint16_t group)
{
	static struct ikev2_sa_payload sap;
	uint8_t inner[IKED_MAX_MSG], ke[IKEV2_C_DH_PUBLIC_MAX];
	size_t kl;
	struct ikev2_builder b;

	if (!group)
		group = sa->prop.dh;
	kl = ikev2_dh_public_len(group);
	if (sa->state != IKE_SA_ESTABLISHED || sa->rekeying || sa->out_req)
		return -1;
	sa->rekey_dh = ikev2_dh_new(group);
	if (!sa->rekey_dh || ikev2_spi_random(&sa->rekey_spi) < 0 ||
	    ikev2_random(sa->rekey_nonce, sizeof(sa->rekey_nonce)) < 0 ||
	    ikev2_dh_public(sa->rekey_dh, ke, kl) < 0)
		goto fail;
	ike_proposals_ike(sa->profile, &sap);
	for (size_t i = 0; i < sap.n; i++) {
		sap.p[i].spi_size = 8;
		ike_put_spi64(sap.p[i].spi, sa->rekey_spi);
	}
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, sa->rekey_nonce, sizeof(sa->rekey_nonce));
	ikev2_build_ke(&b, group, ke, kl);
	if (ike_rekey_send(sa, &b) < 0)
		goto fail;
	sa->rekeying = IKE_REKEY_IKE;
	return 0;
fail:
	ikev2_dh_free(sa->rekey_dh);
	sa->rekey_dh = NULL;
	return -1;
}

int ike_rekey_ike_start(struct ike_sa *sa)
{
	return ike_rekey_ike_send(sa, 0);
}

int ike_rekey_child_start(struct ike_sa *sa)
{
	struct iked_proposal esp[IKED_MAX_PROPOSALS];
	static struct ikev2_sa_payload sap;
	uint8_t inner[IKED_MAX_MSG], ke[IKEV2_C_DH_PUBLIC_MAX], old[4];
	size_t kl = ikev2_dh_public_len(sa->prop.dh);
	struct ikev2_ts_payload tsi, tsr;
	struct ikev2_builder b;
	uint32_t spi;

	if (sa->state != IKE_SA_ESTABLISHED || sa->rekeying || sa->out_req ||
	    sa->child.state != CHILD_SA_INSTALLED)
		return -1;
	sa->rekey_dh = ikev2_dh_new(sa->prop.dh); /* PFS */
	if (!sa->rekey_dh || ikev2_esp_spi_random(&spi) < 0 ||
	    ikev2_random(sa->rekey_nonce, sizeof(sa->rekey_nonce)) < 0 ||
	    ikev2_dh_public(sa->rekey_dh, ke, kl) < 0)
		goto fail;
	sa->rekey_spi = spi;
	ike_put_spi32(old, sa->child.spi_in);
	ike_proposals_esp_from(esp, ike_esp_pfs(sa->profile, sa->prop.dh, esp), spi, &sap);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	/* RFC 7296 1.3.3: REKEY_SA names the SA being replaced. */
	ikev2_build_notify(&b, IKEV2_PROTO_ESP, old, 4, IKEV2_N_REKEY_SA, NULL, 0);
	if (sa->child.transport)
		ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, sa->rekey_nonce, sizeof(sa->rekey_nonce));
	ikev2_build_ke(&b, sa->prop.dh, ke, kl);
	ike_ts_gre(&tsi, &sa->local);
	ike_ts_gre(&tsr, &sa->remote);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	if (ike_rekey_send(sa, &b) < 0)
		goto fail;
	sa->rekeying = IKE_REKEY_CHILD;
	return 0;
fail:
	ikev2_dh_free(sa->rekey_dh);
	sa->rekey_dh = NULL;
	return -1;
}

/* Delete the old CHILD_SA after a CHILD rekey (RFC 7296 1.3.3). */
static void ike_rekey_delete_child(struct ike_sa *sa, uint32_t old_spi_in)
{
	struct ikev2_builder b;
	uint8_t inner[64], out[256], spi[4];
	size_t n;

	ike_put_spi32(spi, old_spi_in);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_delete(&b, IKEV2_PROTO_ESP, 4, spi, 1);
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_INFORMATIONAL, false, sa->next_msg_id, &b, out,
	                sizeof(out));
	if (n && !sa->out_req) {
		sa->next_msg_id++;
		ike_sa_send_request(sa, out, n);
	}
}

static void ike_rekey_child_done(struct ike_sa *sa, struct ikev2_msg *m)
{
	struct iked_proposal esp[IKED_MAX_PROPOSALS];
	struct iked_proposal chosen;
	struct ikev2_secret gir = {0};
	struct child_sa c = {0};
	uint32_t old_in = sa->child.spi_in;

	if (!m->has_sa || !m->has_nonce || !m->has_ke || m->ke_group != sa->prop.dh ||
	    ike_proposal_check(esp, ike_esp_pfs(sa->profile, sa->prop.dh, esp), true, &m->sa,
	                       &chosen, &c.spi_out) < 0 ||
	    ikev2_dh_derive(sa->rekey_dh, m->ke, m->ke_len, &gir) < 0) {
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: CHILD_SA rekey failed", sa->id);
		goto out;
	}
	c.alg = chosen.alg;
	c.transport = sa->child.transport;
	c.tsi = sa->child.tsi;
	c.tsr = sa->child.tsr;
	c.spi_in = (uint32_t)sa->rekey_spi;
	c.we_initiated = true;
	if (ike_child_keymat(sa, &c, &gir, sa->rekey_nonce, m->nonce, sizeof(sa->rekey_nonce),
	                     m->nonce_len) < 0) {
		ikev2_secret_free(&c.keymat);
		goto out;
	}
	if (sa->simul) {
		/* RFC 7296 2.8.1: of the two new CHILD_SAs, the one made with the
		 * lowest of the four nonces is closed by the end that made it.
		 * The current child is the one the peer's exchange made. */
		const uint8_t *lo = sa->rekey_nonce;
		size_t lol = sizeof(sa->rekey_nonce);
		bool ours = true;

		sa->simul = false;
		if (ike_nonce_cmp(m->nonce, m->nonce_len, lo, lol) < 0) {
			lo = m->nonce;
			lol = m->nonce_len;
		}
		if (ike_nonce_cmp(sa->simul_ni, sa->simul_ni_len, lo, lol) < 0) {
			lo = sa->simul_ni;
			lol = sa->simul_ni_len;
			ours = false;
		}
		if (ike_nonce_cmp(sa->simul_nr, sizeof(sa->simul_nr), lo, lol) < 0)
			ours = false;
		log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE,
		        "IKE SA %u: simultaneous CHILD_SA rekey: %s survives", sa->id,
		        ours ? "the peer's" : "ours");
		if (ours) {
			/* Ours was made with the lowest nonce: we close it (it was
			 * never installed); the peer deletes the original. */
			ikev2_secret_free(&c.keymat);
			ike_rekey_delete_child(sa, c.spi_in);
			goto out;
		}
		/* The peer closes the one it made; ours replaces it, and we
		 * delete the original as the initiator of the survivor. */
		ike_child_dataplane(sa, false);
		ike_retire(sa, sa->child.spi_in, sa->child.spi_out);
		sa->child.state = CHILD_SA_NONE;
		old_in = sa->simul_old_in;
		ike_unretire(sa, old_in);
	}
	ikev2_secret_free(&sa->child.keymat);
	c.state = CHILD_SA_INSTALLED;
	c.established_ms = clock_now_ms();
	if (sa->child.state == CHILD_SA_INSTALLED)
		ike_child_dataplane(sa, false); /* the old pair of SPIs */
	sa->child = c;
	sa->rekeys++;
	iked_keylog_child(sa);
	ike_child_event(sa, true);
	log_msg(LOG_LVL_INFO, LOG_CAT_IKE, "IKE SA %u: CHILD_SA rekeyed (in %08x out %08x)", sa->id,
	        c.spi_in, c.spi_out);
	ike_rekey_delete_child(sa, old_in);
out:
	ikev2_secret_free(&gir);
}

static void ike_rekey_ike_done(struct ike_sa *sa, struct ikev2_msg *m)
{
	struct iked_proposal chosen;
	struct ikev2_secret gir = {0};
	struct ike_sa *n = NULL;

	if (!m->has_sa || !m->has_nonce || !m->has_ke || m->sa.n != 1 || m->sa.p[0].spi_size != 8 ||
	    m->nonce_len > IKEV2_NONCE_MAX ||
	    ike_proposal_check(sa->profile->ike, sa->profile->n_ike, false, &m->sa, &chosen, NULL) <
	        0 ||
	    chosen.dh != m->ke_group || chosen.dh != ikev2_dh_group(sa->rekey_dh) ||
	    ikev2_dh_derive(sa->rekey_dh, m->ke, m->ke_len, &gir) < 0) {
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: IKE SA rekey failed", sa->id);
		goto out;
	}
	n = ike_rekey_new_sa(sa, true, &chosen);
	if (!n)
		goto out;
	n->ispi = sa->rekey_spi;
	n->rspi = ike_spi64(m->sa.p[0].spi);
	memcpy(n->ni, sa->rekey_nonce, sizeof(sa->rekey_nonce));
	n->ni_len = sizeof(sa->rekey_nonce);
	memcpy(n->nr, m->nonce, m->nonce_len);
	n->nr_len = m->nonce_len;
	if (ikev2_derive_ike_keys_rekey(&chosen.alg, sa->prop.alg.prf, &sa->keys.sk_d, &gir, n->ni,
	                                n->ni_len, n->nr, n->nr_len, n->ispi, n->rspi,
	                                &n->keys) < 0) {
		ike_sa_free(n);
		goto out;
	}
	if (sa->simul_ike) {
		/* RFC 7296 2.8.2: of the two new IKE SAs, the one made with the
		 * lowest of the four nonces is deleted by the end that made it. */
		struct ike_sa *theirs = sa->simul_ike;
		bool ours_lowest =
		    ike_nonce_cmp(n->ni, n->ni_len, sa->simul_ni, sa->simul_ni_len) < 0 &&
		    ike_nonce_cmp(n->ni, n->ni_len, sa->simul_nr, sizeof(sa->simul_nr)) < 0;

		ours_lowest |=
		    ike_nonce_cmp(n->nr, n->nr_len, sa->simul_ni, sa->simul_ni_len) < 0 &&
		    ike_nonce_cmp(n->nr, n->nr_len, sa->simul_nr, sizeof(sa->simul_nr)) < 0;
		sa->simul_ike = NULL;
		ike_sa_set_state(n, IKE_SA_ESTABLISHED);
		iked_keylog_ike(n);
		log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE,
		        "IKE SA %u: simultaneous IKE SA rekey: %s survives (IKE SA %u)", sa->id,
		        ours_lowest ? "the peer's" : "ours", ours_lowest ? theirs->id : n->id);
		if (ours_lowest) {
			/* Ours goes (we made it); the peer deletes the old one. */
			ike_sa_delete(n);
			goto out;
		}
		/* Theirs goes (the peer deletes it); ours takes the child, and
		 * we delete the old one as the initiator of the survivor. */
		ike_rekey_move_child(theirs, n);
		ike_sa_arm_timers(n);
		sa->replaced_by = n;
		timer_stop(&theirs->rekey_timer);
		timer_stop(&theirs->dpd_timer);
		/* Waiting for the peer's delete, as a replaced SA does. */
		ike_sa_set_state(theirs, IKE_SA_DELETING);
		timer_start_ms(&theirs->timer, IKED_HALF_OPEN_TIMEOUT_MS);
		ike_sa_delete(sa);
		goto out;
	}
	ike_rekey_move_child(sa, n);
	ike_sa_set_state(n, IKE_SA_ESTABLISHED);
	ike_sa_arm_timers(n);
	sa->replaced_by = n;
	iked_keylog_ike(n);
	log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE, "IKE SA %u rekeyed into IKE SA %u", sa->id, n->id);
	timer_stop(&sa->rekey_timer);
	timer_stop(&sa->dpd_timer);
	/* RFC 7296 2.18: the initiator of the rekey deletes the old SA. */
	ike_sa_delete(sa);
out:
	ikev2_secret_free(&gir);
}

void ike_rekey_recv_response(struct ike_sa *sa, struct ikev2_msg *m)
{
	int what = sa->rekeying;
	const struct ikev2_notify *bad_ke = ike_notify(m, IKEV2_N_INVALID_KE_PAYLOAD);

	sa->rekeying = IKE_REKEY_NONE;
	/* RFC 7296 1.2, 1.3: retry in the group the responder asked for. */
	if (what == IKE_REKEY_IKE && bad_ke && bad_ke->len == 2 && sa->rekey_dh) {
		uint16_t g = (uint16_t)(bad_ke->data[0] << 8 | bad_ke->data[1]);
		uint16_t used = ikev2_dh_group(sa->rekey_dh);
		bool offered = false;

		for (unsigned i = 0; i < sa->profile->n_ike; i++)
			offered |= sa->profile->ike[i].dh == g;
		ikev2_dh_free(sa->rekey_dh);
		sa->rekey_dh = NULL;
		if (offered && g != used && ike_rekey_ike_send(sa, g) == 0)
			return;
	}
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < 16384) {
			log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: rekey refused: %s", sa->id,
			        ikev2_notify_name(m->notify[i].type));
			what = IKE_REKEY_NONE;
			/* Refused (e.g. the peer had rekeyed it first, 2.25.1): the
			 * SA the peer's rekey made stays; nothing to decide. */
			sa->simul = false;
			sa->simul_ike = NULL;
		}
	if (what == IKE_REKEY_IKE)
		ike_rekey_ike_done(sa, m);
	else if (what == IKE_REKEY_CHILD)
		ike_rekey_child_done(sa, m);
	ikev2_dh_free(sa->rekey_dh);
	sa->rekey_dh = NULL;
	OPENSSL_cleanse(sa->rekey_nonce, sizeof(sa->rekey_nonce));
}

/* ---------- timers ---------- */

static void ike_rekey_timer_fn(struct timer *t, void *arg)
{
	struct ike_sa *sa = arg;
	uint64_t now = clock_now_ms();

	(void)t;
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	/* The IKE SA first (it carries the child along), then the child. */
	if (now - sa->established_ms >= sa->rekey_after_ms)
		ike_rekey_ike_start(sa);
	else if (sa->child.state == CHILD_SA_INSTALLED &&
	         now - sa->child.established_ms >= sa->child.rekey_after_ms)
		ike_rekey_child_start(sa);
	timer_start_ms(&sa->rekey_timer, jitter_ms(10000, 20));
}

static void ike_dpd_timer_fn(struct timer *t, void *arg)
{
	struct ike_sa *sa = arg;

	(void)t;
	if (sa->state != IKE_SA_ESTABLISHED || !sa->profile->dpd)
		return;
	/* RFC 7296 2.4: only when we heard nothing for an interval. */
	if (clock_now_ms() - sa->last_rx_ms >= (uint64_t)sa->profile->dpd * 1000 && !sa->out_req)
		ike_info_liveness(sa);
	timer_start_ms(&sa->dpd_timer, (uint64_t)sa->profile->dpd * 1000);
}

void ike_sa_init_timers(struct ike_sa *sa)
{
	timer_init(&sa->rekey_timer, sa->d->loop, ike_rekey_timer_fn, sa);
	timer_init(&sa->dpd_timer, sa->d->loop, ike_dpd_timer_fn, sa);
}

void ike_sa_arm_timers(struct ike_sa *sa)
{
	sa->last_rx_ms = clock_now_ms();
	/* Rekey at 90% of the lifetime, jittered so that the SAs of many
	 * spokes (and both ends of one) do not all rekey at once. */
	sa->rekey_after_ms = jitter_ms(sa->profile->ike_lifetime * 900u, 5);
	timer_start_ms(&sa->rekey_timer, jitter_ms(10000, 20));
	if (sa->profile->dpd)
		timer_start_ms(&sa->dpd_timer, (uint64_t)sa->profile->dpd * 1000);
}
