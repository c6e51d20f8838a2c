/* efficiency_results.c — a year's scores as read (efficiency.h): every row
 * of the year's data scored under the year's config, ranked within its
 * track in its town and in the city, counted by class per town.  Who sees
 * which row is decided here, once: the office (actor_sees_all) every row
 * once evaluated, an enterprise its own once published. */
#include <stdlib.h>
#include <string.h>

#include "core/efficiency.h"
#include "core/remediation.h"
#include "util/arena.h"
#include "util/jsonw.h"
#include "util/mem.h"
#include "util/time.h"

struct res {
    int64_t unit, town;
    const char *credit, *name, *town_code, *town_name;
    struct eff_row row;
    struct eff_score sc;
    int rank_town, rank_city;
};

struct results {
    struct res *r;
    size_t n, cap;
    struct arena *mem;
};

static int load(struct db *db, int year, const struct eff_config *c, struct results *x)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT d.unit_id, en.credit_code, u.name, d.town_unit_id, t.code, t.name, d.scale,"
            " d.land_mu, d.tax_wan, d.value_added_wan, d.revenue_wan, d.employees, d.energy_tce,"
            " d.emission_t, d.rd_wan, d.electricity_mwh FROM efficiency_data d"
            " JOIN units u ON u.id = d.unit_id JOIN enterprises en ON en.unit_id = d.unit_id"
            " JOIN units t ON t.id = d.town_unit_id WHERE d.year = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, year);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (x->n == x->cap) {
            x->cap = x->cap ? x->cap * 2 : 64;
            x->r = xrealloc(x->r, x->cap * sizeof *x->r);
        }
        struct res *r = &x->r[x->n++];
        memset(r, 0, sizeof *r);
        r->unit = db_column_int64(st, 0), r->town = db_column_int64(st, 3);
        r->credit = arena_strdup(x->mem, db_column_text(st, 1));
        r->name = arena_strdup(x->mem, db_column_text(st, 2));
        r->town_code = arena_strdup(x->mem, db_column_text(st, 4));
        r->town_name = arena_strdup(x->mem, db_column_text(st, 5));
        r->row.above = !strcmp(db_column_text(st, 6), "above");
        r->row.land_mu = db_column_double(st, 7);
        for (int i = 0; i < EFF_INPUTS; i++)
            if (!db_column_is_null(st, 8 + i)) {
                r->row.in[i] = db_column_double(st, 8 + i);
                r->row.have |= 1u << i;
            }
        efficiency_score(c, &r->row, &r->sc);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int by_score(const struct res *a, const struct res *b)
{
    if (a->sc.score != b->sc.score) return a->sc.score > b->sc.score ? -1 : 1;
    return strcmp(a->credit, b->credit);
}

/* Track, town, score: the order the town ranks are counted in. */
static int by_town(const void *pa, const void *pb)
{
    const struct res *a = pa, *b = pb;
    if (a->sc.track != b->sc.track) return a->sc.track < b->sc.track ? -1 : 1;
    if (a->town != b->town) return a->town < b->town ? -1 : 1;
    return by_score(a, b);
}

static int by_track(const void *pa, const void *pb)
{
    const struct res *a = pa, *b = pb;
    if (a->sc.track != b->sc.track) return a->sc.track < b->sc.track ? -1 : 1;
    return by_score(a, b);
}

static int by_output(const void *pa, const void *pb)
{
    return by_score(pa, pb);
}

/* Competition ranks (1, 1, 3) within runs of equal track (and town). */
static void rank(struct results *x, int town)
{
    size_t start = 0;
    if (x->n) /* no rows: x->r may be NULL, which qsort must not be given */
        qsort(x->r, x->n, sizeof *x->r, town ? by_town : by_track);
    for (size_t i = 0; i < x->n; i++) {
        struct res *r = &x->r[i], *p = i ? &x->r[i - 1] : NULL;
        int *k = town ? &r->rank_town : &r->rank_city;
        if (!p || p->sc.track != r->sc.track || (town && p->town != r->town)) {
            start = i;
            *k = 1;
        } else {
            *k = p->sc.score == r->sc.score ? (town ? p->rank_town : p->rank_city)
                                            : (int)(i - start + 1);
        }
    }
}

