/* fail.h: how a store fills its error when it refuses. Each feature keeps
 * its own error struct, because its pages, its API and the CLI read the
 * fields by name (code, msg, or msgid and detail), and some carry more (a
 * move's code, a matrix's problem); but what a refusal writes into those
 * fields is the same in every feature, so it is written here once. A
 * feature's fail helpers are thin: see cases/internal.h or recs/store.c. */
#ifndef BASE_FAIL_H
#define BASE_FAIL_H
#include <stddef.h>

/* Sets *code to value and writes fmt into msg (cap bytes; a longer text is
 * cut short, always terminated). Returns -1, so that a store can
 * `return fail_set(...)`. */
int fail_set(int *code, int value, char *msg, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Sets *code to value and *slot to msgid (static text: an English msgid the
 * page translates). Returns -1. */
int fail_msgid(int *code, const char **slot, int value, const char *msgid);

#endif
