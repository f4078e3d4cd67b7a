/* import_cards: chapter 3 of a standard, the profession cards. A card is a
 * table flattened to lines: a label, then its value on the next lines. The
 * parser keeps the field the last label opened and places each value line
 * there; labour functions, their units (skills, tasks) and the numbered
 * abilities and knowledge go in source order, the card's fields in the
 * schema's fixed order. The order in which the card's labels come, and the
 * wording of each label, are recorded: the order shared by most cards
 * becomes <cards><field-order>, a card that differs gets its own, and a
 * label worded otherwise than in most cards is kept in label=. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "standard/import-imp.h"
#include "standard/standard.h"

enum { K_MANDATORY = 1, K_ADDITIONAL = 2 };
enum { MAX_FN = 64, MAX_CARDS = 256 };

/* The fields of <field-order>, in the schema's order. */
static const char *const field_names[] = {
	"group-code", "occupation-code", "name", "level", "sublevel",
	"typical-qualification", "qd", "other-names", "education",
	"education-options", "experience", "non-formal", "main-purpose",
	"functions", "personal-competencies", "regulations", "related",
	"conditions", "note", NULL};
enum { NFIELD = sizeof field_names / sizeof field_names[0] - 1 };

/* What was read of one card's labels: the fields in the order their
 * labels came, and each label as the source words it. */
typedef struct cardrec {
	xmlNodePtr node;
	int order[NFIELD], norder;
	const char *label[NFIELD];
} cardrec;

/* A labour function of the current card. */
typedef struct fnrec {
	xmlNodePtr node;
	int kind, n, pos, detail;
} fnrec;

typedef struct cst {
	qj_imp *im;
	xmlNodePtr cards, card;
	int card_id, card_line, provisional, closed;
	const char *closing;	/* label that closes a card, for errors */
	qj_ifield mode;		/* the field that value lines go to */
	int listname;		/* kk: value lines name the listed function */
	xmlNodePtr cur;		/* the element receiving value lines */
	xmlNodePtr fns;
	fnrec fn[MAX_FN];
	int nfn, listkind;
	fnrec *f;		/* current function */
	xmlNodePtr unit;	/* current unit */
	int units_since_list, task_list;
	xmlNodePtr list_target, list;
	xmlNodePtr orphan;	/* an empty list left behind by a heading */
	xmlNodePtr orphan_unit;	/* its unit, still without a name */
	xmlNodePtr edu, opt;
	char rel_level[64];
	int ncards;
	const char *label_src;	/* the label as written, when known */
	cardrec rec[MAX_CARDS];
	int nrec;
	cardrec *r;		/* of the current card, NULL past MAX_CARDS */
	xmlNodePtr order;	/* <cards><field-order> */
} cst;

static void set_mode(cst *c, qj_ifield mode, xmlNodePtr cur)
{
	c->mode = mode;
	c->cur = cur;
	c->listname = 0;
}

static int field_index(const char *name)
{
	int i;
	for (i = 0; field_names[i]; i++)
		if (!strcmp(field_names[i], name))
			return i;
	return -1;
}

/* The field name's label was read (as c->label_src, else as the label
 * table words it): its place in the card's order, and its wording. */
static void note_field(cst *c, const char *name, const char *label)
{
	int f = field_index(name), i;
	cardrec *r = c->r;
	if (!r || f < 0)
		return;
	for (i = 0; i < r->norder; i++)
		if (r->order[i] == f)
			return;
	r->order[r->norder++] = f;
	r->label[f] = c->label_src ? c->label_src : label;
}

static xmlNodePtr card_field(cst *c, const char *name, int line)
{
	xmlNodePtr n = qj_xml_child(c->card, name);
	return n ? n : qj_imp_el(c->im, c->card, name, line);
}

static int card_rank(const char *name)
{
	static const char *const order[] = {
		"title", "group-code", "occupation-code", "name", "level",
		"sublevel", "typical-qualification", "qd", "other-names",
		"education", "experience", "non-formal", "main-purpose", "functions",
		"personal-competencies", "regulations", "related",
		"conditions", "note", NULL};
	return qj_imp_rank(name, order);
}

static int function_rank(const char *name)
{
	if (!strcmp(name, "name"))
		return 0;
	if (!strcmp(name, "listed-name"))
		return 1;
	return !strcmp(name, "recognition") ? 3 : 2;
}

static int unit_rank(const char *name)
{
	if (!strcmp(name, "name"))
		return 0;
	return !strcmp(name, "recognition") ? 2 : 1;
}

static int educ_rank(const char *name)
{
	return !strcmp(name, "level") ? 0 : 1;
}

static char *own_text(qj_arena *a, xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s = qj_imp_clean(a, t ? (const char *)t : "",
			       t ? strlen((const char *)t) : 0);
	xmlFree(t);
	return s;
}

/* ---- closing a card ---- */

static void finish_functions(cst *c)
{
	int i;
	for (i = 0; i < c->nfn; i++) {
		xmlNodePtr f = c->fn[i].node, nm = NULL, ln = NULL, k;
		for (k = f->children; k; k = k->next) {
			if (k->type != XML_ELEMENT_NODE)
				continue;
			if (!xmlStrcmp(k->name, BAD_CAST "name"))
				nm = k;
			else if (!xmlStrcmp(k->name, BAD_CAST "listed-name"))
				ln = k;
			else if (!xmlStrcmp(k->name, BAD_CAST "unit"))
				qj_imp_reorder(k, unit_rank);
		}
		if (!nm && ln) {
			/* never detailed: the list gives its only name */
			xmlNodeSetName(ln, BAD_CAST "name");
		} else if (nm && ln) {
			char *a = own_text(c->im->a, nm), *b = own_text(c->im->a, ln);
			if (a && b && !strcmp(a, b)) {
				xmlUnlinkNode(ln);
				xmlFreeNode(ln);
			}
		} else if (!nm) {
			qj_imp_warn(c->im, c->card_line,
				    "card %d: a labour function without a name",
				    c->card_id);
			qj_imp_el(c->im, f, "name", 0);
		}
		qj_imp_reorder(f, function_rank);
	}
}

/* "education" in the card's order names the row of the level of
 * education; where that label heads the table of options instead (ru),
 * or the options follow in the same row (en), the order says so. */
