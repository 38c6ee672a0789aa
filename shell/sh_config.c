/*
 * One running configuration out of three daemons. Each daemon prints the
 * part it owns in the file's layout; lines two daemons share (`interface
 * tun0`, `tunnel source`, `ip address`) come from both. The merge keeps
 * blocks by header and lines by first appearance (mgred, nhrpd, iked), so
 * the result reads back as the same configuration.
 *
 * write memory saves it the way an operator can trust: a temporary file in
 * the same directory, fsync, the old file kept as FILE.bak (a hard link),
 * rename over the old one, the old one's owner and mode kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "shell/dmvpnsh.h"

struct sh_block {
	char *header;
	bool opens_node;
	unsigned nlines;
	char **lines;
};

struct sh_merge {
	unsigned nblocks;
	struct sh_block *blocks;
	bool oom;
};

static struct sh_block *sh_merge_block(struct sh_merge *m, const char *header)
{
	struct sh_block *b;
	struct cmd_args *a;
	struct strbuf err;

	for (unsigned i = 0; i < m->nblocks; i++)
		if (!strcmp(m->blocks[i].header, header))
			return &m->blocks[i];
	b = realloc(m->blocks, (m->nblocks + 1) * sizeof(*b));
	if (!b)
		return NULL;
	m->blocks = b;
	b = &m->blocks[m->nblocks];
	memset(b, 0, sizeof(*b));
	if (!(b->header = strdup(header)))
		return NULL;
	m->nblocks++;
	a = calloc(1, sizeof(*a));
	strbuf_init(&err);
	b->opens_node = a && cmd_resolve_line(CMD_NODE_CONFIG, 0, header, a, &err) == 0 &&
	                a->def->enters != CMD_NODE_NONE;
	strbuf_free(&err);
	free(a);
	return b;
}

static int sh_merge_line(struct sh_block *b, const char *line)
{
	char **l;

	for (unsigned i = 0; i < b->nlines; i++)
		if (!strcmp(b->lines[i], line))
			return 0;
	l = realloc(b->lines, (b->nlines + 1) * sizeof(*l));
	if (!l)
		return -1;
	b->lines = l;
	if (!(b->lines[b->nlines] = strdup(line)))
		return -1;
	b->nlines++;
	return 0;
}

static void sh_merge_text(struct sh_merge *m, char *text)
{
	struct sh_block *cur = NULL;
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(l);

		while (n && (l[n - 1] == ' ' || l[n - 1] == '\r'))
			l[--n] = '\0';
		if (n == 0 || !strcmp(l, "!") || !strcmp(l, "end"))
			continue;
		if (l[0] == ' ') {
			if (!cur || sh_merge_line(cur, l) < 0)
				m->oom |= cur != NULL;
			continue;
		}
		if (!(cur = sh_merge_block(m, l)))
			m->oom = true;
	}
}

static void sh_merge_print(const struct sh_merge *m, struct strbuf *out)
{
	bool any = false;

	/* Global lines first, then the blocks. */
	for (unsigned i = 0; i < m->nblocks; i++)
		if (!m->blocks[i].opens_node) {
			strbuf_printf(out, "%s\n", m->blocks[i].header);
			any = true;
		}
	if (any)
		strbuf_puts(out, "!\n");
	for (unsigned i = 0; i < m->nblocks; i++) {
		const struct sh_block *b = &m->blocks[i];

		if (!b->opens_node)
			continue;
		strbuf_printf(out, "%s\n", b->header);
		for (unsigned j = 0; j < b->nlines; j++)
			strbuf_printf(out, "%s\n", b->lines[j]);
		strbuf_puts(out, "!\n");
	}
	strbuf_puts(out, "end\n");
}

static void sh_merge_free(struct sh_merge *m)
{
	for (unsigned i = 0; i < m->nblocks; i++) {
		for (unsigned j = 0; j < m->blocks[i].nlines; j++) {
			explicit_bzero(m->blocks[i].lines[j], strlen(m->blocks[i].lines[j]));
			free(m->blocks[i].lines[j]);
		}
		free(m->blocks[i].lines);
		free(m->blocks[i].header);
	}
	free(m->blocks);
}

/*
 * The merged configuration; -1 when a deployed daemon could not be asked
 * (its part would be missing), with why in err.
 */
int sh_running_config_text(struct sh *sh, bool secrets, struct strbuf *out, struct strbuf *err)
{
	struct sh_merge m = {0};
	int rc = 0, reached = 0;

	for (int d = 0; d < SH_DAEMON__COUNT; d++) {
		struct strbuf reply;
		int r;

		strbuf_init(&reply);
		r = sh_call(sh, (enum sh_daemon)d,
		            secrets ? "show running-config secrets" : "show running-config",
		            &reply);
		if (r == 0) {
			reached++;
			if (reply.len)
				sh_merge_text(&m, reply.s);
		} else if (r != -2) {
			strbuf_printf(err, "%% %s: %s%s", sh_daemon_names[d], strbuf_str(&reply),
			              reply.len && reply.s[reply.len - 1] == '\n' ? "" : "\n");
			rc = -1;
		}
		if (reply.s)
			explicit_bzero(reply.s, reply.len);
		strbuf_free(&reply);
	}
	if (!reached && rc == 0) {
		strbuf_puts(err, "% no daemon is running\n");
		rc = -1;
	}
	if (m.oom) {
		strbuf_puts(err, "% out of memory\n");
		rc = -1;
	}
	sh_merge_print(&m, out);
	sh_merge_free(&m);
	return rc;
}

