/* arena.c: region allocator made of a list of blocks. */
#include "base/arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define BLOCK_MIN 4096u

struct arena_block {
	struct arena_block *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n > SIZE_MAX / 2)
		abort(); /* sizes from input are capped long before this */
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	if (!a->head || a->used + n > a->head->size) {
		size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
		struct arena_block *b = xmalloc(sizeof *b + size);
		b->size = size;
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	/* Formatted once, straight into the head block's free room when it fits
	 * (nearly always: these are short labels), else measured and formatted
	 * again; pages call this hundreds of times (docs/performance.md). */
	const size_t align = alignof(max_align_t);
	size_t room = a->head && a->used <= a->head->size ? a->head->size - a->used : 0;
	va_list ap;
	va_start(ap, fmt);
	int n = room ? vsnprintf((char *)a->head->data + a->used, room, fmt, ap)
		     : vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < room) {
		char *p = (char *)a->head->data + a->used;
		size_t taken = ((size_t)n + 1 + align - 1) & ~(align - 1);
		a->used += taken < room ? taken : room;
		a->total += taken;
		return p;
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Wipes before freeing: request arenas hold decrypted report text, names
 * and messages, which must not linger in freed heap memory (a core dump is
 * already prevented; this covers memory handed out again later). The cost is
 * one pass over memory the request just wrote. */
void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		explicit_bzero(b->data, b->size);
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = a->total = 0;
}
