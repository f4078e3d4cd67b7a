/* tounicode: the ToUnicode CMap of qujat's fonts (pdf.c), whose codes are
 * the characters' Unicode values: the identity, restricted to the codes
 * the fonts map (about 150 bytes deflated, against 1.7 KB for all 63,488).
 * (libharu 2.3.0's own, a notdefrange and a cidrange, is not a ToUnicode
 * CMap: poppler warns "Invalid 'begincidrange' operator" on every read.) */
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

unsigned char *qj_pdf_deflate(qj_ctx *ctx, const void *data, size_t len, size_t *zlen)
{
	return qj_pdf_deflate_level(ctx, data, len, 9, zlen);
}

unsigned char *qj_pdf_deflate_level(qj_ctx *ctx, const void *data, size_t len, int level,
				    size_t *zlen)
{
	uLongf cap = compressBound((uLong)len);
	unsigned char *z = qj_malloc(ctx, cap);
	if (z && compress2(z, &cap, (const Bytef *)data, (uLong)len, level) != Z_OK) {
		qj_free(ctx, z);
		z = NULL;
	}
	*zlen = cap;
	return z;
}

int qj_pdf_tounicode(qj_buf *b, const unsigned char *used, size_t ncodes)
{
	qj_buf runs;
	size_t c = 0;
	int nruns = 0, k = 0;
	const char *r;
	qj_buf_init(&runs, b->ctx);
	while (c < ncodes && c <= 0xFFFF) {
		size_t e;
		if (!used[c] || (c >= 0xD800 && c <= 0xDFFF)) {
			c++;
			continue;
		}
		for (e = c; e + 1 < ncodes && (e + 1) % 256 != 0 && used[e + 1] &&
			    !(e + 1 >= 0xD800 && e + 1 <= 0xDFFF);
		     e++)
			;
		qj_buf_printf(&runs, "<%04zX> <%04zX> <%04zX>\n", c, e, c);
		nruns++;
		c = e + 1;
	}
	if (qj_ctx_oom(b->ctx)) {
		qj_buf_free(&runs);
		return -1;
	}
	cmap_head(b);
	/* at most 100 entries a block */
	for (r = qj_buf_str(&runs); k < nruns; k++) {
		const char *nl = strchr(r, '\n');
		if (k % 100 == 0)
			qj_buf_printf(b, "%d beginbfrange\n", nruns - k < 100 ? nruns - k : 100);
		qj_buf_append(b, r, (size_t)(nl - r) + 1);
		r = nl + 1;
		if (k % 100 == 99 || k == nruns - 1)
			qj_buf_puts(b, "endbfrange\n");
	}
	qj_buf_puts(b, cmap_tail);
	qj_buf_free(&runs);
	return qj_ctx_oom(b->ctx) ? -1 : 0;
}
