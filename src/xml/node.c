/* node: source locations, located diagnostics, RELAX NG validation and small
 * helpers for walking loaded data. */
#include "xml.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include <libxml/relaxng.h>
#include <libxml/xmlregexp.h>
#include <libxml/xmlschemastypes.h>
#include <string.h>

int qj_xml_line(const xmlNode *node)
{
	/* an attribute of a loaded file knows the line its value starts on
	 * (load.c) */
	if (node && node->type == XML_ATTRIBUTE_NODE && node->doc &&
	    node->doc->psvi == &qj_xml_attr_lines) {
		intptr_t l = (intptr_t)((const xmlAttr *)node)->psvi;
		if (l > 0 && l < INT_MAX)
			return (int)l;
	}
	while (node && node->type != XML_ELEMENT_NODE &&
	       node->type != XML_TEXT_NODE)
		node = node->parent;
	if (!node)
		return 0;
	return (int)xmlGetLineNo((xmlNodePtr)node);
}

const char *qj_xml_file(const xmlNode *node)
{
	if (node && node->doc && node->doc->URL)
		return (const char *)node->doc->URL;
	return "-";
}

const char *qj_xml_rel_path(const char *url, const char *src, char *buf, size_t n)
{
	const char *slash = url ? strrchr(url, '/') : NULL;
	if (src[0] != '/' && slash)
		snprintf(buf, n, "%.*s/%s", (int)(slash - url), url, src);
	else
		snprintf(buf, n, "%s", src);
	return buf;
}

static void vnode_diag(qj_ctx *ctx, qj_severity sev, const xmlNode *node,
		       const char *fmt, va_list ap)
{
	qj_vdiag(ctx, sev, qj_xml_file(node), qj_xml_line(node), 0, fmt, ap);
}

void qj_xml_error(qj_ctx *ctx, const xmlNode *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vnode_diag(ctx, QJ_ERROR, node, fmt, ap);
	va_end(ap);
}

void qj_xml_warning(qj_ctx *ctx, const xmlNode *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vnode_diag(ctx, QJ_WARNING, node, fmt, ap);
	va_end(ap);
}

typedef struct rng_state {
	qj_ctx *ctx;
	const char *file;
	int errors;
	xmlDocPtr schema;       /* for naming attributes and their types */
	const xmlNode *said[8]; /* elements whose attributes were reported */
	int nsaid;
} rng_state;

/* ---------- attributes: libxml2's messages made to name the value ---------- */

/* libxml2 reports a bad attribute as "Invalid attribute hours for element
 * person", "Type positiveInteger doesn't allow value '7two'" and "Element
 * person failed to validate attributes", each without the rest, and an
 * attribute the schema does not have as the first or not at all. At the
 * first of these for an element, its attributes are checked here against
 * the schema's definitions of that element, and each problem said once,
 * with its value: <person> hours="7two" is not a whole number (1 or more);
 * <signer> name="" is empty: it needs a value;
 * <person> has no attribute 'colour' (it has: serial, name, ...); <person>
 * lacks the required attribute 'name'. libxml2's later messages for that
 * element are then left out. */

#define ATTR_MAX 64

typedef struct attr_def {
	const char *name;
	char buf[64];       /* the name when the schema gives it as <name> */
	const xmlNode *def; /* the schema's <attribute> */
	int required;
} attr_def;

static const xmlNode *schema_define(const xmlNode *root, const char *name)
{
	const xmlNode *d;
	for (d = qj_xml_child(root, "define"); d; d = qj_xml_next(d, "define")) {
		const char *n = qj_xml_attr(d, "name");
		if (n && !strcmp(n, name))
			return d;
	}
	return NULL;
}

/* The name of an attribute definition: name="..." or <name>...</name>
 * (then with the namespace's prefix for xml:lang). */
static const char *attr_def_name(const xmlNode *a, char *buf, size_t n)
{
	const char *name = qj_xml_attr(a, "name");
	const xmlNode *c = qj_xml_child(a, "name");
	if (name)
		return name;
	if (!c || !c->children || !c->children->content)
		return NULL;
	snprintf(buf, n, "%s%s",
		 qj_xml_attr(c, "ns") && strstr(qj_xml_attr(c, "ns"), "XML/1998/namespace") ? "xml:" : "",
		 (const char *)c->children->content);
	return buf;
}

