/* sheet.c — the first worksheet of an .xlsx as a grid of texts (sheet.h).
 *
 * Four parts are read, each inflated in pieces into expat with its bytes
 * counted (docx.c's guard, plus the ratio): xl/workbook.xml (the 1904 flag
 * and the first sheet's relationship id), xl/_rels/workbook.xml.rels (that
 * sheet's part), xl/sharedStrings.xml and xl/styles.xml (which cell styles
 * are dates: the built-in date formats and custom codes with a y, m, d, h or
 * s outside quotes and brackets).  Element names are matched by their local
 * part, so transitional and strict OOXML and any prefix work.  The cells are
 * collected as (row, column, text) and made a grid at the end, merged ranges
 * filled from their first cell.  CSV lives in sheet_csv.c. */
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "intake/sheet_internal.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/time.h"

#define NS_SEP '\x01'
#define PIECE  65536
#define MIB    ((size_t)1024 * 1024)

struct rd {
    zip_t *z;
    struct sheet_limits lim;
    struct sheet *out;
    struct sheet_cells cells;
    char **sst; /* shared strings */
    size_t n_sst, cap_sst;
    unsigned char *xf_date; /* per cellXfs index: 1 when a date format */
    size_t n_xf, cap_xf;
    int custom_id[256], n_custom; /* custom numFmt ids that are dates */
    XML_Parser p;
};

/* The local part of an expat name (NS\1local or local). */
static const char *local(const XML_Char *name)
{
    const char *sep = strchr(name, NS_SEP);
    return sep ? sep + 1 : name;
}

/* The value of the attribute whose local name is want, or NULL. */
static const char *attr(const XML_Char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(local(atts[i]), want)) return atts[i + 1];
    return NULL;
}

static void XMLCALL x_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                              const XML_Char *pubid, int internal)
{
    struct rd *rd = *(struct rd **)ud; /* every part's state starts with its struct rd * */
    (void)name, (void)sysid, (void)pubid, (void)internal;
    snprintf(rd->out->detail, sizeof rd->out->detail, "a DOCTYPE is not allowed");
    rd->out->err = SHEET_EXML;
    XML_StopParser(rd->p, XML_FALSE);
}

int sheet_fail(struct sheet *s, enum sheet_err e, size_t row, size_t col)
{
    s->err = e;
    s->row = row;
    s->col = col;
    return -1;
}

/* Stop the parse with e unless an error is already set. */
static void rd_stop(struct rd *rd, enum sheet_err e, size_t row, size_t col)
{
    if (!rd->out->err) sheet_fail(rd->out, e, row, col);
    XML_StopParser(rd->p, XML_FALSE);
}

/* Inflate f into the parser, counting bytes against the size and the ratio. */
static int part_inflate(struct rd *rd, zip_file_t *f, zip_uint64_t comp)
{
    char *piece = xmalloc(PIECE);
    size_t total = 0;
    int rc = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, piece, PIECE);
        if (n < 0) {
            snprintf(rd->out->detail, sizeof rd->out->detail, "%s",
                     zip_error_strerror(zip_file_get_error(f)));
            rc = sheet_fail(rd->out, SHEET_EZIP, 0, 0);
            break;
        }
        total += (size_t)n;
        if (total > rd->lim.max_xml) {
            rc = sheet_fail(rd->out, SHEET_EBIG, 0, 0);
            break;
        }
        if (total > MIB && total / (comp ? comp : 1) > rd->lim.max_ratio) {
            rc = sheet_fail(rd->out, SHEET_ERATIO, 0, 0);
            break;
        }
        if (XML_Parse(rd->p, piece, (int)n, n == 0) != XML_STATUS_OK) {
            if (!rd->out->err)
                snprintf(rd->out->detail, sizeof rd->out->detail, "line %lu: %s",
                         (unsigned long)XML_GetCurrentLineNumber(rd->p),
                         XML_ErrorString(XML_GetErrorCode(rd->p)));
            rc = sheet_fail(rd->out, rd->out->err ? rd->out->err : SHEET_EXML, rd->out->row,
                            rd->out->col);
            break;
        }
        if (n == 0) break;
    }
    free(piece);
    return rc;
}

