/* test_handouts: end to end through build/qujat handouts. For every card of
 * every standard in standards/ (the ids `qujat list` prints): the handout's
 * PDF, read back with one pdftotext run, holds every ability, knowledge
 * item and personal competency of the card (read from the XML with
 * libxml2 XPath) in the standard's order; every page has "N / M" and the
 * card's name in its footer; the display list has a stroked square for
 * every tick box of every checklist row. A roster of 7 gives each trainee
 * a copy with the name on every page; kk+ru labels; --summary counts match
 * the XML; bad input exits 2 with diagnostics and writes nothing. */
#include "qjtest.h"

#include <glob.h>
#include <math.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#define MAX_PAGES 400
#define TICK 11.0 /* the tick box of templates/handout.xml, in points */

static xmlXPathObjectPtr eval(xmlXPathContextPtr xp, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr o;
	xp->node = at;
	o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	assert_non_null(o);
	return o;
}

static int count_of(xmlXPathContextPtr xp, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr o = eval(xp, at, expr);
	int n = (int)o->floatval;
	xmlXPathFreeObject(o);
	return n;
}

/* The functions of a card as the handout orders them: mandatory first,
 * then additional, each kind in document order. *n gets the count;
 * free() the array. */
static xmlNodePtr *functions(xmlXPathContextPtr xp, xmlNodePtr card, int *n)
{
	xmlXPathObjectPtr m = eval(xp, card, "functions/function[not(@kind = 'additional')]");
	xmlXPathObjectPtr a = eval(xp, card, "functions/function[@kind = 'additional']");
	int nm = m->nodesetval ? m->nodesetval->nodeNr : 0;
	int na = a->nodesetval ? a->nodesetval->nodeNr : 0, i;
	xmlNodePtr *v = calloc((size_t)(nm + na) + 1, sizeof *v);
	for (i = 0; i < nm; i++)
		v[i] = m->nodesetval->nodeTab[i];
	for (i = 0; i < na; i++)
		v[nm + i] = a->nodesetval->nodeTab[i];
	*n = nm + na;
	xmlXPathFreeObject(m);
	xmlXPathFreeObject(a);
	return v;
}

/* Whether page text has a line that reads "n / m". */
static int footer_line(const char *page, int n, int m)
{
	char want[32];
	const char *l = page;
	snprintf(want, sizeof want, "%d / %d", n, m);
	for (; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t k = strcspn(l, "\n");
		if (k == strlen(want) && !strncmp(l, want, k))
			return 1;
	}
	return 0;
}

/* Rectangles of the display list that are tick boxes: stroked squares of
 * the template's size (less their stroke), body region. */
static int tick_boxes(const char *dump)
{
	const char *l;
	int n = 0;
	for (l = dump; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		double x, y, w, h;
		if (sscanf(l, "  rect body %lf %lf %lf %lf", &x, &y, &w, &h) == 4 &&
		    fabs(w - h) < 0.01 && w > TICK - 1.5 && w < TICK)
			n++;
	}
	return n;
}

typedef struct totals {
	int cards, pages, items, boxes;
} totals;

/* Looks for each expected text in order in text (from *pos on); fails
 * naming the first that is missing or out of order. */
static void in_order(const char *text, char **want, int n, const char *what)
{
	const char *pos = text, *p;
	int i;
	for (i = 0; i < n; i++) {
		p = strstr(pos, want[i]);
		if (!p) {
			if (strstr(text, want[i]))
				fail_msg("%s: item %d out of the standard's order: %s", what, i + 1, want[i]);
			fail_msg("%s: item %d not in the PDF: %s", what, i + 1, want[i]);
		}
		pos = p + strlen(want[i]);
	}
}

