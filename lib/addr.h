/*
 * IP addresses of either family, for NBMA (underlay) and protocol (overlay)
 * addresses alike. Every place that holds an address holds this, so the
 * IPv6 underlay needs no new plumbing.
 */
#ifndef DMVPN_ADDR_H
#define DMVPN_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ipaddr {
	sa_family_t family; /* AF_INET, AF_INET6, or AF_UNSPEC when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} u;
};

/* Longest text form, with the terminating NUL (INET6_ADDRSTRLEN). */
#define IPADDR_STRLEN 46

int ipaddr_parse(const char *s, struct ipaddr *a);
/* Format into out (IPADDR_STRLEN bytes); returns out. */
const char *ipaddr_format(const struct ipaddr *a, char *out);
size_t ipaddr_len(const struct ipaddr *a);
bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b);
bool ipaddr_is_set(const struct ipaddr *a);
uint32_t ipaddr_hash(const struct ipaddr *a);
void ipaddr_from_v4(struct ipaddr *a, struct in_addr v4);
/* Fill a sockaddr_storage; returns its length, or 0 for an unset address. */
socklen_t ipaddr_to_sockaddr(const struct ipaddr *a, uint16_t port, struct sockaddr_storage *ss);
int ipaddr_from_sockaddr(const struct sockaddr *sa, struct ipaddr *a);

#endif
