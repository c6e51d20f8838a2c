/* pg.c — the PostgreSQL driver, through libpq.
 *
 * A connection is opened from a postgres:// URL with a connect timeout, TCP
 * keepalives, the application name "luoshi", client encoding UTF8, the
 * session time zone UTC and read committed isolation.  A statement rewrites the caller's ?N
 * placeholders to $N once, at prepare (never inside '…' literals, "…" identifiers or comments); the
 * server-side prepare (PQprepare under a generated name) waits for the first
 * execution, so that it can pass the types of the first binding (int8, float8,
 * text; unknown for NULL, which lets the server infer the type from context,
 * helped by a probe statement where it cannot alone, as in
 * `?1 IS NULL OR x = ?1`).  A later binding of a different type prepares
 * again.  Values travel as text both ways; results are read row by row from
 * one PGresult.  SQLSTATEs are mapped to the DB_* codes of db.h.
 *
 * Deliberately not here: connection pooling and reconnection (pool.c reopens a
 * connection that db_alive() calls dead), transactions (db.c, through exec),
 * and backups (pg_dump is the tool; db_backup() in sqlite.c says so).
 *
 * One difference from SQLite that no driver can hide cheaply: after an error
 * inside a transaction, PostgreSQL refuses every statement until ROLLBACK or
 * ROLLBACK TO SAVEPOINT.  A COMMIT of such a transaction is reported here as
 * an error, never as the silent ROLLBACK the server turns it into. */
#include <errno.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"

#define PG_MAX_PARAMS 65535 /* the protocol counts parameters in 16 bits */
#define PG_INT8       20
#define PG_FLOAT8     701
#define PG_TEXT       25
#define PG_BOOL       16
#define PG_BYTEA      17

struct pg_conn {
    PGconn *conn;
    unsigned long next_name; /* for prepared statement names */
    struct buf garbage;      /* "DEALLOCATE …;" of finalized statements, sent later */
};

struct pg_param {
    char *buf; /* the value as text, NUL-terminated */
    size_t cap;
    Oid type;    /* of the current binding; 0 when NULL */
    int is_null; /* unbound parameters are NULL, as in SQLite */
    int bad;     /* text with a NUL byte: PostgreSQL text cannot hold it */
};

struct pg_stmt {
    struct pg_conn *pc;
    char *sql;   /* rewritten to $N */
    char *probe; /* sql with each "$N IS [NOT] NULL" as "NULL IS …", or NULL if none */
    int nparams; /* highest placeholder number */
    char *used;  /* used[i]: $i+1 appears in the text */
    struct pg_param *params;
    const char **values; /* scratch for PQexecPrepared */
    Oid *types;          /* scratch: the current binding's types */
    Oid *prep_types;     /* the types the server-side statement was prepared with */
    char name[32];       /* server-side name; "" until prepared */
    PGresult *res;       /* the current result, or NULL before execution */
    int executed;
    int row, nrows;
};

/* ---- connections ---- */

static void pg_notice(void *arg, const char *message)
{
    (void)arg;
    size_t n = strlen(message);
    while (n && message[n - 1] == '\n')
        n--;
    log_info("db: postgresql: %.*s", (int)n, message);
}

/* Copy libpq's last error for conn into out without its trailing newline. */
static void pg_conn_error(PGconn *conn, const char *what, char *out, size_t outlen)
{
    const char *m = conn ? PQerrorMessage(conn) : "out of memory";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    snprintf(out, outlen, "%s: %.*s", what, (int)n, m);
}

/* Connect.  Our defaults come before the URL so that the URL may override
 * them; the encoding comes after it because the driver depends on UTF-8.
 * PGCONNECT_TIMEOUT and PGAPPNAME in the environment win over our defaults.
 * TCP keepalives find a connection whose server vanished without closing it
 * (a host gone, a network cut) in about a minute instead of hours. */
