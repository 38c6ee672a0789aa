/*
 * The handlers mgred binds to the commands it owns (gre/gre.def,
 * gre/mgred/mgred.def; mgred_binding in mgred_cmd_exec.c). Configuration handlers get the candidate
 * struct mgred_conf in x->ctx and the block's struct mgred_iface_conf in x->block_ctx; exec
 * handlers get the daemon (struct mgred) in x->ctx.
 */
#ifndef DMVPN_MGRED_CMD_H
#define DMVPN_MGRED_CMD_H

#include "lib/cmd_conf.h"

/* mgred_cmd_conf.c: configuration lines (those nhrpd reads too are
 * gre/tunnel_conf.h's) */
int mgred_cmd_description(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_tunnel_key(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_tunnel_ttl(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_tunnel_checksum(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_mtu(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_ipv6_address(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_no_ipv6_address(struct cmd_exec *x, const struct cmd_args *a);
int mgred_cmd_iface_end(struct cmd_exec *x);

#endif
