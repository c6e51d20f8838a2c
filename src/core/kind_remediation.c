/* kind_remediation.c — the remediation (低效用地整治, DESIGN.md "Land
 * efficiency", docs/remediation.md) as a row of the kind table: its own
 * table (remediations), its create fields (enterprise_unit_id, year, class,
 * mode, plan), its JSON part, who else sees it (the enterprise whose land it
 * is, read only) and its one action of its own, plan (the lead unit or the
 * office writes the one-enterprise-one-plan text and the way chosen).
 *
 * The land is the item's metric: a remediation is created with a target in
 * 亩 (the unit may be left out), and its lead unit — the enterprise's town
 * unless the office names another — reports the 亩 done in its feedback. */
#include <string.h>

#include "core/item.h"
#include "core/remediation.h"
#include "core/text.h"
#include "core/unit.h"

static const char *const remediation_fields[] = {
    "enterprise_unit_id", "year", "class", "mode", "plan", NULL};

static int mode_check(const char *mode, struct err *e)
{
    if (mode && strcmp(mode, "upgrade") && strcmp(mode, "merge") && strcmp(mode, "reclaim"))
        return err_set(e, 422, "invalid_field", "'mode' must be upgrade, merge or reclaim");
    return 0;
}

/* The body's remediation fields into r. */
static int remediation_read(json_t *body, struct remediation_input *r, struct err *e)
{
    if (text_int_field(body, "enterprise_unit_id", 1, INT64_MAX, &r->enterprise_unit_id, e) ||
        text_int_field(body, "year", 2000, 2100, &r->year, e) ||
        text_field(body, "class", 1, 0, &r->klass, e) ||
        text_field(body, "mode", 10, 0, &r->mode, e) ||
        text_field(body, "plan", REMEDIATION_PLAN_MAX, 0, &r->plan, e))
        return -1;
    if (r->klass && strcmp(r->klass, "C") && strcmp(r->klass, "D"))
        return err_set(e, 422, "invalid_field", "'class' must be C or D");
    return mode_check(r->mode, e);
}

/* The enterprise: a unit of kind enterprise; its parent (its town) into
 * *town (0: none). */
static int enterprise_check(struct db *db, int64_t unit, int64_t *town, struct err *e)
{
    char kind[16];
    if (!unit)
        return err_set(e, 422, "missing_field",
                       "field 'enterprise_unit_id' is required: the enterprise whose land it is");
    int rc = unit_kind_parent(db, unit, kind, town);
    if (rc < 0) return err_db(e, rc, "checking units");
    if (!rc)
        return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)unit),
               err_detail(e, "unit");
    if (strcmp(kind, "enterprise"))
        return err_set(e, 422, "invalid_field",
                       "unit %lld is not an enterprise: a remediation is of an enterprise's land",
                       (long long)unit);
    return 0;
}

/* Parse and check the fields of in (the same answer each time it is asked:
 * create checks, after_create stores). */
static int remediation_fields_of(struct db *db, const struct item_input *in,
                                 struct remediation_input *r, int64_t *town, struct err *e)
{
    memset(r, 0, sizeof *r);
    if (in->kind_input)
        *r = *(const struct remediation_input *)in->kind_input;
    else if (remediation_read(in->body, r, e))
        return -1;
    if (!r->mode) r->mode = "upgrade";
    return enterprise_check(db, r->enterprise_unit_id, town, e);
}

/* The land in 亩 is required; the lead defaults to the enterprise's town. */
static int remediation_create(struct db *db, const struct actor *a, struct item_input *in,
                              struct err *e)
{
    struct remediation_input r;
    int64_t town = 0;
    (void)a;
    if (remediation_fields_of(db, in, &r, &town, e)) return -1;
    if (!in->has_metric)
        return err_set(
            e, 422, "missing_field",
            "field 'metric' is required: {\"target\": the land in 亩, \"unit\": \"亩\"}");
    if (!in->metric_unit) in->metric_unit = "亩";
    if (strcmp(in->metric_unit, "亩"))
        return err_set(e, 422, "invalid_field", "a remediation's metric is counted in 亩");
    if (!in->lead_unit_id) in->lead_unit_id = town;
    return 0;
}

static void bind_text_or_null(struct db_stmt *st, int i, const char *s)
{
    if (s)
        db_bind_text(st, i, s, (size_t)-1);
    else
        db_bind_null(st, i);
}

