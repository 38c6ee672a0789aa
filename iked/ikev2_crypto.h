/*
 * The IKEv2 crypto layer (RFC 7296): Diffie-Hellman, the PRF and prf+, key
 * derivation, SK payload protection, PSK authentication and NAT detection
 * hashes, all through OpenSSL 3 EVP.
 *
 * Pure: no I/O, no globals, no logging (nothing here ever prints a key), so
 * it links into unit tests alone. Every function returns 0 on success and
 * -1 on failure unless documented otherwise; on failure, outputs that held
 * secret material are wiped. Transforms are named by their IANA numbers
 * ("Internet Key Exchange Version 2 (IKEv2) Parameters", Transform Type 1-4);
 * the IKEV2_C_ names below are local to this layer so that it does not
 * depend on the message codec.
 */
#ifndef DMVPN_IKEV2_CRYPTO_H
#define DMVPN_IKEV2_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipaddr;

/* Transform Type 1, encryption algorithms. */
#define IKEV2_C_ENCR_AES_CBC           12 /* RFC 3602, key length attribute 128/256 */
#define IKEV2_C_ENCR_AES_GCM_16        20 /* RFC 5282 (IKE), RFC 4106 (ESP); 128/256 */
#define IKEV2_C_ENCR_CHACHA20_POLY1305 28 /* RFC 7634; no key length attribute */

/* Transform Type 2, pseudorandom functions. */
#define IKEV2_C_PRF_HMAC_SHA2_256 5 /* RFC 4868 */
#define IKEV2_C_PRF_HMAC_SHA2_384 6
#define IKEV2_C_PRF_HMAC_SHA2_512 7

/* Transform Type 3, integrity algorithms. NONE is what an AEAD uses. */
#define IKEV2_C_INTEG_NONE              0
#define IKEV2_C_INTEG_HMAC_SHA2_256_128 12 /* RFC 4868 */
#define IKEV2_C_INTEG_HMAC_SHA2_384_192 13
#define IKEV2_C_INTEG_HMAC_SHA2_512_256 14

/* Transform Type 4, key exchange (Diffie-Hellman) groups. */
#define IKEV2_C_DH_MODP_2048  14 /* RFC 3526 */
#define IKEV2_C_DH_ECP_256    19 /* RFC 5903 */
#define IKEV2_C_DH_ECP_384    20
#define IKEV2_C_DH_CURVE25519 31 /* RFC 8031 */

/* Upper bounds, for stack buffers. */
#define IKEV2_C_DH_PUBLIC_MAX 256 /* MODP-2048 */
#define IKEV2_C_DH_SHARED_MAX 256
#define IKEV2_C_PRF_MAX       64 /* HMAC-SHA2-512 */
#define IKEV2_C_NAT_HASH_LEN  20 /* SHA-1 */

/* ------------------------------------------------------------------ */
/* Secrets: key material in its own allocation, wiped when freed. */

struct ikev2_secret {
	uint8_t *p; /* NULL when len == 0 */
	size_t len;
};

/*
 * Allocate len zeroed bytes into *s (OPENSSL_secure_zalloc: the secure heap
 * when the daemon has set one up with CRYPTO_secure_malloc_init, the normal
 * heap otherwise). len 0 gives {NULL, 0} and succeeds. *s must be empty.
 */
int ikev2_secret_alloc(struct ikev2_secret *s, size_t len);
/* Allocate and copy len bytes (a PSK read from the config, say). */
int ikev2_secret_set(struct ikev2_secret *s, const uint8_t *p, size_t len);
/* Wipe and free; leaves {NULL, 0}. Safe on an empty secret. */
void ikev2_secret_free(struct ikev2_secret *s);

/* ------------------------------------------------------------------ */
/* Randomness (RAND_bytes). */

int ikev2_random(uint8_t *out, size_t len);
/* A random non-zero IKE SPI (RFC 7296 3.1: zero means "not yet known"). */
int ikev2_spi_random(uint64_t *spi);
/* A random ESP SPI outside the reserved range 0-255 (RFC 4303 2.1). */
int ikev2_esp_spi_random(uint32_t *spi);

/* ------------------------------------------------------------------ */
/* Diffie-Hellman (RFC 7296 2.10, RFC 6989 checks on the peer's value). */

struct ikev2_dh;

