/*
 * NHRP packet encoder (RFC 2332 5). It refuses what the decoder would
 * refuse (except an unknown compulsory extension, which a transit NHS must
 * be able to forward), so every packet it builds decodes back to the struct
 * it was built from. Fields that do not belong to the packet's type (flags
 * and request ID of an Error Indication, its error code and offset in any
 * other type) are not written; unused fields are written as zero.
 */
#include "nhrpd/nhrp_packet.h"

#include <string.h>

#include "lib/buf.h"
#include "lib/csum.h"

#define OFF_PKTSZ  10
#define OFF_CHKSUM 12
#define OFF_EXTOFF 14

static bool enc_addr_ok(const struct ipaddr *a, sa_family_t af, bool may_be_unset)
{
	return a->family == af || (may_be_unset && a->family == AF_UNSPEC);
}

static bool enc_cies_ok(const struct nhrp_packet *p, const struct nhrp_cie *cie, size_t n,
                        size_t max)
{
	size_t i;

	if (n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!enc_addr_ok(&cie[i].nbma, nhrp_afn_family(p->afn), true) ||
		    !enc_addr_ok(&cie[i].proto, nhrp_pro_family(p->pro_type), true))
			return false;
	return true;
}

/* RFC 2332 5.3: End is implied; a type carries no compulsory bit. */
static bool enc_ext_ok(const struct nhrp_packet *p, size_t k)
{
	const struct nhrp_ext *e = &p->ext[k];
	size_t i;

	if (e->type == NHRP_EXT_END || (e->type & NHRP_EXT_COMPULSORY))
		return false;
	for (i = 0; i < k; i++)
		if (p->ext[i].type == e->type && nhrp_ext_is_unique(e->type))
			return false;
	if (nhrp_ext_holds_cies(e->type))
		return e->len == 0 && enc_cies_ok(p, e->cie, e->n_cie, NHRP_MAX_EXT_CIE);
	return e->n_cie == 0 && e->len >= nhrp_ext_min_len(e->type) && e->len <= UINT16_MAX &&
	       (e->len == 0 || e->data != NULL);
}

static bool enc_packet_ok(const struct nhrp_packet *p)
{
	sa_family_t nbma_af = nhrp_afn_family(p->afn), pro_af = nhrp_pro_family(p->pro_type);
	bool indication = p->type == NHRP_ERROR_INDICATION || p->type == NHRP_TRAFFIC_INDICATION;
	size_t k;

	if (nbma_af == AF_UNSPEC || pro_af == AF_UNSPEC || p->type < NHRP_RESOLUTION_REQUEST ||
	    p->type > NHRP_TYPE_MAX)
		return false;
	/* 5.2.0: who sent it and for whom (see nhrp_packet.c on Error Indication) */
	if (!enc_addr_ok(&p->src_nbma, nbma_af, false) ||
	    !enc_addr_ok(&p->src_proto, pro_af, false) ||
	    !enc_addr_ok(&p->dst_proto, pro_af, p->type == NHRP_ERROR_INDICATION))
		return false;
	if (indication ? p->n_cie != 0 : p->payload_len != 0)
		return false;
	if (p->payload_len && !p->payload)
		return false;
	if (!enc_cies_ok(p, p->cie, p->n_cie, NHRP_MAX_CIE) || p->n_ext > NHRP_MAX_EXT)
		return false;
	for (k = 0; k < p->n_ext; k++)
		if (!enc_ext_ok(p, k))
			return false;
	return true;
}

static void enc_addr(struct wbuf *w, const struct ipaddr *a)
{
	wbuf_put_bytes(w, a->u.bytes, ipaddr_len(a));
}

/* RFC 2332 5.2.0.1; the unused word is zero, there is no subaddress. */
static void enc_cie(struct wbuf *w, const struct nhrp_cie *c)
{
	wbuf_put_u8(w, c->code);
	wbuf_put_u8(w, c->prefix_len);
	wbuf_put_be16(w, 0);
	wbuf_put_be16(w, c->mtu);
	wbuf_put_be16(w, c->holding_time);
	wbuf_put_u8(w, (uint8_t)ipaddr_len(&c->nbma));
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, (uint8_t)ipaddr_len(&c->proto));
	wbuf_put_u8(w, c->preference);
	enc_addr(w, &c->nbma);
	enc_addr(w, &c->proto);
}

