/* test_sign: signing and verification end to end. Throwaway keys are made
 * at test time in a private directory (the openssl command, and OpenSSL's
 * API for what the command cannot make: an expired certificate and a GOST
 * key bag); signed PDFs are checked with qujat verify, poppler's pdfsig
 * (its text: its exit code is 0 even on a digest mismatch) and qpdf; the
 * QR codes are rendered with pdftoppm and decoded with zbarimg. */
#include "qjtest.h"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "doc/doc.h"
#include "code/code.h"
#include "sign/sign.h"

static char dir[64];

/* An RSA certificate valid from 10 days ago to yesterday, as PEM. */
static void make_expired(const char *key_pem, const char *out)
{
	FILE *fp = fopen(key_pem, "r");
	EVP_PKEY *k = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;
	X509 *x = X509_new();
	X509_NAME *nm;
	assert_non_null(k);
	fclose(fp);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
	X509_gmtime_adj(X509_getm_notBefore(x), -10L * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), -86400);
	X509_set_pubkey(x, k);
	nm = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8, (const unsigned char *)"Expired Signer", -1, -1, 0);
	X509_set_issuer_name(x, nm);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	fp = fopen(out, "w");
	PEM_write_X509(fp, x);
	fclose(fp);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* A PKCS#12 whose only bag is a shrouded key of GOST R 34.10-2012. */
static void make_gost(const char *out, const char *pass)
{
	PKCS8_PRIV_KEY_INFO *p8 = PKCS8_PRIV_KEY_INFO_new();
	unsigned char *key = OPENSSL_malloc(34);
	STACK_OF(PKCS12_SAFEBAG) *bags = sk_PKCS12_SAFEBAG_new_null();
	STACK_OF(PKCS7) *safes = sk_PKCS7_new_null();
	PKCS12_SAFEBAG *bag;
	PKCS12 *p12;
	FILE *fp;
	memset(key, 0x11, 34);
	key[0] = 0x04; key[1] = 32; /* an OCTET STRING of 32 bytes */
	assert_true(PKCS8_pkey_set0(p8, OBJ_txt2obj("1.2.643.7.1.1.1.1", 1), 0, V_ASN1_NULL, NULL, key, 34));
	bag = PKCS12_SAFEBAG_create_pkcs8_encrypt(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, pass, -1,
						  NULL, 0, 2048, p8);
	assert_non_null(bag);
	sk_PKCS12_SAFEBAG_push(bags, bag);
	sk_PKCS7_push(safes, PKCS12_pack_p7data(bags));
	p12 = PKCS12_init(NID_pkcs7_data);
	assert_true(PKCS12_pack_authsafes(p12, safes));
	assert_true(PKCS12_set_mac(p12, pass, -1, NULL, 0, 2048, NULL));
	fp = fopen(out, "wb");
	i2d_PKCS12_fp(fp, p12);
	fclose(fp);
	PKCS12_free(p12);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	PKCS8_PRIV_KEY_INFO_free(p8);
}

