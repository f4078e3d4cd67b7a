/* handouts: training handouts from the profession cards of a standard,
 * through templates/handout.xml: study sheets with self-assessment
 * checklists for a pack of cards (--card, --cards, --all), once, or one
 * personalized copy per trainee of a roster (--roster), into one PDF or one
 * PDF per trainee; --summary prints the trainer's counts instead. The data
 * the template sees is a <handout> built here around the loaded standard
 * (templates/handout.xml says its shape): the standard and the roster are
 * each loaded and checked as their own kinds first. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "batch/batch.h"
#include "cli/cmds.h"
#include "sheet/sheet.h"
#include "sign/sign.h"
#include "xml/xml.h"

static const qj_option options[] = {
	{"card", 0, "ID", "one card (qujat list shows the ids)"},
	{"cards", 0, "ID,ID,...", "the cards of the course, in this order"},
	{"all", 0, NULL, "every card of the standard"},
	{"roster", 0, "ROSTER", "one personalized copy per trainee of ROSTER.xml, .csv or .xlsx"},
	{"course", 0, "COURSE.xml", "the course-wide fields of a .csv or .xlsx roster"},
	{"output", 'o', "FILE|DIR/|-",
	 "write FILE.pdf, or into DIR (one PDF per trainee with --roster), or - (standard output)"},
	QJ_CLI_OPT_BATCH,
	{"lang", 0, "LANG", "labels in kk, ru, en, kk+ru or ru+kk; default: the standard's xml:lang"},
	{"summary", 0, NULL, "the trainer's summary instead: a page per card counting abilities and knowledge"},
	QJ_CLI_OPT_FONTS,
	{"template", 0, "FILE", "another template: a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display list to standard output"},
	QJ_CLI_OPT_SIGN,
	QJ_CLI_OPT_PDFA,
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat handouts standards/002.xml --card 14 -o out/handout-002-14.pdf",
	"qujat handouts standards/002.xml --cards 13,14,15 --roster examples/roster.xml -o out/handouts/",
	"qujat handouts standards/002.xml --cards 13,14 --roster examples/roster.xml -o out/handouts/ --jobs 2 --manifest out/handouts.csv",
	"qujat handouts standards/002.xml --card 14 --roster examples/roster.xml -o out/handouts/ --only ҚЖ-2026-0003 --force",
	"qujat handouts standards/001.xml --all --lang kk+ru --roster examples/roster.csv --course examples/course.xml -o out/pack.pdf",
	"qujat handouts standards/003.xml --cards 2,3 --summary -o out/trainer.pdf",
	NULL};

/* What every trainee's copy shares: the batch (template, labels, fonts,
 * signer) and the <handout> document, whose <trainee> elements are put
 * in before a render and taken out after. */
typedef struct pack {
	qj_batch *b;
	xmlDocPtr doc;      /* <handout>: course, trainees, pack, standard */
	xmlNodePtr root;
	xmlNodePtr before;  /* trainees go before this node (<pack>) */
	int course;         /* the <course> is in */
} pack;

/* ---- the cards of the pack ---- */

/* The ids of the standard's cards, comma-separated, into buf. */
static void card_ids(qj_ctx *ctx, xmlNodePtr cards, qj_buf *buf)
{
	xmlNodePtr c;
	const char *id;
	(void)ctx;
	for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card")) {
		if (!(id = qj_xml_attr(c, "id")))
			continue;
		if (buf->len)
			qj_buf_puts(buf, ", ");
		qj_buf_puts(buf, id);
	}
}

static xmlNodePtr card_named(xmlNodePtr cards, const char *id, size_t len)
{
	xmlNodePtr c;
	const char *cid;
	for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card"))
		if ((cid = qj_xml_attr(c, "id")) && strlen(cid) == len && !strncmp(cid, id, len))
			return c;
	return NULL;
}

/* <pack> with a <card ref=…/> per card of --card, --cards or --all, in
 * that order, appended to root. An unknown id, an id given twice or no id
 * at all is reported at the standard (every one); returns 0 or -1. */
