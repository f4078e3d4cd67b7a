/* run: the driver of a batch. Items come from a stream; each selected one
 * (its shard, --only) is checked and rendered into its own file (named
 * from a pattern, skipped when a complete file with the same fingerprint
 * is there) or into one combined PDF. Workers are forked processes, each
 * taking the selected items i ≡ k (mod N); they report through a pipe, as
 * text records, to the parent, which alone prints diagnostics, progress,
 * the summary and the manifest; an item's diagnostics and its manifest row
 * wait for the earlier items', so the output of N jobs is that of one. With
 * one job the same records go straight to the parent's handler. */
#define _GNU_SOURCE /* memmem */
#include "batch/batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sheet/sheet.h"
#include "xml/xml.h"

#define REC_MAX 8192

/* ---------- the state of one worker (or of the only process) ---------- */

typedef struct runner runner;
typedef void (*emit_fn)(runner *r, const char *rec);

typedef struct collector collector;

struct runner {
	qj_ctx *ctx;
	const qj_run_opts *o;
	const qj_doc_kind *kind;
	xmlDocPtr sheet;        /* a spreadsheet roster already loaded, or NULL */
	int worker, nworkers;
	emit_fn emit;
	int fd;                 /* a worker's pipe */
	collector *col;         /* the parent's, with one job */
	qj_hset keys, names, only, only_seen;
	qj_hset header_said;       /* the header's diagnostics already sent */
	char **stale;           /* temporaries left in the output directory */
	size_t nstale;
	int first_line;         /* the first item's line: the header is above */
	long selected;
	struct src_seen {       /* files named by src= (the emblem): digests */
		char *path;
		unsigned char md[32];
		int ok;
	} src[8];
	int nsrc;
	long cur;               /* the item being made (its index among those
				 * selected), -1 between items */
	int bad;                /* QJ_DOC_* of the whole run, once it is known */
};

struct collector {
	const qj_run_opts *o;
	qj_ctx *ctx;
	qj_run_stats st;
	long total;             /* for the progress line, 0 when unknown */
	struct timespec t0, drawn;
	int line_shown;
	int fatal;              /* a QJ_DOC_* code a worker ended with */
	qj_out man;
	int man_open;
	/* what the items said, in the items' order: the slot of item i is
	 * win[i % wcap], for base <= i < base + wcap; it waits there until
	 * every earlier item's row has come, so --jobs N prints what --jobs 1
	 * does, in the same order */
	struct slot {
		char *row;      /* the item's manifest row, once it has come */
		char *diag;     /* its diagnostics, each line after a kind: d or o */
		size_t dlen;
	} *win;
	size_t wcap;            /* a power of two, or 0 */
	long base;
	qj_hset said;           /* the said-once messages printed */
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---------- records ---------- */

/* s with tabs, newlines and carriage returns made spaces, into a record. */
static void field(char *dst, size_t n, const char *s)
{
	size_t i;
	for (i = 0; s && s[i] && i + 1 < n; i++)
		dst[i] = s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
	dst[i] = 0;
}

static void emit_row(runner *r, long sidx, const char *status, int pages, const char *key,
		     const char *path, const char *msg)
{
	char rec[REC_MAX], k[512], p[PATH_MAX], m[1024];
	field(k, sizeof k, key);
	field(p, sizeof p, path);
	field(m, sizeof m, msg);
	snprintf(rec, sizeof rec, "R%ld\t%s\t%d\t%s\t%s\t%s", sidx, status, pages, k, p, m);
	r->emit(r, rec);
}

/* A diagnostic of kind D (the batch's, printed as it comes), d (the item
 * being made, printed in the items' order) or o (the same, said once for
 * the batch). */
static void emit_diag_as(runner *r, const char *line, int kind)
{
	char rec[REC_MAX];
	/* a longer line is cut: the record is one line of the worker pipe */
	if (kind == 'D' || r->cur < 0)
		snprintf(rec, sizeof rec, "D%.*s", (int)(sizeof rec - 2), line);
	else
		snprintf(rec, sizeof rec, "%c%ld\t%.*s", kind, r->cur, (int)(sizeof rec - 32), line);
	r->emit(r, rec);
}

static void emit_diag(runner *r, const char *line)
{
	emit_diag_as(r, line, 'd');
}

/* ---------- diagnostics of one item ---------- */

/* The location of a diagnostic line "FILE:LINE[:COL]: SEV: MSG": the
 * length of FILE, the line (0 when none) and where ": SEV: " starts; -1
 * when the line has no severity. */
static int diag_split(const char *d, size_t *flen, int *line, const char **sev)
{
	static const char *const marks[] = {": error: ", ": warning: ", ": note: "};
	const char *best = NULL, *p, *q;
	size_t i;
	for (i = 0; i < 3; i++)
		if ((p = strstr(d, marks[i])) && (!best || p < best))
			best = p;
	if (!best)
		return -1;
	*sev = best;
	*line = 0;
	*flen = (size_t)(best - d);
	/* up to two ":NUMBER" parts before the severity */
	for (i = 0; i < 2; i++) {
		q = d + *flen;
		p = q;
		while (p > d && p[-1] >= '0' && p[-1] <= '9')
			p--;
		if (p == q || p == d || p[-1] != ':')
			break;
		if (i == 0 || (*line = atoi(p)) >= 0)
			*line = atoi(p);
		*flen = (size_t)(p - 1 - d);
	}
	return 0;
}

/* Sends the diagnostics kept since the item began, the roster's own ones
 * at their lines and named after the item; those of the header (lines
 * above the first item) mark the whole run bad and are sent by worker 0
 * only. Returns the first error's message into first (may stay empty). */
static int header_line(runner *r, const char *line, size_t slen, int *ours, int *ln)
{
	const char *sev;
	size_t flen;
	if (diag_split(line, &flen, ln, &sev) < 0)
		return 0;
	*ours = flen == slen && !strncmp(line, r->o->input, slen);
	return *ours && *ln > 0 && *ln < r->first_line && *ln < 65535;
}

static void item_diags(runner *r, const qj_item *it, char *first, size_t n)
{
	const char *t = qj_diag_text(r->ctx), *end, *sev, *p;
	const char *src = r->o->input;
	char line[REC_MAX], what[600];
	size_t flen, slen = strlen(src);
	int ln, ours, header_bad = 0, was_bad = r->bad;

	/* an error of the header makes the run bad; the items are still
	 * checked, their own located errors reported */
	for (p = t; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)(end - p), p);
		if (header_line(r, line, slen, &ours, &ln) && strstr(line, ": error: "))
			header_bad = 1;
	}
	if (header_bad && !r->bad)
		r->bad = QJ_DOC_BAD_INPUT;
	/* per-item files go on past an item's error: its messages name it; a
	 * combined PDF is all or nothing and reads as any document's */
	if (r->o->per_file)
		snprintf(what, sizeof what, "%s '%s': ", r->kind->item, it ? it->key : "");
	else
		what[0] = 0;
	for (; *t; t = *end ? end + 1 : end) {
		end = strchr(t, '\n');
		if (!end)
			end = t + strlen(t);
		snprintf(line, sizeof line, "%.*s", (int)(end - t), t);
		if (diag_split(line, &flen, &ln, &sev) < 0) {
			emit_diag(r, line);
			continue;
		}
		{
			const char *msg = strchr(sev + 2, ':') + 2, *pre;
			char out[REC_MAX], self[600];
			if (header_line(r, line, slen, &ours, &ln)) {
				/* said once for the batch, not once per item */
				if (r->worker == 0 && !was_bad && qj_hset_add(&r->header_said, line, 1) == 0)
					emit_diag_as(r, line, 'D');
				continue;
			}
			if (!it) {
				emit_diag(r, line);
				continue;
			}
			/* what reading an earlier item said is that item's, and
			 * the worker or shard that makes it says it: not this one
			 * (each reads the whole roster) */
			if (ours && ln > 0 && ln < it->line && ln < 65535)
				continue;
			/* an unlocated summary of the header's errors says nothing new */
			if (ours && ln == 0 && (header_bad || r->bad))
				continue;
			/* the item's own line where the source's lines run out
			 * (libxml2 keeps 16 bits of an element's line) */
			if (ours && (ln == 0 || ln >= 65535))
				ln = it->line;
			/* the item named, unless the message names it already (not
			 * "person 'A-3': hours '0' of person 'A-3' are ...") */
			snprintf(self, sizeof self, "%.*s", *what ? (int)strlen(what) - 2 : 0, what);
			pre = ours && *what && !strstr(msg, self) ? what : "";
			if (ln > 0)
				snprintf(out, sizeof out, "%.*s:%d%.*s%s%s", (int)flen, line, ln,
					 (int)(msg - sev), sev, pre, msg);
			else
				snprintf(out, sizeof out, "%.*s%.*s%s%s", (int)flen, line,
					 (int)(msg - sev), sev, pre, msg);
			if (!*first && !strncmp(sev, ": error: ", 9))
				snprintf(first, n, "%s", msg);
			/* a message about another file (the template, an image)
			 * the same for every item: said once */
			if (!ours && qj_hset_add(&r->header_said, out, 1) != 0)
				continue;
			emit_diag_as(r, out, ours ? 'd' : 'o');
		}
	}
	qj_diag_reset(r->ctx);
}

