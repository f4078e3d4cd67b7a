/* test_sheet: spreadsheet rosters (src/sheet). Units: CSV quoting, BOM,
 * semicolons, line breaks in fields, Excel serial dates, shared and inline
 * strings. Through build/qujat: the shipped CSV and XLSX rosters give the
 * same display lists and text as examples/roster.xml, and every kind of bad
 * input exits 2 with a diagnostic naming the cell and writes nothing. XLSX
 * files are made with libzip in a private directory under $TMPDIR. */
#include "qjtest.h"

#include <zip.h>

#include "sheet/sheet.h"
#include "xml/xml.h"

static char tmp[512]; /* this run's directory, removed at the end */

static int group_setup(void **state)
{
	const char *t = getenv("TMPDIR");
	(void)state;
	snprintf(tmp, sizeof tmp, "%s/qjt-sheet-XXXXXX", t && *t ? t : "/tmp");
	qj_xml_init();
	return mkdtemp(tmp) ? 0 : -1;
}

static int group_teardown(void **state)
{
	qjt_run r = qjt_sh("rm -rf '%s'", tmp);
	(void)state;
	qjt_run_free(&r);
	return 0;
}

/* ---- making files ----------------------------------------------------- */

typedef struct part {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
} part;

static void write_zip(const char *path, const part *parts, int n)
{
	int err, i;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].text);
		zip_source_t *s = zip_source_buffer(z, parts[i].text, len, 0);
		assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RNS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define SHEET(rows) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" NS \
	"\"><sheetData>" rows "</sheetData></worksheet>"
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"

/* A workbook: Sheet1 (and "course" when course is not NULL), shared strings
 * when sst is not NULL. Written to tmp/name; returns the path (static). */
static const char *write_book(const char *name, const char *sheet1,
			      const char *course, const char *sst)
{
	static char path[600];
	char wb[1024], rels[1024];
	part parts[6];
	int n = 0;
	snprintf(wb, sizeof wb,
		 "<workbook xmlns=\"" NS "\" xmlns:r=\"" RNS "\"><sheets>"
		 "<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>%s</sheets></workbook>",
		 course ? "<sheet name=\"course\" sheetId=\"2\" r:id=\"rId2\"/>" : "");
	snprintf(rels, sizeof rels,
		 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"" RNS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"" RNS "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
		 "<Relationship Id=\"rId3\" Type=\"" RNS "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
		 "</Relationships>");
	parts[n++] = (part){"xl/workbook.xml", wb, 0};
	parts[n++] = (part){"xl/_rels/workbook.xml.rels", rels, 0};
	parts[n++] = (part){"xl/worksheets/sheet1.xml", sheet1, 0};
	if (course)
		parts[n++] = (part){"xl/worksheets/sheet2.xml", course, 0};
	if (sst)
		parts[n++] = (part){"xl/sharedStrings.xml", sst, 0};
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	write_zip(path, parts, n);
	return path;
}

static const char *write_file(const char *name, const char *data, size_t len)
{
	static char path[600];
	FILE *fp;
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
	return path;
}

/* A valid course sheet, and the same with one row replaced. */
#define COURSE_ROWS(issued) \
	"<row r=\"1\">" IS("A1", "issued") issued "</row>" \
	"<row r=\"2\">" IS("A2", "organization") IS("B2", "ЖШС") "</row>" \
	"<row r=\"3\">" IS("A3", "Программа") IS("B3", "Әлеуметтік жұмыс") "</row>" \
	"<row r=\"4\">" IS("A4", "hours") "<c r=\"B4\"><v>72</v></c></row>" \
	"<row r=\"5\">" IS("A5", "director") IS("B5", "Г. Әлімжанова") "</row>"

/* ---- units ------------------------------------------------------------ */

static qj_ctx *quiet_ctx(void)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_diag_set_sink(ctx, NULL);
	return ctx;
}

static void test_sheet__csv_quoting_and_newlines(void **state)
{
	static const char csv[] =
		"serial,name,position\r\n"
		"A-1,\"Әсел \"\"Ақ\"\" Өмірбекова\",\"әлеуметтік\r\nқызметкер, аға\"\r\n"
		"\r\n"
		",,\r\n"
		"A-2,Ерғали,\"\"\r\n"
		"\"A-3\" ,Гүлжан,x"; /* no line end at the end */
	qj_ctx *ctx = quiet_ctx();
	qj_sheet *s = qj_sheet_read_csv(ctx, "q.csv", csv, sizeof csv - 1);
	(void)state;
	assert_non_null(s);
	assert_int_equal(qj_sheet_delimiter(s), ',');
	assert_int_equal(qj_sheet_rows(s), 4); /* the empty record and ",," skipped */
	assert_string_equal(qj_sheet_cell(s, 1, 2, NULL), "Әсел \"Ақ\" Өмірбекова");
	assert_string_equal(qj_sheet_cell(s, 1, 3, NULL), "әлеуметтік\nқызметкер, аға");
	/* rows are numbered by the line they start on */
	assert_int_equal(qj_sheet_row_number(s, 1), 2);
	assert_int_equal(qj_sheet_row_number(s, 2), 6);
	assert_null(qj_sheet_cell(s, 2, 3, NULL)); /* "" is empty */
	assert_string_equal(qj_sheet_cell(s, 3, 1, NULL), "A-3");
	assert_int_equal(qj_sheet_row_number(s, 3), 7);
	qj_sheet_free(s);
	qj_ctx_free(ctx);
}

