/* demo_loop.c — the demo city's items at every stage of the supervision
 * loop: after `luoshi init --demo` has created its items as drafts, a few are
 * taken through core/action.h as the demo's own users would (assigned,
 * accepted, in progress with feedback and an urge while overdue, submitted,
 * done, returned), and the official holiday schedules the binary carries are
 * imported so working days are right from the start. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/action.h"
#include "core/census.h"
#include "core/user.h"

/* One step: the demo item (1-based, in demo.c's order) and who does what. */
static const struct {
    int item;
    const char *user, *body;
} demo_steps[] = {
    {1, "supervisor", "{\"action\":\"assign\"}"},
    {1, "zzb", "{\"action\":\"return\",\"reason\":\"主要由市委党校组织实施，建议改由党校牵头\"}"},
    {6, "supervisor", "{\"action\":\"assign\"}"},
    {6, "yjj", "{\"action\":\"accept\"}"},
    {6, "yjj",
     "{\"action\":\"feedback\",\"text\":\"已完成全市重点行业隐患摸排，正在逐项整改\","
     "\"progress\":30}"},
    {6, "supervisor", "{\"action\":\"urge\",\"text\":\"已超过办理期限，请加快整改并报送进展\"}"},
    {7, "supervisor", "{\"action\":\"assign\"}"},
    {8, "supervisor", "{\"action\":\"assign\"}"},
    {8, "yjj", "{\"action\":\"accept\"}"},
    {9, "supervisor", "{\"action\":\"assign\"}"},
    {9, "jxj", "{\"action\":\"accept\"}"},
    {9, "jxj", "{\"action\":\"feedback\",\"text\":\"已盘活低效工业用地1200亩\",\"value\":1200}"},
    {9, "jxj", "{\"action\":\"submit\",\"text\":\"年度整治任务已完成，附腾退清单\"}"},
    {12, "supervisor", "{\"action\":\"assign\"}"},
    {12, "jxj", "{\"action\":\"accept\"}"},
    {12, "jxj",
     "{\"action\":\"feedback\",\"text\":\"座谈会意见已逐条分解到责任科室\","
     "\"progress\":60}"},
    {12, "jxj", "{\"action\":\"submit\",\"text\":\"全部意见建议已逐条回应企业\"}"},
    {12, "supervisor", "{\"action\":\"verify\"}"},
};

/* The actor for a demo user.  0, or -1 with e. */
static int demo_actor(struct db *db, const char *username, struct actor *a, struct err *e)
{
    struct user_row u;
    int rc = user_find(db, username, &u);
    if (rc < 0) return err_db(e, rc, "reading the demo users");
    if (!rc) return err_set(e, 500, "internal", "no demo user '%s'", username);
    *a = (struct actor){u.id, username, u.unit_id, u.roles};
    return 0;
}

int demo_loop(struct db *db, struct err *e)
{
    int days;
    if (calendar_import_builtin(db, &days, e)) return -1;
    struct census census;
    if (census_take(db, &census, e)) return -1;
    int64_t first = census.first_item;
    for (size_t k = 0; k < sizeof demo_steps / sizeof *demo_steps; k++) {
        struct actor a;
        if (demo_actor(db, demo_steps[k].user, &a, e)) return -1;
        json_t *body = json_loads(demo_steps[k].body, 0, NULL);
        int rc = item_act(db, &a, first + demo_steps[k].item - 1, body, e);
        json_decref(body);
        if (rc) return -1;
    }
    return 0;
}
