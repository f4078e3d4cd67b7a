/* pdfread: reads back the PDF qujat wrote: the last startxref, the xref
 * tables (following /Prev), objects by number, values, streams (inflated
 * with zlib) and the page tree. Written for what libharu 2.3.0 and the
 * sign stage write; anything else (xref streams, object streams) is
 * refused with a message rather than guessed at. Depth and counts are
 * bounded; nothing here trusts an offset before checking it. */
#include "sign-imp.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_DEPTH 32
#define MAX_OBJECTS 1000000
#define MAX_SECTIONS 64
#define MAX_PAGES 100000

static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static int is_delim(char c)
{
	return strchr("()<>[]{}/%", c) != NULL;
}

static void skip_ws(pdfdoc *p, size_t *pos)
{
	while (*pos < p->len) {
		if (is_ws(p->d[*pos]))
			(*pos)++;
		else if (p->d[*pos] == '%') {
			while (*pos < p->len && p->d[*pos] != '\n' && p->d[*pos] != '\r')
				(*pos)++;
		} else
			break;
	}
}

static pv *new_value(pdfdoc *p, pv_kind k, size_t start)
{
	pv *v = qj_arena_alloc(p->arena, sizeof *v);
	if (v) {
		v->kind = k;
		v->start = start;
	}
	return v;
}

