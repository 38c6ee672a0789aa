/*
 * zapi_push: how fast nhrpd's ZAPI client gets N routes into FRR's zebra
 * and out again, for tests/bench/zebra_routes.sh.
 *
 *   zapi_push -z ZSERV_SOCKET [-I IFNAME] [-g GATEWAY] [-n N] [options]
 *
 * It drives routing/zapi_client (the library nhrpd links) in a libev loop,
 * as nhrpd does: once connected, it sets N routes of type NHRP, shaped like
 * nhrpd's shortcut routes (nhrp_zebra_route): prefix i is BASE + i as a
 * /PLEN (10.128.0.0/24, 10.128.1.0/24, ...: distinct masked /24s in
 * 10.128.0.0/9 by default), one nexthop IPV4_IFINDEX via GATEWAY on IFNAME
 * with flag ONLINK, distance 10 (message NEXTHOP | DISTANCE). The client's
 * HELLO asks for notifications, so zebra answers each route with a
 * ROUTE_NOTIFY_OWNER; the route_state callback counts them. Meanwhile a
 * netlink socket subscribed to the kernel's IPv4 route events keeps a
 * bitmap of which of the N prefixes the kernel holds (protocol nhrp, 191,
 * table main), so both what zebra tells the client and what reached the
 * kernel are timed. Then it withdraws all N (zapi_client_route_unset) and
 * times until the kernel holds none. At the end of each phase a netlink
 * dump counts the routes again, independently of the events.
 *
 * Times are from t0, the first zapi_client_route_set (install), or the
 * first zapi_client_route_unset (withdraw):
 *
 *   queued     every route set (unset) returned: encoded and queued in the
 *              client's output buffer (the loop writes it to the socket)
 *   notified   zebra's verdict (INSTALLED, FAIL_INSTALL, BETTER_ADMIN_WON)
 *              reached the client for every route: what nhrpd would see
 *   kernel     the kernel holds all N (install) / none (withdraw)
 *
 * With --hold it prints `ZAPI_PUSH_INSTALLED N` on stdout once every route
 * is in and waits for SIGUSR1 before withdrawing, so that a script can look
 * at the kernel and zebra in between. The whole run is bounded by
 * --deadline (SIGALRM backs the loop's own timer up).
 *
 * Output: a summary on stderr and one line `ZAPI_PUSH_JSON {...}` on stdout.
 * Exit status 0 when every route was installed and withdrawn, 1 when not,
 * 2 on a usage or setup error. Needs to run in zebra's network namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/log.h"
#include "routing/zapi_client.h"

#define ZP_MAX_ROUTES  (1u << 20)
#define ZP_RTPROT_NHRP 191 /* zebra's kernel protocol for route type NHRP */
#define ZP_NL_RCVBUF   (64 << 20)
#define ZP_NL_BUF      (256 << 10)

enum zp_phase { ZP_CONNECTING, ZP_INSTALLING, ZP_HOLDING, ZP_WITHDRAWING, ZP_DONE };

/* What the client last reported for route i. */
enum zp_verdict { ZP_V_NONE, ZP_V_INSTALLED, ZP_V_FAILED, ZP_V_BETTER_ADMIN_WON };

struct zp_opts {
	const char *socket;
	const char *ifname;
	struct in_addr gateway;
	uint32_t n;
	uint32_t base; /* host order, masked to plen */
	uint8_t plen;
	uint16_t instance;
	uint8_t distance;
	uint8_t kernel_proto;
	uint32_t deadline_s;
	bool hold;
};

struct zp_phase_times {
	uint64_t t0, queued, notified, kernel; /* ns, CLOCK_MONOTONIC; 0 = not reached */
};

struct zp_run {
	const struct zp_opts *o;
	struct ev_loop *loop;
	struct zapi_client *zc;
	uint32_t ifindex;
	enum zp_phase phase;
	bool timed_out;
	uint64_t start_ns, connected_ns;

	uint8_t *verdict; /* enum zp_verdict, per route */
	uint32_t installed, failed, better_admin_won;
	/* The same when the install phase ended (the withdrawal resets them). */
	uint32_t in_installed, in_failed, in_better_admin_won;
	uint32_t set_errors, unset_errors;
	uint32_t disconnects;

