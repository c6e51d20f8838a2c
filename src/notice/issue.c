/* issue.c — issued notices: computed once, rendered in every format (the PDF
 * 公文 too, since migration 023), stored
 * with the SHA-256 of each output and chained to the previous notice, and
 * never changed (migration 006's triggers refuse UPDATE and DELETE).  The
 * row is the issuing event; docs/notices.md gives the hash rule.  The rows
 * are read and written by core/notice_store.c; the hashes are this file's. */
#include "notice/issue.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkpoint.h"
#include "core/notice_store.h"
#include "core/unit.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/time.h"

/* The stored outputs in column order; pdf is the fifth (migration 023). */
static const char *const formats[] = {"json", "html", "csv", "xlsx", "pdf"};

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Append bin (n bytes) to out as base64, as the workbook and the PDF are stored. */
static void put_base64(struct buf *out, const struct buf *bin)
{
    size_t b64 = sodium_base64_ENCODED_LEN(bin->len, sodium_base64_VARIANT_ORIGINAL);
    char *s = xmalloc(b64);
    sodium_bin2base64(s, b64, (const unsigned char *)(bin->data ? bin->data : ""), bin->len,
                      sodium_base64_VARIANT_ORIGINAL);
    buf_puts(out, s);
    free(s);
}

/* The five outputs of n, in formats[] order (xlsx and pdf as base64). */
static int render_all(const struct notice *n, const char *number, const char *today,
                      struct buf out[NOTICE_OUTPUTS], struct err *e)
{
    json_t *j = notice_json(n, number);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    buf_puts(&out[0], text);
    free(text);
    notice_html(n, number, today, &out[1]);
    notice_csv(n, number, &out[2]);
    struct buf x; /* the workbook and the PDF, stored as base64 within NOTICE_OUTPUT_MAX */
    buf_init(&x, NOTICE_OUTPUT_MAX / 4 * 3);
    int rc = notice_xlsx(n, number, &x, e);
    if (!rc) put_base64(&out[3], &x);
    buf_reset(&x);
    if (!rc) rc = notice_pdf(n, number, today, &x, e);
    if (!rc) put_base64(&out[4], &x);
    buf_free(&x);
    if (rc) return -1;
    for (int k = 0; k < NOTICE_OUTPUTS; k++)
        if (out[k].err) return err_set(e, 500, "internal", "the notice is too large to store");
    return 0;
}

/* The chain hash over the row's fields (docs/notices.md): unit is the
 * scope's unit code, "" for the city and the item scopes (their scope is in
 * the JSON output, which the hash covers through json_sha256); pdf_sha256
 * only when there is a PDF (none before migration 023). */
static void row_hash(const char *prev, const char *number, const char *from, const char *to,
                     const char *unit, int64_t issued_by, int64_t at, char sums[NOTICE_OUTPUTS][65],
                     char out[65])
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "number", number, "from", from, "to", to, "unit",
                  unit, "issued_by", (json_int_t)issued_by, "issued_at", (json_int_t)at);
    for (int k = 0; k < NOTICE_OUTPUTS; k++) {
        char key[16];
        if (k == 4 && !sums[k][0]) continue;
        snprintf(key, sizeof key, "%s_sha256", formats[k]);
        json_object_set_new(o, key, json_string(sums[k]));
    }
    char *canon = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    json_decref(o);
    if (!canon) { /* a field that is not text: a hash no row can have */
        memset(out, '0', 64);
        out[64] = '\0';
        return;
    }
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)prev, strlen(prev));
    crypto_hash_sha256_update(&st, (const unsigned char *)canon, strlen(canon));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
    free(canon);
}

/* Store n's row: its outputs and their sums, chained after prev. */
static int insert_row(struct db *db, const struct notice *n, const char *number, int year,
                      int64_t seq, int64_t by, int64_t at, struct buf out[NOTICE_OUTPUTS],
                      char sums[NOTICE_OUTPUTS][65], const char *prev, const char *hash,
                      int64_t *id, struct err *e)
{
    char from[11], to[11];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    /* the scope's name whole: a title cut to a size could split a character */
    struct arena *a = arena_new();
    struct notice_record r = {
        .number = number,
        .year = year,
        .seq = seq,
        .from = from,
        .to = to,
        .unit_id = n->scope_unit_id,
        .title = arena_printf(a, "%s %s至%s督查通报", n->scope_name, from, to),
        .issued_by = by,
        .issued_at = at,
        .prev_hash = prev,
        .hash = hash,
    };
    for (int k = 0; k < NOTICE_OUTPUTS; k++) {
        r.output[k] = out[k].data ? out[k].data : "";
        r.output_len[k] = out[k].len;
        r.sha256[k] = sums[k];
    }
    int rc = notice_store_insert(db, &r, id, e);
    arena_free(a);
    return rc;
}

/* The checkpoint the notice is issued under: a new one signed by p's signer
 * when something changed since the latest, else the latest (none without a
 * key and without any).  0, or -1 with e (409 when the chains no longer hold
 * what the last checkpoint covered: no notice is issued over them). */
