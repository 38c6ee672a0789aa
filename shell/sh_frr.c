/*
 * FRR's commands (show ip route, show bgp, router bgp ...) run in FRR's own
 * vtysh, so one shell drives the whole router. Each line is one vtysh run
 * with the commands that lead to its node (`configure terminal`, `router
 * bgp 65000`) before it, since vtysh -c keeps no state between runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell/dmvpnsh.h"

#define SH_FRR_MAX_ARGS 32

int sh_frr(struct sh *sh, const char *const *cmds, int ncmds)
{
	char words[1024], *argv[SH_FRR_MAX_ARGS + 2 * 8 + 1], *save = NULL;
	struct strbuf out;
	int argc = 0, pfd[2], status;
	pid_t pid;

	if (snprintf(words, sizeof(words), "%s", sh->vtysh) >= (int)sizeof(words) || ncmds > 8)
		return -1;
	for (char *w = strtok_r(words, " ", &save); w && argc < SH_FRR_MAX_ARGS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	for (int i = 0; i < ncmds; i++) {
		argv[argc++] = (char *)"-c";
		argv[argc++] = (char *)cmds[i];
	}
	argv[argc] = NULL;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "%% cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	strbuf_init(&out);
	for (;;) {
		char buf[4096];
		ssize_t n = read(pfd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(&out, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		sh_print(sh, strbuf_str(&out));
	} else {
		sh_error(sh, "%s", strbuf_str(&out));
		if (!out.len)
			sh_error(sh, "%% FRR (%s) failed\n", sh->vtysh);
	}
	strbuf_free(&out);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
