/* test_batch: certificates at scale through build/qujat (src/batch): one
 * PDF per person named from a pattern, duplicate serials and file names,
 * --only, --jobs 2 byte for byte as --jobs 1, resuming (complete files
 * skipped, truncated or changed ones redone, --force), kill -9 and a
 * rerun, a bad person skipped with exit 1 and the manifest saying so,
 * progress only on a terminal, and GNU parallel over shards (deploy/). */
#include "qjtest.h"

#include <dirent.h>
#include <signal.h>

static const char *const serials[] = {"ҚЖ-2026-0001", "ҚЖ-2026-0002", "ҚЖ-2026-0003",
				      "ҚЖ-2026-0004", "ҚЖ-2026-0005", "ҚЖ-2026-0006",
				      "ҚЖ-2026-0007"};

/* The header of a roster, for rosters made by the tests. */
#define HEAD "<roster lang='kk' issued='2026-11-20' city='Астана'>\n" \
	     "<organization>Орталық</organization>\n" \
	     "<programme hours='72'>Әлеуметтік жұмыс</programme>\n" \
	     "<signer role='director' name='Гүлнар Әлімжанова'/>\n"

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Runs "qujat ARGS" (the build's binary) in dir, for paths relative to it. */
static qjt_run qujat_in(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static qjt_run qujat_in(const char *dir, const char *fmt, ...)
{
	char args[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	return qjt_sh("cd %s && %s/%s %s", dir, getenv("PWD"), qjt_bin(), args);
}

/* The number of entries of dir whose name contains part. */
static int count_in(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strstr(e->d_name, part))
			n++;
	closedir(d);
	return n;
}

/* Whether the file ends with "%%EOF" (and a newline). */
static int ends_with_eof(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char tail[33] = "";
	size_t n = 0;
	if (!fp)
		return 0;
	if (fseek(fp, -32, SEEK_END) == 0)
		n = fread(tail, 1, 32, fp);
	fclose(fp);
	tail[n] = 0;
	return n == 32 && strstr(tail, "%%EOF") != NULL;
}

/* -o DIR/: one sound PDF per person named from the serial, the person's
 * name in it; the summary line on stderr; nothing on stdout. */
/* Whether the text of the PDF at path holds s. */
static int pdf_has(const char *path, const char *s)
{
	char *text = qjt_pdftotext(path);
	int yes = text && strstr(text, s) != NULL;
	free(text);
	return yes;
}

static void test_batch__per_person_files(void **state)
{
	char dir[64], pdf[256], *text;
	size_t i;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("%s certificates examples/roster.xml -o %s/certs/", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "qujat: 7 produced, 0 skipped, 0 failed, 7 pages"));
	assert_null(strchr(r.err, '\r')); /* not a terminal: no progress line */
	qjt_run_free(&r);
	snprintf(pdf, sizeof pdf, "%s/certs", dir);
	assert_int_equal(count_in(pdf, ".pdf"), 7);
	for (i = 0; i < 7; i++) {
		snprintf(pdf, sizeof pdf, "%s/certs/%s.pdf", dir, serials[i]);
		qjt_assert_pdf_sound(pdf);
		assert_int_equal(qjt_pdf_page_count(pdf), 1);
		text = qjt_pdftotext(pdf);
		assert_non_null(strstr(text, serials[i]));
		free(text);
	}
	/* the last person's own hours, from its attribute */
	text = qjt_pdftotext(pdf);
	assert_non_null(strstr(text, "Айдос Бекұлы Ыбыраев"));
	assert_non_null(strstr(text, "36"));
	free(text);
	/* --quiet: nothing at all */
	r = qjt_sh("%s certificates examples/roster.xml -q --force -o %s/certs/", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
}

/* Two persons with one serial: the second is an error naming the first's
 * line, the first is made, exit 1; the manifest says which. */
static void test_batch__duplicate_serial(void **state)
{
	char dir[64], path[256], *m;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	write_file(path, HEAD "<person serial='A-1' name='Әсел'/>\n<person serial='A-2' name='Бота'/>\n"
			      "<person serial='A-1' name='Ерлан'/>\n</roster>\n");
	r = qujat_in(dir, "certificates r.xml -o out/ --manifest m.csv");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "r.xml:7: error: person 'A-1': duplicate person serial 'A-1' "
				      "(first used at line 5)"));
	assert_non_null(strstr(r.err, "2 produced, 0 skipped, 1 failed"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/out/A-1.pdf", dir);
	assert_true(pdf_has(path, "Әсел"));
	snprintf(path, sizeof path, "%s/m.csv", dir);
	m = qjt_slurp(path);
	assert_non_null(m);
	assert_string_equal(m, "serial,output,status,message\n"
			       "A-1,out/A-1.pdf,ok,\n"
			       "A-2,out/A-2.pdf,ok,\n"
			       "A-1,out/A-1.pdf,failed,duplicate person serial 'A-1' (first used at line 5)\n");
	free(m);
	/* a combined PDF is all or nothing: exit 2, nothing written */
	r = qujat_in(dir, "certificates r.xml -o all.pdf");
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "r.xml:7: error: duplicate person serial 'A-1'"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/all.pdf", dir);
	assert_false(qjt_exists(path));
}

/* --name: placeholders of the person, made safe; two persons that come to
 * one file name are an error for the second; a missing attribute is one. */
/* What --jobs 3 says on stderr is what --jobs 1 says, line for line and
 * in the roster's order, whichever worker made which person: persons with
 * a bad value, a repeated serial and no attribute for --name among good
 * ones. Only the seconds of the summary differ. */
static void test_batch__jobs_3_says_what_jobs_1_says(void **state)
{
	char dir[64], path[256], line[160], *a, *b;
	FILE *fp;
	int i;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(HEAD, fp);
	for (i = 0; i < 24; i++) {
		if (i % 5 == 1)
			snprintf(line, sizeof line, "<person serial='B-%02d' name='Бота' hours='%dx'/>\n", i, i);
		else if (i % 7 == 3)
			snprintf(line, sizeof line, "<person serial='B-%02d' name='Ерлан'/>\n", i - 3);
		else if (i % 6 == 4)
			snprintf(line, sizeof line, "<person serial='B-%02d'/>\n", i);
		else if (i == 12) /* a Latin x: a warning of this person's, said once */
			snprintf(line, sizeof line, "<person serial='B-%02d' name='Әсел Өмірбекоxа'/>\n", i);
		else
			snprintf(line, sizeof line, "<person serial='B-%02d' name='Әсел'/>\n", i);
		fputs(line, fp);
	}
	fputs("</roster>\n", fp);
	fclose(fp);
	for (i = 1; i <= 3; i += 2) {
		r = qujat_in(dir, "certificates r.xml -o j%d/ -j %d --name '{name}-{serial}' "
			     "2> e%d; test $? = 1 && sed 's/pages, [0-9.]* s$/pages/' e%d > s%d", i, i, i, i, i);
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
	}
	snprintf(path, sizeof path, "%s/s1", dir);
	a = qjt_slurp(path);
	snprintf(path, sizeof path, "%s/s3", dir);
	b = qjt_slurp(path);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	/* and it is the roster's order: the first person's error first */
	assert_non_null(strstr(a, "r.xml:6: error: person 'B-01': "));
	assert_true(strstr(a, "r.xml:6: ") < strstr(a, "r.xml:8: error: person 'B-00': duplicate"));
	assert_true(strstr(a, "r.xml:8: ") < strstr(a, "r.xml:9: error: person 'B-04': "));
	assert_true(strstr(a, "r.xml:9: ") < strstr(a, "r.xml:11: "));
	assert_non_null(strstr(a, "qujat: 14 produced, 0 skipped, 10 failed, 14 pages\n"));
	assert_non_null(strstr(a, "r.xml:17: warning: person 'B-12': Latin look-alike"));
	assert_null(strstr(strstr(a, "Latin look-alike") + 1, "Latin look-alike"));
	free(a);
	free(b);
}

/* A serial a spreadsheet would run as a formula is written to the
 * manifest as text (a leading apostrophe); a negative number is not. */
static void test_batch__manifest_runs_no_formula(void **state)
{
	char dir[64], path[256], *m;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	write_file(path, HEAD "<person serial='=HYPERLINK(\"http://x\",\"a\")' name='Әсел'/>\n"
			      "<person serial='-12' name='Бота'/>\n<person serial='+1' name='Ерлан'/>\n"
			      "<person serial='@SUM(1)' name='Дана'/>\n</roster>\n");
	r = qujat_in(dir, "certificates r.xml -o out/ -q --manifest m.csv");
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/m.csv", dir);
	m = qjt_slurp(path);
	assert_non_null(m);
	assert_string_equal(m, "serial,output,status,message\n"
			       "\"'=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\",\"out/=HYPERLINK(_http_x_,_a_).pdf\",ok,\n"
			       "-12,out/12.pdf,ok,\n"
			       "'+1,out/+1.pdf,ok,\n"
			       "'@SUM(1),out/@SUM(1).pdf,ok,\n");
	free(m);
}

/* --manifest replaces only a manifest: named at the roster, an image, a
 * certificate of this run or the combined PDF, it is refused (exit 3)
 * before anything is made, and the file is as it was. */
static void test_batch__manifest_never_over_another_file(void **state)
{
	static const struct {
		const char *out, *manifest, *msg;
	} cases[] = {
		{"out/", "r.xml", "r.xml: error: refusing to write the manifest over a file that is not one"},
		{"out/", "x.png", "x.png: error: refusing to write the manifest over a file that is not one"},
		{"out/", "out/A-1.pdf", "out/A-1.pdf: error: refusing to write the manifest where this run "
					"writes its PDFs"},
		{"all.pdf", "./all.pdf", "./all.pdf: error: refusing to write the manifest over the PDF of "
					 "this run"},
	};
	char dir[64], path[256], *before, *after;
	size_t i;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	write_file(path, HEAD "<person serial='A-1' name='Әсел'/>\n</roster>\n");
	snprintf(path, sizeof path, "%s/x.png", dir);
	write_file(path, "\x89PNG not really\n");
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, cases[i].manifest);
		before = qjt_slurp(path);
		r = qujat_in(dir, "certificates r.xml -o %s -q --manifest %s", cases[i].out, cases[i].manifest);
		assert_int_equal(r.code, 3);
		if (!strstr(r.err, cases[i].msg))
			fail_msg("--manifest %s: expected '%s' in:\n%s", cases[i].manifest, cases[i].msg, r.err);
		qjt_run_free(&r);
		after = qjt_slurp(path);
		if (before || after)
			assert_string_equal(before, after);
		free(before);
		free(after);
	}
	snprintf(path, sizeof path, "%s/all.pdf", dir);
	assert_false(qjt_exists(path));
	/* a manifest is replaced by the next one */
	r = qjt_sh("cd %s && %s/%s certificates r.xml -o out/ -q --manifest m.csv && "
		   "%s/%s certificates r.xml -o out/ -q --manifest m.csv && cat m.csv",
		   dir, getenv("PWD"), qjt_bin(), getenv("PWD"), qjt_bin());
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "serial,output,status,message\nA-1,out/A-1.pdf,skipped,complete\n");
	qjt_run_free(&r);
}

