/* request_test.c — the enterprise request (core/kind_request.c,
 * request_act.c, request_data.c): filing by an enterprise and by the office,
 * the deadline from the category across a weekend and a holiday, the loop
 * with the reply, the rating and its window, redo up to the listing, who
 * sees a request, and the figures on a hand-built set.  Against a fresh
 * database per test, on SQLite and then on PostgreSQL when LUOSHI_TEST_PG is
 * set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/config_chain.h"
#include "core/event.h"
#include "core/inbox.h"
#include "core/item.h"
#include "core/perm.h"
#include "core/replay.h"
#include "core/request.h"
#include "core/unit.h"
#include "core/user.h"
#include "db/db.h"
#include "fixture.h"
#include "testdb.h"
#include "util/buf.h"

struct fixture {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a, unit_c, town, grid, ent, ent2;
    struct actor sup, lead, other, gridman, firm, firm2;
    struct err e;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "request")) return -1;
    f->db = f->t.db;
    struct err e = {0};
    if (db_begin(f->db) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &f->office, &e) ||
        unit_add(f->db, NULL, "A", "应急管理局", "department", NULL, &f->unit_a, &e) ||
        unit_add(f->db, NULL, "C", "文旅局", "department", NULL, &f->unit_c, &e) ||
        unit_add(f->db, NULL, "T", "东城街道", "town", NULL, &f->town, &e) ||
        unit_add(f->db, NULL, "G", "东城一网格", "grid", "T", &f->grid, &e) ||
        unit_add(f->db, NULL, "E", "青马公司", "enterprise", "T", &f->ent, &e) ||
        unit_add(f->db, NULL, "F", "白鹭公司", "enterprise", "T", &f->ent2, &e))
        return -1;
    fixture_user(f->db, &f->sup, "sup", "DCS", f->office, ROLE_SUPERVISOR);
    fixture_user(f->db, &f->lead, "lead", "A", f->unit_a, ROLE_HANDLER);
    fixture_user(f->db, &f->other, "other", "C", f->unit_c, ROLE_HANDLER);
    fixture_user(f->db, &f->gridman, "gridman", "G", f->grid, ROLE_REPORTER);
    fixture_user(f->db, &f->firm2, "firm2", "F", f->ent2, ROLE_REPORTER);
    fixture_user(f->db, &f->firm, "firm", "E", f->ent, ROLE_REPORTER);
    if (db_commit(f->db)) return -1;
    setenv("LUOSHI_NOW", "2030-04-01", 1);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    struct buf msg;
    buf_init(&msg, 4096);
    int rc = event_verify(f->db, &msg);
    if (rc != 0) print_error("event_verify: %s\n", buf_cstr(&msg));
    buf_free(&msg);
    /* the requests' rows are what their events establish (luoshi verify) */
    struct verify_log v;
    struct replay_stats rs;
    verify_log_init(&v, 10);
    if (replay_verify(f->db, REPLAY_FULL, &v, &rs) != DB_OK || v.problems) {
        print_error("replay_verify: %s\n", buf_cstr(&v.lines));
        rc = -1;
    }
    verify_log_free(&v);
    testdb_close(&f->t);
    free(f);
    unsetenv("LUOSHI_NOW");
    return rc == 0 ? 0 : -1;
}

/* POST /items's path: parse, then create in a transaction.  The new id, or 0
 * with f->e (rolled back). */
static int64_t create(struct fixture *f, const struct actor *a, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    struct item_input in;
    int64_t id = 0;
    memset(&f->e, 0, sizeof f->e);
    assert_int_equal(db_begin(f->db), DB_OK);
    if (item_input_parse(body, &in, &f->e) || item_create(f->db, a, &in, &id, &f->e)) {
        assert_int_equal(db_rollback(f->db), DB_OK);
        id = 0;
    } else {
        assert_int_equal(db_commit(f->db), DB_OK);
    }
    json_decref(body);
    return id;
}

