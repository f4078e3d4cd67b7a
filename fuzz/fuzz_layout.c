/* fuzz_layout: arbitrary flow documents through the box builder and layout
 * (fonts from fonts/). */
#include <stdint.h>

#include "font/font.h"
#include "layout/layout.h"
#include "xml/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_fonts *fonts;
	xmlDocPtr d;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	qj_ctx_limits(ctx)->max_pages = 200;
	fonts = qj_fonts_load(ctx, "fonts");
	d = qj_xml_load_memory(ctx, "fuzz.xml", (const char *)data, size);
	if (d && fonts) {
		qj_arena *a = qj_arena_new(ctx);
		qj_box *b = a ? qj_box_build(ctx, a, d) : NULL;
		xmlFreeDoc(d); /* layout must not need the flow */
		d = NULL;
		if (b)
			qj_layout_run(ctx, a, b, fonts);
		qj_arena_free(a);
	}
	xmlFreeDoc(d);
	qj_fonts_free(fonts);
	qj_ctx_free(ctx);
	return 0;
}
