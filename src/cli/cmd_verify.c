/* verify: says in plain words whether a PDF is signed, whether the
 * signature covers the whole file and is valid, who signed and when,
 * whether bytes were appended after signing, and, given the data the PDF
 * was made from, whether every page's verification code matches its own
 * person or record. The exit code says the same (src/sign/sign.h). */
#include <stdio.h>

#include "cli/cmds.h"
#include "sign/sign.h"

static const qj_option options[] = {{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat verify out/plan.pdf",
	"qujat verify out/certificates.pdf examples/roster.xml",
	NULL};

static int run(qj_ctx *ctx, const qj_args *a)
{
	xmlDocPtr data = NULL;
	int rc;

	/* the data normalized as the commands load it */
	if (a->npos == 2 && !(data = qj_doc_load(ctx, NULL, a->pos[1], NULL)))
		return QJ_VERIFY_UNREADABLE;
	rc = qj_verify_pdf(ctx, a->pos[0], data, stdout);
	if (data)
		xmlFreeDoc(data);
	return rc;
}

const qj_command qj_cmd_verify = {
	"verify", "whether a PDF is signed, intact and valid, and matches its data",
	"FILE.pdf [DATA.xml]", "", 1, 2, options, examples, run};
