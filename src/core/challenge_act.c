/* challenge_act.c — the challenge's steps (kind.h's kind_step): its own
 * actions publish, close_applications, review, award and disburse, and its
 * part of assign (refused: a challenge is assigned by its award), edit (its
 * author unit's only while a draft), cancel
 * (an open challenge closes without a winner) and verify (the acceptance's
 * result and report, 验收).  Each records what it set in the event's data.
 * What a challenge is and who sees it is kind_challenge.c's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/challenge.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "util/time.h"

static void today_text(char out[11])
{
    date_format(time_today(), out);
}

int challenge_row_load(struct db *db, int64_t id, struct challenge_row *r, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT phase, apply_until, reward_wan, max_per_applicant, coalesce(winner_id, 0),"
            " (SELECT coalesce(sum(amount_wan), 0) FROM challenge_disbursements d"
            " WHERE d.item_id = c.item_id) FROM challenges c WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the challenge");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(r->phase, sizeof r->phase, "%s", db_column_text(st, 0));
        snprintf(r->apply_until, sizeof r->apply_until, "%s", db_column_text(st, 1));
        r->reward_wan = db_column_double(st, 2);
        r->max_per_applicant = db_column_int64(st, 3);
        r->winner_id = db_column_int64(st, 4);
        r->disbursed_wan = round(db_column_double(st, 5) * 100) / 100;
        char today[11];
        today_text(today);
        if (!strcmp(r->phase, "open") && strcmp(today, r->apply_until) > 0)
            snprintf(r->phase, sizeof r->phase, "closed");
    }
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 500, "internal", "the challenge has no row");
    return rc == DB_ROW ? 0 : err_db(e, rc, "reading the challenge");
}

/* Run st (prepared by the caller; NULL when that failed) with ?1 the item
 * and ?2 text (NULL: SQL NULL); finalized here. */
static int row_set(struct db_stmt *st, int64_t id, const char *text, struct err *e)
{
    int rc = db_run_id_text(st, id, text);
    return rc == DB_DONE ? 0 : err_db(e, rc, "recording the challenge");
}

/* The phase must be want ("draft", "open", "closed"), or 409 code. */
static int phase_is(struct kind_act *x, const char *want, const char *code, const char *msg,
                    struct err *e)
{
    struct challenge_row r;
    if (challenge_row_load(x->db, x->id, &r, e)) return -1;
    if (strcmp(r.phase, want)) return err_set(e, 409, code, "%s", msg);
    return 0;
}

/* ---- publish, close_applications ---- */

static int publish_may(struct kind_act *x, struct err *e)
{
    return phase_is(x, "draft", "invalid_transition", "the challenge is published already", e);
}

static int challenge_publish(struct kind_act *x, struct err *e)
{
    const char *note = NULL;
    char today[11];
    today_text(today);
    if (text_field(x->body, "note", CHALLENGE_TEXT_MAX, 0, &note, e) ||
        row_set(db_prepare(x->db, "UPDATE challenges SET phase = 'open', published_on = ?2"
                                  " WHERE item_id = ?1"),
                x->id, today, e))
        return -1;
    if (note) json_object_set_new(x->data, "note", json_string(note));
    json_object_set_new(x->data, "phase", json_string("open"));
    return 0;
}

static int close_may(struct kind_act *x, struct err *e)
{
    return phase_is(x, "open", "applications_closed", "the challenge takes no applications now", e);
}

static int challenge_close(struct kind_act *x, struct err *e)
{
    char today[11];
    today_text(today);
    if (row_set(db_prepare(x->db, "UPDATE challenges SET phase = 'closed', closed_on = ?2"
                                  " WHERE item_id = ?1"),
                x->id, today, e))
        return -1;
    json_object_set_new(x->data, "phase", json_string("closed"));
    return 0;
}

/* ---- review, award ---- */

static int closed_may(struct kind_act *x, struct err *e)
{
    return phase_is(x, "closed", "applications_open",
                    "applications are reviewed and awarded once they are closed", e);
}

/* The application named by the body: one of this challenge's, its unit
 * into *unit.  0, or -1 with e. */
