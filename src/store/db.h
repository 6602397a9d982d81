/* db.h: the one database interface. Feature code talks SQL through these calls
 * only; the engines (sqlite.c, pg.c) hide everything else, so no engine's own
 * API appears outside its file.
 *
 * SQL is SQLite's dialect with '?' placeholders numbered from 1 and its types
 * (INTEGER, TEXT, BLOB); inserts that need a new id use "RETURNING id". The
 * PostgreSQL engine translates it (pg_sql.h lists what it rewrites and what
 * it refuses); prefer SQL that means the same on both over a new rule there.
 * All calls return 0 on success and -1 on failure, with the reason in
 * db_error(). */
#ifndef STORE_DB_H
#define STORE_DB_H
#include <stddef.h>
#include <stdint.h>

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

enum db_step { DB_ROW = 1, DB_DONE = 2 };

/* What went wrong, in terms a caller can act on. */
enum db_errclass {
	DBE_NONE = 0,
	DBE_GENERIC,     /* anything else */
	DBE_MISSING,     /* database file does not exist */
	DBE_CANTOPEN,    /* cannot open: permissions, folder missing */
	DBE_NOTADB,      /* not a database, or corrupt */
	DBE_READONLY,    /* cannot write */
	DBE_BUSY,        /* locked by another process beyond the busy timeout */
	DBE_FULL,        /* disk or quota full */
	DBE_IO,          /* I/O error */
	DBE_CONSTRAINT,  /* a uniqueness, foreign key or check constraint failed */
	DBE_SCHEMA,      /* schema newer than this program, or not yet created */
};

struct db_error {
	enum db_errclass cls;
	char msg[512];
};

enum db_open_flags {
	DB_OPEN_CREATE = 1,   /* create the database if it does not exist */
	DB_OPEN_READONLY = 2,
};

struct db_options {
	int busy_timeout_ms;
};

/* Opens the database named by target: a file path (SQLite, also as
 * sqlite:PATH) or a postgresql:// or postgres:// URL (libpq's; the database
 * must exist, DB_OPEN_CREATE creates none). db_target() shows a URL with its
 * password as ***. On failure returns -1, sets *out to NULL and fills *err. */
int db_open(const char *target, unsigned flags, const struct db_options *opt, db_t **out,
	    struct db_error *err);
void db_close(db_t *db);
const struct db_error *db_error(const db_t *db);
const char *db_engine_name(const db_t *db);
/* The target as given to db_open, for messages. */
const char *db_target(const db_t *db);

/* Records an error on db (for engines and for callers that refuse a request
 * before SQL sees it); returns -1 so that code can `return db_fail(...)`. */
int db_fail(db_t *db, enum db_errclass cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs one or more statements without parameters (migrations, pragmas). */
int db_exec(db_t *db, const char *sql);

int db_prepare(db_t *db, const char *sql, db_stmt_t **out);
int db_bind_i64(db_stmt_t *st, int idx, int64_t v);
/* n may be (size_t)-1 for a NUL-terminated string; s == NULL binds NULL. The
 * text is copied, so s need not outlive the call. */
int db_bind_text(db_stmt_t *st, int idx, const char *s, size_t n);
int db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n);
int db_bind_null(db_stmt_t *st, int idx);
/* Returns DB_ROW, DB_DONE or -1. */
int db_step(db_stmt_t *st);
int db_reset(db_stmt_t *st);
void db_finalize(db_stmt_t *st);

/* Column accessors (0-based) for the current row. Pointers stay valid until
 * the next step, reset or finalize. Text is never NULL: a NULL column reads as "". */
int db_col_is_null(db_stmt_t *st, int col);
int64_t db_col_i64(db_stmt_t *st, int col);
const char *db_col_text(db_stmt_t *st, int col);
const void *db_col_blob(db_stmt_t *st, int col);
size_t db_col_bytes(db_stmt_t *st, int col);

/* Transactions. db_begin takes the write lock at once, so that two writers
 * never deadlock half-way; db_begin_read gives a consistent snapshot. */
int db_begin(db_t *db);
int db_begin_read(db_t *db);
int db_commit(db_t *db);
/* Always leaves no transaction open; safe to call after a failed statement. */
void db_rollback(db_t *db);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t db_changes(db_t *db);

/* Writes a consistent copy of a live database to dest, which must not exist. */
int db_backup(db_t *db, const char *dest);

/* Moves every committed change into the database file and empties the
 * engine's write-ahead log (SQLite: a TRUNCATE checkpoint, which leaves the
 * -wal file at zero bytes), so that pages overwritten since, such as purged
 * content, survive in no log. Not inside a transaction. Waits for readers up
 * to the busy timeout. Returns 0; 1 when readers or a writer kept it from
 * finishing (db_error() then has class DBE_BUSY; run it again); -1 on
 * another error. */
int db_checkpoint(db_t *db);

/* "SQLite 3.40.1": the engines' library versions, for `probity version`. */
const char *db_library_versions(void);

/* Counts the tables named name, or all tables when name is NULL. */
int db_count_tables(db_t *db, const char *name, int64_t *out);

/* Convenience: runs sql with one optional text parameter and returns the first
 * column of the first row as an integer in *out (0 if there is no row). */
int db_query_i64(db_t *db, const char *sql, const char *param, int64_t *out);

/* Runs sql with ?1 = a and ?2 = b (each only when the SQL names it) and returns
 * the first column of the first row in *out (0 if there is no row): the
 * counts and existence checks of the feature stores. 0 or -1. */
int db_query_i64_2(db_t *db, const char *sql, int64_t a, int64_t b, int64_t *out);

#endif
