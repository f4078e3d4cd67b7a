/* xlsx: the first sheet (and the "course" sheet) of an Office Open XML
 * workbook. The zip is read with libzip from memory; every member's
 * declared size is checked against the limit before it is inflated, and
 * the bytes that come out are counted too (a zip bomb, or a member that
 * lies about its size, is refused). The XML is parsed by libxml2 with the
 * protections of src/xml/load.c: no network, no DTD, no entity
 * declarations, depth and text limits. workbook.xml and its relationships
 * are small and go through qj_xml_load_memory itself; sharedStrings.xml and
 * the sheets stream through a SAX push parser, so a sheet of a million
 * empty rows costs time in proportion to its bytes and no memory. */
#include "sheet/sheet-imp.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "xml/xml.h"

typedef struct sh_book {
	qj_ctx *ctx;
	const char *file;
	zip_t *zip;
	qj_arena *arena;
	char **sst;        /* shared strings */
	size_t nsst, capsst;
	int date1904;
	int errors;
} sh_book;

typedef struct sh_sheetref {
	const char *name;
	const char *path;  /* zip member */
} sh_sheetref;

/* ---- zip members ------------------------------------------------------ */

/* Finds a member and checks its declared size; -1 (with an error unless
 * optional) when it is missing or too big. */
static zip_int64_t member_find(sh_book *b, const char *path, int optional,
			       zip_uint64_t *size)
{
	size_t limit = qj_ctx_limits(b->ctx)->max_file_bytes;
	zip_int64_t idx = zip_name_locate(b->zip, path, ZIP_FL_NOCASE);
	zip_stat_t st;
	if (idx < 0) {
		if (!optional)
			qj_error(b->ctx, b->file, 0, "a zip archive but not an Excel workbook: "
				 "it has no %s", path);
		return -1;
	}
	if (zip_stat_index(b->zip, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		qj_error(b->ctx, b->file, 0, "%s: cannot read its size in the zip", path);
		return -1;
	}
	if (st.size > limit) {
		qj_error(b->ctx, b->file, 0, "%s would inflate to %llu bytes, over the limit "
			 "of %zu: refused", path, (unsigned long long)st.size, limit);
		return -1;
	}
	*size = st.size;
	return idx;
}

/* Inflates a member chunk by chunk into fn; stops when more comes out than
 * it declared (which is within the limit). Returns 0, or -1 after an error. */
static int member_stream(sh_book *b, const char *path, zip_int64_t idx,
			 zip_uint64_t size, int (*fn)(void *, const char *, int),
			 void *user)
{
	char chunk[65536];
	zip_file_t *zf = zip_fopen_index(b->zip, (zip_uint64_t)idx, 0);
	zip_uint64_t total = 0;
	zip_int64_t n;
	int rc = 0;
	if (!zf) {
		qj_error(b->ctx, b->file, 0, "%s: cannot open in the zip: %s", path,
			 zip_error_strerror(zip_get_error(b->zip)));
		return -1;
	}
	while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0) {
		total += (zip_uint64_t)n;
		if (total > size) {
			qj_error(b->ctx, b->file, 0, "%s inflates to more than the %llu bytes it "
				 "declares: refused", path, (unsigned long long)size);
			rc = -1;
			break;
		}
		if (fn(user, chunk, (int)n) < 0) {
			rc = -1;
			break;
		}
	}
	if (n < 0 && rc == 0) {
		qj_error(b->ctx, b->file, 0, "%s: cannot inflate: %s", path,
			 zip_file_strerror(zf));
		rc = -1;
	}
	zip_fclose(zf);
	return rc;
}

static int append_buf(void *user, const char *d, int n)
{
	return qj_buf_append(user, d, (size_t)n);
}

/* A small member parsed with qj_xml_load_memory; NULL when missing (an
 * error unless optional) or bad. */
static xmlDocPtr member_doc(sh_book *b, const char *path, int optional)
{
	zip_uint64_t size;
	zip_int64_t idx = member_find(b, path, optional, &size);
	qj_buf buf;
	xmlDocPtr doc = NULL;
	char *where;
	if (idx < 0)
		return NULL;
	qj_buf_init(&buf, b->ctx);
	where = qj_arena_printf(b->arena, "%s:%s", b->file, path);
	if (member_stream(b, path, idx, size, append_buf, &buf) == 0 && where)
		doc = qj_xml_load_memory(b->ctx, where, buf.data ? buf.data : "", buf.len);
	qj_buf_free(&buf);
	return doc;
}

