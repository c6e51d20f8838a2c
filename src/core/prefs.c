/* prefs.c — users' choices of how to be reached.  See prefs.h.
 *
 * Lists are kept as comma-separated text ("email,dingtalk"; events "*" or
 * "assign,urge"): what the delivery path reads per recipient is then one
 * row without a join.  Writing parses the whole body before anything is
 * stored. */
#include "core/prefs.h"

#include <stdio.h>
#include <string.h>

#include "core/channel.h"
#include "core/notify.h"
#include "util/time.h"

static void prefs_default(struct prefs *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->events, sizeof p->events, "*");
    p->quiet_start = p->quiet_end = -1;
}

static void copy_col(struct db_stmt *st, int col, char *out, size_t n)
{
    const char *s = db_column_is_null(st, col) ? "" : db_column_text(st, col);
    snprintf(out, n, "%s", s ? s : "");
}

int prefs_load(struct db *db, int64_t user_id, struct prefs *p)
{
    prefs_default(p);
    struct db_stmt *st = db_prepare(db, "SELECT email, mobile, channels, events, quiet_start,"
                                        " quiet_end, digest, digest_after FROM user_prefs"
                                        " WHERE user_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, user_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        char channels[128];
        copy_col(st, 0, p->email, sizeof p->email);
        copy_col(st, 1, p->mobile, sizeof p->mobile);
        copy_col(st, 2, channels, sizeof channels);
        p->channels = prefs_channel_mask(channels);
        copy_col(st, 3, p->events, sizeof p->events);
        if (!db_column_is_null(st, 4) && !db_column_is_null(st, 5)) {
            p->quiet_start = (int)db_column_int64(st, 4);
            p->quiet_end = (int)db_column_int64(st, 5);
        }
        p->digest = db_column_int64(st, 6) != 0;
        p->digest_after = db_column_int64(st, 7);
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

/* "HH:MM" of a minute of the day into out (8 bytes). */
static void hhmm(int minute, char out[8])
{
    unsigned m = (unsigned)minute % 1440;
    snprintf(out, 8, "%02u:%02u", m / 60, m % 60);
}

/* A comma-separated list as a JSON array of its names. */
static json_t *csv_json(const char *csv)
{
    json_t *a = json_array();
    while (*csv) {
        const char *comma = strchr(csv, ',');
        size_t n = comma ? (size_t)(comma - csv) : strlen(csv);
        if (n) json_array_append_new(a, json_stringn(csv, n));
        csv += n + (comma != NULL);
    }
    return a;
}

static json_t *prefs_to_json(const struct prefs *p)
{
    json_t *channels = json_array(), *quiet = json_null();
    for (int k = 0; k < CHANNEL_COUNT; k++)
        if (p->channels & (1u << k)) json_array_append_new(channels, json_string(channel_names[k]));
    if (p->quiet_start >= 0) {
        char a[8], b[8];
        hhmm(p->quiet_start, a);
        hhmm(p->quiet_end, b);
        quiet = json_pack("{s:s,s:s}", "start", a, "end", b);
    }
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:b}", "email", p->email, "mobile", p->mobile,
                     "channels", channels, "events",
                     strcmp(p->events, "*") ? csv_json(p->events) : json_string("*"), "quiet_hours",
                     quiet, "digest", p->digest);
}

json_t *prefs_json(struct db *db, int64_t user_id, struct err *e)
{
    struct prefs p;
    int rc = prefs_load(db, user_id, &p);
    if (rc != DB_OK && rc != DB_DONE) return err_db(e, rc, "reading the preferences"), NULL;
    return prefs_to_json(&p);
}

int prefs_wants(const char *events, const char *action)
{
    if (!strcmp(events, "*")) return 1;
    size_t n = strlen(action);
    for (const char *s = events; *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len == n && !memcmp(s, action, n)) return 1;
        s += len + (comma != NULL);
    }
    return 0;
}

