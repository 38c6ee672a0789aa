#include "lib/nl.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <stdlib.h>

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
