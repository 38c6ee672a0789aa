#include "lib/ctl.h"

#include "lib/clock.h"

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/ctl_frame.h"
#include "lib/log.h"

struct ctl_conn {
	struct ctl_server *srv;
	ev_io rio, wio;
	int fd;
	uint8_t *in;
	size_t in_len;
	struct strbuf outq; /* encoded frames not yet written */
	size_t out_off;
	bool subscribed; /* sent "subscribe": gets EVENT frames */
	uid_t uid;       /* the client's, from SO_PEERCRED */
	struct ctl_conn *next;
};

struct ctl_server {
	struct ev_loop *loop;
	ev_io lio;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	ctl_handler_fn fn;
	void *ctx;
	struct ctl_conn *conns;
	int nconns;
};

/* Requests are one command line; a client sending more is misbehaving. */
#define CTL_MAX_REQUEST (64 * 1024)

static void ctl_conn_free(struct ctl_conn *c)
{
	struct ctl_server *srv = c->srv;
	struct ctl_conn **pp;

	for (pp = &srv->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	srv->nconns--;
	ev_io_stop(srv->loop, &c->rio);
	ev_io_stop(srv->loop, &c->wio);
	close(c->fd);
	explicit_bzero(c->in, CTL_MAX_REQUEST + CTL_FRAME_HDR_LEN);
	free(c->in);
	if (c->outq.s)
		explicit_bzero(c->outq.s, c->outq.cap);
	strbuf_free(&c->outq);
	free(c);
}

static void ctl_conn_flush(struct ctl_conn *c)
{
	while (c->out_off < c->outq.len) {
		ssize_t n =
		    send(c->fd, c->outq.s + c->out_off, c->outq.len - c->out_off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_io_start(c->srv->loop, &c->wio);
				return;
			}
			if (errno == EINTR)
				continue;
			ctl_conn_free(c);
			return;
		}
		c->out_off += (size_t)n;
	}
	if (c->outq.s)
		explicit_bzero(c->outq.s, c->outq.len);
	strbuf_reset(&c->outq);
	c->out_off = 0;
	ev_io_stop(c->srv->loop, &c->wio);
}

static void ctl_conn_reply(struct ctl_conn *c, enum ctl_frame_type type, const struct strbuf *body)
{
	uint8_t hdr[CTL_FRAME_HDR_LEN];
	struct wbuf w;
	size_t len = body->len;
	static const char too_long[] = "% output too large for one reply\n";

	/* Never a truncated answer that claims success (broken JSON). */
	if (len > CTL_FRAME_MAX_PAYLOAD || body->oom) {
		type = CTL_FRAME_ERR;
		body = NULL;
		len = sizeof(too_long) - 1;
	}
	wbuf_init(&w, hdr, sizeof(hdr));
	wbuf_put_be32(&w, (uint32_t)len);
	wbuf_put_u8(&w, (uint8_t)type);
	strbuf_add(&c->outq, (const char *)hdr, sizeof(hdr));
	strbuf_add(&c->outq, body ? strbuf_str(body) : too_long, len);
}

/* The uid of the client whose request is being handled. */
static uid_t ctl_current_uid = (uid_t)-1;

uid_t ctl_request_uid(void)
{
	return ctl_current_uid;
}

/* Returns -1 when the connection must be closed. */
static int ctl_conn_process(struct ctl_conn *c)
{
	struct buf b;
	struct ctl_frame f;
	int r;

	buf_init(&b, c->in, c->in_len);
	while ((r = ctl_frame_decode(&b, &f)) == 1) {
		struct strbuf out;
		char *line;
		int rc;

		if (f.type != CTL_FRAME_REQUEST || f.len > CTL_MAX_REQUEST ||
		    memchr(f.payload, '\0', f.len))
			return -1;
		line = strndup((const char *)f.payload, f.len);
		if (!line)
			return -1;
		strbuf_init(&out);
		/* A live configuration line may carry a secret (ip nhrp
		 * authentication): its words are never logged. */
		if (!strncmp(line, "configure", 9) && strchr(line, '\n'))
			log_debug(LOG_CAT_CTL, "command: a configuration line");
		else
			log_debug(LOG_CAT_CTL, "command: %s", line);
		if (!strcmp(line, "subscribe")) {
			/* The daemon's events (ctl_server_event), e.g. SAs up or down. */
			c->subscribed = true;
			strbuf_puts(&out, "subscribed\n");
			rc = 0;
		} else {
			ctl_current_uid = c->uid;
			rc = c->srv->fn(c->srv->ctx, line, &out);
			ctl_current_uid = (uid_t)-1;
		}
		ctl_conn_reply(c, rc == 0 ? CTL_FRAME_OK : CTL_FRAME_ERR, &out);
		/* Requests and replies may hold secrets (a live password line,
		 * show running-config secrets): wiped before they are freed. */
		if (out.s)
			explicit_bzero(out.s, out.cap);
		strbuf_free(&out);
		explicit_bzero(line, f.len);
		free(line);
	}
	if (r < 0)
		return -1;
	memmove(c->in, c->in + b.pos, c->in_len - b.pos);
	c->in_len -= b.pos;
	return 0;
}

