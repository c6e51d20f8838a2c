/* issue.c — issued notices: computed once, rendered in every format, stored
 * with the SHA-256 of each output and chained to the previous notice, and
 * never changed (migration 006's triggers refuse UPDATE and DELETE).  The
 * row is the issuing event; docs/notices.md gives the hash rule. */
#include "notice/issue.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkpoint.h"
#include "util/mem.h"
#include "util/time.h"

static const char *const formats[] = {"json", "html", "csv", "xlsx"};

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* The newest notice's hash ("" when none) and the next number of year. */
static int chain_head(struct db *db, int year, char prev[65], int64_t *seq)
{
    prev[0] = '\0';
    struct db_stmt *st = db_prepare(db, "SELECT hash FROM notices ORDER BY id DESC LIMIT 1");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(prev, 65, "%s", db_column_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    rc = db_query_int64(db, "SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE year = ?1", 1,
                        year, seq);
    return rc == DB_DONE ? DB_ERR : rc;
}

/* The four outputs of n, in formats[] order (xlsx as base64). */
static int render_all(const struct notice *n, const char *number, const char *today,
                      struct buf out[4], struct err *e)
{
    json_t *j = notice_json(n, number);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    buf_puts(&out[0], text);
    free(text);
    notice_html(n, number, today, &out[1]);
    notice_csv(n, number, &out[2]);
    struct buf x;
    buf_init(&x, 0);
    if (notice_xlsx(n, number, &x, e)) {
        buf_free(&x);
        return -1;
    }
    size_t b64 = sodium_base64_ENCODED_LEN(x.len, sodium_base64_VARIANT_ORIGINAL);
    char *s = xmalloc(b64);
    sodium_bin2base64(s, b64, (const unsigned char *)x.data, x.len, sodium_base64_VARIANT_ORIGINAL);
    buf_puts(&out[3], s);
    free(s);
    buf_free(&x);
    for (int k = 0; k < 4; k++)
        if (out[k].err) return err_set(e, 500, "internal", "the notice is too large to store");
    return 0;
}

/* The chain hash over the row's fields (docs/notices.md): unit is the
 * scope's unit code, "" for the city and the item scopes (their scope is in
 * the JSON output, which the hash covers through json_sha256). */
static void row_hash(const char *prev, const char *number, const char *from, const char *to,
                     const char *unit, int64_t issued_by, int64_t at, char sums[4][65],
                     char out[65])
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "number", number, "from", from, "to", to, "unit",
                  unit, "issued_by", (json_int_t)issued_by, "issued_at", (json_int_t)at);
    for (int k = 0; k < 4; k++) {
        char key[16];
        snprintf(key, sizeof key, "%s_sha256", formats[k]);
        json_object_set_new(o, key, json_string(sums[k]));
    }
    char *canon = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(o);
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)prev, strlen(prev));
    crypto_hash_sha256_update(&st, (const unsigned char *)canon, strlen(canon));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
    free(canon);
}

