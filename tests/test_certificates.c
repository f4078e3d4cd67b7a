/* test_certificates: end to end through build/qujat: one landscape page per
 * person, every name exactly (NFC, Kazakh letters intact) in pdftotext,
 * fonts embedded and subset, qpdf --check clean; bad rosters exit 2 with
 * FILE:LINE diagnostics and leave nothing at the output path. The parts of
 * a real certificate: the sentence per person's sex (the patronymic rule,
 * table-driven), study period, registration number, seal place, emblem,
 * per-language programme, organization and city, room to sign. */
#include "qjtest.h"
#include "tmpl/xpath_text.h"

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
	static const char *const attrs[] = {
		"roster.xml:1: error: <roster> lang=\"xx\" is not one of: kk, ru, en, kk+ru\n",
		"roster.xml:1: error: <roster> issued=\"2026-13-20\" is not a date (YYYY-MM-DD) that exists\n",
		"roster.xml:1: error: <roster> has no attribute 'colour' (it may have: lang, font, "
		"issued, city, verify-url)\n",
		"roster.xml:2: error: <organization> xml:lang=\"de\" is not one of: kk, ru, en\n",
		"roster.xml:3: error: <programme> hours=\"7two\" is not a whole number (1 or more)\n",
		"roster.xml:3: error: <programme> from=\"2026-02-30\" is not a date (YYYY-MM-DD) that exists\n",
		"roster.xml:4: error: <signer> role=\"boss\" is not one of: director, secretary, head\n",
		"roster.xml:4: error: <signer> name=\"\" is empty: it needs a value\n",
		"roster.xml:5: error: <person> hours=\"0\" is not a whole number (1 or more)\n",
		"roster.xml:6: error: <person> has no attribute 'from' (it may have: serial, name, hours, "
		"sex, position, organization)\n",
		NULL};
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
	/* every attribute's problem with its value, the header's and the
	 * persons', where libxml2 says only "Invalid attribute hours for
	 * element person" or nothing */
	expect_bad("<roster lang='xx' issued='2026-13-20' colour='red'>\n"
		   "<organization xml:lang='de'>X</organization>\n"
		   "<programme hours='7two' from='2026-02-30'>P</programme>\n"
		   "<signer role='boss' name=''/>\n"
		   "<person serial='1' name='Ә' hours='0'/>\n"
		   "<person serial='2' name='Б' from='2026-11-01'/>\n</roster>\n",
		   attrs);
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

/* One combined PDF: an outline entry per person, titled with the name, on
 * that person's page, and a bookmark line each in the display list. The
 * template's bookmark is on the title block in the emblem table's middle
 * cell, so this holds only while the layout keeps bookmarks of blocks in
 * table cells. */
static void test_certificates__combined_bookmark_per_person(void **state)
{
	char pdf[PATH_MAX], dump[PATH_MAX], want[4096], *line, *save;
	size_t i, n = 0, len = 0;
	qjt_run r;
	(void)state;
	qjt_path(pdf, sizeof pdf, "bookmarks.pdf");
	qjt_path(dump, sizeof dump, "bookmarks.dump");
	r = qjt_sh("%s certificates examples/roster.xml -q --dump -o %s > %s", qjt_bin(), pdf, dump);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	/* the display list: bookmark PAGE LEVEL Y TITLE, a person's on the
	 * person's page */
	r = qjt_sh("grep '^bookmark ' %s; true", dump);
	unlink(dump);
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		int page, level, at = 0;
		double y;
		if (n >= sizeof names / sizeof *names)
			fail_msg("more than %zu bookmark lines: %s", sizeof names / sizeof *names, line);
		if (sscanf(line, "bookmark %d %d %lf %n", &page, &level, &y, &at) != 3 || !at)
			fail_msg("not a bookmark line: %s", line);
		assert_int_equal(page, (int)n + 1);
		assert_int_equal(level, 1);
		assert_true(y > 0 && y < 595.3);
		assert_string_equal(line + at, names[n]);
	}
	qjt_run_free(&r);
	assert_int_equal(n, 7);
	/* the PDF's outline: seven entries, none with kids; qpdf lists each
	 * entry's keys in order, its page (destpageposfrom1) before its title */
	r = qjt_sh("qpdf --json --json-key=outlines %s | grep -c '\"kids\": \\[\\]'", pdf);
	assert_string_equal(r.out, "7\n");
	qjt_run_free(&r);
	for (i = 0; i < sizeof names / sizeof *names; i++)
		len += (size_t)snprintf(want + len, sizeof want - len, "%zu,\n\"%s\"\n", i + 1, names[i]);
	assert_true(len < sizeof want);
	r = qjt_sh("qpdf --json --json-key=outlines %s | sed -n 's/^ *\"\\(destpageposfrom1\\|title\\)\": //p'",
		   pdf);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, want);
	qjt_run_free(&r);
	qjt_assert_pdf_sound(pdf);
	unlink(pdf);
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
	r = qjt_sh("python3 -c \"import os, sys; s=open('examples/roster.xml').read(); "
		   "sys.stdout.write(s.replace('Әсел Қайратқызы Өмірбекова', 'Ә'*60000)"
		   ".replace('emblem.png', os.getcwd() + '/examples/emblem.png'))\" > %s/r.xml && "
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
	r = qjt_sh("sed 's/Әсел Қайратқызы/Әсел \xf0\x9d\x94\x84 Қайратқызы/; s|emblem.png|%s/examples/emblem.png|' "
		   "examples/roster.xml > %s/r.xml && %s certificates %s/r.xml -o %s/c.pdf",
		   getenv("PWD"), dir, qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "/r.xml:14: warning: no font has U+1D504"));
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

