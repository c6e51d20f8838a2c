/* kind_challenge.c — the challenge (揭榜挂帅 榜单, DESIGN.md "Challenges")
 * as a row of the kind table: its own table (challenges), its create fields
 * (problem, owner_unit_id, field, reward_wan, apply_until,
 * max_per_applicant, expected_results, time_frame), its JSON part and who
 * else sees it (the units that applied, which see the challenge, never the
 * others' applications nor its internal record).  Its steps are
 * challenge_act.c's; applications and the public board challenge_data.c's.
 *
 * The office creates a challenge (POST /api/v1/items, kind challenge), and so
 * do the handlers of the units the text setting challenge.creator_units names
 * (the science bureau): such a unit is the challenge's author, sees it and
 * edits it while it is a draft; the office publishes it after its internal
 * review.  Its row starts in phase draft, and the item stays a draft until
 * the award. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/challenge.h"
#include "core/inbox.h"
#include "core/item.h"
#include "core/lifecycle.h"
#include "core/setting.h"
#include "core/setting_text.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/arena.h"
#include "util/time.h"

static const char *const challenge_fields[] = {
    "problem",           "owner_unit_id",    "field",      "reward_wan", "apply_until",
    "max_per_applicant", "expected_results", "time_frame", NULL};

/* A challenge's own fields as parsed. */
struct challenge_input {
    const char *problem, *field, *apply_until, *expected, *time_frame;
    int64_t owner_unit_id, max_per_applicant;
    double reward_wan;
};

int challenge_wan_field(json_t *body, const char *name, int required, int zero_ok, double *out,
                        struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) {
        if (required) return err_set(e, 422, "missing_field", "field '%s' is required", name);
        return 0;
    }
    double d = json_is_number(v) ? json_number_value(v) : -1;
    if (!json_is_number(v) || !isfinite(d) || d < 0 || (!zero_ok && d <= 0) ||
        d > CHALLENGE_WAN_MAX)
        return err_set(e, 422, "invalid_field",
                       "'%s' must be a number of 万元 above 0, at most %.0f", name,
                       CHALLENGE_WAN_MAX);
    *out = round(d * 100) / 100;
    return 0;
}

/* The date apply_until: a real date, not in the past. */
static int until_check(const char *s, struct err *e)
{
    int32_t day;
    if (date_parse(s, strlen(s), &day))
        return err_set(e, 422, "invalid_field", "'apply_until' must be a real date as YYYY-MM-DD");
    if (day < time_today())
        return err_set(e, 422, "invalid_field", "'apply_until' must not be in the past");
    return 0;
}

/* Parse and check the body's challenge fields into c (the same answer each
 * time: create checks, after_create stores). */
static int challenge_read(struct db *db, json_t *body, struct challenge_input *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    c->max_per_applicant = 1;
    if (text_field(body, "problem", CHALLENGE_TEXT_MAX, 1, &c->problem, e) ||
        text_field(body, "field", 100, 1, &c->field, e) ||
        text_field(body, "apply_until", 10, 1, &c->apply_until, e) ||
        text_field(body, "expected_results", CHALLENGE_TEXT_MAX, 0, &c->expected, e) ||
        text_field(body, "time_frame", 200, 0, &c->time_frame, e) ||
        challenge_wan_field(body, "reward_wan", 1, 0, &c->reward_wan, e) ||
        text_int_field(body, "owner_unit_id", 1, INT64_MAX, &c->owner_unit_id, e) ||
        text_int_field(body, "max_per_applicant", 1, 20, &c->max_per_applicant, e) ||
        until_check(c->apply_until, e))
        return -1;
    if (!c->owner_unit_id)
        return err_set(e, 422, "missing_field",
                       "field 'owner_unit_id' is required: the unit that posts the problem");
    int rc = unit_exists(db, c->owner_unit_id);
    if (rc < 0) return err_db(e, rc, "checking units");
    if (!rc)
        return err_set(e, 422, "invalid_field", "no unit with id %lld",
                       (long long)c->owner_unit_id),
               err_detail(e, "unit");
    return 0;
}

