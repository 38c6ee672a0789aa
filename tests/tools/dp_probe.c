/*
 * dp_probe: drives gre/dataplane.h from the shell, for the integration
 * tests, exactly as nhrpd will: program a neighbour, send an NHRP frame,
 * wait for one.
 *
 *   dp_probe neigh IFNAME OVERLAY NBMA
 *   dp_probe send IFNAME NBMA TEXT
 *   dp_probe recv IFNAME TIMEOUT_MS     prints "NBMA TEXT"
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre/dataplane.h"

static int dp_probe_usage(void)
{
	fprintf(stderr, "usage: dp_probe neigh IF OVERLAY NBMA | send IF NBMA TEXT | "
			"recv IF TIMEOUT_MS\n");
	return 2;
}

static int dp_probe_recv(struct dp_tunnel *t, int timeout_ms)
{
	struct pollfd p = {.fd = dp_nhrp_fd(t), .events = POLLIN};
	char buf[2048], a[IPADDR_STRLEN];
	struct ipaddr nbma;
	ssize_t n;

	if (p.fd < 0)
		return 1;
	while (poll(&p, 1, timeout_ms) > 0) {
		n = dp_nhrp_recv(t, buf, sizeof(buf) - 1, &nbma);
		if (n < 0 && (errno == EPROTO || errno == EAGAIN))
			continue;
		if (n < 0)
			return 1;
		buf[n] = '\0';
		printf("%s %s\n", ipaddr_format(&nbma, a), buf);
		return 0;
	}
	fprintf(stderr, "dp_probe: nothing received\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct dp_tunnel *t;
	struct ipaddr a, b;
	int rc = 1;

	if (argc < 4)
		return dp_probe_usage();
	t = dp_tunnel_open(DP_BACKEND_USERSPACE, argv[2]);
	if (!t) {
		fprintf(stderr, "dp_probe: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "neigh") && argc == 5 && ipaddr_parse(argv[3], &a) == 0 &&
	    ipaddr_parse(argv[4], &b) == 0)
		rc = dp_neigh_set(t, &a, &b, true) < 0;
	else if (!strcmp(argv[1], "send") && argc == 5 && ipaddr_parse(argv[3], &b) == 0)
		rc = dp_nhrp_send(t, &b, argv[4], strlen(argv[4])) < 0;
	else if (!strcmp(argv[1], "recv") && argc == 4)
		rc = dp_probe_recv(t, atoi(argv[3]));
	else
		rc = dp_probe_usage();
	if (rc == 1)
		fprintf(stderr, "dp_probe %s: %s\n", argv[1], strerror(errno));
	dp_tunnel_close(t);
	return rc;
}
