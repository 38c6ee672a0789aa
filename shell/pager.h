/*
 * Cisco-style " --More-- " paging of show output in dmvpnsh.
 *
 * Paging happens only when both in_fd and out_fd are terminals and length
 * is not 0: a script on stdin must not have its next lines eaten as keys.
 * Otherwise the text is written as it is. The terminal is in its normal
 * (cooked) mode while text is written, so "\n" needs no "\r".
 */
#ifndef DMVPN_PAGER_H
#define DMVPN_PAGER_H

#include <stddef.h>

struct pager {
	int in_fd, out_fd;
	unsigned length; /* rows of a page, the prompt's row included; 0: no paging */
};

/*
 * Write text, one call per command output (each call starts a new page).
 * After each length - 1 screen rows (a line longer than the terminal is
 * wide counts the rows it wraps to) it shows " --More-- " and reads one key
 * in non-canonical mode, restored after: space or PageDown shows the next
 * page, Enter or Down one more line, q, Q or Ctrl-C drops the rest; other
 * keys are ignored. The prompt is erased (\r ESC[K) before going on.
 * Returns 0 when everything was written, 1 when the user quit (or input
 * ended at the prompt), -1 on a write or terminal error.
 */
int pager_write(const struct pager *p, const char *text, size_t len);

/* Rows of the terminal on fd (TIOCGWINSZ), or 24 when unknown. */
unsigned pager_terminal_rows(int fd);

#endif
