/* test_db.c: the database interface over a real SQLite file (src/store/db.c,
 * sqlite.c). Each test gets its own temporary folder. The error classes are
 * what commands turn into exit codes, so each one is provoked for real.
 * Under PROBITY_TEST_PG the tests of the interface run on PostgreSQL too
 * (testutil.c maps each path to a database of its own); those of SQLite's
 * files, pragmas, write-ahead log and backups say SQLITE_ONLY, and
 * tests/unit/store/test_pg.c covers PostgreSQL's counterparts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"

struct fx {
	char *dir;
	char *path;  /* dir/test.db, not created */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = tmpdir_make();
	f->path = tmpdir_path(f->dir, "test.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tmpdir_remove(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* The generic tests use a table of their own, so that they do not depend on
 * the rules of any feature's tables; the schema tests below use the real ones. */
static const char insert_item[] = "INSERT INTO item (name) VALUES (?)";

static db_t *items_db(const char *path)
{
	db_t *db = testdb_create(path);
	testdb_exec(db, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) "
			"STRICT");
	return db;
}

static void add_item(db_t *db, const char *name)
{
	db_stmt_t *st;
	assert_int_equal(db_prepare(db, insert_item, &st), 0);
	assert_int_equal(db_bind_text(st, 1, name, (size_t)-1), 0);
	if (db_step(st) != DB_DONE)
		fail_msg("insert %s: %s", name, db_error(db)->msg);
	db_finalize(st);
}

static int64_t count_items(db_t *db)
{
	return testdb_i64(db, "SELECT count(*) FROM item");
}

/* ---- opening ---- */

