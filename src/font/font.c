/* font: families from fonts.xml, HarfBuzz metrics and coverage, fallback,
 * and HarfBuzz subsetting of the used characters. */
#include "font.h"

#include <errno.h>
#include <hb-subset.h>
#include <hb.h>
#include <hb-ot.h>
#include <zlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "xml/xml.h"

#define MAX_FACES 64
#define MAX_STYLES 64

struct qj_face {
	int id;
	char *path;
	hb_blob_t *blob;
	hb_face_t *hface;
	hb_font_t *hfont;
	double upem;
	double ascent, descent;
	hb_set_t *used;
	hb_set_t *cover;
	hb_set_t *sub_for;  /* the used characters sub was made of */
	qj_face_subset sub;
	z_stream z;         /* sub's deflater, kept: setting one up costs more than its work */
	int z_ready;
};

typedef struct family {
	char *name;
	char *aliases;
	char *fallback;
	int faces[4]; /* index bold*2+italic → face id, -1 when absent */
} family;

struct qj_fonts {
	qj_ctx *ctx;
	char *dir;
	qj_face *faces[MAX_FACES];
	int nfaces;
	family fams[MAX_STYLES];
	int nfams;
};

static int path_exists(const char *p) { return access(p, R_OK) == 0; }

char *qj_fonts_locate(qj_ctx *ctx, const char *dir)
{
	const char *env = getenv("QUJAT_FONTS");

	if (dir && *dir)
		return qj_strdup(ctx, dir);
	if (env && *env)
		return qj_strdup(ctx, env);
	return qj_data_path(ctx, "fonts");
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Checks the sfnt table directory: every table inside the file (a
 * truncated file fails here), and the tables qujat and libharu need.
 * Returns NULL or the reason. */
static const char *sfnt_check(const unsigned char *d, size_t len, char *why, size_t n)
{
	static const char *const need[] = {"cmap", "head", "hhea", "hmtx", "maxp", "loca", "glyf"};
	unsigned have = 0, k, i, count;
	size_t base = 0;
	int cff = 0;
	if (len >= 16 && !memcmp(d, "ttcf", 4))
		base = be32(d + 12); /* the first face of a collection */
	if (len < 12 || base > len - 12)
		return "too short for a font file";
	if (be32(d + base) != 0x00010000 && memcmp(d + base, "true", 4) &&
	    memcmp(d + base, "OTTO", 4))
		return "not a TrueType or OpenType file";
	count = (unsigned)d[base + 4] << 8 | d[base + 5];
	if (count == 0 || (len - base - 12) / 16 < count)
		return "the table directory is cut off (truncated file?)";
	for (i = 0; i < count; i++) {
		const unsigned char *r = d + base + 12 + 16 * (size_t)i;
		unsigned long off = be32(r + 8), tl = be32(r + 12);
		if (off > len || tl > len - off) {
			snprintf(why, n, "table '%.4s' runs past the end of the file (truncated?)",
				 (const char *)r);
			return why;
		}
		for (k = 0; k < sizeof need / sizeof *need; k++)
			if (!memcmp(r, need[k], 4) && tl > 0)
				have |= 1u << k;
		cff |= !memcmp(r, "CFF ", 4);
	}
	for (k = 0; k < sizeof need / sizeof *need; k++)
		if (!(have & 1u << k)) {
			snprintf(why, n, "no '%s' table%s", need[k],
				 cff && k >= 5 ? ": CFF outlines cannot be embedded, only TrueType ones" : "");
			return why;
		}
	return NULL;
}

/* A subset of a few of the face's characters, as the PDF stage will make:
 * a face HarfBuzz cannot subset is refused now, at its fonts.xml line. */
static int subset_works(hb_face_t *hf, hb_set_t *cover)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	hb_face_t *sub;
	unsigned len = 0;
	int k;
	if (!in)
		return 0;
	for (k = 0; k < 8 && hb_set_next(cover, &cp); k++)
		hb_set_add(hb_subset_input_unicode_set(in), cp);
	sub = hb_subset_or_fail(hf, in);
	hb_subset_input_destroy(in);
	if (sub) {
		hb_blob_t *b = hb_face_reference_blob(sub);
		hb_blob_get_data(b, &len);
		hb_blob_destroy(b);
		hb_face_destroy(sub);
	}
	return len > 0;
}

/* The face's file name must stay inside the fonts directory: relative, no
 * '..' component. Checked on the name alone, so the answer never tells
 * whether some path outside exists. (Symbolic links inside the directory
 * are followed, as a packager may point them at system fonts; what they
 * lead to must still be a regular file within the size limit.) */
