/* test_xml: the safe loader: entities refused, no external loading, limits,
 * invalid UTF-8 with line and byte offset, all errors reported with lines,
 * source lines kept on elements. */
#include "qjtest.h"

#include "xml/xml.h"

static xmlDocPtr load(qj_ctx *ctx, const char *s)
{
	return qj_xml_load_memory(ctx, "t.xml", s, strlen(s));
}

static void test_xml__keeps_lines(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	xmlDocPtr d = load(ctx, "<a>\n<b/>\n\n<c x='1'>т</c></a>");
	xmlNodePtr c;
	(void)state;
	assert_non_null(d);
	c = qj_xml_next(qj_xml_child(xmlDocGetRootElement(d), "b"), "c");
	assert_int_equal(qj_xml_line(c), 4);
	assert_string_equal(qj_xml_attr(c, "x"), "1");
	qj_xml_error(ctx, c, "here");
	assert_string_equal(qj_diag_text(ctx), "t.xml:4: error: here\n");
	xmlFreeDoc(d);
	qj_ctx_free(ctx);
}

static void test_xml__refuses_entities(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_null(load(ctx, "<!DOCTYPE a [<!ENTITY x 'boom'>]>\n<a>&x;</a>"));
	assert_non_null(strstr(qj_diag_text(ctx), "t.xml:1: error: entity declaration 'x' is not allowed"));
	qj_diag_reset(ctx);
	assert_null(load(ctx, "<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<a>&x;</a>"));
	assert_null(strstr(qj_diag_text(ctx), "root:"));
	assert_true(qj_diag_errors(ctx) > 0);
	qj_diag_reset(ctx);
	/* predefined entities still work */
	{
		xmlDocPtr d = load(ctx, "<a>&lt;&amp;&gt;</a>");
		assert_non_null(d);
		xmlFreeDoc(d);
	}
	qj_ctx_free(ctx);
}

static void test_xml__limits(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	char deep[2000] = "";
	int i;
	(void)state;
	for (i = 0; i < 100; i++) strcat(deep, "<a>");
	for (i = 0; i < 100; i++) strcat(deep, "</a>");
	assert_null(load(ctx, deep));
	assert_non_null(strstr(qj_diag_text(ctx), "nested deeper than the limit of 64"));
	qj_diag_reset(ctx);
	qj_ctx_limits(ctx)->max_file_bytes = 10;
	assert_null(load(ctx, "<a>0123456789</a>"));
	assert_non_null(strstr(qj_diag_text(ctx), "over the limit of 10"));
	qj_ctx_free(ctx);
}

static void test_xml__invalid_utf8(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_null(load(ctx, "<a>\nok\n\xd2\x9b\xff</a>"));
	assert_string_equal(qj_diag_text(ctx),
			    "t.xml:3: error: invalid UTF-8 at byte offset 9 (byte 0xFF)\n");
	qj_ctx_free(ctx);
}

static void test_xml__all_errors_with_lines(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_null(load(ctx, "<a>\n<b>\n</a>\n"));
	assert_true(qj_diag_errors(ctx) >= 2);
	assert_non_null(strstr(qj_diag_text(ctx), "t.xml:3: error: Opening and ending tag mismatch"));
	qj_diag_reset(ctx);
	assert_null(qj_xml_load(ctx, "/nonexistent/file.xml"));
	assert_non_null(strstr(qj_diag_text(ctx), "/nonexistent/file.xml: error: cannot open"));
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml__keeps_lines),
		cmocka_unit_test(test_xml__refuses_entities),
		cmocka_unit_test(test_xml__limits),
		cmocka_unit_test(test_xml__invalid_utf8),
		cmocka_unit_test(test_xml__all_errors_with_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