unsigned prefs_channel_mask(const char *csv)
{
    unsigned mask = 0;
    for (int k = 0; k < CHANNEL_COUNT; k++)
        if (prefs_wants(csv, channel_names[k])) mask |= 1u << k;
    return strcmp(csv, "*") ? mask : 0;
}

int64_t prefs_release_at(int quiet_start, int quiet_end, int64_t now)
{
    if (quiet_start < 0 || quiet_end < 0 || quiet_start == quiet_end) return now;
    int m = time_minute_of_day(now);
    if (quiet_start < quiet_end) /* within one day: 12:00–14:00 */
        return m >= quiet_start && m < quiet_end ? time_at_minute(now, 0, quiet_end) : now;
    if (m >= quiet_start) return time_at_minute(now, 1, quiet_end); /* 22:00–07:00, evening */
    return m < quiet_end ? time_at_minute(now, 0, quiet_end) : now; /* … early morning */
}

/* ---- writing ---- */

/* A string field of at most max-1 bytes, without control characters, into
 * out when present.  0, or -1 with e. */
static int take_text(json_t *body, const char *name, char *out, size_t max, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v) return 0;
    if (!json_is_string(v) || json_string_length(v) >= max ||
        strlen(json_string_value(v)) != json_string_length(v))
        return err_set(e, 422, "invalid_field", "'%s' must be a string of at most %zu bytes", name,
                       max - 1);
    for (const char *s = json_string_value(v); *s; s++)
        if ((unsigned char)*s <= ' ')
            return err_set(e, 422, "invalid_field", "'%s' must not hold spaces", name);
    snprintf(out, max, "%s", json_string_value(v));
    return 0;
}

/* The contact fields.  0, or -1 with e. */
static int take_contacts(json_t *body, struct prefs *p, struct err *e)
{
    if (take_text(body, "email", p->email, sizeof p->email, e) ||
        take_text(body, "mobile", p->mobile, sizeof p->mobile, e))
        return -1;
    const char *at = strchr(p->email, '@');
    if (p->email[0] && (!at || at == p->email || !at[1] || strchr(at + 1, '@')))
        return err_set(e, 422, "invalid_field", "'email' must be an email address or \"\"");
    size_t n = strlen(p->mobile);
    for (size_t k = p->mobile[0] == '+'; k < n; k++)
        if (p->mobile[k] < '0' || p->mobile[k] > '9')
            return err_set(e, 422, "invalid_field",
                           "'mobile' must be digits (a leading + allowed)");
    if (n && (n < 5 || n > 20))
        return err_set(e, 422, "invalid_field", "'mobile' must have 5 to 20 digits");
    return 0;
}

/* An array of names each accepted by known, as "a,b" into out. */
static int take_names(json_t *v, const char *name, int (*known)(const char *), char *out,
                      size_t max, struct err *e)
{
    size_t i, used = 0;
    json_t *it;
    if (!json_is_array(v))
        return err_set(e, 422, "invalid_field", "'%s' must be an array of names", name);
    out[0] = '\0';
    json_array_foreach(v, i, it)
    {
        const char *s = json_string_value(it);
        if (!s || !known(s))
            return err_set(e, 422, "invalid_field", "'%s' has an unknown name at [%zu]", name, i);
        if (prefs_wants(out, s)) continue; /* named twice */
        int w = snprintf(out + used, max - used, "%s%s", used ? "," : "", s);
        if (w < 0 || (size_t)w >= max - used)
            return err_set(e, 422, "invalid_field", "'%s' is too long", name);
        used += (size_t)w;
    }
    return 0;
}

static int channel_known(const char *s)
{
    return channel_bit(s) != 0;
}

