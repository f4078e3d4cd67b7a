/* expand: checks a template, then walks it over the data: control elements
 * (for-each with sorting, if, choose, variable, value, label) are executed
 * with XPath through libxml2, flow elements are copied with their {XPath}
 * attribute value templates evaluated. Flow attributes are checked against
 * the vocabulary table (box/vocab.h): literal ones when the template is
 * loaded, in every branch, computed ones when they are expanded. Every
 * function an expression calls and every $variable it reads is checked when
 * the template is loaded, also in branches no data takes.
 *
 * One expansion has three limits: XPath operations (libxml2's opLimit),
 * elements and texts written, and memory (sort keys, node-sets, the strings
 * of the text functions and the document it writes); arrays and sort keys
 * of a loop are freed when the loop ends. Any error diagnostic during the
 * expansion, also one raised inside a q: function, fails it; libxml2's own
 * messages become the diagnostic of the node being evaluated. */
#include "tmpl/tmpl-imp.h"

#include <ctype.h>
#include <libxml/xpathInternals.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "box/vocab.h"
#include "text/text.h"
#include "tmpl/xpath_text.h"
#include "xml/xml.h"

typedef struct var_saved {
	const xmlChar *name;
	xmlXPathObjectPtr old;
	size_t held; /* bytes of the new value, against the memory limit */
} var_saved;

typedef struct expander {
	qj_ctx *ctx;
	const qj_tmpl_opts *o;
	xmlXPathContextPtr xp;
	qj_arena *arena;
	const xmlNode *at;     /* template node being evaluated, for errors */
	const char *expr;      /* the expression being evaluated, for errors */
	int errors;
	const char *langs[2];
	int nlangs;
	xmlNodePtr cur;
	int pos, size;
	const xmlNode *data_src; /* first data node an attribute value came from */
	long nodes;              /* elements and texts written so far */
	size_t mem;              /* bytes held by loops and written (see mem_check) */
	int mem_over;            /* the memory limit was reported */
	int diag0;               /* the context's error count when we began */
	var_saved vars[256];
	int nvars;
	/* checking at load: the variables in scope */
	int checking;
	const char *scope[256];
	int nscope;
	const char *const *params;
	/* libxml2's generic messages while we run, kept for the diagnostic */
	char gmsg[256];
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
} expander;

/* Errors of this expansion: ours and every error diagnostic since it
 * began (a q: function reports its own, tmpl/xpath_text.c). */
static int errors(const expander *x)
{
	int d = qj_diag_errors(x->ctx) - x->diag0;
	return d > x->errors ? d : x->errors;
}

/* libxml2's generic error channel (xmlGenericError) while we run: the text
 * is kept, without its "xmlXPathCompOpEval: " prefix, for the diagnostic
 * of the structured error that follows it; never printed by libxml2. */
static void on_generic(void *data, const char *fmt, ...)
{
	expander *x = data;
	size_t n = strlen(x->gmsg);
	va_list ap;
	if (n + 1 >= sizeof x->gmsg)
		return;
	va_start(ap, fmt);
	vsnprintf(x->gmsg + n, sizeof x->gmsg - n, fmt, ap);
	va_end(ap);
}

/* The kept generic message, cleaned (prefix and newlines off), or NULL. */
static const char *generic_msg(expander *x)
{
	char *m = x->gmsg, *c;
	size_t n;
	if (!*m)
		return NULL;
	if ((c = strstr(m, ": ")) != NULL && !strncmp(m, "xmlXPath", 8))
		memmove(m, c + 2, strlen(c + 2) + 1);
	for (c = m; *c; c++)
		if (*c == '\n')
			*c = ' ';
	n = strlen(m);
	while (n && m[n - 1] == ' ')
		m[--n] = 0;
	return *m ? m : NULL;
}

/* Memory of the expansion: what loops hold and what it wrote (x->mem) and
 * its arenas. Past the limit the expansion stops, reported once. */
static int mem_check(expander *x, const xmlNode *t)
{
	size_t lim = qj_ctx_limits(x->ctx)->max_tmpl_bytes;
	if (x->mem_over)
		return -1;
	if (x->mem + qj_arena_size(x->arena) <= lim)
		return 0;
	x->mem_over = 1;
	x->errors++;
	qj_xml_error(x->ctx, t, "the template needs more than %zu MiB (sort keys, node-sets "
		     "and the elements it writes; the limit of one expansion)", lim >> 20);
	return -1;
}

static const char *const controls[] = {
	"for-each", "if", "choose", "when", "otherwise", "variable", "value", "label"};

static int is_control(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof controls / sizeof *controls; i++)
		if (!strcmp(name, controls[i]))
			return 1;
	return 0;
}

/* libxml2 gives XPath errors to the context's handler with no message:
 * its own table is not exported. */
static const char *xpath_message(int code)
{
	static const char *const msgs[] = {
		"ok", "number encoding", "unfinished literal", "start of literal",
		"expected $ for a variable reference", "undefined variable",
		"invalid predicate", "invalid expression", "missing closing bracket",
		"unregistered function", "invalid operand", "invalid type",
		"wrong number of arguments of a function", "invalid context size",
		"invalid context position", "out of memory", "syntax error",
		"resource error", "sub-resource error", "undefined namespace prefix",
		"encoding error", "invalid character", "invalid context",
		"stack usage error", "forbidden variable",
		"operation limit exceeded", "recursion limit exceeded"};
	code -= XML_XPATH_EXPRESSION_OK;
	return code > 0 && code < (int)(sizeof msgs / sizeof *msgs) ? msgs[code] : "XPath error";
}

