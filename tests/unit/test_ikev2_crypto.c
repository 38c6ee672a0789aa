/*
 * The IKEv2 crypto layer against published vectors (RFC 4231, RFC 5903,
 * RFC 7748, the GCM specification, RFC 3602, RFC 8439), and, where nothing
 * is published (prf+, RFC 7296 key derivation, PSK AUTH, NAT hashes),
 * against values computed independently in Python with its hmac and
 * hashlib modules; each such block shows the Python that produced it.
 *
 * Python inputs shared by those blocks:
 *   ni   = bytes((0x10 + i) & 0xff for i in range(32))
 *   nr   = bytes((0xa0 + i) & 0xff for i in range(32))
 *   spis = struct.pack('>QQ', 0x0123456789abcdef, 0xfedcba9876543210)
 *   prf(h, k, d) = hmac.new(k, d, h).digest()
 *   prfplus(h, k, s, n): t = b''; out = b''; i = 1
 *                        while len(out) < n: t = prf(h, k, t + s + bytes([i]));
 *                                            out += t; i += 1
 *                        return out[:n]
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "iked/ikev2_crypto.h"
#include "lib/addr.h"

/* Decode a hex string (whitespace-free) into out; fails the test if it does not fit. */
static size_t unhex(uint8_t *out, size_t cap, const char *s)
{
	size_t n = strlen(s) / 2;

	assert_int_equal(strlen(s) % 2, 0);
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}
#define UNHEX(buf, s) unhex((buf), sizeof(buf), (s))

static void ramp(uint8_t *p, size_t n, uint8_t start)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

/* ------------------------------------------------------------------ */
/* Secrets and randomness */

static void test_secret(void **state)
{
	struct ikev2_secret s = {NULL, 0};
	const uint8_t k[3] = {1, 2, 3};

	(void)state;
	assert_int_equal(ikev2_secret_alloc(&s, 0), 0);
	assert_null(s.p);
	assert_int_equal(s.len, 0);
	ikev2_secret_free(&s);
	assert_int_equal(ikev2_secret_alloc(&s, 40), 0);
	assert_non_null(s.p);
	assert_int_equal(s.len, 40);
	for (size_t i = 0; i < s.len; i++)
		assert_int_equal(s.p[i], 0);
	ikev2_secret_free(&s);
	assert_null(s.p);
	assert_int_equal(s.len, 0);
	assert_int_equal(ikev2_secret_set(&s, k, sizeof(k)), 0);
	assert_memory_equal(s.p, k, sizeof(k));
	ikev2_secret_free(&s);
	ikev2_secret_free(&s); /* twice is harmless */
}

static void test_random(void **state)
{
	uint64_t a = 0, b = 0;
	uint32_t e;
	uint8_t r1[32] = {0}, r2[32] = {0};

	(void)state;
	assert_int_equal(ikev2_random(r1, sizeof(r1)), 0);
	assert_int_equal(ikev2_random(r2, sizeof(r2)), 0);
	assert_memory_not_equal(r1, r2, sizeof(r1));
	assert_int_equal(ikev2_spi_random(&a), 0);
	assert_int_equal(ikev2_spi_random(&b), 0);
	assert_true(a != 0 && b != 0 && a != b);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(ikev2_esp_spi_random(&e), 0);
		assert_true(e >= 256);
	}
}

/* ------------------------------------------------------------------ */
/* PRF */

/* RFC 4231 section 4 test cases 1, 2 and 6 (RFC 4868 2.7.1 reuses them). */
static void test_prf_rfc4231(void **state)
{
	static const struct {
		const char *key, *data;
		const char *mac[3]; /* HMAC-SHA-256, -384, -512 */
	} tc[] = {
	    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	     "4869205468657265", /* "Hi There" */
	     {"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	      "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	      "faea9ea9076ede7f4af152e8b2fa9cb6",
	      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	      "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"}},
	    {"4a656665", /* "Jefe", "what do ya want for nothing?" */
	     "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	     {"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	      "8e2240ca5e69e2c78b3239ecfab21649",
	      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	      "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"}},
	    {NULL, /* 131 bytes of 0xaa, a key longer than the block */
	     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
	     "65204b6579202d2048617368204b6579204669727374",
	     {"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	      "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	      "0c2ef6ab4030fe8296248df163f44952",
	      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	      "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"}},
	};
	static const uint16_t prfs[3] = {IKEV2_C_PRF_HMAC_SHA2_256, IKEV2_C_PRF_HMAC_SHA2_384,
	                                 IKEV2_C_PRF_HMAC_SHA2_512};
	uint8_t key[131], data[64], want[64], out[64];
	size_t klen, dlen;

	(void)state;
	for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		if (tc[i].key) {
			klen = UNHEX(key, tc[i].key);
		} else {
			memset(key, 0xaa, 131);
			klen = 131;
		}
		dlen = UNHEX(data, tc[i].data);
		for (int j = 0; j < 3; j++) {
			size_t mlen = UNHEX(want, tc[i].mac[j]);

			assert_int_equal(ikev2_prf_len(prfs[j]), mlen);
			assert_int_equal(ikev2_prf(prfs[j], key, klen, data, dlen, out), 0);
			assert_memory_equal(out, want, mlen);
		}
	}
	assert_int_equal(ikev2_prf_len(2), 0); /* PRF_HMAC_SHA1: not offered */
	assert_int_equal(ikev2_prf(2, key, 16, data, 4, out), -1);
}

/*
 * prf+ against Python: K32 = bytes(range(32)), K48 = bytes(range(0x40, 0x70)),
 * K64 = bytes(range(0x80, 0xc0)), S = b"prf+ seed: Ni | Nr | SPIi | SPIr";
 * prfplus('sha256', K32, S, 100), prfplus('sha384', K48, S, 100),
 * prfplus('sha512', K64, S, 130): every output spans three blocks, ending in
 * a partial one.
 */
static void test_prf_plus(void **state)
{
	static const char seed[] = "prf+ seed: Ni | Nr | SPIi | SPIr";
	static const struct {
		uint16_t prf;
		uint8_t key_start;
		size_t klen, outlen;
		const char *want;
	} tv[] = {
	    {IKEV2_C_PRF_HMAC_SHA2_256, 0x00, 32, 100,
	     "86bcef72495d5d4a88b06aaa1872e77de880d015261f1d77dea0cc40a13b9212"
	     "507e037b7e3d8fba75e9ff8ee46cbaa4c5353985b52bd0d69af11b7a6f538e04"
	     "fbdd2e5bac3c9876718277623721ebfb599ea8ff9dfe7478137fee383d656620"
	     "b7f693b6"},
	    {IKEV2_C_PRF_HMAC_SHA2_384, 0x40, 48, 100,
	     "97be1389ce89a0f068788b43d77868a4c87edbc91e60bae61f27b262cfbab9a0"
	     "9102283e59eaa52efaf448055d6cad0f36412e67db8db4e6fc80bc387aa3444b"
	     "794a2d54c99160c274506448564f5506a850acd7c55b119a4f287cf16b3a4f22"
	     "158da7d8"},
	    {IKEV2_C_PRF_HMAC_SHA2_512, 0x80, 64, 130,
	     "7a6931e6909dcbbae7fd4b4556737402f6958d05632c1764a45b102ec6782ed8"
	     "1beda2b858eb05ea425d227a4a384a3b55e83f511c8bb92683158b7fe5c3fa31"
	     "3775d75d49d485c7c91f3679547899b614b69e7dbdd39a39690536644070224d"
	     "3917b649116f3b1033395be59de85a1087fcbc00dbf84fa4bf2fba42896edaee"
	     "3c4e"},
	};
	uint8_t key[64], want[130], out[130];

	(void)state;
	for (size_t i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		ramp(key, tv[i].klen, tv[i].key_start);
		assert_int_equal(UNHEX(want, tv[i].want), tv[i].outlen);
		assert_int_equal(ikev2_prf_plus(tv[i].prf, key, tv[i].klen, (const uint8_t *)seed,
		                                strlen(seed), out, tv[i].outlen),
		                 0);
		assert_memory_equal(out, want, tv[i].outlen);
	}
}

/*
 * prf+ is HKDF-Expand (RFC 5869 2.3), so OpenSSL's HKDF in expand-only mode
 * checks it up to its limit of 255 blocks; one byte more is refused (2.13).
 */
