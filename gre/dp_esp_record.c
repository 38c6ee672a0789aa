/*
 * The ESP side of the data plane interface. mgred has no ESP yet and the
 * kernel backend (XFRM) is not written: the userspace backend records the
 * SAs it is given (SPI, addresses, algorithms; never the keys), which is
 * what iked's show output and tests check, and reports that it protects
 * nothing. The kernel backend refuses, rather than pretending.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gre/dataplane.h"

#define DP_ESP_MAX 65536

struct dp_esp_rec {
	uint32_t spi;
	struct ipaddr dst;
};

static struct dp_esp_rec *dp_esp_table;
static size_t dp_esp_n, dp_esp_cap;

int dp_esp_sa_add(enum dp_backend backend, const struct dp_esp_sa *sa)
{
	if (backend != DP_BACKEND_USERSPACE) {
		errno = ENOSYS;
		return -1;
	}
	for (size_t i = 0; i < dp_esp_n; i++)
		if (dp_esp_table[i].spi == sa->spi &&
		    ipaddr_equal(&dp_esp_table[i].dst, &sa->dst)) {
			errno = EEXIST;
			return -1;
		}
	if (dp_esp_n == dp_esp_cap) {
		size_t cap = dp_esp_cap ? dp_esp_cap * 2 : 64;
		struct dp_esp_rec *t;

		if (cap > DP_ESP_MAX || !(t = realloc(dp_esp_table, cap * sizeof(*t)))) {
			errno = ENOSPC;
			return -1;
		}
		dp_esp_table = t;
		dp_esp_cap = cap;
	}
	dp_esp_table[dp_esp_n].spi = sa->spi;
	dp_esp_table[dp_esp_n].dst = sa->dst;
	dp_esp_n++;
	return 0;
}

int dp_esp_sa_del(enum dp_backend backend, uint32_t spi, const struct ipaddr *dst)
{
	if (backend != DP_BACKEND_USERSPACE) {
		errno = ENOSYS;
		return -1;
	}
	for (size_t i = 0; i < dp_esp_n; i++)
		if (dp_esp_table[i].spi == spi && ipaddr_equal(&dp_esp_table[i].dst, dst)) {
			dp_esp_table[i] = dp_esp_table[--dp_esp_n];
			if (!dp_esp_n) {
				free(dp_esp_table);
				dp_esp_table = NULL;
				dp_esp_cap = 0;
			}
			return 0;
		}
	errno = ENOENT;
	return -1;
}

size_t dp_esp_sa_count(enum dp_backend backend)
{
	return backend == DP_BACKEND_USERSPACE ? dp_esp_n : 0;
}

bool dp_esp_protecting(enum dp_backend backend)
{
	(void)backend;
	return false; /* no backend carries ESP yet */
}
