/* style: lengths resolved against the space layout gives them, fonts of a
 * style, and diagnostics at a box's source location. The styles themselves
 * come resolved in the boxes. */
#include "layout-imp.h"

#include <stdarg.h>
#include <string.h>

double lay_len(qj_len l, double def, double base)
{
	return qj_len_resolve(l, def, base);
}

void lay_diag(engine *e, qj_severity sev, const qj_loc *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qj_vdiag(e->ctx, sev, at ? at->file : NULL, at ? at->line : 0, 0, fmt, ap);
	va_end(ap);
}

void lay_error(engine *e, const qj_loc *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qj_vdiag(e->ctx, QJ_ERROR, at ? at->file : NULL, at ? at->line : 0, 0, fmt, ap);
	va_end(ap);
	e->errors++;
}

/* The font style id for st. An unknown family is reported once, where it
 * was named (or at at when the family is the default). */
int lay_font_style(engine *e, const style *st, const qj_loc *at)
{
	int id = qj_fonts_style(e->fonts, st->family, st->bold, st->italic);
	if (id >= 0 || !at)
		return id;
	e->errors++;
	if (e->bad_font && !strcmp(e->bad_font, st->family))
		return -1; /* reported already */
	e->bad_font = st->family;
	lay_diag(e, QJ_ERROR, st->font_at.file ? &st->font_at : at,
		 "font '%s' is not in fonts.xml", st->family);
	return -1;
}
