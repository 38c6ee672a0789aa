/*
 * nhrp_loadgen: N NHRP spokes registering with one hub, for the
 * registration load benchmark (tests/bench/nhrp_register.sh).
 *
 *   nhrp_loadgen -H HUB_NBMA -P HUB_OVERLAY [-n N] [-k KEY] [options]
 *   nhrp_loadgen --echo -H OWN_NBMA -P OWN_OVERLAY [-k KEY] [-d SECONDS]
 *
 * Generator: spoke i (0 <= i < N) has NBMA address nbma-base + 1 + i and
 * overlay address overlay-base + 1 + i. It sends, from a raw IPv4 socket
 * with IP_HDRINCL (so that each spoke has its own source address), GRE
 * (RFC 2784, the RFC 2890 key when given) carrying an NHRP Registration
 * Request (RFC 2332 5.2.3) shaped like our spokes' (nhrpd's
 * nhrp_packet_add_request_exts): flag U, one CIE for its own binding, the
 * Forward and Reverse Transit NHS Record, Responder Address (compulsory)
 * and Cisco NAT Address (not compulsory) extensions. Replies come back on
 * a raw GRE socket; the caller routes the NBMA range to the local host
 * (ip route add local ...). At most WINDOW requests are outstanding, so
 * that no socket buffer on the way overflows; a request unanswered after
 * RETRY_MS is sent again with a new request ID. It stops when every spoke
 * has an answer, or at the deadline.
 *
 * Echo: a stateless responder, the reference the hub is measured against.
 * It answers every Registration Request with the Registration Reply a hub
 * would send (all CIEs accepted, Responder Address and NAT Address filled
 * in), through the same codec, and keeps nothing: what the underlay and
 * this tool can do without a hub's work (cache, neighbour table, data
 * plane hops). Runs until SIGINT/SIGTERM or the deadline.
 *
 * Output: a summary on stderr and one line `LOADGEN_JSON {...}` on stdout.
 * Exit status 0 when every spoke registered (echo: on a signal), 1 when
 * not, 2 on a usage or setup error. Needs CAP_NET_RAW.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gre/gre_codec.h"
#include "lib/addr.h"
#include "lib/buf.h"
#include "nhrpd/nhrp_packet.h"

#define LG_BATCH      64   /* packets per sendmmsg / recvmmsg */
#define LG_PKT_MAX    2048 /* IPv4 + GRE + NHRP, with room to spare */
#define LG_IPV4_HLEN  20
#define LG_MAX_SPOKES 131070 /* a /15 without its first and last address */
#define LG_ID_SHIFT   8      /* request ID = id_base + (spoke << 8) + attempt */
#define LG_SOCKBUF    (8 << 20)
#define LG_CIE_MTU    1400
#define LG_CODES      256

enum lg_state { LG_IDLE, LG_SENT, LG_OK, LG_FAILED };

struct lg_spoke {
	uint8_t state; /* enum lg_state */
	uint8_t code;  /* CIE code of the answer */
	uint16_t attempts;
	uint64_t sent_ns;
};

struct lg_opts {
	bool echo;
	struct in_addr hub_nbma;
	struct ipaddr hub_proto;
	bool has_hub_nbma, has_hub_proto;
	uint32_t n;
	bool has_key;
	uint32_t key;
	uint32_t nbma_base;    /* host order */
	uint32_t overlay_base; /* host order */
	uint32_t window;
	uint32_t retry_ms;
	uint32_t deadline_s;
	uint16_t holdtime;
};

struct lg_stats {
	uint64_t sent, resent, send_errors;
	uint64_t registered, failed;
	uint64_t error_indications, duplicates, stray, malformed;
	uint64_t other_gre; /* not NHRP: what the hub replicates (multicast) */
	uint16_t other_proto;
	uint64_t rx_drops; /* at our socket: its receive buffer was full */
	uint64_t codes[LG_CODES];
};

struct lg_gen {
	const struct lg_opts *o;
	int fd;
	struct lg_spoke *spokes;
	uint32_t *queue; /* spoke indices in the order sent: a ring of n */
	uint32_t qhead, qlen;
	uint32_t next;        /* first spoke never sent */
	uint32_t outstanding; /* spokes in LG_SENT */
	uint32_t done;
	uint32_t id_base;
	uint64_t first_send_ns, last_reply_ns;
	uint32_t *rtt_us; /* of each answered spoke, from its last send */
	uint32_t nrtt;
	struct lg_stats st;
	/* the send batch */
	uint8_t pkt[LG_BATCH][LG_PKT_MAX];
	struct iovec iov[LG_BATCH];
	struct sockaddr_in to[LG_BATCH];
	struct mmsghdr msg[LG_BATCH];
	unsigned nbatch;
};

