/*
 * Which handler runs each command nhrpd owns (nhrpd/nhrpd.def,
 * gre/gre.def). A command without one is a bug that cmd_binding_check() reports at start.
 */
#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

const struct cmd_binding nhrpd_binding = {
    .daemon = "nhrpd",
    .owner = CMD_OWN_NHRPD,
    /* No block_end: a block may be opened again further down a file, so
     * an interface is whole only at the end (nhrpd_conf_check); typed
     * live it is being written line by line. */
    .handlers =
        {
            /* exec */
            [CMD_SHOW_VERSION] = nhrpd_cmd_show_version,
            [CMD_SHOW_RUNNING_CONFIG] = nhrpd_cmd_show_running_config,
            [CMD_SHOW_RUNNING_CONFIG_SECRETS] = nhrpd_cmd_show_running_config,
            [CMD_SHOW_DEBUGGING] = nhrpd_cmd_show_debugging,
            [CMD_SHOW_DMVPN] = nhrpd_cmd_show_dmvpn,
            [CMD_SHOW_IP_NHRP] = nhrpd_cmd_show_ip_nhrp,
            [CMD_SHOW_IP_NHRP_OTHER] = nhrpd_cmd_show_ip_nhrp,
            [CMD_CLEAR_IP_NHRP] = nhrpd_cmd_clear_ip_nhrp,
            [CMD_DEBUG_NHRP] = nhrpd_cmd_debug,
            [CMD_NO_DEBUG_NHRP] = nhrpd_cmd_debug,
            [CMD_DEBUG_CONTROL] = nhrpd_cmd_debug,
            [CMD_NO_DEBUG_CONTROL] = nhrpd_cmd_debug,
            [CMD_LOG_LEVEL] = nhrpd_cmd_log_level,
            /* global configuration */
            [CMD_HOSTNAME] = nhrpd_cmd_hostname,
            [CMD_NO_HOSTNAME] = nhrpd_cmd_hostname,
            [CMD_INTERFACE] = tunnel_conf_cmd_interface,
            [CMD_NO_INTERFACE] = tunnel_conf_cmd_no_interface,
            [CMD_NHRP_ZEBRA] = nhrpd_cmd_zebra,
            [CMD_NO_NHRP_ZEBRA] = nhrpd_cmd_zebra,
            /* interface: the tunnel, read as mgred reads it (gre/tunnel_conf.h) */
            [CMD_TUNNEL_MODE] = tunnel_conf_cmd_mode,
            [CMD_TUNNEL_SOURCE] = tunnel_conf_cmd_source,
            [CMD_TUNNEL_DATAPLANE] = tunnel_conf_cmd_dataplane,
            [CMD_IP_ADDRESS] = tunnel_conf_cmd_ip_address,
            [CMD_NO_IP_ADDRESS] = tunnel_conf_cmd_no_ip_address,
            /* interface: NHRP */
            [CMD_NHRP_NETWORK_ID] = nhrpd_cmd_number,
            [CMD_NO_NHRP_NETWORK_ID] = nhrpd_cmd_number,
            [CMD_NHRP_HOLDTIME] = nhrpd_cmd_number,
            [CMD_NO_NHRP_HOLDTIME] = nhrpd_cmd_number,
            [CMD_NHRP_REGISTRATION_TIMEOUT] = nhrpd_cmd_number,
            [CMD_NO_NHRP_REGISTRATION_TIMEOUT] = nhrpd_cmd_number,
            [CMD_NHRP_NHS] = nhrpd_cmd_nhs,
            [CMD_NO_NHRP_NHS] = nhrpd_cmd_nhs,
            [CMD_NHRP_MAP] = nhrpd_cmd_map,
            [CMD_NO_NHRP_MAP] = nhrpd_cmd_map,
            [CMD_NHRP_MAP_MULTICAST] = nhrpd_cmd_map_multicast,
            [CMD_NO_NHRP_MAP_MULTICAST] = nhrpd_cmd_map_multicast,
            [CMD_NHRP_AUTHENTICATION] = nhrpd_cmd_authentication,
            [CMD_NHRP_AUTHENTICATION_FILE] = nhrpd_cmd_authentication,
            [CMD_NO_NHRP_AUTHENTICATION] = nhrpd_cmd_authentication,
            [CMD_NHRP_REGISTRATION_NO_UNIQUE] = nhrpd_cmd_flag,
            [CMD_NO_NHRP_REGISTRATION_NO_UNIQUE] = nhrpd_cmd_flag,
            [CMD_NHRP_REDIRECT] = nhrpd_cmd_flag,
            [CMD_NO_NHRP_REDIRECT] = nhrpd_cmd_flag,
            [CMD_NHRP_SHORTCUT] = nhrpd_cmd_flag,
            [CMD_NO_NHRP_SHORTCUT] = nhrpd_cmd_flag,
            [CMD_NHRP_HOST_ROUTES] = nhrpd_cmd_flag,
            [CMD_NO_NHRP_HOST_ROUTES] = nhrpd_cmd_flag,
        },
    .shared = &nhrpd_tunnel_blocks,
};
