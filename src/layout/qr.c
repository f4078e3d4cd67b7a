/* qr: the <qr data="…" size="25mm" align="…"/> flow element: a QR symbol
 * (src/code, level M) drawn as filled black rectangles, one per run of
 * dark modules in a row, with a quiet zone of 4 modules inside size. */
#include "layout-imp.h"

#include "code/code.h"

int lay_qr(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_qr_box *qb = &n->u.qr;
	double size = lay_len(qb->size, 72, w), m, ix = x;
	qj_qr *q;
	slab *s;
	int r, col;

	q = qj_qr_encode(e->ctx, e->work, qb->data, n->loc.file, n->loc.line);
	if (!q) {
		e->errors++;
		return 0;
	}
	if (size > w)
		size = w;
	if (qb->align == QJ_ALIGN_CENTER) ix = x + (w - size) / 2;
	else if (qb->align == QJ_ALIGN_RIGHT) ix = x + w - size;
	m = size / (q->size + 8);
	if (!(s = lay_slab_new(e, out, size)))
		return -1;
	s->fixed = 1;     /* rectangles only, but not a gap to drop at a break */
	s->keep_next = 1; /* with the text printed under it */
	for (r = 0; r < q->size; r++)
		for (col = 0; col < q->size; col++) {
			int run = 0;
			qj_dl_item *it;
			while (col + run < q->size && q->dark[r * q->size + col + run])
				run++;
			if (!run)
				continue;
			if (!(it = lay_item_add(e, s, QJ_DL_RECT)))
				return -1;
			it->x = ix + (4 + col) * m;
			it->y = (4 + r) * m;
			it->w = run * m;
			it->h = m;
			it->filled = 1; /* fill stays 0, 0, 0: black */
			col += run;
		}
	lay_slab_decorate(e, s);
	return 0;
}
