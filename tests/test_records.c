/* test_records: client records. Every example validates with no error and
 * no warning on 2026-11-23; every rule of record_check.c is fed a record
 * broken in exactly that way (tests/data/records/, made from base.xml) and
 * must give the exact diagnostic, both in-process and through
 * `$QUJAT_BIN validate` with its exit code; the catalog covers every code
 * the schema allows. */
#include "qjtest.h"

#include <dirent.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "record/record.h"
#include "tmpl/tmpl.h"
#include "xml/xml.h"

#define TODAY "2026-11-23"
#define DATA "tests/data/records/"
#define EXAMPLES "examples/records/"

/* The label catalog, loaded once as the commands load it (its own
 * context, so that the tests' contexts come and go). */
static qj_ctx *cat_ctx;
static qj_catalog *catalog;

static int load_catalog(void **state)
{
	(void)state;
	cat_ctx = qj_ctx_new();
	catalog = cat_ctx ? qj_catalog_load(cat_ctx, "templates/i18n") : NULL;
	return catalog ? 0 : -1;
}

static int free_catalog(void **state)
{
	(void)state;
	qj_catalog_free(catalog);
	qj_ctx_free(cat_ctx);
	return 0;
}

/* Loads and checks path in-process; returns qj_record_check's result (or
 * -2 when the file did not load) and leaves the diagnostics in ctx. */
static int check_path(qj_ctx *ctx, const char *path)
{
	xmlDocPtr doc = qj_xml_load(ctx, path);
	int rc;
	if (!doc)
		return -2;
	rc = qj_record_check(ctx, doc, catalog, TODAY);
	xmlFreeDoc(doc);
	return rc;
}

/* The broken record NAME must give exactly the diagnostic
 * "tests/data/records/NAME.xml:LINE: SEV: MSG" in-process (among its
 * diagnostics, and it must be the first error or warning of that
 * severity) and through the binary, which exits with code. */
static void expect_diag(const char *name, const char *sev, int line,
			const char *msg, int code)
{
	char path[256], want[1024];
	qj_ctx *ctx = qjt_quiet_ctx();
	qjt_run r;
	int rc;

	snprintf(path, sizeof path, DATA "%s.xml", name);
	snprintf(want, sizeof want, "%s:%d: %s: %s\n", path, line, sev, msg);
	rc = check_path(ctx, path);
	if (!strstr(qj_diag_text(ctx), want))
		fail_msg("%s: expected\n  %sgot\n  %s", name, want, qj_diag_text(ctx));
	assert_int_equal(rc, code ? -1 : 0);
	if (code)
		assert_int_equal(qj_diag_errors(ctx), 1);
	qj_ctx_free(ctx);

	r = qjt_sh("QUJAT_TODAY=%s '%s' validate '%s'", TODAY, qjt_bin(), path);
	if (r.code != code || !strstr(r.err, want))
		fail_msg("%s: exit %d (want %d), stderr:\n%s", name, r.code, code, r.err);
	qjt_run_free(&r);

	/* printing the plan: the same diagnostic, and no PDF when it is an
	 * error (a warning does not stop the PDF) */
	{
		char dir[64], pdf[128];
		qjt_tmpdir(dir, sizeof dir);
		snprintf(pdf, sizeof pdf, "%s/plan.pdf", dir);
		r = qjt_sh("QUJAT_TODAY=%s '%s' plan '%s' -o '%s'", TODAY, qjt_bin(), path, pdf);
		if (r.code != code || !strstr(r.err, want))
			fail_msg("%s: plan exit %d (want %d), stderr:\n%s", name, r.code, code, r.err);
		if (qjt_exists(pdf) != !code)
			fail_msg("%s: plan %s a PDF", name, code ? "wrote" : "did not write");
		qjt_run_free(&r);
		r = qjt_sh("ls -A '%s' | wc -l", dir);
		assert_string_equal(r.out, code ? "0\n" : "1\n"); /* no temporary left */
		qjt_run_free(&r);
	}
}

