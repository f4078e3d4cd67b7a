/* hyphen: where a word may be hyphenated, through libhyphen (Liang's
 * patterns). ru and en use Debian's dictionaries (hyphen-ru, hyphen-en-us),
 * kk our own, generated from the rule of Kazakh syllable division by
 * scripts/hyph-kk.pl. The words qujat must never break (names, codes,
 * numbers, short words) are refused here, before libhyphen sees them.
 * docs/text.md has the rules. */
#include "text/text_imp.h"

#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>

#define MIN_LETTERS 5 /* shorter words are never hyphenated */
#define MIN_SIDE 2    /* letters kept on each side of a break */

/* Where each language's dictionary is: in the qujat tree (tree = 1) or an
 * absolute path of the Debian package. */
static const struct dict_src {
	const char *lang, *path;
	int tree;
} dict_srcs[] = {
	{"kk", "hyphen/hyph_kk_KZ.dic", 1},
	{"ru", "/usr/share/hyphen/hyph_ru_RU.dic", 0},
	{"en", "/usr/share/hyphen/hyph_en_US.dic", 0},
};
#define NDICTS (sizeof dict_srcs / sizeof *dict_srcs)

typedef struct dict {
	HyphenDict *d;
	UConverter *cnv; /* NULL for a UTF-8 dictionary */
	int state;       /* 0 not tried, 1 loaded, -1 failed (reported) */
} dict;

struct qj_hyphen {
	qj_ctx *ctx;
	dict dicts[NDICTS];
};

qj_hyphen *qj_hyphen_new(qj_ctx *ctx)
{
	qj_hyphen *h = qj_calloc(ctx, 1, sizeof *h);
	if (h)
		h->ctx = ctx;
	return h;
}

void qj_hyphen_free(qj_hyphen *h)
{
	size_t i;
	if (!h)
		return;
	for (i = 0; i < NDICTS; i++) {
		if (h->dicts[i].d)
			hnj_hyphen_free(h->dicts[i].d);
		if (h->dicts[i].cnv)
			ucnv_close(h->dicts[i].cnv);
	}
	qj_free(h->ctx, h);
}

/* One line of a dictionary file: a pattern is compared on its letters
 * (digits and a non-standard "/repl,i,n" tail left out). */
typedef struct line {
	const char *s;
	size_t len, idx;
} line;

/* The letters of a pattern at *i (past digits), -1 at its end. */
static int key_char(const line *l, size_t *i)
{
	while (*i < l->len && l->s[*i] >= '0' && l->s[*i] <= '9')
		(*i)++;
	return *i < l->len && l->s[*i] != '/' && l->s[*i] != '\n' &&
	       l->s[*i] != '\r' ? (unsigned char)l->s[(*i)++] : -1;
}

static int key_cmp(const line *x, const line *y)
{
	size_t i = 0, j = 0;
	int a, b;
	do {
		a = key_char(x, &i);
		b = key_char(y, &j);
	} while (a == b && a >= 0);
	return a < b ? -1 : a > b;
}

static int line_cmp(const void *pa, const void *pb)
{
	const line *x = pa, *y = pb;
	int c = key_cmp(x, y);
	return c ? c : x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* libhyphen 2.8.8 loads a pattern that comes twice with other digits by
 * overwriting the first one's match without freeing it (hyphen-ru has
 * "уш1ла" and "ушла"): the later line wins and a few bytes leak per load.
 * So the earlier lines of such pairs are removed here, in place, which
 * gives the same dictionary without the leak. Header and keyword lines
 * (upper-case ASCII first), comments and two-level files stay as they are.
 * Returns the new length, or 0 on out of memory (a dictionary loaded with
 * the duplicates would leak). */
static size_t drop_duplicates(qj_ctx *ctx, char *data, size_t len)
{
	size_t n = 0, i, k, out = 0;
	line *l;
	unsigned char *drop;
	char *p = data;
	if (strstr(data, "\nNEXTLEVEL"))
		return len;
	for (i = 0; i < len; i++)
		n += data[i] == '\n';
	l = qj_calloc(ctx, n + 1, sizeof *l);
	drop = qj_calloc(ctx, n + 2, 1);
	if (!l || !drop) {
		qj_free(ctx, l);
		qj_free(ctx, drop);
		return 0;
	}
	/* the pattern lines (line 0 is the charset) */
	for (i = 0, k = 0; p < data + len; i++) {
		char *nl = memchr(p, '\n', (size_t)(data + len - p));
		size_t ll = nl ? (size_t)(nl - p) + 1 : (size_t)(data + len - p);
		if (i > 0 && ll > 1 && *p != '%' && !(*p >= 'A' && *p <= 'Z'))
			l[k++] = (line){p, ll, i};
		p += ll;
	}
	qsort(l, k, sizeof *l, line_cmp);
	for (i = 0; i + 1 < k; i++)
		if (!key_cmp(&l[i], &l[i + 1]))
			drop[l[i].idx] = 1;
	/* copy what stays, in order */
	for (p = data, i = 0; p < data + len; i++) {
		char *nl = memchr(p, '\n', (size_t)(data + len - p));
		size_t ll = nl ? (size_t)(nl - p) + 1 : (size_t)(data + len - p);
		if (!drop[i]) {
			memmove(data + out, p, ll);
			out += ll;
		}
		p += ll;
	}
	qj_free(ctx, l);
	qj_free(ctx, drop);
	return out;
}

