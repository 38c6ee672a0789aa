/*
 * libFuzzer target for lib/nl.c's parsers of what the kernel announces:
 * neighbour solicitations, link messages and NFLOG packets (whose payload
 * is the head of a packet from the network). The input is one netlink
 * message; its header's length is set to the input's size, as
 * nlh_listen_read has checked it against the datagram before any parser
 * runs. The first input byte picks the message type, so that every parser
 * sees every input.
 *
 * Whatever a parser accepts must be consistent with the message: an NFLOG
 * payload and hardware address lie inside it, a solicitation names an
 * IPv4 or IPv6 destination.
 */
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_nl: check failed at line %d: %s\n", __LINE__,        \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define FUZZ_NL_MAX 65536

static const uint16_t fuzz_nl_types[] = {
    RTM_GETNEIGH,
    RTM_NEWNEIGH,
    RTM_DELLINK,
    RTM_NEWLINK,
    (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET,
    (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[FUZZ_NL_MAX] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct nlh_nflog_pkt pkt;
	struct ipaddr dst;
	int ifindex;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	if (len < sizeof(*h) || len > sizeof(msg))
		return 0;
	memcpy(msg, data + 1, len);
	h->nlmsg_len = (uint32_t)len;
	h->nlmsg_type = fuzz_nl_types[data[0] % (sizeof(fuzz_nl_types) / sizeof(fuzz_nl_types[0]))];

	if (nlh_neigh_msg_parse(h, &ifindex, &dst) == 0)
		CHECK(dst.family == AF_INET || dst.family == AF_INET6);
	(void)nlh_link_msg_parse(h, &ifindex);
	if (nlh_nflog_msg_parse(h, &pkt) == 0) {
		CHECK(pkt.hwaddr_len <= sizeof(pkt.hwaddr));
		if (pkt.payload) {
			CHECK(pkt.payload >= msg && pkt.payload + pkt.payload_len <= msg + len);
		} else {
			CHECK(pkt.payload_len == 0);
		}
	}
	return 0;
}
