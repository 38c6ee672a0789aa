/*
 * Receive-side coalescing (software GRO) for the TAP: consecutive TCP/IPv4
 * segments of one flow that arrive in one receive batch are merged into one
 * TAP write with a virtio_net_hdr describing a GSO frame, so the kernel
 * handles one 64 KiB packet instead of ~45. The rules follow what the
 * kernel's own GRO merges: same addresses, ports, ACK, window and TCP
 * options, contiguous sequence numbers, equal segment sizes (the last may be
 * shorter), no flags other than ACK (PSH ends a merge).
 *
 * The merged frame is marked NEEDS_CSUM, which the kernel takes as
 * "checksum verified"; so every segment's IPv4 header and TCP checksum are
 * verified here before it is merged. Anything not eligible passes through
 * unmerged and the kernel checks it as usual. Pure: no I/O.
 */
#ifndef DMVPN_MGRED_COALESCE_H
#define DMVPN_MGRED_COALESCE_H

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define COAL_MAX_SEGS 44 /* 44 x 1460 stays below the 64 KiB IPv4 limit */

struct coal_group {
	uint8_t *first; /* the first segment; its headers become the merged ones */
	size_t first_len;
	size_t ihl, thl; /* IPv4 and TCP header lengths */
	size_t gso_size; /* payload bytes of the first segment */
	uint32_t next_seq;
	size_t total; /* IPv4 total length of the merged packet */
	unsigned nsegs;
	bool closed; /* a shorter or PSH segment ended the run */
	bool psh;
	struct iovec payload[COAL_MAX_SEGS]; /* payloads of segments 2..n */
};

/* Start a group with an IPv4 packet; false when it is not eligible. */
bool coal_start(struct coal_group *g, uint8_t *l3, size_t len);
/* Merge the next packet into g; false (g unchanged) when it does not fit. */
bool coal_append(struct coal_group *g, uint8_t *l3, size_t len);
/*
 * Rewrite the first segment's headers for the merged packet and describe it
 * in *vh (l2_len: bytes in front of the IPv4 header in the frame written).
 * Only for groups of two or more segments.
 */
void coal_finish(struct coal_group *g, struct virtio_net_hdr *vh, size_t l2_len);

#endif