static void expect_error(const char *name, int line, const char *msg)
{
	expect_diag(name, "error", line, msg, 2);
}

/* Calls fn for every .xml file of dir (sorted order is not needed). */
static int each_xml(const char *dir, void (*fn)(const char *path, void *arg),
		    void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	char path[1024];
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".xml"))
			continue;
		snprintf(path, sizeof path, "%s%s", dir, e->d_name);
		fn(path, arg);
		n++;
	}
	closedir(d);
	return n;
}

/* ---------- the examples ---------- */

typedef struct survey {
	int files, kk, ru, both, max_measures;
	char grounds[1024];
	char assistance[256];
} survey;

static double xp_number(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr xc = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xc);
	double v = o ? xmlXPathCastToNumber(o) : -1;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(xc);
	return v;
}

static void append_attrs(xmlDocPtr doc, const char *expr, char *out, size_t n)
{
	xmlXPathContextPtr xc = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xc);
	int i;
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		size_t len = strlen(out);
		snprintf(out + len, n - len, " %s ", (const char *)v);
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(xc);
}

static void check_example(const char *path, void *arg)
{
	survey *s = arg;
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, path);
	int rc, measures;

	assert_non_null(doc);
	rc = qj_record_check(ctx, doc, catalog, TODAY);
	if (rc != 0 || qj_diag_warnings(ctx) != 0)
		fail_msg("%s is not clean:\n%s", path, qj_diag_text(ctx));
	s->files++;
	measures = (int)xp_number(doc, "count(/client-record/measures/measure)");
	if (measures > s->max_measures)
		s->max_measures = measures;
	if (xp_number(doc, "count(//text[@xml:lang='kk']) > 0 and "
			   "count(//text[@xml:lang='ru']) > 0"))
		s->both++;
	else if (xp_number(doc, "count(/client-record[@xml:lang='kk'])"))
		s->kk++;
	else if (xp_number(doc, "count(/client-record[@xml:lang='ru'])"))
		s->ru++;
	append_attrs(doc, "//ground/@code", s->grounds, sizeof s->grounds);
	append_attrs(doc, "//assistance/@kind", s->assistance, sizeof s->assistance);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

static void test_records__examples_are_clean(void **state)
{
	survey s;
	(void)state;
	memset(&s, 0, sizeof s);
	each_xml(EXAMPLES, check_example, &s);
	assert_true(s.files >= 6);
	assert_true(s.kk >= 1);
	assert_true(s.ru >= 1);
	assert_true(s.both >= 1);
	assert_true(s.max_measures >= 40);
}

static void test_records__examples_cover_the_issue(void **state)
{
	static const char *grounds[] = {
		" disability ", " release-from-prison ", " cruelty ",
		" no-self-care ", " early-development ",
	};
	survey s;
	size_t i;
	(void)state;
	memset(&s, 0, sizeof s);
	each_xml(EXAMPLES, check_example, &s);
	for (i = 0; i < sizeof grounds / sizeof *grounds; i++)
		if (!strstr(s.grounds, grounds[i]))
			fail_msg("no example with ground%s", grounds[i]);
	assert_non_null(strstr(s.assistance, " conditional "));
}

static void test_records__examples_validate_through_the_binary(void **state)
{
	qjt_run r;
	(void)state;
	r = qjt_sh("QUJAT_TODAY=%s '%s' validate " EXAMPLES "*.xml", TODAY, qjt_bin());
	if (r.code != 0 || r.err[0])
		fail_msg("exit %d:\n%s", r.code, r.err);
	qjt_run_free(&r);
}

/* validate loads records as the commands do: a Latin look-alike inside a
 * Cyrillic word is repaired with a warning at its line, not an error. */
static void test_records__validate_warns_about_lookalikes(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("sed 's/Шымкент/Шымкeнт/' " EXAMPLES "disability-adult-kk.xml > %s/la.xml && "
		   "QUJAT_TODAY=%s '%s' validate %s/la.xml", dir, TODAY, qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "la.xml:6: warning: Latin look-alike in Cyrillic word 'Шымкeнт' "
				      "replaced: e (U+0065) -> е (U+0435), giving 'Шымкент'"));
	assert_null(strstr(r.err, "error"));
	qjt_run_free(&r);
}

