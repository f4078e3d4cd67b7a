/* record_check: semantic validation of client records. After the RELAX NG
 * schema has fixed the shape, each section of the record is checked in
 * document order: codes against the catalog, ids unique, references
 * resolved, dates against the plan period and today. Every problem found is
 * reported; the message texts are documented in records/README.md. */
#include "record/record.h"

#include <libxml/hash.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "text/text.h"
#include "tmpl/tmpl.h"
#include "xml/xml.h"

#define NO_DATE LONG_MIN
/* Monitoring is monthly; a gap longer than this is worth a warning. */
#define MONITOR_GAP_DAYS 45

/* A person the record can refer to: the worker, the head of unit, a
 * specialist or a family member. */
typedef struct person {
	const char *kind; /* "worker", "head", "specialist", "member" */
	const xmlNode *node;
	const char *birth; /* members only */
} person;

typedef struct checker {
	qj_ctx *ctx;
	qj_arena *arena;
	const qj_catalog *codes;  /* code lists, e.g. "ground.orphanhood" */
	xmlHashTablePtr persons;  /* id -> person */
	xmlHashTablePtr goals;    /* id -> goal node */
	xmlHashTablePtr measures; /* id -> measure node */
	xmlHashTablePtr used_goals;
	const xmlNode *root, *plan;
	const char *today_s, *opened_s, *from_s, *to_s, *closed_s;
	long today, opened, from, to, closed;
	const xmlNode *partner_measure; /* first measure with a partner */
	int before; /* errors in the context before this record */
} checker;

/* True once this record has as many errors as the context allows; the
 * loops stop and the entry point says so once. */
static int over_limit(const checker *ck)
{
	return qj_diag_errors(ck->ctx) - ck->before >= qj_ctx_limits(ck->ctx)->max_errors;
}

/* ---------- dates ---------- */

/* Day number of a date (days since 1970-01-01), NO_DATE when it is not a
 * calendar date written YYYY-MM-DD. */
static long day_number(const char *s)
{
	int y, m, d;
	if (qj_text_parse_iso_date(s, &y, &m, &d) < 0)
		return NO_DATE;
	return qj_text_day_number(y, m, d);
}

