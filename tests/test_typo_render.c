/* test_typo_render: typography and hyphenation as documents are rendered.
 * In process (flow → boxes → display list, with the text stage's
 * dictionaries): quotes pair across the text runs of a paragraph, a quote
 * doubled by the data and the template prints once, typography="no", URLs,
 * codes and the QR's data stay as they are; narrow cells hyphenate with a
 * '-' at the line end, a word is cut without one only when no point fits,
 * hyphenate="no" never hyphenates; what typography joins with no-break
 * spaces and hyphens stays on one line. End to end (the qujat binary,
 * pdftotext, --dump): no straight quote in any kk, ru or en document of the
 * examples, the narrow partner column of the long plan hyphenates and never
 * breaks a word without a hyphen, phone numbers are never split. */
#include "qjtest.h"

#include <glob.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "box/box.h"
#include "font/font.h"
#include "layout/layout.h"
#include "text/text.h"
#include "xml/xml.h"

#define NB "\u00A0"
#define NBH "\u2011"

typedef struct env {
	qj_ctx *ctx;
	qj_fonts *fonts;
	qj_hyphen *hyph;
	qj_arena *arena;
} env;

static int setup(void **state)
{
	env *e = calloc(1, sizeof *e);
	e->ctx = qjt_quiet_ctx();
	e->fonts = qj_fonts_load(e->ctx, "fonts");
	e->hyph = qj_hyphen_new(e->ctx);
	e->arena = qj_arena_new(e->ctx);
	assert_non_null(e->fonts);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	qj_arena_free(e->arena);
	qj_hyphen_free(e->hyph);
	qj_fonts_free(e->fonts);
	qj_ctx_free(e->ctx);
	free(e);
	return 0;
}

#define DOC(lang, body) \
	"<document lang='" lang "'><page-master name='p' size='A4' margin='20mm'/>" \
	"<page-sequence master='p'>" body "</page-sequence></document>"

/* The boxes of a flow (in e's arena). */
static qj_box *boxes(env *e, const char *flow)
{
	xmlDocPtr d = qj_xml_load_memory(e->ctx, "flow.xml", flow, strlen(flow));
	qj_box *b;
	assert_non_null(d);
	b = qj_box_build(e->ctx, e->arena, d);
	xmlFreeDoc(d);
	if (!b)
		fail_msg("the flow makes no boxes: %s", qj_diag_text(e->ctx));
	return b;
}

/* The display list of a flow, hyphenated with e's dictionaries. */
static qj_dl *lay(env *e, const char *flow)
{
	qj_dl *dl = qj_layout_run_hyphen(e->ctx, e->arena, boxes(e, flow), e->fonts, e->hyph);
	assert_non_null(dl);
	return dl;
}

/* The text of the body items of page 1 whose x is within [x0, x1),
 * each item on a line of its own, malloc'd. */
static char *column(env *e, const qj_dl *dl, double x0, double x1)
{
	qj_buf b;
	const qj_dl_item *it;
	char *r;
	qj_buf_init(&b, e->ctx);
	for (it = dl->pages[0]->items; it; it = it->next)
		if (it->kind == QJ_DL_TEXT && it->x >= x0 && it->x < x1)
			qj_buf_printf(&b, "%s\n", it->text);
	r = strdup(qj_buf_str(&b));
	qj_buf_free(&b);
	return r;
}

/* Every body text of page 1 in order: runs of a line joined as they are,
 * lines with a space. */
static char *all_text(env *e, const qj_dl *dl)
{
	qj_buf b;
	const qj_dl_item *it;
	double y = -1;
	char *r;
	qj_buf_init(&b, e->ctx);
	for (it = dl->pages[0]->items; it; it = it->next)
		if (it->kind == QJ_DL_TEXT) {
			if (y >= 0 && it->y != y)
				qj_buf_putc(&b, ' ');
			y = it->y;
			qj_buf_puts(&b, it->text);
		}
	r = strdup(qj_buf_str(&b));
	qj_buf_free(&b);
	return r;
}

static void test_typo_render__quotes_across_runs(void **state)
{
	env *e = *state;
	char *t;
	/* the template's quotes around data that has its own: «„…“ (…)» */
	t = all_text(e, lay(e, DOC("ru", "<block>Карточка профессии \"<span weight='bold'>"
				      "\"Директор услуг\" (центра)\"</span>\"</block>")));
	assert_string_equal(t, "Карточка профессии «„Директор услуг“ (центра)»");
	free(t);
	t = all_text(e, lay(e, DOC("kk", "<block>\"<span weight='bold'>Жанұя</span>\" орталығы - "
				      "<span>2026 жылғы</span> 72 сағат</block>")));
	assert_string_equal(t, "«Жанұя» орталығы" NB "— 2026" NB "жылғы 72" NB "сағат");
	free(t);
	t = all_text(e, lay(e, DOC("kk", "<block lang='en'>\"the \"quoted\" word\" don't</block>")));
	assert_string_equal(t, "“the ‘quoted’ word” don’t");
	free(t);
}

