/* xpath_text: the text services offered to templates as XPath extension
 * functions in the namespace urn:qujat:functions (prefix q), so templates
 * have one expression language. Every argument is converted the XPath way
 * (string(), number()); results are strings. */
#ifndef QJ_XPATH_TEXT_H
#define QJ_XPATH_TEXT_H

#include <libxml/xpath.h>

#include "base/base.h"

/* Registers the prefix q and these functions on xp. lang is the document's
 * language ("kk", "ru", "en"; for "kk+ru" the first); it is the default of
 * every optional lang argument. Bad arguments (a date that does not exist,
 * an unknown language, a bad plural pattern) become "FILE:LINE: error: ..."
 * at the current data node and the function returns ""; an empty date,
 * number or amount (an absent optional field) gives "" silently; a wrong
 * number of arguments is an XPath error. State lives in arena (lent, must
 * outlive xp) and is found through xp's function-lookup hook
 * (xmlXPathRegisterFuncLookup), which this call takes over; userData is
 * left to the caller. Returns 0, or -1 when lang is not supported.
 *
 *   q:date(d [, lang])      "2024-04-30" or "30.04.2024" ->
 *                           kk "2024 жылғы 30 сәуір", ru "30 апреля 2024
 *                           года", en "30 April 2024"
 *   q:number(x [, lang])    1234567.5 -> kk/ru "1 234 567,5" (no-break
 *                           spaces), en "1,234,567.5"
 *   q:money(x [, lang])     1500 -> kk/ru "1 500 ₸", en "₸1,500"
 *   q:plural(n, forms [, lang])
 *                           forms separated by '|' in the language's
 *                           plural order (ru one|few|many|other, kk and en
 *                           one|other), '#' = n:  q:plural(21, '# час|# часа|
 *                           # часов') -> "21 час"; or, when forms contains
 *                           '{', an ICU MessageFormat pattern with n as
 *                           argument 0: '{0,plural,one{# day}other{# days}}'
 *   q:upper(s [, lang]), q:lower(s [, lang])   case for the language
 *   q:translit(s)           Kazakh Cyrillic -> Kazakh Latin (2021)
 *   q:typo(s [, lang])      quotes, dashes, no-break spaces (text.h)
 *   q:fingerprint(node [, 'qr'])
 *                           the 10-character verification code of the
 *                           certificate (a roster's person) or plan (a
 *                           client-record) made from node; with 'qr' the
 *                           QR payload (docs/trust.md)
 *   q:sex(person | name)    'm', 'f' or '': the person's @sex (m/f), else
 *                           what the patronymic of its @name says
 *                           (qj_tmpl_sex_of_name)
 *   q:in-lang(nodes [, lang])
 *                           the value of a field given per language: the
 *                           node whose xml:lang is lang, else one without
 *                           xml:lang (an attribute too), else the first,
 *                           with a warning at it (once per node and
 *                           language)
 *   q:path(node)            a file named in the data, relative to the
 *                           directory of the data file node is from
 */
int qj_tmpl_register_text_funcs(qj_ctx *ctx, xmlXPathContextPtr xp,
				qj_arena *arena, const char *lang);

/* The sex a full name shows by its patronymic: 'f' for a word ending in
 * -овна, -евна, -ична, -қызы or -кызы (or the word қызы/кызы), 'm' for
 * -ұлы, -улы, оглы, or -ич in the patronymic's place of a name of three
 * or more words (the second word, or the last when the first does not
 * end in а/я: -ич is also a surname ending, "Анна Мария Бабич"); 0 when
 * the name shows none or contradicts itself. Any case, words split at
 * white space. Scratch memory from arena. */
int qj_tmpl_sex_of_name(qj_ctx *ctx, qj_arena *arena, const char *name);

#endif
