/* paginate: page masters, page sequences, and the cutting of the slab list
 * into pages: forced breaks, keep chains (keep-with-next, keep-together,
 * widows/orphans), table rows split at line boundaries, table header rows
 * repeated on every page, bookmarks; then headers and footers with page
 * numbers, once the page count is known. */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct master {
	const qj_box *box;
	double width, height;
	double mt, mr, mb, ml;
	double header_h, footer_h;
} master;

typedef struct pager {
	engine *e;
	qj_dl *dl;
	int cap;
	const master **masters; /* per page */
	const qj_box **seqs;    /* per page: its page sequence */
	const qj_box *seq;      /* the sequence being paginated */
	qj_page *page;
	double y;      /* used height of the body */
	int started;   /* the page holds content other than repeated headers */
	qj_bookmark *bm_last;
} pager;

/* The numbers of a page master box (resolved by the builder). */
static void read_master(const qj_box *n, master *m)
{
	const qj_page_master *pm = &n->u.master;
	m->box = n;
	m->width = pm->width;
	m->height = pm->height;
	m->mt = pm->mt;
	m->mr = pm->mr;
	m->mb = pm->mb;
	m->ml = pm->ml;
	m->header_h = pm->header_h;
	m->footer_h = pm->footer_h;
}

static int new_page(pager *p, const master *m)
{
	qj_dl *dl = p->dl;
	qj_page *pg;
	if (dl->npages >= qj_ctx_limits(p->e->ctx)->max_pages) {
		lay_error(p->e, &m->box->loc, "the document needs more than %d pages (the limit)",
			  qj_ctx_limits(p->e->ctx)->max_pages);
		return -1;
	}
	if (dl->npages == p->cap) {
		int cap = p->cap ? p->cap * 2 : 16;
		qj_page **np = qj_arena_alloc(p->e->arena, (size_t)cap * sizeof *np);
		const master **nm = qj_arena_alloc(p->e->arena, (size_t)cap * sizeof *nm);
		const qj_box **ns = qj_arena_alloc(p->e->arena, (size_t)cap * sizeof *ns);
		if (!np || !nm || !ns)
			return -1;
		if (dl->npages) {
			memcpy(np, dl->pages, (size_t)dl->npages * sizeof *np);
			memcpy(nm, p->masters, (size_t)dl->npages * sizeof *nm);
			memcpy(ns, p->seqs, (size_t)dl->npages * sizeof *ns);
		}
		dl->pages = np;
		p->masters = nm;
		p->seqs = ns;
		p->cap = cap;
	}
	pg = qj_arena_alloc(p->e->arena, sizeof *pg);
	if (!pg)
		return -1;
	pg->width = m->width;
	pg->height = m->height;
	pg->area_x = m->ml;
	pg->area_y = m->mt;
	pg->area_w = m->width - m->ml - m->mr;
	pg->area_h = m->height - m->mt - m->mb;
	pg->body_y = m->mt + m->header_h;
	pg->body_h = pg->area_h - m->header_h - m->footer_h;
	p->masters[dl->npages] = m;
	p->seqs[dl->npages] = p->seq;
	dl->pages[dl->npages++] = pg;
	p->page = pg;
	p->y = 0;
	p->started = 0;
	/* a frame around the area when the master asks for one */
	if (m->box->u.master.framed) {
		qj_dl_item *f = qj_arena_alloc(p->e->arena, sizeof *f);
		if (!f)
			return -1;
		f->kind = QJ_DL_RECT;
		f->stroke = m->box->u.master.frame;
		f->x = pg->area_x + f->stroke / 2;
		f->y = pg->area_y + f->stroke / 2;
		f->w = pg->area_w - f->stroke;
		f->h = pg->area_h - f->stroke;
		memcpy(f->color, m->box->u.master.frame_color, sizeof f->color);
		pg->items = pg->last = f;
		pg->nitems = 1;
	}
	return 0;
}

/* Copies a slab's items onto the page at body offset y (or at top in a
 * header/footer region). */
static int place_at(pager *p, const slab *s, double top)
{
	const qj_dl_item *it;
	for (it = s->items; it; it = it->next) {
		qj_dl_item *c = qj_arena_alloc(p->e->arena, sizeof *c);
		if (!c)
			return -1;
		*c = *it;
		c->next = NULL;
		c->y += top;
		if (p->page->last) p->page->last->next = c; else p->page->items = c;
		p->page->last = c;
		p->page->nitems++;
	}
	return 0;
}