static int insert_row(struct db *db, const struct notice *n, const char *number, int year,
                      int64_t seq, int64_t by, int64_t at, struct buf out[4], char sums[4][65],
                      const char *prev, const char *hash, int64_t *id)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO notices (number, year, seq, period_from, period_to, unit_id, title,"
            " issued_by, issued_at, json, html, csv, xlsx, json_sha256, html_sha256, csv_sha256,"
            " xlsx_sha256, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
            " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) RETURNING id");
    if (!st) return DB_ERR;
    char from[11], to[11], title[256];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    snprintf(title, sizeof title, "%s %s至%s督查通报", n->scope_name, from, to);
    db_bind_text(st, 1, number, (size_t)-1);
    db_bind_int64(st, 2, year);
    db_bind_int64(st, 3, seq);
    db_bind_text(st, 4, from, (size_t)-1);
    db_bind_text(st, 5, to, (size_t)-1);
    if (n->scope_unit_id)
        db_bind_int64(st, 6, n->scope_unit_id);
    else
        db_bind_null(st, 6);
    db_bind_text(st, 7, title, (size_t)-1);
    if (by)
        db_bind_int64(st, 8, by);
    else
        db_bind_null(st, 8);
    db_bind_int64(st, 9, at);
    for (int k = 0; k < 4; k++) {
        db_bind_text(st, 10 + k, out[k].data ? out[k].data : "", out[k].len);
        db_bind_text(st, 14 + k, sums[k], (size_t)-1);
    }
    db_bind_text(st, 18, prev, (size_t)-1);
    db_bind_text(st, 19, hash, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The checkpoint the notice is issued under: a new one signed by p's signer
 * when something changed since the latest, else the latest (none without a
 * key and without any).  0, or -1 with e (409 when the chains no longer hold
 * what the last checkpoint covered: no notice is issued over them). */
static int notice_checkpoint(struct db *db, struct notice_params *p, struct err *e)
{
    struct checkpoint c;
    int taken = 0, rc = 1;
    if (p->signer) {
        if (checkpoint_take(db, p->signer, "notice", 0, &c, &taken, e)) return -1;
    } else {
        rc = checkpoint_latest(db, &c);
        if (rc < 0) return err_db(e, rc, "reading the checkpoints");
    }
    if (rc == 1) {
        p->checkpoint_seq = c.seq;
        snprintf(p->checkpoint_root, sizeof p->checkpoint_root, "%s", c.root);
    }
    return 0;
}

int notice_issue(struct db *db, const struct actor *a, const struct notice_params *p, int64_t *id,
                 struct err *e)
{
    struct notice n;
    struct buf out[4];
    for (int k = 0; k < 4; k++)
        buf_init(&out[k], 64u << 20);
    int ret = notice_compute(db, p, &n, e);
    if (!ret) ret = notice_checkpoint(db, &n.p, e);
    int64_t at = time_now_ms(), seq = 0;
    int y, m, d;
    date_split(time_day_of(at), &y, &m, &d);
    char prev[65], number[64], today[11], sums[4][65], hash[65];
    date_format(time_day_of(at), today);
    if (!ret) {
        int rc = chain_head(db, y, prev, &seq);
        if (rc != DB_OK) ret = err_db(e, rc, "reading issued notices");
    }
    if (!ret) {
        snprintf(number, sizeof number, "〔%d〕%lld号", y, (long long)seq);
        ret = render_all(&n, number, today, out, e);
    }
    if (!ret) {
        for (int k = 0; k < 4; k++)
            sha256_hex(out[k].data ? out[k].data : "", out[k].len, sums[k]);
        char from[11], to[11];
        date_format(n.p.from, from);
        date_format(n.p.to, to);
        row_hash(prev, number, from, to, n.p.unit_code, a->user_id, at, sums, hash);
        int rc = insert_row(db, &n, number, y, seq, a->user_id, at, out, sums, prev, hash, id);
        if (rc != DB_OK) ret = err_db(e, rc, "storing the notice");
    }
    for (int k = 0; k < 4; k++)
        buf_free(&out[k]);
    notice_free(&n);
    return ret;
}

int notice_format_index(const char *format)
{
    for (int k = 0; k < 4; k++)
        if (format && !strcmp(format, formats[k])) return k;
    return -1;
}

int notice_issued_output(struct db *db, int64_t id, const char *format, struct buf *out,
                         char number[64], struct err *e)
{
    static const char *const sql[] = {
        "SELECT json, number FROM notices WHERE id = ?1",
        "SELECT html, number FROM notices WHERE id = ?1",
        "SELECT csv, number FROM notices WHERE id = ?1",
        "SELECT xlsx, number FROM notices WHERE id = ?1",
    };
    int k = notice_format_index(format);
    if (k < 0)
        return err_set(e, 422, "invalid_parameter", "'format' must be json, csv, xlsx or html");
    struct db_stmt *st = db_prepare(db, sql[k]);
    if (!st) return err_db(e, DB_ERR, "reading the notice");
    db_bind_int64(st, 1, id);
    int rc = db_step(st), ret = 0;
    if (rc == DB_ROW) {
        const char *s = db_column_text(st, 0);
        size_t len = db_column_bytes(st, 0);
        if (number) snprintf(number, 64, "%s", db_column_text(st, 1));
        if (k == 3) {
            unsigned char *bin = xmalloc(len + 1);
            size_t n = 0;
            if (sodium_base642bin(bin, len + 1, s, len, NULL, &n, NULL,
                                  sodium_base64_VARIANT_ORIGINAL) == 0)
                buf_append(out, bin, n);
            else
                ret = err_set(e, 500, "internal", "the stored workbook is damaged");
            free(bin);
        } else {
            buf_append(out, s, len);
        }
    } else if (rc == DB_DONE) {
        ret = err_set(e, 404, "not_found", "no notice with id %lld", (long long)id);
    } else {
        ret = err_db(e, rc, "reading the notice");
    }
    db_finalize(st);
    if (!ret && out->err) ret = err_set(e, 500, "internal", "the notice is too large to send");
    return ret;
}

json_t *notice_issued_list(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT n.id, n.number, n.period_from, n.period_to, u.code, n.title, n.issued_at,"
            " coalesce(us.username, ''), n.json_sha256, n.html_sha256, n.csv_sha256,"
            " n.xlsx_sha256, n.prev_hash, n.hash FROM notices n"
            " LEFT JOIN units u ON u.id = n.unit_id LEFT JOIN users us ON us.id = n.issued_by"
            " WHERE ?1 = 0 OR n.id = ?1 ORDER BY n.id DESC LIMIT 500");
    if (!st) {
        err_db(e, DB_ERR, "reading issued notices");
        return NULL;
    }
    db_bind_int64(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[40];
        time_format_iso(db_column_int64(st, 6), at, sizeof at);
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0), "number",
            db_column_text(st, 1), "from", db_column_text(st, 2), "to", db_column_text(st, 3),
            "unit", db_column_is_null(st, 4) ? json_null() : json_string(db_column_text(st, 4)),
            "title", db_column_text(st, 5), "issued_at", at, "issued_by", db_column_text(st, 7));
        json_t *sums = json_object();
        for (int k = 0; k < 4; k++)
            json_object_set_new(sums, formats[k], json_string(db_column_text(st, 8 + k)));
        json_object_set_new(o, "sha256", sums);
        json_object_set_new(o, "prev_hash", json_string(db_column_text(st, 12)));
        json_object_set_new(o, "hash", json_string(db_column_text(st, 13)));
        json_array_append_new(list, o);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(list);
        err_db(e, rc, "reading issued notices");
        return NULL;
    }
    if (id && !json_array_size(list)) {
        json_decref(list);
        err_set(e, 404, "not_found", "no notice with id %lld", (long long)id);
        return NULL;
    }
    return json_pack("{s:o}", "notices", list);
}

