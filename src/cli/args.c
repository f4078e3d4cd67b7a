/* args: option parsing for the commands. */
#include "cli/args.h"

#include <string.h>

int qj_args_parse(qj_ctx *ctx, const char *cmd, int argc, char **argv,
		  qj_opt *opts, int nopts, const char **pos, int max)
{
	int i, k, npos = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1]) {
			for (k = 0; k < nopts; k++)
				if (!strcmp(a, opts[k].name) || (opts[k].alias && !strcmp(a, opts[k].alias)))
					break;
			if (k == nopts) {
				qj_error(ctx, NULL, 0, "%s: unknown option '%s'", cmd, a);
				return -1;
			}
			if (!opts[k].has_value) {
				opts[k].value = "1";
				continue;
			}
			if (i + 1 >= argc) {
				qj_error(ctx, NULL, 0, "%s: option '%s' needs a value", cmd, a);
				return -1;
			}
			opts[k].value = argv[++i];
			continue;
		}
		if (npos == max) {
			qj_error(ctx, NULL, 0, "%s: too many arguments ('%s')", cmd, a);
			return -1;
		}
		pos[npos++] = a;
	}
	return npos;
}

int qj_args_lang(qj_ctx *ctx, const char *cmd, const char *lang, const char *allowed)
{
	const char *p = allowed;
	size_t n = strlen(lang);
	while (p && *p) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, lang, n))
			return 0;
		p = e ? e + 1 : NULL;
	}
	qj_error(ctx, NULL, 0, "%s: unknown --lang '%s'; supported: %s", cmd, lang, allowed);
	return -1;
}