/* Reads the file through qj_file_read (size limit, regular files) and
 * gives it to libhyphen as a stream; NULL with a diagnostic. */
static HyphenDict *read_dict(qj_ctx *ctx, const char *path)
{
	size_t len;
	char *data = qj_file_read(ctx, path, &len);
	HyphenDict *d = NULL;
	FILE *fp;
	if (!data)
		return NULL;
	len = len ? drop_duplicates(ctx, data, len) : 0;
	fp = len ? fmemopen(data, len, "r") : NULL;
	if (fp) {
		d = hnj_hyphen_load_file(fp);
		fclose(fp);
	}
	if (!d && !qj_ctx_oom(ctx))
		qj_error(ctx, path, 0, "not a hyphenation dictionary");
	qj_free(ctx, data);
	return d;
}

/* Loads slot i once; later calls return what the first found. */
static int load(qj_hyphen *h, size_t i)
{
	dict *s = &h->dicts[i];
	const struct dict_src *src = &dict_srcs[i];
	char *path;
	if (s->state)
		return s->state > 0 ? 0 : -1;
	s->state = -1;
	path = src->tree ? qj_data_path(h->ctx, src->path)
			 : qj_strdup(h->ctx, src->path);
	if (!path) /* qj_data_path said which directory it looked in */
		return -1;
	s->d = read_dict(h->ctx, path);
	if (s->d && !s->d->utf8) {
		UErrorCode st = U_ZERO_ERROR;
		/* an 8-bit dictionary: words are converted to its charset, and
		 * a word with a letter outside it is not hyphenated */
		s->cnv = ucnv_open(s->d->cset, &st);
		if (U_SUCCESS(st))
			ucnv_setFromUCallBack(s->cnv, UCNV_FROM_U_CALLBACK_STOP,
					      NULL, NULL, NULL, &st);
		if (U_FAILURE(st) || ucnv_getMaxCharSize(s->cnv) != 1) {
			qj_error(h->ctx, path, 1, "unsupported dictionary charset "
				 "'%s'", s->d->cset);
			hnj_hyphen_free(s->d);
			s->d = NULL;
		}
	}
	qj_free(h->ctx, path);
	if (!s->d)
		return -1;
	s->state = 1;
	return 0;
}

/* The slot of lang, or -1 with a diagnostic. */
static int slot(qj_hyphen *h, const char *lang)
{
	size_t i;
	lang = qj_text_lang_or_error(h->ctx, lang);
	for (i = 0; lang && i < NDICTS; i++)
		if (!strcmp(dict_srcs[i].lang, lang))
			return (int)i;
	return -1;
}

int qj_hyphen_load(qj_hyphen *h, const char *lang)
{
	int i = slot(h, lang);
	return i < 0 ? -1 : load(h, (size_t)i);
}

/* A word cut down to its letters: the code point of each (lower case),
 * the byte offset where it starts. */
typedef struct letters {
	UChar32 c[QJ_HYPHEN_MAX_LETTERS];
	size_t at[QJ_HYPHEN_MAX_LETTERS + 1];
	int n;
} letters;

static int is_mark(UChar32 c)
{
	int t = u_charType(c);
	return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
	       t == U_COMBINING_SPACING_MARK;
}

/* Space or punctuation that may surround a word («слово», "word",):
 * dashes and hyphens are not, they make a compound. */
static int is_wrapper(UChar32 c)
{
	int t = u_charType(c);
	return u_isUWhiteSpace(c) || t == U_START_PUNCTUATION ||
	       t == U_END_PUNCTUATION || t == U_INITIAL_PUNCTUATION ||
	       t == U_FINAL_PUNCTUATION || t == U_OTHER_PUNCTUATION;
}

/* Splits s into letters; 0 when the word must not be hyphenated (see
 * qj_hyphen_word), 1 otherwise. */
