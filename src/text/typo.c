/* typo: typography per language on normalized text. Quotes of the language
 * (nested quotes alternate), em dashes that cannot start a line, and the
 * places no line may break: after №, inside digit groups and phone numbers,
 * around initials, after address abbreviations (г., ул., көш.), between a
 * number and its unit, inside 112-үй. The rules are listed in
 * docs/text.md. */
#include "text/text_imp.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define NBSP 0x00A0
#define NB_HYPHEN 0x2011 /* in every face of fonts/ (PT Serif, PT Sans,
			    DejaVu Sans); U+2060 WORD JOINER is not in PT */
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

/* Abbreviations that stay with what follows them (an address, a number).
 * kk, ru and en ones apply to every language: addresses of one language
 * appear in documents of the other. */
static const char *const abbrevs[] = {
	/* ru */
	"г.", "ул.", "д.", "пр.", "пр-т", "обл.", "р-н", "кв.", "пер.", "мкр.",
	"корп.", "пос.", "ст.", "тел.", "с.",
	/* kk: көшесі, үй, қала(сы), облыс, аудан, даңғылы, пәтер, ауыл */
	"көш.", "ү.", "қ.", "ауд.", "даңғ.", "пәт.", "а.",
	/* en */
	"No.", "St.", "Ave.", "Apt.", "p.", "pp.", "Art.", "Mr.", "Mrs.", "Ms.",
	"Dr.", "tel.",
};

/* Units after a number. A trailing '*' matches any ending (Kazakh and
 * Russian inflect: сағаттан, часов); without it the unit is a whole word. */
static const char *const units[] = {
	"%", "‰", "₸", "$", "€", "°", "°C",
	/* kk */
	"сағат*", "минут*", "секунд*", "күн*", "апта*", "ай", "айы*", "айға",
	"айда", "айдан", "айлық", "жыл*", "ж.", "ж", "жас*", "теңге*", "тг",
	"мың", "млн", "млрд", "пайыз*", "шақырым*", "сағ.", "мин.",
	/* ru */
	"час*", "ч", "ч.", "мин", "сек", "сут*", "день", "дня", "дней", "недел*",
	"месяц*", "год*", "лет", "г.", "г", "гг.", "тенге", "руб*", "тыс.",
	"процент*", "шт.",
	/* every language */
	"км", "м", "см", "мм", "кг", "т", "л", "га", "km", "m", "cm", "mm", "kg",
	"g", "t", "l", "ha", "KZT", "USD",
	/* en */
	"h", "hour*", "minute*", "min", "second*", "day*", "week*", "month*",
	"year*", "percent", "tenge",
};

/* Whether c is want; a wanted '-' matches a no-break hyphen too, so that
 * typography stays idempotent. */
static int same(UChar32 c, UChar32 want)
{
	return c == want || (want == '-' && c == NB_HYPHEN);
}

/* Length (code points) of word w matched at t[i..], 0 when it does not
 * match. A trailing '*' in w lets any letters follow; otherwise no letter
 * or digit may. fold: the first letter may also be its capital. */
static size_t match_at(const text *t, size_t i, const char *w, int fold)
{
	size_t k = i;
	int32_t j = 0, n = (int32_t)strlen(w);
	int star = n && w[n - 1] == '*';
	if (star)
		n--;
	while (j < n) {
		UChar32 want;
		U8_NEXT_UNSAFE((const uint8_t *)w, j, want);
		if (!same(at(t, k), want) &&
		    !(fold && k == i && at(t, k) == u_toupper(want)))
			return 0;
		k++;
	}
	if (!star && (u_isalnum(at(t, k)) || at(t, k) == '-'))
		return 0;
	return k - i;
}

/* Length of w in code points; *dash receives the index of its '-' (or
 * the length when it has none). */
static size_t cp_len(const char *w, size_t *dash)
{
	size_t len = 0;
	int32_t j = 0;
	*dash = (size_t)-1;
	while (w[j]) {
		UChar32 c;
		U8_NEXT_UNSAFE((const uint8_t *)w, j, c);
		if (c == '-' && *dash == (size_t)-1)
			*dash = len;
		len++;
	}
	if (*dash == (size_t)-1)
		*dash = len;
	return len;
}

/* An abbreviation of the table starts at k as a word of its own. */
static int abbrev_at(const text *t, size_t k, size_t n, size_t len)
{
	return (k == 0 || !u_isalnum(t->c[k - 1])) &&
	       match_at(t, k, abbrevs[n], 1) == len;
}

