/*
 * struct buf / struct wbuf: every wire codec trusts these bounds checks, so
 * each getter is exercised on buffers that are exactly big enough, one byte
 * short and empty, and every failure must leave the cursor where it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/buf.h"

/* Known big-endian bytes; the high bits are set so sign extension shows. */
static const uint8_t be_bytes[] = {0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89};

/* Every fixed-size getter succeeds on a buffer of exactly its width. */
static void test_get_exact_size(void **state)
{
	struct buf b;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	buf_init(&b, be_bytes, 1);
	assert_int_equal(buf_get_u8(&b, &u8), 0);
	assert_int_equal(u8, 0x81);
	assert_int_equal(buf_remaining(&b), 0);

	buf_init(&b, be_bytes, 2);
	assert_int_equal(buf_get_be16(&b, &u16), 0);
	assert_int_equal(u16, 0x8182);
	assert_int_equal(buf_remaining(&b), 0);

	buf_init(&b, be_bytes, 4);
	assert_int_equal(buf_get_be32(&b, &u32), 0);
	assert_int_equal(u32, 0x81828384u);
	assert_int_equal(buf_remaining(&b), 0);

	buf_init(&b, be_bytes, 8);
	assert_int_equal(buf_get_be64(&b, &u64), 0);
	assert_true(u64 == 0x8182838485868788ull);
	assert_int_equal(buf_remaining(&b), 0);

	/* Having consumed everything, even one more byte must fail. */
	assert_int_equal(buf_get_u8(&b, &u8), -1);
	assert_int_equal(b.pos, 8);
}

/* One byte short of each width: -1, and the cursor does not move. */
static void test_get_short(void **state)
{
	struct buf b;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	uint8_t out[9];
	const uint8_t *p;
	struct buf sub;

	(void)state;
	buf_init(&b, be_bytes, 1);
	assert_int_equal(buf_get_be16(&b, &u16), -1);
	assert_int_equal(b.pos, 0);
	assert_int_equal(buf_remaining(&b), 1);

	buf_init(&b, be_bytes, 3);
	assert_int_equal(buf_get_be32(&b, &u32), -1);
	assert_int_equal(b.pos, 0);

	buf_init(&b, be_bytes, 7);
	assert_int_equal(buf_get_be64(&b, &u64), -1);
	assert_int_equal(b.pos, 0);

	buf_init(&b, be_bytes, 8);
	assert_int_equal(buf_get_bytes(&b, out, 9), -1);
	assert_int_equal(b.pos, 0);
	assert_int_equal(buf_get_ptr(&b, &p, 9), -1);
	assert_int_equal(b.pos, 0);
	assert_int_equal(buf_skip(&b, 9), -1);
	assert_int_equal(b.pos, 0);
	assert_int_equal(buf_sub(&b, &sub, 9), -1);
	assert_int_equal(b.pos, 0);
	/* A length that would wrap pos + n must not pass the check. */
	assert_int_equal(buf_skip(&b, SIZE_MAX), -1);
	assert_int_equal(b.pos, 0);
}

/* Shortness measured from the cursor, not from the start of the buffer. */
static void test_get_short_after_reads(void **state)
{
	struct buf b;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	buf_init(&b, be_bytes, 8);
	assert_int_equal(buf_get_u8(&b, &u8), 0);
	assert_int_equal(buf_get_be64(&b, &u64), -1);
	assert_int_equal(b.pos, 1);
	assert_int_equal(buf_skip(&b, 4), 0);
	assert_int_equal(buf_get_be32(&b, &u32), -1);
	assert_int_equal(b.pos, 5);
	assert_int_equal(buf_get_be16(&b, &u16), 0);
	assert_int_equal(u16, 0x8687);
	assert_int_equal(buf_get_be16(&b, &u16), -1);
	assert_int_equal(b.pos, 7);
	assert_int_equal(buf_get_u8(&b, &u8), 0);
	assert_int_equal(u8, 0x88);
	assert_int_equal(buf_remaining(&b), 0);
}

