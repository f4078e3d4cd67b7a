/* vocab: the one table of the flow vocabulary and its value parsers. A row
 * is {element, attribute, meaning, type, allowed values, range}; the
 * template loader, the expansion and the box builder all read it, so what a
 * template may write is said here once. */
#include "box/vocab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Elements; style: takes the inherited text style ("%text" rows). */
static const struct {
	const char *name;
	int style;
} elements[] = {
	{"document", 1}, {"page-master", 0}, {"header", 0}, {"footer", 0},
	{"page-sequence", 1}, {"block", 1}, {"span", 1}, {"br", 0},
	{"page-number", 0}, {"page-count", 0}, {"list", 1}, {"item", 1},
	{"table", 1}, {"body", 0}, {"row", 1}, {"cell", 1}, {"image", 0},
	{"rule", 0}, {"space", 0}, {"page-break", 0}, {"qr", 0}, {"box", 0}};

#define KEEP "auto|always"
static const qj_vattr attrs[] = {
	/* the inherited text style */
	{"%text", "font", QJ_A_FONT, QJ_V_TEXT, NULL, 0, 0},
	{"%text", "weight", QJ_A_WEIGHT, QJ_V_ENUM, "normal|bold", 0, 0},
	{"%text", "style", QJ_A_STYLE, QJ_V_ENUM, "normal|italic", 0, 0},
	{"%text", "size", QJ_A_SIZE, QJ_V_LENGTH, NULL, 0, 0},
	{"%text", "line-height", QJ_A_LINE_HEIGHT, QJ_V_FACTOR, NULL, 5, 50},
	{"%text", "align", QJ_A_ALIGN, QJ_V_ENUM, "left|center|right|justify", 0, 0},
	{"%text", "color", QJ_A_COLOR, QJ_V_COLOR, NULL, 0, 0},
	{"%text", "lang", QJ_A_LANG, QJ_V_TEXT, NULL, 0, 0},
	{"%text", "widows", QJ_A_WIDOWS, QJ_V_INT, NULL, 0, 100},
	{"%text", "orphans", QJ_A_ORPHANS, QJ_V_INT, NULL, 0, 100},
	{"%text", "hyphenate", QJ_A_HYPHENATE, QJ_V_ENUM, "auto|yes|no", 0, 0},
	{"%text", "typography", QJ_A_TYPOGRAPHY, QJ_V_ENUM, "yes|no", 0, 0},
	/* document (the template's root; schema is the template's own) */
	{"document", "title", QJ_A_TITLE, QJ_V_TEXT, NULL, 0, 0},
	{"document", "author", QJ_A_AUTHOR, QJ_V_TEXT, NULL, 0, 0},
	{"document", "subject", QJ_A_SUBJECT, QJ_V_TEXT, NULL, 0, 0},
	{"document", "schema", QJ_A_SCHEMA, QJ_V_TEXT, NULL, 0, 0},
	/* pages */
	{"page-master", "name", QJ_A_NAME, QJ_V_TEXT, NULL, 0, 0},
	{"page-master", "size", QJ_A_PAGE_SIZE, QJ_V_PAGE_SIZE, NULL, 0, 0},
	{"page-master", "orientation", QJ_A_ORIENTATION, QJ_V_ENUM, "portrait|landscape", 0, 0},
	{"page-master", "margin", QJ_A_MARGIN, QJ_V_LENGTHS, NULL, 0, 0},
	{"page-master", "margin-top", QJ_A_MARGIN_TOP, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "margin-right", QJ_A_MARGIN_RIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "margin-bottom", QJ_A_MARGIN_BOTTOM, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "margin-left", QJ_A_MARGIN_LEFT, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "header-height", QJ_A_HEADER_HEIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "footer-height", QJ_A_FOOTER_HEIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "border", QJ_A_BORDER, QJ_V_LENGTH, NULL, 0, 0},
	{"page-master", "border-color", QJ_A_BORDER_COLOR, QJ_V_COLOR, NULL, 0, 0},
	{"page-sequence", "master", QJ_A_MASTER, QJ_V_TEXT, NULL, 0, 0},
	/* blocks */
	{"block", "space-before", QJ_A_SPACE_BEFORE, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "space-after", QJ_A_SPACE_AFTER, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "indent", QJ_A_INDENT, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "indent-right", QJ_A_INDENT_RIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "padding", QJ_A_PADDING, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "border", QJ_A_BORDER, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "border-top", QJ_A_BORDER_TOP, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "border-bottom", QJ_A_BORDER_BOTTOM, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "border-left", QJ_A_BORDER_LEFT, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "border-right", QJ_A_BORDER_RIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"block", "border-color", QJ_A_BORDER_COLOR, QJ_V_COLOR, NULL, 0, 0},
	{"block", "shading", QJ_A_SHADING, QJ_V_COLOR, NULL, 0, 0},
	{"block", "keep-together", QJ_A_KEEP_TOGETHER, QJ_V_ENUM, KEEP, 0, 0},
	{"block", "keep-with-next", QJ_A_KEEP_WITH_NEXT, QJ_V_ENUM, KEEP, 0, 0},
	{"block", "break-before", QJ_A_BREAK_BEFORE, QJ_V_ENUM, "auto|page", 0, 0},
	{"block", "bookmark", QJ_A_BOOKMARK, QJ_V_TEXT, NULL, 0, 0},
	{"block", "bookmark-level", QJ_A_BOOKMARK_LEVEL, QJ_V_INT, NULL, 1, 100},
	/* lists */
	{"list", "style", QJ_A_LIST_STYLE, QJ_V_ENUM, "decimal|bullet|dash|none", 0, 0},
	{"list", "start", QJ_A_START, QJ_V_INT, NULL, -1000000, 1000000},
	{"list", "label-width", QJ_A_LABEL_WIDTH, QJ_V_LENGTH, NULL, 0, 0},
	{"list", "item-space", QJ_A_ITEM_SPACE, QJ_V_LENGTH, NULL, 0, 0},
	{"list", "space-before", QJ_A_SPACE_BEFORE, QJ_V_LENGTH, NULL, 0, 0},
	{"list", "space-after", QJ_A_SPACE_AFTER, QJ_V_LENGTH, NULL, 0, 0},
	{"item", "label", QJ_A_LABEL, QJ_V_TEXT, NULL, 0, 0},
	/* tables */
	{"table", "widths", QJ_A_WIDTHS, QJ_V_WIDTHS, NULL, 0, 0},
	{"table", "border", QJ_A_BORDER, QJ_V_LENGTH, NULL, 0, 0},
	{"table", "border-color", QJ_A_BORDER_COLOR, QJ_V_COLOR, NULL, 0, 0},
	{"table", "padding", QJ_A_PADDING, QJ_V_LENGTH, NULL, 0, 0},
	{"table", "space-before", QJ_A_SPACE_BEFORE, QJ_V_LENGTH, NULL, 0, 0},
	{"table", "space-after", QJ_A_SPACE_AFTER, QJ_V_LENGTH, NULL, 0, 0},
	{"row", "shading", QJ_A_SHADING, QJ_V_COLOR, NULL, 0, 0},
	{"row", "keep-together", QJ_A_KEEP_TOGETHER, QJ_V_ENUM, KEEP, 0, 0},
	{"row", "keep-with-next", QJ_A_KEEP_WITH_NEXT, QJ_V_ENUM, KEEP, 0, 0},
	{"cell", "span", QJ_A_SPAN, QJ_V_INT, NULL, 1, QJ_MAX_COLS},
	{"cell", "shading", QJ_A_SHADING, QJ_V_COLOR, NULL, 0, 0},
	/* images, rules, space */
	{"image", "src", QJ_A_SRC, QJ_V_TEXT, NULL, 0, 0},
	{"image", "width", QJ_A_WIDTH, QJ_V_LENGTH, NULL, 0, 0},
	{"image", "height", QJ_A_HEIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"image", "align", QJ_A_BOX_ALIGN, QJ_V_ENUM, "left|center|right", 0, 0},
	{"rule", "thickness", QJ_A_THICKNESS, QJ_V_LENGTH, NULL, 0, 0},
	{"rule", "width", QJ_A_WIDTH, QJ_V_LENGTH, NULL, 0, 0},
	{"rule", "align", QJ_A_BOX_ALIGN, QJ_V_ENUM, "left|center|right", 0, 0},
	{"rule", "color", QJ_A_COLOR, QJ_V_COLOR, NULL, 0, 0},
	{"rule", "space-before", QJ_A_SPACE_BEFORE, QJ_V_LENGTH, NULL, 0, 0},
	{"rule", "space-after", QJ_A_SPACE_AFTER, QJ_V_LENGTH, NULL, 0, 0},
	{"space", "height", QJ_A_HEIGHT, QJ_V_LENGTH, NULL, 0, 0},
	/* verification codes (src/code) */
	{"qr", "data", QJ_A_DATA, QJ_V_TEXT, NULL, 0, 0},
	{"qr", "size", QJ_A_QR_SIZE, QJ_V_LENGTH, NULL, 0, 0},
	{"qr", "align", QJ_A_BOX_ALIGN, QJ_V_ENUM, "left|center|right", 0, 0},
	/* an empty framed box: a tick box to fill in by hand */
	{"box", "width", QJ_A_WIDTH, QJ_V_LENGTH, NULL, 0, 0},
	{"box", "height", QJ_A_HEIGHT, QJ_V_LENGTH, NULL, 0, 0},
	{"box", "border", QJ_A_BORDER, QJ_V_LENGTH, NULL, 0, 0},
	{"box", "border-color", QJ_A_BORDER_COLOR, QJ_V_COLOR, NULL, 0, 0},
	{"box", "align", QJ_A_BOX_ALIGN, QJ_V_ENUM, "left|center|right", 0, 0},
};