static void test_sheet__csv_bom_semicolon_and_sep_line(void **state)
{
	static const char semi[] = "\xEF\xBB\xBFserial;name;hours\n\"A;1\";Name, with comma;36\n";
	static const char sep[] = "sep=,\rserial;x,name\rA-1;y,Б\r";
	qj_ctx *ctx = quiet_ctx();
	qj_sheet *s = qj_sheet_read_csv(ctx, "s.csv", semi, sizeof semi - 1);
	(void)state;
	assert_non_null(s);
	assert_int_equal(qj_sheet_delimiter(s), ';');
	assert_string_equal(qj_sheet_cell(s, 0, 1, NULL), "serial"); /* no BOM in it */
	assert_string_equal(qj_sheet_cell(s, 1, 1, NULL), "A;1");
	assert_string_equal(qj_sheet_cell(s, 1, 2, NULL), "Name, with comma");
	qj_sheet_free(s);
	/* Excel's "sep=" line wins over counting; CR line ends */
	s = qj_sheet_read_csv(ctx, "p.csv", sep, sizeof sep - 1);
	assert_non_null(s);
	assert_int_equal(qj_sheet_delimiter(s), ',');
	assert_string_equal(qj_sheet_cell(s, 1, 1, NULL), "A-1;y");
	assert_int_equal(qj_sheet_row_number(s, 1), 3);
	qj_sheet_free(s);
	qj_ctx_free(ctx);
}

static void test_sheet__csv_bad_quote_named(void **state)
{
	static const char bad[] = "serial,name\nA-1,\"Ann\"x,y\n";
	qj_ctx *ctx = quiet_ctx();
	qj_sheet *s = qj_sheet_read_csv(ctx, "b.csv", bad, sizeof bad - 1);
	(void)state;
	assert_null(s);
	assert_string_equal(qj_diag_text(ctx),
			    "b.csv:2:2: error: 'x' after the closing quote of a quoted field "
			    "(a quote inside a quoted field is written \"\")\n");
	qj_ctx_free(ctx);
}

static void test_sheet__excel_serial_dates(void **state)
{
	int y, m, d;
	(void)state;
	assert_int_equal(qj_sheet_excel_date(1, 0, &y, &m, &d), 0);
	assert_true(y == 1900 && m == 1 && d == 1);
	assert_int_equal(qj_sheet_excel_date(59, 0, &y, &m, &d), 0);
	assert_true(y == 1900 && m == 2 && d == 28);
	/* Excel's 1900-02-29, which never was */
	assert_int_equal(qj_sheet_excel_date(60, 0, &y, &m, &d), -1);
	assert_int_equal(qj_sheet_excel_date(61, 0, &y, &m, &d), 0);
	assert_true(y == 1900 && m == 3 && d == 1);
	assert_int_equal(qj_sheet_excel_date(46346.75, 0, &y, &m, &d), 0); /* time dropped */
	assert_true(y == 2026 && m == 11 && d == 20);
	assert_int_equal(qj_sheet_excel_date(2958465, 0, &y, &m, &d), 0);
	assert_true(y == 9999 && m == 12 && d == 31);
	assert_int_equal(qj_sheet_excel_date(2958466, 0, &y, &m, &d), -1);
	assert_int_equal(qj_sheet_excel_date(0, 0, &y, &m, &d), -1);
	assert_int_equal(qj_sheet_excel_date(-3, 0, &y, &m, &d), -1);
	/* the 1904 system: 0 is 1904-01-01 */
	assert_int_equal(qj_sheet_excel_date(0, 1, &y, &m, &d), 0);
	assert_true(y == 1904 && m == 1 && d == 1);
	assert_int_equal(qj_sheet_excel_date(44884, 1, &y, &m, &d), 0);
	assert_true(y == 2026 && m == 11 && d == 20);
}

