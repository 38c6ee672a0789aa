/*
 * Rekeying the CHILD_SA (RFC 7296 1.3.3, 2.17), both roles, with PFS: a
 * fresh Diffie-Hellman in the IKE SA's group. The new pair of SPIs takes
 * the old one's place in the data plane at once; the rekey's initiator
 * then deletes the old pair, and the responder keeps the old SPIs
 * (retired) to answer that Delete with its half (1.4.1).
 *
 * Crossing rekeys (2.8.1): we answered the peer's rekey while ours was
 * out (its request records that), so two new pairs exist. The one made
 * with the lowest of the four nonces is closed by the end that made it;
 * the survivor's initiator deletes the original.
 *
 * The peer's IKE SA rekey may overtake the answer to ours: the CHILD_SA
 * has moved to the new IKE SA by then, and our rekey applies there.
 */
#include <string.h>

#include "iked/iked.h"

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

/* The new CHILD_SA keeps the old one's mode and selectors. */
static void ike_rekey_child_like(const struct child_sa *old, struct child_sa *c, bool we_initiated)
{
	c->transport = old->transport;
	c->tsi = old->tsi;
	c->tsr = old->tsr;
	c->we_initiated = we_initiated;
}

/* ---------- responder ---------- */

/* The answer: our SA payload (the proposal chosen, our new SPI), nonce,
 * KE when PFS, the GRE selectors. */
static int ike_rekey_child_answer(struct ike_sa *sa, const struct ikev2_msg *m,
                                  const struct child_sa *c, const struct iked_proposal *esp,
                                  unsigned nesp, const struct iked_proposal *chosen, uint8_t num,
                                  const uint8_t *nr, const uint8_t *ke, size_t kl)
{
	static struct ikev2_sa_payload sap;
	uint8_t inner[IKED_MAX_MSG];
	struct ikev2_ts_payload tsi, tsr;
	struct ikev2_builder b;

	ike_proposals_esp_from(esp, nesp, c->spi_in, &sap);
	for (unsigned i = 0; i < nesp; i++)
		if (!strcmp(esp[i].text, chosen->text))
			sap.p[0] = sap.p[i];
	sap.n = 1;
	sap.p[0].num = num;
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	if (c->transport)
		ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, nr, IKED_NONCE_LEN);
	if (m->has_ke)
		ikev2_build_ke(&b, sa->prop.dh, ke, kl);
	ike_ts_gre(&tsi, &sa->remote);
	ike_ts_gre(&tsr, &sa->local);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	return ike_response_send(sa, IKEV2_EXCHANGE_CREATE_CHILD_SA, m->hdr.msg_id, &b);
}

void ike_rekey_child_respond(struct ike_sa *sa, struct ikev2_msg *m)
{
	struct iked_proposal esp[IKED_MAX_PROPOSALS], chosen;
	const struct ikev2_notify *rk = ikev2_notify_find(m, IKEV2_N_REKEY_SA);
	uint32_t rk_spi = rk && rk->spi_size == IKEV2_SPI_SIZE_ESP ? ike_get_spi32(rk->spi) : 0;
	uint8_t num, ke[IKEV2_C_DH_PUBLIC_MAX], nr[IKED_NONCE_LEN];
	struct ikev2_secret gir = {0};
	struct ikev2_dh *dh = NULL;
	struct child_sa c = {0};
	unsigned nesp;
	size_t kl = 0;

	/* RFC 7296 1.3.3, 2.25.1: REKEY_SA names the SA by the sender's
	 * inbound SPI (our outbound); one we already replaced is not found. */
	if (!child_sa_installed(&sa->child) || rk_spi != sa->child.spi_out) {
		ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_CHILD_SA_NOT_FOUND, NULL, 0);
		return;
	}
	nesp = ike_esp_pfs(sa->profile, m->has_ke ? sa->prop.dh : 0, esp);
	if (ike_proposal_select(esp, nesp, true, &m->sa, &chosen, &num, &c.spi_out) < 0) {
		ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (m->has_ke) { /* PFS: in the IKE SA's group */
		if (m->ke_group != sa->prop.dh) {
			ike_rekey_refuse_group(sa, m->hdr.msg_id, sa->prop.dh);
			return;
		}
		kl = ikev2_dh_public_len(sa->prop.dh);
		dh = ikev2_dh_new(sa->prop.dh);
		if (!dh || ikev2_dh_public(dh, ke, kl) < 0 ||
		    ikev2_dh_derive(dh, m->ke, m->ke_len, &gir) < 0)
			goto fail;
	}
	c.alg = chosen.alg;
	ike_rekey_child_like(&sa->child, &c, false);
	if (ikev2_esp_spi_random(&c.spi_in) < 0 || ikev2_random(nr, sizeof(nr)) < 0 ||
	    ike_child_keymat(sa, &c, m->has_ke ? &gir : NULL, m->nonce, m->nonce_len, nr,
	                     sizeof(nr)) < 0 ||
	    ike_rekey_child_answer(sa, m, &c, esp, nesp, &chosen, num, nr, ke, kl) < 0)
		goto fail;
	if (sa->req.kind == IKE_REQ_REKEY_CHILD) {
		/* Both ends rekeyed at once (2.8.1): decided when ours is
		 * answered. */
		struct ike_rekey_req *ours = &sa->req.rekey;

		ours->crossing.seen = true;
		memcpy(ours->crossing.ni, m->nonce, m->nonce_len);
		ours->crossing.ni_len = m->nonce_len;
		memcpy(ours->crossing.nr, nr, sizeof(nr));
		ours->crossing.old_spi_in = sa->child.spi_in;
		sa->crossed_rekeys++;
		log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE,
		        "IKE SA %u: the peer's CHILD_SA rekey crossed ours", sa->id);
	}
	/* The old pair goes when the initiator deletes it. */
	ike_retire(sa, sa->child.spi_in, sa->child.spi_out);
	sa->rekeys++;
	child_sa_fsm(sa, CHILD_EV_REKEYED, &c);
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	return;
fail:
	ikev2_secret_free(&c.keymat);
	ikev2_secret_free(&gir);
	ikev2_dh_free(dh);
	ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
}

