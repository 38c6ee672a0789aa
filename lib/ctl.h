/*
 * Control sockets: a unix stream socket per daemon (/run/dmvpn/NAME.sock)
 * carrying the frames of ctl_frame.h. The server side lives in the daemon's
 * libev loop; the client side is a blocking call for tools and tests.
 */
#ifndef DMVPN_CTL_H
#define DMVPN_CTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/strbuf.h"

struct ev_loop;
struct ctl_server;

#define CTL_DEFAULT_DIR "/run/dmvpn"
#define CTL_MAX_CLIENTS 64

/* Run one command line; write its output to out; 0 for OK, -1 for ERR. */
typedef int (*ctl_handler_fn)(void *ctx, const char *line, struct strbuf *out);

/*
 * Listen on path (replacing a stale socket), mode 0660 and owned by group
 * when it names an existing group (NULL: the daemon's own group).
 */
struct ctl_server *ctl_server_open(struct ev_loop *loop, const char *path, const char *group,
                                   ctl_handler_fn fn, void *ctx);
void ctl_server_close(struct ctl_server *srv);
/* Inside a handler: the uid of the client (SO_PEERCRED), (uid_t)-1 if unknown. */
uid_t ctl_request_uid(void);
/* Send an EVENT frame to every client that sent "subscribe". */
void ctl_server_event(struct ctl_server *srv, const char *text);

/*
 * Subscribe and print "subscribed", then every event (one line each), to
 * out until seconds pass or the daemon goes away. 0 at the deadline, -1 on an error.
 */
int ctl_listen(const char *path, int seconds, FILE *out);

/*
 * Send one command and wait for its reply. Returns 0 for an OK reply, 1 for
 * an ERR reply (reply holds the message either way), -1 when the daemon
 * could not be reached or did not answer in time (reply holds why).
 */
int ctl_call(const char *path, const char *line, int timeout_ms, struct strbuf *reply);

#endif
