/* import_standard: the entry point of the standard importer. Reads the
 * source, repairs table-cell residue line by line, finds the parts (act,
 * chapter 1, passport, cards, technical data) and hands each to its parser;
 * also the tree helpers the parsers share. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "standard/import-imp.h"
#include "standard/standard.h"
#include "xml/xml.h"
#include "text/text.h"

int qj_import_lang_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "kk"))
		return QJ_IMPORT_KK;
	if (!strcmp(s, "ru"))
		return QJ_IMPORT_RU;
	if (!strcmp(s, "en"))
		return QJ_IMPORT_EN;
	return -1;
}

const char *qj_imp_lang_code(qj_import_lang l)
{
	return l == QJ_IMPORT_KK ? "kk" : l == QJ_IMPORT_EN ? "en" : "ru";
}

void qj_imp_warn(qj_imp *im, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qj_vdiag(im->ctx, QJ_WARNING, im->file, line, 0, fmt, ap);
	va_end(ap);
}

void qj_imp_err(qj_imp *im, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qj_vdiag(im->ctx, QJ_ERROR, im->file, line, 0, fmt, ap);
	va_end(ap);
	im->errors++;
}

/* ---- tree helpers ---- */

xmlNodePtr qj_imp_el(qj_imp *im, xmlNodePtr parent, const char *name,
		     int line)
{
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
	if (!n) {
		im->errors++;
		return NULL;
	}
	if (line > 0)
		qj_imp_set_int(n, "line", line);
	return n;
}

xmlNodePtr qj_imp_text_el(qj_imp *im, xmlNodePtr parent, const char *name,
			  const char *text, int line)
{
	xmlNodePtr n = qj_imp_el(im, parent, name, line);
	if (n && text && *text)
		xmlNodeAddContent(n, BAD_CAST text);
	return n;
}

void qj_imp_set_int(xmlNodePtr node, const char *attr, int v)
{
	char b[24];
	snprintf(b, sizeof b, "%d", v);
	xmlSetProp(node, BAD_CAST attr, BAD_CAST b);
}

/* Appends text to the last text of node, joined by one space. */
void qj_imp_append_text(xmlNodePtr node, const char *text)
{
	xmlNodePtr last = node->last;
	if (!text || !*text)
		return;
	if (strchr(".,;:)", text[0]) && (text[1] == 0 || text[1] == ' '))
		; /* a lone stop wrapped onto its own line */
	else if (last && last->type == XML_TEXT_NODE)
		xmlNodeAddContent(node, BAD_CAST " ");
	else if (last && last->type == XML_ELEMENT_NODE &&
		 !xmlStrcmp(last->name, BAD_CAST "fix"))
		xmlNodeAddContent(node, BAD_CAST " ");
	xmlNodeAddContent(node, BAD_CAST text);
}

int qj_imp_ends_colon(xmlNodePtr node)
{
	xmlNodePtr c;
	for (c = node->last; c; c = c->prev) {
		if (c->type == XML_TEXT_NODE && c->content) {
			size_t k = strlen((const char *)c->content);
			while (k > 0 && c->content[k - 1] == ' ')
				k--;
			return k > 0 && c->content[k - 1] == ':';
		}
	}
	return 0;
}

static xmlNodePtr last_el(xmlNodePtr node, const char *name)
{
	xmlNodePtr c;
	for (c = node->last; c; c = c->prev)
		if (c->type == XML_ELEMENT_NODE)
			return !xmlStrcmp(c->name, BAD_CAST name) ? c : NULL;
	return NULL;
}

void qj_imp_block_add(qj_imp *im, xmlNodePtr block, const char *text,
		      int line)
{
	const char *rest;
	char style;
	int n = qj_imp_number(text, &style, &rest);
	xmlNodePtr prev, it;

	if (!block || !text || !*text)
		return;
	if (n) {
		xmlNodePtr parent = block;
		prev = last_el(block, "item");
		if (style == ')' && prev && (last_el(prev, "item") ||
					     qj_imp_ends_colon(prev)))
			parent = prev; /* "1)" under "2. …:": nested */
		it = qj_imp_text_el(im, parent, "item", rest, line);
		if (it)
			qj_imp_set_int(it, "n", n);
		return;
	}
	prev = block->last;
	while (prev && prev->type != XML_ELEMENT_NODE)
		prev = prev->prev;
	if (im->wrapped && prev && (!xmlStrcmp(prev->name, BAD_CAST "p") ||
				    !xmlStrcmp(prev->name, BAD_CAST "item"))) {
		xmlChar *t = xmlNodeGetContent(prev);
		int soft = t && !qj_imp_terminal((const char *)t);
		xmlFree(t);
		if (soft || !(im->v[im->i].ind)) {
			qj_imp_append_text(prev, text);
			return;
		}
	}
	qj_imp_text_el(im, block, "p", text, line);
}