static void test_typo_render__codes_urls_and_qr_left_alone(void **state)
{
	env *e = *state;
	const qj_box *b, *x;
	char *t;
	t = all_text(e, lay(e, DOC("ru", "<block>№ ТРК-САЙ-2026/0031, 2026-ТРК, "
				      "https://qujat.kz/v/112-үй?a=1&amp;b=2-x, \"www.qujat.kz/a\", "
				      "info@qujat.kz и 112-үй</block>")));
	assert_string_equal(t, "№" NB "ТРК-САЙ-2026/0031, 2026-ТРК, "
			       "https://qujat.kz/v/112-үй?a=1&b=2-x, «www.qujat.kz/a», "
			       "info@qujat.kz и 112" NBH "үй");
	free(t);
	t = all_text(e, lay(e, DOC("ru", "<block typography='no'>\"как есть\" - "
				      "<span typography='yes'>\"да\"</span></block>")));
	assert_string_equal(t, "\"как есть\" - «да»");
	free(t);
	/* the QR's data is an attribute, never text */
	b = boxes(e, DOC("ru", "<qr data='\"x\" - 112-үй https://q.kz/v/1'/>"));
	for (x = b->first; x && x->kind != QJ_BOX_PAGE_SEQUENCE; x = x->next)
		;
	assert_non_null(x);
	assert_int_equal(x->first->kind, QJ_BOX_QR);
	assert_string_equal(x->first->u.qr.data, "\"x\" - 112-үй https://q.kz/v/1");
}

/* A table whose first column (mm wide, 9 pt) holds cell, the second
 * something wide. */
static qj_dl *narrow_w(env *e, int mm, const char *lang, const char *cell_attrs,
		       const char *cell)
{
	char flow[4096];
	snprintf(flow, sizeof flow,
		 "<document lang='%s'><page-master name='p' size='A4' margin='20mm'/>"
		 "<page-sequence master='p'><table widths='%dmm 1*' size='9pt' padding='2pt'>"
		 "<row><cell %s>%s</cell><cell>x</cell></row></table></page-sequence></document>",
		 lang, mm, cell_attrs, cell);
	return lay(e, flow);
}

static qj_dl *narrow(env *e, const char *lang, const char *cell_attrs, const char *cell)
{
	return narrow_w(e, 25, lang, cell_attrs, cell);
}

/* The lines of the narrow column joined back: a line ending in '-' joins
 * the next without it, the others with a space. *hyphens: how many. */
static char *joined(const char *lines, int *hyphens)
{
	char *r = malloc(strlen(lines) + 1), *w = r;
	const char *l = lines;
	*hyphens = 0;
	while (*l) {
		size_t k = strcspn(l, "\n");
		memcpy(w, l, k);
		w += k;
		if (k && l[k - 1] == '-') {
			w--;
			++*hyphens;
		} else if (l[k] && l[k + 1]) {
			*w++ = ' ';
		}
		l += k + (l[k] != 0);
	}
	*w = 0;
	return r;
}

static void test_typo_render__narrow_cells_hyphenate(void **state)
{
	env *e = *state;
	double x1 = 56.69 + 25 * 72 / 25.4;
	char *col, *t;
	int n;
	col = column(e, narrow(e, "ru", "", "Детский реабилитационный центр фтизиопульмонологии"),
		     0, x1);
	t = joined(col, &n);
	/* every break inside a word is a hyphenation point with its hyphen */
	assert_string_equal(t, "Детский реабилитационный центр фтизиопульмонологии");
	assert_true(n >= 2);
	assert_null(strstr(col, "реабилитационны\n"));
	assert_null(strstr(col, "фтизиопульмонол\n"));
	free(t);
	free(col);
	/* Kazakh, by the syllable rule */
	col = column(e, narrow(e, "kk", "", "әлеуметтік қауіпсіздік жұмыскерлері"), 0, x1);
	t = joined(col, &n);
	assert_string_equal(t, "әлеуметтік қауіпсіздік жұмыскерлері");
	assert_true(n >= 1);
	free(t);
	free(col);
}

