/*
 * nhrpd's show commands, one interface at a time: the cache (show ip nhrp),
 * the next-hop servers (show ip nhrp nhs) and the counters (show ip nhrp
 * traffic); show dmvpn is in nhrpd_show_dmvpn.c.
 *
 * Text follows Cisco's layout; times are Cisco's 00:01:23. JSON gives times
 * in whole seconds and unset addresses as null; names are those of the name
 * tables, except that keys made of them (packet types, drop reasons) are in
 * snake_case. The JSON is documented in docs/json.md.
 *
 * Cache entries are copied into an array and sorted (by overlay address, or
 * by NBMA address for show dmvpn): output is stable from one call to the
 * next, and 65,536 pointers sort in a few milliseconds.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nhrpd/nhrpd_show.h"

#define NHRPD_SHOW_NAME_MAX 48

const char *nhrpd_show_time(uint64_t s, char out[NHRPD_SHOW_TIME_MAX])
{
	if (s < 86400)
		snprintf(out, NHRPD_SHOW_TIME_MAX, "%02u:%02u:%02u", (unsigned)(s / 3600),
		         (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	else if (s < 7 * 86400)
		snprintf(out, NHRPD_SHOW_TIME_MAX, "%ud%02uh", (unsigned)(s / 86400),
		         (unsigned)(s / 3600 % 24));
	else
		snprintf(out, NHRPD_SHOW_TIME_MAX, "%" PRIu64 "w%ud", s / (7 * 86400),
		         (unsigned)(s / 86400 % 7));
	return out;
}

uint64_t nhrpd_show_since(uint64_t when_ms, uint64_t now)
{
	return now > when_ms ? (now - when_ms) / 1000 : 0;
}

uint64_t nhrpd_show_until(uint64_t when_ms, uint64_t now)
{
	return when_ms > now ? (when_ms - now + 999) / 1000 : 0;
}

/* JSON keys from the name tables (which may use dashes) are snake_case. */
static const char *nhrpd_show_snake(const char *name, char out[NHRPD_SHOW_NAME_MAX])
{
	size_t i;

	for (i = 0; name[i] && i + 1 < NHRPD_SHOW_NAME_MAX; i++) {
		unsigned char c = (unsigned char)name[i];

		out[i] = c == ' ' || c == '-' ? '_' : (char)tolower(c);
	}
	out[i] = '\0';
	return out;
}

void nhrpd_show_kv_addr(struct json *j, const char *key, const struct ipaddr *a)
{
	char s[IPADDR_STRLEN];

	json_key(j, key);
	if (ipaddr_is_set(a))
		json_str(j, ipaddr_format(a, s));
	else
		json_null(j);
}

void nhrpd_show_kv_secs(struct json *j, const char *key, bool set, uint64_t secs)
{
	json_key(j, key);
	if (set)
		json_u64(j, secs);
	else
		json_null(j);
}

void nhrpd_show_json_iface(struct json *j, const struct nhrp_iface *ifp, const char *key)
{
	json_obj_begin(j);
	json_kv_str(j, "name", ifp->conf.tun.name);
	if (key) {
		json_key(j, key);
		json_arr_begin(j);
	}
}

/* ---------- the entries of an interface, sorted ---------- */

static void nhrpd_show_collect_one(struct nhrp_cache_entry *e, void *arg)
{
	struct nhrpd_show_entries *c = arg;

	if (c->n < c->cap && !(c->peers && e->type == NHRP_CACHE_LOCAL))
		c->v[c->n++] = e;
}

static int nhrpd_show_addr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->u.bytes, b->u.bytes, ipaddr_len(a));
}

static int nhrpd_show_by_proto(const void *pa, const void *pb)
{
	const struct nhrp_cache_entry *a = *(struct nhrp_cache_entry *const *)pa;
	const struct nhrp_cache_entry *b = *(struct nhrp_cache_entry *const *)pb;
	int r = nhrpd_show_addr_cmp(&a->proto, &b->proto);

	return r ? r : (int)a->prefix_len - (int)b->prefix_len;
}

static int nhrpd_show_by_nbma(const void *pa, const void *pb)
{
	const struct nhrp_cache_entry *a = *(struct nhrp_cache_entry *const *)pa;
	const struct nhrp_cache_entry *b = *(struct nhrp_cache_entry *const *)pb;
	int r = nhrpd_show_addr_cmp(&a->nbma, &b->nbma);

	return r ? r : nhrpd_show_by_proto(pa, pb);
}