void qj_imp_block_finish(xmlNodePtr node)
{
	xmlNodePtr c, only = NULL;
	int count = 0, texty = 0;

	for (c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			count++;
			if (!xmlStrcmp(c->name, BAD_CAST "p"))
				only = c;
			qj_imp_block_finish(c);
		} else if (c->type == XML_TEXT_NODE) {
			texty = 1;
		}
	}
	if (count == 1 && only && !texty) {
		/* a block of one paragraph is plain text */
		xmlChar *t = xmlNodeGetContent(only);
		xmlChar *line = xmlGetProp(only, BAD_CAST "line");
		xmlUnlinkNode(only);
		xmlFreeNode(only);
		xmlNodeAddContent(node, t);
		if (line && !xmlHasProp(node, BAD_CAST "line"))
			xmlSetProp(node, BAD_CAST "line", line);
		xmlFree(t);
		xmlFree(line);
	}
}

xmlNodePtr qj_imp_ednote(qj_imp *im, xmlNodePtr parent, const char *kind,
			 const char *text, int line)
{
	xmlNodePtr n = qj_imp_text_el(im, parent, "editorial-note", text, line);
	if (n)
		xmlSetProp(n, BAD_CAST "kind", BAD_CAST kind);
	return n;
}

void qj_imp_reorder(xmlNodePtr parent, int (*rank)(const char *name))
{
	xmlNodePtr c, next, *v;
	int *r, n = 0, i, j, cur = 0;

	for (c = parent->children; c; c = c->next)
		n++;
	if (n < 2)
		return;
	v = malloc(sizeof *v * (size_t)n);
	r = malloc(sizeof *r * (size_t)n);
	if (!v || !r) {
		free(v);
		free(r);
		return;
	}
	for (i = 0, c = parent->children; c; c = next, i++) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(c->name, BAD_CAST "editorial-note"))
			cur = rank((const char *)c->name);
		v[i] = c;
		r[i] = cur;
		xmlUnlinkNode(c);
	}
	/* insertion sort: stable */
	for (i = 1; i < n; i++) {
		xmlNodePtr x = v[i];
		int k = r[i];
		for (j = i - 1; j >= 0 && r[j] > k; j--) {
			v[j + 1] = v[j];
			r[j + 1] = r[j];
		}
		v[j + 1] = x;
		r[j + 1] = k;
	}
	for (i = 0; i < n; i++)
		xmlAddChild(parent, v[i]);
	free(v);
	free(r);
}

/* ---- reading ---- */

static int read_lines(qj_imp *im, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int no = 0, cap = 1024, blank = 0;

	im->v = qj_malloc(im->ctx, sizeof *im->v * (size_t)cap);
	if (!im->v)
		return -1;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t k = e ? (size_t)(e - p) : (size_t)(end - p);
		char *s;
		no++;
		if (im->lang == QJ_IMPORT_KK) {
			const char *u = qj_imp_unspace(im->a, p, k);
			if (!u)
				return -1;
			s = qj_imp_clean(im->a, u, strlen(u));
		} else {
			s = qj_imp_clean(im->a, p, k);
		}
		if (!s)
			return -1;
		if (*s) {
			if (im->n == cap) {
				qj_iline *nv;
				cap *= 2;
				nv = qj_realloc(im->ctx, im->v,
						sizeof *im->v * (size_t)cap);
				if (!nv)
					return -1;
				im->v = nv;
			}
			im->v[im->n].no = no;
			im->v[im->n].ind = k > 0 && (p[0] == ' ' ||
				(unsigned char)p[0] == 0xC2 || p[0] == '\t');
			im->v[im->n].s = s;
			im->v[im->n].gap = blank;
			im->n++;
			blank = 0;
		} else {
			blank = 1;
		}
		p = e ? e + 1 : end;
	}
	im->last_no = no;
	return 0;
}

