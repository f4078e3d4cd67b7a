/* main: the allocator's settings, the locale, the context, and the command
 * line (cli.c). */
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"

int main(int argc, char **argv)
{
	qj_ctx *ctx;
	int rc;

	/* a batch frees each document's memory (its arenas, libxml2's trees,
	 * libharu's objects) and asks for as much again for the next one;
	 * glibc would give the top of the heap, and every block over 128 KiB,
	 * back to the kernel each time and fault the same pages in again (a
	 * tenth of the time of a combined run): memory is kept for reuse, so
	 * the process holds its peak, as it does at the peak anyway */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
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
