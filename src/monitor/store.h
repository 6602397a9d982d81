/* store.h: the dashboard's counts (migration 0017): kept up to date by SQL
 * triggers on case_file, case_measure and report, read here, and rebuilt
 * from scratch by `probity monitor rebuild`. Metadata in the clear only
 * (docs/security.md, "What is plaintext"). */
#ifndef MONITOR_STORE_H
#define MONITOR_STORE_H
#include <stddef.h>

#include "store/db.h"

/* The count tables, each with the view it is computed from. */
#define MONITOR_NTABLES 3
extern const char *const monitor_tables[MONITOR_NTABLES];

/* Recomputes every count table from its view in one transaction (nothing
 * changes on failure). rows[i] (may be NULL) gets the non-zero rows of
 * monitor_tables[i] afterwards. 0, or -1 with db_error(db). */
int monitor_rebuild(db_t *db, long long rows[MONITOR_NTABLES]);

/* Compares the kept counts with a fresh computation from the views, in a
 * read snapshot: *differ gets the number of keys whose counts differ
 * (rows at 0 count as absent). 0, or -1 with db_error(db). */
int monitor_check(db_t *db, long long *differ);

#endif
