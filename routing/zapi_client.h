/*
 * A ZAPI client for FRR's zebra, in the daemon's libev loop: it owns the
 * routes the daemon wants in the RIB, keeps them there, and reports what
 * zebra did with each.
 *
 *   - HELLO as route type NHRP with a configurable instance first (without
 *     it routes belong to nobody), then the interface dump is requested;
 *   - every route set is remembered; it is sent when connected, sent again
 *     after a reconnect (zebra drops a client's routes when it goes away)
 *     and when the interface of its nexthop comes up again (zebra does not
 *     re-evaluate routes whose interface was down);
 *   - ROUTE_NOTIFY_OWNER moves a route to installed, failed or
 *     better-admin-won, visible to the daemon's show commands;
 *   - a lost connection is retried with capped, jittered backoff.
 */
#ifndef DMVPN_ZAPI_CLIENT_H
#define DMVPN_ZAPI_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "routing/zapi_msg.h"

struct ev_loop;
struct zapi_client;

#define ZAPI_DEFAULT_PATH "/run/frr/zserv.api"

enum zapi_route_state {
	ZAPI_RS_PENDING,          /* sent (or to be sent), no verdict yet */
	ZAPI_RS_INSTALLED,        /* in zebra's FIB */
	ZAPI_RS_FAILED,           /* zebra could not install it */
	ZAPI_RS_BETTER_ADMIN_WON, /* a route with a better distance wins */
	ZAPI_RS_REMOVED,          /* zebra removed it */
};
const char *zapi_route_state_name(enum zapi_route_state s);

/* Callbacks run from the client's loop; they must not set or unset routes
 * (the client may be walking its table when it calls them). */
struct zapi_client_ops {
	/* Connected and greeted (also after every reconnect). */
	void (*connected)(void *arg);
	void (*disconnected)(void *arg);
	/* A route's state changed on zebra's word. */
	void (*route_state)(void *arg, const struct ipaddr *prefix, uint8_t plen,
	                    enum zapi_route_state state);
	/* INTERFACE_ADD/DELETE/UP/DOWN as zebra pushed it. */
	void (*interface)(void *arg, uint16_t command, const struct zapi_interface *ifc);
};

struct zapi_client_stats {
	uint64_t connects;
	uint64_t disconnects;
	uint64_t frames_in;
	uint64_t frames_out;
	uint64_t bad_frames; /* refused by the decoder */
	uint64_t routes;     /* routes held */
	uint64_t installed;
	uint64_t failed;
};

struct zapi_client *zapi_client_new(struct ev_loop *loop, const char *path, uint16_t instance,
                                    const struct zapi_client_ops *ops, void *arg);
/* Deletes every route from zebra (best effort, bounded wait) and frees. */
void zapi_client_free(struct zapi_client *c);

/* Add or replace the route for r->prefix/r->prefixlen (type and instance
 * are filled in). 0, or -1 when out of memory or r is invalid. */
int zapi_client_route_set(struct zapi_client *c, const struct zapi_route *r);
/* Withdraw it; 0, or -1 when we hold no such route. */
int zapi_client_route_unset(struct zapi_client *c, const struct ipaddr *prefix, uint8_t plen);
/* -1 when we hold no such route. */
int zapi_client_route_state(const struct zapi_client *c, const struct ipaddr *prefix, uint8_t plen);

bool zapi_client_connected(const struct zapi_client *c);
const char *zapi_client_path(const struct zapi_client *c);
uint16_t zapi_client_instance(const struct zapi_client *c);
void zapi_client_get_stats(const struct zapi_client *c, struct zapi_client_stats *s);
void zapi_client_foreach(const struct zapi_client *c,
                         void (*fn)(const struct zapi_route *r, enum zapi_route_state st,
                                    void *arg),
                         void *arg);

#endif
