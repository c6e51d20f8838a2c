/* notice.c — computing a notice's figures.  See notice.h; docs/notices.md
 * defines each figure.
 *
 * The cutoff T is min(the start of the day after `to`, now): an event counts
 * when it happened before T.  The last day that has wholly passed by T
 * ("last_day": `to`, or yesterday when the period is still running) decides
 * what is overdue and which expected feedbacks were missed.
 *
 * One scan over the facts of the items assigned in the period (item_facts,
 * kept by triggers on events and items; migrations 006 and 007) gives most
 * figures, their part of the red list and of each month's overdue; a second
 * over the facts of older items not verified by the first month's end gives
 * the rest.  Both read only covering indexes of item_facts: an item's own row
 * is read only for a title on the red list.  The feedback, deductions and
 * lights are a query or two each.  Units are loaded whole (a city has
 * hundreds, not millions) and the scope is applied in C through a unit-id →
 * listed-unit map, so no SQL is ever assembled.  The queries are core's
 * (core/notice_data.h), each handing its rows to a callback here: the
 * figures are this file's, the storage is not.  Names and texts are copied
 * whole into the notice's arena. */
#include "notice/notice.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/setting.h"
#include "notice/assessment_section.h"
#include "notice/scope.h"
#include "util/mem.h"
#include "util/time.h"

#define DAY_MS          86400000LL
#define NOTICE_MAX_DAYS (3 * 366 + 1)

const char *const notice_lights[4] = {"green", "yellow", "red", "none"};

/* ---- days and times ---- */

/* The first millisecond of day in city time. */
static int64_t day_start_ms(int32_t day)
{
    int y, m, d;
    date_split(day, &y, &m, &d);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000;
}

/* Midnights of the days [first, first + n]: a timestamp's city day by
 * arithmetic and a check instead of localtime for every item. */
struct daymap {
    int32_t first;
    int n;
    int64_t *start; /* n + 1 entries */
};

static void daymap_init(struct daymap *m, int32_t first, int32_t last)
{
    m->first = first;
    m->n = last - first + 1;
    m->start = xmalloc(sizeof *m->start * (size_t)(m->n + 1));
    for (int k = 0; k <= m->n; k++)
        m->start[k] = day_start_ms(first + k);
}

static int32_t daymap_day(const struct daymap *m, int64_t ms)
{
    if (ms < m->start[0] || ms >= m->start[m->n]) return time_day_of(ms);
    int k = (int)((ms - m->start[0]) / DAY_MS);
    if (k >= m->n) k = m->n - 1;
    while (k > 0 && ms < m->start[k])
        k--;
    while (k + 1 < m->n && ms >= m->start[k + 1])
        k++;
    return m->first + k;
}

static int32_t text_day(const char *s)
{
    int32_t d;
    return s && !date_parse(s, strlen(s), &d) ? d : -1;
}

int notice_params_parse(const char *from, const char *to, const char *unit, struct notice_params *p,
                        struct err *e)
{
    memset(p, 0, sizeof *p);
    if (!from || date_parse(from, strlen(from), &p->from))
        return err_set(e, 422, "invalid_parameter", "'from' must be a date as YYYY-MM-DD");
    if (!to || date_parse(to, strlen(to), &p->to))
        return err_set(e, 422, "invalid_parameter", "'to' must be a date as YYYY-MM-DD");
    if (p->to < p->from)
        return err_set(e, 422, "invalid_parameter", "'to' must not be before 'from'");
    if (p->to - p->from >= NOTICE_MAX_DAYS)
        return err_set(e, 422, "invalid_parameter", "a notice covers at most three years");
    if (unit && *unit) {
        if (strlen(unit) >= sizeof p->unit_code)
            return err_set(e, 422, "invalid_parameter", "'unit' is too long");
        snprintf(p->unit_code, sizeof p->unit_code, "%s", unit);
    }
    return 0;
}

double notice_rate(const struct notice_unit *u)
{
    return u->assigned ? (double)u->done_on_time / (double)u->assigned : 0.0;
}

double notice_avg_days(const struct notice_unit *u)
{
    if (!u->done) return -1;
    return round((double)u->days_to_done * 10.0 / (double)u->done) / 10.0;
}

/* ---- the computation's working state ---- */

struct unit_row {
    int64_t id, parent_id;
    const char *code, *name; /* in the notice's arena */
    int in_scope;
    int listed; /* index into units + 1, 0 when not (yet) listed */
};

struct calc {
    struct db *db;
    struct arena *arena; /* the notice's */
    struct notice *n;
    struct err *e;
    struct unit_row *all;
    int n_all;
    int64_t max_id;
    int *by_id;       /* unit id → index into all + 1 */
    int64_t from_ms;  /* start of `from` */
    int32_t last_day; /* the last day wholly passed by the cutoff */
    struct daymap days;
    struct calendar cal;
    int32_t *accept_limit;  /* per day of days: the last day to accept */
    int32_t ends[40];       /* per month of the period: its last day counted */
    int64_t start_next[40]; /* the start of the day after ends[k] */
    int32_t *item_unit;     /* item id → lead unit id, for the items scan_items read */
    int64_t n_item_unit;
    int32_t *item_leader; /* item id → index into n->leaders + 1, 0 for no leader */
    int64_t n_item_leader;
    struct notice_scope scope; /* an item scope's items (scope.c); kind NONE: all */
};