/* ---------- files ---------- */

/* The file name of an item from the pattern: {ATTR} is the item's
 * attribute, {n} its 1-based position; made safe, ".pdf" added. -1 when an
 * attribute is missing (why says which). */
static int item_name(runner *r, const qj_item *it, char *buf, size_t n, char *safe,
		     size_t sn, char *why, size_t wn)
{
	const char *p = r->o->name ? r->o->name : "{serial}";
	char raw[1024], attr[128];
	size_t w = 0;

	while (*p && w + 1 < sizeof raw) {
		const char *e, *v;
		if (*p != '{') {
			raw[w++] = *p++;
			continue;
		}
		e = strchr(p, '}');
		snprintf(attr, sizeof attr, "%.*s", e ? (int)(e - p - 1) : 0, p + 1);
		if (!strcmp(attr, "n")) {
			char num[32];
			snprintf(num, sizeof num, "%ld", it->index + 1);
			v = num;
			w += (size_t)snprintf(raw + w, sizeof raw - w, "%s", v);
		} else if ((v = qj_xml_attr(it->node, attr)) && *v) {
			w += (size_t)snprintf(raw + w, sizeof raw - w, "%s", v);
		} else {
			snprintf(why, wn, "--name '%s': no %s= to name the file with", r->o->name, attr);
			return -1;
		}
		if (w >= sizeof raw)
			w = sizeof raw - 1;
		p = e ? e + 1 : p + strlen(p);
	}
	raw[w] = 0;
	r->o->safe_name(raw, "item", safe, sn);
	snprintf(buf, n, "%s/%s.pdf", r->o->out, safe);
	return 0;
}

/* Whether path is a complete PDF of this run: "%PDF-" first, "%%EOF"
 * after the last "startxref", and /QujatStamp (stamp) in it. */
