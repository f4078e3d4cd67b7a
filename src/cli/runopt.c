/* runopt: the options of a command that runs a roster through the batch
 * driver (src/batch: qj_run), one definition for every such command
 * (certificates, handouts): their table rows are QJ_CLI_OPT_BATCH, their
 * checks and values are here. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/batch.h"
#include "cli/cmds.h"

/* --shard K/N (base 1) or --shard-index I/N (base 0) into *k (0-based) and
 * *n; 0 or an exit code. */
static int parse_shard(qj_ctx *ctx, const qj_command *cmd, const char *s, int base, int *k, int *n)
{
	long a = 0, b = 0;
	char *end = NULL;
	if (!s)
		return 0;
	/* strtol with a range, not sscanf's %d: 1/4294967298 must not be 1/2 */
	errno = 0;
	if (*s >= '0' && *s <= '9')
		a = strtol(s, &end, 10);
	if (end && *end == '/' && end[1] >= '0' && end[1] <= '9')
		b = strtol(end + 1, &end, 10);
	else
		end = NULL;
	if (!end || *end || errno || b < 1 || b > INT_MAX || a < base || a > b - 1 + base)
		return qj_opt_usage_error(ctx, cmd,
					  base ? "--shard wants K/N with 1 <= K <= N, not '%s'"
					       : "--shard-index wants I/N with 0 <= I < N, not '%s'",
					  s);
	*k = (int)(a - base);
	*n = (int)b;
	return 0;
}

int qj_cli_run_opts(qj_ctx *ctx, const qj_args *a, int per_file, qj_run_opts *ro)
{
	const char *j = qj_opt(a, "jobs");
	char *end;
	long v;
	int rc;

	if (qj_opt(a, "shard") && qj_opt(a, "shard-index"))
		return qj_opt_usage_error(ctx, a->cmd, "give --shard or --shard-index, not both");
	if (qj_opt(a, "name") && !per_file)
		return qj_opt_usage_error(ctx, a->cmd, "--name names the files of -o DIR/");
	if (qj_opt(a, "name") && !*qj_opt(a, "name"))
		return qj_opt_usage_error(ctx, a->cmd, "--name wants a pattern such as '{serial}'");
	if (qj_opt(a, "only") && !qj_opt(a, "only")[strspn(qj_opt(a, "only"), ",")])
		return qj_opt_usage_error(ctx, a->cmd, "--only wants one serial or more");
	ro->jobs = qj_run_cores();
	if (j) {
		v = strtol(j, &end, 10);
		if (!*j || *end || v < 1 || v > 256)
			return qj_opt_usage_error(ctx, a->cmd, "--jobs wants a number from 1 to 256, not '%s'", j);
		ro->jobs = (int)v;
		if (v > 1 && !per_file && !qj_flag(a, "quiet"))
			fprintf(stderr, "qujat %s: note: a combined PDF is written by one "
					"process (--jobs is for -o DIR/)\n", a->cmd->name);
	}
	/* display lists on standard output come in order from one process */
	if (qj_flag(a, "dump"))
		ro->jobs = 1;
	ro->shard_k = 0;
	ro->shard_n = 1;
	if ((rc = parse_shard(ctx, a->cmd, qj_opt(a, "shard"), 1, &ro->shard_k, &ro->shard_n)) ||
	    (rc = parse_shard(ctx, a->cmd, qj_opt(a, "shard-index"), 0, &ro->shard_k, &ro->shard_n)))
		return rc;
	ro->per_file = per_file;
	ro->name = qj_opt(a, "name");
	ro->safe_name = qj_cli_safe_name;
	ro->only = qj_opt(a, "only");
	ro->force = qj_flag(a, "force");
	ro->quiet = qj_flag(a, "quiet");
	ro->progress = isatty(2);
	ro->manifest = qj_opt(a, "manifest");
	return 0;
}

int qj_cli_run_exit(int rc)
{
	return rc == 1 ? QJ_EXIT_USAGE : qj_exit_code((qj_doc_status)rc);
}

int qj_cli_dir_out(qj_ctx *ctx, const char *out, char *dir, size_t n)
{
	size_t len;
	snprintf(dir, n, "%s", out);
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = 0;
	return qj_cli_mkdirs(ctx, dir);
}
