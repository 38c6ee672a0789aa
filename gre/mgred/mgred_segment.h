/*
 * Software segmentation of the TAP's GSO super-frames, and completion of
 * checksums the kernel left partial. The TAP device is told it may hand us
 * TCP frames of up to 64 KiB (TUN_F_TSO4/6) with a virtio_net_hdr in front;
 * the underlay needs packets that fit its MTU, so we cut them here, exactly
 * as a NIC's TSO engine would: per segment the IPv4 total length, ID and
 * header checksum, the TCP sequence number, flags and checksum are rebuilt.
 * Pure: no I/O, so the unit tests and the fuzzer drive it directly.
 */
#ifndef DMVPN_MGRED_SEGMENT_H
#define DMVPN_MGRED_SEGMENT_H

#include <linux/virtio_net.h>
#include <stddef.h>
#include <stdint.h>

#define SEG_HDR_MAX 120 /* IPv4 60 + TCP 60, or IPv6 40 + TCP 60 */

/*
 * Called once per packet to send: hdr/hdr_len is the rebuilt IP+TCP header
 * (hdr_len 0 when the packet is sent whole from payload), payload the rest.
 * Returns 0, or -1 to stop segmenting (e.g. the batch is full of errors).
 */
typedef int (*seg_emit_fn)(void *ctx, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload,
                           size_t payload_len);

enum seg_result {
	SEG_OK = 0,
	SEG_ERR_MALFORMED = -1, /* vnet header or packet layout is inconsistent */
	SEG_ERR_EMIT = -2,      /* the emit callback failed */
};

/*
 * l3/len: the IP packet (the frame after its Ethernet header). vh: the
 * frame's virtio_net_hdr, whose csum_start is relative to the frame, so the
 * caller passes l3_off, the Ethernet header length. Partial checksums of a
 * whole packet are completed in place, which is why l3 is writable.
 */
enum seg_result mgred_segment(const struct virtio_net_hdr *vh, uint8_t *l3, size_t len,
                              size_t l3_off, seg_emit_fn emit, void *ctx);

#endif
