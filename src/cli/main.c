/* main: the locale, the context, and the command line (cli.c). */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"

int main(int argc, char **argv)
{
	qj_ctx *ctx;
	int rc;

	setlocale(LC_ALL, "");
	/* numbers in templates and data are always written with a point */
	setlocale(LC_NUMERIC, "C");
	ctx = qj_ctx_new();
	if (!ctx)
		return QJ_EXIT_FAIL;
	rc = qj_cli_main(ctx, argc, argv);
	qj_ctx_free(ctx);
	/* --dump, the list of written paths: a full or closed stdout fails */
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == QJ_EXIT_OK) {
		fprintf(stderr, "qujat: error: cannot write to stdout: %s\n", strerror(errno));
		rc = QJ_EXIT_FAIL;
	}
	return rc;
}
