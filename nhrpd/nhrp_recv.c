/*
 * The receive path: every NHRP packet from the overlay is decoded into an
 * owned struct before any logic runs, authenticated when the interface
 * has a password, and handed to the handler of its type. Anything refused
 * is counted by reason; nothing a peer sends can change state before it
 * has passed all of these checks.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

/* RFC 2332 5.3.4, Cisco cleartext: the type (1) then the password,
 * compared in constant time. */
static bool nhrp_recv_auth_ok(struct nhrp_iface *ifp, struct nhrp_packet *p)
{
	const struct nhrp_ext *x;
	uint8_t want[NHRP_AUTH_HDR_LEN + NHRP_AUTH_MAX] = {0, 0, 0, NHRP_AUTH_TYPE_CLEARTEXT};
	size_t n = ifp->conf.auth_len;
	bool ok;

	if (!n)
		return true;
	x = nhrp_packet_ext(p, NHRP_EXT_AUTHENTICATION);
	if (!x || !x->data || x->len != NHRP_AUTH_HDR_LEN + n)
		return false;
	memcpy(want + NHRP_AUTH_HDR_LEN, ifp->conf.auth, n);
	ok = CRYPTO_memcmp(x->data, want, NHRP_AUTH_HDR_LEN + n) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

static void nhrp_recv_error_indication(struct nhrp_iface *ifp, struct nhrp_packet *p,
                                       const struct ipaddr *from)
{
	char a[IPADDR_STRLEN];

	log_msg_rl(&ifp->rl, LOG_LVL_NOTICE, LOG_CAT_NHRP,
	           "%s: Error Indication from %s: %s (offset %u)", ifp->conf.tun.name,
	           ipaddr_format(from, a), nhrp_error_code_name(p->error_code), p->error_offset);
}

void nhrp_recv_packet(struct nhrp_iface *ifp, const uint8_t *pkt, size_t len,
                      const struct ipaddr *from_nbma)
{
	static struct nhrp_packet p;
	struct nhrp_decode_error err = {0};
	char a[IPADDR_STRLEN];

	if (nhrp_decode(pkt, len, &p, &err) < 0) {
		nhrp_drop(ifp, NHRP_DROP_MALFORMED, from_nbma, err.reason ? err.reason : "?");
		if (err.code != NHRP_ERR_NONE)
			nhrp_send_error(ifp, pkt, len, &p, err.code, err.offset, from_nbma);
		return;
	}
	if (p.type <= NHRP_TYPE_MAX)
		ifp->traffic.received[p.type]++;
	log_debug(LOG_CAT_PACKET, "%s: received %s from %s (%zu bytes, request id %u)",
	          ifp->conf.tun.name, nhrp_type_name(p.type), ipaddr_format(from_nbma, a), len,
	          p.request_id);
	if (p.afn != (ifp->nbma.family == AF_INET6 ? NHRP_AFN_IPV6 : NHRP_AFN_IPV4) ||
	    p.src_proto.family != ifp->conf.tun.addr.family) {
		nhrp_drop(ifp, NHRP_DROP_MALFORMED, from_nbma, "address family not ours");
		return;
	}
	if (!nhrp_recv_auth_ok(ifp, &p)) {
		nhrp_drop(ifp, NHRP_DROP_AUTH, from_nbma, "authentication missing or wrong");
		/* RFC 2332 5.3.4: answered with an Authentication Failure. */
		nhrp_send_error(ifp, pkt, len, &p, NHRP_ERR_AUTHENTICATION_FAILURE, 0, from_nbma);
		return;
	}
	switch (p.type) {
	case NHRP_RESOLUTION_REQUEST:
		nhrp_resolve_recv_request(ifp, &p, pkt, len, from_nbma);
		break;
	case NHRP_RESOLUTION_REPLY:
		nhrp_resolve_recv_reply(ifp, &p, from_nbma);
		break;
	case NHRP_REGISTRATION_REQUEST:
		nhrp_server_recv_registration(ifp, &p, from_nbma);
		break;
	case NHRP_REGISTRATION_REPLY:
		nhrp_nhs_recv_reply(ifp, &p, from_nbma);
		break;
	case NHRP_PURGE_REQUEST:
		nhrp_purge_recv_request(ifp, &p, from_nbma);
		break;
	case NHRP_PURGE_REPLY:
		/* We do not retransmit purges; the reply only confirms. */
		break;
	case NHRP_ERROR_INDICATION:
		nhrp_recv_error_indication(ifp, &p, from_nbma);
		break;
	case NHRP_TRAFFIC_INDICATION:
		nhrp_shortcut_recv_indication(ifp, &p, from_nbma);
		break;
	default:
		nhrp_drop(ifp, NHRP_DROP_MALFORMED, from_nbma, "unknown packet type");
		break;
	}
}
