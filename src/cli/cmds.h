/* cmds: the commands of the qujat program. Each takes the context and the
 * arguments after its own name, and returns the process exit code:
 * 0 success, 1 usage error, 2 bad input (diagnostics printed), 3 internal
 * or output failure. Add a command: write src/cli/cmd_NAME.c and add one
 * line to the table in main.c. */
#ifndef QJ_CMDS_H
#define QJ_CMDS_H

#include "base/base.h"

enum { QJ_EXIT_OK = 0, QJ_EXIT_USAGE = 1, QJ_EXIT_INPUT = 2, QJ_EXIT_FAIL = 3 };

int qj_cmd_certificates(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_plan(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_validate(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_list(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_import(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_text(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_card(qj_ctx *ctx, int argc, char **argv);
int qj_cmd_verify(qj_ctx *ctx, int argc, char **argv);

#endif
