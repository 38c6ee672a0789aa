/*
 * nhrpd's side of the command engine (lib/cmd_conf.h): the binding of
 * every command nhrpd owns (nhrpd/nhrpd.def, gre/gre.def) to its handler.
 *
 *   nhrpd_cmd_conf.c      configuration lines: they change only the
 *                         candidate configuration in x->ctx
 *   nhrpd_cmd_exec.c      operational commands: x->ctx is the daemon
 *   nhrpd_cmd_binding.c   the table
 */
#ifndef DMVPN_NHRPD_CMD_H
#define DMVPN_NHRPD_CMD_H

#include "lib/cmd_conf.h"

extern const struct cmd_binding nhrpd_binding;

/* Configuration (x->ctx: struct nhrpd_conf; inside an interface block,
 * x->block_ctx: its struct nhrp_iface_conf). The tunnel's lines are
 * gre/tunnel_conf.h's. */
int nhrpd_cmd_hostname(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_zebra(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_number(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_flag(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_nhs(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_map(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_map_multicast(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_authentication(struct cmd_exec *x, const struct cmd_args *a);

/* Operational commands (x->ctx: struct nhrpd). */
int nhrpd_cmd_show_version(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_show_running_config(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_show_debugging(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_show_dmvpn(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_show_ip_nhrp(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_clear_ip_nhrp(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_debug(struct cmd_exec *x, const struct cmd_args *a);
int nhrpd_cmd_log_level(struct cmd_exec *x, const struct cmd_args *a);

#endif