static int sheet_part(struct rd *rd, const char *name, int required, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler chars, void *ud)
{
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(rd->z, name, 0);
    if (idx < 0) {
        if (!required) return 1;
        snprintf(rd->out->detail, sizeof rd->out->detail, "no %s", name);
        return sheet_fail(rd->out, SHEET_EZIP, 0, 0);
    }
    zip_stat_init(&st);
    if (zip_stat_index(rd->z, (zip_uint64_t)idx, 0, &st))
        return sheet_fail(rd->out, SHEET_EZIP, 0, 0);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > rd->lim.max_xml)
        return sheet_fail(rd->out, SHEET_EBIG, 0, 0);
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > MIB &&
        st.size / (comp ? comp : 1) > rd->lim.max_ratio)
        return sheet_fail(rd->out, SHEET_ERATIO, 0, 0);
    zip_file_t *f = zip_fopen_index(rd->z, (zip_uint64_t)idx, 0);
    if (!f) return sheet_fail(rd->out, SHEET_EZIP, 0, 0);
    rd->p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!rd->p) abort(); /* expat could not allocate: as xmalloc does */
    XML_SetUserData(rd->p, ud);
    XML_SetElementHandler(rd->p, start, end);
    XML_SetCharacterDataHandler(rd->p, chars);
    XML_SetStartDoctypeDeclHandler(rd->p, x_doctype);
    int rc = part_inflate(rd, f, comp);
    XML_ParserFree(rd->p);
    rd->p = NULL;
    zip_fclose(f);
    return rc;
}

/* ---- workbook.xml and its relationships ---- */

struct wb {
    struct rd *rd;
    char rid[64];
    char target[256];
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct wb *w = ud;
    const char *n = local(name), *v;
    if (!strcmp(n, "workbookPr") && (v = attr(atts, "date1904")))
        w->rd->out->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
    else if (!strcmp(n, "sheet") && !w->rid[0] && (v = attr(atts, "id")))
        snprintf(w->rid, sizeof w->rid, "%s", v);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct wb *w = ud;
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
    if (!strcmp(local(name), "Relationship") && id && t && !strcmp(id, w->rid))
        snprintf(w->target, sizeof w->target, "%s", t);
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static void XMLCALL no_chars(void *ud, const XML_Char *s, int len)
{
    (void)ud, (void)s, (void)len;
}

/* The worksheet part's name into path: the first sheet's target, or the
 * usual xl/worksheets/sheet1.xml. */
static int first_sheet(struct rd *rd, char *path, size_t size)
{
    struct wb w = {.rd = rd};
    if (sheet_part(rd, "xl/workbook.xml", 1, wb_start, no_end, no_chars, &w) < 0) return -1;
    if (w.rid[0] &&
        sheet_part(rd, "xl/_rels/workbook.xml.rels", 0, rels_start, no_end, no_chars, &w) < 0)
        return -1;
    if (!w.target[0])
        snprintf(path, size, "xl/worksheets/sheet1.xml");
    else if (w.target[0] == '/')
        snprintf(path, size, "%s", w.target + 1);
    else
        snprintf(path, size, "xl/%s", w.target);
    return 0;
}

/* ---- the cells ---- */

void sheet_cells_add(struct sheet_cells *c, size_t row, size_t col, char *text)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (struct sheet_cell){row, col, text};
    if (row + 1 > c->rows) c->rows = row + 1;
    if (col + 1 > c->cols) c->cols = col + 1;
}

void sheet_cells_merge(struct sheet_cells *c, size_t r0, size_t c0, size_t r1, size_t c1)
{
    if (c->n_merge == c->cap_merge) {
        c->cap_merge = c->cap_merge ? 2 * c->cap_merge : 16;
        c->merge = xrealloc(c->merge, c->cap_merge * sizeof *c->merge);
    }
    c->merge[c->n_merge++] = (struct sheet_range){r0, c0, r1, c1};
}

void sheet_cells_free(struct sheet_cells *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].text);
    free(c->v);
    free(c->merge);
    memset(c, 0, sizeof *c);
}

/* Fill merged ranges from their first cell, within the limits. */
static void grid_merge(struct sheet *s, const struct sheet_cells *c)
{
    for (size_t m = 0; m < c->n_merge; m++) {
        const struct sheet_range *g = &c->merge[m];
        if (g->r0 >= s->n_rows || g->c0 >= s->n_cols) continue;
        const char *first = s->cell[g->r0 * s->n_cols + g->c0];
        if (!first) continue;
        for (size_t r = g->r0; r <= g->r1 && r < s->n_rows; r++)
            for (size_t k = g->c0; k <= g->c1 && k < s->n_cols; k++)
                if (!s->cell[r * s->n_cols + k]) s->cell[r * s->n_cols + k] = xstrdup(first);
    }
}

