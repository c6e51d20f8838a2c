/* config_chain.c — the configuration chain: reading the sections' rows,
 * appending events, the baseline and upgrade events, verifying by replay,
 * and the history the admin pages show.  See config_chain.h.
 *
 * A section is a row of `sections` (its name, whether its key is an id, its
 * columns and their types) and a case of section_stmt, which holds its two
 * queries as literals (one row by key, all rows).  The writers of each
 * table (setting.c, calendar.c, meeting.c's keywords, hazard_route.c,
 * user.c, unit.c, apikey.c) call config_row before a change and
 * config_record after it. */
#include "core/config_chain.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

struct section {
    const char *name;
    int int_key; /* keyed by an integer id (else by text) */
    /* the columns after the key: t text, i integer, r real, s secret text (kept as its SHA-256) */
    const char *types;
    const char *const cols[12];
    int since; /* the schema version from which the chain holds its rows (0: from the start) */
};

static const struct section sections[CONFIG_SECTIONS] = {
    [CONFIG_SETTINGS] = {"settings", 0, "t", {"value"}},
    [CONFIG_CALENDAR] = {"calendar", 0, "tt", {"kind", "name"}},
    [CONFIG_KEYWORDS] = {"keywords", 1, "ti", {"keyword", "unit_id"}},
    [CONFIG_CATEGORIES] = {"categories",
                           1,
                           "ttttttii",
                           {"code", "name", "name_en", "grp", "description", "attributes", "active",
                            "sort"}},
    [CONFIG_ROUTES] = {"routes",
                       1,
                       "iiiiii",
                       {"category_id", "area_unit_id", "unit_id", "valid_from", "valid_to",
                        "created_by"}},
    [CONFIG_USERS] = {"users",
                      1,
                      "ttiiiis",
                      {"username", "name", "unit_id", "roles", "disabled", "created_at",
                       "password"}},
    [CONFIG_UNITS] = {"units", 1, "tttii", {"code", "name", "kind", "parent_id", "created_at"}},
    [CONFIG_API_KEYS] = {"api_keys", 1, "tsii", {"name", "key", "created_at", "revoked"}},
    [CONFIG_CHANNELS] = {"channels",
                         0,
                         "itttts",
                         {"enabled", "url", "username", "sender", "tls", "secret"}},
    [CONFIG_REQUEST_CATEGORIES] =
        {"request_categories", 0, "ttii", {"name", "name_en", "limit_days", "sort"}, 16},
    [CONFIG_REQUEST_ROUTES] = {"request_routes",
                               1,
                               "tiiiii",
                               {"category", "area_unit_id", "unit_id", "valid_from", "valid_to",
                                "created_by"},
                               16},
    [CONFIG_ASSESSMENT] = {"assessment",
                           1,
                           "iitrtiiiitit",
                           {"year", "unit_id", "kind", "points", "reason", "item_id", "meeting_id",
                            "withdraws", "actor_id", "actor", "at", "evidence"},
                           17},
    [CONFIG_OBJECTIONS] = {"objections",
                           1,
                           "iitititttii",
                           {"entry_id", "unit_id", "text", "actor_id", "actor", "at", "status",
                            "decision_reason", "decided_by", "decided_at", "counter_entry_id"},
                           17},
};

const char *config_section_name(enum config_section s)
{
    return s < CONFIG_SECTIONS ? sections[s].name : "?";
}

int config_section_find(const char *name)
{
    for (int s = 0; name && s < CONFIG_SECTIONS; s++)
        if (!strcmp(sections[s].name, name)) return s;
    return -1;
}

void config_key_id(int64_t id, char out[24])
{
    snprintf(out, 24, "%lld", (long long)id);
}

