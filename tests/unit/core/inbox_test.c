/* inbox_test.c — the 待办 (core/inbox.c) for every role, against the rows.
 *
 * A small city (reach.h) takes items through the loop with the core
 * functions: each list holds exactly the items that wait on its audience,
 * each entry says why (the reason of a return or a rejection, the urge,
 * the instruction, the extension's new deadline), and each count of the
 * navigation equals its list's length and the rows counted directly — after
 * the answers that take an item out of a list as well.  Runs on SQLite, and
 * on PostgreSQL when LUOSHI_TEST_PG is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#include "reach.h"

#include "core/inbox.h"

static int setup(void **state)
{
    struct city *c = calloc(1, sizeof *c);
    *state = c;
    return city_open(c, "inbox");
}

static int teardown(void **state)
{
    struct city *c = *state;
    city_close(c);
    free(c);
    return 0;
}

/* The ids of list name in inbox v, space-separated. */
static void ids_of(json_t *v, const char *name, char *out, size_t n)
{
    json_t *list = json_object_get(v, name), *it;
    size_t i, used = 0;
    if (!json_is_array(list)) fail_msg("no list '%s'", name);
    out[0] = '\0';
    json_array_foreach(list, i, it) used +=
        (size_t)snprintf(out + used, n - used, "%s%lld", i ? " " : "",
                         (long long)json_integer_value(json_object_get(it, "id")));
}

/* Lists of a's inbox as "name:ids;" for the non-empty ones, in key order. */
static void assert_inbox(struct city *c, const struct actor *a, const char *want)
{
    struct err e = {0};
    json_t *v = inbox_json(c->db, a, &e);
    if (!v) fail_msg("inbox_json: %s", e.message);
    char got[1024] = "", ids[512];
    size_t used = 0;
    const char *key;
    json_t *list;
    json_object_foreach(v, key, list)
    {
        if (!json_array_size(list)) continue;
        ids_of(v, key, ids, sizeof ids);
        used += (size_t)snprintf(got + used, sizeof got - used, "%s:%s;", key, ids);
    }
    json_decref(v);
    assert_string_equal(got, want);
}

/* Every count equals its list's length; the total is their sum; want is
 * the counts as "name=n;" in key order (zeros too). */
static void assert_counts(struct city *c, const struct actor *a, const char *want)
{
    struct err e = {0};
    json_t *v = inbox_json(c->db, a, &e), *n = inbox_counts_json(c->db, a, &e);
    if (!v || !n) fail_msg("inbox: %s", e.message);
    char got[512] = "";
    size_t used = 0;
    json_int_t sum = 0;
    const char *key;
    json_t *count;
    json_object_foreach(json_object_get(n, "counts"), key, count)
    {
        json_int_t k = json_integer_value(count);
        if ((size_t)k != json_array_size(json_object_get(v, key)))
            fail_msg("%s: count %lld, list %zu", key, (long long)k,
                     json_array_size(json_object_get(v, key)));
        sum += k;
        used += (size_t)snprintf(got + used, sizeof got - used, "%s=%lld;", key, (long long)k);
    }
    assert_int_equal(json_integer_value(json_object_get(n, "total")), sum);
    int64_t total = -1;
    assert_int_equal(inbox_total(c->db, a, &total), DB_OK);
    assert_int_equal(total, sum);
    json_decref(v);
    json_decref(n);
    assert_string_equal(got, want);
}

/* The "why" of item id in list name: "action|actor|text|deadline". */
static void assert_why(struct city *c, const struct actor *a, const char *name, int64_t id,
                       const char *field, const char *want)
{
    struct err e = {0};
    json_t *v = inbox_json(c->db, a, &e), *it;
    size_t i;
    char got[512] = "(not listed)";
    json_array_foreach(json_object_get(v, name), i, it)
    {
        if (json_integer_value(json_object_get(it, "id")) != id) continue;
        json_t *w = json_object_get(it, field);
        if (json_is_null(w)) {
            snprintf(got, sizeof got, "null");
            break;
        }
        const char *t = json_string_value(json_object_get(w, "text"));
        const char *d = json_string_value(json_object_get(w, "deadline"));
        snprintf(got, sizeof got, "%s|%s|%s|%s", json_string_value(json_object_get(w, "action")),
                 json_string_value(json_object_get(w, "actor")), t ? t : "-", d ? d : "-");
    }
    json_decref(v);
    assert_string_equal(got, want);
}

