/*
 * Two ikeds in one test process, for the test_ike_*.c tests:
 *
 *   node 0: 192.0.2.1  <== in-memory wire ==>  node 1: 192.0.2.2
 *
 * Each node is a whole struct iked with its configuration read from text
 * (iked_conf_load_mem; the PSK in a temporary file), whose d->send puts
 * the message on the wire instead of a socket. Messages wait there, in
 * order, until the test delivers (ike_recv on the other node), drops,
 * duplicates, swaps or corrupts them. Time is lib/clock.h's simulated
 * clock: timers fire only when the test advances it. Every message sent is
 * also kept in a history (who, when, exchange, flags, message ID) for
 * assertions about what went on the wire.
 *
 * Both nodes share this process's recording data plane (gre/dataplane.h):
 * a CHILD_SA's four ESP SAs there are two (SPI, destination) pairs, so a
 * pair of ends that agree holds 2 entries per CHILD_SA.
 *
 * Functions are static inline so that each test file takes what it uses.
 */
#ifndef DMVPN_TEST_IKE_PAIR_H
#define DMVPN_TEST_IKE_PAIR_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gre/dataplane.h"
#include "iked/iked.h"

#define PAIR_T0       1000000 /* the simulated clock at the start of each test */
#define WIRE_MAX      64
#define HISTORY_MAX   512
#define PAIR_CONF_MAX 1024

struct wire_msg {
	int from;
	size_t len;
	uint8_t data[IKED_MAX_MSG];
};

struct wire_sent {
	int from;
	uint64_t at;
	uint8_t exchange, flags;
	uint32_t msg_id;
};

struct pair_node {
	struct iked d;
	struct iked_conf conf;
	struct ipaddr addr;
	char psk_path[40];
};

static struct pair_node nodes[2];
static struct wire_msg wire[WIRE_MAX];
static unsigned wire_n;
static struct wire_sent history[HISTORY_MAX];
static unsigned history_n;

static inline int wire_send(struct iked *d, const struct ipaddr *local, const struct ipaddr *remote,
                            uint16_t rport, const uint8_t *msg, size_t len)
{
	int from = d == &nodes[0].d ? 0 : 1;
	struct wire_msg *w = &wire[wire_n];

	(void)local;
	(void)rport;
	assert_true(d == &nodes[from].d);
	assert_true(ipaddr_equal(remote, &nodes[!from].addr));
	assert_true(wire_n < WIRE_MAX && len <= sizeof(w->data) && len >= IKEV2_HDR_LEN);
	w->from = from;
	w->len = len;
	memcpy(w->data, msg, len);
	wire_n++;
	if (history_n < HISTORY_MAX) {
		struct wire_sent *h = &history[history_n++];

		/* RFC 7296 3.1: exchange type at 18, flags at 19, message ID at 20. */
		*h = (struct wire_sent){from, clock_now_ms(), msg[18], msg[19],
		                        ike_get_spi32(msg + 20)};
	}
	return 0;
}

/* The header of a message on the wire. */
static inline uint8_t wire_exchange(unsigned k)
{
	return wire[k].data[18];
}

static inline bool wire_is_response(unsigned k)
{
	return wire[k].data[19] & IKEV2_FLAG_RESPONSE;
}

static inline uint32_t wire_msg_id(unsigned k)
{
	return ike_get_spi32(wire[k].data + 20);
}

static inline void wire_remove(unsigned k)
{
	assert_true(k < wire_n);
	memmove(&wire[k], &wire[k + 1], (wire_n - k - 1) * sizeof(wire[0]));
	wire_n--;
}

/* Message k reaches the other node (and leaves the wire). */
static inline void wire_deliver(unsigned k)
{
	static struct wire_msg w;
	int to;

	assert_true(k < wire_n);
	w = wire[k];
	wire_remove(k);
	to = !w.from;
	ike_recv(&nodes[to].d, w.data, w.len, &nodes[to].addr, &nodes[w.from].addr, 500);
}

/* Deliver in order until the wire is quiet (what answers add, too). */
static inline void wire_deliver_all(void)
{
	for (unsigned i = 0; wire_n; i++) {
		assert_true(i < 200);
		wire_deliver(0);
	}
}

static inline void wire_drop(unsigned k)
{
	wire_remove(k);
}

static inline void wire_drop_all(void)
{
	wire_n = 0;
}

static inline void wire_duplicate(unsigned k)
{
	assert_true(k < wire_n && wire_n < WIRE_MAX);
	memmove(&wire[k + 1], &wire[k], (wire_n - k) * sizeof(wire[0]));
	wire_n++;
}