static void test_records__base_record_is_clean(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_int_equal(check_path(ctx, DATA "base.xml"), 0);
	assert_string_equal(qj_diag_text(ctx), "");
	/* sex= on members and staff, or on nobody */
	assert_int_equal(check_path(ctx, DATA "sex-given.xml"), 0);
	assert_int_equal(check_path(ctx, DATA "sex-unknown.xml"), 0);
	assert_string_equal(qj_diag_text(ctx), "");
	qj_ctx_free(ctx);
}

/* The minimal record shown in records/README.md is valid, and gives the
 * one warning the README says it gives. */
static void test_records__readme_example_is_valid(void **state)
{
	char *md = qjt_slurp("records/README.md"), *start, *end;
	char dir[64], path[128];
	FILE *fp;
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_non_null(md);
	start = strstr(md, "A minimal record");
	assert_non_null(start);
	start = strstr(start, "```xml\n");
	assert_non_null(start);
	start += 7;
	end = strstr(start, "\n```");
	assert_non_null(end);
	snprintf(path, sizeof path, "%s/minimal.xml", qjt_tmpdir(dir, sizeof dir));
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fwrite(start, 1, (size_t)(end - start) + 1, fp);
	fclose(fp);
	assert_int_equal(check_path(ctx, path), 0);
	assert_int_equal(qj_diag_warnings(ctx), 1);
	assert_non_null(strstr(qj_diag_text(ctx),
			       "no monitoring entry since 2026-09-01 (83 days; monitoring is monthly)"));
	assert_non_null(strstr(md, "no monitoring entry since\n2026-09-01 (83 days; monitoring is monthly)"));
	qj_ctx_free(ctx);
	unlink(path);
	rmdir(dir);
	free(md);
}

/* ---------- one broken record per rule ---------- */

static void test_records__unknown_ground_code(void **state)
{
	(void)state;
	expect_error("unknown-ground", 26, "unknown ground code 'released'");
}

static void test_records__unknown_service_code(void **state)
{
	(void)state;
	expect_error("unknown-service", 38, "unknown service code 'social-work'");
}

static void test_records__due_date_outside_period(void **state)
{
	(void)state;
	expect_error("due-outside-period", 38,
		     "measure 'a2' is due 2027-03-15, outside the plan period "
		     "2026-09-01 to 2027-02-26");
}

static void test_records__unknown_goal(void **state)
{
	(void)state;
	expect_error("unknown-goal", 38, "measure 'a2' names unknown goal 'g2'");
}

static void test_records__unknown_responsible_person(void **state)
{
	(void)state;
	expect_error("unknown-person", 38, "measure 'a2' names unknown person 'w2'");
}

static void test_records__birth_date_in_future(void **state)
{
	(void)state;
	expect_error("birth-in-future", 21,
		     "member 'm2' has a birth date in the future: 2026-12-30");
}

static void test_records__duplicate_member_id(void **state)
{
	(void)state;
	expect_error("duplicate-member", 21,
		     "duplicate member id 'm1' (first used at line 18)");
}

static void test_records__duplicate_measure_id(void **state)
{
	(void)state;
	expect_error("duplicate-measure", 38,
		     "duplicate measure id 'a1' (first used at line 35)");
}

static void test_records__no_worker_signature(void **state)
{
	(void)state;
	expect_error("no-worker-signature", 46,
		     "plan has no signature line for the case worker");
}

static void test_records__no_family_signature(void **state)
{
	(void)state;
	expect_error("no-family-signature", 46,
		     "plan has no signature line for a family member");
}

static void test_records__monitoring_before_opening(void **state)
{
	(void)state;
	expect_error("monitoring-before-opened", 43,
		     "monitoring entry of 2026-08-20 is before the plan was opened "
		     "(2026-09-01)");
}

