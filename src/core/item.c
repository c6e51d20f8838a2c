/* item.c — creating, reading and listing items.  See item.h.
 * Field validation lives here (one place for the API, the pages and the CLI);
 * a kind's own fields, row, JSON part and visibility are its row's hooks
 * (kind.h), called at fixed points without naming any kind; visibility is
 * perm.h's; lights are light.h's; status changes are the lifecycle's. */
#include "core/item.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/count_cache.h"
#include "core/action.h"
#include "core/document.h"
#include "core/event.h"
#include "core/item_count.h"
#include "core/kind.h"
#include "core/light.h"
#include "core/lifecycle.h"
#include "core/perm.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/jsonw.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

#define ITEM_TITLE_MAX 200
#define ITEM_DESC_MAX  20000

static const char *const cycles[] = {"none", "weekly", "biweekly", "monthly", "quarterly"};
static const char *const sources[] = {"plan",   "meeting", "instruction", "campaign",
                                      "report", "import",  "evaluation"};

static int one_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return 1;
    return 0;
}

/* Read a text field (trimmed, blank = missing: core/text.h). */
static int field_str(json_t *body, const char *name, size_t max, int required, const char **out,
                     struct err *e)
{
    return text_field(body, name, max, required, out, e);
}

static int field_id(json_t *body, const char *name, int64_t *out, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return err_set(e, 422, "invalid_field", "'%s' must be a positive integer id", name);
    *out = json_integer_value(v);
    return 0;
}

static int parse_co_units(json_t *body, struct item_input *in, struct err *e)
{
    json_t *v = json_object_get(body, "co_unit_ids");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v))
        return err_set(e, 422, "invalid_field", "'co_unit_ids' must be an array");
    if (json_array_size(v) > ITEM_MAX_CO_UNITS)
        return err_set(e, 422, "invalid_field", "at most %d cooperating units", ITEM_MAX_CO_UNITS);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_integer(x) || json_integer_value(x) <= 0)
            return err_set(e, 422, "invalid_field", "'co_unit_ids' must hold positive unit ids");
        int64_t id = json_integer_value(x);
        for (int k = 0; k < in->n_co; k++)
            if (in->co_unit_ids[k] == id)
                return err_set(e, 422, "invalid_field", "unit %lld is listed twice", (long long)id);
        in->co_unit_ids[in->n_co++] = id;
    }
    return 0;
}

static int parse_metric(json_t *body, struct item_input *in, struct err *e)
{
    json_t *m = json_object_get(body, "metric");
    if (!m || json_is_null(m)) return 0;
    json_t *t = json_object_get(m, "target");
    if (!json_is_object(m) || !json_is_number(t))
        return err_set(e, 422, "invalid_field", "'metric' must be {\"target\": number, \"unit\"}");
    /* a target is an amount to reach: 亩 freed, 万元 raised, a percentage */
    if (!(json_number_value(t) >= 0) || json_number_value(t) > 1e12)
        return err_set(e, 422, "invalid_field",
                       "'metric.target' must be a number from 0 to 1000000000000");
    in->has_metric = 1;
    in->metric_target = json_number_value(t);
    return field_str(m, "unit", 20, 0, &in->metric_unit, e);
}

/* The kind of a new item: known (422 invalid_field) and built (422
 * unsupported_kind). */
static int kind_check(const char *name, struct err *e)
{
    const struct kind *k = kind_find(name);
    if (!k) {
        char names[128];
        kind_names_text(names, sizeof names);
        return err_set(e, 422, "invalid_field", "'kind' must be one of %s", names);
    }
    if (!k->creatable)
        return err_set(e, 422, "unsupported_kind", "items of kind '%s' cannot be created yet",
                       name);
    return 0;
}

static int parse_checks(struct item_input *in, struct err *e)
{
    int32_t day;
    if (kind_check(in->kind, e)) return -1;
    if (in->deadline && date_parse(in->deadline, strlen(in->deadline), &day))
        return err_set(e, 422, "invalid_field", "'deadline' must be a real date as YYYY-MM-DD");
    if (!one_of(in->feedback_cycle, cycles, 5))
        return err_set(e, 422, "invalid_field",
                       "'feedback_cycle' must be none, weekly, biweekly, monthly or quarterly");
    if (!one_of(in->source, sources, 6))
        return err_set(e, 422, "invalid_field",
                       "'source' must be plan, meeting, instruction, campaign, report or import");
    for (int k = 0; k < in->n_co; k++)
        if (in->co_unit_ids[k] == in->lead_unit_id)
            return err_set(e, 422, "invalid_field", "the lead unit cannot also cooperate");
    return 0;
}

/* 1 when key is a field of POST /items: a common one or one the kind adds. */
static int field_known(const char *key, const struct kind *k)
{
    static const char *const known[] = {"kind",        "title",    "description", "lead_unit_id",
                                        "co_unit_ids", "deadline", "parent_id",   "feedback_cycle",
                                        "metric",      "source",   "weight",      "leader_id"};
    if (one_of(key, known, sizeof known / sizeof *known)) return 1;
    for (const char *const *f = k ? k->create_fields : NULL; f && *f; f++)
        if (!strcmp(key, *f)) return 1;
    return 0;
}

/* The plan weight: a whole number from 1 to 100 (the roll-up's share). */
static int parse_weight(json_t *body, struct item_input *in, struct err *e)
{
    json_t *v = json_object_get(body, "weight");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100)
        return err_set(e, 422, "invalid_field", "'weight' must be an integer from 1 to 100");
    in->weight = json_integer_value(v);
    return 0;
}

int item_input_parse(json_t *body, struct item_input *in, struct err *e)
{
    memset(in, 0, sizeof *in);
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    const struct kind *k = kind_find(json_string_value(json_object_get(body, "kind")));
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (!field_known(key, k))
            return err_set(e, 422, "unknown_field", "unknown field '%s'", key);
    }
    in->body = body;
    in->source = "plan";
    in->feedback_cycle = "none";
    in->description = "";
    if (field_str(body, "kind", 20, 1, &in->kind, e) ||
        field_str(body, "title", ITEM_TITLE_MAX, 1, &in->title, e) ||
        field_str(body, "description", ITEM_DESC_MAX, 0, &in->description, e) ||
        field_str(body, "deadline", 10, 0, &in->deadline, e) ||
        field_str(body, "feedback_cycle", 20, 0, &in->feedback_cycle, e) ||
        field_str(body, "source", 20, 0, &in->source, e) ||
        field_id(body, "lead_unit_id", &in->lead_unit_id, e) ||
        field_id(body, "parent_id", &in->parent_id, e) ||
        field_id(body, "leader_id", &in->leader_id, e) || parse_weight(body, in, e) ||
        parse_co_units(body, in, e) || parse_metric(body, in, e))
        return -1;
    return parse_checks(in, e);
}

