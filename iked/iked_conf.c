/*
 * The part of dmvpn.conf that iked owns: `crypto ikev2 profile NAME`
 * blocks (DESIGN.md):
 *
 *   crypto ikev2 profile DMVPN
 *    authentication pre-shared-key file /etc/dmvpn/psk
 *    proposal aes256gcm16-prfsha384-x25519     ! IKE, repeatable, in preference order
 *    esp-proposal aes256gcm16                   ! CHILD_SA, repeatable
 *    identity local address|fqdn NAME|key-id ID ! default: address
 *    match identity remote any|address A|fqdn NAME|key-id ID
 *    match address remote any|A.B.C.D
 *    lifetime ike <60-86400> / lifetime child <60-86400>   ! seconds
 *    dpd <0-3600>                               ! liveness check interval, 0 off
 *    mode transport|tunnel
 *
 * The PSK file must not be readable by group or others (OpenBSD iked's
 * rule): a key others could read is refused, not used. Everything is
 * validated into struct iked_conf before any of it is applied.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iked/iked.h"
#include "lib/conf.h"

/* Read the PSK: one line, trailing newline stripped, 1..IKED_PSK_MAX bytes. */
static int iked_conf_read_psk(struct conf_reader *r, const struct conf_line *l,
                              struct iked_profile *p, const char *path)
{
	struct stat st;
	ssize_t n;
	/* O_NONBLOCK: a FIFO must not hang the daemon at start. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *nl;

	if (fd < 0) {
		conf_error(r, l, "pre-shared key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		conf_error(r, l, "pre-shared key file %s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		conf_error(r, l,
		           "pre-shared key file %s is accessible by group or others "
		           "(mode %03o): refused; chmod 600 it",
		           path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	n = read(fd, p->psk, sizeof(p->psk));
	close(fd);
	/* One line: the key is what precedes the first newline; a second
	 * line would silently become part of a different key. */
	nl = n > 0 ? memchr(p->psk, '\n', (size_t)n) : NULL;
	if (nl && (ssize_t)(nl - (char *)p->psk) + 1 < n) {
		explicit_bzero(p->psk, sizeof(p->psk));
		conf_error(r, l, "pre-shared key file %s: more than one line", path);
		return -1;
	}
	if (nl)
		n = nl - (char *)p->psk;
	if (n > 0 && p->psk[n - 1] == '\r')
		n--;
	if (n >= 0)
		explicit_bzero(p->psk + n, sizeof(p->psk) - (size_t)n);
	if (n <= 0 || (size_t)n >= sizeof(p->psk)) {
		explicit_bzero(p->psk, sizeof(p->psk));
		conf_error(r, l, "pre-shared key file %s: empty or longer than %d bytes", path,
		           IKED_PSK_MAX - 1);
		return -1;
	}
	p->psk_len = (size_t)n;
	return 0;
}

/* identity ... / match identity remote ...: TYPE VALUE or any. */
static int iked_conf_identity(const char *type, const char *value, struct iked_identity *id)
{
	memset(id, 0, sizeof(*id));
	if (!strcmp(type, "any") && !value) {
		id->type = IKED_ID_ANY;
		return 0;
	}
	if (!strcmp(type, "address") && !value) {
		id->type = IKED_ID_ADDRESS_AUTO;
		return 0;
	}
	if (!value || strlen(value) >= sizeof(id->value))
		return -1;
	if (!strcmp(type, "address")) {
		if (ipaddr_parse(value, &id->addr) < 0)
			return -1;
		id->type = IKED_ID_ADDRESS;
	} else if (!strcmp(type, "fqdn")) {
		id->type = IKED_ID_FQDN;
	} else if (!strcmp(type, "key-id")) {
		id->type = IKED_ID_KEY_ID;
	} else {
		return -1;
	}
	strcpy(id->value, value);
	return 0;
}

static void iked_conf_profile_line(struct conf_reader *r, const struct conf_line *l,
                                   struct iked_profile *p)
{
	uint32_t v;

