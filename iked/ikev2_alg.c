/*
 * IKEv2 transform parameters: key, IV, ICV and block lengths per IANA
 * transform ID, and the combinations we offer and accept.
 */
#include "iked/ikev2_crypto.h"

bool ikev2_encr_is_aead(uint16_t encr)
{
	return encr == IKEV2_C_ENCR_AES_GCM_16 || encr == IKEV2_C_ENCR_CHACHA20_POLY1305;
}

/* The cipher key without any salt; 0 for an unsupported transform or size. */
static size_t encr_cipher_key_len(const struct ikev2_alg *alg)
{
	switch (alg->encr) {
	case IKEV2_C_ENCR_AES_CBC:
	case IKEV2_C_ENCR_AES_GCM_16:
		/* The Key Length attribute is mandatory for AES (RFC 7296 3.3.5). */
		if (alg->encr_bits == 128 || alg->encr_bits == 256)
			return alg->encr_bits / 8;
		return 0;
	case IKEV2_C_ENCR_CHACHA20_POLY1305:
		/* RFC 7634 2: no Key Length attribute; accept an explicit 256 too. */
		if (alg->encr_bits == 0 || alg->encr_bits == 256)
			return 32;
		return 0;
	}
	return 0;
}

size_t ikev2_encr_key_len(const struct ikev2_alg *alg)
{
	size_t klen = encr_cipher_key_len(alg);

	if (klen == 0)
		return 0;
	/* The AEADs take a 4-byte salt after the key (RFC 5282 7.1, RFC 7634 2). */
	return ikev2_encr_is_aead(alg->encr) ? klen + 4 : klen;
}

size_t ikev2_integ_key_len(uint16_t integ)
{
	/* RFC 4868 2.1.1: the key is as long as the full HMAC output. */
	switch (integ) {
	case IKEV2_C_INTEG_HMAC_SHA2_256_128:
		return 32;
	case IKEV2_C_INTEG_HMAC_SHA2_384_192:
		return 48;
	case IKEV2_C_INTEG_HMAC_SHA2_512_256:
		return 64;
	}
	return 0;
}

size_t ikev2_encr_iv_len(uint16_t encr)
{
	switch (encr) {
	case IKEV2_C_ENCR_AES_CBC:
		return 16;
	case IKEV2_C_ENCR_AES_GCM_16:
	case IKEV2_C_ENCR_CHACHA20_POLY1305:
		return 8;
	}
	return 0;
}

size_t ikev2_icv_len(const struct ikev2_alg *alg)
{
	if (ikev2_encr_is_aead(alg->encr))
		return alg->integ == IKEV2_C_INTEG_NONE ? 16 : 0;
	/* RFC 4868 2.3: truncated to half the hash output. */
	switch (alg->integ) {
	case IKEV2_C_INTEG_HMAC_SHA2_256_128:
		return 16;
	case IKEV2_C_INTEG_HMAC_SHA2_384_192:
		return 24;
	case IKEV2_C_INTEG_HMAC_SHA2_512_256:
		return 32;
	}
	return 0;
}

size_t ikev2_encr_block_len(uint16_t encr)
{
	switch (encr) {
	case IKEV2_C_ENCR_AES_CBC:
		return 16;
	case IKEV2_C_ENCR_AES_GCM_16:
	case IKEV2_C_ENCR_CHACHA20_POLY1305:
		return 1;
	}
	return 0;
}

bool ikev2_alg_ike_valid(const struct ikev2_alg *alg)
{
	if (ikev2_prf_len(alg->prf) == 0)
		return false;
	switch (alg->encr) {
	case IKEV2_C_ENCR_AES_GCM_16:
		return encr_cipher_key_len(alg) != 0 && alg->integ == IKEV2_C_INTEG_NONE;
	case IKEV2_C_ENCR_AES_CBC:
		return encr_cipher_key_len(alg) != 0 && ikev2_integ_key_len(alg->integ) != 0;
	}
	return false;
}

bool ikev2_alg_esp_valid(const struct ikev2_alg *alg)
{
	switch (alg->encr) {
	case IKEV2_C_ENCR_AES_GCM_16:
	case IKEV2_C_ENCR_CHACHA20_POLY1305:
		return encr_cipher_key_len(alg) != 0 && alg->integ == IKEV2_C_INTEG_NONE;
	case IKEV2_C_ENCR_AES_CBC:
		return encr_cipher_key_len(alg) != 0 &&
		       alg->integ == IKEV2_C_INTEG_HMAC_SHA2_256_128;
	}
	return false;
}