static int setup(void **state)
{
	qjt_run r;
	char p[256];
	(void)state;
	qjt_tmpdir(dir, sizeof dir);
	r = qjt_sh("cd %s && printf 'correct horse\\n' > pass && printf 'wrong\\n' > bad && "
		   "openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.pem -out rsa.crt -days 30 "
		   "-utf8 -subj '/CN=Тест Қолқоюшы/O=Test Centre' && "
		   "openssl pkcs12 -export -inkey rsa.pem -in rsa.crt -out rsa.p12 -passout file:pass && "
		   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.pem "
		   "-out ec.crt -days 30 -subj '/CN=EC Signer' && "
		   "openssl pkcs12 -export -inkey ec.pem -in ec.crt -out ec.p12 -passout file:pass", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(p, sizeof p, "%s/old.crt", dir);
	make_expired(strcat(strcpy((char[256]){0}, dir), "/rsa.pem"), p);
	r = qjt_sh("cd %s && openssl pkcs12 -export -inkey rsa.pem -in old.crt -out old.p12 "
		   "-passout file:pass", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	snprintf(p, sizeof p, "%s/gost.p12", dir);
	make_gost(p, "correct horse");
	/* one signed batch of certificates that most cases read */
	r = qjt_sh("%s certificates examples/roster.xml -o %s/c.pdf --sign %s/rsa.p12 --pass-file %s/pass",
		   qjt_bin(), dir, dir, dir);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	qjt_run_free(&r);
	return 0;
}

static int teardown(void **state)
{
	qjt_run r = qjt_sh("rm -rf %s", dir);
	(void)state;
	qjt_run_free(&r);
	return 0;
}

static void test_sign__signed_file_verifies(void **state)
{
	qjt_run r = qjt_sh("%s verify %s/c.pdf", qjt_bin(), dir);
	(void)state;
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "signed by Тест Қолқоюшы (certificate not checked against a trust store)"));
	assert_non_null(strstr(r.out, "the signature is valid"));
	assert_non_null(strstr(r.out, "covers the whole file"));
	assert_non_null(strstr(r.out, "signed at 20"));
	qjt_run_free(&r);
	r = qjt_sh("pdfsig %s/c.pdf", dir);
	assert_non_null(strstr(r.out, "Signature is Valid."));
	assert_non_null(strstr(r.out, "ETSI.CAdES.detached"));
	assert_non_null(strstr(r.out, "Total document signed"));
	qjt_run_free(&r);
	r = qjt_sh("qpdf --check %s/c.pdf", dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "No syntax or stream encoding errors"));
	qjt_run_free(&r);
	/* an incremental update: a second xref section pointing back */
	r = qjt_sh("grep -ac startxref %s/c.pdf; grep -ac '/Prev [0-9]* >>' %s/c.pdf; "
		   "%s certificates examples/roster.xml -o %s/u.pdf", dir, dir, qjt_bin(), dir);
	assert_string_equal(r.out, "2\n1\n");
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/u.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_VERIFY_UNSIGNED);
	assert_non_null(strstr(r.out, "not signed"));
	qjt_run_free(&r);
}

static void test_sign__changed_byte_is_invalid(void **state)
{
	qjt_run r;
	(void)state;
	/* one byte of the first page's text position, inside the signed range */
	r = qjt_sh("cd %s && cp c.pdf x.pdf && off=$(grep -abo 'MediaBox' x.pdf | head -1 | cut -d: -f1) && "
		   "printf 'X' | dd of=x.pdf bs=1 seek=$off conv=notrunc 2>/dev/null", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/x.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_VERIFY_INVALID);
	assert_non_null(strstr(r.out, "the signature is NOT valid"));
	qjt_run_free(&r);
	r = qjt_sh("pdfsig %s/x.pdf", dir);
	assert_null(strstr(r.out, "Signature is Valid."));
	assert_non_null(strstr(r.out, "Signature"));
	qjt_run_free(&r);
}

static void test_sign__appended_bytes_are_reported(void **state)
{
	qjt_run r;
	(void)state;
	r = qjt_sh("cd %s && cp c.pdf a.pdf && printf 'appended\\n' >> a.pdf", dir);
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/a.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_VERIFY_MODIFIED);
	assert_non_null(strstr(r.out, "the signature is valid"));
	assert_non_null(strstr(r.out, "9 bytes were appended after signing"));
	qjt_run_free(&r);
}

