/* test_card: end to end through build/qujat card, for every card of every
 * standard in standards/ (the ids `qujat list` prints): each card's PDF is
 * read back with pdftotext page by page, and every ability and knowledge
 * item of the card (read from the XML with libxml2 XPath) is found in it;
 * every page has "N / M" in its footer; the functions table shows its
 * header row on every page it spans; qpdf --check passes and every font is
 * embedded and subset. --all gives one bookmark per card; bad input exits 2
 * and writes nothing. */
#include "qjtest.h"

#include <glob.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#define MAX_PAGES 200

/* A label of a catalog (templates/i18n/LANG.xml), normalized; malloc'd. */
static char *catalog_label(const char *lang, const char *key)
{
	char path[64], expr[128];
	xmlDocPtr d;
	xmlXPathContextPtr xp;
	xmlXPathObjectPtr o;
	char *s;
	snprintf(path, sizeof path, "templates/i18n/%s.xml", lang);
	snprintf(expr, sizeof expr, "string(/catalog/msg[@key='%s'])", key);
	d = xmlReadFile(path, NULL, XML_PARSE_NONET);
	assert_non_null(d);
	xp = xmlXPathNewContext(d);
	o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	s = strdup((const char *)o->stringval);
	assert_true(s[0] != 0);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(d);
	return qjt_norm(s);
}

/* Whether item text t is on page i, or starts on page i and ends on i+1
 * (a table row cut at a page break, with the footer, the next page's header
 * row and the other columns in between). The cut may fall inside a word
 * broken after its hyphen, so any character boundary is tried. Returns the
 * last page it is on, or -1. */
static int find_item(char **pages, int np, const char *t)
{
	char head[4096];
	size_t k, n = strlen(t);
	int i;
	for (i = 0; i < np; i++)
		if (strstr(pages[i], t))
			return i;
	for (k = 1; k + 1 < n && k < sizeof head; k++) {
		if (((unsigned char)t[k] & 0xC0) == 0x80)
			continue; /* inside a UTF-8 sequence */
		memcpy(head, t, k);
		head[k] = 0;
		for (i = 0; i + 1 < np; i++)
			if (strstr(pages[i], head) && strstr(pages[i + 1], t + k))
				return i + 1;
	}
	return -1;
}

/* Whether page text has a line that reads "n / m" (or "n/m"). When the
 * page's last body line ends in a hyphenated word, pdftotext joins the word
 * with what follows it in reading order, the footer ("си-" + "2/4" gives
 * "си2/4"): a line that ends in the footer after a letter counts too. */
static int footer_line(const char *page, int n, int m)
{
	char want[32], want2[32];
	const char *l = page;
	snprintf(want, sizeof want, "%d / %d", n, m);
	snprintf(want2, sizeof want2, "%d/%d", n, m);
	for (; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t k = strcspn(l, "\n"), i;
		const char *w[2] = {want, want2};
		for (i = 0; i < 2; i++) {
			size_t wl = strlen(w[i]);
			if (k == wl && !strncmp(l, w[i], k))
				return 1;
			/* after a letter (a byte of a non-ASCII one, or a-z) */
			if (k > wl && !strncmp(l + k - wl, w[i], wl) &&
			    ((unsigned char)l[k - wl - 1] >= 0x80 ||
			     (l[k - wl - 1] >= 'a' && l[k - wl - 1] <= 'z')))
				return 1;
		}
	}
	return 0;
}

typedef struct totals {
	int cards, pages, items, texts, spanning;
	long bytes;
} totals;