/* The attributes a schema <element> allows (not those of elements inside
 * it), through <optional>, <choice>, <group>, <interleave> and <ref>s. */
static void collect_attr_defs(const xmlNode *root, const xmlNode *n, int required, int depth,
			      attr_def *out, int *count)
{
	const xmlNode *c;
	if (depth > 16)
		return;
	for (c = n->children; c; c = c->next) {
		const char *k = (const char *)c->name;
		if (c->type != XML_ELEMENT_NODE || !strcmp(k, "element"))
			continue;
		if (!strcmp(k, "attribute")) {
			const char *an;
			if (*count >= ATTR_MAX)
				return;
			if (!(an = attr_def_name(c, out[*count].buf, sizeof out[*count].buf)))
				continue;
			out[*count].name = an;
			out[*count].def = c;
			out[*count].required = required;
			(*count)++;
		} else if (!strcmp(k, "ref")) {
			const char *rn = qj_xml_attr(c, "name");
			const xmlNode *d = rn ? schema_define(root, rn) : NULL;
			if (d)
				collect_attr_defs(root, d, required, depth + 1, out, count);
		} else {
			collect_attr_defs(root, c, required && (!strcmp(k, "group") ||
								!strcmp(k, "interleave") ||
								!strcmp(k, "oneOrMore")),
					  depth + 1, out, count);
		}
	}
}

/* The definitions of the schema's elements named name, one after the other
 * (a name may be defined more than once: the first programme and the
 * others). */
