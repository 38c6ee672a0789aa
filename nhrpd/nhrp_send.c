/*
 * Building and sending NHRP packets: the common header fields from our
 * addresses, the extensions every request carries, authentication, Error
 * Indications, and the one place where drops are counted and logged.
 *
 * The password is a secret: a packet being built carries an empty
 * Authentication extension, and nhrp_send fills it in on its own stack
 * while it encodes, then wipes that copy and the encoded frame.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static const char *const nhrp_drop_names[NHRP_DROP__COUNT] = {
    [NHRP_DROP_MALFORMED] = "malformed",
    [NHRP_DROP_AUTH] = "authentication",
    [NHRP_DROP_UNEXPECTED] = "unexpected",
    [NHRP_DROP_HOP_COUNT] = "hop_count",
    [NHRP_DROP_LOOP] = "loop",
    [NHRP_DROP_NOT_SERVER] = "not_server",
    [NHRP_DROP_NO_RESOURCES] = "no_resources",
    [NHRP_DROP_SEND_ERROR] = "send_error",
};

const char *nhrp_drop_name(enum nhrp_drop d)
{
	return (unsigned)d < NHRP_DROP__COUNT ? nhrp_drop_names[d] : "unknown";
}

void nhrp_drop(struct nhrp_iface *ifp, enum nhrp_drop why, const struct ipaddr *from,
               const char *detail)
{
	char a[IPADDR_STRLEN];

	ifp->traffic.dropped[why]++;
	log_msg_rl(&ifp->rl, LOG_LVL_INFO, LOG_CAT_NHRP, "%s: dropped NHRP packet from %s: %s (%s)",
	           ifp->conf.tun.name, from ? ipaddr_format(from, a) : "-", nhrp_drop_name(why),
	           detail);
}

void nhrp_packet_init(struct nhrp_iface *ifp, struct nhrp_packet *p, enum nhrp_type type)
{
	memset(p, 0, sizeof(*p));
	p->afn = ifp->nbma.family == AF_INET6 ? NHRP_AFN_IPV6 : NHRP_AFN_IPV4;
	p->pro_type = ifp->conf.tun.addr.family == AF_INET6 ? NHRP_PRO_IPV6 : NHRP_PRO_IPV4;
	p->hop_count = NHRP_HOP_COUNT_DEFAULT;
	p->type = (uint8_t)type;
	p->src_nbma = ifp->nbma;
	p->src_proto = ifp->conf.tun.addr;
}

void nhrp_packet_add_auth(struct nhrp_iface *ifp, struct nhrp_packet *p)
{
	struct nhrp_ext *x;

	if (!ifp->conf.auth_len)
		return;
	x = nhrp_packet_add_ext(p, NHRP_EXT_AUTHENTICATION, true);
	if (!x)
		return;
	/* No data yet: nhrp_send puts the password in (x->len says how long). */
	x->data = NULL;
	x->len = NHRP_AUTH_HDR_LEN + ifp->conf.auth_len;
}

/*
 * RFC 2332 5.3: requests carry empty Responder Address and transit NHS
 * records for the responder and transit NHSes to fill in; Cisco adds an
 * empty NAT address extension so that the NHS reports the address it saw.
 */
void nhrp_packet_add_request_exts(struct nhrp_iface *ifp, struct nhrp_packet *p)
{
	nhrp_packet_add_auth(ifp, p);
	nhrp_packet_add_ext(p, NHRP_EXT_FORWARD_TRANSIT, true);
	nhrp_packet_add_ext(p, NHRP_EXT_REVERSE_TRANSIT, true);
	nhrp_packet_add_ext(p, NHRP_EXT_RESPONDER_ADDRESS, true);
	nhrp_packet_add_ext(p, NHRP_EXT_NAT_ADDRESS, false);
	p->has_extensions = true;
}

/* Start a reply from a request: same header and addresses (RFC 2332
 * 5.2.2, 5.2.4: the reply is the request with its type changed), same
 * extensions, to be filled in. */
void nhrp_packet_reply_from(const struct nhrp_packet *req, struct nhrp_packet *rep,
                            enum nhrp_type type)
{
	*rep = *req;
	rep->type = (uint8_t)type;
	rep->hop_count = NHRP_HOP_COUNT_DEFAULT;
}

/* RFC 2332 5.3.3: the responder puts its own CIE in the Responder Address
 * extension of the reply. */