/* Check that every referenced unit and the parent exist. */
static int item_check_refs(struct db *db, const struct item_input *in, struct err *e)
{
    for (int k = -1; k < in->n_co; k++) {
        int64_t u = k < 0 ? in->lead_unit_id : in->co_unit_ids[k];
        if (!u) continue;
        int rc = unit_exists(db, u);
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)u),
                   err_detail(e, "unit");
    }
    if (in->leader_id) {
        int64_t n = 0;
        int rc = db_query_int64(db, "SELECT count(*) FROM users WHERE id = ?1 AND (roles & 4) <> 0",
                                1, in->leader_id, &n);
        if (rc != DB_OK) return err_db(e, rc, "checking the leader");
        if (!n)
            return err_set(e, 422, "invalid_field", "user %lld is not a leader",
                           (long long)in->leader_id),
                   err_detail(e, "leader");
    }
    if (in->parent_id) {
        int64_t n = 0;
        int rc =
            db_query_int64(db, "SELECT count(*) FROM items WHERE id = ?1", 1, in->parent_id, &n);
        if (rc != DB_OK) return err_db(e, rc, "checking the parent");
        if (!n)
            return err_set(e, 422, "invalid_field", "no parent item with id %lld",
                           (long long)in->parent_id);
    }
    return 0;
}

/* The event data of a creation: every field that was set. */
static json_t *item_create_data(const struct item_input *in)
{
    json_t *d =
        json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", in->kind, "title", in->title, "description",
                  in->description, "source", in->source, "feedback_cycle", in->feedback_cycle);
    if (in->lead_unit_id) json_object_set_new(d, "lead_unit_id", json_integer(in->lead_unit_id));
    if (in->parent_id) json_object_set_new(d, "parent_id", json_integer(in->parent_id));
    if (in->delegated_by) json_object_set_new(d, "delegated_by", json_integer(in->delegated_by));
    if (in->leader_id) json_object_set_new(d, "leader_id", json_integer(in->leader_id));
    if (in->instruction_file_id)
        json_object_set_new(d, "instruction_file_id", json_integer(in->instruction_file_id));
    if (in->deadline) json_object_set_new(d, "deadline", json_string(in->deadline));
    if (in->weight) json_object_set_new(d, "weight", json_integer(in->weight));
    if (in->n_co) {
        json_t *co = json_array();
        for (int k = 0; k < in->n_co; k++)
            json_array_append_new(co, json_integer(in->co_unit_ids[k]));
        json_object_set_new(d, "co_unit_ids", co);
    }
    if (in->meeting_id)
        json_object_set_new(d, "meeting",
                            json_pack("{s:I,s:I}", "id", (json_int_t)in->meeting_id, "paragraph",
                                      (json_int_t)in->meeting_paragraph));
    if (in->import_id)
        json_object_set_new(d, "import",
                            json_pack("{s:I,s:I,s:s}", "id", (json_int_t)in->import_id, "row",
                                      (json_int_t)in->import_row, "sha256", in->import_sha256));
    if (in->has_metric)
        json_object_set_new(
            d, "metric",
            json_pack("{s:f,s:s?}", "target", in->metric_target, "unit", in->metric_unit));
    return d;
}

/* A new item is a draft, and a draft's light boundaries are "never"
 * (migration 012's triggers).  The row says so from the start: on SQLite the
 * AFTER INSERT trigger then has nothing to do and skips (migration 034),
 * where a row inserted with none would be updated and move its two index
 * entries from the index's NULL end to its "never" end (six pages more per
 * create: 33.9 against 27.7 written, bench/README.md). */
static int item_insert(struct db *db, const struct actor *a, const struct item_input *in,
                       int64_t *id)
{
    struct db_stmt *st = db_prepare(
        db,
        "INSERT INTO items (kind, title, description, status, source, lead_unit_id,"
        " parent_id, deadline, feedback_cycle, metric_target, metric_unit, created_by,"
        " created_at, updated_at, meeting_id, meeting_paragraph, weight, delegated_by, leader_id,"
        " instruction_file_id, red_on, lit_on) VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?7, ?8,"
        " ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16, ?17, ?18, '9999-12-31', '9999-12-31')"
        " RETURNING id");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, in->kind, (size_t)-1);
    db_bind_text(st, 2, in->title, (size_t)-1);
    db_bind_text(st, 3, in->description, (size_t)-1);
    db_bind_text(st, 4, in->source, (size_t)-1);
    if (in->lead_unit_id)
        db_bind_int64(st, 5, in->lead_unit_id);
    else
        db_bind_null(st, 5);
    if (in->parent_id)
        db_bind_int64(st, 6, in->parent_id);
    else
        db_bind_null(st, 6);
    db_bind_text(st, 7, in->deadline, (size_t)-1);
    db_bind_text(st, 8, in->feedback_cycle, (size_t)-1);
    if (in->has_metric)
        db_bind_double(st, 9, in->metric_target);
    else
        db_bind_null(st, 9);
    db_bind_text(st, 10, in->metric_unit, (size_t)-1);
    if (a->user_id)
        db_bind_int64(st, 11, a->user_id);
    else
        db_bind_null(st, 11);
    db_bind_int64(st, 12, time_now_ms());
    if (in->meeting_id)
        db_bind_int64(st, 13, in->meeting_id), db_bind_int64(st, 14, in->meeting_paragraph);
    else
        db_bind_null(st, 13), db_bind_null(st, 14);
    db_bind_int64(st, 15, in->weight ? in->weight : 1);
    if (in->delegated_by)
        db_bind_int64(st, 16, in->delegated_by);
    else
        db_bind_null(st, 16);
    if (in->leader_id)
        db_bind_int64(st, 17, in->leader_id);
    else
        db_bind_null(st, 17);
    if (in->instruction_file_id)
        db_bind_int64(st, 18, in->instruction_file_id);
    else
        db_bind_null(st, 18);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The cooperating units of new item id.  A db code. */
static int item_insert_co(struct db *db, const struct item_input *in, int64_t id)
{
    for (int k = 0; k < in->n_co; k++) {
        struct db_stmt *st =
            db_prepare(db, "INSERT INTO item_units (item_id, unit_id) VALUES (?1, ?2)");
        if (!st) return DB_ERR;
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, in->co_unit_ids[k]);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE) return rc;
    }
    return DB_OK;
}

/* The item and its create event, once in has been checked. */
static int item_write_new(struct db *db, const struct actor *a, const struct kind *kd,
                          struct item_input *in, int64_t *id, struct err *e)
{
    if (kd->create && kd->create(db, a, in, e)) return -1;
    if (!in->title || !*in->title) /* a kind without a title of its own needs one */
        return err_set(e, 422, "missing_field", "field 'title' is required");
    int rc = item_insert(db, a, in, id);
    if (rc != DB_OK) return err_db(e, rc, "creating an item");
    json_t *data = item_create_data(in); /* the kind's after_create adds to it */
    if (kd->after_create && kd->after_create(db, a, *id, in, data, e)) {
        json_decref(data);
        return -1;
    }
    rc = item_insert_co(db, in, *id);
    if (rc == DB_OK) rc = event_append(db, *id, a, "create", data);
    json_decref(data);
    if (rc == DB_RETRY) return err_set(e, 503, "busy", "the item changed meanwhile; retry");
    if (rc != DB_OK) return err_db(e, rc, "creating an item");
    return 0;
}