/* ---- streaming XML ---------------------------------------------------- */

typedef struct sh_sax {
	sh_book *b;
	xmlParserCtxtPtr p;
	const char *where;   /* "FILE:MEMBER" */
	int failed;
	int depth;
	void (*start)(struct sh_sax *, const char *name, int nattr, const xmlChar **attrs);
	void (*end)(struct sh_sax *, const char *name);
	void (*text)(struct sh_sax *, const char *s, int n);
	void *user;
} sh_sax;

static void sax_fail(sh_sax *x)
{
	x->failed = 1;
	xmlStopParser(x->p);
}

static void sax_error(void *data, xmlErrorPtr err)
{
	sh_sax *x = data;
	char msg[1024];
	size_t n;
	if (!err || err->level == XML_ERR_WARNING || x->failed)
		return;
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = 0;
	qj_error(x->b->ctx, x->where, err->line, "%s", msg);
	x->failed = 1;
}

static void sax_subset(void *data, const xmlChar *name, const xmlChar *ext,
		       const xmlChar *sys)
{
	sh_sax *x = data;
	(void)name; (void)ext; (void)sys;
	qj_error(x->b->ctx, x->where, xmlSAX2GetLineNumber(x->p),
		 "DOCTYPE declarations are not allowed");
	sax_fail(x);
}

static void sax_entity(void *data, const xmlChar *name, int type,
		       const xmlChar *pub, const xmlChar *sys, xmlChar *content)
{
	sh_sax *x = data;
	(void)type; (void)pub; (void)sys; (void)content;
	qj_error(x->b->ctx, x->where, xmlSAX2GetLineNumber(x->p),
		 "entity declaration '%s' is not allowed", (const char *)name);
	sax_fail(x);
}

static void sax_start(void *data, const xmlChar *local, const xmlChar *prefix,
		      const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
		      int ndef, const xmlChar **attrs)
{
	sh_sax *x = data;
	(void)prefix; (void)uri; (void)nns; (void)ns; (void)ndef;
	if (x->failed)
		return;
	if (++x->depth > qj_ctx_limits(x->b->ctx)->max_depth) {
		qj_error(x->b->ctx, x->where, xmlSAX2GetLineNumber(x->p),
			 "elements nested deeper than the limit of %d",
			 qj_ctx_limits(x->b->ctx)->max_depth);
		sax_fail(x);
		return;
	}
	x->start(x, (const char *)local, nattr, attrs);
}

static void sax_end(void *data, const xmlChar *local, const xmlChar *prefix,
		    const xmlChar *uri)
{
	sh_sax *x = data;
	(void)prefix; (void)uri;
	x->depth--;
	if (!x->failed)
		x->end(x, (const char *)local);
}

static void sax_text(void *data, const xmlChar *s, int n)
{
	sh_sax *x = data;
	if (!x->failed)
		x->text(x, (const char *)s, n);
}

static int sax_feed(void *user, const char *d, int n)
{
	sh_sax *x = user;
	xmlParseChunk(x->p, d, n, 0);
	return x->failed ? -1 : 0;
}

/* An attribute of a SAX2 start tag (values are not NUL-terminated), copied
 * into buf; NULL when absent. */
static const char *sax_attr(int nattr, const xmlChar **a, const char *name,
			    char *buf, size_t n)
{
	int i;
	for (i = 0; i < nattr; i++, a += 5)
		if (!strcmp((const char *)a[0], name)) {
			size_t len = (size_t)(a[4] - a[3]);
			if (len >= n)
				len = n - 1;
			memcpy(buf, a[3], len);
			buf[len] = 0;
			return buf;
		}
	return NULL;
}

