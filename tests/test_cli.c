/* test_cli: the command line through the binary ($QUJAT_BIN): help from
 * the option tables, --version, --opt=value, the nearest option for a typo,
 * -o into new directories, DIR/ and -, validate for every kind, the
 * document's language read one way for every kind, and the manual page and
 * README naming every option of every table. */
#include "qjtest.h"

#include "cli/cmds.h"

/* A scratch directory removed by rm_scratch. */
static char scratch[64];

static int setup(void **state)
{
	(void)state;
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

/* Asserts that text holds "--name" for every option of cmd, and -x for
 * each short form. */
static void assert_names_options(const char *text, const qj_command *cmd, const char *what)
{
	char want[64];
	int i;
	for (i = 0; cmd->options[i].name; i++) {
		snprintf(want, sizeof want, "--%s", cmd->options[i].name);
		if (!strstr(text, want))
			fail_msg("%s of %s does not name %s", what, cmd->name, want);
		if (cmd->options[i].short_name) {
			snprintf(want, sizeof want, "-%c, --%s", cmd->options[i].short_name,
				 cmd->options[i].name);
			if (!strstr(text, want))
				fail_msg("%s of %s does not name %s", what, cmd->name, want);
		}
	}
}

static void test_cli__help_forms_exit_0_and_list_every_option(void **state)
{
	const char *forms[] = {"%s %s --help", "%s help %s", "%s %s -h", "%s %s x --help"};
	char usage[64];
	qjt_run r, first;
	size_t f;
	int i;
	(void)state;
	for (i = 0; qj_commands[i]; i++) {
		const qj_command *cmd = qj_commands[i];
		snprintf(usage, sizeof usage, "usage: qujat %s ", cmd->name);
		first = qjt_sh("%s %s --help", qjt_bin(), cmd->name);
		for (f = 0; f < sizeof forms / sizeof *forms; f++) {
			r = qjt_sh(forms[f], qjt_bin(), cmd->name);
			assert_int_equal(r.code, 0);
			assert_string_equal(r.err, "");
			/* the same help whichever way it is asked for */
			assert_string_equal(r.out, first.out);
			qjt_run_free(&r);
		}
		assert_true(!strncmp(first.out, usage, strlen(usage)));
		assert_names_options(first.out, cmd, "--help");
		assert_non_null(strstr(first.out, "--help"));
		assert_non_null(strstr(first.out, "example"));
		assert_non_null(strstr(first.out, cmd->examples[0]));
		qjt_run_free(&first);
	}
	/* qujat --help: every command with every option */
	r = qjt_sh("%s --help", qjt_bin());
	assert_int_equal(r.code, 0);
	for (i = 0; qj_commands[i]; i++) {
		snprintf(usage, sizeof usage, "usage: qujat %s ", qj_commands[i]->name);
		assert_non_null(strstr(r.out, usage));
		assert_names_options(r.out, qj_commands[i], "qujat --help");
	}
	assert_non_null(strstr(r.out, "--version"));
	qjt_run_free(&r);
	/* without a command: the usage on stderr, exit 1 */
	r = qjt_sh("%s", qjt_bin());
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "usage: qujat COMMAND"));
	qjt_run_free(&r);
}

static void test_cli__version_names_the_four_libraries(void **state)
{
	const char *libs[][2] = {{"libxml2 ", "libxml-2.0"}, {"HarfBuzz ", "harfbuzz"},
				 {"ICU ", "icu-uc"}};
	char want[128];
	qjt_run r = qjt_sh("%s --version", qjt_bin()), p;
	size_t i;
	(void)state;
	assert_int_equal(r.code, 0);
	assert_true(!strncmp(r.out, "qujat " QJ_VERSION "\n", strlen("qujat " QJ_VERSION "\n")));
	assert_non_null(strstr(r.out, "\nlibharu 2.3.0\n"));
	/* the versions in use are those of the installed packages */
	for (i = 0; i < sizeof libs / sizeof *libs; i++) {
		p = qjt_sh("pkg-config --modversion %s", libs[i][1]);
		assert_int_equal(p.code, 0);
		snprintf(want, sizeof want, "\n%s%s", libs[i][0], p.out);
		assert_non_null(strstr(r.out, want));
		qjt_run_free(&p);
	}
	qjt_run_free(&r);
}

/* The display list of a command line (with --dump -o into the scratch). */
static char *dump(const char *cmd)
{
	qjt_run r = qjt_sh("QUJAT_TODAY=2026-11-23 %s %s --dump -o %s/d.pdf", qjt_bin(), cmd, scratch);
	if (r.code != 0)
		fail_msg("%s: exit %d: %s", cmd, r.code, r.err);
	free(r.err);
	return r.out;
}

