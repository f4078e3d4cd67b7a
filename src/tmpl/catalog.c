/* catalog: static labels per language, from the XML files of templates/i18n, looked
 * up by key and language, and optionally by a person's sex: an entry may
 * hold, besides its neutral text, a variant for sex="m" and sex="f". */
#include "tmpl.h"

#include <dirent.h>
#include <libxml/hash.h>
#include <string.h>

#include "xml/xml.h"

struct qj_catalog {
	qj_ctx *ctx;
	xmlHashTablePtr table; /* (key, lang, NULL|"m"|"f") → xmlChar* */
	xmlHashTablePtr codes; /* keys of the <entry> elements (code lists) */
};

static void free_entry(void *p, const xmlChar *name)
{
	(void)name;
	xmlFree(p);
}

/* The sex of a variant: NULL for the neutral text, "m" or "f"; anything
 * else is reported and the text dropped (*bad set). */
static const char *variant_sex(qj_catalog *c, const xmlNode *at, int *bad)
{
	const char *sex = qj_xml_attr(at, "sex");
	*bad = 0;
	if (!sex || !strcmp(sex, "m") || !strcmp(sex, "f"))
		return sex;
	qj_xml_error(c->ctx, at, "sex='%s' of a label: it is m or f (the neutral text has none)",
		     sex);
	*bad = 1;
	return NULL;
}

static void put(qj_catalog *c, const xmlNode *at, const char *key, const char *lang,
		const char *text)
{
	int bad;
	const char *sex = variant_sex(c, at, &bad);
	xmlChar *v;
	if (bad)
		return;
	v = xmlStrdup((const xmlChar *)(text ? text : ""));
	if (xmlHashAddEntry3(c->table, (const xmlChar *)key, (const xmlChar *)lang,
			     (const xmlChar *)sex, v) != 0) {
		qj_xml_warning(c->ctx, at, "label '%s' (%s%s%s) is defined twice; the first one is used",
			       key, lang, sex ? ", sex=" : "", sex ? sex : "");
		xmlFree(v);
	}
}

/* A variant without the neutral text would leave a person without sex
 * (and every caller that asks for no sex) with no label: an error at the
 * variant, once the whole file is read. */
static void check_neutral(qj_catalog *c, const xmlNode *at, const char *key, const char *lang)
{
	const char *sex = qj_xml_attr(at, "sex");
	if (sex && (!strcmp(sex, "m") || !strcmp(sex, "f")) && !xmlHashLookup2(c->table, (const xmlChar *)key, (const xmlChar *)lang))
		qj_xml_error(c->ctx, at, "label '%s' (%s) has a sex=\"%s\" variant but no neutral text",
			     key, lang, sex);
}

static void read_catalog(qj_catalog *c, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), n, l;
	const char *lang = qj_xml_attr(root, "lang");
	for (n = qj_xml_child(root, NULL); n; n = qj_xml_next(n, NULL)) {
		const char *key = qj_xml_attr(n, "key");
		xmlChar *t;
		if (!key) {
			qj_xml_error(c->ctx, n, "catalog entry without key=");
			continue;
		}
		if (!strcmp((const char *)n->name, "msg") && lang) {
			t = xmlNodeGetContent(n);
			put(c, n, key, lang, (const char *)t);
			xmlFree(t);
			continue;
		}
		/* <entry key=…><kk>…</kk><ru>…</ru><en>…</en></entry> */
		if (!strcmp((const char *)n->name, "entry") &&
		    xmlHashLookup(c->codes, (const xmlChar *)key) == NULL &&
		    xmlHashAddEntry(c->codes, (const xmlChar *)key, (void *)1) != 0)
			qj_xml_error(c->ctx, n, "out of memory reading the catalog");
		for (l = qj_xml_child(n, NULL); l; l = qj_xml_next(l, NULL)) {
			t = xmlNodeGetContent(l);
			put(c, l, key, (const char *)l->name, (const char *)t);
			xmlFree(t);
		}
	}
	for (n = qj_xml_child(root, NULL); n; n = qj_xml_next(n, NULL)) {
		const char *key = qj_xml_attr(n, "key");
		if (!key)
			continue;
		if (!strcmp((const char *)n->name, "msg") && lang)
			check_neutral(c, n, key, lang);
		else if (!strcmp((const char *)n->name, "entry"))
			for (l = qj_xml_child(n, NULL); l; l = qj_xml_next(l, NULL))
				check_neutral(c, l, key, (const char *)l->name);
	}
}

qj_catalog *qj_catalog_load(qj_ctx *ctx, const char *dir)
{
	qj_catalog *c;
	DIR *d = opendir(dir);
	struct dirent *de;
	int errs = qj_diag_errors(ctx);

	if (!d) {
		qj_error(ctx, dir, 0, "cannot open the label catalog directory");
		return NULL;
	}
	c = qj_calloc(ctx, 1, sizeof *c);
	if (!c) {
		closedir(d);
		return NULL;
	}
	c->ctx = ctx;
	c->table = xmlHashCreate(256);
	c->codes = xmlHashCreate(256);
	if (!c->table || !c->codes)
		qj_error(ctx, dir, 0, "out of memory reading the catalog");
	while (c->table && c->codes && (de = readdir(d))) {
		char path[4096];
		size_t n = strlen(de->d_name);
		xmlDocPtr doc;
		if (n < 5 || strcmp(de->d_name + n - 4, ".xml"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		doc = qj_xml_load(ctx, path);
		if (!doc)
			continue;
		read_catalog(c, doc);
		xmlFreeDoc(doc);
	}
	closedir(d);
	if (qj_diag_errors(ctx) > errs) {
		qj_catalog_free(c);
		return NULL;
	}
	return c;
}

void qj_catalog_free(qj_catalog *c)
{
	if (!c)
		return;
	xmlHashFree(c->table, free_entry);
	xmlHashFree(c->codes, NULL);
	qj_free(c->ctx, c);
}

const char *qj_catalog_lookup(const qj_catalog *c, const char *key, const char *lang)
{
	if (!c || !key || !lang)
		return NULL;
	return xmlHashLookup2(c->table, (const xmlChar *)key, (const xmlChar *)lang);
}

const char *qj_catalog_lookup_sex(const qj_catalog *c, const char *key, const char *lang,
				  const char *sex)
{
	const char *t = NULL;
	if (!c || !key || !lang)
		return NULL;
	if (sex && (!strcmp(sex, "m") || !strcmp(sex, "f")))
		t = xmlHashLookup3(c->table, (const xmlChar *)key, (const xmlChar *)lang,
				   (const xmlChar *)sex);
	return t ? t : qj_catalog_lookup(c, key, lang);
}

int qj_catalog_has_code(const qj_catalog *c, const char *list, const char *code)
{
	xmlChar *key;
	int found;
	if (!c || !list || !code)
		return 0;
	key = xmlStrncatNew((const xmlChar *)list, (const xmlChar *)".", -1);
	key = xmlStrcat(key, (const xmlChar *)code);
	found = key && xmlHashLookup(c->codes, key) != NULL;
	xmlFree(key);
	return found;
}
