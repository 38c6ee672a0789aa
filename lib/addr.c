#include "addr.h"

#include <arpa/inet.h>
#include <string.h>

int ipaddr_parse(const char *s, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->u.v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	a->family = AF_UNSPEC;
	return -1;
}

const char *ipaddr_format(const struct ipaddr *a, char *out)
{
	if (!ipaddr_is_set(a) || !inet_ntop(a->family, a->u.bytes, out, IPADDR_STRLEN))
		strcpy(out, "-");
	return out;
}

size_t ipaddr_len(const struct ipaddr *a)
{
	switch (a->family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

bool ipaddr_is_set(const struct ipaddr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family && memcmp(a->u.bytes, b->u.bytes, ipaddr_len(a)) == 0;
}

uint32_t ipaddr_hash(const struct ipaddr *a)
{
	/* FNV-1a: tables keyed by address are bounded, so quality suffices. */
	uint32_t h = 2166136261u ^ a->family;
	size_t i, n = ipaddr_len(a);

	for (i = 0; i < n; i++)
		h = (h ^ a->u.bytes[i]) * 16777619u;
	return h;
}

void ipaddr_from_v4(struct ipaddr *a, struct in_addr v4)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->u.v4 = v4;
}

socklen_t ipaddr_to_sockaddr(const struct ipaddr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		return sizeof(*sin6);
	}
	return 0;
}

int ipaddr_from_sockaddr(const struct sockaddr *sa, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		a->family = AF_INET;
		a->u.v4 = ((const struct sockaddr_in *)sa)->sin_addr;
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		a->family = AF_INET6;
		a->u.v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
		return 0;
	}
	return -1;
}
