/* translit: Kazakh Cyrillic to the Kazakh Latin alphabet of 2021, as ICU
 * transliterator rules of our own (ICU ships only BGN/PCGN romanization).
 * Letters that occur only in Russian words are spelled with letters of the
 * new alphabet by the rule in docs/text.md. */
#include "text/text_imp.h"

#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

/* Multi-letter spellings are all capitals inside a word written in
 * capitals (ЮРИСТ -> IURİST) and capitalised otherwise (Юрий -> Iurii). */
static const char rules[] =
	":: NFC ;\n"
	/* the Kazakh alphabet */
	"А > A ; а > a ; Ә > Ä ; ә > ä ; Б > B ; б > b ; Д > D ; д > d ;\n"
	"Е > E ; е > e ; Ф > F ; ф > f ; Г > G ; г > g ; Ғ > Ğ ; ғ > ğ ;\n"
	"Х > H ; х > h ; Һ > H ; һ > h ; І > I ; і > ı ;\n"
	"И > İ ; и > i ; Й > İ ; й > i ; Ж > J ; ж > j ; К > K ; к > k ;\n"
	"Қ > Q ; қ > q ; Л > L ; л > l ; М > M ; м > m ; Н > N ; н > n ;\n"
	"Ң > Ñ ; ң > ñ ; О > O ; о > o ; Ө > Ö ; ө > ö ; П > P ; п > p ;\n"
	"Р > R ; р > r ; С > S ; с > s ; Ш > Ş ; ш > ş ; Т > T ; т > t ;\n"
	"Ұ > Ū ; ұ > ū ; Ү > Ü ; ү > ü ; В > V ; в > v ; Ы > Y ; ы > y ;\n"
	"У > U ; у > u ; З > Z ; з > z ; Ч > Ç ; ч > ç ;\n"
	/* letters of Russian words */
	"Ё } [:Lu:] > IO ; [:Lu:] { Ё > IO ; Ё > Io ; ё > io ;\n"
	"Ю } [:Lu:] > IU ; [:Lu:] { Ю > IU ; Ю > Iu ; ю > iu ;\n"
	"Я } [:Lu:] > IA ; [:Lu:] { Я > IA ; Я > Ia ; я > ia ;\n"
	"Ц } [:Lu:] > TS ; [:Lu:] { Ц > TS ; Ц > Ts ; ц > ts ;\n"
	"Щ > Ş ; щ > ş ; Э > E ; э > e ;\n"
	"Ъ > ; ъ > ; Ь > ; ь > ;\n";

char *qj_text_translit(qj_ctx *ctx, qj_arena *a, const char *text,
		       const char *lang)
{
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	UTransliterator *tr;
	UChar *r, *u, *buf;
	int32_t rlen, len, limit, cap;
	const char *l = qj_text_lang_or_error(ctx, lang);

	if (!l)
		return NULL;
	if (strcmp(l, "kk")) {
		qj_error(ctx, NULL, 0,
			 "no Latin alphabet for '%s': transliteration is for kk",
			 l);
		return NULL;
	}
	r = qj_text_u16(ctx, a, rules, &rlen);
	u = r ? qj_text_u16(ctx, a, text, &len) : NULL;
	if (!u)
		return NULL;
	tr = utrans_openU(u"qujat-kk-Cyrl-Latn", -1, UTRANS_FORWARD, r, rlen,
			  &pe, &st);
	if (qj_text_icu_check(ctx, st, "utrans_openU") < 0)
		return NULL;
	/* Each letter becomes at most two. */
	cap = len * 2 + 1;
	buf = qj_arena_alloc(a, (size_t)cap * sizeof *buf);
	if (!buf) {
		utrans_close(tr);
		return NULL;
	}
	memcpy(buf, u, (size_t)len * sizeof *buf);
	limit = len;
	utrans_transUChars(tr, buf, &len, cap, 0, &limit, &st);
	utrans_close(tr);
	if (qj_text_icu_check(ctx, st, "utrans_transUChars") < 0)
		return NULL;
	return qj_text_u8(ctx, a, buf, len);
}
