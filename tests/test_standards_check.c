/* test_standards_check: `qujat validate` and `qujat list` on professional
 * standards: every committed standard is valid; each rule, broken once in
 * tests/data/standards, gives its exact diagnostic and exit 2; nothing
 * crashes; standards/001.xml matches counts taken by hand from the source
 * and holds no Latin letter inside a Cyrillic word. Run from the repo root. */
#include "qjtest.h"

#include <glob.h>
#include <limits.h>

#include <libxml/xpath.h>

#include "standard/standard.h"
#include "xml/xml.h"

#define DATA "tests/data/standards/"

/* Runs validate on one file; the caller frees. */
static qjt_run validate(const char *file)
{
	return qjt_sh("%s validate '%s'", qjt_bin(), file);
}

/* validate FILE exits 2 and prints exactly the expected lines. */
static void expect_errors(const char *file, const char *expected)
{
	qjt_run r = validate(file);
	if (strcmp(r.err, expected) != 0)
		fail_msg("%s: expected stderr\n%s\ngot\n%s", file, expected, r.err);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
}

/* ---- the committed standards ---- */

static void test_standards_check__committed_standards_validate(void **state)
{
	glob_t g;
	size_t i;
	(void)state;
	assert_int_equal(glob("standards/*.xml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 1);
	for (i = 0; i < g.gl_pathc; i++) {
		qjt_run r = validate(g.gl_pathv[i]);
		if (r.code != 0 || r.err[0])
			fail_msg("%s: exit %d\n%s", g.gl_pathv[i], r.code, r.err);
		qjt_run_free(&r);
	}
	globfree(&g);
}

static void test_standards_check__minimal_document_is_valid(void **state)
{
	qjt_run r = validate(DATA "valid.xml");
	(void)state;
	assert_string_equal(r.err, "");
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

static void test_standards_check__several_files_in_one_call(void **state)
{
	qjt_run r = qjt_sh("%s validate " DATA "valid.xml " DATA "numbering.xml "
			   "standards/001.xml", qjt_bin());
	(void)state;
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, DATA "numbering.xml:13: error:"));
	assert_null(strstr(r.err, "valid.xml:"));
	assert_null(strstr(r.err, "001.xml:"));
	qjt_run_free(&r);
}

/* ---- one rule each ---- */

static void test_standards_check__duplicate_card_id(void **state)
{
	(void)state;
	expect_errors(DATA "dup_id.xml",
		      DATA "dup_id.xml:23: error: duplicate card id '1' (first used at line 5)\n");
}

static void test_standards_check__level_outside_1_to_8(void **state)
{
	(void)state;
	expect_errors(DATA "level_range.xml",
		      DATA "level_range.xml:26: error: level '9' is outside the levels 1-8\n");
}

static void test_standards_check__level_range_descending(void **state)
{
	(void)state;
	expect_errors(DATA "level_order.xml",
		      DATA "level_order.xml:26: error: level '3-2' is a descending range\n");
}

static void test_standards_check__sublevel_outside_its_level(void **state)
{
	(void)state;
	expect_errors(DATA "sublevel.xml",
		      DATA "sublevel.xml:8: error: sub-level '5.2' does not belong to level 4\n");
}

static void test_standards_check__field_order_and_sublevel_row(void **state)
{
	(void)state;
	expect_errors(DATA "field_order.xml",
		      DATA "field_order.xml:9: error: field 'name' twice in <field-order>\n"
		      DATA "field_order.xml:21: error: sub-level row '7.2' is not among the level's sub-levels (7.1)\n"
		      DATA "field_order.xml:14: error: <field-order> without the field 'functions'\n");
}

static void test_standards_check__related_level_outside_1_to_8(void **state)
{
	(void)state;
	expect_errors(DATA "related_level.xml",
		      DATA "related_level.xml:21: error: related level '9' is outside the levels 1-8\n");
}

static void test_standards_check__occupation_code_form(void **state)
{
	(void)state;
	expect_errors(DATA "occupation.xml",
		      DATA "occupation.xml:6: error: occupation code '3412-008' is not of the form "
		      "NNNN-N-NNN; if the source gives it so, write "
		      "<occupation-code missing=\"true\" source=\"3412-008\"/>\n");
	/* the one test of the form, shared with the importer */
	assert_true(qj_standard_is_occupation_code("3412-0-008"));
	assert_false(qj_standard_is_occupation_code("3412-008"));
	assert_false(qj_standard_is_occupation_code("3412-0-0081"));
	assert_false(qj_standard_is_occupation_code("34a2-0-008"));
}

static void test_standards_check__numbering_gap_not_recorded(void **state)
{
	(void)state;
	expect_errors(DATA "numbering.xml",
		      DATA "numbering.xml:13: error: <item> numbered 3 where 2 was expected; "
		      "if the source numbers it so, record <gap after=\"1\"/> before it\n");
}

static void test_standards_check__gap_after_must_match(void **state)
{
	(void)state;
	expect_errors(DATA "gap_wrong.xml",
		      DATA "gap_wrong.xml:14: error: <gap after=\"2\"/> but the <item> before it is numbered 1\n");
}

static void test_standards_check__function_numbering_per_kind(void **state)
{
	(void)state;
	expect_errors(DATA "function_numbering.xml",
		      DATA "function_numbering.xml:17: error: <function> numbered 3 where 1 was expected; "
		      "if the source numbers it so, record <gap after=\"0\"/> before it\n");
}

static void test_standards_check__card_list_names_real_cards(void **state)
{
	(void)state;
	expect_errors(DATA "card_list.xml",
		      DATA "card_list.xml:8: error: the card list names card '3', which is not in <cards>\n"
		      DATA "card_list.xml:8: error: card list level '9' is outside the levels 1-8\n");
}

static void test_standards_check__schema_violation(void **state)
{
	(void)state;
	expect_errors(DATA "schema.xml",
		      DATA "schema.xml:25: error: Expecting element name, got level\n"
		      DATA "schema.xml:23: error: Invalid sequence in interleave\n"
		      DATA "schema.xml:23: error: Element card failed to validate content\n"
		      DATA "schema.xml:5: error: Element cards has extra content: card\n");
}

static void test_standards_check__reports_every_problem(void **state)
{
	(void)state;
	expect_errors(DATA "several.xml",
		      DATA "several.xml:23: error: duplicate card id '1' (first used at line 5)\n"
		      DATA "several.xml:26: error: sub-level '3.1' does not belong to level 1-2\n"
		      DATA "several.xml:24: error: occupation code '12' is not of the form NNNN-N-NNN; "
		      "if the source gives it so, write <occupation-code missing=\"true\" source=\"12\"/>\n");
}

/* ---- bad input never crashes ---- */

static void test_standards_check__malformed_xml(void **state)
{
	qjt_run r = validate(DATA "truncated.xml");
	(void)state;
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, DATA "truncated.xml:4: error: "));
	qjt_run_free(&r);
}

