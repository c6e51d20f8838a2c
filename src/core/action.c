/* action.c — running one action of the supervision loop.  See action.h.
 *
 * item_act is load → check (visibility, the lifecycle table, the fields the
 * action list allows) → the kind's before step → the action's own step
 * (fields, its record) → the kind's after step → derived dates → one
 * versioned UPDATE of the item → the event → the parents' roll-up.  An
 * action's fields are its row of the action list (action_spec.c); its step
 * is a row of `steps` below; what a kind adds is its row's (kind.h), and no
 * kind is named here.  Whether an action may happen at all is never decided
 * here but by lifecycle_find. */
#include "core/action.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/action_spec.h"
#include "core/attachment.h"
#include "core/calendar.h"
#include "core/delegate.h"
#include "core/document.h"
#include "core/event.h"
#include "core/item_edit.h"
#include "core/kind.h"
#include "core/lifecycle.h"
#include "core/light.h"
#include "core/notify.h"
#include "core/perm.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/mem.h"
#include "util/time.h"
#include "util/utf8.h"

#define ACTION_TEXT_MAX     5000 /* characters of a text */
#define ACTION_REASON_MAX   2000 /* characters of a reason */
#define ACTION_PUBLIC_MAX   1000 /* characters of a public note */
#define ACTION_ROLLUP_DEPTH 16   /* plan → goal → task → milestone, with room */

/* The loop's columns of an item; "" stands for NULL in the text ones. */
struct item_state {
    char kind[16], status[16], deadline[11], cycle[16], title[KIND_TITLE_BYTES];
    char assigned_on[11], suspended_from[16], feedback_due[11], yellow_on[11], red_on[11];
    int64_t lead_unit_id, parent_id, version;
    int progress, escalation, has_target, has_value;
    int reports; /* progress was ever reported (or rolls up from sub-items) */
    double target, value;
};

/* One action in progress. */
struct act {
    struct db *db;
    const struct actor *a;
    int64_t id;
    json_t *body, *data; /* data: the event's fields besides before/after */
    const struct lifecycle_row *row;
    const struct action_spec *spec; /* its fields (for the item's kind) */
    const struct kind *kind;
    const struct kind_step *kstep; /* the kind's before/after, or NULL */
    struct item_state old, cur;
    int32_t today;
    struct calendar cal;
    struct light_rules rules;
};

static const char *const levels[] = {NULL, "general", "key", "listed"};

const char *action_escalation_name(int level)
{
    return level >= 1 && level <= 3 ? levels[level] : NULL;
}

/* ---- reading fields ---- */

/* 1 when the action's row in the action list (action_spec.h) requires name:
 * the list says what is required, the readers below enforce it. */
static int field_required(const struct act *x, const char *name)
{
    const struct action_field *f = action_spec_field(x->spec, name);
    return f && f->required;
}

static int field_text(struct act *x, const char *name, size_t max, const char **out, struct err *e)
{
    *out = NULL;
    if (text_field(x->body, name, max, field_required(x, name), out, e)) return -1;
    if (*out) json_object_set(x->data, name, json_object_get(x->body, name));
    return 0;
}

/* A date field as a day number; *has 0 when absent. */
static int field_date(struct act *x, const char *name, int32_t *day, int *has, struct err *e)
{
    int required = field_required(x, name);
    json_t *v = json_object_get(x->body, name);
    *has = 0;
    if (!v || json_is_null(v)) {
        if (required) return err_set(e, 422, "missing_field", "field '%s' is required", name);
        return 0;
    }
    if (!json_is_string(v) || date_parse(json_string_value(v), json_string_length(v), day))
        return err_set(e, 422, "invalid_field", "'%s' must be a real date as YYYY-MM-DD", name);
    *has = 1;
    return 0;
}

/* An integer field within [min, max]; *has 0 when absent. */
static int field_int(struct act *x, const char *name, int64_t min, int64_t max, int64_t *out,
                     int *has, struct err *e)
{
    json_t *v = json_object_get(x->body, name);
    *has = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return err_set(e, 422, "invalid_field", "'%s' must be an integer from %lld to %lld", name,
                       (long long)min, (long long)max);
    *out = json_integer_value(v);
    *has = 1;
    return 0;
}

/* ---- storage helpers ---- */

static void bind_text_or_null(struct db_stmt *st, int idx, const char *s)
{
    if (s && *s)
        db_bind_text(st, idx, s, (size_t)-1);
    else
        db_bind_null(st, idx);
}

static void bind_user(struct db_stmt *st, int idx, const struct actor *a)
{
    if (a->user_id)
        db_bind_int64(st, idx, a->user_id);
    else
        db_bind_null(st, idx);
}

static void copy_col(struct db_stmt *st, int col, char *out, size_t outlen)
{
    const char *s = db_column_is_null(st, col) ? "" : db_column_text(st, col);
    snprintf(out, outlen, "%s", s ? s : "");
}

