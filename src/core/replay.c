/* replay.c — the items against their events.  See replay.h.
 *
 * Five statements walk one batch of item ids side by side, each ordered by
 * item id (a merge, so a database of a million items is read once, in
 * bounded memory); an item's state is a JSON object with the item row's
 * column names, so that the comparison is one field loop.  The kind's own
 * fields are the kind's (its replay hooks): nothing here names a kind. */
#include "core/replay.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attachment.h"
#include "core/document.h"
#include "core/event.h"
#include "core/kind.h"

#define REPLAY_BATCH 2048 /* items per batch */

struct cursor {
    struct db_stmt *st;
    int rc; /* DB_ROW while on a row */
};

static void cur_next(struct cursor *c)
{
    c->rc = db_step(c->st);
}

/* The item id of the cursor's row (column 0), or INT64_MAX when done. */
static int64_t cur_item(const struct cursor *c)
{
    return c->rc == DB_ROW ? db_column_int64(c->st, 0) : INT64_MAX;
}

enum { C_EVENTS, C_ITEMS, C_UNITS, C_FEEDBACK, C_LEAVES, C_COUNT };

/* One pass. */
struct pass {
    struct db *db;
    int mode;
    struct verify_log *v;
    struct replay_stats *st;
    struct cursor c[C_COUNT];
    int64_t checkpoint; /* the latest checkpoint's seq, 0 when none */
    int stop;           /* REPLAY_CHAINS found its problem */
};

/* One item being replayed. */
struct item {
    int64_t id;
    int broken;       /* its chain is broken: its contents are not replayed */
    int created;      /* its create event was seen */
    int64_t last_seq; /* its newest event */
    char last_hash[65];
    int has_leaf;
    int64_t leaf_count;
    char leaf_head[65], leaf_seen[65]; /* the covered head, and the hash at its seq */
    json_t *row, *co, *feedback, *kind_state;
    const struct kind *kind;
};

/* ---- the chain ---- */

/* Mark it broken after a problem of its chain.  Returns 1. */
static int chain_broken(struct pass *p, struct item *it)
{
    it->broken = 1;
    if (p->mode == REPLAY_CHAINS) p->stop = 1;
    return 1;
}

/* Check the event under the cursor against the chain so far; its data
 * (parsed, caller owns) into *data.  0 intact, 1 broken. */
static int chain_check(struct pass *p, struct item *it, json_t **data)
{
    struct db_stmt *st = p->c[C_EVENTS].st;
    long long id = db_column_int64(st, 1), seq = db_column_int64(st, 2), item = it->id;
    *data = json_loads(db_column_text(st, 6), 0, NULL);
    if (seq != it->last_seq + 1) {
        verify_problem(p->v,
                       "event %lld (item %lld): sequence %lld where %lld was expected"
                       " (an event was deleted or reordered)",
                       id, item, seq, (long long)it->last_seq + 1);
        return chain_broken(p, it);
    }
    if (strcmp(db_column_text(st, 7), it->last_hash) != 0) {
        verify_problem(p->v, "event %lld (item %lld): prev_hash does not match the previous event",
                       id, item);
        return chain_broken(p, it);
    }
    char *canon = *data ? event_canonical(it->id, seq, db_column_int64(st, 3),
                                          db_column_text(st, 4), db_column_text(st, 5), *data)
                        : NULL;
    char hash[65] = "";
    if (canon) event_hash(it->last_hash, canon, hash);
    free(canon);
    if (strcmp(hash, db_column_text(st, 8)) != 0) {
        verify_problem(p->v,
                       "event %lld (item %lld, seq %lld): contents do not match its hash"
                       " (the event was edited)",
                       id, item, seq);
        return chain_broken(p, it);
    }
    it->last_seq = seq;
    memcpy(it->last_hash, hash, 65);
    return 0;
}

/* ---- the replay ---- */

static const char *const levels[] = {"general", "key", "listed"};

static json_t *or_null(json_t *v)
{
    return v ? json_incref(v) : json_null();
}