static PGconn *pg_connect(const char *target)
{
    const char *keys[8], *vals[8];
    int n = 0;
    if (!getenv("PGCONNECT_TIMEOUT")) keys[n] = "connect_timeout", vals[n++] = "5";
    if (!getenv("PGAPPNAME")) keys[n] = "application_name", vals[n++] = "luoshi";
    keys[n] = "keepalives_idle", vals[n++] = "30";
    keys[n] = "keepalives_interval", vals[n++] = "10";
    keys[n] = "keepalives_count", vals[n++] = "3";
    keys[n] = "dbname", vals[n++] = target;
    keys[n] = "client_encoding", vals[n++] = "UTF8";
    keys[n] = NULL, vals[n] = NULL;
    return PQconnectdbParams(keys, vals, 1);
}

static void *pg_open(const char *target, int flags, char *err, size_t errlen)
{
    PGconn *conn = pg_connect(target);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        pg_conn_error(conn, "cannot connect to PostgreSQL", err, errlen);
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, pg_notice, NULL);
    /* read committed whatever the server's default: the pool retries a job
     * inside its batch's transaction, which needs each statement to see what
     * others committed meanwhile (docs/operations.md, "Isolation") */
    const char *setup = (flags & DB_OPEN_READONLY)
                            ? "SET TIME ZONE 'UTC'; SET client_min_messages = warning;"
                              "SET default_transaction_isolation = 'read committed';"
                              "SET default_transaction_read_only = on"
                            : "SET TIME ZONE 'UTC'; SET client_min_messages = warning;"
                              "SET default_transaction_isolation = 'read committed'";
    PGresult *res = PQexec(conn, setup);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        pg_conn_error(conn, "cannot set up the PostgreSQL session", err, errlen);
        PQclear(res);
        PQfinish(conn);
        return NULL;
    }
    PQclear(res);
    struct pg_conn *pc = xcalloc(1, sizeof *pc);
    pc->conn = conn;
    buf_init(&pc->garbage, 0);
    return pc;
}

static void pg_close(void *impl)
{
    struct pg_conn *pc = impl;
    PQfinish(pc->conn);
    buf_free(&pc->garbage);
    free(pc);
}

/* libpq notices a lost connection only when it next reads from it, so read
 * what is waiting first (libpq's socket never blocks: this costs one recv).
 * A server that stopped or restarted has closed the socket, which makes the
 * status bad here, before a statement fails on it.  Inside a transaction
 * nothing is read: the caller is in the middle of using the connection. */
static int pg_alive(void *impl)
{
    struct pg_conn *pc = impl;
    if (PQstatus(pc->conn) == CONNECTION_OK && PQtransactionStatus(pc->conn) == PQTRANS_IDLE)
        PQconsumeInput(pc->conn);
    return PQstatus(pc->conn) == CONNECTION_OK;
}

/* ---- errors ---- */

static const struct {
    const char *state;
    int code;
} pg_states[] = {
    {"23505", DB_UNIQUE},      {"23503", DB_CONSTRAINT},  {"23514", DB_CONSTRAINT},
    {"23502", DB_CONSTRAINT},  {"23001", DB_CONSTRAINT},  {"23P01", DB_CONSTRAINT},
    {"40001", DB_RETRY},       {"40P01", DB_RETRY},       {"55P03", DB_RETRY},
    {"57P01", DB_UNAVAILABLE}, {"57P02", DB_UNAVAILABLE}, {"57P03", DB_UNAVAILABLE},
};

/* The DB_* code for a failed result (res may be NULL). */
static int pg_code(PGconn *conn, const PGresult *res)
{
    if (PQstatus(conn) != CONNECTION_OK) return DB_UNAVAILABLE;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!state) return DB_ERR;
    if (strncmp(state, "08", 2) == 0) return DB_UNAVAILABLE;
    for (size_t i = 0; i < sizeof pg_states / sizeof pg_states[0]; i++)
        if (strcmp(state, pg_states[i].state) == 0) return pg_states[i].code;
    return DB_ERR;
}

