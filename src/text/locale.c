/* locale: the services that depend on the language, each a thin wrapper over
 * one ICU service: dates (udat with our own patterns for the official
 * style), numbers and tenge (unum), plural forms (plural rules and
 * MessageFormat), case mapping and sorting (ucol sort keys). */
#include "text/text_imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/uenum.h>
#include <unicode/umsg.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

/* ---- the services opened once per context and language --------------- */

#define CACHED_LANGS 6
#define CACHED_BREAKS 6

typedef struct lang_services {
	char lang[8];
	UDateFormat *date;    /* the official pattern, UTC */
	UCalendar *cal;       /* Gregorian, UTC */
	UNumberFormat *dec;   /* decimal, up to 3 fraction digits */
	UPluralRules *plural;
} lang_services;

typedef struct text_cache {
	lang_services langs[CACHED_LANGS];
	int nlangs;
	struct {
		int type;
		char loc[8];
		UBreakIterator *it;
	} breaks[CACHED_BREAKS];
	int nbreaks;
	qj_text_memo *memo;   /* results of the services (memo.c) */
	int memo_tried;
} text_cache;

static void cache_free(void *p)
{
	text_cache *c = p;
	int i;
	for (i = 0; i < c->nlangs; i++) {
		if (c->langs[i].date)
			udat_close(c->langs[i].date);
		if (c->langs[i].cal)
			ucal_close(c->langs[i].cal);
		if (c->langs[i].dec)
			unum_close(c->langs[i].dec);
		if (c->langs[i].plural)
			uplrules_close(c->langs[i].plural);
	}
	for (i = 0; i < c->nbreaks; i++)
		ubrk_close(c->breaks[i].it);
	qj_text_memo_free(c->memo);
	free(c);
}

static text_cache *cache_of(qj_ctx *ctx)
{
	text_cache *c = qj_ctx_slot(ctx, QJ_SLOT_TEXT);
	if (!c && (c = calloc(1, sizeof *c)))
		qj_ctx_set_slot(ctx, QJ_SLOT_TEXT, c, cache_free);
	return c;
}

qj_text_memo *qj_text_memo_of(qj_ctx *ctx)
{
	text_cache *c = cache_of(ctx);
	if (c && !c->memo && !c->memo_tried) {
		c->memo_tried = 1;
		c->memo = qj_text_memo_new();
	}
	return c ? c->memo : NULL;
}

/* The services of lang (a checked language tag), its slot made when new;
 * NULL when the cache is full or out of memory (the callers then open
 * their services for the one call). */
static lang_services *services(qj_ctx *ctx, const char *lang)
{
	text_cache *c = cache_of(ctx);
	int i;
	if (!c || strlen(lang) >= sizeof c->langs[0].lang)
		return NULL;
	for (i = 0; i < c->nlangs; i++)
		if (!strcmp(c->langs[i].lang, lang))
			return &c->langs[i];
	if (c->nlangs == CACHED_LANGS)
		return NULL;
	snprintf(c->langs[c->nlangs].lang, sizeof c->langs[0].lang, "%s", lang);
	return &c->langs[c->nlangs++];
}

UBreakIterator *qj_text_cached_breaks(qj_ctx *ctx, int type, const char *loc, UErrorCode *st)
{
	text_cache *c = cache_of(ctx);
	UBreakIterator *it;
	int i;
	if (c && strlen(loc) < sizeof c->breaks[0].loc)
		for (i = 0; i < c->nbreaks; i++)
			if (c->breaks[i].type == type && !strcmp(c->breaks[i].loc, loc))
				return c->breaks[i].it;
	if (!c || strlen(loc) >= sizeof c->breaks[0].loc || c->nbreaks == CACHED_BREAKS)
		return NULL; /* the caller opens one for the call */
	it = ubrk_open((UBreakIteratorType)type, loc, NULL, 0, st);
	if (U_FAILURE(*st))
		return NULL;
	c->breaks[c->nbreaks].type = type;
	snprintf(c->breaks[c->nbreaks].loc, sizeof c->breaks[0].loc, "%s", loc);
	c->breaks[c->nbreaks].it = it;
	c->nbreaks++;
	return it;
}

/* The decimal format of lang (3 fraction digits), cached. */
static UNumberFormat *decimal(qj_ctx *ctx, lang_services *ls, const char *lang, UErrorCode *st)
{
	UNumberFormat *nf;
	if (ls && ls->dec)
		return ls->dec;
	nf = unum_open(UNUM_DECIMAL, NULL, 0, lang, NULL, st);
	if (U_SUCCESS(*st))
		unum_setAttribute(nf, UNUM_MAX_FRACTION_DIGITS, 3);
	if (ls && U_SUCCESS(*st))
		ls->dec = nf;
	(void)ctx;
	return nf;
}

