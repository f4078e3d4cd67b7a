/* ctx: the context every call takes first: limits, the allocator with sticky
 * out-of-memory and fault injection, and diagnostics that are both printed
 * and kept for tests. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

struct qj_ctx {
	qj_limits limits;
	long allocs;
	long fail_at; /* 0 = never */
	int oom;
	int errors;
	int warnings;
	FILE *sink;
	char *text; /* kept diagnostics, plain malloc: must survive OOM */
	size_t text_len;
	struct input_id {
		unsigned long long dev, ino;
		char *path;
	} *inputs; /* every file read (file.c), plain malloc like text */
	size_t ninputs;
	int out_nosync;                        /* qj_out_commit without fsync (a batch) */
	void *slots[QJ_SLOT_COUNT];            /* modules' caches */
	void (*slot_free[QJ_SLOT_COUNT])(void *);
};

qj_ctx *qj_ctx_new(void)
{
	qj_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->limits.max_file_bytes = 64u << 20;
	ctx->limits.max_template_bytes = 8u << 20;
	ctx->limits.max_font_bytes = 32u << 20;
	ctx->limits.max_image_bytes = 16u << 20;
	ctx->limits.max_depth = 64;
	ctx->limits.max_string = 1u << 20;
	ctx->limits.max_pages = 100000;
	ctx->limits.max_errors = 200;
	ctx->limits.max_nodes = 5000000;
	ctx->limits.max_xpath_ops = 200000000;
	ctx->limits.max_tmpl_bytes = (size_t)256 << 20;
	ctx->sink = stderr;
	return ctx;
}

void qj_ctx_free(qj_ctx *ctx)
{
	size_t i;
	if (!ctx)
		return;
	for (i = 0; i < QJ_SLOT_COUNT; i++)
		if (ctx->slots[i] && ctx->slot_free[i])
			ctx->slot_free[i](ctx->slots[i]);
	for (i = 0; i < ctx->ninputs; i++)
		free(ctx->inputs[i].path);
	free(ctx->inputs);
	free(ctx->text);
	free(ctx);
}

qj_limits *qj_ctx_limits(qj_ctx *ctx) { return &ctx->limits; }

void qj_ctx_set_out_sync(qj_ctx *ctx, int sync) { ctx->out_nosync = !sync; }
int qj_ctx_out_sync(const qj_ctx *ctx) { return !ctx->out_nosync; }

void *qj_ctx_slot(qj_ctx *ctx, int slot)
{
	return slot >= 0 && slot < QJ_SLOT_COUNT ? ctx->slots[slot] : NULL;
}

void qj_ctx_set_slot(qj_ctx *ctx, int slot, void *p, void (*drop)(void *))
{
	if (slot < 0 || slot >= QJ_SLOT_COUNT)
		return;
	if (ctx->slots[slot] && ctx->slot_free[slot])
		ctx->slot_free[slot](ctx->slots[slot]);
	ctx->slots[slot] = p;
	ctx->slot_free[slot] = drop;
}

void qj_ctx_fail_after(qj_ctx *ctx, long n)
{
	ctx->fail_at = n > 0 ? ctx->allocs + n : 0;
	if (n <= 0)
		ctx->oom = 0;
}

long qj_ctx_alloc_count(qj_ctx *ctx) { return ctx->allocs; }
int qj_ctx_oom(const qj_ctx *ctx) { return ctx->oom; }

/* Marks the context out of memory once, with one diagnostic. */
static void *mark_oom(qj_ctx *ctx)
{
	if (!ctx->oom) {
		ctx->oom = 1;
		qj_diag(ctx, QJ_ERROR, NULL, 0, 0, "out of memory");
	}
	return NULL;
}

static int may_alloc(qj_ctx *ctx)
{
	if (ctx->oom)
		return 0;
	ctx->allocs++;
	if (ctx->fail_at && ctx->allocs >= ctx->fail_at)
		return 0;
	return 1;
}

void *qj_malloc(qj_ctx *ctx, size_t n)
{
	void *p;
	if (!may_alloc(ctx))
		return mark_oom(ctx);
	p = malloc(n ? n : 1);
	return p ? p : mark_oom(ctx);
}

void *qj_calloc(qj_ctx *ctx, size_t n, size_t size)
{
	void *p;
	if (size && n > (size_t)-1 / size)
		return mark_oom(ctx);
	if (!may_alloc(ctx))
		return mark_oom(ctx);
	p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : mark_oom(ctx);
}

