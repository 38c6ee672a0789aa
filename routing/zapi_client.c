/*
 * The ZAPI client: connection to zebra, frame I/O, the table of routes we
 * own and their state. See zapi_client.h for what it guarantees.
 */
#include <errno.h>
#include <ev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "routing/zapi_client.h"

#define ZAPI_RECONNECT_BASE_MS 200
#define ZAPI_RECONNECT_CAP_MS  5000
#define ZAPI_TABLE_BUCKETS     4096 /* power of two */

struct zapi_route_slot {
	struct zapi_route_slot *next;
	struct zapi_route r;
	enum zapi_route_state state;
};

struct zapi_client {
	struct ev_loop *loop;
	char path[108];
	uint16_t instance;
	const struct zapi_client_ops *ops;
	void *arg;
	int fd;
	bool connected;
	ev_io rio, wio;
	struct timer reconnect;
	struct backoff backoff;
	uint8_t in[2 * ZAPI_MAX_FRAME];
	size_t in_len;
	uint8_t *out; /* frames waiting for the socket */
	size_t out_len, out_off, out_cap;
	struct zapi_route_slot *table[ZAPI_TABLE_BUCKETS];
	struct zapi_client_stats stats;
	struct log_ratelimit rl;
};

static const char *const zapi_route_state_names[] = {
    [ZAPI_RS_PENDING] = "pending", [ZAPI_RS_INSTALLED] = "installed",
    [ZAPI_RS_FAILED] = "failed",   [ZAPI_RS_BETTER_ADMIN_WON] = "better-admin-won",
    [ZAPI_RS_REMOVED] = "removed",
};

const char *zapi_route_state_name(enum zapi_route_state s)
{
	return (unsigned)s <= ZAPI_RS_REMOVED ? zapi_route_state_names[s] : "unknown";
}

/* Zebra keys routes by the masked prefix (and refuses host bits). */
static struct ipaddr zapi_mask(const struct ipaddr *p, uint8_t plen)
{
	struct ipaddr m = *p;

	for (unsigned i = 0; i < ipaddr_len(&m); i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8u : 0;

		if (bits < 8)
			m.u.bytes[i] &= (uint8_t)(0xff00 >> bits);
	}
	return m;
}

static size_t zapi_slot_hash(const struct ipaddr *p, uint8_t plen)
{
	return (ipaddr_hash(p) ^ (uint32_t)plen * 0x9e3779b1u) & (ZAPI_TABLE_BUCKETS - 1);
}

static struct zapi_route_slot **zapi_slot_find(struct zapi_client *c, const struct ipaddr *p,
                                               uint8_t plen)
{
	struct zapi_route_slot **pp = &c->table[zapi_slot_hash(p, plen)];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->r.prefixlen == plen && ipaddr_equal(&(*pp)->r.prefix, p))
			break;
	return pp;
}

/* ---------- output ---------- */

static void zapi_client_disconnect(struct zapi_client *c, const char *why);

static void zapi_client_flush(struct zapi_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_io_start(c->loop, &c->wio);
				return;
			}
			zapi_client_disconnect(c, strerror(errno));
			return;
		}
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	ev_io_stop(c->loop, &c->wio);
}

/* Queue one frame (dropped while disconnected: the table is re-sent on
 * connect, so nothing is lost). */
static void zapi_client_queue(struct zapi_client *c, const uint8_t *frame, size_t len)
{
	if (!c->connected || !len)
		return;
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap * 2 : 65536;
		uint8_t *p;

		while (cap < c->out_len + len)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			zapi_client_disconnect(c, "out of memory");
			return;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, frame, len);
	c->out_len += len;
	c->stats.frames_out++;
	if (!ev_is_active(&c->wio))
		ev_io_start(c->loop, &c->wio);
}

static void zapi_client_send_route(struct zapi_client *c, struct zapi_route_slot *s)
{
	uint8_t frame[512];

	zapi_client_queue(c, frame,
	                  zapi_encode_route(frame, sizeof(frame), ZAPI_ROUTE_ADD, 0, &s->r));
}

