/* pdf: draws a display list with libharu. The only module that includes
 * hpdf.h. Fonts are subset with HarfBuzz (font stage) before libharu embeds
 * them; output is written to a temporary file and renamed into place. */
#ifndef QJ_PDF_H
#define QJ_PDF_H

#include "base/base.h"
#include "font/font.h"
#include "layout/layout.h"

typedef struct qj_pdf_stats {
	long bytes;     /* size of the written file */
	int faces;      /* faces embedded */
	long font_bytes;/* total size of the embedded subsets */
} qj_pdf_stats;

/* Writes dl as a PDF at path (atomically). fonts must be the registry the
 * layout used. stats may be NULL. Returns 0, or -1 with diagnostics and
 * nothing at path. */
int qj_pdf_write(qj_ctx *ctx, const qj_dl *dl, qj_fonts *fonts,
		 const char *path, qj_pdf_stats *stats);

#endif