	/* The kernel's view, from route events. */
	int nl_fd;
	ev_io nl_io;
	uint8_t *present; /* per route: the kernel holds it */
	uint32_t kernel_count;
	uint32_t nl_overruns;
	int kernel_after_install, kernel_after_withdraw; /* by dump; -1 = not taken */

	struct zp_phase_times in, out;
	ev_idle next; /* runs the next phase outside any client callback */
	ev_timer deadline;
	ev_signal usr1, sigint, sigterm;
	struct rusage ru0;
};

static _Alignas(struct nlmsghdr) uint8_t zp_nl_buf[ZP_NL_BUF];

static uint64_t zp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double zp_secs(uint64_t from, uint64_t to)
{
	return from && to >= from ? (double)(to - from) / 1e9 : -1.0;
}

/* ------------------------------------------------------------ routes */

static uint32_t zp_prefix_host(const struct zp_opts *o, uint32_t i)
{
	return o->base + (o->plen ? i << (32 - o->plen) : 0);
}

static void zp_prefix(const struct zp_opts *o, uint32_t i, struct ipaddr *p)
{
	struct in_addr a = {.s_addr = htonl(zp_prefix_host(o, i))};

	ipaddr_from_v4(p, a);
}

/* Route index of a prefix, or -1 when it is not one of ours. */
static long zp_index(const struct zp_opts *o, uint32_t host, uint8_t plen)
{
	uint32_t i;

	if (plen != o->plen || host < o->base)
		return -1;
	i = o->plen ? (host - o->base) >> (32 - o->plen) : 0;
	if (i >= o->n || zp_prefix_host(o, i) != host)
		return -1;
	return (long)i;
}

static void zp_route_state_cb(void *arg, const struct ipaddr *prefix, uint8_t plen,
                              enum zapi_route_state st)
{
	struct zp_run *r = arg;
	long i;
	uint8_t v;

	if (prefix->family != AF_INET)
		return;
	i = zp_index(r->o, ntohl(prefix->u.v4.s_addr), plen);
	if (i < 0)
		return;
	switch (st) {
	case ZAPI_RS_INSTALLED:
		v = ZP_V_INSTALLED;
		break;
	case ZAPI_RS_FAILED:
		v = ZP_V_FAILED;
		break;
	case ZAPI_RS_BETTER_ADMIN_WON:
		v = ZP_V_BETTER_ADMIN_WON;
		break;
	default:
		v = ZP_V_NONE; /* pending again, or removed by our unset */
		break;
	}
	if (r->verdict[i] == v)
		return;
	r->installed -= r->verdict[i] == ZP_V_INSTALLED;
	r->failed -= r->verdict[i] == ZP_V_FAILED;
	r->better_admin_won -= r->verdict[i] == ZP_V_BETTER_ADMIN_WON;
	r->verdict[i] = v;
	r->installed += v == ZP_V_INSTALLED;
	r->failed += v == ZP_V_FAILED;
	r->better_admin_won += v == ZP_V_BETTER_ADMIN_WON;
	if (r->phase == ZP_INSTALLING &&
	    r->installed + r->failed + r->better_admin_won == r->o->n) {
		r->in.notified = zp_now_ns();
		ev_idle_start(r->loop, &r->next);
	}
}

static void zp_connected_cb(void *arg)
{
	struct zp_run *r = arg;

	/* Called from within zapi_client_new too, before r->zc is set: the
	 * routes go out from the idle watcher. */
	if (!r->connected_ns)
		r->connected_ns = zp_now_ns();
	ev_idle_start(r->loop, &r->next);
}

static void zp_disconnected_cb(void *arg)
{
	struct zp_run *r = arg;

	r->disconnects++;
}

static const struct zapi_client_ops zp_ops = {
    .connected = zp_connected_cb,
    .disconnected = zp_disconnected_cb,
    .route_state = zp_route_state_cb,
};

static void zp_push(struct zp_run *r)
{
	const struct zp_opts *o = r->o;
	struct zapi_route rt;
	struct zapi_nexthop *nh;

	memset(&rt, 0, sizeof(rt));
	rt.safi = ZAPI_SAFI_UNICAST;
	rt.message = ZAPI_MESSAGE_NEXTHOP | ZAPI_MESSAGE_DISTANCE;
	rt.distance = o->distance;
	rt.prefixlen = o->plen;
	rt.n_nexthops = 1;
	nh = &rt.nexthops[0];
	nh->type = ZAPI_NEXTHOP_IPV4_IFINDEX;
	nh->flags = ZAPI_NEXTHOP_FLAG_ONLINK;
	ipaddr_from_v4(&nh->gate, o->gateway);
	nh->ifindex = r->ifindex;
	r->phase = ZP_INSTALLING;
	r->in.t0 = zp_now_ns();
	for (uint32_t i = 0; i < o->n; i++) {
		zp_prefix(o, i, &rt.prefix);
		if (zapi_client_route_set(r->zc, &rt) < 0)
			r->set_errors++;
	}
	r->in.queued = zp_now_ns();
}