/* A bare token (number, keyword) at pos: its length. */
static size_t token_len(pdfdoc *p, size_t pos)
{
	size_t e = pos;
	while (e < p->len && !is_ws(p->d[e]) && !is_delim(p->d[e]))
		e++;
	return e - pos;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static pv *parse_hex(pdfdoc *p, size_t *pos, pv *v)
{
	size_t i = *pos + 1, n = 0;
	char *s;
	int hi = -1;
	const char *e = memchr(p->d + i, '>', p->len - i);
	if (!e)
		return NULL;
	s = qj_arena_alloc(p->arena, (size_t)(e - (p->d + i)) / 2 + 2);
	if (!s)
		return NULL;
	for (; p->d + i < e; i++) {
		int h = hexval(p->d[i]);
		if (h < 0) {
			if (is_ws(p->d[i])) continue;
			return NULL;
		}
		if (hi < 0) hi = h;
		else { s[n++] = (char)(hi * 16 + h); hi = -1; }
	}
	if (hi >= 0)
		s[n++] = (char)(hi * 16);
	v->kind = PV_STR;
	v->s = s;
	v->len = n;
	*pos = (size_t)(e - p->d) + 1;
	return v;
}

static pv *parse_literal(pdfdoc *p, size_t *pos, pv *v)
{
	size_t i = *pos + 1, n = 0;
	int depth = 1;
	char *s = qj_arena_alloc(p->arena, p->len - i + 1 > 65536 ? 65536 : p->len - i + 1);
	if (!s)
		return NULL;
	while (i < p->len && depth > 0 && n < 65535) {
		char c = p->d[i++];
		if (c == '\\' && i < p->len) {
			c = p->d[i++];
			if (c >= '0' && c <= '7') {
				int k, o = c - '0';
				for (k = 0; k < 2 && i < p->len && p->d[i] >= '0' && p->d[i] <= '7'; k++)
					o = o * 8 + (p->d[i++] - '0');
				c = (char)o;
			} else if (c == 'n') c = '\n';
			else if (c == 'r') c = '\r';
			else if (c == 't') c = '\t';
			else if (c == '\n' || c == '\r') continue;
		} else if (c == '(') depth++;
		else if (c == ')' && --depth == 0) break;
		s[n++] = c;
	}
	if (depth > 0)
		return NULL;
	v->kind = PV_STR;
	v->s = s;
	v->len = n;
	*pos = i;
	return v;
}

/* Items of an array or dictionary up to the closing delimiter. */
static pv *parse_list(pdfdoc *p, size_t *pos, pv *v, int dict)
{
	int cap = 0;
	*pos += dict ? 2 : 1;
	v->kind = dict ? PV_DICT : PV_ARRAY;
	for (;;) {
		const char *key = NULL;
		pv *it;
		skip_ws(p, pos);
		if (*pos >= p->len)
			return NULL;
		if (!dict && p->d[*pos] == ']') { (*pos)++; break; }
		if (dict && p->d[*pos] == '>') {
			if (*pos + 1 >= p->len || p->d[*pos + 1] != '>') return NULL;
			*pos += 2;
			break;
		}
		if (dict) {
			pv *k = pr_value(p, pos);
			if (!k || k->kind != PV_NAME)
				return NULL;
			key = k->s;
		}
		if (!(it = pr_value(p, pos)))
			return NULL;
		if (v->n == cap) {
			int nc = cap ? cap * 2 : 8;
			pv **ni = qj_arena_alloc(p->arena, (size_t)nc * sizeof *ni);
			const char **nk = qj_arena_alloc(p->arena, (size_t)nc * sizeof *nk);
			if (!ni || !nk || nc > 1000000)
				return NULL;
			if (cap) {
				memcpy(ni, v->item, (size_t)cap * sizeof *ni);
				memcpy(nk, v->key, (size_t)cap * sizeof *nk);
			}
			v->item = ni;
			v->key = nk;
			cap = nc;
		}
		v->key[v->n] = key;
		v->item[v->n++] = it;
	}
	return v;
}

/* A number, "N G R", or a keyword (true, false, null). */
static pv *parse_word(pdfdoc *p, size_t *pos, pv *v)
{
	size_t n = token_len(p, *pos);
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return NULL;
	memcpy(buf, p->d + *pos, n);
	buf[n] = 0;
	if (!strcmp(buf, "true") || !strcmp(buf, "false")) {
		v->kind = PV_BOOL;
		v->num = buf[0] == 't';
	} else if (!strcmp(buf, "null"))
		v->kind = PV_NULL;
	else {
		char *e;
		v->kind = PV_NUM;
		v->num = strtod(buf, &e);
		if (*e)
			return NULL;
		/* an indirect reference: two unsigned integers and R */
		if (!strchr(buf, '.') && buf[0] != '-' && buf[0] != '+') {
			size_t q = *pos + n, g;
			skip_ws(p, &q);
			g = token_len(p, q);
			if (g > 0 && g < 8 && p->d[q] >= '0' && p->d[q] <= '9') {
				size_t r = q + g;
				skip_ws(p, &r);
				if (r < p->len && p->d[r] == 'R' &&
				    (r + 1 == p->len || is_ws(p->d[r + 1]) || is_delim(p->d[r + 1]))) {
					v->kind = PV_REF;
					v->ref = (int)v->num;
					v->gen = atoi(p->d + q);
					*pos = r + 1;
					return v;
				}
			}
		}
	}
	*pos += n;
	return v;
}

pv *pr_value(pdfdoc *p, size_t *pos)
{
	pv *v, *r = NULL;
	skip_ws(p, pos);
	if (*pos >= p->len || p->depth >= MAX_DEPTH)
		return NULL;
	if (!(v = new_value(p, PV_NULL, *pos)))
		return NULL;
	p->depth++;
	switch (p->d[*pos]) {
	case '/': {
		size_t n;
		(*pos)++;
		n = token_len(p, *pos);
		v->kind = PV_NAME;
		v->s = qj_arena_strndup(p->arena, p->d + *pos, n);
		v->len = n;
		*pos += n;
		r = v->s ? v : NULL;
		break;
	}
	case '(':
		r = parse_literal(p, pos, v);
		break;
	case '<':
		r = (*pos + 1 < p->len && p->d[*pos + 1] == '<') ? parse_list(p, pos, v, 1)
								  : parse_hex(p, pos, v);
		break;
	case '[':
		r = parse_list(p, pos, v, 0);
		break;
	default:
		r = parse_word(p, pos, v);
	}
	p->depth--;
	if (r)
		r->end = *pos;
	return r;
}

pv *pr_object_at(pdfdoc *p, size_t off, int *num)
{
	size_t pos = off;
	char *e;
	long n, g;
	if (off >= p->len)
		return NULL;
	n = strtol(p->d + pos, &e, 10);
	if (e == p->d + pos || n < 0)
		return NULL;
	g = strtol(e, &e, 10);
	pos = (size_t)(e - p->d);
	skip_ws(p, &pos);
	if (g < 0 || pos + 3 > p->len || memcmp(p->d + pos, "obj", 3))
		return NULL;
	pos += 3;
	if (num)
		*num = (int)n;
	return pr_value(p, &pos);
}

pv *pr_object(pdfdoc *p, int num, size_t *at)
{
	int got = -1;
	pv *v;
	if (num <= 0 || num >= p->size || !p->off[num])
		return NULL;
	v = pr_object_at(p, p->off[num], &got);
	if (!v || got != num)
		return NULL;
	if (at)
		*at = p->off[num];
	return v;
}

pv *pr_resolve(pdfdoc *p, pv *v)
{
	return v && v->kind == PV_REF ? pr_object(p, v->ref, NULL) : v;
}

pv *pr_get(pdfdoc *p, pv *dict, const char *key)
{
	int i;
	if (!dict || dict->kind != PV_DICT)
		return NULL;
	for (i = 0; i < dict->n; i++)
		if (!strcmp(dict->key[i], key))
			return pr_resolve(p, dict->item[i]);
	return NULL;
}

/* One xref section at off: its entries fill the offsets not yet known. */
static int read_section(pdfdoc *p, size_t off, pv **trailer)
{
	size_t pos = off;
	if (off + 4 > p->len || memcmp(p->d + off, "xref", 4))
		return -1;
	pos += 4;
	for (;;) {
		char *e;
		long first, count, i;
		skip_ws(p, &pos);
		if (pos + 7 <= p->len && !memcmp(p->d + pos, "trailer", 7))
			break;
		first = strtol(p->d + pos, &e, 10);
		count = strtol(e, &e, 10);
		if (e == p->d + pos || first < 0 || count < 0 || first + count > MAX_OBJECTS)
			return -1;
		pos = (size_t)(e - p->d);
		for (i = 0; i < count; i++) {
			long o, g;
			char t;
			skip_ws(p, &pos);
			if (pos + 18 > p->len)
				return -1;
			o = strtol(p->d + pos, &e, 10);
			g = strtol(e, &e, 10);
			while (*e == ' ') e++;
			t = *e;
			if ((t != 'n' && t != 'f') || o < 0 || g < 0)
				return -1;
			pos = (size_t)(e - p->d) + 1;
			if (first + i < p->size && t == 'n' && !p->off[first + i] && o > 0 &&
			    (size_t)o < p->len) {
				p->off[first + i] = (size_t)o;
				p->gen[first + i] = (int)g;
			}
		}
	}
	pos += 7;
	*trailer = pr_value(p, &pos);
	return *trailer && (*trailer)->kind == PV_DICT ? 0 : -1;
}

int pr_open(pdfdoc *p, qj_ctx *ctx, qj_arena *arena, const char *path,
	    const char *d, size_t len)
{
	size_t i, sx = 0, pos;
	pv *tr, *size;
	int k;
	long prev;

	memset(p, 0, sizeof *p);
	p->ctx = ctx; p->arena = arena; p->path = path; p->d = d; p->len = len;
	if (len < 32 || memcmp(d, "%PDF-", 5)) {
		qj_error(ctx, path, 0, "not a PDF file (no %%PDF- header)");
		return -1;
	}
	for (i = len - 9; i > 0 && !sx; i--)
		if (!memcmp(d + i, "startxref", 9))
			sx = i;
	if (!sx || (p->xref = strtoul(d + sx + 9, NULL, 10)) == 0 || p->xref >= len) {
		qj_error(ctx, path, 0, "cannot read this PDF: no startxref");
		return -1;
	}
	if (p->xref + 4 > len || memcmp(d + p->xref, "xref", 4)) {
		qj_error(ctx, path, 0, "cannot read this PDF: startxref does not point at an xref "
			 "table (cross-reference streams are not supported)");
		return -1;
	}
	/* the newest trailer's /Size bounds every object number */
	pos = p->xref;
	{
		const char *t = NULL;
		for (i = p->xref; i + 7 <= sx; i++)
			if (!memcmp(d + i, "trailer", 7)) { t = d + i; break; }
		if (!t) {
			qj_error(ctx, path, 0, "cannot read this PDF: no trailer");
			return -1;
		}
		pos = (size_t)(t - d) + 7;
	}
	tr = pr_value(p, &pos);
	size = tr && tr->kind == PV_DICT ? pr_get(p, tr, "Size") : NULL;
	if (!size || size->kind != PV_NUM || size->num < 1 || size->num > MAX_OBJECTS) {
		qj_error(ctx, path, 0, "cannot read this PDF: the trailer has no usable /Size");
		return -1;
	}
	p->size = (long)size->num;
	p->off = qj_arena_alloc(arena, (size_t)p->size * sizeof *p->off);
	p->gen = qj_arena_alloc(arena, (size_t)p->size * sizeof *p->gen);
	if (!p->off || !p->gen)
		return -1;
	/* the sections, newest first */
	for (k = 0, prev = (long)p->xref; prev > 0 && k < MAX_SECTIONS; k++) {
		pv *t, *pr;
		if (read_section(p, (size_t)prev, &t) < 0) {
			qj_error(ctx, path, 0, "cannot read this PDF: a broken cross-reference table at "
				 "byte %ld", prev);
			return -1;
		}
		if (k == 0)
			p->trailer = t;
		pr = pr_get(p, t, "Prev");
		prev = pr && pr->kind == PV_NUM && pr->num > 0 && pr->num < (double)len ? (long)pr->num : 0;
	}
	if (!pr_get(p, p->trailer, "Root")) {
		qj_error(ctx, path, 0, "cannot read this PDF: the trailer's /Root is missing");
		return -1;
	}
	return 0;
}

/* Inflates src into a malloc'd buffer (at most the file-size limit). */
static unsigned char *inflate_all(pdfdoc *p, const unsigned char *src, size_t n, size_t *out)
{
	size_t cap = n * 4 + 1024, max = qj_ctx_limits(p->ctx)->max_file_bytes;
	unsigned char *buf = qj_malloc(p->ctx, cap);
	z_stream z;
	int rc;
	if (!buf)
		return NULL;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK) {
		qj_free(p->ctx, buf);
		return NULL;
	}
	z.next_in = (unsigned char *)src;
	z.avail_in = (uInt)n;
	do {
		if (z.total_out == cap) {
			unsigned char *nb = cap * 2 > max ? NULL : qj_realloc(p->ctx, buf, cap * 2);
			if (!nb) { rc = Z_MEM_ERROR; break; }
			buf = nb;
			cap *= 2;
		}
		z.next_out = buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK);
	*out = z.total_out;
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		qj_free(p->ctx, buf);
		return NULL;
	}
	return buf;
}

