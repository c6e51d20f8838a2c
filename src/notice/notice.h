/* notice.h — supervision notices (督查通报): the figures of a period and a
 * scope, computed once into a struct notice that every output renders.
 *
 * A notice covers the days [from, to] (city time) and a scope: the whole city
 * or the subtree of one unit.  Its figures are taken as of the cutoff, the
 * end of the day `to` or now if that is earlier: nothing that happened after
 * the cutoff counts.  docs/notices.md defines every figure; the computation
 * (notice.c) reads the per-item facts the events keep (item_facts, migration
 * 006), the feedback, extension and deduction records, through the core
 * queries of core/notice_data.h: no SQL here.  The outputs are render.c
 * (JSON, CSV), html.c (the A4 print page), xlsx.c (libxlsxwriter) and svg.c
 * (charts); issuing (issue.c) stores them through core/notice_store.h.
 *
 * Names are held whole (in the notice's arena), never cut to a fixed size.
 * Nothing here knows HTTP or the pages. */
#ifndef LUOSHI_NOTICE_NOTICE_H
#define LUOSHI_NOTICE_NOTICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/notice_data.h"
#include "util/arena.h"
#include "util/buf.h"

#define NOTICE_TOP        3                  /* units praised (top) and named last (bottom) */
#define NOTICE_OUTPUT_MAX ((size_t)64 << 20) /* bytes of one rendered output (as stored) */

struct checkpoint_key;

/* What to compute: days as day numbers; unit_code "" for the whole city;
 * scope and scope_id an item scope instead (notice_params_scope).  When a
 * notice is issued, signer (the server's key, NULL when it has none) signs
 * a checkpoint first, and the checkpoint it is issued under (the new one,
 * or the latest) is shown in it: checkpoint_seq 0 when there is none. */
struct notice_params {
    int32_t from, to;
    char unit_code[65]; /* a unit code has at most 64 bytes (core/unit.c) */
    int scope;
    int64_t scope_id;
    const struct checkpoint_key *signer;
    int64_t checkpoint_seq;
    char checkpoint_root[65];
    /* A signed draft's own texts (core/notice_draft.h), borrowed; NULL or ""
     * keeps the settings' 主送 and 抄送 and the computed summary. */
    const char *main_to, *copy_to, *summary;
};

/* One lead unit's figures (docs/notices.md). */
struct notice_unit {
    int64_t id;
    const char *code, *name; /* whole, in the notice's arena */
    int64_t assigned, accepted_on_time, feedback_due, feedback_on_time, done, done_on_time, overdue,
        extended, rejected;
    int64_t days_to_done; /* the sum behind avg_days_to_done */
    double deductions;    /* points, as the ledger holds them (negative) */
    int rank;             /* 1.. among units with assigned > 0; 0 = not ranked */
};

/* One responsible leader's figures (按分管领导统计): the unit figures of
 * the same name, counted over the items in scope whose responsible leader
 * (items.leader_id) this is; red: their items on the red list. */
struct notice_leader {
    int64_t id;       /* the leader's user id */
    const char *name; /* whole, in the notice's arena */
    int64_t assigned, done, done_on_time, overdue, red;
};

/* An overdue item at the cutoff. */
struct notice_red {
    int64_t id, unit_id;
    const char *title, *unit_name, *last_feedback; /* in the arena; last_feedback NULL: none */
    char deadline[11], last_feedback_on[11];
    int days_overdue;
};

/* A month of the period: lights from the scheduler's month-end snapshot
 * (light_history; has_lights 0 when it holds none for the month) and the
 * items overdue at the month's end (or the cutoff), computed. */
struct notice_month {
    char month[8]; /* YYYY-MM */
    int has_lights;
    int64_t green, yellow, red, none;
    int64_t overdue;
};

/* The 公文's own lines, from the settings (docs/notices.md, "The PDF"):
 * the 发文字号's prefix (督通), 主送 and 抄送, and the font families (NULL:
 * pdf.h's defaults).  Whole, in the notice's arena. */