/* Load the item's loop columns.  DB_OK, DB_DONE when it does not exist, or an error. */
static int state_load(struct db *db, int64_t id, struct item_state *s)
{
    struct db_stmt *st = db_prepare(
        db,
        "SELECT kind, status, deadline, feedback_cycle, assigned_on, suspended_from,"
        " feedback_due, behind_yellow_on, behind_red_on, lead_unit_id, parent_id, version,"
        " progress, escalation, metric_target, metric_value,"
        " EXISTS (SELECT 1 FROM feedback f WHERE f.item_id = items.id AND f.progress IS NOT NULL)"
        " OR EXISTS (SELECT 1 FROM items c WHERE c.parent_id = items.id), title"
        " FROM items WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(s, 0, sizeof *s);
        copy_col(st, 0, s->kind, sizeof s->kind);
        copy_col(st, 1, s->status, sizeof s->status);
        copy_col(st, 2, s->deadline, sizeof s->deadline);
        copy_col(st, 3, s->cycle, sizeof s->cycle);
        copy_col(st, 4, s->assigned_on, sizeof s->assigned_on);
        copy_col(st, 5, s->suspended_from, sizeof s->suspended_from);
        copy_col(st, 6, s->feedback_due, sizeof s->feedback_due);
        copy_col(st, 7, s->yellow_on, sizeof s->yellow_on);
        copy_col(st, 8, s->red_on, sizeof s->red_on);
        s->lead_unit_id = db_column_int64(st, 9);
        s->parent_id = db_column_int64(st, 10);
        s->version = db_column_int64(st, 11);
        s->progress = (int)db_column_int64(st, 12);
        s->escalation = (int)db_column_int64(st, 13);
        s->has_target = !db_column_is_null(st, 14);
        s->target = db_column_double(st, 14);
        s->has_value = !db_column_is_null(st, 15);
        s->value = db_column_double(st, 15);
        s->reports = db_column_int64(st, 16) != 0;
        copy_col(st, 17, s->title, sizeof s->title);
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

/* Write s over the item if its version is still old_version: DB_OK, DB_RETRY
 * when it changed meanwhile, or an error. */
static int state_store(struct db *db, int64_t id, const struct item_state *s, int64_t old_version)
{
    struct db_stmt *st = db_prepare(
        db, "UPDATE items SET status = ?3, lead_unit_id = ?4, deadline = ?5, progress = ?6,"
            " metric_value = ?7, escalation = ?8, assigned_on = ?9, suspended_from = ?10,"
            " feedback_due = ?11, behind_yellow_on = ?12, behind_red_on = ?13, updated_at = ?14,"
            " version = version + 1 WHERE id = ?1 AND version = ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, old_version);
    db_bind_text(st, 3, s->status, (size_t)-1);
    if (s->lead_unit_id)
        db_bind_int64(st, 4, s->lead_unit_id);
    else
        db_bind_null(st, 4);
    bind_text_or_null(st, 5, s->deadline);
    db_bind_int64(st, 6, s->progress);
    if (s->has_value)
        db_bind_double(st, 7, s->value);
    else
        db_bind_null(st, 7);
    db_bind_int64(st, 8, s->escalation);
    bind_text_or_null(st, 9, s->assigned_on);
    bind_text_or_null(st, 10, s->suspended_from);
    bind_text_or_null(st, 11, s->feedback_due);
    bind_text_or_null(st, 12, s->yellow_on);
    bind_text_or_null(st, 13, s->red_on);
    db_bind_int64(st, 14, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return db_changes(db) == 1 ? DB_OK : DB_RETRY;
}

/* Run a statement that writes one row with the bindings already made. */
static int step_done(struct db_stmt *st)
{
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The count st (prepared by the caller, NULL when that failed) answers
 * for two int64 parameters; st is finalized.  Negative db code on error. */
static int64_t count2(struct db_stmt *st, int64_t p1, int64_t p2)
{
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, p1);
    db_bind_int64(st, 2, p2);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : (rc == DB_DONE ? 0 : rc);
    db_finalize(st);
    return n;
}

/* As count2 with one parameter. */
static int64_t count1(struct db_stmt *st, int64_t p1)
{
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, p1);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : (rc == DB_DONE ? 0 : rc);
    db_finalize(st);
    return n;
}

/* ---- derived dates ---- */

static void day_text(int32_t day, char out[11])
{
    if (day < 0)
        out[0] = '\0';
    else
        date_format(day, out);
}

static int32_t text_day(const char *s)
{
    int32_t d;
    return *s && !date_parse(s, strlen(s), &d) ? d : -1;
}

/* The next expected feedback, counted from today. */
static void next_feedback(struct act *x)
{
    day_text(light_feedback_due(&x->cal, x->cur.cycle, x->today), x->cur.feedback_due);
}

/* The behind-schedule dates from the start, deadline and progress.  Only
 * items that report progress are held to the schedule: one that never
 * reported is caught by its feedback dates instead, not painted red for a
 * 0 nobody typed. */
static void derive_schedule(const struct light_rules *r, struct item_state *s)
{
    int32_t start = text_day(s->assigned_on), end = text_day(s->deadline), y = -1, red = -1;
    if (start >= 0 && end >= 0 && s->reports)
        light_behind_days(r, start, end, s->progress, &y, &red);
    day_text(y, s->yellow_on);
    day_text(red, s->red_on);
}

/* ---- the actions ---- */

/* Replace the cooperating units with the body's co_unit_ids (when given). */
static int assign_co_units(struct act *x, int64_t lead, struct err *e)
{
    json_t *v = json_object_get(x->body, "co_unit_ids");
    if (!v || json_is_null(v)) {
        int64_t n = count2(db_prepare(x->db, "SELECT count(*) FROM item_units WHERE item_id = ?1"
                                             " AND unit_id = ?2"),
                           x->id, lead);
        if (n < 0) return err_db(e, (int)n, "checking units");
        if (n) return err_set(e, 422, "invalid_field", "the lead unit cannot also cooperate");
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) > 32)
        return err_set(e, 422, "invalid_field", "'co_unit_ids' must be an array of at most 32 ids");
    size_t i, j;
    json_t *u;
    json_array_foreach(v, i, u)
    {
        if (!json_is_integer(u) || json_integer_value(u) <= 0)
            return err_set(e, 422, "invalid_field", "'co_unit_ids' must hold positive unit ids");
        int64_t id = json_integer_value(u);
        if (id == lead)
            return err_set(e, 422, "invalid_field", "the lead unit cannot also cooperate");
        for (j = 0; j < i; j++)
            if (json_integer_value(json_array_get(v, j)) == id)
                return err_set(e, 422, "invalid_field", "unit %lld is listed twice", (long long)id);
        int rc = unit_exists(x->db, id);
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)id),
                   err_detail(e, "unit");
    }
    struct db_stmt *st = db_prepare(x->db, "DELETE FROM item_units WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "assigning");
    db_bind_int64(st, 1, x->id);
    int rc = step_done(st);
    json_array_foreach(v, i, u)
    {
        if (rc != DB_OK) break;
        st = db_prepare(x->db, "INSERT INTO item_units (item_id, unit_id) VALUES (?1, ?2)");
        if (!st) return err_db(e, DB_ERR, "assigning");
        db_bind_int64(st, 1, x->id);
        db_bind_int64(st, 2, json_integer_value(u));
        rc = step_done(st);
    }
    if (rc != DB_OK) return err_db(e, rc, "assigning");
    json_object_set(x->data, "co_unit_ids", v);
    return 0;
}

/* A delegator assigns only to a unit below its own or cooperating on the
 * parent, due no later than the parent (core/delegate.h). */
static int assign_delegated(struct act *x, int64_t lead, struct err *e)
{
    int64_t co[32];
    int n_co = 0;
    size_t i;
    json_t *u, *v = json_object_get(x->body, "co_unit_ids");
    json_array_foreach(v, i, u)
    {
        if (n_co < 32 && json_is_integer(u)) co[n_co++] = json_integer_value(u);
    }
    return delegate_check_assign(x->db, x->a, x->id, lead, co, n_co, x->cur.deadline, e);
}

static int act_assign(struct act *x, struct err *e)
{
    int64_t lead = x->cur.lead_unit_id, wd = 0;
    int has_lead, has_deadline, has_wd;
    int32_t deadline;
    if (field_int(x, "lead_unit_id", 1, INT64_MAX, &lead, &has_lead, e) ||
        field_date(x, "deadline", &deadline, &has_deadline, e) ||
        field_int(x, "working_days", 1, 366, &wd, &has_wd, e))
        return -1;
    if (!lead)
        return err_set(e, 422, "missing_field",
                       "field 'lead_unit_id' is required: the item has no lead unit yet");
    if (has_lead) {
        int rc = unit_exists(x->db, lead);
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)lead),
                   err_detail(e, "unit");
    }
    if (has_deadline && has_wd)
        return err_set(e, 422, "invalid_field",
                       "give either 'deadline' or 'working_days', not both"),
               err_detail(e, "both_deadlines");
    if (has_wd) {
        deadline = calendar_add_working_days(&x->cal, x->today, (int)wd);
        json_object_set_new(x->data, "working_days", json_integer(wd));
    }
    if (has_deadline || has_wd)
        date_format(deadline, x->cur.deadline);
    else if (!x->cur.deadline[0])
        return err_set(
            e, 422, "missing_field",
            "field 'deadline' (or 'working_days') is required: the item has no deadline");
    if (x->row->role == LC_DELEGATOR && assign_delegated(x, lead, e)) return -1;
    if (assign_co_units(x, lead, e)) return -1;
    x->cur.lead_unit_id = lead;
    date_format(x->today, x->cur.assigned_on);
    next_feedback(x);
    return 0;
}

