/* xpath_text: XPath extension functions q:date, q:number, q:money,
 * q:plural, q:upper, q:lower, q:translit and q:typo over the text module,
 * q:fingerprint over the verification codes (src/code), and the data
 * helpers q:sex (a person's sex from @sex or the patronymic), q:in-lang
 * (the value of a field given per language) and q:path (a file named in
 * the data, relative to the data file).
 * Each pops its arguments, calls one qj_text_ function and pushes a string;
 * bad data becomes a located diagnostic (at the data node the argument came
 * from, once per node and value) and "", never an abort; it is an error of
 * the expansion, which then fails (tmpl/expand.c counts every error). */
#include "tmpl/xpath_text.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <libxml/xpathInternals.h>

#include "code/code.h"
#include "text/text.h"
#include "xml/xml.h"

#define NS "urn:qujat:functions"

/* A problem reported already: the data node (or NULL for a value that
 * came from no node), the function and the value. */
typedef struct seen {
	const xmlNode *node;
	const char *fn;
	char *value;
	struct seen *next;
} seen;

/* The (node, language) pairs q:in-lang has warned about, so a field
 * missing in a language is reported once per document, not per page. */
#define QJ_WARNED_MAX 32

typedef struct fstate {
	qj_ctx *ctx;
	qj_arena *arena;
	const char *lang;
	seen *reported;
	int nreported;
	int nwarned;
	struct {
		const xmlNode *node;
		const char *lang;
	} warned[QJ_WARNED_MAX];
	/* the last fingerprint made: a template shows it twice (as the QR
	 * code's payload and as text) from the same node */
	const xmlNode *fp_node;
	qj_fp fp;
} fstate;

typedef char *(*text_fn)(qj_ctx *, qj_arena *, const char *, const char *);

static fstate *state(xmlXPathParserContextPtr pc)
{
	return pc->context->funcLookupData;
}

/* The data node being evaluated, for diagnostics. */
static const xmlNode *here(xmlXPathParserContextPtr pc)
{
	return pc->context->node;
}

/* Pops an argument as a string; *at becomes the data node it came from
 * (an attribute or element of the data) when it was a node-set, else the
 * node being evaluated. */
static xmlChar *pop_string_at(xmlXPathParserContextPtr pc, const xmlNode **at)
{
	xmlXPathObjectPtr o = valuePop(pc);
	xmlChar *s;
	*at = here(pc);
	if (!o)
		return NULL;
	if (o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0)
		*at = o->nodesetval->nodeTab[0];
	s = xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	return s;
}

/* Reports a bad value once per data node (or literal), function and value,
 * however often the template evaluates it (q:date(/roster/@issued) inside
 * a loop over the persons is one error, at the attribute's line). The
 * error counts: the expansion fails (tmpl/expand.c). */
