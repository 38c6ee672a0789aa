/*
 * The handlers of iked's configuration lines (iked/iked.def): the
 * grammar has checked the words, types and ranges; these check what it
 * cannot (proposal strings, lengths, the PSK file) and change only the
 * configuration they are given (x->ctx: a candidate, or the one being
 * read), so a refused line changes nothing that runs. The profile lines
 * get their profile in x->block_ctx, made private to the candidate by the
 * block's header (iked_conf_profile_edit).
 */
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"
#include "lib/cmd_conf.h"

#define IKED_IKE_EXAMPLE "expected e.g. aes256gcm16-prfsha384-x25519, aes128-sha256-ecp256"
#define IKED_ESP_EXAMPLE "expected e.g. aes256gcm16, chacha20poly1305, aes128-sha256"

static int iked_cmd_cookie(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_conf *c = x->ctx;

	if (a->def->id == CMD_NO_CRYPTO_IKEV2_COOKIE) {
		c->cookie_threshold = IKED_COOKIE_DEFAULT;
		c->cookie_set = false;
	} else {
		c->cookie_threshold = (uint32_t)strtoul(cmd_arg(a, "<0-65535>", 0), NULL, 10);
		c->cookie_set = true;
	}
	return 0;
}

static int iked_cmd_profile(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_conf *c = x->ctx;
	const char *name = cmd_arg(a, "WORD", 0);
	struct iked_profile *p;

	/* As in IOS, the header again continues the profile's block, in a
	 * file as live; it keeps the line where it was first defined. */
	bool known = iked_conf_profile(c, name) != NULL;

	p = iked_conf_profile_edit(c, name, true, x->out);
	if (!p)
		return -1;
	if (!x->live && !known)
		p->line = x->lineno;
	x->block_ctx = p;
	return 0;
}

static int iked_cmd_no_profile(struct cmd_exec *x, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "WORD", 0);

	/* Its SAs keep their reference (iked.h): they run on until they end
	 * or are cleared. */
	if (iked_conf_profile_remove(x->ctx, name) < 0) {
		strbuf_printf(x->out, "no crypto ikev2 profile %s", name);
		return -1;
	}
	return 0;
}

/* Whole-block validity: after the block in a file, after each live line. */
static int iked_cmd_profile_end(struct cmd_exec *x)
{
	const struct iked_profile *p = x->block_ctx;

	if (x->block->def->id != CMD_CRYPTO_IKEV2_PROFILE || iked_profile_usable(p))
		return 0;
	strbuf_printf(x->out, "profile %s: 'authentication pre-shared-key file' is required%s",
	              p->name, x->live ? " (set it first)" : "");
	return -1;
}

static int iked_cmd_psk(struct cmd_exec *x, const struct cmd_args *a)
{
	/* Read now, file or live: a bad file refuses the line. */
	return iked_profile_read_psk(x->block_ctx, cmd_arg(a, "/PATH", 0), x->out);
}

static int iked_cmd_proposal(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;
	bool esp = a->def->id == CMD_IKE_ESP_PROPOSAL;
	struct iked_proposal *list = esp ? p->esp : p->ike, pr;
	unsigned *n = esp ? &p->n_esp : &p->n_ike;
	bool *set = esp ? &p->set.esp : &p->set.ike;
	const char *s = cmd_arg(a, "WORD", 0);

	if (iked_proposal_parse(s, esp, &pr) < 0) {
		strbuf_printf(x->out, "%s '%s': %s", a->argv[0], s,
		              esp ? IKED_ESP_EXAMPLE : IKED_IKE_EXAMPLE);
		return -1;
	}
	if (!*set) {
		*n = 0; /* the first configured one replaces the default */
		*set = true;
	}
	/* Again the same one: nothing to do (pasting a running-config back
	 * must not double the list). */
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp(list[i].text, pr.text))
			return 0;
	if (*n == IKED_MAX_PROPOSALS) {
		strbuf_printf(x->out, "at most %d %ss", IKED_MAX_PROPOSALS, a->argv[0]);
		return -1;
	}
	list[(*n)++] = pr;
	return 0;
}