static void test_sheet__xlsx_shared_inline_numbers(void **state)
{
	const char *sheet = SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
		"<row r=\"3\"><c r=\"B3\" t=\"s\"><v>2</v></c>"
		"<c r=\"A3\" t=\"inlineStr\"><is><r><t>ҚЖ-</t></r><r><t>0001</t></r></is></c>"
		"<c r=\"C3\"><v>36.0</v></c><c r=\"D3\" t=\"b\"><v>1</v></c>"
		"<c r=\"E3\" t=\"str\"><v>as text</v></c><c r=\"F3\" s=\"2\"/></row>"
		"<row r=\"4\" spans=\"1:3\"/>");
	const char *sst = "<sst xmlns=\"" NS "\"><si><t>serial</t></si><si><t>name</t></si>"
			  "<si><r><t>Әсел </t></r><r><rPr/><t xml:space=\"preserve\">Өмірбекова</t></r>"
			  "<rPh><t>PHONETIC</t></rPh></si></sst>";
	const char *course = SHEET("<row r=\"1\">" IS("A1", "k") IS("B1", "v") "</row>");
	const char *path = write_book("u.xlsx", sheet, course, sst);
	size_t len;
	qj_ctx *ctx = quiet_ctx();
	char *data = qj_file_read(ctx, path, &len);
	qj_sheet *c = NULL, *s = qj_sheet_read_xlsx(ctx, "u.xlsx", data, len, &c);
	qj_cell_kind k;
	(void)state;
	assert_non_null(s);
	assert_non_null(c);
	assert_int_equal(qj_sheet_rows(s), 2); /* the empty row 4 is skipped */
	assert_string_equal(qj_sheet_cell(s, 0, 2, NULL), "name");
	assert_int_equal(qj_sheet_row_number(s, 1), 3);
	assert_string_equal(qj_sheet_cell(s, 1, 1, &k), "ҚЖ-0001");
	assert_int_equal(k, QJ_CELL_TEXT);
	assert_string_equal(qj_sheet_cell(s, 1, 2, NULL), "Әсел Өмірбекова");
	assert_string_equal(qj_sheet_cell(s, 1, 3, &k), "36");
	assert_int_equal(k, QJ_CELL_NUMBER);
	assert_string_equal(qj_sheet_cell(s, 1, 4, &k), "TRUE");
	assert_int_equal(k, QJ_CELL_BOOL);
	assert_string_equal(qj_sheet_cell(s, 1, 5, NULL), "as text");
	assert_null(qj_sheet_cell(s, 1, 6, NULL));
	assert_string_equal(qj_sheet_cell(c, 0, 2, NULL), "v");
	assert_int_equal(qj_diag_errors(ctx), 0);
	qj_sheet_free(s);
	qj_sheet_free(c);
	free(data);
	qj_ctx_free(ctx);
}

/* ---- through the binary ----------------------------------------------- */

/* Runs qujat in tmp with args (the input's name relative to tmp); checks
 * exit 2, every wanted diagnostic as a whole line, and that no out.xml or
 * temporary file was left. */
static void expect_bad_run(const char *args, const char *const *want)
{
	qjt_run r = qjt_sh("cd '%s' && %s/%s %s", tmp, getenv("PWD"), qjt_bin(), args);
	char *err = malloc(strlen(r.err) + 2);
	int i;
	err[0] = '\n';
	strcpy(err + 1, r.err);
	assert_int_equal(r.code, 2);
	for (i = 0; want[i]; i++) {
		char line[2048];
		snprintf(line, sizeof line, "\n%s\n", want[i]);
		if (!strstr(err, line))
			fail_msg("missing diagnostic: %s\nstderr was:\n%s", want[i], r.err);
	}
	qjt_run_free(&r);
	free(err);
	r = qjt_sh("ls -A '%s' | grep -c -e '^out' -e '\\.tmp\\.'", tmp);
	assert_string_equal(r.out, "0\n");
	qjt_run_free(&r);
}

static void expect_bad_csv(const char *csv, size_t len, const char *const *want)
{
	char args[1024];
	write_file("list.csv", csv, len);
	snprintf(args, sizeof args, "roster convert list.csv --course %s/examples/course.xml "
		 "-o out.xml", getenv("PWD"));
	expect_bad_run(args, want);
	/* the same through certificates: exit 2, no PDF */
	snprintf(args, sizeof args, "certificates list.csv --course %s/examples/course.xml "
		 "-o out.pdf", getenv("PWD"));
	expect_bad_run(args, want);
}

static void expect_bad_xlsx(const char *want1, const char *want2)
{
	const char *want[] = {want1, want2, NULL};
	expect_bad_run("roster convert list.xlsx -o out.xml", want);
}

#define S(lit) lit, sizeof lit - 1

