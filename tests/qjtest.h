/* qjtest: helpers shared by the cmocka suites: run the qujat binary (or any
 * command) capturing stdout, stderr and the exit code; read files; make
 * scratch directories. Header-only so each test stays one file.
 *
 * Scratch files: every test program gets one private directory, made with
 * mkdtemp under $TMPDIR (default /tmp) on first use and removed with all it
 * holds when the program exits; qjt_tmpdir and qjt_path make names inside
 * it, so no test uses a fixed name in /tmp and two runs never collide. */
#ifndef QJTEST_H
#define QJTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/base.h"
#include "xml/xml.h"
#include <libxml/xpath.h>

#include <dirent.h>
#include <limits.h>

typedef struct qjt_run {
	int code;   /* exit code, or -1 when killed by a signal */
	char *out;  /* stdout, malloc'd */
	char *err;  /* stderr, malloc'd */
} qjt_run;

static inline char *qjt_slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *d;
	long n;
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	d = malloc((size_t)n + 1);
	if (fread(d, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	d[n] = 0;
	fclose(fp);
	return d;
}

static inline int qjt_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The program's scratch directory, "" before qjt_scratch made it. */
static inline char *qjt__scratch_buf(void)
{
	static char dir[PATH_MAX];
	return dir;
}

static inline pid_t *qjt__scratch_owner(void)
{
	static pid_t pid;
	return &pid;
}

/* Removes path and, when it is a directory, all it holds (not following
 * symbolic links). */
static inline void qjt__rm_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path))) {
		while ((e = readdir(d))) {
			char sub[PATH_MAX];
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < sizeof sub)
				qjt__rm_tree(sub);
		}
		closedir(d);
	}
	remove(path);
}

/* atexit: removes the scratch directory (only in the process that made it,
 * not in a forked child that exits) */
static inline void qjt__scratch_rm(void)
{
	char *d = qjt__scratch_buf();
	if (*d && *qjt__scratch_owner() == getpid())
		qjt__rm_tree(d);
	*d = 0;
}

/* The program's private scratch directory (see the top of this file). */
static inline const char *qjt_scratch(void)
{
	char *d = qjt__scratch_buf();
	const char *t = getenv("TMPDIR");
	if (*d)
		return d;
	snprintf(d, PATH_MAX, "%s/qjt-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(d)) {
		fprintf(stderr, "qjtest: cannot make a scratch directory %s\n", d);
		exit(1);
	}
	*qjt__scratch_owner() = getpid();
	atexit(qjt__scratch_rm);
	return d;
}

/* buf = SCRATCH/name (a name no other run uses); fails the test when it
 * does not fit in n. */
static inline const char *qjt_path(char *buf, size_t n, const char *name)
{
	if ((size_t)snprintf(buf, n, "%s/%s", qjt_scratch(), name) >= n)
		fail_msg("qjt_path: %s/%s does not fit in %zu bytes", qjt_scratch(), name, n);
	return buf;
}

/* Runs a shell command line; stdout and stderr are captured. */
static inline qjt_run qjt_sh(const char *fmt, ...)
{
	char cmd[8192], full[8192 + 2 * PATH_MAX + 32], o[PATH_MAX], e[PATH_MAX];
	va_list ap;
	qjt_run r;
	int st;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	qjt_path(o, sizeof o, "sh-out");
	qjt_path(e, sizeof e, "sh-err");
	snprintf(full, sizeof full, "( %s ) >'%s' 2>'%s'", cmd, o, e);
	st = system(full);
	r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.out = qjt_slurp(o);
	r.err = qjt_slurp(e);
	if (!r.out) r.out = calloc(1, 1);
	if (!r.err) r.err = calloc(1, 1);
	unlink(o);
	unlink(e);
	return r;
}

static inline void qjt_run_free(qjt_run *r)
{
	free(r->out);
	free(r->err);
}

/* The qujat binary under test ($QUJAT_BIN, default build/qujat). */
static inline const char *qjt_bin(void)
{
	const char *b = getenv("QUJAT_BIN");
	return b && *b ? b : "build/qujat";
}

/* A fresh directory inside the scratch directory, its path in buf (n bytes;
 * the test fails when it does not fit). Removed at exit with the scratch
 * directory if the test does not remove it. */
static inline const char *qjt_tmpdir(char *buf, size_t n)
{
	qjt_path(buf, n, "XXXXXX");
	if (!mkdtemp(buf))
		fail_msg("mkdtemp %s failed", buf);
	return buf;
}

/* The text of every page of a PDF with ONE pdftotext run (raw: -raw, the
 * content order, else the reading order), split at the form feed that ends
 * each page: pages[i] malloc'd (the caller frees them), at most max.
 * Returns the number of pages (0 when pdftotext fails). */
static inline int qjt_pdf_pages(const char *pdf, int raw, char **pages, int max)
{
	qjt_run r = qjt_sh("pdftotext%s -enc UTF-8 '%s' -", raw ? " -raw" : "", pdf);
	char *p = r.out, *ff;
	int n = 0;
	free(r.err);
	if (r.code != 0) {
		free(r.out);
		return 0;
	}
	while (n < max && (ff = strchr(p, '\f'))) {
		pages[n] = malloc((size_t)(ff - p) + 1);
		memcpy(pages[n], p, (size_t)(ff - p));
		pages[n][ff - p] = 0;
		n++;
		p = ff + 1;
	}
	free(r.out);
	return n;
}

/* The number of pages of a PDF (pdfinfo). */
static inline int qjt_pdf_page_count(const char *pdf)
{
	qjt_run r = qjt_sh("pdfinfo '%s' | sed -n 's/^Pages: *//p'", pdf);
	int n = atoi(r.out);
	qjt_run_free(&r);
	return n;
}

