/* certificates: placeholder until the pipeline lands (see issue 2). */
#include "cli/cmds.h"
int qj_cmd_certificates(qj_ctx *ctx, int argc, char **argv)
{
	(void)argc; (void)argv;
	qj_error(ctx, NULL, 0, "certificates: not built yet");
	return QJ_EXIT_FAIL;
}
