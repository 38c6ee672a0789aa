/*
 * Logging with levels and categories, both switchable at run time (the
 * shell's `debug ...` commands), and a token bucket for per-packet messages
 * so that a peer sending garbage cannot flood the log.
 */
#ifndef DMVPN_LOG_H
#define DMVPN_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_NOTICE, LOG_LVL_INFO, LOG_LVL_DEBUG };

/*
 * Categories gate debug messages only; errors to info always show. Each
 * component declares its own in its part of the grammar
 * (LOG_CATEGORY(NHRP, "nhrp") gives LOG_CAT_NHRP, named "nhrp" for -d and
 * show debugging; lib/grammar.h), beside the `debug` commands that switch
 * them; every program knows them all, in the grammar's order.
 */
enum log_cat {
	LOG_CAT_GENERAL = 0,
#define LOG_CATEGORY(id, name) LOG_CAT_##id,
#include "lib/grammar.h"
	LOG_CAT__COUNT
};

struct log_ratelimit {
	uint32_t tokens;
	uint32_t suppressed;
	uint64_t last_refill_ms;
};

/* Burst and sustained rate of rate-limited messages, per limiter. */
#define LOG_RATELIMIT_BURST   10
#define LOG_RATELIMIT_PER_SEC 1

void log_init(const char *ident, bool to_syslog);
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
void log_set_category(enum log_cat cat, bool on);
bool log_category_enabled(enum log_cat cat);
const char *log_cat_name(enum log_cat cat);
int log_cat_from_name(const char *name); /* -1 if unknown */
const char *log_level_name(enum log_level lvl);
int log_level_from_name(const char *name);

void log_msg(enum log_level lvl, enum log_cat cat, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A multi-line text (config errors, notices), one log line per line, each
 * after prefix; a leading "% " (the shell's mark) is dropped. */
void log_lines(enum log_level lvl, const char *prefix, const char *text);
/* Like log_msg, but dropped (and counted) when rl has no token left. */
void log_msg_rl(struct log_ratelimit *rl, enum log_level lvl, enum log_cat cat, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));
/* Takes a token from rl; false when the message should be suppressed. */
bool log_ratelimit_take(struct log_ratelimit *rl, uint64_t now_ms);

#define log_err(...)    log_msg(LOG_LVL_ERR, LOG_CAT_GENERAL, __VA_ARGS__)
#define log_warn(...)   log_msg(LOG_LVL_WARN, LOG_CAT_GENERAL, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, LOG_CAT_GENERAL, __VA_ARGS__)
#define log_info(...)   log_msg(LOG_LVL_INFO, LOG_CAT_GENERAL, __VA_ARGS__)
#define log_debug(cat, ...)                                                                        \
	do {                                                                                       \
		if (log_category_enabled(cat))                                                     \
			log_msg(LOG_LVL_DEBUG, cat, __VA_ARGS__);                                  \
	} while (0)

#endif