static int act_accept(struct act *x, struct err *e)
{
    (void)x, (void)e;
    return 0;
}

/* Actions whose only field is a required reason or text (recorded in the event). */
static int act_reason(struct act *x, struct err *e)
{
    const char *s;
    return field_text(x, "reason", ACTION_REASON_MAX, &s, e);
}

/* Store one feedback row; progress and value may be NULL (not reported).
 * The event names the row it made ("feedback_id"), so verify finds it. */
static int feedback_insert(struct act *x, int lead, const char *text, const int64_t *progress,
                           const double *value, int late, struct err *e)
{
    struct db_stmt *st = db_prepare(
        x->db, "INSERT INTO feedback (item_id, unit_id, user_id, at, is_lead, text, progress,"
               " metric_value, due, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
               " RETURNING id");
    if (!st) return err_db(e, DB_ERR, "recording feedback");
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, x->a->unit_id);
    bind_user(st, 3, x->a);
    db_bind_int64(st, 4, time_now_ms());
    db_bind_int64(st, 5, lead);
    db_bind_text(st, 6, text, (size_t)-1);
    if (progress)
        db_bind_int64(st, 7, *progress);
    else
        db_bind_null(st, 7);
    if (value)
        db_bind_double(st, 8, *value);
    else
        db_bind_null(st, 8);
    bind_text_or_null(st, 9, lead ? x->cur.feedback_due : NULL);
    db_bind_int64(st, 10, late);
    int rc = db_step(st);
    if (rc == DB_ROW)
        json_object_set_new(x->data, "feedback_id", json_integer(db_column_int64(st, 0)));
    db_finalize(st);
    return rc == DB_ROW ? 0 : err_db(e, rc, "recording feedback");
}

static int act_feedback(struct act *x, struct err *e)
{
    const char *text;
    int64_t progress = 0;
    int has_progress, has_value = 0;
    if (field_text(x, "text", ACTION_TEXT_MAX, &text, e) ||
        field_int(x, "progress", 0, 100, &progress, &has_progress, e))
        return -1;
    json_t *v = json_object_get(x->body, "value");
    double value = 0;
    if (v && !json_is_null(v)) {
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return err_set(e, 422, "invalid_field", "'value' must be a number");
        value = json_number_value(v), has_value = 1;
    }
    int lead = x->row->role == LC_LEAD;
    if (!lead && (has_progress || has_value))
        return err_set(e, 422, "invalid_field",
                       "only the lead unit reports 'progress' and 'value'; send 'text' alone");
    if (has_value) {
        if (!x->cur.has_target)
            return err_set(e, 422, "invalid_field", "'value' needs an item with a metric");
        x->cur.has_value = 1, x->cur.value = value;
        json_object_set_new(x->data, "value", json_real(value));
        if (!has_progress && x->cur.target > 0) {
            double p = floor(value * 100.0 / x->cur.target);
            progress = p < 0 ? 0 : p > 100 ? 100 : (int64_t)p;
            has_progress = 1;
        }
    }
    if (has_progress) {
        int64_t kids = count1(db_prepare(x->db, "SELECT count(*) FROM items WHERE parent_id = ?1"
                                                " AND status <> 'cancelled'"),
                              x->id);
        if (kids < 0) return err_db(e, (int)kids, "checking sub-items");
        if (kids)
            return err_set(e, 422, "invalid_field",
                           "the progress of an item with sub-items is rolled up from them");
        x->cur.progress = (int)progress;
        x->cur.reports = 1;
        json_object_set_new(x->data, "progress", json_integer(progress));
    }
    int late = lead && x->cur.feedback_due[0] && text_day(x->cur.feedback_due) < x->today;
    if (feedback_insert(x, lead, text, has_progress ? &progress : NULL, has_value ? &value : NULL,
                        late, e))
        return -1;
    if (lead) {
        json_object_set_new(x->data, "late", json_boolean(late));
        next_feedback(x);
    }
    return 0;
}