static int name_inside(const char *file)
{
	const char *p = file;
	if (!*file || *file == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2))
			return 0;
		p += n;
		while (*p == '/')
			p++;
	}
	return 1;
}

/* Reads, checks and opens one face file through HarfBuzz (from memory). */
static qj_face *face_open(qj_fonts *f, const char *file, const xmlNode *at)
{
	char path[PATH_MAX], why[160];
	const char *bad = NULL;
	qj_face *face;
	hb_font_extents_t ext;
	hb_blob_t *blob;
	hb_face_t *hf;
	size_t len = 0;
	char *data;

	if (f->nfaces == MAX_FACES) {
		qj_xml_error(f->ctx, at, "more than %d font faces", MAX_FACES);
		return NULL;
	}
	if (!name_inside(file)) {
		qj_xml_error(f->ctx, at, "face '%s' is not a path inside the fonts directory "
			     "(relative, without '..')", file);
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", f->dir, file);
	data = qj_file_load_at(f->ctx, path, QJ_FILE_FONT, qj_xml_file(at), qj_xml_line(at), &len);
	if (!data)
		return NULL;
	bad = sfnt_check((const unsigned char *)data, len, why, sizeof why);
	blob = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY, data, free);
	hf = hb_face_create(blob, 0);
	if (!bad && hb_face_get_glyph_count(hf) == 0)
		bad = "HarfBuzz finds no glyphs";
	face = bad ? NULL : qj_calloc(f->ctx, 1, sizeof *face);
	if (face) {
		face->cover = hb_set_create();
		hb_face_collect_unicodes(hf, face->cover);
		if (hb_set_is_empty(face->cover))
			bad = "its character map is empty";
		else if (!subset_works(hf, face->cover))
			bad = "HarfBuzz cannot subset it";
	}
	if (bad || !face) {
		if (bad)
			qj_xml_error(f->ctx, at, "face '%s' is not a usable font (%s)", file, bad);
		if (face)
			hb_set_destroy(face->cover);
		qj_free(f->ctx, face);
		hb_face_destroy(hf);
		hb_blob_destroy(blob);
		return NULL;
	}
	face->path = qj_strdup(f->ctx, path);
	face->blob = blob;
	face->hface = hf;
	face->hfont = hb_font_create(face->hface);
	face->upem = hb_face_get_upem(face->hface);
	hb_font_set_scale(face->hfont, (int)face->upem, (int)face->upem);
	hb_font_get_h_extents(face->hfont, &ext);
	face->ascent = ext.ascender / face->upem;
	face->descent = -ext.descender / face->upem;
	face->used = hb_set_create();
	face->id = f->nfaces;
	f->faces[f->nfaces++] = face;
	return face;
}

static void face_close(qj_face *face)
{
	free(face->sub.ttf);
	free(face->sub.gid);
	free(face->sub.zttf);
	if (face->z_ready)
		deflateEnd(&face->z);
	hb_set_destroy(face->sub_for);
	hb_set_destroy(face->used);
	hb_set_destroy(face->cover);
	hb_font_destroy(face->hfont);
	hb_face_destroy(face->hface);
	hb_blob_destroy(face->blob);
	free(face->path);
	free(face);
}

static int read_family(qj_fonts *f, xmlNodePtr n)
{
	family *fam = &f->fams[f->nfams];
	xmlNodePtr c;
	int k;

	if (f->nfams == MAX_STYLES) {
		qj_xml_error(f->ctx, n, "more than %d font families", MAX_STYLES);
		return -1;
	}
	memset(fam, 0, sizeof *fam);
	for (k = 0; k < 4; k++)
		fam->faces[k] = -1;
	fam->name = qj_strdup(f->ctx, qj_xml_attr(n, "name"));
	fam->aliases = qj_strdup(f->ctx, qj_xml_attr(n, "aliases"));
	fam->fallback = qj_strdup(f->ctx, qj_xml_attr(n, "fallback"));
	if (!fam->name) {
		qj_xml_error(f->ctx, n, "font family without a name");
		goto fail;
	}
	for (c = qj_xml_child(n, "face"); c; c = qj_xml_next(c, "face")) {
		const char *w = qj_xml_attr(c, "weight"), *s = qj_xml_attr(c, "style");
		const char *file = qj_xml_attr(c, "file");
		int idx = (w && !strcmp(w, "bold")) * 2 + (s && !strcmp(s, "italic"));
		qj_face *face;
		if (!file) {
			qj_xml_error(f->ctx, c, "face without a file");
			goto fail;
		}
		face = face_open(f, file, c);
		if (!face)
			goto fail;
		fam->faces[idx] = face->id;
	}
	if (fam->faces[0] < 0 && fam->faces[1] < 0 && fam->faces[2] < 0 && fam->faces[3] < 0) {
		qj_xml_error(f->ctx, n, "font family '%s' has no <face>", fam->name);
		goto fail;
	}
	f->nfams++;
	return 0;
fail:
	/* not counted in nfams, so qj_fonts_free would not see these */
	free(fam->name);
	free(fam->aliases);
	free(fam->fallback);
	memset(fam, 0, sizeof *fam);
	return -1;
}