static volatile sig_atomic_t lg_stop;

static void lg_on_signal(int sig)
{
	(void)sig;
	lg_stop = 1;
}

static uint64_t lg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void lg_usage(FILE *f)
{
	fprintf(f,
	        "usage: nhrp_loadgen -H HUB_NBMA -P HUB_OVERLAY [-n N] [-k KEY] [-s NBMA_BASE]\n"
	        "                    [-o OVERLAY_BASE] [-w WINDOW] [-r RETRY_MS] [-d SECONDS]\n"
	        "                    [-t HOLDTIME]\n"
	        "       nhrp_loadgen --echo -H OWN_NBMA -P OWN_OVERLAY [-k KEY] [-d SECONDS]\n"
	        "  -H, --hub ADDR           the hub's NBMA address (echo: our own)\n"
	        "  -P, --hub-proto ADDR     the hub's overlay address (echo: our own)\n"
	        "  -n, --spokes N           spokes to play, 1-%d (default 1000)\n"
	        "  -k, --key KEY            GRE key (default: none)\n"
	        "  -s, --nbma-base ADDR     spoke i has NBMA address ADDR + 1 + i (198.18.0.0)\n"
	        "  -o, --overlay-base ADDR  spoke i has overlay address ADDR + 1 + i (10.64.0.0)\n"
	        "  -w, --window W           requests outstanding at most (default 256)\n"
	        "  -r, --retry-ms MS        resend an unanswered request after MS (default 1000)\n"
	        "  -d, --deadline SECONDS   give up after (default 30; echo: run until a signal)\n"
	        "  -t, --holdtime SECONDS   holding time requested (default 600)\n"
	        "  -e, --echo               answer registrations statelessly instead\n",
	        LG_MAX_SPOKES);
}

static int lg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
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

static int lg_parse_v4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