static int iked_cmd_no_proposal(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;
	bool esp = a->def->id == CMD_NO_IKE_ESP_PROPOSAL;
	struct iked_proposal *list = esp ? p->esp : p->ike, pr;
	unsigned *n = esp ? &p->n_esp : &p->n_ike, i = 0;
	bool *set = esp ? &p->set.esp : &p->set.ike;
	const char *s = cmd_arg(a, "WORD", 0);

	if (s) {
		/* Named in any spelling: compared in the canonical one. */
		if (iked_proposal_parse(s, esp, &pr) < 0) {
			strbuf_printf(x->out, "%s '%s': %s", a->argv[1], s,
			              esp ? IKED_ESP_EXAMPLE : IKED_IKE_EXAMPLE);
			return -1;
		}
		while (*set && i < *n && strcmp(list[i].text, pr.text))
			i++;
		if (!*set || i == *n) {
			strbuf_printf(x->out, "%s %s is not configured", a->argv[1], pr.text);
			return -1;
		}
		memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(list[0]));
		if (--*n > 0)
			return 0;
	}
	/* None left: the default again. */
	iked_proposal_parse(esp ? IKED_ESP_DEFAULT : IKED_IKE_DEFAULT, esp, &list[0]);
	*n = 1;
	*set = false;
	return 0;
}

/* identity local ... / match identity remote ...: the value, if any. */
static int iked_cmd_id_value(struct cmd_exec *x, const struct cmd_args *a, enum iked_id_type type,
                             struct iked_identity *id)
{
	const char *v = cmd_arg(a, "WORD", 0);
	const char *addr = cmd_arg(a, "A.B.C.D", 0);

	if (!addr)
		addr = cmd_arg(a, "X:X::X:X", 0);
	memset(id, 0, sizeof(*id));
	id->type = type;
	if (type == IKED_ID_ADDRESS && !addr)
		id->type = IKED_ID_ADDRESS_AUTO;
	else if (type == IKED_ID_ADDRESS && ipaddr_parse(addr, &id->addr) < 0)
		return -1; /* the grammar said it was one */
	if (v) {
		if (strlen(v) >= sizeof(id->value)) {
			strbuf_printf(x->out, "identity '%s': longer than %zu characters", v,
			              sizeof(id->value) - 1);
			return -1;
		}
		strcpy(id->value, v);
	}
	return 0;
}

static int iked_cmd_identity_local(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;
	struct iked_identity id;
	enum iked_id_type t = a->def->id == CMD_IKE_IDENTITY_LOCAL_FQDN     ? IKED_ID_FQDN
	                      : a->def->id == CMD_IKE_IDENTITY_LOCAL_KEY_ID ? IKED_ID_KEY_ID
	                                                                    : IKED_ID_ADDRESS;

	if (a->def->id == CMD_NO_IKE_IDENTITY_LOCAL) {
		memset(&p->local_id, 0, sizeof(p->local_id));
		p->local_id.type = IKED_ID_ADDRESS_AUTO;
		p->set.local_id = false;
		return 0;
	}
	if (iked_cmd_id_value(x, a, t, &id) < 0)
		return -1;
	p->local_id = id;
	p->set.local_id = true;
	return 0;
}

static int iked_cmd_match_id(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;
	struct iked_identity id;
	enum iked_id_type t;

	switch (a->def->id) {
	case CMD_NO_IKE_MATCH_ID:
		memset(&p->remote_id, 0, sizeof(p->remote_id));
		p->remote_id.type = IKED_ID_ANY;
		p->set.remote_id = false;
		return 0;
	case CMD_IKE_MATCH_ID_ANY:
		t = IKED_ID_ANY;
		break;
	case CMD_IKE_MATCH_ID_FQDN:
		t = IKED_ID_FQDN;
		break;
	case CMD_IKE_MATCH_ID_KEY_ID:
		t = IKED_ID_KEY_ID;
		break;
	default:
		t = IKED_ID_ADDRESS;
		break;
	}
	if (iked_cmd_id_value(x, a, t, &id) < 0)
		return -1;
	p->remote_id = id;
	p->set.remote_id = true;
	return 0;
}

