/* demo.c — the demo city: units like the seed's Yongkang (市委办公室, 督查室,
 * departments, 五金 task forces, towns with grids, enterprises), one user per
 * role with a fresh random password printed once, and the meeting's key
 * tasks as items with deadlines around today (some already late).
 * Loaded by `luoshi init --demo` into an empty database, in one transaction. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/action.h"
#include "core/campaign.h"
#include "core/census.h"
#include "core/hazard.h"
#include "core/item.h"
#include "core/unit.h"
#include "core/user.h"
#include "util/time.h"

static const struct {
    const char *code, *name, *kind, *parent;
} demo_units[] = {
    {"swb", "市委办公室", "department", NULL},
    {"dcs", "督查室（督考办）", "department", "swb"},
    {"zzb", "市委组织部", "department", NULL},
    {"dx", "市委党校", "department", NULL},
    {"yjj", "应急管理局", "department", NULL},
    {"jxj", "经信局", "department", NULL},
    {"zgj", "自然资源和规划局", "department", NULL},
    {"kjj", "科技局", "department", NULL},
    {"fgj", "发改局", "department", NULL},
    {"zb-wjzh", "五金产业转型升级指挥部", "taskforce", NULL},
    {"zb-wjzd", "世界五金之都建设专班", "taskforce", NULL},
    {"zb-dxyd", "低效工业用地整治专班", "taskforce", NULL},
    {"dc", "东城街道", "town", NULL},
    {"dc-01", "东城街道第一网格", "grid", "dc"},
    {"dc-02", "东城街道第二网格", "grid", "dc"},
    {"xc", "西城街道", "town", NULL},
    {"xc-01", "西城街道第一网格", "grid", "xc"},
    {"gs", "古山镇", "town", NULL},
    {"gs-01", "古山镇第一网格", "grid", "gs"},
    {"qmgm", "青沐工贸有限公司", "enterprise", "dc"},
    {"ljj", "立久佳运动器械有限公司", "enterprise", "xc"},
    {"dldq", "东立电器有限公司", "enterprise", "gs"},
    {"hdkj", "赫德科技有限公司", "enterprise", "dc"},
    {"ykzy", "永康职业技术学院", "university", NULL},
};

static const struct {
    const char *username, *name, *unit, *roles;
} demo_users[] = {
    {"admin", "系统管理员", "swb", "admin"},
    {"supervisor", "督查室 王督查", "dcs", "supervisor"},
    {"leader", "市领导 李书记", "swb", "leader"},
    {"yjj", "应急管理局 陈科长", "yjj", "handler"},
    {"jxj", "经信局 周科长", "jxj", "handler"},
    {"zzb", "组织部 吴科长", "zzb", "handler"},
    {"grid", "东城一网格 网格员", "dc-01", "reporter"},
    {"qiye", "青沐工贸 联络员", "qmgm", "reporter"},
    {"jiebang", "赫德科技 揭榜联络员", "hdkj", "applicant"},
    {"gaoxiao", "永康职院 揭榜联络员", "ykzy", "applicant"},
};

static const struct {
    const char *title, *lead, *co, *cycle;
    int due; /* deadline in days from today; negative = already late */
    double target;
    const char *metric_unit;
} demo_items[] = {
    {"传达学习习近平总书记在中央党校建校90周年庆祝大会上的重要讲话精神", "zzb", "dx", "monthly", 20,
     0, NULL},
    {"把党校工作与胡公式干部培育一体推进", "dx", "zzb", "quarterly", 90, 0, NULL},
    {"优化完善世界五金之都规划体系", "fgj", "zb-wjzd", "monthly", 60, 0, NULL},
    {"把主要目标、重点任务分解到各专班和相关部门，形成项目清单", "zb-wjzd", "fgj", "weekly", 2, 0,
     NULL},
    {"建立健全督查通报和反馈机制", "dcs", NULL, "monthly", 30, 0, NULL},
    {"常态化开展各领域安全隐患排查整治，形成闭环", "yjj", "dc", "weekly", -3, 0, NULL},
    {"持续开展一月一主题平安大整治", "yjj", NULL, "monthly", 25, 0, NULL},
    {"加强专业应急队伍建设和各项应急准备", "yjj", NULL, "monthly", 1, 0, NULL},
    {"推进低效工业用地整治再掀热潮", "jxj", "zgj", "monthly", 120, 1200, "亩"},
    {"大力实施关键共性技术难题攻关项目“揭榜挂帅”机制", "kjj", NULL, "monthly", -10, 0, NULL},
    {"全面加快推进以人为本的城市更新行动", "zgj", "fgj", "quarterly", 180, 0, NULL},
    {"逐条回应企业座谈会提出的意见建议", "jxj", "kjj", "biweekly", 10, 0, NULL},
};

