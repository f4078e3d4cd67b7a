/* layout: the entry point and a text dump of the display list for tests. */
#include "layout-imp.h"

#include <stdlib.h>
#include <string.h>

#include "code/code.h"

qj_dl *qj_layout_run(qj_ctx *ctx, qj_arena *arena, const qj_box *root, qj_fonts *fonts)
{
	return qj_layout_run_hyphen(ctx, arena, root, fonts, NULL);
}

qj_dl *qj_layout_run_hyphen(qj_ctx *ctx, qj_arena *arena, const qj_box *root,
			    qj_fonts *fonts, qj_hyphen *hyph)
{
	engine e;
	qj_dl *dl;
	memset(&e, 0, sizeof e);
	e.ctx = ctx;
	e.arena = arena;
	e.fonts = fonts;
	e.hyph = hyph;
	if (!root || root->kind != QJ_BOX_DOCUMENT) {
		qj_error(ctx, NULL, 0, "layout needs a document box");
		return NULL;
	}
	dl = lay_paginate(&e, root);
	lay_warn_summary(&e);
	qj_arena_free(e.para);
	/* an allocation that failed on the way may have cost content */
	return qj_ctx_oom(ctx) ? NULL : dl;
}

/* A QR item as the rectangles it is drawn with (src/pdf). */
static void dump_qr(const qj_dl_item *it, const char *region, FILE *fp)
{
	int n = 0, r, c, run;
	unsigned char *dark = qj_qr_matrix(it->text, &n);
	double m = it->w / (n + 8);
	if (!dark) {
		fprintf(fp, "  qr %s %.2f %.2f %.2f %.2f (not encoded)\n", region, it->x, it->y, it->w,
			it->h);
		return;
	}
	for (r = 0, c = 0; (run = qj_qr_next_run(dark, n, &r, &c)) > 0; c += run)
		fprintf(fp, "  rect %s %.2f %.2f %.2f %.2f\n", region, it->x + (4 + c) * m,
			it->y + (4 + r) * m, run * m, m);
	free(dark);
}

void qj_layout_dump_pages(const qj_dl *dl, FILE *fp, int first)
{
	static const char *kinds[] = {"text", "line", "rect", "image", "qr"};
	static const char *regions[] = {"body", "header", "footer"};
	int i;
	for (i = 0; i < dl->npages; i++) {
		const qj_page *pg = dl->pages[i];
		const qj_dl_item *it;
		fprintf(fp, "page %d %.2f %.2f area %.2f %.2f %.2f %.2f body %.2f %.2f\n",
			first + i + 1, pg->width, pg->height, pg->area_x, pg->area_y,
			pg->area_w, pg->area_h, pg->body_y, pg->body_h);
		for (it = pg->items; it; it = it->next) {
			if (it->kind == QJ_DL_QR) {
				dump_qr(it, regions[it->region], fp);
				continue;
			}
			fprintf(fp, "  %s %s %.2f %.2f %.2f %.2f", kinds[it->kind],
				regions[it->region], it->x, it->y, it->w, it->h);
			if (it->kind == QJ_DL_TEXT)
				fprintf(fp, " f%d \"%s\"", it->face, it->text);
			if (it->kind == QJ_DL_IMAGE)
				fprintf(fp, " %s", it->image);
			fputc('\n', fp);
		}
	}
}

void qj_layout_dump_bookmarks(const qj_dl *dl, FILE *fp, int first)
{
	const qj_bookmark *b;
	for (b = dl->bookmarks; b; b = b->next)
		fprintf(fp, "bookmark %d %d %.2f %s\n", first + b->page + 1, b->level, b->y, b->title);
}

void qj_layout_dump(const qj_dl *dl, FILE *fp)
{
	qj_layout_dump_pages(dl, fp, 0);
	qj_layout_dump_bookmarks(dl, fp, 0);
}
