/* hazard_act.c — triage and the hazard's steps of the loop.  See
 * hazard_act.h.  Whether a step may happen at all is the lifecycle table's;
 * the generic step (action.c) runs between a hazard's before and after. */
#include "core/hazard_act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hazard_route.h"
#include "core/hazard_category.h"
#include "core/hazard_photo.h"
#include "core/lifecycle.h"
#include "core/unit.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

static const char *const plan_parts[] = {"targets",     "measures",   "funds",
                                         "responsible", "time_limit", "safety"};
/* their names in the city's words, for the Chinese text of plan_required */
static const char *const plan_parts_zh[] = {"目标和任务",     "方法和措施", "经费和物资",
                                            "责任机构和人员", "时限和要求", "安全措施和应急预案"};
#define PLAN_PARTS    6
#define PLAN_PART_MAX 2000

/* The six-part plan: an object with every part a non-empty string. */
static int plan_check(json_t *plan, struct err *e)
{
    if (!json_is_object(plan))
        return err_set(e, 422, "invalid_field", "'plan' must be an object of the six parts");
    const char *key;
    json_t *v;
    json_object_foreach(plan, key, v)
    {
        int k = 0;
        while (k < PLAN_PARTS && strcmp(key, plan_parts[k]))
            k++;
        if (k == PLAN_PARTS)
            return err_set(e, 422, "invalid_field", "the plan has no part '%.40s'", key);
        if (!json_is_string(v) ||
            utf8_count(json_string_value(v), json_string_length(v)) > PLAN_PART_MAX)
            return err_set(e, 422, "invalid_field",
                           "plan part '%s' must be text of at most %d"
                           " characters",
                           key, PLAN_PART_MAX);
    }
    return 0;
}

/* The number of the six parts the stored plan is missing (6 when none),
 * their names into names and, in Chinese, into zh (len bytes each). */
static int plan_missing(const char *text, char *names, char *zh, size_t len)
{
    json_t *plan = text ? json_loads(text, 0, NULL) : NULL;
    int missing = 0;
    size_t used = 0, used_zh = 0;
    names[0] = zh[0] = '\0';
    for (int k = 0; k < PLAN_PARTS; k++) {
        const char *v = json_string_value(json_object_get(plan, plan_parts[k]));
        size_t i = 0;
        while (v && (v[i] == ' ' || v[i] == '\n' || v[i] == '\t'))
            i++;
        if (v && v[i]) continue;
        missing++;
        int n = snprintf(names + used, len - used, "%s%s", used ? ", " : "", plan_parts[k]);
        if (n > 0 && (size_t)n < len - used) used += (size_t)n;
        n = snprintf(zh + used_zh, len - used_zh, "%s%s", used_zh ? "、" : "", plan_parts_zh[k]);
        if (n > 0 && (size_t)n < len - used_zh) used_zh += (size_t)n;
    }
    json_decref(plan);
    return missing;
}

/* The triage columns of a hazard. */
struct hz_state {
    int64_t category_id, grid, place, proposed;
    char level[16];
    char *plan; /* owned */
};