static void on_xpath_error(void *data, xmlErrorPtr err)
{
	expander *x = data;
	char msg[512];
	size_t n;
	snprintf(msg, sizeof msg, "%s", err && err->message ? err->message
				      : err ? xpath_message(err->code) : "XPath error");
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	x->errors++;
	if (x->mem_over)
		return; /* the stop we asked for echoes */
	if (err && err->domain == XML_FROM_XPATH &&
	    err->code == XML_XPATH_EXPRESSION_OK + XPATH_OP_LIMIT_EXCEEDED) {
		qj_xml_error(x->ctx, x->at, "XPath: the expressions of this template do more than "
			     "%lu operations (the limit)", x->xp ? x->xp->opLimit : 0UL);
		return;
	}
	if (err && err->domain == XML_FROM_XPATH &&
	    err->code == XML_XPATH_EXPRESSION_OK + XPATH_RECURSION_LIMIT_EXCEEDED) {
		qj_xml_error(x->ctx, x->at, "XPath: an expression is nested too deeply");
		return;
	}
	if (generic_msg(x)) /* libxml2's details: "function nope not found" */
		snprintf(msg, sizeof msg, "%s", x->gmsg);
	x->gmsg[0] = 0;
	{
		const char *e = err && err->str1 ? err->str1 : x->expr;
		qj_xml_error(x->ctx, x->at, "XPath: %s%s%s%s", msg, e ? " in '" : "",
			     e ? e : "", e ? "'" : "");
	}
}

static const char *const builtin_vars[] = {"lang", "bilingual", "lang1", "lang2"};

static int var_known(const expander *x, const char *name, size_t len)
{
	const char *const *p;
	size_t i;
	int k;
	for (i = 0; i < sizeof builtin_vars / sizeof *builtin_vars; i++)
		if (strlen(builtin_vars[i]) == len && !strncmp(builtin_vars[i], name, len))
			return 1;
	for (k = 0; k < x->nscope; k++)
		if (strlen(x->scope[k]) == len && !strncmp(x->scope[k], name, len))
			return 1;
	for (p = x->params; p && p[0] && p[1]; p += 2)
		if (strlen(p[0]) == len && !strncmp(p[0], name, len))
			return 1;
	return 0;
}

static int name_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

