/* grid: the cells read from a spreadsheet, kept by row with their place,
 * cell names (C17, Sheet1!C17), diagnostics that name a cell, and Excel's
 * serial day numbers. */
#include "sheet/sheet-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int qj_sheet_is_spreadsheet(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return (n > 4 && !strcasecmp(path + n - 4, ".csv")) ||
	       (n > 5 && !strcasecmp(path + n - 5, ".xlsx"));
}

qj_sheet *sh_new(qj_ctx *ctx, const char *file, const char *name)
{
	qj_sheet *s = qj_calloc(ctx, 1, sizeof *s);
	if (!s)
		return NULL;
	s->ctx = ctx;
	s->arena = qj_arena_new(ctx);
	if (!s->arena) {
		qj_free(ctx, s);
		return NULL;
	}
	s->file = qj_arena_strdup(s->arena, file);
	s->name = name ? qj_arena_strdup(s->arena, name) : NULL;
	return s;
}

void qj_sheet_free(qj_sheet *s)
{
	if (!s)
		return;
	qj_free(s->ctx, s->rows);
	qj_free(s->ctx, s->cur);
	qj_arena_free(s->arena);
	qj_free(s->ctx, s);
}

void sh_row_begin(qj_sheet *s, int num)
{
	s->ncur = 0;
	s->curnum = num;
}

