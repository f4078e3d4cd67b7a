/* render: the pipeline every document command shares: load data safely and
 * normalize it, load and check the template and labels, expand, lay out,
 * write the PDF atomically. Commands only pick the template and data. */
#ifndef QJ_RENDER_H
#define QJ_RENDER_H

#include <libxml/tree.h>

#include "base/base.h"
#include "font/font.h"
#include "tmpl/tmpl.h"

typedef struct qj_render_opts {
	const char *template_name; /* file in templates/, or a path with '/' */
	const char *lang;          /* kk, ru, en or kk+ru */
	const char *fonts_dir;     /* --fonts, or NULL */
	const char *const *params; /* extra $variables: name, value, …, NULL */
	int dump;                  /* print the display list to stdout */
	struct qj_signer *signer;  /* --sign: sign every PDF written, or NULL */
} qj_render_opts;

/* The resources a batch shares: fonts, template, labels. */
typedef struct qj_render_env {
	xmlDocPtr tmpl;
	qj_catalog *catalog;
	qj_fonts *fonts; /* opened once, reset for each document */
	char *home;
} qj_render_env;

/* The directory holding templates/ (and standards/, records/): $QUJAT_HOME,
 * else the tree above the binary's directory, else ".". Malloc'd. */
char *qj_home(qj_ctx *ctx);

/* Loads a data file safely and normalizes its text. NULL on error. */
xmlDocPtr qj_data_load(qj_ctx *ctx, const char *path, const char *lang);

int qj_render_env_open(qj_ctx *ctx, qj_render_env *env, const qj_render_opts *o);
void qj_render_env_close(qj_ctx *ctx, qj_render_env *env);

/* Validates data against the schema the template names (schema= on its
 * root, a file in templates/); 0 when valid or when there is none. */
int qj_render_check_data(qj_ctx *ctx, qj_render_env *env, xmlDocPtr data);

/* --sign KEY.p12 --pass-file FILE: loads the key once for the batch into
 * *out (NULL when neither is given). Returns 0, QJ_EXIT_USAGE when only
 * one is given, or the QJ_SIGN_* code of sign.h after a diagnostic; an
 * expired certificate loads and sets *expired. */
int qj_render_signer(qj_ctx *ctx, const char *cmd, const char *key, const char *pass_file,
		     struct qj_signer **out, int *expired);

/* Renders data through the template into out (atomically). Returns an exit
 * code (0, 2 bad input, 3 output failure). */
int qj_render(qj_ctx *ctx, qj_render_env *env, xmlDocPtr data,
	      const qj_render_opts *o, const char *out);

#endif