static int build_pack(qj_ctx *ctx, const char *file, xmlNodePtr root, xmlNodePtr std,
		      const char *list, int all)
{
	xmlNodePtr cards = qj_xml_child(std, "cards"), p, c;
	const char *s = list;
	int bad = 0, n = 0;
	qj_buf ids;

	p = xmlNewChild(root, NULL, (const xmlChar *)"pack", NULL);
	qj_buf_init(&ids, ctx);
	card_ids(ctx, cards, &ids);
	if (!p)
		return -1;
	for (c = all ? qj_xml_child(cards, "card") : NULL; c; c = qj_xml_next(c, "card"))
		if (qj_xml_attr(c, "id") && xmlNewChild(p, NULL, (const xmlChar *)"card", NULL) &&
		    xmlNewProp(p->last, (const xmlChar *)"ref", (const xmlChar *)qj_xml_attr(c, "id")))
			n++;
	while (!all && s && *s) {
		size_t len;
		xmlNodePtr q;
		char id[64];
		s += strspn(s, ", ");
		len = strcspn(s, ",");
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (!len)
			break;
		snprintf(id, sizeof id, "%.*s", (int)(len < 60 ? len : 60), s);
		if (!card_named(cards, s, len)) {
			qj_error(ctx, file, 0, "no card '%s' (cards: %s)", id, ids.len ? qj_buf_str(&ids) : "none");
			bad++;
		} else {
			for (q = p->children; q; q = q->next)
				if (!strcmp(qj_xml_attr(q, "ref"), id))
					break;
			if (q) {
				qj_error(ctx, file, 0, "card '%s' is named twice in --cards", id);
				bad++;
			} else if (xmlNewChild(p, NULL, (const xmlChar *)"card", NULL))
				xmlNewProp(p->last, (const xmlChar *)"ref", (const xmlChar *)id), n++;
		}
		s += strcspn(s, ",");
	}
	if (!bad && !n)
		qj_error(ctx, file, 0, "no cards to print: %s (cards: %s)",
			 all ? "the standard has none" : "--cards names none", ids.len ? qj_buf_str(&ids) : "none");
	qj_buf_free(&ids);
	return bad || !n || qj_ctx_oom(ctx) ? -1 : 0;
}

/* ---- the <handout> document ---- */

/* The course of a roster (root rr, or a stream's header): its programme
 * and organization as a <course>, put in before <pack>, once. */
static void add_course(pack *pk, xmlNodePtr rr)
{
	xmlNodePtr prog = qj_xml_child(rr, "programme"), org = qj_xml_child(rr, "organization"), c;
	xmlChar *title = prog ? xmlNodeGetContent(prog) : NULL;
	xmlChar *otext = org ? xmlNodeGetContent(org) : NULL;

	if (pk->course)
		return;
	pk->course = 1;
	if ((c = xmlNewDocNode(pk->doc, NULL, (const xmlChar *)"course", NULL))) {
		static const char *const at[] = {"hours", "from", "to"};
		size_t i;
		if (title)
			xmlNodeAddContent(c, title);
		for (i = 0; prog && i < 3; i++)
			if (qj_xml_attr(prog, at[i]))
				xmlNewProp(c, (const xmlChar *)at[i], (const xmlChar *)qj_xml_attr(prog, at[i]));
		if (otext)
			xmlNewProp(c, (const xmlChar *)"organization", otext);
		xmlAddPrevSibling(pk->before, c);
	}
	xmlFree(title);
	xmlFree(otext);
}

/* The standard's document becomes the handout's: a new root <handout>
 * (the standard's language, summary=) holding the course, the pack and
 * the standard itself. The standard keeps its nodes and source lines. */
static int wrap_standard(qj_ctx *ctx, pack *pk, const char *file, const char *list, int all,
			 int summary, xmlDocPtr roster)
{
	xmlNodePtr std = xmlDocGetRootElement(pk->doc), h;
	xmlChar *lang = xmlNodeGetLang(std);

	h = xmlNewDocNode(pk->doc, NULL, (const xmlChar *)"handout", NULL);
	if (!h) {
		xmlFree(lang);
		return -1;
	}
	xmlDocSetRootElement(pk->doc, h);
	xmlAddChild(h, std);
	pk->root = h;
	xmlNodeSetLang(h, lang ? lang : (const xmlChar *)"kk");
	xmlFree(lang);
	xmlNewProp(h, (const xmlChar *)"summary", (const xmlChar *)(summary ? "true" : "false"));
	if (build_pack(ctx, file, h, std, list, all) < 0)
		return -1;
	pk->before = h->last; /* <pack> */
	if (roster)
		add_course(pk, xmlDocGetRootElement(roster));
	return qj_ctx_oom(ctx) ? -1 : 0;
}

