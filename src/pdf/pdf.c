/* pdf: libharu backend. Subsets each used face to a temporary TrueType
 * file, loads it with UTF-8 encoding, replays every page's display list,
 * adds bookmarks, saves to libharu's memory stream, and hands the bytes to
 * the mender (mend.c) with the document information, which writes them
 * out once. */
#include "pdf-imp.h"

#include "image/image.h"

#include <ctype.h>
#include <errno.h>
#include <hpdf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FACES 64
#define MAX_IMAGES 64

typedef struct writer {
	qj_ctx *ctx;
	HPDF_Doc pdf;
	HPDF_Font fonts[MAX_FACES];
	const char *img_path[MAX_IMAGES];
	HPDF_Image img[MAX_IMAGES];
	int nimg;
	int failed;
	int pdfa;
} writer;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	writer *w = data;
	w->failed = 1;
	qj_error(w->ctx, NULL, 0, "libharu error 0x%04X (detail %u)",
		 (unsigned)code, (unsigned)detail);
}

/* Subsets and loads every face the document uses. */
static int load_fonts(writer *w, qj_fonts *fonts, qj_pdf_stats *st)
{
	int i, n = qj_fonts_face_count(fonts);
	for (i = 0; i < n && i < MAX_FACES; i++) {
		qj_face *face = qj_fonts_face_at(fonts, i);
		const char *name;
		long size;
		char *tmp;
		int fd;
		if (qj_face_used_count(face) == 0)
			continue;
		/* libharu takes only a file name: the subset goes to a temporary
		 * in $TMPDIR that lives just as long as libharu's load, which
		 * keeps the file open for the save */
		fd = qj_tmp_create(w->ctx, NULL, "qujat-font", &tmp);
		if (fd < 0)
			return -1;
		size = qj_face_subset(w->ctx, face, fd);
		close(fd);
		if (size < 0) {
			qj_tmp_remove(w->ctx, tmp);
			return -1;
		}
		if (st)
			st->font_bytes += size;
		name = HPDF_LoadTTFontFromFile(w->pdf, tmp, HPDF_TRUE);
		qj_tmp_remove(w->ctx, tmp);
		if (!name || w->failed) {
			qj_error(w->ctx, qj_face_path(face), 0, "libharu cannot embed this font");
			return -1;
		}
		w->fonts[i] = HPDF_GetFont(w->pdf, name, "UTF-8");
		if (!w->fonts[i] || w->failed)
			return -1;
		if (st)
			st->faces++;
	}
	return 0;
}

/* The image checked again by the image module (the file may have changed
 * since layout): a JPEG is handed over as read, a PNG as its decoded
 * pixels (with a soft mask for transparency; for PDF/A-1, which has no
 * transparency, flattened against white), so libharu's own PNG reader,
 * which aborts on a damaged file, is never used. */