/* Streams a member through x's handlers. */
static int member_sax(sh_book *b, const char *path, sh_sax *x)
{
	xmlSAXHandler h;
	zip_uint64_t size;
	zip_int64_t idx = member_find(b, path, 0, &size);
	int rc;
	if (idx < 0)
		return -1;
	memset(&h, 0, sizeof h);
	h.initialized = XML_SAX2_MAGIC;
	h.startElementNs = sax_start;
	h.endElementNs = sax_end;
	h.characters = sax_text;
	h.serror = sax_error;
	h.internalSubset = sax_subset;
	h.entityDecl = sax_entity;
	x->b = b;
	x->where = qj_arena_printf(b->arena, "%s:%s", b->file, path);
	x->p = xmlCreatePushParserCtxt(&h, x, NULL, 0, x->where);
	if (!x->p || !x->where) {
		qj_error(b->ctx, b->file, 0, "out of memory creating an XML parser");
		if (x->p)
			xmlFreeParserCtxt(x->p);
		return -1;
	}
	xmlCtxtUseOptions(x->p, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	rc = member_stream(b, path, idx, size, sax_feed, x);
	if (rc == 0 && !x->failed)
		xmlParseChunk(x->p, NULL, 0, 1);
	xmlFreeParserCtxt(x->p);
	x->p = NULL;
	return rc < 0 || x->failed ? -1 : 0;
}

/* ---- shared strings --------------------------------------------------- */

typedef struct sst_state {
	qj_buf buf;
	int in_si, in_t, in_rph;
} sst_state;

static void sst_start(sh_sax *x, const char *name, int nattr, const xmlChar **attrs)
{
	sst_state *st = x->user;
	(void)nattr; (void)attrs;
	if (!strcmp(name, "si")) {
		st->in_si = 1;
		qj_buf_reset(&st->buf);
	} else if (!strcmp(name, "rPh")) { /* phonetic runs are not the text */
		st->in_rph++;
	} else if (!strcmp(name, "t") && st->in_si && !st->in_rph) {
		st->in_t = 1;
	}
}

static void sst_end(sh_sax *x, const char *name)
{
	sst_state *st = x->user;
	sh_book *b = x->b;
	if (!strcmp(name, "t")) {
		st->in_t = 0;
	} else if (!strcmp(name, "rPh")) {
		st->in_rph--;
	} else if (!strcmp(name, "si") && st->in_si) {
		st->in_si = 0;
		if (b->nsst == b->capsst) {
			size_t cap = b->capsst ? b->capsst * 2 : 256;
			char **p = qj_realloc(b->ctx, b->sst, cap * sizeof *p);
			if (!p) {
				sax_fail(x);
				return;
			}
			b->sst = p;
			b->capsst = cap;
		}
		b->sst[b->nsst] = qj_arena_strndup(b->arena, qj_buf_str(&st->buf), st->buf.len);
		if (!b->sst[b->nsst++])
			sax_fail(x);
	}
}

static void sst_text(sh_sax *x, const char *s, int n)
{
	sst_state *st = x->user;
	if (!st->in_t)
		return;
	if (st->buf.len + (size_t)n > qj_ctx_limits(x->b->ctx)->max_string) {
		qj_error(x->b->ctx, x->where, xmlSAX2GetLineNumber(x->p),
			 "text over the limit of %zu bytes", qj_ctx_limits(x->b->ctx)->max_string);
		sax_fail(x);
		return;
	}
	qj_buf_append(&st->buf, s, (size_t)n);
}

static int read_sst(sh_book *b, const char *path)
{
	sst_state st;
	sh_sax x;
	int rc;
	memset(&st, 0, sizeof st);
	memset(&x, 0, sizeof x);
	qj_buf_init(&st.buf, b->ctx);
	x.start = sst_start;
	x.end = sst_end;
	x.text = sst_text;
	x.user = &st;
	rc = member_sax(b, path, &x);
	qj_buf_free(&st.buf);
	return rc;
}

/* ---- a worksheet ------------------------------------------------------ */

typedef struct ws_state {
	qj_sheet *s;
	qj_buf v, f;       /* the cell's value and formula text */
	char t[16];        /* the cell's type */
	int row, col;      /* current row and cell */
	int in_data, in_c, in_v, in_f, in_is, in_t, in_rph, has_f;
} ws_state;

static void ws_start(sh_sax *x, const char *name, int nattr, const xmlChar **attrs)
{
	ws_state *w = x->user;
	char ref[32];
	if (!strcmp(name, "sheetData")) {
		w->in_data = 1;
	} else if (w->in_data && !strcmp(name, "row")) {
		const char *r = sax_attr(nattr, attrs, "r", ref, sizeof ref);
		long n = r ? strtol(r, NULL, 10) : w->row + 1;
		if (n <= w->row || n > QJ_SHEET_MAX_ROW) {
			sh_error(w->s, 0, 0, "row number %ld out of order or past %d", n, QJ_SHEET_MAX_ROW);
			sax_fail(x);
			return;
		}
		w->row = (int)n;
		w->col = 0;
		sh_row_begin(w->s, w->row);
	} else if (w->in_data && !strcmp(name, "c")) {
		const char *r = sax_attr(nattr, attrs, "r", ref, sizeof ref);
		int col = w->col + 1, row = w->row;
		if (r && sh_parse_a1(r, &col, &row) < 0) {
			/* at the row: the reference names no cell to point at */
			sh_error(w->s, w->row, 0, "'%s' is not a cell reference of a sheet (columns A to "
				 "XFD, rows 1 to %d)", r, QJ_SHEET_MAX_ROW);
			sax_fail(x);
			return;
		}
		if (r && row != w->row) {
			sh_error(w->s, w->row, 0, "cell reference '%s' is not in row %d", r, w->row);
			sax_fail(x);
			return;
		}
		w->col = col;
		if (!sax_attr(nattr, attrs, "t", w->t, sizeof w->t))
			strcpy(w->t, "n");
		w->in_c = 1;
		w->has_f = 0;
		qj_buf_reset(&w->v);
		qj_buf_reset(&w->f);
	} else if (w->in_c && !strcmp(name, "f")) {
		w->in_f = w->has_f = 1;
	} else if (w->in_c && !strcmp(name, "v")) {
		w->in_v = 1;
	} else if (w->in_c && !strcmp(name, "is")) {
		w->in_is = 1;
	} else if (w->in_is && !strcmp(name, "rPh")) {
		w->in_rph++;
	} else if (w->in_is && !w->in_rph && !strcmp(name, "t")) {
		w->in_t = 1;
	}
}

/* The value of the cell just read, by its type. */
static void ws_cell(sh_sax *x, ws_state *w)
{
	sh_book *b = x->b;
	const char *v = qj_buf_str(&w->v);
	qj_cell_kind kind = QJ_CELL_TEXT;
	char num[40];
	if (w->has_f) {
		char *t = qj_arena_printf(b->arena, "=%s", qj_buf_str(&w->f));
		sh_cell_add(w->s, w->col, w->row, QJ_CELL_FORMULA, t ? t : "=", t ? strlen(t) : 1);
		return;
	}
	if (!w->v.len)
		return;
	if (!strcmp(w->t, "s")) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (*end || end == v || i >= b->nsst) {
			sh_error(w->s, w->row, w->col, "shared string %s is not in the workbook", v);
			return;
		}
		v = b->sst[i];
	} else if (!strcmp(w->t, "b")) {
		kind = QJ_CELL_BOOL;
		v = strcmp(v, "0") ? "TRUE" : "FALSE";
	} else if (!strcmp(w->t, "e")) {
		kind = QJ_CELL_ERROR;
	} else if (!strcmp(w->t, "d")) {
		kind = QJ_CELL_DATE;
	} else if (!strcmp(w->t, "n")) {
		char *end;
		double d = strtod(v, &end);
		if (*end || end == v) {
			sh_error(w->s, w->row, w->col, "'%s' in a number cell", v);
			return;
		}
		kind = QJ_CELL_NUMBER;
		/* Excel keeps 15 significant digits: a longer number (a serial,
		 * a registration number typed into a number cell) is already
		 * not what was typed, and %.15g would print it as 1.2e+17 */
		if (fabs(d) >= 1e15) {
			sh_error(w->s, w->row, w->col,
				 "the number %s has more digits than Excel keeps (15): format the "
				 "column as Text and type the values again", v);
			return;
		}
		snprintf(num, sizeof num, "%.15g", d);
		v = num;
	} /* "str" and "inlineStr": the text as it is */
	sh_cell_add(w->s, w->col, w->row, kind, v, strlen(v));
}

