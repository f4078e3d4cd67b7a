/* validate: checks data files against their kind's schema and rules (the
 * kinds table of src/doc). The root element names the kind; every problem
 * of every file is printed as "FILE:LINE: error: ...". Exit 0 only when
 * every file is valid. */
#include <string.h>

#include "cli/cmds.h"

static const qj_option options[] = {{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat validate standards/001.xml examples/roster.xml examples/records/*.xml",
	NULL};

/* The label catalog, loaded once on the first document whose kind checks
 * codes against it (client records), as a batch loads it. */
static const qj_catalog *codes_for(qj_ctx *ctx, const qj_doc_kind *kind, qj_catalog **cat,
				   int *tried)
{
	char *dir;
	if (strcmp(kind->root, "client-record") || *tried)
		return *cat;
	*tried = 1;
	if ((dir = qj_data_path(ctx, "templates/i18n")))
		*cat = qj_catalog_load(ctx, dir);
	qj_free(ctx, dir);
	return *cat;
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	const qj_doc_kind *kind;
	qj_catalog *cat = NULL;
	int i, n, bad = 0, broken = 0, tried = 0;

	/* each file on its own: one bad file does not stop the others */
	for (i = 0; i < a->npos; i++) {
		/* loaded as every command loads data: normalized, with a warning
		 * for each repaired look-alike letter */
		xmlDocPtr doc = qj_doc_load(ctx, NULL, a->pos[i], NULL);
		if (!doc || !(kind = qj_doc_kind_of(ctx, doc)))
			bad++;
		else if ((n = qj_doc_check(ctx, kind, doc, codes_for(ctx, kind, &cat, &tried),
					      NULL)) != 0)
			*(n < 0 ? &broken : &bad) += 1;
		if (doc)
			xmlFreeDoc(doc);
	}
	qj_catalog_free(cat);
	/* out of memory, or a schema missing from the data directory */
	if (qj_ctx_oom(ctx) || broken)
		return QJ_EXIT_FAIL;
	return bad ? QJ_EXIT_INPUT : QJ_EXIT_OK;
}

const qj_command qj_cmd_validate = {
	"validate", "checks standards, client records and rosters against their schema and rules",
	"FILE...", "", 1, -1, options, examples, run};
