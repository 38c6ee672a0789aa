/*
 * The mGRE tunnel interface as every daemon that reads it sees it: the
 * lines of an `interface` block that mgred and nhrpd share (gre/gre.def,
 * owners CMD_OWN_MGRED | CMD_OWN_NHRPD), parsed once, by one set of
 * handlers both bindings point at, into one struct both daemons'
 * interface configurations embed:
 *
 *   interface IFNAME                  find or start the block (a block
 *                                     opened again continues, as in IOS)
 *   no interface IFNAME               delete it; refused when unknown
 *   tunnel mode gre multipoint        multipoint
 *   tunnel source IFNAME|ADDRESS      source_dev or source_addr
 *   tunnel dataplane userspace|kernel backend (backend_set)
 *   ip address A.B.C.D/M              the IPv4 overlay address: a new one
 *                                     replaces it (as in IOS)
 *   no ip address [A.B.C.D/M]         remove it; naming an address that is
 *                                     not the configured one is refused
 *                                     (as in IOS), so that the shell's
 *                                     configure-check, which asks every
 *                                     owner first, refuses it cleanly
 *
 * A daemon's interface configuration starts with its struct tunnel_conf
 * (`struct tunnel_conf tun;` as the first member), so that the shared
 * handlers can find it in the block (x->block_ctx); its binding tells
 * them, through struct tunnel_conf_blocks, where its configuration keeps
 * the blocks.
 */
#ifndef DMVPN_TUNNEL_CONF_H
#define DMVPN_TUNNEL_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "gre/dataplane.h"
#include "lib/addr.h"
#include "lib/cmd_conf.h"
#include "lib/strbuf.h"

struct tunnel_conf {
	char name[IFNAMSIZ];       /* interface IFNAME */
	int line;                  /* where its block starts in the file (0: typed live) */
	bool multipoint;           /* tunnel mode gre multipoint */
	bool backend_set;          /* tunnel dataplane given */
	enum dp_backend backend;   /* DP_BACKEND_USERSPACE unless set */
	char source_dev[IFNAMSIZ]; /* tunnel source IFNAME, or "" */
	struct ipaddr source_addr; /* tunnel source ADDRESS, or unset */
	struct ipaddr addr;        /* ip address: the IPv4 overlay address, or unset */
	unsigned plen;
};

/*
 * Where a daemon's configuration (x->ctx) keeps its interface blocks: an
 * array of block_size-byte structs, each starting with a struct
 * tunnel_conf, and their count (an unsigned), at these offsets.
 */
struct tunnel_conf_blocks {
	size_t array_offset;
	size_t count_offset;
	size_t block_size;
	unsigned max;
	/* The daemon's defaults in a new block (zeroed, name and line set);
	 * NULL: zero is every default. */
	void (*block_init)(struct tunnel_conf *t);
};

/* The handlers; the binding's `shared` is its struct tunnel_conf_blocks. */
int tunnel_conf_cmd_interface(struct cmd_exec *x, const struct cmd_args *a);
int tunnel_conf_cmd_no_interface(struct cmd_exec *x, const struct cmd_args *a);
int tunnel_conf_cmd_mode(struct cmd_exec *x, const struct cmd_args *a);
int tunnel_conf_cmd_source(struct cmd_exec *x, const struct cmd_args *a);
int tunnel_conf_cmd_dataplane(struct cmd_exec *x, const struct cmd_args *a);
int tunnel_conf_cmd_ip_address(struct cmd_exec *x, const struct cmd_args *a);
int tunnel_conf_cmd_no_ip_address(struct cmd_exec *x, const struct cmd_args *a);

/*
 * The block named, or NULL, in a daemon's configuration conf laid out as
 * blocks says.
 */
struct tunnel_conf *tunnel_conf_find(const struct tunnel_conf_blocks *blocks, const void *conf,
                                     const char *name);

/*
 * show running-config: the shared line `id` (CMD_INTERFACE, CMD_TUNNEL_MODE,
 * CMD_TUNNEL_SOURCE, CMD_TUNNEL_DATAPLANE, CMD_IP_ADDRESS), when set, as
 * config text. Each daemon calls it in its own canonical order.
 */
void tunnel_conf_running_line(const struct tunnel_conf *t, enum cmd_id id, struct strbuf *out);

bool tunnel_conf_has_source(const struct tunnel_conf *t);
bool tunnel_conf_source_equal(const struct tunnel_conf *a, const struct tunnel_conf *b);
/* Every field but the line. */
bool tunnel_conf_equal(const struct tunnel_conf *a, const struct tunnel_conf *b);

#endif