static int notice_checkpoint(struct db *db, struct notice_params *p, struct err *e)
{
    struct checkpoint c;
    int taken = 0, rc = 1;
    if (p->signer) {
        if (checkpoint_take(db, p->signer, "notice", 0, &c, &taken, e)) return -1;
    } else {
        rc = checkpoint_latest(db, &c);
        if (rc < 0) return err_db(e, rc, "reading the checkpoints");
    }
    if (rc == 1) {
        p->checkpoint_seq = c.seq;
        snprintf(p->checkpoint_root, sizeof p->checkpoint_root, "%s", c.root);
    }
    return 0;
}

/* A signed draft's texts in place of the settings' and the computed ones. */
static void draft_texts(struct notice *n, const struct notice_params *p)
{
    if (p->main_to && *p->main_to) n->doc.main_to = arena_strdup(n->arena, p->main_to);
    if (p->copy_to && *p->copy_to) n->doc.copy_to = arena_strdup(n->arena, p->copy_to);
    if (p->summary && *p->summary) {
        free(n->summary);
        n->summary = xstrdup(p->summary);
    }
}

int notice_issue(struct db *db, const struct actor *a, const struct notice_params *p, int64_t *id,
                 struct err *e)
{
    struct notice n;
    struct buf out[NOTICE_OUTPUTS];
    for (int k = 0; k < NOTICE_OUTPUTS; k++)
        buf_init(&out[k], NOTICE_OUTPUT_MAX);
    int ret = notice_compute(db, p, &n, e);
    if (!ret) draft_texts(&n, p);
    if (!ret) ret = notice_checkpoint(db, &n.p, e);
    int64_t at = time_now_ms(), seq = 0;
    int y, m, d;
    date_split(time_day_of(at), &y, &m, &d);
    char prev[65], number[64], today[11], sums[NOTICE_OUTPUTS][65], hash[65];
    date_format(time_day_of(at), today);
    if (!ret) ret = notice_store_head(db, y, prev, &seq, e);
    if (!ret) {
        snprintf(number, sizeof number, "〔%d〕%lld号", y, (long long)seq);
        ret = render_all(&n, number, today, out, e);
    }
    if (!ret) {
        for (int k = 0; k < NOTICE_OUTPUTS; k++)
            sha256_hex(out[k].data ? out[k].data : "", out[k].len, sums[k]);
        char from[11], to[11];
        date_format(n.p.from, from);
        date_format(n.p.to, to);
        row_hash(prev, number, from, to, n.p.unit_code, a->user_id, at, sums, hash);
        ret = insert_row(db, &n, number, y, seq, a->user_id, at, out, sums, prev, hash, id, e);
    }
    for (int k = 0; k < NOTICE_OUTPUTS; k++)
        buf_free(&out[k]);
    notice_free(&n);
    return ret;
}

int notice_format_index(const char *format)
{
    for (int k = 0; k < NOTICE_OUTPUTS; k++)
        if (format && !strcmp(format, formats[k])) return k;
    return -1;
}

int notice_issued_output(struct db *db, int64_t id, const char *format, struct buf *out,
                         char number[64], struct err *e)
{
    int k = notice_format_index(format);
    if (k < 0)
        return err_set(e, 422, "invalid_parameter",
                       "'format' must be json, csv, xlsx, html or pdf");
    if (k != 3 && k != 4) return notice_store_output(db, id, k, out, number, e);
    /* the workbook and the PDF are stored as base64: room at 4/3 of out's maximum */
    struct buf text;
    buf_init(&text, out->max ? out->max / 3 * 4 + 4 : 0);
    int ret = notice_store_output(db, id, k, &text, number, e);
    if (!ret && !text.len) {
        ret = err_set(e, 404, "not_found", "notice %lld was issued before PDFs were stored",
                      (long long)id);
        err_detail(e, "notice");
    } else if (!ret) {
        unsigned char *bin = xmalloc(text.len + 1);
        size_t n = 0;
        if (sodium_base642bin(bin, text.len + 1, buf_cstr(&text), text.len, NULL, &n, NULL,
                              sodium_base64_VARIANT_ORIGINAL))
            ret = err_set(e, 500, "internal", "the stored %s is damaged", formats[k]);
        else if (buf_append(out, bin, n))
            ret = err_set(e, 500, "internal", "the notice is too large to send");
        free(bin);
    }
    buf_free(&text);
    return ret;
}

json_t *notice_issued_list(struct db *db, int64_t id, struct err *e)
{
    return notice_store_list_json(db, id, e);
}

/* The scope's unit code as the notice's JSON output holds it ("" for none),
 * or NULL when the output is not a notice's JSON. */
static char *json_unit(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    json_t *scope = json_object_get(j, "scope");
    json_t *unit = json_object_get(scope, "unit");
    char *code = json_is_object(scope) && (json_is_null(unit) || json_is_string(unit))
                     ? xstrdup(json_is_string(unit) ? json_string_value(unit) : "")
                     : NULL;
    json_decref(j);
    return code;
}

