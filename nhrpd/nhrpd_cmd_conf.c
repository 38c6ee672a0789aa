/*
 * The configuration lines nhrpd owns (nhrpd/nhrpd.def), Cisco IOS syntax:
 * `hostname`, `nhrp zebra`, and in `interface` blocks the `ip nhrp` lines.
 * What nhrpd needs of the tunnel (the block header, mode, source, data
 * plane, overlay address) it reads as mgred does, with gre/tunnel_conf.c's
 * handlers. The engine has checked each argument's type and range; these
 * handlers check what only the configuration can tell (duplicates,
 * limits, files) and change only the candidate in x->ctx, so a refused
 * line changes nothing.
 *
 * An NHS or static map given twice for one address is refused (in a file,
 * with the line of the first): it is a typo, or a change that must be
 * spelt `no ...` first. Typed live, the same line again changes nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "nhrpd/nhrpd.h"
#include "nhrpd/nhrpd_cmd.h"

static struct nhrp_iface_conf *nhrpd_cmd_ic(struct cmd_exec *x)
{
	return x->block_ctx;
}

static void nhrpd_cmd_addr(const struct cmd_args *a, const char *tok, int nth, struct ipaddr *out)
{
	const char *s = cmd_arg(a, tok, nth);

	memset(out, 0, sizeof(*out));
	if (s)
		ipaddr_parse(s, out);
}

/* " at line N" in a file, nothing live. */
static const char *nhrpd_cmd_at(int line, char buf[32])
{
	buf[0] = '\0';
	if (line > 0)
		snprintf(buf, 32, " at line %d", line);
	return buf;
}

/* hostname WORD / no hostname: kept for the shell's prompt. */
int nhrpd_cmd_hostname(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrpd_conf *c = x->ctx;
	const char *name = cmd_arg(a, "WORD", 0);

	if (a->def->id == CMD_NO_HOSTNAME) {
		c->hostname[0] = '\0';
		return 0;
	}
	if (strlen(name) > NHRP_HOSTNAME_MAX) {
		strbuf_printf(x->out, "hostname: at most %d characters", NHRP_HOSTNAME_MAX);
		return -1;
	}
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') {
			strbuf_puts(x->out, "hostname: letters, digits, '-', '_' and '.' only");
			return -1;
		}
	strcpy(c->hostname, name);
	return 0;
}

/*
 * nhrp zebra [socket PATH] [instance <0-65535>] [distance <1-255>]: the
 * line replaces the previous one whole (what it omits is the default).
 * Instance 0 is what FRR's `redistribute nhrp` picks up; another lets this
 * nhrpd share a zebra with another NHRP daemon.
 */
int nhrpd_cmd_zebra(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrpd_conf *c = x->ctx;
	const char *path = cmd_arg(a, "/PATH", 0);
	const char *inst = cmd_arg(a, "<0-65535>", 0);
	const char *dist = cmd_arg(a, "<1-255>", 0);

	if (path && strlen(path) >= sizeof(c->zebra_path)) {
		strbuf_printf(x->out, "nhrp zebra socket: path longer than %zu bytes",
		              sizeof(c->zebra_path) - 1);
		return -1;
	}
	c->zebra = a->def->id == CMD_NHRP_ZEBRA;
	strcpy(c->zebra_path, path ? path : NHRP_ZEBRA_DEFAULT_PATH);
	c->zebra_path_set = path != NULL;
	c->zebra_instance = 0;
	c->zebra_instance_set = inst && conf_parse_u32(inst, 0, 65535, &c->zebra_instance) == 0;
	c->zebra_distance = NHRP_ZEBRA_DEFAULT_DISTANCE;
	c->zebra_distance_set = dist && conf_parse_u32(dist, 1, 255, &c->zebra_distance) == 0;
	return 0;
}

