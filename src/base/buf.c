/* buf: growable NUL-terminated byte buffers through the context allocator,
 * and the one UTF-8 decoder every stage uses. */
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
	/* a size no allocation can meet fails here, not in a doubling
	 * that overflows and never ends */
	if (extra > ((size_t)-1 >> 2) - b->len) {
		(void)qj_calloc(b->ctx, (size_t)-1, 2); /* marks the context out of memory */
		return -1;
	}
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
	if (n) /* s may be NULL then (another buffer that failed to grow) */
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

size_t qj_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c;
	uint32_t v;
	size_t k, n;
	if (!len)
		return 0;
	c = u[0];
	n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
	if (n == 0 || n > len)
		return 0;
	v = n == 1 ? c : c & (0x7fu >> n);
	for (k = 1; k < n; k++) {
		if ((u[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (u[k] & 0x3fu);
	}
	if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) ||
	    (n == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

size_t qj_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	size_t n;
	if (!len) {
		*cp = 0;
		return 0;
	}
	n = qj_utf8_next(s, len, cp);
	if (n)
		return n;
	*cp = 0xFFFD;
	return 1;
}
