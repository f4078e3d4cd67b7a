/* import_labels: the labels of the fields of a standard in kk, ru and en
 * (see ../shared/sources/README.md, "Card fields and their labels"), and
 * how a line is matched against them. Longer labels come before their
 * prefixes. */
#include <ctype.h>
#include <string.h>

#include "standard/import-imp.h"

static const qj_ilabel labels_ru[] = {
	{"Код группы", IF_GROUP, 0},
	{"Код наименования занятия", IF_OCC, 0},
	{"Наименование профессии", IF_NAME, 0},
	{"Уровень квалификации по ОРК", IF_LEVEL, 0},
	{"подуровень квалификации по ОРК", IF_SUBLEVEL, 0},
	{"Подуровень квалификации по ОРК", IF_SUBLEVEL, 0},
	{"Уровень квалификации по ЕТКС", IF_TYPICAL, 0},
	{"Уровень профессионального образования", IF_EDU, 0},
	{"Уровень образования", IF_EDU_LEVEL, 0},
	{"Специальность", IF_EDU_SPEC, 0},
	{"Квалификация", IF_EDU_QUAL, 0},
	{"Требования к опыту работы", IF_EXPER, 0},
	{"Связь с неформальным и информальным образованием", IF_NONFORMAL, 0},
	{"Другие возможные наименования профессии", IF_OTHER, 0},
	{"Основная цель деятельности", IF_PURPOSE, 0},
	{"Описание трудовых функций", IF_FHEAD, LF_STRICT},
	{"Перечень трудовых функций", IF_FHEAD, LF_STRICT},
	{"Обязательные трудовые функции", IF_MANDATORY, LF_STRICT},
	{"Дополнительные трудовые функции", IF_ADDITIONAL, LF_STRICT},
	{"Трудовая функция", IF_FUNCTION, LF_NUM},
	{"Навык", IF_SKILL, LF_NUM | LF_STRICT},
	{"Умения", IF_ABIL, LF_STRICT | LF_SUFFIX},
	{"Знания", IF_KNOW, LF_STRICT | LF_SUFFIX},
	{"Возможность признания навыка", IF_RECOG, 0},
	{"Требования к личностным компетенциям", IF_PERSONAL, 0},
	{"Список технических регламентов и национальных стандартов", IF_REGS,
	 0},
	{"Связь с другими профессиями в рамках ОРК", IF_RELATED, 0},
	{"Уровень ОРК", IF_COLHEAD, LF_STRICT},
	{"Примечание ИЗПИ!", IF_EDNOTE, 0},
	{NULL, IF_NONE, 0}};

static const qj_ilabel labels_en[] = {
	{"Code of profession", IF_OCC, 0},
	{"Name of profession", IF_NAME, 0},
	{"Qualification level according to SQF", IF_LEVEL, 0},
	{"Qualification level for the profession according to", IF_TYPICAL,
	 0},
	{"Other possible names of profession", IF_OTHER, 0},
	{"Level of professional education", IF_EDU, 0},
	{"Labor functions", IF_FHEAD, LF_STRICT},
	{"Mandatory labor functions", IF_MANDATORY, LF_STRICT},
	{"Additional labor functions", IF_ADDITIONAL, LF_STRICT},
	{"Labor function", IF_FUNCTION, LF_NUM},
	{"Task", IF_TASK, LF_NUM},
	{"Skills and abilities", IF_ABIL, LF_STRICT | LF_SUFFIX},
	{"Abilities", IF_ABIL, LF_STRICT},
	{"Skills", IF_ABIL, LF_STRICT},
	{"Competence", IF_KNOW, LF_STRICT | LF_SUFFIX},
	{"Requirements to personal competencies", IF_PERSONAL, 0},
	{"Connection with other professions within SQF", IF_RELATED, 0},
	{"Connection with QD", IF_QD, 0},
	{"Conditions (content and quality) of labor", IF_CONDITIONS, 0},
	{"Footnote.", IF_EDNOTE, 0},
	{NULL, IF_NONE, 0}};

