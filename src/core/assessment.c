/* assessment.c — the 考核 rules per year and the manual entries (see
 * assessment.h); the score itself is assessment_score.c's.  Rules are
 * settings rows written through setting_write (the configuration chain);
 * entries are rows of the append-only assessment_entries, checked here
 * before they are written, since nothing written can be changed. */
#include "core/assessment.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/setting.h"
#include "core/text.h"
#include "util/str.h"
#include "util/time.h"

static const struct assessment_rule_def defs[ASSESS_RULES] = {
    [ASSESS_BASE] = {"base", 0, 1000, 100, 0},
    [ASSESS_CRITICISM_REDS] = {"criticism_reds", 0, 100, 3, 0},
    [ASSESS_ESCALATION_GENERAL] = {"escalation_general", -100, 0, 0, 0},
    [ASSESS_ESCALATION_KEY] = {"escalation_key", -100, 0, -1, 0},
    [ASSESS_ESCALATION_LISTED] = {"escalation_listed", -100, 0, -2, 0},
    [ASSESS_EVALUATION_MAX] = {"evaluation_max", 0, 100, 20, 0},
    [ASSESS_LATE_FEEDBACK] = {"late_feedback", -100, 0, -1, 1},
    [ASSESS_LATE_SIGNING] = {"late_signing", -100, 0, -1, 0},
    [ASSESS_LETTER_YELLOWS] = {"letter_yellows", 0, 100, 2, 0},
    [ASSESS_NO_SUBSTANCE] = {"no_substance", -100, 0, -5, 0},
    [ASSESS_OVERDUE] = {"overdue", -100, 0, -2, 1},
    [ASSESS_REJECTED] = {"rejected", -100, 0, -1, 0},
    [ASSESS_TALK_REDS] = {"talk_reds", 0, 100, 1, 0},
    [ASSESS_UNSATISFIED] = {"unsatisfied", -100, 0, -1, 0},
};

#define REASON_MAX   1000
#define EVIDENCE_MAX 2000

/* Sorted by name. */
static const char *const labels[][2] = {
    {"base", "基础分"},
    {"bonus", "加分"},
    {"deduction", "扣分"},
    {"escalation_general", "一般督办"},
    {"escalation_key", "重点督办"},
    {"escalation_listed", "挂牌督办"},
    {"evaluation", "领导评价"},
    {"evaluation_max", "领导评价满分"},
    {"late_feedback", "反馈逾期"},
    {"late_signing", "签收超时"},
    {"no_substance", "反馈无实质内容"},
    {"overdue", "逾期未办结"},
    {"rejected", "提交被退回"},
    {"unsatisfied", "不满意评价"},
    {"withdrawal", "撤销"},
};

const char *assessment_label_zh(const char *name)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i][0], name)) return labels[i][1];
    return name;
}

const struct assessment_rule_def *assessment_rule_defs(void)
{
    return defs;
}

static int rule_find(const char *name)
{
    for (int i = 0; i < ASSESS_RULES; i++)
        if (!strcmp(defs[i].name, name)) return i;
    return -1;
}

int assessment_rules_load(struct db *db, int year, struct assessment_rules *r)
{
    char lo[40], hi[40];
    memset(r, 0, sizeof *r);
    r->year = year;
    for (int i = 0; i < ASSESS_RULES; i++)
        r->points[i] = defs[i].def;
    /* every key of the year sorts between "assessment.YYYY." and "assessment.YYYY/" */
    snprintf(lo, sizeof lo, "assessment.%04d.", year);
    snprintf(hi, sizeof hi, "assessment.%04d/", year);
    struct db_stmt *st =
        db_prepare(db, "SELECT key, value FROM settings WHERE key > ?1 AND key < ?2 ORDER BY key");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, lo, (size_t)-1);
    db_bind_text(st, 2, hi, (size_t)-1);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int k = rule_find(db_column_text(st, 0) + strlen(lo));
        const char *s = db_column_text(st, 1);
        int64_t n;
        if (k < 0 || !s || str_to_int64(s, strlen(s), &n) || n < defs[k].min || n > defs[k].max)
            continue;
        r->points[k] = (double)n;
        r->set[k] = 1;
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

