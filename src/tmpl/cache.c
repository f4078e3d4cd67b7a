/* cache: what the expansions of one template share over a batch: every
 * XPath expression compiled once (found by its text, and by its address
 * when it is the template's own attribute text), and every attribute value
 * template parsed once, so that expanding one more person does no parsing
 * and no string hashing. */
#include "tmpl/tmpl-imp.h"

#include <stdint.h>
#include <string.h>

static size_t slot_of(const tmpl_map *m, const void *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 32) & (m->cap - 1);
}

void *tmpl_map_get(const tmpl_map *m, const void *key)
{
	size_t j;
	if (!m->cap)
		return NULL;
	for (j = slot_of(m, key); m->key[j]; j = (j + 1) & (m->cap - 1))
		if (m->key[j] == key)
			return m->val[j];
	return NULL;
}

static int map_grow(qj_ctx *ctx, tmpl_map *m)
{
	tmpl_map n = {NULL, NULL, m->cap ? m->cap * 2 : 64, 0};
	size_t i;
	n.key = qj_calloc(ctx, n.cap, sizeof *n.key);
	n.val = qj_calloc(ctx, n.cap, sizeof *n.val);
	if (!n.key || !n.val) {
		qj_free(ctx, n.key);
		qj_free(ctx, n.val);
		return -1;
	}
	for (i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t j = slot_of(&n, m->key[i]);
			while (n.key[j])
				j = (j + 1) & (n.cap - 1);
			n.key[j] = m->key[i];
			n.val[j] = m->val[i];
			n.n++;
		}
	qj_free(ctx, m->key);
	qj_free(ctx, m->val);
	*m = n;
	return 0;
}

int tmpl_map_put(qj_ctx *ctx, tmpl_map *m, const void *key, void *val)
{
	size_t j;
	if ((m->n + 1) * 2 > m->cap && map_grow(ctx, m) < 0)
		return -1;
	for (j = slot_of(m, key); m->key[j]; j = (j + 1) & (m->cap - 1))
		if (m->key[j] == key) {
			m->val[j] = val;
			return 0;
		}
	m->key[j] = key;
	m->val[j] = val;
	m->n++;
	return 0;
}

qj_tmpl_cache *qj_tmpl_cache_new(qj_ctx *ctx)
{
	qj_tmpl_cache *c = qj_calloc(ctx, 1, sizeof *c);
	if (!c)
		return NULL;
	c->ctx = ctx;
	c->exprs = xmlHashCreate(64);
	c->arena = qj_arena_new(ctx);
	if (!c->exprs || !c->arena) {
		qj_tmpl_cache_free(c);
		return NULL;
	}
	return c;
}

static void free_comp(void *payload, const xmlChar *name)
{
	(void)name;
	xmlXPathFreeCompExpr(payload);
}

void qj_tmpl_cache_free(qj_tmpl_cache *c)
{
	if (!c)
		return;
	if (c->xp)
		xmlXPathFreeContext(c->xp);
	if (c->exprs)
		xmlHashFree(c->exprs, free_comp);
	qj_free(c->ctx, c->by_addr.key);
	qj_free(c->ctx, c->by_addr.val);
	qj_free(c->ctx, c->avts.key);
	qj_free(c->ctx, c->avts.val);
	qj_arena_free(c->arena);
	qj_free(c->ctx, c);
}
