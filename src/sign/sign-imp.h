/* sign-imp: what the sign module's files share: a small, careful reader of
 * the PDFs libharu 2.3.0 writes (classic cross-reference tables, possibly
 * chained by /Prev; no object or xref streams), enough to find the catalog,
 * the pages, their content streams and signature dictionaries. */
#ifndef QJ_SIGN_IMP_H
#define QJ_SIGN_IMP_H

#include "sign/sign.h"

typedef enum pv_kind {
	PV_NULL, PV_BOOL, PV_NUM, PV_NAME, PV_STR, PV_ARRAY, PV_DICT, PV_REF
} pv_kind;

/* A parsed value. Names and strings are decoded (s, len, NUL-terminated);
 * start/end are its bytes in the file. Arrays: item[0..n); dictionaries:
 * key[i] (names) and item[i]. */
typedef struct pv {
	pv_kind kind;
	double num;
	int ref, gen;
	const char *s;
	size_t len;
	size_t start, end;
	int n;
	const char **key;
	struct pv **item;
} pv;

typedef struct pdfdoc {
	qj_ctx *ctx;
	qj_arena *arena;
	const char *path;
	const char *d;
	size_t len;
	size_t xref;    /* offset of the last cross-reference section */
	pv *trailer;    /* the newest trailer */
	long size;      /* its /Size */
	size_t *off;    /* object offsets by number (0: none) */
	int *gen;
	int depth;
	long visits;    /* page-tree nodes visited */
} pdfdoc;

/* Reads the structure of d (len bytes). On failure records "PATH: error:
 * MESSAGE" and returns -1. Everything lives in arena; d is borrowed. */
int pr_open(pdfdoc *p, qj_ctx *ctx, qj_arena *arena, const char *path,
	    const char *d, size_t len);
/* The value at *pos (moved past it), or NULL. */
pv *pr_value(pdfdoc *p, size_t *pos);
/* Object num's value (the dict of a stream), or NULL; *at gets the offset
 * of "N G obj" when at is not NULL. */
pv *pr_object(pdfdoc *p, int num, size_t *at);
/* v, or the object it refers to. */
pv *pr_resolve(pdfdoc *p, pv *v);
pv *pr_get(pdfdoc *p, pv *dict, const char *key); /* resolved; NULL if absent */
/* Object num's stream, inflated when /FlateDecode. Malloc'd through ctx. */
unsigned char *pr_stream(pdfdoc *p, int num, size_t *len);
/* The leaf page objects in order, in an arena array; count in *n. */
int *pr_pages(pdfdoc *p, int *n);
/* Parses the object that starts at off ("N G obj"); NULL if none. */
pv *pr_object_at(pdfdoc *p, size_t off, int *num);

/* ---- the font of the signature box (sigfont.c) ---- */

typedef struct sig_font sig_font;

#define SIG_FONT_OBJECTS 6

/* A subset of the TrueType font data (len bytes, borrowed for the call)
 * holding the characters of text (UTF-8; those the font lacks become '?').
 * NULL when HarfBuzz cannot subset it or out of memory. */
sig_font *sig_font_new(qj_ctx *ctx, const char *data, size_t len, const char *text);
void sig_font_free(sig_font *f);
/* s (at most max characters) as a hex string of the subset's glyph ids,
 * for Tj with the font. */
void sig_font_show(sig_font *f, qj_buf *b, const char *s, size_t max);
/* The font's SIG_FONT_OBJECTS objects numbered num… (num is the Type0 font
 * a /Font resource names), appended to b, their offsets in b into offs.
 * -1 when out of memory. */
int sig_font_put(sig_font *f, qj_buf *b, int num, size_t offs[SIG_FONT_OBJECTS]);

#endif
