/* normalize: every text value that enters qujat goes through here. Invisible
 * characters go, white space collapses, Latin look-alikes typed inside
 * Cyrillic words (and Cyrillic ones inside Latin words) are repaired with a
 * warning, and the result is NFC (never NFKC, which would turn № into No).
 * The rule for mixed words is in docs/text.md. */
#include "text/text_imp.h"
#include "xml/xml.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* A pair of letters that look the same; kk_only pairs exist only in
 * Kazakh (і and һ are Kazakh letters, not Russian ones). */
typedef struct lookalike {
	UChar32 latin, cyrillic;
	int kk_only;
} lookalike;

static const lookalike pairs[] = {
	{'a', 0x0430, 0}, {'e', 0x0435, 0}, {'o', 0x043E, 0}, {'p', 0x0440, 0},
	{'c', 0x0441, 0}, {'x', 0x0445, 0}, {'y', 0x0443, 0}, {'k', 0x043A, 0},
	{'m', 0x043C, 0}, {'t', 0x0442, 0}, {'b', 0x044C, 0},
	{'i', 0x0456, 1}, {'h', 0x04BB, 1},
	{'A', 0x0410, 0}, {'B', 0x0412, 0}, {'C', 0x0421, 0}, {'E', 0x0415, 0},
	{'H', 0x041D, 0}, {'K', 0x041A, 0}, {'M', 0x041C, 0}, {'O', 0x041E, 0},
	{'P', 0x0420, 0}, {'T', 0x0422, 0}, {'X', 0x0425, 0}, {'Y', 0x0423, 0},
	{'I', 0x0406, 1},
};

/* The look-alike of c in the other script (0 when there is none). */
static UChar32 twin(UChar32 c, int to_cyrillic, int kk)
{
	size_t i;
	for (i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		/* і and һ are Kazakh letters; Latin i and h are everybody's */
		if (pairs[i].kk_only && !kk && to_cyrillic)
			continue;
		if (to_cyrillic && pairs[i].latin == c)
			return pairs[i].cyrillic;
		if (!to_cyrillic && pairs[i].cyrillic == c)
			return pairs[i].latin;
	}
	return 0;
}

static int is_cyrillic(UChar32 c)
{
	return uscript_hasScript(c, USCRIPT_CYRILLIC);
}

static int is_latin(UChar32 c)
{
	UErrorCode st = U_ZERO_ERROR;
	return uscript_getScript(c, &st) == USCRIPT_LATIN;
}

/* Characters that are removed: format characters (soft hyphen, zero-width
 * space and joiners, word joiner, BOM, direction marks) and controls that
 * are not white space. */
static int is_invisible(UChar32 c)
{
	int8_t t = u_charType(c);
	if (t == U_FORMAT_CHAR)
		return 1;
	return t == U_CONTROL_CHAR && !u_isUWhiteSpace(c);
}

static int is_nobreak(UChar32 c)
{
	return c == 0x00A0 || c == 0x2007 || c == 0x202F;
}

/* A code point buffer in the arena. */
typedef struct cps {
	UChar32 *c;
	size_t n;
} cps;

/* Step 1: invisible characters out (before words are looked at: a soft
 * hyphen must not split one). */
static void drop_invisible(cps *s)
{
	size_t r, w = 0;
	for (r = 0; r < s->n; r++)
		if (!is_invisible(s->c[r]))
			s->c[w++] = s->c[r];
	s->n = w;
}

/* Step 3: white space collapsed and trimmed. */
static void collapse_space(cps *s, unsigned flags)
{
	size_t r = 0, w = 0;
	if (flags & QJ_NORM_PRESERVE_SPACE)
		return;
	while (r < s->n) {
		UChar32 keep = 0;
		if (!u_isUWhiteSpace(s->c[r])) {
			s->c[w++] = s->c[r++];
			continue;
		}
		for (; r < s->n && u_isUWhiteSpace(s->c[r]); r++)
			if (!keep && is_nobreak(s->c[r]))
				keep = s->c[r];
		if (w == 0 && !(flags & QJ_NORM_KEEP_START))
			continue;
		if (r == s->n && !(flags & QJ_NORM_KEEP_END))
			continue;
		s->c[w++] = keep ? keep : ' ';
	}
	s->n = w;
}

static int is_word_char(UChar32 c)
{
	return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
	       (U_GET_GC_MASK(c) & U_GC_M_MASK);
}

/* Appends c as UTF-8 to b. */
static void put_utf8(qj_buf *b, UChar32 c)
{
	char tmp[8];
	int32_t i = 0;
	UBool err = 0;
	U8_APPEND((uint8_t *)tmp, i, (int32_t)sizeof tmp, c, err);
	if (!err)
		qj_buf_append(b, tmp, (size_t)i);
}

