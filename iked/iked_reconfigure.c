/*
 * Live changes: a line from `configure terminal` (or the whole file again
 * on SIGHUP) is applied to a candidate, a copy of the running
 * configuration sharing its profiles; only a candidate that passed every
 * check replaces the running one. Everything iked has is live:
 *
 *   cookie-challenge   the next IKE_SA_INIT is counted against it
 *   a profile added    it answers and initiates at once
 *   a profile changed  new SAs (IKE_SA_INIT we send or answer, `initiate`)
 *                      use the new version; an existing SA keeps the
 *                      version it was negotiated under (its reference),
 *                      through its rekeys too (a rekey continues the SA:
 *                      RFC 7296 2.18, same authentication), until it ends
 *                      or `clear crypto ikev2 sa` (then a new SA uses the
 *                      new version). Its lifetime and dpd timers as well.
 *   a profile removed  no new SA uses it; its SAs run on until they end
 *                      or are cleared, holding their version.
 *
 * So nothing needs a restart, and no SA ever sees a profile change under
 * it or disappear (iked.h: profiles are counted and copied on change).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "iked/iked.h"
#include "lib/cmd_conf.h"

struct iked_conf *iked_conf_candidate(const struct iked_conf *running, const char *header,
                                      const char *line, struct strbuf *out)
{
	struct iked_conf *cand = iked_conf_dup(running);
	struct strbuf why;
	int rc;

	if (!cand) {
		strbuf_puts(out, "% out of memory\n");
		return NULL;
	}
	strbuf_init(&why);
	rc = cmd_conf_apply(iked_binding(), cand, header, line, &why);
	if (rc == 0)
		rc = iked_conf_check(cand, &why);
	if (rc == 1) {
		strbuf_printf(out, "%% not an iked command: %s\n", line);
	} else if (rc < 0) {
		/* The engine's reasons start with "% ", the handlers' do not. */
		while (why.len && why.s[why.len - 1] == '\n')
			why.s[--why.len] = '\0';
		strbuf_printf(out, "%s%s\n", why.len && why.s[0] == '%' ? "" : "% ",
		              why.len ? strbuf_str(&why) : "refused");
	}
	strbuf_free(&why);
	if (rc != 0) {
		iked_conf_free(cand);
		return NULL;
	}
	return cand;
}

/* Same content (the header's line number aside)? */
static bool iked_profile_same(const struct iked_profile *a, const struct iked_profile *b)
{
	struct iked_profile x, y;
	bool same;

	x = *a;
	y = *b;
	x.refs = y.refs = 0;
	x.line = y.line = 0;
	same = !memcmp(&x, &y, sizeof(x));
	OPENSSL_cleanse(&x, sizeof(x));
	OPENSSL_cleanse(&y, sizeof(y));
	return same;
}

void iked_conf_replace(struct iked_conf *running, struct iked_conf *cand)
{
	/* A profile the line did not change stays the same object (its
	 * header copied it): SAs and the log see no version change. */
	for (unsigned i = 0; i < cand->nprofiles; i++) {
		const struct iked_profile *old =
		    iked_conf_profile(running, cand->profiles[i]->name);

		if (old && old != cand->profiles[i] && iked_profile_same(old, cand->profiles[i])) {
			iked_profile_unref(cand->profiles[i]);
			cand->profiles[i] = (struct iked_profile *)iked_profile_ref(old);
		}
	}
	iked_conf_wipe(running);
	*running = *cand;
	free(cand);
}

/* How many SAs hold this version. */
static unsigned iked_profile_sas(const struct iked *d, const struct iked_profile *p)
{
	unsigned n = 0;

	for (const struct ike_sa *sa = d->sas; sa; sa = sa->next)
		n += sa->profile == p && sa->state != IKE_SA_DEAD;
	return n;
}

/* Make cand the running configuration, saying what changed. */
static void iked_reconfigure(struct iked *d, struct iked_conf *cand)
{
	const struct iked_conf *old = d->conf;
	unsigned sas;

	if (old->cookie_threshold != cand->cookie_threshold)
		log_notice("cookie-challenge: %u half-open SAs (was %u)", cand->cookie_threshold,
		           old->cookie_threshold);
	for (unsigned i = 0; i < old->nprofiles; i++) {
		const struct iked_profile *p = old->profiles[i];
		const struct iked_profile *n = iked_conf_profile(cand, p->name);

		if (n && (n == p || iked_profile_same(n, p)))
			continue;
		sas = iked_profile_sas(d, p);
		log_notice("profile %s %s; %u SA%s up under it keep%s the version they were "
		           "negotiated under until cleared",
		           p->name, n ? "changed: new SAs use the new version" : "removed", sas,
		           sas == 1 ? "" : "s", sas == 1 ? "s" : "");
	}
	for (unsigned i = 0; i < cand->nprofiles; i++)
		if (!iked_conf_profile(old, cand->profiles[i]->name))
			log_notice("profile %s added", cand->profiles[i]->name);
	iked_conf_replace(d->conf, cand);
}

int iked_reconfigure_line(struct iked *d, bool apply, const char *header, const char *line,
                          struct strbuf *out)
{
	struct iked_conf *cand = iked_conf_candidate(d->conf, header, line, out);

	if (!cand)
		return -1;
	if (!apply) {
		iked_conf_free(cand); /* configure-check: nothing changes */
		return 0;
	}
	iked_reconfigure(d, cand);
	return 0;
}

void iked_reload(void *arg)
{
	struct iked *d = arg;
	struct iked_conf *cand = calloc(1, sizeof(*cand));
	struct strbuf errors;

	if (!cand) {
		log_err("SIGHUP: out of memory; configuration unchanged");
		return;
	}
	strbuf_init(&errors);
	if (iked_conf_load(d->conf_path, cand, &errors) < 0) {
		/* One log line per error, as -n prints them. */
		log_lines(LOG_LVL_ERR, "SIGHUP: ", strbuf_str(&errors));
		log_err("SIGHUP: %s not applied; the running configuration is unchanged",
		        d->conf_path);
		strbuf_free(&errors);
		free(cand);
		return;
	}
	strbuf_free(&errors);
	log_notice("SIGHUP: %s read again", d->conf_path);
	iked_reconfigure(d, cand);
}