void sheet_cells_grid(struct sheet_cells *c, const struct sheet_limits *lim, struct sheet *s)
{
    for (size_t m = 0; m < c->n_merge; m++) { /* a merged header widens the grid */
        struct sheet_range *g = &c->merge[m];
        if (g->r1 >= lim->max_rows) g->r1 = lim->max_rows - 1;
        if (g->c1 >= lim->max_cols) g->c1 = lim->max_cols - 1;
        if (g->r0 < c->rows && g->c0 < c->cols) {
            if (g->r1 + 1 > c->rows) c->rows = g->r1 + 1;
            if (g->c1 + 1 > c->cols) c->cols = g->c1 + 1;
        }
    }
    s->n_rows = c->rows;
    s->n_cols = c->cols;
    s->cell = xcalloc(s->n_rows * s->n_cols + 1, sizeof *s->cell);
    for (size_t i = 0; i < c->n; i++) {
        char **slot = &s->cell[c->v[i].row * s->n_cols + c->v[i].col];
        free(*slot); /* a cell given twice: the last wins */
        *slot = c->v[i].text;
        c->v[i].text = NULL;
    }
    grid_merge(s, c);
    sheet_cells_free(c);
}

/* ---- sharedStrings.xml: <si> of <t> and runs' <t>, without phonetic <rPh> ---- */

struct sst {
    struct rd *rd;
    struct buf text;
    int in_t, in_rph;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sst *x = ud;
    const char *n = local(name);
    (void)atts;
    if (!strcmp(n, "si"))
        buf_reset(&x->text);
    else if (!strcmp(n, "rPh"))
        x->in_rph++;
    else if (!strcmp(n, "t"))
        x->in_t = 1;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    struct sst *x = ud;
    struct rd *rd = x->rd;
    const char *n = local(name);
    if (!strcmp(n, "rPh") && x->in_rph)
        x->in_rph--;
    else if (!strcmp(n, "t"))
        x->in_t = 0;
    else if (!strcmp(n, "si")) {
        if (rd->n_sst == rd->cap_sst) {
            rd->cap_sst = rd->cap_sst ? 2 * rd->cap_sst : 64;
            rd->sst = xrealloc(rd->sst, rd->cap_sst * sizeof *rd->sst);
        }
        rd->sst[rd->n_sst++] = xstrdup(buf_cstr(&x->text));
    }
}

static void XMLCALL sst_chars(void *ud, const XML_Char *s, int len)
{
    struct sst *x = ud;
    /* a string longer than a cell may be is kept one byte too long: its use is refused */
    if (!x->in_t || x->in_rph || len <= 0 || x->text.len > x->rd->lim.max_cell) return;
    buf_append(&x->text, s, (size_t)len);
}

static int sheet_shared_strings(struct rd *rd)
{
    struct sst x = {.rd = rd};
    buf_init(&x.text, 0);
    int rc = sheet_part(rd, "xl/sharedStrings.xml", 0, sst_start, sst_end, sst_chars, &x);
    buf_free(&x.text);
    return rc;
}

/* ---- styles.xml: which cellXfs entries show a date ---- */

struct styles {
    struct rd *rd;
    int in_xfs;
};

/* 1 when a number format code shows a date or time: a y, m, d, h or s
 * outside quotes, brackets and escapes (General, 0.00 and E+ have none). */
static int code_is_date(const char *code)
{
    int quoted = 0, bracket = 0;
    for (const char *c = code; *c; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (*c == '"') quoted = !quoted;
        if (quoted) continue;
        if (*c == '[') bracket = 1;
        if (*c == ']') bracket = 0;
        if (!bracket && strchr("ymdhsYMDHS", *c)) return 1;
    }
    return 0;
}

/* The built-in date formats, the Chinese ones among them (27–36, 50–58). */
static int builtin_is_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