/* Renders one card and checks everything about its PDF. */
static void check_card(const char *std, xmlDocPtr doc, const char *lang,
		       const char *id, const char *dir, totals *tot)
{
	char pdf[256], expr[256], *pages[MAX_PAGES];
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathObjectPtr items, skills;
	qjt_run r;
	struct stat st;
	int np, i, last_item = -1;

	snprintf(pdf, sizeof pdf, "%s/card-%s.pdf", dir, id);
	r = qjt_sh("%s card %s --card %s -o %s", qjt_bin(), std, id, pdf);
	if (r.code != 0)
		fail_msg("%s card %s: exit %d: %s", std, id, r.code, r.err);
	qjt_run_free(&r);
	/* the text of every page, from one pdftotext run over the PDF */
	np = qjt_pdf_pages(pdf, 0, pages, MAX_PAGES);
	assert_true(np >= 1 && np < MAX_PAGES);

	/* every page: "N / M" in its footer, a line of its own on page N */
	for (i = 0; i < np; i++) {
		if (!footer_line(pages[i], i + 1, np))
			fail_msg("%s card %s page %d: no footer line '%d / %d'", std, id, i + 1,
				 i + 1, np);
		qjt_norm(pages[i]);
	}

	/* every ability and knowledge item, nested ones included */
	snprintf(expr, sizeof expr,
		 "/standard/cards/card[@id='%s']//*[self::abilities or self::knowledge]//item", id);
	items = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	assert_non_null(items);
	for (i = 0; items->nodesetval && i < items->nodesetval->nodeNr; i++) {
		char *t = qjt_item_text(xp, items->nodesetval->nodeTab[i]);
		int p = find_item(pages, np, t);
		if (p < 0)
			fail_msg("%s card %s: item %d not in the PDF: %s", std, id, i + 1, t);
		if (p > last_item)
			last_item = p;
		free(t);
		tot->items++;
	}
	assert_true(items->nodesetval && items->nodesetval->nodeNr > 0);
	xmlXPathFreeObject(items);

	/* and every other text of the card: fields, functions, tasks, related
	 * professions, notes (editorial notes are not part of the standard) */
	snprintf(expr, sizeof expr,
		 "/standard/cards/card[@id='%s']//*[not(self::fix or ancestor-or-self::editorial-note)]"
		 "[text()[normalize-space()] or fix]", id);
	items = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	assert_non_null(items);
	for (i = 0; items->nodesetval && i < items->nodesetval->nodeNr; i++) {
		char *t = qjt_item_text(xp, items->nodesetval->nodeTab[i]);
		if (find_item(pages, np, t) < 0)
			fail_msg("%s card %s: <%s> line %ld not in the PDF: %s", std, id,
				 (const char *)items->nodesetval->nodeTab[i]->name,
				 xmlGetLineNo(items->nodesetval->nodeTab[i]), t);
		free(t);
		tot->texts++;
	}

	/* the functions, mandatory then additional, each headed "Трудовая
	 * функция N" (card.function.n) in that order, its units and lists
	 * after it (the items were found above) */
	snprintf(expr, sizeof expr,
		 "/standard/cards/card[@id='%s']/functions/function[@kind='mandatory'] | "
		 "/standard/cards/card[@id='%s']/functions/function[@kind='additional']", id, id);
	skills = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	assert_non_null(skills);
	{
		size_t len = 0;
		char *all, *at, *fl = catalog_label(lang, "card.function.n");
		char *fb = catalog_label(lang, "card.function");
		int k, kind;
		for (i = 0; i < np; i++)
			len += strlen(pages[i]) + 1;
		all = calloc(1, len + 1);
		assert_non_null(all);
		for (i = 0; i < np; i++) {
			strcat(all, pages[i]);
			strcat(all, " ");
		}
		at = all;
		for (kind = 0; kind < 2; kind++)
			for (k = 0; skills->nodesetval && k < skills->nodesetval->nodeNr; k++) {
				xmlNodePtr f = skills->nodesetval->nodeTab[k];
				xmlChar *kd = xmlGetProp(f, BAD_CAST "kind");
				xmlChar *n = xmlGetProp(f, BAD_CAST "n");
				char want[256];
				const char *hash = strchr(fl, '#');
				if (!xmlStrcmp(kd, BAD_CAST(kind ? "additional" : "mandatory"))) {
					if (n && hash)
						snprintf(want, sizeof want, "%.*s%s%s", (int)(hash - fl), fl,
							 (const char *)n, hash + 1);
					else
						snprintf(want, sizeof want, "%s", fb);
					qjt_norm(want);
					at = strstr(at, want);
					if (!at)
						fail_msg("%s card %s: function heading '%s' (line %ld) "
							 "missing or out of order", std, id, want,
							 xmlGetLineNo(f));
					at += strlen(want);
					tot->spanning++;
				}
				xmlFree(kd);
				xmlFree(n);
			}
		free(all);
		free(fl);
		free(fb);
	}

	/* the file: valid, fonts embedded and subset */
	r = qjt_sh("qpdf --check %s", pdf);
	if (r.code != 0)
		fail_msg("%s card %s: qpdf --check: %s", std, id, r.out);
	qjt_run_free(&r);
	r = qjt_sh("pdffonts %s | tail -n +3 | awk '{print $(NF-4), $(NF-3)}' | sort -u", pdf);
	assert_string_equal(r.out, "yes yes\n");
	qjt_run_free(&r);
	assert_int_equal(stat(pdf, &st), 0);
	tot->bytes += st.st_size;
	tot->pages += np;
	tot->cards++;

	for (i = 0; i < np; i++)
		free(pages[i]);
	xmlXPathFreeObject(skills);
	xmlXPathFreeObject(items);
	xmlXPathFreeContext(xp);
	unlink(pdf);
}