struct notice_doc {
    const char *number_prefix, *main_to, *copy_to;
    const char *font_title, *font_body, *font_kai, *font_hei;
};

struct notice {
    struct notice_params p;
    struct arena *arena;       /* every name and text below (notice_free frees it) */
    const char *scope_name;    /* 全市, the unit's name or the item scope's */
    int64_t scope_unit_id;     /* 0 for the whole city */
    int64_t cutoff_ms;         /* min(end of `to`, now) */
    int32_t cutoff_day;        /* its day */
    int accept_working_days;   /* the 签收 limit used */
    const char *office;        /* the issuing office (setting notice.office) */
    struct notice_doc doc;     /* what the PDF 公文 prints besides the figures */
    struct notice_unit *units; /* listed units: ranked first by rank, then the rest by code */
    int n_units;
    int n_ranked;
    int top[NOTICE_TOP], bottom[NOTICE_TOP]; /* indexes into units */
    int n_top, n_bottom;
    struct notice_unit total; /* the sums over the listed units (rank 0) */
    struct notice_red *red;
    int n_red;
    int64_t lights_now[4]; /* green, yellow, red, none: items in scope now */
    struct notice_month *months;
    int n_months;
    char *summary;       /* the generated Chinese summary */
    json_t *requests;    /* the requests section (requests.c), NULL for an item scope */
    json_t *assessment;  /* the 考核 section (notice/assessment_section.h); NULL: none */
    json_t *remediation; /* the 低效用地整治 section (remediation_section.c); NULL: none */
    struct notice_leader *leaders; /* by leader id; only those with items in the figures */
    int n_leaders;
};

/* The light names in lights_now order. */
extern const char *const notice_lights[4];

/* Parse "YYYY-MM-DD" from and to (to not before from, at most 3 years
 * apart) and the optional unit code into p.  0, or -1 with e 422. */
int notice_params_parse(const char *from, const char *to, const char *unit, struct notice_params *p,
                        struct err *e);

/* Compute the notice for p as of now (time_now_ms) into n (which the caller
 * frees with notice_free, also after a failure).  0, or -1 with e: 404
 * unknown unit, 5xx storage. */
int notice_compute(struct db *db, const struct notice_params *p, struct notice *n, struct err *e);
/* Free what notice_compute allocated; n may be zeroed or partly filled. */
void notice_free(struct notice *n);

/* Sort n's units (rank order, then the unranked by code), number the
 * ranks, sum the total and choose top and bottom by the rules of
 * docs/notices.md ("Across units"): the better half at most three, and
 * only units with something closed on time and not below the scope's rate;
 * the worse half at most three; a place shared with the first unit left out
 * is left out.  Reads n->units[0..n_units); allocates nothing. */
void notice_rank_units(struct notice *n);

/* The unit's on_time_rate: done_on_time / assigned, 0 when nothing was assigned. */
double notice_rate(const struct notice_unit *u);
/* avg_days_to_done rounded to one decimal; -1 when nothing was done. */
double notice_avg_days(const struct notice_unit *u);

/* Items overdue at the end of each of the last `months` months up to and
 * including the month of today, city-wide or in unit_id's subtree (0 = city),
 * oldest first, into out[months] with labels YYYY-MM.  For the dashboard's
 * trend.  0, or -1 with e. */
int notice_overdue_trend(struct db *db, int64_t unit_id, int months, struct notice_month *out,
                         struct err *e);

/* ---- outputs (render.c, html.c, xlsx.c) ---- */

/* The notice as JSON (docs/notices.md lists the fields); number is the
 * notice's number (NULL for a preview).  New reference. */
json_t *notice_json(const struct notice *n, const char *number);
/* Append the notice as CSV (UTF-8 with BOM, CRLF): the tables one after the
 * other, each with a title line and a header.  Returns as buf_append. */