static int element_defs(const xmlNode *root, const char *name, const xmlNode **defs, int max)
{
	const xmlNode *stack[256], *n, *c;
	int sp = 0, found = 0;
	stack[sp++] = root;
	while (sp > 0) {
		const char *en;
		n = stack[--sp];
		en = qj_xml_attr(n, "name");
		if (!strcmp((const char *)n->name, "element") && en && !strcmp(en, name) &&
		    found < max)
			defs[found++] = n;
		for (c = n->children; c && sp < 256; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				stack[sp++] = c;
	}
	/* the walk went last child first: back to the schema's order */
	for (sp = 0; sp < found / 2; sp++) {
		n = defs[sp];
		defs[sp] = defs[found - 1 - sp];
		defs[found - 1 - sp] = n;
	}
	return found;
}

static const char *type_words(const char *type)
{
	static const struct {
		const char *type, *words;
	} w[] = {
		{"positiveInteger", "a whole number (1 or more)"},
		{"nonNegativeInteger", "a whole number (0 or more)"},
		{"integer", "a whole number"},
		{"decimal", "a number"},
		{"date", "a date (YYYY-MM-DD) that exists"},
		{"anyURI", "an address (URI)"},
		{"boolean", "true or false"},
		{"gYear", "a year (YYYY)"},
		{"NCName", "a name of letters, digits, '-', '_' and '.'"},
		{"ID", "an identifier of letters, digits, '-', '_' and '.'"},
		{"token", "a word"},
	};
	size_t i;
	for (i = 0; i < sizeof w / sizeof *w; i++)
		if (!strcmp(type, w[i].type))
			return w[i].words;
	return NULL;
}

/* Whether value fits the attribute definition; when not, what is wrong
 * with it into want ("is not one of: a, b"). */
static int attr_value_ok(const xmlNode *root, const xmlNode *def, const char *value, char *want,
			 size_t n)
{
	const xmlNode *c = qj_xml_child(def, NULL), *v;
	const char *rn = NULL; /* the name of the definition it refers to */
	int depth;
	if (c && !strcmp((const char *)c->name, "name"))
		c = qj_xml_next(c, NULL);
	for (depth = 0; c && !strcmp((const char *)c->name, "ref") && depth < 8; depth++) {
		rn = qj_xml_attr(c, "name");
		const xmlNode *d = rn ? schema_define(root, rn) : NULL;
		c = d ? qj_xml_child(d, NULL) : NULL;
	}
	if (!c || !strcmp((const char *)c->name, "text"))
		return 1;
	if (!strcmp((const char *)c->name, "value")) {
		xmlChar *t = xmlNodeGetContent((xmlNodePtr)c);
		int ok = !t || !strcmp((const char *)t, value);
		snprintf(want, n, "is not %s", t ? (const char *)t : "");
		xmlFree(t);
		return ok;
	}
	if (!strcmp((const char *)c->name, "choice")) {
		int ok = 0;
		size_t len;
		snprintf(want, n, "is not one of: ");
		for (v = qj_xml_child(c, NULL); v; v = qj_xml_next(v, NULL)) {
			xmlChar *t;
			if (strcmp((const char *)v->name, "value"))
				return 1; /* not a plain list of values: libxml2's word */
			t = xmlNodeGetContent((xmlNodePtr)v);
			if (t && !strcmp((const char *)t, value))
				ok = 1;
			len = strlen(want);
			if (t && len + (size_t)xmlStrlen(t) + 3 < n)
				snprintf(want + len, n - len, "%s%s", v == qj_xml_child(c, NULL) ? "" : ", ",
					 (const char *)t);
			xmlFree(t);
		}
		return ok;
	}
	if (!strcmp((const char *)c->name, "data")) {
		const char *type = qj_xml_attr(c, "type"), *words;
		xmlSchemaTypePtr t = type ? xmlSchemaGetPredefinedType(
						    (const xmlChar *)type,
						    (const xmlChar *)"http://www.w3.org/2001/XMLSchema")
					  : NULL;
		long minlen = 0;
		int bad_form = 0;
		for (v = qj_xml_child(c, "param"); v; v = qj_xml_next(v, "param")) {
			const char *pn = qj_xml_attr(v, "name");
			xmlChar *pv = xmlNodeGetContent((xmlNodePtr)v);
			if (pn && pv && !strcmp(pn, "minLength"))
				minlen = strtol((const char *)pv, NULL, 10);
			if (pn && pv && !strcmp(pn, "pattern") && !bad_form) {
				xmlRegexpPtr re = xmlRegexpCompile(pv);
				if (re && xmlRegexpExec(re, (const xmlChar *)value) == 0) {
					/* a pattern said in words where the schema's
					 * name for it does (date.value) */
					if (rn && strstr(rn, "date"))
						snprintf(want, n, "is not a date (YYYY-MM-DD)");
					else
						snprintf(want, n, "is not of the form %s", (const char *)pv);
					bad_form = 1;
				}
				xmlRegFreeRegexp(re);
			}
			xmlFree(pv);
		}
		if (bad_form)
			return 0;
		if (!type)
			return 1;
		words = type_words(type);
		if (minlen > 0 && (long)xmlUTF8Strlen((const xmlChar *)value) < minlen) {
			snprintf(want, n, "%s", minlen == 1 ? "is empty: it needs a value" : "is too short");
			return 0;
		}
		if (t && xmlSchemaValidatePredefinedType(t, (const xmlChar *)value, NULL) != 0) {
			snprintf(want, n, "is not %s", words ? words : type);
			return 0;
		}
		return 1;
	}
	return 1;
}

/* The index in ad of attribute a's definition (its name with the
 * namespace's prefix, xml:lang), or na when there is none. */
static int attr_def_of(const attr_def *ad, int na, const xmlAttr *a, char *qn, size_t n)
{
	int j;
	snprintf(qn, n, "%s%s%s", a->ns && a->ns->prefix ? (const char *)a->ns->prefix : "",
		 a->ns && a->ns->prefix ? ":" : "", (const char *)a->name);
	for (j = 0; j < na && strcmp(ad[j].name, qn); j++)
		;
	return j;
}

/* Checks the attributes of node against the schema; the number of
 * problems reported. */
static int report_attrs(rng_state *st, const xmlNode *node, const char *file, int line)
{
	const xmlNode *root, *defs[8];
	attr_def ad[ATTR_MAX];
	const xmlAttr *a;
	char want[512], have[512];
	int nd, na = 0, i, j, found = 0;
	if (!st->schema || !node || node->type != XML_ELEMENT_NODE ||
	    !(root = xmlDocGetRootElement(st->schema)))
		return 0;
	if (!(nd = element_defs(root, (const char *)node->name, defs, 8)))
		return 0;
	/* an element defined twice is checked against its first definition
	 * that has every attribute it has */
	for (i = 0; i < nd; i++) {
		int all = 1;
		na = 0;
		collect_attr_defs(root, defs[i], 1, 0, ad, &na);
		for (a = node->properties; a && all; a = a->next) {
			char qn[128];
			all = attr_def_of(ad, na, a, qn, sizeof qn) < na;
		}
		if (all)
			break;
	}
	if (i == nd) /* none has them all: the first says what is extra */
		collect_attr_defs(root, defs[0], 1, 0, ad, (na = 0, &na));
	for (a = node->properties; a; a = a->next) {
		char qn[128];
		xmlChar *val;
		if ((j = attr_def_of(ad, na, a, qn, sizeof qn)) == na) {
			size_t len = 0;
			have[0] = 0;
			for (j = 0; j < na; j++) {
				if (len + strlen(ad[j].name) + 3 >= sizeof have)
					break;
				len += (size_t)snprintf(have + len, sizeof have - len, "%s%s", j ? ", " : "",
							ad[j].name);
			}
			qj_diag(st->ctx, QJ_ERROR, file, line, 0, "<%s> has no attribute '%s' (%s%s)",
				(const char *)node->name, qn, na ? "it may have: " : "it has none",
				have);
			found++;
			continue;
		}
		val = xmlNodeListGetString(node->doc, a->children, 1);
		if (!attr_value_ok(root, ad[j].def, val ? (const char *)val : "", want, sizeof want)) {
			qj_diag(st->ctx, QJ_ERROR, file, line, 0, "<%s> %s=\"%s\" %s",
				(const char *)node->name, qn, val ? (const char *)val : "", want);
			found++;
		}
		xmlFree(val);
	}
	for (j = 0; j < na; j++)
		if (ad[j].required && !strchr(ad[j].name, ':') &&
		    !xmlHasProp((xmlNodePtr)node, (const xmlChar *)ad[j].name)) {
			qj_diag(st->ctx, QJ_ERROR, file, line, 0, "<%s> lacks the required attribute '%s'",
				(const char *)node->name, ad[j].name);
			found++;
		}
	st->errors += found;
	return found;
}

/* Whether the attributes of node were reported (of the last 8 so). */
static int was_said(const rng_state *st, const xmlNode *node)
{
	int i;
	for (i = 0; i < st->nsaid; i++)
		if (st->said[i] == node)
			return 1;
	return 0;
}

static void mark_said(rng_state *st, const xmlNode *node)
{
	if (st->nsaid == 8)
		memmove(st->said, st->said + 1, 7 * sizeof *st->said), st->nsaid--;
	st->said[st->nsaid++] = node;
}

/* The element a message about element name is about: node or the nearest
 * of its ancestors of that name (libxml2 may give the child it was at). */
static const xmlNode *named_element(const xmlNode *node, const char *msg, const char *after)
{
	const char *p = strstr(msg, after);
	char name[128];
	size_t n = 0;
	if (!p)
		return node;
	for (p += strlen(after); *p && *p != ' ' && n + 1 < sizeof name; p++)
		name[n++] = *p;
	name[n] = 0;
	for (; node && node->type == XML_ELEMENT_NODE; node = node->parent)
		if (!strcmp((const char *)node->name, name))
			return node;
	return NULL;
}

static void on_rng_error(void *data, xmlErrorPtr err)
{
	rng_state *st = data;
	char msg[1024];
	size_t n;
	const char *file = st->file;
	const xmlNode *node = err->node, *el = NULL;
	int line = err->line;
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "invalid");
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	if (node && node->type == XML_ATTRIBUTE_NODE)
		node = node->parent;
	if (node && (strstr(msg, "failed to validate attributes") ||
		     strstr(msg, "failed to validate content")))
		el = named_element(node, msg, "Element ");
	else if (node && strstr(msg, "Invalid attribute "))
		el = named_element(node, msg, " for element ");
	else if (node && !strncmp(msg, "Type ", 5) && strstr(msg, " doesn't allow value "))
		el = node;
	if (el && el->type == XML_ELEMENT_NODE) {
		/* the attributes said once; libxml2's further words on that
		 * element (that it failed to validate) are then theirs */
		if (was_said(st, el))
			return;
		if (report_attrs(st, el, qj_xml_file(el), qj_xml_line(el)) > 0) {
			mark_said(st, el);
			return;
		}
	}
	/* libxml2's summary without a node, of an element reported already */
	if (!node && strstr(msg, "failed to validate attributes")) {
		int i;
		for (i = 0; i < st->nsaid; i++)
			if (!strncmp(msg, "Element ", 8) &&
			    !strncmp(msg + 8, (const char *)st->said[i]->name,
				     strlen((const char *)st->said[i]->name)) &&
			    msg[8 + strlen((const char *)st->said[i]->name)] == ' ')
				return;
	}
	if (err->node) {
		line = qj_xml_line(err->node);
		file = qj_xml_file(err->node);
	}
	st->errors++;
	qj_diag(st->ctx, QJ_ERROR, file, line, 0, "%s", msg);
}

