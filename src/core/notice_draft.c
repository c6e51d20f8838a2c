/* notice_draft.c — the rows of a notice's draft and its steps.  See
 * notice_draft.h.  Texts are checked as every text people type is
 * (core/text.h: trimmed, UTF-8, a limit in characters). */
#include "core/notice_draft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/setting.h"
#include "core/text.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/time.h"

/* The three texts a draft holds, with their limits. */
static const struct {
    const char *name;
    size_t max;
} texts[] = {{"main_to", NOTICE_DRAFT_LIST_MAX},
             {"copy_to", NOTICE_DRAFT_LIST_MAX},
             {"summary", NOTICE_DRAFT_TEXT_MAX}};

/* body's texts, checked, into v[3] (NULL when absent). */
static int texts_read(json_t *body, const char *v[3], struct err *e)
{
    for (int k = 0; k < 3; k++) {
        v[k] = NULL;
        json_t *x = json_object_get(body, texts[k].name);
        if (!x || json_is_null(x)) continue;
        if (!json_is_string(x))
            return err_set(e, 422, "invalid_field", "'%s' must be a string", texts[k].name);
        size_t n = json_string_length(x);
        if (!n) {
            v[k] = "";
            continue;
        }
        if (text_field(body, texts[k].name, texts[k].max, 0, &v[k], e)) return -1;
        if (!v[k]) v[k] = ""; /* only blank: nothing */
    }
    return 0;
}

static int step(struct db *db, const struct actor *a, int64_t id, const char *action, json_t *data)
{
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    struct db_stmt *st = db_prepare(db, "INSERT INTO notice_draft_events (draft_id, at, user_id,"
                                        " action, data) VALUES (?1, ?2, ?3, ?4, ?5)");
    int rc = DB_ERR;
    if (st && text) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, time_now_ms());
        if (a->user_id)
            db_bind_int64(st, 3, a->user_id);
        else
            db_bind_null(st, 3);
        db_bind_text(st, 4, action, (size_t)-1);
        db_bind_text(st, 5, text, (size_t)-1);
        rc = db_step(st);
    }
    db_finalize(st);
    free(text);
    return rc == DB_DONE ? DB_OK : rc == DB_OK ? DB_ERR : rc;
}

int notice_draft_create(struct db *db, const struct actor *a, const char *from, const char *to,
                        const char *unit, json_t *body, int64_t *id, struct err *e)
{
    const char *v[3];
    if (texts_read(body, v, e)) return -1;
    json_t *params = json_pack("{s:s,s:s,s:s}", "from", from, "to", to, "unit", unit ? unit : "");
    char *p = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO notice_drafts (params, main_to, copy_to, summary, drafted_by, drafted_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    int rc = DB_ERR;
    if (st && p) {
        db_bind_text(st, 1, p, (size_t)-1);
        for (int k = 0; k < 3; k++)
            db_bind_text(st, 2 + k, v[k] ? v[k] : "", (size_t)-1);
        db_bind_int64(st, 5, a->user_id);
        db_bind_int64(st, 6, time_now_ms());
        rc = db_step(st);
        if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    }
    db_finalize(st);
    free(p);
    if (rc == DB_OK) rc = step(db, a, *id, "draft", params);
    json_decref(params);
    return rc == DB_OK ? 0 : err_db(e, rc, "storing the draft");
}

int notice_draft_load(struct db *db, int64_t id, struct notice_draft *d)
{
    memset(d, 0, sizeof *d);
    struct db_stmt *st = db_prepare(db, "SELECT params, main_to, copy_to, summary, drafted_by,"
                                        " coalesce(notice_id, 0) FROM notice_drafts WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        json_t *p = json_loads(db_column_text(st, 0), 0, NULL);
        d->id = id;
        snprintf(d->from, sizeof d->from, "%s", json_string_value(json_object_get(p, "from")));
        snprintf(d->to, sizeof d->to, "%s", json_string_value(json_object_get(p, "to")));
        snprintf(d->unit, sizeof d->unit, "%s", json_string_value(json_object_get(p, "unit")));
        json_decref(p);
        d->main_to = xstrdup(db_column_text(st, 1));
        d->copy_to = xstrdup(db_column_text(st, 2));
        d->summary = xstrdup(db_column_text(st, 3));
        d->drafted_by = db_column_int64(st, 4);
        d->notice_id = db_column_int64(st, 5);
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

void notice_draft_free(struct notice_draft *d)
{
    free(d->main_to), free(d->copy_to), free(d->summary);
    d->main_to = d->copy_to = d->summary = NULL;
}

/* Load draft id for a change: 404 when there is none, 409 once signed. */
static int load_open(struct db *db, int64_t id, struct notice_draft *d, struct err *e)
{
    int rc = notice_draft_load(db, id, d);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "no notice draft %lld", (long long)id);
    if (rc != DB_OK) return err_db(e, rc, "reading the draft");
    if (d->notice_id) {
        notice_draft_free(d);
        return err_set(e, 409, "already_signed", "notice draft %lld is signed already",
                       (long long)id);
    }
    return 0;
}

int notice_draft_edit(struct db *db, const struct actor *a, int64_t id, json_t *body, struct err *e)
{
    const char *v[3];
    struct notice_draft d;
    if (texts_read(body, v, e) || load_open(db, id, &d, e)) return -1;
    const char *old[3] = {d.main_to, d.copy_to, d.summary};
    json_t *before = json_object(), *after = json_object();
    for (int k = 0; k < 3; k++)
        if (v[k] && strcmp(v[k], old[k])) {
            json_object_set_new(before, texts[k].name, json_string(old[k]));
            json_object_set_new(after, texts[k].name, json_string(v[k]));
        }
    int ret = 0;
    if (!json_object_size(after))
        ret = err_set(e, 422, "nothing_changed", "the edit changes nothing of draft %lld",
                      (long long)id);
    struct db_stmt *st = ret ? NULL
                             : db_prepare(db, "UPDATE notice_drafts SET main_to = ?2, copy_to = ?3,"
                                              " summary = ?4, version = version + 1 WHERE id = ?1");
    if (!ret) {
        int rc = DB_ERR;
        if (st) {
            db_bind_int64(st, 1, id);
            for (int k = 0; k < 3; k++)
                db_bind_text(st, 2 + k, v[k] ? v[k] : old[k], (size_t)-1);
            rc = db_step(st);
        }
        json_t *data = json_pack("{s:O,s:O}", "before", before, "after", after);
        if (rc == DB_DONE) rc = step(db, a, id, "edit", data);
        json_decref(data);
        if (rc != DB_OK) ret = err_db(e, rc, "editing the draft");
    }
    db_finalize(st);
    json_decref(before), json_decref(after);
    notice_draft_free(&d);
    return ret;
}

int notice_draft_may_sign(struct db *db, const struct actor *a, const struct notice_draft *d,
                          struct err *e)
{
    if (d->notice_id)
        return err_set(e, 409, "already_signed", "notice draft %lld is signed already",
                       (long long)d->id);
    struct arena *ar = arena_new();
    const char *own = NULL;
    int rc = setting_text(db, "notice.sign_own", ar, &own, e);
    int may_own = own && !strcmp(own, "1");
    arena_free(ar);
    if (rc) return -1;
    if (d->drafted_by == a->user_id && !may_own)
        return err_set(e, 403, "sign_own_draft",
                       "the drafter of notice draft %lld may not sign it (notice.sign_own is 0)",
                       (long long)d->id);
    return 0;
}

int notice_draft_signed(struct db *db, const struct actor *a, int64_t id, int64_t notice_id,
                        struct err *e)
{
    struct db_stmt *st = db_prepare(db, "UPDATE notice_drafts SET signed_by = ?2, signed_at = ?3,"
                                        " notice_id = ?4 WHERE id = ?1 AND notice_id IS NULL");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, a->user_id);
        db_bind_int64(st, 3, time_now_ms());
        db_bind_int64(st, 4, notice_id);
        rc = db_step(st);
        rc = rc != DB_DONE ? rc : db_changes(db) == 1 ? DB_OK : DB_RETRY;
    }
    db_finalize(st);
    json_t *data = json_pack("{s:I}", "notice_id", (json_int_t)notice_id);
    if (rc == DB_OK) rc = step(db, a, id, "sign", data);
    json_decref(data);
    return rc == DB_OK ? 0 : err_db(e, rc, "signing the draft");
}

