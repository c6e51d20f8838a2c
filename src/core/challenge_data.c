/* challenge_data.c — a challenge's applications (揭榜) and the public board
 * (公示).  See challenge.h.
 *
 * An application is filed through its own route, not the action table: the
 * applicant's unit sees the challenge only once it has applied, so the
 * application is checked here (open, within apply_until, under the cap)
 * and recorded as the item's "apply" event, which carries every field of
 * it.  The office and leaders read every application with its reviews; an
 * applicant only its own unit's, without them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/attachment.h"
#include "core/challenge.h"
#include "core/event.h"
#include "core/text.h"
#include "util/time.h"

static const char *const apply_fields[] = {"team", "plan", "budget_wan", "members",
                                           "attachment_ids"};
#define APPLY_FIELDS (sizeof apply_fields / sizeof *apply_fields)

/* attachment_ids, when given: an array of ids (attachment_claim checks
 * each and their number). */
static int ids_check(json_t *body, struct err *e)
{
    json_t *ids = json_object_get(body, "attachment_ids"), *v;
    if (!ids || json_is_null(ids)) return 0;
    if (!json_is_array(ids))
        return err_set(e, 422, "invalid_field", "'attachment_ids' must be an array of ids");
    size_t i;
    json_array_foreach(ids, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return err_set(e, 422, "invalid_field", "attachment_ids[%zu] must be an id", i);
    }
    return 0;
}

/* The members: an array of 1 to 50 names of 1 to 50 characters. */
static int members_check(json_t *body, struct err *e)
{
    json_t *m = json_object_get(body, "members");
    if (!m || json_is_null(m))
        return err_set(e, 422, "missing_field", "field 'members' is required");
    if (!json_is_array(m) || !json_array_size(m) || json_array_size(m) > 50)
        return err_set(e, 422, "invalid_field", "'members' must be an array of 1 to 50 names");
    size_t i;
    json_t *v;
    json_array_foreach(m, i, v)
    {
        const char *s = json_string_value(v);
        if (!s || !*s || strlen(s) > 200 || strchr(s, '\n'))
            return err_set(e, 422, "invalid_field", "members[%zu] must be a name", i);
    }
    return 0;
}

/* The body's shape: only the four fields, each as it must be. */
static int apply_read(json_t *body, const char **team, const char **plan, double *budget,
                      struct err *e)
{
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        size_t k = 0;
        while (k < APPLY_FIELDS && strcmp(key, apply_fields[k]))
            k++;
        if (k == APPLY_FIELDS)
            return err_set(e, 422, "unknown_field", "an application takes no '%s'", key);
    }
    return text_field(body, "team", 200, 1, team, e) ||
                   text_field(body, "plan", CHALLENGE_TEXT_MAX, 1, plan, e) ||
                   challenge_wan_field(body, "budget_wan", 1, 1, budget, e) ||
                   members_check(body, e) || ids_check(body, e)
               ? -1
               : 0;
}

/* Whether a's unit may file one more: 0, or -1 with e (409, storage). */
static int apply_allowed(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    struct challenge_row r;
    if (challenge_row_load(db, id, &r, e)) return -1;
    if (strcmp(r.phase, "open"))
        return err_set(e, 409, "applications_closed",
                       "the challenge takes no applications now (until %s)", r.apply_until);
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM challenge_applications"
                                        " WHERE item_id = ?1 AND unit_id = ?2");
    if (!st) return err_db(e, DB_ERR, "counting the applications");
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, a->unit_id);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "counting the applications");
    if (n >= r.max_per_applicant)
        return err_set(e, 409, "cap_reached", "your unit has filed %lld of %lld applications",
                       (long long)n, (long long)r.max_per_applicant);
    return 0;
}

/* 1 when item id is a challenge, 0 when not (404 then), -1 with e. */
static int is_challenge(struct db *db, int64_t id, int published, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT phase FROM challenges WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the challenge");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    int ok = rc == DB_ROW && (!published || strcmp(db_column_text(st, 0), "draft"));
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading the challenge");
    if (!ok)
        return err_set(e, 404, "not_found", "no published challenge with id %lld", (long long)id),
               err_detail(e, "item"), 0;
    return 1;
}

