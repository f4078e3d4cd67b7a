/* render: data → template → layout → PDF, shared by every document command. */
#include "cli/render.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "text/text.h"
#include "tmpl/xpath_text.h"
#include "xml/xml.h"

char *qj_home(qj_ctx *ctx)
{
	char *home = qj_tree_find(ctx, "templates");
	return home ? home : qj_strdup(ctx, ".");
}

xmlDocPtr qj_data_load(qj_ctx *ctx, const char *path, const char *lang)
{
	xmlDocPtr d = qj_xml_load(ctx, path);
	if (d && qj_text_normalize_doc(ctx, d, lang) < 0) {
		xmlFreeDoc(d);
		return NULL;
	}
	return d;
}

int qj_render_env_open(qj_ctx *ctx, qj_render_env *env, const qj_render_opts *o)
{
	char path[PATH_MAX];
	char *fonts_dir;
	memset(env, 0, sizeof *env);
	env->home = qj_home(ctx);
	if (!env->home)
		return -1;
	if (strchr(o->template_name, '/'))
		snprintf(path, sizeof path, "%s", o->template_name);
	else
		snprintf(path, sizeof path, "%s/templates/%s", env->home, o->template_name);
	env->tmpl = qj_tmpl_load(ctx, path);
	snprintf(path, sizeof path, "%s/templates/i18n", env->home);
	env->catalog = qj_catalog_load(ctx, path);
	/* the fonts once for the batch: a bad --fonts fails before any work */
	fonts_dir = qj_fonts_locate(ctx, o->fonts_dir);
	env->fonts = fonts_dir ? qj_fonts_load(ctx, fonts_dir) : NULL;
	qj_free(ctx, fonts_dir);
	if (!env->tmpl || !env->catalog || !env->fonts) {
		qj_render_env_close(ctx, env);
		return -1;
	}
	return 0;
}

void qj_render_env_close(qj_ctx *ctx, qj_render_env *env)
{
	if (env->tmpl)
		xmlFreeDoc(env->tmpl);
	qj_catalog_free(env->catalog);
	qj_fonts_free(env->fonts);
	qj_free(ctx, env->home);
	memset(env, 0, sizeof *env);
}

int qj_render_check_data(qj_ctx *ctx, qj_render_env *env, xmlDocPtr data)
{
	const char *schema = qj_xml_attr(xmlDocGetRootElement(env->tmpl), "schema");
	char path[PATH_MAX];
	if (!schema)
		return 0;
	snprintf(path, sizeof path, "%s/templates/%s", env->home, schema);
	return qj_xml_validate_rng(ctx, data, path);
}

int qj_render(qj_ctx *ctx, qj_render_env *env, xmlDocPtr data,
	      const qj_render_opts *o, const char *out)
{
	qj_tmpl_opts to = {o->lang, env->catalog, qj_tmpl_register_text_funcs, o->params};
	xmlDocPtr flow;
	qj_arena *arena, *barena;
	qj_box *boxes = NULL;
	qj_dl *dl;
	int rc = QJ_EXIT_INPUT;

	flow = qj_tmpl_expand(ctx, env->tmpl, data, &to);
	if (!flow)
		return QJ_EXIT_INPUT;
	/* the boxes hold everything layout needs: the flow goes at once, and
	 * the boxes once the display list exists */
	barena = qj_arena_new(ctx);
	arena = qj_arena_new(ctx);
	if (barena && arena)
		boxes = qj_box_build(ctx, barena, flow);
	xmlFreeDoc(flow);
	/* each document subsets only the characters it draws */
	qj_fonts_reset_used(env->fonts);
	dl = boxes ? qj_layout_run(ctx, arena, boxes, env->fonts) : NULL;
	qj_arena_free(barena);
	if (dl) {
		if (o->dump)
			qj_layout_dump(dl, stdout);
		if (dl->npages == 0)
			/* an empty PDF would look like success */
			qj_error(ctx, qj_xml_file(xmlDocGetRootElement(data)), 0,
				 "nothing to print: %s makes no page of this data",
				 o->template_name);
		else
			rc = qj_pdf_write(ctx, dl, env->fonts, out, NULL) == 0 ? QJ_EXIT_OK : QJ_EXIT_FAIL;
	}
	qj_arena_free(arena);
	return rc;
}
