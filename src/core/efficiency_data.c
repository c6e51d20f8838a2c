/* efficiency_data.c — a year's 亩均 data from one sheet (efficiency.h): the
 * header, every row checked (each problem collected with its row, column
 * and code, so the office fixes the sheet in one pass), and storing it all
 * or nothing: the enterprises not yet registered are created under their
 * town, the year's rows replaced.
 *
 * Problem codes: missing_field, bad_credit_code, duplicate_credit_code,
 * unknown_town, bad_scale, not_a_number, negative_land, negative_value. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/efficiency.h"
#include "core/efficiency_internal.h"
#include "core/unit.h"
#include "intake/sheet.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/str.h"

enum col {
    C_CREDIT,
    C_NAME,
    C_TOWN,
    C_SCALE,
    C_LAND,
    C_INPUT0, /* EFF_INPUTS columns in enum eff_input's order */
    C_INDUSTRY = C_INPUT0 + EFF_INPUTS,
    C_COLS
};

static const char *const col_names[C_COLS][2] = {
    {"credit_code", "统一社会信用代码"},
    {"name", "企业名称"},
    {"town", "镇街"},
    {"scale", "规模"},
    {"land_mu", "用地面积"},
    {"tax_wan", "税收"},
    {"value_added_wan", "工业增加值"},
    {"revenue_wan", "营业收入"},
    {"employees", "职工人数"},
    {"energy_tce", "综合能耗"},
    {"emission_t", "排放量"},
    {"rd_wan", "研发经费"},
    {"electricity_mwh", "用电量"},
    {"industry", "行业"},
};

struct problem {
    size_t row;
    const char *column, *code;
    char value[128];
};

struct prow {
    size_t row;
    const char *credit, *name, *town, *industry;
    int64_t town_id, unit_id; /* unit_id 0: a new enterprise */
    const char *unit_code;    /* a known enterprise's unit code */
    struct eff_row data;
};

struct eff_plan {
    int col[C_COLS];
    size_t header_row;
    char sha256[65];
    struct prow *rows;
    size_t n, fresh;
    struct problem *problems;
    size_t n_problems, cap;
    size_t *seen, cap_seen; /* dup_credit's set: row index + 1, 0 empty */
    struct arena *mem;
};

static void problem(struct eff_plan *p, size_t row, int col, const char *code, const char *value)
{
    if (p->n_problems == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->problems = xrealloc(p->problems, p->cap * sizeof *p->problems);
    }
    struct problem *x = &p->problems[p->n_problems++];
    x->row = row, x->column = col_names[col][0], x->code = code;
    snprintf(x->value, sizeof x->value, "%s", value ? value : "");
}

/* 1 when t[0..n) is name. */
static int same(const char *t, size_t n, const char *name)
{
    return strlen(name) == n && !memcmp(t, name, n);
}

static int header_find(struct eff_plan *p, const struct sheet *s, struct err *e)
{
    for (size_t r = 0; r < s->n_rows && r < 20; r++) {
        for (int c = 0; c < C_COLS; c++)
            p->col[c] = -1;
        for (size_t k = 0; k < s->n_cols; k++) {
            const char *v = sheet_cell(s, r, k);
            size_t st, n = str_trim(v, strlen(v), &st);
            for (int c = 0; c < C_COLS; c++)
                if (p->col[c] < 0 &&
                    (same(v + st, n, col_names[c][0]) || same(v + st, n, col_names[c][1])))
                    p->col[c] = (int)k;
        }
        if (p->col[C_CREDIT] >= 0 && p->col[C_LAND] >= 0) {
            p->header_row = r + 1;
            return 0;
        }
    }
    return err_set(e, 422, "efficiency_no_header",
                   "no row names the columns credit_code and land_mu (统一社会信用代码, 用地面积)");
}

static const char *cell(struct eff_plan *p, const struct sheet *s, size_t r, int c)
{
    if (p->col[c] < 0) return "";
    const char *v = sheet_cell(s, r, (size_t)p->col[c]);
    size_t st, n = str_trim(v, strlen(v), &st);
    return arena_strndup(p->mem, v + st, n);
}

/* A number cell into *out: 1 given, 0 empty, -1 a problem (recorded). */
static int number(struct eff_plan *p, size_t row, int col, const char *v, double *out)
{
    if (!*v) return 0;
    if (str_to_double(v, strlen(v), out)) return problem(p, row, col, "not_a_number", v), -1;
    if (*out < 0)
        return problem(p, row, col, col == C_LAND ? "negative_land" : "negative_value", v), -1;
    return 1;
}

