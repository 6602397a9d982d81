/* migrate.h: numbered schema migrations. Each migration runs in its own
 * transaction (migrate_replace: all in the caller's) and is recorded in
 * schema_migrations; a database whose version is newer than this program is
 * refused, never "repaired". */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H
#include "store/db.h"

struct migrate_state {
	int current;  /* highest applied migration; 0 for an empty database */
	int latest;   /* highest migration this program knows */
};

/* Reads the database's schema version. Fails with DBE_SCHEMA if the database
 * holds tables but is not a Probity database. */
int migrate_state(db_t *db, struct migrate_state *out);

typedef void (*migrate_progress_fn)(void *ctx, int version, const char *name);
/* Applies every pending migration; progress may be NULL. Fails with DBE_SCHEMA
 * if the database is newer than this program. */
int migrate_up(db_t *db, migrate_progress_fn progress, void *ctx);
/* Succeeds only if the database is exactly at the latest version; otherwise
 * fails with DBE_SCHEMA and a message that says what to do. */
int migrate_require_current(db_t *db);
/* The number of migrations compiled in. */
int migrate_latest(void);

/* Calls fn for every table, view and trigger the migrations create (kind
 * "table", "view" or "trigger"), in the order they create them, beginning
 * with schema_migrations: what a Probity database holds of its own. Anything
 * else in the same database (a DBA's table) is not Probity's. */
typedef void (*migrate_object_fn)(void *ctx, const char *kind, const char *name);
void migrate_each_object(migrate_object_fn fn, void *ctx);

/* For `probity migrate --replace-target`, inside the caller's write
 * transaction (which rolls back on failure, leaving db as it was): drops the
 * views and tables of migrate_each_object that db holds, with their triggers
 * and indexes, and nothing else (an object of someone else's that depends on
 * one of ours makes it fail), then creates the schema afresh as migrate_up
 * does, every migration recorded. Fails with DBE_SCHEMA, dropping nothing, if
 * db is newer than this program. */
int migrate_replace(db_t *db, migrate_progress_fn progress, void *ctx);

#endif
