/* table: column widths (fixed, percent, proportional N*), header rows kept
 * for repetition on every page the table spans, and body rows whose cells
 * are laid out once and cut at line boundaries when a row is taller than
 * what is left of the page. */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS QJ_MAX_COLS

/* Column widths filling w: from widths= (fixed, percent, N*), else ncells
 * equal columns. Returns the number of columns, or -1. */
static int column_widths(engine *e, const qj_box *t, double w, int ncells, double *cw)
{
	const qj_widths *spec = t->u.table.widths;
	double fixed = 0, nstars = 0;
	int i;

	if (!spec) {
		for (i = 0; i < ncells; i++)
			cw[i] = w / ncells;
		return ncells;
	}
	for (i = 0; i < spec->n; i++) {
		if (spec->kind[i] == 2) {
			nstars += spec->v[i];
			cw[i] = 0;
		} else {
			cw[i] = spec->kind[i] == 1 ? spec->v[i] * w / 100.0 : spec->v[i];
			fixed += cw[i];
		}
	}
	for (i = 0; i < spec->n; i++)
		if (spec->kind[i] == 2)
			cw[i] = nstars > 0 && w > fixed ? (w - fixed) * spec->v[i] / nstars : 0;
	if (fixed > w + 0.5) {
		lay_error(e, &t->loc, "fixed column widths (%.0fpt) are wider than the table (%.0fpt)",
			  fixed, w);
		return -1;
	}
	return spec->n;
}

typedef struct tstyle {
	double border, pad;
	double bcolor[3];
} tstyle;

/* Lays out the cells of one row into a splittable row slab. */
static int lay_row(engine *e, const qj_box *rn, const tstyle *ts, double x,
		   const double *cw, int ncols, table *t, int header, slab_list *out)
{
	row *r = qj_arena_alloc(e->work, sizeof *r);
	slab *s;
	const qj_box *c;
	int col = 0, k = 0;
	double cx = x;
	deco *saved = e->deco;

	if (!r)
		return -1;
	r->cells = qj_arena_alloc(e->work, MAX_COLS * sizeof *r->cells);
	r->cx = qj_arena_alloc(e->work, MAX_COLS * sizeof *r->cx);
	r->cw = qj_arena_alloc(e->work, MAX_COLS * sizeof *r->cw);
	if (!r->cells || !r->cx || !r->cw)
		return -1;
	r->pad = ts->pad;
	r->border = ts->border;
	memcpy(r->bcolor, ts->bcolor, sizeof r->bcolor);
	e->deco = NULL; /* cells draw their own boxes */
	for (c = rn->first; c; c = c->next) {
		slab_list cl = {NULL, NULL};
		int span = c->u.cell.span, j;
		double w = 0;
		if (span < 1 || col + span > ncols) {
			lay_error(e, &c->loc, "the row has more cells than the table's %d columns", ncols);
			break;
		}
		for (j = 0; j < span; j++)
			w += cw[col + j];
		if (c->u.cell.shaded) {
			slab *bg = lay_slab_new(e, &cl, 0);
			qj_dl_item *it;
			if (!bg || !(it = lay_item_add(e, bg, QJ_DL_RECT)))
				return -1;
			it->filled = 1;
			memcpy(it->fill, c->u.cell.shade, sizeof it->fill);
			it->x = cx; it->w = w; it->h = -1; /* sized per piece */
		}
		if (lay_flow(e, c->first, cx + ts->pad, w - 2 * ts->pad, &cl) < 0)
			return -1;
		r->cells[k] = cl.first;
		r->cx[k] = cx;
		r->cw[k] = w;
		k++;
		cx += w;
		col += span;
	}
	e->deco = saved;
	r->ncells = k;
	s = lay_slab_new(e, out, 0);
	if (!s)
		return -1;
	s->row = r;
	s->table = t;
	s->header = header;
	for (k = 0; k < r->ncells; k++) {
		double h = 2 * r->pad;
		slab *cs;
		for (cs = r->cells[k]; cs; cs = cs->next)
			h += cs->h;
		if (h > s->h)
			s->h = h;
	}
	s->keep_next = header; /* header rows stay with the first row */
	r->keep = rn->u.row.keep_together;
	if (rn->u.row.keep_with_next)
		s->keep_next = 1; /* e.g. a group heading row stays with its first row */
	return 0;
}

