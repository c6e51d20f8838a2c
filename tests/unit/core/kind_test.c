/* kind_test.c — the kind table (core/kind.c) and each kind's hooks, exercised
 * through the generic paths only: item_input_parse and item_create (a
 * hazard gets its row, a report its category, place and default title, an
 * unbuilt kind 422), item_act (a hazard's triage is its own step; its checks
 * before assign and submit, its records after assign, submit and verify),
 * item_get_json (the kind's JSON part) and visibility (the visible hook and
 * its SQL twin KIND_VISIBLE_SQL give the same answers, and the hook's grid
 * capacity lets the grid reporter verify).  Against a fresh database per
 * test, on SQLite and then on PostgreSQL when LUOSHI_TEST_PG is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/action_spec.h"
#include "core/challenge.h"
#include "core/event.h"
#include "core/hazard.h"
#include "core/item.h"
#include "core/kind.h"
#include "core/remediation.h"
#include "core/lifecycle.h"
#include "core/perm.h"
#include "core/replay.h"
#include "core/setting_text.h"
#include "core/unit.h"
#include "core/user.h"
#include "db/db.h"
#include "fixture.h"
#include "testdb.h"
#include "util/buf.h"

/* ---- the table itself ---- */

static void test_table(void **state)
{
    (void)state;
    static const struct {
        const char *name, *zh, *en, *table;
        int creatable;
    } want[] = {
        {"challenge", "榜单", "Challenge", "challenges", 1},
        {"hazard", "隐患", "Hazard", "hazards", 1},
        {"remediation", "整治", "Remediation", "remediations", 1},
        {"request", "诉求", "Request", "requests", 1},
        {"task", "任务", "Task", NULL, 1},
    };
    assert_int_equal(kind_count(), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < kind_count(); i++) {
        const struct kind *k = kind_at(i);
        if (i) assert_true(strcmp(kind_at(i - 1)->name, k->name) < 0); /* sorted, unique */
        assert_ptr_equal(kind_find(k->name), k);
        assert_string_equal(k->name, want[i].name);
        assert_string_equal(k->label_zh, want[i].zh);
        assert_string_equal(k->label_en, want[i].en);
        if (want[i].table)
            assert_string_equal(k->table, want[i].table);
        else
            assert_null(k->table);
        assert_int_equal(k->creatable, want[i].creatable);
        /* its steps: sorted, unique, each for an action it has rows for */
        for (const struct kind_step *s = k->steps; s && s->action; s++) {
            if (s != k->steps) assert_true(strcmp(s[-1].action, s->action) < 0);
            assert_true(s->before || s->after || s->may);
            const struct action_spec *spec = action_spec_find(k->name, s->action);
            if (!spec)
                fail_msg("%s has a step for '%s', which it has no fields for", k->name, s->action);
            /* a kind's own action is done by its before step */
            if (spec->kind) assert_non_null(s->before);
            assert_true(action_implemented(k->name, s->action));
        }
    }
    assert_null(kind_find("bogus"));
    assert_null(kind_find(NULL));
    assert_null(kind_at(kind_count()));
    char names[128];
    kind_names_text(names, sizeof names);
    assert_string_equal(names, "challenge, hazard, remediation, request, task");
    /* every kind-specific row of the action list names a kind of the table */
    for (size_t i = 0; i < action_spec_count; i++)
        if (action_specs[i].kind) assert_non_null(kind_find(action_specs[i].kind));
}

/* ---- through the generic paths ---- */

