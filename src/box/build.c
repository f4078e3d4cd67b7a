/* build: the expanded flow (a libxml2 tree) turned into boxes. Every
 * attribute is looked up in the vocabulary table and parsed once here;
 * styles are inherited and resolved to numbers; source locations become
 * structs (the data node an element came from is in its _private field, put
 * there by the expansion). This is the only file after the template stage
 * that reads the flow's XML. */
#include "box/box.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <libxml/tree.h>

#include "text/text.h"
#include "xml/xml.h"

typedef struct builder {
	qj_ctx *ctx;
	qj_arena *arena;
	int errors;
	const char *files[8][2]; /* file names seen and their arena copies */
	int nfiles;
	qj_arena *scratch;       /* typography of one paragraph at a time */
} builder;

/* What a box inherits from its parent while it is being built. */
typedef struct scope {
	const qj_style *style;
	const qj_loc *data; /* the data the nearest ancestor came from, or NULL */
} scope;

/* Box sizes: a box is allocated up to the member of u its kind uses. */
#define BOX_SIZE(member) (offsetof(qj_box, u) + sizeof(((qj_box *)0)->u.member))
#define BOX_BASE offsetof(qj_box, u)

static const char *intern_file(builder *b, const char *f)
{
	int i;
	for (i = 0; i < b->nfiles; i++)
		if (b->files[i][0] == f)
			return b->files[i][1];
	for (i = 0; i < b->nfiles; i++)
		if (!strcmp(b->files[i][0], f))
			return b->files[i][1];
	if (b->nfiles == 8)
		return qj_arena_strdup(b->arena, f);
	b->files[b->nfiles][0] = f;
	b->files[b->nfiles][1] = qj_arena_strdup(b->arena, f);
	return b->files[b->nfiles++][1];
}

static qj_loc loc_of(builder *b, const xmlNode *n)
{
	qj_loc l;
	l.file = intern_file(b, qj_xml_file(n));
	l.line = qj_xml_line(n);
	l.col = 0;
	return l;
}

