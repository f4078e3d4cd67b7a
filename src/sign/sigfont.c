/* sigfont: the font of the signature box. The box is drawn in DejaVu Sans
 * from the data directory (fonts/DejaVuSans.ttf, shipped with qujat),
 * subset by HarfBuzz to the characters the box shows and embedded as a
 * Type0 font (Identity-H, the subset's glyph ids as CIDs) with widths, a
 * CIDSet, a CapHeight and a ToUnicode CMap: every font of a signed
 * document stays embedded, as PDF/A asks, and the signer's name keeps its
 * Kazakh and Russian letters. The subsetting is HarfBuzz's, as the font
 * stage does it, but over a font file of its own: the document's fonts
 * are the layout's, and the box is drawn after the document is written. */
#include "sign-imp.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <string.h>
#include <zlib.h>

struct sig_font {
	qj_ctx *ctx;
	hb_blob_t *blob;    /* the subset program */
	hb_font_t *font;    /* over the subset, scale = units per em */
	unsigned nglyphs, upem;
	uint32_t *uni;      /* per glyph: the character it shows (0: none) */
};

/* The characters of s the full font has; the others are drawn as '?'. */
static void add_chars(hb_font_t *full, hb_set_t *set, const char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		uint32_t cp;
		hb_codepoint_t g;
		size_t k = qj_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		hb_set_add(set, hb_font_get_nominal_glyph(full, cp, &g) ? cp : '?');
	}
}

sig_font *sig_font_new(qj_ctx *ctx, const char *data, size_t len, const char *text)
{
	hb_blob_t *blob = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = hb_face_create(blob, 0), *sub = NULL;
	hb_font_t *full = hb_font_create(face);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	sig_font *f = NULL;
	hb_codepoint_t cp = HB_SET_VALUE_INVALID, g;

	if (in) {
		add_chars(full, hb_subset_input_unicode_set(in), text);
		hb_set_add(hb_subset_input_unicode_set(in), '?');
		hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
		sub = hb_subset_or_fail(face, in);
	}
	if (sub && (f = qj_calloc(ctx, 1, sizeof *f))) {
		f->ctx = ctx;
		f->blob = hb_face_reference_blob(sub);
		f->font = hb_font_create(sub);
		f->nglyphs = hb_face_get_glyph_count(sub);
		f->upem = hb_face_get_upem(sub);
		f->uni = qj_calloc(ctx, f->nglyphs ? f->nglyphs : 1, sizeof *f->uni);
		/* which character each glyph shows, for the ToUnicode CMap */
		while (f->uni && hb_set_next(hb_subset_input_unicode_set(in), &cp))
			if (hb_font_get_nominal_glyph(f->font, cp, &g) && g < f->nglyphs && !f->uni[g])
				f->uni[g] = cp;
		if (!f->uni || !f->upem || hb_blob_get_length(f->blob) == 0) {
			sig_font_free(f);
			f = NULL;
		}
	}
	hb_subset_input_destroy(in);
	hb_face_destroy(sub);
	hb_font_destroy(full);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return f;
}

void sig_font_free(sig_font *f)
{
	if (!f)
		return;
	hb_font_destroy(f->font);
	hb_blob_destroy(f->blob);
	qj_free(f->ctx, f->uni);
	qj_free(f->ctx, f);
}

void sig_font_show(sig_font *f, qj_buf *b, const char *s, size_t max)
{
	size_t n = strlen(s), i = 0, out = 0;
	qj_buf_putc(b, '<');
	while (i < n && out++ < max) {
		uint32_t cp;
		hb_codepoint_t g = 0;
		size_t k = qj_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		if (!hb_font_get_nominal_glyph(f->font, cp, &g))
			hb_font_get_nominal_glyph(f->font, '?', &g);
		qj_buf_printf(b, "%04X", (unsigned)g);
	}
	qj_buf_putc(b, '>');
}

/* A glyph space value (1000 per em) of font units v. */
static long em(const sig_font *f, long v)
{
	return v >= 0 ? (v * 1000 + f->upem / 2) / f->upem : -((-v * 1000 + f->upem / 2) / f->upem);
}

