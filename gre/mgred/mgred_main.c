/*
 * mgred: the userspace mGRE data plane daemon.
 *
 *   mgred [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S] [-O]
 *
 * The daemon skeleton (lib/daemon.h) runs it from its table
 * (mgred_daemon.c).
 */
#include "gre/mgred/mgred.h"
#include "lib/daemon.h"

int main(int argc, char **argv)
{
	static struct mgred d = {.offload = true};

	return daemon_main(&mgred_daemon, &d, argc, argv);
}
