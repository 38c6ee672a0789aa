/*
 * nhrpd's operational commands (nhrpd/nhrpd.def; x->ctx is the daemon):
 *
 *   show ip nhrp [cache|nhs] [detail] [json]    the cache, or the NHSes
 *   show ip nhrp (traffic|shortcut|zebra) [json]
 *   show dmvpn [detail] [json]                  Cisco's peer table
 *   show running-config [json|secrets]          nhrpd's configuration
 *   clear ip nhrp [traffic]                     entries learnt, or counters
 *   [no] debug nhrp, and what every daemon answers alike (lib/ctl_cmd.h):
 *   show version, show debugging, [no] debug control, log level
 *
 * The renderers are in nhrpd_show.c and nhrpd_show_dmvpn.c; the JSON is
 * documented in docs/json.md.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/ctl_cmd.h"
#include "nhrpd/nhrpd_cmd.h"
#include "nhrpd/nhrpd_show.h"

typedef int (*nhrpd_show_fn)(struct nhrp_iface *ifp, struct nhrpd_show *s);

static unsigned nhrpd_cmd_show_opts(const struct cmd_args *a)
{
	return (cmd_has(a, "detail") ? NHRPD_SHOW_DETAIL : 0) |
	       (cmd_has(a, "json") ? NHRPD_SHOW_JSON : 0);
}

/* Render every interface: text, or {"interfaces":[...]}. */
static int nhrpd_cmd_show_each(struct nhrpd *d, unsigned opts, const char *text_header,
                               nhrpd_show_fn fn, struct strbuf *o)
{
	struct nhrpd_show s = {.o = o, .now = clock_now_ms(), .opts = opts};

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

int nhrpd_cmd_show_ip_nhrp(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrpd *d = x->ctx;
	unsigned opts = nhrpd_cmd_show_opts(a);

	if (cmd_has(a, "nhs"))
		return nhrpd_cmd_show_each(d, opts, NULL, nhrpd_show_nhs, x->out);
	if (cmd_has(a, "traffic"))
		return nhrpd_cmd_show_each(d, opts, NULL, nhrpd_show_traffic, x->out);
	if (cmd_has(a, "shortcut"))
		return nhrpd_cmd_show_each(d, opts, NULL, nhrpd_show_shortcut, x->out);
	if (cmd_has(a, "zebra")) {
		struct nhrpd_show s = {.o = x->out, .now = clock_now_ms(), .opts = opts};

		return nhrpd_show_zebra(d, &s);
	}
	return nhrpd_cmd_show_each(d, opts, NULL, nhrpd_show_cache, x->out);
}

int nhrpd_cmd_show_dmvpn(struct cmd_exec *x, const struct cmd_args *a)
{
	return nhrpd_cmd_show_each(x->ctx, nhrpd_cmd_show_opts(a), NHRPD_SHOW_DMVPN_LEGEND,
	                           nhrpd_show_dmvpn, x->out);
}

int nhrpd_cmd_show_running_config(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrpd *d = x->ctx;
	bool secrets = a->def->id == CMD_SHOW_RUNNING_CONFIG_SECRETS;
	struct strbuf text;
	int rc;

	if (secrets && !ctl_cmd_secrets_allowed(x))
		return ctl_cmd_running_config_reply(x, a, ""); /* refuses, says why */
	strbuf_init(&text);
	nhrpd_running_config(d->conf, secrets, &text);
	rc = ctl_cmd_running_config_reply(x, a, strbuf_str(&text));
	if (text.s)
		explicit_bzero(text.s, text.len);
	strbuf_free(&text);
	return rc;
}

int nhrpd_cmd_show_version(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_show_version(x, a, "nhrpd");
}

int nhrpd_cmd_show_debugging(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_show_debugging(x, a);
}

int nhrpd_cmd_log_level(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_log_level(x, a);
}

/* [no] debug nhrp | [no] debug control */
int nhrpd_cmd_debug(struct cmd_exec *x, const struct cmd_args *a)
{
	if (a->def->id == CMD_DEBUG_CONTROL || a->def->id == CMD_NO_DEBUG_CONTROL)
		return ctl_cmd_debug_control(x, a);
	log_set_category(LOG_CAT_NHRP, a->def->id == CMD_DEBUG_NHRP);
	return 0;
}

/* What `clear ip nhrp` removes: whatever was learnt, nothing configured. */
static bool nhrpd_cmd_clearable(const struct nhrp_cache_entry *e)
{
	enum nhrp_cache_type t = nhrp_cache_entry_type(e);

	return t == NHRP_CACHE_DYNAMIC || t == NHRP_CACHE_CACHED || t == NHRP_CACHE_NEGATIVE ||
	       t == NHRP_CACHE_INCOMPLETE;
}

struct nhrpd_cmd_keys {
	struct ipaddr *v;
	size_t n, cap;
};

static void nhrpd_cmd_key_one(struct nhrp_cache_entry *e, void *arg)
{
	struct nhrpd_cmd_keys *k = arg;

	if (k->n < k->cap && nhrpd_cmd_clearable(e))
		k->v[k->n++] = e->proto;
}

/*
 * nhrp_cache_foreach forbids removal, so the addresses are collected first;
 * each is looked up again before its removal, in case removing one entry
 * took others with it.
 */
static int nhrpd_cmd_clear_cache(struct nhrpd *d, struct strbuf *o)
{
	size_t cleared = 0;

	for (unsigned i = 0; i < d->nifaces; i++) {
		struct nhrp_iface *ifp = d->ifaces[i];
		struct nhrpd_cmd_keys k = {.cap = ifp->cache.count};

		if (!(k.v = calloc(k.cap + 1, sizeof(*k.v)))) {
			strbuf_printf(o, "%% out of memory, after clearing %zu entries\n", cleared);
			return -1;
		}
		nhrp_cache_foreach(ifp, nhrpd_cmd_key_one, &k);
		for (size_t m = 0; m < k.n; m++) {
			struct nhrp_cache_entry *e = nhrp_cache_get(ifp, &k.v[m]);

			if (e && ipaddr_equal(&e->proto, &k.v[m]) && nhrpd_cmd_clearable(e)) {
				nhrp_cache_remove(e, "cleared");
				cleared++;
			}
		}
		free(k.v);
	}
	strbuf_printf(o, "%zu entr%s cleared\n", cleared, cleared == 1 ? "y" : "ies");
	return 0;
}

int nhrpd_cmd_clear_ip_nhrp(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrpd *d = x->ctx;

	if (!cmd_has(a, "traffic"))
		return nhrpd_cmd_clear_cache(d, x->out);
	for (unsigned i = 0; i < d->nifaces; i++)
		memset(&d->ifaces[i]->traffic, 0, sizeof(d->ifaces[i]->traffic));
	return 0;
}