/* Set db->errmsg from a failed result and return its DB_* code. */
static int pg_fail(struct db *db, PGconn *conn, const PGresult *res)
{
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (msg) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        db_set_error(db, "%s (SQLSTATE %s)", msg, state ? state : "?");
    } else {
        char m[sizeof db->errmsg];
        pg_conn_error(conn, "PostgreSQL", m, sizeof m);
        db_set_error(db, "%s", m);
    }
    return pg_code(conn, res);
}

/* ---- placeholders ---- */

/* Copy a quoted run ('…' or "…", the quote doubled inside) starting at s[0]
 * to out; returns the length consumed. */
static size_t pg_copy_quoted(const char *s, struct buf *out)
{
    char q = s[0];
    size_t i = 1;
    for (;;) {
        if (!s[i]) break;
        if (s[i] == q) {
            if (s[i + 1] != q) {
                i++;
                break;
            }
            i++;
        }
        i++;
    }
    buf_append(out, s, i);
    return i;
}

/* Copy a comment (-- to end of line, or nested slash-star) starting at s[0]; returns
 * the length consumed. */
static size_t pg_copy_comment(const char *s, struct buf *out)
{
    size_t i = 2;
    if (s[0] == '-') {
        while (s[i] && s[i] != '\n')
            i++;
    } else {
        int depth = 1;
        while (s[i] && depth) {
            if (s[i] == '/' && s[i + 1] == '*')
                depth++, i++;
            else if (s[i] == '*' && s[i + 1] == '/')
                depth--, i++;
            i++;
        }
    }
    buf_append(out, s, i);
    return i;
}

/* Mark placeholder n as used, growing st->used; n is in 1..PG_MAX_PARAMS. */
static void pg_use_param(struct pg_stmt *st, int n)
{
    if (n > st->nparams) {
        st->used = xrealloc(st->used, (size_t)n);
        memset(st->used + st->nparams, 0, (size_t)(n - st->nparams));
        st->nparams = n;
    }
    st->used[n - 1] = 1;
}

/* 1 when s starts with word (ASCII, any case) followed by a non-word byte. */
static int pg_word(const char *s, const char *word, size_t *len)
{
    size_t i = 0;
    for (; word[i]; i++)
        if ((s[i] | 0x20) != word[i]) return 0;
    char c = s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
        (unsigned char)c >= 0x80)
        return 0;
    *len = i;
    return 1;
}

static size_t pg_space(const char *s)
{
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    return i;
}

/* 1 when s (just after a placeholder) reads "IS NULL" or "IS NOT NULL". */
static int pg_null_test(const char *s)
{
    size_t n;
    s += pg_space(s);
    if (!pg_word(s, "is", &n)) return 0;
    s += n + pg_space(s + n);
    if (pg_word(s, "not", &n)) s += n + pg_space(s + n);
    return pg_word(s, "null", &n);
}

/* Read the placeholder at s ('?' then optional digits): its number into *n,
 * or -1 when the number is out of range; returns the length read. */
static size_t pg_placeholder(const char *s, int highest, long *n)
{
    size_t i = 1;
    *n = 0;
    for (; s[i] >= '0' && s[i] <= '9' && i < 7; i++)
        *n = *n * 10 + (s[i] - '0');
    if (i == 1) *n = highest + 1;
    if (*n < 1 || *n > PG_MAX_PARAMS || (s[i] >= '0' && s[i] <= '9')) *n = -1;
    return i;
}

/* Rewrite sql's ?N (and SQLite's bare ?, "one more than the largest so far")
 * to $N into st->sql and st->used, and build st->probe (see pg_infer).
 * Returns 0, or -1 with a message in err. */