/* The hyphen at i is inside an abbreviation of the table (р-н, пр-т). */
static int abbrev_hyphen(const text *t, size_t i)
{
	size_t n, dash, len;
	for (n = 0; n < sizeof abbrevs / sizeof *abbrevs; n++) {
		len = cp_len(abbrevs[n], &dash);
		if (dash < len && dash <= i && abbrev_at(t, i - dash, n, len))
			return 1;
	}
	return 0;
}

/* The space at i ends an abbreviation of the table, a word of its own. */
static int abbrev_before(const text *t, size_t i)
{
	size_t n, k, dash;
	for (n = 0; n < sizeof abbrevs / sizeof *abbrevs; n++) {
		size_t len = cp_len(abbrevs[n], &dash);
		if (len > i)
			continue;
		k = i - len;
		/* after a number it is a unit (2026 г.), not a prefix */
		if (k >= 2 && is_space(t->c[k - 1]) && u_isdigit(t->c[k - 2]))
			continue;
		if (abbrev_at(t, k, n, len))
			return 1;
	}
	return 0;
}

/* A number ends before the space at i and a unit of the table follows. */
static int unit_after(const text *t, size_t i)
{
	size_t n, k = i;
	if (!i || !u_isdigit(t->c[i - 1]))
		return 0;
	/* a code such as 6B01501 is not a number */
	while (k > 0 && (u_isdigit(t->c[k - 1]) || t->c[k - 1] == ',' ||
			 t->c[k - 1] == '.'))
		k--;
	if (k > 0 && u_isalpha(t->c[k - 1]))
		return 0;
	for (n = 0; n < sizeof units / sizeof *units; n++)
		if (match_at(t, i + 1, units[n], 0))
			return 1;
	return 0;
}

static int phone_sep(UChar32 c)
{
	return c == ' ' || c == NBSP || c == '-' || c == NB_HYPHEN;
}

/* A phone number starts at i: "+7 702 318 44 90", "8 (7172) 55-12-34":
 * + and a country code, or 8, then groups of digits (one in brackets)
 * separated by single spaces or hyphens (none after the brackets), 10 to
 * 12 digits in all, at least three groups, the last of two digits or more. Returns the index after it, 0 when there is none. */
static size_t phone_end(const text *t, size_t i)
{
	size_t k = i, digits = 0, groups = 0, end;
	if (i > 0 && (u_isalnum(t->c[i - 1]) || t->c[i - 1] == '+' ||
		      t->c[i - 1] == '-' || t->c[i - 1] == NB_HYPHEN))
		return 0;
	if (at(t, k) == '+')
		k++;
	else if (at(t, k) != '8')
		return 0;
	for (;;) {
		size_t run = 0, open = at(t, k) == '(';
		k += open;
		while (u_isdigit(at(t, k))) {
			k++;
			run++;
		}
		if (!run || run > 5 || (open && at(t, k++) != ')'))
			return 0;
		digits += run;
		groups++;
		end = k;
		if (phone_sep(at(t, k)) &&
		    (u_isdigit(at(t, k + 1)) || at(t, k + 1) == '('))
			k++;
		else if (at(t, k) != '(' && !(open && u_isdigit(at(t, k))))
			break; /* 8(7172)55-12-34 has no separators */
	}
	if (digits < 10 || digits > 12 || groups < 3 || u_isalnum(at(t, end)) ||
	    !u_isdigit(at(t, end - 2)))
		return 0; /* the last group has two digits or more */
	return end;
}

/* The hyphen at i joins a number and a word in small letters: 112-үй,
 * 5-қабат, 3-й; not a part of a code (ТРК-2026-САЙ, 6B-01, 2026-ТРК). */
static int number_word(const text *t, size_t i)
{
	size_t k = i, j = i + 1;
	while (k > 0 && u_isdigit(t->c[k - 1]))
		k--;
	if (k == i || (k > 0 && (u_isalnum(t->c[k - 1]) || t->c[k - 1] == '-' ||
				 t->c[k - 1] == '/' || t->c[k - 1] == '.' ||
				 t->c[k - 1] == NB_HYPHEN)))
		return 0;
	while (u_islower(at(t, j)))
		j++;
	return j > i + 1 && !u_isalnum(at(t, j)) && at(t, j) != '-' && at(t, j) != '/';
}

/* Marks in rep (0: unchanged) what the no-break rules that span more than
 * one character change: phone numbers, 112-үй. */
