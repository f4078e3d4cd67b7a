/* flow: block-level elements of the flow vocabulary: block (spacing,
 * indents, borders, shading, padding, keeps, page breaks, bookmarks), list,
 * image, rule, space and page-break; inline runs go to para.c and tables to
 * table.c. */
#include "layout-imp.h"

#include <errno.h>

#include <stdlib.h>
#include <string.h>

#include "image/image.h"


static int lay_block(engine *e, const xmlNode *n, const style *pst, double x,
		     double w, slab_list *out);

/* A vertical gap; dropped by the paginator at the top of a page. */
static slab *gap(engine *e, slab_list *out, double h)
{
	slab *s = lay_slab_new(e, out, h);
	if (s)
		lay_slab_decorate(e, s);
	return s;
}

/* The space before an element belongs to it: the gap keeps with what
 * follows, so a keep-with-next chain from the element before goes on
 * through the gap instead of stopping at it. */
static slab *gap_before(engine *e, slab_list *out, double h)
{
	slab *s = gap(e, out, h);
	if (s)
		s->keep_next = 1;
	return s;
}

static int border_of(engine *e, const xmlNode *n, const char *side, double all, double *out)
{
	*out = lay_length(e, n, side, all, 0);
	return 0;
}

/* Top or bottom edge of a decorated block: padding plus a border line. */
static int edge(engine *e, deco *d, double bw, double pad, int top, slab_list *out)
{
	slab *s;
	qj_dl_item *l;
	if (bw <= 0 && pad <= 0)
		return 0;
	s = lay_slab_new(e, out, bw + pad);
	if (!s)
		return -1;
	if (bw > 0) {
		l = lay_item_add(e, s, QJ_DL_LINE);
		if (!l)
			return -1;
		l->x = d->x;
		l->w = d->w;
		l->y = top ? bw / 2 : pad + bw / 2;
		l->stroke = bw;
		memcpy(l->color, d->bcolor, sizeof l->color);
	}
	lay_slab_decorate(e, s);
	return 0;
}

static void set_keep_all(slab *from, slab *to_excl_last)
{
	for (; from && from != to_excl_last; from = from->next)
		from->keep_next = 1;
}

static int lay_block(engine *e, const xmlNode *n, const style *pst, double x,
		     double w, slab_list *out)
{
	style st;
	deco d, *saved = e->deco;
	slab_list body = {NULL, NULL};
	double sb, sa, il, ir, pad, all;
	const char *s;
	int decorated, rc = 0;

	lay_style_apply(e, n, pst, &st);
	sb = lay_length(e, n, "space-before", 0, 0);
	sa = lay_length(e, n, "space-after", 0, 0);
	il = lay_length(e, n, "indent", 0, w);
	ir = lay_length(e, n, "indent-right", 0, w);
	pad = lay_length(e, n, "padding", 0, w);
	all = lay_length(e, n, "border", 0, 0);
	memset(&d, 0, sizeof d);
	d.x = x + il;
	d.w = w - il - ir;
	border_of(e, n, "border-top", all, &d.bt);
	border_of(e, n, "border-bottom", all, &d.bb);
	border_of(e, n, "border-left", all, &d.bl);
	border_of(e, n, "border-right", all, &d.br);
	if ((s = qj_xml_attr(n, "border-color")) && lay_parse_color(s, d.bcolor) < 0) {
		qj_xml_error(e->ctx, n, "border-color=\"%s\" is not a colour", s);
		e->errors++;
	}
	if ((s = qj_xml_attr(n, "shading"))) {
		d.shaded = 1;
		if (lay_parse_color(s, d.shade) < 0) {
			qj_xml_error(e->ctx, n, "shading=\"%s\" is not a colour", s);
			e->errors++;
		}
	}
	decorated = d.shaded || d.bt > 0 || d.bb > 0 || d.bl > 0 || d.br > 0;
	if (sb > 0 && !gap_before(e, out, sb))
		return -1;
	if (decorated) {
		d.up = e->deco;
		e->deco = &d;
	}
	if (edge(e, &d, d.bt, pad, 1, &body) < 0)
		rc = -1;
	if (!rc && lay_flow(e, n->children, &st, d.x + d.bl + pad,
			    d.w - d.bl - d.br - 2 * pad, &body) < 0)
		rc = -1;
	if (!rc && edge(e, &d, d.bb, pad, 0, &body) < 0)
		rc = -1;
	e->deco = saved;
	if (rc)
		return rc;
	if (body.first) {
		s = qj_xml_attr(n, "keep-together");
		if (s && !strcmp(s, "always"))
			set_keep_all(body.first, body.last);
		s = qj_xml_attr(n, "keep-with-next");
		if (s && !strcmp(s, "always"))
			body.last->keep_next = 1;
		s = qj_xml_attr(n, "break-before");
		if (s && !strcmp(s, "page"))
			body.first->break_before = 1;
		if ((s = qj_xml_attr(n, "bookmark")) && *s) {
			const char *lv = qj_xml_attr(n, "bookmark-level");
			body.first->bookmark = s;
			body.first->bookmark_level = lv ? atoi(lv) : 1;
			if (body.first->bookmark_level < 1)
				body.first->bookmark_level = 1;
		}
	}
	lay_list_append(out, &body);
	if (sa > 0) {
		slab *g = gap(e, out, sa);
		if (!g)
			return -1;
		s = qj_xml_attr(n, "keep-with-next");
		if (s && !strcmp(s, "always"))
			g->keep_next = 1;
	}
	return 0;
}

