/*
 * Handlers of the configuration lines only mgred owns (gre/mgred/mgred.def):
 * the tunnel's GRE settings, description, mtu and IPv6 addresses inside an
 * `interface` block. The block header, tunnel mode, source, data plane
 * and the IPv4 address are lines nhrpd reads too: their handlers are
 * gre/tunnel_conf.c's. The engine has checked each word's type and range
 * already; these change only the candidate configuration they are given,
 * so a refused line changes nothing that runs. A `no` form shares its
 * handler with the positive one.
 */
#include <string.h>

#include "gre/mgred/mgred.h"
#include "gre/mgred/mgred_cmd.h"
#include "lib/conf.h"

static bool mgred_cmd_is_no(const struct cmd_args *a)
{
	return !strcmp(a->argv[0], "no");
}

/* The block this line is in (set by tunnel_conf_cmd_interface). */
static struct mgred_iface_conf *mgred_cmd_iface(struct cmd_exec *x)
{
	return x->block_ctx;
}

int mgred_cmd_description(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	char text[MGRED_DESC_MAX + 1];
	size_t len = 0;

	if (mgred_cmd_is_no(a)) {
		ic->description[0] = '\0';
		return 0;
	}
	for (int i = 1; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]);

		if (len + (i > 1) + n > MGRED_DESC_MAX) {
			strbuf_printf(x->out, "description: at most %d characters", MGRED_DESC_MAX);
			return -1;
		}
		if (a->argv[i][0] == '!' || a->argv[i][0] == '#') {
			/* Once saved, the file's reader would take the rest for a comment. */
			strbuf_puts(x->out, "description: a word that starts with '!' or '#' "
			                    "starts a comment in the configuration file");
			return -1;
		}
		if (i > 1)
			text[len++] = ' ';
		memcpy(text + len, a->argv[i], n);
		len += n;
	}
	text[len] = '\0';
	memcpy(ic->description, text, len + 1);
	return 0;
}

int mgred_cmd_tunnel_key(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	uint32_t v = 0;

	if (!mgred_cmd_is_no(a) && conf_parse_u32(a->argv[2], 0, UINT32_MAX, &v) < 0) {
		strbuf_puts(x->out, "usage: tunnel key <0-4294967295>");
		return -1;
	}
	ic->has_key = !mgred_cmd_is_no(a);
	ic->key = v;
	return 0;
}

int mgred_cmd_tunnel_ttl(struct cmd_exec *x, const struct cmd_args *a)
{
	uint32_t v = 0;

	if (!mgred_cmd_is_no(a) && conf_parse_u32(a->argv[2], 1, 255, &v) < 0) {
		strbuf_puts(x->out, "usage: tunnel ttl <1-255>");
		return -1;
	}
	mgred_cmd_iface(x)->ttl = v;
	return 0;
}

int mgred_cmd_tunnel_checksum(struct cmd_exec *x, const struct cmd_args *a)
{
	mgred_cmd_iface(x)->checksum = !mgred_cmd_is_no(a);
	return 0;
}

int mgred_cmd_mtu(struct cmd_exec *x, const struct cmd_args *a)
{
	uint32_t v = 0;

	/* 1280 is the IPv6 minimum (RFC 8200 5); the overlay carries IPv6 too. */
	if (!mgred_cmd_is_no(a) && conf_parse_u32(a->argv[1], 1280, 65535, &v) < 0) {
		strbuf_puts(x->out, "usage: mtu <1280-65535>");
		return -1;
	}
	mgred_cmd_iface(x)->mtu = v;
	return 0;
}

/* The line's X:X::X:X/M. */
static int mgred_cmd_prefix6(struct cmd_exec *x, const char *arg, struct mgred_prefix *p)
{
	if (!arg || conf_parse_prefix(arg, &p->addr, &p->plen) < 0 || p->addr.family != AF_INET6) {
		strbuf_puts(x->out, "usage: ipv6 address X:X::X:X/M");
		return -1;
	}
	return 0;
}

/* Index of the IPv6 address (any prefix length), or -1. */
static int mgred_cmd_addr6_find(const struct mgred_iface_conf *ic, const struct ipaddr *a)
{
	for (unsigned i = 0; i < ic->naddrs6; i++)
		if (ipaddr_equal(&ic->addrs6[i].addr, a))
			return (int)i;
	return -1;
}

static int mgred_cmd_addrs_full(struct cmd_exec *x)
{
	strbuf_printf(x->out, "at most %d addresses per interface", MGRED_MAX_ADDRS);
	return -1;
}

/* `ipv6 address` adds one more (the same address again: its new length). */
int mgred_cmd_ipv6_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	struct mgred_prefix p, all[MGRED_MAX_ADDRS];
	int i;

	if (mgred_cmd_prefix6(x, cmd_arg(a, "X:X::X:X/M", 0), &p) < 0)
		return -1;
	i = mgred_cmd_addr6_find(ic, &p.addr);
	if (i >= 0) {
		ic->addrs6[i] = p;
		return 0;
	}
	if (mgred_iface_addrs(ic, all) == MGRED_MAX_ADDRS)
		return mgred_cmd_addrs_full(x);
	ic->addrs6[ic->naddrs6++] = p;
	return 0;
}

int mgred_cmd_no_ipv6_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	const char *arg = cmd_arg(a, "X:X::X:X/M", 0);
	struct mgred_prefix p;
	int i;

	if (mgred_cmd_prefix6(x, arg, &p) < 0)
		return -1;
	i = mgred_cmd_addr6_find(ic, &p.addr);
	if (i < 0) {
		strbuf_printf(x->out, "ipv6 address %s is not configured on %s", arg, ic->tun.name);
		return -1;
	}
	memmove(&ic->addrs6[i], &ic->addrs6[i + 1],
	        (ic->naddrs6 - (unsigned)i - 1) * sizeof(ic->addrs6[0]));
	ic->naddrs6--;
	return 0;
}

/*
 * The block as a whole. In the file an mGRE tunnel of the userspace data
 * plane needs its source; typed live, a new block is incomplete until its
 * `tunnel source` line comes, and mgred runs it from then on. The IPv4
 * address is set by the shared `ip address` line, which knows nothing of
 * the IPv6 ones: the count of all of them is checked here.
 */
int mgred_cmd_iface_end(struct cmd_exec *x)
{
	const struct mgred_iface_conf *ic = mgred_cmd_iface(x);

	if (!x->live && ic->tun.multipoint && ic->tun.backend != DP_BACKEND_KERNEL &&
	    !tunnel_conf_has_source(&ic->tun)) {
		strbuf_printf(x->out, "interface %s: 'tunnel source' is required", ic->tun.name);
		return -1;
	}
	if (ipaddr_is_set(&ic->tun.addr) && ic->naddrs6 == MGRED_MAX_ADDRS)
		return mgred_cmd_addrs_full(x);
	return 0;
}
