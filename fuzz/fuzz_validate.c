/* fuzz_validate: what `qujat validate` runs (standard checks with the
 * schema, client-record checks, card list) on arbitrary XML. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record/record.h"
#include "standard/standard.h"
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
		const char *root = (const char *)xmlDocGetRootElement(d)->name;
		if (!strcmp(root, "client-record")) {
			/* the catalog as the commands load it, for this input */
			qj_catalog *cat = qj_catalog_load(ctx, "templates/i18n");
			qj_record_check(ctx, d, cat, "2026-11-23");
			qj_catalog_free(cat);
		} else {
			FILE *null = fopen("/dev/null", "w");
			qj_standard_check(ctx, d, "standards/standard.rng");
			if (null) {
				qj_standard_list(ctx, d, null);
				fclose(null);
			}
		}
		xmlFreeDoc(d);
	}
	qj_ctx_free(ctx);
	return 0;
}