static void settle_education(cst *c)
{
	cardrec *r = c->r;
	int e = field_index("education"), o = field_index("education-options");
	int i, at = -1, has_o = 0;
	int lvl = qj_xml_child(c->edu, "level") != NULL;
	int opts = qj_xml_child(c->edu, "option") != NULL;

	if (!r)
		return;
	for (i = 0; i < r->norder; i++) {
		if (r->order[i] == e)
			at = i;
		if (r->order[i] == o)
			has_o = 1;
	}
	if (at < 0 || has_o || !opts)
		return;
	if (!lvl) {
		r->order[at] = o;
		r->label[o] = r->label[e];
		r->label[e] = NULL;
		return;
	}
	memmove(&r->order[at + 2], &r->order[at + 1],
		(size_t)(r->norder - at - 1) * sizeof r->order[0]);
	r->order[at + 1] = o;
	r->norder++;
}

static void finish_card(cst *c)
{
	qj_imp *im = c->im;
	xmlNodePtr occ, n;

	if (!c->card)
		return;
	finish_functions(c);
	if (!c->fns)
		c->fns = qj_imp_el(im, c->card, "functions", 0);
	occ = qj_xml_child(c->card, "occupation-code");
	if (!occ) {
		qj_imp_warn(im, c->card_line, "card %d has no occupation code",
			    c->card_id);
		occ = qj_imp_el(im, c->card, "occupation-code", 0);
		xmlSetProp(occ, BAD_CAST "missing", BAD_CAST "true");
		xmlSetProp(occ, BAD_CAST "source", BAD_CAST "");
	} else if (!xmlHasProp(occ, BAD_CAST "missing")) {
		char *t = own_text(im->a, occ);
		if (t && !qj_standard_is_occupation_code(t)) {
			xmlNodeSetContent(occ, NULL);
			xmlSetProp(occ, BAD_CAST "missing", BAD_CAST "true");
			xmlSetProp(occ, BAD_CAST "source", BAD_CAST t);
		}
	}
	if (!qj_xml_child(c->card, "name")) {
		n = qj_xml_child(c->card, "title");
		qj_imp_warn(im, c->card_line, "card %d has no profession name%s",
			    c->card_id, n ? "; the title is used" : "");
		xmlNewTextChild(c->card, NULL, BAD_CAST "name",
				n ? BAD_CAST own_text(im->a, n) : BAD_CAST "");
	}
	if (!qj_xml_child(c->card, "level")) {
		qj_imp_err(im, c->card_line, "expected a qualification level "
			   "in card %d", c->card_id);
	}
	if (c->edu) {
		qj_imp_reorder(c->edu, educ_rank);
		settle_education(c);
	}
	qj_imp_reorder(c->card, card_rank);
	c->card = NULL;
	c->fns = NULL;
	c->nfn = 0;
	c->f = NULL;
	c->unit = NULL;
	c->list = c->list_target = NULL;
	c->edu = c->opt = NULL;
	c->rel_level[0] = 0;
	set_mode(c, IF_NONE, NULL);
}

static void open_card(cst *c, int line)
{
	c->card = qj_imp_el(c->im, c->cards, "card", line);
	c->r = NULL;
	if (c->nrec < MAX_CARDS) {
		c->r = &c->rec[c->nrec++];
		memset(c->r, 0, sizeof *c->r);
		c->r->node = c->card;
	}
	c->card_line = line;
	c->closed = 0;
	c->listkind = 0;
	c->provisional = 1;
}

static void header(cst *c, int id, const char *title, int line)
{
	qj_imp *im = c->im;
	xmlNodePtr moved[8];
	int nm = 0, i;

	/* editorial notes at the very end of the previous card introduce
	 * this one ("Пункт 15 предусматривается в редакции …") */
	if (c->card && !c->provisional) {
		xmlNodePtr k = c->card->last;
		while (k && nm < 8) {
			if (k->type == XML_TEXT_NODE) {
				k = k->prev;
				continue;
			}
			if (xmlStrcmp(k->name, BAD_CAST "editorial-note"))
				break;
			moved[nm++] = k;
			k = k->prev;
		}
		for (i = 0; i < nm; i++)
			xmlUnlinkNode(moved[i]);
		finish_card(c);
	}
	if (!c->card)
		open_card(c, line);
	c->provisional = 0;
	c->ncards++;
	c->card_id = im->lang == QJ_IMPORT_EN ? c->ncards : id;
	c->card_line = line;
	qj_imp_set_int(c->card, "id", c->card_id);
	qj_imp_set_int(c->card, "line", line);
	for (i = nm - 1; i >= 0; i--)
		xmlAddChild(c->card, moved[i]);
	if (title && *title) {
		xmlNodePtr t = qj_imp_text_el(im, c->card, "title", title, line);
		/* kk "N – қосымша", ru "N. Карточка профессии": the number the
		 * source prints (en prints none) */
		if (t && im->lang != QJ_IMPORT_EN && id > 0)
			qj_imp_set_int(t, "number", id);
	}
	set_mode(c, IF_NONE, NULL);
}

/* ---- functions, units, lists ---- */

