/*
 * What the two rekeys (ike_rekey_ike.c, ike_rekey_child.c) share: the
 * refusals of a CREATE_CHILD_SA request, and the comparison of nonces
 * that decides between crossing rekeys (RFC 7296 2.8). ike_rekey_recv.c
 * says which rekey a message is for.
 */
#include <string.h>

#include "iked/iked.h"

void ike_rekey_refuse(struct ike_sa *sa, uint32_t msg_id, uint16_t notify, const uint8_t *data,
                      size_t len)
{
	ike_response_notify(sa, IKEV2_EXCHANGE_CREATE_CHILD_SA, msg_id, notify, data, len);
}

/* RFC 7296 1.2, 1.3: the KE was in another group than the one we want. */
void ike_rekey_refuse_group(struct ike_sa *sa, uint32_t msg_id, uint16_t group)
{
	uint8_t g[2] = {(uint8_t)(group >> 8), (uint8_t)group};

	ike_rekey_refuse(sa, msg_id, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
}

/* Nonces compared as unsigned big numbers, shorter first (RFC 7296 2.8.1). */
static int ike_rekey_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

static const uint8_t *ike_rekey_nonce_min(const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
                                          size_t *len)
{
	bool first = ike_rekey_nonce_cmp(a, al, b, bl) <= 0;

	*len = first ? al : bl;
	return first ? a : b;
}

bool ike_rekey_first_lowest(const uint8_t *a1, size_t a1l, const uint8_t *a2, size_t a2l,
                            const uint8_t *b1, size_t b1l, const uint8_t *b2, size_t b2l)
{
	size_t al, bl;
	const uint8_t *a = ike_rekey_nonce_min(a1, a1l, a2, a2l, &al);
	const uint8_t *b = ike_rekey_nonce_min(b1, b1l, b2, b2l, &bl);

	return ike_rekey_nonce_cmp(a, al, b, bl) < 0;
}
