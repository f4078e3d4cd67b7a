/* doc: the document pipeline as one library stage. A table of the kinds of
 * document (roster, client record, standard) says how each is checked,
 * printed and read for its language; a batch opens the resources its
 * documents share (template, labels, fonts) once, and then loads, checks
 * and renders one data document after another to PDF. Commands, tests and
 * benchmarks call it in-process; nothing here parses a command line. */
#ifndef QJ_DOC_H
#define QJ_DOC_H

#include <stdio.h>

#include <libxml/tree.h>

#include "base/base.h"
#include "tmpl/tmpl.h"

/* Outcomes of the stage; commands map them to exit codes. */
typedef enum qj_doc_status {
	QJ_DOC_OK = 0,
	QJ_DOC_BAD_INPUT = -1, /* diagnostics printed; nothing written */
	QJ_DOC_FAILED = -2     /* out of memory, or the output could not be written */
} qj_doc_status;

/* Checks a loaded document; returns the number of errors reported. */
typedef int (*qj_doc_check_fn)(qj_ctx *ctx, xmlDocPtr doc, const char *schema,
			       const qj_catalog *codes, const char *today);
/* The rules a schema cannot say, run once the schema has passed; returns
 * the number of errors reported. */
typedef int (*qj_doc_rules_fn)(qj_ctx *ctx, xmlDocPtr doc);

/* A kind of document. Exactly one of check and rules does the checking:
 * check validates the schema itself (it is given the schema's path), rules
 * runs after the stage has validated the schema; with neither, the schema
 * alone is checked. */
typedef struct qj_doc_kind {
	const char *root;       /* root element: "roster" */
	const char *schema;     /* RELAX NG schema under the data directory */
	qj_doc_check_fn check;  /* schema and rules, or NULL */
	qj_doc_rules_fn rules;  /* rules after the schema, or NULL */
	const char *template_name; /* default template, in templates/ */
	const char *lang_attr;  /* the root's language attribute: "lang", "xml:lang" */
	const char *langs;      /* the languages it prints in: "kk ru en kk+ru" */
	const char *item;       /* the root's child printed one by one in a batch: "person", or NULL */
	const char *item_key;   /* its attribute naming it (file names, --only): "serial" */
	int item_pages;         /* the pages one item should take (a certificate: 1), 0: any */
} qj_doc_kind;

/* The kinds, in the order they are listed in messages; *n gets the count. */
const qj_doc_kind *qj_doc_kinds(size_t *n);
/* The kind whose root element is root; NULL when there is none. */
const qj_doc_kind *qj_doc_kind_lookup(const char *root);

/* A kind that commands build in memory from documents of the kinds above
 * (e.g. "handout": a standard with a trainee and a pack of cards), looked up
 * by its root; NULL when there is none. Such a document is never loaded
 * from a file, so qj_doc_kind_lookup, qj_doc_kind_of and validate do not
 * know it; pass it to qj_batch_open and render with qj_batch_render. */
const qj_doc_kind *qj_doc_kind_built(const char *root);

/* Whether lang is one of the kind's languages (the list is space-separated). */
int qj_doc_lang_ok(const qj_doc_kind *kind, const char *lang);

/* Loads a data file safely and normalizes its text, in the language its
 * root names through the kind's language attribute (else lang, else kk;
 * elements' own xml:lang still win). kind may be NULL (found from the root
 * afterwards). NULL after diagnostics. The caller xmlFreeDoc()s. */
xmlDocPtr qj_doc_load(qj_ctx *ctx, const qj_doc_kind *kind, const char *path,
		      const char *lang);

/* The value of kind's language attribute on root (xmlFree it), or NULL. */
char *qj_doc_lang_attr(const qj_doc_kind *kind, xmlNodePtr root);

/* The kind of a loaded document, from its root element; NULL with
 * "FILE:LINE: error: unknown kind of document <x> (expected …)". */
const qj_doc_kind *qj_doc_kind_of(qj_ctx *ctx, xmlDocPtr doc);

/* Checks doc as its kind says (schema, then rules), all problems reported.
 * codes is the label catalog (templates/i18n) the kinds with code lists
 * (client records) are checked against; a batch passes the one it loaded.
 * today is YYYY-MM-DD for date rules, NULL for $QUJAT_TODAY or the clock.
 * Returns the number of errors (0 when valid), or -1 when the kind's schema
 * is not in the data directory (reported; a failure of the installation,
 * not of the document). */
int qj_doc_check(qj_ctx *ctx, const qj_doc_kind *kind, xmlDocPtr doc,
		 const qj_catalog *codes, const char *today);