static void bad_value(xmlXPathParserContextPtr pc, const xmlNode *at, int from_node,
		      const char *fn, const xmlChar *value, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void bad_value(xmlXPathParserContextPtr pc, const xmlNode *at, int from_node,
		      const char *fn, const xmlChar *value, const char *fmt, ...)
{
	fstate *st = state(pc);
	const xmlNode *key = from_node ? at : NULL;
	const char *v = value ? (const char *)value : "";
	seen *p;
	va_list ap;
	for (p = st->reported; p; p = p->next)
		if (p->node == key && !strcmp(p->fn, fn) && !strcmp(p->value, v))
			return;
	if (st->nreported < 1000) {
		p = qj_arena_alloc(st->arena, sizeof *p);
		if (p && (p->value = qj_arena_strdup(st->arena, v)) != NULL) {
			p->node = key;
			p->fn = fn;
			p->next = st->reported;
			st->reported = p;
			st->nreported++;
		}
	}
	va_start(ap, fmt);
	qj_vdiag(st->ctx, QJ_ERROR, qj_xml_file(at), qj_xml_line(at), 0, fmt, ap);
	va_end(ap);
}

static void push(xmlXPathParserContextPtr pc, const char *s)
{
	valuePush(pc, xmlXPathNewString((const xmlChar *)(s ? s : "")));
}

/* An absent value (empty or white space): the functions give "" for it
 * without a diagnostic, so optional fields need no guard. */
static int is_blank(const xmlChar *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == 0;
}

/* Checks the argument count; a wrong one is a template error. */
static int arity(xmlXPathParserContextPtr pc, int nargs, int lo, int hi,
		 const char *name)
{
	if (nargs >= lo && nargs <= hi)
		return 0;
	qj_xml_error(state(pc)->ctx, here(pc),
		     "q:%s takes %d to %d arguments, not %d", name, lo, hi, nargs);
	xmlXPathSetArityError(pc);
	return -1;
}

/* Pops the optional last argument, a language; NULL when it is not
 * supported (reported). Without it, the registered language. */
static const char *pop_lang(xmlXPathParserContextPtr pc, int has,
			    const char *fn)
{
	fstate *st = state(pc);
	xmlChar *v;
	const char *l;
	if (!has)
		return st->lang;
	v = xmlXPathPopString(pc);
	l = qj_text_lang((const char *)v);
	if (!l)
		qj_xml_error(st->ctx, here(pc),
			     "q:%s: unsupported language '%s' (supported: %s)",
			     fn, v ? (const char *)v : "", qj_text_langs());
	xmlFree(v);
	return l;
}

static void f_date(xmlXPathParserContextPtr pc, int nargs)
{
	fstate *st = state(pc);
	const char *lang;
	const xmlNode *at;
	xmlChar *s;
	int y, m, d;
	if (arity(pc, nargs, 1, 2, "date") < 0)
		return;
	lang = pop_lang(pc, nargs == 2, "date");
	s = pop_string_at(pc, &at);
	if (is_blank(s)) {
		push(pc, "");
		xmlFree(s);
		return;
	}
	if (lang && qj_text_parse_date((const char *)s, &y, &m, &d) < 0) {
		bad_value(pc, at, at != here(pc), "date", s,
			  "q:date: '%s' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
			  s ? (const char *)s : "");
		lang = NULL;
	}
	push(pc, lang ? qj_text_date(st->ctx, st->arena, y, m, d, lang) : NULL);
	xmlFree(s);
}

/* Numbers are XPath's doubles: exact integers only below 2^53 (the text
 * module refuses to print past that, text/locale.c); 1 when x is below. */
#define EXACT_LIMIT 9007199254740992.0 /* 2^53 */
#define TOO_LARGE "q:%s: the number '%s' is too large to print exactly " \
	"(numbers must be below 2^53 = 9007199254740992)"
static int too_large(double x)
{
	return isfinite(x) && fabs(x) < EXACT_LIMIT;
}

/* q:number and q:money: a number that is NaN or too large is reported. */
static void number_fn(xmlXPathParserContextPtr pc, int nargs, int money)
{
	fstate *st = state(pc);
	const char *name = money ? "money" : "number";
	const char *lang;
	xmlXPathObjectPtr o;
	const xmlNode *at;
	double x;
	if (arity(pc, nargs, 1, 2, name) < 0)
		return;
	lang = pop_lang(pc, nargs == 2, name);
	o = valuePop(pc);
	at = here(pc);
	if (o && o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0)
		at = o->nodesetval->nodeTab[0];
	if (o && o->type != XPATH_NUMBER) {
		xmlChar *v = xmlXPathCastToString(o);
		int blank = is_blank(v);
		xmlFree(v);
		if (blank) {
			xmlXPathFreeObject(o);
			push(pc, "");
			return;
		}
	}
	x = xmlXPathCastToNumber(o);
	if (lang && (xmlXPathIsNaN(x) || !too_large(x))) {
		xmlChar *s = xmlXPathCastToString(o);
		if (xmlXPathIsNaN(x))
			bad_value(pc, at, at != here(pc), name, s, "q:%s: '%s' is not a number",
				  name, s ? (const char *)s : "");
		else
			bad_value(pc, at, at != here(pc), name, s, TOO_LARGE, name,
				  s ? (const char *)s : "");
		xmlFree(s);
		lang = NULL;
	}
	xmlXPathFreeObject(o);
	push(pc, !lang ? NULL : money ? qj_text_money(st->ctx, st->arena, x, lang)
				      : qj_text_number(st->ctx, st->arena, x, lang));
}

static void f_number(xmlXPathParserContextPtr pc, int nargs)
{
	number_fn(pc, nargs, 0);
}

static void f_money(xmlXPathParserContextPtr pc, int nargs)
{
	number_fn(pc, nargs, 1);
}

static void f_plural(xmlXPathParserContextPtr pc, int nargs)
{
	fstate *st = state(pc);
	const char *lang;
	xmlChar *forms, *ns;
	const xmlNode *at, *fat;
	double n;
	char *r = NULL;
	if (arity(pc, nargs, 2, 3, "plural") < 0)
		return;
	lang = pop_lang(pc, nargs == 3, "plural");
	forms = pop_string_at(pc, &fat);
	{
		xmlXPathObjectPtr o = valuePop(pc);
		at = here(pc);
		if (o && o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0)
			at = o->nodesetval->nodeTab[0];
		n = xmlXPathCastToNumber(o);
		ns = xmlXPathCastToString(o);
		xmlXPathFreeObject(o);
	}
	if (lang && xmlXPathIsNaN(n))
		bad_value(pc, at, at != here(pc), "plural", ns,
			  "q:plural: the count '%s' is not a number", ns ? (const char *)ns : "");
	else if (lang && !too_large(n))
		bad_value(pc, at, at != here(pc), "plural", ns, TOO_LARGE, "plural",
			  ns ? (const char *)ns : "");
	else if (lang) {
		r = qj_text_plural(st->ctx, st->arena, n, (const char *)forms, lang);
		if (!r)
			bad_value(pc, fat, fat != here(pc), "plural", forms,
				  "q:plural: cannot use forms '%s'", forms ? (const char *)forms : "");
	}
	push(pc, r);
	xmlFree(forms);
	xmlFree(ns);
}

/* The string functions: (s [, lang]) -> fn(s, lang). */
static void string_fn(xmlXPathParserContextPtr pc, int nargs, text_fn fn,
		      const char *name, int takes_lang)
{
	fstate *st = state(pc);
	const char *lang;
	xmlChar *s;
	if (arity(pc, nargs, 1, takes_lang ? 2 : 1, name) < 0)
		return;
	lang = takes_lang ? pop_lang(pc, nargs == 2, name) : "kk";
	s = xmlXPathPopString(pc);
	push(pc, lang && s ? fn(st->ctx, st->arena, (const char *)s, lang) : NULL);
	xmlFree(s);
}

static void f_upper(xmlXPathParserContextPtr pc, int nargs)
{
	string_fn(pc, nargs, qj_text_upper, "upper", 1);
}

static void f_lower(xmlXPathParserContextPtr pc, int nargs)
{
	string_fn(pc, nargs, qj_text_lower, "lower", 1);
}

static void f_typo(xmlXPathParserContextPtr pc, int nargs)
{
	string_fn(pc, nargs, qj_text_typography, "typo", 1);
}

/* q:translit reads Kazakh Cyrillic whatever the document's language. */
static void f_translit(xmlXPathParserContextPtr pc, int nargs)
{
	string_fn(pc, nargs, qj_text_translit, "translit", 0);
}

/* q:fingerprint(node [, 'qr']): the verification code of the certificate
 * or plan made from node (src/code), or with 'qr' the QR payload. */
static void f_fingerprint(xmlXPathParserContextPtr pc, int nargs)
{
	fstate *st = state(pc);
	xmlChar *form = NULL;
	xmlNodeSetPtr ns;
	qj_fp fp;
	if (arity(pc, nargs, 1, 2, "fingerprint") < 0)
		return;
	if (nargs == 2)
		form = xmlXPathPopString(pc);
	ns = xmlXPathPopNodeSet(pc);
	if (ns && ns->nodeNr >= 1 && st->fp_node == ns->nodeTab[0]) {
		fp = st->fp; /* the data does not change during an expansion */
	} else if (!ns || ns->nodeNr < 1 || qj_fp_of(st->ctx, st->arena, ns->nodeTab[0], &fp) < 0) {
		if (!ns || ns->nodeNr < 1)
			qj_xml_error(st->ctx, here(pc), "q:fingerprint needs a node");
		push(pc, NULL);
		xmlXPathFreeNodeSet(ns);
		xmlFree(form);
		return;
	} else {
		st->fp_node = ns->nodeTab[0];
		st->fp = fp;
	}
	if (form && !strcmp((const char *)form, "qr"))
		push(pc, qj_fp_payload(st->arena, &fp));
	else
		push(pc, fp.code);
	xmlXPathFreeNodeSet(ns);
	xmlFree(form);
}

/* ---------- q:sex ---------- */

/* The word w (n bytes) ends with the UTF-8 suffix suf, or is it: the
 * Kazakh and Turkic forms are also written apart ("Серік қызы"). */
static int ends_with(const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(w + n - k, suf, k);
}

/* A word's evidence: 'f' (a female patronymic, never a man's surname),
 * 'k' (a Kazakh or Turkic male one: -ұлы, -улы, оглы), 'r' (the Russian
 * male -ич, which is also a surname ending) or 0. */
static int word_kind(const char *w, size_t n)
{
	static const char *const fem[] = {"овна", "евна", "ична", "қызы", "кызы"};
	static const char *const kaz[] = {"ұлы", "улы", "оглы", "оғлы"};
	size_t i;
	for (i = 0; i < sizeof fem / sizeof *fem; i++)
		if (ends_with(w, n, fem[i]))
			return 'f';
	for (i = 0; i < sizeof kaz / sizeof *kaz; i++)
		if (ends_with(w, n, kaz[i]))
			return 'k';
	return ends_with(w, n, "ич") ? 'r' : 0;
}

/* The length of the white space (ASCII or a no-break space) at s. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	return (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0 ? 2 : 0;
}

/* The last letter of the first word is а or я (a woman's given name in
 * "Name Patronymic Surname", a woman's surname in "Surname Name
 * Patronymic"). */
static int first_word_feminine(const char *w, size_t n)
{
	return ends_with(w, n, "а") || ends_with(w, n, "я");
}

int qj_tmpl_sex_of_name(qj_ctx *ctx, qj_arena *arena, const char *name)
{
	const char *words[16], *p;
	size_t lens[16];
	int n = 0, i, fem = 0, kaz = 0, rus = 0;
	char *low = name ? qj_text_lower(ctx, arena, name, "ru") : NULL;

	if (!low)
		return 0;
	/* the words, split at white space (hyphenated surnames stay one) */
	for (p = low; *p && n < 16;) {
		const char *w = p;
		size_t k;
		while (*p && !space_at(p))
			p++;
		if (p > w) {
			words[n] = w;
			lens[n++] = (size_t)(p - w);
		}
		while ((k = space_at(p)))
			p += k;
	}
	for (i = 0; i < n; i++) {
		int k = word_kind(words[i], lens[i]);
		fem |= k == 'f';
		kaz |= k == 'k';
		/* -ич is trusted in the patronymic's place of a three-part name:
		 * second ("Name Patronymic Surname") or last ("Surname Name
		 * Patronymic", unless the first word reads as a woman's) */
		if (k == 'r' && n >= 3 &&
		    (i == 1 || (i == n - 1 && !first_word_feminine(words[0], lens[0]))))
			rus = 1;
	}
	if (fem && kaz)
		return 0; /* contradictory: the sentence needs no sex */
	if (fem)
		return 'f';
	return kaz || rus ? 'm' : 0;
}

/* q:sex(person | name): 'm', 'f' or '': a person element's @sex when it
 * is m or f, else what its @name (or the string given) says by the
 * patronymic (qj_tmpl_sex_of_name). */
static void f_sex(xmlXPathParserContextPtr pc, int nargs)
{
	fstate *st = state(pc);
	xmlXPathObjectPtr o;
	xmlChar *name = NULL;
	char r[2] = "";
	if (arity(pc, nargs, 1, 1, "sex") < 0)
		return;
	o = valuePop(pc);
	if (o && o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0 &&
	    o->nodesetval->nodeTab[0]->type == XML_ELEMENT_NODE) {
		xmlNodePtr el = o->nodesetval->nodeTab[0];
		const char *sx = qj_xml_attr(el, "sex");
		if (sx && (!strcmp(sx, "m") || !strcmp(sx, "f")))
			r[0] = sx[0];
		else
			name = xmlGetProp(el, (const xmlChar *)"name");
	} else if (o) {
		name = xmlXPathCastToString(o);
	}
	if (name)
		r[0] = (char)qj_tmpl_sex_of_name(st->ctx, st->arena, (const char *)name);
	xmlFree(name);
	xmlXPathFreeObject(o);
	push(pc, r);
}

/* ---------- q:in-lang ---------- */

/* A node's own xml:lang (an attribute node has none). Lent or NULL. */
static const char *own_lang(const xmlNode *n)
{
	const xmlAttr *a;
	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = n->properties; a; a = a->next)
		if (a->ns && a->ns->href && !strcmp((const char *)a->ns->href,
						    (const char *)XML_XML_NAMESPACE) &&
		    !strcmp((const char *)a->name, "lang") && a->children)
			return (const char *)a->children->content;
	return NULL;
}

