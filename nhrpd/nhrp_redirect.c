/*
 * Redirects (DMVPN phase 3, Cisco's `ip nhrp redirect`): when a hub
 * forwards a packet back out of the tunnel interface it came in on, the
 * source spoke is told with a Traffic Indication (NHRP type 8) carrying
 * the head of that packet, so that it can resolve a shortcut.
 *
 * The kernel does the forwarding, so it must show us those packets: an
 * nftables rule in a table of our own (created at start, deleted at exit)
 * logs packets with iif == oif == the tunnel to an NFLOG group, globally
 * rate-limited, and we read the group over nfnetlink (lib/nl.c). The
 * packet's link source address stands for the sending spoke's NBMA
 * address, which the data plane tells (dp_lladdr_to_nbma). Indications
 * are further limited per (source, destination) pair, as Cisco does.
 *
 * A spoke with `ip nhrp shortcut` answers an indication by resolving the
 * destination of the packet it carries (nhrp_shortcut.c).
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

#define NHRP_NFLOG_GROUP         2001 /* nfnetlink_log group of the nft rule */
#define NHRP_NFT_TABLE           "dmvpn_nhrpd"
#define NHRP_NFT_RATE            1000 /* packets per second the rule logs at most */
#define NHRP_NFLOG_BATCH         64   /* datagrams per wakeup */
#define NHRP_REDIRECT_PAIR_SLOTS 1024
#define NHRP_REDIRECT_PAIR_MS    1000 /* one indication per pair per second */
#define NHRP_REDIRECT_HEAD       28   /* IPv4 header and 8 bytes, as ICMP quotes */
#define NHRP_IPV4_HLEN           20

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
		fprintf(
		    f,
		    "table inet %s {\n chain hairpin {\n  type filter hook forward priority 0;\n",
		    NHRP_NFT_TABLE);
		for (unsigned i = 0; i < d->nifaces; i++)
			if (d->ifaces[i]->conf.redirect)
				fprintf(f,
				        "  iifname \"%s\" oifname \"%s\" limit rate %d/second "
				        "log group %d queue-threshold 1\n",
				        d->ifaces[i]->conf.tun.name, d->ifaces[i]->conf.tun.name,
				        NHRP_NFT_RATE, NHRP_NFLOG_GROUP);
		fprintf(f, " }\n}\n");
	}
	rc = pclose(f);
	return rc == 0 ? 0 : -1;
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
static void nhrp_redirect_hairpin(struct nhrpd *d, const struct nlh_nflog_pkt *lp)
{
	struct nhrp_iface *ifp = nhrp_iface_by_index(d, lp->indev);
	const uint8_t *pkt = lp->payload;
	struct nhrp_packet p;
	struct in_addr src, dst;
	struct ipaddr nbma;

	if (!ifp || !ifp->conf.redirect || !ifp->dp || lp->payload_len < NHRP_IPV4_HLEN ||
	    (pkt[0] >> 4) != 4)
		return;
	if (dp_lladdr_to_nbma(ifp->dp, lp->hwaddr, lp->hwaddr_len, &nbma) < 0)
		return; /* no NBMA source: nobody to tell */
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
	p.payload_len = lp->payload_len < NHRP_REDIRECT_HEAD ? lp->payload_len : NHRP_REDIRECT_HEAD;
	nhrp_packet_add_auth(ifp, &p);
	if (nhrp_send(ifp, &p, &nbma) == 0)
		ifp->traffic.redirects_sent++;
}

static void nhrp_nflog_msg(struct nlmsghdr *h, void *arg)
{
	struct nlh_nflog_pkt lp;

	if (nlh_nflog_msg_parse(h, &lp) == 0)
		nhrp_redirect_hairpin(arg, &lp);
}

/* ENOBUFS (logs dropped) is passed over: the next hairpin logs again. */
static void nhrp_nflog_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	nlh_listen_read(w->fd, NHRP_NFLOG_BATCH, nhrp_nflog_msg, w->data);
}

int nhrp_redirect_open(struct nhrpd *d)
{
	int fd;

	if (!nhrp_redirect_wanted(d))
		return 0;
	fd = nlh_listen_open(NETLINK_NETFILTER, 0, 0);
	/* The copy: the head an indication quotes, and a word to spare. */
	if (fd < 0 || nlh_nflog_bind(fd, NHRP_NFLOG_GROUP, NHRP_REDIRECT_HEAD + 4) < 0) {
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