static fnrec *new_function(cst *c, int kind, int n, int line)
{
	fnrec *r;
	if (c->nfn == MAX_FN) {
		qj_imp_warn(c->im, line, "more than %d labour functions in "
			    "card %d; the rest are merged", MAX_FN,
			    c->card_id);
		return &c->fn[MAX_FN - 1];
	}
	if (!c->fns)
		c->fns = qj_imp_el(c->im, c->card, "functions", line);
	r = &c->fn[c->nfn++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->n = n;
	r->pos = c->nfn;
	r->node = qj_imp_el(c->im, c->fns, "function", line);
	xmlSetProp(r->node, BAD_CAST "kind",
		   BAD_CAST (kind == K_ADDITIONAL ? "additional" : "mandatory"));
	if (n)
		qj_imp_set_int(r->node, "n", n);
	return r;
}

static fnrec *find_function(cst *c, int kind, int n)
{
	int i;
	for (i = 0; i < c->nfn; i++) {
		fnrec *r = &c->fn[i];
		if ((kind && r->kind != kind) || r->detail)
			continue;
		/* by its number, or by its place when the list gave none */
		if (!n || r->n == n || (!r->n && r->pos == n))
			return r;
	}
	return NULL;
}


/* "Трудовая функция N", "Labor function N:", "N-еңбек функциясы". */
static void function_heading(cst *c, const qj_imatch *m, int line)
{
	qj_imp *im = c->im;
	int kk_add = im->lang == QJ_IMPORT_KK &&
		     strstr(m->label->text, "қосымша") != NULL;
	fnrec *r;

	if (im->lang == QJ_IMPORT_KK && c->mode == IF_MANDATORY + 100 &&
	    !kk_add && !find_function(c, c->listkind, m->n)) {
		/* kk lists its functions with the heading format */
		r = new_function(c, c->listkind, m->n, line);
		c->f = r;
		c->cur = qj_imp_el(im, r->node, "listed-name", 0);
		c->listname = 1;
		if (*m->rest)
			qj_imp_append_text(c->cur, m->rest);
		return;
	}
	r = find_function(c, kk_add ? K_ADDITIONAL :
			  im->lang == QJ_IMPORT_KK ? K_MANDATORY : 0, m->n);
	if (!r)
		r = new_function(c, kk_add ? K_ADDITIONAL : K_MANDATORY,
				 m->n, line);
	/* "Білім" printed just before the next function's heading: its
	 * items follow the heading (interleaved table columns) */
	c->orphan = c->list && !c->list->children &&
		    (c->mode == IF_ABIL || c->mode == IF_KNOW) ? c->list : NULL;
	c->orphan_unit = NULL;
	if (c->unit && c->f && !c->f->detail && c->f != r &&
	    (c->mode == IF_ABIL || c->mode == IF_KNOW)) {
		/* kk: a task and its list printed before the heading of the
		 * function they belong to (interleaved table columns) */
		qj_imp_warn(im, line, "the task at line %d stands before the "
			    "heading of its labour function; moved into it",
			    qj_imp_line_of(c->unit));
		xmlUnlinkNode(c->unit);
		xmlAddChild(r->node, c->unit);
		c->orphan = c->list;
		c->orphan_unit = qj_xml_child(c->unit, "name") ? NULL : c->unit;
	}
	r->detail = 1;
	if (m->n && !r->n) {
		r->n = m->n;
		qj_imp_set_int(r->node, "n", m->n);
	}
	qj_imp_set_int(r->node, "line", line);
	c->f = r;
	c->unit = NULL;
	c->units_since_list = 0;
	c->list = c->list_target = NULL;
	set_mode(c, IF_FUNCTION, qj_imp_el(im, r->node, "name", 0));
	if (*m->rest)
		qj_imp_append_text(c->cur, m->rest);
}

static xmlNodePtr new_unit(cst *c, const char *kind, int n, int line)
{
	xmlNodePtr u;
	if (!c->f) {
		qj_imp_warn(c->im, line, "a %s outside any labour function; "
			    "a function is opened for it", kind);
		c->f = new_function(c, K_MANDATORY, 0, line);
		c->f->detail = 1;
	}
	if (n) {
		/* the source's numbering kept; a jump or repeat recorded */
		int prev = 0;
		xmlNodePtr k;
		for (k = c->f->node->last; k; k = k->prev) {
			xmlChar *v;
			if (k->type != XML_ELEMENT_NODE ||
			    xmlStrcmp(k->name, BAD_CAST "unit"))
				continue;
			v = xmlGetProp(k, BAD_CAST "n");
			prev = v ? atoi((const char *)v) : 0;
			xmlFree(v);
			break;
		}
		if (n != prev + 1) {
			xmlNodePtr g = qj_imp_el(c->im, c->f->node, "gap", 0);
			char why[80];
			qj_imp_set_int(g, "after", prev);
			snprintf(why, sizeof why, "the source numbers %s %d after %d",
				 kind, n, prev);
			xmlSetProp(g, BAD_CAST "reason", BAD_CAST why);
		}
	}
	u = qj_imp_el(c->im, c->f->node, "unit", line);
	xmlSetProp(u, BAD_CAST "kind", BAD_CAST kind);
	if (n)
		qj_imp_set_int(u, "n", n);
	c->unit = u;
	c->units_since_list++;
	return u;
}

static void unit_heading(cst *c, const qj_imatch *m, int line)
{
	const char *kind = m->label->field == IF_SKILL ? "skill" : "task";
	xmlNodePtr u = new_unit(c, kind, m->n, line);
	const char *rest = m->rest;
	qj_imatch m2;

	c->task_list = !m->n && !*rest;
	set_mode(c, IF_TASK, NULL);
	/* kk "1-міндет Біліктілік пен дағдылар:": the list label follows */
	if (*rest && qj_imp_match(c->im, rest, &m2) &&
	    m2.label->field == IF_ABIL) {
		c->task_list = 0;
		rest = "";
		c->mode = IF_ABIL + 100; /* opened below by the caller */
	}
	if (*rest) {
		c->cur = qj_imp_text_el(c->im, u, "name", rest, 0);
		c->task_list = 0;
	}
}

/* Where the abilities or knowledge that start here belong: the one unit
 * opened since the last list, or the function when several tasks share the
 * block (en), or where the previous list went. */
static void open_list(cst *c, qj_ifield which, int line)
{
	const char *name = which == IF_ABIL ? "abilities" : "knowledge";
	xmlNodePtr target, l;

	if (!c->f) {
		qj_imp_warn(c->im, line, "%s label before any labour function "
			    "of card %d; ignored", name, c->card_id);
		return;
	}
	if (c->units_since_list == 1 && c->unit)
		target = c->unit;
	else if (c->units_since_list > 1)
		target = c->f->node;
	else if (c->list_target)
		target = c->list_target;
	else
		target = c->unit ? c->unit : c->f->node;
	c->units_since_list = 0;
	c->list_target = target;
	l = NULL;
	if (target->last) {
		xmlNodePtr k = target->last;
		while (k && k->type != XML_ELEMENT_NODE)
			k = k->prev;
		if (k && !xmlStrcmp(k->name, BAD_CAST name))
			l = k; /* the same list goes on */
	}
	if (!l)
		l = qj_imp_el(c->im, target, name, line);
	else if (qj_xml_child(target, name) != l)
		l = qj_imp_el(c->im, target, name, line);
	c->list = l;
	set_mode(c, which, l);
}

static int last_n(xmlNodePtr list)
{
	xmlNodePtr k;
	for (k = list->last; k; k = k->prev) {
		xmlChar *v;
		int n;
		if (k->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(k->name, BAD_CAST "item"))
			continue;
		v = xmlGetProp(k, BAD_CAST "n");
		if (!v)
			continue;
		n = atoi((const char *)v);
		xmlFree(v);
		return n;
	}
	return 0;
}

static xmlNodePtr last_item(xmlNodePtr list)
{
	xmlNodePtr k;
	for (k = list->last; k; k = k->prev)
		if (k->type == XML_ELEMENT_NODE)
			return xmlStrcmp(k->name, BAD_CAST "item") ? NULL : k;
	return NULL;
}

/* A numbered item, with a <gap> when the source's numbering jumps. */
static void add_numbered(cst *c, xmlNodePtr list, int n, const char *text,
			 int line)
{
	int prev = last_n(list);
	xmlNodePtr it;
	if (n != prev + 1) {
		xmlNodePtr g = qj_imp_el(c->im, list, "gap", 0);
		char why[96];
		qj_imp_set_int(g, "after", prev);
		if (n > prev)
			snprintf(why, sizeof why,
				 "the source goes from %d to %d", prev, n);
		else
			snprintf(why, sizeof why,
				 "the source numbers %d after %d", n, prev);
		xmlSetProp(g, BAD_CAST "reason", BAD_CAST why);
	}
	it = qj_imp_text_el(c->im, list, "item", text, line);
	qj_imp_set_int(it, "n", n);
}

static void list_line(cst *c, const char *s, int line)
{
	qj_imp *im = c->im;
	const char *rest;
	char style;
	int n = qj_imp_number(s, &style, &rest);
	xmlNodePtr last = last_item(c->list);

	if (n && style == ')' && last &&
	    (qj_imp_ends_colon(last) || last_item(last))) {
		xmlNodePtr it = qj_imp_text_el(im, last, "item", rest, line);
		qj_imp_set_int(it, "n", n);
		return;
	}
	if (n) {
		add_numbered(c, c->list, n, rest, line);
		return;
	}
	if (!last) {
		/* kk: the task's name printed after the list label */
		if (im->wrapped && c->unit && c->list_target == c->unit &&
		    !xmlStrcmp(c->list->name, BAD_CAST "abilities")) {
			xmlNodePtr nm = qj_xml_child(c->unit, "name");
			if (!nm)
				nm = qj_imp_el(im, c->unit, "name", 0);
			qj_imp_append_text(nm, s);
			return;
		}
		qj_imp_text_el(im, c->list, "item", s, line);
		return;
	}
	if (im->wrapped) {
		xmlNodePtr in = last_item(last);
		qj_imp_append_text(in ? in : last, s);
		return;
	}
	if (xmlHasProp(last, BAD_CAST "n")) {
		char *t = own_text(im->a, last);
		char *low = qj_imp_lower_first(im->a, s,
					       qj_imp_lang_code(im->lang));
		if (qj_imp_ends_colon(last) || last_item(last)) {
			/* "1. Regulatory legal acts:" and the acts under it */
			qj_imp_text_el(im, last, "item", s, line);
			return;
		}
		if (t && !qj_imp_terminal(t) && low && !strcmp(low, s)) {
			qj_imp_append_text(last, s); /* a wrapped line */
			return;
		}
	}
	qj_imp_text_el(im, c->list, "item", s, line);
}

/* ---- the other fields ---- */

static void level_value(cst *c, const char *s, int line, int sub)
{
	xmlNodePtr lv = qj_xml_child(c->card, "level");
	char subs[128] = "";
	const char *p;
	xmlChar *old;

	if (lv && !sub && !strchr(s, '.')) {
		qj_imp_warn(c->im, line, "text after the level of card %d not "
			    "placed: '%.60s'", c->card_id, s);
		return;
	}
	if (!lv) {
		lv = qj_imp_text_el(c->im, c->card, "level", s, line);
		/* value: the first N or N-M */
		p = s;
		while (*p && !isdigit((unsigned char)*p))
			p++;
		if (isdigit((unsigned char)*p)) {
			char v[16];
			int k = 0;
			while ((isdigit((unsigned char)*p) || *p == '-') &&
			       k < 15) {
				if (*p == '-' && !isdigit((unsigned char)p[1]))
					break;
				v[k++] = *p++;
			}
			v[k] = 0;
			xmlSetProp(lv, BAD_CAST "value", BAD_CAST v);
		} else {
			qj_imp_warn(c->im, line, "card %d: level '%s' has no "
				    "number", c->card_id, s);
			xmlSetProp(lv, BAD_CAST "value", BAD_CAST "0");
		}
		if (sub)
			qj_imp_warn(c->im, line, "sub-level before the level");
	}
	/* sub-levels: every D.D in the text */
	for (p = s; *p; p++) {
		if (isdigit((unsigned char)p[0]) && p[1] == '.' &&
		    isdigit((unsigned char)p[2]) &&
		    (p == s || !isdigit((unsigned char)p[-1]))) {
			char one[8];
			snprintf(one, sizeof one, "%c.%c", p[0], p[2]);
			if (!strstr(subs, one)) {
				if (*subs)
					strcat(subs, " ");
				strcat(subs, one);
			}
		}
	}
	if (!*subs)
		return;
	old = xmlGetProp(lv, BAD_CAST "sublevels");
	if (old) {
		char all[256];
		snprintf(all, sizeof all, "%s %s", (const char *)old, subs);
		xmlSetProp(lv, BAD_CAST "sublevels", BAD_CAST all);
		xmlFree(old);
	} else {
		xmlSetProp(lv, BAD_CAST "sublevels", BAD_CAST subs);
	}
}

/* "5320-2-003 - работник …", "1210-0-040 Директор …": code and name. */
static const char *split_code(qj_arena *a, const char *s, char **code)
{
	const char *p = s;
	*code = NULL;
	if (!isdigit((unsigned char)*p))
		return s;
	while (isdigit((unsigned char)*p) || *p == '-')
		p++;
	if (p - s < 6 || (*p && *p != ' ' && *p != ';'))
		return s;
	*code = qj_arena_strndup(a, s, (size_t)(p - s));
	while (*p == ' ')
		p++;
	if (qj_imp_starts(p, "- "))
		p += 2;
	else if (qj_imp_starts(p, "– "))
		p += strlen("– ");
	return p;
}

static int is_level_token(const char *s, char *out, size_t n)
{
	const char *p = s;
	size_t k = 0;
	int any = 0;
	while (*p) {
		if (isdigit((unsigned char)*p) || *p == '.' || *p == '-') {
			any |= isdigit((unsigned char)*p) != 0;
			if (k + 1 < n)
				out[k++] = *p;
			p++;
		} else if (*p == ',' || *p == ' ') {
			if (k && out[k - 1] != ' ' && k + 1 < n)
				out[k++] = ' ';
			p++;
		} else {
			break;
		}
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = 0;
	if (!any)
		return 0;
	if (!*p)
		return 1;
	return !strcmp(p, "level") || !strcmp(p, "level.");
}

static void related_line(cst *c, const char *s, int line)
{
	char lv[64], *code;
	const char *name;
	xmlNodePtr rel = card_field(c, "related", 0), pr;

	if (is_level_token(s, lv, sizeof lv)) {
		snprintf(c->rel_level, sizeof c->rel_level, "%s", lv);
		return;
	}
	name = split_code(c->im->a, s, &code);
	pr = qj_imp_text_el(c->im, rel, "profession", name, line);
	if (*c->rel_level)
		xmlSetProp(pr, BAD_CAST "level", BAD_CAST c->rel_level);
	if (code)
		xmlSetProp(pr, BAD_CAST "code", BAD_CAST code);
}

static void other_name(cst *c, const char *s, int line)
{
	char *code;
	const char *name = split_code(c->im->a, s, &code);
	xmlNodePtr on = card_field(c, "other-names", line);
	xmlNodePtr nm = qj_imp_text_el(c->im, on, "name", name, line);
	if (code)
		xmlSetProp(nm, BAD_CAST "code", BAD_CAST code);
}

static void qd_line(cst *c, const char *s, int line)
{
	xmlNodePtr qd = card_field(c, "qd", line);
	const char *kind = "position";
	if (qj_imp_starts(s, "Order") || qj_imp_starts(s, "Typical") ||
	    qj_imp_starts(s, "Qualification directory") ||
	    strstr(s, "бұйрығы") || qj_imp_starts(s, "\""))
		kind = "document";
	else if (qj_imp_starts(s, "Not available"))
		kind = "p";
	if (c->im->wrapped && c->cur && c->cur->parent == qd &&
	    !qj_imp_terminal(own_text(c->im->a, c->cur))) {
		qj_imp_append_text(c->cur, s);
		return;
	}
	c->cur = qj_imp_text_el(c->im, qd, kind, s, line);
}

static xmlNodePtr educ_option(cst *c, int line)
{
	if (!c->edu)
		c->edu = card_field(c, "education", line);
	c->opt = qj_imp_el(c->im, c->edu, "option", line);
	return c->opt;
}

static void educ_line(cst *c, const char *s, int line)
{
	qj_imp *im = c->im;
	const char *name;
	switch (c->mode) {
	case IF_EDU:
		if (!c->edu)
			c->edu = card_field(c, "education", line);
		if (c->cur)
			qj_imp_append_text(c->cur, s);
		else
			c->cur = qj_imp_text_el(im, c->edu, "level", s, line);
		return;
	case IF_EDU_LEVEL:
		name = "level";
		break;
	case IF_EDU_SPEC:
		name = "specialty";
		break;
	default:
		name = "qualification";
		break;
	}
	if (!c->opt)
		educ_option(c, line);
	if (c->cur && !qj_imp_terminal(own_text(im->a, c->cur))) {
		qj_imp_append_text(c->cur, s); /* "учитель русского языка" + "и литературы." */
		return;
	}
	c->cur = qj_imp_text_el(im, c->opt, name, s, line);
}

/* A classifier code at the start of s (01140100, 4S09110102, 6B011,
 * 6В017): its length, or 0. */
static size_t code_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	int digits = 0;
	if (!isdigit(*p))
		return 0;
	while (*p && *p != ' ') {
		if (isdigit(*p)) {
			digits++;
			p++;
		} else if (isalpha(*p)) {
			p++;
		} else if (*p >= 0xD0 && *p <= 0xD3 && p[1]) {
			p += 2; /* a Cyrillic letter (6В…) */
		} else {
			return 0;
		}
	}
	k = (size_t)((const char *)p - s);
	return digits >= 3 && k >= 4 ? k : 0;
}

/* kk: one line of the table "Білім деңгейі: Мамандығы: Біліктілік:":
 * education levels, then fields (6B01), specialties (01140100, 6B011)
 * and qualifications (4S01140101), each code followed by its name, the
 * names wrapped over several lines. */
static void educ_link_line(cst *c, const char *s, int line)
{
	qj_imp *im = c->im;
	while (*s) {
		size_t k = code_len(s), nl;
		const char *name, *next;
		const char *el;
		char *code;
		if (!k) {
			/* text without a code: the name goes on, or a level */
			next = s;
			while (*next && !(next[0] == ' ' && code_len(next + 1)))
				next++;
			name = qj_arena_strndup(im->a, s, (size_t)(next - s));
			if (c->cur && c->opt && c->cur->parent == c->opt)
				qj_imp_append_text(c->cur, name);
			else {
				educ_option(c, line);
				c->cur = qj_imp_text_el(im, c->opt, "level", name, line);
			}
			s = *next ? next + 1 : next;
			continue;
		}
		code = qj_arena_strndup(im->a, s, k);
		nl = 0;
		{
			size_t letters = 0, i;
			for (i = 0; i < k; i++)
				letters += !isdigit((unsigned char)code[i]);
			if (letters == 0)
				el = "specialty";
			else if (k <= 5 && strlen(code) - letters <= 2)
				el = "field";
			else if (k <= 6)
				el = "specialty";
			else
				el = "qualification";
		}
		/* a new row: a specialty after a qualification, a second field */
		if (!c->opt || (!strcmp(el, "specialty") &&
				qj_xml_child(c->opt, "qualification")) ||
		    (!strcmp(el, "field") && qj_xml_child(c->opt, "field")))
			educ_option(c, line);
		s += k;
		while (*s == ' ')
			s++;
		next = s;
		while (*next && !(next[0] == ' ' && code_len(next + 1)))
			next++;
		nl = (size_t)(next - s);
		c->cur = qj_imp_text_el(im, c->opt, el,
					qj_arena_strndup(im->a, s, nl), line);
		xmlSetProp(c->cur, BAD_CAST "code", BAD_CAST code);
		s = *next ? next + 1 : next;
	}
}

static int is_header_field(qj_ifield f)
{
	return f == IF_GROUP || f == IF_OCC || f == IF_LEVEL;
}

/* ---- labels ---- */

static void field_label(cst *c, const qj_imatch *m, int line)
{
	qj_imp *im = c->im;
	qj_ifield f = m->label->field;
	xmlNodePtr n;
	const char *block = NULL;

	switch (f) {
	case IF_GROUP:
		note_field(c, "group-code", m->label->text);
		set_mode(c, f, card_field(c, "group-code", line));
		break;
	case IF_OCC:
		note_field(c, "occupation-code", m->label->text);
		set_mode(c, f, card_field(c, "occupation-code", line));
		break;
	case IF_NAME:
		note_field(c, "name", m->label->text);
		set_mode(c, f, card_field(c, "name", line));
		break;
	case IF_LEVEL:
		note_field(c, "level", m->label->text);
		set_mode(c, f, NULL);
		break;
	case IF_SUBLEVEL:
		/* its own row (ru): kept as written, "-" included */
		note_field(c, "sublevel", m->label->text);
		set_mode(c, f, card_field(c, "sublevel", line));
		break;
	case IF_TYPICAL: block = "typical-qualification"; break;
	case IF_EXPER: block = "experience"; break;
	case IF_NONFORMAL: block = "non-formal"; break;
	case IF_PURPOSE: block = "main-purpose"; break;
	case IF_PERSONAL: block = "personal-competencies"; break;
	case IF_REGS: block = "regulations"; break;
	case IF_CONDITIONS: block = "conditions"; c->closed = 1; break;
	case IF_NOTE: block = "note"; c->closed = 1; break;
	case IF_QD:
		note_field(c, "qd", m->label->text);
		set_mode(c, f, NULL);
		card_field(c, "qd", line);
		break;
	case IF_OTHER:
		note_field(c, "other-names", m->label->text);
		set_mode(c, f, NULL);
		card_field(c, "other-names", line);
		break;
	case IF_RELATED:
		note_field(c, "related", m->label->text);
		set_mode(c, f, card_field(c, "related", line));
		c->rel_level[0] = 0;
		if (im->lang == QJ_IMPORT_RU)
			c->closed = 1;
		break;
	case IF_EDU:
		/* the level of education, or (ru) the table of options
		 * under it: settled by finish_card */
		note_field(c, "education", m->label->text);
		c->edu = card_field(c, "education", line);
		set_mode(c, f, NULL);
		break;
	case IF_EDU_LINK:
		note_field(c, "education-options", m->label->text);
		c->edu = card_field(c, "education", line);
		set_mode(c, f, NULL);
		break;
	case IF_EDU_LEVEL:
		educ_option(c, line);
		set_mode(c, f, NULL);
		break;
	case IF_EDU_SPEC:
	case IF_EDU_QUAL:
		if (!c->opt || (f == IF_EDU_SPEC && qj_xml_child(c->opt, "specialty")))
			educ_option(c, line);
		set_mode(c, f, NULL);
		break;
	default:
		break;
	}
	if (block) {
		note_field(c, block, m->label->text);
		n = card_field(c, block, line);
		set_mode(c, f, n);
		if (f == IF_RECOG)
			c->cur = n;
	}
}

static void value_line(cst *c, const char *s, int line);

static void label_line(cst *c, const qj_imatch *m, int line)
{
	qj_imp *im = c->im;
	qj_ifield f = m->label->field;

	switch (f) {
	case IF_FHEAD:
		note_field(c, "functions", m->label->text);
		set_mode(c, IF_NONE, NULL);
		return;
	case IF_COLHEAD:
		return;
	case IF_MANDATORY:
	case IF_ADDITIONAL:
		note_field(c, "functions", m->label->text);
		c->listkind = f == IF_MANDATORY ? K_MANDATORY : K_ADDITIONAL;
		set_mode(c, (qj_ifield)(IF_MANDATORY + 100), NULL);
		return;
	case IF_FUNCTION:
		/* en cards 2-4 go from the education to the function's own
		 * heading, with no list of functions */
		note_field(c, "functions", m->label->text);
		function_heading(c, m, line);
		return;
	case IF_SKILL:
	case IF_TASK:
		note_field(c, "functions", m->label->text);
		unit_heading(c, m, line);
		if (c->mode == IF_ABIL + 100)
			open_list(c, IF_ABIL, line);
		return;
	case IF_ABIL:
	case IF_KNOW:
		if (c->mode == IF_MANDATORY + 100 && !c->f) {
			qj_imp_warn(im, line, "list label '%s' inside the list "
				    "of labour functions of card %d; ignored",
				    m->label->text, c->card_id);
			return;
		}
		open_list(c, f, line);
		return;
	case IF_RECOG:
		if (!c->f) {
			qj_imp_warn(im, line, "skill recognition outside a "
				    "labour function; ignored");
			set_mode(c, IF_NONE, NULL);
			return;
		}
		set_mode(c, f, qj_imp_el(im, c->f->node, "recognition", line));
		return;
	case IF_NAME:
		if (c->mode == IF_RELATED && !*m->rest)
			return; /* the column header of the related table */
		break;
	default:
		break;
	}
	field_label(c, m, line);
	if (*m->rest && f != IF_TYPICAL)
		value_line(c, m->rest, line);
}

/* ---- values ---- */

/* A line of the list of functions: one function, or (kk) the name of the
 * function just listed with the heading format. */
static void flist_value(cst *c, const char *s, int line)
{
	const char *rest;
	char style;
	int n;
	fnrec *r;

	if (c->listname && c->cur) {
		qj_imp_append_text(c->cur, s);
		return;
	}
	n = qj_imp_number(s, &style, &rest);
	r = new_function(c, c->listkind, n, line);
	qj_imp_text_el(c->im, r->node, "listed-name", n ? rest : s, 0);
}

/* A line after a function heading: its name, or (kk) the items of a list
 * left empty before the heading. */
static void fname_value(cst *c, const char *s, int line)
{
	qj_imp *im = c->im;
	int n = qj_imp_number(s, NULL, NULL);

	if (n && c->orphan) {
		qj_imp_warn(im, line, "items of the list opened at line %d "
			    "follow the heading of the next labour function "
			    "(interleaved columns); placed in that list",
			    qj_imp_line_of(c->orphan));
		c->list = c->orphan;
		c->orphan = NULL;
		set_mode(c, strcmp((const char *)c->list->name, "abilities")
			 ? IF_KNOW : IF_ABIL, c->list);
		list_line(c, s, line);
		return;
	}
	if (n)
		qj_imp_warn(im, line, "numbered text in the name of labour "
			    "function %d of card %d; kept in the name",
			    c->f ? c->f->n : 0, c->card_id);
	if (!n && c->orphan_unit && im->v[im->i].gap && c->cur->children) {
		/* the next paragraph of the cell names the task */
		c->cur = qj_imp_el(im, c->orphan_unit, "name", 0);
		c->orphan_unit = NULL;
	}
	qj_imp_append_text(c->cur, s);
}

/* A line after a task or skill label: its name, or en numbered tasks
 * after a bare "Task:". */
static void uname_value(cst *c, const char *s, int line)
{
	qj_imp *im = c->im;
	const char *rest;
	char style;
	int n = qj_imp_number(s, &style, &rest);

	if (n && c->task_list) {
		xmlNodePtr u = c->unit;
		if (qj_xml_child(u, "name"))
			u = new_unit(c, "task", 0, line);
		qj_imp_set_int(u, "n", n);
		qj_imp_text_el(im, u, "name", rest, line);
		c->cur = NULL;
		return;
	}
	if (n)
		qj_imp_warn(im, line, "numbered text in the name of a task or "
			    "skill of card %d; kept in the name", c->card_id);
	if (!c->cur)
		c->cur = qj_imp_el(im, c->unit, "name", 0);
	c->task_list = 0;
	qj_imp_append_text(c->cur, s);
}

/* The value of a one-line field: group code, occupation code, name. */
static void short_value(cst *c, const char *s, int line)
{
	if (c->cur->children && !c->im->wrapped)
		qj_imp_warn(c->im, line, "second value for a one-line field "
			    "of card %d; joined", c->card_id);
	if (c->mode == IF_OCC && (!strcmp(s, "-") || !*s)) {
		xmlSetProp(c->cur, BAD_CAST "missing", BAD_CAST "true");
		xmlSetProp(c->cur, BAD_CAST "source", BAD_CAST s);
		return;
	}
	qj_imp_append_text(c->cur, s);
}

/* A line that is not a label goes to the field the last label opened. */
static void value_line(cst *c, const char *s, int line)
{
	switch ((int)c->mode) {
	case IF_GROUP:
	case IF_OCC:
	case IF_NAME:
		short_value(c, s, line);
		return;
	case IF_LEVEL:
		level_value(c, s, line, 0);
		return;
	case IF_SUBLEVEL:
		short_value(c, s, line);
		if (strcmp(s, "-") != 0)
			level_value(c, s, line, 1);
		return;
	case IF_TYPICAL:
	case IF_EXPER:
	case IF_NONFORMAL:
	case IF_PURPOSE:
	case IF_PERSONAL:
	case IF_REGS:
	case IF_CONDITIONS:
	case IF_NOTE:
	case IF_RECOG:
		qj_imp_block_add(c->im, c->cur, s, line);
		return;
	case IF_QD:
		qd_line(c, s, line);
		return;
	case IF_OTHER:
		other_name(c, s, line);
		return;
	case IF_EDU:
	case IF_EDU_LEVEL:
	case IF_EDU_SPEC:
	case IF_EDU_QUAL:
		educ_line(c, s, line);
		return;
	case IF_RELATED:
		related_line(c, s, line);
		return;
	case IF_EDU_LINK:
		educ_link_line(c, s, line);
		return;
	case IF_MANDATORY + 100:
		flist_value(c, s, line);
		return;
	case IF_FUNCTION:
		fname_value(c, s, line);
		return;
	case IF_TASK:
		uname_value(c, s, line);
		return;
	case IF_ABIL:
	case IF_KNOW:
		list_line(c, s, line);
		return;
	default:
		qj_imp_warn(c->im, line, "text in card %d not placed: '%.60s'",
			    c->card_id, s);
		return;
	}
}

/* An editorial note: "Примечание ИЗПИ!" and the paragraph after it, or
 * "Footnote. …" on one line. */
static void ednote(cst *c, const qj_imatch *m, int line)
{
	qj_imp *im = c->im;
	const char *text = m->rest;
	int kind_en = im->lang == QJ_IMPORT_EN;
	xmlNodePtr parent = c->card ? c->card : c->cards;

	if (!*text && im->i + 1 < im->n) {
		im->i++;
		text = im->v[im->i].s;
	}
	qj_imp_ednote(im, parent, kind_en ? "footnote" : "izpi",
		      kind_en ? qj_arena_printf(im->a, "%s", text) : text, line);
}

/* A label with its own handling before the card's: editorial notes, and
 * a field of the next card printed before that card's header. */
static int early_label(cst *c, const qj_imatch *m, int line)
{
	qj_ifield f = m->label->field;
	if (f == IF_EDNOTE) {
		ednote(c, m, line);
		return 1;
	}
	if (c->card && !c->provisional && c->fns && is_header_field(f) &&
	    qj_xml_child(c->card, f == IF_GROUP ? "group-code" :
		       f == IF_OCC ? "occupation-code" : "level")) {
		qj_imp_warn(c->im, line, "'%s' of the next card stands before "
			    "its header; moved into it", m->label->text);
		finish_card(c);
		open_card(c, line);
	}
	if (!c->card) {
		qj_imp_warn(c->im, line, "label before the first card; ignored");
		return 1;
	}
	return 0;
}

/* The label at the start of s, as written: up to m->rest, without the
 * ':' and spaces after it; NULL when m->rest is not inside s. */
static const char *label_as_written(cst *c, const char *s, const qj_imatch *m)
{
	size_t n;
	if (!m->rest || m->rest < s || m->rest > s + strlen(s))
		return NULL;
	/* the typical-qualification label is the whole line (its end
	 * names the catalog: "… according to QD") */
	n = m->label->field == IF_TYPICAL ? strlen(s) : (size_t)(m->rest - s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == ':'))
		n--;
	return n ? qj_arena_strndup(c->im->a, s, n) : NULL;
}

