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
	const xmlNode *node;
	double width, height;
	double mt, mr, mb, ml;
	double header_h, footer_h;
} master;

typedef struct pager {
	engine *e;
	qj_dl *dl;
	int cap;
	const master **masters; /* per page */
	qj_page *page;
	double y;      /* used height of the body */
	int started;   /* the page holds content other than repeated headers */
	qj_bookmark *bm_last;
} pager;

static int parse_size(engine *e, const xmlNode *n, master *m)
{
	const char *s = qj_xml_attr(n, "size"), *o = qj_xml_attr(n, "orientation");
	if (!s || !strcmp(s, "A4")) { m->width = 595.276; m->height = 841.89; }
	else if (!strcmp(s, "A5")) { m->width = 419.528; m->height = 595.276; }
	else if (!strcmp(s, "A3")) { m->width = 841.89; m->height = 1190.551; }
	else if (!strcmp(s, "letter")) { m->width = 612; m->height = 792; }
	else {
		char a[32], b[32];
		if (sscanf(s, "%31s %31s", a, b) != 2 || lay_parse_length(a, 0, &m->width) < 0 ||
		    lay_parse_length(b, 0, &m->height) < 0 || m->width < 72 || m->height < 72) {
			qj_xml_error(e->ctx, n, "size=\"%s\" is not A3, A4, A5, letter or 'W H'", s);
			e->errors++;
			return -1;
		}
	}
	if (o && !strcmp(o, "landscape")) {
		double t = m->width;
		m->width = m->height;
		m->height = t;
	} else if (o && strcmp(o, "portrait")) {
		qj_xml_error(e->ctx, n, "orientation=\"%s\" is not portrait or landscape", o);
		e->errors++;
	}
	return 0;
}

static int read_master(engine *e, const xmlNode *n, master *m)
{
	const char *mg = qj_xml_attr(n, "margin");
	double v[4] = {56.69, 56.69, 56.69, 56.69};
	memset(m, 0, sizeof *m);
	m->node = n;
	if (parse_size(e, n, m) < 0)
		return -1;
	if (mg) {
		char t[4][32];
		int k = sscanf(mg, "%31s %31s %31s %31s", t[0], t[1], t[2], t[3]), i;
		for (i = 0; i < k; i++)
			if (lay_parse_length(t[i], 0, &v[i]) < 0) {
				qj_xml_error(e->ctx, n, "margin=\"%s\" is not 1 to 4 lengths", mg);
				e->errors++;
				return -1;
			}
		if (k == 1) v[1] = v[2] = v[3] = v[0];
		else if (k == 2) { v[2] = v[0]; v[3] = v[1]; }
		else if (k == 3) v[3] = v[1];
	}
	m->mt = lay_length(e, n, "margin-top", v[0], 0);
	m->mr = lay_length(e, n, "margin-right", v[1], 0);
	m->mb = lay_length(e, n, "margin-bottom", v[2], 0);
	m->ml = lay_length(e, n, "margin-left", v[3], 0);
	m->header_h = qj_xml_child(n, "header") ? lay_length(e, n, "header-height", 28, 0) : 0;
	m->footer_h = qj_xml_child(n, "footer") ? lay_length(e, n, "footer-height", 28, 0) : 0;
	if (m->height - m->mt - m->mb - m->header_h - m->footer_h < 72 ||
	    m->width - m->ml - m->mr < 72) {
		qj_xml_error(e->ctx, n, "margins leave less than one inch for the body");
		e->errors++;
		return -1;
	}
	return 0;
}

