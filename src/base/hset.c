/* hset: sets of strings kept as 64-bit hashes, each with the line of its
 * first use (the keys of a roster of 100,000 people, the file names they
 * are written to). */
#define _GNU_SOURCE /* mremap */
#include "base/base.h"

#include <string.h>
#include <sys/mman.h>

/* Open addressing over FNV-1a hashes with the line of the first use: 12
 * bytes per item and up to 80% full (15 bytes an item), the only state
 * that grows with the roster. Two different keys with the same 64-bit
 * hash would be taken for duplicates; at 10^6 items the chance is about
 * 3·10^-8.
 *
 * The arrays are mapped pages, not malloc's, and grow in place: mremap
 * moves pages without copying them and the items are rehashed where they
 * are. A table grown by copying held the old and the new table at once
 * (a third more than the table at 100,000 people), and malloc kept the
 * freed ones; a national roster in per-file mode would then cost a worker
 * 2.3 MiB over its 21, where now it costs the table alone. */
#define HSET_OLD (1ULL << 63) /* set on the items not yet rehashed */

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h &= ~HSET_OLD; /* the top bit marks an item while the table grows */
	return h ? h : 1;
}

void qj_hset_free(qj_hset *t)
{
	if (t->cap) {
		munmap(t->h, t->cap * sizeof *t->h);
		munmap(t->line, t->cap * sizeof *t->line);
	}
	memset(t, 0, sizeof *t);
}

/* Maps or grows one array from old to cap items (new pages read as zero). */
static void *hset_map(void *p, size_t old, size_t cap, size_t size)
{
	void *q = old ? mremap(p, old * size, cap * size, MREMAP_MAYMOVE)
		      : mmap(NULL, cap * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return q == MAP_FAILED ? NULL : q;
}

/* Doubles the table in place. Every item is first marked old; then each
 * old one is taken out and put at the first slot from its home that is
 * empty or old, and an old item found there is taken out in turn. Items
 * placed are never moved again and only ever step over placed ones, so
 * each one's probe from its home runs over occupied slots, as a lookup
 * needs. */
static int hset_grow(qj_hset *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024, i, j;
	uint64_t *h = hset_map(t->h, t->cap, cap, sizeof *h);
	int *line;
	if (!h)
		return -1;
	t->h = h;
	if (!(line = hset_map(t->line, t->cap, cap, sizeof *line))) {
		/* the hashes are grown already, the lines not: shrink them back
		 * (in place: shrinking never moves a mapping) */
		if (t->cap)
			mremap(h, cap * sizeof *h, t->cap * sizeof *h, 0);
		else
			munmap(h, cap * sizeof *h), t->h = NULL;
		return -1;
	}
	t->line = line;
	for (i = 0; i < t->cap; i++)
		if (h[i])
			h[i] |= HSET_OLD;
	for (i = 0; i < t->cap; i++) {
		uint64_t v = h[i];
		int l = line[i];
		if (!(v & HSET_OLD))
			continue;
		h[i] = 0;
		while (v) {
			v &= ~HSET_OLD;
			for (j = v & (cap - 1); h[j] && !(h[j] & HSET_OLD); j = (j + 1) & (cap - 1))
				;
			uint64_t ov = h[j];
			int ol = line[j];
			h[j] = v;
			line[j] = l;
			v = ov; /* an old item taken out, or 0 */
			l = ol;
		}
	}
	t->cap = cap;
	return 0;
}

/* Adds s first seen at line: 0 when new, else the first line (-1 is out
 * of memory). */
int qj_hset_add(qj_hset *t, const char *s, int line)
{
	uint64_t h = fnv(s);
	size_t j;
	if ((t->n + 1) * 5 > t->cap * 4 && hset_grow(t) < 0)
		return -1;
	for (j = h & (t->cap - 1); t->h[j]; j = (j + 1) & (t->cap - 1))
		if (t->h[j] == h)
			return t->line[j] > 0 ? t->line[j] : 1;
	t->h[j] = h;
	t->line[j] = line;
	t->n++;
	return 0;
}

/* The line s was first seen at (at least 1), or 0 when it was not. */
int qj_hset_find(const qj_hset *t, const char *s)
{
	uint64_t h = fnv(s);
	size_t j;
	for (j = t->cap ? h & (t->cap - 1) : 0; t->cap && t->h[j]; j = (j + 1) & (t->cap - 1))
		if (t->h[j] == h)
			return t->line[j] > 0 ? t->line[j] : 1;
	return 0;
}

int qj_hset_has(const qj_hset *t, const char *s)
{
	return qj_hset_find(t, s) != 0;
}