static void error_at(builder *b, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void error_at(builder *b, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qj_vdiag(b->ctx, QJ_ERROR, qj_xml_file(n), qj_xml_line(n), 0, fmt, ap);
	va_end(ap);
	b->errors++;
}

/* A new box of kind for element n (NULL: a paragraph, placed as parent),
 * appended to parent's children. */
static qj_box *new_box(builder *b, qj_box *parent, qj_box_kind kind, size_t size,
		       const xmlNode *n, const scope *sc)
{
	qj_box *x = qj_arena_alloc(b->arena, size);
	if (!x)
		return NULL;
	x->kind = kind;
	x->style = sc->style;
	if (n) {
		x->loc = loc_of(b, n);
		x->diag = x->loc;
		if (n->type == XML_ELEMENT_NODE && n->_private)
			x->diag = loc_of(b, (const xmlNode *)n->_private);
		else if (sc->data)
			x->diag = *sc->data;
	} else if (parent) {
		x->loc = parent->loc;
		x->diag = parent->diag;
	}
	if (parent) {
		if (parent->last)
			parent->last->next = x;
		else
			parent->first = x;
		parent->last = x;
	}
	return x;
}

/* The scope of x's children (n is x's element): x's style, and x's data
 * location when n came from the data, else what x inherited. */
static scope inner(const qj_box *x, const xmlNode *n, const scope *sc)
{
	scope s;
	s.style = x->style;
	s.data = n && n->_private ? &x->diag : sc->data;
	return s;
}

static const char *copy_like(builder *b, const char *s, const char *parent)
{
	return parent && !strcmp(s, parent) ? parent : qj_arena_strdup(b->arena, s);
}

/* Applies one text style attribute to st (at: where its value came from);
 * returns 1 when it was one. */
static int apply_style(builder *b, const xmlNode *n, const qj_loc *at, const qj_vattr *a,
		       const char *s, const qj_value *v, qj_style *st)
{
	switch (a->id) {
	case QJ_A_FONT:
		if (*s)
			st->family = copy_like(b, s, st->family);
		st->font_at = *at; /* an unknown family is reported here */
		return 1;
	case QJ_A_WEIGHT: st->bold = v->index == 1; return 1;
	case QJ_A_STYLE: st->italic = v->index == 1; return 1;
	case QJ_A_SIZE: {
		double sz = qj_len_resolve(v->len, st->size, st->size);
		if (sz <= 0 || sz > 400)
			error_at(b, n, "font size %.1fpt is out of range", sz);
		else
			st->size = sz;
		return 1;
	}
	case QJ_A_LINE_HEIGHT: st->leading = v->factor; return 1;
	case QJ_A_ALIGN: st->align = (qj_align)v->index; return 1;
	case QJ_A_COLOR: memcpy(st->color, v->rgb, sizeof st->color); return 1;
	case QJ_A_LANG: st->lang = copy_like(b, s, st->lang); return 1;
	case QJ_A_WIDOWS: st->widows = (int)v->num; return 1;
	case QJ_A_ORPHANS: st->orphans = (int)v->num; return 1;
	case QJ_A_HYPHENATE: st->hyphenate = (qj_hyphenate)v->index; return 1;
	case QJ_A_TYPOGRAPHY: st->typography = v->index == 0; return 1;
	default:
		return 0;
	}
}

static void apply_box(builder *b, qj_box *x, const qj_vattr *a, const char *s,
		      const qj_value *v, qj_style *st);

/* Reads every attribute of n into x (and x's style, when n has one).
 * Unknown attributes and bad values are errors. */
static int read_attrs(builder *b, const xmlNode *n, qj_box *x, const scope *sc)
{
	const char *el = (const char *)n->name;
	qj_style st = *sc->style;
	int styled = 0;
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const char *s = qj_xml_attr(n, name);
		const qj_vattr *va = qj_vocab_attr(el, name);
		qj_value v;
		qj_loc at;
		char why[200];
		if (!s)
			s = "";
		if (!va) {
			char names[600];
			qj_vocab_attr_names(el, names, sizeof names);
			error_at(b, n, "unknown attribute '%s' of <%s> (it has: %s)", name, el, names);
			continue;
		}
		if (qj_vocab_parse(va, s, &v, why, sizeof why) < 0) {
			error_at(b, n, "attribute '%s' of <%s>: '%s' %s", name, el, s, why);
			continue;
		}
		at = a->_private ? loc_of(b, (const xmlNode *)a->_private) : x->diag;
		if (apply_style(b, n, &at, va, s, &v, &st))
			styled = 1;
		else
			apply_box(b, x, va, s, &v, &st);
	}
	if (styled) {
		qj_style *ns = qj_arena_alloc(b->arena, sizeof *ns);
		if (!ns)
			return -1;
		*ns = st;
		x->style = ns;
	}
	return 0;
}

