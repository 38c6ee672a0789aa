/*
 * pager: " --More-- " for show output (see pager.h). Text is written in
 * runs of whole lines, one write per page, and the key is read with the
 * terminal in non-canonical mode only while the prompt is up.
 */
#include "shell/pager.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define PAGER_PROMPT " --More-- "

enum pager_answer {
	PAGER_NONE, /* a key we do not use: ask again */
	PAGER_PAGE,
	PAGER_LINE,
	PAGER_QUIT,
};

static int pager_put(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

static int pager_tcsetattr(int fd, const struct termios *t)
{
	int rc;

	while ((rc = tcsetattr(fd, TCSADRAIN, t)) < 0 && errno == EINTR)
		;
	return rc;
}

/* One read holds a whole key, so an arrow's ESC [ B does not leak later. */
static enum pager_answer pager_decode(const unsigned char *k, size_t n)
{
	switch (k[0]) {
	case ' ':
		return PAGER_PAGE;
	case '\r':
	case '\n':
		return PAGER_LINE;
	case 'q':
	case 'Q':
	case 0x03: /* Ctrl-C: ISIG is off, so it is a key, not SIGINT */
		return PAGER_QUIT;
	case 0x1b:
		if (n == 3 && k[1] == '[' && k[2] == 'B')
			return PAGER_LINE;
		if (n == 4 && !memcmp(k + 1, "[6~", 3))
			return PAGER_PAGE;
		return PAGER_NONE;
	default:
		return PAGER_NONE;
	}
}

/* Show the prompt, wait for a key we use, erase the prompt. -1 on error. */
static int pager_ask(const struct pager *p)
{
	struct termios saved, t;
	enum pager_answer answer = PAGER_NONE;
	unsigned char key[16];

	if (pager_put(p->out_fd, PAGER_PROMPT, strlen(PAGER_PROMPT)) < 0)
		return -1;
	if (tcgetattr(p->in_fd, &saved) < 0)
		return -1;
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (pager_tcsetattr(p->in_fd, &t) < 0)
		return -1;
	while (answer == PAGER_NONE) {
		ssize_t n = read(p->in_fd, key, sizeof(key));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			answer = PAGER_QUIT; /* nobody left to answer */
		else
			answer = pager_decode(key, (size_t)n);
	}
	if (pager_tcsetattr(p->in_fd, &saved) < 0)
		return -1;
	if (pager_put(p->out_fd, "\r\x1b[K", 4) < 0)
		return -1;
	return (int)answer;
}

static unsigned pager_columns(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Screen rows of one line (without its '\n') once the terminal wraps it. */
static unsigned pager_rows(const char *s, size_t n, unsigned cols)
{
	size_t width = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t')
			width += 8 - width % 8;
		else if (c >= 0x20 && c != 0x7f && (c & 0xc0) != 0x80)
			width++; /* UTF-8 continuation bytes take no column */
	}
	return width == 0 ? 1 : (unsigned)((width + cols - 1) / cols);
}

int pager_write(const struct pager *p, const char *text, size_t len)
{
	unsigned page, used = 0, cols;
	size_t off = 0, start = 0;

	if (p->length == 0 || !isatty(p->out_fd) || !isatty(p->in_fd))
		return pager_put(p->out_fd, text, len);
	page = p->length > 1 ? p->length - 1 : 1;
	cols = pager_columns(p->out_fd);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		unsigned rows = pager_rows(text + off, end - off - (nl != NULL), cols);

		/* A line taller than a page still goes out, alone. */
		if (used > 0 && used + rows > page) {
			int answer;

			if (pager_put(p->out_fd, text + start, off - start) < 0)
				return -1;
			start = off;
			answer = pager_ask(p);
			if (answer < 0)
				return -1;
			if (answer == PAGER_QUIT)
				return 1;
			used = answer == PAGER_PAGE || rows >= page ? 0 : page - rows;
		}
		used += rows;
		off = end;
	}
	return pager_put(p->out_fd, text + start, len - start);
}

unsigned pager_terminal_rows(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	return 24;
}