static void check_all_getters_fail(struct buf *b)
{
	uint8_t u8, out[1];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	const uint8_t *p;
	struct buf sub;
	size_t pos = b->pos;

	assert_int_equal(buf_get_u8(b, &u8), -1);
	assert_int_equal(buf_get_be16(b, &u16), -1);
	assert_int_equal(buf_get_be32(b, &u32), -1);
	assert_int_equal(buf_get_be64(b, &u64), -1);
	assert_int_equal(buf_get_bytes(b, out, 1), -1);
	assert_int_equal(buf_get_ptr(b, &p, 1), -1);
	assert_int_equal(buf_skip(b, 1), -1);
	assert_int_equal(buf_sub(b, &sub, 1), -1);
	assert_int_equal(buf_peek_u8(b, 0, &u8), -1);
	assert_int_equal(buf_peek_be16(b, 0, &u16), -1);
	assert_int_equal(b->pos, pos);
	assert_int_equal(buf_remaining(b), 0);
}

static void test_empty(void **state)
{
	struct buf b;
	uint8_t out[1] = {0};

	(void)state;
	buf_init(&b, be_bytes, 0);
	check_all_getters_fail(&b);
	/* Zero-length reads of an empty buffer are not past its end. */
	assert_int_equal(buf_skip(&b, 0), 0);
	assert_int_equal(buf_get_bytes(&b, out, 0), 0);
	assert_int_equal(b.pos, 0);

	/* A NULL buffer is empty whatever length it is given. */
	buf_init(&b, NULL, 100);
	assert_int_equal(b.len, 0);
	check_all_getters_fail(&b);

	/* A buffer read to its end behaves as an empty one. */
	buf_init(&b, be_bytes, sizeof(be_bytes));
	assert_int_equal(buf_skip(&b, sizeof(be_bytes)), 0);
	check_all_getters_fail(&b);
}

static void test_big_endian_known(void **state)
{
	static const uint8_t d[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                            0x00, 0x01, 0x00, 0x00, 0x00, 0x01};
	struct buf b;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	buf_init(&b, d, sizeof(d));
	assert_int_equal(buf_get_be16(&b, &u16), 0);
	assert_int_equal(u16, 0x1234);
	assert_int_equal(buf_get_be16(&b, &u16), 0);
	assert_int_equal(u16, 0x5678);
	assert_int_equal(buf_get_be32(&b, &u32), 0);
	assert_int_equal(u32, 0x9abcdef0u);
	assert_int_equal(buf_get_be64(&b, &u64), 0);
	assert_true(u64 == UINT64_MAX);
	assert_int_equal(buf_get_be16(&b, &u16), 0);
	assert_int_equal(u16, 0x0001);
	assert_int_equal(buf_get_be32(&b, &u32), 0);
	assert_int_equal(u32, 0x00000001u);
	assert_int_equal(buf_remaining(&b), 0);

	buf_init(&b, d, sizeof(d));
	assert_int_equal(buf_get_be64(&b, &u64), 0);
	assert_true(u64 == 0x123456789abcdef0ull);
	assert_int_equal(buf_get_be32(&b, &u32), 0);
	assert_int_equal(u32, 0xffffffffu);
}

static void test_bytes_ptr_cursor(void **state)
{
	struct buf b;
	uint8_t out[4];
	const uint8_t *p;

	(void)state;
	buf_init(&b, be_bytes, sizeof(be_bytes));
	assert_ptr_equal(buf_cursor(&b), be_bytes);
	assert_int_equal(buf_get_bytes(&b, out, 3), 0);
	assert_memory_equal(out, be_bytes, 3);
	assert_ptr_equal(buf_cursor(&b), be_bytes + 3);
	/* buf_get_ptr does not copy: it points into the caller's bytes. */
	assert_int_equal(buf_get_ptr(&b, &p, 2), 0);
	assert_ptr_equal(p, be_bytes + 3);
	assert_int_equal(buf_skip(&b, 0), 0);
	assert_int_equal(b.pos, 5);
	assert_int_equal(buf_remaining(&b), 4);
	assert_int_equal(buf_get_bytes(&b, out, 4), 0);
	assert_memory_equal(out, be_bytes + 5, 4);
	assert_int_equal(buf_remaining(&b), 0);
}

