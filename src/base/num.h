/* num.h: number parsing with range checks. Malformed input is rejected, never
 * repaired: no leading spaces, no sign where none is allowed, no trailing junk. */
#ifndef BASE_NUM_H
#define BASE_NUM_H
#include <stddef.h>
#include <stdint.h>

/* Parses the n bytes at s as a decimal integer in [min, max]. Returns 0 and sets
 * *out, or -1. */
int num_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);
/* Same for a NUL-terminated string. */
int num_parse_i64z(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
