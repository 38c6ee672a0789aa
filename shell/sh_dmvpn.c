/*
 * show dmvpn detail: Cisco's peer table with the crypto state of each
 * peer beside its NHRP state. nhrpd and iked each know half; the shell
 * asks both for JSON (docs/json.md) and joins peers to IKE SAs by the
 * peer's NBMA address (the SA's remote address).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "lib/json_read.h"
#include "shell/dmvpnsh.h"

static struct json_value *sh_dmvpn_fetch(struct sh *sh, enum sh_daemon d, const char *cmd, int *rc)
{
	struct strbuf reply;
	struct json_value *v = NULL;
	char err[128];

	strbuf_init(&reply);
	*rc = sh_call(sh, d, cmd, &reply);
	if (*rc == 0 && !(v = json_read(reply.s ? reply.s : "", reply.len, err, sizeof(err)))) {
		sh_error(sh, "%% %s: unreadable JSON (%s)\n", sh_daemon_names[d], err);
		*rc = -1;
	} else if (*rc != 0 && *rc != -2) {
		sh_error(sh, "%% %s: %s\n", sh_daemon_names[d], strbuf_str(&reply));
	}
	strbuf_free(&reply);
	return v;
}

/* Is an IKE SA up: established, or established with its rekey in flight
 * (docs/json.md)? */
static bool sh_dmvpn_sa_up(const struct json_value *sa)
{
	const char *st = json_get_str(sa, "state", "");

	return !strcmp(st, "established") || !strcmp(st, "rekeying");
}

/* The IKE SA that speaks for a peer: an up one first, then the newest. */
static const struct json_value *sh_dmvpn_sa_for(const struct json_value *ike, const char *nbma)
{
	const struct json_value *sas = json_get(ike, "sas"), *best = NULL;

	for (size_t i = 0; nbma && json_at(sas, i); i++) {
		const struct json_value *sa = json_at(sas, i);
		bool up = sh_dmvpn_sa_up(sa);

		if (strcmp(json_get_str(sa, "remote", ""), nbma))
			continue;
		if (!best || (up && !sh_dmvpn_sa_up(best)) ||
		    (up == sh_dmvpn_sa_up(best) &&
		     json_get_u64(sa, "id", 0) > json_get_u64(best, "id", 0)))
			best = sa;
	}
	return best;
}

/* Cisco's attribute letters (docs/json.md, show dmvpn). */
static void sh_dmvpn_attr_letters(const struct json_value *peer, char *out, size_t cap)
{
	static const struct {
		const char *name;
		char letter;
	} map[] = {{"static", 'S'}, {"nhs", 'H'},        {"dynamic", 'D'},
	           {"cached", 'C'}, {"incomplete", 'I'}, {"negative", 'X'},
	           {"nat", 'N'},    {"local", 'L'},      {"unique", 'U'}};
	const struct json_value *attrs = json_get(peer, "attributes");
	size_t n = 0;

	for (size_t i = 0; json_at(attrs, i) && n + 1 < cap; i++)
		for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
			if (json_at(attrs, i)->type == JSON_STRING &&
			    !strcmp(json_at(attrs, i)->str, map[k].name) && n + 1 < cap)
				out[n++] = map[k].letter;
	out[n] = '\0';
}

static const char *sh_dmvpn_str(const struct json_value *o, const char *key)
{
	return json_get_str(o, key, "-");
}

static void sh_dmvpn_text(struct strbuf *o, const struct json_value *nhrp,
                          const struct json_value *ike, bool ike_up)
{
	const struct json_value *ifs = json_get(nhrp, "interfaces");

	strbuf_puts(o, "Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete, H - NHS,\n"
	               "        C - Cached, X - Negative, N - NATed, L - Local, U - Unique\n");
	for (size_t i = 0; json_at(ifs, i); i++) {
		const struct json_value *ifp = json_at(ifs, i), *peers = json_get(ifp, "peers");
		size_t np = 0;

		while (json_at(peers, np))
			np++;
		strbuf_printf(o, "\nInterface: %s, type %s, NBMA %s, overlay %s, peers %zu\n",
		              sh_dmvpn_str(ifp, "name"), sh_dmvpn_str(ifp, "type"),
		              sh_dmvpn_str(ifp, "nbma"), sh_dmvpn_str(ifp, "overlay"), np);
		strbuf_printf(o, " %-15s %-15s %-8s %-5s %7s  %-18s %-10s %s\n", "NBMA addr",
		              "Tunnel addr", "NHRP", "Attrb", "Expires", "IKEv2 SA", "CHILD_SA",
		              "Cipher");
		for (size_t k = 0; k < np; k++) {
			const struct json_value *p = json_at(peers, k);
			const struct json_value *sa =
			    sh_dmvpn_sa_for(ike, json_get_str(p, "nbma", NULL));
			char attrs[16], expires[24], ikestate[40];

			sh_dmvpn_attr_letters(p, attrs, sizeof(attrs));
			if (json_get(p, "expires_in") &&
			    json_get(p, "expires_in")->type == JSON_NUMBER)
				snprintf(expires, sizeof(expires), "%" PRIu64 "s",
				         json_get_u64(p, "expires_in", 0));
			else
				snprintf(expires, sizeof(expires), "never");
			if (sa)
				snprintf(ikestate, sizeof(ikestate), "%s #%" PRIu64,
				         sh_dmvpn_str(sa, "state"), json_get_u64(sa, "id", 0));
			else
				snprintf(ikestate, sizeof(ikestate), "%s", ike_up ? "none" : "-");
			strbuf_printf(o, " %-15s %-15s %-8s %-5s %7s  %-18s %-10s %s\n",
			              sh_dmvpn_str(p, "nbma"), sh_dmvpn_str(p, "tunnel"),
			              sh_dmvpn_str(p, "state"), attrs, expires, ikestate,
			              sa ? sh_dmvpn_str(json_get(sa, "child"), "state") : "-",
			              sa ? sh_dmvpn_str(sa, "encr") : "-");
		}
	}
	if (!ike_up)
		strbuf_puts(o, "\n% iked is not running: no IKE state\n");
	else if (json_get(ike, "warning") && json_get(ike, "warning")->type == JSON_STRING)
		strbuf_printf(o, "\n%% crypto: %s\n", json_get_str(ike, "warning", ""));
}