static void test_records__invalid_calendar_date(void **state)
{
	(void)state;
	expect_error("invalid-date", 18, "invalid date '1979-02-30' in attribute 'birth'");
}

static void test_records__family_signature_of_non_member(void **state)
{
	(void)state;
	expect_error("signer-not-member", 48,
		     "family signature names 'w1', who is not a family member");
}

static void test_records__ground_names_unknown_member(void **state)
{
	(void)state;
	expect_error("ground-unknown-member", 26,
		     "ground 'release-from-prison' names unknown member 'm3'");
}

static void test_records__closed_before_opened(void **state)
{
	(void)state;
	expect_error("closed-before-opened", 51,
		     "plan is closed on 2026-08-01, before it was opened on 2026-09-01");
}

static void test_records__two_texts_in_one_language(void **state)
{
	(void)state;
	expect_error("duplicate-text-lang", 39,
		     "a second text in language 'ru' (first at line 39)");
}

static void test_records__reversed_period(void **state)
{
	(void)state;
	expect_error("period-reversed", 7,
		     "plan period ends 2026-08-31, before it begins 2026-09-01");
}

static void test_records__consent_by_someone_outside_the_family(void **state)
{
	(void)state;
	expect_error("consent-by-worker", 46,
		     "consent is given by 'w1', who is not a family member");
}

/* The schema runs first; its messages are at the element. */
static void test_records__schema_error_stops_before_rules(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	qjt_run r;
	(void)state;
	assert_int_equal(check_path(ctx, DATA "schema-status.xml"), -1);
	assert_non_null(strstr(qj_diag_text(ctx), DATA "schema-status.xml:38: error: <measure> "
				   "status=\"finished\" is not one of: planned, in-progress, done, cancelled\n"));
	qj_ctx_free(ctx);
	r = qjt_sh("QUJAT_TODAY=%s '%s' validate " DATA "schema-status.xml", TODAY,
		   qjt_bin());
	assert_int_equal(r.code, 2);
	qjt_run_free(&r);
}

/* libxml2 names a bad attribute without its value, or not at all past the
 * first: each one is said with its value and what it should be. */
static void test_records__schema_attributes_said_with_their_values(void **state)
{
	qjt_run r;
	(void)state;
	r = qjt_sh("QUJAT_TODAY=%s '%s' validate " DATA "schema-attributes.xml", TODAY, qjt_bin());
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err,
			    DATA "schema-attributes.xml:5: error: <plan> opened=\"01.09.2026\" is not a date (YYYY-MM-DD)\n"
			    DATA "schema-attributes.xml:5: error: <plan> has no attribute 'colour' (it may have: number, opened)\n"
			    DATA "schema-attributes.xml:8: error: <worker> sex=\"x\" is not one of: f, m\n"
			    DATA "schema-attributes.xml:4: error: <client-record> version=\"2\" is not 1\n");
	qjt_run_free(&r);
}

static void test_records__overdue_measure_warns_only(void **state)
{
	(void)state;
	expect_diag("warning-overdue", "warning", 38,
		    "measure 'a2' was due 2026-11-16 and is still planned", 0);
}

static void test_records__missing_head_signature_warns_only(void **state)
{
	(void)state;
	expect_diag("warning-no-head", "warning", 46,
		    "plan has no signature line for the head of unit", 0);
}

static void test_records__bilingual_record_lacking_a_language_warns(void **state)
{
	(void)state;
	expect_diag("warning-missing-language", "warning", 12,
		    "no kk text in <address>, though the record is bilingual (kk, ru)", 0);
}

/* Every problem is reported, not only the first. */
static void test_records__all_errors_are_reported(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_int_equal(check_path(ctx, DATA "many-errors.xml"), -1);
	assert_string_equal(qj_diag_text(ctx),
		DATA "many-errors.xml:21: error: member 'm2' has a birth date in the future: 2026-12-30\n"
		DATA "many-errors.xml:26: error: unknown ground code 'released'\n"
		DATA "many-errors.xml:38: error: duplicate measure id 'a1' (first used at line 35)\n"
		DATA "many-errors.xml:38: error: unknown service code 'social-work'\n"
		DATA "many-errors.xml:38: error: measure 'a1' names unknown goal 'g2'\n"
		DATA "many-errors.xml:38: error: measure 'a1' is due 2027-03-15, outside the plan period 2026-09-01 to 2027-02-26\n"
		DATA "many-errors.xml:46: error: plan has no signature line for the case worker\n");
	qj_ctx_free(ctx);
}