static inline void wire_swap(unsigned a, unsigned b)
{
	static struct wire_msg t;

	assert_true(a < wire_n && b < wire_n);
	t = wire[a];
	wire[a] = wire[b];
	wire[b] = t;
}

static inline void wire_corrupt(unsigned k, size_t off)
{
	assert_true(k < wire_n && off < wire[k].len);
	wire[k].data[off] ^= 0x40;
}

/* How many messages node `from` sent of exchange (response or request),
 * since history entry `since`. */
static inline unsigned history_count(unsigned since, int from, uint8_t exchange, bool response)
{
	unsigned n = 0;

	for (unsigned i = since; i < history_n; i++)
		n += history[i].from == from && history[i].exchange == exchange &&
		     !!(history[i].flags & IKEV2_FLAG_RESPONSE) == response;
	return n;
}

/* A temporary PSK file (mode 0600) holding key. */
static inline void pair_psk(int i, const char *key)
{
	char *path = nodes[i].psk_path;
	int fd;

	strcpy(path, "/tmp/test_ike_pair_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, key, strlen(key)), (ssize_t)strlen(key));
	assert_int_equal(write(fd, "\n", 1), 1);
	assert_int_equal(fchmod(fd, 0600), 0);
	close(fd);
}

/* Node i with the configuration text conf, where "%s" is its PSK file. */
static inline void pair_node_init(int i, const char *key, const char *conf)
{
	struct pair_node *n = &nodes[i];
	char text[PAIR_CONF_MAX];
	struct strbuf errors;
	const char *hole = strstr(conf, "%s");

	assert_non_null(hole);
	pair_psk(i, key);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(hole - conf), conf, n->psk_path, hole + 2);
	strbuf_init(&errors);
	if (iked_conf_load_mem("test.conf", text, strlen(text), &n->conf, &errors) != 0)
		fail_msg("node %d configuration: %s", i, strbuf_str(&errors));
	strbuf_free(&errors);
	assert_int_equal(ipaddr_parse(i == 0 ? "192.0.2.1" : "192.0.2.2", &n->addr), 0);
	n->d.loop = NULL; /* the simulated clock needs none */
	n->d.conf = &n->conf;
	n->d.fd4 = -1;
	n->d.port = 500;
	n->d.send = wire_send;
	n->d.started_ms = clock_now_ms();
	assert_int_equal(ikev2_random(n->d.cookie_secret, sizeof(n->d.cookie_secret)), 0);
}

/* A profile for the other node; extra lines go in the profile. */
#define PAIR_PROFILE(extra)                                                                        \
	"crypto ikev2 profile DMVPN\n"                                                             \
	" authentication pre-shared-key file %s\n"                                                 \
	" match identity remote address\n" extra "!\n"

static inline void pair_start(const char *conf0, const char *conf1)
{
	memset(nodes, 0, sizeof(nodes));
	wire_n = 0;
	history_n = 0;
	clock_sim_start(PAIR_T0);
	if (!getenv("IKE_TEST_LOG"))
		log_set_level(LOG_LVL_ERR);
	else
		log_set_level(LOG_LVL_DEBUG);
	pair_node_init(0, "pair secret", conf0);
	pair_node_init(1, "pair secret", conf1);
}

static inline void pair_stop(void)
{
	for (int i = 0; i < 2; i++) {
		while (nodes[i].d.sas)
			ike_sa_free(nodes[i].d.sas);
		iked_conf_wipe(&nodes[i].conf);
		if (nodes[i].psk_path[0])
			unlink(nodes[i].psk_path);
		nodes[i].psk_path[0] = '\0';
		/* A transition the tables do not have is a bug. */
		assert_int_equal(nodes[i].d.stats.fsm_invalid, 0);
	}
	clock_sim_stop();
	wire_n = 0;
}

static inline int pair_teardown(void **state)
{
	(void)state;
	pair_stop();
	return 0;
}

static inline void assert_between(uint64_t v, uint64_t lo, uint64_t hi)
{
	if (v < lo || v > hi)
		fail_msg("%llu not in [%llu, %llu]", (unsigned long long)v, (unsigned long long)lo,
		         (unsigned long long)hi);
}

/* The newest SA of node i in state st (the table is newest first). */
static inline struct ike_sa *pair_sa(int i, enum ike_sa_state st)
{
	for (struct ike_sa *sa = nodes[i].d.sas; sa; sa = sa->next)
		if (sa->state == st)
			return sa;
	return NULL;
}

static inline unsigned pair_count(int i, enum ike_sa_state st)
{
	unsigned n = 0;

	for (struct ike_sa *sa = nodes[i].d.sas; sa; sa = sa->next)
		n += sa->state == st;
	return n;
}