/* One action in its own transaction: 0 or the refusal's status (f->e). */
static int act(struct fixture *f, const struct actor *a, int64_t id, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    if (!body) fail_msg("bad test JSON: %s", json);
    memset(&f->e, 0, sizeof f->e);
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = item_act(f->db, a, id, body, &f->e);
    assert_int_equal(rc ? db_rollback(f->db) : db_commit(f->db), DB_OK);
    json_decref(body);
    return rc ? f->e.status : 0;
}

#define OK(f, a, id, json)                                                                         \
    do {                                                                                           \
        if (act(f, a, id, json)) fail_msg("%s: %s %s", json, (f)->e.code, (f)->e.message);         \
    } while (0)

#define REFUSED(f, a, id, json, want_status, want_code)                                            \
    do {                                                                                           \
        int st_ = act(f, a, id, json);                                                             \
        if (st_ != (want_status) || strcmp((f)->e.code, want_code))                                \
            fail_msg("%s: want %d %s, got %d %s (%s)", json, want_status, want_code, st_,          \
                     st_ ? (f)->e.code : "-", st_ ? (f)->e.message : "");                          \
    } while (0)

/* One value of a query with one id parameter, as text ("(null)" for NULL). */
static void col(struct fixture *f, const char *sql, int64_t id, char *out, size_t outlen)
{
    struct db_stmt *st = db_prepare(f->db, sql);
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    assert_int_equal(db_step(st), DB_ROW);
    snprintf(out, outlen, "%s", db_column_is_null(st, 0) ? "(null)" : db_column_text(st, 0));
    db_finalize(st);
}

#define ASSERT_COL(f, sql, id, want)                                                               \
    do {                                                                                           \
        char got_[512];                                                                            \
        col(f, sql, id, got_, sizeof got_);                                                        \
        assert_string_equal(got_, want);                                                           \
    } while (0)

/* A holiday in the week of 2030-04-01 (a Monday): 清明 on Thursday and Friday. */
static void holidays(struct fixture *f)
{
    assert_int_equal(db_exec(f->db, "INSERT INTO calendar_days (day, kind, name) VALUES"
                                    " ('2030-04-04', 'holiday', '清明'),"
                                    " ('2030-04-05', 'holiday', '清明')"),
                     DB_OK);
}

/* A request filed by the office for enterprise E (channel 12345). */
static int64_t file_for(struct fixture *f, const char *category)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"kind\":\"request\",\"title\":\"诉求\",\"category\":\"%s\",\"channel\":\"12345\","
             "\"requester_unit_id\":%lld}",
             category, (long long)f->ent);
    int64_t id = create(f, &f->sup, body);
    if (!id) fail_msg("filing: %s", f->e.message);
    return id;
}

/* Assigned to unit A, accepted, answered and verified: done. */
static void to_done(struct fixture *f, int64_t id)
{
    char body[96];
    snprintf(body, sizeof body, "{\"action\":\"assign\",\"lead_unit_id\":%lld}",
             (long long)f->unit_a);
    OK(f, &f->sup, id, body);
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"reply\":\"已答复\"}");
    OK(f, &f->sup, id, "{\"action\":\"verify\"}");
}

/* A redo of a done request after the requester's unsatisfied rating. */
static void redo(struct fixture *f, int64_t id)
{
    OK(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"unsatisfied\",\"comment\":\"没解决\"}");
    OK(f, &f->sup, id, "{\"action\":\"redo\",\"reason\":\"重新办理\"}");
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
}

