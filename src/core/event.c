/* event.c — appending to and verifying the per-item hash chains.  See event.h.
 * Chains are per item so writers on different items never contend. */
#include "core/event.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/replay.h"
#include "util/log.h"
#include "util/str.h"
#include "util/time.h"

char *event_canonical(int64_t item_id, int64_t seq, int64_t at, const char *actor,
                      const char *action, json_t *data)
{
    /* json_pack refuses text that is not UTF-8 (and so returns NULL): the
     * event cannot be written, which the caller reports; it never hashes
     * half an event */
    if (!actor || !action) return NULL;
    json_t *d = data ? json_incref(data) : json_object();
    json_t *o = json_pack("{s:s,s:s,s:I,s:o,s:I,s:I}", "action", action, "actor", actor, "at",
                          (json_int_t)at, "data", d, "item_id", (json_int_t)item_id, "seq",
                          (json_int_t)seq);
    if (!o) return NULL; /* "o" stole d even on failure */
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

void event_hash(const char *prev_hash, const char *canonical, char out[65])
{
    if (!prev_hash || !canonical) { /* no text to hash: a hash nothing can match */
        memset(out, '0', 64);
        out[64] = '\0';
        return;
    }
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)prev_hash, strlen(prev_hash));
    crypto_hash_sha256_update(&st, (const unsigned char *)canonical, strlen(canonical));
    crypto_hash_sha256_final(&st, h);
    str_hex(h, sizeof h, out);
}

/* The item's chain head: its last seq and hash.  DB_OK, or a db code. */
static int chain_head(struct db *db, int64_t item_id, int64_t *seq, char hash[65])
{
    struct db_stmt *st = db_prepare(db, "SELECT event_seq, event_hash FROM items WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *seq = db_column_int64(st, 0);
        snprintf(hash, 65, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERR : rc;
}

int event_append(struct db *db, int64_t item_id, const struct actor *a, const char *action,
                 json_t *data)
{
    int64_t prev_seq = 0;
    char prev[65];
    int rc = chain_head(db, item_id, &prev_seq, prev);
    if (rc != DB_OK) return rc;
    struct db_stmt *st;

    int64_t seq = prev_seq + 1, at = time_now_ms();
    const char *actor = a->username ? a->username : "system";
    json_t *d = data ? json_incref(data) : json_object();
    char *canon = event_canonical(item_id, seq, at, actor, action, d);
    char *dtext = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(d);
    char hash[65];
    rc = DB_ERR;
    if (!canon || !dtext) {
        log_error("event of item %lld (%.40s): its text cannot be made canonical JSON",
                  (long long)item_id, action ? action : "?");
        goto out;
    }
    event_hash(prev, canon, hash);
    st = db_prepare(db, "INSERT INTO events (item_id, seq, at, actor_id, actor, action, data,"
                        " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st) goto out;
    db_bind_int64(st, 1, item_id);
    db_bind_int64(st, 2, seq);
    db_bind_int64(st, 3, at);
    if (a->user_id)
        db_bind_int64(st, 4, a->user_id);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, actor, (size_t)-1);
    db_bind_text(st, 6, action, (size_t)-1);
    db_bind_text(st, 7, dtext, (size_t)-1);
    db_bind_text(st, 8, prev, (size_t)-1);
    db_bind_text(st, 9, hash, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    if (rc == DB_UNIQUE) rc = DB_RETRY; /* another instance appended first */
    if (rc != DB_DONE) goto out;
    st = db_prepare(db, "UPDATE items SET event_seq = ?2, event_hash = ?3"
                        " WHERE id = ?1 AND event_seq = ?4");
    if (!st) goto out;
    db_bind_int64(st, 1, item_id);
    db_bind_int64(st, 2, seq);
    db_bind_text(st, 3, hash, (size_t)-1);
    db_bind_int64(st, 4, prev_seq);
    rc = db_step(st);
    db_finalize(st);
    if (rc == DB_DONE) rc = db_changes(db) == 1 ? DB_OK : DB_RETRY;
out:
    free(canon);
    free(dtext);
    return rc;
}

int event_link(struct db *db, int64_t item_id, struct db_stmt *update, json_t *records)
{
    if (!update) return DB_ERR;
    int64_t event = 0;
    struct db_stmt *st = db_prepare(db, "SELECT id FROM events WHERE item_id = ?1"
                                        " ORDER BY seq DESC LIMIT 1");
    int rc = st ? DB_OK : DB_ERR;
    if (st) {
        db_bind_int64(st, 1, item_id);
        rc = db_step(st);
        if (rc == DB_ROW) event = db_column_int64(st, 0), rc = DB_OK;
        db_finalize(st);
    }
    for (size_t i = 0; rc == DB_OK && i < json_array_size(records); i++) {
        db_reset(update);
        db_bind_int64(update, 1, event);
        db_bind_int64(update, 2,
                      json_integer_value(json_object_get(json_array_get(records, i), "id")));
        rc = db_step(update);
        rc = rc != DB_DONE ? rc : db_changes(db) == 1 ? DB_OK : DB_ERR;
    }
    db_finalize(update);
    return rc;
}

json_t *event_list_json(struct db *db, int64_t item_id, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, seq, at, actor, action, data, prev_hash, hash,"
                                        " (SELECT u.name FROM users u WHERE u.id = events.actor_id)"
                                        " FROM events WHERE item_id = ?1 ORDER BY seq");
    if (!st) {
        err_db(e, DB_ERR, "listing events");
        return NULL;
    }
    db_bind_int64(st, 1, item_id);
    json_t *events = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[40];
        time_format_iso(db_column_int64(st, 2), at, sizeof at);
        json_t *data = json_loads(db_column_text(st, 5), 0, NULL);
        json_t *name = db_column_is_null(st, 8) ? json_null() : json_string(db_column_text(st, 8));
        json_array_append_new(
            events,
            json_pack("{s:I,s:I,s:s,s:s,s:o,s:s,s:o,s:s,s:s}", "id",
                      (json_int_t)db_column_int64(st, 0), "seq", (json_int_t)db_column_int64(st, 1),
                      "at", at, "actor", db_column_text(st, 3), "actor_name", name, "action",
                      db_column_text(st, 4), "data", data ? data : json_object(), "prev_hash",
                      db_column_text(st, 6), "hash", db_column_text(st, 7)));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(events);
        err_db(e, rc, "listing events");
        return NULL;
    }
    return json_pack("{s:o}", "events", events);
}

int event_verify(struct db *db, struct buf *msg)
{
    struct verify_log v;
    struct replay_stats st;
    verify_log_init(&v, 1);
    int rc = replay_verify(db, REPLAY_CHAINS, &v, &st);
    if (rc == DB_OK && v.problems) {
        buf_append(msg, v.lines.data, v.lines.len - 1); /* without its newline */
        rc = 1;
    } else if (rc == DB_OK) {
        buf_printf(msg, "%lld events in %lld chains verified", (long long)st.events,
                   (long long)st.chains);
    }
    verify_log_free(&v);
    return rc;
}
