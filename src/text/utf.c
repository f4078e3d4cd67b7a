/* utf: languages, UTF-8 checking, character classes and the UTF-8 <->
 * UTF-16 conversions the ICU calls of this module need, all allocated in an
 * arena. */
#include "text/text_imp.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

static const char *const langs[] = {"kk", "ru", "en"};

const char *qj_text_lang(const char *tag)
{
	size_t i;
	if (!tag)
		return NULL;
	for (i = 0; i < sizeof langs / sizeof *langs; i++) {
		const char *l = langs[i];
		if ((tag[0] | 0x20) == l[0] && (tag[1] | 0x20) == l[1] &&
		    (tag[2] == 0 || tag[2] == '-' || tag[2] == '_' ||
		     tag[2] == '+'))
			return l;
	}
	return NULL;
}

const char *qj_text_langs(void) { return "kk, ru, en"; }

const char *qj_text_lang_or_error(qj_ctx *ctx, const char *tag)
{
	const char *l = qj_text_lang(tag);
	if (!l)
		qj_error(ctx, NULL, 0, "unsupported language '%s' (supported: %s)",
			 tag ? tag : "(none)", qj_text_langs());
	return l;
}

int qj_text_check_utf8(qj_ctx *ctx, const char *name, const char *s,
		       size_t len, int first_line)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	int line = first_line;
	while (i < len) {
		if (u[i] < 0x80) {
			line += u[i] == '\n';
			i++;
			continue;
		}
		uint32_t cp;
		n = qj_utf8_next(s + i, len - i, &cp);
		if (!n) {
			qj_error(ctx, name ? name : "-", line,
				 "invalid UTF-8 at byte offset %zu", i);
			return -1;
		}
		i += n;
	}
	return 0;
}

UChar *qj_text_u16(qj_ctx *ctx, qj_arena *a, const char *s, int32_t *len)
{
	UErrorCode st = U_ZERO_ERROR;
	size_t n = strlen(s);
	int32_t got = 0;
	UChar *u;
	if (n > (size_t)INT32_MAX / 2) {
		qj_error(ctx, NULL, 0, "text of %zu bytes is too long", n);
		return NULL;
	}
	if (qj_text_check_utf8(ctx, "-", s, n, 1) < 0)
		return NULL;
	/* A UTF-8 string never needs more UTF-16 units than bytes. */
	u = qj_arena_alloc(a, (n + 1) * sizeof *u);
	if (!u)
		return NULL;
	u_strFromUTF8(u, (int32_t)n + 1, &got, s, (int32_t)n, &st);
	if (qj_text_icu_check(ctx, st, "u_strFromUTF8") < 0)
		return NULL;
	if (len)
		*len = got;
	return u;
}

char *qj_text_u8(qj_ctx *ctx, qj_arena *a, const UChar *u, int32_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t need = 0;
	char *s;
	if (len < 0)
		len = u_strlen(u);
	/* Each UTF-16 unit becomes at most three bytes. */
	s = qj_arena_alloc(a, (size_t)len * 3 + 1);
	if (!s)
		return NULL;
	u_strToUTF8(s, len * 3 + 1, &need, u, len, &st);
	if (qj_text_icu_check(ctx, st, "u_strToUTF8") < 0)
		return NULL;
	return s;
}

int qj_text_icu_check(qj_ctx *ctx, UErrorCode st, const char *what)
{
	if (U_SUCCESS(st))
		return 0;
	if (st == U_MEMORY_ALLOCATION_ERROR)
		qj_error(ctx, NULL, 0, "out of memory in ICU (%s)", what);
	else
		qj_error(ctx, NULL, 0, "ICU failed in %s: %s", what,
			 u_errorName(st));
	return -1;
}

int qj_text_is_letter(uint32_t c)
{
	return c <= 0x10FFFF && u_isalpha((UChar32)c);
}

int qj_text_is_digit(uint32_t c)
{
	return c <= 0x10FFFF && u_isdigit((UChar32)c);
}

int qj_text_is_blank(uint32_t c)
{
	return c <= 0x10FFFF && (u_isUWhiteSpace((UChar32)c) ||
				 u_charType((UChar32)c) == U_FORMAT_CHAR);
}