int nhrpd_show_collect(struct nhrp_iface *ifp, struct nhrpd_show_entries *c, bool peers)
{
	c->n = 0;
	c->cap = ifp->cache.count;
	c->peers = peers;
	if (!(c->v = calloc(c->cap + 1, sizeof(*c->v))))
		return -1;
	nhrp_cache_foreach(ifp, nhrpd_show_collect_one, c);
	qsort(c->v, c->n, sizeof(*c->v), peers ? nhrpd_show_by_nbma : nhrpd_show_by_proto);
	return 0;
}

/* ---------- show ip nhrp [cache] ---------- */

static void nhrpd_show_entry_text(const struct nhrp_iface *ifp, const struct nhrp_cache_entry *e,
                                  const struct nhrpd_show *s)
{
	struct strbuf *o = s->o;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], t[NHRPD_SHOW_TIME_MAX];
	bool flags = e->unique || e->type == NHRP_CACHE_DYNAMIC || e->nat || e->last_used_ms;

	strbuf_printf(o, "%s/%u", ipaddr_format(&e->proto, a), e->prefix_len);
	if (e->prefix_len == ipaddr_len(&e->proto) * 8)
		strbuf_printf(o, " via %s", a);
	strbuf_printf(o, "\n   %s created %s, ", ifp->conf.tun.name,
	              nhrpd_show_time(nhrpd_show_since(e->created_ms, s->now), t));
	if (e->expires_ms)
		strbuf_printf(o, "expire %s\n",
		              nhrpd_show_time(nhrpd_show_until(e->expires_ms, s->now), t));
	else
		strbuf_puts(o, "never expire\n");
	strbuf_printf(o, "   Type: %s, Flags:%s%s%s%s%s\n",
	              nhrp_cache_type_name(nhrp_cache_entry_type(e)), e->unique ? " unique" : "",
	              e->type == NHRP_CACHE_DYNAMIC ? " registered" : "", e->nat ? " nat" : "",
	              e->last_used_ms ? " used" : "", flags ? "" : " none");
	strbuf_printf(o, "   NBMA address: %s\n", ipaddr_format(&e->nbma, a));
	if (ipaddr_is_set(&e->nbma_claimed))
		strbuf_printf(o, "    (Claimed NBMA address: %s)\n",
		              ipaddr_format(&e->nbma_claimed, a));
	if (!(s->opts & NHRPD_SHOW_DETAIL))
		return;
	strbuf_printf(o, "   Holding time %us, MTU %u, neighbour %sinstalled, ", e->holding_time,
	              e->mtu, e->neigh_installed ? "" : "not ");
	if (e->last_used_ms)
		strbuf_printf(o, "last used %s ago\n",
		              nhrpd_show_time(nhrpd_show_since(e->last_used_ms, s->now), t));
	else
		strbuf_puts(o, "never used\n");
	if (e->state == NHRP_ENTRY_INCOMPLETE)
		strbuf_printf(o, "   Resolution request id %" PRIu32 ", try %u\n", e->request_id,
		              e->tries);
	for (unsigned i = 0; i < e->npurge && i < NHRP_MAX_PURGE_TARGETS; i++)
		strbuf_printf(o, "   Purge to %s (%s)\n", ipaddr_format(&e->purge[i].nbma, a),
		              ipaddr_format(&e->purge[i].proto, b));
}

static void nhrpd_show_entry_json(const struct nhrp_cache_entry *e, struct nhrpd_show *s)
{
	struct json *j = &s->j;

	json_obj_begin(j);
	nhrpd_show_kv_addr(j, "protocol", &e->proto);
	json_kv_u64(j, "prefix_len", e->prefix_len);
	nhrpd_show_kv_addr(j, "nbma", &e->nbma);
	nhrpd_show_kv_addr(j, "nbma_claimed", &e->nbma_claimed);
	json_kv_str(j, "type", nhrp_cache_type_name(nhrp_cache_entry_type(e)));
	json_kv_bool(j, "unique", e->unique);
	json_kv_bool(j, "nat", e->nat);
	json_kv_bool(j, "neighbour", e->neigh_installed);
	json_kv_u64(j, "holding_time", e->holding_time);
	nhrpd_show_kv_secs(j, "expires_in", e->expires_ms != 0,
	                   nhrpd_show_until(e->expires_ms, s->now));
	json_kv_u64(j, "age", nhrpd_show_since(e->created_ms, s->now));
	nhrpd_show_kv_secs(j, "used_ago", e->last_used_ms != 0,
	                   nhrpd_show_since(e->last_used_ms, s->now));
	json_obj_end(j);
}

