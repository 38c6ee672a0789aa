/*
 * A strict JSON (RFC 8259) reader for the shell, which merges the `json`
 * answers of the daemons (written by lib/json.h). It parses a whole text
 * into an owned tree; the accessors below tolerate NULL and wrong types so
 * that a missing member reads as a default instead of a crash.
 */
#ifndef DMVPN_JSON_READ_H
#define DMVPN_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/json.h"

/* Containers nested deeper than this are refused: the parser recurses. */
#define JSON_READ_MAX_DEPTH 64

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	bool b; /* BOOL */
	/*
	 * NUMBER: num is the nearest double. A number written without fraction
	 * or exponent also has its exact value, so 64-bit counters survive:
	 * is_u64 when it is within 0..UINT64_MAX, is_i64 when within
	 * INT64_MIN..INT64_MAX ("-0" is 0 for both).
	 */
	double num;
	bool is_u64, is_i64;
	uint64_t u;
	int64_t i;
	char *str;                /* STRING: decoded UTF-8, NUL-terminated (no \u0000) */
	size_t n;                 /* ARRAY/OBJECT: number of members */
	struct json_value *items; /* ARRAY: n values; OBJECT: n values */
	char **keys;              /* OBJECT: n keys, decoded like strings */
};

/*
 * Parses exactly one value, with only whitespace around it. NULL on error,
 * with "reason at offset N" in err (if err is not NULL). Refuses what RFC
 * 8259 does not allow (trailing commas, comments, leading zeros, NaN, raw
 * control characters, invalid UTF-8, lone surrogates), and also \u0000 in
 * strings, numbers beyond the double range and nesting deeper than
 * JSON_READ_MAX_DEPTH. Duplicate keys are kept in order.
 */
struct json_value *json_read(const char *text, size_t len, char *err, size_t errlen);
void json_value_free(struct json_value *v);

/* The first member named key of an object, or NULL (also if obj is not one). */
const struct json_value *json_get(const struct json_value *obj, const char *key);
/* Element i of an array, or NULL. */
const struct json_value *json_at(const struct json_value *arr, size_t i);
/* The string member key of obj, or dflt if it is missing or not a string. */
const char *json_get_str(const struct json_value *obj, const char *key, const char *dflt);
/* The member key of obj if it is an integer within 0..UINT64_MAX, else dflt. */
uint64_t json_get_u64(const struct json_value *obj, const char *key, uint64_t dflt);

/* Write v back through lib/json.h's writer (exact integers stay exact). */
void json_value_write(struct json *j, const struct json_value *v);

#endif
