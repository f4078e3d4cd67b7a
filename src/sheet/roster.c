/* roster: a sheet of persons (a header row, then a row per person) and the
 * course-wide fields (a <course> file or the workbook's "course" sheet)
 * become the <roster> document of templates/certificate.rng. Header names
 * and course keys are looked up in the tables below, in English, Russian
 * and Kazakh, after trimming and lower-casing. Every problem names its
 * cell; all of them are reported before giving up. */
#include "sheet/sheet-imp.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "roster/roster.h"
#include "text/text.h"
#include "xml/xml.h"

/* ---- names ------------------------------------------------------------ */

enum { F_SERIAL, F_NAME, F_HOURS, F_SEX, F_POSITION, F_ORG, NFIELDS };

/* The header names of the person columns (README.md keeps the same table). */
static const char *const column_names[NFIELDS] = {
	"serial|serial number|number|no|no.|№|номер|серийный номер|"
	"регистрационный номер|нөмір|тіркеу нөмірі",
	"name|full name|фио|ф.и.о.|ф. и. о.|аты-жөні|аты жөні|толық аты-жөні",
	"hours|часы|часов|количество часов|сағат|сағат саны",
	"sex|gender|пол|жынысы",
	"position|job title|должность|лауазымы|лауазым",
	"organization|organisation|workplace|организация|место работы|ұйым|жұмыс орны",
};
static const char *const field_attr[NFIELDS] = {
	"serial", "name", "hours", "sex", "position", "organization"};

enum { K_LANG, K_ISSUED, K_CITY, K_FONT, K_ORG, K_PROGRAMME, K_HOURS, K_FROM,
       K_TO, K_EMBLEM, K_DIRECTOR, K_SECRETARY, K_HEAD, NKEYS };

/* The keys of the "course" sheet's rows. */
static const char *const key_names[NKEYS] = {
	"lang|language|язык|тіл",
	"issued|issue date|дата выдачи|берілген күні",
	"city|город|қала",
	"font|шрифт|қаріп",
	"organization|organisation|организация|ұйым",
	"programme|program|программа|бағдарлама",
	"hours|часы|сағат",
	"from|start|начало|басталуы",
	"to|end|окончание|аяқталуы",
	"emblem|logo|эмблема|логотип",
	"director|директор",
	"secretary|секретарь|хатшы",
	"head|руководитель|басшы",
};
static const char *const key_attr[NKEYS] = {
	"lang", "issued", "city", "font", "organization", "programme", "hours",
	"from", "to", "emblem", "director", "secretary", "head"};

/* The languages a course key may name ("programme (ru)"): the values of
 * organization, programme and city per language. */
#define NLANGS 3
static const char *const langs[NLANGS] = {"kk", "ru", "en"};

/* The language a normalized key ends with, "(kk)" with or without a space
 * before it, cut off key: its index in langs, or -1 (key unchanged). */
static int key_lang(char *key)
{
	size_t n = strlen(key);
	int l;
	if (n < 4 || key[n - 4] != '(' || key[n - 1] != ')')
		return -1;
	for (l = 0; l < NLANGS; l++)
		if (!memcmp(key + n - 3, langs[l], 2)) {
			n -= 4;
			while (n && key[n - 1] == ' ')
				n--;
			key[n] = 0;
			return l;
		}
	return -1;
}

/* The index in table whose '|'-separated names hold key, or -1. */
static int lookup(const char *const *table, int n, const char *key)
{
	size_t len = strlen(key);
	int i;
	for (i = 0; i < n; i++) {
		const char *p = table[i];
		while (p) {
			const char *e = strchr(p, '|');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (l == len && !memcmp(p, key, len))
				return i;
			p = e ? e + 1 : NULL;
		}
	}
	return -1;
}

/* A header or key cell as it is looked up: white space collapsed and
 * trimmed, NFC, lower case. */