static int application_of(struct kind_act *x, int64_t *app, int64_t *unit, struct err *e)
{
    json_t *v = json_object_get(x->body, "application_id");
    if (!v || json_is_null(v))
        return err_set(e, 422, "missing_field", "field 'application_id' is required");
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return err_set(e, 422, "invalid_field", "'application_id' must be an application's id");
    *app = json_integer_value(v);
    struct db_stmt *st = db_prepare(x->db, "SELECT unit_id FROM challenge_applications"
                                           " WHERE id = ?1 AND item_id = ?2");
    if (!st) return err_db(e, DB_ERR, "reading the application");
    db_bind_int64(st, 1, *app);
    db_bind_int64(st, 2, x->id);
    int rc = db_step(st);
    if (rc == DB_ROW) *unit = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_DONE)
        return err_set(e, 422, "invalid_field", "no application %lld to this challenge",
                       (long long)*app);
    return rc == DB_ROW ? 0 : err_db(e, rc, "reading the application");
}

static int review_insert(struct kind_act *x, int64_t app, int64_t score, const char *comment,
                         struct err *e)
{
    struct db_stmt *st = db_prepare(x->db, "SELECT count(*) FROM challenge_reviews WHERE"
                                           " application_id = ?1 AND reviewer_id = ?2");
    if (!st) return err_db(e, DB_ERR, "reading the reviews");
    db_bind_int64(st, 1, app);
    db_bind_int64(st, 2, x->a->user_id);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "reading the reviews");
    if (n) return err_set(e, 409, "already_reviewed", "you have reviewed this application already");
    st = db_prepare(x->db, "INSERT INTO challenge_reviews (application_id, reviewer_id, score,"
                           " comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return err_db(e, DB_ERR, "recording the review");
    db_bind_int64(st, 1, app);
    db_bind_int64(st, 2, x->a->user_id);
    db_bind_int64(st, 3, score);
    db_bind_text(st, 4, comment ? comment : "", (size_t)-1);
    db_bind_int64(st, 5, time_now_ms());
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "recording the review");
}

static int challenge_review(struct kind_act *x, struct err *e)
{
    int64_t app = 0, unit = 0;
    const char *comment = NULL;
    json_t *s = json_object_get(x->body, "score");
    if (!x->a->user_id) return err_set(e, 403, "forbidden", "a review is a person's");
    if (application_of(x, &app, &unit, e) ||
        text_field(x->body, "comment", CHALLENGE_TEXT_MAX, 0, &comment, e))
        return -1;
    if (!s || json_is_null(s)) return err_set(e, 422, "missing_field", "field 'score' is required");
    if (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 100)
        return err_set(e, 422, "invalid_field", "'score' must be an integer from 0 to 100");
    if (review_insert(x, app, json_integer_value(s), comment, e)) return -1;
    json_object_set_new(x->data, "application_id", json_integer(app));
    json_object_set_new(x->data, "score", json_integer(json_integer_value(s)));
    if (comment) json_object_set_new(x->data, "comment", json_string(comment));
    return 0;
}

/* The winner's unit leads; the generic assign step (the award's) then
 * takes the deadline and starts the work. */
static int challenge_award(struct kind_act *x, struct err *e)
{
    int64_t app = 0, unit = 0;
    char today[11];
    today_text(today);
    if (application_of(x, &app, &unit, e)) return -1;
    struct db_stmt *st = db_prepare(x->db, "UPDATE challenges SET phase = 'awarded',"
                                           " winner_id = ?2, awarded_on = ?3 WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "awarding");
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, app);
    db_bind_text(st, 3, today, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "awarding");
    x->lead_unit_id = unit;
    json_object_set_new(x->data, "application_id", json_integer(app));
    json_object_set_new(x->data, "winner_unit_id", json_integer(unit));
    return 0;
}

/* ---- assign, cancel, verify, disburse ---- */

static int assign_may(struct kind_act *x, struct err *e)
{
    (void)x;
    return err_set(e, 409, "invalid_transition",
                   "a challenge is assigned by its award: the winner's unit leads");
}

/* The unit that drafted the challenge edits it while it is a draft; once
 * published only the office does. */
static int edit_may(struct kind_act *x, struct err *e)
{
    if (x->role != LC_AUTHOR) return 0;
    return phase_is(x, "draft", "invalid_transition",
                    "the challenge is published: only the office edits it now", e);
}