/* The scope's unit code as the notice's JSON output holds it ("" for none),
 * or NULL when the output is not a notice's JSON. */
static char *json_unit(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    json_t *scope = json_object_get(j, "scope");
    json_t *unit = json_object_get(scope, "unit");
    char *code = json_is_object(scope) && (json_is_null(unit) || json_is_string(unit))
                     ? xstrdup(json_is_string(unit) ? json_string_value(unit) : "")
                     : NULL;
    json_decref(j);
    return code;
}

/* Check the notice in st's row against prev (the previous notice's hash);
 * 0 when intact (prev becomes its hash), 1 with the reason in msg. */
static int verify_row(struct db_stmt *st, char prev[65], struct buf *msg)
{
    int64_t id = db_column_int64(st, 0);
    const char *number = db_column_text(st, 1);
    char sums[4][65], got[65];
    for (int k = 0; k < 4; k++) {
        size_t len = db_column_bytes(st, 6 + k);
        sha256_hex(db_column_text(st, 6 + k), len, got);
        snprintf(sums[k], sizeof sums[k], "%s", db_column_text(st, 10 + k));
        if (strcmp(got, sums[k])) {
            buf_printf(msg, "notice %lld (%s): its stored %s output does not match its SHA-256",
                       (long long)id, number, formats[k]);
            return 1;
        }
    }
    if (strcmp(db_column_text(st, 14), prev)) {
        buf_printf(msg, "notice %lld (%s): its prev_hash is not the previous notice's hash",
                   (long long)id, number);
        return 1;
    }
    char *unit = json_unit(db_column_text(st, 6));
    if (!unit) {
        buf_printf(msg, "notice %lld (%s): its JSON output is not a notice", (long long)id, number);
        return 1;
    }
    row_hash(prev, number, db_column_text(st, 2), db_column_text(st, 3), unit,
             db_column_is_null(st, 4) ? 0 : db_column_int64(st, 4), db_column_int64(st, 5), sums,
             got);
    free(unit);
    if (strcmp(got, db_column_text(st, 15))) {
        buf_printf(msg, "notice %lld (%s): its hash does not match its fields", (long long)id,
                   number);
        return 1;
    }
    snprintf(prev, 65, "%s", got);
    return 0;
}

int notice_verify(struct db *db, struct buf *msg)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT id, number, period_from, period_to, issued_by, issued_at, json, html, csv,"
            " xlsx, json_sha256, html_sha256, csv_sha256, xlsx_sha256, prev_hash, hash"
            " FROM notices ORDER BY id");
    if (!st) return DB_ERR;
    char prev[65] = "";
    int64_t count = 0;
    int rc = DB_DONE, broken = 0;
    while (!broken && (rc = db_step(st)) == DB_ROW) {
        broken = verify_row(st, prev, msg);
        count += !broken;
    }
    db_finalize(st);
    if (broken) return 1;
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    buf_printf(msg, "%lld issued notices verified", (long long)count);
    return 0;
}