/* Every role's lists through the loop's steps, and what answers them. */
static void test_lists_by_role(void **state)
{
    struct city *c = *state;
    char s[256];
    int64_t draft = city_item(c, "task", "待交办", c->unit_a, "2030-06-30");
    int64_t hz = city_item(c, "hazard", "待研判隐患", c->unit_a, "2030-06-30");
    int64_t fresh = city_item(c, "task", "待签收", c->unit_a, "2030-06-30");
    int64_t back = city_item(c, "task", "被退回", c->unit_a, "2030-06-30");
    int64_t done = city_item(c, "task", "待销号", c->unit_a, "2030-06-30");
    int64_t rej = city_item(c, "task", "被驳回", c->unit_a, "2030-06-30");
    int64_t urged = city_item(c, "task", "被催办", c->unit_a, "2030-06-30");
    int64_t told = city_item(c, "task", "有批示", c->unit_a, "2030-06-30");
    int64_t ext = city_item(c, "task", "申请延期", c->unit_a, "2030-06-30");
    int64_t key = city_item(c, "task", "重点督办", c->unit_b, "2030-06-30");
    int64_t ids[] = {fresh, back, done, rej, urged, told, ext, key};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        city_act(c, &c->sup, ids[k], "{\"action\":\"assign\"}");
    city_act(c, &c->lead, back, "{\"action\":\"return\",\"reason\":\"不属于本单位职责\"}");
    int64_t mine[] = {done, rej, urged, told, ext};
    for (size_t k = 0; k < sizeof mine / sizeof mine[0]; k++)
        city_act(c, &c->lead, mine[k], "{\"action\":\"accept\"}");
    city_act(c, &c->bee, key, "{\"action\":\"accept\"}");
    city_act(c, &c->lead, done, "{\"action\":\"submit\",\"text\":\"已完成\"}");
    city_act(c, &c->lead, rej, "{\"action\":\"submit\",\"text\":\"已完成\"}");
    city_act(c, &c->sup, rej, "{\"action\":\"reject\",\"reason\":\"佐证材料不全\"}");
    city_act(c, &c->sup, urged, "{\"action\":\"urge\",\"text\":\"请加快进度\"}");
    city_act(c, &c->boss, told, "{\"action\":\"instruct\",\"text\":\"要抓紧落实\"}");
    city_act(c, &c->lead, ext,
             "{\"action\":\"request_extension\",\"deadline\":\"2030-07-31\",\"reason\":\"拆迁\"}");
    city_act(c, &c->sup, key, "{\"action\":\"escalate\",\"level\":\"key\",\"text\":\"列入重点\"}");

    snprintf(s, sizeof s,
             "returned:%lld;to_verify:%lld;to_assign:%lld;extensions:%lld;to_triage:%lld;",
             (long long)back, (long long)done, (long long)draft, (long long)ext, (long long)hz);
    assert_inbox(c, &c->sup, s);
    assert_counts(c, &c->sup,
                  "returned=1;to_verify=1;to_assign=1;to_triage=1;extensions=1;to_score=0;"
                  "acceptance_due=0;to_"
                  "follow_up=0;objections=0;");
    snprintf(s, sizeof s,
             "to_accept:%lld;to_report:%lld %lld %lld %lld;returned:%lld;urged:%lld;"
             "instructed:%lld;",
             (long long)fresh, (long long)rej, (long long)urged, (long long)told, (long long)ext,
             (long long)rej, (long long)urged, (long long)told);
    assert_inbox(c, &c->lead, s);
    assert_counts(c, &c->lead, "to_accept=1;returned=1;to_verify=0;urged=1;instructed=1;");
    snprintf(s, sizeof s, "to_report:%lld;urged:%lld;", (long long)key, (long long)key);
    assert_inbox(c, &c->bee, s);
    snprintf(s, sizeof s, "escalated:%lld;my_instructions:%lld;", (long long)key, (long long)told);
    assert_inbox(c, &c->boss, s);
    assert_counts(c, &c->boss, "escalated=1;to_score=0;");

    assert_why(c, &c->sup, "returned", back, "why", "return|lead|不属于本单位职责|-");
    assert_why(c, &c->sup, "to_verify", done, "why", "submit|lead|已完成|-");
    assert_why(c, &c->sup, "extensions", ext, "why", "request_extension|lead|拆迁|2030-07-31");
    assert_why(c, &c->sup, "to_assign", draft, "why", "null");
    assert_why(c, &c->lead, "returned", rej, "why", "reject|sup|佐证材料不全|-");
    assert_why(c, &c->lead, "urged", urged, "why", "urge|sup|请加快进度|-");
    assert_why(c, &c->lead, "instructed", told, "why", "instruct|boss|要抓紧落实|-");
    assert_why(c, &c->bee, "urged", key, "why", "escalate|sup|列入重点|-");
    assert_why(c, &c->boss, "escalated", key, "why", "escalate|sup|列入重点|-");
    assert_why(c, &c->boss, "my_instructions", told, "why", "instruct|boss|要抓紧落实|-");
    assert_why(c, &c->boss, "my_instructions", told, "outcome", "null");

    /* the answers take the items out of the lists */
    city_act(c, &c->lead, rej, "{\"action\":\"feedback\",\"text\":\"已补充材料\"}");
    city_act(c, &c->lead, urged, "{\"action\":\"feedback\",\"text\":\"加快中\"}");
    city_act(c, &c->lead, told, "{\"action\":\"feedback\",\"text\":\"按批示落实\"}");
    city_act(c, &c->sup, ext, "{\"action\":\"approve_extension\"}");
    city_act(c, &c->sup, done, "{\"action\":\"verify\"}");
    city_act(c, &c->lead, fresh, "{\"action\":\"accept\"}");
    assert_counts(c, &c->lead, "to_accept=0;returned=0;to_verify=0;urged=0;instructed=0;");
    assert_counts(c, &c->sup,
                  "returned=1;to_verify=0;to_assign=1;to_triage=1;extensions=0;to_score=0;"
                  "acceptance_due=0;to_"
                  "follow_up=0;objections=0;");
    assert_why(c, &c->boss, "my_instructions", told, "outcome", "feedback|lead|按批示落实|-");
    /* a later urge after the feedback puts it back */
    city_act(c, &c->sup, urged, "{\"action\":\"urge\",\"text\":\"再催\"}");
    assert_counts(c, &c->lead, "to_accept=0;returned=0;to_verify=0;urged=1;instructed=0;");
}