json_t *assessment_rules_json(struct db *db, int year, struct err *e)
{
    struct assessment_rules r;
    int rc = assessment_rules_load(db, year, &r);
    if (rc != DB_OK) return err_db(e, rc, "reading the assessment rules"), NULL;
    json_t *rows = json_array();
    for (int i = 0; i < ASSESS_RULES; i++) {
        int ledger = defs[i].ledger && !r.set[i];
        json_array_append_new(
            rows, json_pack("{s:s,s:o,s:o,s:b,s:i,s:i}", "rule", defs[i].name, "points",
                            ledger ? json_null() : json_integer((json_int_t)r.points[i]), "default",
                            defs[i].ledger ? json_null() : json_integer(defs[i].def), "set",
                            r.set[i], "min", defs[i].min, "max", defs[i].max));
    }
    return json_pack("{s:i,s:o}", "year", year, "rules", rows);
}

int assessment_rules_set(struct db *db, const struct actor *a, int year, json_t *values,
                         struct err *e)
{
    const char *name;
    json_t *v;
    if (!json_is_object(values) || !json_object_size(values))
        return err_set(e, 422, "invalid_field", "send {rule: integer points, …}");
    json_object_foreach(values, name, v)
    {
        int k = rule_find(name);
        if (k < 0) return err_set(e, 422, "invalid_field", "'%s' is not an assessment rule", name);
        if (!json_is_integer(v) || json_integer_value(v) < defs[k].min ||
            json_integer_value(v) > defs[k].max)
            return err_set(e, 422, "invalid_field", "'%s' must be an integer from %d to %d", name,
                           defs[k].min, defs[k].max);
    }
    json_object_foreach(values, name, v)
    {
        char key[64], text[24];
        snprintf(key, sizeof key, "assessment.%04d.%s", year, name);
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        if (setting_write(db, a, key, text, e)) return -1;
    }
    return 0;
}

/* What an entry to add says, read from the body. */
struct entry_in {
    int64_t unit_id, item_id, meeting_id, withdraws;
    int year;
    const char *kind, *reason, *evidence;
    double points;
    int has_points;
};

/* An optional positive id field into *out (0 when absent). */
static int id_field(json_t *body, const char *name, int64_t *out, struct err *e)
{
    json_t *v = json_object_get(body, name);
    *out = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return err_set(e, 422, "invalid_field", "'%s' must be a positive integer id", name);
    *out = json_integer_value(v);
    return 0;
}

