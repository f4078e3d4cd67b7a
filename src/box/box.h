/* box: the expanded document as a tree of typed boxes (document, page
 * masters and their header/footer, page sequences, blocks, paragraphs of
 * inline runs, lists and items, tables, rows and cells, images, rules,
 * spaces, page breaks, empty framed boxes) with every style resolved to numbers and enums and a
 * source location per box. Built once from the flow (src/box/build.c, the
 * only reader of the flow's XML); layout reads nothing else. */
#ifndef QJ_BOX_H
#define QJ_BOX_H

#include "base/base.h"
#include "box/vocab.h"

typedef enum qj_box_kind {
	QJ_BOX_DOCUMENT, QJ_BOX_PAGE_MASTER, QJ_BOX_REGION, QJ_BOX_PAGE_SEQUENCE,
	QJ_BOX_BLOCK, QJ_BOX_PARAGRAPH, QJ_BOX_TEXT, QJ_BOX_SPAN, QJ_BOX_BR,
	QJ_BOX_PAGE_NUMBER, QJ_BOX_PAGE_COUNT, QJ_BOX_LIST, QJ_BOX_ITEM,
	QJ_BOX_TABLE, QJ_BOX_TABLE_HEADER, QJ_BOX_TABLE_BODY, QJ_BOX_ROW,
	QJ_BOX_CELL, QJ_BOX_IMAGE, QJ_BOX_RULE, QJ_BOX_SPACE, QJ_BOX_PAGE_BREAK,
	QJ_BOX_QR, QJ_BOX_FRAME
} qj_box_kind;

typedef enum qj_align { QJ_ALIGN_LEFT, QJ_ALIGN_CENTER, QJ_ALIGN_RIGHT, QJ_ALIGN_JUSTIFY } qj_align;
/* hyphenate=: auto (justified text and narrow columns), yes (wherever a
 * word does not fit), no (names, codes: never; a word wider than the line is
 * still cut, without a hyphen). */
typedef enum qj_hyphenate { QJ_HYPHENATE_AUTO, QJ_HYPHENATE_YES, QJ_HYPHENATE_NO } qj_hyphenate;
typedef enum qj_list_style { QJ_LIST_DECIMAL, QJ_LIST_BULLET, QJ_LIST_DASH, QJ_LIST_NONE } qj_list_style;

/* The inherited text style, resolved. Boxes that change nothing share
 * their parent's. */
typedef struct qj_style {
	const char *family;
	int bold, italic;
	double size, leading; /* leading: line height as a factor of size */
	qj_align align;
	double color[3];
	const char *lang;
	int widows, orphans;
	qj_hyphenate hyphenate;
	int typography;       /* 1: quotes, dashes and no-break spaces of lang
			       * applied to the text (typography="yes") */
	qj_loc font_at;       /* where family was named; file NULL: nowhere */
} qj_style;

typedef struct qj_page_master {
	const char *name;     /* NULL: unnamed */
	double width, height;
	double mt, mr, mb, ml;
	double header_h, footer_h;
	int framed;           /* border= given: a frame around the area */
	double frame, frame_color[3];
	const struct qj_box *header, *footer; /* QJ_BOX_REGION or NULL */
} qj_page_master;

typedef struct qj_block {
	qj_len space_before, space_after, indent, indent_right, padding;
	qj_len border, border_top, border_bottom, border_left, border_right;
	double border_color[3];
	int shaded;
	double shade[3];
	int keep_together, keep_with_next, break_before;
	const char *bookmark; /* NULL: none */
	int bookmark_level;
} qj_block;

typedef struct qj_list {
	qj_list_style style;
	long start;
	qj_len label_width, item_space, space_before, space_after;
} qj_list;

typedef struct qj_table {
	const qj_widths *widths; /* NULL: equal columns */
	qj_len border, padding, space_before, space_after;
	double border_color[3];
} qj_table;

typedef struct qj_row {
	int keep_together, keep_with_next;
} qj_row;

typedef struct qj_cell {
	int span;
	int shaded;           /* the cell's shading, else its row's */
	double shade[3];
} qj_cell;

typedef struct qj_image_box {
	const char *src;
	qj_len width, height;
	qj_align align;
} qj_image_box;

/* A QR code (level M) of data, size wide with its quiet zone. */
typedef struct qj_qr_box {
	const char *data;
	qj_len size;
	qj_align align;
} qj_qr_box;

/* <box>: an empty box with a border (a tick box), width x height. */
typedef struct qj_frame_box {
	qj_len width, height, border;
	qj_align align;
	double color[3];      /* its border-color, else the text colour */
} qj_frame_box;

typedef struct qj_rule {
	qj_len thickness, width, space_before, space_after;
	qj_align align;
	double color[3];      /* its own, else the text colour */
} qj_rule;

/* One box. kind says which member of u is in use. */
typedef struct qj_box {
	qj_box_kind kind;
	qj_loc loc;           /* the element in the template */
	qj_loc diag;          /* where diagnostics about it point: the data it
			       * came from (its own or an ancestor's), else loc */
	const qj_style *style;
	struct qj_box *first, *last, *next; /* children, siblings */
	const char *text;     /* TEXT: the text; ITEM: the label or NULL */
	union {
		struct { const char *title, *author, *subject; } doc;
		qj_page_master master;
		/* header, footer: the sequence's own, replacing its master's
		 * contents on its pages (heights stay the master's), or NULL */
		struct { const char *master; const struct qj_box *header, *footer; } seq;
		qj_block block;
		qj_list list;
		qj_table table;
		qj_row row;
		qj_cell cell;
		qj_image_box image;
		qj_rule rule;
		qj_qr_box qr;
		qj_frame_box frame;
		qj_len space;
	} u;
} qj_box;

struct _xmlDoc;

/* Builds the box tree of an expanded document (root <document>), checking
 * every element and attribute against the vocabulary and resolving every
 * style. Boxes and their strings come from arena; nothing points into flow.
 * Each <page-sequence> is freed from flow as soon as its boxes are built
 * (the caller still frees flow itself, at once). All problems are reported;
 * NULL when there was any. */
qj_box *qj_box_build(qj_ctx *ctx, qj_arena *arena, struct _xmlDoc *flow);

#endif
