/* breaks: where a line may break (ICU's line break iterator, UAX #14) and
 * where grapheme clusters end, as byte offsets into UTF-8 text. Used by the
 * layout stage; no other part of qujat calls ICU's break iterators. */
#ifndef QJ_TEXT_BREAKS_H
#define QJ_TEXT_BREAKS_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

typedef struct qj_breaks {
	size_t *pos;  /* ascending byte offsets; the last is the text length */
	unsigned char *hard; /* 1 where the break is mandatory */
	size_t n;
} qj_breaks;

/* Line break opportunities of utf8[0..len) for the language (kk, ru, en).
 * Arrays come from the arena. Returns 0, or -1 with a diagnostic. */
int qj_text_line_breaks(qj_arena *a, const char *utf8, size_t len,
			const char *lang, qj_breaks *out);

/* Grapheme cluster boundaries likewise (hard is NULL). */
int qj_text_grapheme_breaks(qj_arena *a, const char *utf8, size_t len,
			    qj_breaks *out);


#endif