static int split_word(const char *s, size_t len, unsigned flags, letters *w)
{
	size_t i = 0, end = len, k;
	uint32_t cp;
	w->n = 0;
	/* the punctuation around the word goes */
	while (i < len && (k = qj_utf8_next(s + i, len - i, &cp)) &&
	       is_wrapper((UChar32)cp))
		i += k;
	while (end > i) {
		size_t b = end - 1;
		while (b > i && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		if (!qj_utf8_next(s + b, end - b, &cp) || !is_wrapper((UChar32)cp))
			break;
		end = b;
	}
	while (i < end) {
		UChar32 c;
		if (!(k = qj_utf8_next(s + i, end - i, &cp)))
			return 0; /* invalid UTF-8 */
		c = (UChar32)cp;
		if (is_mark(c) && w->n > 0) {
			i += k; /* stays with its letter: one grapheme */
			continue;
		}
		/* digits, - / . _ @ and anything else: a code, not a word */
		if (!u_isalpha(c) || w->n == QJ_HYPHEN_MAX_LETTERS)
			return 0;
		/* a capital inside: an abbreviation or a name (ҚазҰУ) */
		if ((u_isupper(c) || u_istitle(c)) &&
		    (w->n > 0 || (flags & QJ_HYPHEN_NO_CAPITALIZED)))
			return 0;
		w->at[w->n] = i;
		w->c[w->n++] = u_tolower(c);
		i += k;
	}
	w->at[w->n] = end;
	return w->n >= MIN_LETTERS;
}

/* The word in the dictionary's encoding: UTF-8, or one byte per letter.
 * Returns the length, 0 when a letter cannot be written. */
static int encode(const dict *s, const letters *w, char *out, size_t cap)
{
	UChar u[QJ_HYPHEN_MAX_LETTERS * 2];
	int32_t ulen = 0, n;
	UErrorCode st = U_ZERO_ERROR;
	int i;
	UBool err = 0;
	for (i = 0; i < w->n; i++)
		U16_APPEND(u, ulen, (int32_t)(sizeof u / sizeof *u), w->c[i], err);
	if (err)
		return 0;
	if (s->cnv) {
		n = ucnv_fromUChars(s->cnv, out, (int32_t)cap, u, ulen, &st);
		ucnv_reset(s->cnv);
		return U_SUCCESS(st) && n == w->n ? n : 0;
	}
	u_strToUTF8(out, (int32_t)cap, &n, u, ulen, &st);
	return U_SUCCESS(st) && (size_t)n < cap ? n : 0;
}

/* Frees what hnj_hyphen_hyphenate3 allocated for non-standard patterns. */
static void free_rep(char **rep, int *pos, int *cut, int n)
{
	int i;
	if (rep)
		for (i = 0; i < n; i++)
			free(rep[i]);
	free(rep);
	free(pos);
	free(cut);
}

int qj_hyphen_word(qj_hyphen *h, const char *utf8, size_t len,
		   const char *lang, unsigned flags, unsigned char *points)
{
	letters w;
	char word[QJ_HYPHEN_MAX_LETTERS * 4 + 1], hy[QJ_HYPHEN_MAX_LETTERS * 4 + 5];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	int i, n, count = 0, lh, rh;
	const dict *s;

	memset(points, 0, len + 1);
	if ((i = slot(h, lang)) < 0 || load(h, (size_t)i) < 0)
		return -1;
	s = &h->dicts[i];
	if (!split_word(utf8, len, flags, &w) ||
	    !(n = encode(s, &w, word, sizeof word)))
		return 0;
	lh = s->d->lhmin > MIN_SIDE ? s->d->lhmin : MIN_SIDE;
	rh = s->d->rhmin > MIN_SIDE ? s->d->rhmin : MIN_SIDE;
	memset(hy, 0, sizeof hy);
	if (hnj_hyphen_hyphenate3(s->d, word, n, hy, NULL, &rep, &pos, &cut, lh,
				  rh, 1, 1)) {
		free_rep(rep, pos, cut, n);
		return 0;
	}
	/* hy[k] odd: a break after letter k (libhyphen counts letters, not
	 * bytes, in UTF-8 dictionaries too); a break that changes spelling
	 * (rep) is not taken */
	for (i = lh; i <= w.n - rh; i++) {
		if ((hy[i - 1] & 1) && !(rep && rep[i - 1])) {
			points[w.at[i]] = 1;
			count++;
		}
	}
	free_rep(rep, pos, cut, n);
	return count;
}

char *qj_hyphen_mark(qj_hyphen *h, qj_arena *a, const char *text,
		     const char *lang, unsigned flags, const char *mark)
{
	size_t len = strlen(text), i = 0, ml = strlen(mark), n = 0;
	unsigned char *p = qj_arena_alloc(a, len + 1);
	char *r, *o;
	if (!p)
		return NULL;
	/* each word between white space on its own */
	while (i < len) {
		size_t e = i;
		int k = 0;
		while (e < len && text[e] != ' ' && text[e] != '\t')
			e++;
		if (e > i && (k = qj_hyphen_word(h, text + i, e - i, lang, flags,
						 p + i)) < 0)
			return NULL;
		n += (size_t)k;
		i = e + 1;
	}
	o = r = qj_arena_alloc(a, len + n * ml + 1);
	if (!r)
		return NULL;
	for (i = 0; i < len; i++) {
		if (p[i]) {
			memcpy(o, mark, ml);
			o += ml;
		}
		*o++ = text[i];
	}
	*o = 0;
	return r;
}
