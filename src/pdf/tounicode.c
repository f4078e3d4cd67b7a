/* tounicode: libharu 2.3.0 writes, for UTF-8 fonts, a ToUnicode CMap made
 * of a notdefrange and a cidrange, which is not a ToUnicode CMap (poppler
 * warns "Invalid 'begincidrange' operator" on every read). Its codes are the
 * Unicode code points, so the right CMap is the identity as bfranges. This
 * rewrites those stream objects while the document is written out and
 * rebuilds the xref from libharu's own table. Only object dictionaries are
 * read, token by token, at the offsets the xref gives; stream data (an
 * image that happens to hold "/ToUnicode 1 0 R") is never looked at. */
#include "pdf-imp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* The identity ToUnicode CMap for two-byte codes (surrogates left out). */
static char *identity_cmap(qj_ctx *ctx, size_t *len)
{
	qj_buf b;
	int hi, n = 0;
	char *s;
	qj_buf_init(&b, ctx);
	qj_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (hi = 0; hi < 256; hi++) {
		if (hi >= 0xD8 && hi <= 0xDF)
			continue;
		if (n % 100 == 0) {
			int left = 248 - n;
			qj_buf_printf(&b, "%d beginbfrange\n", left < 100 ? left : 100);
		}
		qj_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
		if (++n % 100 == 0 || n == 248)
			qj_buf_puts(&b, "endbfrange\n");
	}
	qj_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	*len = b.len;
	/* out of memory on the way leaves a short CMap: none rather than that */
	s = qj_ctx_oom(ctx) ? NULL : qj_strndup(ctx, qj_buf_str(&b), b.len);
	qj_buf_free(&b);
	return s;
}

typedef struct obj {
	long num;
	size_t off, end; /* bytes of "N 0 obj … endobj" in the old file */
	long refers;     /* the object its /ToUnicode names, or 0 */
	int stream;      /* a stream object */
	int replace;
} obj;

static int by_offset(const void *a, const void *b)
{
	const obj *p = a, *q = b;
	return (p->off > q->off) - (p->off < q->off);
}

/* Parses libharu's single-subsection xref table at off. */
static obj *read_xref(qj_ctx *ctx, const char *d, size_t len, size_t off, long *count)
{
	long first, n, i, k = 0;
	const char *p = d + off;
	obj *objs;
	if (off + 5 > len || strncmp(p, "xref", 4) || sscanf(p + 4, " %ld %ld", &first, &n) != 2 ||
	    first != 0 || n < 1 || n > 1000000)
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
	return objs;
}

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

/* A non-negative integer at i; *i moves past it. -1 when there is none. */
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

/* A literal string "( … )" at i (nested parentheses, backslash escapes):
 * the index after it. */
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

/* The object o: its "N G obj" header must name o->num, then its dictionary
 * is read token by token (strings and comments skipped) for the key
 * /ToUnicode with an "N G R" value, noted in ref; whether "stream" follows
 * the dictionary goes to o->stream. Stream data is never looked at.
 * Returns -1 when the object is not where the xref says. */
static int read_object(const char *d, obj *o, long *ref)
{
	size_t i = o->off, end = o->end;
	int depth = 0;
	long v;
	*ref = -1;
	if (read_int(d, &i, end) != o->num)
		return -1;
	i = skip_space(d, i, end);
	if (read_int(d, &i, end) < 0)
		return -1;
	i = skip_space(d, i, end);
	if (end - i < 3 || memcmp(d + i, "obj", 3))
		return -1;
	i = skip_space(d, i + 3, end);
	if (end - i < 2 || memcmp(d + i, "<<", 2))
		return 0; /* not a dictionary: nothing to look at */
	while (i < end) {
		if (d[i] == '<' && i + 1 < end && d[i + 1] == '<') {
			depth++, i += 2;
		} else if (d[i] == '>' && i + 1 < end && d[i + 1] == '>') {
			i += 2;
			if (--depth == 0)
				break;
		} else if (d[i] == '(') {
			i = skip_string(d, i, end);
		} else if (d[i] == '<') {
			while (i < end && d[i] != '>')
				i++;
			i++;
		} else if (d[i] == '%') {
			i = skip_space(d, i, end);
		} else if (d[i] == '/') {
			size_t n = i + 1;
			while (n < end && !pdf_delim(d[n]))
				n++;
			if (depth == 1 && n - i == 10 && !memcmp(d + i, "/ToUnicode", 10)) {
				size_t j = skip_space(d, n, end);
				v = read_int(d, &j, end);
				j = skip_space(d, j, end);
				if (v > 0 && read_int(d, &j, end) >= 0) {
					j = skip_space(d, j, end);
					if (j < end && d[j] == 'R')
						*ref = v;
				}
			}
			i = n;
		} else {
			i++;
		}
	}
	i = skip_space(d, i < end ? i : end, end);
	o->stream = depth == 0 && end - i >= 6 && !memcmp(d + i, "stream", 6);
	return 0;
}

/* Marks the stream objects that some object's dictionary names as its
 * /ToUnicode. objs are sorted by offset with their ends set. Returns -1
 * when the objects are not where libharu's xref says. */
