/* validate: checks data files against their kind's schema and rules. The
 * root element names the kind; every problem of every file is printed as
 * "FILE:LINE: error: ...". Exit 0 only when every file is valid. */
#include <limits.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/render.h"
#include "record/record.h"
#include "standard/standard.h"
#include "xml/xml.h"

/* The label catalog (its code lists check client records), loaded from
 * templates/i18n as render.c does, on the first record only. */
typedef struct codes {
	qj_catalog *cat;
	int tried;
} codes;

static const qj_catalog *codes_get(qj_ctx *ctx, codes *c)
{
	char *dir;
	if (c->tried)
		return c->cat;
	c->tried = 1;
	dir = qj_data_path(ctx, "templates/i18n");
	if (!dir)
		return NULL;
	c->cat = qj_catalog_load(ctx, dir);
	qj_free(ctx, dir);
	return c->cat;
}

/* Checks one loaded document by its kind; returns the number of errors. */
static int validate_doc(qj_ctx *ctx, xmlDocPtr doc, const char *path,
			const char *rng, codes *cat)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const char *name = root ? (const char *)root->name : "";
	if (!strcmp(name, "standard"))
		return qj_standard_check(ctx, doc, rng);
	/* today is $QUJAT_TODAY when set, else the system date */
	if (!strcmp(name, "client-record"))
		return qj_record_check(ctx, doc, codes_get(ctx, cat), NULL) < 0;
	qj_error(ctx, path, root ? qj_xml_line(root) : 0,
		 "unknown kind of document <%s> (expected <standard> or <client-record>)",
		 name);
	return 1;
}

int qj_cmd_validate(qj_ctx *ctx, int argc, char **argv)
{
	char *rng;
	int i, bad = 0;
	codes cat = {NULL, 0};

	if (argc < 1) {
		fprintf(stderr, "usage: qujat validate FILE...\n");
		return QJ_EXIT_USAGE;
	}
	rng = qj_standard_schema_path(ctx);
	if (!rng)
		return QJ_EXIT_FAIL;
	/* each file on its own: one bad file does not stop the others */
	for (i = 0; i < argc; i++) {
		/* loaded as every command loads data: normalized, with a warning
		 * for each repaired look-alike letter */
		xmlDocPtr doc = qj_data_load(ctx, argv[i], "kk");
		if (!doc) {
			bad++;
			continue;
		}
		if (validate_doc(ctx, doc, argv[i], rng, &cat) > 0)
			bad++;
		xmlFreeDoc(doc);
	}
	qj_free(ctx, rng);
	qj_catalog_free(cat.cat);
	if (qj_ctx_oom(ctx))
		return QJ_EXIT_FAIL;
	return bad ? QJ_EXIT_INPUT : QJ_EXIT_OK;
}