/* Full years between birth and on (both valid dates). */
static int age_on(const char *birth, const char *on)
{
	int by, bm, bd, y, m, d, age;
	if (qj_text_parse_iso_date(birth, &by, &bm, &bd) < 0 ||
	    qj_text_parse_iso_date(on, &y, &m, &d) < 0)
		return -1;
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

/* A date attribute: its day number, or NO_DATE when absent or invalid (an
 * invalid one is reported). */
static long date_attr(checker *ck, const xmlNode *n, const char *name)
{
	const char *s = qj_xml_attr(n, name);
	long day;
	if (!s)
		return NO_DATE;
	day = day_number(s);
	if (day == NO_DATE)
		qj_xml_error(ck->ctx, n, "invalid date '%s' in attribute '%s'", s, name);
	return day;
}

char *qj_record_today(qj_ctx *ctx, char *buf, size_t n)
{
	const char *env = getenv("QUJAT_TODAY");
	time_t now;
	struct tm tm;
	if (env) {
		/* set but wrong is an error, never the clock in its place */
		if (day_number(env) == NO_DATE || strlen(env) != 10) {
			qj_error(ctx, "QUJAT_TODAY", 0, "'%s' is not a date (YYYY-MM-DD)", env);
			return NULL;
		}
		snprintf(buf, n, "%s", env);
		return buf;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
	return buf;
}

static int has_code(checker *ck, const char *list, const char *code)
{
	return qj_catalog_has_code(ck->codes, list, code);
}

/* ---------- lookups ---------- */

static const person *find_person(checker *ck, const char *id)
{
	return id ? xmlHashLookup(ck->persons, (const xmlChar *)id) : NULL;
}

static void add_person(checker *ck, const xmlNode *n, const char *kind)
{
	const char *id = qj_xml_attr(n, "id");
	const person *old = find_person(ck, id);
	person *p;
	if (!id)
		return;
	if (old) {
		int members = !strcmp(kind, "member") && !strcmp(old->kind, "member");
		qj_xml_error(ck->ctx, n, "duplicate %s id '%s' (first used at line %d)",
			     members ? "member" : "person", id, qj_xml_line(old->node));
		return;
	}
	p = qj_arena_alloc(ck->arena, sizeof *p);
	if (!p)
		return;
	p->kind = kind;
	p->node = n;
	p->birth = qj_xml_attr(n, "birth");
	xmlHashAddEntry(ck->persons, (const xmlChar *)id, p);
}

/* Adds n under its id to table; reports a duplicate of what (goal,
 * measure). */
static void add_unique(checker *ck, xmlHashTablePtr table, const xmlNode *n,
		       const char *what)
{
	const char *id = qj_xml_attr(n, "id");
	const xmlNode *old;
	if (!id)
		return;
	old = xmlHashLookup(table, (const xmlChar *)id);
	if (old) {
		qj_xml_error(ck->ctx, n, "duplicate %s id '%s' (first used at line %d)",
			     what, id, qj_xml_line(old));
		return;
	}
	xmlHashAddEntry(table, (const xmlChar *)id, (void *)n);
}

/* The person an attribute names must exist; reports "<what> names unknown
 * person 'x'". Returns the person or NULL. */
static const person *person_ref(checker *ck, const xmlNode *n,
				const char *attr, const char *what)
{
	const char *id = qj_xml_attr(n, attr);
	const person *p;
	if (!id)
		return NULL;
	p = find_person(ck, id);
	if (!p)
		qj_xml_error(ck->ctx, n, "%s names unknown person '%s'", what, id);
	return p;
}

/* ---------- sections ---------- */

/* Plan header: dates of the period and reviews, the staff. */
static void check_plan(checker *ck)
{
	const xmlNode *plan = ck->plan, *period = qj_xml_child(plan, "period");
	xmlNodePtr n;

	ck->opened_s = qj_xml_attr(plan, "opened");
	ck->opened = date_attr(ck, plan, "opened");
	ck->from_s = qj_xml_attr(period, "from");
	ck->to_s = qj_xml_attr(period, "to");
	ck->from = date_attr(ck, period, "from");
	ck->to = date_attr(ck, period, "to");
	if (ck->from != NO_DATE && ck->to != NO_DATE && ck->to < ck->from) {
		qj_xml_error(ck->ctx, period, "plan period ends %s, before it begins %s",
			     ck->to_s, ck->from_s);
		/* nothing can be checked against a reversed period */
		ck->from = ck->to = NO_DATE;
	}
	if (ck->opened != NO_DATE && ck->to != NO_DATE && ck->opened > ck->to)
		qj_xml_error(ck->ctx, plan, "plan is opened %s, after its period ends %s",
			     ck->opened_s, ck->to_s);
	for (n = qj_xml_child(plan, "review"); n; n = qj_xml_next(n, "review")) {
		long d = date_attr(ck, n, "date");
		if (d != NO_DATE && ck->from != NO_DATE && ck->to != NO_DATE &&
		    (d < ck->from || d > ck->to))
			qj_xml_warning(ck->ctx, n,
				       "review date %s is outside the plan period %s to %s",
				       qj_xml_attr(n, "date"), ck->from_s, ck->to_s);
	}
	add_person(ck, qj_xml_child(plan, "worker"), "worker");
	if ((n = qj_xml_child(plan, "head")))
		add_person(ck, n, "head");
	for (n = qj_xml_child(plan, "specialist"); n; n = qj_xml_next(n, "specialist"))
		add_person(ck, n, "specialist");
}

static void check_members(checker *ck)
{
	xmlNodePtr n = qj_xml_child(qj_xml_child(ck->root, "members"), "member");
	for (; n && !over_limit(ck); n = qj_xml_next(n, "member")) {
		long birth = date_attr(ck, n, "birth");
		xmlNodePtr dis = qj_xml_child(n, "disability");
		add_person(ck, n, "member");
		if (birth != NO_DATE && ck->today != NO_DATE && birth > ck->today)
			qj_xml_error(ck->ctx, n,
				     "member '%s' has a birth date in the future: %s",
				     qj_xml_attr(n, "id"), qj_xml_attr(n, "birth"));
		if (dis)
			date_attr(ck, dis, "until");
	}
}

/* The members named by a ground exist; an early-development ground names
 * children under three. */
static void check_ground_members(checker *ck, const xmlNode *g, const char *code)
{
	const char *list = qj_xml_attr(g, "members");
	char id[256];
	size_t len;
	while (list && *list) {
		const person *p;
		list += strspn(list, " \t\r\n");
		len = strcspn(list, " \t\r\n");
		if (!len)
			break;
		snprintf(id, sizeof id, "%.*s", (int)len, list);
		list += len;
		p = find_person(ck, id);
		if (!p || strcmp(p->kind, "member")) {
			qj_xml_error(ck->ctx, g, "ground '%s' names unknown member '%s'",
				     code, id);
			continue;
		}
		if (!strcmp(code, "early-development") && ck->opened_s &&
		    age_on(p->birth, ck->opened_s) >= 3)
			qj_xml_warning(ck->ctx, g,
				       "ground 'early-development' names member '%s', "
				       "who was three or older when the plan was opened",
				       id);
	}
}

static void check_grounds(checker *ck)
{
	xmlNodePtr g = qj_xml_child(qj_xml_child(ck->root, "grounds"), "ground");
	xmlHashTablePtr seen = xmlHashCreate(16);
	for (; g && !over_limit(ck); g = qj_xml_next(g, "ground")) {
		const char *code = qj_xml_attr(g, "code");
		const xmlNode *first;
		if (!code)
			continue;
		if (!has_code(ck, "ground", code))
			qj_xml_error(ck->ctx, g, "unknown ground code '%s'", code);
		first = seen ? xmlHashLookup(seen, (const xmlChar *)code) : NULL;
		if (first)
			qj_xml_warning(ck->ctx, g, "ground '%s' is given twice (first at line %d)",
				       code, qj_xml_line(first));
		else if (seen)
			xmlHashAddEntry(seen, (const xmlChar *)code, g);
		check_ground_members(ck, g, code);
	}
	xmlHashFree(seen, NULL);
}

static void check_assessments(checker *ck)
{
	xmlNodePtr a = qj_xml_child(ck->root, "assessment");
	for (; a; a = qj_xml_next(a, "assessment")) {
		long d = date_attr(ck, a, "date");
		person_ref(ck, a, "by", "assessment");
		if (d != NO_DATE && ck->today != NO_DATE && d > ck->today)
			qj_xml_warning(ck->ctx, a, "assessment date %s is after today (%s)",
				       qj_xml_attr(a, "date"), ck->today_s);
	}
}

static void check_goals(checker *ck)
{
	xmlNodePtr g = qj_xml_child(qj_xml_child(ck->root, "goals"), "goal");
	for (; g && !over_limit(ck); g = qj_xml_next(g, "goal"))
		add_unique(ck, ck->goals, g, "goal");
}

/* One measure: id, code, references, due date against the period and
 * today. */
static void check_measure(checker *ck, const xmlNode *m)
{
	const char *id = qj_xml_attr(m, "id");
	const char *service = qj_xml_attr(m, "service");
	const char *goal = qj_xml_attr(m, "goal");
	const char *due_s = qj_xml_attr(m, "due");
	const char *status = qj_xml_attr(m, "status");
	long due;

	add_unique(ck, ck->measures, m, "measure");
	if (service && !has_code(ck, "service", service))
		qj_xml_error(ck->ctx, m, "unknown service code '%s'", service);
	if (goal && !xmlHashLookup(ck->goals, (const xmlChar *)goal))
		qj_xml_error(ck->ctx, m, "measure '%s' names unknown goal '%s'", id, goal);
	else if (goal)
		xmlHashUpdateEntry(ck->used_goals, (const xmlChar *)goal, (void *)m, NULL);
	if (qj_xml_attr(m, "responsible") && !find_person(ck, qj_xml_attr(m, "responsible")))
		qj_xml_error(ck->ctx, m, "measure '%s' names unknown person '%s'", id,
			     qj_xml_attr(m, "responsible"));
	due = date_attr(ck, m, "due");
	date_attr(ck, m, "done");
	if (due != NO_DATE && ck->from != NO_DATE && ck->to != NO_DATE &&
	    (due < ck->from || due > ck->to))
		qj_xml_error(ck->ctx, m,
			     "measure '%s' is due %s, outside the plan period %s to %s",
			     id, due_s, ck->from_s, ck->to_s);
	else if (due != NO_DATE && ck->today != NO_DATE && due < ck->today && status &&
		 (!strcmp(status, "planned") || !strcmp(status, "in-progress")))
		qj_xml_warning(ck->ctx, m, "measure '%s' was due %s and is still %s",
			       id, due_s, !strcmp(status, "planned") ? "planned" : "in progress");
	if (!ck->partner_measure && qj_xml_child(m, "partner"))
		ck->partner_measure = m;
}

static void check_measures(checker *ck)
{
	xmlNodePtr m = qj_xml_child(qj_xml_child(ck->root, "measures"), "measure");
	xmlNodePtr g = qj_xml_child(qj_xml_child(ck->root, "goals"), "goal");
	for (; m && !over_limit(ck); m = qj_xml_next(m, "measure"))
		check_measure(ck, m);
	for (; g && !over_limit(ck); g = qj_xml_next(g, "goal")) {
		const char *id = qj_xml_attr(g, "id");
		if (id && !xmlHashLookup(ck->used_goals, (const xmlChar *)id))
			qj_xml_warning(ck->ctx, g, "goal '%s' has no measures", id);
	}
}

/* Monitoring entries: not before the plan was opened, by known people, and
 * no gap of more than MONITOR_GAP_DAYS while the plan runs. */
static void check_monitoring(checker *ck)
{
	const xmlNode *mon = qj_xml_child(ck->root, "monitoring");
	xmlNodePtr e = qj_xml_child(mon, "entry");
	long prev = ck->opened, end = ck->today;
	const char *prev_s = ck->opened_s;

	for (; e && !over_limit(ck); e = qj_xml_next(e, "entry")) {
		const char *ds = qj_xml_attr(e, "date");
		long d = date_attr(ck, e, "date");
		person_ref(ck, e, "by", "monitoring entry");
		if (d == NO_DATE)
			continue;
		if (ck->opened != NO_DATE && d < ck->opened) {
			qj_xml_error(ck->ctx, e,
				     "monitoring entry of %s is before the plan was opened (%s)",
				     ds, ck->opened_s);
			continue;
		}
		if (ck->today != NO_DATE && d > ck->today)
			qj_xml_warning(ck->ctx, e, "monitoring entry of %s is dated after today (%s)",
				       ds, ck->today_s);
		if (prev != NO_DATE && d - prev > MONITOR_GAP_DAYS)
			qj_xml_warning(ck->ctx, e,
				       "no monitoring entry between %s and %s (%ld days; "
				       "monitoring is monthly)", prev_s, ds, d - prev);
		if (prev == NO_DATE || d > prev) {
			prev = d;
			prev_s = ds;
		}
	}
	/* the time since the last entry, up to today or the end of the plan */
	if (ck->to != NO_DATE && (end == NO_DATE || ck->to < end))
		end = ck->to;
	if (ck->closed != NO_DATE && (end == NO_DATE || ck->closed < end))
		end = ck->closed;
	if (prev != NO_DATE && end != NO_DATE && end - prev > MONITOR_GAP_DAYS)
		qj_xml_warning(ck->ctx, mon ? mon : ck->plan,
			       "no monitoring entry since %s (%ld days; monitoring is monthly)",
			       prev_s, end - prev);
}

static void check_consents(checker *ck)
{
	xmlNodePtr c = qj_xml_child(qj_xml_child(ck->root, "consents"), "consent");
	for (; c; c = qj_xml_next(c, "consent")) {
		const person *p = person_ref(ck, c, "by", "consent");
		const char *kind = qj_xml_attr(c, "kind");
		const char *answer = qj_xml_attr(c, "answer");
		date_attr(ck, c, "date");
		if (p && strcmp(p->kind, "member"))
			qj_xml_error(ck->ctx, c, "consent is given by '%s', who is not a family member",
				     qj_xml_attr(c, "by"));
		if (kind && !strcmp(kind, "data-sharing") && ck->partner_measure &&
		    answer && !strcmp(answer, "refused"))
			qj_xml_warning(ck->ctx, c,
				       "data sharing was refused but measure '%s' (line %d) "
				       "involves a partner organization",
				       qj_xml_attr(ck->partner_measure, "id"),
				       qj_xml_line(ck->partner_measure));
	}
}

/* The person kind each signature role needs, and how a message names it. */
static const struct {
	const char *role, *kind, *who;
} signers[] = {
	{"worker", "worker", "the case worker"},
	{"family", "member", "a family member"},
	{"head-of-unit", "head", "the head of unit"},
	{"specialist", "specialist", "a specialist"},
};

static void check_signatures(checker *ck)
{
	const xmlNode *sigs = qj_xml_child(ck->root, "signatures");
	xmlNodePtr s = qj_xml_child(sigs, "signature");
	int have[4] = {0, 0, 0, 0}, adult_family = 0;
	size_t i;

	for (; s; s = qj_xml_next(s, "signature")) {
		const char *role = qj_xml_attr(s, "role");
		const person *p = person_ref(ck, s, "person", "signature");
		date_attr(ck, s, "date");
		for (i = 0; i < 4; i++)
			if (role && !strcmp(role, signers[i].role))
				break;
		if (i == 4)
			continue;
		have[i] = 1;
		if (p && strcmp(p->kind, signers[i].kind))
			qj_xml_error(ck->ctx, s, "%s signature names '%s', who is not %s",
				     role, qj_xml_attr(s, "person"), signers[i].who);
		else if (p && i == 1) {
			int age = ck->opened_s ? age_on(p->birth, ck->opened_s) : -1;
			if (age < 0 || age >= 18) /* unknown age: no warning */
				adult_family = 1;
		}
	}
	if (!have[0])
		qj_xml_error(ck->ctx, sigs, "plan has no signature line for the case worker");
	if (!have[1])
		qj_xml_error(ck->ctx, sigs, "plan has no signature line for a family member");
	else if (!adult_family)
		qj_xml_warning(ck->ctx, sigs,
			       "every family member who signs is under 18; add a legal representative");
	if (!have[2])
		qj_xml_warning(ck->ctx, sigs, "plan has no signature line for the head of unit");
}

/* Closure: after the opening; measures finished; an ended plan is closed. */
static void check_closure(checker *ck)
{
	const xmlNode *c = qj_xml_child(ck->root, "closure");
	xmlNodePtr m = qj_xml_child(qj_xml_child(ck->root, "measures"), "measure");

	if (!c) {
		if (ck->to != NO_DATE && ck->today != NO_DATE && ck->to < ck->today)
			qj_xml_warning(ck->ctx, ck->plan,
				       "plan period ended %s but the plan is not closed", ck->to_s);
		return;
	}
	if (ck->closed != NO_DATE && ck->opened != NO_DATE && ck->closed < ck->opened)
		qj_xml_error(ck->ctx, c, "plan is closed on %s, before it was opened on %s",
			     ck->closed_s, ck->opened_s);
	if (ck->closed != NO_DATE && ck->today != NO_DATE && ck->closed > ck->today)
		qj_xml_warning(ck->ctx, c, "closure date %s is after today (%s)",
			       ck->closed_s, ck->today_s);
	for (; m; m = qj_xml_next(m, "measure")) {
		const char *st = qj_xml_attr(m, "status");
		if (st && (!strcmp(st, "planned") || !strcmp(st, "in-progress")))
			qj_xml_warning(ck->ctx, m, "plan is closed but measure '%s' is still %s",
				       qj_xml_attr(m, "id"),
				       !strcmp(st, "planned") ? "planned" : "in progress");
	}
}

/* ---------- side-by-side texts ---------- */

static const char *const lang_names[] = {"kk", "ru", "en"};

/* The bit of a language (kk 1, ru 2, en 4); 0 for anything else. */
static int lang_bit(const xmlNode *n)
{
	xmlChar *l = xmlNodeGetLang(n);
	int i, bit = 0;
	for (i = 0; l && i < 3; i++)
		if (xmlStrEqual(l, (const xmlChar *)lang_names[i]))
			bit = 1 << i;
	xmlFree(l);
	return bit;
}

/* A free-text element written as plain text (not a person's name or a
 * phone number, which are not translated). */
static int is_plain_text(const xmlNode *n)
{
	const xmlNode *c;
	int words = 0;
	if (!strcmp((const char *)n->name, "text") || !strcmp((const char *)n->name, "phone") ||
	    (!strcmp((const char *)n->name, "name") && n->parent &&
	     strcmp((const char *)n->parent->name, "organization")))
		return 0;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return 0;
		if (c->type == XML_TEXT_NODE && c->content &&
		    strspn((const char *)c->content, " \t\r\n") < strlen((const char *)c->content))
			words = 1;
	}
	return words;
}

/* The languages an element's free text is given in; reports a second
 * <text> in one language. */
static int text_langs(checker *ck, const xmlNode *n)
{
	xmlNodePtr t, u;
	int mask = 0;
	if (is_plain_text(n))
		return lang_bit(n);
	for (t = qj_xml_child(n, "text"); t; t = qj_xml_next(t, "text")) {
		int bit = lang_bit(t);
		if (bit & mask) {
			for (u = qj_xml_child(n, "text"); u != t && lang_bit(u) != bit;
			     u = qj_xml_next(u, "text"))
				;
			qj_xml_error(ck->ctx, t, "a second text in language '%s' (first at line %d)",
				     lang_names[bit == 1 ? 0 : bit == 2 ? 1 : 2], qj_xml_line(u));
		}
		mask |= bit;
	}
	return mask;
}

static void names_of(int mask, char *buf, size_t n)
{
	int i;
	buf[0] = 0;
	for (i = 0; i < 3; i++)
		if (mask & (1 << i))
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
				 buf[0] ? ", " : "", lang_names[i]);
}