static int demo_units_add(struct db *db, struct err *e)
{
    for (size_t i = 0; i < sizeof demo_units / sizeof *demo_units; i++) {
        int64_t id;
        if (unit_add(db, cli_actor(), demo_units[i].code, demo_units[i].name, demo_units[i].kind,
                     demo_units[i].parent, &id, e))
            return -1;
    }
    return 0;
}

/* A readable random password: letters and digits without look-alikes. */
static void demo_password(char out[13])
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 12; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[12] = '\0';
}

static int demo_users_add(struct db *db, char passwords[][13], struct err *e)
{
    for (size_t i = 0; i < sizeof demo_users / sizeof *demo_users; i++) {
        char hash[USER_HASH_MAX];
        int64_t id;
        demo_password(passwords[i]);
        user_hash_password(passwords[i], hash);
        if (user_add(db, cli_actor(), demo_users[i].username, demo_users[i].name,
                     demo_users[i].unit, role_parse(demo_users[i].roles), hash, &id, e))
            return -1;
    }
    return 0;
}

static int demo_items_add(struct db *db, struct err *e)
{
    struct actor system = {0, "system", 0, ROLE_ADMIN};
    int32_t today = time_today();
    for (size_t i = 0; i < sizeof demo_items / sizeof *demo_items; i++) {
        struct item_input in = {0};
        char deadline[11];
        date_format(today + demo_items[i].due, deadline);
        in.kind = "task";
        in.title = demo_items[i].title;
        in.description = "市委常委会（扩大）会议部署，2023年3月15日。";
        in.source = "meeting";
        in.feedback_cycle = demo_items[i].cycle;
        in.deadline = deadline;
        in.lead_unit_id = unit_id_by_code(db, demo_items[i].lead);
        if (demo_items[i].co) in.co_unit_ids[in.n_co++] = unit_id_by_code(db, demo_items[i].co);
        if (demo_items[i].metric_unit) {
            in.has_metric = 1;
            in.metric_target = demo_items[i].target;
            in.metric_unit = demo_items[i].metric_unit;
        }
        int64_t id;
        if (item_create(db, &system, &in, &id, e)) return -1;
    }
    return 0;
}

/* The challenge (揭榜挂帅) the seed's meeting asks for, published by the
 * office for 东立电器 and open for applications for three more weeks. */
static int demo_challenge(struct db *db, struct err *e)
{
    struct actor system = {0, "system", 0, ROLE_ADMIN};
    char until[11], deadline[11];
    date_format(time_today() + 21, until);
    date_format(time_today() + 386, deadline);
    json_t *body = json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:s, s:f, s:s, s:I, s:s, s:s}", "kind", "challenge", "title",
        "高效永磁电机控制器关键共性技术攻关", "description",
        "科技局会同经信局组织内部审核通过，2023年“揭榜挂帅”第一批榜单。", "problem",
        "五金电动工具用永磁无刷电机控制器效率偏低、温升偏高，需攻克高效率矢量控制与散热结构一体化设"
        "计，"
        "整机效率提升至 92% 以上。",
        "owner_unit_id", (json_int_t)unit_id_by_code(db, "dldq"), "field", "智能制造 · 电机控制",
        "reward_wan", 300.0, "apply_until", until, "max_per_applicant", (json_int_t)1,
        "expected_results", "样机 2 台、发明专利申请 2 件，控制器效率 ≥92%，批量试产 1000 套。",
        "time_frame", "揭榜后 12 个月");
    json_object_set_new(body, "deadline", json_string(deadline));
    struct item_input in;
    int64_t id;
    int rc = item_input_parse(body, &in, e);
    if (!rc) rc = item_create(db, &system, &in, &id, e);
    json_t *act = json_pack("{s:s, s:s}", "action", "publish", "note", "经内部审核，发布揭榜。");
    if (!rc) rc = item_act(db, &system, id, act, e);
    json_decref(act);
    json_decref(body);
    return rc;
}