qj_fonts *qj_fonts_load(qj_ctx *ctx, const char *dir)
{
	char path[PATH_MAX];
	qj_fonts *f;
	xmlDocPtr doc;
	xmlNodePtr n;
	int bad = 0;

	snprintf(path, sizeof path, "%s/fonts.xml", dir);
	if (!path_exists(path)) {
		qj_error(ctx, dir, 0, "no fonts.xml in the fonts directory (use --fonts DIR or QUJAT_FONTS)");
		return NULL;
	}
	doc = qj_xml_load_as(ctx, path, QJ_FILE_TEMPLATE);
	if (!doc)
		return NULL;
	f = qj_calloc(ctx, 1, sizeof *f);
	if (!f) {
		xmlFreeDoc(doc);
		return NULL;
	}
	f->ctx = ctx;
	f->dir = qj_strdup(ctx, dir);
	for (n = qj_xml_child(xmlDocGetRootElement(doc), "family"); n;
	     n = qj_xml_next(n, "family"))
		if (read_family(f, n) < 0)
			bad = 1;
	xmlFreeDoc(doc);
	if (bad || !f->nfams) {
		if (!bad)
			qj_error(ctx, path, 0, "no font family defined");
		qj_fonts_free(f);
		return NULL;
	}
	return f;
}

void qj_fonts_free(qj_fonts *f)
{
	int i;
	if (!f)
		return;
	for (i = 0; i < f->nfaces; i++)
		face_close(f->faces[i]);
	for (i = 0; i < f->nfams; i++) {
		free(f->fams[i].name);
		free(f->fams[i].aliases);
		free(f->fams[i].fallback);
	}
	free(f->dir);
	free(f);
}

/* Whether name is the family's name or one of its comma-separated aliases. */
static int family_is(const family *fam, const char *name)
{
	const char *a = fam->aliases;
	size_t n = strlen(name);
	if (!strcasecmp(fam->name, name))
		return 1;
	while (a && *a) {
		const char *e = strchr(a, ',');
		size_t len = e ? (size_t)(e - a) : strlen(a);
		while (len && *a == ' ')
			a++, len--;
		if (len == n && !strncasecmp(a, name, n))
			return 1;
		a = e ? e + 1 : NULL;
	}
	return 0;
}

static int family_index(qj_fonts *f, const char *name)
{
	int i;
	for (i = 0; name && i < f->nfams; i++)
		if (family_is(&f->fams[i], name))
			return i;
	return -1;
}

int qj_fonts_style(qj_fonts *f, const char *name, int bold, int italic)
{
	int i = family_index(f, name);
	if (i < 0)
		return -1;
	return i * 4 + (bold ? 2 : 0) + (italic ? 1 : 0);
}

/* The face for a family and variant, falling back to the nearest variant. */
static qj_face *family_face(qj_fonts *f, int fam, int var)
{
	static const int order[4][4] = {
		{0, 1, 2, 3}, {1, 0, 3, 2}, {2, 3, 0, 1}, {3, 2, 1, 0}};
	int k;
	for (k = 0; k < 4; k++) {
		int id = f->fams[fam].faces[order[var][k]];
		if (id >= 0)
			return f->faces[id];
	}
	return NULL;
}

qj_face *qj_fonts_primary(qj_fonts *f, int style)
{
	return family_face(f, style / 4, style % 4);
}

qj_face *qj_fonts_face_for(qj_fonts *f, int style, uint32_t cp)
{
	int fam = style / 4, var = style % 4, hops;
	for (hops = 0; fam >= 0 && hops < 8; hops++) {
		qj_face *face = family_face(f, fam, var);
		if (face && hb_set_has(face->cover, cp))
			return face;
		fam = family_index(f, f->fams[fam].fallback);
	}
	return NULL;
}

