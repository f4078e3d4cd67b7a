/* fingerprint: the data fields of a certificate or a plan, serialized in
 * the canonical form of docs/trust.md and hashed with SHA-256; the short
 * code, the per-field codes and the QR payload made from them. The table
 * below is the one place that says which fields a kind of document has. */
#include "code/code.h"

#include <libxml/xpath.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "xml/xml.h"

/* A kind: the element its item is, the parent it needs (NULL: the root),
 * the id field, the fields as XPath from the item, and the URL base. */
typedef struct fp_kind {
	const char *kind, *element, *parent;
	const char *url; /* XPath of the verification URL's base, or NULL */
	int nfields;
	const char *name[QJ_FP_MAX_FIELDS];
	const char *xpath[QJ_FP_MAX_FIELDS]; /* NULL: the item's content */
} fp_kind;

static const fp_kind kinds[] = {
	{"certificate", "person", "roster", "string(../@verify-url)", 6,
	 {"serial", "name", "hours", "programme", "dates", "organization"},
	 {"string(@serial)", "string(@name)", "string((@hours | ../programme/@hours)[last()])",
	  "string(../programme)",
	  "concat(../programme/@from, '/', ../programme/@to, '/', ../@issued)",
	  "string(../organization)"}},
	{"plan", "client-record", NULL, NULL, 2,
	 {"number", "content"}, {"string(plan/@number)", NULL}},
};

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static void base32(const unsigned char *d, size_t nchars, char *out)
{
	size_t i;
	for (i = 0; i < nchars; i++) {
		size_t bit = i * 5, byte = bit / 8, sh = bit % 8;
		unsigned v = (unsigned)d[byte] << 8 | (byte + 1 < 32 ? d[byte + 1] : 0);
		out[i] = b32[(v >> (11 - sh)) & 31];
	}
	out[nchars] = 0;
}


/* White space runs as one space, none at the ends. */
static void collapse(qj_buf *b, const char *s)
{
	int sp = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			sp = 1;
			continue;
		}
		if (sp && b->len)
			qj_buf_putc(b, ' ');
		sp = 0;
		qj_buf_putc(b, *s);
	}
}

static int by_name(const void *a, const void *b)
{
	const xmlAttr *x = *(const xmlAttr *const *)a, *y = *(const xmlAttr *const *)b;
	return strcmp((const char *)x->name, (const char *)y->name);
}

/* An element as "(name @attr=LEN:value … =LEN:text … (child …))": attributes
 * sorted by name, texts collapsed and empty ones left out, no comments. */
static void content(qj_buf *out, const xmlNode *el, int depth)
{
	const xmlAttr *at[64];
	const xmlNode *c;
	int n = 0, i;
	qj_buf v;
	qj_buf_init(&v, out->ctx);
	qj_buf_printf(out, "(%s", (const char *)el->name);
	for (at[0] = el->properties; at[n] && n < 63; n++)
		at[n + 1] = at[n]->next;
	qsort(at, (size_t)n, sizeof *at, by_name);
	for (i = 0; i < n; i++) {
		xmlChar *s = xmlNodeGetContent((const xmlNode *)at[i]);
		qj_buf_reset(&v);
		collapse(&v, s ? (const char *)s : "");
		qj_buf_printf(out, " @%s=%zu:%s", (const char *)at[i]->name, v.len, qj_buf_str(&v));
		xmlFree(s);
	}
	for (c = el->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && depth < 64) {
			qj_buf_putc(out, ' ');
			content(out, c, depth + 1);
		} else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			qj_buf_reset(&v);
			collapse(&v, (const char *)c->content);
			if (v.len)
				qj_buf_printf(out, " =%zu:%s", v.len, qj_buf_str(&v));
		}
	}
	qj_buf_putc(out, ')');
	qj_buf_free(&v);
}

/* The fingerprint's XPath, kept by the context for a batch (a document
 * per person asks for its fingerprint once or twice): one context, and
 * every field's expression compiled once. */
#define NKINDS (sizeof kinds / sizeof *kinds)
typedef struct fp_cache {
	xmlXPathContextPtr xp;
	xmlXPathCompExprPtr comp[NKINDS][QJ_FP_MAX_FIELDS + 1]; /* the last: the URL */
	EVP_MD *sha;            /* SHA-256 fetched once, not at every digest */
	EVP_MD_CTX *md;
} fp_cache;

static void fp_cache_free(void *p)
{
	fp_cache *c = p;
	size_t k, i;
	for (k = 0; k < NKINDS; k++)
		for (i = 0; i <= QJ_FP_MAX_FIELDS; i++)
			xmlXPathFreeCompExpr(c->comp[k][i]);
	xmlXPathFreeContext(c->xp);
	EVP_MD_CTX_free(c->md);
	EVP_MD_free(c->sha);
	free(c);
}

