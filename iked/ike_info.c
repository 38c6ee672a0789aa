/*
 * INFORMATIONAL exchanges (RFC 7296 1.4, 1.5): deletes and liveness.
 * A Delete of the IKE SA takes its CHILD_SA with it and is answered with
 * an empty response; a Delete of the CHILD_SA's ESP SPI is answered with
 * a Delete of ours (1.4.1); an empty request is a liveness check.
 */
#include <string.h>

#include "iked/iked.h"

static void ike_info_put_spi(uint8_t *p, uint32_t spi)
{
	p[0] = (uint8_t)(spi >> 24);
	p[1] = (uint8_t)(spi >> 16);
	p[2] = (uint8_t)(spi >> 8);
	p[3] = (uint8_t)spi;
}

static void ike_info_respond(struct ike_sa *sa, uint32_t msg_id, const struct ikev2_builder *in)
{
	uint8_t out[512];
	size_t n =
	    ike_sa_seal(sa, IKEV2_EXCHANGE_INFORMATIONAL, true, msg_id, in, out, sizeof(out));

	if (n)
		ike_sa_send_response(sa, out, n);
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
		if (del->protocol != IKEV2_PROTO_ESP || del->spi_size != 4)
			continue;
		for (uint16_t k = 0; k < del->n_spi; k++) {
			const uint8_t *s = del->spis + 4 * k;
			uint32_t spi = (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
			               (uint32_t)s[2] << 8 | s[3];
			uint8_t ours[4];

			bool retired = false;

			/* A pair a rekey replaced: answer with our half (1.4.1). */
			for (unsigned r = 0; r < sa->nretired && !retired; r++)
				if (sa->retired[r].spi_out == spi) {
					ike_info_put_spi(ours, sa->retired[r].spi_in);
					ikev2_build_delete(&b, IKEV2_PROTO_ESP, 4, ours, 1);
					sa->retired[r] = sa->retired[--sa->nretired];
					retired = true;
				}
			if (retired)
				continue;
			if (sa->child.state != CHILD_SA_INSTALLED || spi != sa->child.spi_out)
				continue;
			sa->child.state = CHILD_SA_DELETED;
			ike_child_event(sa, false);
			ikev2_secret_free(&sa->child.keymat);
			ours[0] = (uint8_t)(sa->child.spi_in >> 24);
			ours[1] = (uint8_t)(sa->child.spi_in >> 16);
			ours[2] = (uint8_t)(sa->child.spi_in >> 8);
			ours[3] = (uint8_t)sa->child.spi_in;
			ikev2_build_delete(&b, IKEV2_PROTO_ESP, 4, ours, 1);
			log_msg(LOG_LVL_INFO, LOG_CAT_IKE, "IKE SA %u: peer deleted the CHILD_SA",
			        sa->id);
		}
	}
	if (delete_ike) {
		/* RFC 7296 1.4.1: the response to an IKE SA delete is empty. */
		ikev2_build_inner_init(&b, inner, sizeof(inner));
		ike_info_respond(sa, m->hdr.msg_id, &b);
		ike_sa_fail(sa, NULL);
		snprintf(sa->error, sizeof(sa->error), "deleted by the peer");
		return;
	}
	ike_info_respond(sa, m->hdr.msg_id, &b);
}

void ike_info_recv_response(struct ike_sa *sa, struct ikev2_msg *m)
{
	(void)m;
	if (sa->state == IKE_SA_DELETING) {
		ike_sa_fail(sa, NULL);
		snprintf(sa->error, sizeof(sa->error), "deleted");
	}
}

/* RFC 7296 2.4: an empty INFORMATIONAL request; no answer after the
 * retransmissions means the peer is gone (ike_sa.c's timer fails the SA). */
void ike_info_liveness(struct ike_sa *sa)
{
	struct ikev2_builder b;
	uint8_t inner[8], out[256];
	size_t n;

	ikev2_build_inner_init(&b, inner, sizeof(inner));
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_INFORMATIONAL, false, sa->next_msg_id, &b, out,
	                sizeof(out));
	if (!n || sa->out_req)
		return;
	sa->next_msg_id++;
	ike_sa_send_request(sa, out, n);
}

void ike_sa_delete(struct ike_sa *sa)
{
	struct ikev2_builder b;
	uint8_t inner[64], out[256];
	size_t n;

	/* DELETING without a request out: replaced by the peer's crossing
	 * rekey, and ours survived (RFC 7296 2.8.2): we delete it. */
	if (sa->state != IKE_SA_ESTABLISHED && !(sa->state == IKE_SA_DELETING && !sa->out_req)) {
		ike_sa_fail(sa, "cleared");
		return;
	}
	ikev2_build_inner_init(&b, inner, sizeof(inner));
	ikev2_build_delete(&b, IKEV2_PROTO_IKE, 0, NULL, 0);
	n = ike_sa_seal(sa, IKEV2_EXCHANGE_INFORMATIONAL, false, sa->next_msg_id, &b, out,
	                sizeof(out));
	if (!n || sa->out_req) {
		ike_sa_fail(sa, "cleared");
		return;
	}
	sa->next_msg_id++;
	ike_sa_set_state(sa, IKE_SA_DELETING);
	ike_sa_send_request(sa, out, n);
}