static void test_cli__opt_equals_value(void **state)
{
	char *a, *b;
	qjt_run r;
	(void)state;
	/* --lang=ru is --lang ru, for every command that takes --lang */
	a = dump("certificates examples/roster.xml --lang=ru");
	b = dump("certificates examples/roster.xml --lang ru");
	assert_string_equal(a, b);
	free(a), free(b);
	a = dump("card standards/001.xml --card=1 --lang=ru");
	b = dump("card standards/001.xml --card 1 --lang ru");
	assert_string_equal(a, b);
	free(a), free(b);
	a = dump("plan examples/records/elderly-alone-kk.xml --lang=ru");
	b = dump("plan examples/records/elderly-alone-kk.xml --lang ru");
	assert_string_equal(a, b);
	free(a), free(b);
	r = qjt_sh("echo 'Tрудовая  функция' | %s text normalize --lang=ru", qjt_bin());
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "Трудовая функция\n");
	qjt_run_free(&r);
	r = qjt_sh("%s import tests/data/sources/002_efa396441f2b22fb.txt --lang=ru --id=77 "
		   "--output=%s/s.xml && grep -c 'id=\"77\"' %s/s.xml", qjt_bin(), scratch, scratch);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	/* -oFILE and --output=FILE (the same date: PDFs are dated) */
	r = qjt_sh("export SOURCE_DATE_EPOCH=1700000000; %s certificates examples/roster.xml "
		   "-o%s/a.pdf && %s certificates examples/roster.xml --output=%s/b.pdf", qjt_bin(),
		   scratch, qjt_bin(), scratch);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("cmp %s/a.pdf %s/b.pdf", scratch, scratch);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

static void test_cli__misspelt_option_names_the_nearest(void **state)
{
	static const struct {
		const char *args, *err;
	} rows[] = {
		{"card standards/001.xml --card 1 --lnag ru -o x.pdf",
		 "qujat card: error: unknown option '--lnag' (did you mean '--lang'?)\n"},
		{"plan examples/records/elderly-alone-kk.xml --outptu=x.pdf",
		 "qujat plan: error: unknown option '--outptu' (did you mean '--output'?)\n"},
		{"certificates examples/roster.xml --shrad 1/2 -o x.pdf",
		 "qujat certificates: error: unknown option '--shrad' (did you mean '--shard'?)\n"},
		{"text sort --lagn kk", "qujat text: error: unknown option '--lagn' (did you mean '--lang'?)\n"},
		{"import a.txt -x", "qujat import: error: unknown option '-x' (did you mean '-o'?)\n"},
		{"certificates examples/roster.xml --dump=yes -o x.pdf",
		 "qujat certificates: error: option '--dump' takes no value\n"},
		{"certificates examples/roster.xml -o", "qujat certificates: error: option '--output' needs a value"},
		{"validate", "qujat validate: error: missing FILE...\n"},
		{"list a.xml b.xml", "qujat list: error: too many arguments ('b.xml')\n"},
		{"card standards/001.xml --card 1 --lang de -o x.pdf",
		 "qujat card: error: unknown --lang 'de'; supported: kk ru en kk+ru\n"},
		{"cetrificates", "qujat: error: unknown command 'cetrificates' (did you mean 'certificates'?)\n"},
		{"certificates examples/roster.xml --shard 1/3 --shard 2/3 -o x.pdf",
		 "qujat certificates: error: option '--shard' given twice ('1/3', then '2/3')\n"},
		{"certificates examples/roster.xml --pass-file pw -o x.pdf",
		 "qujat certificates: error: --pass-file is the password of --sign KEY.p12, which is not "
		 "given\n"},
	};
	char bin[4096];
	size_t i;
	(void)state;
	assert_non_null(realpath(qjt_bin(), bin));
	for (i = 0; i < sizeof rows / sizeof *rows; i++) {
		/* in the scratch directory, to see that nothing is written */
		qjt_run r = qjt_sh("cd %s && %s %s", scratch, bin, rows[i].args);
		if (r.code != 1 || strncmp(r.err, rows[i].err, strlen(rows[i].err)))
			fail_msg("qujat %s: exit %d, stderr:\n%s", rows[i].args, r.code, r.err);
		qjt_run_free(&r);
	}
	/* nothing was written */
	{
		qjt_run r = qjt_sh("ls -A %s", scratch);
		assert_string_equal(r.out, "");
		qjt_run_free(&r);
	}
}

