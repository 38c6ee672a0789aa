/*
 * line_edit: the terminal line editor of dmvpnsh (see line_edit.h).
 *
 * After every key the whole input row is redrawn: "\r", the prompt, the
 * visible part of the line, ESC[K, then ESC[nD back to the cursor. That is
 * a few dozen bytes per key, but no screen state can drift from the buffer.
 * "\r" only returns to the start of the current screen row, so the line
 * never wraps: when it is longer than the row it scrolls sideways.
 */
#include "shell/line_edit.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define LE_CTRL(c) ((c)&0x1f)
#define LE_ESC_MS  50 /* the rest of an escape sequence comes within this */

/* What le_getc() and le_escape() return besides bytes. */
enum {
	LE_KEY_ERR = -3,
	LE_KEY_EOF = -2,
	LE_KEY_NONE = -1, /* nothing within the timeout, or a key we do not use */
	LE_KEY_DEL = 0x100
};

/*
 * The bytes after ESC (CSI "ESC [", SS3 "ESC O", as xterm, VT220 and rxvt
 * send them) and the control key that does the same.
 */
static const struct {
	const char *seq;
	int key;
} le_escapes[] = {{"[A", LE_CTRL('P')},  {"OA", LE_CTRL('P')},  {"[B", LE_CTRL('N')},
                  {"OB", LE_CTRL('N')},  {"[C", LE_CTRL('F')},  {"OC", LE_CTRL('F')},
                  {"[D", LE_CTRL('B')},  {"OD", LE_CTRL('B')},  {"[H", LE_CTRL('A')},
                  {"OH", LE_CTRL('A')},  {"[1~", LE_CTRL('A')}, {"[7~", LE_CTRL('A')},
                  {"[F", LE_CTRL('E')},  {"OF", LE_CTRL('E')},  {"[4~", LE_CTRL('E')},
                  {"[8~", LE_CTRL('E')}, {"[3~", LE_KEY_DEL}};

struct line_edit {
	int in_fd, out_fd;
	bool tty;
	const struct line_edit_ops *ops;
	void *ctx;
	char *hist[LINE_EDIT_HISTORY]; /* oldest first */
	size_t hist_len;
	/* The line being read. */
	const char *prompt;
	char line[LINE_EDIT_MAX + 1];
	size_t len, pos;
	size_t scroll;                  /* first byte of line on screen */
	size_t hist_pos;                /* hist_len: the line being edited */
	char edited[LINE_EDIT_MAX + 1]; /* that line while history is shown */
	/* Input is read in blocks; output is gathered and written at le_flush(). */
	char ibuf[4096];
	size_t ibeg, iend;
	char obuf[4096];
	size_t olen;
};

static void le_flush(struct line_edit *le)
{
	ssize_t n;

	for (size_t off = 0; off < le->olen; off += (size_t)n) {
		n = write(le->out_fd, le->obuf + off, le->olen - off);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			break; /* the terminal is gone; the next read tells */
	}
	le->olen = 0;
}

static void le_put(struct line_edit *le, const char *s, size_t n)
{
	for (size_t k; n > 0; s += k, n -= k) {
		if (le->olen == sizeof(le->obuf))
			le_flush(le);
		k = sizeof(le->obuf) - le->olen < n ? sizeof(le->obuf) - le->olen : n;
		memcpy(le->obuf + le->olen, s, k);
		le->olen += k;
	}
}

static void le_puts(struct line_edit *le, const char *s)
{
	le_put(le, s, strlen(s));
}