static void test_sheet__csv_columns_and_cells(void **state)
{
	const char *missing[] = {
		"list.csv:1: error: the header row has no 'name' column (header names: "
		"name|full name|фио|ф.и.о.|ф. и. о.|аты-жөні|аты жөні|толық аты-жөні)", NULL};
	/* every problem of the file at once, each naming line and field */
	const char *many[] = {
		"list.csv:1:4: error: unknown column 'email' (known: serial, name, hours, sex, "
		"position, organization, or their Russian and Kazakh names)",
		"list.csv:2:1: error: empty serial",
		"list.csv:2:3: error: hours must be a whole number, not '7two'",
		"list.csv:4:1: error: serial 'A-1' is used twice (first at list.csv:3:1)",
		"list.csv:4:3: error: hours must be from 1 to 10000, not '0'",
		"list.csv:7:5: error: sex must be m or f (м/ж, ер/әйел), not 'x'",
		"list.csv:8:6: error: 'stray' is in a column with no header",
		/* the XML roster's range, QJ_ROSTER_MAX_HOURS */
		"list.csv:9:3: error: hours must be from 1 to 10000, not '10001'", NULL};
	(void)state;
	expect_bad_csv(S("serial,hours\nA-1,72\n"), missing);
	expect_bad_csv(S("serial;name;hours;email;пол\n"
			 " ;Ann;7two;x@y\n"
			 "A-1;Bob;72\n"
			 "A-1;Cid;0\n"
			 "\"A-2\";\"Dan \"\"D\"\"\nSmith\";36;;Ж\n"
			 "A-3;Eve;;;x\n"
			 "A-4;Fay;;;;stray\n"
			 "A-5;Gul;10001\n"
			 "A-6;Hal;10000\n"), many);
}

static void test_sheet__csv_file_problems(void **state)
{
	const char *enc[] = {"list.csv:2: error: invalid UTF-8 at byte offset 18 (byte 0xC1): "
			     "save the file as \"CSV UTF-8\"", NULL};
	const char *utf16[] = {"list.csv:1: error: the file is UTF-16, not UTF-8: save it as "
			       "\"CSV UTF-8\"", NULL};
	const char *empty[] = {"list.csv: error: empty file: expected a header row (serial, "
			       "name, …) and a row per person", NULL};
	const char *blank[] = {"list.csv: error: no data, only empty lines: expected a header "
			       "row (serial, name, …) and a row per person", NULL};
	const char *header[] = {"list.csv:1: error: only a header row: no persons below it", NULL};
	const char *unclosed[] = {"list.csv:2:2: error: the quoted field that starts here is "
				  "never closed", NULL};
	char *lines;
	(void)state;
	expect_bad_csv(S("serial,name\nA-1,\xD0\xA0\xC1\xE0\n"), enc);
	expect_bad_csv(S("\xFF\xFEs\0e\0"), utf16);
	expect_bad_csv("", 0, empty);
	expect_bad_csv(S("\xEF\xBB\xBFserial;name;hours\r\n;;\r\n"), header);
	expect_bad_csv(S("serial,name\nA-1,\"Ann\nB-1,Bob\n"), unclosed);
	/* 1,048,576 empty lines: skipped, not stored */
	lines = malloc(1048576);
	memset(lines, '\n', 1048576);
	expect_bad_csv(lines, 1048576, blank);
	free(lines);
}