/* Hazard routing (every category city-wide to 应急管理局; 用电 in 东城 to
 * 经信局; 燃气 in 古山 to the town) and this month's campaign (燃气 and 消防). */
static int demo_hazards(struct db *db, struct err *e)
{
    static const char *const cats[] = {
        "fire",         "gas",          "electric",       "hazchem",        "special_equipment",
        "construction", "road_traffic", "confined_space", "dust_explosion", "other"};
    struct actor system = {0, "system", 0, ROLE_ADMIN};
    int64_t yjj = unit_id_by_code(db, "yjj");
    for (size_t i = 0; i < sizeof cats / sizeof *cats; i++)
        if (hazard_route_set(db, &system, cats[i], 0, yjj, e)) return -1;
    if (hazard_route_set(db, &system, "electric", unit_id_by_code(db, "dc"),
                         unit_id_by_code(db, "jxj"), e) ||
        hazard_route_set(db, &system, "gas", unit_id_by_code(db, "gs"), unit_id_by_code(db, "gs"),
                         e))
        return -1;
    char month[11];
    date_format(time_today(), month);
    month[7] = '\0';
    json_t *c = json_pack("{s:s,s:s,s:s,s:[s,s]}", "theme", "燃气与消防安全大整治", "month", month,
                          "description", "一月一主题平安大整治：排查燃气使用与消防通道隐患。",
                          "categories", "gas", "fire");
    int64_t id;
    int rc = campaign_create(db, &system, c, &id, e);
    json_decref(c);
    return rc;
}

int demo_load(struct db *db)
{
    struct census census;
    struct err e = {0};
    if (census_take(db, &census, &e) || census.units > 0) {
        fprintf(stderr, "luoshi init --demo: the database already has units; the demo city"
                        " goes only into an empty database\n");
        return CLI_FAIL;
    }
    char passwords[sizeof demo_users / sizeof *demo_users][13];
    if (db_begin(db) != DB_OK || demo_units_add(db, &e) || demo_users_add(db, passwords, &e) ||
        demo_items_add(db, &e) || import_seed_meeting(db, &e) || demo_loop(db, &e) ||
        demo_hazards(db, &e) || demo_challenge(db, &e)) {
        db_rollback(db);
        fprintf(stderr, "luoshi init --demo: %s\n", e.message[0] ? e.message : db_errmsg(db));
        return CLI_FAIL;
    }
    if (db_commit(db) != DB_OK) {
        fprintf(stderr, "luoshi init --demo: cannot commit: %s\n", db_errmsg(db));
        return CLI_FAIL;
    }
    census_take(db, &census, &e);
    printf("demo city loaded: %zu units, %zu users, %lld items (%lld of them drafts read from"
           " the seed meeting report)\n\n"
           "demo logins (shown once; change them with `luoshi user passwd`):\n",
           sizeof demo_units / sizeof *demo_units, sizeof demo_users / sizeof *demo_users,
           (long long)census.items, (long long)census.meeting_items);
    for (size_t i = 0; i < sizeof demo_users / sizeof *demo_users; i++)
        printf("  %-12s %-14s %-10s %s\n", demo_users[i].username, passwords[i],
               demo_users[i].roles, demo_users[i].name);
    return CLI_OK;
}
