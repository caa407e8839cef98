/*
 * UTF-8 checks for user-supplied text (names, passwords, free text).
 */
#ifndef FELLOW_CORE_UTF8_H
#define FELLOW_CORE_UTF8_H

#include <stddef.h>

/*
 * Returns 1 when s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF, no NUL), else 0.
 */
int utf8_valid(const char *s, size_t len);

/* Returns the number of code points in valid UTF-8 s[0..len). */
size_t utf8_count(const char *s, size_t len);

#endif
