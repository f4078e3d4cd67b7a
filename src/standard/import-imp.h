/* import-imp: what the files of the standard importer share: the cleaned
 * lines of the source, the parser state, label tables and small text
 * helpers. Not for use outside src/standard/import_*.c. */
#ifndef QJ_IMPORT_IMP_H
#define QJ_IMPORT_IMP_H

#include <libxml/tree.h>

#include "base/base.h"
#include "standard/import.h"
#include "xml/xml.h"

/* One non-empty line of the source after repair of table-cell residue
 * (tabs, NBSP, runs of spaces); no is its 1-based line number. */
typedef struct qj_iline {
	int no;
	int ind;	/* the source line started with an indent */
	int gap;	/* a blank (or tab-only) line stands before it */
	char *s;
} qj_iline;

/* What a label introduces. */
typedef enum qj_ifield {
	IF_NONE = 0,
	IF_CARD,	/* card header */
	IF_GROUP, IF_OCC, IF_NAME, IF_LEVEL, IF_SUBLEVEL, IF_TYPICAL, IF_QD,
	IF_OTHER, IF_EDU, IF_EDU_LEVEL, IF_EDU_SPEC, IF_EDU_QUAL, IF_EDU_LINK,
	IF_EXPER, IF_NONFORMAL, IF_PURPOSE,
	IF_FHEAD,	/* heading of the functions part: ignored */
	IF_MANDATORY, IF_ADDITIONAL,
	IF_FUNCTION,	/* heading of one function, may carry a number */
	IF_SKILL, IF_TASK,
	IF_ABIL, IF_KNOW, IF_RECOG,
	IF_PERSONAL, IF_REGS, IF_RELATED, IF_COLHEAD, IF_CONDITIONS, IF_NOTE,
	IF_EDNOTE
} qj_ifield;

/* A label: the text it starts with, what it introduces, and flags. */
enum {
	LF_STRICT = 1,	/* nothing but ':' may follow on the line */
	LF_NUM = 2,	/* may carry a number (Task 2:, Трудовая функция 1:) */
	LF_NUMFIRST = 4,/* the number comes first (kk "1-міндет") */
	LF_SUFFIX = 8	/* may be glued to the end of the previous text */
};
typedef struct qj_ilabel {
	const char *text;
	qj_ifield field;
	int flags;
} qj_ilabel;

/* The result of matching a label at the start of a line. */
typedef struct qj_imatch {
	const qj_ilabel *label;
	int n;		 /* the number it carries, 0 when none */
	const char *rest; /* text after the label, ':' and spaces */
} qj_imatch;

typedef struct qj_imp {
	qj_ctx *ctx;
	qj_arena *a;
	const char *file;	/* as given, for diagnostics */
	qj_import_lang lang;
	const qj_ilabel *labels;
	int wrapped;		/* kk: line ends are soft wraps of paragraphs */
	qj_iline *v;
	int n, i;		/* lines and cursor */
	int last_no;		/* number of the last line of the file */
	xmlDocPtr doc;
	xmlNodePtr root;
	int errors;
} qj_imp;

/* Text helpers (import_text.c). qj_imp_clean copies s[0..n) into the
 * arena with tabs, NBSP and runs of spaces made one space, ends trimmed. */
char *qj_imp_clean(qj_arena *a, const char *s, size_t n);
/* kk: letter-spaced words joined ("б а с қ а  д а" → "басқа да"). */
char *qj_imp_unspace(qj_arena *a, const char *s, size_t n);
int qj_imp_starts(const char *s, const char *prefix);
int qj_imp_ends(const char *s, const char *suffix);
/* "12. rest", "12) rest", "12.rest": the number, its style ('.' or ')'),
 * and the rest; 0 when the line is not numbered. */
int qj_imp_number(const char *s, char *style, const char **rest);
/* A date written in kk, ru or en ("30 апреля 2024 года", "May 30, 2019",
 * "2023 жылғы 23 тамыздағы") found in s, as ISO into out[11]; 0 if found. */
int qj_imp_find_date(const char *s, char out[11], const char **end);
/* Lower-cases the first letter (by lang's rules, text/text.h) into a copy
 * in the arena; s itself when it is NULL or empty, NULL on error. */
char *qj_imp_lower_first(qj_arena *a, const char *s, const char *lang);
/* "kk", "ru" or "en". */
const char *qj_imp_lang_code(qj_import_lang l);
/* Joins a and b with one space, in the arena. */
char *qj_imp_join(qj_arena *a, const char *a1, const char *b);
/* Ends with a full stop, semicolon, colon, ! or ? (after trailing quotes). */
int qj_imp_terminal(const char *s);
/* Strips one pair of surrounding quotes ("…", “…”, «…») and a final dot. */
char *qj_imp_unquote(qj_arena *a, const char *s);

/* Labels (import_labels.c). */
const qj_ilabel *qj_imp_labels(qj_import_lang lang);
int qj_imp_match(const qj_imp *im, const char *s, qj_imatch *m);
/* A list label glued to the end of s ("…in the teamCompetence:"); returns
 * the offset where it starts, or -1. */
/* kk: a label broken over lines i, i+1, …; *consumed is how many. */
int qj_imp_match_multi(const qj_imp *im, int i, qj_imatch *m, int *consumed);
int qj_imp_match_suffix(const qj_imp *im, const char *s, qj_imatch *m);
int qj_imp_is_card_header(const qj_imp *im, int i, int *id, char **title,
			  int *consumed);

/* Tree helpers (import_standard.c). */
xmlNodePtr qj_imp_el(qj_imp *im, xmlNodePtr parent, const char *name,
		     int line);
xmlNodePtr qj_imp_text_el(qj_imp *im, xmlNodePtr parent, const char *name,
			  const char *text, int line);
void qj_imp_set_int(xmlNodePtr node, const char *attr, int v);
void qj_imp_append_text(xmlNodePtr node, const char *text);
/* The own text of node ends with ':'. */
int qj_imp_ends_colon(xmlNodePtr node);
/* Adds a paragraph (or a numbered item) to a block element. */
void qj_imp_block_add(qj_imp *im, xmlNodePtr block, const char *text,
		      int line);
/* Turns blocks holding a single <p> into plain text, recursively. */
void qj_imp_block_finish(xmlNodePtr node);
xmlNodePtr qj_imp_ednote(qj_imp *im, xmlNodePtr parent, const char *kind,
			 const char *text, int line);
/* The place of name in order (NULL-terminated), or the number of names
 * when it is not there: a rank for qj_imp_reorder. */
int qj_imp_rank(const char *name, const char *const *order);
/* Sorts the element children of parent by rank(name) (stable; an
 * editorial note keeps the rank of the element before it). */
void qj_imp_reorder(xmlNodePtr parent, int (*rank)(const char *name));
void qj_imp_warn(qj_imp *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void qj_imp_err(qj_imp *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parts (import_front.c, import_cards.c): each consumes lines from im->i
 * up to the start of the next part. */
void qj_imp_act(qj_imp *im);
void qj_imp_general(qj_imp *im);
void qj_imp_passport(qj_imp *im);
void qj_imp_technical(qj_imp *im);
int qj_imp_cards(qj_imp *im);
void qj_imp_resolve_card_refs(qj_imp *im);
int qj_imp_line_of(xmlNodePtr node);
/* Which part a line starts: 1 general, 2 passport, 3 cards chapter, 4
 * technical, 0 none. */
int qj_imp_chapter(const qj_imp *im, const char *s);

#endif
