/* tounicode: libharu 2.3.0 writes, for UTF-8 fonts, a ToUnicode CMap made
 * of a notdefrange and a cidrange, which is not a ToUnicode CMap (poppler
 * warns "Invalid 'begincidrange' operator" on every read). Its codes are the
 * Unicode code points, so the right CMap is the identity as bfranges. This
 * rewrites those stream objects while the document is written out and
 * rebuilds the xref from libharu's own table, never scanning inside binary
 * streams. */
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

/* Marks the objects named by /ToUnicode N 0 R. */
static void mark_tounicode(const char *d, size_t len, obj *objs, long n)
{
	static const char key[] = "/ToUnicode ";
	size_t kl = sizeof key - 1, at;
	long i;
	for (at = 0; at + kl < len; at++) {
		long num;
		if (d[at] != '/' || memcmp(d + at, key, kl))
			continue;
		num = strtol(d + at + kl, NULL, 10);
		for (i = 0; i < n; i++)
			if (objs[i].num == num)
				objs[i].replace = 1;
	}
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
		mark_tounicode(d, len, objs, n);
		qsort(objs, (size_t)n, sizeof *objs, by_offset);
		for (k = 0; k < n; k++)
			objs[k].end = k + 1 < n ? objs[k + 1].off : (size_t)xref_off;
		z = deflated_cmap(ctx, &zlen);
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