/* The town's and the enterprise's ids of row x. */
static int row_lookup(struct db *db, struct eff_plan *p, struct prow *x, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM units WHERE code = ?1 AND kind = 'town'");
    if (!st) return err_db(e, DB_ERR, "reading the towns");
    db_bind_text(st, 1, x->town, (size_t)-1);
    int rc = db_step(st);
    x->town_id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading the towns");
    if (!x->town_id && *x->town) problem(p, x->row, C_TOWN, "unknown_town", x->town);
    st = db_prepare(db, "SELECT u.id, u.code FROM enterprises en JOIN units u ON u.id = en.unit_id"
                        " WHERE en.credit_code = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the enterprises");
    db_bind_text(st, 1, x->credit, (size_t)-1);
    rc = db_step(st);
    if (rc == DB_ROW) {
        x->unit_id = db_column_int64(st, 0);
        x->unit_code = arena_strdup(p->mem, db_column_text(st, 1));
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading the enterprises");
    p->fresh += x->unit_id == 0;
    return 0;
}

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* 1 when credit is a code of an earlier row, else 0 after remembering it
 * (an open-addressed set of row indices, twice the rows in size). */
static int dup_credit(struct eff_plan *p, const char *credit)
{
    size_t mask = p->cap_seen - 1, i = hash_text(credit) & mask;
    for (; p->seen[i]; i = (i + 1) & mask)
        if (!strcmp(p->rows[p->seen[i] - 1].credit, credit)) return 1;
    p->seen[i] = p->n + 1;
    return 0;
}

/* Row r of the sheet into the plan (unless blank). */
static int row_read(struct db *db, struct eff_plan *p, const struct sheet *s, size_t r,
                    struct err *e)
{
    struct prow *x = &p->rows[p->n];
    const char *v[C_COLS];
    int any = 0, bad = 0;
    for (int c = 0; c < C_COLS; c++)
        any |= *(v[c] = cell(p, s, r, c)) != '\0';
    if (!any) return 0;
    memset(x, 0, sizeof *x);
    x->row = r + 1, x->credit = v[C_CREDIT], x->name = v[C_NAME], x->town = v[C_TOWN];
    x->industry = v[C_INDUSTRY];
    for (int c = C_CREDIT; c <= C_LAND; c++)
        if (!*v[c]) problem(p, x->row, c, "missing_field", ""), bad = 1;
    if (*x->credit && !efficiency_credit_code_ok(x->credit))
        problem(p, x->row, C_CREDIT, "bad_credit_code", x->credit), bad = 1;
    else if (*x->credit && dup_credit(p, x->credit))
        problem(p, x->row, C_CREDIT, "duplicate_credit_code", x->credit), bad = 1;
    x->data.above = !strcmp(v[C_SCALE], "above") || !strcmp(v[C_SCALE], "规上");
    if (*v[C_SCALE] && !x->data.above && strcmp(v[C_SCALE], "below") && strcmp(v[C_SCALE], "规下"))
        problem(p, x->row, C_SCALE, "bad_scale", v[C_SCALE]);
    number(p, x->row, C_LAND, v[C_LAND], &x->data.land_mu);
    for (int i = 0; i < EFF_INPUTS; i++)
        if (number(p, x->row, C_INPUT0 + i, v[C_INPUT0 + i], &x->data.in[i]) == 1)
            x->data.have |= 1u << i;
    if (!bad && row_lookup(db, p, x, e)) return -1;
    p->n++;
    return 0;
}

int efficiency_plan_read(struct db *db, const void *data, size_t len, struct eff_plan **out,
                         struct err *e)
{
    struct sheet s;
    struct sheet_limits lim = {.max_rows = EFF_MAX_ROWS + 20};
    unsigned char h[crypto_hash_sha256_BYTES];
    *out = NULL;
    if (sheet_read(data, len, &lim, &s)) {
        char msg[256];
        sheet_message(&s, 1, msg, sizeof msg);
        return err_say(e, sheet_err_status(s.err), sheet_err_code(s.err), msg);
    }
    struct eff_plan *p = xcalloc(1, sizeof *p);
    crypto_hash_sha256(h, data, len);
    str_hex(h, sizeof h, p->sha256);
    p->mem = arena_new();
    int rc = header_find(p, &s, e);
    if (!rc) {
        p->rows = xcalloc(s.n_rows + 1, sizeof *p->rows);
        for (p->cap_seen = 16; p->cap_seen < 2 * s.n_rows; p->cap_seen *= 2)
            ;
        p->seen = xcalloc(p->cap_seen, sizeof *p->seen);
    }
    for (size_t r = p->header_row; !rc && r < s.n_rows; r++)
        rc = row_read(db, p, &s, r, e);
    sheet_free(&s);
    if (!rc && !p->n)
        rc = err_set(e, 422, "efficiency_empty", "the sheet has no row under its header");
    if (rc) {
        efficiency_plan_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

json_t *efficiency_plan_json(const struct eff_plan *p)
{
    int tracks[EFF_TRACKS] = {0}, mixed = 0;
    json_t *probs = json_array(), *tv = json_object();
    struct eff_config c;
    efficiency_config_default(&c);
    for (size_t i = 0; i < p->n; i++) {
        struct eff_score sc;
        efficiency_score(&c, &p->rows[i].data, &sc);
        tracks[sc.track]++;
        mixed += sc.flags != 0;
    }
    for (int t = 0; t < EFF_TRACKS; t++)
        json_object_set_new(tv, efficiency_track_name((enum eff_track)t), json_integer(tracks[t]));
    for (size_t i = 0; i < p->n_problems; i++)
        json_array_append_new(probs,
                              json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)p->problems[i].row,
                                        "column", p->problems[i].column, "code",
                                        p->problems[i].code, "value", p->problems[i].value));
    return json_pack("{s:I,s:o,s:i,s:I,s:s,s:o}", "rows", (json_int_t)p->n, "tracks", tv, "mixed",
                     mixed, "new_enterprises", (json_int_t)p->fresh, "sha256", p->sha256,
                     "problems", probs);
}

/* Register row x's enterprise (new), or rename and move it (known). */
static int enterprise_put(struct db *db, const struct actor *a, struct prow *x, struct err *e)
{
    if (x->unit_id)
        return unit_edit(db, a, x->unit_code, *x->name ? x->name : x->credit, "enterprise", x->town,
                         e);
    if (unit_add(db, a, x->credit, x->name, "enterprise", x->town, &x->unit_id, e)) return -1;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO enterprises (unit_id, credit_code, industry) VALUES (?1, ?2, ?3)");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, x->unit_id);
        db_bind_text(st, 2, x->credit, (size_t)-1);
        db_bind_text(st, 3, x->industry, (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
    }
    return rc == DB_DONE ? 0 : err_db(e, rc, "registering an enterprise");
}

static int row_insert(struct db *db, int year, const struct prow *x, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO efficiency_data (year, unit_id, town_unit_id, sheet_row, scale, land_mu,"
            " tax_wan, value_added_wan, revenue_wan, employees, energy_tce, emission_t, rd_wan,"
            " electricity_mwh) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
            " ?14)");
    if (!st) return err_db(e, DB_ERR, "storing the data");
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, x->unit_id);
    db_bind_int64(st, 3, x->town_id);
    db_bind_int64(st, 4, (int64_t)x->row);
    db_bind_text(st, 5, x->data.above ? "above" : "below", (size_t)-1);
    db_bind_double(st, 6, x->data.land_mu);
    for (int i = 0; i < EFF_INPUTS; i++) {
        if (x->data.have >> i & 1)
            db_bind_double(st, 7 + i, x->data.in[i]);
        else
            db_bind_null(st, 7 + i);
    }
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "storing the data");
}

int efficiency_plan_store(struct db *db, const struct actor *a, int year, struct eff_plan *p,
                          struct err *e)
{
    if (p->n_problems)
        return err_set(e, 422, "efficiency_data_invalid",
                       "%zu problem(s) in the sheet; nothing was stored", p->n_problems);
    if (efficiency_check_open(db, year, e)) return -1;
    struct db_stmt *st = db_prepare(db, "DELETE FROM efficiency_data WHERE year = ?1");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, year);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) return err_db(e, rc, "replacing the data");
    for (size_t i = 0; i < p->n; i++) {
        struct prow *x = &p->rows[i];
        int64_t known = x->unit_id;
        if (enterprise_put(db, a, x, e) || row_insert(db, year, x, e)) return -1;
        if (!known) x->unit_id = 0; /* a retried run creates it again */
    }
    return efficiency_log(db, a, year, "import",
                          json_pack("{s:s,s:I,s:I}", "sha256", p->sha256, "rows", (json_int_t)p->n,
                                    "new_enterprises", (json_int_t)p->fresh),
                          e);
}

void efficiency_plan_free(struct eff_plan *p)
{
    if (!p) return;
    arena_free(p->mem);
    free(p->seen);
    free(p->rows);
    free(p->problems);
    free(p);
}
