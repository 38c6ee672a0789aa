/*
 * NHRP packet decoder (RFC 2332 5), name tables and the helpers the encoder
 * (nhrp_packet_encode.c) shares.
 *
 * Every length a packet claims is checked against the bytes it came in, in
 * this order: the fixed header and ar$pktsz against the buffer, the
 * checksum, version, type and address families, the mandatory part's
 * address lengths, then each CIE and each extension in a sub-buffer of
 * exactly its declared length, and last that End of Extensions ends the
 * packet. What the RFC leaves unused or says to ignore on receipt
 * (ar$pro.snap for a short-form protocol type, the unused words of an Error
 * Indication and of a CIE) is not kept: it re-encodes as zero.
 */
#include "nhrpd/nhrp_packet.h"

#include <string.h>

#include "lib/buf.h"
#include "lib/csum.h"

/* Offsets in the fixed header (RFC 2332 5.1) and mandatory part (5.2.0). */
#define OFF_AFN           0
#define OFF_PRO_TYPE      2
#define OFF_PKTSZ         10
#define OFF_CHKSUM        12
#define OFF_EXTOFF        14
#define OFF_VERSION       16
#define OFF_TYPE          17
#define OFF_SHTL          18
#define OFF_SSTL          19
#define OFF_SRC_PROTO_LEN 20
#define OFF_DST_PROTO_LEN 21
#define OFF_ADDRS         28 /* after 8 octets of lengths, flags and request ID */
#define CIE_HDR_LEN       12

#define N_NAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *const nhrp_type_names[] = {
    [NHRP_RESOLUTION_REQUEST] = "resolution-request",
    [NHRP_RESOLUTION_REPLY] = "resolution-reply",
    [NHRP_REGISTRATION_REQUEST] = "registration-request",
    [NHRP_REGISTRATION_REPLY] = "registration-reply",
    [NHRP_PURGE_REQUEST] = "purge-request",
    [NHRP_PURGE_REPLY] = "purge-reply",
    [NHRP_ERROR_INDICATION] = "error-indication",
    [NHRP_TRAFFIC_INDICATION] = "traffic-indication",
};

static const char *const nhrp_cie_code_names[] = {
    [NHRP_CODE_SUCCESS] = "success",
    [NHRP_CODE_ADMIN_PROHIBITED] = "administratively-prohibited",
    [NHRP_CODE_INSUFFICIENT_RESOURCES] = "insufficient-resources",
    [NHRP_CODE_NO_BINDING] = "no-binding",
    [NHRP_CODE_BINDING_NOT_UNIQUE] = "binding-not-unique",
    [NHRP_CODE_UNIQUE_ALREADY_REGISTERED] = "unique-already-registered",
};

static const char *const nhrp_error_code_names[] = {
    [NHRP_ERR_NONE] = "none",
    [NHRP_ERR_UNRECOGNIZED_EXTENSION] = "unrecognized-extension",
    [NHRP_ERR_LOOP_DETECTED] = "loop-detected",
    [NHRP_ERR_PROTO_ADDR_UNREACHABLE] = "protocol-address-unreachable",
    [NHRP_ERR_PROTOCOL_ERROR] = "protocol-error",
    [NHRP_ERR_SDU_SIZE_EXCEEDED] = "sdu-size-exceeded",
    [NHRP_ERR_INVALID_EXTENSION] = "invalid-extension",
    [NHRP_ERR_INVALID_RESOLUTION_REPLY] = "invalid-resolution-reply",
    [NHRP_ERR_AUTHENTICATION_FAILURE] = "authentication-failure",
    [NHRP_ERR_HOP_COUNT_EXCEEDED] = "hop-count-exceeded",
};

static const char *const nhrp_ext_type_names[] = {
    [NHRP_EXT_END] = "end",
    [NHRP_EXT_RESPONDER_ADDRESS] = "responder-address",
    [NHRP_EXT_FORWARD_TRANSIT] = "forward-transit-nhs",
    [NHRP_EXT_REVERSE_TRANSIT] = "reverse-transit-nhs",
    [NHRP_EXT_AUTHENTICATION] = "authentication",
    [NHRP_EXT_VENDOR_PRIVATE] = "vendor-private",
    [NHRP_EXT_NAT_ADDRESS] = "nat-address",
};

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *nhrp_type_name(unsigned type)
{
	return name_of(nhrp_type_names, N_NAMES(nhrp_type_names), type);
}

