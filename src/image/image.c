/* image: checks PNG (full decode through libpng with its errors caught)
 * and JPEG (markers up to the first scan, frame header, end marker) files
 * within the limits of image.h. */
#include "image/image.h"

#include <png.h>
#include <setjmp.h>
#include <string.h>

/* ---- PNG ------------------------------------------------------------- */

typedef struct png_src {
	const unsigned char *d;
	size_t len, at;
	char why[200]; /* libpng's message, kept for ours */
} png_src;

static void png_on_error(png_structp png, png_const_charp msg)
{
	png_src *src = png_get_error_ptr(png);
	snprintf(src->why, sizeof src->why, "%s", msg);
	png_longjmp(png, 1);
}

/* Warnings (a bad ancillary chunk, an sRGB profile) change nothing. */
static void png_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_read_mem(png_structp png, png_bytep out, png_size_t n)
{
	png_src *src = png_get_io_ptr(png);
	if (n > src->len - src->at)
		png_error(png, "the file ends in the middle of the image");
	memcpy(out, src->d + src->at, n);
	src->at += n;
}

/* Splits decoded rows of ch channels (alpha last when has_alpha) into
 * img->pixels and img->alpha; an alpha that is opaque everywhere goes. */
static int png_split(qj_ctx *ctx, qj_image *img, const unsigned char *rows,
		     size_t rowbytes, int ch, int has_alpha)
{
	size_t w = img->width, h = img->height, x, y;
	int c, cc = ch - has_alpha, opaque = 1;
	img->channels = cc;
	img->pixels = qj_malloc(ctx, w * h * (size_t)cc);
	img->alpha = has_alpha ? qj_malloc(ctx, w * h) : NULL;
	if (!img->pixels || (has_alpha && !img->alpha))
		return -1;
	for (y = 0; y < h; y++) {
		const unsigned char *r = rows + y * rowbytes;
		for (x = 0; x < w; x++) {
			for (c = 0; c < cc; c++)
				img->pixels[(y * w + x) * (size_t)cc + (size_t)c] = r[x * (size_t)ch + (size_t)c];
			if (has_alpha) {
				img->alpha[y * w + x] = r[x * (size_t)ch + (size_t)cc];
				opaque &= r[x * (size_t)ch + (size_t)cc] == 0xFF;
			}
		}
	}
	if (has_alpha && opaque) {
		qj_free(ctx, img->alpha);
		img->alpha = NULL;
	}
	return 0;
}

/* Decodes the whole PNG to 8-bit gray or RGB (with alpha when it has
 * transparency). Returns 0, or -1 with the reason in why. */
