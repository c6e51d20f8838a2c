/* efficiency.h — the yearly 亩均效益评价 (land-use efficiency evaluation;
 * research §1D, §2.6, §3.5; docs/efficiency.md): every enterprise's tax,
 * value added, energy, emissions, staff and R&D per 亩 of land, scored
 * against the year's benchmarks and classed A–D.
 *
 * Enterprises are units of kind 'enterprise' whose code is their 统一社会
 * 信用代码 (GB 32100-2015, checked by its 18th character), registered in
 * the enterprises table (migration 024) under their town.  A year's data
 * comes as one sheet (CSV or XLSX, intake/sheet.h), all or nothing
 * (efficiency_data.c); a row whose credit code is not registered creates
 * the enterprise, a known one takes the row's name and town.  Scores are
 * computed from the data and the year's config whenever they are read
 * (efficiency_score.c, pure), never stored.
 *
 * A year moves open → evaluated → published → final (efficiency.c).  Data
 * and config change until publication; then only an accepted objection
 * changes a row (its correction, re-scored and recorded), and finalize
 * freezes everything.  The config and the state are settings rows
 * ("efficiency.YYYY.config", "efficiency.YYYY.state", ".published_at"),
 * so each change is an event of the configuration chain with its actor;
 * imports, decisions and the steps are rows of efficiency_log too. */
#ifndef LUOSHI_CORE_EFFICIENCY_H
#define LUOSHI_CORE_EFFICIENCY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"

enum eff_track { EFF_ABOVE, EFF_BELOW, EFF_BELOW_SMALL, EFF_TRACKS };

/* The inputs of a data row (the sheet's number columns, in this order). */
enum eff_input {
    EFF_TAX,
    EFF_VALUE_ADDED,
    EFF_REVENUE,
    EFF_EMPLOYEES,
    EFF_ENERGY,
    EFF_EMISSION,
    EFF_RD,
    EFF_ELECTRICITY,
    EFF_INPUTS
};

#define EFF_MAX_IND   6    /* indicators of the above track; below has 2 */
#define EFF_SMALL_MU  3.0  /* below with less land than this: below_small */
#define EFF_LARGE_MU  10.0 /* below on this much land or more is flagged */
#define EFF_LABEL_MAX 200  /* characters of a class's policy label */
#define EFF_MAX_ROWS  200000

/* One enterprise's year: its scale, land and inputs (have: bit 1<<input
 * when given). */
struct eff_row {
    int above;
    double land_mu;
    double in[EFF_INPUTS];
    unsigned have;
};

/* A track's weights and divisors, in its indicators' order; set is 0 for
 * below_small when it takes below's. */
struct eff_track_config {
    double weight[EFF_MAX_IND], divisor[EFF_MAX_IND];
    int set;
};

/* A year's config: per track, the class thresholds A, B, C, the objection
 * window in days and a policy label per class (A..D). */
struct eff_config {
    struct eff_track_config track[EFF_TRACKS];
    double classes[3];
    int objection_days;
    char label[4][EFF_LABEL_MAX * 4 + 1];
};

/* flags of a score */
enum { EFF_FLAG_SMALL_ABOVE = 1, EFF_FLAG_LARGE_BELOW = 2 };

/* A score: per indicator its value (when not missing), points and whether
 * it was missing (bit i of missing); the total and the class 'A'..'D'. */
struct eff_score {
    enum eff_track track;
    int n;
    double value[EFF_MAX_IND], points[EFF_MAX_IND];
    unsigned missing;
    double score;
    char cls;
    unsigned flags;
};

/* 1 when s is an 18-character 统一社会信用代码 whose last character is the
 * GB 32100-2015 check character of the first 17 (alphabet 0-9 and
 * ABCDEFGHJKLMNPQRTUWXY, weights 3^i mod 31), else 0.  Pure. */
int efficiency_credit_code_ok(const char *s);

/* The track's name ("above", "below", "below_small"). */
const char *efficiency_track_name(enum eff_track t);
/* The number of indicators of track t and their keys (static storage). */
int efficiency_indicators(enum eff_track t, const char *const **keys);

