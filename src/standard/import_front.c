/* import_front: the parts of a standard around its cards: the approving
 * act, chapter 1 (scope, terms, abbreviations), the passport (chapter 2
 * and the card list) and the technical data. Their paragraphs are told
 * apart by their numbers and a few key words of each language. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "standard/import-imp.h"
#include "text/text.h"

static int has_any(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

static int is_ednote(qj_imp *im, xmlNodePtr parent)
{
	qj_imatch m;
	const char *s = im->v[im->i].s;
	int line = im->v[im->i].no;
	if (!qj_imp_match(im, s, &m) || m.label->field != IF_EDNOTE)
		return 0;
	if (!*m.rest && im->i + 1 < im->n) {
		im->i++;
		qj_imp_ednote(im, parent, "izpi", im->v[im->i].s, line);
	} else {
		qj_imp_ednote(im, parent,
			      im->lang == QJ_IMPORT_EN ? "footnote" : "izpi",
			      m.rest, line);
	}
	return 1;
}

/* The first number after "№" or "No." from p on; 0 if none. */
static const char *number_after(qj_arena *a, const char *p, const char **end)
{
	const char *q;
	for (q = p; *q; q++) {
		const char *r = NULL;
		if (qj_imp_starts(q, "№"))
			r = q + strlen("№");
		else if (qj_imp_starts(q, "No.") || qj_imp_starts(q, "No "))
			r = q + 3;
		if (!r)
			continue;
		while (*r == ' ')
			r++;
		if (isdigit((unsigned char)*r)) {
			const char *e = r;
			while (isdigit((unsigned char)*e))
				e++;
			*end = e;
			return qj_arena_strndup(a, r, (size_t)(e - r));
		}
	}
	return NULL;
}

static void act_attrs(qj_imp *im, xmlNodePtr act, const char *sum)
{
	char d[11];
	const char *e = sum, *num;

	if (!qj_imp_find_date(sum, d, &e))
		xmlSetProp(act, BAD_CAST "date", BAD_CAST d);
	num = number_after(im->a, sum, &e);
	if (num) {
		xmlSetProp(act, BAD_CAST "number", BAD_CAST num);
		num = number_after(im->a, e, &e);
		if (num) {
			char d2[11];
			const char *start = strstr(sum, "Registered");
			if (!start)
				start = strstr(sum, "Әділет");
			if (!start)
				start = sum;
			xmlSetProp(act, BAD_CAST "registration", BAD_CAST num);
			/* the second date is the registration's */
			if (!qj_imp_find_date(start, d2, &e) && strcmp(d, d2))
				xmlSetProp(act, BAD_CAST "registered",
					   BAD_CAST d2);
		}
	}
}

static int is_summary(const char *s)
{
	static const char *const w[] = {"Приказ ", "Order of", "бұйрығы",
					"министрінің", NULL};
	char d[11];
	return has_any(s, w) || !qj_imp_find_date(s, d, NULL);
}

static int act_rank(const char *name)
{
	static const char *const o[] = {"title", "issuer", "summary",
					"translation", "body", "signature",
					"agreed", "amendments", "approval", NULL};
	return qj_imp_rank(name, o);
}

enum { A_TITLE, A_SUMMARY, A_BODY, A_SIGN, A_AGREED, A_APPROVAL };