static void put_word(qj_buf *b, const UChar32 *w, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		put_utf8(b, w[i]);
}

/* Whether every letter of w[0..n) foreign to the target script has a
 * look-alike in it. */
static int can_repair(const UChar32 *w, size_t n, int to_cyr, int kk)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int foreign = to_cyr ? is_latin(w[i]) : is_cyrillic(w[i]);
		if (foreign && !twin(w[i], to_cyr, kk))
			return 0;
	}
	return 1;
}

/* Counts the letters of a word by script; -1 when it holds a digit (a
 * code such as 6B01501, never touched). Marks count for nothing. */
static int count_scripts(const UChar32 *w, size_t n, size_t *cyr, size_t *lat,
			 size_t *other)
{
	size_t i;
	*cyr = *lat = *other = 0;
	for (i = 0; i < n; i++) {
		if (u_isdigit(w[i]))
			return -1;
		if (U_GET_GC_MASK(w[i]) & U_GC_M_MASK)
			continue;
		if (is_cyrillic(w[i]))
			(*cyr)++;
		else if (is_latin(w[i]))
			(*lat)++;
		else
			(*other)++;
	}
	return 0;
}

/* Warns about the repair of w[0..n) (not yet done), naming the word, each
 * distinct replacement and the result. */
static void report_repair(qj_ctx *ctx, const UChar32 *w, size_t n, int to_cyr,
			  int kk, const qj_loc *loc)
{
	size_t i, k, nseen = 0;
	UChar32 seen[32];
	qj_buf msg;

	qj_buf_init(&msg, ctx);
	qj_buf_printf(&msg, "%s look-alike in %s word '",
		      to_cyr ? "Latin" : "Cyrillic", to_cyr ? "Cyrillic" : "Latin");
	put_word(&msg, w, n);
	qj_buf_puts(&msg, "' replaced:");
	for (i = 0; i < n; i++) {
		if (!(to_cyr ? is_latin(w[i]) : is_cyrillic(w[i])))
			continue;
		for (k = 0; k < nseen && seen[k] != w[i]; k++)
			;
		if (k < nseen || nseen == sizeof seen / sizeof *seen)
			continue;
		seen[nseen++] = w[i];
		qj_buf_putc(&msg, ' ');
		put_utf8(&msg, w[i]);
		qj_buf_printf(&msg, " (U+%04X) -> ", (unsigned)w[i]);
		put_utf8(&msg, twin(w[i], to_cyr, kk));
		qj_buf_printf(&msg, " (U+%04X),", (unsigned)twin(w[i], to_cyr, kk));
	}
	qj_buf_puts(&msg, " giving '");
	for (i = 0; i < n; i++) {
		int foreign = to_cyr ? is_latin(w[i]) : is_cyrillic(w[i]);
		put_utf8(&msg, foreign ? twin(w[i], to_cyr, kk) : w[i]);
	}
	qj_buf_puts(&msg, "'");
	if (!qj_ctx_oom(ctx))
		qj_diag(ctx, QJ_WARNING, loc ? loc->file : NULL,
			loc ? loc->line : 0, 0, "%s", qj_buf_str(&msg));
	qj_buf_free(&msg);
}

/* Step 2 for one word w[0..n): decides by the rule of docs/text.md and
 * repairs in place. Returns 1 when the word was changed. */
static int repair_word(qj_ctx *ctx, UChar32 *w, size_t n, int kk,
		       const qj_loc *loc, int quiet)
{
	size_t i, cyr, lat, other;
	int to_cyr;

	if (count_scripts(w, n, &cyr, &lat, &other) < 0 || !cyr || !lat ||
	    other)
		return 0;
	/* The script of the majority wins; a tie goes to Cyrillic, or to
	 * Latin when only that works (the Roman numeral ІV). */
	to_cyr = cyr >= lat;
	if (!can_repair(w, n, to_cyr, kk)) {
		if (cyr != lat || !can_repair(w, n, 0, kk))
			return 0; /* legitimately mixed: left alone */
		to_cyr = 0;
	}
	if (!quiet)
		report_repair(ctx, w, n, to_cyr, kk, loc);
	for (i = 0; i < n; i++)
		if (to_cyr ? is_latin(w[i]) : is_cyrillic(w[i]))
			w[i] = twin(w[i], to_cyr, kk);
	return 1;
}

/* Step 2: every word of s, each reported on its own line of a text that
 * spans several. Returns the number of words repaired. */
