/* test_text: the text services, table-driven, one row per rule and per
 * language: normalization and look-alike repair (with the cases found in the
 * sources), typography, dates, numbers, money, plurals, case, sorting, the
 * Kazakh Latin alphabet, the XPath functions and the `qujat text` filters. */
#include "qjtest.h"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "base/base.h"
#include "font/font.h"
#include "text/text.h"
#include "tmpl/xpath_text.h"
#include "xml/xml.h"

#define NB "\u00A0"
#define NBH "\u2011" /* no-break hyphen */

typedef struct env {
	qj_ctx *ctx;
	qj_arena *a;
} env;

static int setup(void **state)
{
	env *e = calloc(1, sizeof *e);
	e->ctx = qj_ctx_new();
	qj_diag_set_sink(e->ctx, NULL);
	e->a = qj_arena_new(e->ctx);
	qj_xml_init();
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	qj_arena_free(e->a);
	qj_ctx_free(e->ctx);
	free(e);
	return 0;
}

/* A row: language, input, expected output, expected warnings (-1: any). */
typedef struct row {
	const char *lang, *in, *out;
	int warnings;
} row;

#define N(t) (sizeof(t) / sizeof *(t))

static void check_rows(env *e, const row *rows, size_t n, const char *what,
		       char *(*fn)(env *, const row *))
{
	size_t i;
	for (i = 0; i < n; i++) {
		const char *got;
		int w0 = qj_diag_warnings(e->ctx);
		got = fn(e, &rows[i]);
		if (!got || strcmp(got, rows[i].out))
			fail_msg("%s row %zu (%s) '%s': got '%s', want '%s'\n%s", what,
				 i, rows[i].lang, rows[i].in, got ? got : "(null)",
				 rows[i].out, qj_diag_text(e->ctx));
		if (rows[i].warnings >= 0 &&
		    qj_diag_warnings(e->ctx) - w0 != rows[i].warnings)
			fail_msg("%s row %zu '%s': %d warnings, want %d\n%s", what, i,
				 rows[i].in, qj_diag_warnings(e->ctx) - w0,
				 rows[i].warnings, qj_diag_text(e->ctx));
	}
}

/* ---- normalization ---------------------------------------------------- */

static const row norm_rows[] = {
	/* look-alikes found in the sources (001) */
	{"kk", "eңбек", "еңбек", 1},
	{"kk", "уәкiлеттi", "уәкілетті", 1},
	{"kk", "Eңбек функциясы", "Еңбек функциясы", 1},
	{"kk", "Мiндеттi еңбек", "Міндетті еңбек", 1},
	{"kk", "шаhар", "шаһар", 1},
	/* legitimately mixed: split at the hyphen, codes hold digits */
	{"kk", "IT-маман", "IT-маман", 0},
	{"kk", "6B01501 Әлеуметтік жұмыс", "6B01501 Әлеуметтік жұмыс", 0},
	{"kk", "6В01501", "6В01501", 0},
	{"kk", "SMS-хабарлама", "SMS-хабарлама", 0},
	/* a Latin letter without a Cyrillic twin: left alone */
	{"kk", "Gмаман", "Gмаман", 0},
	/* Latin majority: not a Cyrillic word */
	{"kk", "CTOға", "CTOға", 0},
	/* a tie that only works towards Latin: Roman numerals (004) */
	{"kk", "№ 518-ІV Кодексі", "№ 518-IV Кодексі", 1},
	{"ru", "№ 176-VІ ЗРК", "№ 176-VI ЗРК", 1},
	{"ru", "пpоцесс", "процесс", 1},
	{"ru", "Tрудовая функция", "Трудовая функция", 1},
	{"ru", "COЦИАЛЬНЫЙ", "СОЦИАЛЬНЫЙ", 1},
	/* Russian has no і: Latin i stays, the word is left alone */
	{"ru", "мiр", "мiр", 0},
	{"ru", "IT-специалист", "IT-специалист", 0},
	{"en", "Sоcial work", "Social work", 1}, /* Cyrillic о */
	{"en", "Card of profession", "Card of profession", 0},
	{"en", "Kazakhtan", "Kazakhtan", 0}, /* typos of the source stay */
	/* white space, every language */
	{"kk", "  Кәсіп \t атауы\n\n ", "Кәсіп атауы", 0},
	{"ru", "Код\tгруппы:  \r\n 3412", "Код группы: 3412", 0},
	{"en", "\tName  of\nprofession ", "Name of profession", 0},
	/* no-break spaces are kept, a run holding one becomes it */
	{"ru", "№" NB "146", "№" NB "146", 0},
	{"kk", "100 " NB " 000", "100" NB "000", 0},
	{"en", NB "indented" NB, "indented", 0},
	/* invisible characters */
	{"kk", "бі\u00ADлік\u00ADтілік", "біліктілік", 0},
	{"ru", "соци\u200Bальный", "социальный", 0},
	{"en", "\uFEFFsocial\u200D work\u2060", "social work", 0},
	{"kk", "e\u00ADңбек", "еңбек", 1},
	{"ru", "\u00AD  \u200B слово \u00AD", "слово", 0},
	/* NFC, never NFKC */
	{"kk", "и\u0306", "й", 0},
	{"ru", "Приказ №\u00A0125", "Приказ №" NB "125", 0},
	{"en", "\uFB01le", "\uFB01le", 0},
};

static char *do_normalize(env *e, const row *r)
{
	qj_loc loc = {"t.xml", 7, 0};
	return qj_text_normalize(e->ctx, e->a, r->in, r->lang, &loc, 0);
}

static void test_text__normalize(void **state)
{
	check_rows(*state, norm_rows, N(norm_rows), "normalize", do_normalize);
}

static void test_text__normalize_warning_names_word_and_place(void **state)
{
	env *e = *state;
	qj_loc loc = {"roster.xml", 12, 0};
	char *r;
	qj_diag_reset(e->ctx);
	r = qj_text_normalize(e->ctx, e->a, "eңбек", "kk", &loc, 0);
	assert_string_equal(r, "еңбек");
	assert_non_null(strstr(qj_diag_text(e->ctx), "roster.xml:12: warning: "));
	assert_non_null(strstr(qj_diag_text(e->ctx), "'eңбек'"));
	assert_non_null(strstr(qj_diag_text(e->ctx), "U+0065) -> е (U+0435)"));
	assert_non_null(strstr(qj_diag_text(e->ctx), "giving 'еңбек'"));
}

static void test_text__normalize_flags(void **state)
{
	env *e = *state;
	assert_string_equal(qj_text_normalize(e->ctx, e->a, "  a \n b ", "kk",
					      NULL, QJ_NORM_PRESERVE_SPACE),
			    "  a \n b ");
	assert_string_equal(qj_text_normalize(e->ctx, e->a, "  a  b  ", "kk",
					      NULL, QJ_NORM_KEEP_START |
					      QJ_NORM_KEEP_END),
			    " a b ");
}

static void test_text__invalid_utf8(void **state)
{
	env *e = *state;
	qj_loc loc = {"in.txt", 3, 0};
	qj_diag_reset(e->ctx);
	assert_null(qj_text_normalize(e->ctx, e->a, "ab\nc\xC3(", "kk", &loc, 0));
	assert_string_equal(qj_diag_text(e->ctx),
			    "in.txt:4: error: invalid UTF-8 at byte offset 4\n");
	qj_diag_reset(e->ctx);
	assert_int_equal(qj_text_check_utf8(e->ctx, "-", "\xED\xA0\x80", 3, 1), -1);
	assert_int_equal(qj_text_check_utf8(e->ctx, "-", "қ\xF0\x9F\x98\x80", 6, 1), 0);
}