/* The error limit of the context stops the rules between elements, and
 * says so once. */
static void test_records__error_limit_stops_the_rules(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	qj_ctx_limits(ctx)->max_errors = 2;
	assert_int_equal(check_path(ctx, DATA "many-errors.xml"), -1);
	assert_string_equal(qj_diag_text(ctx),
		DATA "many-errors.xml:21: error: member 'm2' has a birth date in the future: 2026-12-30\n"
		DATA "many-errors.xml:26: error: unknown ground code 'released'\n"
		DATA "many-errors.xml:4: error: too many errors (2); the rest was not checked\n");
	qj_ctx_free(ctx);
}

/* The same record is judged by the today it is given. */
static void test_records__today_is_a_parameter(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, DATA "warning-overdue.xml");
	char buf[16];
	(void)state;
	assert_non_null(doc);
	assert_int_equal(qj_record_check(ctx, doc, catalog, "2026-11-10"), 0);
	assert_int_equal(qj_diag_warnings(ctx), 0);
	assert_int_equal(qj_record_check(ctx, doc, catalog, "2026-11-23"), 0);
	assert_int_equal(qj_diag_warnings(ctx), 1);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
	ctx = qjt_quiet_ctx();
	setenv("QUJAT_TODAY", "2026-02-28", 1);
	assert_string_equal(qj_record_today(ctx, buf, sizeof buf), "2026-02-28");
	setenv("QUJAT_TODAY", "2026-02-30", 1); /* not a date: an error, not the clock */
	assert_null(qj_record_today(ctx, buf, sizeof buf));
	assert_non_null(strstr(qj_diag_text(ctx),
			       "QUJAT_TODAY: error: '2026-02-30' is not a date (YYYY-MM-DD)"));
	qj_ctx_free(ctx);
	unsetenv("QUJAT_TODAY");
}

/* The data directory comes from QUJAT_HOME; a missing one is an error
 * naming it and QUJAT_HOME. */
static void test_records__home_from_environment(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	setenv("QUJAT_HOME", "/nonexistent-qujat", 1);
	assert_string_equal(qj_data_dir(), "/nonexistent-qujat");
	assert_null(qj_data_path(ctx, "records/client-record.rng"));
	assert_int_equal(check_path(ctx, DATA "base.xml"), -1);
	assert_non_null(strstr(qj_diag_text(ctx), "/nonexistent-qujat: error: "));
	assert_non_null(strstr(qj_diag_text(ctx), "QUJAT_HOME"));
	unsetenv("QUJAT_HOME");
	qj_ctx_free(ctx);
}

/* Out of memory at any allocation through the context: a clean failure.
 * The loop is sized by the allocations a successful check makes (counted
 * through the context), and every one of them is made to fail in turn (a
 * spread of them when there are many); each iteration must inject. */
static void test_records__out_of_memory_fails_cleanly(void **state)
{
	long n, total, step, injected = 0;
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, DATA "base.xml");
	(void)state;
	assert_non_null(doc);
	total = qj_ctx_alloc_count(ctx);
	assert_int_equal(qj_record_check(ctx, doc, catalog, TODAY), 0);
	total = qj_ctx_alloc_count(ctx) - total;
	assert_true(total >= 1);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
	step = total / 500 + 1;
	for (n = 1; n <= total; n += step) {
		int rc;
		ctx = qjt_quiet_ctx();
		doc = qj_xml_load(ctx, DATA "base.xml");
		assert_non_null(doc);
		qj_ctx_fail_after(ctx, n);
		rc = qj_record_check(ctx, doc, catalog, TODAY);
		if (!qj_ctx_oom(ctx))
			fail_msg("allocation %ld of %ld: no failure injected (rc %d)", n, total, rc);
		assert_int_equal(rc, -1);
		injected++;
		xmlFreeDoc(doc);
		qj_ctx_free(ctx);
	}
	print_message("%ld allocations in a check, %ld failures injected\n", total, injected);
}

