/*
 * Netlink for the daemons, in one place: libnl-route for the link, address
 * and neighbour operations; raw non-blocking sockets for what the kernel
 * sends on its own (neighbour solicitations, link changes, NFLOG) and for
 * route lookups made from inside an event loop, with every message
 * parsed by libnl's parsers and attribute helpers (lengths checked there).
 */
#include "lib/nl.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct nlh {
	struct nl_sock *sk;
};

struct nlh *nlh_open(void)
{
	struct nlh *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->sk = nl_socket_alloc();
	if (!h->sk || nl_connect(h->sk, NETLINK_ROUTE) < 0) {
		if (h->sk)
			nl_socket_free(h->sk);
		free(h);
		return NULL;
	}
	return h;
}

void nlh_close(struct nlh *h)
{
	if (!h)
		return;
	nl_socket_free(h->sk);
	free(h);
}

const char *nlh_strerror(int err)
{
	return nl_geterror(err < 0 ? -err : err);
}

int nlh_link_index(struct nlh *h, const char *name)
{
	struct rtnl_link *link = NULL;
	int idx, err;

	err = rtnl_link_get_kernel(h->sk, 0, name, &link);
	if (err < 0)
		return err;
	idx = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return idx;
}

int nlh_link_get_mtu(struct nlh *h, int ifindex, unsigned *mtu)
{
	struct rtnl_link *link = NULL;
	int err;

	err = rtnl_link_get_kernel(h->sk, ifindex, NULL, &link);
	if (err < 0)
		return err;
	*mtu = rtnl_link_get_mtu(link);
	rtnl_link_put(link);
	return 0;
}

int nlh_link_set(struct nlh *h, int ifindex, unsigned mtu, int up)
{
	struct rtnl_link *orig = NULL, *change;
	int err;

	err = rtnl_link_get_kernel(h->sk, ifindex, NULL, &orig);
	if (err < 0)
		return err;
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(orig);
		return -NLE_NOMEM;
	}
	if (mtu)
		rtnl_link_set_mtu(change, mtu);
	if (up == 1)
		rtnl_link_set_flags(change, IFF_UP);
	else if (up == 0)
		rtnl_link_unset_flags(change, IFF_UP);
	err = rtnl_link_change(h->sk, orig, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(orig);
	return err;
}

static struct nl_addr *nlh_nl_addr(const struct ipaddr *a)
{
	return nl_addr_build(a->family, a->u.bytes, ipaddr_len(a));
}

int nlh_addr_add(struct nlh *h, int ifindex, const struct ipaddr *a, unsigned plen)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nlh_nl_addr(a);
	int err = -NLE_NOMEM;

	if (ra && local) {
		nl_addr_set_prefixlen(local, (int)plen);
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_prefixlen(ra, (int)plen);
		err = rtnl_addr_add(h->sk, ra, NLM_F_REPLACE);
	}
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return err;
}

struct nlh_addr_walk {
	int ifindex; /* match on, or 0 */
	int family;
	const struct ipaddr *want; /* match on, or NULL */
	int found_ifindex;
	struct ipaddr found;
	int done;
};

static void nlh_addr_walk_cb(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	struct nlh_addr_walk *wk = arg;
	struct nl_addr *local = rtnl_addr_get_local(ra);
	struct ipaddr a = {0};

	if (wk->done || !local || nl_addr_get_family(local) != wk->family)
		return;
	if (wk->ifindex && rtnl_addr_get_ifindex(ra) != wk->ifindex)
		return;
	a.family = (sa_family_t)wk->family;
	if (nl_addr_get_len(local) != ipaddr_len(&a))
		return;
	memcpy(a.u.bytes, nl_addr_get_binary_addr(local), ipaddr_len(&a));
	if (wk->want && !ipaddr_equal(&a, wk->want))
		return;
	wk->found = a;
	wk->found_ifindex = rtnl_addr_get_ifindex(ra);
	wk->done = 1;
}

static int nlh_addr_walk(struct nlh *h, struct nlh_addr_walk *wk)
{
	struct nl_cache *cache = NULL;
	int err;

	err = rtnl_addr_alloc_cache(h->sk, &cache);
	if (err < 0)
		return err;
	nl_cache_foreach(cache, nlh_addr_walk_cb, wk);
	nl_cache_free(cache);
	return wk->done ? 0 : -NLE_OBJ_NOTFOUND;
}

int nlh_link_first_addr(struct nlh *h, int ifindex, int family, struct ipaddr *out)
{
	struct nlh_addr_walk wk = {.ifindex = ifindex, .family = family};
	int err = nlh_addr_walk(h, &wk);

	if (err == 0)
		*out = wk.found;
	return err;
}