/* A combined PDF into a directory that does not exist: the message says
 * so, exit 3, and the summary counts no page written. */
static void test_batch__combined_into_a_missing_directory(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qujat_in(dir, "certificates %s/examples/roster.xml -o nodir/c.pdf", getenv("PWD"));
	assert_int_equal(r.code, 3);
	assert_non_null(strstr(r.err, "nodir/c.pdf: error: cannot write: the directory 'nodir' does not "
				      "exist\n"));
	assert_non_null(strstr(r.err, "qujat: 0 produced, 0 skipped, 7 failed, 0 pages, "));
	qjt_run_free(&r);
	r = qjt_sh("ls -A %s", dir);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
	/* standard output full */
	r = qjt_sh("%s certificates examples/roster.xml -o - > /dev/full", qjt_bin());
	assert_int_equal(r.code, 3);
	assert_non_null(strstr(r.err, "qujat: error: cannot write to stdout: "));
	qjt_run_free(&r);
}

/* Serials seen are kept in a table that grows as the roster does (in
 * place): after 15,000 people and four growths a repeated serial is still
 * found, each with the line of its first use, wherever in the table that
 * one went. --only keeps the run short: every serial is still seen. */
static void test_batch__duplicate_serial_in_a_long_roster(void **state)
{
	static const int again[] = {0, 1, 819, 820, 1023, 1024, 6553, 13107, 14999};
	char dir[64], path[256], only[512] = "", want[256];
	size_t len = 0, i;
	FILE *fp;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(HEAD, fp);
	for (i = 0; i < 15000; i++) /* person i on line 5 + i */
		fprintf(fp, "<person serial='S-%05zu' name='Әсел'/>\n", i);
	for (i = 0; i < sizeof again / sizeof *again; i++) {
		fprintf(fp, "<person serial='S-%05d' name='Бота'/>\n", again[i]);
		len += (size_t)snprintf(only + len, sizeof only - len, "%sS-%05d", i ? "," : "", again[i]);
	}
	fputs("</roster>\n", fp);
	fclose(fp);
	r = qujat_in(dir, "certificates r.xml -o out/ --jobs 1 --only %s", only);
	assert_int_equal(r.code, 1);
	for (i = 0; i < sizeof again / sizeof *again; i++) {
		snprintf(want, sizeof want,
			 "r.xml:%zu: error: person 'S-%05d': duplicate person serial 'S-%05d' "
			 "(first used at line %d)\n",
			 15005 + i, again[i], again[i], 5 + again[i]);
		assert_non_null(strstr(r.err, want));
	}
	snprintf(want, sizeof want, "%zu produced, 0 skipped, %zu failed", sizeof again / sizeof *again,
		 sizeof again / sizeof *again);
	assert_non_null(strstr(r.err, want));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/out/S-13107.pdf", dir);
	assert_true(pdf_has(path, "Әсел"));
}

