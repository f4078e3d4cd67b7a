/* test_pdfa: archival and reproducible output. PDFs made with --pdfa (a
 * certificate, a card and a plan in every language they print in, a
 * handout, signed ones, one with a transparent PNG) are checked by a real
 * validator, Apache PDFBox Preflight (Debian's libpdfbox2-java), in one JVM
 * run for all of them; a PDF made without --pdfa must fail it. Also: /Lang in every PDF,
 * the XMP escaped and equal to the Info dictionary, SOURCE_DATE_EPOCH
 * giving the same bytes twice, the clock's date the same in Info and XMP. */
#include "qjtest.h"

#include <png.h>
#include <time.h>

#include "font/font.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "box/box.h"

static char dir[64];
static char *preflight; /* Preflight's report of every file */

#define JARS "preflight pdfbox2 fontbox2 xmpbox commons-logging javax.activation jaxb-api"

/* Runs qujat with args (a printf format) in the repository; asserts exit 0. */
static void qujat(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void qujat(const char *fmt, ...)
{
	char args[4096];
	va_list ap;
	qjt_run r;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	r = qjt_sh("%s %s", qjt_bin(), args);
	if (r.code != 0)
		fail_msg("qujat %s: exit %d: %s", args, r.code, r.err);
	qjt_run_free(&r);
}

/* An RGBA PNG, 32x16: the left half fully transparent red, the right half
 * opaque red, the middle column half transparent. */
static void write_rgba_png(const char *path)
{
	png_image im;
	unsigned char px[32 * 16 * 4];
	int x, y;
	for (y = 0; y < 16; y++)
		for (x = 0; x < 32; x++) {
			unsigned char *p = px + (y * 32 + x) * 4;
			p[0] = 255, p[1] = 0, p[2] = 0;
			p[3] = x == 16 ? 128 : x < 16 ? 0 : 255;
		}
	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	im.width = 32;
	im.height = 16;
	im.format = PNG_FORMAT_RGBA;
	assert_true(png_image_write_to_file(&im, path, 0, px, 0, NULL));
}

/* The flow with a transparent image, written through the library. */
static void write_image_pdf(const char *png, const char *pdf, unsigned flags)
{
	char flow[1024];
	qj_ctx *ctx = qjt_quiet_ctx();
	qj_fonts *fonts = qj_fonts_load(ctx, "fonts");
	qj_arena *a = qj_arena_new(ctx);
	xmlDocPtr d;
	qj_dl *dl;
	snprintf(flow, sizeof flow,
		 "<document title='Сурет' lang='ru'><page-master name='p' size='A4' margin='20mm'/>"
		 "<page-sequence master='p'><block>Мөлдір сурет</block>"
		 "<image src='%s' width='40mm'/></page-sequence></document>", png);
	d = qj_xml_load_memory(ctx, "flow.xml", flow, strlen(flow));
	assert_non_null(d);
	dl = qj_layout_run(ctx, a, qj_box_build(ctx, a, d), fonts);
	assert_non_null(dl);
	if (qj_pdf_write(ctx, dl, fonts, pdf, flags, NULL) != 0)
		fail_msg("%s", qj_diag_text(ctx));
	xmlFreeDoc(d);
	qj_arena_free(a);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
}

/* What every --pdfa document is made from: name, command line. */
static const char *const docs[][2] = {
	{"cert-kk", "certificates examples/roster.xml --lang kk"},
	{"cert-ru", "certificates examples/roster.xml --lang ru"},
	{"cert-en", "certificates examples/roster.xml --lang en"},
	{"cert-kkru", "certificates examples/roster.xml --lang kk+ru"},
	{"card-kk", "card standards/002.xml --card 13 --lang kk"},
	{"card-ru", "card standards/002.xml --card 13 --lang ru"},
	{"card-en", "card standards/002.xml --card 13 --lang en"},
	{"plan-kk", "plan examples/records/large-family-kk-ru.xml --lang kk"},
	{"plan-ru", "plan examples/records/large-family-kk-ru.xml --lang ru"},
	{"plan-en", "plan examples/records/large-family-kk-ru.xml --lang en"},
	{"plan-kkru", "plan examples/records/large-family-kk-ru.xml --lang kk+ru"},
	{"handout-kkru", "handouts standards/002.xml --cards 13,14 --lang kk+ru"},
	{"cert-title", "certificates @/title.xml"},
};
#define NDOCS (sizeof docs / sizeof *docs)

/* A roster whose programme (and so the document's title) holds &, <, >
 * and Kazakh letters. */
static const char TITLE[] = "Ана & бала <қауіпсіздік> — ӘҒҚҢӨҰҮҺІ";

static void write_title_roster(void)
{
	qjt_run r = qjt_sh("sed 's|<programme \\([^>]*\\)>[^<]*</programme>|<programme \\1>"
			   "Ана \\&amp; бала \\&lt;қауіпсіздік\\&gt; — ӘҒҚҢӨҰҮҺІ</programme>|' "
			   "examples/roster.xml > %s/title.xml && cp examples/emblem.png %s/",
			   dir, dir); /* the roster's emblem is relative to it */
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

/* Every PDF the tests read, made once; Preflight run once over the
 * PDF/A ones and the plain one that must fail. */
static int setup(void **state)
{
	char list[256], cp[1024] = "", args[512], *at;
	size_t i;
	qjt_run r;
	FILE *fp;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	write_title_roster();
	for (i = 0; i < NDOCS; i++) {
		snprintf(args, sizeof args, "%s", docs[i][1]);
		if ((at = strchr(args, '@'))) { /* @ is the scratch directory */
			char rest[256];
			snprintf(rest, sizeof rest, "%s", at + 1);
			snprintf(at, sizeof args - (size_t)(at - args), "%s%s", dir, rest);
		}
		qujat("%s --pdfa -o %s/%s.pdf 2>/dev/null", args, dir, docs[i][0]);
	}
	/* signed and PDF/A at once, with a throwaway key */
	r = qjt_sh("cd %s && printf 'pw\\n' > pass && openssl req -x509 -newkey rsa:2048 -nodes "
		   "-keyout k.pem -out k.crt -days 30 -utf8 -subj '/CN=Гүлнар Әлімжанова' && "
		   "openssl pkcs12 -export -inkey k.pem -in k.crt -out k.p12 -passout file:pass", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	qujat("plan examples/records/elderly-alone-kk.xml --pdfa --sign %s/k.p12 --pass-file %s/pass "
	      "-o %s/signed-plan.pdf", dir, dir, dir);
	qujat("certificates examples/roster.xml --pdfa --sign %s/k.p12 --pass-file %s/pass "
	      "-o %s/signed-cert.pdf", dir, dir, dir);
	qujat("card standards/002.xml --card 13 -o %s/plain.pdf", dir);
	{
		char png[128], pdf[128];
		snprintf(png, sizeof png, "%s/alpha.png", dir);
		write_rgba_png(png);
		snprintf(pdf, sizeof pdf, "%s/alpha.pdf", dir);
		write_image_pdf(png, pdf, QJ_PDF_A);
		snprintf(pdf, sizeof pdf, "%s/alpha-plain.pdf", dir);
		write_image_pdf(png, pdf, 0);
	}
	snprintf(list, sizeof list, "%s/list", dir);
	fp = fopen(list, "w");
	for (i = 0; i < NDOCS; i++)
		fprintf(fp, "%s/%s.pdf\n", dir, docs[i][0]);
	fprintf(fp, "%s/signed-plan.pdf\n%s/signed-cert.pdf\n%s/alpha.pdf\n%s/plain.pdf\n", dir,
		dir, dir, dir);
	fclose(fp);
	/* the jars of libpdfbox2-java, libactivation-java, libjaxb-api-java */
	{
		char jars[] = JARS, *save = NULL, *j;
		for (j = strtok_r(jars, " ", &save); j; j = strtok_r(NULL, " ", &save))
			snprintf(cp + strlen(cp), sizeof cp - strlen(cp), "%s/usr/share/java/%s.jar",
				 cp[0] ? ":" : "", j);
	}
	/* one JVM for every file ("group": the list in a file); no perf data
	 * or temporaries outside the scratch directory */
	r = qjt_sh("java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData "
		   "-Djava.io.tmpdir=%s -cp %s org.apache.pdfbox.preflight.Validator_A1b group %s",
		   dir, cp, list);
	preflight = r.out;
	if (!strstr(preflight, "PDF/A-1b"))
		fail_msg("Preflight did not run (%s): %s", cp, r.err);
	free(r.err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(preflight);
	qjt_rm_rf(dir);
	return 0;
}

/* Preflight's verdict on one file: its paragraph of the report. */
static void assert_valid(const char *name)
{
	char want[256];
	snprintf(want, sizeof want, "The file %s.pdf is a valid PDF/A-1b file", name);
	if (!strstr(preflight, want)) {
		char *p;
		snprintf(want, sizeof want, "The file %s.pdf is not", name);
		p = strstr(preflight, want);
		fail_msg("%s.pdf is not PDF/A-1b:\n%.2000s", name, p ? p : preflight);
	}
}

static void test_pdfa__preflight_passes_every_kind_and_language(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NDOCS; i++)
		assert_valid(docs[i][0]);
	assert_valid("alpha");
	/* the validator is not a stub: the same card without --pdfa fails */
	assert_non_null(strstr(preflight, "The file plain.pdf is not a valid PDF/A-1b file"));
	assert_non_null(strstr(preflight, "CIDSet entry is missing"));
}

static void test_pdfa__signed_and_pdfa_both_hold(void **state)
{
	const char *names[] = {"signed-plan", "signed-cert"};
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		qjt_run r = qjt_sh("pdfsig %s/%s.pdf", dir, names[i]);
		assert_non_null(strstr(r.out, "Signature is Valid."));
		qjt_run_free(&r);
		r = qjt_sh("%s verify %s/%s.pdf", qjt_bin(), dir, names[i]);
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		assert_valid(names[i]);
		{
			char pdf[160];
			snprintf(pdf, sizeof pdf, "%s/%s.pdf", dir, names[i]);
			qjt_assert_pdf_sound(pdf);
		}
	}
}

/* The catalog's /Lang of a PDF, "" when it has none: qpdf rewrites the
 * file in QDF form (one catalog, the current one of a signed file) and the
 * catalog is the only object with a /Lang. One qpdf run, whose failure
 * fails the test (a nested $(…) hid it). */
static char *catalog_lang(const char *pdf)
{
	qjt_run r = qjt_sh("qpdf --qdf --object-streams=disable %s %s.qdf && "
			   "grep -a -o '/Lang ([^)]*)' %s.qdf | head -1 | sed 's|/Lang (\\(.*\\))|\\1|'; "
			   "rc=$?; rm -f %s.qdf; exit $rc", pdf, pdf, pdf, pdf);
	if (r.code != 0)
		fail_msg("qpdf %s: exit %d: %s", pdf, r.code, r.err);
	free(r.err);
	r.out[strcspn(r.out, "\n")] = 0;
	return r.out;
}

static void test_pdfa__lang_in_every_pdf(void **state)
{
	static const char *const plain[][3] = {
		{"certificates examples/roster.xml --lang kk", "p-cert-kk", "kk"},
		{"certificates examples/roster.xml --lang ru", "p-cert-ru", "ru"},
		{"certificates examples/roster.xml --lang en", "p-cert-en", "en"},
		{"certificates examples/roster.xml --lang kk+ru", "p-cert-kkru", "kk"},
		{"card standards/002.xml --card 13 --lang ru", "p-card-ru", "ru"},
		{"card standards/001.xml --card 1 --lang en", "p-card-en", "en"},
		{"plan examples/records/early-development-ru.xml", "p-plan-ru", "ru"},
		{"plan examples/records/large-family-kk-ru.xml --lang kk+ru", "p-plan-kkru", "kk"},
	};
	char pdf[160], *lang;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof plain / sizeof *plain; i++) {
		snprintf(pdf, sizeof pdf, "%s/%s.pdf", dir, plain[i][1]);
		qujat("%s -o %s 2>/dev/null", plain[i][0], pdf);
		lang = catalog_lang(pdf);
		assert_string_equal(lang, plain[i][2]);
		free(lang);
	}
	for (i = 0; i < NDOCS; i++) {
		snprintf(pdf, sizeof pdf, "%s/%s.pdf", dir, docs[i][0]);
		lang = catalog_lang(pdf);
		assert_true(!strcmp(lang, "kk") || !strcmp(lang, "ru") || !strcmp(lang, "en"));
		free(lang);
	}
}

/* The XMP packet of a PDF (the catalog's /Metadata stream), malloc'd. */
static char *xmp_of(const char *pdf)
{
	qjt_run r = qjt_sh("qpdf --show-object=$(qpdf --show-object=$(qpdf --show-object=trailer "
			   "%s | sed -n 's|.*/Root \\([0-9]*\\) 0 R.*|\\1|p') %s | "
			   "sed -n 's|.*/Metadata \\([0-9]*\\) 0 R.*|\\1|p') --raw-stream-data %s",
			   pdf, pdf, pdf);
	free(r.err);
	return r.out;
}

/* pdfinfo's value of key ("Title"), malloc'd. */
static char *info_of(const char *pdf, const char *key, const char *opt)
{
	qjt_run r = qjt_sh("pdfinfo %s -enc UTF-8 %s | sed -n 's/^%s: *//p'", opt, pdf, key);
	free(r.err);
	r.out[strcspn(r.out, "\n")] = 0;
	return r.out;
}

static void test_pdfa__xmp_is_escaped_and_matches_info(void **state)
{
	char pdf[160], want[512], path[160];
	char *xmp, *title;
	qjt_run r;
	FILE *fp;
	(void)state;
	snprintf(pdf, sizeof pdf, "%s/cert-title.pdf", dir);
	title = info_of(pdf, "Title", "");
	assert_non_null(strstr(title, TITLE));
	xmp = xmp_of(pdf);
	/* escaped once, the letters as they are */
	assert_non_null(strstr(xmp, "Ана &amp; бала &lt;қауіпсіздік&gt; — ӘҒҚҢӨҰҮҺІ"));
	snprintf(want, sizeof want, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	assert_non_null(strstr(xmp, want));
	assert_non_null(strstr(xmp, "<pdfaid:part>1</pdfaid:part>"));
	assert_non_null(strstr(xmp, "<pdfaid:conformance>B</pdfaid:conformance>"));
	/* well-formed XML whose dc:title is the Info /Title exactly */
	snprintf(path, sizeof path, "%s/x.xmp", dir);
	fp = fopen(path, "w");
	fputs(xmp, fp);
	fclose(fp);
	r = qjt_sh("xmllint --xpath 'string(//*[local-name()=\"title\"]//*[local-name()=\"li\"])' %s",
		   path);
	assert_int_equal(r.code, 0);
	r.out[strcspn(r.out, "\n")] = 0;
	assert_string_equal(r.out, title);
	qjt_run_free(&r);
	r = qjt_sh("xmllint --xpath 'string(//*[local-name()=\"Producer\"])' %s", path);
	free(r.err);
	r.out[strcspn(r.out, "\n")] = 0;
	{
		char *prod = info_of(pdf, "Producer", "");
		assert_string_equal(r.out, prod);
		free(prod);
	}
	free(r.out);
	free(xmp);
	free(title);
}

/* Whether two files hold the same bytes. */
static int same_bytes(const char *a, const char *b)
{
	qjt_run r = qjt_sh("cmp -s %s %s", a, b);
	int same = r.code == 0;
	qjt_run_free(&r);
	return same;
}

/* qujat CMD -o out with SOURCE_DATE_EPOCH set. */
static void epoch_run(const char *cmd, const char *out)
{
	qjt_run r = qjt_sh("SOURCE_DATE_EPOCH=1700000000 %s %s -o %s", qjt_bin(), cmd, out);
	if (r.code != 0)
		fail_msg("%s: exit %d: %s", cmd, r.code, r.err);
	qjt_run_free(&r);
}

static void test_pdfa__source_date_epoch_gives_the_same_bytes(void **state)
{
	static const char *const cmds[] = {
		"certificates examples/roster.xml", "certificates examples/roster.xml --pdfa",
		"card standards/002.xml --card 13", "card standards/003.xml --all --pdfa",
		"plan examples/records/large-family-kk-ru.xml --lang kk+ru",
		"plan examples/records/elderly-alone-kk.xml --pdfa",
	};
	char a[160], b[160], *d, *xmp;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		snprintf(a, sizeof a, "%s/r%zu-a.pdf", dir, i);
		snprintf(b, sizeof b, "%s/r%zu-b.pdf", dir, i);
		qujat("%s -o %s 2>/dev/null", cmds[i], b); /* a file to replace */
		epoch_run(cmds[i], a);
		epoch_run(cmds[i], b);
		if (!same_bytes(a, b))
			fail_msg("%s: two runs with SOURCE_DATE_EPOCH differ", cmds[i]);
		d = info_of(a, "CreationDate", "-isodates");
		/* the variable's date, not the clock's */
		assert_string_equal(d, "2023-11-14T22:13:20Z");
		free(d);
	}
	/* the XMP has the same date */
	xmp = xmp_of(a);
	assert_non_null(strstr(xmp, "<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"));
	assert_non_null(strstr(xmp, "<xmp:ModifyDate>2023-11-14T22:13:20+00:00</xmp:ModifyDate>"));
	free(xmp);
}

static void test_pdfa__the_clock_dates_info_and_xmp_alike(void **state)
{
	char pdf[160], *d, *xmp, want[80];
	time_t before = time(NULL), t;
	struct tm tm;
	int y, mo, da, h, mi, se;
	(void)state;
	snprintf(pdf, sizeof pdf, "%s/card-kk.pdf", dir);
	qujat("card standards/002.xml --card 13 --pdfa -o %s", pdf);
	d = info_of(pdf, "CreationDate", "-isodates");
	/* "2026-12-02T03:04:05+00": within a minute of now */
	memset(&tm, 0, sizeof tm);
	assert_int_equal(sscanf(d, "%d-%d-%dT%d:%d:%d", &y, &mo, &da, &h, &mi, &se), 6);
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = da;
	tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
	t = timegm(&tm);
	assert_true(t >= before - 60 && t <= time(NULL) + 1);
	xmp = xmp_of(pdf);
	snprintf(want, sizeof want, "<xmp:CreateDate>%.19s+00:00</xmp:CreateDate>", d);
	assert_non_null(strstr(xmp, want));
	free(xmp);
	free(d);
}

static void test_pdfa__bad_source_date_epoch(void **state)
{
	char pdf[160];
	qjt_run r;
	(void)state;
	snprintf(pdf, sizeof pdf, "%s/bad-epoch.pdf", dir);
	r = qjt_sh("SOURCE_DATE_EPOCH=yesterday %s card standards/002.xml --card 13 -o %s",
		   qjt_bin(), pdf);
	assert_int_not_equal(r.code, 0);
	assert_non_null(strstr(r.err, "SOURCE_DATE_EPOCH is 'yesterday', not a number of seconds"));
	assert_false(qjt_exists(pdf));
	qjt_run_free(&r);
}

/* The first image of a PDF's first page, decoded: its bytes. */
static char *first_image(const char *pdf, size_t *len)
{
	qjt_run r = qjt_sh("qpdf --show-pages --with-images %s | sed -n 's|^ */[A-Za-z0-9]*: \\([0-9]*\\) 0 R, .*|\\1|p' | head -1", pdf);
	char num[32];
	snprintf(num, sizeof num, "%d", atoi(r.out));
	qjt_run_free(&r);
	r = qjt_sh("qpdf --show-object=%s --filtered-stream-data %s > %s/img.raw", num, pdf, dir);
	qjt_run_free(&r);
	{
		char path[160], *d;
		struct stat st;
		snprintf(path, sizeof path, "%s/img.raw", dir);
		d = qjt_slurp(path);
		stat(path, &st);
		*len = (size_t)st.st_size;
		return d;
	}
}

static void test_pdfa__transparency_flattened_against_white(void **state)
{
	char pdf[160];
	unsigned char *px;
	size_t len;
	qjt_run r;
	(void)state;
	/* without --pdfa the alpha is a soft mask; with it there is none */
	r = qjt_sh("qpdf --qdf --object-streams=disable %s/alpha-plain.pdf - | grep -ac /SMask", dir);
	assert_true(atoi(r.out) > 0);
	qjt_run_free(&r);
	r = qjt_sh("qpdf --qdf --object-streams=disable %s/alpha.pdf - | grep -ac /SMask", dir);
	assert_int_equal(atoi(r.out), 0);
	qjt_run_free(&r);
	snprintf(pdf, sizeof pdf, "%s/alpha.pdf", dir);
	px = (unsigned char *)first_image(pdf, &len);
	assert_int_equal(len, 32 * 16 * 3);
	/* transparent red is white, half transparent pink, opaque red red */
	assert_memory_equal(px, "\xff\xff\xff", 3);
	assert_int_equal(px[16 * 3 + 0], 255);
	assert_in_range(px[16 * 3 + 1], 126, 128);
	assert_memory_equal(px + 31 * 3, "\xff\x00\x00", 3);
	free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdfa__preflight_passes_every_kind_and_language),
		cmocka_unit_test(test_pdfa__signed_and_pdfa_both_hold),
		cmocka_unit_test(test_pdfa__lang_in_every_pdf),
		cmocka_unit_test(test_pdfa__xmp_is_escaped_and_matches_info),
		cmocka_unit_test(test_pdfa__source_date_epoch_gives_the_same_bytes),
		cmocka_unit_test(test_pdfa__the_clock_dates_info_and_xmp_alike),
		cmocka_unit_test(test_pdfa__bad_source_date_epoch),
		cmocka_unit_test(test_pdfa__transparency_flattened_against_white),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