/* The standards in standards/ (NNN.xml). */
static glob_t standards(void)
{
	glob_t g;
	assert_int_equal(glob("standards/[0-9]*.xml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 1);
	return g;
}

static void test_card__every_item_of_every_card(void **state)
{
	glob_t g = standards();
	totals all = {0, 0, 0, 0, 0, 0};
	char dir[64];
	size_t s;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	for (s = 0; s < g.gl_pathc; s++) {
		const char *std = g.gl_pathv[s];
		totals t = {0, 0, 0, 0, 0, 0};
		xmlDocPtr doc = xmlReadFile(std, NULL, XML_PARSE_NONET);
		xmlChar *lang;
		qjt_run r;
		char *line, *save = NULL;
		assert_non_null(doc);
		lang = xmlNodeGetLang(xmlDocGetRootElement(doc));
		assert_non_null(lang);
		r = qjt_sh("%s list %s", qjt_bin(), std);
		assert_int_equal(r.code, 0);
		for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			line[strcspn(line, "\t")] = 0;
			check_card(std, doc, (const char *)lang, line, dir, &t);
		}
		qjt_run_free(&r);
		print_message("%s: %d cards, %d pages, %ld bytes, %d ability and knowledge items "
			      "and %d texts in all found, %d function headings in order\n",
			      std, t.cards, t.pages, t.bytes, t.items, t.texts, t.spanning);
		all.cards += t.cards;
		all.pages += t.pages;
		all.items += t.items;
		all.texts += t.texts;
		all.bytes += t.bytes;
		xmlFree(lang);
		xmlFreeDoc(doc);
	}
	print_message("all: %d cards, %d pages, %ld bytes, %d items, %d texts\n", all.cards,
		      all.pages, all.bytes, all.items, all.texts);
	globfree(&g);
	rmdir(dir);
}

/* Counts the lines of s that start with prefix. */
static int count_lines(const char *s, const char *prefix)
{
	int n = 0;
	size_t k = strlen(prefix);
	for (; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
		if (!strncmp(s, prefix, k))
			n++;
	return n;
}

static void test_card__all_has_one_bookmark_per_card(void **state)
{
	glob_t g = standards();
	char dir[64], pdf[128];
	size_t s;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(pdf, sizeof pdf, "%s/all.pdf", dir);
	for (s = 0; s < g.gl_pathc; s++) {
		qjt_run l, r;
		int cards, np, prev = 0;
		const char *p;
		l = qjt_sh("%s list %s", qjt_bin(), g.gl_pathv[s]);
		assert_int_equal(l.code, 0);
		cards = count_lines(l.out, "");
		qjt_run_free(&l);
		/* the display list: one bookmark line per card */
		r = qjt_sh("%s card %s --all -o %s --dump", qjt_bin(), g.gl_pathv[s], pdf);
		assert_int_equal(r.code, 0);
		assert_int_equal(count_lines(r.out, "bookmark "), cards);
		qjt_run_free(&r);
		/* the PDF: one outline entry per card, on increasing pages */
		np = qjt_pdf_page_count(pdf);
		assert_true(np >= cards);
		r = qjt_sh("qpdf --json --json-key=outlines %s | grep -o '\"destpageposfrom1\": [0-9]*'"
			   " | sed 's/.* //'", pdf);
		assert_int_equal(r.code, 0);
		assert_int_equal(count_lines(r.out, ""), cards);
		for (p = r.out; *p; p = strchr(p, '\n') + 1) {
			int pg = atoi(p);
			assert_true(pg > prev && pg <= np);
			prev = pg;
		}
		qjt_run_free(&r);
		r = qjt_sh("qpdf --check %s", pdf);
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		/* the footer counts the pages of the whole document */
		r = qjt_sh("pdftotext -enc UTF-8 -f %d -l %d %s - | tr -d ' \\n\\f'", np, np, pdf);
		{
			char want[32];
			snprintf(want, sizeof want, "%d/%d", np, np);
			assert_non_null(strstr(r.out, want));
		}
		qjt_run_free(&r);
	}
	unlink(pdf);
	rmdir(dir);
	globfree(&g);
}

static void test_card__lang_prints_labels_in_another_language(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *text;
	(void)state;
	qjt_path(pdf, sizeof pdf, "card-lang.pdf");
	r = qjt_sh("%s card standards/001.xml --card 1 --lang ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(text);
	qjt_squash(text);
	assert_non_null(strstr(text, "Карточка профессии"));
	assert_non_null(strstr(text, "Код группы"));
	assert_non_null(strstr(text, "Умения"));
	assert_null(strstr(text, "Топ коды"));
	/* the data stays in the standard's language */
	assert_non_null(strstr(text, "Денсаулық сақтау"));
	free(text);
	/* default: the standard's own language */
	r = qjt_sh("%s card standards/001.xml --card 1 -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_squash(text);
	assert_non_null(strstr(text, "Топ коды"));
	assert_non_null(strstr(text, "кәсіп карточкасы"));
	free(text);
	unlink(pdf);
}

/* The labels of one card of a standard, in the source text (the copy in
 * tests/data/sources, lines first..last) and in the printed card: each
 * label's first occurrence, in the order of the source, must come in the
 * same order in the pdftotext of the card. */
typedef struct order_case {
	const char *std, *card, *source;
	int first, last;
	const char *labels[24];
} order_case;

static void check_label_order(const order_case *oc, const char *dir)
{
	char pdf[256], *text, *src, *line, *save = NULL, *lbuf;
	int at_src[24], at_pdf[24], n, k, j, no = 0;
	char *lab[24];
	qjt_run r;

	for (n = 0; oc->labels[n]; n++) {
		at_src[n] = at_pdf[n] = -1;
		lab[n] = qjt_norm(strdup(oc->labels[n]));
	}
	src = qjt_slurp(oc->source);
	assert_non_null(src);
	/* lines, not strtok: empty lines count */
	for (line = src; line && *line; no++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (no + 1 >= oc->first && no + 1 <= oc->last) {
			lbuf = strdup(line);
			qjt_norm(lbuf);
			for (k = 0; k < n; k++)
				if (at_src[k] < 0 && strstr(lbuf, lab[k]))
					at_src[k] = no + 1;
			free(lbuf);
		}
		line = nl ? nl + 1 : NULL;
	}
	(void)save;
	free(src);
	for (k = 0; k < n; k++)
		if (at_src[k] < 0)
			fail_msg("%s: label '%s' not in %s:%d-%d", oc->std,
				 oc->labels[k], oc->source, oc->first, oc->last);

	snprintf(pdf, sizeof pdf, "%s/order.pdf", dir);
	r = qjt_sh("%s card %s --card %s -o %s", qjt_bin(), oc->std, oc->card, pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(text);
	qjt_norm(text);
	for (k = 0; k < n; k++) {
		const char *p = strstr(text, lab[k]);
		if (!p)
			fail_msg("%s card %s: label '%s' not printed", oc->std, oc->card, oc->labels[k]);
		at_pdf[k] = (int)(p - text);
	}
	/* sorted by the source, the printed places increase */
	for (k = 0; k < n; k++)
		for (j = 0; j < n; j++)
			if (at_src[k] < at_src[j] && at_pdf[k] > at_pdf[j])
				fail_msg("%s card %s: '%s' (source line %d) printed after '%s' "
					 "(source line %d)", oc->std, oc->card, oc->labels[k], at_src[k],
					 oc->labels[j], at_src[j]);
	print_message("%s card %s: %d labels in the order of %s:%d-%d\n", oc->std, oc->card, n,
		      oc->source, oc->first, oc->last);
	for (k = 0; k < n; k++)
		free(lab[k]);
	free(text);
	unlink(pdf);
}

static void test_card__labels_in_the_order_of_the_source(void **state)
{
	static const order_case cases[] = {
		{"standards/001.xml", "1", "tests/data/sources/001_eb787dd4523de4e0.txt", 192, 594,
		 {"Кәсіп коды", "Топ коды", "Кәсіп атауы", "Кәсіби білім деңгейі", "Еңбек функциялары",
		  "Міндетті еңбек", "1-еңбек функциясы", "1-міндет", "Біліктілік пен дағдылар",
		  "Жеке құзыреттерге", "СБШ-дағы басқа",
		  "БТБА немесе", "Білім және біліктілік", "Еңбек жағдайлары", NULL}},
		{"standards/002.xml", "9", "tests/data/sources/002_efa396441f2b22fb.txt", 165, 477,
		 {"Код группы", "Код наименования занятия", "Наименование профессии",
		  "Уровень квалификации по ОРК", "подуровень квалификации по ОРК",
		  "Уровень квалификации по ЕТКС", "Уровень профессионального образования",
		  "Требования к опыту работы", "Связь с неформальным и информальным образованием",
		  "Другие возможные наименования профессии", "Основная цель деятельности",
		  "Перечень трудовых функций", "Обязательные трудовые функции",
		  "Дополнительные трудовые функции", "Трудовая функция 1", "Навык 1", "Умения",
		  "Знания", "Возможность признания навыка", "Трудовая функция 2",
		  "Требования к личностным компетенциям", "Список технических регламентов",
		  "Связь с другими профессиями в рамках ОРК", NULL}},
		{"standards/003.xml", "2", "tests/data/sources/003_b05b1dd4fbab55f7.txt", 414, 572,
		 {"Code of profession", "Name of profession", "Other possible names of profession",
		  "Qualification level according to SQF", "Qualification level for the profession",
		  "Level of professional education", "Labor function",
		  "Skills and abilities", "Requirements to personal competencies",
		  "Connection with other professions within SQF", "Connection with QD",
		  "Conditions (content and quality) of labor", NULL}},
	};
	char dir[64];
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		check_label_order(&cases[i], dir);
	rmdir(dir);
}

/* Whether normalized text holds lit, normalized alike. */
static int has(const char *text, const char *lit)
{
	char *w = strdup(lit);
	int ok = strstr(text, qjt_norm(w)) != NULL;
	free(w);
	return ok;
}

/* kk+ru: the labels in both languages, the card's text in its own. */
static void test_card__kk_ru_prints_both_labels(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *text;
	(void)state;
	qjt_path(pdf, sizeof pdf, "card-kkru.pdf");
	r = qjt_sh("%s card standards/001.xml --card 1 --lang kk+ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(text);
	qjt_norm(text);
	assert_true(has(text, "1 – қосымша / Приложение 1"));
	assert_true(has(text, "кәсіп карточкасы / Карточка профессии «"));
	assert_true(has(text, "Топ коды / Код группы"));
	assert_true(has(text, "1-еңбек функциясы / Трудовая функция 1"));
	assert_true(has(text, "Біліктілік пен дағдылар / Умения"));
	assert_true(has(text, "Денсаулыққа сәйкес күтімді қамтамасыз ету"));
	free(text);
	/* a ru card: its source's labels, with the kk catalog's */
	r = qjt_sh("%s card standards/002.xml --card 9 --lang kk+ru -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_norm(text);
	assert_true(has(text, "Топ коды / Код группы"));
	assert_true(has(text, "9. «Индивидуальный помощник» кәсіп карточкасы / Карточка профессии «Индивидуальный помощник»"));
	free(text);
	unlink(pdf);
}

/* Every official row, an empty one too; the source's label variants; the
 * card's number as the source prints it; no doubled quotes. */
static void test_card__official_rows_and_wording(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *text;
	(void)state;
	qjt_path(pdf, sizeof pdf, "card-rows.pdf");
	r = qjt_sh("%s card standards/002.xml --card 18 -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_norm(text);
	assert_true(has(text, "18. Карточка профессии «Менеджер социальной работы»"));
	assert_true(has(text, "Список технических регламентов и национальных стандартов"));
	assert_true(has(text, "Связь с неформальным и информальным образованием"));
	assert_true(has(text, "Возможность признания навыка"));
	assert_true(has(text, "Связь с другими профессиями в рамках ОРК"));
	free(text);
	r = qjt_sh("%s card standards/002.xml --card 9 -o %s", qjt_bin(), pdf);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_norm(text);
	assert_true(has(text, "подуровень квалификации по ОРК"));
	assert_true(has(text, "подуровень квалификации по ОРК -"));
	free(text);
	r = qjt_sh("%s card standards/002.xml --card 17 -o %s", qjt_bin(), pdf);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	/* one pair of quotes, the language's (qjt_norm() would drop them) */
	assert_null(strstr(text, "«\""));
	assert_null(strstr(text, "\""));
	assert_null(strstr(text, "»»"));
	assert_null(strstr(text, "««"));
	assert_non_null(strstr(qjt_squash(text), "17. Карточка профессии «Директор центра"));
	free(text);
	r = qjt_sh("%s card standards/003.xml --card 9 -o %s", qjt_bin(), pdf);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_norm(text);
	assert_true(has(text, "Card of profession “"));
	assert_true(has(text, "Qualification level for the profession according to QD"));
	assert_false(has(text, "social protection and employment organizations Qualification"));
	free(text);
	r = qjt_sh("%s card standards/001.xml --card 6 -o %s", qjt_bin(), pdf);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_norm(text);
	assert_true(has(text, "6 – қосымша"));
	assert_true(has(text, "сәйкес мамандықтар бойынша біліктілік деңгейі"));
	assert_true(has(text, "Еңбек шарты (мазмұны мен сапасы)."));
	free(text);
	unlink(pdf);
}

static void test_card__unknown_card_is_an_error(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("%s card standards/001.xml --card 99 -o %s/out.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err,
			    "standards/001.xml: error: no card '99' (cards: 1, 2, 3, 4, 5, 6)\n");
	qjt_run_free(&r);
	r = qjt_sh("ls -A %s", dir);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
	rmdir(dir);
}

static void test_card__standard_failing_the_schema_is_an_error(void **state)
{
	char dir[64], in[128];
	FILE *fp;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(in, sizeof in, "%s/bad.xml", dir);
	fp = fopen(in, "w");
	assert_non_null(fp);
	/* a card without occupation code, level and functions */
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<standard id=\"900\" xml:lang=\"kk\">\n"
	      "  <cards>\n"
	      "    <card id=\"1\" line=\"1\"><name>Әлеуметтік жұмыскер</name></card>\n"
	      "  </cards>\n"
	      "</standard>\n", fp);
	fclose(fp);
	r = qjt_sh("%s card %s --card 1 -o %s/out.pdf", qjt_bin(), in, dir);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "bad.xml:4: error: "));
	qjt_run_free(&r);
	r = qjt_sh("%s card %s --all -o %s/out.pdf", qjt_bin(), in, dir);
	assert_int_equal(r.code, 2);
	qjt_run_free(&r);
	r = qjt_sh("ls -A %s", dir);
	assert_string_equal(r.out, "bad.xml\n");
	qjt_run_free(&r);
	unlink(in);
	rmdir(dir);
}

static void test_card__usage(void **state)
{
	char out[PATH_MAX];
	qjt_run r;
	/* neither --card nor --all, both, no -o, a language without labels
	 * (the output path follows a trailing "-o ") */
	const char *bad[] = {"standards/001.xml -o ",
			     "standards/001.xml --card 1 --all -o ",
			     "standards/001.xml --card 1",
			     "standards/001.xml --card 1 --lang de -o "};
	size_t i;
	(void)state;
	qjt_path(out, sizeof out, "card-u.pdf");
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		int with_out = bad[i][strlen(bad[i]) - 1] == ' ';
		r = qjt_sh("%s card %s%s", qjt_bin(), bad[i], with_out ? out : "");
		assert_int_equal(r.code, 1);
		assert_true(r.err[0] != 0);
		qjt_run_free(&r);
	}
	assert_false(qjt_exists(out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_card__every_item_of_every_card),
		cmocka_unit_test(test_card__all_has_one_bookmark_per_card),
		cmocka_unit_test(test_card__lang_prints_labels_in_another_language),
		cmocka_unit_test(test_card__labels_in_the_order_of_the_source),
		cmocka_unit_test(test_card__kk_ru_prints_both_labels),
		cmocka_unit_test(test_card__official_rows_and_wording),
		cmocka_unit_test(test_card__unknown_card_is_an_error),
		cmocka_unit_test(test_card__standard_failing_the_schema_is_an_error),
		cmocka_unit_test(test_card__usage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
