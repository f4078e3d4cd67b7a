/* flow: block-level boxes: block (spacing, indents, borders, shading,
 * padding, keeps, page breaks, bookmarks), list, image, rule, space and
 * page-break; paragraphs go to para.c and tables to table.c. */
#include "layout-imp.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"


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

static int lay_block(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_block *k = &n->u.block;
	deco d, *saved = e->deco;
	slab_list body = {NULL, NULL};
	double sb, sa, il, ir, pad, all;
	int decorated, rc = 0;

	sb = lay_len(k->space_before, 0, 0);
	sa = lay_len(k->space_after, 0, 0);
	il = lay_len(k->indent, 0, w);
	ir = lay_len(k->indent_right, 0, w);
	pad = lay_len(k->padding, 0, w);
	all = lay_len(k->border, 0, 0);
	memset(&d, 0, sizeof d);
	d.x = x + il;
	d.w = w - il - ir;
	d.bt = lay_len(k->border_top, all, 0);
	d.bb = lay_len(k->border_bottom, all, 0);
	d.bl = lay_len(k->border_left, all, 0);
	d.br = lay_len(k->border_right, all, 0);
	memcpy(d.bcolor, k->border_color, sizeof d.bcolor);
	d.shaded = k->shaded;
	memcpy(d.shade, k->shade, sizeof d.shade);
	decorated = d.shaded || d.bt > 0 || d.bb > 0 || d.bl > 0 || d.br > 0;
	if (sb > 0 && !gap_before(e, out, sb))
		return -1;
	if (decorated) {
		d.up = e->deco;
		e->deco = &d;
	}
	if (edge(e, &d, d.bt, pad, 1, &body) < 0)
		rc = -1;
	if (!rc && lay_flow(e, n->first, d.x + d.bl + pad,
			    d.w - d.bl - d.br - 2 * pad, &body) < 0)
		rc = -1;
	if (!rc && edge(e, &d, d.bb, pad, 0, &body) < 0)
		rc = -1;
	e->deco = saved;
	if (rc)
		return rc;
	if (body.first) {
		if (k->keep_together)
			set_keep_all(body.first, body.last);
		if (k->keep_with_next)
			body.last->keep_next = 1;
		if (k->break_before)
			body.first->break_before = 1;
		if (k->bookmark) {
			body.first->bookmark = k->bookmark;
			body.first->bookmark_level = k->bookmark_level;
		}
	}
	lay_list_append(out, &body);
	if (sa > 0) {
		slab *g = gap(e, out, sa);
		if (!g)
			return -1;
		if (k->keep_with_next)
			g->keep_next = 1;
	}
	return 0;
}

/* The label of the nth item of a list. */
static const char *item_label(engine *e, const qj_box *item, qj_list_style kind, long num)
{
	if (item->text)
		return item->text;
	switch (kind) {
	case QJ_LIST_DECIMAL: return qj_arena_printf(e->arena, "%ld.", num);
	case QJ_LIST_BULLET: return "•";
	case QJ_LIST_DASH: return "–";
	default: return "";
	}
}

/* A list item's label, laid out as any paragraph is (fonts, fallback,
 * marking for the subset) and moved onto the baseline of the item's first
 * line at the start of the label column. */