static void test_text__normalize_doc(void **state)
{
	env *e = *state;
	static const char xml[] =
		"<roster xml:lang=\"kk\">\n"
		"  <person name=\"  Серікова   А.  \">\n"
		"    <note>eңбек   өтілі</note>\n"
		"  </person>\n"
		"  <person xml:lang=\"ru\"><note>мiр  и  пpоцесс</note></person>\n"
		"  <pre xml:space=\"preserve\">  a  b </pre>\n"
		"  <p>Бір <b>екі</b>  үш </p>\n"
		"  <long>бірінші жол,\n екінші жол,\n уәкiлеттi</long>\n"
		"  <mixed>Бір <b>екі</b>\n\n шаhар</mixed>\n"
		"</roster>\n";
	xmlDocPtr d;
	xmlNodePtr root, p1, p2;
	xmlChar *s;
	qj_diag_reset(e->ctx);
	d = qj_xml_load_memory(e->ctx, "roster.xml", xml, sizeof xml - 1);
	assert_non_null(d);
	assert_int_equal(qj_text_normalize_doc(e->ctx, d, "en"), 4);
	root = xmlDocGetRootElement(d);
	p1 = qj_xml_child(root, "person");
	p2 = qj_xml_next(p1, "person");
	assert_string_equal(qj_xml_attr(p1, "name"), "Серікова А.");
	s = xmlNodeGetContent(qj_xml_child(p1, "note"));
	assert_string_equal((char *)s, "еңбек өтілі");
	xmlFree(s);
	s = xmlNodeGetContent(p2);
	assert_string_equal((char *)s, "мiр и процесс");
	xmlFree(s);
	s = xmlNodeGetContent(qj_xml_child(root, "pre"));
	assert_string_equal((char *)s, "  a  b ");
	xmlFree(s);
	s = xmlNodeGetContent(qj_xml_child(root, "p"));
	assert_string_equal((char *)s, "Бір екі үш");
	xmlFree(s);
	assert_non_null(strstr(qj_diag_text(e->ctx), "roster.xml:3: warning:"));
	assert_non_null(strstr(qj_diag_text(e->ctx), "roster.xml:5: warning:"));
	/* a word on the third line of a text node is reported there */
	if (!strstr(qj_diag_text(e->ctx), "roster.xml:10: warning:") ||
	    !strstr(qj_diag_text(e->ctx), "roster.xml:13: warning:"))
		fail_msg("%s", qj_diag_text(e->ctx));
	xmlFreeDoc(d);
}

/* ---- typography --------------------------------------------------------- */

static const row typo_rows[] = {
	{"kk", "\"Әлеуметтік жұмыскер\" кәсіп карточкасы",
	 "«Әлеуметтік жұмыскер» кәсіп карточкасы", 0},
	{"kk", "\"Денсаулық \"сақтау\" саласы\"",
	 "«Денсаулық „сақтау“ саласы»", 0},
	{"ru", "Карточка профессии \"Социальный работник\"",
	 "Карточка профессии «Социальный работник»", 0},
	{"ru", "\"Центр \"Жанұя\"\"", "«Центр „Жанұя“»", 0},
	{"ru", "“Менеджер”", "«Менеджер»", 0},
	{"en", "Card of profession \"Social worker\"",
	 "Card of profession “Social worker”", 0},
	{"en", "\"the \"quoted\" word\"", "“the ‘quoted’ word”", 0},
	{"en", "don't", "don’t", 0},
	{"kk", "отбасы - қоғам негізі", "отбасы" NB "— қоғам негізі", 0},
	{"ru", "семья – основа общества", "семья" NB "— основа общества", 0},
	{"en", "work - and rest", "work" NB "— and rest", 0},
	{"ru", "2019-2023", "2019-2023", 0},
	{"kk", "- тізім", "- тізім", 0},
	{"kk", "№ 146 бұйрық", "№" NB "146 бұйрық", 0},
	{"ru", "приказ №125", "приказ №" NB "125", 0},
	{"kk", "100 000 теңге", "100" NB "000" NB "теңге", 0}, /* and the unit */
	{"ru", "1 500 000 тенге", "1" NB "500" NB "000" NB "тенге", 0},
	{"ru", "100 000 жителей", "100" NB "000 жителей", 0},
	{"en", "in 2023 100 people", "in 2023 100 people", 0},
	{"kk", "А. Б. Серікова", "А." NB "Б." NB "Серікова", 0},
	{"ru", "Серикова А. Б.", "Серикова" NB "А." NB "Б.", 0},
	{"en", "J. R. Smith", "J." NB "R." NB "Smith", 0},
	/* phone numbers: no-break spaces, no-break hyphens */
	{"kk", "Тел.: +7 702 318 44 90", "Тел.: +7" NB "702" NB "318" NB "44" NB "90", 0},
	{"ru", "тел. 8 (7172) 55-12-34",
	 "тел." NB "8" NB "(7172)" NB "55" NBH "12" NBH "34", 0},
	{"ru", "8(7172)55-12-34", "8(7172)55" NBH "12" NBH "34", 0},
	{"en", "call +7-702-318-44-90 now", "call +7" NBH "702" NBH "318" NBH "44" NBH "90 now", 0},
	{"kk", "+77023184490", "+77023184490", 0},     /* nothing to join */
	{"ru", "тел: 55-12-34", "тел: 55-12-34", 0},   /* too short for a phone */
	{"en", "code 8 1234 5678 9", "code 8 1234 5678 9", 0},
	/* initials before and after a surname */
	{"kk", "Ж. Аймауытова", "Ж." NB "Аймауытова", 0},
	{"kk", "Сейітов А. Б. қол қойды", "Сейітов" NB "А." NB "Б. қол қойды", 0},
	{"ru", "А.Б. Сейітов", "А.Б." NB "Сейітов", 0},
	{"en", "Smith J. R.", "Smith" NB "J." NB "R.", 0},
	{"ru", "ООО. Далее", "ООО. Далее", 0},
	{"en", "plan B. next", "plan B. next", 0},
	/* abbreviations stay with what follows */
	{"ru", "г. Караганды, ул. Абая, д. 5",
	 "г." NB "Караганды, ул." NB "Абая, д." NB "5", 0},
	{"ru", "пр. Республики, обл. Абай", "пр." NB "Республики, обл." NB "Абай", 0},
	{"ru", "р-н Сарыарка, пр-т Абая", "р" NBH "н" NB "Сарыарка, пр" NBH "т" NB "Абая", 0},
	{"ru", "кар-на", "кар-на", 0},
	{"ru", "Г. Караганды", "Г." NB "Караганды", 0},
	{"kk", "Абай көш. 12, ү. 5", "Абай көш." NB "12, ү." NB "5", 0},
	{"kk", "Қарағанды қ. Абай ауд.", "Қарағанды қ." NB "Абай ауд.", 0},
	{"kk", "№ п/п", "№" NB "п/п", 0},
	{"en", "No. 5, St. James", "No." NB "5, St." NB "James", 0},
	{"ru", "город. Далее", "город. Далее", 0},  /* д. inside a word */
	{"ru", "ул.Абая", "ул.Абая", 0},
	{"kk", "Бұл қ., бірақ", "Бұл қ., бірақ", 0},
	/* a number and its unit */
	{"kk", "72 сағат", "72" NB "сағат", 0},
	{"kk", "72 сағаттан кейін", "72" NB "сағаттан кейін", 0},
	{"kk", "2026 ж.", "2026" NB "ж.", 0},
	{"kk", "1 500 теңге", "1" NB "500" NB "теңге", 0},
	{"ru", "72 часа", "72" NB "часа", 0},
	{"ru", "в 2026 г. 1,5 часа", "в 2026" NB "г. 1,5" NB "часа", 0},
	{"en", "5 km and 10 %", "5" NB "km and 10" NB "%", 0},
	{"en", "5 minutes", "5" NB "minutes", 0},
	{"kk", "2026 жоспар", "2026 жоспар", 0},
	{"ru", "5 городов", "5 городов", 0},
	{"en", "5 monkeys", "5 monkeys", 0},
	{"kk", "6B01501 сағат", "6B01501 сағат", 0}, /* a code, not a number */
	/* number-hyphen-word compounds stay whole */
	{"kk", "Абай көш. 112-үй, 5-қабат",
	 "Абай көш." NB "112" NBH "үй, 5" NBH "қабат", 0},
	{"ru", "3-й этаж", "3" NBH "й этаж", 0},
	{"en", "a 5-year plan", "a 5" NBH "year plan", 0},
	{"kk", "ТРК-САЙ-2026", "ТРК-САЙ-2026", 0},
	{"ru", "IT-специалист", "IT-специалист", 0},
};

