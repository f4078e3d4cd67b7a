/* roster: "qujat roster convert LIST.csv|LIST.xlsx [--course COURSE.xml]
 * -o ROSTER.xml" writes the XML form of a spreadsheet roster (src/sheet),
 * normalized and checked against templates/certificate.rng, atomically. */
#include <errno.h>
#include <string.h>

#include <libxml/tree.h>

#include "cli/cmds.h"
#include "sheet/sheet.h"
#include "text/text.h"
#include "xml/xml.h"

/* The roster document, normalized and valid, or NULL (diagnostics given). */
static xmlDocPtr convert(qj_ctx *ctx, const char *list, const char *course)
{
	xmlDocPtr doc = qj_sheet_load_roster(ctx, list, course);
	const char *lang;
	char *rng;
	int rc;
	if (!doc)
		return NULL;
	lang = qj_xml_attr(xmlDocGetRootElement(doc), "lang");
	if (qj_text_normalize_doc(ctx, doc, lang ? lang : "kk") < 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	/* what src/sheet builds should always be valid; checked all the same */
	rng = qj_data_path(ctx, "templates/certificate.rng");
	rc = rng ? qj_xml_validate_rng(ctx, doc, rng) : -1;
	if (!rng)
		qj_error(ctx, NULL, 0, "cannot find templates/certificate.rng");
	qj_free(ctx, rng);
	if (rc != 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static const qj_option options[] = {
	{"output", 'o', "ROSTER.xml|-", "the XML roster to write (atomically), or - (standard output)"},
	{"course", 0, "COURSE.xml", "the course-wide fields, when the list has no \"course\" sheet"},
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat roster convert examples/roster.xlsx -o out/roster.xml",
	"qujat roster convert examples/roster.csv --course examples/course.xml -o out/roster.xml",
	"qujat roster convert examples/roster.xlsx -o - | grep -c '<person '",
	NULL};

static int run(qj_ctx *ctx, const qj_args *a)
{
	const char *out = qj_opt(a, "output");
	xmlDocPtr doc;
	xmlNodePtr note;
	qj_out o;

	if (strcmp(a->pos[0], "convert"))
		return qj_opt_usage_error(ctx, a->cmd, "unknown subcommand '%s' (roster convert)",
					  a->pos[0]);
	if (!out)
		return qj_opt_usage_error(ctx, a->cmd, "-o is required");
	if (!qj_sheet_is_spreadsheet(a->pos[1])) {
		qj_error(ctx, a->pos[1], 0, "roster convert reads a .csv or .xlsx file");
		return QJ_EXIT_USAGE;
	}
	doc = convert(ctx, a->pos[1], qj_opt(a, "course"));
	if (!doc)
		return qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
	if (!doc->encoding) /* else libxml2 writes character references */
		doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
	note = xmlNewDocComment(doc, BAD_CAST " written by qujat roster convert ");
	if (note)
		xmlAddPrevSibling(xmlDocGetRootElement(doc), note);
	if (!strcmp(out, "-")) { /* standard output, as -o - is everywhere */
		xmlChar *t = NULL;
		int n = 0, bad;
		/* through memory: libxml2 would print its own "I/O error" */
		xmlDocDumpFormatMemory(doc, &t, &n, 1);
		bad = !t || fwrite(t, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout) != 0;
		xmlFree(t);
		xmlFreeDoc(doc);
		if (bad) {
			qj_error(ctx, NULL, 0, "cannot write to stdout: %s", strerror(errno ? errno : EIO));
			return QJ_EXIT_FAIL;
		}
		return QJ_EXIT_OK;
	}
	if (qj_out_open(ctx, &o, out) < 0) {
		xmlFreeDoc(doc);
		return QJ_EXIT_FAIL;
	}
	if (xmlDocFormatDump(o.fp, doc, 1) < 0) {
		qj_error(ctx, out, 0, "cannot write the roster");
		qj_out_abort(ctx, &o);
		xmlFreeDoc(doc);
		return QJ_EXIT_FAIL;
	}
	xmlFreeDoc(doc);
	return qj_out_commit(ctx, &o) < 0 ? QJ_EXIT_FAIL : QJ_EXIT_OK;
}

const qj_command qj_cmd_roster = {
	"roster", "convert a spreadsheet roster (.csv, .xlsx) to the XML roster",
	"convert LIST.csv|LIST.xlsx", "-o ROSTER.xml|- [--course COURSE.xml]", 2, 2, options,
	examples, run};
