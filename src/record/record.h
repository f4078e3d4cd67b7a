/* record: client records, the individual work plans of persons (families)
 * in a difficult life situation (records/README.md). This module checks a
 * loaded record: first against records/client-record.rng, then the rules a
 * schema cannot express (codes against the code lists of the label
 * catalog, templates/i18n/codes.xml; references, unique ids, dates against
 * the plan period and today). */
#ifndef QJ_RECORD_H
#define QJ_RECORD_H

#include <libxml/tree.h>

#include "base/base.h"
#include "tmpl/tmpl.h"

/* Checks doc, a loaded <client-record>. Every problem is reported at the
 * offending element as "FILE:LINE: error: ..." or "FILE:LINE: warning: ..."
 * (all of them, not only the first; the texts are listed in
 * records/README.md). codes is the label catalog the template stage loaded
 * from templates/i18n (qj_catalog_load); the record's codes are looked up
 * in its code lists. today_iso is today's date as YYYY-MM-DD, passed in so
 * that results are reproducible; NULL means $QUJAT_TODAY when set, else the
 * system date. The schema is found under the data directory (see
 * qj_data_path). Returns 0 when there is no error (warnings allowed), -1
 * otherwise. doc and codes are only read. */
int qj_record_check(qj_ctx *ctx, xmlDocPtr doc, const qj_catalog *codes,
		    const char *today_iso);

/* Today as YYYY-MM-DD into buf (11 bytes or more): $QUJAT_TODAY when it is
 * set, else the system date. Returns buf; NULL when $QUJAT_TODAY is set but
 * not a date, reported as "QUJAT_TODAY: error: 'V' is not a date
 * (YYYY-MM-DD)". */
char *qj_record_today(qj_ctx *ctx, char *buf, size_t n);

#endif