/* A supervisor who is also a handler sees the office's view of returned;
 * a role's lists it has no part in stay empty but present. */
static void test_keys_and_double_roles(void **state)
{
    struct city *c = *state;
    struct err e = {0};
    json_t *v = inbox_json(c->db, &c->gridman, &e);
    assert_non_null(v);
    char keys[512] = "";
    size_t used = 0;
    const char *key;
    json_t *list;
    json_object_foreach(v, key, list)
    {
        assert_int_equal(json_array_size(list), 0);
        used += (size_t)snprintf(keys + used, sizeof keys - used, "%s ", key);
    }
    json_decref(v);
    assert_string_equal(keys,
                        "to_accept to_report due_soon overdue returned to_verify to_assign "
                        "extensions urged instructed escalated my_instructions "
                        "instruction_results to_score to_triage "
                        "to_check acceptance_due to_rate to_follow_up to_answer objections reviews "
                        "reviews_returned ");
    int64_t back = city_item(c, "task", "退回", c->unit_a, "2030-06-30");
    int64_t rej = city_item(c, "task", "驳回", c->unit_a, "2030-06-30");
    city_act(c, &c->sup, back, "{\"action\":\"assign\"}");
    city_act(c, &c->sup, rej, "{\"action\":\"assign\"}");
    city_act(c, &c->lead, back, "{\"action\":\"return\",\"reason\":\"x\"}");
    city_act(c, &c->lead, rej, "{\"action\":\"accept\"}");
    city_act(c, &c->lead, rej, "{\"action\":\"submit\",\"text\":\"x\"}");
    city_act(c, &c->sup, rej, "{\"action\":\"reject\",\"reason\":\"y\"}");
    struct actor both = c->lead;
    both.roles |= ROLE_SUPERVISOR;
    char s[128];
    snprintf(s, sizeof s, "to_report:%lld;returned:%lld;", (long long)rej, (long long)back);
    assert_inbox(c, &both, s);
    assert_counts(c, &both,
                  "to_accept=0;returned=1;to_verify=0;to_assign=0;to_triage=0;"
                  "extensions=0;urged=0;instructed=0;to_score=0;acceptance_due=0;to_follow_up=0;"
                  "objections=0;");
}