	if (conf_match(l, 3, "authentication", "pre-shared-key", "file")) {
		if (l->argc != 4)
			conf_error(r, l, "usage: authentication pre-shared-key file /PATH");
		else
			iked_conf_read_psk(r, l, p, l->argv[3]);
	} else if (conf_match(l, 1, "proposal") || conf_match(l, 1, "esp-proposal")) {
		bool esp = l->argv[0][0] == 'e';
		struct iked_proposal *pr;
		unsigned *n = esp ? &p->n_esp : &p->n_ike;

		if (l->argc != 2) {
			conf_error(r, l, "usage: %s ALGORITHMS", l->argv[0]);
			return;
		}
		if (*n == IKED_MAX_PROPOSALS) {
			conf_error(r, l, "at most %d %ss", IKED_MAX_PROPOSALS, l->argv[0]);
			return;
		}
		pr = esp ? &p->esp[*n] : &p->ike[*n];
		if (iked_proposal_parse(l->argv[1], esp, pr) < 0) {
			conf_error(
			    r, l, "%s '%s': %s", l->argv[0], l->argv[1],
			    esp ? "expected e.g. aes256gcm16, chacha20poly1305, aes128-sha256"
			        : "expected e.g. aes256gcm16-prfsha384-x25519, "
			          "aes128-sha256-ecp256");
			return;
		}
		(*n)++;
	} else if (conf_match(l, 2, "identity", "local")) {
		if ((l->argc != 3 && l->argc != 4) ||
		    iked_conf_identity(l->argv[2], l->argc == 4 ? l->argv[3] : NULL, &p->local_id) <
		        0 ||
		    p->local_id.type == IKED_ID_ANY)
			conf_error(r, l,
			           "usage: identity local address [A.B.C.D]|fqdn NAME|key-id ID");
	} else if (conf_match(l, 3, "match", "identity", "remote")) {
		if ((l->argc != 4 && l->argc != 5) ||
		    iked_conf_identity(l->argv[3], l->argc == 5 ? l->argv[4] : NULL,
		                       &p->remote_id) < 0)
			conf_error(r, l,
			           "usage: match identity remote any|address [A.B.C.D]|fqdn "
			           "NAME|key-id ID");
	} else if (conf_match(l, 3, "match", "address", "remote")) {
		if (l->argc != 4)
			conf_error(r, l, "usage: match address remote any|A.B.C.D");
		else if (!strcmp(l->argv[3], "any"))
			memset(&p->remote_addr, 0, sizeof(p->remote_addr));
		else if (ipaddr_parse(l->argv[3], &p->remote_addr) < 0)
			conf_error(r, l, "match address remote: '%s' is not an address",
			           l->argv[3]);
	} else if (conf_match(l, 2, "lifetime", "ike") || conf_match(l, 2, "lifetime", "child")) {
		if (l->argc != 3 || conf_parse_u32(l->argv[2], 60, 86400, &v) < 0)
			conf_error(r, l, "usage: lifetime ike|child <60-86400>");
		else if (l->argv[1][0] == 'i')
			p->ike_lifetime = v;
		else
			p->child_lifetime = v;
	} else if (conf_match(l, 1, "dpd")) {
		if (l->argc != 2 || conf_parse_u32(l->argv[1], 0, 3600, &v) < 0)
			conf_error(r, l, "usage: dpd <0-3600>");
		else
			p->dpd = v;
	} else if (conf_match(l, 1, "mode")) {
		if (l->argc == 2 && !strcmp(l->argv[1], "transport"))
			p->tunnel_mode = false;
		else if (l->argc == 2 && !strcmp(l->argv[1], "tunnel"))
			p->tunnel_mode = true;
		else
			conf_error(r, l, "usage: mode transport|tunnel");
	} else {
		conf_error(r, l, "unknown crypto ikev2 profile command '%s'", l->argv[0]);
	}
}

static void iked_conf_profile_end(struct conf_reader *r, struct iked_profile *p,
                                  struct iked_conf *c)
{
	struct conf_line at = {.lineno = p->line};

