/*
 * The part of dmvpn.conf that mgred owns: `interface` blocks with
 * `tunnel mode gre multipoint` and `tunnel dataplane userspace`. Lines that
 * belong to other daemons (ip nhrp ..., tunnel protection ...) are left to
 * them; anything else inside such a block is an error. Everything is
 * validated into struct mgred_conf before any of it is applied.
 */
#include <string.h>

#include "gre/mgred/mgred.h"
#include "lib/conf.h"

struct mgred_iface_parse {
	struct mgred_tunnel_conf tc;
	bool multipoint;
	bool userspace;
	bool kernel;
	bool has_source;
};

/* Interface lines owned by another daemon of the project. */
static bool mgred_conf_not_ours(const struct conf_line *l)
{
	return conf_match(l, 2, "ip", "nhrp") || conf_match(l, 2, "ipv6", "nhrp") ||
	       conf_match(l, 2, "tunnel", "protection") || conf_match(l, 1, "description") ||
	       conf_match(l, 2, "no", "shutdown");
}

static void mgred_conf_iface_line(struct conf_reader *r, const struct conf_line *l,
				  struct mgred_iface_parse *ip)
{
	struct mgred_tunnel_conf *tc = &ip->tc;
	uint32_t v;

	if (mgred_conf_not_ours(l))
		return;
	if (conf_match(l, 2, "tunnel", "mode")) {
		if (l->argc == 4 && !strcmp(l->argv[2], "gre") && !strcmp(l->argv[3], "multipoint"))
			ip->multipoint = true;
		else
			conf_error(r, l, "only 'tunnel mode gre multipoint' is supported");
	} else if (conf_match(l, 2, "tunnel", "source")) {
		if (l->argc != 3)
			conf_error(r, l, "usage: tunnel source IFNAME|ADDRESS");
		else if (ipaddr_parse(l->argv[2], &tc->source_addr) == 0)
			ip->has_source = true;
		else if (conf_valid_ifname(l->argv[2])) {
			strcpy(tc->source_dev, l->argv[2]);
			ip->has_source = true;
		} else
			conf_error(r, l, "tunnel source: '%s' is neither an address nor an interface name",
				   l->argv[2]);
	} else if (conf_match(l, 2, "tunnel", "key")) {
		if (l->argc != 3 || conf_parse_u32(l->argv[2], 0, UINT32_MAX, &v) < 0)
			conf_error(r, l, "usage: tunnel key <0-4294967295>");
		else {
			tc->has_key = true;
			tc->key = v;
		}
	} else if (conf_match(l, 2, "tunnel", "ttl")) {
		if (l->argc != 3 || conf_parse_u32(l->argv[2], 1, 255, &v) < 0)
			conf_error(r, l, "usage: tunnel ttl <1-255>");
		else
			tc->ttl = v;
	} else if (conf_match(l, 2, "tunnel", "checksum")) {
		if (l->argc != 2)
			conf_error(r, l, "usage: tunnel checksum");
		tc->checksum = true;
	} else if (conf_match(l, 2, "tunnel", "dataplane")) {
		if (l->argc == 3 && !strcmp(l->argv[2], "userspace"))
			ip->userspace = true;
		else if (l->argc == 3 && !strcmp(l->argv[2], "kernel"))
			ip->kernel = true;
		else
			conf_error(r, l, "usage: tunnel dataplane userspace|kernel");
	} else if (conf_match(l, 1, "mtu")) {
		/* 1280 is the IPv6 minimum (RFC 8200 5); the overlay carries IPv6 too. */
		if (l->argc != 2 || conf_parse_u32(l->argv[1], 1280, 65535, &v) < 0)
			conf_error(r, l, "usage: mtu <1280-65535>");
		else
			tc->mtu = v;
	} else if (conf_match(l, 2, "ip", "address") || conf_match(l, 2, "ipv6", "address")) {
		struct mgred_prefix p;
		int want = !strcmp(l->argv[0], "ip") ? AF_INET : AF_INET6;

		if (l->argc != 3 || conf_parse_prefix(l->argv[2], &p.addr, &p.plen) < 0 ||
		    p.addr.family != want)
			conf_error(r, l, "usage: %s address %s", l->argv[0],
				   want == AF_INET ? "A.B.C.D/M" : "X:X::X:X/M");
		else if (tc->naddrs == MGRED_MAX_ADDRS)
			conf_error(r, l, "at most %d addresses per interface", MGRED_MAX_ADDRS);
		else
			tc->addrs[tc->naddrs++] = p;
	} else {
		conf_error(r, l, "unknown interface command '%s'", l->argv[0]);
	}
}

