/*
 * The config file's lexical layer: lines, words, comments, blocks, and
 * typed argument parsing with ranges. Cisco/FRR layout: a line that starts
 * in column 0 is a top-level statement or opens a block (`interface tun0`);
 * indented lines belong to the block above; `!` or `#` begins a comment.
 * Errors are collected as "file:line: reason" so that all are reported at
 * once, and the caller applies nothing when there is any.
 *
 * The command engine of the shell issue will sit on top of this.
 */
#ifndef DMVPN_CONF_H
#define DMVPN_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "lib/strbuf.h"

#define CONF_MAX_ARGS 32
#define CONF_MAX_LINE 1024

struct conf_line {
	int lineno;
	bool indented;
	int argc;
	char *argv[CONF_MAX_ARGS];
	char text[CONF_MAX_LINE];
};

struct conf_reader {
	FILE *f;
	const char *path;
	int lineno;
	struct strbuf *errors;
	unsigned nerrors;
};

int conf_open(struct conf_reader *r, const char *path, struct strbuf *errors);
/* Read from memory (the shell's `configure terminal`, fuzzers); name is
 * what error messages call it. */
int conf_open_mem(struct conf_reader *r, const char *name, const void *data, size_t len,
                  struct strbuf *errors);
void conf_close(struct conf_reader *r);
/* Next non-empty line: 1, or 0 at the end. Bad lines are reported and skipped. */
int conf_next(struct conf_reader *r, struct conf_line *l);
void conf_error(struct conf_reader *r, const struct conf_line *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Does l start with these words? e.g. conf_match(l, 2, "tunnel", "key") */
bool conf_match(const struct conf_line *l, int n, ...);

int conf_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int conf_parse_prefix(const char *s, struct ipaddr *a, unsigned *plen);
/* Interface names: 1..15 bytes of [A-Za-z0-9_.-]. */
bool conf_valid_ifname(const char *s);

#endif