static void zapi_client_send_delete(struct zapi_client *c, const struct zapi_route *r)
{
	struct zapi_route d = *r;
	uint8_t frame[512];

	/* A delete names the route; nexthops are not needed. */
	d.message &= ~(uint32_t)ZAPI_MESSAGE_NEXTHOP;
	d.n_nexthops = 0;
	zapi_client_queue(c, frame,
	                  zapi_encode_route(frame, sizeof(frame), ZAPI_ROUTE_DELETE, 0, &d));
}

/* ---------- routes ---------- */

static void zapi_client_set_state(struct zapi_client *c, struct zapi_route_slot *s,
                                  enum zapi_route_state st)
{
	if (s->state == st)
		return;
	if (s->state == ZAPI_RS_INSTALLED)
		c->stats.installed--;
	if (s->state == ZAPI_RS_FAILED)
		c->stats.failed--;
	s->state = st;
	if (st == ZAPI_RS_INSTALLED)
		c->stats.installed++;
	if (st == ZAPI_RS_FAILED)
		c->stats.failed++;
	if (c->ops->route_state)
		c->ops->route_state(c->arg, &s->r.prefix, s->r.prefixlen, st);
}

int zapi_client_route_set(struct zapi_client *c, const struct zapi_route *r)
{
	struct zapi_route_slot **pp, *s;
	struct ipaddr masked;

	if (r->prefix.family != AF_INET && r->prefix.family != AF_INET6)
		return -1;
	if (r->prefixlen > ipaddr_len(&r->prefix) * 8 || r->n_nexthops > ZAPI_MAX_NEXTHOPS)
		return -1;
	masked = zapi_mask(&r->prefix, r->prefixlen);
	pp = zapi_slot_find(c, &masked, r->prefixlen);
	s = *pp;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -1;
		*pp = s;
		c->stats.routes++;
	}
	s->r = *r;
	s->r.prefix = masked;
	s->r.type = ZAPI_ROUTE_NHRP;
	s->r.instance = c->instance;
	if (!s->r.safi)
		s->r.safi = ZAPI_SAFI_UNICAST;
	zapi_client_set_state(c, s, ZAPI_RS_PENDING);
	zapi_client_send_route(c, s);
	return 0;
}

int zapi_client_route_unset(struct zapi_client *c, const struct ipaddr *prefix, uint8_t plen)
{
	struct ipaddr m = zapi_mask(prefix, plen);
	struct zapi_route_slot **pp = zapi_slot_find(c, &m, plen), *s = *pp;

	if (!s)
		return -1;
	zapi_client_send_delete(c, &s->r);
	zapi_client_set_state(c, s, ZAPI_RS_REMOVED);
	*pp = s->next;
	c->stats.routes--;
	free(s);
	return 0;
}

int zapi_client_route_state(const struct zapi_client *c, const struct ipaddr *prefix, uint8_t plen)
{
	struct ipaddr m = zapi_mask(prefix, plen);
	struct zapi_route_slot **pp = zapi_slot_find((struct zapi_client *)c, &m, plen);

	return *pp ? (int)(*pp)->state : -1;
}

void zapi_client_foreach(const struct zapi_client *c,
                         void (*fn)(const struct zapi_route *r, enum zapi_route_state st,
                                    void *arg),
                         void *arg)
{
	for (size_t i = 0; i < ZAPI_TABLE_BUCKETS; i++)
		for (const struct zapi_route_slot *s = c->table[i]; s; s = s->next)
			fn(&s->r, s->state, arg);
}

/* Send every route again: after a (re)connect, or for one interface. */
static void zapi_client_resend(struct zapi_client *c, uint32_t ifindex)
{
	for (size_t i = 0; i < ZAPI_TABLE_BUCKETS; i++)
		for (struct zapi_route_slot *s = c->table[i]; s; s = s->next) {
			bool match = !ifindex;

			for (size_t k = 0; k < s->r.n_nexthops && !match; k++)
				match = s->r.nexthops[k].ifindex == ifindex;
			if (!match)
				continue;
			zapi_client_set_state(c, s, ZAPI_RS_PENDING);
			zapi_client_send_route(c, s);
		}
}

/* ---------- input ---------- */

