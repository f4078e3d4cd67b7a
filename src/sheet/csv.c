/* csv: a strict RFC 4180 reader for what Excel writes: UTF-8 with or
 * without a BOM, comma or semicolon (found on the header line, or Excel's
 * "sep=;" line), fields in double quotes with "" for a quote and with
 * delimiters and line breaks inside, CRLF, LF or CR line ends. Our own
 * reader rather than libcsv: libcsv reports a bad quote as CSV_EPARSE with
 * no place, and every diagnostic here must name the line and field. */
#include "sheet/sheet-imp.h"

#include <string.h>

/* Rejects what is not UTF-8 text: a UTF-16 BOM, a NUL byte, a bad sequence
 * (the first one, with its line and byte offset: the rest of the file is
 * then in the same wrong encoding). */
static int check_text(qj_sheet *s, const unsigned char *p, size_t len)
{
	size_t i, n;
	int line = 1;
	uint32_t cp;
	if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
		sh_error(s, 1, 0, "the file is UTF-16, not UTF-8: save it as \"CSV UTF-8\"");
		return -1;
	}
	for (i = 0; i < len; i += n) {
		if (p[i] == 0) {
			sh_error(s, line, 0, "NUL byte at byte offset %zu: not a text file", i);
			return -1;
		}
		n = qj_utf8_next((const char *)p + i, len - i, &cp);
		if (!n) {
			sh_error(s, line, 0, "invalid UTF-8 at byte offset %zu (byte 0x%02X): "
				 "save the file as \"CSV UTF-8\"", i, p[i]);
			return -1;
		}
		line += p[i] == '\n' || (p[i] == '\r' && (i + 1 == len || p[i + 1] != '\n'));
	}
	return 0;
}

/* The delimiter of the first record: ';' when it has more semicolons than
 * commas outside quotes, else ','. */
static int find_delim(const char *p, size_t len)
{
	size_t i;
	int q = 0, commas = 0, semis = 0;
	for (i = 0; i < len; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && (p[i] == '\n' || p[i] == '\r'))
			break;
		else if (!q)
			commas += p[i] == ',', semis += p[i] == ';';
	}
	return semis > commas ? ';' : ',';
}

typedef struct csv_state {
	qj_sheet *s;
	const char *p;
	size_t len, i;
	int line;
	int delim;
	qj_buf field;
} csv_state;

/* Consumes a line end at i, if there is one; returns 1 when it did. */
static int eat_newline(csv_state *c)
{
	if (c->i < c->len && c->p[c->i] == '\r') {
		c->i += 1 + (c->i + 1 < c->len && c->p[c->i + 1] == '\n');
		c->line++;
		return 1;
	}
	if (c->i < c->len && c->p[c->i] == '\n') {
		c->i++;
		c->line++;
		return 1;
	}
	return 0;
}

/* Reads a quoted field from the opening quote at i into c->field. */
static int read_quoted(csv_state *c, int fline, int col)
{
	c->i++;
	for (;;) {
		char ch;
		if (c->i >= c->len) {
			sh_error(c->s, fline, col, "the quoted field that starts here is never closed");
			return -1;
		}
		ch = c->p[c->i];
		if (ch == '"') {
			if (c->i + 1 < c->len && c->p[c->i + 1] == '"') {
				qj_buf_putc(&c->field, '"');
				c->i += 2;
				continue;
			}
			c->i++;
			break;
		}
		if (ch == '\r' || ch == '\n') { /* a line break in a cell is LF */
			eat_newline(c);
			qj_buf_putc(&c->field, '\n');
			continue;
		}
		qj_buf_putc(&c->field, ch);
		c->i++;
	}
	/* after the closing quote: spaces, then a delimiter or the line's end */
	while (c->i < c->len && (c->p[c->i] == ' ' || c->p[c->i] == '\t'))
		c->i++;
	if (c->i < c->len && c->p[c->i] != c->delim && c->p[c->i] != '\r' && c->p[c->i] != '\n') {
		uint32_t cp;
		size_t n = qj_utf8_next(c->p + c->i, c->len - c->i, &cp);
		sh_error(c->s, c->line, col, "'%.*s' after the closing quote of a quoted field "
			 "(a quote inside a quoted field is written \"\")", (int)(n ? n : 1),
			 c->p + c->i);
		while (c->i < c->len && c->p[c->i] != c->delim && c->p[c->i] != '\r' &&
		       c->p[c->i] != '\n')
			c->i++;
	}
	return 0;
}

/* Reads every record; a record of empty fields (an empty line, ";;;") is
 * skipped. */
static int read_records(csv_state *c)
{
	qj_limits *lim = qj_ctx_limits(c->s->ctx);
	int col = 1;
	sh_row_begin(c->s, c->line);
	for (;;) {
		int fline = c->line;
		qj_buf_reset(&c->field);
		if (c->i < c->len && c->p[c->i] == '"') {
			if (read_quoted(c, fline, col) < 0)
				return -1;
		} else {
			size_t b = c->i;
			while (c->i < c->len && c->p[c->i] != c->delim && c->p[c->i] != '\r' &&
			       c->p[c->i] != '\n')
				c->i++;
			qj_buf_append(&c->field, c->p + b, c->i - b);
		}
		if (c->field.len > lim->max_string) {
			sh_error(c->s, fline, col, "field of %zu bytes is over the limit of %zu",
				 c->field.len, lim->max_string);
			return -1;
		}
		if (col > QJ_SHEET_MAX_COLS) {
			sh_error(c->s, fline, col, "more than %d fields in a record", QJ_SHEET_MAX_COLS);
			return -1;
		}
		if (sh_cell_add(c->s, col, fline, QJ_CELL_TEXT, qj_buf_str(&c->field),
				c->field.len) < 0)
			return -1;
		if (c->i < c->len && c->p[c->i] == c->delim) {
			c->i++;
			col++;
			continue;
		}
		/* the record ends: at a line end or the end of the file */
		eat_newline(c);
		if (sh_row_end(c->s) < 0 || sh_too_many(c->s))
			return -1;
		if (c->i >= c->len)
			return 0;
		col = 1;
		sh_row_begin(c->s, c->line);
	}
}

qj_sheet *qj_sheet_read_csv(qj_ctx *ctx, const char *name, const char *data,
			    size_t len)
{
	qj_sheet *s = sh_new(ctx, name, NULL);
	csv_state c;
	int rc;
	if (!s)
		return NULL;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.p = data;
	c.len = len;
	c.line = 1;
	if (check_text(s, (const unsigned char *)data, len) < 0)
		goto bad;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		c.i = 3;
	/* Excel's own hint line: "sep=;" */
	if (len - c.i >= 5 && !memcmp(data + c.i, "sep=", 4) && data[c.i + 4] &&
	    strchr(",;\t", data[c.i + 4]) &&
	    (c.i + 5 == len || data[c.i + 5] == '\r' || data[c.i + 5] == '\n')) {
		c.delim = data[c.i + 4];
		c.i += 5;
		eat_newline(&c);
	} else {
		c.delim = find_delim(data + c.i, len - c.i);
	}
	s->delim = c.delim;
	qj_buf_init(&c.field, ctx);
	rc = c.i < len ? read_records(&c) : 0;
	qj_buf_free(&c.field);
	if (rc < 0 || s->errors || qj_ctx_oom(ctx))
		goto bad;
	if (s->nrows == 0) {
		sh_error(s, 0, 0, "%s: expected a header row (serial, name, …) and a row per person",
			 len ? "no data, only empty lines" : "empty file");
		goto bad;
	}
	return s;
bad:
	qj_sheet_free(s);
	return NULL;
}
