/*
 * Patterns of the grammar (lib/grammar.h) compiled into elements, and what a word
 * must look like to fill each argument token. Compiled once, on first use,
 * into static storage: the grammar is a constant of the program.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmd_pattern.h"
#include "lib/conf.h"

const struct cmd_def cmd_grammar[CMD__COUNT] = {
#define CMD(id_, node_, enters_, owners_, pattern_, help_)                                         \
	{.id = CMD_##id_,                                                                          \
	 .node = node_,                                                                            \
	 .enters = enters_,                                                                        \
	 .owners = owners_,                                                                        \
	 .pattern = pattern_,                                                                      \
	 .help = help_},
#include "lib/grammar.h"
};

static struct cmd_pat cmd_pats[CMD__COUNT];
static bool cmd_pats_compiled;
static int cmd_pats_status;
static char cmd_pats_error[256];

static enum cmd_tok_kind cmd_tok_classify(const char *t)
{
	if (t[0] == '<')
		return CMD_TOK_RANGE;
	if (!strcmp(t, "A.B.C.D"))
		return CMD_TOK_IPV4;
	if (!strcmp(t, "A.B.C.D/M"))
		return CMD_TOK_IPV4_PREFIX;
	if (!strcmp(t, "X:X::X:X"))
		return CMD_TOK_IPV6;
	if (!strcmp(t, "X:X::X:X/M"))
		return CMD_TOK_IPV6_PREFIX;
	if (!strcmp(t, "IFNAME"))
		return CMD_TOK_IFNAME;
	if (!strcmp(t, "WORD"))
		return CMD_TOK_WORD;
	if (!strcmp(t, "LINE"))
		return CMD_TOK_LINE;
	if (!strcmp(t, "/PATH"))
		return CMD_TOK_PATH;
	return CMD_TOK_KEYWORD;
}

/* Copy [s, s+n) as a token into the pattern's text store. */
static struct cmd_tok *cmd_pat_tok(struct cmd_pat *p, struct cmd_slot *slot, const char *s,
                                   size_t n)
{
	struct cmd_tok *t;
	char *end;

	if (n == 0 || slot->nalts == CMD_MAX_ALTS || p->ntoks == CMD_MAX_TOKS ||
	    p->textlen + n + 1 > sizeof(p->text))
		return NULL;
	t = &slot->alts[slot->nalts++];
	t->text = p->text + p->textlen;
	memcpy(p->text + p->textlen, s, n);
	p->text[p->textlen + n] = '\0';
	p->textlen += n + 1;
	t->kind = cmd_tok_classify(t->text);
	if (t->kind == CMD_TOK_RANGE) {
		t->lo = strtoul(t->text + 1, &end, 10);
		if (*end != '-')
			return NULL;
		t->hi = strtoul(end + 1, &end, 10);
		if (strcmp(end, ">") || t->lo > t->hi)
			return NULL;
	}
	p->toks[p->ntoks++] = t;
	return t;
}

/* One slot: "word", "(a|b|c)" or, inside brackets without blanks, "a|b". */
static int cmd_pat_slot(struct cmd_pat *p, struct cmd_slot *slot, const char *s, size_t n)
{
	if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		s++;
		n -= 2;
	}
	while (n > 0) {
		const char *bar = memchr(s, '|', n);
		size_t len = bar ? (size_t)(bar - s) : n;

		if (!cmd_pat_tok(p, slot, s, len))
			return -1;
		n -= bar ? len + 1 : len;
		s += bar ? len + 1 : len;
		if (bar && n == 0)
			return -1; /* "a|" */
	}
	return slot->nalts ? 0 : -1;
}

static int cmd_pat_compile(struct cmd_pat *p, const char *pattern, const char *help)
{
	const char *s = pattern;

	memset(p, 0, sizeof(*p));
	while (*s) {
		struct cmd_elem *e;
		const char *end;

		if (*s == ' ') {
			s++;
			continue;
		}
		if (p->nelems == CMD_MAX_ELEMS)
			return -1;
		e = &p->elems[p->nelems++];
		if (*s == '[') {
			const char *c = s + 1;

			end = strchr(s, ']');
			if (!end)
				return -1;
			e->optional = true;
			/* A sequence of slots separated by blanks. */
			while (c < end) {
				const char *sp;

				if (*c == ' ') {
					c++;
					continue;
				}
				if (*c == '(') {
					sp = memchr(c, ')', (size_t)(end - c));
					if (!sp)
						return -1;
					sp++;
				} else {
					sp = memchr(c, ' ', (size_t)(end - c));
					if (!sp)
						sp = end;
				}
				if (e->nslots == CMD_MAX_SLOTS ||
				    cmd_pat_slot(p, &e->slots[e->nslots++], c, (size_t)(sp - c)) <
				        0)
					return -1;
				c = sp;
			}
			if (e->nslots == 0)
				return -1;
			s = end + 1;
		} else {
			end = *s == '(' ? strchr(s, ')') : strchr(s, ' ');
			if (*s == '(' && !end)
				return -1;
			end = end ? end + (*s == '(') : s + strlen(s);
			e->nslots = 1;
			if (cmd_pat_slot(p, &e->slots[0], s, (size_t)(end - s)) < 0)
				return -1;
			s = end;
		}
	}
	/* LINE swallows the rest: nothing may follow it. */
	for (unsigned i = 0; i + 1 < p->ntoks; i++)
		if (p->toks[i]->kind == CMD_TOK_LINE)
			return -1;
	/* One help line per token, in order. */
	for (unsigned i = 0; i < p->ntoks; i++) {
		const char *nl = help ? strchr(help, '\n') : NULL;
		size_t n;

		if (!nl)
			return -1;
		n = (size_t)(nl - help);
		if (n == 0 || p->textlen + n + 1 > sizeof(p->text))
			return -1;
		p->toks[i]->help = p->text + p->textlen;
		memcpy(p->text + p->textlen, help, n);
		p->text[p->textlen + n] = '\0';
		p->textlen += n + 1;
		help = nl + 1;
	}
	return help && *help ? -1 : 0; /* extra help lines */
}