static void ctl_conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *c = w->data;
	ssize_t n;

	(void)loop;
	(void)revents;
	if (c->in_len >= CTL_MAX_REQUEST + CTL_FRAME_HDR_LEN) {
		ctl_conn_free(c);
		return;
	}
	n = recv(c->fd, c->in + c->in_len, CTL_MAX_REQUEST + CTL_FRAME_HDR_LEN - c->in_len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		ctl_conn_free(c);
		return;
	}
	c->in_len += (size_t)n;
	if (ctl_conn_process(c) < 0) {
		log_debug(LOG_CAT_CTL, "closing control connection: malformed frame");
		ctl_conn_free(c);
		return;
	}
	ctl_conn_flush(c);
}

static void ctl_conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	ctl_conn_flush(w->data);
}

static void ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_server *srv = w->data;
	struct ctl_conn *c;
	int fd;

	(void)revents;
	fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (srv->nconns >= CTL_MAX_CLIENTS) {
		log_warn("control socket %s: too many clients, refusing one", srv->path);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->in = malloc(CTL_MAX_REQUEST + CTL_FRAME_HDR_LEN);
	if (!c || !c->in) {
		if (c)
			free(c);
		close(fd);
		return;
	}
	c->srv = srv;
	c->fd = fd;
	{
		struct ucred cred;
		socklen_t len = sizeof(cred);

		/* Unknown credentials count as nobody's: no root-only answers. */
		c->uid = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 ? cred.uid
		                                                                   : (uid_t)-1;
	}
	strbuf_init(&c->outq);
	ev_io_init(&c->rio, ctl_conn_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, ctl_conn_write_cb, fd, EV_WRITE);
	c->rio.data = c->wio.data = c;
	ev_io_start(loop, &c->rio);
	c->next = srv->conns;
	srv->conns = c;
	srv->nconns++;
}

struct ctl_server *ctl_server_open(struct ev_loop *loop, const char *path, const char *group,
                                   ctl_handler_fn fn, void *ctx)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct ctl_server *srv;
	mode_t old_umask;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_err("control socket path too long: %s", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	unlink(path);
	/* Created 0660 from the start: no window in which others may connect. */
	old_umask = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 16) < 0) {
		umask(old_umask);
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	umask(old_umask);
	if (group) {
		struct group *gr = getgrnam(group);

		if (gr && chown(path, (uid_t)-1, gr->gr_gid) < 0)
			log_warn("control socket %s: chown to group %s: %s", path, group,
			         strerror(errno));
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		close(fd);
		unlink(path);
		return NULL;
	}
	srv->loop = loop;
	srv->fd = fd;
	strcpy(srv->path, path);
	srv->fn = fn;
	srv->ctx = ctx;
	ev_io_init(&srv->lio, ctl_accept_cb, fd, EV_READ);
	srv->lio.data = srv;
	ev_io_start(loop, &srv->lio);
	return srv;
}

void ctl_server_event(struct ctl_server *srv, const char *text)
{
	struct strbuf body;

	if (!srv)
		return;
	strbuf_init(&body);
	strbuf_puts(&body, text);
	for (struct ctl_conn *c = srv->conns, *next; c; c = next) {
		next = c->next; /* a failed flush frees c */
		if (c->subscribed) {
			ctl_conn_reply(c, CTL_FRAME_EVENT, &body);
			ctl_conn_flush(c);
		}
	}
	strbuf_free(&body);
}

void ctl_server_close(struct ctl_server *srv)
{
	if (!srv)
		return;
	while (srv->conns)
		ctl_conn_free(srv->conns);
	ev_io_stop(srv->loop, &srv->lio);
	close(srv->fd);
	unlink(srv->path);
	free(srv);
}

