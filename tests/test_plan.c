/* test_plan: end to end through `qujat plan`: every example record prints
 * in kk, ru and kk+ru with every measure text (in the printed language, or
 * the only one the record has) and every signer's name found by pdftotext;
 * the long plan runs over pages with the measures header on each and the
 * "NUMBER — N / M" footer on every page; measures come grouped by kind of
 * service in the law's order, by due date inside, goals and measures
 * numbered 1…N in the printed order (never the record's ids); labels follow
 * the sex of each person (Дочь / Қызы), neutral without it, never a paired
 * form for a person whose sex is known; signature lines 12 mm apart with
 * the date line on the signature line's baseline; a directory batch writes
 * one PDF per record and language with safe names; a record with errors
 * writes nothing and makes the exit code 2. Today is fixed at 2026-11-23. */
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

/* Paired forms printed only for a person whose sex is not known; every
 * person of the examples has a sex. */
static const char *paired[] = {
	"(а)", "(ла)", "(ая)", "(ка)", "(дочь)", "(супруга)", "(падчерица)", "(внучка)",
	"(мать)", "(бабушка)", "(сестра)", "(подопечная)", "(самозанятая)", "(безработная)",
	"(студентка)", "(школьница)", "(пенсионерка)", "(анасы)", "(әжесі)", "(зайыбы)",
	"(әпкесі", "исполнитель"};

static void no_paired_forms(const char *what, const char *text)
{
	size_t i;
	for (i = 0; i < sizeof paired / sizeof *paired; i++)
		if (find(text, paired[i]))
			fail_msg("%s: a form for a person of unknown sex: %s", what, paired[i]);
}

/* Prints rec in lang to pdf and checks every measure text and signer, and
 * that no label is a paired form. */
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
	{
		char what[256];
		snprintf(what, sizeof what, "%s --lang %s", rec, lang);
		no_paired_forms(what, text);
	}
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