/* The state a create event establishes. */
static void fold_create(struct item *it, json_t *d)
{
    static const char *const copied[] = {
        "kind",           "title",        "description",        "source",
        "feedback_cycle", "lead_unit_id", "parent_id",          "deadline",
        "leader_id",      "delegated_by", "instruction_file_id"};
    json_decref(it->row);
    it->row =
        json_pack("{s:s,s:i,s:i,s:i,s:n,s:n,s:n}", "status", "draft", "progress", 0, "version", 1,
                  "escalation", 0, "assigned_on", "metric_value", "suspended_from");
    for (size_t k = 0; k < sizeof copied / sizeof *copied; k++)
        json_object_set_new(it->row, copied[k], or_null(json_object_get(d, copied[k])));
    json_t *m = json_object_get(d, "metric"), *meeting = json_object_get(d, "meeting");
    json_object_set_new(it->row, "metric_target", or_null(json_object_get(m, "target")));
    json_object_set_new(it->row, "metric_unit", or_null(json_object_get(m, "unit")));
    json_object_set_new(it->row, "meeting_id", or_null(json_object_get(meeting, "id")));
    json_object_set_new(it->row, "meeting_paragraph",
                        or_null(json_object_get(meeting, "paragraph")));
    json_t *co = json_object_get(d, "co_unit_ids");
    json_decref(it->co);
    it->co = co ? json_deep_copy(co) : json_array();
    it->kind = kind_find(json_string_value(json_object_get(d, "kind")));
    json_object_clear(it->kind_state);
    it->created = 1;
}

/* The fields an action's "after" sets on the item row. */
static void fold_after(struct item *it, json_t *after)
{
    const char *key;
    json_t *v;
    json_object_foreach(after, key, v)
    {
        if (!strcmp(key, "co_unit_ids")) { /* an edit's: the item_units rows, not a column */
            json_decref(it->co);
            it->co = json_deep_copy(v);
        } else if (!strcmp(key, "escalation")) {
            int level = 0;
            for (int k = 0; k < 3; k++)
                if (json_is_string(v) && !strcmp(json_string_value(v), levels[k])) level = k + 1;
            json_object_set_new(it->row, key, json_integer(level));
        } else {
            json_object_set(it->row, key, v);
        }
    }
    json_int_t version = json_integer_value(json_object_get(it->row, "version"));
    json_object_set_new(it->row, "version", json_integer(version + 1));
}

/* A feedback event's row as it must be stored. */
static void fold_feedback(struct item *it, json_t *d, struct db_stmt *ev)
{
    json_t *f = json_object();
    json_object_set_new(f, "text", or_null(json_object_get(d, "text")));
    json_object_set_new(f, "progress", or_null(json_object_get(d, "progress")));
    json_object_set_new(f, "metric_value", or_null(json_object_get(d, "value")));
    json_t *late = json_object_get(d, "late");
    json_object_set_new(f, "is_lead", json_integer(late != NULL));
    json_object_set_new(f, "late", json_integer(json_is_true(late)));
    json_object_set_new(f, "user_id",
                        db_column_is_null(ev, 9) ? json_null()
                                                 : json_integer(db_column_int64(ev, 9)));
    json_t *fid = json_object_get(d, "feedback_id");
    if (fid) json_object_set(f, "id", fid);
    json_object_set_new(f, "seq", json_integer(db_column_int64(ev, 2)));
    json_array_append_new(it->feedback, f);
}

