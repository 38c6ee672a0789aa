/*
 * An NHRP interface: the mGRE overlay interface that the data plane
 * (mgred, or the kernel) provides, our NBMA address on the underlay, the
 * NHRP frame socket, and what the configuration puts in the cache (our
 * own address, static maps, the NHSes).
 *
 * The overlay interface may not exist yet when nhrpd starts, and goes away
 * when the data plane restarts: the interface then detaches (dynamic
 * state is lost with the neighbour table) and retries every second, and
 * registration starts again once it is back.
 *
 * Creating an interface wires its cache to the subscribers of its events
 * (the neighbour table mirror, zebra, resolution, shortcuts, purges): the
 * cache calls them without knowing them.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nl.h"
#include "nhrpd/nhrpd.h"

#define NHRP_ATTACH_RETRY_MS 1000

static void nhrp_iface_nhrp_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nhrp_iface *ifp = w->data;
	static uint8_t pkt[NHRP_MAX_PACKET + 64];
	struct ipaddr from;
	ssize_t n;

	(void)loop;
	(void)revents;
	/* Bounded batch, so one busy interface cannot starve the others. */
	for (int i = 0; i < 64 && ifp->attached; i++) {
		n = dp_nhrp_recv(ifp->dp, pkt, sizeof(pkt), &from);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EPROTO)
				continue; /* our own frame, or no NBMA source */
			nhrp_iface_detach(ifp, strerror(errno));
			return;
		}
		if ((size_t)n > NHRP_MAX_PACKET) {
			nhrp_drop(ifp, NHRP_DROP_MALFORMED, &from,
			          "larger than an NHRP packet may be");
			continue;
		}
		nhrp_recv_packet(ifp, pkt, (size_t)n, &from);
		OPENSSL_cleanse(pkt, (size_t)n); /* it may carry the password */
	}
}

/* Our NBMA address: the tunnel source address, or that device's first. */
static int nhrp_iface_find_nbma(struct nhrp_iface *ifp)
{
	struct nlh *nl;
	int idx, rc = -1;

	if (ipaddr_is_set(&ifp->conf.tun.source_addr)) {
		ifp->nbma = ifp->conf.tun.source_addr;
		return 0;
	}
	nl = nlh_open();
	if (!nl)
		return -1;
	idx = nlh_link_index(nl, ifp->conf.tun.source_dev);
	if (idx > 0 && nlh_link_first_addr(nl, idx, AF_INET, &ifp->nbma) == 0)
		rc = 0;
	nlh_close(nl);
	return rc;
}

/* Bind proto as configured, unless it already is (its times stay). */
static void nhrp_iface_bind_config(struct nhrp_iface *ifp, const struct ipaddr *proto,
                                   const struct nhrp_binding *b)
{
	const struct nhrp_cache_entry *e = nhrp_cache_get(ifp, proto);

	if (e && nhrp_cache_entry_bound(e) && e->type == b->type &&
	    ipaddr_equal(&e->nbma, &b->nbma))
		return;
	/* A static map of an NHS's address wins over the NHS line. */
	if (e && b->type == NHRP_CACHE_NHS && e->type == NHRP_CACHE_STATIC)
		return;
	nhrp_cache_bind(ifp, proto, b);
}

void nhrp_iface_load_config(struct nhrp_iface *ifp)
{
	const struct nhrp_iface_conf *c = &ifp->conf;

	nhrp_iface_bind_config(ifp, &c->tun.addr,
	                       &(struct nhrp_binding){.type = NHRP_CACHE_LOCAL,
	                                              .nbma = ifp->nbma,
	                                              .given = NHRP_BIND_PREFIX,
	                                              .prefix_len = (uint8_t)c->tun.plen});
	for (unsigned i = 0; i < c->nmaps; i++)
		nhrp_iface_bind_config(
		    ifp, &c->maps[i].proto,
		    &(struct nhrp_binding){.type = NHRP_CACHE_STATIC, .nbma = c->maps[i].nbma});
	for (unsigned i = 0; i < c->nnhs; i++)
		nhrp_iface_bind_config(
		    ifp, &c->nhs[i].proto,
		    &(struct nhrp_binding){.type = NHRP_CACHE_NHS, .nbma = c->nhs[i].nbma});
}