static int pg_rewrite(struct pg_stmt *st, const char *sql, char *err, size_t errlen)
{
    struct buf out, probe;
    buf_init(&out, 0);
    buf_init(&probe, 0);
    int null_tests = 0;
    const char *s = sql;
    while (*s) {
        size_t start = out.len;
        if (*s == '\'' || *s == '"') {
            s += pg_copy_quoted(s, &out);
        } else if ((s[0] == '-' && s[1] == '-') || (s[0] == '/' && s[1] == '*')) {
            s += pg_copy_comment(s, &out);
        } else if (*s == '?') {
            long n;
            s += pg_placeholder(s, st->nparams, &n);
            if (n < 0) {
                snprintf(err, errlen, "bad placeholder near \"%.20s\"", s);
                buf_free(&out);
                buf_free(&probe);
                return -1;
            }
            pg_use_param(st, (int)n);
            buf_printf(&out, "$%ld", n);
            if (pg_null_test(s)) {
                buf_puts(&probe, "NULL");
                null_tests++;
                continue;
            }
        } else {
            buf_putc(&out, *s++);
        }
        buf_append(&probe, out.data + start, out.len - start);
    }
    st->sql = buf_detach(&out, NULL);
    st->probe = null_tests ? buf_detach(&probe, NULL) : NULL;
    buf_free(&probe);
    return 0;
}

/* ---- statements ---- */

static void *pg_prepare(struct db *db, const char *sql)
{
    struct pg_stmt *st = xcalloc(1, sizeof *st);
    st->pc = db->impl;
    char err[256];
    if (pg_rewrite(st, sql, err, sizeof err) != 0) {
        db_set_error(db, "prepare failed: %s (in: %.200s)", err, sql);
        free(st->used);
        free(st);
        return NULL;
    }
    size_t n = st->nparams ? (size_t)st->nparams : 1;
    st->params = xcalloc(n, sizeof *st->params);
    st->values = xcalloc(n, sizeof *st->values);
    st->types = xcalloc(n, sizeof *st->types);
    for (int i = 0; i < st->nparams; i++)
        st->params[i].is_null = 1;
    return st;
}

static void pg_reset(void *vst)
{
    struct pg_stmt *st = vst;
    PQclear(st->res);
    st->res = NULL;
    st->executed = 0;
    st->row = st->nrows = 0;
    for (int i = 0; i < st->nparams; i++) {
        st->params[i].is_null = 1;
        st->params[i].bad = 0;
        st->params[i].type = 0;
    }
}

/* Queue the server-side statement for DEALLOCATE (see pg_collect). */
static void pg_forget_prepared(struct pg_stmt *st)
{
    if (!st->name[0]) return;
    buf_printf(&st->pc->garbage, "DEALLOCATE %s;", st->name);
    st->name[0] = '\0';
}

static void pg_finalize(void *vst)
{
    struct pg_stmt *st = vst;
    pg_reset(st);
    pg_forget_prepared(st);
    for (int i = 0; i < st->nparams; i++)
        free(st->params[i].buf);
    free(st->params);
    free(st->values);
    free(st->types);
    free(st->prep_types);
    free(st->used);
    free(st->sql);
    free(st->probe);
    free(st);
}

/* Store a text value for parameter idx.  Returns DB_OK, or DB_ERR when idx is
 * out of range (as SQLite does). */
static int pg_bind(struct pg_stmt *st, int idx, const char *s, size_t len, Oid type)
{
    if (idx < 1 || idx > st->nparams) return DB_ERR;
    struct pg_param *p = &st->params[idx - 1];
    if (p->cap < len + 1) {
        p->buf = xrealloc(p->buf, len + 1);
        p->cap = len + 1;
    }
    memcpy(p->buf, s, len);
    p->buf[len] = '\0';
    p->is_null = 0;
    p->bad = memchr(s, '\0', len) != NULL;
    p->type = type;
    return p->bad ? DB_ERR : DB_OK;
}

static int pg_bind_int64(void *st, int idx, int64_t v)
{
    char b[24];
    int n = snprintf(b, sizeof b, "%lld", (long long)v);
    return pg_bind(st, idx, b, (size_t)n, PG_INT8);
}