static char *do_typo(env *e, const row *r)
{
	return qj_text_typography(e->ctx, e->a, r->in, r->lang);
}

static void test_text__typography(void **state)
{
	check_rows(*state, typo_rows, N(typo_rows), "typography", do_typo);
}

/* ---- dates ---------------------------------------------------------------- */

typedef struct date_row {
	const char *lang, *in, *out;
} date_row;

static const date_row date_rows[] = {
	{"kk", "2024-04-30", "2024 жылғы 30 сәуір"},
	{"kk", "2023-08-23", "2023 жылғы 23 тамыз"},
	{"kk", "2025-01-01", "2025 жылғы 1 қаңтар"},
	{"kk", "30.05.2019", "2019 жылғы 30 мамыр"},
	{"ru", "2024-04-30", "30 апреля 2024 года"},
	{"ru", "2023-08-23", "23 августа 2023 года"},
	{"ru", "2025-03-01", "1 марта 2025 года"},
	{"ru", "2024-02-29", "29 февраля 2024 года"},
	{"en", "2024-04-30", "30 April 2024"},
	{"en", "2019-05-30T10:00:00", "30 May 2019"},
	{"en", "2021-12-31", "31 December 2021"},
};

static void test_text__dates(void **state)
{
	env *e = *state;
	size_t i;
	for (i = 0; i < N(date_rows); i++) {
		int y, m, d;
		char *got;
		assert_int_equal(qj_text_parse_date(date_rows[i].in, &y, &m, &d), 0);
		got = qj_text_date(e->ctx, e->a, y, m, d, date_rows[i].lang);
		if (!got || strcmp(got, date_rows[i].out))
			fail_msg("date %s %s: got '%s', want '%s'", date_rows[i].lang,
				 date_rows[i].in, got ? got : "(null)", date_rows[i].out);
	}
}

static void test_text__bad_dates(void **state)
{
	static const char *const bad[] = {"2023-02-29", "2024-13-01", "30/04/2024",
					  "", "2024-4-30", "31.04.2024", "tomorrow"};
	env *e = *state;
	size_t i;
	int y, m, d;
	for (i = 0; i < N(bad); i++)
		if (qj_text_parse_date(bad[i], &y, &m, &d) == 0)
			fail_msg("'%s' parsed as a date", bad[i]);
	qj_diag_reset(e->ctx);
	assert_null(qj_text_date(e->ctx, e->a, 2023, 2, 29, "kk"));
	assert_int_equal(qj_diag_errors(e->ctx), 1);
	assert_null(qj_text_date(e->ctx, e->a, 2023, 2, 28, "de"));
	assert_non_null(strstr(qj_diag_text(e->ctx), "supported: kk, ru, en"));
}

/* ---- numbers, money --------------------------------------------------------- */

typedef struct num_row {
	const char *lang;
	double x;
	const char *number, *money;
} num_row;

static const num_row num_rows[] = {
	{"kk", 1234567.5, "1" NB "234" NB "567,5", "1" NB "234" NB "567,50" NB "₸"},
	{"kk", 1500, "1" NB "500", "1" NB "500" NB "₸"},
	{"kk", 0.125, "0,125", "0,13" NB "₸"},
	{"ru", 1234567.5, "1" NB "234" NB "567,5", "1" NB "234" NB "567,50" NB "₸"},
	{"ru", 100000, "100" NB "000", "100" NB "000" NB "₸"},
	{"ru", -42, "-42", "-42" NB "₸"},
	{"en", 1234567.5, "1,234,567.5", "₸1,234,567.50"},
	{"en", 1500, "1,500", "₸1,500"},
};

static void test_text__numbers_and_money(void **state)
{
	env *e = *state;
	size_t i;
	for (i = 0; i < N(num_rows); i++) {
		const num_row *r = &num_rows[i];
		char *n = qj_text_number(e->ctx, e->a, r->x, r->lang);
		char *m = qj_text_money(e->ctx, e->a, r->x, r->lang);
		if (!n || strcmp(n, r->number))
			fail_msg("number %s %g: got '%s', want '%s'", r->lang, r->x,
				 n ? n : "(null)", r->number);
		if (!m || strcmp(m, r->money))
			fail_msg("money %s %g: got '%s', want '%s'", r->lang, r->x,
				 m ? m : "(null)", r->money);
	}
}

/* ---- plurals ------------------------------------------------------------------ */

typedef struct plural_row {
	const char *lang;
	double n;
	const char *forms, *out;
} plural_row;

#define RU_HOURS "# час|# часа|# часов"
static const plural_row plural_rows[] = {
	{"ru", 1, RU_HOURS, "1 час"},
	{"ru", 3, RU_HOURS, "3 часа"},
	{"ru", 5, RU_HOURS, "5 часов"},
	{"ru", 11, RU_HOURS, "11 часов"},
	{"ru", 21, RU_HOURS, "21 час"},
	{"ru", 22, RU_HOURS, "22 часа"},
	{"ru", 111, RU_HOURS, "111 часов"},
	{"ru", 1.5, RU_HOURS, "1,5 часа"},
	{"ru", 1000, RU_HOURS, "1" NB "000 часов"},
	{"ru", 4, "час|часа|часов", "часа"},
	{"ru", 2, "{0,plural,one{# день}few{# дня}many{# дней}other{# дня}}",
	 "2 дня"},
	{"kk", 1, "# сағат", "1 сағат"},
	{"kk", 5, "# сағат", "5 сағат"},
	{"kk", 21, "# жыл|# жыл", "21 жыл"},
	{"kk", 3, "{0,plural,other{# күн}}", "3 күн"},
	{"en", 1, "# hour|# hours", "1 hour"},
	{"en", 5, "# hour|# hours", "5 hours"},
	{"en", 21, "# hour|# hours", "21 hours"},
	{"en", 0, "# hour|# hours", "0 hours"},
	{"en", 1, "{0,plural,one{# day}other{# days}}", "1 day"},
};

