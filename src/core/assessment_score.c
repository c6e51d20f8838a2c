/* assessment_score.c — the yearly score of each assessed unit (see
 * assessment.h): the automatic entries read from the deductions ledger, the
 * escalations and the events of the city-local year, the manual entries of
 * assessment_entries for that year, summed over the year's base and ranked
 * within each kind of unit.  Everything is computed on each call from what
 * is stored, so the score can never disagree with its entries; what keeps
 * a rendering keys it by assessment_stamp (score_stamp, migration 019), and
 * so do the last few rankings kept here (assessment_window_scores_json). */
#include "core/assessment.h"

#include "core/consequence.h"
#include "core/light.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/time.h"

#define DAY_MS 86400000LL

/* What the entries add to: deducted, added (bonuses), evaluation. */
enum { SUM_DEDUCTED, SUM_ADDED, SUM_EVALUATION, SUMS };

struct unit_score {
    int64_t id;
    int kind_order;
    double sum[SUMS], score;
    int rank, rank_of;
    json_t *row; /* the unit's output object, entries included */
};

struct scores {
    struct unit_score *u;
    size_t n;
    struct assessment_rules rules;
    int64_t ylo, yhi; /* the year's first and next year's first millisecond */
    int64_t lo, hi;   /* the window's: what happened in [lo, hi) counts */
    int64_t want;     /* whose entries are built: -1 every unit's, 0 none, else that unit's */
};

/* Whether unit's entries are built (the sums are, always). */
static int wanted(const struct scores *s, int64_t unit)
{
    return s->want < 0 || s->want == unit;
}

static int kind_order(const char *kind)
{
    return !strcmp(kind, "department") ? 0 : !strcmp(kind, "taskforce") ? 1 : 2;
}

static struct unit_score *unit_of(struct scores *s, int64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->u[i].id == id) return &s->u[i];
    return NULL;
}

/* Add points to unit's sum, and entry (stolen; NULL: none built) to its
 * entries when they are wanted. */
static void entry_add(struct scores *s, int64_t unit, int sum, double points, json_t *entry)
{
    struct unit_score *u = unit_of(s, unit);
    if (u) u->sum[sum] += points;
    if (u && entry && wanted(s, unit))
        json_array_append_new(json_object_get(u->row, "entries"), entry);
    else
        json_decref(entry);
}

static int units_load(struct db *db, struct scores *s)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, code, name, kind FROM units"
                                        " WHERE kind IN ('department','taskforce','town')"
                                        " ORDER BY code");
    if (!st) return DB_ERR;
    int rc;
    size_t cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (s->n == cap) s->u = xrealloc(s->u, (cap = cap ? 2 * cap : 16) * sizeof *s->u);
        struct unit_score *u = &s->u[s->n++];
        memset(u, 0, sizeof *u);
        u->id = db_column_int64(st, 0);
        u->kind_order = kind_order(db_column_text(st, 3));
        u->row = json_pack("{s:I,s:s,s:s,s:s,s:[],s:[]}", "unit_id", (json_int_t)u->id, "unit_code",
                           db_column_text(st, 1), "unit_name", db_column_text(st, 2), "unit_kind",
                           db_column_text(st, 3), "entries", "consequences");
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The base of an automatic entry: source, rule, points, at, item. */
static json_t *auto_entry(const char *rule, double points, int64_t at, int64_t item,
                          const char *title)
{
    char iso[40];
    time_format_iso(at, iso, sizeof iso);
    return json_pack("{s:s,s:s,s:f,s:s,s:I,s:s}", "source", "auto", "rule", rule, "points", points,
                     "at", iso, "item_id", (json_int_t)item, "item_title", title);
}

/* The ledger's rows (overdue, late_feedback): the year's rule when set,
 * else the points each row recorded. */
