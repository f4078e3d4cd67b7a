/* batch: the resources a batch of documents shares (template, labels,
 * fonts), opened once; then, for each data document, load → check → expand
 * → lay out → PDF. render() is the one place the stages after the data are
 * chained. */
#include "doc/doc-imp.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/record.h"
#include "sheet/sheet.h"
#include "sign/sign.h"
#include "text/text.h"
#include "box/box.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "tmpl/xpath_text.h"
#include "xml/xml.h"

#include <openssl/evp.h>

/* changes of the program change every fingerprint */
#define QJ_VERSION_STAMP "qujat-batch-1"

/* The schema the template names (schema= on its root, a file in
 * templates/) when it is not the kind's own: data is checked against it
 * too, and b->tmpl_schema holds its path. Returns -1 when it is missing. */
static int template_schema(qj_batch *b)
{
	const char *s = qj_xml_attr(xmlDocGetRootElement(b->tmpl), "schema");
	char rel[PATH_MAX];
	if (!s)
		return 0;
	snprintf(rel, sizeof rel, "templates/%s", s);
	if (!strcmp(rel, b->o.kind->schema))
		return 0;
	b->tmpl_schema = doc_schema_path(b->ctx, rel);
	return b->tmpl_schema ? 0 : -1;
}

qj_batch *qj_batch_open(qj_ctx *ctx, const qj_batch_opts *opts)
{
	qj_batch *b = qj_calloc(ctx, 1, sizeof *b);
	char path[PATH_MAX], *fonts_dir;
	int today_bad = 0;

	if (!b)
		return NULL;
	b->ctx = ctx;
	b->o = *opts;
	b->template_name = opts->template_name ? opts->template_name : opts->kind->template_name;
	b->status = QJ_DOC_BAD_INPUT;
	if (opts->today)
		snprintf(b->today, sizeof b->today, "%s", opts->today);
	else if (!qj_record_today(ctx, b->today, sizeof b->today))
		today_bad = 1; /* reported; the other resources are still checked */
	if (!(b->home = qj_data_path(ctx, NULL))) {
		qj_batch_free(b);
		return NULL;
	}
	/* every resource is opened even when one fails: all problems at once */
	if (strchr(b->template_name, '/'))
		snprintf(path, sizeof path, "%s", b->template_name);
	else
		snprintf(path, sizeof path, "%s/templates/%s", b->home, b->template_name);
	b->tmpl = qj_tmpl_load_params(ctx, path, opts->params);
	b->xcache = qj_tmpl_cache_new(ctx); /* every expression compiled once a batch */
	snprintf(path, sizeof path, "%s/templates/i18n", b->home);
	b->catalog = qj_catalog_load(ctx, path);
	/* the fonts once for the batch: a bad --fonts fails before any work */
	fonts_dir = qj_fonts_locate(ctx, opts->fonts_dir);
	b->fonts = fonts_dir ? qj_fonts_load(ctx, fonts_dir) : NULL;
	qj_free(ctx, fonts_dir);
	/* hyphenation: each language's dictionary loaded on first use, kept
	 * for the batch */
	b->hyph = qj_hyphen_new(ctx);
	if (b->tmpl && b->catalog && b->fonts && template_schema(b) == 0 && !today_bad)
		b->status = QJ_DOC_OK;
	if (qj_ctx_oom(ctx))
		b->status = QJ_DOC_FAILED;
	return b;
}

void qj_batch_free(qj_batch *b)
{
	if (!b)
		return;
	if (b->tmpl)
		xmlFreeDoc(b->tmpl);
	qj_catalog_free(b->catalog);
	qj_tmpl_cache_free(b->xcache);
	qj_fonts_free(b->fonts);
	qj_hyphen_free(b->hyph);
	qj_free(b->ctx, b->tmpl_schema);
	qj_xml_rng_free(b->ctx, b->rng);
	qj_xml_rng_free(b->ctx, b->tmpl_rng);
	qj_pdf_discard(b->cpdf);
	if (b->cbm_fp)
		fclose(b->cbm_fp);
	free(b->cbm);
	qj_free(b->ctx, b->home);
	qj_free(b->ctx, b);
}

