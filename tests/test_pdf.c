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
		cmocka_unit_test(test_pdf__failed_write_leaves_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