static int add_ledger(struct db *db, struct scores *s)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT d.unit_id, d.item_id, i.title, d.rule, d.ref, d.points, d.at"
                       " FROM deductions d JOIN items i ON i.id = d.item_id"
                       " WHERE d.at >= ?1 AND d.at < ?2 ORDER BY d.at, d.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, s->lo);
    db_bind_int64(st, 2, s->hi);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *rule = db_column_text(st, 3);
        int k = !strcmp(rule, "overdue") ? ASSESS_OVERDUE : ASSESS_LATE_FEEDBACK;
        double points = s->rules.set[k] ? s->rules.points[k] : db_column_double(st, 5);
        if (points == 0) continue;
        int64_t unit = db_column_int64(st, 0);
        json_t *en = NULL;
        if (wanted(s, unit)) {
            en = auto_entry(rule, points, db_column_int64(st, 6), db_column_int64(st, 1),
                            db_column_text(st, 2));
            json_object_set_new(en, "ref", json_string(db_column_text(st, 4)));
        }
        entry_add(s, unit, SUM_DEDUCTED, points, en);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Each escalation of the year: the points of the level it reached. */
static int add_escalations(struct db *db, struct scores *s)
{
    static const int rule[] = {0, ASSESS_ESCALATION_GENERAL, ASSESS_ESCALATION_KEY,
                               ASSESS_ESCALATION_LISTED};
    struct db_stmt *st = db_prepare(
        db, "SELECT i.lead_unit_id, e.item_id, i.title, e.level, e.at"
            " FROM escalations e JOIN items i ON i.id = e.item_id"
            " WHERE e.at >= ?1 AND e.at < ?2 AND i.lead_unit_id IS NOT NULL ORDER BY e.at, e.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, s->lo);
    db_bind_int64(st, 2, s->hi);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int level = (int)db_column_int64(st, 3);
        if (level < 1 || level > 3) continue;
        int k = rule[level];
        double points = s->rules.points[k];
        if (points == 0) continue;
        int64_t unit = db_column_int64(st, 0);
        json_t *en = NULL;
        if (wanted(s, unit)) {
            en = auto_entry(assessment_rule_defs()[k].name, points, db_column_int64(st, 4),
                            db_column_int64(st, 1), db_column_text(st, 2));
            json_object_set_new(en, "level", json_integer(level));
        }
        entry_add(s, unit, SUM_DEDUCTED, points, en);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The rule an event counts for: a reject, or an unsatisfied rating; else -1. */
static int event_rule(const char *action, const char *data)
{
    if (!strcmp(action, "reject")) return ASSESS_REJECTED;
    json_t *d = json_loads(data, 0, NULL);
    const char *rating = json_string_value(json_object_get(d, "rating"));
    int k = rating && !strcmp(rating, "unsatisfied") ? ASSESS_UNSATISFIED : -1;
    json_decref(d);
    return k;
}

static int add_events(struct db *db, struct scores *s)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT i.lead_unit_id, ev.item_id, i.title, ev.action, ev.data, ev.at, ev.id"
            " FROM events ev JOIN items i ON i.id = ev.item_id"
            " WHERE ev.action IN ('reject','rate') AND ev.at >= ?1 AND ev.at < ?2"
            " AND i.lead_unit_id IS NOT NULL ORDER BY ev.at, ev.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, s->lo);
    db_bind_int64(st, 2, s->hi);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int k = event_rule(db_column_text(st, 3), db_column_text(st, 4));
        if (k < 0 || s->rules.points[k] == 0) continue;
        double points = s->rules.points[k];
        int64_t unit = db_column_int64(st, 0);
        json_t *en = NULL;
        if (wanted(s, unit)) {
            en = auto_entry(assessment_rule_defs()[k].name, points, db_column_int64(st, 5),
                            db_column_int64(st, 1), db_column_text(st, 2));
            json_object_set_new(en, "event_id", json_integer(db_column_int64(st, 6)));
        }
        entry_add(s, unit, SUM_DEDUCTED, points, en);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The day an accept at accept_ms answering an assignment at assign_ms is
 * late to the 签收 limit: 1 late, 0 not. */
static int signed_late(const struct light_accept *acc, int64_t assign_ms, int64_t accept_ms)
{
    int32_t due = calendar_add_working_days(&acc->cal, time_day_of(assign_ms), acc->working_days);
    return time_day_of(accept_ms) > due;
}

/* The entry of a late signing: a row of add_late_signing's statement. */
static json_t *late_entry(struct db_stmt *st, double points)
{
    json_t *en = auto_entry("late_signing", points, db_column_int64(st, 3), db_column_int64(st, 1),
                            db_column_text(st, 2));
    json_object_set_new(en, "event_id", json_integer(db_column_int64(st, 4)));
    char ref[11];
    date_format(time_day_of(db_column_int64(st, 5)), ref);
    json_object_set_new(en, "ref", json_string(ref));
    return en;
}

/* Each accept of the window later than the 签收 limit of the assignment it
 * answered (the item's last assign before it). */
static int add_late_signing(struct db *db, struct scores *s)
{
    double points = s->rules.points[ASSESS_LATE_SIGNING];
    if (points == 0) return DB_OK;
    struct light_accept acc;
    int rc = light_accept_load(db, &acc);
    struct db_stmt *st =
        rc != DB_OK ? NULL
                    : db_prepare(db, "SELECT i.lead_unit_id, ev.item_id, i.title, ev.at, ev.id,"
                                     " (SELECT max(a.at) FROM events a WHERE a.item_id = ev.item_id"
                                     "  AND a.action = 'assign' AND a.seq < ev.seq)"
                                     " FROM events ev JOIN items i ON i.id = ev.item_id"
                                     " WHERE ev.action = 'accept' AND ev.at >= ?1 AND ev.at < ?2"
                                     " AND i.lead_unit_id IS NOT NULL ORDER BY ev.at, ev.id");
    if (!st) {
        light_accept_free(&acc);
        return rc != DB_OK ? rc : DB_ERR;
    }
    db_bind_int64(st, 1, s->lo);
    db_bind_int64(st, 2, s->hi);
    while ((rc = db_step(st)) == DB_ROW) {
        if (db_column_is_null(st, 5) ||
            !signed_late(&acc, db_column_int64(st, 5), db_column_int64(st, 3)))
            continue;
        int64_t unit = db_column_int64(st, 0);
        entry_add(s, unit, SUM_DEDUCTED, points, wanted(s, unit) ? late_entry(st, points) : NULL);
    }
    db_finalize(st);
    light_accept_free(&acc);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Each unit's consequences of the year (the ladders that fired). */
static int add_consequences(struct db *db, struct scores *s)
{
    struct err e = {0};
    json_t *v = consequence_list_between(db, s->rules.year, 0, s->lo, s->hi, &e), *c;
    if (!v) return DB_ERR;
    size_t i;
    json_array_foreach(json_object_get(v, "consequences"), i, c)
    {
        struct unit_score *u = unit_of(s, json_integer_value(json_object_get(c, "unit_id")));
        if (u) json_array_append(json_object_get(u->row, "consequences"), c);
    }
    json_decref(v);
    return DB_OK;
}

static int sum_of_kind(const char *kind)
{
    return !strcmp(kind, "bonus")        ? SUM_ADDED
           : !strcmp(kind, "evaluation") ? SUM_EVALUATION
                                         : SUM_DEDUCTED;
}

/* One manual entry row of add_manual's statement as its JSON. */
static json_t *manual_entry(struct db_stmt *st)
{
    char iso[40];
    time_format_iso(db_column_int64(st, 10), iso, sizeof iso);
    json_t *en = json_pack(
        "{s:s,s:I,s:s,s:f,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:n}", "source", "manual", "id",
        (json_int_t)db_column_int64(st, 0), "rule", db_column_text(st, 2), "points",
        db_column_double(st, 3), "reason", db_column_text(st, 4), "actor", db_column_text(st, 9),
        "at", iso, "item_id",
        db_column_is_null(st, 5) ? json_null() : json_integer(db_column_int64(st, 5)), "item_title",
        db_column_is_null(st, 6) ? json_null() : json_string(db_column_text(st, 6)), "meeting_id",
        db_column_is_null(st, 7) ? json_null() : json_integer(db_column_int64(st, 7)), "withdraws",
        db_column_is_null(st, 8) ? json_null() : json_integer(db_column_int64(st, 8)),
        "withdrawn_by");
    json_object_set_new(en, "evidence",
                        db_column_is_null(st, 12) ? json_null()
                                                  : json_string(db_column_text(st, 12)));
    json_object_set_new(
        en, "objection",
        db_column_is_null(st, 13)
            ? json_null()
            : json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)db_column_int64(st, 13), "status",
                        db_column_text(st, 14), "text", db_column_text(st, 15), "decision_reason",
                        db_column_is_null(st, 16) ? json_null()
                                                  : json_string(db_column_text(st, 16))));
    return en;
}

/* The year's manual entries; a withdrawal counts where the entry it
 * withdraws counted, and marks that entry withdrawn_by. */
static int add_manual(struct db *db, struct scores *s)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT x.id, x.unit_id, x.kind, x.points, x.reason, x.item_id, i.title,"
                       " x.meeting_id, x.withdraws, x.actor, x.at, o.kind, x.evidence,"
                       " ob.id, ob.status, ob.text, ob.decision_reason"
                       " FROM assessment_entries x LEFT JOIN items i ON i.id = x.item_id"
                       " LEFT JOIN assessment_entries o ON o.id = x.withdraws"
                       " LEFT JOIN assessment_objections ob ON ob.entry_id = x.id"
                       " WHERE x.year = ?1 ORDER BY x.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, s->rules.year);
    json_t *by_id = json_object();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t at = db_column_int64(st, 10);
        at = at < s->ylo ? s->ylo : at >= s->yhi ? s->yhi - 1 : at;
        if (at < s->lo || at >= s->hi) continue;
        json_t *en = manual_entry(st);
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_column_int64(st, 0));
        json_object_set(by_id, key, en);
        const char *kind = db_column_text(st, 2);
        if (!db_column_is_null(st, 8)) {
            snprintf(key, sizeof key, "%lld", (long long)db_column_int64(st, 8));
            json_object_set_new(json_object_get(by_id, key), "withdrawn_by",
                                json_integer(db_column_int64(st, 0)));
            kind = db_column_is_null(st, 11) ? "deduction" : db_column_text(st, 11);
        }
        entry_add(s, db_column_int64(st, 1), sum_of_kind(kind), db_column_double(st, 3), en);
    }
    json_decref(by_id);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int score_cmp(const void *a, const void *b)
{
    const struct unit_score *x = a, *y = b;
    if (x->kind_order != y->kind_order) return x->kind_order - y->kind_order;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x->row, "unit_code")),
                  json_string_value(json_object_get(y->row, "unit_code")));
}

