/*
 * Rekeying the IKE SA (RFC 7296 1.3.2, 2.18), both roles: a new IKE SA
 * with new SPIs, nonces and Diffie-Hellman, keyed from the old one's SK_d;
 * the CHILD_SA moves to it, and the old SA is REPLACED until a Delete
 * ends it: the rekey's initiator sends that Delete, the responder waits
 * for it (its replaced timer gives up after a while, ike_timers_due.c).
 *
 * Crossing rekeys (2.8.2): we answered the peer's rekey while ours was
 * out (its request records that), so each end holds two new IKE SAs. The
 * one made with the lowest of the four nonces is deleted by the end that
 * made it; the survivor takes the CHILD_SA, and its initiator deletes the
 * old SA.
 */
#include <string.h>

#include "iked/iked.h"

/* The new IKE SA of a rekey: same peer, identities, profile version,
 * and hooks. */
static struct ike_sa *ike_rekey_new_sa(struct ike_sa *old, bool initiator,
                                       const struct iked_proposal *prop)
{
	struct ike_sa *n =
	    ike_sa_new(old->d, old->profile, initiator, &old->local, &old->remote, old->rport);

	if (!n)
		return NULL;
	n->hooks = old->hooks;
	n->prop = *prop;
	memcpy(n->peer_id, old->peer_id, sizeof(n->peer_id));
	memcpy(n->local_id, old->local_id, sizeof(n->local_id));
	n->nat_local = old->nat_local;
	n->nat_remote = old->nat_remote;
	n->rekeys = old->rekeys + 1;
	return n;
}

/* The CHILD_SA moves to the new IKE SA (RFC 7296 2.18), under the same
 * SPIs and keys. */
static void ike_rekey_move_child(struct ike_sa *old, struct ike_sa *n)
{
	struct child_sa c;

	if (!child_sa_installed(&old->child))
		return;
	c = old->child;
	child_sa_fsm(old, CHILD_EV_MOVED, NULL);
	child_sa_fsm(n, CHILD_EV_ADOPTED, &c);
}

/* The new SA is up: the child moves to it, the old one is replaced. */
static void ike_rekey_take_over(struct ike_sa *old, struct ike_sa *n, enum ike_sa_event ev)
{
	if (n->state == IKE_SA_NEW) {
		ike_sa_fsm(n, IKE_EV_REKEYED_IN);
		iked_keylog_ike(n);
	}
	ike_rekey_move_child(old, n);
	old->replaced_by = n->id;
	ike_sa_fsm(old, ev);
}

/* ---------- responder ---------- */

void ike_rekey_ike_respond(struct ike_sa *sa, struct ikev2_msg *m)
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
		ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (!m->has_ke || m->ke_group != chosen.dh) {
		ike_rekey_refuse_group(sa, m->hdr.msg_id, chosen.dh);
		return;
	}
	kl = ikev2_dh_public_len(chosen.dh);
	dh = ikev2_dh_new(chosen.dh);
	n = ike_rekey_new_sa(sa, false, &chosen);
	if (!dh || !n || ikev2_spi_random(&rspi) < 0 || ikev2_random(nr, sizeof(nr)) < 0 ||
	    ikev2_dh_public(dh, ke, kl) < 0 || ikev2_dh_derive(dh, m->ke, m->ke_len, &gir) < 0)
		goto fail;
	for (size_t i = 0; i < m->sa.n; i++)
		if (m->sa.p[i].num == num && m->sa.p[i].spi_size == IKEV2_SPI_SIZE_IKE)
			n->ispi = ike_get_spi64(m->sa.p[i].spi);
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
	sap.p[0].spi_size = IKEV2_SPI_SIZE_IKE;
	ike_put_spi64(sap.p[0].spi, rspi);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, nr, sizeof(nr));
	ikev2_build_ke(&b, chosen.dh, ke, kl);
	if (ike_response_send(sa, IKEV2_EXCHANGE_CREATE_CHILD_SA, m->hdr.msg_id, &b) < 0)
		goto fail;
	if (sa->state == IKE_SA_REKEYING) {
		/* Both ends rekeyed the IKE SA at once (2.8.2): decided when
		 * ours is answered. */
		struct ike_rekey_req *rk = &sa->req.rekey;

		rk->crossing.seen = true;
		memcpy(rk->crossing.ni, n->ni, n->ni_len);
		rk->crossing.ni_len = n->ni_len;
		memcpy(rk->crossing.nr, nr, sizeof(nr));
		rk->crossing.made_id = n->id;
		sa->crossed_rekeys++;
		log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE,
		        "IKE SA %u: the peer's IKE SA rekey crossed ours", sa->id);
	}
	log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE, "IKE SA %u rekeyed by the peer into IKE SA %u", sa->id,
	        n->id);
	/* The old SA waits for the initiator's Delete; it starts nothing. */
	ike_rekey_take_over(sa, n, IKE_EV_REPLACED);
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	return;
fail:
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	if (n)
		ike_sa_free(n);
	ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
}

