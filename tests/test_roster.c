/* test_roster: the rules of a certificate roster that its schema cannot
 * say. Every rule is fed a roster broken in exactly that way
 * (tests/data/rosters/, made from base.xml) and must give exactly its
 * diagnostic in-process; the rosters the schema lets through must also stop
 * `qujat certificates` with exit 2, that diagnostic and no PDF. */
#include "qjtest.h"

#include "roster/roster.h"
#include "xml/xml.h"

#define DATA "tests/data/rosters/"

static qj_ctx *quiet_ctx(void)
{
	qj_ctx *ctx = qj_ctx_new();
	assert_non_null(ctx);
	qj_diag_set_sink(ctx, NULL);
	return ctx;
}

/* Checks the roster NAME in-process; the diagnostics must be exactly want
 * ("" for none) and the count returned the number of errors in it. */
static void expect(const char *name, const char *want)
{
	char path[256];
	qj_ctx *ctx = quiet_ctx();
	xmlDocPtr doc;
	const char *p;
	int n, lines = 0;

	snprintf(path, sizeof path, DATA "%s.xml", name);
	doc = qj_xml_load(ctx, path);
	assert_non_null(doc);
	n = qj_roster_check(ctx, doc);
	if (strcmp(qj_diag_text(ctx), want))
		fail_msg("%s: expected\n%sgot\n%s", name, want, qj_diag_text(ctx));
	for (p = want; *p; p++)
		lines += *p == '\n';
	assert_int_equal(n, lines);
	assert_int_equal(qj_diag_errors(ctx), lines);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

/* One error, "tests/data/rosters/NAME.xml:LINE: error: MSG". */
static void expect_error(const char *name, int line, const char *msg)
{
	char want[1024];
	snprintf(want, sizeof want, DATA "%s.xml:%d: error: %s\n", name, line, msg);
	expect(name, want);
}

/* Through the binary: `certificates` on NAME exits 2 with want on stderr
 * and leaves its output directory empty (no PDF, no temporary). */
static void expect_no_pdf(const char *name, int line, const char *msg)
{
	char dir[64], want[1024];
	qjt_run r;

	snprintf(want, sizeof want, DATA "%s.xml:%d: error: %s\n", name, line, msg);
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("'%s' certificates " DATA "%s.xml -o '%s/c.pdf'", qjt_bin(), name, dir);
	if (r.code != 2 || !strstr(r.err, want))
		fail_msg("%s: exit %d (want 2), stderr:\n%s", name, r.code, r.err);
	qjt_run_free(&r);
	r = qjt_sh("ls -A '%s' | wc -l; rm -rf '%s'", dir, dir);
	assert_string_equal(r.out, "0\n");
	qjt_run_free(&r);
}

static void test_roster__sound_rosters_pass(void **state)
{
	qj_ctx *ctx = quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, "examples/roster.xml");
	(void)state;
	assert_non_null(doc);
	assert_int_equal(qj_roster_check(ctx, doc), 0);
	assert_string_equal(qj_diag_text(ctx), "");
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
	expect("base", "");
	expect("leap-day", ""); /* 2028-02-29 exists */
}

static void test_roster__duplicate_serial(void **state)
{
	(void)state;
	expect_error("duplicate-serial", 9,
		     "duplicate person serial 'ҚЖ-0001' (first used at line 7)");
}

static void test_roster__blank_texts(void **state)
{
	(void)state;
	expect_error("empty-organization", 4, "<organization> is empty");
	expect_error("blank-programme", 5, "<programme> has no title");
	expect_error("blank-name", 8, "person 'ҚЖ-0002' has an empty name");
	expect_error("blank-signer", 6, "signer 'director' has an empty name");
}

static void test_roster__hours_whole_and_sane(void **state)
{
	(void)state;
	expect_error("hours-zero", 5,
		     "hours '0' of <programme> are not a whole number from 1 to 10000");
	expect_error("hours-too-many", 8,
		     "hours '10001' of person 'ҚЖ-0002' are not a whole number from 1 to 10000");
	expect_error("hours-fraction", 8,
		     "hours '7.5' of person 'ҚЖ-0002' are not a whole number from 1 to 10000");
}

static void test_roster__calendar_dates(void **state)
{
	(void)state;
	expect_error("invalid-date", 3, "invalid date '2026-02-30' in attribute 'issued'");
	expect_error("invalid-to", 5, "invalid date '2026-11-31' in attribute 'to'");
}

