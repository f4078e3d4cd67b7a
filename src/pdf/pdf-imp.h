/* pdf-imp: what the pdf module's files share: the metadata the writer hands
 * to the mender (mend.c), the mender's view of libharu's objects, and the
 * pieces (tounicode.c: the fonts' ToUnicode CMap; pdfa.c: XMP, the output
 * intent, CIDSet). */
#ifndef QJ_PDF_IMP_H
#define QJ_PDF_IMP_H

#include <time.h>

#include "pdf/pdf.h"

/* The document information, written by the mender in the Info dictionary
 * and (PDF/A) in the XMP packet from the same strings, so both say the
 * same. Strings are UTF-8 (NULL: absent), already clipped and free of
 * control characters. */
/* An outline item: written by the mender, not as libharu objects (which
 * cost 4.8 KB of memory each, a combined batch's largest part after the
 * pages; here about 40 bytes and the title). */
typedef struct qj_pdf_mark {
	int page;    /* the document's page, from 0 */
	int level;   /* 1 .. 7, each with a parent one level up (or none) */
	double top;  /* /FitH: the height on the page from its bottom */
	char *title; /* UTF-8 */
} qj_pdf_mark;

typedef struct qj_pdf_meta {
	const char *title, *author, *subject, *creator, *producer;
	const char *lang;   /* the catalog's /Lang ("kk"), or NULL */
	const char *stamp;  /* a batch's fingerprint (hex), written as /QujatStamp, or NULL */
	time_t when;        /* creation and modification time */
	int pdfa;           /* PDF/A-1b: XMP, output intent, CIDSet, CapHeight */
	const char *icc;    /* PDF/A: the sRGB ICC profile */
	size_t icc_len;
	const qj_pdf_mark *marks; /* the outline, in document order */
	size_t nmarks;
} qj_pdf_meta;

/* Writes the PDF libharu produced (d, len bytes) to path atomically, mended
 * (mend.c): the outline of m->marks, the Info dictionary, /Lang and a trailer /ID written, and with m->pdfa what
 * PDF/A-1b asks for. A document of another shape is written as it is,
 * unless m->pdfa (then it is an error). 0, or -1 with a diagnostic and
 * nothing at path. */
int qj_pdf_write_fixed(qj_ctx *ctx, const char *path, const char *d, size_t len,
		       const qj_pdf_meta *m);

/* ---- the mender's view of the document ---- */

typedef struct mspan {
	size_t a, b; /* bytes [a, b) of the file */
} mspan;

#define MEND_MAX_KEYS 24

typedef struct mobj {
	long num;
	size_t off, end;       /* bytes of "N 0 obj … endobj" */
	size_t body;           /* where the value after "obj" starts */
	size_t dict_end;       /* just after the dictionary's ">>", 0 if not a dictionary */
	size_t data;           /* a stream's first data byte, 0 if not a stream */
	int nkeys;             /* the dictionary's keys (without '/') and values */
	mspan key[MEND_MAX_KEYS], val[MEND_MAX_KEYS];
} mobj;

typedef struct mdoc {
	qj_ctx *ctx;
	const char *d;
	size_t len;
	mobj *objs;  /* sorted by offset */
	long n;
	long *at;    /* at[num]: the index in objs of object num, or -1 */
	long nat;    /* numbers in at */
	long size;   /* the next free object number */
} mdoc;

/* The value of key in o's dictionary, or NULL. */
const mspan *mend_get(const mdoc *m, const mobj *o, const char *key);
/* Whether the value is exactly the token s ("/Catalog"). */
int mend_is(const mdoc *m, const mspan *v, const char *s);
/* The object an "N G R" value refers to, or NULL. */
mobj *mend_ref(const mdoc *m, const mspan *v);

/* ---- pieces (tounicode.c, pdfa.c) ---- */

/* The ToUnicode CMap of two-byte codes that are Unicode values, for the
 * codes c < ncodes with used[c] set, appended to b. 0, or -1 out of
 * memory. */
int qj_pdf_tounicode(qj_buf *b, const unsigned char *used, size_t ncodes);
/* data deflated (malloc'd through ctx); NULL when out of memory. */
unsigned char *qj_pdf_deflate(qj_ctx *ctx, const void *data, size_t len, size_t *zlen);
/* The same at a zlib level (1 fastest … 9 smallest). */
unsigned char *qj_pdf_deflate_level(qj_ctx *ctx, const void *data, size_t len, int level,
				    size_t *zlen);

/* The XMP packet of m (UTF-8, markup escaped), appended to b. */
void qj_pdf_xmp(qj_buf *b, const qj_pdf_meta *m);
/* A UTF-8 string as a PDF text string, appended to b: a literal string,
 * in PDFDocEncoding when printable ASCII, else UTF-16BE after FE FF. */
void qj_pdf_text_string(qj_buf *b, const char *s);
/* The date as PDF ("D:20240102030405+00'00'") and XMP
 * ("2024-01-02T03:04:05+00:00") write it, in UTC. */
void qj_pdf_dates(time_t when, char pdf[32], char xmp[32]);
/* The CIDSet of a CIDToGIDMap (two bytes per CID): a bit per CID, set when
 * the CID has a glyph (CID 0 always); malloc'd through ctx, *n bytes. */
unsigned char *qj_pdf_cidset(qj_ctx *ctx, const unsigned char *map, size_t len, size_t *n);

#endif
