/*
 * IKEv2 crypto basics: secret buffers, randomness, the PRF and prf+
 * (RFC 7296 2.13), shared-key AUTH (2.15) and the NAT detection hash (2.23).
 * HMAC goes through EVP_MAC, SHA-1 through EVP_Digest.
 */
#define OPENSSL_NO_DEPRECATED /* declare nothing deprecated: a use fails to compile */

#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "iked/ikev2_crypto.h"
#include "lib/addr.h"

/* ------------------------------------------------------------------ */
/* Secrets */

int ikev2_secret_alloc(struct ikev2_secret *s, size_t len)
{
	s->p = NULL;
	s->len = 0;
	if (len == 0)
		return 0;
	s->p = OPENSSL_secure_zalloc(len);
	if (!s->p)
		return -1;
	s->len = len;
	return 0;
}

int ikev2_secret_set(struct ikev2_secret *s, const uint8_t *p, size_t len)
{
	if (ikev2_secret_alloc(s, len) < 0)
		return -1;
	if (len)
		memcpy(s->p, p, len);
	return 0;
}

void ikev2_secret_free(struct ikev2_secret *s)
{
	if (s->p)
		OPENSSL_secure_clear_free(s->p, s->len);
	s->p = NULL;
	s->len = 0;
}

/* ------------------------------------------------------------------ */
/* Randomness */

int ikev2_random(uint8_t *out, size_t len)
{
	if (len > INT_MAX)
		return -1;
	return RAND_bytes(out, (int)len) == 1 ? 0 : -1;
}

int ikev2_spi_random(uint64_t *spi)
{
	uint8_t b[8];

	do {
		if (ikev2_random(b, sizeof(b)) < 0)
			return -1;
		*spi = 0;
		for (size_t i = 0; i < sizeof(b); i++)
			*spi = *spi << 8 | b[i];
	} while (*spi == 0);
	return 0;
}

int ikev2_esp_spi_random(uint32_t *spi)
{
	uint8_t b[4];

	do {
		if (ikev2_random(b, sizeof(b)) < 0)
			return -1;
		*spi = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	} while (*spi < 256);
	return 0;
}

/* ------------------------------------------------------------------ */
/* PRF */

struct iov {
	const uint8_t *p;
	size_t len;
};

static const char *prf_digest(uint16_t prf)
{
	switch (prf) {
	case IKEV2_C_PRF_HMAC_SHA2_256:
		return "SHA256";
	case IKEV2_C_PRF_HMAC_SHA2_384:
		return "SHA384";
	case IKEV2_C_PRF_HMAC_SHA2_512:
		return "SHA512";
	}
	return NULL;
}

size_t ikev2_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKEV2_C_PRF_HMAC_SHA2_256:
		return 32;
	case IKEV2_C_PRF_HMAC_SHA2_384:
		return 48;
	case IKEV2_C_PRF_HMAC_SHA2_512:
		return 64;
	}
	return 0;
}

