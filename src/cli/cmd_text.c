/* text: the text services as filters, UTF-8 on stdin to stdout, so users
 * can script them:
 *   qujat text normalize --lang L [--typography]   line by line
 *   qujat text translit --lang kk                  Kazakh Cyrillic -> Latin
 *   qujat text sort --lang L                       lines in the language's order
 *   qujat text hyphenate --lang L                  words with their points
 * Invalid UTF-8 is "-:LINE: error: invalid UTF-8 at byte offset N" (exit 2). */
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "text/text.h"

static const qj_option options[] = {
	{"lang", 0, "LANG", "the text's language: kk, ru or en (translit: kk); required"},
	{"typography", 0, NULL, "normalize: also the language's quotes, dashes and no-break spaces"},
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"echo 'eңбек  уәкiлеттi' | qujat text normalize --lang kk",
	"echo '\"Мысал\" - 100000 тг' | qujat text normalize --lang=kk --typography",
	"echo 'Қазақстан Республикасы' | qujat text translit --lang kk",
	"printf 'Әлиев\\nАбаев\\n' | qujat text sort --lang kk",
	"echo 'реабилитационный' | qujat text hyphenate --lang ru",
	NULL};

/* Reads all of stdin within the file size limit and checks it is UTF-8.
 * Returns the text (caller qj_free()s) or NULL with a diagnostic. */
