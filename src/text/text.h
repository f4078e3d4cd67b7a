/* text: the multilingual text services of qujat, on ICU. Normalization of
 * every text value (NFC, spaces, invisible characters, Latin look-alikes in
 * Cyrillic words), typography per language, locale services (dates, numbers,
 * money, plurals, case, sorting) and the Kazakh Latin alphabet of 2021.
 * Languages: kk, ru, en. ICU never shows through this header: errors become
 * diagnostics in the context. Line breaking lives in breaks.h. */
#ifndef QJ_TEXT_H
#define QJ_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "base/base.h"

/* Languages.
 * qj_text_lang returns the canonical code ("kk", "ru" or "en", a static
 * string) for a tag such as "kk", "KK", "kk-KZ" or "ru_RU" (and the first
 * of a bilingual "kk+ru"); NULL when the language is not supported. qj_text_langs lists them for usage messages
 * ("kk, ru, en"). */
const char *qj_text_lang(const char *tag);
const char *qj_text_langs(void);

/* UTF-8. Checks len bytes of s; on the first bad sequence records
 * "NAME:LINE: error: invalid UTF-8 at byte offset N" (LINE counted from
 * first_line, N from the start of s) and returns -1; 0 when valid. */
int qj_text_check_utf8(qj_ctx *ctx, const char *name, const char *s,
		       size_t len, int first_line);

/* Character classes by Unicode general category: a letter (L*), a decimal
 * digit (Nd); blank is white space (no-break spaces too) or an invisible
 * format character (zero-width space, BOM…). */
int qj_text_is_letter(uint32_t c);
int qj_text_is_digit(uint32_t c);
int qj_text_is_blank(uint32_t c);

/* Normalization flags. */
enum {
	QJ_NORM_PRESERVE_SPACE = 1, /* xml:space="preserve": keep whitespace */
	QJ_NORM_KEEP_START = 2,     /* white space at the start becomes one
				       space instead of going (mixed content) */
	QJ_NORM_KEEP_END = 4        /* the same at the end */
};

/* Normalizes one text value: invisible characters removed (soft hyphen,
 * zero-width space/joiners, word joiner, BOM, control characters), runs of
 * white space collapsed to one space (a run holding a no-break space becomes
 * that no-break space) and the ends trimmed, Latin look-alikes inside
 * Cyrillic words replaced (see docs/text.md for the rule), then NFC.
 * Each repaired word gets "FILE:LINE: warning: ..." at loc (loc may be NULL:
 * no location). lang is a tag for qj_text_lang; NULL or unknown means no
 * language-specific repair. Returns the result allocated in a, or NULL on
 * invalid UTF-8 (an error at loc) or out of memory. */
char *qj_text_normalize(qj_ctx *ctx, qj_arena *a, const char *text,
			const char *lang, const qj_loc *loc, unsigned flags);

/* Only the look-alike repair of qj_text_normalize (same rule, same table),
 * for text that must otherwise stay as it is (spaces, invisible characters
 * and composition untouched). Each repaired word gets a warning at loc;
 * loc NULL means no warning. *fixed (may be NULL) receives the number of
 * words repaired. Returns text itself when nothing changed, else the result
 * in a; NULL on invalid UTF-8 (an error at loc) or out of memory. */
char *qj_text_repair_lookalikes(qj_ctx *ctx, qj_arena *a, const char *text,
				const char *lang, const qj_loc *loc,
				int *fixed);

/* Normalizes in place every text node, CDATA node and attribute value of a
 * loaded data document. The language of a node is the nearest xml:lang on it
 * or an ancestor, else default_lang; xml:space="preserve" on an ancestor
 * keeps whitespace (invisible characters and look-alikes are still
 * repaired). Warnings are reported at the node's file:line. Returns the
 * number of words repaired, or -1 when an error was recorded (the document
 * is then partly normalized). */
int qj_text_normalize_doc(qj_ctx *ctx, xmlDocPtr doc, const char *default_lang);
/* The same for element el and what it holds, as qj_text_normalize_doc
 * would normalize them in el's document: the language and xml:space come
 * from el's ancestors as from its own attributes (a batch normalizes the
 * shared header of its item documents once, then only each item). */
int qj_text_normalize_element(qj_ctx *ctx, xmlNodePtr el, const char *default_lang);