	if (!p->psk_len) {
		conf_error(r, &at, "profile %s: 'authentication pre-shared-key file' is required",
		           p->name);
		return;
	}
	for (unsigned i = 0; i < c->nprofiles; i++)
		if (!strcmp(c->profiles[i].name, p->name)) {
			conf_error(r, &at, "profile %s defined twice", p->name);
			return;
		}
	if (c->nprofiles == IKED_MAX_PROFILES) {
		conf_error(r, &at, "at most %d profiles", IKED_MAX_PROFILES);
		return;
	}
	/* Defaults: what strongSwan and our examples use. */
	if (!p->n_ike)
		iked_proposal_parse("aes256gcm16-prfsha384-x25519", false, &p->ike[p->n_ike++]);
	if (!p->n_esp)
		iked_proposal_parse("aes256gcm16", true, &p->esp[p->n_esp++]);
	if (!p->ike_lifetime)
		p->ike_lifetime = 14400;
	if (!p->child_lifetime)
		p->child_lifetime = 3600;
	if (p->local_id.type == IKED_ID_NONE)
		p->local_id.type = IKED_ID_ADDRESS_AUTO;
	if (p->remote_id.type == IKED_ID_NONE)
		p->remote_id.type = IKED_ID_ANY;
	c->profiles[c->nprofiles++] = *p;
}

static int iked_conf_read(struct conf_reader *r, struct iked_conf *c)
{
	static struct iked_profile p;
	struct conf_line l;
	bool in_profile = false;

	while (conf_next(r, &l) == 1) {
		if (l.indented) {
			if (in_profile)
				iked_conf_profile_line(r, &l, &p);
			continue;
		}
		if (in_profile)
			iked_conf_profile_end(r, &p, c);
		in_profile = false;
		if (conf_match(&l, 3, "crypto", "ikev2", "cookie-challenge")) {
			if (l.argc != 4 ||
			    conf_parse_u32(l.argv[3], 0, 65535, &c->cookie_threshold) < 0)
				conf_error(r, &l, "usage: crypto ikev2 cookie-challenge <0-65535>");
			c->cookie_set = true;
			continue;
		}
		if (conf_match(&l, 3, "crypto", "ikev2", "profile")) {
			memset(&p, 0, sizeof(p));
			if (l.argc != 4 || strlen(l.argv[3]) >= sizeof(p.name)) {
				conf_error(
				    r, &l,
				    "usage: crypto ikev2 profile NAME (up to %zu characters)",
				    sizeof(p.name) - 1);
				continue;
			}
			strcpy(p.name, l.argv[3]);
			p.line = l.lineno;
			in_profile = true;
		}
	}
	if (in_profile)
		iked_conf_profile_end(r, &p, c);
	if (!c->cookie_set)
		c->cookie_threshold = IKED_COOKIE_DEFAULT;
	explicit_bzero(&p, sizeof(p));
	explicit_bzero(&l, sizeof(l));
	conf_close(r);
	if (r->nerrors) {
		iked_conf_wipe(c);
		return -1;
	}
	return 0;
}

int iked_conf_load(const char *path, struct iked_conf *c, struct strbuf *errors)
{
	struct conf_reader r;

	memset(c, 0, sizeof(*c));
	if (conf_open(&r, path, errors) < 0)
		return -1;
	return iked_conf_read(&r, c);
}

int iked_conf_load_mem(const char *name, const void *data, size_t len, struct iked_conf *c,
                       struct strbuf *errors)
{
	struct conf_reader r;

	memset(c, 0, sizeof(*c));
	if (conf_open_mem(&r, name, data, len, errors) < 0)
		return -1;
	return iked_conf_read(&r, c);
}

void iked_conf_wipe(struct iked_conf *c)
{
	for (unsigned i = 0; i < c->nprofiles; i++) {
		explicit_bzero(c->profiles[i].psk, sizeof(c->profiles[i].psk));
		c->profiles[i].psk_len = 0;
	}
	explicit_bzero(c, sizeof(*c));
}