int item_create(struct db *db, const struct actor *a, const struct item_input *in0, int64_t *id,
                struct err *e)
{
    struct item_input copy = *in0, *in = &copy; /* the kind's create hook may fill fields */
    /* texts given in process (a report page, Open311) are trimmed here as
     * the API's are when parsed (core/text.h): a blank title is no title */
    char *title = text_trimmed(in0->title), *desc = text_trimmed(in0->description);
    copy.title = title, copy.description = desc ? desc : "";
    int ret = -1;
    if (in0->title && !title)
        err_set(e, 422, "missing_field", "'title' must not be empty");
    else if (!kind_check(in->kind, e) && !item_check_refs(db, in, e))
        ret = item_write_new(db, a, kind_find(in->kind), in, id, e);
    free(title);
    free(desc);
    return ret;
}

/* Columns every item query selects, in the order item_row_write reads them. */
#define ITEM_COLS                                                                                  \
    "i.id, i.kind, i.title, i.description, i.status, i.source, i.lead_unit_id, u.code, u.name,"    \
    " i.parent_id, i.deadline, i.feedback_cycle, i.metric_target, i.metric_unit, i.metric_value,"  \
    " i.progress, i.created_at, i.updated_at, i.version, i.leader_id, ld.name"
#define ITEM_FROM                                                                                  \
    " FROM items i LEFT JOIN units u ON u.id = i.lead_unit_id LEFT JOIN users ld ON ld.id ="       \
    " i.leader_id"

static void col_int_or_null(struct buf *b, struct db_stmt *st, int c)
{
    if (db_column_is_null(st, c))
        buf_append(b, "null", 4);
    else
        jw_int(b, db_column_int64(st, c));
}

static void col_time(struct buf *b, struct db_stmt *st, int c)
{
    char at[40];
    time_format_iso(db_column_int64(st, c), at, sizeof at);
    jw_str(b, at);
}

/* "leader": null or {"id","name"} (ITEM_COLS' 19 and 20). */
static void item_leader_write(struct buf *b, struct db_stmt *st)
{
    buf_puts(b, ",\"leader\":");
    if (db_column_is_null(st, 19)) {
        buf_puts(b, "null");
        return;
    }
    buf_puts(b, "{\"id\":");
    jw_int(b, db_column_int64(st, 19));
    buf_puts(b, ",\"name\":");
    jw_str(b, db_column_text(st, 20));
    buf_putc(b, '}');
}

/* One item row (ITEM_COLS then the light) as a JSON object, written straight
 * into b: the one rendering of an item, used by lists (as text, the hot path)
 * and by single items (parsed back into jansson to add to). */
static void item_row_write(struct buf *b, struct db_stmt *st)
{
    buf_append(b, "{\"id\":", 6);
    jw_int(b, db_column_int64(st, 0));
    static const struct {
        const char *key;
        int col;
    } strs[] = {{"kind", 1},   {"title", 2},     {"description", 3},     {"status", 4},
                {"source", 5}, {"deadline", 10}, {"feedback_cycle", 11}, {"light", 21}};
    for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
        buf_putc(b, ',');
        jw_key(b, strs[k].key);
        jw_str(b, db_column_text(st, strs[k].col));
    }
    buf_puts(b, ",\"lead_unit_id\":");
    col_int_or_null(b, st, 6);
    buf_puts(b, ",\"parent_id\":");
    col_int_or_null(b, st, 9);
    buf_puts(b, ",\"leader_id\":");
    col_int_or_null(b, st, 19);
    buf_puts(b, ",\"progress\":");
    jw_int(b, db_column_int64(st, 15));
    buf_puts(b, ",\"version\":");
    jw_int(b, db_column_int64(st, 18));
    buf_puts(b, ",\"created_at\":");
    col_time(b, st, 16);
    buf_puts(b, ",\"updated_at\":");
    col_time(b, st, 17);
    buf_puts(b, ",\"lead_unit\":");
    if (db_column_is_null(st, 6)) {
        buf_puts(b, "null");
    } else {
        buf_puts(b, "{\"id\":");
        jw_int(b, db_column_int64(st, 6));
        buf_puts(b, ",\"code\":");
        jw_str(b, db_column_text(st, 7));
        buf_puts(b, ",\"name\":");
        jw_str(b, db_column_text(st, 8));
        buf_putc(b, '}');
    }
    item_leader_write(b, st);
    buf_puts(b, ",\"metric\":");
    if (db_column_is_null(st, 12)) {
        buf_puts(b, "null");
    } else {
        buf_puts(b, "{\"target\":");
        jw_real(b, db_column_double(st, 12));
        buf_puts(b, ",\"unit\":");
        jw_str(b, db_column_text(st, 13));
        buf_puts(b, ",\"value\":");
        if (db_column_is_null(st, 14))
            buf_puts(b, "null");
        else
            jw_real(b, db_column_double(st, 14));
        buf_putc(b, '}');
    }
    buf_puts(b, ",\"co_unit_ids\":[]}");
}

/* Append item id's cooperating units as JSON numbers, comma-separated; *is_co
 * set when unit is one of them. */
static int item_write_co_units(struct db *db, struct buf *out, int64_t id, int64_t unit, int *is_co)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT unit_id FROM item_units WHERE item_id = ?1 ORDER BY unit_id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t u = db_column_int64(st, 0);
        if (u == unit) *is_co = 1;
        if (n++) buf_putc(out, ',');
        jw_int(out, u);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The end item_row_write gives every item, opened here to add to. */
#define ITEM_ROW_END "\"co_unit_ids\":[]}"

/* What actor a is on item id of kind k: *sees when a may see it (the unit
 * rule, or the kind's own), and a's lifecycle capacities.  A db code. */
static int item_relation(struct db *db, const struct actor *a, int64_t id, const struct kind *k,
                         int is_lead, int is_co, int *sees, unsigned *caps)
{
    int kind_sees = 0;
    unsigned kind_caps = 0;
    unsigned chain_caps = 0;
    int rc = k && k->visible ? k->visible(db, a, id, &kind_sees, &kind_caps) : DB_OK;
    if (rc == DB_OK) rc = perm_chain_caps(db, a, id, is_lead, &chain_caps);
    *sees = actor_sees_all(a) || is_lead || is_co || kind_sees;
    if (rc == DB_OK && !*sees) { /* the unit tree's rule (perm.h) */
        int below = perm_item_visible(db, a, id);
        if (below < 0) rc = below;
        *sees = below > 0;
    }
    *caps = lifecycle_caps(a, is_lead, is_co) | kind_caps | chain_caps;
    return rc;
}

/* The end of one item's JSON after its cooperating units: the allowed
 * actions and the kind's part under the kind's name.  0, or -1 with e. */
/* ,"documents":[…] of item id (document.h): its issued documents to whoever
 * sees its internal record, none to others.  0, or -1 with e. */
static int item_write_documents(struct db *db, const struct actor *a, struct buf *out, int64_t id,
                                struct err *e)
{
    int internal = perm_item_internal(db, a, id);
    if (internal < 0) return err_db(e, internal, "reading an item");
    json_t *list = internal ? document_list_json(db, id, e) : json_array();
    if (!list) return -1;
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    buf_puts(out, ",\"documents\":");
    buf_puts(out, text);
    free(text);
    return 0;
}

