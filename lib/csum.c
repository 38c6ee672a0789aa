#include "csum.h"

#include <string.h>

/*
 * Sums 32-bit words into a 64-bit accumulator (RFC 1071 4.1, with the
 * deferred-carry trick): the data path checksums every TCP segment it
 * splits or merges, so this runs once per byte forwarded.
 */
uint32_t csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t acc = sum;
	uint32_t w;

	while (len >= 32) {
		uint32_t v[8];

		memcpy(v, p, sizeof(v));
		acc += (uint64_t)v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		p += 32;
		len -= 32;
	}
	while (len >= 4) {
		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		/* The odd byte is the high-order byte of a zero-padded word. */
		uint8_t last[2] = {p[0], 0};
		uint16_t h;

		memcpy(&h, last, 2);
		acc += h;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t csum_compute(const void *data, size_t len)
{
	return csum_fold(csum_partial(data, len, 0));
}