bool ikev2_dh_supported(uint16_t group);
/* Generate our key pair. NULL for an unsupported group or on failure. */
struct ikev2_dh *ikev2_dh_new(uint16_t group);
/*
 * Tests only: a key pair from a fixed private key, so published vectors can
 * be checked. ECP: the scalar, big-endian, exactly the field size (32/48
 * bytes); X25519: the 32-byte scalar (RFC 7748); MODP: the exponent,
 * big-endian, 1..256 bytes.
 */
struct ikev2_dh *ikev2_dh_new_private(uint16_t group, const uint8_t *priv, size_t priv_len);
void ikev2_dh_free(struct ikev2_dh *dh);
uint16_t ikev2_dh_group(const struct ikev2_dh *dh);
/*
 * Length of the KE payload's key exchange data for a group: 256 (MODP-2048),
 * 64 (ECP-256), 96 (ECP-384), 32 (Curve25519); 0 when unsupported. The
 * shared secret has the same length except for ECP, where it is half (x).
 */
size_t ikev2_dh_public_len(uint16_t group);
size_t ikev2_dh_shared_len(uint16_t group);
/*
 * Our public value in wire form into out (len must be exactly
 * ikev2_dh_public_len): MODP big-endian left-padded to the prime length;
 * ECP x | y without the 0x04 prefix (RFC 5903 7); X25519 the 32-byte
 * u-coordinate (RFC 8031 2).
 */
int ikev2_dh_public(const struct ikev2_dh *dh, uint8_t *out, size_t len);
/*
 * Check the peer's public value and compute g^ir into *shared (which must
 * be empty; it is allocated here and left empty on failure). Refused, per
 * RFC 6989: a length other than ikev2_dh_public_len; MODP y <= 1 or
 * y >= p - 1; an ECP point that is not on the curve; an X25519 result of all
 * zeros (RFC 8031 2.1). The secret is in wire form: MODP padded to the prime
 * length, ECP the x coordinate (RFC 5903 7), X25519 32 bytes.
 */
int ikev2_dh_derive(struct ikev2_dh *dh, const uint8_t *peer, size_t peer_len,
                    struct ikev2_secret *shared);

/* ------------------------------------------------------------------ */
/* PRF (HMAC-SHA2, RFC 4868) and prf+ (RFC 7296 2.13). */

/* Output (and preferred key) length of a PRF; 0 when unsupported. */
size_t ikev2_prf_len(uint16_t prf);
/* out receives ikev2_prf_len(prf) bytes. */
int ikev2_prf(uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *data, size_t dlen,
              uint8_t *out);
/*
 * prf+ (RFC 7296 2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n),
 * output T1 | T2 | ... cut to outlen. Refuses outlen > 255 * prf_len.
 */
int ikev2_prf_plus(uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *seed, size_t slen,
                   uint8_t *out, size_t outlen);

/* ------------------------------------------------------------------ */
/* Transform parameters. */

struct ikev2_alg {
	uint16_t encr;      /* IKEV2_C_ENCR_* */
	uint16_t encr_bits; /* Key Length attribute: 128 or 256; 0 for ChaCha20 */
	uint16_t integ;     /* IKEV2_C_INTEG_*; NONE with an AEAD */
	uint16_t prf;       /* IKEV2_C_PRF_*; unused for ESP */
};

bool ikev2_encr_is_aead(uint16_t encr);
/*
 * Encryption key length in bytes, including the salt of an AEAD: AES-CBC
 * 16/32; AES-GCM-16 16/32 + 4 (RFC 5282 7.1); ChaCha20-Poly1305 32 + 4
 * (RFC 7634 2). This is the length of SK_ei/SK_er and of each ESP
 * encryption key cut from KEYMAT. 0 when unsupported.
 */
size_t ikev2_encr_key_len(const struct ikev2_alg *alg);
/* Integrity key length: 32/48/64 for HMAC-SHA2-256/384/512 (RFC 4868); 0 for NONE. */
size_t ikev2_integ_key_len(uint16_t integ);
/* IV on the wire: 16 for AES-CBC, 8 for AES-GCM and ChaCha20-Poly1305. */
size_t ikev2_encr_iv_len(uint16_t encr);
/* ICV length: 16 for the AEADs; 16/24/32 for the truncated HMACs. */
size_t ikev2_icv_len(const struct ikev2_alg *alg);
/*
 * What the encrypted part (payloads | padding | pad length byte) is padded
 * to a multiple of: 16 for AES-CBC; 1 for the AEADs, which need no padding
 * in IKEv2 (RFC 5282 3, RFC 7634 4; a receiver accepts any padding).
 */
