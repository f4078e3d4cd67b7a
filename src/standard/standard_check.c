/* standard_check: validation of a professional standard document: the
 * RELAX NG schema, then the rules a schema cannot say (standards/README.md,
 * "What qujat validate adds"). Every problem is reported where it is, and
 * checking goes on after one: a reviewer sees all of them at once. The
 * rules never trust the schema step to have passed. */
#include "standard/standard.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml/xml.h"

/* Element name test. */
static int is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

/* Parses a decimal number of at most 9 digits from s..end; -1 when s is not
 * all digits. */
static long parse_num(const char *s, const char *end)
{
	long v = 0;
	if (s >= end || end - s > 9)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static long parse_num_str(const char *s)
{
	return s ? parse_num(s, s + strlen(s)) : -1;
}

/* True once this check has reported as many errors as the context allows;
 * the caller then stops (the limit is reported once, by the entry point). */
static int over_limit(qj_ctx *ctx, int before)
{
	return qj_diag_errors(ctx) - before >= qj_ctx_limits(ctx)->max_errors;
}

/* ---- card ids ---- */

/* One card's id, with its place in the document. */
typedef struct card_id {
	const char *id;
	const xmlNode *node;
	size_t index;
	const xmlNode *first; /* the earlier card with the same id, if any */
} card_id;

static int by_id_then_index(const void *pa, const void *pb)
{
	const card_id *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int by_index(const void *pa, const void *pb)
{
	const card_id *a = pa, *b = pb;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Each card id once; the first use is named in the message. Sorting keeps
 * this n log n however many cards a hostile file holds; the reports come
 * out in document order. */
static void check_card_ids(qj_ctx *ctx, const xmlNode *cards)
{
	const xmlNode *c;
	card_id *ids;
	size_t n = 0, i;

	for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card"))
		n++;
	ids = n ? qj_calloc(ctx, n, sizeof *ids) : NULL;
	if (!ids)
		return; /* none, or out of memory (reported by the context) */
	for (i = 0, c = qj_xml_child(cards, "card"); c;
	     c = qj_xml_next(c, "card"), i++) {
		const char *id = qj_xml_attr(c, "id");
		ids[i].id = id ? id : "";
		ids[i].node = c;
		ids[i].index = i;
	}
	/* group equal ids, then point every later one at the first */
	qsort(ids, n, sizeof *ids, by_id_then_index);
	for (i = 1; i < n; i++)
		if (!strcmp(ids[i].id, ids[i - 1].id))
			ids[i].first = ids[i - 1].first ? ids[i - 1].first
							: ids[i - 1].node;
	qsort(ids, n, sizeof *ids, by_index);
	for (i = 0; i < n; i++) {
		if (!*ids[i].id)
			qj_xml_error(ctx, ids[i].node, "card without an id");
		else if (ids[i].first)
			qj_xml_error(ctx, ids[i].node,
				     "duplicate card id '%s' (first used at line %d)",
				     ids[i].id, qj_xml_line(ids[i].first));
	}
	qj_free(ctx, ids);
}

/* ---- levels ---- */

/* Parses "N" or "N-M" into lo..hi; reports and returns -1 when it is not a
 * level 1-8 or an ascending range of such levels. what names the attribute
 * in the message. */
static int parse_level_range(qj_ctx *ctx, const xmlNode *node, const char *what,
			     const char *s, long *lo, long *hi)
{
	const char *dash = strchr(s, '-');
	*lo = parse_num(s, dash ? dash : s + strlen(s));
	*hi = dash ? parse_num_str(dash + 1) : *lo;
	if (*lo < 0 || *hi < 0) {
		qj_xml_error(ctx, node, "%s '%s' is not a level (N) or a range (N-M)",
			     what, s);
		return -1;
	}
	if (*lo < 1 || *lo > 8 || *hi < 1 || *hi > 8) {
		qj_xml_error(ctx, node, "%s '%s' is outside the levels 1-8", what, s);
		return -1;
	}
	if (*lo > *hi) {
		qj_xml_error(ctx, node, "%s '%s' is a descending range", what, s);
		return -1;
	}
	return 0;
}

/* Each sub-level "L.k" of a space-separated list: L in 1-8 and within
 * lo..hi (when lo > 0), k a positive number. */
static void check_sublevels(qj_ctx *ctx, const xmlNode *node, const char *list,
			    long lo, long hi)
{
	const char *p = list;
	while (*p) {
		const char *end, *dot;
		long l, k;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		dot = memchr(p, '.', (size_t)(end - p));
		l = dot ? parse_num(p, dot) : -1;
		k = dot ? parse_num(dot + 1, end) : -1;
		if (l < 0 || k < 1)
			qj_xml_error(ctx, node, "sub-level '%.*s' is not of the form L.k",
				     (int)(end - p), p);
		else if (l < 1 || l > 8)
			qj_xml_error(ctx, node, "sub-level '%.*s' is outside the levels 1-8",
				     (int)(end - p), p);
		else if (lo > 0 && (l < lo || l > hi))
			qj_xml_error(ctx, node,
				     "sub-level '%.*s' does not belong to level %s",
				     (int)(end - p), p, qj_xml_attr(node, "value"));
		p = end;
	}
}

/* The card's level: value in 1-8, sub-levels inside it. */
static void check_level(qj_ctx *ctx, const xmlNode *card)
{
	const xmlNode *lv = qj_xml_child(card, "level");
	const char *value, *subs;
	long lo = 0, hi = 0;
	if (!lv)
		return; /* the schema reports it */
	value = qj_xml_attr(lv, "value");
	subs = qj_xml_attr(lv, "sublevels");
	if (value && parse_level_range(ctx, lv, "level", value, &lo, &hi) < 0)
		lo = 0;
	if (subs)
		check_sublevels(ctx, lv, subs, lo, hi);
}

static char *trimmed(qj_arena *a, const char *s);

/* A <field-order>: each field at most once, and the labour functions
 * among them (a card printed in that order must show its functions). */
static void check_field_order(qj_ctx *ctx, const xmlNode *fo)
{
	const xmlNode *f, *g;
	int functions = 0;
	for (f = qj_xml_child(fo, "field"); f; f = qj_xml_next(f, "field")) {
		const char *name = qj_xml_attr(f, "name");
		if (!name)
			continue; /* the schema reports it */
		functions |= !strcmp(name, "functions");
		for (g = qj_xml_child(fo, "field"); g != f; g = qj_xml_next(g, "field")) {
			const char *other = qj_xml_attr(g, "name");
			if (other && !strcmp(other, name)) {
				qj_xml_error(ctx, f, "field '%s' twice in <field-order>", name);
				break;
			}
		}
	}
	if (!functions)
		qj_xml_error(ctx, fo, "<field-order> without the field 'functions'");
}

/* The ru sub-level row, when it names a sub-level, is one of the level's. */
static void check_sublevel_row(qj_ctx *ctx, qj_arena *a, const xmlNode *card)
{
	const xmlNode *row = qj_xml_child(card, "sublevel");
	const xmlNode *lv = qj_xml_child(card, "level");
	const char *subs = lv ? qj_xml_attr(lv, "sublevels") : NULL;
	xmlChar *t;
	char *v;
	if (!row)
		return;
	t = xmlNodeGetContent(row);
	v = trimmed(a, t ? (const char *)t : "");
	xmlFree(t);
	if (!v || !*v || !strcmp(v, "-"))
		return;
	if (!subs || !strstr(subs, v))
		qj_xml_error(ctx, row, "sub-level row '%s' is not among the level's sub-levels (%s)",
			     v, subs ? subs : "none");
}

/* A space-separated list of levels, ranges or sub-levels (related
 * professions, the card list): each within 1-8. what names it in messages. */
static void check_level_list(qj_ctx *ctx, const xmlNode *node, const char *s,
			     const char *what)
{
	char tok[32];
	while (s && *s) {
		size_t n;
		long lo, hi;
		while (*s == ' ')
			s++;
		n = strcspn(s, " ");
		if (!n)
			break;
		snprintf(tok, sizeof tok, "%.*s", (int)(n < 31 ? n : 31), s);
		if (strchr(tok, '.'))
			check_sublevels(ctx, node, tok, 0, 0);
		else
			parse_level_range(ctx, node, what, tok, &lo, &hi);
		s += n;
	}
}

/* Related professions: each entry of level= within 1-8. */
static void check_related(qj_ctx *ctx, const xmlNode *card)
{
	const xmlNode *rel = qj_xml_child(card, "related"), *p;
	for (p = qj_xml_child(rel, "profession"); p;
	     p = qj_xml_next(p, "profession"))
		check_level_list(ctx, p, qj_xml_attr(p, "level"), "related level");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of every <card>, sorted for bsearch; *n is their number.
 * qj_free() the result (NULL when there are none or memory ran out). */
static const char **sorted_card_ids(qj_ctx *ctx, const xmlNode *root, size_t *n)
{
	const xmlNode *cards, *c;
	const char **ids;
	size_t i = 0;
	*n = 0;
	for (cards = qj_xml_child(root, "cards"); cards; cards = qj_xml_next(cards, "cards"))
		for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card"))
			(*n)++;
	ids = *n ? qj_calloc(ctx, *n, sizeof *ids) : NULL;
	if (!ids)
		return NULL;
	for (cards = qj_xml_child(root, "cards"); cards; cards = qj_xml_next(cards, "cards"))
		for (c = qj_xml_child(cards, "card"); c; c = qj_xml_next(c, "card"))
			ids[i++] = qj_xml_attr(c, "id") ? qj_xml_attr(c, "id") : "";
	qsort(ids, *n, sizeof *ids, cmp_str);
	return ids;
}

/* The passport's card list: every card it names exists, its levels are
 * levels. */
static void check_card_list(qj_ctx *ctx, const xmlNode *root, int before)
{
	const xmlNode *list = qj_xml_child(qj_xml_child(root, "passport"), "card-list");
	const xmlNode *r;
	const char **ids;
	size_t nids;
	if (!list)
		return;
	ids = sorted_card_ids(ctx, root, &nids);
	if (!ids && qj_ctx_oom(ctx))
		return;
	for (r = qj_xml_child(list, "card-ref"); r && !over_limit(ctx, before);
	     r = qj_xml_next(r, "card-ref")) {
		const char *s = qj_xml_attr(r, "card");
		char tok[64];
		while (s && *s) {
			size_t n;
			const char *key = tok;
			while (*s == ' ')
				s++;
			n = strcspn(s, " ");
			if (!n)
				break;
			snprintf(tok, sizeof tok, "%.*s", (int)n, s);
			if (n >= sizeof tok || !ids ||
			    !bsearch(&key, ids, nids, sizeof *ids, cmp_str))
				qj_xml_error(ctx, r, "the card list names card '%.*s', which is not in <cards>",
					     (int)n, s);
			s += n;
		}
		check_level_list(ctx, r, qj_xml_attr(r, "levels"), "card list level");
	}
	qj_free(ctx, ids);
}

/* ---- occupation codes ---- */

int qj_standard_is_occupation_code(const char *s)
{
	static const char form[] = "dddd-d-ddd";
	size_t i;
	if (strlen(s) != sizeof form - 1)
		return 0;
	for (i = 0; form[i]; i++)
		if (form[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return 0;
	return 1;
}

/* Copy of s without leading and trailing whitespace, in the arena. */
static char *trimmed(qj_arena *a, const char *s)
{
	size_t n;
	if (!s)
		return NULL; /* out of memory upstream */
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
		     s[n - 1] == '\r'))
		n--;
	return qj_arena_strndup(a, s, n);
}

static void check_occupation(qj_ctx *ctx, qj_arena *a, const xmlNode *card)
{
	const xmlNode *oc = qj_xml_child(card, "occupation-code");
	const char *missing;
	char *code;
	if (!oc)
		return; /* the schema reports it */
	missing = qj_xml_attr(oc, "missing");
	code = trimmed(a, qj_xml_text(a, oc));
	if (!code)
		return; /* out of memory: reported by the context */
	if (missing && !strcmp(missing, "true")) {
		if (!qj_xml_attr(oc, "source"))
			qj_xml_error(ctx, oc,
				     "missing occupation code without source= (the source's form, \"-\" or \"\")");
		return;
	}
	if (!qj_standard_is_occupation_code(code))
		qj_xml_error(ctx, oc,
			     "occupation code '%s' is not of the form NNNN-N-NNN; "
			     "if the source gives it so, write <occupation-code missing=\"true\" source=\"%s\"/>",
			     code, code);
}

/* ---- numbering ---- */

/* One numbered sequence among siblings: the element name, and for
 * functions the kind, since each kind counts on its own. */
typedef struct seq {
	const char *name;
	const char *kind;
	long last;
} seq;

enum { MAX_SEQS = 16 };

static seq *find_seq(seq *seqs, int *nseqs, const char *name, const char *kind)
{
	int i;
	for (i = 0; i < *nseqs; i++)
		if (!strcmp(seqs[i].name, name) &&
		    (seqs[i].kind == kind ||
		     (kind && seqs[i].kind && !strcmp(seqs[i].kind, kind))))
			return &seqs[i];
	if (*nseqs == MAX_SEQS)
		return NULL;
	seqs[*nseqs].name = name;
	seqs[*nseqs].kind = kind;
	seqs[*nseqs].last = 0;
	return &seqs[(*nseqs)++];
}

/* The numbers this sibling may carry without a recorded gap: last + 1, and
 * for the first additional function also 1 (when mandatory ones came
 * first and it continues their count, last mandatory + 1 is accepted). */
static int number_ok(seq *seqs, int nseqs, const seq *s, long n)
{
	int i;
	if (n == s->last + 1)
		return 1;
	if (s->last == 0 && s->kind && !strcmp(s->kind, "additional"))
		for (i = 0; i < nseqs; i++)
			if (!strcmp(seqs[i].name, s->name) && seqs[i].kind &&
			    !strcmp(seqs[i].kind, "mandatory") &&
			    n == seqs[i].last + 1)
				return 1;
	return 0;
}

/* Checks a recorded gap against the sequence it interrupts. */
static void check_gap(qj_ctx *ctx, const xmlNode *gap, const seq *s,
		      const xmlNode *next)
{
	long after = parse_num_str(qj_xml_attr(gap, "after"));
	if (after != s->last)
		qj_xml_error(ctx, gap,
			     "<gap after=\"%s\"/> but the <%s> before it is numbered %ld",
			     qj_xml_attr(gap, "after") ? qj_xml_attr(gap, "after") : "",
			     (const char *)next->name, s->last);
}

/* The numbered children of one parent. */
static void check_numbering_of(qj_ctx *ctx, const xmlNode *parent, int before)
{
	seq seqs[MAX_SEQS];
	int nseqs = 0;
	const xmlNode *c, *gap = NULL;
	for (c = qj_xml_child(parent, NULL); c && !over_limit(ctx, before);
	     c = qj_xml_next(c, NULL)) {
		const char *ns = qj_xml_attr(c, "n");
		const char *kind = is(c, "function") ? qj_xml_attr(c, "kind") : NULL;
		seq *s;
		long n;
		if (is(c, "gap")) {
			if (gap)
				qj_xml_error(ctx, gap, "<gap/> not followed by a numbered element");
			gap = c;
			continue;
		}
		if (!ns)
			continue;
		n = parse_num_str(ns);
		if (n < 1) {
			qj_xml_error(ctx, c, "n=\"%s\" is not a positive number", ns);
			continue;
		}
		s = find_seq(seqs, &nseqs, (const char *)c->name, kind);
		if (!s)
			continue; /* more kinds of siblings than any schema allows */
		if (gap)
			check_gap(ctx, gap, s, c);
		else if (!number_ok(seqs, nseqs, s, n))
			qj_xml_error(ctx, c,
				     "<%s> numbered %ld where %ld was expected; "
				     "if the source numbers it so, record <gap after=\"%ld\"/> before it",
				     (const char *)c->name, n, s->last + 1, s->last);
		gap = NULL;
		s->last = n;
	}
	if (gap)
		qj_xml_error(ctx, gap, "<gap/> not followed by a numbered element");
}

/* Every element of the tree, depth first. Depth is bounded by the loader's
 * limit, so recursion is safe. */
static void check_numbering(qj_ctx *ctx, const xmlNode *node, int before)
{
	const xmlNode *c;
	check_numbering_of(ctx, node, before);
	for (c = qj_xml_child(node, NULL); c && !over_limit(ctx, before);
	     c = qj_xml_next(c, NULL))
		check_numbering(ctx, c, before);
}

/* ---- entry points ---- */

int qj_standard_check_rules(qj_ctx *ctx, xmlDocPtr doc)
{
	int before = qj_diag_errors(ctx);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	const xmlNode *cards, *card;
	qj_arena *a;

	if (!is(root, "standard")) {
		if (root)
			qj_xml_error(ctx, root, "root element <%s> is not <standard>",
				     (const char *)root->name);
		else
			qj_error(ctx, NULL, 0, "empty document");
		return qj_diag_errors(ctx) - before;
	}
	a = qj_arena_new(ctx);
	if (!a)
		return qj_diag_errors(ctx) - before;
	/* cards: ids, then each card's own rules */
	for (cards = qj_xml_child(root, "cards"); cards;
	     cards = qj_xml_next(cards, "cards")) {
		check_card_ids(ctx, cards);
		if (qj_xml_child(cards, "field-order"))
			check_field_order(ctx, qj_xml_child(cards, "field-order"));
		for (card = qj_xml_child(cards, "card");
		     card && !over_limit(ctx, before);
		     card = qj_xml_next(card, "card")) {
			check_level(ctx, card);
			check_related(ctx, card);
			check_occupation(ctx, a, card);
			check_sublevel_row(ctx, a, card);
			if (qj_xml_child(card, "field-order"))
				check_field_order(ctx, qj_xml_child(card, "field-order"));
		}
	}
	check_card_list(ctx, root, before);
	/* numbering everywhere */
	check_numbering(ctx, root, before);
	qj_arena_free(a);
	if (over_limit(ctx, before))
		qj_xml_error(ctx, root, "too many errors (%d); the rest was not checked",
			     qj_diag_errors(ctx) - before);
	return qj_diag_errors(ctx) - before;
}

/* libxml2's RELAX NG validation slows down with the square of the number
 * of siblings; a standard has tens of cards and items per list, so more
 * than this many children of one element is refused before the schema. */
enum { MAX_SIBLINGS = 10000 };

/* Reports the first element with too many element children; 1 if any. */
static int too_many_siblings(qj_ctx *ctx, const xmlNode *node)
{
	const xmlNode *c;
	long n = 0;
	for (c = qj_xml_child(node, NULL); c; c = qj_xml_next(c, NULL))
		n++;
	if (n > MAX_SIBLINGS) {
		qj_xml_error(ctx, node,
			     "<%s> has %ld child elements, over the limit of %d; "
			     "not checked against the schema",
			     (const char *)node->name, n, MAX_SIBLINGS);
		return 1;
	}
	for (c = qj_xml_child(node, NULL); c; c = qj_xml_next(c, NULL))
		if (too_many_siblings(ctx, c))
			return 1;
	return 0;
}

int qj_standard_check(qj_ctx *ctx, xmlDocPtr doc, const char *rng_path)
{
	int before = qj_diag_errors(ctx);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root)
		return 0;
	/* the schema first; the rules run even when it fails, so that every
	 * problem is reported in one pass */
	if (rng_path && !too_many_siblings(ctx, root))
		qj_xml_validate_rng(ctx, doc, rng_path);
	qj_standard_check_rules(ctx, doc);
	return qj_diag_errors(ctx) - before;
}

/* ---- where the schema is ---- */

char *qj_standard_schema_path(qj_ctx *ctx)
{
	return qj_data_path(ctx, "standards/standard.rng");
}
