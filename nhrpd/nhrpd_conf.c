/*
 * nhrpd's configuration as a whole, as data (nhrpd_conf_load.c reads it
 * with the command engine; the lines themselves are nhrpd_cmd_conf.c's):
 * the checks that span blocks, and the helpers the daemon asks it (which interfaces run, is
 * zebra wanted). Every block nhrpd owns is kept, run or not, so that
 * `show running-config` gives back what was configured. A configuration
 * is validated whole before any of it is applied; on an error nothing is
 * kept and no secret is left behind.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"
#include "nhrpd/nhrpd.h"

void nhrpd_conf_init(struct nhrpd_conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->zebra_path, NHRP_ZEBRA_DEFAULT_PATH);
	c->zebra_distance = NHRP_ZEBRA_DEFAULT_DISTANCE;
}

/* A new interface block (zeroed, named): the holding time in effect. */
static void nhrpd_conf_iface_init(struct tunnel_conf *t)
{
	struct nhrp_iface_conf *ic = (struct nhrp_iface_conf *)t; /* t is its first member */

	ic->holdtime = NHRP_DEFAULT_HOLDTIME;
}

const struct tunnel_conf_blocks nhrpd_tunnel_blocks = {
    .array_offset = offsetof(struct nhrpd_conf, ifaces),
    .count_offset = offsetof(struct nhrpd_conf, nifaces),
    .block_size = sizeof(struct nhrp_iface_conf),
    .max = NHRPD_CONF_MAX_IFACES,
    .block_init = nhrpd_conf_iface_init,
};

struct nhrp_iface_conf *nhrpd_conf_iface(const struct nhrpd_conf *c, const char *name)
{
	for (unsigned i = 0; i < c->nifaces; i++)
		if (!strcmp(c->ifaces[i].tun.name, name))
			return (struct nhrp_iface_conf *)&c->ifaces[i];
	return NULL;
}

/* Every `ip nhrp` line leaves a mark in one of these. */
bool nhrpd_conf_iface_has_nhrp(const struct nhrp_iface_conf *ic)
{
	return ic->network_id || ic->holdtime_set || ic->reg_timeout || ic->no_unique ||
	       ic->mcast_dynamic || ic->mcast_nhs || ic->nmcast || ic->redirect || ic->shortcut ||
	       ic->host_routes || ic->auth_len || ic->nnhs || ic->nmaps;
}

bool nhrpd_conf_iface_runs(const struct nhrp_iface_conf *ic)
{
	return ic->tun.multipoint && nhrpd_conf_iface_has_nhrp(ic);
}

const char *nhrpd_conf_iface_incomplete(const struct nhrp_iface_conf *ic)
{
	if (!tunnel_conf_has_source(&ic->tun))
		return "'tunnel source' is required for NHRP";
	if (!ipaddr_is_set(&ic->tun.addr))
		return "'ip address' is required for NHRP";
	return NULL;
}

unsigned nhrpd_conf_count_running(const struct nhrpd_conf *c)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->nifaces; i++)
		n += nhrpd_conf_iface_runs(&c->ifaces[i]);
	return n;
}

/* Shortcut routes and host routes go to zebra: connect for them too. */
bool nhrpd_conf_zebra_wanted(const struct nhrpd_conf *c)
{
	if (c->zebra)
		return true;
	for (unsigned i = 0; i < c->nifaces; i++)
		if (nhrpd_conf_iface_runs(&c->ifaces[i]) &&
		    (c->ifaces[i].shortcut || c->ifaces[i].host_routes))
			return true;
	return false;
}

/*
 * A file's NHRP interfaces must be whole (reported at the block's first
 * line); a live one may be incomplete: it is being typed line by line, and
 * runs only after a restart anyway (nhrpd_reconfigure says what it lacks).
 */
int nhrpd_conf_check(const struct nhrpd_conf *c, const char *name, struct strbuf *errors)
{
	unsigned n = 0;
	int rc = 0;

	for (unsigned i = 0; i < c->nifaces; i++) {
		const struct nhrp_iface_conf *ic = &c->ifaces[i];
		const char *why = nhrpd_conf_iface_incomplete(ic);

		if (!nhrpd_conf_iface_runs(ic))
			continue;
		if (name && why) {
			strbuf_printf(errors, "%s:%d: interface %s: %s\n", name, ic->tun.line,
			              ic->tun.name, why);
			rc = -1;
		}
		if (++n == NHRP_MAX_IFACES + 1) {
			if (name)
				strbuf_printf(errors, "%s:%d: ", name, ic->tun.line);
			strbuf_printf(errors, "at most %d NHRP interfaces\n", NHRP_MAX_IFACES);
			rc = -1;
		}
	}
	return rc;
}

void nhrpd_conf_wipe(struct nhrpd_conf *c)
{
	for (unsigned i = 0; i < NHRPD_CONF_MAX_IFACES; i++) {
		explicit_bzero(c->ifaces[i].auth, sizeof(c->ifaces[i].auth));
		c->ifaces[i].auth_len = 0;
	}
}

void nhrpd_conf_free(struct nhrpd_conf *c)
{
	if (!c)
		return;
	nhrpd_conf_wipe(c);
	free(c);
}
