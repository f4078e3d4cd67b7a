/* test_certificates: end to end through build/qujat: one landscape page per
 * person, every name exactly (NFC, Kazakh letters intact) in pdftotext,
 * fonts embedded and subset, qpdf --check clean; bad rosters exit 2 with
 * FILE:LINE diagnostics and leave nothing at the output path. */
#include "qjtest.h"

static const char *names[] = {
	"Әсел Қайратқызы Өмірбекова", "Ерғали Жұмабайұлы Құдайбергенов",
	"Гүлжан Ұлықбекқызы Шәріпова", "Нұрсұлтан Әбдіғаниұлы Үмбетов",
	"Іңкәр Өтегенқызы Һашимова", "Мөлдір Ғаниқызы Сәрсенбаева",
	"Айдос Бекұлы Ыбыраев"};

static void test_certificates__names_fonts_and_pages(void **state)
{
	char dir[64], pdf[128];
	qjt_run r;
	char *text;
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(pdf, sizeof pdf, "%s/c.pdf", dir);
	r = qjt_sh("umask 022; %s certificates examples/roster.xml -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(text);
	for (i = 0; i < sizeof names / sizeof *names; i++)
		assert_non_null(strstr(text, names[i]));
	assert_non_null(strstr(text, "2026 жылғы 20 қараша"));
	assert_non_null(strstr(text, "72 сағат"));
	assert_non_null(strstr(text, "36 сағат"));
	free(text);
	/* an ordinary file mode, not mkstemp's 0600 */
	r = qjt_sh("stat -c %%a %s", pdf);
	assert_string_equal(r.out, "644\n");
	qjt_run_free(&r);
	/* one A4 landscape page per person */
	r = qjt_sh("pdfinfo %s", pdf);
	assert_non_null(strstr(r.out, "Pages:           7"));
	assert_non_null(strstr(r.out, "841.89 x 595.276"));
	qjt_run_free(&r);
	/* every font embedded and subset, qpdf --check clean */
	qjt_assert_pdf_sound(pdf);
}

static void test_certificates__russian_plural_and_date(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *text;
	(void)state;
	qjt_path(pdf, sizeof pdf, "cert-ru.pdf");
	r = qjt_sh("%s certificates examples/roster.xml --lang ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(strstr(text, "72 часа"));
	assert_non_null(strstr(text, "36 часов"));
	assert_non_null(strstr(text, "20 ноября 2026 года"));
	assert_non_null(strstr(text, "о повышении квалификации"));
	free(text);
	unlink(pdf);
}

/* Runs a bad roster; checks exit 2, the expected diagnostics, no output. */
static void expect_bad(const char *roster, const char *const *want)
{
	char dir[64], in[128], pdf[128];
	FILE *fp;
	qjt_run r;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(in, sizeof in, "%s/roster.xml", dir);
	snprintf(pdf, sizeof pdf, "%s/out.pdf", dir);
	fp = fopen(in, "w");
	fputs(roster, fp);
	fclose(fp);
	r = qjt_sh("cd %s && %s/%s certificates roster.xml -o out.pdf", dir,
		   getenv("PWD"), qjt_bin());
	assert_int_equal(r.code, 2);
	for (; *want; want++) {
		if (!strstr(r.err, *want))
			fail_msg("expected '%s' in:\n%s", *want, r.err);
	}
	assert_false(qjt_exists(pdf));
	qjt_run_free(&r);
	r = qjt_sh("ls %s | wc -l", dir);
	assert_string_equal(r.out, "1\n"); /* no temporary left behind either */
	qjt_run_free(&r);
}

static void test_certificates__bad_input(void **state)
{
	static const char *const malformed[] = {
		"roster.xml:4: error: Opening and ending tag mismatch: programme line 3", NULL};
	static const char *const missing[] = {
		"roster.xml:4: error: <person> lacks the required attribute 'serial'",
		"roster.xml:5: error: <person> lacks the required attribute 'name'", NULL};
	static const char *const role[] = {
		"roster.xml:2: error: <signer> role=\"dean\" is not one of: director, secretary, head", NULL};
	static const char *const font[] = {
		"roster.xml:1: error: font 'Comic Sans' is not in fonts.xml", NULL};
	(void)state;
	expect_bad("<roster issued='2026-11-20'>\n<organization>X</organization>\n"
		   "<programme hours='72'>P<programme>\n</roster>\n", malformed);
	expect_bad("<roster issued='2026-11-20'><organization>X</organization>\n"
		   "<programme hours='72'>P</programme><signer role='director' name='A'/>\n"
		   "<person serial='1' name='Ә'/>\n<person name='Б'/>\n<person serial='3'/>\n</roster>\n",
		   missing);
	expect_bad("<roster issued='2026-11-20'><organization>X</organization>\n"
		   "<programme hours='72'>P</programme><signer role='dean' name='A'/>\n"
		   "<person serial='1' name='Ә'/></roster>\n", role);
	expect_bad("<roster issued='2026-11-20' font='Comic Sans'><organization>X</organization>\n"
		   "<programme hours='72'>P</programme><signer role='director' name='A'/>\n"
		   "<person serial='1' name='Ә'/></roster>\n", font);
}

/* --shard K/N: the shards together print every person exactly once. */
static void test_certificates__shards(void **state)
{
	char dir[64];
	int k, seen[7] = {0};
	size_t i;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	for (k = 1; k <= 3; k++) {
		char pdf[128], *text;
		snprintf(pdf, sizeof pdf, "%s/s%d.pdf", dir, k);
		r = qjt_sh("%s certificates examples/roster.xml --shard %d/3 -o %s", qjt_bin(), k, pdf);
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		text = qjt_pdftotext(pdf);
		for (i = 0; i < sizeof names / sizeof *names; i++)
			if (strstr(text, names[i])) {
				seen[i]++;
				assert_int_equal((int)i % 3, k - 1);
			}
		free(text);
	}
	for (i = 0; i < 7; i++)
		assert_int_equal(seen[i], 1);
	r = qjt_sh("%s certificates examples/roster.xml --shard 4/3 -o %s/x.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "--shard wants K/N with 1 <= K <= N, not '4/3'"));
	qjt_run_free(&r);
	/* a shard with nobody in it: an error, not an empty PDF */
	r = qjt_sh("%s certificates examples/roster.xml --shard 9/9 -o %s/x.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "examples/roster.xml: error: nothing to print"));
	qjt_run_free(&r);
	r = qjt_sh("ls %s", dir);
	assert_string_equal(r.out, "s1.pdf\ns2.pdf\ns3.pdf\n");
	qjt_run_free(&r);
}

/* The display list of a one-person roster is the golden one, to the
 * hundredth of a point (tests/data/golden/; after an intended layout change
 * regenerate it with: build/qujat certificates
 * tests/data/golden/roster-one.xml --dump -o out/x.pdf
 *   > tests/data/golden/certificate.dump). */
static void test_certificates__golden_display_list(void **state)
{
	char *want = qjt_slurp("tests/data/golden/certificate.dump"), pdf[PATH_MAX];
	qjt_run r;
	(void)state;
	assert_non_null(want);
	qjt_path(pdf, sizeof pdf, "golden.pdf");
	r = qjt_sh("%s certificates tests/data/golden/roster-one.xml --dump -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, want);
	qjt_run_free(&r);
	free(want);
	unlink(pdf);
}

/* Writes text to dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *fp;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A broken template fails with TEMPLATE:LINE errors before any page. */
static void test_certificates__bad_template(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	put_file(dir, "static.xml",
		 "<template>\n<page-master name='c'/>\n<for-each select='/roster/person'>\n"
		 "<page-sequence master='c'>\n<blokc/>\n<value select='concat(@name'/>\n"
		 "</page-sequence>\n</for-each>\n</template>\n");
	put_file(dir, "loop.xml",
		 "<template>\n<page-master name='c'/>\n<for-each select='count(/roster/person)'>\n"
		 "<page-sequence master='c'/>\n</for-each>\n</template>\n");
	put_file(dir, "label.xml",
		 "<template>\n<page-master name='c'/>\n<page-sequence master='c'>\n"
		 "<block><label key='no.such.label'/></block>\n</page-sequence>\n</template>\n");
	r = qjt_sh("%s certificates examples/roster.xml --template %s/static.xml -o %s/o.pdf",
		   qjt_bin(), dir, dir);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "static.xml:5: error: unknown element <blokc>"));
	assert_non_null(strstr(r.err, "static.xml:6: error: XPath"));
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml --template %s/loop.xml -o %s/o.pdf",
		   qjt_bin(), dir, dir);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "loop.xml:3: error: for-each select='count(/roster/person)' is not a node-set"));
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml --template %s/label.xml -o %s/o.pdf",
		   qjt_bin(), dir, dir);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "label.xml:4: error: missing label 'no.such.label' for language 'kk'"));
	qjt_run_free(&r);
	r = qjt_sh("ls %s", dir);
	assert_string_equal(r.out, "label.xml\nloop.xml\nstatic.xml\n"); /* no PDF */
	qjt_run_free(&r);
}