qj_doc_status qj_batch_status(const qj_batch *b)
{
	return b ? b->status : QJ_DOC_FAILED;
}

const qj_doc_kind *qj_batch_kind(const qj_batch *b)
{
	return b ? b->o.kind : NULL;
}

/* The status after a step that failed: out of memory is a failure of the
 * program, anything else is the input's. */
static qj_doc_status failed(qj_ctx *ctx)
{
	return qj_ctx_oom(ctx) ? QJ_DOC_FAILED : QJ_DOC_BAD_INPUT;
}

/* A spreadsheet roster as the roster document, normalized in its own
 * language as qj_doc_load normalizes an XML one. */
static xmlDocPtr sheet_load(qj_ctx *ctx, const qj_doc_kind *kind, const char *path,
			    const char *course)
{
	xmlDocPtr d = qj_sheet_load_roster(ctx, path, course);
	char *own = d ? doc_lang_attr(kind, xmlDocGetRootElement(d)) : NULL;
	if (d && qj_text_normalize_doc(ctx, d, own ? own : "kk") < 0) {
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFree(own);
	return d;
}

xmlDocPtr qj_batch_load_sheet(qj_batch *b, const char *path)
{
	return sheet_load(b->ctx, b->o.kind, path, b->o.course);
}

qj_doc_status qj_batch_load(qj_batch *b, const char *path, xmlDocPtr *doc)
{
	qj_ctx *ctx = b->ctx;
	const qj_doc_kind *kind = b->o.kind;
	xmlNodePtr root;
	xmlDocPtr d;
	int n;

	*doc = NULL;
	/* each document starts afresh: its own error limit, and the kept
	 * diagnostics do not pile up over a batch */
	if (b->ndocs++ > 0)
		qj_diag_reset(ctx);
	if (!strcmp(kind->root, "roster") && qj_sheet_is_spreadsheet(path))
		d = sheet_load(ctx, kind, path, b->o.course);
	else
		d = qj_doc_load(ctx, kind, path, b->o.lang);
	if (!d)
		return failed(ctx);
	root = xmlDocGetRootElement(d);
	if (strcmp((const char *)root->name, kind->root)) {
		qj_xml_error(ctx, root, "expected <%s>, not <%s>", kind->root,
			     (const char *)root->name);
		xmlFreeDoc(d);
		return QJ_DOC_BAD_INPUT;
	}
	/* $QUJAT_TODAY was not a date (reported at open): no rule can be
	 * judged against it */
	if (!b->today[0]) {
		xmlFreeDoc(d);
		return QJ_DOC_BAD_INPUT;
	}
	/* the kind's schema and rules (warnings print and do not stop), then
	 * the schema another template may ask for */
	n = qj_doc_check(ctx, kind, d, b->catalog, b->today);
	if (n != 0 || (b->tmpl_schema && qj_xml_validate_rng(ctx, d, b->tmpl_schema) != 0)) {
		xmlFreeDoc(d);
		return n < 0 ? QJ_DOC_FAILED : failed(ctx);
	}
	*doc = d;
	return QJ_DOC_OK;
}

/* The PDF w holds (closed and freed here, whatever happens) into path,
 * atomically; with a signer, written to a temporary in $TMPDIR first and
 * signed from there into path, so path never holds an unsigned or
 * half-signed file. */
static qj_doc_status write_pdf(qj_batch *b, qj_pdf *w, const char *path)
{
	qj_doc_status st = QJ_DOC_FAILED;
	char *tmp;
	int fd;

	if (!b->o.signer)
		return qj_pdf_close(w, path, NULL) == 0 ? QJ_DOC_OK : QJ_DOC_FAILED;
	if ((fd = qj_tmp_create(b->ctx, NULL, "qujat-unsigned", &tmp)) < 0) {
		qj_pdf_discard(w);
		return QJ_DOC_FAILED;
	}
	close(fd);
	if (qj_pdf_close(w, tmp, NULL) == 0 && qj_sign_file(b->ctx, b->o.signer, tmp, path) == 0)
		st = QJ_DOC_OK;
	qj_tmp_remove(b->ctx, tmp);
	return st;
}

/* Writes the PDF w holds to standard output: through a file in a private
 * temporary directory ($TMPDIR, else /tmp), since the PDF stage writes
 * files atomically, then copied out and removed. */
static qj_doc_status write_stdout(qj_batch *b, qj_pdf *w)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], path[PATH_MAX + 16], chunk[65536];
	qj_doc_status st = QJ_DOC_FAILED;
	size_t n;
	FILE *fp;

	snprintf(dir, sizeof dir, "%s/qujat-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		qj_error(b->ctx, dir, 0, "cannot make a temporary directory: %s", strerror(errno));
		qj_pdf_discard(w);
		return QJ_DOC_FAILED;
	}
	snprintf(path, sizeof path, "%s/out.pdf", dir);
	if (write_pdf(b, w, path) == QJ_DOC_OK && (fp = fopen(path, "rb"))) {
		int err = 0;
		st = QJ_DOC_OK;
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			if (fwrite(chunk, 1, n, stdout) != n && !err)
				st = QJ_DOC_FAILED, err = errno;
		if (ferror(fp) || fflush(stdout) != 0)
			st = QJ_DOC_FAILED, err = err ? err : errno;
		fclose(fp);
		/* as main says it of --dump */
		if (st != QJ_DOC_OK)
			qj_error(b->ctx, NULL, 0, "cannot write to stdout: %s", strerror(err ? err : EIO));
	}
	unlink(path);
	rmdir(dir);
	return st;
}

