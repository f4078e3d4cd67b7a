/* font: families from fonts.xml, HarfBuzz metrics and coverage, fallback,
 * and HarfBuzz subsetting of the used characters. */
#include "font.h"

#include <hb-subset.h>
#include <hb.h>
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

/* Opens one face file through HarfBuzz. */
static qj_face *face_open(qj_fonts *f, const char *file, const xmlNode *at)
{
	char path[PATH_MAX];
	qj_face *face;
	hb_font_extents_t ext;

	snprintf(path, sizeof path, "%s/%s", f->dir, file);
	if (!path_exists(path)) {
		qj_xml_error(f->ctx, at, "font file '%s' not found", path);
		return NULL;
	}
	if (f->nfaces == MAX_FACES) {
		qj_xml_error(f->ctx, at, "more than %d font faces", MAX_FACES);
		return NULL;
	}
	face = qj_calloc(f->ctx, 1, sizeof *face);
	if (!face)
		return NULL;
	face->path = qj_strdup(f->ctx, path);
	face->blob = hb_blob_create_from_file(path);
	face->hface = hb_face_create(face->blob, 0);
	if (hb_face_get_glyph_count(face->hface) == 0) {
		qj_xml_error(f->ctx, at, "'%s' is not a usable TrueType font", path);
		hb_face_destroy(face->hface);
		hb_blob_destroy(face->blob);
		qj_free(f->ctx, face->path);
		qj_free(f->ctx, face);
		return NULL;
	}
	face->hfont = hb_font_create(face->hface);
	face->upem = hb_face_get_upem(face->hface);
	hb_font_set_scale(face->hfont, (int)face->upem, (int)face->upem);
	hb_font_get_h_extents(face->hfont, &ext);
	face->ascent = ext.ascender / face->upem;
	face->descent = -ext.descender / face->upem;
	face->used = hb_set_create();
	face->cover = hb_set_create();
	hb_face_collect_unicodes(face->hface, face->cover);
	face->id = f->nfaces;
	f->faces[f->nfaces++] = face;
	return face;
}

static void face_close(qj_face *face)
{
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

	if (f->nfams == MAX_STYLES)
		return -1;
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
	doc = qj_xml_load(ctx, path);
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

int qj_face_subset(qj_ctx *ctx, qj_face *face, const char *path)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *blob;
	const char *data;
	unsigned len = 0;
	FILE *fp;
	int rc = -1;

	if (!in) {
		qj_error(ctx, face->path, 0, "cannot start a font subset");
		return -1;
	}
	hb_set_union(hb_subset_input_unicode_set(in), face->used);
	hb_set_add(hb_subset_input_unicode_set(in), ' ');
	sub = hb_subset_or_fail(face->hface, in);
	hb_subset_input_destroy(in);
	if (!sub) {
		qj_error(ctx, face->path, 0, "HarfBuzz could not subset this font");
		return -1;
	}
	blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(blob, &len);
	fp = fopen(path, "wb");
	if (fp && len && fwrite(data, 1, len, fp) == len)
		rc = 0;
	if (fp && fclose(fp) != 0)
		rc = -1;
	if (rc < 0)
		qj_error(ctx, path, 0, "cannot write a font subset");
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	return rc;
}
