/*
 * Building and sending NHRP packets: the common header fields from our
 * addresses, the extensions every request carries, authentication, Error
 * Indications, and the one place where drops are counted and logged.
 */
#include <errno.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

/* Cisco's cleartext authentication: a 32-bit type, then the password. */
#define NHRP_AUTH_TYPE_CLEARTEXT 1

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
	p->pro_type = ifp->conf.tun.addr.family == AF_INET6 ? 0x86DD : 0x0800;
	p->hop_count = 16;
	p->type = (uint8_t)type;
	p->src_nbma = ifp->nbma;
	p->src_proto = ifp->conf.tun.addr;
}

void nhrp_packet_add_auth(struct nhrp_iface *ifp, struct nhrp_packet *p)
{
	static uint8_t auth[4 + NHRP_AUTH_MAX];
	struct nhrp_ext *x;

	if (!ifp->conf.auth_len)
		return;
	x = nhrp_packet_add_ext(p, NHRP_EXT_AUTHENTICATION, true);
	if (!x)
		return;
	auth[0] = auth[1] = auth[2] = 0;
	auth[3] = NHRP_AUTH_TYPE_CLEARTEXT;
	memcpy(auth + 4, ifp->conf.auth, ifp->conf.auth_len);
	x->data = auth;
	x->len = 4 + ifp->conf.auth_len;
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
	rep->hop_count = 16;
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
	x->cie[0].prefix_len = (uint8_t)(ipaddr_len(&ifp->conf.tun.addr) * 8);
	x->cie[0].holding_time = nhrp_iface_holdtime(ifp);
	x->cie[0].mtu = nhrp_iface_mtu(ifp);
	x->cie[0].nbma = ifp->nbma;
	x->cie[0].proto = ifp->conf.tun.addr;
}

int nhrp_send(struct nhrp_iface *ifp, struct nhrp_packet *p, const struct ipaddr *nbma)
{
	uint8_t buf[NHRP_MAX_PACKET];
	char a[IPADDR_STRLEN];
	size_t len;

	if (!ifp->attached) {
		ifp->traffic.dropped[NHRP_DROP_SEND_ERROR]++;
		return -1;
	}
	len = nhrp_encode(p, buf, sizeof(buf));
	if (!len) {
		nhrp_drop(ifp, NHRP_DROP_SEND_ERROR, nbma, "packet does not encode");
		return -1;
	}
	if (dp_nhrp_send(ifp->dp, nbma, buf, len) < 0) {
		nhrp_drop(ifp, NHRP_DROP_SEND_ERROR, nbma, strerror(errno));
		return -1;
	}
	if (p->type <= NHRP_TYPE_MAX)
		ifp->traffic.sent[p->type]++;
	log_debug(LOG_CAT_PACKET, "%s: sent %s to %s (%zu bytes, request id %u)", ifp->conf.tun.name,
		  nhrp_type_name(p->type), ipaddr_format(nbma, a), len, p->request_id);
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