struct fixture {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a, unit_c, town, grid, ent;
    struct actor sup, lead, other, gridman, firm;
    struct err e;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "kind")) return -1;
    f->db = f->t.db;
    struct err e = {0};
    if (db_begin(f->db) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &f->office, &e) ||
        unit_add(f->db, NULL, "A", "应急管理局", "department", NULL, &f->unit_a, &e) ||
        unit_add(f->db, NULL, "C", "文旅局", "department", NULL, &f->unit_c, &e) ||
        unit_add(f->db, NULL, "T", "东城街道", "town", NULL, &f->town, &e) ||
        unit_add(f->db, NULL, "G", "东城一网格", "grid", "T", &f->grid, &e) ||
        unit_add(f->db, NULL, "E", "青马公司", "enterprise", "T", &f->ent, &e))
        return -1;
    fixture_user(f->db, &f->sup, "sup", "DCS", f->office, ROLE_SUPERVISOR);
    fixture_user(f->db, &f->lead, "lead", "A", f->unit_a, ROLE_HANDLER);
    fixture_user(f->db, &f->other, "other", "C", f->unit_c, ROLE_HANDLER);
    fixture_user(f->db, &f->gridman, "gridman", "G", f->grid, ROLE_REPORTER);
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

/* A hazard report (hazard_create, which goes through item_create): 0 with f->e
 * when refused. */