/* HMAC(key, iov[0] | iov[1] | ...) into out (ikev2_prf_len bytes). */
static int prf_iov(uint16_t prf, const uint8_t *key, size_t klen, const struct iov *iov, size_t n,
                   uint8_t *out)
{
	const char *md = prf_digest(prf);
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t outl = 0;
	int rc = -1;

	if (!md)
		return -1;
	mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* A NULL key would mean "keep the previous key": pass "" for an empty one. */
	if (!EVP_MAC_init(ctx, klen ? key : (const uint8_t *)"", klen, params))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (iov[i].len && !EVP_MAC_update(ctx, iov[i].p, iov[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outl, ikev2_prf_len(prf)) || outl != ikev2_prf_len(prf))
		goto out;
	rc = 0;
out:
	/* The context holds the keyed HMAC state; EVP_MAC_CTX_free wipes it. */
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int ikev2_prf(uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *data, size_t dlen,
              uint8_t *out)
{
	struct iov iov = {data, dlen};

	return prf_iov(prf, key, klen, &iov, 1, out);
}

/*
 * prf+ is HKDF-Expand (RFC 5869 2.3) under another name; it is written out
 * here because OpenSSL's HKDF caps the info (our seed, which holds g^ir and
 * both nonces for a child SA with PFS) at 1024 bytes.
 */
int ikev2_prf_plus(uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *seed, size_t slen,
                   uint8_t *out, size_t outlen)
{
	size_t hlen = ikev2_prf_len(prf);
	uint8_t t[IKEV2_C_PRF_MAX];
	uint8_t ctr;
	struct iov iov[3];
	size_t done = 0, n;
	int rc = -1;

	if (hlen == 0 || outlen > 255 * hlen)
		return -1;
	for (unsigned i = 1; done < outlen; i++) {
		ctr = (uint8_t)i;
		/* T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n) */
		iov[0] = (struct iov){t, i == 1 ? 0 : hlen};
		iov[1] = (struct iov){seed, slen};
		iov[2] = (struct iov){&ctr, 1};
		if (prf_iov(prf, key, klen, iov, 3, t) < 0)
			goto out;
		n = outlen - done < hlen ? outlen - done : hlen;
		memcpy(out + done, t, n);
		done += n;
	}
	rc = 0;
out:
	OPENSSL_cleanse(t, sizeof(t));
	if (rc < 0)
		OPENSSL_cleanse(out, outlen);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Authentication */

int ikev2_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len, const uint8_t *msg,
                   size_t msg_len, const uint8_t *peer_nonce, size_t pn_len,
                   const struct ikev2_secret *sk_p, const uint8_t *id_body, size_t id_body_len,
                   uint8_t *out, size_t *out_len)
{
	static const char keypad[] = "Key Pad for IKEv2"; /* 17 bytes, no NUL (2.15) */
	size_t hlen = ikev2_prf_len(prf);
	uint8_t padkey[IKEV2_C_PRF_MAX];
	uint8_t maced_id[IKEV2_C_PRF_MAX];
	struct iov iov[3];
	int rc = -1;

	*out_len = 0;
	if (hlen == 0 || psk_len == 0)
		return -1;
	/* MACedIDFor[IR] = prf(SK_p[ir], RestOf[IR]IDPayload) */
	if (ikev2_prf(prf, sk_p->p, sk_p->len, id_body, id_body_len, maced_id) < 0)
		goto out;
	if (ikev2_prf(prf, psk, psk_len, (const uint8_t *)keypad, sizeof(keypad) - 1, padkey) < 0)
		goto out;
	/* AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>) */
	iov[0] = (struct iov){msg, msg_len};
	iov[1] = (struct iov){peer_nonce, pn_len};
	iov[2] = (struct iov){maced_id, hlen};
	if (prf_iov(prf, padkey, hlen, iov, 3, out) < 0)
		goto out;
	*out_len = hlen;
	rc = 0;
out:
	OPENSSL_cleanse(padkey, sizeof(padkey));
	OPENSSL_cleanse(maced_id, sizeof(maced_id));
	return rc;
}

bool ikev2_auth_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	return a_len == b_len && CRYPTO_memcmp(a, b, a_len) == 0;
}

/* ------------------------------------------------------------------ */
/* NAT detection */

int ikev2_nat_hash(uint64_t spi_i, uint64_t spi_r, const struct ipaddr *ip, uint16_t port,
                   uint8_t out[IKEV2_C_NAT_HASH_LEN])
{
	uint8_t spis[16], pb[2];
	size_t ip_len = ipaddr_len(ip);
	EVP_MD_CTX *ctx = NULL;
	unsigned int outl = 0;
	int rc = -1;

	if (ip_len != 4 && ip_len != 16)
		return -1;
	for (int i = 0; i < 8; i++) {
		spis[i] = (uint8_t)(spi_i >> (56 - 8 * i));
		spis[8 + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	pb[0] = (uint8_t)(port >> 8);
	pb[1] = (uint8_t)port;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, spis, sizeof(spis)) ||
	    !EVP_DigestUpdate(ctx, ip->u.bytes, ip_len) || !EVP_DigestUpdate(ctx, pb, 2) ||
	    !EVP_DigestFinal_ex(ctx, out, &outl) || outl != IKEV2_C_NAT_HASH_LEN)
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}
