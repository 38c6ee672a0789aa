/*
 * `?` and TAB, from the same grammar that runs the line: what may follow
 * the words typed so far in the current node, keywords with their help,
 * arguments as their pattern (<1-65535>, A.B.C.D), and <cr> when the line
 * is complete already.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/dmvpnsh.h"

/* The words before the cursor, and the one being typed ("" after a blank). */
static int sh_help_split(const char *line, size_t cursor, char *buf, size_t bufsz, char **words,
                         const char **partial)
{
	char before[CMD_MAX_LINE + 1];
	struct strbuf err;
	size_t n = cursor < sizeof(before) - 1 ? cursor : sizeof(before) - 1;
	bool fresh = n == 0 || line[n - 1] == ' ' || line[n - 1] == '\t';
	int nw;

	memcpy(before, line, n);
	before[n] = '\0';
	strbuf_init(&err);
	nw = cmd_split(before, buf, bufsz, words, CMD_MAX_WORDS - 1, &err);
	strbuf_free(&err);
	if (nw < 0)
		return -1;
	*partial = !fresh && nw > 0 ? words[--nw] : "";
	return nw;
}

int sh_complete_words(struct sh *sh, const char *line, size_t cursor, const char ***cands)
{
	static char buf[CMD_MAX_LINE + 1];
	static struct cmd_next next[CMD_MAX_NEXT];
	static const char *words_out[CMD_MAX_NEXT];
	char *words[CMD_MAX_WORDS];
	const char *partial;
	int nw = sh_help_split(line, cursor, buf, sizeof(buf), words, &partial), n, k = 0;

	*cands = words_out;
	if (nw < 0)
		return 0;
	n = cmd_complete(sh->node, 0, words, nw, partial, next, CMD_MAX_NEXT);
	for (int i = 0; i < n; i++)
		if (next[i].keyword)
			words_out[k++] = next[i].tok;
	return k;
}

char *sh_help_text(struct sh *sh, const char *line, size_t cursor)
{
	static char buf[CMD_MAX_LINE + 1];
	struct cmd_next next[CMD_MAX_NEXT];
	char *words[CMD_MAX_WORDS];
	const char *partial;
	struct strbuf out;
	size_t width = 0;
	int nw = sh_help_split(line, cursor, buf, sizeof(buf), words, &partial), n;

	strbuf_init(&out);
	n = nw < 0 ? 0 : cmd_complete(sh->node, 0, words, nw, partial, next, CMD_MAX_NEXT);
	if (n == 0) {
		strbuf_puts(&out, "% Unrecognized command\n");
		return out.s;
	}
	for (int i = 0; i < n; i++)
		if (strlen(next[i].tok) > width)
			width = strlen(next[i].tok);
	for (int i = 0; i < n; i++)
		strbuf_printf(&out, "  %-*s  %s\n", (int)width, next[i].tok, next[i].help);
	return out.s;
}
