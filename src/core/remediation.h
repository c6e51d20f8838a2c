/* remediation.h — the remediation of low-efficiency industrial land (低效用地
 * 整治, DESIGN.md "Land efficiency", docs/remediation.md): what the kind's row
 * (kind_remediation.c), the yearly evaluation that opens the items and the
 * pages share.
 *
 * A remediation is an item of kind remediation with one row in
 * `remediations`: the enterprise whose land it is (a unit of kind
 * enterprise), the evaluation year and class (C or D) that opened it, the way
 * chosen (upgrade 提升, merge 兼并重组, reclaim 收回) and the plan text
 * (一企一方案).  The land to free or upgrade is the item's metric in 亩; the
 * lead unit (the enterprise's town) reports the 亩 done so far as the
 * metric's value in its feedback, and the figures add them up by town. */
#ifndef LUOSHI_CORE_REMEDIATION_H
#define LUOSHI_CORE_REMEDIATION_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/kind.h"
#include "db/db.h"

/* The cooperating units of the remediations a finalized evaluation opens,
 * by unit code (the economy and the natural-resources bureaus): the text
 * setting remediation.co_units, comma-separated, unknown codes skipped. */
#define REMEDIATION_CO_UNITS "jxj,zgj"

/* Characters of a plan (一企一方案). */
#define REMEDIATION_PLAN_MAX 5000

/* A remediation's own fields, from a body or given in process. */
struct remediation_input {
    int64_t enterprise_unit_id;
    int64_t year;      /* 0: opened by hand */
    const char *klass; /* "C", "D", or NULL */
    const char *mode;  /* "upgrade", "merge", "reclaim"; NULL: upgrade */
    const char *plan;  /* NULL: none yet */
};

/* What the yearly evaluation opens for one C/D enterprise: the item's title
 * is made from the enterprise's name. */
struct remediation_open {
    int64_t enterprise_unit_id, year;
    const char *klass;       /* "C" or "D" */
    double land_mu;          /* the land to remediate, 亩 (the metric's target) */
    const char *deadline;    /* YYYY-MM-DD */
    const int64_t *co_units; /* the cooperating bureaus (economy, natural resources) */
    int n_co;
};

/* Open one remediation (inside the caller's write transaction): create the
 * item (source evaluation, lead = the enterprise's parent unit, its town)
 * and assign it.  0 with *id, or -1 with e (422 when the enterprise is not
 * one or has no town, 409 remediation_exists when the year already opened
 * one for it, storage). */
int remediation_open(struct db *db, const struct actor *a, const struct remediation_open *o,
                     int64_t *id, struct err *e);

/* Open one remediation for each C or D enterprise of year's results
 * (efficiency_results_json, as a sees them; inside the caller's write
 * transaction, the evaluation's finalize): its land as the target, the
 * cooperating units of remediation.co_units, a year from today to do it.
 * 0, or -1 with e. */
int remediation_open_year(struct db *db, const struct actor *a, int year, struct err *e);

/* The item id of the remediation year opened for enterprise (0: none).  A
 * db code. */
int remediation_of_year(struct db *db, int64_t year, int64_t enterprise, int64_t *id);

/* The figures by lead unit (town) for year (0: every year) over the items
 * of kind remediation not cancelled: {"year", "towns":[{"unit_id","code",
 * "name","items","done","target_mu","done_mu"}], "total":{…}} (done_mu: the
 * metric's value reported so far, at most its target).  Caller owns; NULL
 * with e. */
json_t *remediation_summary_json(struct db *db, int64_t year, struct err *e);

/* The figures of remediation_summary_json (every year) as they stood at
 * cutoff (ms): the remediations created by then and not cancelled, led by
 * unit (0: any unit), done when verified by then, the 亩 done the last value
 * the lead unit reported by then; NULL when there is none (a notice then
 * has no such section).  Caller owns; NULL with e set on storage. */
json_t *remediation_asof_json(struct db *db, int64_t unit, int64_t cutoff, struct err *e);

/* The kind's steps (its own action plan), and its replay hooks (kind.h). */
extern const struct kind_step remediation_steps[];
void remediation_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data);
int remediation_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v);

#endif
