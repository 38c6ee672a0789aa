/*
 * nhrpd's control socket commands:
 *
 *   show version
 *   show ip nhrp [cache] [detail] [json]  the cache of every interface
 *   show ip nhrp nhs [detail] [json]      next-hop servers, registration state
 *   show ip nhrp traffic [json]           packets by type, drops by reason
 *   show ip nhrp shortcut [json]          phase 3 shortcuts and their routes
 *   show ip nhrp zebra [json]             the zebra connection, every route
 *   show dmvpn [detail] [json]            Cisco's peer table
 *   clear ip nhrp                         entries learnt: dynamic, cached,
 *                                         negative, incomplete
 *   clear ip nhrp traffic                 the counters
 *   debug nhrp|ctl / no debug ... / show debugging
 *   log level error|warning|notice|info|debug
 *
 * The renderers are in nhrpd_show.c and nhrpd_show_dmvpn.c; the JSON is
 * documented in docs/json.md.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/ctl_cmd.h"
#include "nhrpd/nhrpd_show.h"

#define NHRPD_CTL_MAX_WORDS 8

#define NHRPD_CTL_USAGE                                                                            \
	"  show version\n"                                                                         \
	"  show ip nhrp [cache|nhs] [detail] [json]\n"                                             \
	"  show ip nhrp traffic [json]\n"                                                          \
	"  show ip nhrp shortcut [json]\n"                                                         \
	"  show ip nhrp zebra [json]\n"                                                            \
	"  show dmvpn [detail] [json]\n"                                                           \
	"  clear ip nhrp [traffic]\n"                                                              \
	"  debug nhrp|ctl, no debug nhrp|ctl, show debugging\n"                                    \
	"  log level error|warning|notice|info|debug\n"

typedef int (*nhrpd_ctl_show_fn)(struct nhrp_iface *ifp, struct nhrpd_show *s);

/*
 * Parse the trailing [detail] [json] (any order, each once, only those in
 * allowed), then render every interface: text, or {"interfaces":[...]}.
 */
static int nhrpd_ctl_show(struct nhrpd *d, char **w, int n, unsigned allowed, const char *usage,
                          const char *text_header, nhrpd_ctl_show_fn fn, struct strbuf *o)
{
	struct nhrpd_show s = {.o = o, .now = nhrp_now_ms()};

	for (int i = 0; i < n; i++) {
		unsigned opt = 0;

		if (!strcmp(w[i], "detail"))
			opt = NHRPD_SHOW_DETAIL;
		else if (!strcmp(w[i], "json"))
			opt = NHRPD_SHOW_JSON;
		if (!(opt & allowed) || (s.opts & opt)) {
			strbuf_printf(o, "%% unexpected '%s'\nusage: %s\n", w[i], usage);
			return -1;
		}
		s.opts |= opt;
	}
	if (s.opts & NHRPD_SHOW_JSON) {
		json_init(&s.j, o);
		json_obj_begin(&s.j);
		json_key(&s.j, "interfaces");
		json_arr_begin(&s.j);
	} else if (text_header) {
		strbuf_puts(o, text_header);
	}
	for (unsigned i = 0; i < d->nifaces; i++) {
		if (fn(d->ifaces[i], &s) < 0) {
			strbuf_reset(o);
			strbuf_puts(o, "% out of memory\n");
			return -1;
		}
	}
	if (s.opts & NHRPD_SHOW_JSON) {
		json_arr_end(&s.j);
		json_obj_end(&s.j);
		strbuf_puts(o, "\n");
	}
	return 0;
}

static int nhrpd_ctl_show_nhrp(struct nhrpd *d, char **w, int n, struct strbuf *o)
{
	const unsigned both = NHRPD_SHOW_DETAIL | NHRPD_SHOW_JSON;

	if (n > 0 && !strcmp(w[0], "nhs"))
		return nhrpd_ctl_show(d, w + 1, n - 1, both, "show ip nhrp nhs [detail] [json]",
		                      NULL, nhrpd_show_nhs, o);
	if (n > 0 && !strcmp(w[0], "traffic"))
		return nhrpd_ctl_show(d, w + 1, n - 1, NHRPD_SHOW_JSON,
		                      "show ip nhrp traffic [json]", NULL, nhrpd_show_traffic, o);
	if (n > 0 && !strcmp(w[0], "shortcut"))
		return nhrpd_ctl_show(d, w + 1, n - 1, NHRPD_SHOW_JSON,
		                      "show ip nhrp shortcut [json]", NULL, nhrpd_show_shortcut, o);
	if (n > 0 && !strcmp(w[0], "zebra")) {
		struct nhrpd_show s = {.o = o, .now = nhrp_now_ms()};

		if (n == 2 && !strcmp(w[1], "json"))
			s.opts = NHRPD_SHOW_JSON;
		else if (n != 1) {
			strbuf_puts(o, "usage: show ip nhrp zebra [json]\n");
			return -1;
		}
		return nhrpd_show_zebra(d, &s);
	}
	if (n > 0 && !strcmp(w[0], "cache"))
		w++, n--;
	return nhrpd_ctl_show(d, w, n, both, "show ip nhrp [cache|nhs|traffic] [detail] [json]",
	                      NULL, nhrpd_show_cache, o);
}

