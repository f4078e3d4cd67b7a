/* layout: turns the box tree of a document (src/box: the flow vocabulary
 * of templates/README.md, every style resolved) into pages: paragraphs broken by ICU, blocks, lists,
 * tables that split across pages with repeated header rows, images, rules,
 * headers and footers with page numbers, bookmarks. The result is a display
 * list per page, which the PDF stage draws and tests inspect. */
#ifndef QJ_LAYOUT_H
#define QJ_LAYOUT_H

#include <stdio.h>

#include "base/base.h"
#include "box/box.h"
#include "font/font.h"

typedef enum qj_dl_kind { QJ_DL_TEXT, QJ_DL_LINE, QJ_DL_RECT, QJ_DL_IMAGE, QJ_DL_QR } qj_dl_kind;
typedef enum qj_region { QJ_REGION_BODY, QJ_REGION_HEADER, QJ_REGION_FOOTER } qj_region;

/* One drawing operation. Coordinates in points from the page's top-left
 * corner, y growing downwards. TEXT: (x, y) is the start of the baseline,
 * w the measured advance, h the font size. LINE: from (x, y) to (x+w, y+h).
 * RECT: x, y, w, h. IMAGE: the box the image fills. QR: the symbol of
 * text (src/code, level M) in the square x, y, w (= h), 4 modules of it
 * quiet zone, black modules; encoded by whoever draws it (the PDF stage
 * draws a combined batch's from a second thread), so the layout only
 * checked that it fits. The dump shows its rectangles. */
typedef struct qj_dl_item {
	qj_dl_kind kind;
	qj_region region;
	double x, y, w, h;
	int face;            /* TEXT: face id in the document's qj_fonts */
	const char *text;    /* TEXT: UTF-8, arena-owned */
	double stroke;       /* LINE/RECT: stroke width, 0 = none */
	double color[3];     /* text or stroke colour, 0..1 */
	double fill[3];      /* RECT fill */
	int filled;
	const char *image;   /* IMAGE: file path */
	int image_jpeg;
	struct qj_dl_item *next;
} qj_dl_item;

typedef struct qj_page {
	double width, height;
	double area_x, area_y, area_w, area_h; /* inside the margins */
	double body_y, body_h;                 /* body region within the area */
	qj_dl_item *items, *last;
	int nitems;
} qj_page;

typedef struct qj_bookmark {
	int page;  /* 0-based */
	double y;
	int level; /* 1 = top */
	const char *title;
	struct qj_bookmark *next;
} qj_bookmark;

typedef struct qj_dl {
	qj_page **pages;
	int npages;
	qj_bookmark *bookmarks;
	const char *title, *author, *subject, *lang;
	const char *stamp; /* a batch's fingerprint of the data and options (/QujatStamp), or NULL */
} qj_dl;

/* Lays out a document's boxes (root: QJ_BOX_DOCUMENT, from qj_box_build).
 * Everything (display list included) is allocated from arena; root is only
 * read and may be freed once this returns (the display list copies what it
 * needs); fonts is borrowed and records the characters used. All problems are reported; returns NULL when
 * there was an error. */
qj_dl *qj_layout_run(qj_ctx *ctx, qj_arena *arena, const qj_box *root, qj_fonts *fonts);

struct qj_hyphen;
/* As qj_layout_run, with words hyphenated at the points of hyph (the
 * batch's dictionaries, src/text; borrowed, NULL: no hyphenation) where
 * docs/text.md says: justified text, narrow columns, words wider than
 * their line; never in text with hyphenate="no". */
qj_dl *qj_layout_run_hyphen(qj_ctx *ctx, qj_arena *arena, const qj_box *root,
			    qj_fonts *fonts, struct qj_hyphen *hyph);

/* Dumps the display list as text, one item per line (for tests, --dump). */
void qj_layout_dump(const qj_dl *dl, FILE *fp);
/* The two halves of the dump, with page numbers counted on from first
 * (a combined batch dumps each item's pages as they come, and all the
 * bookmark lines at the end). */
void qj_layout_dump_pages(const qj_dl *dl, FILE *fp, int first);
void qj_layout_dump_bookmarks(const qj_dl *dl, FILE *fp, int first);

#endif