static int fmt_is_date(const struct rd *rd, long id)
{
    for (int i = 0; i < rd->n_custom; i++)
        if (rd->custom_id[i] == id) return 1;
    return builtin_is_date(id);
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct styles *x = ud;
    struct rd *rd = x->rd;
    const char *n = local(name), *id = attr(atts, "numFmtId"), *code;
    if (!strcmp(n, "cellXfs")) x->in_xfs = 1;
    if (!strcmp(n, "numFmt") && id && (code = attr(atts, "formatCode")) && code_is_date(code) &&
        rd->n_custom < (int)(sizeof rd->custom_id / sizeof rd->custom_id[0]))
        rd->custom_id[rd->n_custom++] = (int)strtol(id, NULL, 10);
    if (!strcmp(n, "xf") && x->in_xfs) {
        if (rd->n_xf == rd->cap_xf) {
            rd->cap_xf = rd->cap_xf ? 2 * rd->cap_xf : 64;
            rd->xf_date = xrealloc(rd->xf_date, rd->cap_xf);
        }
        rd->xf_date[rd->n_xf++] = (unsigned char)(id && fmt_is_date(rd, strtol(id, NULL, 10)));
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    struct styles *x = ud;
    if (!strcmp(local(name), "cellXfs")) x->in_xfs = 0;
}

static int sheet_styles(struct rd *rd)
{
    struct styles x = {.rd = rd};
    return sheet_part(rd, "xl/styles.xml", 0, styles_start, styles_end, no_chars, &x) < 0 ? -1 : 0;
}

/* ---- the worksheet ---- */

struct ws {
    struct rd *rd;
    size_t row, col; /* of the current cell; row (size_t)-1 before the first */
    char type[16];
    long style;
    int in_v, in_t, in_rph, has;
    struct buf v;
};

int sheet_ref_parse(const char *ref, size_t *row, size_t *col)
{
    size_t c = 0, r = 0, letters = 0, digits = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z' && letters < 4; p++, letters++)
        c = c * 26 + (size_t)(*p - 'A' + 1);
    for (; *p >= '0' && *p <= '9' && digits < 8; p++, digits++)
        r = r * 10 + (size_t)(*p - '0');
    if (!letters || letters > 3 || !digits || *p || !r) return -1;
    *row = r - 1;
    *col = c - 1;
    return 0;
}

static void ws_cell_start(struct ws *x, const XML_Char **atts)
{
    const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
    size_t row, col;
    if (r && !sheet_ref_parse(r, &row, &col)) {
        x->row = row;
        x->col = col;
    } else
        x->col = x->col == (size_t)-1 ? 0 : x->col + 1;
    snprintf(x->type, sizeof x->type, "%s", t ? t : "n");
    x->style = s ? strtol(s, NULL, 10) : 0;
    x->has = 0;
    buf_reset(&x->v);
}

static void ws_merge(struct ws *x, const char *ref)
{
    char a[16], *b;
    size_t r0, c0, r1, c1;
    snprintf(a, sizeof a, "%s", ref ? ref : "");
    if (!(b = strchr(a, ':'))) return;
    *b++ = '\0';
    if (sheet_ref_parse(a, &r0, &c0) || sheet_ref_parse(b, &r1, &c1) || r1 < r0 || c1 < c0) return;
    sheet_cells_merge(&x->rd->cells, r0, c0, r1, c1);
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct ws *x = ud;
    const char *n = local(name), *r;
    if (!strcmp(n, "row")) {
        r = attr(atts, "r");
        long v = r ? strtol(r, NULL, 10) : 0;
        x->row = v > 0 ? (size_t)v - 1 : x->row + 1;
        x->col = (size_t)-1;
    } else if (!strcmp(n, "c"))
        ws_cell_start(x, atts);
    else if (!strcmp(n, "v"))
        x->in_v = x->has = 1;
    else if (!strcmp(n, "t"))
        x->in_t = x->has = 1;
    else if (!strcmp(n, "rPh"))
        x->in_rph++;
    else if (!strcmp(n, "mergeCell"))
        ws_merge(x, attr(atts, "ref"));
}

/* The text of the finished cell, malloc'd; NULL for none. */
static char *ws_text(struct ws *x)
{
    struct rd *rd = x->rd;
    const char *v = buf_cstr(&x->v);
    char out[64];
    if (!strcmp(x->type, "s")) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        return end != v && i < rd->n_sst ? xstrdup(rd->sst[i]) : NULL;
    }
    if (!strcmp(x->type, "b")) return xstrdup(!strcmp(v, "1") ? "TRUE" : "FALSE");
    if (!strcmp(x->type, "d")) return xstrndup(v, strlen(v) > 10 ? 10 : strlen(v));
    if (strcmp(x->type, "n")) return xstrdup(v); /* inlineStr, str, e */
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end) return xstrdup(v);
    if (x->style >= 0 && (size_t)x->style < rd->n_xf && rd->xf_date[x->style] &&
        !sheet_serial_date(d, rd->out->date1904, out))
        return xstrdup(out);
    if (d == floor(d) && fabs(d) < 1e15)
        snprintf(out, sizeof out, "%.0f", d);
    else
        snprintf(out, sizeof out, "%.15g", d);
    return xstrdup(out);
}