static void test_file(void **state)
{
    struct fixture *f = *state;
    /* an enterprise files for itself, through the web */
    int64_t id = create(f, &f->firm,
                        "{\"kind\":\"request\",\"title\":\"用电报装\",\"description\":\"请加快\","
                        "\"category\":\"consult\"}");
    if (!id) fail_msg("%s", f->e.message);
    char want[64];
    snprintf(want, sizeof want, "consult web %lld", (long long)f->ent);
    ASSERT_COL(f,
               "SELECT category || ' ' || channel || ' ' || requester_unit_id FROM requests"
               " WHERE item_id = ?1",
               id, want);
    ASSERT_COL(f, "SELECT status FROM items WHERE id = ?1", id, "draft");
    static const struct {
        const struct actor *(*who)(struct fixture *f);
        const char *body;
        int status;
        const char *code, *message;
    } refused[] = {
        {NULL, "{\"kind\":\"request\",\"title\":\"x\",\"category\":\"nosuch\"}", 422,
         "invalid_field", "no request category 'nosuch'"},
        {NULL, "{\"kind\":\"request\",\"title\":\"x\"}", 422, "missing_field",
         "field 'category' is required"},
        {NULL, "{\"kind\":\"request\",\"title\":\"x\",\"category\":\"help\",\"channel\":\"phone\"}",
         422, "invalid_field", "an enterprise files through channel 'web'"},
        {NULL,
         "{\"kind\":\"request\",\"title\":\"x\",\"category\":\"help\",\"deadline\":\"2030-05-01\"}",
         403, "forbidden",
         "an enterprise gives a request's title, description and category; the office assigns it"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        assert_int_equal(create(f, &f->firm, refused[i].body), 0);
        assert_int_equal(f->e.status, refused[i].status);
        assert_string_equal(f->e.code, refused[i].code);
        assert_string_equal(f->e.message, refused[i].message);
    }
    /* never for another enterprise */
    char body[160];
    snprintf(
        body, sizeof body,
        "{\"kind\":\"request\",\"title\":\"x\",\"category\":\"help\",\"requester_unit_id\":%lld}",
        (long long)f->ent2);
    assert_int_equal(create(f, &f->firm, body), 0);
    assert_string_equal(f->e.message, "an enterprise files requests for itself only");
    /* the office names the enterprise and the channel */
    assert_int_equal(create(f, &f->sup,
                            "{\"kind\":\"request\",\"title\":\"x\",\"category\":\"help\","
                            "\"channel\":\"phone\"}"),
                     0);
    assert_string_equal(f->e.message,
                        "field 'requester_unit_id' is required: the enterprise that asks");
    snprintf(body, sizeof body,
             "{\"kind\":\"request\",\"title\":\"x\",\"category\":\"help\",\"channel\":\"fax\","
             "\"requester_unit_id\":%lld}",
             (long long)f->ent2);
    assert_int_equal(create(f, &f->sup, body), 0);
    assert_string_equal(f->e.message, "'channel' must be phone, 12345, visit, symposium or web");
    int64_t by = file_for(f, "help");
    snprintf(want, sizeof want, "help 12345 %lld (null)", (long long)f->ent);
    ASSERT_COL(f,
               "SELECT category || ' ' || channel || ' ' || requester_unit_id || ' ' ||"
               " coalesce(CAST(requester_id AS TEXT), '(null)') FROM requests WHERE item_id = ?1",
               by, want);
    /* its JSON part */
    struct err e = {0};
    json_t *item = item_get_json(f->db, &f->firm, by, &e);
    assert_non_null(item);
    json_t *r = json_object_get(item, "request");
    assert_string_equal(json_string_value(json_object_get(r, "category")), "help");
    assert_string_equal(json_string_value(json_object_get(r, "requester_unit")), "青马公司");
    assert_int_equal(json_integer_value(json_object_get(r, "limit_days")), 5);
    assert_int_equal(json_integer_value(json_object_get(r, "redo_count")), 0);
    assert_true(json_is_null(json_object_get(r, "reply")));
    json_decref(item);
}

/* The category's limit in working days sets the deadline when none is
 * given: across the weekend and 清明 (Thursday and Friday). */
static void test_deadlines(void **state)
{
    struct fixture *f = *state;
    holidays(f);
    static const struct {
        const char *category, *deadline;
    } cases[] = {
        {"urgent", "2030-04-01"},    {"consult", "2030-04-08"},    {"help", "2030-04-10"},
        {"complaint", "2030-04-22"}, {"suggestion", "2030-04-22"},
    };
    char body[96];
    snprintf(body, sizeof body, "{\"action\":\"assign\",\"lead_unit_id\":%lld}",
             (long long)f->unit_a);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t id = file_for(f, cases[i].category);
        OK(f, &f->sup, id, body);
        ASSERT_COL(f, "SELECT deadline FROM items WHERE id = ?1", id, cases[i].deadline);
    }
    /* urgent on a Saturday: the next working day */
    setenv("LUOSHI_NOW", "2030-04-06", 1);
    int64_t id = file_for(f, "urgent");
    OK(f, &f->sup, id, body);
    ASSERT_COL(f, "SELECT deadline FROM items WHERE id = ?1", id, "2030-04-08");
    /* a deadline given wins */
    id = file_for(f, "help");
    snprintf(body, sizeof body,
             "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"deadline\":\"2030-06-30\"}",
             (long long)f->unit_a);
    OK(f, &f->sup, id, body);
    ASSERT_COL(f, "SELECT deadline FROM items WHERE id = ?1", id, "2030-06-30");
}