int notice_csv(const struct notice *n, const char *number, struct buf *out);
/* Append the notice as a standalone HTML document for A4 printing; number NULL
 * for a preview, issued_on the issuing date "YYYY-MM-DD".  The notice itself
 * is one <article class="notice">…</article> (notice_html_article cuts it out
 * for pages).  Returns as buf_append. */
int notice_html(const struct notice *n, const char *number, const char *issued_on, struct buf *out);
/* Append only the <article class="notice"> of notice_html. */
int notice_html_article(const struct notice *n, const char *number, const char *issued_on,
                        struct buf *out);
/* The <article>…</article> inside a document notice_html wrote: a pointer
 * into doc and its length in *len, or NULL when there is none. */
const char *notice_html_find_article(const char *doc, size_t *len);
/* Append the notice as an XLSX workbook (sheets 概况, 单位排名, 逾期事项,
 * 逐月情况).  0, or -1 with e 500 when the temporary file fails. */
int notice_xlsx(const struct notice *n, const char *number, struct buf *out, struct err *e);

/* Append the notice as a PDF 公文 (notice_pdf.c): the red 版头 with the
 * office and 发文字号 (the prefix and number; NULL number for a preview),
 * title, 主送, the sections and tables of the HTML page, 落款 and date
 * (issued_on "YYYY-MM-DD"), the 版记.  0, or -1 with e 500. */
int notice_pdf(const struct notice *n, const char *number, const char *issued_on, struct buf *out,
               struct err *e);

/* ---- the remediation section (remediation_section.c) ---- */

struct csv;

/* The 低效用地整治 figures by lead unit as of n's cutoff into n->remediation
 * (core/remediation.h), for a city or unit notice with any remediation;
 * NULL otherwise.  0, or -1 with e. */
int notice_remediation_compute(struct db *db, struct notice *n, struct err *e);
/* Set "remediation" of the notice's JSON o: the figures, or null. */
void notice_remediation_json(const struct notice *n, json_t *o);
/* Append the section (六、低效用地整治情况) as HTML; nothing without figures. */
void notice_remediation_html(const struct notice *n, struct buf *b);
/* Append the section as a CSV table with its title line; nothing without. */
void notice_remediation_csv(const struct notice *n, struct csv *c);

/* ---- the figures by responsible leader (leader_section.c) ---- */

/* A leader's on_time_rate: done_on_time / assigned, 0 when nothing was assigned. */
double notice_leader_rate(const struct notice_leader *l);
/* Set "by_leader" of the notice's JSON o: the leaders' figures (an array,
 * empty when no item in scope has a leader). */
void notice_leaders_json(const struct notice *n, json_t *o);
/* Append the section (按分管领导统计) as HTML; nothing without leaders. */
void notice_leaders_html(const struct notice *n, struct buf *b);
/* Append the section as a CSV table with its title line; nothing without. */
void notice_leaders_csv(const struct notice *n, struct csv *c);
/* The section's heading with its number: after 五 (requests) and 六
 * (remediation) when the notice has them. */
const char *notice_leaders_heading(const struct notice *n);

/* ---- the requests section (requests.c) ---- */

struct csv;
/* The figures of the requests filed in n's days into n->requests, as
 * request_stats_json gives them: every lead unit for the city, the scope's
 * unit for a unit notice, none (NULL) for an item scope.  0, or -1 with e. */
int notice_requests_compute(struct db *db, struct notice *n, struct err *e);
/* Set "requests" of the notice's JSON o: the figures, or null. */
void notice_requests_json(const struct notice *n, json_t *o);
/* Append the section 五、企业诉求办理情况 of the print page (nothing without figures). */
void notice_requests_html(const struct notice *n, struct buf *b);
/* Append the table 企业诉求办理情况 to the CSV (nothing without figures). */
void notice_requests_csv(const struct notice *n, struct csv *c);

#endif