static int png_decode(qj_ctx *ctx, const char *d, size_t len, qj_image *img,
		      int keep, char *why, size_t whylen)
{
	png_src src;
	png_structp png;
	png_infop info;
	unsigned char *volatile rows = NULL;
	png_bytep *volatile ptrs = NULL;
	png_uint_32 w, h, y;
	size_t rowbytes;
	int depth, type, ch;
	volatile int rc = -1; /* set after setjmp, read after a longjmp */

	memset(&src, 0, sizeof src);
	src.d = (const unsigned char *)d;
	src.len = len;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error, png_on_warning);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(why, whylen, "%s", src.why[0] ? src.why : "libpng failed");
		goto out;
	}
	png_set_user_limits(png, QJ_IMAGE_MAX_SIDE, QJ_IMAGE_MAX_SIDE);
	png_set_chunk_malloc_max(png, 8u << 20);
	png_set_read_fn(png, &src, png_read_mem);
	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &type, NULL, NULL, NULL);
	/* to 8 bits per channel, gray or RGB, transparency as alpha */
	png_set_strip_16(png);
	png_set_packing(png);
	if (type == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	if (png_get_valid(png, info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	ch = png_get_channels(png, info);
	rowbytes = png_get_rowbytes(png, info);
	if (ch < 1 || ch > 4 || rowbytes != (size_t)w * (size_t)ch ||
	    rowbytes * h > QJ_IMAGE_MAX_PIXEL_BYTES) {
		snprintf(why, whylen, "%lux%lu pixels are over the limit of %u MiB decoded",
			 (unsigned long)w, (unsigned long)h, QJ_IMAGE_MAX_PIXEL_BYTES >> 20);
		goto out;
	}
	rows = qj_malloc(ctx, rowbytes * h);
	ptrs = qj_malloc(ctx, h * sizeof *ptrs);
	if (!rows || !ptrs) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	for (y = 0; y < h; y++)
		ptrs[y] = rows + (size_t)y * rowbytes;
	png_read_image(png, ptrs);
	png_read_end(png, NULL); /* the CRCs and chunks after the pixels */
	img->kind = QJ_IMAGE_PNG;
	img->width = w;
	img->height = h;
	img->channels = ch - !(ch & 1);
	rc = 0;
	if (keep && png_split(ctx, img, rows, rowbytes, ch, !(ch & 1)) < 0) {
		snprintf(why, whylen, "out of memory");
		rc = -1;
	}
out:
	png_destroy_read_struct(&png, &info, NULL);
	qj_free(ctx, rows);
	qj_free(ctx, ptrs);
	return rc;
}

/* ---- JPEG ------------------------------------------------------------ */

/* Walks the segments from SOI to the first scan as libharu reads them
 * (a marker and its length each, no fill bytes), reads the frame header and
 * wants an end marker after the scan. */
static int jpeg_check(const unsigned char *d, size_t len, qj_image *img,
		      char *why, size_t whylen)
{
	size_t pos = 2, seg;
	int have_sof = 0;
	for (;;) {
		unsigned m;
		if (pos + 4 > len) {
			snprintf(why, whylen, "the file ends before the image data");
			return -1;
		}
		if (d[pos] != 0xFF || d[pos + 1] == 0xFF || d[pos + 1] == 0x00) {
			snprintf(why, whylen, "no marker at byte %zu", pos);
			return -1;
		}
		m = d[pos + 1];
		seg = (size_t)d[pos + 2] << 8 | d[pos + 3];
		if ((m >= 0xD0 && m <= 0xD9) || m == 0x01 || seg < 2 || pos + 2 + seg > len) {
			snprintf(why, whylen, "bad segment at byte %zu", pos);
			return -1;
		}
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			unsigned p = d[pos + 4], comps;
			if (m > 0xC2) {
				snprintf(why, whylen, "coding SOF%u is not baseline, extended or progressive", m - 0xC0);
				return -1;
			}
			if (seg < 8 || p != 8) {
				snprintf(why, whylen, "the frame header is not of 8-bit samples");
				return -1;
			}
			img->height = (unsigned)d[pos + 5] << 8 | d[pos + 6];
			img->width = (unsigned)d[pos + 7] << 8 | d[pos + 8];
			comps = d[pos + 9];
			if (comps != 1 && comps != 3 && comps != 4) {
				snprintf(why, whylen, "%u colour components (1, 3 or 4 are usable)", comps);
				return -1;
			}
			img->channels = (int)comps;
			have_sof = 1;
		}
		if (m == 0xDA)
			break;
		pos += 2 + seg;
	}
	if (!have_sof) {
		snprintf(why, whylen, "a scan before the frame header");
		return -1;
	}
	/* the end marker, possibly followed by padding */
	for (seg = len; seg >= pos + 2; seg--)
		if (d[seg - 2] == 0xFF && d[seg - 1] == 0xD9)
			break;
	if (seg < pos + 2) {
		snprintf(why, whylen, "truncated: no end marker");
		return -1;
	}
	if (!img->width || !img->height || img->width > QJ_IMAGE_MAX_SIDE ||
	    img->height > QJ_IMAGE_MAX_SIDE ||
	    (size_t)img->width * img->height * (size_t)img->channels > QJ_IMAGE_MAX_PIXEL_BYTES) {
		snprintf(why, whylen, "%ux%u pixels are outside the limit of 1 to %u per side and %u MiB decoded",
			 img->width, img->height, QJ_IMAGE_MAX_SIDE, QJ_IMAGE_MAX_PIXEL_BYTES >> 20);
		return -1;
	}
	img->kind = QJ_IMAGE_JPEG;
	return 0;
}

/* ---- both ------------------------------------------------------------ */

static unsigned long be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (unsigned long)u[0] << 24 | (unsigned long)u[1] << 16 | (unsigned long)u[2] << 8 | u[3];
}

