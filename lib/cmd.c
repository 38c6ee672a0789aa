/*
 * The command resolver: which command of a node a line of words means,
 * with Cisco/FRR's rules for abbreviations. Each word is scored against the
 * token it would fill: an exact keyword beats a typed argument (a number,
 * an address, a path), which beats a keyword prefix, which beats a free
 * word. Commands are kept, word by word, only while they score best, so
 * "ip" means `ip` and not `ipv6`, and "sh" is `show` when nothing else in
 * the node starts with "sh"; two keywords still left for one prefix make
 * the line ambiguous.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/cmd_pattern.h"

enum cmd_score {
	CMD_SCORE_NONE = 0,
	CMD_SCORE_LOOSE = 1,   /* IFNAME, WORD, LINE */
	CMD_SCORE_PARTIAL = 2, /* a keyword's prefix */
	CMD_SCORE_TYPED = 3,   /* a range, an address, a path */
	CMD_SCORE_EXACT = 4,   /* the keyword itself */
};

static const char *const cmd_node_prompts[CMD_NODE__COUNT] = {
    [CMD_NODE_EXEC] = "",
    [CMD_NODE_CONFIG] = "config",
#define NODE(id, prompt) [CMD_NODE_##id] = prompt,
#include "lib/grammar.h"
};

const char *cmd_node_prompt(enum cmd_node n)
{
	return n >= 0 && n < CMD_NODE__COUNT ? cmd_node_prompts[n] : "?";
}

/* Every node the grammar declares is a block of the configuration, one
 * level below config as in IOS (cmd_grammar_check holds it to that). */
enum cmd_node cmd_node_parent(enum cmd_node n)
{
	return n > CMD_NODE_CONFIG && n < CMD_NODE__COUNT ? CMD_NODE_CONFIG : CMD_NODE_EXEC;
}

int cmd_split(const char *line, char *buf, size_t bufsz, char **words, int max, struct strbuf *err)
{
	size_t len = strlen(line);
	int n = 0;
	char *p;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len >= bufsz || len > CMD_MAX_LINE) {
		strbuf_puts(err, "% line too long\n");
		return -1;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)buf[i] < 0x20 && buf[i] != '\t') || buf[i] == 0x7f) {
			strbuf_puts(err, "% control character in the line\n");
			return -1;
		}
	for (p = buf; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max) {
			strbuf_printf(err, "%% too many words (at most %d)\n", max);
			return -1;
		}
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static enum cmd_score cmd_score(const struct cmd_tok *t, const char *w)
{
	if (t->kind == CMD_TOK_KEYWORD) {
		if (!strcmp(t->text, w))
			return CMD_SCORE_EXACT;
		return *w && !strncmp(t->text, w, strlen(w)) ? CMD_SCORE_PARTIAL : CMD_SCORE_NONE;
	}
	if (!cmd_tok_accepts(t, w))
		return CMD_SCORE_NONE;
	switch (t->kind) {
	case CMD_TOK_IFNAME:
	case CMD_TOK_WORD:
	case CMD_TOK_LINE:
		return CMD_SCORE_LOOSE;
	default:
		return CMD_SCORE_TYPED;
	}
}

/* One walk of one command's pattern over the words, every path. */
struct cmd_walk {
	const struct cmd_pat *pat;
	char **words;
	int n;
	unsigned char score[CMD_MAX_WORDS];
	const struct cmd_tok *tok[CMD_MAX_WORDS];
	int furthest;
	/* best path that consumed every word (prefix) and that is complete */
	bool prefix_found, full_found;
	unsigned char prefix_score[CMD_MAX_WORDS], full_score[CMD_MAX_WORDS];
	/* the best score of each word on any path that got that far */
	unsigned char reach[CMD_MAX_WORDS];
	const struct cmd_tok *prefix_tok[CMD_MAX_WORDS], *full_tok[CMD_MAX_WORDS];
	/* completion */
	const char *partial;
	struct cmd_next *next;
	int nnext, maxnext;
	bool cr;
};

