/* text_imp: helpers shared by the files of the text module and nobody else:
 * UTF-8 <-> UTF-16 in an arena, ICU error reporting, ICU locale ids. */
#ifndef QJ_TEXT_IMP_H
#define QJ_TEXT_IMP_H

#include <unicode/utypes.h>

#include "text/text.h"

/* UTF-8 (NUL-terminated) to UTF-16 in a; *len receives the length in
 * UChars (the result is NUL-terminated too). NULL on invalid UTF-8 (an
 * error naming "-" and the byte offset) or out of memory. */
UChar *qj_text_u16(qj_ctx *ctx, qj_arena *a, const char *s, int32_t *len);
/* UTF-16 to UTF-8 in a; NULL on out of memory. */
char *qj_text_u8(qj_ctx *ctx, qj_arena *a, const UChar *u, int32_t len);
/* Records "ICU failed in WHAT: NAME" when st is a failure; returns -1 then,
 * 0 otherwise. Warnings (U_USING_DEFAULT_WARNING...) are not failures. */
int qj_text_icu_check(qj_ctx *ctx, UErrorCode st, const char *what);
/* The canonical language of tag, recording "unsupported language" when it
 * is unknown. */
const char *qj_text_lang_or_error(qj_ctx *ctx, const char *tag);

/* The ICU services of a context, opened once per language and reused for
 * every document of a batch (locale.c keeps them in the context's text
 * slot). Each returns the cached service, lent, or NULL with *st set. */
struct UBreakIterator;
struct UBreakIterator *qj_text_cached_breaks(qj_ctx *ctx, int type, const char *loc,
					     UErrorCode *st);

/* The memo of the text services' results (memo.c), kept in the context's
 * text slot for a batch: NULL when it cannot be made (then nothing is
 * kept). A key is a service's letter and its arguments in bytes. get
 * returns the value of key, lent until the next put, and its length in
 * *vlen; NULL when it is not kept. put keeps a copy of a result; only
 * results made without a diagnostic are kept, so a hit says nothing a
 * miss would have said. */
typedef struct qj_text_memo qj_text_memo;
qj_text_memo *qj_text_memo_of(qj_ctx *ctx);
qj_text_memo *qj_text_memo_new(void);
void qj_text_memo_free(qj_text_memo *m);
const char *qj_text_memo_get(qj_ctx *ctx, const char *key, size_t klen, size_t *vlen);
void qj_text_memo_put(qj_ctx *ctx, const char *key, size_t klen, const char *val, size_t vlen);

#endif
