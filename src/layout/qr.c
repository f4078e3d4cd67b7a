/* qr: the <qr data="…" size="25mm" align="…"/> flow element: one QR item
 * of the display list (a symbol of src/code, level M, with a quiet zone of
 * 4 modules inside size), whose modules the PDF stage encodes and draws as
 * filled black rectangles, one per run of dark modules in a row. */
#include "layout-imp.h"

#include <string.h>

#include "code/code.h"

int lay_qr(engine *e, const qj_box *n, double x, double w, slab_list *out)
{
	const qj_qr_box *qb = &n->u.qr;
	double size = lay_len(qb->size, 72, w), ix = x;
	qj_dl_item *it;
	slab *s;

	if (!qj_qr_fits(qb->data)) {
		qj_error(e->ctx, n->loc.file, n->loc.line,
			 "the QR code cannot hold %zu bytes (at most 666 at level M)", strlen(qb->data));
		e->errors++;
		return 0;
	}
	if (size > w)
		size = w;
	if (qb->align == QJ_ALIGN_CENTER) ix = x + (w - size) / 2;
	else if (qb->align == QJ_ALIGN_RIGHT) ix = x + w - size;
	if (!(s = lay_slab_new(e, out, size)))
		return -1;
	s->fixed = 1;     /* rectangles only, but not a gap to drop at a break */
	s->keep_next = 1; /* with the text printed under it */
	if (!(it = lay_item_add(e, s, QJ_DL_QR)) || !(it->text = qj_arena_strdup(e->arena, qb->data)))
		return -1;
	it->x = ix;
	it->y = 0;
	it->w = it->h = size;
	it->filled = 1;
	lay_slab_decorate(e, s);
	return 0;
}
