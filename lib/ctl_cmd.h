/*
 * What every daemon's control command handler shares: splitting a command
 * line into words, and the commands all daemons answer alike
 * (`show debugging`, `log level LEVEL`).
 */
#ifndef DMVPN_CTL_CMD_H
#define DMVPN_CTL_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

#define CTL_CMD_MAX_LINE 512

/*
 * Split line into at most max words, kept in buf (CTL_CMD_MAX_LINE bytes).
 * The number of words, or -1 with the reason in o (too long, too many).
 */
int ctl_cmd_split(const char *line, char buf[CTL_CMD_MAX_LINE], char **w, int max,
                  struct strbuf *o);

/*
 * `show debugging` and `log level LEVEL`: true when w is one of them,
 * with the handler's result (0 or -1) in *rc.
 */
bool ctl_cmd_common(char **w, int n, struct strbuf *o, int *rc);

#endif
