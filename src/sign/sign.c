/* sign: loads a PKCS#12 key once, and signs finished PDFs with an
 * incremental update: an updated catalog (/AcroForm, /SigFlags 3), the
 * last page with the signature widget in /Annots, the widget's visible
 * appearance, the /Sig dictionary with its /ByteRange and /Contents
 * placeholders, a new xref section and trailer with /Prev. The CMS
 * (CMS_DETACHED | CMS_BINARY | CMS_CADES) is made over the bytes the
 * ByteRange names and written as hex into the placeholder. */
#include "sign-imp.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <string.h>
#include <time.h>


struct qj_signer {
	qj_ctx *ctx;
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;
	char *name;    /* subject CN, UTF-8 */
	char *issuer;  /* issuer CN (or the whole name), UTF-8 */
	char *serial;  /* hex */
	size_t cms_len; /* DER size of a trial signature */
	char *font;     /* the signature box's font program (sigfont.c) */
	size_t font_len;
	OSSL_PROVIDER *legacy; /* for PKCS#12 files with RC2 or 3DES; unloaded last */
};

#define SIG_W 250.0
#define SIG_H 34.0

/* A name's common name (else the whole name, RFC 2253), UTF-8, malloc'd. */
static char *name_text(const X509_NAME *nm)
{
	int i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
	unsigned char *u = NULL;
	char *out = NULL;
	if (i >= 0) {
		ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i));
		int n = ASN1_STRING_to_UTF8(&u, s);
		if (n >= 0) {
			out = OPENSSL_strndup((char *)u, (size_t)n);
			OPENSSL_free(u);
			return out;
		}
	}
	{
		BIO *b = BIO_new(BIO_s_mem());
		char *p;
		long n;
		if (!b)
			return NULL;
		X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
		n = BIO_get_mem_data(b, &p);
		out = OPENSSL_strndup(p, (size_t)n);
		BIO_free(b);
	}
	return out;
}

/* 1.2.643.* is the GOST family (Russian and Kazakh national algorithms). */
static int is_gost(const ASN1_OBJECT *o)
{
	char buf[80];
	return o && OBJ_obj2txt(buf, sizeof buf, o, 1) > 0 && !strncmp(buf, "1.2.643.", 8);
}