/* section_stmt's sections added since schema 016 (requests, 考核). */
static struct db_stmt *section_stmt_later(struct db *db, enum config_section s, int one)
{
    switch (s) {
    case CONFIG_REQUEST_CATEGORIES:
        return one ? db_prepare(db, "SELECT code, name, name_en, limit_days, sort"
                                    " FROM request_categories WHERE code = ?1")
                   : db_prepare(db, "SELECT code, name, name_en, limit_days, sort"
                                    " FROM request_categories ORDER BY code");
    case CONFIG_REQUEST_ROUTES:
        return one ? db_prepare(db, "SELECT id, category, area_unit_id, unit_id, valid_from,"
                                    " valid_to, created_by FROM request_routes WHERE id = ?1")
                   : db_prepare(db, "SELECT id, category, area_unit_id, unit_id, valid_from,"
                                    " valid_to, created_by FROM request_routes ORDER BY id");
    case CONFIG_ASSESSMENT:
        return one ? db_prepare(db, "SELECT id, year, unit_id, kind, points, reason, item_id,"
                                    " meeting_id, withdraws, actor_id, actor, at, evidence"
                                    " FROM assessment_entries WHERE id = ?1")
                   : db_prepare(db, "SELECT id, year, unit_id, kind, points, reason, item_id,"
                                    " meeting_id, withdraws, actor_id, actor, at, evidence"
                                    " FROM assessment_entries ORDER BY id");
    case CONFIG_OBJECTIONS:
        return one ? db_prepare(db, "SELECT id, entry_id, unit_id, text, actor_id, actor, at,"
                                    " status, decision_reason, decided_by, decided_at,"
                                    " counter_entry_id FROM assessment_objections WHERE id = ?1")
                   : db_prepare(db, "SELECT id, entry_id, unit_id, text, actor_id, actor, at,"
                                    " status, decision_reason, decided_by, decided_at,"
                                    " counter_entry_id FROM assessment_objections ORDER BY id");
    default:
        return NULL;
    }
}

/* The section's query: one row by key (?1), or all rows.  Column 0 is the
 * key, then the columns of its row in `sections` order. */
static struct db_stmt *section_stmt(struct db *db, enum config_section s, int one)
{
    switch (s) {
    case CONFIG_SETTINGS:
        return one ? db_prepare(db, "SELECT key, value FROM settings WHERE key = ?1")
                   : db_prepare(db, "SELECT key, value FROM settings ORDER BY key");
    case CONFIG_CALENDAR:
        return one ? db_prepare(db, "SELECT day, kind, name FROM calendar_days WHERE day = ?1")
                   : db_prepare(db, "SELECT day, kind, name FROM calendar_days ORDER BY day");
    case CONFIG_KEYWORDS:
        return one ? db_prepare(db, "SELECT id, keyword, unit_id FROM intake_rules WHERE id = ?1")
                   : db_prepare(db, "SELECT id, keyword, unit_id FROM intake_rules ORDER BY id");
    case CONFIG_CATEGORIES:
        return one ? db_prepare(db, "SELECT id, code, name, name_en, grp, description, attributes,"
                                    " active, sort FROM hazard_categories WHERE id = ?1")
                   : db_prepare(db, "SELECT id, code, name, name_en, grp, description, attributes,"
                                    " active, sort FROM hazard_categories ORDER BY id");
    case CONFIG_ROUTES:
        return one ? db_prepare(db, "SELECT id, category_id, area_unit_id, unit_id, valid_from,"
                                    " valid_to, created_by FROM hazard_routes WHERE id = ?1")
                   : db_prepare(db, "SELECT id, category_id, area_unit_id, unit_id, valid_from,"
                                    " valid_to, created_by FROM hazard_routes ORDER BY id");
    case CONFIG_USERS:
        return one ? db_prepare(db, "SELECT id, username, name, unit_id, roles, disabled,"
                                    " created_at, password_hash FROM users WHERE id = ?1")
                   : db_prepare(db, "SELECT id, username, name, unit_id, roles, disabled,"
                                    " created_at, password_hash FROM users ORDER BY id");
    case CONFIG_UNITS:
        return one ? db_prepare(db, "SELECT id, code, name, kind, parent_id, created_at FROM units"
                                    " WHERE id = ?1")
                   : db_prepare(db, "SELECT id, code, name, kind, parent_id, created_at FROM units"
                                    " ORDER BY id");
    case CONFIG_API_KEYS:
        return one ? db_prepare(db, "SELECT id, name, key_hash, created_at, revoked FROM api_keys"
                                    " WHERE id = ?1")
                   : db_prepare(db, "SELECT id, name, key_hash, created_at, revoked FROM api_keys"
                                    " ORDER BY id");
    case CONFIG_CHANNELS:
        return one ? db_prepare(db, "SELECT name, enabled, url, username, sender, tls, secret"
                                    " FROM channels WHERE name = ?1")
                   : db_prepare(db, "SELECT name, enabled, url, username, sender, tls, secret"
                                    " FROM channels ORDER BY name");
    default:
        return section_stmt_later(db, s, one);
    }
}