/* Adds a bookmark at body offset y of the current page. */
static int add_bookmark(pager *p, const char *title, int level, double y)
{
	qj_bookmark *b = qj_arena_alloc(p->e->arena, sizeof *b);
	if (!b)
		return -1;
	b->page = p->dl->npages - 1;
	b->y = p->page->body_y + y;
	b->level = level;
	b->title = qj_arena_strdup(p->e->arena, title);
	if (p->bm_last) p->bm_last->next = b; else p->dl->bookmarks = b;
	p->bm_last = b;
	return 0;
}

static int place(pager *p, const slab *s)
{
	const slab_mark *m;
	if (s->bookmark && add_bookmark(p, s->bookmark, s->bookmark_level, p->y) < 0)
		return -1;
	/* a row piece: the bookmarks of the blocks in its cells, each where
	 * its block is */
	for (m = s->marks; m; m = m->next)
		if (add_bookmark(p, m->title, m->level, p->y + m->y) < 0)
			return -1;
	if (place_at(p, s, p->page->body_y + p->y) < 0)
		return -1;
	p->y += s->h;
	if (!s->header || s->items)
		p->started |= !s->header;
	return 0;
}

static int is_gap(const slab *s)
{
	const qj_dl_item *it;
	if (s->row || s->baseline >= 0 || s->bookmark || s->marks || s->fixed)
		return 0;
	for (it = s->items; it; it = it->next)
		if (it->kind != QJ_DL_RECT && !(it->kind == QJ_DL_LINE && it->w == 0))
			return 0;
	return 1;
}

static double header_height(const table *t)
{
	double h = 0;
	const slab *s;
	for (s = t ? t->header.first : NULL; s; s = s->next)
		h += s->h;
	return h;
}

/* Starts a page; when inside a table, repeats its header rows. */
static int break_page(pager *p, const master *m, const slab *next)
{
	const slab *h;
	if (new_page(p, m) < 0)
		return -1;
	if (next && next->table && !next->header)
		for (h = next->table->header.first; h; h = h->next)
			if (place(p, h) < 0)
				return -1;
	return 0;
}

static double chain_height(const slab *s)
{
	double h = 0;
	for (; s; s = s->next) {
		h += s->h;
		if (!s->keep_next)
			break;
	}
	return h;
}

static int paginate_slabs(pager *p, const master *m, slab *s)
{
	engine *e = p->e;
	double body_h = m->height - m->mt - m->mb - m->header_h - m->footer_h;
	if (new_page(p, m) < 0)
		return -1;
	while (s) {
		double left = body_h - p->y, ch;
		if (s->break_before == 2) {
			if (p->started && break_page(p, m, s->next) < 0)
				return -1;
			s = s->next;
			continue;
		}
		if (s->break_before && p->started && break_page(p, m, s) < 0)
			return -1;
		if (!p->started && is_gap(s) && s->h > 0 && p->y == 0) {
			s = s->next;
			continue;
		}
		left = body_h - p->y;
		ch = chain_height(s);
		if (ch > left + 0.01 && p->started && ch <= body_h - header_height(s->table) &&
		    !(s->row && s->h > left)) {
			if (break_page(p, m, s) < 0)
				return -1;
			continue;
		}
		if (s->row) {
			slab *rest = NULL, *piece;
			int keep = s->row->keep;
			if (s->h <= left + 0.01) {
				piece = lay_row_split(e, s, INFINITY, &rest);
			} else if (keep && p->started && s->h <= body_h - header_height(s->table)) {
				piece = NULL;
			} else {
				piece = lay_row_split(e, s, left, &rest);
			}
			if (!piece) {
				if (!p->started) {
					qj_error(e->ctx, NULL, 0, "a table row line is taller than the page body");
					e->errors++;
					return -1;
				}
				if (break_page(p, m, s) < 0)
					return -1;
				continue;
			}
			if (place(p, piece) < 0)
				return -1;
			if (rest) {
				rest->next = s->next;
				s = rest;
				if (break_page(p, m, s) < 0)
					return -1;
				continue;
			}
			s = s->next;
			continue;
		}
		if (s->h > left + 0.01 && p->started) {
			if (break_page(p, m, s) < 0)
				return -1;
			continue;
		}
		if (place(p, s) < 0)
			return -1;
		s = s->next;
	}
	return 0;
}