static void test_text__plurals(void **state)
{
	env *e = *state;
	size_t i;
	for (i = 0; i < N(plural_rows); i++) {
		const plural_row *r = &plural_rows[i];
		char *got = qj_text_plural(e->ctx, e->a, r->n, r->forms, r->lang);
		if (!got || strcmp(got, r->out))
			fail_msg("plural %s %g '%s': got '%s', want '%s'\n%s", r->lang,
				 r->n, r->forms, got ? got : "(null)", r->out,
				 qj_diag_text(e->ctx));
	}
	qj_diag_reset(e->ctx);
	assert_null(qj_text_plural(e->ctx, e->a, 2, "{0,plural,one{x}", "ru"));
	assert_non_null(strstr(qj_diag_text(e->ctx), "bad plural pattern"));
}

/* ---- case ------------------------------------------------------------------------ */

static const row upper_rows[] = {
	{"kk", "әлеуметтік жұмыскер", "ӘЛЕУМЕТТІК ЖҰМЫСКЕР", 0},
	{"kk", "ұлттық біліктілік шеңбері", "ҰЛТТЫҚ БІЛІКТІЛІК ШЕҢБЕРІ", 0},
	{"ru", "социальный работник", "СОЦИАЛЬНЫЙ РАБОТНИК", 0},
	{"en", "social worker", "SOCIAL WORKER", 0},
};
static const row lower_rows[] = {
	{"kk", "ІСМАҒҰЛОВ ӨТЕБАЙ", "ісмағұлов өтебай", 0},
	{"ru", "ЁЛКИН ЩЕДРИН", "ёлкин щедрин", 0},
	{"en", "SOCIAL WORK", "social work", 0},
};

static char *do_upper(env *e, const row *r)
{
	return qj_text_upper(e->ctx, e->a, r->in, r->lang);
}

static char *do_lower(env *e, const row *r)
{
	return qj_text_lower(e->ctx, e->a, r->in, r->lang);
}

static void test_text__case(void **state)
{
	check_rows(*state, upper_rows, N(upper_rows), "upper", do_upper);
	check_rows(*state, lower_rows, N(lower_rows), "lower", do_lower);
}

/* ---- sorting ------------------------------------------------------------------------ */

static void check_sort(env *e, const char *lang, const char *const *sorted,
		       size_t n)
{
	const char *items[32];
	size_t i;
	/* reversed, then sorted back */
	for (i = 0; i < n; i++)
		items[i] = sorted[n - 1 - i];
	assert_int_equal(qj_text_sort(e->ctx, items, n, lang), 0);
	for (i = 0; i < n; i++)
		if (strcmp(items[i], sorted[i]))
			fail_msg("%s sort, place %zu: got '%s', want '%s'", lang, i,
				 items[i], sorted[i]);
}

static void test_text__sort(void **state)
{
	/* Kazakh surnames: ә after а, ғ after г, қ after к, ө after о,
	 * ұ and ү after у, і after ы */
	static const char *const kk[] = {
		"Абаев", "Әбдіқадыров", "Әлиева", "Бекова", "Галиев", "Ғалымов",
		"Иванов", "Кенжебаев", "Қасымов", "Нұрланов", "Ңарманов", "Омаров",
		"Өтебаев", "Серікова", "Уалиев", "Ұлықбек", "Үсенов", "Һадиев",
		"Чингизов", "Шәріпов", "Ыбыраев", "Ісмағұлов", "Юсупов"};
	static const char *const ru[] = {"Абаев", "Ёлкин", "Ершов", "Жуков",
					 "Щедрин", "Эминов", "Юсупов", "Яковлев"};
	static const char *const en[] = {"Adams", "baker", "Clark", "Émile",
					 "Evans", "zeta"};
	env *e = *state;
	size_t i;
	check_sort(*state, "kk", kk, N(kk));
	/* the keys compare with strcmp in the same order */
	for (i = 1; i < N(kk); i++)
		assert_true(strcmp(qj_text_sort_key(e->ctx, e->a, kk[i - 1], "kk"),
				   qj_text_sort_key(e->ctx, e->a, kk[i], "kk")) < 0);
	check_sort(*state, "ru", ru, N(ru));
	check_sort(*state, "en", en, N(en));
}

/* ---- Kazakh Latin ------------------------------------------------------------------ */

static const row translit_rows[] = {
	/* every letter of the alphabet, capital and small */
	{"kk", "А Ә Б Д Е Ф Г Ғ Х Һ І И Й Ж К Қ Л М Н Ң О Ө П Р С Ш Т Ұ Ү В Ы У З Ч",
	 "A Ä B D E F G Ğ H H I İ İ J K Q L M N Ñ O Ö P R S Ş T Ū Ü V Y U Z Ç", 0},
	{"kk", "а ә б д е ф г ғ х һ і и й ж к қ л м н ң о ө п р с ш т ұ ү в ы у з ч",
	 "a ä b d e f g ğ h h ı i i j k q l m n ñ o ö p r s ş t ū ü v y u z ç", 0},
	{"kk", "Қазақстан Республикасы", "Qazaqstan Respublikasy", 0},
	{"kk", "әлеуметтік жұмыскер", "äleumettık jūmysker", 0},
	{"kk", "Ілияс Иса", "Iliias İsa", 0},
	{"kk", "ЕҢБЕК ЖӘНЕ ХАЛЫҚТЫ", "EÑBEK JÄNE HALYQTY", 0},
	/* letters of Russian words */
	{"kk", "Юрий Яковлев", "Iurii Iakovlev", 0},
	{"kk", "ЮРИСТ ЯКОВЛЕВ", "IURİST IAKOVLEV", 0},
	{"kk", "цирк Цой ЦЕНТР", "tsirk Tsoi TSENTR", 0},
	{"kk", "съезд, пальто, щётка, экономика",
	 "sezd, palto, şiotka, ekonomika", 0},
	{"kk", "Ёлка", "Iolka", 0},
	/* everything else passes */
	{"kk", "IT-маман, 6B01501, № 146", "IT-maman, 6B01501, № 146", 0},
};

static char *do_translit(env *e, const row *r)
{
	return qj_text_translit(e->ctx, e->a, r->in, r->lang);
}

static void test_text__translit(void **state)
{
	check_rows(*state, translit_rows, N(translit_rows), "translit", do_translit);
}

static void test_text__translit_paragraph(void **state)
{
	env *e = *state;
	static const char para[] =
		"«Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір "
		"үлкен қазысының үйіне келіп қоныпты. Қазыменен сөйлесіп, қазыны "
		"сөзге жеңе беріпті.» Әлеуметтік жұмыскер отбасымен бірге жеке "
		"жоспар жасайды, оның орындалуын ай сайын бақылайды.";
	static const char want[] =
		"«Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır "
		"ülken qazysynyñ üiıne kelıp qonypty. Qazymenen söilesıp, qazyny "
		"sözge jeñe berıptı.» Äleumettık jūmysker otbasymen bırge jeke "
		"jospar jasaidy, onyñ oryndaluyn ai saiyn baqylaidy.";
	assert_string_equal(qj_text_translit(e->ctx, e->a, para, "kk"), want);
	qj_diag_reset(e->ctx);
	assert_null(qj_text_translit(e->ctx, e->a, "мир", "ru"));
	assert_int_equal(qj_diag_errors(e->ctx), 1);
}

/* ---- hyphenation ------------------------------------------------------------------------ */