/* Removes a directory and everything in it. */
static inline void qjt_rm_rf(const char *dir)
{
	qjt__rm_tree(dir);
}

/* A context that prints no diagnostics (they stay readable through
 * qj_diag_text), with libxml2 set up as qujat sets it up. */
static inline qj_ctx *qjt_quiet_ctx(void)
{
	qj_ctx *ctx = qj_ctx_new();
	assert_non_null(ctx);
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	return ctx;
}

/* Text of a PDF through pdftotext (layout off), malloc'd. */
static inline char *qjt_pdftotext(const char *pdf)
{
	qjt_run r = qjt_sh("pdftotext -enc UTF-8 '%s' -", pdf);
	free(r.err);
	if (r.code != 0) {
		free(r.out);
		return NULL;
	}
	return r.out;
}

/* The checks every produced PDF must pass: qpdf --check finds no errors,
 * pdffonts shows every font embedded and subset, and poppler reads the
 * text without a warning (libharu's own ToUnicode CMaps drew one). */
static inline void qjt_assert_pdf_sound(const char *pdf)
{
	qjt_run r = qjt_sh("qpdf --check %s", pdf);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "No syntax or stream encoding errors"));
	qjt_run_free(&r);
	r = qjt_sh("pdffonts %s | tail -n +3 | awk '{print $(NF-4), $(NF-3)}' | sort -u", pdf);
	assert_string_equal(r.out, "yes yes\n");
	qjt_run_free(&r);
	r = qjt_sh("pdftotext %s /dev/null", pdf);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
}

/* Collapses every run of whitespace in s to one space, in place. */
static inline char *qjt_squash(char *s)
{
	char *w = s, *r = s;
	int sp = 0;
	for (; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
			sp = 1;
			continue;
		}
		/* NBSP (C2 A0) counts as a space for comparisons */
		if (c == 0xC2 && (unsigned char)r[1] == 0xA0) {
			sp = 1;
			r++;
			continue;
		}
		if (sp && w != s)
			*w++ = ' ';
		sp = 0;
		*w++ = *r;
	}
	*w = 0;
	return s;
}

/* For comparing the PDF's text with the data (test_card, test_handouts). */
/* Text as compared: whitespace collapsed (qjt_squash), a hyphen and the
 * space after it dropped (pdftotext joins a word broken after its hyphen
 * at a line end: "медициналық-|психологиялық"), the space after a slash
 * dropped (a line may break after it: "journal/|electronic"), and tokens that are only a
 * list number ("3." "2)") dropped, since pdftotext may attach a list label
 * to the line of the column on its left. Typography's changes are undone:
 * quote marks and apostrophes are dropped (the data's "…" print as «…», „…“,
 * a doubled one once), dashes and the no-break hyphen count as a hyphen
 * (" - " and " – " print as " — ", "112-үй" with U+2011), no space after
 * № ("№146" prints as "№ 146"). Applied to both sides. In
 * place. */
static inline char *qjt_norm(char *s)
{
	static const char *const quotes[] = {"\"", "'", "«", "»", "„", "“", "”", "‘", "’"};
	char *r, *w;
	size_t k;
	for (r = w = s; *r;) {
		for (k = 0; k < sizeof quotes / sizeof *quotes; k++)
			if (!strncmp(r, quotes[k], strlen(quotes[k])))
				break;
		if (k < sizeof quotes / sizeof *quotes) {
			r += strlen(quotes[k]);
		} else if (!strncmp(r, "—", 3) || !strncmp(r, "–", 3) ||
			   !strncmp(r, "\u2011", 3) || !strncmp(r, "\u2012", 3) ||
			   !strncmp(r, "\u2015", 3) || !strncmp(r, "\u2212", 3)) {
			*w++ = '-';
			r += 3;
		} else if (!strncmp(r, "№", 3)) {
			/* "№146" prints "№ 146" */
			memmove(w, r, 3);
			w += 3;
			r += 3;
			if (*r == ' ')
				r++;
			else if (!strncmp(r, "\u00a0", 2))
				r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	qjt_squash(s);
	for (r = w = s; *r; r++) {
		if (*r == '-') {
			if (r[1] == ' ')
				r++;
			continue;
		}
		*w++ = *r;
		if (*r == '/' && r[1] == ' ')
			r++;
	}
	*w = 0;
	for (r = w = s; *r;) {
		const char *t = r;
		size_t n;
		while (*t >= '0' && *t <= '9')
			t++;
		if (t > r && (*t == '.' || *t == ')') && (t[1] == ' ' || !t[1]) &&
		    (r == s || r[-1] == ' ')) {
			r = (char *)t + 1;
			continue;
		}
		n = strcspn(r, " ");
		memmove(w, r, n + (r[n] == ' '));
		w += n + (r[n] == ' ');
		r += n + (r[n] == ' ');
	}
	*w = 0;
	return qjt_squash(s);
}

/* The own text of an item of a standard (its text and <fix> children), as
 * qjt_norm compares it. malloc'd. */
static inline char *qjt_item_text(xmlXPathContextPtr xp, xmlNodePtr item)
{
	xmlXPathObjectPtr o;
	size_t len = 0, cap = 256;
	char *s = malloc(cap);
	int i;
	xp->node = item;
	o = xmlXPathEvalExpression((const xmlChar *)"text() | fix", xp);
	assert_non_null(o);
	s[0] = 0;
	for (i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		size_t n = strlen((const char *)c);
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			s = realloc(s, cap);
		}
		memcpy(s + len, c, n + 1);
		len += n;
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	return qjt_norm(s);
}

#endif