/* What `clear ip nhrp` removes: whatever was learnt, nothing configured. */
static bool nhrpd_ctl_clearable(const struct nhrp_cache_entry *e)
{
	return e->type == NHRP_CACHE_DYNAMIC || e->type == NHRP_CACHE_CACHED ||
	       e->type == NHRP_CACHE_NEGATIVE || e->type == NHRP_CACHE_INCOMPLETE;
}

struct nhrpd_ctl_keys {
	struct ipaddr *v;
	size_t n, cap;
};

static void nhrpd_ctl_key_one(struct nhrp_cache_entry *e, void *arg)
{
	struct nhrpd_ctl_keys *k = arg;

	if (k->n < k->cap && nhrpd_ctl_clearable(e))
		k->v[k->n++] = e->proto;
}

/*
 * nhrp_cache_foreach forbids removal, so the addresses are collected first;
 * each is looked up again before its removal, in case removing one entry
 * took others with it.
 */
static int nhrpd_ctl_clear_cache(struct nhrpd *d, struct strbuf *o)
{
	size_t cleared = 0;

	for (unsigned i = 0; i < d->nifaces; i++) {
		struct nhrp_iface *ifp = d->ifaces[i];
		struct nhrpd_ctl_keys k = {.cap = ifp->cache.count};

		if (!(k.v = calloc(k.cap + 1, sizeof(*k.v)))) {
			strbuf_printf(o, "%% out of memory, after clearing %zu entries\n", cleared);
			return -1;
		}
		nhrp_cache_foreach(ifp, nhrpd_ctl_key_one, &k);
		for (size_t m = 0; m < k.n; m++) {
			struct nhrp_cache_entry *e = nhrp_cache_get(ifp, &k.v[m]);

			if (e && ipaddr_equal(&e->proto, &k.v[m]) && nhrpd_ctl_clearable(e)) {
				nhrp_cache_remove(e, "cleared");
				cleared++;
			}
		}
		free(k.v);
	}
	strbuf_printf(o, "%zu entr%s cleared\n", cleared, cleared == 1 ? "y" : "ies");
	return 0;
}

static int nhrpd_ctl_clear(struct nhrpd *d, char **w, int n, struct strbuf *o)
{
	if (n == 0)
		return nhrpd_ctl_clear_cache(d, o);
	if (n == 1 && !strcmp(w[0], "traffic")) {
		for (unsigned i = 0; i < d->nifaces; i++)
			memset(&d->ifaces[i]->traffic, 0, sizeof(d->ifaces[i]->traffic));
		return 0;
	}
	strbuf_puts(o, "usage: clear ip nhrp [traffic]\n");
	return -1;
}

static int nhrpd_ctl_debug(bool on, char **w, int n, struct strbuf *o)
{
	if (n != 1 || (strcmp(w[0], "nhrp") && strcmp(w[0], "ctl"))) {
		strbuf_puts(o, "usage: [no] debug nhrp|ctl\n");
		return -1;
	}
	log_set_category(log_cat_from_name(w[0]), on);
	return 0;
}

int nhrpd_ctl_handle(void *ctx, const char *line, struct strbuf *o)
{
	struct nhrpd *d = ctx;
	char copy[CTL_CMD_MAX_LINE], *w[NHRPD_CTL_MAX_WORDS];
	char t[NHRPD_SHOW_TIME_MAX];
	int n = ctl_cmd_split(line, copy, w, NHRPD_CTL_MAX_WORDS, o), rc;

	if (n < 0)
		return -1;
	if (ctl_cmd_common(w, n, o, &rc))
		return rc;
	if (n == 2 && !strcmp(w[0], "show") && !strcmp(w[1], "version")) {
		uint64_t now = nhrp_now_ms();

		strbuf_printf(
		    o, "nhrpd " NHRPD_VERSION " (dmvpn NHRP, RFC 2332), up %s\n",
		    nhrpd_show_time(now > d->started_ms ? (now - d->started_ms) / 1000 : 0, t));
		return 0;
	}
	if (n >= 3 && !strcmp(w[0], "show") && !strcmp(w[1], "ip") && !strcmp(w[2], "nhrp"))
		return nhrpd_ctl_show_nhrp(d, w + 3, n - 3, o);
	if (n >= 2 && !strcmp(w[0], "show") && !strcmp(w[1], "dmvpn"))
		return nhrpd_ctl_show(d, w + 2, n - 2, NHRPD_SHOW_DETAIL | NHRPD_SHOW_JSON,
		                      "show dmvpn [detail] [json]", NHRPD_SHOW_DMVPN_LEGEND,
		                      nhrpd_show_dmvpn, o);
	if (n >= 3 && !strcmp(w[0], "clear") && !strcmp(w[1], "ip") && !strcmp(w[2], "nhrp"))
		return nhrpd_ctl_clear(d, w + 3, n - 3, o);
	if (n >= 1 && !strcmp(w[0], "debug"))
		return nhrpd_ctl_debug(true, w + 1, n - 1, o);
	if (n >= 2 && !strcmp(w[0], "no") && !strcmp(w[1], "debug"))
		return nhrpd_ctl_debug(false, w + 2, n - 2, o);
	strbuf_printf(o, "%% unknown command: %s\ncommands:\n" NHRPD_CTL_USAGE, line);
	return -1;
}
