/* notify.c — the messages and outbox rows of an action.  See notify.h.
 *
 * notify_event: the action's row of `rules` → the recipients (each group a
 * literal query, joined with their preferences; deduplicated, the actor
 * left out) → per recipient one message, then one outbox row per channel
 * their preferences let through.  The item's title, the site's address for
 * links and the enabled channels are read once per event, and only when
 * needed. */
#include "core/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/kind.h"
#include "core/outbox.h"
#include "core/prefs.h"
#include "util/mem.h"
#include "util/time.h"

/* The groups an action concerns. */
enum {
    TO_LEAD = 1,     /* handlers of the lead unit */
    TO_CO = 2,       /* handlers of the cooperating units */
    TO_OLD_LEAD = 4, /* handlers of the unit the item was moved away from */
    TO_OFFICE = 8,   /* supervisors */
    TO_LEADERS = 16,
};

struct notify_rule {
    const char *action;
    unsigned to;
    const char *label; /* the message's title starts 【label】 */
};

/* Sorted by action (a unit test checks it, and that each is an action). */
static const struct notify_rule rules[] = {
    {"approve_extension", TO_LEAD, "延期已批准"},
    {"assign", TO_LEAD | TO_CO | TO_OLD_LEAD, "新交办"},
    {"cancel", TO_LEAD, "已撤销"},
    {"deny_extension", TO_LEAD, "延期未批准"},
    {"escalate", TO_LEAD | TO_LEADERS, "督办"},
    {"instruct", TO_LEAD | TO_OFFICE, "领导批示"},
    {"reject", TO_LEAD, "被驳回"},
    {"request_extension", TO_OFFICE, "延期申请"},
    {"return", TO_OFFICE, "被退回"},
    {"submit", TO_OFFICE, "待销号"},
    {"urge", TO_LEAD, "催办"},
    {"verify", TO_LEAD, "已销号"},
};
#define NRULES (sizeof rules / sizeof rules[0])

static const struct notify_rule *rule_find(const char *action)
{
    for (size_t k = 0; action && k < NRULES; k++)
        if (!strcmp(rules[k].action, action)) return &rules[k];
    return NULL;
}

int notify_action_known(const char *action)
{
    return rule_find(action) != NULL;
}

void notify_action_names(char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < NRULES && used < outlen; k++) {
        int n = snprintf(out + used, outlen - used, "%s%s", k ? ", " : "", rules[k].action);
        if (n < 0) break;
        used += (size_t)n;
    }
}

/* ---- recipients ---- */

struct recipient {
    int64_t user_id;
    int moved; /* told that the item went to another unit */
    struct prefs p;
};

struct rcpts {
    struct recipient *v;
    size_t n, cap;
    int64_t skip; /* the actor */
};

#define RCPT_COLS                                                                                  \
    "SELECT u.id, p.email, p.mobile, p.channels, p.events, p.quiet_start, p.quiet_end, p.digest"   \
    " FROM users u LEFT JOIN user_prefs p ON p.user_id = u.id"

static void col_text(struct db_stmt *st, int col, char *out, size_t n)
{
    const char *s = db_column_is_null(st, col) ? "" : db_column_text(st, col);
    snprintf(out, n, "%s", s ? s : "");
}

/* Add the users st (bound) yields, each once.  DB_OK or a db code; st is
 * finalized. */