/* RFC 2332 5.3: each extension, then End of Extensions (0x8000, 0). */
static void enc_extensions(struct wbuf *w, const struct nhrp_packet *p)
{
	size_t k, i;

	for (k = 0; k < p->n_ext; k++) {
		const struct nhrp_ext *e = &p->ext[k];
		size_t len_off, start;

		wbuf_put_be16(w, (uint16_t)(e->type | (e->compulsory ? NHRP_EXT_COMPULSORY : 0)));
		len_off = wbuf_reserve(w, 2);
		start = wbuf_len(w);
		if (nhrp_ext_holds_cies(e->type))
			for (i = 0; i < e->n_cie; i++)
				enc_cie(w, &e->cie[i]);
		else
			wbuf_put_bytes(w, e->data, e->len);
		if (wbuf_ok(w) && wbuf_len(w) - start <= UINT16_MAX)
			wbuf_set_be16(w, len_off, (uint16_t)(wbuf_len(w) - start));
	}
	wbuf_put_be16(w, NHRP_EXT_COMPULSORY | NHRP_EXT_END);
	wbuf_put_be16(w, 0);
}

size_t nhrp_encode(const struct nhrp_packet *p, uint8_t *out, size_t cap)
{
	struct wbuf w;
	size_t i, len, extoff = 0;
	uint16_t csum;

	if (!enc_packet_ok(p))
		return 0;
	wbuf_init(&w, out, cap);

	/* 5.1 fixed header; pktsz, checksum and extoff are filled in last. */
	wbuf_put_be16(&w, p->afn);
	wbuf_put_be16(&w, p->pro_type);
	wbuf_put_zero(&w, 5); /* ar$pro.snap */
	wbuf_put_u8(&w, p->hop_count);
	wbuf_reserve(&w, 6); /* ar$pktsz, ar$chksum, ar$extoff */
	wbuf_put_u8(&w, NHRP_VERSION);
	wbuf_put_u8(&w, p->type);
	wbuf_put_u8(&w, (uint8_t)ipaddr_len(&p->src_nbma)); /* ar$shtl */
	wbuf_put_u8(&w, 0);                                 /* ar$sstl */

	/* 5.2.0 mandatory part (5.2.7 for an Error Indication) */
	wbuf_put_u8(&w, (uint8_t)ipaddr_len(&p->src_proto));
	wbuf_put_u8(&w, (uint8_t)ipaddr_len(&p->dst_proto));
	if (p->type == NHRP_ERROR_INDICATION) {
		wbuf_put_be16(&w, 0);
		wbuf_put_be16(&w, p->error_code);
		wbuf_put_be16(&w, p->error_offset);
	} else {
		wbuf_put_be16(&w, p->flags);
		wbuf_put_be32(&w, p->request_id);
	}
	enc_addr(&w, &p->src_nbma);
	enc_addr(&w, &p->src_proto);
	enc_addr(&w, &p->dst_proto);
	wbuf_put_bytes(&w, p->payload, p->payload_len);
	for (i = 0; i < p->n_cie; i++)
		enc_cie(&w, &p->cie[i]);

	if (p->has_extensions || p->n_ext > 0) {
		extoff = wbuf_len(&w);
		enc_extensions(&w, p);
	}
	len = wbuf_len(&w);
	if (!wbuf_ok(&w) || len > NHRP_MAX_PACKET)
		return 0;
	wbuf_set_be16(&w, OFF_PKTSZ, (uint16_t)len);
	wbuf_set_be16(&w, OFF_EXTOFF, (uint16_t)extoff);
	/* 5.1: over the whole packet with ar$chksum zero; stored as summed */
	csum = csum_compute(out, len);
	memcpy(out + OFF_CHKSUM, &csum, sizeof(csum));
	return len;
}
