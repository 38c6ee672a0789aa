/*
 * show running-config, mgred's part: every interface block it keeps, in
 * the order they were configured, each line only when it was set, in one
 * canonical order. Reading the text back gives the same configuration
 * (tests/unit/test_mgred_conf.c checks the round trip). The dmvpnsh merges
 * it with nhrpd's and iked's parts (same headers, duplicate lines dropped).
 * mgred holds no secrets: the `secrets` form prints the same text.
 */
#include <inttypes.h>

#include "gre/mgred/mgred.h"

static const char *mgred_dataplane_name(enum mgred_dataplane dp)
{
	return dp == MGRED_DP_KERNEL ? "kernel" : "userspace";
}

static void mgred_running_addrs(const struct mgred_iface_conf *ic, int family, struct strbuf *out)
{
	char a[IPADDR_STRLEN];

	for (unsigned i = 0; i < ic->naddrs; i++)
		if (ic->addrs[i].addr.family == family)
			strbuf_printf(out, " %s address %s/%u\n", family == AF_INET ? "ip" : "ipv6",
			              ipaddr_format(&ic->addrs[i].addr, a), ic->addrs[i].plen);
}

static void mgred_running_iface(const struct mgred_iface_conf *ic, struct strbuf *out)
{
	char a[IPADDR_STRLEN];

	strbuf_printf(out, "interface %s\n", ic->tun.name);
	if (ic->description[0])
		strbuf_printf(out, " description %s\n", ic->description);
	if (ic->tun.multipoint)
		strbuf_puts(out, " tunnel mode gre multipoint\n");
	if (ic->tun.source_dev[0])
		strbuf_printf(out, " tunnel source %s\n", ic->tun.source_dev);
	else if (ipaddr_is_set(&ic->tun.source_addr))
		strbuf_printf(out, " tunnel source %s\n", ipaddr_format(&ic->tun.source_addr, a));
	if (ic->has_key)
		strbuf_printf(out, " tunnel key %" PRIu32 "\n", ic->key);
	if (ic->ttl)
		strbuf_printf(out, " tunnel ttl %u\n", ic->ttl);
	if (ic->checksum)
		strbuf_puts(out, " tunnel checksum\n");
	if (ic->dataplane != MGRED_DP_UNSET)
		strbuf_printf(out, " tunnel dataplane %s\n", mgred_dataplane_name(ic->dataplane));
	if (ic->mtu)
		strbuf_printf(out, " mtu %u\n", ic->mtu);
	mgred_running_addrs(ic, AF_INET, out);
	mgred_running_addrs(ic, AF_INET6, out);
	strbuf_puts(out, "!\n");
}

void mgred_running_config(const struct mgred_conf *c, struct strbuf *out)
{
	for (unsigned i = 0; i < c->nifaces; i++)
		mgred_running_iface(&c->ifaces[i], out);
}
