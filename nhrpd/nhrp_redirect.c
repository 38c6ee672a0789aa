/*
 * Redirects (DMVPN phase 3, Cisco's `ip nhrp redirect`): when a hub
 * forwards a packet back out of the tunnel interface it came in on, the
 * source spoke is told with a Traffic Indication (NHRP type 8) carrying
 * the head of that packet, so that it can resolve a shortcut.
 *
 * The kernel does the forwarding, so it must show us those packets: an
 * nftables rule in a table of our own (created at start, deleted at exit)
 * logs packets with iif == oif == the tunnel to an NFLOG group, globally
 * rate-limited, and we read the group over nfnetlink. The packet's link
 * source address is the sending spoke's NBMA address (the data plane put
 * it there). Indications are further limited per (source, destination)
 * pair, as Cisco does.
 *
 * A spoke with `ip nhrp shortcut` answers an indication by resolving the
 * destination of the packet it carries (nhrp_shortcut.c).
 */
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gre/mgre_lladdr.h"
#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

#define NHRP_NFLOG_GROUP 2001
#define NHRP_NFT_TABLE "dmvpn_nhrpd"
#define NHRP_REDIRECT_PAIR_SLOTS 1024
#define NHRP_REDIRECT_PAIR_MS 1000 /* one indication per pair per second */
#define NHRP_REDIRECT_HEAD 28	   /* IPv4 header and 8 bytes, as ICMP quotes */

struct nhrp_redirect_pair {
	struct in_addr src, dst;
	uint64_t last_ms;
};
static struct nhrp_redirect_pair nhrp_redirect_pairs[NHRP_REDIRECT_PAIR_SLOTS];

static bool nhrp_redirect_wanted(const struct nhrpd *d)
{
	for (unsigned i = 0; i < d->nifaces; i++)
		if (d->ifaces[i]->conf.redirect)
			return true;
	return false;
}

static int nhrp_redirect_nft(const struct nhrpd *d, bool install)
{
	FILE *f = popen("nft -f - 2>&1", "w");
	int rc;

	if (!f)
		return -1;
	/* Replace any table a previous run left behind, atomically. */
	fprintf(f, "table inet %s\ndelete table inet %s\n", NHRP_NFT_TABLE, NHRP_NFT_TABLE);
	if (install) {
		fprintf(f, "table inet %s {\n chain hairpin {\n  type filter hook forward priority 0;\n",
			NHRP_NFT_TABLE);
		for (unsigned i = 0; i < d->nifaces; i++)
			if (d->ifaces[i]->conf.redirect)
				fprintf(f,
					"  iifname \"%s\" oifname \"%s\" limit rate 1000/second "
					"log group %d queue-threshold 1\n",
					d->ifaces[i]->conf.tun.name, d->ifaces[i]->conf.tun.name,
					NHRP_NFLOG_GROUP);
		fprintf(f, " }\n}\n");
	}
	rc = pclose(f);
	return rc == 0 ? 0 : -1;
}

