/*
 * The part of dmvpn.conf that nhrpd owns: in `interface` blocks of mGRE
 * tunnels, the `ip nhrp ...` lines (Cisco IOS syntax), plus what nhrpd
 * needs to know of the tunnel itself (its source, overlay address, data
 * plane). Lines of other daemons (tunnel protection, ...) are left to them.
 * Everything is validated into struct nhrpd_conf before any of it is
 * applied; a bad line is reported as file:line and nothing is applied.
 */
#include <string.h>

#include "lib/conf.h"
#include "nhrpd/nhrpd.h"

struct nhrp_iface_parse {
	struct nhrp_iface_conf ic;
	bool multipoint;
	bool has_source;
};

/* Lines of the interface block that other daemons own. */
static bool nhrpd_conf_not_ours(const struct conf_line *l)
{
	return conf_match(l, 2, "tunnel", "key") || conf_match(l, 2, "tunnel", "ttl") ||
	       conf_match(l, 2, "tunnel", "checksum") || conf_match(l, 2, "tunnel", "protection") ||
	       conf_match(l, 1, "mtu") || conf_match(l, 2, "ipv6", "address") ||
	       conf_match(l, 1, "description") || conf_match(l, 2, "no", "shutdown");
}

static int nhrpd_conf_addr(const char *s, int family, struct ipaddr *a)
{
	return ipaddr_parse(s, a) == 0 && a->family == family ? 0 : -1;
}

/* ip nhrp nhs PROTO nbma NBMA [multicast] */
static void nhrpd_conf_nhs(struct conf_reader *r, const struct conf_line *l,
			   struct nhrp_iface_conf *ic)
{
	struct nhrp_nhs_conf n = {.line = l->lineno};

	if (l->argc < 6 || l->argc > 7 || strcmp(l->argv[4], "nbma") ||
	    nhrpd_conf_addr(l->argv[3], AF_INET, &n.proto) < 0 ||
	    nhrpd_conf_addr(l->argv[5], AF_INET, &n.nbma) < 0 ||
	    (l->argc == 7 && strcmp(l->argv[6], "multicast"))) {
		conf_error(r, l, "usage: ip nhrp nhs A.B.C.D nbma A.B.C.D [multicast]");
		return;
	}
	n.multicast = l->argc == 7;
	for (unsigned i = 0; i < ic->nnhs; i++)
		if (ipaddr_equal(&ic->nhs[i].proto, &n.proto)) {
			conf_error(r, l, "NHS %s already configured at line %d", l->argv[3],
				   ic->nhs[i].line);
			return;
		}
	if (ic->nnhs == NHRP_MAX_NHS) {
		conf_error(r, l, "at most %d NHSes per interface", NHRP_MAX_NHS);
		return;
	}
	ic->nhs[ic->nnhs++] = n;
}

/* ip nhrp map PROTO NBMA | ip nhrp map multicast dynamic|nhs|NBMA */
static void nhrpd_conf_map(struct conf_reader *r, const struct conf_line *l,
			   struct nhrp_iface_conf *ic)
{
	struct nhrp_map_conf m = {.line = l->lineno};
	struct ipaddr a;

	if (l->argc == 5 && !strcmp(l->argv[3], "multicast")) {
		if (!strcmp(l->argv[4], "dynamic"))
			ic->mcast_dynamic = true;
		else if (!strcmp(l->argv[4], "nhs"))
			ic->mcast_nhs = true;
		else if (nhrpd_conf_addr(l->argv[4], AF_INET, &a) == 0) {
			if (ic->nmcast == NHRP_MAX_MCAST_STATIC)
				conf_error(r, l, "at most %d multicast maps", NHRP_MAX_MCAST_STATIC);
			else
				ic->mcast[ic->nmcast++] = a;
		} else
			conf_error(r, l, "usage: ip nhrp map multicast dynamic|nhs|A.B.C.D");
		return;
	}
	if (l->argc != 5 || nhrpd_conf_addr(l->argv[3], AF_INET, &m.proto) < 0 ||
	    nhrpd_conf_addr(l->argv[4], AF_INET, &m.nbma) < 0) {
		conf_error(r, l, "usage: ip nhrp map A.B.C.D A.B.C.D (overlay, then NBMA address)");
		return;
	}
	for (unsigned i = 0; i < ic->nmaps; i++)
		if (ipaddr_equal(&ic->maps[i].proto, &m.proto)) {
			conf_error(r, l, "%s already mapped at line %d", l->argv[3],
				   ic->maps[i].line);
			return;
		}
	if (ic->nmaps == NHRP_MAX_STATIC) {
		conf_error(r, l, "at most %d static maps per interface", NHRP_MAX_STATIC);
		return;
	}
	ic->maps[ic->nmaps++] = m;
}