/* What notice_verify carries from row to row. */
struct verify_state {
    struct db *db;
    char prev[65];
    int64_t count, malformed, broken;
    struct buf *msg, *warn;
    json_t *units; /* the unit codes, read once a notice needs them */
};

/* A notice whose JSON output cannot be read as a notice: it is malformed
 * (issued broken by an older version, its outputs untouched) when some
 * scope — none, or one of the units — reproduces its hash from its fields;
 * else its fields were changed.  1 malformed, 0 not. */
static int malformed_row(struct verify_state *v, const struct notice_record *r)
{
    char sums[NOTICE_OUTPUTS][65], got[65];
    for (int k = 0; k < NOTICE_OUTPUTS; k++)
        snprintf(sums[k], sizeof sums[k], "%s", r->sha256[k]);
    struct err e = {0};
    if (!v->units) v->units = unit_list_json(v->db, &e);
    json_t *list = json_object_get(v->units, "units"), *u;
    row_hash(r->prev_hash, r->number, r->from, r->to, "", r->issued_by, r->issued_at, sums, got);
    if (!strcmp(got, r->hash)) return 1;
    size_t i;
    json_array_foreach(list, i, u)
    {
        const char *code = json_string_value(json_object_get(u, "code"));
        if (!code) continue;
        row_hash(r->prev_hash, r->number, r->from, r->to, code, r->issued_by, r->issued_at, sums,
                 got);
        if (!strcmp(got, r->hash)) return 1;
    }
    return 0;
}

/* Check the issued notice r against prev (the previous notice's hash): 0
 * when intact, 1 tampered (why into msg), 2 malformed (why into warn). */
static int verify_row(struct verify_state *v, const struct notice_record *r)
{
    char got[65];
    for (int k = 0; k < NOTICE_OUTPUTS; k++) {
        /* no PDF (issued before migration 023): nothing stored, nothing hashed */
        if (k == 4 && !r->output_len[k] && !r->sha256[k][0]) continue;
        sha256_hex(r->output[k], r->output_len[k], got);
        if (strcmp(got, r->sha256[k])) {
            buf_printf(v->msg, "notice %lld (%s): its stored %s output does not match its SHA-256",
                       (long long)r->id, r->number, formats[k]);
            return 1;
        }
    }
    if (strcmp(r->prev_hash, v->prev)) {
        buf_printf(v->msg, "notice %lld (%s): its prev_hash is not the previous notice's hash",
                   (long long)r->id, r->number);
        return 1;
    }
    char *unit = json_unit(r->output[0]);
    if (!unit && malformed_row(v, r)) {
        buf_printf(v->warn,
                   "notice %lld (%s): its JSON output cannot be read as a notice: issued"
                   " broken, not tampered (its outputs match their SHA-256 and its hash its"
                   " fields)",
                   (long long)r->id, r->number);
        return 2;
    }
    if (!unit) {
        buf_printf(v->msg, "notice %lld (%s): its JSON output is not a notice", (long long)r->id,
                   r->number);
        return 1;
    }
    char sums[NOTICE_OUTPUTS][65];
    for (int k = 0; k < NOTICE_OUTPUTS; k++)
        snprintf(sums[k], sizeof sums[k], "%s", r->sha256[k]);
    row_hash(v->prev, r->number, r->from, r->to, unit, r->issued_by, r->issued_at, sums, got);
    free(unit);
    if (strcmp(got, r->hash)) {
        buf_printf(v->msg, "notice %lld (%s): its hash does not match its fields", (long long)r->id,
                   r->number);
        return 1;
    }
    return 0;
}

/* Every row is judged on its own: the next one is checked against this
 * one's stored hash, whatever this one's verdict. */
static int verify_next(void *ctx, const struct notice_record *r)
{
    struct verify_state *v = ctx;
    struct buf *out = NULL;
    switch (verify_row(v, r)) {
    case 0:
        v->count++;
        break;
    case 1:
        out = v->msg, v->broken++;
        break;
    default:
        out = v->warn, v->malformed++;
    }
    if (out) buf_putc(out, '\n');
    snprintf(v->prev, sizeof v->prev, "%s", r->hash);
    return 0;
}

int notice_verify(struct db *db, struct buf *msg, struct buf *warn)
{
    struct verify_state v = {.db = db, .prev = "", .msg = msg, .warn = warn};
    struct err e = {0};
    int rc = notice_store_each(db, verify_next, &v, &e);
    json_decref(v.units);
    if (rc) return rc;
    if (msg->len) msg->data[--msg->len] = '\0'; /* the last line's newline */
    if (warn->len) warn->data[--warn->len] = '\0';
    if (v.broken) return 1;
    buf_printf(msg, "%lld issued notices verified", (long long)v.count);
    if (v.malformed)
        buf_printf(msg, " (%lld malformed: issued broken, not tampered)", (long long)v.malformed);
    return 0;
}
