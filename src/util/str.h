/* str.h — small string helpers: strict number parsing, comparisons, hex.
 *
 * Parsing never uses atoi/sscanf: every function rejects trailing junk,
 * empty input and overflow, so "12abc" is an error, not 12. */
#ifndef LUOSHI_UTIL_STR_H
#define LUOSHI_UTIL_STR_H

#include <stddef.h>
#include <stdint.h>

/* Parse s[0..len) as a decimal int64 (optional leading '-').  0 ok, -1 bad. */
int str_to_int64(const char *s, size_t len, int64_t *out);
/* Parse s[0..len) as a finite decimal number (no hex, no inf/nan).  0 ok, -1 bad. */
int str_to_double(const char *s, size_t len, double *out);
/* 1 when s starts with prefix. */
int str_starts(const char *s, const char *prefix);
/* 1 when a and b are equal (either may be NULL; two NULLs are equal). */
int str_eq(const char *a, const char *b);
/* Write 2*n lowercase hex digits of p and a NUL into out (2*n+1 bytes). */
void str_hex(const unsigned char *p, size_t n, char *out);
/* Compare two equal-length secrets in constant time; 1 when equal. */
int str_secret_eq(const char *a, const char *b);
/* The text of s[0..len) without the blank at either end: ASCII white space,
 * and the blanks a Chinese keyboard or a paste brings (U+00A0 no-break
 * space, U+200B zero-width space, U+3000 ideographic space, U+FEFF).  Sets
 * *start to its first byte and returns its length (0: s is blank). */
size_t str_trim(const char *s, size_t len, size_t *start);
/* p[0..n) as standard base64 (RFC 4648, with padding), NUL-terminated, in
 * memory the caller frees.  Never NULL. */
char *str_base64(const unsigned char *p, size_t n);
/* Decode standard base64 text s[0..len) (whitespace ignored) into *out (at
 * most max bytes, memory the caller frees) with its length in *n.  0, or -1
 * when the text is not base64 or decodes to more than max bytes (then *out
 * is NULL). */
int str_unbase64(const char *s, size_t len, size_t max, unsigned char **out, size_t *n);

#endif