/* Whether any key or certificate of p12 uses a GOST algorithm. */
static int p12_has_gost(PKCS12 *p12, const char *pass)
{
	STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
	int i, j, gost = 0;
	for (i = 0; safes && i < sk_PKCS7_num(safes) && !gost; i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		int nid = OBJ_obj2nid(p7->type);
		STACK_OF(PKCS12_SAFEBAG) *bags = nid == NID_pkcs7_data ? PKCS12_unpack_p7data(p7)
					       : nid == NID_pkcs7_encrypted ? PKCS12_unpack_p7encdata(p7, pass, -1)
					       : NULL;
		for (j = 0; bags && j < sk_PKCS12_SAFEBAG_num(bags) && !gost; j++) {
			const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
			const ASN1_OBJECT *alg = NULL;
			PKCS8_PRIV_KEY_INFO *p8 = NULL;
			X509 *x = NULL;
			switch (PKCS12_SAFEBAG_get_nid(bag)) {
			case NID_pkcs8ShroudedKeyBag:
				p8 = PKCS12_decrypt_skey(bag, pass, -1);
				if (p8 && PKCS8_pkey_get0(&alg, NULL, NULL, NULL, p8))
					gost = is_gost(alg);
				PKCS8_PRIV_KEY_INFO_free(p8);
				break;
			case NID_keyBag:
				if (PKCS8_pkey_get0(&alg, NULL, NULL, NULL, PKCS12_SAFEBAG_get0_p8inf(bag)))
					gost = is_gost(alg);
				break;
			case NID_certBag:
				x = PKCS12_SAFEBAG_get1_cert(bag);
				if (x) {
					X509_PUBKEY_get0_param((ASN1_OBJECT **)&alg, NULL, NULL, NULL,
							       X509_get_X509_PUBKEY(x));
					gost = is_gost(alg);
				}
				X509_free(x);
				break;
			}
		}
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return gost;
}

/* The password: the file's first line without its line end. */
static char *read_pass(qj_ctx *ctx, const char *pass_file)
{
	char *d = qj_file_read(ctx, pass_file, NULL);
	if (d)
		d[strcspn(d, "\r\n")] = 0;
	return d;
}

static void wipe(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
}

static const char *gost_msg = "GOST keys are not supported by this build of OpenSSL; "
			      "sign the produced PDF in NCALayer or eGov mobile instead";

/* Decodes and opens the PKCS#12 into s; returns a QJ_SIGN_* status. */
static int open_p12(qj_ctx *ctx, qj_signer *s, const char *path, const char *d,
		    size_t len, const char *pass)
{
	const unsigned char *p = (const unsigned char *)d;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
	int rc = 0;
	if (!p12) {
		qj_error(ctx, path, 0, "not a PKCS#12 (.p12/.pfx) key file");
		return QJ_SIGN_NOT_P12;
	}
	if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, pass, -1)) {
		qj_error(ctx, path, 0, "wrong password (the password file's first line does not "
			 "open this key)");
		rc = QJ_SIGN_BAD_PASSWORD;
	} else if (p12_has_gost(p12, pass)) {
		qj_error(ctx, path, 0, "%s", gost_msg);
		rc = QJ_SIGN_GOST;
	} else if (!PKCS12_parse(p12, pass, &s->key, &s->cert, &s->chain)) {
		unsigned long e = ERR_peek_last_error();
		qj_error(ctx, path, 0, "cannot open the key: %s",
			 e ? ERR_reason_error_string(e) : "unknown error");
		rc = PKCS12_mac_present(p12) ? QJ_SIGN_BAD_KEY : QJ_SIGN_BAD_PASSWORD;
	} else if (!s->key || !s->cert) {
		qj_error(ctx, path, 0, "the file holds no %s", s->key ? "certificate" : "private key");
		rc = QJ_SIGN_BAD_KEY;
	} else if (X509_check_private_key(s->cert, s->key) != 1) {
		qj_error(ctx, path, 0, "the private key does not belong to the certificate");
		rc = QJ_SIGN_BAD_KEY;
	}
	PKCS12_free(p12);
	ERR_clear_error();
	return rc;
}

/* Signs data with the signer's key: a DER CMS, malloc'd by OpenSSL. */
static unsigned char *cms_der(qj_signer *s, const void *data, size_t n, int *len)
{
	BIO *in = BIO_new_mem_buf(data, (int)n);
	CMS_ContentInfo *cms = in ? CMS_sign(s->cert, s->key, s->chain, in,
					     CMS_DETACHED | CMS_BINARY | CMS_CADES) : NULL;
	unsigned char *der = NULL;
	*len = cms ? i2d_CMS_ContentInfo(cms, &der) : -1;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return *len > 0 ? der : NULL;
}

/* The font the signature box is drawn in, from the data directory. */
static int load_box_font(qj_ctx *ctx, qj_signer *s)
{
	char *path = qj_data_path(ctx, "fonts/DejaVuSans.ttf");
	if (!path)
		return -1;
	s->font = qj_file_load(ctx, path, QJ_FILE_FONT, &s->font_len);
	qj_free(ctx, path);
	return s->font ? 0 : -1;
}

