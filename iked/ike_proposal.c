/*
 * Proposals on the wire: the SA payloads we offer (from a profile's
 * proposals, iked_proposal.c), and the choice among the peer's: the first
 * of OUR proposals (our order of preference) that the peer offered, RFC
 * 7296 2.7.
 */
#include <string.h>

#include "iked/iked.h"

static void ike_proposal_to_payload(const struct iked_proposal *ip, bool esp,
                                    struct ikev2_proposal *pp)
{
	size_t n = 0;

	pp->protocol = esp ? IKEV2_PROTO_ESP : IKEV2_PROTO_IKE;
	pp->t[n++] = (struct ikev2_transform){
	    .type = IKEV2_TRANSFORM_ENCR, .id = ip->alg.encr, .key_len = ip->alg.encr_bits};
	if (!esp)
		pp->t[n++] = (struct ikev2_transform){
		    .type = IKEV2_TRANSFORM_PRF, .id = ip->alg.prf, .key_len = 0};
	if (ip->alg.integ)
		pp->t[n++] = (struct ikev2_transform){
		    .type = IKEV2_TRANSFORM_INTEG, .id = ip->alg.integ, .key_len = 0};
	/* IKE: the DH group; ESP: the PFS group of a CREATE_CHILD_SA, if any. */
	if (ip->dh)
		pp->t[n++] = (struct ikev2_transform){
		    .type = IKEV2_TRANSFORM_DH, .id = ip->dh, .key_len = 0};
	if (esp)
		pp->t[n++] = (struct ikev2_transform){
		    .type = IKEV2_TRANSFORM_ESN, .id = IKEV2_ESN_NONE, .key_len = 0};
	pp->n_transforms = n;
}

void ike_proposals_ike(const struct iked_profile *p, struct ikev2_sa_payload *sa)
{
	memset(sa, 0, sizeof(*sa));
	for (unsigned i = 0; i < p->n_ike && i < IKEV2_MAX_PROPOSALS; i++) {
		sa->p[i].num = (uint8_t)(i + 1);
		ike_proposal_to_payload(&p->ike[i], false, &sa->p[i]);
	}
	sa->n = p->n_ike < IKEV2_MAX_PROPOSALS ? p->n_ike : IKEV2_MAX_PROPOSALS;
}

void ike_proposals_esp_from(const struct iked_proposal *props, unsigned n, uint32_t spi,
                            struct ikev2_sa_payload *sa)
{
	memset(sa, 0, sizeof(*sa));
	for (unsigned i = 0; i < n && i < IKEV2_MAX_PROPOSALS; i++) {
		struct ikev2_proposal *pp = &sa->p[i];

		pp->num = (uint8_t)(i + 1);
		pp->spi_size = IKEV2_SPI_SIZE_ESP;
		ike_put_spi32(pp->spi, spi);
		ike_proposal_to_payload(&props[i], true, pp);
	}
	sa->n = n < IKEV2_MAX_PROPOSALS ? n : IKEV2_MAX_PROPOSALS;
}

void ike_proposals_esp(const struct iked_profile *p, uint32_t spi, struct ikev2_sa_payload *sa)
{
	ike_proposals_esp_from(p->esp, p->n_esp, spi, sa);
}

/*
 * Does the peer's proposal hold what ours needs? RFC 7296 3.3.6: a
 * transform with an attribute we do not know is unacceptable, so it
 * matches nothing. strict (a responder's answer, 3.3): exactly one
 * transform of each type we use, equal to ours, and none of a type we do
 * not use. ours->dh on an ESP proposal is the PFS group of a
 * CREATE_CHILD_SA (1.3.1).
 */
