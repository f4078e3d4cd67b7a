/* table: column widths (fixed, percent, proportional N*), header rows kept
 * for repetition on every page the table spans, and body rows whose cells
 * are laid out once and cut at line boundaries when a row is taller than
 * what is left of the page. */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 32

/* Parses widths="30mm 1* 2*" into n column widths filling w. */
static int column_widths(engine *e, const xmlNode *n, double w, int ncells, double *cw)
{
	const char *spec = qj_xml_attr(n, "widths");
	double stars[MAX_COLS], fixed = 0, nstars = 0;
	int k = 0, i;
	char tok[64];

	if (!spec) {
		for (i = 0; i < ncells; i++)
			cw[i] = w / ncells;
		return ncells;
	}
	while (*spec && k < MAX_COLS) {
		size_t len = strcspn(spec, " ,");
		if (len == 0) { spec++; continue; }
		snprintf(tok, sizeof tok, "%.*s", (int)len, spec);
		spec += len;
		if (tok[len - 1] == '*') {
			stars[k] = len > 1 ? atof(tok) : 1;
			if (stars[k] <= 0) stars[k] = 1;
			nstars += stars[k];
			cw[k++] = 0;
		} else if (lay_parse_length(tok, w, &cw[k]) == 0) {
			stars[k] = 0;
			fixed += cw[k++];
		} else {
			qj_xml_error(e->ctx, n, "widths: '%s' is not a length or N*", tok);
			e->errors++;
			return -1;
		}
	}
	for (i = 0; i < k; i++)
		if (stars[i] > 0)
			cw[i] = nstars > 0 && w > fixed ? (w - fixed) * stars[i] / nstars : 0;
	if (fixed > w + 0.5) {
		qj_xml_error(e->ctx, n, "fixed column widths (%.0fpt) are wider than the table (%.0fpt)",
			     fixed, w);
		e->errors++;
		return -1;
	}
	return k;
}

typedef struct tstyle {
	double border, pad;
	double bcolor[3];
} tstyle;

