/* kind_request.c — the enterprise request (企业诉求, DESIGN.md "Requests") as
 * a row of the kind table: its own table (requests), its create fields
 * (category, channel, requester_unit_id), its JSON part and who else sees
 * it (the requesting enterprise, which also rates it).  Its steps around
 * the loop's actions are request_act.c's; its categories and figures
 * request_data.c's.
 *
 * Filing: the office (supervisors, admins) files on an enterprise's behalf
 * and names it (requester_unit_id) and the channel (phone, 12345, visit,
 * symposium, web); an enterprise user files for its own unit (channel web)
 * and gives only the title, description and category — the lead unit, the
 * deadline and the rest are the office's when it assigns. */
#include <string.h>

#include "core/inbox.h"
#include "core/item.h"
#include "core/lifecycle.h"
#include "core/request.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/time.h"

static const char *const request_fields[] = {"category", "channel", "requester_unit_id", NULL};
static const char *const office_channels[] = {"phone", "12345", "visit", "symposium", "web"};

static int is_office(const struct actor *a)
{
    return (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0;
}

/* The channel: the office names one of office_channels; an enterprise files
 * through the web only. */
static int channel_check(const struct actor *a, const char **channel, struct err *e)
{
    if (!is_office(a)) {
        if (*channel && strcmp(*channel, "web"))
            return err_set(e, 422, "invalid_field", "an enterprise files through channel 'web'");
        *channel = "web";
        return 0;
    }
    if (!*channel)
        return err_set(e, 422, "missing_field",
                       "field 'channel' is required: phone, 12345, visit, symposium or web");
    for (size_t i = 0; i < sizeof office_channels / sizeof *office_channels; i++)
        if (!strcmp(*channel, office_channels[i])) return 0;
    return err_set(e, 422, "invalid_field",
                   "'channel' must be phone, 12345, visit, symposium or web");
}

/* The requester: named by the office, the filer's own unit otherwise. */
static int requester_check(struct db *db, const struct actor *a, int64_t *unit, struct err *e)
{
    if (!is_office(a)) {
        if (*unit && *unit != a->unit_id)
            return err_set(e, 403, "forbidden", "an enterprise files requests for itself only");
        if (!a->unit_id)
            return err_set(e, 422, "invalid_field", "only a user of an enterprise files a request");
        *unit = a->unit_id;
        return 0;
    }
    if (!*unit)
        return err_set(e, 422, "missing_field",
                       "field 'requester_unit_id' is required: the enterprise that asks");
    int rc = unit_exists(db, *unit);
    if (rc < 0) return err_db(e, rc, "checking units");
    if (!rc)
        return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)*unit),
               err_detail(e, "unit");
    return 0;
}

/* The body's request fields (or the in-process input's) into r. */
static int request_read(json_t *body, struct request_input *r, struct err *e)
{
    json_t *u = json_object_get(body, "requester_unit_id");
    if (u && !json_is_null(u)) {
        if (!json_is_integer(u) || json_integer_value(u) <= 0)
            return err_set(e, 422, "invalid_field", "'requester_unit_id' must be a unit id");
        r->requester_unit_id = json_integer_value(u);
    }
    if (text_field(body, "category", 40, 1, &r->category, e) ||
        text_field(body, "channel", 20, 0, &r->channel, e))
        return -1;
    return 0;
}

/* Parse and check the request's fields of in (the same answer each time
 * it is asked: create checks, after_create stores). */
static int request_fields_of(struct db *db, const struct actor *a, const struct item_input *in,
                             struct request_input *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    if (in->kind_input)
        *r = *(const struct request_input *)in->kind_input;
    else if (request_read(in->body, r, e))
        return -1;
    if (!r->category) return err_set(e, 422, "missing_field", "field 'category' is required");
    int64_t days;
    int rc = request_category_days(db, r->category, &days);
    if (rc == DB_DONE)
        return err_set(e, 422, "invalid_field", "no request category '%s'", r->category),
               err_detail(e, "request_category");
    if (rc != DB_OK) return err_db(e, rc, "reading the categories");
    if (!in->kind_input && channel_check(a, &r->channel, e)) return -1;
    if (!r->channel) r->channel = "open311";
    return in->kind_input ? 0 : requester_check(db, a, &r->requester_unit_id, e);
}