static void test_loop(void **state)
{
    struct fixture *f = *state;
    int64_t id =
        create(f, &f->firm, "{\"kind\":\"request\",\"title\":\"融资\",\"category\":\"help\"}");
    assert_true(id > 0);
    /* only its own enterprise sees it (and the office, the lead unit later) */
    struct err e = {0};
    assert_null(item_get_json(f->db, &f->firm2, id, &e));
    assert_int_equal(e.status, 403);
    assert_int_equal(perm_item_visible(f->db, &f->firm2, id), 0);
    assert_int_equal(perm_item_visible(f->db, &f->firm, id), 1);
    assert_int_equal(perm_item_visible(f->db, &f->other, id), 0);
    char body[96];
    snprintf(body, sizeof body, "{\"action\":\"assign\",\"lead_unit_id\":%lld}",
             (long long)f->unit_a);
    OK(f, &f->sup, id, body);
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    REFUSED(f, &f->other, id, "{\"action\":\"submit\",\"reply\":\"x\"}", 403, "forbidden");
    REFUSED(f, &f->lead, id, "{\"action\":\"submit\",\"text\":\"办完\"}", 422, "missing_field");
    assert_string_equal(f->e.message, "field 'reply' is required");
    /* rating before done: not possible yet */
    REFUSED(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"satisfied\"}", 409,
            "invalid_transition");
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"reply\":\"已协调银行对接\"}");
    ASSERT_COL(f, "SELECT reply || ' ' || replied_on FROM requests WHERE item_id = ?1", id,
               "已协调银行对接 2030-04-01");
    OK(f, &f->sup, id, "{\"action\":\"verify\"}");
    ASSERT_COL(f, "SELECT done_on FROM requests WHERE item_id = ?1", id, "2030-04-01");
    json_t *item = item_get_json(f->db, &f->firm, id, &e);
    char *allowed = json_dumps(json_object_get(item, "allowed_actions"), JSON_COMPACT);
    assert_string_equal(allowed, "[\"rate\"]");
    free(allowed);
    json_decref(item);
    /* the requester rates, nobody else; unsatisfied says why */
    REFUSED(f, &f->sup, id, "{\"action\":\"rate\",\"rating\":\"satisfied\"}", 403, "forbidden");
    REFUSED(f, &f->firm2, id, "{\"action\":\"rate\",\"rating\":\"satisfied\"}", 403, "forbidden");
    REFUSED(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"great\"}", 422, "invalid_field");
    REFUSED(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"unsatisfied\"}", 422,
            "missing_field");
    REFUSED(f, &f->sup, id, "{\"action\":\"redo\",\"reason\":\"x\"}", 409, "not_unsatisfied");
    OK(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"unsatisfied\",\"comment\":\"利率高\"}");
    REFUSED(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"basic\"}", 409, "already_rated");
    OK(f, &f->sup, id, "{\"action\":\"follow_up\",\"result\":\"电话回访，企业仍不满意\"}");
    /* redo: back to the same unit with the category's limit from today */
    setenv("LUOSHI_NOW", "2030-04-02", 1);
    OK(f, &f->sup, id, "{\"action\":\"redo\",\"reason\":\"再协调\"}");
    ASSERT_COL(f,
               "SELECT i.status || ' ' || i.deadline || ' ' || i.lead_unit_id || ' ' ||"
               " r.redo_count || ' ' || coalesce(r.rating, '-') FROM items i JOIN requests r"
               " ON r.item_id = i.id WHERE i.id = ?1",
               id, "assigned 2030-04-09 2 1 -");
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"reply\":\"已降息\"}");
    OK(f, &f->sup, id, "{\"action\":\"verify\"}");
    OK(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"satisfied\"}");
    ASSERT_COL(f, "SELECT rating || ' ' || reply FROM requests WHERE item_id = ?1", id,
               "satisfied 已降息");
}