static void test_standards_check__unknown_root(void **state)
{
	qjt_run r = validate(DATA "wrong_root.xml");
	(void)state;
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, DATA "wrong_root.xml:2: error: unknown kind of document <foo>"));
	qjt_run_free(&r);
}

static void test_standards_check__nonsense_never_crashes(void **state)
{
	qjt_run r = validate(DATA "nonsense.xml");
	(void)state;
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "nonsense.xml:6: error: card without an id\n"));
	assert_non_null(strstr(r.err, "nonsense.xml:6: error: level 'x-' is not a level (N) or a range (N-M)\n"));
	assert_non_null(strstr(r.err, "nonsense.xml:8: error: n=\"abc\" is not a positive number\n"));
	assert_non_null(strstr(r.err, "nonsense.xml:9: error: n=\"99999999999\" is not a positive number\n"));
	qjt_run_free(&r);
}

/* Odd files made on the fly: empty, binary, not UTF-8, deep, huge numbers. */
static void test_standards_check__odd_files_never_crash(void **state)
{
	static const char *const bodies[] = {
		"",
		"\x01\x02\xff\xfe garbage",
		"<?xml version=\"1.0\"?><standard id=\"t\" xml:lang=\"kk\">\xc3\x28</standard>",
		"<!DOCTYPE standard [<!ENTITY a \"aaaa\">]><standard>&a;</standard>",
		("<standard id=\"t\" xml:lang=\"kk\"><cards><card id=\"1\" line=\"1\">"
		 "<level value=\"4\" sublevels=\"4.99999999999999999999\"/></card></cards></standard>"),
		"<standard/>",
		"<client-record/>",
	};
	char dir[64], path[128];
	size_t i;
	int d;
	FILE *fp;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	for (i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		qjt_run r;
		snprintf(path, sizeof path, "%s/odd%zu.xml", dir, i);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		fputs(bodies[i], fp);
		fclose(fp);
		r = validate(path);
		if (r.code != 2)
			fail_msg("%s: exit %d\n%s", bodies[i], r.code, r.err);
		assert_non_null(strstr(r.err, "error:"));
		qjt_run_free(&r);
		unlink(path);
	}
	/* nesting far beyond the loader's limit */
	snprintf(path, sizeof path, "%s/deep.xml", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("<standard id=\"t\" xml:lang=\"kk\"><cards><card id=\"1\" line=\"1\">", fp);
	for (d = 0; d < 5000; d++)
		fputs("<item n=\"1\">", fp);
	for (d = 0; d < 5000; d++)
		fputs("</item>", fp);
	fputs("</card></cards></standard>", fp);
	fclose(fp);
	{
		qjt_run r = validate(path);
		assert_int_equal(r.code, 2);
		qjt_run_free(&r);
	}
	unlink(path);
	rmdir(dir);
}

/* The sibling limit is reported, and a big hostile file is quick. */
static void test_standards_check__sibling_limit(void **state)
{
	char dir[64], path[128], want[256];
	qjt_run r;
	FILE *fp;
	int i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/wide.xml", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("<standard id=\"t\" xml:lang=\"kk\">\n<cards>\n", fp);
	for (i = 1; i <= 10001; i++)
		fprintf(fp, "<card id=\"%d\" line=\"1\"><occupation-code>1234-5-678</occupation-code>"
			"<name>x</name><level value=\"4\"/><functions/></card>\n", i);
	fputs("</cards>\n</standard>\n", fp);
	fclose(fp);
	r = validate(path);
	snprintf(want, sizeof want, "%s:2: error: <cards> has 10001 child elements, over the "
		 "limit of 10000; not checked against the schema\n", path);
	assert_string_equal(r.err, want);
	assert_int_equal(r.code, 2);
	qjt_run_free(&r);
	unlink(path);
	rmdir(dir);
}