int sh_show_running_config(struct sh *sh, bool json)
{
	struct strbuf text, err;
	int rc;

	strbuf_init(&text);
	strbuf_init(&err);
	rc = sh_running_config_text(sh, false, &text, &err);
	if (err.len)
		sh_error(sh, "%s", strbuf_str(&err));
	if (json) {
		struct strbuf out;
		struct json j;
		char *save = NULL;

		strbuf_init(&out);
		json_init(&j, &out);
		json_obj_begin(&j);
		json_kv_bool(&j, "complete", rc == 0);
		json_key(&j, "lines");
		json_arr_begin(&j);
		for (char *l = strtok_r(text.s ? text.s : (char *)"", "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			json_str(&j, l);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_puts(&out, "\n");
		sh_print(sh, strbuf_str(&out));
		strbuf_free(&out);
	} else {
		/* No banner: the output reads back as a configuration. */
		sh_print(sh, strbuf_str(&text));
	}
	strbuf_free(&text);
	strbuf_free(&err);
	return rc;
}

static int sh_write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* tmp file, same owner and mode as the old file, backup link, rename. */
static int sh_save_atomically(const char *path, const char *text, struct strbuf *err)
{
	char tmp[4096], bak[4096], dir[4096];
	struct stat st;
	bool existed = stat(path, &st) == 0;
	int fd, dfd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp) ||
	    snprintf(bak, sizeof(bak), "%s.bak", path) >= (int)sizeof(bak) ||
	    snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		strbuf_puts(err, "path too long");
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		strbuf_printf(err, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if ((existed &&
	     (fchown(fd, st.st_uid, st.st_gid) < 0 || fchmod(fd, st.st_mode & 07777) < 0)) ||
	    (!existed && fchmod(fd, 0640) < 0) || sh_write_all(fd, text, strlen(text)) < 0 ||
	    fsync(fd) < 0) {
		strbuf_printf(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (existed && ((unlink(bak) < 0 && errno != ENOENT) || link(path, bak) < 0)) {
		strbuf_printf(err, "backup %s: %s", bak, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		strbuf_printf(err, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The rename itself must reach the disk. */
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int sh_write_memory(struct sh *sh)
{
	struct strbuf text, err;
	int rc;

	strbuf_init(&text);
	strbuf_init(&err);
	sh_print(sh, "Building configuration...\n");
	rc = sh_running_config_text(sh, true, &text, &err);
	if (rc < 0) {
		sh_error(sh, "%s%% not saved: the running configuration is incomplete\n",
		         strbuf_str(&err));
	} else if (sh_save_atomically(sh->config_path, strbuf_str(&text), &err) < 0) {
		sh_error(sh, "%% not saved: %s\n", strbuf_str(&err));
		rc = -1;
	} else {
		sh_print(sh, "[OK]\n");
	}
	if (text.s)
		explicit_bzero(text.s, text.len);
	strbuf_free(&text);
	strbuf_free(&err);
	return rc;
}

/*
 * The file as written may hold an inline NHRP password: each line is
 * resolved like the daemons would, and the password's line is shown the
 * way show running-config shows it (abbreviated spellings included).
 */
static void sh_mask_secrets(char *text, struct strbuf *out)
{
	struct cmd_args *a = calloc(1, sizeof(*a));
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct strbuf err;
		bool secret;

		strbuf_init(&err);
		secret = a && (l[0] == ' ' || l[0] == '\t') &&
		         cmd_resolve_line(CMD_NODE_INTERFACE, 0, l, a, &err) == 0 &&
		         a->def->id == CMD_NHRP_AUTHENTICATION;
		strbuf_free(&err);
		strbuf_printf(out, "%s\n", secret ? " ip nhrp authentication <secret-hidden>" : l);
	}
	if (a)
		explicit_bzero(a, sizeof(*a));
	free(a);
}

int sh_show_startup_config(struct sh *sh, bool json)
{
	struct strbuf masked;
	FILE *f = fopen(sh->config_path, "re");
	struct strbuf text;
	char buf[4096];
	size_t n;

	if (!f) {
		sh_error(sh, "%% %s: %s\n", sh->config_path, strerror(errno));
		return -1;
	}
	strbuf_init(&text);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	strbuf_init(&masked);
	sh_mask_secrets(text.s ? text.s : (char *)"", &masked);
	if (text.s)
		explicit_bzero(text.s, text.cap);
	strbuf_free(&text);
	text = masked;
	if (json) {
		struct strbuf out;
		struct json j;
		char *save = NULL;

		strbuf_init(&out);
		json_init(&j, &out);
		json_obj_begin(&j);
		json_kv_str(&j, "path", sh->config_path);
		json_key(&j, "lines");
		json_arr_begin(&j);
		for (char *l = strtok_r(text.s ? text.s : (char *)"", "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			json_str(&j, l);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_puts(&out, "\n");
		sh_print(sh, strbuf_str(&out));
		strbuf_free(&out);
	} else {
		sh_print(sh, strbuf_str(&text));
	}
	strbuf_free(&text);
	return 0;
}

/* The prompt's name: `hostname` of the configuration, else the system's. */
void sh_refresh_hostname(struct sh *sh)
{
	struct strbuf reply;
	char *save = NULL;

	if (gethostname(sh->hostname, sizeof(sh->hostname)) < 0)
		snprintf(sh->hostname, sizeof(sh->hostname), "dmvpn");
	sh->hostname[sizeof(sh->hostname) - 1] = '\0';
	strbuf_init(&reply);
	if (sh_call(sh, SH_NHRPD, "show running-config", &reply) == 0 && reply.len)
		for (char *l = strtok_r(reply.s, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (!strncmp(l, "hostname ", 9))
				snprintf(sh->hostname, sizeof(sh->hostname), "%s", l + 9);
	strbuf_free(&reply);
}