/* Fold the event under the cursor (its data d) into the item's state. */
static void fold(struct pass *p, struct item *it, json_t *d)
{
    struct db_stmt *ev = p->c[C_EVENTS].st;
    const char *action = db_column_text(ev, 5);
    int64_t seq = db_column_int64(ev, 2);
    if (!strcmp(action, "create") && !it->created && seq == 1) {
        fold_create(it, d);
    } else if (!it->created) {
        verify_problem(p->v, "item %lld: event seq %lld (%s) comes before its creation",
                       (long long)it->id, (long long)seq, action);
        it->broken = 1;
        return;
    } else {
        json_t *after = json_object_get(d, "after"), *before = json_object_get(d, "before");
        if (json_is_object(after)) fold_after(it, after);
        if (!strcmp(action, "suspend"))
            json_object_set_new(it->row, "suspended_from",
                                or_null(json_object_get(before, "status")));
        if (!strcmp(action, "resume")) json_object_set_new(it->row, "suspended_from", json_null());
        json_t *co = json_object_get(d, "co_unit_ids");
        if (!strcmp(action, "assign") && co) {
            json_decref(it->co);
            it->co = json_deep_copy(co);
        }
        if (!strcmp(action, "feedback")) fold_feedback(it, d, ev);
    }
    if (it->kind && it->kind->replay)
        it->kind->replay(it->kind_state, seq, action, db_column_int64(ev, 3), d);
}

/* ---- the comparisons ---- */

/* The item row under the cursor as the object the replay builds. */
static json_t *item_row(struct db_stmt *st)
{
    static const struct {
        const char *name;
        char type; /* t text, i integer, r real */
    } cols[] = {{"kind", 't'},
                {"title", 't'},
                {"description", 't'},
                {"status", 't'},
                {"source", 't'},
                {"lead_unit_id", 'i'},
                {"parent_id", 'i'},
                {"deadline", 't'},
                {"feedback_cycle", 't'},
                {"metric_target", 'r'},
                {"metric_unit", 't'},
                {"metric_value", 'r'},
                {"progress", 'i'},
                {"version", 'i'},
                {"escalation", 'i'},
                {"assigned_on", 't'},
                {"suspended_from", 't'},
                {"meeting_id", 'i'},
                {"meeting_paragraph", 'i'},
                {"leader_id", 'i'},
                {"delegated_by", 'i'},
                {"instruction_file_id", 'i'}};
    json_t *o = json_object();
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
        int c = (int)k + 1;
        json_t *v = db_column_is_null(st, c) ? json_null()
                    : cols[k].type == 'i'    ? json_integer(db_column_int64(st, c))
                    : cols[k].type == 'r'    ? json_real(db_column_double(st, c))
                                             : verify_text_json(db_column_text(st, c));
        json_object_set_new(o, cols[k].name, v);
    }
    return o;
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* An array of ids as sorted text "[1,5,9]" into out. */
static void ids_text(json_t *a, char *out, size_t len)
{
    size_t n = json_array_size(a), used = 0;
    int64_t *v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_integer_value(json_array_get(a, i));
    qsort(v, n, sizeof *v, id_cmp);
    used += (size_t)snprintf(out, len, "[");
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%lld", i ? "," : "", (long long)v[i]);
    if (used < len) snprintf(out + used, len - used, "]");
    free(v);
}

/* The cooperating units under the cursor for the item, against the events'. */
static void co_check(struct pass *p, struct item *it)
{
    struct cursor *c = &p->c[C_UNITS];
    json_t *have = json_array();
    for (; cur_item(c) == it->id; cur_next(c))
        json_array_append_new(have, json_integer(db_column_int64(c->st, 1)));
    char h[256], w[256];
    ids_text(have, h, sizeof h);
    ids_text(it->co, w, sizeof w);
    if (strcmp(h, w))
        verify_problem(p->v,
                       "item %lld: co_unit_ids: the item_units table says %s, its events"
                       " say %s",
                       (long long)it->id, h, w);
    json_decref(have);
}

/* The feedback row under the cursor as the object fold_feedback builds. */
static json_t *feedback_row(struct db_stmt *st)
{
    return json_pack(
        "{s:I,s:o,s:o,s:o,s:o,s:I,s:I}", "id", (json_int_t)db_column_int64(st, 1), "user_id",
        db_column_is_null(st, 2) ? json_null() : json_integer(db_column_int64(st, 2)), "text",
        verify_text_json(db_column_text(st, 4)), "progress",
        db_column_is_null(st, 5) ? json_null() : json_integer(db_column_int64(st, 5)),
        "metric_value", db_column_is_null(st, 6) ? json_null() : json_real(db_column_double(st, 6)),
        "is_lead", (json_int_t)db_column_int64(st, 3), "late", (json_int_t)db_column_int64(st, 7));
}

