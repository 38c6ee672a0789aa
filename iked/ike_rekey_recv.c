/*
 * CREATE_CHILD_SA (RFC 7296 1.3) received. A request is a rekey of the
 * IKE SA (ike_rekey_ike.c: 1.3.2, 2.18) or of the CHILD_SA
 * (ike_rekey_child.c: 1.3.3, 2.17, with PFS); the answer to ours goes to
 * the rekey its request's kind names. One CHILD_SA per IKE SA is all a
 * GRE path needs: a request for another is refused (NO_ADDITIONAL_SAS).
 *
 * Both ends may rekey the same SA at once: each answers the other's
 * request while its own is out (the exchange table allows that in
 * REKEYING, and for a CHILD_SA in ESTABLISHED). Each then holds two new
 * SAs, and RFC 7296 2.8.1 and 2.8.2 decide: the one made with the lowest
 * of the four nonces goes, deleted by the end that made it. A CHILD_SA
 * rekey that meets our IKE SA rekey is refused (2.25.2), and one of ours
 * that the peer's IKE SA rekey overtook applies to the CHILD_SA where it
 * moved (ike_rekey_child.c).
 */
#include "iked/iked.h"

void ike_rekey_recv_request(struct ike_sa *sa, struct ikev2_msg *m)
{
	if (!m->has_sa || !m->has_nonce || m->nonce_len < IKEV2_NONCE_MIN || m->sa.n == 0) {
		ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	if (m->sa.p[0].protocol == IKEV2_PROTO_IKE)
		ike_rekey_ike_respond(sa, m);
	else if (ikev2_notify_find(m, IKEV2_N_REKEY_SA) && sa->state == IKE_SA_REKEYING)
		/* 2.25.2: not while we rekey the IKE SA (the CHILD_SA is about
		 * to move to the new one): the peer tries again later. */
		ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
	else if (ikev2_notify_find(m, IKEV2_N_REKEY_SA))
		ike_rekey_child_respond(sa, m);
	else
		ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
}

/* RFC 7296 2.25: an SA already rekeyed, or being deleted, is not rekeyed
 * again: TEMPORARY_FAILURE, and the peer tries later (on the new SA). */
void ike_rekey_refuse_busy(struct ike_sa *sa, struct ikev2_msg *m)
{
	ike_rekey_refuse(sa, m->hdr.msg_id, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
}

void ike_rekey_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req)
{
	if (req->kind == IKE_REQ_REKEY_IKE)
		ike_rekey_ike_done(sa, m, req);
	else if (req->kind == IKE_REQ_REKEY_CHILD)
		ike_rekey_child_done(sa, m, req);
}
