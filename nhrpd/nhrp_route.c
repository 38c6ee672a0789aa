/*
 * Which route the kernel would use for an address, and the prefix it
 * belongs to: RTM_GETROUTE with RTM_F_FIB_MATCH answers with the matching
 * FIB entry (its prefix length, output interface and gateway), not with a
 * host route. That decides, for a Resolution Request about an address
 * that is no overlay address (DMVPN phase 3), whether to forward it over
 * the overlay toward its owner or to answer as its egress with the
 * covering prefix.
 *
 * One netlink socket, opened once per daemon, serves every lookup
 * (lib/nl.c: the kernel answers within the send, so the answer is read
 * without waiting, and the event loop never blocks on it). Unit tests
 * replace the lookup (d->route_lookup).
 */
#include <errno.h>
#include <linux/rtnetlink.h>

#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

int nhrp_route_open(struct nhrpd *d)
{
	if (!d->route_req)
		d->route_req = nlh_req_open();
	return d->route_req ? 0 : -1;
}

void nhrp_route_close(struct nhrpd *d)
{
	nlh_req_close(d->route_req);
	d->route_req = NULL;
}

int nhrp_route_lookup(struct nhrpd *d, const struct ipaddr *dst, struct nlh_route *ri)
{
	uint8_t plen;
	int oif, rc;

	memset(ri, 0, sizeof(*ri));
	if (nhrp_route_open(d) < 0)
		return -1;
	rc = nlh_route_get(d->route_req, dst, ri);
	if (rc < 0) {
		log_debug(LOG_CAT_NHRP, "route lookup: %s", strerror(-rc));
		return -1;
	}
	/*
	 * For one of our own addresses the FIB answers with its /32 in the
	 * local table; the prefix we serve is that of the address on its
	 * interface (a LAN 10.1.3.1/24 gives 10.1.3.0/24).
	 */
	if (ri->found && ri->type == RTN_LOCAL &&
	    nlh_addr_prefix(d->route_req, dst, &plen, &oif) == 0) {
		ri->plen = plen;
		ri->oif = oif;
	}
	return 0;
}
