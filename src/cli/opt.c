/* opt: one parser for every command, driven by the command's option table,
 * which also prints the command's help; unknown options are answered with
 * the nearest valid one. */
#include "cli/opt.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "cli/cmds.h"

static int option_index(const qj_command *cmd, const char *name)
{
	int i;
	for (i = 0; cmd->options[i].name; i++)
		if (!strcmp(cmd->options[i].name, name))
			return i;
	return -1;
}

const char *qj_opt(const qj_args *a, const char *name)
{
	int i = option_index(a->cmd, name);
	assert(i >= 0 && "option not in the command's table");
	return i >= 0 ? a->value[i] : NULL;
}

int qj_flag(const qj_args *a, const char *name)
{
	return qj_opt(a, name) != NULL;
}

size_t qj_opt_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[40][40];
	if (la >= 40 || lb >= 40)
		return la > lb ? la : lb;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *qj_opt_nearest(const char *s, const char *const *names)
{
	const char *best = NULL;
	size_t bd = (size_t)-1, d;
	for (; *names; names++)
		if ((d = qj_opt_distance(s, *names)) < bd) {
			bd = d;
			best = *names;
		}
	return best;
}

static void usage_line(const qj_command *cmd, FILE *fp)
{
	fprintf(fp, "usage: qujat %s %s%s%s\n", cmd->name, cmd->args,
		*cmd->synopsis ? " " : "", cmd->synopsis);
}

void qj_opt_help(const qj_command *cmd, FILE *fp)
{
	char head[64];
	int i;
	usage_line(cmd, fp);
	fprintf(fp, "%s\n\noptions:\n", cmd->summary);
	for (i = 0; cmd->options[i].name; i++) {
		const qj_option *o = &cmd->options[i];
		snprintf(head, sizeof head, "%s%c%s--%s%s%s", o->short_name ? "-" : " ",
			 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
			 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(fp, "  %-26s %s\n", head, o->help);
	}
	fprintf(fp, "  %-26s %s\n", "-h, --help", "print this help and exit");
	fprintf(fp, "\nexample%s:\n", cmd->examples[1] ? "s" : "");
	for (i = 0; cmd->examples[i]; i++)
		fprintf(fp, "  %s\n", cmd->examples[i]);
}

int qj_opt_usage_error(qj_ctx *ctx, const qj_command *cmd, const char *fmt, ...)
{
	char who[64], msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(who, sizeof who, "qujat %s", cmd->name);
	qj_error(ctx, who, 0, "%s", msg);
	usage_line(cmd, stderr);
	fprintf(stderr, "(qujat help %s lists every option)\n", cmd->name);
	return QJ_EXIT_USAGE;
}

/* Of "--name" and "-x" of cmd's options (and --help), the one nearest to
 * given, into out. */
static const char *nearest_option(const qj_command *cmd, const char *given,
				  char *out, size_t n)
{
	char names[2 * QJ_MAX_OPTIONS + 2][48];
	const char *list[2 * QJ_MAX_OPTIONS + 3], *best;
	int i, k = 0;
	for (i = 0; cmd->options[i].name; i++) {
		snprintf(names[k], sizeof names[k], "--%s", cmd->options[i].name);
		list[k] = names[k];
		k++;
		if (cmd->options[i].short_name && given[1] != '-') {
			snprintf(names[k], sizeof names[k], "-%c", cmd->options[i].short_name);
			list[k] = names[k];
			k++;
		}
	}
	list[k++] = "--help";
	list[k] = NULL;
	best = qj_opt_nearest(given, list);
	snprintf(out, n, "%s", best ? best : "--help");
	return out;
}

/* Reads one option at argv[*i]; returns 0, 1 when it was --help, or -1
 * after a usage error. */
static int parse_option(qj_ctx *ctx, qj_args *a, int argc, char **argv, int *i)
{
	const qj_command *cmd = a->cmd;
	const char *s = argv[*i], *eq = NULL, *val = NULL;
	char name[48];
	int k = -1;

	if (s[1] == '-') {
		/* --name, --name=value */
		eq = strchr(s + 2, '=');
		snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - s - 2) : (int)strlen(s + 2), s + 2);
		if (!strcmp(name, "help"))
			return 1;
		k = option_index(cmd, name);
		val = eq ? eq + 1 : NULL;
	} else {
		/* -x, -xVALUE */
		if (s[1] == 'h' && !s[2])
			return 1;
		for (k = 0; cmd->options[k].name && cmd->options[k].short_name != s[1]; k++)
			;
		if (!cmd->options[k].name)
			k = -1;
		val = s[2] ? s + 2 : NULL;
	}
	if (k < 0) {
		char given[64], near[48];
		snprintf(given, sizeof given, "%.*s", eq ? (int)(eq - s) : (int)strlen(s), s);
		return qj_opt_usage_error(ctx, cmd, "unknown option '%s' (did you mean '%s'?)",
					  given, nearest_option(cmd, given, near, sizeof near)), -1;
	}
	if (!cmd->options[k].arg) {
		if (val)
			return qj_opt_usage_error(ctx, cmd, "option '--%s' takes no value",
						  cmd->options[k].name), -1;
		a->value[k] = "";
		return 0;
	}
	if (!val) {
		if (*i + 1 >= argc)
			return qj_opt_usage_error(ctx, cmd, "option '--%s' needs a value (%s)",
						  cmd->options[k].name, cmd->options[k].arg), -1;
		val = argv[++*i];
	}
	/* the last of two values would silently win: --shard 1/3 --shard 2/3
	 * is a mistake in a script, not a choice */
	if (a->value[k] && strcmp(a->value[k], val))
		return qj_opt_usage_error(ctx, cmd, "option '--%s' given twice ('%s', then '%s')",
					  cmd->options[k].name, a->value[k], val), -1;
	a->value[k] = val;
	return 0;
}

int qj_opt_run(qj_ctx *ctx, const qj_command *cmd, int argc, char **argv)
{
	qj_args a;
	int i, r, rc, only_pos = 0;

	memset(&a, 0, sizeof a);
	a.cmd = cmd;
	a.pos = qj_calloc(ctx, (size_t)argc + 1, sizeof *a.pos);
	if (!a.pos)
		return QJ_EXIT_FAIL;
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];
		if (only_pos || s[0] != '-' || !s[1]) {
			a.pos[a.npos++] = s; /* "-" alone is an argument */
			continue;
		}
		if (!strcmp(s, "--")) {
			only_pos = 1;
			continue;
		}
		if ((r = parse_option(ctx, &a, argc, argv, &i)) != 0) {
			qj_free(ctx, a.pos);
			if (r < 0)
				return QJ_EXIT_USAGE;
			qj_opt_help(cmd, stdout);
			return fflush(stdout) == 0 ? QJ_EXIT_OK : QJ_EXIT_FAIL;
		}
	}
	if (a.npos < cmd->min_args)
		rc = qj_opt_usage_error(ctx, cmd, "missing %s", cmd->args);
	else if (cmd->max_args >= 0 && a.npos > cmd->max_args)
		rc = qj_opt_usage_error(ctx, cmd, "too many arguments ('%s')",
					a.pos[cmd->max_args]);
	else
		rc = cmd->run(ctx, &a);
	qj_free(ctx, a.pos);
	return rc;
}