static json_t *indicators_json(const struct eff_config *c, const struct res *r)
{
    const char *const *keys;
    const struct eff_track_config *tc =
        c->track[r->sc.track].set ? &c->track[r->sc.track] : &c->track[EFF_BELOW];
    int n = efficiency_indicators(r->sc.track, &keys);
    json_t *o = json_object();
    for (int i = 0; i < n; i++) {
        int miss = r->sc.missing >> i & 1;
        json_object_set_new(o, keys[i],
                            json_pack("{s:o,s:f,s:f,s:f,s:b}", "value",
                                      miss ? json_null() : json_real(r->sc.value[i]), "divisor",
                                      tc->divisor[i], "weight", tc->weight[i], "points",
                                      r->sc.points[i], "missing", miss));
    }
    return o;
}

static json_t *row_json(const struct eff_config *c, const struct res *r)
{
    const char *const *keys;
    efficiency_indicators(r->sc.track, &keys);
    json_t *missing = json_array(), *flags = json_array();
    for (int i = 0; i < r->sc.n; i++)
        if (r->sc.missing >> i & 1) json_array_append_new(missing, json_string(keys[i]));
    if (r->sc.flags & EFF_FLAG_SMALL_ABOVE)
        json_array_append_new(flags, json_string("small_above"));
    if (r->sc.flags & EFF_FLAG_LARGE_BELOW)
        json_array_append_new(flags, json_string("large_below"));
    if (r->sc.missing) json_array_append_new(flags, json_string("missing_input"));
    return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:f,s:f,s:s#,s:s,s:o,s:o,s:o,s:i,s:i}",
                     "enterprise_unit_id", (json_int_t)r->unit, "credit_code", r->credit, "name",
                     r->name, "town_unit_id", (json_int_t)r->town, "town_code", r->town_code,
                     "town_name", r->town_name, "track", efficiency_track_name(r->sc.track),
                     "scale", r->row.above ? "above" : "below", "land_mu", r->row.land_mu, "score",
                     r->sc.score, "class", &r->sc.cls, (size_t)1, "label",
                     c->label[r->sc.cls - 'A'], "indicators", indicators_json(c, r), "missing",
                     missing, "flags", flags, "rank_town", r->rank_town, "rank_city", r->rank_city);
}

static int by_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* [{"town_unit_id","town_code","town_name","A","B","C","D"}] by town code,
 * and the totals. */
static json_t *counts_json(const struct results *x, json_t *totals)
{
    json_t *by = json_object(), *out = json_array();
    const char *code;
    json_t *v;
    for (size_t i = 0; i < x->n; i++) {
        const struct res *r = &x->r[i];
        json_t *t = json_object_get(by, r->town_code);
        if (!t) {
            t = json_pack("{s:I,s:s,s:s,s:i,s:i,s:i,s:i}", "town_unit_id", (json_int_t)r->town,
                          "town_code", r->town_code, "town_name", r->town_name, "A", 0, "B", 0, "C",
                          0, "D", 0);
            json_object_set_new(by, r->town_code, t);
        }
        char k[2] = {r->sc.cls, 0};
        json_object_set_new(t, k, json_integer(json_integer_value(json_object_get(t, k)) + 1));
        json_object_set_new(totals, k,
                            json_integer(json_integer_value(json_object_get(totals, k)) + 1));
    }
    /* jansson keeps insertion order; sort the codes for a stable answer */
    size_t n = json_object_size(by), i = 0;
    const char **codes = xcalloc(n + 1, sizeof *codes);
    json_object_foreach(by, code, v) codes[i++] = code;
    qsort(codes, n, sizeof *codes, by_code);
    for (i = 0; i < n; i++)
        json_array_append(out, json_object_get(by, codes[i]));
    free(codes);
    json_decref(by);
    return out;
}

/* Whether a sees the year's rows: 2 all, 1 only its own unit's, 0 none. */
static int sees(const struct actor *a, const char *state)
{
    if (!strcmp(state, "open")) return 0;
    if (actor_sees_all(a)) return 2;
    return strcmp(state, "evaluated") ? 1 : 0;
}

/* Rank x in town and city, then order it as the results are read. */
static void results_order(struct results *x)
{
    rank(x, 1);
    rank(x, 0);
    if (x->n) qsort(x->r, x->n, sizeof *x->r, by_output);
}

