/* notice_store.c — the notices table.  See notice_store.h. */
#include "core/notice_store.h"

#include <stdio.h>
#include <string.h>

#include "util/time.h"

static const char *const format_names[NOTICE_OUTPUTS] = {"json", "html", "csv", "xlsx", "pdf"};

int notice_store_head(struct db *db, int year, char prev[65], int64_t *seq, struct err *e)
{
    prev[0] = '\0';
    struct db_stmt *st = db_prepare(db, "SELECT hash FROM notices ORDER BY id DESC LIMIT 1");
    if (!st) return err_db(e, DB_ERR, "reading issued notices");
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(prev, 65, "%s", db_column_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading issued notices");
    rc = db_query_int64(db, "SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE year = ?1", 1,
                        year, seq);
    return rc == DB_OK ? 0 : err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading issued notices");
}

/* Bind v, or NULL when it is 0. */
static void bind_id(struct db_stmt *st, int k, int64_t v)
{
    if (v)
        db_bind_int64(st, k, v);
    else
        db_bind_null(st, k);
}

int notice_store_insert(struct db *db, const struct notice_record *r, int64_t *id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO notices (number, year, seq, period_from, period_to, unit_id, title,"
            " issued_by, issued_at, json, html, csv, xlsx, pdf, json_sha256, html_sha256,"
            " csv_sha256, xlsx_sha256, pdf_sha256, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5,"
            " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"
            " RETURNING id");
    if (!st) return err_db(e, DB_ERR, "storing the notice");
    db_bind_text(st, 1, r->number, (size_t)-1);
    db_bind_int64(st, 2, r->year);
    db_bind_int64(st, 3, r->seq);
    db_bind_text(st, 4, r->from, (size_t)-1);
    db_bind_text(st, 5, r->to, (size_t)-1);
    bind_id(st, 6, r->unit_id);
    db_bind_text(st, 7, r->title, (size_t)-1);
    bind_id(st, 8, r->issued_by);
    db_bind_int64(st, 9, r->issued_at);
    for (int k = 0; k < NOTICE_OUTPUTS; k++) {
        db_bind_text(st, 10 + k, r->output[k] ? r->output[k] : "", r->output_len[k]);
        db_bind_text(st, 10 + NOTICE_OUTPUTS + k, r->sha256[k], (size_t)-1);
    }
    db_bind_text(st, 20, r->prev_hash, (size_t)-1);
    db_bind_text(st, 21, r->hash, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? 0 : err_db(e, rc == DB_DONE ? DB_ERR : rc, "storing the notice");
}

/* The statement reading output k (0..4) and the number of a notice. */
static struct db_stmt *output_stmt(struct db *db, int k)
{
    switch (k) {
    case 0:
        return db_prepare(db, "SELECT json, number FROM notices WHERE id = ?1");
    case 1:
        return db_prepare(db, "SELECT html, number FROM notices WHERE id = ?1");
    case 2:
        return db_prepare(db, "SELECT csv, number FROM notices WHERE id = ?1");
    case 3:
        return db_prepare(db, "SELECT xlsx, number FROM notices WHERE id = ?1");
    default:
        return db_prepare(db, "SELECT pdf, number FROM notices WHERE id = ?1");
    }
}

int notice_store_output(struct db *db, int64_t id, int k, struct buf *out, char number[64],
                        struct err *e)
{
    if (k < 0 || k >= NOTICE_OUTPUTS) return err_set(e, 500, "internal", "no output %d", k);
    struct db_stmt *st = output_stmt(db, k);
    if (!st) return err_db(e, DB_ERR, "reading the notice");
    db_bind_int64(st, 1, id);
    int rc = db_step(st), ret = 0;
    if (rc == DB_ROW) {
        if (number) snprintf(number, 64, "%s", db_column_text(st, 1));
        if (buf_append(out, db_column_text(st, 0), db_column_bytes(st, 0)))
            ret = err_set(e, 500, "internal", "the notice is too large to send");
    } else if (rc == DB_DONE) {
        ret = err_set(e, 404, "not_found", "no notice with id %lld", (long long)id);
        err_detail(e, "notice");
    } else {
        ret = err_db(e, rc, "reading the notice");
    }
    db_finalize(st);
    return ret;
}

static json_t *list_row(struct db_stmt *st)
{
    char at[40];
    time_format_iso(db_column_int64(st, 6), at, sizeof at);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0), "number",
        db_column_text(st, 1), "from", db_column_text(st, 2), "to", db_column_text(st, 3), "unit",
        db_column_is_null(st, 4) ? json_null() : json_string(db_column_text(st, 4)), "title",
        db_column_text(st, 5), "issued_at", at, "issued_by", db_column_text(st, 7));
    json_t *sums = json_object();
    for (int k = 0; k < NOTICE_OUTPUTS; k++) {
        const char *sum = db_column_text(st, 8 + k);
        json_object_set_new(sums, format_names[k], *sum ? json_string(sum) : json_null());
    }
    json_object_set_new(o, "sha256", sums);
    json_object_set_new(o, "prev_hash", json_string(db_column_text(st, 13)));
    json_object_set_new(o, "hash", json_string(db_column_text(st, 14)));
    return o;
}

