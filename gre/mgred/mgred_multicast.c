/*
 * Multicast and broadcast overlay frames (routing protocol hellos, IPv6
 * neighbour discovery). A DMVPN hub replicates them to every registered
 * spoke and a spoke to its NHSes (`ip nhrp map multicast ...`); that list
 * is NHRP's to give, which the nhrpd issue adds. Until then there are no
 * targets: the frame is dropped and counted, never sent anywhere.
 */
#include "gre/mgred/mgred.h"

void mgred_multicast_out(struct mgred_tunnel *t, const uint8_t *frame, size_t len)
{
	(void)frame;
	(void)len;
	t->c.drops[MGRED_DROP_TX_MULTICAST]++;
}
