/* para: a paragraph of inline boxes (text, span, br, page-number, page-count)
 * measured per character through the font stage, broken into lines at the
 * opportunities ICU's line break iterator gives, words hyphenated at the
 * points of the text stage's dictionaries (justified text, narrow columns,
 * and any word wider than its line; a word is cut between grapheme clusters
 * without a hyphen only when no point fits), aligned or justified by placing
 * words ourselves, and cut into one slab per line with widow and orphan
 * control. */
#include "layout-imp.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "text/breaks.h"
#include "text/text.h"

/* Below this many ems a column is narrow: hyphenate="auto" hyphenates
 * there as in justified text (the plan's columns of 28 mm at 8.5 pt are
 * 9 em, a full A4 line at 11 pt is 45 em). */
#define NARROW_EM 30
/* Longest word (in characters, punctuation around it included) that is
 * looked up: the dictionaries take 64 letters. */
#define WORD_MAX 96

typedef struct span {
	size_t start;
	style st;
	int fstyle;
	const qj_loc *at;
} span;

typedef struct glyph {
	size_t off, len;
	uint32_t cp;
	qj_face *face;
	double adv;
	int span;
} glyph;

typedef struct para {
	engine *e;
	qj_arena *tmp; /* glyphs and breaks of this paragraph only */
	qj_buf text;
	span *spans;
	int nspans, cap;
	int last_space; /* text ends in a collapsible space */
	glyph *g;
	size_t ng;
} para;

static int push_span(para *p, const style *st, const qj_loc *at)
{
	span *s;
	if (p->nspans == p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		span *ns = qj_arena_alloc(p->tmp, (size_t)cap * sizeof *ns);
		if (!ns)
			return -1;
		if (p->nspans)
			memcpy(ns, p->spans, (size_t)p->nspans * sizeof *ns);
		p->spans = ns;
		p->cap = cap;
	}
	s = &p->spans[p->nspans++];
	s->start = p->text.len;
	s->st = *st;
	s->at = at;
	s->fstyle = lay_font_style(p->e, st, at);
	return s->fstyle < 0 ? -1 : 0;
}

/* Appends text collapsing runs of ASCII whitespace (NBSP is kept). */
static void add_text(para *p, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!p->last_space && p->text.len > 0) {
				qj_buf_putc(&p->text, ' ');
				p->last_space = 1;
			}
			continue;
		}
		qj_buf_putc(&p->text, *s);
		p->last_space = 0;
	}
}