static int apply_insert(struct db *db, const struct actor *a, int64_t id, json_t *body,
                        json_t *files, int64_t *app, struct err *e)
{
    char today[11], *members = json_dumps(json_object_get(body, "members"), JSON_COMPACT);
    char *carried = json_dumps(files, JSON_COMPACT);
    date_format(time_today(), today);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO challenge_applications (item_id, unit_id, user_id, team, plan,"
            " budget_wan, members, filed_on, created_at, attachments) VALUES (?1, ?2, ?3, ?4,"
            " ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id");
    if (!st) return free(members), free(carried), err_db(e, DB_ERR, "filing the application");
    db_bind_text(st, 10, carried, (size_t)-1);
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, a->unit_id);
    db_bind_int64(st, 3, a->user_id);
    db_bind_text(st, 4, json_string_value(json_object_get(body, "team")), (size_t)-1);
    db_bind_text(st, 5, json_string_value(json_object_get(body, "plan")), (size_t)-1);
    db_bind_double(st, 6, json_number_value(json_object_get(body, "budget_wan")));
    db_bind_text(st, 7, members, (size_t)-1);
    db_bind_text(st, 8, today, (size_t)-1);
    db_bind_int64(st, 9, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *app = db_column_int64(st, 0);
    db_finalize(st);
    free(members);
    free(carried);
    return rc == DB_ROW ? 0 : err_db(e, rc, "filing the application");
}

int challenge_apply(struct db *db, const struct actor *a, int64_t id, json_t *body, int64_t *app,
                    struct err *e)
{
    const char *team, *plan;
    double budget = 0;
    if (!a->user_id || !a->unit_id || !(a->roles & ROLE_APPLICANT))
        return err_set(e, 403, "forbidden", "an applicant of an enterprise or university applies");
    int rc = is_challenge(db, id, 1, e);
    if (rc <= 0) return -1;
    if (apply_read(body, &team, &plan, &budget, e) || apply_allowed(db, a, id, e)) return -1;
    json_object_set_new(body, "budget_wan", json_real(budget));
    json_t *files = NULL; /* the records of the files it carries, as the event has them */
    if (attachment_claim(db, a, id, json_object_get(body, "attachment_ids"), &files, e)) return -1;
    if (apply_insert(db, a, id, body, files, app, e)) return json_decref(files), -1;
    json_t *data = json_pack("{s:I, s:I, s:s, s:s, s:f, s:O}", "application_id", (json_int_t)*app,
                             "unit_id", (json_int_t)a->unit_id, "team", team, "plan", plan,
                             "budget_wan", budget, "members", json_object_get(body, "members"));
    if (json_array_size(files)) json_object_set(data, "attachments", files);
    rc = event_append(db, id, a, "apply", data);
    json_decref(data);
    if (rc == DB_OK && json_array_size(files)) rc = attachment_link(db, id, files);
    json_decref(files);
    if (rc == DB_RETRY) return err_set(e, 503, "busy", "the item changed meanwhile; retry");
    return rc == DB_OK ? 0 : err_db(e, rc, "filing the application");
}

