/* test_pdf: the libharu backend on a laid-out document with text in three
 * scripts, a table, PNG and JPEG images and bookmarks: qpdf --check clean,
 * every font embedded and subset to kilobytes, images present, bookmarks
 * in the outline, text read back exactly; a failed write leaves nothing. */
#include "qjtest.h"

#include "font/font.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "xml/xml.h"

static const char FLOW[] =
	"<document title='Тест — құжат' lang='kk'>"
	"<page-master name='p' size='A4' margin='20mm' footer-height='10mm'>"
	"<footer><block align='center' size='8pt'><page-number/> / <page-count/></block></footer>"
	"</page-master><page-sequence master='p'>"
	"<block size='18pt' weight='bold' bookmark='Бірінші бөлім'>Әлеуметтік жұмыскер ₸</block>"
	"<block style='italic'>Социальный работник — social worker</block>"
	"<image src='tests/data/img/gradient.png' width='40mm'/>"
	"<image src='tests/data/img/certificate.jpg' width='60mm' align='center'/>"
	"<block bookmark='Екінші бөлім' bookmark-level='2' break-before='page'>Соңы</block>"
	"</page-sequence></document>";

static void render(const char *path, qj_pdf_stats *st, int expect)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_fonts *fonts;
	qj_arena *a;
	xmlDocPtr d;
	qj_dl *dl;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	fonts = qj_fonts_load(ctx, "fonts");
	a = qj_arena_new(ctx);
	d = qj_xml_load_memory(ctx, "flow.xml", FLOW, sizeof FLOW - 1);
	assert_non_null(d);
	dl = qj_layout_run(ctx, a, qj_box_build(ctx, a, d), fonts);
	assert_non_null(dl);
	assert_int_equal(dl->npages, 2);
	assert_int_equal(qj_pdf_write(ctx, dl, fonts, path, 0, st), expect);
	xmlFreeDoc(d);
	qj_arena_free(a);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
}

static void test_pdf__writes_a_checked_pdf(void **state)
{
	char dir[64], pdf[128];
	qj_pdf_stats st;
	qjt_run r;
	char *text;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(pdf, sizeof pdf, "%s/t.pdf", dir);
	render(pdf, &st, 0);
	/* PT Serif bold, italic and DejaVu (for ₸) plus regular: subsets of a
	 * few kilobytes each, not the whole glyph tables (300+ KiB each) */
	assert_true(st.faces >= 3);
	assert_true(st.font_bytes < 40 * 1024 * st.faces);
	assert_true(st.bytes < 150 * 1024);
	qjt_assert_pdf_sound(pdf);
	r = qjt_sh("pdfimages -list %s | tail -n +3 | awk '{print $4, $5}'", pdf);
	assert_string_equal(r.out, "64 32\n234 166\n");
	qjt_run_free(&r);
	r = qjt_sh("qpdf --json=1 --json-key=outlines %s", pdf);
	assert_non_null(strstr(r.out, "\"title\": \"Бірінші бөлім\""));
	assert_non_null(strstr(r.out, "\"title\": \"Екінші бөлім\""));
	qjt_run_free(&r);
	r = qjt_sh("pdfinfo %s", pdf);
	assert_non_null(strstr(r.out, "Тест — құжат"));
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(strstr(text, "Әлеуметтік жұмыскер ₸"));
	assert_non_null(strstr(text, "Социальный работник — social worker"));
	assert_non_null(strstr(text, "Соңы"));
	free(text);
}

/* A display list of flow, laid out with fonts into a (NULL on failure). */
static qj_dl *lay(qj_ctx *ctx, qj_arena *a, qj_fonts *fonts, const char *flow)
{
	xmlDocPtr d = qj_xml_load_memory(ctx, "flow.xml", flow, strlen(flow));
	qj_dl *dl;
	assert_non_null(d);
	dl = qj_layout_run(ctx, a, qj_box_build(ctx, a, d), fonts);
	xmlFreeDoc(d);
	return dl;
}

/* A combined batch draws each document as it comes and frees it: the
 * second's display list is made after the first's is gone, and the fonts
 * are subset at the end to the characters of both. */