qj_signer *qj_signer_load(qj_ctx *ctx, const char *p12_path, const char *pass_file,
			  int *status)
{
	qj_signer *s;
	char *pass, *d;
	size_t len = 0;
	unsigned char *der;
	int rc, n;

	*status = QJ_SIGN_NOFILE;
	d = qj_file_read(ctx, p12_path, &len);
	pass = read_pass(ctx, pass_file);
	if (!d || !pass) {
		qj_free(ctx, d);
		wipe(pass);
		qj_free(ctx, pass);
		return NULL;
	}
	s = qj_calloc(ctx, 1, sizeof *s);
	/* NCA and older tools write PKCS#12 with legacy ciphers (RC2, 3DES) */
	if (s) {
		s->ctx = ctx;
		s->legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	}
	rc = s ? open_p12(ctx, s, p12_path, d, len, pass) : QJ_SIGN_BAD_KEY;
	qj_free(ctx, d);
	wipe(pass);
	qj_free(ctx, pass);
	if (rc) {
		*status = rc;
		qj_signer_free(s);
		return NULL;
	}
	s->name = name_text(X509_get_subject_name(s->cert));
	s->issuer = name_text(X509_get_issuer_name(s->cert));
	{
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(s->cert), NULL);
		s->serial = bn ? BN_bn2hex(bn) : NULL;
		BN_free(bn);
	}
	/* a trial signature sizes the /Contents placeholder */
	der = cms_der(s, "", 0, &n);
	if (!s->name || !s->issuer || !s->serial || !der) {
		qj_error(ctx, p12_path, 0, "cannot sign with this key (OpenSSL: %s)",
			 ERR_reason_error_string(ERR_get_error()));
		OPENSSL_free(der);
		qj_signer_free(s);
		*status = QJ_SIGN_BAD_KEY;
		return NULL;
	}
	s->cms_len = (size_t)n;
	OPENSSL_free(der);
	if (load_box_font(ctx, s) < 0) {
		qj_signer_free(s);
		*status = QJ_SIGN_NOFILE;
		return NULL;
	}
	*status = 0;
	if (X509_cmp_current_time(X509_get0_notAfter(s->cert)) < 0 ||
	    X509_cmp_current_time(X509_get0_notBefore(s->cert)) > 0) {
		qj_warning(ctx, p12_path, 0, "the certificate of '%s' is %s; documents are signed, "
			   "but every verifier will report it", s->name,
			   X509_cmp_current_time(X509_get0_notAfter(s->cert)) < 0
				   ? "expired" : "not yet valid");
		*status = QJ_SIGN_EXPIRED;
	}
	return s;
}

void qj_signer_free(qj_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	OPENSSL_free(s->name);
	OPENSSL_free(s->issuer);
	OPENSSL_free(s->serial);
	qj_free(s->ctx, s->font);
	if (s->legacy)
		OSSL_PROVIDER_unload(s->legacy);
	qj_free(s->ctx, s);
}

const char *qj_signer_name(const qj_signer *s)
{
	return s ? s->name : NULL;
}

/* UTF-8 as a PDF text string: <FEFF…> UTF-16BE hex. */
static void put_text_string(qj_buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	qj_buf_puts(b, "<FEFF");
	while (i < n) {
		uint32_t cp;
		size_t k = qj_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			qj_buf_printf(b, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
		} else
			qj_buf_printf(b, "%04X", cp);
	}
	qj_buf_putc(b, '>');
}

/* One object written in the update: its number, generation, offset. */
typedef struct xent {
	int num, gen;
	size_t off;
} xent;

static int by_num(const void *a, const void *b)
{
	return ((const xent *)a)->num - ((const xent *)b)->num;
}

/* A dictionary written again with extra entries before its closing >>:
 * its own bytes up to there, copied, never reparsed. */
static void put_dict_plus(qj_buf *b, const char *d, const pv *dict, const char *extra)
{
	qj_buf_append(b, d + dict->start, dict->end - 2 - dict->start);
	qj_buf_printf(b, " %s >>", extra);
}

/* The page with the widget added to its /Annots (inline array or none). */
static int put_page(qj_buf *b, const char *d, const pv *page, int widget)
{
	int i;
	char ref[32];
	snprintf(ref, sizeof ref, "%d 0 R", widget);
	for (i = 0; i < page->n; i++)
		if (!strcmp(page->key[i], "Annots"))
			break;
	if (i == page->n) {
		char extra[48];
		snprintf(extra, sizeof extra, "/Annots [%s]", ref);
		put_dict_plus(b, d, page, extra);
		return 0;
	}
	if (page->item[i]->kind != PV_ARRAY)
		return -1;
	/* up to the array's closing bracket, the new reference, the rest */
	qj_buf_append(b, d + page->start, page->item[i]->end - 1 - page->start);
	qj_buf_printf(b, " %s", ref);
	qj_buf_append(b, d + page->item[i]->end - 1, page->end - (page->item[i]->end - 1));
	return 0;
}