static void test_sub(void **state)
{
	struct buf b, sub, sub2;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	(void)state;
	buf_init(&b, be_bytes, sizeof(be_bytes));
	assert_int_equal(buf_skip(&b, 1), 0);
	assert_int_equal(buf_sub(&b, &sub, 3), 0);
	/* The parent moved past the carved bytes... */
	assert_int_equal(b.pos, 4);
	/* ...and the sub-buffer is exactly those bytes, with a fresh cursor. */
	assert_ptr_equal(sub.data, be_bytes + 1);
	assert_int_equal(sub.len, 3);
	assert_int_equal(sub.pos, 0);
	assert_int_equal(buf_remaining(&sub), 3);
	/* The parent has more bytes, but the sub-buffer must not reach them. */
	assert_int_equal(buf_get_be32(&sub, &u32), -1);
	assert_int_equal(sub.pos, 0);
	assert_int_equal(buf_peek_u8(&sub, 3, &u8), -1);
	assert_int_equal(buf_get_be16(&sub, &u16), 0);
	assert_int_equal(u16, 0x8283);
	assert_int_equal(buf_get_be16(&sub, &u16), -1);
	assert_int_equal(buf_get_u8(&sub, &u8), 0);
	assert_int_equal(u8, 0x84);
	assert_int_equal(buf_get_u8(&sub, &u8), -1);

	/* Oversize by one is refused and moves nothing. */
	assert_int_equal(buf_sub(&b, &sub2, 6), -1);
	assert_int_equal(b.pos, 4);
	/* Exactly the remainder is fine, and so is an empty sub-buffer. */
	assert_int_equal(buf_sub(&b, &sub2, 5), 0);
	assert_int_equal(buf_remaining(&sub2), 5);
	assert_int_equal(buf_remaining(&b), 0);
	assert_int_equal(buf_sub(&b, &sub2, 0), 0);
	assert_int_equal(buf_remaining(&sub2), 0);

	/* Nested carving is bounded by the enclosing sub-buffer. */
	buf_init(&b, be_bytes, sizeof(be_bytes));
	assert_int_equal(buf_sub(&b, &sub, 4), 0);
	assert_int_equal(buf_sub(&sub, &sub2, 5), -1);
	assert_int_equal(buf_sub(&sub, &sub2, 4), 0);
	assert_int_equal(buf_get_be32(&sub2, &u32), 0);
	assert_int_equal(u32, 0x81828384u);
}

static void test_peek(void **state)
{
	struct buf b;
	uint8_t u8;
	uint16_t u16;

	(void)state;
	buf_init(&b, be_bytes, 4);
	assert_int_equal(buf_peek_u8(&b, 0, &u8), 0);
	assert_int_equal(u8, 0x81);
	assert_int_equal(buf_peek_u8(&b, 3, &u8), 0);
	assert_int_equal(u8, 0x84);
	assert_int_equal(buf_peek_u8(&b, 4, &u8), -1);
	assert_int_equal(buf_peek_u8(&b, SIZE_MAX, &u8), -1);
	assert_int_equal(buf_peek_be16(&b, 0, &u16), 0);
	assert_int_equal(u16, 0x8182);
	assert_int_equal(buf_peek_be16(&b, 2, &u16), 0);
	assert_int_equal(u16, 0x8384);
	assert_int_equal(buf_peek_be16(&b, 3, &u16), -1);
	assert_int_equal(buf_peek_be16(&b, SIZE_MAX, &u16), -1);
	assert_int_equal(buf_peek_be16(&b, SIZE_MAX - 1, &u16), -1);
	/* Peeks never consume. */
	assert_int_equal(b.pos, 0);

	/* Offsets are relative to the cursor. */
	assert_int_equal(buf_skip(&b, 2), 0);
	assert_int_equal(buf_peek_u8(&b, 0, &u8), 0);
	assert_int_equal(u8, 0x83);
	assert_int_equal(buf_peek_u8(&b, 2, &u8), -1);
	assert_int_equal(buf_peek_be16(&b, 0, &u16), 0);
	assert_int_equal(u16, 0x8384);
	assert_int_equal(buf_peek_be16(&b, 1, &u16), -1);
	assert_int_equal(b.pos, 2);

	/* A 16-bit peek needs two bytes even at offset 0. */
	buf_init(&b, be_bytes, 1);
	assert_int_equal(buf_peek_be16(&b, 0, &u16), -1);
	assert_int_equal(buf_peek_u8(&b, 0, &u8), 0);
}

