/*
 * The part of dmvpn.conf that mgred owns: every `interface` block and the
 * tunnel lines in it (gre/gre.def and gre/mgred/mgred.def, owner
 * CMD_OWN_MGRED). The lines are read by the command engine
 * (mgred_conf_load.c) into struct mgred_conf through mgred_binding's
 * handlers (mgred_cmd_conf.c, and gre/tunnel_conf.c for the lines nhrpd
 * reads too); this file holds the configuration as data: the checks that
 * span blocks and the model's small queries. Everything is validated
 * before any of it is applied, at start-up as for a live line.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred.h"
#include "lib/conf.h"

const struct tunnel_conf_blocks mgred_tunnel_blocks = {
    .array_offset = offsetof(struct mgred_conf, ifaces),
    .count_offset = offsetof(struct mgred_conf, nifaces),
    .block_size = sizeof(struct mgred_iface_conf),
    .max = MGRED_MAX_IFACES,
};

unsigned mgred_iface_addrs(const struct mgred_iface_conf *ic,
                           struct mgred_prefix out[MGRED_MAX_ADDRS])
{
	unsigned n = 0;

	if (ipaddr_is_set(&ic->tun.addr))
		out[n++] = (struct mgred_prefix){.addr = ic->tun.addr, .plen = ic->tun.plen};
	for (unsigned i = 0; i < ic->naddrs6 && n < MGRED_MAX_ADDRS; i++)
		out[n++] = ic->addrs6[i];
	return n;
}

bool mgred_iface_has_prefix(const struct mgred_iface_conf *ic, const struct mgred_prefix *p)
{
	struct mgred_prefix all[MGRED_MAX_ADDRS];
	unsigned n = mgred_iface_addrs(ic, all);

	for (unsigned i = 0; i < n; i++)
		if (ipaddr_equal(&all[i].addr, &p->addr) && all[i].plen == p->plen)
			return true;
	return false;
}

bool mgred_iface_is_tunnel(const struct mgred_iface_conf *ic)
{
	return ic->tun.multipoint && ic->tun.backend != DP_BACKEND_KERNEL &&
	       tunnel_conf_has_source(&ic->tun);
}

unsigned mgred_conf_ntunnels(const struct mgred_conf *c)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->nifaces; i++)
		n += mgred_iface_is_tunnel(&c->ifaces[i]);
	return n;
}

bool mgred_iface_conf_equal(const struct mgred_iface_conf *a, const struct mgred_iface_conf *b)
{
	if (!tunnel_conf_equal(&a->tun, &b->tun) || strcmp(a->description, b->description) ||
	    a->has_key != b->has_key || a->key != b->key || a->ttl != b->ttl || a->mtu != b->mtu ||
	    a->checksum != b->checksum || a->naddrs6 != b->naddrs6)
		return false;
	/* A set: the file's order of ipv6 lines means nothing. */
	for (unsigned i = 0; i < a->naddrs6; i++)
		if (!mgred_iface_has_prefix(b, &a->addrs6[i]))
			return false;
	return true;
}

/* A whole-config error: file:line through r, or "% reason" for a live line. */
static void mgred_conf_report(struct conf_reader *r, struct strbuf *why, int line, const char *msg)
{
	struct conf_line at = {.lineno = line};

	if (r)
		conf_error(r, &at, "%s", msg);
	else
		strbuf_printf(why, "%% %s\n", msg);
}

/*
 * Checks across blocks, on the tunnels mgred would run. Inbound packets on
 * one underlay are told apart by their key alone (RFC 2890 2.1), so two
 * tunnels with the same source need different keys.
 */
int mgred_conf_check_blocks(const struct mgred_conf *c, struct conf_reader *r, struct strbuf *why)
{
	unsigned ntunnels = 0;
	char msg[256];

	for (unsigned i = 0; i < c->nifaces; i++) {
		const struct mgred_iface_conf *tc = &c->ifaces[i];

		if (!mgred_iface_is_tunnel(tc))
			continue;
		if (++ntunnels > MGRED_MAX_TUNNELS) {
			snprintf(msg, sizeof(msg), "at most %d tunnels", MGRED_MAX_TUNNELS);
			mgred_conf_report(r, why, tc->tun.line, msg);
			return -1;
		}
		for (unsigned k = 0; k < i; k++) {
			const struct mgred_iface_conf *o = &c->ifaces[k];
			char at[32] = "";

			if (!mgred_iface_is_tunnel(o) || o->has_key != tc->has_key ||
			    o->key != tc->key || !tunnel_conf_source_equal(&o->tun, &tc->tun))
				continue;
			if (o->tun.line)
				snprintf(at, sizeof(at), " (line %d)", o->tun.line);
			snprintf(msg, sizeof(msg),
			         "interface %s: same tunnel source and key as %s%s", tc->tun.name,
			         o->tun.name, at);
			mgred_conf_report(r, why, tc->tun.line, msg);
			return -1;
		}
	}
	return 0;
}

int mgred_conf_check(const struct mgred_conf *c, struct strbuf *why)
{
	return mgred_conf_check_blocks(c, NULL, why);
}

void mgred_conf_free(struct mgred_conf *c)
{
	free(c); /* no secrets in mgred's part */
}
