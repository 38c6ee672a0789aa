/*
 * Live changes: a line from `configure terminal` (or the whole file again
 * on SIGHUP) is applied to a candidate, a copy of the running
 * configuration sharing its profiles; only a candidate that passed every
 * check replaces the running one (the daemon skeleton, lib/daemon.h, with
 * iked_daemon.c's table). Everything iked has is live:
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

void iked_reconfigure(struct iked *d, const struct iked_conf *old, const struct iked_conf *cand)
{
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
}
