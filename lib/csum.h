/*
 * The Internet checksum (RFC 1071), used by GRE (RFC 2784 2.5), IPv4, TCP
 * and UDP, and by NHRP (RFC 2332 5.2.0.1).
 */
#ifndef DMVPN_CSUM_H
#define DMVPN_CSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Words are summed in host order, so results are in "memory order": store
 * them with memcpy() into the packet, never with htons() (RFC 1071 2(B),
 * byte order independence).
 */

/*
 * One's complement sum of data folded into 32 bits, added to sum. A sum may
 * be continued over a further piece only if every piece before it had an
 * even length (the words must stay aligned to the packet's 16-bit words).
 */
uint32_t csum_partial(const void *data, size_t len, uint32_t sum);
/* Fold a partial sum to 16 bits and complement it: the value to store. */
uint16_t csum_fold(uint32_t sum);
/* csum_fold(csum_partial(data, len, 0)). A buffer with a correct checksum
 * inside it sums to 0. */
uint16_t csum_compute(const void *data, size_t len);

#endif
