#include "gre/mgre_lladdr.h"

#include <string.h>

void mgre_lladdr_from_ipv4(struct in_addr v4, uint8_t mac[MGRE_LLADDR_LEN])
{
	mac[0] = MGRE_LLADDR_OUI;
	mac[1] = MGRE_LLADDR_TAG_IPV4;
	memcpy(mac + 2, &v4.s_addr, 4); /* already in network order */
}

void mgre_lladdr_from_handle(uint32_t handle, uint8_t mac[MGRE_LLADDR_LEN])
{
	mac[0] = MGRE_LLADDR_OUI;
	mac[1] = MGRE_LLADDR_TAG_IPV6_HANDLE;
	mac[2] = (uint8_t)(handle >> 24);
	mac[3] = (uint8_t)(handle >> 16);
	mac[4] = (uint8_t)(handle >> 8);
	mac[5] = (uint8_t)handle;
}

enum mgre_lladdr_kind mgre_lladdr_decode(const uint8_t mac[MGRE_LLADDR_LEN], struct in_addr *v4,
                                         uint32_t *handle)
{
	if (mac[0] != MGRE_LLADDR_OUI)
		return MGRE_LLADDR_INVALID;
	switch (mac[1]) {
	case MGRE_LLADDR_TAG_IPV4:
		memcpy(&v4->s_addr, mac + 2, 4);
		/* 0.0.0.0 and 255.255.255.255 are never an NBMA peer. */
		if (v4->s_addr == 0 || v4->s_addr == 0xffffffffu)
			return MGRE_LLADDR_INVALID;
		return MGRE_LLADDR_IPV4;
	case MGRE_LLADDR_TAG_IPV6_HANDLE:
		*handle = (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 |
		          mac[5];
		return MGRE_LLADDR_IPV6_HANDLE;
	default:
		return MGRE_LLADDR_INVALID;
	}
}