static int item_write_end(struct db *db, const struct actor *a, struct buf *out, int64_t id,
                          const char *kind, const char *status, unsigned caps, struct err *e)
{
    const char *names[32];
    size_t n = lifecycle_allowed(kind, status, caps, names, 32);
    n = action_allowed_now(db, a, id, caps, names, n); /* the actions' own checks too */
    buf_puts(out, "],\"allowed_actions\":[");
    for (size_t k = 0; k < n; k++) {
        if (k) buf_putc(out, ',');
        jw_str(out, names[k]);
    }
    buf_putc(out, ']');
    if (item_write_documents(db, a, out, id, e)) return -1;
    const struct kind *kd = kind_find(kind);
    if (kd && kd->json) {
        json_t *part = kd->json(db, id, e);
        if (!part) return -1;
        char *text = json_dumps(part, JSON_COMPACT);
        json_decref(part);
        buf_putc(out, ',');
        jw_key(out, kd->name);
        buf_puts(out, text);
        free(text);
    }
    buf_putc(out, '}');
    return 0;
}

int item_get_write(struct db *db, const struct actor *a, int64_t id, struct buf *out, struct err *e)
{
    char today[11], warn[11], kind[32], status[32];
    light_dates(db, today, warn);
    struct db_stmt *st =
        db_prepare(db, "SELECT " ITEM_COLS ", " LIGHT_SQL("?2", "?3") ", i.assigned_on" ITEM_FROM
                                                                      " WHERE i.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading an item");
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, today, (size_t)-1);
    db_bind_text(st, 3, warn, (size_t)-1);
    size_t start = out->len;
    int rc = db_step(st), is_lead = 0, is_co = 0, sees = 0, work = 0;
    if (rc == DB_ROW) {
        item_row_write(out, st);
        work = perm_unit_work(db_column_is_null(st, 22) ? NULL : db_column_text(st, 22));
        is_lead = !db_column_is_null(st, 6) && db_column_int64(st, 6) == a->unit_id;
        snprintf(kind, sizeof kind, "%s", db_column_text(st, 1));
        snprintf(status, sizeof status, "%s", db_column_text(st, 4));
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no item with id %lld", (long long)id),
               err_detail(e, "item");
    if (rc != DB_ROW) return err_db(e, rc, "reading an item");
    size_t end = sizeof ITEM_ROW_END - 1;
    assert(out->len - start >= end && !memcmp(out->data + out->len - end, ITEM_ROW_END, end));
    out->len -= 2; /* "]}" */
    rc = item_write_co_units(db, out, id, a->unit_id, &is_co);
    unsigned caps = 0;
    if (rc == DB_OK)
        rc =
            item_relation(db, a, id, kind_find(kind), work && is_lead, work && is_co, &sees, &caps);
    if (rc != DB_OK) {
        out->len = start;
        return err_db(e, rc, "reading an item");
    }
    if (!sees) {
        out->len = start;
        return err_set(e, 403, "forbidden", "item %lld belongs to another unit", (long long)id);
    }
    if (item_write_end(db, a, out, id, kind, status, caps, e)) {
        out->len = start;
        return -1;
    }
    return 0;
}

json_t *item_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    struct buf b;
    buf_init(&b, 0);
    json_t *v = NULL;
    if (!item_get_write(db, a, id, &b, e)) {
        v = json_loadb(b.data, b.len, 0, NULL);
        if (!v) err_set(e, 500, "internal", "an item's JSON did not parse");
    }
    buf_free(&b);
    return v;
}

/* The WHERE clause shared by the list and its count.  Parameters:
 * ?1 sees-all ?2 actor unit ?3 kind ?4 status ?5 unit ?6 q pattern ?7 light
 * ?8 source ?9 parent ?10 today ?11 warning date ?12 deadline from ?13 deadline to
 * ?16 the keyset bound (after=, else the largest id).  ?14 and ?15 are the
 * page's limit and offset, ?17 the text index's phrase, ?18 a count's bound,
 * ?19 the day after the warning date (the lists of one light), ?20 the
 * responsible leader. */
#define ITEM_WHERE " WHERE " PERM_VISIBLE_SQL ITEM_FILTERS
/* The same for an actor who sees every item (?1 bound 1): without the
 * visibility test, which PostgreSQL would copy and fold again at each
 * execution's plan (it plans each with its values: the ?N IS NULL tests). */
#define ITEM_WHERE_ALL " WHERE ?1 = 1" ITEM_FILTERS
/* The same for an actor who does not see every item, without a filter
 * (?1 is 0): the unit's items from perm.h's PERM_UNIT_IDS_SQL, its
 * visibility rules as a union of index reads in place of the test row by
 * row, with the tail T for each rule's reads. */
#define ITEM_WHERE_UNIT(T) " WHERE ?1 = ?1" ITEM_FILTERS " AND i.id IN " PERM_UNIT_IDS_SQL("?16", T)
/* For a small unit's filtered lists: every item it sees, then the filter. */
#define ITEM_WHERE_IDS ITEM_WHERE_UNIT("")
#define ITEM_FILTERS                                                                               \
    " AND (?3 IS NULL OR i.kind = ?3)"                                                             \
    " AND (?4 IS NULL OR i.status = ?4)"                                                           \
    " AND (?5 IS NULL OR i.lead_unit_id = ?5 OR EXISTS (SELECT 1 FROM item_units c"                \
    " WHERE c.item_id = i.id AND c.unit_id = ?5))"                                                 \
    " AND (?6 IS NULL OR i.title LIKE ?6 ESCAPE '\\' OR i.description LIKE ?6 ESCAPE '\\')"        \
    " AND (?7 IS NULL OR " LIGHT_SQL(                                                              \
        "?10",                                                                                     \
        "?11") " = ?7)"                                                                            \
               " AND (?8 IS NULL OR i.source = ?8) AND (?9 IS NULL OR i.parent_id = ?9)"           \
               " AND (?12 IS NULL OR i.deadline >= ?12) AND (?13 IS NULL OR i.deadline <= ?13)"    \
               " AND i.id < ?16 AND (?20 IS NULL OR i.leader_id = ?20)"

static void bind_opt_int(struct db_stmt *st, int idx, int64_t v)
{
    if (v)
        db_bind_int64(st, idx, v);
    else
        db_bind_null(st, idx);
}

static void item_bind_filter(struct db_stmt *st, const struct actor *a, const struct item_filter *f,
                             const char *pattern, const char *today, const char *warn)
{
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_text(st, 3, f->kind, (size_t)-1);
    db_bind_text(st, 4, f->status, (size_t)-1);
    bind_opt_int(st, 5, f->unit_id);
    db_bind_text(st, 6, pattern, (size_t)-1);
    db_bind_text(st, 7, f->light, (size_t)-1);
    db_bind_text(st, 8, f->source, (size_t)-1);
    bind_opt_int(st, 9, f->parent_id);
    db_bind_text(st, 10, today, (size_t)-1);
    db_bind_text(st, 11, warn, (size_t)-1);
    db_bind_text(st, 12, f->deadline_from, (size_t)-1);
    db_bind_text(st, 13, f->deadline_to, (size_t)-1);
    db_bind_int64(st, 16, f->after ? f->after : INT64_MAX);
    bind_opt_int(st, 20, f->leader_id);
    /* the day after the warning date: no yellow item turns lit later */
    int32_t w;
    char warn1[11];
    if (date_parse(warn, strlen(warn), &w) == 0) {
        date_format(w + 1, warn1);
        db_bind_text(st, 19, warn1, (size_t)-1);
    }
}

