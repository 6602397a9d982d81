/* engine.h: what a database engine implements. Private to src/store. */
#ifndef STORE_ENGINE_H
#define STORE_ENGINE_H
#include "store/db.h"

struct db_engine {
	const char *name;
	int (*open)(db_t *db, const char *target, unsigned flags, const struct db_options *opt);
	void (*close)(db_t *db);
	int (*exec)(db_t *db, const char *sql);
	int (*prepare)(db_t *db, const char *sql, db_stmt_t **out);
	int (*bind_i64)(db_stmt_t *st, int idx, int64_t v);
	int (*bind_text)(db_stmt_t *st, int idx, const char *s, size_t n);
	int (*bind_blob)(db_stmt_t *st, int idx, const void *p, size_t n);
	int (*bind_null)(db_stmt_t *st, int idx);
	int (*step)(db_stmt_t *st);
	int (*reset)(db_stmt_t *st);
	void (*finalize)(db_stmt_t *st);
	int (*col_is_null)(db_stmt_t *st, int col);
	int64_t (*col_i64)(db_stmt_t *st, int col);
	const char *(*col_text)(db_stmt_t *st, int col);
	const void *(*col_blob)(db_stmt_t *st, int col);
	size_t (*col_bytes)(db_stmt_t *st, int col);
	int (*begin)(db_t *db, int write);
	int (*commit)(db_t *db);
	void (*rollback)(db_t *db);
	int64_t (*changes)(db_t *db);
	int (*backup)(db_t *db, const char *dest);
	/* 0, 1 busy (error recorded as DBE_BUSY), -1 */
	int (*checkpoint)(db_t *db);
	/* Counts tables named name, or all tables when name is NULL. */
	int (*count_tables)(db_t *db, const char *name, int64_t *out);
	/* "SQLite 3.40.1", "libpq 15.5" */
	const char *(*library_version)(void);
};

struct db {
	const struct db_engine *engine;
	struct db_error err;
	char *target;
	void *impl;
};

struct db_stmt {
	db_t *db;
	void *impl;
};

extern const struct db_engine db_engine_sqlite;
extern const struct db_engine db_engine_pg;

#endif