static void test_prf_plus_limit(void **state)
{
	enum { MAX = 255 * 32 };
	static const char seed[] = "prf+ limit";
	uint8_t key[32], *ours = malloc(MAX + 1), *hkdf = malloc(MAX);
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM params[5];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);

	(void)state;
	assert_non_null(ours);
	assert_non_null(hkdf);
	assert_non_null(kctx);
	ramp(key, sizeof(key), 0x55);
	params[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key, sizeof(key));
	params[3] =
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (char *)seed, strlen(seed));
	params[4] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_KDF_derive(kctx, hkdf, MAX, params), 1);
	assert_int_equal(ikev2_prf_plus(IKEV2_C_PRF_HMAC_SHA2_256, key, sizeof(key),
	                                (const uint8_t *)seed, strlen(seed), ours, MAX),
	                 0);
	assert_memory_equal(ours, hkdf, MAX);
	assert_int_equal(ikev2_prf_plus(IKEV2_C_PRF_HMAC_SHA2_256, key, sizeof(key),
	                                (const uint8_t *)seed, strlen(seed), ours, MAX + 1),
	                 -1);
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	free(ours);
	free(hkdf);
}

/* ------------------------------------------------------------------ */
/* Diffie-Hellman */

static void test_dh_lengths(void **state)
{
	(void)state;
	assert_int_equal(ikev2_dh_public_len(IKEV2_C_DH_MODP_2048), 256);
	assert_int_equal(ikev2_dh_public_len(IKEV2_C_DH_ECP_256), 64);
	assert_int_equal(ikev2_dh_public_len(IKEV2_C_DH_ECP_384), 96);
	assert_int_equal(ikev2_dh_public_len(IKEV2_C_DH_CURVE25519), 32);
	assert_int_equal(ikev2_dh_shared_len(IKEV2_C_DH_MODP_2048), 256);
	assert_int_equal(ikev2_dh_shared_len(IKEV2_C_DH_ECP_256), 32);
	assert_int_equal(ikev2_dh_shared_len(IKEV2_C_DH_ECP_384), 48);
	assert_int_equal(ikev2_dh_shared_len(IKEV2_C_DH_CURVE25519), 32);
	/* Group 2 (MODP-1024), 15 (MODP-3072), 21 (ECP-521): not offered. */
	assert_int_equal(ikev2_dh_public_len(2), 0);
	assert_false(ikev2_dh_supported(15));
	assert_null(ikev2_dh_new(21));
	assert_null(ikev2_dh_new(0));
}

struct ecp_vec {
	uint16_t group;
	const char *i, *gix, *giy, *grx, *gry, *girx;
};

/* RFC 5903 section 8.1 (256-bit random ECP group) and 8.2 (384-bit). */
static const struct ecp_vec rfc5903[] = {
    {IKEV2_C_DH_ECP_256, "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
     "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
     "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
     "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
     "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
     "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"},
    {IKEV2_C_DH_ECP_384,
     "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
     "E35B538041E649EE3FAEF896783AB194",
     "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
     "DE3AC808ACB4BDB4C88732AEE95F41AA",
     "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
     "EB9FCFF3C2C947DAE69B4C634573A81C",
     "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
     "0D1AC43A0336DEF96FDA41D0774A3571",
     "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
     "F83FA40142209DFF5EAAD96DB9E6386C",
     "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
     "D603135569B9E9D09CF5D4A270F59746"},
};

/* g^r in wire form (x | y) for a vector. */
static size_t ecp_gr(const struct ecp_vec *v, uint8_t *out)
{
	size_t n = unhex(out, 48, v->grx);

	return n + unhex(out + n, 48, v->gry);
}

static void test_dh_ecp_rfc5903(void **state)
{
	uint8_t priv[48], pub[96], want[96], gr[96], girx[48];
	struct ikev2_secret shared = {NULL, 0};

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		const struct ecp_vec *v = &rfc5903[t];
		size_t plen = UNHEX(priv, v->i), half = unhex(want, 48, v->gix);
		struct ikev2_dh *dh = ikev2_dh_new_private(v->group, priv, plen);

		unhex(want + half, 48, v->giy);
		assert_non_null(dh);
		assert_int_equal(ikev2_dh_group(dh), v->group);
		assert_int_equal(ikev2_dh_public(dh, pub, 2 * half), 0);
		assert_memory_equal(pub, want, 2 * half); /* g^i = x | y, no 0x04 */
		assert_int_equal(ikev2_dh_public(dh, pub, 2 * half + 1), -1);
		assert_int_equal(ecp_gr(v, gr), 2 * half);
		assert_int_equal(UNHEX(girx, v->girx), half);
		assert_int_equal(ikev2_dh_derive(dh, gr, 2 * half, &shared), 0);
		assert_int_equal(shared.len, half);
		assert_memory_equal(shared.p, girx, half); /* g^ir x only (RFC 5903 7) */
		ikev2_secret_free(&shared);
		ikev2_dh_free(dh);
	}
}

/* RFC 6989 2.3: off-curve points and wrong lengths are refused. */
static void test_dh_ecp_refusals(void **state)
{
	uint8_t gr[96];
	struct ikev2_secret shared = {NULL, 0};

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		const struct ecp_vec *v = &rfc5903[t];
		struct ikev2_dh *dh = ikev2_dh_new(v->group);
		size_t len = ecp_gr(v, gr);

		assert_non_null(dh);
		gr[len - 1] ^= 1; /* y off by one: not on the curve */
		assert_int_equal(ikev2_dh_derive(dh, gr, len, &shared), -1);
		assert_null(shared.p);
		gr[len - 1] ^= 1;
		memset(gr, 0, len); /* (0, 0) */
		assert_int_equal(ikev2_dh_derive(dh, gr, len, &shared), -1);
		ecp_gr(v, gr);
		assert_int_equal(ikev2_dh_derive(dh, gr, len - 1, &shared), -1);
		assert_int_equal(ikev2_dh_derive(dh, gr, len / 2, &shared), -1); /* x only */
		assert_int_equal(ikev2_dh_derive(dh, gr, len, &shared), 0);      /* still works */
		ikev2_secret_free(&shared);
		ikev2_dh_free(dh);
	}
}