static int image_read(qj_ctx *ctx, const char *path, const char *where, int line,
		      qj_image *img, int keep)
{
	size_t len = 0;
	char why[256] = "";
	char *d;
	int rc = -1, png;

	memset(img, 0, sizeof *img);
	d = qj_file_load_at(ctx, path, QJ_FILE_IMAGE, where, line, &len);
	if (!d)
		return -1;
	png = len >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8);
	if (png && len >= 24 && !memcmp(d + 12, "IHDR", 4) &&
	    (be32(d + 16) > QJ_IMAGE_MAX_SIDE || be32(d + 20) > QJ_IMAGE_MAX_SIDE))
		/* said plainly before libpng's "Invalid IHDR data" */
		snprintf(why, sizeof why, "%lux%lu pixels, over the limit of %u per side",
			 be32(d + 16), be32(d + 20), QJ_IMAGE_MAX_SIDE);
	else if (png)
		rc = png_decode(ctx, d, len, img, keep, why, sizeof why);
	else if (len >= 4 && (unsigned char)d[0] == 0xFF && (unsigned char)d[1] == 0xD8)
		rc = jpeg_check((const unsigned char *)d, len, img, why, sizeof why);
	else {
		qj_error(ctx, where ? where : path, line,
			 "image '%s' is neither a PNG nor a JPEG file", path);
		qj_free(ctx, d);
		return -1;
	}
	if (rc < 0) {
		qj_error(ctx, where ? where : path, line, "image '%s' is not a usable %s image (%s)",
			 path, png ? "PNG" : "JPEG", why);
		qj_image_free(ctx, img);
		qj_free(ctx, d);
		return -1;
	}
	if (!png && keep) {
		img->data = d;
		img->len = len;
	} else {
		qj_free(ctx, d);
	}
	return 0;
}

int qj_image_probe(qj_ctx *ctx, const char *path, const char *where, int line,
		   unsigned *w, unsigned *h, qj_image_kind *kind)
{
	qj_image img;
	if (image_read(ctx, path, where, line, &img, 0) < 0)
		return -1;
	*w = img.width;
	*h = img.height;
	*kind = img.kind;
	qj_image_free(ctx, &img);
	return 0;
}

int qj_image_load(qj_ctx *ctx, const char *path, const char *where, int line,
		  qj_image *img)
{
	return image_read(ctx, path, where, line, img, 1);
}

void qj_image_free(qj_ctx *ctx, qj_image *img)
{
	if (!img)
		return;
	qj_free(ctx, img->pixels);
	qj_free(ctx, img->alpha);
	qj_free(ctx, img->data);
	memset(img, 0, sizeof *img);
}

void qj_image_flatten(qj_ctx *ctx, qj_image *img)
{
	size_t i, n;
	int c;
	if (!img->alpha || !img->pixels)
		return;
	n = (size_t)img->width * img->height;
	/* over white: v*a + 255*(1-a), rounded */
	for (i = 0; i < n; i++) {
		unsigned a = img->alpha[i];
		for (c = 0; c < img->channels; c++) {
			unsigned char *p = &img->pixels[i * (size_t)img->channels + (size_t)c];
			*p = (unsigned char)((*p * a + 255u * (255u - a) + 127u) / 255u);
		}
	}
	qj_free(ctx, img->alpha);
	img->alpha = NULL;
}