static bool ike_proposal_matches(const struct iked_proposal *ours, bool esp,
                                 const struct ikev2_proposal *theirs, bool strict)
{
	bool encr = false, integ = false, prf = false, dh = false, esn = false;
	unsigned count[IKEV2_TRANSFORM_ESN + 1] = {0};

	if (theirs->protocol != (esp ? IKEV2_PROTO_ESP : IKEV2_PROTO_IKE))
		return false;
	if (esp ? theirs->spi_size != IKEV2_SPI_SIZE_ESP
	        : (theirs->spi_size != 0 && theirs->spi_size != IKEV2_SPI_SIZE_IKE))
		return false;
	for (size_t i = 0; i < theirs->n_transforms; i++) {
		const struct ikev2_transform *t = &theirs->t[i];

		if (t->type >= IKEV2_TRANSFORM_ENCR && t->type <= IKEV2_TRANSFORM_ESN)
			count[t->type]++;
		else if (strict)
			return false;
		if (t->unknown_attr)
			continue;
		switch (t->type) {
		case IKEV2_TRANSFORM_ENCR:
			encr |= t->id == ours->alg.encr && t->key_len == ours->alg.encr_bits;
			break;
		case IKEV2_TRANSFORM_INTEG:
			integ |= ours->alg.integ && t->id == ours->alg.integ;
			break;
		case IKEV2_TRANSFORM_PRF:
			prf |= !esp && t->id == ours->alg.prf;
			break;
		case IKEV2_TRANSFORM_DH:
			dh |= ours->dh && t->id == ours->dh;
			break;
		case IKEV2_TRANSFORM_ESN:
			esn |= esp && t->id == IKEV2_ESN_NONE;
			break;
		default:
			break;
		}
	}
	if (!encr || (ours->alg.integ && !integ) || (!esp && !prf) || (ours->dh && !dh) ||
	    (esp && !esn))
		return false;
	if (!strict)
		return true;
	return count[IKEV2_TRANSFORM_ENCR] == 1 && count[IKEV2_TRANSFORM_PRF] == (esp ? 0u : 1u) &&
	       count[IKEV2_TRANSFORM_INTEG] == (ours->alg.integ ? 1u : 0u) &&
	       count[IKEV2_TRANSFORM_DH] == (ours->dh ? 1u : 0u) &&
	       count[IKEV2_TRANSFORM_ESN] == (esp ? 1u : 0u);
}

static uint32_t ike_proposal_spi(const struct ikev2_proposal *pp)
{
	return pp->spi_size == IKEV2_SPI_SIZE_ESP ? ike_get_spi32(pp->spi) : 0;
}

int ike_proposal_select(const struct iked_proposal *ours, unsigned n, bool esp,
                        const struct ikev2_sa_payload *theirs, struct iked_proposal *chosen,
                        uint8_t *num, uint32_t *peer_spi)
{
	for (unsigned i = 0; i < n; i++)
		for (size_t k = 0; k < theirs->n; k++)
			if (ike_proposal_matches(&ours[i], esp, &theirs->p[k], false)) {
				*chosen = ours[i];
				*num = theirs->p[k].num;
				if (peer_spi)
					*peer_spi = ike_proposal_spi(&theirs->p[k]);
				return 0;
			}
	return -1;
}

int ike_proposal_check(const struct iked_proposal *ours, unsigned n, bool esp,
                       const struct ikev2_sa_payload *theirs, struct iked_proposal *chosen,
                       uint32_t *peer_spi)
{
	const struct ikev2_proposal *pp;

	/* RFC 7296 3.3: the responder returns exactly one proposal, with one
	 * transform of each type, taken from what we offered. */
	if (theirs->n != 1)
		return -1;
	pp = &theirs->p[0];
	if (pp->num < 1 || pp->num > n)
		return -1;
	if (!ike_proposal_matches(&ours[pp->num - 1], esp, pp, true))
		return -1;
	*chosen = ours[pp->num - 1];
	if (peer_spi)
		*peer_spi = ike_proposal_spi(pp);
	return 0;
}

int ike_proposal_wanted_group(const struct iked_profile *p, const struct ikev2_msg *m,
                              uint16_t *group)
{
	const struct ikev2_notify *n = ikev2_notify_find(m, IKEV2_N_INVALID_KE_PAYLOAD);

	if (!n || n->len != 2)
		return -1;
	*group = (uint16_t)(n->data[0] << 8 | n->data[1]);
	for (unsigned i = 0; i < p->n_ike; i++)
		if (p->ike[i].dh == *group)
			return 1;
	return 0;
}
