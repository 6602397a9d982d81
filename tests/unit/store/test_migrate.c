/* test_migrate.c: schema migrations (src/store/migrate.c and the embedded
 * src/store/migrations). A database must only ever move forward, one whole
 * migration at a time, and one that is newer than the program, or not ours,
 * must be refused untouched. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/embedded.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testutil.h"

extern const struct embedded_file store_migrations[];

struct fx {
	char *dir;
	char *path;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = tmpdir_make();
	f->path = tmpdir_path(f->dir, "m.db");
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

struct progress {
	int calls;
	int versions[64];
};

static void on_progress(void *ctx, int version, const char *name)
{
	struct progress *p = ctx;
	assert_true(p->calls < 64);
	assert_int_equal(atoi(name), version);
	p->versions[p->calls++] = version;
}

static void test_embedded_files_numbered_without_gaps(void **state)
{
	(void)state;
	int n = 0;
	for (; store_migrations[n].name; n++) {
		const struct embedded_file *m = &store_migrations[n];
		const char *name = m->name;
		size_t len = strlen(name);
		/* NNNN_name.sql */
		if (len < 10 || !isdigit((unsigned char)name[0]) || !isdigit((unsigned char)name[1]) ||
		    !isdigit((unsigned char)name[2]) || !isdigit((unsigned char)name[3]) ||
		    name[4] != '_' || strcmp(name + len - 4, ".sql") != 0)
			fail_msg("migration file %s is not named NNNN_name.sql", name);
		if (atoi(name) != n + 1)
			fail_msg("migration %d is %s: numbers must run 1, 2, 3... without gaps",
				 n + 1, name);
		assert_non_null(m->data);
		assert_true(m->len > 0);
		assert_int_equal(strlen(m->data), m->len);
	}
	assert_true(n >= 2);
	assert_int_equal(migrate_latest(), n);
}

static void test_fresh_database(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	struct migrate_state s = {-1, -1};
	assert_int_equal(migrate_state(db, &s), 0);
	assert_int_equal(s.current, 0);
	assert_int_equal(s.latest, migrate_latest());
	assert_int_equal(migrate_require_current(db), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_non_null(strstr(db_error(db)->msg, "not a Probity database yet"));
	assert_non_null(strstr(db_error(db)->msg, "probity init"));
	db_close(db);
}

static void test_migrate_up(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	struct progress p = {0};
	assert_int_equal(migrate_up(db, on_progress, &p), 0);
	int latest = migrate_latest();
	assert_int_equal(p.calls, latest);
	for (int i = 0; i < latest; i++)
		assert_int_equal(p.versions[i], i + 1);
	struct migrate_state s;
	assert_int_equal(migrate_state(db, &s), 0);
	assert_int_equal(s.current, latest);
	assert_int_equal(s.latest, latest);
	assert_int_equal(migrate_require_current(db), 0);
	/* each migration is recorded with its name and a UTC timestamp */
	db_stmt_t *st;
	assert_int_equal(db_prepare(db, "SELECT version, name, applied_at FROM schema_migrations "
				       "ORDER BY version", &st), 0);
	for (int v = 1; v <= latest; v++) {
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_i64(st, 0), v);
		assert_string_equal(db_col_text(st, 1), store_migrations[v - 1].name);
		const char *at = db_col_text(st, 2);
		assert_int_equal(strlen(at), TIMESTAMP_LEN);
		assert_int_equal(date_valid(at, DATE_LEN), 0);
	}
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	/* and the tables exist */
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM org"), 0);
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM audit_log"), 0);
	db_close(db);
}

static void test_migrate_up_twice_is_noop(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_create(f->path);
	int64_t tables, tables2;
	assert_int_equal(db_count_tables(db, NULL, &tables), 0);
	testdb_exec(db, "CREATE TABLE kept (v TEXT) STRICT; INSERT INTO kept VALUES ('k')");
	db_close(db);
	db = testdb_open(f->path, 0, 100);
	struct progress p = {0};
	assert_int_equal(migrate_up(db, on_progress, &p), 0);
	assert_int_equal(p.calls, 0);
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM schema_migrations"), migrate_latest());
	assert_int_equal(db_count_tables(db, NULL, &tables2), 0);
	assert_true(tables + 1 == tables2);
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM kept WHERE v = 'k'"), 1);
	db_close(db);
}

static void test_empty_file_is_a_fresh_database(void **state)
{
	struct fx *f = *state;
	SQLITE_ONLY("an empty file is SQLite's fresh database; a PostgreSQL database is "
		    "created empty, which test_fresh_database covers");
	write_file_bytes(f->path, "", 0, 0600);
	db_t *db = testdb_open(f->path, 0, 100);
	assert_int_equal(migrate_up(db, NULL, NULL), 0);
	assert_int_equal(migrate_require_current(db), 0);
	db_close(db);
}

