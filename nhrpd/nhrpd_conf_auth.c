/*
 * `ip nhrp authentication file /PATH`: the NHRP password (Cisco's
 * cleartext authentication, RFC 2332 5.3.4) read from a file rather than
 * written in the configuration, with iked's rules for its pre-shared keys
 * (iked_conf_read_psk): a regular file, not a link, that neither group nor
 * others may access, holding one line of 1-8 characters.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nhrpd/nhrpd.h"

/* One line, and room to tell that it is too long. */
#define NHRP_AUTH_FILE_READ (NHRP_AUTH_MAX + 3)

int nhrpd_conf_read_auth_file(struct nhrp_iface_conf *ic, const char *path, struct strbuf *err)
{
	uint8_t buf[NHRP_AUTH_FILE_READ];
	struct stat st;
	ssize_t n;
	uint8_t *nl;
	int e, fd;

	if (strlen(path) >= sizeof(ic->auth_file)) {
		strbuf_printf(err, "authentication file: path longer than %zu bytes",
		              sizeof(ic->auth_file) - 1);
		return -1;
	}
	/* O_NONBLOCK: a FIFO must not hang the daemon. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		strbuf_printf(err, "authentication file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		strbuf_printf(err, "authentication file %s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		strbuf_printf(err,
		              "authentication file %s is accessible by group or others "
		              "(mode %03o): refused; chmod 600 it",
		              path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	e = errno;
	close(fd);
	if (n < 0) {
		strbuf_printf(err, "authentication file %s: %s", path, strerror(e));
		return -1;
	}
	/* One line: the password is what precedes the first newline; a
	 * second line would silently become part of another password. */
	nl = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL;
	if (nl && nl - buf + 1 < n) {
		explicit_bzero(buf, sizeof(buf));
		strbuf_printf(err, "authentication file %s: more than one line", path);
		return -1;
	}
	if (nl)
		n = nl - buf;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n <= 0 || n > NHRP_AUTH_MAX) {
		explicit_bzero(buf, sizeof(buf));
		strbuf_printf(err, "authentication file %s: empty or longer than %d characters",
		              path, NHRP_AUTH_MAX);
		return -1;
	}
	explicit_bzero(ic->auth, sizeof(ic->auth));
	memcpy(ic->auth, buf, (size_t)n);
	ic->auth_len = (size_t)n;
	strcpy(ic->auth_file, path);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}
