/*
 * Fuzz target: the configuration file as mgred reads it (lib/conf.c lexer,
 * the command engine lib/cmd*.c and gre/mgred/mgred_cmd_conf.c's
 * handlers). A config line is hostile until checked: whatever the bytes,
 * parsing must end with a verdict; an accepted configuration must satisfy
 * the grammar's own invariants, and show running-config of it must read
 * back as the same configuration (the same text again).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_conf_check_iface(const struct mgred_iface_conf *ic)
{
	if (!ic->tun.name[0] || strlen(ic->tun.name) >= IFNAMSIZ ||
	    ic->naddrs6 + ipaddr_is_set(&ic->tun.addr) > MGRED_MAX_ADDRS ||
	    (ic->mtu && ic->mtu < 1280) || ic->ttl > 255 ||
	    strlen(ic->description) > MGRED_DESC_MAX)
		abort();
	for (unsigned i = 0; i < ic->naddrs6; i++)
		if (ic->addrs6[i].addr.family != AF_INET6)
			abort(); /* `ip address` (tun.addr) is the one IPv4 address */
	/* Running tunnels name a source. */
	if (mgred_iface_is_tunnel(ic) && !tunnel_conf_has_source(&ic->tun))
		abort();
}

/* show running-config, read back, gives the same text. */
static void fuzz_conf_round_trip(const struct mgred_conf *conf)
{
	static struct mgred_conf again;
	struct strbuf text, text2, errors;

	strbuf_init(&text);
	strbuf_init(&text2);
	strbuf_init(&errors);
	mgred_running_config(conf, &text);
	if (mgred_conf_load_mem("running", text.s ? text.s : "", text.len, &again, &errors) != 0)
		abort();
	mgred_running_config(&again, &text2);
	if (again.nifaces != conf->nifaces || text.len != text2.len ||
	    (text.len && memcmp(text.s, text2.s, text.len)))
		abort();
	strbuf_free(&text);
	strbuf_free(&text2);
	strbuf_free(&errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mgred_conf conf;
	struct strbuf errors;
	int rc;

	strbuf_init(&errors);
	rc = mgred_conf_load_mem("fuzz.conf", data, size, &conf, &errors);
	if (rc == 0) {
		if (errors.len != 0 || conf.nifaces > MGRED_MAX_IFACES ||
		    mgred_conf_ntunnels(&conf) > MGRED_MAX_TUNNELS)
			abort();
		for (unsigned i = 0; i < conf.nifaces; i++)
			fuzz_conf_check_iface(&conf.ifaces[i]);
		fuzz_conf_round_trip(&conf);
	} else if (errors.len == 0) {
		abort(); /* a refusal always says why */
	}
	strbuf_free(&errors);
	return 0;
}
