/* sheet_csv.c — CSV as a grid of texts, and what both formats share: the
 * dispatch by the file's first bytes, the limits' defaults, the errors'
 * codes and words (sheet.h).
 *
 * The bytes are decoded by intake/source.c's text reader (UTF-8 with or
 * without its BOM, UTF-16 after a BOM, GB18030 when the bytes are not UTF-8),
 * then split by RFC 4180: fields by commas, records by CRLF or LF, a quoted
 * field may hold commas, line breaks and doubled quotes.  Spaces around a
 * field are kept (the reader trims what it compares).  A last line break
 * makes no empty record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/sheet_internal.h"
#include "intake/source.h"
#include "util/buf.h"
#include "util/mem.h"

struct csv_rd {
    const char *s;
    size_t len, i, row, col;
    const struct sheet_limits *lim;
    struct sheet_cells cells;
    struct buf f;
};

/* Read one field at c->i into c->f; returns the character that ended it
 * (',' '\n' or 0 at the end). */
static int csv_field(struct csv_rd *c)
{
    buf_reset(&c->f);
    int quoted = c->i < c->len && c->s[c->i] == '"';
    if (quoted) c->i++;
    while (c->i < c->len) {
        char ch = c->s[c->i++];
        if (quoted && ch == '"') {
            if (c->i < c->len && c->s[c->i] == '"') {
                c->i++;
                buf_putc(&c->f, '"');
            } else
                quoted = 0;
            continue;
        }
        if (!quoted && ch == ',') return ',';
        if (!quoted && ch == '\r' && c->i < c->len && c->s[c->i] == '\n') continue;
        if (!quoted && ch == '\n') return '\n';
        if (c->f.len <= c->lim->max_cell) buf_putc(&c->f, ch);
    }
    return 0;
}

static int csv_split(struct csv_rd *c, struct sheet *s)
{
    while (c->i < c->len) {
        int end = csv_field(c);
        if (c->f.len) {
            if (c->row >= c->lim->max_rows)
                return sheet_fail(s, SHEET_EROWS, c->row + 1, c->col + 1);
            if (c->col >= c->lim->max_cols)
                return sheet_fail(s, SHEET_ECOLS, c->row + 1, c->col + 1);
            if (c->f.len > c->lim->max_cell)
                return sheet_fail(s, SHEET_ECELL, c->row + 1, c->col + 1);
            sheet_cells_add(&c->cells, c->row, c->col, xstrdup(buf_cstr(&c->f)));
        }
        if (end == ',')
            c->col++;
        else {
            c->row++;
            c->col = 0;
        }
    }
    return 0;
}

static int sheet_read_csv(const unsigned char *d, size_t len, const struct sheet_limits *lim,
                          struct sheet *s)
{
    struct intake_source src = {0};
    struct intake_source_limits il = {.max_text = lim->max_xml};
    if (intake_source_read(d, len, &il, &src)) {
        if (src.err == INTAKE_SOURCE_ELONG) return sheet_fail(s, SHEET_EBIG, 0, 0);
        if (src.err == INTAKE_SOURCE_EENCODING || src.err == INTAKE_SOURCE_ENUL ||
            src.err == INTAKE_SOURCE_EUTF16)
            return sheet_fail(s, SHEET_EENCODING, 0, 0);
        return sheet_fail(s, SHEET_EFORMAT, 0, 0);
    }
    struct csv_rd c = {.s = src.text, .len = src.len, .lim = lim};
    buf_init(&c.f, 0);
    int rc = csv_split(&c, s);
    buf_free(&c.f);
    intake_source_free(&src);
    if (rc) {
        sheet_cells_free(&c.cells);
        return rc;
    }
    sheet_cells_grid(&c.cells, lim, s);
    return 0;
}

int sheet_read(const void *data, size_t len, const struct sheet_limits *lim, struct sheet *out)
{
    static const struct sheet_limits none;
    const unsigned char *d = data;
    struct sheet_limits l = lim ? *lim : none;
    memset(out, 0, sizeof *out);
    if (!l.max_xml) l.max_xml = SHEET_MAX_XML;
    if (!l.max_ratio) l.max_ratio = SHEET_MAX_RATIO;
    if (!l.max_rows) l.max_rows = SHEET_MAX_ROWS;
    if (!l.max_cols) l.max_cols = SHEET_MAX_COLS;
    if (!l.max_cell) l.max_cell = SHEET_MAX_CELL;
    if (len >= 4 && !memcmp(d, "PK\3\4", 4)) return sheet_read_xlsx(d, len, &l, out);
    if ((len >= 5 && !memcmp(d, "%PDF-", 5)) || (len >= 4 && !memcmp(d, "\xd0\xcf\x11\xe0", 4)))
        return sheet_fail(out, SHEET_EFORMAT, 0, 0);
    return sheet_read_csv(d, len, &l, out);
}

const char *sheet_cell(const struct sheet *s, size_t row, size_t col)
{
    if (row >= s->n_rows || col >= s->n_cols) return "";
    const char *t = s->cell[row * s->n_cols + col];
    return t ? t : "";
}

void sheet_free(struct sheet *s)
{
    if (!s) return;
    for (size_t i = 0; s->cell && i < s->n_rows * s->n_cols; i++)
        free(s->cell[i]);
    free(s->cell);
    memset(s, 0, sizeof *s);
}

static const struct {
    int status;
    const char *code, *en, *zh;
} errs[] = {
    [SHEET_OK] = {200, "ok", "", ""},
    [SHEET_EZIP] = {422, "invalid_xlsx", "the .xlsx cannot be read", "无法读取该 .xlsx 文件"},
    [SHEET_EXML] = {422, "invalid_xlsx", "the .xlsx holds malformed XML",
                    "该 .xlsx 文件的 XML 有误"},
    [SHEET_EBIG] = {413, "xlsx_too_large", "a part of the file is too large when unpacked",
                    "文件解压后过大"},
    [SHEET_ERATIO] = {413, "xlsx_ratio", "a part of the .xlsx unpacks to too many times its size",
                      "该 .xlsx 文件的压缩比异常（疑似压缩炸弹）"},
    [SHEET_EROWS] = {413, "too_many_rows", "the sheet has too many rows", "表格行数过多"},
    [SHEET_ECOLS] = {413, "too_many_columns", "the sheet has too many columns", "表格列数过多"},
    [SHEET_ECELL] = {413, "cell_too_long", "a cell is too long", "单元格内容过长"},
    [SHEET_EENCODING] = {400, "invalid_encoding", "the CSV is neither UTF-8 nor GB18030",
                         "CSV 文件既不是 UTF-8 也不是 GB18030 编码"},
    [SHEET_EFORMAT] = {422, "unsupported_format", "only .xlsx and CSV files can be imported",
                       "只能导入 .xlsx 或 CSV 文件"},
};

int sheet_err_status(enum sheet_err e)
{
    return errs[e].status;
}

const char *sheet_err_code(enum sheet_err e)
{
    return errs[e].code;
}

void sheet_message(const struct sheet *s, int en, char *buf, size_t size)
{
    const char *base = en ? errs[s->err].en : errs[s->err].zh;
    if (s->row)
        snprintf(buf, size, en ? "%s (row %zu, column %zu)" : "%s（第 %zu 行第 %zu 列）", base,
                 s->row, s->col);
    else if (s->detail[0])
        snprintf(buf, size, "%s: %s", base, s->detail);
    else
        snprintf(buf, size, "%s", base);
}
