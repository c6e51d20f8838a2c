/* sheet_internal.h — what sheet.c (.xlsx) and sheet_csv.c (CSV, the
 * dispatch) share: the cells collected before they become a grid.  Nothing
 * outside src/intake/ and its unit tests includes this header. */
#ifndef LUOSHI_INTAKE_SHEET_INTERNAL_H
#define LUOSHI_INTAKE_SHEET_INTERNAL_H

#include <stddef.h>

#include "intake/sheet.h"

struct sheet_cell {
    size_t row, col; /* 0-based */
    char *text;      /* malloc'd */
};

struct sheet_range {
    size_t r0, c0, r1, c1; /* inclusive, 0-based */
};

/* Cells as they are read, and the merged ranges. */
struct sheet_cells {
    struct sheet_cell *v;
    size_t n, cap, rows, cols;
    struct sheet_range *merge;
    size_t n_merge, cap_merge;
};

/* Add a cell (text owned by c from now on). */
void sheet_cells_add(struct sheet_cells *c, size_t row, size_t col, char *text);
/* Add a merged range. */
void sheet_cells_merge(struct sheet_cells *c, size_t r0, size_t c0, size_t r1, size_t c1);
/* Make the cells s's grid (merged ranges filled, within lim's rows and
 * columns), then empty c. */
void sheet_cells_grid(struct sheet_cells *c, const struct sheet_limits *lim, struct sheet *s);
/* Free the cells and empty c. */
void sheet_cells_free(struct sheet_cells *c);
/* Set s->err, row and col; returns -1. */
int sheet_fail(struct sheet *s, enum sheet_err e, size_t row, size_t col);
/* The .xlsx d[0..len) into s (lim complete: no zero fields).  0 or -1. */
int sheet_read_xlsx(const unsigned char *d, size_t len, const struct sheet_limits *lim,
                    struct sheet *s);
/* "B3" → row 2, column 1 (0-based); -1 when ref is not a cell reference. */
int sheet_ref_parse(const char *ref, size_t *row, size_t *col);

#endif
