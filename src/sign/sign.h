/* sign: a stage after the PDF is written. Signs a finished PDF with a
 * detached CMS signature (ETSI.CAdES.detached, OpenSSL) written as an
 * incremental update — the original bytes are never rewritten — with a
 * visible box on the last page; and verifies such a file: signature,
 * coverage, bytes appended after signing, and, given the data, the
 * verification codes of its pages (src/code). docs/trust.md has the detail. */
#ifndef QJ_SIGN_H
#define QJ_SIGN_H

#include <libxml/tree.h>
#include <stdio.h>

#include "base/base.h"

/* Outcomes, equal to the process exit codes the commands return (README,
 * "Exit codes"). 0-3 are the commands' usual ones. */
enum {
	QJ_VERIFY_UNREADABLE = 2, /* not a PDF this reader can parse */
	QJ_VERIFY_UNSIGNED = 4,   /* no signature */
	QJ_VERIFY_INVALID = 5,    /* signature does not verify, or its byte range is wrong */
	QJ_VERIFY_MODIFIED = 6,   /* valid, but bytes were appended after signing */
	QJ_VERIFY_MISMATCH = 7,   /* a verification code does not match the data */
	QJ_SIGN_EXPIRED = 8,      /* certificate not valid at the signing time (signed, warned) */
	QJ_SIGN_NOFILE = 9,       /* the key or password file cannot be read */
	QJ_SIGN_NOT_P12 = 10,     /* the key file is not PKCS#12 */
	QJ_SIGN_BAD_PASSWORD = 11,
	QJ_SIGN_GOST = 12,        /* a GOST key (OID 1.2.643.*): not supported by this OpenSSL */
	QJ_SIGN_BAD_KEY = 13      /* no key or certificate, or they do not match */
};

typedef struct qj_signer qj_signer;

/* Loads the key and certificate chain of a PKCS#12 file, with the password
 * read from pass_file (its first line, the line end stripped; never from
 * the command line or the environment). Returns the signer, or NULL with
 * "PATH: error: ..." recorded and *status set to one of QJ_SIGN_*. An
 * expired (or not yet valid) certificate loads, with a warning, and
 * *status = QJ_SIGN_EXPIRED; otherwise *status = 0. Free with
 * qj_signer_free. */
qj_signer *qj_signer_load(qj_ctx *ctx, const char *p12_path, const char *pass_file,
			  int *status);
void qj_signer_free(qj_signer *s);

/* The certificate subject's common name (UTF-8), lent. */
const char *qj_signer_name(const qj_signer *s);

/* Signs the finished PDF d (len bytes; path names it in diagnostics):
 * returns a malloc'd (through ctx) copy of d followed by the incremental
 * update holding the signature, its length in *out_len; NULL with a
 * diagnostic when d cannot be parsed or signing fails. */
char *qj_sign_pdf(qj_ctx *ctx, qj_signer *s, const char *path, const char *d,
		  size_t len, size_t *out_len);

/* Reads the PDF at in, signs it and writes the result atomically at out
 * (in and out may be the same path). 0, or -1 with a diagnostic and out
 * untouched. */
int qj_sign_file(qj_ctx *ctx, qj_signer *s, const char *in, const char *out);

/* Verifies the PDF at path, printing plain sentences to report (each
 * starting "PATH: "); with data (a roster or client record, loaded and
 * normalized by the caller), checks every page's verification code
 * against its own item of the data. Returns 0 when signed, valid, whole
 * and (with data) matching, else the first that applies of
 * QJ_VERIFY_UNREADABLE, _INVALID, _MODIFIED, _MISMATCH, _UNSIGNED,
 * QJ_SIGN_EXPIRED. */
int qj_verify_pdf(qj_ctx *ctx, const char *path, xmlDocPtr data, FILE *report);

#endif