/* One feedback row against the event that made it. */
static void feedback_pair(struct pass *p, struct item *it, json_t *want, json_t *row)
{
    char prefix[48];
    snprintf(prefix, sizeof prefix, "feedback %lld ",
             (long long)json_integer_value(json_object_get(row, "id")));
    json_t *w = json_deep_copy(want);
    json_object_del(w, "id");
    json_object_del(w, "seq");
    verify_fields(p->v, it->id, prefix, "feedback row", w, row);
    json_decref(w);
}

/* The feedback rows under the cursor for the item against its feedback
 * events: by the id a newer event names, else in order. */
static void feedback_check(struct pass *p, struct item *it)
{
    struct cursor *c = &p->c[C_FEEDBACK];
    json_t *rows = json_array(), *want;
    for (; cur_item(c) == it->id; cur_next(c))
        json_array_append_new(rows, feedback_row(c->st));
    size_t n = json_array_size(rows), i, k, next = 0;
    char *used = calloc(n + 1, 1);
    json_array_foreach(it->feedback, i, want)
    {
        json_t *fid = json_object_get(want, "id");
        for (k = fid ? 0 : next; k < n; k++) {
            json_t *id = json_object_get(json_array_get(rows, k), "id");
            if (!used[k] && (!fid || json_equal(id, fid))) break;
        }
        if (k == n) {
            verify_problem(p->v, "item %lld: the feedback its event seq %lld made is missing",
                           (long long)it->id,
                           (long long)json_integer_value(json_object_get(want, "seq")));
            continue;
        }
        used[k] = 1;
        if (!fid) next = k + 1;
        feedback_pair(p, it, want, json_array_get(rows, k));
    }
    for (k = 0; k < n; k++)
        if (!used[k])
            verify_problem(
                p->v,
                "item %lld: feedback %lld was made by no event (added behind the"
                " chain's back)",
                (long long)it->id,
                (long long)json_integer_value(json_object_get(json_array_get(rows, k), "id")));
    free(used);
    json_decref(rows);
}

/* The item row's head against the chain, and the latest checkpoint's leaf. */
static void head_check(struct pass *p, struct item *it, struct db_stmt *row)
{
    int64_t seq = db_column_int64(row, 23);
    if (!it->broken &&
        (seq == 0 || seq != it->last_seq || strcmp(db_column_text(row, 24), it->last_hash))) {
        verify_problem(p->v, "item %lld: its newest event (seq %lld) is missing or was changed%s",
                       (long long)it->id, (long long)seq,
                       seq == 0 ? " (the item has no events at all)" : "");
        chain_broken(p, it);
    }
}

static void leaf_check(struct pass *p, struct item *it)
{
    if (!it->has_leaf || p->mode == REPLAY_CHAINS) return;
    p->st->leaves++;
    if (it->last_seq < it->leaf_count)
        verify_problem(p->v,
                       "item %lld: its chain was rewound: checkpoint %lld covered %lld events,"
                       " %lld remain",
                       (long long)it->id, (long long)p->checkpoint, (long long)it->leaf_count,
                       (long long)it->last_seq);
    else if (strcmp(it->leaf_seen, it->leaf_head))
        verify_problem(p->v,
                       "item %lld: event seq %lld is not the one checkpoint %lld covered (the"
                       " chain was rewritten)",
                       (long long)it->id, (long long)it->leaf_count, (long long)p->checkpoint);
}

/* Everything about the item whose row is under the items cursor. */
static int item_check(struct pass *p, struct item *it)
{
    struct db_stmt *row = p->c[C_ITEMS].st;
    p->st->items++;
    head_check(p, it, row);
    leaf_check(p, it);
    int rc = DB_OK;
    if (p->mode == REPLAY_FULL && !it->broken && it->created) {
        json_t *have = item_row(row);
        verify_fields(p->v, it->id, "", "item row", it->row, have);
        json_decref(have);
        co_check(p, it);
        feedback_check(p, it);
        if (it->kind && it->kind->replay_check)
            rc = it->kind->replay_check(p->db, it->id, it->kind_state, p->v);
    }
    return rc;
}

