/* base: the context passed first to every call (diagnostics, limits,
 * allocator with sticky out-of-memory and fault injection), arenas that hold
 * one document's data and go in one call, and growable string buffers.
 * Nothing here knows about XML, text or PDF. */
#ifndef QJ_BASE_H
#define QJ_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct qj_ctx qj_ctx;
typedef struct qj_arena qj_arena;

/* Explicit limits; every one that is hit is reported as a diagnostic. */
typedef struct qj_limits {
	size_t max_file_bytes; /* largest data file (roster, record, standard, import source) */
	size_t max_template_bytes; /* largest template, schema, catalog, fonts.xml */
	size_t max_font_bytes;  /* largest font face file */
	size_t max_image_bytes; /* largest image file */
	int max_depth;         /* deepest XML element nesting */
	size_t max_string;     /* longest single text value, in bytes */
	int max_pages;         /* most pages one document may have */
	int max_errors;        /* diagnostics after which a stage gives up */
	long max_nodes;        /* most elements and texts a template may write */
	unsigned long max_xpath_ops; /* XPath work of one template expansion */
	size_t max_tmpl_bytes; /* memory of one template expansion (sort keys, node-sets, output) */
} qj_limits;

typedef enum qj_severity { QJ_NOTE, QJ_WARNING, QJ_ERROR } qj_severity;

/* A source location; file is borrowed (usually from the loaded document). */
typedef struct qj_loc {
	const char *file;
	int line;
	int col;
} qj_loc;

/* Creates a context with default limits that prints diagnostics to stderr.
 * Returns NULL only when malloc itself fails. Free with qj_ctx_free. */
qj_ctx *qj_ctx_new(void);
void qj_ctx_free(qj_ctx *ctx);

/* The limits of this context; the caller may change them in place. */
qj_limits *qj_ctx_limits(qj_ctx *ctx);

/* Whether qj_out_commit fsyncs each output before renaming it into place
 * (1, the default). A batch of many files turns it off and syncs their
 * file system once at its end (src/batch/run.c says why that is as safe);
 * every single-document command keeps the default. */
void qj_ctx_set_out_sync(qj_ctx *ctx, int sync);
int qj_ctx_out_sync(const qj_ctx *ctx);

/* A module's cache kept by the context and dropped with it: the text
 * module keeps its ICU break iterators and formatters here, opened once
 * per language for a whole batch, and the code module its compiled
 * fingerprint expressions. NULL until set; setting drops the old. */
enum { QJ_SLOT_TEXT, QJ_SLOT_CODE, QJ_SLOT_COUNT };
void *qj_ctx_slot(qj_ctx *ctx, int slot);
void qj_ctx_set_slot(qj_ctx *ctx, int slot, void *p, void (*drop)(void *));

/* Fault injection for tests: the nth allocation from now (1-based) and all
 * after it fail. n <= 0 turns injection off. */
void qj_ctx_fail_after(qj_ctx *ctx, long n);
/* Number of allocations made through the context so far. */
long qj_ctx_alloc_count(qj_ctx *ctx);

/* Allocation. On failure the context is marked out of memory (sticky), an
 * error diagnostic is recorded once, and every later call fails at once. */
void *qj_malloc(qj_ctx *ctx, size_t n);
void *qj_calloc(qj_ctx *ctx, size_t n, size_t size);
void *qj_realloc(qj_ctx *ctx, void *p, size_t n);
void qj_free(qj_ctx *ctx, void *p);
char *qj_strdup(qj_ctx *ctx, const char *s);
char *qj_strndup(qj_ctx *ctx, const char *s, size_t n);
int qj_ctx_oom(const qj_ctx *ctx);

/* Diagnostics: printed as "FILE:LINE:COL: error: MESSAGE" (":COL" left out
 * when col is 0, "FILE:LINE" when line is 0 too; "qujat: error: MESSAGE"
 * without a file). Each is also kept in the context for tests. */