/* A grid worker's on-site checks: the submitted hazards of their grid, not
 * another grid's, nor the enterprise reporter's. */
static void test_grid_checks(void **state)
{
    struct city *c = *state;
    int64_t mine = city_item(c, "hazard", "占用消防通道", c->unit_a, "2030-06-30");
    int64_t other = city_item(c, "hazard", "燃气瓶露天存放", c->unit_a, "2030-06-30");
    int64_t open = city_item(c, "hazard", "电线私拉乱接", c->unit_a, "2030-06-30");
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE hazards SET grid_unit_id = %lld WHERE item_id IN (%lld, %lld)",
             (long long)c->grid, (long long)mine, (long long)open);
    city_exec(c, sql);
    snprintf(sql, sizeof sql,
             "UPDATE items SET status = 'submitted' WHERE id IN (%lld, %lld);"
             " UPDATE items SET status = 'in_progress' WHERE id = %lld",
             (long long)mine, (long long)other, (long long)open);
    city_exec(c, sql);
    snprintf(sql, sizeof sql, "to_check:%lld;", (long long)mine);
    assert_inbox(c, &c->gridman, sql);
    assert_counts(c, &c->gridman, "to_check=1;to_rate=0;");
    assert_counts(c, &c->firmman, "to_check=0;to_rate=0;");
    assert_int_equal(city_int(c,
                              "SELECT count(*) FROM items i JOIN hazards h ON h.item_id = i.id"
                              " WHERE i.status = 'submitted' AND h.grid_unit_id = ?1",
                              c->grid),
                     1);
    /* the office's 验收到期 (defect 13): a major hazard submitted for acceptance
     * on or past its acceptance_due, not a general one, not one due later */
    char big[512];
    snprintf(
        big, sizeof big,
        "UPDATE hazards SET level = 'major', acceptance_due = '2030-04-01' WHERE item_id = %lld;"
        " UPDATE hazards SET level = 'major', acceptance_due = '2030-04-02' WHERE item_id = %lld;"
        " UPDATE hazards SET level = 'general', acceptance_due = '2030-03-01'"
        " WHERE item_id = %lld; UPDATE items SET status = 'submitted' WHERE id = %lld",
        (long long)mine, (long long)other, (long long)open, (long long)open);
    city_exec(c, big);
    snprintf(big, sizeof big, "to_verify:%lld %lld %lld;acceptance_due:%lld;", (long long)mine,
             (long long)other, (long long)open, (long long)mine);
    assert_inbox(c, &c->sup, big);
    assert_counts(
        c, &c->sup,
        "returned=0;to_verify=3;to_assign=0;to_triage=0;extensions=0;to_score=0;acceptance_due=1;"
        "to_follow_up=0;objections=0;");
    assert_counts(c, &c->lead, "to_accept=0;returned=0;to_verify=0;urged=0;instructed=0;");
}

/* The why's text and deadline are the event's strings as written: quotes,
 * backslashes, line breaks, braces and the words "text" or "reason" inside
 * them stay what they were; an event's reason comes before its text. */