/* An enterprise gives what it asks; the office decides the rest. */
static int request_create(struct db *db, const struct actor *a, struct item_input *in,
                          struct err *e)
{
    struct request_input r;
    if (request_fields_of(db, a, in, &r, e)) return -1;
    if (!is_office(a) && !in->kind_input &&
        (in->lead_unit_id || in->n_co || in->parent_id || in->deadline || in->has_metric))
        return err_set(e, 403, "forbidden",
                       "an enterprise gives a request's title, description and category; the"
                       " office assigns it");
    return 0;
}

static int request_after_create(struct db *db, const struct actor *a, int64_t id,
                                const struct item_input *in, json_t *data, struct err *e)
{
    struct request_input r;
    if (request_fields_of(db, a, in, &r, e)) return -1;
    struct db_stmt *st = db_prepare(db, "INSERT INTO requests (item_id, category, channel,"
                                        " requester_unit_id, requester_id, filed_on)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return err_db(e, DB_ERR, "creating a request");
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, r.category, (size_t)-1);
    db_bind_text(st, 3, r.channel, (size_t)-1);
    db_bind_int64(st, 4, r.requester_unit_id);
    if (a->user_id && !is_office(a))
        db_bind_int64(st, 5, a->user_id);
    else
        db_bind_null(st, 5);
    char today[11];
    date_format(time_today(), today);
    db_bind_text(st, 6, today, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "creating a request");
    json_object_set_new(data, "request",
                        json_pack("{s:s, s:s, s:I}", "category", r.category, "channel", r.channel,
                                  "requester_unit_id", (json_int_t)r.requester_unit_id));
    return 0;
}

