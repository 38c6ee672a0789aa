#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct strbuf *out)
{
	j->out = out;
	j->depth = 0;
	j->need_comma[0] = false;
	j->after_key = false;
}

/* Before any value: a comma if a sibling came first (not after a key). */
static void json_value_prefix(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		strbuf_puts(j->out, ",");
	j->need_comma[j->depth] = true;
}

static void json_open(struct json *j, const char *c)
{
	json_value_prefix(j);
	strbuf_puts(j->out, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct json *j, const char *c)
{
	strbuf_puts(j->out, c);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_begin(struct json *j)
{
	json_open(j, "{");
}

void json_obj_end(struct json *j)
{
	json_close(j, "}");
}

void json_arr_begin(struct json *j)
{
	json_open(j, "[");
}

void json_arr_end(struct json *j)
{
	json_close(j, "]");
}

static void json_quoted(struct strbuf *out, const char *s)
{
	strbuf_puts(out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			strbuf_puts(out, "\\\"");
			break;
		case '\\':
			strbuf_puts(out, "\\\\");
			break;
		case '\n':
			strbuf_puts(out, "\\n");
			break;
		case '\t':
			strbuf_puts(out, "\\t");
			break;
		default:
			if (*p < 0x20)
				strbuf_printf(out, "\\u%04x", *p);
			else
				strbuf_add(out, (const char *)p, 1);
		}
	}
	strbuf_puts(out, "\"");
}

void json_key(struct json *j, const char *key)
{
	json_value_prefix(j);
	json_quoted(j->out, key);
	strbuf_puts(j->out, ":");
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	json_value_prefix(j);
	json_quoted(j->out, s);
}

void json_u64(struct json *j, uint64_t v)
{
	json_value_prefix(j);
	strbuf_printf(j->out, "%" PRIu64, v);
}

void json_i64(struct json *j, int64_t v)
{
	json_value_prefix(j);
	strbuf_printf(j->out, "%" PRId64, v);
}

void json_double(struct json *j, double v)
{
	size_t start;

	json_value_prefix(j);
	start = j->out->len;
	/* %.17g reads back as the same double; ".0" keeps an integral one a
	 * double in the text. The caller gives a finite value (JSON has no
	 * infinities or NaN). */
	strbuf_printf(j->out, "%.17g", v);
	if (!j->out->oom && !strpbrk(j->out->s + start, ".e"))
		strbuf_puts(j->out, ".0");
}

void json_bool(struct json *j, bool v)
{
	json_value_prefix(j);
	strbuf_puts(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	json_value_prefix(j);
	strbuf_puts(j->out, "null");
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