/* After the context's error limit, checking stops and says so. */
static void test_standards_check__error_limit(void **state)
{
	char dir[64], path[128];
	qjt_run r;
	FILE *fp;
	int i;
	const char *last;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/many.xml", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("<standard id=\"t\" xml:lang=\"kk\"><cards><card id=\"1\" line=\"1\">"
	      "<occupation-code>1234-5-678</occupation-code><name>x</name><level value=\"4\"/>"
	      "<personal-competencies>\n", fp);
	for (i = 0; i < 500; i++)
		fputs("<item n=\"1\">a</item>\n", fp);
	fputs("</personal-competencies><functions/></card></cards></standard>\n", fp);
	fclose(fp);
	r = validate(path);
	assert_int_equal(r.code, 2);
	last = strstr(r.err, "error: too many errors (200); the rest was not checked\n");
	assert_non_null(last);
	assert_string_equal(last + strlen("error: too many errors (200); the rest was not checked\n"), "");
	qjt_run_free(&r);
	unlink(path);
	rmdir(dir);
}

static void test_standards_check__usage(void **state)
{
	qjt_run r = qjt_sh("%s validate", qjt_bin());
	(void)state;
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
	r = qjt_sh("%s list a.xml b.xml", qjt_bin());
	assert_int_equal(r.code, 1);
	qjt_run_free(&r);
	r = qjt_sh("%s list " DATA "truncated.xml", qjt_bin());
	assert_int_equal(r.code, 2);
	qjt_run_free(&r);
}