unsigned char *pr_stream(pdfdoc *p, int num, size_t *len)
{
	size_t at, pos;
	pv *dict = pr_object(p, num, &at), *length, *filter;
	unsigned char *copy;
	if (!dict || dict->kind != PV_DICT)
		return NULL;
	pos = dict->end;
	skip_ws(p, &pos);
	if (pos + 6 > p->len || memcmp(p->d + pos, "stream", 6))
		return NULL;
	pos += 6;
	if (pos < p->len && p->d[pos] == '\r') pos++;
	if (pos < p->len && p->d[pos] == '\n') pos++;
	length = pr_get(p, dict, "Length");
	if (!length || length->kind != PV_NUM || length->num < 0 ||
	    length->num > (double)(p->len - pos))
		return NULL;
	filter = pr_get(p, dict, "Filter");
	/* libharu writes [ /FlateDecode ] */
	if (filter && filter->kind == PV_ARRAY && filter->n == 1)
		filter = pr_resolve(p, filter->item[0]);
	if (filter && filter->kind == PV_NAME && !strcmp(filter->s, "FlateDecode"))
		return inflate_all(p, (const unsigned char *)p->d + pos, (size_t)length->num, len);
	if (filter)
		return NULL;
	copy = qj_malloc(p->ctx, (size_t)length->num + 1);
	if (copy) {
		memcpy(copy, p->d + pos, (size_t)length->num);
		*len = (size_t)length->num;
	}
	return copy;
}

