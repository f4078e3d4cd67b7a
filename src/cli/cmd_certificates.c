/* certificates: one certificate per person of a roster, through
 * templates/certificate.xml: one PDF per person into a directory (named
 * from the serial, resumable, in parallel worker processes) or one
 * combined PDF. The per-person machinery is src/batch's. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/batch.h"
#include "cli/cmds.h"
#include "sign/sign.h"
#include "sheet/sheet.h"

static const qj_option options[] = {
	{"output", 'o', "FILE.pdf|DIR/|-",
	 "one combined PDF (a bookmark per person), one PDF per person into DIR (made when missing), or - (standard output)"},
	{"name", 0, "PATTERN", "per-person file names in DIR: {serial} (the default), {name}, any attribute {ATTR} of <person>, {n} its position"},
	{"only", 0, "SERIAL[,SERIAL...]", "print only these persons (reprint spoiled certificates); an unknown serial is an error"},
	{"course", 0, "COURSE.xml", "the course-wide fields (programme, dates, organization, signers) of a .csv or .xlsx roster"},
	{"lang", 0, "LANG", "kk, ru, en, kk+ru or ru+kk (side by side); default: the roster's lang, else kk"},
	{"jobs", 'j', "N", "worker processes for -o DIR/ (default: the number of cores); a combined PDF is written by one"},
	{"shard", 0, "K/N", "print persons K, K+N, K+2N, ... only (machine K of N, 1 <= K <= N)"},
	{"shard-index", 0, "I/N", "the same with I counted from 0 (0 <= I < N): $JOB_COMPLETION_INDEX, $SLURM_ARRAY_TASK_ID"},
	{"force", 0, NULL, "redo per-person files that are already complete"},
	{"manifest", 0, "FILE.csv", "write one line per person: serial, output, ok/skipped/failed, message"},
	{"quiet", 'q', NULL, "no progress line and no summary on standard error"},
	{"fonts", 0, "DIR", "fonts directory (default: $QUJAT_FONTS, else fonts/ of the data directory)"},
	{"template", 0, "FILE", "another template, expanded once per person: a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display lists to standard output"},
	{"sign", 0, "KEY.p12", "sign every PDF (PAdES B-B, a visible box on the last page) with this PKCS#12 key"},
	{"pass-file", 0, "FILE", "the key's password: the first line of FILE (never on the command line)"},
	QJ_CLI_OPT_PDFA,
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat certificates examples/roster.xml -o out/certificates.pdf",
	"qujat certificates examples/roster.xml -o out/certs/ --jobs 2 --manifest out/certs.csv",
	"qujat certificates examples/roster.xml -o out/certs/ --name '{serial}-{name}'",
	"qujat certificates examples/roster.xml -o out/certs/ --only ҚЖ-2026-0003 --force",
	"qujat certificates examples/roster.xml --lang=kk+ru --shard 2/3 -o - > certificates-2of3.pdf",
	"qujat certificates examples/roster.xml --shard-index \"$JOB_COMPLETION_INDEX/8\" -o out/certs/ --quiet",
	"qujat certificates examples/roster.csv --course examples/course.xml -o out/certificates.pdf",
	NULL};

/* --shard K/N (base 1) or --shard-index I/N (base 0) into *k (0-based) and
 * *n; 0 or an exit code. */
static int parse_shard(qj_ctx *ctx, const char *s, int base, int *k, int *n)
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
		return qj_opt_usage_error(ctx, &qj_cmd_certificates,
					  base ? "--shard wants K/N with 1 <= K <= N, not '%s'"
					       : "--shard-index wants I/N with 0 <= I < N, not '%s'",
					  s);
	*k = (int)(a - base);
	*n = (int)b;
	return 0;
}