static void sh_dmvpn_json_ike(struct json *j, const struct json_value *sa)
{
	const struct json_value *child = json_get(sa, "child");

	if (!sa) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kv_u64(j, "id", json_get_u64(sa, "id", 0));
	json_kv_str(j, "state", json_get_str(sa, "state", ""));
	json_kv_str(j, "encr", json_get_str(sa, "encr", ""));
	json_kv_str(j, "prf", json_get_str(sa, "prf", ""));
	json_kv_str(j, "dh", json_get_str(sa, "dh", ""));
	json_key(j, "child_state");
	if (child && json_get(child, "state"))
		json_str(j, json_get_str(child, "state", ""));
	else
		json_null(j);
	json_obj_end(j);
}

/* nhrpd's show dmvpn JSON, each peer with an "ike" member. */
static void sh_dmvpn_json(struct strbuf *o, const struct json_value *nhrp,
                          const struct json_value *ike, bool ike_up)
{
	const struct json_value *ifs = json_get(nhrp, "interfaces");
	struct json j;

	json_init(&j, o);
	json_obj_begin(&j);
	json_key(&j, "ikev2");
	json_obj_begin(&j);
	json_kv_bool(&j, "available", ike_up);
	json_key(&j, "warning");
	if (json_get(ike, "warning") && json_get(ike, "warning")->type == JSON_STRING)
		json_str(&j, json_get_str(ike, "warning", ""));
	else
		json_null(&j);
	json_obj_end(&j);
	json_key(&j, "interfaces");
	json_arr_begin(&j);
	for (size_t i = 0; json_at(ifs, i); i++) {
		const struct json_value *ifp = json_at(ifs, i);

		json_obj_begin(&j);
		for (size_t m = 0; m < ifp->n; m++) {
			const struct json_value *peers = &ifp->items[m];

			json_key(&j, ifp->keys[m]);
			if (strcmp(ifp->keys[m], "peers") || peers->type != JSON_ARRAY) {
				json_value_write(&j, peers);
				continue;
			}
			json_arr_begin(&j);
			for (size_t k = 0; k < peers->n; k++) {
				const struct json_value *p = &peers->items[k];

				json_obj_begin(&j);
				for (size_t f = 0; f < p->n; f++) {
					json_key(&j, p->keys[f]);
					json_value_write(&j, &p->items[f]);
				}
				json_key(&j, "ike");
				sh_dmvpn_json_ike(
				    &j, sh_dmvpn_sa_for(ike, json_get_str(p, "nbma", NULL)));
				json_obj_end(&j);
			}
			json_arr_end(&j);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	strbuf_puts(o, "\n");
}

int sh_show_dmvpn_detail(struct sh *sh, bool json)
{
	struct json_value *nhrp, *ike;
	struct strbuf out;
	int rc_nhrp, rc_ike;

	nhrp = sh_dmvpn_fetch(sh, SH_NHRPD, "show dmvpn json", &rc_nhrp);
	if (!nhrp) {
		if (rc_nhrp == -2)
			sh_error(sh, "%% nhrpd is not running\n");
		return -1;
	}
	ike = sh_dmvpn_fetch(sh, SH_IKED, "show crypto ikev2 sa json", &rc_ike);
	strbuf_init(&out);
	if (json)
		sh_dmvpn_json(&out, nhrp, ike, ike != NULL);
	else
		sh_dmvpn_text(&out, nhrp, ike, ike != NULL);
	sh_print(sh, strbuf_str(&out));
	strbuf_free(&out);
	json_value_free(nhrp);
	json_value_free(ike);
	return 0;
}