static void test_sign__bad_keys_are_refused(void **state)
{
	static const struct {
		const char *key, *pass;
		int code;
		const char *msg;
	} cases[] = {
		{"rsa.p12", "bad", QJ_SIGN_BAD_PASSWORD, "rsa.p12: error: wrong password"},
		{"rsa.pem", "pass", QJ_SIGN_NOT_P12, "rsa.pem: error: not a PKCS#12"},
		{"none.p12", "pass", QJ_SIGN_NOFILE, "none.p12: error: cannot open"},
		{"rsa.p12", "nopass", QJ_SIGN_NOFILE, "nopass: error: cannot open"},
		{"gost.p12", "pass", QJ_SIGN_GOST, "gost.p12: error: GOST keys are not supported by this "
		 "build of OpenSSL; sign the produced PDF in NCALayer or eGov mobile instead"},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		qjt_run r = qjt_sh("%s certificates examples/roster.xml -o %s/bad.pdf --sign %s/%s "
				   "--pass-file %s/%s", qjt_bin(), dir, dir, cases[i].key, dir, cases[i].pass);
		assert_int_equal(r.code, cases[i].code);
		assert_non_null(strstr(r.err, cases[i].msg));
		qjt_run_free(&r);
		/* nothing that claims a signature it does not hold */
		assert_false(qjt_exists(strcat(strcpy((char[128]){0}, dir), "/bad.pdf")));
	}
	{
		qjt_run r = qjt_sh("%s certificates examples/roster.xml -o %s/bad.pdf --sign %s/rsa.p12",
				   qjt_bin(), dir, dir);
		assert_int_equal(r.code, 1);
		assert_non_null(strstr(r.err, "needs --pass-file"));
		qjt_run_free(&r);
	}
}

static void test_sign__expired_certificate_signs_with_a_warning(void **state)
{
	qjt_run r = qjt_sh("%s certificates examples/roster.xml -o %s/old.pdf --sign %s/old.p12 "
			   "--pass-file %s/pass", qjt_bin(), dir, dir, dir);
	(void)state;
	assert_int_equal(r.code, QJ_SIGN_EXPIRED);
	assert_non_null(strstr(r.err, "old.p12: warning: the certificate of 'Expired Signer' is expired"));
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/old.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_SIGN_EXPIRED);
	assert_non_null(strstr(r.out, "the signature is valid"));
	assert_non_null(strstr(r.out, "the certificate was expired when the file was signed"));
	qjt_run_free(&r);
}

static void test_sign__ec_key_and_plan(void **state)
{
	qjt_run r = qjt_sh("%s plan examples/records/elderly-alone-kk.xml -o %s/plan.pdf --sign %s/ec.p12 "
			   "--pass-file %s/pass", qjt_bin(), dir, dir, dir);
	(void)state;
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/plan.pdf examples/records/elderly-alone-kk.xml", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "signed by EC Signer"));
	assert_non_null(strstr(r.out, "(ҚЗО-ҮӘҚ-2026/0219): the code"));
	assert_non_null(strstr(r.out, "every code (1) matches"));
	qjt_run_free(&r);
	r = qjt_sh("pdfsig %s/plan.pdf", dir);
	assert_non_null(strstr(r.out, "Signature is Valid."));
	qjt_run_free(&r);
	r = qjt_sh("qpdf --check %s/plan.pdf", dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

static void test_sign__unreadable_pdf(void **state)
{
	qjt_run r = qjt_sh("cd %s && printf 'not a pdf at all, just some text\\n' > t.pdf && "
			   "head -c 3000 c.pdf > h.pdf", dir);
	(void)state;
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/t.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_VERIFY_UNREADABLE);
	assert_non_null(strstr(r.err, "t.pdf: error: not a PDF file"));
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/h.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_VERIFY_UNREADABLE);
	assert_non_null(strstr(r.err, "h.pdf: error: cannot read this PDF"));
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/missing.pdf", qjt_bin(), dir);
	assert_int_equal(r.code, QJ_VERIFY_UNREADABLE);
	qjt_run_free(&r);
}