/* The language doc is printed in: want when given, else the value of the
 * kind's language attribute on the root, else "kk". Written into buf (n
 * bytes). A document language the kind does not print in is an error at the
 * root; returns 0 or -1. want is not checked here (commands check it as a
 * usage error with qj_doc_lang_ok). */
int qj_doc_lang(qj_ctx *ctx, const qj_doc_kind *kind, xmlDocPtr doc,
		const char *want, char *buf, size_t n);

/* ---- a batch: shared resources, then one document after another ---- */

typedef struct qj_batch qj_batch;

typedef struct qj_batch_opts {
	const qj_doc_kind *kind;     /* required */
	const char *template_name;   /* NULL: the kind's; a path when it has '/' */
	const char *fonts_dir;       /* NULL: $QUJAT_FONTS, else the tree's fonts/ */
	const char *lang;            /* NULL: each document's own language */
	const char *const *params;   /* extra $variables: name, value, …, NULL */
	const char *today;           /* NULL: $QUJAT_TODAY, else the clock, once */
	const char *course;          /* rosters from .csv/.xlsx: the course file, or NULL */
	FILE *dump;                  /* when set, each display list is printed there */
	struct qj_signer *signer;    /* when set, every PDF is signed (src/sign), or NULL */
	int pdfa;                    /* write PDF/A-1b (src/pdf QJ_PDF_A) */
} qj_batch_opts;

/* Opens the template, labels and fonts once for a batch. The batch is
 * returned even when one of them is bad (so that the data can still be
 * checked and every problem reported in one run); qj_batch_status says
 * whether it can render. NULL only when out of memory. opts and what it
 * points to are borrowed for the batch's life. Free with qj_batch_free. */
qj_batch *qj_batch_open(qj_ctx *ctx, const qj_batch_opts *opts);
void qj_batch_free(qj_batch *b);
qj_doc_status qj_batch_status(const qj_batch *b);
/* The kind the batch prints (lent). */
const qj_doc_kind *qj_batch_kind(const qj_batch *b);

/* Loads path as the batch's kind (a roster may also be a .csv or .xlsx
 * spreadsheet, read by src/sheet with the batch's course file), checks it (schema and rules, plus the
 * schema the template names when it is another one) and returns it in
 * *doc (the caller xmlFreeDoc()s). Diagnostics start afresh for each
 * document of a batch. */
qj_doc_status qj_batch_load(qj_batch *b, const char *path, xmlDocPtr *doc);

/* Renders doc (from qj_batch_load) into out, atomically; out "-" writes the
 * PDF to standard output. The language is the batch's, else the
 * document's. Expand, lay out, write: the one place the stages are run. */
qj_doc_status qj_batch_render(qj_batch *b, xmlDocPtr doc, const char *out);

/* qj_batch_load then qj_batch_render, the document freed after. */
qj_doc_status qj_batch_print(qj_batch *b, const char *path, const char *out);

/* ---- items: one document per item of a stream (src/batch) ---- */

/* A spreadsheet roster (src/sheet, with the batch's course file) as its
 * XML document, normalized and not checked (a batch checks it item by
 * item); NULL after diagnostics. The caller xmlFreeDoc()s. */
xmlDocPtr qj_batch_load_sheet(qj_batch *b, const char *path);

/* Checks an item's document (the header plus one item): the kind's schema
 * (parsed once for the batch), its rules, and the template's schema.
 * Diagnostics as qj_batch_load's (not reset here). Returns the number of
 * errors (0: sound), or -1 when a schema is missing (the installation's
 * failure, reported). */
int qj_batch_check_item(qj_batch *b, xmlDocPtr doc);

/* Renders a checked item document into its own PDF at out, atomically,
 * with stamp (or NULL) recorded as /QujatStamp in its /Info; *pages gets
 * the number of pages (may be NULL). The expanded tree and the boxes are
 * freed before the PDF is written, the display list after. */
qj_doc_status qj_batch_render_item(qj_batch *b, xmlDocPtr doc, const char *out,
				   const char *stamp, int *pages);

/* Adds the pages of a checked item document to the batch's one combined
 * document (its display list is copied; everything else is freed at once);
 * the fonts keep the characters of every item. *pages as above. */
qj_doc_status qj_batch_combine(qj_batch *b, xmlDocPtr doc, int *pages);
/* Writes the combined document at out ("-": standard output), bookmarks of
 * every item kept, and forgets it. "nothing to print" when no item was
 * added. */
qj_doc_status qj_batch_combined_write(qj_batch *b, const char *out);

/* The fingerprint of what the batch prints with (template, catalog and
 * fonts directory, language, parameters): 64 hex digits, lent. */
const char *qj_batch_fingerprint(qj_batch *b);

#endif