static int complete(const char *path, const char *stamp)
{
	FILE *fp = fopen(path, "rb");
	char *d, want[128];
	long len;
	int ok = 0;
	const char *x;

	if (!fp)
		return 0;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) > 64 && len < (64L << 20) &&
	    fseek(fp, 0, SEEK_SET) == 0 && (d = malloc((size_t)len + 1))) {
		if (fread(d, 1, (size_t)len, fp) == (size_t)len) {
			d[len] = 0;
			snprintf(want, sizeof want, "/QujatStamp (%s)", stamp);
			x = memmem(d, (size_t)len, "startxref", 9);
			while (x) {
				const char *y = memmem(x + 9, (size_t)(d + len - x - 9), "startxref", 9);
				if (!y)
					break;
				x = y;
			}
			ok = !memcmp(d, "%PDF-", 5) && x && memmem(x, (size_t)(d + len - x), "%%EOF", 5) &&
			     memmem(d, (size_t)len, want, strlen(want));
		}
		free(d);
	}
	fclose(fp);
	return ok;
}

/* Whether name is one of qujat's temporaries: BASE.tmp.XXXXXX (qj_out). */
static int is_tmp_name(const char *name, size_t *base)
{
	size_t n = strlen(name), i;
	if (n < 12 || memcmp(name + n - 11, ".tmp.", 5))
		return 0;
	for (i = n - 6; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return 0;
	*base = n - 11;
	return 1;
}

/* The temporaries in the output directory now (a run killed with -9
 * leaves them); each is removed when its target is written by this run. */
static void scan_stale(runner *r)
{
	DIR *d = opendir(r->o->out);
	struct dirent *e;
	size_t base;
	while (d && (e = readdir(d))) {
		char **s;
		if (!is_tmp_name(e->d_name, &base))
			continue;
		if (!(s = realloc(r->stale, (r->nstale + 1) * sizeof *s)))
			break;
		r->stale = s;
		if ((s[r->nstale] = strdup(e->d_name)))
			r->nstale++;
	}
	if (d)
		closedir(d);
}

/* Removes the stale temporaries of target path. */
static void remove_stale(runner *r, const char *path)
{
	const char *name = strrchr(path, '/');
	char full[PATH_MAX + 256];
	size_t i, base, n;
	name = name ? name + 1 : path;
	n = strlen(name);
	for (i = 0; i < r->nstale; i++) {
		if (!r->stale[i] || !is_tmp_name(r->stale[i], &base) || base != n ||
		    memcmp(r->stale[i], name, n))
			continue;
		snprintf(full, sizeof full, "%s/%s", r->o->out, r->stale[i]);
		unlink(full);
		free(r->stale[i]);
		r->stale[i] = NULL;
	}
}

/* The digest of the file at path (an image a document names), once per
 * run: a resumed run redoes the files when the emblem was replaced. */
static const struct src_seen *src_digest(runner *r, const char *path)
{
	struct src_seen *e;
	unsigned char buf[65536];
	unsigned int len = 0;
	EVP_MD_CTX *m;
	size_t got;
	FILE *fp;
	int i;
	for (i = 0; i < r->nsrc; i++)
		if (!strcmp(r->src[i].path, path))
			return &r->src[i];
	if (r->nsrc == 8 || !(m = EVP_MD_CTX_new()))
		return NULL;
	e = &r->src[r->nsrc];
	if (!(e->path = strdup(path))) {
		EVP_MD_CTX_free(m);
		return NULL;
	}
	r->nsrc++;
	EVP_DigestInit_ex(m, EVP_sha256(), NULL);
	if ((fp = fopen(path, "rb"))) {
		while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
			EVP_DigestUpdate(m, buf, got);
		e->ok = !ferror(fp);
		fclose(fp);
	}
	EVP_DigestFinal_ex(m, e->md, &len);
	EVP_MD_CTX_free(m);
	return e;
}

/* Every file named by a src= of the item's document (as q:path finds it:
 * relative to the data file) into the digest m. */
static void stamp_srcs(runner *r, const xmlNode *n, const char *url, EVP_MD_CTX *m)
{
	for (; n; n = n->next) {
		const char *v;
		char path[PATH_MAX];
		const struct src_seen *e;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((v = qj_xml_attr(n, "src")) && *v) {
			qj_xml_rel_path(url, v, path, sizeof path);
			if ((e = src_digest(r, path)) && e->ok)
				EVP_DigestUpdate(m, e->md, sizeof e->md);
		}
		stamp_srcs(r, n->children, url, m);
	}
}

/* The fingerprint of an item: the batch's, the options', the item's
 * document and the files it names. */
static void item_stamp(runner *r, const qj_item *it, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	xmlChar *t = NULL;
	int tlen = 0;
	const char *fp = qj_batch_fingerprint(r->o->batch);
	EVP_MD_CTX *m = EVP_MD_CTX_new();

	out[0] = 0;
	if (!m)
		return;
	EVP_DigestInit_ex(m, EVP_sha256(), NULL);
	EVP_DigestUpdate(m, fp, strlen(fp) + 1);
	if (r->o->stamp_extra)
		EVP_DigestUpdate(m, r->o->stamp_extra, strlen(r->o->stamp_extra) + 1);
	xmlDocDumpMemory(it->doc, &t, &tlen);
	if (t)
		EVP_DigestUpdate(m, t, (size_t)tlen);
	xmlFree(t);
	stamp_srcs(r, xmlDocGetRootElement(it->doc), (const char *)it->doc->URL, m);
	EVP_DigestFinal_ex(m, md, &len);
	EVP_MD_CTX_free(m);
	for (i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---------- one item ---------- */

static void do_item(runner *r, const qj_item *it, long sidx, int dup, int name_dup,
		    const char *path, const char *name_why)
{
	qj_ctx *ctx = r->ctx;
	const qj_run_opts *o = r->o;
	char first[1024] = "", stamp[65];
	qj_doc_status st;
	int pages = 0, n;

	n = qj_batch_check_item(o->batch, it->doc);
	if (dup)
		qj_error(ctx, o->input, it->line, "duplicate %s %s '%s' (first used at line %d)",
			 r->kind->item, r->kind->item_key, it->key, dup);
	else if (name_dup)
		qj_error(ctx, o->input, it->line,
			 "its file %s is also that of line %d (--name tells them apart)", path,
			 name_dup);
	else if (name_why && o->per_file)
		qj_error(ctx, o->input, it->line, "%s", name_why);
	item_diags(r, it, first, sizeof first);
	if (r->bad) /* the header is bad: the items are only checked */
		return;
	if (n != 0 || dup || name_dup || (name_why && o->per_file)) {
		emit_row(r, sidx, "failed", 0, it->key, o->per_file ? path : o->out, first);
		return;
	}
	if (o->per_file) {
		item_stamp(r, it, stamp);
		if (!o->force && complete(path, stamp)) {
			/* a temporary left beside it by a kill goes all the same */
			remove_stale(r, path);
			emit_row(r, sidx, "skipped", 0, it->key, path, "complete");
			return;
		}
		remove_stale(r, path);
		st = o->render ? o->render(o->user, it, path, stamp, &pages)
			       : qj_batch_render_item(o->batch, it->doc, path, stamp, &pages);
	} else {
		st = qj_batch_combine(o->batch, it->doc, &pages);
	}
	/* a certificate is one page a person: more is a value too long for the
	 * page, which would otherwise pass unseen in a batch of thousands */
	if (st == QJ_DOC_OK && !o->render && r->kind->item_pages > 0 &&
	    pages > r->kind->item_pages)
		qj_warning(r->ctx, qj_xml_file(it->node), it->line,
			   "%s%s%s%stakes %d pages, not %d (a value too long for the page?)",
			   o->per_file ? "" : r->kind->item, o->per_file ? "" : " '",
			   o->per_file ? "" : it->key, o->per_file ? "" : "' ", pages,
			   r->kind->item_pages);
	item_diags(r, it, first, sizeof first);
	if (st == QJ_DOC_FAILED && !o->per_file && !r->bad)
		r->bad = QJ_DOC_FAILED;
	/* an output that cannot be written fails the run (exit 3), the other
	 * items are still made */
	if (st == QJ_DOC_FAILED && o->per_file)
		r->emit(r, "X-2");
	emit_row(r, sidx, st == QJ_DOC_OK ? "ok" : "failed", pages, it->key,
		 o->per_file ? path : o->out, st == QJ_DOC_OK ? "" : first);
}

/* Whether key is among --only's. */
static int only_wants(runner *r, const char *key)
{
	return !r->o->only || qj_hset_has(&r->only, key);
}

/* Every item of the stream: the duplicate and file-name checks over all of
 * them (each worker sees every item), the work for this worker's share. */
static int run_items(runner *r)
{
	const qj_run_opts *o = r->o;
	qj_stream *s;
	qj_item it;
	char path[PATH_MAX], why[600], stem[512];
	int rc, dup, name_dup;

	s = r->sheet ? qj_stream_from_doc(r->ctx, r->kind, r->sheet)
		     : qj_stream_open(r->ctx, r->kind, o->input, NULL);
	r->sheet = NULL; /* the stream has it */
	if (!s) {
		item_diags(r, NULL, why, sizeof why);
		return QJ_DOC_BAD_INPUT;
	}
	if (o->per_file)
		scan_stale(r);
	while ((rc = qj_stream_next(s, &it)) > 0 && r->bad != QJ_DOC_FAILED) {
		if (it.index == 0)
			r->first_line = it.line;
		dup = *it.key ? qj_hset_add(&r->keys, it.key, it.line) : 0;
		if (o->only && qj_hset_has(&r->only, it.key))
			qj_hset_add(&r->only_seen, it.key, it.line);
		if (it.index % o->shard_n != o->shard_k || !only_wants(r, it.key))
			continue;
		why[0] = 0;
		name_dup = 0;
		if (o->per_file && item_name(r, &it, path, sizeof path, stem, sizeof stem, why,
					     sizeof why) == 0) {
			/* Two items must not share a file. With the default name
			 * a serial that is safe as it is names its file, so the
			 * serials seen already tell the files used, and only the
			 * names of the other items (serials that had to be made
			 * safe) are kept: one set, not two, for a national
			 * roster. */
			if (!o->name && !strcmp(stem, it.key))
				name_dup = qj_hset_find(&r->names, stem);
			else if (!(name_dup = !o->name ? qj_hset_find(&r->keys, stem) : 0))
				name_dup = qj_hset_add(&r->names, stem, it.line);
		}
		if (r->selected++ % r->nworkers != r->worker)
			continue;
		r->cur = r->selected - 1;
		do_item(r, &it, r->cur, dup, dup ? 0 : name_dup, path, why[0] ? why : NULL);
		r->cur = -1;
	}
	if (rc < 0) {
		item_diags(r, NULL, why, sizeof why);
		if (!r->bad)
			r->bad = QJ_DOC_BAD_INPUT;
	}
	if (rc == 0 && it.index == 0 && !r->bad && !r->first_line && !qj_stream_header(s)) {
		r->bad = QJ_DOC_BAD_INPUT;
	}
	qj_stream_free(s);
	return r->bad;
}

/* ---------- the parent: progress, manifest, summary ---------- */

static void clear_line(collector *c)
{
	if (c->line_shown) {
		fputs("\r\033[K", stderr);
		c->line_shown = 0;
	}
}

static void draw_progress(collector *c, int force)
{
	double t, rate, left;
	long done = c->st.produced + c->st.skipped + c->st.failed;
	char eta[32] = "";
	if (!c->o->progress || c->o->quiet)
		return;
	if (!force && c->line_shown && since(&c->drawn) < 0.25)
		return;
	clock_gettime(CLOCK_MONOTONIC, &c->drawn);
	t = since(&c->t0);
	rate = t > 0 ? (double)done / t : 0;
	if (c->total > 0 && rate > 0) {
		left = (double)(c->total - done) / rate;
		snprintf(eta, sizeof eta, ", %.0f s left", left < 0 ? 0 : left);
	}
	if (c->total > 0)
		fprintf(stderr, "\r%ld / %ld, %.0f/s%s\033[K", done, c->total, rate, eta);
	else
		fprintf(stderr, "\r%ld, %.0f/s\033[K", done, rate);
	fflush(stderr);
	c->line_shown = 1;
}

/* One field of the manifest, quoted as RFC 4180 says. A field that a
 * spreadsheet would take for a formula (=, +, @, or - not before a digit:
 * a serial '=HYPERLINK(...)' from a roster) gets a leading apostrophe,
 * Excel's and LibreOffice's mark of text, so opening the manifest runs
 * nothing. */
static void csv_field(FILE *fp, const char *s, int last)
{
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '@' ||
		      (s[0] == '-' && !(s[1] >= '0' && s[1] <= '9'));
	int quote = strpbrk(s, ",\"\n\r") != NULL;
	if (quote)
		fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (; *s; s++) {
		if (quote && *s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	if (quote)
		fputc('"', fp);
	fputc(last ? '\n' : ',', fp);
}

/* The slot of item sidx, the window grown to hold it (NULL when out of
 * memory: what it said is then lost, the run goes on). */
static struct slot *slot_of(collector *c, long sidx)
{
	size_t at = (size_t)(sidx - c->base), cap, i;
	struct slot *w;
	if (sidx < c->base)
		return NULL;
	if (at < c->wcap)
		return &c->win[(size_t)sidx & (c->wcap - 1)];
	for (cap = c->wcap ? c->wcap : 16; cap <= at; cap *= 2)
		;
	if (!(w = calloc(cap, sizeof *w)))
		return NULL;
	for (i = 0; i < c->wcap; i++) /* items base .. base + wcap - 1 */
		w[(size_t)(c->base + (long)i) & (cap - 1)] =
			c->win[(size_t)(c->base + (long)i) & (c->wcap - 1)];
	free(c->win);
	c->win = w;
	c->wcap = cap;
	return &c->win[(size_t)sidx & (cap - 1)];
}

/* Prints what the first waiting item said and writes its manifest row;
 * a message said once for the batch is printed at the first item, in
 * the items' order, that said it. */
static void slot_flush(collector *c, struct slot *sl)
{
	char *p, *nl;
	for (p = sl->diag; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = 0;
		if (*p == 'd' || qj_hset_add(&c->said, p + 1, 1) == 0) {
			clear_line(c);
			fprintf(stderr, "%s\n", p + 1);
		}
	}
	if (sl->row && c->man_open) {
		char *f[6], *q = sl->row;
		int i;
		for (i = 0; i < 6; i++) {
			f[i] = q;
			q = strchr(q, '\t');
			if (q)
				*q++ = 0;
			else
				q = f[i] + strlen(f[i]);
		}
		/* serial, output path, ok/skipped/failed, message */
		csv_field(c->man.fp, f[3], 0);
		csv_field(c->man.fp, f[4], 0);
		csv_field(c->man.fp, f[1], 0);
		csv_field(c->man.fp, f[5], 1);
	}
	free(sl->row);
	free(sl->diag);
	memset(sl, 0, sizeof *sl);
}

/* Flushes the items whose rows have come and every earlier one has; at
 * the end (all) the rest too, a worker that died leaving a gap. */
static void window_flush(collector *c, int all)
{
	long last = c->base + (long)c->wcap;
	for (; c->base < last; c->base++) {
		struct slot *sl = &c->win[(size_t)c->base & (c->wcap - 1)];
		if (!sl->row && !all)
			break;
		slot_flush(c, sl);
	}
}

static void handle(collector *c, const char *rec)
{
	if (rec[0] == 'D') {
		clear_line(c);
		fprintf(stderr, "%s\n", rec + 1);
	} else if (rec[0] == 'd' || rec[0] == 'o') {
		char *p;
		long sidx = strtol(rec + 1, &p, 10);
		struct slot *sl = *p == '\t' ? slot_of(c, sidx) : NULL;
		size_t n = strlen(p + 1);
		char *d = sl ? realloc(sl->diag, sl->dlen + n + 3) : NULL;
		if (d) {
			d[sl->dlen] = rec[0];
			memcpy(d + sl->dlen + 1, p + 1, n);
			sl->dlen += n + 2;
			d[sl->dlen - 1] = '\n';
			d[sl->dlen] = 0;
			sl->diag = d;
		}
	} else if (rec[0] == 'R') {
		char *p;
		long sidx = strtol(rec + 1, &p, 10);
		const char *status = p && *p == '\t' ? p + 1 : "";
		int pages = atoi(strchr(status, '\t') ? strchr(status, '\t') + 1 : "0");
		struct slot *sl = slot_of(c, sidx);
		if (!strncmp(status, "ok\t", 3)) {
			c->st.produced++;
			c->st.pages += pages;
		} else if (!strncmp(status, "skipped\t", 8))
			c->st.skipped++;
		else
			c->st.failed++;
		if (sl && !sl->row && (sl->row = strdup(rec + 1)) != NULL)
			window_flush(c, 0);
		draw_progress(c, 0);
	} else if (rec[0] == 'X') {
		int code = atoi(rec + 1);
		if (code && (!c->fatal || code == QJ_DOC_FAILED))
			c->fatal = code;
	}
}

static void emit_direct(runner *r, const char *rec)
{
	handle(r->col, rec);
}

/* A worker's record, one line on its pipe (short writes are retried). */
static void emit_pipe(runner *r, const char *rec)
{
	size_t n = strlen(rec), off = 0;
	char buf[REC_MAX + 2];
	ssize_t w;
	memcpy(buf, rec, n);
	buf[n++] = '\n';
	while (off < n) {
		w = write(r->fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3); /* the parent is gone */
		off += (size_t)w;
	}
}

/* ---------- the run ---------- */

/* The --only keys into the runner's set; "" when one is empty. */
static int parse_only(runner *r)
{
	const char *p = r->o->only;
	char key[512];
	while (p && *p) {
		size_t n = strcspn(p, ",");
		snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key ? n : sizeof key - 1), p);
		if (*key && qj_hset_add(&r->only, key, 1) < 0)
			return -1;
		p += n;
		p += *p == ',';
	}
	return 0;
}

/* --only keys that no item has: reported, one each. */
static int unknown_only(runner *r)
{
	const char *p = r->o->only;
	char key[512];
	int bad = 0;
	while (p && *p) {
		size_t n = strcspn(p, ",");
		snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key ? n : sizeof key - 1), p);
		if (*key && !qj_hset_has(&r->only_seen, key)) {
			qj_error(r->ctx, r->o->input, 0, "no %s '%s' (--only)", r->kind->item, key);
			bad++;
		}
		p += n;
		p += *p == ',';
	}
	return bad;
}

static void runner_free(runner *r)
{
	size_t i;
	qj_hset_free(&r->keys);
	qj_hset_free(&r->names);
	qj_hset_free(&r->only);
	qj_hset_free(&r->only_seen);
	qj_hset_free(&r->header_said);
	for (i = 0; i < r->nstale; i++)
		free(r->stale[i]);
	free(r->stale);
	for (i = 0; i < (size_t)r->nsrc; i++)
		free(r->src[i].path);
	r->nsrc = 0;
}

/* The counting pass: every item's key, for the progress line's total and
 * to name unknown --only keys before anything is written. */
static long count_items(runner *r, int *bad)
{
	qj_stream *s = r->sheet ? NULL : qj_stream_open(r->ctx, r->kind, r->o->input, NULL);
	xmlNodePtr c;
	qj_item it;
	long n = 0, sel = 0;
	int rc = 0;

	*bad = 0;
	if (r->sheet) {
		for (c = xmlDocGetRootElement(r->sheet)->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, r->kind->item)) {
				const char *k = qj_xml_attr(c, r->kind->item_key);
				if (k && qj_hset_has(&r->only, k))
					qj_hset_add(&r->only_seen, k, 1);
				if (n++ % r->o->shard_n == r->o->shard_k && only_wants(r, k ? k : ""))
					sel++;
			}
	} else if (s) {
		while ((rc = qj_stream_next(s, &it)) > 0) {
			if (qj_hset_has(&r->only, it.key))
				qj_hset_add(&r->only_seen, it.key, 1);
			if (n++ % r->o->shard_n == r->o->shard_k && only_wants(r, it.key))
				sel++;
		}
		qj_stream_free(s);
	}
	if (!r->sheet && (!s || rc < 0))
		*bad = 1;
	qj_diag_reset(r->ctx);
	return sel;
}