static int lg_parse_opts(int argc, char **argv, struct lg_opts *o)
{
	static const struct option longopts[] = {
	    {"hub", required_argument, NULL, 'H'},
	    {"hub-proto", required_argument, NULL, 'P'},
	    {"spokes", required_argument, NULL, 'n'},
	    {"key", required_argument, NULL, 'k'},
	    {"nbma-base", required_argument, NULL, 's'},
	    {"overlay-base", required_argument, NULL, 'o'},
	    {"window", required_argument, NULL, 'w'},
	    {"retry-ms", required_argument, NULL, 'r'},
	    {"deadline", required_argument, NULL, 'd'},
	    {"holdtime", required_argument, NULL, 't'},
	    {"echo", no_argument, NULL, 'e'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct in_addr a;
	uint32_t v;
	bool has_deadline = false;
	int c;

	*o = (struct lg_opts){
	    .n = 1000, .window = 256, .retry_ms = 1000, .deadline_s = 30, .holdtime = 600};
	inet_pton(AF_INET, "198.18.0.0", &a);
	o->nbma_base = ntohl(a.s_addr);
	inet_pton(AF_INET, "10.64.0.0", &a);
	o->overlay_base = ntohl(a.s_addr);
	while ((c = getopt_long(argc, argv, "H:P:n:k:s:o:w:r:d:t:eh", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			if (lg_parse_v4(optarg, &o->hub_nbma) < 0)
				goto bad;
			o->has_hub_nbma = true;
			break;
		case 'P':
			if (lg_parse_v4(optarg, &a) < 0)
				goto bad;
			ipaddr_from_v4(&o->hub_proto, a);
			o->has_hub_proto = true;
			break;
		case 'n':
			if (lg_parse_u32(optarg, 1, LG_MAX_SPOKES, &o->n) < 0)
				goto bad;
			break;
		case 'k':
			if (lg_parse_u32(optarg, 0, UINT32_MAX, &o->key) < 0)
				goto bad;
			o->has_key = true;
			break;
		case 's':
		case 'o':
			if (lg_parse_v4(optarg, &a) < 0)
				goto bad;
			*(c == 's' ? &o->nbma_base : &o->overlay_base) = ntohl(a.s_addr);
			break;
		case 'w':
			if (lg_parse_u32(optarg, 1, 1u << 20, &o->window) < 0)
				goto bad;
			break;
		case 'r':
			if (lg_parse_u32(optarg, 1, 600000, &o->retry_ms) < 0)
				goto bad;
			break;
		case 'd':
			if (lg_parse_u32(optarg, 1, 86400, &o->deadline_s) < 0)
				goto bad;
			has_deadline = true;
			break;
		case 't':
			/* The CIE's Holding Time is 16 bits; 0 would deregister. */
			if (lg_parse_u32(optarg, 1, 65535, &v) < 0)
				goto bad;
			o->holdtime = (uint16_t)v;
			break;
		case 'e':
			o->echo = true;
			break;
		case 'h':
			lg_usage(stdout);
			exit(0);
		default:
			lg_usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !o->has_hub_nbma || !o->has_hub_proto) {
		lg_usage(stderr);
		return -1;
	}
	if (o->echo && !has_deadline)
		o->deadline_s = 0; /* until a signal */
	/* Neither range may wrap around 255.255.255.255. */
	if ((uint64_t)o->nbma_base + o->n + 1 > UINT32_MAX ||
	    (uint64_t)o->overlay_base + o->n + 1 > UINT32_MAX) {
		fprintf(stderr, "nhrp_loadgen: address range past 255.255.255.255\n");
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "nhrp_loadgen: bad value for -%c: '%s'\n", c, optarg);
	return -1;
}

static void lg_v4(struct ipaddr *a, uint32_t host_order)
{
	ipaddr_from_v4(a, (struct in_addr){.s_addr = htonl(host_order)});
}

/* A raw GRE socket with large buffers. */
static int lg_socket(bool hdrincl)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_GRE);
	int one = 1, size = LG_SOCKBUF;

	if (fd < 0) {
		perror("nhrp_loadgen: socket(AF_INET, SOCK_RAW, IPPROTO_GRE)");
		return -1;
	}
	if (hdrincl && setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0) {
		perror("nhrp_loadgen: IP_HDRINCL");
		close(fd);
		return -1;
	}
	/* FORCE needs CAP_NET_ADMIN; otherwise what net.core.*mem_max allow. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
}

/*
 * The IPv4 header of a received datagram: source, destination, and in
 * *payload exactly the bytes its total length covers after the header.
 * -1 for anything but an unfragmented IPv4 GRE datagram.
 */
static int lg_ipv4_parse(const uint8_t *pkt, size_t len, uint32_t *src, uint32_t *dst,
                         struct buf *payload)
{
	struct buf b, rest;
	uint8_t vihl, proto;
	uint16_t total, frag;
	size_t hlen;

	buf_init(&b, pkt, len);
	if (buf_get_u8(&b, &vihl) < 0 || vihl >> 4 != 4 || (vihl & 15) < 5)
		return -1;
	hlen = (size_t)(vihl & 15) * 4;
	if (buf_skip(&b, 1) < 0 || buf_get_be16(&b, &total) < 0 || total < hlen ||
	    buf_skip(&b, 2) < 0 || buf_get_be16(&b, &frag) < 0 || (frag & 0x3fff) != 0 ||
	    buf_skip(&b, 1) < 0 || buf_get_u8(&b, &proto) < 0 || proto != IPPROTO_GRE ||
	    buf_skip(&b, 2) < 0 || buf_get_be32(&b, src) < 0 || buf_get_be32(&b, dst) < 0 ||
	    buf_skip(&b, hlen - LG_IPV4_HLEN) < 0)
		return -1;
	buf_init(&rest, pkt, len);
	if (buf_skip(&rest, hlen) < 0 || buf_sub(&rest, payload, total - hlen) < 0)
		return -1;
	return 0;
}

/* GRE with our key: *proto is what it carries, *b is left on it. */
static int lg_gre_parse(const struct lg_opts *o, struct buf *b, uint16_t *proto)
{
	struct gre_hdr h;

	if (gre_decode(b, &h) != GRE_OK || h.has_key != o->has_key ||
	    (h.has_key && h.key != o->key))
		return -1;
	*proto = h.proto;
	return 0;
}

static void lg_gre_put(const struct lg_opts *o, struct wbuf *w)
{
	struct gre_hdr h = {.has_key = o->has_key, .key = o->key, .proto = GRE_PROTO_NHRP};

	gre_encode(w, &h, NULL, 0);
}

/* ---------- generator ---------- */

static void lg_request_build(const struct lg_gen *g, uint32_t i, uint32_t request_id,
                             struct nhrp_packet *p)
{
	const struct lg_opts *o = g->o;
	struct nhrp_cie *cie = &p->cie[0];

	memset(p, 0, sizeof(*p));
	p->afn = NHRP_AFN_IPV4;
	p->pro_type = NHRP_PRO_IPV4;
	p->hop_count = 16;
	p->type = NHRP_REGISTRATION_REQUEST;
	p->flags = NHRP_FLAG_REG_U;
	p->request_id = request_id;
	lg_v4(&p->src_nbma, o->nbma_base + 1 + i);
	lg_v4(&p->src_proto, o->overlay_base + 1 + i);
	p->dst_proto = o->hub_proto;
	/* RFC 2332 5.2.3: the client's own binding, host prefix. */
	p->n_cie = 1;
	cie->code = NHRP_CODE_SUCCESS;
	cie->prefix_len = 0xff;
	cie->holding_time = o->holdtime;
	cie->mtu = LG_CIE_MTU;
	cie->nbma = p->src_nbma;
	cie->proto = p->src_proto;
	/* What our spokes send (nhrp_packet_add_request_exts). */
	nhrp_packet_add_ext(p, NHRP_EXT_FORWARD_TRANSIT, true);
	nhrp_packet_add_ext(p, NHRP_EXT_REVERSE_TRANSIT, true);
	nhrp_packet_add_ext(p, NHRP_EXT_RESPONDER_ADDRESS, true);
	nhrp_packet_add_ext(p, NHRP_EXT_NAT_ADDRESS, false);
	p->has_extensions = true;
}

/* IPv4 header (the kernel fills in the ID and checksum) + GRE + NHRP. */
static size_t lg_request_encode(struct lg_gen *g, uint32_t i, uint32_t request_id, uint8_t *out,
                                size_t cap)
{
	static struct nhrp_packet p;
	struct wbuf w;
	size_t hlen, nlen, tot;

	lg_request_build(g, i, request_id, &p);
	wbuf_init(&w, out, cap);
	wbuf_put_u8(&w, 0x45);
	wbuf_put_u8(&w, 0);
	tot = wbuf_reserve(&w, 2);
	wbuf_put_be16(&w, 0);      /* ID: the kernel's */
	wbuf_put_be16(&w, 0x4000); /* DF */
	wbuf_put_u8(&w, 64);
	wbuf_put_u8(&w, IPPROTO_GRE);
	wbuf_put_be16(&w, 0); /* checksum: the kernel's */
	wbuf_put_be32(&w, g->o->nbma_base + 1 + i);
	wbuf_put_be32(&w, ntohl(g->o->hub_nbma.s_addr));
	lg_gre_put(g->o, &w);
	if (!wbuf_ok(&w))
		return 0;
	hlen = wbuf_len(&w);
	nlen = nhrp_encode(&p, out + hlen, cap - hlen);
	if (!nlen || hlen + nlen > UINT16_MAX)
		return 0;
	wbuf_set_be16(&w, tot, (uint16_t)(hlen + nlen));
	return hlen + nlen;
}

static void lg_flush(struct lg_gen *g)
{
	unsigned off = 0;
	int r;

	while (off < g->nbatch) {
		r = sendmmsg(g->fd, &g->msg[off], g->nbatch - off, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* The spoke stays outstanding: its retry resends it. */
			if (g->st.send_errors++ == 0)
				fprintf(stderr, "nhrp_loadgen: sendmmsg: %s\n", strerror(errno));
			off++;
			continue;
		}
		off += (unsigned)r;
	}
	g->nbatch = 0;
}

static void lg_send(struct lg_gen *g, uint32_t i, uint64_t now)
{
	struct lg_spoke *s = &g->spokes[i];
	unsigned k = g->nbatch;
	uint32_t id = g->id_base + (i << LG_ID_SHIFT) + (s->attempts & 0xff);
	size_t len = lg_request_encode(g, i, id, g->pkt[k], sizeof(g->pkt[k]));

	if (!len) {
		fprintf(stderr, "nhrp_loadgen: the request does not encode\n");
		exit(2);
	}
	g->iov[k] = (struct iovec){.iov_base = g->pkt[k], .iov_len = len};
	g->to[k] = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr = g->o->hub_nbma};
	g->msg[k] = (struct mmsghdr){.msg_hdr = {.msg_name = &g->to[k],
	                                         .msg_namelen = sizeof(g->to[k]),
	                                         .msg_iov = &g->iov[k],
	                                         .msg_iovlen = 1}};
	if (s->attempts)
		g->st.resent++;
	if (!g->first_send_ns)
		g->first_send_ns = now;
	if (s->attempts < UINT16_MAX)
		s->attempts++;
	s->sent_ns = now;
	g->st.sent++;
	g->queue[(g->qhead + g->qlen) % g->o->n] = i;
	g->qlen++;
	if (++g->nbatch == LG_BATCH)
		lg_flush(g);
}

/* Resend what timed out (it keeps its place in the window), then fill
 * the window with spokes never sent. */
static void lg_send_due(struct lg_gen *g, uint64_t now)
{
	uint64_t retry_ns = (uint64_t)g->o->retry_ms * 1000000u;

	while (g->qlen) {
		uint32_t i = g->queue[g->qhead];
		struct lg_spoke *s = &g->spokes[i];

		if (s->state == LG_SENT && now - s->sent_ns < retry_ns)
			break;
		g->qhead = (g->qhead + 1) % g->o->n;
		g->qlen--;
		if (s->state == LG_SENT)
			lg_send(g, i, now);
	}
	while (g->outstanding < g->o->window && g->next < g->o->n) {
		g->spokes[g->next].state = LG_SENT;
		g->outstanding++;
		lg_send(g, g->next++, now);
	}
	lg_flush(g);
}

static void lg_gen_reply(struct lg_gen *g, const struct nhrp_packet *p, uint32_t dst, uint64_t now)
{
	uint32_t i = dst - g->o->nbma_base - 1, d = p->request_id - g->id_base;
	struct lg_spoke *s;
	uint8_t code;

	if (i >= g->o->n || d >> LG_ID_SHIFT != i) {
		g->st.stray++;
		return;
	}
	s = &g->spokes[i];
	if (s->state != LG_SENT) {
		g->st.duplicates++; /* an earlier attempt's answer, after a resend */
		return;
	}
	code = p->n_cie ? p->cie[0].code : UINT8_MAX;
	for (size_t k = 1; k < p->n_cie; k++)
		if (p->cie[k].code != NHRP_CODE_SUCCESS)
			code = p->cie[k].code;
	s->code = code;
	s->state = code == NHRP_CODE_SUCCESS ? LG_OK : LG_FAILED;
	if (s->state == LG_OK)
		g->st.registered++;
	else
		g->st.failed++;
	g->st.codes[code]++;
	g->outstanding--;
	g->done++;
	g->last_reply_ns = now;
	g->rtt_us[g->nrtt++] = (uint32_t)((now - s->sent_ns) / 1000);
}

static void lg_gen_packet(struct lg_gen *g, const uint8_t *pkt, size_t len, uint64_t now)
{
	static struct nhrp_packet p;
	struct nhrp_decode_error err;
	uint32_t src, dst;
	uint16_t proto;
	struct buf b;

	if (lg_ipv4_parse(pkt, len, &src, &dst, &b) < 0 || lg_gre_parse(g->o, &b, &proto) < 0) {
		g->st.malformed++;
		return;
	}
	if (proto != GRE_PROTO_NHRP) {
		/* ip nhrp map multicast dynamic: the hub's own multicast. */
		g->st.other_gre++;
		g->st.other_proto = proto;
		return;
	}
	if (nhrp_decode(buf_cursor(&b), buf_remaining(&b), &p, &err) < 0) {
		g->st.malformed++;
		return;
	}
	switch (p.type) {
	case NHRP_REGISTRATION_REPLY:
		lg_gen_reply(g, &p, dst, now);
		break;
	case NHRP_ERROR_INDICATION:
		/* The spoke stays outstanding and is resent. */
		if (g->st.error_indications++ < 5)
			fprintf(stderr, "nhrp_loadgen: Error Indication to %u.%u.%u.%u: %s\n",
			        dst >> 24, (dst >> 16) & 255, (dst >> 8) & 255, dst & 255,
			        nhrp_error_code_name(p.error_code));
		break;
	default:
		g->st.stray++;
		break;
	}
}

/* Drain the socket; returns -1 on a receive error. */
static int lg_recv(int fd, void (*fn)(void *, const uint8_t *, size_t, uint64_t), void *arg)
{
	static uint8_t buf[LG_BATCH][LG_PKT_MAX];
	static struct iovec iov[LG_BATCH];
	static struct mmsghdr msg[LG_BATCH];
	int r;

	for (;;) {
		for (unsigned k = 0; k < LG_BATCH; k++) {
			iov[k] = (struct iovec){.iov_base = buf[k], .iov_len = sizeof(buf[k])};
			msg[k] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[k], .msg_iovlen = 1}};
		}
		r = recvmmsg(fd, msg, LG_BATCH, MSG_DONTWAIT, NULL);
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		uint64_t now = lg_now_ns();
		for (int k = 0; k < r; k++)
			if (!(msg[k].msg_hdr.msg_flags & MSG_TRUNC))
				fn(arg, buf[k], msg[k].msg_len, now);
		if (r < LG_BATCH)
			return 0;
	}
}