static int16_t s16(const char *p)
{
	return (int16_t)((unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

/* A stream object "N 0 obj" of data deflated; -1 when out of memory. */
static int put_stream(qj_buf *b, int num, const char *extra, const void *data, size_t len)
{
	uLongf cap = compressBound((uLong)len);
	unsigned char *z = data ? qj_malloc(b->ctx, cap) : NULL;
	if (!z || compress2(z, &cap, data, (uLong)len, 9) != Z_OK) {
		qj_free(b->ctx, z);
		return -1;
	}
	qj_buf_printf(b, "%d 0 obj\n<< %s/Length %lu /Filter /FlateDecode >>\nstream\n", num, extra,
		      (unsigned long)cap);
	qj_buf_append(b, (const char *)z, cap);
	qj_buf_puts(b, "\nendstream\nendobj\n");
	qj_free(b->ctx, z);
	return 0;
}

/* The font's descriptor: metrics from the subset's head, hhea and OS/2. */
static void put_descriptor(sig_font *f, qj_buf *b, int num, int file, int cidset)
{
	hb_face_t *face = hb_font_get_face(f->font);
	hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
	unsigned hl = 0;
	const char *h = hb_blob_get_data(head, &hl);
	hb_font_extents_t ext;
	hb_position_t cap = 0;
	long bbox[4] = {0, 0, 1000, 1000};
	memset(&ext, 0, sizeof ext);
	hb_font_get_h_extents(f->font, &ext);
	if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap))
		cap = ext.ascender * 7 / 10;
	if (h && hl >= 44) {
		bbox[0] = em(f, s16(h + 36));
		bbox[1] = em(f, s16(h + 38));
		bbox[2] = em(f, s16(h + 40));
		bbox[3] = em(f, s16(h + 42));
	}
	hb_blob_destroy(head);
	qj_buf_printf(b, "%d 0 obj\n<< /Type /FontDescriptor /FontName /QJSIGN+DejaVuSans /Flags 32 "
		      "/FontBBox [%ld %ld %ld %ld] /ItalicAngle 0 /Ascent %ld /Descent %ld "
		      "/CapHeight %ld /StemV 80 /FontFile2 %d 0 R /CIDSet %d 0 R >>\nendobj\n",
		      num, bbox[0], bbox[1], bbox[2], bbox[3], em(f, ext.ascender),
		      em(f, ext.descender), em(f, cap), file, cidset);
}

/* The ToUnicode CMap: each glyph to the character it shows. */
static int put_tounicode(sig_font *f, qj_buf *b, int num)
{
	qj_buf c;
	unsigned g;
	int rc;
	qj_buf_init(&c, f->ctx);
	qj_buf_puts(&c, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* one bfchar block per glyph: a box has a few dozen */
	for (g = 0; g < f->nglyphs; g++)
		if (f->uni[g] && f->uni[g] < 0x10000)
			qj_buf_printf(&c, "1 beginbfchar\n<%04X> <%04X>\nendbfchar\n", g,
				      (unsigned)f->uni[g]);
	qj_buf_puts(&c, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	rc = put_stream(b, num, "", c.data, c.len);
	qj_buf_free(&c);
	return rc;
}

int sig_font_put(sig_font *f, qj_buf *b, int num, size_t offs[SIG_FONT_OBJECTS])
{
	unsigned g, len = 0;
	const char *prog = hb_blob_get_data(f->blob, &len);
	unsigned char *set;
	char extra[48];
	int rc;
	size_t nset = f->nglyphs / 8 + 1;
	/* num: Type0, +1 CIDFont, +2 descriptor, +3 program, +4 CIDSet, +5 ToUnicode */
	offs[0] = b->len;
	qj_buf_printf(b, "%d 0 obj\n<< /Type /Font /Subtype /Type0 /BaseFont /QJSIGN+DejaVuSans "
		      "/Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>\nendobj\n",
		      num, num + 1, num + 5);
	offs[1] = b->len;
	qj_buf_printf(b, "%d 0 obj\n<< /Type /Font /Subtype /CIDFontType2 /BaseFont "
		      "/QJSIGN+DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
		      "/Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /W [0 [",
		      num + 1, num + 2);
	for (g = 0; g < f->nglyphs; g++)
		qj_buf_printf(b, "%s%ld", g ? " " : "",
			      em(f, hb_font_get_glyph_h_advance(f->font, g)));
	qj_buf_puts(b, "]] >>\nendobj\n");
	offs[2] = b->len;
	put_descriptor(f, b, num + 2, num + 3, num + 4);
	offs[3] = b->len;
	snprintf(extra, sizeof extra, "/Length1 %u ", len);
	if (put_stream(b, num + 3, extra, prog, len) < 0)
		return -1;
	/* every glyph of the subset is there */
	if (!(set = qj_calloc(f->ctx, nset, 1)))
		return -1;
	for (g = 0; g < f->nglyphs; g++)
		set[g / 8] |= (unsigned char)(0x80 >> (g % 8));
	offs[4] = b->len;
	rc = put_stream(b, num + 4, "", set, nset);
	qj_free(f->ctx, set);
	offs[5] = b->len;
	if (rc < 0 || put_tounicode(f, b, num + 5) < 0)
		return -1;
	return qj_ctx_oom(f->ctx) ? -1 : 0;
}
