/* notify_test.c — who an action reaches and how (core/notify.c), the
 * in-app messages (core/message.c), users' preferences (core/prefs.c) and
 * the outbox's rows, back-off, dead letters, retries and digests
 * (core/outbox.c, outbox_send.c), against a real database: each action
 * runs in its own transaction through item_act, as the server runs it.
 * Runs on SQLite, and on PostgreSQL when LUOSHI_TEST_PG is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#include "reach.h"

#include "core/channel.h"
#include "core/message.h"
#include "core/notify.h"
#include "core/outbox.h"
#include "core/prefs.h"
#include "util/time.h"

static int setup(void **state)
{
    struct city *c = calloc(1, sizeof *c);
    *state = c;
    time_set_zone("Asia/Shanghai");
    return city_open(c, "notify");
}

static int teardown(void **state)
{
    struct city *c = *state;
    city_close(c);
    free(c);
    return 0;
}

/* The usernames holding a message of item id with action, space-separated. */
static void assert_told(struct city *c, int64_t id, const char *action, const char *want)
{
    struct db_stmt *st = db_prepare(c->db, "SELECT u.username FROM messages m JOIN users u"
                                           " ON u.id = m.user_id WHERE m.item_id = ?1"
                                           " AND m.action = ?2 ORDER BY u.username");
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, action, (size_t)-1);
    char got[256] = "";
    size_t used = 0;
    while (db_step(st) == DB_ROW)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", used ? " " : "",
                                 db_column_text(st, 0));
    db_finalize(st);
    assert_string_equal(got, want);
}

/* The title and text of user's newest message. */
static void assert_last(struct city *c, const struct actor *user, const char *title,
                        const char *text)
{
    struct err e = {0};
    json_t *v = message_list_json(c->db, user->user_id, 0, 0, 1, &e);
    if (!v) fail_msg("%s", e.message);
    json_t *m = json_array_get(json_object_get(v, "messages"), 0);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "title")), title);
    assert_string_equal(json_string_value(json_object_get(m, "text")), text);
    json_decref(v);
}

static void set_channel(struct city *c, const char *name, const char *json)
{
    struct err e = {0};
    json_t *body = json_loads(json, 0, NULL);
    assert_int_equal(db_begin(c->db), DB_OK);
    if (channel_set(c->db, NULL, name, body, &e)) fail_msg("%s: %s", name, e.message);
    assert_int_equal(db_commit(c->db), DB_OK);
    json_decref(body);
}

static void set_prefs(struct city *c, const struct actor *u, const char *json)
{
    struct err e = {0};
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    assert_int_equal(db_begin(c->db), DB_OK);
    if (prefs_set(c->db, u->user_id, body, &e)) fail_msg("prefs %s: %s", json, e.message);
    assert_int_equal(db_commit(c->db), DB_OK);
    json_decref(body);
}

/* The outbox's rows of item id as "user:channel:address" lines, by user. */
static void assert_outbox(struct city *c, int64_t id, const char *action, const char *want)
{
    struct db_stmt *st = db_prepare(c->db, "SELECT u.username, o.channel, o.address FROM outbox o"
                                           " JOIN users u ON u.id = o.user_id"
                                           " WHERE o.item_id = ?1 AND o.action = ?2"
                                           " ORDER BY u.username, o.channel");
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, action, (size_t)-1);
    char got[512] = "";
    size_t used = 0;
    while (db_step(st) == DB_ROW)
        used +=
            (size_t)snprintf(got + used, sizeof got - used, "%s%s:%s:%s", used ? " " : "",
                             db_column_text(st, 0), db_column_text(st, 1), db_column_text(st, 2));
    db_finalize(st);
    assert_string_equal(got, want);
}

