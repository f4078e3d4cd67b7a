/* expand: checks a template, then walks it over the data: control elements
 * (for-each with sorting, if, choose, variable, value, label) are executed
 * with XPath through libxml2, flow elements are copied with their {XPath}
 * attribute value templates evaluated. Flow attributes are checked against
 * the vocabulary table (box/vocab.h): literal ones when the template is
 * loaded, in every branch, computed ones when they are expanded. */
#include "tmpl.h"

#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "box/vocab.h"
#include "text/text.h"
#include "xml/xml.h"

typedef struct var_saved {
	const xmlChar *name;
	xmlXPathObjectPtr old;
} var_saved;

typedef struct expander {
	qj_ctx *ctx;
	const qj_tmpl_opts *o;
	xmlXPathContextPtr xp;
	qj_arena *arena;
	const xmlNode *at;     /* template node being evaluated, for errors */
	int errors;
	const char *langs[2];
	int nlangs;
	xmlNodePtr cur;
	int pos, size;
	const xmlNode *data_src; /* first data node an attribute value came from */
	long nodes;              /* elements and texts written so far */
	var_saved vars[256];
	int nvars;
} expander;

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

static void on_xpath_error(void *data, xmlErrorPtr err)
{
	expander *x = data;
	char msg[512];
	size_t n;
	snprintf(msg, sizeof msg, "%s", err && err->message ? err->message : "XPath error");
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	x->errors++;
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
	qj_xml_error(x->ctx, x->at, "XPath: %s%s%s", msg, err && err->str1 ? " in " : "",
		     err && err->str1 ? err->str1 : "");
}

/* Compiles expr; reports a syntax error at the template node. */
static xmlXPathCompExprPtr compile(expander *x, const xmlNode *at, const char *expr)
{
	xmlXPathCompExprPtr c;
	int before = x->errors;
	x->at = at;
	c = xmlXPathCtxtCompile(x->xp, (const xmlChar *)expr);
	if (!c && x->errors == before) {
		x->errors++;
		qj_xml_error(x->ctx, at, "XPath syntax error in '%s'", expr);
	} else if (!c) {
		qj_xml_error(x->ctx, at, "in the expression '%s'", expr);
	}
	return c;
}

static xmlXPathObjectPtr eval(expander *x, const xmlNode *at, const char *expr)
{
	xmlXPathCompExprPtr c = compile(x, at, expr);
	xmlXPathObjectPtr r;
	int before = x->errors;
	if (!c)
		return NULL;
	x->xp->node = x->cur;
	x->xp->proximityPosition = x->pos;
	x->xp->contextSize = x->size;
	r = xmlXPathCompiledEval(c, x->xp);
	xmlXPathFreeCompExpr(c);
	if (!r && x->errors == before) {
		x->errors++;
		qj_xml_error(x->ctx, at, "cannot evaluate '%s'", expr);
	}
	return r;
}

static char *eval_string(expander *x, const xmlNode *at, const char *expr)
{
	xmlXPathObjectPtr r = eval(x, at, expr);
	xmlChar *s;
	char *out;
	if (!r)
		return NULL;
	if (r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0)
		x->data_src = r->nodesetval->nodeTab[0];
	s = xmlXPathCastToString(r);
	xmlXPathFreeObject(r);
	out = qj_arena_strdup(x->arena, (const char *)s);
	xmlFree(s);
	return out;
}

/* Attribute value template: text with {XPath} parts ({{ and }} escape). When
 * check is set, only compiles the parts. */
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
			char *expr = qj_arena_strndup(x->arena, v + 1, (size_t)(end - v - 1));
			if (!expr)
				break; /* out of memory: marked in the context */
			if (check) {
				xmlXPathCompExprPtr c = compile(x, at, expr);
				xmlXPathFreeCompExpr(c);
			} else {
				char *s = eval_string(x, at, expr);
				if (s)
					qj_buf_puts(&b, s);
			}
		}
		v = end + 1;
	}
	out = qj_arena_strdup(x->arena, qj_buf_str(&b));
	qj_buf_free(&b);
	return out;
}

/* The label of key in the document's language(s), joined by sep; for a
 * person of sex "m" or "f" its variant when the catalog has one. */
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
	out = qj_arena_strdup(x->arena, qj_buf_str(&b));
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

static void set_var(expander *x, const char *name, xmlXPathObjectPtr v)
{
	if (x->nvars < 256) {
		x->vars[x->nvars].name = (const xmlChar *)name;
		x->vars[x->nvars].old = xmlXPathVariableLookup(x->xp, (const xmlChar *)name);
		x->nvars++;
	}
	xmlXPathRegisterVariable(x->xp, (const xmlChar *)name, v);
}