/* ---- the pass ---- */

/* An item id whose events or leaf remain but whose row is gone. */
static void item_gone(struct pass *p, struct item *it, int64_t events)
{
    if (events)
        verify_problem(p->v,
                       "item %lld: %lld events but no item row (the item was deleted behind the"
                       " chain's back)",
                       (long long)it->id, (long long)events);
    if (it->has_leaf && p->mode == REPLAY_FULL) {
        p->st->leaves++;
        verify_problem(p->v, "item %lld: deleted after checkpoint %lld covered it (%lld events)",
                       (long long)it->id, (long long)p->checkpoint, (long long)it->leaf_count);
    }
    if (!events && !it->has_leaf)
        verify_problem(p->v,
                       "item %lld: feedback or cooperating units of an item that does not"
                       " exist",
                       (long long)it->id);
    if (p->mode == REPLAY_CHAINS) p->stop = 1;
}

/* Read item id's events, then check it. */
static int item_pass(struct pass *p, int64_t id)
{
    struct item it = {.id = id, .feedback = json_array(), .kind_state = json_object()};
    struct cursor *ev = &p->c[C_EVENTS], *lv = &p->c[C_LEAVES];
    if (cur_item(lv) == id) {
        it.has_leaf = 1;
        it.leaf_count = db_column_int64(lv->st, 1);
        snprintf(it.leaf_head, sizeof it.leaf_head, "%s", db_column_text(lv->st, 2));
        cur_next(lv);
    }
    int64_t events = 0;
    for (; cur_item(ev) == id && !p->stop; cur_next(ev)) {
        events++;
        p->st->events++;
        json_t *d = NULL;
        if (!it.broken && !chain_check(p, &it, &d) && p->mode == REPLAY_FULL) fold(p, &it, d);
        if (!it.broken && it.has_leaf && it.last_seq == it.leaf_count)
            memcpy(it.leaf_seen, it.last_hash, 65);
        json_decref(d);
    }
    p->st->chains += events > 0;
    int rc = DB_OK;
    if (!p->stop && cur_item(&p->c[C_ITEMS]) == id) {
        rc = item_check(p, &it);
        cur_next(&p->c[C_ITEMS]);
    } else if (!p->stop) {
        item_gone(p, &it, events);
    }
    for (int c = C_UNITS; c <= C_FEEDBACK; c++)
        while (cur_item(&p->c[c]) <= id)
            cur_next(&p->c[c]);
    json_decref(it.row);
    json_decref(it.co);
    json_decref(it.feedback);
    json_decref(it.kind_state);
    return rc;
}

/* The batch's statements, each over item ids [?1, ?2) in item order. */
static int batch_open(struct pass *p, int64_t lo, int64_t hi)
{
    p->c[C_EVENTS].st =
        db_prepare(p->db, "SELECT item_id, id, seq, at, actor, action, data, prev_hash, hash,"
                          " actor_id FROM events WHERE item_id >= ?1 AND item_id < ?2"
                          " ORDER BY item_id, seq");
    p->c[C_ITEMS].st = db_prepare(
        p->db, "SELECT id, kind, title, description, status, source, lead_unit_id, parent_id,"
               " deadline, feedback_cycle, metric_target, metric_unit, metric_value, progress,"
               " version, escalation, assigned_on, suspended_from, meeting_id, meeting_paragraph,"
               " leader_id, delegated_by, instruction_file_id, event_seq, event_hash FROM items"
               " WHERE id >= ?1 AND id < ?2 ORDER BY id");
    p->c[C_UNITS].st = db_prepare(p->db, "SELECT item_id, unit_id FROM item_units"
                                         " WHERE item_id >= ?1 AND item_id < ?2"
                                         " ORDER BY item_id, unit_id");
    p->c[C_FEEDBACK].st =
        db_prepare(p->db, "SELECT item_id, id, user_id, is_lead, text, progress, metric_value,"
                          " late FROM feedback WHERE item_id >= ?1 AND item_id < ?2"
                          " ORDER BY item_id, id");
    p->c[C_LEAVES].st = db_prepare(p->db, "SELECT item_id, event_count, head FROM merkle_leaves"
                                          " WHERE item_id >= ?1 AND item_id < ?2"
                                          " ORDER BY item_id");
    int ok = 1;
    for (int c = 0; c < C_COUNT; c++) {
        if (!p->c[c].st) {
            ok = 0;
            continue;
        }
        db_bind_int64(p->c[c].st, 1, lo);
        db_bind_int64(p->c[c].st, 2, hi);
        cur_next(&p->c[c]);
        if (p->c[c].rc != DB_ROW && p->c[c].rc != DB_DONE) ok = 0;
    }
    return ok ? DB_OK : DB_ERR;
}