/* Reports once per (node, lang) that node stands in for lang. */
static void warn_fallback(xmlXPathParserContextPtr pc, const xmlNode *n, const char *lang)
{
	fstate *st = state(pc);
	int i;
	for (i = 0; i < st->nwarned; i++)
		if (st->warned[i].node == n && !strcmp(st->warned[i].lang, lang))
			return;
	if (st->nwarned < QJ_WARNED_MAX) {
		st->warned[st->nwarned].node = n;
		st->warned[st->nwarned++].lang = lang;
	}
	qj_xml_warning(st->ctx, n, "no <%s xml:lang=\"%s\">: the %s one is printed",
		       (const char *)n->name, lang, own_lang(n));
}

/* q:in-lang(nodes [, lang]): the string value of the node of nodes for
 * lang: the one whose xml:lang is lang, else one without xml:lang (an
 * attribute, or an element valid in every language), else the first one
 * with a warning naming the missing language. */
static void f_in_lang(xmlXPathParserContextPtr pc, int nargs)
{
	const char *lang;
	xmlNodeSetPtr ns;
	xmlNodePtr pick = NULL, untagged = NULL;
	xmlChar *v;
	int i;
	if (arity(pc, nargs, 1, 2, "in-lang") < 0)
		return;
	lang = pop_lang(pc, nargs == 2, "in-lang");
	ns = xmlXPathPopNodeSet(pc);
	if (xmlXPathCheckError(pc) || !lang) {
		xmlXPathFreeNodeSet(ns);
		push(pc, NULL);
		return;
	}
	for (i = 0; ns && i < ns->nodeNr && !pick; i++) {
		const char *l = own_lang(ns->nodeTab[i]);
		if (l && !strcmp(l, lang))
			pick = ns->nodeTab[i];
		else if (!l && !untagged)
			untagged = ns->nodeTab[i];
	}
	if (!pick)
		pick = untagged;
	if (!pick && ns && ns->nodeNr > 0) {
		pick = ns->nodeTab[0];
		warn_fallback(pc, pick, lang);
	}
	v = pick ? xmlXPathCastNodeToString(pick) : NULL;
	push(pc, (const char *)v);
	xmlFree(v);
	xmlXPathFreeNodeSet(ns);
}