/* ECP with generated keys: both sides agree. */
static void test_dh_ecp_pair(void **state)
{
	static const uint16_t groups[] = {IKEV2_C_DH_ECP_256, IKEV2_C_DH_ECP_384,
	                                  IKEV2_C_DH_CURVE25519};
	uint8_t pa[96], pb[96];
	struct ikev2_secret sa = {NULL, 0}, sb = {NULL, 0};

	(void)state;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		size_t len = ikev2_dh_public_len(groups[i]);
		struct ikev2_dh *a = ikev2_dh_new(groups[i]), *b = ikev2_dh_new(groups[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(ikev2_dh_public(a, pa, len), 0);
		assert_int_equal(ikev2_dh_public(b, pb, len), 0);
		assert_int_equal(ikev2_dh_derive(a, pb, len, &sa), 0);
		assert_int_equal(ikev2_dh_derive(b, pa, len, &sb), 0);
		assert_int_equal(sa.len, ikev2_dh_shared_len(groups[i]));
		assert_int_equal(sa.len, sb.len);
		assert_memory_equal(sa.p, sb.p, sa.len);
		ikev2_secret_free(&sa);
		ikev2_secret_free(&sb);
		ikev2_dh_free(a);
		ikev2_dh_free(b);
	}
}

/* RFC 7748 section 5.2 (first vector) and section 6.1 (Alice and Bob). */
static void test_x25519_rfc7748(void **state)
{
	uint8_t k[32], u[32], want[32], pub[32];
	struct ikev2_secret shared = {NULL, 0};
	struct ikev2_dh *alice, *bob, *dh;

	(void)state;
	UNHEX(k, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
	UNHEX(u, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
	UNHEX(want, "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	dh = ikev2_dh_new_private(IKEV2_C_DH_CURVE25519, k, 32);
	assert_non_null(dh);
	assert_int_equal(ikev2_dh_derive(dh, u, 32, &shared), 0);
	assert_memory_equal(shared.p, want, 32);
	ikev2_secret_free(&shared);
	ikev2_dh_free(dh);

	UNHEX(k, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	alice = ikev2_dh_new_private(IKEV2_C_DH_CURVE25519, k, 32);
	UNHEX(k, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
	bob = ikev2_dh_new_private(IKEV2_C_DH_CURVE25519, k, 32);
	assert_non_null(alice);
	assert_non_null(bob);
	assert_int_equal(ikev2_dh_public(alice, pub, 32), 0);
	UNHEX(want, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	assert_memory_equal(pub, want, 32);
	assert_int_equal(ikev2_dh_public(bob, u, 32), 0);
	UNHEX(want, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
	assert_memory_equal(u, want, 32);
	UNHEX(want, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	assert_int_equal(ikev2_dh_derive(alice, u, 32, &shared), 0);
	assert_memory_equal(shared.p, want, 32);
	ikev2_secret_free(&shared);
	assert_int_equal(ikev2_dh_derive(bob, pub, 32, &shared), 0);
	assert_memory_equal(shared.p, want, 32);
	ikev2_secret_free(&shared);
	ikev2_dh_free(alice);
	ikev2_dh_free(bob);
}

/*
 * RFC 8031 2.1: a low-order point gives an all-zero result, which is refused.
 * u = 0 and u = 1 are both of low order (RFC 7748 7).
 */
static void test_x25519_refusals(void **state)
{
	uint8_t u[33] = {0};
	struct ikev2_secret shared = {NULL, 0};
	struct ikev2_dh *dh = ikev2_dh_new(IKEV2_C_DH_CURVE25519);

	(void)state;
	assert_non_null(dh);
	assert_int_equal(ikev2_dh_derive(dh, u, 32, &shared), -1);
	assert_null(shared.p);
	u[0] = 1; /* little-endian u = 1 */
	assert_int_equal(ikev2_dh_derive(dh, u, 32, &shared), -1);
	u[0] = 9; /* the base point: fine, but not at 31 or 33 bytes */
	assert_int_equal(ikev2_dh_derive(dh, u, 31, &shared), -1);
	assert_int_equal(ikev2_dh_derive(dh, u, 33, &shared), -1);
	assert_int_equal(ikev2_dh_derive(dh, u, 32, &shared), 0);
	ikev2_secret_free(&shared);
	ikev2_dh_free(dh);
}

/* The RFC 3526 2048-bit MODP prime (group 14), p = 2^2048 - 2^1984 - 1 + 2^64 * ... */
static const char modp2048_p[] = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
                                 "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
                                 "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                                 "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
                                 "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
                                 "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                                 "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
                                 "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

/*
 * MODP-2048 has no published IKE vector: two parties must agree, and a
 * private key of 1 shows the wire forms (g^1 = 2 and y^1 = y, both
 * left-padded to 256 bytes).
 */
static void test_dh_modp(void **state)
{
	uint8_t pa[256], pb[256], want[256] = {0}, one = 1;
	struct ikev2_secret sa = {NULL, 0}, sb = {NULL, 0};
	struct ikev2_dh *a = ikev2_dh_new(IKEV2_C_DH_MODP_2048);
	struct ikev2_dh *b = ikev2_dh_new(IKEV2_C_DH_MODP_2048);
	struct ikev2_dh *x1 = ikev2_dh_new_private(IKEV2_C_DH_MODP_2048, &one, 1);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(ikev2_dh_public(a, pa, 256), 0);
	assert_int_equal(ikev2_dh_public(b, pb, 256), 0);
	assert_int_equal(ikev2_dh_derive(a, pb, 256, &sa), 0);
	assert_int_equal(ikev2_dh_derive(b, pa, 256, &sb), 0);
	assert_int_equal(sa.len, 256);
	assert_int_equal(sb.len, 256);
	assert_memory_equal(sa.p, sb.p, 256);
	ikev2_secret_free(&sa);
	ikev2_secret_free(&sb);

	assert_non_null(x1);
	assert_int_equal(ikev2_dh_public(x1, pa, 256), 0);
	want[255] = 2;
	assert_memory_equal(pa, want, 256);
	/* y = 4 = 2^2, in the prime-order subgroup; g^ir = 4, padded. */
	want[255] = 4;
	assert_int_equal(ikev2_dh_derive(x1, want, 256, &sa), 0);
	assert_memory_equal(sa.p, want, 256);
	ikev2_secret_free(&sa);
	ikev2_dh_free(a);
	ikev2_dh_free(b);
	ikev2_dh_free(x1);
}

/* RFC 6989 2.1: 1 < y < p - 1, and exactly 256 bytes. */
static void test_dh_modp_refusals(void **state)
{
	uint8_t y[257];
	struct ikev2_secret s = {NULL, 0};
	struct ikev2_dh *dh = ikev2_dh_new(IKEV2_C_DH_MODP_2048);

	(void)state;
	assert_non_null(dh);
	memset(y, 0, sizeof(y));
	assert_int_equal(ikev2_dh_derive(dh, y, 256, &s), -1); /* 0 */
	y[255] = 1;
	assert_int_equal(ikev2_dh_derive(dh, y, 256, &s), -1); /* 1 */
	assert_int_equal(unhex(y, 256, modp2048_p), 256);
	assert_int_equal(ikev2_dh_derive(dh, y, 256, &s), -1); /* p */
	y[255] -= 1;
	assert_int_equal(ikev2_dh_derive(dh, y, 256, &s), -1); /* p - 1 */
	memset(y, 0xff, sizeof(y));
	assert_int_equal(ikev2_dh_derive(dh, y, 256, &s), -1); /* > p */
	assert_null(s.p);
	memset(y, 0, sizeof(y));
	y[255] = 4; /* a good value, 256 bytes */
	assert_int_equal(ikev2_dh_derive(dh, y, 255, &s), -1);
	assert_int_equal(ikev2_dh_derive(dh, y, 257, &s), -1);
	assert_int_equal(ikev2_dh_derive(dh, y, 256, &s), 0);
	ikev2_secret_free(&s);
	ikev2_dh_free(dh);
}

/* ------------------------------------------------------------------ */
/* Transform parameters */

#define ALG(e, b, i, p) ((struct ikev2_alg){(e), (b), (i), (p)})

static void test_alg_params(void **state)
{
	struct ikev2_alg gcm128 = ALG(IKEV2_C_ENCR_AES_GCM_16, 128, 0, IKEV2_C_PRF_HMAC_SHA2_256);
	struct ikev2_alg gcm256 = ALG(IKEV2_C_ENCR_AES_GCM_16, 256, 0, IKEV2_C_PRF_HMAC_SHA2_512);
	struct ikev2_alg chacha = ALG(IKEV2_C_ENCR_CHACHA20_POLY1305, 0, 0, 0);
	struct ikev2_alg cbc = ALG(IKEV2_C_ENCR_AES_CBC, 256, IKEV2_C_INTEG_HMAC_SHA2_384_192,
	                           IKEV2_C_PRF_HMAC_SHA2_384);
	struct ikev2_alg cbc_esp =
	    ALG(IKEV2_C_ENCR_AES_CBC, 128, IKEV2_C_INTEG_HMAC_SHA2_256_128, 0);

	(void)state;
	assert_int_equal(ikev2_encr_key_len(&gcm128), 20);
	assert_int_equal(ikev2_encr_key_len(&gcm256), 36);
	assert_int_equal(ikev2_encr_key_len(&chacha), 36);
	assert_int_equal(ikev2_encr_key_len(&cbc), 32);
	assert_int_equal(ikev2_encr_key_len(&cbc_esp), 16);
	assert_int_equal(ikev2_integ_key_len(IKEV2_C_INTEG_HMAC_SHA2_256_128), 32);
	assert_int_equal(ikev2_integ_key_len(IKEV2_C_INTEG_HMAC_SHA2_384_192), 48);
	assert_int_equal(ikev2_integ_key_len(IKEV2_C_INTEG_HMAC_SHA2_512_256), 64);
	assert_int_equal(ikev2_integ_key_len(IKEV2_C_INTEG_NONE), 0);
	assert_int_equal(ikev2_encr_iv_len(IKEV2_C_ENCR_AES_CBC), 16);
	assert_int_equal(ikev2_encr_iv_len(IKEV2_C_ENCR_AES_GCM_16), 8);
	assert_int_equal(ikev2_encr_iv_len(IKEV2_C_ENCR_CHACHA20_POLY1305), 8);
	assert_int_equal(ikev2_icv_len(&gcm128), 16);
	assert_int_equal(ikev2_icv_len(&chacha), 16);
	assert_int_equal(ikev2_icv_len(&cbc), 24);
	assert_int_equal(ikev2_icv_len(&cbc_esp), 16);
	cbc_esp.integ = IKEV2_C_INTEG_HMAC_SHA2_512_256;
	assert_int_equal(ikev2_icv_len(&cbc_esp), 32);
	cbc_esp.integ = IKEV2_C_INTEG_HMAC_SHA2_256_128;
	assert_int_equal(ikev2_encr_block_len(IKEV2_C_ENCR_AES_CBC), 16);
	assert_int_equal(ikev2_encr_block_len(IKEV2_C_ENCR_AES_GCM_16), 1);
	/* Body lengths: IV + padded(plain + 1) + ICV. */
	assert_int_equal(ikev2_sk_body_len(&gcm128, 0), 8 + 1 + 16);
	assert_int_equal(ikev2_sk_body_len(&gcm128, 100), 8 + 101 + 16);
	assert_int_equal(ikev2_sk_body_len(&cbc, 0), 16 + 16 + 24);
	assert_int_equal(ikev2_sk_body_len(&cbc, 15), 16 + 16 + 24);
	assert_int_equal(ikev2_sk_body_len(&cbc, 16), 16 + 32 + 24);

	assert_true(ikev2_alg_ike_valid(&gcm128));
	assert_true(ikev2_alg_ike_valid(&gcm256));
	assert_true(ikev2_alg_ike_valid(&cbc));
	assert_false(ikev2_alg_ike_valid(&chacha)); /* ESP only here */
	assert_true(ikev2_alg_esp_valid(&chacha));
	assert_true(ikev2_alg_esp_valid(&gcm256));
	assert_true(ikev2_alg_esp_valid(&cbc_esp));
	assert_false(ikev2_alg_esp_valid(&cbc));     /* ESP CBC: HMAC-SHA2-256-128 only */
	assert_false(ikev2_alg_ike_valid(&cbc_esp)); /* no PRF */
	assert_false(ikev2_alg_ike_valid(&ALG(IKEV2_C_ENCR_AES_GCM_16, 192, 0, 5)));
	assert_false(ikev2_alg_ike_valid(&ALG(IKEV2_C_ENCR_AES_GCM_16, 128, 12, 5)));
	assert_false(ikev2_alg_ike_valid(&ALG(IKEV2_C_ENCR_AES_CBC, 128, 0, 5)));
	assert_false(ikev2_alg_ike_valid(&ALG(IKEV2_C_ENCR_AES_CBC, 0, 12, 5)));
	assert_false(ikev2_alg_ike_valid(&ALG(IKEV2_C_ENCR_AES_CBC, 128, 2, 5))); /* SHA1-96 */
	assert_false(ikev2_alg_ike_valid(&ALG(3, 0, 12, 5)));                     /* 3DES */
	assert_false(ikev2_alg_esp_valid(&ALG(IKEV2_C_ENCR_CHACHA20_POLY1305, 128, 0, 0)));
	assert_int_equal(ikev2_sk_body_len(&ALG(3, 0, 12, 5), 10), 0);
}

/* ------------------------------------------------------------------ */
/* Ciphers */

/*
 * McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test
 * cases 4 (AES-128) and 16 (AES-256): 60 bytes of plaintext, 20 of AAD,
 * a 96-bit IV. As used in IKE, the IV splits into a 4-byte salt (the end of
 * SK_e) and the 8-byte IV on the wire.
 */
static const char gcm_p[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_a[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char gcm_iv[] = "cafebabefacedbaddecaf888";
static const char gcm_k16[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char gcm_c16[] = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                              "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
static const char gcm_t16[] = "76fc6ece0f4e1768cddf8853bb2d551b";

static void test_gcm_kat(void **state)
{
	static const struct {
		const char *k, *c, *t;
	} tc[] = {
	    {"feffe9928665731c6d6a8f9467308308",
	     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	     "5bc94fbc3221a5db94fae95ae7121a47"},
	    {gcm_k16, gcm_c16, gcm_t16},
	};
	uint8_t k[32], p[60], a[20], iv[12], c[60], t[16], out[60], tag[16];
	size_t klen;

	(void)state;
	UNHEX(p, gcm_p);
	UNHEX(a, gcm_a);
	UNHEX(iv, gcm_iv);
	for (size_t i = 0; i < 2; i++) {
		klen = UNHEX(k, tc[i].k);
		UNHEX(c, tc[i].c);
		UNHEX(t, tc[i].t);
		assert_int_equal(ikev2_aead_encrypt(IKEV2_C_ENCR_AES_GCM_16, k, klen, iv, a, 20, p,
		                                    60, out, tag),
		                 0);
		assert_memory_equal(out, c, 60);
		assert_memory_equal(tag, t, 16);
		assert_int_equal(
		    ikev2_aead_decrypt(IKEV2_C_ENCR_AES_GCM_16, k, klen, iv, a, 20, c, 60, t, out),
		    0);
		assert_memory_equal(out, p, 60);
		t[15] ^= 0x80;
		assert_int_equal(
		    ikev2_aead_decrypt(IKEV2_C_ENCR_AES_GCM_16, k, klen, iv, a, 20, c, 60, t, out),
		    -1);
		t[15] ^= 0x80;
		a[0] ^= 1;
		assert_int_equal(
		    ikev2_aead_decrypt(IKEV2_C_ENCR_AES_GCM_16, k, klen, iv, a, 20, c, 60, t, out),
		    -1);
		a[0] ^= 1;
	}
	assert_int_equal(
	    ikev2_aead_encrypt(IKEV2_C_ENCR_AES_GCM_16, k, 24, iv, a, 20, p, 60, out, tag),
	    -1); /* AES-192: not offered */
}

/*
 * Test case 16 through ikev2_sk_open: a "message" of AAD | IV | C | T with
 * the SK body at offset 20 is exactly the RFC 5282 layout, with the salt at
 * the end of SK_e. The last plaintext byte, 0x39 = 57, reads as the pad
 * length, which leaves 60 - 1 - 57 = 2 bytes of payload: d9 31.
 */
static void test_gcm_sk_open(void **state)
{
	struct ikev2_alg alg = ALG(IKEV2_C_ENCR_AES_GCM_16, 256, 0, IKEV2_C_PRF_HMAC_SHA2_256);
	uint8_t msg[20 + 8 + 60 + 16], ekb[36], iv[12], plain[100];
	struct ikev2_secret ek = {ekb, sizeof(ekb)};
	size_t n;

	(void)state;
	UNHEX(iv, gcm_iv);
	unhex(ekb, 32, gcm_k16);
	memcpy(ekb + 32, iv, 4); /* salt cafebabe */
	unhex(msg, 20, gcm_a);
	memcpy(msg + 20, iv + 4, 8); /* IV facedbaddecaf888 */
	unhex(msg + 28, 60, gcm_c16);
	unhex(msg + 88, 16, gcm_t16);
	assert_int_equal(
	    ikev2_sk_open(&alg, &ek, NULL, msg, sizeof(msg), 20, plain, sizeof(plain), &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(plain[0], 0xd9);
	assert_int_equal(plain[1], 0x31);
	assert_int_equal(ikev2_sk_open(&alg, &ek, NULL, msg, sizeof(msg), 20, plain, 59, &n), -1);
}

/*
 * RFC 8439 section 2.8.2, AEAD_CHACHA20_POLY1305. The nonce 07000000 |
 * 4041424344454647 is salt | IV in RFC 7634 terms. Through ikev2_sk_open the
 * last byte, '.' = 46, is the pad length: 114 - 1 - 46 = 67 bytes remain.
 */
static void test_chacha_kat(void **state)
{
	static const char text[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
	                           "only one tip for the future, sunscreen would be it.";
	static const char ct_hex[] =
	    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	    "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	    "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	    "3ff4def08e4b7a9de576d26586cec64b6116";
	struct ikev2_alg alg = ALG(IKEV2_C_ENCR_CHACHA20_POLY1305, 0, 0, 0);
	uint8_t key[36], nonce[12], aad[12], ct[114], tag[16], out[114];
	uint8_t msg[12 + 8 + 114 + 16];
	struct ikev2_secret ek = {key, sizeof(key)};
	size_t n;

	(void)state;
	assert_int_equal(strlen(text), 114);
	ramp(key, 32, 0x80);
	UNHEX(nonce, "070000004041424344454647");
	memcpy(key + 32, nonce, 4);
	UNHEX(aad, "50515253c0c1c2c3c4c5c6c7");
	UNHEX(ct, ct_hex);
	UNHEX(tag, "1ae10b594f09e26a7e902ecbd0600691");
	assert_int_equal(ikev2_aead_encrypt(IKEV2_C_ENCR_CHACHA20_POLY1305, key, 32, nonce, aad, 12,
	                                    (const uint8_t *)text, 114, out, msg),
	                 0);
	assert_memory_equal(out, ct, 114);
	assert_memory_equal(msg, tag, 16);
	assert_int_equal(ikev2_aead_decrypt(IKEV2_C_ENCR_CHACHA20_POLY1305, key, 32, nonce, aad, 12,
	                                    ct, 114, tag, out),
	                 0);
	assert_memory_equal(out, text, 114);

	memcpy(msg, aad, 12);
	memcpy(msg + 12, nonce + 4, 8);
	memcpy(msg + 20, ct, 114);
	memcpy(msg + 134, tag, 16);
	assert_int_equal(ikev2_sk_open(&alg, &ek, NULL, msg, sizeof(msg), 12, out, sizeof(out), &n),
	                 0);
	assert_int_equal(n, 67);
	assert_memory_equal(out, text, 67);
	msg[140] ^= 4;
	assert_int_equal(ikev2_sk_open(&alg, &ek, NULL, msg, sizeof(msg), 12, out, sizeof(out), &n),
	                 -1);
}

/* RFC 3602 section 4, cases 1 to 4 (AES-128-CBC). */
static void test_cbc_rfc3602(void **state)
{
	static const struct {
		const char *key, *iv, *p, *c;
	} tc[] = {
	    {"06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
	     "53696e676c6520626c6f636b206d7367", /* "Single block msg" */
	     "e353779c1079aeb82708942dbe77181a"},
	    {"c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
	     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	     "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
	    {"6c3ea0477630ce21a2ce334aa746c2cd", "c782dc4c098c66cbd9cd27d825682c81",
	     /* "This is a 48-byte message (exactly 3 AES blocks)" */
	     "5468697320697320612034382d62797465206d657373616765202865786163746c"
	     "7920332041455320626c6f636b7329",
	     "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
	     "021c19216bad525c8579695d83ba2684"},
	    {"56e47a38c5598974bc46903dba290349", "8ce82eefbea0da3c44699ed7db51b7d9",
	     "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	     "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
	     "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
	     "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55"},
	};
	uint8_t k[16], iv[16], p[64], c[64], out[64];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		UNHEX(k, tc[i].key);
		UNHEX(iv, tc[i].iv);
		n = UNHEX(p, tc[i].p);
		assert_int_equal(UNHEX(c, tc[i].c), n);
		assert_int_equal(ikev2_cbc_crypt(true, k, 16, iv, p, n, out), 0);
		assert_memory_equal(out, c, n);
		assert_int_equal(ikev2_cbc_crypt(false, k, 16, iv, c, n, out), 0);
		assert_memory_equal(out, p, n);
		memcpy(out, p, n); /* in place */
		assert_int_equal(ikev2_cbc_crypt(true, k, 16, iv, out, n, out), 0);
		assert_memory_equal(out, c, n);
	}
	assert_int_equal(ikev2_cbc_crypt(true, k, 16, iv, p, 15, out), -1);
	assert_int_equal(ikev2_cbc_crypt(true, k, 24, iv, p, 16, out), -1);
}

/* ------------------------------------------------------------------ */
/* SK payload */

#define HDR_LEN 28 /* IKE header */
#define SK_OFF  (HDR_LEN + 4)

/* The IKE header and SK generic header for a message of msg_len bytes. */
static void fake_header(uint8_t *msg, size_t msg_len)
{
	uint32_t len = htonl((uint32_t)msg_len);

	ramp(msg, 16, 0x61); /* SPIs */
	msg[16] = 46;        /* next payload: SK */
	msg[17] = 0x20;      /* version 2.0 */
	msg[18] = 35;        /* IKE_AUTH */
	msg[19] = 0x08;      /* initiator */
	memset(msg + 20, 0, 4);
	memcpy(msg + 24, &len, 4);
	msg[28] = 35; /* first inner payload: IDi */
	msg[29] = 0;
	msg[30] = (uint8_t)((msg_len - HDR_LEN) >> 8);
	msg[31] = (uint8_t)(msg_len - HDR_LEN);
}

struct sk_keys {
	uint8_t eb[36], ab[64];
	struct ikev2_secret ek, ak;
};

static void sk_keys_init(struct sk_keys *k, const struct ikev2_alg *alg)
{
	ramp(k->eb, sizeof(k->eb), 0x11);
	ramp(k->ab, sizeof(k->ab), 0x99);
	k->ek = (struct ikev2_secret){k->eb, ikev2_encr_key_len(alg)};
	k->ak = (struct ikev2_secret){k->ab, ikev2_integ_key_len(alg->integ)};
}

static const struct ikev2_alg sk_algs[] = {
    {IKEV2_C_ENCR_AES_GCM_16, 128, IKEV2_C_INTEG_NONE, IKEV2_C_PRF_HMAC_SHA2_256},
    {IKEV2_C_ENCR_AES_GCM_16, 256, IKEV2_C_INTEG_NONE, IKEV2_C_PRF_HMAC_SHA2_256},
    {IKEV2_C_ENCR_AES_CBC, 128, IKEV2_C_INTEG_HMAC_SHA2_256_128, IKEV2_C_PRF_HMAC_SHA2_256},
    {IKEV2_C_ENCR_AES_CBC, 128, IKEV2_C_INTEG_HMAC_SHA2_384_192, IKEV2_C_PRF_HMAC_SHA2_384},
    {IKEV2_C_ENCR_AES_CBC, 128, IKEV2_C_INTEG_HMAC_SHA2_512_256, IKEV2_C_PRF_HMAC_SHA2_512},
    {IKEV2_C_ENCR_AES_CBC, 256, IKEV2_C_INTEG_HMAC_SHA2_256_128, IKEV2_C_PRF_HMAC_SHA2_256},
    {IKEV2_C_ENCR_AES_CBC, 256, IKEV2_C_INTEG_HMAC_SHA2_384_192, IKEV2_C_PRF_HMAC_SHA2_384},
    {IKEV2_C_ENCR_AES_CBC, 256, IKEV2_C_INTEG_HMAC_SHA2_512_256, IKEV2_C_PRF_HMAC_SHA2_512},
    /* Not an IKE SA choice of ours, but seal/open handle it (RFC 7634). */
    {IKEV2_C_ENCR_CHACHA20_POLY1305, 0, IKEV2_C_INTEG_NONE, IKEV2_C_PRF_HMAC_SHA2_256},
};

/* Every algorithm, several lengths: open(seal(x)) = x; any bit flipped fails. */
static void test_sk_roundtrip_tamper(void **state)
{
	static const size_t lens[] = {0, 1, 14, 15, 16, 17, 100};
	uint8_t plain[100], msg[SK_OFF + 200], out[200];
	struct sk_keys k;
	uint64_t ctr = 7;
	size_t n;

	(void)state;
	ramp(plain, sizeof(plain), 0xc0);
	for (size_t a = 0; a < sizeof(sk_algs) / sizeof(sk_algs[0]); a++) {
		const struct ikev2_alg *alg = &sk_algs[a];

		sk_keys_init(&k, alg);
		for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			size_t body = ikev2_sk_body_len(alg, lens[l]), len = SK_OFF + body;

			assert_true(body != 0 && len <= sizeof(msg));
			fake_header(msg, len);
			assert_int_equal(ikev2_sk_seal(alg, &k.ek, &k.ak, &ctr, msg, len, SK_OFF,
			                               plain, lens[l]),
			                 0);
			assert_int_equal(ikev2_sk_open(alg, &k.ek, &k.ak, msg, len, SK_OFF, out,
			                               sizeof(out), &n),
			                 0);
			assert_int_equal(n, lens[l]);
			assert_memory_equal(out, plain, n);
			/* header, SK header, IV, ciphertext, padding, ICV */
			for (size_t i = 0; i < len; i++) {
				msg[i] ^= (uint8_t)(1u << (i % 8));
				assert_int_equal(ikev2_sk_open(alg, &k.ek, &k.ak, msg, len, SK_OFF,
				                               out, sizeof(out), &n),
				                 -1);
				msg[i] ^= (uint8_t)(1u << (i % 8));
			}
			/* A wrong key: SK_a for CBC (SK_e alone goes unnoticed there), SK_e for an
			 * AEAD. */
			k.eb[0] ^= 1;
			k.ab[0] ^= 1;
			assert_int_equal(ikev2_sk_open(alg, &k.ek, &k.ak, msg, len, SK_OFF, out,
			                               sizeof(out), &n),
			                 -1);
			k.eb[0] ^= 1;
			k.ab[0] ^= 1;
		}
	}
}

/* An AEAD IV is the caller's counter; CBC IVs are random. */
static void test_sk_iv(void **state)
{
	const struct ikev2_alg *gcm = &sk_algs[0], *cbc = &sk_algs[2];
	uint8_t m1[SK_OFF + 64], m2[SK_OFF + 64], plain[4] = {1, 2, 3, 4}, out[64];
	uint8_t want_iv[8] = {0, 0, 0, 0, 0, 0, 0x01, 0x02};
	struct sk_keys k;
	uint64_t ctr = 0x0102;
	size_t len, n;

	(void)state;
	sk_keys_init(&k, gcm);
	len = SK_OFF + ikev2_sk_body_len(gcm, 4);
	fake_header(m1, len);
	fake_header(m2, len);
	assert_int_equal(ikev2_sk_seal(gcm, &k.ek, NULL, &ctr, m1, len, SK_OFF, plain, 4), 0);
	assert_memory_equal(m1 + SK_OFF, want_iv, 8);
	assert_int_equal(ctr, 0x0103);
	assert_int_equal(ikev2_sk_seal(gcm, &k.ek, NULL, &ctr, m2, len, SK_OFF, plain, 4), 0);
	assert_int_equal(ctr, 0x0104);
	assert_memory_not_equal(m1 + SK_OFF, m2 + SK_OFF, len - SK_OFF);
	/* A random IV without a counter; the counter refuses to wrap. */
	assert_int_equal(ikev2_sk_seal(gcm, &k.ek, NULL, NULL, m2, len, SK_OFF, plain, 4), 0);
	assert_int_equal(ikev2_sk_open(gcm, &k.ek, NULL, m2, len, SK_OFF, out, sizeof(out), &n), 0);
	ctr = UINT64_MAX;
	assert_int_equal(ikev2_sk_seal(gcm, &k.ek, NULL, &ctr, m2, len, SK_OFF, plain, 4), -1);
	assert_int_equal(ctr, UINT64_MAX);

	sk_keys_init(&k, cbc);
	len = SK_OFF + ikev2_sk_body_len(cbc, 4);
	fake_header(m1, len);
	fake_header(m2, len);
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, m1, len, SK_OFF, plain, 4), 0);
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, m2, len, SK_OFF, plain, 4), 0);
	assert_memory_not_equal(m1 + SK_OFF, m2 + SK_OFF, 16);
	/* The plaintext may already sit where the ciphertext goes. */
	memcpy(m1 + SK_OFF + 16, plain, 4);
	assert_int_equal(
	    ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, m1, len, SK_OFF, m1 + SK_OFF + 16, 4), 0);
	assert_int_equal(ikev2_sk_open(cbc, &k.ek, &k.ak, m1, len, SK_OFF, out, sizeof(out), &n),
	                 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, plain, 4);
}

/*
 * A pad length that runs past the decrypted data is refused even under a
 * valid ICV: build such bodies with the primitives directly.
 */
static void test_sk_bad_padding(void **state)
{
	const struct ikev2_alg *gcm = &sk_algs[0], *cbc = &sk_algs[2];
	uint8_t msg[SK_OFF + 8 + 32 + 32], nonce[12], full[64], out[64];
	struct sk_keys k;
	size_t len, n;

	(void)state;
	/* AES-GCM: 16 encrypted bytes ending in pad length 16 (at most 15 fits). */
	sk_keys_init(&k, gcm);
	len = SK_OFF + 8 + 16 + 16;
	fake_header(msg, len);
	ramp(msg + SK_OFF, 8, 0x01); /* IV */
	memset(msg + SK_OFF + 8, 0, 16);
	msg[SK_OFF + 8 + 15] = 16;
	memcpy(nonce, k.eb + 16, 4);
	memcpy(nonce + 4, msg + SK_OFF, 8);
	assert_int_equal(ikev2_aead_encrypt(gcm->encr, k.eb, 16, nonce, msg, SK_OFF,
	                                    msg + SK_OFF + 8, 16, msg + SK_OFF + 8,
	                                    msg + SK_OFF + 24),
	                 0);
	assert_int_equal(ikev2_sk_open(gcm, &k.ek, NULL, msg, len, SK_OFF, out, sizeof(out), &n),
	                 -1);
	/* ... while pad length 15 is fine: no payload at all. */
	msg[SK_OFF + 8 + 15] = 15;
	memset(msg + SK_OFF + 8, 0, 15);
	assert_int_equal(ikev2_aead_encrypt(gcm->encr, k.eb, 16, nonce, msg, SK_OFF,
	                                    msg + SK_OFF + 8, 16, msg + SK_OFF + 8,
	                                    msg + SK_OFF + 24),
	                 0);
	assert_int_equal(ikev2_sk_open(gcm, &k.ek, NULL, msg, len, SK_OFF, out, sizeof(out), &n),
	                 0);
	assert_int_equal(n, 0);

	/* AES-CBC + HMAC-SHA2-256-128: 32 bytes ending in pad length 200. */
	sk_keys_init(&k, cbc);
	len = SK_OFF + 16 + 32 + 16;
	fake_header(msg, len);
	ramp(msg + SK_OFF, 16, 0x01);
	memset(msg + SK_OFF + 16, 0, 32);
	msg[SK_OFF + 16 + 31] = 200;
	assert_int_equal(
	    ikev2_cbc_crypt(true, k.eb, 16, msg + SK_OFF, msg + SK_OFF + 16, 32, msg + SK_OFF + 16),
	    0);
	assert_int_equal(ikev2_prf(IKEV2_C_PRF_HMAC_SHA2_256, k.ab, 32, msg, len - 16, full), 0);
	memcpy(msg + len - 16, full, 16); /* HMAC-SHA2-256-128: the first 16 bytes */
	assert_int_equal(ikev2_sk_open(cbc, &k.ek, &k.ak, msg, len, SK_OFF, out, sizeof(out), &n),
	                 -1);
}

static void test_sk_bad_lengths(void **state)
{
	const struct ikev2_alg *gcm = &sk_algs[0], *cbc = &sk_algs[2];
	uint8_t msg[SK_OFF + 100], plain[8] = {0}, out[100];
	struct sk_keys k;
	struct ikev2_secret short_ek;
	size_t len, n;

	(void)state;
	sk_keys_init(&k, cbc);
	len = SK_OFF + ikev2_sk_body_len(cbc, 8);
	fake_header(msg, len);
	/* The body must be exactly ikev2_sk_body_len long. */
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, msg, len - 1, SK_OFF, plain, 8),
	                 -1);
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, msg, len + 1, SK_OFF, plain, 8),
	                 -1);
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, msg, len, len + 1, plain, 8), -1);
	/* Keys of the wrong length, a missing integrity key. */
	short_ek = (struct ikev2_secret){k.eb, 15};
	assert_int_equal(ikev2_sk_seal(cbc, &short_ek, &k.ak, NULL, msg, len, SK_OFF, plain, 8),
	                 -1);
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, NULL, NULL, msg, len, SK_OFF, plain, 8), -1);
	assert_int_equal(ikev2_sk_seal(cbc, &k.ek, &k.ak, NULL, msg, len, SK_OFF, plain, 8), 0);
	/* Open: truncations, a ciphertext not a multiple of 16, too small a buffer. */
	for (size_t cut = 1; cut < len - SK_OFF; cut++)
		assert_int_equal(
		    ikev2_sk_open(cbc, &k.ek, &k.ak, msg, len - cut, SK_OFF, out, sizeof(out), &n),
		    -1);
	assert_int_equal(ikev2_sk_open(cbc, &k.ek, &k.ak, msg, len, SK_OFF, out, 15, &n), -1);
	assert_int_equal(ikev2_sk_open(cbc, &k.ek, &k.ak, msg, len, len + 1, out, 100, &n), -1);
	assert_int_equal(ikev2_sk_open(cbc, &k.ek, &k.ak, msg, len, SK_OFF, out, 16, &n), 0);
	assert_int_equal(n, 8);

	sk_keys_init(&k, gcm);
	short_ek = (struct ikev2_secret){k.eb, 16}; /* the salt missing */
	len = SK_OFF + ikev2_sk_body_len(gcm, 8);
	fake_header(msg, len);
	assert_int_equal(ikev2_sk_seal(gcm, &short_ek, NULL, NULL, msg, len, SK_OFF, plain, 8), -1);
	assert_int_equal(ikev2_sk_seal(gcm, &k.ek, NULL, NULL, msg, len, SK_OFF, plain, 8), 0);
	/* IV and ICV only, no pad length byte. */
	assert_int_equal(ikev2_sk_open(gcm, &k.ek, NULL, msg, SK_OFF + 24, SK_OFF, out, 100, &n),
	                 -1);
	assert_int_equal(ikev2_sk_open(gcm, &k.ek, NULL, msg, len, SK_OFF, out, 8, &n), -1);
	assert_int_equal(ikev2_sk_open(gcm, &k.ek, NULL, msg, len, SK_OFF, out, 9, &n), 0);
}

/* ------------------------------------------------------------------ */
/* Key derivation */

static void nonces(uint8_t ni[32], uint8_t nr[32])
{
	ramp(ni, 32, 0x10);
	ramp(nr, 32, 0xa0);
}

static void assert_keys(const struct ikev2_ike_keys *k, const uint8_t *keymat, const size_t len[7])
{
	const struct ikev2_secret *slot[7] = {&k->sk_d,  &k->sk_ai, &k->sk_ar, &k->sk_ei,
	                                      &k->sk_er, &k->sk_pi, &k->sk_pr};
	size_t off = 0;

	for (int i = 0; i < 7; i++) {
		assert_int_equal(slot[i]->len, len[i]);
		if (len[i])
			assert_memory_equal(slot[i]->p, keymat + off, len[i]);
		off += len[i];
	}
}

/* SK_d of vector 1 below, the input of the rekey, child and AUTH tests. */
static const char ike1_sk_d[] = "08746fd28c0cdab302e3bff1396d7468ba416eba753401c53f1e1fc4eb0f7164";

/*
 * RFC 7296 2.14 against Python, with g^ir the RFC 5903 g^ir x values:
 *  1: AES-CBC-256, HMAC-SHA2-256-128, PRF-HMAC-SHA2-256, g^ir = the 8.1 x:
 *     sk = prf('sha256', ni + nr, gir256); prfplus('sha256', sk, ni + nr + spis, 7 * 32)
 *  2: AES-GCM-16-128, PRF-HMAC-SHA2-384, g^ir = the 8.2 x:
 *     sk = prf('sha384', ni + nr, gir384); prfplus('sha384', sk, ni + nr + spis, 184)
 *     (SK_d 48, SK_a* 0, SK_e* 16 + 4 salt, SK_p* 48)
 */
static const char ike1_keymat[] =
    "08746fd28c0cdab302e3bff1396d7468ba416eba753401c53f1e1fc4eb0f7164"
    "e51c573ec6164a02b878963581ecfac9cf8b20a4cde291aa9608a3cbe04ac2c8"
    "aa115cbad03231e20f65896ad4a8a5796f679d54f2b4bbe16635571a480a9fbc"
    "c4e5ab1a5255ba37cbb1e699f8588a99e88191e365f2ed8d11d776c53c408c36"
    "5c9208cae4061c80fa7b616d7caa8e1fb9ee0384bba5c475260697b025bfb92d"
    "2dcbefd47bf99155141099c6395e52ec25941b047e71d416a36efad025f867fe"
    "ccc2a546eee316669f9cf71ab95be2837157e78d0eec48e74379dc98c7fe5001";
static const char ike2_keymat[] = "5c014469c28ff567ced3ffbfd65fd2feee168bb187daa52997506e49ef1e8135"
                                  "ceb2a6b2c2226d70911c3afc946887cb88fb98646b8e2739acf5981925a6e562"
                                  "f24f3d85ab83021e86b7939955e78e423c33cd84afd9b054ddeb24fc5d7b4a0a"
                                  "ff4afd1422bf16d6458311f429a6233c61652cd8c31b8be8729bbdc946d9792e"
                                  "8c23484e94f814b61ff7348eb86bdeb73173f1d35ac18d754780af01bf514cbc"
                                  "a5da7223dede39b04fa15fe8c0c2e54c8b1782015340ee48";

static void test_derive_ike_keys(void **state)
{
	struct ikev2_alg alg1 = ALG(IKEV2_C_ENCR_AES_CBC, 256, IKEV2_C_INTEG_HMAC_SHA2_256_128,
	                            IKEV2_C_PRF_HMAC_SHA2_256);
	struct ikev2_alg alg2 = ALG(IKEV2_C_ENCR_AES_GCM_16, 128, 0, IKEV2_C_PRF_HMAC_SHA2_384);
	static const size_t len1[7] = {32, 32, 32, 32, 32, 32, 32};
	static const size_t len2[7] = {48, 0, 0, 20, 20, 48, 48};
	uint8_t ni[32], nr[32], gb[48], km[224];
	struct ikev2_secret gir = {gb, 0};
	struct ikev2_ike_keys keys;

	(void)state;
	nonces(ni, nr);
	gir.len = UNHEX(gb, rfc5903[0].girx);
	assert_int_equal(ikev2_derive_ike_keys(&alg1, ni, 32, nr, 32, &gir, 0x0123456789abcdefULL,
	                                       0xfedcba9876543210ULL, &keys),
	                 0);
	assert_int_equal(UNHEX(km, ike1_keymat), 224);
	assert_keys(&keys, km, len1);
	ikev2_ike_keys_free(&keys);
	assert_null(keys.sk_d.p);

	gir.len = UNHEX(gb, rfc5903[1].girx);
	assert_int_equal(ikev2_derive_ike_keys(&alg2, ni, 32, nr, 32, &gir, 0x0123456789abcdefULL,
	                                       0xfedcba9876543210ULL, &keys),
	                 0);
	assert_int_equal(UNHEX(km, ike2_keymat), 184);
	assert_keys(&keys, km, len2);
	ikev2_ike_keys_free(&keys);

	/* Unsupported combinations derive nothing. */
	alg2.integ = IKEV2_C_INTEG_HMAC_SHA2_256_128;
	assert_int_equal(ikev2_derive_ike_keys(&alg2, ni, 32, nr, 32, &gir, 1, 2, &keys), -1);
	assert_null(keys.sk_d.p);
}

/*
 * RFC 7296 2.18 against Python: the old SA is vector 1 (PRF-HMAC-SHA2-256,
 * SK_d above); the new one AES-GCM-16-256 with PRF-HMAC-SHA2-512, g^ir the
 * RFC 7748 6.1 shared secret x25519, new nonces of 32 and 48 bytes:
 *   ni2 = bytes((0x30 + i) & 0xff for i in range(32))
 *   nr2 = bytes((0xc0 + i) & 0xff for i in range(48))
 *   spis2 = struct.pack('>QQ', 0x1111111122222222, 0x3333333344444444)
 *   sk = prf('sha256', sk_d1, x25519 + ni2 + nr2)
 *   prfplus('sha512', sk, ni2 + nr2 + spis2, 64 + 36 + 36 + 64 + 64)
 */
static void test_derive_ike_keys_rekey(void **state)
{
	static const char want_hex[] =
	    "cd3aa6ebc4a10097cabd2476ee74b8416a6beb65735c879a276657f20551d3dd"
	    "5571dd334a3585718715cd74a5c3f38cb7128c7606e4926bbfba477f895ea383"
	    "beca196789b2c1ae534e58eed16b1d94737cbb0d5ca546fefd9d9ee8663da15e"
	    "8bc428c456930fa2debbbdedbcbec8b346eceeaaf6385f00ff2142ea354da304"
	    "e76adddbc554cd1df8416ea0b61c49d211585573ad2ec2638d4757f62460287c"
	    "a175ed6bd227ee3b8772d98a5ad5dd9aae8c221a6f65ce0e65efe3e677a16669"
	    "aa4e77d9dd6a836134bdb9d918748b5656eb595e426e8421d956c3de94d73ac6"
	    "ce345d4e5d83c09938a4c62e43ba6e2d7d1162e38c2ad79a3a6fb21817d2ea38"
	    "f8a0cac74b77c1a4";
	static const size_t lens[7] = {64, 0, 0, 36, 36, 64, 64};
	struct ikev2_alg alg = ALG(IKEV2_C_ENCR_AES_GCM_16, 256, 0, IKEV2_C_PRF_HMAC_SHA2_512);
	uint8_t ni[32], nr[48], skd[32], gb[32], km[264];
	struct ikev2_secret old_sk_d = {skd, sizeof(skd)}, gir = {gb, sizeof(gb)};
	struct ikev2_ike_keys keys;

	(void)state;
	ramp(ni, sizeof(ni), 0x30);
	ramp(nr, sizeof(nr), 0xc0);
	UNHEX(skd, ike1_sk_d);
	UNHEX(gb, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	assert_int_equal(UNHEX(km, want_hex), 264);
	assert_int_equal(ikev2_derive_ike_keys_rekey(&alg, IKEV2_C_PRF_HMAC_SHA2_256, &old_sk_d,
	                                             &gir, ni, 32, nr, 48, 0x1111111122222222ULL,
	                                             0x3333333344444444ULL, &keys),
	                 0);
	assert_keys(&keys, km, lens);
	ikev2_ike_keys_free(&keys);
}

/*
 * RFC 7296 2.17 against Python, SK_d of vector 1:
 *   prfplus('sha256', sk_d1, ni + nr, 72)           (no PFS)
 *   prfplus('sha256', sk_d1, x25519 + ni + nr, 96)  (PFS, g^ir of RFC 7748 6.1)
 */
static void test_derive_child_keys(void **state)
{
	static const char no_pfs[] =
	    "0dcbaf213c84892e4e6d3ca292fe711d843786097017dcb9d8ccdc40e98c4c37"
	    "6f9adbc261e70058655702d092209cb492f5672c15ef09bdbc92afd5938d7f33"
	    "cbd1f71693926145";
	static const char pfs[] =
	    "1a88f138702c83e23ad6a90e0cab0dc5e77bfccfcf8fe3da6e4d900db3422ea8"
	    "00d59f09b3c9867a0d73b4a42b2ed6b7583405f369ab1bbbf2e39c699403687b"
	    "43e9407ef274f1803d5391a9e4b3c0a4bee04d57b7357dfc03f6bb1890f9829a";
	uint8_t ni[32], nr[32], skd[32], gb[32], want[96], out[96];
	struct ikev2_secret sk_d = {skd, sizeof(skd)}, gir = {gb, sizeof(gb)};

	(void)state;
	nonces(ni, nr);
	UNHEX(skd, ike1_sk_d);
	UNHEX(gb, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	assert_int_equal(UNHEX(want, no_pfs), 72);
	assert_int_equal(ikev2_derive_child_keys(IKEV2_C_PRF_HMAC_SHA2_256, &sk_d, NULL, ni, 32, nr,
	                                         32, out, 72),
	                 0);
	assert_memory_equal(out, want, 72);
	assert_int_equal(UNHEX(want, pfs), 96);
	assert_int_equal(ikev2_derive_child_keys(IKEV2_C_PRF_HMAC_SHA2_256, &sk_d, &gir, ni, 32, nr,
	                                         32, out, 96),
	                 0);
	assert_memory_equal(out, want, 96);
	assert_int_equal(ikev2_derive_child_keys(9, &sk_d, NULL, ni, 32, nr, 32, out, 96), -1);
}

/* ------------------------------------------------------------------ */
/* AUTH and NAT detection */

/*
 * RFC 7296 2.15 against Python, psk = b"dmvpn-ikev2-test-psk",
 * msg = bytes((i * 3) & 0xff for i in range(80)) standing for the signer's
 * IKE_SA_INIT message, keypad = b"Key Pad for IKEv2":
 *  1 (initiator, PRF-HMAC-SHA2-256): SK_pi of key vector 1, peer nonce nr,
 *    ID_IPV4_ADDR 192.0.2.1 (idb = 01000000 c0000201):
 *    prf('sha256', prf('sha256', psk, keypad), msg + nr + prf('sha256', sk_pi1, idb))
 *  2 (responder, PRF-HMAC-SHA2-384): SK_pr of key vector 2, peer nonce ni,
 *    ID_FQDN "hub.example" (idb = 02000000 | b"hub.example"):
 *    prf('sha384', prf('sha384', psk, keypad), msg + ni + prf('sha384', sk_pr2, idb))
 */
static void test_psk_auth(void **state)
{
	static const char psk[] = "dmvpn-ikev2-test-psk";
	uint8_t msg[80], ni[32], nr[32], km[224], id1[8], id2[4 + 11], want[48], out[64];
	struct ikev2_secret sk_p;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 3);
	nonces(ni, nr);
	UNHEX(id1, "01000000c0000201");
	UNHEX(id2, "02000000");
	memcpy(id2 + 4, "hub.example", 11);

	UNHEX(km, ike1_keymat);
	sk_p = (struct ikev2_secret){km + 5 * 32, 32};
	UNHEX(want, "dadaa81f4684b9111e4e72dc870c295961b0801909850cd6e9bc6222c7f24987");
	assert_int_equal(ikev2_psk_auth(IKEV2_C_PRF_HMAC_SHA2_256, (const uint8_t *)psk,
	                                strlen(psk), msg, sizeof(msg), nr, 32, &sk_p, id1,
	                                sizeof(id1), out, &n),
	                 0);
	assert_int_equal(n, 32);
	assert_true(ikev2_auth_equal(out, n, want, 32));
	assert_false(ikev2_auth_equal(out, n, want, 31));
	out[31] ^= 1;
	assert_false(ikev2_auth_equal(out, n, want, 32));

	UNHEX(km, ike2_keymat);
	sk_p = (struct ikev2_secret){km + 48 + 40 + 48, 48};
	UNHEX(want, "1622b05777481b3c0b28f04c460c6e9b6dfc5e4b931b51d4218f68746b2cac2a"
	            "8414c4cd1a1e9a118a2c85c5745bcf71");
	assert_int_equal(ikev2_psk_auth(IKEV2_C_PRF_HMAC_SHA2_384, (const uint8_t *)psk,
	                                strlen(psk), msg, sizeof(msg), ni, 32, &sk_p, id2,
	                                sizeof(id2), out, &n),
	                 0);
	assert_int_equal(n, 48);
	assert_memory_equal(out, want, 48);
	/* An empty PSK is refused. */
	assert_int_equal(ikev2_psk_auth(IKEV2_C_PRF_HMAC_SHA2_384, (const uint8_t *)psk, 0, msg,
	                                sizeof(msg), ni, 32, &sk_p, id2, sizeof(id2), out, &n),
	                 -1);
}

/*
 * RFC 7296 2.23 against Python:
 *   sha1(struct.pack('>QQ', 0x0123456789abcdef, 0) + inet 192.0.2.1 + pack('>H', 500))
 *   sha1(spis + inet 2001:db8::1 + pack('>H', 4500))
 */
static void test_nat_hash(void **state)
{
	struct ipaddr ip;
	uint8_t want[20], out[20];

	(void)state;
	assert_int_equal(ipaddr_parse("192.0.2.1", &ip), 0);
	UNHEX(want, "9426429034924268452f8e3ff79fb69e2a8d71eb");
	assert_int_equal(ikev2_nat_hash(0x0123456789abcdefULL, 0, &ip, 500, out), 0);
	assert_memory_equal(out, want, 20);
	assert_int_equal(ipaddr_parse("2001:db8::1", &ip), 0);
	UNHEX(want, "9de8bfefaab479f0d5a5609a6de20595c6307502");
	assert_int_equal(
	    ikev2_nat_hash(0x0123456789abcdefULL, 0xfedcba9876543210ULL, &ip, 4500, out), 0);
	assert_memory_equal(out, want, 20);
	memset(&ip, 0, sizeof(ip));
	ip.family = AF_UNSPEC;
	assert_int_equal(ikev2_nat_hash(1, 2, &ip, 500, out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_secret),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_prf_rfc4231),
	    cmocka_unit_test(test_prf_plus),
	    cmocka_unit_test(test_prf_plus_limit),
	    cmocka_unit_test(test_dh_lengths),
	    cmocka_unit_test(test_dh_ecp_rfc5903),
	    cmocka_unit_test(test_dh_ecp_refusals),
	    cmocka_unit_test(test_dh_ecp_pair),
	    cmocka_unit_test(test_x25519_rfc7748),
	    cmocka_unit_test(test_x25519_refusals),
	    cmocka_unit_test(test_dh_modp),
	    cmocka_unit_test(test_dh_modp_refusals),
	    cmocka_unit_test(test_alg_params),
	    cmocka_unit_test(test_gcm_kat),
	    cmocka_unit_test(test_gcm_sk_open),
	    cmocka_unit_test(test_chacha_kat),
	    cmocka_unit_test(test_cbc_rfc3602),
	    cmocka_unit_test(test_sk_roundtrip_tamper),
	    cmocka_unit_test(test_sk_iv),
	    cmocka_unit_test(test_sk_bad_padding),
	    cmocka_unit_test(test_sk_bad_lengths),
	    cmocka_unit_test(test_derive_ike_keys),
	    cmocka_unit_test(test_derive_ike_keys_rekey),
	    cmocka_unit_test(test_derive_child_keys),
	    cmocka_unit_test(test_psk_auth),
	    cmocka_unit_test(test_nat_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
