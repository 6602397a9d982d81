/* buf.h: a growable byte buffer, always NUL-terminated so it can be used as a
 * C string. Owns its memory; buf_free releases it. Memory it lets go of
 * (when growing, when freed) is wiped first: buffers carry request bodies and
 * pages with report text. */
#ifndef BASE_BUF_H
#define BASE_BUF_H
#include <stddef.h>

struct buf {
	char *p;
	size_t n;    /* bytes used, excluding the terminating NUL */
	size_t cap;
};

#define BUF_INIT {0, 0, 0}

void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Makes room for cap bytes in all (the NUL included), e.g. from a declared
 * Content-Length, so that the buffer is not moved while it fills. */
void buf_reserve(struct buf *b, size_t cap);
/* Hands the contents to the caller (malloc'd, NUL-terminated) and empties b. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Wipes cap bytes at p and frees it (for memory taken over from a buffer
 * with buf_detach; NULL is fine). */
void buf_wipe_free(void *p, size_t cap);

#endif
