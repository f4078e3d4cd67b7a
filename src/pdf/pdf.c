/* pdf: the PDF stage. libharu writes the document — its objects, page
 * tree, images, outlines, compression and cross-reference table — while
 * the fonts and the page content are this file's: libharu 2.3.0's own
 * TrueType path (HPDF_LoadTTFontFromFile + HPDF_Type0Font_New) parses the
 * face again for every document, builds and deflates a 65,536-entry
 * code-to-glyph map per face per document (80% of the time of a
 * one-certificate PDF) and writes a ToUnicode CMap that is not one. So a
 * face is embedded here as a Type0 font whose codes are the characters'
 * Unicode values (two bytes, as libharu's were: text extraction reads the
 * same), with a CIDToGIDMap only as long as the largest character used, the
 * W widths of the used characters, one ToUnicode CMap shared by the fonts,
 * and the HarfBuzz subset (src/font) as FontFile2, all built with
 * libharu's object API (hpdf_objects.h). Because the codes do not depend on
 * the subset, pages are drawn as they come (qj_pdf_add) and the subsets
 * are made once at the end (qj_pdf_close), so a combined batch keeps no
 * display list. The saved bytes go to the mender (mend.c) for the
 * information dictionary, /Lang, XMP and the trailer /ID, and are written
 * out once, atomically. */
#include "pdf-imp.h"

#include "code/code.h"
#include "image/image.h"

#include <ctype.h>
#include <errno.h>
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_FACES 64
#define MAX_IMAGES 64

/* The deflating thread of a pipelined writer: pages go in a ring of jobs
 * (the main thread fills them, the thread deflates them, the main thread
 * puts the results in their content streams: libharu is only ever called
 * from the main thread), so a combined batch lays out the next person
 * while the last one's page is deflated. */
#define PIPE_JOBS 32

/* A QR item of a page: its rectangles go at byte at of the content. */
typedef struct zqr {
	size_t at;
	char *data;           /* malloc'd */
	double x, top, size;  /* PDF coordinates of the square's top-left corner */
} zqr;

typedef struct zjob {
	HPDF_Dict contents;
	unsigned char *in, *out; /* plain malloc: the thread does not use the context */
	size_t inlen, outlen;
	zqr *qr;                 /* the page's QR codes, encoded by the thread */
	int nqr;
	int ok;
} zjob;

typedef struct zpipe {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	zjob job[PIPE_JOBS];
	unsigned long submitted, deflated, collected; /* job i is job[i % PIPE_JOBS] */
	int stop;
} zpipe;

struct qj_pdf {
	qj_ctx *ctx;
	qj_fonts *fonts;
	HPDF_Doc pdf;
	HPDF_Dict type0[MAX_FACES];   /* made when a face is first drawn */
	HPDF_Dict cidfont[MAX_FACES];
	HPDF_Dict descriptor[MAX_FACES];
	const char *fname[MAX_FACES]; /* the face's resource name on the current page */
	char *img_path[MAX_IMAGES];
	HPDF_Image img[MAX_IMAGES];
	int nimg;
	int failed;
	unsigned flags;
	int npages;
	qj_pdf_mark *marks;         /* the outline (the mender writes it) */
	size_t nmarks, capmarks;
	int have_level[8];          /* levels with an item above the next */
	char *title, *author, *subject, *lang, *stamp;
	/* the page being drawn: its content, and the state it has set */
	HPDF_Page page;
	qj_buf c;
	int in_text, cur_face, filling;
	double cur_size, fill[3], stroke[3], line_w, page_h;
	double run_s, run_x, run_y; /* the frame of a run of filled rectangles */
	z_stream z;                 /* the writer's deflater (put_deflated) */
	int z_ready;
	zpipe *pipe;                /* QJ_PDF_PIPELINE: the pages' deflating thread */
	zqr *qr;                    /* with a pipe: the current page's QR codes */
	int nqr, qrcap;
};

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	qj_pdf *w = data;
	w->failed = 1;
	qj_error(w->ctx, NULL, 0, "libharu error 0x%04X (detail %u)",
		 (unsigned)code, (unsigned)detail);
}

/* ---- content ---- */

/* v with at most three decimals, as PDF writes numbers. */
/* v with at most three decimals and a space after, as PDF content writes
 * numbers, into out (32 bytes, not terminated); its length. No context:
 * the pipe's thread uses it too. */
static size_t num_text(char *out, double v)
{
	char tmp[32], *p = tmp + sizeof tmp;
	long long k;
	int neg = v < 0, frac, digits = 3;
	if (!(v > -1e9 && v < 1e9)) /* NaN or absurd: never from layout */
		v = 0;
	k = llround(fabs(v) * 1000);
	frac = (int)(k % 1000);
	k /= 1000;
	*--p = ' ';
	while (digits > 0 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (digits > 0) {
		while (digits-- > 0) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + k % 10);
		k /= 10;
	} while (k);
	if (neg && (p[0] != '0' || p[1] != ' '))
		*--p = '-';
	memcpy(out, p, (size_t)(tmp + sizeof tmp - p));
	return (size_t)(tmp + sizeof tmp - p);
}