static void test_why_text(void **state)
{
    struct city *c = *state;
    int64_t rej = city_item(c, "task", "转义", c->unit_a, "2030-06-30");
    int64_t ext = city_item(c, "task", "延期", c->unit_a, "2030-06-30");
    int64_t ids[] = {rej, ext};
    for (size_t k = 0; k < 2; k++) {
        city_act(c, &c->sup, ids[k], "{\"action\":\"assign\"}");
        city_act(c, &c->lead, ids[k], "{\"action\":\"accept\"}");
    }
    city_act(c, &c->lead, rej, "{\"action\":\"submit\",\"text\":\"已完成\"}");
    city_act(c, &c->sup, rej,
             "{\"action\":\"reject\",\"reason\":\"缺\\\"附件\\\"\\\\ {\\\"text\\\":1}\\n二\"}");
    city_act(c, &c->lead, ext,
             "{\"action\":\"request_extension\",\"deadline\":\"2030-07-31\","
             "\"reason\":\"text: \\\"拆迁\\\"\"}");
    assert_why(c, &c->lead, "returned", rej, "why", "reject|sup|缺\"附件\"\\ {\"text\":1}\n二|-");
    assert_why(c, &c->sup, "extensions", ext, "why",
               "request_extension|lead|text: \"拆迁\"|2030-07-31");
}

/* One plan's lines, joined by '\n'. */
static void plan_of(struct city *c, const char *sql, char *out, size_t len)
{
    struct db_stmt *st = db_prepare(c->db, sql);
    if (!st) fail_msg("%s", db_errmsg(c->db));
    size_t used = 0;
    out[0] = '\0';
    while (db_step(st) == DB_ROW && used < len)
        used += (size_t)snprintf(out + used, len - used, "%s\n", db_column_text(st, 3));
    db_finalize(st);
}

/* On SQLite: the lists that pick items by the seqs they keep (urged,
 * instructed, a handler's returned; migration 031) read the unit's open
 * work from items_light alone, neither an item's row nor an event; the
 * why's seq of the other lists comes from events_item_seq_action alone.
 * The statements are inbox.c's, written here from the same macros. */
static void test_why_plans(void **state)
{
    struct city *c = *state;
    if (testdb_pg_url) skip();
    char plan[2048];
    plan_of(c,
            "EXPLAIN QUERY PLAN " INBOX_COLS INBOX_KEPT_WHY(
                "urge_seq") " WHERE i.status IN ('assigned','accepted','in_progress')"
                            " AND i.lead_unit_id = 1 AND i.urge_seq > coalesce(i.report_seq, 0)"
                            " ORDER BY +i.id",
            plan, sizeof plan);
    if (!strstr(plan, "SEARCH i USING COVERING INDEX items_light (status=? AND lead_unit_id=?)") ||
        strstr(plan, "events"))
        fail_msg("urged: %s", plan);
    plan_of(c, "EXPLAIN QUERY PLAN " INBOX_SELECT_WHY("'assign'") " WHERE i.id = 1", plan,
            sizeof plan);
    if (!strstr(plan, "SEARCH ev USING COVERING INDEX events_item_seq_action (item_id=?)") ||
        strstr(plan, "SEARCH w "))
        fail_msg("a why: %s", plan);
}

/* The seq an item keeps in col (migration 031), and the newest of its
 * events among actions, as two numbers of one row (0 for none). */
static void kept_and_newest(struct city *c, int64_t id, const char *col, const char *actions,
                            int64_t *kept, int64_t *newest)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(%s, 0), (SELECT coalesce(max(seq), 0) FROM events"
             " WHERE item_id = ?1 AND action IN (%s)) FROM items WHERE id = ?1",
             col, actions);
    struct db_stmt *st = db_prepare(c->db, sql);
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    assert_int_equal(db_step(st), DB_ROW);
    *kept = db_column_int64(st, 0), *newest = db_column_int64(st, 1);
    db_finalize(st);
}