/* Appends a bookmark at y to the piece's marks; *tail is the last one. */
static int add_mark(engine *e, slab *piece, slab_mark **tail, const char *title,
		    int level, double y)
{
	slab_mark *m = qj_arena_alloc(e->work, sizeof *m);
	if (!m)
		return -1;
	m->title = title;
	m->level = level;
	m->y = y;
	if (*tail)
		(*tail)->next = m;
	else
		piece->marks = m;
	*tail = m;
	return 0;
}

/* Cuts what fits into avail off a row slab. Returns the piece (a plain slab
 * with items) and sets *rest to the remaining row or NULL; returns NULL when
 * not even one line of any cell fits. */
slab *lay_row_split(engine *e, slab *s, double avail, slab **rest)
{
	row *r = s->row, *nr;
	slab_list one = {NULL, NULL};
	slab *piece, *ns;
	qj_dl_item *tail = NULL; /* the piece's last item: appends stay O(1) */
	slab_mark *mtail = NULL;
	double used = 0;
	int k, any_left = 0, any_taken = 0;
	slab **left = qj_arena_alloc(e->work, (size_t)(r->ncells + 1) * sizeof *left);

	*rest = NULL;
	if (!left)
		return NULL;
	piece = lay_slab_new(e, &one, 0);
	if (!piece)
		return NULL;
	piece->table = s->table;
	piece->header = s->header;
	piece->keep_next = s->keep_next;
	/* the row's own bookmark (of a block that starts with the table) goes
	 * with its first piece only */
	piece->bookmark = s->bookmark;
	piece->bookmark_level = s->bookmark_level;
	/* each cell gives the slabs that fit below the padding */
	for (k = 0; k < r->ncells; k++) {
		double y = r->pad;
		slab *c = r->cells[k];
		while (c && (y + c->h + r->pad <= avail + 0.01 || c->h == 0)) {
			qj_dl_item *it, *cp;
			const slab *src = c;
			/* a table inside the cell: its rows are drawn whole here */
			if (c->row) {
				slab *nested_rest = NULL;
				src = lay_row_split(e, c, INFINITY, &nested_rest);
				if (!src)
					return NULL;
			}
			for (it = src->items; it; it = it->next) {
				cp = qj_arena_alloc(e->work, sizeof *cp);
				if (!cp)
					return NULL;
				*cp = *it;
				cp->next = NULL;
				cp->y += y;
				if (cp->kind == QJ_DL_RECT && cp->h < 0) {
					cp->y = 0; /* cell shading: resized below */
				}
				if (tail)
					tail->next = cp;
				else
					piece->items = cp;
				tail = cp;
			}
			/* the bookmarks of what is copied: a block's own, and
			 * those of the blocks in a table inside the cell */
			if (src->bookmark &&
			    add_mark(e, piece, &mtail, src->bookmark, src->bookmark_level, y) < 0)
				return NULL;
			{
				const slab_mark *m;
				for (m = src->marks; m; m = m->next)
					if (add_mark(e, piece, &mtail, m->title, m->level, y + m->y) < 0)
						return NULL;
			}
			if (c->h > 0)
				any_taken = 1;
			if (src->baseline >= 0 && piece->baseline < 0)
				piece->baseline = y + src->baseline;
			y += c->h;
			c = c->next;
		}
		left[k] = c;
		any_left |= c != NULL;
		if (y + r->pad > used)
			used = y + r->pad;
	}
	if (!any_taken && any_left)
		return NULL;
	piece->h = used;
	/* cell boxes and shading sized to the piece */
	{
		qj_dl_item *it;
		for (it = piece->items; it; it = it->next)
			if (it->kind == QJ_DL_RECT && it->h < 0)
				it->h = used;
	}
	for (k = 0; k < r->ncells && r->border > 0; k++) {
		qj_dl_item *b = lay_item_add(e, piece, QJ_DL_RECT);
		if (!b)
			return NULL;
		b->x = r->cx[k]; b->y = 0; b->w = r->cw[k]; b->h = used;
		b->stroke = r->border;
		memcpy(b->color, r->bcolor, sizeof b->color);
	}
	if (any_left) {
		nr = qj_arena_alloc(e->work, sizeof *nr);
		ns = qj_arena_alloc(e->work, sizeof *ns);
		if (!nr || !ns)
			return NULL;
		*nr = *r;
		nr->cells = left;
		*ns = *s;
		ns->row = nr;
		ns->next = NULL;
		ns->bookmark = NULL; /* placed with this piece */
		ns->h = 0;
		for (k = 0; k < nr->ncells; k++) {
			double h = 2 * nr->pad;
			slab *c;
			for (c = left[k]; c; c = c->next)
				h += c->h;
			if (h > ns->h)
				ns->h = h;
		}
		*rest = ns;
	}
	return piece;
}