static void test_batch__name_patterns(void **state)
{
	char dir[64], path[256];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	write_file(path, HEAD "<person serial='A/1' name='Әсел Өмірбекова' position='әлеуметтік қызметкер'/>\n"
			      "<person serial='..:B*2' name='Бота'/>\n"
			      "<person serial='A_1' name='Ерлан'/>\n</roster>\n");
	r = qujat_in(dir, "certificates r.xml -o out/ --name '{n}-{serial}-{name}'");
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/out/1-A_1-Әсел_Өмірбекова.pdf", dir);
	qjt_assert_pdf_sound(path);
	snprintf(path, sizeof path, "%s/out/2-.._B_2-Бота.pdf", dir);
	assert_true(qjt_exists(path));
	snprintf(path, sizeof path, "%s/out", dir);
	assert_int_equal(count_in(path, ".pdf"), 3);
	/* {serial} alone: 'A/1' and 'A_1' are both A_1.pdf */
	r = qujat_in(dir, "certificates r.xml -o two/");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "r.xml:7: error: person 'A_1': its file two/A_1.pdf is also "
				      "that of line 5"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/two/B_2.pdf", dir);
	assert_true(qjt_exists(path));
	/* the other way round: a safe serial first, then one made safe into
	 * the same name; and two people of one name under --name '{name}' */
	snprintf(path, sizeof path, "%s/r2.xml", dir);
	write_file(path, HEAD "<person serial='A_1' name='Ерлан'/>\n<person serial='A/1' name='Ерлан'/>\n"
			      "<person serial='C-3' name='Дана'/>\n</roster>\n");
	r = qujat_in(dir, "certificates r2.xml -o four/");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "r2.xml:6: error: person 'A/1': its file four/A_1.pdf is also "
				      "that of line 5"));
	assert_non_null(strstr(r.err, "2 produced, 0 skipped, 1 failed"));
	qjt_run_free(&r);
	r = qujat_in(dir, "certificates r2.xml -o five/ --name '{name}'");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "r2.xml:6: error: person 'A/1': its file five/Ерлан.pdf is also "
				      "that of line 5"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/five", dir);
	assert_int_equal(count_in(path, ".pdf"), 2);
	/* an attribute a person lacks */
	r = qujat_in(dir, "certificates r.xml -o three/ --name '{position}'");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "r.xml:6: error: person '..:B*2': --name '{position}': no "
				      "position= to name the file with"));
	qjt_run_free(&r);
	/* --name is for directories */
	r = qjt_sh("%s certificates examples/roster.xml -o %s/x.pdf --name '{serial}'", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "--name names the files of -o DIR/"));
	qjt_run_free(&r);
}