static void put_num(qj_buf *b, double v)
{
	char t[32];
	qj_buf_append(b, t, num_text(t, v));
}

static void put_color(qj_buf *b, const double c[3], double cur[3], const char *op)
{
	if (c[0] == cur[0] && c[1] == cur[1] && c[2] == cur[2])
		return;
	put_num(b, c[0]);
	put_num(b, c[1]);
	put_num(b, c[2]);
	qj_buf_puts(b, op);
	memcpy(cur, c, 3 * sizeof *c);
}

/* Ends a text object or a run of filled rectangles before other content. */
static void settle(qj_pdf *w)
{
	if (w->in_text)
		qj_buf_puts(&w->c, "ET\n");
	if (w->filling)
		qj_buf_puts(&w->c, "f Q\n");
	w->in_text = w->filling = 0;
}

/* The Type0 font of face id, made at its first use; its resource name on
 * the current page. */
static const char *font_name(qj_pdf *w, int id)
{
	HPDF_MMgr mm = w->pdf->mmgr;
	if (id < 0 || id >= MAX_FACES)
		return NULL;
	if (!w->type0[id]) {
		HPDF_Dict t = HPDF_Dict_New(mm), c = HPDF_Dict_New(mm), d = HPDF_Dict_New(mm);
		HPDF_Array a = HPDF_Array_New(mm);
		if (!t || !c || !d || !a || HPDF_Xref_Add(w->pdf->xref, t) != HPDF_OK ||
		    HPDF_Xref_Add(w->pdf->xref, c) != HPDF_OK || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK ||
		    HPDF_Dict_Add(t, "DescendantFonts", a) != HPDF_OK || HPDF_Array_Add(a, c) != HPDF_OK)
			return NULL;
		w->type0[id] = t;
		w->cidfont[id] = c;
		w->descriptor[id] = d;
	}
	if (!w->fname[id])
		w->fname[id] = HPDF_Page_GetLocalFontName(w->page, (HPDF_Font)w->type0[id]);
	return w->fname[id];
}

static void put_text(qj_pdf *w, const qj_dl_item *it)
{
	static const char hex[] = "0123456789ABCDEF";
	qj_face *face = it->face >= 0 && it->face < qj_fonts_face_count(w->fonts)
				? qj_fonts_face_at(w->fonts, it->face) : NULL;
	const char *name = face ? font_name(w, it->face) : NULL, *s = it->text;
	size_t n = strlen(s);
	qj_buf *b = &w->c;
	if (!name) {
		w->failed = 1;
		return;
	}
	if (w->filling)
		settle(w);
	if (!w->in_text) {
		qj_buf_puts(b, "BT\n");
		w->in_text = 1;
		w->cur_face = -1;
	}
	if (w->cur_face != it->face || w->cur_size != it->h) {
		qj_buf_putc(b, '/');
		qj_buf_puts(b, name);
		qj_buf_putc(b, ' ');
		put_num(b, it->h);
		qj_buf_puts(b, "Tf\n");
		w->cur_face = it->face;
		w->cur_size = it->h;
	}
	put_color(b, it->color, w->fill, "rg\n");
	qj_buf_puts(b, "1 0 0 1 ");
	put_num(b, it->x);
	put_num(b, w->page_h - it->y);
	qj_buf_puts(b, "Tm\n<");
	while (n > 0) {
		uint32_t cp;
		size_t k = qj_utf8_decode(s, n, &cp);
		char u[4];
		s += k, n -= k;
		if (cp > 0xFFFF) /* the layout keeps these out (src/layout/para.c) */
			continue;
		/* what is drawn is what is subset, whoever measured it */
		qj_face_use(face, cp);
		u[0] = hex[cp >> 12], u[1] = hex[(cp >> 8) & 15], u[2] = hex[(cp >> 4) & 15];
		u[3] = hex[cp & 15];
		qj_buf_append(b, u, 4);
	}
	qj_buf_puts(b, ">Tj\n");
}

/* The image checked again by the image module (the file may have changed
 * since layout): a JPEG is handed over as read, a PNG as its decoded
 * pixels (with a soft mask for transparency; for PDF/A-1, which has no
 * transparency, flattened against white), so libharu's own PNG reader,
 * which aborts on a damaged file, is never used. */
static HPDF_Image load_image(qj_pdf *w, const char *path)
{
	qj_image img;
	HPDF_Image im = NULL, mask;
	if (qj_image_load(w->ctx, path, NULL, 0, &img) < 0)
		return NULL;
	if ((w->flags & QJ_PDF_A) && img.kind == QJ_IMAGE_JPEG && img.channels == 4) {
		qj_error(w->ctx, path, 0, "a CMYK JPEG cannot go in a PDF/A with an sRGB output "
			 "intent (--pdfa): save the image as RGB");
		qj_image_free(w->ctx, &img);
		return NULL;
	}
	if (w->flags & QJ_PDF_A)
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

static HPDF_Image image_for(qj_pdf *w, const qj_dl_item *it)
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
	/* a combined batch outlives the display list the path came from */
	if (!(w->img_path[w->nimg] = qj_strdup(w->ctx, it->image)))
		return NULL;
	return w->img[w->nimg++];
}