static inline struct ike_sa *pair_sa_id(int i, unsigned id)
{
	return ike_sa_by_id(&nodes[i].d, id);
}

/* The two ends of one IKE SA agree: SPIs, roles, keys in both directions. */
static inline void pair_assert_ike_agree(const struct ike_sa *a, const struct ike_sa *b)
{
	assert_true(a->ispi && a->rspi);
	assert_true(a->ispi == b->ispi && a->rspi == b->rspi);
	assert_true(a->initiator != b->initiator);
	assert_int_equal(a->keys.sk_d.len, b->keys.sk_d.len);
	assert_memory_equal(a->keys.sk_d.p, b->keys.sk_d.p, a->keys.sk_d.len);
	assert_memory_equal(a->keys.sk_ei.p, b->keys.sk_ei.p, a->keys.sk_ei.len);
	assert_memory_equal(a->keys.sk_er.p, b->keys.sk_er.p, a->keys.sk_er.len);
}

/* The two ends of one CHILD_SA agree: SPIs crossed, the same KEYMAT (both
 * derive it in the order of the exchange that made it, RFC 7296 2.17). */
static inline void pair_assert_child_agree(const struct ike_sa *a, const struct ike_sa *b)
{
	assert_true(child_sa_installed(&a->child) && child_sa_installed(&b->child));
	assert_int_equal(a->child.spi_in, b->child.spi_out);
	assert_int_equal(a->child.spi_out, b->child.spi_in);
	assert_true(a->child.we_initiated != b->child.we_initiated);
	assert_int_equal(a->child.keymat.len, b->child.keymat.len);
	assert_true(a->child.keymat.len > 0);
	assert_memory_equal(a->child.keymat.p, b->child.keymat.p, a->child.keymat.len);
}

/* Node i starts an IKE SA with the other (IKE_SA_INIT on the wire): its
 * SA's id. */
static inline unsigned pair_initiate(int i)
{
	unsigned id;

	assert_int_equal(ike_initiate(&nodes[i].d, nodes[i].conf.profiles[0], &nodes[i].addr,
	                              &nodes[!i].addr, &id),
	                 0);
	return id;
}

/* Node i's IKE SA through IKE_SA_INIT: its IKE_AUTH request on the wire,
 * the other's SA half-open (*peer). */
static inline struct ike_sa *pair_half_open(int i, struct ike_sa **peer)
{
	struct ike_sa *a = pair_sa_id(i, pair_initiate(i));

	wire_deliver(0);
	wire_deliver(0);
	assert_int_equal(a->state, IKE_SA_AUTH_SENT);
	assert_int_equal(wire_n, 1);
	*peer = pair_sa(!i, IKE_SA_HALF_OPEN);
	assert_non_null(*peer);
	return a;
}

/* Node i initiates to the other; everything delivered: one IKE SA up on
 * each end, with its CHILD_SA. Returns node i's SA (*peer: the other's). */
static inline struct ike_sa *pair_establish(int i, struct ike_sa **peer)
{
	unsigned id = pair_initiate(i);
	struct ike_sa *a, *b;

	wire_deliver_all();
	a = pair_sa_id(i, id);
	b = pair_sa(!i, IKE_SA_ESTABLISHED);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	pair_assert_ike_agree(a, b);
	pair_assert_child_agree(a, b);
	if (peer)
		*peer = b;
	return a;
}

/* A request from sa's side sealed by hand (the peer's window untouched on
 * our side: no request is recorded), put on the wire. */
static inline void pair_inject_request(struct ike_sa *sa, int from, uint8_t exchange,
                                       const struct ikev2_builder *inner)
{
	uint8_t out[IKED_MAX_MSG];
	size_t n = ike_sa_seal(sa, exchange, false, sa->next_msg_id, inner, out, sizeof(out));

	assert_true(n > 0);
	sa->next_msg_id++;
	assert_int_equal(
	    wire_send(&nodes[from].d, &nodes[from].addr, &nodes[!from].addr, 500, out, n), 0);
}

/* Message k decrypted with sa's keys (the receiver's SA) into m. */
static inline void pair_open(struct ike_sa *sa, unsigned k, struct ikev2_msg *m, uint8_t *plain,
                             size_t cap)
{
	struct ikev2_decode_error err = {0};

	assert_int_equal(ikev2_msg_decode(wire[k].data, wire[k].len, m, &err), 0);
	assert_int_equal(ike_sa_open(sa, wire[k].data, wire[k].len, m, plain, cap), 0);
}

#endif