static void test_sheet__xlsx_problems(void **state)
{
	const char *head = "<row r=\"1\">" IS("A1", "serial") IS("B1", "ФИО") IS("C1", "Часы") "</row>";
	char *big, *p;
	int i;
	(void)state;
	/* the example, a formula, an Excel error, a bad date in the course */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "ФИО") IS("C1", "Часы")
				      "</row><row r=\"17\">" IS("A17", "A-1") IS("B17", "Ann")
				      IS("C17", "7two") "</row><row r=\"18\"><c r=\"A18\" t=\"str\">"
				      "<f>\"A-\"&amp;ROW()</f><v>A-18</v></c>" IS("B18", "Bob")
				      "<c r=\"C18\" t=\"e\"><v>#N/A</v></c></row>"),
		   SHEET(COURSE_ROWS(IS("B1", "2026-13-45"))), NULL);
	{
		const char *want[] = {
			"list.xlsx:Sheet1!C17: error: hours must be a whole number, not '7two'",
			"list.xlsx:Sheet1!A18: error: the cell has a formula (=\"A-\"&ROW()); qujat reads "
			"values only: copy the cells and paste them as values",
			"list.xlsx:Sheet1!C18: error: the cell holds the Excel error #N/A",
			"list.xlsx:course!B1: error: issued must be a date (YYYY-MM-DD, DD.MM.YYYY or an "
			"Excel date), not '2026-13-45'", NULL};
		expect_bad_run("roster convert list.xlsx -o out.xml", want);
	}
	/* Excel's 1900-02-29 as a date; a duplicate serial names the first cell */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "ФИО") "</row>"
				      "<row r=\"2\">" IS("A2", "A-1") IS("B2", "Ann") "</row>"
				      "<row r=\"9\">" IS("A9", "A-1") IS("B9", "Bob") "</row>"),
		   SHEET(COURSE_ROWS("<c r=\"B1\"><v>60</v></c>")), NULL);
	expect_bad_xlsx("list.xlsx:course!B1: error: issued must be a date (YYYY-MM-DD, "
			"DD.MM.YYYY or an Excel date), not '60'",
			"list.xlsx:Sheet1!A9: error: serial 'A-1' is used twice (first at "
			"list.xlsx:Sheet1!A2)");
	/* a serial typed into a number cell, longer than Excel keeps: refused,
	 * not printed as 1.23456789012346e+17; 15 digits are kept whole */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "name") "</row>"
				      "<row r=\"2\"><c r=\"A2\"><v>1.2345678901234568E+17</v></c>" IS("B2", "Ann")
				      "</row><row r=\"3\"><c r=\"A3\"><v>123456789012345</v></c>" IS("B3", "Bob")
				      "</row>"),
		   SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))), NULL);
	expect_bad_xlsx("list.xlsx:Sheet1!A2: error: the number 1.2345678901234568E+17 has more digits "
			"than Excel keeps (15): format the column as Text and type the values again", NULL);
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "name") "</row>"
				      "<row r=\"3\"><c r=\"A3\"><v>123456789012345</v></c>" IS("B3", "Bob")
				      "</row>"),
		   SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))), NULL);
	{
		qjt_run r = qjt_sh("cd '%s' && %s/%s roster convert list.xlsx -o out.xml && "
				   "grep -c 'serial=\"123456789012345\"' out.xml && rm out.xml",
				   tmp, getenv("PWD"), qjt_bin());
		assert_int_equal(r.code, 0);
		assert_string_equal(r.out, "1\n");
		qjt_run_free(&r);
	}
	/* a cell past Excel's last column */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "name") "</row>"
				      "<row r=\"2\">" IS("A2", "A-1") IS("XFE2", "Ann") "</row>"),
		   SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))), NULL);
	expect_bad_xlsx("list.xlsx:Sheet1!2:2: error: 'XFE2' is not a cell reference of a sheet "
			"(columns A to XFD, rows 1 to 1048576)", NULL);
	/* an emblem whose file is not beside the workbook: at its cell */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "name") "</row>"
				      "<row r=\"2\">" IS("A2", "A-1") IS("B2", "Ann") "</row>"),
		   SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))
			 "<row r=\"6\">" IS("A6", "эмблема") IS("B6", "nope.png") "</row>"), NULL);
	{ /* the reason is the system's, in the locale's language */
		qjt_run r = qjt_sh("cd '%s' && %s/%s roster convert list.xlsx -o out.xml", tmp, getenv("PWD"),
				   qjt_bin());
		assert_int_equal(r.code, 2);
		assert_non_null(strstr(r.err, "list.xlsx:course!B6: error: the emblem nope.png: cannot open: "));
		qjt_run_free(&r);
	}
	/* the dates out of order: said once, at their cells, not per person */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "name") "</row>"
				      "<row r=\"2\">" IS("A2", "A-1") IS("B2", "Ann") "</row>"
				      "<row r=\"3\">" IS("A3", "A-2") IS("B3", "Bob") "</row>"),
		   SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))
			 "<row r=\"6\">" IS("A6", "from") IS("B6", "2027-01-10") "</row>"
			 "<row r=\"7\">" IS("A7", "to") IS("B7", "2027-01-02") "</row>"), NULL);
	expect_bad_xlsx("list.xlsx:course!B7: error: the programme ends 2027-01-02, before it begins "
			"2027-01-10",
			"list.xlsx:course!B1: error: issued 2026-11-20, before the programme begins "
			"2027-01-10");
	/* no course at all */
	write_book("list.xlsx", SHEET("<row r=\"1\">" IS("A1", "serial") IS("B1", "name") "</row>"
				      "<row r=\"2\">" IS("A2", "A-1") IS("B2", "Ann") "</row>"), NULL, NULL);
	expect_bad_xlsx("list.xlsx: error: no course-wide fields (programme, dates, organization, "
			"signers): give --course COURSE.xml or add a sheet named 'course'", NULL);
	/* a header only, then 1,048,575 empty rows: streamed and skipped */
	big = malloc(40u << 20);
	p = big + sprintf(big, "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData>%s", head);
	for (i = 2; i <= 1048576; i++)
		p += sprintf(p, "<row r=\"%d\"/>", i);
	strcpy(p, "</sheetData></worksheet>");
	write_book("list.xlsx", big, SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))), NULL);
	expect_bad_xlsx("list.xlsx:Sheet1!1:1: error: only a header row: no persons below it", NULL);
	/* a row past Excel's last */
	write_book("list.xlsx", SHEET("<row r=\"1048577\">" IS("A1048577", "x") "</row>"), NULL, NULL);
	expect_bad_xlsx("list.xlsx:Sheet1: error: row number 1048577 out of order or past 1048576",
			NULL);
	/* an empty sheet */
	write_book("list.xlsx", SHEET(""), SHEET(COURSE_ROWS(IS("B1", "2026-11-20"))), NULL);
	expect_bad_xlsx("list.xlsx:Sheet1: error: the sheet is empty: expected a header row "
			"(serial, name, …) and a row per person", NULL);
	free(big);
}