/* Squeeze: every element of a record removed in turn, every attribute
 * set to rubbish in turn; the check never crashes and a failure always
 * comes with an error. */
static int mutate(xmlDocPtr doc, int target, int attr_mode)
{
	xmlNodePtr n = xmlDocGetRootElement(doc);
	int i = 0;
	/* walk the elements in document order */
	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			if (attr_mode) {
				xmlAttrPtr a;
				for (a = n->properties; a; a = a->next)
					if (i++ == target) {
						xmlSetProp(n, a->name, (const xmlChar *)"x");
						return 1;
					}
			} else if (n->parent->type == XML_ELEMENT_NODE && i++ == target) {
				xmlUnlinkNode(n);
				xmlFreeNode(n);
				return 1;
			}
		}
		if (n->children && n->type == XML_ELEMENT_NODE)
			n = n->children;
		else {
			while (n && !n->next)
				n = n->parent;
			if (n)
				n = n->next;
		}
	}
	return 0;
}

static void squeeze(const char *path, int attr_mode)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr orig = qj_xml_load(ctx, path);
	int target, rc;
	assert_non_null(orig);
	for (target = 0;; target++) {
		xmlDocPtr doc = xmlCopyDoc(orig, 1);
		int errors;
		if (!mutate(doc, target, attr_mode)) {
			xmlFreeDoc(doc);
			break;
		}
		qj_diag_reset(ctx);
		rc = qj_record_check(ctx, doc, catalog, TODAY);
		errors = qj_diag_errors(ctx);
		if (!(rc == 0 && errors == 0) && !(rc == -1 && errors > 0))
			fail_msg("%s mutation %d: rc %d with %d errors", path, target, rc, errors);
		xmlFreeDoc(doc);
	}
	assert_true(target > 20);
	xmlFreeDoc(orig);
	qj_ctx_free(ctx);
}

static void test_records__mutations_never_crash(void **state)
{
	(void)state;
	squeeze(DATA "base.xml", 0);
	squeeze(DATA "base.xml", 1);
	squeeze(EXAMPLES "release-from-prison-ru.xml", 1);
}

/* ---------- the catalog ---------- */

/* Every value the schema enumerates for an attribute has a label, keyed by
 * the list named here: its neutral text (the one without sex=) in kk, ru
 * and en. */
static const struct {
	const char *where, *list;
} code_lists[] = {
	{"housing/kind", "housing"},       {"assistance/kind", "assistance"},
	{"member/sex", "sex"},             {"member/relation", "relation"},
	{"person.content/sex", "sex"},
	{"member/role", "role"},           {"occupation/kind", "occupation"},
	{"disability/group", "disability"}, {"need/area", "need"},
	{"level/level", "level"},          {"assessment/kind", "assessment"},
	{"measure/status", "status"},      {"consent/kind", "consent"},
	{"consent/answer", "answer"},      {"signature/role", "signer"},
	{"closure/reason", "closure"},
};

static const char *list_for(const char *owner, const char *attr)
{
	char where[128];
	size_t i;
	snprintf(where, sizeof where, "%s/%s", owner, attr);
	for (i = 0; i < sizeof code_lists / sizeof *code_lists; i++)
		if (!strcmp(code_lists[i].where, where))
			return code_lists[i].list;
	return NULL;
}

static int catalog_has(xmlDocPtr cat, const char *key)
{
	char expr[256];
	snprintf(expr, sizeof expr,
		 "count(/catalog/entry[@key='%s'][normalize-space(kk[not(@sex)]) and "
		 "normalize-space(ru[not(@sex)]) and normalize-space(en[not(@sex)])])", key);
	return (int)xp_number(cat, expr) == 1;
}