/* Called at the end of an interface block: keep it if it is ours. */
static void mgred_conf_iface_end(struct conf_reader *r, struct mgred_iface_parse *ip,
				 struct mgred_conf *conf)
{
	struct mgred_tunnel_conf *tc = &ip->tc;
	struct conf_line at = {.lineno = tc->line};

	if (!ip->multipoint || ip->kernel)
		return; /* not an mGRE tunnel, or the kernel backend's */
	if (!ip->has_source) {
		conf_error(r, &at, "interface %s: 'tunnel source' is required", tc->name);
		return;
	}
	for (unsigned i = 0; i < conf->ntunnels; i++) {
		const struct mgred_tunnel_conf *o = &conf->tunnels[i];

		if (!strcmp(o->name, tc->name)) {
			conf_error(r, &at, "interface %s defined twice (first at line %d)",
				   tc->name, o->line);
			return;
		}
		/* Inbound packets are told apart by key alone (RFC 2890 2.1). */
		if (o->has_key == tc->has_key && o->key == tc->key &&
		    !strcmp(o->source_dev, tc->source_dev) &&
		    ipaddr_equal(&o->source_addr, &tc->source_addr)) {
			conf_error(r, &at,
				   "interface %s: same tunnel source and key as %s (line %d)",
				   tc->name, o->name, o->line);
			return;
		}
	}
	if (conf->ntunnels == MGRED_MAX_TUNNELS) {
		conf_error(r, &at, "at most %d tunnels", MGRED_MAX_TUNNELS);
		return;
	}
	conf->tunnels[conf->ntunnels++] = *tc;
}

static int mgred_conf_read(struct conf_reader *r, struct mgred_conf *conf)
{
	struct conf_line l;
	struct mgred_iface_parse ip;
	bool in_iface = false;

	while (conf_next(r, &l) == 1) {
		if (l.indented) {
			if (in_iface)
				mgred_conf_iface_line(r, &l, &ip);
			continue; /* a block of another daemon */
		}
		if (in_iface)
			mgred_conf_iface_end(r, &ip, conf);
		in_iface = false;
		if (conf_match(&l, 1, "interface")) {
			memset(&ip, 0, sizeof(ip));
			if (l.argc != 2 || !conf_valid_ifname(l.argv[1])) {
				conf_error(r, &l, "usage: interface IFNAME (1-15 of A-Z a-z 0-9 _ . -)");
				continue;
			}
			strcpy(ip.tc.name, l.argv[1]);
			ip.tc.line = l.lineno;
			in_iface = true;
		}
	}
	if (in_iface)
		mgred_conf_iface_end(r, &ip, conf);
	conf_close(r);
	return r->nerrors ? -1 : 0;
}

int mgred_conf_load(const char *path, struct mgred_conf *conf, struct strbuf *errors)
{
	struct conf_reader r;

	memset(conf, 0, sizeof(*conf));
	if (conf_open(&r, path, errors) < 0)
		return -1;
	return mgred_conf_read(&r, conf);
}

int mgred_conf_load_mem(const char *name, const void *data, size_t len, struct mgred_conf *conf,
			struct strbuf *errors)
{
	struct conf_reader r;

	memset(conf, 0, sizeof(*conf));
	if (conf_open_mem(&r, name, data, len, errors) < 0)
		return -1;
	return mgred_conf_read(&r, conf);
}