/* The box's four lines: signer, time, serial, issuer. */
static void box_lines(const qj_signer *s, const char *when, char line[4][320])
{
	snprintf(line[0], sizeof line[0], "Digitally signed by %s", s->name);
	snprintf(line[1], sizeof line[1], "Date: %s", when);
	snprintf(line[2], sizeof line[2], "Certificate serial: %s", s->serial);
	snprintf(line[3], sizeof line[3], "Issuer: %s", s->issuer);
}

/* The visible box: a frame and the four lines in the embedded font. */
static void put_appearance(qj_ctx *ctx, qj_buf *b, char line[4][320], sig_font *sf, int font)
{
	qj_buf c;
	int i;
	qj_buf_init(&c, ctx);
	qj_buf_printf(&c, "q 0.96 0.97 1 rg 0.12 0.3 0.6 RG 0.6 w 0.3 0.3 %.1f %.1f re B Q\n",
		      SIG_W - 0.6, SIG_H - 0.6);
	qj_buf_puts(&c, "BT 0.1 0.1 0.1 rg /F1 6.5 Tf 7.5 TL 4 26 Td\n");
	for (i = 0; i < 4; i++) {
		sig_font_show(sf, &c, line[i], 70);
		qj_buf_puts(&c, i < 3 ? " Tj T*\n" : " Tj ET\n");
	}
	qj_buf_printf(b, "<< /Type /XObject /Subtype /Form /BBox [0 0 %.0f %.0f] /Resources << "
		      "/Font << /F1 %d 0 R >> >> /Length %zu >>\nstream\n", SIG_W, SIG_H, font, c.len);
	qj_buf_append(b, c.data, c.len);
	qj_buf_puts(b, "\nendstream");
	qj_buf_free(&c);
}

/* The appearance object ap and its font's objects after it (the font
 * embedded: PDF/A wants every font embedded). */
static int put_box(pdfdoc *p, qj_signer *s, const char *when, qj_buf *b, xent *x, int *nx,
		   int ap)
{
	char line[4][320], all[4 * 320 + 4];
	size_t foffs[SIG_FONT_OBJECTS];
	sig_font *sf;
	int k;
	box_lines(s, when, line);
	snprintf(all, sizeof all, "%s\n%s\n%s\n%s", line[0], line[1], line[2], line[3]);
	if (!(sf = sig_font_new(p->ctx, s->font, s->font_len, all))) {
		qj_error(p->ctx, p->path, 0, "cannot sign: HarfBuzz cannot subset the signature "
			 "box's font");
		return -1;
	}
	x[(*nx)++] = (xent){ap, 0, b->len};
	qj_buf_printf(b, "%d 0 obj\n", ap);
	put_appearance(p->ctx, b, line, sf, ap + 1);
	qj_buf_puts(b, "\nendobj\n");
	k = sig_font_put(sf, b, ap + 1, foffs);
	sig_font_free(sf);
	if (k < 0)
		return -1;
	for (k = 0; k < SIG_FONT_OBJECTS; k++)
		x[(*nx)++] = (xent){ap + 1 + k, 0, foffs[k]};
	return 0;
}

/* Where the update starts: the catalog and last page, as parsed. */
typedef struct target {
	pv *root, *page;
	int root_num, page_num;
	double rect[4];
} target;

static int find_target(pdfdoc *p, target *t)
{
	pv *ref = NULL, *mb;
	int i, n, *pages;
	for (i = 0; i < p->trailer->n; i++)
		if (!strcmp(p->trailer->key[i], "Root"))
			ref = p->trailer->item[i];
	if (!ref || ref->kind != PV_REF || !(t->root = pr_object(p, ref->ref, NULL)) ||
	    t->root->kind != PV_DICT) {
		qj_error(p->ctx, p->path, 0, "cannot sign: the catalog cannot be read");
		return -1;
	}
	t->root_num = ref->ref;
	if (pr_get(p, t->root, "AcroForm")) {
		qj_error(p->ctx, p->path, 0, "cannot sign: the PDF already has a form or a "
			 "signature (qujat signs the PDFs it has just written)");
		return -1;
	}
	pages = pr_pages(p, &n);
	if (!pages || !(t->page = pr_object(p, pages[n - 1], NULL)) || t->page->kind != PV_DICT) {
		qj_error(p->ctx, p->path, 0, "cannot sign: the page tree cannot be read");
		return -1;
	}
	t->page_num = pages[n - 1];
	/* bottom right, inside the lower margin */
	mb = pr_get(p, t->page, "MediaBox");
	t->rect[2] = mb && mb->kind == PV_ARRAY && mb->n == 4 && mb->item[2]->kind == PV_NUM
			     ? mb->item[2]->num : 595.0;
	t->rect[2] -= 40;
	t->rect[0] = t->rect[2] - SIG_W;
	t->rect[1] = 3;
	t->rect[3] = 3 + SIG_H;
	return 0;
}

