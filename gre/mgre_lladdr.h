/*
 * How the userspace backend encodes an NBMA address in the Ethernet
 * address of its TAP overlay interface. The kernel's neighbour table maps
 * an overlay address to this "link-layer address", and mgred reads the NBMA
 * address back out of a frame's destination (outbound) or writes the
 * sender's into the source (inbound).
 *
 *   02:04:a:b:c:d   IPv4 NBMA address a.b.c.d
 *   02:06:h:h:h:h   IPv6 NBMA address, by a 32-bit handle mgred assigns
 *                   (16 bytes do not fit in 6)
 *
 * 0x02 marks a locally administered unicast address (IEEE 802 U/L bit), so
 * no encoded address is a multicast or a vendor's address.
 */
#ifndef DMVPN_MGRE_LLADDR_H
#define DMVPN_MGRE_LLADDR_H

#include <netinet/in.h>
#include <stdint.h>

#define MGRE_LLADDR_LEN             6
#define MGRE_LLADDR_OUI             0x02
#define MGRE_LLADDR_TAG_IPV4        0x04
#define MGRE_LLADDR_TAG_IPV6_HANDLE 0x06

enum mgre_lladdr_kind {
	MGRE_LLADDR_INVALID = 0, /* not one of ours: drop */
	MGRE_LLADDR_IPV4,
	MGRE_LLADDR_IPV6_HANDLE,
};

void mgre_lladdr_from_ipv4(struct in_addr v4, uint8_t mac[MGRE_LLADDR_LEN]);
void mgre_lladdr_from_handle(uint32_t handle, uint8_t mac[MGRE_LLADDR_LEN]);
/* Classify mac; fills *v4 or *handle according to the kind returned. */
enum mgre_lladdr_kind mgre_lladdr_decode(const uint8_t mac[MGRE_LLADDR_LEN], struct in_addr *v4,
                                         uint32_t *handle);

#endif