/* What the engine assumes of a command beyond its pattern: owners it
 * knows, and a declared node opened from config only (cmd_node_parent). */
static bool cmd_def_consistent(const struct cmd_def *d, int i)
{
	unsigned declared = (1u << CMD_OWNER__COUNT) - 1;

	return d->id == (enum cmd_id)i && d->owners != 0 && (d->owners & ~declared) == 0 &&
	       (d->enters <= CMD_NODE_CONFIG || d->node == CMD_NODE_CONFIG);
}

static void cmd_pats_compile_all(void)
{
	cmd_pats_compiled = true;
	for (int i = 0; i < CMD__COUNT; i++) {
		if (!cmd_def_consistent(&cmd_grammar[i], i) ||
		    cmd_pat_compile(&cmd_pats[i], cmd_grammar[i].pattern, cmd_grammar[i].help) <
		        0) {
			snprintf(
			    cmd_pats_error, sizeof(cmd_pats_error),
			    "grammar: command %d '%s': bad pattern, help lines, owners or node", i,
			    cmd_grammar[i].pattern);
			cmd_pats_status = -1;
			memset(&cmd_pats[i], 0, sizeof(cmd_pats[i]));
		}
	}
}

const struct cmd_pat *cmd_pattern(enum cmd_id id)
{
	if (!cmd_pats_compiled)
		cmd_pats_compile_all();
	return &cmd_pats[id];
}

int cmd_grammar_check(struct strbuf *err)
{
	if (!cmd_pats_compiled)
		cmd_pats_compile_all();
	if (cmd_pats_status < 0)
		strbuf_printf(err, "%s\n", cmd_pats_error);
	return cmd_pats_status;
}

static bool cmd_all_digits(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (*w < '0' || *w > '9')
			return false;
	return true;
}

/* addr[/plen] of family af, plen within the family's width. */
static bool cmd_is_addr(const char *w, int af, bool prefix)
{
	char tmp[INET6_ADDRSTRLEN + 4];
	unsigned char bin[16];
	const char *slash = strchr(w, '/');
	size_t n = slash ? (size_t)(slash - w) : strlen(w);

	if (prefix != (slash != NULL) || n >= sizeof(tmp))
		return false;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	if (inet_pton(af, tmp, bin) != 1)
		return false;
	if (prefix) {
		unsigned long plen;

		if (!cmd_all_digits(slash + 1) || strlen(slash + 1) > 3)
			return false;
		plen = strtoul(slash + 1, NULL, 10);
		if (plen > (af == AF_INET ? 32u : 128u))
			return false;
	}
	return true;
}

bool cmd_tok_accepts(const struct cmd_tok *t, const char *w)
{
	switch (t->kind) {
	case CMD_TOK_KEYWORD:
		return !strcmp(t->text, w);
	case CMD_TOK_RANGE: {
		unsigned long long v;

		if (!cmd_all_digits(w) || strlen(w) > 10)
			return false;
		v = strtoull(w, NULL, 10);
		return v >= t->lo && v <= t->hi;
	}
	case CMD_TOK_IPV4:
		return cmd_is_addr(w, AF_INET, false);
	case CMD_TOK_IPV4_PREFIX:
		return cmd_is_addr(w, AF_INET, true);
	case CMD_TOK_IPV6:
		return cmd_is_addr(w, AF_INET6, false);
	case CMD_TOK_IPV6_PREFIX:
		return cmd_is_addr(w, AF_INET6, true);
	case CMD_TOK_IFNAME:
		return conf_valid_ifname(w);
	case CMD_TOK_PATH:
		return w[0] == '/' && strlen(w) < CMD_MAX_PATH;
	case CMD_TOK_WORD:
	case CMD_TOK_LINE:
		return *w != '\0';
	}
	return false;
}

/* Could w still become a word that t accepts (completion filter)? */
bool cmd_tok_accepts_prefix(const struct cmd_tok *t, const char *w)
{
	const char *ok;

	if (!*w)
		return true;
	switch (t->kind) {
	case CMD_TOK_KEYWORD:
		return !strncmp(t->text, w, strlen(w));
	case CMD_TOK_RANGE:
		ok = "0123456789";
		break;
	case CMD_TOK_IPV4:
	case CMD_TOK_IPV4_PREFIX:
		ok = "0123456789./";
		break;
	case CMD_TOK_IPV6:
	case CMD_TOK_IPV6_PREFIX:
		ok = "0123456789abcdefABCDEF:./";
		break;
	case CMD_TOK_PATH:
		return w[0] == '/';
	default:
		return true;
	}
	return strspn(w, ok) == strlen(w);
}

bool cmd_token_accepts(const char *tok, const char *word)
{
	struct cmd_pat p;
	struct cmd_slot slot = {0};

	memset(&p, 0, sizeof(p));
	if (!cmd_pat_tok(&p, &slot, tok, strlen(tok)))
		return false;
	return cmd_tok_accepts(&slot.alts[0], word);
}
