/*
 * The Encrypted and Authenticated (SK) payload, RFC 7296 3.14:
 *
 *   IV | encrypted(inner payloads | padding | pad length) | ICV
 *
 * with AES-CBC + truncated HMAC-SHA2 (RFC 3602, RFC 4868), AES-GCM-16
 * (RFC 5282) or ChaCha20-Poly1305 (RFC 7634), all through EVP_CIPHER.
 */
#define OPENSSL_NO_DEPRECATED /* declare nothing deprecated: a use fails to compile */

#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "iked/ikev2_crypto.h"

#define AEAD_SALT_LEN  4
#define AEAD_NONCE_LEN 12 /* salt | 8-byte IV (RFC 5282 4, RFC 7634 2) */
#define AEAD_TAG_LEN   16

/* Bodies past this are refused, so every length fits EVP's int. */
#define SK_PLAIN_MAX (INT_MAX / 2)

static const char *cipher_name(uint16_t encr, size_t klen)
{
	switch (encr) {
	case IKEV2_C_ENCR_AES_CBC:
		return klen == 16 ? "AES-128-CBC" : klen == 32 ? "AES-256-CBC" : NULL;
	case IKEV2_C_ENCR_AES_GCM_16:
		return klen == 16 ? "AES-128-GCM" : klen == 32 ? "AES-256-GCM" : NULL;
	case IKEV2_C_ENCR_CHACHA20_POLY1305:
		return klen == 32 ? "ChaCha20-Poly1305" : NULL;
	}
	return NULL;
}

static int aead_crypt(bool encrypt, uint16_t encr, const uint8_t *key, size_t klen,
                      const uint8_t *nonce, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, uint8_t *tag, uint8_t *out)
{
	const char *name = ikev2_encr_is_aead(encr) ? cipher_name(encr, klen) : NULL;
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	int outl = 0, finl = 0, rc = -1;

	if (!name || len > SK_PLAIN_MAX || aad_len > SK_PLAIN_MAX)
		return -1;
	cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	ctx = cipher ? EVP_CIPHER_CTX_new() : NULL;
	/* Both ciphers default to a 12-byte nonce. */
	if (!ctx || !EVP_CipherInit_ex2(ctx, cipher, key, nonce, encrypt ? 1 : 0, NULL))
		goto out;
	if (aad_len && !EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aad_len))
		goto out;
	if (!EVP_CipherUpdate(ctx, out, &outl, in, (int)len))
		goto out;
	params[0] =
	    OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, AEAD_TAG_LEN);
	params[1] = OSSL_PARAM_construct_end();
	if (!encrypt && !EVP_CIPHER_CTX_set_params(ctx, params))
		goto out;
	/* Decrypting, the final call is where a wrong tag shows. */
	if (!EVP_CipherFinal_ex(ctx, out + outl, &finl) || (size_t)(outl + finl) != len)
		goto out;
	if (encrypt && !EVP_CIPHER_CTX_get_params(ctx, params))
		goto out;
	rc = 0;
out:
	if (rc < 0 && len)
		OPENSSL_cleanse(out, len);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return rc;
}

int ikev2_aead_encrypt(uint16_t encr, const uint8_t *key, size_t klen, const uint8_t *nonce,
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                       uint8_t *out, uint8_t *tag)
{
	return aead_crypt(true, encr, key, klen, nonce, aad, aad_len, in, len, tag, out);
}

int ikev2_aead_decrypt(uint16_t encr, const uint8_t *key, size_t klen, const uint8_t *nonce,
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                       const uint8_t *tag, uint8_t *out)
{
	uint8_t t[AEAD_TAG_LEN];

	memcpy(t, tag, sizeof(t));
	return aead_crypt(false, encr, key, klen, nonce, aad, aad_len, in, len, t, out);
}

