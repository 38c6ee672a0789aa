/*
 * The IKE SA table: an SA is made (ike_sa_new), found by its SPIs, ended
 * (failed or deleted: ike_fsm.c's DEAD wipes its keys at once) and freed
 * when its linger timer says so, or when iked stops.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"

struct ike_sa *ike_sa_new(struct iked *d, const struct iked_profile *p, bool initiator,
                          const struct ipaddr *local, const struct ipaddr *remote, uint16_t rport)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->d = d;
	sa->id = ++d->next_sa_id;
	sa->profile = iked_profile_ref(p); /* this version, whatever the config becomes */
	sa->initiator = initiator;
	sa->local = *local;
	sa->remote = *remote;
	sa->rport = rport;
	sa->created_ms = clock_now_ms();
	ike_timers_init(sa);
	sa->next = d->sas;
	d->sas = sa;
	return sa;
}

void ike_sa_free(struct ike_sa *sa)
{
	struct ike_sa **pp;

	for (pp = &sa->d->sas; *pp; pp = &(*pp)->next)
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	ike_timers_stop(sa);
	/* iked stopping: what is up leaves the data plane, without a word. */
	if (child_sa_installed(&sa->child))
		ike_child_dataplane(sa, false);
	ike_request_wipe(&sa->req);
	ikev2_dh_free(sa->dh);
	ikev2_ike_keys_free(&sa->keys);
	ikev2_secret_free(&sa->child.keymat);
	OPENSSL_cleanse(sa->ni, sizeof(sa->ni));
	OPENSSL_cleanse(sa->nr, sizeof(sa->nr));
	free(sa->init_req);
	free(sa->init_resp);
	free(sa->last_resp);
	ike_frags_free(sa);
	iked_profile_unref(sa->profile);
	free(sa);
}

void ike_sa_fail(struct ike_sa *sa, const char *why)
{
	char a[IPADDR_STRLEN];

	if (sa->state == IKE_SA_DEAD)
		return;
	log_msg(LOG_LVL_WARN, LOG_CAT_IKE, "IKE SA %u with %s: %s", sa->id,
	        ipaddr_format(&sa->remote, a), why);
	snprintf(sa->error, sizeof(sa->error), "%s", why);
	ike_sa_fsm(sa, IKE_EV_FAILED);
}

void ike_sa_deleted(struct ike_sa *sa, const char *text)
{
	ike_sa_fsm(sa, IKE_EV_DELETED);
	snprintf(sa->error, sizeof(sa->error), "%s", text);
}

struct ike_sa *ike_sa_find(struct iked *d, uint64_t ispi, uint64_t rspi)
{
	for (struct ike_sa *sa = d->sas; sa; sa = sa->next)
		if (sa->ispi == ispi && sa->rspi == rspi && sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_find_init(struct iked *d, uint64_t ispi, const struct ipaddr *remote,
                                bool initiator)
{
	for (struct ike_sa *sa = d->sas; sa; sa = sa->next)
		if (sa->ispi == ispi && sa->initiator == initiator &&
		    ipaddr_equal(&sa->remote, remote) && sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_by_id(struct iked *d, unsigned id)
{
	for (struct ike_sa *sa = d->sas; sa; sa = sa->next)
		if (sa->id == id)
			return sa;
	return NULL;
}
