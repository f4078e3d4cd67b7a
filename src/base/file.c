/* file: the one way an input is opened and read (descriptor, fstat,
 * regular files only, size limit per kind before reading), the one way an
 * output is written (a temporary in the same directory renamed into place,
 * never over something that is not a regular file or is an input), and the
 * list of temporaries removed when a signal ends the process. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporaries removed on SIGINT/SIGTERM/SIGHUP ------------------- */

/* A signal handler has nothing but globals: the one place in qujat that
 * holds process-wide state. Slots hold malloc'd paths; the handler only
 * reads them (lock-free atomics and unlink are async-signal-safe). */
#define TMP_SLOTS 64
static _Atomic(char *) tmp_slots[TMP_SLOTS];
static atomic_int tmp_handlers;
static const int tmp_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_fatal_signal(int sig)
{
	int i;
	for (i = 0; i < TMP_SLOTS; i++) {
		char *p = atomic_load(&tmp_slots[i]);
		if (p)
			unlink(p);
	}
	/* SA_RESETHAND put the default action back: die of the same signal */
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa, old;
	size_t i;
	if (atomic_exchange(&tmp_handlers, 1))
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof tmp_signals / sizeof *tmp_signals; i++) {
		if (sigaction(tmp_signals[i], &sa, &old) == 0 && old.sa_handler == SIG_IGN)
			sigaction(tmp_signals[i], &old, NULL); /* nohup stays nohup */
	}
}

/* Blocks (or unblocks) the three signals around creating and registering. */
static void block_signals(int block, sigset_t *saved)
{
	sigset_t set;
	size_t i;
	if (!block) {
		sigprocmask(SIG_SETMASK, saved, NULL);
		return;
	}
	sigemptyset(&set);
	for (i = 0; i < sizeof tmp_signals / sizeof *tmp_signals; i++)
		sigaddset(&set, tmp_signals[i]);
	sigprocmask(SIG_BLOCK, &set, saved);
}

static int tmp_register(char *path)
{
	int i;
	install_handlers();
	for (i = 0; i < TMP_SLOTS; i++) {
		char *expect = NULL;
		if (atomic_compare_exchange_strong(&tmp_slots[i], &expect, path))
			return 0;
	}
	return -1;
}

static void tmp_forget(const char *path)
{
	int i;
	for (i = 0; path && i < TMP_SLOTS; i++)
		if (atomic_load(&tmp_slots[i]) == path)
			atomic_store(&tmp_slots[i], NULL);
}

/* mkstemp on tmpl (malloc'd, ends in XXXXXX), registered before any signal
 * can see it unregistered. Returns the descriptor or -1 (tmpl untouched on
 * disk). */
static int tmp_make(char *tmpl)
{
	sigset_t saved;
	int fd, bad;
	block_signals(1, &saved);
	fd = mkstemp(tmpl);
	bad = fd >= 0 && tmp_register(tmpl) < 0;
	if (bad) {
		close(fd);
		unlink(tmpl);
		fd = -1;
		errno = EMFILE;
	}
	block_signals(0, &saved);
	return fd;
}

int qj_tmp_create(qj_ctx *ctx, const char *dir, const char *prefix, char **path)
{
	const char *env = getenv("TMPDIR");
	size_t n;
	char *tmpl;
	int fd;
	if (!dir)
		dir = env && *env ? env : "/tmp";
	n = strlen(dir) + strlen(prefix) + 10;
	*path = NULL;
	tmpl = qj_malloc(ctx, n);
	if (!tmpl)
		return -1;
	snprintf(tmpl, n, "%s/%s-XXXXXX", dir, prefix);
	fd = tmp_make(tmpl);
	if (fd < 0) {
		qj_error(ctx, dir, 0, "cannot create a temporary file: %s", strerror(errno));
		qj_free(ctx, tmpl);
		return -1;
	}
	*path = tmpl;
	return fd;
}

