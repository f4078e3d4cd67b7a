/* test_tmpl: template expansion (for-each with sort, if, choose, variables,
 * values, labels, attribute value templates), template errors with their
 * lines, and a fault-injection loop over expansion and layout. */
#include "qjtest.h"
#include "tmpl/xpath_text.h"

#include "font/font.h"
#include "layout/layout.h"
#include "tmpl/tmpl.h"
#include "xml/xml.h"

static const char *DATA =
	"<roster><person n='Бек' age='30'/><person n='Әлия' age='7'/>"
	"<person n='Арман' age='51'/></roster>";

static const char *TMPL =
	"<template title='{count(/roster/person)} адам'>\n"
	"<page-master name='p'/>\n"
	"<page-sequence master='p'>\n"
	"<for-each select='/roster/person' sort='@age' sort-type='number' order='descending'>\n"
	"  <block bookmark='{@n}'><value select='position()'/>. <value select='@n'/>\n"
	"    <if test='@age &lt; 18'> (<label key='child'/>)</if>\n"
	"    <choose><when test='@age &gt; 50'> *</when><otherwise> -</otherwise></choose>\n"
	"  </block>\n"
	"</for-each>\n"
	"<variable name='x' select='/roster/person[1]/@n'/>\n"
	"<block><value select='$x'/> <value select='$lang'/></block>\n"
	"</page-sequence></template>\n";

typedef struct fx {
	qj_ctx *ctx;
	qj_catalog *cat;
	xmlDocPtr data, tmpl, out;
} fx;

static void setup_fx(fx *f, const char *tmpl)
{
	f->ctx = qj_ctx_new();
	qj_diag_set_sink(f->ctx, NULL);
	qj_xml_init();
	f->cat = qj_catalog_load(f->ctx, "tests/data/i18n");
	assert_non_null(f->cat);
	f->data = qj_xml_load_memory(f->ctx, "data.xml", DATA, strlen(DATA));
	assert_non_null(f->data);
	{
		char path[PATH_MAX];
		int fd = mkstemp((char *)qjt_path(path, sizeof path, "tmpl-XXXXXX"));
		assert_true(fd >= 0);
		assert_int_equal(write(fd, tmpl, strlen(tmpl)), (ssize_t)strlen(tmpl));
		close(fd);
		f->tmpl = qj_tmpl_load(f->ctx, path);
		unlink(path);
	}
	f->out = NULL;
}

static void teardown_fx(fx *f)
{
	xmlFreeDoc(f->out);
	xmlFreeDoc(f->tmpl);
	xmlFreeDoc(f->data);
	qj_catalog_free(f->cat);
	qj_ctx_free(f->ctx);
}

static char *dump(xmlDocPtr d)
{
	xmlChar *s;
	int n;
	xmlDocDumpMemoryEnc(d, &s, &n, "UTF-8");
	return (char *)s;
}

static void test_tmpl__expands(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk", NULL, NULL, NULL, NULL};
	char *s;
	(void)state;
	setup_fx(&f, TMPL);
	assert_non_null(f.tmpl);
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_non_null(f.out);
	s = dump(f.out);
	assert_non_null(strstr(s, "<document title=\"3 адам\" lang=\"kk\">"));
	/* sorted by age, descending; position() follows the sorted order */
	assert_non_null(strstr(s, "<block bookmark=\"Арман\">1. Арман *</block>"));
	assert_non_null(strstr(s, "<block bookmark=\"Бек\">2. Бек -</block>"));
	assert_non_null(strstr(s, "<block bookmark=\"Әлия\">3. Әлия (бала) -</block>"));
	assert_non_null(strstr(s, "<block>Бек kk</block>"));
	assert_null(strstr(s, "qj-loc"));
	xmlFree(s);
	/* the data each block came from travels with its box */
	{
		qj_arena *a = qj_arena_new(f.ctx);
		const qj_box *doc = qj_box_build(f.ctx, a, f.out), *seq, *b;
		int blocks = 0;
		assert_non_null(doc);
		for (seq = doc->first; seq && seq->kind != QJ_BOX_PAGE_SEQUENCE; seq = seq->next)
			;
		assert_non_null(seq);
		for (b = seq->first; b; b = b->next) {
			assert_int_equal(b->kind, QJ_BOX_BLOCK);
			assert_string_equal(b->diag.file, "data.xml");
			assert_int_equal(b->diag.line, 1);
			assert_int_equal(b->loc.line, b == seq->last ? 11 : 5);
			assert_non_null(strstr(b->loc.file, "/tmpl-"));
			blocks++;
		}
		assert_int_equal(blocks, 4);
		qj_arena_free(a);
	}
	teardown_fx(&f);
}