/* The pending extension request of item id: 1 found (id and new deadline
 * set), 0 none, -1 with e. */
static int pending_in(struct db *db, int64_t id, int64_t *ext, char deadline[11], struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, new_deadline FROM extensions"
                                        " WHERE item_id = ?1 AND status = 'pending'");
    if (!st) return err_db(e, DB_ERR, "reading extensions");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *ext = db_column_int64(st, 0);
        copy_col(st, 1, deadline, 11);
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading extensions");
    return rc == DB_ROW;
}

static int pending_extension(struct act *x, int64_t *ext, char deadline[11], struct err *e)
{
    return pending_in(x->db, x->id, ext, deadline, e);
}

/* ---- what an action needs of the item whatever its fields: checked by
 * the action (act_run) and by allowed_actions (action_allowed_now), so the
 * list never offers what would be refused ---- */

/* request_extension: a deadline, not passed, and no request waiting. */
static int guard_extend(struct db *db, int64_t id, const struct item_state *s, int32_t today,
                        struct err *e)
{
    int32_t now = text_day(s->deadline);
    if (now < 0) return err_set(e, 422, "no_deadline", "the item has no deadline to extend");
    if (today > now)
        return err_set(e, 422, "deadline_passed",
                       "the deadline %s has passed: an extension must be requested before it",
                       s->deadline);
    int64_t ext;
    char pending[11];
    int p = pending_in(db, id, &ext, pending, e);
    if (p < 0) return -1;
    if (p)
        return err_set(e, 409, "extension_pending",
                       "an extension to %s is already waiting for a decision", pending);
    return 0;
}

/* approve_extension, deny_extension: a request waiting. */
static int guard_decide(struct db *db, int64_t id, const struct item_state *s, int32_t today,
                        struct err *e)
{
    (void)s, (void)today;
    int64_t ext;
    char newd[11];
    int p = pending_in(db, id, &ext, newd, e);
    if (p < 0) return -1;
    return p ? 0 : err_set(e, 409, "no_pending_extension", "no extension request is waiting");
}

static const struct {
    const char *action;
    int (*ok)(struct db *db, int64_t id, const struct item_state *s, int32_t today, struct err *e);
} guards[] = {
    {"approve_extension", guard_decide},
    {"deny_extension", guard_decide},
    {"request_extension", guard_extend},
};

/* The generic guard of action on item id in state s: 0, or -1 with e. */
static int guard_run(struct db *db, int64_t id, const char *action, const struct item_state *s,
                     int32_t today, struct err *e)
{
    for (size_t k = 0; k < sizeof guards / sizeof *guards; k++)
        if (!strcmp(guards[k].action, action)) return guards[k].ok(db, id, s, today, e);
    return 0;
}