static void test_pdf__pages_are_drawn_as_they_are_added(void **state)
{
	static const char second[] =
		"<document title='Екінші' lang='ru'>"
		"<page-master name='p' size='A5' margin='15mm'/><page-sequence master='p'>"
		"<block bookmark='Ёлка'>Ёлка, щётка, «Жұмыс» № 7</block>"
		"<block weight='bold'>Qazaqstan — Ғ Ү Ұ Һ Ө</block>"
		"</page-sequence></document>";
	char dir[64], pdf[128];
	qj_ctx *ctx = qj_ctx_new();
	qj_fonts *fonts;
	qj_pdf *w;
	qj_arena *a;
	qj_pdf_stats st;
	qjt_run r;
	char *text;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	qjt_tmpdir(dir, sizeof dir);
	snprintf(pdf, sizeof pdf, "%s/both.pdf", dir);
	fonts = qj_fonts_load(ctx, "fonts");
	assert_non_null(w = qj_pdf_open(ctx, fonts, 0));
	a = qj_arena_new(ctx);
	assert_int_equal(qj_pdf_add(w, lay(ctx, a, fonts, FLOW)), 0);
	qj_arena_free(a);
	a = qj_arena_new(ctx);
	assert_int_equal(qj_pdf_add(w, lay(ctx, a, fonts, second)), 0);
	qj_arena_free(a);
	assert_int_equal(qj_pdf_pages(w), 3);
	assert_int_equal(qj_pdf_close(w, pdf, &st), 0);
	qjt_assert_pdf_sound(pdf);
	assert_int_equal(qjt_pdf_page_count(pdf), 3);
	/* the first document's information; page sizes as laid out */
	r = qjt_sh("pdfinfo -f 1 -l 3 %s", pdf);
	assert_non_null(strstr(r.out, "Тест — құжат"));
	assert_non_null(strstr(r.out, "Page    3 size:  419.528 x 595.276 pts"));
	qjt_run_free(&r);
	r = qjt_sh("qpdf --json=1 --json-key=outlines %s", pdf);
	assert_non_null(strstr(r.out, "\"title\": \"Бірінші бөлім\""));
	assert_non_null(strstr(r.out, "\"title\": \"Ёлка\""));
	qjt_run_free(&r);
	/* qujat's own Type0 fonts: embedded, subset, with a ToUnicode map,
	 * and poppler finds nothing to complain of in them */
	r = qjt_sh("pdffonts %s | tail -n +3 | awk '{print $2, $3, $4, $5, $6, $7}' | sort -u", pdf);
	assert_string_equal(r.out, "CID TrueType Identity-H yes yes yes\n");
	qjt_run_free(&r);
	r = qjt_sh("pdftotext -enc UTF-8 %s - 2>&1 >/dev/null", pdf);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(strstr(text, "Әлеуметтік жұмыскер ₸"));
	assert_non_null(strstr(text, "Ёлка, щётка, «Жұмыс» № 7"));
	assert_non_null(strstr(text, "Qazaqstan — Ғ Ү Ұ Һ Ө"));
	free(text);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
}

/* A page with two QR codes among text, drawn by the pipe's thread. */
static const char QR_FLOW[] =
	"<document title='QR' lang='kk'>"
	"<page-master name='p' size='A5' margin='15mm'/><page-sequence master='p'>"
	"<block>Алдында — before</block>"
	"<qr data='QJ1 ҚЖ-2026-000042 ABCDEFGHJK' size='30mm' align='center'/>"
	"<block>Арасында</block>"
	"<qr data='second' size='20mm'/>"
	"<block>Соңында</block>"
	"</page-sequence></document>";

/* The pipelined writer (a combined batch: pages deflated and QR codes
 * encoded by a second thread) writes the bytes the plain one does, for
 * many pages. */
