/*
 * iked: the IKEv2 daemon.
 *
 *   iked [-f CONFIG] [-s SOCKET] [-g GROUP] [-n] [-d CATEGORY]... [-S]
 *        [-p PORT] [-b ADDRESS] [-K KEYLOG]
 *
 * The daemon skeleton (lib/daemon.h) runs it from its table
 * (iked_daemon.c).
 */
#include "iked/iked.h"
#include "lib/daemon.h"

int main(int argc, char **argv)
{
	static struct iked d;

	return daemon_main(&iked_daemon, &d, argc, argv);
}
