/* remediations.c — GET /api/v1/remediations/summary: the remediation of
 * low-efficiency land (低效用地整治, docs/remediation.md) by lead unit (the
 * towns), for the office and the leaders.  The items themselves are the
 * items API's (kind=remediation). */
#include <string.h>

#include "api/api.h"
#include "core/remediation.h"
#include "http/req.h"
#include "util/str.h"

void api_remediation_summary(struct req *r)
{
    const char *y = req_query(r, "year");
    int64_t year = 0;
    if (y && *y && (str_to_int64(y, strlen(y), &year) || year < 2000 || year > 2100)) {
        req_reply_error(r, 422, "invalid_parameter", NULL,
                        "'year' must be a year from 2000 to 2100");
        return;
    }
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = remediation_summary_json(db, year, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}
