/*
 * show interface tunnel [IFNAME] [json]: each tunnel's settings, counters,
 * drops by reason, its underlay endpoint and per-peer counters; and clear
 * counters [IFNAME]. The JSON is documented in docs/json.md.
 */
#include <inttypes.h>
#include <string.h>

#include "gre/mgred/mgred.h"
#include "lib/json.h"

static const char *const mgred_drop_names[MGRED_DROP__COUNT] = {
    [MGRED_DROP_TX_ARP] = "tx_arp",
    [MGRED_DROP_TX_MULTICAST] = "tx_multicast",
    [MGRED_DROP_TX_UNMAPPED] = "tx_unmapped",
    [MGRED_DROP_TX_PROTO] = "tx_proto",
    [MGRED_DROP_TX_MALFORMED] = "tx_malformed",
    [MGRED_DROP_TX_SEND_ERROR] = "tx_send_error",
    [MGRED_DROP_RX_PROTO] = "rx_proto",
    [MGRED_DROP_RX_TAP_ERROR] = "rx_tap_error",
    [MGRED_DROP_RX_MALFORMED_IP] = "rx_malformed_ip",
    [MGRED_DROP_RX_TRUNCATED] = "rx_truncated",
    [MGRED_DROP_RX_BAD_VERSION] = "rx_bad_version",
    [MGRED_DROP_RX_RESERVED] = "rx_reserved",
    [MGRED_DROP_RX_BAD_CHECKSUM] = "rx_bad_checksum",
    [MGRED_DROP_RX_WRONG_KEY] = "rx_wrong_key",
};

const char *mgred_drop_name(enum mgred_drop d)
{
	return (unsigned)d < MGRED_DROP__COUNT ? mgred_drop_names[d] : "unknown";
}

/* Underlay drops happen before a tunnel is known: shown with the endpoint. */
static bool mgred_drop_is_underlay(enum mgred_drop d)
{
	return d >= MGRED_DROP_RX_MALFORMED_IP;
}

