/* sheet.h — a spreadsheet as a grid of texts: the first worksheet of an
 * .xlsx, or a CSV file, for imports (core/import.c reads a 任务分解表).
 *
 * The format is detected from the bytes: a zip (PK\3\4) is an .xlsx, read
 * with libzip and expat (shared strings, inline strings, numbers, booleans,
 * formula results; a number whose cell style is a date format becomes
 * YYYY-MM-DD in the workbook's 1900 or 1904 date system; merged ranges are
 * filled with their first cell's text, so a merged header names every column
 * it spans).  Anything else is CSV text (RFC 4180 quoting, CRLF or LF) in
 * UTF-8 with or without its BOM, or GB18030 (intake/source.h decides).
 *
 * Hostile files stop at limits, each its own error: the bytes an XML part
 * declares or inflates to (a zip bomb stops there, counted as it inflates,
 * so a lying header stops too), the ratio of inflated to compressed bytes
 * once past a mebibyte, rows, columns and the bytes of one cell.  A DOCTYPE
 * is refused (no entities to expand).  Pure: no database, no clock. */
#ifndef LUOSHI_INTAKE_SHEET_H
#define LUOSHI_INTAKE_SHEET_H

#include <stddef.h>

enum sheet_err {
    SHEET_OK = 0,
    SHEET_EZIP,      /* a zip libzip cannot read, or an .xlsx without a worksheet */
    SHEET_EXML,      /* malformed XML in a part (detail says where) */
    SHEET_EBIG,      /* an XML part larger than max_xml, declared or inflated */
    SHEET_ERATIO,    /* an XML part inflating to more than max_ratio times its size */
    SHEET_EROWS,     /* a value in a row past max_rows (row: that row, 1-based) */
    SHEET_ECOLS,     /* a value in a column past max_cols (col: that column, 1-based) */
    SHEET_ECELL,     /* a cell of more than max_cell bytes (row, col) */
    SHEET_EENCODING, /* CSV that is neither UTF-8 nor GB18030, or has a NUL */
    SHEET_EFORMAT,   /* neither an .xlsx nor text: a PDF, a .xls or a .wps */
};

/* Limits; a zero field takes its default. */
struct sheet_limits {
    size_t max_xml;   /* bytes of one inflated XML part; default SHEET_MAX_XML */
    size_t max_ratio; /* inflated / compressed bytes of a part; default SHEET_MAX_RATIO */
    size_t max_rows;  /* rows; default SHEET_MAX_ROWS */
    size_t max_cols;  /* columns; default SHEET_MAX_COLS */
    size_t max_cell;  /* bytes of one cell's text; default SHEET_MAX_CELL */
};

#define SHEET_MAX_XML   ((size_t)64 * 1024 * 1024)
#define SHEET_MAX_RATIO 200
#define SHEET_MAX_ROWS  5000
#define SHEET_MAX_COLS  64
#define SHEET_MAX_CELL  4000

/* A grid of n_rows × n_cols texts (row-major), or what was wrong. */
struct sheet {
    size_t n_rows, n_cols;
    char **cell;  /* malloc'd UTF-8 texts, NULL for an empty cell */
    int xlsx;     /* 1 when read from an .xlsx, 0 from CSV */
    int date1904; /* the workbook counts dates from 1904 */
    enum sheet_err err;
    size_t row, col;  /* EROWS, ECOLS, ECELL: where (1-based) */
    char detail[128]; /* EZIP, EXML: the library's words */
};

/* Read data[0..len) with lim (NULL: the defaults) into *out.  0 with the
 * grid (free with sheet_free), or -1 with out->err and its fields set and
 * no grid. */
int sheet_read(const void *data, size_t len, const struct sheet_limits *lim, struct sheet *out);
/* The text of cell (row, col), 0-based; "" for an empty cell or one outside
 * the grid.  Borrowed from s. */
const char *sheet_cell(const struct sheet *s, size_t row, size_t col);
/* Free the grid and empty s; NULL is ignored. */
void sheet_free(struct sheet *s);
/* The date of a spreadsheet serial day number (its fraction, the time of
 * day, dropped) in the 1900 system (1 = 1900-01-01, with Excel's phantom
 * 1900-02-29 as 60) or the 1904 one (0 = 1904-01-01), as YYYY-MM-DD into out
 * (11 bytes).  0, or -1 for a serial outside 1..2958465 (1900) or
 * 0..2957003 (1904). */
int sheet_serial_date(double serial, int date1904, char out[11]);
/* The HTTP status (400, 413 or 422) and the error code of e, for answers:
 * invalid_xlsx, xlsx_too_large, xlsx_ratio, too_many_rows, too_many_columns,
 * cell_too_long, invalid_encoding, unsupported_format. */
int sheet_err_status(enum sheet_err e);
const char *sheet_err_code(enum sheet_err e);
/* What s->err says in words, English when en is 1, else Chinese, into buf
 * (size bytes, always NUL-terminated). */
void sheet_message(const struct sheet *s, int en, char *buf, size_t size);

#endif
