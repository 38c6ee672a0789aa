/*
 * INFORMATIONAL exchanges (RFC 7296 1.4, 1.5): deletes and liveness.
 * A Delete of the IKE SA takes its CHILD_SA with it and is answered with
 * an empty response; a Delete of the CHILD_SA's ESP SPI is answered with
 * a Delete of ours (1.4.1); an empty request is a liveness check (2.4).
 */
#include <string.h>

#include "iked/iked.h"

/* The peer deletes the ESP SA of ours whose outbound SPI is spi: our
 * half goes into the answer (1.4.1). A pair a rekey replaced first. */
static void ike_info_delete_esp(struct ike_sa *sa, uint32_t spi, struct ikev2_builder *b)
{
	uint8_t ours[IKEV2_SPI_SIZE_ESP];

	for (unsigned r = 0; r < sa->nretired; r++)
		if (sa->retired[r].spi_out == spi) {
			ike_put_spi32(ours, sa->retired[r].spi_in);
			ikev2_build_delete(b, IKEV2_PROTO_ESP, IKEV2_SPI_SIZE_ESP, ours, 1);
			sa->retired[r] = sa->retired[--sa->nretired];
			return;
		}
	if (!child_sa_installed(&sa->child) || spi != sa->child.spi_out)
		return;
	ike_put_spi32(ours, sa->child.spi_in);
	ikev2_build_delete(b, IKEV2_PROTO_ESP, IKEV2_SPI_SIZE_ESP, ours, 1);
	log_msg(LOG_LVL_INFO, LOG_CAT_IKE, "IKE SA %u: peer deleted the CHILD_SA", sa->id);
	child_sa_fsm(sa, CHILD_EV_DELETED, NULL);
}

void ike_info_recv_request(struct ike_sa *sa, struct ikev2_msg *m)
{
	struct ikev2_builder b;
	uint8_t inner[128];
	bool delete_ike = false;

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	for (size_t i = 0; i < m->n_delete; i++) {
		const struct ikev2_delete *del = &m->del[i];

		if (del->protocol == IKEV2_PROTO_IKE) {
			delete_ike = true;
			continue;
		}
		if (del->protocol != IKEV2_PROTO_ESP || del->spi_size != IKEV2_SPI_SIZE_ESP)
			continue;
		for (uint16_t k = 0; k < del->n_spi; k++)
			ike_info_delete_esp(sa, ike_get_spi32(del->spis + IKEV2_SPI_SIZE_ESP * k),
			                    &b);
	}
	if (delete_ike) {
		/* RFC 7296 1.4.1: the response to an IKE SA delete is empty. */
		ikev2_build_inner_init(&b, inner, sizeof(inner));
		ike_response_send(sa, IKEV2_EXCHANGE_INFORMATIONAL, m->hdr.msg_id, &b);
		ike_sa_deleted(sa, "deleted by the peer");
		return;
	}
	ike_response_send(sa, IKEV2_EXCHANGE_INFORMATIONAL, m->hdr.msg_id, &b);
}

void ike_info_recv_response(struct ike_sa *sa, struct ikev2_msg *m, struct ike_request *req)
{
	(void)m;
	/* A liveness check or a CHILD_SA delete answered: the answer itself
	 * (an authenticated message, ike_timers.c) was the point. */
	if (req->kind == IKE_REQ_DELETE_IKE)
		ike_sa_deleted(sa, "deleted");
}

/* RFC 7296 2.4: an empty INFORMATIONAL request; no answer after the
 * retransmissions means the peer is gone (ike_timers_due.c fails the SA). */
void ike_info_liveness(struct ike_sa *sa)
{
	struct ikev2_builder b;
	uint8_t inner[8];

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ike_request_send(sa, IKE_REQ_LIVENESS, &b);
}

void ike_info_delete_child(struct ike_sa *sa, uint32_t spi_in)
{
	struct ikev2_builder b;
	uint8_t inner[64], spi[IKEV2_SPI_SIZE_ESP];

	ike_put_spi32(spi, spi_in);
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_delete(&b, IKEV2_PROTO_ESP, IKEV2_SPI_SIZE_ESP, spi, 1);
	if (ike_request_send(sa, IKE_REQ_DELETE_CHILD, &b) < 0)
		return;
	/* Ours (not a pair a rekey replaced): it goes now, and the peer's
	 * answering Delete ends its half. */
	if (child_sa_installed(&sa->child) && spi_in == sa->child.spi_in)
		child_sa_fsm(sa, CHILD_EV_DELETED, NULL);
}

void ike_sa_delete(struct ike_sa *sa)
{
	struct ikev2_builder b;
	uint8_t inner[64];

	/* REPLACED: after our rekey (or a crossing one that ours won, RFC
	 * 7296 2.8.2), we delete the old SA. */
	if ((sa->state != IKE_SA_ESTABLISHED && sa->state != IKE_SA_REPLACED) ||
	    ike_request_busy(sa)) {
		ike_sa_fail(sa, "cleared");
		return;
	}
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_delete(&b, IKEV2_PROTO_IKE, 0, NULL, 0);
	if (ike_request_send(sa, IKE_REQ_DELETE_IKE, &b) < 0) {
		ike_sa_fail(sa, "cleared");
		return;
	}
	ike_sa_fsm(sa, IKE_EV_DELETE_SENT);
}
