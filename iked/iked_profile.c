/*
 * A `crypto ikev2 profile`: allocated alone and reference-counted, so that
 * an IKE SA can keep the version it was negotiated under while the running
 * configuration moves on (iked.h explains the model). Its PSK comes from a
 * file that must not be readable by group or others (OpenBSD iked's rule):
 * a key others could read is refused, not used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "iked/iked.h"

/* What a profile is before any line of it. */
static void iked_profile_defaults(struct iked_profile *p)
{
	iked_proposal_parse(IKED_IKE_DEFAULT, false, &p->ike[0]);
	p->n_ike = 1;
	iked_proposal_parse(IKED_ESP_DEFAULT, true, &p->esp[0]);
	p->n_esp = 1;
	p->ike_lifetime = IKED_IKE_LIFETIME;
	p->child_lifetime = IKED_CHILD_LIFETIME;
	p->local_id.type = IKED_ID_ADDRESS_AUTO;
	p->remote_id.type = IKED_ID_ANY;
}

struct iked_profile *iked_profile_new(const char *name)
{
	struct iked_profile *p;

	if (strlen(name) >= sizeof(p->name))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->refs = 1;
	strcpy(p->name, name);
	iked_profile_defaults(p);
	return p;
}

struct iked_profile *iked_profile_clone(const struct iked_profile *p)
{
	struct iked_profile *n = malloc(sizeof(*n));

	if (!n)
		return NULL;
	memcpy(n, p, sizeof(*n));
	n->refs = 1;
	return n;
}

const struct iked_profile *iked_profile_ref(const struct iked_profile *p)
{
	/* A heap object, never a const one: casting the qualifier away to
	 * count is defined. */
	if (p)
		((struct iked_profile *)p)->refs++;
	return p;
}

void iked_profile_unref(const struct iked_profile *cp)
{
	struct iked_profile *p = (struct iked_profile *)cp;

	if (!p || --p->refs > 0)
		return;
	OPENSSL_clear_free(p, sizeof(*p));
}

bool iked_profile_usable(const struct iked_profile *p)
{
	return p->psk_len > 0;
}

/* One line, trailing newline (and CR) stripped, 1..IKED_PSK_MAX-1 bytes. */
int iked_profile_read_psk(struct iked_profile *p, const char *path, struct strbuf *why)
{
	uint8_t key[IKED_PSK_MAX];
	struct stat st;
	ssize_t n;
	int fd, rc = -1;
	char *nl;

	if (strlen(path) >= sizeof(p->psk_path)) {
		strbuf_printf(why, "pre-shared key file path longer than %d bytes",
		              IKED_PATH_MAX - 1);
		return -1;
	}
	/* O_NONBLOCK: a FIFO must not hang the daemon. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		strbuf_printf(why, "pre-shared key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		strbuf_printf(why, "pre-shared key file %s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		strbuf_printf(why,
		              "pre-shared key file %s is accessible by group or others "
		              "(mode %03o): refused; chmod 600 it",
		              path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	n = read(fd, key, sizeof(key));
	close(fd);
	/* One line: the key is what precedes the first newline; a second
	 * line would silently become part of a different key. */
	nl = n > 0 ? memchr(key, '\n', (size_t)n) : NULL;
	if (nl && (ssize_t)(nl - (char *)key) + 1 < n) {
		strbuf_printf(why, "pre-shared key file %s: more than one line", path);
		goto out;
	}
	if (nl)
		n = nl - (char *)key;
	if (n > 0 && key[n - 1] == '\r')
		n--;
	if (n <= 0 || (size_t)n >= sizeof(key)) {
		strbuf_printf(why, "pre-shared key file %s: empty or longer than %d bytes", path,
		              IKED_PSK_MAX - 1);
		goto out;
	}
	OPENSSL_cleanse(p->psk, sizeof(p->psk));
	memcpy(p->psk, key, (size_t)n);
	p->psk_len = (size_t)n;
	strcpy(p->psk_path, path);
	rc = 0;
out:
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}