/* Typography for lang: straight and foreign quotes become «…» with „…“
 * nested (kk, ru) or “…” with ‘…’ nested (en); an apostrophe between
 * letters becomes ’ (en); a hyphen or dash with spaces on both sides becomes
 * an em dash with a no-break space before it; no-break spaces after №,
 * inside digit groups (100 000), after initials (А. Б. Серікова) and between
 * a surname and following initials (Серікова А. Б.). The input should be
 * normalized first. Returns the result in a, NULL on error. */
char *qj_text_typography(qj_ctx *ctx, qj_arena *a, const char *text,
			 const char *lang);

/* Typography over one text given in parts (the text runs of a paragraph,
 * split where its spans begin and end), so that quotes pair and the
 * no-break rules apply across the parts; out[i] receives part i typeset
 * (in a). keep (NULL: none) marks parts that are context only and come back
 * unchanged (typography="no"). URLs and e-mail addresses are never changed.
 * Returns 0, or -1 with a diagnostic (invalid UTF-8, unknown language, out
 * of memory). */
int qj_text_typography_parts(qj_ctx *ctx, qj_arena *a, const char *const *parts,
			     const unsigned char *keep, size_t n,
			     const char *lang, char **out);

/* Dates. qj_text_parse_date reads "YYYY-MM-DD" (optionally followed by
 * "T..." which is ignored) or "DD.MM.YYYY" and checks that the day exists;
 * returns 0, or -1 without any diagnostic (the caller knows the location).
 * qj_text_date formats a date in the official style of lang:
 *   kk  2024 жылғы 30 сәуір     pattern  y 'жылғы' d MMMM
 *   ru  30 апреля 2024 года     pattern  d MMMM y 'года'
 *   en  30 April 2024           pattern  d MMMM y
 * Returns the text in a, NULL (with a diagnostic) on error. */
int qj_text_parse_date(const char *s, int *year, int *month, int *day);
/* Calendar dates, the one place that knows them (Gregorian, years 1-9999).
 * qj_text_is_date: whether the day exists (2026-02-30 does not): 1 or 0.
 * qj_text_parse_iso_date: exactly "YYYY-MM-DD", nothing before or after,
 * and a day that exists; 0, or -1 without a diagnostic.
 * qj_text_day_number: days since 1970-01-01 of a date that exists, so that
 * dates compare and subtract as numbers. */
int qj_text_is_date(int year, int month, int day);
int qj_text_parse_iso_date(const char *s, int *year, int *month, int *day);
long qj_text_day_number(int year, int month, int day);
char *qj_text_date(qj_ctx *ctx, qj_arena *a, int year, int month, int day,
		   const char *lang);

/* Numbers per locale: kk and ru group digits with a no-break space and use
 * a decimal comma (1 234 567,5), en uses 1,234,567.5; at most three
 * fraction digits. Money is in tenge with the ₸ sign, kk/ru "1 500 ₸",
 * en "₸1,500"; fraction digits (two, rounded half up) only when the
 * amount has tiyn. Results in a, NULL on error. */
char *qj_text_number(qj_ctx *ctx, qj_arena *a, double x, const char *lang);
char *qj_text_money(qj_ctx *ctx, qj_arena *a, double x, const char *lang);

/* Plural forms through ICU's plural rules and MessageFormat. forms is
 * either an ICU MessageFormat pattern (it contains '{'; argument 0 is n),
 * or forms separated by '|' in the order of the language's plural
 * categories: kk and en "one|other", ru "one|few|many|other". '#' in a
 * form stands for n formatted for the language. A missing "other" form
 * takes the "few" form (Russian fractions: 1,5 часа), else the last one;
 * any other missing form takes the last one. Examples (ru):
 *   qj_text_plural(.., 21, "# час|# часа|# часов", "ru")  -> "21 час"
 *   qj_text_plural(.., 5, "час|часа|часов", "ru")         -> "часов"
 * Result in a; NULL (with a diagnostic) for a bad pattern. */
char *qj_text_plural(qj_ctx *ctx, qj_arena *a, double n, const char *forms,
		     const char *lang);

/* Upper and lower case with the rules of lang. Results in a. */
char *qj_text_upper(qj_ctx *ctx, qj_arena *a, const char *text,
		    const char *lang);
char *qj_text_lower(qj_ctx *ctx, qj_arena *a, const char *text,
		    const char *lang);