void qj_imp_act(qj_imp *im)
{
	xmlNodePtr act, title = NULL, sum = NULL, body = NULL, blk = NULL;
	int st = A_TITLE, body_items = 0;

	act = qj_imp_el(im, im->root, "act", im->n ? im->v[0].no : 1);
	xmlSetProp(act, BAD_CAST "kind", BAD_CAST "order");
	for (; im->i < im->n && !qj_ctx_oom(im->ctx); im->i++) {
		qj_iline *L = &im->v[im->i];
		const char *s = L->s;
		int id, consumed;
		char *t;

		if (qj_imp_chapter(im, s) ||
		    qj_imp_is_card_header(im, im->i, &id, &t, &consumed))
			break;
		if (!strcmp(s, "Unofficial translation")) {
			/* printed twice in the en source; one value */
			if (!qj_xml_child(act, "translation"))
				qj_imp_text_el(im, act, "translation", s, L->no);
			continue;
		}
		if (qj_imp_starts(s, "Примечание ИЗПИ!") &&
		    im->i + 1 < im->n) {
			char d[11];
			const char *v = im->v[im->i + 1].s, *p;
			if ((p = strstr(v, "в действие с")) != NULL &&
			    !qj_imp_find_date(p, d, NULL) &&
			    !xmlHasProp(act, BAD_CAST "effective"))
				xmlSetProp(act, BAD_CAST "effective", BAD_CAST d);
		}
		if (is_ednote(im, act))
			continue;
		if (st == A_TITLE && title && is_summary(s)) {
			st = A_SUMMARY;
			sum = qj_imp_text_el(im, act, "summary", s, L->no);
			continue;
		}
		if (st == A_TITLE) {
			if (!title)
				title = qj_imp_text_el(im, act, "title", s, L->no);
			else
				qj_imp_append_text(title, s);
			continue;
		}
		if (st == A_SUMMARY && im->wrapped && !L->ind) {
			qj_imp_append_text(sum, s);
			continue;
		}
		if (st <= A_SUMMARY)
			st = A_BODY;
		if (!strcmp(s, "Министр") || qj_imp_starts(s, "Министр ") ||
		    (im->wrapped && st == A_BODY && body_items && L->ind &&
		     !strcmp(s, "Қазақстан Республикасы"))) {
			st = A_SIGN;
			blk = qj_imp_el(im, act, "signature", L->no);
		} else if (strstr(s, "КЕЛІСІЛДІ")) {
			st = A_AGREED;
			blk = qj_imp_el(im, act, "agreed", L->no);
		} else if (qj_imp_starts(s, "Приложение") ||
			   qj_imp_starts(s, "Approved")) {
			st = A_APPROVAL;
			blk = qj_imp_el(im, act, "approval", L->no);
		}
		if (st == A_BODY) {
			if (!body)
				body = qj_imp_el(im, act, "body", L->no);
			body_items |= qj_imp_number(s, NULL, NULL) != 0;
			qj_imp_block_add(im, body, s, L->no);
			continue;
		}
		if (st == A_APPROVAL &&
		    (qj_imp_starts(s, "Профессиональный стандарт") ||
		     qj_imp_ends(s, "кәсіптік стандарты")))
			continue; /* the heading of the standard itself */
		qj_imp_block_add(im, blk, s, L->no);
	}
	if (!title)
		qj_imp_el(im, act, "title", 0);
	if (sum) {
		xmlChar *t = xmlNodeGetContent(sum);
		act_attrs(im, act, (const char *)t);
		xmlFree(t);
	}
	qj_imp_reorder(act, act_rank);
}

/* ---- chapter 1 ---- */

/* The first of the separators outside parentheses, or NULL. */
static const char *sep_at_top(const char *s, const char *const *seps,
			      int nseps, size_t *seplen)
{
	const char *p;
	int depth = 0, k;
	for (p = s; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		if (depth || p == s)
			continue;
		for (k = 0; k < nseps; k++)
			if (qj_imp_starts(p, seps[k])) {
				*seplen = strlen(seps[k]);
				return p;
			}
	}
	return NULL;
}

/* "name – definition": the first en dash outside parentheses ("(далее -
 * ОРК) – документ"), else the first hyphen between spaces or glued to the
 * name ("ЦОССУ– центр", "MSE- medical"). */
static void split_term(qj_imp *im, const char *s, char **a, char **b)
{
	static const char *const dash[] = {" – ", "– ", " — "};
	static const char *const hyphen[] = {" - ", "- "};
	size_t k = 0, n = strlen(s);
	const char *p = sep_at_top(s, dash, 3, &k);

	if (!p)
		p = sep_at_top(s, hyphen, 2, &k);
	if (!p && n > 2 && s[n - 2] == ' ' && s[n - 1] == '-') {
		p = s + n - 2; /* kk: the definition wraps to the next line */
		k = 2;
	} else if (!p && qj_imp_ends(s, " –")) {
		p = s + n - strlen(" –");
		k = strlen(" –");
	}
	if (p) {
		*a = qj_arena_strndup(im->a, s, (size_t)(p - s));
		*b = qj_arena_strdup(im->a, p + k);
		while (*b && **b == ' ')
			(*b)++;
		return;
	}
	*a = qj_arena_strdup(im->a, s);
	*b = NULL;
}

