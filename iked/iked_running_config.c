/*
 * show running-config: iked's part of the configuration as the file would
 * hold it. Top-level lines first (grammar order), then each profile block
 * in the order they were made, its lines in one canonical order, each only
 * when it was configured (defaults are not printed), then "!". Reading the
 * text back gives the same configuration (tests/unit/test_iked_conf.c).
 * The PSK stays in its file: only the path is printed.
 */
#include "iked/iked.h"

static void iked_rc_identity(struct strbuf *o, const char *prefix, const struct iked_identity *id)
{
	char a[IPADDR_STRLEN];

	switch (id->type) {
	case IKED_ID_ANY:
		strbuf_printf(o, " %s any\n", prefix);
		break;
	case IKED_ID_ADDRESS_AUTO:
		strbuf_printf(o, " %s address\n", prefix);
		break;
	case IKED_ID_ADDRESS:
		strbuf_printf(o, " %s address %s\n", prefix, ipaddr_format(&id->addr, a));
		break;
	case IKED_ID_FQDN:
		strbuf_printf(o, " %s fqdn %s\n", prefix, id->value);
		break;
	case IKED_ID_KEY_ID:
		strbuf_printf(o, " %s key-id %s\n", prefix, id->value);
		break;
	default:
		break;
	}
}

static void iked_rc_profile(const struct iked_profile *p, struct strbuf *o)
{
	char a[IPADDR_STRLEN];

	strbuf_printf(o, "crypto ikev2 profile %s\n", p->name);
	if (p->psk_len)
		strbuf_printf(o, " authentication pre-shared-key file %s\n", p->psk_path);
	for (unsigned i = 0; p->set.ike && i < p->n_ike; i++)
		strbuf_printf(o, " proposal %s\n", p->ike[i].text);
	for (unsigned i = 0; p->set.esp && i < p->n_esp; i++)
		strbuf_printf(o, " esp-proposal %s\n", p->esp[i].text);
	if (p->set.local_id)
		iked_rc_identity(o, "identity local", &p->local_id);
	if (p->set.remote_id)
		iked_rc_identity(o, "match identity remote", &p->remote_id);
	if (p->set.remote_addr)
		strbuf_printf(o, " match address remote %s\n",
		              ipaddr_is_set(&p->remote_addr) ? ipaddr_format(&p->remote_addr, a)
		                                             : "any");
	if (p->set.ike_lifetime)
		strbuf_printf(o, " lifetime ike %u\n", p->ike_lifetime);
	if (p->set.child_lifetime)
		strbuf_printf(o, " lifetime child %u\n", p->child_lifetime);
	if (p->set.dpd)
		strbuf_printf(o, " dpd %u\n", p->dpd);
	if (p->set.mode)
		strbuf_printf(o, " mode %s\n", p->tunnel_mode ? "tunnel" : "transport");
	strbuf_puts(o, "!\n");
}

void iked_running_config(const struct iked_conf *c, struct strbuf *out)
{
	if (c->cookie_set)
		strbuf_printf(out, "crypto ikev2 cookie-challenge %u\n", c->cookie_threshold);
	for (unsigned i = 0; i < c->nprofiles; i++)
		iked_rc_profile(c->profiles[i], out);
}