/* Whether x[0..xn) and y[0..yn) are equal under Unicode's full case
 * folding (language-independent): 1 or 0; 0 also on invalid UTF-8 or out
 * of memory. */
int qj_text_equal_fold(qj_ctx *ctx, const char *x, size_t xn, const char *y,
		       size_t yn);

/* Sorts n UTF-8 strings in place (the pointers are reordered, the strings
 * are lent) with ICU's collator for lang: kk puts ә after а, ғ after г,
 * і after ы and so on. Equal strings keep their order. Returns 0, or -1
 * with a diagnostic. */
int qj_text_sort(qj_ctx *ctx, const char **items, size_t n, const char *lang);
/* The collation key of s for lang, in a: keys compare with strcmp in the
 * order qj_text_sort gives (for sorting in templates). NULL on error. */
char *qj_text_sort_key(qj_ctx *ctx, qj_arena *a, const char *s,
		       const char *lang);

/* Kazakh Cyrillic to the Kazakh Latin alphabet of 2021, written as ICU
 * transliterator rules (see docs/text.md, with the rule for letters used
 * only in Russian words). lang is the language of text; only "kk" has a
 * Latin alphabet, anything else is an error. Result in a, NULL on error. */
char *qj_text_translit(qj_ctx *ctx, qj_arena *a, const char *text,
		       const char *lang);

/* Hyphenation (hyphen.c, through libhyphen). One qj_hyphen holds the
 * dictionaries of a batch: each language's is loaded on first use and kept
 * until qj_hyphen_free, so a line breaker can ask per word cheaply (no
 * allocation through the context per call). Dictionaries: ru and en from
 * Debian (hyphen-ru, hyphen-en-us, /usr/share/hyphen), kk from the qujat
 * tree (hyphen/hyph_kk_KZ.dic, generated by scripts/hyph-kk.pl from the
 * rule of Kazakh syllable division). See docs/text.md. */
typedef struct qj_hyphen qj_hyphen;

enum {
	/* also refuse a word whose first letter is a capital (a name in
	 * running text); without it a capitalized word is hyphenated like any
	 * other (the first word of a sentence). Fields that hold names should
	 * not be hyphenated at all (the layout's hyphenate="no"). */
	QJ_HYPHEN_NO_CAPITALIZED = 1
};

/* Longest word (in letters) that is hyphenated; longer ones get no points. */
#define QJ_HYPHEN_MAX_LETTERS 64

/* A new, empty set of dictionaries; NULL on out of memory. Free with
 * qj_hyphen_free (NULL is fine). The context is kept for diagnostics. */
qj_hyphen *qj_hyphen_new(qj_ctx *ctx);
void qj_hyphen_free(qj_hyphen *h);

/* Loads the dictionary of lang now (it would be on first use): 0, or -1
 * with a diagnostic (unsupported language, dictionary missing or
 * unreadable). A failure is reported once; later calls return -1 quietly. */
int qj_hyphen_load(qj_hyphen *h, const char *lang);

/* Where the word utf8[0..len) may be hyphenated. points must hold len + 1
 * bytes; on return points[i] is 1 when a hyphen may go before byte i (a
 * boundary between grapheme clusters, at least two letters from each end),
 * 0 elsewhere. Spaces and punctuation around the word («слово», "word",)
 * are ignored. No points at all for a word with a digit or any character
 * that is not a letter or a combining mark (- / . _ @: codes, compounds,
 * addresses), with a capital letter after the first (ҚазҰУ, ТРК), with a
 * capital first letter when flags has QJ_HYPHEN_NO_CAPITALIZED, of fewer
 * than 5 letters, of more than QJ_HYPHEN_MAX_LETTERS, or invalid UTF-8.
 * Returns the number of points, or -1 with a diagnostic when lang has no
 * dictionary (qj_hyphen_load). */
int qj_hyphen_word(qj_hyphen *h, const char *utf8, size_t len,
		   const char *lang, unsigned flags, unsigned char *points);

/* text with mark inserted at every point of each of its words (words are
 * split at spaces and tabs): "реа-би-ли…" for mark "-". Result in a; NULL
 * on out of memory or when lang has no dictionary. */
char *qj_hyphen_mark(qj_hyphen *h, qj_arena *a, const char *text,
		     const char *lang, unsigned flags, const char *mark);

#endif