static int nhrp_iface_attach(struct nhrp_iface *ifp)
{
	int fd;

	ifp->dp = dp_tunnel_open(ifp->conf.tun.backend, ifp->conf.tun.name);
	if (!ifp->dp)
		goto fail;
	if (nhrp_iface_find_nbma(ifp) < 0) {
		log_msg_rl(&ifp->rl, LOG_LVL_WARN, LOG_CAT_GENERAL,
		           "%s: tunnel source %s has no IPv4 address yet", ifp->conf.tun.name,
		           ifp->conf.tun.source_dev);
		goto fail;
	}
	ifp->ifindex = dp_tunnel_ifindex(ifp->dp);
	if (dp_tunnel_mtu(ifp->dp, &ifp->mtu) < 0)
		ifp->mtu = 0;
	fd = dp_nhrp_fd(ifp->dp);
	if (fd < 0)
		goto fail;
	ev_io_init(&ifp->nhrp_io, nhrp_iface_nhrp_readable, fd, EV_READ);
	ifp->nhrp_io.data = ifp;
	ev_io_start(ifp->d->loop, &ifp->nhrp_io);
	ifp->attached = true;
	ifp->up_ms = clock_now_ms();
	nhrp_iface_load_config(ifp);
	if (nhrp_multicast_open(ifp) < 0)
		log_warn("%s: multicast replication unavailable: %s", ifp->conf.tun.name,
		         strerror(errno));
	for (unsigned i = 0; i < ifp->nnhs; i++)
		nhrp_nhs_fsm(ifp->nhs[i], NHRP_NHS_EV_START);
	log_notice("%s: attached (ifindex %d, NBMA %s, %s data plane, %s)", ifp->conf.tun.name,
	           ifp->ifindex, ipaddr_format(&ifp->nbma, (char[IPADDR_STRLEN]){0}),
	           dp_backend_name(ifp->conf.tun.backend),
	           nhrp_iface_is_server(ifp) ? "next-hop server" : "next-hop client");
	return 0;
fail:
	dp_tunnel_close(ifp->dp);
	ifp->dp = NULL;
	return -1;
}

static void nhrp_iface_attach_timer(struct timer *t, void *arg)
{
	struct nhrp_iface *ifp = arg;

	if (nhrp_iface_attach(ifp) < 0)
		timer_start_ms(t, NHRP_ATTACH_RETRY_MS);
}

void nhrp_iface_detach(struct nhrp_iface *ifp, const char *why)
{
	if (!ifp->attached)
		return;
	log_warn("%s: detached (%s); waiting for the interface to come back", ifp->conf.tun.name,
	         why);
	for (unsigned i = 0; i < ifp->nnhs; i++)
		nhrp_nhs_fsm(ifp->nhs[i], NHRP_NHS_EV_STOP);
	nhrp_multicast_close(ifp);
	ev_io_stop(ifp->d->loop, &ifp->nhrp_io);
	/* The neighbour table went with the interface: nothing to delete
	 * (the mirror does nothing without a data plane). */
	dp_tunnel_close(ifp->dp);
	ifp->dp = NULL;
	ifp->attached = false;
	nhrp_shortcut_flush(ifp);
	nhrp_cache_flush(ifp, false);
	timer_start_ms(&ifp->attach_timer, NHRP_ATTACH_RETRY_MS);
}

/*
 * The cache's subscribers, in the order they hear of a binding (a removal
 * in the reverse order): the neighbour entry first, so that the first
 * packet a route lets through finds it; purges last, once nothing here
 * relies on the binding any more.
 */
static const nhrp_cache_note_fn nhrp_iface_subscribers[] = {
    nhrp_mirror_entry_note,   nhrp_zebra_entry_note, nhrp_resolve_entry_note,
    nhrp_shortcut_entry_note, nhrp_purge_entry_note,
};

int nhrp_iface_create(struct nhrpd *d, const struct nhrp_iface_conf *c)
{
	struct nhrp_iface *ifp;

	if (d->nifaces == NHRP_MAX_IFACES)
		return -1;
	ifp = calloc(1, sizeof(*ifp));
	if (!ifp)
		return -1;
	ifp->d = d;
	ifp->conf = *c;
	ifp->mcast_fd = -1;
	if (nhrp_cache_init(&ifp->cache) < 0) {
		free(ifp);
		return -1;
	}
	for (size_t i = 0; i < sizeof(nhrp_iface_subscribers) / sizeof(nhrp_iface_subscribers[0]);
	     i++)
		nhrp_cache_subscribe(&ifp->cache, nhrp_iface_subscribers[i], NULL);
	timer_init(&ifp->attach_timer, d->loop, nhrp_iface_attach_timer, ifp);
	for (unsigned i = 0; i < c->nnhs; i++) {
		if (!(ifp->nhs[i] = nhrp_nhs_new(ifp, &c->nhs[i]))) {
			nhrp_iface_destroy(ifp);
			return -1;
		}
		ifp->nnhs++;
	}
	d->ifaces[d->nifaces++] = ifp;
	if (nhrp_iface_attach(ifp) < 0) {
		log_warn("%s: not attached yet (%s); retrying every second", c->tun.name,
		         strerror(errno));
		timer_start_ms(&ifp->attach_timer, NHRP_ATTACH_RETRY_MS);
	}
	return 0;
}

void nhrp_iface_destroy(struct nhrp_iface *ifp)
{
	struct nhrpd *d = ifp->d;

	for (unsigned i = 0; i < ifp->nnhs; i++)
		nhrp_nhs_free(ifp->nhs[i]);
	ifp->nnhs = 0;
	timer_stop(&ifp->attach_timer);
	nhrp_multicast_close(ifp);
	if (ifp->attached)
		ev_io_stop(d->loop, &ifp->nhrp_io);
	/* Dynamic neighbour entries leave with us; static ones too. */
	nhrp_shortcut_flush(ifp);
	nhrp_cache_free(ifp);
	dp_tunnel_close(ifp->dp);
	explicit_bzero(ifp->conf.auth, sizeof(ifp->conf.auth));
	for (unsigned i = 0; i < d->nifaces; i++)
		if (d->ifaces[i] == ifp) {
			d->ifaces[i] = d->ifaces[--d->nifaces];
			break;
		}
	free(ifp);
}
