/* tounicode: libharu 2.3.0 writes, for UTF-8 fonts, a ToUnicode CMap made
 * of a notdefrange and a cidrange, which is not a ToUnicode CMap (poppler
 * warns "Invalid 'begincidrange' operator" on every read). Its codes are the
 * Unicode code points, so the right CMap is the identity as bfranges; the
 * mender (mend.c) puts it in place of libharu's. */
#include "pdf-imp.h"

#include <stdlib.h>
#include <string.h>
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