static void zp_withdraw(struct zp_run *r)
{
	struct ipaddr p;

	r->phase = ZP_WITHDRAWING;
	r->out.t0 = zp_now_ns();
	for (uint32_t i = 0; i < r->o->n; i++) {
		zp_prefix(r->o, i, &p);
		if (zapi_client_route_unset(r->zc, &p, r->o->plen) < 0)
			r->unset_errors++;
	}
	r->out.queued = zp_now_ns();
	/* Zebra's REMOVED notes find no route left in the client: the
	 * kernel is the only witness of the withdrawal. */
	r->out.notified = r->out.queued;
	if (r->kernel_count == 0) {
		r->out.kernel = zp_now_ns();
		ev_idle_start(r->loop, &r->next);
	}
}

/* ------------------------------------------------------------ netlink */

static int zp_nl_route_index(const struct zp_run *r, const struct nlmsghdr *h)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*rtm));
	uint32_t table = 0, dst = 0;
	bool has_dst = false;
	long i;

	if (len < 0 || rtm->rtm_family != AF_INET || rtm->rtm_protocol != r->o->kernel_proto)
		return -1;
	table = rtm->rtm_table;
	for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_TABLE && RTA_PAYLOAD(a) == 4)
			memcpy(&table, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_DST && RTA_PAYLOAD(a) == 4) {
			memcpy(&dst, RTA_DATA(a), 4);
			has_dst = true;
		}
	}
	if (table != RT_TABLE_MAIN || (!has_dst && rtm->rtm_dst_len))
		return -1;
	i = zp_index(r->o, ntohl(dst), rtm->rtm_dst_len);
	return i < 0 ? -1 : (int)i;
}

static void zp_kernel_set(struct zp_run *r, uint32_t i, bool on)
{
	if (r->present[i] == on)
		return;
	r->present[i] = on;
	if (on)
		r->kernel_count++;
	else
		r->kernel_count--;
}

/* Count our routes in the kernel with a dump on a socket of its own;
 * with resync, also rebuild the event bitmap from it. -1 on error. */
static int zp_nl_dump(struct zp_run *r, bool resync)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg m;
	} req = {
	    .h = {.nlmsg_len = sizeof(req),
	          .nlmsg_type = RTM_GETROUTE,
	          .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
	          .nlmsg_seq = 1},
	    .m = {.rtm_family = AF_INET},
	};
	int fd, count = 0;
	bool done = false;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		close(fd);
		return -1;
	}
	if (resync) {
		memset(r->present, 0, r->o->n);
		r->kernel_count = 0;
	}
	while (!done) {
		ssize_t n = recv(fd, zp_nl_buf, sizeof(zp_nl_buf), 0);
		int len = (int)n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			count = -1;
			break;
		}
		for (const struct nlmsghdr *h = (void *)zp_nl_buf; NLMSG_OK(h, (unsigned)len);
		     h = NLMSG_NEXT(h, len)) {
			int i;

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = true;
				if (h->nlmsg_type == NLMSG_ERROR)
					count = -1;
				break;
			}
			if (h->nlmsg_type != RTM_NEWROUTE)
				continue;
			i = zp_nl_route_index(r, h);
			if (i < 0)
				continue;
			count++;
			if (resync)
				zp_kernel_set(r, (uint32_t)i, true);
		}
	}
	close(fd);
	return count;
}

static void zp_check_kernel(struct zp_run *r)
{
	if (r->phase == ZP_INSTALLING && !r->in.kernel && r->kernel_count == r->o->n)
		r->in.kernel = zp_now_ns();
	if (r->phase == ZP_WITHDRAWING && !r->out.kernel && r->kernel_count == 0) {
		r->out.kernel = zp_now_ns();
		ev_idle_start(r->loop, &r->next);
	}
	/* Verdicts may come before the last kernel event reaches us. */
	if (r->phase == ZP_INSTALLING && r->in.notified)
		ev_idle_start(r->loop, &r->next);
}