/* ---- dates ---------------------------------------------------------- */

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* Reads exactly n digits. */
static int digits(const char *s, int n, int *out)
{
	int i, v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int qj_text_is_date(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && month >= 1 && month <= 12 &&
	       day >= 1 && day <= days_in_month(year, month);
}

int qj_text_parse_iso_date(const char *s, int *year, int *month, int *day)
{
	int y, m, d;
	if (!s || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 0 ||
	    !qj_text_is_date(y, m, d))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

long qj_text_day_number(int year, int month, int day)
{
	/* the proleptic Gregorian calendar in eras of 400 years */
	long y = year - (month <= 2), era, yoe, doy, doe;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int qj_text_parse_date(const char *s, int *year, int *month, int *day)
{
	int y, m, d;
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	if (!digits(s, 4, &y) && s[4] == '-' && !digits(s + 5, 2, &m) &&
	    s[7] == '-' && !digits(s + 8, 2, &d) &&
	    (s[10] == 0 || s[10] == 'T' || s[10] == ' '))
		;
	else if (!digits(s, 2, &d) && s[2] == '.' && !digits(s + 3, 2, &m) &&
		 s[5] == '.' && !digits(s + 6, 4, &y) &&
		 (s[10] == 0 || s[10] == ' '))
		;
	else
		return -1;
	if (!qj_text_is_date(y, m, d))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

/* The official date patterns. ICU 72 has "y 'ж'. d MMMM" as the long kk
 * date and "d MMMM y 'г'." for ru; the official style spells the words
 * out. The month names (format context, so genitive in ru) come from ICU. */
static const char *date_pattern(const char *lang)
{
	if (!strcmp(lang, "kk"))
		return "y 'жылғы' d MMMM";
	if (!strcmp(lang, "ru"))
		return "d MMMM y 'года'";
	return "d MMMM y";
}

char *qj_text_date(qj_ctx *ctx, qj_arena *a, int year, int month, int day,
		   const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UDateFormat *f = NULL;
	UCalendar *cal = NULL;
	UChar pat[64], out[128];
	int32_t n = 0;
	char *r = NULL;
	UDate when;
	lang_services *ls;
	char key[64];
	const char *kept;
	size_t klen;

	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang)
		return NULL;
	if (!qj_text_is_date(year, month, day)) {
		qj_error(ctx, NULL, 0, "no such date: %04d-%02d-%02d", year,
			 month, day);
		return NULL;
	}
	/* a date formatted before (a course's dates on every certificate) */
	snprintf(key, sizeof key, "D%s %04d-%02d-%02d", lang, year, month, day);
	if ((kept = qj_text_memo_get(ctx, key, strlen(key), &klen)))
		return qj_arena_strndup(a, kept, klen);
	ls = services(ctx, lang);
	u_strFromUTF8(pat, 64, NULL, date_pattern(lang), -1, &st);
	/* A Gregorian calendar in UTC: the date is a calendar date, not an
	 * instant, so no time zone may move it to the day before. */
	cal = ls && ls->cal ? ls->cal : ucal_open(u"UTC", -1, lang, UCAL_GREGORIAN, &st);
	if (U_SUCCESS(st)) {
		ucal_clear(cal);
		ucal_setDate(cal, year, month - 1, day, &st);
	}
	when = U_SUCCESS(st) ? ucal_getMillis(cal, &st) : 0;
	if (U_SUCCESS(st))
		f = ls && ls->date ? ls->date
				   : udat_open(UDAT_PATTERN, UDAT_PATTERN, lang, u"UTC", -1, pat,
					       -1, &st);
	if (U_SUCCESS(st))
		n = udat_format(f, when, out, 128, NULL, &st);
	if (qj_text_icu_check(ctx, st, "udat_format") == 0)
		r = qj_text_u8(ctx, a, out, n);
	if (r)
		qj_text_memo_put(ctx, key, strlen(key), r, strlen(r));
	/* kept for the next date in this language, when there is room */
	if (ls && U_SUCCESS(st)) {
		ls->date = f;
		ls->cal = cal;
		return r;
	}
	if (f && (!ls || f != ls->date))
		udat_close(f);
	if (cal && (!ls || cal != ls->cal))
		ucal_close(cal);
	return r;
}

/* ---- numbers and money ----------------------------------------------- */

/* Formats x with nf; nf is closed unless it is cached (keep). */
static char *format_number(qj_ctx *ctx, qj_arena *a, UNumberFormat *nf,
			   double x, UErrorCode st, int keep)
{
	UChar out[128];
	int32_t n = 0;
	if (U_SUCCESS(st))
		n = unum_formatDouble(nf, x, out, 128, NULL, &st);
	if (nf && !keep)
		unum_close(nf);
	if (qj_text_icu_check(ctx, st, "unum_formatDouble") < 0)
		return NULL;
	return qj_text_u8(ctx, a, out, n);
}

/* Numbers are doubles (XPath's): integers are exact only below 2^53, past
 * that a value read as 99999999999999999999999 would print other digits
 * (100 000 000 000 000 030 000 000), so it is refused instead. */
#define EXACT_LIMIT 9007199254740992.0 /* 2^53 */

static int check_finite(qj_ctx *ctx, double x)
{
	if (!isfinite(x)) {
		qj_error(ctx, NULL, 0, "not a number: %g", x);
		return -1;
	}
	if (fabs(x) >= EXACT_LIMIT) {
		qj_error(ctx, NULL, 0, "the number %g is too large to print exactly "
			 "(numbers must be below 2^53 = 9007199254740992)", x);
		return -1;
	}
	return 0;
}

char *qj_text_number(qj_ctx *ctx, qj_arena *a, double x, const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UNumberFormat *nf;
	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang || check_finite(ctx, x) < 0)
		return NULL;
	{
		lang_services *ls = services(ctx, lang);
		nf = decimal(ctx, ls, lang, &st);
		return format_number(ctx, a, nf, x, st, ls && nf == ls->dec);
	}
}

char *qj_text_money(qj_ctx *ctx, qj_arena *a, double x, const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UNumberFormat *nf;
	int whole;
	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang || check_finite(ctx, x) < 0)
		return NULL;
	/* Whole tenge are printed without ",00". */
	whole = fabs(x - nearbyint(x)) < 0.005;
	nf = unum_open(UNUM_CURRENCY, NULL, 0, lang, NULL, &st);
	if (U_SUCCESS(st)) {
		/* ru and en would print "KZT": the sign is ₸ everywhere. */
		unum_setTextAttribute(nf, UNUM_CURRENCY_CODE, u"KZT", 3, &st);
		unum_setSymbol(nf, UNUM_CURRENCY_SYMBOL, u"\u20B8", 1, &st);
		unum_setAttribute(nf, UNUM_MIN_FRACTION_DIGITS, whole ? 0 : 2);
		unum_setAttribute(nf, UNUM_MAX_FRACTION_DIGITS, whole ? 0 : 2);
		/* money is rounded half up, as on a receipt */
		unum_setAttribute(nf, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFUP);
	}
	return format_number(ctx, a, nf, x, st, 0);
}

/* ---- plurals ---------------------------------------------------------- */

/* The plural categories of the language, in CLDR order. */
static const char *const categories[] = {"zero", "one", "two", "few",
					 "many", "other"};

/* Picks the form for category cat among the '|'-separated forms; see
 * text.h for the rule when a form is missing. Returns a copy in a. */
static char *pick_form(qj_arena *a, const char *forms, const char *cat,
		       UPluralRules *pr)
{
	const char *have[6];
	const char *parts[6], *p = forms;
	size_t lens[6];
	int ncat = 0, nparts = 0, i, want = -1, few = -1;
	UErrorCode st = U_ZERO_ERROR;
	UEnumeration *kw = uplrules_getKeywords(pr, &st);
	const char *k;

	/* the language's categories, in canonical order */
	for (i = 0; i < 6; i++) {
		int found = 0;
		uenum_reset(kw, &st);
		while ((k = uenum_next(kw, NULL, &st)))
			if (!strcmp(k, categories[i]))
				found = 1;
		if (found)
			have[ncat++] = categories[i];
	}
	uenum_close(kw);
	/* the forms */
	while (nparts < 6) {
		const char *bar = strchr(p, '|');
		parts[nparts] = p;
		lens[nparts] = bar ? (size_t)(bar - p) : strlen(p);
		nparts++;
		if (!bar)
			break;
		p = bar + 1;
	}
	for (i = 0; i < ncat; i++) {
		if (!strcmp(have[i], cat))
			want = i;
		if (!strcmp(have[i], "few"))
			few = i;
	}
	if (want < 0 || want >= nparts)
		want = !strcmp(cat, "other") && few >= 0 && few < nparts
			       ? few : nparts - 1;
	return qj_arena_strndup(a, parts[want], lens[want]);
}

/* Formats a MessageFormat pattern with n as argument 0. */
static char *format_message(qj_ctx *ctx, qj_arena *a, const char *pattern,
			    double n, const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	UMessageFormat *mf;
	int32_t plen, olen = 0;
	UChar *pat = qj_text_u16(ctx, a, pattern, &plen), *out;
	char *r = NULL;

	if (!pat)
		return NULL;
	mf = umsg_open(pat, plen, lang, &pe, &st);
	if (U_FAILURE(st)) {
		if (mf)
			umsg_close(mf);
		qj_error(ctx, NULL, 0, "bad plural pattern '%s' (%s at offset %d)",
			 pattern, u_errorName(st), (int)pe.offset);
		return NULL;
	}
	/* first the length, then the text */
	olen = umsg_format(mf, NULL, 0, &st, n);
	if (st == U_BUFFER_OVERFLOW_ERROR)
		st = U_ZERO_ERROR;
	out = U_SUCCESS(st) ? qj_arena_alloc(a, ((size_t)olen + 1) * sizeof *out)
			    : NULL;
	if (out) {
		umsg_format(mf, out, olen + 1, &st, n);
		if (qj_text_icu_check(ctx, st, "umsg_format") == 0)
			r = qj_text_u8(ctx, a, out, olen);
	} else {
		qj_text_icu_check(ctx, st, "umsg_format");
	}
	umsg_close(mf);
	return r;
}

char *qj_text_plural(qj_ctx *ctx, qj_arena *a, double n, const char *forms,
		     const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UPluralRules *pr;
	UNumberFormat *nf;
	UChar kw[16];
	char cat[16], *form, *msg;
	const char *kept = NULL;
	lang_services *ls;
	qj_buf b, k;
	size_t i, klen;

	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang || !forms || check_finite(ctx, n) < 0)
		return NULL;
	if (strchr(forms, '{'))
		return format_message(ctx, a, forms, n, lang);
	/* the same count in the same words as before (a course's hours) */
	qj_buf_init(&k, ctx);
	qj_buf_putc(&k, 'P');
	qj_buf_append(&k, lang, strlen(lang) + 1);
	qj_buf_append(&k, (const char *)&n, sizeof n);
	qj_buf_puts(&k, forms);
	if (qj_ctx_oom(ctx) || (kept = qj_text_memo_get(ctx, k.data, k.len, &klen))) {
		form = qj_ctx_oom(ctx) ? NULL : qj_arena_strndup(a, kept, klen);
		qj_buf_free(&k);
		return form;
	}
	/* The category comes from the number as it is printed (1,5 not 1);
	 * the rules and the format are kept for the language */
	ls = services(ctx, lang);
	pr = ls && ls->plural ? ls->plural : uplrules_open(lang, &st);
	if (ls && U_SUCCESS(st))
		ls->plural = pr;
	nf = U_SUCCESS(st) ? decimal(ctx, ls, lang, &st) : NULL;
	if (U_SUCCESS(st))
		uplrules_selectWithFormat(pr, n, nf, kw, 16, &st);
	if (qj_text_icu_check(ctx, st, "uplrules_select") < 0) {
		if (pr && (!ls || pr != ls->plural))
			uplrules_close(pr);
		if (nf && (!ls || nf != ls->dec))
			unum_close(nf);
		qj_buf_free(&k);
		return NULL;
	}
	u_austrcpy(cat, kw);
	form = pick_form(a, forms, cat, pr);
	if (!ls || pr != ls->plural)
		uplrules_close(pr);
	/* '#' stands for the number. */
	msg = form ? qj_text_number(ctx, a, n, lang) : NULL;
	if (!ls || nf != ls->dec)
		unum_close(nf);
	if (!msg) {
		qj_buf_free(&k);
		return NULL;
	}
	qj_buf_init(&b, ctx);
	for (i = 0; form[i]; i++) {
		if (form[i] == '#')
			qj_buf_puts(&b, msg);
		else
			qj_buf_putc(&b, form[i]);
	}
	form = qj_ctx_oom(ctx) ? NULL : qj_arena_strdup(a, qj_buf_str(&b));
	if (form)
		qj_text_memo_put(ctx, k.data, k.len, form, strlen(form));
	qj_buf_free(&b);
	qj_buf_free(&k);
	return form;
}

