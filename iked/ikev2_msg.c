/*
 * IKEv2 message codec: name tables and the size rules the decoder
 * (ikev2_msg_decode.c) and the builder (ikev2_msg_build.c) share, so that
 * whatever the builder writes, the decoder accepts; and the queries every
 * exchange asks of a decoded message.
 */
#include "iked/ikev2_msg.h"

#define N_NAMES(a) (sizeof(a) / sizeof((a)[0]))

struct ikev2_name {
	unsigned value;
	const char *name;
};

static const char *const exchange_names[] = {
    [IKEV2_EXCHANGE_IKE_SA_INIT] = "IKE_SA_INIT",
    [IKEV2_EXCHANGE_IKE_AUTH] = "IKE_AUTH",
    [IKEV2_EXCHANGE_CREATE_CHILD_SA] = "CREATE_CHILD_SA",
    [IKEV2_EXCHANGE_INFORMATIONAL] = "INFORMATIONAL",
};

static const char *const payload_names[] = {
    [IKEV2_PAYLOAD_NONE] = "none",       [IKEV2_PAYLOAD_SA] = "SA",
    [IKEV2_PAYLOAD_KE] = "KE",           [IKEV2_PAYLOAD_IDI] = "IDi",
    [IKEV2_PAYLOAD_IDR] = "IDr",         [IKEV2_PAYLOAD_CERT] = "CERT",
    [IKEV2_PAYLOAD_CERTREQ] = "CERTREQ", [IKEV2_PAYLOAD_AUTH] = "AUTH",
    [IKEV2_PAYLOAD_NONCE] = "Ni/Nr",     [IKEV2_PAYLOAD_NOTIFY] = "N",
    [IKEV2_PAYLOAD_DELETE] = "D",        [IKEV2_PAYLOAD_VENDOR] = "V",
    [IKEV2_PAYLOAD_TSI] = "TSi",         [IKEV2_PAYLOAD_TSR] = "TSr",
    [IKEV2_PAYLOAD_SK] = "SK",           [IKEV2_PAYLOAD_CP] = "CP",
    [IKEV2_PAYLOAD_EAP] = "EAP",         [IKEV2_PAYLOAD_SKF] = "SKF",
};