/* The label of the nth item of a list. */
static const char *item_label(engine *e, const xmlNode *item, const char *kind, int num)
{
	const char *l = qj_xml_attr(item, "label");
	if (l)
		return l;
	if (!kind || !strcmp(kind, "decimal"))
		return qj_arena_printf(e->arena, "%d.", num);
	if (!strcmp(kind, "bullet"))
		return "•";
	if (!strcmp(kind, "dash"))
		return "–";
	return "";
}

/* A list item's label, laid out as any paragraph is (fonts, fallback,
 * marking for the subset) and moved onto the baseline of the item's first
 * line at the start of the label column. */
static int place_label(engine *e, slab *first, const char *label, const style *st,
		       const xmlNode *at, double x, double w)
{
	xmlNodePtr t = xmlNewText((const xmlChar *)label);
	slab_list l = {NULL, NULL};
	deco *saved = e->deco;
	style ls = *st;
	qj_dl_item *it, *tail;
	int rc;

	if (!t)
		return -1;
	ls.align = AL_LEFT;
	e->deco = NULL; /* the item's own slab carries the decorations */
	rc = lay_inline_run(e, t, NULL, &ls, at, x, w, &l);
	e->deco = saved;
	xmlFreeNode(t);
	if (rc < 0 || !l.first)
		return rc;
	for (it = l.first->items; it; it = it->next)
		it->y += first->baseline - l.first->baseline;
	for (tail = first->items; tail && tail->next; tail = tail->next)
		;
	if (tail)
		tail->next = l.first->items;
	else
		first->items = l.first->items;
	return 0;
}

static int lay_list(engine *e, const xmlNode *n, const style *pst, double x,
		    double w, slab_list *out)
{
	style st;
	const char *kind = qj_xml_attr(n, "style"), *s;
	double lw, isp, sb, sa;
	int num;
	xmlNodePtr it;

	if (kind && strcmp(kind, "decimal") && strcmp(kind, "bullet") &&
	    strcmp(kind, "dash") && strcmp(kind, "none")) {
		qj_xml_error(e->ctx, n, "list style=\"%s\" is not decimal, bullet, dash or none", kind);
		e->errors++;
	}
	lay_style_apply(e, n, pst, &st);
	lw = lay_length(e, n, "label-width", 8 * 72 / 25.4, w);
	isp = lay_length(e, n, "item-space", 0, 0);
	sb = lay_length(e, n, "space-before", 0, 0);
	sa = lay_length(e, n, "space-after", 0, 0);
	s = qj_xml_attr(n, "start");
	num = 1;
	if (s) {
		/* numbered on from start, so start + items must stay an int */
		char *end;
		long v;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || *end || v < -1000000 || v > 1000000) {
			qj_xml_error(e->ctx, n, "list start=\"%s\" is not a whole number from -1000000 to 1000000", s);
			e->errors++;
		} else {
			num = (int)v;
		}
	}
	if (sb > 0 && !gap_before(e, out, sb))
		return -1;
	for (it = qj_xml_child(n, NULL); it; it = qj_xml_next(it, NULL), num++) {
		slab_list body = {NULL, NULL};
		style ist;
		slab *first;
		if (strcmp((const char *)it->name, "item")) {
			qj_xml_error(e->ctx, it, "<%s> inside <list>: only <item> is allowed",
				     (const char *)it->name);
			e->errors++;
			continue;
		}
		lay_style_apply(e, it, &st, &ist);
		if (lay_flow(e, it->children, &ist, x + lw, w - lw, &body) < 0)
			return -1;
		first = body.first;
		while (first && first->baseline < 0)
			first = first->next;
		if (first) {
			if (place_label(e, first, item_label(e, it, kind, num), &ist, it, x, w) < 0)
				return -1;
			first->keep_next |= first->next != NULL && ist.orphans > 1;
		}
		lay_list_append(out, &body);
		if (isp > 0 && qj_xml_next(it, NULL) && !gap(e, out, isp))
			return -1;
	}
	if (sa > 0 && !gap(e, out, sa))
		return -1;
	return 0;
}

