/* challenge_replay.c — what a challenge's events vouch for of its rows, and
 * `luoshi verify`'s check of them (the kind's replay hooks, kind.h).  The
 * create event carries the published fields; publish, close_applications,
 * award and a cancel before the award move the phase (award names the
 * winning application); verify carries the acceptance's result and report;
 * each apply, review and disburse adds one row (disburse with the running
 * total); since migration 028 the create event names the unit that drafted
 * it (author_unit_id, null for the office).  The days (published_on …) are the events' own times
 * and are not compared. */
#include <math.h>
#include <string.h>

#include "core/challenge.h"

static void fold(json_t *state, const char *key, json_t *data, const char *field)
{
    json_t *v = json_object_get(data, field);
    json_object_set(state, key, v ? v : json_null());
}

static void count(json_t *state, const char *key)
{
    json_object_set_new(state, key,
                        json_integer(json_integer_value(json_object_get(state, key)) + 1));
}

static void create_fold(json_t *state, json_t *data)
{
    static const char *const keys[] = {"problem",          "owner_unit_id", "field",
                                       "reward_wan",       "apply_until",   "max_per_applicant",
                                       "expected_results", "time_frame"};
    json_t *c = json_object_get(data, "challenge");
    if (!json_is_object(c)) return; /* not one this code made */
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        fold(state, keys[i], c, keys[i]);
    if (json_object_get(c, "author_unit_id")) /* since migration 028 */
        fold(state, "author_unit_id", c, "author_unit_id");
    json_object_set_new(state, "phase", json_string("draft"));
    json_object_set_new(state, "winner_id", json_null());
    json_object_set_new(state, "result", json_null());
    json_object_set_new(state, "report", json_null());
    json_object_set_new(state, "applications", json_integer(0));
    json_object_set_new(state, "reviews", json_integer(0));
    json_object_set_new(state, "disbursed_wan", json_real(0));
}

void challenge_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data)
{
    (void)seq, (void)at;
    if (!strcmp(action, "create")) {
        create_fold(state, data);
    } else if (json_is_string(json_object_get(data, "phase"))) { /* publish, close, cancel */
        fold(state, "phase", data, "phase");
    }
    if (!strcmp(action, "award")) {
        json_object_set_new(state, "phase", json_string("awarded"));
        fold(state, "winner_id", data, "application_id");
    } else if (!strcmp(action, "verify")) {
        fold(state, "result", data, "result");
        fold(state, "report", data, "report");
    } else if (!strcmp(action, "apply")) {
        count(state, "applications");
    } else if (!strcmp(action, "review")) {
        count(state, "reviews");
    } else if (!strcmp(action, "disburse")) {
        fold(state, "disbursed_wan", data, "total_wan");
    }
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : verify_text_json(db_column_text(st, col));
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int64(st, col));
}

int challenge_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT problem, owner_unit_id, field, reward_wan, apply_until, max_per_applicant,"
            " expected_results, time_frame, phase, winner_id, result, report,"
            " (SELECT count(*) FROM challenge_applications a WHERE a.item_id = c.item_id),"
            " (SELECT count(*) FROM challenge_reviews r JOIN challenge_applications a"
            " ON a.id = r.application_id WHERE a.item_id = c.item_id),"
            " (SELECT coalesce(sum(amount_wan), 0) FROM challenge_disbursements d"
            " WHERE d.item_id = c.item_id), author_unit_id FROM challenges c WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        json_t *row = json_pack(
            "{s:o,s:I,s:o,s:f,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:f}", "problem",
            text_or_null(st, 0), "owner_unit_id", (json_int_t)db_column_int64(st, 1), "field",
            text_or_null(st, 2), "reward_wan", db_column_double(st, 3), "apply_until",
            text_or_null(st, 4), "max_per_applicant", (json_int_t)db_column_int64(st, 5),
            "expected_results", text_or_null(st, 6), "time_frame", text_or_null(st, 7), "phase",
            text_or_null(st, 8), "winner_id", int_or_null(st, 9), "result", text_or_null(st, 10),
            "report", text_or_null(st, 11), "applications", (json_int_t)db_column_int64(st, 12),
            "reviews", (json_int_t)db_column_int64(st, 13), "disbursed_wan",
            round(db_column_double(st, 14) * 100) / 100);
        json_object_set_new(row, "author_unit_id", int_or_null(st, 15));
        verify_fields(v, id, "challenge ", "challenge row", state, row);
        json_decref(row);
    } else if (rc == DB_DONE) {
        verify_problem(v, "item %lld: its challenge row is missing", (long long)id);
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
