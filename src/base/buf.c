/* buf: growable NUL-terminated byte buffers through the context allocator. */
#include "base.h"

#include <string.h>

void qj_buf_init(qj_buf *b, qj_ctx *ctx)
{
	b->ctx = ctx;
	b->data = NULL;
	b->len = b->cap = 0;
}

void qj_buf_free(qj_buf *b)
{
	qj_free(b->ctx, b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void qj_buf_reset(qj_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

static int grow(qj_buf *b, size_t extra)
{
	size_t cap;
	char *d;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	d = qj_realloc(b->ctx, b->data, cap);
	if (!d)
		return -1;
	b->data = d;
	b->cap = cap;
	return 0;
}

int qj_buf_append(qj_buf *b, const char *s, size_t n)
{
	if (grow(b, n) < 0)
		return -1;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

int qj_buf_puts(qj_buf *b, const char *s) { return qj_buf_append(b, s, strlen(s)); }
int qj_buf_putc(qj_buf *b, char c) { return qj_buf_append(b, &c, 1); }

int qj_buf_printf(qj_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *qj_buf_str(const qj_buf *b) { return b->data ? b->data : ""; }