/*
 * A guard area past cap: a write that does not fit must not touch it, and
 * ASan would not notice because it is inside the same array.
 */
#define GUARD 0xA5

static void fill_guard(uint8_t *p, size_t n)
{
	memset(p, GUARD, n);
}

static void check_guard(const uint8_t *p, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		assert_int_equal(p[i], GUARD);
}

static void test_wbuf_put_layout(void **state)
{
	static const uint8_t want[] = {0x7f, 0x12, 0x34, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x02, 0x03,
	                               0x04, 0x05, 0x06, 0x07, 0x08, 0xde, 0xad, 0x00, 0x00, 0x00};
	uint8_t mem[sizeof(want) + 4];
	struct wbuf w;

	(void)state;
	fill_guard(mem, sizeof(mem));
	wbuf_init(&w, mem, sizeof(want));
	wbuf_put_u8(&w, 0x7f);
	wbuf_put_be16(&w, 0x1234);
	wbuf_put_be32(&w, 0x89abcdefu);
	wbuf_put_be64(&w, 0x0102030405060708ull);
	wbuf_put_bytes(&w, "\xde\xad", 2);
	wbuf_put_zero(&w, 3);
	/* Exactly full is still fine. */
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), sizeof(want));
	assert_memory_equal(mem, want, sizeof(want));
	/* Writing nothing into a full buffer does not overflow it. */
	wbuf_put_bytes(&w, NULL, 0);
	wbuf_put_zero(&w, 0);
	assert_true(wbuf_ok(&w));
	check_guard(mem, sizeof(want), sizeof(mem));
}

static void test_wbuf_sticky_overflow(void **state)
{
	uint8_t mem[16];
	struct wbuf w;

	(void)state;
	fill_guard(mem, sizeof(mem));
	wbuf_init(&w, mem, 5);
	wbuf_put_be32(&w, 0x01020304u);
	assert_true(wbuf_ok(&w));
	/* Two bytes into a one-byte space: nothing, not half, is written. */
	wbuf_put_be16(&w, 0xeeee);
	assert_false(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), 4);
	check_guard(mem, 4, sizeof(mem));
	/* A write that would have fit is still refused: the error is sticky,
	 * so a builder cannot produce a message with a hole in it. */
	wbuf_put_u8(&w, 0xee);
	wbuf_put_bytes(&w, "\xee", 1);
	wbuf_put_zero(&w, 1);
	wbuf_put_be16(&w, 0xeeee);
	wbuf_put_be32(&w, 0xeeeeeeeeu);
	wbuf_put_be64(&w, 0xeeeeeeeeeeeeeeeeull);
	assert_int_equal(wbuf_reserve(&w, 1), SIZE_MAX);
	assert_false(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), 4);
	check_guard(mem, 4, sizeof(mem));
	/* Setting an already written field after an overflow does nothing. */
	wbuf_set_be16(&w, 0, 0xeeee);
	assert_int_equal(mem[0], 0x01);
	assert_int_equal(mem[1], 0x02);
	assert_false(wbuf_ok(&w));
}

