/* A growable text buffer for show output and JSON. */
#ifndef DMVPN_STRBUF_H
#define DMVPN_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	bool oom; /* sticky: an allocation failed */
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *strbuf_str(const struct strbuf *sb);

#endif
