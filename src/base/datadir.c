/* datadir: where qujat's data lives (templates/, standards/, records/,
 * fonts/). One place decides: $QUJAT_HOME when set, else the directory
 * compiled in as QJ_DATADIR (the Makefile passes the source tree for
 * builds under build/ and PREFIX/share/qujat for the installed binary).
 * Never the current directory, never a path guessed from the binary. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef QJ_DATADIR
#error "QJ_DATADIR (the data directory) must be defined, e.g. -DQJ_DATADIR='\"/usr/local/share/qujat\"'"
#endif

static const char compiled[] = QJ_DATADIR;

/* $QUJAT_HOME when set and not empty, else NULL */
static const char *from_env(void)
{
	const char *env = getenv("QUJAT_HOME");
	return env && *env ? env : NULL;
}

const char *qj_data_dir(void)
{
	return from_env() ? from_env() : compiled;
}

char *qj_data_path(qj_ctx *ctx, const char *rel)
{
	const char *dir = qj_data_dir();
	const char *from = from_env() ? "from QUJAT_HOME"
				      : "the compiled-in data directory; set QUJAT_HOME to use another";
	const char *why = NULL;
	struct stat st;
	size_t n;
	char *p;

	/* the directory itself first: the usual mistake is a wrong QUJAT_HOME
	 * or an install that is not there */
	if (stat(dir, &st) < 0)
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "not a directory";
	if (why) {
		qj_error(ctx, dir, 0, "no qujat data directory here (%s): %s", from, why);
		return NULL;
	}
	if (!rel || !*rel)
		return qj_strdup(ctx, dir);
	n = strlen(dir) + strlen(rel) + 2;
	p = qj_malloc(ctx, n);
	if (!p)
		return NULL;
	snprintf(p, n, "%s/%s", dir, rel);
	if (stat(p, &st) < 0) {
		qj_error(ctx, p, 0, "missing from the qujat data directory %s (%s)", dir, from);
		qj_free(ctx, p);
		return NULL;
	}
	return p;
}