/* The number of columns the first row's cells span (at least 1). */
static int first_row_columns(const qj_box *n)
{
	const qj_box *c, *first_row = NULL;
	int cols = 0;
	for (c = n->first; c && !first_row; c = c->next)
		first_row = c->kind == QJ_BOX_ROW ? c : c->first;
	for (c = first_row ? first_row->first : NULL; c; c = c->next)
		cols += c->u.cell.span;
	if (cols < 1)
		cols = 1;
	return cols > MAX_COLS ? MAX_COLS : cols;
}

int lay_table(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_table *tb = &n->u.table;
	tstyle ts;
	double cw[MAX_COLS], sb, sa;
	int ncols;
	table *t = qj_arena_alloc(e->work, sizeof *t);
	const qj_box *c, *rn;
	slab *before;

	if (!t)
		return -1;
	ts.border = lay_len(tb->border, 0.5, 0);
	ts.pad = lay_len(tb->padding, 3, 0);
	memcpy(ts.bcolor, tb->border_color, sizeof ts.bcolor);
	sb = lay_len(tb->space_before, 0, 0);
	sa = lay_len(tb->space_after, 0, 0);
	/* columns: from widths=, else from the first row's cells */
	ncols = column_widths(e, n, w, first_row_columns(n), cw);
	if (ncols <= 0)
		return 0;
	if (sb > 0) {
		slab *g = lay_slab_new(e, out, sb);
		if (!g)
			return -1;
		lay_slab_decorate(e, g);
		g->keep_next = 1; /* the space before the table stays with it */
	}
	before = out->last; /* the table's rows start after this slab */
	for (c = n->first; c; c = c->next) {
		int header = c->kind == QJ_BOX_TABLE_HEADER;
		if (c->kind == QJ_BOX_ROW) {
			if (lay_row(e, c, &ts, x, cw, ncols, t, 0, out) < 0)
				return -1;
			continue;
		}
		for (rn = c->first; rn; rn = rn->next) {
			slab_list hl = {NULL, NULL};
			slab *p, *rest;
			if (!header) {
				if (lay_row(e, rn, &ts, x, cw, ncols, t, 0, out) < 0)
					return -1;
				continue;
			}
			/* header rows: laid out whole, kept for repetition */
			if (lay_row(e, rn, &ts, x, cw, ncols, t, 1, &hl) < 0)
				return -1;
			p = lay_row_split(e, hl.first, INFINITY, &rest);
			if (!p)
				return -1;
			p->table = t;
			p->header = 1;
			p->keep_next = 1;
			p->next = NULL;
			if (t->header.last) t->header.last->next = p; else t->header.first = p;
			t->header.last = p;
		}
	}
	/* the header rows come first, before the body rows just added */
	if (t->header.first) {
		slab_list copy = {NULL, NULL};
		slab *h, *after = before ? before->next : out->first;
		for (h = t->header.first; h; h = h->next) {
			slab *d = qj_arena_alloc(e->work, sizeof *d);
			if (!d)
				return -1;
			*d = *h;
			d->next = NULL;
			/* the bookmarks of the header's cells are the copy's: the
			 * rows kept for repetition on the pages after have none,
			 * so each is in the outline once, where the table starts */
			h->marks = NULL;
			if (copy.last)
				copy.last->next = d;
			else
				copy.first = d;
			copy.last = d;
		}
		copy.last->next = after;
		if (before)
			before->next = copy.first;
		else
			out->first = copy.first;
		if (!after)
			out->last = copy.last;
	}
	if (sa > 0) {
		slab *g = lay_slab_new(e, out, sa);
		if (!g)
			return -1;
		lay_slab_decorate(e, g);
	}
	return 0;
}
