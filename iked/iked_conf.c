/*
 * The part of dmvpn.conf that iked owns (the crypto ikev2 lines), as data: copies,
 * profiles, the whole-config checks. It is read with the command engine
 * (iked_conf_load.c; the lines' handlers are in iked_cmd_conf.c):
 *
 *   crypto ikev2 cookie-challenge <0-65535>
 *   crypto ikev2 profile DMVPN
 *    authentication pre-shared-key file /etc/dmvpn/psk
 *    proposal aes256gcm16-prfsha384-x25519     ! IKE, repeatable, in preference order
 *    esp-proposal aes256gcm16                   ! CHILD_SA, repeatable
 *    identity local address|fqdn NAME|key-id ID ! default: address
 *    match identity remote any|address A|fqdn NAME|key-id ID
 *    match address remote any|A.B.C.D
 *    lifetime ike <60-86400> / lifetime child <60-86400>   ! seconds
 *    dpd <0-3600>                               ! liveness check interval, 0 off
 *    mode transport|tunnel
 *
 * Everything is validated into a struct iked_conf before any of it is
 * applied; a configuration holds one reference to each of its profiles.
 */
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"

void iked_conf_wipe(struct iked_conf *c)
{
	for (unsigned i = 0; i < c->nprofiles; i++)
		iked_profile_unref(c->profiles[i]);
	memset(c, 0, sizeof(*c));
}

struct iked_conf *iked_conf_dup(const struct iked_conf *c)
{
	struct iked_conf *n = malloc(sizeof(*n));

	if (!n)
		return NULL;
	*n = *c;
	for (unsigned i = 0; i < n->nprofiles; i++)
		iked_profile_ref(n->profiles[i]);
	return n;
}

void iked_conf_free(struct iked_conf *c)
{
	if (!c)
		return;
	iked_conf_wipe(c);
	free(c);
}

static int iked_conf_index(const struct iked_conf *c, const char *name)
{
	for (unsigned i = 0; i < c->nprofiles; i++)
		if (!strcmp(c->profiles[i]->name, name))
			return (int)i;
	return -1;
}

const struct iked_profile *iked_conf_profile(const struct iked_conf *c, const char *name)
{
	int i = iked_conf_index(c, name);

	return i < 0 ? NULL : c->profiles[i];
}

struct iked_profile *iked_conf_profile_edit(struct iked_conf *c, const char *name, bool create,
                                            struct strbuf *why)
{
	int i = iked_conf_index(c, name);
	struct iked_profile *p;

	if (i >= 0) {
		p = c->profiles[i];
		if (p->refs == 1)
			return p;
		/* Shared with the running configuration or an SA: change a
		 * copy, the others keep the version they have. */
		p = iked_profile_clone(p);
		if (!p) {
			strbuf_puts(why, "out of memory");
			return NULL;
		}
		iked_profile_unref(c->profiles[i]);
		c->profiles[i] = p;
		return p;
	}
	if (!create) {
		strbuf_printf(why, "no crypto ikev2 profile %s", name);
		return NULL;
	}
	if (strlen(name) >= sizeof(p->name)) {
		strbuf_printf(why, "profile name '%s': up to %zu characters", name,
		              sizeof(p->name) - 1);
		return NULL;
	}
	if (c->nprofiles == IKED_MAX_PROFILES) {
		strbuf_printf(why, "at most %d profiles", IKED_MAX_PROFILES);
		return NULL;
	}
	p = iked_profile_new(name);
	if (!p) {
		strbuf_puts(why, "out of memory");
		return NULL;
	}
	c->profiles[c->nprofiles++] = p;
	return p;
}

int iked_conf_profile_remove(struct iked_conf *c, const char *name)
{
	int i = iked_conf_index(c, name);

	if (i < 0)
		return -1;
	iked_profile_unref(c->profiles[i]);
	memmove(&c->profiles[i], &c->profiles[i + 1],
	        (c->nprofiles - (unsigned)i - 1) * sizeof(c->profiles[0]));
	c->profiles[--c->nprofiles] = NULL;
	return 0;
}

int iked_conf_check(struct iked_conf *c, struct strbuf *why)
{
	/*
	 * A profile without a key can only be one whose header was just
	 * typed alone (`crypto ikev2 profile NEW` entering the node): every
	 * line inside a block is checked by iked_cmd_profile_end, which
	 * wants the key. Such a profile is not kept; its first line (the
	 * key) creates it.
	 */
	for (unsigned i = 0; i < c->nprofiles;)
		if (!iked_profile_usable(c->profiles[i]))
			iked_conf_profile_remove(c, c->profiles[i]->name);
		else
			i++;
	(void)why;
	return 0;
}