static void batch_close(struct pass *p)
{
    for (int c = 0; c < C_COUNT; c++) {
        db_finalize(p->c[c].st);
        p->c[c].st = NULL;
    }
}

static int batch(struct pass *p, int64_t lo, int64_t hi)
{
    int rc = batch_open(p, lo, hi);
    while (rc == DB_OK && !p->stop) {
        int64_t id = INT64_MAX;
        for (int c = 0; c < C_COUNT; c++)
            if (cur_item(&p->c[c]) < id) id = cur_item(&p->c[c]);
        if (id == INT64_MAX) break;
        rc = item_pass(p, id);
        for (int c = 0; c < C_COUNT && rc == DB_OK; c++)
            if (p->c[c].rc != DB_ROW && p->c[c].rc != DB_DONE) rc = p->c[c].rc;
    }
    batch_close(p);
    return rc;
}

/* The end of the batch that starts at lo: REPLAY_BATCH item rows on, or
 * past the highest id anything refers to. */
static int batch_end(struct db *db, int64_t lo, int64_t max, int64_t *hi)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT id FROM items WHERE id >= ?1 ORDER BY id LIMIT 1 OFFSET ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, lo);
    db_bind_int64(st, 2, REPLAY_BATCH);
    int rc = db_step(st);
    *hi = rc == DB_ROW ? db_column_int64(st, 0) : max + 1;
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The highest item id any table refers to. */
static int highest_id(struct db *db, int64_t *max)
{
    int64_t v[4] = {0, 0, 0, 0};
    int rc = db_query_int64(db, "SELECT coalesce(max(id), 0) FROM items", 0, 0, &v[0]);
    if (rc == DB_OK)
        rc = db_query_int64(db, "SELECT coalesce(max(item_id), 0) FROM events", 0, 0, &v[1]);
    if (rc == DB_OK)
        rc = db_query_int64(db, "SELECT coalesce(max(item_id), 0) FROM merkle_leaves", 0, 0, &v[2]);
    if (rc == DB_OK)
        rc = db_query_int64(db, "SELECT coalesce(max(item_id), 0) FROM feedback", 0, 0, &v[3]);
    *max = 0;
    for (int k = 0; k < 4; k++)
        if (v[k] > *max) *max = v[k];
    return rc;
}

int replay_verify(struct db *db, int mode, struct verify_log *v, struct replay_stats *st)
{
    struct pass p = {.db = db, .mode = mode, .v = v, .st = st};
    memset(st, 0, sizeof *st);
    int64_t max = 0, lo = 0, hi;
    int rc = highest_id(db, &max);
    if (rc == DB_OK)
        rc = db_query_int64(db, "SELECT coalesce(max(seq), 0) FROM checkpoints", 0, 0,
                            &p.checkpoint);
    while (rc == DB_OK && lo <= max && !p.stop) {
        rc = batch_end(db, lo, max, &hi);
        if (rc == DB_OK) rc = batch(&p, lo, hi);
        lo = hi;
    }
    if (rc == DB_OK && mode == REPLAY_FULL) rc = attachment_verify(db, v);
    if (rc == DB_OK && mode == REPLAY_FULL) rc = document_verify(db, v);
    return rc;
}
