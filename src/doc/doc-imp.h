/* doc-imp: what the files of the doc stage share: the batch's body and the
 * helpers of the kind table that the batch uses too. */
#ifndef QJ_DOC_IMP_H
#define QJ_DOC_IMP_H

#include "doc/doc.h"
#include "font/font.h"
#include "layout/layout.h"
#include "tmpl/tmpl.h"

struct qj_batch {
	qj_ctx *ctx;
	qj_batch_opts o;
	const char *template_name; /* o.template_name or the kind's */
	xmlDocPtr tmpl;
	qj_tmpl_cache *xcache;     /* the template's compiled XPath */
	qj_catalog *catalog;
	qj_fonts *fonts;           /* opened once, reset for each document */
	struct qj_hyphen *hyph;    /* hyphenation dictionaries, each loaded once */
	char *home;
	char *tmpl_schema;         /* the template's schema= when not the kind's */
	char today[16];
	int ndocs;                 /* documents loaded so far */
	qj_doc_status status;
	/* items of a stream (src/batch): schemas parsed once */
	struct qj_rng *rng, *tmpl_rng;
	int rng_tried;
	/* the combined document of a stream's items: each item's pages are
	 * drawn into it as they are laid out; with --dump, the bookmark
	 * lines wait in cbm for the end, as one document's dump has them */
	struct qj_pdf *cpdf;
	int cpages;
	char *cbm;
	size_t cbm_len;
	FILE *cbm_fp;
	char fingerprint[65];
};

/* The value of kind's language attribute on root (xmlFree it), or NULL. */
char *doc_lang_attr(const qj_doc_kind *kind, xmlNodePtr root);

/* The path of rel under the data directory when it is there (malloc'd);
 * NULL with a diagnostic naming rel otherwise. */
char *doc_schema_path(qj_ctx *ctx, const char *rel);

#endif
