#include "lib/conf.h"

#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int conf_open(struct conf_reader *r, const char *path, struct strbuf *errors)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->errors = errors;
	r->f = fopen(path, "re");
	if (!r->f) {
		strbuf_printf(errors, "%s: %s\n", path, strerror(errno));
		r->nerrors++;
		return -1;
	}
	return 0;
}

int conf_open_mem(struct conf_reader *r, const char *name, const void *data, size_t len,
                  struct strbuf *errors)
{
	memset(r, 0, sizeof(*r));
	r->path = name;
	r->errors = errors;
	/* fmemopen of zero bytes fails; an empty config is still a config. */
	r->f = len ? fmemopen((void *)data, len, "r") : fopen("/dev/null", "re");
	if (!r->f) {
		strbuf_printf(errors, "%s: %s\n", name, strerror(errno));
		r->nerrors++;
		return -1;
	}
	return 0;
}

void conf_close(struct conf_reader *r)
{
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}

void conf_error(struct conf_reader *r, const struct conf_line *l, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strbuf_printf(r->errors, "%s:%d: %s\n", r->path, l ? l->lineno : r->lineno, msg);
	r->nerrors++;
}

/* Split text in place into words; a comment ends the line. */
static int conf_split(struct conf_reader *r, struct conf_line *l)
{
	char *p = l->text;

	l->argc = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '\n' || *p == '!' || *p == '#')
			break;
		if (l->argc == CONF_MAX_ARGS) {
			conf_error(r, l, "too many words (at most %d)", CONF_MAX_ARGS);
			return -1;
		}
		l->argv[l->argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return 0;
}

int conf_next(struct conf_reader *r, struct conf_line *l)
{
	while (r->f && fgets(l->text, sizeof(l->text), r->f)) {
		size_t n = strlen(l->text);

		l->lineno = ++r->lineno;
		if (n == sizeof(l->text) - 1 && l->text[n - 1] != '\n') {
			int c;

			conf_error(r, l, "line longer than %d characters", CONF_MAX_LINE - 2);
			while ((c = fgetc(r->f)) != EOF && c != '\n')
				;
			continue;
		}
		l->indented = l->text[0] == ' ' || l->text[0] == '\t';
		if (conf_split(r, l) < 0)
			continue;
		if (l->argc > 0)
			return 1;
	}
	return 0;
}

bool conf_match(const struct conf_line *l, int n, ...)
{
	va_list ap;
	bool ok = l->argc >= n;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *w = va_arg(ap, const char *);

		if (ok && strcmp(l->argv[i], w) != 0)
			ok = false;
	}
	va_end(ap);
	return ok;
}

int conf_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int conf_parse_prefix(const char *s, struct ipaddr *a, unsigned *plen)
{
	char tmp[IPADDR_STRLEN + 5];
	const char *slash = strchr(s, '/');
	uint32_t len;

	if (!slash || (size_t)(slash - s) >= IPADDR_STRLEN)
		return -1;
	memcpy(tmp, s, (size_t)(slash - s));
	tmp[slash - s] = '\0';
	if (ipaddr_parse(tmp, a) < 0)
		return -1;
	if (conf_parse_u32(slash + 1, 0, a->family == AF_INET ? 32 : 128, &len) < 0)
		return -1;
	*plen = len;
	return 0;
}

bool conf_valid_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}