static int64_t report(struct fixture *f, const struct actor *a, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    struct hazard_input in;
    int64_t id = 0;
    memset(&f->e, 0, sizeof f->e);
    if (hazard_input_parse(body, &in, &f->e)) fail_msg("parse: %s", f->e.message);
    assert_int_equal(db_begin(f->db), DB_OK);
    if (hazard_create(f->db, a, &in, &id, &f->e)) {
        assert_int_equal(db_rollback(f->db), DB_OK);
        id = 0;
    } else {
        assert_int_equal(db_commit(f->db), DB_OK);
    }
    hazard_input_free(&in);
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

/* The last event's data of the item as compact JSON with sorted keys. */
static json_t *last_event_data(struct fixture *f, int64_t id)
{
    char text[4096];
    col(f, "SELECT data FROM events WHERE item_id = ?1 ORDER BY seq DESC LIMIT 1", id, text,
        sizeof text);
    json_t *d = json_loads(text, 0, NULL);
    assert_non_null(d);
    return d;
}

static void test_create(void **state)
{
    struct fixture *f = *state;
    /* POST /items of kind hazard: the hazard's create hook refuses it, a
     * hazard is a report with its category, description and place (issue 17,
     * defect 11); nothing is written */
    assert_int_equal(create(f, &f->sup, "{\"kind\":\"hazard\",\"title\":\"巡查发现\"}"), 0);
    assert_int_equal(f->e.status, 422);
    assert_string_equal(f->e.code, "invalid_field");
    assert_string_equal(f->e.detail, "hazard_report");
    ASSERT_COL(f, "SELECT count(*) FROM items WHERE kind = 'hazard'", 0, "0");
    /* a task has no row of its own */
    int64_t t = create(f, &f->sup, "{\"kind\":\"task\",\"title\":\"任务\"}");
    assert_true(t > 0);
    ASSERT_COL(f, "SELECT count(*) FROM hazards WHERE item_id = ?1", t, "0");
    /* the hazard adds no field to POST /items */
    assert_int_equal(
        create(f, &f->sup, "{\"kind\":\"hazard\",\"title\":\"x\",\"category\":\"fire\"}"), 0);
    assert_int_equal(f->e.status, 422);
    assert_string_equal(f->e.code, "unknown_field");
    assert_string_equal(f->e.message, "unknown field 'category'");
    /* every kind is built: a remediation without its own fields is refused */
    assert_int_equal(create(f, &f->sup, "{\"kind\":\"remediation\",\"title\":\"x\"}"), 0);
    assert_int_equal(f->e.status, 422);
    assert_string_equal(f->e.code, "missing_field");
    /* no kind at all */
    assert_int_equal(create(f, &f->sup, "{\"kind\":\"bogus\",\"title\":\"x\"}"), 0);
    assert_string_equal(f->e.code, "invalid_field");
    assert_string_equal(f->e.message,
                        "'kind' must be one of challenge, hazard, remediation, request, task");
    /* item_create refuses one from code without its enterprise too */
    struct item_input in = {.kind = "remediation",
                            .title = "x",
                            .description = "",
                            .source = "plan",
                            .feedback_cycle = "none",
                            .kind_input = &(struct remediation_input){0}};
    int64_t id = 0;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(item_create(f->db, &f->sup, &in, &id, &e), -1);
    assert_int_equal(db_rollback(f->db), DB_OK);
    assert_string_equal(e.code, "missing_field");
    ASSERT_COL(f, "SELECT count(*) FROM items WHERE ?1 = ?1", 0, "1"); /* the task alone */
}

static void test_report(void **state)
{
    struct fixture *f = *state;
    /* a report by the grid reporter: the hazard's create hook checks it and
     * fills the grid from the reporter's unit and the default title */
    int64_t h = report(f, &f->gridman, "{\"category\":\"fire\",\"description\":\"楼道堆放杂物\"}");
    if (!h) fail_msg("report: %s", f->e.message);
    ASSERT_COL(f, "SELECT title FROM items WHERE id = ?1", h, "消防隐患：楼道堆放杂物");
    ASSERT_COL(f, "SELECT source FROM items WHERE id = ?1", h, "report");
    ASSERT_COL(f,
               "SELECT c.code FROM hazards h JOIN hazard_categories c ON c.id = h.category_id"
               " WHERE h.item_id = ?1",
               h, "fire");
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)f->grid);
    ASSERT_COL(f, "SELECT grid_unit_id FROM hazards WHERE item_id = ?1", h, want);
    /* the create event is the chain's first, with the title the hook made */
    json_t *d = last_event_data(f, h);
    assert_string_equal(json_string_value(json_object_get(d, "title")), "消防隐患：楼道堆放杂物");
    assert_string_equal(json_string_value(json_object_get(d, "kind")), "hazard");
    json_decref(d);
    /* refused by the hook: nothing is written */
    assert_int_equal(report(f, &f->gridman, "{\"category\":\"nope\",\"description\":\"x\"}"), 0);
    assert_int_equal(f->e.status, 404);
    assert_string_equal(f->e.code, "unknown_category");
    assert_int_equal(report(f, &f->sup, "{\"category\":\"fire\",\"description\":\"x\"}"), 0);
    assert_int_equal(f->e.status, 422);
    assert_string_equal(f->e.code, "missing_location");
    ASSERT_COL(f, "SELECT count(*) FROM items WHERE ?1 = ?1", 0, "1");
    /* the item's JSON carries the kind's part under its name; a task's has none */
    struct err e = {0};
    json_t *item = item_get_json(f->db, &f->sup, h, &e);
    assert_non_null(item);
    json_t *part = json_object_get(item, "hazard");
    assert_true(json_is_object(part));
    assert_string_equal(json_string_value(json_object_get(part, "category")), "fire");
    assert_int_equal(json_integer_value(json_object_get(part, "grid_unit_id")), f->grid);
    assert_int_equal(json_array_size(json_object_get(part, "photos")), 0);
    json_decref(item);
    int64_t t = create(f, &f->sup, "{\"kind\":\"task\",\"title\":\"任务\"}");
    item = item_get_json(f->db, &f->sup, t, &e);
    assert_non_null(item);
    assert_null(json_object_get(item, "hazard"));
    assert_null(json_object_get(item, "task"));
    json_decref(item);
}

static const char plan_json[] =
    "{\"targets\":\"清理\",\"measures\":\"搬离\",\"funds\":\"自筹\",\"responsible\":\"物业\","
    "\"time_limit\":\"10天\",\"safety\":\"专人看护\"}";

/* A minimal PNG: the signature and an IHDR of a 1 × 1 image. */
static const unsigned char png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
                                      13,   'I', 'H', 'D', 'R',  0,    0,    0,    1, 0, 0,
                                      0,    1,   8,   2,   0,    0,    0,    0,    0, 0, 0};