static void mgred_show_json_tunnel(struct json *j, const struct mgred_tunnel *t, uint64_t now)
{
	char a[IPADDR_STRLEN];

	json_obj_begin(j);
	json_kv_str(j, "name", t->conf.tun.name);
	json_kv_u64(j, "ifindex", (uint64_t)t->ifindex);
	json_kv_str(j, "dataplane", "userspace");
	json_kv_str(j, "local", ipaddr_format(&t->local, a));
	json_kv_str(j, "source_interface", t->conf.tun.source_dev);
	json_key(j, "key");
	if (t->conf.has_key)
		json_u64(j, t->conf.key);
	else
		json_null(j);
	json_kv_u64(j, "ttl", t->ul->ttl);
	json_kv_bool(j, "checksum", t->conf.checksum);
	json_kv_u64(j, "mtu", t->mtu);
	json_kv_bool(j, "offload", t->offload);
	json_kv_u64(j, "uptime_ms", now - t->created_ms);
	json_key(j, "counters");
	json_obj_begin(j);
	json_kv_u64(j, "tx_packets", t->c.tx_packets);
	json_kv_u64(j, "tx_bytes", t->c.tx_bytes);
	json_kv_u64(j, "rx_packets", t->c.rx_packets);
	json_kv_u64(j, "rx_bytes", t->c.rx_bytes);
	json_kv_u64(j, "tx_gso_frames", t->c.tx_gso_frames);
	json_kv_u64(j, "rx_coalesced", t->c.rx_coalesced);
	json_key(j, "drops");
	json_obj_begin(j);
	for (int d = 0; d < MGRED_DROP__COUNT; d++)
		if (!mgred_drop_is_underlay(d))
			json_kv_u64(j, mgred_drop_names[d], t->c.drops[d]);
	json_obj_end(j);
	json_obj_end(j);
	json_key(j, "underlay");
	json_obj_begin(j);
	json_kv_str(j, "local", ipaddr_format(&t->ul->local, a));
	json_kv_u64(j, "tunnels", (uint64_t)t->ul->refs);
	json_kv_u64(j, "rx_packets", t->ul->rx_packets);
	json_key(j, "drops");
	json_obj_begin(j);
	for (int d = 0; d < MGRED_DROP__COUNT; d++)
		if (mgred_drop_is_underlay(d))
			json_kv_u64(j, mgred_drop_names[d], t->ul->drops[d]);
	json_obj_end(j);
	json_obj_end(j);
	json_kv_u64(j, "peers_untracked_packets", t->peers.untracked);
	json_key(j, "peers");
	json_arr_begin(j);
	for (unsigned b = 0; b < MGRED_PEER_BUCKETS; b++) {
		for (const struct mgred_peer *p = t->peers.buckets[b]; p; p = p->next) {
			json_obj_begin(j);
			json_kv_str(j, "nbma", ipaddr_format(&p->nbma, a));
			json_kv_u64(j, "tx_packets", p->tx_packets);
			json_kv_u64(j, "tx_bytes", p->tx_bytes);
			json_kv_u64(j, "rx_packets", p->rx_packets);
			json_kv_u64(j, "rx_bytes", p->rx_bytes);
			json_kv_u64(j, "age_ms", now - p->first_seen_ms);
			json_obj_end(j);
		}
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void mgred_show_text_tunnel(struct strbuf *o, const struct mgred_tunnel *t, uint64_t now)
{
	char a[IPADDR_STRLEN];
	uint64_t up = (now - t->created_ms) / 1000;

	strbuf_printf(o, "%s is up, line protocol is up (userspace mGRE, ifindex %d)\n",
	              t->conf.tun.name, t->ifindex);
	strbuf_printf(o, "  Tunnel source %s%s%s%s, key ", ipaddr_format(&t->local, a),
	              t->conf.tun.source_dev[0] ? " (" : "", t->conf.tun.source_dev,
	              t->conf.tun.source_dev[0] ? ")" : "");
	if (t->conf.has_key)
		strbuf_printf(o, "%u", t->conf.key);
	else
		strbuf_puts(o, "none");
	strbuf_printf(o, ", ttl %u, checksum %s\n", t->ul->ttl, t->conf.checksum ? "on" : "off");
	strbuf_printf(o,
	              "  MTU %u, offloads %s, uptime %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 "\n",
	              t->mtu, t->offload ? "on" : "off", up / 3600, up / 60 % 60, up % 60);
	strbuf_printf(
	    o, "  %" PRIu64 " packets output, %" PRIu64 " bytes (%" PRIu64 " GSO frames split)\n",
	    t->c.tx_packets, t->c.tx_bytes, t->c.tx_gso_frames);
	strbuf_printf(o, "  %" PRIu64 " packets input, %" PRIu64 " bytes\n", t->c.rx_packets,
	              t->c.rx_bytes);
	strbuf_puts(o, "  Drops:");
	for (int d = 0; d < MGRED_DROP__COUNT; d++)
		if (!mgred_drop_is_underlay(d))
			strbuf_printf(o, " %s %" PRIu64, mgred_drop_names[d], t->c.drops[d]);
	strbuf_printf(o, "\n  Underlay %s (shared by %d tunnel%s), drops before demux:",
	              ipaddr_format(&t->ul->local, a), t->ul->refs, t->ul->refs == 1 ? "" : "s");
	for (int d = 0; d < MGRED_DROP__COUNT; d++)
		if (mgred_drop_is_underlay(d))
			strbuf_printf(o, " %s %" PRIu64, mgred_drop_names[d], t->ul->drops[d]);
	strbuf_printf(o, "\n  Peers: %u\n", t->peers.count);
	if (t->peers.count)
		strbuf_printf(o, "    %-40s %12s %14s %12s %14s\n", "NBMA address", "Pkts out",
		              "Bytes out", "Pkts in", "Bytes in");
	for (unsigned b = 0; b < MGRED_PEER_BUCKETS; b++)
		for (const struct mgred_peer *p = t->peers.buckets[b]; p; p = p->next)
			strbuf_printf(o,
			              "    %-40s %12" PRIu64 " %14" PRIu64 " %12" PRIu64
			              " %14" PRIu64 "\n",
			              ipaddr_format(&p->nbma, a), p->tx_packets, p->tx_bytes,
			              p->rx_packets, p->rx_bytes);
}

int mgred_show_tunnels(struct mgred *d, const char *name, bool json, struct strbuf *o)
{
	uint64_t now = clock_now_ms();
	struct json j;

	if (name && !mgred_tunnel_find(d, name)) {
		strbuf_printf(o, "%% no such tunnel interface: %s\n", name);
		return -1;
	}
	if (json) {
		json_init(&j, o);
		json_obj_begin(&j);
		json_key(&j, "interfaces");
		json_arr_begin(&j);
	}
	for (unsigned i = 0; i < d->ntunnels; i++) {
		const struct mgred_tunnel *t = d->tunnels[i];

		if (name && strcmp(name, t->conf.tun.name))
			continue;
		if (json)
			mgred_show_json_tunnel(&j, t, now);
		else
			mgred_show_text_tunnel(o, t, now);
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_puts(o, "\n");
	}
	return 0;
}

int mgred_clear_counters(struct mgred *d, const char *name, struct strbuf *o)
{
	struct mgred_tunnel *only = NULL;

	if (name && !(only = mgred_tunnel_find(d, name))) {
		strbuf_printf(o, "%% no such tunnel interface: %s\n", name);
		return -1;
	}
	for (unsigned i = 0; i < d->ntunnels; i++) {
		struct mgred_tunnel *t = d->tunnels[i];

		if (only && only != t)
			continue;
		memset(&t->c, 0, sizeof(t->c));
		memset(t->ul->drops, 0, sizeof(t->ul->drops));
		t->ul->rx_packets = 0;
		mgred_peer_table_clear(&t->peers);
	}
	return 0;
}