/* The defaults of docs/efficiency.md into *c (weights 30/20/20/10/10/10 and
 * 50/50, the 黄岩 2022 divisors, A 80, B 60, C 40, 7 days, the 兰溪 labels). */
void efficiency_config_default(struct eff_config *c);
/* Apply patch (the config JSON, any part of it) to *c after checking all
 * of it: known tracks and keys, weights ≥ 0, divisors > 0, thresholds
 * 100 ≥ A > B > C ≥ 0, objection_days 0..90, labels strings.  0, or -1
 * with e (422 invalid_field naming the key) and *c unchanged. */
int efficiency_config_apply(struct eff_config *c, json_t *patch, struct err *e);
/* *c as the contract's JSON ("below_small" only when set).  Caller owns. */
json_t *efficiency_config_json(const struct eff_config *c);

/* Score row r under c into *s: track by scale and land, each indicator
 * value / divisor × weight rounded to 0.01 (0 and flagged missing when an
 * input is absent or a denominator is not above 0), the total rounded to
 * 0.01 and its class by the thresholds (a score equal to one is in the
 * higher class).  Pure. */
void efficiency_score(const struct eff_config *c, const struct eff_row *r, struct eff_score *s);

/* Register the enterprise unit unit_code (kind enterprise) with its
 * credit code and industry (NULL: ""), or change them.  0, or -1 with e:
 * 404 not_found (no such unit), 422 invalid_field (not an enterprise),
 * 422 bad_credit_code, 409 conflict (the code is another's), storage. */
int efficiency_enterprise_register(struct db *db, const char *unit_code, const char *credit,
                                   const char *industry, struct err *e);
/* Add or change the land parcel number (地块编号) of enterprise unit_code:
 * its area in 亩 and its use (NULL: "").  0, or -1 with e: 404, 422
 * invalid_field (no number), 422 negative_land, storage. */
int efficiency_parcel_set(struct db *db, const char *unit_code, const char *number, double area_mu,
                          const char *land_use, struct err *e);
/* {"unit_id","code","name","town_unit_id","credit_code","industry",
 * "parcels":[{"number","area_mu","use"}],"parcel_mu"} of enterprise
 * unit_code.  NULL with e (404, 422 as above).  Caller owns. */
json_t *efficiency_enterprise_json(struct db *db, const char *unit_code, struct err *e);

/* Year's config (the defaults where not set) into *c.  A db code. */
int efficiency_config_load(struct db *db, int year, struct eff_config *c);
/* Apply patch to year's config as a does, inside the caller's write
 * transaction, as an event of the configuration chain.  0, or -1 with e:
 * 409 efficiency_frozen once published, 422 as efficiency_config_apply. */
int efficiency_config_set(struct db *db, const struct actor *a, int year, json_t *patch,
                          struct err *e);
/* {"year","state","config"} for year.  NULL with e.  Caller owns. */
json_t *efficiency_config_get_json(struct db *db, int year, struct err *e);

/* A sheet read and checked: its rows and problems. */
struct eff_plan;
/* Read data[0..len) (CSV in UTF-8 or GB18030, or XLSX) into a new plan
 * (*out; free with efficiency_plan_free) and check every row against the
 * database (towns, the register).  0 (the plan may hold problems), or -1
 * with e for a file that is no sheet (the sheet's errors, 422
 * efficiency_no_header, 422 efficiency_empty) or storage. */
int efficiency_plan_read(struct db *db, const void *data, size_t len, struct eff_plan **out,
                         struct err *e);
/* {"rows","tracks":{track:n},"mixed":n,"new_enterprises":n,"problems":
 * [{"row","column","code","value"}]}.  Caller owns. */
json_t *efficiency_plan_json(const struct eff_plan *p);
/* Replace year's data with the plan's as a does, inside the caller's write
 * transaction: creates the enterprises not yet registered (under their
 * town), renames and moves known ones, records the import.  0, or -1 with
 * e: 422 efficiency_data_invalid when the plan has a problem, 409
 * efficiency_frozen once published, storage. */
