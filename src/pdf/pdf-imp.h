/* pdf-imp: what the pdf module's files share. */
#ifndef QJ_PDF_IMP_H
#define QJ_PDF_IMP_H

#include "pdf/pdf.h"

/* Rewrites the ToUnicode CMaps libharu wrote into a saved PDF at path
 * (atomically). A file of another shape is left as it is. 0 or -1. */
int qj_pdf_fix_tounicode(qj_ctx *ctx, const char *path);

#endif