static int act_request_extension(struct act *x, struct err *e)
{
    int32_t day;
    int has;
    const char *reason;
    if (field_date(x, "deadline", &day, &has, e) ||
        field_text(x, "reason", ACTION_REASON_MAX, &reason, e))
        return -1;
    if (guard_extend(x->db, x->id, &x->cur, x->today, e)) return -1;
    if (day <= text_day(x->cur.deadline))
        return err_set(e, 422, "invalid_field", "'deadline' must be after the current deadline %s",
                       x->cur.deadline),
               err_detail(e, "extension_deadline"), err_subject(e, x->cur.deadline);
    char newd[11];
    date_format(day, newd);
    json_object_set_new(x->data, "deadline", json_string(newd));
    struct db_stmt *st = db_prepare(
        x->db, "INSERT INTO extensions (item_id, requested_by, requested_at, old_deadline,"
               " new_deadline, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return err_db(e, DB_ERR, "recording the request");
    db_bind_int64(st, 1, x->id);
    bind_user(st, 2, x->a);
    db_bind_int64(st, 3, time_now_ms());
    db_bind_text(st, 4, x->cur.deadline, (size_t)-1);
    db_bind_text(st, 5, newd, (size_t)-1);
    db_bind_text(st, 6, reason, (size_t)-1);
    int rc = step_done(st);
    return rc == DB_OK ? 0 : err_db(e, rc, "recording the request");
}

/* approve_extension and deny_extension. */
static int decide_extension(struct act *x, int approve, struct err *e)
{
    const char *text;
    int64_t ext = 0;
    char newd[11] = "";
    if (field_text(x, "text", ACTION_TEXT_MAX, &text, e)) return -1;
    int p = pending_extension(x, &ext, newd, e);
    if (p < 0) return -1;
    if (!p) return guard_decide(x->db, x->id, &x->cur, x->today, e);
    struct db_stmt *st =
        db_prepare(x->db, "UPDATE extensions SET status = ?2, decided_by = ?3, decided_at = ?4,"
                          " decision_text = ?5 WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "deciding the request");
    db_bind_int64(st, 1, ext);
    db_bind_text(st, 2, approve ? "approved" : "denied", (size_t)-1);
    bind_user(st, 3, x->a);
    db_bind_int64(st, 4, time_now_ms());
    db_bind_text(st, 5, text ? text : "", (size_t)-1);
    int rc = step_done(st);
    if (rc != DB_OK) return err_db(e, rc, "deciding the request");
    json_object_set_new(x->data, "extension_id", json_integer(ext));
    json_object_set_new(x->data, "requested_deadline", json_string(newd));
    if (approve) snprintf(x->cur.deadline, sizeof x->cur.deadline, "%s", newd);
    return 0;
}

static int act_approve_extension(struct act *x, struct err *e)
{
    return decide_extension(x, 1, e);
}

static int act_deny_extension(struct act *x, struct err *e)
{
    return decide_extension(x, 0, e);
}

static int act_submit(struct act *x, struct err *e)
{
    const char *text;
    if (field_text(x, "text", ACTION_TEXT_MAX, &text, e)) return -1;
    /* finished work needs no more time: a waiting extension request lapses */
    struct db_stmt *st = db_prepare(x->db, "UPDATE extensions SET status = 'withdrawn'"
                                           " WHERE item_id = ?1 AND status = 'pending'");
    if (!st) return err_db(e, DB_ERR, "submitting");
    db_bind_int64(st, 1, x->id);
    int rc = step_done(st);
    if (rc != DB_OK) return err_db(e, rc, "submitting");
    if (db_changes(x->db)) json_object_set_new(x->data, "extension_withdrawn", json_true());
    return 0;
}

static int act_verify(struct act *x, struct err *e)
{
    const char *reason;
    if (field_text(x, "reason", ACTION_REASON_MAX, &reason, e)) return -1;
    int64_t open = count1(db_prepare(x->db, "SELECT count(*) FROM items WHERE parent_id = ?1"
                                            " AND status NOT IN ('done','archived','cancelled')"),
                          x->id);
    if (open < 0) return err_db(e, (int)open, "checking sub-items");
    if (open && !reason)
        return err_set(e, 409, "children_open",
                       "%lld sub-item%s still open; give a 'reason' to verify anyway",
                       (long long)open, open == 1 ? " is" : "s are");
    if (open) json_object_set_new(x->data, "open_children", json_integer(open));
    x->cur.progress = 100;
    return 0;
}

static int act_reject(struct act *x, struct err *e)
{
    if (act_reason(x, e)) return -1;
    next_feedback(x);
    return 0;
}

/* urge and instruct: a required text in their own table, written by st
 * (prepared by the caller, NULL when that failed; finalized here). */
static int record_text(struct act *x, struct db_stmt *st, struct err *e)
{
    const char *text;
    if (!st) return err_db(e, DB_ERR, "recording the action");
    if (field_text(x, "text", ACTION_TEXT_MAX, &text, e)) {
        db_finalize(st);
        return -1;
    }
    db_bind_int64(st, 1, x->id);
    bind_user(st, 2, x->a);
    db_bind_int64(st, 3, time_now_ms());
    db_bind_text(st, 4, text, (size_t)-1);
    int rc = step_done(st);
    return rc == DB_OK ? 0 : err_db(e, rc, "recording the action");
}

static int act_urge(struct act *x, struct err *e)
{
    /* the system's urges (the scheduler's: no user) are marked auto */
    return record_text(x,
                       db_prepare(x->db, "INSERT INTO urges (item_id, user_id, at, text, auto)"
                                         " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?2 IS NULL THEN 1"
                                         " ELSE 0 END)"),
                       e);
}

static int act_instruct(struct act *x, struct err *e)
{
    return record_text(x,
                       db_prepare(x->db, "INSERT INTO instructions (item_id, user_id, at, text)"
                                         " VALUES (?1, ?2, ?3, ?4)"),
                       e);
}

static int act_escalate(struct act *x, struct err *e)
{
    const char *name, *text;
    if (field_text(x, "level", 20, &name, e) || field_text(x, "text", ACTION_TEXT_MAX, &text, e))
        return -1;
    int level = 0;
    for (int k = 1; k <= 3; k++)
        if (!strcmp(name, levels[k])) level = k;
    if (!level) return err_set(e, 422, "invalid_field", "'level' must be general, key or listed");
    if (level <= x->cur.escalation)
        return err_set(e, 422, "invalid_field", "the item is already at level '%s'",
                       levels[x->cur.escalation]);
    struct db_stmt *st =
        db_prepare(x->db, "INSERT INTO escalations (item_id, user_id, at, level, text)"
                          " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return err_db(e, DB_ERR, "escalating");
    db_bind_int64(st, 1, x->id);
    bind_user(st, 2, x->a);
    db_bind_int64(st, 3, time_now_ms());
    db_bind_int64(st, 4, level);
    db_bind_text(st, 5, text ? text : "", (size_t)-1);
    int rc = step_done(st);
    if (rc != DB_OK) return err_db(e, rc, "escalating");
    x->cur.escalation = level;
    return 0;
}

static int act_suspend(struct act *x, struct err *e)
{
    const char *reason;
    if (field_text(x, "reason", ACTION_REASON_MAX, &reason, e)) return -1;
    snprintf(x->cur.suspended_from, sizeof x->cur.suspended_from, "%s", x->old.status);
    return 0;
}

static int act_resume(struct act *x, struct err *e)
{
    (void)e;
    x->cur.suspended_from[0] = '\0';
    next_feedback(x);
    return 0;
}

/* The office's correction (item_edit.c): what changed goes into the
 * event's before/after beside what state_diff adds; a changed title and
 * cycle go through the state (the title's store, the next feedback date). */
static int act_edit(struct act *x, struct err *e)
{
    json_t *before = json_object(), *after = json_object();
    char title[sizeof x->cur.title] = "", cycle[sizeof x->cur.cycle] = "";
    int changed = 0;
    int rc = item_edit_apply(x->db, x->id, x->cur.lead_unit_id, x->body, before, after, title,
                             sizeof title, cycle, sizeof cycle, &changed, e);
    if (!rc && !changed)
        rc = err_set(e, 422, "nothing_changed", "the edit changes nothing of item %lld",
                     (long long)x->id);
    if (rc) {
        json_decref(before), json_decref(after);
        return -1;
    }
    json_object_set_new(x->data, "before", before);
    json_object_set_new(x->data, "after", after);
    if (title[0]) snprintf(x->cur.title, sizeof x->cur.title, "%s", title);
    if (cycle[0]) {
        snprintf(x->cur.cycle, sizeof x->cur.cycle, "%s", cycle);
        if (x->cur.assigned_on[0]) next_feedback(x);
    }
    return 0;
}

static int act_nothing(struct act *x, struct err *e)
{
    (void)x, (void)e;
    return 0;
}

/* Each action's step for every kind (its fields are action_spec.c's).  A
 * kind's own action (a hazard's triage) has none here: its kind's before
 * step does the work. */
struct action_step {
    const char *name;
    int (*step)(struct act *x, struct err *e);
};

static const struct action_step steps[] = {
    {"assign", act_assign},
    {"accept", act_accept},
    {"return", act_reason},
    {"feedback", act_feedback},
    {"request_extension", act_request_extension},
    {"approve_extension", act_approve_extension},
    {"deny_extension", act_deny_extension},
    {"submit", act_submit},
    {"verify", act_verify},
    {"reject", act_reject},
    {"urge", act_urge},
    {"escalate", act_escalate},
    {"instruct", act_instruct},
    {"cancel", act_reason},
    {"edit", act_edit},
    {"suspend", act_suspend},
    {"resume", act_resume},
    {"archive", act_nothing},
    {"award", act_assign}, /* a challenge's award assigns it to the winner's unit */
};

static const struct action_step *step_find(const char *name)
{
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (!strcmp(steps[i].name, name)) return &steps[i];
    return NULL;
}

/* The ids of the open work (the statuses the schedule lights), in a growing
 * array the caller frees; *n its length.  A db code. */
static int open_work_ids(struct db *db, int64_t **ids, size_t *n)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM items WHERE status IN"
                                        " ('assigned','accepted','in_progress') ORDER BY id");
    *ids = NULL, *n = 0;
    if (!st) return DB_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) *ids = xrealloc(*ids, (cap = cap ? 2 * cap : 64) * sizeof **ids);
        (*ids)[(*n)++] = db_column_int64(st, 0);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int action_reschedule(struct db *db, struct err *e)
{
    struct light_rules rules;
    int64_t *ids;
    size_t n;
    int rc = light_rules_load(db, &rules);
    if (rc == DB_OK) rc = open_work_ids(db, &ids, &n);
    if (rc != DB_OK) return err_db(e, rc, "rescheduling");
    for (size_t k = 0; k < n && rc == DB_OK; k++) {
        struct item_state s;
        rc = state_load(db, ids[k], &s);
        if (rc != DB_OK) break;
        char y[11], r[11];
        memcpy(y, s.yellow_on, sizeof y), memcpy(r, s.red_on, sizeof r);
        derive_schedule(&rules, &s);
        if (!strcmp(y, s.yellow_on) && !strcmp(r, s.red_on)) continue;
        /* derived columns only: no event, and the version stays (the chain
         * vouches for what people did; the lights follow the rules) */
        struct db_stmt *st = db_prepare(db, "UPDATE items SET behind_yellow_on = ?2,"
                                            " behind_red_on = ?3 WHERE id = ?1");
        if (!st) {
            rc = DB_ERR;
            break;
        }
        db_bind_int64(st, 1, ids[k]);
        bind_text_or_null(st, 2, s.yellow_on);
        bind_text_or_null(st, 3, s.red_on);
        rc = step_done(st);
    }
    free(ids);
    return rc == DB_OK ? 0 : err_db(e, rc, "rescheduling");
}

size_t action_allowed_now(struct db *db, const struct actor *a, int64_t id, unsigned caps,
                          const char **names, size_t n)
{
    struct item_state s;
    if (state_load(db, id, &s) != DB_OK) return n; /* the action itself will say */
    const struct kind *k = kind_find(s.kind);
    int32_t today = time_today();
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct err e = {0};
        if (guard_run(db, id, names[i], &s, today, &e)) continue;
        const struct kind_step *ks = k ? kind_step_find(k, names[i]) : NULL;
        const struct lifecycle_row *row = lifecycle_find(s.kind, s.status, names[i], caps, NULL);
        if (ks && ks->may && row) {
            struct kind_act x = {.db = db,
                                 .a = a,
                                 .id = id,
                                 .action = names[i],
                                 .from = s.status,
                                 .role = row->role,
                                 .lead_unit_id = s.lead_unit_id,
                                 .escalation = s.escalation};
            snprintf(x.deadline, sizeof x.deadline, "%s", s.deadline);
            if (ks->may(&x, &e)) continue;
        }
        names[kept++] = names[i];
    }
    return kept;
}