static bool cmd_score_better(const unsigned char *a, const unsigned char *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] > b[i];
	return false;
}

static void cmd_next_add(struct cmd_walk *wk, const struct cmd_tok *t)
{
	if (!wk->next || !cmd_tok_accepts_prefix(t, wk->partial))
		return;
	for (int i = 0; i < wk->nnext; i++)
		if (!strcmp(wk->next[i].tok, t->text))
			return;
	if (wk->nnext == wk->maxnext)
		return;
	wk->next[wk->nnext++] = (struct cmd_next){
	    .tok = t->text, .help = t->help, .keyword = t->kind == CMD_TOK_KEYWORD};
}

/* Every word consumed, the walk at element e, slot s. */
static void cmd_walk_end(struct cmd_walk *wk, unsigned e, unsigned s)
{
	const struct cmd_pat *p = wk->pat;
	bool complete = s == 0;

	if (!wk->prefix_found || cmd_score_better(wk->score, wk->prefix_score, wk->n)) {
		memcpy(wk->prefix_score, wk->score, sizeof(wk->score));
		memcpy(wk->prefix_tok, wk->tok, sizeof(wk->tok));
		wk->prefix_found = true;
	}
	if (s != 0) {
		for (unsigned a = 0; a < p->elems[e].slots[s].nalts; a++)
			cmd_next_add(wk, &p->elems[e].slots[s].alts[a]);
	} else {
		for (unsigned i = e; i < p->nelems; i++) {
			for (unsigned a = 0; a < p->elems[i].slots[0].nalts; a++)
				cmd_next_add(wk, &p->elems[i].slots[0].alts[a]);
			if (!p->elems[i].optional) {
				complete = false;
				break;
			}
		}
	}
	if (!complete)
		return;
	wk->cr = true;
	if (!wk->full_found || cmd_score_better(wk->score, wk->full_score, wk->n)) {
		memcpy(wk->full_score, wk->score, sizeof(wk->score));
		memcpy(wk->full_tok, wk->tok, sizeof(wk->tok));
		wk->full_found = true;
	}
}

static void cmd_walk(struct cmd_walk *wk, int w, unsigned e, unsigned s)
{
	const struct cmd_pat *p = wk->pat;
	const struct cmd_elem *el;

	if (w > wk->furthest)
		wk->furthest = w;
	if (w == wk->n) {
		cmd_walk_end(wk, e, s);
		return;
	}
	if (e == p->nelems)
		return;
	el = &p->elems[e];
	if (s == 0 && el->optional)
		cmd_walk(wk, w, e + 1, 0);
	for (unsigned a = 0; a < el->slots[s].nalts; a++) {
		const struct cmd_tok *t = &el->slots[s].alts[a];
		enum cmd_score sc = cmd_score(t, wk->words[w]);
		int w2 = w + 1;

		if (sc == CMD_SCORE_NONE)
			continue;
		if (t->kind == CMD_TOK_LINE)
			w2 = wk->n;
		for (int i = w; i < w2; i++) {
			wk->score[i] = (unsigned char)sc;
			wk->tok[i] = t;
			if (sc > wk->reach[i])
				wk->reach[i] = (unsigned char)sc;
		}
		if (s + 1 < el->nslots)
			cmd_walk(wk, w2, e, s + 1);
		else
			cmd_walk(wk, w2, e + 1, 0);
	}
}

static bool cmd_in_scope(const struct cmd_def *d, enum cmd_node node, unsigned owner_mask)
{
	return d->node == node && (owner_mask == 0 || (d->owners & owner_mask));
}

/* Walk every command of the node; keep, word by word, the best scorers. */
struct cmd_cands {
	int n;
	int id[CMD__COUNT];
	struct cmd_walk wk[CMD__COUNT];
};

/*
 * Word by word, keep the commands that scored best on that word (FRR's and
 * Cisco's rule): "ip" kills `ipv6 ...` because `ip ...` takes it exactly,
 * even if `ip ...` fails on a later word. The position where none is left
 * is the word at fault (-1: some are left).
 */