/* lang, word, the word with its points marked '-' (flags 0) */
static const row hyphen_rows[] = {
	/* ru: Debian's hyphen-ru, as it divides */
	{"ru", "реабилитационный", "реа-били-та-ци-он-ный", 0},
	{"ru", "фтизиопульмонологии", "фти-зи-опуль-мо-но-логии", 0},
	{"ru", "социальный", "соци-аль-ный", 0},
	{"ru", "специалист", "специ-а-лист", 0},
	{"ru", "государственный", "государ-ствен-ный", 0},
	{"ru", "образование", "обра-зо-ва-ние", 0},
	{"ru", "организация", "орга-ни-за-ция", 0},
	{"ru", "профессиональный", "про-фес-си-о-наль-ный", 0},
	{"ru", "квалификация", "ква-лифи-ка-ция", 0},
	{"ru", "инвалидностью", "ин-ва-лид-но-стью", 0},
	{"ru", "ребёнок", "ребё-нок", 0},
	{"ru", "трудоустройство", "тру-до-устройство", 0},
	{"ru", "психологический", "пси-хо-логи-че-ский", 0},
	{"ru", "учреждение", "учре-жде-ние", 0},
	{"ru", "работник", "ра-бот-ник", 0},
	{"ru", "поддержка", "под-держ-ка", 0},
	{"ru", "малообеспеченная", "мало-обес-пе-чен-ная", 0},
	{"ru", "безработный", "без-ра-бот-ный", 0},
	{"ru", "индивидуальный", "ин-ди-ви-ду-аль-ный", 0},
	{"ru", "здравоохранения", "здра-во-охра-не-ния", 0},
	{"ru", "«реабилитационный»,", "«реа-били-та-ци-он-ный»,", 0},
	{"ru", "Республики", "Рес-пуб-лики", 0}, /* capitalized: flag not set */
	/* ru: never */
	{"ru", "семья", "семья", 0},          /* no point two letters in */
	{"ru", "дом", "дом", 0},              /* short */
	{"ru", "МИНИСТЕРСТВО", "МИНИСТЕРСТВО", 0},
	{"ru", "ПриКАЗ", "ПриКАЗ", 0},
	{"ru", "ТРК-САЙ-2026", "ТРК-САЙ-2026", 0},
	{"ru", "Казахстан2026", "Казахстан2026", 0},
	{"ru", "1234567", "1234567", 0},
	{"ru", "т.е.", "т.е.", 0},
	{"ru", "медико-социальный", "медико-социальный", 0},
	/* kk: generated from the rule; V-CV */
	{"kk", "балалар", "ба-ла-лар", 0},
	{"kk", "отбасымен", "от-ба-сы-мен", 0},
	{"kk", "мүгедектігі", "мү-ге-дек-ті-гі", 0},
	{"kk", "бағдарламасы", "бағ-дар-ла-ма-сы", 0},
	{"kk", "қызметі", "қыз-ме-ті", 0},
	{"kk", "оқытушы", "оқы-ту-шы", 0},
	/* VC-CV, VCC-CV */
	{"kk", "жұмыскер", "жұ-мыс-кер", 0},
	{"kk", "мемлекеттік", "мем-ле-кет-тік", 0},
	{"kk", "біліктілік", "бі-лік-ті-лік", 0},
	{"kk", "ұйымдастыру", "ұйым-дас-ты-ру", 0},
	{"kk", "айтты", "айт-ты", 0},
	{"kk", "жұрттың", "жұрт-тың", 0},
	{"kk", "денсаулық", "ден-сау-лық", 0},
	{"kk", "кәсіптік", "кә-сіп-тік", 0},
	/* у after a vowel is a consonant */
	{"kk", "әлеуметтік", "әлеу-мет-тік", 0},
	{"kk", "қауіпсіздік", "қа-уіп-сіз-дік", 0},
	{"kk", "жауапкершілік", "жа-уап-кер-ші-лік", 0},
	{"kk", "тауық", "та-уық", 0},
	{"kk", "қолдануы", "қол-да-нуы", 0},
	{"kk", "ауданы", "ау-да-ны", 0},
	/* loans: signs stay, initial clusters are not divided */
	{"kk", "компьютер", "ком-пью-тер", 0},
	{"kk", "альбом", "аль-бом", 0},
	{"kk", "стратегия", "стра-те-гия", 0},
	{"kk", "министрлік", "ми-нистр-лік", 0},
	{"kk", "қазақстандық", "қа-зақстан-дық", 0},
	/* kk: never */
	{"kk", "ҚазҰУ", "ҚазҰУ", 0},
	{"kk", "ТРК-САЙ-2026", "ТРК-САЙ-2026", 0},
	{"kk", "ҚАЗАҚСТАН", "ҚАЗАҚСТАН", 0},
	{"kk", "2026", "2026", 0},
	{"kk", "6В01501", "6В01501", 0},
	{"kk", "алма", "алма", 0},
	{"kk", "ауыл", "ауыл", 0},
	{"kk", "әлеуметтік-тұрмыстық", "әлеуметтік-тұрмыстық", 0},
	{"kk", "info@qujat.kz", "info@qujat.kz", 0},
	{"kk", "мекен/жайы", "мекен/жайы", 0},
	{"kk", "snake_case", "snake_case", 0},
	/* en: Debian's hyphen-en-us */
	{"en", "rehabilitation", "re-ha-bil-i-ta-tion", 0},
	{"en", "qualification", "qual-i-fi-ca-tion", 0},
	{"en", "employment", "em-ploy-ment", 0},
	{"en", "don't", "don't", 0},
	{"en", "USB-C", "USB-C", 0},
};

static void test_text__hyphenate(void **state)
{
	env *e = *state;
	qj_hyphen *h = qj_hyphen_new(e->ctx);
	size_t i;
	for (i = 0; i < N(hyphen_rows); i++) {
		const row *r = &hyphen_rows[i];
		char *got = qj_hyphen_mark(h, e->a, r->in, r->lang, 0, "-");
		if (!got || strcmp(got, r->out))
			fail_msg("hyphenate row %zu (%s) '%s': got '%s', want '%s'\n%s",
				 i, r->lang, r->in, got ? got : "(null)", r->out,
				 qj_diag_text(e->ctx));
	}
	assert_int_equal(qj_diag_errors(e->ctx), 0);
	qj_hyphen_free(h);
}

static void test_text__hyphenate_points(void **state)
{
	env *e = *state;
	qj_hyphen *h = qj_hyphen_new(e->ctx);
	unsigned char p[64];
	const char *w = "«балалар»,";
	size_t i;
	/* byte offsets: « is two bytes, each letter two */
	assert_int_equal(qj_hyphen_word(h, w, strlen(w), "kk", 0, p), 2);
	for (i = 0; i <= strlen(w); i++)
		assert_int_equal(p[i], i == 6 || i == 10);
	/* a combining mark stays with its letter: бá-ла-лар */
	w = "ба\u0301лалар";
	assert_int_equal(qj_hyphen_word(h, w, strlen(w), "kk", 0, p), 2);
	assert_true(p[6] && !p[4]);
	assert_string_equal(qj_hyphen_mark(h, e->a, w, "kk", 0, "-"),
			    "ба\u0301-ла-лар");
	/* capitalized words: hyphenated unless the caller says not */
	w = "Аймауытова";
	assert_true(qj_hyphen_word(h, w, strlen(w), "kk", 0, p) > 0);
	assert_int_equal(qj_hyphen_word(h, w, strlen(w), "kk",
					QJ_HYPHEN_NO_CAPITALIZED, p), 0);
	for (i = 0; i <= strlen(w); i++)
		assert_int_equal(p[i], 0);
	/* a kk word in a ru text: not in the ru dictionary's charset */
	w = "әлеуметтік";
	assert_int_equal(qj_hyphen_word(h, w, strlen(w), "ru", 0, p), 0);
	/* every point leaves two letters on each side */
	w = "ауада"; /* а-уа-да, but а alone may not stay */
	assert_int_equal(qj_hyphen_word(h, w, strlen(w), "kk", 0, p), 1);
	assert_true(p[6] && !p[2]);
	qj_hyphen_free(h);
	qj_hyphen_free(NULL);
}