static char *name_key(qj_ctx *ctx, qj_arena *a, const char *text)
{
	char *n = qj_text_normalize(ctx, a, text, NULL, NULL, 0);
	return n ? qj_text_lower(ctx, a, n, "ru") : NULL;
}

/* ---- cells ------------------------------------------------------------ */

typedef struct build {
	qj_ctx *ctx;
	qj_arena *a;
	const qj_sheet *s;       /* the sheet being checked (for diagnostics) */
	int errors;
	int header_bad;          /* an unknown or doubled column was reported */
	const sh_row *header;
} build;

static void cell_error(build *bd, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void cell_error(build *bd, int line, int col, const char *fmt, ...)
{
	char where[1024];
	va_list ap;
	bd->errors++;
	va_start(ap, fmt);
	qj_vdiag(bd->ctx, QJ_ERROR, sh_where(bd->s, line, col, where, sizeof where),
		 0, 0, fmt, ap);
	va_end(ap);
}

static int too_many(const build *bd)
{
	return bd->errors >= qj_ctx_limits(bd->ctx)->max_errors;
}

/* A cell's text, trimmed, or NULL when it is empty or cannot be used (a
 * formula, an Excel error: reported). */
static const char *cell_value(build *bd, const sh_cell *c, qj_cell_kind *kind)
{
	char *t;
	if (c->kind == QJ_CELL_FORMULA) {
		cell_error(bd, c->line, c->col, "the cell has a formula (%s); qujat reads values "
			   "only: copy the cells and paste them as values", c->text);
		return NULL;
	}
	if (c->kind == QJ_CELL_ERROR) {
		cell_error(bd, c->line, c->col, "the cell holds the Excel error %s", c->text);
		return NULL;
	}
	t = sh_trim(bd->a, c->text);
	if (kind)
		*kind = c->kind;
	return t && *t ? t : NULL;
}

/* A whole number from 1 to QJ_ROSTER_MAX_HOURS, the XML roster's range
 * ("72", or "72.0" from a number cell); -1 when it is no whole number, -2
 * when it is out of that range. */
static long whole_number(const char *v)
{
	size_t d = v ? strspn(v, "0123456789") : 0;
	long n;
	if (!d || (v[d] && (v[d] != '.' || strspn(v + d + 1, "0") != strlen(v + d + 1))))
		return -1;
	if (d > 6)
		return -2;
	n = strtol(v, NULL, 10);
	return n >= 1 && n <= QJ_ROSTER_MAX_HOURS ? n : -2;
}

/* Reports hours that are no whole number from 1; returns the hours or -1. */
static long check_hours(build *bd, int line, int col, const char *v)
{
	long n = whole_number(v);
	if (n == -1)
		cell_error(bd, line, col, "hours must be a whole number, not '%s'", v);
	else if (n < 0)
		cell_error(bd, line, col, "hours must be from 1 to %d, not '%s'", QJ_ROSTER_MAX_HOURS, v);
	return n < 0 ? -1 : n;
}

/* m or f from the ways a sheet says it. */
static const char *sex_code(qj_ctx *ctx, qj_arena *a, const char *v)
{
	static const char *const sexes[2] = {
		"m|male|man|м|муж|муж.|мужской|ер|е",
		"f|female|woman|ж|жен|жен.|женский|әйел|ә"};
	char *k = name_key(ctx, a, v);
	int i = k ? lookup(sexes, 2, k) : -1;
	return i < 0 ? NULL : i ? "f" : "m";
}

/* ---- the header ------------------------------------------------------- */

/* Maps the first row's columns to fields: cols[f] is the column of field f
 * (0 when absent). Unknown, doubled and missing required columns are errors;
 * only a missing serial or name column stops the checks of the rows. */
static int read_header(build *bd, int cols[NFIELDS], int *ncols)
{
	const sh_row *h = &bd->s->rows[0];
	int i, f, bad = 0;
	memset(cols, 0, NFIELDS * sizeof *cols);
	*ncols = 0;
	bd->header = h;
	for (i = 0; i < h->ncells; i++) {
		const sh_cell *c = &h->cells[i];
		const char *v = cell_value(bd, c, NULL);
		char *k = v ? name_key(bd->ctx, bd->a, v) : NULL;
		if (!v)
			continue;
		f = k ? lookup(column_names, NFIELDS, k) : -1;
		if (f < 0) {
			cell_error(bd, c->line, c->col, "unknown column '%s' (known: serial, name, hours, "
				   "sex, position, organization, or their Russian and Kazakh names)", v);
			bad = 1;
			continue;
		}
		if (cols[f]) {
			char first[1024];
			cell_error(bd, c->line, c->col, "a second '%s' column (the first is at %s)",
				   field_attr[f], sh_where(bd->s, h->num, cols[f], first, sizeof first));
			bad = 1;
			continue;
		}
		cols[f] = c->col;
		if (c->col > *ncols)
			*ncols = c->col;
	}
	bd->header_bad = bad;
	bad = 0;
	for (f = F_SERIAL; f <= F_NAME; f++)
		if (!cols[f]) {
			cell_error(bd, h->num, 0, "the header row has no '%s' column (header names: %s)",
				   field_attr[f], column_names[f]);
			bad = 1;
		}
	return bad ? -1 : 0;
}

/* ---- persons ---------------------------------------------------------- */

/* Serials seen so far, for duplicates: open addressing on a power of two. */
typedef struct seen {
	const char **key;
	int *line, *col;
	size_t cap;
} seen;

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Adds key; returns the slot of an earlier equal key, or -1 when new. */
static long seen_add(seen *t, const char *key, int line, int col)
{
	size_t i = hash_str(key) & (t->cap - 1);
	for (; t->key[i]; i = (i + 1) & (t->cap - 1))
		if (!strcmp(t->key[i], key))
			return (long)i;
	t->key[i] = key;
	t->line[i] = line;
	t->col[i] = col;
	return -1;
}

/* The line a row's cell starts on (CSV fields may span lines). */
static int cell_line(const sh_row *r, int col)
{
	int i;
	for (i = 0; i < r->ncells; i++)
		if (r->cells[i].col == col)
			return r->cells[i].line;
	return r->num;
}

/* One person row → <person/>, or an error per bad cell. */
static void add_person(build *bd, xmlNodePtr root, const sh_row *r, const int cols[NFIELDS],
		       seen *serials)
{
	const char *val[NFIELDS] = {0};
	int reported[NFIELDS] = {0};
	xmlNodePtr p;
	int f, i, bad = 0;
	/* every cell must be under a header */
	for (i = 0; i < r->ncells; i++) {
		const sh_cell *c = &r->cells[i];
		const char *v;
		for (f = 0; f < NFIELDS && cols[f] != c->col; f++)
			;
		v = cell_value(bd, c, NULL);
		if (!v && (c->kind == QJ_CELL_FORMULA || c->kind == QJ_CELL_ERROR)) {
			if (f < NFIELDS)
				reported[f] = 1;
			bad = 1;
			continue;
		}
		if (!v)
			continue;
		if (f == NFIELDS) {
			/* under an unknown header (reported once, there) or none */
			if (!bd->header_bad || !qj_sheet_cell(bd->s, 0, c->col, NULL))
				cell_error(bd, c->line, c->col, "'%s' is in a column with no header", v);
			bad = 1;
			continue;
		}
		val[f] = v;
	}
	for (f = F_SERIAL; f <= F_NAME; f++)
		if (!val[f] && !reported[f]) {
			cell_error(bd, r->num, cols[f], "empty %s", field_attr[f]);
			bad = 1;
		}
	if (val[F_SERIAL]) {
		long k = seen_add(serials, val[F_SERIAL], cell_line(r, cols[F_SERIAL]),
				  cols[F_SERIAL]);
		if (k >= 0) {
			char first[1024];
			cell_error(bd, cell_line(r, cols[F_SERIAL]), cols[F_SERIAL],
				   "serial '%s' is used twice (first at %s)",
				   val[F_SERIAL], sh_where(bd->s, serials->line[k], serials->col[k],
							   first, sizeof first));
			bad = 1;
		}
	}
	if (val[F_HOURS] &&
	    check_hours(bd, cell_line(r, cols[F_HOURS]), cols[F_HOURS], val[F_HOURS]) < 0)
		bad = 1;
	if (val[F_SEX] && !(val[F_SEX] = sex_code(bd->ctx, bd->a, val[F_SEX]))) {
		cell_error(bd, cell_line(r, cols[F_SEX]), cols[F_SEX],
			   "sex must be m or f (м/ж, ер/әйел), not '%s'",
			   qj_sheet_cell(bd->s, (int)(r - bd->s->rows), cols[F_SEX], NULL));
		bad = 1;
	}
	if (bad)
		return;
	p = xmlNewChild(root, NULL, BAD_CAST "person", NULL);
	if (!p)
		return;
	p->line = (unsigned short)(r->num < 65535 ? r->num : 65535);
	for (f = 0; f < NFIELDS; f++)
		if (val[f]) {
			char num[24];
			const char *v = val[f];
			if (f == F_HOURS) {
				snprintf(num, sizeof num, "%ld", whole_number(v));
				v = num;
			}
			xmlNewProp(p, BAD_CAST field_attr[f], BAD_CAST v);
		}
}

static int add_persons(build *bd, xmlNodePtr root)
{
	int cols[NFIELDS], ncols, i;
	seen serials;
	const qj_sheet *s = bd->s;
	if (s->nrows == 0) {
		cell_error(bd, 0, 0, "the sheet is empty: expected a header row (serial, name, …) "
			   "and a row per person");
		return -1;
	}
	if (read_header(bd, cols, &ncols) < 0)
		return -1;
	if (s->nrows == 1) {
		cell_error(bd, s->rows[0].num, 0, "only a header row: no persons below it");
		return -1;
	}
	memset(&serials, 0, sizeof serials);
	for (serials.cap = 16; serials.cap < (size_t)s->nrows * 2; serials.cap *= 2)
		;
	serials.key = qj_arena_alloc(bd->a, serials.cap * sizeof *serials.key);
	serials.line = qj_arena_alloc(bd->a, serials.cap * sizeof *serials.line);
	serials.col = qj_arena_alloc(bd->a, serials.cap * sizeof *serials.col);
	if (!serials.key || !serials.line || !serials.col)
		return -1;
	for (i = 1; i < s->nrows && !too_many(bd); i++)
		add_person(bd, root, &s->rows[i], cols, &serials);
	if (too_many(bd))
		qj_diag(bd->ctx, QJ_NOTE, s->file, 0, 0, "too many errors; stopped");
	return bd->errors ? -1 : 0;
}

/* ---- the course ------------------------------------------------------- */

/* A date cell or text as YYYY-MM-DD in buf; NULL when it is none. */
static const char *course_date(const qj_sheet *s, const char *v, qj_cell_kind kind,
			       char *buf, size_t n)
{
	int y, m, d;
	if (kind == QJ_CELL_NUMBER) {
		if (qj_sheet_excel_date(strtod(v, NULL), s->date1904, &y, &m, &d) < 0)
			return NULL;
	} else if (qj_text_parse_date(v, &y, &m, &d) < 0) {
		return NULL;
	}
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* Checks one key's value; returns it as it goes into the roster, or NULL. */
static const char *course_value(build *bd, const sh_cell *c, int key, const char *v,
				qj_cell_kind kind, char *buf, size_t n)
{
	switch (key) {
	case K_ISSUED: case K_FROM: case K_TO:
		if (!course_date(bd->s, v, kind, buf, n)) {
			cell_error(bd, c->line, c->col, "%s must be a date (YYYY-MM-DD, DD.MM.YYYY or "
				   "an Excel date), not '%s'", key_attr[key], v);
			return NULL;
		}
		return buf;
	case K_HOURS:
		if (check_hours(bd, c->line, c->col, v) < 0)
			return NULL;
		snprintf(buf, n, "%ld", whole_number(v));
		return buf;
	case K_LANG:
		if (strcmp(v, "kk") && strcmp(v, "ru") && strcmp(v, "en") && strcmp(v, "kk+ru")) {
			cell_error(bd, c->line, c->col, "lang must be kk, ru, en or kk+ru, not '%s'", v);
			return NULL;
		}
		return v;
	default:
		return v;
	}
}

/* The per-language values of a course sheet: organization, programme and
 * city in kk, ru, en (index NLANGS: without a language). */
enum { L_ORG, L_PROGRAMME, L_CITY, NLFIELDS };
typedef struct course_vals {
	const char *val[NKEYS];
	int at[NKEYS];
	const char *lval[NLFIELDS][NLANGS];
	int lat[NLFIELDS][NLANGS];
} course_vals;

static int lfield(int key)
{
	return key == K_ORG ? L_ORG : key == K_PROGRAMME ? L_PROGRAMME
		: key == K_CITY ? L_CITY : -1;
}

/* Gives n the attribute xml:lang="langs[lang]" (none when lang < 0). */
static void set_lang(xmlNodePtr n, int lang)
{
	xmlNsPtr xml;
	if (lang >= 0 && (xml = xmlSearchNsByHref(n->doc, n, XML_XML_NAMESPACE)))
		xmlNewNsProp(n, xml, BAD_CAST "lang", BAD_CAST langs[lang]);
}

/* The course sheet's values as the roster's attributes and its
 * organizations, emblem, programmes and cities, before the signers (the
 * schema's order): per field, the one without a language, then kk, ru, en; the
 * first programme has the hours and dates. */
static void course_emit(xmlNodePtr root, const course_vals *cv)
{
	static const char *const names[NLFIELDS] = {"organization", "programme", "city"};
	xmlNodePtr first = root->children, n, prog = NULL;
	int k, f, l;
	for (k = K_LANG; k <= K_FONT; k++)
		if (cv->val[k])
			xmlNewProp(root, BAD_CAST key_attr[k], BAD_CAST cv->val[k]);
	if (!(cv->val[K_ORG] || cv->lval[L_ORG][0] || cv->lval[L_ORG][1] || cv->lval[L_ORG][2]) ||
	    !cv->val[K_HOURS])
		return; /* reported */
	for (f = 0; f < NLFIELDS; f++)
		for (l = -1; l < NLANGS; l++) {
			if (f == L_PROGRAMME && l < 0 && cv->val[K_EMBLEM]) {
				/* the emblem after the organizations */
				n = xmlNewDocNode(root->doc, NULL, BAD_CAST "emblem", NULL);
				xmlNewProp(n, BAD_CAST "src", BAD_CAST cv->val[K_EMBLEM]);
				first ? xmlAddPrevSibling(first, n) : xmlAddChild(root, n);
			}
			const char *v = l < 0 ? (f == L_CITY ? NULL : cv->val[f == L_ORG ? K_ORG : K_PROGRAMME])
					      : cv->lval[f][l];
			if (!v || !(n = xmlNewDocNode(root->doc, NULL, BAD_CAST names[f], NULL)))
				continue;
			xmlNodeAddContent(n, BAD_CAST v);
			if (f == L_PROGRAMME && !prog) {
				prog = n;
				xmlNewProp(n, BAD_CAST "hours", BAD_CAST cv->val[K_HOURS]);
				if (cv->val[K_FROM])
					xmlNewProp(n, BAD_CAST "from", BAD_CAST cv->val[K_FROM]);
				if (cv->val[K_TO])
					xmlNewProp(n, BAD_CAST "to", BAD_CAST cv->val[K_TO]);
			}
			set_lang(n, l); /* after the hours and dates, as course.xml has it */
			first ? xmlAddPrevSibling(first, n) : xmlAddChild(root, n);
		}
}

/* One value of the course sheet into cv (key k, in language lang or -1);
 * a key given twice is reported. */
static void course_put(build *bd, course_vals *cv, const sh_row *r, const sh_cell *vc,
		       int k, int lang, const char *v, qj_cell_kind kind, char *buf, size_t n)
{
	int f = lfield(k);
	int *at = lang >= 0 ? &cv->lat[f][lang] : &cv->at[k];
	if (*at) {
		char first[1024];
		cell_error(bd, r->num, 1, "'%s%s%s%s' is given twice (first at %s)", key_attr[k],
			   lang >= 0 ? " (" : "", lang >= 0 ? langs[lang] : "", lang >= 0 ? ")" : "",
			   sh_where(bd->s, *at, 1, first, sizeof first));
		return;
	}
	*at = r->num;
	if (lang >= 0)
		cv->lval[f][lang] = v;
	else if (v)
		cv->val[k] = course_value(bd, vc, k, v, kind, buf, n);
}

/* The "course" sheet's key/value rows → the roster's attributes and its
 * emblem, organization, programme, city and signers. */
static void course_from_sheet(build *bd, xmlNodePtr root)
{
	const qj_sheet *s = bd->s;
	course_vals cv;
	int i, k, l;
	xmlNodePtr n;
	char buf[NKEYS][16];
	memset(&cv, 0, sizeof cv);
	for (i = 0; i < s->nrows && !too_many(bd); i++) {
		const sh_row *r = &s->rows[i];
		const sh_cell *kc = &r->cells[0], *vc = r->ncells > 1 ? &r->cells[1] : NULL;
		qj_cell_kind kind = QJ_CELL_TEXT;
		const char *key = cell_value(bd, kc, NULL), *v;
		char *nk = key ? name_key(bd->ctx, bd->a, key) : NULL;
		if (!key)
			continue;
		if (kc->col != 1 || (vc && vc->col != 2) || r->ncells > 2) {
			const sh_cell *odd = kc->col != 1 ? kc : vc->col != 2 ? vc : &r->cells[2];
			cell_error(bd, odd->line, odd->col, "the course sheet has a key in column A "
				   "and its value in column B, nothing else");
			continue;
		}
		l = nk ? key_lang(nk) : -1;
		k = nk ? lookup(key_names, NKEYS, nk) : -1;
		if (k < 0) {
			cell_error(bd, kc->line, 1, "unknown course key '%s' (keys: lang, issued, city, "
				   "font, organization, programme, hours, from, to, emblem, director, "
				   "secretary, head; organization, programme and city also as "
				   "'programme (ru)')", key);
			continue;
		}
		if (l >= 0 && lfield(k) < 0) {
			cell_error(bd, kc->line, 1, "'%s' is the same in every language: it takes "
				   "no '(%s)'", key_attr[k], langs[l]);
			continue;
		}
		v = vc ? cell_value(bd, vc, &kind) : NULL;
		if (!v) {
			if (!vc || (vc->kind != QJ_CELL_FORMULA && vc->kind != QJ_CELL_ERROR))
				cell_error(bd, r->num, 2, "empty value for '%s'", key_attr[k]);
			if (k < K_DIRECTOR)
				course_put(bd, &cv, r, vc, k, l, NULL, kind, buf[k], sizeof buf[k]);
			continue;
		}
		if (k >= K_DIRECTOR) {
			n = xmlNewChild(root, NULL, BAD_CAST "signer", NULL);
			xmlNewProp(n, BAD_CAST "role", BAD_CAST key_attr[k]);
			xmlNewProp(n, BAD_CAST "name", BAD_CAST v);
			cv.at[k] = r->num;
			continue;
		}
		course_put(bd, &cv, r, vc, k, l, v, kind, buf[k], sizeof buf[k]);
	}
	for (k = 0; k < K_DIRECTOR; k++) {
		int f = lfield(k), any = cv.at[k];
		for (l = 0; f >= 0 && l < NLANGS; l++)
			any |= cv.lat[f][l];
		if (!any && (k == K_ISSUED || k == K_ORG || k == K_PROGRAMME || k == K_HOURS))
			cell_error(bd, 0, 0, "no '%s' row in the course sheet", key_attr[k]);
	}
	if (!cv.at[K_DIRECTOR] && !cv.at[K_SECRETARY] && !cv.at[K_HEAD])
		cell_error(bd, 0, 0, "no signer in the course sheet (a 'director', 'secretary' "
			   "or 'head' row)");
	/* the dates in order, said at their cells (YYYY-MM-DD compare as
	 * strings), once, and not once per person at the list's lines */
	if (cv.val[K_FROM] && cv.val[K_TO] && strcmp(cv.val[K_TO], cv.val[K_FROM]) < 0)
		cell_error(bd, cv.at[K_TO], 2, "the programme ends %s, before it begins %s",
			   cv.val[K_TO], cv.val[K_FROM]);
	if (cv.val[K_ISSUED] && cv.val[K_FROM] && strcmp(cv.val[K_ISSUED], cv.val[K_FROM]) < 0)
		cell_error(bd, cv.at[K_ISSUED], 2, "issued %s, before the programme begins %s",
			   cv.val[K_ISSUED], cv.val[K_FROM]);
	/* the emblem's file, relative to the workbook as q:path finds it */
	if (cv.val[K_EMBLEM] && *cv.val[K_EMBLEM]) {
		const char *e = cv.val[K_EMBLEM];
		char path[PATH_MAX];
		qj_xml_rel_path(bd->s->file, e, path, sizeof path);
		if (access(path, R_OK) != 0)
			cell_error(bd, cv.at[K_EMBLEM], 2, "the emblem %s: cannot open: %s", path,
				   strerror(errno));
	}
	course_emit(root, &cv);
}

/* The length of the directory part of path ("a/b.xml" -> 1, "b.xml" -> 0). */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) : 0;
}