static void lg_gen_on_packet(void *arg, const uint8_t *pkt, size_t len, uint64_t now)
{
	lg_gen_packet(arg, pkt, len, now);
}

/* Packets the kernel dropped at a socket (full receive buffer). */
static uint64_t lg_socket_drops(int fd)
{
	uint32_t mi[SK_MEMINFO_VARS] = {0};
	socklen_t len = sizeof(mi);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mi[0]))
		return 0;
	return mi[SK_MEMINFO_DROPS];
}

static int lg_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double lg_pct_ms(const uint32_t *v, uint32_t n, double pct)
{
	uint32_t k;

	if (!n)
		return 0;
	k = (uint32_t)(pct / 100.0 * (n - 1) + 0.5);
	return v[k] / 1000.0;
}

static void lg_json_u64(const char *key, uint64_t v)
{
	printf(",\"%s\":%" PRIu64, key, v);
}

static void lg_json_ms(const char *key, const uint32_t *sorted_us, uint32_t n, double pct)
{
	printf("%s\"%s\":%.3f", pct == 50 ? "" : ",", key, lg_pct_ms(sorted_us, n, pct));
}

static void lg_gen_report(struct lg_gen *g)
{
	const struct lg_opts *o = g->o;
	const struct lg_stats *st = &g->st;
	uint64_t unanswered = o->n - g->done;
	double elapsed = g->last_reply_ns > g->first_send_ns
	                     ? (double)(g->last_reply_ns - g->first_send_ns) / 1e9
	                     : 0;
	double rate = elapsed > 0 ? (double)st->registered / elapsed : 0;
	char hub[INET_ADDRSTRLEN], hubp[IPADDR_STRLEN];
	bool first = true;

	qsort(g->rtt_us, g->nrtt, sizeof(g->rtt_us[0]), lg_cmp_u32);
	fprintf(stderr,
	        "nhrp_loadgen: %" PRIu32 " spokes: %" PRIu64 " registered, %" PRIu64
	        " refused, %" PRIu64 " unanswered (%" PRIu32 " never sent)\n"
	        "  %" PRIu64 " requests sent (%" PRIu64 " resent, %" PRIu64
	        " send errors), window %" PRIu32 ", retry %" PRIu32 " ms\n"
	        "  %" PRIu64 " error indications, %" PRIu64 " late duplicates, %" PRIu64
	        " stray, %" PRIu64 " malformed, %" PRIu64 " dropped at our socket\n"
	        "  %" PRIu64 " other GRE packets (the hub's multicast; last protocol 0x%04x)\n"
	        "  %.3f s from first request to last reply: %.0f registrations/s\n"
	        "  round trip ms: p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
	        o->n, st->registered, st->failed, unanswered, o->n - g->next, st->sent, st->resent,
	        st->send_errors, o->window, o->retry_ms, st->error_indications, st->duplicates,
	        st->stray, st->malformed, st->rx_drops, st->other_gre, st->other_proto, elapsed,
	        rate, lg_pct_ms(g->rtt_us, g->nrtt, 50), lg_pct_ms(g->rtt_us, g->nrtt, 90),
	        lg_pct_ms(g->rtt_us, g->nrtt, 99), lg_pct_ms(g->rtt_us, g->nrtt, 100));

	inet_ntop(AF_INET, &o->hub_nbma, hub, sizeof(hub));
	ipaddr_format(&o->hub_proto, hubp);
	printf("LOADGEN_JSON {\"mode\":\"register\",\"hub\":\"%s\",\"hub_proto\":\"%s\"", hub,
	       hubp);
	lg_json_u64("spokes", o->n);
	lg_json_u64("registered", st->registered);
	lg_json_u64("failed", st->failed);
	lg_json_u64("unanswered", unanswered);
	lg_json_u64("never_sent", o->n - g->next);
	lg_json_u64("sent", st->sent);
	lg_json_u64("resent", st->resent);
	lg_json_u64("send_errors", st->send_errors);
	lg_json_u64("error_indications", st->error_indications);
	lg_json_u64("duplicates", st->duplicates);
	lg_json_u64("stray", st->stray);
	lg_json_u64("malformed", st->malformed);
	lg_json_u64("other_gre", st->other_gre);
	lg_json_u64("rx_drops", st->rx_drops);
	lg_json_u64("window", o->window);
	lg_json_u64("retry_ms", o->retry_ms);
	lg_json_u64("deadline_s", o->deadline_s);
	printf(",\"elapsed_s\":%.6f", elapsed);
	if (st->registered == o->n)
		printf(",\"all_registered_s\":%.6f", elapsed);
	else
		printf(",\"all_registered_s\":null");
	printf(",\"rate_per_s\":%.1f,\"rtt_ms\":{", rate);
	lg_json_ms("p50", g->rtt_us, g->nrtt, 50);
	lg_json_ms("p90", g->rtt_us, g->nrtt, 90);
	lg_json_ms("p99", g->rtt_us, g->nrtt, 99);
	lg_json_ms("max", g->rtt_us, g->nrtt, 100);
	printf("},\"codes\":{");
	for (unsigned c = 0; c < LG_CODES; c++) {
		if (!st->codes[c])
			continue;
		printf("%s\"%s\":%" PRIu64, first ? "" : ",",
		       c == UINT8_MAX ? "no_cie" : nhrp_cie_code_name(c), st->codes[c]);
		first = false;
	}
	printf("}}\n");
	fflush(stdout);
}