/* "%q%" with LIKE's metacharacters escaped, into out (4 * strlen(q) + 3 bytes). */
static void like_pattern(const char *q, char *out)
{
    *out++ = '%';
    for (; *q; q++) {
        if (*q == '%' || *q == '_' || *q == '\\') *out++ = '\\';
        *out++ = *q;
    }
    *out++ = '%';
    *out = '\0';
}

/* The phrase that finds q in the text index (migration 010): q quoted, its
 * quotes doubled, into out (2 * strlen(q) + 3 bytes).  0 when q is too
 * short for trigrams (under three characters): such a search reads rows. */
static int fts_phrase(const struct db *db, const char *q, char *out)
{
    if (db_kind(db) != DB_SQLITE || utf8_count(q, strlen(q)) < 3) return 0;
    *out++ = '"';
    for (; *q; q++) {
        if (*q == '"') *out++ = '"';
        *out++ = *q;
    }
    *out++ = '"';
    *out = '\0';
    return 1;
}

/* What a list request needs besides its filter: the lights' dates, q as a
 * LIKE pattern and as the text index's phrase (NULL when not used). */
struct list_ctx {
    char today[11], warn[11];
    char pattern[4 * 200 + 3], phrase[2 * 200 + 3];
    const char *like, *fts;
    int only_light; /* an actor who sees all, and no filter but the light */
    int only_unit;  /* an actor who does not see all, and no filter */
    int unit_ids;   /* an actor who does not see all, of a small unit (list_small_unit) */
};

/* Below this many items led by the actor's unit and the units below it, a
 * filtered list reads the unit's items (ITEM_WHERE_IDS: a few hundred µs
 * at most) rather than walking the filter's index across the city, where a
 * small unit's items are few and far between; a larger unit's are dense
 * enough for the walk to stop early. */
#define LIST_SMALL_UNIT 2000

/* Sets c->unit_ids for a's filtered list: 1 when a does not see every item
 * and its unit and the units below lead fewer than LIST_SMALL_UNIT items
 * (the tally's rows, migration 010).  A db code. */
