/* alloc.h: allocation wrappers. Out-of-memory is fatal here, so callers never
 * carry a failure path for it; sizes that come from input are capped before they
 * get this far. */
#ifndef BASE_ALLOC_H
#define BASE_ALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a malloc'd formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