/* One line inside the cards: a label (maybe broken over lines, or glued
 * to the end of a value) or a value. */
static void card_line(cst *c, const qj_iline *L)
{
	qj_imp *im = c->im;
	qj_imatch m;
	int consumed, at;

	c->label_src = NULL;
	if (qj_imp_match_multi(im, im->i, &m, &consumed)) {
		im->i += consumed - 1;
		if (c->card)
			label_line(c, &m, L->no);
		return;
	}
	if (qj_imp_match(im, L->s, &m)) {
		c->label_src = label_as_written(c, L->s, &m);
		if (!early_label(c, &m, L->no))
			label_line(c, &m, L->no);
		c->label_src = NULL;
		return;
	}
	if (!c->card) {
		qj_imp_warn(im, L->no, "text before the first card not placed: "
			    "'%.60s'", L->s);
		return;
	}
	at = qj_imp_match_suffix(im, L->s, &m);
	if (at > 0) {
		char *head = qj_arena_strndup(im->a, L->s, (size_t)at);
		qj_imp_warn(im, L->no, "label '%s' glued to the end of the text "
			    "before it; split", m.label->text);
		value_line(c, head, L->no);
		c->label_src = label_as_written(c, L->s + at, &m);
		label_line(c, &m, L->no);
		c->label_src = NULL;
		return;
	}
	value_line(c, L->s, L->no);
}