static int nhrp_nflog_config(int fd, uint8_t cmd, bool with_mode)
{
	struct {
		struct nlmsghdr h;
		struct nfgenmsg g;
		char attrs[48];
	} req;
	struct nlattr *a;
	size_t len;
	char ack[256];

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.g.nfgen_family = AF_UNSPEC;
	req.g.version = NFNETLINK_V0;
	req.g.res_id = htons(NHRP_NFLOG_GROUP);
	len = NLMSG_LENGTH(sizeof(req.g));
	a = (struct nlattr *)((char *)&req + NLMSG_ALIGN(len));
	a->nla_type = NFULA_CFG_CMD;
	a->nla_len = NLA_HDRLEN + sizeof(struct nfulnl_msg_config_cmd);
	((struct nfulnl_msg_config_cmd *)((char *)a + NLA_HDRLEN))->command = cmd;
	len = NLMSG_ALIGN(len) + NLA_ALIGN(a->nla_len);
	if (with_mode) {
		struct nfulnl_msg_config_mode mode = {
			.copy_range = htonl(NHRP_REDIRECT_HEAD + 4), .copy_mode = NFULNL_COPY_PACKET};

		a = (struct nlattr *)((char *)&req + len);
		a->nla_type = NFULA_CFG_MODE;
		a->nla_len = NLA_HDRLEN + sizeof(mode);
		memcpy((char *)a + NLA_HDRLEN, &mode, sizeof(mode));
		len += NLA_ALIGN(a->nla_len);
		/* Deliver every logged packet at once: NFLOG otherwise batches
		 * them for up to a second, and a redirect late by a second is a
		 * second of traffic through the hub. */
		a = (struct nlattr *)((char *)&req + len);
		a->nla_type = NFULA_CFG_QTHRESH;
		a->nla_len = NLA_HDRLEN + 4;
		*(uint32_t *)((char *)a + NLA_HDRLEN) = htonl(1);
		len += NLA_ALIGN(a->nla_len);
	}
	req.h.nlmsg_len = (uint32_t)len;
	if (send(fd, &req, len, 0) < 0)
		return -1;
	/* The ACK (or error) comes back before any logged packet. */
	if (recv(fd, ack, sizeof(ack), 0) >= (ssize_t)(NLMSG_HDRLEN + sizeof(int))) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)ack;
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_type == NLMSG_ERROR && e->error) {
			errno = -e->error;
			return -1;
		}
	}
	return 0;
}

static bool nhrp_redirect_pair_limited(struct in_addr src, struct in_addr dst, uint64_t now)
{
	/* Mixed, so that (a, b) and (b, a) land apart: a request and its
	 * reply hairpin together and must not evict each other. */
	uint32_t h = src.s_addr * 0x9e3779b1u + dst.s_addr;
	struct nhrp_redirect_pair *slot;

	h ^= h >> 15;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	slot = &nhrp_redirect_pairs[h % NHRP_REDIRECT_PAIR_SLOTS];

	if (slot->src.s_addr == src.s_addr && slot->dst.s_addr == dst.s_addr &&
	    now - slot->last_ms < NHRP_REDIRECT_PAIR_MS)
		return true;
	slot->src = src;
	slot->dst = dst;
	slot->last_ms = now;
	return false;
}

/* A hairpinned packet: tell its sender (RFC 2332 type 8, Cisco layout). */
static void nhrp_redirect_hairpin(struct nhrpd *d, int ifindex, const uint8_t *hw, size_t hwlen,
				  const uint8_t *pkt, size_t len)
{
	struct nhrp_iface *ifp = nhrp_iface_by_index(d, ifindex);
	struct nhrp_packet p;
	struct in_addr src, dst, v4;
	struct ipaddr nbma;
	uint32_t handle;

	if (!ifp || !ifp->conf.redirect || len < 20 || (pkt[0] >> 4) != 4)
		return;
	if (hwlen != MGRE_LLADDR_LEN || mgre_lladdr_decode(hw, &v4, &handle) != MGRE_LLADDR_IPV4)
		return; /* no NBMA source: nobody to tell */
	ipaddr_from_v4(&nbma, v4);
	memcpy(&src, pkt + 12, 4);
	memcpy(&dst, pkt + 16, 4);
	if (nhrp_redirect_pair_limited(src, dst, clock_now_ms())) {
		ifp->traffic.redirects_limited++;
		return;
	}
	nhrp_packet_init(ifp, &p, NHRP_TRAFFIC_INDICATION);
	ipaddr_from_v4(&p.dst_proto, src);
	p.request_id = nhrp_next_request_id(d);
	p.payload = pkt;
	p.payload_len = len < NHRP_REDIRECT_HEAD ? len : NHRP_REDIRECT_HEAD;
	nhrp_packet_add_auth(ifp, &p);
	if (nhrp_send(ifp, &p, &nbma) == 0)
		ifp->traffic.redirects_sent++;
}

