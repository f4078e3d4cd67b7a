/* test_layout: assertions on the display list: nothing outside the area, no
 * overlapping lines, no line wider than its box, header rows on each page of
 * a split table, page numbers in footers, long words broken, long values
 * spread over pages, bookmarks. */
#include "qjtest.h"

#include <math.h>

#include "font/font.h"
#include "layout/layout.h"
#include "xml/xml.h"

typedef struct fixture {
	qj_ctx *ctx;
	qj_fonts *fonts;
	qj_arena *arena;
	xmlDocPtr doc;
	qj_box *boxes;
	int built; /* the flow made boxes */
} fixture;

static qj_dl *run(fixture *f, const char *flow)
{
	f->ctx = qj_ctx_new();
	qj_diag_set_sink(f->ctx, NULL);
	qj_xml_init();
	f->fonts = qj_fonts_load(f->ctx, "fonts");
	assert_non_null(f->fonts);
	f->arena = qj_arena_new(f->ctx);
	f->doc = qj_xml_load_memory(f->ctx, "flow.xml", flow, strlen(flow));
	assert_non_null(f->doc);
	/* the boxes hold everything: the flow goes before layout, and the
	 * boxes before the display list is read */
	{
		qj_arena *ba = qj_arena_new(f->ctx);
		qj_dl *dl = NULL;
		f->boxes = qj_box_build(f->ctx, ba, f->doc);
		xmlFreeDoc(f->doc);
		f->doc = NULL;
		if (f->boxes)
			dl = qj_layout_run(f->ctx, f->arena, f->boxes, f->fonts);
		f->built = f->boxes != NULL;
		f->boxes = NULL;
		qj_arena_free(ba);
		return dl;
	}
}

static void done(fixture *f)
{
	xmlFreeDoc(f->doc);
	qj_arena_free(f->arena);
	qj_fonts_free(f->fonts);
	qj_ctx_free(f->ctx);
}

/* Checks the invariants every page must hold. */
static void check_pages(const qj_dl *dl)
{
	int i;
	for (i = 0; i < dl->npages; i++) {
		const qj_page *pg = dl->pages[i];
		const qj_dl_item *a, *b;
		for (a = pg->items; a; a = a->next) {
			double top = a->kind == QJ_DL_TEXT ? a->y - a->h * 0.8 : a->y;
			double bottom = a->kind == QJ_DL_TEXT ? a->y + a->h * 0.25 : a->y + a->h;
			assert_true(a->x >= pg->area_x - 0.01);
			assert_true(a->x + a->w <= pg->area_x + pg->area_w + 0.01);
			assert_true(top >= pg->area_y - 0.01);
			assert_true(bottom <= pg->area_y + pg->area_h + 0.01);
			if (a->kind != QJ_DL_TEXT || a->region != QJ_REGION_BODY)
				continue;
			assert_true(a->y >= pg->body_y && a->y <= pg->body_y + pg->body_h + 0.01);
			/* no two text runs overlap: side by side on one baseline,
			 * or lines far enough apart when they share columns */
			for (b = a->next; b; b = b->next) {
				int cols;
				if (b->kind != QJ_DL_TEXT || b->region != QJ_REGION_BODY)
					continue;
				cols = !(b->x >= a->x + a->w - 0.01 || a->x >= b->x + b->w - 0.01);
				if (b->y == a->y)
					assert_false(cols);
				else if (cols)
					assert_true(fabs(b->y - a->y) >= 0.9 * (a->h < b->h ? a->h : b->h));
			}
		}
	}
}

static int page_has(const qj_page *pg, const char *text, qj_region r)
{
	const qj_dl_item *it;
	for (it = pg->items; it; it = it->next)
		if (it->kind == QJ_DL_TEXT && it->region == r && strstr(it->text, text))
			return 1;
	return 0;
}

#define MASTER "<page-master name='p' size='A5' margin='15mm' footer-height='8mm'>" \
	"<footer><block align='center' size='8pt'><page-number/> / <page-count/></block></footer></page-master>"