const char *nhrp_cie_code_name(unsigned code)
{
	return name_of(nhrp_cie_code_names, N_NAMES(nhrp_cie_code_names), code);
}

const char *nhrp_error_code_name(unsigned code)
{
	return name_of(nhrp_error_code_names, N_NAMES(nhrp_error_code_names), code);
}

const char *nhrp_ext_type_name(unsigned type)
{
	return name_of(nhrp_ext_type_names, N_NAMES(nhrp_ext_type_names),
	               type & ~(unsigned)NHRP_EXT_COMPULSORY);
}

sa_family_t nhrp_afn_family(uint16_t afn)
{
	return afn == NHRP_AFN_IPV4 ? AF_INET : afn == NHRP_AFN_IPV6 ? AF_INET6 : AF_UNSPEC;
}

sa_family_t nhrp_pro_family(uint16_t pro_type)
{
	return pro_type == NHRP_PRO_IPV4   ? AF_INET
	       : pro_type == NHRP_PRO_IPV6 ? AF_INET6
	                                   : AF_UNSPEC;
}

bool nhrp_ext_holds_cies(uint16_t type)
{
	switch (type & ~NHRP_EXT_COMPULSORY) {
	case NHRP_EXT_RESPONDER_ADDRESS: /* RFC 2332 5.3.1 */
	case NHRP_EXT_FORWARD_TRANSIT:   /* 5.3.2 */
	case NHRP_EXT_REVERSE_TRANSIT:   /* 5.3.3 */
	case NHRP_EXT_NAT_ADDRESS:       /* Cisco */
		return true;
	default:
		return false;
	}
}

bool nhrp_ext_is_unique(uint16_t type)
{
	return nhrp_ext_holds_cies(type) ||
	       (type & ~NHRP_EXT_COMPULSORY) == NHRP_EXT_AUTHENTICATION;
}

size_t nhrp_ext_min_len(uint16_t type)
{
	switch (type & ~NHRP_EXT_COMPULSORY) {
	case NHRP_EXT_AUTHENTICATION:
		return 4; /* 5.3.4: reserved and SPI (Cisco: a 4-octet type 1) */
	case NHRP_EXT_VENDOR_PRIVATE:
		return 3; /* 5.3.5: the vendor's IEEE OUI */
	default:
		return 0;
	}
}

static bool ext_is_known(uint16_t type)
{
	return nhrp_ext_holds_cies(type) || type == NHRP_EXT_AUTHENTICATION ||
	       type == NHRP_EXT_VENDOR_PRIVATE;
}

struct nhrp_ext *nhrp_packet_ext(struct nhrp_packet *p, uint16_t type)
{
	size_t i;

	type &= (uint16_t)~NHRP_EXT_COMPULSORY;
	for (i = 0; i < p->n_ext && i < NHRP_MAX_EXT; i++)
		if (p->ext[i].type == type)
			return &p->ext[i];
	return NULL;
}

struct nhrp_ext *nhrp_packet_add_ext(struct nhrp_packet *p, uint16_t type, bool compulsory)
{
	struct nhrp_ext *e;

	if (p->n_ext >= NHRP_MAX_EXT)
		return NULL;
	e = &p->ext[p->n_ext++];
	memset(e, 0, sizeof(*e));
	e->type = type & (uint16_t)~NHRP_EXT_COMPULSORY;
	e->compulsory = compulsory || (type & NHRP_EXT_COMPULSORY);
	p->has_extensions = true;
	return e;
}