static int place_label(engine *e, slab *first, const char *label, const style *st,
		       const qj_loc *at, double x, double w)
{
	qj_box t;
	slab_list l = {NULL, NULL};
	deco *saved = e->deco;
	style ls = *st;
	qj_dl_item *it, *tail;
	int rc;

	memset(&t, 0, offsetof(qj_box, u));
	t.kind = QJ_BOX_TEXT;
	t.text = label;
	t.style = st;
	ls.align = QJ_ALIGN_LEFT;
	e->deco = NULL; /* the item's own slab carries the decorations */
	rc = lay_inline_run(e, &t, &ls, at, x, w, &l);
	e->deco = saved;
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

static int lay_list(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_list *ls = &n->u.list;
	double lw, isp, sb, sa;
	long num = ls->start;
	const qj_box *it;

	lw = lay_len(ls->label_width, 8 * 72 / 25.4, w);
	isp = lay_len(ls->item_space, 0, 0);
	sb = lay_len(ls->space_before, 0, 0);
	sa = lay_len(ls->space_after, 0, 0);
	if (sb > 0 && !gap_before(e, out, sb))
		return -1;
	for (it = n->first; it; it = it->next, num++) {
		slab_list body = {NULL, NULL};
		slab *first;
		if (lay_flow(e, it->first, x + lw, w - lw, &body) < 0)
			return -1;
		first = body.first;
		while (first && first->baseline < 0)
			first = first->next;
		if (first) {
			if (place_label(e, first, item_label(e, it, ls->style, num), it->style,
					&it->diag, x, w) < 0)
				return -1;
			first->keep_next |= first->next != NULL && it->style->orphans > 1;
		}
		lay_list_append(out, &body);
		if (isp > 0 && it->next && !gap(e, out, isp))
			return -1;
	}
	if (sa > 0 && !gap(e, out, sa))
		return -1;
	return 0;
}

static int lay_image(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_image_box *im = &n->u.image;
	double pw, ph, iw, ih, ix = x;
	unsigned upw, uph;
	qj_image_kind ikind;
	int kind;
	slab *s;
	qj_dl_item *it;

	/* checked (decoded) by the image module, which reports at the line */
	if (qj_image_probe(e->ctx, im->src, n->loc.file, n->loc.line, &upw, &uph, &ikind) < 0) {
		e->errors++;
		return 0;
	}
	pw = upw;
	ph = uph;
	kind = ikind == QJ_IMAGE_JPEG;
	iw = lay_len(im->width, 0, w);
	ih = lay_len(im->height, 0, e->body_h);
	if (iw <= 0 && ih <= 0) iw = pw * 0.75;
	if (iw <= 0) iw = ih * pw / ph;
	if (ih <= 0) ih = iw * ph / pw;
	if (iw > w) { ih *= w / iw; iw = w; }
	if (ih > e->body_h) { iw *= e->body_h / ih; ih = e->body_h; }
	if (im->align == QJ_ALIGN_CENTER) ix = x + (w - iw) / 2;
	else if (im->align == QJ_ALIGN_RIGHT) ix = x + w - iw;
	s = lay_slab_new(e, out, ih);
	if (!s || !(it = lay_item_add(e, s, QJ_DL_IMAGE)))
		return -1;
	it->x = ix; it->y = 0; it->w = iw; it->h = ih;
	it->image = qj_arena_strdup(e->arena, im->src);
	it->image_jpeg = kind;
	lay_slab_decorate(e, s);
	return 0;
}

static int lay_rule(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_rule *r = &n->u.rule;
	double t = lay_len(r->thickness, 0.5, 0);
	double rw = lay_len(r->width, w, w);
	double sb = lay_len(r->space_before, 2, 0);
	double sa = lay_len(r->space_after, 2, 0);
	slab *s = lay_slab_new(e, out, sb + t + sa);
	qj_dl_item *it;
	if (!s || !(it = lay_item_add(e, s, QJ_DL_LINE)))
		return -1;
	if (rw > w) rw = w;
	it->x = x;
	if (r->align == QJ_ALIGN_CENTER) it->x = x + (w - rw) / 2;
	else if (r->align == QJ_ALIGN_RIGHT) it->x = x + w - rw;
	it->y = sb + t / 2;
	it->w = rw;
	it->stroke = t;
	memcpy(it->color, r->color, sizeof it->color);
	lay_slab_decorate(e, s);
	return 0;
}

/* <box>: one stroked, unfilled rectangle width x height (default 10pt
 * square), its stroke inside the box, on a slab of its height. */
static int lay_frame(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_frame_box *f = &n->u.frame;
	double bw = lay_len(f->width, 10, w);
	double bh = lay_len(f->height, bw, w);
	double t = lay_len(f->border, 0.6, 0);
	slab *s;
	qj_dl_item *it;
	if (bw > w) bw = w;
	if (t > bw / 2) t = bw / 2;
	if (t > bh / 2) t = bh / 2;
	if (!(s = lay_slab_new(e, out, bh)) || !(it = lay_item_add(e, s, QJ_DL_RECT)))
		return -1;
	s->fixed = 1; /* a drawing, not a gap to drop at a page break */
	it->x = x + t / 2;
	if (f->align == QJ_ALIGN_CENTER) it->x += (w - bw) / 2;
	else if (f->align == QJ_ALIGN_RIGHT) it->x += w - bw;
	it->y = t / 2;
	it->w = bw - t;
	it->h = bh - t;
	it->stroke = t;
	memcpy(it->color, f->color, sizeof it->color);
	lay_slab_decorate(e, s);
	return 0;
}

int lay_flow(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	for (; n; n = n->next) {
		int rc = 0;
		switch (n->kind) {
		case QJ_BOX_PARAGRAPH:
			rc = lay_inline_run(e, n->first, n->style, &n->diag, x, w, out);
			break;
		case QJ_BOX_BLOCK: rc = lay_block(e, n, x, w, out); break;
		case QJ_BOX_LIST: rc = lay_list(e, n, x, w, out); break;
		case QJ_BOX_TABLE: rc = lay_table(e, n, x, w, out); break;
		case QJ_BOX_IMAGE: rc = lay_image(e, n, x, w, out); break;
		case QJ_BOX_RULE: rc = lay_rule(e, n, x, w, out); break;
		case QJ_BOX_QR: rc = lay_qr(e, n, x, w, out); break;
		case QJ_BOX_FRAME: rc = lay_frame(e, n, x, w, out); break;
		case QJ_BOX_SPACE: {
			slab *g = gap(e, out, lay_len(n->u.space, 0, e->body_h));
			if (!g)
				return -1;
			g->fixed = 1; /* an explicit space stays at the top of a page */
			break;
		}
		case QJ_BOX_PAGE_BREAK: {
			slab *s = lay_slab_new(e, out, 0);
			if (!s)
				return -1;
			s->break_before = 2; /* the slab after starts a page */
			break;
		}
		default:
			break; /* the builder puts nothing else in a flow */
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