/* ---------- initiator ---------- */

/* Our request rekeying the IKE SA, our KE in group; its material stays
 * with the request. */
static int ike_rekey_ike_request(struct ike_sa *sa, uint16_t group)
{
	struct ike_rekey_req *rk = &sa->req.rekey;
	static struct ikev2_sa_payload sap;
	uint8_t inner[IKED_MAX_MSG], ke[IKEV2_C_DH_PUBLIC_MAX];
	size_t kl = ikev2_dh_public_len(group);
	struct ikev2_builder b;

	if (ike_request_busy(sa))
		return -1;
	rk->dh = ikev2_dh_new(group);
	if (!rk->dh || ikev2_spi_random(&rk->spi) < 0 ||
	    ikev2_random(rk->nonce, sizeof(rk->nonce)) < 0 || ikev2_dh_public(rk->dh, ke, kl) < 0)
		goto fail;
	ike_proposals_ike(sa->profile, &sap);
	for (size_t i = 0; i < sap.n; i++) {
		sap.p[i].spi_size = IKEV2_SPI_SIZE_IKE;
		ike_put_spi64(sap.p[i].spi, rk->spi);
	}
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, rk->nonce, sizeof(rk->nonce));
	ikev2_build_ke(&b, group, ke, kl);
	if (ike_request_send(sa, IKE_REQ_REKEY_IKE, &b) < 0)
		goto fail;
	return 0;
fail:
	ike_request_wipe(&sa->req); /* the window was free: only this material */
	return -1;
}

int ike_rekey_ike_start(struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED || ike_request_busy(sa) ||
	    ike_rekey_ike_request(sa, sa->prop.dh) < 0)
		return -1;
	ike_sa_fsm(sa, IKE_EV_REKEY_SENT);
	return 0;
}

/* Ours did not happen. Replaced meanwhile by the peer's crossing rekey
 * (which refused ours, 2.25.1), the SA stays replaced. */
static void ike_rekey_ike_failed(struct ike_sa *sa, const char *why)
{
	log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: IKE SA rekey failed: %s", sa->id, why);
	if (sa->state == IKE_SA_REKEYING)
		ike_sa_fsm(sa, IKE_EV_REKEY_FAILED);
}

/* RFC 7296 1.2, 1.3: the responder wants another group; retry in it if
 * we offered it (not once the peer's rekey replaced the SA). */
static bool ike_rekey_ike_retry(struct ike_sa *sa, const struct ikev2_msg *m,
                                const struct ike_rekey_req *rk)
{
	uint16_t g;

	if (sa->state != IKE_SA_REKEYING || !rk->dh ||
	    ike_proposal_wanted_group(sa->profile, m, &g) <= 0)
		return false;
	return g != ikev2_dh_group(rk->dh) && ike_rekey_ike_request(sa, g) == 0;
}