static HPDF_STATUS flate_filter(HPDF_Dict d, HPDF_Stream out)
{
	(void)d;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* d's stream: zlen bytes already deflated. libharu writes a stream it is
 * not to filter as it is and drops its /Filter entry, so the entry is
 * written by the dictionary's write hook. */
static int put_flate(HPDF_Dict d, const void *z, size_t zlen)
{
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = flate_filter;
	return HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)z, (HPDF_UINT)zlen) == HPDF_OK ? 0 : -1;
}

/* d's stream: len bytes of data, deflated with the writer's one deflater
 * (setting one up costs more than deflating a page). */
static int put_deflated_as(qj_pdf *w, HPDF_Dict d, const void *data, size_t len, int strategy)
{
	z_stream *z = &w->z;
	uLong cap;
	unsigned char *out;
	int rc = -1;
	if (!w->z_ready) {
		if (deflateInit(z, 6) != Z_OK)
			return -1;
		w->z_ready = 1;
	} else if (deflateReset(z) != Z_OK)
		return -1;
	if (deflateParams(z, 6, strategy) != Z_OK)
		return -1;
	cap = deflateBound(z, (uLong)len);
	if (!(out = qj_malloc(w->ctx, cap)))
		return -1;
	z->next_in = (Bytef *)data;
	z->avail_in = (uInt)len;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	if (deflate(z, Z_FINISH) == Z_STREAM_END)
		rc = put_flate(d, out, z->total_out);
	qj_free(w->ctx, out);
	return rc;
}

static int put_deflated(qj_pdf *w, HPDF_Dict d, const void *data, size_t len)
{
	return put_deflated_as(w, d, data, len, Z_DEFAULT_STRATEGY);
}

/* The content drawing the QR symbol of data in the square of side size
 * whose top-left corner is (x, top) in PDF coordinates (malloc'd, *len
 * bytes; NULL when it cannot be encoded). No context: the pipe's thread
 * calls it too. */
static char *qr_ops(const char *data, double x, double top, double size, size_t *len)
{
	int n = 0, r, c, run;
	unsigned char *dark = qj_qr_matrix(data, &n);
	double m, f[6];
	char *out, *p;
	if (!dark)
		return NULL;
	/* at most n * (n + 1) / 2 runs of "ccc rrr nnn 1 re\n" */
	if (!(out = p = malloc((size_t)n * (size_t)(n + 1) / 2 * 18 + 256))) {
		free(dark);
		return NULL;
	}
	/* a frame of one module whose origin is the module area's bottom-left
	 * corner; saved and restored, so the state after is the state before */
	m = size / (n + 8);
	f[0] = m, f[1] = 0, f[2] = 0, f[3] = m, f[4] = x + 4 * m, f[5] = top - (4 + n) * m;
	memcpy(p, "q 0 0 0 rg ", 11);
	p += 11;
	for (r = 0; r < 6; r++)
		p += num_text(p, f[r]);
	memcpy(p, "cm\n", 3);
	p += 3;
	for (r = 0, c = 0; (run = qj_qr_next_run(dark, n, &r, &c)) > 0; c += run) {
		p += num_text(p, c);
		p += num_text(p, n - 1 - r);
		p += num_text(p, run);
		memcpy(p, "1 re\n", 5);
		p += 5;
	}
	memcpy(p, "f Q\n", 4);
	p += 4;
	free(dark);
	*len = (size_t)(p - out);
	return out;
}

/* j's content with its QR codes drawn in, in place of j->in (the thread). */
static int job_qr(zjob *j)
{
	char *ops[64];
	size_t len[64], total = j->inlen, at = 0, pos = 0;
	unsigned char *all;
	int k, n = j->nqr < 64 ? j->nqr : 64, ok = 1;
	for (k = 0; k < n; k++)
		if ((ops[k] = qr_ops(j->qr[k].data, j->qr[k].x, j->qr[k].top, j->qr[k].size, &len[k])))
			total += len[k];
		else
			ok = 0;
	if (ok && n == j->nqr && (all = malloc(total))) {
		for (k = 0; k < n; k++) {
			memcpy(all + pos, j->in + at, j->qr[k].at - at);
			pos += j->qr[k].at - at;
			at = j->qr[k].at;
			memcpy(all + pos, ops[k], len[k]);
			pos += len[k];
		}
		memcpy(all + pos, j->in + at, j->inlen - at);
		free(j->in);
		j->in = all;
		j->inlen = total;
	} else
		ok = 0;
	for (k = 0; k < n; k++)
		free(ops[k]);
	return ok;
}

