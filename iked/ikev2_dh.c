/*
 * Diffie-Hellman for IKEv2 (RFC 7296 2.10) over EVP_PKEY: MODP-2048
 * (RFC 3526 group 14), ECP-256 and ECP-384 (RFC 5903) and Curve25519
 * (RFC 8031), with the peer value checks of RFC 6989.
 */
#define OPENSSL_NO_DEPRECATED /* declare nothing deprecated: a use fails to compile */

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "iked/ikev2_crypto.h"

enum dh_kind { DH_MODP, DH_ECP, DH_X25519 };

struct dh_group {
	uint16_t id;
	enum dh_kind kind;
	const char *name; /* OpenSSL group name (MODP, ECP) */
	int nid;          /* ECP curve, for the test-only constructor */
	size_t pub_len;   /* wire form of the public value */
	size_t shared_len;
};

static const struct dh_group dh_groups[] = {
    {IKEV2_C_DH_MODP_2048, DH_MODP, "modp_2048", NID_undef, 256, 256},
    {IKEV2_C_DH_ECP_256, DH_ECP, "P-256", NID_X9_62_prime256v1, 64, 32},
    {IKEV2_C_DH_ECP_384, DH_ECP, "P-384", NID_secp384r1, 96, 48},
    {IKEV2_C_DH_CURVE25519, DH_X25519, NULL, NID_undef, 32, 32},
};

struct ikev2_dh {
	const struct dh_group *g;
	EVP_PKEY *key;
};

static const struct dh_group *dh_group_find(uint16_t id)
{
	for (size_t i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		if (dh_groups[i].id == id)
			return &dh_groups[i];
	return NULL;
}

bool ikev2_dh_supported(uint16_t group)
{
	return dh_group_find(group) != NULL;
}

/* ikev2_dh_public_len() is defined once, in ikev2_msg.c (the codec checks
 * KE lengths with it); both headers declare it. */

size_t ikev2_dh_shared_len(uint16_t group)
{
	const struct dh_group *g = dh_group_find(group);

	return g ? g->shared_len : 0;
}

uint16_t ikev2_dh_group(const struct ikev2_dh *dh)
{
	return dh->g->id;
}

static const char *dh_keytype(const struct dh_group *g)
{
	switch (g->kind) {
	case DH_MODP:
		return "DH";
	case DH_ECP:
		return "EC";
	case DH_X25519:
		break;
	}
	return "X25519";
}

static struct ikev2_dh *dh_wrap(const struct dh_group *g, EVP_PKEY *key)
{
	struct ikev2_dh *dh;

	if (!key)
		return NULL;
	dh = calloc(1, sizeof(*dh));
	if (!dh) {
		EVP_PKEY_free(key);
		return NULL;
	}
	dh->g = g;
	dh->key = key;
	return dh;
}

struct ikev2_dh *ikev2_dh_new(uint16_t group)
{
	const struct dh_group *g = dh_group_find(group);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	OSSL_PARAM params[2] = {OSSL_PARAM_END, OSSL_PARAM_END};

	if (!g)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, dh_keytype(g), NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0)
		goto out;
	if (g->name) {
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
		                                             (char *)g->name, 0);
		if (EVP_PKEY_CTX_set_params(ctx, params) <= 0)
			goto out;
	}
	if (EVP_PKEY_generate(ctx, &key) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	return dh_wrap(g, key);
}

/*
 * An EVP_PKEY from group parameters plus, each optional, a private key (BN)
 * and a public key (BN for MODP, an encoded point for ECP).
 */
static EVP_PKEY *dh_fromdata(const struct dh_group *g, const BIGNUM *priv, const BIGNUM *pub_bn,
                             const uint8_t *pub_oct, size_t pub_oct_len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	int selection = priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;

	if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0))
		goto out;
	if (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
		goto out;
	if (pub_bn && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_bn))
		goto out;
	if (pub_oct &&
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_oct, pub_oct_len))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, dh_keytype(g), NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	/*
	 * A private key is a BN_secure_new BIGNUM, so the builder put it in the
	 * secure part of params, which OSSL_PARAM_free wipes.
	 */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

/* Tests only: g^x mod p for MODP, x*G for ECP, then the key pair. */
struct ikev2_dh *ikev2_dh_new_private(uint16_t group, const uint8_t *priv, size_t priv_len)
{
	const struct dh_group *g = dh_group_find(group);
	BIGNUM *x = NULL, *p = NULL, *gen = NULL, *pub = NULL;
	BN_CTX *bnctx = NULL;
	EC_GROUP *ecg = NULL;
	EC_POINT *pt = NULL;
	EVP_PKEY *key = NULL, *params = NULL;
	uint8_t oct[1 + IKEV2_C_DH_PUBLIC_MAX];
	size_t oct_len;