/* Text sorting follows the language's collation: ә after а, ғ after г. */
static void test_tmpl__sorts_by_collation(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk", NULL, NULL, NULL, NULL};
	char *s, *a, *b, *c;
	(void)state;
	setup_fx(&f, "<template><page-master name='p'/><page-sequence master='p'>"
		 "<for-each select='/roster/person' sort='@n'><block><value select='@n'/></block>"
		 "</for-each></page-sequence></template>");
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_non_null(f.out);
	s = dump(f.out);
	a = strstr(s, "Арман");
	b = strstr(s, "Әлия");
	c = strstr(s, "Бек");
	assert_true(a && b && c);
	assert_true(a < b && b < c); /* strcmp would put Ә (U+04D8) last */
	xmlFree(s);
	teardown_fx(&f);
}

static void test_tmpl__bilingual_labels(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk+ru", NULL, NULL, NULL, NULL};
	char *s;
	(void)state;
	setup_fx(&f, TMPL);
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_non_null(f.out);
	s = dump(f.out);
	assert_non_null(strstr(s, "(бала / ребёнок)"));
	xmlFree(s);
	teardown_fx(&f);
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Labels chosen by a person's sex: the variant for m or f, the neutral
 * text without sex (or for a language with no variant); in <label sex>,
 * q:label and q:label-in. A variant without a neutral text, or a sex that
 * is neither m nor f, is an error at its line when the catalog loads. */
static void test_tmpl__labels_by_sex(void **state)
{
	static const char *data = "<r><p sex='f'/><p sex='m'/><p/></r>";
	qj_tmpl_opts o = {"kk+ru", NULL, NULL, NULL, NULL};
	char dir[64], path[PATH_MAX];
	const char *tmpl =
		"<template><page-master name='p'/><page-sequence master='p'>\n"
		"<for-each select='/r/p'><block><label key='rel.child' sex='{@sex}'/>|"
		"<value select=\"q:label('by', ' / ', @sex)\"/>|"
		"<value select=\"q:label-in('rel.child', 'ru', @sex)\"/></block></for-each>\n"
		"</page-sequence></template>\n";
	qj_ctx *ctx = qj_ctx_new();
	qj_catalog *cat;
	xmlDocPtr d, t, out;
	char *s;
	int fd;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	qjt_tmpdir(dir, sizeof dir);
	put_file(dir, "kk.xml", "<catalog lang='kk'><msg key='by'>бағалаған</msg></catalog>");
	put_file(dir, "ru.xml", "<catalog lang='ru'><msg key='by'>исполнитель</msg>"
		 "<msg key='by' sex='m'>провёл</msg><msg key='by' sex='f'>провела</msg></catalog>");
	put_file(dir, "codes.xml", "<catalog><entry key='rel.child'><kk>Баласы</kk>"
		 "<kk sex='f'>Қызы</kk><ru sex='f'>Дочь</ru><ru>Ребёнок</ru><ru sex='m'>Сын</ru>"
		 "</entry></catalog>");
	cat = qj_catalog_load(ctx, dir);
	assert_non_null(cat);
	assert_string_equal(qj_catalog_lookup_sex(cat, "rel.child", "ru", "f"), "Дочь");
	assert_string_equal(qj_catalog_lookup_sex(cat, "rel.child", "ru", "m"), "Сын");
	assert_string_equal(qj_catalog_lookup_sex(cat, "rel.child", "ru", NULL), "Ребёнок");
	assert_string_equal(qj_catalog_lookup_sex(cat, "rel.child", "ru", ""), "Ребёнок");
	assert_string_equal(qj_catalog_lookup_sex(cat, "rel.child", "ru", "x"), "Ребёнок");
	assert_string_equal(qj_catalog_lookup_sex(cat, "rel.child", "kk", "m"), "Баласы");
	assert_string_equal(qj_catalog_lookup(cat, "rel.child", "ru"), "Ребёнок");
	assert_null(qj_catalog_lookup_sex(cat, "rel.child", "en", "f"));
	/* in a template */
	d = qj_xml_load_memory(ctx, "data.xml", data, strlen(data));
	fd = mkstemp((char *)qjt_path(path, sizeof path, "tmpl-XXXXXX"));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, tmpl, strlen(tmpl)), (ssize_t)strlen(tmpl));
	close(fd);
	t = qj_tmpl_load(ctx, path);
	unlink(path);
	assert_non_null(t);
	o.catalog = cat;
	out = qj_tmpl_expand(ctx, t, d, &o);
	if (!out)
		fail_msg("%s", qj_diag_text(ctx));
	s = dump(out);
	assert_non_null(strstr(s, "<block>Қызы / Дочь|бағалаған / провела|Дочь</block>"));
	assert_non_null(strstr(s, "<block>Баласы / Сын|бағалаған / провёл|Сын</block>"));
	assert_non_null(strstr(s, "<block>Баласы / Ребёнок|бағалаған / исполнитель|Ребёнок</block>"));
	xmlFree(s);
	xmlFreeDoc(out);
	xmlFreeDoc(t);
	xmlFreeDoc(d);
	qj_catalog_free(cat);
	/* variants without a neutral text; a sex that is not m or f */
	put_file(dir, "ru.xml", "<catalog lang='ru'>\n<msg key='by' sex='f'>провела</msg>\n"
		 "<msg key='x' sex='n'>?</msg>\n</catalog>\n");
	put_file(dir, "codes.xml", "<catalog>\n<entry key='rel.child'>\n<kk>Баласы</kk>\n"
		 "<ru sex='f'>Дочь</ru>\n</entry>\n</catalog>\n");
	qj_diag_reset(ctx);
	assert_null(qj_catalog_load(ctx, dir));
	s = (char *)qj_diag_text(ctx);
	assert_non_null(strstr(s, "ru.xml:2: error: label 'by' (ru) has a sex=\"f\" variant but no neutral text"));
	assert_non_null(strstr(s, "ru.xml:3: error: sex='n' of a label: it is m or f"));
	assert_non_null(strstr(s, "codes.xml:4: error: label 'rel.child' (ru) has a sex=\"f\" variant"));
	qj_ctx_free(ctx);
	qjt_rm_rf(dir);
}