static int iked_cmd_match_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;
	const char *addr = cmd_arg(a, "A.B.C.D", 0);

	memset(&p->remote_addr, 0, sizeof(p->remote_addr));
	p->set.remote_addr = a->def->id == CMD_IKE_MATCH_ADDRESS;
	if (!addr)
		addr = cmd_arg(a, "X:X::X:X", 0);
	if (p->set.remote_addr && addr && ipaddr_parse(addr, &p->remote_addr) < 0) {
		strbuf_printf(x->out, "match address remote: '%s' is not an address", addr);
		return -1;
	}
	return 0;
}

static int iked_cmd_lifetime(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;
	bool ike = cmd_has(a, "ike");
	bool no = a->def->id == CMD_NO_IKE_LIFETIME;
	uint32_t v = no ? (ike ? IKED_IKE_LIFETIME : IKED_CHILD_LIFETIME)
	                : (uint32_t)strtoul(cmd_arg(a, "<60-86400>", 0), NULL, 10);

	if (ike) {
		p->ike_lifetime = v;
		p->set.ike_lifetime = !no;
	} else {
		p->child_lifetime = v;
		p->set.child_lifetime = !no;
	}
	return 0;
}

static int iked_cmd_dpd(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;

	p->set.dpd = a->def->id == CMD_IKE_DPD;
	p->dpd = p->set.dpd ? (uint32_t)strtoul(cmd_arg(a, "<0-3600>", 0), NULL, 10) : 0;
	return 0;
}

static int iked_cmd_mode(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked_profile *p = x->block_ctx;

	p->set.mode = a->def->id == CMD_IKE_MODE;
	p->tunnel_mode = p->set.mode && cmd_has(a, "tunnel");
	return 0;
}

void iked_cmd_conf_bind(struct cmd_binding *b)
{
	cmd_handler_fn *h = b->handlers;

	h[CMD_CRYPTO_IKEV2_COOKIE] = iked_cmd_cookie;
	h[CMD_NO_CRYPTO_IKEV2_COOKIE] = iked_cmd_cookie;
	h[CMD_CRYPTO_IKEV2_PROFILE] = iked_cmd_profile;
	h[CMD_NO_CRYPTO_IKEV2_PROFILE] = iked_cmd_no_profile;
	h[CMD_IKE_PSK_FILE] = iked_cmd_psk;
	h[CMD_IKE_PROPOSAL] = iked_cmd_proposal;
	h[CMD_IKE_ESP_PROPOSAL] = iked_cmd_proposal;
	h[CMD_NO_IKE_PROPOSAL] = iked_cmd_no_proposal;
	h[CMD_NO_IKE_ESP_PROPOSAL] = iked_cmd_no_proposal;
	h[CMD_IKE_IDENTITY_LOCAL_ADDRESS] = iked_cmd_identity_local;
	h[CMD_IKE_IDENTITY_LOCAL_FQDN] = iked_cmd_identity_local;
	h[CMD_IKE_IDENTITY_LOCAL_KEY_ID] = iked_cmd_identity_local;
	h[CMD_NO_IKE_IDENTITY_LOCAL] = iked_cmd_identity_local;
	h[CMD_IKE_MATCH_ID_ANY] = iked_cmd_match_id;
	h[CMD_IKE_MATCH_ID_ADDRESS] = iked_cmd_match_id;
	h[CMD_IKE_MATCH_ID_FQDN] = iked_cmd_match_id;
	h[CMD_IKE_MATCH_ID_KEY_ID] = iked_cmd_match_id;
	h[CMD_NO_IKE_MATCH_ID] = iked_cmd_match_id;
	h[CMD_IKE_MATCH_ADDRESS] = iked_cmd_match_address;
	h[CMD_NO_IKE_MATCH_ADDRESS] = iked_cmd_match_address;
	h[CMD_IKE_LIFETIME] = iked_cmd_lifetime;
	h[CMD_NO_IKE_LIFETIME] = iked_cmd_lifetime;
	h[CMD_IKE_DPD] = iked_cmd_dpd;
	h[CMD_NO_IKE_DPD] = iked_cmd_dpd;
	h[CMD_IKE_MODE] = iked_cmd_mode;
	h[CMD_NO_IKE_MODE] = iked_cmd_mode;
	b->block_end = iked_cmd_profile_end;
}