static const qj_ilabel labels_kk[] = {
	{"Топ коды", IF_GROUP, 0},
	{"Кәсіп коды", IF_OCC, 0},
	{"Кәсіп атауы", IF_NAME, 0},
	{"СБШ бойынша біліктілік деңгейі", IF_LEVEL, 0},
	{"кәсіп біліктілік деңгейі", IF_TYPICAL, LF_STRICT},
	{"Кәсіби білім деңгейі", IF_EDU, 0},
	{"Білім және біліктілік", IF_EDU_LINK, 0},
	{"Білім деңгейі", IF_COLHEAD, 0},
	{"Еңбек функциялары", IF_FHEAD, LF_STRICT},
	{"Міндетті еңбек", IF_MANDATORY, 0},
	{"Қосымша еңбек", IF_ADDITIONAL, 0},
	{"қосымша еңбек", IF_FUNCTION, LF_NUM | LF_NUMFIRST},
	{"еңбек функциясы", IF_FUNCTION, LF_NUM | LF_NUMFIRST},
	{"міндет", IF_TASK, LF_NUM | LF_NUMFIRST},
	{"Біліктілік пен дағдылар", IF_ABIL, LF_SUFFIX},
	{"Білім", IF_KNOW, LF_STRICT},
	{"Жеке құзыреттерге", IF_PERSONAL, 0},
	{"СБШ-дағы басқа", IF_RELATED, 0},
	{"БТБА немесе БА", IF_QD, 0},
	{"Еңбек жағдайлары", IF_CONDITIONS, 0},
	{"Еңбек шарты", IF_CONDITIONS, 0},
	{"Ескертпе", IF_NOTE, 0},
	{NULL, IF_NONE, 0}};

const qj_ilabel *qj_imp_labels(qj_import_lang lang)
{
	switch (lang) {
	case QJ_IMPORT_KK: return labels_kk;
	case QJ_IMPORT_EN: return labels_en;
	default: return labels_ru;
	}
}

/* The part of a label match after the label text: an optional number, ':'
 * and spaces. Returns 0 when the boundary does not fit the label. */
static int after_label(const qj_ilabel *l, const char *p, qj_imatch *m)
{
	m->n = 0;
	if (*p && *p != ':' && *p != ' ' && *p != '.' &&
	    !((l->flags & LF_NUM) && isdigit((unsigned char)*p)) &&
	    l->field != IF_EDNOTE && l->field != IF_TYPICAL)
		return 0;
	if (l->flags & LF_NUM) {
		const char *q = p;
		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q)) {
			int n = 0;
			while (isdigit((unsigned char)*q))
				n = n * 10 + (*q++ - '0');
			if (*q == ':' || *q == '.' || *q == ' ' || !*q) {
				m->n = n;
				p = q;
			}
		}
	}
	if (*p == '.' && l->field != IF_FUNCTION)
		return 0;
	while (*p == ':' || *p == '.' || *p == ' ')
		p++;
	if ((l->flags & LF_STRICT) && *p)
		return 0;
	m->rest = p;
	return 1;
}

int qj_imp_match(const qj_imp *im, const char *s, qj_imatch *m)
{
	const qj_ilabel *l;

	memset(m, 0, sizeof *m);
	for (l = im->labels; l->text; l++) {
		size_t k = strlen(l->text);
		const char *p = s;
		int n = 0;
		if (l->flags & LF_NUMFIRST) {
			/* "3-міндет", "1-еңбек функциясы", "2-eңбек" */
			if (!isdigit((unsigned char)*p))
				continue;
			while (isdigit((unsigned char)*p))
				n = n * 10 + (*p++ - '0');
			if (*p != '-')
				continue;
			p++;
			if (strncmp(p, l->text, k) != 0)
				continue;
			p += k;
			while (*p == ':' || *p == ' ' || *p == '.')
				p++;
			m->label = l;
			m->n = n;
			m->rest = p;
			return 1;
		}
		if (strncmp(p, l->text, k) != 0)
			continue;
		if (!after_label(l, p + k, m))
			continue;
		m->label = l;
		return 1;
	}
	return 0;
}

