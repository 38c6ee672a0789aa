/*
 * The one bounded buffer type for every wire format.
 *
 * struct buf is a read cursor over bytes the caller owns. Every read checks
 * the remaining length first and fails with -1 without moving the cursor, so
 * a truncated packet can never be read past its end. buf_sub() carves a
 * nested TLV into a sub-buffer of exactly its declared length, so an inner
 * field cannot run into its neighbour.
 *
 * struct wbuf is a write cursor over a fixed-size area. Writes past the end
 * set a sticky error and write nothing; builders write everything and check
 * wbuf_ok() once at the end.
 */
#ifndef DMVPN_BUF_H
#define DMVPN_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	const uint8_t *data;
	size_t len; /* bytes in the buffer */
	size_t pos; /* read position, 0 <= pos <= len */
};

void buf_init(struct buf *b, const void *data, size_t len);
size_t buf_remaining(const struct buf *b);
/* Pointer to the unread bytes; valid for buf_remaining() bytes. */
const uint8_t *buf_cursor(const struct buf *b);

int buf_get_u8(struct buf *b, uint8_t *v);
int buf_get_be16(struct buf *b, uint16_t *v);
int buf_get_be32(struct buf *b, uint32_t *v);
int buf_get_be64(struct buf *b, uint64_t *v);
int buf_get_bytes(struct buf *b, void *out, size_t n);
/* Point *p at the next n bytes (no copy) and consume them. */
int buf_get_ptr(struct buf *b, const uint8_t **p, size_t n);
int buf_skip(struct buf *b, size_t n);
/* Carve the next n bytes into *sub (a fresh cursor) and consume them. */
int buf_sub(struct buf *b, struct buf *sub, size_t n);
/* Peek without consuming. */
int buf_peek_u8(const struct buf *b, size_t off, uint8_t *v);
int buf_peek_be16(const struct buf *b, size_t off, uint16_t *v);

struct wbuf {
	uint8_t *data;
	size_t cap;
	size_t len;
	bool overflow; /* sticky: a write did not fit */
};

void wbuf_init(struct wbuf *w, void *data, size_t cap);
bool wbuf_ok(const struct wbuf *w);
size_t wbuf_len(const struct wbuf *w);
void wbuf_put_u8(struct wbuf *w, uint8_t v);
void wbuf_put_be16(struct wbuf *w, uint16_t v);
void wbuf_put_be32(struct wbuf *w, uint32_t v);
void wbuf_put_be64(struct wbuf *w, uint64_t v);
void wbuf_put_bytes(struct wbuf *w, const void *p, size_t n);
void wbuf_put_zero(struct wbuf *w, size_t n);
/*
 * Reserve n bytes to fill in later (lengths, checksums). Returns the offset
 * of the reserved area, or SIZE_MAX after an overflow.
 */
size_t wbuf_reserve(struct wbuf *w, size_t n);
/* Overwrite a 16-bit field at an offset already written. */
void wbuf_set_be16(struct wbuf *w, size_t off, uint16_t v);

#endif
