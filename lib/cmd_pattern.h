/*
 * The compiled form of a grammar pattern (lib/cmd.h): a sequence of
 * elements; an element is one or more slots (more only inside [..]); a
 * slot is one or more alternative tokens. Internal to the engine.
 */
#ifndef DMVPN_CMD_PATTERN_H
#define DMVPN_CMD_PATTERN_H

#include "lib/cmd.h"

#define CMD_MAX_ELEMS 16
#define CMD_MAX_SLOTS 4
#define CMD_MAX_ALTS  8
#define CMD_MAX_TOKS  32
#define CMD_MAX_PATH  256

enum cmd_tok_kind {
	CMD_TOK_KEYWORD,
	CMD_TOK_RANGE,
	CMD_TOK_IPV4,
	CMD_TOK_IPV4_PREFIX,
	CMD_TOK_IPV6,
	CMD_TOK_IPV6_PREFIX,
	CMD_TOK_IFNAME,
	CMD_TOK_PATH,
	CMD_TOK_WORD,
	CMD_TOK_LINE,
};

struct cmd_tok {
	enum cmd_tok_kind kind;
	const char *text; /* as written in the pattern */
	const char *help;
	unsigned long lo, hi; /* CMD_TOK_RANGE */
};

struct cmd_slot {
	unsigned nalts;
	struct cmd_tok alts[CMD_MAX_ALTS];
};

struct cmd_elem {
	bool optional;
	unsigned nslots;
	struct cmd_slot slots[CMD_MAX_SLOTS];
};

struct cmd_pat {
	unsigned nelems;
	struct cmd_elem elems[CMD_MAX_ELEMS];
	unsigned ntoks;
	struct cmd_tok *toks[CMD_MAX_TOKS]; /* in pattern order, for the help lines */
	size_t textlen;
	char text[1024];
};

const struct cmd_pat *cmd_pattern(enum cmd_id id);
bool cmd_tok_accepts(const struct cmd_tok *t, const char *w);
bool cmd_tok_accepts_prefix(const struct cmd_tok *t, const char *w);

#endif