static int lay_image(engine *e, const xmlNode *n, double x, double w, slab_list *out)
{
	const char *src = qj_xml_attr(n, "src"), *al = qj_xml_attr(n, "align");
	double pw, ph, iw, ih, ix = x;
	unsigned upw, uph;
	qj_image_kind ikind;
	int kind;
	slab *s;
	qj_dl_item *it;

	if (!src) {
		qj_xml_error(e->ctx, n, "<image> needs src");
		e->errors++;
		return 0;
	}
	/* checked (decoded) by the image module, which reports at the line */
	if (qj_image_probe(e->ctx, src, qj_xml_file(n), qj_xml_line(n), &upw, &uph, &ikind) < 0) {
		e->errors++;
		return 0;
	}
	pw = upw;
	ph = uph;
	kind = ikind == QJ_IMAGE_JPEG;
	iw = lay_length(e, n, "width", 0, w);
	ih = lay_length(e, n, "height", 0, e->body_h);
	if (iw <= 0 && ih <= 0) iw = pw * 0.75;
	if (iw <= 0) iw = ih * pw / ph;
	if (ih <= 0) ih = iw * ph / pw;
	if (iw > w) { ih *= w / iw; iw = w; }
	if (ih > e->body_h) { iw *= e->body_h / ih; ih = e->body_h; }
	if (al && !strcmp(al, "center")) ix = x + (w - iw) / 2;
	else if (al && !strcmp(al, "right")) ix = x + w - iw;
	s = lay_slab_new(e, out, ih);
	if (!s || !(it = lay_item_add(e, s, QJ_DL_IMAGE)))
		return -1;
	it->x = ix; it->y = 0; it->w = iw; it->h = ih;
	it->image = src;
	it->image_jpeg = kind;
	lay_slab_decorate(e, s);
	return 0;
}

static int lay_rule(engine *e, const xmlNode *n, const style *st, double x,
		    double w, slab_list *out)
{
	double t = lay_length(e, n, "thickness", 0.5, 0);
	double rw = lay_length(e, n, "width", w, w);
	double sb = lay_length(e, n, "space-before", 2, 0);
	double sa = lay_length(e, n, "space-after", 2, 0);
	const char *al = qj_xml_attr(n, "align"), *c = qj_xml_attr(n, "color");
	slab *s = lay_slab_new(e, out, sb + t + sa);
	qj_dl_item *it;
	if (!s || !(it = lay_item_add(e, s, QJ_DL_LINE)))
		return -1;
	if (rw > w) rw = w;
	it->x = x;
	if (al && !strcmp(al, "center")) it->x = x + (w - rw) / 2;
	else if (al && !strcmp(al, "right")) it->x = x + w - rw;
	it->y = sb + t / 2;
	it->w = rw;
	it->stroke = t;
	memcpy(it->color, st->color, sizeof it->color);
	if (c && lay_parse_color(c, it->color) < 0) {
		qj_xml_error(e->ctx, n, "color=\"%s\" is not a colour", c);
		e->errors++;
	}
	lay_slab_decorate(e, s);
	return 0;
}

int lay_flow(engine *e, const xmlNode *first, const style *st, double x,
	     double w, slab_list *out)
{
	const xmlNode *n = first;
	while (n) {
		const char *name;
		int rc = 0;
		if (lay_is_inline(n)) {
			const xmlNode *stop = n;
			while (stop && (lay_is_inline(stop) || stop->type != XML_ELEMENT_NODE))
				stop = stop->next;
			if (lay_inline_run(e, n, stop, st, n->parent, x, w, out) < 0)
				return -1;
			n = stop;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE) {
			n = n->next;
			continue;
		}
		name = (const char *)n->name;
		if (!strcmp(name, "block"))
			rc = lay_block(e, n, st, x, w, out);
		else if (!strcmp(name, "list"))
			rc = lay_list(e, n, st, x, w, out);
		else if (!strcmp(name, "table"))
			rc = lay_table(e, n, st, x, w, out);
		else if (!strcmp(name, "image"))
			rc = lay_image(e, n, x, w, out);
		else if (!strcmp(name, "qr"))
			rc = lay_qr(e, n, x, w, out);
		else if (!strcmp(name, "rule"))
			rc = lay_rule(e, n, st, x, w, out);
		else if (!strcmp(name, "space")) {
			slab *g = gap(e, out, lay_length(e, n, "height", 0, e->body_h));
			if (!g)
				return -1;
			g->fixed = 1; /* an explicit space stays at the top of a page */
		}
		else if (!strcmp(name, "page-break")) {
			slab *s = lay_slab_new(e, out, 0);
			if (!s)
				return -1;
			s->break_before = 2; /* the slab after starts a page */
		} else {
			qj_xml_error(e->ctx, n, "unknown element <%s> in the flow", name);
			e->errors++;
		}
		if (rc < 0)
			return -1;
		n = n->next;
	}
	return 0;
}