static const struct ikev2_name notify_names[] = {
    {IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD"},
    {IKEV2_N_INVALID_IKE_SPI, "INVALID_IKE_SPI"},
    {IKEV2_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION"},
    {IKEV2_N_INVALID_SYNTAX, "INVALID_SYNTAX"},
    {IKEV2_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID"},
    {IKEV2_N_INVALID_SPI, "INVALID_SPI"},
    {IKEV2_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"},
    {IKEV2_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD"},
    {IKEV2_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"},
    {IKEV2_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED"},
    {IKEV2_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS"},
    {IKEV2_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE"},
    {IKEV2_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED"},
    {IKEV2_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE"},
    {IKEV2_N_INVALID_SELECTORS, "INVALID_SELECTORS"},
    {IKEV2_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE"},
    {IKEV2_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND"},
    {IKEV2_N_INITIAL_CONTACT, "INITIAL_CONTACT"},
    {IKEV2_N_SET_WINDOW_SIZE, "SET_WINDOW_SIZE"},
    {IKEV2_N_ADDITIONAL_TS_POSSIBLE, "ADDITIONAL_TS_POSSIBLE"},
    {IKEV2_N_IPCOMP_SUPPORTED, "IPCOMP_SUPPORTED"},
    {IKEV2_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP"},
    {IKEV2_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP"},
    {IKEV2_N_COOKIE, "COOKIE"},
    {IKEV2_N_USE_TRANSPORT_MODE, "USE_TRANSPORT_MODE"},
    {IKEV2_N_REKEY_SA, "REKEY_SA"},
    {IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, "ESP_TFC_PADDING_NOT_SUPPORTED"},
    {IKEV2_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO"},
    {IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, "IKEV2_FRAGMENTATION_SUPPORTED"},
    {IKEV2_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS"},
};

static const char *const transform_type_names[] = {
    [IKEV2_TRANSFORM_ENCR] = "ENCR",   [IKEV2_TRANSFORM_PRF] = "PRF",
    [IKEV2_TRANSFORM_INTEG] = "INTEG", [IKEV2_TRANSFORM_DH] = "DH",
    [IKEV2_TRANSFORM_ESN] = "ESN",
};

/* Transform IDs (IANA "IKEv2 Transform Attribute" registries), per type. */
static const struct ikev2_name encr_names[] = {
    {IKEV2_ENCR_AES_CBC, "ENCR_AES_CBC"},
    {IKEV2_ENCR_AES_GCM_16, "ENCR_AES_GCM_16"},
    {IKEV2_ENCR_CHACHA20_POLY1305, "ENCR_CHACHA20_POLY1305"},
};
static const struct ikev2_name prf_names[] = {
    {IKEV2_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256"},
    {IKEV2_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384"},
    {IKEV2_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512"},
};
static const struct ikev2_name integ_names[] = {
    {IKEV2_INTEG_HMAC_SHA2_256_128, "AUTH_HMAC_SHA2_256_128"},
    {IKEV2_INTEG_HMAC_SHA2_384_192, "AUTH_HMAC_SHA2_384_192"},
    {IKEV2_INTEG_HMAC_SHA2_512_256, "AUTH_HMAC_SHA2_512_256"},
};
static const struct ikev2_name dh_names[] = {
    {IKEV2_DH_MODP_2048, "MODP_2048"},
    {IKEV2_DH_ECP_256, "ECP_256"},
    {IKEV2_DH_ECP_384, "ECP_384"},
    {IKEV2_DH_CURVE25519, "CURVE25519"},
};
static const struct ikev2_name esn_names[] = {
    {IKEV2_ESN_NONE, "NO_ESN"},
    {IKEV2_ESN_ENABLED, "ESN"},
};

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

static const char *name_find(const struct ikev2_name *names, size_t n, unsigned v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i].value == v)
			return names[i].name;
	return "unknown";
}

const char *ikev2_exchange_name(unsigned exchange)
{
	return name_of(exchange_names, N_NAMES(exchange_names), exchange);
}

const char *ikev2_payload_name(unsigned type)
{
	return name_of(payload_names, N_NAMES(payload_names), type);
}

const char *ikev2_notify_name(unsigned type)
{
	return name_find(notify_names, N_NAMES(notify_names), type);
}

const char *ikev2_transform_type_name(unsigned type)
{
	return name_of(transform_type_names, N_NAMES(transform_type_names), type);
}

const char *ikev2_transform_id_name(unsigned type, unsigned id)
{
	switch (type) {
	case IKEV2_TRANSFORM_ENCR:
		return name_find(encr_names, N_NAMES(encr_names), id);
	case IKEV2_TRANSFORM_PRF:
		return name_find(prf_names, N_NAMES(prf_names), id);
	case IKEV2_TRANSFORM_INTEG:
		return name_find(integ_names, N_NAMES(integ_names), id);
	case IKEV2_TRANSFORM_DH:
		return name_find(dh_names, N_NAMES(dh_names), id);
	case IKEV2_TRANSFORM_ESN:
		return name_find(esn_names, N_NAMES(esn_names), id);
	default:
		return "unknown";
	}
}

size_t ikev2_dh_public_len(uint16_t group)
{
	switch (group) {
	case IKEV2_DH_MODP_2048:
		return 256; /* the prime's length (RFC 7296 3.4) */
	case IKEV2_DH_ECP_256:
		return 64; /* x | y (RFC 5903 7) */
	case IKEV2_DH_ECP_384:
		return 96;
	case IKEV2_DH_CURVE25519:
		return 32; /* RFC 8031 3.1 */
	default:
		return 0;
	}
}

bool ikev2_notify_data_ok(uint16_t type, size_t len)
{
	switch (type) {
	case IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD: /* the payload type */
		return len == 1;
	case IKEV2_N_INVALID_KE_PAYLOAD: /* the group we want (RFC 7296 1.2) */
		return len == 2;
	case IKEV2_N_INVALID_MESSAGE_ID:
	case IKEV2_N_SET_WINDOW_SIZE:
		return len == 4;
	case IKEV2_N_NAT_DETECTION_SOURCE_IP: /* SHA-1 (RFC 7296 2.23) */
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
		return len == IKEV2_NATD_LEN;
	case IKEV2_N_COOKIE: /* RFC 7296 2.6 */
		return len >= 1 && len <= IKEV2_COOKIE_MAX;
	case IKEV2_N_IPCOMP_SUPPORTED: /* CPI and transform ID (3.10.1) */
		return len >= 3;
	case IKEV2_N_SIGNATURE_HASH_ALGORITHMS: /* 2-byte IDs (RFC 7427 4) */
		return len >= 2 && len % 2 == 0;
	case IKEV2_N_INITIAL_CONTACT:
	case IKEV2_N_ADDITIONAL_TS_POSSIBLE:
	case IKEV2_N_USE_TRANSPORT_MODE:
	case IKEV2_N_REKEY_SA:
	case IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED:
	case IKEV2_N_NON_FIRST_FRAGMENTS_ALSO:
	case IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED: /* RFC 7383 2.3 */
		return len == 0;
	default:
		return true;
	}
}

bool ikev2_proposal_spi_ok(uint8_t protocol, uint8_t spi_size)
{
	switch (protocol) {
	case IKEV2_PROTO_IKE: /* none in IKE_SA_INIT, 8 when rekeying */
		return spi_size == 0 || spi_size == IKEV2_SPI_SIZE_IKE;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		return spi_size == IKEV2_SPI_SIZE_ESP;
	default: /* unknown: whatever fits our struct */
		return spi_size <= 8;
	}
}

bool ikev2_id_data_ok(uint8_t id_type, size_t len)
{
	switch (id_type) {
	case IKEV2_ID_IPV4_ADDR:
		return len == 4;
	case IKEV2_ID_IPV6_ADDR:
		return len == 16;
	default:
		return len >= 1;
	}
}

bool ikev2_delete_spis_ok(uint8_t protocol, uint8_t spi_size, uint16_t n_spi)
{
	switch (protocol) {
	case IKEV2_PROTO_IKE:
		return spi_size == 0 && n_spi == 0;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		return spi_size == IKEV2_SPI_SIZE_ESP && n_spi > 0;
	default:
		return false;
	}
}

const struct ikev2_notify *ikev2_notify_find(const struct ikev2_msg *m, uint16_t type)
{
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

uint16_t ikev2_notify_error(const struct ikev2_msg *m)
{
	for (size_t i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < IKEV2_N_STATUS_MIN)
			return m->notify[i].type;
	return 0;
}
