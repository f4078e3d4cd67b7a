/* opt: the command line. Each command is one table — name, arguments,
 * options with their help, examples — that the parser, `--help`, the man
 * page test and the README test all read. Options are looked up by name:
 * `--name VALUE`, `--name=VALUE`, `-x VALUE`, `-xVALUE`; `--` ends them. */
#ifndef QJ_OPT_H
#define QJ_OPT_H

#include <stdio.h>

#include "base/base.h"

#define QJ_MAX_OPTIONS 24

typedef struct qj_option {
	const char *name;  /* long name without dashes: "output" */
	char short_name;   /* 'o', or 0 */
	const char *arg;   /* what the value is ("FILE"), NULL for a flag */
	const char *help;  /* one line */
} qj_option;

typedef struct qj_args qj_args;

typedef struct qj_command {
	const char *name;
	const char *summary;  /* one line */
	const char *args;     /* positional arguments: "ROSTER.xml" */
	const char *synopsis; /* the rest of the usage line: "-o OUT.pdf [options]" */
	int min_args, max_args; /* positional arguments; max -1: no limit */
	const qj_option *options; /* ends with {NULL}; --help is implicit */
	const char *const *examples; /* NULL-terminated */
	int (*run)(qj_ctx *ctx, const qj_args *a);
} qj_command;

/* Parsed arguments, lent to the command's run. */
struct qj_args {
	const qj_command *cmd;
	const char *value[QJ_MAX_OPTIONS]; /* by table position; "" for a flag */
	const char **pos;
	int npos;
};

/* The value of option --name (NULL when not given; "" for a given flag).
 * name must be in the command's table (an assertion: a typo is a bug). */
const char *qj_opt(const qj_args *a, const char *name);
/* Whether flag --name was given. */
int qj_flag(const qj_args *a, const char *name);

/* Parses argv (the arguments after the command's name) against cmd's
 * table and runs it. --help or -h prints the help to stdout (exit 0); a
 * usage error prints "qujat CMD: error: …" and the usage line (exit 1).
 * Returns the exit code. */
int qj_opt_run(qj_ctx *ctx, const qj_command *cmd, int argc, char **argv);

/* Prints cmd's help: usage line, summary, every option with its help, the
 * examples. */
void qj_opt_help(const qj_command *cmd, FILE *fp);

/* Reports "qujat CMD: error: MESSAGE" and the usage line on stderr;
 * returns the usage exit code (1). */
int qj_opt_usage_error(qj_ctx *ctx, const qj_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The edit distance between a and b (insertions, deletions, substitutions
 * and transpositions of neighbours each count one). */
size_t qj_opt_distance(const char *a, const char *b);

/* Of the NULL-terminated names, the one nearest to s (NULL when none). */
const char *qj_opt_nearest(const char *s, const char *const *names);

#endif
