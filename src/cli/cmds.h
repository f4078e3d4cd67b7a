/* cmds: the commands of the qujat program. Each is one table (cli/opt.h):
 * its arguments, options, help and examples, and the function that runs it
 * with the parsed arguments and returns the process exit code: 0 success,
 * 1 usage error, 2 bad input (diagnostics printed), 3 internal or output
 * failure. Add a command: write src/cli/cmd_NAME.c with its table and add
 * it to qj_commands in cli.c. */
#ifndef QJ_CMDS_H
#define QJ_CMDS_H

#include "base/base.h"
#include "cli/opt.h"
#include "doc/doc.h"

#ifndef QJ_VERSION
#define QJ_VERSION "0.9.0"
#endif

enum { QJ_EXIT_OK = 0, QJ_EXIT_USAGE = 1, QJ_EXIT_INPUT = 2, QJ_EXIT_FAIL = 3 };

extern const qj_command qj_cmd_certificates;
extern const qj_command qj_cmd_card;
extern const qj_command qj_cmd_handouts;
extern const qj_command qj_cmd_plan;
extern const qj_command qj_cmd_validate;
extern const qj_command qj_cmd_list;
extern const qj_command qj_cmd_import;
extern const qj_command qj_cmd_text;
extern const qj_command qj_cmd_roster;
extern const qj_command qj_cmd_verify;

/* Every command, in the order the help lists them; NULL-terminated. */
extern const qj_command *const qj_commands[];

/* The whole program after setlocale: picks the command, handles --help,
 * help CMD and --version, runs it. Returns the exit code. */
int qj_cli_main(qj_ctx *ctx, int argc, char **argv);

/* Prints the versions of qujat and of the libraries in use. */
void qj_cli_version(FILE *fp);

/* The exit code of a doc stage status. */
int qj_exit_code(qj_doc_status st);

/* --lang for kind, when given: a usage error unless kind prints in it.
 * Returns 0 or the usage exit code. */
int qj_cli_lang(qj_ctx *ctx, const qj_command *cmd, const qj_doc_kind *kind,
		const char *lang);

/* --sign KEY.p12 and --pass-file FILE of the command's table: the key
 * loaded once for the batch into *signer (NULL when neither is given).
 * Returns 0, the usage exit code when only one is given, or a QJ_SIGN_*
 * code of sign/sign.h after a diagnostic; an expired certificate loads
 * (signing goes ahead with a warning) and sets *expired. */
struct qj_signer;
int qj_cli_signer(qj_ctx *ctx, const qj_args *a, struct qj_signer **signer, int *expired);
/* The exit code of a run that signed with an expired certificate:
 * QJ_SIGN_EXPIRED when rc is 0, else rc. */
int qj_cli_signed(int rc, int expired);

/* The --sign and --pass-file rows (read by qj_cli_signer) and the --fonts
 * row of every command that writes PDFs: one definition of their help. */
#define QJ_CLI_OPT_SIGN \
	{"sign", 0, "KEY.p12", "sign every PDF (PAdES B-B, a visible box on the last page) with this PKCS#12 key"}, \
	{"pass-file", 0, "FILE", "the key's password: the first line of FILE (never on the command line)"}
#define QJ_CLI_OPT_FONTS \
	{"fonts", 0, "DIR", "fonts directory (default: $QUJAT_FONTS, else fonts/ of the data directory)"}

/* The --pdfa row of the option table of every command that writes PDFs,
 * and what it sets in the batch's options: one line each in a command. */
#define QJ_CLI_OPT_PDFA \
	{"pdfa", 0, NULL, "write PDF/A-1b (archival: XMP, sRGB output intent, every font embedded)"}
void qj_cli_pdf_opts(const qj_args *a, qj_batch_opts *bo);

/* ---- rosters through the batch driver (cli/runopt.c) ---- */

/* The option rows of a command that runs a roster's persons through
 * src/batch's qj_run, one PDF per person into -o DIR/: in its table after
 * its own rows. */
#define QJ_CLI_OPT_BATCH                                                                                 \
	{"name", 0, "PATTERN", "per-person file names in DIR: {serial} (the default), {name}, any attribute {ATTR} of <person>, {n} its position"}, \
	{"only", 0, "SERIAL[,SERIAL...]", "print only these persons (reprint spoiled copies); an unknown serial is an error"}, \
	{"jobs", 'j', "N", "worker processes for -o DIR/ (default: the number of cores); a combined PDF is written by one"}, \
	{"shard", 0, "K/N", "print persons K, K+N, K+2N, ... only (machine K of N, 1 <= K <= N)"},          \
	{"shard-index", 0, "I/N", "the same with I counted from 0 (0 <= I < N): $JOB_COMPLETION_INDEX, $SLURM_ARRAY_TASK_ID"}, \
	{"force", 0, NULL, "redo per-person files that are already complete"},                              \
	{"manifest", 0, "FILE.csv", "write one line per person: serial, output, ok/skipped/failed, message"}, \
	{"quiet", 'q', NULL, "no progress line and no summary on standard error"}

/* The rows of QJ_CLI_OPT_BATCH into ro (shards, --only, --name, --jobs,
 * --force, --quiet, --manifest, progress on a terminal, per_file), with
 * their usage errors; the caller sets batch, input and out. 0 or the usage
 * exit code. */
struct qj_run_opts;
int qj_cli_run_opts(qj_ctx *ctx, const qj_args *a, int per_file, struct qj_run_opts *ro);
/* The exit code of qj_run's result (1: some persons failed). */
int qj_cli_run_exit(int rc);
/* -o DIR/ without its trailing slashes into dir, made when missing; 0, or
 * -1 with a diagnostic. */
int qj_cli_dir_out(qj_ctx *ctx, const char *out, char *dir, size_t n);

/* ---- output paths (cli/output.c) ---- */

#define QJ_SAFE_NAME_MAX 120 /* bytes of a file name made from data */

/* Whether -o OUT names a directory: it ends with '/' or is one. */
int qj_cli_is_dir(const char *out);
/* Makes dir and every missing parent (mkdir -p); 0, or -1 with a
 * diagnostic. */
int qj_cli_mkdirs(qj_ctx *ctx, const char *dir);
/* dir/name into buf, without doubled slashes. */
void qj_cli_join(const char *dir, const char *name, char *buf, size_t n);
/* A file name (without extension) made from s: separators, spaces,
 * controls, characters Windows forbids and invisible characters become '_'
 * (runs collapse to one), leading dots, dashes and '_' and trailing dots are
 * dropped, the length is bounded at a character boundary, device names (CON,
 * NUL…) get a '_' in front. fallback when nothing is left. */
void qj_cli_safe_name(const char *s, const char *fallback, char *out, size_t n);
/* The path a one-PDF command writes for -o OUT and input file in: OUT
 * itself, or "-", or, when OUT names a directory (made when missing),
 * OUT/BASE[-suffix].pdf with BASE the input's name without .xml. *into_dir
 * tells which. 0, or an exit code. */
int qj_cli_single_out(qj_ctx *ctx, const char *out, const char *in, const char *suffix,
		  char *buf, size_t n, int *into_dir);

#endif
