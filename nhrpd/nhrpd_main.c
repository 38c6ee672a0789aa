/*
 * nhrpd: the NHRP daemon.
 *
 *   nhrpd [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S]
 *
 * The daemon skeleton (lib/daemon.h) runs it from its table
 * (nhrpd_daemon.c).
 */
#include "lib/daemon.h"
#include "nhrpd/nhrpd.h"

int main(int argc, char **argv)
{
	static struct nhrpd d;

	return daemon_main(&nhrpd_daemon, &d, argc, argv);
}