static int pg_bind_double(void *st, int idx, double v)
{
    char b[32];
    int n = isnan(v) ? snprintf(b, sizeof b, "NaN") : snprintf(b, sizeof b, "%.17g", v);
    return pg_bind(st, idx, b, (size_t)n, PG_FLOAT8);
}

static int pg_bind_text(void *st, int idx, const char *s, size_t len)
{
    return pg_bind(st, idx, s, len, PG_TEXT);
}

/* bytea goes as text in the hex format ("\\x" and two digits a byte), so
 * every parameter keeps one (text) format. */
static int pg_bind_blob(void *vst, int idx, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    struct pg_stmt *st = vst;
    if (idx < 1 || idx > st->nparams) return DB_ERR;
    struct pg_param *p = &st->params[idx - 1];
    if (p->cap < 2 * len + 3) {
        p->buf = xrealloc(p->buf, 2 * len + 3);
        p->cap = 2 * len + 3;
    }
    const unsigned char *b = data;
    p->buf[0] = '\\', p->buf[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        p->buf[2 + 2 * i] = hex[b[i] >> 4];
        p->buf[3 + 2 * i] = hex[b[i] & 15];
    }
    p->buf[2 + 2 * len] = '\0';
    p->is_null = 0, p->bad = 0, p->type = PG_BYTEA;
    return DB_OK;
}

static int pg_bind_null(void *vst, int idx)
{
    struct pg_stmt *st = vst;
    if (idx < 1 || idx > st->nparams) return DB_ERR;
    st->params[idx - 1].is_null = 1;
    st->params[idx - 1].bad = 0;
    st->params[idx - 1].type = 0;
    return DB_OK;
}

/* Send the DEALLOCATEs of finalized statements, unless the transaction is in
 * error (then every command would fail; they wait for the next chance). */
static void pg_collect(struct pg_conn *pc)
{
    if (!pc->garbage.len) return;
    PGTransactionStatusType ts = PQtransactionStatus(pc->conn);
    if (ts != PQTRANS_IDLE && ts != PQTRANS_INTRANS) return;
    PQclear(PQexec(pc->conn, buf_cstr(&pc->garbage)));
    buf_reset(&pc->garbage);
}

/* Fill st->values and st->types from the bindings.  Returns 1 when the
 * server-side statement must be prepared (again) for these types: it does not
 * exist yet, or a parameter is now bound with another type than it was
 * prepared with.  A parameter the server typed itself (prepared as unknown)
 * and NULL values fit anything. */
static int pg_gather(struct pg_stmt *st)
{
    int again = !st->name[0];
    for (int i = 0; i < st->nparams; i++) {
        struct pg_param *p = &st->params[i];
        st->values[i] = p->is_null ? NULL : p->buf;
        st->types[i] = !st->used[i] ? PG_TEXT : p->is_null ? 0 : p->type;
        if (st->prep_types && st->prep_types[i] && st->types[i] &&
            st->prep_types[i] != st->types[i])
            again = 1;
    }
    return again;
}

static void pg_command(PGconn *conn, const char *sql)
{
    PQclear(PQexec(conn, sql));
}

/* PQprepare sql as name.  When guard is set (a transaction is open) the try
 * runs under a savepoint, so that its failure leaves the transaction usable. */
static PGresult *pg_try_prepare(PGconn *conn, int guard, const char *name, const char *sql, int n,
                                const Oid *types)
{
    if (guard) pg_command(conn, "SAVEPOINT luoshi_prepare");
    PGresult *res = PQprepare(conn, name, sql, n, types);
    if (guard && PQresultStatus(res) != PGRES_COMMAND_OK)
        pg_command(conn, "ROLLBACK TO SAVEPOINT luoshi_prepare");
    if (guard) pg_command(conn, "RELEASE SAVEPOINT luoshi_prepare");
    return res;
}

