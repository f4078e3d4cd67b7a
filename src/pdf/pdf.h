/* pdf: display lists to PDF, written with libharu (the only module that
 * includes hpdf.h). The fonts are embedded by this module from HarfBuzz
 * subsets (font stage); output is written to a temporary file and renamed
 * into place. */
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
	QJ_PDF_A = 1,       /* PDF/A-1b: XMP, sRGB output intent, CIDSet, no transparency */
	QJ_PDF_PIPELINE = 2 /* qj_pdf_open: pages are deflated by a second thread while the
			     * caller lays out the next (a combined batch); same bytes */
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

/* A PDF made display list by display list: qj_pdf_open, qj_pdf_add for
 * each (its pages are drawn at once, so the display list may be freed
 * when it returns), then qj_pdf_close, which subsets the fonts to what was
 * drawn and writes the file as qj_pdf_write does, or qj_pdf_discard. The
 * document information (title, /Lang, stamp) is the first display
 * list's. fonts is borrowed for the writer's whole life. */
typedef struct qj_pdf qj_pdf;
qj_pdf *qj_pdf_open(qj_ctx *ctx, qj_fonts *fonts, unsigned flags);
int qj_pdf_add(qj_pdf *w, const qj_dl *dl);
/* Pages drawn so far. */
int qj_pdf_pages(const qj_pdf *w);
/* Writes and frees w (also on failure). 0, or -1 with diagnostics. */
int qj_pdf_close(qj_pdf *w, const char *path, qj_pdf_stats *stats);
void qj_pdf_discard(qj_pdf *w);

/* The time documents are dated: $SOURCE_DATE_EPOCH (seconds since 1970)
 * when set, else now. -1 with a diagnostic when the variable is not a
 * number of seconds. */
long long qj_pdf_epoch(qj_ctx *ctx);

#endif