static void pop_vars(expander *x, int to)
{
	while (x->nvars > to) {
		var_saved *s = &x->vars[--x->nvars];
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

static int do_for_each(expander *x, const xmlNode *t, xmlNodePtr out)
{
	const char *sel = qj_xml_attr(t, "select"), *sort = qj_xml_attr(t, "sort");
	const char *order = qj_xml_attr(t, "order"), *stype = qj_xml_attr(t, "sort-type");
	xmlXPathObjectPtr r = eval(x, t, sel);
	xmlNodePtr saved = x->cur;
	int spos = x->pos, ssize = x->size, i, n, rc = 0;
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
	k = qj_arena_alloc(x->arena, (size_t)(n + 1) * sizeof *k);
	if (!k) {
		xmlXPathFreeObject(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		k[i].node = r->nodesetval->nodeTab[i];
		k[i].idx = i;
		k[i].desc = order && !strcmp(order, "descending");
		k[i].numeric = stype && !strcmp(stype, "number");
		if (sort) {
			x->cur = k[i].node;
			x->pos = i + 1;
			x->size = n;
			k[i].key = eval_string(x, t, sort);
			if (!k[i].key)
				k[i].key = "";
			k[i].num = atof(k[i].key);
			/* text keys compare in the language's collation order */
			if (!k[i].numeric && *k[i].key) {
				const char *sl = qj_xml_attr(t, "sort-lang");
				char *ck = qj_text_sort_key(x->ctx, x->arena, k[i].key,
							    sl ? sl : x->langs[0]);
				if (ck)
					k[i].key = ck;
			}
		}
	}
	if (sort)
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
		xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
		char *s;
		x->data_src = NULL;
		s = avt(x, t, (const char *)v, 0);
		if (s && !is_literal((const char *)v))
			check_value(x, t, (const char *)a->name, s, x->data_src);
		xmlFree(v);
		na = xmlNewProp(n, a->name, (const xmlChar *)(s ? s : ""));
		if (na && x->data_src)
			na->_private = (void *)(src = x->data_src);
	}
	x->data_src = src;
	if (src)
		n->_private = (void *)src;
}

/* Counts one more node written; past the limit the expansion stops (a
 * template looping over every element inside every element must not run
 * for hours). */
static int count_node(expander *x, const xmlNode *t)
{
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
	if (count_node(x, t) < 0)
		return -1;
	xmlNodePtr n = xmlNewDocNode(out->doc, NULL, t->name, NULL);
	if (!n)
		return -1;
	n->line = t->line;
	xmlAddChild(out, n);
	copy_attrs(x, t, n);
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
		return 0;
	}
	if (!strcmp(name, "value")) {
		char *s;
		x->data_src = NULL;
		s = eval_string(x, t, qj_xml_attr(t, "select"));
		if (!s || count_node(x, t) < 0)
			return -1;
		append_text(out, s);
		/* text from the data: problems with it (a character no font
		 * has) are reported at the data's line */
		if (x->data_src && *s && out->type == XML_ELEMENT_NODE && !out->_private)
			out->_private = (void *)x->data_src;
		return 0;
	}
	if (!strcmp(name, "label")) {
		char *key = avt(x, t, qj_xml_attr(t, "key"), 0);
		const char *sx = qj_xml_attr(t, "sex");
		char *sex = sx ? avt(x, t, sx, 0) : NULL;
		char *s = key && (!sx || sex) ? label_text(x, t, key, qj_xml_attr(t, "sep"), sex)
					      : NULL;
		append_text(out, s);
		return 0;
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
				rc = count_node(x, c);
				if (rc == 0)
					append_text(out, s);
			}
		} else if (c->type == XML_ELEMENT_NODE) {
			rc = expand_node(x, c, out);
			if (x->errors > qj_ctx_limits(x->ctx)->max_errors)
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
		avt(x, t, v, 1);
		return;
	}
	{
		char *s = avt(x, t, v, 0); /* no XPath: only {{ and }} */
		if (s)
			check_value(x, t, an, s, NULL);
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
			xmlXPathCompExprPtr cp = compile(x, t, (const char *)v);
			xmlXPathFreeCompExpr(cp);
		} else if (!flow && (!strcmp(an, "key") || !strcmp(an, "sex"))) {
			avt(x, t, (const char *)v, 1);
		} else if (flow && known) {
			check_flow_attr(x, t, an, (const char *)v);
		}
		xmlFree(v);
	}
	for (c = t->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			check_node(x, c);
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
	static const qj_tmpl_opts none = {"kk", NULL, NULL, NULL};
	memset(x, 0, sizeof *x);
	x->ctx = ctx;
	x->o = o ? o : &none;
	x->arena = qj_arena_new(ctx);
	x->xp = x->arena ? new_xpath(x, data) : NULL;
	if (!x->xp)
		return -1;
	if (x->o->funcs && x->o->funcs(ctx, x->xp, x->arena, x->o->lang) < 0)
		return -1;
	return 0;
}

static void teardown(expander *x)
{
	pop_vars(x, 0);
	if (x->xp)
		xmlXPathFreeContext(x->xp);
	qj_arena_free(x->arena);
}

xmlDocPtr qj_tmpl_load(qj_ctx *ctx, const char *path)
{
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
	if (setup(&x, ctx, t, NULL) == 0)
		check_node(&x, root);
	else
		x.errors++;
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
	if (rc < 0 || x.errors || qj_ctx_oom(ctx)) {
		xmlFreeDoc(out);
		return NULL;
	}
	return out;
}