/* ---- the order and wording of the labels ---- */

static int same_order(const cardrec *a, const cardrec *b)
{
	return a->norder == b->norder &&
	       !memcmp(a->order, b->order, (size_t)a->norder * sizeof a->order[0]);
}

static xmlNodePtr order_el(cst *c, const cardrec *r)
{
	xmlNodePtr fo = xmlNewNode(NULL, BAD_CAST "field-order"), f;
	int i;
	if (!fo) {
		c->im->errors++;
		return NULL;
	}
	for (i = 0; i < r->norder; i++) {
		f = xmlNewChild(fo, NULL, BAD_CAST "field", NULL);
		if (!f || !xmlSetProp(f, BAD_CAST "name",
				      BAD_CAST field_names[r->order[i]])) {
			c->im->errors++;
			xmlFreeNode(fo);
			return NULL;
		}
	}
	return fo;
}

static xmlNodePtr first_element(xmlNodePtr n)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

/* The element that holds field f of card (NULL for the functions). */
static xmlNodePtr field_element(xmlNodePtr card, int f)
{
	const char *name = field_names[f];
	if (!strcmp(name, "functions"))
		return NULL;
	if (!strcmp(name, "education"))
		return qj_xml_child(qj_xml_child(card, "education"), "level");
	if (!strcmp(name, "education-options"))
		return qj_xml_child(card, "education");
	return qj_xml_child(card, name);
}