/* ---------- the certificate as a real certificate ---------- */

/* The patronymic rule of q:sex, table-driven: 'm', 'f' or 0 (neutral). */
static void test_certificates__sex_from_patronymic(void **state)
{
	static const struct {
		const char *name;
		int sex;
	} cases[] = {
		{"Әсел Қайратқызы Өмірбекова", 'f'},
		{"Ерғали Жұмабайұлы Құдайбергенов", 'm'},
		{"Нұрлан Қайратұлы", 'm'},              /* -ұлы as a surname too */
		{"Айгерім Серікқызы", 'f'},
		{"Айгерім Серік қызы", 'f'},            /* written apart */
		{"Ерлан Кайратулы Сейтов", 'm'},        /* typed without Kazakh letters */
		{"Мамедов Али оглы", 'm'},
		{"Алиева Лейла Гусейн кызы", 'f'},
		{"Владимир Ильич Ульянов", 'm'},        /* Name Patronymic Surname */
		{"Ульянов Владимир Ильич", 'm'},        /* Surname Name Patronymic */
		{"Кузьмин Пётр Кузьмич", 'm'},
		{"Анна Никитична Савельева", 'f'},
		{"Саввина Ольга Саввична", 'f'},
		{"Мария Ильинична Ульянова", 'f'},
		{"ИВАНОВА МАРИЯ ПЕТРОВНА", 'f'},        /* a spreadsheet in capitals */
		{"Иван Сергеевич Петров-Водкин", 'm'},  /* a two-part surname */
		{"Анна Сергеевна Римская-Корсакова", 'f'},
		{"Петрович Анна Сергеевна", 'f'},       /* -ич surname, -вна patronymic */
		{"Анна Бабич", 0},                      /* -ич is only a surname here */
		{"Анна Мария Бабич", 0},                /* the first word reads as a woman's */
		{"Алексей Петров", 0},                  /* no patronymic */
		{"John Smith", 0},                      /* a foreign name */
		{"Айгерім Серікқызы Нұрланұлы", 0},     /* contradicts itself */
		{"Иван\xc2\xa0Ильич\xc2\xa0Петров", 'm'}, /* no-break spaces */
		{"", 0},
	};
	qj_ctx *ctx = qjt_quiet_ctx();
	qj_arena *a = qj_arena_new(ctx);
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		int got = qj_tmpl_sex_of_name(ctx, a, cases[i].name);
		if (got != cases[i].sex)
			fail_msg("'%s': got '%c', want '%c'", cases[i].name, got ? got : '0',
				 cases[i].sex ? cases[i].sex : '0');
	}
	assert_int_equal(qj_tmpl_sex_of_name(ctx, a, NULL), 0);
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

static const char sexes_roster[] =
	"<roster issued='2026-11-20' city='Астана'>\n"
	"<organization>ТОО «Центр»</organization>\n"
	"<programme hours='72' from='2026-11-02' to='2026-11-20'>Социальная работа</programme>\n"
	"<signer role='director' name='Гүлнар Серікқызы Әлімжанова'/>\n"
	"<person serial='1' name='Анна Смирнова' sex='f'/>\n"      /* @sex, no patronymic */
	"<person serial='2' name='Пётр Ильич Чайковский'/>\n"      /* the patronymic */
	"<person serial='3' name='Мария Саввична Петрович'/>\n"
	"<person serial='4' name='John Smith'/>\n"                 /* neither: neutral */
	"<person serial='5' name='Ерлан Серікұлы' sex='f'/>\n"     /* @sex wins */
	"</roster>\n";