static qj_import_lang detect(const qj_imp *im)
{
	int i, ru = 0, en = 0, kk = 0;
	for (i = 0; i < im->n; i++) {
		const char *s = im->v[i].s;
		if (strstr(s, "Карточка профессии") ||
		    strstr(s, "Код наименования занятия"))
			ru++;
		if (qj_imp_starts(s, "Card of profession") ||
		    qj_imp_starts(s, "Code of profession"))
			en++;
		if (strstr(s, "кәсіп карточкасы") || strstr(s, "Кәсіп коды") ||
		    strstr(s, "еңбек функциясы"))
			kk++;
	}
	if (!ru && !en && !kk)
		return QJ_IMPORT_AUTO;
	if (kk >= ru && kk >= en)
		return QJ_IMPORT_KK;
	return ru >= en ? QJ_IMPORT_RU : QJ_IMPORT_EN;
}

static char *id_from_path(qj_imp *im, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t k = 0;
	b = b ? b + 1 : path;
	while (isdigit((unsigned char)b[k]))
		k++;
	return k ? qj_arena_strndup(im->a, b, k) : qj_arena_strdup(im->a, "1");
}

int qj_imp_line_of(xmlNodePtr node)
{
	xmlChar *v = xmlGetProp(node, BAD_CAST "line");
	int n = v ? atoi((const char *)v) : 0;
	xmlFree(v);
	return n;
}

int qj_imp_rank(const char *name, const char *const *order)
{
	int i;
	for (i = 0; order[i]; i++)
		if (!strcmp(name, order[i]))
			return i;
	return i;
}

static int standard_rank(const char *name)
{
	static const char *const order[] = {"act", "general", "passport",
					    "cards", "technical", NULL};
	return qj_imp_rank(name, order);
}

/* Finds the parts and runs their parsers. */
static void parse(qj_imp *im)
{
	int i, first_card = -1, id, consumed;
	char *title;

	for (i = 0; i < im->n && first_card < 0; i++)
		if (qj_imp_is_card_header(im, i, &id, &title, &consumed))
			first_card = i;
	if (first_card < 0) {
		qj_imp_err(im, im->n ? im->v[0].no : 1,
			   "expected a professional standard: no profession "
			   "card header (%s) anywhere in the text",
			   im->lang == QJ_IMPORT_KK ? "'N – қосымша' with '\"…\" кәсіп карточкасы'"
			   : im->lang == QJ_IMPORT_EN ? "'Card of profession'"
			   : "'N. Карточка профессии \"…\"'");
		return;
	}
	im->i = 0;
	qj_imp_act(im);
	if (im->i < first_card && qj_imp_chapter(im, im->v[im->i].s) == 1)
		qj_imp_general(im);
	if (im->i < first_card)
		qj_imp_passport(im);
	while (im->i < first_card) {
		qj_imp_warn(im, im->v[im->i].no,
			    "text before the first card not placed: '%.60s'",
			    im->v[im->i].s);
		im->i++;
	}
	if (qj_imp_cards(im) < 0 || qj_ctx_oom(im->ctx))
		return;
	if (im->i < im->n)
		qj_imp_technical(im);
	if (!qj_ctx_oom(im->ctx))
		qj_imp_resolve_card_refs(im);
	qj_imp_reorder(im->root, standard_rank);
	qj_imp_block_finish(im->root);
}

/* A NUL byte would cut its line short without a word (the lines are C
 * strings): refused, with its line and byte offset. */
static int check_nul(qj_ctx *ctx, const char *path, const char *data, size_t len)
{
	const char *z = memchr(data, 0, len), *c;
	int line = 1;
	if (!z)
		return 0;
	for (c = data; c < z; c++)
		line += *c == '\n';
	qj_error(ctx, path, line, "NUL byte at byte offset %zu (a text file has none)",
		 (size_t)(z - data));
	return -1;
}

/* The importer checks its own output before anyone writes it: the XML as
 * it will be written, read back the way qujat reads a standard, against
 * standards/standard.rng and the rules of standards/README.md. Problems
 * point into that text ("SOURCE (imported):LINE: error: ..."), and a
 * last error says nothing was written. 0 when valid. */
