/*
 * A recursive-descent JSON reader (RFC 8259). Recursion is bounded by
 * JSON_READ_MAX_DEPTH, so hostile nesting cannot exhaust the stack. Every
 * value is left either complete or cleared, so a failure anywhere frees
 * the partial tree from the top with one json_value_free.
 */
#include "json_read.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct json_reader {
	const unsigned char *s;
	size_t len;
	size_t pos;
	const char *why; /* the first error, reported with its offset */
	size_t at;
};

static int json_read_value(struct json_reader *r, struct json_value *v, int depth);

static int json_read_fail(struct json_reader *r, size_t at, const char *why)
{
	if (!r->why) {
		r->why = why;
		r->at = at;
	}
	return -1;
}

/* RFC 8259 section 2: only these four are insignificant whitespace. */
static void json_read_ws(struct json_reader *r)
{
	while (r->pos < r->len && (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
	                           r->s[r->pos] == '\n' || r->s[r->pos] == '\r'))
		r->pos++;
}

static bool json_read_peek(const struct json_reader *r, unsigned char c)
{
	return r->pos < r->len && r->s[r->pos] == c;
}

static void json_value_clear(struct json_value *v)
{
	switch (v->type) {
	case JSON_STRING:
		free(v->str);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		for (size_t i = 0; i < v->n; i++) {
			json_value_clear(&v->items[i]);
			if (v->keys)
				free(v->keys[i]);
		}
		free(v->items);
		free(v->keys);
		break;
	default:
		break;
	}
	memset(v, 0, sizeof(*v));
}

void json_value_free(struct json_value *v)
{
	if (!v)
		return;
	json_value_clear(v);
	free(v);
}