static void test_typo_render__cut_without_hyphen_only_when_no_point_fits(void **state)
{
	env *e = *state;
	double x1 = 56.69 + 25 * 72 / 25.4;
	const char *l;
	char *col;
	/* a code has no points: cut between graphemes, no hyphen drawn */
	col = column(e, narrow(e, "ru", "", "QWERTYUIOPASDFGHJKLZXCVBNMQWERTYUIOP"), 0, x1);
	assert_true(strchr(col, '\n') < col + strlen(col) - 1); /* two lines or more */
	assert_null(strchr(col, '-'));
	free(col);
	/* a name with hyphenate="no": never hyphenated (each part fits a line) */
	col = column(e, narrow_w(e, 30, "kk", "hyphenate='no'", "Құдайбергенова Динара Тұрсынқызы"),
		     0, 56.69 + 30 * 72 / 25.4);
	assert_null(strchr(col, '-'));
	assert_string_equal(col, "Құдайбергенова\nДинара\nТұрсынқызы\n");
	free(col);
	/* the same column without it: the dictionary's points, one a line */
	col = column(e, narrow(e, "ru", "", "реабилитационный"), 0, 56.69 + 12 * 72 / 25.4);
	for (l = col; *l; l = strchr(l, '\n') + 1) {
		size_t k = strcspn(l, "\n");
		if (l[k + 1])
			assert_int_equal(l[k - 1], '-');
	}
	free(col);
}

static void test_typo_render__nobreak_phrases_stay_whole(void **state)
{
	env *e = *state;
	double x1 = 56.69 + 35 * 72 / 25.4;
	char *col = column(e, narrow_w(e, 35, "ru", "", "тел. +7 702 318 44 90, школа имени "
					 "Ж. Аймауытова, 112-үй, г. Караганды, ул. Абая"),
			   0, x1);
	/* тел. stays with the number, the number with itself */
	assert_non_null(strstr(col, "тел." NB "+7"));
	assert_non_null(strstr(col, "+7" NB "702" NB "318" NB "44" NB "90"));
	assert_non_null(strstr(col, "Ж." NB "Аймауытова"));
	assert_non_null(strstr(col, "112" NBH "үй"));
	assert_non_null(strstr(col, "г." NB "Караганды"));
	assert_non_null(strstr(col, "ул." NB "Абая"));
	free(col);
}

/* ---- end to end --------------------------------------------------------- */

static void no_straight_quote(const char *args, const char *pdf)
{
	qjt_run r = qjt_sh("QUJAT_TODAY=2026-11-23 %s %s -o %s", qjt_bin(), args, pdf);
	char *text;
	if (r.code != 0)
		fail_msg("qujat %s: exit %d: %s", args, r.code, r.err);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	assert_non_null(text);
	assert_true(strlen(text) > 200);
	if (strchr(text, '"')) {
		const char *q = strchr(text, '"');
		fail_msg("qujat %s: a straight quote in the PDF: ...%.60s", args,
			 q - text > 30 ? q - 30 : text);
	}
	free(text);
}

