/*
 * Next-hop client: registration with each configured NHS (RFC 2332 5.2.3,
 * 5.2.4), one state machine per NHS.
 *
 *   DOWN     not registered. A request is sent, and resent with capped,
 *            jittered backoff until a reply comes.
 *   UP       registered. The registration is refreshed every third of the
 *            holding time the NHS granted (at most ours), or every
 *            `ip nhrp registration timeout`.
 *   PROBING  registered, but the last refresh has not been answered; sent
 *            again with backoff. Once the holding time has passed since
 *            the last reply, the NHS has forgotten us: DOWN.
 *
 * Events: START (interface attached, or what we register changed:
 * holding time, uniqueness, password, interval), TIMER, REPLY_OK, REPLY_REFUSED
 * (a CIE code other than success: "unique address already registered",
 * "administratively prohibited", "insufficient resources"), STOP. A
 * restarted NHS answers the next refresh or retry, so re-registration
 * needs nothing special.
 */
#include <stdlib.h>
#include <string.h>

#include "nhrpd/nhrpd.h"

static const char *const nhrp_nhs_state_names[] = {
    [NHRP_NHS_DOWN] = "down",
    [NHRP_NHS_PROBING] = "probing",
    [NHRP_NHS_UP] = "up",
};

static const char *const nhrp_nhs_event_names[NHRP_NHS_EVENT_COUNT] = {
    [NHRP_NHS_EV_START] = "start",       [NHRP_NHS_EV_TIMER] = "timer",
    [NHRP_NHS_EV_REPLY_OK] = "reply-ok", [NHRP_NHS_EV_REPLY_REFUSED] = "reply-refused",
    [NHRP_NHS_EV_STOP] = "stop",
};

const char *nhrp_nhs_state_name(enum nhrp_nhs_state s)
{
	return (unsigned)s <= NHRP_NHS_UP ? nhrp_nhs_state_names[s] : "unknown";
}

const char *nhrp_nhs_event_name(enum nhrp_nhs_event ev)
{
	return (unsigned)ev < NHRP_NHS_EVENT_COUNT ? nhrp_nhs_event_names[ev] : "unknown";
}

static void nhrp_nhs_timer_fn(struct timer *t, void *arg)
{
	(void)t;
	nhrp_nhs_fsm(arg, NHRP_NHS_EV_TIMER);
}

struct nhrp_nhs *nhrp_nhs_new(struct nhrp_iface *ifp, const struct nhrp_nhs_conf *c)
{
	struct nhrp_nhs *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->ifp = ifp;
	n->conf = *c;
	backoff_init(&n->backoff, NHRP_NHS_RETRY_BASE_MS, NHRP_NHS_RETRY_CAP_MS);
	timer_init(&n->timer, ifp->d->loop, nhrp_nhs_timer_fn, n);
	return n;
}

void nhrp_nhs_free(struct nhrp_nhs *n)
{
	if (!n)
		return;
	nhrp_nhs_fsm(n, NHRP_NHS_EV_STOP);
	free(n);
}

/*
 * How long our binding lasts at the NHS: what it granted, which is at most
 * what we asked for (an NHS may grant less: RFC 2332 5.2.0.1, the CIE's
 * holding time is what the binding is valid for).
 */
static uint32_t nhrp_nhs_holding_s(const struct nhrp_nhs *n)
{
	uint32_t s = n->ifp->conf.holdtime;

	return n->granted && n->granted < s ? n->granted : s;
}

static uint32_t nhrp_nhs_refresh_ms(const struct nhrp_nhs *n)
{
	const struct nhrp_iface_conf *c = &n->ifp->conf;
	uint32_t s = c->reg_timeout ? c->reg_timeout : nhrp_nhs_holding_s(n) / 3;

	return jitter_ms((s ? s : 1) * 1000, 5);
}

static void nhrp_nhs_send(struct nhrp_nhs *n)
{
	struct nhrp_iface *ifp = n->ifp;
	struct nhrp_packet p;
	struct nhrp_cie *cie;

	nhrp_packet_init(ifp, &p, NHRP_REGISTRATION_REQUEST);
	p.dst_proto = n->conf.proto;
	p.request_id = n->request_id = nhrp_next_request_id(ifp->d);
	if (!ifp->conf.no_unique)
		p.flags |= NHRP_FLAG_REG_U;
	p.n_cie = 1;
	cie = &p.cie[0];
	cie->code = NHRP_CODE_SUCCESS;
	/* RFC 2332 5.2.3: a unique registration's prefix length is 0xFF. */
	cie->prefix_len =
	    ifp->conf.no_unique ? nhrp_host_plen(&ifp->conf.tun.addr) : NHRP_PREFIX_UNIQUE;
	cie->holding_time = nhrp_iface_holdtime(ifp);
	cie->mtu = nhrp_iface_mtu(ifp);
	cie->nbma = ifp->nbma;
	cie->proto = ifp->conf.tun.addr;
	nhrp_packet_add_request_exts(ifp, &p);
	n->sent_ms = clock_now_ms();
	n->requests++;
	nhrp_send(ifp, &p, &n->conf.nbma);
}

