/*
 * What nhrpd's unit tests run on (included by tests/unit/test_nhrp_*.c,
 * after cmocka.h): a daemon whose interfaces sit on a test backend of the
 * data plane, on the simulated clock.
 *
 * The test backend takes the userspace backend's place (dp_backend_set_ops)
 * and records instead of programming a device: the neighbour entries set
 * and deleted, and every frame sent. A test reads the frames back decoded
 * (h_take), or lets the wire carry them to the interface of the test
 * daemon whose NBMA address they were sent to (h_deliver), as the
 * network would; nothing is carried unless a test says so. Route lookups
 * are answered from h.route. No device, no socket but an eventfd that
 * never becomes readable, no sleep.
 */
#ifndef DMVPN_TEST_NHRP_HARNESS_H
#define DMVPN_TEST_NHRP_HARNESS_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "lib/clock.h"
#include "nhrpd/nhrpd.h"

#define H_T0           1000000 /* the simulated clock starts here (ms) */
#define H_MAX_FRAMES   256
#define H_MAX_NEIGH    64
#define H_IFINDEX_BASE 100

/* A spoke registering with one NHS (10.0.0.1 at 192.0.2.1). */
#define H_SPOKE_CONF(HOLD)                                                                         \
	"interface tun0\n"                                                                         \
	" tunnel mode gre multipoint\n"                                                            \
	" tunnel source 192.0.2.2\n"                                                               \
	" ip address 10.0.0.2/24\n"                                                                \
	" ip nhrp network-id 1\n"                                                                  \
	" ip nhrp holdtime " HOLD "\n"                                                             \
	" ip nhrp nhs 10.0.0.1 nbma 192.0.2.1\n"

struct h_frame {
	int ifindex; /* the sending tunnel's */
	struct ipaddr to;
	uint16_t ethertype;
	size_t len;
	uint8_t data[NHRP_MAX_PACKET];
};

struct h_neigh {
	int ifindex;
	struct ipaddr overlay, nbma;
	bool permanent;
};

struct h_tunnel {
	struct dp_tunnel t;
	int fd;
};

static struct {
	bool started;
	struct nhrpd d;
	const struct dp_ops *saved;
	int next_ifindex;
	unsigned nframes;
	struct h_frame frames[H_MAX_FRAMES];
	struct h_frame taken; /* the last frame h_take returned (its packet points here) */
	unsigned nneigh;
	struct h_neigh neigh[H_MAX_NEIGH];
	unsigned neigh_sets, neigh_dels;
	struct nlh_route route; /* what a route lookup answers */
	unsigned route_lookups;
} h;

/* ---------- the test backend ---------- */

static struct dp_tunnel *h_dp_open(const char *ifname)
{
	struct h_tunnel *ht = calloc(1, sizeof(*ht));

	if (!ht)
		return NULL;
	strcpy(ht->t.ifname, ifname);
	ht->t.ifindex = h.next_ifindex++;
	ht->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ht->fd < 0) {
		free(ht);
		return NULL;
	}
	return &ht->t;
}

static void h_dp_close(struct dp_tunnel *t)
{
	struct h_tunnel *ht = (struct h_tunnel *)t;

	close(ht->fd);
	free(ht);
}

static int h_dp_mtu(struct dp_tunnel *t, unsigned *mtu)
{
	(void)t;
	*mtu = 1400;
	return 0;
}

static struct h_neigh *h_neigh_find(int ifindex, const struct ipaddr *overlay)
{
	for (unsigned i = 0; i < h.nneigh; i++)
		if (h.neigh[i].ifindex == ifindex && ipaddr_equal(&h.neigh[i].overlay, overlay))
			return &h.neigh[i];
	return NULL;
}

static int h_dp_neigh_set(struct dp_tunnel *t, const struct ipaddr *overlay,
                          const struct ipaddr *nbma, bool permanent)
{
	struct h_neigh *n = h_neigh_find(t->ifindex, overlay);

	if (!n) {
		if (h.nneigh == H_MAX_NEIGH) {
			errno = ENOSPC;
			return -1;
		}
		n = &h.neigh[h.nneigh++];
	}
	n->ifindex = t->ifindex;
	n->overlay = *overlay;
	n->nbma = *nbma;
	n->permanent = permanent;
	h.neigh_sets++;
	return 0;
}

