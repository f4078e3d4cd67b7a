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
	{"lang", 0, "LANG", "labels in kk, ru, en, kk+ru or ru+kk; default: the standard's xml:lang"},
	{"summary", 0, NULL, "the trainer's summary instead: a page per card counting abilities and knowledge"},
	{"fonts", 0, "DIR", "fonts directory (default: $QUJAT_FONTS, else fonts/ of the data directory)"},
	{"template", 0, "FILE", "another template: a name in templates/, or a path with '/'"},
	{"dump", 0, NULL, "print the display list to standard output"},
	{"sign", 0, "KEY.p12", "sign every PDF (PAdES B-B, a visible box on the last page) with this PKCS#12 key"},
	{"pass-file", 0, "FILE", "the key's password: the first line of FILE (never on the command line)"},
	QJ_CLI_OPT_PDFA,
	{NULL, 0, NULL, NULL}};

static const char *const examples[] = {
	"qujat handouts standards/002.xml --card 14 -o out/handout-002-14.pdf",
	"qujat handouts standards/002.xml --cards 13,14,15 --roster examples/roster.xml -o out/handouts/",
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

/* The standard's document becomes the handout's: a new root <handout>
 * (the standard's language, summary=) holding the course, the pack and
 * the standard itself. The standard keeps its nodes and source lines. */
static int wrap_standard(qj_ctx *ctx, pack *pk, const char *file, const char *list, int all,
			 int summary, xmlDocPtr roster)
{
	xmlNodePtr std = xmlDocGetRootElement(pk->doc), h, rr, prog, org;
	xmlChar *lang = xmlNodeGetLang(std), *title, *otext;

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
	/* the course: the roster's programme and organization */
	if (roster) {
		rr = xmlDocGetRootElement(roster);
		prog = qj_xml_child(rr, "programme");
		org = qj_xml_child(rr, "organization");
		title = prog ? xmlNodeGetContent(prog) : NULL;
		otext = org ? xmlNodeGetContent(org) : NULL;
		if ((rr = xmlNewTextChild(h, NULL, (const xmlChar *)"course", title))) {
			static const char *const at[] = {"hours", "from", "to"};
			size_t i;
			for (i = 0; prog && i < 3; i++)
				if (qj_xml_attr(prog, at[i]))
					xmlNewProp(rr, (const xmlChar *)at[i],
						   (const xmlChar *)qj_xml_attr(prog, at[i]));
			if (otext)
				xmlNewProp(rr, (const xmlChar *)"organization", otext);
		}
		xmlFree(title);
		xmlFree(otext);
	}
	if (build_pack(ctx, file, h, std, list, all) < 0)
		return -1;
	pk->before = h->last; /* <pack> */
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

/* The one step per trainee: trainee person's copy of the pack (a roster's
 * <person>; NULL: the pack without a trainee) rendered into out, whole or
 * not at all. The handout document is as before when it returns. This is
 * the function a batch driver calls per item. */
static qj_doc_status render_trainee(void *user, xmlNodePtr person, const char *out)
{
	pack *pk = user;
	xmlNodePtr t = person ? add_trainee(pk, person) : NULL;
	qj_doc_status st;
	if (person && !t)
		return QJ_DOC_FAILED;
	st = qj_batch_render(pk->b, pk->doc, out);
	drop_node(t);
	return st;
}

/* Every trainee of the roster in one document: out gets one PDF with a
 * cover and the cards of each, a bookmark per trainee and per card. */
static qj_doc_status render_all(pack *pk, xmlDocPtr roster, const char *out)
{
	xmlNodePtr p, t, first = NULL;
	qj_doc_status st = QJ_DOC_FAILED;
	for (p = qj_xml_child(xmlDocGetRootElement(roster), "person"); p; p = qj_xml_next(p, "person")) {
		if (!(t = add_trainee(pk, p)))
			goto done;
		if (!first)
			first = t;
	}
	st = qj_batch_render(pk->b, pk->doc, out);
done:
	/* the trainees go again: the document is as before */
	while (first && first != pk->before) {
		t = first->next;
		drop_node(first);
		first = t;
	}
	return st;
}

/* ---- one PDF per trainee ---- */

/* DIR/SERIAL.pdf for every person (the serial made safe for a file name,
 * as the certificates name theirs), into a NULL-terminated array of
 * malloc'd paths; two serials that make the same name are an error at the
 * second person. NULL after diagnostics. */
static char **trainee_paths(qj_ctx *ctx, xmlDocPtr roster, const char *dir, int *count)
{
	xmlNodePtr p, root = xmlDocGetRootElement(roster);
	char safe[QJ_SAFE_NAME_MAX + 8], name[QJ_SAFE_NAME_MAX + 16], path[PATH_MAX], **v;
	int n = 0, i, k = 0, bad = 0;

	for (p = qj_xml_child(root, "person"); p; p = qj_xml_next(p, "person"))
		n++;
	if (!(v = qj_calloc(ctx, (size_t)n + 1, sizeof *v)))
		return NULL;
	for (p = qj_xml_child(root, "person"); p; p = qj_xml_next(p, "person"), k++) {
		qj_cli_safe_name(qj_xml_attr(p, "serial"), "trainee", safe, sizeof safe);
		snprintf(name, sizeof name, "%s.pdf", safe);
		qj_cli_join(dir, name, path, sizeof path);
		for (i = 0; i < k; i++)
			if (v[i] && !strcmp(v[i], path))
				break;
		if (i < k) {
			qj_xml_error(ctx, p, "serial '%s' makes the file name '%s' that an earlier serial "
				     "makes too", qj_xml_attr(p, "serial"), name);
			bad++;
		}
		v[k] = qj_strdup(ctx, path);
	}
	*count = n;
	if (bad || qj_ctx_oom(ctx)) {
		for (i = 0; i < n; i++)
			qj_free(ctx, v[i]);
		qj_free(ctx, v);
		return NULL;
	}
	return v;
}

/* One PDF per trainee into dir, the paths printed as they are written;
 * stops at the first that fails. */
static qj_doc_status render_each(qj_ctx *ctx, pack *pk, xmlDocPtr roster, const char *dir)
{
	xmlNodePtr p;
	qj_doc_status st = QJ_DOC_OK;
	char **paths;
	int n = 0, k = 0, i;

	if (qj_cli_mkdirs(ctx, dir) < 0)
		return QJ_DOC_FAILED;
	if (!(paths = trainee_paths(ctx, roster, dir, &n)))
		return qj_ctx_oom(ctx) ? QJ_DOC_FAILED : QJ_DOC_BAD_INPUT;
	for (p = qj_xml_child(xmlDocGetRootElement(roster), "person"); p && st == QJ_DOC_OK;
	     p = qj_xml_next(p, "person"), k++)
		if ((st = render_trainee(pk, p, paths[k])) == QJ_DOC_OK)
			printf("%s\n", paths[k]);
	for (i = 0; i < n; i++)
		qj_free(ctx, paths[i]);
	qj_free(ctx, paths);
	return st;
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

/* The roster through the doc stage's roster kind (XML, .csv, .xlsx with
 * --course; schema and rules); the batch is opened for loading only.
 * QJ_DOC_OK with *roster set, else diagnostics. */
static qj_doc_status load_roster(qj_ctx *ctx, const qj_args *a, xmlDocPtr *roster)
{
	qj_batch_opts ro;
	qj_batch *rb;
	qj_doc_status st;
	memset(&ro, 0, sizeof ro);
	ro.kind = qj_doc_kind_lookup("roster");
	ro.template_name = qj_opt(a, "template") ? qj_opt(a, "template") : "handout.xml";
	ro.fonts_dir = qj_opt(a, "fonts");
	ro.course = qj_opt(a, "course");
	if (!(rb = qj_batch_open(ctx, &ro)))
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
	qj_batch_opts bo;
	qj_doc_status st;
	pack pk;

	memset(&bo, 0, sizeof bo);
	memset(&pk, 0, sizeof pk);
	bo.kind = qj_doc_kind_built("handout");
	if ((rc = check_usage(ctx, a)) || (rc = qj_cli_lang(ctx, a->cmd, bo.kind, qj_opt(a, "lang"))))
		return rc;
	each = qj_opt(a, "roster") && strcmp(o, "-") && qj_cli_is_dir(o);
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
	if (st == QJ_DOC_OK && qj_opt(a, "roster"))
		st = load_roster(ctx, a, &roster);
	if (st == QJ_DOC_OK)
		st = load_pack(ctx, a, &pk, roster);
	if (st == QJ_DOC_OK)
		st = each ? render_each(ctx, &pk, roster, o)
		     : roster ? render_all(&pk, roster, out) : render_trainee(&pk, NULL, out);
	if (pk.doc)
		xmlFreeDoc(pk.doc);
	if (roster)
		xmlFreeDoc(roster);
	qj_batch_free(pk.b);
	qj_signer_free(signer);
	if (st == QJ_DOC_OK && into_dir)
		printf("%s\n", out);
	return qj_cli_signed(qj_exit_code(st), expired);
}

const qj_command qj_cmd_handouts = {
	"handouts", "training handouts (self-assessment study sheets) from profession cards",
	"STANDARD.xml",
	"(--card ID | --cards ID,ID,... | --all) -o OUT.pdf|DIR/|- [--roster ROSTER] [options]", 1,
	1, options, examples, run};