/* The box's own attributes, by meaning. */
static void apply_box(builder *b, qj_box *x, const qj_vattr *a, const char *s,
		      const qj_value *v, qj_style *st)
{
	(void)st;
	switch (x->kind) {
	case QJ_BOX_DOCUMENT:
		if (a->id == QJ_A_TITLE) x->u.doc.title = qj_arena_strdup(b->arena, s);
		else if (a->id == QJ_A_AUTHOR) x->u.doc.author = qj_arena_strdup(b->arena, s);
		else if (a->id == QJ_A_SUBJECT) x->u.doc.subject = qj_arena_strdup(b->arena, s);
		return; /* schema: the template's, nothing to print */
	case QJ_BOX_PAGE_SEQUENCE:
		x->u.seq.master = qj_arena_strdup(b->arena, s);
		return;
	case QJ_BOX_BLOCK: {
		qj_block *k = &x->u.block;
		switch (a->id) {
		case QJ_A_SPACE_BEFORE: k->space_before = v->len; break;
		case QJ_A_SPACE_AFTER: k->space_after = v->len; break;
		case QJ_A_INDENT: k->indent = v->len; break;
		case QJ_A_INDENT_RIGHT: k->indent_right = v->len; break;
		case QJ_A_PADDING: k->padding = v->len; break;
		case QJ_A_BORDER: k->border = v->len; break;
		case QJ_A_BORDER_TOP: k->border_top = v->len; break;
		case QJ_A_BORDER_BOTTOM: k->border_bottom = v->len; break;
		case QJ_A_BORDER_LEFT: k->border_left = v->len; break;
		case QJ_A_BORDER_RIGHT: k->border_right = v->len; break;
		case QJ_A_BORDER_COLOR: memcpy(k->border_color, v->rgb, sizeof v->rgb); break;
		case QJ_A_SHADING: k->shaded = 1; memcpy(k->shade, v->rgb, sizeof v->rgb); break;
		case QJ_A_KEEP_TOGETHER: k->keep_together = v->index; break;
		case QJ_A_KEEP_WITH_NEXT: k->keep_with_next = v->index; break;
		case QJ_A_BREAK_BEFORE: k->break_before = v->index; break;
		case QJ_A_BOOKMARK: k->bookmark = *s ? qj_arena_strdup(b->arena, s) : NULL; break;
		case QJ_A_BOOKMARK_LEVEL: k->bookmark_level = (int)v->num; break;
		default: break;
		}
		return;
	}
	case QJ_BOX_LIST: {
		qj_list *l = &x->u.list;
		switch (a->id) {
		case QJ_A_LIST_STYLE: l->style = (qj_list_style)v->index; break;
		case QJ_A_START: l->start = v->num; break;
		case QJ_A_LABEL_WIDTH: l->label_width = v->len; break;
		case QJ_A_ITEM_SPACE: l->item_space = v->len; break;
		case QJ_A_SPACE_BEFORE: l->space_before = v->len; break;
		case QJ_A_SPACE_AFTER: l->space_after = v->len; break;
		default: break;
		}
		return;
	}
	case QJ_BOX_ITEM:
		x->text = qj_arena_strdup(b->arena, s);
		return;
	case QJ_BOX_TABLE: {
		qj_table *t = &x->u.table;
		switch (a->id) {
		case QJ_A_WIDTHS: {
			qj_widths *w = qj_arena_alloc(b->arena, sizeof *w);
			if (w)
				*w = v->widths;
			t->widths = w;
			break;
		}
		case QJ_A_BORDER: t->border = v->len; break;
		case QJ_A_PADDING: t->padding = v->len; break;
		case QJ_A_BORDER_COLOR: memcpy(t->border_color, v->rgb, sizeof v->rgb); break;
		case QJ_A_SPACE_BEFORE: t->space_before = v->len; break;
		case QJ_A_SPACE_AFTER: t->space_after = v->len; break;
		default: break;
		}
		return;
	}
	case QJ_BOX_ROW:
		if (a->id == QJ_A_KEEP_TOGETHER) x->u.row.keep_together = v->index;
		else if (a->id == QJ_A_KEEP_WITH_NEXT) x->u.row.keep_with_next = v->index;
		return; /* shading: read by its cells */
	case QJ_BOX_CELL:
		if (a->id == QJ_A_SPAN) x->u.cell.span = (int)v->num;
		else if (a->id == QJ_A_SHADING) {
			x->u.cell.shaded = 1;
			memcpy(x->u.cell.shade, v->rgb, sizeof v->rgb);
		}
		return;
	case QJ_BOX_IMAGE:
		if (a->id == QJ_A_SRC) x->u.image.src = qj_arena_strdup(b->arena, s);
		else if (a->id == QJ_A_WIDTH) x->u.image.width = v->len;
		else if (a->id == QJ_A_HEIGHT) x->u.image.height = v->len;
		else if (a->id == QJ_A_BOX_ALIGN) x->u.image.align = (qj_align)v->index;
		return;
	case QJ_BOX_QR:
		if (a->id == QJ_A_DATA) x->u.qr.data = qj_arena_strdup(b->arena, s);
		else if (a->id == QJ_A_QR_SIZE) x->u.qr.size = v->len;
		else if (a->id == QJ_A_BOX_ALIGN) x->u.qr.align = (qj_align)v->index;
		return;
	case QJ_BOX_FRAME: {
		qj_frame_box *f = &x->u.frame;
		switch (a->id) {
		case QJ_A_WIDTH: f->width = v->len; break;
		case QJ_A_HEIGHT: f->height = v->len; break;
		case QJ_A_BORDER: f->border = v->len; break;
		case QJ_A_BORDER_COLOR: memcpy(f->color, v->rgb, sizeof v->rgb); break;
		case QJ_A_BOX_ALIGN: f->align = (qj_align)v->index; break;
		default: break;
		}
		return;
	}
	case QJ_BOX_RULE: {
		qj_rule *r = &x->u.rule;
		switch (a->id) {
		case QJ_A_THICKNESS: r->thickness = v->len; break;
		case QJ_A_WIDTH: r->width = v->len; break;
		case QJ_A_SPACE_BEFORE: r->space_before = v->len; break;
		case QJ_A_SPACE_AFTER: r->space_after = v->len; break;
		case QJ_A_BOX_ALIGN: r->align = (qj_align)v->index; break;
		case QJ_A_COLOR: memcpy(r->color, v->rgb, sizeof v->rgb); break;
		default: break;
		}
		return;
	}
	case QJ_BOX_SPACE:
		x->u.space = v->len;
		return;
	default:
		return; /* page masters are read in build_master */
	}
}