static void nhrpd_conf_u32(struct conf_reader *r, const struct conf_line *l, uint32_t min,
			   uint32_t max, const char *usage, uint32_t *out)
{
	uint32_t v;

	if (l->argc != 4 || conf_parse_u32(l->argv[3], min, max, &v) < 0)
		conf_error(r, l, "usage: %s <%u-%u>", usage, min, max);
	else
		*out = v;
}

static void nhrpd_conf_nhrp_line(struct conf_reader *r, const struct conf_line *l,
				 struct nhrp_iface_conf *ic)
{
	const char *w = l->argc > 2 ? l->argv[2] : "";

	ic->nhrp = true;
	if (!strcmp(w, "nhs"))
		nhrpd_conf_nhs(r, l, ic);
	else if (!strcmp(w, "map"))
		nhrpd_conf_map(r, l, ic);
	else if (!strcmp(w, "network-id"))
		nhrpd_conf_u32(r, l, 1, UINT32_MAX, "ip nhrp network-id", &ic->network_id);
	else if (!strcmp(w, "holdtime"))
		/* The CIE's Holding Time is 16 bits (RFC 2332 5.2.0.1). */
		nhrpd_conf_u32(r, l, 1, 65535, "ip nhrp holdtime", &ic->holdtime);
	else if (!strcmp(w, "registration")) {
		uint32_t v;

		if (l->argc == 4 && !strcmp(l->argv[3], "no-unique"))
			ic->no_unique = true;
		else if (l->argc == 5 && !strcmp(l->argv[3], "timeout") &&
			 conf_parse_u32(l->argv[4], 1, 65535, &v) == 0)
			ic->reg_timeout = v;
		else
			conf_error(r, l, "usage: ip nhrp registration no-unique | "
					 "ip nhrp registration timeout <1-65535>");
	} else if (!strcmp(w, "authentication")) {
		size_t n = l->argc == 4 ? strlen(l->argv[3]) : 0;

		if (n == 0 || n > NHRP_AUTH_MAX)
			conf_error(r, l, "usage: ip nhrp authentication STRING (1-%d characters)",
				   NHRP_AUTH_MAX);
		else {
			memcpy(ic->auth, l->argv[3], n);
			ic->auth_len = n;
		}
	} else if (!strcmp(w, "redirect") && l->argc == 3)
		ic->redirect = true;
	else if (!strcmp(w, "shortcut") && l->argc == 3)
		ic->shortcut = true;
	else if (!strcmp(w, "host-routes") && l->argc == 3)
		ic->host_routes = true;
	else
		conf_error(r, l, "unknown command 'ip nhrp %s'", w);
}

static void nhrpd_conf_iface_line(struct conf_reader *r, const struct conf_line *l,
				  struct nhrp_iface_parse *ip)
{
	struct nhrp_iface_conf *ic = &ip->ic;
	int b;

	if (nhrpd_conf_not_ours(l))
		return;
	if (conf_match(l, 2, "ip", "nhrp")) {
		nhrpd_conf_nhrp_line(r, l, ic);
	} else if (conf_match(l, 2, "ipv6", "nhrp")) {
		conf_error(r, l, "ipv6 nhrp: IPv6 overlay addresses are not supported yet");
	} else if (conf_match(l, 2, "tunnel", "mode")) {
		ip->multipoint = l->argc == 4 && !strcmp(l->argv[2], "gre") &&
				 !strcmp(l->argv[3], "multipoint");
	} else if (conf_match(l, 2, "tunnel", "source")) {
		if (l->argc != 3)
			conf_error(r, l, "usage: tunnel source IFNAME|ADDRESS");
		else if (ipaddr_parse(l->argv[2], &ic->source_addr) == 0)
			ip->has_source = true;
		else if (conf_valid_ifname(l->argv[2])) {
			strcpy(ic->source_dev, l->argv[2]);
			ip->has_source = true;
		} else
			conf_error(r, l, "tunnel source: '%s' is neither an address nor an interface name",
				   l->argv[2]);
	} else if (conf_match(l, 2, "tunnel", "dataplane")) {
		if (l->argc != 3 || (b = dp_backend_from_name(l->argv[2])) < 0)
			conf_error(r, l, "usage: tunnel dataplane userspace|kernel");
		else
			ic->backend = (enum dp_backend)b;
	} else if (conf_match(l, 2, "ip", "address")) {
		if (l->argc != 3 || conf_parse_prefix(l->argv[2], &ic->addr, &ic->plen) < 0 ||
		    ic->addr.family != AF_INET)
			conf_error(r, l, "usage: ip address A.B.C.D/M");
	} else {
		conf_error(r, l, "unknown interface command '%s'", l->argv[0]);
	}
}

static void nhrpd_conf_iface_end(struct conf_reader *r, struct nhrp_iface_parse *ip,
				 struct nhrpd_conf *c)
{
	struct nhrp_iface_conf *ic = &ip->ic;
	struct conf_line at = {.lineno = ic->line};

