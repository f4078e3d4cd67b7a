/* card: profession cards of a professional standard (standards/NNN.xml)
 * through templates/profession-card.xml: one card (--card ID) or every card
 * of the standard (--all) into one PDF. The standard is checked against
 * standards/standard.rng and its rules before anything is drawn. */
#include <string.h>

#include "cli/args.h"
#include "cli/cmds.h"
#include "cli/render.h"
#include "sign/sign.h"
#include "kinds/standard.h"
#include "xml/xml.h"

/* Looks card id up among /standard/cards/card; when missing, reports it
 * with the ids there are. Returns 0 when found, -1 otherwise. */
static int find_card(qj_ctx *ctx, const char *file, xmlDocPtr doc, const char *id)
{
	xmlNodePtr cards = qj_xml_child(xmlDocGetRootElement(doc), "cards"), c;
	qj_buf ids;
	const char *cid;

	for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card"))
		if ((cid = qj_xml_attr(c, "id")) && !strcmp(cid, id))
			return 0;
	qj_buf_init(&ids, ctx);
	for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card")) {
		if (!(cid = qj_xml_attr(c, "id")))
			continue;
		if (ids.len)
			qj_buf_puts(&ids, ", ");
		qj_buf_puts(&ids, cid);
	}
	qj_error(ctx, file, 0, "no card '%s' (cards: %s)", id,
		 ids.len ? qj_buf_str(&ids) : "none");
	qj_buf_free(&ids);
	return -1;
}

/* Loads the standard, normalizes its text and checks it: schema, rules and
 * the card asked for. NULL after diagnostics. */
static xmlDocPtr load_standard(qj_ctx *ctx, const char *path, const char *card)
{
	xmlDocPtr doc = qj_data_load(ctx, path, "kk");
	char *rng;
	int bad;

	if (!doc)
		return NULL;
	rng = qj_standard_schema_path(ctx);
	bad = !rng || qj_standard_check(ctx, doc, rng) != 0;
	qj_free(ctx, rng);
	if (!bad && card && find_card(ctx, path, doc, card) < 0)
		bad = 1;
	if (bad) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int qj_cmd_card(qj_ctx *ctx, int argc, char **argv)
{
	qj_opt opts[] = {{"--output", "-o", 1, NULL}, {"--card", NULL, 1, NULL},
			 {"--all", NULL, 0, NULL},    {"--lang", NULL, 1, NULL},
			 {"--fonts", NULL, 1, NULL},  {"--template", NULL, 1, NULL},
			 {"--dump", NULL, 0, NULL},   {"--sign", NULL, 1, NULL},
			 {"--pass-file", NULL, 1, NULL}};
	const char *pos[1], *params[3], *lang;
	qj_signer *signer = NULL;
	int expired = 0;
	qj_render_opts ro;
	qj_render_env env;
	xmlDocPtr data;
	xmlChar *xl;
	int n, rc;

	n = qj_args_parse(ctx, "card", argc, argv, opts, 9, pos, 1);
	if (n != 1 || !opts[0].value || !opts[1].value == !opts[2].value) {
		if (n >= 0)
			qj_error(ctx, NULL, 0, "usage: qujat card STANDARD.xml (--card ID | --all) "
				 "-o OUT.pdf [--lang kk|ru|en] [--fonts DIR] [--template FILE] "
				 "[--sign KEY.p12 --pass-file FILE]");
		return QJ_EXIT_USAGE;
	}
	if (opts[3].value && qj_args_lang(ctx, "card", opts[3].value, "kk ru en") < 0)
		return QJ_EXIT_USAGE;
	rc = qj_render_signer(ctx, "card", opts[7].value, opts[8].value, &signer, &expired);
	if (rc)
		return rc;
	data = load_standard(ctx, pos[0], opts[1].value);
	memset(&ro, 0, sizeof ro);
	ro.signer = signer;
	ro.template_name = opts[5].value ? opts[5].value : "profession-card.xml";
	ro.fonts_dir = opts[4].value;
	ro.dump = opts[6].value != NULL;
	params[0] = "card";
	params[1] = opts[1].value ? opts[1].value : "";
	params[2] = NULL;
	ro.params = params;
	/* the template, labels and fonts are checked even when the standard is
	 * bad, so every problem is reported in one run */
	rc = qj_render_env_open(ctx, &env, &ro);
	if (rc < 0 || !data) {
		if (data)
			xmlFreeDoc(data);
		qj_render_env_close(ctx, &env);
		qj_signer_free(signer);
		return qj_ctx_oom(ctx) ? QJ_EXIT_FAIL : QJ_EXIT_INPUT;
	}
	/* labels in the standard's language unless --lang says otherwise */
	xl = xmlNodeGetLang(xmlDocGetRootElement(data));
	lang = opts[3].value ? opts[3].value : (const char *)xl;
	if (!lang || qj_args_lang(ctx, "card", lang, "kk ru en") < 0) {
		xmlFree(xl);
		xmlFreeDoc(data);
		qj_render_env_close(ctx, &env);
		qj_signer_free(signer);
		return QJ_EXIT_INPUT;
	}
	ro.lang = lang;
	rc = qj_render(ctx, &env, data, &ro, opts[0].value);
	xmlFree(xl);
	xmlFreeDoc(data);
	qj_render_env_close(ctx, &env);
	qj_signer_free(signer);
	return rc == QJ_EXIT_OK && expired ? QJ_SIGN_EXPIRED : rc;
}