static HPDF_Image load_image(writer *w, const char *path)
{
	qj_image img;
	HPDF_Image im = NULL, mask;
	if (qj_image_load(w->ctx, path, NULL, 0, &img) < 0)
		return NULL;
	if (w->pdfa && img.kind == QJ_IMAGE_JPEG && img.channels == 4) {
		qj_error(w->ctx, path, 0, "a CMYK JPEG cannot go in a PDF/A with an sRGB output "
			 "intent (--pdfa): save the image as RGB");
		qj_image_free(w->ctx, &img);
		return NULL;
	}
	if (w->pdfa)
		qj_image_flatten(w->ctx, &img);
	if (img.kind == QJ_IMAGE_JPEG)
		im = HPDF_LoadJpegImageFromMem(w->pdf, (const HPDF_BYTE *)img.data, (HPDF_UINT)img.len);
	else {
		im = HPDF_LoadRawImageFromMem(w->pdf, img.pixels, img.width, img.height,
					      img.channels == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
		if (im && img.alpha) {
			mask = HPDF_LoadRawImageFromMem(w->pdf, img.alpha, img.width, img.height,
							HPDF_CS_DEVICE_GRAY, 8);
			if (!mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK)
				im = NULL;
		}
	}
	qj_image_free(w->ctx, &img);
	if (!im || w->failed) {
		qj_error(w->ctx, path, 0, "libharu cannot embed this image");
		return NULL;
	}
	return im;
}

static HPDF_Image image_for(writer *w, const qj_dl_item *it)
{
	int i;
	for (i = 0; i < w->nimg; i++)
		if (!strcmp(w->img_path[i], it->image))
			return w->img[i];
	if (w->nimg == MAX_IMAGES) {
		qj_error(w->ctx, it->image, 0, "more than %d different images", MAX_IMAGES);
		return NULL;
	}
	w->img[w->nimg] = load_image(w, it->image);
	if (!w->img[w->nimg])
		return NULL;
	w->img_path[w->nimg] = it->image;
	return w->img[w->nimg++];
}

/* Replays one page's items; text is batched between graphics. */
static int draw_page(writer *w, const qj_page *pg)
{
	HPDF_Page page = HPDF_AddPage(w->pdf);
	const qj_dl_item *it;
	double H = pg->height;
	if (!page)
		return -1;
	HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width);
	HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height);
	for (it = pg->items; it && !w->failed; it = it->next) {
		switch (it->kind) {
		case QJ_DL_TEXT:
			if (!it->text[0] || !w->fonts[it->face])
				break;
			HPDF_Page_BeginText(page);
			HPDF_Page_SetFontAndSize(page, w->fonts[it->face], (HPDF_REAL)it->h);
			HPDF_Page_SetRGBFill(page, (HPDF_REAL)it->color[0], (HPDF_REAL)it->color[1],
					     (HPDF_REAL)it->color[2]);
			HPDF_Page_TextOut(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y), it->text);
			HPDF_Page_EndText(page);
			break;
		case QJ_DL_LINE:
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->stroke);
			HPDF_Page_SetRGBStroke(page, (HPDF_REAL)it->color[0], (HPDF_REAL)it->color[1],
					       (HPDF_REAL)it->color[2]);
			HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y));
			HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(H - it->y - it->h));
			HPDF_Page_Stroke(page);
			break;
		case QJ_DL_RECT:
			/* colours first: they are not allowed inside a path */
			if (it->filled)
				HPDF_Page_SetRGBFill(page, (HPDF_REAL)it->fill[0], (HPDF_REAL)it->fill[1],
						     (HPDF_REAL)it->fill[2]);
			else {
				HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->stroke);
				HPDF_Page_SetRGBStroke(page, (HPDF_REAL)it->color[0],
						       (HPDF_REAL)it->color[1], (HPDF_REAL)it->color[2]);
			}
			HPDF_Page_Rectangle(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
					    (HPDF_REAL)it->w, (HPDF_REAL)it->h);
			if (it->filled)
				HPDF_Page_Fill(page);
			else
				HPDF_Page_Stroke(page);
			break;
		case QJ_DL_IMAGE: {
			HPDF_Image img = image_for(w, it);
			if (!img)
				return -1;
			HPDF_Page_DrawImage(page, img, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
					    (HPDF_REAL)it->w, (HPDF_REAL)it->h);
			break;
		}
		}
	}
	return w->failed ? -1 : 0;
}

/* s cut to at most max bytes at a character boundary (libharu refuses
 * strings over 64 KiB; titles that long are of no use anyway). */
static const char *clip(char *buf, size_t max, const char *s)
{
	size_t n = strlen(s);
	if (n < max)
		return s;
	n = max - 4;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "\xe2\x80\xa6", 4); /* … */
	return buf;
}

/* Bookmarks as a tree by level, each pointing at its page and height. */
static int add_bookmarks(writer *w, const qj_dl *dl)
{
	HPDF_Outline parents[8] = {NULL};
	HPDF_Encoder enc = HPDF_GetEncoder(w->pdf, "UTF-8");
	const qj_bookmark *b;
	for (b = dl->bookmarks; b; b = b->next) {
		int lv = b->level > 7 ? 7 : b->level;
		HPDF_Outline o;
		HPDF_Destination d;
		HPDF_Page page = HPDF_GetPageByIndex(w->pdf, (HPDF_UINT)b->page);
		while (lv > 1 && !parents[lv - 1])
			lv--;
		char buf[512];
		o = HPDF_CreateOutline(w->pdf, lv > 1 ? parents[lv - 1] : NULL,
				       clip(buf, sizeof buf, b->title), enc);
		if (!o || !page)
			return -1;
		d = HPDF_Page_CreateDestination(page);
		HPDF_Destination_SetFitH(d, (HPDF_REAL)(dl->pages[b->page]->height - b->y));
		HPDF_Outline_SetDestination(o, d);
		HPDF_Outline_SetOpened(o, HPDF_FALSE);
		parents[lv] = o;
		if (lv + 1 < 8)
			parents[lv + 1] = NULL;
	}
	return w->failed ? -1 : 0;
}

/* The document libharu saved to its memory stream, copied out. */
static char *read_stream(writer *w, size_t *len)
{
	HPDF_UINT32 size = HPDF_GetStreamSize(w->pdf), got = 0;
	char *d = qj_malloc(w->ctx, (size_t)size + 1);
	if (!d)
		return NULL;
	HPDF_ResetStream(w->pdf);
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_STATUS st = HPDF_ReadFromStream(w->pdf, (HPDF_BYTE *)d + got, &n);
		got += n;
		if (n == 0 || (st != HPDF_OK && st != HPDF_STREAM_EOF))
			break;
	}
	if (got != size) {
		qj_free(w->ctx, d);
		return NULL;
	}
	d[size] = 0;
	*len = size;
	return d;
}