int nlh_addr_find_link(struct nlh *h, const struct ipaddr *a, int *ifindex)
{
	struct nlh_addr_walk wk = {.family = a->family, .want = a};
	int err = nlh_addr_walk(h, &wk);

	if (err == 0)
		*ifindex = wk.found_ifindex;
	return err;
}

int nlh_neigh_replace(struct nlh *h, int ifindex, const struct ipaddr *dst, const uint8_t *lladdr,
                      size_t lladdr_len, int permanent)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *d = nlh_nl_addr(dst);
	struct nl_addr *ll = nl_addr_build(AF_UNSPEC, lladdr, lladdr_len);
	int err = -NLE_NOMEM;

	if (n && d && ll) {
		rtnl_neigh_set_ifindex(n, ifindex);
		rtnl_neigh_set_dst(n, d);
		rtnl_neigh_set_lladdr(n, ll);
		/*
		 * A dynamic entry goes in STALE, not REACHABLE: still used to
		 * send, but the first use moves it to DELAY and then PROBE, where
		 * the kernel solicits it again (app_solicit). That solicitation is
		 * how the control plane learns the binding is in use; a REACHABLE
		 * entry is used silently (the fast path does not even update its
		 * "used" time). Marked externally learned: exempt from the
		 * kernel's garbage collection and gc_thresh3 (a hub holds
		 * thousands).
		 */
		rtnl_neigh_set_state(n, permanent ? NUD_PERMANENT : NUD_STALE);
		if (!permanent)
			rtnl_neigh_set_flags(n, NTF_EXT_LEARNED);
		err = rtnl_neigh_add(h->sk, n, NLM_F_CREATE | NLM_F_REPLACE);
	}
	if (ll)
		nl_addr_put(ll);
	if (d)
		nl_addr_put(d);
	if (n)
		rtnl_neigh_put(n);
	return err;
}

int nlh_neigh_delete(struct nlh *h, int ifindex, const struct ipaddr *dst)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *d = nlh_nl_addr(dst);
	int err = -NLE_NOMEM;

	if (n && d) {
		rtnl_neigh_set_ifindex(n, ifindex);
		rtnl_neigh_set_dst(n, d);
		err = rtnl_neigh_delete(h->sk, n, 0);
	}
	if (d)
		nl_addr_put(d);
	if (n)
		rtnl_neigh_put(n);
	return err;
}

/* ---------- raw sockets: notifications and one-off requests ---------- */

/* Big enough for any one datagram the kernel sends these sockets. */
#define NLH_RECV_BUF 16384

int nlh_listen_open(int protocol, uint32_t groups, int rcvbuf)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = groups};
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -1;
	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

void nlh_listen_read(int fd, unsigned max_reads, void (*fn)(struct nlmsghdr *h, void *arg),
                     void *arg)
{
	static char buf[NLH_RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));

	for (unsigned i = 0; i < max_reads; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		int len = (int)n;

		if (n < 0) {
			if (errno == ENOBUFS)
				continue;
			return;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; nlmsg_ok(h, len);
		     h = nlmsg_next(h, &len))
			fn(h, arg);
	}
}

int nlh_neigh_msg_parse(struct nlmsghdr *h, int *ifindex, struct ipaddr *dst)
{
	struct rtnl_neigh *n = NULL;
	struct nl_addr *a;
	int rc = -1;

	if (!nlmsg_valid_hdr(h, sizeof(struct ndmsg)) || rtnl_neigh_parse(h, &n) < 0)
		return -1;
	a = rtnl_neigh_get_dst(n);
	memset(dst, 0, sizeof(*dst));
	if (a && nl_addr_get_family(a) == AF_INET && nl_addr_get_len(a) == 4) {
		dst->family = AF_INET;
		memcpy(&dst->u.v4, nl_addr_get_binary_addr(a), 4);
		*ifindex = rtnl_neigh_get_ifindex(n);
		rc = 0;
	}
	rtnl_neigh_put(n);
	return rc;
}

int nlh_link_msg_parse(struct nlmsghdr *h, int *ifindex)
{
	const struct ifinfomsg *ifi;

	if (!nlmsg_valid_hdr(h, sizeof(*ifi)))
		return -1;
	ifi = nlmsg_data(h);
	*ifindex = ifi->ifi_index;
	return 0;
}

/* ---------- NFLOG ---------- */