static char *read_stdin(qj_ctx *ctx, size_t *len)
{
	qj_buf b;
	char chunk[65536];
	size_t n, max = qj_ctx_limits(ctx)->max_file_bytes;
	qj_buf_init(&b, ctx);
	qj_buf_append(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (b.len + n > max) {
			qj_error(ctx, "-", 0, "input is larger than %zu bytes", max);
			qj_buf_free(&b);
			return NULL;
		}
		if (qj_buf_append(&b, chunk, n) < 0)
			break;
	}
	if (ferror(stdin) || qj_ctx_oom(ctx) || !b.data) {
		if (ferror(stdin))
			qj_error(ctx, "-", 0, "cannot read standard input");
		qj_buf_free(&b);
		return NULL;
	}
	if (memchr(b.data, 0, b.len)) {
		size_t at = (size_t)((char *)memchr(b.data, 0, b.len) - b.data), i;
		int line = 1;
		for (i = 0; i < at; i++)
			line += b.data[i] == '\n';
		qj_error(ctx, "-", line, "NUL byte at byte offset %zu", at);
		qj_buf_free(&b);
		return NULL;
	}
	if (qj_text_check_utf8(ctx, "-", b.data, b.len, 1) < 0) {
		qj_buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data;
}

/* Splits s into lines in place (a final newline ends the last line, it
 * does not start an empty one); returns an array the caller qj_free()s. */
static char **split_lines(qj_ctx *ctx, char *s, size_t len, size_t *count)
{
	size_t n = 0, i, k = 0;
	char **lines;
	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	n += len && s[len - 1] != '\n';
	lines = qj_calloc(ctx, n + 1, sizeof *lines);
	if (!lines)
		return NULL;
	while (k < n) {
		char *nl = strchr(s, '\n');
		lines[k++] = s;
		if (!nl)
			break;
		*nl = 0;
		if (nl > s && nl[-1] == '\r')
			nl[-1] = 0;
		s = nl + 1;
	}
	*count = n;
	return lines;
}

static int run_normalize(qj_ctx *ctx, char **lines, size_t n,
			 const char *lang, int typo)
{
	qj_arena *a = NULL;
	size_t i;
	int rc = QJ_EXIT_OK;
	for (i = 0; i < n && rc == QJ_EXIT_OK; i++) {
		qj_loc loc = {"-", (int)i + 1, 0};
		char *r;
		/* a fresh arena now and then: memory does not grow with input */
		if (i % 256 == 0) {
			qj_arena_free(a);
			if (!(a = qj_arena_new(ctx)))
				return QJ_EXIT_FAIL;
		}
		r = qj_text_normalize(ctx, a, lines[i], lang, &loc, 0);
		if (r && typo)
			r = qj_text_typography(ctx, a, r, lang);
		if (!r)
			rc = qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
		else
			printf("%s\n", r);
	}
	qj_arena_free(a);
	return rc;
}

static int run_sort(qj_ctx *ctx, char **lines, size_t n, const char *lang)
{
	size_t i;
	if (qj_text_sort(ctx, (const char **)lines, n, lang) < 0)
		return QJ_EXIT_FAIL;
	for (i = 0; i < n; i++)
		printf("%s\n", lines[i]);
	return QJ_EXIT_OK;
}

static int run_translit(qj_ctx *ctx, const char *text, const char *lang)
{
	qj_arena *a = qj_arena_new(ctx);
	char *r = a ? qj_text_translit(ctx, a, text, lang) : NULL;
	if (r)
		fputs(r, stdout);
	qj_arena_free(a);
	return r ? QJ_EXIT_OK : QJ_EXIT_FAIL;
}

/* Each line with the hyphenation points of its words marked by '-'. The
 * dictionary is loaded before any output, so a missing one is one error. */
static int run_hyphenate(qj_ctx *ctx, char **lines, size_t n, const char *lang)
{
	qj_hyphen *h = qj_hyphen_new(ctx);
	qj_arena *a = NULL;
	size_t i;
	int rc = QJ_EXIT_OK;
	if (!h || qj_hyphen_load(h, lang) < 0)
		rc = QJ_EXIT_FAIL;
	for (i = 0; i < n && rc == QJ_EXIT_OK; i++) {
		char *r;
		if (i % 256 == 0) {
			qj_arena_free(a);
			if (!(a = qj_arena_new(ctx))) {
				rc = QJ_EXIT_FAIL;
				break;
			}
		}
		r = qj_hyphen_mark(h, a, lines[i], lang, 0, "-");
		if (!r)
			rc = QJ_EXIT_FAIL;
		else
			printf("%s\n", r);
	}
	qj_arena_free(a);
	qj_hyphen_free(h);
	return rc;
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	const char *sub = a->pos[0], *lang_arg = qj_opt(a, "lang"), *lang;
	int typo = qj_flag(a, "typography"), rc;
	char *in, **lines = NULL;
	size_t len = 0, n = 0;

	if (strcmp(sub, "normalize") && strcmp(sub, "translit") && strcmp(sub, "sort") &&
	    strcmp(sub, "hyphenate"))
		return qj_opt_usage_error(ctx, a->cmd,
					  "unknown subcommand '%s' (normalize, translit, sort, hyphenate)", sub);
	if (typo && strcmp(sub, "normalize"))
		return qj_opt_usage_error(ctx, a->cmd, "--typography is for normalize only");
	if (!lang_arg)
		return qj_opt_usage_error(ctx, a->cmd, "--lang is required");
	lang = qj_text_lang(lang_arg);
	if (!lang || (!strcmp(sub, "translit") && strcmp(lang, "kk")))
		return qj_opt_usage_error(ctx, a->cmd, "unsupported language '%s' (supported: %s)",
					  lang_arg, !strcmp(sub, "translit") ? "kk" : qj_text_langs());
	in = read_stdin(ctx, &len);
	if (!in)
		return qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
	if (!strcmp(sub, "translit")) {
		rc = run_translit(ctx, in, lang);
	} else if (!(lines = split_lines(ctx, in, len, &n))) {
		rc = QJ_EXIT_FAIL;
	} else if (!strcmp(sub, "sort")) {
		rc = run_sort(ctx, lines, n, lang);
	} else if (!strcmp(sub, "hyphenate")) {
		rc = run_hyphenate(ctx, lines, n, lang);
	} else {
		rc = run_normalize(ctx, lines, n, lang, typo);
	}
	if (fflush(stdout) != 0 && rc == QJ_EXIT_OK) {
		qj_error(ctx, NULL, 0, "cannot write standard output");
		rc = QJ_EXIT_FAIL;
	}
	qj_free(ctx, lines);
	qj_free(ctx, in);
	return rc;
}

const qj_command qj_cmd_text = {
	"text", "UTF-8 filters over the text services, stdin to stdout",
	"normalize|translit|sort|hyphenate", "--lang LANG [--typography] < IN > OUT", 1, 1, options,
	examples, run};
