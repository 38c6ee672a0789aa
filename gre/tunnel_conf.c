/*
 * The shared lines of a tunnel interface (gre/tunnel_conf.h): one set of
 * handlers that mgred's and nhrpd's bindings both point at, and their
 * running-config text. The engine has checked each word's type and range;
 * these change only the candidate configuration they are given (x->ctx),
 * so a refused line changes nothing that runs.
 */
#include <stdio.h>
#include <string.h>

#include "gre/tunnel_conf.h"
#include "lib/conf.h"

static const struct tunnel_conf_blocks *tunnel_conf_layout(const struct cmd_exec *x)
{
	return x->binding->shared;
}

/* The i-th block of conf (the struct tunnel_conf that starts it). */
static struct tunnel_conf *tunnel_conf_block(const struct tunnel_conf_blocks *blocks,
                                             const void *conf, unsigned i)
{
	return (struct tunnel_conf *)((const char *)conf + blocks->array_offset +
	                              (size_t)i * blocks->block_size);
}

static unsigned *tunnel_conf_count(const struct tunnel_conf_blocks *blocks, const void *conf)
{
	return (unsigned *)((const char *)conf + blocks->count_offset);
}

struct tunnel_conf *tunnel_conf_find(const struct tunnel_conf_blocks *blocks, const void *conf,
                                     const char *name)
{
	unsigned n = *tunnel_conf_count(blocks, conf);

	for (unsigned i = 0; i < n; i++) {
		struct tunnel_conf *t = tunnel_conf_block(blocks, conf, i);

		if (!strcmp(t->name, name))
			return t;
	}
	return NULL;
}

/* The block this line is in (set by tunnel_conf_cmd_interface). */
static struct tunnel_conf *tunnel_conf_of(struct cmd_exec *x)
{
	return x->block_ctx;
}

int tunnel_conf_cmd_interface(struct cmd_exec *x, const struct cmd_args *a)
{
	const struct tunnel_conf_blocks *blocks = tunnel_conf_layout(x);
	const char *name = cmd_arg(a, "IFNAME", 0);
	struct tunnel_conf *t = tunnel_conf_find(blocks, x->ctx, name);
	unsigned *n = tunnel_conf_count(blocks, x->ctx);

	/* As in IOS, `interface X` again continues X's block (in a file or
	 * live), so every daemon reads a reopened block alike. */
	if (!t) {
		if (*n == blocks->max) {
			strbuf_printf(x->out, "at most %u interfaces", blocks->max);
			return -1;
		}
		t = tunnel_conf_block(blocks, x->ctx, (*n)++);
		memset(t, 0, blocks->block_size);
		snprintf(t->name, sizeof(t->name), "%s", name);
		t->line = x->lineno;
		if (blocks->block_init)
			blocks->block_init(t);
	}
	x->block_ctx = t;
	return 0;
}

int tunnel_conf_cmd_no_interface(struct cmd_exec *x, const struct cmd_args *a)
{
	const struct tunnel_conf_blocks *blocks = tunnel_conf_layout(x);
	const char *name = cmd_arg(a, "IFNAME", 0);
	struct tunnel_conf *t = tunnel_conf_find(blocks, x->ctx, name);
	unsigned *n = tunnel_conf_count(blocks, x->ctx);
	char *at = (char *)t, *end;

	if (!t) {
		strbuf_printf(x->out, "interface %s is not configured", name);
		return -1;
	}
	/* Keep the others in their order: show running-config prints it. */
	end = (char *)tunnel_conf_block(blocks, x->ctx, *n);
	memmove(at, at + blocks->block_size, (size_t)(end - at) - blocks->block_size);
	(*n)--;
	/* The last slot still holds a copy (and maybe a password). */
	explicit_bzero(tunnel_conf_block(blocks, x->ctx, *n), blocks->block_size);
	return 0;
}

int tunnel_conf_cmd_mode(struct cmd_exec *x, const struct cmd_args *a)
{
	(void)a;
	tunnel_conf_of(x)->multipoint = true;
	return 0;
}

int tunnel_conf_cmd_source(struct cmd_exec *x, const struct cmd_args *a)
{
	struct tunnel_conf *t = tunnel_conf_of(x);
	const char *dev = cmd_arg(a, "IFNAME", 0);
	struct ipaddr addr = {.family = AF_UNSPEC};

	if (!dev && ipaddr_parse(a->argv[2], &addr) < 0) {
		strbuf_printf(x->out,
		              "tunnel source: '%s' is neither an address nor an interface name",
		              a->argv[2]);
		return -1;
	}
	snprintf(t->source_dev, sizeof(t->source_dev), "%s", dev ? dev : "");
	t->source_addr = addr;
	return 0;
}