static void test_newer_database_refused(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_create(f->path);
	int latest = migrate_latest();
	char *sql = xasprintf("INSERT INTO schema_migrations (version, name, applied_at) "
			      "VALUES (%d, '%04d_future.sql', '2099-01-01T00:00:00Z')",
			      latest + 1, latest + 1);
	testdb_exec(db, sql);
	free(sql);
	db_close(db);

	db = testdb_open(f->path, 0, 100);
	struct migrate_state s;
	assert_int_equal(migrate_state(db, &s), 0);
	assert_int_equal(s.current, latest + 1);
	assert_int_equal(s.latest, latest);

	char want[64];
	snprintf(want, sizeof want, "schema %d, program knows %d", latest + 1, latest);
	struct progress p = {0};
	assert_int_equal(migrate_up(db, on_progress, &p), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_non_null(strstr(db_error(db)->msg, "newer than this program"));
	assert_non_null(strstr(db_error(db)->msg, want));
	/* named as opened: the file, or the URL on PostgreSQL */
	assert_non_null(strstr(db_error(db)->msg, testdb_pg() ? db_target(db) : f->path));
	assert_int_equal(p.calls, 0);

	assert_int_equal(migrate_require_current(db), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_non_null(strstr(db_error(db)->msg, "newer than this program"));
	/* untouched */
	assert_int_equal(testdb_i64(db, "SELECT max(version) FROM schema_migrations"), latest + 1);
	db_close(db);
}

static void test_foreign_database_refused(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	testdb_exec(db, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
			"INSERT INTO customers (name) VALUES ('someone else''s data')");
	struct migrate_state s;
	assert_int_equal(migrate_state(db, &s), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_non_null(strstr(db_error(db)->msg, "not a Probity database"));
	assert_int_equal(migrate_up(db, NULL, NULL), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_non_null(strstr(db_error(db)->msg, "not a Probity database"));
	assert_int_equal(migrate_require_current(db), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	/* nothing of ours was added to it */
	int64_t n = -1;
	assert_int_equal(db_count_tables(db, NULL, &n), 0);
	assert_true(n == 1);
	db_close(db);
}

/* Builds a database at version 1 only, as an older program would have left it. */
static db_t *make_version_1(const char *path)
{
	db_t *db = testdb_open(path, DB_OPEN_CREATE, 100);
	testdb_exec(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
			"name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
	testdb_exec(db, store_migrations[0].data);
	char *sql = xasprintf("INSERT INTO schema_migrations VALUES (1, '%s', "
			      "'2024-01-01T00:00:00Z')", store_migrations[0].name);
	testdb_exec(db, sql);
	free(sql);
	return db;
}

static void test_older_database_upgraded(void **state)
{
	struct fx *f = *state;
	int latest = migrate_latest();
	db_t *db = make_version_1(f->path);
	char want[64];
	snprintf(want, sizeof want, "schema 1, program needs %d", latest);
	assert_int_equal(migrate_require_current(db), -1);
	assert_int_equal(db_error(db)->cls, DBE_SCHEMA);
	assert_non_null(strstr(db_error(db)->msg, "needs upgrading"));
	assert_non_null(strstr(db_error(db)->msg, want));
	struct progress p = {0};
	assert_int_equal(migrate_up(db, on_progress, &p), 0);
	assert_int_equal(p.calls, latest - 1);
	assert_int_equal(p.versions[0], 2);
	assert_int_equal(migrate_require_current(db), 0);
	/* the row of version 1 is the old one, not rewritten */
	assert_int_equal(testdb_i64(db, "SELECT count(*) FROM schema_migrations WHERE version = 1 "
				       "AND applied_at = '2024-01-01T00:00:00Z'"), 1);
	db_close(db);
}

static void test_failed_migration_rolls_back(void **state)
{
	struct fx *f = *state;
	db_t *db = make_version_1(f->path);
	/* Migration 2 creates audit_log, audit_checkpoint, then audit_head: a table
	 * already named audit_head makes it fail half-way. */
	assert_non_null(strstr(store_migrations[1].data, "CREATE TABLE audit_head"));
	testdb_exec(db, "CREATE TABLE audit_head (x INTEGER)");
	assert_int_equal(migrate_up(db, NULL, NULL), -1);
	assert_non_null(strstr(db_error(db)->msg, "audit_head"));
	char want[80];
	snprintf(want, sizeof want, "(in migration %s)", store_migrations[1].name);
	assert_non_null(strstr(db_error(db)->msg, want));
	/* nothing of migration 2 remains, and the version did not move */
	int64_t n = -1;
	assert_int_equal(db_count_tables(db, "audit_log", &n), 0);
	assert_true(n == 0);
	assert_int_equal(db_count_tables(db, "audit_checkpoint", &n), 0);
	assert_true(n == 0);
	struct migrate_state s;
	assert_int_equal(migrate_state(db, &s), 0);
	assert_int_equal(s.current, 1);
	/* and no transaction is left open: the connection still writes */
	assert_int_equal(db_begin(db), 0);
	db_rollback(db);
	/* once the obstacle is gone, the upgrade completes */
	testdb_exec(db, "DROP TABLE audit_head");
	assert_int_equal(migrate_up(db, NULL, NULL), 0);
	assert_int_equal(migrate_require_current(db), 0);
	db_close(db);
}

static void test_readonly_cannot_migrate(void **state)
{
	struct fx *f = *state;
	db_t *db = testdb_open(f->path, DB_OPEN_CREATE, 100);
	db_close(db);
	db = testdb_open(f->path, DB_OPEN_READONLY, 100);
	assert_int_equal(migrate_up(db, NULL, NULL), -1);
	assert_int_equal(db_error(db)->cls, DBE_READONLY);
	db_close(db);
	db = testdb_open(f->path, 0, 100);
	int64_t n = -1;
	assert_int_equal(db_count_tables(db, NULL, &n), 0);
	assert_true(n == 0);
	db_close(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_files_numbered_without_gaps),
		T(test_fresh_database),
		T(test_migrate_up),
		T(test_migrate_up_twice_is_noop),
		T(test_empty_file_is_a_fresh_database),
		T(test_newer_database_refused),
		T(test_foreign_database_refused),
		T(test_older_database_upgraded),
		T(test_failed_migration_rolls_back),
		T(test_readonly_cannot_migrate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
