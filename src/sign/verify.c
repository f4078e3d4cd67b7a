/* verify: what a signed qujat PDF claims, checked. Finds every signature
 * dictionary, checks that its /ByteRange starts at 0, leaves out exactly
 * the /Contents hex and ends at the end of the file, verifies the CMS over
 * those bytes with OpenSSL (the embedded certificate; no trust store), and
 * reads the verification codes back from the pages' QR rectangles to
 * compare them with the data. Writes sentences; returns an outcome. */
#include "sign-imp.h"

#include <math.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "code/code.h"

typedef struct sigfound {
	pv *dict;
	size_t at;
	double br[4];
} sigfound;

/* The offset of the "N G obj" that the byte at pos is inside, searching
 * back at most 64 KiB; 0 when none. */
static size_t object_start(const char *d, size_t pos)
{
	size_t lim = pos > 65536 ? pos - 65536 : 0, i;
	for (i = pos; i >= lim + 3 && i > 3; i--) {
		if (memcmp(d + i - 3, "obj", 3))
			continue;
		{
			size_t s = i - 3;
			int fields = 0;
			/* back over " G", " N" */
			while (s > 0 && d[s - 1] == ' ') s--;
			while (s > 0 && d[s - 1] >= '0' && d[s - 1] <= '9') s--;
			fields++;
			while (s > 0 && d[s - 1] == ' ') s--;
			while (s > 0 && d[s - 1] >= '0' && d[s - 1] <= '9') s--;
			fields++;
			if (fields == 2 && d[s] >= '0' && d[s] <= '9')
				return s;
		}
	}
	return 0;
}

static const char *find(const char *h, size_t n, const char *needle, size_t k)
{
	const char *e = h + n, *q;
	while (n >= k && (q = memchr(h, needle[0], n - k + 1))) {
		if (!memcmp(q, needle, k))
			return q;
		h = q + 1;
		n = (size_t)(e - h);
	}
	return NULL;
}

/* Every dictionary with a /ByteRange and a /Contents string. */
static int find_sigs(pdfdoc *p, sigfound *out, int max)
{
	size_t pos = 0;
	int n = 0;
	const char *hit;
	while (n < max && pos < p->len &&
	       (hit = find(p->d + pos, p->len - pos, "/ByteRange", 10))) {
		size_t at = object_start(p->d, (size_t)(hit - p->d));
		pv *v = at ? pr_object_at(p, at, NULL) : NULL, *br, *c;
		int k, dup = 0;
		pos = (size_t)(hit - p->d) + 10;
		if (!v || v->kind != PV_DICT)
			continue;
		br = pr_get(p, v, "ByteRange");
		c = pr_get(p, v, "Contents");
		if (!br || br->kind != PV_ARRAY || br->n != 4 || !c || c->kind != PV_STR)
			continue;
		for (k = 0; k < n; k++)
			dup |= out[k].at == at;
		if (dup)
			continue;
		for (k = 0; k < 4; k++)
			out[n].br[k] = br->item[k]->kind == PV_NUM ? br->item[k]->num : -1;
		out[n].dict = v;
		out[n].at = at;
		n++;
	}
	return n;
}

static void print_time(FILE *fp, const ASN1_TIME *t)
{
	struct tm tm;
	if (t && ASN1_TIME_to_tm(t, &tm))
		fprintf(fp, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1,
			tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		fprintf(fp, "an unknown time");
}

static char *cn_of(const X509_NAME *nm)
{
	int i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
	unsigned char *u = NULL;
	if (i >= 0 && ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i))) >= 0)
		return (char *)u;
	return OPENSSL_strdup("(no common name)");
}

/* The signing time: the signingTime attribute, else NULL. */
static const ASN1_TIME *signing_time(CMS_ContentInfo *cms)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si = sk_CMS_SignerInfo_num(sis) > 0 ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
	int i = si ? CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) : -1;
	X509_ATTRIBUTE *at = i >= 0 ? CMS_signed_get_attr(si, i) : NULL;
	ASN1_TYPE *ty = at ? X509_ATTRIBUTE_get0_type(at, 0) : NULL;
	if (ty && (ty->type == V_ASN1_UTCTIME || ty->type == V_ASN1_GENERALIZEDTIME))
		return (const ASN1_TIME *)ty->value.asn1_string;
	return NULL;
}