static void test_layout__paragraph_lines_fit(void **state)
{
	fixture f;
	char flow[20000];
	qj_dl *dl;
	int i;
	const qj_dl_item *it;
	(void)state;
	strcpy(flow, "<document lang='kk'>" MASTER "<page-sequence master='p'><block align='justify'>");
	for (i = 0; i < 60; i++)
		strcat(flow, "Денсаулық сақтау саласындағы әлеуметтік жұмыскер ");
	strcat(flow, "</block></page-sequence></document>");
	dl = run(&f, flow);
	assert_non_null(dl);
	assert_true(dl->npages >= 2);
	check_pages(dl);
	/* justified: full lines end at the right edge of the area */
	for (it = dl->pages[0]->items; it; it = it->next)
		if (it->kind == QJ_DL_TEXT && it->region == QJ_REGION_BODY && it->next &&
		    it->next->y > it->y && it->next->region == QJ_REGION_BODY) {
			double gap = dl->pages[0]->area_x + dl->pages[0]->area_w - (it->x + it->w);
			assert_true(gap > -0.05 && gap < 0.05);
			break;
		}
	for (i = 0; i < dl->npages; i++) {
		char want[32];
		snprintf(want, sizeof want, "%d / %d", i + 1, dl->npages);
		assert_true(page_has(dl->pages[i], want, QJ_REGION_FOOTER));
	}
	done(&f);
}

static void test_layout__long_word_broken(void **state)
{
	fixture f;
	char flow[8000];
	qj_dl *dl;
	int i, runs = 0;
	const qj_dl_item *it;
	(void)state;
	strcpy(flow, "<document>" MASTER "<page-sequence master='p'><block>");
	for (i = 0; i < 80; i++)
		strcat(flow, "ӘҒҚҢ");
	strcat(flow, "</block></page-sequence></document>");
	dl = run(&f, flow);
	assert_non_null(dl);
	check_pages(dl);
	for (it = dl->pages[0]->items; it; it = it->next)
		runs += it->kind == QJ_DL_TEXT && it->region == QJ_REGION_BODY;
	assert_true(runs >= 3); /* one word, several lines, nothing cut */
	done(&f);
}

static void test_layout__table_header_repeats(void **state)
{
	fixture f;
	static char flow[200000];
	qj_dl *dl;
	int i;
	(void)state;
	strcpy(flow, "<document>" MASTER "<page-sequence master='p'><table widths='10mm 1* 2*'>"
	       "<header><row><cell>№</cell><cell>Бағыт</cell><cell>Іс-шара</cell></row></header>");
	for (i = 0; i < 60; i++) {
		char row[512];
		snprintf(row, sizeof row, "<row><cell>%d</cell><cell>әлеуметтік-тұрмыстық</cell>"
			 "<cell>Үйде күтім көрсету және тамақпен қамтамасыз ету %d</cell></row>", i + 1, i + 1);
		strcat(flow, row);
	}
	/* one row taller than a page: must be split, not lost */
	strcat(flow, "<row><cell>X</cell><cell>ұзын</cell><cell>");
	for (i = 0; i < 400; i++)
		strcat(flow, "мәтін ");
	strcat(flow, "СОҢЫ</cell></row></table></page-sequence></document>");
	dl = run(&f, flow);
	assert_non_null(dl);
	assert_true(dl->npages >= 4);
	check_pages(dl);
	for (i = 0; i < dl->npages; i++)
		assert_true(page_has(dl->pages[i], "Іс-шара", QJ_REGION_BODY));
	assert_true(page_has(dl->pages[dl->npages - 1], "СОҢЫ", QJ_REGION_BODY));
	done(&f);
}

/* Baselines of body text on a page, in order; returns how many. */
static int body_lines(const qj_page *pg, double *ys, int max)
{
	const qj_dl_item *it;
	int n = 0;
	for (it = pg->items; it; it = it->next)
		if (it->kind == QJ_DL_TEXT && it->region == QJ_REGION_BODY &&
		    (n == 0 || ys[n - 1] != it->y) && n < max)
			ys[n++] = it->y;
	return n;
}