/* Each action reaches exactly whom it concerns, never its actor. */
static void test_recipients(void **state)
{
    struct city *c = *state;
    struct actor boss2;
    city_user(c, &boss2, "firmboss", "E", c->firm, ROLE_LEADER); /* a leader in an enterprise */
    int64_t id = city_item(c, "task", "整治低效用地", c->unit_a, "2030-06-30");
    char s[160];
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"co_unit_ids\":[%lld]}", (long long)c->unit_b);
    city_act(c, &c->sup, id, s);
    assert_told(c, id, "assign", "bee lead lead2");
    assert_last(c, &c->lead, "【新交办】整治低效用地", "期限：2030-06-30");
    city_act(c, &c->lead, id, "{\"action\":\"return\",\"reason\":\"不属于本单位职责\"}");
    assert_told(c, id, "return", "sup");
    assert_last(c, &c->sup, "【被退回】整治低效用地", "不属于本单位职责");
    /* reassigned to B: B is told it is theirs, A that it went elsewhere */
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"co_unit_ids\":[]}",
             (long long)c->unit_b);
    city_act(c, &c->sup, id, s);
    assert_told(c, id, "assign", "bee bee lead lead lead2 lead2");
    assert_last(c, &c->lead2, "【已改派】整治低效用地", "已改派其他单位办理");
    city_act(c, &c->bee, id, "{\"action\":\"accept\"}");
    assert_told(c, id, "accept", "");
    city_act(c, &c->sup, id, "{\"action\":\"escalate\",\"level\":\"key\",\"text\":\"进度滞后\"}");
    assert_told(c, id, "escalate", "bee boss"); /* not the enterprise's leader */
    assert_last(c, &c->boss, "【督办】整治低效用地", "重点督办\n进度滞后");
    city_act(c, &c->boss, id, "{\"action\":\"instruct\",\"text\":\"要抓紧\"}");
    assert_told(c, id, "instruct", "bee sup");
    city_act(c, &c->bee, id,
             "{\"action\":\"request_extension\",\"deadline\":\"2030-07-31\",\"reason\":\"拆迁\"}");
    assert_told(c, id, "request_extension", "sup");
    assert_last(c, &c->sup, "【延期申请】整治低效用地", "申请延期至：2030-07-31\n拆迁");
    city_act(c, &c->sup, id, "{\"action\":\"approve_extension\"}");
    assert_last(c, &c->bee, "【延期已批准】整治低效用地", "新期限：2030-07-31");
    city_act(c, &c->bee, id, "{\"action\":\"submit\",\"text\":\"已完成\"}");
    city_act(c, &c->sup, id, "{\"action\":\"reject\",\"reason\":\"材料不全\"}");
    assert_told(c, id, "submit", "sup");
    assert_told(c, id, "reject", "bee");
    /* a disabled user is told nothing */
    assert_int_equal(db_begin(c->db), DB_OK);
    struct err e = {0};
    assert_int_equal(user_set_disabled(c->db, NULL, "bee", 1, &e), 0);
    assert_int_equal(db_commit(c->db), DB_OK);
    city_act(c, &c->sup, id, "{\"action\":\"urge\",\"text\":\"快\"}");
    assert_told(c, id, "urge", "");
}

/* A draft's proposed lead unit hears nothing until it is assigned; a
 * hazard's submitted rectification reaches its grid's workers. */
static void test_drafts_and_kinds(void **state)
{
    struct city *c = *state;
    int64_t id = city_item(c, "task", "草稿", c->unit_a, "2030-06-30");
    city_act(c, &c->boss, id, "{\"action\":\"instruct\",\"text\":\"先研究\"}");
    assert_told(c, id, "instruct", "sup");
    city_act(c, &c->sup, id, "{\"action\":\"cancel\",\"reason\":\"重复\"}");
    assert_told(c, id, "cancel", "");
    int64_t hz = city_item(c, "hazard", "占用消防通道", c->unit_a, "2030-06-30");
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE hazards SET grid_unit_id = %lld WHERE item_id = %lld",
             (long long)c->grid, (long long)hz);
    city_exec(c, sql);
    struct notify_event ev = {.item_id = hz,
                              .kind = "hazard",
                              .action = "submit",
                              .from = "in_progress",
                              .to = "submitted",
                              .lead_before = c->unit_a,
                              .lead_after = c->unit_a,
                              .deadline = "2030-06-30",
                              .data = NULL};
    struct err e = {0};
    int n = -1;
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(notify_event(c->db, &c->lead, &ev, &n, &e), 0);
    assert_int_equal(db_commit(c->db), DB_OK);
    assert_int_equal(n, 2);
    assert_told(c, hz, "submit", "gridman sup");
}

/* Preferences decide the outbox's rows: enabled and chosen channels, an
 * address for email, the events taken, quiet hours, digests. */
