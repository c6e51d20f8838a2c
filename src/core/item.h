/* item.h — items (事项), the unit of supervision: creating, reading, listing.
 *
 * One table for every kind; this file owns the common fields, and calls a
 * kind's hooks (kind.h) for what the kind adds: its fields, its row, its JSON
 * part, who else sees it.  Status changes go through the lifecycle table
 * (lifecycle.h), never through here. */
#ifndef LUOSHI_CORE_ITEM_H
#define LUOSHI_CORE_ITEM_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"

#define ITEM_MAX_CO_UNITS 32

/* A validated new item.  Strings point into the JSON it was parsed from. */
struct item_input {
    json_t *body;     /* the body it was parsed from (borrowed), for the kind's own fields;
                         NULL when made in code */
    void *kind_input; /* a kind's own input given in process (a hazard report's
                         struct hazard_input), read by its hooks; or NULL */
    const char *kind, *title, *description, *source, *deadline, *feedback_cycle, *metric_unit;
    int64_t lead_unit_id, parent_id; /* 0 = none */
    int64_t leader_id;               /* the responsible leader (责任领导), a user; 0 = none */
    int64_t
        instruction_file_id; /* the 批示件 it came from (instruction_file.h); never from a body */
    int64_t co_unit_ids[ITEM_MAX_CO_UNITS];
    int n_co;
    int has_metric;
    double metric_target;
    int64_t meeting_id, meeting_paragraph; /* 0 = not from a meeting */
    int64_t import_id, import_row;         /* 0 = not from an import (core/import.h) */
    const char *import_sha256;             /* the imported file's hash, with import_id */
    int64_t weight;       /* its share in the parent's roll-up, 1..100 (0: the default, 1) */
    int64_t delegated_by; /* the unit splitting it off its own parent item (core/delegate.h); 0:
                             the office's.  Never read from a body. */
};

/* The orders a list may come in. */
enum item_sort {
    ITEM_SORT_NEW = 0,  /* newest first (the default) */
    ITEM_SORT_LIGHT,    /* red, yellow, green, closed; then by deadline */
    ITEM_SORT_DEADLINE, /* earliest deadline first, none last */
};

/* List filters; NULL or 0 means "any".  deadline_from/deadline_to bound the
 * deadline (YYYY-MM-DD, inclusive; an item without one never matches them). */
struct item_filter {
    const char *kind, *status, *light, *q, *source, *deadline_from, *deadline_to;
    int64_t unit_id, parent_id;
    int64_t leader_id; /* the responsible leader (a user id) */
    int64_t offset, limit;
    int64_t after; /* keyset: only items with a smaller id (0: none); sort new only */
    enum item_sort sort;
};

/* Parse and validate a POST /items body into in (strings borrowed from body).
 * Unknown fields are refused: the common ones and the kind's create_fields
 * (kind.h) are known.  A kind that cannot be created yet is 422
 * unsupported_kind.  0 ok, -1 with e (400/422). */
int item_input_parse(json_t *body, struct item_input *in, struct err *e);
/* Create the item (inside a write transaction) with its 'create' event.
 * Checks that the units and parent exist, then runs the kind's create hook
 * (its own fields), writes the item and runs its after_create hook (its own
 * row).  0 with *id, or -1 with e (422 unsupported_kind, the hooks' errors,
 * storage). */
int item_create(struct db *db, const struct actor *a, const struct item_input *in, int64_t *id,
                struct err *e);
/* The item as JSON for this actor (with "light", "co_unit_ids",
 * "allowed_actions" and, for a kind with a json hook, its part under the
 * kind's name, such as "hazard").  NULL with e: 404 when it does not exist,
 * 403 when the actor may not see it. */
json_t *item_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e);
/* item_get_json's object written as JSON text onto out (the API's answers
 * write it straight into the response).  0, or -1 with e (404, 403, storage)
 * and out as it was. */
int item_get_write(struct db *db, const struct actor *a, int64_t id, struct buf *out,
                   struct err *e);
/* {"items":[…],"total_count","offset","limit"} of what the actor may see.
 * NULL with e. */
json_t *item_list_json(struct db *db, const struct actor *a, const struct item_filter *f,
                       struct err *e);
/* item_list_json's answer written as JSON text at the end of out (the API's
 * fast path).  0, or -1 with e (out unchanged). */
int item_list_write(struct db *db, const struct actor *a, const struct item_filter *f,
                    struct buf *out, struct err *e);
/* One row of an item list as an export reads it (borrowed: valid during
 * the callback only).  Texts are "" when null; deadline "" for none. */
struct item_list_row {
    int64_t id, created_at; /* created_at: Unix milliseconds */
    const char *kind, *title, *status, *light, *source, *lead_name, *deadline, *cycle, *unit;
    int progress, has_target, has_value;
    double target, value;
};
/* Every item of the list f selects for a (the same filter, order and
 * visibility as item_list_write, without its page: offset and limit are
 * ignored), at most max, each passed to row(ctx, …) as it is read; row
 * returns nonzero to stop (then this returns -1 with e as row set it).
 * One read transaction.  0, or -1 with e (storage, or row's refusal). */
int item_list_each(struct db *db, const struct actor *a, const struct item_filter *f, int64_t max,
                   int (*row)(void *ctx, const struct item_list_row *r, struct err *e), void *ctx,
                   struct err *e);
/* The SQL text of the page item_list_write runs for actor a and f on db's
 * engine (a static literal; for tests and the benchmark's plans). */
const char *item_list_sql(struct db *db, const struct actor *a, const struct item_filter *f);
/* Parse filters from query parameters via get(ctx, name) → value or NULL:
 * kind status light source q unit parent deadline_from deadline_to
 * sort (new|light|deadline) offset limit after (an item id: the page after
 * it, newest first; 422 with another sort).  Validates values (422 with e).
 * Strings are borrowed from get's results. */
int item_filter_parse(const char *(*get)(void *ctx, const char *name), void *ctx,
                      struct item_filter *f, struct err *e);
/* Counts of the visible items by light: {"green","yellow","red","none","total",
 * "draft"}; "none" counts the items without a light (drafts, closed and
 * suspended ones), "draft" the drafts among them. */
json_t *item_counts_json(struct db *db, const struct actor *a, struct err *e);

#endif
