/* keyfile.c — the checkpoints' key pair in files, never in the database.
 *
 * The secret key file holds the 32-byte Ed25519 seed as 64 hex digits and a
 * newline (mode 0600); the public key file the 32-byte public key the same
 * way.  Which files: --key FILE, else $LUOSHI_KEY, else DB.key beside a
 * SQLite database DB (made by `luoshi init`); the public key: --pubkey
 * (a file, or the 64 hex digits themselves), else DB.pub beside a SQLite
 * database, else the one the secret key implies.  A PostgreSQL database
 * has no "beside": its key is always given. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/checkpoint.h"
#include "util/str.h"

/* 32 bytes from 64 hex digits (then optional whitespace) in s.  0, or -1. */
static int hex32(const char *s, unsigned char out[32])
{
    size_t n = 0;
    const char *end = NULL;
    if (sodium_hex2bin(out, 32, s, strlen(s), NULL, &n, &end) || n != 32) return -1;
    while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
        end++;
    return *end ? -1 : 0;
}

/* The first line of a small file into buf.  0, or -1 (errno set). */
static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *ok = fgets(buf, (int)len, f);
    fclose(f);
    if (!ok) errno = EINVAL;
    return ok ? 0 : -1;
}

/* path with its ".key" ending (if any) replaced by ".pub". */
static void pub_path(const char *key, char *out, size_t len)
{
    size_t n = strlen(key);
    if (n > 4 && !strcmp(key + n - 4, ".key"))
        snprintf(out, len, "%.*s.pub", (int)(n - 4), key);
    else
        snprintf(out, len, "%s.pub", key);
}

int keyfile_create(const char *path, char *pub, size_t publen)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    char hex[65], phex[65];
    struct checkpoint_key k;
    randombytes_buf(seed, sizeof seed);
    checkpoint_key_from_seed(seed, &k);
    str_hex(seed, sizeof seed, hex);
    str_hex(k.pk, sizeof k.pk, phex);
    sodium_memzero(seed, sizeof seed);
    pub_path(path, pub, publen);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    int bad = !f || fprintf(f, "%s\n", hex) < 0;
    sodium_memzero(hex, sizeof hex);
    if (f ? fclose(f) : close(fd)) bad = 1;
    if (bad) return -1;
    f = fopen(pub, "w");
    bad = !f || fprintf(f, "%s\n", phex) < 0;
    if (f && fclose(f)) bad = 1;
    return bad ? -1 : 0;
}

/* The default key file of target (DB.key beside a SQLite file), or "" for
 * PostgreSQL. */
static void beside(const char *target, const char *ext, char *out, size_t len)
{
    if (db_target_is_pg(target))
        out[0] = '\0';
    else
        snprintf(out, len, "%s.%s", target, ext);
}

int cli_signing_key(const char *opt, const char *target, struct checkpoint_key *k, char *path,
                    size_t pathlen)
{
    const char *env = getenv("LUOSHI_KEY");
    if (opt && *opt)
        snprintf(path, pathlen, "%s", opt);
    else if (env && *env)
        snprintf(path, pathlen, "%s", env);
    else
        beside(target, "key", path, pathlen);
    char line[200];
    unsigned char seed[crypto_sign_SEEDBYTES];
    if (!path[0] || read_line(path, line, sizeof line)) {
        if (!path[0] || (errno == ENOENT && !(opt && *opt) && !(env && *env))) return 0;
        fprintf(stderr, "luoshi: cannot read the signing key %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (!stat(path, &sb) && (sb.st_mode & 077))
        fprintf(stderr, "luoshi: warning: the signing key %s is readable by others (chmod 600)\n",
                path);
    int bad = hex32(line, seed);
    sodium_memzero(line, sizeof line);
    if (bad) {
        fprintf(stderr, "luoshi: %s is not a signing key (64 hex digits)\n", path);
        return -1;
    }
    checkpoint_key_from_seed(seed, k);
    sodium_memzero(seed, sizeof seed);
    return 1;
}

int cli_public_key(const char *opt, const char *key_opt, const char *target,
                   struct checkpoint_key *k)
{
    char path[1024], line[200];
    unsigned char pk[32];
    if (opt && *opt) {
        if (!hex32(opt, pk)) {
            checkpoint_key_from_public(pk, k);
            return 1;
        }
        snprintf(path, sizeof path, "%s", opt);
    } else {
        beside(target ? target : "", "pub", path, sizeof path);
        if (!path[0] || access(path, F_OK)) { /* none beside: the secret key's own */
            char kp[1024];
            int rc = cli_signing_key(key_opt, target ? target : "", k, kp, sizeof kp);
            if (rc == 1) k->can_sign = 0, sodium_memzero(k->sk, sizeof k->sk);
            return rc;
        }
    }
    if (read_line(path, line, sizeof line)) {
        fprintf(stderr, "luoshi: cannot read the public key %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (hex32(line, pk)) {
        fprintf(stderr, "luoshi: %s is not a public key (64 hex digits)\n", path);
        return -1;
    }
    checkpoint_key_from_public(pk, k);
    return 1;
}
