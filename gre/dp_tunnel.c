/*
 * The data plane interface over its backends: dp_tunnel_open picks the
 * operations of the backend asked for, and every call on a tunnel goes
 * through them (struct dp_ops in dataplane.h). The backends themselves
 * are dp_userspace.c (mgred) and dp_kernel.c.
 */
#include <errno.h>
#include <string.h>

#include "gre/dataplane.h"
#include "gre/gre_codec.h"

static const struct dp_ops *dp_backend_ops[DP_BACKEND_COUNT] = {
    [DP_BACKEND_USERSPACE] = &dp_userspace_ops,
    [DP_BACKEND_KERNEL] = &dp_kernel_ops,
};

const char *dp_backend_name(enum dp_backend b)
{
	return b == DP_BACKEND_KERNEL ? "kernel" : "userspace";
}

int dp_backend_from_name(const char *name)
{
	if (!strcmp(name, "userspace"))
		return DP_BACKEND_USERSPACE;
	if (!strcmp(name, "kernel"))
		return DP_BACKEND_KERNEL;
	return -1;
}

const struct dp_ops *dp_backend_set_ops(enum dp_backend b, const struct dp_ops *ops)
{
	const struct dp_ops *prev;

	if ((unsigned)b >= DP_BACKEND_COUNT)
		return NULL;
	prev = dp_backend_ops[b];
	dp_backend_ops[b] = ops;
	return prev;
}

struct dp_tunnel *dp_tunnel_open(enum dp_backend backend, const char *ifname)
{
	const struct dp_ops *ops;
	struct dp_tunnel *t;

	if ((unsigned)backend >= DP_BACKEND_COUNT) {
		errno = EINVAL;
		return NULL;
	}
	if (strlen(ifname) >= IFNAMSIZ) {
		errno = EINVAL;
		return NULL;
	}
	ops = dp_backend_ops[backend];
	t = ops->open(ifname);
	if (!t)
		return NULL;
	t->ops = ops;
	t->backend = backend;
	return t;
}

void dp_tunnel_close(struct dp_tunnel *t)
{
	if (t)
		t->ops->close(t);
}

int dp_tunnel_ifindex(const struct dp_tunnel *t)
{
	return t->ifindex;
}

int dp_tunnel_mtu(struct dp_tunnel *t, unsigned *mtu)
{
	return t->ops->mtu(t, mtu);
}

int dp_neigh_set(struct dp_tunnel *t, const struct ipaddr *overlay, const struct ipaddr *nbma,
                 bool permanent)
{
	return t->ops->neigh_set(t, overlay, nbma, permanent);
}

int dp_neigh_del(struct dp_tunnel *t, const struct ipaddr *overlay)
{
	return t->ops->neigh_del(t, overlay);
}

int dp_nhrp_fd(struct dp_tunnel *t)
{
	return t->ops->nhrp_fd(t);
}

ssize_t dp_frame_send(struct dp_tunnel *t, const struct ipaddr *nbma, uint16_t ethertype,
                      const void *pkt, size_t len)
{
	return t->ops->frame_send(t, nbma, ethertype, pkt, len);
}

/* NHRP frames are overlay frames of ethertype 0x2001 (RFC 2332 5, as
 * Cisco and Linux carry them in GRE). */
ssize_t dp_nhrp_send(struct dp_tunnel *t, const struct ipaddr *nbma, const void *pkt, size_t len)
{
	return t->ops->frame_send(t, nbma, GRE_PROTO_NHRP, pkt, len);
}

ssize_t dp_nhrp_recv(struct dp_tunnel *t, void *buf, size_t cap, struct ipaddr *nbma)
{
	return t->ops->nhrp_recv(t, buf, cap, nbma);
}

int dp_lladdr_to_nbma(struct dp_tunnel *t, const uint8_t *lladdr, size_t len, struct ipaddr *nbma)
{
	return t->ops->lladdr_nbma(t, lladdr, len, nbma);
}
