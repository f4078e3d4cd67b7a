/* code: verification codes. A QR symbol (libqrencode, error correction M)
 * as a module matrix the layout draws as rectangles and the verifier reads
 * back from a page; and the fingerprint of a document's data fields: SHA-256
 * over a canonical serialization (docs/trust.md), shown as a 10-character
 * base32 code and carried in the QR payload with the serial or plan number.
 * No PDF and no layout here: the layout and src/sign call in. */
#ifndef QJ_CODE_H
#define QJ_CODE_H

#include <libxml/tree.h>

#include "base/base.h"

/* data (UTF-8 text, NUL-terminated) as a QR symbol: one 8-bit segment at
 * error correction M, the smallest version that holds it (at most version
 * 20, 666 bytes). The matrix of modules, row 0 at the top, dark[y * size +
 * x] 1 for a dark module, no quiet zone (the drawer leaves 4 modules
 * around), malloc'd (free it), and *size; NULL when data does not fit or
 * memory runs out. No context: the PDF stage's thread calls it.
 * qj_qr_fits says beforehand whether data fits. */
unsigned char *qj_qr_matrix(const char *data, int *size);
int qj_qr_fits(const char *data);

/* The runs of dark modules of a matrix of n, row by row: the length of the
 * next run at or after (*row, *col), with *row and *col moved to its
 * start, or 0 after the last. Start at (0, 0); move *col past each run. */
int qj_qr_next_run(const unsigned char *dark, int n, int *row, int *col);

/* Reads back a matrix this build wrote (exact modules, no damage: a symbol
 * taken from a PDF's rectangles, not a photograph): unmasks, reads the data
 * codewords, and checks that encoding the result again gives the same
 * matrix. Returns the payload (arena, NUL-terminated), or NULL when the
 * matrix is not such a symbol. No diagnostic. */
char *qj_qr_decode(qj_ctx *ctx, qj_arena *arena, const unsigned char *dark, int size);

/* The fingerprint of one document: the kind's fields in the order of
 * docs/trust.md, their values, and the codes made from them. */
#define QJ_FP_MAX_FIELDS 8
typedef struct qj_fp {
	const char *kind;   /* "certificate" or "plan" */
	const char *id;     /* serial or plan number (arena) */
	const char *url;    /* verification URL with the id, or NULL */
	int nfields;
	const char *field[QJ_FP_MAX_FIELDS];  /* field names: "serial", "name", … */
	const char *value[QJ_FP_MAX_FIELDS];  /* canonical values (arena) */
	char code[11];                        /* first 10 base32 chars of the SHA-256 */
	char digest[65];                      /* the SHA-256 in hex */
	char fcode[QJ_FP_MAX_FIELDS][4];      /* 3 base32 chars per field */
} qj_fp;

/* The fingerprint of the document made from node: a <person> of a
 * <roster> (a certificate) or a <client-record>, its <plan> or the
 * document node (a plan). Returns 0, or -1 with a diagnostic at node when
 * no fingerprint is defined for it. Values live in arena. */
int qj_fp_of(qj_ctx *ctx, qj_arena *arena, const xmlNode *node, qj_fp *fp);

/* Every item of a data document that has a fingerprint, in document order
 * (the persons of a roster; the record itself). Returns the count (0 when
 * the document is of no known kind) and an arena array in *out. */
int qj_fp_items(qj_ctx *ctx, qj_arena *arena, xmlDocPtr doc, qj_fp **out);

/* The QR payload of fp (docs/trust.md): "QJ1", the id, the code, the field
 * codes and the URL, one a line. In arena. */
char *qj_fp_payload(qj_arena *arena, const qj_fp *fp);

/* A payload read back: the id, the code and the field codes as written.
 * Returns 0, or -1 when text is not a qujat payload. Strings in arena. */
typedef struct qj_fp_read {
	const char *id;
	const char *code;
	int nfields;
	char fcode[QJ_FP_MAX_FIELDS][4];
	const char *url;
} qj_fp_read;
int qj_fp_parse(qj_arena *arena, const char *text, qj_fp_read *out);

#endif
