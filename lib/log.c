#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "lib/clock.h"

static struct {
	const char *ident;
	bool to_syslog;
	enum log_level level;
	bool cats[LOG_CAT__COUNT];
} log_state = {.ident = "dmvpn", .level = LOG_LVL_INFO};

static const char *const log_cat_names[LOG_CAT__COUNT] = {
    [LOG_CAT_GENERAL] = "general",
#define LOG_CATEGORY(id, name) [LOG_CAT_##id] = name,
#include "lib/grammar.h"
};

static const char *const log_level_names[] = {
    [LOG_LVL_ERR] = "error", [LOG_LVL_WARN] = "warning", [LOG_LVL_NOTICE] = "notice",
    [LOG_LVL_INFO] = "info", [LOG_LVL_DEBUG] = "debug",
};

static const int log_syslog_prio[] = {
    [LOG_LVL_ERR] = LOG_ERR,   [LOG_LVL_WARN] = LOG_WARNING, [LOG_LVL_NOTICE] = LOG_NOTICE,
    [LOG_LVL_INFO] = LOG_INFO, [LOG_LVL_DEBUG] = LOG_DEBUG,
};

void log_init(const char *ident, bool to_syslog)
{
	log_state.ident = ident;
	log_state.to_syslog = to_syslog;
	if (to_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(enum log_level lvl)
{
	log_state.level = lvl;
}

enum log_level log_get_level(void)
{
	return log_state.level;
}

void log_set_category(enum log_cat cat, bool on)
{
	if ((unsigned)cat < LOG_CAT__COUNT)
		log_state.cats[cat] = on;
}

bool log_category_enabled(enum log_cat cat)
{
	return (unsigned)cat < LOG_CAT__COUNT && log_state.cats[cat];
}

const char *log_cat_name(enum log_cat cat)
{
	return (unsigned)cat < LOG_CAT__COUNT ? log_cat_names[cat] : "?";
}

int log_cat_from_name(const char *name)
{
	for (int i = 0; i < LOG_CAT__COUNT; i++)
		if (strcmp(name, log_cat_names[i]) == 0)
			return i;
	return -1;
}

const char *log_level_name(enum log_level lvl)
{
	return (unsigned)lvl <= LOG_LVL_DEBUG ? log_level_names[lvl] : "?";
}

int log_level_from_name(const char *name)
{
	for (int i = 0; i <= LOG_LVL_DEBUG; i++)
		if (strcmp(name, log_level_names[i]) == 0)
			return i;
	return -1;
}

__attribute__((format(printf, 3, 0))) static void log_vmsg(enum log_level lvl, enum log_cat cat,
                                                           const char *fmt, va_list ap)
{
	char line[1024];

	if (lvl > log_state.level && !(lvl == LOG_LVL_DEBUG && log_category_enabled(cat)))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_state.to_syslog) {
		syslog(log_syslog_prio[lvl], "%s: %s", log_cat_names[cat], line);
		return;
	}
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %s %s %s: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
	        ts.tv_nsec / 1000000, log_state.ident, log_level_names[lvl], log_cat_names[cat],
	        line);
}

void log_msg(enum log_level lvl, enum log_cat cat, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, cat, fmt, ap);
	va_end(ap);
}

bool log_ratelimit_take(struct log_ratelimit *rl, uint64_t now_ms)
{
	uint64_t elapsed = now_ms - rl->last_refill_ms;

	if (rl->last_refill_ms == 0 || elapsed >= 1000) {
		uint64_t add = rl->last_refill_ms == 0 ? LOG_RATELIMIT_BURST
		                                       : elapsed / 1000 * LOG_RATELIMIT_PER_SEC;

		rl->tokens = (uint32_t)(rl->tokens + add > LOG_RATELIMIT_BURST ? LOG_RATELIMIT_BURST
		                                                               : rl->tokens + add);
		rl->last_refill_ms = now_ms;
	}
	if (rl->tokens == 0) {
		rl->suppressed++;
		return false;
	}
	rl->tokens--;
	return true;
}

void log_msg_rl(struct log_ratelimit *rl, enum log_level lvl, enum log_cat cat, const char *fmt,
                ...)
{
	va_list ap;

	if (!log_ratelimit_take(rl, clock_now_ms()))
		return;
	if (rl->suppressed) {
		log_msg(lvl, cat, "(%u similar messages suppressed)", rl->suppressed);
		rl->suppressed = 0;
	}
	va_start(ap, fmt);
	log_vmsg(lvl, cat, fmt, ap);
	va_end(ap);
}

void log_lines(enum log_level lvl, const char *prefix, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		if (n >= 2 && text[0] == '%' && text[1] == ' ')
			log_msg(lvl, LOG_CAT_GENERAL, "%s%.*s", prefix, n - 2, text + 2);
		else if (n > 0)
			log_msg(lvl, LOG_CAT_GENERAL, "%s%.*s", prefix, n, text);
		text += n + (nl != NULL);
	}
}