int nhrpd_show_cache(struct nhrp_iface *ifp, struct nhrpd_show *s)
{
	bool json = s->opts & NHRPD_SHOW_JSON;
	struct nhrpd_show_entries c;

	if (nhrpd_show_collect(ifp, &c, false) < 0)
		return -1;
	if (json)
		nhrpd_show_json_iface(&s->j, ifp, "entries");
	for (size_t i = 0; i < c.n; i++) {
		if (json)
			nhrpd_show_entry_json(c.v[i], s);
		else
			nhrpd_show_entry_text(ifp, c.v[i], s);
	}
	if (json) {
		json_arr_end(&s->j);
		json_obj_end(&s->j);
	}
	free(c.v);
	return 0;
}

/* ---------- show ip nhrp nhs ---------- */

static void nhrpd_show_nhs_json(const struct nhrp_nhs *n, struct nhrpd_show *s)
{
	struct json *j = &s->j;

	json_obj_begin(j);
	nhrpd_show_kv_addr(j, "protocol", &n->conf.proto);
	nhrpd_show_kv_addr(j, "nbma", &n->conf.nbma);
	json_kv_str(j, "state", nhrp_nhs_state_name(n->state));
	json_kv_bool(j, "multicast", n->conf.multicast);
	json_kv_u64(j, "requests", n->requests);
	json_kv_u64(j, "replies", n->replies);
	json_kv_u64(j, "refusals", n->refusals);
	json_kv_u64(j, "missed", n->missed);
	json_key(j, "last_code");
	if (n->replies) /* refusals are replies too */
		json_str(j, nhrp_cie_code_name(n->last_code));
	else
		json_null(j);
	nhrpd_show_kv_secs(j, "up_for", n->state == NHRP_NHS_UP,
	                   nhrpd_show_since(n->up_since_ms, s->now));
	json_kv_bool(j, "nat", n->nat_detected);
	json_obj_end(j);
}

static void nhrpd_show_nhs_text(struct nhrp_nhs *n, const struct nhrpd_show *s)
{
	struct strbuf *o = s->o;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], t[NHRPD_SHOW_TIME_MAX];
	bool up = n->state == NHRP_NHS_UP;

	strbuf_printf(o,
	              "  %-15s %-15s %-8s %-8s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %6u %s%s\n",
	              ipaddr_format(&n->conf.proto, a), ipaddr_format(&n->conf.nbma, b),
	              nhrp_nhs_state_name(n->state),
	              up ? nhrpd_show_time(nhrpd_show_since(n->up_since_ms, s->now), t) : "-",
	              n->requests, n->replies, n->refusals, n->missed, n->conf.multicast ? "M" : "",
	              n->nat_detected ? "N" : "");
	if (!(s->opts & NHRPD_SHOW_DETAIL))
		return;
	if (n->replies)
		strbuf_printf(o, "    last reply %s", nhrp_cie_code_name(n->last_code));
	else
		strbuf_puts(o, "    no reply yet");
	if (n->last_reply_ms)
		strbuf_printf(o, "; last accepted %s ago",
		              nhrpd_show_time(nhrpd_show_since(n->last_reply_ms, s->now), t));
	if (n->sent_ms && n->request_id)
		strbuf_printf(o, "; request %" PRIu32 " outstanding, sent %s ago", n->request_id,
		              nhrpd_show_time(nhrpd_show_since(n->sent_ms, s->now), t));
	else if (n->sent_ms)
		strbuf_printf(o, "; last request sent %s ago",
		              nhrpd_show_time(nhrpd_show_since(n->sent_ms, s->now), t));
	if (timer_is_active(&n->timer))
		strbuf_printf(
		    o, "; next in %s",
		    nhrpd_show_time(nhrpd_show_until(timer_deadline_ms(&n->timer), s->now), t));
	strbuf_puts(o, "\n");
}