static size_t family_len(sa_family_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

/* Decoding state: the packet's first byte, so errors carry offsets. */
struct nhrp_dec {
	const uint8_t *pkt;
	struct nhrp_packet *p;
	struct nhrp_decode_error *err;
	sa_family_t nbma_af, pro_af;
};

static int dec_fail(struct nhrp_dec *d, uint16_t code, size_t off, const char *reason)
{
	d->err->code = code;
	d->err->offset = (uint16_t)off;
	d->err->reason = reason;
	return -1;
}

static size_t dec_off(const struct nhrp_dec *d, const struct buf *b)
{
	return (size_t)(buf_cursor(b) - d->pkt);
}

/* Length 0 leaves *a unset (AF_UNSPEC); the caller has checked len. */
static int dec_addr(struct buf *b, size_t len, sa_family_t af, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (len == 0)
		return 0;
	if (buf_get_bytes(b, a->u.bytes, len) < 0)
		return -1;
	a->family = af;
	return 0;
}

/*
 * One CIE (RFC 2332 5.2.0.1). Client addresses may be empty (a request's
 * CIE usually is); a subaddress or an E.164-typed address is refused, as IP
 * has neither. Failures carry code: Protocol Error in the mandatory part,
 * Invalid Extension inside an extension.
 */
static int dec_cie(struct nhrp_dec *d, struct buf *b, uint16_t code, struct nhrp_cie *c)
{
	size_t at = dec_off(d, b);
	uint8_t addr_tl, saddr_tl, proto_len;
	uint16_t unused;

	if (buf_get_u8(b, &c->code) < 0 || buf_get_u8(b, &c->prefix_len) < 0 ||
	    buf_get_be16(b, &unused) < 0 || buf_get_be16(b, &c->mtu) < 0 ||
	    buf_get_be16(b, &c->holding_time) < 0 || buf_get_u8(b, &addr_tl) < 0 ||
	    buf_get_u8(b, &saddr_tl) < 0 || buf_get_u8(b, &proto_len) < 0 ||
	    buf_get_u8(b, &c->preference) < 0)
		return dec_fail(d, code, at, "truncated CIE");
	if (addr_tl != 0 && addr_tl != family_len(d->nbma_af))
		return dec_fail(d, code, at + 8, "CIE NBMA address does not match ar$afn");
	if (saddr_tl != 0)
		return dec_fail(d, code, at + 9, "CIE NBMA subaddress");
	if (proto_len != 0 && proto_len != family_len(d->pro_af))
		return dec_fail(d, code, at + 10,
		                "CIE protocol address does not match ar$pro.type");
	if (dec_addr(b, addr_tl, d->nbma_af, &c->nbma) < 0 ||
	    dec_addr(b, proto_len, d->pro_af, &c->proto) < 0)
		return dec_fail(d, code, at + CIE_HDR_LEN, "CIE addresses run past their part");
	return 0;
}

/* CIEs filling b exactly, at most max of them. */
static int dec_cie_list(struct nhrp_dec *d, struct buf *b, uint16_t code, struct nhrp_cie *cie,
                        size_t max, size_t *n)
{
	while (buf_remaining(b) > 0) {
		if (*n == max)
			return dec_fail(d, code, dec_off(d, b), "too many CIEs");
		if (dec_cie(d, b, code, &cie[*n]) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/*
 * The mandatory part (RFC 2332 5.2), in m, which ends at ar$extoff or
 * ar$pktsz (the field end_field blames when it is too short). Source NBMA
 * and protocol addresses are required; the destination may be empty only
 * in an Error Indication, whose sender may not have been able to read the
 * address of the packet in error (5.2.7).
 */
static int dec_mandatory(struct nhrp_dec *d, struct buf *m, uint8_t shtl, size_t end_field)
{
	struct nhrp_packet *p = d->p;
	size_t proto_len = family_len(d->pro_af);
	uint8_t src_len, dst_len;
	uint16_t unused;
	int rc;

	if (buf_get_u8(m, &src_len) < 0 || buf_get_u8(m, &dst_len) < 0)
		return dec_fail(d, NHRP_ERR_PROTOCOL_ERROR, end_field, "no mandatory part");
	/* A Traffic Indication has them too: Cisco puts its traffic code (0,
	 * redirect) where the flags are and leaves the request ID zero; FRR
	 * sends both zero. They are kept as they came. */
	if (p->type == NHRP_ERROR_INDICATION) /* 5.2.7: unused, code, offset */
		rc = buf_get_be16(m, &unused) < 0 || buf_get_be16(m, &p->error_code) < 0 ||
		     buf_get_be16(m, &p->error_offset) < 0;
	else
		rc = buf_get_be16(m, &p->flags) < 0 || buf_get_be32(m, &p->request_id) < 0;
	if (rc)
		return dec_fail(d, NHRP_ERR_PROTOCOL_ERROR, end_field, "no mandatory part");
	if (src_len != proto_len)
		return dec_fail(d, NHRP_ERR_PROTOCOL_ERROR, OFF_SRC_PROTO_LEN,
		                "source protocol address does not match ar$pro.type");
	if (dst_len != proto_len && !(dst_len == 0 && p->type == NHRP_ERROR_INDICATION))
		return dec_fail(d, NHRP_ERR_PROTOCOL_ERROR, OFF_DST_PROTO_LEN,
		                "destination protocol address does not match ar$pro.type");
	if (dec_addr(m, shtl, d->nbma_af, &p->src_nbma) < 0 ||
	    dec_addr(m, src_len, d->pro_af, &p->src_proto) < 0 ||
	    dec_addr(m, dst_len, d->pro_af, &p->dst_proto) < 0)
		return dec_fail(d, NHRP_ERR_PROTOCOL_ERROR, end_field,
		                "addresses run past the mandatory part");

	if (p->type == NHRP_ERROR_INDICATION || p->type == NHRP_TRAFFIC_INDICATION) {
		/* 5.2.7 and Cisco's redirect: (the head of) the packet at fault */
		p->payload_len = buf_remaining(m);
		if (p->payload_len)
			p->payload = buf_cursor(m);
		return 0;
	}
	return dec_cie_list(d, m, NHRP_ERR_PROTOCOL_ERROR, p->cie, NHRP_MAX_CIE, &p->n_cie);
}

/*
 * The extension part (RFC 2332 5.3), from ar$extoff to ar$pktsz: TLVs up to
 * End of Extensions (0x8000, length 0), which must end the packet. The
 * CIE-holding types are decoded, the rest kept raw. An unknown compulsory
 * extension is kept like any other, so that *p is complete, and reported
 * only once everything else has been checked: a transit NHS ignores it, a
 * responder answers with Unrecognized Extension (5.2.7, code 1).
 */
static int dec_extensions(struct nhrp_dec *d, struct buf *x)
{
	struct nhrp_packet *p = d->p;
	size_t unknown_at = SIZE_MAX, i;

	for (;;) {
		size_t at = dec_off(d, x);
		uint16_t type, len;
		struct nhrp_ext *e;
		struct buf v;

		if (buf_get_be16(x, &type) < 0 || buf_get_be16(x, &len) < 0)
			return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, at, "no End of Extensions");
		if (buf_sub(x, &v, len) < 0)
			return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, at,
			                "extension runs past ar$pktsz");
		if ((type & ~NHRP_EXT_COMPULSORY) == NHRP_EXT_END) {
			if (type != (NHRP_EXT_COMPULSORY | NHRP_EXT_END) || len != 0)
				return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, at,
				                "End of Extensions is not 0x8000 length 0");
			if (buf_remaining(x) > 0)
				return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, dec_off(d, x),
				                "bytes after End of Extensions");
			break;
		}
		if (p->n_ext == NHRP_MAX_EXT)
			return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, at, "too many extensions");
		e = &p->ext[p->n_ext];
		e->type = type & (uint16_t)~NHRP_EXT_COMPULSORY;
		e->compulsory = type & NHRP_EXT_COMPULSORY;
		for (i = 0; i < p->n_ext; i++)
			if (p->ext[i].type == e->type && nhrp_ext_is_unique(e->type))
				return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, at,
				                "duplicate extension");
		p->n_ext++;
		if (buf_remaining(&v) < nhrp_ext_min_len(e->type))
			return dec_fail(d, NHRP_ERR_INVALID_EXTENSION, at, "extension too short");
		if (nhrp_ext_holds_cies(e->type)) {
			if (dec_cie_list(d, &v, NHRP_ERR_INVALID_EXTENSION, e->cie,
			                 NHRP_MAX_EXT_CIE, &e->n_cie) < 0)
				return -1;
		} else {
			e->len = buf_remaining(&v);
			if (e->len)
				e->data = buf_cursor(&v);
		}
		if (e->compulsory && !ext_is_known(e->type) && unknown_at == SIZE_MAX)
			unknown_at = at;
	}
	if (unknown_at != SIZE_MAX)
		return dec_fail(d, NHRP_ERR_UNRECOGNIZED_EXTENSION, unknown_at,
		                "unrecognized compulsory extension");
	return 0;
}