int action_implemented(const char *kind, const char *name)
{
    const struct kind *k = kind_find(kind);
    const struct kind_step *ks = k ? kind_step_find(k, name) : NULL;
    return action_spec_find(kind, name) && (step_find(name) || (ks && ks->before));
}

static int check_fields(json_t *body, const struct action_spec *spec, struct err *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "action") && strcmp(key, ACTION_PUBLIC_NOTE) &&
            !action_spec_field(spec, key))
            return err_set(e, 422, "unknown_field", "'%s' takes no field '%s'", spec->name, key);
    }
    return 0;
}

/* The optional public note every action takes: text the office wrote for
 * the public (Open311 publishes it with the status), kept in the event as
 * "public_note".  Only the office (supervisors, admins) writes one. */
static int field_public_note(struct act *x, struct err *e)
{
    json_t *v = json_object_get(x->body, ACTION_PUBLIC_NOTE);
    if (!v || json_is_null(v)) return 0;
    if (!(x->a->roles & (ROLE_SUPERVISOR | ROLE_ADMIN)))
        return err_set(e, 403, "forbidden", "only the supervision office writes public notes");
    const char *note;
    return field_text(x, ACTION_PUBLIC_NOTE, ACTION_PUBLIC_MAX, &note, e);
}

/* Run one of the kind's steps on the action in progress: it sees and may
 * change the lead unit, the deadline and (upwards) the escalation. */
static int kind_hook(struct act *x, int (*hook)(struct kind_act *k, struct err *e), struct err *e)
{
    struct kind_act k = {.db = x->db,
                         .a = x->a,
                         .id = x->id,
                         .action = x->row->action,
                         .body = x->body,
                         .data = x->data,
                         .from = x->old.status,
                         .role = x->row->role,
                         .lead_unit_id = x->cur.lead_unit_id,
                         .escalation = x->cur.escalation};
    snprintf(k.deadline, sizeof k.deadline, "%s", x->cur.deadline);
    snprintf(k.title, sizeof k.title, "%s", x->cur.title);
    if (hook(&k, e)) return -1;
    x->cur.lead_unit_id = k.lead_unit_id;
    snprintf(x->cur.deadline, sizeof x->cur.deadline, "%s", k.deadline);
    if (k.title[0]) snprintf(x->cur.title, sizeof x->cur.title, "%s", k.title);
    if (k.escalation > x->cur.escalation && k.escalation <= 3) x->cur.escalation = k.escalation;
    return 0;
}