int tunnel_conf_cmd_dataplane(struct cmd_exec *x, const struct cmd_args *a)
{
	struct tunnel_conf *t = tunnel_conf_of(x);
	int b = dp_backend_from_name(a->argv[2]);

	if (b < 0) {
		strbuf_puts(x->out, "usage: tunnel dataplane userspace|kernel");
		return -1;
	}
	t->backend = (enum dp_backend)b;
	t->backend_set = true;
	return 0;
}

/* The line's A.B.C.D/M, IPv4 only. */
static int tunnel_conf_prefix(struct cmd_exec *x, const char *arg, struct ipaddr *addr,
                              unsigned *plen)
{
	if (!arg || conf_parse_prefix(arg, addr, plen) < 0 || addr->family != AF_INET) {
		strbuf_puts(x->out, "usage: ip address A.B.C.D/M");
		return -1;
	}
	return 0;
}

/* The interface's one IPv4 address: a new one replaces it (as in IOS). */
int tunnel_conf_cmd_ip_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct tunnel_conf *t = tunnel_conf_of(x);
	struct ipaddr addr;
	unsigned plen;

	if (tunnel_conf_prefix(x, cmd_arg(a, "A.B.C.D/M", 0), &addr, &plen) < 0)
		return -1;
	t->addr = addr;
	t->plen = plen;
	return 0;
}

/*
 * Without an address: whatever is configured goes (nothing is fine too).
 * With one: it must be the configured address (its prefix length aside),
 * as in IOS; removing another is a mistake the user should hear about.
 */
int tunnel_conf_cmd_no_ip_address(struct cmd_exec *x, const struct cmd_args *a)
{
	struct tunnel_conf *t = tunnel_conf_of(x);
	const char *arg = cmd_arg(a, "A.B.C.D/M", 0);
	struct ipaddr addr;
	unsigned plen;

	if (arg) {
		if (tunnel_conf_prefix(x, arg, &addr, &plen) < 0)
			return -1;
		if (!ipaddr_is_set(&t->addr) || !ipaddr_equal(&t->addr, &addr)) {
			strbuf_printf(x->out, "ip address %s is not configured on %s", arg,
			              t->name);
			return -1;
		}
	}
	memset(&t->addr, 0, sizeof(t->addr));
	t->plen = 0;
	return 0;
}

void tunnel_conf_running_line(const struct tunnel_conf *t, enum cmd_id id, struct strbuf *out)
{
	char a[IPADDR_STRLEN];

	switch (id) {
	case CMD_INTERFACE:
		strbuf_printf(out, "interface %s\n", t->name);
		break;
	case CMD_TUNNEL_MODE:
		if (t->multipoint)
			strbuf_puts(out, " tunnel mode gre multipoint\n");
		break;
	case CMD_TUNNEL_SOURCE:
		if (t->source_dev[0])
			strbuf_printf(out, " tunnel source %s\n", t->source_dev);
		else if (ipaddr_is_set(&t->source_addr))
			strbuf_printf(out, " tunnel source %s\n",
			              ipaddr_format(&t->source_addr, a));
		break;
	case CMD_TUNNEL_DATAPLANE:
		if (t->backend_set)
			strbuf_printf(out, " tunnel dataplane %s\n", dp_backend_name(t->backend));
		break;
	case CMD_IP_ADDRESS:
		if (ipaddr_is_set(&t->addr))
			strbuf_printf(out, " ip address %s/%u\n", ipaddr_format(&t->addr, a),
			              t->plen);
		break;
	default:
		break; /* not a shared line */
	}
}

bool tunnel_conf_has_source(const struct tunnel_conf *t)
{
	return t->source_dev[0] || ipaddr_is_set(&t->source_addr);
}

bool tunnel_conf_source_equal(const struct tunnel_conf *a, const struct tunnel_conf *b)
{
	return !strcmp(a->source_dev, b->source_dev) &&
	       ipaddr_equal(&a->source_addr, &b->source_addr);
}

bool tunnel_conf_equal(const struct tunnel_conf *a, const struct tunnel_conf *b)
{
	return !strcmp(a->name, b->name) && a->multipoint == b->multipoint &&
	       a->backend_set == b->backend_set && a->backend == b->backend &&
	       tunnel_conf_source_equal(a, b) && ipaddr_equal(&a->addr, &b->addr) &&
	       a->plen == b->plen;
}
