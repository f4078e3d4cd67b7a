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

/* Flags of qj_pdf_write. */
enum {
	QJ_PDF_A = 1 /* PDF/A-1b: XMP, sRGB output intent, CIDSet, no transparency */
};

/* Where the sRGB profile of PDF/A's output intent is read (Debian's
 * icc-profiles-free). */
#ifndef QJ_SRGB_ICC
#define QJ_SRGB_ICC "/usr/share/color/icc/sRGB.icc"
#endif

/* Writes dl as a PDF at path (atomically). fonts must be the registry the
 * layout used. Every PDF has the catalog's /Lang (dl->lang, the first of
 * "kk+ru"), a trailer /ID made from its bytes, and creation and
 * modification dates: $SOURCE_DATE_EPOCH when set (then the same display
 * list gives the same bytes), else the clock. flags: QJ_PDF_A or 0.
 * stats may be NULL. Returns 0, or -1 with diagnostics and nothing at path. */
int qj_pdf_write(qj_ctx *ctx, const qj_dl *dl, qj_fonts *fonts,
		 const char *path, unsigned flags, qj_pdf_stats *stats);

/* The time documents are dated: $SOURCE_DATE_EPOCH (seconds since 1970)
 * when set, else now. -1 with a diagnostic when the variable is not a
 * number of seconds. */
long long qj_pdf_epoch(qj_ctx *ctx);

#endif
