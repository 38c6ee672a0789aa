#include "buf.h"

#include <string.h>

/* Never a NULL base: even NULL + 0 is undefined behaviour in C. */
static uint8_t buf_empty[1];

void buf_init(struct buf *b, const void *data, size_t len)
{
	b->data = data ? data : buf_empty;
	b->len = data ? len : 0;
	b->pos = 0;
}

size_t buf_remaining(const struct buf *b)
{
	return b->len - b->pos;
}

const uint8_t *buf_cursor(const struct buf *b)
{
	return b->data + b->pos;
}

int buf_get_ptr(struct buf *b, const uint8_t **p, size_t n)
{
	if (n > buf_remaining(b))
		return -1;
	*p = b->data + b->pos;
	b->pos += n;
	return 0;
}

int buf_get_bytes(struct buf *b, void *out, size_t n)
{
	const uint8_t *p;

	if (buf_get_ptr(b, &p, n) < 0)
		return -1;
	if (n)
		memcpy(out, p, n);
	return 0;
}

int buf_skip(struct buf *b, size_t n)
{
	const uint8_t *p;

	return buf_get_ptr(b, &p, n);
}

int buf_get_u8(struct buf *b, uint8_t *v)
{
	const uint8_t *p;

	if (buf_get_ptr(b, &p, 1) < 0)
		return -1;
	*v = p[0];
	return 0;
}

int buf_get_be16(struct buf *b, uint16_t *v)
{
	const uint8_t *p;

	if (buf_get_ptr(b, &p, 2) < 0)
		return -1;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

int buf_get_be32(struct buf *b, uint32_t *v)
{
	const uint8_t *p;

	if (buf_get_ptr(b, &p, 4) < 0)
		return -1;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int buf_get_be64(struct buf *b, uint64_t *v)
{
	uint32_t hi, lo;

	if (buf_remaining(b) < 8)
		return -1;
	buf_get_be32(b, &hi);
	buf_get_be32(b, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int buf_sub(struct buf *b, struct buf *sub, size_t n)
{
	const uint8_t *p;

	if (buf_get_ptr(b, &p, n) < 0)
		return -1;
	buf_init(sub, p, n);
	return 0;
}

int buf_peek_u8(const struct buf *b, size_t off, uint8_t *v)
{
	if (off >= buf_remaining(b))
		return -1;
	*v = b->data[b->pos + off];
	return 0;
}

int buf_peek_be16(const struct buf *b, size_t off, uint16_t *v)
{
	if (buf_remaining(b) < 2 || off > buf_remaining(b) - 2)
		return -1;
	*v = (uint16_t)(b->data[b->pos + off] << 8 | b->data[b->pos + off + 1]);
	return 0;
}

void wbuf_init(struct wbuf *w, void *data, size_t cap)
{
	w->data = data ? data : buf_empty;
	w->cap = data ? cap : 0;
	w->len = 0;
	w->overflow = false;
}

bool wbuf_ok(const struct wbuf *w)
{
	return !w->overflow;
}

size_t wbuf_len(const struct wbuf *w)
{
	return w->len;
}

/* Returns the area to write n bytes into, or NULL (and marks overflow). */
static uint8_t *wbuf_take(struct wbuf *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return NULL;
	}
	p = w->data + w->len;
	w->len += n;
	return p;
}

void wbuf_put_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_take(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void wbuf_put_zero(struct wbuf *w, size_t n)
{
	uint8_t *p = wbuf_take(w, n);

	if (p && n)
		memset(p, 0, n);
}

void wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	wbuf_put_bytes(w, &v, 1);
}

void wbuf_put_be16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	wbuf_put_bytes(w, b, sizeof(b));
}

void wbuf_put_be32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	wbuf_put_bytes(w, b, sizeof(b));
}

void wbuf_put_be64(struct wbuf *w, uint64_t v)
{
	wbuf_put_be32(w, (uint32_t)(v >> 32));
	wbuf_put_be32(w, (uint32_t)v);
}

size_t wbuf_reserve(struct wbuf *w, size_t n)
{
	size_t off = w->len;

	if (!wbuf_take(w, n))
		return SIZE_MAX;
	memset(w->data + off, 0, n);
	return off;
}

void wbuf_set_be16(struct wbuf *w, size_t off, uint16_t v)
{
	if (w->overflow || off > w->len || w->len - off < 2) {
		w->overflow = true;
		return;
	}
	w->data[off] = (uint8_t)(v >> 8);
	w->data[off + 1] = (uint8_t)v;
}
