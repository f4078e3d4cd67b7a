/* list: the profession cards of a standard, one per line, tab-separated:
 * card id, occupation code (or "-"), level, name. The id is the one
 * --card takes. */
#include <stdio.h>

#include "cli/cmds.h"
#include "standard/standard.h"
#include "xml/xml.h"

int qj_cmd_list(qj_ctx *ctx, int argc, char **argv)
{
	xmlDocPtr doc;
	int n;

	if (argc != 1) {
		fprintf(stderr, "usage: qujat list STANDARD.xml\n");
		return QJ_EXIT_USAGE;
	}
	doc = qj_xml_load(ctx, argv[0]);
	if (!doc)
		return QJ_EXIT_INPUT;
	n = qj_standard_list(ctx, doc, stdout);
	xmlFreeDoc(doc);
	if (n < 0)
		return qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
	if (fflush(stdout) != 0) {
		qj_error(ctx, NULL, 0, "cannot write the list");
		return QJ_EXIT_FAIL;
	}
	return QJ_EXIT_OK;
}