/* The usual wording of field f's label goes to the standard's order: a
 * <field> there, added at the end when no card of the majority has f. */
static int usual_label(cst *c, int f, const char *label)
{
	xmlNodePtr k, el = NULL;
	for (k = c->order->children; k && !el; k = k->next) {
		xmlChar *nm = xmlGetProp(k, BAD_CAST "name");
		if (nm && !strcmp((const char *)nm, field_names[f]))
			el = k;
		xmlFree(nm);
	}
	if (!el)
		return 0; /* only cards with an order of their own have f */
	if (!xmlSetProp(el, BAD_CAST "label", BAD_CAST label))
		c->im->errors++;
	return 1;
}

/* The order most cards share goes to <cards>, a card's own where it
 * differs. The wording of a label most cards share goes to the
 * standard's <field label=>, a card's own wording to the field's label=. */
static void emit_fields(cst *c)
{
	int i, j, f, best = 0, bestn = 0, n;
	xmlNodePtr fo, at;

	if (!c->nrec)
		return;
	if (c->nrec == MAX_CARDS)
		qj_imp_warn(c->im, c->card_line, "more than %d cards: the "
			    "order of the fields is kept for the first %d",
			    MAX_CARDS - 1, MAX_CARDS - 1);
	for (i = 0; i < c->nrec; i++) {
		for (n = 0, j = 0; j < c->nrec; j++)
			n += same_order(&c->rec[i], &c->rec[j]);
		if (n > bestn) {
			bestn = n;
			best = i;
		}
	}
	fo = order_el(c, &c->rec[best]);
	if (!fo)
		return;
	c->order = fo;
	at = first_element(c->cards);
	if (at)
		xmlAddPrevSibling(at, fo);
	else
		xmlAddChild(c->cards, fo);
	for (i = 0; i < c->nrec; i++) {
		cardrec *r = &c->rec[i];
		if (same_order(r, &c->rec[best]) || !(fo = order_el(c, r)))
			continue;
		at = qj_xml_child(r->node, "title");
		if (at)
			xmlAddNextSibling(at, fo);
		else if ((at = first_element(r->node)))
			xmlAddPrevSibling(at, fo);
		else
			xmlAddChild(r->node, fo);
	}
	for (f = 0; f < NFIELD; f++) {
		const char *usual = NULL;
		for (bestn = 0, i = 0; i < c->nrec; i++) {
			const char *l = c->rec[i].label[f];
			if (!l)
				continue;
			for (n = 0, j = 0; j < c->nrec; j++)
				n += c->rec[j].label[f] &&
				     !strcmp(c->rec[j].label[f], l);
			if (n > bestn) {
				bestn = n;
				usual = l;
			}
		}
		if (!usual || !strcmp(field_names[f], "functions"))
			continue;
		if (!usual_label(c, f, usual))
			usual = ""; /* every card says it its own way */
		for (i = 0; i < c->nrec; i++) {
			const char *l = c->rec[i].label[f];
			xmlNodePtr el = field_element(c->rec[i].node, f);
			if (l && el && strcmp(l, usual) != 0 &&
			    !xmlSetProp(el, BAD_CAST "label", BAD_CAST l))
				c->im->errors++;
		}
	}
}