/* The schema is found next to the binary, whatever the current directory. */
static void test_standards_check__schema_found_from_elsewhere(void **state)
{
	char bin[PATH_MAX], file[PATH_MAX];
	qjt_run r;
	(void)state;
	assert_non_null(realpath(qjt_bin(), bin));
	assert_non_null(realpath("standards/001.xml", file));
	r = qjt_sh("cd / && env -u QUJAT_HOME '%s' validate '%s'", bin, file);
	assert_string_equal(r.err, "");
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("cd / && QUJAT_HOME=/nonexistent '%s' validate '%s'", bin, file);
	assert_int_equal(r.code, 3);
	assert_non_null(strstr(r.err, "QUJAT_HOME"));
	qjt_run_free(&r);
}

/* ---- list ---- */

static void test_standards_check__list_001(void **state)
{
	qjt_run r = qjt_sh("%s list standards/001.xml", qjt_bin());
	(void)state;
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out,
		"1\t-\t4.1\tДенсаулық сақтау саласындағы күтім жөніндегі әлеуметтік жұмыскері.\n"
		"2\t-\t4.2\tДенсаулық сақтау саласындағы күтім жөніндегі әлеуметтік жұмыскер.\n"
		"3\t-\t4.3\tДенсаулық сақтау саласындағы күтім жөніндегі әлеуметтік жұмыскер.\n"
		"4\t-\t6.1\tДенсаулық сақтау саласындағы күтім жөнідегі әлеуметтік жұмыскер.\n"
		"5\t-\t6.2\tДенсаулық сақтау саласындағы күтім жөніндегі әлеуметтік жұмыскер.\n"
		"6\t-\t6.3\tДенсаулық сақтау саласындағы күтім жөніндегі әлеуметтік жұмыскер.\n");
	qjt_run_free(&r);
}

static void test_standards_check__list_levels_and_codes(void **state)
{
	qjt_run r = qjt_sh("%s list " DATA "valid.xml", qjt_bin());
	(void)state;
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out,
		"1\t3412-0-008\t4 (4.1 4.2)\tӘлеуметтік жұмыскер\n"
		"2\t-\t1-2\tЕкінші\n");
	qjt_run_free(&r);
}

/* ---- 001 against the source ---- */

/* Per card of 001, counted by hand in 001_eb787dd4523de4e0.txt: labour
 * functions (mandatory + additional), tasks (N-міндет), numbered abilities
 * (Біліктілік пен дағдылар) and knowledge items (Білім) at the top level,
 * the nested "1) 2)" items under abilities, and personal competencies.
 * Card 2 keeps the source's repeated ability numbers (1 2 3 4 3 4); cards 3
 * and 6 its skipped one (1 3). */
static const struct {
	const char *id;
	int functions, units, abilities, knowledge, nested, personal;
} counts_001[] = {
	{"1", 5, 7, 18, 24, 7, 7},
	{"2", 5, 8, 30, 27, 4, 8},
	{"3", 4, 4, 11, 6, 0, 9},
	{"4", 5, 7, 24, 14, 3, 9},
	{"5", 5, 7, 29, 15, 5, 9},
	{"6", 4, 4, 10, 5, 0, 11},
};