/* All languages the record gives text in explicitly, plus its own. */
static int record_langs(const xmlNode *n)
{
	int mask = 0;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)n->name, "text") || !n->parent ||
		    n->parent->type != XML_ELEMENT_NODE)
			mask |= lang_bit(n);
		mask |= record_langs(n->children);
	}
	return mask;
}

/* Free text side by side: at most one <text> per language, and in a
 * bilingual record every free text in every language the record uses. */
static void check_texts(checker *ck, const xmlNode *n, int langs)
{
	char miss[32], all[32];
	for (; n; n = n->next) {
		int mask;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		mask = text_langs(ck, n);
		if (mask && (langs & (langs - 1)) && (mask & langs) != langs) {
			names_of(langs & ~mask, miss, sizeof miss);
			names_of(langs, all, sizeof all);
			qj_xml_warning(ck->ctx, n, "no %s text in <%s>, though the record is bilingual (%s)",
				       miss, (const char *)n->name, all);
		}
		check_texts(ck, n->children, langs);
	}
}

/* ---------- entry point ---------- */

static void run_rules(checker *ck)
{
	static void (*const sections[])(checker *) = {
		check_members, check_grounds, check_assessments, check_goals,
		check_measures, check_monitoring, check_consents,
		check_signatures, check_closure,
	};
	const xmlNode *closure = qj_xml_child(ck->root, "closure");
	size_t i;

	check_plan(ck);
	ck->closed_s = qj_xml_attr(closure, "date");
	ck->closed = closure ? date_attr(ck, closure, "date") : NO_DATE;
	for (i = 0; i < sizeof sections / sizeof *sections && !over_limit(ck); i++)
		sections[i](ck);
	if (!over_limit(ck))
		check_texts(ck, ck->root, record_langs(ck->root));
	if (over_limit(ck))
		qj_xml_error(ck->ctx, ck->root, "too many errors (%d); the rest was not checked",
			     qj_diag_errors(ck->ctx) - ck->before);
}