static json_t *results_build(const struct eff_config *c, struct results *x, const struct actor *a,
                             int who)
{
    json_t *rows = json_array(),
           *totals = json_pack("{s:i,s:i,s:i,s:i}", "A", 0, "B", 0, "C", 0, "D", 0);
    results_order(x);
    for (size_t i = 0; i < x->n; i++)
        if (who == 2 || x->r[i].unit == a->unit_id)
            json_array_append_new(rows, row_json(c, &x->r[i]));
    json_t *counts = who == 2 ? counts_json(x, totals) : json_array();
    return json_pack("{s:o,s:o,s:o}", "results", rows, "class_counts", counts, "totals", totals);
}

/* The year's state, config and (when a sees any) rows into x: DB_OK with
 * *who (sees()), or a db code. */
static int results_read(struct db *db, const struct actor *a, int year, struct eff_config *c,
                        const char **state, int64_t *until, int *who, struct results *x)
{
    int rc = efficiency_state(db, year, state, until);
    if (rc == DB_OK) rc = efficiency_config_load(db, year, c);
    if (rc != DB_OK) return rc;
    *who = sees(a, *state);
    return *who ? load(db, year, c, x) : DB_OK;
}

json_t *efficiency_results_json(struct db *db, const struct actor *a, int year, struct err *e)
{
    struct eff_config c;
    const char *state;
    int64_t until;
    int who = 0;
    struct results x = {.mem = arena_new()};
    int rc = results_read(db, a, year, &c, &state, &until, &who, &x);
    json_t *v = NULL;
    if (rc != DB_OK) {
        err_db(e, rc, "reading the evaluation");
    } else {
        char at[40] = "";
        if (until) time_format_iso(until, at, sizeof at);
        v = results_build(&c, &x, a, who);
        json_object_set_new(v, "year", json_integer(year));
        json_object_set_new(v, "state", json_string(state));
        json_object_set_new(v, "objections_until", until ? json_string(at) : json_null());
    }
    free(x.r);
    arena_free(x.mem);
    return v;
}

/* ---- the same JSON written straight into a buffer (efficiency_results_write) ---- */

static void indicators_write(struct buf *b, const struct eff_config *c, const struct res *r)
{
    const char *const *keys;
    const struct eff_track_config *tc =
        c->track[r->sc.track].set ? &c->track[r->sc.track] : &c->track[EFF_BELOW];
    int n = efficiency_indicators(r->sc.track, &keys);
    buf_putc(b, '{');
    for (int i = 0; i < n; i++) {
        int miss = r->sc.missing >> i & 1;
        if (i) buf_putc(b, ',');
        jw_key(b, keys[i]);
        buf_puts(b, "{\"value\":");
        if (miss)
            buf_puts(b, "null");
        else
            jw_real(b, r->sc.value[i]);
        buf_puts(b, ",\"divisor\":");
        jw_real(b, tc->divisor[i]);
        buf_puts(b, ",\"weight\":");
        jw_real(b, tc->weight[i]);
        buf_puts(b, ",\"points\":");
        jw_real(b, r->sc.points[i]);
        buf_puts(b, miss ? ",\"missing\":true}" : ",\"missing\":false}");
    }
    buf_putc(b, '}');
}

/* "missing":[keys],"flags":[…] of row r. */
static void lists_write(struct buf *b, const struct res *r)
{
    const char *const *keys;
    efficiency_indicators(r->sc.track, &keys);
    const char *sep = "";
    buf_puts(b, ",\"missing\":[");
    for (int i = 0; i < r->sc.n; i++)
        if (r->sc.missing >> i & 1) {
            buf_puts(b, sep);
            jw_str(b, keys[i]);
            sep = ",";
        }
    sep = "";
    buf_puts(b, "],\"flags\":[");
    if (r->sc.flags & EFF_FLAG_SMALL_ABOVE) buf_puts(b, "\"small_above\""), sep = ",";
    if (r->sc.flags & EFF_FLAG_LARGE_BELOW)
        buf_puts(b, sep), buf_puts(b, "\"large_below\""), sep = ",";
    if (r->sc.missing) buf_puts(b, sep), buf_puts(b, "\"missing_input\"");
    buf_putc(b, ']');
}