static struct unit_row *unit_of(struct calc *c, int64_t id)
{
    if (id <= 0 || id > c->max_id || !c->by_id[id]) return NULL;
    return &c->all[c->by_id[id] - 1];
}

/* The listed figures of unit id, listing it first if it is in scope; NULL
 * for a unit outside the scope. */
static struct notice_unit *fig(struct calc *c, int64_t id)
{
    struct unit_row *u = unit_of(c, id);
    if (!u || !u->in_scope) return NULL;
    if (!u->listed) {
        struct notice *n = c->n;
        n->units = xrealloc(n->units, sizeof *n->units * (size_t)(n->n_units + 1));
        struct notice_unit *f = &n->units[n->n_units];
        memset(f, 0, sizeof *f);
        f->id = u->id;
        f->code = u->code;
        f->name = u->name;
        u->listed = ++n->n_units;
    }
    return &c->n->units[u->listed - 1];
}

/* The 公文's settings: text rows, each with its default when unset or empty. */
static int load_doc(struct calc *c)
{
    struct notice_doc *d = &c->n->doc;
    const struct {
        const char *key, *def;
        const char **to;
    } rows[] = {
        {"notice.copy_to", "", &d->copy_to},
        {"notice.font_body", NULL, &d->font_body},
        {"notice.font_hei", NULL, &d->font_hei},
        {"notice.font_kai", NULL, &d->font_kai},
        {"notice.font_title", NULL, &d->font_title},
        {"notice.main_to", "各有关单位", &d->main_to},
        {"notice.number_prefix", "督通", &d->number_prefix},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const char *v;
        if (setting_text(c->db, rows[k].key, c->arena, &v, c->e)) return -1;
        *rows[k].to = v && *v ? v : rows[k].def;
    }
    return 0;
}

static int load_settings(struct calc *c)
{
    const char *v;
    struct notice *n = c->n;
    n->accept_working_days = 1;
    n->office = "督查室";
    if (setting_text(c->db, "notice.accept_working_days", c->arena, &v, c->e)) return -1;
    char *end;
    long w = v ? strtol(v, &end, 10) : -1;
    if (v && *v && !*end && w >= 0 && w <= 30) n->accept_working_days = (int)w;
    if (setting_text(c->db, "notice.office", c->arena, &v, c->e)) return -1;
    if (v && *v) n->office = v;
    return load_doc(c);
}

/* Mark unit id and everything under it as in scope, nothing else (parents
 * are not always listed before their children, so the subtree grows until it
 * stops changing). */
static void mark_subtree(struct calc *c, int64_t id)
{
    for (int k = 0; k < c->n_all; k++)
        c->all[k].in_scope = c->all[k].id == id;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int k = 0; k < c->n_all; k++) {
            struct unit_row *parent = unit_of(c, c->all[k].parent_id);
            if (!c->all[k].in_scope && parent && parent->in_scope) c->all[k].in_scope = changed = 1;
        }
    }
}

/* Load every unit and mark the scope: the whole city, or the subtree of the
 * unit with code p->unit_code. */
static int load_units(struct calc *c)
{
    struct notice_data_unit *rows;
    if (notice_data_units(c->db, c->arena, &rows, &c->n_all, c->e)) {
        free(rows);
        return -1;
    }
    c->all = xcalloc((size_t)c->n_all + 1, sizeof *c->all);
    for (int k = 0; k < c->n_all; k++) {
        struct unit_row *u = &c->all[k];
        u->id = rows[k].id;
        u->parent_id = rows[k].parent_id;
        u->code = rows[k].code;
        u->name = rows[k].name;
        if (u->id > c->max_id) c->max_id = u->id;
    }
    free(rows);
    c->by_id = xcalloc((size_t)c->max_id + 1, sizeof *c->by_id);
    for (int k = 0; k < c->n_all; k++)
        c->by_id[c->all[k].id] = k + 1;
    struct notice *n = c->n;
    if (!n->p.unit_code[0]) {
        for (int k = 0; k < c->n_all; k++)
            c->all[k].in_scope = 1;
        n->scope_name = "全市";
        return 0;
    }
    for (int k = 0; k < c->n_all; k++)
        if (!strcmp(c->all[k].code, n->p.unit_code)) {
            c->all[k].in_scope = 1;
            n->scope_unit_id = c->all[k].id;
            n->scope_name = c->all[k].name;
        }
    if (!n->scope_unit_id)
        return err_set(c->e, 404, "not_found", "no unit with code '%s'", n->p.unit_code),
               err_detail(c->e, "unit");
    mark_subtree(c, n->scope_unit_id);
    return 0;
}

