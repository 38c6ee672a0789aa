/*
 * IKEv2 key derivation: the IKE SA keys (RFC 7296 2.14), their rekeyed
 * successors (2.18) and child SA KEYMAT (2.17).
 */
#define OPENSSL_NO_DEPRECATED /* declare nothing deprecated: a use fails to compile */

#include <string.h>

#include <openssl/crypto.h>

#include "iked/ikev2_crypto.h"

/* a | b | c | d into a fresh secret (the seeds may hold g^ir). */
static int cat4(struct ikev2_secret *s, const uint8_t *a, size_t alen, const uint8_t *b,
                size_t blen, const uint8_t *c, size_t clen, const uint8_t *d, size_t dlen)
{
	if (ikev2_secret_alloc(s, alen + blen + clen + dlen) < 0)
		return -1;
	if (alen)
		memcpy(s->p, a, alen);
	if (blen)
		memcpy(s->p + alen, b, blen);
	if (clen)
		memcpy(s->p + alen + blen, c, clen);
	if (dlen)
		memcpy(s->p + alen + blen + clen, d, dlen);
	return 0;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)                    (2.14)
 */
static int keys_from_skeyseed(const struct ikev2_alg *alg, const uint8_t *skeyseed, size_t sklen,
                              const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
                              uint64_t spi_i, uint64_t spi_r, struct ikev2_ike_keys *out)
{
	size_t pl = ikev2_prf_len(alg->prf);
	size_t il = ikev2_encr_is_aead(alg->encr) ? 0 : ikev2_integ_key_len(alg->integ);
	size_t el = ikev2_encr_key_len(alg);
	struct ikev2_secret *slot[7] = {&out->sk_d,  &out->sk_ai, &out->sk_ar, &out->sk_ei,
	                                &out->sk_er, &out->sk_pi, &out->sk_pr};
	size_t len[7] = {pl, il, il, el, el, pl, pl};
	struct ikev2_secret seed = {NULL, 0}, keymat = {NULL, 0};
	uint8_t spis[16];
	size_t off = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	put_be64(spis, spi_i);
	put_be64(spis + 8, spi_r);
	if (cat4(&seed, ni, ni_len, nr, nr_len, spis, sizeof(spis), NULL, 0) < 0 ||
	    ikev2_secret_alloc(&keymat, 3 * pl + 2 * il + 2 * el) < 0 ||
	    ikev2_prf_plus(alg->prf, skeyseed, sklen, seed.p, seed.len, keymat.p, keymat.len) < 0)
		goto out;
	for (int i = 0; i < 7; i++) {
		if (ikev2_secret_set(slot[i], keymat.p + off, len[i]) < 0)
			goto out;
		off += len[i];
	}
	rc = 0;
out:
	if (rc < 0)
		ikev2_ike_keys_free(out);
	ikev2_secret_free(&seed);
	ikev2_secret_free(&keymat);
	return rc;
}

int ikev2_derive_ike_keys(const struct ikev2_alg *alg, const uint8_t *ni, size_t ni_len,
                          const uint8_t *nr, size_t nr_len, const struct ikev2_secret *g_ir,
                          uint64_t spi_i, uint64_t spi_r, struct ikev2_ike_keys *out)
{
	struct ikev2_secret nonces = {NULL, 0};
	uint8_t skeyseed[IKEV2_C_PRF_MAX];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!ikev2_alg_ike_valid(alg) || ni_len == 0 || nr_len == 0 || g_ir->len == 0)
		return -1;
	/* SKEYSEED = prf(Ni | Nr, g^ir) */
	if (cat4(&nonces, ni, ni_len, nr, nr_len, NULL, 0, NULL, 0) < 0 ||
	    ikev2_prf(alg->prf, nonces.p, nonces.len, g_ir->p, g_ir->len, skeyseed) < 0)
		goto out;
	rc = keys_from_skeyseed(alg, skeyseed, ikev2_prf_len(alg->prf), ni, ni_len, nr, nr_len,
	                        spi_i, spi_r, out);
out:
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	ikev2_secret_free(&nonces);
	return rc;
}

int ikev2_derive_ike_keys_rekey(const struct ikev2_alg *alg_new, uint16_t old_prf,
                                const struct ikev2_secret *old_sk_d,
                                const struct ikev2_secret *g_ir_new, const uint8_t *ni,
                                size_t ni_len, const uint8_t *nr, size_t nr_len, uint64_t spi_i,
                                uint64_t spi_r, struct ikev2_ike_keys *out)
{
	struct ikev2_secret data = {NULL, 0};
	uint8_t skeyseed[IKEV2_C_PRF_MAX];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!ikev2_alg_ike_valid(alg_new) || ikev2_prf_len(old_prf) == 0 || ni_len == 0 ||
	    nr_len == 0 || g_ir_new->len == 0 || old_sk_d->len == 0)
		return -1;
	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF */
	if (cat4(&data, g_ir_new->p, g_ir_new->len, ni, ni_len, nr, nr_len, NULL, 0) < 0 ||
	    ikev2_prf(old_prf, old_sk_d->p, old_sk_d->len, data.p, data.len, skeyseed) < 0)
		goto out;
	rc = keys_from_skeyseed(alg_new, skeyseed, ikev2_prf_len(old_prf), ni, ni_len, nr, nr_len,
	                        spi_i, spi_r, out);
out:
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	ikev2_secret_free(&data);
	return rc;
}

int ikev2_derive_child_keys(uint16_t prf, const struct ikev2_secret *sk_d,
                            const struct ikev2_secret *g_ir_or_null, const uint8_t *ni,
                            size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
                            size_t outlen)
{
	struct ikev2_secret seed = {NULL, 0};
	int rc = -1;

	if (ikev2_prf_len(prf) == 0 || sk_d->len == 0 || ni_len == 0 || nr_len == 0)
		return -1;
	/* KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) with PFS */
	if (cat4(&seed, g_ir_or_null ? g_ir_or_null->p : NULL, g_ir_or_null ? g_ir_or_null->len : 0,
	         ni, ni_len, nr, nr_len, NULL, 0) < 0 ||
	    ikev2_prf_plus(prf, sk_d->p, sk_d->len, seed.p, seed.len, out, outlen) < 0)
		goto out;
	rc = 0;
out:
	ikev2_secret_free(&seed);
	return rc;
}

void ikev2_ike_keys_free(struct ikev2_ike_keys *keys)
{
	ikev2_secret_free(&keys->sk_d);
	ikev2_secret_free(&keys->sk_ai);
	ikev2_secret_free(&keys->sk_ar);
	ikev2_secret_free(&keys->sk_ei);
	ikev2_secret_free(&keys->sk_er);
	ikev2_secret_free(&keys->sk_pi);
	ikev2_secret_free(&keys->sk_pr);
}
