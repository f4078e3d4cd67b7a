/* plan: individual work plans printed from client records through
 * templates/work-plan.xml. Each record is checked first (schema and rules);
 * a record with errors gives no PDF and the others still print. One record
 * goes to -o FILE.pdf, -o - or into -o DIR; several go into -o DIR (made
 * when missing), one PDF per record named from its plan number and the
 * language it is printed in (NUMBER.kk.pdf, NUMBER.kk+ru.pdf), so plans in
 * two languages share a directory. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmds.h"
#include "sign/sign.h"
#include "xml/xml.h"

static const qj_option options[] = {
	{"output", 'o', "FILE|DIR/|-",
	 "write FILE.pdf, one PDF per record into DIR as NUMBER.LANG.pdf (DIR made when missing), or - (standard output)"},
	{"lang", 0, "LANG", "kk, ru, en or kk+ru (both, the state language first); default: the record's xml:lang"},
	QJ_CLI_OPT_FONTS,
	{"template", 0, "FILE", "another template: a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display list of each record to standard output"},
	QJ_CLI_OPT_SIGN,
	QJ_CLI_OPT_PDFA,
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat plan examples/records/large-family-kk-ru.xml --lang kk+ru -o out/plan.pdf",
	"qujat plan examples/records/*.xml -o out/plans/",
	"QUJAT_TODAY=2026-11-23 qujat plan examples/records/elderly-alone-kk.xml --lang=ru -o - > elderly-ru.pdf",
	NULL};

/* DIR/NAME.LANG.pdf, NAME with -2, -3… when an earlier record of this
 * run already used the name in that language. used holds the names so
 * far, separated by '\n'. */
static void batch_path(qj_buf *used, const char *dir, const char *number, const char *lang,
		       char *path, size_t n)
{
	char base[QJ_SAFE_NAME_MAX + 8], name[QJ_SAFE_NAME_MAX + 48], probe[QJ_SAFE_NAME_MAX + 64];
	int i;

	qj_cli_safe_name(number, "plan", base, sizeof base);
	snprintf(name, sizeof name, "%s.%s", base, lang);
	for (i = 2;; i++) {
		snprintf(probe, sizeof probe, "\n%s\n", name);
		if (!strstr(qj_buf_str(used), probe))
			break;
		snprintf(name, sizeof name, "%s-%d.%s", base, i, lang);
	}
	if (!used->len)
		qj_buf_putc(used, '\n');
	qj_buf_printf(used, "%s\n", name);
	snprintf(probe, sizeof probe, "%s.pdf", name);
	qj_cli_join(dir, probe, path, n);
}

/* Where the PDFs go: *dir set when into a directory (several records,
 * or -o naming one). Returns 0 or an exit code. */
static int output_dir(qj_ctx *ctx, const char *out, int n, const char **dir)
{
	struct stat st;
	*dir = NULL;
	if (!strcmp(out, "-")) {
		if (n > 1)
			return qj_opt_usage_error(ctx, &qj_cmd_plan,
						  "-o - takes one record, not %d", n);
		return 0;
	}
	if (n == 1 && !qj_cli_is_dir(out))
		return 0;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode))
		return qj_opt_usage_error(ctx, &qj_cmd_plan,
					  "with several records, -o must be a directory ('%s' is not)", out);
	if (qj_cli_mkdirs(ctx, out) < 0)
		return QJ_EXIT_FAIL;
	*dir = out;
	return 0;
}

/* Checks and prints one record through the batch, to out or into dir. */
static int plan_one(qj_ctx *ctx, qj_batch *b, const char *file, const char *lang_opt,
		    const char *out, const char *dir, qj_buf *used)
{
	char path[PATH_MAX], lang[16];
	xmlDocPtr data;
	xmlNodePtr plan;
	qj_doc_status st = qj_batch_load(b, file, &data);

	if (st != QJ_DOC_OK)
		return qj_exit_code(st);
	if (dir) {
		/* the language it prints in: --lang, else the record's own
		 * (checked by qj_batch_load, so this reports nothing new) */
		if (qj_doc_lang(ctx, qj_doc_kind_lookup("client-record"), data, lang_opt, lang,
				sizeof lang) < 0) {
			xmlFreeDoc(data);
			return qj_exit_code(QJ_DOC_BAD_INPUT);
		}
		plan = qj_xml_child(xmlDocGetRootElement(data), "plan");
		batch_path(used, dir, plan ? qj_xml_attr(plan, "number") : NULL, lang, path,
			   sizeof path);
		out = path;
	}
	st = qj_batch_render(b, data, out);
	if (st == QJ_DOC_OK && dir)
		printf("%s\n", out);
	xmlFreeDoc(data);
	return qj_exit_code(st);
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	qj_signer *signer = NULL;
	int expired = 0;
	const char *out = qj_opt(a, "output"), *dir;
	qj_batch_opts bo;
	qj_batch *b;
	qj_buf used;
	int i, r, rc;

	memset(&bo, 0, sizeof bo);
	bo.kind = qj_doc_kind_lookup("client-record");
	if (!out)
		return qj_opt_usage_error(ctx, a->cmd, "-o is required");
	if (qj_flag(a, "dump") && !strcmp(out, "-"))
		return qj_opt_usage_error(ctx, a->cmd, "--dump and -o - both write to standard output");
	if ((rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))) ||
	    (rc = output_dir(ctx, out, a->npos, &dir)))
		return rc;
	bo.lang = qj_opt(a, "lang");
	bo.template_name = qj_opt(a, "template");
	bo.fonts_dir = qj_opt(a, "fonts");
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
	/* every record is tried and the worst exit code wins */
	qj_buf_init(&used, ctx);
	for (i = 0; i < a->npos; i++)
		if ((r = plan_one(ctx, b, a->pos[i], bo.lang, out, dir, &used)) > rc)
			rc = r;
	qj_buf_free(&used);
	qj_batch_free(b);
	qj_signer_free(signer);
	return qj_cli_signed(rc, expired);
}

const qj_command qj_cmd_plan = {
	"plan", "individual work plans from client records, checked first",
	"RECORD.xml...", "-o OUT.pdf|DIR/|- [options]", 1, -1, options, examples, run};