/* Lays out the cells of one row into a splittable row slab. */
static int lay_row(engine *e, const xmlNode *rn, const style *st, const tstyle *ts,
		   double x, const double *cw, int ncols, table *t, int header,
		   slab_list *out)
{
	row *r = qj_arena_alloc(e->work, sizeof *r);
	slab *s;
	style rs;
	xmlNodePtr c;
	int col = 0, k = 0;
	double cx = x;
	deco *saved = e->deco;

	if (!r)
		return -1;
	lay_style_apply(e, rn, st, &rs);
	r->cells = qj_arena_alloc(e->work, MAX_COLS * sizeof *r->cells);
	r->cx = qj_arena_alloc(e->work, MAX_COLS * sizeof *r->cx);
	r->cw = qj_arena_alloc(e->work, MAX_COLS * sizeof *r->cw);
	if (!r->cells || !r->cx || !r->cw)
		return -1;
	r->pad = ts->pad;
	r->border = ts->border;
	memcpy(r->bcolor, ts->bcolor, sizeof r->bcolor);
	e->deco = NULL; /* cells draw their own boxes */
	for (c = qj_xml_child(rn, NULL); c; c = qj_xml_next(c, NULL)) {
		slab_list cl = {NULL, NULL};
		style cs;
		const char *sp = qj_xml_attr(c, "span"), *sh;
		int span = sp ? atoi(sp) : 1, j;
		double w = 0;
		if (strcmp((const char *)c->name, "cell")) {
			qj_xml_error(e->ctx, c, "<%s> inside <row>: only <cell> is allowed",
				     (const char *)c->name);
			e->errors++;
			continue;
		}
		if (span < 1 || col + span > ncols) {
			qj_xml_error(e->ctx, c, "the row has more cells than the table's %d columns", ncols);
			e->errors++;
			break;
		}
		for (j = 0; j < span; j++)
			w += cw[col + j];
		lay_style_apply(e, c, &rs, &cs);
		if ((sh = qj_xml_attr(c, "shading")) || (sh = qj_xml_attr(rn, "shading"))) {
			slab *bg = lay_slab_new(e, &cl, 0);
			qj_dl_item *it;
			if (!bg || !(it = lay_item_add(e, bg, QJ_DL_RECT)))
				return -1;
			it->filled = 1;
			if (lay_parse_color(sh, it->fill) < 0) {
				qj_xml_error(e->ctx, c, "shading=\"%s\" is not a colour", sh);
				e->errors++;
			}
			it->x = cx; it->w = w; it->h = -1; /* sized per piece */
		}
		if (lay_flow(e, c->children, &cs, cx + ts->pad, w - 2 * ts->pad, &cl) < 0)
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
	{
		const char *kt = qj_xml_attr(rn, "keep-together");
		s->keep_next = header; /* header rows stay with the first row */
		r->keep = kt && !strcmp(kt, "always");
		kt = qj_xml_attr(rn, "keep-with-next");
		if (kt && !strcmp(kt, "always"))
			s->keep_next = 1; /* e.g. a group heading row stays with its first row */
	}
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

int lay_table(engine *e, const xmlNode *n, const style *pst, double x,
	      double w, slab_list *out)
{
	style st;
	tstyle ts;
	double cw[MAX_COLS], sb, sa;
	int ncols, first_cells = 0;
	table *t = qj_arena_alloc(e->work, sizeof *t);
	xmlNodePtr c, rn, first_row = NULL;
	slab *before;
	const char *s;

	if (!t)
		return -1;
	lay_style_apply(e, n, pst, &st);
	ts.border = lay_length(e, n, "border", 0.5, 0);
	ts.pad = lay_length(e, n, "padding", 3, 0);
	memset(ts.bcolor, 0, sizeof ts.bcolor);
	if ((s = qj_xml_attr(n, "border-color")) && lay_parse_color(s, ts.bcolor) < 0) {
		qj_xml_error(e->ctx, n, "border-color=\"%s\" is not a colour", s);
		e->errors++;
	}
	sb = lay_length(e, n, "space-before", 0, 0);
	sa = lay_length(e, n, "space-after", 0, 0);
	/* columns: from widths=, else from the first row's cells */
	for (c = qj_xml_child(n, NULL); c && !first_row; c = qj_xml_next(c, NULL))
		first_row = !strcmp((const char *)c->name, "row") ? c : qj_xml_child(c, "row");
	for (c = qj_xml_child(first_row, "cell"); c; c = qj_xml_next(c, "cell"))
		first_cells += qj_xml_attr(c, "span") ? atoi(qj_xml_attr(c, "span")) : 1;
	if (first_cells < 1)
		first_cells = 1;
	if (first_cells > MAX_COLS)
		first_cells = MAX_COLS;
	ncols = column_widths(e, n, w, first_cells, cw);
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
	for (c = qj_xml_child(n, NULL); c; c = qj_xml_next(c, NULL)) {
		const char *cn = (const char *)c->name;
		int header = !strcmp(cn, "header");
		if (!strcmp(cn, "row")) {
			if (lay_row(e, c, &st, &ts, x, cw, ncols, t, 0, out) < 0)
				return -1;
			continue;
		}
		if (!header && strcmp(cn, "body")) {
			qj_xml_error(e->ctx, c, "<%s> inside <table>: use <header>, <body> or <row>", cn);
			e->errors++;
			continue;
		}
		for (rn = qj_xml_child(c, NULL); rn; rn = qj_xml_next(rn, NULL)) {
			slab_list hl = {NULL, NULL};
			slab *p, *rest;
			if (strcmp((const char *)rn->name, "row")) {
				qj_xml_error(e->ctx, rn, "<%s> inside <%s>: only <row> is allowed",
					     (const char *)rn->name, cn);
				e->errors++;
				continue;
			}
			if (!header) {
				if (lay_row(e, rn, &st, &ts, x, cw, ncols, t, 0, out) < 0)
					return -1;
				continue;
			}
			/* header rows: laid out whole, kept for repetition */
			if (lay_row(e, rn, &st, &ts, x, cw, ncols, t, 1, &hl) < 0)
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