static int mark_tounicode(const char *d, obj *objs, long n)
{
	long i, k, ref;
	for (i = 0; i < n; i++)
		if (read_object(d, &objs[i], &ref) < 0)
			return -1;
		else if (ref > 0)
			objs[i].refers = ref;
	for (i = 0; i < n; i++)
		for (k = 0; objs[i].refers && k < n; k++)
			if (objs[k].num == objs[i].refers && objs[k].stream)
				objs[k].replace = 1;
	return 0;
}

/* The new file: the header, each object copied or replaced by the new
 * stream, then an xref with the new offsets and libharu's trailer. */
static int rewrite(qj_ctx *ctx, qj_out *out, const char *d, obj *objs, long n,
		   const char *trailer, const char *sx, const unsigned char *z, size_t zlen)
{
	FILE *fp = out->fp;
	long k, size = 0;
	size_t xref_at, *offs;

	for (k = 0; k < n; k++)
		if (objs[k].num + 1 > size)
			size = objs[k].num + 1;
	offs = qj_calloc(ctx, (size_t)size + 1, sizeof *offs);
	if (!offs)
		return -1;
	fwrite(d, 1, objs[0].off, fp);
	for (k = 0; k < n; k++) {
		offs[objs[k].num] = (size_t)ftell(fp);
		if (objs[k].replace) {
			fprintf(fp, "%ld 0 obj\n<<\n/Length %zu\n/Filter /FlateDecode\n>>\nstream\r\n",
				objs[k].num, zlen);
			fwrite(z, 1, zlen, fp);
			fputs("\r\nendstream\nendobj\n", fp);
		} else {
			fwrite(d + objs[k].off, 1, objs[k].end - objs[k].off, fp);
		}
	}
	xref_at = (size_t)ftell(fp);
	fprintf(fp, "xref\n0 %ld\n0000000000 65535 f\r\n", size);
	for (k = 1; k < size; k++)
		fprintf(fp, "%010zu 00000 %c\r\n", offs[k], offs[k] ? 'n' : 'f');
	fwrite(trailer, 1, (size_t)(sx - trailer), fp);
	fprintf(fp, "startxref\n%zu\n%%%%EOF\n", xref_at);
	qj_free(ctx, offs);
	return 0;
}

/* The identity CMap, deflated; *zlen its size. NULL when out of memory. */
static unsigned char *deflated_cmap(qj_ctx *ctx, size_t *zlen)
{
	size_t clen;
	char *cmap = identity_cmap(ctx, &clen);
	uLongf cap = compressBound((uLong)clen);
	unsigned char *z = cmap ? qj_malloc(ctx, cap) : NULL;
	if (z && compress2(z, &cap, (const Bytef *)cmap, (uLong)clen, 9) != Z_OK) {
		qj_free(ctx, z);
		z = NULL;
	}
	qj_free(ctx, cmap);
	*zlen = cap;
	return z;
}

int qj_pdf_write_fixed(qj_ctx *ctx, const char *path, const char *d, size_t len)
{
	size_t i, zlen = 0;
	const char *sx = NULL, *trailer = NULL;
	unsigned char *z = NULL;
	obj *objs = NULL;
	long n = 0, k, xref_off = 0;
	int fixed = -1;
	qj_out out;

	if (qj_out_open(ctx, &out, path) < 0)
		return -1;
	/* libharu's layout: objects, one xref table, trailer, startxref */
	for (i = len > 64 ? len - 64 : 0; i + 9 <= len; i++)
		if (!memcmp(d + i, "startxref", 9))
			sx = d + i;
	if (sx)
		xref_off = strtol(sx + 9, NULL, 10);
	if (sx && xref_off > 0 && (size_t)xref_off < len &&
	    (objs = read_xref(ctx, d, len, (size_t)xref_off, &n)) && n > 0 &&
	    (trailer = strstr(d + xref_off, "trailer")) && trailer < sx) {
		qsort(objs, (size_t)n, sizeof *objs, by_offset);
		for (k = 0; k < n; k++)
			objs[k].end = k + 1 < n ? objs[k + 1].off : (size_t)xref_off;
		z = mark_tounicode(d, objs, n) == 0 ? deflated_cmap(ctx, &zlen) : NULL;
		if (z)
			fixed = rewrite(ctx, &out, d, objs, n, trailer, sx, z, zlen);
	}
	if (fixed < 0 && qj_ctx_oom(ctx)) {
		qj_out_abort(ctx, &out);
		qj_free(ctx, z);
		qj_free(ctx, objs);
		return -1;
	}
	/* another shape: the document as libharu wrote it */
	if (fixed < 0) {
		rewind(out.fp);
		if (ftruncate(fileno(out.fp), 0) != 0 || fwrite(d, 1, len, out.fp) != len) {
			qj_out_abort(ctx, &out);
			qj_error(ctx, path, 0, "cannot write the PDF");
			qj_free(ctx, z);
			qj_free(ctx, objs);
			return -1;
		}
	}
	qj_free(ctx, z);
	qj_free(ctx, objs);
	return qj_out_commit(ctx, &out);
}
