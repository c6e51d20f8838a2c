/* kind_hazard.c — the hazard (隐患) as a row of the kind table: its own
 * table (hazards), its create hooks, its steps around the loop's actions,
 * its JSON part and who else sees it (its grid and its place).
 *
 * The hazard's work is done in hazard_*.c (one file per concern: photos,
 * the report, categories, routing, JSON, the steps, what `verify` replays);
 * this file binds them to
 * the generic paths, and attaches a hazard to the month's campaign when it is
 * reported or triaged (campaign.c sits above the hazard files). */
#include <string.h>

#include "core/campaign.h"
#include "core/hazard_act.h"
#include "core/hazard_input.h"
#include "core/hazard_json.h"
#include "core/hazard_replay.h"
#include "core/inbox.h"
#include "core/item.h"
#include "core/lifecycle.h"
#include "util/time.h"

/* A hazard is made by a report, which checks its category, description,
 * place and attributes; POST /items, which carries none of them, may not
 * make one (issue 17, defect 11: it made hazards without a category, a
 * description or a place). */
static int hazard_create_check(struct db *db, const struct actor *a, struct item_input *in,
                               struct err *e)
{
    struct hazard_input *h = in->kind_input;
    if (!h)
        return err_set(e, 422, "invalid_field",
                       "a hazard is reported through POST /api/v1/hazards, which checks its"
                       " category, description and location"),
               err_detail(e, "hazard_report");
    return hazard_report_check(db, a, h, &in->title, e);
}

/* The hazard row (and a report's fields and photos), and what the create
 * event vouches for of them (hazard_replay.h). */
static int hazard_after_create(struct db *db, const struct actor *a, int64_t id,
                               const struct item_input *in, json_t *data, struct err *e)
{
    int rc = hazard_row_init(db, id, a);
    if (rc != DB_OK) return err_db(e, rc, "creating an item");
    const struct hazard_input *h = in->kind_input;
    if (h &&
        (hazard_report_store(db, a, id, h, e) || campaign_attach_hazard(db, id, h->campaign_id, e)))
        return -1;
    return hazard_create_record(db, id, data, e);
}

/* Triage, then the campaign of the month its category may now put it in. */
static int hazard_triage_step(struct kind_act *x, struct err *e)
{
    if (hazard_triage(x, e)) return -1;
    return campaign_attach_hazard(x->db, x->id, 0, e);
}

static int hazard_visible(struct db *db, const struct actor *a, int64_t id, int *sees,
                          unsigned *caps)
{
    int64_t grid = 0, place = 0;
    int rc = hazard_units(db, id, &grid, &place);
    int is_grid = grid && grid == a->unit_id, is_place = place && place == a->unit_id;
    *sees = is_grid || is_place;
    *caps = lifecycle_grid_cap(a, is_grid);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- the 待办 and whom events concern ---- */

/* A grid's on-site checks (待核查): submitted rectifications of the hazards
 * of the grid ?3, which its reporters verify or send back. */
#define HAZARD_TO_CHECK                                                                            \
    " WHERE i.status = 'submitted' AND i.kind = 'hazard' AND EXISTS (SELECT 1 FROM hazards h"      \
    " WHERE h.item_id = i.id AND h.grid_unit_id = ?3)"

static struct db_stmt *hazard_to_check(struct db *db)
{
    return db_prepare(db, INBOX_SELECT_WHY("'submit'") HAZARD_TO_CHECK " ORDER BY i.id");
}

/* Read from the submitted items (the tally's size), not the grid's every
 * hazard ever reported. */
static int hazard_to_check_count(struct db *db, int64_t unit, int64_t *n)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM items i WHERE i.status = 'submitted'"
                                        " AND i.kind = 'hazard' AND EXISTS (SELECT 1 FROM hazards h"
                                        " WHERE h.item_id = i.id AND h.grid_unit_id = ?1)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, unit);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The office's: major hazards whose rectification waits for its check and
 * acceptance (复查验收, defect 13) on or past hazards.acceptance_due (?1:
 * today), the oldest due first. */
#define HAZARD_ACCEPTANCE_DUE                                                                      \
    " WHERE i.status = 'submitted' AND i.kind = 'hazard' AND ?3 = ?3 AND EXISTS (SELECT 1 FROM"    \
    " hazards h WHERE h.item_id = i.id AND h.level = 'major' AND h.acceptance_due <= ?1)"

/* The entry's light is the acceptance's (hazard_json's acceptance_light):
 * red once the day has passed, yellow on the day. */
#define HAZARD_ACCEPTANCE_LIGHT                                                                    \
    "(SELECT CASE WHEN ha.acceptance_due < ?1 THEN 'red' ELSE 'yellow' END FROM hazards ha"        \
    " WHERE ha.item_id = i.id)"

static struct db_stmt *hazard_acceptance_due(struct db *db)
{
    return db_prepare(db, INBOX_COLS_HEAD HAZARD_ACCEPTANCE_LIGHT INBOX_COLS_TAIL INBOX_WHY_FROM(
                              "'submit'") HAZARD_ACCEPTANCE_DUE " ORDER BY i.id");
}

static int hazard_acceptance_due_count(struct db *db, int64_t unit, int64_t *n)
{
    char today[11];
    date_format(time_today(), today);
    (void)unit;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM items i WHERE i.status = 'submitted'"
                                        " AND i.kind = 'hazard' AND EXISTS (SELECT 1 FROM hazards h"
                                        " WHERE h.item_id = i.id AND h.level = 'major'"
                                        " AND h.acceptance_due <= ?1)");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, today, strlen(today));
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