static void test_tmpl__errors_with_lines(void **state)
{
	fx f;
	(void)state;
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<blok/>\n<value select='count(('/>\n<for-each/>\n"
		 "<block size='{1 +}'/>\n</page-sequence></template>\n");
	assert_null(f.tmpl);
	assert_non_null(strstr(qj_diag_text(f.ctx), ":4: error: unknown element <blok>"));
	assert_non_null(strstr(qj_diag_text(f.ctx), ":5: error: XPath"));
	assert_non_null(strstr(qj_diag_text(f.ctx), ":6: error: <for-each> needs select="));
	assert_non_null(strstr(qj_diag_text(f.ctx), ":7: error: XPath"));
	teardown_fx(&f);
}

static void test_tmpl__runtime_errors(void **state)
{
	fx f;
	qj_tmpl_opts o = {"en", NULL, NULL, NULL, NULL};
	(void)state;
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<for-each select='count(/roster/person)'/>\n"
		 "<label key='nope'/>\n</page-sequence></template>\n");
	assert_non_null(f.tmpl);
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	assert_non_null(strstr(qj_diag_text(f.ctx),
			       ":4: error: for-each select='count(/roster/person)' is not a node-set"));
	teardown_fx(&f);
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<label key='nope'/>\n</page-sequence></template>\n");
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	assert_non_null(strstr(qj_diag_text(f.ctx), ":4: error: missing label 'nope' for language 'en'"));
	teardown_fx(&f);
}

/* Bad literal attributes are found at load, in branches no data takes
 * too, every one with its line; unknown attributes as well. */
