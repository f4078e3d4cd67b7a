/* style: lengths (pt, mm, cm, in, %), colours, and the inherited text style
 * of flow elements (font, weight, slant, size, line height, alignment,
 * colour, language, widows and orphans). */
#include "layout-imp.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int lay_parse_length(const char *s, double percent_of, double *out)
{
	char *end;
	double v;
	if (!s)
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	while (*end == ' ')
		end++;
	if (!*end || !strcmp(end, "pt"))
		*out = v;
	else if (!strcmp(end, "mm"))
		*out = v * 72.0 / 25.4;
	else if (!strcmp(end, "cm"))
		*out = v * 72.0 / 2.54;
	else if (!strcmp(end, "in"))
		*out = v * 72.0;
	else if (!strcmp(end, "%"))
		*out = v * percent_of / 100.0;
	else
		return -1;
	return v < 0 && strcmp(end, "%") ? -1 : 0;
}

double lay_length(engine *e, const xmlNode *n, const char *attr, double def,
		  double percent_of)
{
	const char *s = qj_xml_attr(n, attr);
	double v;
	if (!s)
		return def;
	if (lay_parse_length(s, percent_of, &v) < 0) {
		qj_xml_error(e->ctx, n, "%s=\"%s\" is not a length (12pt, 20mm, 1cm, 50%%)",
			     attr, s);
		e->errors++;
		return def;
	}
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int lay_parse_color(const char *s, double rgb[3])
{
	static const struct { const char *name; const char *hex; } names[] = {
		{"black", "#000000"}, {"white", "#ffffff"}, {"gray", "#808080"},
		{"grey", "#808080"}, {"lightgray", "#e6e6e6"}, {"darkgray", "#404040"},
		{"navy", "#1f2f5f"}, {"red", "#c00000"}, {"blue", "#1f4e9a"}};
	size_t i;
	int k;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(s, names[i].name))
			s = names[i].hex;
	if (s[0] != '#' || strlen(s) != 7)
		return -1;
	for (k = 0; k < 3; k++) {
		int hi = hexval(s[1 + 2 * k]), lo = hexval(s[2 + 2 * k]);
		if (hi < 0 || lo < 0)
			return -1;
		rgb[k] = (hi * 16 + lo) / 255.0;
	}
	return 0;
}

static int parse_int(engine *e, const xmlNode *n, const char *attr, int def)
{
	const char *s = qj_xml_attr(n, attr);
	char *end;
	long v;
	if (!s)
		return def;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 100) {
		qj_xml_error(e->ctx, n, "%s=\"%s\" is not a small whole number", attr, s);
		e->errors++;
		return def;
	}
	return (int)v;
}

void lay_style_apply(engine *e, const xmlNode *n, const style *parent, style *out)
{
	const char *s;
	*out = *parent;
	if ((s = qj_xml_attr(n, "font")) && *s)
		out->family = s;
	if ((s = qj_xml_attr(n, "weight")))
		out->bold = !strcmp(s, "bold");
	if ((s = qj_xml_attr(n, "style")))
		out->italic = !strcmp(s, "italic");
	out->size = lay_length(e, n, "size", parent->size, parent->size);
	if (out->size <= 0 || out->size > 400) {
		qj_xml_error(e->ctx, n, "font size %.1fpt is out of range", out->size);
		e->errors++;
		out->size = parent->size;
	}
	if ((s = qj_xml_attr(n, "line-height"))) {
		char *end;
		double v = strtod(s, &end);
		if (end == s || *end || v < 0.5 || v > 5) {
			qj_xml_error(e->ctx, n, "line-height=\"%s\" is not a factor between 0.5 and 5", s);
			e->errors++;
		} else {
			out->leading = v;
		}
	}
	if ((s = qj_xml_attr(n, "align"))) {
		if (!strcmp(s, "left")) out->align = AL_LEFT;
		else if (!strcmp(s, "center")) out->align = AL_CENTER;
		else if (!strcmp(s, "right")) out->align = AL_RIGHT;
		else if (!strcmp(s, "justify")) out->align = AL_JUSTIFY;
		else {
			qj_xml_error(e->ctx, n, "align=\"%s\" is not left, center, right or justify", s);
			e->errors++;
		}
	}
	if ((s = qj_xml_attr(n, "color")) && lay_parse_color(s, out->color) < 0) {
		qj_xml_error(e->ctx, n, "color=\"%s\" is not #RRGGBB or a colour name", s);
		e->errors++;
	}
	if ((s = qj_xml_attr(n, "lang")))
		out->lang = s;
	out->widows = parse_int(e, n, "widows", parent->widows);
	out->orphans = parse_int(e, n, "orphans", parent->orphans);
}

/* A diagnostic about something n shows: at the data it came from when the
 * template recorded that (qj-loc="FILE:LINE" on n or an ancestor), else at
 * n's own place in the template. */
void lay_diag(engine *e, qj_severity sev, const xmlNode *n, const char *fmt, ...)
{
	const xmlNode *a;
	const char *loc = NULL;
	va_list ap;
	for (a = n; a && a->type == XML_ELEMENT_NODE && !loc; a = a->parent)
		loc = qj_xml_attr(a, "qj-loc");
	va_start(ap, fmt);
	if (loc && strrchr(loc, ':')) {
		char file[1024];
		const char *colon = strrchr(loc, ':');
		snprintf(file, sizeof file, "%.*s", (int)(colon - loc), loc);
		qj_vdiag(e->ctx, sev, file, atoi(colon + 1), 0, fmt, ap);
	} else {
		qj_vdiag(e->ctx, sev, qj_xml_file(n), qj_xml_line(n), 0, fmt, ap);
	}
	va_end(ap);
}

/* The font style id for st. An unknown family is reported once, where it
 * was named: the element that set font= (or the data it came from). */
int lay_font_style(engine *e, const style *st, const xmlNode *at)
{
	int id = qj_fonts_style(e->fonts, st->family, st->bold, st->italic);
	const xmlNode *n = at;
	if (id >= 0 || !at)
		return id;
	e->errors++;
	if (e->bad_font && !strcmp(e->bad_font, st->family))
		return -1; /* reported already */
	e->bad_font = st->family;
	while (n && n->type == XML_ELEMENT_NODE && !qj_xml_attr(n, "font"))
		n = n->parent;
	if (!n || n->type != XML_ELEMENT_NODE)
		n = at;
	lay_diag(e, QJ_ERROR, n, "font '%s' is not in fonts.xml", st->family);
	return -1;
}
