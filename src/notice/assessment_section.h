/* assessment_section.h — the 考核 section of a supervision notice (督查通报):
 * each assessed unit's score and rank within its kind for the year of the
 * notice's cutoff, counted up to the cutoff, with the entries that moved it
 * and the consequences that fired in the notice's period.  The figures are
 * core/assessment.h's own (assessment_window_json), never recomputed here,
 * so the section says what GET /api/v1/assessment says.
 *
 * The section is kept as the JSON object it is computed into (struct
 * notice's assessment, NULL for an item scope: a campaign's, a meeting's or
 * a plan's notice has none) and rendered from it: JSON, HTML, CSV, XLSX. */
#ifndef LUOSHI_NOTICE_ASSESSMENT_SECTION_H
#define LUOSHI_NOTICE_ASSESSMENT_SECTION_H

#include <jansson.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "notice/notice.h"
#include "util/csv.h"

/* Compute n's section into n->assessment (which notice_free releases): the
 * assessed units among units[0..n_units) (the notice's scope), each as
 * {"unit_id","unit_code","unit_name","unit_kind","score","base","rank",
 * "rank_of","period_points","entries":[…],"consequences":[…]}, under
 * {"year","from","to","units"} (from and to the period's days within that
 * year).  0, or -1 with e (5xx storage). */
int notice_assessment_compute(struct db *db, struct notice *n, const int64_t *units, int n_units,
                              struct err *e);

/* Append the section as HTML (<section class="assessment">); nothing when n
 * has none.  Returns as buf_append. */
int notice_assessment_html(const struct notice *n, struct buf *b);

/* Append the section as two CSV tables (考核情况 and 考核变动) with their
 * title lines; nothing when n has none. */
void notice_assessment_csv(const struct notice *n, struct csv *c);

/* Add the section to workbook wb as the sheet 考核情况 (the units, then
 * below them the period's entries), headings in format head; nothing when
 * n has none. */
void notice_assessment_xlsx(const struct notice *n, lxw_workbook *wb, lxw_format *head);

#endif