static void test_sheet__xlsx_not_a_workbook(void **state)
{
	part other[] = {{"readme.txt", "hello", 0}};
	char path[600];
	char *sheet;
	(void)state;
	snprintf(path, sizeof path, "%s/list.xlsx", tmp);
	write_zip(path, other, 1);
	expect_bad_xlsx("list.xlsx: error: a zip archive but not an Excel workbook: it has no "
			"xl/workbook.xml", NULL);
	write_file("list.xlsx", S("serial,name\n"));
	expect_bad_xlsx("list.xlsx: error: not an .xlsx workbook (an .xlsx file is a zip archive)",
			NULL);
	write_file("list.xlsx", S("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...."));
	expect_bad_xlsx("list.xlsx: error: an Excel 97-2003 (.xls) file, not .xlsx: save it as "
			"\"Excel Workbook (*.xlsx)\"", NULL);
	write_file("list.xlsx", "", 0);
	expect_bad_xlsx("list.xlsx: error: empty file: expected an .xlsx workbook", NULL);
	/* no DTD, no entities in any member */
	write_book("list.xlsx", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]>"
		   "<worksheet><sheetData/></worksheet>", NULL, NULL);
	expect_bad_xlsx("list.xlsx:xl/worksheets/sheet1.xml:1: error: DOCTYPE declarations are "
			"not allowed", NULL);
	/* a zip bomb: the sheet would inflate to 70 MiB, over the 64 MiB limit */
	sheet = malloc(70u << 20);
	memset(sheet, ' ', 70u << 20);
	memcpy(sheet, "<worksheet>", 11);
	{
		part parts[] = {{"xl/workbook.xml", "<workbook xmlns:r=\"" RNS "\"><sheets><sheet "
				 "name=\"S\" r:id=\"r1\"/></sheets></workbook>", 0},
				{"xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"r1\" "
				 "Target=\"worksheets/sheet1.xml\"/></Relationships>", 0},
				{"xl/worksheets/sheet1.xml", sheet, 70u << 20}};
		write_zip(path, parts, 3);
	}
	expect_bad_xlsx("list.xlsx: error: xl/worksheets/sheet1.xml would inflate to 73400320 "
			"bytes, over the limit of 67108864: refused", NULL);
	/* a member that lies: 1 MiB declared as 1000 bytes (in both headers) */
	{
		part parts[] = {{"xl/workbook.xml", "<workbook xmlns:r=\"" RNS "\"><sheets><sheet "
				 "name=\"S\" r:id=\"r1\"/></sheets></workbook>", 0},
				{"xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"r1\" "
				 "Target=\"worksheets/sheet1.xml\"/></Relationships>", 0},
				{"xl/worksheets/sheet1.xml", sheet, 1u << 20}};
		unsigned char real[4] = {0, 0, 0x10, 0}, fake[4] = {0xE8, 0x03, 0, 0};
		char *zip;
		size_t n, i, patched = 0;
		FILE *fp;
		write_zip(path, parts, 3);
		zip = qjt_slurp(path);
		fp = fopen(path, "rb");
		fseek(fp, 0, SEEK_END);
		n = (size_t)ftell(fp);
		fclose(fp);
		for (i = 0; i + 4 <= n; i++)
			if (!memcmp(zip + i, real, 4)) {
				memcpy(zip + i, fake, 4);
				patched++;
			}
		assert_int_equal(patched, 2);
		write_file("list.xlsx", zip, n);
		free(zip);
	}
	free(sheet);
	expect_bad_xlsx("list.xlsx: error: xl/worksheets/sheet1.xml inflates to more than the "
			"1000 bytes it declares: refused", NULL);
}

/* ---- the shipped examples --------------------------------------------- */

static char *run_out(const char *fmt, const char *arg)
{
	qjt_run r = qjt_sh(fmt, qjt_bin(), arg, tmp);
	char *out = r.out;
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	free(r.err);
	return out;
}