void qj_diag(qj_ctx *ctx, qj_severity sev, const char *file, int line,
	     int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void qj_vdiag(qj_ctx *ctx, qj_severity sev, const char *file, int line,
	      int col, const char *fmt, va_list ap);
#define qj_error(ctx, file, line, ...) \
	qj_diag((ctx), QJ_ERROR, (file), (line), 0, __VA_ARGS__)
#define qj_warning(ctx, file, line, ...) \
	qj_diag((ctx), QJ_WARNING, (file), (line), 0, __VA_ARGS__)

/* Where diagnostics are printed; NULL prints nothing (tests). The stream is
 * borrowed. */
void qj_diag_set_sink(qj_ctx *ctx, FILE *sink);
int qj_diag_errors(const qj_ctx *ctx);
int qj_diag_warnings(const qj_ctx *ctx);
/* Every diagnostic so far, one per line; lent, valid until the next diag. */
const char *qj_diag_text(const qj_ctx *ctx);
/* Forgets the counted and kept diagnostics (between documents of a batch). */
void qj_diag_reset(qj_ctx *ctx);

/* Arenas: bump allocation in chunks; everything goes with qj_arena_free. */
qj_arena *qj_arena_new(qj_ctx *ctx);
void qj_arena_free(qj_arena *a);
/* Empties a for reuse: everything allocated goes, one chunk is kept (a
 * scratch arena per paragraph without a malloc and free each time). */
void qj_arena_reset(qj_arena *a);
void *qj_arena_alloc(qj_arena *a, size_t n); /* zeroed, 16-aligned */
char *qj_arena_strdup(qj_arena *a, const char *s);
char *qj_arena_strndup(qj_arena *a, const char *s, size_t n);
char *qj_arena_printf(qj_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
qj_ctx *qj_arena_ctx(qj_arena *a);
/* Bytes currently held by the arena (for benchmarks). */
size_t qj_arena_size(const qj_arena *a);

/* Sets of strings as 64-bit hashes, each with the line of its first use
 * (the serials of a roster, the file names they go to): 12 bytes an item
 * in pages of their own, not the context's (so no fault injection), grown
 * in place. Zeroed is empty. Two strings with one hash count as one: at
 * 10^6 items the chance of it is about 3·10^-8. */
typedef struct qj_hset {
	uint64_t *h;
	int *line;
	size_t cap, n;
} qj_hset;

/* Adds s first seen at line: 0 when new, else the line it was first added
 * at (at least 1); -1 when out of memory. */
int qj_hset_add(qj_hset *t, const char *s, int line);
/* The line s was first added at (at least 1), or 0 when it was not. */
int qj_hset_find(const qj_hset *t, const char *s);
int qj_hset_has(const qj_hset *t, const char *s);
void qj_hset_free(qj_hset *t);

/* Growable NUL-terminated byte buffer, allocated through the context. */
typedef struct qj_buf {
	qj_ctx *ctx;
	char *data; /* always NUL-terminated once anything is appended */
	size_t len;
	size_t cap;
} qj_buf;

void qj_buf_init(qj_buf *b, qj_ctx *ctx);
void qj_buf_free(qj_buf *b);
void qj_buf_reset(qj_buf *b);
int qj_buf_append(qj_buf *b, const char *s, size_t n);
int qj_buf_puts(qj_buf *b, const char *s);
int qj_buf_putc(qj_buf *b, char c);
int qj_buf_printf(qj_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns the contents ("" when empty); lent. */
const char *qj_buf_str(const qj_buf *b);

/* UTF-8. qj_utf8_next decodes the character at s (len bytes left) strictly:
 * returns its length, or 0 for an invalid, overlong, surrogate or truncated
 * sequence. qj_utf8_decode is the lenient form for text already checked:
 * a bad byte decodes as U+FFFD of length 1. */
size_t qj_utf8_next(const char *s, size_t len, uint32_t *cp);
size_t qj_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Inputs. The one way a file enters qujat: open(O_RDONLY|O_NONBLOCK|
 * O_CLOEXEC|O_NOCTTY) (so a FIFO never blocks), fstat, refuse anything that
 * is not a regular file ("PATH: error: not a regular file (a FIFO)"), check
 * the size limit of the kind before reading, read through the descriptor.
 * Symbolic links are followed: the fstat of what they lead to decides (a
 * link to /dev/zero is refused before one byte is read). Every file read is
 * remembered (device and inode) so no output can replace it. */
typedef enum qj_file_kind {
	QJ_FILE_DATA,     /* limit max_file_bytes */
	QJ_FILE_TEMPLATE, /* max_template_bytes: templates, schemas, catalogs, fonts.xml */
	QJ_FILE_FONT,     /* max_font_bytes */
	QJ_FILE_IMAGE     /* max_image_bytes */
} qj_file_kind;

/* Reads a whole input (NUL-terminated) of that kind; on failure records
 * "PATH: error: ..." and returns NULL. Caller qj_free()s. */
char *qj_file_load(qj_ctx *ctx, const char *path, qj_file_kind kind, size_t *len);
/* The same for an input named at a place (a template line, a fonts.xml
 * line): diagnostics read "WHERE:LINE: error: PATH: ..." (where NULL is
 * qj_file_load). */
char *qj_file_load_at(qj_ctx *ctx, const char *path, qj_file_kind kind,
		      const char *where, int line, size_t *len);
/* The same checks, for an input read as a stream (a roster of 100,000
 * people): an open descriptor (O_CLOEXEC; the caller closes it) and the
 * file's size in *size (may be NULL), or -1 with a diagnostic. */
int qj_file_open(qj_ctx *ctx, const char *path, qj_file_kind kind, size_t *size);
/* qj_file_load of a data file. */
char *qj_file_read(qj_ctx *ctx, const char *path, size_t *len);

/* The inputs of the run (kept in the context by qj_file_load): the path of
 * the input that is the file dev/ino, or NULL. Lent. */
int qj_ctx_note_input(qj_ctx *ctx, unsigned long long dev, unsigned long long ino,
		      const char *path);
const char *qj_ctx_input_at(const qj_ctx *ctx, unsigned long long dev,
			    unsigned long long ino);
/* Forgets the input at dev/ino (a temporary that was read and is being
 * removed: its inode may come back as the next temporary). */
void qj_ctx_forget_input(qj_ctx *ctx, unsigned long long dev, unsigned long long ino);

/* Atomic output: opens a temporary file next to path. Refuses ("OUT: error:
 * refusing to write over ...") a path that is a symbolic link, a directory,
 * a device, a FIFO or a socket, or the same file as any input of the run.
 * qj_out_commit flushes, syncs (unless qj_ctx_set_out_sync turned that
 * off for a batch), checks the target again and renames into
 * place, keeping an existing file's mode (and owner where it may); qj_out_
 * abort removes the temporary. The temporary is also removed when the process
 * gets SIGINT, SIGTERM or SIGHUP. Nothing is ever left half-written at path. */
typedef struct qj_out {
	char *path;
	char *tmp;
	FILE *fp;
} qj_out;
int qj_out_open(qj_ctx *ctx, qj_out *o, const char *path);
int qj_out_commit(qj_ctx *ctx, qj_out *o);
void qj_out_abort(qj_ctx *ctx, qj_out *o);

/* A temporary file for a library that takes a file name (libharu's fonts):
 * created 0600 in dir, or $TMPDIR (else /tmp) when dir is NULL, named
 * PREFIX-XXXXXX, and registered for removal on SIGINT/SIGTERM/SIGHUP.
 * Returns an open descriptor and sets *path (caller passes it to
 * qj_tmp_remove), or -1 with a diagnostic. */
int qj_tmp_create(qj_ctx *ctx, const char *dir, const char *prefix, char **path);
/* Unlinks a temporary of qj_tmp_create, forgets it and frees path. */
void qj_tmp_remove(qj_ctx *ctx, char *path);

/* The data directory (templates/, standards/, records/, fonts/):
 * $QUJAT_HOME when set and not empty, else QJ_DATADIR as compiled in. Never
 * the current directory. Lent (environment or a constant). */
const char *qj_data_dir(void);
/* The path of rel under the data directory (rel NULL or "": the directory
 * itself), malloc'd; the caller qj_free()s. NULL with a diagnostic naming
 * the directory and QUJAT_HOME when the directory or rel is not there. */
char *qj_data_path(qj_ctx *ctx, const char *rel);

#endif