static void nhrp_nflog_msg(struct nhrpd *d, const struct nlmsghdr *h)
{
	const uint8_t *pkt = NULL, *hw = NULL;
	size_t pkt_len = 0, hw_len = 0;
	int ifindex = 0;
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(struct nfgenmsg));
	const struct nlattr *a =
		(const struct nlattr *)((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));

	if (h->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET) || len < 0)
		return;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		const uint8_t *v = (const uint8_t *)a + NLA_HDRLEN;
		size_t vlen = a->nla_len - NLA_HDRLEN;

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NFULA_IFINDEX_INDEV:
			if (vlen == 4) {
				uint32_t x;

				memcpy(&x, v, 4);
				ifindex = (int)ntohl(x);
			}
			break;
		case NFULA_HWADDR:
			/* struct nfulnl_msg_packet_hw: be16 length, pad, 8 bytes */
			if (vlen >= 12) {
				hw_len = (size_t)(v[0] << 8 | v[1]);
				hw = v + 4;
				if (hw_len > 8)
					hw_len = 0;
			}
			break;
		case NFULA_PAYLOAD:
			pkt = v;
			pkt_len = vlen;
			break;
		default:
			break;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	if (pkt && hw)
		nhrp_redirect_hairpin(d, ifindex, hw, hw_len, pkt, pkt_len);
}

static void nhrp_nflog_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nhrpd *d = w->data;
	static char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));

	(void)loop;
	(void)revents;
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(d->nflog_fd, buf, sizeof(buf), MSG_DONTWAIT);
		int len = (int)n;

		if (n < 0) {
			if (errno == ENOBUFS)
				continue; /* dropped logs: the next hairpin logs again */
			return;
		}
		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; nl_msg_ok(h, len);
		     h = NLMSG_NEXT(h, len))
			nhrp_nflog_msg(d, h);
	}
}

int nhrp_redirect_open(struct nhrpd *d)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int fd;

	if (!nhrp_redirect_wanted(d))
		return 0;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    nhrp_nflog_config(fd, NFULNL_CFG_CMD_BIND, true) < 0) {
		log_err("NFLOG group %d: %s", NHRP_NFLOG_GROUP, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (nhrp_redirect_nft(d, true) < 0) {
		log_err("could not install the nftables rule for redirects (is nft installed?)");
		close(fd);
		return -1;
	}
	d->nft_installed = true;
	d->nflog_fd = fd;
	ev_io_init(&d->nflog_io, nhrp_nflog_readable, fd, EV_READ);
	d->nflog_io.data = d;
	ev_io_start(d->loop, &d->nflog_io);
	log_notice("redirects: hairpinned packets logged to NFLOG group %d (nft table inet %s)",
		   NHRP_NFLOG_GROUP, NHRP_NFT_TABLE);
	return 0;
}

void nhrp_redirect_close(struct nhrpd *d)
{
	if (d->nft_installed)
		nhrp_redirect_nft(d, false);
	d->nft_installed = false;
	if (d->nflog_fd < 0)
		return;
	ev_io_stop(d->loop, &d->nflog_io);
	close(d->nflog_fd);
	d->nflog_fd = -1;
}

void nhrp_redirect_recv_indication(struct nhrp_iface *ifp, struct nhrp_packet *p,
				   const struct ipaddr *from_nbma)
{
	struct ipaddr dst = {.family = AF_INET};

	if (!ifp->conf.shortcut) {
		nhrp_drop(ifp, NHRP_DROP_UNEXPECTED, from_nbma,
			  "Traffic Indication without 'ip nhrp shortcut'");
		return;
	}
	if (p->payload_len < 20 || (p->payload[0] >> 4) != 4) {
		nhrp_drop(ifp, NHRP_DROP_MALFORMED, from_nbma,
			  "Traffic Indication without an IPv4 header");
		return;
	}
	memcpy(&dst.u.v4, p->payload + 16, 4);
	nhrp_shortcut_request(ifp, &dst);
}