/* The update's new objects after d, up to the xref; fills x and the
 * offsets of the placeholders. */
static int put_objects(pdfdoc *p, qj_signer *s, const target *t, qj_buf *b, xent *x,
		       int *nx, size_t *br_at, size_t *c_start, size_t *c_end)
{
	int sig = (int)p->size, widget = sig + 1, ap = sig + 2;
	size_t hexlen = 2 * (s->cms_len + 256), i;
	time_t now = time(NULL);
	struct tm tm;
	char when[40], pdfdate[40], extra[96];

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
	strftime(pdfdate, sizeof pdfdate, "D:%Y%m%d%H%M%S+00'00'", &tm);
	/* the catalog, with the form */
	x[(*nx)++] = (xent){t->root_num, p->gen[t->root_num], b->len};
	qj_buf_printf(b, "%d %d obj\n", t->root_num, p->gen[t->root_num]);
	snprintf(extra, sizeof extra, "/AcroForm << /Fields [%d 0 R] /SigFlags 3 >>", widget);
	put_dict_plus(b, p->d, t->root, extra);
	qj_buf_puts(b, "\nendobj\n");
	/* the last page, with the widget */
	x[(*nx)++] = (xent){t->page_num, p->gen[t->page_num], b->len};
	qj_buf_printf(b, "%d %d obj\n", t->page_num, p->gen[t->page_num]);
	if (put_page(b, p->d, t->page, widget) < 0) {
		qj_error(p->ctx, p->path, 0, "cannot sign: the last page's /Annots is not an array");
		return -1;
	}
	qj_buf_puts(b, "\nendobj\n");
	/* the signature field and its widget, one dictionary */
	x[(*nx)++] = (xent){widget, 0, b->len};
	qj_buf_printf(b, "%d 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) "
		      "/V %d 0 R /F 132 /P %d %d R /Rect [%.2f %.2f %.2f %.2f] /AP << /N %d 0 R >> >>"
		      "\nendobj\n", widget, sig, t->page_num, p->gen[t->page_num], t->rect[0],
		      t->rect[1], t->rect[2], t->rect[3], ap);
	if (put_box(p, s, when, b, x, nx, ap) < 0)
		return -1;
	/* the signature dictionary with its placeholders */
	x[(*nx)++] = (xent){sig, 0, b->len};
	qj_buf_printf(b, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter "
		      "/ETSI.CAdES.detached /ByteRange [0 ", sig);
	*br_at = b->len;
	qj_buf_puts(b, "0000000000 0000000000 0000000000] /Contents ");
	*c_start = b->len;
	qj_buf_putc(b, '<');
	for (i = 0; i < hexlen; i++)
		qj_buf_putc(b, '0');
	qj_buf_putc(b, '>');
	*c_end = b->len;
	qj_buf_printf(b, " /M (%s) /Name ", pdfdate);
	put_text_string(b, s->name);
	qj_buf_puts(b, " >>\nendobj\n");
	return qj_ctx_oom(p->ctx) ? -1 : 0;
}

