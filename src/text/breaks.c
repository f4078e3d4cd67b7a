/* breaks: ICU break iterators over UTF-8 text, with UTF-16 indices mapped
 * back to byte offsets. */
#include "breaks.h"
#include "text/text_imp.h"

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

/* UTF-8 → UTF-16 with a map from UTF-16 index to byte offset. */
static UChar *to_utf16(qj_arena *a, const char *s, size_t len, size_t **map,
		       int32_t *ulen)
{
	UChar *u = qj_arena_alloc(a, (len + 1) * 2 * sizeof *u);
	size_t *m = qj_arena_alloc(a, (2 * len + 2) * sizeof *m);
	size_t i = 0;
	int32_t j = 0;
	if (!u || !m)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = qj_utf8_decode(s + i, len - i, &cp);
		m[j] = i;
		if (cp >= 0x10000) {
			u[j++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
			m[j] = i;
			u[j++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3ff));
		} else {
			u[j++] = (UChar)cp;
		}
		i += n;
	}
	m[j] = len;
	*map = m;
	*ulen = j;
	return u;
}

static int run_breaks(qj_arena *a, UBreakIteratorType type, const char *loc,
		      const char *s, size_t len, qj_breaks *out)
{
	UErrorCode err = U_ZERO_ERROR;
	size_t *map;
	int32_t ulen, b;
	UChar *u = to_utf16(a, s, len, &map, &ulen);
	UBreakIterator *it;
	size_t n = 0;
	int cached;

	out->pos = NULL;
	out->hard = NULL;
	out->n = 0;
	if (!u)
		return -1;
	/* the iterator of this kind and locale, opened once per context */
	it = qj_text_cached_breaks(qj_arena_ctx(a), (int)type, loc, &err);
	cached = it != NULL;
	if (it)
		ubrk_setText(it, u, ulen, &err);
	else if (U_SUCCESS(err))
		it = ubrk_open(type, loc, u, ulen, &err);
	if (U_FAILURE(err)) {
		qj_error(qj_arena_ctx(a), NULL, 0, "ICU break iterator: %s",
			 u_errorName(err));
		return -1;
	}
	out->pos = qj_arena_alloc(a, ((size_t)ulen + 2) * sizeof *out->pos);
	if (type == UBRK_LINE)
		out->hard = qj_arena_alloc(a, (size_t)ulen + 2);
	if (!out->pos || (type == UBRK_LINE && !out->hard)) {
		if (!cached)
			ubrk_close(it);
		return -1;
	}
	/* Every boundary after the start, mapped back to a byte offset. */
	for (b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it)) {
		if (b == 0)
			continue;
		out->pos[n] = map[b];
		if (out->hard)
			out->hard[n] = ubrk_getRuleStatus(it) >= UBRK_LINE_HARD;
		n++;
	}
	if (n == 0 || out->pos[n - 1] != len) {
		out->pos[n] = len;
		if (out->hard)
			out->hard[n] = 0;
		n++;
	}
	out->n = n;
	if (!cached)
		ubrk_close(it);
	return 0;
}

int qj_text_line_breaks(qj_arena *a, const char *utf8, size_t len,
			const char *lang, qj_breaks *out)
{
	return run_breaks(a, UBRK_LINE, lang ? lang : "", utf8, len, out);
}

int qj_text_grapheme_breaks(qj_arena *a, const char *utf8, size_t len,
			    qj_breaks *out)
{
	return run_breaks(a, UBRK_CHARACTER, "", utf8, len, out);
}