static fp_cache *fp_cache_of(qj_ctx *ctx)
{
	fp_cache *c = qj_ctx_slot(ctx, QJ_SLOT_CODE);
	if (c)
		return c;
	if (!(c = calloc(1, sizeof *c)))
		return NULL;
	c->xp = xmlXPathNewContext(NULL);
	c->sha = EVP_MD_fetch(NULL, "SHA256", NULL);
	c->md = EVP_MD_CTX_new();
	if (!c->xp || !c->sha || !c->md) {
		fp_cache_free(c);
		return NULL;
	}
	qj_ctx_set_slot(ctx, QJ_SLOT_CODE, c, fp_cache_free);
	return c;
}

static int sha256(fp_cache *c, const char *s, size_t n, unsigned char md[32])
{
	unsigned int len = 0;
	return EVP_DigestInit_ex(c->md, c->sha, NULL) && EVP_DigestUpdate(c->md, s, n) &&
	       EVP_DigestFinal_ex(c->md, md, &len) && len == 32 ? 0 : -1;
}

/* The string value of expression i of kind k (its text expr) at node,
 * white space collapsed, in arena; NULL when out of memory. */
static char *eval(qj_arena *arena, fp_cache *c, const fp_kind *k, int i, const xmlNode *node,
		  const char *expr)
{
	xmlXPathCompExprPtr *comp = &c->comp[k - kinds][i];
	xmlXPathObjectPtr r = NULL;
	qj_buf b;
	char *s;
	qj_buf_init(&b, qj_arena_ctx(arena));
	if (!*comp)
		*comp = xmlXPathCompile((const xmlChar *)expr);
	if (*comp) {
		c->xp->doc = node->doc;
		c->xp->node = (xmlNodePtr)node;
		c->xp->contextSize = c->xp->proximityPosition = -1;
		r = xmlXPathCompiledEval(*comp, c->xp);
	}
	if (r && r->type == XPATH_STRING)
		collapse(&b, (const char *)r->stringval);
	s = qj_arena_strdup(arena, qj_buf_str(&b));
	qj_buf_free(&b);
	xmlXPathFreeObject(r);
	return s;
}

/* URL-safe: unreserved characters as they are, every other byte %XX. */
static char *with_id(qj_arena *arena, const char *base, const char *id)
{
	qj_buf b;
	char *s;
	qj_buf_init(&b, qj_arena_ctx(arena));
	qj_buf_puts(&b, base);
	for (; *id; id++) {
		unsigned char c = (unsigned char)*id;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			qj_buf_putc(&b, (char)c);
		else
			qj_buf_printf(&b, "%%%02X", c);
	}
	s = qj_arena_strdup(arena, qj_buf_str(&b));
	qj_buf_free(&b);
	return s;
}

static const fp_kind *kind_of(const xmlNode *node)
{
	size_t i;
	if (node && node->type == XML_DOCUMENT_NODE)
		node = xmlDocGetRootElement((xmlDocPtr)node);
	if (node && node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, "plan"))
		node = node->parent;
	for (i = 0; node && node->type == XML_ELEMENT_NODE && i < sizeof kinds / sizeof *kinds; i++) {
		const xmlNode *p = node->parent;
		if (strcmp((const char *)node->name, kinds[i].element))
			continue;
		if (kinds[i].parent ? (p && p->type == XML_ELEMENT_NODE &&
				       !strcmp((const char *)p->name, kinds[i].parent))
				    : (!p || p->type != XML_ELEMENT_NODE))
			return &kinds[i];
	}
	return NULL;
}

static const xmlNode *item_of(const xmlNode *node)
{
	if (node->type == XML_DOCUMENT_NODE)
		return xmlDocGetRootElement((xmlDocPtr)node);
	if (!strcmp((const char *)node->name, "plan") && node->parent &&
	    node->parent->type == XML_ELEMENT_NODE)
		return node->parent;
	return node;
}