static int xpath_count(xmlXPathContextPtr xc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int xpath_count(xmlXPathContextPtr xc, const char *fmt, ...)
{
	char expr[256];
	xmlXPathObjectPtr o;
	va_list ap;
	int n;
	va_start(ap, fmt);
	vsnprintf(expr, sizeof expr, fmt, ap);
	va_end(ap);
	o = xmlXPathEvalExpression((const xmlChar *)expr, xc);
	assert_non_null(o);
	n = (int)xmlXPathCastToNumber(o);
	xmlXPathFreeObject(o);
	return n;
}

static void test_standards_check__counts_001(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	xmlDocPtr doc;
	xmlXPathContextPtr xc;
	size_t i;
	(void)state;
	qj_xml_init();
	qj_diag_set_sink(ctx, NULL);
	doc = qj_xml_load(ctx, "standards/001.xml");
	assert_non_null(doc);
	xc = xmlXPathNewContext(doc);
	assert_int_equal(xpath_count(xc, "count(/standard/cards/card)"), 6);
	for (i = 0; i < sizeof counts_001 / sizeof *counts_001; i++) {
		const char *id = counts_001[i].id;
		int f = xpath_count(xc, "count(//card[@id='%s']/functions/function)", id);
		int u = xpath_count(xc, "count(//card[@id='%s']//function/unit)", id);
		int a = xpath_count(xc, "count(//card[@id='%s']//function//abilities/item)", id);
		int k = xpath_count(xc, "count(//card[@id='%s']//function//knowledge/item)", id);
		int n = xpath_count(xc, "count(//card[@id='%s']//abilities/item/item)", id);
		int p = xpath_count(xc, "count(//card[@id='%s']/personal-competencies/item)", id);
		if (f != counts_001[i].functions || u != counts_001[i].units ||
		    a != counts_001[i].abilities || k != counts_001[i].knowledge ||
		    n != counts_001[i].nested || p != counts_001[i].personal)
			fail_msg("card %s: functions %d units %d abilities %d knowledge %d "
				 "nested %d personal %d", id, f, u, a, k, n, p);
	}
	/* every function and card records its source line */
	assert_int_equal(xpath_count(xc, "count(//card[not(@line)] | //function[not(@line)])"), 0);
	xmlXPathFreeContext(xc);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

/* ---- 001 item by item against the source ---- */

/* the copy of the official text kept with the tests (identical to
 * ../shared/sources/001_eb787dd4523de4e0.txt) */
#define SRC001 "tests/data/sources/001_eb787dd4523de4e0.txt"

/* Appends s to b with all whitespace (and NBSP) removed and the Latin
 * look-alikes e, i mapped to Cyrillic е, і, so that letter spacing, words
 * split across lines and look-alike letters compare equal. */
static void squeeze(qj_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {
			s++;
			continue;
		}
		if (c == 'e')
			qj_buf_puts(b, "\xd0\xb5");
		else if (c == 'i')
			qj_buf_puts(b, "\xd1\x96");
		else
			qj_buf_putc(b, (char)c);
	}
}

/* Whether needle[0..k) occurs in hay[0..n). */
static int find_in(const char *hay, size_t n, const char *needle, size_t k)
{
	size_t i;
	if (k == 0)
		return 1;
	for (i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

/* The item's own text as the source has it: <fix> gives back its source
 * form; nested items are left out. */
static void item_source_text(qj_buf *b, const xmlNode *item)
{
	const xmlNode *c;
	for (c = item->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE)
			qj_buf_puts(b, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "fix"))
			qj_buf_puts(b, qj_xml_attr(c, "source"));
	}
}

/* Every numbered item of 001 is found in the source at its line (its first
 * 60 bytes, squeezed, within a window from that line), items of one list
 * come in source order, and every source line of chapter 3 that starts
 * with "N." or "N)" is the line of an item (or of a qd position). */
static void test_standards_check__items_001_match_source(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	char *src;
	size_t len, nlines = 0, i;
	size_t *line_at;          /* squeezed offset where each line starts */
	unsigned char *is_item;   /* lines that hold an item or a position */
	qj_buf sq, it, need;
	xmlDocPtr doc;
	xmlXPathContextPtr xc;
	xmlXPathObjectPtr o;
	const char *p;
	(void)state;
	qj_xml_init();
	qj_diag_set_sink(ctx, NULL);
	src = qj_file_read(ctx, SRC001, &len);
	assert_non_null(src);
	for (p = src; *p; p++)
		nlines += *p == '\n';
	line_at = calloc(nlines + 3, sizeof *line_at);
	is_item = calloc(nlines + 3, 1);
	/* the source, squeezed, with the offset of every line */
	qj_buf_init(&sq, ctx);
	qj_buf_init(&it, ctx);
	qj_buf_init(&need, ctx);
	for (p = src, i = 0;;) {
		const char *e = strchr(p, '\n');
		char *line = strndup(p, e ? (size_t)(e - p) : strlen(p));
		line_at[++i] = sq.len;
		squeeze(&sq, line);
		free(line);
		if (!e)
			break;
		p = e + 1;
	}
	while (++i <= nlines + 2)
		line_at[i] = sq.len;
	doc = qj_xml_load(ctx, "standards/001.xml");
	assert_non_null(doc);
	xc = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression((const xmlChar *)"/standard/cards//item | //qd/position", xc);
	assert_non_null(o);
	assert_non_null(o->nodesetval);
	for (i = 0; i < (size_t)o->nodesetval->nodeNr; i++) {
		const xmlNode *n = o->nodesetval->nodeTab[i];
		const char *ls = qj_xml_attr(n, "line");
		long line = ls ? atol(ls) : 0;
		const xmlNode *prev;
		size_t k, from, to;
		if (line < 1 || (size_t)line > nlines)
			fail_msg("001.xml:%ld: item without a source line", (long)xmlGetLineNo((xmlNodePtr)n));
		is_item[line] = 1;
		if (!strcmp((const char *)n->name, "position"))
			continue;
		/* its first 60 bytes, squeezed, at its line */
		qj_buf_reset(&it);
		item_source_text(&it, n);
		qj_buf_reset(&need);
		squeeze(&need, qj_buf_str(&it));
		k = need.len < 60 ? need.len : 60;
		while (k > 0 && k < need.len && (need.data[k] & 0xC0) == 0x80)
			k--; /* whole UTF-8 characters */
		from = line_at[line];
		to = line_at[(size_t)line + 1] + 400;
		if (to > sq.len)
			to = sq.len;
		if (!find_in(sq.data + from, to - from, need.data, k))
			fail_msg("001.xml:%ld: item not found at source line %ld: %.*s",
				 (long)xmlGetLineNo((xmlNodePtr)n), line, (int)k, need.data);
		/* source order within one list */
		for (prev = n->prev; prev && prev->type != XML_ELEMENT_NODE; prev = prev->prev)
			;
		while (prev && strcmp((const char *)prev->name, "item")) {
			for (prev = prev->prev; prev && prev->type != XML_ELEMENT_NODE; prev = prev->prev)
				;
		}
		if (prev && qj_xml_attr(prev, "line") && atol(qj_xml_attr(prev, "line")) >= line)
			fail_msg("001.xml:%ld: item out of source order", (long)xmlGetLineNo((xmlNodePtr)n));
	}
	xmlXPathFreeObject(o);
	/* every numbered line of chapter 3 is an item */
	for (p = src, i = 1; *p; i++) {
		const char *e = strchr(p, '\n');
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (i >= 188 && q[0] >= '0' && q[0] <= '9' &&
		    ((q[1] == '.' || q[1] == ')') ||
		     (q[1] >= '0' && q[1] <= '9' && (q[2] == '.' || q[2] == ')'))) &&
		    !(q[1] == '.' && q[2] >= '0' && q[2] <= '9') && !is_item[i])
			fail_msg(SRC001 ":%zu: numbered line not in 001.xml: %.60s", i, q);
		if (!e)
			break;
		p = e + 1;
	}
	xmlXPathFreeContext(xc);
	xmlFreeDoc(doc);
	qj_buf_free(&sq);
	qj_buf_free(&it);
	qj_buf_free(&need);
	free(line_at);
	free(is_item);
	qj_free(ctx, src);
	qj_ctx_free(ctx);
}

/* ---- Latin look-alikes ---- */

/* Decodes one UTF-8 code point at *s and advances; 0xFFFD when invalid. */
static unsigned next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned c = *p;
	if (c < 0x80) {
		*s = p + 1;
		return c;
	}
	if ((c >> 5) == 6 && (p[1] & 0xc0) == 0x80) {
		*s = p + 2;
		return ((c & 0x1f) << 6) | (p[1] & 0x3f);
	}
	if ((c >> 4) == 14 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
		*s = p + 3;
		return ((c & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
	}
	*s = p + 1;
	return 0xfffd;
}

static int is_latin(unsigned c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_cyrillic(unsigned c) { return c >= 0x400 && c <= 0x4ff; }
static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* The rule of standards/README.md: a word is a run of letters and digits;
 * a word with a Cyrillic letter may hold no Latin letter, unless it starts
 * with a digit (a code such as 6B01501 or 6В012). Returns the first
 * offending word (static buffer) or NULL. */
static const char *latin_in_cyrillic(const char *text)
{
	static char word[256];
	const unsigned char *s = (const unsigned char *)text;
	while (*s) {
		const unsigned char *start = s, *q = s;
		int cyr = 0, lat = 0, code;
		unsigned c = next_cp(&q);
		if (!is_latin(c) && !is_cyrillic(c) && !is_digit(c)) {
			s = q;
			continue;
		}
		code = is_digit(c);
		for (;;) {
			cyr |= is_cyrillic(c);
			lat |= is_latin(c);
			s = q;
			if (!*s)
				break;
			c = next_cp(&q);
			if (!is_latin(c) && !is_cyrillic(c) && !is_digit(c))
				break;
		}
		if (cyr && lat && !code) {
			snprintf(word, sizeof word, "%.*s", (int)(s - start), (const char *)start);
			return word;
		}
	}
	return NULL;
}

/* Walks every text node of a document. */
static void check_texts(const char *file, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			const char *w = latin_in_cyrillic((const char *)n->content);
			if (w)
				fail_msg("%s:%ld: Latin letter inside the Cyrillic word '%s'",
					 file, (long)xmlGetLineNo(n), w);
		}
		if (n->type == XML_ELEMENT_NODE)
			check_texts(file, n->children);
	}
}

static void test_standards_check__latin_rule_itself(void **state)
{
	(void)state;
	assert_string_equal(latin_in_cyrillic("екі eңбек функциясы"), "eңбек");
	assert_string_equal(latin_in_cyrillic("уәкiлеттi орган"), "уәкiлеттi");
	assert_null(latin_in_cyrillic("6B01501 және 6В012 Педагогика, 4S09110102 Дантист"));
	assert_null(latin_in_cyrillic("skills.enbek.kz курстары; E-mail: a@b.kz"));
}

/* Every Kazakh or Russian standard; 001 must be among them. */
static void test_standards_check__no_latin_in_cyrillic_words(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	glob_t g;
	size_t i;
	int seen_001 = 0;
	(void)state;
	qj_xml_init();
	qj_diag_set_sink(ctx, NULL);
	assert_int_equal(glob("standards/*.xml", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		xmlDocPtr doc = qj_xml_load(ctx, g.gl_pathv[i]);
		xmlChar *lang;
		assert_non_null(doc);
		lang = xmlNodeGetLang(xmlDocGetRootElement(doc));
		if (lang && (!strcmp((char *)lang, "kk") || !strcmp((char *)lang, "ru"))) {
			seen_001 |= strstr(g.gl_pathv[i], "001.xml") != NULL;
			check_texts(g.gl_pathv[i], xmlDocGetRootElement(doc));
		}
		xmlFree(lang);
		xmlFreeDoc(doc);
	}
	globfree(&g);
	assert_true(seen_001);
	qj_ctx_free(ctx);
}

/* ---- out of memory ---- */

/* Fails the nth allocation for every n until the check runs through: never
 * a crash, and the result is either the right answer or a reported error. */
static void test_standards_check__out_of_memory(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	xmlDocPtr doc;
	long n;
	(void)state;
	qj_xml_init();
	qj_diag_set_sink(ctx, NULL);
	doc = qj_xml_load(ctx, DATA "several.xml");
	assert_non_null(doc);
	for (n = 1; n < 10000; n++) {
		int errors;
		qj_ctx_fail_after(ctx, 0); /* clears the sticky mark */
		qj_diag_reset(ctx);
		qj_ctx_fail_after(ctx, n);
		errors = qj_standard_check_rules(ctx, doc);
		if (!qj_ctx_oom(ctx)) {
			assert_int_equal(errors, 3);
			break;
		}
		assert_true(errors >= 1);
	}
	qj_ctx_fail_after(ctx, 0);
	assert_true(n < 10000);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

static void test_standards_check__list_out_of_memory(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	FILE *devnull = fopen("/dev/null", "w");
	xmlDocPtr doc;
	long n;
	(void)state;
	qj_xml_init();
	qj_diag_set_sink(ctx, NULL);
	assert_non_null(devnull);
	doc = qj_xml_load(ctx, "standards/001.xml");
	assert_non_null(doc);
	for (n = 1; n < 100000; n++) {
		int cards;
		qj_ctx_fail_after(ctx, 0);
		qj_ctx_fail_after(ctx, n);
		cards = qj_standard_list(ctx, doc, devnull);
		if (!qj_ctx_oom(ctx)) {
			assert_int_equal(cards, 6);
			break;
		}
		assert_int_equal(cards, -1);
	}
	qj_ctx_fail_after(ctx, 0);
	assert_true(n < 100000);
	fclose(devnull);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standards_check__committed_standards_validate),
		cmocka_unit_test(test_standards_check__minimal_document_is_valid),
		cmocka_unit_test(test_standards_check__several_files_in_one_call),
		cmocka_unit_test(test_standards_check__duplicate_card_id),
		cmocka_unit_test(test_standards_check__level_outside_1_to_8),
		cmocka_unit_test(test_standards_check__level_range_descending),
		cmocka_unit_test(test_standards_check__sublevel_outside_its_level),
		cmocka_unit_test(test_standards_check__field_order_and_sublevel_row),
		cmocka_unit_test(test_standards_check__related_level_outside_1_to_8),
		cmocka_unit_test(test_standards_check__occupation_code_form),
		cmocka_unit_test(test_standards_check__numbering_gap_not_recorded),
		cmocka_unit_test(test_standards_check__gap_after_must_match),
		cmocka_unit_test(test_standards_check__function_numbering_per_kind),
		cmocka_unit_test(test_standards_check__card_list_names_real_cards),
		cmocka_unit_test(test_standards_check__schema_violation),
		cmocka_unit_test(test_standards_check__reports_every_problem),
		cmocka_unit_test(test_standards_check__malformed_xml),
		cmocka_unit_test(test_standards_check__unknown_root),
		cmocka_unit_test(test_standards_check__nonsense_never_crashes),
		cmocka_unit_test(test_standards_check__odd_files_never_crash),
		cmocka_unit_test(test_standards_check__sibling_limit),
		cmocka_unit_test(test_standards_check__error_limit),
		cmocka_unit_test(test_standards_check__usage),
		cmocka_unit_test(test_standards_check__schema_found_from_elsewhere),
		cmocka_unit_test(test_standards_check__list_001),
		cmocka_unit_test(test_standards_check__list_levels_and_codes),
		cmocka_unit_test(test_standards_check__counts_001),
		cmocka_unit_test(test_standards_check__items_001_match_source),
		cmocka_unit_test(test_standards_check__latin_rule_itself),
		cmocka_unit_test(test_standards_check__no_latin_in_cyrillic_words),
		cmocka_unit_test(test_standards_check__out_of_memory),
		cmocka_unit_test(test_standards_check__list_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