static void zapi_client_route_notify(struct zapi_client *c, const uint8_t *body, size_t len)
{
	struct zapi_route_notify n;
	struct zapi_route_slot *s;

	if (zapi_route_notify_decode(body, len, &n) < 0) {
		c->stats.bad_frames++;
		return;
	}
	s = *zapi_slot_find(c, &n.prefix, n.prefixlen);
	if (!s)
		return; /* a route we withdrew meanwhile */
	switch (n.note) {
	case ZAPI_ROUTE_INSTALLED:
		zapi_client_set_state(c, s, ZAPI_RS_INSTALLED);
		break;
	case ZAPI_ROUTE_FAIL_INSTALL:
		zapi_client_set_state(c, s, ZAPI_RS_FAILED);
		break;
	case ZAPI_ROUTE_BETTER_ADMIN_WON:
		zapi_client_set_state(c, s, ZAPI_RS_BETTER_ADMIN_WON);
		break;
	case ZAPI_ROUTE_REMOVED:
		zapi_client_set_state(c, s, ZAPI_RS_REMOVED);
		break;
	default:
		break;
	}
}

static void zapi_client_frame(struct zapi_client *c, const struct zapi_header *h,
                              const uint8_t *body, size_t len)
{
	struct zapi_interface ifc;

	c->stats.frames_in++;
	switch (h->command) {
	case ZAPI_ROUTE_NOTIFY_OWNER:
		zapi_client_route_notify(c, body, len);
		break;
	case ZAPI_INTERFACE_ADD:
	case ZAPI_INTERFACE_DELETE:
	case ZAPI_INTERFACE_UP:
	case ZAPI_INTERFACE_DOWN:
		if (zapi_interface_decode(body, len, &ifc) < 0) {
			c->stats.bad_frames++;
			break;
		}
		/* Zebra does not re-evaluate routes over a link that was down. */
		if (h->command == ZAPI_INTERFACE_UP)
			zapi_client_resend(c, ifc.ifindex);
		if (c->ops->interface)
			c->ops->interface(c->arg, h->command, &ifc);
		break;
	case ZAPI_ERROR:
		log_msg_rl(&c->rl, LOG_LVL_WARN, LOG_CAT_ZAPI, "zebra reported an error");
		break;
	default:
		break; /* addresses, router id, capabilities: not needed */
	}
}

static void zapi_client_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct zapi_client *c = w->data;
	struct zapi_header h;
	size_t off = 0;
	ssize_t n;

	(void)loop;
	(void)revents;
	n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
		zapi_client_disconnect(c, n == 0 ? "zebra closed the connection" : strerror(errno));
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	while (c->in_len - off >= ZAPI_HEADER_LEN) {
		if (zapi_header_decode(c->in + off, c->in_len - off, &h) < 0 ||
		    h.length > ZAPI_MAX_FRAME) {
			/* Framing is lost: nothing after this can be trusted. */
			c->stats.bad_frames++;
			zapi_client_disconnect(c, "malformed frame from zebra");
			return;
		}
		if (c->in_len - off < h.length)
			break;
		zapi_client_frame(c, &h, c->in + off + ZAPI_HEADER_LEN, h.length - ZAPI_HEADER_LEN);
		if (!c->connected)
			return; /* a callback tore the connection down */
		off += h.length;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
}

static void zapi_client_writable(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	zapi_client_flush(w->data);
}

/* ---------- connection ---------- */

static void zapi_client_greet(struct zapi_client *c)
{
	uint8_t frame[64];

	c->connected = true;
	c->stats.connects++;
	backoff_reset(&c->backoff);
	log_msg(LOG_LVL_NOTICE, LOG_CAT_ZAPI,
	        "connected to zebra at %s (route type nhrp, instance %u)", c->path, c->instance);
	/* HELLO first: without it our routes would belong to nobody. */
	zapi_client_queue(
	    c, frame,
	    zapi_encode_hello(frame, sizeof(frame), ZAPI_ROUTE_NHRP, c->instance, 0, true));
	zapi_client_queue(c, frame, zapi_encode_empty(frame, sizeof(frame), ZAPI_INTERFACE_ADD, 0));
	zapi_client_resend(c, 0);
	if (c->ops->connected)
		c->ops->connected(c->arg);
}