int qj_fp_of(qj_ctx *ctx, qj_arena *arena, const xmlNode *node, qj_fp *fp)
{
	const fp_kind *k = node ? kind_of(node) : NULL;
	fp_cache *c;
	unsigned char md[32];
	qj_buf canon, one;
	int i, rc = 0;

	memset(fp, 0, sizeof *fp);
	if (!k) {
		qj_xml_error(ctx, node, "no fingerprint is defined for <%s> (only a roster's "
			     "<person> and a <client-record>)",
			     node && node->name ? (const char *)node->name : "?");
		return -1;
	}
	if (!(c = fp_cache_of(ctx))) {
		qj_error(ctx, NULL, 0, "out of memory");
		return -1;
	}
	node = item_of(node);
	fp->kind = k->kind;
	fp->nfields = k->nfields;
	qj_buf_init(&canon, ctx);
	qj_buf_init(&one, ctx);
	qj_buf_printf(&canon, "qujat-fingerprint-1\n%s\n", k->kind);
	for (i = 0; i < k->nfields; i++) {
		fp->field[i] = k->name[i];
		if (k->xpath[i])
			fp->value[i] = eval(arena, c, k, i, node, k->xpath[i]);
		else {
			qj_buf_reset(&one);
			content(&one, node, 0);
			fp->value[i] = qj_arena_strdup(arena, qj_buf_str(&one));
		}
		if (!fp->value[i]) {
			rc = -1;
			break;
		}
		/* one field: its line, whose hash gives the field's code */
		qj_buf_reset(&one);
		qj_buf_printf(&one, "%s=%zu:%s\n", k->name[i], strlen(fp->value[i]), fp->value[i]);
		qj_buf_append(&canon, one.data, one.len);
		if (sha256(c, one.data, one.len, md) < 0) {
			rc = -1;
			break;
		}
		base32(md, 3, fp->fcode[i]);
	}
	if (rc == 0 && !qj_ctx_oom(ctx) && sha256(c, canon.data, canon.len, md) == 0) {
		base32(md, 10, fp->code);
		for (i = 0; i < 32; i++)
			snprintf(fp->digest + 2 * i, 3, "%02x", md[i]);
		fp->id = fp->value[0];
		if (k->url) {
			char *base = eval(arena, c, k, QJ_FP_MAX_FIELDS, node, k->url);
			if (base && *base)
				fp->url = with_id(arena, base, fp->id);
		}
	} else
		rc = -1;
	qj_buf_free(&canon);
	qj_buf_free(&one);
	return rc;
}

int qj_fp_items(qj_ctx *ctx, qj_arena *arena, xmlDocPtr doc, qj_fp **out)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c;
	int n = 0, cap = 0;
	qj_fp *v = NULL;
	*out = NULL;
	if (!root)
		return 0;
	if (kind_of(root)) {
		cap = 1;
		v = qj_arena_alloc(arena, sizeof *v);
		if (v && qj_fp_of(ctx, arena, root, v) == 0)
			n = 1;
		*out = v;
		return n;
	}
	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && kind_of(c))
			cap++;
	if (cap == 0 || !(v = qj_arena_alloc(arena, (size_t)cap * sizeof *v)))
		return 0;
	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && kind_of(c) && qj_fp_of(ctx, arena, c, &v[n]) == 0)
			n++;
	*out = v;
	return n;
}

char *qj_fp_payload(qj_arena *arena, const qj_fp *fp)
{
	qj_buf b;
	char *s;
	int i;
	qj_buf_init(&b, qj_arena_ctx(arena));
	qj_buf_printf(&b, "QJ1\n%s\n%s\n", fp->id, fp->code);
	for (i = 0; i < fp->nfields; i++)
		qj_buf_puts(&b, fp->fcode[i]);
	if (fp->url)
		qj_buf_printf(&b, "\n%s", fp->url);
	s = qj_arena_strdup(arena, qj_buf_str(&b));
	qj_buf_free(&b);
	return s;
}

int qj_fp_parse(qj_arena *arena, const char *text, qj_fp_read *out)
{
	const char *line[5];
	size_t len[5];
	int n = 0, i;
	const char *p = text;
	memset(out, 0, sizeof *out);
	while (n < 5) {
		const char *e = strchr(p, '\n');
		line[n] = p;
		len[n] = e ? (size_t)(e - p) : strlen(p);
		n++;
		if (!e)
			break;
		p = e + 1;
	}
	if (n < 4 || len[0] != 3 || memcmp(line[0], "QJ1", 3) || len[2] != 10 ||
	    len[3] % 3 || len[3] / 3 > QJ_FP_MAX_FIELDS)
		return -1;
	out->id = qj_arena_strndup(arena, line[1], len[1]);
	out->code = qj_arena_strndup(arena, line[2], len[2]);
	out->nfields = (int)(len[3] / 3);
	for (i = 0; i < out->nfields; i++) {
		memcpy(out->fcode[i], line[3] + 3 * i, 3);
		out->fcode[i][3] = 0;
	}
	if (n == 5)
		out->url = qj_arena_strdup(arena, line[4]);
	return out->id && out->code ? 0 : -1;
}