static xmlNodePtr pair(qj_imp *im, xmlNodePtr parent, const char *el,
		       const char *k1, const char *k2, int n, const char *s,
		       int line)
{
	char *a, *b;
	xmlNodePtr t = qj_imp_el(im, parent, el, line);
	split_term(im, s, &a, &b);
	if (n)
		qj_imp_set_int(t, "n", n);
	qj_imp_text_el(im, t, k1, a, 0);
	if (!b)
		qj_imp_warn(im, line, "no dash between %s and %s", k1, k2);
	return qj_imp_text_el(im, t, k2, b ? b : "", 0);
}

static int general_rank(const char *name)
{
	static const char *const o[] = {"scope", "terms", "abbreviations",
					"users", NULL};
	return qj_imp_rank(name, o);
}

void qj_imp_general(qj_imp *im)
{
	static const char *const terms_w[] = {"термин", "terms", NULL};
	static const char *const abbr_w[] = {"сокращ", "abbreviation",
					     "қысқарт", NULL};
	xmlNodePtr gen = qj_imp_el(im, im->root, "general", im->v[im->i].no);
	xmlNodePtr cont = gen, scope = NULL, last = NULL;
	int mode = 0; /* 1 scope, 2 terms, 3 abbreviations */

	for (im->i++; im->i < im->n && !qj_ctx_oom(im->ctx); im->i++) {
		qj_iline *L = &im->v[im->i];
		const char *rest;
		char style;
		int n, id, consumed;
		char *t;

		if (qj_imp_chapter(im, L->s) ||
		    qj_imp_is_card_header(im, im->i, &id, &t, &consumed))
			break;
		if (is_ednote(im, cont))
			continue;
		n = qj_imp_number(L->s, &style, &rest);
		if (n && style == '.' && L->ind) {
			if (has_any(rest, terms_w) || strstr(rest, "терминдер")) {
				mode = 2;
				cont = qj_imp_el(im, gen, "terms", L->no);
				continue;
			}
			if (has_any(rest, abbr_w)) {
				mode = 3;
				cont = qj_imp_el(im, gen, "abbreviations", L->no);
				continue;
			}
			mode = 1;
			if (!scope)
				scope = qj_imp_el(im, gen, "scope", L->no);
			cont = gen;
			qj_imp_block_add(im, scope, rest, L->no);
			last = NULL;
			continue;
		}
		if (n && style == ')' && (mode == 2 || mode == 3)) {
			last = pair(im, cont, mode == 2 ? "term" : "abbr",
				    mode == 2 ? "name" : "short",
				    mode == 2 ? "definition" : "full", n, rest,
				    L->no);
			continue;
		}
		if (mode == 1) {
			qj_imp_block_add(im, scope, L->s, L->no);
			continue;
		}
		if (last && im->wrapped) {
			qj_imp_append_text(last, L->s);
			continue;
		}
		qj_imp_warn(im, L->no, "text in chapter 1 not placed: '%.60s'",
			    L->s);
	}
	qj_imp_reorder(gen, general_rank);
}

/* ---- chapter 2: passport ---- */

enum { P_NONE, P_NAME, P_CODE, P_OKED, P_PURPOSE, P_DESC, P_GROUP,
       P_SUBGROUP, P_USERS, P_CARDS };

