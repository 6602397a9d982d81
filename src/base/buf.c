/* buf.c: growable byte buffer. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* Grows by moving to a new block and wiping the old one, not by realloc:
 * buffers hold request bodies and rendered pages with report text in them,
 * and realloc would leave stale copies in freed memory. */
static void grow(struct buf *b, size_t extra)
{
	if (b->n + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + extra + 1)
		cap *= 2;
	buf_reserve(b, cap);
}

void buf_reserve(struct buf *b, size_t cap)
{
	if (cap <= b->cap)
		return;
	char *p = xmalloc(cap);
	if (b->p) {
		memcpy(p, b->p, b->n + 1);
		explicit_bzero(b->p, b->cap);
		free(b->p);
	} else {
		p[0] = 0;
	}
	b->p = p;
	b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = 0;
}

char *buf_detach(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

void buf_wipe_free(void *p, size_t cap)
{
	if (!p)
		return;
	explicit_bzero(p, cap);
	free(p);
}

void buf_free(struct buf *b)
{
	buf_wipe_free(b->p, b->cap);
	b->p = NULL;
	b->n = b->cap = 0;
}