static void test_cli__o_into_new_nested_directories(void **state)
{
	char want[256];
	qjt_run r;
	(void)state;
	/* DIR/ names a directory, made with its parents: one PDF per person */
	r = qjt_sh("%s certificates examples/roster.xml -q -o %s/a/b/c/", qjt_bin(), scratch);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
	snprintf(want, sizeof want, "%s/a/b/c/ҚЖ-2026-0001.pdf", scratch);
	qjt_assert_pdf_sound(want);
	/* doubled and trailing slashes are not printed */
	r = qjt_sh("%s card standards/002.xml --card 13 -o %s/cards//", qjt_bin(), scratch);
	assert_int_equal(r.code, 0);
	snprintf(want, sizeof want, "%s/cards/002-13.pdf\n", scratch);
	assert_string_equal(r.out, want);
	qjt_run_free(&r);
	/* several records into a directory that does not exist yet */
	r = qjt_sh("QUJAT_TODAY=2026-11-23 %s plan examples/records/elderly-alone-kk.xml "
		   "examples/records/homelessness-ru.xml -o %s/p/q//", qjt_bin(), scratch);
	assert_int_equal(r.code, 0);
	assert_null(strstr(r.out, "//"));
	snprintf(want, sizeof want, "%s/p/q/", scratch);
	assert_non_null(strstr(r.out, want));
	qjt_run_free(&r);
	r = qjt_sh("ls %s/p/q | wc -l", scratch);
	assert_string_equal(r.out, "2\n");
	qjt_run_free(&r);
	/* one record with -o DIR/ goes into DIR too */
	r = qjt_sh("QUJAT_TODAY=2026-11-23 %s plan examples/records/elderly-alone-kk.xml -o %s/one/",
		   qjt_bin(), scratch);
	assert_int_equal(r.code, 0);
	snprintf(want, sizeof want, "%s/one/", scratch);
	assert_true(!strncmp(r.out, want, strlen(want)));
	assert_non_null(strstr(r.out, ".pdf\n"));
	qjt_run_free(&r);
}

static void test_cli__o_dash_writes_the_pdf_to_stdout(void **state)
{
	const char *cmds[] = {"certificates examples/roster.xml",
			      "card standards/001.xml --card 1",
			      "plan examples/records/elderly-alone-kk.xml"};
	char path[128];
	size_t i;
	qjt_run r;
	(void)state;
	for (i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		snprintf(path, sizeof path, "%s/out.pdf", scratch);
		/* its temporary file goes to $TMPDIR and is gone afterwards */
		r = qjt_sh("mkdir -p %s/t && QUJAT_TODAY=2026-11-23 TMPDIR=%s/t %s %s -o - > %s",
			   scratch, scratch, qjt_bin(), cmds[i], path);
		assert_int_equal(r.code, 0);
		qjt_run_free(&r);
		r = qjt_sh("head -c 5 %s; ls -A %s/t", path, scratch);
		assert_string_equal(r.out, "%PDF-");
		qjt_run_free(&r);
		qjt_assert_pdf_sound(path);
	}
	/* several plans cannot share standard output, nor can --dump */
	r = qjt_sh("%s plan examples/records/elderly-alone-kk.xml examples/records/homelessness-ru.xml "
		   "-o -", qjt_bin());
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
	r = qjt_sh("%s certificates examples/roster.xml --dump -o -", qjt_bin());
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	qjt_run_free(&r);
}

static void test_cli__validate_accepts_every_kind(void **state)
{
	char want[256];
	qjt_run r;
	(void)state;
	r = qjt_sh("%s validate examples/roster.xml", qjt_bin());
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
	r = qjt_sh("QUJAT_TODAY=2026-11-23 %s validate examples/roster.xml standards/001.xml "
		   "examples/records/elderly-alone-kk.xml", qjt_bin());
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	/* a roster with a misspelt element: the schema's error at its line */
	r = qjt_sh("sed 's/organization/organisation/g' examples/roster.xml > %s/r.xml && "
		   "%s validate %s/r.xml", scratch, qjt_bin(), scratch);
	assert_int_equal(r.code, 2);
	snprintf(want, sizeof want, "%s/r.xml:4: error: Did not expect element organisation", scratch);
	assert_non_null(strstr(r.err, want));
	qjt_run_free(&r);
	/* an unknown kind names every kind there is */
	r = qjt_sh("echo '<memo/>' > %s/m.xml && %s validate %s/m.xml", scratch, qjt_bin(), scratch);
	assert_int_equal(r.code, 2);
	snprintf(want, sizeof want, "%s/m.xml:1: error: unknown kind of document <memo> "
		 "(expected <roster>, <client-record> or <standard>)\n", scratch);
	assert_string_equal(r.err, want);
	qjt_run_free(&r);
}

/* Without --lang a document prints in its own language, read from the
 * attribute its kind names (lang on a roster, xml:lang on the others):
 * the same display list as with --lang ru, another than with --lang kk. */