static int passport_kind(const char *s)
{
	static const struct { const char *w; int k; } t[] = {
		{"Название профессионального стандарта", P_NAME},
		{"Name of the professional standard", P_NAME},
		{"Кәсіптік стандарттың атауы", P_NAME},
		{"Код профессионального стандарта", P_CODE},
		{"ОКЭД", P_OKED},
		{"purpose", P_PURPOSE}, {"мақсаты", P_PURPOSE},
		{"Краткое описание", P_DESC}, {"brief description", P_DESC},
		{"қысқаша сипаттамасы", P_DESC},
		{"Professional subgroup", P_SUBGROUP},
		{"Кәсіби кіші топ", P_SUBGROUP},
		{"Professional group", P_GROUP}, {"Кәсіби топ", P_GROUP},
		{"пайдаланушы", P_USERS},
		{"Перечень карточек", P_CARDS}, {"List of professions", P_CARDS},
		{"карточкалар тізімі", P_CARDS}};
	size_t i;
	for (i = 0; i < sizeof t / sizeof *t; i++)
		if (strstr(s, t[i].w))
			return t[i].k;
	return P_NONE;
}

/* kk: the key words of a point may stand on the lines its first line
 * wraps onto. */
static int passport_kind_wrapped(const qj_imp *im, const char *first)
{
	char buf[2048];
	int k;
	if (!im->wrapped)
		return P_NONE;
	snprintf(buf, sizeof buf, "%s", first);
	for (k = im->i + 1; k < im->n && k <= im->i + 2 && !im->v[k].ind; k++) {
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof buf - l, " %s", im->v[k].s);
	}
	return passport_kind(buf);
}

static const char *after_colon(const char *s)
{
	const char *p = strchr(s, ':');
	if (!p)
		return "";
	p++;
	while (*p == ' ')
		p++;
	return p;
}

/* "Индивидуальный помощник – 1-2 уровень ОРК;": title and levels. */
static void card_ref(qj_imp *im, xmlNodePtr list, int n, const char *s,
		     int line)
{
	const char *dash = NULL, *p;
	char lv[32];
	size_t k = 0;
	xmlNodePtr r;

	for (p = s; *p; p++)
		if (qj_imp_starts(p, " – ") || qj_imp_starts(p, " - "))
			dash = p;
	lv[0] = 0;
	if (dash) {
		p = dash + (dash[1] == '-' ? 3 : 1 + strlen("– "));
		while ((isdigit((unsigned char)*p) || *p == '-' || *p == '.') &&
		       k + 1 < sizeof lv)
			lv[k++] = *p++;
		lv[k] = 0;
	}
	r = qj_imp_text_el(im, list, "card-ref",
			   dash && *lv ? qj_arena_strndup(im->a, s,
					   (size_t)(dash - s)) : s, line);
	xmlSetProp(r, BAD_CAST "card", BAD_CAST "");
	if (n)
		qj_imp_set_int(r, "n", n);
	if (*lv)
		xmlSetProp(r, BAD_CAST "levels", BAD_CAST lv);
}

/* OKED: "Q Здравоохранение …" opens a section, "87.3. Предоставление …"
 * is a class of it. */
static int oked_line(qj_imp *im, xmlNodePtr oked, const char *s, int line)
{
	const char *p = s;
	xmlNodePtr sec;
	if (isupper((unsigned char)p[0]) && p[1] == ' ') {
		sec = qj_imp_el(im, oked, "section", line);
		xmlSetProp(sec, BAD_CAST "code", BAD_CAST qj_arena_strndup(im->a, s, 1));
		qj_imp_text_el(im, sec, "name", s + 2, 0);
		return 1;
	}
	while (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1])))
		p++;
	if (p - s < 2 || (*p != '.' && *p != ' '))
		return 0;
	sec = oked->last;
	while (sec && sec->type != XML_ELEMENT_NODE)
		sec = sec->prev;
	if (!sec) {
		qj_imp_warn(im, line, "OKED class before any section");
		return 1;
	}
	{
		char *code = qj_arena_strndup(im->a, s, (size_t)(p - s));
		xmlNodePtr cl;
		if (*p == '.')
			p++;
		while (*p == ' ')
			p++;
		cl = qj_imp_text_el(im, sec, "class", p, line);
		xmlSetProp(cl, BAD_CAST "code", BAD_CAST code);
	}
	return 1;
}