static void test_text__hyphenate_errors(void **state)
{
	env *e = *state;
	qj_hyphen *h = qj_hyphen_new(e->ctx);
	unsigned char p[64];
	qj_diag_reset(e->ctx);
	assert_int_equal(qj_hyphen_word(h, "слово", 10, "de", 0, p), -1);
	assert_non_null(strstr(qj_diag_text(e->ctx), "unsupported language 'de'"));
	/* a missing dictionary is one error, however many words ask */
	qj_diag_reset(e->ctx);
	setenv("QUJAT_HOME", "/nonexistent-qujat", 1);
	assert_int_equal(qj_hyphen_load(h, "kk"), -1);
	assert_int_equal(qj_hyphen_word(h, "балалар", 14, "kk", 0, p), -1);
	assert_null(qj_hyphen_mark(h, e->a, "балалар", "kk", 0, "-"));
	unsetenv("QUJAT_HOME");
	assert_int_equal(qj_diag_errors(e->ctx), 1);
	assert_non_null(strstr(qj_diag_text(e->ctx),
			       "/nonexistent-qujat: error: no qujat data directory here"));
	/* the other languages are not affected */
	assert_int_equal(qj_hyphen_word(h, "работник", 16, "ru", 0, p), 2);
	qj_hyphen_free(h);
}

static void test_text__hyphenate_out_of_memory(void **state)
{
	long n;
	(void)state;
	for (n = 1; n < 200; n++) {
		qj_ctx *ctx = qj_ctx_new();
		qj_arena *a;
		qj_hyphen *h;
		char *r = NULL;
		qj_diag_set_sink(ctx, NULL);
		qj_ctx_fail_after(ctx, n);
		a = qj_arena_new(ctx);
		h = qj_hyphen_new(ctx);
		if (a && h)
			r = qj_hyphen_mark(h, a, "әлеуметтік жұмыскер", "kk", 0, "-");
		if (r)
			r = qj_hyphen_mark(h, a, "реабилитационный", "ru", 0, "-");
		assert_true(r != NULL || qj_ctx_oom(ctx));
		qj_hyphen_free(h);
		qj_arena_free(a);
		qj_ctx_free(ctx);
		if (r)
			break;
	}
	assert_true(n < 200);
}

/* The committed Kazakh dictionary is what the generator makes of the rule
 * (nobody edits it by hand). */