/* The third redo lists the request (挂牌); explain closes one apart. */
static void test_redo_listed(void **state)
{
    struct fixture *f = *state;
    int64_t id = file_for(f, "complaint");
    to_done(f, id);
    for (int i = 1; i <= 3; i++) {
        redo(f, id);
        char want[32];
        snprintf(want, sizeof want, "%d %d", i, i == 3 ? 3 : 0);
        ASSERT_COL(f,
                   "SELECT r.redo_count || ' ' || i.escalation FROM items i JOIN requests r"
                   " ON r.item_id = i.id WHERE i.id = ?1",
                   id, want);
        if (i < 3) {
            OK(f, &f->lead, id, "{\"action\":\"submit\",\"reply\":\"再答复\"}");
            OK(f, &f->sup, id, "{\"action\":\"verify\"}");
        }
    }
    ASSERT_COL(f, "SELECT count(*) FROM escalations WHERE item_id = ?1 AND level = 3", id, "1");
    /* explain: only after unsatisfied, once */
    int64_t x = file_for(f, "suggestion");
    to_done(f, x);
    REFUSED(f, &f->sup, x, "{\"action\":\"explain\",\"text\":\"超出政策\"}", 409,
            "not_unsatisfied");
    OK(f, &f->firm, x, "{\"action\":\"rate\",\"rating\":\"unsatisfied\",\"comment\":\"要补贴\"}");
    OK(f, &f->sup, x, "{\"action\":\"explain\",\"text\":\"补贴超出政策范围，已书面说明\"}");
    REFUSED(f, &f->sup, x, "{\"action\":\"redo\",\"reason\":\"x\"}", 409, "not_unsatisfied");
    ASSERT_COL(f, "SELECT explanation FROM requests WHERE item_id = ?1", x,
               "补贴超出政策范围，已书面说明");
}

/* request.rate_days (default 7) after done. */
static void test_rate_window(void **state)
{
    struct fixture *f = *state;
    int64_t a = file_for(f, "help"), b = file_for(f, "help");
    to_done(f, a);
    to_done(f, b);
    setenv("LUOSHI_NOW", "2030-04-08", 1);
    OK(f, &f->firm, a, "{\"action\":\"rate\",\"rating\":\"basic\"}");
    setenv("LUOSHI_NOW", "2030-04-09", 1);
    REFUSED(f, &f->firm, b, "{\"action\":\"rate\",\"rating\":\"basic\"}", 409, "rating_closed");
    assert_string_equal(f->e.message, "a request is rated within 7 days of its reply");
}

/* The figures on a hand-built set: a satisfied, a basic (answered two days
 * after it came in, as are the redone ones' last replies), an unrated, one redone twice then
 * satisfied, one redone three times (listed, open again); and one of another unit. */