/* The Russian sentence per person: «прошла» for a woman, «прошёл» for a
 * man, a wording without a gendered verb when neither @sex nor the
 * patronymic says; never «(а)» or «(ла)». */
static void test_certificates__russian_sentence_per_person(void **state)
{
	static const char *const want[] = {
		"в том, что она прошла курс", "в том, что он прошёл курс",
		"в том, что она прошла курс", "об окончании курса", "в том, что она прошла курс"};
	char dir[64], pdf[128], *pages[8];
	int n, i;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	put_file(dir, "r.xml", sexes_roster);
	snprintf(pdf, sizeof pdf, "%s/ru.pdf", dir);
	r = qjt_sh("%s certificates %s/r.xml --lang ru -o %s", qjt_bin(), dir, pdf);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
	n = qjt_pdf_pages(pdf, 0, pages, 8);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		if (!strstr(pages[i], want[i]))
			fail_msg("page %d: no '%s' in:\n%s", i + 1, want[i], pages[i]);
		assert_null(strstr(pages[i], "(а)"));
		assert_null(strstr(pages[i], "(ла)"));
		assert_null(strstr(pages[i], i == 1 ? "прошла" : "прошёл"));
		free(pages[i]);
	}
	/* Kazakh and English need no gender: one sentence for everyone */
	snprintf(pdf, sizeof pdf, "%s/kk.pdf", dir);
	r = qjt_sh("%s certificates %s/r.xml --lang kk -o %s && pdftotext %s - | "
		   "grep -c 'курсын аяқтағаны туралы'", qjt_bin(), dir, pdf, pdf);
	assert_string_equal(r.out, "5\n");
	qjt_run_free(&r);
}

/* Runs examples/roster.xml in lang; the PDF's text, its page count checked:
 * one page per person in every language, kk+ru too. */
static char *example_text(const char *lang)
{
	char pdf[PATH_MAX], *text;
	qjt_run r;
	qjt_path(pdf, sizeof pdf, "example.pdf");
	r = qjt_sh("%s certificates examples/roster.xml --lang %s -o %s", qjt_bin(), lang, pdf);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
	assert_int_equal(qjt_pdf_page_count(pdf), 7);
	text = qjt_pdftotext(pdf);
	assert_non_null(text);
	unlink(pdf);
	return text;
}

/* Every string of want is in text, none of refuse. */
static void expect_text(const char *lang, const char *text, const char *const *want,
			const char *const *refuse)
{
	for (; *want; want++)
		if (!strstr(text, *want))
			fail_msg("--lang %s: no '%s' in:\n%.1500s", lang, *want, text);
	for (; refuse && *refuse; refuse++)
		if (strstr(text, *refuse))
			fail_msg("--lang %s: '%s' should not be printed", lang, *refuse);
}

/* The study period in each language's date style, the registration number,
 * the seal place, and the programme, organization and city of the
 * language: --lang ru prints the Russian values, kk the Kazakh, kk+ru both,
 * en the English ones in “…”. Typography: the dash between the dates is
 * an em dash with a no-break space before it, and no-break spaces (read as
 * spaces here) join 2026 жылғы, No. ҚЖ-…. */