/* The xref section of the update and the trailer pointing back. */
static void put_xref(pdfdoc *p, qj_buf *b, xent *x, int nx)
{
	size_t at = b->len;
	int i, j, k;
	qsort(x, (size_t)nx, sizeof *x, by_num);
	qj_buf_puts(b, "xref\n");
	for (i = 0; i < nx; i = j + 1) {
		for (j = i; j + 1 < nx && x[j + 1].num == x[j].num + 1; j++)
			;
		qj_buf_printf(b, "%d %d\n", x[i].num, j - i + 1);
		for (k = i; k <= j; k++)
			qj_buf_printf(b, "%010zu %05d n\r\n", x[k].off, x[k].gen);
	}
	qj_buf_printf(b, "trailer\n<< /Size %ld", p->size + 3 + SIG_FONT_OBJECTS);
	/* Root, Info and ID as the original trailer wrote them */
	for (i = 0; i < p->trailer->n; i++) {
		const char *key = p->trailer->key[i];
		const pv *v = p->trailer->item[i];
		if (!strcmp(key, "Root") || !strcmp(key, "Info") || !strcmp(key, "ID")) {
			qj_buf_printf(b, " /%s ", key);
			qj_buf_append(b, p->d + v->start, v->end - v->start);
		}
	}
	qj_buf_printf(b, " /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", p->xref, at);
}

char *qj_sign_pdf(qj_ctx *ctx, qj_signer *s, const char *path, const char *d,
		  size_t len, size_t *out_len)
{
	qj_arena *a = qj_arena_new(ctx);
	pdfdoc p;
	target t;
	qj_buf b;
	xent x[16];
	int nx = 0, dlen = 0;
	size_t br_at = 0, c_start = 0, c_end = 0, i;
	unsigned char *der = NULL;
	char *signed_bytes = NULL, br[40];

	qj_buf_init(&b, ctx);
	if (!a || pr_open(&p, ctx, a, path, d, len) < 0 || find_target(&p, &t) < 0)
		goto fail;
	qj_buf_append(&b, d, len);
	if (d[len - 1] != '\n' && d[len - 1] != '\r')
		qj_buf_putc(&b, '\n');
	if (put_objects(&p, s, &t, &b, x, &nx, &br_at, &c_start, &c_end) < 0)
		goto fail;
	put_xref(&p, &b, x, nx);
	if (qj_ctx_oom(ctx))
		goto fail;
	/* the range: everything but the /Contents hex, brackets included */
	snprintf(br, sizeof br, "%-10zu %-10zu %-10zu", c_start, c_end, b.len - c_end);
	memcpy(b.data + br_at, br, 32);
	signed_bytes = qj_malloc(ctx, c_start + (b.len - c_end) + 1);
	if (!signed_bytes)
		goto fail;
	memcpy(signed_bytes, b.data, c_start);
	memcpy(signed_bytes + c_start, b.data + c_end, b.len - c_end);
	der = cms_der(s, signed_bytes, c_start + (b.len - c_end), &dlen);
	if (!der || (size_t)dlen * 2 > c_end - c_start - 2) {
		qj_error(ctx, path, 0, "cannot sign: OpenSSL: %s",
			 der ? "the signature outgrew its placeholder"
			     : ERR_reason_error_string(ERR_get_error()));
		goto fail;
	}
	for (i = 0; i < (size_t)dlen; i++) {
		static const char hex[] = "0123456789ABCDEF";
		b.data[c_start + 1 + 2 * i] = hex[der[i] >> 4];
		b.data[c_start + 2 + 2 * i] = hex[der[i] & 15];
	}
	OPENSSL_free(der);
	qj_free(ctx, signed_bytes);
	qj_arena_free(a);
	*out_len = b.len;
	return b.data;
fail:
	OPENSSL_free(der);
	qj_free(ctx, signed_bytes);
	qj_arena_free(a);
	qj_buf_free(&b);
	ERR_clear_error();
	return NULL;
}

int qj_sign_file(qj_ctx *ctx, qj_signer *s, const char *in, const char *out)
{
	size_t len = 0, slen = 0;
	char *d = qj_file_read(ctx, in, &len), *sd;
	qj_out o;
	int rc = -1;
	if (!d)
		return -1;
	sd = qj_sign_pdf(ctx, s, out, d, len, &slen);
	if (sd && qj_out_open(ctx, &o, out) == 0) {
		if (fwrite(sd, 1, slen, o.fp) == slen)
			rc = qj_out_commit(ctx, &o);
		else {
			qj_error(ctx, out, 0, "cannot write the signed PDF");
			qj_out_abort(ctx, &o);
		}
	}
	qj_free(ctx, sd);
	qj_free(ctx, d);
	return rc;
}