static void test_steps(void **state)
{
    struct fixture *f = *state;
    int64_t h = report(f, &f->gridman,
                       "{\"category\":\"gas\",\"description\":\"液化气瓶露天存放\",\"attributes\":{"
                       "\"gas_type\":\"bottled\"}}");
    assert_true(h > 0);
    /* before assign: the hazard must be triaged */
    REFUSED(f, &f->sup, h, "{\"action\":\"assign\"}", 409, "triage_required");
    /* triage is the hazard's own step: it sets the item's lead unit and deadline */
    char body[512];
    snprintf(
        body, sizeof body,
        "{\"action\":\"triage\",\"level\":\"major\",\"category\":\"fire\",\"lead_unit_id\":%lld,"
        "\"deadline\":\"2030-04-30\"}",
        (long long)f->unit_a);
    OK(f, &f->sup, h, body);
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)f->unit_a);
    ASSERT_COL(f, "SELECT lead_unit_id FROM items WHERE id = ?1", h, want);
    ASSERT_COL(f, "SELECT deadline FROM items WHERE id = ?1", h, "2030-04-30");
    ASSERT_COL(f, "SELECT status FROM items WHERE id = ?1", h, "draft");
    ASSERT_COL(f, "SELECT level FROM hazards WHERE item_id = ?1", h, "major");
    json_t *d = last_event_data(f, h);
    assert_string_equal(json_string_value(json_object_get(d, "level")), "major");
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "after"), "deadline")),
                        "2030-04-30");
    json_decref(d);
    /* a major hazard needs its plan before assign (before step) */
    REFUSED(f, &f->sup, h, "{\"action\":\"assign\"}", 409, "plan_required");
    snprintf(body, sizeof body, "{\"action\":\"triage\",\"plan\":%s}", plan_json);
    OK(f, &f->sup, h, body);
    /* assign lists it (after step): escalation 挂牌, recorded once */
    OK(f, &f->sup, h, "{\"action\":\"assign\"}");
    ASSERT_COL(f, "SELECT escalation FROM items WHERE id = ?1", h, "3");
    ASSERT_COL(f, "SELECT count(*) FROM hazards WHERE item_id = ?1 AND listed_at IS NOT NULL", h,
               "1");
    d = last_event_data(f, h);
    assert_true(json_is_true(json_object_get(d, "listed")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(d, "after"), "escalation")), "listed");
    json_decref(d);
    OK(f, &f->lead, h, "{\"action\":\"accept\"}");
    /* before submit: a photo of the rectified site */
    REFUSED(f, &f->lead, h, "{\"action\":\"submit\",\"text\":\"已整改\"}", 409, "photo_required");
    int64_t pid;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(hazard_photo_add(f->db, &f->lead, h, "after", png, sizeof png, &pid, &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    OK(f, &f->lead, h, "{\"action\":\"submit\",\"text\":\"已整改\"}");
    ASSERT_COL(f, "SELECT acceptance_due FROM hazards WHERE item_id = ?1", h, "2030-04-11");
    d = last_event_data(f, h);
    assert_int_equal(json_integer_value(json_object_get(d, "after_photos")), 1);
    assert_string_equal(json_string_value(json_object_get(d, "acceptance_due")), "2030-04-11");
    json_decref(d);
    /* the grid reporter checks on site (a capacity the hazard's visible hook
     * gives) and may send it back, but a major hazard is delisted (摘牌) by
     * the office: the hazard's may step refuses the grid, and allowed_actions
     * says so beforehand (issue 17, defects 8 and 14) */
    REFUSED(f, &f->gridman, h, "{\"action\":\"verify\"}", 403, "forbidden");
    json_t *seen = item_get_json(f->db, &f->gridman, h, &e);
    assert_non_null(seen);
    char *allowed = json_dumps(json_object_get(seen, "allowed_actions"), JSON_COMPACT);
    assert_string_equal(allowed, "[\"reject\"]");
    free(allowed);
    json_decref(seen);
    OK(f, &f->sup, h, "{\"action\":\"verify\"}");
    ASSERT_COL(f, "SELECT status FROM items WHERE id = ?1", h, "done");
    ASSERT_COL(f,
               "SELECT count(*) FROM hazards WHERE item_id = ?1 AND closed_at IS NOT NULL"
               " AND delisted_at IS NOT NULL",
               h, "1");
}

static void test_kind_fields(void **state)
{
    struct fixture *f = *state;
    int64_t t = create(f, &f->sup, "{\"kind\":\"task\",\"title\":\"任务\"}");
    int64_t a = report(f, &f->gridman, "{\"category\":\"fire\",\"description\":\"一\"}");
    int64_t b = report(f, &f->gridman, "{\"category\":\"fire\",\"description\":\"二\"}");
    /* a hazard's own action does not exist on a task */
    REFUSED(f, &f->sup, t, "{\"action\":\"triage\",\"level\":\"general\"}", 409,
            "invalid_transition");
    /* cancel takes duplicate_of only on a hazard (its row of the action list) */
    char body[128];
    snprintf(body, sizeof body, "{\"action\":\"cancel\",\"reason\":\"重复\",\"duplicate_of\":%lld}",
             (long long)a);
    REFUSED(f, &f->sup, t, body, 422, "unknown_field");
    assert_string_equal(f->e.message, "'cancel' takes no field 'duplicate_of'");
    OK(f, &f->sup, b, body);
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)a);
    ASSERT_COL(f, "SELECT duplicate_of FROM hazards WHERE item_id = ?1", b, want);
    ASSERT_COL(f, "SELECT count(*) FROM hazards WHERE item_id = ?1 AND closed_at IS NOT NULL", b,
               "1");
    /* required comes from the list: cancel's reason */
    REFUSED(f, &f->sup, a, "{\"action\":\"cancel\"}", 422, "missing_field");
    assert_string_equal(f->e.message, "field 'reason' is required");
}

