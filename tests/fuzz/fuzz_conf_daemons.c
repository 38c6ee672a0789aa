/*
 * Fuzz target: the configuration file as nhrpd and iked read it (the
 * command engine plus each daemon's handlers; mgred's is fuzz_conf).
 * Whatever the bytes, each reader ends with a verdict; a configuration one
 * accepts, written back as show running-config (with secrets, as write
 * memory saves it) and read again, gives the same text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iked/iked.h"
#include "nhrpd/nhrpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_same_text(const struct strbuf *a, const struct strbuf *b)
{
	if (a->len != b->len || (a->len && memcmp(a->s, b->s, a->len)))
		abort();
}

static void fuzz_nhrpd(const uint8_t *data, size_t size)
{
	static struct nhrpd_conf conf, again;
	struct strbuf errors, text, text2;

	strbuf_init(&errors);
	strbuf_init(&text);
	strbuf_init(&text2);
	if (nhrpd_conf_load_mem("fuzz.conf", data, size, &conf, &errors) == 0) {
		nhrpd_running_config(&conf, true, &text);
		if (nhrpd_conf_load_mem("running", text.s ? text.s : "", text.len, &again,
		                        &errors) != 0)
			abort();
		nhrpd_running_config(&again, true, &text2);
		fuzz_same_text(&text, &text2);
		nhrpd_conf_wipe(&again);
		nhrpd_conf_wipe(&conf);
	} else if (errors.len == 0) {
		abort(); /* a refusal says why */
	}
	strbuf_free(&errors);
	strbuf_free(&text);
	strbuf_free(&text2);
}

static void fuzz_iked(const uint8_t *data, size_t size)
{
	static struct iked_conf conf, again;
	struct strbuf errors, text, text2;

	strbuf_init(&errors);
	strbuf_init(&text);
	strbuf_init(&text2);
	if (iked_conf_load_mem("fuzz.conf", data, size, &conf, &errors) == 0) {
		iked_running_config(&conf, &text);
		if (iked_conf_load_mem("running", text.s ? text.s : "", text.len, &again,
		                       &errors) != 0)
			abort();
		iked_running_config(&again, &text2);
		fuzz_same_text(&text, &text2);
		iked_conf_wipe(&again);
		iked_conf_wipe(&conf);
	} else if (errors.len == 0) {
		abort();
	}
	strbuf_free(&errors);
	strbuf_free(&text);
	strbuf_free(&text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nhrpd(data, size);
	fuzz_iked(data, size);
	return 0;
}
