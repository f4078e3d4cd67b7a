/* sheet: rosters from spreadsheets. Reads a .csv (UTF-8, comma or
 * semicolon, RFC 4180 quoting) or the first sheet of an .xlsx workbook
 * (zip + libxml2, loaded as safely as src/xml does) into a grid of cells
 * that keep their place, and builds from it the roster document of
 * templates/certificate.rng, so the rest of the pipeline is unchanged.
 * Every problem names its cell: "list.csv:17:3: error: …" (line, field) or
 * "list.xlsx:Sheet1!C17: error: …". README.md, "Spreadsheet rosters". */
#ifndef QJ_SHEET_H
#define QJ_SHEET_H

#include <libxml/tree.h>

#include "base/base.h"

/* Limits (documented in README.md). Empty rows are skipped and do not
 * count; rows are numbered as Excel numbers them. */
#define QJ_SHEET_MAX_ROWS 100001    /* rows with data: a header + 100 000 persons */
#define QJ_SHEET_MAX_ROW 1048576    /* the last row number Excel has */
#define QJ_SHEET_MAX_COLS 16384     /* Excel's last column, XFD */

/* What a cell held in the workbook (CSV cells are all text). */
typedef enum qj_cell_kind {
	QJ_CELL_TEXT,    /* a string (shared, inline, formula-less "str") */
	QJ_CELL_NUMBER,  /* a number; its text is %.15g of the value */
	QJ_CELL_BOOL,    /* TRUE or FALSE */
	QJ_CELL_DATE,    /* an ISO 8601 date cell (t="d") */
	QJ_CELL_ERROR,   /* an Excel error value such as #N/A */
	QJ_CELL_FORMULA  /* any formula: not read (README: formulas) */
} qj_cell_kind;

typedef struct qj_sheet qj_sheet;

/* True when path ends in .csv or .xlsx (any case). */
int qj_sheet_is_spreadsheet(const char *path);

/* Reads a CSV file's bytes; name is used in diagnostics. Returns the grid,
 * or NULL after reporting every problem (invalid UTF-8, an unclosed quote,
 * an empty file…). Free with qj_sheet_free. */
qj_sheet *qj_sheet_read_csv(qj_ctx *ctx, const char *name, const char *data,
			    size_t len);

/* Reads an .xlsx workbook's bytes: its first sheet, and when course is not
 * NULL the sheet named "course" (any case) into *course (NULL when there is
 * none). Returns NULL after reporting every problem. The caller frees both. */
qj_sheet *qj_sheet_read_xlsx(qj_ctx *ctx, const char *name, const char *data,
			     size_t len, qj_sheet **course);

void qj_sheet_free(qj_sheet *s);

/* The grid: rows with data only, in order, 0-based; columns from 1 (A). */
int qj_sheet_rows(const qj_sheet *s);
/* The row's number: the Excel row (xlsx) or the line it starts on (CSV). */
int qj_sheet_row_number(const qj_sheet *s, int row);
/* A cell's text (lent), NULL when the cell is empty; kind may be NULL. */
const char *qj_sheet_cell(const qj_sheet *s, int row, int col,
			  qj_cell_kind *kind);
/* The CSV delimiter found (',' or ';'), 0 for a workbook. */
int qj_sheet_delimiter(const qj_sheet *s);

/* Excel serial day numbers: 1900 system (1 = 1900-01-01, serial 60 is
 * Excel's 1900-02-29 that never was: an error, 61 = 1900-03-01) or the 1904
 * system (0 = 1904-01-01). The time of day is dropped. Returns 0, or -1 for
 * a serial that is no date (< 1, 60, past 9999-12-31). */
int qj_sheet_excel_date(double serial, int date1904, int *year, int *month,
			int *day);

/* Builds the roster document from a sheet of persons plus the course-wide
 * fields from course_doc (a <course> document, already checked against
 * templates/course.rng) or else from course_sheet (key/value rows). Checks
 * every cell; returns NULL after reporting all problems. The document is
 * not normalized yet (qj_text_normalize_doc). Caller xmlFreeDoc()s. */
xmlDocPtr qj_sheet_roster(qj_ctx *ctx, const qj_sheet *persons,
			  const qj_sheet *course_sheet, xmlDocPtr course_doc);

/* All of it from files: reads path (.csv or .xlsx) and course_path (may be
 * NULL: an .xlsx then needs its "course" sheet; --course wins over it),
 * loads the course file safely and checks it against templates/course.rng.
 * Returns the roster document or NULL after reporting every problem. */
xmlDocPtr qj_sheet_load_roster(qj_ctx *ctx, const char *path,
			       const char *course_path);

#endif