static void free_qr(zqr *q, int n)
{
	int k;
	for (k = 0; k < n; k++)
		free(q[k].data);
	free(q);
}

static void *pipe_main(void *arg)
{
	zpipe *p = arg;
	z_stream z;
	int ready;
	memset(&z, 0, sizeof z);
	ready = deflateInit(&z, 6) == Z_OK;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		zjob *j;
		uLong cap;
		while (p->deflated == p->submitted && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->deflated == p->submitted)
			break;
		j = &p->job[p->deflated % PIPE_JOBS];
		pthread_mutex_unlock(&p->mu);
		j->ok = 0;
		if (ready && (!j->nqr || job_qr(j)) && deflateReset(&z) == Z_OK) {
			cap = deflateBound(&z, (uLong)j->inlen);
			if ((j->out = malloc(cap))) {
				z.next_in = j->in;
				z.avail_in = (uInt)j->inlen;
				z.next_out = j->out;
				z.avail_out = (uInt)cap;
				j->ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
				j->outlen = z.total_out;
			}
		}
		pthread_mutex_lock(&p->mu);
		p->deflated++;
		pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (ready)
		deflateEnd(&z);
	return NULL;
}

/* Puts the deflated pages in their streams; with wait, the thread is
 * waited for until there is room for one more job (all: until every job
 * is done). Main thread only. */
