/* test_font: families and aliases from fonts.xml, coverage of the Kazakh,
 * Russian and typographic characters, fallback for ₸, HarfBuzz metrics,
 * subsets of kilobytes, and bad font directories reported. */
#include "qjtest.h"

#include "font/font.h"
#include "xml/xml.h"

static void test_font__families_and_coverage(void **state)
{
	/* ә ғ қ ң ө ұ ү һ і and capitals, №, «», —, NBSP */
	static const uint32_t need[] = {
		0x4D9, 0x493, 0x49B, 0x4A3, 0x4E9, 0x4B1, 0x4AF, 0x4BB, 0x456,
		0x4D8, 0x492, 0x49A, 0x4A2, 0x4E8, 0x4B0, 0x4AE, 0x4BA, 0x406,
		0x2116, 0xAB, 0xBB, 0x2014, 0xA0, 0x451, 0x44B};
	qj_ctx *ctx = qjt_quiet_ctx();
	qj_fonts *f = qj_fonts_load(ctx, "fonts");
	const char *fams[] = {"serif", "sans", "PT Serif", "pt sans"};
	size_t i, k;
	(void)state;
	assert_non_null(f);
	for (k = 0; k < sizeof fams / sizeof *fams; k++) {
		int bold;
		for (bold = 0; bold < 2; bold++) {
			int st = qj_fonts_style(f, fams[k], bold, 0);
			assert_true(st >= 0);
			for (i = 0; i < sizeof need / sizeof *need; i++) {
				qj_face *face = qj_fonts_face_for(f, st, need[i]);
				assert_non_null(face);
				/* the family's own face, not a fallback */
				assert_ptr_equal(face, qj_fonts_face_for(f, st, 'A'));
			}
		}
	}
	assert_int_equal(qj_fonts_style(f, "Comic Sans", 0, 0), -1);
	qj_fonts_free(f);
	qj_ctx_free(ctx);
}

static void test_font__tenge_falls_back(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	qj_fonts *f = qj_fonts_load(ctx, "fonts");
	int st = qj_fonts_style(f, "serif", 1, 0);
	qj_face *pt = qj_fonts_face_for(f, st, 'A'), *t = qj_fonts_face_for(f, st, 0x20B8);
	(void)state;
	assert_non_null(t);
	assert_ptr_not_equal(pt, t);
	assert_non_null(strstr(qj_face_path(t), "DejaVuSans-Bold.ttf"));
	assert_null(qj_fonts_face_for(f, st, 0x10FFFD));
	qj_fonts_free(f);
	qj_ctx_free(ctx);
}

static void test_font__metrics(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	qj_fonts *f = qj_fonts_load(ctx, "fonts");
	qj_face *face = qj_fonts_primary(f, qj_fonts_style(f, "serif", 0, 0));
	double w = qj_face_advance(face, 'W', 10), i = qj_face_advance(face, 'i', 10);
	(void)state;
	assert_true(w > 5 && w < 12);
	assert_true(i > 1 && i < w);
	assert_true(qj_face_advance(face, 'W', 20) > 1.99 * w);
	assert_true(qj_face_ascent(face, 10) > 7 && qj_face_ascent(face, 10) < 12);
	assert_true(qj_face_descent(face, 10) > 1 && qj_face_descent(face, 10) < 5);
	qj_fonts_free(f);
	qj_ctx_free(ctx);
}

static void test_font__subset_is_small(void **state)
{
	qj_ctx *ctx = qjt_quiet_ctx();
	qj_fonts *f = qj_fonts_load(ctx, "fonts");
	qj_face *face = qj_fonts_primary(f, qj_fonts_style(f, "serif", 0, 0));
	const char *word = "Әлеуметтік жұмыскер";
	qj_face_subset s;
	struct stat full;
	uint32_t cp = (uint32_t)-1, seen[64];
	size_t n = 0;
	int i, j, k = 0;
	(void)state;
	while (word[n]) {
		uint32_t c = (unsigned char)word[n];
		size_t len = 1;
		if (c >= 0xC0) { c = ((c & 0x1F) << 6) | (word[n + 1] & 0x3F); len = 2; }
		qj_face_use(face, c);
		n += len;
	}
	assert_int_equal(qj_face_used_count(face), 14); /* distinct characters */
	assert_int_equal(qj_face_subset_make(ctx, face, &s), 0);
	stat(qj_face_path(face), &full);
	assert_true(s.len < 16 * 1024);
	assert_true((off_t)s.len * 10 < full.st_size);
	/* a TrueType program */
	assert_memory_equal(s.ttf, "\0\1\0\0", 4);
	/* every used character has a glyph of its own in the subset, and the
	 * map ends at the largest of them (Ә, U+04D8) */
	assert_int_equal(s.ncodes, 0x04D8 + 1);
	while (qj_face_next_used(face, &cp)) {
		assert_true(cp < s.ncodes);
		assert_true(s.gid[cp] > 0 && s.gid[cp] < 64); /* composites add their parts */
		seen[k++] = s.gid[cp];
	}
	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++)
			assert_int_not_equal(seen[i], seen[j]);
	assert_int_equal(s.gid['Z'], 0); /* not used */
	qj_face_subset_free(ctx, &s);
	{
		/* the kept subset: the same while the characters are, then made
		 * anew with the new one, its deflated program a zlib stream */
		const qj_face_subset *a = qj_face_subset_get(ctx, face), *b;
		const unsigned char *z;
		assert_non_null(a);
		z = a->zttf;
		assert_true(a->zlen > 100 && a->zlen < a->len && (z[0] & 0x0F) == 8);
		assert_ptr_equal(qj_face_subset_get(ctx, face)->zttf, z);
		qj_face_use(face, 0x04D9); /* ә */
		b = qj_face_subset_get(ctx, face);
		assert_non_null(b);
		assert_int_equal(b->ncodes, 0x04D9 + 1);
		assert_true(b->gid[0x04D9] > 0);
	}
	qj_fonts_free(f);
	qj_ctx_free(ctx);
}

static void test_font__bad_directories(void **state)
{
	char dir[64], path[128];
	FILE *fp;
	qj_ctx *ctx = qjt_quiet_ctx();
	(void)state;
	assert_null(qj_fonts_load(ctx, "/nonexistent"));
	assert_non_null(strstr(qj_diag_text(ctx), "/nonexistent: error: no fonts.xml"));
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/fonts.xml", dir);
	fp = fopen(path, "w");
	fputs("<fonts>\n<family name='x'>\n<face file='missing.ttf'/>\n</family>\n</fonts>\n", fp);
	fclose(fp);
	assert_null(qj_fonts_load(ctx, dir));
	assert_non_null(strstr(qj_diag_text(ctx), "fonts.xml:3: error: "));
	assert_non_null(strstr(qj_diag_text(ctx), "missing.ttf: cannot open: No such file or directory"));
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_font__families_and_coverage),
		cmocka_unit_test(test_font__tenge_falls_back),
		cmocka_unit_test(test_font__metrics),
		cmocka_unit_test(test_font__subset_is_small),
		cmocka_unit_test(test_font__bad_directories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