/* Renders the handout of one card and checks its PDF and display list. */
static void check_card(const char *std, xmlDocPtr doc, const char *id, const char *dir,
		       totals *tot)
{
	char pdf[256], dump[256], expr[160], what[64], *pages[MAX_PAGES], **want, *all, *cname;
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o, c;
	xmlNodePtr card, *fs;
	qjt_run r;
	int np, i, k, nf, nw = 0, cap = 64, rows = 0;
	size_t len = 0;

	snprintf(pdf, sizeof pdf, "%s/h-%s.pdf", dir, id);
	snprintf(dump, sizeof dump, "%s/h-%s.dump", dir, id);
	snprintf(what, sizeof what, "%s card %s", std, id);
	r = qjt_sh("%s handouts %s --card %s -o %s --dump > %s", qjt_bin(), std, id, pdf, dump);
	if (r.code != 0)
		fail_msg("%s: exit %d: %s", what, r.code, r.err);
	qjt_run_free(&r);
	snprintf(expr, sizeof expr, "/standard/cards/card[@id='%s']", id);
	c = eval(xp, NULL, expr);
	assert_int_equal(c->nodesetval->nodeNr, 1);
	card = c->nodesetval->nodeTab[0];

	/* the expected texts: per function its lists' items (nested ones
	 * after their parent), then the personal competencies */
	want = malloc((size_t)cap * sizeof *want);
	fs = functions(xp, card, &nf);
	for (k = 0; k < nf; k++) {
		o = eval(xp, fs[k], "(unit/abilities | unit/knowledge | abilities | knowledge)//item");
		for (i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
			if (nw == cap)
				want = realloc(want, (size_t)(cap *= 2) * sizeof *want);
			want[nw++] = qjt_item_text(xp, o->nodesetval->nodeTab[i]);
			rows++;
		}
		xmlXPathFreeObject(o);
	}
	o = eval(xp, card, "personal-competencies[not(p or item)][normalize-space()] | "
			   "personal-competencies/p | personal-competencies/item");
	for (i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		if (nw == cap)
			want = realloc(want, (size_t)(cap *= 2) * sizeof *want);
		want[nw++] = qjt_item_text(xp, o->nodesetval->nodeTab[i]);
		rows++;
	}
	assert_true(o->nodesetval && o->nodesetval->nodeNr > 0);
	xmlXPathFreeObject(o);
	o = eval(xp, card, "normalize-space((title | name)[1])");
	cname = qjt_norm(strdup((const char *)o->stringval));
	xmlXPathFreeObject(o);

	/* every page: "N / M" and the card's name (one pdftotext run, in the
	 * content stream's order: the body of a page, then its footer) */
	np = qjt_pdf_pages(pdf, 1, pages, MAX_PAGES);
	assert_true(np >= 1 && np < MAX_PAGES);
	for (i = 0; i < np; i++) {
		if (!footer_line(pages[i], i + 1, np))
			fail_msg("%s page %d: no footer line '%d / %d'", what, i + 1, i + 1, np);
		qjt_norm(pages[i]);
		if (!strstr(pages[i], cname))
			fail_msg("%s page %d: the card's name '%s' is not on it", what, i + 1, cname);
		len += strlen(pages[i]) + 1;
	}
	/* the items in order over the whole text (rows are kept whole on a page) */
	all = malloc(len + 1);
	all[0] = 0;
	for (i = 0; i < np; i++) {
		strcat(all, pages[i]);
		strcat(all, " ");
		free(pages[i]);
	}
	in_order(all, want, nw, what);

	/* three tick boxes per checklist row */
	{
		char *d = qjt_slurp(dump);
		assert_non_null(d);
		if (tick_boxes(d) != 3 * rows)
			fail_msg("%s: %d tick boxes in the display list, %d rows want %d", what,
				 tick_boxes(d), rows, 3 * rows);
		free(d);
	}
	tot->cards++;
	tot->pages += np;
	tot->items += nw;
	tot->boxes += 3 * rows;
	for (i = 0; i < nw; i++)
		free(want[i]);
	free(want);
	free(fs);
	free(all);
	free(cname);
	xmlXPathFreeObject(c);
	xmlXPathFreeContext(xp);
	unlink(pdf);
	unlink(dump);
}

