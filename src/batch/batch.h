/* batch: documents at scale, generic over the kind of document. A stream
 * reads a data file whose root holds a header (every child that is not an
 * item) and then many items (a roster's <person>s), with libxml2's
 * xmlTextReader, and hands out one small document per item: the header
 * plus that one item, so whatever a template does per item costs the same
 * at N = 10 and N = 100,000. The driver (qj_run) takes items from a stream
 * and renders each through a qj_batch (src/doc) into its own file or into
 * one combined PDF: file names from a pattern, --only, shards, worker
 * processes, resuming, a manifest, progress. Nothing here knows what a
 * certificate is; the kind table (src/doc/kind.c) names the item. */
#ifndef QJ_BATCH_H
#define QJ_BATCH_H

#include <stdio.h>

#include <libxml/tree.h>

#include "base/base.h"
#include "doc/doc.h"

/* ---- streams of items ---- */

typedef struct qj_stream qj_stream;

/* One item of a stream. Everything is owned by the stream and valid until
 * the next qj_stream_next (or qj_stream_free). */
typedef struct qj_item {
	xmlDocPtr doc;   /* the header plus this one item, normalized */
	xmlNodePtr node; /* the item's element in doc */
	const char *key; /* its key attribute (a serial), "" when missing */
	int line;        /* its line in the source file (also past 65,535) */
	long index;      /* 0-based position among the source's items */
} qj_item;

/* Opens path (read through base's one input function) as a stream of
 * kind's items: root kind->root, items kind->item with key kind->item_key;
 * lang is the language text is normalized in when the root names none
 * (NULL: kk). Parse errors are reported as "FILE:LINE: error: …". NULL
 * after a diagnostic. */
qj_stream *qj_stream_open(qj_ctx *ctx, const qj_doc_kind *kind, const char *path,
			  const char *lang);
/* The same over a document already in memory (a spreadsheet roster made by
 * src/sheet); the stream takes doc and frees it. */
qj_stream *qj_stream_from_doc(qj_ctx *ctx, const qj_doc_kind *kind, xmlDocPtr doc);
/* The next item into *it: 1, 0 at the end, -1 after a diagnostic (the
 * source cannot be read on: the stream is done). */
int qj_stream_next(qj_stream *s, qj_item *it);
/* The header alone (the root and its non-item children), once the first
 * item or the end was reached; lent. */
xmlDocPtr qj_stream_header(qj_stream *s);
void qj_stream_free(qj_stream *s);

/* ---- the driver ---- */

typedef struct qj_run_opts {
	qj_batch *batch;        /* opened by the caller, borrowed */
	const char *input;      /* the data file */
	const char *out;        /* the directory (per_file) or FILE.pdf or "-" */
	int per_file;           /* one PDF per item into out */
	const char *name;       /* file-name pattern, "{serial}" style: {ATTR} of the item, {n} */
	void (*safe_name)(const char *s, const char *fallback, char *out, size_t n);
	const char *only;       /* comma-separated keys, or NULL: every item */
	int shard_k, shard_n;   /* 0-based part k of n (n 1: all) */
	int jobs;               /* worker processes (per_file); <= 1: in this process */
	int force;              /* redo complete files */
	int quiet;              /* no progress, no summary */
	int progress;           /* draw the progress line (the caller checks the terminal) */
	const char *manifest;   /* CSV of every item, or NULL */
	const char *stamp_extra; /* options that change the output, part of every fingerprint */
} qj_run_opts;

typedef struct qj_run_stats {
	long produced, skipped, failed, pages;
	double seconds;
} qj_run_stats;

/* Runs a batch. Returns QJ_DOC_OK when every selected item was produced or
 * skipped as complete, 1 when some items failed (each reported as
 * "FILE:LINE: error: ITEM 'KEY': …" and skipped, the rest produced),
 * QJ_DOC_BAD_INPUT when nothing could be done (the header, the file, an
 * unknown --only key, nothing selected) and QJ_DOC_FAILED when output or
 * a worker failed. st may be NULL. */
int qj_run(qj_ctx *ctx, const qj_run_opts *o, qj_run_stats *st);

/* The number of cores of this machine (sysconf), at least 1. */
int qj_run_cores(void);

#endif
