/* mend: the PDF libharu 2.3.0 saved, made right before it is written out.
 * Its xref table gives each object's offset; only the dictionaries found
 * there are read, token by token, and stream data is never searched (an
 * image that happens to hold "/Dest 1 0 R" is never taken for one). The
 * fonts are already right (pdf.c makes them); what is mended is the
 * document information, the catalog (with the outline, written here from
 * pdf.c's list) and the trailer. The document is then copied object by object with edits —
 * values replaced, entries added before a dictionary's ">>", new objects
 * after the last — and a new xref, a trailer with an /ID made from the
 * bytes before it, and startxref. Everything is built in memory and
 * written once, atomically. */
#include "pdf-imp.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ---- tokens ---- */

static int pdf_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static int pdf_delim(char c)
{
	return pdf_space(c) || strchr("()<>[]{}/%", c) != NULL;
}

static size_t skip_space(const char *d, size_t i, size_t end)
{
	while (i < end && (pdf_space(d[i]) || d[i] == '%')) {
		if (d[i] == '%')
			while (i < end && d[i] != '\n' && d[i] != '\r')
				i++;
		else
			i++;
	}
	return i;
}

/* A non-negative integer at *i (moved past it); -1 when there is none. */
static long read_int(const char *d, size_t *i, size_t end)
{
	long v = 0;
	size_t j = *i;
	if (j >= end || d[j] < '0' || d[j] > '9')
		return -1;
	while (j < end && d[j] >= '0' && d[j] <= '9' && v < 100000000)
		v = v * 10 + (d[j++] - '0');
	*i = j;
	return v;
}

/* A literal string "( … )" at i: the index after it. */
static size_t skip_string(const char *d, size_t i, size_t end)
{
	int depth = 0;
	for (; i < end; i++) {
		if (d[i] == '\\')
			i++;
		else if (d[i] == '(')
			depth++;
		else if (d[i] == ')' && --depth == 0)
			return i + 1;
	}
	return end;
}

/* The value at i (after spaces): the index after it, end when it runs
 * off, or 0 when it is not a value. "N G R" is one value. */
static size_t skip_value(const char *d, size_t i, size_t end, int depth)
{
	size_t j;
	i = skip_space(d, i, end);
	if (i >= end || depth > 32)
		return 0;
	if (d[i] == '<' && i + 1 < end && d[i + 1] == '<') {
		for (i += 2;;) {
			i = skip_space(d, i, end);
			if (i + 1 < end && d[i] == '>' && d[i + 1] == '>')
				return i + 2;
			if (!(i = skip_value(d, i, end, depth + 1)) || i >= end)
				return 0;
		}
	}
	if (d[i] == '[') {
		for (i++;;) {
			i = skip_space(d, i, end);
			if (i < end && d[i] == ']')
				return i + 1;
			if (!(i = skip_value(d, i, end, depth + 1)) || i >= end)
				return 0;
		}
	}
	if (d[i] == '(')
		return skip_string(d, i, end);
	if (d[i] == '<') {
		while (i < end && d[i] != '>')
			i++;
		return i < end ? i + 1 : 0;
	}
	if (d[i] == '/')
		i++;
	else if (strchr(")>]}", d[i]))
		return 0;
	j = i;
	while (i < end && !pdf_delim(d[i]))
		i++;
	/* an integer followed by "G R" is a reference */
	if (d[j] >= '0' && d[j] <= '9') {
		size_t k = skip_space(d, i, end);
		if (read_int(d, &k, end) >= 0) {
			k = skip_space(d, k, end);
			if (k < end && d[k] == 'R' && (k + 1 == end || pdf_delim(d[k + 1])))
				return k + 1;
		}
	}
	return i;
}

/* The first n bytes of s in d (len bytes), or NULL. */
static const char *find_bytes(const char *d, size_t len, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i + n <= len; i++)
		if (d[i] == s[0] && !memcmp(d + i, s, n))
			return d + i;
	return NULL;
}

/* ---- objects ---- */

static int by_offset(const void *a, const void *b)
{
	const mobj *p = a, *q = b;
	return (p->off > q->off) - (p->off < q->off);
}