static int passport_rank(const char *name)
{
	static const char *const o[] = {"name", "code", "oked", "purpose",
					"description", "group", "users",
					"subgroup", "card-list", NULL};
	return qj_imp_rank(name, o);
}

typedef struct pst {
	qj_imp *im;
	xmlNodePtr pas, cur, list;
	int mode, kk_card;
} pst;

/* A numbered paragraph of the passport opens the field its words name. */
static void pas_open(pst *p, int k, const char *rest, int line)
{
	qj_imp *im = p->im;
	/* "5. Код …: Q88100061." gives its value after the colon; a point
	 * without a colon is all value (kk 7) */
	const char *v = strchr(rest, ':') ? after_colon(rest) : rest;

	p->mode = k;
	switch (k) {
	case P_NAME:
	case P_CODE:
		p->cur = qj_imp_text_el(im, p->pas, k == P_NAME ? "name" : "code",
					qj_imp_unquote(im->a, v), line);
		break;
	case P_OKED:
		p->cur = qj_imp_el(im, p->pas, "oked", line);
		break;
	case P_PURPOSE:
	case P_DESC:
	case P_USERS:
		p->cur = qj_imp_el(im, p->pas, k == P_PURPOSE ? "purpose" :
				   k == P_DESC ? "description" : "users", line);
		qj_imp_block_add(im, p->cur, v, line);
		break;
	case P_CARDS:
		p->list = p->cur = qj_imp_el(im, p->pas, "card-list", line);
		break;
	default:
		p->cur = NULL;
		break;
	}
}

/* kk: "Осы кәсіптік стандартқа сәйкес 4.1 кіші деңгей СБШ бойынша
 * 1-қосымшаға" and the title on the next line. */
static void pas_kk_card(pst *p, const qj_iline *L)
{
	const char *q = strstr(L->s, "-қосымшаға"), *d;
	char lv[8] = "";

	while (q > L->s && isdigit((unsigned char)q[-1]))
		q--;
	p->kk_card = atoi(q);
	for (d = L->s; *d; d++)
		if (isdigit((unsigned char)d[0]) && d[1] == '.' &&
		    isdigit((unsigned char)d[2])) {
			snprintf(lv, sizeof lv, "%.3s", d);
			break;
		}
	p->cur = qj_imp_el(p->im, p->list, "card-ref", L->no);
	qj_imp_set_int(p->cur, "card", p->kk_card);
	if (*lv)
		xmlSetProp(p->cur, BAD_CAST "levels", BAD_CAST lv);
}

/* A line of the list of cards; 1 when placed. */
static int pas_cards_line(pst *p, const qj_iline *L)
{
	qj_imp *im = p->im;
	const char *rest;
	char style;
	int n = qj_imp_number(L->s, &style, &rest);

	if (n && style == ')') {
		card_ref(im, p->list, n, rest, L->no);
		return 1;
	}
	if (im->wrapped && strstr(L->s, "-қосымшаға")) {
		pas_kk_card(p, L);
		return 1;
	}
	if (im->wrapped && p->kk_card && p->cur &&
	    !xmlStrcmp(p->cur->name, BAD_CAST "card-ref") && !p->cur->children) {
		xmlNodeAddContent(p->cur, BAD_CAST L->s);
		return 1;
	}
	if (qj_imp_starts(L->s, "Annex to ")) {
		/* the stamp of the annex that holds the cards: no place in
		 * the vocabulary */
		qj_imp_warn(im, L->no, "annex stamp not placed: '%.60s'", L->s);
		while (im->i + 1 < im->n && !im->v[im->i + 1].gap)
			im->i++;
		return 1;
	}
	if (!im->wrapped) {
		qj_imp_text_el(im, p->list, "p", L->s, L->no);
		return 1;
	}
	return 0;
}