static int office(const struct actor *a)
{
    return (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0;
}

/* 1 when a's unit is one the text setting challenge.creator_units names
 * (comma-separated codes, unknown ones skipped), 0 when not, -1 with e. */
static int author_unit(struct db *db, const struct actor *a, struct err *e)
{
    struct arena *ar = arena_new();
    const char *codes = NULL;
    if (setting_text(db, "challenge.creator_units", ar, &codes, e)) return arena_free(ar), -1;
    char list[4 * SETTING_TEXT_MAX + 1]; /* characters of up to 4 bytes */
    snprintf(list, sizeof list, "%s", codes && *codes ? codes : CHALLENGE_CREATOR_UNITS);
    arena_free(ar);
    char *save = NULL;
    for (char *c = strtok_r(list, ", ", &save); c; c = strtok_r(NULL, ", ", &save)) {
        int64_t id = unit_id_by_code(db, c);
        if (id < 0) return err_db(e, (int)id, "reading the units");
        if (id && id == a->unit_id) return 1;
    }
    return 0;
}

/* Who drafts a challenge: the office, or a handler of a unit the setting
 * challenge.creator_units names.  0, or -1 with e (403 forbidden). */
static int author_check(struct db *db, const struct actor *a, struct err *e)
{
    if (office(a)) return 0;
    int rc = (a->roles & ROLE_HANDLER) && a->unit_id ? author_unit(db, a, e) : 0;
    if (rc < 0) return -1;
    if (!rc)
        return err_set(e, 403, "forbidden",
                       "a challenge is drafted by the office or by a handler of a unit the "
                       "setting challenge.creator_units names"),
               err_detail(e, "challenge_author");
    return 0;
}

/* The office or the science bureau gives the problem; whoever wins it
 * leads, at the award. */
static int challenge_create(struct db *db, const struct actor *a, struct item_input *in,
                            struct err *e)
{
    struct challenge_input c;
    if (author_check(db, a, e) || challenge_read(db, in->body, &c, e)) return -1;
    if (in->lead_unit_id || in->n_co)
        return err_set(e, 422, "invalid_field",
                       "a challenge has no lead unit until it is awarded: the winner's leads");
    return 0;
}

static void bind_text(struct db_stmt *st, int i, const char *s)
{
    db_bind_text(st, i, s ? s : "", (size_t)-1);
}

static int challenge_after_create(struct db *db, const struct actor *a, int64_t id,
                                  const struct item_input *in, json_t *data, struct err *e)
{
    struct challenge_input c;
    if (challenge_read(db, in->body, &c, e)) return -1;
    int64_t author = office(a) ? 0 : a->unit_id; /* the office's own: no author unit */
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO challenges (item_id, problem, owner_unit_id, field, reward_wan,"
            " apply_until, max_per_applicant, expected_results, time_frame, author_unit_id)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st) return err_db(e, DB_ERR, "creating a challenge");
    db_bind_int64(st, 1, id);
    bind_text(st, 2, c.problem);
    db_bind_int64(st, 3, c.owner_unit_id);
    bind_text(st, 4, c.field);
    db_bind_double(st, 5, c.reward_wan);
    bind_text(st, 6, c.apply_until);
    db_bind_int64(st, 7, c.max_per_applicant);
    bind_text(st, 8, c.expected);
    bind_text(st, 9, c.time_frame);
    if (author)
        db_bind_int64(st, 10, author);
    else
        db_bind_null(st, 10);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "creating a challenge");
    json_object_set_new(data, "challenge",
                        json_pack("{s:s, s:I, s:s, s:f, s:s, s:I, s:s, s:s}", "problem", c.problem,
                                  "owner_unit_id", (json_int_t)c.owner_unit_id, "field", c.field,
                                  "reward_wan", c.reward_wan, "apply_until", c.apply_until,
                                  "max_per_applicant", (json_int_t)c.max_per_applicant,
                                  "expected_results", c.expected ? c.expected : "", "time_frame",
                                  c.time_frame ? c.time_frame : ""));
    json_object_set_new(json_object_get(data, "challenge"), "author_unit_id",
                        author ? json_integer(author) : json_null());
    return 0;
}

static json_t *opt_text(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

/* The payments, oldest first. */
static json_t *disbursements_json(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, amount_wan, note, paid_on FROM"
                                        " challenge_disbursements WHERE item_id = ?1 ORDER BY id");
    if (!st) return err_db(e, DB_ERR, "reading the payments"), NULL;
    db_bind_int64(st, 1, id);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:f, s:s, s:s}", "id",
                                             (json_int_t)db_column_int64(st, 0), "amount_wan",
                                             db_column_double(st, 1), "note", db_column_text(st, 2),
                                             "paid_on", db_column_text(st, 3)));
    db_finalize(st);
    if (rc != DB_DONE) return json_decref(arr), err_db(e, rc, "reading the payments"), NULL;
    return arr;
}