int ikev2_cbc_crypt(bool encrypt, const uint8_t *key, size_t klen, const uint8_t *iv,
                    const uint8_t *in, size_t len, uint8_t *out)
{
	const char *name = cipher_name(IKEV2_C_ENCR_AES_CBC, klen);
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, rc = -1;

	if (!name || len % 16 || len > SK_PLAIN_MAX)
		return -1;
	cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	ctx = cipher ? EVP_CIPHER_CTX_new() : NULL;
	if (!ctx || !EVP_CipherInit_ex2(ctx, cipher, key, iv, encrypt ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto out;
	if (!EVP_CipherUpdate(ctx, out, &outl, in, (int)len) ||
	    !EVP_CipherFinal_ex(ctx, out + outl, &finl) || (size_t)(outl + finl) != len)
		goto out;
	rc = 0;
out:
	if (rc < 0 && len)
		OPENSSL_cleanse(out, len);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return rc;
}

/* The HMAC under an integrity transform is the PRF of the same hash. */
static uint16_t integ_prf(uint16_t integ)
{
	switch (integ) {
	case IKEV2_C_INTEG_HMAC_SHA2_256_128:
		return IKEV2_C_PRF_HMAC_SHA2_256;
	case IKEV2_C_INTEG_HMAC_SHA2_384_192:
		return IKEV2_C_PRF_HMAC_SHA2_384;
	case IKEV2_C_INTEG_HMAC_SHA2_512_256:
		return IKEV2_C_PRF_HMAC_SHA2_512;
	}
	return 0;
}

/* The truncated HMAC (RFC 4868 2.3) over data, icv_len bytes into icv. */
static int integ_icv(const struct ikev2_alg *alg, const struct ikev2_secret *ak,
                     const uint8_t *data, size_t len, uint8_t *icv)
{
	uint8_t full[IKEV2_C_PRF_MAX];
	int rc;

	rc = ikev2_prf(integ_prf(alg->integ), ak->p, ak->len, data, len, full);
	if (rc == 0)
		memcpy(icv, full, ikev2_icv_len(alg));
	OPENSSL_cleanse(full, sizeof(full));
	return rc;
}

/* Keys of the right length for alg; ak only matters without an AEAD. */
static bool sk_keys_ok(const struct ikev2_alg *alg, const struct ikev2_secret *ek,
                       const struct ikev2_secret *ak)
{
	size_t eklen = ikev2_encr_key_len(alg);

	if (eklen == 0 || ikev2_icv_len(alg) == 0 || !ek || ek->len != eklen)
		return false;
	if (ikev2_encr_is_aead(alg->encr))
		return true;
	return ak && ak->len == ikev2_integ_key_len(alg->integ) && integ_prf(alg->integ) != 0;
}

size_t ikev2_sk_body_len(const struct ikev2_alg *alg, size_t plain_len)
{
	size_t bs = ikev2_encr_block_len(alg->encr), enc;

	if (ikev2_encr_key_len(alg) == 0 || ikev2_icv_len(alg) == 0 || plain_len > SK_PLAIN_MAX)
		return 0;
	/* payloads | padding | pad length, a multiple of the block size */
	enc = (plain_len + 1 + bs - 1) / bs * bs;
	return ikev2_encr_iv_len(alg->encr) + enc + ikev2_icv_len(alg);
}

int ikev2_sk_seal(const struct ikev2_alg *alg, const struct ikev2_secret *ek,
                  const struct ikev2_secret *ak, uint64_t *iv_ctr, uint8_t *msg, size_t msg_len,
                  size_t body_off, const uint8_t *plain, size_t plain_len)
{
	size_t body_len = ikev2_sk_body_len(alg, plain_len);
	size_t ivl = ikev2_encr_iv_len(alg->encr), icvl = ikev2_icv_len(alg);
	uint8_t nonce[AEAD_NONCE_LEN];
	uint8_t *iv, *ct;
	size_t enc_len, pad;
	int rc = -1;

	if (!sk_keys_ok(alg, ek, ak) || body_len == 0 || msg_len < body_off ||
	    msg_len - body_off != body_len)
		return -1;
	iv = msg + body_off;
	ct = iv + ivl;
	enc_len = body_len - ivl - icvl;
	pad = enc_len - plain_len - 1;
	/* RFC 7296 3.14: padding may hold any value; we send the minimum, zeros. */
	memmove(ct, plain, plain_len);
	memset(ct + plain_len, 0, pad);
	ct[enc_len - 1] = (uint8_t)pad;

	if (!ikev2_encr_is_aead(alg->encr)) {
		if (ikev2_random(iv, ivl) < 0 ||
		    ikev2_cbc_crypt(true, ek->p, ek->len, iv, ct, enc_len, ct) < 0 ||
		    integ_icv(alg, ak, msg, msg_len - icvl, msg + msg_len - icvl) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	if (iv_ctr) {
		/* A counter IV never repeats under one key (RFC 5282 3.1); stop at wrap. */
		if (*iv_ctr == UINT64_MAX)
			goto out;
		for (int i = 0; i < 8; i++)
			iv[i] = (uint8_t)(*iv_ctr >> (56 - 8 * i));
		(*iv_ctr)++;
	} else if (ikev2_random(iv, ivl) < 0) {
		goto out;
	}
	memcpy(nonce, ek->p + ek->len - AEAD_SALT_LEN, AEAD_SALT_LEN);
	memcpy(nonce + AEAD_SALT_LEN, iv, ivl);
	/* AAD: the IKE header through the SK generic payload header (RFC 5282 5.1). */
	if (ikev2_aead_encrypt(alg->encr, ek->p, ek->len - AEAD_SALT_LEN, nonce, msg, body_off, ct,
	                       enc_len, ct, ct + enc_len) < 0)
		goto out;
	rc = 0;
out:
	/* Never leave the plaintext we copied in behind. */
	if (rc < 0)
		OPENSSL_cleanse(msg + body_off, body_len);
	OPENSSL_cleanse(nonce, sizeof(nonce));
	return rc;
}

int ikev2_sk_open(const struct ikev2_alg *alg, const struct ikev2_secret *ek,
                  const struct ikev2_secret *ak, const uint8_t *msg, size_t msg_len,
                  size_t body_off, uint8_t *plain, size_t cap, size_t *plain_len)
{
	size_t ivl = ikev2_encr_iv_len(alg->encr), icvl = ikev2_icv_len(alg);
	size_t bs = ikev2_encr_block_len(alg->encr);
	uint8_t icv[IKEV2_C_PRF_MAX], nonce[AEAD_NONCE_LEN];
	const uint8_t *iv, *ct;
	size_t enc_len = 0, pad;
	int rc = -1;

	*plain_len = 0;
	if (!sk_keys_ok(alg, ek, ak) || msg_len < body_off || msg_len - body_off < ivl + 1 + icvl ||
	    msg_len - body_off > SK_PLAIN_MAX)
		return -1;
	iv = msg + body_off;
	ct = iv + ivl;
	enc_len = msg_len - body_off - ivl - icvl;
	if (enc_len % bs || cap < enc_len)
		return -1;

	if (!ikev2_encr_is_aead(alg->encr)) {
		/* The ICV first (3.14), and in constant time. */
		if (integ_icv(alg, ak, msg, msg_len - icvl, icv) < 0 ||
		    CRYPTO_memcmp(icv, msg + msg_len - icvl, icvl) != 0)
			goto out;
		if (ikev2_cbc_crypt(false, ek->p, ek->len, iv, ct, enc_len, plain) < 0)
			goto out;
	} else {
		memcpy(nonce, ek->p + ek->len - AEAD_SALT_LEN, AEAD_SALT_LEN);
		memcpy(nonce + AEAD_SALT_LEN, iv, ivl);
		if (ikev2_aead_decrypt(alg->encr, ek->p, ek->len - AEAD_SALT_LEN, nonce, msg,
		                       body_off, ct, enc_len, ct + enc_len, plain) < 0)
			goto out;
	}
	/* The pad length byte must leave room for itself and the padding. */
	pad = plain[enc_len - 1];
	if (pad + 1 > enc_len)
		goto out;
	*plain_len = enc_len - 1 - pad;
	rc = 0;
out:
	if (rc < 0)
		OPENSSL_cleanse(plain, enc_len);
	OPENSSL_cleanse(icv, sizeof(icv));
	OPENSSL_cleanse(nonce, sizeof(nonce));
	return rc;
}