static int list_small_unit(struct db *db, const struct actor *a, struct list_ctx *c)
{
    c->unit_ids = 0;
    if (actor_sees_all(a) || c->only_unit) return DB_OK; /* SHAPE_UNIT's count */
    struct db_stmt *st = db_prepare(db, "SELECT coalesce(sum(n), 0) FROM item_tally"
                                        " WHERE unit_id = ?1 OR unit_id IN " PERM_BELOW_SQL("?1"));
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, a->unit_id);
    int rc = db_step(st);
    if (rc == DB_ROW) c->unit_ids = db_column_int64(st, 0) < LIST_SMALL_UNIT, rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* Bound count: the matches up to ITEM_COUNT_BOUND, with the text index
 * when q has one (an engine's own syntax: only SQLite's FTS5 has MATCH;
 * PostgreSQL's pg_trgm serves the LIKE itself). */
static int item_count_query(struct db *db, const struct actor *a, const struct item_filter *f,
                            const struct list_ctx *c, int64_t *n)
{
#define COUNT_SQL(W) "SELECT count(*) FROM (SELECT 1 FROM items i" W " LIMIT ?18) c"
/* a unit's: read from its items (perm.h), each rule's newest up to the bound */
#define COUNT_UNIT_SQL                                                                             \
    "SELECT count(*) FROM (SELECT 1 FROM items i" ITEM_WHERE_UNIT(                                 \
        " ORDER BY id DESC LIMIT ?18") " LIMIT ?18) c"
#define COUNT_TEXT_SQL(W)                                                                          \
    "SELECT count(*) FROM (SELECT 1 FROM items_fts JOIN items i ON i.id = items_fts.rowid" W       \
    " AND items_fts MATCH ?17 LIMIT ?18) c"
    struct db_stmt *st;
    if (actor_sees_all(a))
        st = c->fts ? db_prepare(db, COUNT_TEXT_SQL(ITEM_WHERE_ALL))
                    : db_prepare(db, COUNT_SQL(ITEM_WHERE_ALL));
    else if (c->only_unit)
        st = db_prepare(db, COUNT_UNIT_SQL);
    else if (c->unit_ids)
        st = c->fts ? db_prepare(db, COUNT_TEXT_SQL(ITEM_WHERE_IDS))
                    : db_prepare(db, COUNT_SQL(ITEM_WHERE_IDS));
    else
        st = c->fts ? db_prepare(db, COUNT_TEXT_SQL(ITEM_WHERE))
                    : db_prepare(db, COUNT_SQL(ITEM_WHERE));
    if (!st) return DB_ERR;
    struct item_filter all = *f;
    all.after = 0; /* the total is the whole filter's, whatever the page */
    item_bind_filter(st, a, &all, c->like, c->today, c->warn);
    if (c->fts) db_bind_text(st, 17, c->fts, (size_t)-1);
    db_bind_int64(st, 18, ITEM_COUNT_BOUND);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The tally's sum (its rows summed: a tenth of a plain list's CPU),
 * remembered under the data stamp like the counts that walk rows.  1 with
 * *n, or a negative db code. */
static int item_count_tally_kept(struct db *db, const char *kind, const char *status, int64_t *n)
{
    char key[160];
    int64_t stamp;
    int len = snprintf(key, sizeof key, "tally|%s|%s", kind ? kind : "", status ? status : "");
    int keep = len > 0 && (size_t)len < sizeof key;
    int rc = count_cache_stamp(db, &stamp);
    if (rc != DB_OK) return rc;
    if (keep && count_cache_get(key, stamp, n)) return 1;
    rc = item_count_tally(db, kind, status, 0, n);
    if (rc != DB_OK) return rc;
    if (keep) count_cache_put(key, stamp, *n);
    return 1;
}

/* The count from what is maintained, when the filter allows: an actor who
 * sees every item, and only kind and status, or only a light.  1 with *n,
 * 0 when the filter needs the rows, or a negative db code. */
static int item_count_kept(struct db *db, const struct actor *a, const struct item_filter *f,
                           const struct list_ctx *c, int64_t *n)
{
    if (!actor_sees_all(a) || f->q || f->source || f->parent_id || f->unit_id || f->deadline_from ||
        f->deadline_to || f->leader_id)
        return 0;
    int idx, rc;
    if (!f->light) return item_count_tally_kept(db, f->kind, f->status, n);
    if (f->kind || f->status || !item_count_light_index(f->light, &idx)) return 0;
    int64_t lights[4];
    rc = item_count_lights(db, c->today, c->warn, lights);
    if (rc != DB_OK) return rc;
    *n = lights[idx];
    return 1;
}

/* The count of a filtered list: kept, or counted up to the bound (then
 * *bounded is 1 when it was reached) and remembered while no item changes. */
static int item_count(struct db *db, const struct actor *a, const struct item_filter *f,
                      const struct list_ctx *c, int64_t *n, int *bounded)
{
    int rc = item_count_kept(db, a, f, c, n);
    *bounded = 0;
    if (rc) return rc < 0 ? rc : DB_OK;
    char key[512];
    int len = snprintf(key, sizeof key, "%d|%lld|%s|%s|%lld|%s|%s|%s|%lld|%s|%s|%s|%s|%lld",
                       actor_sees_all(a), (long long)(actor_sees_all(a) ? 0 : a->unit_id),
                       f->kind ? f->kind : "", f->status ? f->status : "", (long long)f->unit_id,
                       f->light ? f->light : "", f->source ? f->source : "", f->q ? f->q : "",
                       (long long)f->parent_id, c->today, c->warn,
                       f->deadline_from ? f->deadline_from : "",
                       f->deadline_to ? f->deadline_to : "", (long long)f->leader_id);
    int64_t stamp = 0;
    rc = count_cache_stamp(db, &stamp);
    if (rc != DB_OK) return rc;
    if (!(len > 0 && (size_t)len < sizeof key && count_cache_get(key, stamp, n))) {
        rc = item_count_query(db, a, f, c, n);
        if (rc != DB_OK) return rc;
        if (len > 0 && (size_t)len < sizeof key) count_cache_put(key, stamp, *n);
    }
    *bounded = *n >= ITEM_COUNT_BOUND;
    return DB_OK;
}

static int list_unfiltered(const struct item_filter *f)
{
    return !f->kind && !f->status && !f->unit_id && !f->q && !f->source && !f->parent_id &&
           !f->deadline_from && !f->deadline_to && !f->leader_id;
}

static int list_only_light(const struct actor *a, const struct item_filter *f)
{
    return actor_sees_all(a) && list_unfiltered(f);
}

static int list_only_unit(const struct actor *a, const struct item_filter *f)
{
    return !actor_sees_all(a) && list_unfiltered(f) && !f->light;
}

/* What a list request for a and f needs besides f (c zeroed first): the
 * lights' dates, q's pattern and phrase, the shape's facts.  A db code. */
static int list_ctx_fill(struct db *db, const struct actor *a, const struct item_filter *f,
                         struct list_ctx *c)
{
    *c = (struct list_ctx){.only_light = list_only_light(a, f), .only_unit = list_only_unit(a, f)};
    light_dates(db, c->today, c->warn);
    if (f->q) {
        like_pattern(f->q, c->pattern);
        c->like = c->pattern;
        if (fts_phrase(db, f->q, c->phrase)) c->fts = c->phrase;
    }
    return list_small_unit(db, a, c);
}

/* One literal statement per order and, for the newest first, per index
 * that serves the filter in that order: SQL text is never assembled at run
 * time, and an "?4 IS NULL OR i.status = ?4" cannot use an index, so the
 * status and kind shapes repeat their filter as a plain equality. */
enum list_shape {
    SHAPE_ANY,
    SHAPE_STATUS,
    SHAPE_KIND,
    SHAPE_TEXT,
    SHAPE_RED,
    SHAPE_YELLOW,
    SHAPE_RED_ONLY,
    SHAPE_UNIT,
    SHAPE_N
};

#define LIST_SELECT "SELECT " ITEM_COLS ", " LIGHT_SQL("?10", "?11")
#define LIST_PAGE   " LIMIT ?14 OFFSET ?15"

/* The shapes newest first, with the WHERE clause W (ITEM_WHERE, or ITEM_WHERE_ALL).
 *
 * SHAPE_RED and SHAPE_YELLOW: a light's items from the index on the day they
 * turned red, or yellow-or-red (migration 010): red_on <= today is exactly
 * red, and every yellow item has lit_on <= the day after the warning date.
 * As a subquery, since SQLite would rather walk every newer item in id order
 * (new items are seldom red: a walk reads all of them first); this reads as
 * many index entries as there are items of the light.  Yellow is lit and
 * not red (red_on > today), one covering range of items_lit_red (migration
 * 029), so the red items are never read.
 *
 * SHAPE_RED_ONLY: red and nothing else, for an actor who sees every item:
 * red_on decides alone, so the page's ids are the newest of the kept red set
 * (migration 019: red_on up to its horizon, read newest first by its key, a
 * page's worth) and of the few items that turned red after the horizon (none
 * once the scheduler's day has run).  CROSS JOIN keeps SQLite reading the
 * set in its order; the "+" keeps it on the red_on range rather than every
 * item in id order.
 *
 * SHAPE_UNIT: no filter, for an actor who does not see every item: the
 * page's ids are the newest of each visibility rule's items (perm.h's
 * PERM_UNIT_IDS_SQL, a page's worth of each), so a unit with few items
 * does not walk the city's newer ones to find them. */
#define LIST_NEW_SQL(W)                                                                            \
    {                                                                                              \
        [SHAPE_ANY] = LIST_SELECT ITEM_FROM W " ORDER BY i.id DESC" LIST_PAGE,                     \
        [SHAPE_STATUS] =                                                                           \
            LIST_SELECT ITEM_FROM W " AND i.status = ?4 ORDER BY i.id DESC" LIST_PAGE,             \
        [SHAPE_KIND] = LIST_SELECT ITEM_FROM W " AND i.kind = ?3 ORDER BY i.id DESC" LIST_PAGE,    \
        [SHAPE_RED] = LIST_SELECT ITEM_FROM W " AND i.id IN (SELECT id FROM items WHERE red_on "   \
                                              "<= ?10) ORDER BY i.id DESC" LIST_PAGE,              \
        [SHAPE_RED_ONLY] = LIST_SELECT ITEM_FROM W                                                 \
            " AND i.id IN (SELECT id FROM (SELECT r.id FROM red_items r CROSS JOIN items x"        \
            " WHERE x.id = r.id AND x.red_on <= ?10 AND r.id < ?16 ORDER BY r.id DESC"             \
            " LIMIT ?14 + ?15) AS kept UNION SELECT id FROM items"                                 \
            " WHERE red_on > (SELECT day FROM red_horizon WHERE id = 1) AND red_on <= ?10"         \
            " AND +id < ?16) ORDER BY i.id DESC" LIST_PAGE,                                        \
        [SHAPE_UNIT] = LIST_SELECT ITEM_FROM ITEM_WHERE_UNIT(                                      \
            " ORDER BY id DESC LIMIT ?14 + ?15") " ORDER BY i.id DESC" LIST_PAGE,                  \
        [SHAPE_YELLOW] = LIST_SELECT ITEM_FROM W                                                   \
            " AND i.id IN (SELECT id FROM items WHERE lit_on <= ?19 AND red_on > ?10)"             \
            " ORDER BY i.id DESC" LIST_PAGE,                                                       \
        [SHAPE_TEXT] = LIST_SELECT " FROM items_fts JOIN items i ON i.id = items_fts.rowid"        \
                                   " LEFT JOIN units u ON u.id = i.lead_unit_id"                   \
                                   " LEFT JOIN users ld ON ld.id = i.leader_id" W                  \
                                   " AND items_fts MATCH ?17 AND items_fts.rowid < ?16"            \
                                   " ORDER BY items_fts.rowid DESC" LIST_PAGE,                     \
    }

#define LIST_SORT_SQL(W)                                                                           \
    {                                                                                              \
        [ITEM_SORT_LIGHT] = LIST_SELECT ITEM_FROM W " ORDER BY CASE " LIGHT_SQL(                   \
            "?10", "?11") " WHEN 'red' THEN 0"                                                     \
                          " WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END,"                  \
                          " i.deadline IS NULL, i.deadline, i.id DESC" LIST_PAGE,                  \
        [ITEM_SORT_DEADLINE] = LIST_SELECT ITEM_FROM W                                             \
            " ORDER BY i.deadline IS NULL, i.deadline, i.id DESC" LIST_PAGE                        \
    }

/* [1]: for an actor who sees every item; [2]: a small unit's (unit_ids) */
static const char *const list_new_sql[3][SHAPE_N] = {
    LIST_NEW_SQL(ITEM_WHERE), LIST_NEW_SQL(ITEM_WHERE_ALL), LIST_NEW_SQL(ITEM_WHERE_IDS)};
static const char *const list_sort_sql[3][ITEM_SORT_DEADLINE + 1] = {
    LIST_SORT_SQL(ITEM_WHERE), LIST_SORT_SQL(ITEM_WHERE_ALL), LIST_SORT_SQL(ITEM_WHERE_IDS)};

static const char *list_sql(const struct actor *a, const struct item_filter *f,
                            const struct list_ctx *c)
{
    /* another order sorts every match: one who does not see every item
     * sorts their unit's, never the city's */
    if (f->sort != ITEM_SORT_NEW) return list_sort_sql[actor_sees_all(a) ? 1 : 2][f->sort];
    if (c->only_unit) return list_new_sql[0][SHAPE_UNIT];
    int all = actor_sees_all(a) ? 1 : c->unit_ids ? 2 : 0;
    if (c->fts) return list_new_sql[all][SHAPE_TEXT];
    if (f->status) return list_new_sql[all][SHAPE_STATUS];
    if (f->kind) return list_new_sql[all][SHAPE_KIND];
    if (f->light && !strcmp(f->light, "red"))
        return c->only_light ? list_new_sql[all][SHAPE_RED_ONLY] : list_new_sql[all][SHAPE_RED];
    if (f->light && !strcmp(f->light, "yellow")) return list_new_sql[all][SHAPE_YELLOW];
    return list_new_sql[all][SHAPE_ANY];
}

const char *item_list_sql(struct db *db, const struct actor *a, const struct item_filter *f)
{
    struct list_ctx c;
    if (list_ctx_fill(db, a, f, &c) != DB_OK) c.unit_ids = 0;
    return list_sql(a, f, &c);
}

/* The list's statement for f, bound (the page: limit rows from offset);
 * NULL on error. */
static struct db_stmt *list_prepare(struct db *db, const struct actor *a,
                                    const struct item_filter *f, const struct list_ctx *c,
                                    int64_t limit, int64_t offset)
{
    struct db_stmt *st = db_prepare(db, list_sql(a, f, c));
    if (!st) return NULL;
    item_bind_filter(st, a, f, c->like, c->today, c->warn);
    if (c->fts) db_bind_text(st, 17, c->fts, (size_t)-1);
    db_bind_int64(st, 14, limit);
    db_bind_int64(st, 15, offset);
    return st;
}

/* Step the page's rows into out as JSON items; DB_DONE or an error. */
static int list_rows(struct db_stmt *st, struct buf *out)
{
    int rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n++) buf_putc(out, ',');
        item_row_write(out, st);
    }
    return rc;
}