/* Bytes two normalized strings share at their start. */
static size_t common_prefix(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* The measures in the order they are printed, from the raw text (not
 * squashed): row k begins a line with its number k and the first line of
 * its text (in lang), so the rows are found for k = 1, 2, … in turn, each
 * after the one before; at[k] is where row k begins. Fails when a row is
 * missing or a number is printed twice. Returns the number of rows. */
static int printed_order(const char *text, xmlXPathContextPtr xp, xmlNodePtr root,
			 const char *lang, xmlNodePtr *out, const char **at, int max)
{
	xmlXPathObjectPtr ms = xnodes(xp, root, "/client-record/measures/measure");
	int n = ms->nodesetval->nodeNr, i, k;
	char **words = calloc((size_t)n, sizeof *words);
	int *used = calloc((size_t)n, sizeof *used);
	const char *from = text;
	char pat[32];
	assert_true(n <= max);
	for (i = 0; i < n; i++)
		words[i] = measure_text(xp, ms->nodesetval->nodeTab[i], lang);
	for (k = 1; k <= n; k++) {
		const char *p = from;
		int best = -1;
		snprintf(pat, sizeof pat, "\n%d ", k);
		/* the first line "k …" that begins a measure's text */
		while (best < 0 && (p = strstr(p, pat))) {
			const char *line = p + strlen(pat), *end = strchr(line, '\n');
			char buf[512];
			size_t len = end ? (size_t)(end - line) : strlen(line), want, got = 0;
			if (len >= sizeof buf)
				len = sizeof buf - 1;
			memcpy(buf, line, len);
			buf[len] = 0;
			norm(buf);
			len = strlen(buf);
			if (len && buf[len - 1] == '-')
				buf[--len] = 0; /* a hyphenated or hard-hyphen break */
			want = len < 12 ? len : 12;
			for (i = 0; i < n; i++) {
				size_t c = used[i] ? 0 : common_prefix(buf, words[i]);
				if (c >= want && c > got) {
					got = c;
					best = i;
				}
			}
			if (best < 0)
				p += strlen(pat);
			else
				at[k - 1] = p;
		}
		if (best < 0)
			fail_msg("no row numbered %d after row %d", k, k - 1);
		used[best] = 1;
		out[k - 1] = ms->nodesetval->nodeTab[best];
		from = at[k - 1] + 1;
	}
	/* no row numbered N+1, and no id printed as a number */
	snprintf(pat, sizeof pat, "\n%d ", n + 1);
	for (i = 0; i < n; i++) {
		xmlChar *id = xmlGetProp(ms->nodesetval->nodeTab[i], (const xmlChar *)"id");
		char idpat[64];
		snprintf(idpat, sizeof idpat, "\n%s ", (const char *)id);
		if (strstr(text, idpat))
			fail_msg("the id '%s' is printed as a number", (const char *)id);
		xmlFree(id);
		free(words[i]);
	}
	free(words);
	free(used);
	xmlXPathFreeObject(ms);
	return n;
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
	const char *at[200];
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
	n = printed_order(t, xp, xmlDocGetRootElement(doc), "kk", order, at, 200);
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
	char pdf[PATH_MAX], want[128], first_lang[8];
	const char *number = "ТРК-САЙ-2026/0031";
	char *text[64], *all;
	int rows_on[64] = {0};
	xmlNodePtr order[200];
	const char *at[200];
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	qjt_run r;
	int pages, p, table_pages = 0, first = 0, last = 0, n, k;
	qjt_path(pdf, sizeof pdf, "plan-long.pdf");
	r = qjt_sh("%s plan examples/records/large-family-kk-ru.xml --lang %s -o %s",
		   qjt_bin(), lang, pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	pages = qjt_pdf_pages(pdf, 1, text, 64);
	assert_true(pages >= 4 && pages < 64);
	assert_int_equal(pages, qjt_pdf_page_count(pdf));
	/* the page of each measure row: form feeds before it */
	all = pdf_text(pdf);
	snprintf(first_lang, sizeof first_lang, "%.2s", lang);
	doc = read_doc("examples/records/large-family-kk-ru.xml");
	xp = xmlXPathNewContext(doc);
	n = printed_order(all, xp, xmlDocGetRootElement(doc), first_lang, order, at, 200);
	assert_int_equal(n, 44);
	for (k = 0; k < n; k++) {
		const char *c;
		int pg = 0;
		for (c = all; c < at[k]; c++)
			pg += *c == '\f';
		assert_true(pg < pages);
		rows_on[pg]++;
	}
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	free(all);
	for (p = 1; p <= pages; p++) {
		char *t = norm(text[p - 1]);
		snprintf(want, sizeof want, "%s — %d / %d", number, p, pages);
		norm(want);
		if (!find(t, want))
			fail_msg("--lang %s page %d: no footer '%s'", lang, p, want);
		if (rows_on[p - 1]) {
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

/* Labels chosen by each person's sex: Аружан is «Қызы / Дочь»; the
 * record without any sex gets the neutral labels, the one with a sex for
 * everybody no paired form. */
static void test_plan__labels_follow_the_persons_sex(void **state)
{
	static const struct { const char *rec, *lang; const char *want[12]; } cases[] = {
		{"examples/records/large-family-kk-ru.xml", "kk+ru",
		 {"Сейітова Аружан Дәуренқызы 03.06.2014 Қызы / Дочь Мектеп оқушысы / Школьница",
		  "Сейітов Ерасыл Дәуренұлы 14.02.2012 Ұлы / Сын", "Зайыбы / Супруга", "Өзі / Сам",
		  "Жұмыссыз / Безработный", "Мүгедектігі бар бала / Ребёнок с инвалидностью", NULL}},
		{"tests/data/records/sex-given.xml", "ru",
		 {"Сам Безработный", "Супруга Безработная", "Дочь Школьница", "Сын Студент",
		  "Мать Пенсионерка", "Брат Самозанятый", "(провела: Иванова Мария Петровна)", NULL}},
		{"tests/data/records/sex-given.xml", "kk",
		 {"Өзі Жұмыссыз", "Зайыбы Жұмыссыз", "Қызы Мектеп оқушысы", "Ұлы Студент",
		  "Анасы Зейнеткер", "Бауыры", NULL}},
		{"tests/data/records/sex-unknown.xml", "ru",
		 {"Сам(а) Безработный (безработная)", "Супруг (супруга) Безработный (безработная)",
		  "Ребёнок Учится в школе", "Ребёнок Студент (студентка)",
		  "Родитель Пенсионер (пенсионерка)", "Брат (сестра) Самозанятый (самозанятая)",
		  "(исполнитель: Иванова Мария Петровна)", NULL}},
		{"tests/data/records/sex-unknown.xml", "kk",
		 {"Өзі Жұмыссыз", "Жұбайы (зайыбы) Жұмыссыз", "Баласы Мектеп оқушысы",
		  "Баласы Студент", "Әкесі (анасы) Зейнеткер", NULL}},
	};
	char pdf[PATH_MAX];
	size_t i, k;
	(void)state;
	qjt_path(pdf, sizeof pdf, "plan-sex.pdf");
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		qjt_run r = qjt_sh("%s plan %s --lang %s -o %s", qjt_bin(), cases[i].rec,
				   cases[i].lang, pdf);
		char *t;
		if (r.code != 0)
			fail_msg("%s: exit %d: %s", cases[i].rec, r.code, r.err);
		qjt_run_free(&r);
		t = norm(pdf_text(pdf));
		for (k = 0; cases[i].want[k]; k++)
			if (!find(t, cases[i].want[k]))
				fail_msg("%s --lang %s: no '%s' in\n%s", cases[i].rec, cases[i].lang,
					 cases[i].want[k], t);
		if (strstr(cases[i].rec, "sex-unknown"))
			assert_null(find(t, "Дочь"));
		else
			no_paired_forms(cases[i].rec, t);
		/* the old catalog wordings are gone */
		assert_null(find(t, "Ребенок-инвалид"));
		assert_null(find(t, "Мүгедек бала"));
		assert_null(strstr(t, "Сын (дочь)"));
		assert_null(strstr(t, "проводил"));
		free(t);
	}
	unlink(pdf);
}

/* Goals numbered 1…N in their printed order, the record's ids (g1, g2…)
 * nowhere: each goal's row is "k. " and its text. */
static void test_plan__goals_numbered_in_printed_order(void **state)
{
	char pdf[PATH_MAX];
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	xmlXPathObjectPtr gs;
	qjt_run r;
	char *t;
	const char *from;
	int i;
	(void)state;
	qjt_path(pdf, sizeof pdf, "plan-goals.pdf");
	r = qjt_sh("%s plan examples/records/large-family-kk-ru.xml --lang ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	t = pdf_text(pdf);
	doc = read_doc("examples/records/large-family-kk-ru.xml");
	xp = xmlXPathNewContext(doc);
	gs = xnodes(xp, xmlDocGetRootElement(doc), "/client-record/goals/goal");
	assert_true(gs->nodesetval->nodeNr >= 6);
	from = strstr(t, "\n4. Цели работы");
	assert_non_null(from);
	for (i = 0; i < gs->nodesetval->nodeNr; i++) {
		char *g = xstr(xp, gs->nodesetval->nodeTab[i], "string(text[lang('ru')])");
		char want[64], *id = (char *)xmlGetProp(gs->nodesetval->nodeTab[i], (const xmlChar *)"id");
		const char *at;
		/* "k. " and the first word of the goal */
		snprintf(want, sizeof want, "\n%d. %.*s", i + 1, (int)strcspn(g, " "), g);
		at = strstr(from, want);
		if (!at)
			fail_msg("goal %d not printed as '%s'", i + 1, want + 1);
		from = at + 1;
		snprintf(want, sizeof want, "\n%s ", id);
		if (strstr(t, want))
			fail_msg("the id '%s' is printed", id);
		xmlFree(id);
		free(g);
	}
	xmlXPathFreeObject(gs);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	free(t);
	unlink(pdf);
}

/* The signature block in the display list: after the signatures heading,
 * every signer has a signature rule and a date rule at the same y (the
 * date on the signature line's baseline), and one signer's rules are at
 * least 12 mm below the one before on the same page. */
static void signature_rules(const char *rec, const char *lang, const char *heading, int signers)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *line, *save = NULL;
	double y[64], x[64], last_y = -1;
	int n = 0, seen = 0, rows = 0, i;
	qjt_path(pdf, sizeof pdf, "plan-rules.pdf");
	r = qjt_sh("%s plan %s --lang %s --dump -o %s", qjt_bin(), rec, lang, pdf);
	assert_int_equal(r.code, 0);
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		double lx, ly, lw, lh;
		if (!seen) {
			seen = strstr(line, " text ") && strstr(line, heading);
			continue;
		}
		if (!strncmp(line, "page ", 5) || !strncmp(line, "bookmark ", 9)) {
			last_y = -1; /* rules on a new page start afresh */
			n = 0;
			continue;
		}
		if (sscanf(line, " line body %lf %lf %lf %lf", &lx, &ly, &lw, &lh) != 4)
			continue;
		assert_true(n < 64);
		x[n] = lx;
		y[n++] = ly;
		if (n % 2)
			continue;
		/* a pair: the signature line, then the date line to its right */
		if (!(x[n - 2] < x[n - 1]) || y[n - 2] != y[n - 1])
			fail_msg("%s --lang %s signer %d: signature rule at y %.2f, date rule at y %.2f",
				 rec, lang, rows + 1, y[n - 2], y[n - 1]);
		if (last_y >= 0 && y[n - 1] - last_y < 12 / 25.4 * 72)
			fail_msg("%s --lang %s signer %d: %.1f mm below the one before", rec, lang,
				 rows + 1, (y[n - 1] - last_y) * 25.4 / 72);
		last_y = y[n - 1];
		rows++;
	}
	assert_true(seen);
	assert_int_equal(rows, signers);
	for (i = 0; i < n; i++)
		assert_true(y[i] > 0);
	qjt_run_free(&r);
	unlink(pdf);
}

static void test_plan__signature_rules_12mm_apart_date_on_the_baseline(void **state)
{
	(void)state;
	signature_rules("examples/records/large-family-kk-ru.xml", "kk+ru", "Қолдар / Подписи", 7);
	signature_rules("examples/records/early-development-ru.xml", "ru", "\"Подписи\"", 5);
	signature_rules("tests/data/records/base.xml", "kk", "\"Қолдар\"", 3);
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
		{"ТЕСТ-2026/001", "ТЕСТ-2026_001.ru.pdf"},
		{"../../etc/passwd", "etc_passwd.ru.pdf"},
		{" .hidden\\plan: 7 ", "hidden_plan_7.ru.pdf"},
		{"A&#9;B&#10;C&#x85;D", "A_B_C_D.ru.pdf"},
		{"CON", "_CON.ru.pdf"},
		{"ТЕСТ-2026/001", "ТЕСТ-2026_001-2.ru.pdf"},
		{"...", "plan.ru.pdf"},
		{"x&#x202E;y&#xA0;z", "xy_z.ru.pdf"}, /* normalization drops U+202E */
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
	snprintf(p, sizeof p, "%s/etc_passwd.ru.pdf", dir);
	assert_false(qjt_exists(p));
	/* one record and -o naming an existing directory: named the same way */
	r = qjt_sh("%s plan examples/records/elderly-alone-kk.xml -o %s", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(p, sizeof p, "%s/ҚЗО-ҮӘҚ-2026_0219.kk.pdf", dir);
	assert_true(qjt_exists(p));
	qjt_rm_rf(dir);
}

/* The language is part of the name, given or the record's own: a plan
 * printed into a directory in another language is a second file, and the
 * first is left as it was. */
static void test_plan__languages_into_one_directory_give_two_files(void **state)
{
	static const struct { const char *lang, *file, *word; } runs[] = {
		{"kk", "ТРК-САЙ-2026_0031.kk.pdf", "Қолдар"},
		{"ru", "ТРК-САЙ-2026_0031.ru.pdf", "Подписи"},
		{"kk+ru", "ТРК-САЙ-2026_0031.kk+ru.pdf", "Қолдар / Подписи"},
		{NULL, "ТРК-САЙ-2026_0031.kk.pdf", "Қолдар"}, /* the record's xml:lang="kk" */
	};
	char dir[64], p[256], *t;
	struct stat st;
	time_t kk_mtime = 0;
	qjt_run r;
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	for (i = 0; i < sizeof runs / sizeof *runs; i++) {
		char opt[32] = "";
		if (runs[i].lang)
			snprintf(opt, sizeof opt, "--lang %s", runs[i].lang);
		r = qjt_sh("%s plan examples/records/large-family-kk-ru.xml %s -o %s/", qjt_bin(), opt,
			   dir);
		assert_int_equal(r.code, 0);
		snprintf(p, sizeof p, "%s/%s", dir, runs[i].file);
		if (!strstr(r.out, p))
			fail_msg("--lang %s: wrote %s, not %s", opt, r.out, runs[i].file);
		qjt_run_free(&r);
		t = norm(pdf_text(p));
		assert_non_null(find(t, runs[i].word));
		free(t);
		if (i == 1) {
			/* the kk plan is still there, still in kk */
			snprintf(p, sizeof p, "%s/%s", dir, runs[0].file);
			t = norm(pdf_text(p));
			assert_non_null(find(t, "Қолдар"));
			assert_null(find(t, "Подписи"));
			free(t);
			assert_int_equal(stat(p, &st), 0);
			kk_mtime = st.st_mtime;
		}
	}
	assert_true(kk_mtime > 0);
	assert_int_equal(count_files(dir), 3);
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
		cmocka_unit_test(test_plan__labels_follow_the_persons_sex),
		cmocka_unit_test(test_plan__goals_numbered_in_printed_order),
		cmocka_unit_test(test_plan__signature_rules_12mm_apart_date_on_the_baseline),
		cmocka_unit_test(test_plan__languages_into_one_directory_give_two_files),
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