/* The seqs an item keeps (migration 031) are its newest events' of each
 * group after every action: a report, a rejection, an urge, an
 * escalation, an instruction, and a report again. */
static void test_kept_seqs(void **state)
{
    struct city *c = *state;
    static const char *const cols[][2] = {{"report_seq", "'feedback','submit'"},
                                          {"urge_seq", "'urge','escalate'"},
                                          {"instruct_seq", "'instruct'"},
                                          {"reject_seq", "'reject'"}};
    static const struct {
        int who; /* 0 the office, 1 the lead unit, 2 the leader */
        const char *json;
    } steps[] = {
        {0, "{\"action\":\"assign\"}"},
        {1, "{\"action\":\"accept\"}"},
        {1, "{\"action\":\"submit\",\"text\":\"已完成\"}"},
        {0, "{\"action\":\"reject\",\"reason\":\"缺附件\"}"},
        {0, "{\"action\":\"urge\",\"text\":\"快\"}"},
        {0, "{\"action\":\"escalate\",\"level\":\"key\",\"text\":\"重点\"}"},
        {2, "{\"action\":\"instruct\",\"text\":\"批示\"}"},
        {1, "{\"action\":\"feedback\",\"text\":\"在办\"}"},
    };
    const struct actor *who[] = {&c->sup, &c->lead, &c->boss};
    int64_t id = city_item(c, "task", "催了又报", c->unit_a, "2030-06-30"), kept, newest;
    int nonzero = 0;
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        city_act(c, who[steps[k].who], id, steps[k].json);
        for (size_t g = 0; g < 4; g++) {
            kept_and_newest(c, id, cols[g][0], cols[g][1], &kept, &newest);
            if (kept != newest)
                fail_msg("after %s: %s %lld, newest %lld", steps[k].json, cols[g][0],
                         (long long)kept, (long long)newest);
            nonzero += k + 1 == sizeof steps / sizeof steps[0] && kept > 0;
        }
    }
    assert_int_equal(nonzero, 4); /* every group was kept */
}

/* A why is kept in memory (events never change) under the session stamp:
 * a new display name of its actor shows in the very next answer, and so
 * does it when the name changes back. */
static void test_why_name_change(void **state)
{
    struct city *c = *state;
    int64_t id = city_item(c, "task", "改名", c->unit_a, "2030-06-30");
    city_act(c, &c->sup, id, "{\"action\":\"assign\"}");
    city_act(c, &c->lead, id, "{\"action\":\"accept\"}");
    city_act(c, &c->sup, id, "{\"action\":\"urge\",\"text\":\"请加快\"}");
    static const char *const names[] = {"督查室 新名", "督查室 王督查", "督查室 新名"};
    char want[160];
    for (size_t k = 0; k < 3; k++) {
        struct db_stmt *st = db_prepare(c->db, "UPDATE users SET name = ?1 WHERE id = ?2");
        assert_non_null(st);
        db_bind_text(st, 1, names[k], (size_t)-1);
        db_bind_int64(st, 2, c->sup.user_id);
        assert_int_equal(db_step(st), DB_DONE);
        db_finalize(st);
        for (int twice = 0; twice < 2; twice++) { /* read, then kept */
            struct err e = {0};
            json_t *v = inbox_json(c->db, &c->lead, &e), *it;
            size_t i;
            snprintf(want, sizeof want, "(not listed)");
            json_array_foreach(json_object_get(v, "urged"), i, it)
            {
                json_t *w = json_object_get(it, "why");
                if (json_integer_value(json_object_get(it, "id")) == id)
                    snprintf(want, sizeof want, "%s|%s",
                             json_string_value(json_object_get(w, "action")),
                             json_string_value(json_object_get(w, "actor_name")));
            }
            json_decref(v);
            char expect[160];
            snprintf(expect, sizeof expect, "urge|%s", names[k]);
            assert_string_equal(want, expect);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lists_by_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_and_double_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grid_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_why_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_why_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kept_seqs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_why_name_change, setup, teardown),
    };
    return testdb_rounds("inbox", tests);
}
