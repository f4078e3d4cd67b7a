/* test_doc: the document stage in-process: the kinds table, a batch that
 * opens its template, labels and fonts once and prints several documents,
 * every problem reported when the template is bad too, the wrong kind of
 * document, and out of memory at every allocation of a batch. */
#include "qjtest.h"

#include "doc/doc.h"
#include "xml/xml.h"

static char scratch[64];

static int setup(void **state)
{
	(void)state;
	qj_xml_init();
	qjt_tmpdir(scratch, sizeof scratch);
	return 0;
}

static int teardown(void **state)
{
	qjt_run r = qjt_sh("rm -rf '%s'", scratch);
	(void)state;
	qjt_run_free(&r);
	return 0;
}

static qj_ctx *quiet_ctx(void)
{
	qj_ctx *ctx = qj_ctx_new();
	assert_non_null(ctx);
	qj_diag_set_sink(ctx, NULL);
	return ctx;
}

static void test_doc__kinds_table(void **state)
{
	const char *roots[] = {"roster", "client-record", "standard"};
	const qj_doc_kind *k;
	size_t n, i;
	(void)state;
	k = qj_doc_kinds(&n);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_string_equal(k[i].root, roots[i]);
		assert_ptr_equal(qj_doc_kind_lookup(roots[i]), &k[i]);
		assert_non_null(k[i].schema);
		assert_non_null(k[i].template_name);
		assert_true(qj_doc_lang_ok(&k[i], "kk") && qj_doc_lang_ok(&k[i], "ru"));
		assert_false(qj_doc_lang_ok(&k[i], "de"));
		assert_false(qj_doc_lang_ok(&k[i], "k"));
	}
	assert_null(qj_doc_kind_lookup("memo"));
	assert_string_equal(qj_doc_kind_lookup("roster")->lang_attr, "lang");
	assert_string_equal(qj_doc_kind_lookup("standard")->lang_attr, "xml:lang");
	assert_true(qj_doc_lang_ok(qj_doc_kind_lookup("client-record"), "kk+ru"));
	assert_true(qj_doc_lang_ok(qj_doc_kind_lookup("standard"), "kk+ru"));
	assert_false(qj_doc_lang_ok(qj_doc_kind_lookup("standard"), "ru+kk"));
}

/* One batch, three records: three sound PDFs, each with its own plan. */
static void test_doc__batch_prints_several_documents(void **state)
{
	const char *recs[][2] = {{"examples/records/elderly-alone-kk.xml", "ҚЗО-ҮӘҚ-2026/0219"},
				 {"examples/records/homelessness-ru.xml", NULL},
				 {"examples/records/disability-adult-kk.xml", NULL}};
	qj_ctx *ctx = quiet_ctx();
	qj_batch_opts o;
	qj_batch *b;
	char out[128], *text;
	size_t i;
	(void)state;
	memset(&o, 0, sizeof o);
	o.kind = qj_doc_kind_lookup("client-record");
	o.today = "2026-11-23";
	b = qj_batch_open(ctx, &o);
	assert_non_null(b);
	assert_int_equal(qj_batch_status(b), QJ_DOC_OK);
	for (i = 0; i < 3; i++) {
		snprintf(out, sizeof out, "%s/%zu.pdf", scratch, i);
		assert_int_equal(qj_batch_print(b, recs[i][0], out), QJ_DOC_OK);
		qjt_assert_pdf_sound(out);
		text = qjt_pdftotext(out);
		assert_non_null(text);
		if (recs[i][1])
			assert_non_null(strstr(text, recs[i][1]));
		free(text);
	}
	qj_batch_free(b);
	assert_false(qj_ctx_oom(ctx));
	qj_ctx_free(ctx);
}

/* A template that is not there: the batch cannot render, but the data is
 * still checked and its problems reported, and nothing is written. */
