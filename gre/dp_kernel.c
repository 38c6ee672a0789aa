/*
 * The kernel backend of the data plane interface: a Linux ip_gre device in
 * NBMA mode, its neighbour table with NBMA addresses as lladdrs, and XFRM.
 * Not written yet: opening a tunnel on it fails with ENOSYS, and says why
 * once, rather than pretending. With no tunnel open, no other operation
 * can be called; the table fills in when the backend is written.
 */
#include <errno.h>
#include <stdbool.h>

#include "gre/dataplane.h"
#include "lib/log.h"

static struct dp_tunnel *dp_kernel_open(const char *ifname)
{
	static bool told;

	if (!told)
		log_err("%s: the kernel data plane is not implemented yet; "
		        "use 'tunnel dataplane userspace'",
		        ifname);
	told = true;
	errno = ENOSYS;
	return NULL;
}

const struct dp_ops dp_kernel_ops = {
    .name = "kernel",
    .open = dp_kernel_open,
};
