/* typo: typography per language on normalized text. Quotes of the language
 * (nested quotes alternate), em dashes that cannot start a line, no-break
 * spaces after №, inside digit groups and around initials. The rules are
 * listed in docs/text.md. */
#include "text/text_imp.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define NBSP 0x00A0
#define EM_DASH 0x2014

typedef struct quotes {
	UChar32 open[2], close[2]; /* outer, inner */
} quotes;

static const quotes q_kk_ru = {{0x00AB, 0x201E}, {0x00BB, 0x201C}};
static const quotes q_en = {{0x201C, 0x2018}, {0x201D, 0x2019}};

/* The text as code points, read-only, with bounds-checked access. */
typedef struct text {
	const UChar32 *c;
	size_t n;
} text;

static UChar32 at(const text *t, size_t i) { return i < t->n ? t->c[i] : 0; }

static int is_space(UChar32 c) { return c == ' ' || c == NBSP; }

static int is_quote(UChar32 c)
{
	return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E ||
	       c == 0x201F || c == 0x00AB || c == 0x00BB;
}

static int is_dash(UChar32 c)
{
	return c == '-' || (c >= 0x2012 && c <= 0x2015) || c == 0x2212;
}

/* Whether the quote at i opens, depth quotes being open: « and „ always,
 * » never, “ never inside „ when low9 (kk, ru), the others when they follow
 * the start, a space, an opening bracket or quote and come before a
 * non-space. */
static int quote_opens(const text *t, size_t i, int depth, int low9)
{
	UChar32 c = t->c[i], prev = i ? t->c[i - 1] : 0, next = at(t, i + 1);
	if (c == 0x00AB || c == 0x201E)
		return 1;
	if (c == 0x00BB)
		return 0;
	/* “ closes the inner „ of kk and ru */
	if (low9 && c == 0x201C && depth > 0 && depth % 2 == 0)
		return 0;
	if (!next || is_space(next))
		return 0;
	return !prev || is_space(prev) || prev == '(' || prev == '[' ||
	       (is_quote(prev) && quote_opens(t, i - 1, depth - 1, low9)) ||
	       is_dash(prev);
}

/* A digit group: the space at i is between 1-3 digits (not part of a
 * longer number) and exactly three digits. */
static int digit_group_space(const text *t, size_t i)
{
	size_t k = i, run = 0;
	while (k > 0 && u_isdigit(t->c[k - 1])) {
		k--;
		run++;
	}
	if (run < 1 || run > 3)
		return 0;
	if (k > 0 && (t->c[k - 1] == '.' || t->c[k - 1] == ','))
		return 0;
	return u_isdigit(at(t, i + 1)) && u_isdigit(at(t, i + 2)) &&
	       u_isdigit(at(t, i + 3)) && !u_isdigit(at(t, i + 4));
}

/* An initial "X." ends just before the space at i. */
static int initial_before(const text *t, size_t i)
{
	return i >= 2 && t->c[i - 1] == '.' && u_isupper(t->c[i - 2]) &&
	       (i == 2 || !u_isalpha(t->c[i - 3]));
}

/* An initial "X." starts just after the space at i and is followed by no
 * letter (or by another initial: "А.Б."). */
static int initial_after(const text *t, size_t i)
{
	UChar32 after = at(t, i + 3);
	return u_isupper(at(t, i + 1)) && at(t, i + 2) == '.' &&
	       (!u_isalpha(after) || (u_isupper(after) && at(t, i + 4) == '.'));
}

/* A surname ends at i: a capitalised word of two letters or more. */
static int surname_before(const text *t, size_t i)
{
	size_t k = i;
	while (k > 0 && u_isalpha(t->c[k - 1]))
		k--;
	return i - k >= 2 && u_isupper(t->c[k]) && !u_isupper(t->c[k + 1]);
}

/* What the space at i becomes. */
static UChar32 space_kind(const text *t, size_t i)
{
	UChar32 prev = i ? t->c[i - 1] : 0, next = at(t, i + 1);
	if (prev == 0x2116 && u_isdigit(next))
		return NBSP; /* № 146 */
	if (digit_group_space(t, i))
		return NBSP; /* 100 000 */
	if (initial_before(t, i) && u_isupper(next))
		return NBSP; /* А. Б. Серікова */
	if (initial_after(t, i) && surname_before(t, i))
		return NBSP; /* Серікова А. Б. */
	return t->c[i];
}

static void put(qj_buf *b, UChar32 c)
{
	char tmp[8];
	int32_t k = 0;
	UBool err = 0;
	U8_APPEND((uint8_t *)tmp, k, (int32_t)sizeof tmp, c, err);
	if (!err)
		qj_buf_append(b, tmp, (size_t)k);
}

/* Removes the last character of b when it is a space (ASCII or NBSP). */
static void drop_space(qj_buf *b)
{
	if (b->len >= 1 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = 0;
	else if (b->len >= 2 && (unsigned char)b->data[b->len - 2] == 0xC2 &&
		 (unsigned char)b->data[b->len - 1] == 0xA0)
		b->data[b->len -= 2] = 0;
}

static void typeset(const text *t, const quotes *q, int en, qj_buf *b)
{
	size_t i;
	int depth = 0;
	for (i = 0; i < t->n; i++) {
		UChar32 c = t->c[i], prev = i ? t->c[i - 1] : 0;
		UChar32 next = at(t, i + 1);
		if (is_quote(c)) {
			if (quote_opens(t, i, depth, q == &q_kk_ru)) {
				put(b, q->open[depth % 2]);
				depth++;
			} else {
				depth -= depth > 0;
				put(b, q->close[depth % 2]);
			}
		} else if (c == '\'' && en && u_isalpha(prev) && u_isalpha(next)) {
			put(b, 0x2019); /* don't */
		} else if (is_dash(c) && i >= 2 && is_space(prev) &&
			   is_space(next)) {
			/* a dash between words: NBSP before, so no line
			 * starts with it */
			drop_space(b);
			put(b, NBSP);
			put(b, EM_DASH);
		} else if (c == 0x2116 && u_isdigit(next)) {
			put(b, c); /* №146 */
			put(b, NBSP);
		} else if (c == ' ') {
			put(b, space_kind(t, i));
		} else {
			put(b, c);
		}
	}
}

char *qj_text_typography(qj_ctx *ctx, qj_arena *a, const char *s,
			 const char *lang)
{
	size_t n = strlen(s);
	int32_t i = 0;
	UChar32 *c;
	text t;
	qj_buf b;
	char *r;

	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang || qj_text_check_utf8(ctx, "-", s, n, 1) < 0)
		return NULL;
	c = qj_arena_alloc(a, (n + 1) * sizeof *c);
	if (!c)
		return NULL;
	t.c = c;
	t.n = 0;
	while (i < (int32_t)n) {
		UChar32 u;
		U8_NEXT_UNSAFE((const uint8_t *)s, i, u);
		c[t.n++] = u;
	}
	qj_buf_init(&b, ctx);
	typeset(&t, strcmp(lang, "en") ? &q_kk_ru : &q_en, !strcmp(lang, "en"),
		&b);
	r = qj_ctx_oom(ctx) ? NULL : qj_arena_strdup(a, qj_buf_str(&b));
	qj_buf_free(&b);
	return r;
}