/* network-id, holdtime, registration timeout, and their `no` forms. */
int nhrpd_cmd_number(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrp_iface_conf *ic = nhrpd_cmd_ic(x);
	const char *s = a->argc ? a->argv[a->argc - 1] : "";
	uint32_t v = 0;

	switch (a->def->id) {
	case CMD_NHRP_NETWORK_ID:
		conf_parse_u32(s, 1, UINT32_MAX, &v);
		/* fall through */
	case CMD_NO_NHRP_NETWORK_ID:
		ic->network_id = v;
		break;
	case CMD_NHRP_HOLDTIME:
		/* The CIE's Holding Time is 16 bits (RFC 2332 5.2.0.1). */
		if (conf_parse_u32(s, 1, 65535, &v) < 0) {
			strbuf_puts(x->out, "usage: ip nhrp holdtime <1-65535>");
			return -1;
		}
		ic->holdtime = v;
		ic->holdtime_set = true;
		break;
	case CMD_NO_NHRP_HOLDTIME:
		ic->holdtime = NHRP_DEFAULT_HOLDTIME;
		ic->holdtime_set = false;
		break;
	case CMD_NHRP_REGISTRATION_TIMEOUT:
		conf_parse_u32(s, 1, 65535, &v);
		/* fall through */
	default: /* CMD_NO_NHRP_REGISTRATION_TIMEOUT */
		ic->reg_timeout = v;
		break;
	}
	return 0;
}

/* The on/off lines: registration no-unique, redirect, shortcut, host-routes. */
int nhrpd_cmd_flag(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrp_iface_conf *ic = nhrpd_cmd_ic(x);
	enum cmd_id id = a->def->id;

	if (id == CMD_NHRP_REGISTRATION_NO_UNIQUE || id == CMD_NO_NHRP_REGISTRATION_NO_UNIQUE)
		ic->no_unique = id == CMD_NHRP_REGISTRATION_NO_UNIQUE;
	else if (id == CMD_NHRP_REDIRECT || id == CMD_NO_NHRP_REDIRECT)
		ic->redirect = id == CMD_NHRP_REDIRECT;
	else if (id == CMD_NHRP_SHORTCUT || id == CMD_NO_NHRP_SHORTCUT)
		ic->shortcut = id == CMD_NHRP_SHORTCUT;
	else
		ic->host_routes = id == CMD_NHRP_HOST_ROUTES;
	return 0;
}

/* ip nhrp nhs PROTO nbma NBMA [multicast] | no ip nhrp nhs PROTO */
int nhrpd_cmd_nhs(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrp_iface_conf *ic = nhrpd_cmd_ic(x);
	struct nhrp_nhs_conf n = {.line = x->lineno};
	char at[32];
	unsigned i;

	nhrpd_cmd_addr(a, "A.B.C.D", 0, &n.proto);
	for (i = 0; i < ic->nnhs; i++)
		if (ipaddr_equal(&ic->nhs[i].proto, &n.proto))
			break;
	if (a->def->id == CMD_NO_NHRP_NHS) {
		if (i == ic->nnhs) {
			strbuf_printf(x->out, "NHS %s is not configured", a->argv[4]);
			return -1;
		}
		memmove(&ic->nhs[i], &ic->nhs[i + 1], (ic->nnhs - i - 1) * sizeof(ic->nhs[0]));
		ic->nnhs--;
		return 0;
	}
	nhrpd_cmd_addr(a, "A.B.C.D", 1, &n.nbma);
	n.multicast = cmd_has(a, "multicast");
	if (i < ic->nnhs) {
		if (x->live && ipaddr_equal(&ic->nhs[i].nbma, &n.nbma) &&
		    ic->nhs[i].multicast == n.multicast)
			return 0;
		strbuf_printf(x->out, "NHS %s already configured%s%s", a->argv[3],
		              nhrpd_cmd_at(ic->nhs[i].line, at),
		              x->live ? ": 'no ip nhrp nhs' it first" : "");
		return -1;
	}
	if (i == NHRP_MAX_NHS) {
		strbuf_printf(x->out, "at most %d NHSes per interface", NHRP_MAX_NHS);
		return -1;
	}
	ic->nhs[ic->nnhs++] = n;
	return 0;
}

