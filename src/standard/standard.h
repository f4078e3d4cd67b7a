/* standard: professional standards held as XML (standards/standard.rng,
 * documented in standards/README.md). Checks a loaded document against the
 * schema and the rules a schema cannot say, and lists its profession cards.
 * Nothing here prints labels or lays anything out. */
#ifndef QJ_STANDARD_H
#define QJ_STANDARD_H

#include <stdio.h>

#include <libxml/tree.h>

#include "base/base.h"

/* Checks doc (root <standard>) against the RELAX NG schema at rng_path (the
 * schema step is skipped when rng_path is NULL), then against the rules of
 * standards/README.md: unique card ids, levels and sub-levels in 1-8 and
 * consistent, occupation codes NNNN-N-NNN or marked missing, numbering
 * without unrecorded gaps. Every problem is a "FILE:LINE: error: ..."
 * diagnostic in ctx; all of them are reported, not only the first. A schema
 * that cannot be loaded is reported against its own path. Returns the
 * number of errors reported (0 when valid). doc is borrowed. */
int qj_standard_check(qj_ctx *ctx, xmlDocPtr doc, const char *rng_path);

/* The rules alone, without the schema (for tests and for other kinds that
 * embed cards). Returns the number of problems reported. */
int qj_standard_check_rules(qj_ctx *ctx, xmlDocPtr doc);

/* Whether s is an occupation code of the classifier, NNNN-N-NNN exactly
 * (ASCII digits): 1 or 0. Used by the checks and by the importer. */
int qj_standard_is_occupation_code(const char *s);

/* Writes one line per card of doc to out, tab-separated: card id,
 * occupation code (or "-" when missing), level, name. The level is the
 * card's only sub-level when it has exactly one (4.1), else its value (7,
 * 1-2), followed by the sub-levels in parentheses when there are several:
 * "4 (4.1 4.2 4.3)". Whitespace inside values is collapsed. Returns the
 * number of cards, or -1 (with a diagnostic) when doc is not a standard. */
int qj_standard_list(qj_ctx *ctx, xmlDocPtr doc, FILE *out);

/* The path of standards/standard.rng in the data directory (qj_data_path):
 * qj_malloc'd, the caller qj_free()s; NULL with a diagnostic when it is not
 * there. */
char *qj_standard_schema_path(qj_ctx *ctx);

#endif