/* The kind's checks, the step for every kind, then what the kind records. */
static int act_run(struct act *x, struct err *e)
{
    const struct action_step *d = step_find(x->row->action);
    if (x->kstep && x->kstep->may && kind_hook(x, x->kstep->may, e)) return -1;
    if (x->kstep && x->kstep->before && kind_hook(x, x->kstep->before, e)) return -1;
    if (d && d->step(x, e)) return -1;
    if (x->kstep && x->kstep->after && kind_hook(x, x->kstep->after, e)) return -1;
    return 0;
}

/* ---- before/after and the roll-up ---- */

static void diff_text(json_t *before, json_t *after, const char *name, const char *o, const char *n)
{
    if (!strcmp(o, n)) return;
    json_object_set_new(before, name, *o ? json_string(o) : json_null());
    json_object_set_new(after, name, *n ? json_string(n) : json_null());
}

static void diff_int(json_t *before, json_t *after, const char *name, int64_t o, int64_t n,
                     int zero_is_null)
{
    if (o == n) return;
    json_object_set_new(before, name, zero_is_null && !o ? json_null() : json_integer(o));
    json_object_set_new(after, name, zero_is_null && !n ? json_null() : json_integer(n));
}

/* The object data[name], made when it is not there yet (borrowed). */
static json_t *data_object(json_t *data, const char *name)
{
    json_t *o = json_object_get(data, name);
    if (!json_is_object(o)) json_object_set_new(data, name, o = json_object());
    return o;
}

/* {"before":{…},"after":{…}} of the fields that changed, merged into data
 * (beside what the step recorded there itself: an edit's). */
static void state_diff(const struct item_state *o, const struct item_state *n, json_t *data)
{
    json_t *before = data_object(data, "before"), *after = data_object(data, "after");
    diff_text(before, after, "status", o->status, n->status);
    diff_text(before, after, "title", o->title, n->title);
    diff_int(before, after, "lead_unit_id", o->lead_unit_id, n->lead_unit_id, 1);
    diff_text(before, after, "deadline", o->deadline, n->deadline);
    diff_int(before, after, "progress", o->progress, n->progress, 0);
    if (o->has_value != n->has_value || o->value != n->value) {
        json_object_set_new(before, "metric_value",
                            o->has_value ? json_real(o->value) : json_null());
        json_object_set_new(after, "metric_value",
                            n->has_value ? json_real(n->value) : json_null());
    }
    if (o->escalation != n->escalation) {
        json_object_set_new(before, "escalation",
                            o->escalation ? json_string(levels[o->escalation]) : json_null());
        json_object_set_new(after, "escalation", json_string(levels[n->escalation]));
    }
    diff_text(before, after, "assigned_on", o->assigned_on, n->assigned_on);
}

/* A changed title (written apart: only a kind's step changes it, and the
 * text index is kept by a trigger on the column). */
