/* copy.h: copies a whole Probity database from a SQLite file into another
 * database (PostgreSQL, or SQLite for tests), through db.h only, for
 * `probity migrate`.
 *
 * The source is read in one snapshot. The target must already carry the same
 * schema version (the caller runs migrate_up on it) and hold no data: only
 * rows the migrations themselves seed (schema_migrations, a counter) and the
 * tables that triggers fill from others may be there; anything else and the
 * copy refuses with DBE_CONSTRAINT, never merging. Everything happens in one
 * write transaction on the target: a failure leaves it as it was. */
#ifndef STORE_COPY_H
#define STORE_COPY_H
#include <stdint.h>

#include "store/db.h"

/* Called after each batch: rows of table copied so far, of total. */
typedef void (*db_copy_progress_fn)(void *ctx, const char *table, int64_t done, int64_t total);

struct db_copy_report {
	int tables;
	int64_t rows;
	char bad_table[64];  /* on a count mismatch: the table, else "" */
	int refused;         /* the target holds data: nothing was tried */
};

/* Copies every table of src (a SQLite database) into dst, in the order of
 * their foreign keys, ids and blobs byte for byte, and sets dst's id
 * sequences past the largest id; then compares the row count of every table
 * in the same transaction and commits only when all agree. When
 * extra is not NULL it runs in that transaction after the counts agree (the
 * caller's audit entry); its failure rolls all back. Returns 0, or -1 with
 * the reason in db_error(dst) (or db_error(src) when reading failed: *which
 * is then 1). */
int db_copy(db_t *src, db_t *dst, db_copy_progress_fn progress, void *ctx,
	    int (*extra)(void *ctx, db_t *dst), struct db_copy_report *r, int *which);

#endif