/* The text must not end inside a card, nor (kk, ru) before the technical
 * data that follow the cards. */
static int check_end(cst *c)
{
	qj_imp *im = c->im;
	char where[64];

	if (im->i < im->n)
		snprintf(where, sizeof where, "the technical data at line %d",
			 im->v[im->i].no);
	else
		snprintf(where, sizeof where, "the end of the text");
	if (c->card && !c->provisional && c->mode == IF_CONDITIONS &&
	    !c->cur->children)
		c->closed = 0; /* the label without its text */
	if (!c->card || c->provisional || !c->closed) {
		qj_imp_err(im, im->i < im->n ? im->v[im->i].no : im->last_no,
			   "expected %s to close card %d (started at line %d), "
			   "found %s", c->closing, c->card_id, c->card_line,
			   where);
		return -1;
	}
	finish_card(c);
	emit_fields(c);
	if (im->lang != QJ_IMPORT_EN && im->i >= im->n) {
		qj_imp_err(im, im->last_no, "expected the technical data of "
			   "the standard (%s) after the last card, found the "
			   "end of the text",
			   im->lang == QJ_IMPORT_RU ? "'Глава 4. Технические данные'"
			   : "'Кәсіби стандарттардың техникалық сипаттамалары'");
		return -1;
	}
	return 0;
}