void *qj_realloc(qj_ctx *ctx, void *p, size_t n)
{
	void *q;
	if (!may_alloc(ctx))
		return mark_oom(ctx);
	q = realloc(p, n ? n : 1);
	return q ? q : mark_oom(ctx);
}

void qj_free(qj_ctx *ctx, void *p)
{
	(void)ctx;
	free(p);
}

char *qj_strndup(qj_ctx *ctx, const char *s, size_t n)
{
	char *d = qj_malloc(ctx, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

char *qj_strdup(qj_ctx *ctx, const char *s)
{
	return s ? qj_strndup(ctx, s, strlen(s)) : NULL;
}

/* Appends one finished line to the kept text (best effort, plain malloc). */
static void keep_line(qj_ctx *ctx, const char *line, size_t n)
{
	char *t = realloc(ctx->text, ctx->text_len + n + 2);
	if (!t)
		return;
	memcpy(t + ctx->text_len, line, n);
	t[ctx->text_len + n] = '\n';
	ctx->text_len += n + 1;
	t[ctx->text_len] = 0;
	ctx->text = t;
}

void qj_vdiag(qj_ctx *ctx, qj_severity sev, const char *file, int line,
	      int col, const char *fmt, va_list ap)
{
	static const char *names[] = {"note", "warning", "error"};
	char head[1024], msg[2048], all[3200];
	int n;

	if (file && line > 0 && col > 0)
		snprintf(head, sizeof head, "%s:%d:%d", file, line, col);
	else if (file && line > 0)
		snprintf(head, sizeof head, "%s:%d", file, line);
	else if (file)
		snprintf(head, sizeof head, "%s", file);
	else
		snprintf(head, sizeof head, "qujat");
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = snprintf(all, sizeof all, "%s: %s: %s", head, names[sev], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof all)
		n = sizeof all - 1;
	if (sev == QJ_ERROR)
		ctx->errors++;
	else if (sev == QJ_WARNING)
		ctx->warnings++;
	if (ctx->sink)
		fprintf(ctx->sink, "%s\n", all);
	keep_line(ctx, all, (size_t)n);
}

void qj_diag(qj_ctx *ctx, qj_severity sev, const char *file, int line,
	     int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qj_vdiag(ctx, sev, file, line, col, fmt, ap);
	va_end(ap);
}

int qj_ctx_note_input(qj_ctx *ctx, unsigned long long dev, unsigned long long ino,
		      const char *path)
{
	struct input_id *n;
	if (qj_ctx_input_at(ctx, dev, ino))
		return 0;
	n = realloc(ctx->inputs, (ctx->ninputs + 1) * sizeof *n);
	if (!n)
		return -1;
	ctx->inputs = n;
	n[ctx->ninputs].dev = dev;
	n[ctx->ninputs].ino = ino;
	n[ctx->ninputs].path = strdup(path);
	if (!n[ctx->ninputs].path)
		return -1;
	ctx->ninputs++;
	return 0;
}

void qj_ctx_forget_input(qj_ctx *ctx, unsigned long long dev, unsigned long long ino)
{
	size_t i;
	for (i = 0; i < ctx->ninputs; i++)
		if (ctx->inputs[i].dev == dev && ctx->inputs[i].ino == ino) {
			free(ctx->inputs[i].path);
			ctx->inputs[i] = ctx->inputs[--ctx->ninputs];
			return;
		}
}

const char *qj_ctx_input_at(const qj_ctx *ctx, unsigned long long dev,
			    unsigned long long ino)
{
	size_t i;
	for (i = 0; i < ctx->ninputs; i++)
		if (ctx->inputs[i].dev == dev && ctx->inputs[i].ino == ino)
			return ctx->inputs[i].path;
	return NULL;
}

void qj_diag_set_sink(qj_ctx *ctx, FILE *sink) { ctx->sink = sink; }
int qj_diag_errors(const qj_ctx *ctx) { return ctx->errors; }
int qj_diag_warnings(const qj_ctx *ctx) { return ctx->warnings; }
const char *qj_diag_text(const qj_ctx *ctx) { return ctx->text ? ctx->text : ""; }

void qj_diag_reset(qj_ctx *ctx)
{
	ctx->errors = ctx->warnings = 0;
	free(ctx->text);
	ctx->text = NULL;
	ctx->text_len = 0;
}