/* The certificate of the first signer among certs (lent from certs). */
static X509 *signer_cert(CMS_ContentInfo *cms, STACK_OF(X509) *certs)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si = sk_CMS_SignerInfo_num(sis) > 0 ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
	int i;
	for (i = 0; si && i < sk_X509_num(certs); i++)
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
			return sk_X509_value(certs, i);
	return NULL;
}

/* One signature: coverage, CMS, signer. Returns an outcome. */
static int check_sig(pdfdoc *p, const sigfound *sf, FILE *out)
{
	const char *path = p->path;
	pv *c = pr_get(p, sf->dict, "Contents");
	const double *br = sf->br;
	size_t a0, a1, b0, b1;
	CMS_ContentInfo *cms = NULL;
	const unsigned char *q;
	char *data = NULL;
	BIO *bio = NULL;
	int rc = QJ_VERIFY_INVALID, ok;

	/* the range: 0..a1 and b0..b1, the gap exactly the /Contents hex */
	if (br[0] != 0 || br[1] < 0 || br[2] < br[1] || br[3] < 0 || br[2] + br[3] > (double)p->len ||
	    br[1] != floor(br[1]) || br[2] != floor(br[2]) || br[3] != floor(br[3])) {
		fprintf(out, "%s: the signature's byte range is not a range of this file: "
			"the signature is NOT valid\n", path);
		return QJ_VERIFY_INVALID;
	}
	a0 = 0; a1 = (size_t)br[1]; b0 = (size_t)br[2]; b1 = b0 + (size_t)br[3];
	if (c->start != a1 || c->end != b0) {
		fprintf(out, "%s: the signature's byte range leaves out more than the signature "
			"itself: the signature is NOT valid\n", path);
		return QJ_VERIFY_INVALID;
	}
	q = (const unsigned char *)c->s;
	cms = d2i_CMS_ContentInfo(NULL, &q, (long)c->len);
	data = qj_malloc(p->ctx, a1 - a0 + b1 - b0 + 1);
	if (!cms || !data) {
		fprintf(out, "%s: the signature is not a CMS structure: the signature is NOT valid\n", path);
		goto done;
	}
	memcpy(data, p->d, a1);
	memcpy(data + a1, p->d + b0, b1 - b0);
	bio = BIO_new_mem_buf(data, (int)(a1 + b1 - b0));
	/* the signature and the digest of the bytes; no trust store */
	ok = bio && CMS_verify(cms, NULL, NULL, bio, NULL,
			       CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_DETACHED) == 1;
	{
		STACK_OF(X509) *certs = CMS_get1_certs(cms);
		X509 *x = signer_cert(cms, certs);
		const ASN1_TIME *t = signing_time(cms);
		if (x) {
			char *who = cn_of(X509_get_subject_name(x)), *iss = cn_of(X509_get_issuer_name(x));
			BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
			char *hex = bn ? BN_bn2hex(bn) : NULL;
			fprintf(out, "%s: signed by %s (certificate not checked against a trust store)\n",
				path, who);
			fprintf(out, "%s: certificate serial %s, issued by %s, valid from ", path,
				hex ? hex : "?", iss);
			print_time(out, X509_get0_notBefore(x));
			fprintf(out, " to ");
			print_time(out, X509_get0_notAfter(x));
			fprintf(out, "\n%s: signed at ", path);
			print_time(out, t);
			fprintf(out, "\n");
			if (ok && t && (ASN1_TIME_compare(t, X509_get0_notAfter(x)) > 0 ||
					ASN1_TIME_compare(t, X509_get0_notBefore(x)) < 0)) {
				fprintf(out, "%s: the certificate was %s when the file was signed\n", path,
					ASN1_TIME_compare(t, X509_get0_notAfter(x)) > 0 ? "expired"
										 : "not yet valid");
				rc = QJ_SIGN_EXPIRED;
			}
			OPENSSL_free(who);
			OPENSSL_free(iss);
			OPENSSL_free(hex);
			BN_free(bn);
		}
		sk_X509_pop_free(certs, X509_free);
	}
	if (!ok) {
		fprintf(out, "%s: the signature is NOT valid: the signed bytes were changed after "
			"signing, or the signature is broken\n", path);
		rc = QJ_VERIFY_INVALID;
		goto done;
	}
	fprintf(out, "%s: the signature is valid: the signed bytes are exactly as signed\n", path);
	if (b1 < p->len) {
		fprintf(out, "%s: %zu bytes were appended after signing: the file was modified "
			"after it was signed (the signature covers bytes 0-%zu of %zu)\n",
			path, p->len - b1, b1, p->len);
		rc = QJ_VERIFY_MODIFIED;
	} else {
		fprintf(out, "%s: the signature covers the whole file but the signature itself\n", path);
		if (rc != QJ_SIGN_EXPIRED)
			rc = 0;
	}
done:
	BIO_free(bio);
	CMS_ContentInfo_free(cms);
	qj_free(p->ctx, data);
	ERR_clear_error();
	return rc;
}

