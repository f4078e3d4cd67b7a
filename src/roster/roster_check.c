/* roster_check: the rules of a certificate roster that its schema
 * (templates/certificate.rng) cannot say. Every problem is reported at the
 * element it is about and checking goes on, so a secretary sees all of them
 * in one run; nothing assumes the schema step passed. */
#include "roster/roster.h"

#include <libxml/hash.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "xml/xml.h"

#define NO_DATE LONG_MIN

typedef struct checker {
	qj_ctx *ctx;
	int before; /* errors in the context before this roster */
} checker;

static int errors(const checker *ck)
{
	return qj_diag_errors(ck->ctx) - ck->before;
}

static int over_limit(const checker *ck)
{
	return errors(ck) >= qj_ctx_limits(ck->ctx)->max_errors;
}

/* ---------- values ---------- */

/* s is absent, empty, or only white space and invisible characters. */
static int blank(const char *s)
{
	size_t len = s ? strlen(s) : 0, k;
	uint32_t c;
	while (len) {
		k = qj_utf8_decode(s, len, &c);
		if (!qj_text_is_blank(c))
			return 0;
		s += k;
		len -= k;
	}
	return 1;
}

/* The own text of an element (its text children, not its attributes) is
 * blank. */
static int blank_content(const xmlNode *n)
{
	const xmlNode *c;
	for (c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    !blank((const char *)c->content))
			return 0;
	return 1;
}

/* Hours: digits only, 1 to QJ_ROSTER_MAX_HOURS. what names the owner in the
 * message ("<programme>", "person 'S'"). */
static void check_hours(checker *ck, const xmlNode *n, const char *what)
{
	const char *h = qj_xml_attr(n, "hours"), *p;
	long v = 0;
	if (!h)
		return;
	for (p = h; *p >= '0' && *p <= '9' && v <= QJ_ROSTER_MAX_HOURS; p++)
		v = v * 10 + (*p - '0');
	if (p == h || *p || v < 1 || v > QJ_ROSTER_MAX_HOURS)
		qj_xml_error(ck->ctx, n,
			     "hours '%s' of %s are not a whole number from 1 to %d",
			     h, what, QJ_ROSTER_MAX_HOURS);
}

/* A date attribute: its day number; NO_DATE when absent or not a calendar
 * date (that one reported). */
static long date_attr(checker *ck, const xmlNode *n, const char *name)
{
	const char *s = qj_xml_attr(n, name);
	int y, m, d;
	if (!s)
		return NO_DATE;
	if (qj_text_parse_iso_date(s, &y, &m, &d) < 0) {
		qj_xml_error(ck->ctx, n, "invalid date '%s' in attribute '%s'", s, name);
		return NO_DATE;
	}
	return qj_text_day_number(y, m, d);
}

/* ---------- parts ---------- */

/* The elements name of root given per language (xml:lang): none blank
 * (what says what the message is), at most one per language and one
 * without xml:lang. */
static void check_langs(checker *ck, const xmlNode *root, const char *name,
			const char *what)
{
	const xmlNode *first[4] = {0}; /* kk, ru, en, none */
	static const char *const langs[] = {"kk", "ru", "en"};
	xmlNodePtr n;
	for (n = qj_xml_child(root, name); n && !over_limit(ck); n = qj_xml_next(n, name)) {
		xmlChar *l = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
		int k = l ? -1 : 3, i; /* -1: a language the schema refuses */
		for (i = 0; l && i < 3; i++)
			if (!strcmp((const char *)l, langs[i]))
				k = i;
		if (blank_content(n))
			qj_xml_error(ck->ctx, n, "<%s%s%s%s> %s", name, l ? " xml:lang=\"" : "",
				     l ? (const char *)l : "", l ? "\"" : "", what);
		if (k >= 0 && first[k])
			qj_xml_error(ck->ctx, n, "a second <%s>%s%s (first at line %d)", name,
				     l ? " in " : " without xml:lang", l ? (const char *)l : "",
				     qj_xml_line(first[k]));
		else if (k >= 0)
			first[k] = n;
		xmlFree(l);
	}
}

/* The emblem's file can be read: relative to the data file, as the
 * template's q:path finds it. Said here, once, at the <emblem>: the
 * template would say it for every person, at its own line. */