/* ---- case ------------------------------------------------------------- */

static char *map_case(qj_ctx *ctx, qj_arena *a, const char *text,
		      const char *lang, int upper)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len, olen;
	UChar *u, *out;

	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang || !(u = qj_text_u16(ctx, a, text, &len)))
		return NULL;
	/* Case mapping can grow a string up to three times (ß -> SS...). */
	out = qj_arena_alloc(a, ((size_t)len * 3 + 1) * sizeof *out);
	if (!out)
		return NULL;
	olen = upper ? u_strToUpper(out, len * 3 + 1, u, len, lang, &st)
		     : u_strToLower(out, len * 3 + 1, u, len, lang, &st);
	if (qj_text_icu_check(ctx, st, upper ? "u_strToUpper" : "u_strToLower") < 0)
		return NULL;
	return qj_text_u8(ctx, a, out, olen);
}

char *qj_text_upper(qj_ctx *ctx, qj_arena *a, const char *text,
		    const char *lang)
{
	return map_case(ctx, a, text, lang, 1);
}

char *qj_text_lower(qj_ctx *ctx, qj_arena *a, const char *text,
		    const char *lang)
{
	return map_case(ctx, a, text, lang, 0);
}

/* x[0..xn) as UTF-16 in a new buffer (caller qj_free()s); NULL on invalid
 * UTF-8 or out of memory. */
