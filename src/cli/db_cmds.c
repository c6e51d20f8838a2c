/* db_cmds.c — luoshi init, verify and backup: the commands about the database
 * as a whole.  verify runs core's checks (replay.h, config_chain.h,
 * checkpoint.h, proof.h) and notice/issue.h's, and prints what they found. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/checkpoint.h"
#include "core/config_chain.h"
#include "core/proof.h"
#include "core/replay.h"
#include "notice/issue.h"
#include "util/buf.h"

/* The signing key of a new or upgraded database: --key FILE or TARGET.key
 * beside a SQLite file, made when missing (never overwritten).  Prints what
 * it did.  0, or -1 after printing why. */
static int init_key(const char *keyopt, const char *target)
{
    const char *env = getenv("LUOSHI_KEY");
    char path[1024], pub[1100];
    if (keyopt && *keyopt)
        snprintf(path, sizeof path, "%s", keyopt);
    else if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else if (!db_target_is_pg(target))
        snprintf(path, sizeof path, "%s.key", target);
    else
        path[0] = '\0';
    if (!path[0]) {
        printf("no signing key for checkpoints: give --key FILE to make one\n");
        return 0;
    }
    if (!access(path, F_OK)) { /* there is one: it must be a key */
        struct checkpoint_key k;
        int rc = cli_signing_key(path, target, &k, pub, sizeof pub);
        sodium_memzero(&k, sizeof k);
        return rc == 1 ? 0 : -1;
    }
    if (keyfile_create(path, pub, sizeof pub)) {
        fprintf(stderr, "luoshi init: cannot create the signing key %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    printf("signing key for checkpoints: %s (keep it secret, away from the database's backups);"
           " public key: %s\n",
           path, pub);
    return 0;
}

/* Load the shipped official calendars' years the database lists no day of
 * (a new database gets them all; an admin's changes stay).  A transaction
 * that meets another writer (inits run at once) is tried again.  0, or -1
 * after saying why. */
static int init_calendar(struct db *db)
{
    struct err e = {0};
    int days = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
        memset(&e, 0, sizeof e);
        if (db_begin(db) != DB_OK) {
            err_db(&e, DB_ERR, "loading the calendar");
            continue;
        }
        if (!calendar_import_builtin(db, &days, &e) && db_commit(db) == DB_OK) {
            if (days) printf("calendar: %d official days loaded\n", days);
            return 0;
        }
        db_rollback(db);
    }
    fprintf(stderr, "luoshi init: the calendar: %s\n", e.message[0] ? e.message : "busy");
    return -1;
}

int cmd_init(int argc, char **argv)
{
    const char *dbopt = NULL, *keyopt = NULL, *pos[1];
    int demo = 0, npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"demo", NULL, &demo}, {"key", &keyopt, NULL}};
    if (cli_parse("init", argc, argv, opts, 3, pos, 0, &npos)) return CLI_USAGE;
    const char *target = cli_db_target(dbopt);
    char err[512];
    struct db *db = db_open(target, DB_OPEN_CREATE, err, sizeof err);
    if (!db) {
        fprintf(stderr, "luoshi init: %s\n", err);
        return CLI_FAIL;
    }
    int applied = 0, rc = CLI_OK;
    if (cli_migrate(db, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "luoshi init: %s\n", err);
        rc = CLI_FAIL;
        goto out;
    }
    char shown[512]; /* the target without a password */
    printf("%s: schema version %d (%d migration%s applied)\n",
           db_target_display(target, shown, sizeof shown), db_schema_version(db), applied,
           applied == 1 ? "" : "s");
    if (init_key(keyopt, target)) rc = CLI_FAIL;
    if (rc == CLI_OK && init_calendar(db)) rc = CLI_FAIL;
    if (rc == CLI_OK && demo) rc = demo_load(db);
out:
    db_close(db);
    return rc;
}

/* luoshi verify --proof FILE --pubkey KEY: one item's proof, offline. */
static int verify_proof(const char *file, const char *pubopt, const char *keyopt)
{
    struct checkpoint_key k;
    int have = cli_public_key(pubopt, keyopt, NULL, &k);
    if (have <= 0) {
        if (!have) fprintf(stderr, "luoshi verify: --proof needs the public key (--pubkey)\n");
        return CLI_USAGE;
    }
    json_error_t je;
    json_t *proof = json_load_file(file, 0, &je);
    if (!proof) {
        fprintf(stderr, "luoshi verify: cannot read the proof %s: %s\n", file, je.text);
        return CLI_FAIL;
    }
    struct buf msg;
    buf_init(&msg, 1 << 16);
    int bad = proof_check(proof, &k, &msg);
    if (bad)
        fprintf(stderr, "luoshi verify: BROKEN: proof %s: %s\n", file, buf_cstr(&msg));
    else
        printf("ok: %s\n", buf_cstr(&msg));
    buf_free(&msg);
    json_decref(proof);
    return bad ? CLI_FAIL : CLI_OK;
}