static void test_tmpl__bad_attributes_at_load(void **state)
{
	fx f;
	const char *d;
	(void)state;
	setup_fx(&f, "<template size='big'>\n<page-master name='p' orientation='sideways'/>\n"
		 "<page-sequence master='p'>\n"
		 "<if test='false()'><block align='centre' size='12pz'>x</block></if>\n"
		 "<choose><when test='1'/><otherwise><span weight='blod'/></otherwise></choose>\n"
		 "<table widths='1* 2x'><row><cell span='0' colour='red'/></row></table>\n"
		 "<block size='{{12pt}}' keep-together='{/x}'/>\n"
		 "</page-sequence></template>\n");
	assert_null(f.tmpl);
	d = qj_diag_text(f.ctx);
	assert_non_null(strstr(d, ":1: error: attribute 'size' of <template>: 'big' is not a length"));
	assert_non_null(strstr(d, ":2: error: attribute 'orientation' of <page-master>: "
			       "'sideways' is not portrait or landscape"));
	assert_non_null(strstr(d, ":4: error: attribute 'align' of <block>: 'centre' is not "
			       "left, center, right or justify"));
	assert_non_null(strstr(d, ":4: error: attribute 'size' of <block>: '12pz' is not a length"));
	assert_non_null(strstr(d, ":5: error: attribute 'weight' of <span>: 'blod' is not normal or bold"));
	assert_non_null(strstr(d, ":6: error: attribute 'widths' of <table>: '1* 2x' is not a list of column widths"));
	assert_non_null(strstr(d, ":6: error: attribute 'span' of <cell>: '0' is not a whole number from 1 to 32"));
	assert_non_null(strstr(d, ":6: error: unknown attribute 'colour' of <cell>"));
	/* {{ and }} are braces: a literal '{12pt}' is checked and is wrong */
	assert_non_null(strstr(d, ":7: error: attribute 'size' of <block>: '{12pt}' is not a length"));
	assert_null(strstr(d, "keep-together")); /* computed: checked when expanded */
	assert_int_equal(qj_diag_errors(f.ctx), 9);
	teardown_fx(&f);
}

/* A computed attribute is checked when it is expanded, and reported at the
 * line of the data it came from. */
static void test_tmpl__bad_computed_attribute(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk", NULL, NULL, NULL, NULL};
	const char *d, *data = "<roster>\n<person n='bold' age='9'/>\n"
			       "<person n='Бек' age='30'/>\n</roster>\n";
	(void)state;
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<for-each select='/roster/person'>\n"
		 "<block size='{@age}pt' weight='{@n}'>x</block>\n"
		 "<block size='{@age}mm' space-before='{1 div 0}'>x</block>\n"
		 "</for-each></page-sequence></template>\n");
	assert_non_null(f.tmpl);
	xmlFreeDoc(f.data);
	f.data = qj_xml_load_memory(f.ctx, "data.xml", data, strlen(data));
	assert_non_null(f.data);
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	d = qj_diag_text(f.ctx);
	assert_non_null(strstr(d, "data.xml:3: error: attribute 'weight' of <block>: 'Бек' is not normal or bold"));
	assert_null(strstr(d, "data.xml:2: error: attribute 'weight'")); /* 'bold' is good */
	/* not from the data: at the template's line */
	assert_non_null(strstr(d, ":6: error: attribute 'space-before' of <block>: 'Infinity' is not a length"));
	assert_int_equal(qj_diag_errors(f.ctx), 3);
	teardown_fx(&f);
}

/* The shipped templates load: every attribute they write is in the table. */
static void test_tmpl__shipped_templates_load(void **state)
{
	static const char *const names[] = {"templates/certificate.xml",
		"templates/profession-card.xml", "templates/work-plan.xml"};
	/* the parameters their commands give (cmd_certificates.c, cmd_card.c) */
	static const char *const cert[] = {"shard-k", "1", "shard-n", "1", NULL},
		*const card[] = {"card", "", NULL}, *const none[] = {NULL};
	static const char *const *const params[] = {cert, card, none};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		qj_ctx *ctx = qj_ctx_new();
		xmlDocPtr t;
		qj_diag_set_sink(ctx, NULL);
		t = qj_tmpl_load_params(ctx, names[i], params[i]);
		if (!t)
			fail_msg("%s: %s", names[i], qj_diag_text(ctx));
		xmlFreeDoc(t);
		qj_ctx_free(ctx);
	}
}

