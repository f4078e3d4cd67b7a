/* cli: the program around the commands: picks the command by name (with
 * the nearest one suggested for a typo), `qujat --help`, `qujat help CMD`,
 * `qujat --version`, and the mapping of the doc stage's outcomes to exit
 * codes. */
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hpdf_version.h> /* the version macros only: hpdf.h stays in src/pdf */
#include <libxml/xmlversion.h>
#include <unicode/uversion.h>

#include "cli/cmds.h"
#include "sign/sign.h"
#include "xml/xml.h"

const qj_command *const qj_commands[] = {
	&qj_cmd_certificates, &qj_cmd_card, &qj_cmd_handouts, &qj_cmd_plan, &qj_cmd_validate,
	&qj_cmd_roster,       &qj_cmd_list, &qj_cmd_import, &qj_cmd_text, &qj_cmd_verify,
	NULL};

int qj_cli_signer(qj_ctx *ctx, const qj_args *a, qj_signer **signer, int *expired)
{
	const char *key = qj_opt(a, "sign"), *pass = qj_opt(a, "pass-file");
	int status = 0;
	*signer = NULL;
	if (!key && !pass)
		return 0;
	if (!key)
		return qj_opt_usage_error(ctx, a->cmd, "--pass-file is the password of --sign KEY.p12, "
					  "which is not given");
	if (!pass)
		return qj_opt_usage_error(ctx, a->cmd, "--sign KEY.p12 needs --pass-file FILE (the "
					  "password is read from a file, never from the command line)");
	*signer = qj_signer_load(ctx, key, pass, &status);
	if (status == QJ_SIGN_EXPIRED)
		*expired = 1;
	return *signer ? 0 : status;
}

void qj_cli_pdf_opts(const qj_args *a, qj_batch_opts *bo)
{
	bo->pdfa = qj_flag(a, "pdfa");
}

int qj_cli_signed(int rc, int expired)
{
	return rc == QJ_EXIT_OK && expired ? QJ_SIGN_EXPIRED : rc;
}

int qj_exit_code(qj_doc_status st)
{
	return st == QJ_DOC_OK ? QJ_EXIT_OK : st == QJ_DOC_BAD_INPUT ? QJ_EXIT_INPUT : QJ_EXIT_FAIL;
}

int qj_cli_lang(qj_ctx *ctx, const qj_command *cmd, const qj_doc_kind *kind,
		const char *lang)
{
	if (!lang || qj_doc_lang_ok(kind, lang))
		return 0;
	return qj_opt_usage_error(ctx, cmd, "unknown --lang '%s'; supported: %s", lang,
				  kind->langs);
}

void qj_cli_version(FILE *fp)
{
	char icu[U_MAX_VERSION_STRING_LENGTH];
	UVersionInfo v;
	int x;
	u_getVersion(v);
	u_versionToString(v, icu);
	fprintf(fp, "qujat %s\n", QJ_VERSION);
	/* libharu 2.3.0 has no run-time query outside hpdf.h; its
	 * HPDF_GetVersion returns this same macro */
	fprintf(fp, "libharu %s\n", HPDF_VERSION_TEXT);
	/* xmlParserVersion is "20914" for 2.9.14 */
	x = atoi(xmlParserVersion);
	fprintf(fp, "libxml2 %d.%d.%d\n", x / 10000, x / 100 % 100, x % 100);
	fprintf(fp, "ICU %s\n", icu);
	fprintf(fp, "HarfBuzz %s\n", hb_version_string());
}

static void usage(FILE *fp, int full)
{
	int i;
	fprintf(fp, "usage: qujat COMMAND ARGUMENTS [options]\n"
		    "       qujat help COMMAND | qujat COMMAND --help | qujat --help | qujat --version\n"
		    "Prints certificates, profession cards and work plans as PDF from XML data.\n\n"
		    "commands:\n");
	for (i = 0; qj_commands[i]; i++)
		fprintf(fp, "  %-13s %s\n", qj_commands[i]->name, qj_commands[i]->summary);
	if (!full) {
		fprintf(fp, "\nqujat --help shows every option; man qujat has the details.\n");
		return;
	}
	for (i = 0; qj_commands[i]; i++) {
		fputs("\n", fp);
		qj_opt_help(qj_commands[i], fp);
	}
}

static const qj_command *command_named(const char *name)
{
	int i;
	for (i = 0; qj_commands[i]; i++)
		if (!strcmp(qj_commands[i]->name, name))
			return qj_commands[i];
	return NULL;
}

/* "unknown command" with the nearest one; the usage exit code. */
static int unknown_command(qj_ctx *ctx, const char *name)
{
	const char *names[16], *near;
	int i;
	for (i = 0; qj_commands[i] && i < 15; i++)
		names[i] = qj_commands[i]->name;
	names[i] = NULL;
	/* a command is suggested only when it is a likely typo */
	near = qj_opt_nearest(name, names);
	if (near && qj_opt_distance(name, near) <= 2)
		qj_error(ctx, NULL, 0, "unknown command '%s' (did you mean '%s'?)", name, near);
	else
		qj_error(ctx, NULL, 0, "unknown command '%s'", name);
	usage(stderr, 0);
	return QJ_EXIT_USAGE;
}

static int done(int rc)
{
	return fflush(stdout) == 0 ? rc : QJ_EXIT_FAIL;
}

int qj_cli_main(qj_ctx *ctx, int argc, char **argv)
{
	const qj_command *cmd;
	const char *a = argc > 1 ? argv[1] : NULL;

	if (!a) {
		usage(stderr, 0);
		return QJ_EXIT_USAGE;
	}
	if (!strcmp(a, "--help") || !strcmp(a, "-h") || (!strcmp(a, "help") && argc == 2)) {
		usage(stdout, 1);
		return done(QJ_EXIT_OK);
	}
	if (!strcmp(a, "--version")) {
		qj_cli_version(stdout);
		return done(QJ_EXIT_OK);
	}
	if (!strcmp(a, "help")) {
		if (argc > 3 || !(cmd = command_named(argv[2])))
			return argc > 3 ? (qj_error(ctx, NULL, 0, "help takes one command"), QJ_EXIT_USAGE)
					: unknown_command(ctx, argv[2]);
		qj_opt_help(cmd, stdout);
		return done(QJ_EXIT_OK);
	}
	if (!(cmd = command_named(a)))
		return unknown_command(ctx, a);
	qj_xml_init();
	return qj_opt_run(ctx, cmd, argc - 2, argv + 2);
}
