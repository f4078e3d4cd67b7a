/* fuzz_xml: the safe loader and the text normalizer on arbitrary bytes. */
#include <stdint.h>

#include "text/text.h"
#include "xml/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qj_ctx *ctx = qj_ctx_new();
	xmlDocPtr d;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	d = qj_xml_load_memory(ctx, "fuzz.xml", (const char *)data, size);
	if (d) {
		qj_text_normalize_doc(ctx, d, "kk");
		xmlFreeDoc(d);
	}
	qj_ctx_free(ctx);
	return 0;
}
