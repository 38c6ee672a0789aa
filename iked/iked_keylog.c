/*
 * For tests only (iked -K FILE, off by default, warned about when on): the
 * IKE and ESP keys of every SA, written as the lines of tshark's
 * ikev2_decryption_table and esp_sa UAT tables, so that tests can decrypt
 * our traffic with an independent implementation. Nothing else ever
 * writes a key anywhere.
 */
#include <stdio.h>

#include "iked/iked.h"

static void iked_keylog_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* tshark's names for the algorithms (its UAT choices). */
static const char *iked_keylog_encr(const struct ikev2_alg *a)
{
	if (a->encr == IKEV2_ENCR_AES_GCM_16)
		return a->encr_bits == 128 ? "AES-GCM-128 with 16 octet ICV [RFC5282]"
		                           : "AES-GCM-256 with 16 octet ICV [RFC5282]";
	if (a->encr == IKEV2_ENCR_AES_CBC)
		return a->encr_bits == 128 ? "AES-CBC-128 [RFC3602]" : "AES-CBC-256 [RFC3602]";
	return "NONE [RFC4306]";
}

static const char *iked_keylog_integ(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		return "HMAC_SHA2_256_128 [RFC4868]";
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return "HMAC_SHA2_384_192 [RFC4868]";
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return "HMAC_SHA2_512_256 [RFC4868]";
	default:
		return "NONE [RFC4306]";
	}
}

void iked_keylog_ike(struct ike_sa *sa)
{
	FILE *f = sa->d->keylog;
	const struct ikev2_ike_keys *k = &sa->keys;

	if (!f)
		return;
	/* ikev2_decryption_table: ispi,rspi,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ" */
	fprintf(f, "%016llx,%016llx,", (unsigned long long)sa->ispi, (unsigned long long)sa->rspi);
	iked_keylog_hex(f, k->sk_ei.p, k->sk_ei.len);
	fputc(',', f);
	iked_keylog_hex(f, k->sk_er.p, k->sk_er.len);
	fprintf(f, ",\"%s\",", iked_keylog_encr(&sa->prop.alg));
	iked_keylog_hex(f, k->sk_ai.p, k->sk_ai.len);
	fputc(',', f);
	iked_keylog_hex(f, k->sk_ar.p, k->sk_ar.len);
	fprintf(f, ",\"%s\"\n", iked_keylog_integ(sa->prop.alg.integ));
	fflush(f);
}

void iked_keylog_child(struct ike_sa *sa)
{
	FILE *f = sa->d->keylog;
	const struct child_sa *c = &sa->child;
	size_t ek = ikev2_encr_key_len(&c->alg), ak = ikev2_integ_key_len(c->alg.integ);
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	if (!f || c->keymat.len < 2 * (ek + ak))
		return;
	/* KEYMAT: initiator->responder encr | integ, then the other way
	 * (RFC 7296 2.17). One comment line per direction: SPI, keys. */
	for (int dir = 0; dir < 2; dir++) {
		bool from_i = dir == 0;
		const uint8_t *base = c->keymat.p + (from_i ? 0 : ek + ak);
		bool ours = from_i == c->we_initiated; /* we send with it */

		fprintf(f, "# esp %s %s -> %s spi 0x%08x encr ",
		        ike_encr_name(&c->alg, (char[32]){0}, 32),
		        ipaddr_format(ours ? &sa->local : &sa->remote, a),
		        ipaddr_format(ours ? &sa->remote : &sa->local, b),
		        ours ? c->spi_out : c->spi_in);
		iked_keylog_hex(f, base, ek);
		fprintf(f, " integ ");
		iked_keylog_hex(f, base + ek, ak);
		fputc('\n', f);
	}
	fflush(f);
}