static void test_roster__dates_in_order(void **state)
{
	(void)state;
	expect_error("from-after-to", 5,
		     "programme ends 2026-11-02, before it begins 2026-11-20");
	expect_error("issued-before-from", 3,
		     "roster is issued 2026-10-30, before the programme begins 2026-11-02");
}

/* All problems, each where it is, in document order of the parts. */
static void test_roster__all_errors_are_reported(void **state)
{
	(void)state;
	expect("all-errors",
	       DATA "all-errors.xml:3: error: invalid date '2026-02-30' in attribute 'issued'\n"
	       DATA "all-errors.xml:4: error: <organization> is empty\n"
	       DATA "all-errors.xml:5: error: <programme> has no title\n"
	       DATA "all-errors.xml:5: error: hours 'abc' of <programme> are not a whole number from 1 to 10000\n"
	       DATA "all-errors.xml:5: error: programme ends 2026-11-02, before it begins 2026-11-20\n"
	       DATA "all-errors.xml:6: error: signer 'director' has an empty name\n"
	       DATA "all-errors.xml:8: error: person 'ҚЖ-0002' has an empty name\n"
	       DATA "all-errors.xml:8: error: hours '0' of person 'ҚЖ-0002' are not a whole number from 1 to 10000\n"
	       DATA "all-errors.xml:9: error: duplicate person serial 'ҚЖ-0001' (first used at line 7)\n");
}

static void test_roster__error_limit_stops_the_rules(void **state)
{
	qj_ctx *ctx = quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, DATA "all-errors.xml");
	(void)state;
	assert_non_null(doc);
	/* the limit is looked at between elements: the person that reaches
	 * it is checked whole, then the rest is skipped and that is said */
	qj_ctx_limits(ctx)->max_errors = 7;
	assert_int_equal(qj_roster_check(ctx, doc), 9);
	assert_non_null(strstr(qj_diag_text(ctx),
			       DATA "all-errors.xml:3: error: too many errors (8); the rest was not checked\n"));
	assert_null(strstr(qj_diag_text(ctx), "duplicate person serial"));
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

static void test_roster__other_documents_are_refused(void **state)
{
	qj_ctx *ctx = quiet_ctx();
	xmlDocPtr doc = qj_xml_load(ctx, "tests/data/records/base.xml");
	(void)state;
	assert_non_null(doc);
	assert_int_equal(qj_roster_check(ctx, doc), 1);
	assert_non_null(strstr(qj_diag_text(ctx),
			       "error: not a roster (the root element is <client-record>)\n"));
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

/* End to end: the rosters the schema accepts but the rules refuse print
 * nothing; a sound one prints. */
static void test_roster__certificates_refuse_a_broken_roster(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	expect_no_pdf("duplicate-serial", 9,
		      "duplicate person serial 'ҚЖ-0001' (first used at line 7)");
	expect_no_pdf("hours-too-many", 8,
		      "hours '10001' of person 'ҚЖ-0002' are not a whole number from 1 to 10000");
	expect_no_pdf("from-after-to", 5,
		      "programme ends 2026-11-02, before it begins 2026-11-20");
	expect_no_pdf("issued-before-from", 3,
		      "roster is issued 2026-10-30, before the programme begins 2026-11-02");
	expect_no_pdf("empty-organization", 4, "<organization> is empty");
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("'%s' certificates " DATA "base.xml -o '%s/c.pdf' && "
		   "pdftotext '%s/c.pdf' - | grep -c 'ҚЖ-000'; rm -rf '%s'",
		   qjt_bin(), dir, dir, dir);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "3\n"); /* three persons, three serials */
	qjt_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roster__sound_rosters_pass),
		cmocka_unit_test(test_roster__duplicate_serial),
		cmocka_unit_test(test_roster__blank_texts),
		cmocka_unit_test(test_roster__hours_whole_and_sane),
		cmocka_unit_test(test_roster__calendar_dates),
		cmocka_unit_test(test_roster__dates_in_order),
		cmocka_unit_test(test_roster__all_errors_are_reported),
		cmocka_unit_test(test_roster__error_limit_stops_the_rules),
		cmocka_unit_test(test_roster__other_documents_are_refused),
		cmocka_unit_test(test_roster__certificates_refuse_a_broken_roster),
	};
	qj_xml_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