static void zapi_client_try_connect(struct zapi_client *c)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	strcpy(sa.sun_path, c->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_msg_rl(&c->rl, LOG_LVL_INFO, LOG_CAT_ZAPI, "zebra at %s: %s; retrying", c->path,
		           strerror(errno));
		if (fd >= 0)
			close(fd);
		timer_start_ms(&c->reconnect, backoff_next(&c->backoff));
		return;
	}
	c->fd = fd;
	c->in_len = 0;
	c->out_len = c->out_off = 0;
	ev_io_init(&c->rio, zapi_client_readable, fd, EV_READ);
	ev_io_init(&c->wio, zapi_client_writable, fd, EV_WRITE);
	c->rio.data = c->wio.data = c;
	ev_io_start(c->loop, &c->rio);
	zapi_client_greet(c);
}

static void zapi_client_reconnect_fn(struct timer *t, void *arg)
{
	(void)t;
	zapi_client_try_connect(arg);
}

static void zapi_client_disconnect(struct zapi_client *c, const char *why)
{
	if (!c->connected)
		return;
	log_msg(LOG_LVL_WARN, LOG_CAT_ZAPI, "lost zebra at %s: %s; reconnecting", c->path, why);
	ev_io_stop(c->loop, &c->rio);
	ev_io_stop(c->loop, &c->wio);
	close(c->fd);
	c->fd = -1;
	c->connected = false;
	c->stats.disconnects++;
	c->out_len = c->out_off = 0;
	/* Zebra forgets a departed client's routes: all of ours are pending. */
	for (size_t i = 0; i < ZAPI_TABLE_BUCKETS; i++)
		for (struct zapi_route_slot *s = c->table[i]; s; s = s->next)
			zapi_client_set_state(c, s, ZAPI_RS_PENDING);
	if (c->ops->disconnected)
		c->ops->disconnected(c->arg);
	timer_start_ms(&c->reconnect, backoff_next(&c->backoff));
}

struct zapi_client *zapi_client_new(struct ev_loop *loop, const char *path, uint16_t instance,
                                    const struct zapi_client_ops *ops, void *arg)
{
	struct zapi_client *c;

	if (strlen(path) >= sizeof(c->path))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = loop;
	strcpy(c->path, path);
	c->instance = instance;
	c->ops = ops;
	c->arg = arg;
	c->fd = -1;
	backoff_init(&c->backoff, ZAPI_RECONNECT_BASE_MS, ZAPI_RECONNECT_CAP_MS);
	timer_init(&c->reconnect, loop, zapi_client_reconnect_fn, c);
	/* From the loop, not from here: callbacks must find the caller
	 * holding the handle already. */
	timer_start_ms(&c->reconnect, 0);
	return c;
}

void zapi_client_free(struct zapi_client *c)
{
	if (!c)
		return;
	timer_stop(&c->reconnect);
	if (c->connected) {
		struct timeval tv = {.tv_sec = 1};

		/* Withdraw explicitly, then wait (bounded) for it to go out. */
		for (size_t i = 0; i < ZAPI_TABLE_BUCKETS; i++)
			for (struct zapi_route_slot *s = c->table[i]; s; s = s->next)
				zapi_client_send_delete(c, &s->r);
		ev_io_stop(c->loop, &c->rio);
		ev_io_stop(c->loop, &c->wio);
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		while (c->out_off < c->out_len) {
			ssize_t n =
			    send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

			if (n <= 0)
				break;
			c->out_off += (size_t)n;
		}
		close(c->fd);
	}
	for (size_t i = 0; i < ZAPI_TABLE_BUCKETS; i++)
		while (c->table[i]) {
			struct zapi_route_slot *s = c->table[i];

			c->table[i] = s->next;
			free(s);
		}
	free(c->out);
	free(c);
}

bool zapi_client_connected(const struct zapi_client *c)
{
	return c->connected;
}

const char *zapi_client_path(const struct zapi_client *c)
{
	return c->path;
}

uint16_t zapi_client_instance(const struct zapi_client *c)
{
	return c->instance;
}

void zapi_client_get_stats(const struct zapi_client *c, struct zapi_client_stats *s)
{
	*s = c->stats;
}
