/* copy.h: copies a whole Probity database from a SQLite file into another
 * database (PostgreSQL, or SQLite for tests), through db.h only, for
 * `probity migrate`.
 *
 * The source is read in one snapshot. The target must already carry the same
 * schema version (the caller runs migrate_up on it, or migrate_replace in the
 * prepare hook to replace what it held) and hold no data: only
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

/* What the caller adds to the copy. Every member may be NULL. */
struct db_copy_hooks {
	db_copy_progress_fn progress;
	/* First thing in dst's write transaction, before the copy looks at the
	 * target: `migrate --replace-target` drops and re-creates the schema
	 * here, so that the replacement commits or vanishes with the copy. */
	int (*prepare)(void *ctx, db_t *dst);
	/* Last thing before the commit, after the counts agree: the caller's
	 * audit entries. */
	int (*extra)(void *ctx, db_t *dst);
	void *ctx;
};

/* Copies every table of src (a SQLite database) into dst, in the order of
 * their foreign keys, ids and blobs byte for byte, and sets dst's id
 * sequences past the largest id; then compares the row count of every table
 * in the same transaction and commits only when all agree. A failing hook
 * rolls all back. Returns 0, or -1 with the reason in db_error(dst) (or
 * db_error(src) when reading failed: *which is then 1). */
int db_copy(db_t *src, db_t *dst, const struct db_copy_hooks *h, struct db_copy_report *r,
	    int *which);

#define DB_SURVEY_TABLES 256
#define DB_SURVEY_HASH 64

/* What a Probity database holds, said before `migrate --replace-target`
 * drops it and written into the replacement's audit entry: its tables (those
 * of migrate_each_object) that have rows, and the newest audit entry. */
struct db_survey {
	int ntables;
	struct {
		char name[64];
		int64_t rows;
	} t[DB_SURVEY_TABLES];
	int64_t rows;            /* in all, schema_migrations not counted */
	int64_t head_seq;        /* 0: no audit entry */
	unsigned char head[DB_SURVEY_HASH];
	size_t head_len;
};

/* Fills *out from db (in the caller's transaction, if any). 0 or -1. */
int db_survey(db_t *db, struct db_survey *out);

#endif
