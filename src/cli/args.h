/* args: a small option parser shared by the commands: positional arguments
 * and --name VALUE / -o VALUE options, with usage errors reported. */
#ifndef QJ_ARGS_H
#define QJ_ARGS_H

#include "base/base.h"

typedef struct qj_opt {
	const char *name;  /* "--fonts" */
	const char *alias; /* "-o" or NULL */
	int has_value;
	const char *value; /* set when given ("1" for flags) */
} qj_opt;

/* Fills opts from argv and collects positionals (at most max). Returns the
 * number of positionals, or -1 after printing a usage error. */
int qj_args_parse(qj_ctx *ctx, const char *cmd, int argc, char **argv,
		  qj_opt *opts, int nopts, const char **pos, int max);

/* Checks --lang against the list "kk ru en …"; prints a usage error. */
int qj_args_lang(qj_ctx *ctx, const char *cmd, const char *lang, const char *allowed);

#endif
