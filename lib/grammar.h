/*
 * The assembled grammar, read through X-macros. No include guard: a
 * consumer defines the macros it needs, includes this file, and gets one
 * expansion per declaration; the others expand to nothing, and all are
 * undefined again at the end.
 *
 * Each component declares, next to its code, what it adds to the engine
 * (its FOO.def: the commands it acts on, and the owners, nodes and debug
 * categories they name); make concatenates the parts in a fixed order into
 * grammar.def under the build directory (the Makefile's GRAMMAR_PARTS), as
 * FRR gathers vtysh's commands from its daemons' sources. So lib/ names no
 * process, and every program still links the whole grammar: a line of
 * another process's is recognised, one no process knows is refused by all.
 *
 *   OWNER(id, role)         a process that acts on commands: CMD_OWN_<id>
 *                           is its bit (lib/cmd.h: enum cmd_role)
 *   NODE(id, prompt)        a block of the configuration (CMD_NODE_<id>),
 *                           opened by a command of the config node; prompt
 *                           as in "hub1(config-if)#"
 *   LOG_CATEGORY(id, name)  a debug category (LOG_CAT_<id>, lib/log.h), by
 *                           name for -d NAME and show debugging
 *   CMD(id, node, enters, owners, pattern, help)
 *                           a command (CMD_<id>): where it is typed, the
 *                           node it opens (CMD_NODE_NONE: none), who acts
 *                           on it (CMD_OWN_ bits), its pattern and help
 *                           (lib/cmd.h)
 *
 * The order of the parts is part of the grammar: it numbers the owners'
 * bits, the nodes after EXEC and CONFIG and the categories after GENERAL
 * (show debugging lists them in that order), and where one word fits
 * several commands of a node, the first declared is the one an ambiguity
 * message and `?` name first.
 */

/* Help lines the components' commands share (FRR's SHOW_STR & co.). */
#ifndef DMVPN_GRAMMAR_HELP
#define DMVPN_GRAMMAR_HELP
#define SHOW_STR    "Show running system information\n"
#define NO_STR      "Negate a command or set its defaults\n"
#define IP_STR      "Internet Protocol (IPv4)\n"
#define IPV6_STR    "Internet Protocol version 6\n"
#define JSON_STR    "JavaScript Object Notation output\n"
#define DETAIL_STR  "Every field\n"
#define DEBUG_STR   "Turn on debug logging\n"
#define CLEAR_STR   "Reset state or counters\n"
#define RUNCONF_STR "The configuration in effect\n"
#define IFNAME_STR  "Interface name\n"
#endif

#ifndef OWNER
#define OWNER(id, role)
#endif
#ifndef NODE
#define NODE(id, prompt)
#endif
#ifndef LOG_CATEGORY
#define LOG_CATEGORY(id, name)
#endif
#ifndef CMD
#define CMD(id, node, enters, owners, pattern, help)
#endif

#include "grammar.def"

#undef OWNER
#undef NODE
#undef LOG_CATEGORY
#undef CMD