int qj_imp_match_suffix(const qj_imp *im, const char *s, qj_imatch *m)
{
	const qj_ilabel *l;
	size_t n = strlen(s);

	memset(m, 0, sizeof *m);
	for (l = im->labels; l->text; l++) {
		size_t k = strlen(l->text);
		size_t end = n;
		if (!(l->flags & LF_SUFFIX))
			continue;
		if (end > 0 && s[end - 1] == ':')
			end--;
		else
			continue; /* a glued label always keeps its colon */
		if (end <= k || strncmp(s + end - k, l->text, k) != 0)
			continue;
		if (s[end - k - 1] == ' ')
			continue; /* "… Competence:" as words, not glued */
		m->label = l;
		m->rest = s + n;
		return (int)(end - k);
	}
	return -1;
}

/* A card header at line i: ru "9. Карточка профессии "…"", en "Card of
 * profession" + the quoted title on the next line, kk "1 – қосымша" + the
 * title line "… кәсіп карточкасы". */
int qj_imp_is_card_header(const qj_imp *im, int i, int *id, char **title,
			  int *consumed)
{
	const char *s = im->v[i].s, *rest;
	static const char ru[] = "Карточка профессии";
	char style;
	int n;

	*id = 0;
	*title = NULL;
	*consumed = 1;
	switch (im->lang) {
	case QJ_IMPORT_RU:
		n = qj_imp_number(s, &style, &rest);
		if (!n || style != '.' || !qj_imp_starts(rest, ru))
			return 0;
		rest += strlen(ru);
		while (*rest == ' ' || *rest == ':')
			rest++;
		*id = n;
		*title = qj_imp_unquote(im->a, rest);
		return 1;
	case QJ_IMPORT_EN:
		if (!qj_imp_starts(s, "Card of profession"))
			return 0;
		rest = s + strlen("Card of profession");
		while (*rest == ' ' || *rest == ':')
			rest++;
		if (*rest) {
			*title = qj_imp_unquote(im->a, rest);
		} else if (i + 1 < im->n) {
			qj_imatch m;
			if (!qj_imp_match(im, im->v[i + 1].s, &m)) {
				*title = qj_imp_unquote(im->a, im->v[i + 1].s);
				*consumed = 2;
			}
		}
		return 1;
	case QJ_IMPORT_KK:
		/* "1 – қосымша" (en dash) alone on its line */
		if (!isdigit((unsigned char)*s))
			return 0;
		n = 0;
		while (isdigit((unsigned char)*s))
			n = n * 10 + (*s++ - '0');
		if (strcmp(s, " – қосымша") != 0 && strcmp(s, " - қосымша") != 0 &&
		    strcmp(s, "-қосымша") != 0)
			return 0;
		*id = n;
		if (i + 1 < im->n && strstr(im->v[i + 1].s, "кәсіп кар")) {
			const char *t = im->v[i + 1].s;
			const char *e = strstr(t, " кәсіп кар");
			*title = qj_imp_unquote(im->a,
				qj_arena_strndup(im->a, t, (size_t)(e - t)));
			*consumed = 2;
		}
		return 1;
	default:
		return 0;
	}
}

int qj_imp_chapter(const qj_imp *im, const char *s)
{
	const char *p;
	int n = 0;
	if (im->lang == QJ_IMPORT_KK) {
		if (!isdigit((unsigned char)*s))
			return qj_imp_starts(s, "Кәсіби стандарттардың техникалық") ? 4 : 0;
		for (p = s; isdigit((unsigned char)*p); p++)
			n = n * 10 + (*p - '0');
		return qj_imp_starts(p, "-тарау.") && n <= 4 ? n : 0;
	}
	p = strstr(s, im->lang == QJ_IMPORT_EN ? "Chapter " : "Глава ");
	if (!p || (p != s && im->lang != QJ_IMPORT_EN))
		return 0;
	p += im->lang == QJ_IMPORT_EN ? 8 : strlen("Глава ");
	while (isdigit((unsigned char)*p))
		n = n * 10 + (*p++ - '0');
	return *p == '.' && n <= 4 ? n : 0;
}

/* kk: labels that the PDF table broke over several lines, compared with
 * all spaces removed (so that letter-spaced words match too). */