void nhrp_packet_fill_responder(struct nhrp_iface *ifp, struct nhrp_packet *rep)
{
	struct nhrp_ext *x = nhrp_packet_ext(rep, NHRP_EXT_RESPONDER_ADDRESS);

	if (!x)
		return;
	memset(x->cie, 0, sizeof(x->cie[0]));
	x->n_cie = 1;
	x->cie[0].prefix_len = nhrp_host_plen(&ifp->conf.tun.addr);
	x->cie[0].holding_time = nhrp_iface_holdtime(ifp);
	x->cie[0].mtu = nhrp_iface_mtu(ifp);
	x->cie[0].nbma = ifp->nbma;
	x->cie[0].proto = ifp->conf.tun.addr;
}

/* Encode p, the password put in its empty Authentication extension for
 * the time of the encoding only. The length, or 0. */
static size_t nhrp_send_encode(struct nhrp_iface *ifp, struct nhrp_packet *p, uint8_t *buf,
                               size_t cap)
{
	uint8_t auth[NHRP_AUTH_HDR_LEN + NHRP_AUTH_MAX] = {0, 0, 0, NHRP_AUTH_TYPE_CLEARTEXT};
	struct nhrp_ext *x = nhrp_packet_ext(p, NHRP_EXT_AUTHENTICATION);
	size_t len;

	if (!x || x->data)
		return nhrp_encode(p, buf, cap);
	if (x->len != NHRP_AUTH_HDR_LEN + ifp->conf.auth_len)
		return 0; /* the password changed since the packet was built */
	memcpy(auth + NHRP_AUTH_HDR_LEN, ifp->conf.auth, ifp->conf.auth_len);
	x->data = auth;
	len = nhrp_encode(p, buf, cap);
	x->data = NULL;
	OPENSSL_cleanse(auth, sizeof(auth));
	return len;
}

int nhrp_send(struct nhrp_iface *ifp, struct nhrp_packet *p, const struct ipaddr *nbma)
{
	uint8_t buf[NHRP_MAX_PACKET];
	char a[IPADDR_STRLEN];
	ssize_t sent;
	size_t len;
	int err;

	if (!ifp->attached) {
		ifp->traffic.dropped[NHRP_DROP_SEND_ERROR]++;
		return -1;
	}
	len = nhrp_send_encode(ifp, p, buf, sizeof(buf));
	if (!len) {
		nhrp_drop(ifp, NHRP_DROP_SEND_ERROR, nbma, "packet does not encode");
		return -1;
	}
	sent = dp_nhrp_send(ifp->dp, nbma, buf, len);
	err = errno;
	OPENSSL_cleanse(buf, len); /* it may carry the password */
	if (sent < 0) {
		nhrp_drop(ifp, NHRP_DROP_SEND_ERROR, nbma, strerror(err));
		return -1;
	}
	if (p->type <= NHRP_TYPE_MAX)
		ifp->traffic.sent[p->type]++;
	log_debug(LOG_CAT_PACKET, "%s: sent %s to %s (%zu bytes, request id %u)",
	          ifp->conf.tun.name, nhrp_type_name(p->type), ipaddr_format(nbma, a), len,
	          p->request_id);
	return 0;
}

/*
 * RFC 2332 5.2.7: an Error Indication goes back to the sender of the
 * packet in error and carries that packet; never one about an Error
 * Indication. Rate-limited: a flood of garbage must not become a flood of
 * answers.
 */
void nhrp_send_error(struct nhrp_iface *ifp, const uint8_t *pkt, size_t len,
                     const struct nhrp_packet *orig, uint16_t code, uint16_t offset,
                     const struct ipaddr *to_nbma)
{
	static struct log_ratelimit rl;
	struct nhrp_packet e;

	if (orig->type == NHRP_ERROR_INDICATION || !ipaddr_is_set(&orig->src_proto))
		return;
	if (orig->src_proto.family != ifp->conf.tun.addr.family)
		return;
	if (!log_ratelimit_take(&rl, clock_now_ms()))
		return;
	nhrp_packet_init(ifp, &e, NHRP_ERROR_INDICATION);
	e.dst_proto = orig->src_proto;
	e.error_code = code;
	e.error_offset = offset;
	e.payload = pkt;
	/* What fits beside our header, its addresses and an auth extension. */
	e.payload_len = len > NHRP_MAX_PACKET - 128 ? NHRP_MAX_PACKET - 128 : len;
	nhrp_packet_add_auth(ifp, &e);
	nhrp_send(ifp, &e, to_nbma);
}