static void test_text__kk_dictionary_is_generated(void **state)
{
	qjt_run r;
	char dir[64], *want, *got;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("perl scripts/hyph-kk.pl %s/kk.dic", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	want = qjt_slurp("hyphen/hyph_kk_KZ.dic");
	r = qjt_sh("cat %s/kk.dic; rm -r %s", dir, dir);
	got = r.out;
	assert_non_null(want);
	assert_true(strlen(want) > 10000);
	if (strcmp(want, got))
		fail_msg("hyphen/hyph_kk_KZ.dic differs from scripts/hyph-kk.pl's output");
	free(want);
	qjt_run_free(&r);
}

/* U+2011 is what typography uses inside phones and 112-үй: every face
 * of every family has it itself, no fallback (U+2060 is not in PT). */
static void test_text__nobreak_hyphen_in_fonts(void **state)
{
	static const char *const fams[] = {"serif", "sans", "dejavu"};
	env *e = *state;
	char *dir = qj_fonts_locate(e->ctx, NULL);
	qj_fonts *f = qj_fonts_load(e->ctx, dir);
	size_t i;
	int bold;
	assert_non_null(f);
	for (i = 0; i < N(fams); i++)
		for (bold = 0; bold < 2; bold++) {
			int st = qj_fonts_style(f, fams[i], bold, 0);
			qj_face *face = qj_fonts_face_for(f, st, 0x2011);
			assert_true(st >= 0);
			if (face != qj_fonts_primary(f, st))
				fail_msg("%s%s: U+2011 not in its own face", fams[i],
					 bold ? " bold" : "");
			assert_true(qj_face_advance(face, 0x2011, 10) > 0.5);
		}
	assert_true(qj_fonts_face_for(f, qj_fonts_style(f, "serif", 0, 0), 0x2060) !=
		    qj_fonts_primary(f, qj_fonts_style(f, "serif", 0, 0)));
	qj_fonts_free(f);
	qj_free(e->ctx, dir);
}

/* ---- XPath functions ------------------------------------------------------------------ */

typedef struct xpath_row {
	const char *expr, *out;
} xpath_row;

static const xpath_row xpath_kk[] = {
	{"q:date(/p/@issued)", "2024 жылғы 30 сәуір"},
	{"q:date(/p/@issued, 'ru')", "30 апреля 2024 года"},
	{"q:date('30.04.2024', 'en')", "30 April 2024"},
	{"q:number(1234567.5)", "1" NB "234" NB "567,5"},
	{"q:number('2500', 'en')", "2,500"},
	{"q:money(1500)", "1" NB "500" NB "₸"},
	{"q:money(1500, 'en')", "₸1,500"},
	{"q:plural(21, '# час|# часа|# часов', 'ru')", "21 час"},
	{"q:plural(count(/p/h), '# hour|# hours', 'en')", "3 hours"},
	{"q:plural(5, '{0,plural,other{# сағат}}')", "5 сағат"},
	{"q:upper(/p/@name)", "СЕРІКОВА"},
	{"q:lower('ӘЛЕУМЕТТІК')", "әлеуметтік"},
	{"q:translit(/p/@name)", "Serıkova"},
	{"q:typo('\"Жанұя\" орталығы')", "«Жанұя» орталығы"},
	/* absent optional fields give "" without a diagnostic */
	{"q:date(/p/@missing)", ""},
	{"q:money(/p/@missing)", ""},
};

static char *eval(env *e, xmlXPathContextPtr xp, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	xmlChar *s;
	char *r;
	if (!o)
		return NULL;
	s = xmlXPathCastToString(o);
	r = qj_arena_strdup(e->a, s ? (const char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(o);
	return r;
}

static void quiet(void *data, xmlErrorPtr err)
{
	(void)data;
	(void)err;
}

static void test_text__xpath_functions(void **state)
{
	env *e = *state;
	static const char xml[] =
		"<p issued=\"2024-04-30\" bad=\"2024-02-30\" name=\"Серікова\">"
		"<h/><h/><h/></p>";
	xmlDocPtr d = qj_xml_load_memory(e->ctx, "data.xml", xml, sizeof xml - 1);
	xmlXPathContextPtr xp = xmlXPathNewContext(d);
	size_t i;
	char *r;
	xp->error = quiet;
	assert_int_equal(qj_tmpl_register_text_funcs(e->ctx, xp, e->a, "kk+ru"), 0);
	xp->node = xmlDocGetRootElement(d);
	for (i = 0; i < N(xpath_kk); i++) {
		r = eval(e, xp, xpath_kk[i].expr);
		if (!r || strcmp(r, xpath_kk[i].out))
			fail_msg("%s: got '%s', want '%s'\n%s", xpath_kk[i].expr,
				 r ? r : "(null)", xpath_kk[i].out, qj_diag_text(e->ctx));
	}
	assert_int_equal(qj_diag_errors(e->ctx), 0);
	/* a bad date is a located diagnostic and "", not a failure */
	qj_diag_reset(e->ctx);
	r = eval(e, xp, "q:date(/p/@bad)");
	assert_non_null(r);
	assert_string_equal(r, "");
	assert_non_null(strstr(qj_diag_text(e->ctx),
			       "data.xml:1: error: q:date: '2024-02-30' is not a date"));
	r = eval(e, xp, "q:number('x', 'de')");
	assert_string_equal(r, "");
	assert_non_null(strstr(qj_diag_text(e->ctx), "unsupported language 'de'"));
	/* a wrong number of arguments is an XPath error */
	assert_null(eval(e, xp, "q:upper()"));
	xmlXPathFreeContext(xp);
	xmlFreeDoc(d);
	assert_int_equal(qj_tmpl_register_text_funcs(e->ctx, NULL, e->a, "de"), -1);
}

/* ---- out of memory -------------------------------------------------------------------- */

static void test_text__out_of_memory(void **state)
{
	long n;
	(void)state;
	/* every allocation of normalize, typography and translit fails in
	 * turn: NULL and a marked context, never a crash */
	for (n = 1; n < 200; n++) {
		qj_ctx *ctx = qj_ctx_new();
		qj_arena *a;
		char *r = NULL;
		qj_diag_set_sink(ctx, NULL);
		qj_ctx_fail_after(ctx, n);
		a = qj_arena_new(ctx);
		if (a)
			r = qj_text_normalize(ctx, a, "eңбек  \"жұмыс\" - үй", "kk", NULL, 0);
		if (r)
			r = qj_text_typography(ctx, a, r, "kk");
		if (r)
			r = qj_text_translit(ctx, a, r, "kk");
		assert_true(r != NULL || qj_ctx_oom(ctx));
		qj_arena_free(a);
		qj_ctx_free(ctx);
		if (r)
			break;
	}
	assert_true(n < 200);
}

/* Every other service under the same squeeze. */
static int squeeze_once(qj_ctx *ctx, qj_arena *a)
{
	const char *names[] = {"Ыбыраев", "Абаев", "Ісмағұлов"};
	return qj_text_date(ctx, a, 2024, 4, 30, "kk") &&
	       qj_text_number(ctx, a, 1234.5, "ru") &&
	       qj_text_money(ctx, a, 1500, "en") &&
	       qj_text_plural(ctx, a, 21, "# час|# часа|# часов", "ru") &&
	       qj_text_plural(ctx, a, 2, "{0,plural,one{#}other{# x}}", "en") &&
	       qj_text_upper(ctx, a, "әлеуметтік", "kk") &&
	       qj_text_lower(ctx, a, "ӘЛЕУМЕТТІК", "kk") &&
	       qj_text_sort(ctx, names, 3, "kk") == 0;
}

static void test_text__out_of_memory_services(void **state)
{
	long n;
	(void)state;
	for (n = 1; n < 200; n++) {
		qj_ctx *ctx = qj_ctx_new();
		qj_arena *a;
		int ok = 0;
		qj_diag_set_sink(ctx, NULL);
		qj_ctx_fail_after(ctx, n);
		a = qj_arena_new(ctx);
		if (a)
			ok = squeeze_once(ctx, a);
		assert_true(ok || qj_ctx_oom(ctx));
		qj_arena_free(a);
		qj_ctx_free(ctx);
		if (ok)
			break;
	}
	assert_true(n < 200);
}

/* Normalization is idempotent and every service survives odd input: random
 * strings from pieces that matter (both scripts, spaces, invisible
 * characters, quotes, dashes, digits, combining marks). */
static void test_text__random_strings(void **state)
{
	static const char *const pieces[] = {
		"a", "e", "i", "B", "ң", "е", "і", "Ә", "й", "и\u0306", " ", "  ",
		"\t", "\n", NB, "\u00AD", "\u200B", "\"", "«", "»", "“", "'",
		"-", " - ", "—", "№", "1", "000", ".", "А.", "6B", "ЁЮЯЦЩЪЬ", "ﬁ",
		"+7", " 702", "8", " (", ")", "ул.", "р-н", "үй", " сағат", "\u2011",
		"44"};
	env *e = *state;
	unsigned seed = 12345;
	int round;
	for (round = 0; round < 400; round++) {
		char in[512] = "";
		char *once, *twice;
		int k, len = (int)(seed % 24);
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			strcat(in, pieces[(seed >> 16) % N(pieces)]);
		}
		seed = seed * 1103515245u + 12345u;
		once = qj_text_normalize(e->ctx, e->a, in, "kk", NULL, 0);
		assert_non_null(once);
		twice = qj_text_normalize(e->ctx, e->a, once, "kk", NULL, 0);
		if (strcmp(once, twice))
			fail_msg("not idempotent: '%s' -> '%s' -> '%s'", in, once, twice);
		once = qj_text_typography(e->ctx, e->a, once, "ru");
		assert_non_null(once);
		twice = qj_text_typography(e->ctx, e->a, once, "ru");
		if (strcmp(once, twice))
			fail_msg("typography not idempotent: '%s' -> '%s' -> '%s'",
				 in, once, twice);
		assert_non_null(qj_text_typography(e->ctx, e->a, in, "en"));
		assert_non_null(qj_text_translit(e->ctx, e->a, in, "kk"));
		assert_non_null(qj_text_upper(e->ctx, e->a, in, "kk"));
	}
	qj_arena_free(e->a);
	e->a = qj_arena_new(e->ctx);
}

/* ---- the command-line filters --------------------------------------------------------- */

typedef struct cli_row {
	const char *args, *in, *out;
	int code;
	const char *err; /* a substring of stderr, or NULL */
} cli_row;

static const cli_row cli_rows[] = {
	{"normalize --lang kk", "eңбек   уәкiлеттi\n", "еңбек уәкілетті\n", 0,
	 "-:1: warning: Latin look-alike in Cyrillic word 'eңбек'"},
	{"normalize --lang kk", "a\n\n  b  \nуәкiлеттi", "a\n\nb\nуәкілетті\n", 0,
	 "-:4: warning:"},
	{"normalize --lang ru", "Tрудовая  функция\n", "Трудовая функция\n", 0, NULL},
	{"normalize --lang en", "Social\u00ADwork  \n", "Socialwork\n", 0, NULL},
	{"normalize --lang=ru --typography", "\"Центр\" - это\n",
	 "«Центр»" NB "— это\n", 0, NULL},
	{"translit --lang kk", "Қазақстан Республикасы\n",
	 "Qazaqstan Respublikasy\n", 0, NULL},
	{"sort --lang kk", "Ісмағұлов\nЫбыраев\nӘлиев\nАбаев\nҒалымов\nГалиев\n",
	 "Абаев\nӘлиев\nГалиев\nҒалымов\nЫбыраев\nІсмағұлов\n", 0, NULL},
	{"sort --lang ru", "Яковлев\nЁлкин\nЕршов\n", "Ёлкин\nЕршов\nЯковлев\n", 0,
	 NULL},
	{"sort --lang en", "beta\nAlpha\n", "Alpha\nbeta\n", 0, NULL},
	{"normalize --lang de", "x\n", "", 1, "supported: kk, ru, en"},
	{"translit --lang ru", "x\n", "", 1, "supported: kk"},
	{"sort", "x\n", "", 1, "--lang is required"},
	{"shout --lang kk", "x\n", "", 1, "unknown subcommand"},
	/* text --help: tests/test_cli.c checks every command's help */
	{"hyphenate --lang ru", "реабилитационный\nфтизиопульмонологии\n",
	 "реа-били-та-ци-он-ный\nфти-зи-опуль-мо-но-логии\n", 0, NULL},
	{"hyphenate --lang kk", "әлеуметтік жұмыскер\nҚазҰУ ТРК-САЙ-2026 2026\n\n",
	 "әлеу-мет-тік жұ-мыс-кер\nҚазҰУ ТРК-САЙ-2026 2026\n\n", 0, NULL},
	{"hyphenate --lang=en", "rehabilitation", "re-ha-bil-i-ta-tion\n", 0, NULL},
	{"hyphenate --lang de", "x\n", "", 1, "supported: kk, ru, en"},
	{"hyphenate", "x\n", "", 1, "--lang is required"},
	{"hyphenate --lang kk", "ба\xff\n", "", 2,
	 "-:1: error: invalid UTF-8 at byte offset 4"},
	{"normalize --lang kk", "ok\nab\xff\n", "", 2,
	 "-:2: error: invalid UTF-8 at byte offset 5"},
	{"sort --lang kk", "\xC3\n", "", 2, "-:1: error: invalid UTF-8 at byte offset 0"},
	{"sort --lang ru", "a\nb\nc", "a\nb\nc\n", 0, NULL},
	{"normalize --lang en", "", "", 0, NULL},
	{"translit --lang kk", "қ\n\n\xE2\x82", "", 2,
	 "-:3: error: invalid UTF-8 at byte offset 4"},
};

static void test_text__cli_filters(void **state)
{
	char dir[64], path[128];
	size_t i;
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/in", dir);
	for (i = 0; i < N(cli_rows); i++) {
		const cli_row *c = &cli_rows[i];
		FILE *fp = fopen(path, "wb");
		qjt_run r;
		fputs(c->in, fp);
		fclose(fp);
		r = qjt_sh("%s text %s <%s", qjt_bin(), c->args, path);
		if (r.code != c->code || strcmp(r.out, c->out) ||
		    (c->err && !strstr(r.err, c->err)))
			fail_msg("qujat text %s: exit %d (want %d)\nstdout: %s\n"
				 "want: %s\nstderr: %s", c->args, r.code, c->code,
				 r.out, c->out, r.err);
		qjt_run_free(&r);
	}
	unlink(path);
	rmdir(dir);
}

/* Without its dictionary the command fails with one error, no output. */
static void test_text__cli_hyphenate_without_dictionary(void **state)
{
	qjt_run r;
	(void)state;
	r = qjt_sh("printf 'балалар\\nбалалар\\n' | QUJAT_HOME=/nonexistent-qujat "
		   "%s text hyphenate --lang kk", qjt_bin());
	if (r.code != 3 || *r.out ||
	    !strstr(r.err, "/nonexistent-qujat: error: no qujat data directory here") ||
	    strstr(strstr(r.err, "error:") + 1, "error:"))
		fail_msg("exit %d\nstdout: %s\nstderr: %s", r.code, r.out, r.err);
	qjt_run_free(&r);
}

/* The services keep their results for a batch (memo.c): a result made
 * again from the memo is the one made afresh, calls that differ only in
 * their keep flags, forms or language are told apart, a bad value is
 * still reported after a good one, and thousands of different texts
 * (past the memo's bound) all come out right. */
static void test_text__memo_gives_the_same(void **state)
{
	env *e = *state;
	const char *parts[] = {"\"Серікова А. Б.\" - ", "100 000"};
	const unsigned char none[] = {0, 0}, first[] = {1, 0};
	char *a[2], *b[2], *c[2], *d1, *d2, want[64], got[64];
	int i;

	assert_int_equal(qj_text_typography_parts(e->ctx, e->a, parts, none, 2, "kk", a), 0);
	assert_int_equal(qj_text_typography_parts(e->ctx, e->a, parts, none, 2, "kk", b), 0);
	assert_string_equal(a[0], b[0]);
	assert_string_equal(a[1], b[1]);
	assert_int_equal(qj_text_typography_parts(e->ctx, e->a, parts, first, 2, "kk", c), 0);
	assert_string_equal(c[0], parts[0]);
	assert_string_not_equal(a[0], parts[0]);
	assert_int_equal(qj_text_typography_parts(e->ctx, e->a, parts, none, 2, "en", c), 0);
	assert_string_not_equal(a[0], c[0]);
	d1 = qj_text_date(e->ctx, e->a, 2026, 11, 20, "kk");
	d2 = qj_text_date(e->ctx, e->a, 2026, 11, 20, "kk");
	assert_non_null(d1);
	assert_string_equal(d1, d2);
	assert_string_not_equal(d1, qj_text_date(e->ctx, e->a, 2026, 11, 20, "ru"));
	assert_string_equal(qj_text_plural(e->ctx, e->a, 21, "# час|# часа|# часов", "ru"),
			    "21 час");
	assert_string_equal(qj_text_plural(e->ctx, e->a, 21, "# час|# часа|# часов", "ru"),
			    "21 час");
	assert_string_equal(qj_text_plural(e->ctx, e->a, 22, "# час|# часа|# часов", "ru"),
			    "22 часа");
	assert_string_equal(qj_text_plural(e->ctx, e->a, 21, "# сағ.", "kk"), "21 сағ.");
	assert_int_equal(qj_diag_errors(e->ctx), 0);
	assert_null(qj_text_date(e->ctx, e->a, 2026, 2, 30, "kk"));
	assert_null(qj_text_date(e->ctx, e->a, 2026, 2, 30, "kk"));
	assert_int_equal(qj_diag_errors(e->ctx), 2);
	for (i = 0; i < 6000; i++) {
		const char *one[1];
		char *r;
		snprintf(got, sizeof got, "\"%d\"", i);
		snprintf(want, sizeof want, "«%d»", i);
		one[0] = got;
		assert_int_equal(qj_text_typography_parts(e->ctx, e->a, one, NULL, 1, "kk", &r), 0);
		assert_string_equal(r, want);
	}
	assert_int_equal(qj_text_typography_parts(e->ctx, e->a, parts, none, 2, "kk", b), 0);
	assert_string_equal(a[0], b[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text__normalize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__normalize_warning_names_word_and_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__normalize_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__normalize_doc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__typography, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__bad_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__numbers_and_money, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__plurals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__sort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__translit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__translit_paragraph, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__hyphenate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__hyphenate_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__hyphenate_errors, setup, teardown),
		cmocka_unit_test(test_text__hyphenate_out_of_memory),
		cmocka_unit_test_setup_teardown(test_text__nobreak_hyphen_in_fonts, setup, teardown),
		cmocka_unit_test(test_text__kk_dictionary_is_generated),
		cmocka_unit_test_setup_teardown(test_text__xpath_functions, setup, teardown),
		cmocka_unit_test(test_text__out_of_memory),
		cmocka_unit_test(test_text__out_of_memory_services),
		cmocka_unit_test_setup_teardown(test_text__memo_gives_the_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text__random_strings, setup, teardown),
		cmocka_unit_test(test_text__cli_filters),
		cmocka_unit_test(test_text__cli_hyphenate_without_dictionary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