/* A template that writes without end (a loop over every node inside a loop
 * over every node) stops at the limit with an error, not hours later. */
static void test_tmpl__output_limit(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk", NULL, NULL, NULL, NULL};
	(void)state;
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<for-each select='//node() | //@*'><for-each select='//node() | //@*'>"
		 "<for-each select='//node() | //@*'>\n<block>x</block>"
		 "</for-each></for-each></for-each>\n</page-sequence></template>\n");
	o.catalog = f.cat;
	qj_ctx_limits(f.ctx)->max_nodes = 1000;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	assert_non_null(strstr(qj_diag_text(f.ctx),
			       ":5: error: the template writes more than 1000 elements and texts (the limit)"));
	assert_int_equal(qj_diag_errors(f.ctx), 1);
	teardown_fx(&f);
}

/* An expression nested over every node stops at the XPath work limit. */
static void test_tmpl__xpath_work_limit(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk", NULL, NULL, NULL, NULL};
	(void)state;
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<block><value select='count(//node()[count(//node()[count(//node()) &gt; 0]) &gt; 0])'/>"
		 "</block>\n</page-sequence></template>\n");
	o.catalog = f.cat;
	qj_ctx_limits(f.ctx)->max_xpath_ops = 100;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	assert_non_null(strstr(qj_diag_text(f.ctx), ":4: error: XPath: the expressions of this "
					    "template do more than 100 operations (the limit)"));
	teardown_fx(&f);
}

/* Nested sorts keyed on the whole document stop at the memory limit (the
 * keys count), reported once, and the q: errors of the text services
 * count as errors of the expansion. */
static void test_tmpl__memory_limit_and_function_errors(void **state)
{
	fx f;
	qj_tmpl_opts o = {"kk", NULL, qj_tmpl_register_text_funcs, NULL, NULL};
	(void)state;
	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<for-each select='//node()' sort='concat(string(/),.)'>"
		 "<for-each select='//node()' sort='concat(string(/),.)'>"
		 "<for-each select='//node()' sort='concat(string(/),.)'>"
		 "<block>x</block></for-each></for-each></for-each>\n</page-sequence></template>\n");
	o.catalog = f.cat;
	qj_ctx_limits(f.ctx)->max_tmpl_bytes = 1 << 20;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	if (!strstr(qj_diag_text(f.ctx), ":4: error: the template needs more than 1 MiB"))
		fail_msg("%s", qj_diag_text(f.ctx));
	assert_int_equal(qj_diag_errors(f.ctx), 1);
	teardown_fx(&f);

	setup_fx(&f, "<template>\n<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<block><value select=\"q:date('2026-11-20Z')\"/></block>\n</page-sequence></template>\n");
	o.catalog = f.cat;
	f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
	assert_null(f.out);
	assert_non_null(strstr(qj_diag_text(f.ctx), "error: q:date: '2026-11-20Z' is not a date"));
	teardown_fx(&f);
}

/* Every allocation of expansion and layout made to fail in turn: each run
 * fails cleanly (no crash, an error recorded) or succeeds. */
static void test_tmpl__fault_injection(void **state)
{
	long n, total = 0;
	int failed = 0;
	(void)state;
	for (n = 1; n < 100000; n++) {
		fx f;
		qj_tmpl_opts o = {"kk", NULL, NULL, NULL, NULL};
		qj_fonts *fonts;
		qj_arena *a;
		qj_dl *dl = NULL;
		setup_fx(&f, TMPL);
		o.catalog = f.cat;
		fonts = qj_fonts_load(f.ctx, "fonts");
		assert_non_null(fonts);
		qj_ctx_fail_after(f.ctx, n);
		f.out = qj_tmpl_expand(f.ctx, f.tmpl, f.data, &o);
		a = qj_arena_new(f.ctx);
		if (f.out && a) {
			qj_box *b = qj_box_build(f.ctx, a, f.out);
			xmlFreeDoc(f.out);
			f.out = NULL;
			if (b)
				dl = qj_layout_run(f.ctx, a, b, fonts);
		}
		if (!dl) {
			failed++;
			assert_true(qj_ctx_oom(f.ctx) || qj_diag_errors(f.ctx) > 0);
		}
		total = qj_ctx_alloc_count(f.ctx);
		qj_arena_free(a);
		qj_fonts_free(fonts);
		teardown_fx(&f);
		if (dl)
			break; /* n passed every allocation: the run succeeded */
	}
	assert_true(failed > 5);
	assert_true(n < 100000);
	(void)total;
}