json_t *notice_store_list_json(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT n.id, n.number, n.period_from, n.period_to, u.code, n.title, n.issued_at,"
            " coalesce(us.username, ''), n.json_sha256, n.html_sha256, n.csv_sha256,"
            " n.xlsx_sha256, n.pdf_sha256, n.prev_hash, n.hash FROM notices n"
            " LEFT JOIN units u ON u.id = n.unit_id LEFT JOIN users us ON us.id = n.issued_by"
            " WHERE ?1 = 0 OR n.id = ?1 ORDER BY n.id DESC LIMIT 500");
    if (!st) {
        err_db(e, DB_ERR, "reading issued notices");
        return NULL;
    }
    db_bind_int64(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, list_row(st));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(list);
        err_db(e, rc, "reading issued notices");
        return NULL;
    }
    if (id && !json_array_size(list)) {
        json_decref(list);
        err_set(e, 404, "not_found", "no notice with id %lld", (long long)id);
        err_detail(e, "notice");
        return NULL;
    }
    return json_pack("{s:o}", "notices", list);
}

/* The row of notice_store_each's query as a record. */
static void record_of(struct db_stmt *st, struct notice_record *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_column_int64(st, 0);
    r->number = db_column_text(st, 1);
    r->from = db_column_text(st, 2);
    r->to = db_column_text(st, 3);
    r->issued_by = db_column_is_null(st, 4) ? 0 : db_column_int64(st, 4);
    r->issued_at = db_column_int64(st, 5);
    for (int k = 0; k < NOTICE_OUTPUTS; k++) {
        r->output[k] = db_column_text(st, 6 + k);
        r->output_len[k] = db_column_bytes(st, 6 + k);
        r->sha256[k] = db_column_text(st, 6 + NOTICE_OUTPUTS + k);
    }
    r->prev_hash = db_column_text(st, 16);
    r->hash = db_column_text(st, 17);
}

int notice_store_each(struct db *db, notice_record_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT id, number, period_from, period_to, issued_by, issued_at, json, html, csv,"
            " xlsx, pdf, json_sha256, html_sha256, csv_sha256, xlsx_sha256, pdf_sha256,"
            " prev_hash, hash FROM notices ORDER BY id");
    if (!st) return err_db(e, DB_ERR, "reading issued notices");
    int rc = DB_DONE, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        struct notice_record r;
        record_of(st, &r);
        stop = fn(ctx, &r);
    }
    db_finalize(st);
    if (stop) return 1;
    return rc == DB_DONE ? 0 : err_db(e, rc, "reading issued notices");
}
