/*
 * RFC 1071 Internet checksum. csum_partial() sums in host order with 32-bit
 * words, so it is checked against a deliberately naive byte-wise reference
 * over many lengths and alignments, and every result is compared as the two
 * bytes that would go on the wire (memcpy), never as a host integer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/csum.h"

/* The two bytes a 16-bit "memory order" value occupies in a packet. */
static void to_bytes(uint16_t v, uint8_t out[2])
{
	memcpy(out, &v, 2);
}

static void assert_bytes16(uint16_t v, uint8_t hi, uint8_t lo)
{
	uint8_t b[2];

	to_bytes(v, b);
	assert_int_equal(b[0], hi);
	assert_int_equal(b[1], lo);
}

/* The folded (uncomplemented) sum, in memory order. */
static uint16_t folded_sum(const void *p, size_t n)
{
	return (uint16_t)~csum_fold(csum_partial(p, n, 0));
}

/*
 * The reference: RFC 1071 read literally. Network-order 16-bit words, an odd
 * final byte is the high half of a zero-padded word, carries folded back in
 * after every addition. Returns the checksum as the wire bytes hi, lo.
 */
static void ref_checksum(const uint8_t *p, size_t n, uint8_t out[2])
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (n & 1) {
		sum += (uint32_t)p[n - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	sum = ~sum & 0xffff;
	out[0] = (uint8_t)(sum >> 8);
	out[1] = (uint8_t)sum;
}

static void test_rfc1071_example(void **state)
{
	/* RFC 1071 3: these bytes sum to ddf2 in network order. */
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	(void)state;
	assert_bytes16(folded_sum(d, sizeof(d)), 0xdd, 0xf2);
	assert_bytes16(csum_compute(d, sizeof(d)), 0x22, 0x0d);
}

static void test_ipv4_header(void **state)
{
	uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	               0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	uint16_t c;

	(void)state;
	/* A header carrying its correct checksum sums to zero... */
	assert_int_equal(csum_compute(h, sizeof(h)), 0);
	/* ...and with the field zeroed, the computed value is that field. */
	h[10] = 0;
	h[11] = 0;
	c = csum_compute(h, sizeof(h));
	assert_bytes16(c, 0xb8, 0x61);
	/* Stored the documented way, with memcpy, it verifies again. */
	memcpy(h + 10, &c, 2);
	assert_int_equal(csum_compute(h, sizeof(h)), 0);
}

static void test_odd_lengths(void **state)
{
	static const uint8_t one[] = {0x01};
	static const uint8_t three[] = {0x00, 0x01, 0x02};
	static const uint8_t ff3[] = {0xff, 0xff, 0xff};
	static const uint8_t five[] = {0x12, 0x34, 0x56, 0x78, 0x9a};

	(void)state;
	/* 0x0100 -> ~ = 0xfeff: the odd byte is the HIGH half of its word. */
	assert_bytes16(csum_compute(one, 1), 0xfe, 0xff);
	/* 0x0001 + 0x0200 = 0x0201 -> 0xfdfe */
	assert_bytes16(csum_compute(three, 3), 0xfd, 0xfe);
	/* 0xffff + 0xff00 = 0x1feff -> fold 0xff00 -> 0x00ff */
	assert_bytes16(csum_compute(ff3, 3), 0x00, 0xff);
	/* 0x1234 + 0x5678 + 0x9a00 = 0x102ac -> fold 0x02ad -> 0xfd52 */
	assert_bytes16(csum_compute(five, 5), 0xfd, 0x52);
}

static void test_empty_and_zero(void **state)
{
	static const uint8_t zeros[64];
	uint8_t ffs[64];

	(void)state;
	/* Nothing summed: sum 0, checksum 0xffff. */
	assert_int_equal(csum_partial(NULL, 0, 0), 0);
	assert_bytes16(csum_compute(zeros, 0), 0xff, 0xff);
	assert_bytes16(csum_compute(zeros, sizeof(zeros)), 0xff, 0xff);
	/* A zero-length continuation leaves the running sum alone. */
	assert_int_equal(csum_partial(zeros, 0, 0x12345678u), 0x12345678u);
	/* All ones is "negative zero": the checksum is 0. */
	memset(ffs, 0xff, sizeof(ffs));
	assert_bytes16(csum_compute(ffs, sizeof(ffs)), 0x00, 0x00);
}

/* xorshift32: deterministic, so a failure reproduces exactly. */
static uint32_t rng_next(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

#define MAXLEN 2000
#define MAXOFF 8

static void compare_one(const uint8_t *p, size_t len, size_t off)
{
	uint8_t want[2], got[2];

	ref_checksum(p, len, want);
	to_bytes(csum_compute(p, len), got);
	if (memcmp(want, got, 2) != 0)
		fail_msg("len %zu off %zu: want %02x%02x got %02x%02x", len, off, want[0], want[1],
		         got[0], got[1]);
}

/*
 * Every length 0..2000 (all residues of the 32-, 4- and 2-byte loops) at
 * every start offset mod 8, against the reference.
 */
static void test_random_vs_reference(void **state)
{
	static uint8_t mem[MAXLEN + MAXOFF];
	uint32_t seed = 0x1071u;
	size_t i, len, off;

	(void)state;
	for (i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)rng_next(&seed);
	for (off = 0; off < MAXOFF; off++)
		for (len = 0; len <= MAXLEN; len++)
			compare_one(mem + off, len, off);
}

/*
 * Bytes near 0xff make every 32-bit addition carry, which is where the
 * deferred-carry accumulator and the folds could go wrong.
 */
static void test_carry_heavy_vs_reference(void **state)
{
	static uint8_t mem[MAXLEN + MAXOFF];
	uint32_t seed = 0xfeedu;
	size_t i, len, off;

	(void)state;
	memset(mem, 0xff, sizeof(mem));
	for (off = 0; off < MAXOFF; off++)
		for (len = 0; len <= MAXLEN; len++)
			compare_one(mem + off, len, off);
	for (i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)(0xf0 | (rng_next(&seed) & 0x0f));
	for (off = 0; off < MAXOFF; off++)
		for (len = 0; len <= MAXLEN; len++)
			compare_one(mem + off, len, off);
}

/*
 * Chaining: csum_partial over consecutive pieces equals one pass when every
 * piece but the last has even length, which is how the GRE encoder sums
 * header then payload.
 */
static void test_chaining(void **state)
{
	static uint8_t mem[MAXLEN + 1];
	uint32_t seed = 0xc0ffeeu, sum;
	size_t i, len, split;

	(void)state;
	for (i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)rng_next(&seed);
	for (i = 0; i < 2000; i++) {
		len = rng_next(&seed) % (MAXLEN + 1);
		split = (rng_next(&seed) % (len + 1)) & ~(size_t)1;
		/* Start at an odd address so neither piece is aligned. */
		sum = csum_partial(mem + 1, split, 0);
		sum = csum_partial(mem + 1 + split, len - split, sum);
		assert_int_equal(csum_fold(sum), csum_compute(mem + 1, len));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc1071_example),
	    cmocka_unit_test(test_ipv4_header),
	    cmocka_unit_test(test_odd_lengths),
	    cmocka_unit_test(test_empty_and_zero),
	    cmocka_unit_test(test_random_vs_reference),
	    cmocka_unit_test(test_carry_heavy_vs_reference),
	    cmocka_unit_test(test_chaining),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