static void test_sheet__examples_match_the_xml_roster(void **state)
{
	char *xml_dump, *dump, *xml_text, *text, pdf[600];
	const char *const rosters[] = {"examples/roster.csv --course examples/course.xml",
				       "examples/roster.xlsx",
				       "examples/roster.xlsx --course examples/course.xml"};
	size_t i;
	(void)state;
	xml_dump = run_out("%s certificates %s --dump -o %s/x.pdf", "examples/roster.xml");
	snprintf(pdf, sizeof pdf, "%s/x.pdf", tmp);
	xml_text = qjt_pdftotext(pdf);
	assert_non_null(xml_text);
	assert_non_null(strstr(xml_text, "Айдос Бекұлы Ыбыраев"));
	for (i = 0; i < sizeof rosters / sizeof *rosters; i++) {
		dump = run_out("%s certificates %s --dump -o %s/s.pdf", rosters[i]);
		assert_true(strlen(dump) > 1000);
		assert_string_equal(dump, xml_dump);
		snprintf(pdf, sizeof pdf, "%s/s.pdf", tmp);
		text = qjt_pdftotext(pdf);
		assert_non_null(text);
		assert_string_equal(text, xml_text);
		qjt_assert_pdf_sound(pdf);
		free(text);
		free(dump);
	}
	free(xml_text);
	free(xml_dump);
}