static int title_store(struct db *db, int64_t id, const char *title)
{
    struct db_stmt *st = db_prepare(db, "UPDATE items SET title = ?2 WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, title, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Write a changed item state and its event. */
static int state_commit(struct db *db, const struct actor *a, int64_t id, const char *action,
                        const struct item_state *o, const struct item_state *n, json_t *data,
                        struct err *e)
{
    int rc = state_store(db, id, n, o->version);
    if (rc == DB_OK && strcmp(o->title, n->title)) rc = title_store(db, id, n->title);
    if (rc == DB_OK) {
        state_diff(o, n, data);
        rc = event_append(db, id, a, action, data);
    }
    if (rc == DB_RETRY) {
        err_set(e, 503, "busy", "the item changed meanwhile; try again");
        return DB_RETRY;
    }
    return rc == DB_OK ? 0 : err_db(e, rc, "recording the action");
}

/* Recompute the weighted progress of child's ancestors (weights default 1;
 * cancelled sub-items do not count), each change with a "rollup" event. */
static int rollup(struct db *db, const struct actor *a, const struct light_rules *r, int64_t child,
                  int64_t parent, struct err *e)
{
    for (int depth = 0; parent && depth < ACTION_ROLLUP_DEPTH; depth++) {
        struct db_stmt *st = db_prepare(db, "SELECT coalesce(sum(weight * progress), 0),"
                                            " coalesce(sum(weight), 0) FROM items"
                                            " WHERE parent_id = ?1 AND status <> 'cancelled'");
        if (!st) return err_db(e, DB_ERR, "rolling up progress");
        db_bind_int64(st, 1, parent);
        int rc = db_step(st);
        int64_t sum = db_column_int64(st, 0), total = db_column_int64(st, 1);
        db_finalize(st);
        if (rc != DB_ROW) return err_db(e, rc, "rolling up progress");
        struct item_state o, n;
        rc = state_load(db, parent, &o);
        if (rc != DB_OK) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "rolling up progress");
        n = o;
        n.progress = total > 0 ? (int)((2 * sum + total) / (2 * total)) : 0;
        if (n.progress == o.progress) return 0;
        derive_schedule(r, &n);
        json_t *data = json_pack("{s:I}", "child_id", (json_int_t)child);
        rc = state_commit(db, a, parent, "rollup", &o, &n, data, e);
        json_decref(data);
        if (rc) return rc;
        child = parent;
        parent = o.parent_id;
    }
    return 0;
}

/* Tell the people the action concerns (messages, the outbox), in its
 * transaction. */
static int act_notify(struct act *x, struct err *e)
{
    struct notify_event ev = {.item_id = x->id,
                              .kind = x->old.kind,
                              .action = x->row->action,
                              .from = x->old.status,
                              .to = x->cur.status,
                              .lead_before = x->old.lead_unit_id,
                              .lead_after = x->cur.lead_unit_id,
                              .deadline = x->cur.deadline,
                              .data = x->data};
    return notify_event(x->db, x->a, &ev, NULL, e);
}

/* ---- the entry ---- */

/* Who the actor is on the item: its capacities (the unit rule and the
 * kind's), or 403 when it may not see it. */
static int act_caps(struct act *x, unsigned *caps, struct err *e)
{
    int rc = perm_item_visible(x->db, x->a, x->id);
    if (rc < 0) return err_db(e, rc, "reading the item");
    if (!rc)
        return err_set(e, 403, "forbidden", "item %lld belongs to another unit", (long long)x->id);
    int work = perm_unit_work(x->old.assigned_on), sees = 0; /* never assigned: nobody's yet */
    int is_lead = work && x->old.lead_unit_id && x->old.lead_unit_id == x->a->unit_id;
    int64_t is_co = count2(db_prepare(x->db, "SELECT count(*) FROM item_units WHERE item_id = ?1"
                                             " AND unit_id = ?2"),
                           x->id, x->a->unit_id);
    if (is_co < 0) return err_db(e, (int)is_co, "reading the item");
    unsigned kind_caps = 0;
    rc = x->kind && x->kind->visible ? x->kind->visible(x->db, x->a, x->id, &sees, &kind_caps)
                                     : DB_OK;
    if (rc != DB_OK) return err_db(e, rc, "reading the item");
    unsigned chain_caps = 0;
    rc = perm_chain_caps(x->db, x->a, x->id, is_lead, &chain_caps);
    if (rc != DB_OK) return err_db(e, rc, "reading the item");
    *caps = lifecycle_caps(x->a, is_lead, work && is_co > 0) | kind_caps | chain_caps;
    return 0;
}

/* Load, check visibility and the lifecycle: fills x->old/cur/row/spec. */
static int act_prepare(struct act *x, const char *action, struct err *e)
{
    int rc = state_load(x->db, x->id, &x->old);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no item with id %lld", (long long)x->id),
               err_detail(e, "item");
    if (rc != DB_OK) return err_db(e, rc, "reading the item");
    x->kind = kind_find(x->old.kind);
    unsigned caps = 0;
    if (act_caps(x, &caps, e)) return -1;
    /* a closed item's record stands: correcting it is refused as such */
    if (!strcmp(action, "edit") && (caps & LC_SUPERVISOR) && lifecycle_status_closed(x->old.status))
        return err_set(e, 422, "item_closed", "item %lld is %s: a closed item is not edited",
                       (long long)x->id, x->old.status);
    x->row = lifecycle_find(x->old.kind, x->old.status, action, caps, e);
    if (!x->row) return -1;
    /* a row for an action without a field list or a step: a programming error */
    if (!action_implemented(x->old.kind, action))
        return err_set(e, 500, "internal", "'%s' has no implementation", action);
    x->spec = action_spec_find(x->old.kind, action);
    x->kstep = x->kind ? kind_step_find(x->kind, action) : NULL;
    x->cur = x->old;
    if (!strcmp(x->row->to, LIFECYCLE_PREVIOUS))
        snprintf(x->cur.status, sizeof x->cur.status, "%s",
                 x->old.suspended_from[0] ? x->old.suspended_from : "assigned");
    else if (strcmp(x->row->to, LIFECYCLE_SAME))
        snprintf(x->cur.status, sizeof x->cur.status, "%s", x->row->to);
    rc = light_rules_load(x->db, &x->rules);
    if (rc == DB_OK) rc = calendar_load(x->db, &x->cal);
    if (rc != DB_OK) return err_db(e, rc, "reading the calendar");
    x->today = time_today();
    return 0;
}

/* The attachments the body's "attachment_ids" names (checked as an array of
 * ids by check_fields), as the event's "attachments"; *carried gets them
 * for attachment_link after the event (caller frees).  0, or -1 with e. */
static int field_attachments(struct act *x, json_t **carried, struct err *e)
{
    json_t *ids = json_object_get(x->body, "attachment_ids");
    if (!json_array_size(ids)) return 0;
    if (attachment_claim(x->db, x->a, x->id, ids, carried, e)) return -1;
    json_object_set(x->data, "attachments", *carried);
    return 0;
}

/* The document the action issues (document.h: a 交办通知单, 督办单 or
 * 催办通知书), printed from the item as the step leaves it. */
static int act_document(struct act *x, struct err *e)
{
    json_t *text = json_object_get(x->body, "text");
    struct document_item it = {.id = x->id,
                               .lead_unit_id = x->cur.lead_unit_id,
                               .title = x->cur.title,
                               .deadline = x->cur.deadline,
                               .escalation = x->cur.escalation,
                               .text = json_is_string(text) ? json_string_value(text) : NULL};
    return document_issue(x->db, x->a, x->row->action, &it, x->data, e);
}

int item_act(struct db *db, const struct actor *a, int64_t item_id, json_t *body, struct err *e)
{
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    json_t *name = json_object_get(body, "action");
    if (!json_is_string(name))
        return err_set(e, 422, "missing_field", "field 'action' is required");
    const char *action = json_string_value(name);
    if (!action_name_valid(action))
        return err_set(e, 422, "invalid_field", "unknown action '%.40s'", action);
    struct act x = {.db = db, .a = a, .id = item_id, .body = body, .data = json_object()};
    int ret = act_prepare(&x, action, e);
    if (!ret) ret = check_fields(body, x.spec, e);
    if (!ret) ret = field_public_note(&x, e);
    json_t *carried = NULL;
    if (!ret) ret = field_attachments(&x, &carried, e);
    if (!ret) ret = act_run(&x, e);
    if (!ret) ret = act_document(&x, e);
    if (!ret) {
        derive_schedule(&x.rules, &x.cur);
        ret = state_commit(db, a, item_id, action, &x.old, &x.cur, x.data, e);
        if (!ret && carried && attachment_link(db, item_id, carried) != DB_OK)
            ret = err_db(e, DB_ERR, "attaching the files");
        if (!ret && document_link(db, item_id, x.data) != DB_OK)
            ret = err_db(e, DB_ERR, "recording the documents");
        if (!ret) ret = act_notify(&x, e);
    }
    json_decref(carried);
    int moved = x.cur.progress != x.old.progress ||
                (strcmp(x.cur.status, x.old.status) &&
                 (!strcmp(x.cur.status, "cancelled") || !strcmp(x.old.status, "cancelled")));
    if (!ret && moved && x.old.parent_id)
        ret = rollup(db, a, &x.rules, item_id, x.old.parent_id, e);
    calendar_free(&x.cal);
    json_decref(x.data);
    return ret;
}