/* --only: those persons alone; an unknown serial is an error naming it
 * before anything is written. */
static void test_batch__only(void **state)
{
	char dir[64], path[256];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("%s certificates examples/roster.xml -o %s/o/ --only ҚЖ-2026-0003,ҚЖ-2026-0006",
		   qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "2 produced"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/o", dir);
	assert_int_equal(count_in(path, ".pdf"), 2);
	snprintf(path, sizeof path, "%s/o/ҚЖ-2026-0006.pdf", dir);
	assert_true(pdf_has(path, "Мөлдір Ғаниқызы Сәрсенбаева"));
	r = qjt_sh("%s certificates examples/roster.xml -o %s/u/ --only ҚЖ-2026-0003,ҚЖ-9999",
		   qjt_bin(), dir);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "examples/roster.xml: error: no person 'ҚЖ-9999' (--only)"));
	assert_null(strstr(r.err, "'ҚЖ-2026-0003' (--only)"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/u", dir);
	assert_int_equal(count_in(path, ".pdf"), 0);
	/* the combined form: one page */
	r = qjt_sh("%s certificates examples/roster.xml -o %s/one.pdf --only ҚЖ-2026-0004", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/one.pdf", dir);
	assert_int_equal(qjt_pdf_page_count(path), 1);
}

/* --jobs 2 writes the files of --jobs 1, byte for byte, and the same
 * manifest; the display lists of the persons are those of the combined
 * run. */
static void test_batch__jobs_2_is_jobs_1(void **state)
{
	char dir[64], a[256], b[256];
	qjt_run r;
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	/* one date in both runs: the PDFs carry their creation time */
	r = qjt_sh("export SOURCE_DATE_EPOCH=1700000000; "
		   "%s certificates examples/roster.xml -q -j 1 -o %s/j1/ --manifest %s/j1.csv && "
		   "%s certificates examples/roster.xml -q -j 2 -o %s/j2/ --manifest %s/j2.csv",
		   qjt_bin(), dir, dir, qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	for (i = 0; i < 7; i++) {
		char *x, *y;
		snprintf(a, sizeof a, "%s/j1/%s.pdf", dir, serials[i]);
		snprintf(b, sizeof b, "%s/j2/%s.pdf", dir, serials[i]);
		r = qjt_sh("cmp '%s' '%s'", a, b);
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		x = qjt_slurp(a);
		assert_non_null(x);
		free(x);
		(void)y;
	}
	r = qjt_sh("sed 's/j1/jX/' %s/j1.csv > %s/a && sed 's/j2/jX/' %s/j2.csv > %s/b && cmp %s/a %s/b",
		   dir, dir, dir, dir, dir, dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	/* the per-person display lists, one after the other, are the
	 * combined one's pages */
	r = qjt_sh("%s certificates examples/roster.xml -q --dump -o %s/d/ | grep -v '^page\\|^bookmark' > %s/d1 && "
		   "%s certificates examples/roster.xml -q --dump -o %s/c.pdf | grep -v '^page\\|^bookmark' > %s/d2 && "
		   "cmp %s/d1 %s/d2 && test -s %s/d1",
		   qjt_bin(), dir, dir, qjt_bin(), dir, dir, dir, dir, dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

/* A second run skips the complete files; a truncated one and a changed
 * person are made again; --force makes them all. */
static void test_batch__resume(void **state)
{
	char dir[64], path[256], *before;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	r = qjt_sh("cp examples/roster.xml %s && cp examples/emblem.png %s", path, dir);
	qjt_run_free(&r);
	r = qjt_sh("%s certificates %s -o %s/o/", qjt_bin(), path, dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("%s certificates %s -o %s/o/ --manifest %s/m.csv", qjt_bin(), path, dir, dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "0 produced, 7 skipped, 0 failed"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/m.csv", dir);
	before = qjt_slurp(path);
	assert_non_null(strstr(before, "ҚЖ-2026-0004,"));
	assert_non_null(strstr(before, ",skipped,complete\n"));
	free(before);
	/* a truncated PDF (a crash of another program, a full disk) */
	snprintf(path, sizeof path, "%s/o/ҚЖ-2026-0002.pdf", dir);
	r = qjt_sh("truncate -s 5000 '%s'", path);
	qjt_run_free(&r);
	assert_false(ends_with_eof(path));
	/* a person whose name was corrected */
	r = qjt_sh("sed -i 's/Мөлдір Ғаниқызы/Мөлдір Ғаниқызы Ғ./' %s/r.xml", dir);
	qjt_run_free(&r);
	r = qjt_sh("%s certificates %s/r.xml -o %s/o/", qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "2 produced, 5 skipped, 0 failed"));
	qjt_run_free(&r);
	qjt_assert_pdf_sound(path);
	snprintf(path, sizeof path, "%s/o/ҚЖ-2026-0006.pdf", dir);
	assert_true(pdf_has(path, "Ғаниқызы Ғ."));
	/* another language is another certificate */
	r = qjt_sh("%s certificates %s/r.xml --lang ru -o %s/o/", qjt_bin(), dir, dir);
	assert_non_null(strstr(r.err, "7 produced, 0 skipped"));
	qjt_run_free(&r);
	r = qjt_sh("%s certificates %s/r.xml --lang ru --force -o %s/o/", qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "7 produced, 0 skipped"));
	qjt_run_free(&r);
	/* archival files asked for are archival files, not the plain ones */
	r = qjt_sh("%s certificates %s/r.xml --lang ru --pdfa -o %s/o/", qjt_bin(), dir, dir);
	assert_non_null(strstr(r.err, "7 produced, 0 skipped"));
	qjt_run_free(&r);
	r = qjt_sh("pdfinfo %s/o/ҚЖ-2026-0001.pdf | grep -c 'Metadata Stream: *yes'", dir);
	assert_string_equal(r.out, "1\n");
	qjt_run_free(&r);
	/* another emblem image under the same name: every certificate again */
	r = qjt_sh("cp tests/data/img/$(ls tests/data/img | grep -m1 '\\.png$') %s/emblem.png && "
		   "%s certificates %s/r.xml --lang ru --pdfa -o %s/o/",
		   dir, qjt_bin(), dir, dir);
	assert_non_null(strstr(r.err, "7 produced, 0 skipped"));
	qjt_run_free(&r);
	/* the fonts directory by what it is, however it is spelled */
	r = qjt_sh("%s certificates %s/r.xml --lang ru --pdfa --fonts fonts -o %s/o/ && "
		   "%s certificates %s/r.xml --lang ru --pdfa --fonts ./fonts/ -o %s/o/",
		   qjt_bin(), dir, dir, qjt_bin(), dir, dir);
	assert_non_null(strstr(r.err, "0 produced, 7 skipped"));
	qjt_run_free(&r);
}

/* kill -9 in the middle of a run: no path holds half a PDF; the next run
 * removes the temporaries and completes the rest. */
static void test_batch__kill_9_then_rerun(void **state)
{
	char dir[64], path[512], out[256];
	FILE *fp;
	DIR *d;
	struct dirent *e;
	qjt_run r;
	int i, n;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/big.xml", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(HEAD, fp);
	for (i = 0; i < 400; i++)
		fprintf(fp, "<person serial='K-%04d' name='Әсел Өмірбекова %d'/>\n", i, i);
	fputs("</roster>\n", fp);
	fclose(fp);
	snprintf(out, sizeof out, "%s/o", dir);
	/* started, killed once some files are there, a temporary left where
	 * one is being written (made by hand if the kill fell between two) */
	r = qjt_sh("%s certificates %s -q -j 2 -o %s/ & p=$!; "
		   "while [ $(ls %s 2>/dev/null | grep -c 'pdf$') -lt 20 ]; do sleep 0.05; done; "
		   "kill -9 $p; wait $p; sleep 0.3; : > '%s/K-0399.pdf.tmp.AbC123'; true",
		   qjt_bin(), path, out, out, out);
	qjt_run_free(&r);
	n = count_in(out, ".pdf");
	assert_true(n >= 20 && n < 400 + 3);
	d = opendir(out);
	while ((e = readdir(d))) {
		char f[512];
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 4, ".pdf"))
			continue;
		snprintf(f, sizeof f, "%s/%s", out, e->d_name);
		if (!ends_with_eof(f))
			fail_msg("half a PDF at %s", f);
	}
	closedir(d);
	assert_true(count_in(out, ".tmp.") >= 1);
	r = qjt_sh("%s certificates %s -o %s/", qjt_bin(), path, out);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, " 0 failed, "));
	assert_null(strstr(r.err, "400 produced"));
	qjt_run_free(&r);
	assert_int_equal(count_in(out, ".pdf"), 400);
	assert_int_equal(count_in(out, ".tmp."), 0);
	/* a temporary beside a complete file (a kill just after its rename)
	 * goes too, though the file is only skipped */
	snprintf(path, sizeof path, "%s/K-0007.pdf.tmp.Zz9876", out);
	write_file(path, "half");
	r = qjt_sh("%s certificates %s/big.xml -q -o %s/", qjt_bin(), dir, out);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	assert_false(qjt_exists(path));
	/* other files that only look alike are not qujat's: left alone */
	snprintf(path, sizeof path, "%s/notes.tmp.txt", out);
	write_file(path, "x");
	r = qjt_sh("%s certificates %s/big.xml -q -o %s/", qjt_bin(), dir, out);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	assert_true(qjt_exists(path));
}

/* A person with an error is reported at its line, named, and skipped; the
 * others are made; exit 1; the manifest has every person. A header error
 * stops the run (exit 2) after every person was checked too. */
static void test_batch__bad_person_skipped(void **state)
{
	char dir[64], path[256], *m;
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/r.xml", dir);
	write_file(path, HEAD "<person serial='ҚЖ-2026-0041' name='Әсел'/>\n"
			      "<person serial='ҚЖ-2026-0042' name='Бота' hours='7two'/>\n"
			      "<person serial='ҚЖ-2026-0043' name='Ерлан' hours='20000'/>\n"
			      "<person serial='ҚЖ-2026-0044' name='Дана'/>\n</roster>\n");
	r = qujat_in(dir, "certificates r.xml -o out/ --manifest out/m.csv -j 2");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "r.xml:6: error: person 'ҚЖ-2026-0042': <person> hours=\"7two\" "
				      "is not a whole number (1 or more)\n"));
	/* a message that names the person already is not prefixed again */
	assert_non_null(strstr(r.err, "r.xml:7: error: hours '20000' of person 'ҚЖ-2026-0043' are not "
				      "a whole number from 1 to 10000\n"));
	assert_non_null(strstr(r.err, "2 produced, 0 skipped, 2 failed, 2 pages"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/out", dir);
	assert_int_equal(count_in(path, ".pdf"), 2);
	snprintf(path, sizeof path, "%s/out/m.csv", dir);
	m = qjt_slurp(path);
	assert_non_null(m);
	assert_non_null(strstr(m, "ҚЖ-2026-0041,out/ҚЖ-2026-0041.pdf,ok,\n"
				  "ҚЖ-2026-0042,out/ҚЖ-2026-0042.pdf,failed,"));
	assert_non_null(strstr(m, "\nҚЖ-2026-0043,out/ҚЖ-2026-0043.pdf,failed,hours '20000' of person "
				  "'ҚЖ-2026-0043' are not a whole number from 1 to 10000\n"
				  "ҚЖ-2026-0044,out/ҚЖ-2026-0044.pdf,ok,\n"));
	free(m);
	/* the header: reported once, and the persons' own errors too */
	snprintf(path, sizeof path, "%s/h.xml", dir);
	write_file(path, "<roster issued='2026-13-20'>\n<organization>О</organization>\n"
			 "<programme hours='72'>П</programme>\n<signer role='director' name='Г'/>\n"
			 "<person serial='1' name='А' hours='x'/>\n<person serial='2' name='Б'/>\n"
			 "<person serial='3' name='В' hours='y'/>\n</roster>\n");
	r = qujat_in(dir, "certificates h.xml -o hout/ -j 2");
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "h.xml:1: error: "));
	assert_non_null(strstr(r.err, "h.xml:5: error: person '1': "));
	assert_non_null(strstr(r.err, "h.xml:7: error: person '3': "));
	assert_null(strstr(strstr(r.err, "h.xml:1: error: ") + 1, "h.xml:1: error: Type date"));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/hout", dir);
	assert_int_equal(count_in(path, ".pdf"), 0);
}