/* "HH:MM" as minutes, or -1. */
static int parse_hhmm(json_t *v)
{
    const char *s = json_string_value(v);
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int k = 0; k < 5; k++)
        if (k != 2 && (s[k] < '0' || s[k] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* channels, events, quiet_hours and digest.  0, or -1 with e. */
static int take_choices(json_t *body, struct prefs *p, struct err *e)
{
    json_t *v;
    char channels[128];
    if ((v = json_object_get(body, "channels"))) {
        if (take_names(v, "channels", channel_known, channels, sizeof channels, e)) return -1;
        p->channels = prefs_channel_mask(channels);
    }
    if ((v = json_object_get(body, "events"))) {
        if (json_is_string(v) && !strcmp(json_string_value(v), "*"))
            snprintf(p->events, sizeof p->events, "*");
        else if (take_names(v, "events", notify_action_known, p->events, sizeof p->events, e))
            return -1;
    }
    if ((v = json_object_get(body, "quiet_hours"))) {
        int a = -1, b = -1;
        if (!json_is_null(v)) {
            a = parse_hhmm(json_object_get(v, "start"));
            b = parse_hhmm(json_object_get(v, "end"));
            if (!json_is_object(v) || json_object_size(v) != 2 || a < 0 || b < 0 || a == b)
                return err_set(e, 422, "invalid_field",
                               "'quiet_hours' must be null or {\"start\":\"HH:MM\",\"end\":"
                               "\"HH:MM\"} with two different times");
        }
        p->quiet_start = a, p->quiet_end = b;
    }
    if ((v = json_object_get(body, "digest"))) {
        if (!json_is_boolean(v))
            return err_set(e, 422, "invalid_field", "'digest' must be true or false");
        p->digest = json_is_true(v);
    }
    return 0;
}

static int prefs_store(struct db *db, int64_t user_id, const struct prefs *p)
{
    char channels[128] = "";
    size_t used = 0;
    for (int k = 0; k < CHANNEL_COUNT; k++)
        if (p->channels & (1u << k))
            used += (size_t)snprintf(channels + used, sizeof channels - used, "%s%s",
                                     used ? "," : "", channel_names[k]);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO user_prefs (user_id, email, mobile, channels, events, quiet_start,"
            " quiet_end, digest, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            " ON CONFLICT (user_id) DO UPDATE SET email = excluded.email,"
            " mobile = excluded.mobile, channels = excluded.channels, events = excluded.events,"
            " quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,"
            " digest = excluded.digest, updated_at = excluded.updated_at");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, user_id);
    db_bind_text(st, 2, p->email, (size_t)-1);
    db_bind_text(st, 3, p->mobile, (size_t)-1);
    db_bind_text(st, 4, channels, (size_t)-1);
    db_bind_text(st, 5, p->events, (size_t)-1);
    if (p->quiet_start >= 0) {
        db_bind_int64(st, 6, p->quiet_start);
        db_bind_int64(st, 7, p->quiet_end);
    } else {
        db_bind_null(st, 6);
        db_bind_null(st, 7);
    }
    db_bind_int64(st, 8, p->digest);
    db_bind_int64(st, 9, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int prefs_set(struct db *db, int64_t user_id, json_t *body, struct err *e)
{
    static const char *const fields[] = {"email",  "mobile",      "channels",
                                         "events", "quiet_hours", "digest"};
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    if (!json_object_size(body))
        return err_set(e, 422, "missing_field", "send at least one of the preferences");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        int ok = 0;
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            ok |= !strcmp(key, fields[k]);
        if (!ok) return err_set(e, 422, "unknown_field", "the preferences take no field '%s'", key);
    }
    struct prefs p;
    int rc = prefs_load(db, user_id, &p);
    if (rc != DB_OK && rc != DB_DONE) return err_db(e, rc, "reading the preferences");
    if (take_contacts(body, &p, e) || take_choices(body, &p, e)) return -1;
    if ((p.channels & CHANNEL_EMAIL) && !p.email[0])
        return err_set(e, 422, "missing_field", "the email channel needs an 'email' address");
    rc = prefs_store(db, user_id, &p);
    return rc == DB_OK ? 0 : err_db(e, rc, "storing the preferences");
}