static void zp_nl_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct zp_run *r = w->data;

	(void)loop;
	(void)revents;
	for (;;) {
		ssize_t n = recv(r->nl_fd, zp_nl_buf, sizeof(zp_nl_buf), MSG_DONTWAIT);
		int len = (int)n;

		if (n < 0) {
			if (errno == ENOBUFS) {
				/* Events were lost: ask the kernel for the truth. */
				r->nl_overruns++;
				zp_nl_dump(r, true);
				continue;
			}
			break; /* EAGAIN, or nothing we can do */
		}
		for (const struct nlmsghdr *h = (void *)zp_nl_buf; NLMSG_OK(h, (unsigned)len);
		     h = NLMSG_NEXT(h, len)) {
			int i;

			if (h->nlmsg_type != RTM_NEWROUTE && h->nlmsg_type != RTM_DELROUTE)
				continue;
			i = zp_nl_route_index(r, h);
			if (i >= 0)
				zp_kernel_set(r, (uint32_t)i, h->nlmsg_type == RTM_NEWROUTE);
		}
	}
	zp_check_kernel(r);
}

static int zp_nl_open(struct zp_run *r)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV4_ROUTE};
	int sz = ZP_NL_RCVBUF;

	r->nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (r->nl_fd < 0)
		return -1;
	/* Ten thousand events arrive in a burst: room for all of them. */
	if (setsockopt(r->nl_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(r->nl_fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(r->nl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	/* Subscribe first, then count what is there already. */
	if (zp_nl_dump(r, true) < 0)
		return -1;
	ev_io_init(&r->nl_io, zp_nl_readable, r->nl_fd, EV_READ);
	r->nl_io.data = r;
	ev_io_start(r->loop, &r->nl_io);
	return 0;
}

/* ------------------------------------------------------------ phases */

static void zp_snapshot(struct zp_run *r)
{
	r->in_installed = r->installed;
	r->in_failed = r->failed;
	r->in_better_admin_won = r->better_admin_won;
}

static void zp_next(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct zp_run *r = w->data;

	(void)revents;
	ev_idle_stop(loop, w);
	switch (r->phase) {
	case ZP_CONNECTING:
		if (zapi_client_connected(r->zc))
			zp_push(r);
		break;
	case ZP_INSTALLING:
		if (!r->in.notified ||
		    (r->kernel_count != r->installed && r->kernel_count != r->o->n))
			break; /* the last kernel events are still on their way */
		r->kernel_after_install = zp_nl_dump(r, false);
		zp_snapshot(r);
		r->phase = ZP_HOLDING;
		if (r->o->hold) {
			printf("ZAPI_PUSH_INSTALLED %" PRIu32 "\n", r->in_installed);
			fflush(stdout);
			break;
		}
		zp_withdraw(r);
		break;
	case ZP_WITHDRAWING:
		if (!r->out.kernel)
			break;
		r->kernel_after_withdraw = zp_nl_dump(r, false);
		r->phase = ZP_DONE;
		ev_break(loop, EVBREAK_ALL);
		break;
	default:
		break;
	}
}

static void zp_usr1(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct zp_run *r = w->data;

	(void)loop;
	(void)revents;
	if (r->phase == ZP_HOLDING)
		zp_withdraw(r);
}

static void zp_stop(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct zp_run *r = w->data;

	(void)revents;
	r->timed_out = true; /* interrupted: report what we have */
	ev_break(loop, EVBREAK_ALL);
}

static void zp_deadline(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct zp_run *r = w->data;

	(void)revents;
	r->timed_out = true;
	ev_break(loop, EVBREAK_ALL);
}

/* ------------------------------------------------------------ report */

static double zp_rate(uint32_t n, double secs)
{
	return secs > 0 ? n / secs : 0;
}

/* Seconds for the summary, "-" when not reached. */
static const char *zp_fmt_secs(double v, char *out, size_t len)
{
	if (v < 0)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.3f s", v);
	return out;
}

static void zp_json_num(const char *key, double v, bool last)
{
	if (v < 0)
		printf("\"%s\":null%s", key, last ? "" : ",");
	else
		printf("\"%s\":%.6f%s", key, v, last ? "" : ",");
}

static void zp_json_phase(const char *name, const struct zp_phase_times *t, uint32_t n, bool last)
{
	double kernel = zp_secs(t->t0, t->kernel);

	printf("\"%s\":{", name);
	zp_json_num("queued_s", zp_secs(t->t0, t->queued), false);
	zp_json_num("notified_s", zp_secs(t->t0, t->notified), false);
	zp_json_num("kernel_s", kernel, false);
	zp_json_num("routes_per_s", kernel > 0 ? zp_rate(n, kernel) : -1, true);
	printf("}%s", last ? "" : ",");
}

static void zp_report(struct zp_run *r, bool ok)
{
	const struct zp_opts *o = r->o;
	struct zapi_client_stats st = {0};
	struct rusage ru;
	double in_k = zp_secs(r->in.t0, r->in.kernel), in_n = zp_secs(r->in.t0, r->in.notified);
	double out_k = zp_secs(r->out.t0, r->out.kernel);
	double cpu;
	char gw[INET_ADDRSTRLEN], base[INET_ADDRSTRLEN], s1[32], s2[32], s3[32];
	struct in_addr b = {.s_addr = htonl(o->base)};

	if (r->zc)
		zapi_client_get_stats(r->zc, &st);
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)(ru.ru_utime.tv_sec - r->ru0.ru_utime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec - r->ru0.ru_utime.tv_usec) / 1e6 +
	      (double)(ru.ru_stime.tv_sec - r->ru0.ru_stime.tv_sec) +
	      (double)(ru.ru_stime.tv_usec - r->ru0.ru_stime.tv_usec) / 1e6;
	inet_ntop(AF_INET, &o->gateway, gw, sizeof(gw));
	inet_ntop(AF_INET, &b, base, sizeof(base));

	fprintf(stderr,
	        "zapi_push: %" PRIu32 " routes %s/%u + i via %s dev %s, zebra at %s, instance %u\n",
	        o->n, base, o->plen, gw, o->ifname, o->socket, o->instance);
	fprintf(stderr,
	        "  install:  queued %s, zebra's verdicts %s (%" PRIu32 " installed, %" PRIu32
	        " failed, %" PRIu32 " better-admin-won), all in the kernel %s: %.0f routes/s\n",
	        zp_fmt_secs(zp_secs(r->in.t0, r->in.queued), s1, sizeof(s1)),
	        zp_fmt_secs(in_n, s2, sizeof(s2)), r->in_installed, r->in_failed,
	        r->in_better_admin_won, zp_fmt_secs(in_k, s3, sizeof(s3)), zp_rate(o->n, in_k));
	fprintf(stderr, "  withdraw: queued %s, none in the kernel %s: %.0f routes/s\n",
	        zp_fmt_secs(zp_secs(r->out.t0, r->out.queued), s1, sizeof(s1)),
	        zp_fmt_secs(out_k, s2, sizeof(s2)), zp_rate(o->n, out_k));
	fprintf(stderr,
	        "  kernel by dump: %d after install, %d after withdraw; frames out %" PRIu64
	        ", in %" PRIu64 ", bad %" PRIu64 "; disconnects %" PRIu32
	        "; netlink overruns %" PRIu32 "; own CPU %.3f s%s\n",
	        r->kernel_after_install, r->kernel_after_withdraw, st.frames_out, st.frames_in,
	        st.bad_frames, r->disconnects, r->nl_overruns, cpu,
	        r->timed_out ? "; TIMED OUT" : "");

	printf("ZAPI_PUSH_JSON {\"routes\":%" PRIu32 ",\"base\":\"%s/%u\",\"gateway\":\"%s\","
	       "\"interface\":\"%s\",\"instance\":%u,\"distance\":%u,",
	       o->n, base, o->plen, gw, o->ifname, o->instance, o->distance);
	zp_json_num("connect_s", zp_secs(r->start_ns, r->connected_ns), false);
	zp_json_phase("install", &r->in, o->n, false);
	zp_json_phase("withdraw", &r->out, o->n, false);
	printf("\"installed\":%" PRIu32 ",\"failed\":%" PRIu32 ",\"better_admin_won\":%" PRIu32
	       ",\"set_errors\":%" PRIu32 ",\"unset_errors\":%" PRIu32 ","
	       "\"kernel_after_install\":%d,\"kernel_after_withdraw\":%d,"
	       "\"frames_out\":%" PRIu64 ",\"frames_in\":%" PRIu64 ",\"bad_frames\":%" PRIu64 ","
	       "\"disconnects\":%" PRIu32 ",\"netlink_overruns\":%" PRIu32 ",",
	       r->in_installed, r->in_failed, r->in_better_admin_won, r->set_errors,
	       r->unset_errors, r->kernel_after_install, r->kernel_after_withdraw, st.frames_out,
	       st.frames_in, st.bad_frames, r->disconnects, r->nl_overruns);
	zp_json_num("cpu_s", cpu, false);
	printf("\"timed_out\":%s,\"ok\":%s}\n", r->timed_out ? "true" : "false",
	       ok ? "true" : "false");
	fflush(stdout);
}

/* ------------------------------------------------------------ options */

static void zp_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: zapi_push -z ZSERV_SOCKET [-I IFNAME] [-g GATEWAY] [-n N] [-b BASE]\n"
	    "                 [-l PLEN] [-i INSTANCE] [-D DISTANCE] [-p PROTO] [-d SECONDS] [-H]\n"
	    "  -z, --socket PATH      zebra's ZAPI socket (default " ZAPI_DEFAULT_PATH ")\n"
	    "  -I, --interface NAME   nexthop interface (default dum0)\n"
	    "  -g, --gateway ADDR     nexthop gateway, on-link (default 10.0.0.3)\n"
	    "  -n, --routes N         routes, 1-%u (default 10000)\n"
	    "  -b, --base ADDR        route i is (BASE + i) / PLEN (default 10.128.0.0)\n"
	    "  -l, --prefixlen PLEN   8-32 (default 24)\n"
	    "  -i, --instance I       ZAPI instance, 0-65535 (default 0, as nhrpd's)\n"
	    "  -D, --distance D       1-255 (default 10, as nhrpd's)\n"
	    "  -p, --proto P          the routes' kernel protocol (default 191, nhrp)\n"
	    "  -d, --deadline SECONDS give up after (default 60)\n"
	    "  -H, --hold             once installed, print ZAPI_PUSH_INSTALLED N and wait\n"
	    "                         for SIGUSR1 before withdrawing\n",
	    ZP_MAX_ROUTES);
}