static void ws_end(sh_sax *x, const char *name)
{
	ws_state *w = x->user;
	if (!strcmp(name, "sheetData")) {
		w->in_data = 0;
	} else if (w->in_c && !strcmp(name, "c")) {
		ws_cell(x, w);
		w->in_c = w->in_v = w->in_f = w->in_is = w->in_t = 0;
	} else if (w->in_data && !strcmp(name, "row")) {
		if (sh_row_end(w->s) < 0 || sh_too_many(w->s))
			sax_fail(x);
	} else if (!strcmp(name, "f")) {
		w->in_f = 0;
	} else if (!strcmp(name, "v")) {
		w->in_v = 0;
	} else if (!strcmp(name, "rPh")) {
		w->in_rph--;
	} else if (!strcmp(name, "t")) {
		w->in_t = 0;
	} else if (!strcmp(name, "is")) {
		w->in_is = 0;
	}
}

static void ws_text(sh_sax *x, const char *s, int n)
{
	ws_state *w = x->user;
	qj_buf *into = w->in_f ? &w->f : (w->in_v || w->in_t) ? &w->v : NULL;
	if (!into)
		return;
	if (into->len + (size_t)n > qj_ctx_limits(x->b->ctx)->max_string) {
		sh_error(w->s, w->row, w->col, "text over the limit of %zu bytes",
			 qj_ctx_limits(x->b->ctx)->max_string);
		sax_fail(x);
		return;
	}
	qj_buf_append(into, s, (size_t)n);
}

