/* certificates: one certificate page per person of a roster, through
 * templates/certificate.xml, into one PDF. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "sign/sign.h"
#include "sheet/sheet.h"

static const qj_option options[] = {
	{"output", 'o', "FILE|DIR/|-",
	 "write FILE.pdf, DIR/ROSTER.pdf (DIR made when missing), or - (standard output)"},
	{"course", 0, "COURSE.xml", "the course-wide fields (programme, dates, organization, signers) of a .csv or .xlsx roster"},
	{"lang", 0, "LANG", "kk, ru, en, kk+ru or ru+kk (side by side); default: the roster's lang, else kk"},
	{"shard", 0, "K/N", "print persons K, K+N, K+2N, ... only (machine K of N)"},
	{"fonts", 0, "DIR", "fonts directory (default: $QUJAT_FONTS, else fonts/ of the data directory)"},
	{"template", 0, "FILE", "another template (gets $shard-k and $shard-n): a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display list to standard output"},
	{"sign", 0, "KEY.p12", "sign every PDF (PAdES B-B, a visible box on the last page) with this PKCS#12 key"},
	{"pass-file", 0, "FILE", "the key's password: the first line of FILE (never on the command line)"},
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat certificates examples/roster.xml -o out/certificates.pdf",
	"qujat certificates examples/roster.xml --lang=kk+ru -o out/",
	"qujat certificates examples/roster.xml --shard 2/3 -o - > certificates-2of3.pdf",
	"qujat certificates examples/roster.csv --course examples/course.xml -o out/certificates.pdf",
	NULL};

/* --shard K/N into k and n (both "1" without it); 0 or an exit code. */
static int parse_shard(qj_ctx *ctx, const char *s, char *k, char *n, size_t size)
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
	if (!end || *end || errno || b < 1 || b > INT_MAX || a < 1 || a > b)
		return qj_opt_usage_error(ctx, &qj_cmd_certificates,
					  "--shard wants K/N with 1 <= K <= N, not '%s'", s);
	snprintf(k, size, "%d", (int)a);
	snprintf(n, size, "%d", (int)b);
	return 0;
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	qj_signer *signer = NULL;
	int expired = 0;
	char shard_k[16] = "1", shard_n[16] = "1", out[PATH_MAX];
	const char *params[] = {"shard-k", shard_k, "shard-n", shard_n, NULL};
	qj_batch_opts bo;
	qj_batch *b;
	int rc, into_dir;

	memset(&bo, 0, sizeof bo);
	bo.kind = qj_doc_kind_lookup("roster");
	if (!qj_opt(a, "output"))
		return qj_opt_usage_error(ctx, a->cmd, "-o is required");
	if (qj_flag(a, "dump") && !strcmp(qj_opt(a, "output"), "-"))
		return qj_opt_usage_error(ctx, a->cmd, "--dump and -o - both write to standard output");
	if ((rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))) ||
	    (rc = parse_shard(ctx, qj_opt(a, "shard"), shard_k, shard_n, sizeof shard_k)) ||
	    (rc = qj_cli_single_out(ctx, qj_opt(a, "output"), a->pos[0], NULL, out, sizeof out,
				    &into_dir)))
		return rc;
	if (qj_opt(a, "course") && !qj_sheet_is_spreadsheet(a->pos[0]))
		return qj_opt_usage_error(ctx, a->cmd, "--course goes with a .csv or .xlsx roster");
	bo.course = qj_opt(a, "course");
	bo.lang = qj_opt(a, "lang");
	bo.template_name = qj_opt(a, "template");
	bo.fonts_dir = qj_opt(a, "fonts");
	bo.params = params;
	bo.dump = qj_flag(a, "dump") ? stdout : NULL;
	/* the key once for the batch, before any work */
	if ((rc = qj_cli_signer(ctx, a, &signer, &expired)))
		return rc;
	bo.signer = signer;
	if (!(b = qj_batch_open(ctx, &bo))) {
		qj_signer_free(signer);
		return QJ_EXIT_FAIL;
	}
	rc = qj_exit_code(qj_batch_print(b, a->pos[0], out));
	qj_batch_free(b);
	qj_signer_free(signer);
	if (rc == QJ_EXIT_OK && into_dir)
		printf("%s\n", out);
	return qj_cli_signed(rc, expired);
}

const qj_command qj_cmd_certificates = {
	"certificates", "one certificate per person of a roster, into one PDF",
	"ROSTER.xml|.csv|.xlsx", "-o OUT.pdf|DIR/|- [options]", 1, 1, options, examples, run};
