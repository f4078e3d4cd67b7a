/* load: safe parsing of XML files and buffers. Entity declarations are
 * refused at the SAX level, no DTD or external entity is ever loaded, input
 * must be UTF-8, and size, depth and text length are limited. */
#include "xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

typedef struct load_state {
	qj_ctx *ctx;
	const char *name;
	int errors;
	int stopped;      /* a limit stopped the parser: later errors are its echo */
	size_t text_len;  /* bytes of the text run being parsed */
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	charactersSAXFunc characters;
} load_state;

/* libxml2 structured errors → qujat diagnostics. */
static void on_error(void *data, xmlErrorPtr err)
{
	xmlParserCtxtPtr p = data;
	load_state *st = p->_private;
	char msg[1024];
	size_t n;

	if (!st || !err || st->stopped)
		return;
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = 0;
	if (err->level == XML_ERR_WARNING) {
		qj_diag(st->ctx, QJ_WARNING, st->name, err->line, 0, "%s", msg);
		return;
	}
	st->errors++;
	qj_diag(st->ctx, QJ_ERROR, st->name, err->line, 0, "%s", msg);
}

/* Entity declarations are not allowed: no expansion beyond the predefined. */
static void on_entity_decl(void *data, const xmlChar *name, int type,
			   const xmlChar *pub, const xmlChar *sys, xmlChar *content)
{
	xmlParserCtxtPtr p = data;
	load_state *st = p->_private;
	(void)type; (void)pub; (void)sys; (void)content;
	st->errors++;
	qj_diag(st->ctx, QJ_ERROR, st->name, xmlSAX2GetLineNumber(p), 0,
		"entity declaration '%s' is not allowed", (const char *)name);
}

static xmlParserInputPtr no_external(const char *url, const char *id,
				     xmlParserCtxtPtr p)
{
	(void)url; (void)id; (void)p;
	return NULL;
}

/* Stops the parser after a limit was reported: what libxml2 says next
 * ("Extra content at the end of the document") only echoes the stop. */
static void stop(xmlParserCtxtPtr p, load_state *st)
{
	st->errors++;
	st->stopped = 1;
	xmlStopParser(p);
}

/* Elements: every attribute value is held to the limit of one text value,
 * and keeps the line its value starts on in psvi (libxml2 keeps a line
 * for elements only), so that a diagnostic about a value of a start tag
 * written over several lines points at the value's own line. */
static void on_start(void *data, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nns, const xmlChar **nss, int nattrs,
		     int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr p = data;
	load_state *st = p->_private;
	size_t max = qj_ctx_limits(st->ctx)->max_string;
	xmlParserInputPtr in = p->input;
	xmlAttrPtr a;
	int i;

	st->text_len = 0;
	for (i = 0; i < nattrs; i++) {
		size_t len = (size_t)(attrs[i * 5 + 4] - attrs[i * 5 + 3]);
		if (len > max) {
			qj_diag(st->ctx, QJ_ERROR, st->name, xmlSAX2GetLineNumber(p), 0,
				"attribute '%s' of <%s>: value of %zu bytes is over the limit of %zu",
				(const char *)attrs[i * 5], (const char *)localname, len, max);
			stop(p, st);
			return;
		}
	}
	st->start(data, localname, prefix, uri, nns, nss, nattrs, ndefaulted, attrs);
	if (!p->node || !in || !in->base || !in->cur)
		return;
	for (a = p->node->properties; a; a = a->next) {
		for (i = 0; i < nattrs; i++) {
			const xmlChar *v = attrs[i * 5 + 3], *c;
			int line = in->line;
			if (strcmp((const char *)a->name, (const char *)attrs[i * 5]) ||
			    v < in->base || v > in->cur)
				continue;
			for (c = v; c < in->cur; c++)
				line -= *c == '\n';
			a->psvi = (void *)(intptr_t)line;
			break;
		}
	}
}

static void on_end(void *data, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *uri)
{
	xmlParserCtxtPtr p = data;
	load_state *st = p->_private;
	st->text_len = 0;
	st->end(data, localname, prefix, uri);
}

/* Text: held to the limit while it is read, before libxml2's own limit of
 * 10 MB says "huge text node" (and echoes it as extra content). */
static void on_characters(void *data, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr p = data;
	load_state *st = p->_private;
	size_t max = qj_ctx_limits(st->ctx)->max_string;
	if (st->stopped)
		return;
	st->text_len += (size_t)len;
	if (st->text_len > max) {
		qj_diag(st->ctx, QJ_ERROR, st->name, xmlSAX2GetLineNumber(p), 0,
			"text of more than %zu bytes is over the limit of %zu", max, max);
		stop(p, st);
		return;
	}
	st->characters(data, ch, len);
}

const char qj_xml_attr_lines = 1;

void qj_xml_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(no_external);
	xmlSetGenericErrorFunc(NULL, NULL);
	xmlThrDefSetGenericErrorFunc(NULL, NULL);
}

/* Checks that data is UTF-8; reports line and byte offset of the first bad
 * sequence. */
static int check_utf8(qj_ctx *ctx, const char *name, const unsigned char *s,
		      size_t len)
{
	size_t i = 0, n;
	int line = 1;
	uint32_t cp;
	for (; i < len; i += n) {
		line += s[i] == '\n';
		n = qj_utf8_next((const char *)s + i, len - i, &cp);
		if (!n) {
			qj_error(ctx, name, line, "invalid UTF-8 at byte offset %zu (byte 0x%02X)",
				 i, s[i]);
			return -1;
		}
	}
	return 0;
}