/* Filled black rectangles of a content stream, as [x y w h] quadruples. */
typedef struct rects {
	double *v;
	int n, cap;
} rects;

static void add_rect(qj_ctx *ctx, rects *r, const double *q)
{
	if (r->n == r->cap) {
		int nc = r->cap ? r->cap * 2 : 256;
		double *nv = nc > 1000000 ? NULL : qj_realloc(ctx, r->v, (size_t)nc * 4 * sizeof *nv);
		if (!nv)
			return;
		r->v = nv;
		r->cap = nc;
	}
	memcpy(r->v + 4 * r->n++, q, 4 * sizeof *q);
}

/* A small lexer over the operators: numbers kept on a stack, strings,
 * names, arrays and dictionaries skipped; rg/g/k set the fill colour,
 * q/Q/cm the scale and offset of the frame (qujat draws a QR code's
 * modules as one path in a frame scaled to a module: src/pdf/pdf.c), re
 * adds a path rectangle, f fills the pending ones. */
static void scan_content(qj_ctx *ctx, const unsigned char *s, size_t n, rects *out)
{
	double st[8], m[16][4] = {{1, 1, 0, 0}}; /* x scale, y scale, x and y offsets */
	rects pend = {NULL, 0, 0};
	int ns = 0, depth = 0, black = 1;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == '(') {
			int d = 1;
			for (i++; i < n && d > 0; i++) {
				if (s[i] == '\\') i++;
				else if (s[i] == '(') d++;
				else if (s[i] == ')') d--;
			}
			ns = 0;
		} else if (c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}') {
			i++;
			if (c == '<' && i < n && s[i] != '<')
				while (i < n && s[i] != '>') i++;
		} else if (c == '%') {
			while (i < n && s[i] != '\n' && s[i] != '\r') i++;
		} else if (c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			   c == '*' || c == '\'' || c == '"') {
			size_t j = i + 1;
			char op[8];
			while (j < n && !strchr(" \t\r\n\f()<>[]{}/%", s[j]) && j - i < 7) j++;
			memcpy(op, s + i, j - i);
			op[j - i] = 0;
			if (c != '/') {
				double *f = m[depth];
				if (!strcmp(op, "rg") && ns >= 3)
					black = st[ns - 1] == 0 && st[ns - 2] == 0 && st[ns - 3] == 0;
				else if (!strcmp(op, "g") && ns >= 1)
					black = st[ns - 1] == 0;
				else if (!strcmp(op, "k") && ns >= 4)
					black = st[ns - 1] == 1;
				else if (!strcmp(op, "q") && depth < 15) {
					memcpy(m[depth + 1], m[depth], sizeof m[0]);
					depth++;
				} else if (!strcmp(op, "Q") && depth > 0)
					depth--;
				else if (!strcmp(op, "cm") && ns >= 6 && st[ns - 5] == 0 && st[ns - 4] == 0) {
					/* [a 0 0 d e f], after the frame there is */
					f[2] += f[0] * st[ns - 2];
					f[3] += f[1] * st[ns - 1];
					f[0] *= st[ns - 6];
					f[1] *= st[ns - 3];
				} else if (!strcmp(op, "re") && ns >= 4) {
					double q[4];
					q[0] = f[0] * st[ns - 4] + f[2];
					q[1] = f[1] * st[ns - 3] + f[3];
					q[2] = f[0] * st[ns - 2];
					q[3] = f[1] * st[ns - 1];
					add_rect(ctx, &pend, q);
				} else if (!strcmp(op, "f") || !strcmp(op, "F") || !strcmp(op, "f*")) {
					int k;
					for (k = 0; k < pend.n && black; k++)
						add_rect(ctx, out, pend.v + 4 * k);
					pend.n = 0;
				} else if (!strcmp(op, "n") || !strcmp(op, "S") || !strcmp(op, "B") ||
					   !strcmp(op, "b") || !strcmp(op, "s"))
					pend.n = 0;
				ns = 0;
			}
			i = j;
		} else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
			char *e;
			double v = strtod((const char *)s + i, &e);
			if (e == (const char *)s + i) { i++; continue; }
			if (ns == 8) { memmove(st, st + 1, 7 * sizeof *st); ns = 7; }
			st[ns++] = v;
			i = (size_t)(e - (const char *)s);
		} else
			i++;
	}
	qj_free(ctx, pend.v);
}