static void test_layout__widows_orphans_keeps(void **state)
{
	fixture f;
	static char flow[60000];
	double ys[200];
	qj_dl *dl;
	int i, k, n;
	(void)state;
	/* filler that leaves about one line free, then a heading kept with a
	 * paragraph: the heading must not stay alone at the foot of the page */
	for (k = 0; k < 40; k++) {
		strcpy(flow, "<document>" MASTER "<page-sequence master='p'>");
		for (i = 0; i < k; i++)
			strcat(flow, "<block>Толтырғыш жол</block>");
		strcat(flow, "<block weight='bold' keep-with-next='always'>ТАҚЫРЫП</block><block>");
		for (i = 0; i < 40; i++)
			strcat(flow, "әлеуметтік жұмыскер күтім ");
		strcat(flow, "</block></page-sequence></document>");
		dl = run(&f, flow);
		assert_non_null(dl);
		check_pages(dl);
		for (i = 0; i < dl->npages; i++) {
			const qj_page *pg = dl->pages[i];
			n = body_lines(pg, ys, 200);
			/* the heading is never the last line of a page */
			if (n > 0 && page_has(pg, "ТАҚЫРЫП", QJ_REGION_BODY)) {
				const qj_dl_item *it;
				for (it = pg->items; it; it = it->next)
					if (it->kind == QJ_DL_TEXT && !strcmp(it->text, "ТАҚЫРЫП"))
						assert_true(it->y < ys[n - 1]);
			}
		}
		/* widows and orphans: a paragraph split across pages leaves at
		 * least two of its lines on each side */
		if (dl->npages == 2) {
			double y2[200];
			int n1 = body_lines(dl->pages[0], ys, 200), n2 = body_lines(dl->pages[1], y2, 200);
			int para_first = n1 - (n1 > k + 1 ? n1 - k - 1 : 0);
			assert_true(n2 == 0 || n2 >= 2);
			assert_true(n1 - para_first == 0 || n1 - para_first >= 2);
		}
		done(&f);
	}
}

static void test_layout__nested_table_drawn(void **state)
{
	fixture f;
	qj_dl *dl;
	(void)state;
	dl = run(&f, "<document>" MASTER "<page-sequence master='p'><table widths='1* 1*'>"
		 "<row><cell>сыртқы</cell><cell><table><row><cell>ішкі-1</cell><cell>ішкі-2</cell></row>"
		 "<row><cell>ішкі-3</cell><cell>ішкі-4</cell></row></table></cell></row>"
		 "</table></page-sequence></document>");
	assert_non_null(dl);
	check_pages(dl);
	assert_true(page_has(dl->pages[0], "сыртқы", QJ_REGION_BODY));
	assert_true(page_has(dl->pages[0], "ішкі-1", QJ_REGION_BODY));
	assert_true(page_has(dl->pages[0], "ішкі-4", QJ_REGION_BODY));
	done(&f);
}

static void test_layout__bookmarks_and_breaks(void **state)
{
	fixture f;
	qj_dl *dl;
	(void)state;
	dl = run(&f, "<document>" MASTER "<page-sequence master='p'>"
		 "<block bookmark='Бірінші'>А</block><page-break/>"
		 "<block bookmark='Екінші' bookmark-level='2'>Б</block></page-sequence>"
		 "<page-sequence master='p'><block bookmark='Үшінші'>В</block></page-sequence></document>");
	assert_non_null(dl);
	assert_int_equal(dl->npages, 3);
	assert_non_null(dl->bookmarks);
	assert_string_equal(dl->bookmarks->title, "Бірінші");
	assert_int_equal(dl->bookmarks->next->page, 1);
	assert_int_equal(dl->bookmarks->next->level, 2);
	assert_int_equal(dl->bookmarks->next->next->page, 2);
	done(&f);
}

/* The page of the first body text run that is exactly text, and its
 * baseline; -1 when no page has it. */