static int name_start(int c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

/* Reads an NCName at *p (NULL when there is none); *len its length. */
static const char *ncname(const char **p, size_t *len)
{
	const char *s = *p, *e = s;
	if (!name_start((unsigned char)*e))
		return NULL;
	while (name_char((unsigned char)*e))
		e++;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

/* Checks that every function expr calls is registered (XPath's own, q:)
 * and every $variable is in scope: a lexer of XPath 1.0 (section 3.7,
 * with its rule for telling a name from an operator), since libxml2 lets
 * both through when it compiles and says so only when a branch runs. */
static void check_names(expander *x, const xmlNode *at, const char *expr)
{
	static const char *const node_types[] = {"node", "text", "comment",
						 "processing-instruction"};
	const char *p = expr;
	int op = 1; /* the next name is not an operator (start, after an operator) */
	while (*p) {
		unsigned char c = (unsigned char)*p;
		const char *pre = NULL, *name, *q;
		size_t plen = 0, len;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			p++;
			continue;
		}
		if (c == '\'' || c == '"') {
			const char *e = strchr(p + 1, c);
			p = e ? e + 1 : p + strlen(p);
			op = 0;
			continue;
		}
		if (isdigit(c) || (c == '.' && isdigit((unsigned char)p[1]))) {
			while (isdigit((unsigned char)*p) || *p == '.')
				p++;
			op = 0;
			continue;
		}
		if (c == '$') {
			p++;
			name = ncname(&p, &len);
			if (name && *p == ':' && p[1] != ':') { /* a prefixed name */
				p++;
				pre = name;
				plen = len;
				name = ncname(&p, &len);
			}
			if (name && !pre && !var_known(x, name, len)) {
				x->errors++;
				qj_xml_error(x->ctx, at, "XPath: undefined variable $%.*s in '%s'",
					     (int)len, name, expr);
			}
			op = 0;
			continue;
		}
		if (name_start(c)) {
			name = ncname(&p, &len);
			if (*p == ':' && p[1] == '*') { /* prefix:* */
				p += 2;
				op = 0;
				continue;
			}
			if (*p == ':' && p[1] != ':' && name_start((unsigned char)p[1])) {
				p++;
				pre = name;
				plen = len;
				name = ncname(&p, &len);
			}
			if (!op && !pre && ((len == 3 && (!strncmp(name, "and", 3) ||
							   !strncmp(name, "div", 3) ||
							   !strncmp(name, "mod", 3))) ||
					    (len == 2 && !strncmp(name, "or", 2)))) {
				op = 1; /* an operator name */
				continue;
			}
			for (q = p; *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'; q++)
				;
			if (q[0] == ':' && q[1] == ':') { /* an axis */
				p = q + 2;
				op = 1;
				continue;
			}
			op = 0;
			if (*q != '(')
				continue; /* a name test */
			{
				char fn[128], px[64];
				size_t i;
				const xmlChar *uri = NULL;
				int is_type = 0;
				for (i = 0; !pre && i < sizeof node_types / sizeof *node_types; i++)
					is_type |= strlen(node_types[i]) == len &&
						   !strncmp(node_types[i], name, len);
				if (is_type || len >= sizeof fn || plen >= sizeof px)
					continue;
				snprintf(fn, sizeof fn, "%.*s", (int)len, name);
				if (pre) {
					snprintf(px, sizeof px, "%.*s", (int)plen, pre);
					uri = xmlXPathNsLookup(x->xp, (const xmlChar *)px);
					if (!uri) {
						x->errors++;
						qj_xml_error(x->ctx, at, "XPath: unknown namespace "
							     "prefix '%s' in '%s'", px, expr);
						continue;
					}
				}
				if (!(uri ? xmlXPathFunctionLookupNS(x->xp, (const xmlChar *)fn, uri)
					  : xmlXPathFunctionLookup(x->xp, (const xmlChar *)fn))) {
					x->errors++;
					qj_xml_error(x->ctx, at, "XPath: unknown function %s%s%s() in '%s'",
						     pre ? px : "", pre ? ":" : "", fn, expr);
				}
			}
			continue;
		}
		/* operators and punctuation */
		p++;
		if (c == ')' || c == ']') {
			op = 0;
		} else if (c == '.') {
			if (*p == '.')
				p++;
			op = 0;
		} else if (c == '*') {
			op = !op; /* after an operator a name test, else multiply */
		} else {
			if ((c == '/' && *p == '/') || (c == ':' && *p == ':') ||
			    ((c == '!' || c == '<' || c == '>') && *p == '='))
				p++;
			op = 1;
		}
	}
}

/* The compiled expression of the cache, or NULL (no cache, or not yet). */
static xmlXPathCompExprPtr cached(expander *x, const char *expr)
{
	return x->o->cache ? xmlHashLookup(x->o->cache->exprs, (const xmlChar *)expr) : NULL;
}

/* Frees c unless the cache keeps it (with a cache, every expression
 * compile() gives is kept there). */
static void drop(expander *x, const char *expr, xmlXPathCompExprPtr c)
{
	(void)expr;
	if (c && !x->o->cache)
		xmlXPathFreeCompExpr(c);
}

/* Compiles expr; reports a syntax error at the template node. With a
 * cache, an expression is compiled once and kept there. */
static xmlXPathCompExprPtr compile(expander *x, const xmlNode *at, const char *expr)
{
	xmlXPathCompExprPtr c;
	int before = x->errors;
	x->at = at;
	if ((c = cached(x, expr)))
		return c;
	c = xmlXPathCtxtCompile(x->xp, (const xmlChar *)expr);
	if (c && x->o->cache && xmlHashAddEntry(x->o->cache->exprs, (const xmlChar *)expr, c) != 0) {
		xmlXPathFreeCompExpr(c);
		c = NULL;
		x->errors++;
		qj_xml_error(x->ctx, at, "out of memory compiling '%s'", expr);
		return NULL;
	}
	if (!c && x->errors == before) {
		x->errors++;
		qj_xml_error(x->ctx, at, "XPath syntax error in '%s'", expr);
	}
	if (c && x->checking)
		check_names(x, at, expr);
	return c;
}

/* compile() for expr that is the template's own text (an attribute's
 * value, lives as long as the template): found in the cache by its
 * address, without hashing the text. */
static xmlXPathCompExprPtr compile_own(expander *x, const xmlNode *at, const char *expr)
{
	qj_tmpl_cache *cc = x->o->cache;
	xmlXPathCompExprPtr c = cc && expr ? tmpl_map_get(&cc->by_addr, expr) : NULL;
	if (c) {
		x->at = at;
		return c;
	}
	c = compile(x, at, expr);
	if (c && cc)
		tmpl_map_put(x->ctx, &cc->by_addr, expr, c); /* else found by its text */
	return c;
}

static xmlXPathObjectPtr eval_comp(expander *x, const xmlNode *at, const char *expr,
				   xmlXPathCompExprPtr c);

/* The value of expr, the template's own text (compile_own). */
static xmlXPathObjectPtr eval(expander *x, const xmlNode *at, const char *expr)
{
	return eval_comp(x, at, expr, compile_own(x, at, expr));
}

/* The value of expr compiled as c (NULL: it did not compile, reported). */
static xmlXPathObjectPtr eval_comp(expander *x, const xmlNode *at, const char *expr,
				   xmlXPathCompExprPtr c)
{
	xmlXPathObjectPtr r;
	int before = x->errors;
	if (!c)
		return NULL;
	x->xp->node = x->cur;
	x->xp->proximityPosition = x->pos;
	x->xp->contextSize = x->size;
	x->expr = expr;
	r = xmlXPathCompiledEval(c, x->xp);
	x->expr = NULL;
	x->at = at;
	drop(x, expr, c);
	/* no result, or libxml2 said something on its generic channel */
	if ((!r || generic_msg(x)) && x->errors == before && !x->mem_over) {
		x->errors++;
		qj_xml_error(x->ctx, at, "XPath: %s in '%s'",
			     generic_msg(x) ? x->gmsg : "cannot evaluate", expr);
		xmlXPathFreeObject(r);
		r = NULL;
	}
	x->gmsg[0] = 0;
	return r;
}

/* The string value of expr (compiled as c), malloc'd (caller xmlFree()s),
 * or NULL. */
static char *eval_string_comp(expander *x, const xmlNode *at, const char *expr,
			      xmlXPathCompExprPtr c)
{
	xmlXPathObjectPtr r = eval_comp(x, at, expr, c);
	xmlChar *s;
	if (!r)
		return NULL;
	if (r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0)
		x->data_src = r->nodesetval->nodeTab[0];
	s = xmlXPathCastToString(r);
	xmlXPathFreeObject(r);
	return (char *)s;
}

/* The same for expr, the template's own text (compile_own). */
static char *eval_string(expander *x, const xmlNode *at, const char *expr)
{
	return eval_string_comp(x, at, expr, compile_own(x, at, expr));
}

/* Attribute value template: text with {XPath} parts ({{ and }} escape),
 * malloc'd (caller qj_free()s). When check is set, only compiles the
 * parts. */
static char *avt(expander *x, const xmlNode *at, const char *v, int check)
{
	qj_buf b;
	char *out;
	qj_buf_init(&b, x->ctx);
	while (*v) {
		const char *end;
		if (v[0] == '{' && v[1] == '{') { qj_buf_putc(&b, '{'); v += 2; continue; }
		if (v[0] == '}' && v[1] == '}') { qj_buf_putc(&b, '}'); v += 2; continue; }
		if (*v != '{') { qj_buf_putc(&b, *v++); continue; }
		end = strchr(v, '}');
		if (!end) {
			x->errors++;
			qj_xml_error(x->ctx, at, "unclosed '{' in the attribute value '%s'", v);
			break;
		}
		{
			size_t n = (size_t)(end - v - 1);
			char *expr = qj_malloc(x->ctx, n + 1);
			if (!expr)
				break; /* out of memory: marked in the context */
			memcpy(expr, v + 1, n);
			expr[n] = 0;
			if (check) {
				drop(x, expr, compile(x, at, expr));
			} else {
				char *s = eval_string_comp(x, at, expr, compile(x, at, expr));
				if (s)
					qj_buf_puts(&b, s);
				xmlFree(s);
			}
			qj_free(x->ctx, expr);
		}
		v = end + 1;
	}
	out = qj_strdup(x->ctx, qj_buf_str(&b));
	qj_buf_free(&b);
	return out;
}

/* Attribute a of template node t as an attribute value template parsed
 * once per template and kept in the cache (tmpl-imp.h); NULL without a
 * cache, out of memory, or for a value avt() must report on (then the
 * caller takes avt()). */
static const avt_info *avt_parsed(expander *x, const xmlNode *t, const xmlAttr *a)
{
	qj_tmpl_cache *cc = x->o->cache;
	avt_info *ai;
	xmlChar *v;
	const char *p;
	avt_part part[64];
	qj_buf lit;
	int n = 0, bad = 0;

	if (!cc)
		return NULL;
	if ((ai = tmpl_map_get(&cc->avts, a)))
		return ai->nparts >= 0 ? ai : NULL;
	if (!(v = xmlNodeGetContent((const xmlNode *)a)))
		return NULL;
	qj_buf_init(&lit, x->ctx);
	/* literal runs ({{ and }} unescaped) and {XPath} parts, in order */
	for (p = (const char *)v; *p && !bad;) {
		const char *end;
		if (p[0] == '{' && p[1] == '{') { qj_buf_putc(&lit, '{'); p += 2; continue; }
		if (p[0] == '}' && p[1] == '}') { qj_buf_putc(&lit, '}'); p += 2; continue; }
		if (*p != '{') { qj_buf_putc(&lit, *p++); continue; }
		if (!(end = strchr(p, '}')) || n + 2 > (int)(sizeof part / sizeof *part)) {
			bad = 1;
			break;
		}
		if (lit.len) {
			part[n].text = qj_arena_strdup(cc->arena, qj_buf_str(&lit));
			part[n++].expr = NULL;
			qj_buf_reset(&lit);
		}
		part[n].text = NULL;
		part[n].expr = qj_arena_strndup(cc->arena, p + 1, (size_t)(end - p - 1));
		part[n].comp = part[n].expr ? compile(x, t, part[n].expr) : NULL;
		bad = !part[n++].comp;
		p = end + 1;
	}
	ai = qj_arena_alloc(cc->arena, sizeof *ai);
	if (ai && bad) {
		/* said by avt() every time, parsed never again */
		ai->nparts = -1;
		if (tmpl_map_put(x->ctx, &cc->avts, a, ai) < 0)
			x->errors++;
		ai = NULL;
	} else if (ai) {
		ai->literal = n == 0;
		ai->value = qj_arena_strdup(cc->arena, qj_buf_str(&lit));
		if (!ai->literal && lit.len) {
			part[n].text = ai->value;
			part[n++].expr = NULL;
		}
		ai->nparts = n;
		ai->part = qj_arena_alloc(cc->arena, (size_t)(n ? n : 1) * sizeof *ai->part);
		if (!ai->value || !ai->part || tmpl_map_put(x->ctx, &cc->avts, a, ai) < 0)
			ai = NULL;
		else if (n)
			memcpy(ai->part, part, (size_t)n * sizeof *part);
	}
	qj_buf_free(&lit);
	xmlFree(v);
	return ai;
}

/* The value of a parsed attribute value template, malloc'd (caller
 * qj_free()s), as avt() makes it. */
static char *avt_eval(expander *x, const xmlNode *t, const avt_info *ai)
{
	qj_buf b;
	char *out;
	int i;
	if (ai->literal)
		return qj_strdup(x->ctx, ai->value);
	qj_buf_init(&b, x->ctx);
	for (i = 0; i < ai->nparts; i++) {
		if (ai->part[i].text) {
			qj_buf_puts(&b, ai->part[i].text);
		} else {
			char *s = eval_string_comp(x, t, ai->part[i].expr, ai->part[i].comp);
			if (s)
				qj_buf_puts(&b, s);
			xmlFree(s);
		}
	}
	out = qj_strdup(x->ctx, qj_buf_str(&b));
	qj_buf_free(&b);
	return out;
}

/* The attribute value template of t's attribute name, evaluated (avt()),
 * from the cache when there is one; NULL when t has none. */
static char *avt_attr(expander *x, const xmlNode *t, const char *name)
{
	const xmlAttr *a;
	const avt_info *ai = NULL;
	const char *v = qj_xml_attr(t, name);
	for (a = t->properties; v && a; a = a->next)
		if (a->ns == NULL && !strcmp((const char *)a->name, name)) {
			ai = avt_parsed(x, t, a);
			break;
		}
	if (ai)
		return avt_eval(x, t, ai);
	return v ? avt(x, t, v, 0) : NULL;
}

/* The label of key in the document's language(s), joined by sep; for a
 * person of sex "m" or "f" its variant when the catalog has one.
 * malloc'd (caller qj_free()s). */
static char *label_text(expander *x, const xmlNode *at, const char *key, const char *sep,
			const char *sex)
{
	qj_buf b;
	char *out;
	int i;
	qj_buf_init(&b, x->ctx);
	for (i = 0; i < x->nlangs; i++) {
		const char *t = qj_catalog_lookup_sex(x->o->catalog, key, x->langs[i], sex);
		if (!t) {
			x->errors++;
			qj_xml_error(x->ctx, at, "missing label '%s' for language '%s'", key, x->langs[i]);
			continue;
		}
		if (i && !strcmp(t, qj_buf_str(&b)))
			continue; /* the same in both languages: once */
		if (i && b.len)
			qj_buf_puts(&b, sep ? sep : " / ");
		qj_buf_puts(&b, t);
	}
	out = qj_strdup(x->ctx, qj_buf_str(&b));
	qj_buf_free(&b);
	return out;
}

/* q:label(key [, sep [, sex]]) inside XPath. */
static void fn_label(xmlXPathParserContextPtr pc, int nargs)
{
	expander *x = pc->context->userData;
	xmlChar *key, *sep = NULL, *sex = NULL;
	char *t;
	if (nargs < 1 || nargs > 3) {
		xmlXPathSetArityError(pc);
		return;
	}
	if (nargs == 3)
		sex = xmlXPathPopString(pc);
	if (nargs >= 2)
		sep = xmlXPathPopString(pc);
	key = xmlXPathPopString(pc);
	t = label_text(x, x->at, (const char *)key, (const char *)sep,
		       (const char *)sex);
	valuePush(pc, xmlXPathNewString((const xmlChar *)(t ? t : "")));
	qj_free(x->ctx, t);
	xmlFree(key);
	xmlFree(sep);
	xmlFree(sex);
}

/* q:label-in(key, lang [, sex]): the label in one given language. */
static void fn_label_in(xmlXPathParserContextPtr pc, int nargs)
{
	expander *x = pc->context->userData;
	xmlChar *key, *lang, *sex = NULL;
	const char *t;
	if (nargs < 2 || nargs > 3) {
		xmlXPathSetArityError(pc);
		return;
	}
	if (nargs == 3)
		sex = xmlXPathPopString(pc);
	lang = xmlXPathPopString(pc);
	key = xmlXPathPopString(pc);
	t = qj_catalog_lookup_sex(x->o->catalog, (const char *)key, (const char *)lang,
				  (const char *)sex);
	xmlFree(sex);
	if (!t) {
		x->errors++;
		qj_xml_error(x->ctx, x->at, "missing label '%s' for language '%s'",
			     (const char *)key, (const char *)lang);
	}
	valuePush(pc, xmlXPathNewString((const xmlChar *)(t ? t : "")));
	xmlFree(key);
	xmlFree(lang);
}

/* The bytes a value holds (its string, or its node-set's array). */
static size_t value_bytes(const xmlXPathObject *v)
{
	if (!v)
		return 0;
	if (v->type == XPATH_STRING && v->stringval)
		return strlen((const char *)v->stringval);
	if (v->type == XPATH_NODESET && v->nodesetval)
		return (size_t)v->nodesetval->nodeNr * sizeof(xmlNodePtr);
	return 0;
}

static void set_var(expander *x, const char *name, xmlXPathObjectPtr v)
{
	size_t held = value_bytes(v);
	if (x->nvars < 256) {
		x->vars[x->nvars].name = (const xmlChar *)name;
		x->vars[x->nvars].old = xmlXPathVariableLookup(x->xp, (const xmlChar *)name);
		x->vars[x->nvars].held = held;
		x->mem += held;
		x->nvars++;
	}
	xmlXPathRegisterVariable(x->xp, (const xmlChar *)name, v);
}

static void pop_vars(expander *x, int to)
{
	while (x->nvars > to) {
		var_saved *s = &x->vars[--x->nvars];
		x->mem -= s->held;
		xmlXPathRegisterVariable(x->xp, s->name, s->old);
	}
}

static int expand_children(expander *x, const xmlNode *t, xmlNodePtr out);

typedef struct keyed {
	xmlNodePtr node;
	const char *key;
	double num;
	int idx;
	int desc, numeric;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *p = a, *q = b;
	int c;
	if (p->numeric)
		c = (p->num > q->num) - (p->num < q->num);
	else
		c = strcmp(p->key, q->key);
	if (p->desc)
		c = -c;
	return c ? c : p->idx - q->idx;
}

/* A loop: the node-set, its sort keys (in an arena of this loop) and the
 * array are freed when the loop ends; the node-set and array are held
 * against the memory limit while it runs, the sort keys for good. */
static int do_for_each(expander *x, const xmlNode *t, xmlNodePtr out)
{
	const char *sel = qj_xml_attr(t, "select"), *sort = qj_xml_attr(t, "sort");
	const char *order = qj_xml_attr(t, "order"), *stype = qj_xml_attr(t, "sort-type");
	const char *sl = qj_xml_attr(t, "sort-lang");
	xmlXPathObjectPtr r = eval(x, t, sel);
	xmlNodePtr saved = x->cur;
	int spos = x->pos, ssize = x->size, i, n, rc = 0;
	qj_arena *keys = NULL;
	size_t held, keys_held = 0;
	keyed *k;

	if (!r)
		return -1;
	if (r->type != XPATH_NODESET) {
		x->errors++;
		qj_xml_error(x->ctx, t, "for-each select='%s' is not a node-set", sel);
		xmlXPathFreeObject(r);
		return -1;
	}
	n = r->nodesetval ? r->nodesetval->nodeNr : 0;
	held = (size_t)n * (sizeof *k + sizeof(xmlNodePtr));
	x->mem += held;
	k = mem_check(x, t) < 0 ? NULL : qj_malloc(x->ctx, (size_t)(n + 1) * sizeof *k);
	if (!k) {
		x->mem -= held;
		xmlXPathFreeObject(r);
		return -1;
	}
	if (sort && !(keys = qj_arena_new(x->ctx)))
		rc = -1;
	for (i = 0; i < n && rc == 0; i++) {
		k[i].node = r->nodesetval->nodeTab[i];
		k[i].idx = i;
		k[i].desc = order && !strcmp(order, "descending");
		k[i].numeric = stype && !strcmp(stype, "number");
		k[i].key = "";
		if (sort) {
			char *v;
			x->cur = k[i].node;
			x->pos = i + 1;
			x->size = n;
			v = eval_string(x, t, sort);
			if (v) {
				k[i].num = atof(v);
				/* text keys compare in the language's collation order */
				k[i].key = !k[i].numeric && *v
					? qj_text_sort_key(x->ctx, keys, v, sl ? sl : x->langs[0])
					: qj_arena_strdup(keys, v);
				if (!k[i].key)
					k[i].key = "";
				xmlFree(v);
			} else if (errors(x)) {
				rc = -1;
			}
			x->mem -= keys_held;
			keys_held = qj_arena_size(keys);
			x->mem += keys_held;
			if (mem_check(x, t) < 0)
				rc = -1;
		}
	}
	if (sort && rc == 0)
		qsort(k, (size_t)n, sizeof *k, cmp_keyed);
	for (i = 0; i < n && rc == 0; i++) {
		x->cur = k[i].node;
		x->pos = i + 1;
		x->size = n;
		rc = expand_children(x, t, out);
	}
	x->cur = saved;
	x->pos = spos;
	x->size = ssize;
	/* the keys stay counted: sorting is work the limit bounds too (five
	 * nested sorts keyed on the whole document must stop in seconds, not
	 * once the keys held at one time reach the limit) */
	x->mem -= held;
	qj_arena_free(keys);
	qj_free(x->ctx, k);
	xmlXPathFreeObject(r);
	return rc;
}

static int test_true(expander *x, const xmlNode *t)
{
	xmlXPathObjectPtr r = eval(x, t, qj_xml_attr(t, "test"));
	int v;
	if (!r)
		return -1;
	v = xmlXPathCastToBoolean(r);
	xmlXPathFreeObject(r);
	return v;
}

static void append_text(xmlNodePtr out, const char *s)
{
	if (s && *s)
		xmlAddChild(out, xmlNewDocText(out->doc, (const xmlChar *)s));
}

/* Whether an attribute value has no {XPath} part ({{ and }} are braces). */
static int is_literal(const char *v)
{
	for (; *v; v++) {
		if (v[0] == '{' && v[1] == '{')
			v++;
		else if (*v == '{')
			return 0;
	}
	return 1;
}

/* The vocabulary's name of a flow element (the template's root is the
 * expanded <document>). */
static const char *flow_name(const xmlNode *t)
{
	return t->parent && t->parent->type == XML_DOCUMENT_NODE ? "document"
								 : (const char *)t->name;
}

/* Checks value against the vocabulary row of attribute an of element t;
 * problems are reported at data when the value came from there. */
static void check_value(expander *x, const xmlNode *t, const char *an, const char *value,
			const xmlNode *data)
{
	const qj_vattr *va = qj_vocab_attr(flow_name(t), an);
	char why[200];
	if (!va || qj_vocab_parse(va, value, NULL, why, sizeof why) == 0)
		return;
	x->errors++;
	/* a literal value: at its own line in the template */
	if (!data)
		data = (const xmlNode *)xmlHasProp(t, (const xmlChar *)an);
	qj_xml_error(x->ctx, data ? data : t, "attribute '%s' of <%s>: '%s' %s", an,
		     (const char *)t->name, value, why);
}

/* Copies t's attributes onto n, evaluated; computed values are checked
 * against the vocabulary. The data node a value came from is kept in its
 * attribute's _private, and the last one in n->_private, so that
 * diagnostics about n (or that value) point into the data file. */
static void copy_attrs(expander *x, const xmlNode *t, xmlNodePtr n)
{
	const xmlNode *src = NULL;
	xmlAttrPtr a, na;
	for (a = t->properties; a; a = a->next) {
		const avt_info *ai = avt_parsed(x, t, a);
		char *s = NULL;
		const char *val;
		x->data_src = NULL;
		if (ai && ai->literal) {
			val = ai->value; /* checked when the template was loaded */
		} else if (ai) {
			s = avt_eval(x, t, ai);
			if (s)
				check_value(x, t, (const char *)a->name, s, x->data_src);
			val = s;
		} else {
			xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
			s = avt(x, t, (const char *)v, 0);
			if (s && !is_literal((const char *)v))
				check_value(x, t, (const char *)a->name, s, x->data_src);
			xmlFree(v);
			val = s;
		}
		na = xmlNewProp(n, a->name, (const xmlChar *)(val ? val : ""));
		if (na && x->data_src)
			na->_private = (void *)(src = x->data_src);
		x->mem += sizeof(xmlAttr) + sizeof(xmlNode) + (val ? strlen(val) : 0);
		qj_free(x->ctx, s);
	}
	x->data_src = src;
	if (src)
		n->_private = (void *)src;
}

/* Counts one more node written; past the limit the expansion stops (a
 * template looping over every element inside every element must not run
 * for hours). */
static int count_node(expander *x, const xmlNode *t, size_t bytes)
{
	x->mem += sizeof(xmlNode) + bytes;
	if (mem_check(x, t) < 0)
		return -1;
	if (++x->nodes <= qj_ctx_limits(x->ctx)->max_nodes)
		return 0;
	x->errors++;
	qj_xml_error(x->ctx, t, "the template writes more than %ld elements and texts (the limit)",
		     qj_ctx_limits(x->ctx)->max_nodes);
	return -1;
}

/* Copies a flow element with its attributes evaluated. */
static int copy_flow(expander *x, const xmlNode *t, xmlNodePtr out)
{
	xmlNodePtr n;
	if (count_node(x, t, 0) < 0)
		return -1;
	n = xmlNewDocNode(out->doc, NULL, t->name, NULL);
	if (!n)
		return -1;
	n->line = t->line;
	xmlAddChild(out, n);
	copy_attrs(x, t, n);
	if (mem_check(x, t) < 0)
		return -1;
	return expand_children(x, t, n);
}

static int expand_node(expander *x, const xmlNode *t, xmlNodePtr out)
{
	const char *name = (const char *)t->name;
	x->at = t;
	if (!strcmp(name, "for-each"))
		return do_for_each(x, t, out);
	if (!strcmp(name, "if")) {
		int v = test_true(x, t);
		return v < 0 ? -1 : v ? expand_children(x, t, out) : 0;
	}
	if (!strcmp(name, "choose")) {
		xmlNodePtr c;
		for (c = qj_xml_child(t, NULL); c; c = qj_xml_next(c, NULL)) {
			int v = strcmp((const char *)c->name, "otherwise") ? test_true(x, c) : 1;
			if (v < 0)
				return -1;
			if (v)
				return expand_children(x, c, out);
		}
		return 0;
	}
	if (!strcmp(name, "variable")) {
		xmlXPathObjectPtr r = eval(x, t, qj_xml_attr(t, "select"));
		if (!r)
			return -1;
		set_var(x, qj_xml_attr(t, "name"), r);
		return mem_check(x, t);
	}
	if (!strcmp(name, "value")) {
		char *s;
		x->data_src = NULL;
		s = eval_string(x, t, qj_xml_attr(t, "select"));
		if (!s || count_node(x, t, strlen(s)) < 0) {
			xmlFree(s);
			return -1;
		}
		append_text(out, s);
		/* text from the data: problems with it (a character no font
		 * has) are reported at the data's line */
		if (x->data_src && *s && out->type == XML_ELEMENT_NODE && !out->_private)
			out->_private = (void *)x->data_src;
		xmlFree(s);
		return 0;
	}
	if (!strcmp(name, "label")) {
		char *key = avt_attr(x, t, "key");
		const char *sx = qj_xml_attr(t, "sex");
		char *sex = sx ? avt_attr(x, t, "sex") : NULL;
		char *s = key && (!sx || sex) ? label_text(x, t, key, qj_xml_attr(t, "sep"), sex)
					      : NULL;
		int rc = s ? count_node(x, t, strlen(s)) : 0;
		if (rc == 0)
			append_text(out, s);
		qj_free(x->ctx, key);
		qj_free(x->ctx, sex);
		qj_free(x->ctx, s);
		return rc;
	}
	return copy_flow(x, t, out);
}

static int expand_children(expander *x, const xmlNode *t, xmlNodePtr out)
{
	const xmlNode *c;
	int mark = x->nvars, rc = 0;
	for (c = t->children; c && rc == 0; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const char *s = (const char *)c->content;
			/* whitespace-only text is layout of the template, unless it
			 * stays on one line (<label/> <value/>) */
			if (s[strspn(s, " \t\r\n")] || !strchr(s, '\n')) {
				rc = count_node(x, c, strlen(s));
				if (rc == 0)
					append_text(out, s);
			}
		} else if (c->type == XML_ELEMENT_NODE) {
			rc = expand_node(x, c, out);
			if (errors(x) > qj_ctx_limits(x->ctx)->max_errors)
				rc = -1;
		}
	}
	pop_vars(x, mark);
	return rc;
}

/* A flow element's attribute at load: known to the vocabulary, its
 * {XPath} parts compile, and a literal value is one the vocabulary takes. */
static void check_flow_attr(expander *x, const xmlNode *t, const char *an, const char *v)
{
	const char *el = flow_name(t);
	if (!qj_vocab_attr(el, an)) {
		char names[600];
		qj_vocab_attr_names(el, names, sizeof names);
		x->errors++;
		qj_xml_error(x->ctx, t, "unknown attribute '%s' of <%s> (it has: %s)", an,
			     (const char *)t->name, names);
		return;
	}
	if (!is_literal(v)) {
		qj_free(x->ctx, avt(x, t, v, 1));
		return;
	}
	{
		char *s = avt(x, t, v, 0); /* no XPath: only {{ and }} */
		if (s)
			check_value(x, t, an, s, NULL);
		qj_free(x->ctx, s);
	}
}

/* Static checks: element names, required attributes, XPath syntax, and
 * every attribute of a flow element against the vocabulary. */
static void check_node(expander *x, const xmlNode *t)
{
	static const struct { const char *el, *attr; } required[] = {
		{"for-each", "select"}, {"if", "test"}, {"when", "test"},
		{"variable", "name"}, {"variable", "select"}, {"value", "select"},
		{"label", "key"}};
	const char *name = (const char *)t->name;
	const xmlNode *c;
	size_t i;
	xmlAttrPtr a;
	int mark;

	int flow = !is_control(name), known = 1;
	if (flow && !qj_vocab_is_element(name) &&
	    !(t->parent && t->parent->type == XML_DOCUMENT_NODE)) {
		x->errors++;
		qj_xml_error(x->ctx, t, "unknown element <%s>", name);
		known = 0;
	}
	for (i = 0; i < sizeof required / sizeof *required; i++)
		if (!strcmp(name, required[i].el) && !qj_xml_attr(t, required[i].attr)) {
			x->errors++;
			qj_xml_error(x->ctx, t, "<%s> needs %s=", name, required[i].attr);
		}
	for (a = t->properties; a; a = a->next) {
		xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
		const char *an = (const char *)a->name;
		if (is_control(name) && (!strcmp(an, "select") || !strcmp(an, "test") ||
					 !strcmp(an, "sort"))) {
			drop(x, (const char *)v, compile(x, t, (const char *)v));
		} else if (!flow && (!strcmp(an, "key") || !strcmp(an, "sex"))) {
			qj_free(x->ctx, avt(x, t, (const char *)v, 1));
		} else if (flow && known) {
			check_flow_attr(x, t, an, (const char *)v);
		}
		xmlFree(v);
	}
	/* a <variable> is in scope for its following siblings and what they
	 * hold (expand_children) */
	mark = x->nscope;
	for (c = t->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			const char *vn = qj_xml_attr(c, "name");
			check_node(x, c);
			if (!strcmp((const char *)c->name, "variable") && vn &&
			    x->nscope < (int)(sizeof x->scope / sizeof *x->scope))
				x->scope[x->nscope++] = vn;
		}
	x->nscope = mark;
}

static xmlXPathContextPtr new_xpath(expander *x, xmlDocPtr data)
{
	xmlXPathContextPtr xp = xmlXPathNewContext(data);
	if (!xp)
		return NULL;
	xp->userData = x;
	xp->error = on_xpath_error;
	/* a bound on the work of all expressions of one expansion, so that an
	 * expression nested over every node cannot run for hours */
	xp->opLimit = qj_ctx_limits(x->ctx)->max_xpath_ops;
	xmlXPathRegisterNs(xp, (const xmlChar *)"q", (const xmlChar *)QJ_TMPL_NS);
	xmlXPathRegisterFuncNS(xp, (const xmlChar *)"label", (const xmlChar *)QJ_TMPL_NS, fn_label);
	xmlXPathRegisterFuncNS(xp, (const xmlChar *)"label-in", (const xmlChar *)QJ_TMPL_NS, fn_label_in);
	return xp;
}

static int setup(expander *x, qj_ctx *ctx, xmlDocPtr data, const qj_tmpl_opts *o)
{
	static const qj_tmpl_opts none = {"kk", NULL, NULL, NULL, NULL};
	memset(x, 0, sizeof *x);
	x->ctx = ctx;
	x->o = o ? o : &none;
	x->diag0 = qj_diag_errors(ctx);
	/* libxml2's generic messages are ours while we run */
	x->old_generic = xmlGenericError;
	x->old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(x, on_generic);
	x->arena = qj_arena_new(ctx);
	if (x->arena && x->o->cache && x->o->cache->xp) {
		/* the batch's context: this expansion's document, expander and a
		 * fresh operation count (the limit is per document) */
		x->xp = x->o->cache->xp;
		x->xp->doc = data;
		x->xp->node = NULL;
		x->xp->userData = x;
		x->xp->opLimit = qj_ctx_limits(x->ctx)->max_xpath_ops;
		x->xp->opCount = 0;
		x->xp->depth = 0;
	} else {
		x->xp = x->arena ? new_xpath(x, data) : NULL;
		if (x->xp && x->o->cache)
			x->o->cache->xp = x->xp;
	}
	if (!x->xp)
		return -1;
	if (x->o->funcs && x->o->funcs(ctx, x->xp, x->arena, x->o->lang) < 0)
		return -1;
	return 0;
}

static void teardown(expander *x)
{
	pop_vars(x, 0);
	if (x->xp && x->o->cache && x->xp == x->o->cache->xp) {
		x->xp->userData = NULL; /* kept for the next expansion */
		x->xp->doc = NULL;
		x->xp->node = NULL;
	} else if (x->xp) {
		xmlXPathFreeContext(x->xp);
	}
	qj_arena_free(x->arena);
	xmlSetGenericErrorFunc(x->old_generic_ctx, x->old_generic);
}

xmlDocPtr qj_tmpl_load(qj_ctx *ctx, const char *path)
{
	static const char *const none[] = {NULL};
	return qj_tmpl_load_params(ctx, path, none);
}

xmlDocPtr qj_tmpl_load_params(qj_ctx *ctx, const char *path, const char *const *params)
{
	/* the functions the expansion will have: the text services */
	static const qj_tmpl_opts check = {"kk", NULL, qj_tmpl_register_text_funcs, NULL, NULL};
	xmlDocPtr t = qj_xml_load(ctx, path);
	expander x;
	xmlNodePtr root;
	if (!t)
		return NULL;
	root = xmlDocGetRootElement(t);
	if (strcmp((const char *)root->name, "template")) {
		qj_xml_error(ctx, root, "a template's root element must be <template>, not <%s>",
			     (const char *)root->name);
		xmlFreeDoc(t);
		return NULL;
	}
	if (setup(&x, ctx, t, &check) == 0) {
		x.checking = 1;
		x.params = params;
		check_node(&x, root);
	} else {
		x.errors++;
	}
	teardown(&x);
	if (x.errors) {
		xmlFreeDoc(t);
		return NULL;
	}
	return t;
}

xmlDocPtr qj_tmpl_expand(qj_ctx *ctx, xmlDocPtr tmpl, xmlDocPtr data,
			 const qj_tmpl_opts *opts)
{
	expander x;
	xmlDocPtr out;
	xmlNodePtr root = xmlDocGetRootElement(tmpl), doc;
	const char *const *p;
	char *lang;
	int rc;

	if (setup(&x, ctx, data, opts) < 0) {
		teardown(&x);
		return NULL;
	}
	/* languages: "kk", or two joined by '+', state language first */
	lang = qj_arena_strdup(x.arena, x.o->lang ? x.o->lang : "kk");
	if (!lang) {
		teardown(&x);
		return NULL;
	}
	x.langs[x.nlangs++] = lang;
	if (strchr(lang, '+')) {
		*strchr(lang, '+') = 0;
		x.langs[x.nlangs++] = lang + strlen(lang) + 1;
	}
	set_var(&x, "lang", xmlXPathNewString((const xmlChar *)x.o->lang));
	set_var(&x, "bilingual", xmlXPathNewBoolean(x.nlangs > 1));
	set_var(&x, "lang1", xmlXPathNewString((const xmlChar *)x.langs[0]));
	set_var(&x, "lang2", xmlXPathNewString((const xmlChar *)x.langs[x.nlangs - 1]));
	for (p = x.o->params; p && p[0] && p[1]; p += 2)
		set_var(&x, p[0], xmlXPathNewString((const xmlChar *)p[1]));
	out = xmlNewDoc((const xmlChar *)"1.0");
	/* element and attribute names from the template's dictionary, not a
	 * copy of each per person (the values are the document's own) */
	if (out && tmpl->dict && !out->dict) {
		out->dict = tmpl->dict;
		xmlDictReference(out->dict);
	}
	doc = xmlNewDocNode(out, NULL, (const xmlChar *)"document", NULL);
	xmlDocSetRootElement(out, doc);
	out->URL = xmlStrdup(tmpl->URL);
	x.cur = (xmlNodePtr)data;
	x.pos = x.size = 1;
	copy_attrs(&x, root, doc);
	if (!qj_xml_attr(doc, "lang"))
		xmlNewProp(doc, (const xmlChar *)"lang", (const xmlChar *)x.langs[0]);
	doc->line = root->line;
	rc = expand_children(&x, root, doc);
	teardown(&x);
	if (rc < 0 || errors(&x) || qj_ctx_oom(ctx)) {
		xmlFreeDoc(out);
		return NULL;
	}
	return out;
}