int challenge_may_attach(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    if (!(a->roles & ROLE_APPLICANT) || !a->unit_id || actor_sees_all(a)) return 0;
    int64_t n = 0;
    int rc = db_query_int64(db,
                            "SELECT count(*) FROM challenges WHERE item_id = ?1"
                            " AND phase <> 'draft'",
                            1, id, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading the challenge");
    if (!n) return 0;
    return apply_allowed(db, a, id, e) ? -1 : 1; /* open, and the unit under the cap */
}

int challenge_file_reader(struct db *db, const struct actor *a, int64_t att, int *is_app, int *may)
{
    *is_app = *may = 0;
    struct db_stmt *st =
        db_prepare(db, "SELECT t.unit_id, ev.action, coalesce(us.roles, 0) FROM attachments t"
                       " JOIN items i ON i.id = t.item_id AND i.kind = 'challenge'"
                       " LEFT JOIN events ev ON ev.id = t.event_id"
                       " LEFT JOIN users us ON us.id = t.uploaded_by WHERE t.id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, att);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *is_app = db_column_is_null(st, 1) ? (db_column_int64(st, 2) & ROLE_APPLICANT) != 0
                                           : !strcmp(db_column_text(st, 1), "apply");
        *may = *is_app && (actor_sees_all(a) || (a->unit_id && !db_column_is_null(st, 0) &&
                                                 db_column_int64(st, 0) == a->unit_id));
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- reading ---- */

#define APP_COLS                                                                                   \
    "SELECT a.id, a.item_id, a.unit_id, u.name, a.team, a.plan, a.budget_wan, a.members,"          \
    " a.filed_on, a.attachments FROM challenge_applications a JOIN units u ON u.id = a.unit_id"

/* The reviews of application app, and their mean, into v. */
static int reviews_add(struct db *db, json_t *v, int64_t app, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT r.reviewer_id, us.name, r.score, r.comment FROM"
                                        " challenge_reviews r JOIN users us ON us.id ="
                                        " r.reviewer_id WHERE r.application_id = ?1"
                                        " ORDER BY r.created_at, r.reviewer_id");
    if (!st) return err_db(e, DB_ERR, "reading the reviews");
    db_bind_int64(st, 1, app);
    json_t *arr = json_array();
    int64_t sum = 0, n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        sum += db_column_int64(st, 2), n++;
        json_array_append_new(arr, json_pack("{s:I, s:s, s:I, s:s}", "reviewer_id",
                                             (json_int_t)db_column_int64(st, 0), "reviewer",
                                             db_column_text(st, 1), "score",
                                             (json_int_t)db_column_int64(st, 2), "comment",
                                             db_column_text(st, 3)));
    }
    db_finalize(st);
    if (rc != DB_DONE) return json_decref(arr), err_db(e, rc, "reading the reviews");
    json_object_set_new(v, "reviews", arr);
    json_object_set_new(v, "score_mean",
                        n ? json_real(round((double)sum * 10 / (double)n) / 10) : json_null());
    return 0;
}

static json_t *app_row(struct db *db, struct db_stmt *st, int office, struct err *e)
{
    json_t *members = json_loads(db_column_text(st, 7), 0, NULL);
    json_t *files = json_loads(db_column_text(st, 9), 0, NULL);
    json_t *v = json_pack(
        "{s:I, s:I, s:I, s:s, s:s, s:s, s:f, s:o, s:s, s:o}", "id",
        (json_int_t)db_column_int64(st, 0), "item_id", (json_int_t)db_column_int64(st, 1),
        "unit_id", (json_int_t)db_column_int64(st, 2), "unit", db_column_text(st, 3), "team",
        db_column_text(st, 4), "plan", db_column_text(st, 5), "budget_wan", db_column_double(st, 6),
        "members", members ? members : json_array(), "filed_on", db_column_text(st, 8),
        "attachments", json_is_array(files) ? files : (json_decref(files), json_array()));
    if (office && reviews_add(db, v, db_column_int64(st, 0), e)) return json_decref(v), NULL;
    return v;
}

json_t *challenge_application_json(struct db *db, const struct actor *a, int64_t app, struct err *e)
{
    struct db_stmt *st = db_prepare(db, APP_COLS " WHERE a.id = ?1 AND (?2 = 1 OR a.unit_id = ?3)");
    if (!st) return err_db(e, DB_ERR, "reading the application"), NULL;
    db_bind_int64(st, 1, app);
    db_bind_int64(st, 2, actor_sees_all(a));
    db_bind_int64(st, 3, a->unit_id);
    int rc = db_step(st);
    json_t *v = rc == DB_ROW ? app_row(db, st, actor_sees_all(a), e) : NULL;
    db_finalize(st);
    if (rc == DB_DONE)
        err_set(e, 404, "not_found", "no application %lld", (long long)app);
    else if (rc != DB_ROW)
        err_db(e, rc, "reading the application");
    return v;
}

json_t *challenge_applications_json(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    int office = actor_sees_all(a);
    if (is_challenge(db, id, !office, e) <= 0) return NULL;
    struct db_stmt *st =
        db_prepare(db, APP_COLS " WHERE a.item_id = ?1 AND (?2 = 1 OR a.unit_id = ?3)"
                                " ORDER BY a.id");
    if (!st) return err_db(e, DB_ERR, "reading the applications"), NULL;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, office);
    db_bind_int64(st, 3, a->unit_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *v = app_row(db, st, office, e);
        if (!v) break;
        json_array_append_new(arr, v);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        if (rc != DB_ROW) err_db(e, rc, "reading the applications");
        return NULL;
    }
    return json_pack("{s:o}", "applications", arr);
}