static const qj_ilabel kk_multi[] = {
	{"СБШ бойынша біліктілік деңгейі", IF_LEVEL, 0},
	{"СБШ сәйкес біліктілік деңгейі", IF_LEVEL, 0},
	{"СБШ шеңберіне сәйкес біліктілік деңгейі", IF_LEVEL, 0},
	{"Міндетті еңбек функциялары", IF_MANDATORY, 0},
	{"Қосымша еңбек функциялары", IF_ADDITIONAL, 0},
	{"Жеке құзыреттерге қойылатын талаптар", IF_PERSONAL, 0},
	{"СБШ-дағы басқа мамандықтармен байланысы", IF_RELATED, 0},
	{"БТБА немесе БА немесе басқа жұмыс каталогтарына сілтеме", IF_QD, 0},
	{"Білім және біліктілік жүйесімен байланысы", IF_EDU_LINK, 0},
	{"Еңбек жағдайлары (мазмұны мен сапасы).", IF_CONDITIONS, 0},
	{"Еңбек шарты (мазмұны мен сапасы).", IF_CONDITIONS, 0},
	{NULL, IF_NONE, 0}};

static const qj_ilabel kk_typical = {"(типтік біліктілік сипаттамалары)",
				     IF_TYPICAL, 0};
static const qj_ilabel kk_fn_add = {"қосымша еңбек функциясы", IF_FUNCTION,
				    LF_NUM | LF_NUMFIRST};

/* s without spaces, into out (size n). */
static void squeeze(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		if (*s != ' ')
			out[k++] = *s;
	out[k] = 0;
}

int qj_imp_match_multi(const qj_imp *im, int i, qj_imatch *m, int *consumed)
{
	char joined[2048], lab[256];
	size_t jl = 0;
	int k;

	memset(m, 0, sizeof *m);
	if (im->lang != QJ_IMPORT_KK)
		return 0;
	joined[0] = 0;
	for (k = 0; k < 16 && i + k < im->n; k++) {
		const char *s = im->v[i + k].s;
		const qj_ilabel *l;
		size_t sl;
		char tmp[1024];
		squeeze(s, tmp, sizeof tmp);
		sl = strlen(tmp);
		if (jl + sl + 1 >= sizeof joined)
			return 0;
		memcpy(joined + jl, tmp, sl + 1);
		jl += sl;
		if (k == 0)
			continue;
		for (l = kk_multi; l->text; l++) {
			size_t ll;
			squeeze(l->text, lab, sizeof lab);
			ll = strlen(lab);
			if (jl < ll || strncmp(joined, lab, ll) != 0)
				continue;
			if (jl - sl > ll)
				continue; /* the label ended on an earlier line */
			/* the rest of the last line after the label */
			{
				size_t need = ll - (jl - sl), seen = 0;
				const char *p = s;
				while (*p && seen < need) {
					if (*p != ' ')
						seen++;
					p++;
				}
				while (*p == ' ' || *p == ':')
					p++;
				m->rest = p;
			}
			m->label = l;
			*consumed = k + 1;
			return 1;
		}
		/* "1-қосымша еңбек" + "функциясы" */
		if (k == 1 && isdigit((unsigned char)joined[0])) {
			const char *p = joined;
			int n = 0;
			squeeze(kk_fn_add.text, lab, sizeof lab);
			while (isdigit((unsigned char)*p))
				n = n * 10 + (*p++ - '0');
			if (*p == '-' && !strcmp(p + 1, lab)) {
				m->label = &kk_fn_add;
				m->n = n;
				m->rest = "";
				*consumed = 2;
				return 1;
			}
		}
		/* the long label of the typical qualification: "Денсаулық
		 * сақтау … лауазымдарының типтік біліктілік сипаттамаларына
		 * сәйкес кәсіп біліктілік деңгейі" */
		if (qj_imp_starts(im->v[i].s, "Денсаулық сақтау") &&
		    qj_imp_ends(s, "деңгейі") && strstr(joined, "типтікбіліктілік") &&
		    strstr(joined, "лауазымдарының")) {
			m->label = &kk_typical;
			m->rest = "";
			*consumed = k + 1;
			return 1;
		}
	}
	return 0;
}
