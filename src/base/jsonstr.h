/* jsonstr.h: JSON string literals written and read by hand, for the small
 * JSON objects that are built in secure memory and stored encrypted (an
 * attachment's name and type, a report's body, a person involved in a case):
 * no parser's heap gets a copy of the plaintext. Only what jsonstr_write
 * writes is read back: '"' and '\' escaped with a backslash, control
 * characters as \u00XX, everything else as it is. */
#ifndef BASE_JSONSTR_H
#define BASE_JSONSTR_H
#include <stddef.h>

/* Bytes the JSON string literal of s takes (with its quotes), and writes it
 * to out when out is not NULL (no NUL is added). */
size_t jsonstr_write(const char *s, char *out);

/* Reads the string literal at *pp into out (cap bytes with the NUL) and
 * moves *pp past it. Returns 0, or -1 if it is not one jsonstr_write could
 * have written or does not fit. */
int jsonstr_read(const char **pp, char *out, size_t cap);

#endif