static int repair_words(qj_ctx *ctx, cps *s, int kk, const qj_loc *loc,
			int quiet)
{
	size_t i = 0, j;
	int fixed = 0;
	qj_loc here = {NULL, 0, 0};
	if (loc)
		here = *loc;
	while (i < s->n) {
		if (!is_word_char(s->c[i])) {
			here.line += s->c[i] == '\n' && here.line > 0;
			i++;
			continue;
		}
		for (j = i; j < s->n && is_word_char(s->c[j]); j++)
			;
		fixed += repair_word(ctx, s->c + i, j - i, kk, loc ? &here : NULL,
				     quiet);
		i = j;
	}
	return fixed;
}

/* Step 4: NFC, back to UTF-8. */
static char *to_nfc(qj_ctx *ctx, qj_arena *a, const cps *s)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	UChar *u, *out;
	int32_t len = 0, olen;
	size_t i;

	if (qj_text_icu_check(ctx, st, "unorm2_getNFCInstance") < 0)
		return NULL;
	u = qj_arena_alloc(a, (s->n * 2 + 1) * sizeof *u);
	if (!u)
		return NULL;
	for (i = 0; i < s->n; i++)
		U16_APPEND_UNSAFE(u, len, s->c[i]);
	/* NFC output is at most three times its input (Unicode UAX #15). */
	olen = len * 3 + 1;
	out = qj_arena_alloc(a, (size_t)olen * sizeof *out);
	if (!out)
		return NULL;
	olen = unorm2_normalize(nfc, u, len, out, olen, &st);
	if (qj_text_icu_check(ctx, st, "unorm2_normalize") < 0)
		return NULL;
	return qj_text_u8(ctx, a, out, olen);
}

static int is_kk(const char *lang)
{
	const char *l = qj_text_lang(lang);
	return l && !strcmp(l, "kk");
}

/* text as code points in a; s->c NULL on invalid UTF-8, a text too long
 * (an error at loc) or out of memory. */
static void decode(qj_ctx *ctx, qj_arena *a, const char *text,
		   const qj_loc *loc, cps *s)
{
	size_t n = strlen(text);
	int32_t i = 0;
	s->c = NULL;
	s->n = 0;
	if (qj_text_check_utf8(ctx, loc && loc->file ? loc->file : "-", text, n,
			       loc && loc->line ? loc->line : 1) < 0)
		return;
	if (n > (size_t)INT32_MAX / 4) {
		qj_error(ctx, loc ? loc->file : NULL, loc ? loc->line : 0,
			 "text of %zu bytes is too long", n);
		return;
	}
	s->c = qj_arena_alloc(a, (n + 1) * sizeof *s->c);
	if (!s->c)
		return;
	while (i < (int32_t)n) {
		UChar32 c;
		U8_NEXT_UNSAFE((const uint8_t *)text, i, c);
		s->c[s->n++] = c;
	}
}

/* The whole pipeline; *fixed receives the number of words repaired. */
static char *normalize(qj_ctx *ctx, qj_arena *a, const char *text,
		       const char *lang, const qj_loc *loc, unsigned flags,
		       int *fixed)
{
	cps s;

	*fixed = 0;
	decode(ctx, a, text, loc, &s);
	if (!s.c)
		return NULL;
	drop_invisible(&s);
	*fixed = repair_words(ctx, &s, is_kk(lang), loc, 0);
	collapse_space(&s, flags);
	return to_nfc(ctx, a, &s);
}

char *qj_text_normalize(qj_ctx *ctx, qj_arena *a, const char *text,
			const char *lang, const qj_loc *loc, unsigned flags)
{
	int fixed;
	return normalize(ctx, a, text, lang, loc, flags, &fixed);
}

char *qj_text_repair_lookalikes(qj_ctx *ctx, qj_arena *a, const char *text,
				const char *lang, const qj_loc *loc,
				int *fixed)
{
	int k;
	qj_buf out;
	cps s;
	char *r;

	if (fixed)
		*fixed = 0;
	decode(ctx, a, text, loc, &s);
	if (!s.c)
		return NULL;
	k = repair_words(ctx, &s, is_kk(lang), loc, !loc);
	if (fixed)
		*fixed = k;
	if (!k)
		return (char *)text;
	/* back to UTF-8, nothing else touched */
	qj_buf_init(&out, ctx);
	put_word(&out, s.c, s.n);
	r = qj_ctx_oom(ctx) ? NULL : qj_arena_strdup(a, qj_buf_str(&out));
	qj_buf_free(&out);
	return r;
}

/* State of a walk over a document. */
typedef struct walk {
	qj_ctx *ctx;
	qj_arena *a;
	int fixed;
	int failed;
} walk;