/* Scores, then the order and the ranks within each kind (ties share one). */
static void rank(struct scores *s)
{
    double base = s->rules.points[ASSESS_BASE];
    for (size_t i = 0; i < s->n; i++) {
        struct unit_score *u = &s->u[i];
        u->score = base + u->sum[SUM_DEDUCTED] + u->sum[SUM_ADDED] + u->sum[SUM_EVALUATION];
    }
    if (s->n) /* a city without units: s->u is NULL, which qsort must not be given */
        qsort(s->u, s->n, sizeof *s->u, score_cmp);
    for (size_t i = 0, first = 0; i < s->n; i++) {
        if (i && s->u[i].kind_order != s->u[i - 1].kind_order) first = i;
        int tie = i > first && s->u[i].score == s->u[i - 1].score;
        s->u[i].rank = tie ? s->u[i - 1].rank : (int)(i - first) + 1;
    }
    for (size_t i = 0; i < s->n; i++) {
        int n = 0;
        for (size_t j = 0; j < s->n; j++)
            n += s->u[j].kind_order == s->u[i].kind_order;
        s->u[i].rank_of = n;
    }
}

/* The city-local midnight that starts day. */
static int64_t day_start(int32_t day)
{
    /* noon UTC of the day is on the same city day */
    return time_at_minute((int64_t)day * DAY_MS + DAY_MS / 2, 0, 0);
}

