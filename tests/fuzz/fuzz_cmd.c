/*
 * Fuzz target: the command engine, as the shell and every daemon run it on
 * lines typed by a user or read from a file (lib/cmd.c, lib/cmd_pattern.c,
 * lib/cmd_conf.c). The first byte picks the node; the rest is one line.
 * Whatever the bytes: resolution ends with a verdict, a resolved line
 * re-resolves to the same command when written back in full, completion
 * offers only tokens of the node, and live-request parsing never overruns.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmd_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmd_args a, again;
	char line[CMD_MAX_LINE + 1], buf[CMD_MAX_LINE + 1], reqbuf[CMD_MAX_LINE + 1];
	char *words[CMD_MAX_WORDS];
	struct cmd_next next[CMD_MAX_NEXT];
	struct strbuf err, full;
	const char *header, *rline;
	enum cmd_node node;
	int n;

	if (size < 1 || size > CMD_MAX_LINE)
		return 0;
	node = (enum cmd_node)(data[0] % CMD_NODE__COUNT);
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	if (strlen(line) != size - 1)
		return 0; /* NULs end a line before the engine sees it */
	strbuf_init(&err);
	strbuf_init(&full);
	if (cmd_resolve_line(node, 0, line, &a, &err) == 0) {
		if (a.def->node != node || a.argc <= 0)
			abort();
		cmd_args_line(&a, &full);
		/* Expanded keywords may push a line past the limit: then it is
		 * refused as too long, which is a verdict too. */
		if (full.len <= CMD_MAX_LINE &&
		    (cmd_resolve_line(node, 0, full.s, &again, &err) != 0 || again.def != a.def ||
		     again.argc != a.argc))
			abort();
	} else if (err.len == 0) {
		abort(); /* a refusal always says why */
	}
	strbuf_reset(&err);
	n = cmd_split(line, buf, sizeof(buf), words, CMD_MAX_WORDS, &err);
	if (n > 0) {
		int k = cmd_complete(node, 0, words, n - 1, words[n - 1], next, CMD_MAX_NEXT);

		if (k < 0 || k > CMD_MAX_NEXT)
			abort();
		for (int i = 0; i < k; i++)
			if (!next[i].tok || !next[i].help)
				abort();
	}
	if (cmd_conf_request_parse(line, reqbuf, sizeof(reqbuf), &header, &rline) !=
	        CMD_CONF_NONE &&
	    (strlen(header) > CMD_MAX_LINE || strlen(rline) > CMD_MAX_LINE))
		abort();
	strbuf_free(&err);
	strbuf_free(&full);
	return 0;
}
