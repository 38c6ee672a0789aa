/*
 * iked's binding: which handler runs each command iked owns in
 * iked/iked.def, the configuration lines' (iked_cmd_conf.c) and the
 * operational commands' (iked_cmd_exec.c). A command without one is a bug
 * that cmd_binding_check() reports at start.
 */
#include "iked/iked.h"
#include "lib/cmd_conf.h"

const struct cmd_binding *iked_binding(void)
{
	static struct cmd_binding b;

	if (!b.daemon) {
		b.daemon = "iked";
		b.owner = CMD_OWN_IKED;
		iked_cmd_conf_bind(&b);
		iked_cmd_exec_bind(&b);
	}
	return &b;
}