/* The QR symbol drawn by the rectangles that share the most common height:
 * a square of modules of that size. Returns its payload, or NULL. */
static char *qr_from_rects(qj_ctx *ctx, qj_arena *a, const rects *r)
{
	double m = 0, x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
	int i, best = 0, size;
	unsigned char *dark;
	char *text;
	for (i = 0; i < r->n; i++) {
		int k, cnt = 0;
		for (k = 0; k < r->n; k++)
			cnt += fabs(r->v[4 * k + 3] - r->v[4 * i + 3]) < 0.01;
		if (cnt > best) { best = cnt; m = r->v[4 * i + 3]; }
		if (r->n > 4000 && i > 50) break; /* a sample is enough to pick the height */
	}
	if (best < 30 || m <= 0)
		return NULL;
	for (i = 0; i < r->n; i++) {
		const double *q = r->v + 4 * i;
		if (fabs(q[3] - m) >= 0.01) continue;
		if (q[0] < x0) x0 = q[0];
		if (q[1] < y0) y0 = q[1];
		if (q[0] + q[2] > x1) x1 = q[0] + q[2];
		if (q[1] + q[3] > y1) y1 = q[1] + q[3];
	}
	size = (int)lround((x1 - x0) / m);
	if (size != (int)lround((y1 - y0) / m) || size < 21 || size > 97)
		return NULL;
	dark = qj_calloc(ctx, (size_t)size * (size_t)size, 1);
	if (!dark)
		return NULL;
	for (i = 0; i < r->n; i++) {
		const double *q = r->v + 4 * i;
		long row, col, w, k;
		if (fabs(q[3] - m) >= 0.01) continue;
		row = lround((y1 - q[1] - q[3]) / m);
		col = lround((q[0] - x0) / m);
		w = lround(q[2] / m);
		for (k = 0; k < w; k++)
			if (row >= 0 && row < size && col + k >= 0 && col + k < size)
				dark[row * size + col + k] = 1;
	}
	text = qj_qr_decode(ctx, a, dark, size);
	qj_free(ctx, dark);
	return text;
}

/* The payload of the QR code on a page, or NULL. */
static char *page_code(pdfdoc *p, int page)
{
	pv *pg = pr_object(p, page, NULL), *c = pg ? pr_get(p, pg, "Contents") : NULL;
	rects r = {NULL, 0, 0};
	char *text;
	int i;
	/* /Contents: one stream or an array of them */
	for (i = 0; pg && i < (c && c->kind == PV_ARRAY ? c->n : 1); i++) {
		pv *ref = NULL;
		size_t n = 0;
		unsigned char *s;
		int k;
		if (c && c->kind == PV_ARRAY)
			ref = c->item[i];
		else
			for (k = 0; k < pg->n; k++)
				if (!strcmp(pg->key[k], "Contents"))
					ref = pg->item[k];
		if (!ref || ref->kind != PV_REF || !(s = pr_stream(p, ref->ref, &n)))
			continue;
		scan_content(p->ctx, s, n, &r);
		qj_free(p->ctx, s);
	}
	text = qr_from_rects(p->ctx, p->arena, &r);
	qj_free(p->ctx, r.v);
	return text;
}