static void test_outbox_rows(void **state)
{
    struct city *c = *state;
    set_channel(c, "email",
                "{\"enabled\":true,\"url\":\"smtp://127.0.0.1:2525\",\"sender\":\"ls@city.cn\"}");
    set_channel(c, "webhook",
                "{\"enabled\":true,\"url\":\"http://127.0.0.1:9/h\",\"secret\":\"k\"}");
    set_channel(c, "dingtalk", "{\"enabled\":false,\"url\":\"https://oapi.dingtalk.com/robot\"}");
    set_prefs(c, &c->lead, "{\"email\":\"lead@city.cn\",\"channels\":[\"email\",\"webhook\"]}");
    set_prefs(c, &c->lead2,
              "{\"mobile\":\"13800000000\",\"channels\":[\"dingtalk\",\"webhook\"],"
              "\"events\":[\"urge\"]}");
    set_prefs(c, &c->bee, "{\"channels\":[\"webhook\"],\"digest\":true}");
    int64_t id = city_item(c, "task", "外发测试", c->unit_a, "2030-06-30");
    char s[160];
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"co_unit_ids\":[%lld]}", (long long)c->unit_b);
    city_act(c, &c->sup, id, s);
    /* lead2 takes only urges; bee takes a digest; dingtalk is off */
    assert_outbox(c, id, "assign", "lead:email:lead@city.cn lead:webhook:");
    city_act(c, &c->sup, id, "{\"action\":\"urge\",\"text\":\"请加快\"}");
    assert_outbox(c, id, "urge", "lead:email:lead@city.cn lead:webhook: lead2:webhook:");
    set_channel(c, "dingtalk", "{\"enabled\":true}");
    city_act(c, &c->sup, id, "{\"action\":\"urge\",\"text\":\"再催\"}");
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM outbox WHERE channel = 'dingtalk'"
                              " AND address = '13800000000'",
                              0),
                     1);
    /* the row says what the message says, with the link, and its key is the message's */
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM outbox o JOIN messages m"
                              " ON m.id = o.message_id WHERE o.subject = m.title"
                              " AND o.key = 'luoshi-m' || m.id || '-' || o.channel",
                              0),
                     city_int(c, "SELECT count(*) FROM outbox", 0));
    struct db_stmt *st = db_prepare(c->db, "SELECT body, link FROM outbox WHERE action = 'assign'"
                                           " ORDER BY id");
    assert_non_null(st);
    char want[160];
    snprintf(want, sizeof want, "【新交办】外发测试\n期限：2030-06-30\n办理：/items/%lld",
             (long long)id);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), want);
    assert_string_equal(db_column_text(st, 1), strstr(want, "/items/"));
    db_finalize(st);
}

/* Quiet hours hold a row until they end. */
static void test_quiet_hours(void **state)
{
    struct city *c = *state;
    int64_t noon = time_at_minute(time_now_ms(), 0, 12 * 60); /* 2030-04-01 12:00 */
    assert_true(prefs_release_at(-1, -1, noon) == noon);
    assert_true(prefs_release_at(600, 600, noon) == noon);
    assert_true(prefs_release_at(13 * 60, 14 * 60, noon) == noon);
    assert_true(prefs_release_at(11 * 60, 14 * 60, noon) == time_at_minute(noon, 0, 14 * 60));
    int64_t late = time_at_minute(noon, 0, 23 * 60), early = time_at_minute(noon, 0, 6 * 60);
    assert_true(prefs_release_at(22 * 60, 7 * 60, late) == time_at_minute(noon, 1, 7 * 60));
    assert_true(prefs_release_at(22 * 60, 7 * 60, early) == time_at_minute(noon, 0, 7 * 60));
    assert_true(prefs_release_at(22 * 60, 7 * 60, noon) == noon);
    set_channel(c, "webhook", "{\"enabled\":true,\"url\":\"http://127.0.0.1:9/h\"}");
    set_prefs(c, &c->lead,
              "{\"channels\":[\"webhook\"],\"quiet_hours\":{\"start\":\"11:00\","
              "\"end\":\"14:30\"}}");
    int64_t id = city_item(c, "task", "午休", c->unit_a, "2030-06-30");
    city_act(c, &c->sup, id, "{\"action\":\"assign\"}");
    assert_int_equal(city_int(c, "SELECT next_at FROM outbox WHERE item_id = ?1", id),
                     time_at_minute(noon, 0, 14 * 60 + 30));
    struct err e = {0};
    json_t *p = prefs_json(c->db, c->lead.user_id, &e);
    char *text = json_dumps(p, JSON_COMPACT);
    assert_string_equal(text,
                        "{\"email\":\"\",\"mobile\":\"\",\"channels\":[\"webhook\"],\"events\":"
                        "\"*\",\"quiet_hours\":{\"start\":\"11:00\",\"end\":\"14:30\"},"
                        "\"digest\":false}");
    free(text);
    json_decref(p);
}