/* Both ends rekeyed at once, and ours is answered: which new SA stays. */
static void ike_rekey_ike_crossed(struct ike_sa *sa, struct ike_sa *n,
                                  const struct ike_rekey_req *rk)
{
	struct ike_sa *theirs = ike_sa_by_id(sa->d, rk->crossing.made_id);
	bool ours_lowest =
	    ike_rekey_first_lowest(n->ni, n->ni_len, n->nr, n->nr_len, rk->crossing.ni,
	                           rk->crossing.ni_len, rk->crossing.nr, sizeof(rk->crossing.nr));

	ike_sa_fsm(n, IKE_EV_REKEYED_IN);
	iked_keylog_ike(n);
	log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE,
	        "IKE SA %u: simultaneous IKE SA rekey: %s survives (IKE SA %u)", sa->id,
	        ours_lowest ? "the peer's" : "ours", ours_lowest ? rk->crossing.made_id : n->id);
	if (ours_lowest) {
		/* Ours goes (we made it); the peer deletes the old one. */
		ike_sa_delete(n);
		return;
	}
	/* Theirs goes (the peer deletes it) and hands ours the child; we
	 * delete the old one as the initiator of the survivor. */
	if (theirs && ike_sa_is_up(theirs))
		ike_rekey_take_over(theirs, n, IKE_EV_REPLACED);
	sa->replaced_by = n->id;
	ike_sa_delete(sa);
}

void ike_rekey_ike_done(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req)
{
	const struct ike_rekey_req *rk = &req->rekey;
	uint16_t err = ikev2_notify_error(m);
	struct iked_proposal chosen;
	struct ikev2_secret gir = {0};
	struct ike_sa *n;

	if (ike_rekey_ike_retry(sa, m, rk))
		return;
	if (err) {
		ike_rekey_ike_failed(sa, ikev2_notify_name(err));
		return;
	}
	if (!m->has_sa || !m->has_nonce || !m->has_ke || m->sa.n != 1 ||
	    m->sa.p[0].spi_size != IKEV2_SPI_SIZE_IKE || m->nonce_len > IKEV2_NONCE_MAX ||
	    ike_proposal_check(sa->profile->ike, sa->profile->n_ike, false, &m->sa, &chosen, NULL) <
	        0 ||
	    chosen.dh != m->ke_group || !rk->dh || chosen.dh != ikev2_dh_group(rk->dh) ||
	    ikev2_dh_derive(rk->dh, m->ke, m->ke_len, &gir) < 0) {
		ike_rekey_ike_failed(sa, "unusable answer");
		goto out;
	}
	n = ike_rekey_new_sa(sa, true, &chosen);
	if (!n) {
		ike_rekey_ike_failed(sa, "out of memory");
		goto out;
	}
	n->ispi = rk->spi;
	n->rspi = ike_get_spi64(m->sa.p[0].spi);
	memcpy(n->ni, rk->nonce, sizeof(rk->nonce));
	n->ni_len = sizeof(rk->nonce);
	memcpy(n->nr, m->nonce, m->nonce_len);
	n->nr_len = m->nonce_len;
	if (ikev2_derive_ike_keys_rekey(&chosen.alg, sa->prop.alg.prf, &sa->keys.sk_d, &gir, n->ni,
	                                n->ni_len, n->nr, n->nr_len, n->ispi, n->rspi,
	                                &n->keys) < 0) {
		ike_sa_free(n);
		ike_rekey_ike_failed(sa, "key derivation failed");
		goto out;
	}
	if (rk->crossing.seen) {
		ike_rekey_ike_crossed(sa, n, rk);
		goto out;
	}
	log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE, "IKE SA %u rekeyed into IKE SA %u", sa->id, n->id);
	ike_rekey_take_over(sa, n, IKE_EV_REKEY_DONE);
	/* RFC 7296 2.18: the initiator of the rekey deletes the old SA. */
	ike_sa_delete(sa);
out:
	ikev2_secret_free(&gir);
}