/* The PDF w holds, to out ("-": standard output). */
static qj_doc_status write_out(qj_batch *b, qj_pdf *w, const char *out)
{
	return !strcmp(out, "-") ? write_stdout(b, w) : write_pdf(b, w, out);
}

/* Expand → boxes → layout for one document in lang: the display list,
 * allocated from arena, or NULL after diagnostics. The expanded tree goes
 * as soon as the boxes exist, the boxes once the display list does. With
 * reset, the fonts forget the characters of the documents before (each
 * PDF subsets only what it draws). */
static qj_dl *lay_out(qj_batch *b, xmlDocPtr data, const char *lang, qj_arena *arena,
		      int reset, FILE *dump)
{
	qj_ctx *ctx = b->ctx;
	qj_tmpl_opts to = {lang, b->catalog, qj_tmpl_register_text_funcs, b->o.params, b->xcache};
	xmlDocPtr flow;
	qj_arena *barena;
	qj_box *boxes = NULL;
	qj_dl *dl;

	if (!(flow = qj_tmpl_expand(ctx, b->tmpl, data, &to)))
		return NULL;
	barena = qj_arena_new(ctx);
	if (barena)
		boxes = qj_box_build(ctx, barena, flow);
	xmlFreeDoc(flow);
	if (reset)
		qj_fonts_reset_used(b->fonts);
	dl = boxes ? qj_layout_run_hyphen(ctx, arena, boxes, b->fonts, b->hyph) : NULL;
	qj_arena_free(barena);
	if (dl && dump)
		qj_layout_dump(dl, dump);
	if (dl && dl->npages == 0) {
		/* an empty PDF would look like success */
		qj_error(ctx, qj_xml_file(xmlDocGetRootElement(data)), 0,
			 "nothing to print: %s makes no page of this data", b->template_name);
		dl = NULL;
	}
	return dl;
}