/* A <trainee> for a roster's <person>, put in before <pack>. */
static xmlNodePtr add_trainee(pack *pk, xmlNodePtr person)
{
	static const char *const at[] = {"serial", "name", "position", "organization", "sex"};
	xmlNodePtr t = xmlNewDocNode(pk->doc, NULL, (const xmlChar *)"trainee", NULL);
	size_t i;
	if (!t)
		return NULL;
	for (i = 0; i < sizeof at / sizeof *at; i++)
		if (qj_xml_attr(person, at[i]))
			xmlNewProp(t, (const xmlChar *)at[i], (const xmlChar *)qj_xml_attr(person, at[i]));
	xmlAddPrevSibling(pk->before, t);
	return t;
}

static void drop_node(xmlNodePtr n)
{
	if (n) {
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
}

/* The one step per trainee, the batch driver's render hook: the trainee
 * of item it (a roster's <person>, its stream's header the course) gets
 * its copy of the pack rendered into out, whole or not at all, with stamp
 * recorded for resuming. The handout document is as before when it
 * returns, but for the course, put in at the first trainee. */
static qj_doc_status render_trainee(void *user, const qj_item *it, const char *out,
				    const char *stamp, int *pages)
{
	pack *pk = user;
	xmlNodePtr t;
	qj_doc_status st;
	add_course(pk, xmlDocGetRootElement(it->doc));
	if (!(t = add_trainee(pk, it->node)))
		return QJ_DOC_FAILED;
	st = qj_batch_render_item(pk->b, pk->doc, out, stamp, pages);
	drop_node(t);
	return st;
}

/* Every trainee of the roster into one PDF at out: a cover and the cards
 * of each, a bookmark per trainee and per card. Each trainee's copy is a
 * document of its own added to the combined PDF as it is laid out (the
 * certificates' combined form), so its pages read N / M of that copy, as
 * they do in the copy's own file, and only one copy is held at a time. */
static qj_doc_status render_all(pack *pk, xmlDocPtr roster, const char *out)
{
	xmlNodePtr p, t;
	qj_doc_status st = QJ_DOC_OK;
	for (p = qj_xml_child(xmlDocGetRootElement(roster), "person"); p && st == QJ_DOC_OK;
	     p = qj_xml_next(p, "person")) {
		if (!(t = add_trainee(pk, p)))
			st = QJ_DOC_FAILED;
		else
			st = qj_batch_combine(pk->b, pk->doc, NULL);
		drop_node(t);
	}
	/* a failed one leaves the combined PDF to qj_batch_free */
	return st == QJ_DOC_OK ? qj_batch_combined_write(pk->b, out) : st;
}

/* ---- one PDF per trainee ---- */

/* What a trainee's file depends on besides its person and the roster
 * batch: the handout batch (template, labels, fonts, signer, PDF/A) and
 * the whole handout document (the standard and the pack), as
 * "handout:HEX" into buf for the driver's fingerprints. */
static void pack_stamp(pack *pk, char *buf, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	xmlChar *t = NULL;
	int tlen = 0;
	const char *fp = qj_batch_fingerprint(pk->b);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	size_t w;

	snprintf(buf, n, "handout:");
	if (!m)
		return;
	EVP_DigestInit_ex(m, EVP_sha256(), NULL);
	EVP_DigestUpdate(m, fp, strlen(fp) + 1);
	xmlDocDumpMemory(pk->doc, &t, &tlen);
	if (t)
		EVP_DigestUpdate(m, t, (size_t)tlen);
	xmlFree(t);
	EVP_DigestFinal_ex(m, md, &len);
	EVP_MD_CTX_free(m);
	for (i = 0, w = strlen(buf); i < len && w + 3 <= n; i++, w += 2)
		snprintf(buf + w, 3, "%02x", md[i]);
}

/* Every trainee of the roster through the batch driver (src/batch), as
 * the certificates are: one PDF each into dir, streamed, resumable, in
 * worker processes, sharded, with a manifest; the roster's persons are
 * read and checked by rb (the roster kind). A trainee with an error is
 * reported and skipped. The exit code. */
static int render_each(qj_ctx *ctx, const qj_args *a, pack *pk, qj_batch *rb, qj_run_opts *ro,
		       const char *dir)
{
	char extra[96];
	pack_stamp(pk, extra, sizeof extra);
	ro->batch = rb;
	ro->input = qj_opt(a, "roster");
	ro->out = dir;
	ro->stamp_extra = extra;
	ro->render = render_trainee;
	ro->user = pk;
	return qj_cli_run_exit(qj_run(ctx, ro, NULL));
}

/* ---- the command ---- */

/* The usage errors; 0 or the usage exit code. */
static int check_usage(qj_ctx *ctx, const qj_args *a)
{
	int picks = !!qj_opt(a, "card") + !!qj_opt(a, "cards") + qj_flag(a, "all");
	const char *out = qj_opt(a, "output");
	if (picks != 1)
		return qj_opt_usage_error(ctx, a->cmd, "give one of --card ID, --cards ID,ID,... and --all");
	if (!out)
		return qj_opt_usage_error(ctx, a->cmd, "-o is required");
	if (qj_flag(a, "dump") && !strcmp(out, "-"))
		return qj_opt_usage_error(ctx, a->cmd, "--dump and -o - both write to standard output");
	if (qj_flag(a, "summary") && qj_opt(a, "roster"))
		return qj_opt_usage_error(ctx, a->cmd, "--summary is the trainer's, not with --roster");
	if (qj_opt(a, "course") && !(qj_opt(a, "roster") && qj_sheet_is_spreadsheet(qj_opt(a, "roster"))))
		return qj_opt_usage_error(ctx, a->cmd, "--course goes with a .csv or .xlsx --roster");
	return 0;
}

/* The batch rows that only a copy per trainee takes (a combined PDF is one
 * render); 0 or the usage exit code. */
static int check_batch_usage(qj_ctx *ctx, const qj_args *a, int each)
{
	static const char *const rows[] = {"only", "shard", "shard-index", "jobs", "force", "manifest", NULL};
	size_t i;
	for (i = 0; !each && rows[i]; i++)
		if (qj_opt(a, rows[i]))
			return qj_opt_usage_error(ctx, a->cmd, "--%s goes with --roster and -o DIR/", rows[i]);
	return 0;
}

/* The batch that reads and checks the roster as the doc stage's roster
 * kind (XML, .csv, .xlsx with --course; schema and rules); it renders
 * nothing. NULL after a diagnostic. */
static qj_batch *roster_batch(qj_ctx *ctx, const qj_args *a)
{
	qj_batch_opts ro;
	memset(&ro, 0, sizeof ro);
	ro.kind = qj_doc_kind_lookup("roster");
	ro.template_name = qj_opt(a, "template") ? qj_opt(a, "template") : "handout.xml";
	ro.fonts_dir = qj_opt(a, "fonts");
	ro.course = qj_opt(a, "course");
	return qj_batch_open(ctx, &ro);
}

/* The whole roster, for one combined PDF. QJ_DOC_OK with *roster set,
 * else diagnostics. */
static qj_doc_status load_roster(qj_ctx *ctx, const qj_args *a, xmlDocPtr *roster)
{
	qj_batch *rb = roster_batch(ctx, a);
	qj_doc_status st;
	if (!rb)
		return QJ_DOC_FAILED;
	st = qj_batch_load(rb, qj_opt(a, "roster"), roster);
	qj_batch_free(rb);
	return st;
}

/* Loads and checks the standard, builds the handout around it. */
static qj_doc_status load_pack(qj_ctx *ctx, const qj_args *a, pack *pk, xmlDocPtr roster)
{
	const qj_doc_kind *sk = qj_doc_kind_lookup("standard");
	const char *file = a->pos[0];
	int n;
	if (!(pk->doc = qj_doc_load(ctx, sk, file, NULL)))
		return qj_ctx_oom(ctx) ? QJ_DOC_FAILED : QJ_DOC_BAD_INPUT;
	if ((n = qj_doc_check(ctx, sk, pk->doc, NULL, NULL)) != 0)
		return n < 0 || qj_ctx_oom(ctx) ? QJ_DOC_FAILED : QJ_DOC_BAD_INPUT;
	if (wrap_standard(ctx, pk, file, qj_opt(a, "card") ? qj_opt(a, "card") : qj_opt(a, "cards"),
			  qj_flag(a, "all"), qj_flag(a, "summary"), roster) < 0)
		return qj_ctx_oom(ctx) ? QJ_DOC_FAILED : QJ_DOC_BAD_INPUT;
	return QJ_DOC_OK;
}

static int run(qj_ctx *ctx, const qj_args *a)
{
	const char *o = qj_opt(a, "output"), *card = qj_opt(a, "card");
	qj_signer *signer = NULL;
	xmlDocPtr roster = NULL;
	char out[PATH_MAX], suffix[96];
	int rc, expired = 0, into_dir = 0, each;
	qj_batch *rb = NULL;
	qj_run_opts ro;
	qj_batch_opts bo;
	qj_doc_status st;
	pack pk;

	memset(&bo, 0, sizeof bo);
	memset(&pk, 0, sizeof pk);
	memset(&ro, 0, sizeof ro);
	bo.kind = qj_doc_kind_built("handout");
	if ((rc = check_usage(ctx, a)))
		return rc;
	each = qj_opt(a, "roster") && strcmp(o, "-") && qj_cli_is_dir(o);
	if ((rc = check_batch_usage(ctx, a, each)) || (rc = qj_cli_run_opts(ctx, a, each, &ro)) ||
	    (rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))))
		return rc;
	/* DIR/STANDARD-handout-ID.pdf, -handouts.pdf or -summary.pdf: never
	 * the name qujat card gives a card */
	snprintf(suffix, sizeof suffix, "%s%s", qj_flag(a, "summary") ? "summary" : card ? "handout-" : "handouts",
		 card && !qj_flag(a, "summary") ? card : "");
	if (!each && (rc = qj_cli_single_out(ctx, o, a->pos[0], suffix, out, sizeof out, &into_dir)))
		return rc;
	bo.lang = qj_opt(a, "lang");
	bo.template_name = qj_opt(a, "template");
	bo.fonts_dir = qj_opt(a, "fonts");
	bo.dump = qj_flag(a, "dump") ? stdout : NULL;
	/* the key once for the run, before any work */
	if ((rc = qj_cli_signer(ctx, a, &signer, &expired)))
		return rc;
	bo.signer = signer;
	qj_cli_pdf_opts(a, &bo);
	if (!(pk.b = qj_batch_open(ctx, &bo))) {
		qj_signer_free(signer);
		return QJ_EXIT_FAIL;
	}
	/* the inputs, each checked as its kind; then the pack around the standard */
	st = qj_batch_status(pk.b);
	if (st == QJ_DOC_OK && each && !(rb = roster_batch(ctx, a)))
		st = QJ_DOC_FAILED;
	if (st == QJ_DOC_OK && rb)
		st = qj_batch_status(rb);
	if (st == QJ_DOC_OK && qj_opt(a, "roster") && !each)
		st = load_roster(ctx, a, &roster);
	if (st == QJ_DOC_OK)
		st = load_pack(ctx, a, &pk, roster);
	if (st == QJ_DOC_OK && each)
		rc = qj_cli_dir_out(ctx, o, out, sizeof out) < 0 ? QJ_EXIT_FAIL
								 : render_each(ctx, a, &pk, rb, &ro, out);
	else if (st == QJ_DOC_OK)
		st = roster ? render_all(&pk, roster, out) : qj_batch_render(pk.b, pk.doc, out);
	if (!each || st != QJ_DOC_OK)
		rc = qj_exit_code(st);
	if (pk.doc)
		xmlFreeDoc(pk.doc);
	if (roster)
		xmlFreeDoc(roster);
	qj_batch_free(rb);
	qj_batch_free(pk.b);
	qj_signer_free(signer);
	if (st == QJ_DOC_OK && into_dir)
		printf("%s\n", out);
	return qj_cli_signed(rc, expired);
}

const qj_command qj_cmd_handouts = {
	"handouts", "training handouts (self-assessment study sheets) from profession cards",
	"STANDARD.xml",
	"(--card ID | --cards ID,ID,... | --all) -o OUT.pdf|DIR/|- [--roster ROSTER] [options]", 1,
	1, options, examples, run};