int qj_record_check(qj_ctx *ctx, xmlDocPtr doc, const qj_catalog *codes,
		    const char *today_iso)
{
	checker ck;
	char today[32], *home, path[4200];
	int errors = qj_diag_errors(ctx);

	memset(&ck, 0, sizeof ck);
	ck.ctx = ctx;
	ck.before = errors;
	ck.root = xmlDocGetRootElement(doc);
	if (!ck.root || strcmp((const char *)ck.root->name, "client-record")) {
		qj_xml_error(ctx, ck.root, "not a client record (the root element is <%s>)",
			     ck.root ? (const char *)ck.root->name : "");
		return -1;
	}
	if (!today_iso && !(today_iso = qj_record_today(ctx, today, sizeof today)))
		return -1;
	ck.today_s = today_iso;
	ck.today = day_number(today_iso);
	if (ck.today == NO_DATE)
		qj_error(ctx, NULL, 0, "today's date '%s' is not a date (YYYY-MM-DD)", today_iso);

	/* stage 1: the schema; the rules assume its shape */
	home = qj_data_path(ctx, NULL);
	if (!home)
		return -1;
	snprintf(path, sizeof path, "%s/records/client-record.rng", home);
	qj_free(ctx, home);
	if (qj_xml_validate_rng(ctx, doc, path) < 0)
		return -1;

	/* stage 2: the rules */
	if (!codes) {
		qj_error(ctx, qj_xml_file(ck.root), 0,
			 "no label catalog to check the record's codes against");
		return -1;
	}
	ck.codes = codes;
	ck.arena = qj_arena_new(ctx);
	ck.persons = xmlHashCreate(64);
	ck.goals = xmlHashCreate(64);
	ck.measures = xmlHashCreate(64);
	ck.used_goals = xmlHashCreate(64);
	ck.plan = qj_xml_child(ck.root, "plan");
	if (ck.arena && ck.persons && ck.goals && ck.measures && ck.used_goals)
		run_rules(&ck);
	else
		qj_error(ctx, qj_xml_file(ck.root), 0, "out of memory checking the record");
	xmlHashFree(ck.persons, NULL);
	xmlHashFree(ck.goals, NULL);
	xmlHashFree(ck.measures, NULL);
	xmlHashFree(ck.used_goals, NULL);
	qj_arena_free(ck.arena);
	return qj_diag_errors(ctx) > errors ? -1 : 0;
}