/*
 * The length of the well-formed UTF-8 sequence at p (Unicode 15 table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t json_read_utf8_len(const unsigned char *p, size_t avail)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0; /* overlong below U+0800 */
	else if (p[0] == 0xed)
		hi = 0x9f; /* U+D800..U+DFFF */
	else if (p[0] == 0xf0)
		lo = 0x90; /* overlong below U+10000 */
	else if (p[0] == 0xf4)
		hi = 0x8f; /* above U+10FFFF */
	if (avail < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static size_t json_read_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The four hex digits of a \u escape at p (which starts at the backslash). */
static int json_read_hex4(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	*cp = 0;
	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		unsigned char c = p[i];

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*cp |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*cp |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

/* A \u escape (section 7), a pair of them for a character beyond the BMP. */
static int json_read_uescape(struct json_reader *r, const unsigned char **pp,
                             const unsigned char *end, uint32_t *cp)
{
	const unsigned char *p = *pp;
	size_t at = (size_t)(p - r->s);
	uint32_t lo;

	if (json_read_hex4(p, end, cp) < 0)
		return json_read_fail(r, at, "invalid \\u escape");
	p += 6;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return json_read_fail(r, at, "lone surrogate in \\u escape");
	if (*cp >= 0xd800 && *cp <= 0xdbff) {
		if (json_read_hex4(p, end, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return json_read_fail(r, at, "lone surrogate in \\u escape");
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	}
	/* A NUL would silently cut the C string the caller gets. */
	if (*cp == 0)
		return json_read_fail(r, at, "\\u0000 in string");
	*pp = p;
	return 0;
}

/*
 * A string at r->pos (the opening quote) into a new C string. Decoding
 * never lengthens the text, so the raw length bounds the allocation.
 */
static int json_read_string(struct json_reader *r, char **out)
{
	const unsigned char *p, *end;
	size_t i = r->pos + 1, n = 0;
	uint32_t cp;
	char *s;

	while (i < r->len && r->s[i] != '"')
		i += r->s[i] == '\\' ? 2 : 1;
	if (i >= r->len)
		return json_read_fail(r, r->pos, "unterminated string");
	s = malloc(i - r->pos);
	if (!s)
		return json_read_fail(r, r->pos, "out of memory");
	end = r->s + i;
	for (p = r->s + r->pos + 1; p < end;) {
		size_t at = (size_t)(p - r->s), k;

		if (*p < 0x20) {
			free(s);
			return json_read_fail(r, at, "control character in string");
		}
		if (*p != '\\') {
			k = json_read_utf8_len(p, (size_t)(end - p));
			if (k == 0) {
				free(s);
				return json_read_fail(r, at, "invalid UTF-8 in string");
			}
			memcpy(s + n, p, k);
			n += k;
			p += k;
			continue;
		}
		switch (p[1]) {
		case '"':
		case '\\':
		case '/':
			cp = p[1];
			break;
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'n':
			cp = '\n';
			break;
		case 'r':
			cp = '\r';
			break;
		case 't':
			cp = '\t';
			break;
		case 'u':
			if (json_read_uescape(r, &p, end, &cp) < 0) {
				free(s);
				return -1;
			}
			n += json_read_utf8_put(s + n, cp);
			continue;
		default:
			free(s);
			return json_read_fail(r, at, "invalid escape in string");
		}
		s[n++] = (char)cp;
		p += 2;
	}
	s[n] = '\0';
	r->pos = i + 1;
	*out = s;
	return 0;
}

static size_t json_read_digits(struct json_reader *r)
{
	size_t start = r->pos;

	while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
		r->pos++;
	return r->pos - start;
}

/* The exact value of an integer text (-?digits), if it fits 64 bits. */
static void json_read_integer(struct json_value *v, const unsigned char *p, size_t n)
{
	bool neg = p[0] == '-';
	uint64_t mag = 0;

	for (size_t i = neg; i < n; i++) {
		unsigned d = p[i] - '0';

		if (mag > (UINT64_MAX - d) / 10)
			return;
		mag = mag * 10 + d;
	}
	if (!neg || mag == 0) {
		v->is_u64 = true;
		v->u = mag;
	}
	if (!neg && mag <= INT64_MAX) {
		v->is_i64 = true;
		v->i = (int64_t)mag;
	} else if (neg && mag <= (uint64_t)INT64_MAX + 1) {
		v->is_i64 = true;
		v->i = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	}
}

/*
 * The double of a checked number text. strtod reads the locale's decimal
 * point, so the '.' is swapped for it in a NUL-terminated copy.
 */
static int json_read_double(struct json_reader *r, size_t start, double *out)
{
	const char *dp = localeconv()->decimal_point;
	size_t n = r->pos - start, dpn = strlen(dp), k = 0;
	char small[64], *buf = small;

	if (n + dpn + 1 > sizeof(small)) {
		buf = malloc(n + dpn + 1);
		if (!buf)
			return json_read_fail(r, start, "out of memory");
	}
	for (size_t i = start; i < r->pos; i++) {
		if (r->s[i] == '.') {
			memcpy(buf + k, dp, dpn);
			k += dpn;
		} else {
			buf[k++] = (char)r->s[i];
		}
	}
	buf[k] = '\0';
	*out = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	/* Underflow rounds to zero quietly; overflow has no JSON spelling. */
	if (isinf(*out))
		return json_read_fail(r, start, "number out of range");
	return 0;
}

/* Section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_read_number(struct json_reader *r, struct json_value *v)
{
	size_t start = r->pos;
	bool integral = true;

	if (json_read_peek(r, '-'))
		r->pos++;
	if (json_read_peek(r, '0')) {
		r->pos++;
		if (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
			return json_read_fail(r, start, "leading zero in number");
	} else if (json_read_digits(r) == 0) {
		return json_read_fail(r, r->pos, "digit expected in number");
	}
	if (json_read_peek(r, '.')) {
		r->pos++;
		integral = false;
		if (json_read_digits(r) == 0)
			return json_read_fail(r, r->pos, "digit expected in number");
	}
	if (json_read_peek(r, 'e') || json_read_peek(r, 'E')) {
		r->pos++;
		integral = false;
		if (json_read_peek(r, '+') || json_read_peek(r, '-'))
			r->pos++;
		if (json_read_digits(r) == 0)
			return json_read_fail(r, r->pos, "digit expected in number");
	}
	if (json_read_double(r, start, &v->num) < 0)
		return -1;
	v->type = JSON_NUMBER;
	if (integral)
		json_read_integer(v, r->s + start, r->pos - start);
	return 0;
}

/* Room for one more member; an object's keys grow with its values. */
static int json_read_grow(struct json_reader *r, struct json_value *v, size_t *cap)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p;

	if (v->n < *cap)
		return 0;
	if (ncap > SIZE_MAX / sizeof(*v->items))
		return json_read_fail(r, r->pos, "out of memory");
	p = realloc(v->items, ncap * sizeof(*v->items));
	if (!p)
		return json_read_fail(r, r->pos, "out of memory");
	v->items = p;
	if (v->type == JSON_OBJECT) {
		p = realloc(v->keys, ncap * sizeof(*v->keys));
		if (!p)
			return json_read_fail(r, r->pos, "out of memory");
		v->keys = p;
	}
	*cap = ncap;
	return 0;
}

/*
 * After a member: the closing bracket (1), or a comma and more (0). A
 * bracket right after a comma is a trailing comma, which RFC 8259 lacks.
 */
static int json_read_next(struct json_reader *r, unsigned char close, const char *expected)
{
	json_read_ws(r);
	if (r->pos >= r->len)
		return json_read_fail(r, r->pos, "unexpected end of input");
	if (r->s[r->pos] == close) {
		r->pos++;
		return 1;
	}
	if (r->s[r->pos] != ',')
		return json_read_fail(r, r->pos, expected);
	r->pos++;
	json_read_ws(r);
	if (json_read_peek(r, close))
		return json_read_fail(r, r->pos, "trailing comma");
	return 0;
}

/* An array or object at r->pos; v->type says which. */
static int json_read_container(struct json_reader *r, struct json_value *v, int depth)
{
	bool obj = v->type == JSON_OBJECT;
	unsigned char close = obj ? '}' : ']';
	size_t cap = 0;
	char *key = NULL;
	int rc;

	if (depth >= JSON_READ_MAX_DEPTH)
		return json_read_fail(r, r->pos, "nesting too deep");
	r->pos++;
	json_read_ws(r);
	if (json_read_peek(r, close)) {
		r->pos++;
		return 0;
	}
	do {
		if (json_read_grow(r, v, &cap) < 0)
			return -1;
		if (obj) {
			json_read_ws(r);
			if (r->pos >= r->len)
				return json_read_fail(r, r->pos, "unexpected end of input");
			if (r->s[r->pos] != '"')
				return json_read_fail(r, r->pos, "expected string key");
			if (json_read_string(r, &key) < 0)
				return -1;
			json_read_ws(r);
			if (!json_read_peek(r, ':')) {
				free(key);
				return json_read_fail(r, r->pos, "expected ':'");
			}
			r->pos++;
		}
		if (json_read_value(r, &v->items[v->n], depth + 1) < 0) {
			free(key);
			return -1;
		}
		if (obj)
			v->keys[v->n] = key;
		key = NULL; /* owned by v now */
		v->n++;
		rc = json_read_next(r, close, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		if (rc < 0)
			return -1;
	} while (rc == 0);
	return 0;
}

static int json_read_literal(struct json_reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
		return json_read_fail(r, r->pos, "invalid literal");
	r->pos += n;
	return 0;
}

/* One value into *v; on failure *v is cleared (its children freed). */
static int json_read_value(struct json_reader *r, struct json_value *v, int depth)
{
	int rc;

	memset(v, 0, sizeof(*v));
	json_read_ws(r);
	if (r->pos >= r->len)
		return json_read_fail(r, r->pos, "unexpected end of input");
	switch (r->s[r->pos]) {
	case '{':
	case '[':
		v->type = r->s[r->pos] == '{' ? JSON_OBJECT : JSON_ARRAY;
		rc = json_read_container(r, v, depth);
		break;
	case '"':
		rc = json_read_string(r, &v->str);
		if (rc == 0)
			v->type = JSON_STRING;
		break;
	case 't':
	case 'f':
		v->type = JSON_BOOL;
		v->b = r->s[r->pos] == 't';
		rc = json_read_literal(r, v->b ? "true" : "false");
		break;
	case 'n':
		rc = json_read_literal(r, "null");
		break;
	default:
		if (r->s[r->pos] == '-' || (r->s[r->pos] >= '0' && r->s[r->pos] <= '9'))
			rc = json_read_number(r, v);
		else
			rc = json_read_fail(r, r->pos, "unexpected character");
		break;
	}
	if (rc < 0)
		json_value_clear(v);
	return rc;
}

struct json_value *json_read(const char *text, size_t len, char *err, size_t errlen)
{
	struct json_reader r = {.s = (const unsigned char *)text, .len = text ? len : 0};
	struct json_value *v = malloc(sizeof(*v));

	if (!v) {
		json_read_fail(&r, 0, "out of memory");
		goto fail;
	}
	if (json_read_value(&r, v, 0) < 0)
		goto fail;
	json_read_ws(&r);
	if (r.pos != r.len) {
		json_read_fail(&r, r.pos, "trailing characters after value");
		goto fail;
	}
	if (err && errlen)
		err[0] = '\0';
	return v;
fail:
	json_value_free(v);
	if (err && errlen)
		snprintf(err, errlen, "%s at offset %zu", r.why, r.at);
	return NULL;
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT || !key)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const struct json_value *json_at(const struct json_value *arr, size_t i)
{
	if (!arr || arr->type != JSON_ARRAY || i >= arr->n)
		return NULL;
	return &arr->items[i];
}

const char *json_get_str(const struct json_value *obj, const char *key, const char *dflt)
{
	const struct json_value *v = json_get(obj, key);

	return v && v->type == JSON_STRING ? v->str : dflt;
}

uint64_t json_get_u64(const struct json_value *obj, const char *key, uint64_t dflt)
{
	const struct json_value *v = json_get(obj, key);

	return v && v->type == JSON_NUMBER && v->is_u64 ? v->u : dflt;
}

void json_value_write(struct json *j, const struct json_value *v)
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
			json_double(j, v->num);
		break;
	case JSON_STRING:
		json_str(j, v->str);
		break;
	case JSON_ARRAY:
		json_arr_begin(j);
		for (size_t i = 0; i < v->n; i++)
			json_value_write(j, &v->items[i]);
		json_arr_end(j);
		break;
	case JSON_OBJECT:
		json_obj_begin(j);
		for (size_t i = 0; i < v->n; i++) {
			json_key(j, v->keys[i]);
			json_value_write(j, &v->items[i]);
		}
		json_obj_end(j);
		break;
	}
}