static int build_flow(builder *b, qj_box *parent, const xmlNode *first, const scope *sc);

static int is_inline(const xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return 1;
	return n->type == XML_ELEMENT_NODE &&
	       (!strcmp(name, "span") || !strcmp(name, "br") ||
		!strcmp(name, "page-number") || !strcmp(name, "page-count"));
}

/* The inline nodes [n, stop) as children of parent (a paragraph or span). */
static int build_inline(builder *b, qj_box *parent, const xmlNode *n, const xmlNode *stop,
			const scope *sc)
{
	for (; n && n != stop; n = n->next) {
		const char *name = (const char *)n->name;
		qj_box *x;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			/* lent from the flow until typeset() copies it */
			x = new_box(b, parent, QJ_BOX_TEXT, BOX_BASE, NULL, sc);
			if (!x)
				return -1;
			x->text = (const char *)n->content;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!is_inline(n)) {
			error_at(b, n, "<%s> inside <%s>: only text, <span>, <br/>, <page-number/> "
				 "and <page-count/> are allowed", name, (const char *)n->parent->name);
			continue;
		}
		x = new_box(b, parent, !strcmp(name, "span") ? QJ_BOX_SPAN : !strcmp(name, "br") ?
			    QJ_BOX_BR : !strcmp(name, "page-number") ? QJ_BOX_PAGE_NUMBER :
			    QJ_BOX_PAGE_COUNT, BOX_BASE, n, sc);
		if (!x || read_attrs(b, n, x, sc) < 0)
			return -1;
		if (x->kind == QJ_BOX_SPAN) {
			scope in = inner(x, n, sc);
			if (build_inline(b, x, n->children, NULL, &in) < 0)
				return -1;
		}
	}
	return 0;
}

/* The inline boxes of a paragraph in order, through its spans: text, and
 * the <br/>, <page-number/> and <page-count/> that end a stretch of text;
 * a NULL at the end. */
typedef struct runs {
	qj_box **box;
	size_t n, cap;
} runs;

static int runs_add(builder *b, runs *r, qj_box *x)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		qj_box **nb = qj_arena_alloc(b->scratch, cap * sizeof *nb);
		if (!nb)
			return -1;
		if (r->n)
			memcpy(nb, r->box, r->n * sizeof *nb);
		r->box = nb;
		r->cap = cap;
	}
	r->box[r->n++] = x;
	return 0;
}

