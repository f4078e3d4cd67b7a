/* test_plan: end to end through `qujat plan`: every example record prints
 * in kk, ru and kk+ru with every measure text (in the printed language, or
 * the only one the record has) and every signer's name found by pdftotext;
 * the long plan runs over pages with the measures header on each and the
 * "NUMBER — N / M" footer on every page; measures come grouped by kind of
 * service in the law's order, by due date inside; a directory batch writes
 * one PDF per record with safe names; a record with errors writes nothing
 * and makes the exit code 2. Today is fixed at 2026-11-23. */
#include "qjtest.h"

#include <dirent.h>
#include <glob.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "base/base.h"
#include "cli/cmds.h"
#include "xml/xml.h"

static const char *services[] = {
	"social-household", "social-medical", "social-psychological", "social-pedagogical",
	"social-cultural", "social-economic", "social-legal", "social-labour"};

/* Text as compared (both sides): typography undone (quote marks dropped,
 * since the data's "…" print as «…»; dashes and the no-break hyphen U+2011
 * count as '-'), white space squashed, the space after a hyphen dropped
 * ("жилищно-\nкоммунальных"), and a hyphen at a line end marked as
 * optional (HYPH): it may be the word's own hyphen or the one hyphenation
 * drew ("тұтқа-\nлар"); find() tries both. In place. */