size_t ikev2_encr_block_len(uint16_t encr);
/*
 * Combinations we support. IKE SA: AES-GCM-16 128/256 with integ NONE, or
 * AES-CBC 128/256 with HMAC-SHA2-256-128/384-192/512-256; the PRF one of
 * HMAC-SHA2-256/384/512. Child SA (ESP): AES-GCM-16 128/256 or
 * ChaCha20-Poly1305 with integ NONE, or AES-CBC 128/256 with
 * HMAC-SHA2-256-128; prf ignored.
 */
bool ikev2_alg_ike_valid(const struct ikev2_alg *alg);
bool ikev2_alg_esp_valid(const struct ikev2_alg *alg);

/* ------------------------------------------------------------------ */
/* Key derivation. */

struct ikev2_ike_keys {
	struct ikev2_secret sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

/*
 * RFC 7296 2.14: SKEYSEED = prf(Ni | Nr, g^ir); {SK_d | SK_ai | SK_ar |
 * SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr),
 * SPIs in network byte order. SK_d/SK_pi/SK_pr are prf_len long, SK_a*
 * ikev2_integ_key_len (empty for an AEAD), SK_e* ikev2_encr_key_len (the
 * AEAD salt is the last 4 bytes). *out must be empty (zeroed); it is left
 * empty on failure. The full nonces form the key: the first-64-bit rule of
 * 2.14 applies to AES-XCBC/CMAC PRFs only, which we do not offer.
 */
int ikev2_derive_ike_keys(const struct ikev2_alg *alg, const uint8_t *ni, size_t ni_len,
                          const uint8_t *nr, size_t nr_len, const struct ikev2_secret *g_ir,
                          uint64_t spi_i, uint64_t spi_r, struct ikev2_ike_keys *out);
/*
 * IKE SA rekey (RFC 7296 2.18): SKEYSEED = prf_old(SK_d_old, g^ir (new) |
 * Ni | Nr), then the keys of the new SA with its own algorithms as in 2.14
 * (prf+ with alg_new->prf; Ni, Nr, SPIi, SPIr those of the new SA).
 */
int ikev2_derive_ike_keys_rekey(const struct ikev2_alg *alg_new, uint16_t old_prf,
                                const struct ikev2_secret *old_sk_d,
                                const struct ikev2_secret *g_ir_new, const uint8_t *ni,
                                size_t ni_len, const uint8_t *nr, size_t nr_len, uint64_t spi_i,
                                uint64_t spi_r, struct ikev2_ike_keys *out);
/*
 * Child SA keys (RFC 7296 2.17): KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr)
 * into out. g_ir_or_null is NULL without PFS. The caller cuts KEYMAT in
 * order: initiator->responder encr | integ, then responder->initiator
 * encr | integ (each encr key with its AEAD salt at its end).
 */
int ikev2_derive_child_keys(uint16_t prf, const struct ikev2_secret *sk_d,
                            const struct ikev2_secret *g_ir_or_null, const uint8_t *ni,
                            size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
                            size_t outlen);
/* Wipe and free every key; leaves *keys empty. */
void ikev2_ike_keys_free(struct ikev2_ike_keys *keys);

/* ------------------------------------------------------------------ */
/* SK payload protection (RFC 7296 3.14; RFC 5282 for AES-GCM, RFC 7634 for ChaCha20). */

/*
 * Length of the SK payload body for plain_len bytes of inner payloads:
 * IV | encrypted(payloads | padding | pad length) | ICV. 0 if alg is
 * unsupported. The SK generic payload length is 4 + this.
 */
size_t ikev2_sk_body_len(const struct ikev2_alg *alg, size_t plain_len);
/*
 * Protect a message in place. msg is the whole IKE message, msg_len long,
 * with the IKE header (length field already final) and the SK generic
 * payload header written; the SK body starts at body_off and runs to
 * msg_len, so msg_len - body_off must equal ikev2_sk_body_len(alg,
 * plain_len). plain may point anywhere, inside msg too.
 *
 * ek is SK_ei/SK_er (for an AEAD the key then the 4-byte salt), ak is
 * SK_ai/SK_ar (ignored, may be NULL, for an AEAD).
 *
 * The IV: AES-CBC takes a fresh random IV (3.14 wants it unpredictable) and
 * ignores iv_ctr. An AEAD IV must never repeat under one key (RFC 5282 3.1):
 * pass the counter kept beside that key (one per direction per IKE SA,
 * starting at 0); the IV is its value, big-endian, and it is incremented.
 * The message ID alone is not unique per key: our requests and our
 * responses use the same SK_e with independent message ID spaces. With
 * iv_ctr NULL an AEAD takes a random IV.
 *
 * AEAD: nonce = salt | IV, AAD = msg[0, body_off) (the IKE header through
 * the SK generic payload header, RFC 5282 5.1). CBC + HMAC: the ICV is the
 * truncated HMAC over msg[0, msg_len - icv_len).
 */
int ikev2_sk_seal(const struct ikev2_alg *alg, const struct ikev2_secret *ek,
                  const struct ikev2_secret *ak, uint64_t *iv_ctr, uint8_t *msg, size_t msg_len,
                  size_t body_off, const uint8_t *plain, size_t plain_len);
/*
 * Verify and decrypt the SK body msg[body_off, msg_len). The ICV is checked
 * first (in constant time), then the pad length against the decrypted length.
 * The inner payload chain goes to plain; cap must be at least the
 * ciphertext length (msg_len - body_off is always enough). *plain_len is
 * the length of the payloads without padding. plain is wiped on failure.
 */
int ikev2_sk_open(const struct ikev2_alg *alg, const struct ikev2_secret *ek,
                  const struct ikev2_secret *ak, const uint8_t *msg, size_t msg_len,
                  size_t body_off, uint8_t *plain, size_t cap, size_t *plain_len);

/*
 * The AEAD and CBC primitives under seal/open, exposed for known-answer
 * tests. key is the cipher key without the salt (16/32 bytes; 32 for
 * ChaCha20), nonce 12 bytes (salt | IV), tag 16 bytes. in and out may be
 * the same buffer. ikev2_aead_decrypt fails, with out wiped, on a tag
 * mismatch. ikev2_cbc_crypt: AES-CBC without padding, len a multiple of 16.
 */
int ikev2_aead_encrypt(uint16_t encr, const uint8_t *key, size_t klen, const uint8_t *nonce,
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                       uint8_t *out, uint8_t *tag);
int ikev2_aead_decrypt(uint16_t encr, const uint8_t *key, size_t klen, const uint8_t *nonce,
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                       const uint8_t *tag, uint8_t *out);
int ikev2_cbc_crypt(bool encrypt, const uint8_t *key, size_t klen, const uint8_t *iv,
                    const uint8_t *in, size_t len, uint8_t *out);

/* ------------------------------------------------------------------ */
/* Authentication (RFC 7296 2.15). */

/*
 * Shared-key AUTH data: prf(prf(PSK, "Key Pad for IKEv2"), msg | peer_nonce |
 * prf(SK_p, id_body)).
 *   msg: the signer's first message (IKE_SA_INIT request for the
 *        initiator's AUTH, the response for the responder's), as sent;
 *   peer_nonce: the other side's nonce data (Nr for the initiator);
 *   sk_p: SK_pi for the initiator's AUTH, SK_pr for the responder's;
 *   id_body: the signer's ID payload body (ID type, 3 reserved bytes, data).
 * out receives ikev2_prf_len(prf) bytes (IKEV2_C_PRF_MAX is enough); the
 * length is stored in *out_len.
 */
int ikev2_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len, const uint8_t *msg,
                   size_t msg_len, const uint8_t *peer_nonce, size_t pn_len,
                   const struct ikev2_secret *sk_p, const uint8_t *id_body, size_t id_body_len,
                   uint8_t *out, size_t *out_len);
/* Constant-time equality (CRYPTO_memcmp); different lengths are unequal. */
bool ikev2_auth_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/* ------------------------------------------------------------------ */
/* NAT detection (RFC 7296 2.23). */

/*
 * SHA-1(SPIi | SPIr | IP | port), SPIs and port in network byte order, IP
 * 4 or 16 bytes: the data of NAT_DETECTION_SOURCE_IP / _DESTINATION_IP.
 * Fails for an unset address.
 */
int ikev2_nat_hash(uint64_t spi_i, uint64_t spi_r, const struct ipaddr *ip, uint16_t port,
                   uint8_t out[IKEV2_C_NAT_HASH_LEN]);

#endif
