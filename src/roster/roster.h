/* roster: the rosters of people who completed a qualification-improvement
 * programme, one certificate each (templates/certificate.rng, documented in
 * README.md, "Roster format"). This module checks what the schema cannot
 * say: unique serials, texts that are not blank, sane hours, real dates in
 * order. Nothing here prints a certificate. */
#ifndef QJ_ROSTER_H
#define QJ_ROSTER_H

#include <libxml/tree.h>

#include "base/base.h"

/* The most hours a programme (or one person's part of it) may have. */
#define QJ_ROSTER_MAX_HOURS 10000

/* Checks doc, a loaded <roster> (normalized or not; the rules do not trust
 * the schema step to have passed). Every problem is an error at the
 * offending element's line, "FILE:LINE: error: ..."; all of them are
 * reported, up to the context's error limit:
 *   duplicate person serial 'S' (first used at line N)
 *   <organization> is empty            (also missing, or only white space)
 *   <programme> has no title
 *   person 'S' has an empty name       (and: a person with an empty serial,
 *                                       signer 'ROLE' has an empty name)
 *   hours 'H' of <programme> are not a whole number from 1 to 10000
 *   invalid date 'D' in attribute 'A'  (issued, from, to: YYYY-MM-DD that
 *                                       exists)
 *   programme ends TO, before it begins FROM
 *   roster is issued ISSUED, before the programme begins FROM
 * Returns the number of errors reported (0 when the roster is sound). doc
 * is only read. */
int qj_roster_check(qj_ctx *ctx, xmlDocPtr doc);

/* The same rules for the header alone: a <course> file (the course-wide
 * fields of a spreadsheet roster, templates/course.rng), checked where it
 * is read so its problems are said once, at its own lines ("course is
 * issued ISSUED, before the programme begins FROM"), not once per person
 * of the list. Returns the number of errors reported. */
int qj_roster_check_course(qj_ctx *ctx, xmlDocPtr doc);

#endif