/* The last day an item assigned on day may be accepted on time. */
static int32_t accept_limit(struct calc *c, int32_t day)
{
    int k = day - c->days.first;
    if (k < 0 || k >= c->days.n)
        return calendar_add_working_days(&c->cal, day, c->n->accept_working_days);
    if (!c->accept_limit[k])
        c->accept_limit[k] = calendar_add_working_days(&c->cal, day, c->n->accept_working_days);
    return c->accept_limit[k];
}

/* 1 when an item in this status is left out of overdue (and the red list). */
static int status_excused(const char *s)
{
    return !strcmp(s, "cancelled") || !strcmp(s, "suspended") || !strcmp(s, "returned");
}

/* Count item (its deadline day, first assignment, verification or
 * INT64_MAX) into the months it was overdue at the end of. */
static void count_months(struct calc *c, int32_t deadline, int64_t assigned, int64_t done)
{
    for (int k = 0; k < c->n->n_months; k++)
        if (deadline <= c->ends[k] && assigned < c->start_next[k] && done >= c->start_next[k])
            c->n->months[k].overdue++;
}

static struct notice_leader *leader_of(struct calc *c, int64_t id);

/* Put item id of unit u on the red list; its title and last feedback are
 * read afterwards (red_details), for the rows listed only. */
static void red_add(struct calc *c, const struct unit_row *u, int64_t id, const char *deadline)
{
    struct notice *n = c->n;
    if ((n->n_red & (n->n_red - 1)) == 0)
        n->red = xrealloc(n->red, sizeof *n->red * (size_t)(n->n_red ? 2 * n->n_red : 1));
    struct notice_red *r = &n->red[n->n_red++];
    struct notice_leader *l = leader_of(c, id);
    if (l) l->red++;
    memset(r, 0, sizeof *r);
    r->id = id;
    r->unit_id = u->id;
    r->unit_name = u->name;
    snprintf(r->deadline, sizeof r->deadline, "%s", deadline);
    r->days_overdue = c->last_day + 1 - text_day(r->deadline);
}

/* Set (*map)[id] = v in an item id map of *len entries, growing it. */
static void idmap_put(int32_t **map, int64_t *len, int64_t id, int64_t v)
{
    if (id <= 0 || id > (int64_t)1 << 36 || v <= 0 || v > INT32_MAX) return;
    if (id >= *len) {
        int64_t n = *len ? *len : 1024;
        while (n <= id)
            n *= 2;
        *map = xrealloc(*map, sizeof **map * (size_t)n);
        memset(*map + *len, 0, sizeof **map * (size_t)(n - *len));
        *len = n;
    }
    (*map)[id] = (int32_t)v;
}

/* Remember the lead unit of item id (scan_feedback looks it up). */
static void item_unit_put(struct calc *c, int64_t id, int64_t unit)
{
    idmap_put(&c->item_unit, &c->n_item_unit, id, unit);
}

/* The figures of item id's responsible leader, or NULL when it has none. */
static struct notice_leader *leader_of(struct calc *c, int64_t id)
{
    if (id <= 0 || id >= c->n_item_leader || !c->item_leader[id]) return NULL;
    return &c->n->leaders[c->item_leader[id] - 1];
}

/* An item with a responsible leader (notice_data_leaders' callback): the
 * leader listed (once), the item mapped to it. */
static int leader_row(void *ctx, const struct notice_data_leader *l)
{
    struct calc *c = ctx;
    struct notice *n = c->n;
    int k = 0;
    while (k < n->n_leaders && n->leaders[k].id != l->leader_id)
        k++;
    if (k == n->n_leaders) {
        n->leaders = xrealloc(n->leaders, sizeof *n->leaders * (size_t)(n->n_leaders + 1));
        memset(&n->leaders[k], 0, sizeof *n->leaders);
        n->leaders[k].id = l->leader_id;
        n->leaders[k].name = arena_strdup(c->arena, l->name);
        n->n_leaders++;
    }
    idmap_put(&c->item_leader, &c->n_item_leader, l->item_id, k + 1);
    return 0;
}