static int hz_load(struct db *db, int64_t id, struct hz_state *s)
{
    struct db_stmt *st = db_prepare(db, "SELECT category_id, level, grid_unit_id, place_unit_id,"
                                        " proposed_unit_id, plan FROM hazards WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    memset(s, 0, sizeof *s);
    if (rc == DB_ROW) {
        s->category_id = db_column_int64(st, 0);
        snprintf(s->level, sizeof s->level, "%s",
                 db_column_is_null(st, 1) ? "" : db_column_text(st, 1));
        s->grid = db_column_int64(st, 2);
        s->place = db_column_int64(st, 3);
        s->proposed = db_column_int64(st, 4);
        s->plan = db_column_is_null(st, 5) ? NULL : xstrdup(db_column_text(st, 5));
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

static int hz_store(struct db *db, int64_t id, const struct hz_state *s)
{
    struct db_stmt *st = db_prepare(db, "UPDATE hazards SET category_id = ?2, level = ?3,"
                                        " proposed_unit_id = ?4, plan = ?5 WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    if (s->category_id)
        db_bind_int64(st, 2, s->category_id);
    else
        db_bind_null(st, 2);
    if (s->level[0])
        db_bind_text(st, 3, s->level, (size_t)-1);
    else
        db_bind_null(st, 3);
    if (s->proposed)
        db_bind_int64(st, 4, s->proposed);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, s->plan, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Triage's fields into s; *recat set when the category changed. */
static int triage_fields(struct db *db, json_t *body, json_t *data, struct hz_state *s, int *recat,
                         struct err *e)
{
    json_t *v = json_object_get(body, "level");
    if (v && !json_is_null(v)) {
        const char *l = json_string_value(v);
        if (!l || (strcmp(l, "general") && strcmp(l, "major")))
            return err_set(e, 422, "invalid_field", "'level' must be general or major");
        snprintf(s->level, sizeof s->level, "%s", l);
        json_object_set(data, "level", v);
    }
    v = json_object_get(body, "category");
    if (v && !json_is_null(v)) {
        int64_t cat = json_is_string(v) ? hazard_category_id(db, json_string_value(v)) : 0;
        if (cat < 0) return err_db(e, (int)cat, "reading categories");
        if (!cat) return err_set(e, 422, "invalid_field", "'category' must be a category's code");
        *recat = s->category_id && cat != s->category_id;
        s->category_id = cat;
        json_object_set(data, "category", v);
    }
    v = json_object_get(body, "plan");
    if (v && !json_is_null(v)) {
        if (plan_check(v, e)) return -1;
        free(s->plan);
        s->plan = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
        json_object_set(data, "plan", v);
    }
    return 0;
}

/* Triage's deadline and lead unit (*lead 0 and deadline "" when not given). */
static int triage_target(struct db *db, json_t *body, int64_t *lead, char deadline[11],
                         struct err *e)
{
    int32_t day;
    json_t *v = json_object_get(body, "deadline");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v) || date_parse(json_string_value(v), json_string_length(v), &day))
            return err_set(e, 422, "invalid_field", "'deadline' must be a real date as YYYY-MM-DD");
        date_format(day, deadline);
    }
    v = json_object_get(body, "lead_unit_id");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return err_set(e, 422, "invalid_field", "'lead_unit_id' must be a positive integer id");
    int rc = unit_exists(db, json_integer_value(v));
    if (rc < 0) return err_db(e, rc, "checking units");
    if (!rc)
        return err_set(e, 422, "invalid_field", "no unit with id %lld",
                       (long long)json_integer_value(v)),
               err_detail(e, "unit");
    *lead = json_integer_value(v);
    return 0;
}

/* Routing's proposal for the category: recorded, and the lead unit when none
 * was given (re-routed when the category changed). */
static int triage_route(struct db *db, struct hz_state *s, int recat, int64_t *lead, json_t *data,
                        struct err *e)
{
    if (!s->category_id) return 0;
    int64_t proposed = 0;
    int rc = hazard_route_propose(db, s->category_id, s->grid, s->place, &proposed);
    if (rc < 0) return err_db(e, rc, "routing");
    if (rc && proposed != s->proposed)
        json_object_set_new(data, "proposed_unit_id", json_integer(proposed));
    else if (!rc && s->proposed) /* no rule applies any more */
        json_object_set_new(data, "proposed_unit_id", json_null());
    s->proposed = rc ? proposed : 0;
    if (!*lead && s->proposed) {
        *lead = s->proposed;
        if (recat) json_object_set_new(data, "rerouted", json_true());
    }
    return 0;
}

/* The name of category id into out ("" when none). */
static void category_name(struct db *db, int64_t id, char *out, size_t n)
{
    out[0] = '\0';
    struct db_stmt *st = db_prepare(db, "SELECT name FROM hazard_categories WHERE id = ?1");
    if (!st) return;
    db_bind_int64(st, 1, id);
    if (db_step(st) == DB_ROW) snprintf(out, n, "%s", db_column_text(st, 0));
    db_finalize(st);
}

/* A re-categorised hazard's default title ("消防隐患：…", hazard_input.c)
 * names the new category; a title someone wrote stays. */
static void triage_title(struct kind_act *x, int64_t from, int64_t to)
{
    char old[64], now[64], prefix[80];
    category_name(x->db, from, old, sizeof old);
    category_name(x->db, to, now, sizeof now);
    snprintf(prefix, sizeof prefix, "%s隐患：", old);
    size_t n = strlen(prefix);
    if (!old[0] || !now[0] || strncmp(x->title, prefix, n)) return;
    char title[KIND_TITLE_BYTES];
    snprintf(title, sizeof title, "%s隐患：%s", now, x->title + n);
    snprintf(x->title, sizeof x->title, "%s", title);
}

int hazard_triage(struct kind_act *x, struct err *e)
{
    struct hz_state s;
    int rc = hz_load(x->db, x->id, &s), recat = 0, ret = -1;
    if (rc != DB_OK) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading the hazard");
    int64_t lead = 0, was = s.category_id;
    char deadline[11] = "";
    if (!triage_fields(x->db, x->body, x->data, &s, &recat, e) &&
        !triage_target(x->db, x->body, &lead, deadline, e) &&
        !triage_route(x->db, &s, recat, &lead, x->data, e)) {
        rc = hz_store(x->db, x->id, &s);
        ret = rc == DB_OK ? 0 : err_db(e, rc, "triaging");
    }
    free(s.plan);
    if (ret) return ret;
    if (lead) x->lead_unit_id = lead;
    if (deadline[0]) snprintf(x->deadline, sizeof x->deadline, "%s", deadline);
    if (recat) triage_title(x, was, s.category_id);
    return 0;
}

/* Run st, an UPDATE of one column of the hazard row (?1 the item, ?2 the
 * value: text when text is set, else v, NULL when 0).  A db code. */
static int hz_set(struct db_stmt *st, int64_t id, int64_t v, const char *text)
{
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    if (text)
        db_bind_text(st, 2, text, (size_t)-1);
    else if (v)
        db_bind_int64(st, 2, v);
    else
        db_bind_null(st, 2);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int hazard_assign_check(struct kind_act *x, struct err *e)
{
    struct hz_state s;
    int rc = hz_load(x->db, x->id, &s);
    if (rc != DB_OK) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading the hazard");
    char missing[192], missing_zh[192];
    int ret = 0, n = plan_missing(s.plan, missing, missing_zh, sizeof missing_zh);
    if (!s.level[0] || !s.category_id)
        ret = err_set(e, 409, "triage_required",
                      "triage the hazard first: it needs a level and a category");
    else if (!strcmp(s.level, "major") && n) {
        ret = err_set(e, 409, "plan_required",
                      "a major hazard needs the six-part remediation plan before assignment;"
                      " missing: %s",
                      missing);
        err_subject(e, missing_zh);
    }
    free(s.plan);
    return ret;
}

int hazard_assign_list(struct kind_act *x, struct err *e)
{
    /* 挂牌督办: a major hazard's listing is recorded once, as escalation level 3 */
    int64_t now = time_now_ms(), n = 0;
    int rc = db_query_int64(x->db,
                            "SELECT count(*) FROM hazards WHERE item_id = ?1 AND level = 'major'"
                            " AND listed_at IS NULL",
                            1, x->id, &n);
    if (rc != DB_OK) return err_db(e, rc, "listing");
    if (!n) return 0;
    rc = hz_set(db_prepare(x->db, "UPDATE hazards SET listed_at = ?2 WHERE item_id = ?1"), x->id,
                now, NULL);
    struct db_stmt *st = rc == DB_OK ? db_prepare(x->db, "INSERT INTO escalations (item_id,"
                                                         " user_id, at, level, text) VALUES (?1,"
                                                         " ?2, ?3, 3, '重大隐患挂牌督办')")
                                     : NULL;
    if (!st) return err_db(e, rc == DB_OK ? DB_ERR : rc, "listing");
    db_bind_int64(st, 1, x->id);
    if (x->a->user_id)
        db_bind_int64(st, 2, x->a->user_id);
    else
        db_bind_null(st, 2);
    db_bind_int64(st, 3, now);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "listing");
    json_object_set_new(x->data, "listed", json_true());
    json_object_set_new(x->data, "listed_at", json_integer(now));
    x->escalation = 3;
    return 0;
}

/* The submit's own photos (body "photos": base64 JPEG or PNG, at most
 * HAZARD_PHOTOS_MAX), each stored as an after-photo with its photo event
 * ahead of the submit's. */
static int submit_photos(struct kind_act *x, struct err *e)
{
    json_t *list = json_object_get(x->body, "photos");
    if (!list || json_is_null(list)) return 0;
    if (!json_is_array(list) || json_array_size(list) > HAZARD_PHOTOS_MAX)
        return err_set(e, 422, "invalid_field", "'photos' must be an array of at most %d images",
                       HAZARD_PHOTOS_MAX);
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        unsigned char *bin = NULL;
        size_t n = 0;
        int64_t photo_id;
        if (!json_is_string(p) ||
            str_unbase64(json_string_value(p), json_string_length(p), HAZARD_PHOTO_MAX, &bin, &n))
            return err_set(e, 422, "invalid_photo", "photo %zu is not base64 of at most %d bytes",
                           i + 1, HAZARD_PHOTO_MAX);
        int ret = hazard_photo_upload(x->db, x->a, x->id, "after", bin, n, &photo_id, e);
        free(bin);
        if (ret) return -1;
    }
    return 0;
}

/* How many after-photos were added since the item was last sent back
 * (reject or return; *since the seq of that event, 0 when never), counted
 * by their photo events: a resubmission needs a photo of the site as it is
 * now, not one from before the rework. */
static int photos_since_rework(struct db *db, int64_t id, int64_t *since, int64_t *n)
{
    int rc = db_query_int64(db,
                            "SELECT coalesce(max(seq), 0) FROM events WHERE item_id = ?1"
                            " AND action IN ('reject', 'return')",
                            1, id, since);
    struct db_stmt *st = rc == DB_OK ? db_prepare(db, "SELECT data FROM events WHERE item_id = ?1"
                                                      " AND seq > ?2 AND action = 'photo'")
                                     : NULL;
    if (!st) return rc == DB_OK ? DB_ERR : rc;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, *since);
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *d = json_loads(db_column_text(st, 0), 0, NULL);
        const char *phase = json_string_value(json_object_get(d, "phase"));
        if (phase && !strcmp(phase, "after")) ++*n;
        json_decref(d);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int hazard_submit_check(struct kind_act *x, struct err *e)
{
    if (submit_photos(x, e)) return -1;
    int64_t photos = 0, sent_back = 0, since = 0;
    int rc = db_query_int64(x->db,
                            "SELECT count(*) FROM hazard_photos WHERE item_id = ?1"
                            " AND phase = 'after'",
                            1, x->id, &photos);
    if (rc == DB_OK) rc = photos_since_rework(x->db, x->id, &sent_back, &since);
    if (rc != DB_OK) return err_db(e, rc, "reading photos");
    if (!sent_back) since = photos; /* never sent back: every after-photo is this work's */
    if (!since && photos)
        return err_set(e, 409, "photo_required",
                       "the rectification was sent back: upload a new photo of the rectified site"
                       " (phase after) before submitting again"),
               err_detail(e, "rework");
    if (!since)
        return err_set(e, 409, "photo_required",
                       "upload a photo of the rectified site (phase after) before submitting");
    json_object_set_new(x->data, "after_photos", json_integer(photos));
    return 0;
}

int hazard_submit_record(struct kind_act *x, struct err *e)
{
    int64_t days = 10;
    struct db_stmt *st =
        db_prepare(x->db, "SELECT value FROM settings WHERE key = 'hazard.acceptance_days'");
    if (st && db_step(st) == DB_ROW) {
        int64_t v;
        const char *s = db_column_text(st, 0);
        if (!str_to_int64(s, strlen(s), &v) && v > 0 && v < 366) days = v;
    }
    db_finalize(st);
    char today[11], due[11];
    date_format(time_today(), today);
    date_format(time_today() + (int32_t)days, due);
    int rc = hz_set(db_prepare(x->db, "UPDATE hazards SET submitted_on = ?2 WHERE item_id = ?1"),
                    x->id, 0, today);
    if (rc == DB_OK)
        rc = hz_set(db_prepare(x->db, "UPDATE hazards SET acceptance_due = ?2 WHERE item_id = ?1"),
                    x->id, 0, due);
    if (rc != DB_OK) return err_db(e, rc, "submitting");
    json_object_set_new(x->data, "acceptance_due", json_string(due));
    json_object_set_new(x->data, "submitted_on", json_string(today));
    return 0;
}

static int hz_close(struct db *db, int64_t id, json_t *data, int verify, struct err *e)
{
    int64_t now = time_now_ms(), listed = 0;
    int rc = hz_set(db_prepare(db, "UPDATE hazards SET closed_at = ?2 WHERE item_id = ?1"), id, now,
                    NULL);
    if (rc == DB_OK && verify)
        rc = db_query_int64(db,
                            "SELECT count(*) FROM hazards WHERE item_id = ?1"
                            " AND listed_at IS NOT NULL AND delisted_at IS NULL",
                            1, id, &listed);
    json_object_set_new(data, "closed_at", json_integer(now));
    if (rc == DB_OK && listed) {
        rc = hz_set(db_prepare(db, "UPDATE hazards SET delisted_at = ?2 WHERE item_id = ?1"), id,
                    now, NULL);
        json_object_set_new(data, "delisted", json_true()); /* 摘牌 */
        json_object_set_new(data, "delisted_at", json_integer(now));
    }
    return rc == DB_OK ? 0 : err_db(e, rc, "closing the hazard");
}

static int hz_duplicate(struct db *db, int64_t id, json_t *body, json_t *data, struct err *e)
{
    json_t *v = json_object_get(body, "duplicate_of");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) == id)
        return err_set(e, 422, "invalid_field", "'duplicate_of' must be another hazard's id");
    int64_t orig = json_integer_value(v), n = 0;
    /* the original is a hazard that is not itself a duplicate: links stay one deep */
    int rc = db_query_int64(db,
                            "SELECT count(*) FROM hazards WHERE item_id = ?1"
                            " AND duplicate_of IS NULL",
                            1, orig, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading the original");
    if (!n)
        return err_set(e, 422, "invalid_field", "item %lld is not an original hazard",
                       (long long)orig);
    rc = hz_set(db_prepare(db, "UPDATE hazards SET duplicate_of = ?2 WHERE item_id = ?1"), id, orig,
                NULL);
    if (rc != DB_OK) return err_db(e, rc, "linking the duplicate");
    json_object_set(data, "duplicate_of", v);
    return 0;
}