static int zp_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int zp_parse_opts(int argc, char **argv, struct zp_opts *o)
{
	static const struct option longopts[] = {
	    {"socket", required_argument, NULL, 'z'},
	    {"interface", required_argument, NULL, 'I'},
	    {"gateway", required_argument, NULL, 'g'},
	    {"routes", required_argument, NULL, 'n'},
	    {"base", required_argument, NULL, 'b'},
	    {"prefixlen", required_argument, NULL, 'l'},
	    {"instance", required_argument, NULL, 'i'},
	    {"distance", required_argument, NULL, 'D'},
	    {"proto", required_argument, NULL, 'p'},
	    {"deadline", required_argument, NULL, 'd'},
	    {"hold", no_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct in_addr a;
	uint32_t v;
	int c;

	*o = (struct zp_opts){.socket = ZAPI_DEFAULT_PATH,
	                      .ifname = "dum0",
	                      .n = 10000,
	                      .plen = 24,
	                      .instance = 0,
	                      .distance = 10,
	                      .kernel_proto = ZP_RTPROT_NHRP,
	                      .deadline_s = 60};
	inet_pton(AF_INET, "10.0.0.3", &o->gateway);
	inet_pton(AF_INET, "10.128.0.0", &a);
	o->base = ntohl(a.s_addr);
	while ((c = getopt_long(argc, argv, "z:I:g:n:b:l:i:D:p:d:Hh", longopts, NULL)) != -1) {
		switch (c) {
		case 'z':
			o->socket = optarg;
			break;
		case 'I':
			if (strlen(optarg) >= IF_NAMESIZE)
				return -1;
			o->ifname = optarg;
			break;
		case 'g':
			if (inet_pton(AF_INET, optarg, &o->gateway) != 1)
				return -1;
			break;
		case 'n':
			if (zp_parse_u32(optarg, 1, ZP_MAX_ROUTES, &o->n) < 0)
				return -1;
			break;
		case 'b':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				return -1;
			o->base = ntohl(a.s_addr);
			break;
		case 'l':
			if (zp_parse_u32(optarg, 8, 32, &v) < 0)
				return -1;
			o->plen = (uint8_t)v;
			break;
		case 'i':
			if (zp_parse_u32(optarg, 0, 65535, &v) < 0)
				return -1;
			o->instance = (uint16_t)v;
			break;
		case 'D':
			if (zp_parse_u32(optarg, 1, 255, &v) < 0)
				return -1;
			o->distance = (uint8_t)v;
			break;
		case 'p':
			if (zp_parse_u32(optarg, 1, 255, &v) < 0)
				return -1;
			o->kernel_proto = (uint8_t)v;
			break;
		case 'd':
			if (zp_parse_u32(optarg, 1, 3600, &o->deadline_s) < 0)
				return -1;
			break;
		case 'H':
			o->hold = true;
			break;
		case 'h':
			zp_usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc)
		return -1;
	/* Masked prefixes: zebra refuses host bits. */
	o->base &= o->plen == 32 ? 0xffffffffu : ~(0xffffffffu >> o->plen);
	/* Every prefix distinct: base + n must not wrap past 255.255.255.255. */
	if ((uint64_t)(o->base >> (32 - o->plen)) + o->n > (1ull << o->plen))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct zp_opts o;
	struct zp_run r;
	bool ok;

	if (zp_parse_opts(argc, argv, &o) < 0) {
		zp_usage(stderr);
		return 2;
	}
	/* The loop's deadline, and a hard one in case the loop is stuck. */
	alarm(o.deadline_s + 10);
	log_init("zapi_push", false);
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.nl_fd = -1;
	r.kernel_after_install = r.kernel_after_withdraw = -1;
	r.ifindex = if_nametoindex(o.ifname);
	if (!r.ifindex) {
		fprintf(stderr, "zapi_push: no interface %s: %s\n", o.ifname, strerror(errno));
		return 2;
	}
	r.verdict = calloc(o.n, 1);
	r.present = calloc(o.n, 1);
	r.loop = ev_default_loop(EVFLAG_AUTO);
	if (!r.verdict || !r.present || !r.loop) {
		fprintf(stderr, "zapi_push: out of memory\n");
		return 2;
	}
	if (zp_nl_open(&r) < 0) {
		fprintf(stderr, "zapi_push: netlink: %s\n", strerror(errno));
		return 2;
	}
	if (r.kernel_count)
		fprintf(stderr,
		        "zapi_push: warning: the kernel holds %" PRIu32 " of the routes already\n",
		        r.kernel_count);
	ev_idle_init(&r.next, zp_next);
	r.next.data = &r;
	ev_timer_init(&r.deadline, zp_deadline, o.deadline_s, 0.);
	r.deadline.data = &r;
	ev_timer_start(r.loop, &r.deadline);
	ev_signal_init(&r.usr1, zp_usr1, SIGUSR1);
	ev_signal_init(&r.sigint, zp_stop, SIGINT);
	ev_signal_init(&r.sigterm, zp_stop, SIGTERM);
	r.usr1.data = r.sigint.data = r.sigterm.data = &r;
	ev_signal_start(r.loop, &r.usr1);
	ev_signal_start(r.loop, &r.sigint);
	ev_signal_start(r.loop, &r.sigterm);
	signal(SIGPIPE, SIG_IGN);
	getrusage(RUSAGE_SELF, &r.ru0);
	r.start_ns = zp_now_ns();
	r.zc = zapi_client_new(r.loop, o.socket, o.instance, &zp_ops, &r);
	if (!r.zc) {
		fprintf(stderr, "zapi_push: cannot create the ZAPI client for %s\n", o.socket);
		return 2;
	}
	ev_run(r.loop, 0);

	if (r.phase <= ZP_INSTALLING)
		zp_snapshot(&r); /* timed out before the end of the install */
	ok = !r.timed_out && r.phase == ZP_DONE && r.in_installed == o.n && !r.set_errors &&
	     !r.unset_errors && r.kernel_after_install == (int)o.n && r.kernel_after_withdraw == 0;
	zp_report(&r, ok);
	/* Withdraws whatever is left (after a deadline) before closing. */
	zapi_client_free(r.zc);
	ev_io_stop(r.loop, &r.nl_io);
	close(r.nl_fd);
	ev_timer_stop(r.loop, &r.deadline);
	ev_signal_stop(r.loop, &r.usr1);
	ev_signal_stop(r.loop, &r.sigint);
	ev_signal_stop(r.loop, &r.sigterm);
	ev_loop_destroy(r.loop);
	free(r.verdict);
	free(r.present);
	return ok ? 0 : 1;
}