/* A line that continues the open field; 1 when placed. */
static int pas_line(pst *p, const qj_iline *L)
{
	qj_imp *im = p->im;
	switch (p->mode) {
	case P_NAME:
		if (im->wrapped) { /* the name wrapped over lines */
			xmlChar *o = xmlNodeGetContent(p->cur);
			char *j = qj_imp_join(im->a, (const char *)o, L->s);
			xmlFree(o);
			xmlNodeSetContent(p->cur, BAD_CAST qj_imp_unquote(im->a, j));
			return 1;
		}
		return 0;
	case P_OKED:
		return oked_line(im, p->cur, L->s, L->no);
	case P_PURPOSE:
	case P_DESC:
	case P_USERS:
		qj_imp_block_add(im, p->cur, L->s, L->no);
		return 1;
	case P_GROUP:
	case P_SUBGROUP:
		if (im->wrapped && p->cur && !L->ind) {
			qj_imp_append_text(p->cur, L->s);
			return 1;
		}
		p->cur = qj_imp_text_el(im, p->pas, p->mode == P_GROUP ? "group" :
					"subgroup", L->s, L->no);
		return 1;
	case P_CARDS:
		return pas_cards_line(p, L);
	default:
		return 0;
	}
}

void qj_imp_passport(qj_imp *im)
{
	pst p;

	memset(&p, 0, sizeof p);
	p.im = im;
	p.pas = qj_imp_el(im, im->root, "passport", im->v[im->i].no);
	for (; im->i < im->n && !qj_ctx_oom(im->ctx); im->i++) {
		qj_iline *L = &im->v[im->i];
		const char *rest;
		char style, *t;
		int n, k, id, consumed;

		if (qj_imp_is_card_header(im, im->i, &id, &t, &consumed))
			break;
		if (qj_imp_chapter(im, L->s))
			continue;
		if (is_ednote(im, p.list && p.mode == P_CARDS ? p.list : p.pas))
			continue;
		n = qj_imp_number(L->s, &style, &rest);
		/* "87.3. …" within OKED is a class, "7. Краткое …" a point */
		if (n && style == '.' && p.mode == P_OKED && n >= 10 &&
		    oked_line(im, p.cur, L->s, L->no))
			continue;
		if (n && style == '.' && n < 30 &&
		    ((k = passport_kind(rest)) != P_NONE ||
		     (k = passport_kind_wrapped(im, rest)) != P_NONE)) {
			pas_open(&p, k, rest, L->no);
			continue;
		}
		if (!pas_line(&p, L))
			qj_imp_warn(im, L->no, "text in the passport not placed: "
				    "'%.60s'", L->s);
	}
	if (!qj_xml_child(p.pas, "name")) {
		qj_imp_warn(im, qj_imp_line_of(p.pas), "the passport gives no "
			    "name of the standard");
		qj_imp_el(im, p.pas, "name", 0);
	}
	qj_imp_reorder(p.pas, passport_rank);
}

/* ---- card references, after the cards ---- */

/* a, and the first bn bytes of b, are equal under case folding. */
static int fold_eq(qj_imp *im, const char *a, const char *b, size_t bn)
{
	return qj_text_equal_fold(im->ctx, a, strlen(a), b, bn);
}

/* Cards whose title (or name) is the listed title, or starts with it and
 * goes on with " (": their ids, space-separated. */