/* An emblem's relative src is relative to the file that names it: copied
 * from the course file into a roster of a list in another directory, it
 * becomes absolute (the course file's directory, resolved). */
static void rebase_emblem(qj_ctx *ctx, xmlNodePtr emblem, const char *course_path,
			  const char *list_path)
{
	xmlChar *src = xmlGetProp(emblem, BAD_CAST "src");
	size_t cl = dir_len(course_path), ll = dir_len(list_path);
	char dir[PATH_MAX], *abs;
	if (src && src[0] != '/' && (cl != ll || memcmp(course_path, list_path, cl))) {
		snprintf(dir, sizeof dir, "%.*s", cl ? (int)cl : 1, cl ? course_path : ".");
		if ((abs = realpath(dir, NULL))) {
			char *v = qj_malloc(ctx, strlen(abs) + xmlStrlen(src) + 2);
			if (v) {
				sprintf(v, "%s/%s", abs, (const char *)src);
				xmlSetProp(emblem, BAD_CAST "src", BAD_CAST v);
			}
			qj_free(ctx, v);
			free(abs);
		}
	}
	xmlFree(src);
}

/* The <course> document's attributes and children, copied. */
static void course_from_doc(qj_ctx *ctx, xmlNodePtr root, xmlDocPtr course,
			    const char *list_path)
{
	xmlNodePtr c = xmlDocGetRootElement(course), n, copy;
	xmlAttrPtr a;
	for (a = c->properties; a; a = a->next) {
		xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
		xmlNewProp(root, a->name, v);
		xmlFree(v);
	}
	for (n = c->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && (copy = xmlDocCopyNode(n, root->doc, 1))) {
			xmlAddChild(root, copy);
			if (!strcmp((const char *)n->name, "emblem") && course->URL)
				rebase_emblem(ctx, copy, (const char *)course->URL, list_path);
		}
}