/* Each writer overflows on its own, not only when an earlier one did. */
static void test_wbuf_overflow_each_writer(void **state)
{
	uint8_t mem[16];
	struct wbuf w;
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		fill_guard(mem, sizeof(mem));
		wbuf_init(&w, mem, 3);
		wbuf_put_u8(&w, 0x11);
		assert_true(wbuf_ok(&w));
		switch (i) {
		case 0:
			wbuf_put_be32(&w, 0);
			break;
		case 1:
			wbuf_put_be64(&w, 0);
			break;
		case 2:
			wbuf_put_bytes(&w, "\0\0\0", 3);
			break;
		case 3:
			wbuf_put_zero(&w, 3);
			break;
		case 4:
			assert_int_equal(wbuf_reserve(&w, 3), SIZE_MAX);
			break;
		case 5:
			/* A length that would wrap len + n. */
			wbuf_put_zero(&w, SIZE_MAX);
			break;
		}
		assert_false(wbuf_ok(&w));
		assert_int_equal(wbuf_len(&w), 1);
		check_guard(mem, 1, sizeof(mem));
	}

	/* A NULL area has no capacity at all. */
	wbuf_init(&w, NULL, 100);
	wbuf_put_u8(&w, 0);
	assert_false(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), 0);
}

static void test_wbuf_reserve_set(void **state)
{
	static const uint8_t want[] = {0xaa, 0x12, 0x34, 0x00, 0x00, 0xbb, 0xcc, 0xdd};
	uint8_t mem[sizeof(want) + 4];
	struct wbuf w;
	size_t off, off2;

	(void)state;
	fill_guard(mem, sizeof(mem));
	wbuf_init(&w, mem, sizeof(want));
	wbuf_put_u8(&w, 0xaa);
	off = wbuf_reserve(&w, 2);
	assert_int_equal(off, 1);
	/* The reserved area is zeroed, not left as whatever was there. */
	assert_int_equal(mem[1], 0);
	assert_int_equal(mem[2], 0);
	off2 = wbuf_reserve(&w, 2);
	assert_int_equal(off2, 3);
	assert_int_equal(wbuf_reserve(&w, 0), 5);
	wbuf_put_u8(&w, 0xbb);
	wbuf_put_be16(&w, 0xccdd);
	wbuf_set_be16(&w, off, 0x1234);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), sizeof(want));
	assert_memory_equal(mem, want, sizeof(want));
	/* Set the last two bytes written: still inside. */
	wbuf_set_be16(&w, sizeof(want) - 2, 0xccdd);
	assert_true(wbuf_ok(&w));
	check_guard(mem, sizeof(want), sizeof(mem));

	/* set_be16 only overwrites bytes already written. */
	wbuf_init(&w, mem, sizeof(mem));
	wbuf_put_be16(&w, 0x0102);
	wbuf_put_u8(&w, 0x03);
	wbuf_set_be16(&w, 2, 0xffff); /* straddles the end of what was written */
	assert_false(wbuf_ok(&w));
	assert_int_equal(mem[2], 0x03);

	wbuf_init(&w, mem, sizeof(mem));
	wbuf_put_be16(&w, 0x0102);
	wbuf_set_be16(&w, SIZE_MAX, 0xffff); /* the result of a failed reserve */
	assert_false(wbuf_ok(&w));

	wbuf_init(&w, mem, sizeof(mem));
	wbuf_put_u8(&w, 0x01);
	wbuf_set_be16(&w, 0, 0xffff); /* only one byte written */
	assert_false(wbuf_ok(&w));
	assert_int_equal(mem[0], 0x01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_exact_size),
	    cmocka_unit_test(test_get_short),
	    cmocka_unit_test(test_get_short_after_reads),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_big_endian_known),
	    cmocka_unit_test(test_bytes_ptr_cursor),
	    cmocka_unit_test(test_sub),
	    cmocka_unit_test(test_peek),
	    cmocka_unit_test(test_wbuf_put_layout),
	    cmocka_unit_test(test_wbuf_sticky_overflow),
	    cmocka_unit_test(test_wbuf_overflow_each_writer),
	    cmocka_unit_test(test_wbuf_reserve_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