/* A value too long for any page (a 60 000-letter "name") is broken between
 * grapheme clusters over as many pages as it needs, with nothing lost; the
 * bookmark and PDF strings are clipped to what libharu accepts. */
static void test_certificates__value_longer_than_a_page(void **state)
{
	char dir[64], pdf[128], *text;
	size_t count = 0;
	const char *p;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(pdf, sizeof pdf, "%s/c.pdf", dir);
	r = qjt_sh("python3 -c \"import sys; s=open('examples/roster.xml').read(); "
		   "sys.stdout.write(s.replace('Әсел Қайратқызы Өмірбекова', 'Ә'*60000))\" > %s/r.xml && "
		   "%s certificates %s/r.xml -o %s", dir, qjt_bin(), dir, pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	qjt_assert_pdf_sound(pdf);
	r = qjt_sh("pdfinfo %s | grep Pages | awk '{print $2}'", pdf);
	assert_true(atoi(r.out) > 50);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	for (p = text; (p = strstr(p, "Ә")); p += 2)
		count++;
	free(text);
	/* every letter drawn: the plain roster's Ә's, less the one of the
	 * replaced name, plus 60 000 */
	snprintf(pdf, sizeof pdf, "%s/plain.pdf", dir);
	r = qjt_sh("%s certificates examples/roster.xml -o %s", qjt_bin(), pdf);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	for (p = text; (p = strstr(p, "Ә")); p += 2)
		count -= 1;
	free(text);
	assert_int_equal(count, 60000 - 1);
}

/* A character no font has: a warning at the data line it came from. */
static void test_certificates__missing_glyph_at_data_line(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("sed 's/Әсел Қайратқызы/Әсел \xf0\x9d\x94\x84 Қайратқызы/' examples/roster.xml > %s/r.xml && "
		   "%s certificates %s/r.xml -o %s/c.pdf", dir, qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "/r.xml:8: warning: no font has U+1D504"));
	qjt_run_free(&r);
}

static void test_certificates__missing_paths(void **state)
{
	char none[PATH_MAX];
	qjt_run r;
	(void)state;
	qjt_path(none, sizeof none, "none.pdf");
	r = qjt_sh("%s certificates /nonexistent/roster.xml -o %s", qjt_bin(), none);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "/nonexistent/roster.xml: error: cannot open"));
	assert_false(qjt_exists(none));
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml --fonts /nonexistent -o %s", qjt_bin(), none);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "/nonexistent: error: no fonts.xml"));
	assert_false(qjt_exists(none));
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml", qjt_bin());
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificates__names_fonts_and_pages),
		cmocka_unit_test(test_certificates__russian_plural_and_date),
		cmocka_unit_test(test_certificates__bad_input),
		cmocka_unit_test(test_certificates__shards),
		cmocka_unit_test(test_certificates__golden_display_list),
		cmocka_unit_test(test_certificates__bad_template),
		cmocka_unit_test(test_certificates__value_longer_than_a_page),
		cmocka_unit_test(test_certificates__missing_glyph_at_data_line),
		cmocka_unit_test(test_certificates__missing_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