static json_t *opt_text(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

/* The request's part of the item's JSON: everything its row holds. */
static json_t *request_json(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT r.category, c.name, c.limit_days, r.channel, r.requester_unit_id, u.name,"
            " r.reply, r.replied_on, r.done_on, r.rating, r.rating_comment, r.rated_on,"
            " r.follow_up, r.followed_up_on, r.explanation, r.redo_count FROM requests r"
            " JOIN request_categories c ON c.code = r.category"
            " JOIN units u ON u.id = r.requester_unit_id WHERE r.item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the request"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    json_t *v = NULL;
    if (rc == DB_ROW)
        v = json_pack("{s:s, s:s, s:I, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o,"
                      " s:o, s:I}",
                      "category", db_column_text(st, 0), "category_name", db_column_text(st, 1),
                      "limit_days", (json_int_t)db_column_int64(st, 2), "channel",
                      db_column_text(st, 3), "requester_unit_id",
                      (json_int_t)db_column_int64(st, 4), "requester_unit", db_column_text(st, 5),
                      "reply", opt_text(st, 6), "replied_on", opt_text(st, 7), "done_on",
                      opt_text(st, 8), "rating", opt_text(st, 9), "rating_comment",
                      db_column_text(st, 10), "rated_on", opt_text(st, 11), "follow_up",
                      opt_text(st, 12), "followed_up_on", opt_text(st, 13), "explanation",
                      opt_text(st, 14), "redo_count", (json_int_t)db_column_int64(st, 15));
    db_finalize(st);
    if (rc == DB_DONE) err_set(e, 500, "internal", "request %lld has no row", (long long)id);
    if (rc != DB_ROW && rc != DB_DONE) err_db(e, rc, "reading the request");
    return v;
}

/* The requesting enterprise sees its request, and rates it. */
static int request_visible(struct db *db, const struct actor *a, int64_t id, int *sees,
                           unsigned *caps)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT requester_unit_id FROM requests WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    *sees = rc == DB_ROW && a->unit_id && db_column_int64(st, 0) == a->unit_id;
    *caps = *sees ? LC_REQUESTER : 0;
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- the 待办 ---- */

/* Run a count (prepared by the caller; NULL when that failed) of unit ?1. */
static int count_unit(struct db_stmt *st, int64_t unit, int64_t *n)
{
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, unit);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The enterprise's: its done requests not rated yet (待评价), of unit ?3. */
#define REQUEST_TO_RATE                                                                            \
    " WHERE i.status = 'done' AND i.kind = 'request' AND EXISTS (SELECT 1 FROM requests r"         \
    " WHERE r.item_id = i.id AND r.requester_unit_id = ?3 AND r.rating IS NULL"                    \
    " AND r.explanation IS NULL)"

static struct db_stmt *to_rate(struct db *db)
{
    return db_prepare(db, INBOX_SELECT_WHY("'submit'") REQUEST_TO_RATE " ORDER BY i.id");
}

/* Read from the enterprise's own requests (its index range). */
static int to_rate_count(struct db *db, int64_t unit, int64_t *n)
{
    return count_unit(db_prepare(db, "SELECT count(*) FROM requests r JOIN items i ON i.id ="
                                     " r.item_id WHERE r.requester_unit_id = ?1 AND"
                                     " i.status = 'done' AND r.rating IS NULL AND"
                                     " r.explanation IS NULL"),
                      unit, n);
}

/* The office's: done requests without a follow-up (待回访), due the working
 * day after done; and those rated unsatisfied, to redo or explain.  Read
 * from the requests (items_kind's range, or the requests table itself with
 * CROSS JOIN), never from items_status's 'done' range, which holds most of
 * the city's items: the count is in every page's navigation. */
#define REQUEST_TO_FOLLOW_UP                                                                       \
    " WHERE i.kind = 'request' AND i.status || '' = 'done' AND ?3 = ?3 AND EXISTS (SELECT 1"       \
    " FROM"                                                                                        \
    " requests r WHERE r.item_id = i.id AND r.explanation IS NULL AND (r.follow_up IS NULL"        \
    " OR r.rating = 'unsatisfied'))"

static struct db_stmt *to_follow_up(struct db *db)
{
    return db_prepare(db,
                      INBOX_SELECT_WHY("'verify','rate'") REQUEST_TO_FOLLOW_UP " ORDER BY i.id");
}

static int to_follow_up_count(struct db *db, int64_t unit, int64_t *n)
{
    (void)unit;
    return count_unit(db_prepare(db, "SELECT count(*) FROM requests r CROSS JOIN items i WHERE"
                                     " i.id = r.item_id AND i.status = 'done' AND ?1 = ?1 AND"
                                     " r.explanation IS NULL AND (r.follow_up IS NULL OR"
                                     " r.rating = 'unsatisfied')"),
                      unit, n);
}

/* The lead unit's: requests not answered yet whose deadline is near or
 * passed (待答复), of unit ?3, the nearest deadline first. */
#define REQUEST_TO_ANSWER                                                                          \
    " WHERE i.kind = 'request' AND i.lead_unit_id = ?3 AND i.status IN ('assigned',"               \
    " 'accepted','in_progress') AND i.deadline <= ?2"

static struct db_stmt *to_answer(struct db *db)
{
    return db_prepare(db, INBOX_SELECT_WHY("'assign','redo'") REQUEST_TO_ANSWER
                      " ORDER BY i.deadline, i.id");
}

static const struct kind_inbox request_inbox[] = {
    {"to_rate", ROLE_REPORTER, to_rate, to_rate_count, 0},
    {"to_follow_up", ROLE_ADMIN | ROLE_SUPERVISOR, to_follow_up, to_follow_up_count, 0},
    {"to_answer", ROLE_HANDLER, to_answer, NULL, 0},
    {NULL, 0, NULL, NULL, 0},
};

const struct kind kind_request = {
    .name = "request",
    .label_zh = "诉求",
    .label_en = "Request",
    .table = "requests",
    .creatable = 1,
    .published = 1,
    .create_fields = request_fields,
    .create = request_create,
    .after_create = request_after_create,
    .steps = request_steps,
    .json = request_json,
    .visible = request_visible,
    .replay = request_replay,
    .replay_check = request_replay_check,
    .inbox = request_inbox,
};