static void test_typo_render__no_straight_quote_in_any_document(void **state)
{
	static const char *const langs[] = {"kk", "ru", "en", "kk+ru"};
	char pdf[PATH_MAX], args[512];
	glob_t g;
	size_t i, k;
	(void)state;
	qjt_path(pdf, sizeof pdf, "doc.pdf");
	for (k = 0; k < 4; k++) {
		snprintf(args, sizeof args, "certificates examples/roster.xml --lang %s", langs[k]);
		no_straight_quote(args, pdf);
	}
	assert_int_equal(glob("standards/[0-9]*.xml", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++)
		for (k = 0; k < 3; k++) {
			snprintf(args, sizeof args, "card %s --all --lang %s", g.gl_pathv[i], langs[k]);
			no_straight_quote(args, pdf);
		}
	globfree(&g);
	assert_int_equal(glob("examples/records/*.xml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 7);
	for (i = 0; i < g.gl_pathc; i++)
		for (k = 0; k < 4; k++) {
			if (k == 2)
				continue; /* plans print in kk, ru, kk+ru */
			snprintf(args, sizeof args, "plan %s --lang %s", g.gl_pathv[i], langs[k]);
			no_straight_quote(args, pdf);
		}
	globfree(&g);
}

/* One text item of a --dump. */
typedef struct item {
	int page;
	double x, y;
	char *text;
} item;

/* The text items of a --dump (NBSP read as a space, U+2011 as '-'). */
static int dump_items(char *dump, item *it, int max)
{
	char *l = dump;
	int n = 0, page = 0;
	for (; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		double x, y;
		char *q, *w, *r;
		if (!strncmp(l, "page ", 5))
			page++;
		if (sscanf(l, "  text body %lf %lf", &x, &y) != 2 || !(q = strchr(l, '"')) || n == max)
			continue;
		it[n].page = page;
		it[n].x = x;
		it[n].y = y;
		it[n].text = strndup(q + 1, strcspn(q + 1, "\n") - 1);
		for (r = w = it[n].text; *r;) {
			if (!strncmp(r, NB, 2)) {
				*w++ = ' ';
				r += 2;
			} else if (!strncmp(r, NBH, 3)) {
				*w++ = '-';
				r += 3;
			} else {
				*w++ = *r++;
			}
		}
		*w = 0;
		n++;
	}
	return n;
}

/* Whether word (up to len bytes) is a whole word of the partner texts,
 * punctuation around it ignored. */
static int is_word(const char *words, const char *w, size_t len)
{
	char buf[256];
	const char *p;
	for (;;) {
		if (len && strchr(",.;:)", w[len - 1]))
			len--;
		else if (len >= 2 && !strncmp(w + len - 2, "»", 2))
			len -= 2;
		else if (len >= 3 && !strncmp(w + len - 3, "“", 3))
			len -= 3;
		else
			break;
	}
	while (len && (!strncmp(w, "«", 2) || !strncmp(w, "„", 3) || *w == '(')) {
		size_t k = *w == '(' ? 1 : !strncmp(w, "«", 2) ? 2 : 3;
		w += k;
		len -= k;
	}
	if (len + 3 > sizeof buf)
		return 0;
	snprintf(buf, sizeof buf, " %.*s ", (int)len, w);
	/* words holds " w1 w2 … " with punctuation dropped */
	p = strstr(words, buf);
	return p != NULL;
}

/* " word word … " of every partner text of rec, punctuation dropped. */
static char *partner_words(const char *rec)
{
	qjt_run r = qjt_sh("xmllint --xpath '//measure/partner//text()' %s | "
			   "tr -s ' \\n\\t' '\\n\\n\\n' | sed 's/^[«(„]*//; s/[,.;:»)“]*$//' | "
			   "tr '\\n' ' '", rec);
	char *w = malloc(strlen(r.out) + 3);
	assert_int_equal(r.code, 0);
	sprintf(w, " %s ", r.out);
	qjt_run_free(&r);
	return w;
}

static void check_partner_column(const char *lang, const char *head)
{
	const char *rec = "examples/records/large-family-kk-ru.xml";
	char pdf[PATH_MAX], *words = partner_words(rec);
	static item it[20000];
	static unsigned char piece[20000]; /* begins with the rest of a hyphenated word */
	static char *carry[20000];         /* the pieces above it, when it ends in one */
	qjt_run r;
	double col = -1;
	int n, i, j, hyphens = 0, lines = 0;
	qjt_path(pdf, sizeof pdf, "long.pdf");
	memset(piece, 0, sizeof piece);
	r = qjt_sh("QUJAT_TODAY=2026-11-23 %s plan %s --lang %s --dump -o %s", qjt_bin(), rec,
		   lang, pdf);
	assert_int_equal(r.code, 0);
	n = dump_items(r.out, it, 20000);
	for (i = 0; i < n && col < 0; i++)
		if (!strncmp(it[i].text, head, strlen(head)))
			col = it[i].x;
	assert_true(col > 0);
	/* every line of the column below its header on each page */
	for (i = 0; i < n; i++) {
		const char *t = it[i].text, *last;
		size_t len = strlen(t);
		if (it[i].x < col - 0.005 || it[i].x > col + 0.005 ||
		    !strncmp(t, head, strlen(head)))
			continue;
		lines++;
		last = strrchr(t, ' ') ? strrchr(t, ' ') + 1 : t;
		if (last == t && piece[i] && !(len && t[len - 1] == '-'))
			continue; /* the rest of the word above, checked with it */
		/* the next line of the same cell: same x, below, same page */
		for (j = i + 1; j < n; j++)
			if (it[j].page == it[i].page && it[j].x > col - 0.005 &&
			    it[j].x < col + 0.005 && it[j].y > it[i].y)
				break;
		if (len && t[len - 1] == '-' && !is_word(words, last, strlen(last))) {
			/* hyphenated: the pieces make a word of the data (with
			 * the hyphen when it is the word's own: кейс-|менеджер) */
			char stem[256], whole[512], whole2[512];
			const char *next = j < n ? it[j].text : "", *base = "";
			size_t nf = strcspn(next, " ");
			if (last == t && carry[i])
				base = carry[i];
			snprintf(stem, sizeof stem, "%s%.*s", base, (int)strlen(last) - 1, last);
			hyphens++;
			if (j < n)
				piece[j] = 1;
			if (j < n && !next[nf] && nf && next[nf - 1] == '-') {
				carry[j] = strdup(stem); /* a third piece follows */
				continue;
			}
			snprintf(whole, sizeof whole, "%s%.*s", stem, (int)nf, next);
			snprintf(whole2, sizeof whole2, "%s-%.*s", stem, (int)nf, next);
			if (!is_word(words, whole, strlen(whole)) &&
			    !is_word(words, whole2, strlen(whole2)))
				fail_msg("--lang %s: '%s' | '%s' is not a word of the data", lang, t, next);
		} else if (!is_word(words, last, strlen(last))) {
			fail_msg("--lang %s: line '%s' ends inside a word without a hyphen", lang, t);
		}
	}
	assert_true(lines > 40);
	assert_true(hyphens >= 3);
	for (i = 0; i < n; i++) {
		free(it[i].text);
		free(carry[i]);
		carry[i] = NULL;
	}
	qjt_run_free(&r);
	free(words);
}

static void test_typo_render__long_plan_partner_column_hyphenated(void **state)
{
	(void)state;
	check_partner_column("ru", "Партнёр");
	check_partner_column("kk", "Серіктес");
}

/* Every phone number of every record prints whole on one line, and the
 * words of the issue that were broken are not. */
static void test_typo_render__plans_keep_phones_whole(void **state)
{
	static item it[20000];
	static const char *const langs[] = {"kk", "ru"};
	char pdf[PATH_MAX];
	glob_t g;
	size_t f, k;
	(void)state;
	qjt_path(pdf, sizeof pdf, "plan.pdf");
	assert_int_equal(glob("examples/records/*.xml", 0, NULL, &g), 0);
	for (f = 0; f < g.gl_pathc; f++) {
		qjt_run ph = qjt_sh("xmllint --xpath '/client-record/plan/*/phone/text()' %s | "
				    "tr -s ' ' ' '", g.gl_pathv[f]);
		for (k = 0; k < 2; k++) {
			qjt_run r = qjt_sh("QUJAT_TODAY=2026-11-23 %s plan %s --lang %s --dump -o %s",
					   qjt_bin(), g.gl_pathv[f], langs[k], pdf);
			const char *p = ph.out;
			int n, i;
			assert_int_equal(r.code, 0);
			n = dump_items(r.out, it, 20000);
			/* phones: "+7 …" as the data writes them, one per line */
			while (p && (p = strstr(p, "+7"))) {
				size_t len = strcspn(p + 1, "\n+") + 1;
				char want[64];
				int found = 0;
				snprintf(want, sizeof want, "%.*s", (int)len, p);
				while (len && want[len - 1] == ' ')
					want[--len] = 0;
				for (i = 0; i < n && !found; i++)
					found = strstr(it[i].text, want) != NULL;
				if (!found)
					fail_msg("%s --lang %s: phone '%s' not whole on a line",
						 g.gl_pathv[f], langs[k], want);
				p += len;
			}
			for (i = 0; i < n; i++) {
				size_t len = strlen(it[i].text);
				if ((len >= 30 && !strcmp(it[i].text + len - 30, "реабилитационны")) ||
				    (len >= 30 && !strcmp(it[i].text + len - 30, "фтизиопульмонол")) ||
				    (len >= 3 && !strcmp(it[i].text + len - 3, " Ж.")) ||
				    (len >= 3 && !strcmp(it[i].text + len - 3, " г.") &&
				     i + 1 < n && !strncmp(it[i + 1].text, "Караганды", 18)))
					fail_msg("%s --lang %s: line ends '%s'", g.gl_pathv[f], langs[k],
						 it[i].text);
				free(it[i].text);
			}
			qjt_run_free(&r);
		}
		qjt_run_free(&ph);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typo_render__quotes_across_runs),
		cmocka_unit_test(test_typo_render__codes_urls_and_qr_left_alone),
		cmocka_unit_test(test_typo_render__narrow_cells_hyphenate),
		cmocka_unit_test(test_typo_render__cut_without_hyphen_only_when_no_point_fits),
		cmocka_unit_test(test_typo_render__nobreak_phrases_stay_whole),
		cmocka_unit_test(test_typo_render__no_straight_quote_in_any_document),
		cmocka_unit_test(test_typo_render__long_plan_partner_column_hyphenated),
		cmocka_unit_test(test_typo_render__plans_keep_phones_whole),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