/* The expected code of the first person, from the library. */
static void first_code(char code[11])
{
	qj_ctx *ctx = qj_ctx_new();
	qj_arena *a = qj_arena_new(ctx);
	xmlDocPtr d = qj_doc_load(ctx, NULL, "examples/roster.xml", NULL);
	qj_fp *items;
	assert_int_equal(qj_fp_items(ctx, a, d, &items), 7);
	assert_string_equal(items[0].id, "ҚЖ-2026-0001");
	memcpy(code, items[0].code, 11);
	xmlFreeDoc(d);
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

static void test_sign__qr_code_decodes_and_matches(void **state)
{
	char code[11], want[64];
	qjt_run r;
	(void)state;
	first_code(code);
	r = qjt_sh("cd %s && pdftoppm -r 150 -png -f 1 -l 1 c.pdf pg && zbarimg --raw -q pg-1.png 2>/dev/null", dir);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "ҚЖ-2026-0001\n"));
	assert_non_null(strstr(r.out, code));
	qjt_run_free(&r);
	/* the same short code is printed under it */
	r = qjt_sh("pdftotext -f 1 -l 1 %s/c.pdf -", dir);
	assert_non_null(strstr(r.out, code));
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/c.pdf examples/roster.xml", qjt_bin(), dir);
	assert_int_equal(r.code, 0);
	snprintf(want, sizeof want, "page 1 (ҚЖ-2026-0001): the code %s matches", code);
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "every code (7) matches"));
	qjt_run_free(&r);
}

static void test_sign__changed_data_names_the_field(void **state)
{
	qjt_run r = qjt_sh("sed 's/Гүлжан Ұлықбекқызы Шәріпова/Гүлжан Шәріпова/; s/ҚЖ-2026-0005/ҚЖ-2026-0050/; "
			   "s/hours=\"36\"/hours=\"72\"/' examples/roster.xml > %s/r2.xml", dir);
	(void)state;
	qjt_run_free(&r);
	r = qjt_sh("%s verify %s/c.pdf %s/r2.xml", qjt_bin(), dir, dir);
	assert_int_equal(r.code, QJ_VERIFY_MISMATCH);
	assert_non_null(strstr(r.out, "page 3 (ҚЖ-2026-0003): the code"));
	assert_non_null(strstr(r.out, "name differs (the data has \"Гүлжан Шәріпова\")"));
	assert_non_null(strstr(r.out, "page 5 (ҚЖ-2026-0005): no serial ҚЖ-2026-0005"));
	assert_non_null(strstr(r.out, "serial differs (the data has \"ҚЖ-2026-0050\")"));
	assert_non_null(strstr(r.out, "page 7 (ҚЖ-2026-0007)"));
	assert_non_null(strstr(r.out, "hours differs (the data has \"72\")"));
	assert_non_null(strstr(r.out, "page 1 (ҚЖ-2026-0001): the code"));
	qjt_run_free(&r);
}

/* Long payloads take versions with uneven blocks; all read back. */
static void test_sign__qr_reads_back_every_size(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_arena *a = qj_arena_new(ctx);
	char buf[700];
	int n;
	(void)state;
	for (n = 1; n < 660; n += 13) {
		unsigned char *dark;
		char *t;
		int i, size = 0;
		for (i = 0; i < n; i++)
			buf[i] = (char)('A' + (i * 7 + n) % 26);
		buf[n] = 0;
		dark = qj_qr_matrix(buf, &size);
		assert_non_null(dark);
		t = qj_qr_decode(ctx, a, dark, size);
		assert_non_null(t);
		assert_string_equal(t, buf);
		/* one module changed: not taken for a symbol */
		dark[size * (size - 1) - 1] ^= 1;
		assert_null(qj_qr_decode(ctx, a, dark, size));
		free(dark);
	}
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign__signed_file_verifies),
		cmocka_unit_test(test_sign__changed_byte_is_invalid),
		cmocka_unit_test(test_sign__appended_bytes_are_reported),
		cmocka_unit_test(test_sign__bad_keys_are_refused),
		cmocka_unit_test(test_sign__expired_certificate_signs_with_a_warning),
		cmocka_unit_test(test_sign__ec_key_and_plan),
		cmocka_unit_test(test_sign__unreadable_pdf),
		cmocka_unit_test(test_sign__qr_code_decodes_and_matches),
		cmocka_unit_test(test_sign__changed_data_names_the_field),
		cmocka_unit_test(test_sign__qr_reads_back_every_size),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
