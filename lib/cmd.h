/*
 * The command engine: one grammar for the config file, `configure terminal`
 * and the operational commands of every daemon and of the shell.
 *
 * Every command is declared once, in the part of the grammar of the
 * component that acts on it (its FOO.def; lib/grammar.h lists them and
 * how make assembles them), with its node, its owners (the processes that
 * act on it), its pattern and its help; the owner binds a handler to the
 * command's id. The engine names no process: owners, and the nodes beyond
 * exec and config, are declared by the grammar too. The same resolver
 * serves the daemons (config file at start-up, live changes, control
 * requests) and the shell (`?` help, TAB completion, unique-prefix
 * abbreviations), so a line means the same thing wherever it is typed.
 *
 * Pattern tokens (FRR's DEFUN style):
 *   word         a keyword; any unique prefix of it is accepted
 *   <lo-hi>      an unsigned integer in [lo, hi]
 *   A.B.C.D      an IPv4 address      A.B.C.D/M  an IPv4 prefix
 *   X:X::X:X     an IPv6 address      X:X::X:X/M an IPv6 prefix
 *   IFNAME       an interface name (1-15 of A-Z a-z 0-9 _ . -)
 *   WORD         any word             LINE       the rest of the line (last)
 *   /PATH        an absolute path
 *   (a|b|c)      one of the alternatives (single tokens)
 *   [x y]        an optional group (a sequence; [a|b] optional alternatives)
 * Help: one line per token of the pattern in order, one per alternative of
 * an (a|b) or [a|b] group, '\n'-terminated.
 */
#ifndef DMVPN_CMD_H
#define DMVPN_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

/* Nodes: exec and config, then the blocks the grammar declares (NODE),
 * each opened by a command of the config node. */
enum cmd_node {
	CMD_NODE_EXEC,   /* hub1# */
	CMD_NODE_CONFIG, /* hub1(config)# */
#define NODE(id, prompt) CMD_NODE_##id,
#include "lib/grammar.h"
	CMD_NODE__COUNT,
	CMD_NODE_NONE = -1, /* a command that enters no node */
};
const char *cmd_node_prompt(enum cmd_node n); /* "", "config", "config-if", ... */
enum cmd_node cmd_node_parent(enum cmd_node n);

/* What an owner of commands is (declared with it: OWNER(id, role)). */
enum cmd_role {
	/* Reads the configuration file, answers on a control socket, binds a
	 * handler to every command it owns. */
	CMD_ROLE_DAEMON,
	/* The operator's front end: runs its own commands (nodes, files) and
	 * fans the others out; in a file only its `end` and `exit` may appear. */
	CMD_ROLE_FRONT,
	/* Another program's commands, which the front end hands on; never
	 * in our configuration file. */
	CMD_ROLE_FOREIGN,
};

/* Who acts on a command: a bit set of the owners (CMD_OWN_<id>). */
enum cmd_owner_bit {
#define OWNER(id, role) CMD_OWNER_BIT_##id,
#include "lib/grammar.h"
	CMD_OWNER__COUNT
};
enum cmd_owner {
#define OWNER(id, role) CMD_OWN_##id = 1 << CMD_OWNER_BIT_##id,
#include "lib/grammar.h"
};
/* The owners of a role, as bit sets. */
enum {
	CMD_OWN_DAEMONS = 0
#define OWNER(id, role) | ((role) == CMD_ROLE_DAEMON ? CMD_OWN_##id : 0)
#include "lib/grammar.h"
	,
	CMD_OWN_FRONT = 0
#define OWNER(id, role) | ((role) == CMD_ROLE_FRONT ? CMD_OWN_##id : 0)
#include "lib/grammar.h"
	,
};

enum cmd_id {
#define CMD(id, node, enters, owners, pattern, help) CMD_##id,
#include "lib/grammar.h"
	CMD__COUNT
};

struct cmd_def {
	enum cmd_id id;
	enum cmd_node node;
	enum cmd_node enters; /* the node this command opens, or CMD_NODE_NONE */
	unsigned owners;
	const char *pattern;
	const char *help;
};
extern const struct cmd_def cmd_grammar[CMD__COUNT];

#define CMD_MAX_WORDS 32
#define CMD_MAX_LINE  1024

/* A resolved line: each word expanded (keywords in full) with the pattern
 * token it matched ("holdtime", "<1-65535>", "A.B.C.D"). */
struct cmd_args {
	const struct cmd_def *def;
	int argc;
	char *argv[CMD_MAX_WORDS];
	const char *tok[CMD_MAX_WORDS]; /* points into the compiled pattern */
	char buf[CMD_MAX_LINE + CMD_MAX_WORDS * 16];
};

/*
 * Split a line into words (blanks separate; no quoting: Cisco's grammar has
 * none). -1 with the reason in err when too long or too many words.
 */
int cmd_split(const char *line, char *buf, size_t bufsz, char **words, int max, struct strbuf *err);

/*
 * Resolve words against the commands of node whose owners intersect
 * owner_mask (0: any). 0 with the match in a, or -1 with a Cisco-style
 * message in err ("% Unknown command", "% Ambiguous command", "% Incomplete
 * command", "% Invalid input: ..."); *bad_word gets the index of the word
 * at fault (or argc when the line is incomplete) when bad_word is not NULL.
 */
int cmd_resolve(enum cmd_node node, unsigned owner_mask, char **words, int nwords,
                struct cmd_args *a, struct strbuf *err, int *bad_word);
/* cmd_split then cmd_resolve. */
int cmd_resolve_line(enum cmd_node node, unsigned owner_mask, const char *line, struct cmd_args *a,
                     struct strbuf *err);

/* Arguments by token: is keyword kw present; the nth word that matched tok. */
bool cmd_has(const struct cmd_args *a, const char *kw);
const char *cmd_arg(const struct cmd_args *a, const char *tok, int nth);
/* The expanded line ("show ip nhrp cache json") into out. */
void cmd_args_line(const struct cmd_args *a, struct strbuf *out);

/*
 * What may follow words[0..nwords) when the next word starts with partial
 * ("" for a new word): one entry per distinct token, keywords first then
 * arguments, plus "<cr>" when the line is complete already.
 */
struct cmd_next {
	const char *tok;  /* keyword, or the argument's pattern form ("<1-65535>") */
	const char *help; /* one line */
	bool keyword;
};
#define CMD_MAX_NEXT 64
int cmd_complete(enum cmd_node node, unsigned owner_mask, char **words, int nwords,
                 const char *partial, struct cmd_next *next, int max);

/* Does word fit the argument token tok (type and range)? */
bool cmd_token_accepts(const char *tok, const char *word);

/* The engine's own consistency check of the grammar (patterns parse, help
 * lines match the tokens, every command has declared owners, a declared
 * node is opened from the config node only); 0 or -1 with the reasons in
 * err. */
int cmd_grammar_check(struct strbuf *err);

#endif