/* Bad preferences and channel settings are refused, naming the field. */
static void test_refusals(void **state)
{
    struct city *c = *state;
    static const struct {
        const char *body, *code;
    } prefs[] = {
        {"{\"email\":\"nobody\"}", "invalid_field"},
        {"{\"mobile\":\"12ab\"}", "invalid_field"},
        {"{\"channels\":[\"sms\"]}", "invalid_field"},
        {"{\"channels\":[\"email\"]}", "missing_field"},
        {"{\"events\":[\"accept\"]}", "invalid_field"},
        {"{\"quiet_hours\":{\"start\":\"22:00\",\"end\":\"22:00\"}}", "invalid_field"},
        {"{\"quiet_hours\":{\"start\":\"24:00\",\"end\":\"07:00\"}}", "invalid_field"},
        {"{\"digest\":1}", "invalid_field"},
        {"{\"colour\":\"red\"}", "unknown_field"},
    };
    for (size_t k = 0; k < sizeof prefs / sizeof prefs[0]; k++) {
        struct err e = {0};
        json_t *body = json_loads(prefs[k].body, 0, NULL);
        assert_int_equal(db_begin(c->db), DB_OK);
        if (prefs_set(c->db, c->lead.user_id, body, &e) != -1) fail_msg("%s", prefs[k].body);
        db_rollback(c->db);
        json_decref(body);
        if (strcmp(e.code, prefs[k].code)) fail_msg("%s: %s", prefs[k].body, e.code);
    }
    static const struct {
        const char *name, *body;
        int status;
    } chans[] = {
        {"sms", "{}", 404},
        {"email", "{\"enabled\":true,\"url\":\"smtp://x\"}", 422}, /* no sender */
        {"email", "{\"url\":\"http://x\"}", 422},
        {"webhook", "{\"enabled\":true}", 422},
        {"webhook", "{\"url\":\"ftp://x\"}", 422},
        {"webhook", "{\"tls\":\"maybe\"}", 422},
        {"webhook", "{\"token\":\"x\"}", 422},
    };
    for (size_t k = 0; k < sizeof chans / sizeof chans[0]; k++) {
        struct err e = {0};
        json_t *body = json_loads(chans[k].body, 0, NULL);
        assert_int_equal(db_begin(c->db), DB_OK);
        if (channel_set(c->db, NULL, chans[k].name, body, &e) != -1) fail_msg("%s", chans[k].body);
        db_rollback(c->db);
        json_decref(body);
        assert_int_equal(e.status, chans[k].status);
    }
    /* secrets never come back */
    set_channel(c, "webhook", "{\"url\":\"https://hooks.city.cn/x\",\"secret\":\"s3cret\"}");
    struct err e = {0};
    json_t *v = channel_list_json(c->db, &e);
    char *text = json_dumps(v, JSON_COMPACT);
    assert_null(strstr(text, "s3cret"));
    assert_non_null(strstr(text, "\"name\":\"webhook\",\"enabled\":false,\"url\":\"https://hooks."
                                 "city.cn/x\",\"username\":\"\",\"sender\":\"\",\"tls\":\"try\","
                                 "\"secret_set\":true"));
    free(text);
    json_decref(v);
}

/* The unread count is kept equal to the unread rows; marking read takes
 * only one's own. */