/* Parses libharu's single-subsection xref table at off. */
static mobj *read_xref(qj_ctx *ctx, const char *d, size_t len, size_t off, long *count,
		       long *size)
{
	long first, n, i, k = 0;
	const char *p = d + off;
	mobj *objs;
	if (off + 5 > len || strncmp(p, "xref", 4) || sscanf(p + 4, " %ld %ld", &first, &n) != 2 ||
	    first != 0 || n < 1 || n > 100000000)
		return NULL;
	p = strchr(p + 4, '\n');
	p = p ? strchr(p + 1, '\n') : NULL;
	if (!p || (size_t)(p + 1 - d) + (size_t)n * 20 > len)
		return NULL;
	p++;
	objs = qj_calloc(ctx, (size_t)n, sizeof *objs);
	if (!objs)
		return NULL;
	for (i = 0; i < n; i++, p += 20) {
		if (p[17] != 'n')
			continue;
		objs[k].num = i;
		objs[k].off = strtoul(p, NULL, 10);
		k++;
	}
	*count = k;
	*size = n;
	return objs;
}

/* The dictionary at i into o's keys and values; o->dict_end after it.
 * -1 when it does not parse. */
static int read_dict(const mdoc *m, mobj *o, size_t i)
{
	const char *d = m->d;
	size_t end = o->end, v;
	for (i += 2;;) {
		i = skip_space(d, i, end);
		if (i + 1 < end && d[i] == '>' && d[i + 1] == '>')
			break;
		if (i >= end || d[i] != '/' || !(v = skip_value(d, i, end, 0)) || v >= end)
			return -1;
		if (o->nkeys < MEND_MAX_KEYS) {
			o->key[o->nkeys] = (mspan){i + 1, v};
			o->val[o->nkeys].a = skip_space(d, v, end);
		}
		if (!(i = skip_value(d, v, end, 0)) || i >= end)
			return -1;
		if (o->nkeys < MEND_MAX_KEYS)
			o->val[o->nkeys++].b = i;
	}
	o->dict_end = i + 2;
	return 0;
}

/* The object o: "N G obj" must name o->num; then its dictionary's keys and
 * values are noted, and where its stream data starts. -1 when the object
 * is not where the xref says. */
static int read_object(const mdoc *m, mobj *o)
{
	const char *d = m->d;
	size_t i = o->off, end = o->end;
	if (read_int(d, &i, end) != o->num)
		return -1;
	i = skip_space(d, i, end);
	if (read_int(d, &i, end) < 0)
		return -1;
	i = skip_space(d, i, end);
	if (end - i < 3 || memcmp(d + i, "obj", 3))
		return -1;
	o->body = i = skip_space(d, i + 3, end);
	if (end - i < 2 || memcmp(d + i, "<<", 2))
		return 0; /* not a dictionary: nothing to look at */
	if (read_dict(m, o, i) < 0)
		return -1;
	i = skip_space(d, o->dict_end, end);
	if (end - i >= 6 && !memcmp(d + i, "stream", 6)) {
		i += 6;
		if (i < end && d[i] == '\r')
			i++;
		if (i < end && d[i] == '\n')
			i++;
		o->data = i;
	}
	return 0;
}

const mspan *mend_get(const mdoc *m, const mobj *o, const char *key)
{
	size_t n = strlen(key);
	int i;
	for (i = 0; i < o->nkeys; i++)
		if (o->key[i].b - o->key[i].a == n && !memcmp(m->d + o->key[i].a, key, n))
			return &o->val[i];
	return NULL;
}

int mend_is(const mdoc *m, const mspan *v, const char *s)
{
	size_t n = strlen(s);
	return v && v->b - v->a == n && !memcmp(m->d + v->a, s, n);
}

static mobj *obj_num(const mdoc *m, long num)
{
	return num >= 0 && num < m->nat && m->at[num] >= 0 ? &m->objs[m->at[num]] : NULL;
}

mobj *mend_ref(const mdoc *m, const mspan *v)
{
	size_t i;
	long num;
	if (!v)
		return NULL;
	i = v->a;
	num = read_int(m->d, &i, v->b);
	if (num < 0 || m->d[v->b - 1] != 'R')
		return NULL;
	return obj_num(m, num);
}

/* ---- edits ---- */

