/* request.h — the enterprise request (企业诉求, DESIGN.md "Requests",
 * docs/requests.md): what the kind's row (kind_request.c) and its steps
 * (request_act.c) share, and what the pages and the API read of requests
 * besides the item: the categories with their time limits, and the figures.
 *
 * A request is an item of kind request with one row in `requests`: who asked
 * (requester_unit_id, the enterprise), through which channel, the category
 * whose limit in working days sets the deadline when the office assigns it,
 * the lead unit's reply (答复), the requester's rating, the office's
 * follow-up (回访) and how often it was redone (重办). */
#ifndef LUOSHI_CORE_REQUEST_H
#define LUOSHI_CORE_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/hazard_public.h"
#include "core/kind.h"
#include "db/db.h"

/* Characters of a reply, a comment, a follow-up's result, an explanation. */
#define REQUEST_TEXT_MAX 5000
/* The redo that lists the request (挂牌): the third. */
#define REQUEST_REDO_LISTED 3

/* A request's own fields given in process (Open311's hand-over), read by the
 * kind's create hooks instead of the body's.  Strings borrowed. */
struct request_input {
    const char *category, *channel;
    int64_t requester_unit_id;
};

/* The working days of category's time limit into *days: DB_OK, DB_DONE when
 * there is no such category, or an error. */
int request_category_days(struct db *db, const char *category, int64_t *days);

/* The deadline of a request of category assigned on day today: its limit in
 * working days after today (0: today, or the next working day when today is
 * not one), as YYYY-MM-DD into out.  0, or -1 with e (422 for no category,
 * storage). */
int request_deadline(struct db *db, const char *category, int32_t today, char out[11],
                     struct err *e);

/* The categories, {"categories":[{"code","name","name_en","limit_days"}…]}
 * in their order (caller owns).  NULL with e. */
json_t *request_categories_json(struct db *db, struct err *e);

/* A category as an admin sets it (request_config.c): code, and what to
 * set — NULL names and limit_days -1 keep what an existing category has. */
struct request_category {
    const char *code, *name, *name_en;
    int64_t limit_days;
};

/* Add category c (a new code: name and limit_days required, name_en
 * defaulting to the name, sorted last) or change an existing one, as actor
 * a, through the configuration chain; *added says which.  0, or -1 with e
 * (422 for a bad code, a missing field or a limit outside 0 to 60). */
int request_category_set(struct db *db, const struct actor *a, const struct request_category *c,
                         int *added, struct err *e);

/* The lead unit routing names for a request of category from enterprise
 * requester: the rule for the enterprise's own unit, else for the first
 * unit above it that has one (its town), else the city-wide rule.  1 with
 * *unit, 0 when no rule applies, or a negative db code. */
int request_route_propose(struct db *db, const char *category, int64_t requester, int64_t *unit);
/* Set the rule category × area (0: city-wide) → unit_id as actor a through
 * the configuration chain, closing the current one (history is kept);
 * unit_id 0 removes the rule.  0, or -1 with e (422 unknown category or
 * unit). */
int request_route_set(struct db *db, const struct actor *a, const char *category,
                      int64_t area_unit_id, int64_t unit_id, struct err *e);
/* {"routes":[{"id","category","category_name","area_unit_id","area_name",
 * "unit_id","unit_name","valid_from"}…]}: the current rules, by category,
 * the city-wide one first (caller owns).  NULL with e. */
json_t *request_routes_json(struct db *db, struct err *e);

/* The figures of the requests received from day from to day to (inclusive,
 * YYYY-MM-DD; NULL: unbounded), of lead unit unit (0: every unit), as
 * {"from","to","units":[{"unit_id","unit","received","signed_on_time",
 * "closed","closed_on_time","rated","satisfied","basic","unsatisfied",
 * "redone","explained","satisfaction","rating_rate","redo_rate",
 * "on_time_rate","avg_reply_days"}…],"total":{…}} (caller owns).  Rates are
 * percentages with one decimal, null when their base is 0.  NULL with e. */
json_t *request_stats_json(struct db *db, const char *from, const char *to, int64_t unit,
                           struct err *e);

/* Request id as Open311 may show it, handed to fn as a public row: its
 * status, category, lead unit, times, deadline and the office's latest
 * public note — never the enterprise's text, its name or the loop's texts
 * (description and address stay NULL).  1 when there is one, 0 when there
 * is none (or the item is not a request), -1 with e on a storage error or
 * when fn stopped. */
int request_public_get(struct db *db, int64_t id, hazard_public_fn fn, void *ctx, struct err *e);

/* `luoshi verify` (request_replay.c): fold one event of a request into
 * state, the object of its own fields as the events establish them (its
 * category, channel, requester, reply, rating and comment, follow-up,
 * explanation and redo count); then compare state with its row, reporting
 * each difference to v.  The check returns a db code. */
void request_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data);
int request_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v);

/* The kind's steps (request_act.c), sorted by action, ended by {NULL}. */
extern const struct kind_step request_steps[];

#endif