/* Which fields of want the code read differs in, with the data's values. */
static void name_fields(FILE *out, const qj_fp *want, const qj_fp_read *got)
{
	int i, any = 0;
	for (i = 0; i < want->nfields; i++)
		if (i >= got->nfields || strcmp(want->fcode[i], got->fcode[i])) {
			/* a whole record is too long to quote */
			if (strlen(want->value[i]) > 200)
				fprintf(out, "%s%s differs", any ? "; " : ": ", want->field[i]);
			else
				fprintf(out, "%s%s differs (the data has \"%s\")", any ? "; " : ": ",
					want->field[i], want->value[i]);
			any = 1;
		}
	fprintf(out, "%s\n", any ? "" : ": the fields agree but the whole does not");
}

/* Every page's code against its own item of the data. */
static int check_codes(pdfdoc *p, xmlDocPtr data, FILE *out)
{
	qj_fp *items;
	int nitems = qj_fp_items(p->ctx, p->arena, data, &items), npages, i, ncodes = 0, bad = 0;
	int *pages = pr_pages(p, &npages);
	const char *dfile = data->URL ? (const char *)data->URL : "the data";
	if (nitems == 0) {
		fprintf(out, "%s: %s is not a roster or a client record: there is nothing to compare\n",
			p->path, dfile);
		return QJ_VERIFY_MISMATCH;
	}
	for (i = 0; pages && i < npages; i++) {
		char *text = page_code(p, pages[i]);
		qj_fp_read got;
		const qj_fp *want = NULL;
		int k;
		if (!text || qj_fp_parse(p->arena, text, &got) < 0)
			continue;
		for (k = 0; k < nitems && !want; k++)
			if (!strcmp(items[k].id, got.id))
				want = &items[k];
		ncodes++;
		if (want && !strcmp(want->code, got.code)) {
			fprintf(out, "%s: page %d (%s): the code %s matches the data\n", p->path, i + 1,
				got.id, got.code);
			continue;
		}
		bad = 1;
		if (!want) {
			/* no such id: compare with the item printed in that place */
			want = ncodes <= nitems ? &items[ncodes - 1] : NULL;
			fprintf(out, "%s: page %d (%s): no %s %s in %s", p->path, i + 1, got.id,
				items[0].field[0], got.id, dfile);
			if (want) {
				fprintf(out, "; compared with the %s in that place (%s)", items[0].kind, want->id);
				name_fields(out, want, &got);
			} else
				fprintf(out, "\n");
			continue;
		}
		fprintf(out, "%s: page %d (%s): the code %s does NOT match the data (%s)", p->path,
			i + 1, got.id, got.code, want->code);
		name_fields(out, want, &got);
	}
	if (ncodes == 0) {
		fprintf(out, "%s: no verification code was found on any page\n", p->path);
		return QJ_VERIFY_MISMATCH;
	}
	if (!bad)
		fprintf(out, "%s: every code (%d) matches %s\n", p->path, ncodes, dfile);
	return bad ? QJ_VERIFY_MISMATCH : 0;
}

static int worse(int a, int b)
{
	static const int order[] = {QJ_VERIFY_UNREADABLE, QJ_VERIFY_INVALID, QJ_VERIFY_MODIFIED,
				    QJ_VERIFY_MISMATCH, QJ_VERIFY_UNSIGNED, QJ_SIGN_EXPIRED};
	size_t i;
	for (i = 0; i < sizeof order / sizeof *order; i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return 0;
}

int qj_verify_pdf(qj_ctx *ctx, const char *path, xmlDocPtr data, FILE *out)
{
	size_t len = 0;
	char *d = qj_file_read(ctx, path, &len);
	qj_arena *a = qj_arena_new(ctx);
	sigfound sigs[8];
	pdfdoc p;
	int rc = 0, n, i;

	if (!d || !a || pr_open(&p, ctx, a, path, d, len) < 0) {
		qj_free(ctx, d);
		qj_arena_free(a);
		return QJ_VERIFY_UNREADABLE;
	}
	n = find_sigs(&p, sigs, 8);
	if (n == 0) {
		fprintf(out, "%s: not signed\n", path);
		rc = QJ_VERIFY_UNSIGNED;
	}
	for (i = 0; i < n; i++) {
		if (n > 1)
			fprintf(out, "%s: signature %d of %d\n", path, i + 1, n);
		rc = worse(rc, check_sig(&p, &sigs[i], out));
	}
	if (data)
		rc = worse(rc, check_codes(&p, data, out));
	qj_arena_free(a);
	qj_free(ctx, d);
	return rc;
}