	if (!g || !priv || priv_len == 0)
		return NULL;
	if (g->kind == DH_X25519) {
		if (priv_len == 32)
			key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, priv_len);
		return dh_wrap(g, key);
	}
	if ((g->kind == DH_ECP && priv_len != g->shared_len) || priv_len > g->pub_len)
		return NULL;
	x = BN_secure_new();
	bnctx = BN_CTX_secure_new();
	if (!x || !bnctx || !BN_bin2bn(priv, (int)priv_len, x))
		goto out;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (g->kind == DH_MODP) {
		/* A private-only key carries p and g; the public value is ours to make. */
		params = dh_fromdata(g, x, NULL, NULL, 0);
		pub = BN_new();
		if (!params || !pub || !EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &p) ||
		    !EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_G, &gen) ||
		    !BN_mod_exp(pub, gen, x, p, bnctx))
			goto out;
		key = dh_fromdata(g, x, pub, NULL, 0);
	} else {
		ecg = EC_GROUP_new_by_curve_name(g->nid);
		pt = ecg ? EC_POINT_new(ecg) : NULL;
		if (!pt || !EC_POINT_mul(ecg, pt, x, NULL, NULL, bnctx))
			goto out;
		oct_len = EC_POINT_point2oct(ecg, pt, POINT_CONVERSION_UNCOMPRESSED, oct,
		                             sizeof(oct), bnctx);
		if (oct_len != 1 + g->pub_len)
			goto out;
		key = dh_fromdata(g, x, NULL, oct, oct_len);
	}
out:
	EVP_PKEY_free(params);
	EC_POINT_free(pt);
	EC_GROUP_free(ecg);
	BN_clear_free(x);
	BN_free(p);
	BN_free(gen);
	BN_free(pub);
	BN_CTX_free(bnctx);
	return dh_wrap(g, key);
}

void ikev2_dh_free(struct ikev2_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

int ikev2_dh_public(const struct ikev2_dh *dh, uint8_t *out, size_t len)
{
	uint8_t oct[1 + IKEV2_C_DH_PUBLIC_MAX];
	size_t got = 0;
	BIGNUM *pub = NULL;
	int rc = -1;

	if (len != dh->g->pub_len)
		return -1;
	switch (dh->g->kind) {
	case DH_MODP:
		if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &pub) &&
		    BN_bn2binpad(pub, out, (int)len) == (int)len)
			rc = 0;
		break;
	case DH_ECP:
		/* Uncompressed 0x04 | x | y; the KE payload drops the 0x04 (RFC 5903 7). */
		if (EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
		                                    oct, sizeof(oct), &got) &&
		    got == 1 + len && oct[0] == POINT_CONVERSION_UNCOMPRESSED) {
			memcpy(out, oct + 1, len);
			rc = 0;
		}
		break;
	case DH_X25519:
		got = len;
		if (EVP_PKEY_get_raw_public_key(dh->key, out, &got) == 1 && got == len)
			rc = 0;
		break;
	}
	BN_free(pub);
	return rc;
}

/* RFC 6989 2.1: for the safe-prime MODP groups, 1 < y < p - 1 is the check. */
static EVP_PKEY *dh_peer_modp(const struct ikev2_dh *dh, const uint8_t *peer, size_t len)
{
	BIGNUM *y = BN_bin2bn(peer, (int)len, NULL);
	BIGNUM *p = NULL;
	EVP_PKEY *key = NULL;

	if (!y || !EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_FFC_P, &p) || !BN_sub_word(p, 1))
		goto out;
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, p) >= 0)
		goto out;
	key = dh_fromdata(dh->g, NULL, y, NULL, 0);
out:
	BN_free(y);
	BN_free(p);
	return key;
}

/*
 * RFC 6989 2.3: the point must be on the curve (the cofactor is 1 for both
 * curves, so that suffices). fromdata decodes the point and rejects one off
 * the curve; public_check_quick checks again, and rejects infinity.
 */
static EVP_PKEY *dh_peer_ecp(const struct ikev2_dh *dh, const uint8_t *peer, size_t len)
{
	uint8_t oct[1 + IKEV2_C_DH_PUBLIC_MAX];
	EVP_PKEY *key;
	EVP_PKEY_CTX *ctx = NULL;

	oct[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(oct + 1, peer, len);
	key = dh_fromdata(dh->g, NULL, NULL, oct, 1 + len);
	if (key) {
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
		if (!ctx || EVP_PKEY_public_check_quick(ctx) != 1) {
			EVP_PKEY_free(key);
			key = NULL;
		}
	}
	EVP_PKEY_CTX_free(ctx);
	return key;
}

int ikev2_dh_derive(struct ikev2_dh *dh, const uint8_t *peer, size_t peer_len,
                    struct ikev2_secret *shared)
{
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = 0;
	uint8_t acc = 0;
	int rc = -1;

	if (!peer || peer_len != dh->g->pub_len || shared->p)
		return -1;
	switch (dh->g->kind) {
	case DH_MODP:
		pk = dh_peer_modp(dh, peer, peer_len);
		break;
	case DH_ECP:
		pk = dh_peer_ecp(dh, peer, peer_len);
		break;
	case DH_X25519:
		pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, peer_len);
		break;
	}
	if (!pk)
		goto out;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	/* g^ir is padded to the length of p (RFC 7296 2.14 via RFC 4306 2.14). */
	if (dh->g->kind == DH_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer(ctx, pk) <= 0 || EVP_PKEY_derive(ctx, NULL, &len) <= 0 ||
	    len != dh->g->shared_len || ikev2_secret_alloc(shared, len) < 0)
		goto out;
	if (EVP_PKEY_derive(ctx, shared->p, &len) <= 0 || len != dh->g->shared_len)
		goto out;
	/* RFC 8031 2.1: an all-zero X25519 result means a low-order point. */
	if (dh->g->kind == DH_X25519) {
		for (size_t i = 0; i < len; i++)
			acc |= shared->p[i];
		if (acc == 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		ikev2_secret_free(shared);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}
