/* arena: bump allocation in chunks for one document's nodes, strings, boxes
 * and display list; all of it goes in one qj_arena_free. Large requests get
 * a chunk of their own so a batch does not keep growing. */
#include "base.h"

#include <stdint.h>
#include <string.h>

#define CHUNK 65536

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char mem[];
} chunk;

struct qj_arena {
	qj_ctx *ctx;
	chunk *head;
	size_t total;
};

qj_arena *qj_arena_new(qj_ctx *ctx)
{
	qj_arena *a = qj_calloc(ctx, 1, sizeof *a);
	if (a)
		a->ctx = ctx;
	return a;
}

void qj_arena_free(qj_arena *a)
{
	chunk *c, *n;
	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		qj_free(a->ctx, c);
	}
	qj_free(a->ctx, a);
}

void qj_arena_reset(qj_arena *a)
{
	chunk *c, *n, *keep = NULL;
	for (c = a->head; c; c = n) {
		n = c->next;
		if (!keep && c->cap == CHUNK)
			keep = c;
		else
			qj_free(a->ctx, c);
	}
	a->head = keep;
	a->total = keep ? CHUNK : 0;
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
}

qj_ctx *qj_arena_ctx(qj_arena *a) { return a->ctx; }
size_t qj_arena_size(const qj_arena *a) { return a->total; }

void *qj_arena_alloc(qj_arena *a, size_t n)
{
	chunk *c = a->head;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (need < n)
		return NULL;
	/* A new chunk when the current one is full. */
	if (!c || c->cap - c->used < need) {
		size_t cap = need > CHUNK / 4 ? need : CHUNK;
		chunk *nc = qj_malloc(a->ctx, sizeof *nc + cap);
		if (!nc)
			return NULL;
		nc->used = 0;
		nc->cap = cap;
		a->total += cap;
		if (c && cap != CHUNK) { /* big block: keep the open chunk first */
			nc->next = c->next;
			c->next = nc;
			nc->used = need;
			memset(nc->mem, 0, need);
			return nc->mem;
		}
		nc->next = c;
		a->head = c = nc;
	}
	p = c->mem + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

char *qj_arena_strndup(qj_arena *a, const char *s, size_t n)
{
	char *d = qj_arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

char *qj_arena_strdup(qj_arena *a, const char *s)
{
	return s ? qj_arena_strndup(a, s, strlen(s)) : NULL;
}

char *qj_arena_printf(qj_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *d;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	d = qj_arena_alloc(a, (size_t)n + 1);
	if (!d)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}