static int cmd_cands_filter(struct cmd_cands *c, int nwords)
{
	for (int pos = 0; pos < nwords; pos++) {
		unsigned char best = 0;
		int keep = 0;

		for (int i = 0; i < c->n; i++)
			if (c->wk[i].reach[pos] > best)
				best = c->wk[i].reach[pos];
		if (best == 0) {
			c->n = 0;
			return pos;
		}
		for (int i = 0; i < c->n; i++) {
			if (c->wk[i].reach[pos] != best)
				continue;
			c->id[keep] = c->id[i];
			if (keep != i)
				c->wk[keep] = c->wk[i];
			keep++;
		}
		c->n = keep;
	}
	return -1;
}

/* Only those that matched every word (full: and ended there). */
static void cmd_cands_keep_found(struct cmd_cands *c, bool full)
{
	int keep = 0;

	for (int i = 0; i < c->n; i++) {
		if (!(full ? c->wk[i].full_found : c->wk[i].prefix_found))
			continue;
		c->id[keep] = c->id[i];
		if (keep != i)
			c->wk[keep] = c->wk[i];
		keep++;
	}
	c->n = keep;
}

static struct cmd_cands *cmd_cands_collect(enum cmd_node node, unsigned owner_mask, char **words,
                                           int nwords)
{
	struct cmd_cands *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	for (int i = 0; i < CMD__COUNT; i++) {
		struct cmd_walk *wk = &c->wk[c->n];

		if (!cmd_in_scope(&cmd_grammar[i], node, owner_mask))
			continue;
		memset(wk, 0, sizeof(*wk));
		wk->pat = cmd_pattern((enum cmd_id)i);
		if (wk->pat->nelems == 0)
			continue; /* did not compile: cmd_grammar_check says so */
		wk->words = words;
		wk->n = nwords;
		cmd_walk(wk, 0, 0, 0);
		c->id[c->n++] = i;
	}
	return c;
}

/* One prefix standing for two keywords among the candidates left. */
static bool cmd_cands_ambiguous(const struct cmd_cands *c, int nwords, bool full, char **words,
                                struct strbuf *err, int *bad_word)
{
	for (int pos = 0; pos < nwords && c->n > 1; pos++)
		for (int i = 1; i < c->n; i++) {
			const struct cmd_tok *t0 =
			    (full ? c->wk[0].full_tok : c->wk[0].prefix_tok)[pos];
			const struct cmd_tok *ti =
			    (full ? c->wk[i].full_tok : c->wk[i].prefix_tok)[pos];

			if (t0->kind == CMD_TOK_KEYWORD && ti->kind == CMD_TOK_KEYWORD &&
			    strcmp(t0->text, ti->text)) {
				strbuf_printf(err, "%% Ambiguous command: '%s' (%s or %s)\n",
				              words[pos], t0->text, ti->text);
				if (bad_word)
					*bad_word = pos;
				return true;
			}
		}
	return false;
}

int cmd_resolve(enum cmd_node node, unsigned owner_mask, char **words, int nwords,
                struct cmd_args *a, struct strbuf *err, int *bad_word)
{
	struct cmd_cands *c;
	int bad = -1, rc = -1;
	size_t off = 0;