/* 1 when id is on the list flt of a's items (limit 100). */
static int on_list(struct fixture *f, const struct actor *a, struct item_filter *flt, int64_t id)
{
    struct err e = {0};
    json_t *l = item_list_json(f->db, a, flt, &e), *it;
    assert_non_null(l);
    int found = 0;
    size_t i;
    json_array_foreach(json_object_get(l, "items"), i, it) found |=
        json_integer_value(json_object_get(it, "id")) == id;
    json_decref(l);
    return found;
}

/* Whether a finds id in the list of kind's items (the SQL twin's answer),
 * and the same in the list without a filter (the twin's ids, perm.h's
 * PERM_UNIT_IDS_SQL, for one who does not see every item). */
static int listed_kind(struct fixture *f, const struct actor *a, const char *kind, int64_t id)
{
    struct item_filter by_kind = {.kind = kind, .limit = 100}, plain = {.limit = 100};
    int found = on_list(f, a, &by_kind, id);
    if (on_list(f, a, &plain, id) != found)
        fail_msg("%s: item %lld %s the %s list, not the plain one", a->username, (long long)id,
                 found ? "on" : "off", kind);
    return found;
}

/* 1 when id is in the actor's list of hazards (and the plain list). */
static int listed(struct fixture *f, const struct actor *a, int64_t id)
{
    return listed_kind(f, a, "hazard", id);
}

static void test_visibility(void **state)
{
    struct fixture *f = *state;
    int64_t g = report(f, &f->gridman, "{\"category\":\"fire\",\"description\":\"网格里\"}");
    int64_t p = report(f, &f->firm, "{\"category\":\"fire\",\"description\":\"厂区里\"}");
    assert_true(g > 0 && p > 0);
    const struct {
        const struct actor *a;
        int sees_g, sees_p;
    } cases[] = {
        {&f->sup, 1, 1}, {&f->gridman, 1, 0}, {&f->firm, 0, 1}, {&f->lead, 0, 0}, {&f->other, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int k = 0; k < 2; k++) {
            int64_t id = k ? p : g;
            int want = k ? cases[i].sees_p : cases[i].sees_g;
            struct err e = {0};
            /* the hook's answer (item_get_json), the SQL twin's (perm, lists) */
            json_t *item = item_get_json(f->db, cases[i].a, id, &e);
            if (!!item != want)
                fail_msg("%s on %s: item_get_json %s", cases[i].a->username, k ? "place" : "grid",
                         item ? "shows it" : e.code);
            if (!item) assert_int_equal(e.status, 403);
            json_decref(item);
            assert_int_equal(perm_item_visible(f->db, cases[i].a, id), want);
            assert_int_equal(listed(f, cases[i].a, id), want);
        }
    }
    /* the grid capacity is the grid reporter's alone, and only in the grid */
    assert_int_equal(act(f, &f->firm, p, "{\"action\":\"verify\"}"), 409);
    assert_int_equal(act(f, &f->other, g, "{\"action\":\"verify\"}"), 403);
}