static int entry_parse(json_t *body, struct entry_in *in, struct err *e)
{
    static const char *const known[] = {"unit_id",    "points", "reason",    "item_id", "year",
                                        "meeting_id", "kind",   "withdraws", "evidence"};
    const char *key;
    json_t *v;
    if (!json_is_object(body)) return err_set(e, 422, "invalid_field", "send a JSON object");
    json_object_foreach(body, key, v)
    {
        size_t i = 0;
        while (i < sizeof known / sizeof known[0] && strcmp(known[i], key))
            i++;
        if (i == sizeof known / sizeof known[0])
            return err_set(e, 422, "invalid_field", "'%s' is not a field of an entry", key);
    }
    memset(in, 0, sizeof *in);
    int y, m, d;
    date_split(time_today(), &y, &m, &d);
    in->year = y;
    if (id_field(body, "unit_id", &in->unit_id, e) || id_field(body, "item_id", &in->item_id, e) ||
        id_field(body, "meeting_id", &in->meeting_id, e) ||
        id_field(body, "withdraws", &in->withdraws, e) ||
        text_field(body, "reason", REASON_MAX, 1, &in->reason, e) ||
        text_field(body, "kind", 20, 0, &in->kind, e) ||
        text_field(body, "evidence", EVIDENCE_MAX, 0, &in->evidence, e))
        return -1;
    if ((v = json_object_get(body, "year"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 2000 || json_integer_value(v) > 9998)
            return err_set(e, 422, "invalid_field", "'year' must be from 2000 to 9998");
        in->year = (int)json_integer_value(v);
    }
    if ((v = json_object_get(body, "points"))) {
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return err_set(e, 422, "invalid_field", "'points' must be a number");
        in->points = json_number_value(v);
        in->has_points = 1;
    }
    return 0;
}

enum ref { REF_UNIT, REF_ITEM, REF_MEETING };

/* 1 when the referenced row id exists (a unit: an assessed one), 0 when
 * not, or a negative db code. */
static int row_exists(struct db *db, enum ref which, int64_t id)
{
    int64_t n;
    int rc = which == REF_UNIT ? db_query_int64(db,
                                                "SELECT id FROM units WHERE id = ?1"
                                                " AND kind IN ('department','taskforce','town')",
                                                1, id, &n)
             : which == REF_ITEM
                 ? db_query_int64(db, "SELECT id FROM items WHERE id = ?1", 1, id, &n)
                 : db_query_int64(db, "SELECT id FROM meetings WHERE id = ?1", 1, id, &n);
    return rc == DB_OK ? 1 : rc == DB_DONE ? 0 : rc;
}

/* The references an entry names exist: an assessed unit, the item, the meeting. */
static int entry_refs_check(struct db *db, const struct entry_in *in, struct err *e)
{
    int rc = row_exists(db, REF_UNIT, in->unit_id);
    if (rc < 0) return err_db(e, rc, "reading the unit");
    if (!rc)
        return err_set(e, 422, "invalid_field",
                       "'unit_id' must be a department, task force or town"),
               err_detail(e, "unit");
    if (in->item_id) {
        rc = row_exists(db, REF_ITEM, in->item_id);
        if (rc < 0) return err_db(e, rc, "reading the item");
        if (!rc) return err_set(e, 422, "invalid_field", "'item_id' is no item");
    }
    if (in->meeting_id) {
        rc = row_exists(db, REF_MEETING, in->meeting_id);
        if (rc < 0) return err_db(e, rc, "reading the meeting");
        if (!rc) return err_set(e, 422, "invalid_field", "'meeting_id' is no meeting");
    }
    return 0;
}

static int insert_entry(struct db *db, const struct actor *a, const struct entry_in *in,
                        int64_t *id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO assessment_entries (year, unit_id, kind, points, reason, item_id,"
            " meeting_id, withdraws, actor_id, actor, at, evidence)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "recording the entry");
    db_bind_int64(st, 1, in->year);
    db_bind_int64(st, 2, in->unit_id);
    db_bind_text(st, 3, in->kind, (size_t)-1);
    db_bind_double(st, 4, in->points);
    db_bind_text(st, 5, in->reason, (size_t)-1);
    in->item_id ? db_bind_int64(st, 6, in->item_id) : db_bind_null(st, 6);
    in->meeting_id ? db_bind_int64(st, 7, in->meeting_id) : db_bind_null(st, 7);
    in->withdraws ? db_bind_int64(st, 8, in->withdraws) : db_bind_null(st, 8);
    a->user_id ? db_bind_int64(st, 9, a->user_id) : db_bind_null(st, 9);
    db_bind_text(st, 10, a->username ? a->username : "system", (size_t)-1);
    db_bind_int64(st, 11, time_now_ms());
    in->evidence ? db_bind_text(st, 12, in->evidence, (size_t)-1) : db_bind_null(st, 12);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_UNIQUE)
        return err_set(e, 409, "already_withdrawn", "the entry is withdrawn already");
    if (rc != DB_ROW) return err_db(e, rc, "recording the entry");
    /* the chain vouches for the row as written (tamper evidence) */
    char key[24];
    config_key_id(*id, key);
    return config_record(db, a, "add", CONFIG_ASSESSMENT, key, NULL, e);
}

/* A withdrawal: the counter-entry of in->withdraws, same year, unit and item. */
static int withdrawal_fill(struct db *db, struct entry_in *in, struct err *e)
{
    if (in->has_points || in->unit_id || in->kind || in->item_id || in->meeting_id)
        return err_set(e, 422, "invalid_field",
                       "a withdrawal takes only 'withdraws', 'reason' and 'evidence'");
    struct db_stmt *st =
        db_prepare(db, "SELECT year, unit_id, kind, points, item_id,"
                       " (SELECT count(*) FROM assessment_entries w WHERE w.withdraws = x.id)"
                       " FROM assessment_entries x WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the entry");
    db_bind_int64(st, 1, in->withdraws);
    int rc = db_step(st), bad = 0, done = 0;
    if (rc == DB_ROW) {
        in->year = (int)db_column_int64(st, 0);
        in->unit_id = db_column_int64(st, 1);
        bad = !strcmp(db_column_text(st, 2), "withdrawal");
        in->points = -db_column_double(st, 3);
        in->item_id = db_column_is_null(st, 4) ? 0 : db_column_int64(st, 4);
        done = db_column_int64(st, 5) > 0;
    }
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "there is no such entry");
    if (rc != DB_ROW) return err_db(e, rc, "reading the entry");
    if (bad) return err_set(e, 422, "invalid_field", "a withdrawal cannot be withdrawn");
    if (done) return err_set(e, 409, "already_withdrawn", "the entry is withdrawn already");
    in->kind = "withdrawal";
    return 0;
}