static int lg_generate(const struct lg_opts *o)
{
	static struct lg_gen g;
	uint64_t deadline;
	int rc = 2;

	g.o = o;
	g.fd = lg_socket(true);
	g.spokes = calloc(o->n, sizeof(*g.spokes));
	g.queue = calloc(o->n, sizeof(*g.queue));
	g.rtt_us = calloc(o->n, sizeof(*g.rtt_us));
	if (g.fd < 0 || !g.spokes || !g.queue || !g.rtt_us)
		goto out;
	/* A random ID space: answers to an earlier run never match. */
	if (getrandom(&g.id_base, sizeof(g.id_base), 0) < 0)
		g.id_base = (uint32_t)lg_now_ns();
	deadline = lg_now_ns() + (uint64_t)o->deadline_s * 1000000000u;
	while (g.done < o->n && !lg_stop) {
		uint64_t now = lg_now_ns(), wait_ns;
		struct pollfd pfd = {.fd = g.fd, .events = POLLIN};

		if (now >= deadline)
			break;
		lg_send_due(&g, now);
		/* Until the oldest outstanding request is due (at least 1 ms). */
		wait_ns = (uint64_t)o->retry_ms * 1000000u;
		if (g.qlen) {
			uint64_t due = g.spokes[g.queue[g.qhead]].sent_ns + wait_ns;

			wait_ns = due > now ? due - now : 0;
		}
		if (wait_ns > deadline - now)
			wait_ns = deadline - now;
		if (poll(&pfd, 1, (int)(wait_ns / 1000000u) + 1) < 0 && errno != EINTR) {
			perror("nhrp_loadgen: poll");
			goto out;
		}
		if (lg_recv(g.fd, lg_gen_on_packet, &g) < 0) {
			perror("nhrp_loadgen: recvmmsg");
			goto out;
		}
	}
	g.st.rx_drops = lg_socket_drops(g.fd);
	lg_gen_report(&g);
	rc = g.st.registered == o->n ? 0 : 1;
out:
	if (g.fd >= 0)
		close(g.fd);
	free(g.spokes);
	free(g.queue);
	free(g.rtt_us);
	return rc;
}