int qj_imp_cards(qj_imp *im)
{
	cst c;
	int id, consumed, ch;
	char *title;

	memset(&c, 0, sizeof c);
	c.im = im;
	c.cards = qj_imp_el(im, im->root, "cards", im->v[im->i].no);
	if (c.cards && im->lang != QJ_IMPORT_EN)
		xmlSetProp(c.cards, BAD_CAST "title-number",
			   BAD_CAST(im->lang == QJ_IMPORT_KK ? "appendix"
						      : "paragraph"));
	c.closing = im->lang == QJ_IMPORT_RU ? "'Связь с другими профессиями в рамках ОРК'"
		  : im->lang == QJ_IMPORT_EN ? "'Conditions (content and quality) of labor'"
		  : "'Еңбек жағдайлары' or 'Ескертпе'";
	for (; im->i < im->n; im->i++) {
		qj_iline *L = &im->v[im->i];
		if (qj_ctx_oom(im->ctx))
			return -1; /* reported once by the context */
		if (qj_imp_is_card_header(im, im->i, &id, &title, &consumed)) {
			header(&c, id, title, L->no);
			im->i += consumed - 1;
			continue;
		}
		ch = qj_imp_chapter(im, L->s);
		if (ch >= 4 || (ch && im->lang == QJ_IMPORT_RU))
			break;
		card_line(&c, L);
	}
	return check_end(&c);
}
