/* standard_list: the cards of a professional standard, one line each
 * (card id, occupation code, level, name), for `qujat list` and for picking
 * the id that --card takes. */
#include "standard/standard.h"

#include <string.h>

#include "xml/xml.h"

/* Collapses runs of whitespace (tabs, newlines, NBSP) to one space and
 * trims the ends, in place. */
static char *squash(char *s)
{
	char *r = s, *w = s;
	int sp = 0;
	for (; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		    (c == 0xC2 && (unsigned char)r[1] == 0xA0)) {
			if (c == 0xC2)
				r++;
			sp = 1;
			continue;
		}
		if (sp && w != s)
			*w++ = ' ';
		sp = 0;
		*w++ = *r;
	}
	*w = 0;
	return s;
}

/* The text of the first child named name, squashed; "" when absent. */
static const char *field(qj_arena *a, const xmlNode *card, const char *name)
{
	const xmlNode *n = qj_xml_child(card, name);
	char *t = n ? qj_xml_text(a, n) : NULL;
	return t ? squash(t) : "";
}

/* The level column: the only sub-level, or the value with the sub-levels
 * in parentheses when there are several. */
static const char *level_column(qj_arena *a, const xmlNode *card)
{
	const xmlNode *lv = qj_xml_child(card, "level");
	const char *value = qj_xml_attr(lv, "value");
	const char *subs = qj_xml_attr(lv, "sublevels");
	char *s;
	if (!lv)
		return "-";
	if (!value)
		value = field(a, card, "level");
	if (!subs)
		return *value ? value : "-";
	s = qj_arena_strdup(a, subs);
	if (!s)
		return "-";
	squash(s);
	if (!strchr(s, ' '))
		return s;
	return qj_arena_printf(a, "%s (%s)", value, s);
}

/* The occupation column: the code, or "-" when missing. */
static const char *code_column(qj_arena *a, const xmlNode *card)
{
	const xmlNode *oc = qj_xml_child(card, "occupation-code");
	const char *missing = qj_xml_attr(oc, "missing");
	const char *code;
	if (!oc || (missing && !strcmp(missing, "true")))
		return "-";
	code = field(a, card, "occupation-code");
	return *code ? code : "-";
}

int qj_standard_list(qj_ctx *ctx, xmlDocPtr doc, FILE *out)
{
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	const xmlNode *cards, *card;
	qj_arena *a;
	int count = 0;

	if (!root || strcmp((const char *)root->name, "standard")) {
		if (root)
			qj_xml_error(ctx, root, "root element <%s> is not <standard>",
				     (const char *)root->name);
		else
			qj_error(ctx, NULL, 0, "empty document");
		return -1;
	}
	a = qj_arena_new(ctx);
	if (!a)
		return -1;
	for (cards = qj_xml_child(root, "cards"); cards;
	     cards = qj_xml_next(cards, "cards"))
		for (card = qj_xml_child(cards, "card"); card;
		     card = qj_xml_next(card, "card")) {
			const char *id = qj_xml_attr(card, "id");
			const char *code = code_column(a, card);
			const char *level = level_column(a, card);
			const char *name = field(a, card, "name");
			if (qj_ctx_oom(ctx))
				break;
			fprintf(out, "%s\t%s\t%s\t%s\n", id ? id : "-", code,
				level ? level : "-", name);
			count++;
		}
	qj_arena_free(a);
	return qj_ctx_oom(ctx) ? -1 : count;
}
