/* node: source locations, located diagnostics, RELAX NG validation and small
 * helpers for walking loaded data. */
#include "xml.h"

#include <limits.h>
#include <stdint.h>

#include <libxml/relaxng.h>
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
	xmlDocPtr schema; /* for naming missing attributes */
} rng_state;

/* An attribute whose schema is a <choice> of <value>s but whose value is
 * none of them: names the allowed values. Returns 1 when reported. */
static int report_bad_choice(rng_state *st, const xmlNode *node, const xmlNode *def,
			     const char *an, const char *file, int line)
{
	const xmlNode *ch = qj_xml_child(def, "choice"), *v;
	xmlChar *val;
	char allowed[512] = "";
	int ok = 0;
	if (!ch)
		return 0;
	val = xmlGetProp((xmlNodePtr)node, (const xmlChar *)an);
	for (v = qj_xml_child(ch, NULL); v; v = qj_xml_next(v, NULL)) {
		xmlChar *t;
		if (strcmp((const char *)v->name, "value")) {
			ok = 1; /* not a plain list of values: leave it to libxml2 */
			break;
		}
		t = xmlNodeGetContent((xmlNodePtr)v);
		if (val && t && !xmlStrcmp(val, t))
			ok = 1;
		if (strlen(allowed) + xmlStrlen(t) + 3 < sizeof allowed) {
			if (*allowed)
				strcat(allowed, ", ");
			strcat(allowed, (const char *)t);
		}
		xmlFree(t);
	}
	if (!ok) {
		qj_diag(st->ctx, QJ_ERROR, file, line, 0, "<%s> %s=\"%s\" is not one of: %s",
			(const char *)node->name, an, val ? (const char *)val : "", allowed);
		st->errors++;
	}
	xmlFree(val);
	return !ok;
}

/* libxml2 says only "failed to validate attributes": name the required
 * attributes (direct <attribute> children of the schema's <element>) that
 * node lacks. Returns how many were reported. */
static int report_missing_attrs(rng_state *st, const xmlNode *node, const char *file, int line)
{
	const xmlNode *stack[256];
	int sp = 0, found = 0;
	if (!st->schema || !node)
		return 0;
	stack[sp++] = xmlDocGetRootElement(st->schema);
	while (sp > 0) {
		const xmlNode *n = stack[--sp], *c;
		const char *name = qj_xml_attr(n, "name");
		if (!strcmp((const char *)n->name, "element") && name &&
		    !strcmp(name, (const char *)node->name)) {
			for (c = n->children; c; c = c->next) {
				const char *an;
				if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "attribute"))
					continue;
				an = qj_xml_attr(c, "name");
				if (an && !xmlHasProp((xmlNodePtr)node, (const xmlChar *)an)) {
					qj_diag(st->ctx, QJ_ERROR, file, line, 0,
						"<%s> lacks the required attribute '%s'",
						(const char *)node->name, an);
					st->errors++;
					found++;
				} else if (an) {
					found += report_bad_choice(st, node, c, an, file, line);
				}
			}
			if (found)
				return found;
		}
		for (c = n->children; c && sp < 256; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				stack[sp++] = c;
	}
	return found;
}

static void on_rng_error(void *data, xmlErrorPtr err)
{
	rng_state *st = data;
	char msg[1024];
	size_t n;
	const char *file = st->file;
	int line = err->line;
	if (err->node) {
		line = qj_xml_line(err->node);
		file = qj_xml_file(err->node);
	}
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "invalid");
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	if (strstr(msg, "failed to validate attributes") && err->node &&
	    report_missing_attrs(st, err->node, file, line) > 0)
		return;
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
	rng_state sst = {ctx, rng_path, 0, NULL};

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
	rng_state st = {ctx, doc->URL ? (const char *)doc->URL : "-", 0, NULL};
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