/* Runs the workers and collects their records; the exit status. */
static int run_workers(runner *proto, collector *c)
{
	int n = proto->nworkers, k, alive = 0, status;
	pid_t *pid = calloc((size_t)n, sizeof *pid);
	struct pollfd *pf = calloc((size_t)n, sizeof *pf);
	char **buf = calloc((size_t)n, sizeof *buf);
	size_t *len = calloc((size_t)n, sizeof *len);
	pid_t parent = getpid();
	int rc = 0;

	if (!pid || !pf || !buf || !len) {
		free(pid), free(pf), free(buf), free(len);
		return QJ_DOC_FAILED;
	}
	fflush(NULL);
	for (k = 0; k < n; k++) {
		int fds[2];
		if (pipe(fds) < 0 || (pid[k] = fork()) < 0) {
			qj_error(proto->ctx, NULL, 0, "cannot start worker %d: %s", k + 1, strerror(errno));
			rc = QJ_DOC_FAILED;
			break;
		}
		if (pid[k] == 0) {
			runner r = *proto;
			int j, code;
			/* a worker dies with its parent (its temporaries go with SIGTERM) */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			if (getppid() != parent)
				_exit(3);
			for (j = 0; j < k; j++)
				close(pf[j].fd);
			close(fds[0]);
			r.worker = k;
			r.fd = fds[1];
			r.emit = emit_pipe;
			memset(&r.keys, 0, sizeof r.keys);
			memset(&r.names, 0, sizeof r.names);
			code = run_items(&r);
			if (code) {
				char x[32];
				snprintf(x, sizeof x, "X%d", code);
				emit_pipe(&r, x);
			}
			emit_pipe(&r, "E");
			_exit(0);
		}
		close(fds[1]);
		pf[k].fd = fds[0];
		pf[k].events = POLLIN;
		alive++;
	}
	/* records from every worker, line by line */
	while (alive > 0) {
		if (poll(pf, (nfds_t)n, 250) < 0 && errno != EINTR)
			break;
		draw_progress(c, 0);
		for (k = 0; k < n; k++) {
			char chunk[65536], *nl;
			ssize_t got;
			if (pf[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(pf[k].fd, chunk, sizeof chunk);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(pf[k].fd);
				pf[k].fd = -1;
				alive--;
				continue;
			}
			buf[k] = realloc(buf[k], len[k] + (size_t)got + 1);
			if (!buf[k])
				return QJ_DOC_FAILED;
			memcpy(buf[k] + len[k], chunk, (size_t)got);
			len[k] += (size_t)got;
			buf[k][len[k]] = 0;
			while ((nl = memchr(buf[k], '\n', len[k]))) {
				*nl = 0;
				if (!strcmp(buf[k], "E"))
					pid[k] = -pid[k]; /* finished in order */
				else
					handle(c, buf[k]);
				len[k] -= (size_t)(nl + 1 - buf[k]);
				memmove(buf[k], nl + 1, len[k] + 1);
			}
		}
	}
	for (k = 0; k < n; k++) {
		pid_t p = pid[k] < 0 ? -pid[k] : pid[k];
		if (p > 0 && waitpid(p, &status, 0) > 0 &&
		    (pid[k] > 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			clear_line(c);
			if (WIFSIGNALED(status))
				qj_error(proto->ctx, NULL, 0, "worker %d was killed by signal %d", k + 1,
					 WTERMSIG(status));
			else
				qj_error(proto->ctx, NULL, 0, "worker %d stopped before its end", k + 1);
			rc = QJ_DOC_FAILED;
		}
		free(buf[k]);
	}
	free(pid), free(pf), free(buf), free(len);
	return rc;
}

/* ---------- one sync for a batch of files ---------- */

/* Per-file mode does not fsync each file before renaming it into place
 * (qj_ctx_set_out_sync): that fsync costs about 11 ms of wall time per file
 * on a disk, more than making the certificate, and a batch needs none of
 * what it buys. The rename alone keeps a half-written file from every
 * output path, whatever happens to the process: a file is complete in its
 * temporary before it is renamed, and a kill leaves only a temporary, which
 * the next run removes. What the fsync adds is durability across a crash of
 * the machine, and one syncfs of the output directory's file system at the
 * end gives that to the whole batch: qujat exits 0, and commits the
 * manifest, only once every file it reported done is on disk. A machine
 * that goes down mid-run may lose files made since the start (or leave an
 * empty or cut one at an output path, as ext4's delayed allocation can),
 * but that run never finished, and the next one checks each file's
 * completeness and stamp (complete()), not only that it is there, and
 * makes it again. syncfs reports the write-back errors the file system had
 * since the descriptor was opened (Linux 5.8), so the directory is opened
 * before the first file is written. Returns the directory's descriptor, or
 * -1 when it cannot be opened: then every file is synced as it is made. */
static int sync_begin(qj_ctx *ctx, const qj_run_opts *o)
{
	int fd;
	if (!o->per_file)
		return -1;
	fd = open(o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		qj_ctx_set_out_sync(ctx, 0);
	return fd;
}

/* The one sync of a batch begun by sync_begin (fd -1: nothing to do); the
 * manifest and whatever is written next is synced on its own again. -1
 * after a diagnostic. */
static int sync_end(qj_ctx *ctx, const qj_run_opts *o, int fd)
{
	int rc = 0;
	if (fd < 0)
		return 0;
	qj_ctx_set_out_sync(ctx, 1);
	if (syncfs(fd) < 0) {
		qj_error(ctx, o->out, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

int qj_run_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* The absolute form of path: its directory resolved, its last part as it
 * is (the file need not exist); "" when the directory does not. */
static void abs_path(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? (slash == path ? "/" : path) : ".");
	if (!realpath(dir, real))
		*out = 0;
	else
		snprintf(out, n, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : path);
}

/* A manifest replaces only a manifest: an existing file whose first line
 * is another's (the roster named by mistake, the emblem, a certificate
 * are refused), and never the run's own PDF or one of its per-person
 * files. 0 when it may be written. */
static int manifest_target_ok(qj_ctx *ctx, const qj_run_opts *o)
{
	static const char head[] = "serial,output,status,message\n";
	const char *m = o->manifest;
	char buf[sizeof head], am[PATH_MAX + 256], ao[PATH_MAX + 256];
	size_t len = strlen(m), got = 0;
	struct stat st;
	FILE *fp;

	abs_path(m, am, sizeof am);
	abs_path(o->out, ao, sizeof ao);
	if (*am && *ao) {
		size_t dl = strlen(ao);
		while (dl > 1 && ao[dl - 1] == '/') /* DIR/ */
			ao[--dl] = 0;
		if (!o->per_file && !strcmp(am, ao)) {
			qj_error(ctx, m, 0, "refusing to write the manifest over the PDF of this run");
			return -1;
		}
		if (o->per_file && !strncmp(am, ao, dl) && am[dl] == '/' && !strchr(am + dl + 1, '/') &&
		    len > 4 && !strcasecmp(m + len - 4, ".pdf")) {
			qj_error(ctx, m, 0, "refusing to write the manifest where this run writes its PDFs "
					    "(name it .csv)");
			return -1;
		}
	}
	if (lstat(m, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 0; /* absent, empty, or refused as any output is */
	if ((fp = fopen(m, "rb"))) {
		got = fread(buf, 1, sizeof head - 1, fp);
		fclose(fp);
	}
	if (got != sizeof head - 1 || memcmp(buf, head, got)) {
		qj_error(ctx, m, 0, "refusing to write the manifest over a file that is not one (its "
				    "first line is not 'serial,output,status,message')");
		return -1;
	}
	return 0;
}

/* The manifest's temporary (a run killed with -9 leaves it) and its open. */
static int open_manifest(qj_ctx *ctx, collector *c)
{
	const char *m = c->o->manifest, *slash = strrchr(m, '/');
	char dir[PATH_MAX], full[PATH_MAX + 256];
	size_t base, n = strlen(slash ? slash + 1 : m);
	DIR *d;
	struct dirent *e;

	if (manifest_target_ok(ctx, c->o) < 0)
		return -1;

	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - m) : 1, slash ? m : ".");
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (is_tmp_name(e->d_name, &base) && base == n &&
			    !memcmp(e->d_name, slash ? slash + 1 : m, n)) {
				snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
				unlink(full);
			}
		closedir(d);
	}
	if (qj_out_open(ctx, &c->man, m) < 0)
		return -1;
	c->man_open = 1;
	fputs("serial,output,status,message\n", c->man.fp);
	return 0;
}

int qj_run(qj_ctx *ctx, const qj_run_opts *o, qj_run_stats *stats)
{
	runner r;
	collector c;
	int rc = QJ_DOC_OK, bad = 0, dirfd;
	FILE *sink = stderr;

	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	r.ctx = ctx;
	r.o = o;
	r.cur = -1;
	c.o = o;
	c.ctx = ctx;
	clock_gettime(CLOCK_MONOTONIC, &c.t0);
	r.kind = qj_batch_kind(o->batch);
	if (!r.kind || !r.kind->item) {
		qj_error(ctx, o->input, 0, "this kind of document has no items to print one by one");
		return QJ_DOC_FAILED;
	}
	if (o->render && !o->per_file) {
		qj_error(ctx, o->input, 0, "a render hook is for one file per %s", r.kind->item);
		return QJ_DOC_FAILED;
	}
	r.nworkers = o->per_file && o->jobs > 1 ? o->jobs : 1;
	if (parse_only(&r) < 0)
		return QJ_DOC_FAILED;
	if (qj_sheet_is_spreadsheet(o->input) && !(r.sheet = qj_batch_load_sheet(o->batch, o->input)))
		return QJ_DOC_BAD_INPUT;
	/* diagnostics are kept and sent on, item by item, named after it */
	qj_diag_set_sink(ctx, NULL);
	qj_diag_reset(ctx);
	if (o->only || (o->progress && !o->quiet)) {
		c.total = count_items(&r, &bad);
		if (!bad && o->only && unknown_only(&r) > 0)
			bad = 1;
		if (bad) {
			qj_diag_set_sink(ctx, sink);
			fputs(qj_diag_text(ctx), stderr);
			runner_free(&r);
			xmlFreeDoc(r.sheet);
			if (bad && !qj_diag_errors(ctx))
				return QJ_DOC_BAD_INPUT;
			/* a stream error is reported again by the run: only --only's */
			return QJ_DOC_BAD_INPUT;
		}
	}
	if (o->manifest && open_manifest(ctx, &c) < 0) {
		qj_diag_set_sink(ctx, sink);
		fputs(qj_diag_text(ctx), stderr);
		runner_free(&r);
		xmlFreeDoc(r.sheet);
		return QJ_DOC_FAILED;
	}
	dirfd = sync_begin(ctx, o);
	if (r.nworkers > 1) {
		rc = run_workers(&r, &c);
		window_flush(&c, 1); /* what a killed worker's items said, then why */
		xmlFreeDoc(r.sheet);
		r.sheet = NULL;
		/* the workers' own errors came through the pipe; the parent's */
		{
			const char *t = qj_diag_text(ctx);
			clear_line(&c);
			fputs(t, stderr);
			qj_diag_reset(ctx);
		}
	} else {
		r.col = &c;
		r.emit = emit_direct;
		rc = run_items(&r);
		/* a combined PDF is all or nothing: one person's error stops it */
		if (!rc && !o->per_file && c.st.failed > 0) {
			rc = QJ_DOC_BAD_INPUT;
			c.st.produced = 0;
			c.st.pages = 0;
		}
		if (!rc && !o->per_file && c.st.produced > 0) {
			qj_doc_status st = qj_batch_combined_write(o->batch, o->out);
			item_diags(&r, NULL, (char[8]){0}, 8);
			if (st != QJ_DOC_OK) { /* laid out, but no page written */
				rc = st;
				c.st.failed += c.st.produced;
				c.st.produced = 0;
				c.st.pages = 0;
			}
		}
	}
	window_flush(&c, 1);
	qj_diag_set_sink(ctx, sink);
	clear_line(&c);
	/* every file on disk before the manifest says so and qujat exits */
	if (sync_end(ctx, o, dirfd) < 0)
		rc = QJ_DOC_FAILED;
	if (c.fatal && (rc == QJ_DOC_OK || rc == 1))
		rc = c.fatal;
	if (!rc && c.st.produced + c.st.skipped + c.st.failed == 0) {
		qj_error(ctx, o->input, 0, "nothing to print: no %s in %s", r.kind->item,
			 o->shard_n > 1 ? "this shard" : "the roster");
		rc = QJ_DOC_BAD_INPUT;
	}
	if (c.man_open) {
		if (rc == QJ_DOC_OK || rc == 1) {
			if (qj_out_commit(ctx, &c.man) < 0)
				rc = QJ_DOC_FAILED;
		} else
			qj_out_abort(ctx, &c.man);
	}
	free(c.win);
	qj_hset_free(&c.said);
	c.st.seconds = since(&c.t0);
	if (!rc && c.st.failed > 0)
		rc = 1;
	/* the summary: on a terminal, for per-item files (batch jobs' logs),
	 * and whenever something failed; a combined PDF made quietly stays
	 * quiet (as every other command) */
	if (!o->quiet && rc != QJ_DOC_BAD_INPUT &&
	    (o->progress || o->per_file || c.st.failed > 0))
		fprintf(stderr, "qujat: %ld produced, %ld skipped, %ld failed, %ld pages, %.2f s\n",
			c.st.produced, c.st.skipped, c.st.failed, c.st.pages, c.st.seconds);
	if (stats)
		*stats = c.st;
	runner_free(&r);
	return rc;
}