double qj_face_advance(qj_face *face, uint32_t cp, double size)
{
	hb_codepoint_t gid = 0;
	if (!hb_font_get_nominal_glyph(face->hfont, cp, &gid))
		gid = 0;
	return hb_font_get_glyph_h_advance(face->hfont, gid) / face->upem * size;
}

double qj_face_ascent(qj_face *face, double size) { return face->ascent * size; }
double qj_face_descent(qj_face *face, double size) { return face->descent * size; }
void qj_fonts_reset_used(qj_fonts *f)
{
	int i;
	for (i = 0; i < f->nfaces; i++)
		hb_set_clear(f->faces[i]->used);
}

void qj_face_use(qj_face *face, uint32_t cp) { hb_set_add(face->used, cp); }
int qj_face_id(const qj_face *face) { return face->id; }
const char *qj_face_path(const qj_face *face) { return face->path; }
int qj_fonts_face_count(const qj_fonts *f) { return f->nfaces; }
qj_face *qj_fonts_face_at(qj_fonts *f, int id) { return f->faces[id]; }
int qj_face_used_count(const qj_face *face) { return (int)hb_set_get_population(face->used); }

int qj_face_next_used(const qj_face *face, uint32_t *cp)
{
	hb_codepoint_t c = *cp == (uint32_t)-1 ? HB_SET_VALUE_INVALID : *cp;
	if (!hb_set_next(face->used, &c))
		return 0;
	*cp = c;
	return 1;
}

int qj_face_width(qj_face *face, uint32_t cp)
{
	double a = qj_face_advance(face, cp, 1000);
	return (int)(a < 0 ? a - 0.5 : a + 0.5);
}

static int in_thousandths(const qj_face *face, double v)
{
	v = v * 1000 / face->upem;
	return (int)(v < 0 ? v - 0.5 : v + 0.5);
}

static int be16s(const unsigned char *p) { return (int16_t)(uint16_t)(p[0] << 8 | p[1]); }