static UChar *u16_of(qj_ctx *ctx, const char *x, size_t xn, int32_t *len)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u;
	if (xn > (size_t)INT32_MAX / 2)
		return NULL;
	/* A UTF-8 string never needs more UTF-16 units than bytes. */
	u = qj_malloc(ctx, (xn + 1) * sizeof *u);
	if (!u)
		return NULL;
	u_strFromUTF8(u, (int32_t)xn + 1, len, x, (int32_t)xn, &st);
	if (U_FAILURE(st)) {
		qj_free(ctx, u);
		return NULL;
	}
	return u;
}

int qj_text_equal_fold(qj_ctx *ctx, const char *x, size_t xn, const char *y,
		       size_t yn)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t lx = 0, ly = 0;
	UChar *ux = u16_of(ctx, x, xn, &lx), *uy = ux ? u16_of(ctx, y, yn, &ly)
						       : NULL;
	int eq = 0;
	if (ux && uy)
		eq = u_strCaseCompare(ux, lx, uy, ly, U_FOLD_CASE_DEFAULT,
				      &st) == 0 && U_SUCCESS(st);
	qj_free(ctx, ux);
	qj_free(ctx, uy);
	return eq;
}

/* ---- sorting ---------------------------------------------------------- */

typedef struct sort_item {
	const char *s;
	char *key;
	size_t index;
} sort_item;