static void mark_nobreak(const text *t, UChar32 *rep)
{
	size_t i, k, end;
	for (i = 0; i < t->n; i++) {
		UChar32 c = t->c[i];
		if ((c == '+' || c == '8') && (end = phone_end(t, i))) {
			for (k = i; k < end; k++) {
				if (t->c[k] == ' ')
					rep[k] = NBSP;
				else if (t->c[k] == '-')
					rep[k] = NB_HYPHEN;
			}
			i = end - 1;
		} else if (c == '-' && number_word(t, i)) {
			rep[i] = NB_HYPHEN; /* 112-үй, 5-қабат, 3-й */
		} else if (c == '-' && abbrev_hyphen(t, i)) {
			rep[i] = NB_HYPHEN; /* р-н, пр-т */
		}
	}
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
	if (prev == 0x2116 && next && !is_space(next))
		return NBSP; /* № п/п */
	if (next && !is_space(next) && abbrev_before(t, i))
		return NBSP; /* г. Караганды, көш. Абай */
	if (unit_after(t, i))
		return NBSP; /* 72 сағат, 10 % */
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

/* A token (a run of non-spaces) that is a URL or an e-mail address: its
 * characters are kept as they are (a QR's verification address printed
 * under it, a contact address). The quotes and brackets around it are not
 * part of it. */
static void keep_addresses(const text *t, unsigned char *keep)
{
	size_t i = 0, k, a, b;
	while (i < t->n) {
		int addr = 0;
		if (is_space(t->c[i])) {
			i++;
			continue;
		}
		for (k = i; k < t->n && !is_space(t->c[k]); k++)
			if ((t->c[k] == ':' && at(t, k + 1) == '/' && at(t, k + 2) == '/') ||
			    (t->c[k] == '@' && k > i && u_isalnum(t->c[k - 1]) &&
			     u_isalnum(at(t, k + 1))) ||
			    (k == i && (t->c[k] == 'w' || t->c[k] == 'W') &&
			     at(t, k + 1) == t->c[k] && at(t, k + 2) == t->c[k] &&
			     at(t, k + 3) == '.'))
				addr = 1;
		if (addr) {
			for (a = i; a < k && !u_isalnum(t->c[a]); a++)
				;
			for (b = k; b > a && !u_isalnum(t->c[b - 1]) && t->c[b - 1] != '/'; b--)
				;
			memset(keep + a, 1, b - a);
		}
		i = k;
	}
}

/* Characters that each input character becomes: out[2 * i] (0: deleted)
 * and out[2 * i + 1] (0: nothing more). keep[i]: left as it is. */
static void typeset(const text *t, const UChar32 *rep, const unsigned char *keep,
		    const quotes *q, int en, UChar32 *out)
{
	size_t i;
	int depth = 0, closed = 0; /* closed: the last output closed the outermost quote */
	for (i = 0; i < t->n; i++) {
		UChar32 c = t->c[i], prev = i ? t->c[i - 1] : 0;
		UChar32 next = at(t, i + 1);
		UChar32 *o = &out[2 * i];
		int was_closed = closed;
		o[0] = c;
		o[1] = 0;
		closed = 0;
		if (keep[i])
			continue;
		if (rep[i]) {
			o[0] = rep[i];
		} else if (is_quote(c)) {
			if (quote_opens(t, i, depth, q == &q_kk_ru)) {
				o[0] = q->open[depth % 2];
				depth++;
			} else if (depth == 0 && was_closed) {
				/* a quote doubled at the end: the data's own and the
				 * template's ("…""), printed once */
				o[0] = 0;
				closed = 1;
			} else {
				depth -= depth > 0;
				o[0] = q->close[depth % 2];
				closed = depth == 0;
			}
		} else if (c == '\'' && en && u_isalpha(prev) && u_isalpha(next)) {
			o[0] = 0x2019; /* don't */
		} else if (is_dash(c) && i >= 2 && is_space(prev) &&
			   is_space(next)) {
			/* a dash between words: NBSP before, so no line
			 * starts with it */
			if (!keep[i - 1])
				out[2 * (i - 1)] = NBSP;
			o[0] = EM_DASH;
		} else if (c == 0x2116 && u_isdigit(next)) {
			o[1] = NBSP; /* №146 */
		} else if (c == ' ') {
			o[0] = space_kind(t, i);
		}
	}
}

char *qj_text_typography(qj_ctx *ctx, qj_arena *a, const char *s,
			 const char *lang)
{
	char *r = NULL;
	return qj_text_typography_parts(ctx, a, &s, NULL, 1, lang, &r) < 0 ? NULL : r;
}

/* The memo's key of a call (memo.c): 'T', the language, and each part as
 * its keep flag, its text and a NUL. 0, or -1 out of memory. */
static int memo_key(qj_buf *k, const char *lang, const char *const *parts,
		    const unsigned char *keep_part, size_t nparts)
{
	size_t p;
	qj_buf_putc(k, 'T');
	qj_buf_append(k, lang, strlen(lang) + 1);
	for (p = 0; p < nparts; p++) {
		qj_buf_putc(k, keep_part && keep_part[p] ? '1' : '0');
		qj_buf_append(k, parts[p], strlen(parts[p]) + 1);
	}
	return qj_ctx_oom(k->ctx) ? -1 : 0;
}

/* The parts of a kept result (each NUL-terminated) into out, in a. */
static int memo_parts(qj_arena *a, const char *v, size_t nparts, char **out)
{
	size_t p;
	for (p = 0; p < nparts; p++) {
		size_t len = strlen(v);
		if (!(out[p] = qj_arena_strndup(a, v, len)))
			return -1;
		v += len + 1;
	}
	return 0;
}

static int typography_parts(qj_ctx *ctx, qj_arena *a, const char *const *parts,
			    const unsigned char *keep_part, size_t nparts,
			    const char *lang, char **out);

int qj_text_typography_parts(qj_ctx *ctx, qj_arena *a, const char *const *parts,
			     const unsigned char *keep_part, size_t nparts,
			     const char *lang, char **out)
{
	const char *kept;
	size_t vlen, p;
	qj_buf k, v;
	int rc;

	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang)
		return -1;
	/* a text typeset before (the same labels on every page of a batch) */
	qj_buf_init(&k, ctx);
	if (memo_key(&k, lang, parts, keep_part, nparts) < 0) {
		qj_buf_free(&k);
		return -1;
	}
	if ((kept = qj_text_memo_get(ctx, k.data, k.len, &vlen))) {
		rc = memo_parts(a, kept, nparts, out);
		qj_buf_free(&k);
		return rc;
	}
	rc = typography_parts(ctx, a, parts, keep_part, nparts, lang, out);
	if (rc == 0) {
		qj_buf_init(&v, ctx);
		for (p = 0; p < nparts; p++)
			qj_buf_append(&v, out[p], strlen(out[p]) + 1);
		if (!qj_ctx_oom(ctx))
			qj_text_memo_put(ctx, k.data, k.len, v.data, v.len);
		qj_buf_free(&v);
	}
	qj_buf_free(&k);
	return qj_ctx_oom(ctx) ? -1 : rc;
}