static void resolve_one(qj_imp *im, xmlNodePtr ref, xmlNodePtr cards,
			int index)
{
	char ids[256] = "";
	int pass, nth = 0;
	xmlNodePtr c;
	xmlChar *t = xmlNodeGetContent(ref);
	char *want = qj_imp_unquote(im->a, (const char *)t);
	size_t wl;

	xmlFree(t);
	if (!want)
		return; /* out of memory, reported by the context */
	wl = strlen(want);
	for (pass = 0; pass < 2 && !*ids; pass++) {
		for (c = cards->children; c; c = c->next) {
			xmlNodePtr ti;
			char *have;
			size_t hl;
			if (c->type != XML_ELEMENT_NODE ||
			    xmlStrcmp(c->name, BAD_CAST "card"))
				continue;
			ti = qj_xml_child(c, "title");
			if (!ti)
				ti = qj_xml_child(c, "name");
			if (!ti)
				continue;
			t = xmlNodeGetContent(ti);
			have = qj_imp_unquote(im->a, (const char *)t);
			xmlFree(t);
			if (!have || !want)
				return; /* out of memory: reported already */
			hl = strlen(have);
			/* pass 0: the same title; pass 1: one is the
			 * other followed by " (…" */
			if (pass == 0 ? (hl == wl && fold_eq(im, want, have, hl))
				      : ((hl < wl && fold_eq(im, have, want, hl) &&
					  qj_imp_starts(want + hl, " (")) ||
					 (wl < hl && fold_eq(im, want, have, wl) &&
					  qj_imp_starts(have + wl, " (")))) {
				xmlChar *id = xmlGetProp(c, BAD_CAST "id");
				if (*ids)
					strcat(ids, " ");
				if (strlen(ids) + 16 < sizeof ids)
					strcat(ids, (const char *)id);
				xmlFree(id);
			}
		}
	}
	if (!*ids) { /* the index-th card */
		for (c = cards->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(c->name, BAD_CAST "card") && ++nth == index) {
				xmlChar *id = xmlGetProp(c, BAD_CAST "id");
				snprintf(ids, sizeof ids, "%s", (const char *)id);
				xmlFree(id);
			}
	}
	if (!*ids)
		qj_imp_warn(im, qj_imp_line_of(ref),
			    "no card matches the listed profession '%.60s'",
			    want);
	xmlSetProp(ref, BAD_CAST "card", BAD_CAST ids);
}

void qj_imp_resolve_card_refs(qj_imp *im)
{
	xmlNodePtr pas = qj_xml_child(im->root, "passport");
	xmlNodePtr cards = qj_xml_child(im->root, "cards");
	xmlNodePtr list = pas ? qj_xml_child(pas, "card-list") : NULL;
	xmlNodePtr r;
	int nref = 0, ncard = 0;

	if (!list || !cards)
		return;
	for (r = cards->children; r; r = r->next)
		ncard += r->type == XML_ELEMENT_NODE &&
			 !xmlStrcmp(r->name, BAD_CAST "card");
	for (r = list->children; r; r = r->next) {
		xmlChar *v;
		if (r->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(r->name, BAD_CAST "card-ref"))
			continue;
		nref++;
		v = xmlGetProp(r, BAD_CAST "card");
		if (v && !*v)
			resolve_one(im, r, cards, nref);
		xmlFree(v);
	}
	if (ncard < nref)
		qj_imp_err(im, qj_imp_line_of(list), "expected %d cards as "
			   "listed in the passport, found %d: the text is "
			   "truncated", nref, ncard);
}

/* ---- technical data ---- */

static int tech_rank(const char *name)
{
	static const char *const o[] = {"authority", "developers",
					"approvals", "version", "review-date", NULL};
	return qj_imp_rank(name, o);
}

static void version(qj_imp *im, xmlNodePtr tech, const char *v, int line)
{
	xmlNodePtr e = qj_imp_text_el(im, tech, "version", v, line);
	const char *p;
	for (p = v; *p; p++) {
		if (isdigit((unsigned char)*p) && (p == v || !isdigit((unsigned char)p[-1]))) {
			int k = 0, x = atoi(p);
			while (isdigit((unsigned char)p[k]))
				k++;
			if (k == 4 && x >= 1900)
				qj_imp_set_int(e, "year", x);
			else if (!xmlHasProp(e, BAD_CAST "number"))
				qj_imp_set_int(e, "number", x);
		}
	}
}

static void review(qj_imp *im, xmlNodePtr tech, const char *v, int line)
{
	xmlNodePtr e = qj_imp_text_el(im, tech, "review-date", v, line);
	char d[11];
	if (!qj_imp_find_date(v, d, NULL))
		xmlSetProp(e, BAD_CAST "date", BAD_CAST d);
	else if (isdigit((unsigned char)v[0]) && strlen(v) >= 4)
		xmlSetProp(e, BAD_CAST "date",
			   BAD_CAST qj_arena_strndup(im->a, v, 4));
}