static int only_space(const xmlChar *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* The line where the text node t starts. libxml2 gives a text node the
 * line the parser had reached after its first chunk (the end of a short
 * text), so: the parent's line for a first child, else that line less the
 * newlines of the text, but not before the previous sibling. */
static int text_start_line(const xmlNode *t)
{
	const xmlChar *p;
	int line = qj_xml_line(t), floor;
	if (!t->prev || !t->parent)
		return t->parent ? qj_xml_line(t->parent) : line;
	floor = qj_xml_line(t->prev);
	for (p = t->content; p && *p; p++)
		line -= *p == '\n';
	return line > floor ? line : floor;
}

/* Normalizes one text node (of an element or of an attribute); at is the
 * node whose location is reported, line its line. */
static void normalize_node(walk *wk, xmlNodePtr t, const xmlNode *at,
			   int line, const char *lang, unsigned flags)
{
	qj_loc loc;
	int fixed;
	char *r;
	if (!t->content)
		return;
	loc.file = qj_xml_file(at);
	loc.line = line;
	loc.col = 0;
	r = normalize(wk->ctx, wk->a, (const char *)t->content, lang, &loc,
		      flags, &fixed);
	if (!r) {
		wk->failed = 1;
		return;
	}
	wk->fixed += fixed;
	if (strcmp(r, (const char *)t->content))
		xmlNodeSetContent(t, (const xmlChar *)r);
}

/* Flags for a text child of an element: trimmed only at the ends of the
 * element's content, so mixed content keeps its spaces between parts. */
static unsigned text_flags(const xmlNode *t, int preserve)
{
	unsigned f = preserve ? QJ_NORM_PRESERVE_SPACE : 0;
	if (t->prev)
		f |= QJ_NORM_KEEP_START;
	if (t->next)
		f |= QJ_NORM_KEEP_END;
	return f;
}

static void walk_element(walk *wk, xmlNodePtr el, const char *lang,
			 int preserve)
{
	xmlChar *v;
	xmlAttrPtr at;
	xmlNodePtr c, next;
	int has_text = 0;

	/* xml:lang and xml:space on this element. */
	v = xmlGetNsProp(el, (const xmlChar *)"lang", XML_XML_NAMESPACE);
	if (v) {
		const char *l = qj_text_lang((const char *)v);
		lang = l ? l : NULL;
		xmlFree(v);
	}
	v = xmlGetNsProp(el, (const xmlChar *)"space", XML_XML_NAMESPACE);
	if (v) {
		preserve = !strcmp((const char *)v, "preserve");
		xmlFree(v);
	}
	for (at = el->properties; at; at = at->next)
		for (c = at->children; c; c = c->next)
			if (c->type == XML_TEXT_NODE)
				normalize_node(wk, c, el, qj_xml_line(el), lang, 0);
	for (c = el->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
		    && c->content && !only_space(c->content))
			has_text = 1;
	for (c = el->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE) {
			walk_element(wk, c, lang, preserve);
		} else if (c->type == XML_TEXT_NODE ||
			   c->type == XML_CDATA_SECTION_NODE) {
			/* Indentation between elements carries nothing. */
			if (!preserve && !has_text && c->content &&
			    only_space(c->content)) {
				xmlNodeSetContent(c, (const xmlChar *)"");
				continue;
			}
			normalize_node(wk, c, c, text_start_line(c), lang,
				       text_flags(c, preserve));
		}
	}
}

int qj_text_normalize_doc(qj_ctx *ctx, xmlDocPtr doc, const char *default_lang)
{
	walk wk = {ctx, NULL, 0, 0};
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root)
		return 0;
	wk.a = qj_arena_new(ctx);
	if (!wk.a)
		return -1;
	walk_element(&wk, root, qj_text_lang(default_lang), 0);
	qj_arena_free(wk.a);
	if (wk.failed || qj_ctx_oom(ctx))
		return -1;
	return wk.fixed;
}

int qj_text_normalize_element(qj_ctx *ctx, xmlNodePtr el, const char *default_lang)
{
	walk wk = {ctx, NULL, 0, 0};
	const char *lang = qj_text_lang(default_lang);
	int preserve = 0, have_lang = 0, have_space = 0;
	xmlNodePtr p;
	/* what walk_element would carry down to el: the nearest xml:lang and
	 * xml:space above it */
	for (p = el->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
		xmlChar *v;
		if (!have_lang && (v = xmlGetNsProp(p, (const xmlChar *)"lang", XML_XML_NAMESPACE))) {
			lang = qj_text_lang((const char *)v);
			have_lang = 1;
			xmlFree(v);
		}
		if (!have_space &&
		    (v = xmlGetNsProp(p, (const xmlChar *)"space", XML_XML_NAMESPACE))) {
			preserve = !strcmp((const char *)v, "preserve");
			have_space = 1;
			xmlFree(v);
		}
	}
	wk.a = qj_arena_new(ctx);
	if (!wk.a)
		return -1;
	walk_element(&wk, el, lang, preserve);
	qj_arena_free(wk.a);
	if (wk.failed || qj_ctx_oom(ctx))
		return -1;
	return wk.fixed;
}