static int runs_collect(builder *b, qj_box *x, runs *r)
{
	for (; x; x = x->next) {
		if (x->kind == QJ_BOX_SPAN) {
			if (runs_collect(b, x->first, r) < 0)
				return -1;
		} else if (runs_add(b, r, x) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Typography (src/text) over box[0..n), text boxes of one language kind:
 * kk and ru share their quotes, en has its own. An unsupported language
 * gets none. */
static int typeset_stretch(builder *b, qj_box **box, size_t n)
{
	const char *lang = qj_text_lang(box[0]->style->lang), **parts;
	unsigned char *keep;
	char **out;
	size_t i;
	parts = qj_arena_alloc(b->scratch, n * sizeof *parts);
	out = qj_arena_alloc(b->scratch, n * sizeof *out);
	keep = qj_arena_alloc(b->scratch, n);
	if (!parts || !out || !keep)
		return -1;
	for (i = 0; i < n; i++) {
		parts[i] = box[i]->text;
		keep[i] = !lang || !box[i]->style->typography;
	}
	if (lang && qj_text_typography_parts(b->ctx, b->scratch, parts, keep, n, lang, out) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!(box[i]->text = qj_arena_strdup(b->arena, lang ? out[i] : parts[i])))
			return -1;
	return 0;
}

static int is_en(const qj_box *x)
{
	const char *l = qj_text_lang(x->style->lang);
	return l && !strcmp(l, "en");
}

/* The text of paragraph p as it will print: white space collapsed as the
 * layout collapses it (so that the rules see one space), then typography
 * over each stretch of text, across the boxes of the stretch. The texts,
 * lent from the flow so far, are copied into the box arena. */
static int typeset(builder *b, qj_box *p)
{
	runs r = {NULL, 0, 0};
	size_t i, start;
	int last_space = 1;
	if (qj_arena_size(b->scratch) > ((size_t)1 << 20)) {
		qj_arena_free(b->scratch);
		if (!(b->scratch = qj_arena_new(b->ctx)))
			return -1;
	}
	if (runs_collect(b, p->first, &r) < 0 || runs_add(b, &r, NULL) < 0)
		return -1;
	for (i = 0; i < r.n; i++) {
		const char *s;
		char *d, *t;
		if (!r.box[i] || r.box[i]->kind != QJ_BOX_TEXT) {
			/* the layout drops spaces after a line break, keeps them
			 * after a page number */
			last_space = r.box[i] && r.box[i]->kind == QJ_BOX_BR;
			continue;
		}
		s = r.box[i]->text;
		if (!(t = d = qj_arena_alloc(b->scratch, strlen(s) + 1)))
			return -1;
		for (; *s; s++) {
			if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
				if (!last_space)
					*d++ = ' ';
				last_space = 1;
				continue;
			}
			*d++ = *s;
			last_space = 0;
		}
		*d = 0;
		r.box[i]->text = t;
	}
	for (i = start = 0; i < r.n; i++) {
		int text = r.box[i] && r.box[i]->kind == QJ_BOX_TEXT;
		if (text && (i == start || is_en(r.box[i]) == is_en(r.box[start])))
			continue;
		if (i > start && typeset_stretch(b, r.box + start, i - start) < 0)
			return -1;
		start = text ? i : i + 1;
	}
	return 0;
}

/* A box for element n with its attributes read; children are the caller's. */
static qj_box *element_box(builder *b, qj_box *parent, qj_box_kind kind, size_t size,
			   const xmlNode *n, const scope *sc)
{
	qj_box *x = new_box(b, parent, kind, size, n, sc);
	if (!x || read_attrs(b, n, x, sc) < 0)
		return NULL;
	return x;
}

static int build_row(builder *b, qj_box *table, const xmlNode *n, const scope *sc)
{
	const char *sh = qj_xml_attr(n, "shading");
	const xmlNode *c;
	qj_box *x = element_box(b, table, QJ_BOX_ROW, BOX_SIZE(row), n, sc);
	scope in;
	if (!x)
		return -1;
	in = inner(x, n, sc);
	for (c = qj_xml_child(n, NULL); c; c = qj_xml_next(c, NULL)) {
		qj_box *cell;
		scope cs;
		if (strcmp((const char *)c->name, "cell")) {
			error_at(b, c, "<%s> inside <row>: only <cell> is allowed",
				 (const char *)c->name);
			continue;
		}
		cell = new_box(b, x, QJ_BOX_CELL, BOX_SIZE(cell), c, &in);
		if (!cell)
			return -1;
		cell->u.cell.span = 1;
		if (read_attrs(b, c, cell, &in) < 0)
			return -1;
		/* a row's shading is its cells' unless they have their own */
		if (!cell->u.cell.shaded && sh) {
			qj_value v;
			char why[200];
			if (qj_vocab_parse(qj_vocab_attr("row", "shading"), sh, &v, why, sizeof why) == 0) {
				cell->u.cell.shaded = 1;
				memcpy(cell->u.cell.shade, v.rgb, sizeof v.rgb);
			}
		}
		cs = inner(cell, c, &in);
		if (build_flow(b, cell, c->children, &cs) < 0)
			return -1;
	}
	return 0;
}

/* Table children: rows, or <header>/<body> holding rows, in order. */
static int build_table(builder *b, qj_box *x, const xmlNode *n, const scope *sc)
{
	const xmlNode *c, *r;
	scope in = inner(x, n, sc);
	for (c = qj_xml_child(n, NULL); c; c = qj_xml_next(c, NULL)) {
		const char *cn = (const char *)c->name;
		qj_box *part;
		scope ps;
		if (!strcmp(cn, "row")) {
			if (build_row(b, x, c, &in) < 0)
				return -1;
			continue;
		}
		if (strcmp(cn, "header") && strcmp(cn, "body")) {
			error_at(b, c, "<%s> inside <table>: use <header>, <body> or <row>", cn);
			continue;
		}
		part = element_box(b, x, cn[0] == 'h' ? QJ_BOX_TABLE_HEADER : QJ_BOX_TABLE_BODY,
				   BOX_BASE, c, &in);
		if (!part)
			return -1;
		ps = inner(part, c, &in);
		for (r = qj_xml_child(c, NULL); r; r = qj_xml_next(r, NULL)) {
			if (strcmp((const char *)r->name, "row")) {
				error_at(b, r, "<%s> inside <%s>: only <row> is allowed",
					 (const char *)r->name, cn);
				continue;
			}
			if (build_row(b, part, r, &ps) < 0)
				return -1;
		}
	}
	return 0;
}

static int build_list(builder *b, qj_box *x, const xmlNode *n, const scope *sc)
{
	const xmlNode *c;
	scope in = inner(x, n, sc);
	for (c = qj_xml_child(n, NULL); c; c = qj_xml_next(c, NULL)) {
		qj_box *item;
		scope is;
		if (strcmp((const char *)c->name, "item")) {
			error_at(b, c, "<%s> inside <list>: only <item> is allowed",
				 (const char *)c->name);
			continue;
		}
		item = element_box(b, x, QJ_BOX_ITEM, BOX_BASE, c, &in);
		if (!item)
			return -1;
		is = inner(item, c, &in);
		if (build_flow(b, item, c->children, &is) < 0)
			return -1;
	}
	return 0;
}

/* One block-level element of the flow. */
static int build_block_level(builder *b, qj_box *parent, const xmlNode *n, const scope *sc)
{
	const char *name = (const char *)n->name;
	qj_box *x;
	scope in;
	if (!strcmp(name, "block")) {
		if (!(x = element_box(b, parent, QJ_BOX_BLOCK, BOX_SIZE(block), n, sc)))
			return -1;
		if (!x->u.block.bookmark_level)
			x->u.block.bookmark_level = 1;
		in = inner(x, n, sc);
		return build_flow(b, x, n->children, &in);
	}
	if (!strcmp(name, "list")) {
		x = new_box(b, parent, QJ_BOX_LIST, BOX_SIZE(list), n, sc);
		if (!x)
			return -1;
		x->u.list.start = 1;
		return read_attrs(b, n, x, sc) < 0 ? -1 : build_list(b, x, n, sc);
	}
	if (!strcmp(name, "table"))
		return !(x = element_box(b, parent, QJ_BOX_TABLE, BOX_SIZE(table), n, sc)) ? -1 :
		       build_table(b, x, n, sc);
	if (!strcmp(name, "image")) {
		if (!(x = element_box(b, parent, QJ_BOX_IMAGE, BOX_SIZE(image), n, sc)))
			return -1;
		if (!x->u.image.src)
			error_at(b, n, "<image> needs src");
		return 0;
	}
	if (!strcmp(name, "qr")) {
		if (!(x = element_box(b, parent, QJ_BOX_QR, BOX_SIZE(qr), n, sc)))
			return -1;
		if (!x->u.qr.data || !*x->u.qr.data)
			error_at(b, n, "<qr> needs data");
		return 0;
	}
	if (!strcmp(name, "rule")) {
		x = new_box(b, parent, QJ_BOX_RULE, BOX_SIZE(rule), n, sc);
		if (!x)
			return -1;
		memcpy(x->u.rule.color, sc->style->color, sizeof x->u.rule.color);
		return read_attrs(b, n, x, sc);
	}
	if (!strcmp(name, "box")) {
		x = new_box(b, parent, QJ_BOX_FRAME, BOX_SIZE(frame), n, sc);
		if (!x)
			return -1;
		memcpy(x->u.frame.color, sc->style->color, sizeof x->u.frame.color);
		return read_attrs(b, n, x, sc);
	}
	if (!strcmp(name, "space"))
		return element_box(b, parent, QJ_BOX_SPACE, BOX_SIZE(space), n, sc) ? 0 : -1;
	if (!strcmp(name, "page-break"))
		return element_box(b, parent, QJ_BOX_PAGE_BREAK, BOX_BASE, n, sc) ? 0 : -1;
	error_at(b, n, "unknown element <%s> in the flow", name);
	return 0;
}

/* The children of a flow container: runs of inline content become
 * paragraphs, elements become their boxes. */
static int build_flow(builder *b, qj_box *parent, const xmlNode *first, const scope *sc)
{
	const xmlNode *n = first;
	while (n) {
		if (is_inline(n)) {
			const xmlNode *stop = n;
			qj_box *p;
			int blank = 1;
			while (stop && (is_inline(stop) || stop->type != XML_ELEMENT_NODE)) {
				if (stop->type == XML_ELEMENT_NODE || (is_inline(stop) &&
				    ((const char *)stop->content)[strspn((const char *)stop->content,
									 " \t\r\n")]))
					blank = 0;
				stop = stop->next;
			}
			if (blank) { /* indentation between blocks prints nothing */
				n = stop;
				continue;
			}
			p = new_box(b, parent, QJ_BOX_PARAGRAPH, BOX_BASE, NULL, sc);
			if (!p || build_inline(b, p, n, stop, sc) < 0 || typeset(b, p) < 0)
				return -1;
			n = stop;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && build_block_level(b, parent, n, sc) < 0)
			return -1;
		if (b->errors > qj_ctx_limits(b->ctx)->max_errors)
			return -1;
		n = n->next;
	}
	return 0;
}

/* A page master: its size and margins resolved, its header and footer. */
static int build_master(builder *b, qj_box *doc, const xmlNode *n, const scope *sc)
{
	const char *names[2] = {"header", "footer"};
	qj_value v;
	char why[200];
	qj_len mg[4] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, side[4], hh = {0, 0, 0},
	       fh = {0, 0, 0}, frame = {0, 0, 0};
	double page[2] = {595.276, 841.89}, dm = 56.69;
	int landscape = 0, k, bad = b->errors;
	qj_page_master *m;
	xmlAttrPtr a;
	qj_box *x = new_box(b, doc, QJ_BOX_PAGE_MASTER, BOX_SIZE(master), n, sc);
	if (!x)
		return -1;
	m = &x->u.master;
	memset(side, 0, sizeof side);
	for (a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name, *s = qj_xml_attr(n, name);
		const qj_vattr *va = qj_vocab_attr("page-master", name);
		if (!s)
			s = "";
		if (!va) {
			char all[600];
			qj_vocab_attr_names("page-master", all, sizeof all);
			error_at(b, n, "unknown attribute '%s' of <page-master> (it has: %s)", name, all);
			continue;
		}
		if (qj_vocab_parse(va, s, &v, why, sizeof why) < 0) {
			error_at(b, n, "attribute '%s' of <page-master>: '%s' %s", name, s, why);
			continue;
		}
		switch (va->id) {
		case QJ_A_NAME: m->name = qj_arena_strdup(b->arena, s); break;
		case QJ_A_PAGE_SIZE: page[0] = v.page[0]; page[1] = v.page[1]; break;
		case QJ_A_ORIENTATION: landscape = v.index == 1; break;
		case QJ_A_MARGIN: memcpy(mg, v.lengths, sizeof mg); break;
		case QJ_A_MARGIN_TOP: side[0] = v.len; break;
		case QJ_A_MARGIN_RIGHT: side[1] = v.len; break;
		case QJ_A_MARGIN_BOTTOM: side[2] = v.len; break;
		case QJ_A_MARGIN_LEFT: side[3] = v.len; break;
		case QJ_A_HEADER_HEIGHT: hh = v.len; break;
		case QJ_A_FOOTER_HEIGHT: fh = v.len; break;
		case QJ_A_BORDER: frame = v.len; m->framed = 1; break;
		case QJ_A_BORDER_COLOR: memcpy(m->frame_color, v.rgb, sizeof v.rgb); break;
		default: break;
		}
	}
	m->width = landscape ? page[1] : page[0];
	m->height = landscape ? page[0] : page[1];
	m->mt = qj_len_resolve(side[0], qj_len_resolve(mg[0], dm, 0), 0);
	m->mr = qj_len_resolve(side[1], qj_len_resolve(mg[1], dm, 0), 0);
	m->mb = qj_len_resolve(side[2], qj_len_resolve(mg[2], dm, 0), 0);
	m->ml = qj_len_resolve(side[3], qj_len_resolve(mg[3], dm, 0), 0);
	m->frame = qj_len_resolve(frame, 0, 0);
	/* the first <header> and <footer>: drawn on every page */
	for (k = 0; k < 2; k++) {
		const xmlNode *c = qj_xml_child(n, names[k]);
		qj_box *r;
		scope in;
		if (!c)
			continue;
		r = element_box(b, NULL, QJ_BOX_REGION, BOX_BASE, c, sc);
		if (!r)
			return -1;
		in = inner(r, c, sc);
		if (build_flow(b, r, c->children, &in) < 0)
			return -1;
		if (k) m->footer = r; else m->header = r;
	}
	m->header_h = m->header ? qj_len_resolve(hh, 28, 0) : 0;
	m->footer_h = m->footer ? qj_len_resolve(fh, 28, 0) : 0;
	if (b->errors == bad && (m->height - m->mt - m->mb - m->header_h - m->footer_h < 72 ||
				 m->width - m->ml - m->mr < 72))
		error_at(b, n, "margins leave less than one inch for the body");
	return 0;
}

/* A page sequence's own <header> and <footer> (its first children of those
 * names): built as regions, then taken out of the flow that follows. */
static int build_seq_regions(builder *b, qj_box *seq, const xmlNode *n, const scope *sc)
{
	const char *names[2] = {"header", "footer"};
	int k;
	for (k = 0; k < 2; k++) {
		xmlNodePtr c = qj_xml_child(n, names[k]);
		qj_box *r;
		scope in;
		if (!c)
			continue;
		r = element_box(b, NULL, QJ_BOX_REGION, BOX_BASE, c, sc);
		if (!r)
			return -1;
		in = inner(r, c, sc);
		if (build_flow(b, r, c->children, &in) < 0)
			return -1;
		if (k) seq->u.seq.footer = r; else seq->u.seq.header = r;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	return 0;
}

static int build_document(builder *b, qj_box *x, const xmlNode *root)
{
	qj_style *st = qj_arena_alloc(b->arena, sizeof *st);
	const char *lang = qj_xml_attr(root, "lang");
	const xmlNode *n, *next;
	scope sc, in;
	int masters = 0;
	if (!st)
		return -1;
	st->family = "serif";
	st->size = 11;
	st->leading = 1.25;
	st->widows = st->orphans = 2;
	st->typography = 1;
	st->lang = lang ? qj_arena_strdup(b->arena, lang) : "kk";
	sc.style = st;
	sc.data = NULL;
	x->style = st;
	if (read_attrs(b, root, x, &sc) < 0)
		return -1;
	in = inner(x, root, &sc);
	/* page masters and sequences; nothing else at this level prints. A
	 * sequence's XML goes as soon as its boxes exist, so that a batch of
	 * thousands of pages never holds both trees whole. */
	for (n = qj_xml_child(root, NULL); n; n = next) {
		const char *name = (const char *)n->name;
		next = qj_xml_next(n, NULL);
		if (!strcmp(name, "page-master")) {
			if (build_master(b, x, n, &in) < 0)
				return -1;
			masters++;
		} else if (!strcmp(name, "page-sequence")) {
			qj_box *seq = element_box(b, x, QJ_BOX_PAGE_SEQUENCE, BOX_SIZE(seq), n, &in);
			scope ss;
			if (!seq)
				return -1;
			ss = inner(seq, n, &in);
			if (build_seq_regions(b, seq, n, &ss) < 0 ||
			    build_flow(b, seq, n->children, &ss) < 0)
				return -1;
			xmlUnlinkNode((xmlNodePtr)n);
			xmlFreeNode((xmlNodePtr)n);
		}
	}
	if (!masters && !b->errors)
		error_at(b, root, "the document has no usable <page-master>");
	return 0;
}

qj_box *qj_box_build(qj_ctx *ctx, qj_arena *arena, struct _xmlDoc *flow)
{
	builder b;
	xmlNodePtr root = xmlDocGetRootElement(flow);
	qj_box *x;
	memset(&b, 0, sizeof b);
	b.ctx = ctx;
	b.arena = arena;
	if (!root || strcmp((const char *)root->name, "document")) {
		qj_xml_error(ctx, root, "the expanded document must have <document> as root");
		return NULL;
	}
	x = qj_arena_alloc(arena, BOX_SIZE(doc));
	b.scratch = qj_arena_new(ctx);
	if (!x || !b.scratch) {
		qj_arena_free(b.scratch);
		return NULL;
	}
	x->kind = QJ_BOX_DOCUMENT;
	x->loc = x->diag = loc_of(&b, root);
	if (root->_private)
		x->diag = loc_of(&b, (const xmlNode *)root->_private);
	if (build_document(&b, x, root) < 0 || b.errors || qj_ctx_oom(ctx))
		x = NULL;
	qj_arena_free(b.scratch);
	return x;
}
