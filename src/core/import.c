/* import.c — a 任务分解表's sheet into checked rows (import.h): the header,
 * each row's values, and every problem by row and column.  Parents and
 * storing are import_store.c's.
 *
 * A problem is collected, never returned: the preview shows all of them at
 * once, so the office fixes the sheet in one pass.  Values are compared
 * trimmed; a header is compared without any spaces and ASCII case-blind, so
 * "完成\n时限" and "Deadline" both name their column. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/import.h"
#include "core/import_internal.h"
#include "core/meeting.h"
#include "core/unit.h"
#include "intake/sheet.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

static const struct {
    enum import_field field;
    const char *json;
    const char *names[7];
} fields[IMPORT_FIELDS] = {
    {IMPORT_OUTLINE, "outline", {"序号", "大纲号", "编号", "outline", "no.", "no"}},
    {IMPORT_PARENT, "parent", {"上级", "上级序号", "上级任务", "parent"}},
    {IMPORT_TITLE, "title", {"任务名称", "标题", "任务", "工作任务", "title"}},
    {IMPORT_LEAD, "lead_unit", {"牵头单位", "责任单位", "牵头部门", "leadunit", "lead_unit"}},
    {IMPORT_CO,
     "co_units",
     {"配合单位", "协办单位", "配合部门", "co-units", "co_units", "counits"}},
    {IMPORT_DEADLINE, "deadline", {"完成时限", "时限", "完成时间", "deadline"}},
    {IMPORT_CYCLE, "feedback_cycle", {"反馈周期", "feedbackcycle", "feedback_cycle"}},
    {IMPORT_TARGET, "target", {"目标值", "目标", "target"}},
    {IMPORT_UNIT, "metric_unit", {"单位", "计量单位", "unit", "metricunit", "metric_unit"}},
    {IMPORT_DESCRIPTION, "description", {"说明", "描述", "备注", "description"}},
    {IMPORT_LEADER, "leader", {"责任领导", "分管领导", "牵头领导", "leader"}},
};

const char *import_field_name(enum import_field f)
{
    return fields[f].json;
}

void import_column_name(const struct import_plan *p, enum import_field f, char out[4])
{
    int c = p->column[f];
    out[0] = '\0';
    if (c < 0) return;
    if (c < 26)
        snprintf(out, 4, "%c", 'A' + c);
    else
        snprintf(out, 4, "%c%c", 'A' + c / 26 - 1, 'A' + c % 26);
}

/* The field a header cell names, or -1. */
static int header_field(const char *cell)
{
    char norm[64];
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)cell; *c && n + 1 < sizeof norm; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n') continue;
        if (c[0] == 0xE3 && c[1] == 0x80 && c[2] == 0x80) { /* U+3000, the wide space */
            c += 2;
            continue;
        }
        norm[n++] = (char)(*c < 0x80 ? tolower(*c) : *c);
    }
    norm[n] = '\0';
    for (int f = 0; f < IMPORT_FIELDS; f++)
        for (int k = 0; k < 7 && fields[f].names[k]; k++)
            if (!strcmp(norm, fields[f].names[k])) return f;
    return -1;
}

/* Map row r's header names into col[] (a field's first column wins, unless
 * over is set: then this row's names replace the earlier row's).  Returns
 * the number of known names. */
static int header_map(const struct sheet *s, size_t r, int col[IMPORT_FIELDS], int over)
{
    int known = 0, seen[IMPORT_FIELDS] = {0};
    for (size_t c = 0; c < s->n_cols; c++) {
        int f = header_field(sheet_cell(s, r, c));
        if (f < 0) continue;
        known++;
        if (over && !seen[f]) {
            for (int g = 0; g < IMPORT_FIELDS; g++) /* the column changes field */
                if (col[g] == (int)c) col[g] = -1;
            col[f] = (int)c, seen[f] = 1;
        } else if (!over && col[f] < 0)
            col[f] = (int)c;
    }
    return known;
}