/* The window w for every assessed unit into s.  A db code. */
static int scores_load(struct db *db, const struct assessment_window *w, struct scores *s)
{
    int rc = assessment_rules_load(db, w->year, &s->rules);
    s->ylo = day_start(date_make(w->year, 1, 1));
    s->yhi = day_start(date_make(w->year + 1, 1, 1));
    s->lo = w->lo < s->ylo ? s->ylo : w->lo;
    s->hi = w->hi > s->yhi ? s->yhi : w->hi;
    if (rc == DB_OK) rc = units_load(db, s);
    if (rc == DB_OK) rc = add_ledger(db, s);
    if (rc == DB_OK) rc = add_escalations(db, s);
    if (rc == DB_OK) rc = add_events(db, s);
    if (rc == DB_OK) rc = add_late_signing(db, s);
    if (rc == DB_OK) rc = add_manual(db, s);
    if (rc == DB_OK) rc = add_consequences(db, s);
    if (rc == DB_OK) rank(s);
    return rc;
}

static void scores_free(struct scores *s)
{
    for (size_t i = 0; i < s->n; i++)
        json_decref(s->u[i].row);
    free(s->u);
}

int assessment_window_set(struct assessment_window *w, int year, const char *period, int n,
                          struct err *e)
{
    int month = !period || !strcmp(period, "year") ? 0 : !strcmp(period, "month") ? 1 : -1;
    if (period && !strcmp(period, "quarter")) month = 3;
    if (month < 0)
        return err_set(e, 422, "invalid_parameter", "'period' must be year, month or quarter");
    if (month ? n < 1 || n > (month == 1 ? 12 : 4) : n != 0)
        return err_set(e, 422, "invalid_parameter",
                       month == 1   ? "'n' of a month must be from 1 to 12"
                       : month == 3 ? "'n' of a quarter must be from 1 to 4"
                                    : "'n' goes with period month or quarter");
    memset(w, 0, sizeof *w);
    w->year = year;
    int first = month ? (n - 1) * month + 1 : 1, next = month ? first + month : 13;
    w->lo = day_start(date_make(year, first, 1));
    w->hi = day_start(next > 12 ? date_make(year + 1, 1, 1) : date_make(year, next, 1));
    if (month == 1)
        snprintf(w->period, sizeof w->period, "%04d-%02d", year, n);
    else if (month == 3)
        snprintf(w->period, sizeof w->period, "%04d-Q%d", year, n);
    else
        snprintf(w->period, sizeof w->period, "%04d", year);
    return 0;
}