/* 1 when the server could not type a parameter: indeterminate_datatype
 * (42P18) or, as PostgreSQL reports it for a parameter met untyped first,
 * ambiguous_parameter (42P08). */
static int pg_indeterminate(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return state && (strcmp(state, "42P18") == 0 || strcmp(state, "42P08") == 0);
}

/* Find the types of the parameters bound to NULL that the server could not
 * infer.  PostgreSQL types a parameter where it first meets it, and in
 * "?1 IS NULL OR x = ?1" that is the type-less IS NULL.  The probe is the same
 * statement with those tests on NULL instead of the parameter, so the server
 * types the parameter from x; its description gives the types.  Whatever is
 * still unknown becomes text. */
static void pg_infer(struct pg_stmt *st, int guard)
{
    PGconn *conn = st->pc->conn;
    if (st->probe) {
        /* named: the simple queries of the savepoint would drop an unnamed one */
        PGresult *res =
            pg_try_prepare(conn, guard, "luoshi_probe", st->probe, st->nparams, st->types);
        if (PQresultStatus(res) == PGRES_COMMAND_OK) {
            PGresult *desc = PQdescribePrepared(conn, "luoshi_probe");
            if (PQresultStatus(desc) == PGRES_COMMAND_OK && PQnparams(desc) == st->nparams)
                for (int i = 0; i < st->nparams; i++)
                    if (!st->types[i]) st->types[i] = PQparamtype(desc, i);
            PQclear(desc);
            pg_command(conn, "DEALLOCATE luoshi_probe");
        }
        PQclear(res);
    }
    for (int i = 0; i < st->nparams; i++)
        if (!st->types[i]) st->types[i] = PG_TEXT;
}

/* 1 when the server found no function or operator for the argument types
 * (42883), as for an int8 parameter where only integer is taken:
 * substr(text, integer, bigint) does not exist. */
static int pg_no_function(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return state && strcmp(state, "42883") == 0;
}

/* PQprepare st under a new name with st->types (0, unknown, for parameters
 * bound to NULL: the server infers them, with pg_infer's help when it cannot).
 * When the server finds no function for an int8 parameter (callers bind every
 * integer as int8, and substr or repeat want integer), those parameters are
 * left for the server to type as well.  Inside a transaction, tries that may
 * fail run under a savepoint.  Returns DB_OK or an error code with
 * db->errmsg set. */
static int pg_server_prepare(struct db *db, struct pg_stmt *st)
{
    PGconn *conn = st->pc->conn;
    pg_forget_prepared(st);
    int unknown = 0, ints = 0;
    for (int i = 0; i < st->nparams; i++) {
        unknown |= st->types[i] == 0;
        ints |= st->types[i] == PG_INT8;
    }
    int intrans = PQtransactionStatus(conn) == PQTRANS_INTRANS;
    int guard = (unknown || ints) && intrans;
    char name[32];
    snprintf(name, sizeof name, "luoshi_%lu", ++st->pc->next_name);
    if (unknown && st->probe) {
        /* an IS NULL test would stop the server: ask the probe first */
        pg_infer(st, guard);
        unknown = 0;
        guard = ints && intrans;
    }
    PGresult *res = pg_try_prepare(conn, guard, name, st->sql, st->nparams, st->types);
    if (unknown && pg_indeterminate(res)) {
        PQclear(res);
        pg_infer(st, guard);
        res = pg_try_prepare(conn, ints && intrans, name, st->sql, st->nparams, st->types);
    }
    if (ints && pg_no_function(res)) {
        PQclear(res);
        for (int i = 0; i < st->nparams; i++)
            if (st->types[i] == PG_INT8) st->types[i] = 0;
        res = PQprepare(conn, name, st->sql, st->nparams, st->types);
    }
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int rc = pg_fail(db, conn, res);
        char msg[sizeof db->errmsg];
        memcpy(msg, db->errmsg, sizeof msg);
        db_set_error(db, "prepare failed: %s (in: %.200s)", msg, st->sql);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    size_t n = st->nparams ? (size_t)st->nparams : 1;
    st->prep_types = xrealloc(st->prep_types, n * sizeof *st->prep_types);
    memcpy(st->prep_types, st->types, (size_t)st->nparams * sizeof *st->types);
    memcpy(st->name, name, sizeof name);
    return DB_OK;
}

