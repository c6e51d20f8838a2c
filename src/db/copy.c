/* copy.c — a SQLite database into a new PostgreSQL one (luoshi copy).
 *
 * A city that starts on one machine and outgrows it moves its database, not
 * its history: every row goes over as it is.  The two schemas are twins (the
 * db unit test holds every table's columns, keys and defaults to it); only
 * SQLite's text index (items_fts and its shadow tables) has no twin, because
 * PostgreSQL's trigram indexes fill themselves.  So the copy is row for row,
 * table by table, the kept rows included: the tallies, the facts, the lights,
 * the Merkle leaves and the stamps arrive as the source kept them, and every
 * chain and signed checkpoint verifies on the destination as on the source.
 *
 * In one transaction of the destination: the statements that make its
 * foreign keys are read and the keys dropped, its triggers disabled (the
 * append-only guards, the kept counts: the rows arrive already counted),
 * every table emptied (what `luoshi init` put there, its own configuration
 * chain among it) and filled with COPY, the foreign keys made again (which
 * checks every copied reference), the triggers enabled, and each identity
 * sequence set to continue after the largest copied id.  The source is read
 * in one read transaction, a consistent snapshot even while a server writes
 * to it.  Any failure rolls the destination back to what it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/mem.h"

/* A list of strings. */
struct strs {
    char **v;
    size_t n, cap;
};

static void strs_add(struct strs *s, const char *t)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = xstrdup(t ? t : "");
}

static void strs_free(struct strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    *s = (struct strs){0};
}

/* Every column of every row of sql (with text parameter p, if not NULL)
 * into out, row after row.  DB_OK or an error code. */