/* ---- the board ---- */

static json_t *opt_text(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

static json_t *board_row(struct db_stmt *st)
{
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:f, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:I, s:o,"
        " s:o, s:f}",
        "id", (json_int_t)db_column_int64(st, 0), "title", db_column_text(st, 1), "problem",
        db_column_text(st, 2), "owner_unit", db_column_text(st, 3), "field", db_column_text(st, 4),
        "reward_wan", db_column_double(st, 5), "apply_until", db_column_text(st, 6),
        "max_per_applicant", (json_int_t)db_column_int64(st, 7), "expected_results",
        db_column_text(st, 8), "time_frame", db_column_text(st, 9), "phase", db_column_text(st, 10),
        "published_on", opt_text(st, 11), "winner", opt_text(st, 12), "awarded_on",
        opt_text(st, 13), "status", db_column_text(st, 14), "progress",
        (json_int_t)db_column_int64(st, 15), "result", opt_text(st, 16), "verified_on",
        opt_text(st, 17), "disbursed_wan", round(db_column_double(st, 18) * 100) / 100);
}

/* The phase as the board shows it: an open one past its day is closed. */
#define BOARD_PHASE                                                                                \
    "(CASE WHEN c.phase = 'open' AND c.apply_until < ?1 THEN 'closed' ELSE c.phase END)"

json_t *challenge_board_json(struct db *db, struct err *e)
{
    char today[11];
    date_format(time_today(), today);
    struct db_stmt *st = db_prepare(
        db, "SELECT i.id, i.title, c.problem, o.name, c.field, c.reward_wan, c.apply_until,"
            " c.max_per_applicant, c.expected_results, c.time_frame, " BOARD_PHASE ","
            " c.published_on, wu.name, c.awarded_on, i.status, i.progress, c.result,"
            " c.verified_on, (SELECT coalesce(sum(d.amount_wan), 0) FROM challenge_disbursements"
            " d WHERE d.item_id = c.item_id) FROM challenges c JOIN items i ON i.id = c.item_id"
            " JOIN units o ON o.id = c.owner_unit_id LEFT JOIN challenge_applications w"
            " ON w.id = c.winner_id LEFT JOIN units wu ON wu.id = w.unit_id"
            " WHERE c.phase <> 'draft' ORDER BY CASE WHEN " BOARD_PHASE " = 'open' THEN 0"
            " ELSE 1 END, CASE WHEN " BOARD_PHASE " = 'open' THEN c.apply_until ELSE '' END,"
            " i.id DESC");
    if (!st) return err_db(e, DB_ERR, "reading the board"), NULL;
    db_bind_text(st, 1, today, (size_t)-1);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, board_row(st));
    db_finalize(st);
    if (rc != DB_DONE) return json_decref(arr), err_db(e, rc, "reading the board"), NULL;
    return json_pack("{s:s, s:o}", "today", today, "challenges", arr);
}
