/* sheet-imp: the grid's insides, shared by the readers (csv.c, xlsx.c) and
 * the roster builder (roster.c). Internal names start with sh_. */
#ifndef QJ_SHEET_IMP_H
#define QJ_SHEET_IMP_H

#include "sheet/sheet.h"

typedef struct sh_cell {
	int col;           /* from 1 */
	int line;          /* CSV: the line the field starts on; xlsx: the row */
	qj_cell_kind kind;
	const char *text;  /* in the sheet's arena, never empty */
} sh_cell;

typedef struct sh_row {
	int num;           /* Excel row number, or the CSV line it starts on */
	int ncells;
	sh_cell *cells;    /* in column order */
} sh_row;

struct qj_sheet {
	qj_ctx *ctx;
	qj_arena *arena;
	const char *file;  /* the path, for diagnostics */
	const char *name;  /* sheet name (xlsx) or NULL (CSV) */
	int delim;         /* CSV delimiter, 0 for xlsx */
	int date1904;      /* the workbook uses the 1904 date system */
	sh_row *rows;
	int nrows, cap;
	/* the row being read */
	sh_cell *cur;
	int ncur, capcur, curnum;
	int errors;        /* problems reported while reading */
	int stopped;       /* a limit was hit: reading stopped */
};

/* A new empty grid for file (and sheet name, NULL for CSV). */
qj_sheet *sh_new(qj_ctx *ctx, const char *file, const char *name);
/* Starts row num; adds a cell to it (text of n bytes copied, empty cells
 * are dropped); ends it (kept only when some cell has more than white
 * space). sh_row_end returns -1 when a limit stops reading. */
void sh_row_begin(qj_sheet *s, int num);
int sh_cell_add(qj_sheet *s, int col, int line, qj_cell_kind kind,
		const char *text, size_t n);
int sh_row_end(qj_sheet *s);

/* "C17" for column 3, row 17 (buf of at least 16 bytes). */
char *sh_a1(char *buf, int col, int row);
/* Parses "C17" into column and row; 0, or -1 when it is no reference. */
int sh_parse_a1(const char *ref, int *col, int *row);

/* An error at a cell: "FILE:SHEET!C17: error: …" or "FILE:LINE:COL: …"
 * (line is the CSV line, or the row for xlsx). col 0 names the sheet or
 * file only (line 0 too: the whole sheet). Counts in s->errors. */
void sh_error(qj_sheet *s, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The place sh_error would print, into buf ("list.csv:3:1",
 * "list.xlsx:Sheet1!A3"). */
const char *sh_where(const qj_sheet *s, int line, int col, char *buf,
		     size_t n);
/* True when the sheet has reported the most errors a stage may. */
int sh_too_many(const qj_sheet *s);

/* Strips ASCII white space and NBSP from both ends, into the arena. */
char *sh_trim(qj_arena *a, const char *s);

#endif