/* Leaves of the page tree under node, depth-first. */
static int walk(pdfdoc *p, int num, int *out, int *n, int cap, int depth)
{
	pv *node, *type, *kids;
	int i;
	/* every node costs one visit: a tree that loops back runs out */
	if (depth > MAX_DEPTH || *n >= cap || ++p->visits > 2L * MAX_PAGES)
		return -1;
	node = pr_object(p, num, NULL);
	if (!node)
		return -1;
	type = pr_get(p, node, "Type");
	if (type && type->kind == PV_NAME && !strcmp(type->s, "Page")) {
		out[(*n)++] = num;
		return 0;
	}
	kids = pr_get(p, node, "Kids");
	if (!kids || kids->kind != PV_ARRAY)
		return -1;
	for (i = 0; i < kids->n; i++)
		if (kids->item[i]->kind != PV_REF || walk(p, kids->item[i]->ref, out, n, cap, depth + 1) < 0)
			return -1;
	return 0;
}

int *pr_pages(pdfdoc *p, int *n)
{
	pv *root = pr_get(p, p->trailer, "Root"), *pages;
	int *out, cap;
	*n = 0;
	pages = root ? pr_get(p, root, "Pages") : NULL;
	if (!pages || !root)
		return NULL;
	/* the Pages entry itself must be a reference for the walk */
	{
		int i;
		for (i = 0; i < root->n; i++)
			if (!strcmp(root->key[i], "Pages") && root->item[i]->kind == PV_REF)
				break;
		if (i == root->n)
			return NULL;
		cap = p->size < MAX_PAGES ? (int)p->size : MAX_PAGES;
		out = qj_arena_alloc(p->arena, (size_t)cap * sizeof *out);
		if (!out || walk(p, root->item[i]->ref, out, n, cap, 0) < 0 || *n == 0)
			return NULL;
	}
	return out;
}