static qj_sheet *read_sheet(sh_book *b, const sh_sheetref *ref)
{
	qj_sheet *s = sh_new(b->ctx, b->file, ref->name);
	ws_state w;
	sh_sax x;
	int rc;
	if (!s)
		return NULL;
	s->date1904 = b->date1904;
	memset(&w, 0, sizeof w);
	memset(&x, 0, sizeof x);
	w.s = s;
	qj_buf_init(&w.v, b->ctx);
	qj_buf_init(&w.f, b->ctx);
	x.start = ws_start;
	x.end = ws_end;
	x.text = ws_text;
	x.user = &w;
	rc = member_sax(b, ref->path, &x);
	qj_buf_free(&w.v);
	qj_buf_free(&w.f);
	if (rc < 0 || s->errors || qj_ctx_oom(b->ctx)) {
		qj_sheet_free(s);
		return NULL;
	}
	return s;
}

/* ---- the workbook ----------------------------------------------------- */

/* An attribute by local name in any namespace (r:id), lent from the tree. */
static const char *attr_ns(const xmlNode *n, const char *local)
{
	const xmlAttr *a;
	for (a = n->properties; a; a = a->next)
		if (a->ns && !strcmp((const char *)a->name, local) && a->children)
			return (const char *)a->children->content;
	return NULL;
}

/* A relationship's target as a zip member path: "/xl/x.xml" → "xl/x.xml",
 * "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml". */
static const char *rel_path(sh_book *b, const char *target)
{
	if (target[0] == '/')
		return qj_arena_strdup(b->arena, target + 1);
	if (!strncmp(target, "./", 2))
		target += 2;
	return qj_arena_printf(b->arena, "xl/%s", target);
}