static int cmp_items(const void *x, const void *y)
{
	const sort_item *p = x, *q = y;
	int c = strcmp(p->key, q->key);
	if (c)
		return c;
	return p->index < q->index ? -1 : p->index > q->index;
}

/* The sort key of s under col, in a (NUL-terminated, no inner NUL). */
static char *sort_key(qj_ctx *ctx, qj_arena *a, UCollator *col, const char *s)
{
	int32_t len, need;
	UChar *u = qj_text_u16(ctx, a, s, &len);
	char *key;
	if (!u)
		return NULL;
	need = ucol_getSortKey(col, u, len, NULL, 0);
	key = need > 0 ? qj_arena_alloc(a, (size_t)need) : NULL;
	if (key)
		ucol_getSortKey(col, u, len, (uint8_t *)key, need);
	return key;
}

char *qj_text_sort_key(qj_ctx *ctx, qj_arena *a, const char *s,
		       const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *col;
	char *key;
	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang)
		return NULL;
	col = ucol_open(lang, &st);
	if (qj_text_icu_check(ctx, st, "ucol_open") < 0)
		return NULL;
	key = sort_key(ctx, a, col, s ? s : "");
	ucol_close(col);
	return key;
}

int qj_text_sort(qj_ctx *ctx, const char **items, size_t n, const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *col;
	qj_arena *a;
	sort_item *it;
	size_t i;
	int rc = -1;

	lang = qj_text_lang_or_error(ctx, lang);
	if (!lang)
		return -1;
	if (n < 2)
		return 0;
	col = ucol_open(lang, &st);
	if (qj_text_icu_check(ctx, st, "ucol_open") < 0)
		return -1;
	a = qj_arena_new(ctx);
	it = a ? qj_arena_alloc(a, n * sizeof *it) : NULL;
	/* One sort key per string (they compare as C strings), then qsort
	 * with the index as the last key so the sort is stable. */
	for (i = 0; it && i < n; i++) {
		it[i].s = items[i];
		it[i].index = i;
		it[i].key = sort_key(ctx, a, col, items[i]);
		if (!it[i].key)
			goto out;
	}
	if (it) {
		qsort(it, n, sizeof *it, cmp_items);
		for (i = 0; i < n; i++)
			items[i] = it[i].s;
		rc = 0;
	}
out:
	qj_arena_free(a);
	ucol_close(col);
	return rc;
}