/* ip nhrp map PROTO NBMA | no ip nhrp map PROTO [NBMA] */
int nhrpd_cmd_map(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrp_iface_conf *ic = nhrpd_cmd_ic(x);
	struct nhrp_map_conf m = {.line = x->lineno};
	char at[32], b[IPADDR_STRLEN];
	unsigned i;

	nhrpd_cmd_addr(a, "A.B.C.D", 0, &m.proto);
	nhrpd_cmd_addr(a, "A.B.C.D", 1, &m.nbma);
	for (i = 0; i < ic->nmaps; i++)
		if (ipaddr_equal(&ic->maps[i].proto, &m.proto))
			break;
	if (a->def->id == CMD_NO_NHRP_MAP) {
		if (i == ic->nmaps) {
			strbuf_printf(x->out, "%s is not mapped", a->argv[4]);
			return -1;
		}
		if (ipaddr_is_set(&m.nbma) && !ipaddr_equal(&m.nbma, &ic->maps[i].nbma)) {
			strbuf_printf(x->out, "%s is mapped to %s, not %s", a->argv[4],
			              ipaddr_format(&ic->maps[i].nbma, b), a->argv[5]);
			return -1;
		}
		memmove(&ic->maps[i], &ic->maps[i + 1], (ic->nmaps - i - 1) * sizeof(ic->maps[0]));
		ic->nmaps--;
		return 0;
	}
	if (i < ic->nmaps) {
		if (x->live && ipaddr_equal(&ic->maps[i].nbma, &m.nbma))
			return 0;
		strbuf_printf(x->out, "%s already mapped to %s%s%s", a->argv[3],
		              ipaddr_format(&ic->maps[i].nbma, b),
		              nhrpd_cmd_at(ic->maps[i].line, at),
		              x->live ? ": 'no ip nhrp map' it first" : "");
		return -1;
	}
	if (i == NHRP_MAX_STATIC) {
		strbuf_printf(x->out, "at most %d static maps per interface", NHRP_MAX_STATIC);
		return -1;
	}
	ic->maps[ic->nmaps++] = m;
	return 0;
}

/* [no] ip nhrp map multicast dynamic|nhs|NBMA */
int nhrpd_cmd_map_multicast(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrp_iface_conf *ic = nhrpd_cmd_ic(x);
	bool on = a->def->id == CMD_NHRP_MAP_MULTICAST;
	struct ipaddr nbma;
	unsigned i;

	if (cmd_has(a, "dynamic")) {
		ic->mcast_dynamic = on;
		return 0;
	}
	if (cmd_has(a, "nhs")) {
		ic->mcast_nhs = on;
		return 0;
	}
	nhrpd_cmd_addr(a, "A.B.C.D", 0, &nbma);
	for (i = 0; i < ic->nmcast; i++)
		if (ipaddr_equal(&ic->mcast[i], &nbma))
			break;
	if (!on) {
		if (i == ic->nmcast) {
			strbuf_printf(x->out, "no multicast map to %s", a->argv[a->argc - 1]);
			return -1;
		}
		memmove(&ic->mcast[i], &ic->mcast[i + 1], (ic->nmcast - i - 1) * sizeof(nbma));
		ic->nmcast--;
		return 0;
	}
	if (i < ic->nmcast)
		return 0; /* once is enough: a copy per line would send twice */
	if (ic->nmcast == NHRP_MAX_MCAST_STATIC) {
		strbuf_printf(x->out, "at most %d multicast maps", NHRP_MAX_MCAST_STATIC);
		return -1;
	}
	ic->mcast[ic->nmcast++] = nbma;
	return 0;
}

/*
 * ip nhrp authentication PASSWORD | ip nhrp authentication file /PATH |
 * no ip nhrp authentication. `show running-config` hides an inline
 * password behind a marker; reading the marker back would set it as the
 * password, so it is refused.
 */
int nhrpd_cmd_authentication(struct cmd_exec *x, const struct cmd_args *a)
{
	struct nhrp_iface_conf *ic = nhrpd_cmd_ic(x);
	const char *pw = cmd_arg(a, "WORD", 0);
	size_t n;

	if (a->def->id == CMD_NHRP_AUTHENTICATION_FILE)
		return nhrpd_conf_read_auth_file(ic, cmd_arg(a, "/PATH", 0), x->out);
	if (a->def->id == CMD_NO_NHRP_AUTHENTICATION) {
		explicit_bzero(ic->auth, sizeof(ic->auth));
		ic->auth_len = 0;
		ic->auth_file[0] = '\0';
		return 0;
	}
	if (!strcmp(pw, NHRPD_SECRET_HIDDEN)) {
		strbuf_puts(x->out, "the secret was hidden by show running-config: give it again, "
		                    "or use 'ip nhrp authentication file'");
		return -1;
	}
	n = strlen(pw);
	if (n == 0 || n > NHRP_AUTH_MAX) {
		strbuf_printf(x->out, "usage: ip nhrp authentication STRING (1-%d characters)",
		              NHRP_AUTH_MAX);
		return -1;
	}
	explicit_bzero(ic->auth, sizeof(ic->auth));
	memcpy(ic->auth, pw, n);
	ic->auth_len = n;
	ic->auth_file[0] = '\0';
	return 0;
}