/* "21. Отраслевой совет …: от 11 марта 2024 года.": who approved (the
 * label is the body's name) and what. n is the paragraph of the standard,
 * not a count of approvals, and is left out. */
static void approval(qj_imp *im, xmlNodePtr apps, const char *rest,
		     const char *v)
{
	xmlNodePtr ap = qj_imp_el(im, apps, "approval", 0);
	const char *q = strstr(v, "№"), *e;
	char d[11];

	if (!qj_imp_find_date(v, d, NULL))
		xmlSetProp(ap, BAD_CAST "date", BAD_CAST d);
	if (q && number_after(im->a, v, &e)) {
		/* "№ 16755/30": up to the next space or full stop */
		const char *b = q + strlen("№");
		while (*b == ' ')
			b++;
		e = b;
		while (*e && *e != ' ' && !(*e == '.' && (!e[1] || e[1] == ' ')))
			e++;
		xmlSetProp(ap, BAD_CAST "number",
			   BAD_CAST qj_arena_strndup(im->a, b, (size_t)(e - b)));
	}
	qj_imp_text_el(im, ap, "body", qj_arena_strndup(im->a, rest,
		       (size_t)(strchr(rest, ':') - rest)), 0);
	qj_imp_text_el(im, ap, "decision", v, 0);
}

void qj_imp_technical(qj_imp *im)
{
	xmlNodePtr tech = qj_imp_el(im, im->root, "technical", im->v[im->i].no);
	xmlNodePtr auth = NULL, apps = NULL;
	int mode = 0;

	for (im->i++; im->i < im->n && !qj_ctx_oom(im->ctx); im->i++) {
		qj_iline *L = &im->v[im->i];
		const char *rest, *v;
		char style;
		int n = qj_imp_number(L->s, &style, &rest);

		if (is_ednote(im, tech))
			continue;
		if (!n)
			rest = L->s;
		v = after_colon(rest);
		if (strstr(rest, "государственного органа")) {
			auth = qj_imp_el(im, tech, "authority", L->no);
			if (*v)
				qj_imp_text_el(im, auth, "name", v, 0);
			mode = 1;
		} else if (strstr(rest, "в разработке")) {
			xmlNodePtr dv = qj_imp_el(im, tech, "developers", L->no);
			qj_imp_block_add(im, dv, v, L->no);
			mode = 0;
		} else if (strstr(rest, "Номер версии") ||
			   qj_imp_starts(rest, "Нұсқа нөмірі")) {
			version(im, tech, *v ? v : rest + (strstr(rest, "жылы ") ?
				(strstr(rest, "жылы ") - rest) + strlen("жылы ") : 0),
				L->no);
			mode = 0;
		} else if (strstr(rest, "пересмотра") ||
			   qj_imp_starts(rest, "Қайта қарау күні")) {
			review(im, tech, *v ? v : rest + (qj_imp_starts(rest, "Қайта") ?
				strlen("Қайта қарау күні ") : 0), L->no);
			mode = 0;
		} else if (n && strchr(rest, ':')) {
			if (!apps)
				apps = qj_imp_el(im, tech, "approvals", L->no);
			approval(im, apps, rest, v);
			mode = 0;
		} else if (mode == 1 && auth) {
			if (!qj_xml_child(auth, "name")) {
				qj_imp_text_el(im, auth, "name", L->s, 0);
			} else {
				const char *kind = qj_imp_starts(L->s, "исполнитель") ? "executor"
					: qj_imp_starts(L->s, "E-mail") ? "email"
					: strstr(L->s, "телефон") ? "phone" : "other";
				xmlNodePtr ct = qj_imp_text_el(im, auth, "contact",
					strcmp(kind, "other") ? after_colon(L->s) : L->s, L->no);
				xmlSetProp(ct, BAD_CAST "kind", BAD_CAST kind);
			}
		} else {
			qj_imp_warn(im, L->no, "text in the technical data not "
				    "placed: '%.60s'", L->s);
		}
	}
	qj_imp_reorder(tech, tech_rank);
}