static void test_records__catalog_covers_schema_codes(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr rng = qj_xml_load(ctx, "records/client-record.rng");
	xmlDocPtr cat = qj_xml_load(ctx, "templates/i18n/codes.xml");
	xmlXPathContextPtr xc;
	xmlXPathObjectPtr o;
	int i, checked = 0;
	(void)state;
	assert_non_null(rng);
	assert_non_null(cat);
	xc = xmlXPathNewContext(rng);
	xmlXPathRegisterNs(xc, (const xmlChar *)"r",
			   (const xmlChar *)"http://relaxng.org/ns/structure/1.0");
	o = xmlXPathEvalExpression((const xmlChar *)"//r:attribute//r:value", xc);
	assert_non_null(o);
	for (i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr v = o->nodesetval->nodeTab[i], a = v, owner;
		const char *list;
		char key[128];
		xmlChar *code;
		while (a && strcmp((const char *)a->name, "attribute"))
			a = a->parent;
		for (owner = a->parent; owner && strcmp((const char *)owner->name, "element") &&
		     strcmp((const char *)owner->name, "define"); owner = owner->parent)
			;
		list = list_for(qj_xml_attr(owner, "name"), qj_xml_attr(a, "name"));
		if (!list)
			continue; /* version, currency, lang: not codes */
		code = xmlNodeGetContent(v);
		snprintf(key, sizeof key, "%s.%s", list, (const char *)code);
		xmlFree(code);
		if (!catalog_has(cat, key))
			fail_msg("codes.xml has no kk/ru/en entry '%s'", key);
		checked++;
	}
	assert_true(checked >= 80); /* 15 lists, 80 codes when written */
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(xc);
	xmlFreeDoc(rng);
	xmlFreeDoc(cat);
	qj_ctx_free(ctx);
}

/* A label about a person printed as a paired form («Брат (сестра)»,
 * «Сам(а)», «Әкесі (анасы)») has a variant for each sex, so the paired form
 * is printed only for someone whose sex is not known. */
static void test_records__paired_labels_have_sex_variants(void **state)
{
	static const char *langs[] = {"kk", "ru", "en"};
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr cat = qj_xml_load(ctx, "templates/i18n/codes.xml");
	char expr[400];
	size_t i;
	(void)state;
	assert_non_null(cat);
	for (i = 0; i < 3; i++) {
		snprintf(expr, sizeof expr,
			 "count(/catalog/entry[starts-with(@key, 'relation.') or "
			 "starts-with(@key, 'occupation.') or starts-with(@key, 'role.')]"
			 "[contains(%s[not(@sex)], '(')][not(%s[@sex='m']) or not(%s[@sex='f'])])",
			 langs[i], langs[i], langs[i]);
		if ((int)xp_number(cat, expr) != 0)
			fail_msg("codes.xml: a paired %s label without sex variants", langs[i]);
	}
	/* and the variants are used: child, spouse, parent in kk and ru */
	assert_int_equal((int)xp_number(cat, "count(/catalog/entry[@key='relation.child']/*[@sex])"), 6);
	assert_int_equal((int)xp_number(cat, "count(/catalog/entry[@key='relation.spouse']/*[@sex])"), 6);
	assert_int_equal((int)xp_number(cat, "count(/catalog/entry[@key='relation.parent']/*[@sex])"), 6);
	xmlFreeDoc(cat);
	qj_ctx_free(ctx);
}

static void test_records__catalog_has_12_grounds_and_8_services(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr cat = qj_xml_load(ctx, "templates/i18n/codes.xml");
	(void)state;
	assert_non_null(cat);
	assert_int_equal((int)xp_number(cat, "count(/catalog/entry[starts-with(@key,'ground.')]"
					   "[normalize-space(kk) and normalize-space(ru) and normalize-space(en)])"), 12);
	assert_int_equal((int)xp_number(cat, "count(/catalog/entry[starts-with(@key,'service.')]"
					   "[normalize-space(kk) and normalize-space(ru) and normalize-space(en)])"), 8);
	assert_true(catalog_has(cat, "ground.release-from-prison"));
	assert_true(catalog_has(cat, "service.social-labour"));
	/* keys are unique */
	assert_int_equal((int)xp_number(cat, "count(/catalog/entry[@key = preceding-sibling::entry/@key])"), 0);
	xmlFreeDoc(cat);
	qj_ctx_free(ctx);
}