typedef struct edit {
	size_t a, b;  /* the bytes replaced (a == b: an insertion) */
	char *text;
	size_t len;
} edit;

typedef struct mender {
	mdoc m;
	const qj_pdf_meta *meta;
	edit *ed;
	int ned, cap;
	qj_buf extra;  /* the new objects, "N 0 obj … endobj" each */
	long *extra_num;
	size_t *extra_off;
	int nextra;
	long root, info;  /* object numbers from the trailer */
} mender;

static int add_edit(mender *w, size_t a, size_t b, const char *text, size_t len)
{
	edit *e;
	if (w->ned == w->cap) {
		int cap = w->cap ? w->cap * 2 : 32;
		if (!(e = qj_realloc(w->m.ctx, w->ed, (size_t)cap * sizeof *e)))
			return -1;
		w->ed = e;
		w->cap = cap;
	}
	e = &w->ed[w->ned];
	if (!(e->text = qj_strndup(w->m.ctx, text, len)))
		return -1;
	e->a = a, e->b = b, e->len = len;
	w->ned++;
	return 0;
}

static int add_edit_buf(mender *w, size_t a, size_t b, qj_buf *t)
{
	int rc = qj_ctx_oom(w->m.ctx) ? -1 : add_edit(w, a, b, t->data ? t->data : "", t->len);
	qj_buf_free(t);
	return rc;
}

/* A new object numbered w->m.size++: "N 0 obj\n" head body "endobj". With
 * data, head is a stream dictionary without /Length, and data follows it
 * as the stream. Returns the number, or -1. */
static long new_object(mender *w, const char *head, const void *data, size_t len)
{
	long num = w->m.size++, *pn;
	size_t *po;
	if (!(pn = qj_realloc(w->m.ctx, w->extra_num, (size_t)(w->nextra + 1) * sizeof *pn)))
		return -1;
	w->extra_num = pn;
	if (!(po = qj_realloc(w->m.ctx, w->extra_off, (size_t)(w->nextra + 1) * sizeof *po)))
		return -1;
	w->extra_off = po;
	pn[w->nextra] = num;
	po[w->nextra++] = w->extra.len;
	qj_buf_printf(&w->extra, "%ld 0 obj\n", num);
	if (data) {
		qj_buf_printf(&w->extra, "<< %s /Length %zu >>\nstream\n", head, len);
		qj_buf_append(&w->extra, data, len);
		qj_buf_puts(&w->extra, "\nendstream\nendobj\n");
	} else {
		qj_buf_puts(&w->extra, head);
		qj_buf_puts(&w->extra, "\nendobj\n");
	}
	return qj_ctx_oom(w->m.ctx) ? -1 : num;
}

/* A new stream object, deflated. */
static long new_deflated(mender *w, const char *head, const void *data, size_t len)
{
	size_t zlen;
	unsigned char *z = qj_pdf_deflate(w->m.ctx, data, len, &zlen);
	char h[256];
	long num;
	if (!z)
		return -1;
	snprintf(h, sizeof h, "%s /Filter /FlateDecode", head);
	num = new_object(w, h, z, zlen);
	qj_free(w->m.ctx, z);
	return num;
}

/* ---- what is mended ---- */

/* The page objects under the page tree node o, in order, into pages (at
 * most max; *n counts them). */
static void collect_pages(mender *w, const mobj *o, long *pages, size_t max, size_t *n, int depth)
{
	const mspan *kids = o && depth < 8 ? mend_get(&w->m, o, "Kids") : NULL;
	size_t i;
	if (!kids)
		return;
	for (i = kids->a; i < kids->b && *n < max;) {
		size_t j;
		long num, gen;
		mobj *k;
		if (w->m.d[i] < '0' || w->m.d[i] > '9') {
			i++;
			continue;
		}
		num = read_int(w->m.d, &i, kids->b);
		j = skip_space(w->m.d, i, kids->b);
		gen = read_int(w->m.d, &j, kids->b);
		j = skip_space(w->m.d, j, kids->b);
		if (num < 0 || gen < 0 || j >= kids->b || w->m.d[j] != 'R')
			continue;
		i = j + 1;
		if (!(k = obj_num(&w->m, num)))
			continue;
		if (mend_is(&w->m, mend_get(&w->m, k, "Type"), "/Pages"))
			collect_pages(w, k, pages, max, n, depth + 1);
		else
			pages[(*n)++] = num;
	}
}