	a->def = NULL;
	if (nwords <= 0 || nwords > CMD_MAX_WORDS) {
		strbuf_puts(err, nwords <= 0 ? "% empty command\n" : "% too many words\n");
		return -1;
	}
	c = cmd_cands_collect(node, owner_mask, words, nwords);
	if (!c) {
		strbuf_puts(err, "% out of memory\n");
		return -1;
	}
	bad = cmd_cands_filter(c, nwords);
	if (bad == 0) {
		strbuf_printf(err, "%% Unknown command: %s\n", words[0]);
		goto fail;
	}
	if (bad > 0) {
		strbuf_printf(err, "%% Invalid input at '%s'\n", words[bad]);
		goto fail;
	}
	cmd_cands_keep_found(c, true);
	if (c->n == 0) {
		/* Every word fits, the line stops short (or stands for two). */
		bad = nwords;
		free(c);
		c = cmd_cands_collect(node, owner_mask, words, nwords);
		if (!c) {
			strbuf_puts(err, "% out of memory\n");
			return -1;
		}
		cmd_cands_filter(c, nwords);
		cmd_cands_keep_found(c, false);
		if (!cmd_cands_ambiguous(c, nwords, false, words, err, &bad))
			strbuf_puts(err, "% Incomplete command\n");
		goto fail;
	}
	if (cmd_cands_ambiguous(c, nwords, true, words, err, &bad))
		goto fail;
	a->def = &cmd_grammar[c->id[0]];
	a->argc = nwords;
	for (int i = 0; i < nwords; i++) {
		const struct cmd_tok *t = c->wk[0].full_tok[i];
		const char *w = t->kind == CMD_TOK_KEYWORD ? t->text : words[i];
		size_t n = strlen(w) + 1;

		if (off + n > sizeof(a->buf)) {
			strbuf_puts(err, "% line too long\n");
			goto out;
		}
		memcpy(a->buf + off, w, n);
		a->argv[i] = a->buf + off;
		a->tok[i] = t->text;
		off += n;
	}
	rc = 0;
	goto out;
fail:
	if (bad_word)
		*bad_word = bad;
out:
	free(c);
	return rc;
}

int cmd_resolve_line(enum cmd_node node, unsigned owner_mask, const char *line, struct cmd_args *a,
                     struct strbuf *err)
{
	char buf[CMD_MAX_LINE + 1];
	char *words[CMD_MAX_WORDS];
	int n = cmd_split(line, buf, sizeof(buf), words, CMD_MAX_WORDS, err);
	int rc = n < 0 ? -1 : cmd_resolve(node, owner_mask, words, n, a, err, NULL);

	/* The line may carry a secret (a password): no copy of it outlives
	 * the call here; a's expanded copy is its caller's to wipe. */
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

static int cmd_next_cmp(const void *x, const void *y)
{
	const struct cmd_next *a = x, *b = y;

	if (a->keyword != b->keyword)
		return a->keyword ? -1 : 1;
	return a->keyword ? strcmp(a->tok, b->tok) : 0;
}

int cmd_complete(enum cmd_node node, unsigned owner_mask, char **words, int nwords,
                 const char *partial, struct cmd_next *next, int max)
{
	struct cmd_cands *c;
	int n = 0;
	bool cr = false;

	if (nwords < 0 || nwords >= CMD_MAX_WORDS || max <= 0)
		return 0;
	c = cmd_cands_collect(node, owner_mask, words, nwords);
	if (!c)
		return 0;
	cmd_cands_filter(c, nwords);
	cmd_cands_keep_found(c, false);
	for (int i = 0; i < c->n; i++) {
		struct cmd_walk *wk = &c->wk[i];

		wk->partial = partial;
		wk->next = next;
		wk->nnext = n;
		wk->maxnext = max - 1; /* room for <cr> */
		wk->cr = false;
		cmd_walk(wk, 0, 0, 0);
		n = wk->nnext;
		cr |= wk->cr;
	}
	free(c);
	/* Sort keywords (alphabetically), keeping arguments in grammar order. */
	qsort(next, (size_t)n, sizeof(*next), cmd_next_cmp);
	if (cr && !*partial)
		next[n++] = (struct cmd_next){.tok = "<cr>", .help = "", .keyword = false};
	return n;
}

bool cmd_has(const struct cmd_args *a, const char *kw)
{
	for (int i = 0; i < a->argc; i++)
		if (!strcmp(a->tok[i], kw))
			return true;
	return false;
}

const char *cmd_arg(const struct cmd_args *a, const char *tok, int nth)
{
	for (int i = 0; i < a->argc; i++)
		if (!strcmp(a->tok[i], tok) && nth-- == 0)
			return a->argv[i];
	return NULL;
}

void cmd_args_line(const struct cmd_args *a, struct strbuf *out)
{
	for (int i = 0; i < a->argc; i++)
		strbuf_printf(out, "%s%s", i ? " " : "", a->argv[i]);
}
