/*
 * The renderers of nhrpd's show commands (nhrpd_show.c, nhrpd_show_dmvpn.c),
 * called by the command handlers (nhrpd_cmd_exec.c) once per interface. Each
 * writes text, or one element of the {"interfaces":[...]} array when
 * NHRPD_SHOW_JSON is set.
 */
#ifndef DMVPN_NHRPD_SHOW_H
#define DMVPN_NHRPD_SHOW_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/json.h"
#include "nhrpd/nhrpd.h"

#define NHRPD_SHOW_DETAIL   1u
#define NHRPD_SHOW_JSON     2u
#define NHRPD_SHOW_TIME_MAX 24

/* One show command in progress: where it writes, how, and when it started. */
struct nhrpd_show {
	struct strbuf *o;
	struct json j;
	unsigned opts; /* NHRPD_SHOW_* */
	uint64_t now;  /* clock_now_ms() */
};

/* Printed once before the interfaces of `show dmvpn` (text only). */
#define NHRPD_SHOW_DMVPN_LEGEND                                                                    \
	"Legend: Attrb --> S - Static, H - NHS, D - Dynamic, C - Cached, I - Incomplete,\n"        \
	"        X - Negative, N - NATed, L - Local, U - Unique\n"                                 \
	"        # Ent --> Number of NHRP entries with same NBMA peer\n"                           \
	"        State --> UP, NHRP (resolving or registering), NEG (negative)\n"                  \
	"        UpDn Tm --> Up or Down Time for a peer\n"                                         \
	"==========================================================================\n\n"

/* 0, or -1 when out of memory (the output is then incomplete). */
int nhrpd_show_cache(struct nhrp_iface *ifp, struct nhrpd_show *s);
int nhrpd_show_nhs(struct nhrp_iface *ifp, struct nhrpd_show *s);
int nhrpd_show_traffic(struct nhrp_iface *ifp, struct nhrpd_show *s);
int nhrpd_show_dmvpn(struct nhrp_iface *ifp, struct nhrpd_show *s);
int nhrpd_show_shortcut(struct nhrp_iface *ifp, struct nhrpd_show *s);
/* Not per interface: the zebra connection and its routes. */
int nhrpd_show_zebra(struct nhrpd *d, struct nhrpd_show *s);

/* ---------- shared by the renderers ---------- */

/* Cisco's time format: 00:01:23 under a day, then 1d02h, then 2w3d. */
const char *nhrpd_show_time(uint64_t secs, char out[NHRPD_SHOW_TIME_MAX]);
/* Whole seconds since a time, and until one (rounded up: an entry with
 * 0.4 s left does not read as expired); 0 when on the wrong side of now. */
uint64_t nhrpd_show_since(uint64_t when_ms, uint64_t now);
uint64_t nhrpd_show_until(uint64_t when_ms, uint64_t now);

/* "key": address, or null when unset. */
void nhrpd_show_kv_addr(struct json *j, const char *key, const struct ipaddr *a);
/* "key": seconds, or null when !set. */
void nhrpd_show_kv_secs(struct json *j, const char *key, bool set, uint64_t secs);
/* Open an interface's object: {"name":"tun0" and, with key, ,"key":[ */
void nhrpd_show_json_iface(struct json *j, const struct nhrp_iface *ifp, const char *key);

/* An interface's cache entries, copied out and sorted (freed with free(v)). */
struct nhrpd_show_entries {
	struct nhrp_cache_entry **v;
	size_t n, cap;
	bool peers;
};
/*
 * Every entry by overlay address; or, with peers (show dmvpn), all but our
 * own addresses, by NBMA address then overlay address. -1 out of memory.
 */
int nhrpd_show_collect(struct nhrp_iface *ifp, struct nhrpd_show_entries *c, bool peers);

#endif
