/* import: brings an official text of a professional standard into the
 * standards vocabulary: qujat import SOURCE.txt [--lang kk|ru|en]
 * [--id ID] [-o OUT.xml]. Writes stdout without -o; with -o the file
 * appears whole or not at all. */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlsave.h>

#include "cli/cmds.h"
#include "standard/import.h"

static int usage(qj_ctx *ctx)
{
	qj_error(ctx, NULL, 0, "usage: qujat import SOURCE.txt "
		 "[--lang kk|ru|en] [--id ID] [-o OUT.xml]");
	return QJ_EXIT_USAGE;
}

static int write_doc(qj_ctx *ctx, xmlDocPtr doc, const char *out)
{
	qj_out o;
	if (!out) {
		if (xmlDocFormatDump(stdout, doc, 1) < 0 || fflush(stdout)) {
			qj_error(ctx, NULL, 0, "cannot write to stdout");
			return QJ_EXIT_FAIL;
		}
		return QJ_EXIT_OK;
	}
	if (qj_out_open(ctx, &o, out) < 0)
		return QJ_EXIT_FAIL;
	if (xmlDocFormatDump(o.fp, doc, 1) < 0) {
		qj_error(ctx, out, 0, "cannot write");
		qj_out_abort(ctx, &o);
		return QJ_EXIT_FAIL;
	}
	return qj_out_commit(ctx, &o) < 0 ? QJ_EXIT_FAIL : QJ_EXIT_OK;
}

int qj_cmd_import(qj_ctx *ctx, int argc, char **argv)
{
	const char *src = NULL, *out = NULL, *id = NULL;
	int lang = QJ_IMPORT_AUTO, i, rc;
	xmlDocPtr doc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			lang = qj_import_lang_parse(argv[++i]);
			if (lang < 0) {
				qj_error(ctx, NULL, 0, "--lang takes kk, ru or "
					 "en, not '%s'", argv[i]);
				return QJ_EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--id") && i + 1 < argc) {
			id = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(ctx);
		} else if (!src) {
			src = argv[i];
		} else {
			return usage(ctx);
		}
	}
	if (!src)
		return usage(ctx);
	doc = qj_import_standard(ctx, src, (qj_import_lang)lang, id);
	if (!doc)
		return qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
	rc = write_doc(ctx, doc, out);
	xmlFreeDoc(doc);
	return rc;
}