static void test_stats(void **state)
{
    struct fixture *f = *state;
    int64_t sat = file_for(f, "help"), basic = file_for(f, "help"), unrated = file_for(f, "help"),
            twice = file_for(f, "help"), thrice = file_for(f, "help");
    to_done(f, sat);
    to_done(f, unrated);
    to_done(f, twice);
    to_done(f, thrice);
    setenv("LUOSHI_NOW", "2030-04-03", 1);
    to_done(f, basic);
    OK(f, &f->firm, sat, "{\"action\":\"rate\",\"rating\":\"satisfied\"}");
    OK(f, &f->firm, basic, "{\"action\":\"rate\",\"rating\":\"basic\"}");
    for (int i = 0; i < 2; i++) {
        redo(f, twice);
        OK(f, &f->lead, twice, "{\"action\":\"submit\",\"reply\":\"再答复\"}");
        OK(f, &f->sup, twice, "{\"action\":\"verify\"}");
    }
    OK(f, &f->firm, twice, "{\"action\":\"rate\",\"rating\":\"satisfied\"}");
    for (int i = 0; i < 3; i++) {
        redo(f, thrice);
        if (i < 2) {
            OK(f, &f->lead, thrice, "{\"action\":\"submit\",\"reply\":\"再答复\"}");
            OK(f, &f->sup, thrice, "{\"action\":\"verify\"}");
        }
    }
    struct err e = {0};
    json_t *v = request_stats_json(f->db, "2030-04-01", "2030-04-30", 0, &e);
    assert_non_null(v);
    json_t *units = json_object_get(v, "units");
    assert_int_equal(json_array_size(units), 1);
    json_t *u = json_array_get(units, 0);
    json_object_del(u, "unit_id");
    char *got = json_dumps(u, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
    assert_string_equal(got,
                        "{\"avg_reply_days\":1.0,\"basic\":1,\"closed\":4,\"closed_on_time\":4,"
                        "\"explained\":0,\"on_time_rate\":100.0,\"rated\":3,\"rating_rate\":75.0,"
                        "\"received\":5,\"redo_rate\":50.0,\"redone\":2,\"satisfaction\":100.0,"
                        "\"satisfied\":2,\"signed_on_time\":5,\"unit\":\"应急管理局\","
                        "\"unsatisfied\":0}");
    free(got);
    json_decref(v);
    /* outside the window, and another unit: nothing */
    v = request_stats_json(f->db, "2030-05-01", NULL, 0, &e);
    assert_int_equal(json_array_size(json_object_get(v, "units")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "total"), "received")),
                     0);
    assert_true(json_is_null(json_object_get(json_object_get(v, "total"), "satisfaction")));
    json_decref(v);
    v = request_stats_json(f->db, NULL, NULL, f->unit_c, &e);
    assert_int_equal(json_array_size(json_object_get(v, "units")), 0);
    json_decref(v);
}

/* The ids in list name of a's inbox, as "1 2 ". */
static void inbox_ids(struct fixture *f, const struct actor *a, const char *name, char *out,
                      size_t n)
{
    struct err e = {0};
    json_t *v = inbox_json(f->db, a, &e), *it;
    assert_non_null(v);
    size_t i, used = 0;
    out[0] = '\0';
    json_array_foreach(json_object_get(v, name), i, it)
    {
        used += (size_t)snprintf(out + used, n - used, "%lld ",
                                 (long long)json_integer_value(json_object_get(it, "id")));
    }
    json_decref(v);
}

/* The 待办 the kind adds: to rate (the enterprise's own only), to follow
 * up (the office), to answer near the deadline (the lead unit). */
