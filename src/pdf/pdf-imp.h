/* pdf-imp: what the pdf module's files share. */
#ifndef QJ_PDF_IMP_H
#define QJ_PDF_IMP_H

#include "pdf/pdf.h"

/* Writes the PDF libharu produced (d, len bytes) to path atomically, with
 * its ToUnicode CMaps replaced; a document of another shape is written as
 * it is. 0, or -1 with a diagnostic and nothing at path. */
int qj_pdf_write_fixed(qj_ctx *ctx, const char *path, const char *d, size_t len);

#endif
