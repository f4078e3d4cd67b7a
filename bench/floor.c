/* floor: the least a certificate batch can cost. Reads one certificate's
 * display list (qujat certificates --dump of a one-person roster) and, for
 * every person of a roster, draws the same strings at the same positions
 * with libharu (the first person's name and serial replaced by each
 * person's), rules and rectangles included, into one PDF, with the fonts
 * embedded as libharu embeds them: no template, no layout, no subsetting
 * by HarfBuzz. bench_batch prints qujat's time as a ratio to this one.
 * Usage: floor DUMP ROSTER.xml OUT.pdf FONTDIR */
#include <hpdf.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct item {
	char kind;       /* t text, r rect, l line */
	double x, y, w, h;
	int face;
	char *text;
} item;

static item items[4096];
static int nitems;
static double page_w = 841.89, page_h = 595.28;
static char first_name[512], first_serial[256];

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)u;
	fprintf(stderr, "floor: libharu error 0x%04X (%u)\n", (unsigned)e, (unsigned)d);
	exit(1);
}

/* The display list: "page W H …", "  text REGION X Y W H fN \"…\"",
 * "  rect REGION X Y W H", "  line REGION X Y W H". */
static void read_dump(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[8192], region[16], text[4096];
	if (!fp) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof line, fp) && nitems < 4096) {
		item *it = &items[nitems];
		int face;
		if (!strncmp(line, "page ", 5)) {
			if (nitems > 0)
				break; /* the first page is the certificate */
			sscanf(line, "page %*d %lf %lf", &page_w, &page_h);
		} else if (sscanf(line, " text %15s %lf %lf %lf %lf f%d \"%4095[^\n]", region, &it->x,
				  &it->y, &it->w, &it->h, &face, text) == 7) {
			char *q = strrchr(text, '"');
			if (q)
				*q = 0;
			it->kind = 't';
			it->face = face;
			it->text = strdup(text);
			nitems++;
		} else if (sscanf(line, " rect %15s %lf %lf %lf %lf", region, &it->x, &it->y, &it->w,
				  &it->h) == 5) {
			it->kind = 'r';
			nitems++;
		} else if (sscanf(line, " line %15s %lf %lf %lf %lf", region, &it->x, &it->y, &it->w,
				  &it->h) == 5) {
			it->kind = 'l';
			nitems++;
		}
	}
	fclose(fp);
}

/* s with the first person's name and serial replaced by this person's. */
static const char *person_text(const char *s, const char *name, const char *serial, char *buf,
			       size_t n)
{
	const char *p;
	if (*first_name && (p = strstr(s, first_name))) {
		snprintf(buf, n, "%.*s%s%s", (int)(p - s), s, name, p + strlen(first_name));
		return buf;
	}
	if (*first_serial && (p = strstr(s, first_serial))) {
		snprintf(buf, n, "%.*s%s%s", (int)(p - s), s, serial, p + strlen(first_serial));
		return buf;
	}
	return s;
}

static void draw(HPDF_Doc pdf, HPDF_Font *fonts, const char *name, const char *serial)
{
	HPDF_Page page = HPDF_AddPage(pdf);
	char buf[4096];
	int i;
	HPDF_Page_SetWidth(page, (HPDF_REAL)page_w);
	HPDF_Page_SetHeight(page, (HPDF_REAL)page_h);
	for (i = 0; i < nitems; i++) {
		item *it = &items[i];
		if (it->kind == 't') {
			HPDF_Page_BeginText(page);
			HPDF_Page_SetFontAndSize(page, fonts[it->face & 3], (HPDF_REAL)it->h);
			HPDF_Page_TextOut(page, (HPDF_REAL)it->x, (HPDF_REAL)(page_h - it->y),
					  person_text(it->text, name, serial, buf, sizeof buf));
			HPDF_Page_EndText(page);
		} else if (it->kind == 'r') {
			HPDF_Page_Rectangle(page, (HPDF_REAL)it->x, (HPDF_REAL)(page_h - it->y - it->h),
					    (HPDF_REAL)it->w, (HPDF_REAL)it->h);
			HPDF_Page_Stroke(page);
		} else {
			HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)(page_h - it->y));
			HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(page_h - it->y - it->h));
			HPDF_Page_Stroke(page);
		}
	}
}

int main(int argc, char **argv)
{
	static const char *const files[] = {"PTSerif-Regular.ttf", "PTSerif-Bold.ttf",
					    "PTSerif-Italic.ttf", "PTSerif-BoldItalic.ttf"};
	HPDF_Font fonts[4];
	HPDF_Doc pdf;
	xmlTextReaderPtr r;
	char path[4096];
	int i, n = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: floor DUMP ROSTER.xml OUT.pdf FONTDIR\n");
		return 1;
	}
	read_dump(argv[1]);
	pdf = HPDF_New(on_error, NULL);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	/* more than 32,767 pages need a two-level page tree */
	HPDF_SetPagesConfiguration(pdf, 1024);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	for (i = 0; i < 4; i++) {
		const char *fn;
		snprintf(path, sizeof path, "%s/%s", argv[4], files[i]);
		fn = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
		fonts[i] = HPDF_GetFont(pdf, fn, "UTF-8");
	}
	r = xmlReaderForFile(argv[2], "UTF-8", XML_PARSE_NONET);
	if (!r) {
		perror(argv[2]);
		return 1;
	}
	while (xmlTextReaderRead(r) == 1) {
		xmlChar *name, *serial;
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
		    strcmp((const char *)xmlTextReaderConstLocalName(r), "person"))
			continue;
		name = xmlTextReaderGetAttribute(r, (const xmlChar *)"name");
		serial = xmlTextReaderGetAttribute(r, (const xmlChar *)"serial");
		if (n++ == 0) {
			snprintf(first_name, sizeof first_name, "%s", name ? (char *)name : "");
			snprintf(first_serial, sizeof first_serial, "%s", serial ? (char *)serial : "");
		}
		draw(pdf, fonts, name ? (char *)name : "", serial ? (char *)serial : "");
		xmlFree(name);
		xmlFree(serial);
	}
	xmlFreeTextReader(r);
	if (HPDF_SaveToFile(pdf, argv[3]) != HPDF_OK)
		return 1;
	HPDF_Free(pdf);
	for (i = 0; i < nitems; i++)
		free(items[i].text);
	printf("%d\n", n);
	return 0;
}
