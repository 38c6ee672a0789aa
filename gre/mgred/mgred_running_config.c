/*
 * show running-config, mgred's part: every interface block it keeps, in
 * the order they were configured, each line only when it was set, in one
 * canonical order. Reading the text back gives the same configuration
 * (tests/unit/test_mgred_conf.c checks the round trip). The dmvpnsh merges
 * it with nhrpd's and iked's parts (same headers, duplicate lines dropped).
 * mgred holds no secrets: the `secrets` form prints the same text. The
 * lines nhrpd reads too are printed by gre/tunnel_conf.c, in mgred's order.
 */
#include <inttypes.h>

#include "gre/mgred/mgred.h"

static void mgred_running_iface(const struct mgred_iface_conf *ic, struct strbuf *out)
{
	char a[IPADDR_STRLEN];

	tunnel_conf_running_line(&ic->tun, CMD_INTERFACE, out);
	if (ic->description[0])
		strbuf_printf(out, " description %s\n", ic->description);
	tunnel_conf_running_line(&ic->tun, CMD_TUNNEL_MODE, out);
	tunnel_conf_running_line(&ic->tun, CMD_TUNNEL_SOURCE, out);
	if (ic->has_key)
		strbuf_printf(out, " tunnel key %" PRIu32 "\n", ic->key);
	if (ic->ttl)
		strbuf_printf(out, " tunnel ttl %u\n", ic->ttl);
	if (ic->checksum)
		strbuf_puts(out, " tunnel checksum\n");
	tunnel_conf_running_line(&ic->tun, CMD_TUNNEL_DATAPLANE, out);
	if (ic->mtu)
		strbuf_printf(out, " mtu %u\n", ic->mtu);
	tunnel_conf_running_line(&ic->tun, CMD_IP_ADDRESS, out);
	for (unsigned i = 0; i < ic->naddrs6; i++)
		strbuf_printf(out, " ipv6 address %s/%u\n", ipaddr_format(&ic->addrs6[i].addr, a),
		              ic->addrs6[i].plen);
	strbuf_puts(out, "!\n");
}

void mgred_running_config(const struct mgred_conf *c, struct strbuf *out)
{
	for (unsigned i = 0; i < c->nifaces; i++)
		mgred_running_iface(&c->ifaces[i], out);
}
