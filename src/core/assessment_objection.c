/* assessment_objection.c — a unit's objections (异议) to the 考核's manual
 * entries and the office's decisions on them (see assessment.h).  An
 * objection is a row of assessment_objections (migration 017), one per
 * entry; accepting it writes the withdrawal counter-entry through
 * assessment_entry_add, so the score follows by the ledger's own rule.
 * Every row written is recorded on the configuration chain (section
 * objections), which is what makes a row changed behind its back visible
 * to `luoshi verify`. */
#include "core/assessment.h"

#include <stdio.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/text.h"
#include "util/time.h"

#define OBJECTION_TEXT_MAX 2000

/* Only these fields in body, else 422 invalid_field. */
static int only_fields(json_t *body, const char *const *known, size_t n, struct err *e)
{
    const char *key;
    json_t *v;
    if (!json_is_object(body)) return err_set(e, 422, "invalid_field", "send a JSON object");
    json_object_foreach(body, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(known[i], key))
            i++;
        if (i == n) return err_set(e, 422, "invalid_field", "'%s' is not a field here", key);
    }
    return 0;
}

/* The entry objected to: its unit, kind, and whether it is withdrawn.  A
 * unit that is not the actor's is told there is no such entry. */
static int entry_check(struct db *db, const struct actor *a, int64_t entry, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT unit_id, kind,"
                       " (SELECT count(*) FROM assessment_entries w WHERE w.withdraws = x.id)"
                       " FROM assessment_entries x WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the entry");
    db_bind_int64(st, 1, entry);
    int rc = db_step(st), mine = 0, withdrawal = 0, withdrawn = 0;
    if (rc == DB_ROW) {
        mine = a->unit_id && db_column_int64(st, 0) == a->unit_id;
        withdrawal = !strcmp(db_column_text(st, 1), "withdrawal");
        withdrawn = db_column_int64(st, 2) > 0;
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading the entry");
    if (rc == DB_DONE || !mine)
        return err_set(e, 404, "not_found", "your unit has no such assessment entry");
    if (withdrawal) return err_set(e, 422, "invalid_field", "a withdrawal cannot be objected to");
    if (withdrawn) return err_set(e, 409, "already_withdrawn", "the entry is withdrawn already");
    return 0;
}

int assessment_objection_add(struct db *db, const struct actor *a, int64_t entry, json_t *body,
                             int64_t *id, struct err *e)
{
    static const char *const known[] = {"text"};
    const char *text = NULL;
    if (only_fields(body, known, 1, e) ||
        text_field(body, "text", OBJECTION_TEXT_MAX, 1, &text, e) || entry_check(db, a, entry, e))
        return -1;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO assessment_objections (entry_id, unit_id, text, actor_id, actor, at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "recording the objection");
    db_bind_int64(st, 1, entry);
    db_bind_int64(st, 2, a->unit_id);
    db_bind_text(st, 3, text, (size_t)-1);
    a->user_id ? db_bind_int64(st, 4, a->user_id) : db_bind_null(st, 4);
    db_bind_text(st, 5, a->username ? a->username : "system", (size_t)-1);
    db_bind_int64(st, 6, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_UNIQUE)
        return err_set(e, 409, "objection_exists", "the entry has its objection already");
    if (rc != DB_ROW) return err_db(e, rc, "recording the objection");
    char key[24];
    config_key_id(*id, key);
    return config_record(db, a, "add", CONFIG_OBJECTIONS, key, NULL, e);
}

/* The entry of objection id into *entry when it is pending.  0, or -1 with
 * e: 404 when there is none, 409 objection_decided when it is decided. */
static int objection_pending(struct db *db, int64_t id, int64_t *entry, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT entry_id, status FROM assessment_objections WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the objection");
    db_bind_int64(st, 1, id);
    int rc = db_step(st), pending = 0;
    if (rc == DB_ROW) {
        *entry = db_column_int64(st, 0);
        pending = !strcmp(db_column_text(st, 1), "pending");
    }
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "there is no such objection");
    if (rc != DB_ROW) return err_db(e, rc, "reading the objection");
    if (!pending) return err_set(e, 409, "objection_decided", "the objection is decided already");
    return 0;
}

/* Accepting: the withdrawal of the entry, its reason the office's. */
static int counter_entry(struct db *db, const struct actor *a, int64_t entry, const char *reason,
                         int64_t *counter, struct err *e)
{
    char text[64];
    snprintf(text, sizeof text, "异议成立（第%lld号记录）：", (long long)entry);
    json_t *w = json_pack("{s:I,s:s+}", "withdraws", (json_int_t)entry, "reason", text, reason);
    int rc = w ? assessment_entry_add(db, a, w, counter, e)
               : err_set(e, 422, "invalid_field", "'reason' must be text");
    json_decref(w);
    return rc;
}