static void test_unread(void **state)
{
    struct city *c = *state;
    int64_t ids[3];
    for (int k = 0; k < 3; k++) {
        ids[k] = city_item(c, "task", "未读", c->unit_a, "2030-06-30");
        city_act(c, &c->sup, ids[k], "{\"action\":\"assign\"}");
    }
    int64_t n = -1, changed = -1;
    assert_int_equal(message_unread(c->db, c->lead.user_id, &n), DB_OK);
    assert_int_equal(n, 3);
    struct err e = {0};
    json_t *v = message_list_json(c->db, c->lead.user_id, 0, 0, 10, &e);
    json_int_t first = json_integer_value(
        json_object_get(json_array_get(json_object_get(v, "messages"), 0), "id"));
    json_t *m = json_array_get(json_object_get(v, "messages"), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "item_id")), ids[2]);
    char link[32];
    snprintf(link, sizeof link, "/items/%lld", (long long)ids[2]);
    assert_string_equal(json_string_value(json_object_get(m, "link")), link);
    json_decref(v);
    char body[64];
    snprintf(body, sizeof body, "{\"ids\":[%lld]}", (long long)first);
    json_t *b = json_loads(body, 0, NULL);
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(message_mark_read(c->db, c->lead2.user_id, b, &changed, &e), 0);
    assert_int_equal(changed, 0); /* not lead2's */
    assert_int_equal(message_mark_read(c->db, c->lead.user_id, b, &changed, &e), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(db_commit(c->db), DB_OK);
    json_decref(b);
    assert_int_equal(message_unread(c->db, c->lead.user_id, &n), DB_OK);
    assert_int_equal(n, 2);
    v = message_list_json(c->db, c->lead.user_id, 1, 0, 10, &e);
    assert_int_equal(json_array_size(json_object_get(v, "messages")), 2);
    json_decref(v);
    b = json_loads("{\"all\":true}", 0, NULL);
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(message_mark_read(c->db, c->lead.user_id, b, &changed, &e), 0);
    assert_int_equal(db_commit(c->db), DB_OK);
    json_decref(b);
    assert_int_equal(changed, 2);
    /* the kept counts equal the rows, for every user */
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM (SELECT user_id, count(*) FROM messages"
                              " WHERE read_at IS NULL GROUP BY user_id EXCEPT SELECT user_id,"
                              " sum(unread) FROM message_tally GROUP BY user_id"
                              " HAVING sum(unread) <> 0) x",
                              0),
                     0);
    assert_int_equal(message_unread(c->db, c->lead.user_id, &n), DB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(message_unread(c->db, c->lead2.user_id, &n), DB_OK);
    assert_int_equal(n, 3);
}

/* Back-off doubles up to the maximum; a row failing past the day dies; an
 * admin's retry gives it a fresh day; a delivered row stays delivered. */
