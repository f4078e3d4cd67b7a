/* tmpl-imp: what the files of the template stage share: the cache of one
 * template kept across the expansions of a batch (cache.c), read and
 * filled by the expansion (expand.c). */
#ifndef QJ_TMPL_IMP_H
#define QJ_TMPL_IMP_H

#include "tmpl/tmpl.h"

/* A map from addresses (template nodes, the template's own strings) to
 * values: open addressing, grown by doubling. */
typedef struct tmpl_map {
	const void **key;
	void **val;
	size_t cap, n;
} tmpl_map;

/* The value of key, or NULL. */
void *tmpl_map_get(const tmpl_map *m, const void *key);
/* Sets key to val (val not NULL): 0, or -1 out of memory (nothing kept). */
int tmpl_map_put(qj_ctx *ctx, tmpl_map *m, const void *key, void *val);

/* An attribute value template of the template, parsed once: its literal
 * texts ({{ and }} unescaped) and its {XPath} parts compiled. */
typedef struct avt_part {
	const char *text;          /* a literal text, or NULL for an expression */
	const char *expr;          /* the expression (for messages) */
	xmlXPathCompExprPtr comp;  /* kept by the cache's exprs */
} avt_part;

typedef struct avt_info {
	int literal;       /* no {XPath} part: value is the attribute's value */
	const char *value; /* literal: the text, braces unescaped */
	int nparts;
	avt_part *part;
} avt_info;

/* The template's expressions and attribute value templates (one cache per
 * template: its addresses are keys, so it is freed before or with the
 * template). Strings and infos live in arena. */
struct qj_tmpl_cache {
	qj_ctx *ctx;
	xmlHashTablePtr exprs; /* expression text → xmlXPathCompExprPtr (owned) */
	tmpl_map by_addr;      /* the template's own expression text → the same */
	tmpl_map avts;         /* template attribute (xmlAttr) → avt_info */
	qj_arena *arena;
	/* the XPath context of the expansions, made at the first and lent to
	 * each after it (its functions and namespaces registered once; the
	 * document, the expander, the variables and the operation count are
	 * each expansion's) */
	xmlXPathContextPtr xp;
};

#endif