void qj_tmp_remove(qj_ctx *ctx, char *path)
{
	struct stat st;
	if (!path)
		return;
	/* read back (signing reads the unsigned PDF) it was an input: its
	 * inode is free for the next temporary, which is not one */
	if (stat(path, &st) == 0)
		qj_ctx_forget_input(ctx, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	unlink(path);
	tmp_forget(path);
	qj_free(ctx, path);
}

/* ---- inputs ---------------------------------------------------------- */

/* What a file that is not regular is, for messages. */
static const char *file_type(mode_t m)
{
	if (S_ISDIR(m)) return "a directory";
	if (S_ISFIFO(m)) return "a FIFO";
	if (S_ISCHR(m)) return "a character device";
	if (S_ISBLK(m)) return "a block device";
	if (S_ISSOCK(m)) return "a socket";
	if (S_ISLNK(m)) return "a symbolic link";
	return "not a plain file";
}

static size_t kind_limit(qj_ctx *ctx, qj_file_kind kind, const char **what)
{
	qj_limits *l = qj_ctx_limits(ctx);
	switch (kind) {
	case QJ_FILE_TEMPLATE: *what = "a template or schema"; return l->max_template_bytes;
	case QJ_FILE_FONT: *what = "a font face"; return l->max_font_bytes;
	case QJ_FILE_IMAGE: *what = "an image"; return l->max_image_bytes;
	default: *what = "a data file"; return l->max_file_bytes;
	}
}

/* An input's diagnostic: "PATH: error: MSG", or "WHERE:LINE: error: PATH:
 * MSG" when the input was named at a place (a template line, fonts.xml). */
static void in_error(qj_ctx *ctx, const char *path, const char *where, int line,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void in_error(qj_ctx *ctx, const char *path, const char *where, int line,
		     const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (where)
		qj_error(ctx, where, line, "%s: %s", path, msg);
	else
		qj_error(ctx, path, 0, "%s", msg);
}

/* Reads exactly size bytes of fd into a new buffer; a file that grew or
 * shrank while being read is refused. */
static char *read_fd(qj_ctx *ctx, const char *path, const char *where, int line,
		     int fd, size_t size)
{
	char *d = qj_malloc(ctx, size + 1);
	size_t got = 0;
	ssize_t n;
	if (!d)
		return NULL;
	while (got <= size) {
		n = read(fd, d + got, size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			in_error(ctx, path, where, line, "cannot read: %s", strerror(errno));
			qj_free(ctx, d);
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != size) {
		in_error(ctx, path, where, line, "changed while being read");
		qj_free(ctx, d);
		return NULL;
	}
	d[size] = 0;
	return d;
}

char *qj_file_load(qj_ctx *ctx, const char *path, qj_file_kind kind, size_t *len)
{
	return qj_file_load_at(ctx, path, kind, NULL, 0, len);
}

/* The checks every input goes through, on an open descriptor: regular
 * file, size limit of the kind, remembered as an input of the run. */
static int open_input(qj_ctx *ctx, const char *path, qj_file_kind kind,
		      const char *where, int line, size_t *size)
{
	const char *what;
	size_t max = kind_limit(ctx, kind, &what);
	struct stat st;
	int fd;

	/* refused before it is even opened when it is plainly not a file */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		in_error(ctx, path, where, line, "not a regular file (%s)", file_type(st.st_mode));
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		in_error(ctx, path, where, line, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* what was opened decides: the path may have changed since stat */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		in_error(ctx, path, where, line, "not a regular file (%s)", file_type(st.st_mode));
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		in_error(ctx, path, where, line, "file is %lld bytes, over the limit of %zu for %s",
			 (long long)st.st_size, max, what);
		close(fd);
		return -1;
	}
	if (qj_ctx_note_input(ctx, (unsigned long long)st.st_dev,
			      (unsigned long long)st.st_ino, path) < 0) {
		close(fd);
		in_error(ctx, path, where, line, "out of memory");
		return -1;
	}
	*size = (size_t)st.st_size;
	return fd;
}

int qj_file_open(qj_ctx *ctx, const char *path, qj_file_kind kind, size_t *size)
{
	size_t n = 0;
	int fd = open_input(ctx, path, kind, NULL, 0, &n);
	if (fd >= 0 && size)
		*size = n;
	return fd;
}

char *qj_file_load_at(qj_ctx *ctx, const char *path, qj_file_kind kind,
		      const char *where, int line, size_t *len)
{
	size_t size = 0;
	char *d;
	int fd = open_input(ctx, path, kind, where, line, &size);

	if (fd < 0)
		return NULL;
	d = read_fd(ctx, path, where, line, fd, size);
	close(fd);
	if (d && len)
		*len = size;
	return d;
}

char *qj_file_read(qj_ctx *ctx, const char *path, size_t *len)
{
	return qj_file_load(ctx, path, QJ_FILE_DATA, len);
}

/* ---- outputs --------------------------------------------------------- */

/* Whether path may be replaced: absent, or a regular file that is no input
 * of the run. *st gets the existing file (st_nlink 0 when absent). */
static int target_ok(qj_ctx *ctx, const char *path, struct stat *st)
{
	const char *in;
	if (lstat(path, st) < 0) {
		if (errno == ENOENT) {
			memset(st, 0, sizeof *st);
			return 0;
		}
		qj_error(ctx, path, 0, "cannot write: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		qj_error(ctx, path, 0, "refusing to write over %s", file_type(st->st_mode));
		return -1;
	}
	in = qj_ctx_input_at(ctx, (unsigned long long)st->st_dev,
			     (unsigned long long)st->st_ino);
	if (in) {
		qj_error(ctx, path, 0, "refusing to write over an input (%s)", in);
		return -1;
	}
	return 0;
}

int qj_out_open(qj_ctx *ctx, qj_out *o, const char *path)
{
	struct stat st;
	size_t n = strlen(path) + 16;
	int fd;

	memset(o, 0, sizeof *o);
	if (target_ok(ctx, path, &st) < 0)
		return -1;
	o->path = qj_strdup(ctx, path);
	o->tmp = qj_malloc(ctx, n);
	if (!o->path || !o->tmp) {
		qj_out_abort(ctx, o);
		return -1;
	}
	snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
	fd = tmp_make(o->tmp);
	if (fd < 0 && errno == ENOENT) {
		/* the usual mistake: out/x.pdf before out/ was made */
		const char *slash = strrchr(path, '/');
		qj_error(ctx, path, 0, "cannot write: the directory '%.*s' does not exist",
			 slash ? (int)(slash - path) : 1, slash ? path : ".");
		qj_free(ctx, o->tmp);
		o->tmp = NULL;
		qj_out_abort(ctx, o);
		return -1;
	}
	if (fd < 0) {
		qj_error(ctx, path, 0, "cannot create a temporary file: %s", strerror(errno));
		qj_free(ctx, o->tmp);
		o->tmp = NULL;
		qj_out_abort(ctx, o);
		return -1;
	}
	/* mkstemp makes 0600: an existing file keeps its mode and (where we
	 * may) its owner, a new one gets the usual mode */
	if (st.st_nlink) {
		if (fchown(fd, st.st_uid, st.st_gid) < 0) {
			/* not ours to give away: the mode still holds */
		}
		if (fchmod(fd, st.st_mode & 07777) < 0) {
			/* keep 0600: stricter, never looser */
		}
	} else {
		mode_t um = umask(0);
		umask(um);
		if (fchmod(fd, 0666 & ~um) < 0) {
			/* keep 0600 rather than fail the document */
		}
	}
	o->fp = fdopen(fd, "wb");
	if (!o->fp) {
		close(fd);
		qj_error(ctx, path, 0, "cannot write: %s", strerror(errno));
		qj_out_abort(ctx, o);
		return -1;
	}
	return 0;
}

int qj_out_commit(qj_ctx *ctx, qj_out *o)
{
	struct stat st;
	int bad = 0, err = 0;
	if (o->fp) {
		if (fflush(o->fp) != 0 || ferror(o->fp) ||
		    (qj_ctx_out_sync(ctx) && fsync(fileno(o->fp)) != 0))
			bad = 1, err = errno;
		if (fclose(o->fp) != 0 && !bad)
			bad = 1, err = errno;
	}
	o->fp = NULL;
	if (bad) {
		qj_error(ctx, o->path, 0, "cannot write: %s", strerror(err ? err : EIO));
		qj_out_abort(ctx, o);
		return -1;
	}
	/* the target again, just before it is replaced */
	if (target_ok(ctx, o->path, &st) < 0) {
		qj_out_abort(ctx, o);
		return -1;
	}
	if (rename(o->tmp, o->path) < 0) {
		qj_error(ctx, o->path, 0, "cannot write: %s", strerror(errno));
		qj_out_abort(ctx, o);
		return -1;
	}
	tmp_forget(o->tmp);
	qj_free(ctx, o->tmp);
	qj_free(ctx, o->path);
	o->tmp = o->path = NULL;
	return 0;
}

void qj_out_abort(qj_ctx *ctx, qj_out *o)
{
	if (o->fp)
		fclose(o->fp);
	if (o->tmp) {
		unlink(o->tmp);
		tmp_forget(o->tmp);
	}
	qj_free(ctx, o->tmp);
	qj_free(ctx, o->path);
	memset(o, 0, sizeof *o);
}
