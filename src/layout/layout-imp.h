/* layout-imp: what the layout files share: slabs (the unbreakable
 * horizontal strips the boxes are cut into before pagination) and the engine
 * state. Styles come resolved in the boxes (box/box.h). */
#ifndef QJ_LAYOUT_IMP_H
#define QJ_LAYOUT_IMP_H

#include "layout/layout.h"
#include "text/text.h"

typedef qj_style style;

/* Decorations of an open block, repeated on every slab inside it. */
typedef struct deco {
	double x, w;
	double bl, br, bt, bb; /* border widths */
	double bcolor[3];
	int shaded;
	double shade[3];
	struct deco *up;
} deco;

struct table;

/* A bookmark of a block drawn inside a table row (lay_row_split copies the
 * cells' slabs into a piece, so their own bookmarks would go with them):
 * y from the top of the piece. */
typedef struct slab_mark {
	const char *title;
	int level;
	double y;
	struct slab_mark *next;
} slab_mark;

typedef struct slab {
	double h;
	double baseline;      /* first text baseline from the top, or -1 */
	qj_dl_item *items;    /* y relative to the slab top */
	qj_dl_item *tail;     /* one of items at or before the last (lay_item_add
			       * appends from it), or NULL: the start */
	int keep_next;        /* no page break between this and the next slab */
	int break_before;
	int fixed;            /* an explicit <space>, kept at a page top */
	const char *bookmark;
	int bookmark_level;
	slab_mark *marks;     /* the bookmarks of the blocks in a row piece's
			       * cells, cell by cell, each from the top;
			       * placed after bookmark */
	struct table *table;  /* the table this slab belongs to */
	int header;           /* a header row of that table */
	struct row *row;      /* a row that may still be split */
	struct slab *next;
} slab;

typedef struct slab_list {
	slab *first, *last;
} slab_list;

/* A table row kept splittable: per cell, its slabs not yet placed. */
typedef struct row {
	int ncells;
	slab **cells;       /* remaining slabs of each cell */
	double *cx, *cw;    /* cell boxes */
	double pad;
	double border;
	double bcolor[3];
	int keep;           /* keep-together: split only when taller than a page */
} row;

typedef struct table {
	slab_list header;
} table;

typedef struct engine {
	qj_ctx *ctx;
	qj_arena *arena;         /* the display list: lives with the document */
	qj_arena *work;          /* slabs and scratch of one sequence or region */
	qj_arena *para;          /* scratch of one paragraph (para.c), reset for the next */
	int para_busy;           /* para is in use: a paragraph inside one gets its own */
	qj_fonts *fonts;
	qj_hyphen *hyph;         /* the batch's dictionaries, or NULL: none */
	qj_region region;
	int page_no, page_count; /* for header/footer text */
	deco *deco;
	double body_h;           /* body height of the current master */
	int errors;
	const char *bad_font;    /* last unknown family reported */
	struct warned *warned;   /* characters reported (para.c), a hash */
	int nwarned, capwarned;
	long warn_other;         /* occurrences of characters past the table */
} engine;

/* style.c */
double lay_len(qj_len l, double def, double base);
int lay_font_style(engine *e, const style *st, const qj_loc *at);
void lay_diag(engine *e, qj_severity sev, const qj_loc *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void lay_error(engine *e, const qj_loc *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* slab.c */
slab *lay_slab_new(engine *e, slab_list *l, double h);
qj_dl_item *lay_item_add(engine *e, slab *s, qj_dl_kind kind);
void lay_slab_decorate(engine *e, slab *s);
void lay_list_append(slab_list *to, slab_list *from);

/* para.c: the inline boxes from first on (TEXT, SPAN, BR, PAGE_NUMBER,
 * PAGE_COUNT) as one paragraph of style st, lines of width w at x; at is
 * where diagnostics point. */
int lay_inline_run(engine *e, const qj_box *first, const style *st,
		   const qj_loc *at, double x, double w, slab_list *out);
/* The count of the occurrences not reported one by one, per character,
 * after the layout of a document. */
void lay_warn_summary(engine *e);

/* flow.c: the block-level boxes from first on. */
int lay_flow(engine *e, const qj_box *first, double x, double w, slab_list *out);

/* table.c */
int lay_table(engine *e, const qj_box *t, double x, double w, slab_list *out);
slab *lay_row_split(engine *e, slab *s, double avail, slab **rest);

/* qr.c: the <qr> element */
int lay_qr(engine *e, const qj_box *n, double x, double w, slab_list *out);

/* paginate.c */
qj_dl *lay_paginate(engine *e, const qj_box *root);

#endif
