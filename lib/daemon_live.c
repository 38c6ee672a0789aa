/*
 * The skeleton's live configuration path (lib/daemon.h): a line from the
 * shell, or the file again on SIGHUP, reaches the running daemon only
 * through a candidate that passed every check, so a refused line or a
 * file with errors changes nothing.
 *
 *   configure-check   candidate built and checked, then dropped (the shell
 *                     asks every owner of a line before any applies it)
 *   configure         the same; then the daemon is brought from its running
 *                     configuration to the candidate (notices say what
 *                     needs a restart) and the candidate becomes the
 *                     running configuration
 *   SIGHUP            the file read into a new configuration, applied the
 *                     same way when it has no errors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ctl.h"
#include "lib/daemon.h"
#include "lib/log.h"

/* Header, newline, line and the terminating NUL, as the shell sends them
 * (lib/cmd_conf.h's cmd_conf_request_format). */
#define DAEMON_REQUEST_MAX (2 * CMD_MAX_LINE + 4)

/*
 * One process, one request at a time: a static buffer, so that tests can
 * see it is wiped after every request (daemon_request_buffer).
 */
static char daemon_request_buf[DAEMON_REQUEST_MAX];

const char *daemon_request_buffer(size_t *size)
{
	*size = sizeof(daemon_request_buf);
	return daemon_request_buf;
}

/* Reasons may quote the words of a line that carried a password. */
static void daemon_strbuf_wipe(struct strbuf *sb)
{
	if (sb->s)
		explicit_bzero(sb->s, sb->cap);
	strbuf_free(sb);
}

/*
 * why as refusal lines: "% " once at the start of each, whether the
 * reason came with it (the engine's) or not (a handler's).
 */
static void daemon_refusal(const struct strbuf *why, struct strbuf *out)
{
	const char *s = why->len ? strbuf_str(why) : "";
	bool any = false;

	while (*s) {
		const char *nl = strchr(s, '\n'), *text = s;
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		while (n >= 2 && text[0] == '%' && text[1] == ' ') {
			text += 2;
			n -= 2;
		}
		if (n) {
			strbuf_puts(out, "% ");
			strbuf_add(out, text, n);
			strbuf_puts(out, "\n");
			any = true;
		}
		s = nl ? nl + 1 : text + n;
	}
	if (!any)
		strbuf_puts(out, "% refused\n");
}

static void *daemon_conf_dup(const struct daemon_def *def, const void *conf)
{
	void *copy;

	if (def->conf_dup)
		return def->conf_dup(conf);
	copy = malloc(def->conf_size);
	if (copy)
		memcpy(copy, conf, def->conf_size);
	return copy;
}

int daemon_conf_candidate(const struct daemon_def *def, const void *running, const char *header,
                          const char *line, void **cand, struct strbuf *why)
{
	void *c = daemon_conf_dup(def, running);
	struct strbuf msg;
	int rc;

	*cand = NULL;
	if (!c) {
		strbuf_puts(why, "% out of memory\n");
		return -1;
	}
	strbuf_init(&msg);
	rc = cmd_conf_apply(def->binding(), c, header, line, &msg);
	if (rc == 0 && def->conf_check(c, &msg) < 0)
		rc = -1;
	if (rc == 1)
		strbuf_printf(why, "%% not %s %s command: %s\n",
		              strchr("aeiou", def->name[0]) ? "an" : "a", def->name, line);
	else if (rc < 0)
		daemon_refusal(&msg, why);
	daemon_strbuf_wipe(&msg);
	if (rc != 0) {
		def->conf_free(c);
		return rc;
	}
	*cand = c;
	return 0;
}

/* Bring the daemon to cand, which then runs; its notices into notices. */
static void daemon_conf_apply(const struct daemon_def *def, void *daemon, void *cand,
                              struct strbuf *notices)
{
	def->reconfigure(daemon, def->conf_running(daemon), cand, notices);
	def->conf_install(daemon, cand);
}

static int daemon_configure(const struct daemon_def *def, void *daemon, enum cmd_conf_request kind,
                            const char *header, const char *line, struct strbuf *out)
{
	struct strbuf notices;
	void *cand;

	if (daemon_conf_candidate(def, def->conf_running(daemon), header, line, &cand, out) != 0)
		return -1;
	if (kind == CMD_CONF_CHECK) {
		def->conf_free(cand); /* nothing changes */
		return 0;
	}
	strbuf_init(&notices);
	daemon_conf_apply(def, daemon, cand, &notices);
	/* Not the line itself: it may carry a password. */
	log_info("configure: a line applied%s%s", header[0] ? " in " : "", header);
	log_lines(LOG_LVL_WARN, "", strbuf_str(&notices));
	strbuf_add(out, strbuf_str(&notices), notices.len);
	strbuf_free(&notices);
	return 0;
}

int daemon_ctl_request(const struct daemon_def *def, void *daemon, const char *req,
                       struct strbuf *out)
{
	const char *header, *line;
	enum cmd_conf_request kind;
	int rc;

	kind = cmd_conf_request_parse(req, daemon_request_buf, sizeof(daemon_request_buf), &header,
	                              &line);
	if (kind == CMD_CONF_NONE) {
		/* The parse may have copied a malformed request before
		 * refusing it. */
		explicit_bzero(daemon_request_buf, sizeof(daemon_request_buf));
		/* Resolved among this daemon's commands only: another's is
		 * refused as unknown, with the reason. */
		return cmd_exec_line(def->binding(), daemon, req, (unsigned)ctl_request_uid(), out);
	}
	rc = daemon_configure(def, daemon, kind, header, line, out);
	explicit_bzero(daemon_request_buf, sizeof(daemon_request_buf));
	return rc;
}

void *daemon_conf_read(const struct daemon_def *def, const char *path, struct strbuf *errors)
{
	void *conf = calloc(1, def->conf_size);

	if (!conf) {
		strbuf_printf(errors, "%s: out of memory\n", def->name);
		return NULL;
	}
	if (def->conf_load(path, conf, errors) < 0) {
		def->conf_free(conf);
		return NULL;
	}
	return conf;
}

void daemon_reload(const struct daemon_def *def, void *daemon, const char *path)
{
	struct strbuf errors, notices;
	void *cand;

	strbuf_init(&errors);
	cand = daemon_conf_read(def, path, &errors);
	if (!cand) {
		/* One log line per error, as -n prints them. */
		log_lines(LOG_LVL_ERR, "SIGHUP: ", strbuf_str(&errors));
		log_err("SIGHUP: %s has errors; the running configuration is unchanged", path);
		daemon_strbuf_wipe(&errors);
		return;
	}
	daemon_strbuf_wipe(&errors);
	strbuf_init(&notices);
	daemon_conf_apply(def, daemon, cand, &notices);
	log_notice("SIGHUP: %s read again", path);
	log_lines(LOG_LVL_WARN, "", strbuf_str(&notices));
	strbuf_free(&notices);
}
