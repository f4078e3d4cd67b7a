/* image: PNG and JPEG files checked before any other library sees them.
 * A PNG is decoded completely under libpng's error handling (setjmp, no
 * message of libpng's own), a JPEG's markers are walked up to its scan and
 * its frame header read; sizes are held to documented limits. The layout
 * stage asks for the pixel size, the PDF stage gets decoded pixels (PNG) or
 * the checked file (JPEG), so libharu never parses a PNG itself. */
#ifndef QJ_IMAGE_H
#define QJ_IMAGE_H

#include "base/base.h"

/* Limits: each side at most this many pixels, and the decoded pixels (all
 * channels, 8 bits each) at most this many bytes. */
#define QJ_IMAGE_MAX_SIDE 10000u
#define QJ_IMAGE_MAX_PIXEL_BYTES (64u << 20)

typedef enum qj_image_kind { QJ_IMAGE_PNG, QJ_IMAGE_JPEG } qj_image_kind;

typedef struct qj_image {
	qj_image_kind kind;
	unsigned width, height;
	int channels;          /* PNG: 1 gray or 3 RGB; JPEG: 1, 3 or 4 components */
	unsigned char *pixels; /* PNG: width*height*channels bytes, rows top down */
	unsigned char *alpha;  /* PNG: width*height bytes, NULL when opaque */
	char *data;            /* JPEG: the file as read */
	size_t len;
} qj_image;

/* Checks the image at path (read through qj_file_load) and gives its size
 * in pixels and its kind. Diagnostics are "WHERE:LINE: error: image 'PATH'
 * is not a usable PNG image (REASON)" (where may be NULL: then "PATH: ...").
 * Returns 0, or -1 with a diagnostic. */
int qj_image_probe(qj_ctx *ctx, const char *path, const char *where, int line,
		   unsigned *w, unsigned *h, qj_image_kind *kind);

/* The same, keeping what the PDF stage needs in img (freed with
 * qj_image_free, which accepts a zeroed img). */
int qj_image_load(qj_ctx *ctx, const char *path, const char *where, int line,
		  qj_image *img);
void qj_image_free(qj_ctx *ctx, qj_image *img);

/* A PNG with an alpha channel composited over white, the alpha dropped
 * (for outputs without transparency: PDF/A-1). Anything else is left as
 * it is. */
void qj_image_flatten(qj_ctx *ctx, qj_image *img);

#endif
