/*
 * Fuzz target: lib/json_read.c, which reads what the daemons answer the
 * shell. Whatever the bytes, json_read ends with a tree or a reason at an
 * offset inside the input. An accepted tree, written again by the daemons'
 * own writer (lib/json.h), reads back as an equal tree, and writing that
 * gives the same text: the reader and the writer agree on every string
 * and number either can hold.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/json_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(bool ok)
{
	if (!ok)
		abort();
}

/* Nesting in containers: 0 for a scalar. */
static int fuzz_depth(const struct json_value *v)
{
	int d = 0;

	if (v->type != JSON_ARRAY && v->type != JSON_OBJECT)
		return 0;
	for (size_t i = 0; i < v->n; i++) {
		int c = fuzz_depth(&v->items[i]);

		if (c > d)
			d = c;
	}
	return d + 1;
}

/*
 * lib/json.h writes integers only; a double is written as a placeholder
 * integer (for the comma logic) whose text is then replaced. %.17g gives
 * back the same double (the reader refuses the infinities it lacks), and
 * ".0" keeps an integral double a double, so the text is stable.
 */
static void fuzz_write_double(struct json *j, double d)
{
	struct strbuf *sb = j->out;
	size_t start;

	json_u64(j, 0);
	if (sb->oom)
		return;
	start = --sb->len;
	strbuf_printf(sb, "%.17g", d);
	if (!sb->oom && !strpbrk(sb->s + start, ".e"))
		strbuf_puts(sb, ".0");
}

static void fuzz_write(struct json *j, const struct json_value *v)
{
	switch (v->type) {
	case JSON_NULL:
		json_null(j);
		break;
	case JSON_BOOL:
		json_bool(j, v->b);
		break;
	case JSON_NUMBER:
		if (v->is_u64)
			json_u64(j, v->u);
		else if (v->is_i64)
			json_i64(j, v->i);
		else
			fuzz_write_double(j, v->num);
		break;
	case JSON_STRING:
		json_str(j, v->str);
		break;
	case JSON_ARRAY:
		json_arr_begin(j);
		for (size_t i = 0; i < v->n; i++)
			fuzz_write(j, &v->items[i]);
		json_arr_end(j);
		break;
	case JSON_OBJECT:
		json_obj_begin(j);
		for (size_t i = 0; i < v->n; i++) {
			json_key(j, v->keys[i]);
			fuzz_write(j, &v->items[i]);
		}
		json_obj_end(j);
		break;
	}
}

/*
 * An exact integer stays one and is compared by its value ("-0" may come
 * back as 0, so not by the sign of its double); any other number must come
 * back as the very same double.
 */
static bool fuzz_number_equal(const struct json_value *a, const struct json_value *b)
{
	if (a->is_u64 != b->is_u64 || a->is_i64 != b->is_i64)
		return false;
	if (a->is_u64 || a->is_i64)
		return (!a->is_u64 || a->u == b->u) && (!a->is_i64 || a->i == b->i) &&
		       a->num == b->num;
	return memcmp(&a->num, &b->num, sizeof(a->num)) == 0;
}

static bool fuzz_equal(const struct json_value *a, const struct json_value *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case JSON_NULL:
		return true;
	case JSON_BOOL:
		return a->b == b->b;
	case JSON_NUMBER:
		return fuzz_number_equal(a, b);
	case JSON_STRING:
		return strcmp(a->str, b->str) == 0;
	case JSON_ARRAY:
	case JSON_OBJECT:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if ((a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0) ||
			    !fuzz_equal(&a->items[i], &b->items[i]))
				return false;
		return true;
	}
	return false;
}

static void fuzz_serialize(const struct json_value *v, struct strbuf *sb)
{
	struct json j;

	json_init(&j, sb);
	fuzz_write(&j, v);
	fuzz_check(!sb->oom);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_value *v, *again;
	struct strbuf first, second;
	char err[128];
	const char *at;

	v = json_read((const char *)data, size, err, sizeof(err));
	if (!v) {
		/* A refusal says why, at an offset within the input. */
		at = strstr(err, " at offset ");
		fuzz_check(at != NULL && at != err);
		fuzz_check(strtoull(at + strlen(" at offset "), NULL, 10) <= size);
		return 0;
	}
	fuzz_check(err[0] == '\0' && fuzz_depth(v) <= JSON_READ_MAX_DEPTH);
	/* The writer keeps comma state for JSON_MAX_DEPTH - 1 open containers. */
	if (fuzz_depth(v) >= JSON_MAX_DEPTH) {
		json_value_free(v);
		return 0;
	}
	strbuf_init(&first);
	strbuf_init(&second);
	fuzz_serialize(v, &first);
	again = json_read(strbuf_str(&first), first.len, err, sizeof(err));
	fuzz_check(again != NULL);
	fuzz_check(fuzz_equal(v, again));
	fuzz_serialize(again, &second);
	fuzz_check(first.len == second.len && memcmp(first.s, second.s, first.len) == 0);
	json_value_free(again);
	json_value_free(v);
	strbuf_free(&first);
	strbuf_free(&second);
	return 0;
}
