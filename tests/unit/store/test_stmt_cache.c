/* test_stmt_cache.c: the SQLite engine's prepared-statement cache
 * (src/store/sqlite.c) is invisible to callers: a statement handed out again
 * carries no bound value, no row and no open read from its last use; two live
 * uses of one SQL text are two statements; more texts than the cache holds
 * still run; a schema change reaches a cached statement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "store/db.h"
#include "testutil.h"

struct fx {
	char *dir, *path;
	db_t *db;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = tmpdir_make();
	f->path = tmpdir_path(f->dir, "test.db");
	f->db = testdb_open(f->path, DB_OPEN_CREATE, 200);
	testdb_exec(f->db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
			   "INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->db);
	tmpdir_remove(f->dir);
	free(f->path);
	free(f);
	return 0;
}

#define Q "SELECT v FROM t WHERE id = ?1 OR ?1 IS NULL ORDER BY id"

/* a value bound in one use is not there in the next: unbound reads NULL,
 * which here means every row */
static void test_no_binding_carried(void **state)
{
	struct fx *f = *state;
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->db, Q, &st), 0);
	assert_int_equal(db_bind_i64(st, 1, 2), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "b");
	db_finalize(st);
	assert_int_equal(db_prepare(f->db, Q, &st), 0);
	int n = 0;
	while (db_step(st) == DB_ROW)
		n++;
	assert_int_equal(n, 3);
	db_finalize(st);
}

/* a query inside another's rows: both live at once, each with its own row */
static void test_two_live_uses(void **state)
{
	struct fx *f = *state;
	db_stmt_t *outer, *inner;
	assert_int_equal(db_prepare(f->db, Q, &outer), 0);
	int n = 0;
	while (db_step(outer) == DB_ROW) {
		assert_int_equal(db_prepare(f->db, Q, &inner), 0);
		assert_int_equal(db_bind_i64(inner, 1, 3), 0);
		assert_int_equal(db_step(inner), DB_ROW);
		assert_string_equal(db_col_text(inner, 0), "c");
		db_finalize(inner);
		n++;
	}
	assert_int_equal(n, 3);
	db_finalize(outer);
}

/* a statement given back half-read holds no read: another connection can
 * write and checkpoint the log away at once */
static void test_given_back_mid_read(void **state)
{
	struct fx *f = *state;
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->db, Q, &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	db_finalize(st);
	db_t *other = testdb_open(f->path, 0, 200);
	if (!other) {
		fail_msg("second connection");
		return;
	}
	testdb_exec(other, "INSERT INTO t (v) VALUES ('d')");
	assert_int_equal(db_checkpoint(other), 0);
	db_close(other);
	assert_int_equal(testdb_i64(f->db, "SELECT count(*) FROM t"), 4);
}

/* more SQL texts than the cache holds, with some held the whole time */
static void test_more_than_cached(void **state)
{
	struct fx *f = *state;
	db_stmt_t *held[200];
	char sql[64];
	for (int i = 0; i < 200; i++) {
		snprintf(sql, sizeof sql, "SELECT %d + count(*) FROM t", i);
		assert_int_equal(db_prepare(f->db, sql, &held[i]), 0);
	}
	for (int i = 0; i < 200; i++) {
		assert_int_equal(db_step(held[i]), DB_ROW);
		assert_int_equal(db_col_i64(held[i], 0), i + 3);
		db_finalize(held[i]);
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 300; i++) {
			snprintf(sql, sizeof sql, "SELECT %d + count(*) FROM t", i);
			assert_int_equal(testdb_i64(f->db, sql), i + 3);
		}
}

/* a cached statement sees a column added after it was prepared */
static void test_schema_change(void **state)
{
	struct fx *f = *state;
	assert_int_equal(testdb_i64(f->db, "SELECT count(*) FROM t"), 3);
	testdb_exec(f->db, "DROP TABLE t; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);");
	assert_int_equal(testdb_i64(f->db, "SELECT count(*) FROM t"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_binding_carried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_live_uses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_back_mid_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_more_than_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_change, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