static void test_inbox(void **state)
{
    struct fixture *f = *state;
    int64_t a = file_for(f, "urgent"), b = file_for(f, "suggestion");
    to_done(f, a);
    char body[96], got[128], want[128];
    snprintf(body, sizeof body, "{\"action\":\"assign\",\"lead_unit_id\":%lld}",
             (long long)f->unit_a);
    OK(f, &f->sup, b, body);
    snprintf(want, sizeof want, "%lld ", (long long)a);
    inbox_ids(f, &f->firm, "to_rate", got, sizeof got);
    assert_string_equal(got, want);
    inbox_ids(f, &f->firm2, "to_rate", got, sizeof got);
    assert_string_equal(got, "");
    inbox_ids(f, &f->sup, "to_follow_up", got, sizeof got);
    assert_string_equal(got, want);
    /* b is due in 13 working days: not near yet; an urgent one is */
    inbox_ids(f, &f->lead, "to_answer", got, sizeof got);
    assert_string_equal(got, "");
    int64_t c = file_for(f, "urgent");
    OK(f, &f->sup, c, body);
    snprintf(want, sizeof want, "%lld ", (long long)c);
    inbox_ids(f, &f->lead, "to_answer", got, sizeof got);
    assert_string_equal(got, want);
    inbox_ids(f, &f->other, "to_answer", got, sizeof got);
    assert_string_equal(got, "");
    OK(f, &f->firm, a, "{\"action\":\"rate\",\"rating\":\"satisfied\"}");
    OK(f, &f->sup, a, "{\"action\":\"follow_up\",\"result\":\"满意\"}");
    inbox_ids(f, &f->firm, "to_rate", got, sizeof got);
    assert_string_equal(got, "");
    inbox_ids(f, &f->sup, "to_follow_up", got, sizeof got);
    assert_string_equal(got, "");
}

/* A row changed behind the chain's back is named by verify. */
static void test_replay_tamper(void **state)
{
    struct fixture *f = *state;
    int64_t id = file_for(f, "help");
    to_done(f, id);
    OK(f, &f->firm, id, "{\"action\":\"rate\",\"rating\":\"basic\"}");
    assert_int_equal(db_exec(f->db, "UPDATE requests SET rating = 'satisfied'"), DB_OK);
    struct verify_log v;
    struct replay_stats rs;
    verify_log_init(&v, 10);
    assert_int_equal(replay_verify(f->db, REPLAY_FULL, &v, &rs), DB_OK);
    assert_int_equal(v.problems, 1);
    assert_non_null(strstr(buf_cstr(&v.lines), "request rating"));
    verify_log_free(&v);
    assert_int_equal(db_exec(f->db, "UPDATE requests SET rating = 'basic'"), DB_OK);
}

/* The configuration chain holds every row of its sections (no problem). */
static void assert_chain_ok(struct fixture *f)
{
    struct verify_log v;
    int64_t events = 0;
    verify_log_init(&v, 10);
    assert_int_equal(config_chain_verify(f->db, &v, &events), DB_OK);
    if (v.problems) fail_msg("config chain: %s", buf_cstr(&v.lines));
    verify_log_free(&v);
}

/* One configuration write in its own transaction: 0 or the refusal's status. */
static int set_category(struct fixture *f, const struct actor *a, struct request_category c,
                        int *added)
{
    memset(&f->e, 0, sizeof f->e);
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = request_category_set(f->db, a, &c, added, &f->e);
    assert_int_equal(rc ? db_rollback(f->db) : db_commit(f->db), DB_OK);
    return rc ? f->e.status : 0;
}

static int set_route(struct fixture *f, const char *category, int64_t area, int64_t unit)
{
    memset(&f->e, 0, sizeof f->e);
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = request_route_set(f->db, &f->sup, category, area, unit, &f->e);
    assert_int_equal(rc ? db_rollback(f->db) : db_commit(f->db), DB_OK);
    return rc ? f->e.status : 0;
}

/* An admin changes a category's limit and name and adds one; each change is
 * an event of the configuration chain with its actor, and the deadline
 * follows the new limit. */