static void ws_cell_end(struct ws *x)
{
    struct rd *rd = x->rd;
    if (!x->has) return;
    if (x->row >= rd->lim.max_rows) return rd_stop(rd, SHEET_EROWS, x->row + 1, x->col + 1);
    if (x->col >= rd->lim.max_cols) return rd_stop(rd, SHEET_ECOLS, x->row + 1, x->col + 1);
    char *t = ws_text(x);
    if (!t || !*t) {
        free(t);
        return;
    }
    if (strlen(t) > rd->lim.max_cell) {
        free(t);
        return rd_stop(rd, SHEET_ECELL, x->row + 1, x->col + 1);
    }
    sheet_cells_add(&rd->cells, x->row, x->col, t);
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    struct ws *x = ud;
    const char *n = local(name);
    if (!strcmp(n, "c"))
        ws_cell_end(x);
    else if (!strcmp(n, "v"))
        x->in_v = 0;
    else if (!strcmp(n, "t"))
        x->in_t = 0;
    else if (!strcmp(n, "rPh") && x->in_rph)
        x->in_rph--;
}

static void XMLCALL ws_chars(void *ud, const XML_Char *s, int len)
{
    struct ws *x = ud;
    if ((!x->in_v && !x->in_t) || x->in_rph || len <= 0 || x->v.len > x->rd->lim.max_cell) return;
    buf_append(&x->v, s, (size_t)len);
}

static int sheet_worksheet(struct rd *rd, const char *path)
{
    struct ws x = {.rd = rd, .row = (size_t)-1, .col = (size_t)-1};
    buf_init(&x.v, 0);
    int rc = sheet_part(rd, path, 1, ws_start, ws_end, ws_chars, &x);
    buf_free(&x.v);
    return rc;
}

/* ---- opening the zip ---- */

static void rd_free(struct rd *rd)
{
    for (size_t i = 0; i < rd->n_sst; i++)
        free(rd->sst[i]);
    free(rd->sst);
    free(rd->xf_date);
    sheet_cells_free(&rd->cells);
}

static int rd_read(struct rd *rd)
{
    char path[300];
    if (first_sheet(rd, path, sizeof path)) return -1;
    if (sheet_shared_strings(rd) < 0 || sheet_styles(rd) < 0) return -1;
    return sheet_worksheet(rd, path);
}

int sheet_read_xlsx(const unsigned char *d, size_t len, const struct sheet_limits *lim,
                    struct sheet *s)
{
    struct rd rd = {.lim = *lim, .out = s};
    zip_error_t ze;
    zip_error_init(&ze);
    s->xlsx = 1;
    zip_source_t *src = zip_source_buffer_create(d, len, 0, &ze);
    rd.z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!rd.z) {
        zip_source_free(src);
        snprintf(s->detail, sizeof s->detail, "%s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return sheet_fail(s, SHEET_EZIP, 0, 0);
    }
    zip_error_fini(&ze);
    int rc = rd_read(&rd);
    zip_discard(rd.z);
    if (!rc) sheet_cells_grid(&rd.cells, lim, s);
    rd_free(&rd);
    return rc;
}

int sheet_serial_date(double serial, int date1904, char out[11])
{
    if (!isfinite(serial)) return -1;
    double f = floor(serial);
    if (date1904) {
        if (f < 0 || f > 2957003) return -1;
        date_format(date_make(1904, 1, 1) + (int32_t)f, out);
        return 0;
    }
    if (f < 1 || f > 2958465 || f == 60) return -1; /* 60: Excel's 1900-02-29 */
    date_format(date_make(1899, 12, f < 60 ? 31 : 30) + (int32_t)f, out);
    return 0;
}