static const struct {
	const char *name, *hex;
} colours[] = {
	{"black", "#000000"}, {"white", "#ffffff"}, {"gray", "#808080"},
	{"grey", "#808080"}, {"lightgray", "#e6e6e6"}, {"darkgray", "#404040"},
	{"navy", "#1f2f5f"}, {"red", "#c00000"}, {"blue", "#1f4e9a"}};

int qj_vocab_is_element(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof elements / sizeof *elements; i++)
		if (!strcmp(name, elements[i].name))
			return 1;
	return 0;
}

int qj_vocab_has_text_style(const char *element)
{
	size_t i;
	for (i = 0; i < sizeof elements / sizeof *elements; i++)
		if (!strcmp(element, elements[i].name))
			return elements[i].style;
	return 0;
}

const qj_vattr *qj_vocab_attr(const char *element, const char *name)
{
	const qj_vattr *text = NULL;
	size_t i;
	/* one pass, the names' first bytes compared before their strings (the
	 * box builder asks for every attribute of every element of every
	 * document); the element's own row wins: list's style is not the text
	 * style */
	for (i = 0; i < sizeof attrs / sizeof *attrs; i++) {
		const qj_vattr *a = &attrs[i];
		if (a->name[0] != name[0] || strcmp(a->name, name))
			continue;
		if (a->element[0] == element[0] && !strcmp(a->element, element))
			return a;
		if (!text && a->element[0] == '%')
			text = a;
	}
	return text && qj_vocab_has_text_style(element) ? text : NULL;
}