static int text_page(const qj_dl *dl, const char *text, double *y)
{
	int i;
	const qj_dl_item *it;
	for (i = 0; i < dl->npages; i++)
		for (it = dl->pages[i]->items; it; it = it->next)
			if (it->kind == QJ_DL_TEXT && it->region == QJ_REGION_BODY &&
			    !strcmp(it->text, text)) {
				*y = it->y;
				return i;
			}
	return -1;
}

/* Checks that b is titled title at the level given and sits on the page of
 * the block whose only text is text, at or a little above its first
 * baseline. */
static void check_bookmark(const qj_dl *dl, const qj_bookmark *b, const char *title,
			   int level, const char *text)
{
	double y = 0;
	int page = text_page(dl, text, &y);
	if (!b)
		fail_msg("no bookmark '%s'", title);
	if (strcmp(b->title, title))
		fail_msg("bookmark '%s' where '%s' was due", b->title, title);
	if (page < 0)
		fail_msg("no text '%s'", text);
	if (b->page != page || b->level != level)
		fail_msg("bookmark '%s': page %d level %d, its block is on page %d, level %d due",
			 title, b->page + 1, b->level, page + 1, level);
	if (!(b->y <= y && b->y > y - 30))
		fail_msg("bookmark '%s' at y %.2f, its block's baseline at %.2f", title, b->y, y);
}

/* A bookmark on a block inside a table cell is in the display list as one
 * outside a table is: on the page its row is placed on, in document order,
 * also past page breaks, for a row split across pages, for a table inside
 * a cell and for a block around a table; a header row repeated on every
 * page has its bookmark once, where the table starts. */
static void test_layout__bookmarks_in_table_cells(void **state)
{
	fixture f;
	static char flow[200000];
	char title[64], text[64];
	const qj_bookmark *b, *prev;
	qj_dl *dl;
	double y;
	int i, n = 0, last;
	(void)state;
	strcpy(flow, "<document>" MASTER "<page-sequence master='p'>"
	       "<block bookmark='Алғы сөз'>кіріспе</block>"
	       "<table widths='25mm 1*'><header><row><cell><block bookmark='Бас жол'>баған-1</block></cell>"
	       "<cell>баған-2</cell></row></header>");
	for (i = 1; i <= 60; i++) {
		char row[512];
		snprintf(row, sizeof row, "<row><cell><block bookmark='Қатар %d' bookmark-level='2'>ж-%d</block>"
			 "</cell><cell>Үйде күтім көрсету %d%s</cell></row>", i, i, i,
			 i % 10 ? "" : "<block bookmark='Қосымша' bookmark-level='3'>қосымша</block>");
		strcat(flow, row);
	}
	/* a row taller than a page: the block after its long text is on a
	 * later page than the row's top */
	strcat(flow, "<row><cell><block bookmark='Ұзын басы' bookmark-level='2'>ұзын-басы</block></cell><cell>");
	for (i = 0; i < 400; i++)
		strcat(flow, "мәтін ");
	strcat(flow, "<block bookmark='Ұзын соңы' bookmark-level='3'>ұзын-соңы</block></cell></row>"
	       "<row><cell><table><row><cell><block bookmark='Ішкі' bookmark-level='2'>ішкі</block></cell>"
	       "</row></table></cell><cell>сыртқы</cell></row></table>"
	       "<block bookmark='Кесте'><table><row><cell><block>кесте-ішінде</block>");
	/* the block's bookmark on its table's row: once, though the row is
	 * split over pages */
	for (i = 0; i < 400; i++)
		strcat(flow, "сөз ");
	strcat(flow, "</cell></row></table></block>"
	       "<block bookmark='Соңы'>соңы</block></page-sequence></document>");
	dl = run(&f, flow);
	assert_non_null(dl);
	check_pages(dl);
	assert_true(dl->npages >= 4);
	/* the header row is on every page of the first table, which ends with
	 * the row of "сыртқы" */
	last = text_page(dl, "сыртқы", &y);
	assert_true(last >= 3);
	for (i = 0; i <= last; i++)
		assert_true(page_has(dl->pages[i], "баған-1", QJ_REGION_BODY));
	for (b = dl->bookmarks; b; b = b->next)
		n++;
	assert_int_equal(n, 1 + 1 + 60 + 6 + 2 + 1 + 1 + 1);
	b = dl->bookmarks;
	check_bookmark(dl, b, "Алғы сөз", 1, "кіріспе");
	b = b->next;
	check_bookmark(dl, b, "Бас жол", 1, "баған-1");
	assert_int_equal(b->page, 0); /* the header's first appearance */
	for (i = 1; i <= 60; i++) {
		snprintf(title, sizeof title, "Қатар %d", i);
		snprintf(text, sizeof text, "ж-%d", i);
		b = b->next;
		check_bookmark(dl, b, title, 2, text);
		/* the second cell's block: the same row, below the first's */
		if (i % 10 == 0) {
			prev = b;
			b = b->next;
			assert_non_null(b);
			assert_string_equal(b->title, "Қосымша");
			assert_int_equal(b->level, 3);
			assert_int_equal(b->page, prev->page);
			assert_true(b->y > prev->y);
		}
	}
	b = b->next;
	check_bookmark(dl, b, "Ұзын басы", 2, "ұзын-басы");
	prev = b;
	b = b->next;
	check_bookmark(dl, b, "Ұзын соңы", 3, "ұзын-соңы");
	assert_true(b->page > prev->page);
	b = b->next;
	check_bookmark(dl, b, "Ішкі", 2, "ішкі");
	b = b->next;
	check_bookmark(dl, b, "Кесте", 1, "кесте-ішінде");
	b = b->next;
	check_bookmark(dl, b, "Соңы", 1, "соңы");
	assert_null(b->next);
	done(&f);
}