void assessment_window_until(struct assessment_window *w, int year, int64_t until_ms)
{
    memset(w, 0, sizeof *w);
    w->year = year;
    w->lo = day_start(date_make(year, 1, 1));
    w->hi = day_start(date_make(year + 1, 1, 1));
    if (until_ms < w->hi) w->hi = until_ms;
}

/* The unit rows of s (unit 0: all) with their sums, into a new array. */
static json_t *units_out(struct scores *s, int64_t unit)
{
    json_t *units = json_array();
    for (size_t i = 0; i < s->n; i++) {
        struct unit_score *u = &s->u[i];
        if (unit && u->id != unit) continue;
        json_t *sums = json_pack("{s:f,s:f,s:f,s:f,s:f,s:i,s:i}", "score", u->score, "base",
                                 s->rules.points[ASSESS_BASE], "deducted", u->sum[SUM_DEDUCTED],
                                 "added", u->sum[SUM_ADDED], "evaluation", u->sum[SUM_EVALUATION],
                                 "rank", u->rank, "rank_of", u->rank_of);
        json_object_update(u->row, sums);
        json_decref(sums);
        if (!s->want) json_object_del(u->row, "entries");
        json_array_append(units, u->row);
    }
    return units;
}

/* The unit the actor may read: unit (0 every unit), or its own; -1 with e. */
static int64_t unit_seen(const struct actor *a, int64_t unit, struct err *e)
{
    if (actor_sees_all(a)) return unit;
    if (unit && unit != a->unit_id)
        return err_set(e, 403, "forbidden", "a unit sees only its own assessment"), -1;
    return a->unit_id;
}

/* Window w's scores of unit (0: every unit), with the entries when want is
 * not 0 (as struct scores); NULL with e. */
static json_t *window_out(struct db *db, const struct assessment_window *w, int64_t unit,
                          int64_t want, struct err *e)
{
    struct scores s = {.want = want};
    int rc = scores_load(db, w, &s);
    if (rc != DB_OK) {
        scores_free(&s);
        return err_db(e, rc, "reading the assessment"), NULL;
    }
    char from[16] = "", to[16] = "";
    if (s.hi > s.lo) {
        date_format(time_day_of(s.lo), from);
        date_format(time_day_of(s.hi - 1), to);
    }
    json_t *units = units_out(&s, unit);
    scores_free(&s);
    return json_pack("{s:i,s:s,s:s,s:s,s:o}", "year", w->year, "period", w->period, "from", from,
                     "to", to, "units", units);
}

