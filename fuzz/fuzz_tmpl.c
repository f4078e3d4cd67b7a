/* fuzz_tmpl: arbitrary templates expanded over a fixed roster and laid out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "font/font.h"
#include "layout/layout.h"
#include "tmpl/tmpl.h"
#include "tmpl/xpath_text.h"
#include "xml/xml.h"

static const char DATA[] =
	"<roster lang='kk' issued='2026-11-20'><organization>Орталық</organization>"
	"<programme hours='72'>Бағдарлама</programme><signer role='director' name='А. Б. Серікова'/>"
	"<person serial='1' name='Әсел'/><person serial='2' name='Ерғали'/></roster>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qj_ctx *ctx = qj_ctx_new();
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	int fd;
	qj_catalog *cat;
	xmlDocPtr t = NULL, d, out = NULL;
	qj_fonts *fonts;
	snprintf(path, sizeof path, "%s/qj-fuzz-tmpl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	qj_ctx_limits(ctx)->max_pages = 200;
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size)
			t = qj_tmpl_load(ctx, path);
		close(fd);
		unlink(path);
	}
	cat = qj_catalog_load(ctx, "templates/i18n");
	d = qj_xml_load_memory(ctx, "data.xml", DATA, sizeof DATA - 1);
	fonts = qj_fonts_load(ctx, "fonts");
	if (t && d && cat && fonts) {
		qj_tmpl_opts o = {"kk+ru", cat, qj_tmpl_register_text_funcs, NULL, NULL};
		out = qj_tmpl_expand(ctx, t, d, &o);
		if (out) {
			qj_arena *a = qj_arena_new(ctx);
			qj_box *b = a ? qj_box_build(ctx, a, out) : NULL;
			xmlFreeDoc(out); /* layout must not need the flow */
			out = NULL;
			if (b)
				qj_layout_run(ctx, a, b, fonts);
			qj_arena_free(a);
		}
	}
	xmlFreeDoc(out);
	xmlFreeDoc(t);
	xmlFreeDoc(d);
	qj_catalog_free(cat);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
	return 0;
}
