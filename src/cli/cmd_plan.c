/* plan: individual work plans printed from client records through
 * templates/work-plan.xml. Each record is checked first (schema and rules,
 * src/kinds/record.h); a record with errors gives no PDF. One record goes to
 * -o FILE.pdf (or into -o DIR); several go into -o DIR, one PDF per record
 * named from its plan number. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/cmds.h"
#include "cli/render.h"
#include "sign/sign.h"
#include "kinds/record.h"
#include "xml/xml.h"

#define SAFE_NAME_MAX 120 /* bytes of a file name made from a plan number */

/* Length of the UTF-8 sequence at s when it is a character that must not
 * appear in a file name (C1 controls, Unicode spaces, format and bidi
 * controls, separators, BOM); 0 otherwise. s is valid UTF-8 (libxml2). */
static int unsafe_unicode(const unsigned char *s)
{
	unsigned cp;
	if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0xA0)
		return 2; /* U+0080–U+009F, U+00A0 NBSP */
	if (s[0] == 0xC2 && s[1] == 0xAD)
		return 2; /* soft hyphen */
	if ((s[0] & 0xF0) != 0xE0)
		return 0;
	cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	if ((cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
	    (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF ||
	    cp == 0x2215 || cp == 0x2044 || cp == 0xFF0F || cp == 0xFF3C)
		return 3; /* spaces, zero-widths, bidi, slashes that look like '/' */
	return 0;
}

/* Names Windows reserves for devices, with or without an extension. */
static int is_device(const char *s)
{
	size_t dl = strcspn(s, ".");
	if (dl == 3)
		return !strncasecmp(s, "CON", 3) || !strncasecmp(s, "PRN", 3) ||
		       !strncasecmp(s, "AUX", 3) || !strncasecmp(s, "NUL", 3);
	if (dl == 4 && s[3] >= '0' && s[3] <= '9')
		return !strncasecmp(s, "COM", 3) || !strncasecmp(s, "LPT", 3);
	return 0;
}

/* A file name (without ".pdf") made from a plan number: separators,
 * spaces, controls, characters Windows forbids and invisible characters
 * become '_' (runs collapse to one), leading dots, dashes and '_' and
 * trailing dots are dropped, the length is bounded at a character
 * boundary, and device names (CON, NUL…) get a '_' in front. Never empty. */
static void safe_name(const char *number, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)(number ? number : "");
	size_t w = 0, len;
	int k;

	while (*s && w + 5 < n && w < SAFE_NAME_MAX) {
		k = *s >= 0x80 ? unsafe_unicode(s) : 0;
		if (k || *s < 0x20 || *s == 0x7F || strchr("/\\:*?\"<>| ", *s)) {
			if (w > 0 && out[w - 1] != '_')
				out[w++] = '_';
			s += k ? k : 1;
			continue;
		}
		/* copy one whole character */
		len = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
		if (w + len + 1 >= n || w + len > SAFE_NAME_MAX)
			break;
		while (len-- && *s)
			out[w++] = (char)*s++;
	}
	out[w] = 0;
	/* no leading dots (hidden, "..") or dashes (options); no trailing dots */
	k = 0;
	while (out[k] == '.' || out[k] == '-' || out[k] == '_')
		k++;
	memmove(out, out + k, strlen(out + k) + 1);
	w = strlen(out);
	while (w > 0 && (out[w - 1] == '.' || out[w - 1] == '_'))
		out[--w] = 0;
	if (!*out)
		snprintf(out, n, "plan");
	else if (is_device(out) && strlen(out) + 2 < n) {
		memmove(out + 1, out, strlen(out) + 1);
		out[0] = '_';
	}
}

/* DIR/NAME.pdf, with -2, -3… when an earlier record of this run already
 * used the name. used holds the names so far, separated by '\n'. */
