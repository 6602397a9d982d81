/* arena.h: a region allocator. Everything allocated from an arena lives until
 * arena_free; nothing is freed one by one. Used per request and per command so
 * that handlers never call free(). */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used;    /* bytes used in head */
	size_t total;   /* bytes handed out, for limits and tests */
};

#define ARENA_INIT {0, 0, 0}

/* Returns zeroed memory aligned for any type. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

#endif