static struct nl_msg *nlh_nflog_config_msg(uint16_t group)
{
	struct nfgenmsg g = {
	    .nfgen_family = AF_UNSPEC,
	    .version = NFNETLINK_V0,
	    .res_id = htons(group),
	};
	struct nl_msg *m = nlmsg_alloc_simple((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG,
	                                      NLM_F_REQUEST | NLM_F_ACK);

	if (m && nlmsg_append(m, &g, sizeof(g), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* Send one request and read its acknowledgement, which the kernel queues
 * within the send: 0, or -1 with the kernel's errno. */
static int nlh_raw_request(int fd, struct nl_msg *m)
{
	char ack[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h = nlmsg_hdr(m);
	ssize_t n;

	if (send(fd, h, h->nlmsg_len, 0) < 0)
		return -1;
	n = recv(fd, ack, sizeof(ack), MSG_DONTWAIT);
	if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		const struct nlmsghdr *a = (const struct nlmsghdr *)ack;
		const struct nlmsgerr *e = nlmsg_data(a);

		if (a->nlmsg_type == NLMSG_ERROR && e->error) {
			errno = -e->error;
			return -1;
		}
	}
	return 0;
}

int nlh_nflog_bind(int fd, uint16_t group, uint32_t copy_range)
{
	struct nfulnl_msg_config_cmd cmd = {.command = NFULNL_CFG_CMD_BIND};
	struct nfulnl_msg_config_mode mode = {.copy_range = htonl(copy_range),
	                                      .copy_mode = NFULNL_COPY_PACKET};
	struct nl_msg *m = nlh_nflog_config_msg(group);
	int rc = -1;

	if (!m) {
		errno = ENOMEM;
		return -1;
	}
	/* A queue threshold of 1 delivers every logged packet at once: NFLOG
	 * otherwise batches them for up to a second. */
	if (nla_put(m, NFULA_CFG_CMD, sizeof(cmd), &cmd) < 0 ||
	    nla_put(m, NFULA_CFG_MODE, sizeof(mode), &mode) < 0 ||
	    nla_put_u32(m, NFULA_CFG_QTHRESH, htonl(1)) < 0)
		errno = ENOMEM;
	else
		rc = nlh_raw_request(fd, m);
	nlmsg_free(m);
	return rc;
}

int nlh_nflog_msg_parse(struct nlmsghdr *h, struct nlh_nflog_pkt *out)
{
	/* Attributes too short for what they hold are refused by libnl. */
	static const struct nla_policy policy[NFULA_MAX + 1] = {
	    [NFULA_IFINDEX_INDEV] = {.type = NLA_U32},
	    [NFULA_HWADDR] = {.minlen = sizeof(struct nfulnl_msg_packet_hw)},
	};
	struct nfulnl_msg_packet_hw hw;
	struct nlattr *tb[NFULA_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (h->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET) ||
	    nlmsg_parse(h, sizeof(struct nfgenmsg), tb, NFULA_MAX, policy) < 0 ||
	    !tb[NFULA_PAYLOAD] || !tb[NFULA_HWADDR])
		return -1;
	if (tb[NFULA_IFINDEX_INDEV])
		out->indev = (int)ntohl(nla_get_u32(tb[NFULA_IFINDEX_INDEV]));
	memcpy(&hw, nla_data(tb[NFULA_HWADDR]), sizeof(hw));
	out->hwaddr_len = ntohs(hw.hw_addrlen);
	if (out->hwaddr_len > sizeof(out->hwaddr))
		out->hwaddr_len = 0; /* claims more than the attribute holds */
	memcpy(out->hwaddr, hw.hw_addr, out->hwaddr_len);
	out->payload = nla_data(tb[NFULA_PAYLOAD]);
	out->payload_len = (size_t)nla_len(tb[NFULA_PAYLOAD]);
	return 0;
}

/* ---------- route lookups ---------- */

struct nlh_req {
	int fd;
	uint32_t seq;
};

struct nlh_req *nlh_req_open(void)
{
	struct nlh_req *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->fd = nlh_listen_open(NETLINK_ROUTE, 0, 0);
	if (q->fd < 0) {
		free(q);
		return NULL;
	}
	return q;
}

void nlh_req_close(struct nlh_req *q)
{
	if (!q)
		return;
	close(q->fd);
	free(q);
}

/*
 * Send m with the next sequence number, then read what the kernel queued
 * in answer: fn sees each message of ours and returns 1 when it has what
 * it wants, 0 for more (a dump goes on until NLMSG_DONE), or a negative
 * value to stop with it. Messages of other sequence numbers are strays
 * and dropped. Never waits: an answer not there is an error (-EAGAIN).
 * Errors are negative errno values, the kernel's included.
 */
static int nlh_req_do(struct nlh_req *q, struct nl_msg *m, int (*fn)(struct nlmsghdr *h, void *arg),
                      void *arg)
{
	static char buf[NLH_RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *req = nlmsg_hdr(m);
	uint32_t seq = ++q->seq;

	req->nlmsg_seq = seq;
	if (send(q->fd, req, req->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(q->fd, buf, sizeof(buf), MSG_DONTWAIT);
		int len = (int)n;

		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; nlmsg_ok(h, len);
		     h = nlmsg_next(h, &len)) {
			int rc;

			if (h->nlmsg_seq != seq)
				continue; /* a stray: the answer to a request given up */
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = nlmsg_data(h);

				if (!nlmsg_valid_hdr(h, sizeof(*e)))
					return -EBADMSG;
				return e->error;
			}
			rc = fn(h, arg);
			if (rc != 0)
				return rc < 0 ? rc : 0;
		}
	}
}

static int nlh_route_one(struct nlmsghdr *h, void *arg)
{
	struct nlh_route *out = arg;
	struct rtnl_route *r = NULL;
	struct rtnl_nexthop *nh;
	struct nl_addr *dst, *gw;

	if (h->nlmsg_type != RTM_NEWROUTE)
		return 0;
	if (rtnl_route_parse(h, &r) < 0)
		return -EBADMSG;
	out->type = rtnl_route_get_type(r);
	dst = rtnl_route_get_dst(r);
	out->plen = dst ? (uint8_t)nl_addr_get_prefixlen(dst) : 0;
	nh = rtnl_route_nexthop_n(r, 0);
	if (nh) {
		out->oif = rtnl_route_nh_get_ifindex(nh);
		gw = rtnl_route_nh_get_gateway(nh);
		if (gw && nl_addr_get_family(gw) == AF_INET && nl_addr_get_len(gw) == 4) {
			out->gateway.family = AF_INET;
			memcpy(&out->gateway.u.v4, nl_addr_get_binary_addr(gw), 4);
		}
	}
	out->found = out->type == RTN_UNICAST || out->type == RTN_LOCAL;
	rtnl_route_put(r);
	return 1;
}

int nlh_route_get(struct nlh_req *q, const struct ipaddr *dst, struct nlh_route *out)
{
	struct rtmsg rtm = {
	    .rtm_family = AF_INET,
	    .rtm_dst_len = 32,
	    .rtm_flags = RTM_F_FIB_MATCH, /* the FIB entry, not a host route */
	};
	struct nl_msg *m;
	int rc = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (dst->family != AF_INET)
		return -EAFNOSUPPORT;
	m = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST);
	if (m && nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) == 0 &&
	    nla_put(m, RTA_DST, 4, &dst->u.v4) == 0)
		rc = nlh_req_do(q, m, nlh_route_one, out);
	nlmsg_free(m);
	/* No route is an answer too: nothing found. */
	return rc == -ENETUNREACH || rc == -EHOSTUNREACH ? 0 : rc;
}

struct nlh_addr_want {
	const struct ipaddr *a;
	uint8_t plen;
	int ifindex;
	bool found;
};

static int nlh_addr_one(struct nlmsghdr *h, void *arg)
{
	struct nlh_addr_want *w = arg;
	struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;

	if (h->nlmsg_type != RTM_NEWADDR || nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return 0;
	ifa = nlmsg_data(h);
	if (!w->found && tb[IFA_LOCAL] && nla_len(tb[IFA_LOCAL]) == 4 &&
	    !memcmp(nla_data(tb[IFA_LOCAL]), &w->a->u.v4, 4)) {
		w->plen = ifa->ifa_prefixlen;
		w->ifindex = (int)ifa->ifa_index;
		w->found = true;
	}
	return 0; /* read the dump to its end: nothing of it may stay queued */
}

int nlh_addr_prefix(struct nlh_req *q, const struct ipaddr *a, uint8_t *plen, int *ifindex)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET};
	struct nlh_addr_want w = {.a = a};
	struct nl_msg *m;
	int rc = -ENOMEM;

	if (a->family != AF_INET)
		return -EAFNOSUPPORT;
	m = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
	if (m && nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) == 0)
		rc = nlh_req_do(q, m, nlh_addr_one, &w);
	nlmsg_free(m);
	if (rc < 0)
		return rc;
	if (!w.found)
		return -EADDRNOTAVAIL;
	*plen = w.plen;
	*ifindex = w.ifindex;
	return 0;
}