static void test_certificates__period_number_seal_per_language(void **state)
{
	static const char *const kk[] = {
		"Оқу мерзімі: 2026 жылғы 2 қараша — 2026 жылғы 20 қараша",
		"Тіркеу нөмірі: ҚЖ-2026-0001", "Тіркеу нөмірі: ҚЖ-2026-0007", "М.О.",
		"«Денсаулық сақтау саласындағы", "«Әлеуметтік қызметкерлердің біліктілігін",
		"Астана, 2026 жылғы 20 қараша", NULL};
	static const char *const not_kk[] = {"Социальная работа", "ТОО «Центр", "М.П.", NULL};
	static const char *const ru[] = {
		"Период обучения: 2 ноября 2026 года — 20 ноября 2026 года",
		"Регистрационный номер: ҚЖ-2026-0001", "М.П.", "«Социальная работа в здравоохранении",
		"Организация: ТОО «Центр повышения квалификации социальных работников»",
		"Астана, 20 ноября 2026 года", NULL};
	static const char *const not_ru[] = {"Денсаулық сақтау", "ЖШС", "М.О.", "Тіркеу", NULL};
	static const char *const kkru[] = {
		"2026 жылғы 2 қараша — 2026 жылғы 20 қараша / 2 ноября 2026 года — 20 ноября 2026 года",
		"Тіркеу нөмірі: / Регистрационный номер: ҚЖ-2026-0001", "М.О. / М.П.",
		"«Денсаулық сақтау саласындағы", "«Социальная работа в здравоохранении",
		"ЖШС / ТОО «Центр", NULL};
	static const char *const en[] = {
		"Period of study: 2 November 2026 — 20 November 2026",
		"Registration No. ҚЖ-2026-0001", "L.S.", "“Social work in healthcare",
		"monthly monitoring”", "Organization: Centre for Qualification Improvement",
		"Astana, 20 November 2026", NULL};
	static const char *const not_en[] = {"«", "»", "\"", "Социальная", "Астана", NULL};
	char *t;
	(void)state;
	t = qjt_squash(example_text("kk"));
	expect_text("kk", t, kk, not_kk);
	free(t);
	t = qjt_squash(example_text("ru"));
	expect_text("ru", t, ru, not_ru);
	free(t);
	t = qjt_squash(example_text("kk+ru"));
	expect_text("kk+ru", t, kkru, NULL);
	free(t);
	t = qjt_squash(example_text("en"));
	expect_text("en", t, en, not_en);
	free(t);
}

/* The y of every signature rule ("line" items) of page 1 of a --dump,
 * and of the texts on the same row; returns how many rules. */
static int signature_rules(const char *dump, double *ys, int max)
{
	const char *p = dump;
	int n = 0;
	double x, y, w;
	while (n < max && (p = strstr(p, "\n  line body "))) {
		if (strstr(dump, "\npage 2") && p > strstr(dump, "\npage 2"))
			break;
		if (sscanf(p, "\n  line body %lf %lf %lf", &x, &y, &w) == 3)
			ys[n++] = y;
		p++;
	}
	return n;
}

/* Room to sign by hand: 12 mm and more between the signature rules (three
 * signers, the kk+ru text, the longest case), each signer's name on its
 * rule (its baseline within 2 pt above the line), the seal place beside
 * them, all on one page per person. */
static void test_certificates__room_to_sign(void **state)
{
	char dir[64], pdf[128], *dump;
	double ys[8];
	int n, i;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("sed 's|<signer role=\"secretary\"|<signer role=\"head\" name=\"Бауыржан Ержанұлы "
		   "Сейітов\"/><signer role=\"secretary\"|; s|emblem.png|%s/examples/emblem.png|; "
		   "s|name=\"Айдос Бекұлы Ыбыраев\"|& position=\"Әлеуметтік жұмыс жөніндегі маман\" "
		   "organization=\"№3 аудандық емхана\"|' examples/roster.xml > %s/r.xml",
		   getenv("PWD"), dir);
	qjt_run_free(&r);
	snprintf(pdf, sizeof pdf, "%s/c.pdf", dir);
	r = qjt_sh("%s certificates %s/r.xml --lang kk+ru --dump -o %s", qjt_bin(), dir, pdf);
	assert_int_equal(r.code, 0);
	dump = r.out;
	n = signature_rules(dump, ys, 8);
	assert_int_equal(n, 3);
	for (i = 1; i < n; i++)
		if (ys[i] - ys[i - 1] < 12 * 72 / 25.4)
			fail_msg("signature rules %d and %d are %.2f pt apart, less than 12 mm",
				 i, i + 1, ys[i] - ys[i - 1]);
	/* the names sit on their rules */
	{
		static const char *const names_on[] = {"Гүлнар Серікқызы Әлімжанова",
						       "Бауыржан Ержанұлы Сейітов",
						       "Айгерім Болатқызы Нұрланова"};
		for (i = 0; i < 3; i++) {
			char want[128];
			const char *at;
			double x, y, w;
			snprintf(want, sizeof want, "\"%s\"", names_on[i]);
			at = strstr(dump, want);
			assert_non_null(at);
			while (at > dump && at[-1] != '\n')
				at--;
			assert_int_equal(sscanf(at, "  text body %lf %lf %lf", &x, &y, &w), 3);
			if (!(y <= ys[i] && ys[i] - y <= 2))
				fail_msg("'%s' at y %.2f, its rule at %.2f", names_on[i], y, ys[i]);
		}
	}
	assert_non_null(strstr(dump, "\"М.О. / М.П.\""));
	assert_non_null(strstr(dump, "image body "));
	assert_non_null(strstr(dump, "/examples/emblem.png"));
	qjt_run_free(&r);
	/* one page per person even so, with the QR code's text on each */
	assert_int_equal(qjt_pdf_page_count(pdf), 7);
	r = qjt_sh("pdftotext %s - | grep -c '^[A-Z2-7]\\{10\\}$'", pdf);
	assert_string_equal(r.out, "7\n");
	qjt_run_free(&r);
}