json_t *assessment_window_json(struct db *db, const struct actor *a,
                               const struct assessment_window *w, int64_t unit, struct err *e)
{
    unit = unit_seen(a, unit, e);
    return unit < 0 ? NULL : window_out(db, w, unit, unit ? unit : -1, e);
}

/* The last rankings computed (every unit's, no entries), each under its
 * window, the stamps read before it was computed and the day: the ranking
 * page, the dashboard's card per scope and language and the API's readers
 * of the same window share one computation until a write moves the score
 * (a late one only makes a newer ranking that its stamps will miss). */
#define KEPT_SLOTS 8

static struct kept_ranking {
    struct assessment_window w;
    int64_t score, config;
    int32_t day;
    uint64_t used; /* the least recently used slot is replaced */
    json_t *v;
} kept[KEPT_SLOTS];
static uint64_t kept_clock;
static pthread_mutex_t kept_mu = PTHREAD_MUTEX_INITIALIZER;

static int kept_same(const struct kept_ranking *k, const struct assessment_window *w, int64_t score,
                     int64_t config, int32_t day)
{
    return k->v && k->w.year == w->year && k->w.lo == w->lo && k->w.hi == w->hi &&
           !strcmp(k->w.period, w->period) && k->score == score && k->config == config &&
           k->day == day;
}

/* A copy of the kept ranking of w under the stamps, or NULL. */
static json_t *kept_get(const struct assessment_window *w, int64_t score, int64_t config,
                        int32_t day)
{
    json_t *v = NULL;
    pthread_mutex_lock(&kept_mu);
    for (int i = 0; i < KEPT_SLOTS && !v; i++)
        if (kept_same(&kept[i], w, score, config, day)) {
            kept[i].used = ++kept_clock;
            v = json_deep_copy(kept[i].v);
        }
    pthread_mutex_unlock(&kept_mu);
    return v;
}

static void kept_put(const struct assessment_window *w, int64_t score, int64_t config, int32_t day,
                     json_t *v)
{
    pthread_mutex_lock(&kept_mu);
    struct kept_ranking *k = &kept[0];
    for (int i = 1; i < KEPT_SLOTS && k->v; i++)
        if (!kept[i].v || kept[i].used < k->used) k = &kept[i];
    json_decref(k->v);
    *k = (struct kept_ranking){
        .w = *w, .score = score, .config = config, .day = day, .used = ++kept_clock};
    k->v = json_deep_copy(v);
    pthread_mutex_unlock(&kept_mu);
}

/* v with only unit's row (0: as it is). */
static json_t *only_unit(json_t *v, int64_t unit)
{
    json_t *units = json_object_get(v, "units");
    for (size_t i = json_array_size(units); unit && i-- > 0;)
        if (json_integer_value(json_object_get(json_array_get(units, i), "unit_id")) != unit)
            json_array_remove(units, i);
    return v;
}

json_t *assessment_window_scores_json(struct db *db, const struct actor *a,
                                      const struct assessment_window *w, int64_t unit,
                                      struct err *e)
{
    int64_t score, config;
    int32_t day = time_today();
    if ((unit = unit_seen(a, unit, e)) < 0) return NULL;
    int rc = assessment_stamp(db, &score, &config);
    if (rc != DB_OK) return err_db(e, rc, "reading the assessment"), NULL;
    json_t *v = kept_get(w, score, config, day);
    if (!v && (v = window_out(db, w, 0, 0, e))) kept_put(w, score, config, day, v);
    return v ? only_unit(v, unit) : NULL;
}

int assessment_stamp(struct db *db, int64_t *score, int64_t *config)
{
    struct db_stmt *st = db_prepare(db, "SELECT (SELECT stamp FROM score_stamp WHERE id = 1),"
                                        " (SELECT stamp FROM config_stamp WHERE id = 1)");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *score = db_column_int64(st, 0), *config = db_column_int64(st, 1), rc = DB_OK;
    db_finalize(st);
    return rc;
}

json_t *assessment_json(struct db *db, const struct actor *a, int year, int64_t unit, struct err *e)
{
    struct assessment_window w;
    assessment_window_set(&w, year, NULL, 0, NULL);
    return assessment_window_json(db, a, &w, unit, e);
}