/* ---------- q:path ---------- */

/* q:path(node): the file name node's value gives, relative to the
 * directory of the data file node comes from ("emblem.png" in
 * examples/roster.xml -> "examples/emblem.png"); an absolute name, or a
 * data file in the current directory, leaves it as it is; '' for none. */
static void f_path(xmlXPathParserContextPtr pc, int nargs)
{
	fstate *st = state(pc);
	xmlNodeSetPtr ns;
	xmlChar *v = NULL;
	const char *url = NULL, *slash;
	if (arity(pc, nargs, 1, 1, "path") < 0)
		return;
	ns = xmlXPathPopNodeSet(pc);
	if (ns && ns->nodeNr > 0) {
		v = xmlXPathCastNodeToString(ns->nodeTab[0]);
		if (ns->nodeTab[0]->doc)
			url = (const char *)ns->nodeTab[0]->doc->URL;
	}
	if (is_blank(v))
		push(pc, NULL);
	else if (v[0] == '/' || !url || !(slash = strrchr(url, '/')))
		push(pc, (const char *)v);
	else
		push(pc, qj_arena_printf(st->arena, "%.*s/%s", (int)(slash - url), url,
					 (const char *)v));
	xmlFree(v);
	xmlXPathFreeNodeSet(ns);
}

static const struct {
	const char *name;
	xmlXPathFunction fn;
} funcs[] = {
	{"fingerprint", f_fingerprint},
	{"date", f_date},     {"number", f_number}, {"money", f_money},
	{"plural", f_plural}, {"upper", f_upper},   {"lower", f_lower},
	{"translit", f_translit}, {"typo", f_typo},
	{"sex", f_sex},       {"in-lang", f_in_lang}, {"path", f_path},
};