/* s as a PDF text string in hex, <FEFF…> (UTF-16BE): the dictionary is
 * kept as a C string, which a literal's NUL bytes would cut. */
static void hex_text_string(qj_buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, k;
	qj_buf_puts(b, "<FEFF");
	while (i < n) {
		uint32_t cp;
		k = qj_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		if (!k)
			cp = 0xFFFD;
		if (cp >= 0x10000)
			qj_buf_printf(b, "%04X%04X", 0xD800 + ((cp - 0x10000) >> 10),
				      0xDC00 + ((cp - 0x10000) & 0x3FF));
		else
			qj_buf_printf(b, "%04X", (unsigned)cp);
	}
	qj_buf_putc(b, '>');
}

/* The outline of meta->marks as new objects: the root, then an item per
 * mark, numbered in that order, all closed (as libharu wrote them). The
 * root's number, 0 when there are no marks, -1 on failure. */
static long mend_outline(mender *w, const mobj *catalog)
{
	const qj_pdf_meta *meta = w->meta;
	size_t n = meta->nmarks, np = 0, i;
	long base = w->m.size, *pages = NULL, rc = -1;
	/* per item: its parent, previous and next sibling, first and last
	 * child (-1: none; the parent -1 is the root), children */
	long *par = NULL, *prev = NULL, *next = NULL, *first = NULL, *last = NULL, *kids = NULL;
	long stack[8], top_first = -1, top_last = -1, ntop = 0;
	qj_buf b;
	if (!n)
		return 0;
	qj_buf_init(&b, w->m.ctx);
	if (!(pages = qj_calloc(w->m.ctx, (size_t)w->m.size + 1, sizeof *pages)) ||
	    !(par = qj_calloc(w->m.ctx, n * 6, sizeof *par)))
		goto done;
	prev = par + n, next = prev + n, first = next + n, last = first + n, kids = last + n;
	collect_pages(w, mend_ref(&w->m, mend_get(&w->m, catalog, "Pages")), pages,
		      (size_t)w->m.size, &np, 0);
	for (i = 0; i < 8; i++)
		stack[i] = -1;
	for (i = 0; i < n; i++) {
		int lv = meta->marks[i].level < 1 ? 1 : meta->marks[i].level > 7 ? 7 : meta->marks[i].level;
		long p = lv > 1 ? stack[lv - 1] : -1, k;
		par[i] = p;
		first[i] = last[i] = next[i] = -1;
		kids[i] = 0;
		prev[i] = p >= 0 ? last[p] : top_last;
		if (prev[i] >= 0)
			next[prev[i]] = (long)i;
		if (p >= 0) {
			if (first[p] < 0)
				first[p] = (long)i;
			last[p] = (long)i;
			kids[p]++;
		} else {
			if (top_first < 0)
				top_first = (long)i;
			top_last = (long)i;
			ntop++;
		}
		stack[lv] = (long)i;
		for (k = lv + 1; k < 8; k++)
			stack[k] = -1;
	}
	qj_buf_printf(&b, "<< /Type /Outlines /First %ld 0 R /Last %ld 0 R /Count %ld >>",
		      base + 1 + top_first, base + 1 + top_last, ntop);
	if (new_object(w, qj_buf_str(&b), NULL, 0) != base)
		goto done;
	for (i = 0; i < n; i++) {
		const qj_pdf_mark *mk = &meta->marks[i];
		qj_buf_reset(&b);
		qj_buf_puts(&b, "<< /Title ");
		hex_text_string(&b, mk->title);
		qj_buf_printf(&b, " /Parent %ld 0 R", par[i] >= 0 ? base + 1 + par[i] : base);
		if (prev[i] >= 0)
			qj_buf_printf(&b, " /Prev %ld 0 R", base + 1 + prev[i]);
		if (next[i] >= 0)
			qj_buf_printf(&b, " /Next %ld 0 R", base + 1 + next[i]);
		if (first[i] >= 0)
			qj_buf_printf(&b, " /First %ld 0 R /Last %ld 0 R /Count -%ld", base + 1 + first[i],
				      base + 1 + last[i], kids[i]);
		if (mk->page >= 0 && (size_t)mk->page < np)
			qj_buf_printf(&b, " /Dest [%ld 0 R /FitH %.2f]", pages[mk->page], mk->top);
		qj_buf_puts(&b, " >>");
		if (new_object(w, qj_buf_str(&b), NULL, 0) < 0)
			goto done;
	}
	rc = base;
done:
	qj_buf_free(&b);
	qj_free(w->m.ctx, pages);
	qj_free(w->m.ctx, par);
	return qj_ctx_oom(w->m.ctx) ? -1 : rc;
}

