/* xpath_text: XPath extension functions q:date, q:number, q:money,
 * q:plural, q:upper, q:lower, q:translit and q:typo over the text module,
 * and q:fingerprint over the verification codes (src/code).
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

typedef struct fstate {
	qj_ctx *ctx;
	qj_arena *arena;
	const char *lang;
	seen *reported;
	int nreported;
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
	if (!ns || ns->nodeNr < 1 || qj_fp_of(st->ctx, st->arena, ns->nodeTab[0], &fp) < 0) {
		if (!ns || ns->nodeNr < 1)
			qj_xml_error(st->ctx, here(pc), "q:fingerprint needs a node");
		push(pc, NULL);
	} else if (form && !strcmp((const char *)form, "qr"))
		push(pc, qj_fp_payload(st->arena, &fp));
	else
		push(pc, fp.code);
	xmlXPathFreeNodeSet(ns);
	xmlFree(form);
}

static const struct {
	const char *name;
	xmlXPathFunction fn;
} funcs[] = {
	{"fingerprint", f_fingerprint},
	{"date", f_date},     {"number", f_number}, {"money", f_money},
	{"plural", f_plural}, {"upper", f_upper},   {"lower", f_lower},
	{"translit", f_translit}, {"typo", f_typo},
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
	if (xmlXPathRegisterNs(xp, (const xmlChar *)"q", (const xmlChar *)NS))
		return -1;
	for (i = 0; i < sizeof funcs / sizeof *funcs; i++)
		if (xmlXPathRegisterFuncNS(xp, (const xmlChar *)funcs[i].name,
					   (const xmlChar *)NS, funcs[i].fn))
			return -1;
	xmlXPathRegisterFuncLookup(xp, lookup, st);
	return 0;
}
