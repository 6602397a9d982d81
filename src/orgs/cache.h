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
 * orgs_load, orgs_load_recent and orgs_lookup (store.c) use it; besides
 * them only the report form's kept page (intake/form_cache.h) for its key. */
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

/* Read-only pages (the report form's list of departments, the inbox's names)
 * may take a tree confirmed as the database's within the last
 * ORGS_RECENT_MS, without reading the mark: that read was a whole read
 * transaction of its own (17% of the report form page's CPU,
 * docs/performance.md). So a change made on another node or by `probity org`
 * shows on such a page up to that long later; one made by orgs_change in
 * this process at once. Everything that writes or decides reads
 * the mark in its own transaction as before (orgs_load, orgs_lookup): a
 * report sent to a department closed a moment ago is refused by the
 * submission's transaction, not by the page that listed it.
 *
 * orgs_cache_copy_recent fills t (empty) and returns 1 when the tree held
 * was confirmed within the interval; orgs_cache_confirmed records that m
 * was the database's mark at clock time at (orgs_cache_clock, read before
 * the mark). */
#define ORGS_RECENT_MS 1000
int orgs_cache_copy_recent(struct org_table *t);
int64_t orgs_cache_clock(void);
/* The same, and stamp receives the mark of the tree confirmed: for what is
 * kept made from that tree (the report form's page as HTML, intake/
 * form_cache.h). With t NULL only the stamp is given, nothing copied. */
int orgs_cache_recent_stamp(struct org_table *t, unsigned char stamp[ORGS_STAMP_LEN]);
void orgs_cache_confirmed(const struct orgs_mark *m, int64_t at);
/* The next orgs_cache_copy_recent misses: this process changed the tree. */
void orgs_cache_forget_recent(void);
/* Tests: the interval in milliseconds (0: always read the mark). */
void orgs_cache_set_recent_ms(int ms);

/* Forgets the cached tree (tests; the process's exit). */
void orgs_cache_clear(void);

/* How many times the tree was read from the database since the start: lets
 * tests tell a cache hit from a reload. */
uint64_t orgs_cache_loads(void);
void orgs_cache_count_load(void);

#endif