static void test_backoff_and_dead(void **state)
{
    struct city *c = *state;
    struct outbox_rules r;
    assert_int_equal(outbox_rules_load(c->db, &r), DB_OK);
    assert_int_equal(r.retry_base_s, 30);
    assert_int_equal(r.dead_after_h, 24);
    assert_int_equal(outbox_backoff_ms(&r, 1), 30000);
    assert_int_equal(outbox_backoff_ms(&r, 2), 60000);
    assert_int_equal(outbox_backoff_ms(&r, 7), 1920000);
    assert_int_equal(outbox_backoff_ms(&r, 8), 3600000);
    assert_int_equal(outbox_backoff_ms(&r, 40), 3600000);
    int64_t t0 = time_now_ms();
    struct outbox_new n = {.key = "k1",
                           .channel = "webhook",
                           .action = "urge",
                           .subject = "s",
                           .body = "b",
                           .next_at = t0,
                           .now = t0};
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(outbox_queue(c->db, &n), DB_OK);
    assert_int_equal(outbox_queue(c->db, &n), DB_OK); /* the same key: once */
    n.key = "k2";
    assert_int_equal(outbox_queue(c->db, &n), DB_OK);
    assert_int_equal(db_commit(c->db), DB_OK);
    assert_int_equal(city_int(c, "SELECT count(*) FROM outbox", 0), 2);
    struct outbox_row *rows;
    size_t got;
    assert_int_equal(outbox_due(c->db, t0, 10, &rows, &got), DB_OK);
    assert_int_equal(got, 2);
    struct outbox_result res[2] = {{rows[0].id, 0, "503 from the receiver"}, {rows[1].id, 1, ""}};
    outbox_rows_free(rows, got);
    int dead = 0;
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(outbox_record(c->db, res, 2, t0, &r, &dead), DB_OK);
    assert_int_equal(db_commit(c->db), DB_OK);
    assert_int_equal(city_int(c, "SELECT next_at FROM outbox WHERE key = 'k1'", 0), t0 + 30000);
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM outbox WHERE key = 'k2'"
                              " AND status = 'sent' AND attempts = 1",
                              0),
                     1);
    assert_int_equal(outbox_due(c->db, t0 + 29999, 10, &rows, &got), DB_OK);
    outbox_rows_free(rows, got);
    assert_int_equal(got, 0);
    /* a day later it fails once more and dies */
    int64_t t1 = t0 + 24 * 3600000LL;
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(outbox_record(c->db, res, 1, t1, &r, &dead), DB_OK);
    assert_int_equal(db_commit(c->db), DB_OK);
    assert_int_equal(dead, 1);
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM outbox WHERE key = 'k1' AND status = 'dead'"
                              " AND attempts = 2 AND last_error = '503 from the receiver'",
                              0),
                     1);
    struct err e = {0};
    json_t *v = outbox_list_json(c->db, NULL, 0, 10, &e);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "counts"), "dead")), 1);
    assert_int_equal(json_array_size(json_object_get(v, "rows")), 1);
    json_decref(v);
    int64_t k1 = city_int(c, "SELECT id FROM outbox WHERE key = 'k1'", 0);
    int64_t k2 = city_int(c, "SELECT id FROM outbox WHERE key = 'k2'", 0);
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(outbox_retry(c->db, k1, &e), 0);
    assert_int_equal(outbox_retry(c->db, k2, &e), -1);
    assert_int_equal(e.status, 409);
    assert_int_equal(outbox_retry(c->db, 999, &e), -1);
    assert_int_equal(e.status, 404);
    assert_int_equal(db_commit(c->db), DB_OK);
    assert_int_equal(city_int(c, "SELECT count(*) FROM outbox WHERE status = 'pending'", 0), 1);
}

/* A digest user gets one row a day per channel listing their messages
 * since the last digest, from the digest hour on, once. */
static void test_digest(void **state)
{
    struct city *c = *state;
    set_channel(c, "email",
                "{\"enabled\":true,\"url\":\"smtp://127.0.0.1:2525\",\"sender\":\"ls@city.cn\"}");
    set_prefs(c, &c->lead,
              "{\"email\":\"lead@city.cn\",\"channels\":[\"email\"],\"digest\":true,"
              "\"events\":[\"assign\"]}");
    for (int k = 0; k < 2; k++) {
        int64_t id = city_item(c, "task", k ? "第二件" : "第一件", c->unit_a, "2030-06-30");
        city_act(c, &c->sup, id, "{\"action\":\"assign\"}");
        city_act(c, &c->sup, id, "{\"action\":\"urge\",\"text\":\"x\"}");
    }
    assert_int_equal(city_int(c, "SELECT count(*) FROM outbox", 0), 0);
    int64_t seven = time_at_minute(time_now_ms(), 0, 7 * 60), nine = seven + 2 * 3600000LL;
    int queued = -1;
    struct err e = {0};
    assert_int_equal(db_begin(c->db), DB_OK);
    assert_int_equal(outbox_digest_run(c->db, seven, &queued, &e), 0);
    assert_int_equal(queued, 0); /* before 8 o'clock */
    assert_int_equal(outbox_digest_run(c->db, nine, &queued, &e), 0);
    assert_int_equal(queued, 1);
    assert_int_equal(outbox_digest_run(c->db, nine + 60000, &queued, &e), 0);
    assert_int_equal(queued, 0); /* once a day */
    assert_int_equal(db_commit(c->db), DB_OK);
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM outbox WHERE action = 'digest'"
                              " AND key = 'luoshi-d' || user_id || '-2030-04-01-email'"
                              " AND address = 'lead@city.cn'"
                              " AND subject = '【每日汇总】2 条消息（2030-04-01）'",
                              0),
                     1);
    assert_int_equal(
        city_int(c, "SELECT digest_after FROM user_prefs WHERE user_id = ?1", c->lead.user_id),
        city_int(c, "SELECT max(id) FROM messages WHERE user_id = ?1", c->lead.user_id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_recipients, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drafts_and_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backoff_and_dead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
    };
    return testdb_rounds("notify", tests);
}