int nhrp_decode(const uint8_t *pkt, size_t len, struct nhrp_packet *p,
                struct nhrp_decode_error *err)
{
	struct nhrp_dec d = {.pkt = pkt, .p = p, .err = err};
	uint16_t pktsz, chksum, extoff;
	uint8_t snap[5], version, shtl, sstl;
	struct buf b, m, x;

	memset(p, 0, sizeof(*p));
	memset(err, 0, sizeof(*err));
	err->reason = "ok";

	/*
	 * A packet cut short, or whose checksum fails, cannot be trusted in
	 * any field, its sender's addresses included: it is dropped silently.
	 * Bytes after ar$pktsz are link-layer padding, not ours.
	 */
	buf_init(&b, pkt, len);
	if (len < NHRP_FIXED_HLEN || buf_peek_be16(&b, OFF_PKTSZ, &pktsz) < 0)
		return dec_fail(&d, NHRP_ERR_NONE, 0, "shorter than the fixed header");
	if (pktsz < NHRP_FIXED_HLEN || pktsz > len)
		return dec_fail(&d, NHRP_ERR_NONE, OFF_PKTSZ, "ar$pktsz outside the buffer");
	if (csum_compute(pkt, pktsz) != 0) /* 5.1: ar$chksum covers the whole packet */
		return dec_fail(&d, NHRP_ERR_NONE, OFF_CHKSUM, "bad checksum");
	buf_init(&b, pkt, pktsz);