/* Row r as row_json's object, key for key. */
static void row_write(struct buf *b, const struct eff_config *c, const struct res *r)
{
    char cls[2] = {r->sc.cls, 0};
    buf_puts(b, "{\"enterprise_unit_id\":");
    jw_int(b, r->unit);
    buf_puts(b, ",\"credit_code\":");
    jw_str(b, r->credit);
    buf_puts(b, ",\"name\":");
    jw_str(b, r->name);
    buf_puts(b, ",\"town_unit_id\":");
    jw_int(b, r->town);
    buf_puts(b, ",\"town_code\":");
    jw_str(b, r->town_code);
    buf_puts(b, ",\"town_name\":");
    jw_str(b, r->town_name);
    buf_puts(b, ",\"track\":");
    jw_str(b, efficiency_track_name(r->sc.track));
    buf_puts(b, r->row.above ? ",\"scale\":\"above\",\"land_mu\":"
                             : ",\"scale\":\"below\",\"land_mu\":");
    jw_real(b, r->row.land_mu);
    buf_puts(b, ",\"score\":");
    jw_real(b, r->sc.score);
    buf_puts(b, ",\"class\":");
    jw_str(b, cls);
    buf_puts(b, ",\"label\":");
    jw_str(b, c->label[r->sc.cls - 'A']);
    buf_puts(b, ",\"indicators\":");
    indicators_write(b, c, r);
    lists_write(b, r);
    buf_puts(b, ",\"rank_town\":");
    jw_int(b, r->rank_town);
    buf_puts(b, ",\"rank_city\":");
    jw_int(b, r->rank_city);
    buf_putc(b, '}');
}

/* Append v's compact text (jansson's; stolen) to b. */
static void dump_into(struct buf *b, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);
    buf_puts(b, s ? s : "null");
    free(s);
    json_decref(v);
}

/* x (read, who > 0 or no rows) as efficiency_results_json's text. */
static void results_write(struct buf *b, const struct eff_config *c, struct results *x,
                          const struct actor *a, int who)
{
    const char *sep = "";
    results_order(x);
    buf_puts(b, "{\"results\":[");
    for (size_t i = 0; i < x->n; i++)
        if (who == 2 || x->r[i].unit == a->unit_id) {
            buf_puts(b, sep);
            row_write(b, c, &x->r[i]);
            sep = ",";
        }
    json_t *totals = json_pack("{s:i,s:i,s:i,s:i}", "A", 0, "B", 0, "C", 0, "D", 0);
    buf_puts(b, "],\"class_counts\":");
    dump_into(b, who == 2 ? counts_json(x, totals) : json_array());
    buf_puts(b, ",\"totals\":");
    dump_into(b, totals);
}

int efficiency_results_write(struct db *db, const struct actor *a, int year, struct buf *out,
                             struct err *e)
{
    struct eff_config c;
    const char *state;
    int64_t until;
    int who = 0;
    struct results x = {.mem = arena_new()};
    int rc = results_read(db, a, year, &c, &state, &until, &who, &x);
    if (rc != DB_OK) {
        err_db(e, rc, "reading the evaluation");
    } else {
        char at[40] = "";
        if (until) time_format_iso(until, at, sizeof at);
        results_write(out, &c, &x, a, who);
        buf_puts(out, ",\"year\":");
        jw_int(out, year);
        buf_puts(out, ",\"state\":");
        jw_str(out, state);
        buf_puts(out, ",\"objections_until\":");
        jw_str(out, until ? at : NULL);
        buf_putc(out, '}');
    }
    free(x.r);
    arena_free(x.mem);
    return rc == DB_OK ? 0 : -1;
}

json_t *efficiency_remediation_json(struct db *db, int year, json_t *v)
{
    json_t *out = json_array(), *r;
    size_t i;
    json_array_foreach(json_object_get(v, "results"), i, r)
    {
        const char *cls = json_string_value(json_object_get(r, "class"));
        if (!cls || (strcmp(cls, "C") && strcmp(cls, "D"))) continue;
        int64_t item = 0; /* the remediation finalize opened for it (core/remediation.h) */
        json_t *ent = json_object_get(r, "enterprise_unit_id");
        if (remediation_of_year(db, year, json_integer_value(ent), &item) != DB_OK) item = 0;
        json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:s,s:o}", "enterprise_unit_id", ent,
                                             "town_unit_id", json_object_get(r, "town_unit_id"),
                                             "land_mu", json_object_get(r, "land_mu"), "class", cls,
                                             "item_id", item ? json_integer(item) : json_null()));
    }
    return out;
}
