/* font: the font families a document may use, read from fonts.xml; glyph
 * metrics and coverage from the font files through HarfBuzz (never through
 * libharu); fallback along a family's list; and subsetting of each used
 * face to the characters the document draws. */
#ifndef QJ_FONT_H
#define QJ_FONT_H

#include <stdint.h>

#include "base/base.h"

typedef struct qj_fonts qj_fonts;
typedef struct qj_face qj_face;

/* Finds the fonts directory: dir when given, else $QUJAT_FONTS, else
 * fonts/ in the data directory (qj_data_path). Returns a malloc'd path or
 * NULL with a diagnostic. */
char *qj_fonts_locate(qj_ctx *ctx, const char *dir);

/* Loads DIR/fonts.xml and opens its faces lazily. Caller qj_fonts_free()s. */
qj_fonts *qj_fonts_load(qj_ctx *ctx, const char *dir);
void qj_fonts_free(qj_fonts *f);

/* A style: a family (name or alias, case-insensitive) with weight and
 * slant. Returns a style id >= 0, or -1 when the family is unknown (no
 * diagnostic: the caller knows where the name came from). */
int qj_fonts_style(qj_fonts *f, const char *family, int bold, int italic);

/* The face of a style that has cp, walking the fallback list; NULL when no
 * face of the chain has it. */
qj_face *qj_fonts_face_for(qj_fonts *f, int style, uint32_t cp);
/* The style's own first face (for metrics of empty lines). */
qj_face *qj_fonts_primary(qj_fonts *f, int style);

/* Metrics in points at the given size. */
double qj_face_advance(qj_face *face, uint32_t cp, double size);
double qj_face_ascent(qj_face *face, double size);
double qj_face_descent(qj_face *face, double size); /* positive */

/* Forgets which characters were drawn, so one registry serves the next
 * document of a batch without opening its faces again. */
void qj_fonts_reset_used(qj_fonts *f);

/* Marks cp as drawn (for the subset). */
void qj_face_use(qj_face *face, uint32_t cp);
int qj_face_id(const qj_face *face);
const char *qj_face_path(const qj_face *face);

/* Faces in order of id; those with no used character can be skipped. */
int qj_fonts_face_count(const qj_fonts *f);
qj_face *qj_fonts_face_at(qj_fonts *f, int id);
int qj_face_used_count(const qj_face *face);

/* The next used character after *cp (start with (uint32_t)-1): 1, or 0
 * at the end. */
int qj_face_next_used(const qj_face *face, uint32_t *cp);

/* What the PDF stage embeds of a face: a TrueType subset holding the used
 * characters (and the space), and for each used character below ncodes
 * its glyph in the subset. */
typedef struct qj_face_subset {
	unsigned char *ttf; /* through ctx */
	size_t len;
	uint16_t *gid;      /* gid[cp] for cp < ncodes; 0: not in the subset */
	uint32_t ncodes;    /* the largest used character below U+10000, plus one */
	unsigned char *zttf;/* qj_face_subset_get: the program deflated (zlib) */
	size_t zlen;
} qj_face_subset;

/* Makes the subset of face's used characters. 0, or -1 with a diagnostic. */
int qj_face_subset_make(qj_ctx *ctx, qj_face *face, qj_face_subset *s);
void qj_face_subset_free(qj_ctx *ctx, qj_face_subset *s);

/* The face's subset of its used characters with its program deflated too,
 * made again only when the used characters changed since the last call
 * (a batch's certificates draw the same characters in every face but the
 * name's). Owned by the face, valid until the next call or
 * qj_fonts_free. NULL with a diagnostic. */
const qj_face_subset *qj_face_subset_get(qj_ctx *ctx, qj_face *face);

/* A face's metrics for a PDF font descriptor, in thousandths of the em. */
typedef struct qj_face_metrics {
	char name[64];      /* PostScript name, PDF name characters only */
	int ascent, descent, cap_height;
	int bbox[4];
	int italic_angle;
	int serif, italic, fixed;
} qj_face_metrics;

void qj_face_get_metrics(qj_face *face, qj_face_metrics *m);
/* The advance of cp in thousandths of the em, as the face's hmtx has it. */
int qj_face_width(qj_face *face, uint32_t cp);

#endif
