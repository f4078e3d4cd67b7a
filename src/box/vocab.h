/* vocab: the flow vocabulary as one table {element, attribute, type,
 * allowed values} and the parsers of its values (lengths, colours, enums,
 * whole numbers, factors, page sizes, margins, column widths). The template
 * loader checks literal attributes with it, the expansion checks attribute
 * value templates with it, and the box builder resolves values with it.
 * Knows nothing of libxml2 or layout. */
#ifndef QJ_VOCAB_H
#define QJ_VOCAB_H

#include <stddef.h>

#define QJ_MAX_COLS 32

typedef enum qj_vtype {
	QJ_V_TEXT,      /* any string */
	QJ_V_LENGTH,    /* 12pt, 20mm, 1.5cm, 1in, bare points, 50% */
	QJ_V_COLOR,     /* #RRGGBB or a colour name */
	QJ_V_ENUM,      /* one of allowed ("a|b|c"); the index is the value */
	QJ_V_INT,       /* a whole number in [min, max] */
	QJ_V_FACTOR,    /* a number in [min/10, max/10] */
	QJ_V_PAGE_SIZE, /* A3, A4, A5, letter or "W H" */
	QJ_V_LENGTHS,   /* 1 to 4 lengths (margins) */
	QJ_V_WIDTHS     /* column widths: lengths, percentages, N* */
} qj_vtype;

/* What an attribute means, for the box builder's switch. */
typedef enum qj_attr_id {
	QJ_A_FONT, QJ_A_WEIGHT, QJ_A_STYLE, QJ_A_SIZE, QJ_A_LINE_HEIGHT, QJ_A_ALIGN,
	QJ_A_COLOR, QJ_A_LANG, QJ_A_WIDOWS, QJ_A_ORPHANS, QJ_A_HYPHENATE, QJ_A_TYPOGRAPHY,
	QJ_A_TITLE, QJ_A_AUTHOR, QJ_A_SUBJECT, QJ_A_SCHEMA,
	QJ_A_NAME, QJ_A_PAGE_SIZE, QJ_A_ORIENTATION, QJ_A_MARGIN, QJ_A_MARGIN_TOP,
	QJ_A_MARGIN_RIGHT, QJ_A_MARGIN_BOTTOM, QJ_A_MARGIN_LEFT, QJ_A_HEADER_HEIGHT,
	QJ_A_FOOTER_HEIGHT, QJ_A_BORDER, QJ_A_BORDER_COLOR, QJ_A_MASTER,
	QJ_A_SPACE_BEFORE, QJ_A_SPACE_AFTER, QJ_A_INDENT, QJ_A_INDENT_RIGHT,
	QJ_A_PADDING, QJ_A_BORDER_TOP, QJ_A_BORDER_BOTTOM, QJ_A_BORDER_LEFT,
	QJ_A_BORDER_RIGHT, QJ_A_SHADING, QJ_A_KEEP_TOGETHER, QJ_A_KEEP_WITH_NEXT,
	QJ_A_BREAK_BEFORE, QJ_A_BOOKMARK, QJ_A_BOOKMARK_LEVEL,
	QJ_A_LIST_STYLE, QJ_A_START, QJ_A_LABEL_WIDTH, QJ_A_ITEM_SPACE, QJ_A_LABEL,
	QJ_A_WIDTHS, QJ_A_SPAN, QJ_A_SRC, QJ_A_WIDTH, QJ_A_HEIGHT, QJ_A_BOX_ALIGN,
	QJ_A_THICKNESS, QJ_A_DATA, QJ_A_QR_SIZE
} qj_attr_id;

/* One row of the table. element is an element name, or "%text" for the
 * inherited text style every element marked so in the element table has. */
typedef struct qj_vattr {
	const char *element;
	const char *name;
	qj_attr_id id;
	qj_vtype type;
	const char *allowed; /* QJ_V_ENUM: "bold|normal" */
	int min, max;        /* QJ_V_INT; QJ_V_FACTOR in tenths */
} qj_vattr;

/* A length: v points, or v percent of a base known only at layout. set is
 * 0 for an attribute that was not given (the default applies). */
typedef struct qj_len {
	double v;
	unsigned char pct, set;
} qj_len;

/* Column widths: kind 0 points, 1 percent of the table, 2 proportional. */
typedef struct qj_widths {
	int n;
	double v[QJ_MAX_COLS];
	unsigned char kind[QJ_MAX_COLS];
} qj_widths;

typedef struct qj_value {
	const char *text;    /* TEXT: the value itself, lent */
	qj_len len;          /* LENGTH */
	double rgb[3];       /* COLOR, 0..1 */
	int index;           /* ENUM */
	long num;            /* INT */
	double factor;       /* FACTOR */
	double page[2];      /* PAGE_SIZE: width, height in points (portrait) */
	qj_len lengths[4];   /* LENGTHS: top, right, bottom, left (CSS order filled in) */
	qj_widths widths;    /* WIDTHS */
} qj_value;

/* Whether name is an element of the flow vocabulary. */
int qj_vocab_is_element(const char *name);

/* Whether element takes the inherited text style (font, size, …). */
int qj_vocab_has_text_style(const char *element);

/* The row for attribute name of element, or NULL when element has no
 * such attribute. Lent from a static table. */
const qj_vattr *qj_vocab_attr(const char *element, const char *name);

/* Parses value as a's type into *out (out may be NULL to only check).
 * Returns 0, or -1 with why set to the end of a sentence "'VALUE' why",
 * e.g. "is not a length (12pt, 20mm, 1.5cm, 1in or 50%)". */
int qj_vocab_parse(const qj_vattr *a, const char *value, qj_value *out,
		   char *why, size_t whylen);

/* Writes the names of element's attributes, comma-separated, into buf
 * (for "unknown attribute" messages). */
void qj_vocab_attr_names(const char *element, char *buf, size_t len);

/* A length resolved: the default when not set, else points or a percentage
 * of base. */
double qj_len_resolve(qj_len l, double def, double base);

#endif