static int h_dp_neigh_del(struct dp_tunnel *t, const struct ipaddr *overlay)
{
	struct h_neigh *n = h_neigh_find(t->ifindex, overlay);

	h.neigh_dels++;
	if (!n) {
		errno = ENOENT;
		return -1;
	}
	*n = h.neigh[--h.nneigh];
	return 0;
}

static int h_dp_nhrp_fd(struct dp_tunnel *t)
{
	return ((struct h_tunnel *)t)->fd;
}

static ssize_t h_dp_frame_send(struct dp_tunnel *t, const struct ipaddr *nbma, uint16_t ethertype,
                               const void *pkt, size_t len)
{
	struct h_frame *f;

	if (h.nframes == H_MAX_FRAMES || len > sizeof(f->data)) {
		errno = ENOBUFS;
		return -1;
	}
	f = &h.frames[h.nframes++];
	f->ifindex = t->ifindex;
	f->to = *nbma;
	f->ethertype = ethertype;
	f->len = len;
	memcpy(f->data, pkt, len);
	return (ssize_t)len;
}

static ssize_t h_dp_nhrp_recv(struct dp_tunnel *t, void *buf, size_t cap, struct ipaddr *nbma)
{
	(void)t;
	(void)buf;
	(void)cap;
	(void)nbma;
	errno = EAGAIN; /* frames arrive by h_deliver */
	return -1;
}

/* As the kernel backend will: the lladdr is the IPv4 NBMA address. */
static int h_dp_lladdr_nbma(struct dp_tunnel *t, const uint8_t *lladdr, size_t len,
                            struct ipaddr *nbma)
{
	(void)t;
	if (len != 4) {
		errno = EPROTO;
		return -1;
	}
	memset(nbma, 0, sizeof(*nbma));
	nbma->family = AF_INET;
	memcpy(&nbma->u.v4, lladdr, 4);
	return 0;
}

static const struct dp_ops h_dp_ops = {
    .name = "test",
    .open = h_dp_open,
    .close = h_dp_close,
    .mtu = h_dp_mtu,
    .neigh_set = h_dp_neigh_set,
    .neigh_del = h_dp_neigh_del,
    .nhrp_fd = h_dp_nhrp_fd,
    .frame_send = h_dp_frame_send,
    .nhrp_recv = h_dp_nhrp_recv,
    .lladdr_nbma = h_dp_lladdr_nbma,
};

static int h_route_lookup(struct nhrpd *d, const struct ipaddr *dst, struct nlh_route *ri)
{
	(void)d;
	(void)dst;
	h.route_lookups++;
	*ri = h.route;
	return 0;
}

/* ---------- the daemon ---------- */

/* A daemon running every NHRP interface of conf_text, at H_T0. */
static inline void h_start(const char *conf_text)
{
	struct strbuf errors;

	memset(&h, 0, sizeof(h));
	h.started = true;
	clock_sim_start(H_T0);
	h.next_ifindex = H_IFINDEX_BASE;
	h.saved = dp_backend_set_ops(DP_BACKEND_USERSPACE, &h_dp_ops);
	h.d.loop = ev_loop_new(EVFLAG_AUTO);
	h.d.neigh_fd = -1;
	h.d.nflog_fd = -1;
	h.d.route_lookup = h_route_lookup;
	h.d.conf = malloc(sizeof(*h.d.conf));
	assert_non_null(h.d.conf);
	strbuf_init(&errors);
	if (nhrpd_conf_load_mem("test.conf", conf_text, strlen(conf_text), h.d.conf, &errors) < 0)
		fail_msg("%s", strbuf_str(&errors));
	strbuf_free(&errors);
	for (unsigned i = 0; i < h.d.conf->nifaces; i++)
		if (nhrpd_conf_iface_runs(&h.d.conf->ifaces[i]))
			assert_int_equal(nhrp_iface_create(&h.d, &h.d.conf->ifaces[i]), 0);
}

static inline void h_stop(void)
{
	if (!h.started)
		return;
	h.started = false;
	while (h.d.nifaces)
		nhrp_iface_destroy(h.d.ifaces[h.d.nifaces - 1]);
	nhrp_zebra_close(&h.d);
	nhrpd_conf_free(h.d.conf);
	ev_loop_destroy(h.d.loop);
	dp_backend_set_ops(DP_BACKEND_USERSPACE, h.saved);
	clock_sim_stop();
}