static void check_emblem(checker *ck, const xmlNode *root)
{
	const xmlNode *e = qj_xml_child(root, "emblem");
	const char *src = qj_xml_attr(e, "src"), *url = root->doc ? (const char *)root->doc->URL : NULL;
	char path[PATH_MAX];
	if (!src || !*src)
		return;
	qj_xml_rel_path(url, src, path, sizeof path);
	if (access(path, R_OK) != 0)
		qj_xml_error(ck->ctx, e, "the emblem %s: cannot open: %s", path, strerror(errno));
}

/* The organization and the programme: texts, hours, the dates in order. */
static void check_header(checker *ck, const xmlNode *root)
{
	const xmlNode *org = qj_xml_child(root, "organization");
	const xmlNode *prog = qj_xml_child(root, "programme");
	long issued = date_attr(ck, root, "issued"), from, to;

	if (!org)
		qj_xml_error(ck->ctx, root, "<organization> is empty");
	check_langs(ck, root, "organization", "is empty");
	if (!prog) {
		qj_xml_error(ck->ctx, root, "<programme> has no title");
		return;
	}
	check_langs(ck, root, "programme", "has no title");
	check_langs(ck, root, "city", "is empty");
	check_hours(ck, prog, "<programme>");
	check_emblem(ck, root);
	from = date_attr(ck, prog, "from");
	to = date_attr(ck, prog, "to");
	if (from != NO_DATE && to != NO_DATE && to < from)
		qj_xml_error(ck->ctx, prog, "programme ends %s, before it begins %s",
			     qj_xml_attr(prog, "to"), qj_xml_attr(prog, "from"));
	if (issued != NO_DATE && from != NO_DATE && issued < from)
		qj_xml_error(ck->ctx, root,
			     "%s is issued %s, before the programme begins %s",
			     (const char *)root->name, qj_xml_attr(root, "issued"),
			     qj_xml_attr(prog, "from"));
}

static void check_signers(checker *ck, const xmlNode *root)
{
	xmlNodePtr s;
	for (s = qj_xml_child(root, "signer"); s && !over_limit(ck);
	     s = qj_xml_next(s, "signer"))
		if (blank(qj_xml_attr(s, "name")))
			qj_xml_error(ck->ctx, s, "signer '%s' has an empty name",
				     qj_xml_attr(s, "role") ? qj_xml_attr(s, "role") : "");
}

/* Persons: serials present and unique, names not blank, own hours sane. */
static void check_persons(checker *ck, const xmlNode *root)
{
	xmlHashTablePtr seen = xmlHashCreate(64);
	xmlNodePtr p;
	char what[256];

	if (!seen) {
		qj_xml_error(ck->ctx, root, "out of memory checking the roster");
		return;
	}
	for (p = qj_xml_child(root, "person"); p && !over_limit(ck);
	     p = qj_xml_next(p, "person")) {
		const char *serial = qj_xml_attr(p, "serial");
		const xmlNode *first;
		if (blank(serial)) {
			qj_xml_error(ck->ctx, p, "a person with an empty serial");
			serial = NULL;
		} else if ((first = xmlHashLookup(seen, (const xmlChar *)serial))) {
			qj_xml_error(ck->ctx, p,
				     "duplicate person serial '%s' (first used at line %d)",
				     serial, qj_xml_line(first));
		} else if (xmlHashAddEntry(seen, (const xmlChar *)serial, p) != 0) {
			qj_xml_error(ck->ctx, p, "out of memory checking the roster");
		}
		if (blank(qj_xml_attr(p, "name")))
			qj_xml_error(ck->ctx, p, "person '%s' has an empty name",
				     serial ? serial : "");
		snprintf(what, sizeof what, "person '%s'", serial ? serial : "");
		check_hours(ck, p, what);
	}
	xmlHashFree(seen, NULL);
}

/* ---------- entry point ---------- */

int qj_roster_check(qj_ctx *ctx, xmlDocPtr doc)
{
	checker ck = {ctx, qj_diag_errors(ctx)};
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (!root || strcmp((const char *)root->name, "roster")) {
		qj_xml_error(ctx, root, "not a roster (the root element is <%s>)",
			     root ? (const char *)root->name : "");
		return 1;
	}
	check_header(&ck, root);
	check_signers(&ck, root);
	check_persons(&ck, root);
	if (over_limit(&ck))
		qj_xml_error(ctx, root, "too many errors (%d); the rest was not checked",
			     errors(&ck));
	return errors(&ck);
}

int qj_roster_check_course(qj_ctx *ctx, xmlDocPtr doc)
{
	checker ck = {ctx, qj_diag_errors(ctx)};
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root)
		return 0;
	check_header(&ck, root);
	check_signers(&ck, root);
	return errors(&ck);
}