/* db->changes after INSERT/UPDATE/DELETE/MERGE (with or without RETURNING). */
static void pg_count_changes(struct db *db, PGresult *res)
{
    const char *tag = PQcmdStatus(res);
    if (strncmp(tag, "INSERT", 6) && strncmp(tag, "UPDATE", 6) && strncmp(tag, "DELETE", 6) &&
        strncmp(tag, "MERGE", 5))
        return;
    db->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* First step: prepare if needed, execute, keep the result. */
static int pg_execute(struct db *db, struct pg_stmt *st)
{
    PGconn *conn = st->pc->conn;
    for (int i = 0; i < st->nparams; i++) {
        if (st->params[i].bad) {
            db_set_error(db, "text bound to ?%d holds a NUL byte, which PostgreSQL cannot store",
                         i + 1);
            return DB_ERR;
        }
    }
    if (PQstatus(conn) != CONNECTION_OK) return pg_fail(db, conn, NULL);
    pg_collect(st->pc);
    PGresult *res = NULL;
    for (int attempt = 0;; attempt++) {
        if (pg_gather(st)) {
            int rc = pg_server_prepare(db, st);
            if (rc != DB_OK) return rc;
        }
        res = PQexecPrepared(conn, st->name, st->nparams, st->values, NULL, NULL, 0);
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) break;
        /* the server forgot the statement (DISCARD ALL, a pooler): prepare
         * it again, unless that error has aborted a transaction */
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (attempt == 0 && state && strcmp(state, "26000") == 0 &&
            PQtransactionStatus(conn) == PQTRANS_IDLE) {
            PQclear(res);
            st->name[0] = '\0';
            continue;
        }
        int rc = pg_fail(db, conn, res);
        PQclear(res);
        return rc;
    }
    st->res = res;
    st->executed = 1;
    st->row = 0;
    st->nrows = PQntuples(res);
    pg_count_changes(db, res);
    return st->nrows ? DB_ROW : DB_DONE;
}

static int pg_step(struct db *db, void *vst)
{
    struct pg_stmt *st = vst;
    if (!st->executed) return pg_execute(db, st);
    if (st->row + 1 < st->nrows) {
        st->row++;
        return DB_ROW;
    }
    st->row = st->nrows;
    return DB_DONE;
}

/* ---- columns ---- */

/* The text of column col in the current row, or NULL for SQL NULL (and for
 * no row or no such column).  Booleans come back as "1"/"0", as in SQLite. */
static const char *pg_value(struct pg_stmt *st, int col)
{
    if (!st->res || st->row >= st->nrows || col < 0 || col >= PQnfields(st->res)) return NULL;
    if (PQgetisnull(st->res, st->row, col)) return NULL;
    const char *v = PQgetvalue(st->res, st->row, col);
    if (PQftype(st->res, col) == PG_BOOL) return v[0] == 't' ? "1" : "0";
    return v;
}

static int pg_column_count(void *vst)
{
    struct pg_stmt *st = vst;
    return st->res ? PQnfields(st->res) : 0;
}

static int pg_column_is_null(void *st, int col)
{
    return pg_value(st, col) == NULL;
}

/* Like SQLite's cast: a leading integer; a real number is truncated (and
 * clamped); anything else is 0. */
static int64_t pg_column_int64(void *st, int col)
{
    const char *v = pg_value(st, col);
    if (!v) return 0;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*end && end != v && errno == 0) return n;
    double d = strtod(v, &end);
    if (end == v || isnan(d)) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