struct qj_rng {
	char *path;
	xmlDocPtr sdoc;
	xmlRelaxNGPtr schema;
	xmlRelaxNGValidCtxtPtr vc;
};

qj_rng *qj_xml_rng_open(qj_ctx *ctx, const char *rng_path)
{
	qj_rng *r = qj_calloc(ctx, 1, sizeof *r);
	xmlRelaxNGParserCtxtPtr pc;
	rng_state sst = {.ctx = ctx, .file = rng_path};

	if (!r || !(r->path = qj_strdup(ctx, rng_path)) ||
	    !(r->sdoc = qj_xml_load_as(ctx, rng_path, QJ_FILE_TEMPLATE))) {
		qj_xml_rng_free(ctx, r);
		return NULL;
	}
	pc = xmlRelaxNGNewDocParserCtxt(r->sdoc);
	if (pc) {
		xmlRelaxNGSetParserStructuredErrors(pc, on_rng_error, &sst);
		r->schema = xmlRelaxNGParse(pc);
		xmlRelaxNGFreeParserCtxt(pc);
	}
	if (r->schema)
		r->vc = xmlRelaxNGNewValidCtxt(r->schema);
	if (!r->vc) {
		if (!sst.errors)
			qj_error(ctx, rng_path, 0, "not a usable RELAX NG schema");
		qj_xml_rng_free(ctx, r);
		return NULL;
	}
	return r;
}