/* The winner: the awarded application and its unit, or null. */
static json_t *winner_json(struct db_stmt *st)
{
    if (db_column_is_null(st, 11)) return json_null();
    return json_pack("{s:I, s:I, s:s}", "application_id", (json_int_t)db_column_int64(st, 11),
                     "unit_id", (json_int_t)db_column_int64(st, 12), "unit",
                     db_column_text(st, 13));
}

/* The challenge's part of the item's JSON: the published fields, the
 * phase, the winner, the acceptance and the payments. */
static json_t *challenge_json(struct db *db, int64_t id, struct err *e)
{
    struct challenge_row r;
    if (challenge_row_load(db, id, &r, e)) return NULL;
    struct db_stmt *st = db_prepare(
        db, "SELECT c.problem, c.owner_unit_id, o.name, c.field, c.reward_wan, c.apply_until,"
            " c.max_per_applicant, c.expected_results, c.time_frame, c.published_on,"
            " c.closed_on, c.winner_id, w.unit_id, wu.name, c.awarded_on, c.result, c.report,"
            " c.verified_on, (SELECT count(*) FROM challenge_applications x WHERE x.item_id ="
            " c.item_id), c.author_unit_id FROM challenges c JOIN units o ON o.id = c.owner_unit_id"
            " LEFT JOIN challenge_applications w ON w.id = c.winner_id"
            " LEFT JOIN units wu ON wu.id = w.unit_id WHERE c.item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the challenge"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    json_t *v = NULL;
    if (rc == DB_ROW)
        v = json_pack("{s:s, s:I, s:s, s:s, s:f, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o,"
                      " s:o, s:o, s:o, s:I, s:f}",
                      "problem", db_column_text(st, 0), "owner_unit_id",
                      (json_int_t)db_column_int64(st, 1), "owner_unit", db_column_text(st, 2),
                      "field", db_column_text(st, 3), "reward_wan", db_column_double(st, 4),
                      "apply_until", db_column_text(st, 5), "max_per_applicant",
                      (json_int_t)db_column_int64(st, 6), "expected_results", db_column_text(st, 7),
                      "time_frame", db_column_text(st, 8), "phase", r.phase, "published_on",
                      opt_text(st, 9), "closed_on", opt_text(st, 10), "winner", winner_json(st),
                      "awarded_on", opt_text(st, 14), "result", opt_text(st, 15), "report",
                      opt_text(st, 16), "verified_on", opt_text(st, 17), "applications",
                      (json_int_t)db_column_int64(st, 18), "disbursed_wan", r.disbursed_wan);
    if (v) /* the unit that drafted it (the science bureau), null for the office */
        json_object_set_new(v, "author_unit_id",
                            db_column_is_null(st, 19) ? json_null()
                                                      : json_integer(db_column_int64(st, 19)));
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading the challenge"), NULL;
    json_t *paid = disbursements_json(db, id, e);
    if (!paid) return json_decref(v), NULL;
    json_object_set_new(v, "disbursements", paid);
    return v;
}

/* A unit that applied sees the challenge (its status, the award); never
 * the others' applications nor the internal record.  No capacity: it
 * files and reads its applications through their own routes.  The unit
 * that drafted it (author_unit_id) sees it too, and its handlers hold the
 * author's capacity (the lifecycle's "author" rows: edit the draft). */
static int challenge_visible(struct db *db, const struct actor *a, int64_t id, int *sees,
                             unsigned *caps)
{
    struct db_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM challenge_applications"
                                        " WHERE item_id = ?1 AND unit_id = ?2),"
                                        " (SELECT count(*) FROM challenges WHERE item_id = ?1"
                                        " AND author_unit_id = ?2)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, a->unit_id);
    int rc = db_step(st);
    int author = rc == DB_ROW && a->unit_id && db_column_int64(st, 1) > 0;
    *sees = rc == DB_ROW && a->unit_id && (db_column_int64(st, 0) > 0 || author);
    *caps = author && (a->roles & ROLE_HANDLER) ? LC_AUTHOR : 0;
    db_finalize(st);
    return rc == DB_ROW ? DB_OK : rc;
}

/* The reviewers' 待评分 (to_score): challenges whose applications are
 * closed (by the office, or apply_until before TODAY) and not awarded, with
 * an application the caller (USER, a user id) has not scored.  Read from
 * the challenges' index range (items_kind): `status || ''` keeps SQLite off
 * items_status, whose draft range holds every new item of the city (the
 * count is in every page's navigation). */
#define CHALLENGE_TO_SCORE(USER, TODAY)                                                            \
    " WHERE i.kind = 'challenge' AND i.status || '' = 'draft' AND EXISTS (SELECT 1 FROM"           \
    " challenges c"                                                                                \
    " WHERE c.item_id = i.id AND (c.phase = 'closed' OR (c.phase = 'open'"                         \
    " AND c.apply_until < " TODAY "))) AND EXISTS (SELECT 1 FROM challenge_applications ap"        \
    " WHERE ap.item_id = i.id AND NOT EXISTS (SELECT 1 FROM challenge_reviews rv"                  \
    " WHERE rv.application_id = ap.id AND rv.reviewer_id = " USER "))"

static struct db_stmt *challenge_to_score(struct db *db)
{
    return db_prepare(db,
                      INBOX_SELECT_WHY("'apply'") CHALLENGE_TO_SCORE("?3", "?1") " ORDER BY i.id");
}

static int challenge_to_score_count(struct db *db, int64_t user, int64_t *n)
{
    char today[11];
    date_format(time_today(), today);
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM items i" CHALLENGE_TO_SCORE("?1", "?2"));
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, user);
    db_bind_text(st, 2, today, strlen(today));
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* Reviewers are the office and the leaders (the lifecycle's review rows). */
static const struct kind_inbox challenge_inbox[] = {
    {"to_score", ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER, challenge_to_score,
     challenge_to_score_count, 1},
    {NULL, 0, NULL, NULL, 0},
};

const struct kind kind_challenge = {
    .name = "challenge",
    .label_zh = "榜单",
    .label_en = "Challenge",
    .table = "challenges",
    .creatable = 1,
    .unit_creates = 1,
    .create_fields = challenge_fields,
    .create = challenge_create,
    .after_create = challenge_after_create,
    .steps = challenge_steps,
    .json = challenge_json,
    .visible = challenge_visible,
    .inbox = challenge_inbox,
    .replay = challenge_replay,
    .replay_check = challenge_replay_check,
};