/* The current row of st (section sec) as its canonical object. */
static json_t *row_json(struct db_stmt *st, const struct section *sec)
{
    json_t *o = json_object();
    for (int c = 0; sec->types[c]; c++) {
        int col = c + 1;
        json_t *v;
        if (db_column_is_null(st, col)) {
            v = json_null();
        } else if (sec->types[c] == 'i') {
            v = json_integer(db_column_int64(st, col));
        } else if (sec->types[c] == 'r') {
            v = json_real(db_column_double(st, col));
        } else if (sec->types[c] == 's') {
            unsigned char h[crypto_hash_sha256_BYTES];
            char hex[65];
            const char *s = db_column_text(st, col);
            crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
            str_hex(h, sizeof h, hex);
            v = json_string(hex);
        } else {
            v = verify_text_json(db_column_text(st, col));
        }
        json_object_set_new(o, sec->cols[c], v);
    }
    return o;
}

/* The key of st's current row as text. */
static void row_key(struct db_stmt *st, const struct section *sec, char out[64])
{
    if (sec->int_key)
        config_key_id(db_column_int64(st, 0), out);
    else
        snprintf(out, 64, "%s", db_column_is_null(st, 0) ? "" : db_column_text(st, 0));
}

int config_row(struct db *db, enum config_section s, const char *key, json_t **row)
{
    *row = NULL;
    struct db_stmt *st = section_stmt(db, s, 1);
    if (!st) return DB_ERR;
    int64_t id = 0;
    if (sections[s].int_key) {
        if (str_to_int64(key, strlen(key), &id)) id = -1;
        db_bind_int64(st, 1, id);
    } else {
        db_bind_text(st, 1, key, (size_t)-1);
    }
    int rc = db_step(st);
    if (rc == DB_ROW) *row = row_json(st, &sections[s]);
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Every row of section s into out (an object key → row).  A db code. */
static int section_rows(struct db *db, enum config_section s, json_t *out)
{
    struct db_stmt *st = section_stmt(db, s, 0);
    if (!st) return DB_ERR;
    int rc;
    char key[64];
    while ((rc = db_step(st)) == DB_ROW) {
        row_key(st, &sections[s], key);
        json_object_set_new(out, key, row_json(st, &sections[s]));
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

json_t *config_snapshot(struct db *db)
{
    int64_t schema = 0;
    /* a section newer than the database has no table yet: no rows */
    if (db_query_int64(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, 0,
                       &schema) != DB_OK)
        return NULL;
    return config_snapshot_at(db, (int)schema);
}

json_t *config_snapshot_at(struct db *db, int schema)
{
    json_t *snap = json_object();
    for (int s = 0; s < CONFIG_SECTIONS; s++) {
        json_t *rows = json_object();
        json_object_set_new(snap, sections[s].name, rows);
        if (sections[s].since > schema) continue;
        if (section_rows(db, (enum config_section)s, rows) != DB_OK) {
            json_decref(snap);
            return NULL;
        }
    }
    return snap;
}

/* ---- the chain ---- */

int config_chain_head(struct db *db, int64_t *seq, char hash[65])
{
    *seq = 0;
    hash[0] = '\0';
    struct db_stmt *st =
        db_prepare(db, "SELECT seq, hash FROM config_events ORDER BY seq DESC LIMIT 1");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *seq = db_column_int64(st, 0);
        snprintf(hash, 65, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int config_chain_hash_at(struct db *db, int64_t seq, char hash[65])
{
    hash[0] = '\0';
    if (seq == 0) return 1;
    struct db_stmt *st = db_prepare(db, "SELECT hash FROM config_events WHERE seq = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, seq);
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(hash, 65, "%s", db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

/* The canonical text of an event (malloc'd), or NULL when it cannot be
 * written (never for rows built by row_json). */
static char *canonical(int64_t seq, int64_t at, const char *actor, const char *action,
                       const char *section, const char *key, json_t *before, json_t *after)
{
    json_t *o = json_pack("{s:s,s:s,s:O,s:I,s:O,s:s,s:s,s:I}", "action", action, "actor", actor,
                          "after", after ? after : json_null(), "at", (json_int_t)at, "before",
                          before ? before : json_null(), "key", key, "section", section, "seq",
                          (json_int_t)seq);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

static void bind_json(struct db_stmt *st, int idx, json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    db_bind_text(st, idx, s, (size_t)-1);
    free(s);
}

/* Append one event after the head.  DB_OK, DB_RETRY when another writer
 * appended first, or a db code. */
static int chain_append(struct db *db, const struct actor *a, const char *action,
                        const char *section, const char *key, json_t *before, json_t *after)
{
    int64_t seq;
    char prev[65], hash[65];
    int rc = config_chain_head(db, &seq, prev);
    if (rc != DB_OK) return rc;
    seq++;
    int64_t at = time_now_ms();
    const char *actor = a && a->username ? a->username : "system";
    char *canon = canonical(seq, at, actor, action, section, key, before, after);
    if (!canon) return DB_ERR;
    event_hash(prev, canon, hash);
    free(canon);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO config_events (seq, at, actor_id, actor, action, section, key,"
            " before_row, after_row, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
            " ?10, ?11)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, seq);
    db_bind_int64(st, 2, at);
    if (a && a->user_id)
        db_bind_int64(st, 3, a->user_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, actor, (size_t)-1);
    db_bind_text(st, 5, action, (size_t)-1);
    db_bind_text(st, 6, section, (size_t)-1);
    db_bind_text(st, 7, key, (size_t)-1);
    bind_json(st, 8, before);
    bind_json(st, 9, after);
    db_bind_text(st, 10, prev, (size_t)-1);
    db_bind_text(st, 11, hash, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    if (rc == DB_UNIQUE) return DB_RETRY;
    return rc == DB_DONE ? DB_OK : rc;
}

static int equal_rows(json_t *a, json_t *b)
{
    return (!a && !b) || (a && b && json_equal(a, b));
}

/* The baseline: every row now, with section s's row key as it was (before). */
static int write_baseline(struct db *db, int schema, enum config_section s, const char *key,
                          json_t *before)
{
    json_t *snap = config_snapshot(db);
    if (!snap) return DB_ERR;
    if (key) {
        json_t *rows = json_object_get(snap, sections[s].name);
        if (before)
            json_object_set(rows, key, before);
        else
            json_object_del(rows, key);
    }
    json_t *after = json_pack("{s:o}", "rows", snap);
    if (schema) json_object_set_new(after, "schema", json_integer(schema));
    int rc = chain_append(db, NULL, "baseline", "*", "", NULL, after);
    json_decref(after);
    return rc;
}

static int chain_err(struct err *e, int rc)
{
    if (rc == DB_RETRY)
        return err_set(e, 503, "busy", "the configuration changed meanwhile; try again");
    return err_db(e, rc, "recording the configuration change");
}

int config_record(struct db *db, const struct actor *a, const char *action, enum config_section s,
                  const char *key, json_t *before, struct err *e)
{
    json_t *after = NULL;
    int64_t seq;
    char head[65];
    int rc = config_row(db, s, key, &after);
    if (rc == DB_OK && !equal_rows(before, after)) {
        rc = config_chain_head(db, &seq, head);
        if (rc == DB_OK && seq == 0) rc = write_baseline(db, 0, s, key, before);
        if (rc == DB_OK) rc = chain_append(db, a, action, sections[s].name, key, before, after);
    }
    json_decref(before);
    json_decref(after);
    return rc == DB_OK ? 0 : chain_err(e, rc);
}

/* The rows of now that differ from before, as {"rows":{section:{key:row|null}}}
 * into *old and *new (NULL when nothing differs). */
static void snapshot_diff(json_t *before, json_t *now, json_t **old, json_t **new)
{
    json_t *o = json_object(), *n = json_object();
    for (int s = 0; s < CONFIG_SECTIONS; s++) {
        json_t *b = json_object_get(before, sections[s].name);
        json_t *a = json_object_get(now, sections[s].name), *os = json_object(),
               *ns = json_object(), *v;
        const char *key;
        json_object_foreach(a, key, v)
        {
            json_t *w = json_object_get(b, key);
            if (w && json_equal(v, w)) continue;
            json_object_set(os, key, w ? w : json_null());
            json_object_set(ns, key, v);
        }
        json_object_foreach(b, key, v)
        {
            if (json_object_get(a, key)) continue;
            json_object_set(os, key, v);
            json_object_set(ns, key, json_null());
        }
        if (json_object_size(ns)) {
            json_object_set(o, sections[s].name, os);
            json_object_set(n, sections[s].name, ns);
        }
        json_decref(os);
        json_decref(ns);
    }
    *old = json_object_size(n) ? json_pack("{s:o}", "rows", o) : (json_decref(o), NULL);
    *new = *old ? json_pack("{s:o}", "rows", n) : (json_decref(n), NULL);
}

int config_chain_upgrade(struct db *db, json_t *before, int schema, struct err *e)
{
    int64_t seq;
    char head[65];
    int rc = config_chain_head(db, &seq, head);
    if (rc == DB_OK && seq == 0) rc = write_baseline(db, schema, CONFIG_SECTIONS, NULL, NULL);
    if (rc != DB_OK || seq == 0 || !before) return rc == DB_OK ? 0 : chain_err(e, rc);
    json_t *now = config_snapshot(db), *old = NULL, *new = NULL;
    if (!now) return chain_err(e, DB_ERR);
    snapshot_diff(before, now, &old, &new);
    json_decref(now);
    if (new) {
        json_object_set_new(new, "schema", json_integer(schema));
        rc = chain_append(db, NULL, "upgrade", "*", "", old, new);
    }
    json_decref(old);
    json_decref(new);
    return rc == DB_OK ? 0 : chain_err(e, rc);
}

/* ---- verifying by replay ---- */

/* How a row is named in a problem: "settings 'light.behind_red'",
 * "users 7 (zhangsan)". */
static void entry_name(int s, const char *key, json_t *row, char *out, size_t len)
{
    static const char *const label[CONFIG_SECTIONS] = {[CONFIG_KEYWORDS] = "keyword",
                                                       [CONFIG_CATEGORIES] = "code",
                                                       [CONFIG_USERS] = "username",
                                                       [CONFIG_UNITS] = "code",
                                                       [CONFIG_API_KEYS] = "name"};
    const char *l = label[s] ? json_string_value(json_object_get(row, label[s])) : NULL;
    if (!sections[s].int_key)
        snprintf(out, len, "%s '%s'", sections[s].name, key);
    else if (l)
        snprintf(out, len, "%s %s (%s)", sections[s].name, key, l);
    else
        snprintf(out, len, "%s %s", sections[s].name, key);
    utf8_sanitize(out); /* a long name cut by out: still text */
}

/* Name the fields in which the table's row differs from the chain's. */
static void row_diff(struct verify_log *v, const char *name, json_t *table, json_t *chain)
{
    const char *field;
    json_t *t;
    json_object_foreach(table, field, t)
    {
        json_t *c = json_object_get(chain, field);
        if (c && json_equal(c, t)) continue;
        if (!strcmp(field, "password") || !strcmp(field, "key") || !strcmp(field, "secret")) {
            verify_problem(v, "config %s: its %s was changed behind the configuration chain", name,
                           field);
            continue;
        }
        char *ts = json_dumps(t, JSON_ENCODE_ANY | JSON_COMPACT);
        char *cs = c ? json_dumps(c, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        verify_problem(v, "config %s: %s is %.200s in the table, %.200s in the configuration chain",
                       name, field, ts ? ts : "?", cs ? cs : "absent");
        free(ts);
        free(cs);
    }
}

/* Compare the replayed rows of every section with the tables. */
static int compare_tables(struct db *db, json_t *state, struct verify_log *v)
{
    json_t *now = config_snapshot(db);
    if (!now) return DB_ERR;
    char name[200];
    for (int s = 0; s < CONFIG_SECTIONS; s++) {
        json_t *rows = json_object_get(now, sections[s].name);
        json_t *chain = json_object_get(state, sections[s].name), *row;
        const char *key;
        json_object_foreach(rows, key, row)
        {
            json_t *c = json_object_get(chain, key);
            entry_name(s, key, row, name, sizeof name);
            if (!c)
                verify_problem(v,
                               "config %s: in the table but not in the configuration chain"
                               " (added behind its back)",
                               name);
            else if (!json_equal(c, row))
                row_diff(v, name, row, c);
        }
        json_object_foreach(chain, key, row)
        {
            if (json_object_get(rows, key)) continue;
            entry_name(s, key, row, name, sizeof name);
            verify_problem(v,
                           "config %s: in the configuration chain but missing from the table"
                           " (removed behind its back)",
                           name);
        }
    }
    json_decref(now);
    return DB_OK;
}

/* Apply one event's change to the replayed state; a change's before must be
 * the row as the chain had it. */
static void replay_apply(json_t *state, int64_t seq, const char *section, const char *key,
                         json_t *before, json_t *after, struct verify_log *v)
{
    if (!strcmp(section, "*")) {
        const char *sname, *k;
        json_t *rows, *row;
        json_object_foreach(json_object_get(after, "rows"), sname, rows)
        {
            json_t *sec = json_object_get(state, sname);
            json_object_foreach(rows, k, row)
            {
                if (json_is_null(row))
                    json_object_del(sec, k);
                else
                    json_object_set(sec, k, row);
            }
        }
        return;
    }
    json_t *sec = json_object_get(state, section);
    if (!sec) {
        verify_problem(v, "config event %lld: no section '%.40s'", (long long)seq, section);
        return;
    }
    json_t *had = json_object_get(sec, key);
    if (!equal_rows(had, json_is_null(before) ? NULL : before))
        verify_problem(v,
                       "config event %lld (%s '%s'): its before is not the row as the chain had it",
                       (long long)seq, section, key);
    if (!after || json_is_null(after))
        json_object_del(sec, key);
    else
        json_object_set(sec, key, after);
}

/* Check one stored event's place in the chain and its hash. */
static void check_link(struct db_stmt *st, int64_t expect, const char *prev, json_t *before,
                       json_t *after, struct verify_log *v)
{
    int64_t seq = db_column_int64(st, 0);
    if (seq != expect)
        verify_problem(v,
                       "config event %lld: sequence %lld where %lld was expected (an event was"
                       " deleted or reordered)",
                       (long long)seq, (long long)seq, (long long)expect);
    if (strcmp(db_column_text(st, 8), prev))
        verify_problem(v, "config event %lld: prev_hash does not match the previous event",
                       (long long)seq);
    char *canon =
        canonical(seq, db_column_int64(st, 1), db_column_text(st, 2), db_column_text(st, 3),
                  db_column_text(st, 4), db_column_text(st, 5), before, after);
    char hash[65] = "";
    if (canon) event_hash(prev, canon, hash);
    free(canon);
    if (strcmp(hash, db_column_text(st, 9)))
        verify_problem(v,
                       "config event %lld (%s '%s'): contents do not match its hash (the event"
                       " was edited)",
                       (long long)seq, db_column_text(st, 4), db_column_text(st, 5));
}

static json_t *column_json(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? NULL : json_loads(db_column_text(st, col), 0, NULL);
}

int config_chain_verify(struct db *db, struct verify_log *v, int64_t *events)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT seq, at, actor, action, section, key, before_row, after_row,"
                       " prev_hash, hash FROM config_events ORDER BY seq");
    if (!st) return DB_ERR;
    json_t *state = json_object();
    for (int s = 0; s < CONFIG_SECTIONS; s++)
        json_object_set_new(state, sections[s].name, json_object());
    char prev[65] = "";
    int rc;
    *events = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *before = column_json(st, 6), *after = column_json(st, 7);
        check_link(st, ++*events, prev, before, after, v);
        replay_apply(state, db_column_int64(st, 0), db_column_text(st, 4), db_column_text(st, 5),
                     before, after, v);
        snprintf(prev, sizeof prev, "%s", db_column_text(st, 9));
        json_decref(before);
        json_decref(after);
    }
    db_finalize(st);
    if (rc == DB_DONE && *events == 0)
        verify_problem(v, "config: the configuration chain is empty (`luoshi init` starts it)");
    if (rc == DB_DONE) rc = compare_tables(db, state, v);
    json_decref(state);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- the history ---- */

/* A row as the history shows it: the digests of secrets left out. */
static json_t *shown_row(json_t *row)
{
    if (!json_is_object(row)) return json_null();
    json_t *o = json_deep_copy(row);
    json_object_del(o, "password");
    json_object_del(o, "key");
    json_object_del(o, "secret");
    return o;
}

/* The fields that differ between two rows (a secret by its name). */
static json_t *changed_fields(json_t *before, json_t *after)
{
    json_t *a = json_array(), *v;
    const char *field;
    json_t *all = json_object();
    if (json_is_object(before)) json_object_update(all, before);
    if (json_is_object(after)) json_object_update(all, after);
    json_object_foreach(all, field, v)
    {
        json_t *b = json_object_get(before, field), *n = json_object_get(after, field);
        if (!b || !n || !json_equal(b, n)) json_array_append_new(a, json_string(field));
    }
    json_decref(all);
    return a;
}

/* A baseline or upgrade event's rows as counts per section. */
static json_t *rows_summary(json_t *rows)
{
    json_t *o = json_object(), *v;
    const char *sname;
    json_object_foreach(json_object_get(rows, "rows"), sname, v)
        json_object_set_new(o, sname, json_integer((json_int_t)json_object_size(v)));
    return o;
}

static json_t *history_row(struct db_stmt *st)
{
    char at[40];
    time_format_iso(db_column_int64(st, 1), at, sizeof at);
    json_t *before = column_json(st, 6), *after = column_json(st, 7), *o;
    int whole = !strcmp(db_column_text(st, 4), "*");
    o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)db_column_int64(st, 0), "at", at,
                  "actor", db_column_text(st, 2), "action", db_column_text(st, 3), "section",
                  db_column_text(st, 4), "key", db_column_text(st, 5));
    if (whole) {
        json_object_set_new(o, "rows", rows_summary(after));
    } else {
        json_object_set_new(o, "before", shown_row(before));
        json_object_set_new(o, "after", shown_row(after));
        json_object_set_new(o, "changed", changed_fields(before, after));
    }
    json_decref(before);
    json_decref(after);
    return o;
}

json_t *config_chain_list_json(struct db *db, const char *section, int64_t offset, int64_t limit,
                               struct err *e)
{
    int64_t total = 0;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM config_events"
                                        " WHERE ?1 IS NULL OR section = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the configuration history"), NULL;
    db_bind_text(st, 1, section, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) total = db_column_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "reading the configuration history"), NULL;
    st = db_prepare(db, "SELECT seq, at, actor, action, section, key, before_row, after_row"
                        " FROM config_events WHERE ?1 IS NULL OR section = ?1"
                        " ORDER BY seq DESC LIMIT ?2 OFFSET ?3");
    if (!st) return err_db(e, DB_ERR, "reading the configuration history"), NULL;
    db_bind_text(st, 1, section, (size_t)-1);
    db_bind_int64(st, 2, limit);
    db_bind_int64(st, 3, offset);
    json_t *list = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, history_row(st));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return err_db(e, rc, "reading the configuration history"), NULL;
    }
    return json_pack("{s:o,s:I,s:I,s:I}", "events", list, "total_count", (json_int_t)total,
                     "offset", (json_int_t)offset, "limit", (json_int_t)limit);
}