static void test_sheet__convert_writes_the_xml_form(void **state)
{
	char path[600], *xml, *again;
	qjt_run r;
	(void)state;
	snprintf(path, sizeof path, "%s/r.xml", tmp);
	r = qjt_sh("%s roster convert examples/roster.xlsx -o %s && %s validate %s",
		   qjt_bin(), path, qjt_bin(), path);
	qjt_run_free(&r);
	r = qjt_sh("xmllint --noout --relaxng templates/certificate.rng %s", path);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	xml = qjt_slurp(path);
	assert_non_null(strstr(xml, "<programme hours=\"72\" from=\"2026-11-02\" to=\"2026-11-20\" xml:lang=\"kk\">"));
	assert_non_null(strstr(xml, "<person serial=\"ҚЖ-2026-0007\" name=\"Айдос Бекұлы Ыбыраев\" "
			       "hours=\"36\"/>"));
	assert_non_null(strstr(xml, "<signer role=\"secretary\" name=\"Айгерім Болатқызы Нұрланова\"/>"));
	/* the CSV with the course file gives the same document */
	r = qjt_sh("%s roster convert examples/roster.csv --course examples/course.xml -o %s",
		   qjt_bin(), path);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	again = qjt_slurp(path);
	assert_string_equal(again, xml);
	free(again);
	free(xml);
	/* -o -: the same document on standard output, no file named '-' */
	r = qjt_sh("%s roster convert examples/roster.csv --course examples/course.xml -o - | cmp - %s && "
		   "test ! -e -", qjt_bin(), path);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

static void test_sheet__optional_person_columns_printed(void **state)
{
	static const char csv[] =
		"№;Аты-жөні;Сағат;Жынысы;Лауазымы;Жұмыс орны\n"
		"ҚЖ-1;Әсел Өмірбекова;;әйел;әлеуметтік қызметкер;№3 орталық\n"
		"ҚЖ-2;Ерғали Құдайбергенов;36;ер;;\n";
	char pdf[600], xml[600], *text, *doc;
	qjt_run r;
	(void)state;
	write_file("opt.csv", S(csv));
	snprintf(pdf, sizeof pdf, "%s/opt.pdf", tmp);
	snprintf(xml, sizeof xml, "%s/opt.xml", tmp);
	r = qjt_sh("%s certificates %s/opt.csv --course examples/course.xml -o %s && "
		   "%s roster convert %s/opt.csv --course examples/course.xml -o %s",
		   qjt_bin(), tmp, pdf, qjt_bin(), tmp, xml);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	text = qjt_pdftotext(pdf);
	/* typography: a no-break space after № (squashed to a space) */
	assert_non_null(strstr(qjt_squash(text), "әлеуметтік қызметкер, № 3 орталық"));
	free(text);
	doc = qjt_slurp(xml);
	assert_non_null(strstr(doc, "<person serial=\"ҚЖ-1\" name=\"Әсел Өмірбекова\" sex=\"f\" "
			       "position=\"әлеуметтік қызметкер\" organization=\"№3 орталық\"/>"));
	assert_non_null(strstr(doc, "<person serial=\"ҚЖ-2\" name=\"Ерғали Құдайбергенов\" "
			       "hours=\"36\" sex=\"m\"/>"));
	free(doc);
}

/* The course file's emblem is found from the course file, in a directory
 * with a space and a Cyrillic letter (libxml2 keeps such a document's
 * name escaped, %D0%B4%20p) and given with no directory at all, the list
 * elsewhere; its errors name it as given. */
static void test_sheet__course_in_any_directory(void **state)
{
	char dir[64];
	qjt_run r;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("cd %s && mkdir -p 'д p/sub' s1 s2 && cp %s/examples/course.xml %s/examples/emblem.png 'д p/' && "
		   "cp %s/examples/roster.csv 'д p/sub/list.csv' && cp %s/examples/course.xml %s/examples/emblem.png s1/ && "
		   "cp %s/examples/roster.csv s2/list.csv && "
		   "%s/%s certificates 'д p/sub/list.csv' --course 'д p/course.xml' -o a.pdf && "
		   "(cd s1 && %s/%s certificates ../s2/list.csv --course course.xml -o ../b.pdf) && "
		   "%s/%s roster convert 'д p/sub/list.csv' --course 'д p/course.xml' -o c.xml && "
		   "grep -c \"<emblem src=\\\"$PWD/д p/emblem.png\\\"/>\" c.xml",
		   dir, getenv("PWD"), getenv("PWD"), getenv("PWD"), getenv("PWD"), getenv("PWD"), getenv("PWD"),
		   getenv("PWD"), qjt_bin(), getenv("PWD"), qjt_bin(), getenv("PWD"), qjt_bin());
	if (r.code != 0)
		fail_msg("exit %d:\n%s", r.code, r.err);
	assert_string_equal(r.out, "1\n");
	qjt_run_free(&r);
	/* the emblem is in both */
	r = qjt_sh("cd %s && pdfimages -list a.pdf | grep -q image && pdfimages -list b.pdf | grep -q image "
		   "&& echo both", dir);
	assert_string_equal(r.out, "both\n");
	qjt_run_free(&r);
	r = qjt_sh("cd %s && sed 's/issued=\"[^\"]*\"/issued=\"2026-02-30\"/' 'д p/course.xml' > 'д p/bad.xml' && "
		   "%s/%s certificates 'д p/sub/list.csv' --course 'д p/bad.xml' -o d.pdf",
		   dir, getenv("PWD"), qjt_bin());
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "д p/bad.xml:"));
	assert_non_null(strstr(r.err, ": error: <course> issued=\"2026-02-30\" is not a date"));
	assert_null(strstr(r.err, "%D0"));
	assert_null(strstr(r.err, "bad.xml: error: Element course failed")); /* said, with its line */
	qjt_run_free(&r);
	/* the course's dates out of order: once, at the course file's line,
	 * exit 2, nothing made; roster convert refuses it too */
	r = qjt_sh("cd %s && sed 's/from=\"[^\"]*\"/from=\"2027-01-02\"/; s/to=\"[^\"]*\"/to=\"2027-01-20\"/' "
		   "'д p/course.xml' > 'д p/late.xml' && cp 'д p/late.xml' late.xml && "
		   "%s/%s certificates 'д p/sub/list.csv' --course 'д p/late.xml' -o late/; echo \"rc=$?\"; %s/%s roster convert 'д p/sub/list.csv' --course 'д p/late.xml' -o l.xml; "
		   "echo \"rc=$?\"; ls late 2>/dev/null | wc -l; test ! -e l.xml",
		   dir, getenv("PWD"), qjt_bin(), getenv("PWD"), qjt_bin());
	assert_string_equal(r.out, "rc=2\nrc=2\n0\n");
	assert_string_equal(r.err, "д p/late.xml:5: error: course is issued 2026-11-20, before the "
				   "programme begins 2027-01-02\n"
				   "д p/late.xml:5: error: course is issued 2026-11-20, before the "
				   "programme begins 2027-01-02\n");
	qjt_run_free(&r);
	/* its emblem missing: said once, at the <emblem> */
	r = qjt_sh("cd %s && %s/%s certificates 'д p/sub/list.csv' --course late.xml -o late/",
		   dir, getenv("PWD"), qjt_bin());
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "late.xml:9: error: the emblem emblem.png: cannot open: "));
	assert_null(strstr(strstr(r.err, "the emblem") + 1, "the emblem"));
	qjt_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet__csv_quoting_and_newlines),
		cmocka_unit_test(test_sheet__csv_bom_semicolon_and_sep_line),
		cmocka_unit_test(test_sheet__csv_bad_quote_named),
		cmocka_unit_test(test_sheet__excel_serial_dates),
		cmocka_unit_test(test_sheet__xlsx_shared_inline_numbers),
		cmocka_unit_test(test_sheet__csv_columns_and_cells),
		cmocka_unit_test(test_sheet__csv_file_problems),
		cmocka_unit_test(test_sheet__xlsx_problems),
		cmocka_unit_test(test_sheet__xlsx_not_a_workbook),
		cmocka_unit_test(test_sheet__examples_match_the_xml_roster),
		cmocka_unit_test(test_sheet__convert_writes_the_xml_form),
		cmocka_unit_test(test_sheet__optional_person_columns_printed),
		cmocka_unit_test(test_sheet__course_in_any_directory),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
