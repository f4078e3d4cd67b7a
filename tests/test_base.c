/* test_base: arena, buffers, diagnostics format, sticky out-of-memory and
 * fault injection, atomic output, sets of hashes. */
#include "qjtest.h"

#include "base/base.h"

static void test_base__diagnostic_format(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_diag(ctx, QJ_ERROR, "a.xml", 3, 7, "bad %s", "thing");
	qj_error(ctx, "b.xml", 9, "missing");
	qj_warning(ctx, "c.xml", 0, "odd");
	qj_error(ctx, NULL, 0, "plain");
	assert_string_equal(qj_diag_text(ctx),
			    "a.xml:3:7: error: bad thing\n"
			    "b.xml:9: error: missing\n"
			    "c.xml: warning: odd\n"
			    "qujat: error: plain\n");
	assert_int_equal(qj_diag_errors(ctx), 3);
	assert_int_equal(qj_diag_warnings(ctx), 1);
	qj_diag_reset(ctx);
	assert_int_equal(qj_diag_errors(ctx), 0);
	qj_ctx_free(ctx);
}

static void test_base__arena_and_buf(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_arena *a = qj_arena_new(ctx);
	qj_buf b;
	int i;
	char *big;
	(void)state;
	for (i = 0; i < 10000; i++) {
		char *s = qj_arena_printf(a, "item %d", i);
		assert_non_null(s);
		assert_int_equal(((size_t)s) % 16, 0);
	}
	big = qj_arena_alloc(a, 1 << 20);
	assert_non_null(big);
	assert_int_equal(big[12345], 0);
	assert_true(qj_arena_size(a) >= (1u << 20));
	qj_buf_init(&b, ctx);
	assert_string_equal(qj_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		qj_buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	qj_buf_free(&b);
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

static void test_base__oom_is_sticky(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	void *p;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_ctx_fail_after(ctx, 3);
	p = qj_malloc(ctx, 8); assert_non_null(p); qj_free(ctx, p);
	p = qj_malloc(ctx, 8); assert_non_null(p); qj_free(ctx, p);
	assert_null(qj_malloc(ctx, 8));
	assert_true(qj_ctx_oom(ctx));
	qj_ctx_fail_after(ctx, 0);
	qj_ctx_fail_after(ctx, 100); /* re-arming clears the sticky flag */
	assert_false(qj_ctx_oom(ctx));
	assert_non_null(strstr(qj_diag_text(ctx), "out of memory"));
	assert_int_equal(qj_diag_errors(ctx), 1);
	qj_ctx_free(ctx);
}

static void test_base__atomic_output(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	char dir[64], path[128];
	qj_out o;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/out.txt", dir);
	assert_int_equal(qj_out_open(ctx, &o, path), 0);
	fputs("half", o.fp);
	assert_false(qjt_exists(path));
	qj_out_abort(ctx, &o);
	assert_false(qjt_exists(path));
	assert_int_equal(qj_out_open(ctx, &o, path), 0);
	fputs("whole", o.fp);
	assert_int_equal(qj_out_commit(ctx, &o), 0);
	assert_true(qjt_exists(path));
	qj_ctx_free(ctx);
}

/* An arena emptied for reuse keeps one chunk, and what it gives again is
 * zeroed. */
/* A set through nine growths in place: after each one every string
 * added is still there with the line of its first use, strings never
 * added are not, and a string added again gives its first line. */
static void test_base__hset_grows_in_place(void **state)
{
	qj_hset t = {0};
	char s[32];
	int i, k, grown = 0;
	size_t cap = 0;
	(void)state;
	assert_int_equal(qj_hset_find(&t, "nothing"), 0);
	for (i = 0; i < 250000; i++) {
		snprintf(s, sizeof s, "ҚЖ-2026-%06d", i);
		assert_int_equal(qj_hset_add(&t, s, i + 2), 0);
		if (t.cap != cap) { /* just grown: check everything */
			cap = t.cap;
			grown++;
			for (k = 0; k <= i; k += k < 2000 ? 1 : 7) {
				snprintf(s, sizeof s, "ҚЖ-2026-%06d", k);
				assert_int_equal(qj_hset_find(&t, s), k + 2);
			}
		}
	}
	assert_int_equal(grown, 10); /* 1,024 slots, doubled nine times to 524,288 */
	assert_int_equal(t.n, 250000);
	for (i = 0; i < 250000; i++) {
		snprintf(s, sizeof s, "ҚЖ-2026-%06d", i);
		assert_int_equal(qj_hset_find(&t, s), i + 2);
		snprintf(s, sizeof s, "ҚЖ-2025-%06d", i);
		assert_false(qj_hset_has(&t, s));
	}
	assert_int_equal(qj_hset_add(&t, "ҚЖ-2026-000000", 999), 2);
	assert_int_equal(qj_hset_add(&t, "ҚЖ-2026-249999", 999), 250001);
	assert_int_equal(t.n, 250000);
	qj_hset_free(&t);
	assert_int_equal(t.cap, 0);
	assert_int_equal(qj_hset_find(&t, "ҚЖ-2026-000000"), 0);
}

static void test_base__arena_reset(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_arena *a = qj_arena_new(ctx);
	unsigned char *p;
	size_t i;
	(void)state;
	for (i = 0; i < 100; i++)
		memset(qj_arena_alloc(a, 4000), 0xAB, 4000);
	p = qj_arena_alloc(a, 1 << 20); /* a chunk of its own */
	assert_non_null(p);
	assert_true(qj_arena_size(a) > (size_t)(1 << 20));
	qj_arena_reset(a);
	assert_true(qj_arena_size(a) <= 65536);
	p = qj_arena_alloc(a, 4000);
	for (i = 0; i < 4000; i++)
		assert_int_equal(p[i], 0);
	qj_arena_reset(a);
	qj_arena_reset(a);
	assert_non_null(qj_arena_strdup(a, "again"));
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

/* A batch's outputs without a sync each: still renamed into place whole,
 * and the default (every other command) syncs. */
static void test_base__atomic_output_batch(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	char dir[64], path[128];
	qj_out o;
	(void)state;
	assert_true(qj_ctx_out_sync(ctx));
	qj_ctx_set_out_sync(ctx, 0);
	assert_false(qj_ctx_out_sync(ctx));
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/out.txt", dir);
	assert_int_equal(qj_out_open(ctx, &o, path), 0);
	fputs("whole", o.fp);
	assert_false(qjt_exists(path));
	assert_int_equal(qj_out_commit(ctx, &o), 0);
	assert_true(qjt_exists(path));
	assert_null(o.tmp);
	qj_ctx_set_out_sync(ctx, 1);
	assert_true(qj_ctx_out_sync(ctx));
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base__diagnostic_format),
		cmocka_unit_test(test_base__arena_and_buf),
		cmocka_unit_test(test_base__oom_is_sticky),
		cmocka_unit_test(test_base__arena_reset),
		cmocka_unit_test(test_base__hset_grows_in_place),
		cmocka_unit_test(test_base__atomic_output),
		cmocka_unit_test(test_base__atomic_output_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
