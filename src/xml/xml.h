/* xml: the one way every XML file (data, templates, catalogs, schemas)
 * enters qujat. No network, no DTD loading, no entities beyond the five
 * predefined ones, limits on size and depth; libxml2's errors become
 * qujat diagnostics with file and line; every node keeps its source line. */
#ifndef QJ_XML_H
#define QJ_XML_H

#include <libxml/tree.h>

#include "base/base.h"

/* Loads and parses path safely. Every problem is reported as
 * "PATH:LINE: error: ..." (all that libxml2 reports, not only the first);
 * returns NULL when there was any error. The caller frees the document with
 * xmlFreeDoc. doc->URL holds path, used by qj_xml_loc. */
xmlDocPtr qj_xml_load(qj_ctx *ctx, const char *path);

/* The same with the size limit of another kind of input (QJ_FILE_TEMPLATE
 * for templates, schemas, catalogs and fonts.xml). */
xmlDocPtr qj_xml_load_as(qj_ctx *ctx, const char *path, qj_file_kind kind);

/* The same for a buffer; name is used in diagnostics. */
xmlDocPtr qj_xml_load_memory(qj_ctx *ctx, const char *name, const char *data,
			     size_t len);

/* Checks the limits qj_xml_load checks (nesting below depth, one text
 * value, one attribute value) on the element n and what it holds, for a
 * tree read another way (src/batch's streaming reader); each problem is
 * "NAME:LINE: error: ...". 0 when within them. */
int qj_xml_check_limits(qj_ctx *ctx, const char *name, const xmlNode *n, int depth);

/* Source line of a node: an element's, the line an attribute's value starts
 * on (for a loaded file), else the parent element's line. */
int qj_xml_line(const xmlNode *node);
/* The mark in doc->psvi of a document whose attributes hold their lines
 * in psvi (every document qj_xml_load* returns; _private stays free). */
extern const char qj_xml_attr_lines;
/* Source file of a node (its document's URL, or "-"). Lent. */
const char *qj_xml_file(const xmlNode *node);
/* The path of a file that the data file at url names (an emblem's src):
 * relative to that file's directory, as the templates' q:path finds it;
 * an absolute src, or a data file with no directory, leaves src as it is.
 * Into buf (n bytes); returns buf. */
const char *qj_xml_rel_path(const char *url, const char *src, char *buf, size_t n);

/* Diagnostics at a node's location: "FILE:LINE: error: ...". */
void qj_xml_error(qj_ctx *ctx, const xmlNode *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void qj_xml_warning(qj_ctx *ctx, const xmlNode *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Validates doc against a RELAX NG schema file (itself loaded safely).
 * Each problem becomes "DOCFILE:LINE: error: ..."; returns 0 when valid. */
int qj_xml_validate_rng(qj_ctx *ctx, xmlDocPtr doc, const char *rng_path);
/* A schema parsed once and used for many documents (a batch validates
 * every item's document): open, validate as qj_xml_validate_rng does (0 or
 * -1 after diagnostics), free (NULL is fine). */
typedef struct qj_rng qj_rng;
qj_rng *qj_xml_rng_open(qj_ctx *ctx, const char *rng_path);
int qj_xml_rng_validate(qj_ctx *ctx, qj_rng *r, xmlDocPtr doc);
void qj_xml_rng_free(qj_ctx *ctx, qj_rng *r);

/* Helpers for walking data: the first child element named name (or any
 * element when name is NULL) and the next sibling element likewise. */
xmlNodePtr qj_xml_child(const xmlNode *parent, const char *name);
xmlNodePtr qj_xml_next(const xmlNode *node, const char *name);
/* An attribute value, lent from the tree (NULL when absent). */
const char *qj_xml_attr(const xmlNode *node, const char *name);
/* The concatenated text content of a node, allocated in the arena. */
char *qj_xml_text(qj_arena *a, const xmlNode *node);

/* Installs libxml2's process-wide settings once (no generic error printing,
 * no external entity loader). Call before any other use of libxml2. */
void qj_xml_init(void);

#endif