static glob_t standards(void)
{
	glob_t g;
	assert_int_equal(glob("standards/[0-9]*.xml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 3);
	return g;
}

/* The card ids of a standard, from qujat list: a malloc'd string of lines. */
static char *card_list(const char *std)
{
	qjt_run r = qjt_sh("%s list %s | cut -f1", qjt_bin(), std);
	assert_int_equal(r.code, 0);
	free(r.err);
	return r.out;
}

static void test_handouts__every_item_of_every_card_in_order(void **state)
{
	glob_t g = standards();
	totals all = {0, 0, 0, 0};
	char dir[64];
	size_t s;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	for (s = 0; s < g.gl_pathc; s++) {
		xmlDocPtr doc = xmlReadFile(g.gl_pathv[s], NULL, XML_PARSE_NONET);
		char *ids = card_list(g.gl_pathv[s]), *line, *save = NULL;
		totals t = {0, 0, 0, 0};
		assert_non_null(doc);
		for (line = strtok_r(ids, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			check_card(g.gl_pathv[s], doc, line, dir, &t);
		print_message("%s: %d cards, %d pages, %d checklist items in order, %d tick boxes\n",
			      g.gl_pathv[s], t.cards, t.pages, t.items, t.boxes);
		all.cards += t.cards;
		all.items += t.items;
		free(ids);
		xmlFreeDoc(doc);
	}
	assert_int_equal(all.cards, 30);
	globfree(&g);
	rmdir(dir);
}

/* A roster of 7: -o DIR/ gives 7 PDFs, each with its trainee's name and
 * serial on every page and a cover; -o FILE.pdf one PDF with a bookmark per
 * trainee and per card, each trainee's pages numbered N / M of that
 * trainee's copy, as in its own file. */
static void test_handouts__roster_of_seven(void **state)
{
	char dir[64], pdf[128];
	xmlDocPtr roster = xmlReadFile("examples/roster.xml", NULL, XML_PARSE_NONET);
	xmlNodePtr p;
	qjt_run r;
	int n = 0, np, counts[7], k, at, total = 0;
	char *all[MAX_PAGES];
	(void)state;
	assert_non_null(roster);
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("%s handouts standards/002.xml --cards 13,14,15 --roster examples/roster.xml -o %s/",
		   qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	for (p = xmlDocGetRootElement(roster)->children; p; p = p->next) {
		char path[256], *pages[MAX_PAGES], *name, *serial, *nname, *nserial;
		int i;
		if (p->type != XML_ELEMENT_NODE || strcmp((const char *)p->name, "person"))
			continue;
		name = (char *)xmlGetProp(p, (const xmlChar *)"name");
		serial = (char *)xmlGetProp(p, (const xmlChar *)"serial");
		snprintf(path, sizeof path, "%s/%s.pdf", dir, serial);
		nname = qjt_norm(strdup(name));
		nserial = qjt_norm(strdup(serial));
		np = qjt_pdf_pages(path, 0, pages, MAX_PAGES);
		if (np < 4)
			fail_msg("%s: %d pages", path, np);
		if (n < 7)
			counts[n] = np;
		total += np;
		for (i = 0; i < np; i++) {
			qjt_norm(pages[i]);
			if (!strstr(pages[i], nname) || !strstr(pages[i], nserial))
				fail_msg("%s page %d: no '%s' / '%s'", path, i + 1, name, serial);
			free(pages[i]);
		}
		qjt_assert_pdf_sound(path);
		xmlFree(name);
		xmlFree(serial);
		free(nname);
		free(nserial);
		unlink(path);
		n++;
	}
	assert_int_equal(n, 7);
	r = qjt_sh("ls -A %s", dir);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
	/* one combined PDF: 7 trainee bookmarks and 7 x 3 card bookmarks */
	snprintf(pdf, sizeof pdf, "%s/all.pdf", dir);
	r = qjt_sh("%s handouts standards/002.xml --cards 13,14,15 --roster examples/roster.xml "
		   "-o %s --dump | grep -c '^bookmark [0-9]* 1 '", qjt_bin(), pdf);
	assert_string_equal(r.out, "7\n");
	qjt_run_free(&r);
	r = qjt_sh("qpdf --json --json-key=outlines %s | grep -c '\"destpageposfrom1\"'", pdf);
	assert_string_equal(r.out, "28\n");
	qjt_run_free(&r);
	r = qjt_sh("pdftotext -enc UTF-8 %s - | grep -c 'Сроки обучения'", pdf);
	assert_string_equal(r.out, "7\n"); /* a cover each */
	qjt_run_free(&r);
	assert_int_equal(qjt_pdf_pages(pdf, 1, all, MAX_PAGES), total);
	for (k = 0, at = 0; k < 7; at += counts[k++])
		for (np = 0; np < counts[k]; np++)
			if (!footer_line(all[at + np], np + 1, counts[k]))
				fail_msg("combined page %d (trainee %d): no footer line '%d / %d'", at + np + 1,
					 k + 1, np + 1, counts[k]);
	for (k = 0; k < total; k++)
		free(all[k]);
	unlink(pdf);
	xmlFreeDoc(roster);
	rmdir(dir);
}

/* A spreadsheet roster through the doc stage: the same trainees. */
static void test_handouts__spreadsheet_roster(void **state)
{
	char pdf[PATH_MAX];
	qjt_run r;
	char *text;
	(void)state;
	qjt_path(pdf, sizeof pdf, "csv.pdf");
	r = qjt_sh("%s handouts standards/001.xml --card 2 --roster examples/roster.csv "
		   "--course examples/course.xml -o %s", qjt_bin(), pdf);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	qjt_squash(text);
	assert_non_null(strstr(text, "Айдос Бекұлы Ыбыраев"));
	assert_non_null(strstr(text, "ҚЖ-2026-0007"));
	free(text);
	unlink(pdf);
}

/* The catalog's label, as the test reads it (templates/i18n/LANG.xml). */
static char *label(const char *lang, const char *key)
{
	char path[64], expr[128], *s;
	xmlDocPtr d;
	xmlXPathContextPtr xp;
	xmlXPathObjectPtr o;
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
	return s;
}

/* Labels in kk, ru, en and kk+ru for a Russian standard; its text stays
 * Russian; the scale words are the catalogs', not English. */
static void test_handouts__labels_in_every_language(void **state)
{
	static const char *langs[] = {"kk", "ru", "en", "kk+ru"};
	static const char *keys[] = {"handout.abilities.1", "handout.abilities.2",
				     "handout.knowledge.1", "handout.knowledge.3", "handout.how"};
	char pdf[PATH_MAX];
	size_t i, k;
	(void)state;
	qjt_path(pdf, sizeof pdf, "lang.pdf");
	for (i = 0; i < 4; i++) {
		qjt_run r = qjt_sh("%s handouts standards/002.xml --card 13 --lang %s -o %s", qjt_bin(),
				   langs[i], pdf);
		char *text;
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		text = qjt_pdftotext(pdf);
		qjt_norm(text);
		assert_non_null(strstr(text, "Основ Конституции Республики Казахстан"));
		for (k = 0; k < sizeof keys / sizeof *keys; k++) {
			const char *one[] = {"kk", "ru"};
			size_t j;
			for (j = 0; j < (i == 3 ? 2u : 1u); j++) {
				char *l = qjt_norm(label(i == 3 ? one[j] : langs[i], keys[k]));
				if (!strstr(text, l))
					fail_msg("--lang %s: no label %s '%s'", langs[i], keys[k], l);
				free(l);
			}
		}
		if (i == 0) /* kk labels only: no ru scale words, and the scale is not English */
			assert_null(strstr(text, "Пока не знаю"));
		if (i != 2)
			assert_null(strstr(text, "I can do this"));
		free(text);
	}
	unlink(pdf);
}

/* The summary's counts, read from the display list: the numbers of the two
 * count columns, in order, against the XML's. */
static void test_handouts__summary_counts_match(void **state)
{
	glob_t g = standards();
	char dump[PATH_MAX], pdf[PATH_MAX];
	size_t s;
	int checked = 0;
	(void)state;
	qjt_path(pdf, sizeof pdf, "sum.pdf");
	qjt_path(dump, sizeof dump, "sum.dump");
	for (s = 0; s < g.gl_pathc; s++) {
		xmlDocPtr doc = xmlReadFile(g.gl_pathv[s], NULL, XML_PARSE_NONET);
		xmlXPathContextPtr xp = xmlXPathNewContext(doc);
		xmlXPathObjectPtr cards = eval(xp, NULL, "/standard/cards/card");
		qjt_run r = qjt_sh("%s handouts %s --all --summary -o %s --dump > %s", qjt_bin(),
				   g.gl_pathv[s], pdf, dump);
		char *d, *l;
		int *want = NULL, nw = 0, cap = 0, ngot = 0, c, k, i, page = 0;
		double right = 0;
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		/* expected: per unit, then the function's own lists (or a function
		 * without units), then the function's total; the card's total */
		for (c = 0; c < cards->nodesetval->nodeNr; c++) {
			xmlNodePtr card = cards->nodesetval->nodeTab[c], *fs;
			int nf;
			fs = functions(xp, card, &nf);
			for (k = 0; k < nf; k++) {
				xmlXPathObjectPtr u = eval(xp, fs[k], "unit");
				int nu = u->nodesetval ? u->nodesetval->nodeNr : 0;
				for (i = 0; i <= nu; i++) {
					xmlNodePtr at = i < nu ? u->nodesetval->nodeTab[i] : fs[k];
					if (i == nu && nu && !count_of(xp, at, "count(abilities | knowledge)"))
						break;
					if (nw + 6 > cap)
						want = realloc(want, (size_t)(cap = 2 * cap + 64) * sizeof *want);
					want[nw++] = count_of(xp, at, "count(abilities//item)");
					want[nw++] = count_of(xp, at, "count(knowledge//item)");
				}
				want[nw++] = count_of(xp, fs[k], "count(.//abilities//item)");
				want[nw++] = count_of(xp, fs[k], "count(.//knowledge//item)");
				xmlXPathFreeObject(u);
			}
			want[nw++] = count_of(xp, card, "count(functions//abilities//item)");
			want[nw++] = count_of(xp, card, "count(functions//knowledge//item)");
			free(fs);
		}
		/* got: body text in the last 48 mm of the area that is a number */
		d = qjt_slurp(dump);
		for (l = d; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			double x, y, w, h, ax, ay, aw;
			char txt[64];
			int face;
			if (sscanf(l, "page %d %*f %*f area %lf %lf %lf", &page, &ax, &ay, &aw) == 4)
				right = ax + aw;
			else if (sscanf(l, "  text body %lf %lf %lf %lf f%d \"%63[^\"]\"", &x, &y, &w, &h,
					&face, txt) == 6 &&
				 x > right - 48 * 72 / 25.4 && strspn(txt, "0123456789") == strlen(txt)) {
				if (ngot >= nw)
					fail_msg("%s: more counts than the XML has (%s)", g.gl_pathv[s], txt);
				if (atoi(txt) != want[ngot])
					fail_msg("%s: count %d is %s, the XML has %d", g.gl_pathv[s], ngot + 1,
						 txt, want[ngot]);
				ngot++;
			}
		}
		assert_int_equal(ngot, nw);
		/* a page per card (a card with many functions goes on) */
		assert_true(qjt_pdf_page_count(pdf) >= cards->nodesetval->nodeNr);
		checked += nw;
		free(d);
		free(want);
		xmlXPathFreeObject(cards);
		xmlXPathFreeContext(xp);
		xmlFreeDoc(doc);
	}
	print_message("%d counts of the summaries match the XML\n", checked);
	unlink(pdf);
	unlink(dump);
	globfree(&g);
}

/* --sign into a directory: every trainee's PDF is signed and verifies (the
 * unsigned temporary of one trainee is no input of the next). */
static void test_handouts__signed_copies(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("cd %s && printf 'a long passphrase\n' > pass && "
		   "openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 30 "
		   "-subj '/CN=Trainer' 2>/dev/null && "
		   "openssl pkcs12 -export -inkey key.pem -in cert.pem -out key.p12 -passout file:pass",
		   dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("%s handouts standards/003.xml --card 2 --roster examples/roster.xml -o %s/out/ "
		   "--sign %s/key.p12 --pass-file %s/pass", qjt_bin(), dir, dir, dir);
	if (r.code != 0)
		fail_msg("handouts --sign: exit %d: %s", r.code, r.err);
	qjt_run_free(&r);
	r = qjt_sh("for f in %s/out/*.pdf; do %s verify \"$f\" >/dev/null || echo \"$f\"; done; "
		   "ls %s/out | wc -l", dir, qjt_bin(), dir);
	assert_string_equal(r.out, "7\n");
	qjt_run_free(&r);
	qjt_rm_rf(dir);
}

/* fmt with every "%s" replaced by dir, into buf. */
static void subst_dir(char *buf, size_t n, const char *fmt, const char *dir)
{
	size_t w = 0;
	for (; *fmt && w + strlen(dir) + 2 < n; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			memcpy(buf + w, dir, strlen(dir));
			w += strlen(dir);
			fmt++;
		} else
			buf[w++] = *fmt;
	}
	buf[w] = 0;
}

/* Bad input: exit 2, FILE: error: lines, nothing written. */
static void test_handouts__bad_input_writes_nothing(void **state)
{
	char dir[64], bad[128], cmd[512];
	qjt_run r;
	FILE *fp;
	size_t i;
	char *roster;
	const char *cases[][2] = {
		{"standards/001.xml --cards 1,99 -o %s/out.pdf",
		 "standards/001.xml: error: no card '99' (cards: 1, 2, 3, 4, 5, 6)\n"},
		{"standards/001.xml --card 7 -o %s/out.pdf",
		 "standards/001.xml: error: no card '7' (cards: 1, 2, 3, 4, 5, 6)\n"},
		{"standards/001.xml --cards '' -o %s/out.pdf",
		 "standards/001.xml: error: no cards to print: --cards names none (cards: 1, 2, 3, 4, 5, 6)\n"},
		{"standards/001.xml --cards , -o %s/out.pdf",
		 "standards/001.xml: error: no cards to print: --cards names none (cards: 1, 2, 3, 4, 5, 6)\n"},
		{"standards/001.xml --card 1 --roster %s/bad.xml -o %s/out.pdf", "bad.xml:"},
	};
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	/* a roster with a duplicate serial and an impossible date */
	snprintf(bad, sizeof bad, "%s/bad.xml", dir);
	roster = qjt_slurp("examples/roster.xml");
	assert_non_null(roster);
	fp = fopen(bad, "w");
	assert_non_null(fp);
	{
		char *p = strstr(roster, "ҚЖ-2026-0003"), *e = strstr(roster, "<emblem");
		assert_non_null(p);
		memcpy(p, "ҚЖ-2026-0001", strlen("ҚЖ-2026-0001"));
		/* no emblem: its file is not beside this copy */
		assert_non_null(e);
		memset(e, ' ', (size_t)(strstr(e, "/>") + 2 - e));
	}
	fputs(roster, fp);
	fclose(fp);
	free(roster);
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		subst_dir(cmd, sizeof cmd, cases[i][0], dir);
		r = qjt_sh("%s handouts %s", qjt_bin(), cmd);
		if (r.code != 2)
			fail_msg("handouts %s: exit %d, not 2 (%s)", cmd, r.code, r.err);
		if (cases[i][1][strlen(cases[i][1]) - 1] == '\n')
			assert_string_equal(r.err, cases[i][1]);
		else {
			assert_non_null(strstr(r.err, cases[i][1]));
			assert_non_null(strstr(r.err, ": error: duplicate person serial"));
		}
		qjt_run_free(&r);
		r = qjt_sh("ls -A %s", dir);
		assert_string_equal(r.out, "bad.xml\n");
		qjt_run_free(&r);
	}
	/* one PDF per trainee: the trainee with the error is skipped, as the
	 * certificates skip theirs (exit 1), the other six are written */
	r = qjt_sh("%s handouts standards/001.xml --card 1 --roster %s/bad.xml -o %s/out/ -q", qjt_bin(),
		   dir, dir);
	if (r.code != 1)
		fail_msg("handouts into out/ with a bad roster: exit %d, not 1 (%s)", r.code, r.err);
	assert_non_null(strstr(r.err, "bad.xml:16: error: person 'ҚЖ-2026-0001': duplicate person serial"));
	qjt_run_free(&r);
	r = qjt_sh("ls %s/out | wc -l; rm -r %s/out", dir, dir);
	assert_string_equal(r.out, "6\n");
	qjt_run_free(&r);
	/* the batch rows are for -o DIR/ with a roster */
	r = qjt_sh("%s handouts standards/001.xml --card 1 --shard 1/2 -o %s/o.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "--shard goes with --roster and -o DIR/"));
	qjt_run_free(&r);
	/* usage: no pick, two picks, --summary with a roster, --course alone */
	r = qjt_sh("%s handouts standards/001.xml -o %s/o.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
	r = qjt_sh("%s handouts standards/001.xml --card 1 --all -o %s/o.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
	r = qjt_sh("%s handouts standards/001.xml --card 1 --summary --roster examples/roster.xml -o %s/o.pdf",
		   qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
	r = qjt_sh("%s handouts standards/001.xml --card 1 --lang de -o %s/o.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
	r = qjt_sh("ls -A %s", dir);
	assert_string_equal(r.out, "bad.xml\n");
	qjt_run_free(&r);
	unlink(bad);
	rmdir(dir);
}

/* -o DIR/ runs the trainees through the batch driver as the certificates:
 * --jobs 2 makes the same bytes as --jobs 1, a second run skips every
 * complete file (the manifest says so), --shard 1/2 and 2/2 make all 7
 * between them, --only one serial makes one file. */
static void test_handouts__batch_driver_options(void **state)
{
	char dir[64];
	char cmd[512];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(cmd, sizeof cmd, "export SOURCE_DATE_EPOCH=1700000000; %s handouts standards/002.xml "
		 "--card 14 --roster examples/roster.xml -q", qjt_bin());
	r = qjt_sh("%s -o %s/a/ --jobs 1 --manifest %s/m1.csv && %s -o %s/b/ --jobs 2", cmd, dir, dir, cmd,
		   dir);
	if (r.code != 0)
		fail_msg("handouts --jobs: exit %d: %s", r.code, r.err);
	qjt_run_free(&r);
	r = qjt_sh("cd %s && for f in a/*.pdf; do cmp -s \"$f\" \"b/${f#a/}\" || echo \"differs: $f\"; done; "
		   "ls a | wc -l; ls b | wc -l; grep -c ',ok,$' m1.csv", dir);
	assert_string_equal(r.out, "7\n7\n7\n");
	qjt_run_free(&r);
	/* resume: nothing is redone; with --force everything is */
	r = qjt_sh("%s -o %s/a/ --manifest %s/m2.csv && grep -c ',skipped,complete$' %s/m2.csv && "
		   "%s -o %s/a/ --force --manifest %s/m3.csv && grep -c ',ok,$' %s/m3.csv",
		   cmd, dir, dir, dir, cmd, dir, dir, dir);
	if (r.code != 0)
		fail_msg("handouts resume: exit %d: %s", r.code, r.err);
	assert_string_equal(r.out, "7\n7\n");
	qjt_run_free(&r);
	/* another card is another file: redone, not skipped */
	r = qjt_sh("export SOURCE_DATE_EPOCH=1700000000; %s handouts standards/002.xml --card 13 "
		   "--roster examples/roster.xml -q -o %s/a/ --manifest %s/m4.csv && grep -c ',ok,$' %s/m4.csv",
		   qjt_bin(), dir, dir, dir);
	assert_string_equal(r.out, "7\n");
	qjt_run_free(&r);
	/* shards: 4 + 3, together every trainee once */
	r = qjt_sh("%s -o %s/s/ --shard 1/2 && ls %s/s | wc -l && %s -o %s/s/ --shard-index 1/2 "
		   "--manifest %s/m5.csv && wc -l < %s/m5.csv && ls %s/s", cmd, dir, dir, cmd, dir, dir, dir, dir);
	if (r.code != 0)
		fail_msg("handouts --shard: exit %d: %s", r.code, r.err);
	assert_string_equal(r.out, "4\n4\nҚЖ-2026-0001.pdf\nҚЖ-2026-0002.pdf\nҚЖ-2026-0003.pdf\n"
				   "ҚЖ-2026-0004.pdf\nҚЖ-2026-0005.pdf\nҚЖ-2026-0006.pdf\nҚЖ-2026-0007.pdf\n");
	qjt_run_free(&r);
	/* --only: one file, of that trainee; an unknown serial is bad input */
	r = qjt_sh("%s -o %s/o/ --only ҚЖ-2026-0003 && ls %s/o && pdftotext %s/o/ҚЖ-2026-0003.pdf - | "
		   "grep -c 'ҚЖ-2026-0003' >/dev/null && echo named", cmd, dir, dir, dir);
	assert_string_equal(r.out, "ҚЖ-2026-0003.pdf\nnamed\n");
	qjt_run_free(&r);
	r = qjt_sh("%s -o %s/n/ --only NOPE", cmd, dir);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err, "examples/roster.xml: error: no person 'NOPE' (--only)\n");
	qjt_run_free(&r);
	qjt_rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handouts__every_item_of_every_card_in_order),
		cmocka_unit_test(test_handouts__roster_of_seven),
		cmocka_unit_test(test_handouts__spreadsheet_roster),
		cmocka_unit_test(test_handouts__labels_in_every_language),
		cmocka_unit_test(test_handouts__summary_counts_match),
		cmocka_unit_test(test_handouts__bad_input_writes_nothing),
		cmocka_unit_test(test_handouts__signed_copies),
		cmocka_unit_test(test_handouts__batch_driver_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
