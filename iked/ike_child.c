/*
 * What a CHILD_SA is made of, whichever exchange makes it (IKE_AUTH or a
 * rekey): traffic selectors for GRE between the two NBMA addresses (RFC
 * 7296 2.9), its KEYMAT (2.17), and its two ESP SAs in the data plane
 * (gre/dataplane.h). Its states are ike_fsm.c's.
 */
#include <string.h>

#include "gre/dataplane.h"
#include "iked/iked.h"

void ike_ts_gre(struct ikev2_ts_payload *tsp, const struct ipaddr *a)
{
	memset(tsp, 0, sizeof(*tsp));
	tsp->n = 1;
	tsp->ts[0] =
	    (struct ikev2_ts){IKEV2_TS_IPV4_ADDR_RANGE, IKED_IP_PROTO_GRE, 0, 65535, *a, *a};
}

bool ike_ts_covers(const struct ikev2_ts_payload *tsp, const struct ipaddr *a)
{
	for (size_t i = 0; i < tsp->n; i++) {
		const struct ikev2_ts *t = &tsp->ts[i];

		if (t->type != IKEV2_TS_IPV4_ADDR_RANGE ||
		    (t->ip_proto != 0 && t->ip_proto != IKED_IP_PROTO_GRE))
			continue;
		if (memcmp(&t->start.u.v4, &a->u.v4, 4) <= 0 &&
		    memcmp(&a->u.v4, &t->end.u.v4, 4) <= 0)
			return true;
	}
	return false;
}

void ike_child_selectors(struct ike_sa *sa, struct child_sa *c, bool we_initiated)
{
	const struct ipaddr *i = we_initiated ? &sa->local : &sa->remote;
	const struct ipaddr *r = we_initiated ? &sa->remote : &sa->local;

	c->we_initiated = we_initiated;
	c->tsi = (struct ikev2_ts){IKEV2_TS_IPV4_ADDR_RANGE, IKED_IP_PROTO_GRE, 0, 65535, *i, *i};
	c->tsr = (struct ikev2_ts){IKEV2_TS_IPV4_ADDR_RANGE, IKED_IP_PROTO_GRE, 0, 65535, *r, *r};
}

int ike_child_keymat(struct ike_sa *sa, struct child_sa *c, const struct ikev2_secret *gir,
                     const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len)
{
	size_t one = ikev2_encr_key_len(&c->alg) + ikev2_integ_key_len(c->alg.integ);

	if (ikev2_secret_alloc(&c->keymat, 2 * one) < 0)
		return -1;
	/* RFC 7296 2.17: KEYMAT = prf+(SK_d, [g^ir (new)] | Ni | Nr). */
	return ikev2_derive_child_keys(sa->prop.alg.prf, &sa->keys.sk_d, gir, ni, ni_len, nr,
	                               nr_len, c->keymat.p, c->keymat.len);
}

void ike_child_dataplane(struct ike_sa *sa, bool up)
{
	const struct child_sa *c = &sa->child;
	struct dp_esp_sa in = {
	    .spi = c->spi_in,
	    .src = sa->remote,
	    .dst = sa->local,
	    .transport = c->transport,
	    .ip_proto = IKED_IP_PROTO_GRE,
	    .encr = c->alg.encr,
	    .encr_bits = c->alg.encr_bits,
	    .integ = c->alg.integ,
	};
	struct dp_esp_sa out = in;

	out.spi = c->spi_out;
	out.src = sa->local;
	out.dst = sa->remote;
	if (!up) {
		dp_esp_sa_del(DP_BACKEND_USERSPACE, in.spi, &in.dst);
		dp_esp_sa_del(DP_BACKEND_USERSPACE, out.spi, &out.dst);
		return;
	}
	if (dp_esp_sa_add(DP_BACKEND_USERSPACE, &in) < 0 ||
	    dp_esp_sa_add(DP_BACKEND_USERSPACE, &out) < 0)
		log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u: data plane refused the CHILD_SA",
		        sa->id);
}
