/*
 * Which route the kernel would use for an address, and the prefix it
 * belongs to: RTM_GETROUTE with RTM_F_FIB_MATCH answers with the matching
 * FIB entry (its prefix length, output interface and gateway), not with a
 * host route. That decides, for a Resolution Request about an address
 * that is no overlay address (DMVPN phase 3), whether to forward it over
 * the overlay toward its owner or to answer as its egress with the
 * covering prefix.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

static int nhrp_route_parse(const struct nlmsghdr *h, struct nhrp_route_info *ri)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	const struct rtattr *rta;
	int len;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -1;
	memset(ri, 0, sizeof(*ri));
	ri->plen = rtm->rtm_dst_len;
	ri->type = rtm->rtm_type;
	len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*rtm));
	for (rta = RTM_RTA(rtm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == RTA_OIF && RTA_PAYLOAD(rta) == 4)
			memcpy(&ri->oif, RTA_DATA(rta), 4);
		else if (rta->rta_type == RTA_GATEWAY && RTA_PAYLOAD(rta) == 4) {
			ri->gateway.family = AF_INET;
			memcpy(&ri->gateway.u.v4, RTA_DATA(rta), 4);
		}
	}
	ri->found = ri->type == RTN_UNICAST || ri->type == RTN_LOCAL;
	return 0;
}

/*
 * For one of our own addresses the FIB answers with its /32 in the local
 * table; the prefix we serve is that of the address on its interface (a
 * LAN 10.1.3.1/24 gives 10.1.3.0/24). Found in an RTM_GETADDR dump.
 */
static void nhrp_route_local_prefix(int fd, const struct ipaddr *dst, struct nhrp_route_info *ri)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
	} req = {
		.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
		      .nlmsg_type = RTM_GETADDR,
		      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		      .nlmsg_seq = 2},
		.a = {.ifa_family = AF_INET},
	};
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		return;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		int len = (int)n;

		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; nl_msg_ok(h, len);
		     h = NLMSG_NEXT(h, len)) {
			const struct ifaddrmsg *ifa = NLMSG_DATA(h);
			const struct rtattr *rta;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				return;
			if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
				continue;
			alen = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa));
			for (rta = IFA_RTA(ifa); RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen))
				if (rta->rta_type == IFA_LOCAL && RTA_PAYLOAD(rta) == 4 &&
				    !memcmp(RTA_DATA(rta), &dst->u.v4, 4)) {
					ri->plen = ifa->ifa_prefixlen;
					ri->oif = (int)ifa->ifa_index;
				}
		}
	}
}

int nhrp_route_lookup(const struct ipaddr *dst, struct nhrp_route_info *ri)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
		char attrs[64];
	} req;
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct timeval tv = {.tv_usec = 200000};
	struct rtattr *rta;
	int fd, rc = -1;
	ssize_t n;

	memset(ri, 0, sizeof(*ri));
	if (dst->family != AF_INET)
		return -1;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = RTM_GETROUTE;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = 1;
	req.r.rtm_family = AF_INET;
	req.r.rtm_dst_len = 32;
	req.r.rtm_flags = RTM_F_FIB_MATCH;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(NLMSG_LENGTH(sizeof(req.r))));
	rta->rta_type = RTA_DST;
	rta->rta_len = RTA_LENGTH(4);
	memcpy(RTA_DATA(rta), &dst->u.v4, 4);
	req.h.nlmsg_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(req.r))) + RTA_ALIGN(rta->rta_len);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		goto out;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)sizeof(struct nlmsghdr))
		goto out;
	int len = (int)n;

	for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; nl_msg_ok(h, len);
	     h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type == NLMSG_ERROR)
			break; /* no route: ENETUNREACH */
		if (h->nlmsg_type == RTM_NEWROUTE) {
			rc = nhrp_route_parse(h, ri);
			break;
		}
	}
	if (rc == 0 && ri->type == RTN_LOCAL)
		nhrp_route_local_prefix(fd, dst, ri);
out:
	close(fd);
	return rc;
}
