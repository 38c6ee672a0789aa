/*
 * What every daemon's control commands share: the handlers of the
 * commands all daemons answer alike (declared in lib/ctl_cmd.def: show
 * version, show debugging, debug control, log level, show running-config's
 * JSON form).
 */
#ifndef DMVPN_CTL_CMD_H
#define DMVPN_CTL_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/cmd_conf.h"
#include "lib/strbuf.h"

#define DMVPN_VERSION "0.2"

/* show version [json]: "DAEMON 0.2" or {"daemon":"DAEMON","version":"0.2"}. */
int ctl_cmd_show_version(struct cmd_exec *x, const struct cmd_args *a, const char *daemon);
/* show debugging [json]: the log level and the debug categories on. */
int ctl_cmd_show_debugging(struct cmd_exec *x, const struct cmd_args *a);
/* log level LEVEL */
int ctl_cmd_log_level(struct cmd_exec *x, const struct cmd_args *a);
/* [no] debug control: the control socket category */
int ctl_cmd_debug_control(struct cmd_exec *x, const struct cmd_args *a);
/*
 * show running-config [json] / show running-config secrets: text is the
 * daemon's part of the configuration; json gives {"lines":[...]}.
 * The secrets form is refused unless the client is root (uid 0).
 */
int ctl_cmd_running_config_reply(struct cmd_exec *x, const struct cmd_args *a, const char *text);
bool ctl_cmd_secrets_allowed(struct cmd_exec *x);

#endif