static void test_pdf__pipeline_writes_the_same_bytes(void **state)
{
	char dir[64], path[2][128];
	qj_ctx *ctx = qj_ctx_new();
	qj_fonts *fonts;
	int k, i;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	qjt_tmpdir(dir, sizeof dir);
	fonts = qj_fonts_load(ctx, "fonts");
	for (k = 0; k < 2; k++) {
		qj_pdf *w = qj_pdf_open(ctx, fonts, k ? QJ_PDF_PIPELINE : 0);
		assert_non_null(w);
		/* more documents than the thread's ring holds */
		for (i = 0; i < 40; i++) {
			qj_arena *ar = qj_arena_new(ctx);
			assert_int_equal(qj_pdf_add(w, lay(ctx, ar, fonts, i % 2 ? QR_FLOW : FLOW)), 0);
			qj_arena_free(ar);
		}
		snprintf(path[k], sizeof path[k], "%s/%d.pdf", dir, k);
		assert_int_equal(qj_pdf_close(w, path[k], NULL), 0);
	}
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(qjt_pdf_page_count(path[1]), 60);
	{
		char cmd[512];
		qjt_run r;
		snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", path[0], path[1]);
		assert_int_equal(system(cmd), 0);
		/* the thread's QR codes read back, in place among the text */
		r = qjt_sh("cd %s && pdftoppm -r 150 -png -f 60 -l 60 1.pdf pg && "
			   "zbarimg --raw -q pg-60.png 2>/dev/null | sort", dir);
		assert_string_equal(r.out, "QJ1 ҚЖ-2026-000042 ABCDEFGHJK\nsecond\n");
		qjt_run_free(&r);
		r = qjt_sh("pdftotext -f 60 -l 60 %s - | tr -s '\\n' ' '", path[1]);
		assert_non_null(strstr(r.out, "Алдында — before Арасында Соңында"));
		qjt_run_free(&r);
	}
	qjt_assert_pdf_sound(path[1]);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
}

/* More pages than libharu's one page-tree node holds (32,767): one long
 * document, and a batch of documents. */
static void test_pdf__more_pages_than_one_tree_node(void **state)
{
	enum { N = 33000 };
	char dir[64], path[128];
	qj_ctx *ctx = qj_ctx_new();
	qj_fonts *fonts;
	qj_page page, **pages = calloc(N, sizeof *pages);
	qj_dl_item it;
	qj_dl dl;
	qjt_run r;
	int k, i;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qjt_tmpdir(dir, sizeof dir);
	fonts = qj_fonts_load(ctx, "fonts");
	memset(&page, 0, sizeof page);
	memset(&it, 0, sizeof it);
	page.width = 200;
	page.height = 100;
	page.items = page.last = &it;
	it.kind = QJ_DL_TEXT;
	it.x = 10, it.y = 50, it.h = 12;
	it.text = "Бет";
	for (i = 0; i < N; i++)
		pages[i] = &page;
	memset(&dl, 0, sizeof dl);
	dl.pages = pages;
	for (k = 0; k < 2; k++) {
		qj_pdf *w = qj_pdf_open(ctx, fonts, k ? QJ_PDF_PIPELINE : 0);
		assert_non_null(w);
		dl.npages = k ? N / 10 : N;
		for (i = 0; i < (k ? 10 : 1); i++)
			assert_int_equal(qj_pdf_add(w, &dl), 0);
		snprintf(path, sizeof path, "%s/%d.pdf", dir, k);
		assert_int_equal(qj_pdf_close(w, path, NULL), 0);
		assert_int_equal(qjt_pdf_page_count(path), N);
		r = qjt_sh("qpdf --check %s >/dev/null 2>&1 && pdftotext -f %d -l %d %s -", path, N, N,
			   path);
		assert_int_equal(r.code, 0);
		assert_non_null(strstr(r.out, "Бет"));
		qjt_run_free(&r);
	}
	free(pages);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
}

static void test_pdf__failed_write_leaves_nothing(void **state)
{
	qj_pdf_stats st;
	(void)state;
	render("/nonexistent-dir/t.pdf", &st, -1);
	assert_false(qjt_exists("/nonexistent-dir/t.pdf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf__writes_a_checked_pdf),
		cmocka_unit_test(test_pdf__pages_are_drawn_as_they_are_added),
		cmocka_unit_test(test_pdf__pipeline_writes_the_same_bytes),
		cmocka_unit_test(test_pdf__more_pages_than_one_tree_node),
		cmocka_unit_test(test_pdf__failed_write_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