static int pipe_collect(qj_pdf *w, int all)
{
	zpipe *p = w->pipe;
	int rc = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->collected < p->deflated) {
			zjob *j = &p->job[p->collected % PIPE_JOBS];
			pthread_mutex_unlock(&p->mu);
			if (!j->ok || put_flate(j->contents, j->out, j->outlen) < 0) {
				qj_error(w->ctx, NULL, 0, "cannot deflate a page");
				rc = -1;
			}
			free(j->in);
			free(j->out);
			free_qr(j->qr, j->nqr);
			j->in = j->out = NULL;
			j->qr = NULL;
			j->nqr = 0;
			pthread_mutex_lock(&p->mu);
			p->collected++;
		}
		if (all ? p->collected == p->submitted : p->submitted - p->collected < PIPE_JOBS)
			break;
		pthread_cond_wait(&p->done, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* The page's content (w->c, taken) as a job for the thread. */
static int pipe_submit(qj_pdf *w, HPDF_Dict contents)
{
	zpipe *p = w->pipe;
	zjob *j;
	if (pipe_collect(w, 0) < 0)
		return -1;
	j = &p->job[p->submitted % PIPE_JOBS];
	j->contents = contents;
	j->in = (unsigned char *)w->c.data;
	j->inlen = w->c.len;
	j->qr = w->qr;
	j->nqr = w->nqr;
	w->qr = NULL;
	w->nqr = w->qrcap = 0;
	qj_buf_init(&w->c, w->ctx);
	pthread_mutex_lock(&p->mu);
	p->submitted++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static void pipe_start(qj_pdf *w)
{
	zpipe *p = qj_calloc(w->ctx, 1, sizeof *p);
	if (!p)
		return;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (pthread_create(&p->th, NULL, pipe_main, p) != 0) {
		/* no thread: pages are deflated as they are drawn */
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->done);
		qj_free(w->ctx, p);
		return;
	}
	w->pipe = p;
}

/* Waits for the thread's last job, ends it and frees the ring. */
static int pipe_stop(qj_pdf *w)
{
	zpipe *p = w->pipe;
	int rc;
	unsigned long i;
	if (!p)
		return 0;
	rc = pipe_collect(w, 1);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	for (i = 0; i < PIPE_JOBS; i++) {
		free(p->job[i].in);
		free(p->job[i].out);
		free_qr(p->job[i].qr, p->job[i].nqr);
	}
	free_qr(w->qr, w->nqr);
	w->qr = NULL;
	w->nqr = w->qrcap = 0;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	qj_free(w->ctx, p);
	w->pipe = NULL;
	return rc;
}

/* A QR item: its rectangles now, or with a pipe, by the thread at this
 * point of the content. */
static int put_qr(qj_pdf *w, const qj_dl_item *it, double H)
{
	size_t len;
	char *ops;
	if (w->pipe) {
		zqr *q;
		if (w->nqr == w->qrcap) {
			int cap = w->qrcap ? w->qrcap * 2 : 4;
			if (cap > 64 || !(q = realloc(w->qr, (size_t)cap * sizeof *q))) {
				qj_error(w->ctx, NULL, 0, "more than 64 QR codes on a page");
				return -1;
			}
			w->qr = q;
			w->qrcap = cap;
		}
		q = &w->qr[w->nqr];
		if (!(q->data = strdup(it->text)))
			return -1;
		q->at = w->c.len;
		q->x = it->x;
		q->top = H - it->y;
		q->size = it->w;
		w->nqr++;
		return 0;
	}
	if (!(ops = qr_ops(it->text, it->x, H - it->y, it->w, &len))) {
		qj_error(w->ctx, NULL, 0, "cannot encode a QR code of %zu bytes", strlen(it->text));
		return -1;
	}
	qj_buf_append(&w->c, ops, len);
	free(ops);
	return 0;
}

/* Draws one page's items into a new page: text in text objects, runs of
 * rectangles filled alike (a QR code's modules) as one path, colours and
 * widths only when they change. */
static int draw_page(qj_pdf *w, const qj_page *pg)
{
	HPDF_Page page = HPDF_AddPage(w->pdf);
	const qj_dl_item *it;
	qj_buf *b = &w->c;
	double H = pg->height;
	if (!page)
		return -1;
	HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width);
	HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height);
	w->page = page;
	w->page_h = H;
	memset(w->fname, 0, sizeof w->fname);
	w->in_text = w->filling = 0;
	/* the PDF's initial state: black, 1 pt lines */
	memset(w->fill, 0, sizeof w->fill);
	memset(w->stroke, 0, sizeof w->stroke);
	w->line_w = 1;
	qj_buf_reset(b);
	for (it = pg->items; it && !w->failed; it = it->next) {
		switch (it->kind) {
		case QJ_DL_TEXT:
			if (it->text[0])
				put_text(w, it);
			break;
		case QJ_DL_LINE:
			settle(w);
			if (it->stroke != w->line_w) {
				put_num(b, it->stroke);
				qj_buf_puts(b, "w\n");
				w->line_w = it->stroke;
			}
			put_color(b, it->color, w->stroke, "RG\n");
			put_num(b, it->x);
			put_num(b, H - it->y);
			qj_buf_puts(b, "m ");
			put_num(b, it->x + it->w);
			put_num(b, H - it->y - it->h);
			qj_buf_puts(b, "l S\n");
			break;
		case QJ_DL_RECT:
			if (w->in_text || (w->filling && (!it->filled || memcmp(it->fill, w->fill, sizeof w->fill))))
				settle(w);
			if (it->filled)
				put_color(b, it->fill, w->fill, "rg\n");
			else {
				if (it->stroke != w->line_w) {
					put_num(b, it->stroke);
					qj_buf_puts(b, "w\n");
					w->line_w = it->stroke;
				}
				put_color(b, it->color, w->stroke, "RG\n");
			}
			if (!it->filled) {
				put_num(b, it->x);
				put_num(b, H - it->y - it->h);
				put_num(b, it->w);
				put_num(b, it->h);
				qj_buf_puts(b, "re S\n");
				break;
			}
			/* a run of filled rectangles is one path, in a frame
			 * scaled to the first one's height: a QR code's modules
			 * become small whole numbers (a third of the bytes) */
			if (!w->filling) {
				w->run_s = it->h > 0.01 ? it->h : 1;
				w->run_x = it->x;
				w->run_y = H - it->y - it->h;
				qj_buf_puts(b, "q ");
				put_num(b, w->run_s);
				qj_buf_puts(b, "0 0 ");
				put_num(b, w->run_s);
				put_num(b, w->run_x);
				put_num(b, w->run_y);
				qj_buf_puts(b, "cm\n");
				w->filling = 1;
			}
			put_num(b, (it->x - w->run_x) / w->run_s);
			put_num(b, (H - it->y - it->h - w->run_y) / w->run_s);
			put_num(b, it->w / w->run_s);
			put_num(b, it->h / w->run_s);
			qj_buf_puts(b, "re\n");
			break;
		case QJ_DL_QR:
			settle(w);
			if (put_qr(w, it, H) < 0)
				return -1;
			break;
		case QJ_DL_IMAGE: {
			HPDF_Image img = image_for(w, it);
			const char *name = img ? HPDF_Page_GetXObjectName(page, img) : NULL;
			if (!name)
				return -1;
			settle(w);
			qj_buf_puts(b, "q ");
			put_num(b, it->w);
			qj_buf_puts(b, "0 0 ");
			put_num(b, it->h);
			put_num(b, it->x);
			put_num(b, H - it->y - it->h);
			qj_buf_printf(b, "cm /%s Do Q\n", name);
			break;
		}
		}
	}
	settle(w);
	if (qj_ctx_oom(w->ctx) || w->failed)
		return -1;
	/* deflated now: a combined batch holds thousands of pages until the
	 * end, and this way each costs its 2 KB, not the 7 KB libharu would
	 * keep to deflate at the save */
	if ((b->len || w->nqr) && (w->pipe ? pipe_submit(w, ((HPDF_PageAttr)page->attr)->contents)
			       : put_deflated(w, ((HPDF_PageAttr)page->attr)->contents, b->data, b->len)) < 0)
		return -1;
	w->npages++;
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

/* dl's bookmarks as a tree by level, each pointing at its page (first:
 * the document's page of dl's first) and height; the levels go on from
 * the bookmarks added before. Kept as marks for the mender. */