/* The catalog: /Lang, the outline, and for PDF/A the XMP and the output
 * intent. */
static int mend_catalog(mender *w, mobj *o)
{
	const qj_pdf_meta *meta = w->meta;
	qj_buf b;
	long xmp, icc, outline = mend_get(&w->m, o, "Outlines") ? 0 : mend_outline(w, o);
	if (outline < 0)
		return -1;
	qj_buf_init(&b, w->m.ctx);
	if (outline > 0)
		qj_buf_printf(&b, " /Outlines %ld 0 R", outline);
	if (meta->lang && !mend_get(&w->m, o, "Lang")) {
		/* a language tag is ASCII letters, digits and '-' */
		if (meta->lang[strspn(meta->lang, "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")] == 0)
			qj_buf_printf(&b, " /Lang (%s)", meta->lang);
		else {
			qj_buf_puts(&b, " /Lang ");
			qj_pdf_text_string(&b, meta->lang);
		}
	}
	if (meta->pdfa) {
		qj_buf x;
		qj_buf_init(&x, w->m.ctx);
		qj_pdf_xmp(&x, meta);
		/* PDF/A-1: the metadata stream is not filtered */
		xmp = qj_ctx_oom(w->m.ctx) ? -1
					   : new_object(w, "/Type /Metadata /Subtype /XML", x.data, x.len);
		qj_buf_free(&x);
		icc = new_deflated(w, "/N 3", meta->icc, meta->icc_len);
		if (xmp < 0 || icc < 0) {
			qj_buf_free(&b);
			return -1;
		}
		qj_buf_printf(&b, " /Metadata %ld 0 R /OutputIntents [ << /Type /OutputIntent "
			      "/S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "
			      "/RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) "
			      "/DestOutputProfile %ld 0 R >> ]", xmp, icc);
	}
	return add_edit_buf(w, o->dict_end - 2, o->dict_end - 2, &b);
}

/* The Info dictionary, written anew from meta (libharu's is replaced, or
 * a new one made when there is none). */
static int mend_info(mender *w)
{
	const qj_pdf_meta *meta = w->meta;
	const char *keys[] = {"Title", "Author", "Subject", "Creator", "Producer"};
	const char *vals[] = {meta->title, meta->author, meta->subject, meta->creator,
			      meta->producer};
	char pdfdate[32], xmpdate[32];
	mobj *o = w->info > 0 ? obj_num(&w->m, w->info) : NULL;
	qj_buf b;
	size_t i;
	qj_pdf_dates(meta->when, pdfdate, xmpdate);
	qj_buf_init(&b, w->m.ctx);
	for (i = 0; i < sizeof keys / sizeof *keys; i++)
		if (vals[i]) {
			qj_buf_printf(&b, "/%s ", keys[i]);
			qj_pdf_text_string(&b, vals[i]);
			qj_buf_putc(&b, '\n');
		}
	qj_buf_printf(&b, "/CreationDate (%s)\n/ModDate (%s)\n", pdfdate, pdfdate);
	/* the batch's resume check reads it back literally (src/batch/run.c) */
	if (meta->stamp && meta->stamp[strspn(meta->stamp, "0123456789abcdefABCDEF")] == 0)
		qj_buf_printf(&b, "/QujatStamp (%s)\n", meta->stamp);
	if (!o) {
		qj_buf h;
		qj_buf_init(&h, w->m.ctx);
		qj_buf_printf(&h, "<<\n%s>>", qj_buf_str(&b));
		qj_buf_free(&b);
		w->info = new_object(w, qj_buf_str(&h), NULL, 0);
		qj_buf_free(&h);
		return w->info < 0 ? -1 : 0;
	}
	if (!o->dict_end)
		return -1;
	return add_edit_buf(w, o->body + 2, o->dict_end - 2, &b);
}

