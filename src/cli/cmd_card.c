/* card: profession cards of a professional standard (standards/NNN.xml)
 * through templates/profession-card.xml: one card (--card ID) or every card
 * of the standard (--all) into one PDF. The standard is checked as
 * validate checks it before anything is drawn. */
#include <limits.h>
#include <string.h>

#include "cli/cmds.h"
#include "sign/sign.h"
#include "xml/xml.h"

static const qj_option options[] = {
	{"card", 0, "ID", "the card to print (qujat list shows the ids)"},
	{"all", 0, NULL, "every card of the standard, a bookmark each"},
	{"output", 'o', "FILE|DIR/|-",
	 "write FILE.pdf, DIR/STANDARD-ID.pdf (DIR made when missing), or - (standard output)"},
	{"lang", 0, "LANG", "labels in kk, ru, en or kk+ru; default: the standard's xml:lang"},
	QJ_CLI_OPT_FONTS,
	{"template", 0, "FILE", "another template (gets $card): a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display list to standard output"},
	QJ_CLI_OPT_SIGN,
	QJ_CLI_OPT_PDFA,
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat card standards/002.xml --card 13 -o out/card-002-13.pdf",
	"qujat card standards/003.xml --all -o out/cards/",
	"qujat card standards/001.xml --card=1 --lang=ru -o - > card-001-1-ru.pdf",
	NULL};

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

static int run(qj_ctx *ctx, const qj_args *a)
{
	qj_signer *signer = NULL;
	int expired = 0;
	const char *card = qj_opt(a, "card"), *params[] = {"card", card ? card : "", NULL};
	char out[PATH_MAX];
	qj_batch_opts bo;
	qj_batch *b;
	xmlDocPtr data;
	qj_doc_status st;
	int rc, into_dir;

	memset(&bo, 0, sizeof bo);
	bo.kind = qj_doc_kind_lookup("standard");
	if (!card == !qj_flag(a, "all"))
		return qj_opt_usage_error(ctx, a->cmd, "give one of --card ID and --all");
	if (!qj_opt(a, "output"))
		return qj_opt_usage_error(ctx, a->cmd, "-o is required");
	if (qj_flag(a, "dump") && !strcmp(qj_opt(a, "output"), "-"))
		return qj_opt_usage_error(ctx, a->cmd, "--dump and -o - both write to standard output");
	if ((rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))) ||
	    (rc = qj_cli_single_out(ctx, qj_opt(a, "output"), a->pos[0], card, out, sizeof out,
				    &into_dir)))
		return rc;
	bo.lang = qj_opt(a, "lang");
	bo.template_name = qj_opt(a, "template");
	bo.fonts_dir = qj_opt(a, "fonts");
	bo.params = params;
	bo.dump = qj_flag(a, "dump") ? stdout : NULL;
	/* the key once for the batch, before any work */
	if ((rc = qj_cli_signer(ctx, a, &signer, &expired)))
		return rc;
	bo.signer = signer;
	qj_cli_pdf_opts(a, &bo);
	if (!(b = qj_batch_open(ctx, &bo))) {
		qj_signer_free(signer);
		return QJ_EXIT_FAIL;
	}
	st = qj_batch_load(b, a->pos[0], &data);
	if (st == QJ_DOC_OK && card && find_card(ctx, a->pos[0], data, card) < 0)
		st = QJ_DOC_BAD_INPUT;
	if (st == QJ_DOC_OK)
		st = qj_batch_render(b, data, out);
	if (data)
		xmlFreeDoc(data);
	qj_batch_free(b);
	qj_signer_free(signer);
	if (st == QJ_DOC_OK && into_dir)
		printf("%s\n", out);
	return qj_cli_signed(qj_exit_code(st), expired);
}

const qj_command qj_cmd_card = {
	"card", "profession cards of a professional standard, one or all, into one PDF",
	"STANDARD.xml", "(--card ID | --all) -o OUT.pdf|DIR/|- [options]", 1, 1, options,
	examples, run};