static int typography_parts(qj_ctx *ctx, qj_arena *a, const char *const *parts,
			    const unsigned char *keep_part, size_t nparts,
			    const char *lang, char **out)
{
	size_t n = 0, p, i;
	UChar32 *c, *rep, *res;
	unsigned char *keep;
	size_t *owner;
	text t;
	qj_buf b;

	for (p = 0; p < nparts; p++) {
		size_t len = strlen(parts[p]);
		if (qj_text_check_utf8(ctx, "-", parts[p], len, 1) < 0)
			return -1;
		n += len;
	}
	c = qj_arena_alloc(a, (n + 1) * sizeof *c);
	rep = qj_arena_alloc(a, (n + 1) * sizeof *rep);
	res = qj_arena_alloc(a, (2 * n + 2) * sizeof *res);
	owner = qj_arena_alloc(a, (n + 1) * sizeof *owner);
	keep = qj_arena_alloc(a, n + 1);
	if (!c || !rep || !res || !owner || !keep)
		return -1;
	memset(rep, 0, (n + 1) * sizeof *rep);
	memset(keep, 0, n + 1);
	/* one text of all the parts, so that quotes and the no-break rules see
	 * across their boundaries; each character remembers its part */
	t.c = c;
	t.n = 0;
	for (p = 0; p < nparts; p++) {
		int32_t k = 0, len = (int32_t)strlen(parts[p]);
		while (k < len) {
			UChar32 u;
			U8_NEXT_UNSAFE((const uint8_t *)parts[p], k, u);
			keep[t.n] = keep_part && keep_part[p];
			owner[t.n] = p;
			c[t.n++] = u;
		}
	}
	keep_addresses(&t, keep);
	mark_nobreak(&t, rep);
	typeset(&t, rep, keep, strcmp(lang, "en") ? &q_kk_ru : &q_en,
		!strcmp(lang, "en"), res);
	/* back into the parts */
	qj_buf_init(&b, ctx);
	for (p = 0, i = 0; p < nparts; p++) {
		qj_buf_reset(&b);
		for (; i < t.n && owner[i] == p; i++) {
			if (res[2 * i])
				put(&b, res[2 * i]);
			if (res[2 * i + 1])
				put(&b, res[2 * i + 1]);
		}
		out[p] = qj_ctx_oom(ctx) ? NULL : qj_arena_strdup(a, qj_buf_str(&b));
		if (!out[p])
			break;
	}
	qj_buf_free(&b);
	return p == nparts ? 0 : -1;
}