/* The record check reads the code lists of the catalog the template stage
 * loaded: entries of codes.xml are codes, labels of kk.xml are not. */
static void test_records__codes_come_from_the_loaded_catalog(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, DATA "base.xml");
	(void)state;
	assert_true(qj_catalog_has_code(catalog, "ground", "release-from-prison"));
	assert_true(qj_catalog_has_code(catalog, "service", "social-labour"));
	assert_false(qj_catalog_has_code(catalog, "ground", "released"));
	assert_non_null(qj_catalog_lookup(catalog, "plan.title", "kk"));
	assert_false(qj_catalog_has_code(catalog, "plan", "title"));
	assert_false(qj_catalog_has_code(NULL, "ground", "release-from-prison"));
	/* without a catalog the rules cannot run: an error, not a pass */
	assert_non_null(doc);
	assert_int_equal(qj_record_check(ctx, doc, NULL, TODAY), -1);
	assert_non_null(strstr(qj_diag_text(ctx),
			       "error: no label catalog to check the record's codes against"));
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records__examples_are_clean),
		cmocka_unit_test(test_records__examples_cover_the_issue),
		cmocka_unit_test(test_records__examples_validate_through_the_binary),
		cmocka_unit_test(test_records__validate_warns_about_lookalikes),
		cmocka_unit_test(test_records__base_record_is_clean),
		cmocka_unit_test(test_records__paired_labels_have_sex_variants),
		cmocka_unit_test(test_records__readme_example_is_valid),
		cmocka_unit_test(test_records__unknown_ground_code),
		cmocka_unit_test(test_records__unknown_service_code),
		cmocka_unit_test(test_records__due_date_outside_period),
		cmocka_unit_test(test_records__unknown_goal),
		cmocka_unit_test(test_records__unknown_responsible_person),
		cmocka_unit_test(test_records__birth_date_in_future),
		cmocka_unit_test(test_records__duplicate_member_id),
		cmocka_unit_test(test_records__duplicate_measure_id),
		cmocka_unit_test(test_records__no_worker_signature),
		cmocka_unit_test(test_records__no_family_signature),
		cmocka_unit_test(test_records__monitoring_before_opening),
		cmocka_unit_test(test_records__invalid_calendar_date),
		cmocka_unit_test(test_records__family_signature_of_non_member),
		cmocka_unit_test(test_records__ground_names_unknown_member),
		cmocka_unit_test(test_records__closed_before_opened),
		cmocka_unit_test(test_records__two_texts_in_one_language),
		cmocka_unit_test(test_records__reversed_period),
		cmocka_unit_test(test_records__consent_by_someone_outside_the_family),
		cmocka_unit_test(test_records__schema_error_stops_before_rules),
		cmocka_unit_test(test_records__schema_attributes_said_with_their_values),
		cmocka_unit_test(test_records__overdue_measure_warns_only),
		cmocka_unit_test(test_records__missing_head_signature_warns_only),
		cmocka_unit_test(test_records__bilingual_record_lacking_a_language_warns),
		cmocka_unit_test(test_records__all_errors_are_reported),
		cmocka_unit_test(test_records__error_limit_stops_the_rules),
		cmocka_unit_test(test_records__today_is_a_parameter),
		cmocka_unit_test(test_records__home_from_environment),
		cmocka_unit_test(test_records__out_of_memory_fails_cleanly),
		cmocka_unit_test(test_records__mutations_never_crash),
		cmocka_unit_test(test_records__catalog_covers_schema_codes),
		cmocka_unit_test(test_records__catalog_has_12_grounds_and_8_services),
		cmocka_unit_test(test_records__codes_come_from_the_loaded_catalog),
	};
	qj_xml_init();
	return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