/* Expand → lay out → PDF for one document in lang. */
static qj_doc_status render(qj_batch *b, xmlDocPtr data, const char *lang, const char *out,
			    const char *stamp, int *pages)
{
	qj_ctx *ctx = b->ctx;
	qj_doc_status st = QJ_DOC_BAD_INPUT;
	qj_arena *arena = qj_arena_new(ctx);
	qj_dl *dl = arena ? lay_out(b, data, lang, arena, 1, b->o.dump) : NULL;

	if (dl) {
		qj_pdf *w = qj_pdf_open(ctx, b->fonts, b->o.pdfa ? QJ_PDF_A : 0);
		dl->stamp = stamp;
		if (pages)
			*pages = dl->npages;
		if (!w || qj_pdf_add(w, dl) < 0) {
			qj_pdf_discard(w);
			st = QJ_DOC_FAILED;
		} else
			st = write_out(b, w, out);
	}
	qj_arena_free(arena);
	return st == QJ_DOC_BAD_INPUT ? failed(ctx) : st;
}

qj_doc_status qj_batch_render(qj_batch *b, xmlDocPtr doc, const char *out)
{
	char lang[16];
	if (b->status != QJ_DOC_OK)
		return b->status;
	if (qj_doc_lang(b->ctx, b->o.kind, doc, b->o.lang, lang, sizeof lang) < 0)
		return failed(b->ctx);
	return render(b, doc, lang, out, NULL, NULL);
}

qj_doc_status qj_batch_print(qj_batch *b, const char *path, const char *out)
{
	xmlDocPtr doc;
	qj_doc_status st = qj_batch_load(b, path, &doc);
	if (st == QJ_DOC_OK) {
		st = qj_batch_render(b, doc, out);
		xmlFreeDoc(doc);
	}
	return st;
}

/* ---- items ---- */

/* The schemas of item documents, parsed at the first item. */
static int item_schemas(qj_batch *b)
{
	char *path;
	if (b->rng_tried)
		return b->rng && (!b->tmpl_schema || b->tmpl_rng) ? 0 : -1;
	b->rng_tried = 1;
	if ((path = doc_schema_path(b->ctx, b->o.kind->schema))) {
		b->rng = qj_xml_rng_open(b->ctx, path);
		qj_free(b->ctx, path);
	}
	if (b->tmpl_schema)
		b->tmpl_rng = qj_xml_rng_open(b->ctx, b->tmpl_schema);
	return b->rng && (!b->tmpl_schema || b->tmpl_rng) ? 0 : -1;
}

int qj_batch_check_item(qj_batch *b, xmlDocPtr doc)
{
	qj_ctx *ctx = b->ctx;
	const qj_doc_kind *kind = b->o.kind;
	int before = qj_diag_errors(ctx), bad = 0, n;

	if (kind->check) {
		/* a kind that checks its schema itself: as a whole document */
		n = qj_doc_check(ctx, kind, doc, b->catalog, b->today);
		return n;
	}
	if (item_schemas(b) < 0)
		return -1;
	bad |= qj_xml_rng_validate(ctx, b->rng, doc) != 0;
	if (!bad && kind->rules)
		bad |= kind->rules(ctx, doc) > 0;
	if (!bad && b->tmpl_rng)
		bad |= qj_xml_rng_validate(ctx, b->tmpl_rng, doc) != 0;
	n = qj_diag_errors(ctx) - before;
	return n > 0 ? n : bad || qj_ctx_oom(ctx) ? 1 : 0;
}

qj_doc_status qj_batch_render_item(qj_batch *b, xmlDocPtr doc, const char *out,
				   const char *stamp, int *pages)
{
	char lang[16];
	if (pages)
		*pages = 0;
	if (b->status != QJ_DOC_OK)
		return b->status;
	if (qj_doc_lang(b->ctx, b->o.kind, doc, b->o.lang, lang, sizeof lang) < 0)
		return failed(b->ctx);
	return render(b, doc, lang, out, stamp, pages);
}

