/* tounicode: libharu 2.3.0 writes, for UTF-8 fonts, a ToUnicode CMap made
 * of a notdefrange and a cidrange, which is not a ToUnicode CMap (poppler
 * warns "Invalid 'begincidrange' operator" on every read). Its codes are the
 * Unicode code points, so the right CMap is the identity; the mender
 * (mend.c) puts in place of libharu's the identity restricted to the codes
 * the font's CIDToGIDMap maps (the characters used: ~150 bytes deflated
 * against 1.7 KB for all 63,488), or the whole identity when there is no
 * map to read. */
#include "pdf-imp.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void cmap_head(qj_buf *b)
{
	qj_buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
}

static const char cmap_tail[] = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/* The identity ToUnicode CMap for two-byte codes (surrogates left out). */
static char *identity_cmap(qj_ctx *ctx, size_t *len)
{
	qj_buf b;
	int hi, n = 0;
	char *s;
	qj_buf_init(&b, ctx);
	cmap_head(&b);
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
	qj_buf_puts(&b, cmap_tail);
	*len = b.len;
	/* out of memory on the way leaves a short CMap: none rather than that */
	s = qj_ctx_oom(ctx) ? NULL : qj_strndup(ctx, qj_buf_str(&b), b.len);
	qj_buf_free(&b);
	return s;
}

unsigned char *qj_pdf_deflate(qj_ctx *ctx, const void *data, size_t len, size_t *zlen)
{
	uLongf cap = compressBound((uLong)len);
	unsigned char *z = qj_malloc(ctx, cap);
	if (z && compress2(z, &cap, (const Bytef *)data, (uLong)len, 9) != Z_OK) {
		qj_free(ctx, z);
		z = NULL;
	}
	*zlen = cap;
	return z;
}

unsigned char *qj_pdf_identity_cmap(qj_ctx *ctx, size_t *zlen)
{
	size_t clen;
	char *cmap = identity_cmap(ctx, &clen);
	unsigned char *z = cmap ? qj_pdf_deflate(ctx, cmap, clen, zlen) : NULL;
	qj_free(ctx, cmap);
	return z;
}

/* The identity for the codes map (a CIDToGIDMap: two bytes a code) gives a
 * glyph other than 0, as runs of consecutive codes within one high byte,
 * deflated; NULL when none is mapped. */
unsigned char *qj_pdf_used_cmap(qj_ctx *ctx, const unsigned char *map, size_t len, size_t *zlen)
{
	qj_buf b, runs;
	size_t ncodes = len / 2, c = 0;
	int nruns = 0, k = 0;
	unsigned char *z = NULL;
	const char *r;
	qj_buf_init(&b, ctx);
	qj_buf_init(&runs, ctx);
	while (c < ncodes && c <= 0xFFFF) {
		size_t e;
		if ((!map[2 * c] && !map[2 * c + 1]) || (c >= 0xD800 && c <= 0xDFFF)) {
			c++;
			continue;
		}
		for (e = c; e + 1 < ncodes && (e + 1) % 256 != 0 && (map[2 * e + 2] || map[2 * e + 3]) &&
			    !(e + 1 >= 0xD800 && e + 1 <= 0xDFFF);
		     e++)
			;
		qj_buf_printf(&runs, "<%04zX> <%04zX> <%04zX>\n", c, e, c);
		nruns++;
		c = e + 1;
	}
	if (nruns == 0 || qj_ctx_oom(ctx)) {
		qj_buf_free(&runs);
		qj_buf_free(&b);
		return NULL;
	}
	cmap_head(&b);
	/* at most 100 entries a block */
	for (r = qj_buf_str(&runs); k < nruns; k++) {
		const char *nl = strchr(r, '\n');
		if (k % 100 == 0)
			qj_buf_printf(&b, "%d beginbfrange\n", nruns - k < 100 ? nruns - k : 100);
		qj_buf_append(&b, r, (size_t)(nl - r) + 1);
		r = nl + 1;
		if (k % 100 == 99 || k == nruns - 1)
			qj_buf_puts(&b, "endbfrange\n");
	}
	qj_buf_puts(&b, cmap_tail);
	if (!qj_ctx_oom(ctx))
		z = qj_pdf_deflate(ctx, b.data, b.len, zlen);
	qj_buf_free(&runs);
	qj_buf_free(&b);
	return z;
}