static int add_bookmarks(qj_pdf *w, const qj_dl *dl, int first)
{
	const qj_bookmark *b;
	for (b = dl->bookmarks; b; b = b->next) {
		int lv = b->level > 7 ? 7 : b->level < 1 ? 1 : b->level, k;
		char buf[512];
		qj_pdf_mark *m;
		if (b->page < 0 || b->page >= dl->npages)
			continue;
		while (lv > 1 && !w->have_level[lv - 1])
			lv--;
		if (w->nmarks == w->capmarks) {
			size_t cap = w->capmarks ? w->capmarks * 2 : 64;
			if (!(m = qj_realloc(w->ctx, w->marks, cap * sizeof *m)))
				return -1;
			w->marks = m;
			w->capmarks = cap;
		}
		m = &w->marks[w->nmarks];
		if (!(m->title = qj_strdup(w->ctx, clip(buf, sizeof buf, b->title))))
			return -1;
		m->page = first + b->page;
		m->level = lv;
		m->top = dl->pages[b->page]->height - b->y;
		w->nmarks++;
		w->have_level[lv] = 1;
		for (k = lv + 1; k < 8; k++)
			w->have_level[k] = 0;
	}
	return w->failed ? -1 : 0;
}

/* The document libharu saved to its memory stream, copied out. */
static char *read_stream(qj_pdf *w, size_t *len)
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

/* ---- fonts ---- */

static HPDF_Array int_array(HPDF_MMgr mm, const int *v, int n)
{
	HPDF_Array a = HPDF_Array_New(mm);
	int i;
	for (i = 0; a && i < n; i++)
		HPDF_Array_AddNumber(a, v[i]);
	return a;
}