static void test_cli__language_attribute_read_the_same_for_every_kind(void **state)
{
	char roster[128], *own, *ru, *kk;
	const char *docs[3];
	size_t i;
	qjt_run r;
	(void)state;
	snprintf(roster, sizeof roster, "%s/roster-ru.xml", scratch);
	r = qjt_sh("cp examples/emblem.png %s && "
		   "sed 's/<roster lang=\"kk\"/<roster lang=\"ru\"/' examples/roster.xml > %s && "
		   "grep -c '<roster lang=\"ru\"' %s", scratch, roster, roster);
	assert_string_equal(r.out, "1\n");
	qjt_run_free(&r);
	docs[0] = roster;
	docs[1] = "examples/records/early-development-ru.xml";
	docs[2] = "standards/002.xml --all";
	for (i = 0; i < 3; i++) {
		const char *cmd = i == 0 ? "certificates" : i == 1 ? "plan" : "card";
		char line[256];
		snprintf(line, sizeof line, "%s %s", cmd, docs[i]);
		own = dump(line);
		snprintf(line, sizeof line, "%s %s --lang ru", cmd, docs[i]);
		ru = dump(line);
		snprintf(line, sizeof line, "%s %s --lang kk", cmd, docs[i]);
		kk = dump(line);
		if (strcmp(own, ru) || !strcmp(own, kk))
			fail_msg("%s %s: the document's own language is not the one printed", cmd, docs[i]);
		free(own), free(ru), free(kk);
	}
}

/* The text of one section of a file: from the first line holding head
 * (after a line start) to the next line starting with stop. */
static char *section(const char *text, const char *head, const char *stop)
{
	const char *a = strstr(text, head), *b;
	char *s;
	if (!a)
		return NULL;
	b = strstr(a + strlen(head), stop);
	if (!b)
		b = a + strlen(a);
	s = strndup(a, (size_t)(b - a));
	return s;
}

/* Every option of every table is in its command's section of the manual
 * page (as \-\-name) and of the README (as --name). */
static void test_cli__every_option_is_documented(void **state)
{
	char *man = qjt_slurp("docs/qujat.1"), *readme = qjt_slurp("README.md"), head[64], want[64];
	int i, k;
	(void)state;
	assert_non_null(man);
	assert_non_null(readme);
	for (i = 0; qj_commands[i]; i++) {
		const qj_command *cmd = qj_commands[i];
		char *m, *rd;
		snprintf(head, sizeof head, "\n.SS %s\n", cmd->name);
		m = section(man, head, "\n.SS ");
		if (!m)
			fail_msg("docs/qujat.1 has no section for %s", cmd->name);
		/* the README section whose heading names the command */
		rd = NULL;
		{
			const char *p = readme;
			while ((p = strstr(p, "\n### "))) {
				const char *eol = strchr(p + 1, '\n');
				char line[128];
				snprintf(line, sizeof line, "%.*s", (int)(eol - p - 1), p + 1);
				if (strstr(line, cmd->name)) {
					rd = section(p, "\n### ", "\n## ");
					/* up to the next ### */
					if (rd && strstr(rd + 5, "\n### "))
						*strstr(rd + 5, "\n### ") = 0;
					break;
				}
				p = eol;
			}
		}
		if (!rd)
			fail_msg("README.md has no section for %s", cmd->name);
		for (k = 0; cmd->options[k].name; k++) {
			snprintf(want, sizeof want, "\\-\\-%s", cmd->options[k].name);
			if (!strstr(m, want))
				fail_msg("docs/qujat.1, %s: no %s", cmd->name, want);
			snprintf(want, sizeof want, "--%s", cmd->options[k].name);
			if (!strstr(rd, want))
				fail_msg("README.md, %s: no %s", cmd->name, want);
			if (cmd->options[k].short_name) {
				snprintf(want, sizeof want, "\\-%c", cmd->options[k].short_name);
				assert_non_null(strstr(m, want));
				snprintf(want, sizeof want, "-%c ", cmd->options[k].short_name);
				assert_non_null(strstr(rd, want));
			}
		}
		free(m);
		free(rd);
	}
	/* and the manual page renders without a warning */
	{
		qjt_run r = qjt_sh("groff -man -Tutf8 -ww docs/qujat.1 >/dev/null");
		assert_int_equal(r.code, 0);
		assert_string_equal(r.err, "");
		qjt_run_free(&r);
	}
	free(man);
	free(readme);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli__help_forms_exit_0_and_list_every_option),
		cmocka_unit_test(test_cli__version_names_the_four_libraries),
		cmocka_unit_test_setup_teardown(test_cli__opt_equals_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli__misspelt_option_names_the_nearest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli__o_into_new_nested_directories, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli__o_dash_writes_the_pdf_to_stdout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli__validate_accepts_every_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli__language_attribute_read_the_same_for_every_kind,
						setup, teardown),
		cmocka_unit_test(test_cli__every_option_is_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