static xmlXPathFunction lookup(void *data, const xmlChar *name,
			       const xmlChar *ns)
{
	size_t i;
	(void)data;
	if (!ns || strcmp((const char *)ns, NS))
		return NULL;
	for (i = 0; i < sizeof funcs / sizeof *funcs; i++)
		if (!strcmp((const char *)name, funcs[i].name))
			return funcs[i].fn;
	return NULL;
}

int qj_tmpl_register_text_funcs(qj_ctx *ctx, xmlXPathContextPtr xp,
				qj_arena *arena, const char *lang)
{
	fstate *st;
	char first[16] = "";
	size_t i;

	/* "kk+ru": the state language comes first */
	if (lang) {
		snprintf(first, sizeof first, "%s", lang);
		first[strcspn(first, "+")] = 0;
	}
	st = qj_arena_alloc(arena, sizeof *st);
	if (!st)
		return -1;
	st->ctx = ctx;
	st->arena = arena;
	st->lang = qj_text_lang(first);
	if (!st->lang) {
		qj_error(ctx, NULL, 0, "unsupported language '%s' (supported: %s)",
			 lang ? lang : "", qj_text_langs());
		return -1;
	}
	/* a context kept for a batch has them from its first document: only
	 * the state is this document's */
	if (!xmlXPathFunctionLookupNS(xp, (const xmlChar *)funcs[0].name, (const xmlChar *)NS)) {
		if (xmlXPathRegisterNs(xp, (const xmlChar *)"q", (const xmlChar *)NS))
			return -1;
		for (i = 0; i < sizeof funcs / sizeof *funcs; i++)
			if (xmlXPathRegisterFuncNS(xp, (const xmlChar *)funcs[i].name,
						   (const xmlChar *)NS, funcs[i].fn))
				return -1;
	}
	xmlXPathRegisterFuncLookup(xp, lookup, st);
	return 0;
}