/* item_list_write inside its read transaction. */
static int list_write(struct db *db, const struct actor *a, const struct item_filter *f,
                      struct buf *out, struct err *e)
{
    struct list_ctx c;
    int64_t total = 0;
    int bounded, rc = list_ctx_fill(db, a, f, &c);
    if (rc != DB_OK) return err_db(e, rc, "listing items");
    rc = item_count(db, a, f, &c, &total, &bounded);
    if (rc != DB_OK) return err_db(e, rc, "listing items");
    struct db_stmt *st = list_prepare(db, a, f, &c, f->limit, f->offset);
    if (!st) return err_db(e, DB_ERR, "listing items");
    size_t start = out->len;
    buf_puts(out, "{\"items\":[");
    rc = list_rows(st, out);
    db_finalize(st);
    if (rc != DB_DONE) {
        out->len = start;
        return err_db(e, rc, "listing items");
    }
    buf_printf(out, "],\"total_count\":%lld,", (long long)total);
    if (bounded) buf_puts(out, "\"total_count_bounded\":true,");
    buf_printf(out, "\"offset\":%lld,\"limit\":%lld}", (long long)f->offset, (long long)f->limit);
    return 0;
}

int item_list_write(struct db *db, const struct actor *a, const struct item_filter *f,
                    struct buf *out, struct err *e)
{
    /* the stamps, the count and the page from one snapshot, one lock */
    db_read_begin(db);
    int rc = list_write(db, a, f, out, e);
    db_read_end(db);
    return rc;
}

static const char *col_text_or_empty(struct db_stmt *st, int c)
{
    const char *s = db_column_is_null(st, c) ? NULL : db_column_text(st, c);
    return s ? s : "";
}

/* One list row (LIST_SELECT's columns) as an export row. */
static void list_row_read(struct db_stmt *st, struct item_list_row *r)
{
    *r = (struct item_list_row){.id = db_column_int64(st, 0),
                                .kind = col_text_or_empty(st, 1),
                                .title = col_text_or_empty(st, 2),
                                .status = col_text_or_empty(st, 4),
                                .source = col_text_or_empty(st, 5),
                                .lead_name = col_text_or_empty(st, 8),
                                .deadline = col_text_or_empty(st, 10),
                                .cycle = col_text_or_empty(st, 11),
                                .has_target = !db_column_is_null(st, 12),
                                .target = db_column_double(st, 12),
                                .unit = col_text_or_empty(st, 13),
                                .has_value = !db_column_is_null(st, 14),
                                .value = db_column_double(st, 14),
                                .progress = (int)db_column_int64(st, 15),
                                .created_at = db_column_int64(st, 16),
                                .light = col_text_or_empty(st, 21)};
}

/* item_list_each inside its read transaction. */
static int list_each(struct db *db, const struct actor *a, const struct item_filter *f, int64_t max,
                     int (*row)(void *, const struct item_list_row *, struct err *), void *ctx,
                     struct err *e)
{
    struct list_ctx c;
    int rc = list_ctx_fill(db, a, f, &c);
    if (rc != DB_OK) return err_db(e, rc, "listing items");
    struct db_stmt *st = list_prepare(db, a, f, &c, max, 0);
    if (!st) return err_db(e, DB_ERR, "listing items");
    int stop = 0;
    rc = DB_DONE;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        struct item_list_row r;
        list_row_read(st, &r);
        stop = row(ctx, &r, e);
    }
    db_finalize(st);
    if (stop) return -1;
    return rc == DB_DONE ? 0 : err_db(e, rc, "listing items");
}