static int objection_write(struct db *db, const struct actor *a, int64_t id, int accept,
                           const char *reason, int64_t counter, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "UPDATE assessment_objections SET status = ?2, decision_reason = ?3,"
                       " decided_by = ?4, decided_at = ?5, counter_entry_id = ?6"
                       " WHERE id = ?1 AND status = 'pending'");
    if (!st) return err_db(e, DB_ERR, "recording the decision");
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, accept ? "accepted" : "rejected", (size_t)-1);
    db_bind_text(st, 3, reason, (size_t)-1);
    db_bind_text(st, 4, a->username ? a->username : "system", (size_t)-1);
    db_bind_int64(st, 5, time_now_ms());
    counter ? db_bind_int64(st, 6, counter) : db_bind_null(st, 6);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "recording the decision");
    if (db_changes(db) != 1)
        return err_set(e, 409, "objection_decided", "the objection is decided already");
    return 0;
}

int assessment_objection_decide(struct db *db, const struct actor *a, int64_t id, json_t *body,
                                struct err *e)
{
    static const char *const known[] = {"decision", "reason"};
    const char *decision = NULL, *reason = NULL;
    int64_t entry = 0, counter = 0;
    if (!(a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)))
        return err_set(e, 403, "forbidden", "only the office decides an objection");
    if (only_fields(body, known, 2, e) || text_field(body, "decision", 10, 1, &decision, e) ||
        text_field(body, "reason", 1000, 1, &reason, e))
        return -1;
    int accept = !strcmp(decision, "accept");
    if (!accept && strcmp(decision, "reject"))
        return err_set(e, 422, "invalid_field", "'decision' must be accept or reject");
    if (objection_pending(db, id, &entry, e)) return -1;
    if (accept && counter_entry(db, a, entry, reason, &counter, e)) return -1;
    char key[24];
    json_t *before = NULL;
    config_key_id(id, key);
    int rc = config_row(db, CONFIG_OBJECTIONS, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "reading the objection");
    if (objection_write(db, a, id, accept, reason, counter, e)) {
        json_decref(before);
        return -1;
    }
    return config_record(db, a, "decide", CONFIG_OBJECTIONS, key, before, e);
}

/* One row of the list's statement as its JSON. */
static json_t *objection_row(struct db_stmt *st)
{
    char at[40], decided[40] = "";
    time_format_iso(db_column_int64(st, 5), at, sizeof at);
    if (!db_column_is_null(st, 9)) time_format_iso(db_column_int64(st, 9), decided, sizeof decided);
#define OPT_TEXT(c) (db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c)))
#define OPT_INT(c)  (db_column_is_null(st, c) ? json_null() : json_integer(db_column_int64(st, c)))
    json_t *o =
        json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id",
                  (json_int_t)db_column_int64(st, 0), "entry_id",
                  (json_int_t)db_column_int64(st, 1), "unit_id", (json_int_t)db_column_int64(st, 2),
                  "unit_name", db_column_text(st, 11), "text", db_column_text(st, 3), "actor",
                  db_column_text(st, 4), "at", at, "status", db_column_text(st, 6),
                  "decision_reason", OPT_TEXT(7), "decided_by", OPT_TEXT(8), "decided_at",
                  *decided ? json_string(decided) : json_null(), "counter_entry_id", OPT_INT(10));
    json_object_set_new(
        o, "entry",
        json_pack("{s:I,s:s,s:f,s:s,s:o,s:o}", "year", (json_int_t)db_column_int64(st, 12), "rule",
                  db_column_text(st, 13), "points", db_column_double(st, 14), "reason",
                  db_column_text(st, 15), "item_id", OPT_INT(16), "evidence", OPT_TEXT(17)));
#undef OPT_TEXT
#undef OPT_INT
    return o;
}

json_t *assessment_objections_json(struct db *db, const struct actor *a, const char *status,
                                   struct err *e)
{
    if (status && strcmp(status, "pending") && strcmp(status, "accepted") &&
        strcmp(status, "rejected"))
        return err_set(e, 422, "invalid_parameter",
                       "'status' must be pending, accepted or rejected"),
               NULL;
    struct db_stmt *st = db_prepare(
        db, "SELECT o.id, o.entry_id, o.unit_id, o.text, o.actor, o.at, o.status,"
            " o.decision_reason, o.decided_by, o.decided_at, o.counter_entry_id, u.name,"
            " x.year, x.kind, x.points, x.reason, x.item_id, x.evidence"
            " FROM assessment_objections o JOIN units u ON u.id = o.unit_id"
            " JOIN assessment_entries x ON x.id = o.entry_id"
            " WHERE (?1 = '' OR o.status = ?1) AND (?2 = 0 OR o.unit_id = ?2) ORDER BY o.id");
    if (!st) return err_db(e, DB_ERR, "reading the objections"), NULL;
    db_bind_text(st, 1, status ? status : "", (size_t)-1);
    db_bind_int64(st, 2, actor_sees_all(a) ? 0 : a->unit_id ? a->unit_id : -1);
    json_t *rows = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(rows, objection_row(st));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return err_db(e, rc, "reading the objections"), NULL;
    }
    return json_pack("{s:o}", "objections", rows);
}

int assessment_objections_pending(struct db *db, int64_t *n)
{
    return db_query_int64(db, "SELECT count(*) FROM assessment_objections WHERE status = 'pending'",
                          0, 0, n);
}