void qj_face_get_metrics(qj_face *face, qj_face_metrics *m)
{
	hb_blob_t *head = hb_face_reference_table(face->hface, HB_TAG('h', 'e', 'a', 'd'));
	hb_blob_t *post = hb_face_reference_table(face->hface, HB_TAG('p', 'o', 's', 't'));
	const unsigned char *d;
	unsigned len = 0, n = sizeof m->name - 1, i, k = 0;
	hb_position_t cap = 0;
	char name[64];
	float slant;

	memset(m, 0, sizeof *m);
	m->ascent = (int)(face->ascent * 1000 + 0.5);
	m->descent = -(int)(face->descent * 1000 + 0.5);
	d = (const unsigned char *)hb_blob_get_data(head, &len);
	if (len >= 44) {
		for (i = 0; i < 4; i++)
			m->bbox[i] = in_thousandths(face, be16s(d + 36 + 2 * i));
	} else {
		m->bbox[1] = m->descent;
		m->bbox[2] = 1000;
		m->bbox[3] = m->ascent;
	}
	d = (const unsigned char *)hb_blob_get_data(post, &len);
	m->fixed = len >= 16 && (d[12] | d[13] | d[14] | d[15]) != 0;
	hb_blob_destroy(head);
	hb_blob_destroy(post);
	m->cap_height = hb_ot_metrics_get_position(face->hfont, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0
				? in_thousandths(face, cap) : m->ascent;
	slant = hb_style_get_value(face->hfont, HB_STYLE_TAG_SLANT_ANGLE);
	m->italic_angle = (int)(slant < 0 ? slant - 0.5f : slant + 0.5f);
	m->italic = hb_style_get_value(face->hfont, HB_STYLE_TAG_ITALIC) > 0.5f;
	/* the PostScript name, else the file's; a PDF name has no delimiters */
	if (!hb_ot_name_get_utf8(face->hface, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n,
				 name) || !name[0]) {
		const char *b = strrchr(face->path, '/');
		snprintf(name, sizeof name, "%s", b ? b + 1 : face->path);
		if (strrchr(name, '.'))
			*strrchr(name, '.') = 0;
	}
	for (i = 0; name[i] && k + 1 < sizeof m->name; i++)
		if ((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_')
			m->name[k++] = name[i];
	if (!k)
		snprintf(m->name, sizeof m->name, "Face%d", face->id);
}

void qj_face_subset_free(qj_ctx *ctx, qj_face_subset *s)
{
	qj_free(ctx, s->ttf);
	qj_free(ctx, s->gid);
	qj_free(ctx, s->zttf);
	memset(s, 0, sizeof *s);
}

int qj_face_subset_make(qj_ctx *ctx, qj_face *face, qj_face_subset *s)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	const hb_map_t *cmap, *o2n;
	const char *data;
	unsigned len = 0;
	uint32_t cp = (uint32_t)-1, last = ' ';

	memset(s, 0, sizeof *s);
	if (!in) {
		qj_error(ctx, face->path, 0, "cannot start a font subset");
		return -1;
	}
	hb_set_union(hb_subset_input_unicode_set(in), face->used);
	hb_set_add(hb_subset_input_unicode_set(in), ' ');
	/* For print, hinting is useless and a third of the bytes. A CIDFont's
	 * program is read through its CIDToGIDMap, by glyph: the PDF reads
	 * glyf, loca, head, hhea, hmtx and maxp (ISO 32000-1, 9.9), so the
	 * character map, names, PostScript and OS/2 tables (a tenth of a
	 * certificate) and the layout tables go; the layout shaped with the
	 * full face. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
	{
		static const char *const drop[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern",
						   "DSIG", "hdmx", "LTSH", "VDMX", "gasp", "vhea", "vmtx",
						   "STAT", "meta", "morx", "feat", "cmap", "name", "post",
						   "OS/2"};
		hb_set_t *tags = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
		size_t i;
		for (i = 0; i < sizeof drop / sizeof *drop; i++)
			hb_set_add(tags, hb_tag_from_string(drop[i], -1));
	}
	plan = hb_subset_plan_create_or_fail(face->hface, in);
	hb_subset_input_destroy(in);
	if (plan)
		sub = hb_subset_plan_execute_or_fail(plan);
	if (sub) {
		blob = hb_face_reference_blob(sub);
		data = hb_blob_get_data(blob, &len);
	}
	if (!sub || !len) {
		qj_error(ctx, face->path, 0, "HarfBuzz could not subset this font");
		goto fail;
	}
	while (qj_face_next_used(face, &cp) && cp <= 0xFFFF)
		last = cp;
	s->ncodes = last + 1;
	s->len = len;
	if (!(s->ttf = qj_malloc(ctx, len)) || !(s->gid = qj_calloc(ctx, s->ncodes, sizeof *s->gid)))
		goto fail;
	memcpy(s->ttf, data, len);
	cmap = hb_subset_plan_unicode_to_old_glyph_mapping(plan);
	o2n = hb_subset_plan_old_to_new_glyph_mapping(plan);
	for (cp = (uint32_t)-1; qj_face_next_used(face, &cp) && cp < s->ncodes;) {
		hb_codepoint_t old = hb_map_get(cmap, cp), gid;
		if (old == HB_MAP_VALUE_INVALID)
			continue;
		gid = hb_map_get(o2n, old);
		if (gid != HB_MAP_VALUE_INVALID && gid <= 0xFFFF)
			s->gid[cp] = (uint16_t)gid;
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	return 0;
fail:
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	qj_face_subset_free(ctx, s);
	return -1;
}

const qj_face_subset *qj_face_subset_get(qj_ctx *ctx, qj_face *face)
{
	qj_face_subset *s = &face->sub;
	uLongf cap;
	if (s->ttf && face->sub_for && hb_set_is_equal(face->sub_for, face->used))
		return s;
	qj_face_subset_free(ctx, s);
	if (!face->sub_for && !(face->sub_for = hb_set_create()))
		return NULL;
	hb_set_clear(face->sub_for);
	if (qj_face_subset_make(ctx, face, s) < 0)
		return NULL;
	if (face->z_ready && deflateReset(&face->z) != Z_OK) {
		deflateEnd(&face->z);
		face->z_ready = 0;
	}
	/* level 6: level 1 would save a per-person batch 8% of its time and
	 * cost a certificate 220 bytes, a tenth of what it has below 20 KB */
	if (!face->z_ready)
		face->z_ready = deflateInit(&face->z, 6) == Z_OK;
	cap = face->z_ready ? deflateBound(&face->z, (uLong)s->len) : 0;
	if (cap) {
		face->z.next_in = s->ttf;
		face->z.avail_in = (uInt)s->len;
	}
	if (!cap || !(s->zttf = qj_malloc(ctx, cap)) ||
	    (face->z.next_out = s->zttf, face->z.avail_out = (uInt)cap,
	     deflate(&face->z, Z_FINISH) != Z_STREAM_END)) {
		qj_face_subset_free(ctx, s);
		if (!qj_ctx_oom(ctx))
			qj_error(ctx, face->path, 0, "cannot deflate a font subset");
		return NULL;
	}
	s->zlen = face->z.total_out;
	hb_set_set(face->sub_for, face->used);
	return s;
}