static void test_categories_edit(void **state)
{
    struct fixture *f = *state;
    struct actor admin = {.user_id = f->sup.user_id, .username = "sup", .roles = ROLE_ADMIN};
    int added = -1;
    assert_int_equal(set_category(f, &admin,
                                  (struct request_category){"consult", "政策咨询答复", NULL, 4},
                                  &added),
                     0);
    assert_int_equal(added, 0);
    assert_int_equal(set_category(f, &admin,
                                  (struct request_category){"permit", "审批服务", "Permits", 2},
                                  &added),
                     0);
    assert_int_equal(added, 1);
    ASSERT_COL(f,
               "SELECT name || ' ' || name_en || ' ' || limit_days || ' ' || sort FROM"
               " request_categories WHERE sort = ?1",
               6, "审批服务 Permits 2 6");
    ASSERT_COL(f,
               "SELECT name || ' ' || name_en || ' ' || limit_days FROM request_categories"
               " WHERE sort = ?1",
               2, "政策咨询答复 Consultation 4");
    ASSERT_COL(f,
               "SELECT count(*) || ' ' || min(action) || ' ' || max(action) || ' ' || min(actor)"
               " FROM config_events WHERE section = 'request_categories' AND seq > ?1",
               0, "2 add set sup");
    /* refused: a bad code, a limit out of range, a new one without its limit */
    assert_int_equal(
        set_category(f, &admin, (struct request_category){"Bad code", "x", NULL, 1}, &added), 422);
    assert_int_equal(
        set_category(f, &admin, (struct request_category){"help", NULL, NULL, 61}, &added), 422);
    assert_int_equal(
        set_category(f, &admin, (struct request_category){"visit", "走访", NULL, -1}, &added), 422);
    assert_string_equal(f->e.code, "missing_field");
    assert_chain_ok(f);
    /* 4 working days from Monday 2030-04-01 across 清明 (Thursday, Friday) */
    holidays(f);
    int64_t id = file_for(f, "consult");
    char body[96];
    snprintf(body, sizeof body, "{\"action\":\"assign\",\"lead_unit_id\":%lld}",
             (long long)f->unit_a);
    OK(f, &f->sup, id, body);
    ASSERT_COL(f, "SELECT deadline FROM items WHERE id = ?1", id, "2030-04-09");
    id = file_for(f, "permit");
    OK(f, &f->sup, id, body);
    ASSERT_COL(f, "SELECT deadline FROM items WHERE id = ?1", id, "2030-04-03");
}

/* Assigned without a lead unit, a request goes where the rule for its
 * category and the enterprise (or its town, or the city) says. */
static void test_routing(void **state)
{
    struct fixture *f = *state;
    int64_t id = file_for(f, "help");
    /* no rule: the lead unit is required as for any item */
    REFUSED(f, &f->sup, id, "{\"action\":\"assign\"}", 422, "missing_field");
    assert_int_equal(set_route(f, "help", 0, f->unit_a), 0);       /* the city */
    assert_int_equal(set_route(f, "help", f->town, f->unit_c), 0); /* 东城街道 */
    assert_int_equal(set_route(f, "consult", f->town, f->unit_a), 0);
    assert_int_equal(set_route(f, "nope", 0, f->unit_a), 422);
    assert_int_equal(set_route(f, "help", 0, 999999), 422);
    int64_t unit = 0;
    assert_int_equal(request_route_propose(f->db, "help", f->ent, &unit), 1);
    assert_int_equal(unit, f->unit_c);
    assert_int_equal(request_route_propose(f->db, "help", f->office, &unit), 1);
    assert_int_equal(unit, f->unit_a);
    assert_int_equal(request_route_propose(f->db, "urgent", f->ent, &unit), 0);
    OK(f, &f->sup, id, "{\"action\":\"assign\"}");
    ASSERT_COL(f, "SELECT lead_unit_id || ' ' || deadline FROM items WHERE id = ?1", id,
               "3 2030-04-08");
    ASSERT_COL(f,
               "SELECT count(*) FROM events WHERE item_id = ?1 AND action = 'assign' AND"
               " data LIKE '%\"routed_to\":3%'",
               id, "1");
    assert_chain_ok(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadlines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redo_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_categories_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_routing, setup, teardown),
    };
    return testdb_rounds("request", tests);
}
