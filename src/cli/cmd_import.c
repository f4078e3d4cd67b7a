/* import: brings an official text of a professional standard into the
 * standards vocabulary. Writes stdout without -o (or with -o -); with -o the
 * file appears whole or not at all. */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlsave.h>

#include "cli/cmds.h"
#include "standard/import.h"

static const qj_option options[] = {
	{"output", 'o', "FILE|-", "write the standard to FILE (default: standard output)"},
	{"lang", 0, "LANG", "the text's language: kk, ru or en (default: detected from the labels)"},
	{"id", 0, "ID", "the standard's id (default: the leading digits of the file name, else 1)"},
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat import tests/data/sources/002_efa396441f2b22fb.txt --lang ru -o 002.xml",
	"qujat import new-standard.txt --id=004 -o standards/004.xml",
	NULL};

static int write_doc(qj_ctx *ctx, xmlDocPtr doc, const char *out)
{
	qj_out o;
	if (!out || !strcmp(out, "-")) {
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

static int run(qj_ctx *ctx, const qj_args *a)
{
	const char *l = qj_opt(a, "lang");
	int lang = l ? qj_import_lang_parse(l) : QJ_IMPORT_AUTO, rc;
	xmlDocPtr doc;

	if (lang < 0)
		return qj_opt_usage_error(ctx, a->cmd, "unknown --lang '%s'; supported: kk ru en", l);
	doc = qj_import_standard(ctx, a->pos[0], (qj_import_lang)lang, qj_opt(a, "id"));
	if (!doc)
		return qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
	rc = write_doc(ctx, doc, qj_opt(a, "output"));
	xmlFreeDoc(doc);
	return rc;
}

const qj_command qj_cmd_import = {
	"import", "an official text of a professional standard into the standards vocabulary",
	"SOURCE.txt", "[-o OUT.xml|-] [options]", 1, 1, options, examples, run};