xmlDocPtr qj_sheet_roster(qj_ctx *ctx, const qj_sheet *persons,
			  const qj_sheet *course_sheet, xmlDocPtr course_doc)
{
	build bd;
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = doc ? xmlNewDocNode(doc, NULL, BAD_CAST "roster", NULL) : NULL;
	int errors = 0;
	if (!root) {
		xmlFreeDoc(doc);
		qj_error(ctx, persons->file, 0, "out of memory building the roster");
		return NULL;
	}
	xmlDocSetRootElement(doc, root);
	doc->URL = xmlStrdup(BAD_CAST persons->file);
	memset(&bd, 0, sizeof bd);
	bd.ctx = ctx;
	bd.a = qj_arena_new(ctx);
	if (!bd.a) {
		xmlFreeDoc(doc);
		return NULL;
	}
	/* the course first: its children come before the persons */
	if (course_doc) {
		course_from_doc(ctx, root, course_doc, persons->file);
	} else if (course_sheet) {
		bd.s = course_sheet;
		course_from_sheet(&bd, root);
		errors += bd.errors;
		bd.errors = 0;
	} else {
		qj_error(ctx, persons->file, 0, "no course-wide fields (programme, dates, "
			 "organization, signers): give --course COURSE.xml%s",
			 persons->name ? " or add a sheet named 'course'" : "");
		errors++;
	}
	bd.s = persons;
	add_persons(&bd, root);
	errors += bd.errors;
	qj_arena_free(bd.a);
	if (errors || qj_ctx_oom(ctx)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* ---- from files ------------------------------------------------------- */

/* The course file, loaded safely and checked against templates/course.rng. */
static xmlDocPtr load_course(qj_ctx *ctx, const char *path)
{
	xmlDocPtr doc = qj_xml_load(ctx, path);
	char *rng;
	xmlNodePtr root;
	if (!doc)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (strcmp((const char *)root->name, "course")) {
		qj_xml_error(ctx, root, "expected a <course> document, not <%s>",
			     (const char *)root->name);
		xmlFreeDoc(doc);
		return NULL;
	}
	rng = qj_data_path(ctx, "templates/course.rng");
	if (!rng) {
		qj_error(ctx, path, 0, "cannot find templates/course.rng");
		xmlFreeDoc(doc);
		return NULL;
	}
	if (qj_xml_validate_rng(ctx, doc, rng) != 0 || qj_roster_check_course(ctx, doc) > 0) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	qj_free(ctx, rng);
	return doc;
}

xmlDocPtr qj_sheet_load_roster(qj_ctx *ctx, const char *path,
			       const char *course_path)
{
	size_t len = strlen(path), n = 0;
	int xlsx = len > 5 && !strcasecmp(path + len - 5, ".xlsx");
	xmlDocPtr course = NULL, doc = NULL;
	qj_sheet *persons = NULL, *csheet = NULL;
	char *data;

	/* both inputs are read (and every problem reported) before stopping */
	if (course_path)
		course = load_course(ctx, course_path);
	data = qj_file_read(ctx, path, &n);
	if (data)
		persons = xlsx ? qj_sheet_read_xlsx(ctx, path, data, n, course_path ? NULL : &csheet)
			       : qj_sheet_read_csv(ctx, path, data, n);
	qj_free(ctx, data);
	if (persons && (course || !course_path))
		doc = qj_sheet_roster(ctx, persons, csheet, course);
	qj_sheet_free(persons);
	qj_sheet_free(csheet);
	xmlFreeDoc(course);
	return doc;
}