qj_doc_status qj_batch_combine(qj_batch *b, xmlDocPtr doc, int *pages)
{
	char lang[16];
	qj_arena *arena;
	qj_dl *dl;
	int rc = 0;

	if (pages)
		*pages = 0;
	if (b->status != QJ_DOC_OK)
		return b->status;
	if (qj_doc_lang(b->ctx, b->o.kind, doc, b->o.lang, lang, sizeof lang) < 0)
		return failed(b->ctx);
	if (!b->cpdf) {
		/* the combined document subsets the characters of all items */
		qj_fonts_reset_used(b->fonts);
		if (!(b->cpdf = qj_pdf_open(b->ctx, b->fonts,
					    (b->o.pdfa ? QJ_PDF_A : 0) | QJ_PDF_PIPELINE)))
			return QJ_DOC_FAILED;
		if (b->o.dump && !(b->cbm_fp = open_memstream(&b->cbm, &b->cbm_len)))
			return QJ_DOC_FAILED;
	}
	if (!(arena = qj_arena_new(b->ctx)))
		return QJ_DOC_FAILED;
	dl = lay_out(b, doc, lang, arena, 0, NULL);
	if (dl) {
		/* drawn now, so the display list goes with the arena */
		if (b->o.dump) {
			qj_layout_dump_pages(dl, b->o.dump, b->cpages);
			qj_layout_dump_bookmarks(dl, b->cbm_fp, b->cpages);
		}
		rc = qj_pdf_add(b->cpdf, dl);
		b->cpages += dl->npages;
		if (pages)
			*pages = dl->npages;
	}
	qj_arena_free(arena);
	if (!dl)
		return failed(b->ctx);
	return rc < 0 ? QJ_DOC_FAILED : QJ_DOC_OK;
}

qj_doc_status qj_batch_combined_write(qj_batch *b, const char *out)
{
	qj_doc_status st;
	qj_pdf *w = b->cpdf;
	b->cpdf = NULL;
	if (b->cbm_fp) {
		fclose(b->cbm_fp);
		b->cbm_fp = NULL;
		if (b->o.dump && b->cbm_len)
			fwrite(b->cbm, 1, b->cbm_len, b->o.dump);
		free(b->cbm);
		b->cbm = NULL;
		b->cbm_len = 0;
	}
	if (!w || qj_pdf_pages(w) == 0) {
		qj_error(b->ctx, out, 0, "nothing to print: no %s was printed", b->o.kind->item);
		qj_pdf_discard(w);
		st = QJ_DOC_BAD_INPUT;
	} else
		st = write_out(b, w, out);
	b->cpages = 0;
	return st;
}

const char *qj_batch_fingerprint(qj_batch *b)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *m;
	xmlChar *t = NULL;
	int tlen = 0;
	const char *const *p;
	/* the fonts directory by what it is: "fonts" and "./fonts/" are one */
	char *fonts = b->o.fonts_dir ? realpath(b->o.fonts_dir, NULL) : NULL;
	const char *parts[] = {QJ_VERSION_STAMP, b->template_name, b->home,
			       fonts ? fonts : b->o.fonts_dir ? b->o.fonts_dir : "",
			       b->o.lang ? b->o.lang : "", b->o.signer ? "signed" : "",
			       b->o.pdfa ? "pdfa" : ""};

	if (b->fingerprint[0]) {
		free(fonts);
		return b->fingerprint;
	}
	if (!(m = EVP_MD_CTX_new())) {
		free(fonts);
		return "";
	}
	EVP_DigestInit_ex(m, EVP_sha256(), NULL);
	for (i = 0; i < sizeof parts / sizeof *parts; i++)
		EVP_DigestUpdate(m, parts[i], strlen(parts[i]) + 1);
	free(fonts);
	for (p = b->o.params; p && *p; p++)
		EVP_DigestUpdate(m, *p, strlen(*p) + 1);
	if (b->tmpl)
		xmlDocDumpMemory(b->tmpl, &t, &tlen);
	if (t)
		EVP_DigestUpdate(m, t, (size_t)tlen);
	xmlFree(t);
	EVP_DigestFinal_ex(m, md, &mdlen);
	EVP_MD_CTX_free(m);
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(b->fingerprint + 2 * i, 3, "%02x", md[i]);
	return b->fingerprint;
}