/* The progress line: drawn on a terminal (under script(1)), never off one. */
static void test_batch__progress_only_on_a_terminal(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("command -v script");
	if (r.code != 0) {
		qjt_run_free(&r);
		skip();
	}
	qjt_run_free(&r);
	r = qjt_sh("script -qec '%s certificates examples/roster.xml -o %s/t/' /dev/null", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "/ 7, "));
	assert_non_null(strstr(r.out, "\r"));
	assert_non_null(strstr(r.out, "qujat: 7 produced"));
	qjt_run_free(&r);
	r = qjt_sh("script -qec '%s certificates examples/roster.xml --force -q -o %s/t/' /dev/null",
		   qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_null(strstr(r.out, "/ 7, "));
	assert_null(strstr(r.out, "produced"));
	qjt_run_free(&r);
}

/* GNU parallel runs the shards (deploy/parallel-local.sh): their union is
 * the whole roster, every person once; a rerun resumes. */
static void test_batch__gnu_parallel_shards(void **state)
{
	char dir[64], path[256];
	qjt_run r;
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("command -v parallel");
	if (r.code != 0) {
		qjt_run_free(&r);
		fail_msg("GNU parallel is not installed (scripts/deps.sh installs it)");
	}
	qjt_run_free(&r);
	r = qjt_sh("QUJAT=%s/%s deploy/parallel-local.sh examples/roster.xml %s/p 3", getenv("PWD"),
		   qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/p", dir);
	assert_int_equal(count_in(path, ".pdf"), 7);
	assert_int_equal(count_in(path, "manifest-"), 3);
	/* every serial in exactly one shard's manifest, as ok */
	for (i = 0; i < 7; i++) {
		r = qjt_sh("cat %s/p/manifest-*.csv | grep -c '^%s,.*,ok,$'", dir, serials[i]);
		assert_string_equal(r.out, "1\n");
		qjt_run_free(&r);
		/* shard k of 3 holds persons k, k+3, … */
		r = qjt_sh("grep -l '^%s,' %s/p/manifest-*.csv", serials[i], dir);
		snprintf(path, sizeof path, "manifest-%d.csv", (int)(i % 3) + 1);
		assert_non_null(strstr(r.out, path));
		qjt_run_free(&r);
	}
	r = qjt_sh("cut -f7 %s/p/joblog | tail -n +2 | sort | uniq -c | tr -s ' '", dir);
	assert_string_equal(r.out, " 3 0\n");
	qjt_run_free(&r);
	/* again: the joblog has them all done, nothing runs */
	r = qjt_sh("QUJAT=%s/%s deploy/parallel-local.sh examples/roster.xml %s/p 3 && "
		   "tail -n +2 %s/p/joblog | wc -l", getenv("PWD"), qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "3\n");
	qjt_run_free(&r);
}

/* --shard-index I/N is --shard I+1/N; both are usage errors out of range. */
static void test_batch__shard_index(void **state)
{
	char dir[64], a[256], b[256];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("export SOURCE_DATE_EPOCH=1700000000; "
		   "%s certificates examples/roster.xml --shard-index 0/2 -o %s/a.pdf && "
		   "%s certificates examples/roster.xml --shard 1/2 -o %s/b.pdf",
		   qjt_bin(), dir, qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(a, sizeof a, "%s/a.pdf", dir);
	snprintf(b, sizeof b, "%s/b.pdf", dir);
	assert_int_equal(qjt_pdf_page_count(a), 4);
	r = qjt_sh("cmp %s %s", a, b);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml --shard-index 2/2 -o %s/x.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "--shard-index wants I/N with 0 <= I < N, not '2/2'"));
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml --jobs 0 -o %s/x/", qjt_bin(), dir);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "--jobs wants a number from 1 to 256, not '0'"));
	qjt_run_free(&r);
}

