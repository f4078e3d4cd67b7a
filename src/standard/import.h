/* import: reads the official plain text of a professional standard (the
 * format of sources 001 kk, 002 ru, 003 en) and builds the standards
 * vocabulary (standards/standard.rng) as a libxml2 document. Pieces of text
 * it cannot place become warnings "SOURCE:LINE: warning: ..."; a file that
 * is not a standard, or is truncated, gets "SOURCE:LINE: error: expected
 * ..." and no document. */
#ifndef QJ_IMPORT_H
#define QJ_IMPORT_H

#include <libxml/tree.h>

#include "base/base.h"

/* Languages of the official texts; QJ_IMPORT_AUTO detects from the labels. */
typedef enum qj_import_lang {
	QJ_IMPORT_AUTO = 0,
	QJ_IMPORT_KK,
	QJ_IMPORT_RU,
	QJ_IMPORT_EN
} qj_import_lang;

/* Parses "kk", "ru" or "en"; returns -1 for anything else. */
int qj_import_lang_parse(const char *s);

/* Reads the text at path and returns a new document (root <standard>), or
 * NULL when the text is not a standard, is truncated, or memory ran out;
 * every problem has been reported through ctx. The caller frees the
 * document with xmlFreeDoc. id is the standard's id (NULL: taken from the
 * leading digits of the file name, else "1"). */
xmlDocPtr qj_import_standard(qj_ctx *ctx, const char *path,
			     qj_import_lang lang, const char *id);

#endif
