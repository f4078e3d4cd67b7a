/* import_text: the small text repairs and recognisers of the standard
 * importer: table-cell residue (tabs, NBSP, runs of spaces), letter-spaced
 * words, list numbers, dates in the three languages, quotes. Look-alike
 * letters, case and character classes are the text stage's (text/text.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "standard/import-imp.h"
#include "text/text.h"

/* Copies s[0..n) with tabs, CR, NBSP and other spaces made one space,
 * runs collapsed and both ends trimmed. */
char *qj_imp_clean(qj_arena *a, const char *s, size_t n)
{
	char *out = qj_arena_alloc(a, n + 1), *w;
	const unsigned char *r = (const unsigned char *)s, *end = r + n;
	int sp = 0;

	if (!out)
		return NULL;
	w = out;
	while (r < end) {
		size_t k = 0;
		if (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\f' ||
		    *r == '\v')
			k = 1;
		else if (r + 1 < end && r[0] == 0xC2 && r[1] == 0xA0)
			k = 2; /* NBSP */
		else if (r + 2 < end && r[0] == 0xE2 && r[1] == 0x80 &&
			 (r[2] == 0xAF || (r[2] >= 0x80 && r[2] <= 0x8A)))
			k = 3; /* narrow NBSP and the typographic spaces */
		else if (r + 2 < end && r[0] == 0xEF && r[1] == 0xBB &&
			 r[2] == 0xBF)
			k = 3; /* BOM */
		if (k) {
			sp = 1;
			r += k;
			continue;
		}
		if (sp && w != out)
			*w++ = ' ';
		sp = 0;
		*w++ = (char)*r++;
	}
	*w = 0;
	return out;
}

/* The helpers below take NULL (an allocation that failed) as "". */
int qj_imp_starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