/* Find the header (and a second header row under it). */
static int plan_header(struct import_plan *p, const struct sheet *s, struct err *e)
{
    for (size_t r = 0; r < s->n_rows; r++) {
        for (int f = 0; f < IMPORT_FIELDS; f++)
            p->column[f] = -1;
        if (header_map(s, r, p->column, 0) < 2 || p->column[IMPORT_TITLE] < 0) continue;
        p->header_row = r + 1;
        if (r + 1 < s->n_rows) {
            int next[IMPORT_FIELDS];
            memcpy(next, p->column, sizeof next);
            if (header_map(s, r + 1, next, 1) > 0 && next[IMPORT_TITLE] >= 0) {
                memcpy(p->column, next, sizeof next);
                p->header_row = r + 2;
            }
        }
        return 0;
    }
    return err_set(e, 422, "import_no_header",
                   "no row names the columns: a title (任务名称 or title) and at least one more");
}

void import_problem(struct import_plan *p, size_t row, enum import_field f, const char *code,
                    const char *value)
{
    if (p->n_problems == p->cap_problems) {
        p->cap_problems = p->cap_problems ? 2 * p->cap_problems : 16;
        p->problems = xrealloc(p->problems, p->cap_problems * sizeof *p->problems);
    }
    struct import_problem *x = &p->problems[p->n_problems++];
    x->row = row, x->field = f, x->code = code;
    utf8_copy(x->value, sizeof x->value, value ? value : "");
}

/* Today plus n working days on the database's calendar. */
static int working_days(struct db *db, struct import_ctx *cx, long n, char out[11])
{
    if (!cx->cal_loaded) {
        int rc = calendar_load(db, &cx->cal);
        if (rc != DB_OK) return rc;
        cx->cal_loaded = 1;
    }
    date_format(calendar_add_working_days(&cx->cal, time_today(), (int)n), out);
    return DB_OK;
}

/* "N 个工作日(内)" / "N working days": n, else -1. */
static long working_day_count(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || n < 0 || n > 3650 || !isdigit((unsigned char)s[0])) return -1;
    while (*end == ' ')
        end++;
    if (!strcmp(end, "个工作日") || !strcmp(end, "个工作日内") || !strcmp(end, "工作日") ||
        !strcmp(end, "working days") || !strcmp(end, "working day"))
        return n;
    return -1;
}

/* The number at *s (1 to 4 digits) moving *s past it, or -1. */
static int digits(const char **s, int most)
{
    int v = 0, n = 0;
    while (n < most && **s >= '0' && **s <= '9')
        v = v * 10 + (*(*s)++ - '0'), n++;
    return n ? v : -1;
}

/* *s past lit when it starts there: 1, else 0. */
static int skip(const char **s, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*s, lit, n)) return 0;
    *s += n;
    return 1;
}

/* A date as YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日(前) into out. */
static int date_any(const char *s, char out[11])
{
    static const char *const seps[][3] = {
        {"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"}};
    int32_t day;
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        const char *c = s;
        int y = digits(&c, 4), m = -1, d = -1;
        if (y < 0 || !skip(&c, seps[k][0]) || (m = digits(&c, 2)) < 0 || !skip(&c, seps[k][1]) ||
            (d = digits(&c, 2)) < 0)
            continue;
        skip(&c, seps[k][2]);
        skip(&c, "前");
        if (*c || y < 1000 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
        if (date_parse(tmp, 10, &day)) return -1;
        memcpy(out, tmp, 11);
        return 0;
    }
    return -1;
}

int import_deadline(struct db *db, struct import_ctx *cx, struct import_row *r,
                    struct import_plan *p)
{
    const char *v = r->cell[IMPORT_DEADLINE];
    long n;
    if (!*v) return DB_OK;
    if ((n = working_day_count(v)) >= 0) {
        int rc = working_days(db, cx, n, r->deadline);
        if (rc != DB_OK) return rc;
    } else if (date_any(v, r->deadline)) {
        import_problem(p, r->row, IMPORT_DEADLINE, "bad_date", v);
        return DB_OK;
    }
    r->in.deadline = r->deadline;
    return DB_OK;
}

