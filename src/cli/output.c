/* output: where a command's output goes. -o FILE, -o - (standard output)
 * or -o DIR (ending in '/', or an existing directory; made with its
 * parents when missing); paths joined without doubled slashes; file names
 * made safe from data. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/cmds.h"

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

void qj_cli_safe_name(const char *number, const char *fallback, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)(number ? number : "");
	size_t w = 0, len;
	int k;

	while (*s && w + 5 < n && w < QJ_SAFE_NAME_MAX) {
		k = *s >= 0x80 ? unsafe_unicode(s) : 0;
		if (k || *s < 0x20 || *s == 0x7F || strchr("/\\:*?\"<>| ", *s)) {
			if (w > 0 && out[w - 1] != '_')
				out[w++] = '_';
			s += k ? k : 1;
			continue;
		}
		/* copy one whole character */
		len = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
		if (w + len + 1 >= n || w + len > QJ_SAFE_NAME_MAX)
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
		snprintf(out, n, "%s", fallback);
	else if (is_device(out) && strlen(out) + 2 < n) {
		memmove(out + 1, out, strlen(out) + 1);
		out[0] = '_';
	}
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int qj_cli_is_dir(const char *out)
{
	size_t n = strlen(out);
	return (n > 0 && out[n - 1] == '/') || is_dir(out);
}

int qj_cli_mkdirs(qj_ctx *ctx, const char *dir)
{
	char p[PATH_MAX];
	size_t i, n = strlen(dir);

	if (n >= sizeof p) {
		qj_error(ctx, dir, 0, "the output directory's name is too long");
		return -1;
	}
	memcpy(p, dir, n + 1);
	/* each prefix ending before a '/', then the whole */
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != 0)
			continue;
		p[i] = 0;
		if (!is_dir(p) && mkdir(p, 0777) < 0 && errno != EEXIST) {
			qj_error(ctx, p, 0, "cannot create the output directory: %s", strerror(errno));
			return -1;
		}
		if (!is_dir(p)) {
			qj_error(ctx, p, 0, "cannot create the output directory: not a directory");
			return -1;
		}
		p[i] = dir[i];
	}
	return 0;
}

void qj_cli_join(const char *dir, const char *name, char *buf, size_t n)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 1 && dir[0] == '/')
		snprintf(buf, n, "/%s", name);
	else
		snprintf(buf, n, "%.*s/%s", (int)len, dir, name);
}

int qj_cli_single_out(qj_ctx *ctx, const char *out, const char *in, const char *suffix,
		      char *buf, size_t n, int *into_dir)
{
	const char *base = strrchr(in, '/');
	char stem[QJ_SAFE_NAME_MAX + 8], name[2 * QJ_SAFE_NAME_MAX + 40], raw[PATH_MAX];
	size_t len;

	*into_dir = 0;
	if (!strcmp(out, "-") || !qj_cli_is_dir(out)) {
		snprintf(buf, n, "%s", out);
		return 0;
	}
	if (qj_cli_mkdirs(ctx, out) < 0)
		return QJ_EXIT_FAIL;
	/* DIR/BASE[-suffix].pdf, BASE the input's name without .xml */
	base = base ? base + 1 : in;
	len = strlen(base);
	if (len > 4 && !strcasecmp(base + len - 4, ".xml"))
		len -= 4;
	snprintf(raw, sizeof raw, "%.*s%s%s", (int)len, base, suffix ? "-" : "", suffix ? suffix : "");
	qj_cli_safe_name(raw, "out", stem, sizeof stem);
	snprintf(name, sizeof name, "%s.pdf", stem);
	qj_cli_join(out, name, buf, n);
	*into_dir = 1;
	return 0;
}
