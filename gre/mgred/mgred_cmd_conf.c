/*
 * Handlers of the configuration lines mgred owns (lib/grammar.def): the
 * `interface` block header and the tunnel lines inside it. The engine has
 * checked each word's type and range already; these change only the
 * candidate configuration they are given, so a refused line changes
 * nothing that runs. A `no` form shares its handler with the positive one.
 */
#include <string.h>

#include "gre/mgred/mgred.h"
#include "gre/mgred/mgred_cmd.h"
#include "lib/conf.h"

static bool mgred_cmd_is_no(const struct cmd_args *a)
{
	return !strcmp(a->argv[0], "no");
}

/* The block this line is in (set by mgred_cmd_interface). */
static struct mgred_iface_conf *mgred_cmd_iface(struct cmd_exec *x)
{
	return x->block_ctx;
}

int mgred_cmd_interface(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_conf *c = x->ctx;
	const char *name = cmd_arg(a, "IFNAME", 0);
	struct mgred_iface_conf *ic = mgred_conf_find(c, name);

	/* As in IOS, `interface X` again continues X's block (in a file or
	 * live), so every daemon reads a reopened block alike. */
	if (!ic) {
		if (c->nifaces == MGRED_MAX_IFACES) {
			strbuf_printf(x->out, "at most %d interfaces", MGRED_MAX_IFACES);
			return -1;
		}
		ic = &c->ifaces[c->nifaces++];
		memset(ic, 0, sizeof(*ic));
		snprintf(ic->tun.name, sizeof(ic->tun.name), "%s", name);
		ic->tun.line = x->lineno;
	}
	x->block_ctx = ic;
	return 0;
}

