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
	QJ_CLI_OPT_BATCH,
	{"course", 0, "COURSE.xml", "the course-wide fields (programme, dates, organization, signers) of a .csv or .xlsx roster"},
	{"lang", 0, "LANG", "kk, ru, en, kk+ru or ru+kk (side by side); default: the roster's lang, else kk"},
	QJ_CLI_OPT_FONTS,
	{"template", 0, "FILE", "another template, expanded once per person: a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display lists to standard output"},
	QJ_CLI_OPT_SIGN,
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

/* Checks the options that go together; 0 or an exit code. */
static int check_usage(qj_ctx *ctx, const qj_args *a)
{
	if (qj_flag(a, "dump") && !strcmp(qj_opt(a, "output"), "-"))
		return qj_opt_usage_error(ctx, a->cmd, "--dump and -o - both write to standard output");
	if (qj_opt(a, "course") && !qj_sheet_is_spreadsheet(a->pos[0]))
		return qj_opt_usage_error(ctx, a->cmd, "--course goes with a .csv or .xlsx roster");
	return 0;
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	qj_signer *signer = NULL;
	int expired = 0, per_file, rc;
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
	if ((rc = check_usage(ctx, a)) || (rc = qj_cli_run_opts(ctx, a, per_file, &ro)) ||
	    (rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))))
		return rc;
	if (per_file && qj_cli_dir_out(ctx, qj_opt(a, "output"), dir, sizeof dir) < 0)
		return QJ_EXIT_FAIL;
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
		rc = qj_cli_run_exit(qj_run(ctx, &ro, NULL));
	}
	qj_batch_free(b);
	qj_signer_free(signer);
	return qj_cli_signed(rc, expired);
}

const qj_command qj_cmd_certificates = {
	"certificates", "one certificate per person of a roster: one PDF each into a directory, or one combined PDF",
	"ROSTER.xml|.csv|.xlsx", "-o OUT.pdf|DIR/|- [options]", 1, 1, options, examples, run};