/* Checks the options that go together; 0 or an exit code. */
static int check_usage(qj_ctx *ctx, const qj_args *a, int per_file, int *jobs)
{
	const char *j = qj_opt(a, "jobs");
	char *end;
	long v;
	if (qj_flag(a, "dump") && !strcmp(qj_opt(a, "output"), "-"))
		return qj_opt_usage_error(ctx, a->cmd, "--dump and -o - both write to standard output");
	if (qj_opt(a, "shard") && qj_opt(a, "shard-index"))
		return qj_opt_usage_error(ctx, a->cmd, "give --shard or --shard-index, not both");
	if (qj_opt(a, "name") && !per_file)
		return qj_opt_usage_error(ctx, a->cmd, "--name names the files of -o DIR/");
	if (qj_opt(a, "name") && !*qj_opt(a, "name"))
		return qj_opt_usage_error(ctx, a->cmd, "--name wants a pattern such as '{serial}'");
	if (qj_opt(a, "only") && !qj_opt(a, "only")[strspn(qj_opt(a, "only"), ",")])
		return qj_opt_usage_error(ctx, a->cmd, "--only wants one serial or more");
	if (qj_opt(a, "course") && !qj_sheet_is_spreadsheet(a->pos[0]))
		return qj_opt_usage_error(ctx, a->cmd, "--course goes with a .csv or .xlsx roster");
	*jobs = qj_run_cores();
	if (j) {
		v = strtol(j, &end, 10);
		if (!*j || *end || v < 1 || v > 256)
			return qj_opt_usage_error(ctx, a->cmd, "--jobs wants a number from 1 to 256, not '%s'", j);
		*jobs = (int)v;
		if (v > 1 && !per_file && !qj_flag(a, "quiet"))
			fprintf(stderr, "qujat certificates: note: a combined PDF is written by one "
					"process (--jobs is for -o DIR/)\n");
	}
	/* display lists on standard output come in order from one process */
	if (qj_flag(a, "dump"))
		*jobs = 1;
	return 0;
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	qj_signer *signer = NULL;
	int expired = 0, per_file, rc, jobs = 1;
	const char *params[] = {"shard-k", "1", "shard-n", "1", NULL};
	qj_run_opts ro;
	qj_batch_opts bo;
	qj_batch *b;
	char dir[PATH_MAX];

	memset(&bo, 0, sizeof bo);
	memset(&ro, 0, sizeof ro);
	bo.kind = qj_doc_kind_lookup("roster");
	if (!qj_opt(a, "output"))
		return qj_opt_usage_error(ctx, a->cmd, "-o is required");
	per_file = strcmp(qj_opt(a, "output"), "-") && qj_cli_is_dir(qj_opt(a, "output"));
	ro.shard_n = 1;
	if ((rc = check_usage(ctx, a, per_file, &jobs)) ||
	    (rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))) ||
	    (rc = parse_shard(ctx, qj_opt(a, "shard"), 1, &ro.shard_k, &ro.shard_n)) ||
	    (rc = parse_shard(ctx, qj_opt(a, "shard-index"), 0, &ro.shard_k, &ro.shard_n)))
		return rc;
	if (per_file) {
		/* DIR without its trailing slashes */
		size_t n;
		snprintf(dir, sizeof dir, "%s", qj_opt(a, "output"));
		n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = 0;
		if (qj_cli_mkdirs(ctx, dir) < 0)
			return QJ_EXIT_FAIL;
	}
	bo.course = qj_opt(a, "course");
	bo.lang = qj_opt(a, "lang");
	bo.template_name = qj_opt(a, "template");
	bo.fonts_dir = qj_opt(a, "fonts");
	/* the engine picks the shard; the template sees one person at a time */
	bo.params = params;
	bo.dump = qj_flag(a, "dump") ? stdout : NULL;
	/* the key once for the batch, before any work */
	if ((rc = qj_cli_signer(ctx, a, &signer, &expired)))
		return rc;
	bo.signer = signer;
	qj_cli_pdf_opts(a, &bo);
	if (!(b = qj_batch_open(ctx, &bo))) {
		qj_signer_free(signer);
		return QJ_EXIT_FAIL;
	}
	if (qj_batch_status(b) != QJ_DOC_OK) {
		rc = qj_exit_code(qj_batch_status(b));
	} else {
		ro.batch = b;
		ro.input = a->pos[0];
		ro.out = per_file ? dir : qj_opt(a, "output");
		ro.per_file = per_file;
		ro.name = qj_opt(a, "name");
		ro.safe_name = qj_cli_safe_name;
		ro.only = qj_opt(a, "only");
		ro.jobs = jobs;
		ro.force = qj_flag(a, "force");
		ro.quiet = qj_flag(a, "quiet");
		ro.progress = isatty(2);
		ro.manifest = qj_opt(a, "manifest");
		rc = qj_run(ctx, &ro, NULL);
		rc = rc == 1 ? QJ_EXIT_USAGE : qj_exit_code((qj_doc_status)rc);
	}
	qj_batch_free(b);
	qj_signer_free(signer);
	return qj_cli_signed(rc, expired);
}

const qj_command qj_cmd_certificates = {
	"certificates", "one certificate per person of a roster: one PDF each into a directory, or one combined PDF",
	"ROSTER.xml|.csv|.xlsx", "-o OUT.pdf|DIR/|- [options]", 1, 1, options, examples, run};
