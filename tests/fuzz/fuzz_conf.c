/*
 * Fuzz target: the configuration file as mgred reads it (lib/conf.c lexer
 * and gre/mgred/mgred_conf.c grammar). A config line is hostile until
 * checked: whatever the bytes, parsing must end with a verdict, and an
 * accepted configuration must satisfy the grammar's own invariants.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gre/mgred/mgred.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mgred_conf conf;
	struct strbuf errors;
	int rc;

	strbuf_init(&errors);
	rc = mgred_conf_load_mem("fuzz.conf", data, size, &conf, &errors);
	if (rc == 0) {
		if (errors.len != 0 || conf.ntunnels > MGRED_MAX_TUNNELS)
			abort();
		for (unsigned i = 0; i < conf.ntunnels; i++) {
			const struct mgred_tunnel_conf *tc = &conf.tunnels[i];

			/* Accepted tunnels name a source and a valid interface. */
			if (!tc->name[0] || strlen(tc->name) >= IFNAMSIZ ||
			    (!tc->source_dev[0] && !ipaddr_is_set(&tc->source_addr)) ||
			    tc->naddrs > MGRED_MAX_ADDRS || (tc->mtu && tc->mtu < 1280))
				abort();
		}
	} else if (errors.len == 0) {
		abort(); /* a refusal always says why */
	}
	strbuf_free(&errors);
	return 0;
}