int nhrpd_show_nhs(struct nhrp_iface *ifp, struct nhrpd_show *s)
{
	if (s->opts & NHRPD_SHOW_JSON) {
		nhrpd_show_json_iface(&s->j, ifp, "nhs");
		for (unsigned i = 0; i < ifp->nnhs; i++)
			nhrpd_show_nhs_json(ifp->nhs[i], s);
		json_arr_end(&s->j);
		json_obj_end(&s->j);
		return 0;
	}
	if (!ifp->nnhs) {
		strbuf_printf(s->o, "%s: no NHS configured (a next-hop server itself)\n",
		              ifp->conf.tun.name);
		return 0;
	}
	strbuf_printf(s->o, "%s: (Flags: M - multicast, N - NAT detected)\n", ifp->conf.tun.name);
	strbuf_printf(s->o, "  %-15s %-15s %-8s %-8s %8s %8s %8s %6s %s\n", "NHS", "NBMA", "State",
	              "Up", "Requests", "Replies", "Refusals", "Missed", "Flags");
	for (unsigned i = 0; i < ifp->nnhs; i++)
		nhrpd_show_nhs_text(ifp->nhs[i], s);
	return 0;
}

/* ---------- show ip nhrp traffic ---------- */

static void nhrpd_show_json_by_type(struct json *j, const char *key, const uint64_t *v)
{
	char k[NHRPD_SHOW_NAME_MAX];

	json_key(j, key);
	json_obj_begin(j);
	for (unsigned t = 1; t <= NHRP_TYPE_MAX; t++)
		json_kv_u64(j, nhrpd_show_snake(nhrp_type_name(t), k), v[t]);
	json_obj_end(j);
}

int nhrpd_show_traffic(struct nhrp_iface *ifp, struct nhrpd_show *s)
{
	const struct nhrp_traffic *c = &ifp->traffic;
	struct json *j = &s->j;
	char k[NHRPD_SHOW_NAME_MAX];

	if (s->opts & NHRPD_SHOW_JSON) {
		nhrpd_show_json_iface(j, ifp, NULL);
		nhrpd_show_json_by_type(j, "sent", c->sent);
		nhrpd_show_json_by_type(j, "received", c->received);
		nhrpd_show_json_by_type(j, "forwarded", c->forwarded);
		json_key(j, "dropped");
		json_obj_begin(j);
		for (int d = 0; d < NHRP_DROP__COUNT; d++)
			json_kv_u64(j, nhrpd_show_snake(nhrp_drop_name(d), k), c->dropped[d]);
		json_obj_end(j);
		json_key(j, "multicast");
		json_obj_begin(j);
		json_kv_u64(j, "replicated", c->mcast_replicated);
		json_kv_u64(j, "send_errors", c->mcast_send_error);
		json_obj_end(j);
		json_key(j, "redirects");
		json_obj_begin(j);
		json_kv_u64(j, "sent", c->redirects_sent);
		json_kv_u64(j, "rate_limited", c->redirects_limited);
		json_obj_end(j);
		json_kv_u64(j, "shortcuts_installed", c->shortcuts_installed);
		json_obj_end(j);
		return 0;
	}
	strbuf_printf(s->o, "%s:\n  %-28s %12s %12s %12s\n", ifp->conf.tun.name, "Packet type",
	              "Sent", "Received", "Forwarded");
	for (unsigned t = 1; t <= NHRP_TYPE_MAX; t++)
		strbuf_printf(s->o, "  %-28s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
		              nhrp_type_name(t), c->sent[t], c->received[t], c->forwarded[t]);
	strbuf_puts(s->o, "  Dropped:");
	for (int d = 0; d < NHRP_DROP__COUNT; d++)
		strbuf_printf(s->o, " %s %" PRIu64, nhrp_drop_name(d), c->dropped[d]);
	strbuf_printf(s->o, "\n  Multicast: %" PRIu64 " replicated, %" PRIu64 " send errors\n",
	              c->mcast_replicated, c->mcast_send_error);
	strbuf_printf(s->o,
	              "  Redirects: %" PRIu64 " sent, %" PRIu64 " rate-limited; shortcuts: %" PRIu64
	              " installed\n",
	              c->redirects_sent, c->redirects_limited, c->shortcuts_installed);
	return 0;
}