void qj_vocab_attr_names(const char *element, char *buf, size_t len)
{
	size_t i, used = 0;
	int style = qj_vocab_has_text_style(element);
	buf[0] = 0;
	for (i = 0; i < sizeof attrs / sizeof *attrs && used + 1 < len; i++) {
		int n;
		if (strcmp(attrs[i].element, element) &&
		    !(style && !strcmp(attrs[i].element, "%text")))
			continue;
		if (style && !strcmp(attrs[i].element, "%text") &&
		    qj_vocab_attr(element, attrs[i].name) != &attrs[i])
			continue; /* shadowed by the element's own row */
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", attrs[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

double qj_len_resolve(qj_len l, double def, double base)
{
	if (!l.set)
		return def;
	return l.pct ? l.v * base / 100.0 : l.v;
}

/* A length: a number and a unit (pt, mm, cm, in, %, or none for points);
 * only percentages may be negative. */
static int parse_length(const char *s, qj_len *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return -1;
	while (*end == ' ')
		end++;
	out->set = 1;
	out->pct = 0;
	if (!*end || !strcmp(end, "pt"))
		out->v = v;
	else if (!strcmp(end, "mm"))
		out->v = v * 72.0 / 25.4;
	else if (!strcmp(end, "cm"))
		out->v = v * 72.0 / 2.54;
	else if (!strcmp(end, "in"))
		out->v = v * 72.0;
	else if (!strcmp(end, "%")) {
		out->v = v;
		out->pct = 1;
	} else
		return -1;
	return v < 0 && !out->pct ? -1 : 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static int parse_color(const char *s, double rgb[3])
{
	size_t i;
	int k;
	for (i = 0; i < sizeof colours / sizeof *colours; i++)
		if (!strcasecmp(s, colours[i].name))
			s = colours[i].hex;
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

/* The index of s in "a|b|c", or -1. */
static int enum_index(const char *allowed, const char *s)
{
	size_t n = strlen(s);
	int i = 0;
	for (;;) {
		size_t len = strcspn(allowed, "|");
		if (len == n && !strncmp(allowed, s, n))
			return i;
		if (!allowed[len])
			return -1;
		allowed += len + 1;
		i++;
	}
}

/* "a|b|c" as "a, b or c". */
static void enum_words(const char *allowed, char *buf, size_t len)
{
	size_t used = 0;
	while (*allowed && used + 1 < len) {
		size_t w = strcspn(allowed, "|");
		int last = !allowed[w], n;
		n = snprintf(buf + used, len - used, "%s%.*s", !used ? "" : last ? " or " : ", ",
			     (int)w, allowed);
		if (n < 0)
			break;
		used += (size_t)n;
		allowed += w + !last;
	}
}

static int parse_page_size(const char *s, double page[2])
{
	char a[32], b[32], extra;
	qj_len w, h;
	if (!strcmp(s, "A4")) { page[0] = 595.276; page[1] = 841.89; return 0; }
	if (!strcmp(s, "A5")) { page[0] = 419.528; page[1] = 595.276; return 0; }
	if (!strcmp(s, "A3")) { page[0] = 841.89; page[1] = 1190.551; return 0; }
	if (!strcmp(s, "letter")) { page[0] = 612; page[1] = 792; return 0; }
	/* from 1 in to 200 in (14400 pt, the largest page PDF allows) */
	if (sscanf(s, "%31s %31s %c", a, b, &extra) != 2 || parse_length(a, &w) < 0 ||
	    parse_length(b, &h) < 0 || w.pct || h.pct || w.v < 72 || h.v < 72 ||
	    w.v > 14400 || h.v > 14400)
		return -1;
	page[0] = w.v;
	page[1] = h.v;
	return 0;
}

/* 1 to 4 lengths, filled in as CSS does (top, right, bottom, left). */
static int parse_lengths(const char *s, qj_len v[4])
{
	char t[5][32];
	int k = sscanf(s, "%31s %31s %31s %31s %31s", t[0], t[1], t[2], t[3], t[4]), i;
	if (k < 1 || k > 4)
		return -1;
	for (i = 0; i < k; i++)
		if (parse_length(t[i], &v[i]) < 0)
			return -1;
	if (k == 1) v[1] = v[2] = v[3] = v[0];
	else if (k == 2) { v[2] = v[0]; v[3] = v[1]; }
	else if (k == 3) v[3] = v[1];
	return 0;
}

/* widths="30mm 1* 2*": separated by spaces or commas; "*" alone is 1*. */
static int parse_widths(const char *spec, qj_widths *w)
{
	char tok[64];
	w->n = 0;
	while (*spec && w->n < QJ_MAX_COLS) {
		size_t len = strcspn(spec, " ,");
		qj_len l;
		if (len == 0) { spec++; continue; }
		if (len >= sizeof tok)
			return -1;
		snprintf(tok, sizeof tok, "%.*s", (int)len, spec);
		spec += len;
		if (tok[len - 1] == '*') {
			double v = len > 1 ? atof(tok) : 1;
			w->v[w->n] = v > 0 ? v : 1;
			w->kind[w->n++] = 2;
		} else if (parse_length(tok, &l) == 0) {
			w->v[w->n] = l.v;
			w->kind[w->n++] = l.pct;
		} else {
			return -1;
		}
	}
	return w->n > 0 ? 0 : -1;
}

int qj_vocab_parse(const qj_vattr *a, const char *s, qj_value *out,
		   char *why, size_t whylen)
{
	qj_value scratch;
	char words[160];
	char *end;
	if (!out)
		out = &scratch;
	switch (a->type) {
	case QJ_V_TEXT:
		out->text = s;
		return 0;
	case QJ_V_LENGTH:
		if (parse_length(s, &out->len) == 0)
			return 0;
		snprintf(why, whylen, "is not a length (12pt, 20mm, 1.5cm, 1in or 50%%)");
		return -1;
	case QJ_V_COLOR:
		if (parse_color(s, out->rgb) == 0)
			return 0;
		snprintf(why, whylen, "is not a colour (#RRGGBB, black, white, gray, lightgray, "
			 "darkgray, navy, red or blue)");
		return -1;
	case QJ_V_ENUM:
		if ((out->index = enum_index(a->allowed, s)) >= 0)
			return 0;
		enum_words(a->allowed, words, sizeof words);
		snprintf(why, whylen, "is not %s", words);
		return -1;
	case QJ_V_INT:
		out->num = strtol(s, &end, 10);
		if (end != s && !*end && out->num >= a->min && out->num <= a->max)
			return 0;
		snprintf(why, whylen, "is not a whole number from %d to %d", a->min, a->max);
		return -1;
	case QJ_V_FACTOR:
		out->factor = strtod(s, &end);
		if (end != s && !*end && isfinite(out->factor) && out->factor >= a->min / 10.0 &&
		    out->factor <= a->max / 10.0)
			return 0;
		snprintf(why, whylen, "is not a factor from %g to %g", a->min / 10.0, a->max / 10.0);
		return -1;
	case QJ_V_PAGE_SIZE:
		if (parse_page_size(s, out->page) == 0)
			return 0;
		snprintf(why, whylen, "is not A3, A4, A5, letter or 'WIDTH HEIGHT' "
			 "(each from 1in to 200in)");
		return -1;
	case QJ_V_LENGTHS:
		if (parse_lengths(s, out->lengths) == 0)
			return 0;
		snprintf(why, whylen, "is not 1 to 4 lengths (top, right, bottom, left)");
		return -1;
	case QJ_V_WIDTHS:
		if (parse_widths(s, &out->widths) == 0)
			return 0;
		snprintf(why, whylen, "is not a list of column widths (30mm, 25%%, 1*, 2*)");
		return -1;
	}
	snprintf(why, whylen, "has an unknown type");
	return -1;
}