	if (!ip->multipoint || !ic->nhrp)
		return; /* not an NHRP interface: none of our business */
	if (!ip->has_source)
		conf_error(r, &at, "interface %s: 'tunnel source' is required for NHRP", ic->name);
	else if (!ipaddr_is_set(&ic->addr))
		conf_error(r, &at, "interface %s: 'ip address' is required for NHRP", ic->name);
	else if (c->nifaces == NHRP_MAX_IFACES)
		conf_error(r, &at, "at most %d NHRP interfaces", NHRP_MAX_IFACES);
	else {
		for (unsigned i = 0; i < c->nifaces; i++)
			if (!strcmp(c->ifaces[i].name, ic->name)) {
				conf_error(r, &at, "interface %s defined twice (first at line %d)",
					   ic->name, c->ifaces[i].line);
				return;
			}
		if (!ic->holdtime)
			ic->holdtime = NHRP_DEFAULT_HOLDTIME;
		c->ifaces[c->nifaces++] = *ic;
	}
}

/*
 * nhrp zebra [socket PATH] [instance <0-65535>] [distance <1-255>]
 * Instance 0 (the default) is what FRR's `redistribute nhrp` picks up;
 * another instance lets this nhrpd share a zebra with another NHRP daemon
 * (zebra cleans up by type and instance).
 */
static void nhrpd_conf_zebra(struct conf_reader *r, const struct conf_line *l,
			     struct nhrpd_conf *c)
{
	int i;

	c->zebra = true;
	for (i = 2; i + 1 < l->argc; i += 2) {
		const char *k = l->argv[i], *v = l->argv[i + 1];

		if (!strcmp(k, "socket") && v[0] == '/' && strlen(v) < sizeof(c->zebra_path))
			strcpy(c->zebra_path, v);
		else if (!strcmp(k, "instance") &&
			 conf_parse_u32(v, 0, 65535, &c->zebra_instance) == 0)
			;
		else if (!strcmp(k, "distance") &&
			 conf_parse_u32(v, 1, 255, &c->zebra_distance) == 0)
			;
		else
			break;
	}
	if (i != l->argc)
		conf_error(r, l, "usage: nhrp zebra [socket /PATH] [instance <0-65535>] "
				 "[distance <1-255>]");
}

static int nhrpd_conf_read(struct conf_reader *r, struct nhrpd_conf *c)
{
	static struct nhrp_iface_parse ip;
	struct conf_line l;
	bool in_iface = false;

	while (conf_next(r, &l) == 1) {
		if (l.indented) {
			if (in_iface)
				nhrpd_conf_iface_line(r, &l, &ip);
			continue;
		}
		if (in_iface)
			nhrpd_conf_iface_end(r, &ip, c);
		in_iface = false;
		if (conf_match(&l, 2, "nhrp", "zebra")) {
			nhrpd_conf_zebra(r, &l, c);
			continue;
		}
		if (conf_match(&l, 1, "interface")) {
			memset(&ip, 0, sizeof(ip));
			if (l.argc != 2 || !conf_valid_ifname(l.argv[1])) {
				conf_error(r, &l, "usage: interface IFNAME (1-15 of A-Z a-z 0-9 _ . -)");
				continue;
			}
			strcpy(ip.ic.name, l.argv[1]);
			ip.ic.line = l.lineno;
			in_iface = true;
		}
	}
	if (in_iface)
		nhrpd_conf_iface_end(r, &ip, c);
	/* Shortcut routes and host routes go to zebra: connect by default. */
	for (unsigned i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].shortcut || c->ifaces[i].host_routes)
			c->zebra = true;
	if (!c->zebra_path[0])
		strcpy(c->zebra_path, "/run/frr/zserv.api");
	if (!c->zebra_distance)
		c->zebra_distance = NHRP_ZEBRA_DEFAULT_DISTANCE;
	/* The password passed through the line buffer and the parse state. */
	explicit_bzero(&l, sizeof(l));
	explicit_bzero(&ip, sizeof(ip));
	conf_close(r);
	if (r->nerrors) {
		nhrpd_conf_wipe(c);
		return -1;
	}
	return 0;
}

int nhrpd_conf_load(const char *path, struct nhrpd_conf *c, struct strbuf *errors)
{
	struct conf_reader r;

	memset(c, 0, sizeof(*c));
	if (conf_open(&r, path, errors) < 0)
		return -1;
	return nhrpd_conf_read(&r, c);
}

int nhrpd_conf_load_mem(const char *name, const void *data, size_t len, struct nhrpd_conf *c,
			struct strbuf *errors)
{
	struct conf_reader r;

	memset(c, 0, sizeof(*c));
	if (conf_open_mem(&r, name, data, len, errors) < 0)
		return -1;
	return nhrpd_conf_read(&r, c);
}

void nhrpd_conf_wipe(struct nhrpd_conf *c)
{
	for (unsigned i = 0; i < c->nifaces; i++) {
		explicit_bzero(c->ifaces[i].auth, sizeof(c->ifaces[i].auth));
		c->ifaces[i].auth_len = 0;
	}
}