#define HYPH '\x01'
static char *norm(char *s)
{
	static const char *const marks[] = {"\"", "«", "»", "„", "“", "”"};
	char *r, *w;
	size_t k;
	for (r = w = s; *r;) {
		for (k = 0; k < sizeof marks / sizeof *marks; k++)
			if (!strncmp(r, marks[k], strlen(marks[k])))
				break;
		if (k < sizeof marks / sizeof *marks) {
			r += strlen(marks[k]);
		} else if (!strncmp(r, "\u2011", 3) || !strncmp(r, "—", 3) || !strncmp(r, "–", 3)) {
			*w++ = '-';
			r += 3;
		} else if (*r == '-' && r[1] == '\n') {
			*w++ = HYPH;
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	r = qjt_squash(s);
	for (w = s; *r; r++) {
		*w++ = *r;
		if ((*r == '-' || *r == HYPH) && r[1] == ' ')
			r++;
	}
	*w = 0;
	return s;
}

/* Whether needle is in hay at h, HYPH in hay read as '-' or as nothing. */
static int match_at(const char *h, const char *n)
{
	for (; *n; h++, n++) {
		if (*h == HYPH)
			return (*n == '-' && match_at(h + 1, n + 1)) || match_at(h + 1, n);
		if (*h != *n)
			return 0;
	}
	return 1;
}

/* strstr for normalized texts. */
static const char *find(const char *hay, const char *needle)
{
	for (; *hay; hay++)
		if (match_at(hay, needle))
			return hay;
	return NULL;
}

/* The text of a PDF in content order. */
static char *pdf_text(const char *pdf)
{
	qjt_run r = qjt_sh("pdftotext -raw -enc UTF-8 '%s' -", pdf);
	free(r.err);
	assert_int_equal(r.code, 0);
	return r.out;
}

/* A record parsed for the test's own XPath (qj_xml_init() has turned
 * libxml2's file loader off, so read the bytes here). */
static xmlDocPtr read_doc(const char *path)
{
	char *bytes = qjt_slurp(path);
	xmlDocPtr doc;
	assert_non_null(bytes);
	doc = xmlReadMemory(bytes, (int)strlen(bytes), path, NULL, XML_PARSE_NONET);
	free(bytes);
	assert_non_null(doc);
	return doc;
}

/* string(expr) with node as context; malloc'd and normalized */
static char *xstr(xmlXPathContextPtr xp, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr o;
	xmlChar *s;
	char *out;
	xp->node = node;
	o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	assert_non_null(o);
	s = xmlXPathCastToString(o);
	out = strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(o);
	return norm(out);
}

static xmlXPathObjectPtr xnodes(xmlXPathContextPtr xp, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr o;
	xp->node = node;
	o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	assert_non_null(o);
	assert_int_equal(o->type, XPATH_NODESET);
	return o;
}

/* The wording of a measure in lang: its text in that language, else its
 * only (first) text. */
static char *measure_text(xmlXPathContextPtr xp, xmlNodePtr m, const char *lang)
{
	char expr[200];
	snprintf(expr, sizeof expr,
		 "string((text[lang('%s')] | text[1][not(../text[lang('%s')])])[1])", lang, lang);
	return xstr(xp, m, expr);
}

/* Prints rec in lang to pdf and checks every measure text and signer. */
static void check_record(const char *rec, const char *lang, const char *pdf)
{
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	xmlXPathObjectPtr ms, sig;
	qjt_run r;
	char *text, langs[16], *l2;
	int i, nfound = 0;

	r = qjt_sh("%s plan %s --lang %s -o %s", qjt_bin(), rec, lang, pdf);
	if (r.code != 0 || *r.err)
		fail_msg("%s --lang %s: exit %d: %s", rec, lang, r.code, r.err);
	qjt_run_free(&r);
	text = norm(pdf_text(pdf));
	doc = read_doc(rec);
	assert_non_null(doc);
	xp = xmlXPathNewContext(doc);
	snprintf(langs, sizeof langs, "%s", lang);
	l2 = strchr(langs, '+');
	if (l2)
		*l2++ = 0;
	ms = xnodes(xp, xmlDocGetRootElement(doc), "/client-record/measures/measure");
	for (i = 0; ms->nodesetval && i < ms->nodesetval->nodeNr; i++) {
		xmlNodePtr m = ms->nodesetval->nodeTab[i];
		char *a = measure_text(xp, m, langs), *b = l2 ? measure_text(xp, m, l2) : NULL;
		if (!find(text, a))
			fail_msg("%s --lang %s: measure text not found: %s", rec, lang, a);
		if (b && !find(text, b))
			fail_msg("%s --lang %s: measure text not found: %s", rec, lang, b);
		/* one language asked: the other's wording is not printed */
		if (!l2) {
			char *other = measure_text(xp, m, strcmp(langs, "kk") ? "kk" : "ru");
			if (strcmp(other, a) && find(text, other))
				fail_msg("%s --lang %s: other language printed: %s", rec, lang, other);
			free(other);
		}
		free(a);
		free(b);
		nfound++;
	}
	assert_true(nfound > 0);
	xmlXPathFreeObject(ms);
	/* every signer's printed name */
	sig = xnodes(xp, xmlDocGetRootElement(doc), "/client-record/signatures/signature");
	assert_true(sig->nodesetval && sig->nodesetval->nodeNr >= 2);
	for (i = 0; i < sig->nodesetval->nodeNr; i++) {
		xmlChar *who = xmlGetProp(sig->nodesetval->nodeTab[i], (const xmlChar *)"person");
		char expr[128], *name;
		snprintf(expr, sizeof expr, "string(//*[@id = '%s']/name)", (const char *)who);
		xmlFree(who);
		name = xstr(xp, xmlDocGetRootElement(doc), expr);
		assert_true(*name);
		if (!find(text, name))
			fail_msg("%s --lang %s: signer not found: %s", rec, lang, name);
		free(name);
	}
	xmlXPathFreeObject(sig);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	free(text);
}

static void test_plan__examples_print_in_kk_ru_and_both(void **state)
{
	static const char *langs[] = {"kk", "ru", "kk+ru"};
	char dir[64], pdf[128];
	glob_t g;
	size_t i, k;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	assert_int_equal(glob("examples/records/*.xml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 6);
	/* every record in every language: labels follow --lang; free text in
	 * a language the record lacks falls back to the one it has */
	for (i = 0; i < g.gl_pathc; i++)
		for (k = 0; k < 3; k++) {
			snprintf(pdf, sizeof pdf, "%s/p-%zu-%zu.pdf", dir, i, k);
			check_record(g.gl_pathv[i], langs[k], pdf);
			unlink(pdf);
		}
	globfree(&g);
	rmdir(dir);
}

static void test_plan__labels_in_the_printed_language(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *t;
	(void)state;
	qjt_path(pdf, sizeof pdf, "plan-labels.pdf");
	r = qjt_sh("%s plan examples/records/disability-adult-kk.xml --lang ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	t = norm(pdf_text(pdf));
	assert_non_null(find(t, "Индивидуальный план работы с лицом (семьёй)"));
	assert_non_null(find(t, "Социально-бытовые услуги"));
	assert_non_null(find(t, "Стойкие нарушения функций организма"));
	assert_non_null(find(t, "Обязанности лица (семьи)"));
	assert_non_null(find(t, "Своевременно извещать субъекты"));
	assert_non_null(find(t, "2 марта 2026 года"));
	assert_null(find(t, "Әлеуметтік-тұрмыстық"));
	free(t);
	r = qjt_sh("%s plan examples/records/disability-adult-kk.xml --lang kk+ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	t = norm(pdf_text(pdf));
	assert_non_null(find(t, "Әлеуметтік-тұрмыстық қызметтер / Социально-бытовые услуги"));
	assert_non_null(find(t, "2026 жылғы 2 наурыз / 2 марта 2026 года"));
	assert_non_null(find(t, "Уақтылы хабардар ету") || find(t, "уақтылы хабардар ету"));
	free(t);
	/* the default language is the record's own */
	r = qjt_sh("%s plan examples/records/release-from-prison-ru.xml -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	t = norm(pdf_text(pdf));
	assert_non_null(find(t, "Подписи"));
	assert_null(find(t, "Қолдар"));
	free(t);
	unlink(pdf);
}

/* Measure ids in the order they are printed, from the raw text (not
 * squashed): each row begins a line with the id. */
static int printed_order(const char *text, xmlXPathContextPtr xp, xmlNodePtr root,
			 xmlNodePtr *out, int max)
{
	xmlXPathObjectPtr ms = xnodes(xp, root, "/client-record/measures/measure");
	int n = ms->nodesetval->nodeNr, i, k = 0;
	const char **at = calloc((size_t)n, sizeof *at);
	char pat[64];
	for (i = 0; i < n; i++) {
		xmlChar *id = xmlGetProp(ms->nodesetval->nodeTab[i], (const xmlChar *)"id");
		snprintf(pat, sizeof pat, "\n%s ", (const char *)id);
		at[i] = find(text, pat);
		xmlFree(id);
		assert_non_null(at[i]);
	}
	/* selection by position */
	while (k < n && k < max) {
		int best = -1;
		for (i = 0; i < n; i++)
			if (at[i] && (best < 0 || at[i] < at[best]))
				best = i;
		out[k++] = ms->nodesetval->nodeTab[best];
		at[best] = NULL;
	}
	free(at);
	xmlXPathFreeObject(ms);
	return k;
}

static int service_rank(xmlNodePtr m)
{
	xmlChar *s = xmlGetProp(m, (const xmlChar *)"service");
	int i, r = -1;
	for (i = 0; i < 8; i++)
		if (!strcmp((const char *)s, services[i]))
			r = i;
	xmlFree(s);
	return r;
}

static void test_plan__measures_grouped_by_service_then_due_date(void **state)
{
	char pdf[PATH_MAX];
	xmlNodePtr order[200];
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	qjt_run r;
	char *t;
	int n, i;
	(void)state;
	qjt_path(pdf, sizeof pdf, "plan-order.pdf");
	r = qjt_sh("%s plan examples/records/large-family-kk-ru.xml --lang kk -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	t = pdf_text(pdf);
	doc = read_doc("examples/records/large-family-kk-ru.xml");
	xp = xmlXPathNewContext(doc);
	n = printed_order(t, xp, xmlDocGetRootElement(doc), order, 200);
	assert_true(n >= 40);
	for (i = 1; i < n; i++) {
		int a = service_rank(order[i - 1]), b = service_rank(order[i]);
		xmlChar *da = xmlGetProp(order[i - 1], (const xmlChar *)"due");
		xmlChar *db = xmlGetProp(order[i], (const xmlChar *)"due");
		assert_true(a >= 0 && b >= 0);
		if (a > b || (a == b && strcmp((const char *)da, (const char *)db) > 0))
			fail_msg("measure %d printed out of order (due %s after %s)", i, db, da);
		xmlFree(da);
		xmlFree(db);
	}
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	free(t);
	unlink(pdf);
}

/* The long plan (44 measures): the table runs over several pages, its
 * header row is on every one of them, and every page has the footer. */
static void long_plan(const char *lang, const char *head1, const char *head2)
{
	char pdf[PATH_MAX], want[128];
	const char *number = "ТРК-САЙ-2026/0031";
	char *text[64];
	qjt_run r;
	int pages, p, table_pages = 0, first = 0, last = 0;
	qjt_path(pdf, sizeof pdf, "plan-long.pdf");
	r = qjt_sh("%s plan examples/records/large-family-kk-ru.xml --lang %s -o %s",
		   qjt_bin(), lang, pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	pages = qjt_pdf_pages(pdf, 1, text, 64);
	assert_true(pages >= 4 && pages < 64);
	assert_int_equal(pages, qjt_pdf_page_count(pdf));
	/* pages with measure rows: a01…a44 begin rows */
	for (p = 1; p <= pages; p++) {
		char *raw = text[p - 1], *t;
		int rows = 0, k;
		char id[16];
		for (k = 1; k <= 44; k++) {
			snprintf(id, sizeof id, "\na%02d ", k);
			if (strstr(raw, id))
				rows++;
		}
		t = norm(raw);
		snprintf(want, sizeof want, "%s — %d / %d", number, p, pages);
		norm(want);
		if (!find(t, want))
			fail_msg("--lang %s page %d: no footer '%s'", lang, p, want);
		if (rows) {
			if (!first)
				first = p;
			last = p;
			table_pages++;
			if (!find(t, head1) || !find(t, head2))
				fail_msg("--lang %s page %d: measure rows without the header row", lang, p);
		}
		free(t);
	}
	assert_true(table_pages >= 3);
	assert_int_equal(table_pages, last - first + 1);
	unlink(pdf);
}

static void test_plan__long_plan_repeats_header_and_footer(void **state)
{
	(void)state;
	long_plan("kk", "Іс-шара", "Жауапты");
	long_plan("ru", "Мероприятие", "Ответственный");
	long_plan("kk+ru", "Іс-шара / Мероприятие", "Жауапты / Ответственный");
}

static void test_plan__signature_block_has_lines_names_and_dates(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *t;
	(void)state;
	qjt_path(pdf, sizeof pdf, "plan-sign.pdf");
	r = qjt_sh("%s plan examples/records/early-development-ru.xml -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	t = norm(pdf_text(pdf));
	assert_non_null(find(t, "Подписи"));
	assert_non_null(find(t, "Подпись"));
	assert_non_null(find(t, "Социальный работник"));
	assert_non_null(find(t, "Руководитель структурного подразделения"));
	assert_non_null(find(t, "02.02.2026"));
	assert_non_null(find(t, "03.02.2026"));
	free(t);
	/* the lines to sign on are drawn: one stroked rule per signer and date */
	r = qjt_sh("%s plan examples/records/early-development-ru.xml --dump -o %s | grep -c '^ *line '",
		   qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	assert_true(atoi(r.out) >= 10);
	qjt_run_free(&r);
	unlink(pdf);
}

/* writes base.xml with its plan number replaced */
static void write_record(const char *path, const char *number)
{
	char *base = qjt_slurp("tests/data/records/base.xml");
	const char *old = "number=\"ТЕСТ-2026/001\"";
	char *at;
	FILE *fp;
	assert_non_null(base);
	at = strstr(base, old);
	assert_non_null(at);
	*at = 0;
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%snumber=\"%s\"%s", base, number, at + strlen(old));
	fclose(fp);
	free(base);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_plan__batch_writes_one_pdf_per_record_with_safe_names(void **state)
{
	static const struct { const char *number, *file; } cases[] = {
		{"ТЕСТ-2026/001", "ТЕСТ-2026_001.pdf"},
		{"../../etc/passwd", "etc_passwd.pdf"},
		{" .hidden\\plan: 7 ", "hidden_plan_7.pdf"},
		{"A&#9;B&#10;C&#x85;D", "A_B_C_D.pdf"},
		{"CON", "_CON.pdf"},
		{"ТЕСТ-2026/001", "ТЕСТ-2026_001-2.pdf"},
		{"...", "plan.pdf"},
		{"x&#x202E;y&#xA0;z", "xy_z.pdf"}, /* normalization drops U+202E */
	};
	char dir[64], in[128], out[128], p[256], cmd[4096];
	qjt_run r;
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(out, sizeof out, "%s/out", dir);
	snprintf(cmd, sizeof cmd, "%s plan", qjt_bin());
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(in, sizeof in, "%s/r%zu.xml", dir, i);
		write_record(in, cases[i].number);
		strcat(cmd, " ");
		strcat(cmd, in);
	}
	r = qjt_sh("%s -o %s", cmd, out);
	if (r.code != 0)
		fail_msg("exit %d: %s", r.code, r.err);
	assert_string_equal(r.err, "");
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(p, sizeof p, "%s/%s", out, cases[i].file);
		if (!qjt_exists(p))
			fail_msg("'%s' gave no %s; wrote:\n%s", cases[i].number, cases[i].file, r.out);
		/* the path is printed */
		assert_non_null(strstr(r.out, p));
	}
	assert_int_equal(count_files(out), (int)(sizeof cases / sizeof *cases));
	qjt_run_free(&r);
	/* nothing escaped the directory */
	snprintf(p, sizeof p, "%s/etc_passwd.pdf", dir);
	assert_false(qjt_exists(p));
	/* one record and -o naming an existing directory: named the same way */
	r = qjt_sh("%s plan examples/records/elderly-alone-kk.xml -o %s", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(p, sizeof p, "%s/ҚЗО-ҮӘҚ-2026_0219.pdf", dir);
	assert_true(qjt_exists(p));
	qjt_rm_rf(dir);
}

static void test_plan__record_with_errors_writes_no_pdf(void **state)
{
	char dir[64], out[128];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(out, sizeof out, "%s/p.pdf", dir);
	r = qjt_sh("%s plan tests/data/records/unknown-goal.xml -o %s", qjt_bin(), out);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "tests/data/records/unknown-goal.xml:"));
	assert_non_null(strstr(r.err, ": error: measure 'a2' names unknown goal 'g2'"));
	assert_false(qjt_exists(out));
	assert_int_equal(count_files(dir), 0);
	qjt_run_free(&r);
	/* in a batch the good records still print; the exit code is 2 */
	snprintf(out, sizeof out, "%s/batch", dir);
	r = qjt_sh("%s plan tests/data/records/due-outside-period.xml examples/records/elderly-alone-kk.xml "
		   "tests/data/records/schema-status.xml -o %s", qjt_bin(), out);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "due-outside-period.xml:"));
	assert_non_null(strstr(r.err, "schema-status.xml:"));
	assert_int_equal(count_files(out), 1);
	qjt_run_free(&r);
	qjt_rm_rf(dir);
}

static void test_plan__warnings_print_but_do_not_stop(void **state)
{
	char out[PATH_MAX];
	qjt_run r;
	(void)state;
	qjt_path(out, sizeof out, "plan-warn.pdf");
	unlink(out);
	r = qjt_sh("%s plan tests/data/records/warning-overdue.xml -o %s", qjt_bin(), out);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, ": warning: measure "));
	assert_true(qjt_exists(out));
	qjt_run_free(&r);
	r = qjt_sh("qpdf --check %s", out);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	unlink(out);
}

static void test_plan__usage_errors(void **state)
{
	char x[PATH_MAX], file[PATH_MAX];
	qjt_run r;
	(void)state;
	qjt_path(x, sizeof x, "x.pdf");
	qjt_path(file, sizeof file, "plan-file");
	r = qjt_sh("%s plan examples/records/elderly-alone-kk.xml", qjt_bin());
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "usage: qujat plan"));
	qjt_run_free(&r);
	r = qjt_sh("%s plan examples/records/elderly-alone-kk.xml --lang de -o %s", qjt_bin(), x);
	assert_int_equal(r.code, 1);
	assert_false(qjt_exists(x));
	qjt_run_free(&r);
	/* several records need a directory, not a file */
	r = qjt_sh("touch %s && %s plan examples/records/elderly-alone-kk.xml "
		   "examples/records/disability-adult-kk.xml -o %s", file, qjt_bin(), file);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "must be a directory"));
	qjt_run_free(&r);
	unlink(file);
}