/* The sheets in tab order, and the shared strings' member (NULL if none). */
static int read_book(sh_book *b, sh_sheetref **refs, int *nrefs, const char **sst)
{
	xmlDocPtr wb = member_doc(b, "xl/workbook.xml", 0), rels = NULL;
	xmlNodePtr root, n, r;
	int count = 0, k = 0, bad = 0;
	*sst = NULL;
	if (!wb || !(rels = member_doc(b, "xl/_rels/workbook.xml.rels", 0))) {
		xmlFreeDoc(wb);
		return -1;
	}
	root = xmlDocGetRootElement(wb);
	for (n = qj_xml_child(root, "workbookPr"); n; n = NULL) {
		const char *d = qj_xml_attr(n, "date1904");
		b->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	}
	n = qj_xml_child(root, "sheets");
	for (r = n ? qj_xml_child(n, "sheet") : NULL; r; r = qj_xml_next(r, "sheet"))
		count++;
	*refs = qj_arena_alloc(b->arena, (size_t)(count ? count : 1) * sizeof **refs);
	for (r = n ? qj_xml_child(n, "sheet") : NULL; r && *refs; r = qj_xml_next(r, "sheet")) {
		const char *name = qj_xml_attr(r, "name"), *id = attr_ns(r, "id");
		xmlNodePtr rel;
		for (rel = qj_xml_child(xmlDocGetRootElement(rels), "Relationship"); rel;
		     rel = qj_xml_next(rel, "Relationship"))
			if (id && qj_xml_attr(rel, "Id") && !strcmp(qj_xml_attr(rel, "Id"), id))
				break;
		if (!name || !rel || !qj_xml_attr(rel, "Target")) {
			qj_error(b->ctx, b->file, 0, "xl/workbook.xml: sheet '%s' has no part in the "
				 "workbook", name ? name : "?");
			bad = 1;
			continue;
		}
		(*refs)[k].name = name ? qj_arena_strdup(b->arena, name) : NULL;
		(*refs)[k++].path = rel_path(b, qj_xml_attr(rel, "Target"));
	}
	for (r = qj_xml_child(xmlDocGetRootElement(rels), "Relationship"); r;
	     r = qj_xml_next(r, "Relationship")) {
		const char *type = qj_xml_attr(r, "Type"), *t = qj_xml_attr(r, "Target");
		size_t len = type ? strlen(type) : 0;
		if (t && len > 14 && !strcmp(type + len - 14, "/sharedStrings"))
			*sst = rel_path(b, t);
	}
	if (!k && !bad) {
		qj_error(b->ctx, b->file, 0, "the workbook has no sheets");
		bad = 1;
	}
	*nrefs = k;
	xmlFreeDoc(wb);
	xmlFreeDoc(rels);
	return bad ? -1 : 0;
}

/* What the bytes are when they are no zip: a better word than "bad zip". */
static int check_signature(qj_ctx *ctx, const char *name, const char *data, size_t len)
{
	if (len == 0) {
		qj_error(ctx, name, 0, "empty file: expected an .xlsx workbook");
		return -1;
	}
	if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		qj_error(ctx, name, 0, "an Excel 97-2003 (.xls) file, not .xlsx: save it as "
			 "\"Excel Workbook (*.xlsx)\"");
		return -1;
	}
	if (len < 4 || memcmp(data, "PK\3\4", 4)) {
		qj_error(ctx, name, 0, "not an .xlsx workbook (an .xlsx file is a zip archive)");
		return -1;
	}
	return 0;
}

qj_sheet *qj_sheet_read_xlsx(qj_ctx *ctx, const char *name, const char *data,
			     size_t len, qj_sheet **course)
{
	sh_book b;
	zip_error_t ze;
	zip_source_t *src;
	sh_sheetref *refs = NULL;
	const char *sst = NULL;
	qj_sheet *first = NULL;
	int nrefs = 0, i;

	if (course)
		*course = NULL;
	if (check_signature(ctx, name, data, len) < 0)
		return NULL;
	memset(&b, 0, sizeof b);
	b.ctx = ctx;
	b.file = name;
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	b.zip = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!b.zip) {
		qj_error(ctx, name, 0, "not an .xlsx workbook: the zip archive is unreadable (%s)",
			 zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return NULL;
	}
	zip_error_fini(&ze);
	b.arena = qj_arena_new(ctx);
	if (!b.arena || read_book(&b, &refs, &nrefs, &sst) < 0)
		goto done;
	if (sst && zip_name_locate(b.zip, sst, ZIP_FL_NOCASE) >= 0 && read_sst(&b, sst) < 0)
		goto done;
	first = read_sheet(&b, &refs[0]);
	if (!first || !course)
		goto done;
	for (i = 1; i < nrefs; i++)
		if (!strcasecmp(refs[i].name, "course")) {
			*course = read_sheet(&b, &refs[i]);
			if (!*course) {
				qj_sheet_free(first);
				first = NULL;
			}
			break;
		}
done:
	zip_discard(b.zip);
	qj_free(ctx, b.sst);
	qj_arena_free(b.arena);
	return first;
}