/* A batch's cache (compiled expressions, parsed attribute value templates,
 * one XPath context) gives each document what an expansion without it
 * gives, and nothing of one document reaches the next: not its variables,
 * not its XPath work (the limit counts per document), not an error. */
static void test_tmpl__cache_across_documents(void **state)
{
	static const char *const docs[] = {
		"<roster><person n='Бек' age='30'/></roster>",
		"<roster><person n='Әлия' age='7'/><person n='Арман' age='51'/></roster>",
		"<roster><person n='x'/><person n='x'/><person n='x'/><person n='x'/>"
		"<person n='x'/><person n='x'/><person n='x'/><person n='x'/></roster>",
		"<roster><person n='Бек' age='30'/></roster>"};
	fx f;
	qj_tmpl_cache *cache;
	qj_tmpl_opts plain = {"kk", NULL, qj_tmpl_register_text_funcs, NULL, NULL}, cached;
	size_t i;
	(void)state;
	setup_fx(&f, "<template title='{{x}} {count(/roster/person)} {q:upper(\"а\")}'>\n"
		 "<page-master name='p'/>\n<page-sequence master='p'>\n"
		 "<for-each select='/roster/person'>\n"
		 "  <block bookmark='{@n} {{{@age}}}' align='center'><value select='@n'/>"
		 "<if test='@age &lt; 18'> (<label key='child'/>)</if></block>\n"
		 "  <variable name='v' select='string(@n)'/><block><value select='$v'/></block>\n"
		 "</for-each>\n"
		 "<block><value select='count(//node()[count(//node()) &gt; 0])'/></block>\n"
		 "</page-sequence></template>\n");
	assert_non_null(f.tmpl);
	plain.catalog = f.cat;
	cached = plain;
	cached.cache = cache = qj_tmpl_cache_new(f.ctx);
	assert_non_null(cache);
	qj_ctx_limits(f.ctx)->max_xpath_ops = 250;
	for (i = 0; i < sizeof docs / sizeof *docs; i++) {
		xmlDocPtr d = qj_xml_load_memory(f.ctx, "data.xml", docs[i], strlen(docs[i]));
		xmlDocPtr a, b;
		assert_non_null(d);
		qj_diag_reset(f.ctx);
		a = qj_tmpl_expand(f.ctx, f.tmpl, d, &plain);
		b = qj_tmpl_expand(f.ctx, f.tmpl, d, &cached);
		if (i == 2) {
			/* over the work limit, with and without the cache */
			assert_null(a);
			assert_null(b);
		} else {
			char *da, *db;
			assert_non_null(a);
			assert_non_null(b);
			da = dump(a);
			db = dump(b);
			assert_string_equal(da, db);
			xmlFree(da);
			xmlFree(db);
		}
		xmlFreeDoc(a);
		xmlFreeDoc(b);
		xmlFreeDoc(d);
	}
	qj_tmpl_cache_free(cache);
	teardown_fx(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tmpl__expands),
		cmocka_unit_test(test_tmpl__sorts_by_collation),
		cmocka_unit_test(test_tmpl__bilingual_labels),
		cmocka_unit_test(test_tmpl__labels_by_sex),
		cmocka_unit_test(test_tmpl__errors_with_lines),
		cmocka_unit_test(test_tmpl__runtime_errors),
		cmocka_unit_test(test_tmpl__bad_attributes_at_load),
		cmocka_unit_test(test_tmpl__bad_computed_attribute),
		cmocka_unit_test(test_tmpl__shipped_templates_load),
		cmocka_unit_test(test_tmpl__output_limit),
		cmocka_unit_test(test_tmpl__xpath_work_limit),
		cmocka_unit_test(test_tmpl__cache_across_documents),
		cmocka_unit_test(test_tmpl__memory_limit_and_function_errors),
		cmocka_unit_test(test_tmpl__fault_injection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
