/* list: the profession cards of a standard, one per line, tab-separated:
 * card id, occupation code (or "-"), level, name. The id is the one
 * --card takes. */
#include <stdio.h>

#include "cli/cmds.h"
#include "standard/standard.h"
#include "xml/xml.h"

static const qj_option options[] = {{NULL, 0, NULL, NULL}};

static const char *const examples[] = {"qujat list standards/002.xml", NULL};

static int run(qj_ctx *ctx, const qj_args *a)
{
	xmlDocPtr doc = qj_xml_load(ctx, a->pos[0]);
	int n;

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

const qj_command qj_cmd_list = {
	"list", "the cards of a standard: id, occupation code, level, name (tab-separated)",
	"STANDARD.xml", "", 1, 1, options, examples, run};