int mgred_cmd_no_interface(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_conf *c = x->ctx;
	const char *name = cmd_arg(a, "IFNAME", 0);
	struct mgred_iface_conf *ic = mgred_conf_find(c, name);
	size_t i;

	if (!ic) {
		strbuf_printf(x->out, "interface %s is not configured", name);
		return -1;
	}
	/* Keep the others in their order: show running-config prints it. */
	i = (size_t)(ic - c->ifaces);
	memmove(ic, ic + 1, (c->nifaces - i - 1) * sizeof(*ic));
	c->nifaces--;
	return 0;
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

int mgred_cmd_tunnel_mode(struct cmd_exec *x, const struct cmd_args *a)
{
	(void)a;
	mgred_cmd_iface(x)->tun.multipoint = true;
	return 0;
}

int mgred_cmd_tunnel_source(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	const char *dev = cmd_arg(a, "IFNAME", 0);
	struct ipaddr addr = {.family = AF_UNSPEC};

	if (!dev && ipaddr_parse(a->argv[2], &addr) < 0) {
		strbuf_printf(x->out,
		              "tunnel source: '%s' is neither an address nor an interface name",
		              a->argv[2]);
		return -1;
	}
	snprintf(ic->tun.source_dev, sizeof(ic->tun.source_dev), "%s", dev ? dev : "");
	ic->tun.source_addr = addr;
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

int mgred_cmd_tunnel_dataplane(struct cmd_exec *x, const struct cmd_args *a)
{
	mgred_cmd_iface(x)->dataplane = cmd_has(a, "kernel") ? MGRED_DP_KERNEL : MGRED_DP_USERSPACE;
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

/* The address of the line's prefix argument (tok "A.B.C.D/M" or "X:X::X:X/M"). */
static int mgred_cmd_prefix(struct cmd_exec *x, const char *arg, int family, struct mgred_prefix *p)
{
	if (!arg || conf_parse_prefix(arg, &p->addr, &p->plen) < 0 || p->addr.family != family) {
		strbuf_printf(x->out, "usage: %s address %s", family == AF_INET ? "ip" : "ipv6",
		              family == AF_INET ? "A.B.C.D/M" : "X:X::X:X/M");
		return -1;
	}
	return 0;
}

/* Index of the address (any prefix length), or of the first of family when a is NULL. */
static int mgred_cmd_addr_find(const struct mgred_iface_conf *ic, int family,
                               const struct ipaddr *a)
{
	for (unsigned i = 0; i < ic->naddrs; i++)
		if (a ? ipaddr_equal(&ic->addrs[i].addr, a) : ic->addrs[i].addr.family == family)
			return (int)i;
	return -1;
}

static void mgred_cmd_addr_remove(struct mgred_iface_conf *ic, int i)
{
	memmove(&ic->addrs[i], &ic->addrs[i + 1],
	        (ic->naddrs - (unsigned)i - 1) * sizeof(ic->addrs[0]));
	ic->naddrs--;
}

/* Put p at index i (replacing), or append it when i < 0. */
static int mgred_cmd_addr_set(struct cmd_exec *x, struct mgred_iface_conf *ic, int i,
                              const struct mgred_prefix *p)
{
	if (i >= 0) {
		ic->addrs[i] = *p;
		return 0;
	}
	if (ic->naddrs == MGRED_MAX_ADDRS) {
		strbuf_printf(x->out, "at most %d addresses per interface", MGRED_MAX_ADDRS);
		return -1;
	}
	ic->addrs[ic->naddrs++] = *p;
	return 0;
}

/* `ip address` is the interface's one IPv4 address: a new one replaces it (as in IOS). */
int mgred_cmd_ip_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	struct mgred_prefix p;

	if (mgred_cmd_prefix(x, cmd_arg(a, "A.B.C.D/M", 0), AF_INET, &p) < 0)
		return -1;
	return mgred_cmd_addr_set(x, ic, mgred_cmd_addr_find(ic, AF_INET, NULL), &p);
}

int mgred_cmd_no_ip_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	const char *arg = cmd_arg(a, "A.B.C.D/M", 0);
	int i = mgred_cmd_addr_find(ic, AF_INET, NULL);
	struct mgred_prefix p;

	if (arg) {
		if (mgred_cmd_prefix(x, arg, AF_INET, &p) < 0)
			return -1;
		if (i < 0 || !ipaddr_equal(&ic->addrs[i].addr, &p.addr)) {
			strbuf_printf(x->out, "ip address %s is not configured on %s", arg,
			              ic->tun.name);
			return -1;
		}
	}
	if (i >= 0)
		mgred_cmd_addr_remove(ic, i);
	return 0;
}

/* `ipv6 address` adds one more (the same address again: its new length). */
int mgred_cmd_ipv6_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	struct mgred_prefix p;

	if (mgred_cmd_prefix(x, cmd_arg(a, "X:X::X:X/M", 0), AF_INET6, &p) < 0)
		return -1;
	return mgred_cmd_addr_set(x, ic, mgred_cmd_addr_find(ic, AF_INET6, &p.addr), &p);
}

int mgred_cmd_no_ipv6_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred_iface_conf *ic = mgred_cmd_iface(x);
	const char *arg = cmd_arg(a, "X:X::X:X/M", 0);
	struct mgred_prefix p;
	int i;

	if (mgred_cmd_prefix(x, arg, AF_INET6, &p) < 0)
		return -1;
	i = mgred_cmd_addr_find(ic, AF_INET6, &p.addr);
	if (i < 0) {
		strbuf_printf(x->out, "ipv6 address %s is not configured on %s", arg, ic->tun.name);
		return -1;
	}
	mgred_cmd_addr_remove(ic, i);
	return 0;
}

/*
 * The block as a whole. In the file an mGRE tunnel of the userspace data
 * plane needs its source; typed live, a new block is incomplete until its
 * `tunnel source` line comes, and mgred runs it from then on.
 */
int mgred_cmd_iface_end(struct cmd_exec *x)
{
	const struct mgred_iface_conf *ic = mgred_cmd_iface(x);

	if (!x->live && ic->tun.multipoint && ic->dataplane != MGRED_DP_KERNEL &&
	    !mgred_iface_has_source(ic)) {
		strbuf_printf(x->out, "interface %s: 'tunnel source' is required", ic->tun.name);
		return -1;
	}
	return 0;
}