/* ---------- echo ---------- */

struct lg_echo {
	const struct lg_opts *o;
	int fd;
	uint64_t received, answered, ignored, malformed, send_errors;
};

/* The reply a hub sends (nhrp_server_recv_registration), minus the hub. */
static void lg_echo_packet(void *arg, const uint8_t *pkt, size_t len, uint64_t now)
{
	static struct nhrp_packet p;
	static uint8_t out[LG_PKT_MAX];
	struct lg_echo *e = arg;
	struct nhrp_decode_error err;
	struct sockaddr_in to = {.sin_family = AF_INET};
	struct nhrp_ext *x;
	uint32_t src, dst;
	uint16_t proto;
	struct buf b;
	struct wbuf w;
	size_t hlen, nlen;

	(void)now;
	e->received++;
	if (lg_ipv4_parse(pkt, len, &src, &dst, &b) < 0 || lg_gre_parse(e->o, &b, &proto) < 0 ||
	    (proto == GRE_PROTO_NHRP &&
	     nhrp_decode(buf_cursor(&b), buf_remaining(&b), &p, &err) < 0)) {
		e->malformed++;
		return;
	}
	if (proto != GRE_PROTO_NHRP || p.type != NHRP_REGISTRATION_REQUEST || p.n_cie == 0) {
		e->ignored++;
		return;
	}
	p.type = NHRP_REGISTRATION_REPLY;
	p.hop_count = 16;
	for (size_t k = 0; k < p.n_cie; k++)
		p.cie[k].code = NHRP_CODE_SUCCESS;
	x = nhrp_packet_ext(&p, NHRP_EXT_RESPONDER_ADDRESS);
	if (x) {
		memset(&x->cie[0], 0, sizeof(x->cie[0]));
		x->n_cie = 1;
		x->cie[0].prefix_len = 32;
		x->cie[0].holding_time = e->o->holdtime;
		x->cie[0].mtu = LG_CIE_MTU;
		lg_v4(&x->cie[0].nbma, ntohl(e->o->hub_nbma.s_addr));
		x->cie[0].proto = e->o->hub_proto;
	}
	x = nhrp_packet_ext(&p, NHRP_EXT_NAT_ADDRESS);
	if (x) {
		memset(&x->cie[0], 0, sizeof(x->cie[0]));
		x->n_cie = 1;
		x->cie[0].prefix_len = 32;
		lg_v4(&x->cie[0].nbma, src);
		x->cie[0].proto = p.src_proto;
	}
	wbuf_init(&w, out, sizeof(out));
	lg_gre_put(e->o, &w);
	hlen = wbuf_len(&w);
	nlen = wbuf_ok(&w) ? nhrp_encode(&p, out + hlen, sizeof(out) - hlen) : 0;
	if (!nlen) {
		e->malformed++;
		return;
	}
	to.sin_addr.s_addr = htonl(src);
	if (sendto(e->fd, out, hlen + nlen, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		e->send_errors++;
		return;
	}
	e->answered++;
}

static int lg_echo(const struct lg_opts *o)
{
	struct lg_echo e = {.o = o};
	uint64_t deadline = o->deadline_s ? lg_now_ns() + (uint64_t)o->deadline_s * 1000000000u : 0;

	e.fd = lg_socket(false);
	if (e.fd < 0)
		return 2;
	/* Ready: the caller may start sending. */
	fprintf(stderr, "nhrp_loadgen: echo: answering registrations\n");
	while (!lg_stop && (!deadline || lg_now_ns() < deadline)) {
		struct pollfd pfd = {.fd = e.fd, .events = POLLIN};

		if (poll(&pfd, 1, 200) < 0 && errno != EINTR) {
			perror("nhrp_loadgen: poll");
			break;
		}
		if (lg_recv(e.fd, lg_echo_packet, &e) < 0) {
			perror("nhrp_loadgen: recvmmsg");
			break;
		}
	}
	close(e.fd);
	fprintf(stderr,
	        "nhrp_loadgen: echo: %" PRIu64 " received, %" PRIu64 " answered, %" PRIu64
	        " ignored, %" PRIu64 " malformed, %" PRIu64 " send errors\n",
	        e.received, e.answered, e.ignored, e.malformed, e.send_errors);
	printf("LOADGEN_JSON {\"mode\":\"echo\",\"received\":%" PRIu64 ",\"answered\":%" PRIu64
	       ",\"ignored\":%" PRIu64 ",\"malformed\":%" PRIu64 ",\"send_errors\":%" PRIu64 "}\n",
	       e.received, e.answered, e.ignored, e.malformed, e.send_errors);
	return lg_stop ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct lg_opts o;
	struct sigaction sa = {.sa_handler = lg_on_signal};

	if (lg_parse_opts(argc, argv, &o) < 0)
		return 2;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return o.echo ? lg_echo(&o) : lg_generate(&o);
}
