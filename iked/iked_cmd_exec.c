/*
 * iked's operational commands (iked/iked.def; x->ctx is the daemon).
 *
 *   show version / show debugging / log level / [no] debug control
 *   show running-config [json] / show running-config secrets
 *   show crypto ikev2 sa [detail] [json] / show crypto ipsec sa [json]
 *   clear crypto ikev2 sa [peer A]        delete (INFORMATIONAL) or drop
 *   initiate PROFILE LOCAL REMOTE         start an IKE SA (nhrpd's API)
 *   rekey ike|child ID                    CREATE_CHILD_SA now
 *   [no] debug crypto ikev2
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"
#include "lib/cmd_conf.h"
#include "lib/ctl_cmd.h"

static int iked_exec_version(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_show_version(x, a, "iked");
}

static int iked_exec_running_config(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked *d = x->ctx;
	struct strbuf text;
	int rc;

	/* The key lives in its file, so both forms are the same text; the
	 * secrets form stays root only, as in every daemon. */
	strbuf_init(&text);
	iked_running_config(d->conf, &text);
	rc = ctl_cmd_running_config_reply(x, a, strbuf_str(&text));
	strbuf_free(&text);
	return rc;
}

static int iked_exec_show_ike(struct cmd_exec *x, const struct cmd_args *a)
{
	return iked_show_ike(x->ctx, cmd_has(a, "json"), cmd_has(a, "detail"), x->out);
}

static int iked_exec_show_ipsec(struct cmd_exec *x, const struct cmd_args *a)
{
	return iked_show_ipsec(x->ctx, cmd_has(a, "json"), x->out);
}

static int iked_exec_clear(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked *d = x->ctx;
	const char *s = cmd_arg(a, "A.B.C.D", 0);
	struct ipaddr peer = {0};
	unsigned cleared = 0;

	if (!s)
		s = cmd_arg(a, "X:X::X:X", 0);
	if (s && ipaddr_parse(s, &peer) < 0) {
		strbuf_puts(x->out, "usage: clear crypto ikev2 sa [peer A.B.C.D]\n");
		return -1;
	}
	for (struct ike_sa *sa = d->sas, *next; sa; sa = next) {
		next = sa->next;
		/* Already going: dead, being deleted, or replaced by a rekey
		 * (its Delete is the rekey's business). */
		if (sa->state == IKE_SA_DEAD || sa->state == IKE_SA_DELETING ||
		    sa->state == IKE_SA_REPLACED)
			continue;
		if (ipaddr_is_set(&peer) && !ipaddr_equal(&peer, &sa->remote))
			continue;
		ike_sa_delete(sa);
		cleared++;
	}
	strbuf_printf(x->out, "%u IKE SA%s cleared\n", cleared, cleared == 1 ? "" : "s");
	return 0;
}

static int iked_exec_initiate(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked *d = x->ctx;
	const struct iked_profile *p = iked_conf_profile(d->conf, cmd_arg(a, "WORD", 0));
	struct ipaddr local, remote;
	unsigned id;

	/* The underlay is IPv4 (ike_net.c). */
	if (ipaddr_parse(a->argv[2], &local) < 0 || ipaddr_parse(a->argv[3], &remote) < 0 ||
	    local.family != AF_INET || remote.family != AF_INET) {
		strbuf_puts(x->out, "usage: initiate PROFILE LOCAL-NBMA REMOTE-NBMA (IPv4)\n");
		return -1;
	}
	if (!p) {
		strbuf_printf(x->out, "%% no crypto ikev2 profile '%s'\n", a->argv[1]);
		return -1;
	}
	if (ike_initiate(d, p, &local, &remote, &id) < 0) {
		strbuf_puts(x->out, "% could not start the IKE SA\n");
		return -1;
	}
	strbuf_printf(x->out, "{\"id\":%u}\n", id);
	return 0;
}

static int iked_exec_rekey(struct cmd_exec *x, const struct cmd_args *a)
{
	struct iked *d = x->ctx;
	unsigned long id = strtoul(cmd_arg(a, "<1-4294967295>", 0), NULL, 10);
	struct ike_sa *sa = id <= UINT_MAX ? ike_sa_by_id(d, (unsigned)id) : NULL;
	int rc;

	if (!sa) {
		strbuf_printf(x->out, "%% no IKE SA %lu\n", id);
		return -1;
	}
	rc = cmd_has(a, "ike") ? ike_rekey_ike_start(sa) : ike_rekey_child_start(sa);
	if (rc < 0)
		strbuf_printf(x->out, "%% IKE SA %lu cannot be rekeyed now\n", id);
	return rc;
}

static int iked_exec_debug_ike(struct cmd_exec *x, const struct cmd_args *a)
{
	(void)x;
	log_set_category(LOG_CAT_IKE, a->def->id == CMD_DEBUG_CRYPTO_IKEV2);
	return 0;
}

static int iked_exec_show_debugging(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_show_debugging(x, a);
}

static int iked_exec_log_level(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_log_level(x, a);
}

static int iked_exec_debug_control(struct cmd_exec *x, const struct cmd_args *a)
{
	return ctl_cmd_debug_control(x, a);
}

void iked_cmd_exec_bind(struct cmd_binding *b)
{
	cmd_handler_fn *h = b->handlers;

	h[CMD_SHOW_VERSION] = iked_exec_version;
	h[CMD_SHOW_RUNNING_CONFIG] = iked_exec_running_config;
	h[CMD_SHOW_RUNNING_CONFIG_SECRETS] = iked_exec_running_config;
	h[CMD_SHOW_DEBUGGING] = iked_exec_show_debugging;
	h[CMD_SHOW_CRYPTO_IKEV2_SA] = iked_exec_show_ike;
	h[CMD_SHOW_CRYPTO_IPSEC_SA] = iked_exec_show_ipsec;
	h[CMD_CLEAR_CRYPTO_IKEV2_SA] = iked_exec_clear;
	h[CMD_INITIATE] = iked_exec_initiate;
	h[CMD_REKEY] = iked_exec_rekey;
	h[CMD_DEBUG_CRYPTO_IKEV2] = iked_exec_debug_ike;
	h[CMD_NO_DEBUG_CRYPTO_IKEV2] = iked_exec_debug_ike;
	h[CMD_DEBUG_CONTROL] = iked_exec_debug_control;
	h[CMD_NO_DEBUG_CONTROL] = iked_exec_debug_control;
	h[CMD_LOG_LEVEL] = iked_exec_log_level;
}