/* ---------- initiator ---------- */

int ike_rekey_child_start(struct ike_sa *sa)
{
	struct ike_rekey_req *rk = &sa->req.rekey;
	struct iked_proposal esp[IKED_MAX_PROPOSALS];
	static struct ikev2_sa_payload sap;
	uint8_t inner[IKED_MAX_MSG], ke[IKEV2_C_DH_PUBLIC_MAX], old[IKEV2_SPI_SIZE_ESP];
	size_t kl = ikev2_dh_public_len(sa->prop.dh);
	struct ikev2_ts_payload tsi, tsr;
	struct ikev2_builder b;
	uint32_t spi;

	if (sa->state != IKE_SA_ESTABLISHED || ike_request_busy(sa) ||
	    sa->child.state != CHILD_SA_INSTALLED)
		return -1;
	rk->dh = ikev2_dh_new(sa->prop.dh); /* PFS */
	if (!rk->dh || ikev2_esp_spi_random(&spi) < 0 ||
	    ikev2_random(rk->nonce, sizeof(rk->nonce)) < 0 || ikev2_dh_public(rk->dh, ke, kl) < 0)
		goto fail;
	rk->spi = spi;
	rk->child_spi_in = sa->child.spi_in;
	ike_put_spi32(old, sa->child.spi_in);
	ike_proposals_esp_from(esp, ike_esp_pfs(sa->profile, sa->prop.dh, esp), spi, &sap);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	/* RFC 7296 1.3.3: REKEY_SA names the SA being replaced. */
	ikev2_build_notify(&b, IKEV2_PROTO_ESP, old, IKEV2_SPI_SIZE_ESP, IKEV2_N_REKEY_SA, NULL, 0);
	if (sa->child.transport)
		ikev2_build_notify(&b, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	ikev2_build_sa(&b, &sap);
	ikev2_build_nonce(&b, rk->nonce, sizeof(rk->nonce));
	ikev2_build_ke(&b, sa->prop.dh, ke, kl);
	ike_ts_gre(&tsi, &sa->local);
	ike_ts_gre(&tsr, &sa->remote);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSI, &tsi);
	ikev2_build_ts(&b, IKEV2_PAYLOAD_TSR, &tsr);
	if (ike_request_send(sa, IKE_REQ_REKEY_CHILD, &b) < 0)
		goto fail;
	child_sa_fsm(sa, CHILD_EV_REKEY_SENT, NULL);
	return 0;
fail:
	ike_request_wipe(&sa->req); /* the window was free: only this material */
	return -1;
}

/* Ours did not happen; a CHILD_SA the peer's crossing rekey replaced
 * meanwhile (which refused ours, 2.25.1) stays as it is. */
static void ike_rekey_child_failed(struct ike_sa *sa, const char *why)
{
	log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: CHILD_SA rekey failed: %s", sa->id, why);
	if (sa->child.state == CHILD_SA_REKEYING)
		child_sa_fsm(sa, CHILD_EV_REKEY_FAILED, NULL);
}

/* The CHILD_SA the responder's answer makes with ours, into c (keyed
 * from sa, the IKE SA of the exchange; its mode and selectors those of
 * owner's, the one it replaces). */