/* With --verbose, what each check covered. */
static void verify_verbose(const struct replay_stats *st, int64_t cfg, int64_t cps,
                           const struct checkpoint *latest, const struct checkpoint_key *pub)
{
    printf("ok: %lld items replayed against their rows, cooperating units, feedback and own"
           " rows\n",
           (long long)st->items);
    printf("ok: configuration chain: %lld events replayed against the tables\n", (long long)cfg);
    if (!cps)
        printf("ok: no checkpoint yet\n");
    else
        printf("ok: %lld checkpoints%s; the latest, %lld, covers %lld items (root %s), all still"
               " as covered\n",
               (long long)cps, pub ? " signed by the trusted key" : " (signatures not checked)",
               (long long)latest->seq, (long long)st->leaves, latest->root);
}

/* --root FILE: a published checkpoint (checkpoint --export), signed by pub,
 * must still be in the database: its problems to v.  0, or -1 after
 * printing why the file is no such checkpoint. */
static int verify_root(struct db *db, const char *file, const struct checkpoint_key *pub,
                       struct verify_log *v)
{
    json_error_t je;
    json_t *o = json_load_file(file, 0, &je);
    struct checkpoint c;
    int bad = !o || checkpoint_from_json(o, &c) || !pub || !checkpoint_signed_by(&c, pub);
    json_decref(o);
    if (bad) {
        fprintf(stderr, "luoshi verify: %s is not a checkpoint signed by the trusted key%s\n", file,
                pub ? "" : " (give --pubkey)");
        return -1;
    }
    return checkpoint_published(db, &c, v) == DB_OK ? 0 : -1;
}

/* Items, configuration and checkpoints; their problems on stderr.  0 when
 * all hold, 1 when a problem was found, -1 when the database could not be
 * read (printed). */
static int verify_database(struct db *db, const struct checkpoint_key *pub, const char *root,
                           int verbose)
{
    struct verify_log v;
    struct replay_stats st;
    struct checkpoint latest;
    int64_t cfg = 0, cps = 0;
    verify_log_init(&v, 50);
    if (root && verify_root(db, root, pub, &v)) {
        verify_log_free(&v);
        return -1;
    }
    int rc = replay_verify(db, REPLAY_FULL, &v, &st);
    if (rc == DB_OK) rc = config_chain_verify(db, &v, &cfg);
    if (rc == DB_OK) rc = checkpoint_verify(db, pub, &v, &cps, &latest);
    int ret = rc != DB_OK ? -1 : v.problems ? 1 : 0;
    if (rc != DB_OK) {
        fprintf(stderr, "luoshi verify: cannot read events: %s\n", db_errmsg(db));
    } else if (v.problems) {
        for (char *line = v.lines.data, *nl; line && (nl = strchr(line, '\n')); line = nl + 1)
            fprintf(stderr, "luoshi verify: BROKEN: %.*s\n", (int)(nl - line), line);
        if (v.problems > v.max)
            fprintf(stderr, "luoshi verify: BROKEN: … and %lld more problems\n",
                    (long long)(v.problems - v.max));
    } else {
        printf("ok: %lld events in %lld chains verified\n", (long long)st.events,
               (long long)st.chains);
    }
    if (!ret && verbose) verify_verbose(&st, cfg, cps, &latest, pub);
    if (!ret && cps && !pub)
        fprintf(stderr,
                "luoshi verify: note: %lld checkpoints' signatures not checked: no public"
                " key (--pubkey)\n",
                (long long)cps);
    verify_log_free(&v);
    return ret;
}

/* Each line of text, after prefix, on f. */
static void print_lines(FILE *f, const char *prefix, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        int n = nl ? (int)(nl - text) : (int)strlen(text);
        fprintf(f, "%s%.*s\n", prefix, n, text);
        text += n + (nl != NULL);
    }
}