static int leader_compare(const void *a, const void *b)
{
    const struct notice_leader *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Keep the leaders with an item in the figures, by id (after the scans:
 * the item map points into the list as it was). */
static void leaders_finish(struct notice *n)
{
    int k = 0;
    for (int j = 0; j < n->n_leaders; j++)
        if (n->leaders[j].assigned || n->leaders[j].red) n->leaders[k++] = n->leaders[j];
    n->n_leaders = k;
    if (k) qsort(n->leaders, (size_t)k, sizeof *n->leaders, leader_compare);
}

/* One item of the period; the callback of notice_data_assigned. */
static int scan_row(void *ctx, const struct notice_fact *f)
{
    struct calc *c = ctx;
    if (!notice_scope_has(&c->scope, f->item_id)) return 0;
    item_unit_put(c, f->item_id, f->unit_id);
    struct notice_unit *u = fig(c, f->unit_id);
    if (!u) return 0;
    int64_t cutoff = c->n->cutoff_ms;
    int32_t deadline = f->deadline ? text_day(f->deadline) : -1;
    int excused = status_excused(f->status);
    struct notice_leader *l = leader_of(c, f->item_id);
    u->assigned++;
    if (l) l->assigned++;
    if (f->accepted_at < cutoff && daymap_day(&c->days, f->accepted_at) <=
                                       accept_limit(c, daymap_day(&c->days, f->accept_from)))
        u->accepted_on_time++;
    if (f->done_at < cutoff) {
        int32_t done_day = daymap_day(&c->days, f->done_at);
        u->done++;
        u->days_to_done += done_day - daymap_day(&c->days, f->assigned_at);
        if (l) l->done++;
        if (deadline >= 0 && done_day <= deadline) u->done_on_time++;
        if (l && deadline >= 0 && done_day <= deadline) l->done_on_time++;
    } else if (deadline >= 0 && deadline <= c->last_day && !excused) {
        u->overdue++;
        if (l) l->overdue++;
        red_add(c, unit_of(c, u->id), f->item_id, f->deadline);
    }
    if (f->extensions > 0) u->extended++;
    u->rejected += f->rejects;
    if (deadline >= 0 && !excused) count_months(c, deadline, f->assigned_at, f->done_at);
    return 0;
}

/* The items assigned in the period: their figures, and those overdue at the
 * cutoff or at a month's end. */
static int scan_items(struct calc *c)
{
    return notice_data_assigned(c->db, c->from_ms, c->n->cutoff_ms, scan_row, c, c->e);
}

/* A unit's expected feedback missed (notice_data_missed's callback). */
static int missed_row(void *ctx, const struct notice_tally *t)
{
    struct notice_unit *u = fig(ctx, t->unit_id);
    if (u) u->feedback_due += t->count;
    return 0;
}

/* The lead unit of item id when it counts (not cancelled, with a lead unit):
 * from what scan_items read, else from its facts.  0 when it does not count,
 * -1 on a storage error (c->e set). */
static int64_t feedback_unit(struct calc *c, int64_t id)
{
    if (id > 0 && id < c->n_item_unit && c->item_unit[id]) return c->item_unit[id];
    int64_t unit;
    return notice_data_fact_unit(c->db, id, &unit, c->e) ? -1 : unit;
}

/* A report answering an expected feedback (notice_data_reports' callback). */
static int report_row(void *ctx, const struct notice_tally *t)
{
    struct calc *c = ctx;
    if (!notice_scope_has(&c->scope, t->item_id)) return 0;
    int64_t unit = feedback_unit(c, t->item_id);
    if (unit < 0) return -1;
    struct notice_unit *u = unit ? fig(c, unit) : NULL;
    if (!u) return 0;
    u->feedback_due++;
    if (!t->late) u->feedback_on_time++;
    return 0;
}

/* The open items of an item scope whose expected feedback in [from, last]
 * passed without a report (the second half of scan_feedback). */
static int scope_missed_feedback(struct calc *c, const char *from, const char *last)
{
    for (int k = 0; k < c->scope.n; k++) {
        const struct notice_scope_item *it = &c->scope.items[k];
        if (!it->feedback_due[0] || strcmp(it->feedback_due, from) < 0 ||
            strcmp(it->feedback_due, last) > 0)
            continue;
        if (strcmp(it->status, "assigned") && strcmp(it->status, "accepted") &&
            strcmp(it->status, "in_progress"))
            continue;
        struct notice_unit *u = fig(c, it->unit_id);
        if (u) u->feedback_due++;
    }
    return 0;
}

/* Expected feedback dated within [from, last_day]: the reports that answered
 * one (on time when not late), and the open items whose expected date passed
 * without a report.  A report is filed on assigned work, so its item has
 * facts; most are the period's, whose lead units scan_items kept, so the
 * reports are read from their index alone. */
static int scan_feedback(struct calc *c)
{
    if (c->last_day < c->n->p.from) return 0;
    char from[11], last[11];
    date_format(c->n->p.from, from);
    date_format(c->last_day, last);
    if (notice_data_reports(c->db, from, last, report_row, c, c->e)) return -1;
    if (c->scope.kind) return scope_missed_feedback(c, from, last);
    return notice_data_missed(c->db, from, last, missed_row, c, c->e);
}

static int deduction_row(void *ctx, const struct notice_tally *t)
{
    struct calc *c = ctx;
    if (c->scope.kind && !notice_scope_has(&c->scope, t->item_id)) return 0;
    struct notice_unit *u = fig(c, t->unit_id);
    if (u) u->deductions += t->points;
    return 0;
}

/* The 考核 ledger (migration 003, the scheduler's) within [from, cutoff);
 * an item scope counts the deductions of its items, one row each. */
static int scan_deductions(struct calc *c)
{
    return notice_data_deductions(c->db, c->from_ms, c->n->cutoff_ms, c->scope.kind != 0,
                                  deduction_row, c, c->e);
}

static int red_compare(const void *a, const void *b, void *ctx)
{
    const struct notice_red *x = a, *y = b;
    struct calc *c = ctx;
    if (x->days_overdue != y->days_overdue) return x->days_overdue > y->days_overdue ? -1 : 1;
    int k = strcmp(unit_of(c, x->unit_id)->code, unit_of(c, y->unit_id)->code);
    if (k) return k;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* An older item still open at the first month's end (notice_data_open's
 * callback). */
static int before_row(void *ctx, const struct notice_fact *f)
{
    struct calc *c = ctx;
    struct unit_row *u = unit_of(c, f->unit_id);
    if (!u || !u->in_scope || !notice_scope_has(&c->scope, f->item_id)) return 0;
    if (f->done_at >= c->n->cutoff_ms && fig(c, u->id)) red_add(c, u, f->item_id, f->deadline);
    count_months(c, text_day(f->deadline), f->assigned_at, f->done_at);
    return 0;
}

/* The items assigned before the period that were not verified by the end
 * of its first month (or the cutoff): on the red list when still overdue at
 * the cutoff, and counted into the months they were overdue at the end of.
 * The period's own items were counted by scan_items. */
static int scan_before(struct calc *c)
{
    char last[11];
    date_format(c->last_day, last);
    int64_t cutoff = c->n->cutoff_ms;
    int64_t open_at = c->n->n_months && c->start_next[0] < cutoff ? c->start_next[0] : cutoff;
    return notice_data_open(c->db, open_at, c->from_ms < cutoff ? c->from_ms : cutoff, last,
                            before_row, c, c->e);
}

static int red_id_compare(const void *a, const void *b)
{
    const struct notice_red *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The title and the last lead feedback before the cutoff of each item on the
 * red list, then the list in its order. */
static int red_details(struct calc *c)
{
    struct notice *n = c->n;
    /* in the order of the items' rows, so their pages are read in turn */
    if (n->n_red) qsort(n->red, (size_t)n->n_red, sizeof *n->red, red_id_compare);
    for (int k = 0; k < n->n_red; k++) {
        struct notice_red *r = &n->red[k];
        int64_t at;
        if (notice_data_red_detail(c->db, r->id, n->cutoff_ms, c->arena, &r->title,
                                   &r->last_feedback, &at, c->e))
            return -1;
        if (r->last_feedback) date_format(daymap_day(&c->days, at), r->last_feedback_on);
    }
    if (n->n_red) qsort_r(n->red, (size_t)n->n_red, sizeof *n->red, red_compare, c);
    return 0;
}

static int light_row(void *ctx, const struct notice_tally *t)
{
    struct calc *c = ctx;
    struct unit_row *u = unit_of(c, t->unit_id);
    if (u ? !u->in_scope : c->n->scope_unit_id != 0) return 0;
    for (int k = 0; k < 4; k++)
        if (!strcmp(t->light, notice_lights[k])) c->n->lights_now[k] += t->count;
    return 0;
}

/* The lights of the items in scope now, as the item list shows them; an
 * item without a lead unit (a draft) counts for the whole city only. */
static int scan_lights(struct calc *c)
{
    if (c->scope.kind) {
        /* an item scope's lights were read with its items; drafts count */
        for (int k = 0; k < c->scope.n; k++)
            for (int j = 0; j < 4; j++)
                if (!strcmp(c->scope.items[k].light, notice_lights[j])) c->n->lights_now[j]++;
        return 0;
    }
    return notice_data_lights(c->db, light_row, c, c->e);
}

/* ---- overdue at month ends, lights by month ---- */

/* The month ends overdue_at counts at, and its counts. */
struct overdue_ends {
    struct calc *c;
    const int32_t *ends;
    const int64_t *start_next;
    int n;
    int64_t *out;
};

static int overdue_row(void *ctx, const struct notice_fact *f)
{
    struct overdue_ends *o = ctx;
    struct unit_row *u = unit_of(o->c, f->unit_id);
    if (!u || !u->in_scope) return 0;
    int32_t deadline = text_day(f->deadline);
    for (int k = 0; k < o->n; k++)
        if (deadline <= o->ends[k] && f->assigned_at < o->start_next[k] &&
            f->done_at >= o->start_next[k])
            o->out[k]++;
    return 0;
}

/* Count into out[k] the items in scope overdue at the end of day ends[k]
 * (ascending): assigned before, not verified by then, deadline on or before.
 * last_at, when not 0, is the moment the last count is taken at instead of
 * the end of its day (now: the trend's current month ends with the red
 * tile's overdue items, those assigned today included). */
static int overdue_at(struct calc *c, const int32_t *ends, int n_ends, int64_t last_at,
                      int64_t *out)
{
    if (n_ends <= 0) return 0;
    int64_t *start_next = xmalloc(sizeof *start_next * (size_t)n_ends);
    for (int k = 0; k < n_ends; k++)
        start_next[k] = day_start_ms(ends[k] + 1), out[k] = 0;
    if (last_at) start_next[n_ends - 1] = last_at;
    char last[11];
    date_format(ends[n_ends - 1], last);
    struct overdue_ends o = {c, ends, start_next, n_ends, out};
    int rc = notice_data_overdue(c->db, start_next[0], start_next[n_ends - 1], last, overdue_row,
                                 &o, c->e);
    free(start_next);
    return rc;
}

static void month_label(int32_t day, char out[8])
{
    char ymd[11];
    date_format(day, ymd);
    memcpy(out, ymd, 7);
    out[7] = '\0';
}

static void history_add(struct calc *c, const char *month, const char *light, int64_t v)
{
    for (int k = 0; k < c->n->n_months; k++) {
        struct notice_month *m = &c->n->months[k];
        if (strcmp(m->month, month)) continue;
        m->has_lights = 1;
        if (!strcmp(light, "green")) m->green += v;
        if (!strcmp(light, "yellow")) m->yellow += v;
        if (!strcmp(light, "red")) m->red += v;
        if (!strcmp(light, "none")) m->none += v;
    }
}

static int history_row(void *ctx, const struct notice_tally *t)
{
    struct calc *c = ctx;
    struct unit_row *u = unit_of(c, t->unit_id);
    if (u && u->in_scope) history_add(c, t->month, t->light, t->count);
    return 0;
}

static int item_history_row(void *ctx, const struct notice_tally *t)
{
    history_add(ctx, t->month, t->light, t->count);
    return 0;
}

/* The months' lights of an item scope's items with a lead unit, item by item. */
static int scope_months(struct calc *c)
{
    struct notice *n = c->n;
    for (int k = 0; k < c->scope.n; k++)
        if (c->scope.items[k].unit_id &&
            notice_data_item_history(c->db, c->scope.items[k].id, n->months[0].month,
                                     n->months[n->n_months - 1].month, item_history_row, c, c->e))
            return -1;
    return 0;
}

/* The months of the period that have begun by the cutoff, with their last
 * days counted (the month's end or the last day passed); their overdue
 * counts are filled by scan_items and scan_before. */
static void month_setup(struct calc *c)
{
    struct notice *n = c->n;
    for (int32_t day = n->p.from; day <= n->p.to && day <= c->last_day && n->n_months < 40;) {
        int y, m, d;
        date_split(day, &y, &m, &d);
        int32_t next = m == 12 ? date_make(y + 1, 1, 1) : date_make(y, m + 1, 1);
        int32_t end = next - 1 < c->last_day ? next - 1 : c->last_day;
        n->months = xrealloc(n->months, sizeof *n->months * (size_t)(n->n_months + 1));
        memset(&n->months[n->n_months], 0, sizeof *n->months);
        month_label(day, n->months[n->n_months].month);
        c->ends[n->n_months] = end;
        c->start_next[n->n_months++] = day_start_ms(end + 1);
        day = next;
    }
}

/* The months' lights from the scheduler's snapshots. */
static int scan_months(struct calc *c)
{
    struct notice *n = c->n;
    if (!n->n_months) return 0;
    if (c->scope.kind) return scope_months(c);
    return notice_data_history(c->db, n->months[0].month, n->months[n->n_months - 1].month,
                               history_row, c, c->e);
}

/* A month not over when the notice is computed (today's or a later one)
 * has no month-end snapshot yet, only the scheduler's latest of the day:
 * it shows the lights now, so that its row and 当前灯色 agree. */
static void months_now(struct notice *n)
{
    char current[8];
    month_label(time_today(), current);
    for (int k = 0; k < n->n_months; k++) {
        struct notice_month *m = &n->months[k];
        if (strcmp(m->month, current) < 0) continue;
        m->has_lights = 1;
        m->green = n->lights_now[0], m->yellow = n->lights_now[1];
        m->red = n->lights_now[2], m->none = n->lights_now[3];
    }
}

/* ---- ranking and the summary ---- */

/* on_time_rate descending (compared exactly as fractions), overdue
 * ascending, code; units with nothing assigned after every ranked one, by code. */
static int unit_compare(const void *a, const void *b)
{
    const struct notice_unit *x = a, *y = b;
    if (!x->assigned != !y->assigned) return x->assigned ? -1 : 1;
    if (x->assigned) {
        __int128 l = (__int128)x->done_on_time * y->assigned;
        __int128 r = (__int128)y->done_on_time * x->assigned;
        if (l != r) return l > r ? -1 : 1;
        if (x->overdue != y->overdue) return x->overdue < y->overdue ? -1 : 1;
    }
    return strcmp(x->code, y->code);
}

/* x and y share a place in the ranking: the same on_time_rate and overdue. */
static int same_place(const struct notice_unit *x, const struct notice_unit *y)
{
    return (__int128)x->done_on_time * y->assigned == (__int128)y->done_on_time * x->assigned &&
           x->overdue == y->overdue;
}

/* u may be praised: something closed on time, and not below the rate of
 * the whole scope (t, compared exactly as fractions). */
static int praiseworthy(const struct notice_unit *u, const struct notice_unit *t)
{
    return u->done_on_time > 0 &&
           (__int128)u->done_on_time * t->assigned >= (__int128)t->done_on_time * u->assigned;
}

/* top and bottom (docs/notices.md): the better half at most three, the
 * worse half at most three, so never both; units that share a place with
 * the first one left out are left out too, and praise needs praiseworthy. */
static void praise_and_name(struct notice *n)
{
    int r = n->n_ranked, top = (r + 1) / 2, bottom = r / 2;
    if (top > NOTICE_TOP) top = NOTICE_TOP;
    if (bottom > NOTICE_TOP) bottom = NOTICE_TOP;
    while (top > 0 && top < r && same_place(&n->units[top - 1], &n->units[top]))
        top--;
    /* praiseworthy holds for a prefix: the rates only fall down the ranking */
    n->n_top = 0;
    while (n->n_top < top && praiseworthy(&n->units[n->n_top], &n->total))
        n->top[n->n_top] = n->n_top, n->n_top++;
    int first = r - bottom;
    while (first > 0 && first < r && same_place(&n->units[first - 1], &n->units[first]))
        first++;
    n->n_bottom = r - first;
    for (int k = 0; k < n->n_bottom; k++)
        n->bottom[k] = first + k;
}

void notice_rank_units(struct notice *n)
{
    if (n->n_units) qsort(n->units, (size_t)n->n_units, sizeof *n->units, unit_compare);
    struct notice_unit *t = &n->total;
    memset(t, 0, sizeof *t);
    t->code = "";
    t->name = "合计";
    n->n_ranked = 0;
    for (int k = 0; k < n->n_units; k++) {
        struct notice_unit *u = &n->units[k];
        u->rank = u->assigned ? ++n->n_ranked : 0;
        t->assigned += u->assigned, t->accepted_on_time += u->accepted_on_time;
        t->feedback_due += u->feedback_due, t->feedback_on_time += u->feedback_on_time;
        t->done += u->done, t->done_on_time += u->done_on_time, t->overdue += u->overdue;
        t->extended += u->extended, t->rejected += u->rejected;
        t->days_to_done += u->days_to_done, t->deductions += u->deductions;
    }
    praise_and_name(n);
}

/* "2030年4月1日" */
static void date_zh(int32_t day, struct buf *b)
{
    int y, m, d;
    date_split(day, &y, &m, &d);
    buf_printf(b, "%d年%d月%d日", y, m, d);
}

static void names_zh(const struct notice *n, const int *idx, int count, struct buf *b)
{
    for (int k = 0; k < count; k++)
        buf_printf(b, "%s%s", k ? "、" : "", n->units[idx[k]].name);
}

static void summarise(struct notice *n, int32_t as_of)
{
    struct buf b;
    buf_init(&b, 1 << 16); /* a few names and figures */
    const struct notice_unit *t = &n->total;
    date_zh(n->p.from, &b);
    buf_puts(&b, "至");
    date_zh(n->p.to, &b);
    buf_printf(&b,
               "，%s共交办事项%lld项，按时签收%lld项；应反馈%lld次，按时反馈%lld次；"
               "办结%lld项，其中按期办结%lld项，按期办结率%.1f%%；逾期未办结%lld项。",
               n->scope_name, (long long)t->assigned, (long long)t->accepted_on_time,
               (long long)t->feedback_due, (long long)t->feedback_on_time, (long long)t->done,
               (long long)t->done_on_time, 100.0 * notice_rate(t), (long long)t->overdue);
    if (n->n_top) {
        buf_puts(&b, "按期办结率位居前列的单位：");
        names_zh(n, n->top, n->n_top, &b);
        buf_puts(&b, "，予以通报表扬。");
    }
    if (n->n_bottom) {
        buf_puts(&b, "排名靠后的单位：");
        names_zh(n, n->bottom, n->n_bottom, &b);
        buf_puts(&b, "，请认真查找原因、加快推进。");
    }
    buf_puts(&b, "截至");
    date_zh(as_of, &b);
    if (n->n_red)
        buf_printf(&b, "，%s共有逾期未办结事项%d项（见逾期事项清单），请责任单位限期办结。",
                   n->scope_name, n->n_red);
    else
        buf_printf(&b, "，%s无逾期未办结事项。", n->scope_name);
    n->summary = buf_detach(&b, NULL);
}

/* ---- the entry ---- */

/* The 考核 section, for the units in scope (none for an item scope). */
static int assessment_section(struct calc *c)
{
    if (c->n->p.scope != NOTICE_SCOPE_NONE) return 0;
    int64_t *ids = xcalloc((size_t)c->n_all + 1, sizeof *ids);
    int k = 0;
    for (int i = 0; i < c->n_all; i++)
        if (c->all[i].in_scope) ids[k++] = c->all[i].id;
    int rc = notice_assessment_compute(c->db, c->n, ids, k, c->e);
    free(ids);
    return rc;
}

static void calc_free(struct calc *c)
{
    free(c->all);
    free(c->by_id);
    free(c->days.start);
    free(c->accept_limit);
    free(c->item_unit);
    free(c->item_leader);
    notice_scope_free(&c->scope);
    calendar_free(&c->cal);
}

/* Fill the cutoff, the days and the calendar; 0 or -1. */
static int calc_begin(struct calc *c, int32_t from, int32_t to)
{
    /* what happened at the current millisecond has happened: now + 1 */
    int64_t now = time_now_ms() + 1, end = day_start_ms(to + 1);
    c->n->cutoff_ms = now < end ? now : end;
    c->n->cutoff_day = now < end ? time_day_of(now) : to;
    c->last_day = now < end ? time_day_of(now) - 1 : to;
    c->from_ms = day_start_ms(from);
    /* days the facts may fall on: a year before the period to a day after the cutoff */
    int32_t last = c->last_day + 2 > to + 1 ? c->last_day + 2 : to + 1;
    daymap_init(&c->days, from - 366, last);
    c->accept_limit = xcalloc((size_t)c->days.n, sizeof *c->accept_limit);
    return notice_data_calendar(c->db, &c->cal, c->e);
}

int notice_compute(struct db *db, const struct notice_params *p, struct notice *n, struct err *e)
{
    memset(n, 0, sizeof *n);
    n->p = *p;
    n->arena = arena_new();
    n->scope_name = n->office = "";
    struct calc c = {.db = db, .arena = n->arena, .n = n, .e = e};
    int rc = calc_begin(&c, p->from, p->to);
    if (!rc) rc = load_settings(&c);
    if (!rc) rc = load_units(&c);
    if (!rc) rc = notice_scope_load(db, p, n->arena, &c.scope, &n->scope_name, e);
    if (!rc) month_setup(&c);
    if (!rc) rc = notice_data_leaders(db, leader_row, &c, e);
    if (!rc) rc = scan_items(&c);
    if (!rc) rc = scan_before(&c);
    if (!rc) rc = red_details(&c);
    if (!rc) rc = scan_feedback(&c);
    if (!rc) rc = scan_deductions(&c);
    if (!rc) rc = scan_lights(&c);
    if (!rc) rc = scan_months(&c);
    if (!rc) months_now(n);
    if (!rc) rc = notice_requests_compute(db, n, e);
    if (!rc) rc = notice_remediation_compute(db, n, e);
    if (!rc) rc = assessment_section(&c);
    if (!rc) {
        /* red_compare needs the unit rows; ranking reorders units only */
        notice_rank_units(n);
        leaders_finish(n);
        summarise(n, n->cutoff_day);
    }
    calc_free(&c);
    return rc;
}

void notice_free(struct notice *n)
{
    free(n->red);
    free(n->units);
    free(n->months);
    free(n->leaders);
    free(n->summary);
    json_decref(n->requests);
    json_decref(n->remediation);
    json_decref(n->assessment);
    arena_free(n->arena);
    memset(n, 0, sizeof *n);
}

int notice_overdue_trend(struct db *db, int64_t unit_id, int months, struct notice_month *out,
                         struct err *e)
{
    struct notice n = {.arena = arena_new()};
    struct calc c = {.db = db, .arena = n.arena, .n = &n, .e = e};
    int32_t today = time_today(), ends[40];
    if (months < 1 || months > 40) return err_set(e, 500, "internal", "bad month count");
    int y, m, d;
    date_split(today, &y, &m, &d);
    for (int k = months - 1; k >= 0; k--) {
        int32_t first = date_make(y, m, 1);
        int32_t next = m == 12 ? date_make(y + 1, 1, 1) : date_make(y, m + 1, 1);
        ends[k] = next - 1 < today - 1 ? next - 1 : today - 1;
        memset(&out[k], 0, sizeof out[k]);
        month_label(first, out[k].month);
        if (--m == 0) m = 12, y--;
    }
    int rc = calc_begin(&c, ends[0] - 31, today);
    if (!rc) rc = load_units(&c);
    if (!rc && unit_id) mark_subtree(&c, unit_id);
    int64_t counts[40];
    /* the current month's point is now (the moment after it: a clock held
     * still, LUOSHI_NOW, gives every write the same millisecond) */
    if (!rc) rc = overdue_at(&c, ends, months, time_now_ms() + 1, counts);
    if (!rc)
        for (int k = 0; k < months; k++)
            out[k].overdue = counts[k];
    calc_free(&c);
    notice_free(&n);
    return rc;
}