static int ike_rekey_child_accept(struct ike_sa *sa, struct ike_sa *owner,
                                  const struct ikev2_msg *m, const struct ike_rekey_req *rk,
                                  struct child_sa *c)
{
	struct iked_proposal esp[IKED_MAX_PROPOSALS], chosen;
	struct ikev2_secret gir = {0};
	int rc = -1;

	if (!m->has_sa || !m->has_nonce || !m->has_ke || m->ke_group != sa->prop.dh || !rk->dh ||
	    ike_proposal_check(esp, ike_esp_pfs(sa->profile, sa->prop.dh, esp), true, &m->sa,
	                       &chosen, &c->spi_out) < 0 ||
	    ikev2_dh_derive(rk->dh, m->ke, m->ke_len, &gir) < 0)
		goto out;
	c->alg = chosen.alg;
	c->spi_in = (uint32_t)rk->spi;
	ike_rekey_child_like(&owner->child, c, true);
	rc = ike_child_keymat(sa, c, &gir, rk->nonce, sizeof(rk->nonce), m->nonce, m->nonce_len);
out:
	if (rc < 0)
		ikev2_secret_free(&c->keymat);
	ikev2_secret_free(&gir);
	return rc;
}

/* Where the CHILD_SA this rekey is for lives now: here; or, the peer's
 * IKE SA rekey having replaced this IKE SA meanwhile (its answer to ours
 * overtaken on the way), on the IKE SA that took it along (RFC 7296
 * 2.18), if it is still the one we rekeyed. NULL: nothing to rekey. */
static struct ike_sa *ike_rekey_child_owner(struct ike_sa *sa, const struct ike_rekey_req *rk)
{
	struct ike_sa *owner = sa;

	if (sa->state == IKE_SA_REPLACED) {
		owner = ike_sa_by_id(sa->d, sa->replaced_by);
		if (!owner || rk->crossing.seen || owner->child.spi_in != rk->child_spi_in)
			return NULL;
	}
	return child_sa_installed(&owner->child) ? owner : NULL;
}

/* Both ends rekeyed the CHILD_SA at once (2.8.1) and ours is answered
 * with c: true when ours goes (closed here, never installed). Otherwise
 * ours replaces the pair the peer made, which the peer closes; *old_in
 * is then the original, which we delete as the survivor's initiator. */
static bool ike_rekey_child_crossed(struct ike_sa *sa, const struct ikev2_msg *m,
                                    const struct ike_rekey_req *rk, struct child_sa *c,
                                    uint32_t *old_in)
{
	bool ours_lowest = ike_rekey_first_lowest(
	    rk->nonce, sizeof(rk->nonce), m->nonce, m->nonce_len, rk->crossing.ni,
	    rk->crossing.ni_len, rk->crossing.nr, sizeof(rk->crossing.nr));

	log_msg(LOG_LVL_NOTICE, LOG_CAT_IKE, "IKE SA %u: simultaneous CHILD_SA rekey: %s survives",
	        sa->id, ours_lowest ? "the peer's" : "ours");
	if (ours_lowest) {
		ikev2_secret_free(&c->keymat);
		ike_info_delete_child(sa, c->spi_in);
		return true;
	}
	ike_retire(sa, sa->child.spi_in, sa->child.spi_out);
	*old_in = rk->crossing.old_spi_in;
	ike_unretire(sa, *old_in);
	return false;
}

void ike_rekey_child_done(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req)
{
	const struct ike_rekey_req *rk = &req->rekey;
	struct ike_sa *owner = ike_rekey_child_owner(sa, rk);
	uint16_t err = ikev2_notify_error(m);
	struct child_sa c = {0};
	uint32_t old_in;

	if (!owner) {
		/* Deleted meanwhile, or the IKE SA rekey took it along and it
		 * changed since: what the peer made here goes with this SA. */
		log_msg(LOG_LVL_INFO, LOG_CAT_IKE,
		        "IKE SA %u: CHILD_SA rekey answered after the CHILD_SA left", sa->id);
		return;
	}
	if (err) {
		ike_rekey_child_failed(owner, ikev2_notify_name(err));
		return;
	}
	if (ike_rekey_child_accept(sa, owner, m, rk, &c) < 0) {
		ike_rekey_child_failed(owner, "unusable answer");
		return;
	}
	old_in = owner->child.spi_in;
	if (rk->crossing.seen && ike_rekey_child_crossed(owner, m, rk, &c, &old_in))
		return;
	owner->rekeys++;
	child_sa_fsm(owner, CHILD_EV_REKEYED, &c);
	log_msg(LOG_LVL_INFO, LOG_CAT_IKE, "IKE SA %u: CHILD_SA rekeyed (in %08x out %08x)",
	        owner->id, owner->child.spi_in, owner->child.spi_out);
	/* RFC 7296 1.4: under the IKE SA that now carries it. */
	ike_info_delete_child(owner, old_in);
}