static void test_layout__bad_flow_reported(void **state)
{
	fixture f;
	(void)state;
	/* what the boxes cannot hold: every one, before layout */
	assert_null(run(&f, "<document>" MASTER "<page-sequence master='p'>"
			"<block size='huge'>a</block><blink/><block font='Nope' weight='blod'>b</block>"
			"</page-sequence></document>"));
	assert_false(f.built);
	assert_non_null(strstr(qj_diag_text(f.ctx), "flow.xml:1: error: attribute 'size' of <block>: "
			       "'huge' is not a length"));
	assert_non_null(strstr(qj_diag_text(f.ctx), "flow.xml:1: error: unknown element <blink>"));
	assert_non_null(strstr(qj_diag_text(f.ctx), "'blod' is not normal or bold"));
	assert_int_equal(qj_diag_errors(f.ctx), 3);
	done(&f);
	/* what only layout knows: the fonts */
	assert_null(run(&f, "<document>" MASTER "<page-sequence master='p'>"
			"<block>a</block>\n<block font='Nope'>b</block></page-sequence></document>"));
	assert_true(f.built);
	assert_non_null(strstr(qj_diag_text(f.ctx), "flow.xml:2: error: font 'Nope' is not in fonts.xml"));
	done(&f);
}

static void test_layout__missing_glyph_warns(void **state)
{
	fixture f;
	(void)state;
	assert_non_null(run(&f, "<document>" MASTER "<page-sequence master='p'>"
			    "<block>₸ 100 \xf4\x8f\xbf\xbd</block></page-sequence></document>"));
	assert_non_null(strstr(qj_diag_text(f.ctx), "warning: no font has U+10FFFD"));
	assert_null(strstr(qj_diag_text(f.ctx), "U+20B8")); /* tenge falls back to DejaVu */
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout__paragraph_lines_fit),
		cmocka_unit_test(test_layout__long_word_broken),
		cmocka_unit_test(test_layout__table_header_repeats),
		cmocka_unit_test(test_layout__widows_orphans_keeps),
		cmocka_unit_test(test_layout__nested_table_drawn),
		cmocka_unit_test(test_layout__bookmarks_and_breaks),
		cmocka_unit_test(test_layout__bookmarks_in_table_cells),
		cmocka_unit_test(test_layout__bad_flow_reported),
		cmocka_unit_test(test_layout__missing_glyph_warns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