int hazard_verify_may(struct kind_act *x, struct err *e)
{
    if (x->role != LC_GRID) return 0; /* the office verifies every hazard */
    int64_t major = 0;
    int rc =
        db_query_int64(x->db, "SELECT count(*) FROM hazards WHERE item_id = ?1 AND level = 'major'",
                       1, x->id, &major);
    if (rc != DB_OK) return err_db(e, rc, "reading the hazard");
    if (major)
        return err_set(e, 403, "forbidden",
                       "a major hazard is accepted and delisted by the office; the grid"
                       " may send it back"),
               err_detail(e, "delist");
    return 0;
}

int hazard_urge_may(struct kind_act *x, struct err *e)
{
    if (strcmp(x->from, "submitted")) return 0;
    char today[11];
    date_format(time_today(), today);
    struct db_stmt *st = db_prepare(x->db, "SELECT count(*) FROM hazards WHERE item_id = ?1"
                                           " AND level = 'major' AND acceptance_due < ?2");
    if (!st) return err_db(e, DB_ERR, "reading the hazard");
    db_bind_int64(st, 1, x->id);
    db_bind_text(st, 2, today, strlen(today));
    int rc = db_step(st);
    int64_t late = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "reading the hazard");
    if (!late)
        return err_set(e, 409, "invalid_transition",
                       "a submitted hazard is urged only when it is major and its acceptance"
                       " (acceptance_due) has passed"),
               err_detail(e, "acceptance");
    return 0;
}

int hazard_verify_close(struct kind_act *x, struct err *e)
{
    return hz_close(x->db, x->id, x->data, 1, e);
}

int hazard_cancel_check(struct kind_act *x, struct err *e)
{
    return hz_duplicate(x->db, x->id, x->body, x->data, e);
}

int hazard_cancel_close(struct kind_act *x, struct err *e)
{
    return hz_close(x->db, x->id, x->data, 0, e);
}