int sh_cell_add(qj_sheet *s, int col, int line, qj_cell_kind kind,
		const char *text, size_t n)
{
	sh_cell *c;
	if (!n)
		return 0;
	if (s->ncur == s->capcur) {
		int cap = s->capcur ? s->capcur * 2 : 16;
		sh_cell *p = qj_realloc(s->ctx, s->cur, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		s->cur = p;
		s->capcur = cap;
	}
	c = &s->cur[s->ncur++];
	c->col = col;
	c->line = line;
	c->kind = kind;
	c->text = qj_arena_strndup(s->arena, text, n);
	return c->text ? 0 : -1;
}

/* True when every cell of the row being read is white space. */
static int row_blank(const qj_sheet *s)
{
	int i;
	for (i = 0; i < s->ncur; i++) {
		const unsigned char *p = (const unsigned char *)s->cur[i].text;
		for (; *p; p++) {
			if (*p == 0xC2 && p[1] == 0xA0) {
				p++;
				continue;
			}
			if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				return 0;
		}
	}
	return 1;
}

static int cmp_cells(const void *x, const void *y)
{
	const sh_cell *a = x, *b = y;
	return (a->col > b->col) - (a->col < b->col);
}

int sh_row_end(qj_sheet *s)
{
	sh_row *r;
	if (s->ncur == 0 || row_blank(s))
		return 0;
	if (s->nrows >= QJ_SHEET_MAX_ROWS) {
		sh_error(s, s->cur[0].line, 0,
			 "more than %d rows with data (a header and %d persons); "
			 "split the roster", QJ_SHEET_MAX_ROWS, QJ_SHEET_MAX_ROWS - 1);
		s->stopped = 1;
		return -1;
	}
	if (s->nrows == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		sh_row *p = qj_realloc(s->ctx, s->rows, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		s->rows = p;
		s->cap = cap;
	}
	r = &s->rows[s->nrows++];
	r->num = s->curnum;
	r->ncells = s->ncur;
	r->cells = qj_arena_alloc(s->arena, (size_t)s->ncur * sizeof *r->cells);
	if (!r->cells)
		return -1;
	memcpy(r->cells, s->cur, (size_t)s->ncur * sizeof *r->cells);
	/* a workbook may list cells out of order; lookups want them sorted */
	qsort(r->cells, (size_t)r->ncells, sizeof *r->cells, cmp_cells);
	s->ncur = 0;
	return 0;
}

int qj_sheet_rows(const qj_sheet *s) { return s ? s->nrows : 0; }
int qj_sheet_delimiter(const qj_sheet *s) { return s ? s->delim : 0; }

int qj_sheet_row_number(const qj_sheet *s, int row)
{
	return s && row >= 0 && row < s->nrows ? s->rows[row].num : 0;
}

const char *qj_sheet_cell(const qj_sheet *s, int row, int col,
			  qj_cell_kind *kind)
{
	const sh_row *r;
	int lo, hi;
	if (!s || row < 0 || row >= s->nrows)
		return NULL;
	r = &s->rows[row];
	lo = 0;
	hi = r->ncells - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (r->cells[mid].col == col) {
			if (kind)
				*kind = r->cells[mid].kind;
			return r->cells[mid].text;
		}
		if (r->cells[mid].col < col)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

char *sh_a1(char *buf, int col, int row)
{
	char letters[8];
	int n = 0, i;
	for (; col > 0 && n < 7; col = (col - 1) / 26)
		letters[n++] = (char)('A' + (col - 1) % 26);
	for (i = 0; i < n; i++)
		buf[i] = letters[n - 1 - i];
	snprintf(buf + n, 12, "%d", row);
	return buf;
}

int sh_parse_a1(const char *ref, int *col, int *row)
{
	long c = 0, r = 0;
	const char *p = ref;
	for (; *p >= 'A' && *p <= 'Z'; p++)
		if ((c = c * 26 + (*p - 'A' + 1)) > QJ_SHEET_MAX_COLS)
			return -1;
	if (p == ref || *p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((r = r * 10 + (*p - '0')) > QJ_SHEET_MAX_ROW)
			return -1;
	if (*p)
		return -1;
	*col = (int)c;
	*row = (int)r;
	return 0;
}

/* A sheet name as Excel writes it in a reference: quoted when it holds
 * anything but letters, digits, '_' and '.' (inner quotes doubled). */
static void put_sheet_name(char *buf, size_t n, const char *name)
{
	const unsigned char *p;
	size_t k = 0;
	int quote = 0;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x80 && !(*p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
				   ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
			quote = 1;
	if (quote && k + 1 < n)
		buf[k++] = '\'';
	for (p = (const unsigned char *)name; *p && k + 3 < n; p++) {
		if (*p == '\'')
			buf[k++] = '\'';
		buf[k++] = (char)*p;
	}
	if (quote && k + 1 < n)
		buf[k++] = '\'';
	buf[k] = 0;
}

const char *sh_where(const qj_sheet *s, int line, int col, char *buf, size_t n)
{
	char a1[24], sheet[256];
	if (!s->name) {
		if (line > 0 && col > 0)
			snprintf(buf, n, "%s:%d:%d", s->file, line, col);
		else if (line > 0)
			snprintf(buf, n, "%s:%d", s->file, line);
		else
			snprintf(buf, n, "%s", s->file);
		return buf;
	}
	put_sheet_name(sheet, sizeof sheet, s->name);
	if (line > 0 && col > 0)
		snprintf(buf, n, "%s:%s!%s", s->file, sheet, sh_a1(a1, col, line));
	else if (line > 0) /* a whole row, as Excel writes it: Sheet1!17:17 */
		snprintf(buf, n, "%s:%s!%d:%d", s->file, sheet, line, line);
	else
		snprintf(buf, n, "%s:%s", s->file, sheet);
	return buf;
}

void sh_error(qj_sheet *s, int line, int col, const char *fmt, ...)
{
	char where[1024];
	va_list ap;
	s->errors++;
	va_start(ap, fmt);
	/* the place goes in the file part: qj_vdiag adds no line of its own */
	qj_vdiag(s->ctx, QJ_ERROR, sh_where(s, line, col, where, sizeof where),
		 0, 0, fmt, ap);
	va_end(ap);
}

int sh_too_many(const qj_sheet *s)
{
	return s->errors >= qj_ctx_limits(s->ctx)->max_errors;
}

char *sh_trim(qj_arena *a, const char *s)
{
	const unsigned char *b = (const unsigned char *)s, *e;
	for (;;) {
		if (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
			b++;
		else if (b[0] == 0xC2 && b[1] == 0xA0)
			b += 2;
		else
			break;
	}
	e = b + strlen((const char *)b);
	for (;;) {
		if (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - b >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)
			e -= 2;
		else
			break;
	}
	return qj_arena_strndup(a, (const char *)b, (size_t)(e - b));
}

/* Days from 1970-01-01 to a civil date and back (H. Hinnant's algorithms). */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int qj_sheet_excel_date(double serial, int date1904, int *year, int *month,
			int *day)
{
	long n, base;
	if (!(serial >= 0) || serial >= 2958466.0) /* NaN too; 2958465 = 9999-12-31 */
		return -1;
	n = (long)floor(serial);
	if (date1904) {
		base = days_from_civil(1904, 1, 1);
		if (n > 2957003) /* 9999-12-31 in the 1904 system */
			return -1;
	} else {
		/* Excel counts 1900-02-29 (serial 60), which never was, as Lotus did */
		if (n < 1 || n == 60)
			return -1;
		base = days_from_civil(1899, 12, n < 60 ? 31 : 30);
	}
	civil_from_days(base + n, year, month, day);
	return 0;
}