/* A field missing in the printed language: the other language's value,
 * with one warning per field (not one per page); the emblem is found
 * relative to the roster wherever qujat runs; a missing emblem file is an
 * error and nothing is written; a language given twice is an error. */
static void test_certificates__fallback_and_emblem(void **state)
{
	char dir[64], pdf[128];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	put_file(dir, "kk.xml",
		 "<roster issued='2026-11-20'>\n"
		 "<organization xml:lang='kk'>Ұйым</organization>\n<emblem src='e.png'/>\n"
		 "<programme hours='72' xml:lang='kk'>Бағдарлама</programme>\n"
		 "<city xml:lang='ru'>Нур-Султан</city>\n"
		 "<signer role='director' name='А'/>\n"
		 "<person serial='1' name='Ә'/><person serial='2' name='Б'/></roster>\n");
	r = qjt_sh("cp examples/emblem.png %s/e.png && cd / && %s/%s certificates %s/kk.xml "
		   "--lang ru --dump -o %s/ru.pdf", dir, getenv("PWD"), qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	{
		char want[512];
		const char *w;
		int count = 0;
		snprintf(want, sizeof want, "%s/kk.xml:4: warning: no <programme xml:lang=\"ru\">: "
			 "the kk one is printed\n", dir);
		for (w = r.err; (w = strstr(w, want)); w++)
			count++;
		assert_int_equal(count, 1);
		snprintf(want, sizeof want, "%s/kk.xml:2: warning: no <organization xml:lang=\"ru\">: "
			 "the kk one is printed\n", dir);
		assert_non_null(strstr(r.err, want));
		snprintf(want, sizeof want, " %s/e.png\n", dir);
		assert_non_null(strstr(r.out, "\n  image body "));
		assert_non_null(strstr(r.out, want));
	}
	qjt_run_free(&r);
	snprintf(pdf, sizeof pdf, "%s/ru.pdf", dir);
	r = qjt_sh("pdftotext %s - | grep -c 'Бағдарлама\\|Нур-Султан, 20 ноября 2026 года'", pdf);
	assert_string_equal(r.out, "4\n");
	qjt_run_free(&r);
	/* the emblem file missing: an error, nothing written */
	unlink(pdf);
	r = qjt_sh("rm %s/e.png && %s certificates %s/kk.xml -o %s", dir, qjt_bin(), dir, pdf);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "e.png: cannot open"));
	assert_false(qjt_exists(pdf));
	qjt_run_free(&r);
	/* a language given twice */
	put_file(dir, "twice.xml",
		 "<roster issued='2026-11-20'><organization>О</organization>\n"
		 "<programme hours='72'>Бағдарлама</programme>\n"
		 "<programme xml:lang='ru'>Программа</programme>\n"
		 "<programme xml:lang='ru'>Программа еще раз</programme>\n"
		 "<signer role='director' name='А'/><person serial='1' name='Ә'/></roster>\n");
	r = qjt_sh("%s certificates %s/twice.xml -o %s", qjt_bin(), dir, pdf);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "twice.xml:4: error: a second <programme> in ru (first at line 3)"));
	assert_false(qjt_exists(pdf));
	qjt_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificates__names_fonts_and_pages),
		cmocka_unit_test(test_certificates__russian_plural_and_date),
		cmocka_unit_test(test_certificates__bad_input),
		cmocka_unit_test(test_certificates__shards),
		cmocka_unit_test(test_certificates__combined_bookmark_per_person),
		cmocka_unit_test(test_certificates__golden_display_list),
		cmocka_unit_test(test_certificates__bad_template),
		cmocka_unit_test(test_certificates__value_longer_than_a_page),
		cmocka_unit_test(test_certificates__missing_glyph_at_data_line),
		cmocka_unit_test(test_certificates__missing_paths),
		cmocka_unit_test(test_certificates__sex_from_patronymic),
		cmocka_unit_test(test_certificates__russian_sentence_per_person),
		cmocka_unit_test(test_certificates__period_number_seal_per_language),
		cmocka_unit_test(test_certificates__room_to_sign),
		cmocka_unit_test(test_certificates__fallback_and_emblem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