static int self_check(qj_ctx *ctx, const char *path, xmlDocPtr doc)
{
	xmlChar *xml = NULL;
	int n = 0, bad = -1;
	char *name = NULL, *rng = NULL;
	xmlDocPtr back = NULL;
	size_t nl = strlen(path) + 16;

	xmlDocDumpFormatMemoryEnc(doc, &xml, &n, "UTF-8", 1);
	name = qj_malloc(ctx, nl);
	rng = qj_standard_schema_path(ctx);
	if (!xml || n <= 0 || !name || !rng)
		goto out;
	snprintf(name, nl, "%s (imported)", path);
	back = qj_xml_load_memory(ctx, name, (const char *)xml, (size_t)n);
	if (back && qj_standard_check(ctx, back, rng) == 0)
		bad = 0;
	else if (!qj_ctx_oom(ctx))
		qj_error(ctx, path, 0, "the import of this text is not a valid standard "
			 "(the problems above); nothing was written");
out:
	xmlFreeDoc(back);
	xmlFree(xml);
	qj_free(ctx, name);
	qj_free(ctx, rng);
	return bad;
}

xmlDocPtr qj_import_standard(qj_ctx *ctx, const char *path,
			     qj_import_lang lang, const char *id)
{
	qj_imp im;
	size_t len;
	char *data;
	const char *base;
	xmlDocPtr doc = NULL;
	int i;

	memset(&im, 0, sizeof im);
	im.ctx = ctx;
	im.file = path;
	data = qj_file_read(ctx, path, &len);
	if (!data)
		return NULL;
	/* text that is not UTF-8 is refused, never silently mangled */
	if (qj_text_check_utf8(ctx, path, data, len, 1) < 0 || check_nul(ctx, path, data, len) < 0) {
		qj_free(ctx, data);
		return NULL;
	}
	im.a = qj_arena_new(ctx);
	im.lang = lang;
	if (!im.a || read_lines(&im, data, len) < 0)
		goto out;
	im.lang = lang ? lang : detect(&im);
	if (im.lang == QJ_IMPORT_KK && !lang) {
		/* read again with the kk repairs of the raw lines */
		qj_free(ctx, im.v);
		im.v = NULL;
		im.n = 0;
		if (read_lines(&im, data, len) < 0)
			goto out;
	}
	if (!im.lang) {
		qj_imp_err(&im, 1, "expected a professional standard in kk, ru "
			   "or en: none of the card labels ('Карточка "
			   "профессии', 'Card of profession', 'кәсіп "
			   "карточкасы') occurs in the text");
		goto out;
	}
	im.labels = qj_imp_labels(im.lang);
	im.wrapped = im.lang == QJ_IMPORT_KK;
	/* Latin look-alikes in Cyrillic words (and the reverse) repaired by
	 * the text stage's rule, silently as before: a loaded standard
	 * warns about any that remain. */
	for (i = 0; i < im.n; i++) {
		char *r = qj_text_repair_lookalikes(ctx, im.a, im.v[i].s,
						    qj_imp_lang_code(im.lang), NULL,
						    NULL);
		if (r)
			im.v[i].s = r;
	}
	im.doc = xmlNewDoc(BAD_CAST "1.0");
	if (!im.doc)
		goto out;
	im.doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
	im.root = xmlNewNode(NULL, BAD_CAST "standard");
	if (!im.root)
		goto out;
	xmlDocSetRootElement(im.doc, im.root);
	xmlSetProp(im.root, BAD_CAST "id",
		   BAD_CAST (id ? id : id_from_path(&im, path)));
	xmlNodeSetLang(im.root, BAD_CAST qj_imp_lang_code(im.lang));
	base = strrchr(path, '/');
	xmlSetProp(im.root, BAD_CAST "source", BAD_CAST (base ? base + 1 : path));
	parse(&im);
	if (!im.errors && !qj_ctx_oom(ctx) && self_check(ctx, path, im.doc) == 0) {
		doc = im.doc;
		im.doc = NULL;
	}
out:
	if (im.doc)
		xmlFreeDoc(im.doc);
	qj_free(ctx, im.v);
	qj_arena_free(im.a);
	qj_free(ctx, data);
	return doc;
}
