/*
 * `show running-config`: nhrpd's part of the configuration as config text
 * that reads back to the same configuration, in a fixed order (the shell
 * merges it with mgred's and iked's by block header, dropping duplicate
 * lines):
 *
 *   hostname, nhrp zebra (only when given), then each interface block in
 *   configured order: tunnel mode, tunnel source, tunnel dataplane (only
 *   when given), ip address, then ip nhrp network-id, holdtime (only when
 *   given), authentication, nhs (configured order), map (configured
 *   order), map multicast (dynamic, nhs, addresses), registration
 *   no-unique, registration timeout, redirect, shortcut, host-routes;
 *   "!" after each block.
 *
 * An inline password is shown as NHRPD_SECRET_HIDDEN except in the
 * secrets form (root only, for saving); a password file by its path. The
 * lines mgred reads too are printed by gre/tunnel_conf.c.
 */
#include <string.h>

#include "nhrpd/nhrpd.h"

static const char *nhrpd_rc_addr(const struct ipaddr *a, char buf[IPADDR_STRLEN])
{
	return ipaddr_format(a, buf);
}

static void nhrpd_rc_auth(const struct nhrp_iface_conf *ic, bool secrets, struct strbuf *o)
{
	char pw[NHRP_AUTH_MAX + 1];

	if (ic->auth_file[0]) {
		strbuf_printf(o, " ip nhrp authentication file %s\n", ic->auth_file);
		return;
	}
	if (!ic->auth_len)
		return;
	if (!secrets) {
		strbuf_puts(o, " ip nhrp authentication " NHRPD_SECRET_HIDDEN "\n");
		return;
	}
	memcpy(pw, ic->auth, ic->auth_len);
	pw[ic->auth_len] = '\0';
	strbuf_printf(o, " ip nhrp authentication %s\n", pw);
	explicit_bzero(pw, sizeof(pw));
}

static void nhrpd_rc_iface(const struct nhrp_iface_conf *ic, bool secrets, struct strbuf *o)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	tunnel_conf_running_line(&ic->tun, CMD_INTERFACE, o);
	tunnel_conf_running_line(&ic->tun, CMD_TUNNEL_MODE, o);
	tunnel_conf_running_line(&ic->tun, CMD_TUNNEL_SOURCE, o);
	tunnel_conf_running_line(&ic->tun, CMD_TUNNEL_DATAPLANE, o);
	tunnel_conf_running_line(&ic->tun, CMD_IP_ADDRESS, o);
	if (ic->network_id)
		strbuf_printf(o, " ip nhrp network-id %u\n", ic->network_id);
	if (ic->holdtime_set)
		strbuf_printf(o, " ip nhrp holdtime %u\n", ic->holdtime);
	nhrpd_rc_auth(ic, secrets, o);
	for (unsigned i = 0; i < ic->nnhs; i++)
		strbuf_printf(o, " ip nhrp nhs %s nbma %s%s\n", nhrpd_rc_addr(&ic->nhs[i].proto, a),
		              nhrpd_rc_addr(&ic->nhs[i].nbma, b),
		              ic->nhs[i].multicast ? " multicast" : "");
	for (unsigned i = 0; i < ic->nmaps; i++)
		strbuf_printf(o, " ip nhrp map %s %s\n", nhrpd_rc_addr(&ic->maps[i].proto, a),
		              nhrpd_rc_addr(&ic->maps[i].nbma, b));
	if (ic->mcast_dynamic)
		strbuf_puts(o, " ip nhrp map multicast dynamic\n");
	if (ic->mcast_nhs)
		strbuf_puts(o, " ip nhrp map multicast nhs\n");
	for (unsigned i = 0; i < ic->nmcast; i++)
		strbuf_printf(o, " ip nhrp map multicast %s\n", nhrpd_rc_addr(&ic->mcast[i], a));
	if (ic->no_unique)
		strbuf_puts(o, " ip nhrp registration no-unique\n");
	if (ic->reg_timeout)
		strbuf_printf(o, " ip nhrp registration timeout %u\n", ic->reg_timeout);
	if (ic->redirect)
		strbuf_puts(o, " ip nhrp redirect\n");
	if (ic->shortcut)
		strbuf_puts(o, " ip nhrp shortcut\n");
	if (ic->host_routes)
		strbuf_puts(o, " ip nhrp host-routes\n");
	strbuf_puts(o, "!\n");
}

void nhrpd_running_config(const struct nhrpd_conf *c, bool secrets, struct strbuf *out)
{
	if (c->hostname[0])
		strbuf_printf(out, "hostname %s\n", c->hostname);
	if (c->zebra) {
		strbuf_puts(out, "nhrp zebra");
		if (c->zebra_path_set)
			strbuf_printf(out, " socket %s", c->zebra_path);
		if (c->zebra_instance_set)
			strbuf_printf(out, " instance %u", c->zebra_instance);
		if (c->zebra_distance_set)
			strbuf_printf(out, " distance %u", c->zebra_distance);
		strbuf_puts(out, "\n");
	}
	for (unsigned i = 0; i < c->nifaces; i++)
		nhrpd_rc_iface(&c->ifaces[i], secrets, out);
}