/* An application in its own transaction: 0 or the refusal's status. */
static int apply(struct fixture *f, const struct actor *a, int64_t id)
{
    json_t *body = json_pack("{s:s, s:s, s:i, s:[s]}", "team", "攻关组", "plan", "方案",
                             "budget_wan", 50, "members", "张工");
    int64_t app = 0;
    memset(&f->e, 0, sizeof f->e);
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = challenge_apply(f->db, a, id, body, &app, &f->e);
    assert_int_equal(rc ? db_rollback(f->db) : db_commit(f->db), DB_OK);
    json_decref(body);
    return rc ? f->e.status : 0;
}

/* A challenge's applicant unit sees it once it has applied, by the hook and
 * by its SQL twin alike, never its internal record; nobody else does. */
static void test_challenge_visibility(void **state)
{
    struct fixture *f = *state;
    struct actor app, app2;
    fixture_user(f->db, &app, "app", "E", f->ent, ROLE_APPLICANT);
    fixture_user(f->db, &app2, "app2", "C", f->unit_c, ROLE_APPLICANT);
    char body[512];
    snprintf(body, sizeof body,
             "{\"kind\":\"challenge\",\"title\":\"榜\",\"problem\":\"难题\","
             "\"owner_unit_id\":%lld,\"field\":\"制造\",\"reward_wan\":100,"
             "\"apply_until\":\"2030-04-30\"}",
             (long long)f->ent);
    int64_t id = create(f, &f->sup, body);
    assert_true(id > 0);
    assert_int_equal(apply(f, &app, id), 404); /* not published */
    OK(f, &f->sup, id, "{\"action\":\"publish\"}");
    assert_int_equal(apply(f, &f->lead, id), 403); /* not an applicant */
    assert_int_equal(apply(f, &app, id), 0);
    assert_int_equal(apply(f, &app, id), 409); /* the cap of 1 */
    assert_string_equal(f->e.code, "cap_reached");
    const struct {
        const struct actor *a;
        int sees, internal;
    } cases[] = {{&f->sup, 1, 1}, {&app, 1, 0}, {&app2, 0, 0}, {&f->lead, 0, 0}, {&f->firm, 1, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct err e = {0};
        json_t *item = item_get_json(f->db, cases[i].a, id, &e);
        if (!!item != cases[i].sees)
            fail_msg("%s: item_get_json %s", cases[i].a->username, item ? "shows it" : e.code);
        json_decref(item);
        assert_int_equal(perm_item_visible(f->db, cases[i].a, id), cases[i].sees);
        assert_int_equal(listed_kind(f, cases[i].a, "challenge", id), cases[i].sees);
        assert_int_equal(perm_item_internal(f->db, cases[i].a, id), cases[i].internal);
    }
    /* each applicant reads its own applications, the office all with their reviews */
    struct err e = {0};
    json_t *mine = challenge_applications_json(f->db, &app, id, &e);
    json_t *none = challenge_applications_json(f->db, &app2, id, &e);
    json_t *all = challenge_applications_json(f->db, &f->sup, id, &e);
    assert_int_equal(json_array_size(json_object_get(mine, "applications")), 1);
    assert_null(
        json_object_get(json_array_get(json_object_get(mine, "applications"), 0), "reviews"));
    assert_int_equal(json_array_size(json_object_get(none, "applications")), 0);
    assert_non_null(
        json_object_get(json_array_get(json_object_get(all, "applications"), 0), "reviews"));
    json_decref(mine), json_decref(none), json_decref(all);
    /* what the rows hold is vouched for by the events: a changed reward, a
     * removed application are named (and the rows put back for teardown) */
    const struct {
        const char *change, *named, *undo;
    } tampers[] = {
        {"UPDATE challenges SET reward_wan = 1000", "challenge reward_wan",
         "UPDATE challenges SET reward_wan = 100"},
        {"UPDATE challenges SET phase = 'closed'", "challenge phase",
         "UPDATE challenges SET phase = 'open'"},
        {"UPDATE challenges SET result = 'pass'", "challenge result",
         "UPDATE challenges SET result = NULL"},
    };
    for (size_t i = 0; i < sizeof tampers / sizeof *tampers; i++) {
        struct verify_log v;
        struct replay_stats rs;
        verify_log_init(&v, 10);
        assert_int_equal(db_exec(f->db, tampers[i].change), DB_OK);
        assert_int_equal(replay_verify(f->db, REPLAY_FULL, &v, &rs), DB_OK);
        assert_int_equal(v.problems, 1);
        if (!strstr(buf_cstr(&v.lines), tampers[i].named))
            fail_msg("verify says: %s", buf_cstr(&v.lines));
        verify_log_free(&v);
        assert_int_equal(db_exec(f->db, tampers[i].undo), DB_OK);
    }
}

/* The science bureau drafts challenges (issue 20): a handler of a unit the
 * text setting challenge.creator_units names (default kjj) creates one, its
 * unit sees it (the hook and the SQL twin alike) and edits it while it is
 * a draft; only the office publishes; another bureau's handler creates
 * none and sees none; the create event vouches for the author unit. */
static void test_challenge_author(void **state)
{
    struct fixture *f = *state;
    struct actor kjj, kjj2;
    int64_t kjj_unit;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    if (unit_add(f->db, NULL, "kjj", "科技局", "department", NULL, &kjj_unit, &e))
        fail_msg("%s", e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    fixture_user(f->db, &kjj, "kjj-handler", "kjj", kjj_unit, ROLE_HANDLER);
    fixture_user(f->db, &kjj2, "kjj-reporter", "kjj", kjj_unit, ROLE_REPORTER);
    char body[512];
    snprintf(body, sizeof body,
             "{\"kind\":\"challenge\",\"title\":\"科技局榜\",\"problem\":\"难题\","
             "\"owner_unit_id\":%lld,\"field\":\"制造\",\"reward_wan\":100,"
             "\"apply_until\":\"2030-04-30\"}",
             (long long)f->ent);
    assert_int_equal(create(f, &f->lead, body), 0); /* 应急管理局 is no creator unit */
    assert_int_equal(f->e.status, 403);
    assert_string_equal(f->e.code, "forbidden");
    assert_int_equal(create(f, &kjj2, body), 0); /* the bureau's reporter is no handler */
    assert_int_equal(f->e.status, 403);
    int64_t id = create(f, &kjj, body);
    assert_true(id > 0);
    int64_t author = 0;
    assert_int_equal(db_query_int64(f->db,
                                    "SELECT author_unit_id FROM challenges WHERE item_id = ?1", 1,
                                    id, &author),
                     DB_OK);
    assert_int_equal(author, kjj_unit);
    const struct {
        const struct actor *a;
        int sees;
    } cases[] = {{&f->sup, 1}, {&kjj, 1}, {&kjj2, 1}, {&f->lead, 0}, {&f->other, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *item = item_get_json(f->db, cases[i].a, id, &e);
        if (!!item != cases[i].sees)
            fail_msg("%s: item_get_json %s", cases[i].a->username, item ? "shows it" : e.code);
        json_decref(item);
        assert_int_equal(perm_item_visible(f->db, cases[i].a, id), cases[i].sees);
        assert_int_equal(listed_kind(f, cases[i].a, "challenge", id), cases[i].sees);
        assert_int_equal(perm_item_internal(f->db, cases[i].a, id), cases[i].a == &f->sup);
    }
    OK(f, &kjj, id, "{\"action\":\"edit\",\"title\":\"科技局榜（修改）\"}");
    char co[96];
    snprintf(co, sizeof co, "{\"action\":\"edit\",\"co_unit_ids\":[%lld]}", (long long)f->unit_c);
    REFUSED(f, &kjj, id, co, 422, "invalid_field"); /* no units of its own until the award */
    REFUSED(f, &kjj2, id, "{\"action\":\"edit\",\"title\":\"网格改\"}", 403, "forbidden");
    REFUSED(f, &kjj, id, "{\"action\":\"publish\"}", 403, "forbidden");
    OK(f, &f->sup, id, "{\"action\":\"publish\"}");
    REFUSED(f, &kjj, id, "{\"action\":\"edit\",\"title\":\"发布后\"}", 409, "invalid_transition");
    /* the setting names the units: 应急管理局 alone now, the bureau no more */
    json_t *v = json_pack("{s:s}", "challenge.creator_units", "A");
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(setting_text_update(f->db, &f->sup, v, &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(v);
    assert_true(create(f, &f->lead, body) > 0);
    assert_int_equal(create(f, &kjj, body), 0);
    assert_int_equal(f->e.status, 403);
    /* the author unit is the create event's: a changed one is named */
    struct verify_log vl;
    struct replay_stats rs;
    verify_log_init(&vl, 10);
    char tamper[96];
    snprintf(tamper, sizeof tamper,
             "UPDATE challenges SET author_unit_id = NULL WHERE item_id = %lld", (long long)id);
    assert_int_equal(db_exec(f->db, tamper), DB_OK);
    assert_int_equal(replay_verify(f->db, REPLAY_FULL, &vl, &rs), DB_OK);
    assert_int_equal(vl.problems, 1);
    if (!strstr(buf_cstr(&vl.lines), "challenge author_unit_id"))
        fail_msg("verify says: %s", buf_cstr(&vl.lines));
    verify_log_free(&vl);
}

/* A university (unit kind university, migration 028) is a unit like any
 * other in the database of either driver, and its applicants apply. */
static void test_university_applicant(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t uni;
    assert_int_equal(db_begin(f->db), DB_OK);
    if (unit_add(f->db, NULL, "U", "永康职业技术学院", "university", NULL, &uni, &e))
        fail_msg("%s", e.message);
    assert_int_equal(unit_add(f->db, NULL, "X", "某学院", "college", NULL, &uni, &e), -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(db_commit(f->db), DB_OK);
    /* the database's own constraint still refuses any other kind */
    assert_int_not_equal(db_exec(f->db, "INSERT INTO units (code, name, kind, created_at)"
                                        " VALUES ('Y', 'y', 'college', 0)"),
                         DB_OK);
    struct actor app;
    fixture_user(f->db, &app, "uni-app", "U", uni, ROLE_APPLICANT);
    char body[512];
    snprintf(body, sizeof body,
             "{\"kind\":\"challenge\",\"title\":\"榜\",\"problem\":\"难题\","
             "\"owner_unit_id\":%lld,\"field\":\"制造\",\"reward_wan\":100,"
             "\"apply_until\":\"2030-04-30\"}",
             (long long)f->ent);
    int64_t id = create(f, &f->sup, body);
    assert_true(id > 0);
    OK(f, &f->sup, id, "{\"action\":\"publish\"}");
    assert_int_equal(apply(f, &app, id), 0);
    assert_int_equal(perm_item_visible(f->db, &app, id), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kind_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visibility, setup, teardown),
        cmocka_unit_test_setup_teardown(test_challenge_visibility, setup, teardown),
        cmocka_unit_test_setup_teardown(test_challenge_author, setup, teardown),
        cmocka_unit_test_setup_teardown(test_university_applicant, setup, teardown),
    };
    return testdb_rounds("kind", tests);
}