static void test_doc__bad_template_still_checks_the_data(void **state)
{
	qj_ctx *ctx = quiet_ctx();
	qj_batch_opts o;
	qj_batch *b;
	xmlDocPtr doc;
	char bad[128], out[128];
	qjt_run r;
	(void)state;
	snprintf(bad, sizeof bad, "%s/bad.xml", scratch);
	snprintf(out, sizeof out, "%s/out.pdf", scratch);
	r = qjt_sh("sed 's/organization/organisation/g' examples/roster.xml > %s", bad);
	qjt_run_free(&r);
	memset(&o, 0, sizeof o);
	o.kind = qj_doc_kind_lookup("roster");
	o.template_name = "no-such-template.xml";
	b = qj_batch_open(ctx, &o);
	assert_non_null(b);
	assert_int_equal(qj_batch_status(b), QJ_DOC_BAD_INPUT);
	assert_non_null(strstr(qj_diag_text(ctx), "no-such-template.xml"));
	assert_int_equal(qj_batch_print(b, bad, out), QJ_DOC_BAD_INPUT);
	assert_non_null(strstr(qj_diag_text(ctx), "bad.xml:4: error: Did not expect element organisation"));
	/* a good roster loads, but the batch cannot render it */
	assert_int_equal(qj_batch_load(b, "examples/roster.xml", &doc), QJ_DOC_OK);
	assert_int_equal(qj_batch_render(b, doc, out), QJ_DOC_BAD_INPUT);
	xmlFreeDoc(doc);
	assert_false(qjt_exists(out));
	qj_batch_free(b);
	qj_ctx_free(ctx);
}

static void test_doc__wrong_kind_and_unknown_kind(void **state)
{
	qj_ctx *ctx = quiet_ctx();
	qj_batch_opts o;
	qj_batch *b;
	xmlDocPtr doc;
	(void)state;
	memset(&o, 0, sizeof o);
	o.kind = qj_doc_kind_lookup("client-record");
	b = qj_batch_open(ctx, &o);
	assert_int_equal(qj_batch_load(b, "examples/roster.xml", &doc), QJ_DOC_BAD_INPUT);
	assert_null(doc);
	assert_non_null(strstr(qj_diag_text(ctx),
			       "examples/roster.xml:3: error: expected <client-record>, not <roster>"));
	qj_batch_free(b);
	/* the kind of a document from its root */
	doc = qj_doc_load(ctx, NULL, "standards/001.xml", NULL);
	assert_non_null(doc);
	assert_ptr_equal(qj_doc_kind_of(ctx, doc), qj_doc_kind_lookup("standard"));
	assert_int_equal(qj_doc_check(ctx, qj_doc_kind_lookup("standard"), doc, NULL, NULL), 0);
	xmlFreeDoc(doc);
	qj_ctx_free(ctx);
}

/* Out of memory at the Nth allocation of a whole batch (open, print, free),
 * over every N up to the count a good run makes: never a crash, never
 * "bad input", never a file at the output path. */
static void test_doc__out_of_memory(void **state)
{
	qj_batch_opts o;
	qj_batch *b;
	qj_ctx *ctx;
	char out[128];
	long total, n, step, injected = 0;
	qj_doc_status st;
	const char *params[] = {"shard-k", "1", "shard-n", "1", NULL};
	(void)state;
	snprintf(out, sizeof out, "%s/oom.pdf", scratch);
	memset(&o, 0, sizeof o);
	o.kind = qj_doc_kind_lookup("roster");
	o.params = params; /* the certificate template reads $shard-k and $shard-n */
	ctx = quiet_ctx();
	b = qj_batch_open(ctx, &o);
	st = qj_batch_print(b, "examples/roster.xml", out);
	if (st != QJ_DOC_OK)
		fail_msg("%s", qj_diag_text(ctx));
	qj_batch_free(b);
	total = qj_ctx_alloc_count(ctx);
	qj_ctx_free(ctx);
	unlink(out);
	assert_true(total > 100);
	step = total / 200 + 1;
	for (n = 1; n <= total; n += step) {
		ctx = quiet_ctx();
		qj_ctx_fail_after(ctx, n);
		b = qj_batch_open(ctx, &o);
		st = b ? qj_batch_print(b, "examples/roster.xml", out) : QJ_DOC_FAILED;
		qj_batch_free(b);
		if (qj_ctx_oom(ctx)) {
			injected++;
			assert_int_equal(st, QJ_DOC_FAILED);
			assert_false(qjt_exists(out));
		} else {
			assert_int_equal(st, QJ_DOC_OK);
		}
		unlink(out);
		qj_ctx_free(ctx);
	}
	/* the loop did inject failures, nearly every time */
	assert_true(injected * 10 >= (total / step) * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc__kinds_table),
		cmocka_unit_test_setup_teardown(test_doc__batch_prints_several_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doc__bad_template_still_checks_the_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doc__wrong_kind_and_unknown_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doc__out_of_memory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
