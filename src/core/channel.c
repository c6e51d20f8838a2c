/* channel.c — the delivery channels' settings.  See channel.h.
 *
 * Reading is for the sender (channel_load, with the secret) and for people
 * (channel_list_json, without it); writing merges the given fields into
 * the row, checks the result as a whole and records it in the
 * configuration chain. */
#include "core/channel.h"

#include <stdio.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/setting.h"
#include "util/str.h"

const char *const channel_names[CHANNEL_COUNT] = {"email", "webhook", "dingtalk"};

unsigned channel_bit(const char *name)
{
    for (int k = 0; name && k < CHANNEL_COUNT; k++)
        if (!strcmp(channel_names[k], name)) return 1u << k;
    return 0;
}

static void col_copy(struct db_stmt *st, int col, char *out, size_t n)
{
    const char *s = db_column_is_null(st, col) ? "" : db_column_text(st, col);
    snprintf(out, n, "%s", s ? s : "");
}

int channel_load(struct db *db, const char *name, struct channel_conf *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->tls, sizeof c->tls, "try");
    struct db_stmt *st = db_prepare(db, "SELECT enabled, url, username, sender, tls, secret"
                                        " FROM channels WHERE name = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, name, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        c->enabled = db_column_int64(st, 0) != 0;
        col_copy(st, 1, c->url, sizeof c->url);
        col_copy(st, 2, c->username, sizeof c->username);
        col_copy(st, 3, c->sender, sizeof c->sender);
        col_copy(st, 4, c->tls, sizeof c->tls);
        col_copy(st, 5, c->secret, sizeof c->secret);
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

int channel_enabled(struct db *db, unsigned *mask)
{
    *mask = 0;
    struct db_stmt *st = db_prepare(db, "SELECT name FROM channels WHERE enabled = 1");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        *mask |= channel_bit(db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

json_t *channel_list_json(struct db *db, struct err *e)
{
    json_t *arr = json_array();
    for (int k = 0; k < CHANNEL_COUNT; k++) {
        struct channel_conf c;
        int rc = channel_load(db, channel_names[k], &c);
        if (rc != DB_OK && rc != DB_DONE) {
            json_decref(arr);
            err_db(e, rc, "reading the channels");
            return NULL;
        }
        json_array_append_new(arr,
                              json_pack("{s:s,s:b,s:s,s:s,s:s,s:s,s:b}", "name", c.name, "enabled",
                                        c.enabled, "url", c.url, "username", c.username, "sender",
                                        c.sender, "tls", c.tls, "secret_set", c.secret[0] != '\0'));
    }
    return json_pack("{s:o}", "channels", arr);
}

/* Copy the string field name of body into out (max bytes) when present.
 * 0, or -1 with e. */
static int take_text(json_t *body, const char *name, char *out, size_t max, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v) return 0;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return err_set(e, 422, "invalid_field", "'%s' must be a string", name);
    if (json_string_length(v) >= max)
        return err_set(e, 422, "invalid_field", "'%s' is too long (at most %zu bytes)", name,
                       max - 1);
    for (const char *s = json_string_value(v); *s; s++)
        if ((unsigned char)*s < 0x20)
            return err_set(e, 422, "invalid_field", "'%s' must not hold control characters", name);
    snprintf(out, max, "%s", json_string_value(v));
    return 0;
}

/* Merge body into c.  0, or -1 with e. */
static int channel_merge(struct channel_conf *c, json_t *body, struct err *e)
{
    const char *key;
    json_t *v;
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    json_object_foreach(body, key, v)
    {
        static const char *const known[] = {"enabled", "url", "username",
                                            "sender",  "tls", "secret"};
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= !strcmp(key, known[k]);
        if (!ok) return err_set(e, 422, "unknown_field", "a channel takes no field '%s'", key);
    }
    json_t *en = json_object_get(body, "enabled");
    if (en && !json_is_boolean(en))
        return err_set(e, 422, "invalid_field", "'enabled' must be true or false");
    if (en) c->enabled = json_is_true(en);
    if (take_text(body, "url", c->url, sizeof c->url, e) ||
        take_text(body, "username", c->username, sizeof c->username, e) ||
        take_text(body, "sender", c->sender, sizeof c->sender, e) ||
        take_text(body, "tls", c->tls, sizeof c->tls, e) ||
        take_text(body, "secret", c->secret, sizeof c->secret, e))
        return -1;
    return 0;
}

/* The merged settings make sense for their channel.  0, or -1 with e. */
static int channel_check(const struct channel_conf *c, struct err *e)
{
    int email = !strcmp(c->name, "email");
    if (strcmp(c->tls, "none") && strcmp(c->tls, "try") && strcmp(c->tls, "require"))
        return err_set(e, 422, "invalid_field", "'tls' must be none, try or require");
    if (c->url[0]) {
        int ok = email ? str_starts(c->url, "smtp://") || str_starts(c->url, "smtps://")
                       : str_starts(c->url, "http://") || str_starts(c->url, "https://");
        if (!ok || strchr(c->url, ' '))
            return err_set(e, 422, "invalid_field", "'url' must be a %s URL",
                           email ? "smtp:// or smtps://" : "http:// or https://");
    }
    if (c->enabled && !c->url[0])
        return err_set(e, 422, "missing_field", "an enabled channel needs its 'url'");
    if (email && c->sender[0] && (!strchr(c->sender, '@') || strchr(c->sender, ' ')))
        return err_set(e, 422, "invalid_field", "'sender' must be an email address");
    if (email && c->enabled && !c->sender[0])
        return err_set(e, 422, "missing_field", "email needs its 'sender' (the From address)");
    return 0;
}

static int channel_store(struct db *db, const struct channel_conf *c)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO channels (name, enabled, url, username, sender, tls, secret)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET"
            " enabled = excluded.enabled, url = excluded.url, username = excluded.username,"
            " sender = excluded.sender, tls = excluded.tls, secret = excluded.secret");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, c->name, (size_t)-1);
    db_bind_int64(st, 2, c->enabled);
    db_bind_text(st, 3, c->url, (size_t)-1);
    db_bind_text(st, 4, c->username, (size_t)-1);
    db_bind_text(st, 5, c->sender, (size_t)-1);
    db_bind_text(st, 6, c->tls, (size_t)-1);
    db_bind_text(st, 7, c->secret, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int channel_set(struct db *db, const struct actor *a, const char *name, json_t *body, struct err *e)
{
    if (!channel_bit(name))
        return err_set(e, 404, "not_found", "no channel '%.40s' (email, webhook or dingtalk)",
                       name);
    struct channel_conf c;
    int rc = channel_load(db, name, &c);
    if (rc != DB_OK && rc != DB_DONE) return err_db(e, rc, "reading the channel");
    if (channel_merge(&c, body, e) || channel_check(&c, e)) return -1;
    json_t *before;
    rc = config_row(db, CONFIG_CHANNELS, name, &before);
    if (rc == DB_OK) rc = channel_store(db, &c);
    if (rc != DB_OK) {
        json_decref(before);
        return err_db(e, rc, "storing the channel");
    }
    return config_record(db, a, "set", CONFIG_CHANNELS, name, before, e);
}

int channel_base_url(struct db *db, char *out, size_t n)
{
    out[0] = '\0';
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = 'notify.base_url'");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(out, n, "%s", db_column_text(st, 0));
    db_finalize(st);
    size_t len = strlen(out);
    while (len && out[len - 1] == '/')
        out[--len] = '\0';
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int channel_base_url_set(struct db *db, const struct actor *a, const char *url, struct err *e)
{
    if (!url || strlen(url) > 500 || strchr(url, ' ') ||
        (*url && !str_starts(url, "http://") && !str_starts(url, "https://")))
        return err_set(e, 422, "invalid_field",
                       "'base_url' must be \"\" or an http:// or https:// address");
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20)
            return err_set(e, 422, "invalid_field", "'base_url' must not hold control characters");
    char clean[512];
    size_t n = (size_t)snprintf(clean, sizeof clean, "%s", url);
    while (n && clean[n - 1] == '/') /* links append "/items/ID" */
        clean[--n] = '\0';
    return setting_write(db, a, "notify.base_url", clean, e);
}
