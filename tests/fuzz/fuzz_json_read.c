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
	json_value_write(&j, v);
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
