/*
 * dmvpnctl: send one command to a daemon's control socket and print the
 * reply. A stopgap for scripts and tests until dmvpnsh (the shell) exists.
 *
 *   dmvpnctl [-s SOCKET] [-t TIMEOUT_MS] COMMAND WORDS...
 *   dmvpnctl [-s SOCKET] -e SECONDS        print the daemon's events
 *
 * Exit status: 0 OK, 1 the daemon answered with an error, 2 unreachable.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ctl.h"
#include "lib/strbuf.h"

int main(int argc, char **argv)
{
	const char *path = CTL_DEFAULT_DIR "/mgred.sock";
	int timeout_ms = 5000, events = 0, opt, rc;
	struct strbuf line, reply;

	while ((opt = getopt(argc, argv, "+s:t:e:h")) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 't':
			timeout_ms = atoi(optarg);
			break;
		case 'e':
			events = atoi(optarg);
			break;
		default:
			fprintf(opt == 'h' ? stdout : stderr,
			        "usage: dmvpnctl [-s SOCKET] [-t TIMEOUT_MS] COMMAND... | -e "
			        "SECONDS\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (events > 0 && optind == argc)
		return ctl_listen(path, events, stdout) == 0 ? 0 : 2;
	if (optind == argc || timeout_ms <= 0) {
		fprintf(stderr,
		        "usage: dmvpnctl [-s SOCKET] [-t TIMEOUT_MS] COMMAND... | -e SECONDS\n");
		return 2;
	}
	strbuf_init(&line);
	strbuf_init(&reply);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strbuf_puts(&line, " ");
		strbuf_puts(&line, argv[i]);
	}
	rc = ctl_call(path, strbuf_str(&line), timeout_ms, &reply);
	fputs(strbuf_str(&reply), rc == 0 ? stdout : stderr);
	if (rc < 0)
		fputc('\n', stderr);
	strbuf_free(&line);
	strbuf_free(&reply);
	return rc < 0 ? 2 : rc;
}