/* Wait for fd to become ready for events before deadline; -1 on timeout. */
static int ctl_wait(int fd, short events, int64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	int64_t left;

	for (;;) {
		left = deadline - (int64_t)clock_now_ms();
		if (left <= 0)
			return -1;
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

int ctl_call(const char *path, const char *line, int timeout_ms, struct strbuf *reply)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int64_t deadline = (int64_t)clock_now_ms() + timeout_ms;
	size_t len = strlen(line), off = 0, have = 0, cap = 4096;
	uint8_t *in = NULL, *req = NULL;
	struct wbuf w;
	int fd, rc = -1;

	strbuf_reset(reply);
	if (strlen(path) >= sizeof(sun.sun_path) || len > CTL_MAX_REQUEST) {
		strbuf_puts(reply, "control socket path or command too long");
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		strbuf_printf(reply, "cannot reach %s: %s%s", path, strerror(errno),
		              errno == EACCES ? " (is your user in the control group?)" : "");
		goto out;
	}
	req = malloc(len + CTL_FRAME_HDR_LEN);
	in = malloc(cap);
	if (!req || !in)
		goto out;
	wbuf_init(&w, req, len + CTL_FRAME_HDR_LEN);
	ctl_frame_encode(&w, CTL_FRAME_REQUEST, line, len);
	while (off < wbuf_len(&w)) {
		ssize_t n = send(fd, req + off, wbuf_len(&w) - off, MSG_NOSIGNAL);
		if (n < 0) {
			strbuf_printf(reply, "send to %s: %s", path, strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	for (;;) {
		struct buf b;
		struct ctl_frame f;
		ssize_t n;
		int r;

		buf_init(&b, in, have);
		r = ctl_frame_decode(&b, &f);
		if (r < 0) {
			strbuf_puts(reply, "malformed reply");
			goto out;
		}
		if (r == 1 && f.type != CTL_FRAME_EVENT) {
			strbuf_add(reply, (const char *)f.payload, f.len);
			rc = f.type == CTL_FRAME_OK ? 0 : 1;
			goto out;
		}
		if (r == 1) { /* an event: not ours to show */
			memmove(in, in + b.pos, have - b.pos);
			have -= b.pos;
			continue;
		}
		if (have == cap) {
			uint8_t *p;

			if (cap >= CTL_FRAME_MAX_PAYLOAD + CTL_FRAME_HDR_LEN) {
				strbuf_puts(reply, "reply too long");
				goto out;
			}
			p = realloc(in, cap * 2);
			if (!p)
				goto out;
			in = p;
			cap *= 2;
		}
		if (ctl_wait(fd, POLLIN, deadline) < 0) {
			strbuf_printf(reply, "no answer from %s within %d ms", path, timeout_ms);
			goto out;
		}
		n = recv(fd, in + have, cap - have, 0);
		if (n <= 0) {
			strbuf_printf(reply, "%s closed the connection", path);
			goto out;
		}
		have += (size_t)n;
	}
out:
	free(req);
	free(in);
	if (fd >= 0)
		close(fd);
	return rc;
}

int ctl_listen(const char *path, int seconds, FILE *out)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int64_t deadline = (int64_t)clock_now_ms() + (int64_t)seconds * 1000;
	uint8_t req[64], in[65536];
	size_t have = 0;
	struct wbuf w;
	int fd, rc = -1;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		goto out;
	wbuf_init(&w, req, sizeof(req));
	ctl_frame_encode(&w, CTL_FRAME_REQUEST, "subscribe", 9);
	if (send(fd, req, wbuf_len(&w), MSG_NOSIGNAL) != (ssize_t)wbuf_len(&w))
		goto out;
	for (;;) {
		struct buf b;
		struct ctl_frame f;
		ssize_t n;
		int r;

		buf_init(&b, in, have);
		while ((r = ctl_frame_decode(&b, &f)) == 1) {
			/* The OK to "subscribe" first (so callers know events
			 * flow from now on), then one line per event. */
			if (f.type == CTL_FRAME_EVENT || f.type == CTL_FRAME_OK) {
				fprintf(out, "%.*s%s", (int)f.len, (const char *)f.payload,
				        f.type == CTL_FRAME_EVENT ? "\n" : "");
				fflush(out);
			}
		}
		if (r < 0)
			goto out;
		memmove(in, in + b.pos, have - b.pos);
		have -= b.pos;
		if (have == sizeof(in))
			goto out; /* an event larger than we print */
		if (ctl_wait(fd, POLLIN, deadline) < 0) {
			rc = 0;
			goto out;
		}
		n = recv(fd, in + have, sizeof(in) - have, 0);
		if (n <= 0)
			goto out;
		have += (size_t)n;
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}