/* Out of memory at any allocation through the context, squeezed over a
 * whole run of the command in-process: a failing exit code, never a crash
 * (run under SANITIZE=1 for leaks), and no PDF at the output path. */
static void test_plan__out_of_memory_fails_cleanly(void **state)
{
	char a0[] = "tests/data/records/base.xml", a1[] = "-o", a2[PATH_MAX];
	char *argv[] = {a0, a1, a2, NULL};
	qj_ctx *ctx;
	long total, n, step;
	int rc;
	(void)state;
	qjt_path(a2, sizeof a2, "plan-oom.pdf");
	unlink(a2);
	ctx = qj_ctx_new();
	qj_diag_set_sink(ctx, NULL);
	assert_int_equal(qj_opt_run(ctx, &qj_cmd_plan, 3, argv), 0);
	total = qj_ctx_alloc_count(ctx);
	qj_ctx_free(ctx);
	assert_true(qjt_exists(a2));
	unlink(a2);
	step = total / 300 + 1;
	for (n = 1; n <= total; n += step) {
		ctx = qj_ctx_new();
		qj_diag_set_sink(ctx, NULL);
		qj_ctx_fail_after(ctx, n);
		rc = qj_opt_run(ctx, &qj_cmd_plan, 3, argv);
		if (rc == 0)
			assert_false(qj_ctx_oom(ctx));
		else {
			/* out of memory is the program's failure, never "bad input" */
			assert_int_equal(rc, 3);
			assert_false(qjt_exists(a2));
		}
		unlink(a2);
		qj_ctx_free(ctx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan__examples_print_in_kk_ru_and_both),
		cmocka_unit_test(test_plan__labels_in_the_printed_language),
		cmocka_unit_test(test_plan__measures_grouped_by_service_then_due_date),
		cmocka_unit_test(test_plan__long_plan_repeats_header_and_footer),
		cmocka_unit_test(test_plan__signature_block_has_lines_names_and_dates),
		cmocka_unit_test(test_plan__batch_writes_one_pdf_per_record_with_safe_names),
		cmocka_unit_test(test_plan__record_with_errors_writes_no_pdf),
		cmocka_unit_test(test_plan__warnings_print_but_do_not_stop),
		cmocka_unit_test(test_plan__usage_errors),
		cmocka_unit_test(test_plan__out_of_memory_fails_cleanly),
	};
	setenv("QUJAT_TODAY", "2026-11-23", 1);
	qj_xml_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