static int collect(para *p, const qj_box *n, const style *st)
{
	for (; n; n = n->next) {
		switch (n->kind) {
		case QJ_BOX_TEXT:
			add_text(p, n->text);
			break;
		case QJ_BOX_BR:
			if (p->last_space && p->text.len) p->text.len--;
			qj_buf_putc(&p->text, '\n');
			p->last_space = 1;
			break;
		case QJ_BOX_PAGE_NUMBER:
		case QJ_BOX_PAGE_COUNT: {
			char num[16];
			snprintf(num, sizeof num, "%d", n->kind == QJ_BOX_PAGE_NUMBER ?
				 p->e->page_no : p->e->page_count);
			add_text(p, num);
			break;
		}
		case QJ_BOX_SPAN:
			/* a new style for its content, then back to ours */
			if (push_span(p, n->style, &n->diag) < 0 ||
			    collect(p, n->first, n->style) < 0 ||
			    push_span(p, st, &n->diag) < 0)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Characters that cannot be printed as written, one class each. */
enum {
	PR_OK,
	PR_NO_FONT,  /* no face has it: a missing-glyph box (warning) */
	PR_ASTRAL,   /* above U+FFFF: libharu 2.3 writes UTF-16 code units of
		      * one 16-bit unit only, the PDF loses it (warning; the
		      * rest of the text prints) */
	PR_ASTRAL_NO_FONT, /* both */
	PR_RTL,      /* right-to-left: printed left to right (warning) */
	PR_SHAPED    /* a script that needs shaping (joining, reordering) qujat
		      * does not do: printed as isolated letters (warning) */
};

static int print_class(uint32_t cp, const qj_face *face)
{
	UErrorCode err = U_ZERO_ERROR;
	UScriptCode sc;
	UCharDirection d;
	if (cp > 0xFFFF)
		return face ? PR_ASTRAL : PR_ASTRAL_NO_FONT;
	if (!face)
		return PR_NO_FONT;
	if (cp < 0x0590)
		return PR_OK;
	d = u_charDirection((UChar32)cp);
	if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC)
		return PR_RTL;
	sc = uscript_getScript((UChar32)cp, &err);
	if (U_SUCCESS(err) &&
	    (sc == USCRIPT_DEVANAGARI || sc == USCRIPT_BENGALI || sc == USCRIPT_GURMUKHI ||
	     sc == USCRIPT_GUJARATI || sc == USCRIPT_ORIYA || sc == USCRIPT_TAMIL ||
	     sc == USCRIPT_TELUGU || sc == USCRIPT_KANNADA || sc == USCRIPT_MALAYALAM ||
	     sc == USCRIPT_SINHALA || sc == USCRIPT_TIBETAN || sc == USCRIPT_MYANMAR ||
	     sc == USCRIPT_KHMER || sc == USCRIPT_MONGOLIAN || sc == USCRIPT_SYRIAC ||
	     sc == USCRIPT_THAANA || sc == USCRIPT_NKO))
		return PR_SHAPED;
	return PR_OK;
}

/* A character reported: where first, how often since. */
typedef struct warned {
	uint32_t cp; /* the key: the character, or SCRIPT_KEY + its script; 0 free */
	uint32_t first; /* the first character of the key */
	long more;
	qj_loc at;
} warned;

/* Right-to-left and shaped scripts are reported once per script. */
#define SCRIPT_KEY 0x40000000u

#define MAX_WARNED 256 /* characters reported one by one per document */

/* The slot of cp in the engine's table, NULL when the table is full. */
static warned *warned_slot(engine *e, uint32_t cp)
{
	int i;
	if (e->capwarned == 0) {
		e->warned = qj_arena_alloc(e->arena, 2 * MAX_WARNED * sizeof *e->warned);
		if (!e->warned)
			return NULL;
		e->capwarned = 2 * MAX_WARNED;
	}
	for (i = (int)((cp * 2654435761u) % (unsigned)e->capwarned);;
	     i = (i + 1) % e->capwarned) {
		if (e->warned[i].cp == cp)
			return &e->warned[i];
		if (!e->warned[i].cp)
			break;
	}
	if (e->nwarned >= MAX_WARNED)
		return NULL;
	e->nwarned++;
	e->warned[i].cp = cp;
	return &e->warned[i];
}

/* Reports cp of class k once per document (at its first place), counting
 * the occurrences after that for lay_warn_summary. */
static void report_char(para *p, int sp, uint32_t cp, int k)
{
	engine *e = p->e;
	const qj_loc *at = p->spans[sp].at;
	warned *w;
	int fresh;
	uint32_t key = cp;
	const char *script = "";
	if (k == PR_OK)
		return;
	if (k == PR_RTL || k == PR_SHAPED) {
		UErrorCode err = U_ZERO_ERROR;
		UScriptCode sc = uscript_getScript((UChar32)cp, &err);
		key = SCRIPT_KEY + (uint32_t)(U_SUCCESS(err) ? sc : 0);
		script = U_SUCCESS(err) ? uscript_getName(sc) : "?";
	}
	w = warned_slot(e, key);
	if (!w) {
		e->warn_other++;
		return;
	}
	fresh = w->more == 0 && !w->at.file && !w->at.line;
	if (!fresh) {
		w->more++;
		return;
	}
	if (at)
		w->at = *at;
	w->at.col = 1; /* marks the slot used even without a location */
	w->first = cp;
	switch (k) {
	case PR_NO_FONT:
		lay_diag(e, QJ_WARNING, at, "no font has U+%04X; it prints as a missing glyph",
			 (unsigned)cp);
		break;
	case PR_ASTRAL:
		lay_diag(e, QJ_WARNING, at, "U+%04X is above U+FFFF: the PDF writer (libharu "
			 "2.3) cannot hold it; it is left out", (unsigned)cp);
		break;
	case PR_ASTRAL_NO_FONT:
		lay_diag(e, QJ_WARNING, at, "no font has U+%04X, and above U+FFFF the PDF writer "
			 "(libharu 2.3) cannot hold it either; it is left out", (unsigned)cp);
		break;
	case PR_RTL:
		lay_diag(e, QJ_WARNING, at, "U+%04X: %s is written right to left; qujat "
			 "prints it left to right, letters unjoined", (unsigned)cp, script);
		break;
	default:
		lay_diag(e, QJ_WARNING, at, "U+%04X: %s needs shaping qujat does not do; "
			 "it prints as isolated letters", (unsigned)cp, script);
		break;
	}
}

void lay_warn_summary(engine *e)
{
	int i;
	for (i = 0; i < e->capwarned; i++) {
		const warned *w = &e->warned[i];
		if (w->cp && w->more > 0)
			lay_diag(e, QJ_WARNING, w->at.file ? &w->at : NULL,
				 w->cp >= SCRIPT_KEY ? "... and %ld more of the script of U+%04X"
						     : "... and %ld more of U+%04X",
				 w->more, (unsigned)w->first);
	}
	if (e->warn_other > 0)
		lay_diag(e, QJ_WARNING, NULL, "... and %ld more characters that cannot be "
			 "printed as written (past the first %d reported)", e->warn_other,
			 MAX_WARNED);
}

/* Decodes the text into glyphs with faces (fallback) and advances. A text
 * that has characters but would print none of them is an error. */
static int shape(para *p)
{
	size_t i = 0, len = p->text.len, visible = 0, lost = 0;
	int sp = 0;
	p->g = qj_arena_alloc(p->tmp, (len + 1) * sizeof *p->g);
	if (!p->g)
		return -1;
	while (i < len) {
		glyph *g = &p->g[p->ng];
		int k;
		while (sp + 1 < p->nspans && p->spans[sp + 1].start <= i)
			sp++;
		g->off = i;
		g->len = qj_utf8_decode(p->text.data + i, len - i, &g->cp);
		g->span = sp;
		g->face = qj_fonts_face_for(p->e->fonts, p->spans[sp].fstyle, g->cp);
		if (g->cp != '\n' && g->cp != ' ') {
			k = print_class(g->cp, g->face);
			visible++;
			lost += k == PR_NO_FONT || k == PR_ASTRAL || k == PR_ASTRAL_NO_FONT;
			report_char(p, sp, g->cp, k);
		}
		if (!g->face)
			g->face = qj_fonts_primary(p->e->fonts, p->spans[sp].fstyle);
		g->adv = g->cp == '\n' ? 0 :
			qj_face_advance(g->face, g->cp, p->spans[sp].st.size);
		i += g->len;
		p->ng++;
	}
	if (visible && lost == visible) {
		const qj_loc *at = NULL;
		size_t n = len > 60 ? 60 : len;
		int s;
		for (s = 0; s < p->nspans && !at; s++)
			at = p->spans[s].at;
		while (n < len && n > 0 && ((unsigned char)p->text.data[n] & 0xC0) == 0x80)
			n--; /* whole characters */
		lay_error(p->e, at, "the text '%.*s%s' would print as nothing: none of its "
			  "characters can be printed (see above)", (int)n, p->text.data,
			  n < len ? "..." : "");
	}
	return 0;
}

static double width_of(const para *p, size_t a, size_t b)
{
	double w = 0;
	for (; a < b; a++)
		w += p->g[a].adv;
	return w;
}

static int is_space(uint32_t cp) { return cp == ' ' || cp == '\n'; }

/* What ends a word for hyphenation: spaces, the no-break ones included
 * (Ж.<NBSP>Аймауытова is two words, and the second a name). */
static int is_word_sep(uint32_t cp)
{
	return cp == ' ' || cp == '\n' || cp == 0x00A0 || cp == 0x202F || cp == 0x2007;
}

/* The advance of the hyphen drawn at the end of a line after glyph k, and
 * its face. */
static double hyphen_adv(const para *p, size_t k, qj_face **face)
{
	const span *sp = &p->spans[p->g[k].span];
	qj_face *f = qj_fonts_face_for(p->e->fonts, sp->fstyle, '-');
	if (!f)
		f = qj_fonts_primary(p->e->fonts, sp->fstyle);
	if (face)
		*face = f;
	return qj_face_advance(f, '-', sp->st.size);
}

/* Emits one line [a, b) as a slab; last: the paragraph's last line or a
 * line ended by a hard break (never justified). */
static int emit_line(para *p, size_t a, size_t b, int last, int hyphen, double x,
		     double w, slab_list *out)
{
	engine *e = p->e;
	double asc = 0, desc = 0, lh = 0, lw, cx, extra = 0, hw = 0;
	size_t i, end = b, nspace = 0, run;
	const style *st0 = &p->spans[p->g[a < p->ng ? a : 0].span].st;
	qj_dl_item *it = NULL;
	qj_face *hface = NULL;
	slab *s;

	while (end > a && is_space(p->g[end - 1].cp))
		end--;
	for (i = a; i < (end > a ? end : a + (a < b)); i++) {
		const style *st = &p->spans[p->g[i].span].st;
		double sz = st->size;
		if (qj_face_ascent(p->g[i].face, sz) > asc) asc = qj_face_ascent(p->g[i].face, sz);
		if (qj_face_descent(p->g[i].face, sz) > desc) desc = qj_face_descent(p->g[i].face, sz);
		if (sz * st->leading > lh) lh = sz * st->leading;
	}
	if (lh == 0) {
		qj_face *f = qj_fonts_primary(e->fonts, p->spans[0].fstyle);
		lh = st0->size * st0->leading;
		asc = qj_face_ascent(f, st0->size);
		desc = qj_face_descent(f, st0->size);
	}
	if (asc + desc > lh)
		lh = asc + desc;
	hyphen = hyphen && end > a;
	if (hyphen)
		hw = hyphen_adv(p, end - 1, &hface);
	lw = width_of(p, a, end) + hw;
	for (i = a; i < end; i++)
		nspace += p->g[i].cp == ' ';
	cx = x;
	if (st0->align == QJ_ALIGN_CENTER) cx = x + (w - lw) / 2;
	else if (st0->align == QJ_ALIGN_RIGHT) cx = x + w - lw;
	else if (st0->align == QJ_ALIGN_JUSTIFY && !last && nspace)
		extra = (w - lw) / (double)nspace;
	s = lay_slab_new(e, out, lh);
	if (!s)
		return -1;
	s->baseline = (lh - asc - desc) / 2 + asc;
	/* Runs: a new one at each change of span or face, and at each space
	 * when justifying, so that words are placed one by one. */
	for (i = a; i < end; i = run) {
		const style *st = &p->spans[p->g[i].span].st;
		double rw = 0;
		size_t k;
		if (extra > 0 && p->g[i].cp == ' ') {
			cx += p->g[i].adv + extra;
			run = i + 1;
			continue;
		}
		for (run = i; run < end && p->g[run].span == p->g[i].span &&
		     p->g[run].face == p->g[i].face &&
		     !(extra > 0 && p->g[run].cp == ' '); run++)
			rw += p->g[run].adv;
		it = lay_item_add(e, s, QJ_DL_TEXT);
		if (!it)
			return -1;
		it->x = cx;
		it->y = s->baseline;
		it->w = rw;
		it->h = st->size;
		it->face = qj_face_id(p->g[i].face);
		memcpy(it->color, st->color, sizeof it->color);
		it->text = qj_arena_strndup(e->arena, p->text.data + p->g[i].off,
					    p->g[run - 1].off + p->g[run - 1].len - p->g[i].off);
		for (k = i; k < run; k++)
			qj_face_use(p->g[k].face, p->g[k].cp);
		cx += rw;
	}
	/* the hyphen of a word broken here: a real '-' at the line's end, in
	 * the run of the word when the face is the same, so that the text
	 * reads "реабилита-" */
	if (hyphen) {
		const style *st = &p->spans[p->g[end - 1].span].st;
		if (!(it && it->face == qj_face_id(hface))) {
			if (!(it = lay_item_add(e, s, QJ_DL_TEXT)))
				return -1;
			it->x = cx;
			it->y = s->baseline;
			it->h = st->size;
			it->face = qj_face_id(hface);
			memcpy(it->color, st->color, sizeof it->color);
			it->text = "";
		}
		it->text = qj_arena_printf(e->arena, "%s-", it->text);
		it->w += hw;
		qj_face_use(hface, '-');
		if (!it->text)
			return -1;
	}
	lay_slab_decorate(e, s);
	return 0;
}

/* The longest prefix of [a, b) that fits w, cut at grapheme boundaries
 * (at least one cluster). */
static size_t fit_graphemes(para *p, size_t a, size_t b, double w)
{
	qj_breaks gb;
	size_t off, len, k, gi = a, best = 0, end = a;
	double acc = 0;
	/* only the part that can fit, and a few characters to end its last
	 * cluster: a word of a million letters must not cost a million per line */
	while (end < b && acc <= w)
		acc += p->g[end++].adv;
	end = end + 16 < b ? end + 16 : b;
	acc = 0;
	b = end;
	off = p->g[a].off;
	len = p->g[b - 1].off + p->g[b - 1].len - off;
	if (qj_text_grapheme_breaks(p->tmp, p->text.data + off, len, &gb) < 0)
		return a + 1;
	for (k = 0; k < gb.n; k++) {
		size_t stop = off + gb.pos[k];
		while (gi < b && p->g[gi].off < stop)
			acc += p->g[gi++].adv;
		if (acc > w && best)
			break;
		best = gi;
	}
	return best > a ? best : a + 1;
}

/* Where the word holding [a, end) (glyphs; a word is what lies between
 * spaces) may be hyphenated so that [a, cut) and a hyphen take at most
 * avail: the rightmost such point of the text stage's dictionary for the
 * word's language, or 0 when there is none (no dictionary, hyphenate="no",
 * a word the dictionary refuses: names, codes, numbers, capitals inside). A
 * capitalized word is hyphenated only first in its paragraph or after the
 * end of a sentence; elsewhere it is taken for a name. */
static size_t hyphen_cut(para *p, size_t a, size_t end, double avail)
{
	const glyph *g = p->g;
	const span *sp = &p->spans[g[a].span];
	unsigned char pts[WORD_MAX * 4 + 1];
	const char *lang = qj_text_lang(sp->st.lang);
	size_t ws = a, we = a, off, len, k, j;
	unsigned flags = QJ_HYPHEN_NO_CAPITALIZED;
	double acc, hw;

	if (!p->e->hyph || !lang || sp->st.hyphenate == QJ_HYPHENATE_NO || end <= a + 1)
		return 0;
	while (ws > 0 && !is_word_sep(g[ws - 1].cp) && a - ws < WORD_MAX)
		ws--;
	while (we < p->ng && !is_word_sep(g[we].cp) && we - ws < WORD_MAX)
		we++;
	if ((ws > 0 && !is_word_sep(g[ws - 1].cp)) || (we < p->ng && !is_word_sep(g[we].cp)))
		return 0; /* longer than any word the dictionaries take */
	/* the first word, or the first after ". ", "! ", "? " */
	for (j = ws; j > 0 && g[j - 1].cp == ' '; j--)
		;
	if (j == 0 || g[j - 1].cp == '\n' ||
	    (j < ws && (g[j - 1].cp == '.' || g[j - 1].cp == '!' || g[j - 1].cp == '?' ||
			g[j - 1].cp == 0x2026)))
		flags = 0;
	off = g[ws].off;
	len = g[we - 1].off + g[we - 1].len - off;
	if (len >= sizeof pts ||
	    qj_hyphen_word(p->e->hyph, p->text.data + off, len, lang, flags, pts) <= 0)
		return 0;
	/* the rightmost point that fits */
	hw = hyphen_adv(p, a, NULL);
	acc = width_of(p, a, end);
	for (k = end - 1; k > a; k--) {
		acc -= g[k].adv;
		if (pts[g[k].off - off] && acc + hw <= avail + 0.01)
			return k;
	}
	return 0;
}

static int break_lines(para *p, const style *st, double x, double w, slab_list *out)
{
	qj_breaks br;
	size_t line_start = 0, k, gi = 0, nlines = 0;
	size_t *bg;
	slab *first_new = out->last;
	double lw = 0;

	if (qj_text_line_breaks(p->tmp, p->text.data, p->text.len, st->lang, &br) < 0)
		return -1;
	/* break positions as glyph indices */
	bg = qj_arena_alloc(p->tmp, (br.n + 1) * sizeof *bg);
	if (!bg)
		return -1;
	for (k = 0; k < br.n; k++) {
		while (gi < p->ng && p->g[gi].off < br.pos[k])
			gi++;
		bg[k] = gi;
	}
	gi = 0;
	for (k = 0; k < br.n; k++) {
		size_t seg_a = gi, seg_b = bg[k], seg_end = seg_b, cut;
		double sw_trim;
		while (seg_end > seg_a && is_space(p->g[seg_end - 1].cp))
			seg_end--;
		sw_trim = width_of(p, seg_a, seg_end);
		/* until the rest of the segment fits the line: hyphenate it
		 * where the line has room for a part (justified text, narrow
		 * columns, hyphenate="yes"; a word alone on its line always),
		 * else go to a new line, else (alone and too wide) cut it
		 * between graphemes */
		while (sw_trim > w - lw + 0.01 && seg_end > seg_a) {
			const style *ws = &p->spans[p->g[seg_a].span].st;
			int alone = seg_a == line_start, hyph;
			hyph = alone || ws->hyphenate == QJ_HYPHENATE_YES ||
			       (ws->hyphenate == QJ_HYPHENATE_AUTO &&
				(st->align == QJ_ALIGN_JUSTIFY || w < NARROW_EM * ws->size));
			cut = hyph ? hyphen_cut(p, seg_a, seg_end, w - lw) : 0;
			hyph = cut > 0;
			if (!cut && !alone) {
				if (emit_line(p, line_start, seg_a, 0, 0, x, w, out) < 0)
					return -1;
				nlines++;
				line_start = seg_a;
				lw = 0;
				continue;
			}
			if (!cut && (cut = fit_graphemes(p, seg_a, seg_end, w)) >= seg_end)
				break;
			if (emit_line(p, line_start, cut, 0, hyph, x, w, out) < 0)
				return -1;
			nlines++;
			sw_trim -= width_of(p, seg_a, cut);
			line_start = seg_a = cut;
			lw = 0;
		}
		lw += width_of(p, seg_a, seg_b);
		gi = seg_b;
		if (br.hard[k] && k + 1 < br.n) {
			if (emit_line(p, line_start, seg_b, 1, 0, x, w, out) < 0)
				return -1;
			nlines++;
			line_start = seg_b;
			lw = 0;
		}
	}
	if (line_start < p->ng || nlines == 0) {
		if (emit_line(p, line_start, p->ng, 1, 0, x, w, out) < 0)
			return -1;
		nlines++;
	}
	/* widows and orphans: keep the first and last lines together */
	{
		slab *s = first_new ? first_new->next : out->first;
		size_t i;
		for (i = 0; s; s = s->next, i++) {
			if (st->orphans > 1 && i + 1 < (size_t)st->orphans)
				s->keep_next = 1;
			if (st->widows > 1 && i + (size_t)st->widows >= nlines && i + 1 < nlines)
				s->keep_next = 1;
		}
	}
	return 0;
}

/* Lays out the inline boxes from first on as one paragraph. */
int lay_inline_run(engine *e, const qj_box *first, const style *st,
		   const qj_loc *at, double x, double w, slab_list *out)
{
	para p;
	int rc = 0, own = e->para_busy;
	memset(&p, 0, sizeof p);
	p.e = e;
	/* the engine's paragraph arena, emptied (a paragraph inside another
	 * gets its own) */
	if (!own) {
		if (e->para)
			qj_arena_reset(e->para);
		else
			e->para = qj_arena_new(e->ctx);
	}
	p.tmp = own ? qj_arena_new(e->ctx) : e->para;
	if (!p.tmp)
		return -1;
	if (!own)
		e->para_busy = 1;
	qj_buf_init(&p.text, e->ctx);
	if (push_span(&p, st, at) < 0 || collect(&p, first, st) < 0) {
		rc = -1;
		goto out;
	}
	while (p.text.len && p.text.data[p.text.len - 1] == ' ')
		p.text.data[--p.text.len] = 0;
	if (p.text.len && (shape(&p) < 0 || break_lines(&p, st, x, w > 1 ? w : 1, out) < 0))
		rc = -1;
out:
	qj_buf_free(&p.text);
	if (own)
		qj_arena_free(p.tmp);
	else
		e->para_busy = 0;
	return rc;
}
