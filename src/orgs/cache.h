/* cache.h: the organisation tree kept in memory between requests, shared by
 * the server's threads. The tree changes a few times a year but is read on
 * almost every page; reading and checking it from the database each time
 * was most of the cost of the report form and a third of the inbox
 * (docs/performance.md). Migration 0020 keeps a mark that every change to
 * org or org_link replaces in its own transaction; a caller reads the mark
 * (one row) and uses the cached tree only when it was loaded under the same
 * mark, so that a change by another process on the same database (a second
 * node, `probity org` from the command line) is seen on the next read.
 *
 * orgs_load and orgs_lookup (store.c) use it; nothing else needs to. */
#ifndef ORGS_CACHE_H
#define ORGS_CACHE_H
#include <stdint.h>

#include "orgs/orgs.h"

#define ORGS_STAMP_LEN 16

/* The database's mark: n counts changes (for messages and tests), stamp is
 * random per change and is what the cache compares. */
struct orgs_mark {
	int64_t n;
	unsigned char stamp[ORGS_STAMP_LEN];
};

/* Reads the mark in the caller's transaction (or on its own). 0 or -1. */
int orgs_mark_read(db_t *db, struct orgs_mark *m);

/* When the cache holds the tree loaded under m and t is empty, fills t with
 * a copy of it and returns 1; otherwise 0 and t is unchanged. */
int orgs_cache_copy(const struct orgs_mark *m, struct org_table *t);

/* When the cache holds the tree loaded under m: copies the organisation with
 * code alive on date into out and returns 1, or returns 0 when there is none.
 * Returns -1 when the cache does not hold that tree. */
int orgs_cache_find_at(const struct orgs_mark *m, const char *code, const char *date,
		       struct org *out);

/* Keeps a copy of t as the tree under m, replacing what the cache held. */
void orgs_cache_put(const struct orgs_mark *m, const struct org_table *t);

/* Forgets the cached tree (tests; the process's exit). */
void orgs_cache_clear(void);

/* How many times the tree was read from the database since the start: lets
 * tests tell a cache hit from a reload. */
uint64_t orgs_cache_loads(void);
void orgs_cache_count_load(void);

#endif
