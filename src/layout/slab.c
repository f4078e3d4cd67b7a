/* slab: allocation of slabs and display items, and the decorations
 * (shading, side borders) of the blocks a slab sits in. */
#include "layout-imp.h"

slab *lay_slab_new(engine *e, slab_list *l, double h)
{
	slab *s = qj_arena_alloc(e->work, sizeof *s);
	if (!s)
		return NULL;
	s->h = h;
	s->baseline = -1;
	if (l->last)
		l->last->next = s;
	else
		l->first = s;
	l->last = s;
	return s;
}

qj_dl_item *lay_item_add(engine *e, slab *s, qj_dl_kind kind)
{
	qj_dl_item *it = qj_arena_alloc(e->work, sizeof *it), *p;
	if (!it)
		return NULL;
	it->kind = kind;
	it->region = e->region;
	/* decorations first so text draws over shading: append at the end,
	 * found from the last item added (a QR code adds hundreds); items
	 * linked in elsewhere (decorations in front, a list label behind)
	 * leave it inside the list, so the walk from it still ends there */
	if (!(p = s->tail ? s->tail : s->items)) {
		s->items = it;
	} else {
		for (; p->next; p = p->next)
			;
		p->next = it;
	}
	s->tail = it;
	return it;
}

/* Adds the shading and side borders of every open block, outermost first,
 * in front of the slab's own items. */
void lay_slab_decorate(engine *e, slab *s)
{
	deco *d;
	qj_dl_item *head = NULL, *tail = NULL;
	for (d = e->deco; d; d = d->up) {
		qj_dl_item *its[3] = {NULL, NULL, NULL};
		int k, n = 0;
		if (d->shaded) {
			qj_dl_item *r = qj_arena_alloc(e->work, sizeof *r);
			if (!r) return;
			r->kind = QJ_DL_RECT; r->region = e->region;
			r->x = d->x; r->y = 0; r->w = d->w; r->h = s->h;
			r->filled = 1;
			r->fill[0] = d->shade[0]; r->fill[1] = d->shade[1]; r->fill[2] = d->shade[2];
			its[n++] = r;
		}
		if (d->bl > 0 || d->br > 0) {
			for (k = 0; k < 2; k++) {
				double bw = k ? d->br : d->bl;
				qj_dl_item *l;
				if (bw <= 0) continue;
				l = qj_arena_alloc(e->work, sizeof *l);
				if (!l) return;
				l->kind = QJ_DL_LINE; l->region = e->region;
				l->x = k ? d->x + d->w - bw / 2 : d->x + bw / 2;
				l->y = 0; l->w = 0; l->h = s->h; l->stroke = bw;
				l->color[0] = d->bcolor[0]; l->color[1] = d->bcolor[1]; l->color[2] = d->bcolor[2];
				its[n++] = l;
			}
		}
		/* outer decorations go before inner ones */
		for (k = n - 1; k >= 0; k--) {
			its[k]->next = head;
			head = its[k];
			if (!tail) tail = its[k];
		}
	}
	if (head) {
		tail->next = s->items;
		s->items = head;
	}
}

void lay_list_append(slab_list *to, slab_list *from)
{
	if (!from->first)
		return;
	if (to->last)
		to->last->next = from->first;
	else
		to->first = from->first;
	to->last = from->last;
	from->first = from->last = NULL;
}