static void batch_path(qj_buf *used, const char *dir, const char *number,
		       char *path, size_t n)
{
	char base[SAFE_NAME_MAX + 8], name[SAFE_NAME_MAX + 24], probe[SAFE_NAME_MAX + 32];
	int i;

	safe_name(number, base, sizeof base);
	snprintf(name, sizeof name, "%s", base);
	for (i = 2;; i++) {
		snprintf(probe, sizeof probe, "\n%s\n", name);
		if (!strstr(qj_buf_str(used), probe))
			break;
		snprintf(name, sizeof name, "%s-%d", base, i);
	}
	if (!used->len)
		qj_buf_putc(used, '\n');
	qj_buf_printf(used, "%s\n", name);
	snprintf(path, n, "%s/%s.pdf", dir, name);
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Loads, checks and renders one record to out (or into dir when out is
 * NULL). Returns an exit code. */
static int plan_one(qj_ctx *ctx, qj_render_env *env, qj_render_opts *ro,
		    const char *file, const char *lang, const char *today,
		    const char *out, const char *dir, qj_buf *used)
{
	char path[PATH_MAX];
	xmlDocPtr data;
	xmlNodePtr plan;
	xmlChar *own;
	int rc;

	data = qj_data_load(ctx, file, lang ? lang : "kk");
	if (!data)
		return QJ_EXIT_INPUT;
	/* the schema, then the rules; warnings print but do not stop */
	if (qj_record_check(ctx, data, today) < 0) {
		xmlFreeDoc(data);
		return QJ_EXIT_INPUT;
	}
	/* by default the record's own language (xml:lang on the root) */
	own = lang ? NULL : xmlNodeGetLang(xmlDocGetRootElement(data));
	ro->lang = lang ? lang : own ? (const char *)own : "kk";
	if (!out) {
		plan = qj_xml_child(xmlDocGetRootElement(data), "plan");
		batch_path(used, dir, plan ? qj_xml_attr(plan, "number") : NULL, path, sizeof path);
		out = path;
	}
	rc = qj_render(ctx, env, data, ro, out);
	if (rc == QJ_EXIT_OK && dir)
		printf("%s\n", out);
	xmlFree(own);
	xmlFreeDoc(data);
	return rc;
}

/* With several records, or when -o names a directory, the PDFs go into
 * that directory (made when missing): *dir is set. Returns 0 or an exit
 * code. */
static int output_dir(qj_ctx *ctx, const char *out, int n, const char **dir)
{
	*dir = NULL;
	if (n == 1 && !is_dir(out))
		return 0;
	if (!is_dir(out) && mkdir(out, 0777) < 0 && errno != EEXIST) {
		qj_error(ctx, out, 0, "cannot create the output directory: %s", strerror(errno));
		return QJ_EXIT_FAIL;
	}
	if (!is_dir(out)) {
		qj_error(ctx, NULL, 0, "plan: with several records, -o must be a directory ('%s' is not)", out);
		return QJ_EXIT_USAGE;
	}
	*dir = out;
	return 0;
}

/* Checks and prints every record with one template, catalog and font set;
 * every record is tried and the worst exit code wins. */
static int plan_all(qj_ctx *ctx, qj_render_opts *ro, const char **files, int n,
		    const char *lang, const char *out, const char *dir)
{
	qj_render_env env;
	qj_buf used;
	char today[16];
	int i, r, rc = QJ_EXIT_OK;

	if (qj_render_env_open(ctx, &env, ro) < 0)
		return QJ_EXIT_INPUT;
	qj_record_today(today, sizeof today);
	qj_buf_init(&used, ctx);
	for (i = 0; i < n; i++) {
		r = plan_one(ctx, &env, ro, files[i], lang, today, dir ? NULL : out, dir, &used);
		if (r > rc)
			rc = r;
		/* each record starts afresh: its own error limit, and the kept
		 * diagnostics do not pile up over a batch */
		qj_diag_reset(ctx);
	}
	qj_buf_free(&used);
	qj_render_env_close(ctx, &env);
	return rc;
}

int qj_cmd_plan(qj_ctx *ctx, int argc, char **argv)
{
	qj_opt opts[] = {{"--output", "-o", 1, NULL}, {"--fonts", NULL, 1, NULL},
			 {"--lang", NULL, 1, NULL}, {"--template", NULL, 1, NULL},
			 {"--dump", NULL, 0, NULL}, {"--sign", NULL, 1, NULL},
			 {"--pass-file", NULL, 1, NULL}};
	const char **pos, *dir = NULL;
	qj_render_opts ro;
	qj_signer *signer = NULL;
	int n, rc, expired = 0;

	pos = qj_calloc(ctx, (size_t)argc + 1, sizeof *pos);
	if (!pos)
		return QJ_EXIT_FAIL;
	n = qj_args_parse(ctx, "plan", argc, argv, opts, 7, pos, argc);
	if (n < 1 || !opts[0].value) {
		if (n >= 0)
			qj_error(ctx, NULL, 0, "usage: qujat plan RECORD.xml... -o OUT.pdf|DIR "
				 "[--lang kk|ru|en|kk+ru] [--fonts DIR] [--template FILE] "
				 "[--sign KEY.p12 --pass-file FILE]");
		rc = QJ_EXIT_USAGE;
	} else if (opts[2].value &&
		   qj_args_lang(ctx, "plan", opts[2].value, "kk ru en kk+ru") < 0) {
		rc = QJ_EXIT_USAGE;
	} else if (!(rc = qj_render_signer(ctx, "plan", opts[5].value, opts[6].value, &signer,
					    &expired)) &&
		   !(rc = output_dir(ctx, opts[0].value, n, &dir))) {
		memset(&ro, 0, sizeof ro);
		ro.signer = signer; /* loaded once for the whole batch */
		ro.template_name = opts[3].value ? opts[3].value : "work-plan.xml";
		ro.fonts_dir = opts[1].value;
		ro.dump = opts[4].value != NULL;
		rc = plan_all(ctx, &ro, pos, n, opts[2].value, opts[0].value, dir);
		if (rc == QJ_EXIT_OK && expired)
			rc = QJ_SIGN_EXPIRED;
	}
	qj_signer_free(signer);
	qj_free(ctx, pos);
	return rc;
}