/* Every edit and new object of the document. */
static int plan(mender *w)
{
	mdoc *m = &w->m;
	mobj *root = obj_num(m, w->root);
	int rc;
	if (!root || !root->dict_end)
		return -1;
	rc = mend_catalog(w, root);
	if (rc == 0)
		rc = mend_info(w);
	return rc;
}

/* ---- the new file ---- */

static int by_start(const void *a, const void *b)
{
	const edit *p = a, *q = b;
	return (p->a > q->a) - (p->a < q->a);
}

/* The header: version 1.4 at least (/Lang, XMP and output intents are
 * PDF 1.4), and libharu's binary comment line. */
static void put_header(mender *w, qj_buf *out)
{
	const char *d = w->m.d;
	size_t n = w->m.objs[0].off;
	qj_buf_append(out, d, n);
	if (n > 8 && out->len == n && !memcmp(d, "%PDF-1.", 7) && d[7] >= '0' && d[7] < '4')
		out->data[7] = '4';
}

/* Object o's bytes with the edits that fall in it (sorted, not
 * overlapping: an edit inside a replaced range is dropped). */
static void put_object(mender *w, qj_buf *out, const mobj *o, int *k)
{
	size_t at = o->off;
	while (*k < w->ned && w->ed[*k].a < o->off)
		(*k)++;
	for (; *k < w->ned && w->ed[*k].a < o->end; (*k)++) {
		const edit *e = &w->ed[*k];
		if (e->a < at)
			continue;
		qj_buf_append(out, w->m.d + at, e->a - at);
		qj_buf_append(out, e->text, e->len);
		at = e->b;
	}
	qj_buf_append(out, w->m.d + at, o->end - at);
}

/* A hash of the bytes as the trailer's /ID (both halves: a new file). */
static void put_id(qj_buf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0, i;
	EVP_Digest(out->data, out->len, md, &n, EVP_sha256(), NULL);
	qj_buf_puts(out, " /ID [<");
	for (i = 0; i < 16; i++)
		qj_buf_printf(out, "%02X", md[i]);
	qj_buf_puts(out, "> <");
	for (i = 0; i < 16; i++)
		qj_buf_printf(out, "%02X", md[i]);
	qj_buf_puts(out, ">]");
}

static int build(mender *w, qj_buf *out)
{
	size_t *offs, xref_at;
	long k, size = w->m.size;
	int e = 0;
	if (!(offs = qj_calloc(w->m.ctx, (size_t)size + 1, sizeof *offs)))
		return -1;
	qsort(w->ed, (size_t)w->ned, sizeof *w->ed, by_start);
	put_header(w, out);
	for (k = 0; k < w->m.n; k++) {
		offs[w->m.objs[k].num] = out->len;
		put_object(w, out, &w->m.objs[k], &e);
	}
	for (k = 0; k < w->nextra; k++)
		offs[w->extra_num[k]] = out->len + w->extra_off[k];
	qj_buf_append(out, w->extra.data ? w->extra.data : "", w->extra.len);
	xref_at = out->len;
	qj_buf_printf(out, "xref\n0 %ld\n0000000000 65535 f\r\n", size);
	for (k = 1; k < size; k++)
		qj_buf_printf(out, "%010zu 00000 %c\r\n", offs[k], offs[k] ? 'n' : 'f');
	qj_buf_printf(out, "trailer\n<< /Size %ld /Root %ld 0 R", size, w->root);
	if (w->info > 0)
		qj_buf_printf(out, " /Info %ld 0 R", w->info);
	put_id(out);
	qj_buf_printf(out, " >>\nstartxref\n%zu\n%%%%EOF\n", xref_at);
	qj_free(w->m.ctx, offs);
	return qj_ctx_oom(w->m.ctx) ? -1 : 0;
}