static json_t *steps_json(struct db *db, int64_t id, int *rc)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT s.at, coalesce(u.username, ''), s.action, s.data"
                       " FROM notice_draft_events s LEFT JOIN users u ON u.id = s.user_id"
                       " WHERE s.draft_id = ?1 ORDER BY s.id");
    json_t *list = json_array();
    *rc = DB_ERR;
    if (!st) return list;
    db_bind_int64(st, 1, id);
    while ((*rc = db_step(st)) == DB_ROW) {
        char at[32];
        time_format_iso(db_column_int64(st, 0), at, sizeof at);
        json_array_append_new(list,
                              json_pack("{s:s,s:s,s:s,s:o}", "at", at, "user",
                                        db_column_text(st, 1), "action", db_column_text(st, 2),
                                        "data", json_loads(db_column_text(st, 3), 0, NULL)));
    }
    db_finalize(st);
    if (*rc == DB_DONE) *rc = DB_OK;
    return list;
}

json_t *notice_draft_json(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT d.params, d.main_to, d.copy_to, d.summary, u.username, d.drafted_at,"
            " d.version, s.username, d.signed_at, d.notice_id FROM notice_drafts d"
            " JOIN users u ON u.id = d.drafted_by LEFT JOIN users s ON s.id = d.signed_by"
            " WHERE d.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the draft"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    json_t *v = NULL;
    if (rc == DB_ROW) {
        char at[32], signed_at[32] = "";
        time_format_iso(db_column_int64(st, 5), at, sizeof at);
        int is_signed = !db_column_is_null(st, 9);
        if (is_signed) time_format_iso(db_column_int64(st, 8), signed_at, sizeof signed_at);
        v = json_loads(db_column_text(st, 0), 0, NULL);
        json_t *more = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:o,s:o}", "id", (json_int_t)id, "main_to",
            db_column_text(st, 1), "copy_to", db_column_text(st, 2), "summary",
            db_column_text(st, 3), "drafted_by", db_column_text(st, 4), "drafted_at", at, "version",
            (json_int_t)db_column_int64(st, 6), "status", is_signed ? "signed" : "draft",
            "signed_by", is_signed ? json_string(db_column_text(st, 7)) : json_null(), "signed_at",
            is_signed ? json_string(signed_at) : json_null(), "notice_id",
            is_signed ? json_integer(db_column_int64(st, 9)) : json_null());
        json_object_update(v, more);
        json_decref(more);
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no notice draft %lld", (long long)id), NULL;
    if (rc != DB_ROW) return err_db(e, rc, "reading the draft"), NULL;
    json_object_set_new(v, "steps", steps_json(db, id, &rc));
    if (rc != DB_OK) {
        json_decref(v);
        return err_db(e, rc, "reading the draft"), NULL;
    }
    return v;
}