static int query(struct db *db, const char *sql, const char *p, struct strs *out)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    if (p) db_bind_text(st, 1, p, strlen(p));
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        for (int i = 0; i < db_column_count(st); i++)
            strs_add(out, db_column_text(st, i));
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Run every statement of sqls, from the n-th on in steps of step. */
static int run(struct db *db, const struct strs *sqls, size_t from, size_t step)
{
    for (size_t i = from; i < sqls->n; i += step) {
        int rc = db_exec(db, sqls->v[i]);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* name as a quoted identifier ("a""b"). */
static void put_ident(struct buf *b, const char *name)
{
    buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

/* n bytes of a text value in COPY's text format: backslash, tab, newline
 * and carriage return escaped; a NUL byte as \000, which the server refuses
 * with a message naming the table, the line and the column (PostgreSQL's
 * text cannot hold it). */
static void put_field(struct buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\0':
            esc = "\\000";
            break;
        default:
            continue;
        }
        buf_append(b, s + run, i - run);
        buf_puts(b, esc);
        run = i + 1;
    }
    buf_append(b, s + run, n - run);
}

/* The source's SELECT of table t's columns cols (types their destination
 * types) into sel and the destination's COPY into cp.  The SELECT does the
 * conversions: bytea as hex (COPY's \x form) and a double with the 17 digits
 * that give back the same double (SQLite's text of a REAL keeps 15). */
static void copy_statements(const char *t, const struct strs *cols, const struct strs *types,
                            struct buf *sel, struct buf *cp)
{
    buf_puts(sel, "SELECT ");
    buf_puts(cp, "COPY ");
    put_ident(cp, t);
    buf_puts(cp, " (");
    for (size_t i = 0; i < cols->n; i++) {
        const char *c = cols->v[i], *ty = types->v[i];
        if (i) buf_puts(sel, ", "), buf_puts(cp, ", ");
        put_ident(cp, c);
        if (!strcmp(ty, "bytea")) {
            buf_puts(sel, "CASE WHEN "), put_ident(sel, c), buf_puts(sel, " IS NULL THEN NULL");
            buf_puts(sel, " ELSE '\\x' || hex("), put_ident(sel, c), buf_puts(sel, ") END");
        } else if (!strcmp(ty, "double precision")) {
            buf_puts(sel, "CASE WHEN typeof("), put_ident(sel, c);
            buf_puts(sel, ") = 'real' THEN printf('%.17g', "), put_ident(sel, c);
            buf_puts(sel, ") ELSE "), put_ident(sel, c), buf_puts(sel, " END");
        } else {
            put_ident(sel, c);
        }
    }
    buf_puts(sel, " FROM "), put_ident(sel, t);
    buf_puts(cp, ") FROM STDIN");
}

/* The rows of table t (columns cols, types their destination types) from
 * src into dst, a megabyte at a time; *rows gets their number. */
static int copy_table(struct db *src, struct db *dst, const char *t, const struct strs *cols,
                      const struct strs *types, int64_t *rows, char *err, size_t errlen)
{
    struct buf sel, cp, b;
    buf_init(&sel, 0), buf_init(&cp, 0), buf_init(&b, 0);
    copy_statements(t, cols, types, &sel, &cp);
    int rc = DB_OK, step;
    struct db_stmt *st = db_prepare(src, buf_cstr(&sel));
    if (!st) {
        snprintf(err, errlen, "reading %s from the source: %s", t, db_errmsg(src));
        rc = DB_ERR;
        goto out;
    }
    if ((rc = db_copy_begin(dst, buf_cstr(&cp))) != DB_OK) {
        snprintf(err, errlen, "copying %s: %s", t, db_errmsg(dst));
        goto out;
    }
    *rows = 0;
    while ((step = db_step(st)) == DB_ROW) {
        for (int i = 0; i < (int)cols->n; i++) {
            if (i) buf_putc(&b, '\t');
            if (db_column_is_null(st, i))
                buf_puts(&b, "\\N");
            else
                put_field(&b, db_column_text(st, i), db_column_bytes(st, i));
        }
        buf_putc(&b, '\n');
        ++*rows;
        if (b.len >= 1 << 20) {
            if ((rc = db_copy_put(dst, b.data, b.len)) != DB_OK) break;
            buf_reset(&b);
        }
    }
    if (rc == DB_OK && step != DB_DONE) {
        snprintf(err, errlen, "reading %s from the source: %s", t, db_errmsg(src));
        rc = step;
        db_copy_end(dst); /* the transaction is rolled back anyway */
        goto out;
    }
    if (rc == DB_OK && b.len) rc = db_copy_put(dst, b.data, b.len);
    int end = db_copy_end(dst);
    if (rc == DB_OK) rc = end;
    if (rc != DB_OK) snprintf(err, errlen, "copying %s: %s", t, db_errmsg(dst));
out:
    if (st) db_finalize(st);
    buf_free(&sel), buf_free(&cp), buf_free(&b);
    return rc;
}

/* The destination's foreign keys: the statement dropping each and the one
 * making it again, in turns. */
static const char fk_sql[] =
    "SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', r.relname, c.conname),"
    " format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.relname, c.conname,"
    " pg_get_constraintdef(c.oid))"
    " FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid"
    " JOIN pg_namespace n ON n.oid = r.relnamespace"
    " WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY r.relname, c.conname";

/* Each identity or serial column's sequence set to continue after the
 * largest id (at 1 for an empty table). */
static const char seq_sql[] =
    "SELECT format('SELECT setval(%L, coalesce(max(%I), 0) + 1, false) FROM %I', s, column_name,"
    " table_name) FROM (SELECT table_name, column_name,"
    " pg_get_serial_sequence(format('%I', table_name), column_name) AS s"
    " FROM information_schema.columns WHERE table_schema = current_schema()) q"
    " WHERE s IS NOT NULL ORDER BY 1";

/* Table t's columns on the destination into cols and their types into
 * types (both emptied first), checked against the source's. */
static int table_columns(struct db *src, struct db *dst, const char *t, struct strs *cols,
                         struct strs *types, char *err, size_t errlen)
{
    struct strs both = {0}, scols = {0};
    strs_free(cols), strs_free(types);
    int rc = query(dst,
                   "SELECT column_name, data_type FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND table_name = ?"
                   " ORDER BY ordinal_position",
                   t, &both);
    for (size_t k = 0; k + 1 < both.n; k += 2)
        strs_add(cols, both.v[k]), strs_add(types, both.v[k + 1]);
    struct db *at = dst;
    if (rc == DB_OK)
        at = src, rc = query(src, "SELECT name FROM pragma_table_info(?) ORDER BY cid", t, &scols);
    if (rc != DB_OK) {
        snprintf(err, errlen, "reading the columns of %s: %s", t, db_errmsg(at));
    } else {
        int same = scols.n == cols->n;
        for (size_t k = 0; same && k < cols->n; k++)
            same = !strcmp(scols.v[k], cols->v[k]);
        if (!same) {
            snprintf(err, errlen,
                     "table %s: the source has %s; copy between databases at one schema version", t,
                     scols.n ? "other columns" : "no such table");
            rc = DB_ERR;
        }
    }
    strs_free(&both), strs_free(&scols);
    return rc;
}

/* Disable the destination's triggers (the append-only guards refuse
 * TRUNCATE too) and empty every table. */
static int set_aside(struct db *dst, const struct strs *tables, struct buf *b)
{
    buf_reset(b);
    for (size_t i = 0; i < tables->n; i++) {
        buf_puts(b, "ALTER TABLE "), put_ident(b, tables->v[i]);
        buf_puts(b, " DISABLE TRIGGER USER; ");
    }
    buf_puts(b, "TRUNCATE ");
    for (size_t i = 0; i < tables->n; i++) {
        if (i) buf_puts(b, ", ");
        put_ident(b, tables->v[i]);
    }
    return db_exec(dst, buf_cstr(b));
}

/* The body of db_copy_database inside the destination's transaction. */
static int copy_all(struct db *src, struct db *dst,
                    void (*report)(void *ctx, const char *table, int64_t rows), void *ctx,
                    char *err, size_t errlen)
{
    struct strs tables = {0}, fks = {0}, seqs = {0}, cols = {0}, types = {0};
    struct buf b;
    buf_init(&b, 0);
    int rc = query(dst,
                   "SELECT table_name FROM information_schema.tables"
                   " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                   " ORDER BY table_name",
                   NULL, &tables);
    if (rc == DB_OK) rc = query(dst, fk_sql, NULL, &fks);
    if (rc == DB_OK) rc = query(dst, seq_sql, NULL, &seqs);
    if (rc != DB_OK) {
        snprintf(err, errlen, "reading the destination's tables: %s", db_errmsg(dst));
        goto out;
    }
    if ((rc = run(dst, &fks, 0, 2)) != DB_OK) {
        snprintf(err, errlen, "setting the foreign keys aside: %s", db_errmsg(dst));
        goto out;
    }
    if ((rc = set_aside(dst, &tables, &b)) != DB_OK) {
        snprintf(err, errlen, "emptying the destination: %s", db_errmsg(dst));
        goto out;
    }
    for (size_t i = 0; i < tables.n; i++) {
        const char *t = tables.v[i];
        if ((rc = table_columns(src, dst, t, &cols, &types, err, errlen)) != DB_OK) goto out;
        int64_t rows = 0;
        if ((rc = copy_table(src, dst, t, &cols, &types, &rows, err, errlen)) != DB_OK) goto out;
        if (report) report(ctx, t, rows);
    }
    if ((rc = run(dst, &fks, 1, 2)) != DB_OK) {
        snprintf(err, errlen, "a copied row refers to one that is not there: %s", db_errmsg(dst));
        goto out;
    }
    buf_reset(&b);
    for (size_t i = 0; i < tables.n; i++) {
        if (i) buf_puts(&b, "; ");
        buf_puts(&b, "ALTER TABLE "), put_ident(&b, tables.v[i]);
        buf_puts(&b, " ENABLE TRIGGER USER");
    }
    if ((rc = db_exec(dst, buf_cstr(&b))) != DB_OK || (rc = run(dst, &seqs, 0, 1)) != DB_OK)
        snprintf(err, errlen, "finishing the destination: %s", db_errmsg(dst));
out:
    strs_free(&tables), strs_free(&fks), strs_free(&seqs);
    strs_free(&cols), strs_free(&types);
    buf_free(&b);
    return rc;
}

int db_copy_database(struct db *src, struct db *dst,
                     void (*report)(void *ctx, const char *table, int64_t rows), void *ctx,
                     char *err, size_t errlen)
{
    if (db_kind(src) != DB_SQLITE || db_kind(dst) != DB_PG) {
        snprintf(err, errlen, "copies a SQLite database into a PostgreSQL one");
        return DB_ERR;
    }
    int vs = db_schema_version(src), vd = db_schema_version(dst);
    if (vs != vd) {
        snprintf(err, errlen,
                 "the source has schema version %d and the destination %d:"
                 " run `luoshi init` on both first",
                 vs, vd);
        return DB_ERR;
    }
    int64_t held = 0;
    if (db_query_int64(dst,
                       "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM items)"
                       " + (SELECT count(*) FROM events)",
                       0, 0, &held) != DB_OK) {
        snprintf(err, errlen, "reading the destination: %s", db_errmsg(dst));
        return DB_ERR;
    }
    if (held) {
        snprintf(err, errlen,
                 "the destination already holds users, items or events; copy only into a new"
                 " database (made by `luoshi init` without --demo)");
        return DB_ERR;
    }
    db_read_begin(src);
    int rc = db_begin(dst);
    if (rc != DB_OK) {
        snprintf(err, errlen, "starting the destination's transaction: %s", db_errmsg(dst));
    } else if ((rc = copy_all(src, dst, report, ctx, err, errlen)) != DB_OK) {
        db_rollback(dst);
    } else if ((rc = db_commit(dst)) != DB_OK) {
        snprintf(err, errlen, "committing the copy: %s", db_errmsg(dst));
    }
    db_read_end(src);
    return rc;
}