/* A person whose certificate runs past its one page is reported (a value
 * too long for the page), in both modes; the PDFs are still written. */
static void test_batch__more_pages_than_one_reported(void **state)
{
	char dir[64], path[256];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	{
		/* the first person's name 3,000 words long */
		const char *name = "name=\"Әсел Қайратқызы Өмірбекова\"";
		char *x = qjt_slurp("examples/roster.xml"), *at, *big;
		size_t i, n;
		assert_non_null(x);
		at = strstr(x, name);
		assert_non_null(at);
		n = strlen(x) + 3000 * strlen("Әсел ") + 16;
		big = malloc(n);
		assert_non_null(big);
		snprintf(big, n, "%.*sname=\"", (int)(at - x), x);
		for (i = 0; i < 3000; i++)
			strcat(big, "Әсел ");
		strcat(big, "x\"");
		strcat(big, at + strlen(name));
		snprintf(path, sizeof path, "%s/r.xml", dir);
		write_file(path, big);
		free(big);
		free(x);
	}
	r = qjt_sh("cp examples/emblem.png %s/", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("%s certificates %s/r.xml -o %s/one.pdf", qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	if (!strstr(r.err, "warning: person 'ҚЖ-2026-0001' takes ") ||
	    !strstr(r.err, " pages, not 1 (a value too long for the page?)"))
		fail_msg("%s", r.err);
	qjt_run_free(&r);
	r = qjt_sh("%s certificates %s/r.xml -q -o %s/d/", qjt_bin(), dir, dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.err, "warning: person 'ҚЖ-2026-0001': takes "));
	qjt_run_free(&r);
	snprintf(path, sizeof path, "%s/d/ҚЖ-2026-0002.pdf", dir);
	assert_int_equal(qjt_pdf_page_count(path), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch__per_person_files),
		cmocka_unit_test(test_batch__more_pages_than_one_reported),
		cmocka_unit_test(test_batch__duplicate_serial),
		cmocka_unit_test(test_batch__duplicate_serial_in_a_long_roster),
		cmocka_unit_test(test_batch__manifest_runs_no_formula),
		cmocka_unit_test(test_batch__manifest_never_over_another_file),
		cmocka_unit_test(test_batch__combined_into_a_missing_directory),
		cmocka_unit_test(test_batch__name_patterns),
		cmocka_unit_test(test_batch__only),
		cmocka_unit_test(test_batch__jobs_2_is_jobs_1),
		cmocka_unit_test(test_batch__jobs_3_says_what_jobs_1_says),
		cmocka_unit_test(test_batch__resume),
		cmocka_unit_test(test_batch__kill_9_then_rerun),
		cmocka_unit_test(test_batch__bad_person_skipped),
		cmocka_unit_test(test_batch__progress_only_on_a_terminal),
		cmocka_unit_test(test_batch__gnu_parallel_shards),
		cmocka_unit_test(test_batch__shard_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
