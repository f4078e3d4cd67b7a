/* main: picks the command, sets up the context and libxml2, and returns the
 * command's exit code. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "xml/xml.h"

typedef struct command {
	const char *name;
	int (*run)(qj_ctx *ctx, int argc, char **argv);
	const char *usage;
} command;

static const command commands[] = {
	{"certificates", qj_cmd_certificates,
	 "certificates ROSTER.xml -o OUT.pdf [--lang kk|ru|en|kk+ru] [--shard K/N] [--fonts DIR] [--template T.xml] [--dump]"},
	{"plan", qj_cmd_plan,
	 "plan RECORD.xml... -o OUT.pdf|DIR [--lang kk|ru|en|kk+ru] [--fonts DIR] [--template T.xml] [--dump]"},
	{"validate", qj_cmd_validate, "validate FILE..."},
	{"list", qj_cmd_list, "list STANDARD.xml"},
	{"import", qj_cmd_import,
	 "import SOURCE.txt [--lang kk|ru|en] [--id ID] [-o OUT.xml]"},
	{"text", qj_cmd_text, "text normalize|translit|sort --lang kk|ru|en < IN > OUT"},
	{"card", qj_cmd_card,
	 "card STANDARD.xml (--card ID | --all) -o OUT.pdf [--lang kk|ru|en] [--fonts DIR] [--template T.xml] [--dump]"},
	{"verify", qj_cmd_verify, "verify FILE.pdf [DATA.xml]"},
};

static void usage(FILE *fp)
{
	size_t i;
	fprintf(fp, "usage: qujat COMMAND [ARGS]\ncommands:\n");
	for (i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(fp, "  qujat %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	qj_ctx *ctx;
	size_t i;
	int rc;

	setlocale(LC_ALL, "");
	/* numbers in templates and data are always written with a point */
	setlocale(LC_NUMERIC, "C");
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? QJ_EXIT_USAGE : QJ_EXIT_OK;
	}
	for (i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			break;
	if (i == sizeof commands / sizeof *commands) {
		fprintf(stderr, "qujat: error: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return QJ_EXIT_USAGE;
	}
	ctx = qj_ctx_new();
	if (!ctx)
		return QJ_EXIT_FAIL;
	qj_xml_init();
	rc = commands[i].run(ctx, argc - 2, argv + 2);
	qj_ctx_free(ctx);
	return rc;
}