/* Walks the tree checking depth and text length limits. */
static int check_limits(qj_ctx *ctx, const char *name, xmlNodePtr n, int depth)
{
	qj_limits *lim = qj_ctx_limits(ctx);
	int bad = 0;
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			xmlAttrPtr a;
			for (a = n->properties; a && !bad; a = a->next) {
				size_t len = a->children && a->children->content
					? strlen((const char *)a->children->content) : 0;
				if (len > lim->max_string) {
					qj_error(ctx, name, qj_xml_line((const xmlNode *)a),
						 "attribute '%s' of <%s>: value of %zu bytes is over "
						 "the limit of %zu", (const char *)a->name,
						 (const char *)n->name, len, lim->max_string);
					bad = 1;
				}
			}
			if (bad)
				return bad;
			if (depth > lim->max_depth) {
				qj_error(ctx, name, (int)xmlGetLineNo(n),
					 "elements nested deeper than the limit of %d",
					 lim->max_depth);
				return 1;
			}
			bad |= check_limits(ctx, name, n->children, depth + 1);
		} else if (n->content && strlen((const char *)n->content) > lim->max_string) {
			qj_error(ctx, name, qj_xml_line(n),
				 "text of %zu bytes is over the limit of %zu",
				 strlen((const char *)n->content), lim->max_string);
			bad = 1;
		}
		if (bad)
			return bad;
	}
	return bad;
}

int qj_xml_check_limits(qj_ctx *ctx, const char *name, const xmlNode *n, int depth)
{
	const xmlNode *next;
	int bad;
	if (!n)
		return 0;
	/* the one node, not its siblings */
	next = n->next;
	((xmlNode *)n)->next = NULL;
	bad = check_limits(ctx, name, (xmlNodePtr)n, depth);
	((xmlNode *)n)->next = (xmlNode *)next;
	return bad;
}

xmlDocPtr qj_xml_load_memory(qj_ctx *ctx, const char *name, const char *data,
			     size_t len)
{
	load_state st = {ctx, name, 0, 0, 0, NULL, NULL, NULL};
	xmlParserCtxtPtr p;
	xmlDocPtr doc;
	int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

	if (len > qj_ctx_limits(ctx)->max_file_bytes || len > INT_MAX) {
		qj_error(ctx, name, 0, "input of %zu bytes is over the limit of %zu",
			 len, qj_ctx_limits(ctx)->max_file_bytes);
		return NULL;
	}
	if (check_utf8(ctx, name, (const unsigned char *)data, len) < 0)
		return NULL;
	p = xmlNewParserCtxt();
	if (!p) {
		qj_error(ctx, name, 0, "out of memory creating an XML parser");
		return NULL;
	}
	p->_private = &st;
	p->sax->serror = on_error;
	p->sax->entityDecl = on_entity_decl;
	st.start = p->sax->startElementNs;
	st.end = p->sax->endElementNs;
	st.characters = p->sax->characters;
	p->sax->startElementNs = on_start;
	p->sax->endElementNs = on_end;
	p->sax->characters = on_characters;
	p->sax->ignorableWhitespace = on_characters;
	p->sax->warning = NULL;
	p->sax->error = NULL;
	p->vctxt.error = NULL;
	p->vctxt.warning = NULL;
	doc = xmlCtxtReadMemory(p, data, (int)len, name, "UTF-8", opts);
	/* libxml2 keeps the URL escaped ("%D0%B4%20p/course.xml" for "д
	 * p/course.xml"); diagnostics name the file, and files named relative
	 * to it (an emblem) are found from it, by its path as given */
	if (doc && (!doc->URL || strcmp((const char *)doc->URL, name))) {
		xmlChar *url = xmlStrdup((const xmlChar *)name);
		if (url) {
			xmlFree((xmlChar *)doc->URL);
			doc->URL = url;
		}
	}
	if (doc)
		doc->psvi = (void *)&qj_xml_attr_lines;
	if (doc && !st.errors && !doc->children)
		st.errors++;
	if (doc && !st.errors && doc->intSubset && doc->intSubset->children) {
		qj_error(ctx, name, 1, "DOCTYPE declarations are not allowed");
		st.errors++;
	}
	if (doc && !st.errors &&
	    check_limits(ctx, name, xmlDocGetRootElement(doc), 1))
		st.errors++;
	if (!doc && !st.errors)
		qj_error(ctx, name, 0, "not an XML document");
	xmlFreeParserCtxt(p);
	if (st.errors) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

xmlDocPtr qj_xml_load(qj_ctx *ctx, const char *path)
{
	return qj_xml_load_as(ctx, path, QJ_FILE_DATA);
}

/* Read through base's one input function, parsed from memory with path as
 * the document URL (diagnostics and line numbers keep it). */
xmlDocPtr qj_xml_load_as(qj_ctx *ctx, const char *path, qj_file_kind kind)
{
	size_t len = 0;
	char *data = qj_file_load(ctx, path, kind, &len);
	xmlDocPtr doc;
	if (!data)
		return NULL;
	doc = qj_xml_load_memory(ctx, path, data, len);
	qj_free(ctx, data);
	return doc;
}