/* The feedback cycle a cell names, or NULL. */
static const char *cycle_of(const char *v)
{
    static const struct {
        const char *code, *names[6];
    } cycles[] = {
        {"none", {"", "none", "无", "不反馈", "不定期"}},
        {"weekly", {"weekly", "每周", "周", "一周一报", "每周一次"}},
        {"biweekly", {"biweekly", "每两周", "双周", "两周", "半月"}},
        {"monthly", {"monthly", "每月", "月", "一月一报", "每月一次"}},
        {"quarterly", {"quarterly", "每季度", "季度", "季", "每季"}},
    };
    for (size_t i = 0; i < sizeof cycles / sizeof cycles[0]; i++)
        for (int k = 0; k < 6 && cycles[i].names[k]; k++)
            if (!strcmp(v, cycles[i].names[k])) return cycles[i].code;
    return NULL;
}

/* Title, cycle, target and its unit, description. */
void import_values(struct import_plan *p, struct import_row *r)
{
    const char *v = r->cell[IMPORT_TITLE];
    r->in.kind = "task", r->in.source = "import";
    r->in.title = v;
    r->in.description = r->cell[IMPORT_DESCRIPTION];
    if (!*v)
        import_problem(p, r->row, IMPORT_TITLE, "missing_value", v);
    else if (utf8_count(v, strlen(v)) > 200)
        import_problem(p, r->row, IMPORT_TITLE, "too_long", v);
    if (!(r->in.feedback_cycle = cycle_of(r->cell[IMPORT_CYCLE]))) {
        import_problem(p, r->row, IMPORT_CYCLE, "bad_cycle", r->cell[IMPORT_CYCLE]);
        r->in.feedback_cycle = "none";
    }
    v = r->cell[IMPORT_TARGET];
    if (*v) {
        if (str_to_double(v, strlen(v), &r->in.metric_target))
            import_problem(p, r->row, IMPORT_TARGET, "bad_number", v);
        else
            r->in.has_metric = 1;
    } else if (*r->cell[IMPORT_UNIT])
        import_problem(p, r->row, IMPORT_TARGET, "missing_value", v);
    if (*r->cell[IMPORT_UNIT]) {
        if (utf8_count(r->cell[IMPORT_UNIT], strlen(r->cell[IMPORT_UNIT])) > 20)
            import_problem(p, r->row, IMPORT_UNIT, "too_long", r->cell[IMPORT_UNIT]);
        r->in.metric_unit = r->cell[IMPORT_UNIT];
    }
}

/* A unit by code, else by name as intake matches names.  0 when none. */
static int64_t unit_find(struct db *db, const char *s)
{
    int64_t id = unit_id_by_code(db, s);
    return id > 0 ? id : meeting_unit_by_name(db, s);
}

/* The next name of a list split by 、，,；; and spaces into name (size bytes);
 * returns the position after it, or NULL at the end. */
static const char *next_name(const char *s, char *name, size_t size)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", " ", "\n"};
    for (;;) {
        size_t k = 0;
        for (; k < 7; k++)
            if (str_starts(s, seps[k])) break;
        if (k == 7) break;
        s += strlen(seps[k]);
    }
    if (!*s) return NULL;
    size_t n = 0;
    while (s[n]) {
        size_t k = 0;
        while (k < 7 && !str_starts(s + n, seps[k]))
            k++;
        if (k < 7) break;
        n++;
    }
    snprintf(name, size, "%.*s", (int)n, s);
    return s + n;
}

/* The row's responsible leader (责任领导): the one enabled user with the
 * leader role whose display name or user name is the cell.  A db code. */
static int import_leader(struct db *db, struct import_row *r, struct import_plan *p)
{
    const char *v = r->cell[IMPORT_LEADER];
    if (!*v) return DB_OK;
    struct db_stmt *st = db_prepare(db, "SELECT id FROM users WHERE (roles & 4) <> 0"
                                        " AND disabled = 0 AND (name = ?1 OR username = ?1)"
                                        " ORDER BY id LIMIT 2");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, v, (size_t)-1);
    int rc, n = 0;
    int64_t id = 0;
    while ((rc = db_step(st)) == DB_ROW)
        if (n++ == 0) id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    if (n == 1)
        r->in.leader_id = id;
    else
        import_problem(p, r->row, IMPORT_LEADER, n ? "ambiguous_leader" : "unknown_leader", v);
    return DB_OK;
}