/* cmocka teardown: what a failed test left running is stopped. */
static inline int h_teardown(void **state)
{
	(void)state;
	h_stop();
	return 0;
}

static inline struct nhrp_iface *h_iface(const char *name)
{
	struct nhrp_iface *ifp = nhrp_iface_by_name(&h.d, name);

	assert_non_null(ifp);
	assert_true(ifp->attached);
	return ifp;
}

static inline struct ipaddr h_addr(const char *s)
{
	struct ipaddr a;

	assert_int_equal(ipaddr_parse(s, &a), 0);
	return a;
}

static inline struct nhrp_cache_entry *h_entry(struct nhrp_iface *ifp, const char *proto)
{
	struct ipaddr a = h_addr(proto);

	return nhrp_cache_get(ifp, &a);
}

/* ms until a timer's deadline (it must be armed). */
static inline uint64_t h_due_in(const struct timer *t)
{
	assert_true(timer_is_active(t));
	assert_true(timer_deadline_ms(t) >= clock_now_ms());
	return timer_deadline_ms(t) - clock_now_ms();
}

/* ---------- the frames sent ---------- */

static inline void h_frames_clear(void)
{
	h.nframes = 0;
}

static inline unsigned h_count(uint8_t type)
{
	struct nhrp_packet p;
	struct nhrp_decode_error err;
	unsigned n = 0;

	for (unsigned i = 0; i < h.nframes; i++)
		if (nhrp_decode(h.frames[i].data, h.frames[i].len, &p, &err) == 0 && p.type == type)
			n++;
	return n;
}

/* Take the first frame sent (of a type, or any with 0), decoded into *p
 * (which points into h.taken); its destination in *to. False when none. */
static inline bool h_take(uint8_t type, struct nhrp_packet *p, struct ipaddr *to)
{
	struct nhrp_decode_error err;

	for (unsigned i = 0; i < h.nframes; i++) {
		h.taken = h.frames[i];
		assert_int_equal(h.taken.ethertype, NHRP_ETHERTYPE);
		if (nhrp_decode(h.taken.data, h.taken.len, p, &err) < 0)
			fail_msg("a frame sent does not decode: %s", err.reason);
		if (type && p->type != type)
			continue;
		memmove(&h.frames[i], &h.frames[i + 1], (h.nframes - i - 1) * sizeof(h.frames[0]));
		h.nframes--;
		if (to)
			*to = h.taken.to;
		return true;
	}
	return false;
}

static inline struct nhrp_iface *h_iface_by_nbma(const struct ipaddr *nbma)
{
	for (unsigned i = 0; i < h.d.nifaces; i++)
		if (ipaddr_equal(&h.d.ifaces[i]->nbma, nbma))
			return h.d.ifaces[i];
	return NULL;
}

static inline struct nhrp_iface *h_iface_by_ifindex(int ifindex)
{
	for (unsigned i = 0; i < h.d.nifaces; i++)
		if (h.d.ifaces[i]->ifindex == ifindex)
			return h.d.ifaces[i];
	return NULL;
}

/* Carry the first frame sent to the interface of the daemon it is for
 * (lost when nobody here has its address). False when none was waiting. */
static inline bool h_deliver_one(void)
{
	static struct h_frame f;
	struct nhrp_iface *from, *to;

	if (!h.nframes)
		return false;
	f = h.frames[0];
	memmove(&h.frames[0], &h.frames[1], (h.nframes - 1) * sizeof(h.frames[0]));
	h.nframes--;
	from = h_iface_by_ifindex(f.ifindex);
	to = h_iface_by_nbma(&f.to);
	if (to && from)
		nhrp_recv_packet(to, f.data, f.len, &from->nbma);
	return to && from;
}

/* Carry the frames sent, and those sent in answer, until none is left.
 * How many reached an interface. */
static inline unsigned h_deliver(void)
{
	unsigned n = 0;

	for (unsigned guard = 0; h.nframes && guard < 10 * H_MAX_FRAMES; guard++)
		n += h_deliver_one();
	return n;
}

/* Let ms pass on the wire: time moves in steps of at most 100 ms, and
 * what is sent is delivered at each. */
static inline void h_run(uint64_t ms)
{
	while (ms) {
		uint64_t step = ms < 100 ? ms : 100;

		clock_sim_advance(step);
		h_deliver();
		ms -= step;
	}
}

#endif
