/*
 * A Cisco/FRR-vtysh-like line editor for dmvpnsh on a POSIX terminal:
 * termios raw mode while a line is read, no readline or libedit.
 *
 * Keys: printable ASCII inserts at the cursor; Backspace (0x7f, 0x08)
 * deletes left; Delete (ESC[3~) and Ctrl-D on a non-empty line delete under
 * the cursor; Left/Right (ESC[D/C, ESC O D/C, Ctrl-B/F); Home/End (ESC[H/F,
 * ESC[1~/4~, ESC[7~/8~, ESC O H/F, Ctrl-A/E); Up/Down (ESC[A/B, Ctrl-P/N)
 * walk the history, the line being edited being the newest entry; Ctrl-U
 * kills to the start, Ctrl-K to the end, Ctrl-W the word left; Ctrl-L
 * clears the screen and redraws; Ctrl-V then a key inserts that key
 * (a '?' in a description); TAB completes, '?' shows help; Enter (\r or
 * \n) ends the line, Ctrl-C abandons it, Ctrl-Z ends it as "end". A pasted
 * \r\n ends one line. A line holds up to LINE_EDIT_MAX bytes; past that
 * the editor beeps and drops the input.
 *
 * The line is shown on one screen row: a line longer than the terminal
 * scrolls horizontally inside that row instead of wrapping. The prompt
 * must be ASCII and shorter than the terminal is wide.
 *
 * When in_fd is not a terminal (a script on stdin), lines are read plainly:
 * no prompt, no echo, no key handling, a trailing \r is dropped.
 *
 * The editor installs no signal handler: Ctrl-C and Ctrl-Z arrive as keys
 * while a line is read, and the caller handles signals at other times.
 */
#ifndef DMVPN_LINE_EDIT_H
#define DMVPN_LINE_EDIT_H

#include <stddef.h>

#define LINE_EDIT_MAX     4096 /* bytes in a line, without the NUL */
#define LINE_EDIT_HISTORY 500  /* lines kept, oldest dropped first */

struct line_edit;

/*
 * Callbacks run while the terminal is in raw mode: they must not write to
 * the terminal (the editor prints what they return). line is NUL-terminated
 * and holds the whole line; cursor is where the key was pressed.
 */
struct line_edit_ops {
	/*
	 * TAB: set *cands to the full words that may replace the (possibly
	 * empty) last word of line[0..cursor), and return how many (0: none).
	 * The strings stay the callee's until its next call. One candidate
	 * replaces the word and adds a space; several insert their longest
	 * common prefix, or, when that adds nothing, are listed in columns.
	 */
	int (*complete)(void *ctx, const char *line, size_t cursor, const char ***cands);
	/*
	 * '?': what may follow line[0..cursor), one item per '\n'-ended line,
	 * as a malloc'd string the editor frees (NULL: nothing). Cisco style:
	 * the '?' is not inserted; the help is printed below the line, and the
	 * prompt and line are redrawn with the cursor where it was. Without
	 * this callback '?' is an ordinary character.
	 */
	char *(*help)(void *ctx, const char *line, size_t cursor);
};

/*
 * Read from in_fd, echo to out_fd. ops (may be NULL) and ctx must outlive
 * the editor. Returns 0, or -1 when out of memory.
 */
int line_edit_init(struct line_edit **le, int in_fd, int out_fd, const struct line_edit_ops *ops,
                   void *ctx);
/* Free the editor and wipe its buffers and history (they may hold keys). */
void line_edit_free(struct line_edit *le);

/*
 * Show prompt and read one line into *out (malloc'd, no newline; the caller
 * frees it). Returns:
 *    1  a line; Ctrl-C gives "" (line abandoned), Ctrl-Z gives "end"
 *       (Cisco: leave configuration mode);
 *    0  end of input: Ctrl-D on an empty line, or EOF;
 *   -1  an error, errno set; *out is NULL. EMSGSIZE: a non-terminal input
 *       line was longer than LINE_EDIT_MAX; it was dropped and the next
 *       call reads the line after it.
 * The terminal mode is restored before every return. Lines are not added
 * to the history: the caller decides with line_edit_history_add().
 */
int line_edit_read(struct line_edit *le, const char *prompt, char **out);

/* Remember line for Up/Down; blank lines and repeats of the last are skipped. */
void line_edit_history_add(struct line_edit *le, const char *line);

#endif