int import_units(struct db *db, struct import_row *r, struct import_plan *p)
{
    const char *v = r->cell[IMPORT_LEAD], *s;
    char name[256];
    int64_t id;
    if (!*v)
        import_problem(p, r->row, IMPORT_LEAD, "missing_value", v);
    else if ((id = unit_find(db, v)) < 0)
        return (int)id;
    else if (!id)
        import_problem(p, r->row, IMPORT_LEAD, "unknown_unit", v);
    else
        r->in.lead_unit_id = id;
    for (s = r->cell[IMPORT_CO]; (s = next_name(s, name, sizeof name));) {
        if ((id = unit_find(db, name)) < 0) return (int)id;
        if (!id)
            import_problem(p, r->row, IMPORT_CO, "unknown_unit", name);
        else if (id == r->in.lead_unit_id)
            import_problem(p, r->row, IMPORT_CO, "lead_is_co", name);
        else if (r->in.n_co == ITEM_MAX_CO_UNITS)
            import_problem(p, r->row, IMPORT_CO, "too_many_units", name);
        else {
            int dup = 0;
            for (int k = 0; k < r->in.n_co; k++)
                dup |= r->in.co_unit_ids[k] == id;
            if (!dup) r->in.co_unit_ids[r->in.n_co++] = id;
        }
    }
    return import_leader(db, r, p);
}

/* The rows under the header, each a trimmed copy of its cells; blank rows
 * are skipped. */
static void plan_rows(struct import_plan *p, const struct sheet *s, struct arena *a)
{
    p->rows = arena_alloc(a, (s->n_rows + 1) * sizeof *p->rows);
    for (size_t r = p->header_row; r < s->n_rows; r++) {
        struct import_row *x = &p->rows[p->n];
        int any = 0;
        memset(x, 0, sizeof *x);
        for (int f = 0; f < IMPORT_FIELDS; f++) {
            const char *v = p->column[f] < 0 ? "" : sheet_cell(s, r, (size_t)p->column[f]);
            size_t start, n = str_trim(v, strlen(v), &start);
            x->cell[f] = arena_strndup(a, v + start, n);
            any |= n > 0;
        }
        if (!any) continue;
        x->row = r + 1;
        x->parent = -1;
        p->n++;
    }
}

/* The sheet of the file, or e. */
static int plan_sheet(struct import_plan *p, const void *data, size_t len, struct sheet *s,
                      struct err *e)
{
    if (sheet_read(data, len, NULL, s)) {
        char msg[256];
        sheet_message(s, 1, msg, sizeof msg);
        return err_say(e, sheet_err_status(s->err), sheet_err_code(s->err), msg);
    }
    p->format = s->xlsx ? "xlsx" : "csv";
    return 0;
}

int import_plan_read(struct db *db, const void *data, size_t len, const char *name,
                     struct import_plan *p, struct err *e)
{
    struct sheet s;
    unsigned char h[crypto_hash_sha256_BYTES];
    memset(p, 0, sizeof *p);
    crypto_hash_sha256(h, data, len);
    str_hex(h, sizeof h, p->sha256);
    utf8_copy(p->name, sizeof p->name, name && *name ? name : "import");
    if (plan_sheet(p, data, len, &s, e)) return -1;
    struct arena *a = arena_new();
    p->mem = a;
    int rc = plan_header(p, &s, e);
    if (!rc) plan_rows(p, &s, a);
    sheet_free(&s);
    if (!rc && !p->n) rc = err_set(e, 422, "import_empty", "the sheet has no row under its header");
    if (!rc) rc = import_check(db, p, e);
    if (rc) import_plan_free(p);
    return rc;
}

void import_plan_free(struct import_plan *p)
{
    if (!p) return;
    arena_free(p->mem);
    free(p->problems);
    memset(p, 0, sizeof *p);
}
