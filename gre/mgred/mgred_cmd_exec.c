/*
 * mgred's operational commands (gre/mgred/mgred.def, exec node) and its
 * binding: one handler for every command whose owners include mgred,
 * checked at start-up by cmd_binding_check().
 *
 *   show version / show debugging / log level / [no] debug control: shared
 *   show running-config [json|secrets]   mgred's configuration lines
 *   show interface tunnel [IFNAME] [json]
 *   clear counters [IFNAME]
 *   [no] debug gre [packet|tunnel]
 */
#include <string.h>

#include "gre/mgred/mgred.h"
#include "gre/mgred/mgred_cmd.h"
#include "lib/ctl_cmd.h"

static int mgred_cmd_show_version(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_show_version(x, a, "mgred");
}

static int mgred_cmd_show_running_config(struct cmd_exec *x, const struct cmd_args *a)
{
	struct mgred *d = x->ctx;
	struct strbuf text;
	int rc;

	strbuf_init(&text);
	mgred_running_config(d->conf, &text);
	rc = ctl_cmd_running_config_reply(x, a, strbuf_str(&text));
	strbuf_free(&text);
	return rc;
}

static int mgred_cmd_show_interface_tunnel(struct cmd_exec *x, const struct cmd_args *a)
{
	return mgred_show_tunnels(x->ctx, cmd_arg(a, "IFNAME", 0), cmd_has(a, "json"), x->out);
}

static int mgred_cmd_clear_counters(struct cmd_exec *x, const struct cmd_args *a)
{
	return mgred_clear_counters(x->ctx, cmd_arg(a, "IFNAME", 0), x->out);
}

/* debug gre: GRE events; debug gre packet: every packet; debug gre tunnel: life cycle. */
static int mgred_cmd_debug_gre(struct cmd_exec *x, const struct cmd_args *a)
{
	enum log_cat cat = LOG_CAT_GRE;

	(void)x;
	if (cmd_has(a, "packet"))
		cat = LOG_CAT_PACKET;
	else if (cmd_has(a, "tunnel"))
		cat = LOG_CAT_TUNNEL;
	log_set_category(cat, strcmp(a->argv[0], "no") != 0);
	return 0;
}

const struct cmd_binding mgred_binding = {
    .daemon = "mgred",
    .owner = CMD_OWN_MGRED,
    .handlers =
        {
            [CMD_SHOW_VERSION] = mgred_cmd_show_version,
            [CMD_SHOW_RUNNING_CONFIG] = mgred_cmd_show_running_config,
            [CMD_SHOW_RUNNING_CONFIG_SECRETS] = mgred_cmd_show_running_config,
            [CMD_SHOW_DEBUGGING] = ctl_cmd_show_debugging,
            [CMD_SHOW_INTERFACE_TUNNEL] = mgred_cmd_show_interface_tunnel,
            [CMD_CLEAR_COUNTERS] = mgred_cmd_clear_counters,
            [CMD_DEBUG_GRE] = mgred_cmd_debug_gre,
            [CMD_NO_DEBUG_GRE] = mgred_cmd_debug_gre,
            [CMD_DEBUG_CONTROL] = ctl_cmd_debug_control,
            [CMD_NO_DEBUG_CONTROL] = ctl_cmd_debug_control,
            [CMD_LOG_LEVEL] = ctl_cmd_log_level,

            [CMD_INTERFACE] = tunnel_conf_cmd_interface,
            [CMD_NO_INTERFACE] = tunnel_conf_cmd_no_interface,
            [CMD_DESCRIPTION] = mgred_cmd_description,
            [CMD_NO_DESCRIPTION] = mgred_cmd_description,
            [CMD_TUNNEL_MODE] = tunnel_conf_cmd_mode,
            [CMD_TUNNEL_SOURCE] = tunnel_conf_cmd_source,
            [CMD_TUNNEL_KEY] = mgred_cmd_tunnel_key,
            [CMD_NO_TUNNEL_KEY] = mgred_cmd_tunnel_key,
            [CMD_TUNNEL_TTL] = mgred_cmd_tunnel_ttl,
            [CMD_NO_TUNNEL_TTL] = mgred_cmd_tunnel_ttl,
            [CMD_TUNNEL_CHECKSUM] = mgred_cmd_tunnel_checksum,
            [CMD_NO_TUNNEL_CHECKSUM] = mgred_cmd_tunnel_checksum,
            [CMD_TUNNEL_DATAPLANE] = tunnel_conf_cmd_dataplane,
            [CMD_MTU] = mgred_cmd_mtu,
            [CMD_NO_MTU] = mgred_cmd_mtu,
            [CMD_IP_ADDRESS] = tunnel_conf_cmd_ip_address,
            [CMD_NO_IP_ADDRESS] = tunnel_conf_cmd_no_ip_address,
            [CMD_IPV6_ADDRESS] = mgred_cmd_ipv6_address,
            [CMD_NO_IPV6_ADDRESS] = mgred_cmd_no_ipv6_address,
        },
    .block_end = mgred_cmd_iface_end,
    .shared = &mgred_tunnel_blocks,
};
