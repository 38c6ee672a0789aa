/*
 * IKEv2 SA payload decoder (RFC 7296 3.3): proposals (3.3.1), each a
 * sub-buffer of its declared length holding its SPI and exactly its
 * declared number of transforms (3.3.2), each a sub-buffer of its own
 * length holding its attributes (3.3.5). The "last substructure" flags
 * must agree with what follows.
 */
#include "iked/ikev2_msg.h"

#include <string.h>

#include "lib/buf.h"

#define PROPOSAL_HDR_LEN  8 /* RFC 7296 3.3.1, SPI and transforms excluded */
#define TRANSFORM_HDR_LEN 8 /* RFC 7296 3.3.2, attributes excluded */
#define LAST_PROPOSAL     0 /* "last substructure" values (3.3.1, 3.3.2) */
#define MORE_PROPOSALS    2
#define LAST_TRANSFORM    0
#define MORE_TRANSFORMS   3

struct sa_dec {
	bool *nonzero_reserved;
	struct ikev2_decode_error *err;
};

static int sa_fail(struct sa_dec *d, uint16_t notify, const char *reason)
{
	d->err->notify = notify;
	d->err->reason = reason;
	return -1;
}

static int sa_syntax(struct sa_dec *d, const char *reason)
{
	return sa_fail(d, IKEV2_N_INVALID_SYNTAX, reason);
}

/*
 * Transform attributes (RFC 7296 3.3.5): one Key Length in TV format is
 * understood; anything else marks the transform unacceptable (3.3.6), but
 * must still be well formed.
 */
static int sa_dec_attributes(struct sa_dec *d, struct buf *a, struct ikev2_transform *t)
{
	while (buf_remaining(a) > 0) {
		uint16_t type, value;

		if (buf_get_be16(a, &type) < 0 || buf_get_be16(a, &value) < 0)
			return sa_syntax(d, "truncated transform attribute");
		if (!(type & IKEV2_ATTR_TV)) { /* TLV: value is the length */
			if (buf_skip(a, value) < 0)
				return sa_syntax(d, "transform attribute runs past its transform");
			t->unknown_attr = true;
		} else if ((type & ~IKEV2_ATTR_TV) == IKEV2_ATTR_KEY_LENGTH && t->key_len == 0 &&
		           value != 0) {
			t->key_len = value;
		} else {
			t->unknown_attr = true;
		}
	}
	return 0;
}

/* One transform (RFC 7296 3.3.2); last: whether it should be the last. */
static int sa_dec_transform(struct sa_dec *d, struct buf *p, bool last, struct ikev2_transform *t)
{
	uint8_t more, reserved1, reserved2;
	uint16_t len;
	struct buf a;

	if (buf_get_u8(p, &more) < 0 || buf_get_u8(p, &reserved1) < 0 ||
	    buf_get_be16(p, &len) < 0 || buf_get_u8(p, &t->type) < 0 ||
	    buf_get_u8(p, &reserved2) < 0 || buf_get_be16(p, &t->id) < 0)
		return sa_syntax(d, "truncated transform");
	if (reserved1 | reserved2)
		*d->nonzero_reserved = true;
	if (more != (last ? LAST_TRANSFORM : MORE_TRANSFORMS))
		return sa_syntax(d, "transform \"last substructure\" does not match the count");
	if (len < TRANSFORM_HDR_LEN || buf_sub(p, &a, len - TRANSFORM_HDR_LEN) < 0)
		return sa_syntax(d, "transform length outside its proposal");
	return sa_dec_attributes(d, &a, t);
}

/* One proposal (RFC 7296 3.3.1), in pr, a sub-buffer of its length. */
static int sa_dec_proposal(struct sa_dec *d, struct buf *pr, struct ikev2_proposal *p)
{
	uint8_t n;
	size_t i;

	if (buf_get_u8(pr, &p->num) < 0 || buf_get_u8(pr, &p->protocol) < 0 ||
	    buf_get_u8(pr, &p->spi_size) < 0 || buf_get_u8(pr, &n) < 0)
		return sa_syntax(d, "truncated proposal");
	if (!ikev2_proposal_spi_ok(p->protocol, p->spi_size))
		return sa_syntax(d, "proposal SPI size does not match its protocol");
	if (buf_get_bytes(pr, p->spi, p->spi_size) < 0)
		return sa_syntax(d, "proposal SPI runs past its proposal");
	if (n == 0)
		return sa_syntax(d, "proposal without transforms");
	if (n > IKEV2_MAX_TRANSFORMS)
		return sa_fail(d, IKEV2_N_NO_PROPOSAL_CHOSEN, "too many transforms");
	for (i = 0; i < n; i++)
		if (sa_dec_transform(d, pr, i + 1 == n, &p->t[i]) < 0)
			return -1;
	p->n_transforms = n;
	if (buf_remaining(pr) > 0)
		return sa_syntax(d, "bytes after the last transform");
	return 0;
}

/*
 * SA payload (RFC 7296 3.3): one or more proposals, numbered from the
 * first one's number up by one (3.3.1: from 1 in a request; a response
 * holds the one chosen).
 */
int ikev2_sa_decode(struct buf *b, struct ikev2_sa_payload *sa, bool *nonzero_reserved,
                    struct ikev2_decode_error *err)
{
	struct sa_dec dec = {.nonzero_reserved = nonzero_reserved, .err = err};
	struct sa_dec *d = &dec;

	memset(sa, 0, sizeof(*sa));

	if (buf_remaining(b) == 0)
		return sa_syntax(d, "SA payload without proposals");
	while (buf_remaining(b) > 0) {
		uint8_t more, reserved;
		uint16_t len;
		struct buf pr;

		if (buf_get_u8(b, &more) < 0 || buf_get_u8(b, &reserved) < 0 ||
		    buf_get_be16(b, &len) < 0)
			return sa_syntax(d, "truncated proposal");
		if (reserved)
			*d->nonzero_reserved = true;
		if (len < PROPOSAL_HDR_LEN || buf_sub(b, &pr, len - 4) < 0)
			return sa_syntax(d, "proposal length outside the SA payload");
		if (more != (buf_remaining(b) ? MORE_PROPOSALS : LAST_PROPOSAL))
			return sa_syntax(d, "proposal \"last substructure\" does not match");
		if (sa->n == IKEV2_MAX_PROPOSALS)
			return sa_fail(d, IKEV2_N_NO_PROPOSAL_CHOSEN, "too many proposals");
		if (sa_dec_proposal(d, &pr, &sa->p[sa->n]) < 0)
			return -1;
		if (sa->n > 0 && sa->p[sa->n].num != sa->p[sa->n - 1].num + 1)
			return sa_syntax(d, "proposal numbers not consecutive");
		if (sa->p[sa->n].num == 0)
			return sa_syntax(d, "proposal number 0");
		sa->n++;
	}
	return 0;
}