int cmd_verify(int argc, char **argv)
{
    const char *dbopt = NULL, *pubopt = NULL, *keyopt = NULL, *proof = NULL, *root = NULL;
    const char *pos[1];
    int npos, verbose = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},   {"pubkey", &pubopt, NULL},
                             {"key", &keyopt, NULL}, {"proof", &proof, NULL},
                             {"root", &root, NULL},  {"verbose", NULL, &verbose}};
    if (cli_parse("verify", argc, argv, opts, 6, pos, 0, &npos)) return CLI_USAGE;
    if (proof) return verify_proof(proof, pubopt, keyopt);
    const char *target = cli_db_target(dbopt);
    struct checkpoint_key k;
    int have = cli_public_key(pubopt, keyopt, target, &k);
    if (have < 0) return CLI_USAGE;
    struct db *db = cli_open(target, 0);
    if (!db) return CLI_FAIL;
    int rc = verify_database(db, have ? &k : NULL, root, verbose);
    /* the issued notices' chain is checked too, whatever the rest's state */
    struct buf msg, warn;
    buf_init(&msg, 1 << 16);
    buf_init(&warn, 1 << 16);
    int nrc = notice_verify(db, &msg, &warn);
    print_lines(stderr, "luoshi verify: MALFORMED: ", buf_cstr(&warn));
    if (nrc == 0)
        printf("ok: %s\n", buf_cstr(&msg));
    else if (nrc == 1)
        print_lines(stderr, "luoshi verify: BROKEN: ", buf_cstr(&msg));
    else
        fprintf(stderr, "luoshi verify: cannot read notices: %s\n", db_errmsg(db));
    buf_free(&msg);
    buf_free(&warn);
    db_close(db);
    return rc == 0 && nrc == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_backup(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}};
    if (cli_parse("backup", argc, argv, opts, 1, pos, 1, &npos)) return CLI_USAGE;
    if (npos != 1) {
        fprintf(stderr, "luoshi backup: name the file to write: luoshi backup [--db DB] FILE\n");
        return CLI_USAGE;
    }
    const char *target = cli_db_target(dbopt);
    if (db_target_is_pg(target)) {
        /* said before connecting: no password prompt or network wait for nothing */
        fprintf(stderr, "luoshi backup: a PostgreSQL database is backed up with pg_dump -Fc "
                        "(see docs/operations.md)\n");
        return CLI_FAIL;
    }
    FILE *f = fopen(pos[0], "r");
    if (f) {
        fclose(f);
        fprintf(stderr, "luoshi backup: %s already exists; choose a new file\n", pos[0]);
        return CLI_FAIL;
    }
    struct db *db = cli_open(target, 0);
    if (!db) return CLI_FAIL;
    char err[512];
    int rc = db_backup(db, pos[0], err, sizeof err);
    db_close(db);
    if (rc != DB_OK) {
        fprintf(stderr, "luoshi backup: %s\n", err);
        return CLI_FAIL;
    }
    printf("backed up to %s\n", pos[0]);
    return CLI_OK;
}

/* One table's line of `luoshi copy`'s report. */
static void copy_report(void *ctx, const char *table, int64_t rows)
{
    int64_t *total = ctx;
    *total += rows;
    if (rows) printf("  %-28s %12lld rows\n", table, (long long)rows);
}

int cmd_copy(int argc, char **argv)
{
    const char *dbopt = NULL, *to = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"to", &to, NULL}};
    if (cli_parse("copy", argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    const char *target = cli_db_target(dbopt);
    if (!to || !db_target_is_pg(to) || db_target_is_pg(target)) {
        fprintf(stderr, "luoshi copy: copies a SQLite database into a new PostgreSQL one:"
                        " luoshi copy [--db FILE] --to postgres://…\n");
        return CLI_USAGE;
    }
    struct db *src = cli_open(target, 0);
    if (!src) return CLI_FAIL;
    struct db *dst = cli_open(to, 1); /* a new database gets the schema here */
    if (!dst) {
        db_close(src);
        return CLI_FAIL;
    }
    char err[1024], shown[512];
    db_target_display(to, shown, sizeof shown);
    printf("copying %s into %s\n", target, shown);
    int64_t total = 0;
    int rc = db_copy_database(src, dst, copy_report, &total, err, sizeof err);
    db_close(dst);
    db_close(src);
    if (rc != DB_OK) {
        fprintf(stderr, "luoshi copy: %s; %s is as it was\n", err, shown);
        return CLI_FAIL;
    }
    printf("copied %lld rows; check them with: luoshi verify --db %s --pubkey %s.pub\n",
           (long long)total, shown, target);
    return CLI_OK;
}