/* Until the award a challenge has no units of its own, as at its creation. */
static int challenge_edit(struct kind_act *x, struct err *e)
{
    if (!strcmp(x->from, "draft") && json_array_size(json_object_get(x->body, "co_unit_ids")))
        return err_set(e, 422, "invalid_field",
                       "a challenge has no cooperating units until it is awarded");
    return 0;
}

/* An open or closed challenge cancelled has no winner (流榜). */
static int challenge_cancel(struct kind_act *x, struct err *e)
{
    if (row_set(db_prepare(x->db, "UPDATE challenges SET phase = 'none' WHERE item_id = ?1"
                                  " AND phase IN ('open','closed') AND ?2 IS NULL"),
                x->id, NULL, e))
        return -1;
    if (db_changes(x->db)) json_object_set_new(x->data, "phase", json_string("none"));
    return 0;
}

static int challenge_verify(struct kind_act *x, struct err *e)
{
    const char *result = NULL, *report = NULL;
    if (text_field(x->body, "result", 10, 1, &result, e) ||
        text_field(x->body, "report", CHALLENGE_TEXT_MAX, 1, &report, e))
        return -1;
    if (strcmp(result, "pass") && strcmp(result, "fail"))
        return err_set(e, 422, "invalid_field", "'result' must be pass or fail");
    char today[11];
    today_text(today);
    if (row_set(db_prepare(x->db, "UPDATE challenges SET result = ?2 WHERE item_id = ?1"), x->id,
                result, e) ||
        row_set(db_prepare(x->db, "UPDATE challenges SET report = ?2 WHERE item_id = ?1"), x->id,
                report, e) ||
        row_set(db_prepare(x->db, "UPDATE challenges SET verified_on = ?2 WHERE item_id = ?1"),
                x->id, today, e))
        return -1;
    json_object_set_new(x->data, "result", json_string(result));
    json_object_set_new(x->data, "report", json_string(report));
    return 0;
}

static int disburse_insert(struct kind_act *x, double amount, const char *note, struct err *e)
{
    char today[11];
    today_text(today);
    struct db_stmt *st = db_prepare(
        x->db, "INSERT INTO challenge_disbursements (item_id, amount_wan, note, paid_on, user_id,"
               " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return err_db(e, DB_ERR, "recording the payment");
    db_bind_int64(st, 1, x->id);
    db_bind_double(st, 2, amount);
    db_bind_text(st, 3, note ? note : "", (size_t)-1);
    db_bind_text(st, 4, today, (size_t)-1);
    if (x->a->user_id)
        db_bind_int64(st, 5, x->a->user_id);
    else
        db_bind_null(st, 5);
    db_bind_int64(st, 6, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "recording the payment");
}

/* A tranche: the total paid never passes the reward (counted in 0.01 万元). */
static int challenge_disburse(struct kind_act *x, struct err *e)
{
    double amount = 0;
    const char *note = NULL;
    struct challenge_row r;
    if (challenge_wan_field(x->body, "amount_wan", 1, 0, &amount, e) ||
        text_field(x->body, "note", CHALLENGE_TEXT_MAX, 0, &note, e) ||
        challenge_row_load(x->db, x->id, &r, e))
        return -1;
    long long paid = llround(r.disbursed_wan * 100), add = llround(amount * 100),
              reward = llround(r.reward_wan * 100);
    if (paid + add > reward)
        return err_set(e, 409, "reward_exceeded",
                       "%.2f 万元 more would pay %.2f of a reward of %.2f 万元", amount,
                       (double)(paid + add) / 100, r.reward_wan);
    if (disburse_insert(x, amount, note, e)) return -1;
    json_object_set_new(x->data, "amount_wan", json_real(amount));
    if (note) json_object_set_new(x->data, "note", json_string(note));
    json_object_set_new(x->data, "total_wan", json_real((double)(paid + add) / 100));
    return 0;
}

/* Sorted by action. */
const struct kind_step challenge_steps[] = {
    {"assign", NULL, NULL, assign_may},
    {"award", challenge_award, NULL, closed_may},
    {"cancel", NULL, challenge_cancel, NULL},
    {"close_applications", challenge_close, NULL, close_may},
    {"disburse", challenge_disburse, NULL, NULL},
    {"edit", challenge_edit, NULL, edit_may},
    {"publish", challenge_publish, NULL, publish_may},
    {"review", challenge_review, NULL, closed_may},
    {"verify", challenge_verify, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};
