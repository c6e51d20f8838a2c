/* import.h — a 任务分解表 (a city's targets decomposed into tasks) from an
 * .xlsx or CSV file into items, all or nothing.  See docs/api.md, "Imports".
 *
 * The file is read as a grid (intake/sheet.h); the header row is the first
 * row naming at least two known columns, a title among them (zh-CN or
 * English, spaces ignored: 序号/大纲号, 上级, 任务名称/标题, 牵头单位,
 * 配合单位, 完成时限, 反馈周期, 目标值, 单位, 说明, 责任领导); a row under it naming
 * known columns too is a second header row (under a merged 责任单位) and its
 * names win.  Every row after is one item: its parent by the outline number
 * (1 / 1.1 / 1.1.1: the parent of 1.2.3 is 1.2) or by the 上级 cell (an
 * outline number, or a sheet row as 第N行 / row N / #N); the lead unit and
 * co-units by name (exactly, or the one unit whose name starts with it) or
 * code; the responsible leader (责任领导) by the display name or user name
 * of the one enabled user with the leader role who has it; the deadline a date or "N 个工作日" / "N
 * working days" from today on the working-day calendar.  import_plan_read finds every problem of
 * every row (row, column, code); import_store refuses a plan with any problem and otherwise creates
 * the items, parents first, as drafts of source 'import' linked to the import row that carries the
 * file's SHA-256, in the caller's one write transaction. */
#ifndef LUOSHI_CORE_IMPORT_H
#define LUOSHI_CORE_IMPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "core/item.h"
#include "db/db.h"

/* The columns an import knows. */
enum import_field {
    IMPORT_OUTLINE = 0,
    IMPORT_PARENT,
    IMPORT_TITLE,
    IMPORT_LEAD,
    IMPORT_CO,
    IMPORT_DEADLINE,
    IMPORT_CYCLE,
    IMPORT_TARGET,
    IMPORT_UNIT,
    IMPORT_DESCRIPTION,
    IMPORT_LEADER, /* 责任领导: a user with the leader role, by display name or user name */
    IMPORT_FIELDS
};

/* One problem of one row: where and what (a code of docs/api.md's import
 * problem table). */
struct import_problem {
    size_t row;              /* the sheet's row, 1-based */
    enum import_field field; /* the column's field */
    const char *code;        /* static */
    char value[128];         /* the cell's text, cut */
};

/* One row of the sheet: its texts (borrowed from the plan's sheet) and the
 * item made of them. */
struct import_row {
    size_t row;                      /* the sheet's row, 1-based */
    const char *cell[IMPORT_FIELDS]; /* trimmed copies, "" when empty */
    int parent;                      /* index of its parent row, -1 for none */
    int depth;                       /* 0 for a row without a parent */
    struct item_input in;            /* the item (parent_id set by import_store) */
    char deadline[11];
    int64_t item_id; /* after import_store */
};

/* A file read, checked, and ready to store. */
struct import_plan {
    char sha256[65];
    char name[256];
    const char *format;        /* "xlsx" or "csv" */
    int column[IMPORT_FIELDS]; /* the sheet's column of each field, -1 when absent */
    size_t header_row;         /* the last header row, 1-based */
    struct import_row *rows;
    size_t n;
    struct import_problem *problems;
    size_t n_problems, cap_problems;
    void *mem; /* what the plan owns (the texts) */
};

/* Read the file data[0..len) called name into *p and check every row
 * against the database (units) and today's calendar.  0 with *p filled
 * (free with import_plan_free), its problems listed (maybe none), or -1 with
 * e for a file that is not a sheet at all: the sheet's errors (400
 * invalid_encoding, 413 xlsx_too_large / xlsx_ratio / too_many_rows /
 * too_many_columns / cell_too_long, 422 invalid_xlsx / unsupported_format),
 * 422 import_no_header (no row names a title and another column), 422
 * import_empty (no row under the header), 5xx storage; *p is then empty. */
int import_plan_read(struct db *db, const void *data, size_t len, const char *name,
                     struct import_plan *p, struct err *e);
/* The plan as JSON: {"name","sha256","format","header_row","columns":{field:
 * "B",…},"rows":[{"row","outline","parent_row","title","lead_unit_id",
 * "co_unit_ids","deadline","feedback_cycle","metric","description",
 * "problems":[…]}],"problems":[{"row","column","field","code","value"}]};
 * after import_store each row has its "item_id" too. */
json_t *import_plan_json(const struct import_plan *p);
/* Create the plan's items as a does, inside the caller's write transaction.
 * 0 with *import_id, or -1 with e: 422 import_invalid when the plan has a
 * problem, 409 import_duplicate when a file with the same SHA-256 was
 * imported before, item_create's refusals (naming the row), storage. */
int import_store(struct db *db, const struct actor *a, struct import_plan *p, int64_t *import_id,
                 struct err *e);
/* The field's name in JSON ("outline", "parent", "title", "lead_unit",
 * "co_units", "deadline", "feedback_cycle", "target", "metric_unit",
 * "description"). */
const char *import_field_name(enum import_field f);
/* The sheet column of a field as letters ("A", "AB") into out (4 bytes), or
 * "" when the plan has no such column. */
void import_column_name(const struct import_plan *p, enum import_field f, char out[4]);
/* Free what p owns and empty it. */
void import_plan_free(struct import_plan *p);

#endif
