/* tmpl: expands an XML template over a data document into the flow
 * vocabulary the layout stage reads. Expressions are XPath 1.0 evaluated
 * by libxml2; control elements are for-each, if, choose/when/otherwise,
 * variable, value and label; every other element is a flow element copied
 * with {XPath} attribute value templates. Labels come from message
 * catalogs per language. See templates/README.md. */
#ifndef QJ_TMPL_H
#define QJ_TMPL_H

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "base/base.h"

#define QJ_TMPL_NS "urn:qujat:functions"

typedef struct qj_catalog qj_catalog;

/* Loads every XML catalog of dir: kk.xml, ru.xml, en.xml
 * (<catalog lang="kk"><msg key="…">text</msg>…) and codes.xml
 * (<catalog><entry key="…"><kk>…</kk><ru>…</ru><en>…</en></entry>…).
 * A label that depends on a person's sex has, besides its neutral text,
 * variants marked sex="m" / sex="f" (<msg key="…" sex="f">…</msg>,
 * <ru sex="f">…</ru>); a variant without a neutral text is an error.
 * Caller frees with qj_catalog_free. */
qj_catalog *qj_catalog_load(qj_ctx *ctx, const char *dir);
void qj_catalog_free(qj_catalog *c);
/* The text of key in lang (kk, ru, en), lent; NULL when missing. This is
 * the neutral text (the one for a person whose sex is not known). */
const char *qj_catalog_lookup(const qj_catalog *c, const char *key, const char *lang);
/* The text of key in lang for a person of sex "m" or "f": its variant for
 * that sex when the catalog has one, else the neutral text; sex NULL, ""
 * or anything else gives the neutral text. Lent; NULL when missing. */
const char *qj_catalog_lookup_sex(const qj_catalog *c, const char *key, const char *lang,
				  const char *sex);
/* Whether the code list `list` (the key prefix: "ground", "service"…) of
 * codes.xml holds code, i.e. an <entry key="LIST.CODE"> was loaded: 1 or 0
 * (0 also for a NULL argument or out of memory). */
int qj_catalog_has_code(const qj_catalog *c, const char *list, const char *code);

typedef int (*qj_tmpl_funcs_fn)(qj_ctx *ctx, xmlXPathContextPtr xp,
				qj_arena *arena, const char *lang);

/* What the expansions of one template share (a batch expands one
 * template once per person): each select, test, sort and {AVT} part is
 * compiled once, each attribute value template parsed once, and one XPath
 * context serves them all (opts.funcs is then called at every expansion on
 * that same context, and must take functions it registered before). One
 * cache per template, freed before or with it. */
typedef struct qj_tmpl_cache qj_tmpl_cache;
qj_tmpl_cache *qj_tmpl_cache_new(qj_ctx *ctx);
void qj_tmpl_cache_free(qj_tmpl_cache *c);

typedef struct qj_tmpl_opts {
	const char *lang;        /* "kk", "ru", "en" or two joined: "kk+ru" */
	const qj_catalog *catalog;
	qj_tmpl_funcs_fn funcs;  /* registers the text-service functions, or NULL */
	const char *const *params; /* name, value, name, value, …, NULL: $name */
	qj_tmpl_cache *cache;    /* compiled expressions of this template, or NULL */
} qj_tmpl_opts;

/* Loads a template and checks it before anything is expanded: every XPath
 * expression compiles, every element is a control or flow element, control
 * elements have their required attributes. All problems are reported as
 * "TEMPLATE:LINE: error: …"; returns NULL when there was any. */
xmlDocPtr qj_tmpl_load(qj_ctx *ctx, const char *path);
/* The same, knowing the parameters the expansion will be given (the names
 * of qj_tmpl_opts.params): every $variable an expression reads must be one
 * of them, $lang, $bilingual, $lang1, $lang2 or a <variable> in scope, and
 * every function one of XPath's or of q: (the text services), in every
 * branch. qj_tmpl_load knows no parameters. */
xmlDocPtr qj_tmpl_load_params(qj_ctx *ctx, const char *path, const char *const *params);

/* Expands tmpl over data. The result (a <document>) is a new document the
 * caller frees with xmlFreeDoc; its elements carry the template's line
 * numbers and its URL is the template's path, so layout diagnostics point
 * into the template. NULL when there was any error (a loop over something
 * that is not a node-set, a missing label, an XPath error at run time, any
 * error a q: function reports, a limit: XPath operations, elements written,
 * memory). */
xmlDocPtr qj_tmpl_expand(qj_ctx *ctx, xmlDocPtr tmpl, xmlDocPtr data,
			 const qj_tmpl_opts *opts);

#endif