int efficiency_plan_store(struct db *db, const struct actor *a, int year, struct eff_plan *p,
                          struct err *e);
/* Free p; NULL is ignored. */
void efficiency_plan_free(struct eff_plan *p);

/* The year's state into *state: "open", "evaluated", "published" or
 * "final" (static), and *until the end of the objection window in ms (0
 * before publication).  A db code. */
int efficiency_state(struct db *db, int year, const char **state, int64_t *until);

/* Evaluate (open|evaluated → evaluated), publish (evaluated → published,
 * the objection window opens now) or finalize (published, the window over
 * and no objection pending → final) year as a does, inside the caller's
 * write transaction; recorded.  0, or -1 with e: 409 efficiency_state
 * (the wrong state), 422 efficiency_no_data (nothing to evaluate), 409
 * objection_window_open / objections_pending (finalize), storage. */
int efficiency_step(struct db *db, const struct actor *a, int year, const char *step,
                    struct err *e);

/* The year's results: {"year","state","objections_until","results":[{
 * "enterprise_unit_id","credit_code","name","town_unit_id","town_code",
 * "town_name","track","scale","land_mu","score","class","label",
 * "indicators":{key:{"value","divisor","weight","points","missing"}},
 * "missing":[keys],"flags":[…],"rank_town","rank_city"}],"class_counts":
 * [{"town_unit_id","town_code","town_name","A","B","C","D"}],"totals":
 * {"A","B","C","D"}}, ordered by score (highest first) then credit code;
 * ranks are within the track, in the town and the city (ties share one).
 * The office (actor_sees_all) sees every row once evaluated; anyone else
 * only their own enterprise's row, once published (before: no rows, no
 * counts).  NULL with e on storage.  Caller owns. */
json_t *efficiency_results_json(struct db *db, const struct actor *a, int year, struct err *e);
/* efficiency_results_json's text, byte for byte what jansson's compact
 * json_dumps writes of it, appended to out without building the JSON (the
 * API's read of 100,000 rows: no million small objects).  0, or -1 with e
 * (storage); out's maximum shows as out->err. */
int efficiency_results_write(struct db *db, const struct actor *a, int year, struct buf *out,
                             struct err *e);
/* The C and D enterprises of year's results v as [{"enterprise_unit_id",
 * "town_unit_id","land_mu","class","item_id"}], in the results' order;
 * item_id is the remediation the year's finalize opened for it
 * (core/remediation.h; null before).  Caller owns. */
json_t *efficiency_remediation_json(struct db *db, int year, json_t *v);

/* An enterprise's objection to its published result from body {"text",
 * "attachment_ids"?: [ids]} as a (a user of that enterprise), inside the
 * caller's write transaction; *id gets its id.  0, or -1 with e: 403
 * forbidden (not an enterprise with data that year), 409
 * efficiency_state (not published), objection_window_closed,
 * efficiency_objection_pending (one pending already), 422, storage. */
int efficiency_objection_add(struct db *db, const struct actor *a, int year, json_t *body,
                             int64_t *id, struct err *e);
/* The office's decision on objection id from body {"decision":
 * "accept"|"reject","reason","data"?: {input: number|null, "land_mu",
 * "scale"}} (the correction, applied to the row on accept), recorded with
 * the row before and after; *year gets the objection's year.  0, or -1
 * with e: 404 not_found, 409 objection_decided, 409 efficiency_state
 * (final), 422, storage. */
int efficiency_objection_decide(struct db *db, const struct actor *a, int64_t id, json_t *body,
                                int *year, struct err *e);
/* {"objections":[{"id","enterprise_unit_id","credit_code","name","text",
 * "attachment_ids","status","decision_reason","correction","created_at",
 * "decided_at"}]}, oldest first; the office sees all, anyone else their
 * own unit's.  NULL with e.  Caller owns. */
json_t *efficiency_objections_json(struct db *db, const struct actor *a, int year, struct err *e);

#endif