static void test_open_missing_without_create(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("a missing SQLite file (no -wal, -shm or journal left); test_pg opens a "
		    "missing PostgreSQL database");
	struct db_error err;
	db_t *db = (db_t *)1;
	assert_int_equal(db_open(f->path, 0, NULL, &db, &err), -1);
	assert_null(db);
	assert_int_equal(err.cls, DBE_MISSING);
	assert_non_null(strstr(err.msg, f->path));
	assert_false(path_exists(f->path));
	assert_int_equal(dir_count(f->dir), 0); /* no -wal, -shm or journal either */
	/* read-only does not create it either */
	assert_int_equal(db_open(f->path, DB_OPEN_READONLY, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_MISSING);
	assert_int_equal(dir_count(f->dir), 0);
}

static void test_open_bad_targets(void **state)
{
	struct fx *f = *state;
	struct db_error err;
	db_t *db;
	assert_int_equal(db_open("", DB_OPEN_CREATE, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_CANTOPEN);
	assert_null(db);

	char *nodir = tmpdir_path(f->dir, "no/such/folder/x.db");
	assert_int_equal(db_open(nodir, DB_OPEN_CREATE, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_CANTOPEN);
	assert_non_null(strstr(err.msg, nodir));
	free(nodir);

	/* a PostgreSQL server that is not there (port 1): the message names the
	 * target without its password */
	assert_int_equal(db_open("postgresql://probity:s3cret@127.0.0.1:1/probity", 0, NULL, &db,
				 &err), -1);
	assert_int_equal(err.cls, DBE_CANTOPEN);
	assert_null(db);
	assert_non_null(strstr(err.msg, "postgresql://probity:***@127.0.0.1:1/probity"));
	assert_null(strstr(err.msg, "s3cret"));
	assert_int_equal(db_open("postgres://u@127.0.0.1:1/d?password=s3cret", 0, NULL, &db, &err),
			 -1);
	assert_int_equal(err.cls, DBE_CANTOPEN);
	assert_null(strstr(err.msg, "s3cret"));

	/* a folder is not a database */
	assert_int_equal(db_open(f->dir, 0, NULL, &db, &err), -1);
	assert_true(err.cls == DBE_CANTOPEN || err.cls == DBE_NOTADB);
	assert_null(db);
}

static void test_open_not_a_database(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("a file that is not an SQLite database");
	char text[2048];
	memset(text, 'x', sizeof text);
	memcpy(text, "This is a text file, not a database.\n", 38);
	write_file_bytes(f->path, text, sizeof text, 0600);
	struct db_error err;
	db_t *db;
	assert_int_equal(db_open(f->path, 0, NULL, &db, &err), -1);
	assert_null(db);
	assert_int_equal(err.cls, DBE_NOTADB);
	/* also with DB_OPEN_CREATE: an existing file is never replaced */
	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_NOTADB);
	assert_int_equal(db_open(f->path, DB_OPEN_READONLY, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_NOTADB);
	/* and left exactly as it was */
	size_t n;
	char *after = read_file_bytes(f->path, &n);
	assert_int_equal(n, sizeof text);
	assert_memory_equal(after, text, sizeof text);
	free(after);
	assert_int_equal(dir_count(f->dir), 1);
}

static void test_open_create_and_names(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("the sqlite: prefix and the file it creates; test_pg names PostgreSQL");
	char *target = xasprintf("sqlite:%s", f->path);
	db_t *db = testdb_open(target, DB_OPEN_CREATE, 100);
	assert_true(path_exists(f->path));
	assert_string_equal(db_target(db), f->path);
	assert_string_equal(db_engine_name(db), "sqlite");
	assert_int_equal(db_error(db)->cls, DBE_NONE);
	assert_int_equal(strncmp(db_library_versions(), "SQLite 3.", 9), 0);
	db_close(db);
	/* now it exists, so it opens without DB_OPEN_CREATE */
	db = testdb_open(f->path, 0, 100);
	db_close(db);
	db_close(NULL); /* harmless */
	free(target);
}

static void test_connection_settings(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("SQLite's pragmas (WAL, foreign keys, synchronous, secure_delete)");
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	db_stmt_t *st;
	assert_int_equal(db_prepare(db, "PRAGMA journal_mode", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "wal");
	db_finalize(st);
	assert_int_equal(testdb_i64(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(testdb_i64(db, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(testdb_i64(db, "PRAGMA secure_delete"), 1);
	db_close(db);
	/* a second connection gets the same, not only the one that created it */
	db = testdb_open(f->path, 0, 100);
	assert_int_equal(testdb_i64(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(testdb_i64(db, "PRAGMA synchronous"), 2);
	db_close(db);
}

/* ---- constraints ---- */

static void test_foreign_keys_enforced(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_create(f->path);
	assert_int_equal(db_exec(db, "INSERT INTO org (code, name, kind, parent_id, valid_from) "
				     "VALUES ('A', 'A', 'unit', 999, '2024-01-01')"), -1);
	assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
	/* SQLite: "FOREIGN KEY constraint failed"; PostgreSQL: "... violates
	 * foreign key constraint ..." */
	assert_non_null(strcasestr(db_error(db)->msg, "FOREIGN KEY"));
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM org"), 0);
	db_close(db);
}

static void test_migrated_tables_are_strict(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_create(f->path);
	db_stmt_t *st;
	int sqlite = !testdb_pg();
	/* PostgreSQL's columns are always typed; on SQLite each table must say
	 * STRICT to be */
	if (sqlite) {
		assert_int_equal(db_prepare(db, "SELECT name, strict FROM pragma_table_list "
					       "WHERE schema = 'main' AND type = 'table' "
					       "AND name NOT LIKE 'sqlite_%'", &st), 0);
		int tables = 0;
		while (db_step(st) == DB_ROW) {
			if (db_col_i64(st, 1) != 1)
				fail_msg("table %s is not STRICT", db_col_text(st, 0));
			tables++;
		}
		db_finalize(st);
		assert_true(tables >= 6);
	}
	/* so text is refused in an INTEGER column, as SQL and as a parameter, on
	 * both engines (the class and wording are SQLite's: PostgreSQL says
	 * "invalid input syntax for type bigint") */
	assert_int_equal(db_exec(db, "INSERT INTO org (code, name, kind, valid_from, outside_scope)"
				     " VALUES ('G', 'G', 'government', '2024-01-01', 'yes')"), -1);
	if (sqlite) {
		assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
		assert_non_null(strstr(db_error(db)->msg, "cannot store TEXT value in INTEGER column"));
	}
	assert_int_equal(db_prepare(db, "INSERT INTO org (code, name, kind, valid_from, parent_id) "
				       "VALUES ('U', 'U', 'unit', '2024-01-01', ?)", &st), 0);
	assert_int_equal(db_bind_text(st, 1, "not a number", (size_t)-1), 0);
	assert_int_equal(db_step(st), -1);
	if (sqlite) {
		assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
		assert_non_null(strstr(db_error(db)->msg, "cannot store TEXT value in INTEGER column"));
	}
	db_finalize(st);
	/* and a blob in a TEXT column (SQLite's STRICT only: PostgreSQL casts a
	 * bytea to its text form, '\x01', on assignment) */
	if (sqlite) {
		assert_int_equal(db_exec(db, "INSERT INTO audit_log (seq, at, actor, action, "
					     "prev_hash, hash) VALUES (1, X'01', 'a', 'b', X'00', "
					     "X'00')"), -1);
		assert_non_null(strstr(db_error(db)->msg, "cannot store BLOB value in TEXT column"));
	}
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM org"), 0);
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM audit_log"), 0);
	db_close(db);
}

static void test_constraint_errors(void **state)
{
	struct fx *f = *state;
	db_t *db = items_db(f->path);
	add_item(db, "dup");
	db_stmt_t *st;
	assert_int_equal(db_prepare(db, insert_item, &st), 0);
	assert_int_equal(db_bind_text(st, 1, "dup", (size_t)-1), 0);
	assert_int_equal(db_step(st), -1);
	assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
	/* SQLite: "UNIQUE constraint failed"; PostgreSQL: "duplicate key value
	 * violates unique constraint" */
	assert_non_null(strcasestr(db_error(db)->msg, "UNIQUE"));
	db_finalize(st);
	assert_int_equal(db_exec(db, "INSERT INTO item (name) VALUES (NULL)"), -1);
	assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
	/* PostgreSQL: "violates not-null constraint" */
	assert_true(strstr(db_error(db)->msg, "NOT NULL") || strstr(db_error(db)->msg, "not-null"));
	assert_int_equal(count_items(db), 1);
	db_close(db);
}

/* 1 when sql is refused: by db_prepare (SQLite, which then leaves no
 * statement), or at the first db_step (PostgreSQL, whose engine prepares on
 * the server when the statement first runs, with the bound values' types). */
static int prepare_fails(db_t *db, const char *sql)
{
	db_stmt_t *st = (db_stmt_t *)1;
	if (db_prepare(db, sql, &st) != 0) {
		assert_null(st);
		return 1;
	}
	if (!testdb_pg())
		fail_msg("SQLite prepared '%s'", sql);
	int r = db_step(st);
	db_finalize(st);
	return r == -1;
}

static void test_sql_errors(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_create(f->path);
	db_stmt_t *st;
	assert_int_equal(prepare_fails(db, "SELEC 1"), 1);
	assert_int_equal(db_error(db)->cls, DBE_GENERIC);
	assert_non_null(strstr(db_error(db)->msg, "syntax error"));
	assert_int_equal(prepare_fails(db, "SELECT * FROM no_such_table"), 1);
	assert_non_null(strstr(db_error(db)->msg, "no_such_table"));
	assert_int_equal(db_exec(db, "DROP TABLE no_such_table"), -1);
	int64_t v = 77;
	assert_int_equal(db_query_i64(db, "SELECT nope FROM org", NULL, &v), -1);
	/* binding a parameter that does not exist */
	assert_int_equal(db_prepare(db, "SELECT ?", &st), 0);
	assert_int_equal(db_bind_i64(st, 2, 1), -1);
	assert_int_equal(db_bind_text(st, 0, "x", 1), -1);
	db_finalize(st);
	db_finalize(NULL); /* harmless */
	db_close(db);
}

static void test_db_fail(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	assert_int_equal(db_fail(db, DBE_SCHEMA, "version %d of %s", 7, "x"), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_string_equal(db_error(db)->msg, "version 7 of x");
	char *longmsg = xmalloc(2000);
	memset(longmsg, 'm', 1999);
	longmsg[1999] = 0;
	assert_int_equal(db_fail(db, DBE_IO, "%s", longmsg), -1);
	assert_int_equal(strlen(db_error(db)->msg), sizeof db_error(db)->msg - 1);
	free(longmsg);
	db_close(db);
}

/* ---- transactions ---- */

static void test_transactions(void **state)
{
	struct fx *f = *state;
	db_t *db = items_db(f->path);
	/* rollback discards */
	assert_int_equal(db_begin(db), 0);
	add_item(db, "a");
	assert_int_equal(count_items(db), 1);
	db_rollback(db);
	assert_int_equal(count_items(db), 0);
	/* commit keeps, also for a second connection */
	assert_int_equal(db_begin(db), 0);
	add_item(db, "b");
	assert_int_equal(db_commit(db), 0);
	db_t *other = testdb_open(f->path, 0, 100);
	assert_int_equal(count_items(other), 1);
	db_close(other);
	/* no nesting */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), -1);
	db_rollback(db);
	/* commit or rollback without a transaction */
	assert_int_equal(db_commit(db), -1);
	db_rollback(db);
	db_rollback(db);
	/* a read transaction sees a snapshot and can be ended */
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(count_items(db), 1);
	db_rollback(db);
	db_close(db);
}

static void test_failed_statement_then_rollback(void **state)
{
	struct fx *f = *state;
	db_t *db = items_db(f->path);
	assert_int_equal(db_begin(db), 0);
	add_item(db, "first");
	add_item(db, "second");
	db_stmt_t *st;
	assert_int_equal(db_prepare(db, insert_item, &st), 0);
	db_bind_text(st, 1, "first", (size_t)-1); /* duplicate open code */
	db_bind_text(st, 2, "again", (size_t)-1);
	assert_int_equal(db_step(st), -1);
	assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
	db_finalize(st);
	db_rollback(db);
	assert_int_equal(count_items(db), 0);
	/* and the connection is usable, with no transaction left open */
	assert_int_equal(db_begin(db), 0);
	add_item(db, "third");
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count_items(db), 1);
	db_close(db);
}

static void test_changes(void **state)
{
	struct fx *f = *state;
	db_t *db = items_db(f->path);
	add_item(db, "a");
	assert_int_equal(db_changes(db), 1);
	add_item(db, "b");
	add_item(db, "c");
	testdb_exec(db, "UPDATE item SET name = name || 'x' WHERE name IN ('a', 'c')");
	assert_int_equal(db_changes(db), 2);
	testdb_exec(db, "UPDATE item SET name = 'x' WHERE name = 'none'");
	assert_int_equal(db_changes(db), 0);
	db_close(db);
}

static void test_busy(void **state)
{
	struct fx *f = *state;
	db_t *a = items_db(f->path);
	db_t *b = testdb_open(f->path, 0, 50);
	assert_int_equal(db_begin(a), 0);
	add_item(a, "held");
	assert_int_equal(db_begin(b), -1);
	assert_int_equal(db_error(b)->cls, DBE_BUSY);
	/* a plain write outside a transaction waits on SQLite, then gives up the
	 * same way; on PostgreSQL the writer lock orders transactions only, and
	 * a single statement, atomic by itself, goes ahead beside the writer */
	int pg = testdb_pg();
	assert_int_equal(db_exec(b, "INSERT INTO item (name) VALUES ('x')"), pg ? 0 : -1);
	if (!pg)
		assert_int_equal(db_error(b)->cls, DBE_BUSY);
	/* readers are not blocked by the writer and do not see its work */
	assert_int_equal(count_items(b), pg);
	assert_int_equal(db_commit(a), 0);
	/* once the lock is gone, the other connection may write */
	assert_int_equal(db_begin(b), 0);
	add_item(b, "next");
	assert_int_equal(db_commit(b), 0);
	assert_int_equal(count_items(a), 2 + pg);
	db_close(a);
	db_close(b);
}

static void test_readonly(void **state)
{
	struct fx *f = *state;
	db_t *db = items_db(f->path);
	add_item(db, "a");
	db_close(db);
	db = testdb_open(f->path, DB_OPEN_READONLY, 100);
	assert_int_equal(count_items(db), 1);
	assert_int_equal(db_exec(db, "INSERT INTO item (name) VALUES ('b')"), -1);
	assert_int_equal(db_error(db)->cls, DBE_READONLY);
	/* inside a transaction too (SQLite lets BEGIN IMMEDIATE pass on a read-only
	 * connection; the write itself is what fails) */
	if (db_begin(db) == 0) {
		assert_int_equal(db_exec(db, "DELETE FROM item"), -1);
		assert_int_equal(db_error(db)->cls, DBE_READONLY);
		db_rollback(db);
	} else {
		assert_int_equal(db_error(db)->cls, DBE_READONLY);
	}
	assert_int_equal(count_items(db), 1);
	db_close(db);
}

static void test_readonly_file(void **state)
{
	struct fx *f = *state;
	if (geteuid() == 0)
		skip(); /* root may write to any file */
	db_t *db = testdb_create(f->path);
	db_close(db);
	assert_int_equal(chmod(f->path, 0444), 0);
	struct db_error err;
	assert_int_equal(db_open(f->path, 0, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_READONLY);
}

/* ---- values ---- */

static void test_round_trips(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("an ANY column, typeof() and text with a NUL are SQLite's; test_pg's "
		    "test_round_trips covers PostgreSQL's values");
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	testdb_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v ANY) STRICT");
	db_stmt_t *ins, *sel;
	assert_int_equal(db_prepare(db, "INSERT INTO t (k, v) VALUES (?, ?)", &ins), 0);
	assert_int_equal(db_prepare(db, "SELECT v, typeof(v) FROM t WHERE k = ?", &sel), 0);

#define PUT(k, bind)                                   \
	do {                                           \
		assert_int_equal(db_bind_i64(ins, 1, k), 0); \
		assert_int_equal(bind, 0);             \
		assert_int_equal(db_step(ins), DB_DONE); \
		assert_int_equal(db_reset(ins), 0);    \
	} while (0)
#define GET(k, type)                                        \
	do {                                                \
		assert_int_equal(db_reset(sel), 0);         \
		assert_int_equal(db_bind_i64(sel, 1, k), 0); \
		assert_int_equal(db_step(sel), DB_ROW);     \
		assert_string_equal(db_col_text(sel, 1), type); \
	} while (0)

	static const int64_t ints[] = {0, 1, -1, INT64_MAX, INT64_MIN, 4294967296LL};
	for (int i = 0; i < 6; i++)
		PUT(i + 1, db_bind_i64(ins, 2, ints[i]));
	for (int i = 0; i < 6; i++) {
		GET(i + 1, "integer");
		assert_true(db_col_i64(sel, 0) == ints[i]);
		assert_false(db_col_is_null(sel, 0));
	}

	/* text is length-bound: explicit n, embedded NUL, NUL-terminated */
	PUT(10, db_bind_text(ins, 2, "hello world", 5));
	PUT(11, db_bind_text(ins, 2, "a\0b", 3));
	PUT(12, db_bind_text(ins, 2, "caf\xc3\xa9", (size_t)-1));
	PUT(13, db_bind_text(ins, 2, "", 0));
	/* the text is copied at bind time: the caller's buffer may change before
	 * the statement runs */
	char transient[8] = "gone";
	assert_int_equal(db_bind_i64(ins, 1, 14), 0);
	assert_int_equal(db_bind_text(ins, 2, transient, (size_t)-1), 0);
	memset(transient, 'X', sizeof transient - 1);
	assert_int_equal(db_step(ins), DB_DONE);
	assert_int_equal(db_reset(ins), 0);
	GET(10, "text");
	assert_string_equal(db_col_text(sel, 0), "hello");
	assert_int_equal(db_col_bytes(sel, 0), 5);
	GET(11, "text");
	assert_int_equal(db_col_bytes(sel, 0), 3);
	assert_memory_equal(db_col_text(sel, 0), "a\0b", 3);
	GET(12, "text");
	assert_string_equal(db_col_text(sel, 0), "caf\xc3\xa9");
	assert_int_equal(db_col_bytes(sel, 0), 5);
	GET(13, "text");
	assert_false(db_col_is_null(sel, 0));
	assert_string_equal(db_col_text(sel, 0), "");
	GET(14, "text");
	assert_string_equal(db_col_text(sel, 0), "gone");

	/* blobs: every byte value, and zero-length blobs that are not NULL */
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	unsigned char copy[256];
	memcpy(copy, all, sizeof all);
	assert_int_equal(db_bind_i64(ins, 1, 20), 0);
	assert_int_equal(db_bind_blob(ins, 2, copy, sizeof copy), 0);
	memset(copy, 0, sizeof copy); /* copied at bind time, like text */
	assert_int_equal(db_step(ins), DB_DONE);
	assert_int_equal(db_reset(ins), 0);
	PUT(21, db_bind_blob(ins, 2, all, 0));
	PUT(22, db_bind_blob(ins, 2, NULL, 0));
	GET(20, "blob");
	assert_int_equal(db_col_bytes(sel, 0), 256);
	assert_memory_equal(db_col_blob(sel, 0), all, 256);
	GET(21, "blob");
	assert_false(db_col_is_null(sel, 0));
	assert_int_equal(db_col_bytes(sel, 0), 0);
	GET(22, "blob");
	assert_false(db_col_is_null(sel, 0));
	assert_int_equal(db_col_bytes(sel, 0), 0);

	/* NULL, bound either way; text of NULL reads as "" */
	PUT(30, db_bind_null(ins, 2));
	PUT(31, db_bind_text(ins, 2, NULL, 3));
	for (int k = 30; k <= 31; k++) {
		GET(k, "null");
		assert_true(db_col_is_null(sel, 0));
		assert_non_null(db_col_text(sel, 0));
		assert_string_equal(db_col_text(sel, 0), "");
		assert_true(db_col_i64(sel, 0) == 0);
		assert_int_equal(db_col_bytes(sel, 0), 0);
	}
	/* no row */
	assert_int_equal(db_reset(sel), 0);
	assert_int_equal(db_bind_i64(sel, 1, 999), 0);
	assert_int_equal(db_step(sel), DB_DONE);
#undef PUT
#undef GET
	db_finalize(ins);
	db_finalize(sel);
	db_close(db);
}

static void test_query_and_count_helpers(void **state)
{
	struct fx *f = *state;
	db_t *db = items_db(f->path);
	add_item(db, "a");
	add_item(db, "b");
	int64_t v = -1;
	assert_int_equal(db_query_i64(db, "SELECT id FROM item WHERE name = ?", "b", &v), 0);
	assert_true(v > 0);
	v = -1;
	assert_int_equal(db_query_i64(db, "SELECT id FROM item WHERE name = ?", "zz", &v), 0);
	assert_true(v == 0); /* no row reads as 0 */
	/* the parameter is bound, never spliced into the SQL */
	assert_int_equal(db_query_i64(db, "SELECT count(*) FROM item WHERE name = ?",
				      "a' OR '1'='1", &v), 0);
	assert_true(v == 0);
	int64_t n = -1;
	assert_int_equal(db_count_tables(db, "org", &n), 0);
	assert_true(n == 1);
	assert_int_equal(db_count_tables(db, "audit_log", &n), 0);
	assert_true(n == 1);
	assert_int_equal(db_count_tables(db, "org_code", &n), 0); /* an index, not a table */
	assert_true(n == 0);
	assert_int_equal(db_count_tables(db, "nope", &n), 0);
	assert_true(n == 0);
	int64_t all = -1;
	assert_int_equal(db_count_tables(db, NULL, &all), 0);
	assert_true(all >= 7); /* item, schema_migrations, org, org_link, audit_* */
	db_close(db);
}

/* ---- backup ---- */

static void test_backup(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("db_backup copies SQLite files; on PostgreSQL it refuses, pointing to "
		    "pg_dump (test_pg)");
	db_t *db = items_db(f->path);
	add_item(db, "a");
	add_item(db, "b");
	char *dest = tmpdir_path(f->dir, "copy.db");
	assert_int_equal(db_backup(db, dest), 0);
	/* changes after the backup are not in it */
	add_item(db, "c");
	db_t *copy = testdb_open(dest, 0, 100);
	assert_int_equal(count_items(copy), 2);
	assert_int_equal(testdb_i64(copy, "SELECT count(*) FROM item WHERE name IN ('a', 'b')"), 2);
	assert_int_equal(migrate_require_current(copy), 0);
	db_close(copy);
	/* no temporary file left beside it */
	char *tmp = xasprintf("%s.partial-%ld", dest, (long)getpid());
	assert_false(path_exists(tmp));
	free(tmp);
	free(dest);
	db_close(db);
}

static void test_backup_refuses_existing(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("db_backup copies SQLite files; on PostgreSQL it refuses, pointing to "
		    "pg_dump (test_pg)");
	db_t *db = items_db(f->path);
	add_item(db, "a");
	char *dest = tmpdir_path(f->dir, "exists.db");
	write_file_bytes(dest, "keep me", 7, 0600);
	assert_int_equal(db_backup(db, dest), -1);
	assert_int_equal(db_error(db)->cls, DBE_CONSTRAINT);
	assert_non_null(strstr(db_error(db)->msg, "already exists"));
	size_t n;
	char *after = read_file_bytes(dest, &n);
	assert_int_equal(n, 7);
	assert_memory_equal(after, "keep me", 7);
	free(after);
	/* onto itself */
	assert_int_equal(db_backup(db, f->path), -1);
	assert_int_equal(count_items(db), 1);
	/* into a folder that does not exist: fails, leaves nothing */
	char *nodir = tmpdir_path(f->dir, "missing/copy.db");
	int before = dir_count(f->dir);
	assert_int_equal(db_backup(db, nodir), -1);
	assert_int_equal(dir_count(f->dir), before);
	free(nodir);
	free(dest);
	db_close(db);
}

static void test_backup_is_consistent(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("db_backup copies SQLite files; on PostgreSQL it refuses, pointing to "
		    "pg_dump (test_pg)");
	db_t *db = items_db(f->path);
	add_item(db, "committed");
	/* another connection's uncommitted write is not in the copy */
	db_t *writer = testdb_open(f->path, 0, 100);
	assert_int_equal(db_begin(writer), 0);
	add_item(writer, "uncommitted");
	char *dest = tmpdir_path(f->dir, "snap.db");
	assert_int_equal(db_backup(db, dest), 0);
	db_rollback(writer);
	db_close(writer);
	db_t *copy = testdb_open(dest, 0, 100);
	assert_int_equal(count_items(copy), 1);
	db_close(copy);
	free(dest);
	db_close(db);
}

/* ---- checkpoint ---- */

static off_t file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* A deleted row's old page stays in the write-ahead log until a checkpoint
 * empties it: db_checkpoint leaves the log at zero bytes, and says busy
 * (without emptying it) while a reader still needs it. */
static void test_checkpoint(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("SQLite's write-ahead log file; the server manages PostgreSQL's");
	db_t *db = items_db(f->path);
	char *wal = xasprintf("%s-wal", f->path);
	add_item(db, "QZXWALMARK");
	testdb_exec(db, "DELETE FROM item");
	size_t n;
	char *b = read_file_bytes(wal, &n);
	assert_non_null(b);
	assert_true(n > 0);
	assert_non_null(memmem(b, n, "QZXWALMARK", 10));
	free(b);

	/* a reader in a snapshot keeps the log from being emptied */
	db_t *reader = testdb_open(f->path, 0, 50);
	assert_int_equal(db_begin_read(reader), 0);
	assert_int_equal(count_items(reader), 0);
	db_t *impatient = testdb_open(f->path, 0, 50);
	assert_int_equal(db_checkpoint(impatient), 1);
	assert_int_equal(db_error(impatient)->cls, DBE_BUSY);
	assert_true(file_size(wal) > 0);
	db_rollback(reader);
	db_close(reader);

	assert_int_equal(db_checkpoint(impatient), 0);
	assert_int_equal(file_size(wal), 0);
	/* and the file holds no copy either: secure_delete zeroed it */
	b = read_file_bytes(f->path, &n);
	assert_non_null(b);
	assert_null(memmem(b, n, "QZXWALMARK", 10));
	free(b);
	/* the database goes on as before */
	add_item(db, "after");
	assert_int_equal(count_items(impatient), 1);
	db_close(impatient);
	free(wal);
	db_close(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_missing_without_create),
		T(test_open_bad_targets),
		T(test_open_not_a_database),
		T(test_open_create_and_names),
		T(test_connection_settings),
		T(test_foreign_keys_enforced),
		T(test_migrated_tables_are_strict),
		T(test_constraint_errors),
		T(test_sql_errors),
		T(test_db_fail),
		T(test_transactions),
		T(test_failed_statement_then_rollback),
		T(test_changes),
		T(test_busy),
		T(test_readonly),
		T(test_readonly_file),
		T(test_round_trips),
		T(test_query_and_count_helpers),
		T(test_backup),
		T(test_backup_refuses_existing),
		T(test_backup_is_consistent),
		T(test_checkpoint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