static const struct kind_inbox hazard_inbox[] = {
    {"to_check", ROLE_REPORTER, hazard_to_check, hazard_to_check_count, 0},
    {"acceptance_due", ROLE_ADMIN | ROLE_SUPERVISOR, hazard_acceptance_due,
     hazard_acceptance_due_count, 0},
    {NULL, 0, NULL, NULL, 0},
};

/* The scheduler urges a major hazard once when its acceptance (复查验收)
 * passes acceptance_due without it (hazard_urge_may allows exactly that). */
static struct db_stmt *hazard_acceptance_late(struct db *db)
{
    return db_prepare(db, "SELECT h.item_id, h.acceptance_due FROM hazards h"
                          " JOIN items i ON i.id = h.item_id WHERE i.status = 'submitted'"
                          " AND h.level = 'major' AND h.acceptance_due < ?1 ORDER BY h.item_id");
}

static const struct kind_urge hazard_urges[] = {
    {"urge_acceptance", hazard_acceptance_late,
     "重大隐患复查验收逾期：应于 %s 前完成复查验收，请尽快组织验收销号。"},
    {NULL, NULL, NULL},
};

/* A submitted rectification concerns the grid's reporters, who check it on
 * site (核查). */
static int hazard_notify(struct db *db, int64_t id, const char *action, struct kind_notify *to,
                         size_t *n)
{
    *n = 0;
    if (strcmp(action, "submit")) return DB_OK;
    int64_t grid = 0, place = 0;
    int rc = hazard_units(db, id, &grid, &place);
    if (rc != DB_OK && rc != DB_DONE) return rc;
    if (grid) to[(*n)++] = (struct kind_notify){grid, ROLE_REPORTER};
    return DB_OK;
}

/* Sorted by action. */
static const struct kind_step hazard_steps[] = {
    {"assign", hazard_assign_check, hazard_assign_list, NULL},
    {"cancel", hazard_cancel_check, hazard_cancel_close, NULL},
    {"submit", hazard_submit_check, hazard_submit_record, NULL},
    {"triage", hazard_triage_step, NULL, NULL},
    {"urge", NULL, NULL, hazard_urge_may},
    {"verify", NULL, hazard_verify_close, hazard_verify_may},
    {NULL, NULL, NULL, NULL},
};

const struct kind kind_hazard = {
    .name = "hazard",
    .label_zh = "隐患",
    .label_en = "Hazard",
    .table = "hazards",
    .creatable = 1,
    .published = 1,
    .create = hazard_create_check,
    .after_create = hazard_after_create,
    .steps = hazard_steps,
    .json = hazard_json,
    .visible = hazard_visible,
    .replay = hazard_replay,
    .replay_check = hazard_replay_check,
    .upgrade = hazard_replay_upgrade,
    .draft_list = "to_triage",
    .inbox = hazard_inbox,
    .notify = hazard_notify,
    .urges = hazard_urges,
};