long long qj_pdf_epoch(qj_ctx *ctx)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;
	if (!e || !*e)
		return (long long)time(NULL);
	errno = 0;
	v = strtoll(e, &end, 10);
	if (errno || *end || v < 0 || !isdigit((unsigned char)*e) || v > 253402300799LL) {
		qj_error(ctx, NULL, 0, "SOURCE_DATE_EPOCH is '%s', not a number of seconds since "
			 "1970-01-01 (unset it, or give one like 1700000000)", e);
		return -1;
	}
	return v;
}

/* s for the Info dictionary and XMP: clipped, control characters as
 * spaces (XML cannot hold them), in buf. NULL stays NULL. */
static const char *meta_string(char *buf, size_t max, const char *s)
{
	char *p;
	if (!s)
		return NULL;
	s = clip(buf, max, s);
	if (s != buf) {
		snprintf(buf, max, "%s", s);
		s = buf;
	}
	for (p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	return buf;
}

/* The sRGB profile for the output intent, read as an input. */
static char *load_icc(qj_ctx *ctx, size_t *len)
{
	char *d = qj_file_load(ctx, QJ_SRGB_ICC, QJ_FILE_DATA, len);
	if (!d)
		qj_error(ctx, NULL, 0, "--pdfa needs the sRGB colour profile %s (Debian package "
			 "icc-profiles-free)", QJ_SRGB_ICC);
	else if (*len < 132 || memcmp(d + 36, "acsp", 4)) {
		qj_error(ctx, QJ_SRGB_ICC, 0, "not an ICC colour profile");
		qj_free(ctx, d);
		d = NULL;
	}
	return d;
}

/* Writes the saved document data (len bytes) at path through the mender,
 * with dl's information. */
static int write_out(qj_ctx *ctx, const qj_dl *dl, const char *path, unsigned flags,
		     const char *data, size_t len)
{
	char title[512], author[512], subject[512], lang[16];
	qj_pdf_meta m;
	long long when = qj_pdf_epoch(ctx);
	char *icc = NULL;
	int rc;
	if (when < 0)
		return -1;
	memset(&m, 0, sizeof m);
	m.title = meta_string(title, sizeof title, dl->title);
	m.author = meta_string(author, sizeof author, dl->author);
	m.subject = meta_string(subject, sizeof subject, dl->subject);
	m.creator = "qujat";
	m.producer = "libharu " HPDF_VERSION_TEXT " (qujat)";
	/* "kk+ru": the first language is the document's */
	if (dl->lang && *dl->lang) {
		snprintf(lang, sizeof lang, "%.*s", (int)strcspn(dl->lang, "+ "), dl->lang);
		m.lang = lang;
	}
	m.stamp = dl->stamp;
	m.when = (time_t)when;
	m.pdfa = (flags & QJ_PDF_A) != 0;
	if (m.pdfa && !(icc = load_icc(ctx, &m.icc_len)))
		return -1;
	m.icc = icc;
	rc = qj_pdf_write_fixed(ctx, path, data, len, &m);
	qj_free(ctx, icc);
	return rc;
}

int qj_pdf_write(qj_ctx *ctx, const qj_dl *dl, qj_fonts *fonts,
		 const char *path, unsigned flags, qj_pdf_stats *stats)
{
	writer w;
	char *data = NULL;
	size_t len = 0;
	int i, rc = -1;
	struct stat sb;

	memset(&w, 0, sizeof w);
	w.ctx = ctx;
	w.pdfa = (flags & QJ_PDF_A) != 0;
	if (stats)
		memset(stats, 0, sizeof *stats);
	w.pdf = HPDF_New(on_hpdf_error, &w);
	if (!w.pdf) {
		qj_error(ctx, NULL, 0, "libharu could not start a document");
		return -1;
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w.pdf);
	HPDF_SetCurrentEncoder(w.pdf, "UTF-8");
	/* the document information is the mender's (mend.c), with the XMP */
	if (load_fonts(&w, fonts, stats) < 0)
		goto out;
	for (i = 0; i < dl->npages; i++)
		if (draw_page(&w, dl->pages[i]) < 0)
			goto out;
	if (dl->bookmarks) {
		HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
		if (add_bookmarks(&w, dl) < 0)
			goto out;
	}
	/* saved to memory, mended there, written once (atomically) */
	if (HPDF_SaveToStream(w.pdf) != HPDF_OK || w.failed ||
	    !(data = read_stream(&w, &len))) {
		qj_error(ctx, path, 0, "cannot write the PDF");
		goto out;
	}
	/* a document made while an allocation failed may miss something */
	if (qj_ctx_oom(ctx) || write_out(ctx, dl, path, flags, data, len) < 0)
		goto out;
	if (stats && stat(path, &sb) == 0)
		stats->bytes = (long)sb.st_size;
	rc = 0;
out:
	qj_free(ctx, data);
	HPDF_Free(w.pdf);
	return rc;
}
