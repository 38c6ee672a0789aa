/*
 * show crypto ikev2 sa [detail] [json]: IKE SAs (SPIs, peer, identities,
 * algorithms, age, CHILD_SA); show crypto ipsec sa [json]: CHILD_SAs
 * (recorded only: no data plane protects traffic yet). docs/json.md
 * describes the JSON. Keys and the PSK are never shown.
 */
#include <inttypes.h>
#include <stdio.h>

#include "gre/dataplane.h"
#include "iked/iked.h"
#include "lib/json.h"

#define IKED_NO_DATAPLANE                                                                          \
	"no data plane is protecting traffic: CHILD_SAs are negotiated and recorded only"

static void iked_show_hex64(char *out, size_t cap, uint64_t v)
{
	snprintf(out, cap, "%016" PRIx64, v);
}

static void iked_show_json_child(struct json *j, const struct ike_sa *sa)
{
	const struct child_sa *c = &sa->child;
	char b[32];

	json_key(j, "child");
	json_obj_begin(j);
	json_kv_str(j, "state", child_sa_state_name(c->state));
	if (child_sa_installed(c) || c->state == CHILD_SA_DELETED) {
		snprintf(b, sizeof(b), "%08x", c->spi_in);
		json_kv_str(j, "spi_in", b);
		snprintf(b, sizeof(b), "%08x", c->spi_out);
		json_kv_str(j, "spi_out", b);
		json_kv_str(j, "encr", ike_encr_name(&c->alg, b, sizeof(b)));
		json_kv_str(j, "integ", ike_integ_name(c->alg.integ));
		json_kv_str(j, "mode", c->transport ? "transport" : "tunnel");
		json_kv_u64(j, "protocol", IKED_IP_PROTO_GRE);
	}
	json_key(j, "failure");
	if (c->failure)
		json_str(j, ikev2_notify_name(c->failure));
	else
		json_null(j);
	json_obj_end(j);
}

static void iked_show_json_sa(struct json *j, const struct ike_sa *sa, uint64_t now)
{
	char a[IPADDR_STRLEN], b[32];

	json_obj_begin(j);
	json_kv_u64(j, "id", sa->id);
	json_kv_str(j, "state", ike_sa_state_name(sa->state));
	json_kv_str(j, "role", sa->initiator ? "initiator" : "responder");
	json_kv_str(j, "profile", sa->profile->name);
	json_kv_str(j, "local", ipaddr_format(&sa->local, a));
	json_kv_str(j, "remote", ipaddr_format(&sa->remote, a));
	iked_show_hex64(b, sizeof(b), sa->ispi);
	json_kv_str(j, "ispi", b);
	iked_show_hex64(b, sizeof(b), sa->rspi);
	json_kv_str(j, "rspi", b);
	json_kv_str(j, "local_id", sa->local_id);
	json_kv_str(j, "remote_id", sa->peer_id);
	json_kv_str(j, "encr", ike_encr_name(&sa->prop.alg, b, sizeof(b)));
	json_kv_str(j, "integ", ike_integ_name(sa->prop.alg.integ));
	json_kv_str(j, "prf", ike_prf_name(sa->prop.alg.prf));
	json_kv_str(j, "dh", ike_dh_name(sa->prop.dh));
	json_kv_u64(j, "age", (now - sa->created_ms) / 1000);
	json_key(j, "established_for");
	if (sa->established_ms && ike_sa_is_up(sa))
		json_u64(j, (now - sa->established_ms) / 1000);
	else
		json_null(j);
	json_kv_u64(j, "rekeys", sa->rekeys);
	json_kv_u64(j, "simultaneous_rekeys", sa->crossed_rekeys);
	json_key(j, "replaced_by");
	if (sa->replaced_by)
		json_u64(j, sa->replaced_by);
	else
		json_null(j);
	json_kv_bool(j, "nat_local", sa->nat_local);
	json_kv_bool(j, "nat_remote", sa->nat_remote);
	json_key(j, "error");
	if (sa->error[0])
		json_str(j, sa->error);
	else
		json_null(j);
	iked_show_json_child(j, sa);
	json_obj_end(j);
}

