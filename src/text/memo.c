/* memo: results of the text services kept for a batch, keyed by their
 * arguments. Most of a certificate reads the same on every page (the
 * labels, the programme, the dates, the hours), so typography, a date in a
 * language and a plural form are made once and copied after that, for any
 * template. Bounded: past MEMO_MAX_BYTES or half its slots the memo starts
 * empty again, so memory does not grow with the number of documents. */
#include "text/text_imp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 4096 /* a power of two */
#define MEMO_MAX_BYTES ((size_t)4 << 20)

typedef struct memo_entry {
	uint64_t h;    /* 0: empty */
	size_t klen, vlen;
	char *kv;      /* the key, then the value and a NUL */
} memo_entry;

struct qj_text_memo {
	memo_entry slot[MEMO_SLOTS];
	size_t n, bytes;
};

static uint64_t memo_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return h ? h : 1;
}

static void memo_clear(qj_text_memo *m)
{
	size_t i;
	for (i = 0; i < MEMO_SLOTS; i++)
		free(m->slot[i].kv);
	memset(m, 0, sizeof *m);
}

qj_text_memo *qj_text_memo_new(void)
{
	return calloc(1, sizeof(qj_text_memo));
}

void qj_text_memo_free(qj_text_memo *m)
{
	if (!m)
		return;
	memo_clear(m);
	free(m);
}

/* The slot of key: the one holding it, or the empty one it would go in. */
static memo_entry *memo_find(qj_text_memo *m, const char *key, size_t klen, uint64_t h)
{
	size_t j;
	for (j = h & (MEMO_SLOTS - 1); m->slot[j].h; j = (j + 1) & (MEMO_SLOTS - 1))
		if (m->slot[j].h == h && m->slot[j].klen == klen && !memcmp(m->slot[j].kv, key, klen))
			break;
	return &m->slot[j];
}

const char *qj_text_memo_get(qj_ctx *ctx, const char *key, size_t klen, size_t *vlen)
{
	qj_text_memo *m = qj_text_memo_of(ctx);
	memo_entry *e;
	if (!m)
		return NULL;
	e = memo_find(m, key, klen, memo_hash(key, klen));
	if (!e->h)
		return NULL;
	*vlen = e->vlen;
	return e->kv + klen;
}

void qj_text_memo_put(qj_ctx *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
	qj_text_memo *m = qj_text_memo_of(ctx);
	uint64_t h = memo_hash(key, klen);
	memo_entry *e;
	char *kv;
	if (!m || klen + vlen > MEMO_MAX_BYTES / 16)
		return;
	if ((m->n + 1) * 2 > MEMO_SLOTS || m->bytes + klen + vlen > MEMO_MAX_BYTES)
		memo_clear(m);
	e = memo_find(m, key, klen, h);
	if (e->h || !(kv = malloc(klen + vlen + 1)))
		return; /* kept already, or no room: made again next time */
	memcpy(kv, key, klen);
	if (vlen)
		memcpy(kv + klen, val, vlen);
	kv[klen + vlen] = 0;
	e->h = h;
	e->klen = klen;
	e->vlen = vlen;
	e->kv = kv;
	m->n++;
	m->bytes += klen + vlen;
}
