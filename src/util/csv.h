/* csv.h — the one CSV writer: every file luoshi exports as CSV (a notice,
 * the project list) is written cell by cell through here.
 *
 * The format is RFC 4180: cells separated by commas, rows ended by CRLF, a
 * cell holding a comma, a double quote, CR or LF enclosed in double quotes
 * with its quotes doubled.  A text cell is also guarded against formula
 * injection (OWASP's rule): when it starts with = + - @, a tab or a carriage
 * return, a spreadsheet would take it for a formula, so it gets a leading
 * apostrophe ("'=1+2") and is always quoted.  Numbers are written by
 * csv_int, csv_number and csv_fixed from a C number, never from text, so
 * they cannot carry a formula: a negative figure stays the number "-2".
 *
 * The writer knows nothing of byte-order marks or headings: a caller writes
 * the BOM itself if its readers need one (Excel does for UTF-8). */
#ifndef LUOSHI_UTIL_CSV_H
#define LUOSHI_UTIL_CSV_H

#include <stdint.h>

#include "util/buf.h"

/* A writer appending to out; cells counts the cells of the current row. */
struct csv {
    struct buf *out;
    int cells;
};

/* Start writing to out (which keeps its maximum and contents). */
void csv_init(struct csv *c, struct buf *out);
/* Append a text cell: quoted when it must be, neutralised when it starts
 * like a formula.  NULL or "" is an empty cell.  Returns as buf_append. */
int csv_text(struct csv *c, const char *s);
/* Append an empty cell.  Returns as buf_append. */
int csv_empty(struct csv *c);
/* Append an integer cell ("-12").  Returns as buf_append. */
int csv_int(struct csv *c, int64_t v);
/* Append a number as the shortest plain text that reads back the same
 * ("40", "1200", "0.25", "-1.5").  Returns as buf_append. */
int csv_number(struct csv *c, double v);
/* Append a number with a fixed count of decimals (0..9: "66.7" for 1).
 * Returns as buf_append. */
int csv_fixed(struct csv *c, double v, int decimals);
/* End the row with CRLF (an empty row is a blank line).  Returns as
 * buf_append. */
int csv_row_end(struct csv *c);

#endif