/* Six capitals from the face and its characters: the subset's tag. */
static void subset_tag(const qj_face *face, int id, char tag[8])
{
	unsigned long h = 2166136261u ^ (unsigned long)id;
	uint32_t cp = (uint32_t)-1;
	int i;
	while (qj_face_next_used(face, &cp))
		h = (h ^ cp) * 16777619u;
	for (i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '+';
	tag[7] = 0;
}

/* Face id's font, complete: the subset as FontFile2, its descriptor, the
 * W widths and CIDToGIDMap of the used characters; used[c] is set for
 * every code the font maps (for the ToUnicode CMap). */
static int finish_font(qj_pdf *w, int id, unsigned char *used, qj_pdf_stats *st)
{
	HPDF_MMgr mm = w->pdf->mmgr;
	qj_face *face = qj_fonts_face_at(w->fonts, id);
	HPDF_Dict fd = w->descriptor[id], cid = w->cidfont[id], t0 = w->type0[id];
	HPDF_Dict file = NULL, map = NULL, si;
	HPDF_Array wa, run = NULL;
	const qj_face_subset *sub = qj_face_subset_get(w->ctx, face);
	qj_face_metrics m;
	unsigned char *g = NULL;
	char base[96], tag[8];
	uint32_t cp = (uint32_t)-1, prev = 0;
	int rc = -1;

	if (!sub)
		return -1;
	/* not in the document until added to it below: freed on the way out */
	si = HPDF_Dict_New(mm);
	wa = HPDF_Array_New(mm);
	qj_face_get_metrics(face, &m);
	subset_tag(face, id, tag);
	snprintf(base, sizeof base, "%s%s", tag, m.name);
	if (!si || !wa || !(g = qj_calloc(w->ctx, sub->ncodes, 2)))
		goto out;
	/* the program */
	if (!(file = HPDF_DictStream_New(mm, w->pdf->xref)))
		goto out;
	if (put_flate(file, sub->zttf, sub->zlen) < 0)
		goto out;
	HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)sub->len);
	/* codes to glyphs, and the widths of the codes used, in runs */
	while (qj_face_next_used(face, &cp) && cp < sub->ncodes) {
		if (!sub->gid[cp])
			continue;
		g[2 * cp] = (unsigned char)(sub->gid[cp] >> 8);
		g[2 * cp + 1] = (unsigned char)sub->gid[cp];
		used[cp] = 1;
		if (!run || cp != prev + 1) {
			HPDF_Array_AddNumber(wa, (HPDF_INT32)cp);
			if (!(run = HPDF_Array_New(mm)) || HPDF_Array_Add(wa, run) != HPDF_OK)
				goto out;
		}
		HPDF_Array_AddNumber(run, qj_face_width(face, cp));
		prev = cp;
	}
	if (!(map = HPDF_DictStream_New(mm, w->pdf->xref)))
		goto out;
	/* mostly zeros: run-length matching makes it smaller, twice as fast */
	if (put_deflated_as(w, map, g, 2 * (size_t)sub->ncodes, Z_RLE) < 0)
		goto out;
	/* the descriptor */
	HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
	HPDF_Dict_AddName(fd, "FontName", base);
	HPDF_Dict_AddNumber(fd, "Flags", 32 | (m.fixed ? 1 : 0) | (m.italic ? 64 : 0));
	HPDF_Dict_Add(fd, "FontBBox", int_array(mm, m.bbox, 4));
	HPDF_Dict_AddNumber(fd, "ItalicAngle", m.italic_angle);
	HPDF_Dict_AddNumber(fd, "Ascent", m.ascent);
	HPDF_Dict_AddNumber(fd, "Descent", m.descent);
	HPDF_Dict_AddNumber(fd, "CapHeight", m.cap_height);
	HPDF_Dict_AddNumber(fd, "StemV", 0);
	HPDF_Dict_Add(fd, "FontFile2", file);
	if (w->flags & QJ_PDF_A) {
		/* PDF/A-1: the CIDs the program has */
		size_t n = 0;
		unsigned char *set = qj_pdf_cidset(w->ctx, g, 2 * (size_t)sub->ncodes, &n);
		HPDF_Dict cs = set ? HPDF_DictStream_New(mm, w->pdf->xref) : NULL;
		if (!cs) {
			qj_free(w->ctx, set);
			goto out;
		}
		rc = put_deflated_as(w, cs, set, n, Z_RLE);
		qj_free(w->ctx, set);
		if (rc < 0)
			goto out;
		HPDF_Dict_Add(fd, "CIDSet", cs);
	}
	/* the CIDFont and the font */
	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", base);
	HPDF_Dict_Add(si, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(si, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(si, "Supplement", 0);
	HPDF_Dict_Add(cid, "CIDSystemInfo", si);
	si = NULL;
	HPDF_Dict_Add(cid, "FontDescriptor", fd);
	HPDF_Dict_Add(cid, "W", wa);
	wa = NULL;
	HPDF_Dict_Add(cid, "CIDToGIDMap", map);
	HPDF_Dict_AddName(t0, "Type", "Font");
	HPDF_Dict_AddName(t0, "Subtype", "Type0");
	HPDF_Dict_AddName(t0, "BaseFont", base);
	HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
	if (st) {
		st->faces++;
		st->font_bytes += (long)sub->len;
	}
	rc = qj_ctx_oom(w->ctx) || w->failed ? -1 : 0;
out:
	if (si)
		HPDF_Dict_Free(si);
	if (wa)
		HPDF_Array_Free(wa);
	qj_free(w->ctx, g);
	return rc;
}

/* Every drawn face's font, and the ToUnicode CMap they share (a code is
 * the same character in every font). */
static int finish_fonts(qj_pdf *w, qj_pdf_stats *st)
{
	unsigned char *used;
	HPDF_Dict tu;
	qj_buf cmap;
	size_t ncodes;
	int i, nfonts = 0, rc = 0;
	for (i = 0; i < MAX_FACES; i++)
		nfonts += w->type0[i] != NULL;
	if (nfonts == 0) /* a document without text */
		return 0;
	if (!(used = qj_calloc(w->ctx, 0x10000, 1)))
		return -1;
	for (i = 0; i < MAX_FACES && rc == 0; i++)
		if (w->type0[i])
			rc = finish_font(w, i, used, st);
	qj_buf_init(&cmap, w->ctx);
	for (ncodes = 0x10000; ncodes > 0 && !used[ncodes - 1]; ncodes--)
		;
	if (rc == 0 && (qj_pdf_tounicode(&cmap, used, ncodes) < 0 ||
			!(tu = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref)) ||
			put_deflated(w, tu, cmap.data, cmap.len) < 0))
		rc = -1;
	for (i = 0; i < MAX_FACES && rc == 0; i++)
		if (w->type0[i] && HPDF_Dict_Add(w->type0[i], "ToUnicode", tu) != HPDF_OK)
			rc = -1;
	qj_buf_free(&cmap);
	qj_free(w->ctx, used);
	return rc == 0 && !w->failed && !qj_ctx_oom(w->ctx) ? 0 : -1;
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
/* Writes the saved document data (len bytes) at path through the mender,
 * with the document information of the first display list. */
static int write_out(qj_pdf *w, const char *path, unsigned flags, const char *data, size_t len)
{
	char title[512], author[512], subject[512], lang[16];
	qj_ctx *ctx = w->ctx;
	qj_pdf_meta m;
	long long when = qj_pdf_epoch(ctx);
	char *icc = NULL;
	int rc;
	if (when < 0)
		return -1;
	memset(&m, 0, sizeof m);
	m.title = meta_string(title, sizeof title, w->title);
	m.author = meta_string(author, sizeof author, w->author);
	m.subject = meta_string(subject, sizeof subject, w->subject);
	m.creator = "qujat";
	m.producer = "libharu " HPDF_VERSION_TEXT " (qujat)";
	/* "kk+ru": the first language is the document's */
	if (w->lang && *w->lang) {
		snprintf(lang, sizeof lang, "%.*s", (int)strcspn(w->lang, "+ "), w->lang);
		m.lang = lang;
	}
	m.stamp = w->stamp;
	m.when = (time_t)when;
	m.pdfa = (flags & QJ_PDF_A) != 0;
	if (m.pdfa && !(icc = load_icc(ctx, &m.icc_len)))
		return -1;
	m.icc = icc;
	m.marks = w->marks;
	m.nmarks = w->nmarks;
	rc = qj_pdf_write_fixed(ctx, path, data, len, &m);
	qj_free(ctx, icc);
	return rc;
}

qj_pdf *qj_pdf_open(qj_ctx *ctx, qj_fonts *fonts, unsigned flags)
{
	qj_pdf *w = qj_calloc(ctx, 1, sizeof *w);
	if (!w)
		return NULL;
	w->ctx = ctx;
	w->fonts = fonts;
	w->flags = flags;
	qj_buf_init(&w->c, ctx);
	w->pdf = HPDF_New(on_hpdf_error, w);
	if (!w->pdf) {
		qj_error(ctx, NULL, 0, "libharu could not start a document");
		qj_free(ctx, w);
		return NULL;
	}
	/* page content and images deflated by libharu; the font streams are
	 * marked one by one (add_stream) */
	HPDF_SetCompressionMode(w->pdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
	/* libharu's page tree is one node whose /Kids can hold 32,767 pages
	 * (HPDF_LIMIT_MAX_ARRAY); a two-level tree of 1,024 pages a node holds
	 * 33 million, for 60 bytes more */
	HPDF_SetPagesConfiguration(w->pdf, 1024);
	/* for the outline titles */
	HPDF_UseUTFEncodings(w->pdf);
	if (flags & QJ_PDF_PIPELINE)
		pipe_start(w);
	return w;
}

static char *keep(qj_pdf *w, const char *s)
{
	return s ? qj_strdup(w->ctx, s) : NULL;
}

int qj_pdf_add(qj_pdf *w, const qj_dl *dl)
{
	int i, first = w->npages;
	if (w->failed)
		return -1;
	if (first == 0) {
		w->title = keep(w, dl->title);
		w->author = keep(w, dl->author);
		w->subject = keep(w, dl->subject);
		w->lang = keep(w, dl->lang);
		w->stamp = keep(w, dl->stamp);
	}
	for (i = 0; i < dl->npages; i++)
		if (draw_page(w, dl->pages[i]) < 0) {
			w->failed = 1;
			return -1;
		}
	if (dl->bookmarks) {
		HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
		if (add_bookmarks(w, dl, first) < 0) {
			w->failed = 1;
			return -1;
		}
	}
	return qj_ctx_oom(w->ctx) ? -1 : 0;
}

int qj_pdf_pages(const qj_pdf *w)
{
	return w->npages;
}

void qj_pdf_discard(qj_pdf *w)
{
	int i;
	if (!w)
		return;
	pipe_stop(w);
	HPDF_Free(w->pdf);
	if (w->z_ready)
		deflateEnd(&w->z);
	for (i = 0; i < w->nimg; i++)
		qj_free(w->ctx, w->img_path[i]);
	while (w->nmarks)
		qj_free(w->ctx, w->marks[--w->nmarks].title);
	qj_free(w->ctx, w->marks);
	qj_free(w->ctx, w->title);
	qj_free(w->ctx, w->author);
	qj_free(w->ctx, w->subject);
	qj_free(w->ctx, w->lang);
	qj_free(w->ctx, w->stamp);
	qj_buf_free(&w->c);
	qj_free(w->ctx, w);
}

int qj_pdf_close(qj_pdf *w, const char *path, qj_pdf_stats *stats)
{
	qj_ctx *ctx = w->ctx;
	char *data = NULL;
	size_t len = 0;
	int rc = -1;
	struct stat sb;

	if (stats)
		memset(stats, 0, sizeof *stats);
	if (w->failed || pipe_stop(w) < 0 || finish_fonts(w, stats) < 0)
		goto out;
	/* saved to memory, mended there, written once (atomically) */
	if (HPDF_SaveToStream(w->pdf) != HPDF_OK || w->failed || !(data = read_stream(w, &len))) {
		qj_error(ctx, path, 0, "cannot write the PDF");
		goto out;
	}
	/* a document made while an allocation failed may miss something */
	if (qj_ctx_oom(ctx) || write_out(w, path, w->flags, data, len) < 0)
		goto out;
	if (stats && stat(path, &sb) == 0)
		stats->bytes = (long)sb.st_size;
	rc = 0;
out:
	qj_free(ctx, data);
	qj_pdf_discard(w);
	return rc;
}

int qj_pdf_write(qj_ctx *ctx, const qj_dl *dl, qj_fonts *fonts,
		 const char *path, unsigned flags, qj_pdf_stats *stats)
{
	qj_pdf *w = qj_pdf_open(ctx, fonts, flags);
	if (!w)
		return -1;
	if (qj_pdf_add(w, dl) < 0) {
		qj_pdf_discard(w);
		return -1;
	}
	return qj_pdf_close(w, path, stats);
}