/* An evaluation: within the year's maximum, and none standing for the unit. */
static int evaluation_check(struct db *db, const struct entry_in *in,
                            const struct assessment_rules *r, struct err *e)
{
    if (!in->has_points || in->points < 0 || in->points > r->points[ASSESS_EVALUATION_MAX])
        return err_set(e, 422, "invalid_field", "'points' of an evaluation must be from 0 to %g",
                       r->points[ASSESS_EVALUATION_MAX]);
    struct db_stmt *st = db_prepare(
        db, "SELECT count(*) FROM assessment_entries x WHERE year = ?1 AND unit_id = ?2"
            " AND kind = 'evaluation'"
            " AND NOT EXISTS (SELECT 1 FROM assessment_entries w WHERE w.withdraws = x.id)");
    if (!st) return err_db(e, DB_ERR, "reading the evaluations");
    db_bind_int64(st, 1, in->year);
    db_bind_int64(st, 2, in->unit_id);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "reading the evaluations");
    if (n)
        return err_set(e, 409, "evaluation_exists",
                       "the unit has its evaluation for %d; withdraw it first", in->year);
    return 0;
}

/* The kind and points of an entry that is not a withdrawal. */
static int entry_kind_fill(struct db *db, const struct actor *a, struct entry_in *in, struct err *e)
{
    int office = (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0;
    struct assessment_rules r;
    int rc = assessment_rules_load(db, in->year, &r);
    if (rc != DB_OK) return err_db(e, rc, "reading the assessment rules");
    if (!in->kind) in->kind = in->has_points && in->points > 0 ? "bonus" : "deduction";
    if (!strcmp(in->kind, "evaluation")) {
        if (!office && !(a->roles & ROLE_LEADER))
            return err_set(e, 403, "forbidden", "only a leader or the office evaluates a unit");
        return evaluation_check(db, in, &r, e);
    }
    if (!office) return err_set(e, 403, "forbidden", "only the office adds assessment entries");
    if (!strcmp(in->kind, "no_substance")) {
        if (in->has_points)
            return err_set(e, 422, "invalid_field",
                           "'points' of no_substance come from the year's rule");
        if (!in->item_id)
            return err_set(e, 422, "missing_field", "'item_id' must name the item reported on");
        in->points = r.points[ASSESS_NO_SUBSTANCE];
        return 0;
    }
    int ded = !strcmp(in->kind, "deduction");
    if (!ded && strcmp(in->kind, "bonus"))
        return err_set(e, 422, "invalid_field",
                       "'kind' must be deduction, bonus, no_substance or evaluation");
    if (!in->has_points || in->points == 0 || fabs(in->points) > 100 || (ded != (in->points < 0)))
        return err_set(e, 422, "invalid_field",
                       ded ? "'points' of a deduction must be below 0, from -100"
                           : "'points' of a bonus must be above 0, up to 100");
    return 0;
}

int assessment_entry_add(struct db *db, const struct actor *a, json_t *body, int64_t *id,
                         struct err *e)
{
    struct entry_in in;
    if (entry_parse(body, &in, e)) return -1;
    if (in.withdraws) {
        if (!(a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)))
            return err_set(e, 403, "forbidden", "only the office withdraws an entry");
        if (withdrawal_fill(db, &in, e)) return -1;
        return insert_entry(db, a, &in, id, e);
    }
    if (!in.unit_id) return err_set(e, 422, "missing_field", "'unit_id' must name the unit");
    if (entry_refs_check(db, &in, e) || entry_kind_fill(db, a, &in, e)) return -1;
    return insert_entry(db, a, &in, id, e);
}
