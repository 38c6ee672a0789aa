/*
 * Proposals as text: strongSwan-style strings in the configuration
 * ("aes256gcm16-prfsha384-x25519", "aes128-sha256-ecp256", ESP
 * "aes256gcm16", "chacha20poly1305", "aes128-sha256") parsed into
 * algorithms and printed back in one canonical spelling; and the names
 * show gives the algorithms.
 */
#include <stdio.h>
#include <string.h>

#include "iked/iked.h"

struct ike_token {
	const char *name;
	int kind; /* 0 encr, 1 integ, 2 prf, 3 dh */
	uint16_t id;
	uint16_t bits;
};

static const struct ike_token ike_tokens[] = {
    {"aes128", 0, IKEV2_ENCR_AES_CBC, 128},
    {"aes256", 0, IKEV2_ENCR_AES_CBC, 256},
    {"aes128gcm16", 0, IKEV2_ENCR_AES_GCM_16, 128},
    {"aes256gcm16", 0, IKEV2_ENCR_AES_GCM_16, 256},
    {"chacha20poly1305", 0, IKEV2_ENCR_CHACHA20_POLY1305, 0},
    {"sha256", 1, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
    {"sha384", 1, IKEV2_INTEG_HMAC_SHA2_384_192, 0},
    {"sha512", 1, IKEV2_INTEG_HMAC_SHA2_512_256, 0},
    {"prfsha256", 2, IKEV2_PRF_HMAC_SHA2_256, 0},
    {"prfsha384", 2, IKEV2_PRF_HMAC_SHA2_384, 0},
    {"prfsha512", 2, IKEV2_PRF_HMAC_SHA2_512, 0},
    {"modp2048", 3, IKEV2_DH_MODP_2048, 0},
    {"ecp256", 3, IKEV2_DH_ECP_256, 0},
    {"ecp384", 3, IKEV2_DH_ECP_384, 0},
    {"x25519", 3, IKEV2_DH_CURVE25519, 0},
    {"curve25519", 3, IKEV2_DH_CURVE25519, 0},
};

/* The PRF that goes with an integrity algorithm when none is named. */
static uint16_t ike_prf_for_integ(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return IKEV2_PRF_HMAC_SHA2_384;
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return IKEV2_PRF_HMAC_SHA2_512;
	default:
		return IKEV2_PRF_HMAC_SHA2_256;
	}
}

/* The first (canonical) name of a transform: x25519, not curve25519. */
static const char *ike_token_name(int kind, uint16_t id, uint16_t bits)
{
	for (size_t i = 0; i < sizeof(ike_tokens) / sizeof(ike_tokens[0]); i++)
		if (ike_tokens[i].kind == kind && ike_tokens[i].id == id &&
		    ike_tokens[i].bits == bits)
			return ike_tokens[i].name;
	return "?";
}

/*
 * One spelling per proposal, whatever was typed: encr, integ, prf (named
 * for an AEAD, and when it is not the integrity algorithm's hash), dh.
 * Running-config prints it, and "no proposal X" finds X in any spelling.
 */
static void ike_proposal_canon(struct iked_proposal *p, bool esp)
{
	size_t n = sizeof(p->text), o;

	o = (size_t)snprintf(p->text, n, "%s", ike_token_name(0, p->alg.encr, p->alg.encr_bits));
	if (p->alg.integ && o < n)
		o +=
		    (size_t)snprintf(p->text + o, n - o, "-%s", ike_token_name(1, p->alg.integ, 0));
	if (!esp && (!p->alg.integ || p->alg.prf != ike_prf_for_integ(p->alg.integ)) && o < n)
		o += (size_t)snprintf(p->text + o, n - o, "-%s", ike_token_name(2, p->alg.prf, 0));
	if (!esp && o < n)
		snprintf(p->text + o, n - o, "-%s", ike_token_name(3, p->dh, 0));
}

int iked_proposal_parse(const char *s, bool esp, struct iked_proposal *p)
{
	char buf[64], *save = NULL, *tok;
	bool have[4] = {false};

	if (strlen(s) >= sizeof(buf))
		return -1;
	memset(p, 0, sizeof(*p));
	strcpy(buf, s);
	for (tok = strtok_r(buf, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
		const struct ike_token *t = NULL;

		for (size_t i = 0; i < sizeof(ike_tokens) / sizeof(ike_tokens[0]); i++)
			if (!strcmp(ike_tokens[i].name, tok))
				t = &ike_tokens[i];
		if (!t || have[t->kind])
			return -1;
		have[t->kind] = true;
		switch (t->kind) {
		case 0:
			p->alg.encr = t->id;
			p->alg.encr_bits = t->bits;
			break;
		case 1:
			p->alg.integ = t->id;
			break;
		case 2:
			p->alg.prf = t->id;
			break;
		default:
			p->dh = t->id;
			break;
		}
	}
	if (!have[0])
		return -1;
	if (esp) {
		/* No PRF and (without PFS in CREATE_CHILD_SA) no DH for ESP. */
		if (have[2] || have[3] || !ikev2_alg_esp_valid(&p->alg))
			return -1;
	} else {
		if (!have[3])
			return -1;
		if (!have[2])
			p->alg.prf = ike_prf_for_integ(p->alg.integ);
		if (!ikev2_alg_ike_valid(&p->alg))
			return -1;
	}
	ike_proposal_canon(p, esp);
	return 0;
}

const char *ike_encr_name(const struct ikev2_alg *a, char *buf, size_t len)
{
	switch (a->encr) {
	case IKEV2_ENCR_AES_CBC:
		snprintf(buf, len, "AES_CBC_%u", a->encr_bits);
		break;
	case IKEV2_ENCR_AES_GCM_16:
		snprintf(buf, len, "AES_GCM_16_%u", a->encr_bits);
		break;
	case IKEV2_ENCR_CHACHA20_POLY1305:
		snprintf(buf, len, "CHACHA20_POLY1305");
		break;
	default:
		snprintf(buf, len, "ENCR_%u", a->encr);
		break;
	}
	return buf;
}

const char *ike_integ_name(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		return "HMAC_SHA2_256_128";
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return "HMAC_SHA2_384_192";
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return "HMAC_SHA2_512_256";
	default:
		return "NONE";
	}
}

const char *ike_prf_name(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_SHA2_256:
		return "PRF_HMAC_SHA2_256";
	case IKEV2_PRF_HMAC_SHA2_384:
		return "PRF_HMAC_SHA2_384";
	case IKEV2_PRF_HMAC_SHA2_512:
		return "PRF_HMAC_SHA2_512";
	default:
		return "NONE";
	}
}

const char *ike_dh_name(uint16_t group)
{
	switch (group) {
	case IKEV2_DH_MODP_2048:
		return "MODP_2048";
	case IKEV2_DH_ECP_256:
		return "ECP_256";
	case IKEV2_DH_ECP_384:
		return "ECP_384";
	case IKEV2_DH_CURVE25519:
		return "CURVE_25519";
	default:
		return "NONE";
	}
}