static double pg_column_double(void *st, int col)
{
    const char *v = pg_value(st, col);
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_column_text(void *st, int col)
{
    return pg_value(st, col);
}

static size_t pg_column_bytes(void *vst, int col)
{
    struct pg_stmt *st = vst;
    const char *v = pg_value(st, col);
    if (!v) return 0;
    return PQftype(st->res, col) == PG_BOOL ? 1 : (size_t)PQgetlength(st->res, st->row, col);
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A bytea's text (the server's default hex output) decoded. */
static unsigned char *pg_column_blob(void *st, int col, size_t *len)
{
    const char *v = pg_value(st, col);
    if (!v || v[0] != '\\' || v[1] != 'x') return NULL;
    size_t n = strlen(v + 2) / 2;
    unsigned char *out = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(v[2 + 2 * i]), lo = hex_digit(v[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *len = n;
    return out;
}

/* ---- scripts ---- */

static int pg_exec(struct db *db, const char *sql)
{
    struct pg_conn *pc = db->impl;
    PGresult *res = PQexec(pc->conn, sql);
    ExecStatusType s = PQresultStatus(res);
    int rc = DB_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        rc = pg_fail(db, pc->conn, res);
    } else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        /* the server answers COMMIT of a failed transaction with ROLLBACK */
        db_set_error(db, "COMMIT rolled back: a statement of the transaction had failed");
        rc = DB_ERR;
    }
    PQclear(res);
    return rc;
}

/* ---- COPY … FROM STDIN ---- */

static int pg_copy_begin(struct db *db, const char *sql)
{
    struct pg_conn *pc = db->impl;
    PGresult *res = PQexec(pc->conn, sql);
    int rc = PQresultStatus(res) == PGRES_COPY_IN ? DB_OK : pg_fail(db, pc->conn, res);
    PQclear(res);
    return rc;
}

static int pg_copy_put(struct db *db, const void *data, size_t len)
{
    struct pg_conn *pc = db->impl;
    const char *p = data;
    while (len > 0) { /* PQputCopyData takes an int */
        int n = len > (1u << 30) ? 1 << 30 : (int)len;
        if (PQputCopyData(pc->conn, p, n) != 1) {
            pg_conn_error(pc->conn, "COPY", db->errmsg, sizeof db->errmsg);
            return pg_code(pc->conn, NULL);
        }
        p += n, len -= (size_t)n;
    }
    return DB_OK;
}

/* End the COPY and read its outcome (a bad row is reported here, by the
 * server, naming the table, the line and the column). */
static int pg_copy_end(struct db *db)
{
    struct pg_conn *pc = db->impl;
    int rc = DB_OK;
    if (PQputCopyEnd(pc->conn, NULL) != 1) {
        pg_conn_error(pc->conn, "COPY", db->errmsg, sizeof db->errmsg);
        rc = pg_code(pc->conn, NULL);
    }
    PGresult *res;
    while ((res = PQgetResult(pc->conn))) {
        if (rc == DB_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
            rc = pg_fail(db, pc->conn, res);
            const char *where = PQresultErrorField(res, PG_DIAG_CONTEXT);
            if (where) { /* "COPY items, line 17, column title: …" */
                char m[sizeof db->errmsg];
                snprintf(m, sizeof m, "%s", db->errmsg);
                db_set_error(db, "%s; %s", m, where);
            }
        }
        PQclear(res);
    }
    return rc;
}

const struct db_driver db_pg_driver = {
    .kind = DB_PG,
    .begin_sql = "BEGIN",
    .open = pg_open,
    .close = pg_close,
    .alive = pg_alive,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_is_null = pg_column_is_null,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .column_bytes = pg_column_bytes,
    .column_blob = pg_column_blob,
    .exec = pg_exec,
    .copy_begin = pg_copy_begin,
    .copy_put = pg_copy_put,
    .copy_end = pg_copy_end,
};