/* Lays out a header or footer region for one page. */
static int region(pager *p, int page, const qj_box *content, double top, qj_region r)
{
	engine *e = p->e;
	slab_list l = {NULL, NULL};
	qj_page *pg = p->dl->pages[page];
	const slab *s;
	double y = top;
	int rc = 0;
	if (!content)
		return 0;
	/* a scratch arena per region: only the placed items stay */
	e->work = qj_arena_new(e->ctx);
	if (!e->work)
		return -1;
	e->region = r;
	e->page_no = page + 1;
	if (lay_flow(e, content->first, pg->area_x, pg->area_w, &l) < 0)
		rc = -1;
	p->page = pg;
	for (s = l.first; s && rc == 0; s = s->next) {
		if (place_at(p, s, y) < 0)
			rc = -1;
		y += s->h;
	}
	e->region = QJ_REGION_BODY;
	qj_arena_free(e->work);
	e->work = NULL;
	return rc;
}

static const master *find_master(engine *e, master *ms, int nm, const qj_box *seq)
{
	const char *name = seq->u.seq.master;
	int i;
	for (i = 0; i < nm; i++) {
		const char *mn = ms[i].box->u.master.name;
		if (!name || (mn && !strcmp(mn, name)))
			return &ms[i];
	}
	lay_error(e, &seq->loc, "no page-master named '%s'", name ? name : "");
	return NULL;
}

qj_dl *lay_paginate(engine *e, const qj_box *root)
{
	const qj_box *n;
	master ms[16];
	int nm = 0, i;
	pager p;

	memset(&p, 0, sizeof p);
	p.e = e;
	p.dl = qj_arena_alloc(e->arena, sizeof *p.dl);
	if (!p.dl)
		return NULL;
	/* the display list owns its strings: the boxes may go before it */
	p.dl->lang = qj_arena_strdup(e->arena, root->style->lang);
	p.dl->title = root->u.doc.title ? qj_arena_strdup(e->arena, root->u.doc.title) : NULL;
	p.dl->author = root->u.doc.author ? qj_arena_strdup(e->arena, root->u.doc.author) : NULL;
	p.dl->subject = root->u.doc.subject ? qj_arena_strdup(e->arena, root->u.doc.subject) : NULL;
	for (n = root->first; n; n = n->next)
		if (n->kind == QJ_BOX_PAGE_MASTER && nm < 16)
			read_master(n, &ms[nm++]);
	/* body: each page sequence starts a page */
	for (n = root->first; n && !e->errors; n = n->next) {
		const master *m;
		slab_list l = {NULL, NULL};
		if (n->kind != QJ_BOX_PAGE_SEQUENCE)
			continue;
		if (!(m = find_master(e, ms, nm, n)))
			break;
		if ((n->u.seq.header && !m->box->u.master.header) ||
		    (n->u.seq.footer && !m->box->u.master.footer)) {
			lay_error(e, &n->loc, "a <page-sequence> with its own <%s> needs a master "
				  "that has one (its height is the master's)",
				  n->u.seq.header && !m->box->u.master.header ? "header" : "footer");
			break;
		}
		p.seq = n;
		e->body_h = m->height - m->mt - m->mb - m->header_h - m->footer_h;
		/* slabs live only until the sequence is paginated */
		e->work = qj_arena_new(e->ctx);
		if (!e->work)
			break;
		if (lay_flow(e, n->first, m->ml, m->width - m->ml - m->mr, &l) < 0 ||
		    e->errors || paginate_slabs(&p, m, l.first) < 0) {
			qj_arena_free(e->work);
			e->work = NULL;
			break;
		}
		qj_arena_free(e->work);
		e->work = NULL;
	}
	if (e->errors || qj_ctx_oom(e->ctx))
		return NULL;
	/* headers and footers, now that the page count is known */
	e->page_count = p.dl->npages;
	for (i = 0; i < p.dl->npages; i++) {
		const master *m = p.masters[i];
		const qj_box *sq = p.seqs[i];
		qj_page *pg = p.dl->pages[i];
		const qj_box *hd = sq && sq->u.seq.header ? sq->u.seq.header : m->box->u.master.header;
		const qj_box *ft = sq && sq->u.seq.footer ? sq->u.seq.footer : m->box->u.master.footer;
		if (region(&p, i, hd, pg->area_y, QJ_REGION_HEADER) < 0 ||
		    region(&p, i, ft,
			   pg->area_y + pg->area_h - m->footer_h, QJ_REGION_FOOTER) < 0)
			return NULL;
	}
	return e->errors ? NULL : p.dl;
}