/* A byte, LE_KEY_EOF, LE_KEY_ERR, or LE_KEY_NONE after timeout_ms (< 0: wait). */
static int le_getc(struct line_edit *le, int timeout_ms)
{
	while (le->ibeg == le->iend) {
		struct pollfd pfd = {.fd = le->in_fd, .events = POLLIN};
		ssize_t n;
		int r;

		if (timeout_ms >= 0 && (r = poll(&pfd, 1, timeout_ms)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return r < 0 ? LE_KEY_ERR : LE_KEY_NONE;
		}
		n = read(le->in_fd, le->ibuf, sizeof(le->ibuf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? LE_KEY_ERR : LE_KEY_EOF;
		le->ibeg = 0;
		le->iend = (size_t)n;
	}
	return (unsigned char)le->ibuf[le->ibeg++];
}

/* The key of the sequence after an ESC, or LE_KEY_NONE. */
static int le_escape(struct line_edit *le)
{
	char seq[8];
	size_t n = 0;
	int c;

	/* An introducer, then parameter bytes up to a final byte 0x40..0x7e. */
	do {
		if ((c = le_getc(le, LE_ESC_MS)) < 0)
			return c; /* LE_KEY_NONE: a lone ESC */
		if (n < sizeof(seq) - 1)
			seq[n++] = (char)c;
	} while (n == 1 ? c == '[' || c == 'O' : c < 0x40 || c > 0x7e);
	seq[n] = '\0';
	for (size_t i = 0; i < sizeof(le_escapes) / sizeof(le_escapes[0]); i++)
		if (!strcmp(seq, le_escapes[i].seq))
			return le_escapes[i].key;
	return LE_KEY_NONE;
}

static size_t le_columns(const struct line_edit *le)
{
	struct winsize ws;

	if (ioctl(le->out_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static void le_redraw(struct line_edit *le)
{
	size_t plen = strlen(le->prompt), cols = le_columns(le), room, shown;
	char move[32];

	/* Leave the last column free: a character there may wrap the row. */
	room = cols > plen + 8 ? cols - plen - 1 : 8;
	if (le->len < le->scroll + room)
		le->scroll = le->len > room ? le->len - room : 0;
	if (le->pos < le->scroll)
		le->scroll = le->pos;
	if (le->pos > le->scroll + room)
		le->scroll = le->pos - room;
	shown = le->len - le->scroll < room ? le->len - le->scroll : room;
	le_puts(le, "\r");
	le_puts(le, le->prompt);
	le_put(le, le->line + le->scroll, shown);
	le_puts(le, "\x1b[K");
	if (le->scroll + shown > le->pos) {
		snprintf(move, sizeof(move), "\x1b[%zuD", le->scroll + shown - le->pos);
		le_puts(le, move);
	}
	le_flush(le);
}

static void le_set_line(struct line_edit *le, const char *s)
{
	le->len = strnlen(s, LINE_EDIT_MAX);
	memcpy(le->line, s, le->len);
	le->line[le->len] = '\0';
	le->pos = le->len;
}

static void le_insert(struct line_edit *le, const char *s, size_t n)
{
	if (n > LINE_EDIT_MAX - le->len) {
		le_puts(le, "\a");
		return;
	}
	memmove(le->line + le->pos + n, le->line + le->pos, le->len - le->pos + 1);
	memcpy(le->line + le->pos, s, n);
	le->len += n;
	le->pos += n;
}

/* Remove line[from..to) and leave the cursor at from. */
static void le_delete(struct line_edit *le, size_t from, size_t to)
{
	memmove(le->line + from, le->line + to, le->len - to + 1);
	le->len -= to - from;
	le->pos = from;
}

static size_t le_word_start(const struct line_edit *le)
{
	size_t i = le->pos;

	while (i > 0 && le->line[i - 1] != ' ')
		i--;
	return i;
}

static void le_history_walk(struct line_edit *le, bool older)
{
	if (older ? le->hist_pos == 0 : le->hist_pos == le->hist_len)
		return;
	if (le->hist_pos == le->hist_len)
		memcpy(le->edited, le->line, le->len + 1);
	le->hist_pos = older ? le->hist_pos - 1 : le->hist_pos + 1;
	le_set_line(le, le->hist_pos == le->hist_len ? le->edited : le->hist[le->hist_pos]);
}

/* Replace line[start..pos) by w, then step over or add a space if asked. */
static void le_replace_word(struct line_edit *le, size_t start, const char *w, size_t n, bool space)
{
	if (le->len - (le->pos - start) + n + space > LINE_EDIT_MAX) {
		le_puts(le, "\a");
		return;
	}
	le_delete(le, start, le->pos);
	le_insert(le, w, n);
	if (space && le->line[le->pos] == ' ')
		le->pos++;
	else if (space)
		le_insert(le, " ", 1);
}

/* Candidates below the line, down the columns like ls. */
static void le_list(struct line_edit *le, const char **cands, size_t n)
{
	size_t width = 0, ncol, rows;

	for (size_t i = 0; i < n; i++)
		width = strlen(cands[i]) > width ? strlen(cands[i]) : width;
	width += 2;
	ncol = le_columns(le) / width ? le_columns(le) / width : 1;
	rows = (n + ncol - 1) / ncol;
	le_puts(le, "\r\n");
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < ncol && c * rows + r < n; c++) {
			const char *w = cands[c * rows + r];

			le_puts(le, w);
			for (size_t k = strlen(w); (c + 1) * rows + r < n && k < width; k++)
				le_puts(le, " ");
		}
		le_puts(le, "\r\n");
	}
}

static void le_complete(struct line_edit *le)
{
	const char **cands = NULL;
	size_t start = le_word_start(le), typed = le->pos - start, common;
	int n = 0;

	if (le->ops && le->ops->complete)
		n = le->ops->complete(le->ctx, le->line, le->pos, &cands);
	if (n <= 0 || !cands) {
		le_puts(le, "\a");
		return;
	}
	if (n == 1) {
		le_replace_word(le, start, cands[0], strlen(cands[0]), true);
		return;
	}
	common = strlen(cands[0]);
	for (int i = 1; i < n; i++)
		for (size_t k = 0; k < common; k++)
			if (cands[i][k] != cands[0][k])
				common = k;
	/* Only extend what was typed: a prefix that changes it is no help. */
	if (common > typed && !strncmp(cands[0], le->line + start, typed))
		le_replace_word(le, start, cands[0], common, false);
	else
		le_list(le, cands, (size_t)n);
}

static void le_help(struct line_edit *le)
{
	size_t pos = le->pos;
	char *text = le->ops->help(le->ctx, le->line, le->pos);

	le->pos = le->len; /* the help starts below the whole line */
	le_redraw(le);
	le_puts(le, "?\r\n");
	for (const char *p = text; p && *p; p++)
		le_put(le, *p == '\n' ? "\r\n" : p, *p == '\n' ? 2 : 1);
	if (text && *text && text[strlen(text) - 1] != '\n')
		le_puts(le, "\r\n");
	free(text);
	le->pos = pos;
}

/* Show the whole line and mark, leave the cursor on the next row, return rc. */
static int le_finish(struct line_edit *le, const char *mark, int rc)
{
	le->pos = le->len;
	le_redraw(le);
	le_puts(le, mark);
	le_puts(le, "\r\n");
	return rc;
}

/* Edit until the line ends: 1 (line in le->line), 0 at EOF, -1 on error. */
static int le_edit(struct line_edit *le)
{
	for (;;) {
		size_t end = le->pos;
		int c;

		le_redraw(le);
		if ((c = le_getc(le, -1)) == 0x1b)
			c = le_escape(le);
		if (c == LE_CTRL('V') && (c = le_getc(le, -1)) == '?') {
			le_insert(le, "?", 1); /* quoted: a '?' in the line, not help */
			continue;
		}
		if (c == LE_CTRL('D') && le->len == 0)
			return le_finish(le, "", 0);
		if (c == '?' && le->ops && le->ops->help) {
			le_help(le);
			continue;
		}
		switch (c) {
		case LE_KEY_ERR:
		case LE_KEY_EOF:
			return c == LE_KEY_EOF ? 0 : -1;
		case '\r':
		case '\n':
			/* A pasted \r\n ends one line, not two. */
			if (c == '\r' && le->ibeg < le->iend && le->ibuf[le->ibeg] == '\n')
				le->ibeg++;
			return le_finish(le, "", 1);
		case LE_CTRL('C'):
		case LE_CTRL('Z'):
			le_finish(le, c == LE_CTRL('C') ? "^C" : "^Z", 1);
			le_set_line(le, c == LE_CTRL('C') ? "" : "end");
			return 1;
		case LE_CTRL('D'):
		case LE_KEY_DEL:
			le_delete(le, le->pos, le->pos + (le->pos < le->len));
			break;
		case 0x7f:
		case LE_CTRL('H'):
			le_delete(le, le->pos - (le->pos > 0), le->pos);
			break;
		case LE_CTRL('B'):
			le->pos -= le->pos > 0;
			break;
		case LE_CTRL('F'):
			le->pos += le->pos < le->len;
			break;
		case LE_CTRL('A'):
		case LE_CTRL('E'):
			le->pos = c == LE_CTRL('A') ? 0 : le->len;
			break;
		case LE_CTRL('P'):
		case LE_CTRL('N'):
			le_history_walk(le, c == LE_CTRL('P'));
			break;
		case LE_CTRL('U'):
			le_delete(le, 0, le->pos);
			break;
		case LE_CTRL('K'):
			le_delete(le, le->pos, le->len);
			break;
		case LE_CTRL('W'):
			while (le->pos > 0 && le->line[le->pos - 1] == ' ')
				le->pos--;
			le_delete(le, le_word_start(le), end);
			break;
		case LE_CTRL('L'):
			le_puts(le, "\x1b[H\x1b[2J");
			break;
		case '\t':
			le_complete(le);
			break;
		default:
			/* ASCII only: the cursor arithmetic counts a column a byte. */
			if (c >= 0x20 && c < 0x7f)
				le_insert(le, &(char){(char)c}, 1);
			break;
		}
	}
}

static int le_tcsetattr(int fd, const struct termios *t)
{
	int rc;

	while ((rc = tcsetattr(fd, TCSADRAIN, t)) < 0 && errno == EINTR)
		;
	return rc;
}

/* A script line: no prompt, no keys; EOF ends an unterminated last line. */
static int le_read_plain(struct line_edit *le)
{
	size_t n = 0;
	bool any = false, overlong = false;
	int c;

	while ((c = le_getc(le, -1)) != '\n' && c != LE_KEY_EOF) {
		if (c == LE_KEY_ERR)
			return -1;
		any = true;
		if (n == LINE_EDIT_MAX)
			overlong = true;
		else if (c != '\0')
			le->line[n++] = (char)c;
	}
	if (c == LE_KEY_EOF && !any)
		return 0;
	n -= n > 0 && le->line[n - 1] == '\r';
	le->line[n] = '\0';
	if (overlong)
		errno = EMSGSIZE; /* a cut command could mean something else */
	return overlong ? -1 : 1;
}

int line_edit_read(struct line_edit *le, const char *prompt, char **out)
{
	struct termios saved, raw;
	int rc;

	*out = NULL;
	if (!le->tty) {
		rc = le_read_plain(le);
	} else {
		if (tcgetattr(le->in_fd, &saved) < 0)
			return -1;
		raw = saved;
		raw.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INLCR | IGNCR | ISTRIP | IXON);
		raw.c_oflag &= ~(tcflag_t)OPOST;
		raw.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		/* TCSADRAIN, not TCSAFLUSH: keep what was typed ahead. */
		if (le_tcsetattr(le->in_fd, &raw) < 0)
			return -1;
		le->prompt = prompt ? prompt : "";
		le->len = le->pos = le->scroll = 0;
		le->line[0] = '\0';
		le->hist_pos = le->hist_len;
		rc = le_edit(le);
		le_flush(le);
		if (le_tcsetattr(le->in_fd, &saved) < 0)
			rc = -1;
	}
	if (rc == 1 && !(*out = strdup(le->line)))
		rc = -1;
	return rc;
}

void line_edit_history_add(struct line_edit *le, const char *line)
{
	char *copy;

	if (!line || line[strspn(line, " \t")] == '\0')
		return;
	if (le->hist_len > 0 && !strcmp(le->hist[le->hist_len - 1], line))
		return;
	if (!(copy = strdup(line)))
		return;
	if (le->hist_len == LINE_EDIT_HISTORY) {
		explicit_bzero(le->hist[0], strlen(le->hist[0]));
		free(le->hist[0]);
		memmove(le->hist, le->hist + 1, (LINE_EDIT_HISTORY - 1) * sizeof(le->hist[0]));
		le->hist_len--;
	}
	le->hist[le->hist_len++] = copy;
}

int line_edit_init(struct line_edit **lep, int in_fd, int out_fd, const struct line_edit_ops *ops,
                   void *ctx)
{
	struct line_edit *le = calloc(1, sizeof(*le));

	if (!(*lep = le))
		return -1;
	le->in_fd = in_fd;
	le->out_fd = out_fd;
	le->tty = isatty(in_fd);
	le->ops = ops;
	le->ctx = ctx;
	return 0;
}

void line_edit_free(struct line_edit *le)
{
	if (!le)
		return;
	for (size_t i = 0; i < le->hist_len; i++) {
		explicit_bzero(le->hist[i], strlen(le->hist[i]));
		free(le->hist[i]);
	}
	explicit_bzero(le, sizeof(*le)); /* the lines typed may hold keys */
	free(le);
}
