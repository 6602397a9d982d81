/* utf8.h: strict UTF-8 validation (no overlongs, no surrogates, nothing above
 * U+10FFFF), for every text that comes from outside. */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H
#include <stddef.h>

/* Returns 1 if s[0..n) is valid UTF-8 without NUL bytes, else 0. */
int utf8_valid(const char *s, size_t n);

#endif