static int new_page(pager *p, const master *m)
{
	qj_dl *dl = p->dl;
	qj_page *pg;
	if (dl->npages >= qj_ctx_limits(p->e->ctx)->max_pages) {
		qj_xml_error(p->e->ctx, m->node, "the document needs more than %d pages (the limit)",
			     qj_ctx_limits(p->e->ctx)->max_pages);
		p->e->errors++;
		return -1;
	}
	if (dl->npages == p->cap) {
		int cap = p->cap ? p->cap * 2 : 16;
		qj_page **np = qj_arena_alloc(p->e->arena, (size_t)cap * sizeof *np);
		const master **nm = qj_arena_alloc(p->e->arena, (size_t)cap * sizeof *nm);
		if (!np || !nm)
			return -1;
		if (dl->npages) {
			memcpy(np, dl->pages, (size_t)dl->npages * sizeof *np);
			memcpy(nm, p->masters, (size_t)dl->npages * sizeof *nm);
		}
		dl->pages = np;
		p->masters = nm;
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
	dl->pages[dl->npages++] = pg;
	p->page = pg;
	p->y = 0;
	p->started = 0;
	/* a frame around the area when the master asks for one */
	if (qj_xml_attr(m->node, "border")) {
		qj_dl_item *f = qj_arena_alloc(p->e->arena, sizeof *f);
		const char *c = qj_xml_attr(m->node, "border-color");
		if (!f)
			return -1;
		f->kind = QJ_DL_RECT;
		f->stroke = lay_length(p->e, m->node, "border", 0, 0);
		f->x = pg->area_x + f->stroke / 2;
		f->y = pg->area_y + f->stroke / 2;
		f->w = pg->area_w - f->stroke;
		f->h = pg->area_h - f->stroke;
		if (c && lay_parse_color(c, f->color) < 0) {
			qj_xml_error(p->e->ctx, m->node, "border-color=\"%s\" is not a colour", c);
			p->e->errors++;
		}
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

static int place(pager *p, const slab *s)
{
	if (s->bookmark) {
		qj_bookmark *b = qj_arena_alloc(p->e->arena, sizeof *b);
		if (!b)
			return -1;
		b->page = p->dl->npages - 1;
		b->y = p->page->body_y + p->y;
		b->level = s->bookmark_level;
		b->title = s->bookmark;
		if (p->bm_last) p->bm_last->next = b; else p->dl->bookmarks = b;
		p->bm_last = b;
	}
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
	if (s->row || s->baseline >= 0 || s->bookmark || s->fixed)
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
static int region(pager *p, int page, const xmlNode *content, const style *st,
		  double top, qj_region r)
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
	if (lay_flow(e, content->children, st, pg->area_x, pg->area_w, &l) < 0)
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

static const master *find_master(engine *e, master *ms, int nm, const xmlNode *seq)
{
	const char *name = qj_xml_attr(seq, "master");
	int i;
	for (i = 0; i < nm; i++) {
		const char *mn = qj_xml_attr(ms[i].node, "name");
		if (!name || (mn && !strcmp(mn, name)))
			return &ms[i];
	}
	qj_xml_error(e->ctx, seq, "no page-master named '%s'", name ? name : "");
	e->errors++;
	return NULL;
}

qj_dl *lay_paginate(engine *e, xmlDocPtr flow)
{
	xmlNodePtr root = xmlDocGetRootElement(flow), n;
	master ms[16];
	int nm = 0, i;
	pager p;
	style st;
	const char *s;

	memset(&p, 0, sizeof p);
	p.e = e;
	p.dl = qj_arena_alloc(e->arena, sizeof *p.dl);
	if (!p.dl)
		return NULL;
	memset(&st, 0, sizeof st);
	st.family = "serif";
	st.size = 11;
	st.leading = 1.25;
	st.widows = st.orphans = 2;
	st.lang = qj_xml_attr(root, "lang") ? qj_xml_attr(root, "lang") : "kk";
	lay_style_apply(e, root, &st, &st);
	p.dl->lang = st.lang;
	p.dl->title = (s = qj_xml_attr(root, "title")) ? qj_arena_strdup(e->arena, s) : NULL;
	p.dl->author = (s = qj_xml_attr(root, "author")) ? qj_arena_strdup(e->arena, s) : NULL;
	p.dl->subject = (s = qj_xml_attr(root, "subject")) ? qj_arena_strdup(e->arena, s) : NULL;
	for (n = qj_xml_child(root, "page-master"); n; n = qj_xml_next(n, "page-master"))
		if (nm < 16 && read_master(e, n, &ms[nm]) == 0)
			nm++;
	if (!nm && !e->errors) {
		qj_xml_error(e->ctx, root, "the document has no usable <page-master>");
		e->errors++;
	}
	/* body: each page sequence starts a page */
	for (n = qj_xml_child(root, "page-sequence"); n && !e->errors; n = qj_xml_next(n, "page-sequence")) {
		const master *m = find_master(e, ms, nm, n);
		slab_list l = {NULL, NULL};
		style ss;
		if (!m)
			break;
		lay_style_apply(e, n, &st, &ss);
		e->body_h = m->height - m->mt - m->mb - m->header_h - m->footer_h;
		/* slabs live only until the sequence is paginated */
		e->work = qj_arena_new(e->ctx);
		if (!e->work)
			break;
		if (lay_flow(e, n->children, &ss, m->ml, m->width - m->ml - m->mr, &l) < 0 ||
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
		qj_page *pg = p.dl->pages[i];
		if (region(&p, i, qj_xml_child(m->node, "header"), &st, pg->area_y, QJ_REGION_HEADER) < 0 ||
		    region(&p, i, qj_xml_child(m->node, "footer"), &st,
			   pg->area_y + pg->area_h - m->footer_h, QJ_REGION_FOOTER) < 0)
			return NULL;
	}
	return e->errors ? NULL : p.dl;
}