static int remediation_after_create(struct db *db, const struct actor *a, int64_t id,
                                    const struct item_input *in, json_t *data, struct err *e)
{
    struct remediation_input r;
    int64_t town;
    (void)a;
    if (remediation_fields_of(db, in, &r, &town, e)) return -1;
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO remediations (item_id, enterprise_unit_id,"
                       " year, class, mode, plan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return err_db(e, DB_ERR, "creating a remediation");
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, r.enterprise_unit_id);
    if (r.year)
        db_bind_int64(st, 3, r.year);
    else
        db_bind_null(st, 3);
    bind_text_or_null(st, 4, r.klass);
    db_bind_text(st, 5, r.mode, (size_t)-1);
    db_bind_text(st, 6, r.plan ? r.plan : "", (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_UNIQUE)
        return err_set(e, 409, "remediation_exists",
                       "the year's evaluation already opened a remediation for this enterprise");
    if (rc != DB_DONE) return err_db(e, rc, "creating a remediation");
    json_t *v = json_pack("{s:I, s:s, s:s}", "enterprise_unit_id", (json_int_t)r.enterprise_unit_id,
                          "mode", r.mode, "plan", r.plan ? r.plan : "");
    json_object_set_new(v, "year", r.year ? json_integer(r.year) : json_null());
    json_object_set_new(v, "class", r.klass ? json_string(r.klass) : json_null());
    json_object_set_new(data, "remediation", v);
    return 0;
}

/* The remediation's part of the item's JSON: its row and the enterprise. */
static json_t *remediation_json(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db,
        "SELECT r.enterprise_unit_id, u.code, u.name, r.year, r.class, r.mode, r.plan"
        " FROM remediations r JOIN units u ON u.id = r.enterprise_unit_id WHERE r.item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the remediation"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    json_t *v = NULL;
    if (rc == DB_ROW) {
        v = json_pack("{s:I, s:s, s:s, s:s, s:s}", "enterprise_unit_id",
                      (json_int_t)db_column_int64(st, 0), "enterprise_code", db_column_text(st, 1),
                      "enterprise", db_column_text(st, 2), "mode", db_column_text(st, 5), "plan",
                      db_column_text(st, 6));
        json_object_set_new(v, "year",
                            db_column_is_null(st, 3) ? json_null()
                                                     : json_integer(db_column_int64(st, 3)));
        json_object_set_new(v, "class",
                            db_column_is_null(st, 4) ? json_null()
                                                     : json_string(db_column_text(st, 4)));
    }
    db_finalize(st);
    if (rc == DB_DONE) err_set(e, 500, "internal", "remediation %lld has no row", (long long)id);
    if (rc != DB_ROW && rc != DB_DONE) err_db(e, rc, "reading the remediation");
    return v;
}

/* The enterprise sees the remediation of its land; it acts on none of it. */
static int remediation_visible(struct db *db, const struct actor *a, int64_t id, int *sees,
                               unsigned *caps)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT enterprise_unit_id FROM remediations WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    *sees = rc == DB_ROW && a->unit_id && db_column_int64(st, 0) == a->unit_id;
    *caps = 0;
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- plan: the way chosen and the one-enterprise-one-plan text ---- */

static int remediation_plan(struct kind_act *x, struct err *e)
{
    const char *plan = NULL, *mode = NULL;
    if (text_field(x->body, "plan", REMEDIATION_PLAN_MAX, 0, &plan, e) ||
        text_field(x->body, "mode", 10, 0, &mode, e) || mode_check(mode, e))
        return -1;
    if (!plan && !mode)
        return err_set(e, 422, "missing_field", "give 'plan' (the text), 'mode', or both");
    struct db_stmt *st = db_prepare(x->db, "UPDATE remediations SET plan = coalesce(?2, plan),"
                                           " mode = coalesce(?3, mode) WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "recording the plan");
    db_bind_int64(st, 1, x->id);
    bind_text_or_null(st, 2, plan);
    bind_text_or_null(st, 3, mode);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "recording the plan");
    if (plan) json_object_set_new(x->data, "plan", json_string(plan));
    if (mode) json_object_set_new(x->data, "mode", json_string(mode));
    return 0;
}

const struct kind_step remediation_steps[] = {
    {"plan", remediation_plan, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct kind kind_remediation = {
    .name = "remediation",
    .label_zh = "整治",
    .label_en = "Remediation",
    .table = "remediations",
    .creatable = 1,
    .create_fields = remediation_fields,
    .create = remediation_create,
    .after_create = remediation_after_create,
    .steps = remediation_steps,
    .json = remediation_json,
    .visible = remediation_visible,
    .replay = remediation_replay,
    .replay_check = remediation_replay_check,
};