static void nhrp_nhs_set_state(struct nhrp_nhs *n, enum nhrp_nhs_state to, enum nhrp_nhs_event ev)
{
	char a[IPADDR_STRLEN];

	if (n->state == to)
		return;
	log_msg(to == NHRP_NHS_UP ? LOG_LVL_NOTICE : LOG_LVL_WARN, LOG_CAT_NHRP,
	        "%s: NHS %s %s -> %s (%s)", n->ifp->conf.tun.name, ipaddr_format(&n->conf.proto, a),
	        nhrp_nhs_state_name(n->state), nhrp_nhs_state_name(to), nhrp_nhs_event_name(ev));
	n->state = to;
	n->transitions++;
	n->up_since_ms = to == NHRP_NHS_UP ? clock_now_ms() : 0;
}

/* Is a request outstanding (sent after the last reply)? */
static bool nhrp_nhs_waiting(const struct nhrp_nhs *n)
{
	return n->request_id != 0;
}

void nhrp_nhs_fsm(struct nhrp_nhs *n, enum nhrp_nhs_event ev)
{
	uint64_t now = clock_now_ms();
	uint64_t hold_ms = (uint64_t)nhrp_nhs_holding_s(n) * 1000;

	switch (ev) {
	case NHRP_NHS_EV_START:
		backoff_reset(&n->backoff);
		n->missed = 0;
		nhrp_nhs_send(n);
		timer_start_ms(&n->timer, backoff_next(&n->backoff));
		break;
	case NHRP_NHS_EV_TIMER:
		if (nhrp_nhs_waiting(n)) {
			n->missed++;
			if (n->state == NHRP_NHS_UP)
				nhrp_nhs_set_state(n, NHRP_NHS_PROBING, ev);
			else if (n->state == NHRP_NHS_PROBING && now - n->last_reply_ms >= hold_ms)
				nhrp_nhs_set_state(n, NHRP_NHS_DOWN, ev);
		}
		nhrp_nhs_send(n);
		timer_start_ms(&n->timer, backoff_next(&n->backoff));
		break;
	case NHRP_NHS_EV_REPLY_OK:
		n->request_id = 0;
		n->missed = 0;
		n->last_reply_ms = now;
		backoff_reset(&n->backoff);
		nhrp_nhs_set_state(n, NHRP_NHS_UP, ev);
		timer_start_ms(&n->timer, nhrp_nhs_refresh_ms(n));
		break;
	case NHRP_NHS_EV_REPLY_REFUSED:
		n->request_id = 0;
		n->refusals++;
		nhrp_nhs_set_state(n, NHRP_NHS_DOWN, ev);
		/* Retry later: a conflicting binding may expire. */
		timer_start_ms(&n->timer, backoff_next(&n->backoff));
		break;
	case NHRP_NHS_EV_STOP:
		timer_stop(&n->timer);
		n->request_id = 0;
		nhrp_nhs_set_state(n, NHRP_NHS_DOWN, ev);
		break;
	}
}

void nhrp_nhs_recv_reply(struct nhrp_iface *ifp, struct nhrp_packet *p,
                         const struct ipaddr *from_nbma)
{
	struct nhrp_nhs *n = NULL;
	const struct nhrp_ext *nat;
	char a[IPADDR_STRLEN];
	uint8_t code;

	for (unsigned i = 0; i < ifp->nnhs; i++)
		if (ifp->nhs[i]->request_id && ifp->nhs[i]->request_id == p->request_id &&
		    ipaddr_equal(&ifp->nhs[i]->conf.proto, &p->dst_proto))
			n = ifp->nhs[i];
	if (!n || !nhrp_iface_is_local(ifp, &p->src_proto) || p->n_cie == 0) {
		nhrp_drop(ifp, NHRP_DROP_UNEXPECTED, from_nbma,
		          "registration reply nobody asked for");
		return;
	}
	n->replies++;
	code = p->cie[0].code;
	n->last_code = code;
	/* Cisco NAT extension: the address the NHS saw us at. */
	nat = nhrp_packet_ext(p, NHRP_EXT_NAT_ADDRESS);
	n->nat_detected = nat && nat->n_cie && ipaddr_is_set(&nat->cie[0].nbma) &&
	                  !ipaddr_equal(&nat->cie[0].nbma, &ifp->nbma);
	if (code == NHRP_CODE_SUCCESS) {
		n->granted = p->cie[0].holding_time;
		nhrp_nhs_fsm(n, NHRP_NHS_EV_REPLY_OK);
		return;
	}
	log_msg_rl(&ifp->rl, LOG_LVL_WARN, LOG_CAT_NHRP, "%s: NHS %s refused our registration: %s",
	           ifp->conf.tun.name, ipaddr_format(&n->conf.proto, a), nhrp_cie_code_name(code));
	nhrp_nhs_fsm(n, NHRP_NHS_EV_REPLY_REFUSED);
}
