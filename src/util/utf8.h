/* utf8.h — UTF-8 validation, decoding and encoding.
 *
 * Text is validated once at the boundary (request bodies, files, CLI input);
 * inside, every string is trusted to be valid UTF-8.  Overlong forms,
 * surrogates and code points above U+10FFFF are invalid. */
#ifndef LUOSHI_UTIL_UTF8_H
#define LUOSHI_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..len) is valid UTF-8 (NUL bytes allowed); else 0 with
 * *bad_offset (if not NULL) set to the byte offset of the first bad sequence. */
int utf8_validate(const char *s, size_t len, size_t *bad_offset);
/* Decode one code point from s (len > 0) into *cp; returns the bytes consumed.
 * An invalid sequence consumes 1 byte and yields U+FFFD.  len == 0 returns 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encode cp into out; returns 1..4 bytes, or 0 for a surrogate or cp > U+10FFFF. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* The number of code points in s[0..len) (invalid bytes count one each). */
size_t utf8_count(const char *s, size_t len);
/* The length of the longest prefix of s[0..len) of at most max bytes that
 * does not end inside a character: where to cut text for display, never in
 * the middle of a character (which would make the rest invalid UTF-8). */
size_t utf8_prefix(const char *s, size_t len, size_t max);
/* Copy the NUL-terminated s into out (outlen > 0 bytes), cut with
 * utf8_prefix when it does not fit; always NUL-terminated.  For display
 * copies only: stored text is held whole. */
void utf8_copy(char *out, size_t outlen, const char *s);
/* Make the NUL-terminated s valid UTF-8 in place: each byte of an invalid
 * sequence becomes '?' (a message formatted with a byte precision such as
 * %.40s, or cut by its buffer, stays text every JSON writer accepts). */
void utf8_sanitize(char *s);

#endif
