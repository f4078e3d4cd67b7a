/* roster: "qujat roster convert LIST.csv|LIST.xlsx [--course COURSE.xml]
 * -o ROSTER.xml" writes the XML form of a spreadsheet roster (src/sheet),
 * normalized and checked against templates/certificate.rng, atomically. */
#include <string.h>

#include <libxml/tree.h>

#include "cli/args.h"
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

int qj_cmd_roster(qj_ctx *ctx, int argc, char **argv)
{
	qj_opt opts[] = {{"--output", "-o", 1, NULL}, {"--course", NULL, 1, NULL}};
	const char *pos[2];
	xmlDocPtr doc;
	xmlNodePtr note;
	qj_out out;
	int n;

	n = qj_args_parse(ctx, "roster", argc, argv, opts, 2, pos, 2);
	if (n != 2 || strcmp(pos[0], "convert") || !opts[0].value) {
		if (n >= 0)
			qj_error(ctx, NULL, 0, "usage: qujat roster convert LIST.xlsx|LIST.csv "
				 "[--course COURSE.xml] -o ROSTER.xml");
		return QJ_EXIT_USAGE;
	}
	if (!qj_sheet_is_spreadsheet(pos[1])) {
		qj_error(ctx, pos[1], 0, "roster convert reads a .csv or .xlsx file");
		return QJ_EXIT_USAGE;
	}
	doc = convert(ctx, pos[1], opts[1].value);
	if (!doc)
		return QJ_EXIT_INPUT;
	if (!doc->encoding) /* else libxml2 writes character references */
		doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
	note = xmlNewDocComment(doc, BAD_CAST " written by qujat roster convert ");
	if (note)
		xmlAddPrevSibling(xmlDocGetRootElement(doc), note);
	if (qj_out_open(ctx, &out, opts[0].value) < 0) {
		xmlFreeDoc(doc);
		return QJ_EXIT_FAIL;
	}
	if (xmlDocFormatDump(out.fp, doc, 1) < 0) {
		qj_error(ctx, opts[0].value, 0, "cannot write the roster");
		qj_out_abort(ctx, &out);
		xmlFreeDoc(doc);
		return QJ_EXIT_FAIL;
	}
	xmlFreeDoc(doc);
	return qj_out_commit(ctx, &out) < 0 ? QJ_EXIT_FAIL : QJ_EXIT_OK;
}