int iked_show_ike(struct iked *d, bool json, bool detail, struct strbuf *o)
{
	uint64_t now = clock_now_ms();
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], e[32];

	if (json) {
		struct json j;

		json_init(&j, o);
		json_obj_begin(&j);
		json_kv_str(&j, "dataplane", "none");
		json_kv_str(&j, "warning", IKED_NO_DATAPLANE);
		json_kv_u64(&j, "dataplane_sas", dp_esp_sa_count(DP_BACKEND_USERSPACE));
		json_key(&j, "sas");
		json_arr_begin(&j);
		for (const struct ike_sa *sa = d->sas; sa; sa = sa->next)
			iked_show_json_sa(&j, sa, now);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_puts(o, "\n");
		return 0;
	}
	strbuf_printf(o, "%% %s\n", IKED_NO_DATAPLANE);
	strbuf_printf(o, "%-4s %-15s %-15s %-11s %-9s %s\n", "Id", "Local", "Remote", "State",
	              "Role", "Encr/Integ/PRF/DH");
	for (const struct ike_sa *sa = d->sas; sa; sa = sa->next) {
		strbuf_printf(
		    o, "%-4u %-15s %-15s %-11s %-9s %s/%s/%s/%s\n", sa->id,
		    ipaddr_format(&sa->local, a), ipaddr_format(&sa->remote, b),
		    ike_sa_state_name(sa->state), sa->initiator ? "initiator" : "responder",
		    ike_encr_name(&sa->prop.alg, e, sizeof(e)), ike_integ_name(sa->prop.alg.integ),
		    ike_prf_name(sa->prop.alg.prf), ike_dh_name(sa->prop.dh));
		if (!detail)
			continue;
		strbuf_printf(
		    o, "     SPIs %016" PRIx64 " %016" PRIx64 ", local id %s, remote id %s\n",
		    sa->ispi, sa->rspi, sa->local_id, sa->peer_id[0] ? sa->peer_id : "-");
		strbuf_printf(o, "     age %" PRIu64 " s, NAT local %s remote %s%s%s\n",
		              (now - sa->created_ms) / 1000, sa->nat_local ? "yes" : "no",
		              sa->nat_remote ? "yes" : "no", sa->error[0] ? ", " : "", sa->error);
		strbuf_printf(o, "     CHILD_SA %s", child_sa_state_name(sa->child.state));
		if (child_sa_installed(&sa->child))
			strbuf_printf(o, " in %08x out %08x %s %s", sa->child.spi_in,
			              sa->child.spi_out,
			              ike_encr_name(&sa->child.alg, e, sizeof(e)),
			              sa->child.transport ? "transport" : "tunnel");
		if (sa->child.failure)
			strbuf_printf(o, " (%s)", ikev2_notify_name(sa->child.failure));
		strbuf_puts(o, "\n");
	}
	return 0;
}

int iked_show_ipsec(struct iked *d, bool json, struct strbuf *o)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN], e[32], s[16];
	struct json j;

	if (json) {
		json_init(&j, o);
		json_obj_begin(&j);
		json_kv_str(&j, "dataplane", "none");
		json_kv_bool(&j, "protecting", dp_esp_protecting(DP_BACKEND_USERSPACE));
		json_kv_u64(&j, "recorded_sas", dp_esp_sa_count(DP_BACKEND_USERSPACE));
		json_key(&j, "sas");
		json_arr_begin(&j);
	} else {
		strbuf_printf(o, "%% %s\n", IKED_NO_DATAPLANE);
	}
	for (const struct ike_sa *sa = d->sas; sa; sa = sa->next) {
		const struct child_sa *c = &sa->child;

		if (!child_sa_installed(c))
			continue;
		if (!json) {
			strbuf_printf(
			    o, "IKE SA %u: %s <-> %s gre, spi in %08x out %08x, %s/%s, %s\n",
			    sa->id, ipaddr_format(&sa->local, a), ipaddr_format(&sa->remote, b),
			    c->spi_in, c->spi_out, ike_encr_name(&c->alg, e, sizeof(e)),
			    ike_integ_name(c->alg.integ), c->transport ? "transport" : "tunnel");
			continue;
		}
		json_obj_begin(&j);
		json_kv_u64(&j, "ike_sa", sa->id);
		json_kv_str(&j, "local", ipaddr_format(&sa->local, a));
		json_kv_str(&j, "remote", ipaddr_format(&sa->remote, b));
		snprintf(s, sizeof(s), "%08x", c->spi_in);
		json_kv_str(&j, "spi_in", s);
		snprintf(s, sizeof(s), "%08x", c->spi_out);
		json_kv_str(&j, "spi_out", s);
		json_kv_str(&j, "encr", ike_encr_name(&c->alg, e, sizeof(e)));
		json_kv_str(&j, "integ", ike_integ_name(c->alg.integ));
		json_kv_str(&j, "mode", c->transport ? "transport" : "tunnel");
		json_kv_u64(&j, "protocol", IKED_IP_PROTO_GRE);
		json_kv_bool(&j, "installed_in_dataplane", false);
		json_obj_end(&j);
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_puts(o, "\n");
	}
	return 0;
}
