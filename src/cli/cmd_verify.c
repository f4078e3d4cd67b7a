/* verify: says in plain words whether a PDF is signed, whether the
 * signature covers the whole file and is valid, who signed and when,
 * whether bytes were appended after signing, and, given the data the PDF
 * was made from, whether every page's verification code matches its own
 * person or record. The exit code says the same (src/sign/sign.h). */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cmds.h"
#include "cli/render.h"
#include "sign/sign.h"

int qj_cmd_verify(qj_ctx *ctx, int argc, char **argv)
{
	const char *pos[2];
	xmlDocPtr data = NULL;
	int n, rc;

	n = qj_args_parse(ctx, "verify", argc, argv, NULL, 0, pos, 2);
	if (n < 1) {
		if (n == 0)
			qj_error(ctx, NULL, 0, "usage: qujat verify FILE.pdf [DATA.xml]");
		return QJ_EXIT_USAGE;
	}
	/* the data normalized as the commands do by default */
	if (n == 2 && !(data = qj_data_load(ctx, pos[1], "kk")))
		return QJ_VERIFY_UNREADABLE;
	rc = qj_verify_pdf(ctx, pos[0], data, stdout);
	if (data)
		xmlFreeDoc(data);
	return rc;
}