void qj_xml_rng_free(qj_ctx *ctx, qj_rng *r)
{
	if (!r)
		return;
	if (r->vc)
		xmlRelaxNGFreeValidCtxt(r->vc);
	if (r->schema)
		xmlRelaxNGFree(r->schema);
	xmlFreeDoc(r->sdoc);
	qj_free(ctx, r->path);
	qj_free(ctx, r);
}

int qj_xml_rng_validate(qj_ctx *ctx, qj_rng *r, xmlDocPtr doc)
{
	rng_state st = {.ctx = ctx, .file = doc->URL ? (const char *)doc->URL : "-"};
	st.schema = r->sdoc;
	xmlRelaxNGSetValidStructuredErrors(r->vc, on_rng_error, &st);
	if (xmlRelaxNGValidateDoc(r->vc, doc) != 0 && st.errors == 0) {
		st.errors++;
		qj_error(ctx, st.file, 0, "does not match %s", r->path);
	}
	return st.errors ? -1 : 0;
}

int qj_xml_validate_rng(qj_ctx *ctx, xmlDocPtr doc, const char *rng_path)
{
	qj_rng *r = qj_xml_rng_open(ctx, rng_path);
	int rc;
	if (!r)
		return -1;
	rc = qj_xml_rng_validate(ctx, r, doc);
	qj_xml_rng_free(ctx, r);
	return rc;
}

xmlNodePtr qj_xml_child(const xmlNode *parent, const char *name)
{
	xmlNodePtr n;
	if (!parent)
		return NULL;
	for (n = parent->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (!name || !strcmp((const char *)n->name, name)))
			return n;
	return NULL;
}

xmlNodePtr qj_xml_next(const xmlNode *node, const char *name)
{
	xmlNodePtr n;
	for (n = node ? node->next : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (!name || !strcmp((const char *)n->name, name)))
			return n;
	return NULL;
}

const char *qj_xml_attr(const xmlNode *node, const char *name)
{
	xmlAttrPtr a;
	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = node->properties; a; a = a->next)
		if (!strcmp((const char *)a->name, name) && a->children &&
		    a->children->content && a->ns == NULL)
			return (const char *)a->children->content;
	return NULL;
}

static void collect_text(qj_buf *b, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			qj_buf_puts(b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE)
			collect_text(b, n->children);
	}
}

char *qj_xml_text(qj_arena *a, const xmlNode *node)
{
	qj_buf b;
	char *s;
	qj_buf_init(&b, qj_arena_ctx(a));
	if (node && (node->type == XML_TEXT_NODE || node->type == XML_ATTRIBUTE_NODE))
		collect_text(&b, node->type == XML_TEXT_NODE ? node : node->children);
	else if (node)
		collect_text(&b, node->children);
	s = qj_arena_strdup(a, qj_buf_str(&b));
	qj_buf_free(&b);
	return s;
}
