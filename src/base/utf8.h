/* utf8.h: strict UTF-8 validation (no overlongs, no surrogates, nothing above
 * U+10FFFF), for every text that comes from outside. */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H
#include <stddef.h>

/* Returns 1 if s[0..n) is valid UTF-8 without NUL bytes, else 0. */
int utf8_valid(const char *s, size_t n);
/* Returns 1 if s[0..n) is valid UTF-8 without control characters (C0, DEL
 * and the C1 range U+0080..U+009F), except that tab, CR and LF are allowed
 * when allow_breaks is 1: what people write into messages, notes and
 * records, and (without breaks) names. Else 0. */
int utf8_text_clean(const char *s, size_t n, int allow_breaks);

#endif
