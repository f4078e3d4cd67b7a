/* kind: the one table of the kinds of document — root element, schema,
 * checker, default template, language attribute, languages — and what is
 * done with it before anything is drawn: loading, finding the kind of a
 * file, checking it, reading its language. */
#include "doc/doc-imp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/record.h"
#include "roster/roster.h"
#include "standard/standard.h"
#include "text/text.h"
#include "xml/xml.h"

/* The errors reported since before, at least one when failed. */
static int errors_since(qj_ctx *ctx, int before, int failed)
{
	int n = qj_diag_errors(ctx) - before;
	return n > 0 ? n : failed ? 1 : 0;
}

static int check_standard(qj_ctx *ctx, xmlDocPtr doc, const char *schema,
			  const qj_catalog *codes, const char *today)
{
	(void)codes;
	(void)today;
	return qj_standard_check(ctx, doc, schema);
}

/* qj_record_check finds records/client-record.rng itself (the same file) */
static int check_record(qj_ctx *ctx, xmlDocPtr doc, const char *schema,
			const qj_catalog *codes, const char *today)
{
	int before = qj_diag_errors(ctx);
	(void)schema;
	return errors_since(ctx, before, qj_record_check(ctx, doc, codes, today) < 0);
}

static const qj_doc_kind kinds[] = {
	{"roster", "templates/certificate.rng", NULL,
	 qj_roster_check,
	 "certificate.xml", "lang", "kk ru en kk+ru ru+kk", "person", "serial", 1},
	{"client-record", "records/client-record.rng", check_record, NULL,
	 "work-plan.xml", "xml:lang", "kk ru en kk+ru", NULL, NULL, 0},
	{"standard", "standards/standard.rng", check_standard, NULL,
	 "profession-card.xml", "xml:lang", "kk ru en kk+ru", NULL, NULL, 0},
};

/* Kinds a command builds in memory out of other documents, never read from
 * a file: not among the kinds above (validate does not take them, their
 * parts were checked as their own kinds), but rendered through a batch like
 * them. A handout is a <standard> wrapped with the trainee and the pack
 * (README, handouts; templates/handout.xml); its labels print in any language, the standard's
 * text stays in its own. */
static const qj_doc_kind built[] = {
	{"handout", "standards/standard.rng", NULL, NULL,
	 "handout.xml", "xml:lang", "kk ru en kk+ru ru+kk", NULL, NULL, 0},
};

const qj_doc_kind *qj_doc_kind_built(const char *root)
{
	size_t i;
	for (i = 0; root && i < sizeof built / sizeof *built; i++)
		if (!strcmp(built[i].root, root))
			return &built[i];
	return NULL;
}

const qj_doc_kind *qj_doc_kinds(size_t *n)
{
	*n = sizeof kinds / sizeof *kinds;
	return kinds;
}

const qj_doc_kind *qj_doc_kind_lookup(const char *root)
{
	size_t i;
	for (i = 0; root && i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i].root, root))
			return &kinds[i];
	return NULL;
}

int qj_doc_lang_ok(const qj_doc_kind *kind, const char *lang)
{
	const char *p = kind->langs;
	size_t n = strlen(lang), len;
	while (*p) {
		len = strcspn(p, " ");
		if (len == n && !strncmp(p, lang, n))
			return 1;
		p += len;
		p += *p == ' ';
	}
	return 0;
}

char *doc_lang_attr(const qj_doc_kind *kind, xmlNodePtr root)
{
	if (!root)
		return NULL;
	if (!strncmp(kind->lang_attr, "xml:", 4))
		return (char *)xmlGetNsProp(root, (const xmlChar *)kind->lang_attr + 4,
					    XML_XML_NAMESPACE);
	return (char *)xmlGetNoNsProp(root, (const xmlChar *)kind->lang_attr);
}

char *qj_doc_lang_attr(const qj_doc_kind *kind, xmlNodePtr root)
{
	return doc_lang_attr(kind, root);
}

xmlDocPtr qj_doc_load(qj_ctx *ctx, const qj_doc_kind *kind, const char *path,
		      const char *lang)
{
	xmlDocPtr d = qj_xml_load(ctx, path);
	xmlNodePtr root;
	char *own;

	if (!d)
		return NULL;
	root = xmlDocGetRootElement(d);
	if (!kind)
		kind = qj_doc_kind_lookup(root ? (const char *)root->name : NULL);
	/* the data's text is in the data's language */
	own = kind ? doc_lang_attr(kind, root) : NULL;
	if (qj_text_normalize_doc(ctx, d, own ? own : lang ? lang : "kk") < 0) {
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFree(own);
	return d;
}

const qj_doc_kind *qj_doc_kind_of(qj_ctx *ctx, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const char *name = root ? (const char *)root->name : "";
	const qj_doc_kind *k = qj_doc_kind_lookup(name);
	qj_buf names;
	size_t i, n = sizeof kinds / sizeof *kinds;

	if (k)
		return k;
	qj_buf_init(&names, ctx);
	for (i = 0; i < n; i++)
		qj_buf_printf(&names, "%s<%s>", i == 0 ? "" : i + 1 < n ? ", " : " or ",
			      kinds[i].root);
	qj_error(ctx, root ? qj_xml_file(root) : NULL, root ? qj_xml_line(root) : 0,
		 "unknown kind of document <%s> (expected %s)", name, qj_buf_str(&names));
	qj_buf_free(&names);
	return NULL;
}

char *doc_schema_path(qj_ctx *ctx, const char *rel)
{
	/* qj_data_path names the directory looked in when the file is missing */
	return qj_data_path(ctx, rel);
}

int qj_doc_check(qj_ctx *ctx, const qj_doc_kind *kind, xmlDocPtr doc,
		 const qj_catalog *codes, const char *today)
{
	int before = qj_diag_errors(ctx), bad;
	char *schema = doc_schema_path(ctx, kind->schema);

	if (!schema)
		return -1; /* the data directory is broken, not the document */
	if (kind->check)
		bad = kind->check(ctx, doc, schema, codes, today) > 0;
	else
		bad = qj_xml_validate_rng(ctx, doc, schema) != 0 ||
		      (kind->rules && kind->rules(ctx, doc) > 0);
	qj_free(ctx, schema);
	return errors_since(ctx, before, bad || qj_ctx_oom(ctx));
}

int qj_doc_lang(qj_ctx *ctx, const qj_doc_kind *kind, xmlDocPtr doc,
		const char *want, char *buf, size_t n)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char *own = want ? NULL : doc_lang_attr(kind, root);
	const char *lang = want ? want : own ? own : "kk";
	int ok = qj_doc_lang_ok(kind, lang) && strlen(lang) < n;

	if (ok)
		snprintf(buf, n, "%s", lang);
	else
		qj_xml_error(ctx, root, "%s='%s' of <%s> is not a language it prints in (%s)",
			     kind->lang_attr, lang, kind->root, kind->langs);
	xmlFree(own);
	return ok ? 0 : -1;
}