int qj_imp_ends(const char *s, const char *suffix)
{
	size_t a, b = strlen(suffix);
	if (!s)
		return 0;
	a = strlen(s);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int qj_imp_number(const char *s, char *style, const char **rest)
{
	const char *p = s;
	int n = 0, digits = 0;

	if (!s)
		return 0;
	while (isdigit((unsigned char)*p) && digits < 3) {
		n = n * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (!digits || n == 0 || (*p != '.' && *p != ')'))
		return 0;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		return 0; /* 87.3, 4.1: a code or a level, not a number */
	if (style)
		*style = *p;
	p++;
	while (*p == ' ')
		p++;
	if (!*p)
		return 0; /* "3." alone is not an item */
	if (rest)
		*rest = p;
	return n;
}

static const char *const months_ru[] = {
	"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	"августа", "сентября", "октября", "ноября", "декабря"};
static const char *const months_en[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"};
static const char *const months_kk[] = {
	"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде",
	"тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"};

static int month_at(const char *p, const char *const *names, int ci)
{
	int m;
	for (m = 0; m < 12; m++) {
		size_t k = strlen(names[m]);
		if (ci ? strncasecmp(p, names[m], k) == 0
		       : strncmp(p, names[m], k) == 0)
			return m + 1;
	}
	return 0;
}

static int read_int(const char **pp, int maxdigits)
{
	const char *p = *pp;
	int v = 0, k = 0;
	while (isdigit((unsigned char)*p) && k < maxdigits) {
		v = v * 10 + (*p++ - '0');
		k++;
	}
	if (!k || isdigit((unsigned char)*p))
		return -1;
	*pp = p;
	return v;
}

/* The year at q (four digits, 1900 or later) that completes day and
 * month: 1 with the date and its end, else 0. */
static int year_at(const char *q, int day, int month, int *y, int *m, int *d,
		   const char **end)
{
	int c = read_int(&q, 4);
	if (c < 1900)
		return 0;
	*d = day, *m = month, *y = c, *end = q;
	return 1;
}

static int date_at(const char *p, int *y, int *m, int *d, const char **end)
{
	const char *q = p;
	int a, b, c;

	if (isdigit((unsigned char)*p)) {
		a = read_int(&q, 4);
		if (a < 0)
			return 0;
		if (*q == '.' && a <= 31) { /* 23.12.2021 */
			q++;
			b = read_int(&q, 2);
			if (b < 1 || *q != '.')
				return 0;
			return year_at(q + 1, a, b, y, m, d, end);
		}
		if (*q != ' ')
			return 0;
		q++;
		if (a >= 1900) { /* kk: 2023 жылғы 23 тамыздағы */
			if (!qj_imp_starts(q, "жылғы "))
				return 0;
			q += strlen("жылғы ");
			b = read_int(&q, 2);
			if (b < 1 || *q != ' ')
				return 0;
			q++;
			c = month_at(q, months_kk, 0);
			if (!c)
				return 0;
			q += strlen(months_kk[c - 1]);
			while ((unsigned char)*q >= 0x80)
				q++; /* the case ending */
			*y = a, *d = b, *m = c, *end = q;
			return 1;
		}
		b = month_at(q, months_ru, 0); /* ru: 30 апреля 2024 */
		if (!b)
			return 0;
		q += strlen(months_ru[b - 1]);
		if (*q != ' ')
			return 0;
		return year_at(q + 1, a, b, y, m, d, end);
	}
	a = month_at(p, months_en, 1); /* en: May 30, 2019 */
	if (!a)
		return 0;
	q = p + strlen(months_en[a - 1]);
	if (*q != ' ')
		return 0;
	q++;
	b = read_int(&q, 2);
	if (b < 1 || *q != ',')
		return 0;
	q++;
	while (*q == ' ')
		q++;
	return year_at(q, b, a, y, m, d, end);
}

int qj_imp_find_date(const char *s, char out[11], const char **end)
{
	const char *p;
	for (p = s; *p; p++) {
		int y, m, d;
		const char *e;
		if (p > s && (isalnum((unsigned char)p[-1])))
			continue;
		if (date_at(p, &y, &m, &d, &e) && y >= 1900 &&
		    qj_text_is_date(y, m, d)) {
			/* each part in range: exactly 10 characters */
			out[0] = (char)('0' + y / 1000);
			out[1] = (char)('0' + y / 100 % 10);
			out[2] = (char)('0' + y / 10 % 10);
			out[3] = (char)('0' + y % 10);
			out[4] = '-';
			out[5] = (char)('0' + m / 10);
			out[6] = (char)('0' + m % 10);
			out[7] = '-';
			out[8] = (char)('0' + d / 10);
			out[9] = (char)('0' + d % 10);
			out[10] = 0;
			if (end)
				*end = e;
			return 0;
		}
	}
	return -1;
}

char *qj_imp_lower_first(qj_arena *a, const char *s, const char *lang)
{
	uint32_t c;
	size_t k;
	char *first;

	if (!s || !*s)
		return (char *)s;
	k = qj_utf8_decode(s, strlen(s), &c);
	first = qj_arena_strndup(a, s, k);
	first = first ? qj_text_lower(qj_arena_ctx(a), a, first, lang) : NULL;
	return first ? qj_arena_printf(a, "%s%s", first, s + k) : NULL;
}

char *qj_imp_join(qj_arena *a, const char *a1, const char *b)
{
	if (!a1 || !*a1)
		return qj_arena_strdup(a, b);
	if (!b || !*b)
		return qj_arena_strdup(a, a1);
	return qj_arena_printf(a, "%s %s", a1, b);
}

int qj_imp_terminal(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	while (n > 0 && (s[n - 1] == '"' || s[n - 1] == ')' ||
			 s[n - 1] == ' '))
		n--;
	if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 &&
	    (unsigned char)s[n - 2] == 0x80 && (unsigned char)s[n - 1] == 0x9D)
		n -= 3;
	return n > 0 && strchr(".;:!?", s[n - 1]) != NULL;
}

char *qj_imp_unquote(qj_arena *a, const char *s)
{
	static const char *const open[] = {"\"", "\xE2\x80\x9C", "\xC2\xAB"};
	static const char *const close[] = {"\"", "\xE2\x80\x9D", "\xC2\xBB"};
	size_t n, k;
	char *t;

	if (!s)
		return NULL;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	for (k = 0; k < 3; k++) {
		size_t lo = strlen(open[k]), lc = strlen(close[k]);
		if (n >= lo + lc && !strncmp(s, open[k], lo) &&
		    !strncmp(s + n - lc, close[k], lc) &&
		    !memchr(s + lo, '"', n - lo - lc)) {
			t = qj_arena_strndup(a, s + lo, n - lo - lc);
			return t;
		}
	}
	return qj_arena_strndup(a, s, n);
}

/* One character of s at i: its length in bytes when it is a letter or a
 * digit standing alone between spaces (or the ends), else 0. */
static int32_t lone_char(const char *s, int32_t i, int32_t len)
{
	uint32_t c;
	int32_t k;
	if (i > 0 && s[i - 1] != ' ')
		return 0;
	k = (int32_t)qj_utf8_decode(s + i, (size_t)(len - i), &c);
	if (!(qj_text_is_letter(c) || qj_text_is_digit(c)))
		return 0;
	if (i + k < len && s[i + k] != ' ')
		return 0;
	return k;
}

/* kk (PDF text): letter-spaced words, "б а с қ а  д а" → "басқа да",
 * "4 S 0 9 1 1 0 1 0 3" → "4S09110103": a run of at least four lone
 * characters separated by single spaces loses those spaces; two spaces in
 * the run separate its words. Works on the raw line, before the spaces
 * are collapsed; returns s or a copy in the arena. */
char *qj_imp_unspace(qj_arena *a, const char *s, size_t n)
{
	int32_t len = (int32_t)n, i = 0, w = 0;
	char *out = qj_arena_alloc(a, n + 1);
	int changed = 0;

	if (!out)
		return NULL;
	while (i < len) {
		int32_t j = i, count = 0, k;
		/* measure a run of lone characters */
		while (j < len && (k = lone_char(s, j, len)) > 0) {
			int32_t sp = 0;
			count++;
			j += k;
			while (j + sp < len && s[j + sp] == ' ')
				sp++;
			if (sp == 0 || sp > 2 || j + sp >= len ||
			    !lone_char(s, j + sp, len))
				break;
			j += sp;
		}
		if (count >= 4) {
			/* copy the run without its single spaces */
			int32_t r = i;
			while (r < j) {
				if (s[r] == ' ') {
					int32_t sp = 0;
					while (r + sp < j && s[r + sp] == ' ')
						sp++;
					if (sp >= 2)
						out[w++] = ' ';
					r += sp;
					continue;
				}
				out[w++] = s[r++];
			}
			changed = 1;
			i = j;
			continue;
		}
		/* copy one character */
		{
			uint32_t c;
			k = (int32_t)qj_utf8_decode(s + i, (size_t)(len - i), &c);
		}
		memcpy(out + w, s + i, (size_t)k);
		w += k;
		i += k;
	}
	out[w] = 0;
	return changed ? out : qj_arena_strndup(a, s, n);
}