static int rcpts_add(struct rcpts *r, struct db_stmt *st, int moved)
{
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int64(st, 0);
        size_t k = 0;
        while (k < r->n && r->v[k].user_id != id)
            k++;
        if (k < r->n || id == r->skip) continue;
        if (r->n == r->cap)
            r->v = xrealloc(r->v, (r->cap = r->cap ? 2 * r->cap : 8) * sizeof *r->v);
        struct recipient *x = &r->v[r->n++];
        char channels[128], events[sizeof x->p.events];
        memset(x, 0, sizeof *x);
        x->user_id = id, x->moved = moved;
        col_text(st, 1, x->p.email, sizeof x->p.email);
        col_text(st, 2, x->p.mobile, sizeof x->p.mobile);
        col_text(st, 3, channels, sizeof channels);
        col_text(st, 4, events, sizeof events);
        x->p.channels = prefs_channel_mask(channels);
        snprintf(x->p.events, sizeof x->p.events, "%s", db_column_is_null(st, 4) ? "*" : events);
        x->p.quiet_start = db_column_is_null(st, 5) ? -1 : (int)db_column_int64(st, 5);
        x->p.quiet_end = db_column_is_null(st, 6) ? -1 : (int)db_column_int64(st, 6);
        x->p.digest = db_column_int64(st, 7) != 0;
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The users of unit holding one of roles. */
static int rcpts_unit(struct db *db, struct rcpts *r, int64_t unit, unsigned roles, int moved)
{
    if (!unit) return DB_OK;
    struct db_stmt *st = db_prepare(db, RCPT_COLS " WHERE u.unit_id = ?1 AND (u.roles & ?2) <> 0"
                                                  " AND u.disabled = 0 ORDER BY u.id");
    if (st) {
        db_bind_int64(st, 1, unit);
        db_bind_int64(st, 2, roles);
    }
    return rcpts_add(r, st, moved);
}

/* The handlers of the item's cooperating units. */
static int rcpts_co(struct db *db, struct rcpts *r, int64_t item)
{
    struct db_stmt *st = db_prepare(db, RCPT_COLS " WHERE u.unit_id IN (SELECT iu.unit_id FROM"
                                                  " item_units iu WHERE iu.item_id = ?1)"
                                                  " AND (u.roles & 8) <> 0 AND u.disabled = 0"
                                                  " ORDER BY u.id");
    if (st) db_bind_int64(st, 1, item);
    return rcpts_add(r, st, 0);
}

/* Everyone holding one of roles, outside enterprises and universities (无事不扰). */
static int rcpts_role(struct db *db, struct rcpts *r, unsigned roles)
{
    struct db_stmt *st = db_prepare(db, RCPT_COLS " JOIN units un ON un.id = u.unit_id"
                                                  " WHERE (u.roles & ?1) <> 0 AND u.disabled = 0"
                                                  " AND un.kind NOT IN ('enterprise','university')"
                                                  " ORDER BY u.id");
    if (st) db_bind_int64(st, 1, roles);
    return rcpts_add(r, st, 0);
}

/* The units an event's lead unit group covers: the item was theirs before
 * (not a draft, not given back) or becomes theirs now (assign). */
static int lead_involved(const struct notify_event *ev)
{
    if (!strcmp(ev->action, "assign")) return 1;
    return strcmp(ev->from, "draft") && strcmp(ev->from, "returned");
}

static int rcpts_collect(struct db *db, const struct notify_event *ev, unsigned to, struct rcpts *r)
{
    int rc = DB_OK;
    if ((to & TO_LEAD) && lead_involved(ev))
        rc = rcpts_unit(db, r, ev->lead_after, ROLE_HANDLER, 0);
    if (rc == DB_OK && (to & TO_CO)) rc = rcpts_co(db, r, ev->item_id);
    if (rc == DB_OK && (to & TO_OLD_LEAD) && ev->lead_before != ev->lead_after)
        rc = rcpts_unit(db, r, ev->lead_before, ROLE_HANDLER, 1);
    if (rc == DB_OK && (to & TO_OFFICE)) rc = rcpts_role(db, r, ROLE_SUPERVISOR);
    if (rc == DB_OK && (to & TO_LEADERS)) rc = rcpts_role(db, r, ROLE_LEADER);
    const struct kind *k = kind_find(ev->kind);
    struct kind_notify extra[KIND_NOTIFY_MAX];
    size_t n = 0;
    if (rc == DB_OK && k && k->notify) rc = k->notify(db, ev->item_id, ev->action, extra, &n);
    for (size_t i = 0; rc == DB_OK && i < n && i < KIND_NOTIFY_MAX; i++)
        rc = rcpts_unit(db, r, extra[i].unit_id, extra[i].roles, 0);
    return rc;
}

/* ---- what they are told ---- */

/* What the messages of one event share. */
struct said {
    char title[600], moved_title[600]; /* 【label】 or 【已改派】 and the item's title */
    char text[2400];
    char moved_text[64];
    char base[512]; /* the site's address for links ("" until read) */
    int base_read;
    unsigned enabled; /* the enabled channels */
    int enabled_read;
};

static const char *data_text(json_t *data, const char *name)
{
    return json_string_value(json_object_get(data, name));
}

/* The message's lines from the event: dates, the level, the words. */
static void said_text(const struct notify_event *ev, struct said *s)
{
    size_t used = 0;
    const char *words = data_text(ev->data, "reason");
    const char *level = data_text(ev->data, "level");
    static const char *const level_zh[][2] = {
        {"general", "一般督办"}, {"key", "重点督办"}, {"listed", "挂牌督办"}};
    s->text[0] = '\0';
    if (!words) words = data_text(ev->data, "text");
    if (!strcmp(ev->action, "assign") && ev->deadline[0])
        used += (size_t)snprintf(s->text + used, sizeof s->text - used, "期限：%s\n", ev->deadline);
    if (!strcmp(ev->action, "request_extension") && data_text(ev->data, "deadline"))
        used += (size_t)snprintf(s->text + used, sizeof s->text - used, "申请延期至：%s\n",
                                 data_text(ev->data, "deadline"));
    if (!strcmp(ev->action, "approve_extension") && ev->deadline[0])
        used +=
            (size_t)snprintf(s->text + used, sizeof s->text - used, "新期限：%s\n", ev->deadline);
    for (size_t k = 0; level && k < 3; k++)
        if (!strcmp(level, level_zh[k][0]))
            used += (size_t)snprintf(s->text + used, sizeof s->text - used, "%s\n", level_zh[k][1]);
    if (words && used < sizeof s->text)
        snprintf(s->text + used, sizeof s->text - used, "%s", words);
    size_t n = strlen(s->text);
    while (n && s->text[n - 1] == '\n')
        s->text[--n] = '\0';
}

static int said_init(struct db *db, const struct notify_event *ev, const struct notify_rule *rule,
                     struct said *s)
{
    memset(s, 0, sizeof *s);
    struct db_stmt *st = db_prepare(db, "SELECT title FROM items WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, ev->item_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(s->title, sizeof s->title, "【%s】%s", rule->label, db_column_text(st, 0));
        snprintf(s->moved_title, sizeof s->moved_title, "【已改派】%s", db_column_text(st, 0));
    }
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_ERR : rc;
    said_text(ev, s);
    snprintf(s->moved_text, sizeof s->moved_text, "已改派其他单位办理");
    return DB_OK;
}

/* The site's address and the enabled channels, read at the first row. */
static int said_outside(struct db *db, struct said *s)
{
    int rc = DB_OK;
    if (!s->enabled_read) {
        rc = channel_enabled(db, &s->enabled);
        s->enabled_read = 1;
    }
    if (rc == DB_OK && !s->base_read) {
        rc = channel_base_url(db, s->base, sizeof s->base);
        s->base_read = 1;
    }
    return rc;
}

static int message_insert(struct db *db, const struct actor *a, const struct notify_event *ev,
                          const struct recipient *x, const struct said *s, int64_t now, int64_t *id)
{
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO messages (user_id, item_id, action, actor, title, text, at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, x->user_id);
    db_bind_int64(st, 2, ev->item_id);
    db_bind_text(st, 3, ev->action, (size_t)-1);
    db_bind_text(st, 4, a->username ? a->username : "system", (size_t)-1);
    db_bind_text(st, 5, x->moved ? s->moved_title : s->title, (size_t)-1);
    db_bind_text(st, 6, x->moved ? s->moved_text : s->text, (size_t)-1);
    db_bind_int64(st, 7, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* One outbox row per channel the recipient's preferences let through. */
static int outside_rows(struct db *db, const struct notify_event *ev, const struct recipient *x,
                        struct said *s, int64_t msg, int64_t now)
{
    if (!x->p.channels || x->p.digest || !prefs_wants(x->p.events, ev->action)) return DB_OK;
    int rc = said_outside(db, s);
    if (rc != DB_OK) return rc;
    char link[600], body[4096], key[96];
    snprintf(link, sizeof link, "%s/items/%lld", s->base, (long long)ev->item_id);
    const char *title = x->moved ? s->moved_title : s->title;
    const char *text = x->moved ? s->moved_text : s->text;
    snprintf(body, sizeof body, "%s\n%s%s办理：%s", title, text, text[0] ? "\n" : "", link);
    for (int k = 0; k < CHANNEL_COUNT && rc == DB_OK; k++) {
        unsigned bit = 1u << k;
        const char *address = bit == CHANNEL_EMAIL      ? x->p.email
                              : bit == CHANNEL_DINGTALK ? x->p.mobile
                                                        : "";
        if (!(x->p.channels & s->enabled & bit) || (bit == CHANNEL_EMAIL && !address[0])) continue;
        snprintf(key, sizeof key, "luoshi-m%lld-%s", (long long)msg, channel_names[k]);
        struct outbox_new n = {.key = key,
                               .channel = channel_names[k],
                               .user_id = x->user_id,
                               .message_id = msg,
                               .item_id = ev->item_id,
                               .action = ev->action,
                               .address = address,
                               .subject = title,
                               .body = body,
                               .link = link,
                               .next_at = prefs_release_at(x->p.quiet_start, x->p.quiet_end, now),
                               .now = now};
        rc = outbox_queue(db, &n);
    }
    return rc;
}

int notify_event(struct db *db, const struct actor *a, const struct notify_event *ev, int *messages,
                 struct err *e)
{
    const struct notify_rule *rule = rule_find(ev->action);
    if (messages) *messages = 0;
    if (!rule) return 0;
    struct rcpts r = {.skip = a->user_id};
    struct said s;
    int64_t now = time_now_ms();
    int rc = rcpts_collect(db, ev, rule->to, &r);
    if (rc == DB_OK && r.n) rc = said_init(db, ev, rule, &s);
    for (size_t k = 0; k < r.n && rc == DB_OK; k++) {
        int64_t msg = 0;
        rc = message_insert(db, a, ev, &r.v[k], &s, now, &msg);
        if (rc == DB_OK) rc = outside_rows(db, ev, &r.v[k], &s, msg, now);
    }
    if (rc == DB_OK && messages) *messages = (int)r.n;
    free(r.v);
    return rc == DB_OK ? 0 : err_db(e, rc, "telling the people concerned");
}