	/* 5.1; ar$pro.snap is ignored for a short-form ar$pro.type. */
	if (buf_get_be16(&b, &p->afn) < 0 || buf_get_be16(&b, &p->pro_type) < 0 ||
	    buf_get_bytes(&b, snap, sizeof(snap)) < 0 || buf_get_u8(&b, &p->hop_count) < 0 ||
	    buf_get_be16(&b, &pktsz) < 0 || buf_get_be16(&b, &chksum) < 0 ||
	    buf_get_be16(&b, &extoff) < 0 || buf_get_u8(&b, &version) < 0 ||
	    buf_get_u8(&b, &p->type) < 0 || buf_get_u8(&b, &shtl) < 0 || buf_get_u8(&b, &sstl) < 0)
		return dec_fail(&d, NHRP_ERR_NONE, 0, "shorter than the fixed header");
	d.nbma_af = nhrp_afn_family(p->afn);
	d.pro_af = nhrp_pro_family(p->pro_type);

	if (version != NHRP_VERSION)
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_VERSION, "unknown ar$op.version");
	if (p->type < NHRP_RESOLUTION_REQUEST || p->type > NHRP_TYPE_MAX)
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_TYPE, "unknown ar$op.type");
	if (d.nbma_af == AF_UNSPEC)
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_AFN, "unsupported ar$afn");
	if (d.pro_af == AF_UNSPEC)
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_PRO_TYPE,
		                "unsupported ar$pro.type");
	if (pktsz > NHRP_MAX_PACKET)
		return dec_fail(&d, NHRP_ERR_SDU_SIZE_EXCEEDED, OFF_PKTSZ, "larger than we accept");
	/* ar$shtl: NSAP format (type 0), the length of an ar$afn address. */
	if (shtl != family_len(d.nbma_af))
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_SHTL,
		                "ar$shtl does not match ar$afn");
	if (sstl != 0)
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_SSTL, "NBMA subaddress");
	/* ar$extoff: 0, or the offset of the first extension. */
	if (extoff != 0 && (extoff < OFF_ADDRS || extoff > pktsz))
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_EXTOFF,
		                "ar$extoff outside the packet");

	if (buf_sub(&b, &m, (extoff ? extoff : pktsz) - NHRP_FIXED_HLEN) < 0 ||
	    buf_sub(&b, &x, buf_remaining(&b)) < 0)
		return dec_fail(&d, NHRP_ERR_PROTOCOL_ERROR, OFF_EXTOFF, "ar$extoff");
	if (dec_mandatory(&d, &m, shtl, extoff ? OFF_EXTOFF : OFF_PKTSZ) < 0)
		return -1;
	p->has_extensions = extoff != 0;
	return extoff ? dec_extensions(&d, &x) : 0;
}