/* Root and Info from libharu's trailer (between "trailer" and startxref). */
static int read_trailer(mender *w, size_t at, size_t end)
{
	mdoc *m = &w->m;
	mobj t, *root, *info;
	memset(&t, 0, sizeof t);
	at = skip_space(m->d, at + 7, end);
	t.off = t.body = at;
	t.end = end;
	if (end - at < 2 || memcmp(m->d + at, "<<", 2) || read_dict(m, &t, at) < 0)
		return -1;
	root = mend_ref(m, mend_get(m, &t, "Root"));
	info = mend_ref(m, mend_get(m, &t, "Info"));
	w->root = root ? root->num : -1;
	w->info = info ? info->num : -1;
	return root ? 0 : -1;
}

/* Parses libharu's layout — objects, one xref table, trailer, startxref —
 * into w. -1 when the document has another shape. */
static int open_doc(mender *w, const char *d, size_t len)
{
	mdoc *m = &w->m;
	const char *sx = NULL, *trailer;
	long xref_off = 0, k;
	size_t i;
	for (i = len > 64 ? len - 64 : 0; i + 9 <= len; i++)
		if (!memcmp(d + i, "startxref", 9))
			sx = d + i;
	if (sx)
		xref_off = strtol(sx + 9, NULL, 10);
	if (!sx || xref_off <= 0 || (size_t)xref_off >= len ||
	    !(m->objs = read_xref(m->ctx, d, len, (size_t)xref_off, &m->n, &m->size)) || m->n < 1 ||
	    !(trailer = find_bytes(d + xref_off, (size_t)(sx - d - xref_off), "trailer", 7)))
		return -1;
	qsort(m->objs, (size_t)m->n, sizeof *m->objs, by_offset);
	/* numbers to objects: a combined batch has hundreds of thousands */
	if (!(m->at = qj_malloc(m->ctx, (size_t)m->size * sizeof *m->at)))
		return -1;
	for (k = 0, m->nat = m->size; k < m->size; k++)
		m->at[k] = -1;
	for (k = 0; k < m->n; k++)
		m->at[m->objs[k].num] = k;
	for (k = 0; k < m->n; k++) {
		m->objs[k].end = k + 1 < m->n ? m->objs[k + 1].off : (size_t)xref_off;
		if (m->objs[k].off >= m->objs[k].end || read_object(m, &m->objs[k]) < 0)
			return -1;
	}
	return read_trailer(w, (size_t)(trailer - d), (size_t)(sx - d));
}

static void mender_free(mender *w)
{
	int i;
	for (i = 0; i < w->ned; i++)
		qj_free(w->m.ctx, w->ed[i].text);
	qj_free(w->m.ctx, w->ed);
	qj_free(w->m.ctx, w->extra_num);
	qj_free(w->m.ctx, w->extra_off);
	qj_free(w->m.ctx, w->m.objs);
	qj_free(w->m.ctx, w->m.at);
	qj_buf_free(&w->extra);
}

int qj_pdf_write_fixed(qj_ctx *ctx, const char *path, const char *d, size_t len,
		       const qj_pdf_meta *meta)
{
	mender w;
	qj_buf out;
	qj_out o;
	int fixed;

	memset(&w, 0, sizeof w);
	w.m.ctx = ctx;
	w.m.d = d;
	w.m.len = len;
	w.meta = meta;
	qj_buf_init(&w.extra, ctx);
	qj_buf_init(&out, ctx);
	fixed = open_doc(&w, d, len) == 0 && plan(&w) == 0 && build(&w, &out) == 0 ? 0 : -1;
	mender_free(&w);
	if (fixed < 0 && (qj_ctx_oom(ctx) || meta->pdfa)) {
		if (!qj_ctx_oom(ctx))
			qj_error(ctx, path, 0, "cannot make this PDF a PDF/A: libharu wrote a "
				 "document of a shape qujat does not know");
		qj_buf_free(&out);
		return -1;
	}
	/* another shape: the document as libharu wrote it */
	if (qj_out_open(ctx, &o, path) < 0) {
		qj_buf_free(&out);
		return -1;
	}
	if (fixed == 0 ? fwrite(out.data, 1, out.len, o.fp) != out.len
		       : fwrite(d, 1, len, o.fp) != len) {
		qj_out_abort(ctx, &o);
		qj_error(ctx, path, 0, "cannot write the PDF");
		qj_buf_free(&out);
		return -1;
	}
	qj_buf_free(&out);
	return qj_out_commit(ctx, &o);
}