int item_list_each(struct db *db, const struct actor *a, const struct item_filter *f, int64_t max,
                   int (*row)(void *ctx, const struct item_list_row *r, struct err *e), void *ctx,
                   struct err *e)
{
    db_read_begin(db);
    int rc = list_each(db, a, f, max, row, ctx, e);
    db_read_end(db);
    return rc;
}

json_t *item_list_json(struct db *db, const struct actor *a, const struct item_filter *f,
                       struct err *e)
{
    struct buf b;
    buf_init(&b, 0);
    json_t *v = item_list_write(db, a, f, &b, e) ? NULL : json_loadb(b.data, b.len, 0, NULL);
    buf_free(&b);
    return v;
}

static int filter_int(const char *(*get)(void *, const char *), void *ctx, const char *name,
                      int64_t min, int64_t max, int64_t *out, struct err *e)
{
    const char *v = get(ctx, name);
    if (!v) return 0;
    if (str_to_int64(v, strlen(v), out) || *out < min || *out > max)
        return err_set(e, 422, "invalid_parameter", "'%s' must be an integer from %lld to %lld",
                       name, (long long)min, (long long)max);
    return 0;
}

/* An optional date parameter: absent or empty is NULL, else a real
 * YYYY-MM-DD (422 otherwise). */
static int filter_date(const char *(*get)(void *, const char *), void *ctx, const char *name,
                       const char **out, struct err *e)
{
    int32_t day;
    const char *v = get(ctx, name);
    *out = v && *v ? v : NULL;
    if (*out && date_parse(*out, strlen(*out), &day))
        return err_set(e, 422, "invalid_parameter", "'%s' must be a date as YYYY-MM-DD", name);
    return 0;
}

static int filter_sort(const char *(*get)(void *, const char *), void *ctx, struct item_filter *f,
                       struct err *e)
{
    static const char *const names[] = {
        [ITEM_SORT_NEW] = "new", [ITEM_SORT_LIGHT] = "light", [ITEM_SORT_DEADLINE] = "deadline"};
    const char *v = get(ctx, "sort");
    if (!v || !*v) return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(v, names[i])) {
            f->sort = (enum item_sort)i;
            return 0;
        }
    return err_set(e, 422, "invalid_parameter", "'sort' must be new, light or deadline");
}

int item_filter_parse(const char *(*get)(void *ctx, const char *name), void *ctx,
                      struct item_filter *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    f->limit = 25;
    f->kind = get(ctx, "kind");
    f->status = get(ctx, "status");
    f->light = get(ctx, "light");
    f->q = get(ctx, "q");
    f->source = get(ctx, "source");
    if (f->kind && !*f->kind) f->kind = NULL;
    if (f->status && !*f->status) f->status = NULL;
    if (f->light && !*f->light) f->light = NULL;
    if (f->source && !*f->source) f->source = NULL;
    if (f->q && !*f->q) f->q = NULL;
    if (f->kind && !kind_find(f->kind))
        return err_set(e, 422, "invalid_parameter", "unknown kind '%s'", f->kind);
    if (f->status && !lifecycle_status_valid(f->status))
        return err_set(e, 422, "invalid_parameter", "unknown status '%s'", f->status);
    if (f->light && !light_valid(f->light))
        return err_set(e, 422, "invalid_parameter", "light must be green, yellow, red or none");
    if (f->q && strlen(f->q) > 200)
        return err_set(e, 422, "invalid_parameter", "'q' may have at most 200 bytes");
    if (filter_date(get, ctx, "deadline_from", &f->deadline_from, e) ||
        filter_date(get, ctx, "deadline_to", &f->deadline_to, e) || filter_sort(get, ctx, f, e))
        return -1;
    if (filter_int(get, ctx, "unit", 1, INT64_MAX, &f->unit_id, e) ||
        filter_int(get, ctx, "parent", 1, INT64_MAX, &f->parent_id, e) ||
        filter_int(get, ctx, "leader", 1, INT64_MAX, &f->leader_id, e) ||
        filter_int(get, ctx, "offset", 0, 1000000000, &f->offset, e) ||
        filter_int(get, ctx, "limit", 1, 100, &f->limit, e) ||
        filter_int(get, ctx, "after", 1, INT64_MAX, &f->after, e))
        return -1;
    if (f->after && f->sort != ITEM_SORT_NEW)
        return err_set(e, 422, "invalid_parameter", "'after' pages the newest first (sort=new)");
    return 0;
}

/* item_counts_json for an actor who sees every item: from the kept counts. */
static json_t *item_counts_kept(struct db *db, const char *today, const char *warn, struct err *e)
{
    int64_t n[4];
    int rc = item_count_lights(db, today, warn, n);
    if (rc != DB_OK) {
        err_db(e, rc, "counting items");
        return NULL;
    }
    int64_t drafts = 0;
    rc = item_count_tally(db, NULL, "draft", 0, &drafts);
    if (rc != DB_OK) return err_db(e, rc, "counting items"), NULL;
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "green", (json_int_t)n[ITEM_LIGHT_GREEN],
                     "yellow", (json_int_t)n[ITEM_LIGHT_YELLOW], "red",
                     (json_int_t)n[ITEM_LIGHT_RED], "none", (json_int_t)n[ITEM_LIGHT_NONE], "total",
                     (json_int_t)(n[0] + n[1] + n[2] + n[3]), "draft", (json_int_t)drafts);
}

json_t *item_counts_json(struct db *db, const struct actor *a, struct err *e)
{
    char today[11], warn[11];
    light_dates(db, today, warn);
    if (actor_sees_all(a)) return item_counts_kept(db, today, warn, e);
    struct db_stmt *st = db_prepare(
        db, "SELECT " LIGHT_SQL("?3", "?4") " AS l, count(*), sum(CASE WHEN i.status = 'draft'"
                                            " THEN 1 ELSE 0 END) FROM items i WHERE "
                                            " ?1 = ?1 AND i.id IN " PERM_UNIT_IDS_SQL(
                                                PERM_NO_BOUND, "") " GROUP BY l");
    if (!st) {
        err_db(e, DB_ERR, "counting items");
        return NULL;
    }
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_text(st, 3, today, (size_t)-1);
    db_bind_text(st, 4, warn, (size_t)-1);
    json_t *o = json_pack("{s:i,s:i,s:i,s:i}", "green", 0, "yellow", 0, "red", 0, "none", 0);
    json_int_t total = 0, drafts = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        total += db_column_int64(st, 1);
        drafts += db_column_int64(st, 2);
        json_object_set_new(o, db_column_text(st, 0), json_integer(db_column_int64(st, 1)));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(o);
        err_db(e, rc, "counting items");
        return NULL;
    }
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "draft", json_integer(drafts));
    return o;
}
