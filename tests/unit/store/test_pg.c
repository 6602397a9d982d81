/* test_pg.c: the PostgreSQL engine (src/store/pg.c) on a real server. Runs
 * when PROBITY_TEST_PG names a throw-away cluster (scripts/pg-test-cluster
 * run meson test ...) and is skipped otherwise. Each test gets a database of
 * its own, created from that URL and dropped afterwards. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "store/db.h"
#include "store/migrate.h"

struct fx {
	char name[32];
	char url[512];
	db_t *db;
};

static const char *base_url(void)
{
	const char *u = getenv("PROBITY_TEST_PG");
	return u && *u ? u : NULL;
}

static int admin(const char *sql)
{
	db_t *db;
	struct db_error err;
	if (db_open(base_url(), 0, NULL, &db, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	int rc = db_exec(db, sql);
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", sql, db_error(db)->msg);
	db_close(db);
	return rc;
}

static db_t *open_url(const char *url, int busy_ms)
{
	db_t *db;
	struct db_error err;
	struct db_options opt = {.busy_timeout_ms = busy_ms};
	if (db_open(url, 0, &opt, &db, &err) != 0) {
		fail_msg("db_open %s: %s", url, err.msg);
		return NULL;
	}
	return db;
}

static int setup(void **state)
{
	if (!base_url())
		return 0;
	struct fx *f = xcalloc(1, sizeof *f);
	unsigned char r[6];
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r)
		return -1;
	close(fd);
	snprintf(f->name, sizeof f->name, "t_%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
		 r[4], r[5]);
	const char *b = base_url(), *slash = strchr(strstr(b, "://") + 3, '/');
	snprintf(f->url, sizeof f->url, "%.*s/%s", (int)(slash - b), b, f->name);
	char sql[96];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->name);
	if (admin(sql) != 0)
		return -1;
	f->db = open_url(f->url, 200);
	*state = f;
	return f->db ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	db_close(f->db);
	char sql[96];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->name);
	admin(sql);
	free(f);
	return 0;
}

#define NEED_PG()                                                                                  \
	do {                                                                                       \
		if (!base_url()) {                                                                 \
			skip();                                                                    \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static int64_t q(db_t *db, const char *sql)
{
	int64_t v = -12345;
	if (db_query_i64(db, sql, NULL, &v) != 0)
		fail_msg("%s: %s", sql, db_error(db)->msg);
	return v;
}

static void ex(db_t *db, const char *sql)
{
	if (db_exec(db, sql) != 0)
		fail_msg("%s: %s", sql, db_error(db)->msg);
}

/* Every migration applies; the schema is counted, STRICT's types hold, the
 * append-only triggers and the monitor's counting triggers work. */
static void test_migrations(void **state)
{
	NEED_PG();
	struct fx *f = *state;
	struct migrate_state s;
	assert_int_equal(migrate_state(f->db, &s), 0);
	assert_int_equal(s.current, 0);
	if (migrate_up(f->db, NULL, NULL) != 0)
		fail_msg("migrate_up: %s", db_error(f->db)->msg);
	assert_int_equal(migrate_require_current(f->db), 0);
	int64_t n;
	assert_int_equal(db_count_tables(f->db, "org", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_count_tables(f->db, "nothing", &n), 0);
	assert_int_equal(n, 0);
	assert_string_equal(db_engine_name(f->db), "postgresql");
	assert_non_null(strstr(db_library_versions(), "libpq "));

	/* COLLATE NOCASE: one code without regard to case; GLOB checks */
	ex(f->db, "INSERT INTO org (code, name, kind, valid_from) VALUES "
		  "('RIJK', 'Rijk', 'government', '2020-01-01')");
	assert_int_equal(db_exec(f->db, "INSERT INTO org (code, name, kind, valid_from) VALUES "
					"('rijk', 'Rijk', 'government', '2020-01-01')"),
			 -1);
	assert_int_equal(db_error(f->db)->cls, DBE_CONSTRAINT);
	assert_int_equal(q(f->db, "SELECT count(*) FROM org WHERE code = 'rIjK'"), 1);
	assert_int_equal(db_exec(f->db, "INSERT INTO org (code, name, kind, valid_from) VALUES "
					"('A B', 'x', 'government', '2020-01-01')"),
			 -1);
	assert_int_equal(db_error(f->db)->cls, DBE_CONSTRAINT);
	assert_int_equal(db_exec(f->db, "INSERT INTO org (code, name, kind, valid_from) VALUES "
					"('AB', 'x', 'government', '2020-1-01')"),
			 -1);
	assert_int_equal(db_error(f->db)->cls, DBE_CONSTRAINT);

	/* RAISE(ABORT) in a trigger is a constraint failure, as on SQLite */
	ex(f->db, "INSERT INTO audit_log (seq, at, actor, action, prev_hash, hash) VALUES "
		  "(1, 'now', 'x', 'y', X'00', X'01')");
	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET actor = 'z'"), -1);
	assert_int_equal(db_error(f->db)->cls, DBE_CONSTRAINT);
	assert_non_null(strstr(db_error(f->db)->msg, "append-only"));
	assert_int_equal(db_exec(f->db, "DELETE FROM audit_log"), -1);
	assert_int_equal(q(f->db, "SELECT count(*) FROM audit_log"), 1);

	/* the report counting triggers and the PostgreSQL view of 0017 */
	ex(f->db, "INSERT INTO report (org_id, kind, mode, questionnaire, questionnaire_revision, "
		  "received_on, received_at, acknowledged_on, receipt_lookup, receipt_salt, body) "
		  "VALUES (1, 'wrongdoing', 'open', 'q', 1, '2025-01-31', 'x', '2025-02-07', "
		  "X'0000000000000000000000000000000000000000000000000000000000000000', "
		  "X'00000000000000000000000000000000', X'')");
	assert_int_equal(q(f->db, "SELECT n FROM monitor_report_count WHERE ack = 'on_time' AND "
				  "feedback = 'none'"),
			 1);
	/* feedback due 3 months after 7 February: 7 May on time, 8 May late */
	ex(f->db, "UPDATE report SET feedback_on = '2025-05-07'");
	assert_int_equal(q(f->db, "SELECT sum(n) FROM monitor_report_count WHERE feedback = "
				  "'on_time'"),
			 1);
	assert_int_equal(q(f->db, "SELECT sum(n) FROM monitor_report_count WHERE feedback = "
				  "'none'"),
			 0);
	ex(f->db, "UPDATE report SET feedback_on = '2025-05-08'");
	assert_int_equal(q(f->db, "SELECT sum(n) FROM monitor_report_count WHERE feedback = "
				  "'late'"),
			 1);
}

/* Parameters: integers, text, blobs with every byte value and NUL, NULL;
 * results back as integers, booleans, text and bytes. */
static void test_round_trips(void **state)
{
	NEED_PG();
	struct fx *f = *state;
	/* the schema brings the engine's functions for SQLite's (pg/compat.sql) */
	if (migrate_up(f->db, NULL, NULL) != 0)
		fail_msg("migrate_up: %s", db_error(f->db)->msg);
	ex(f->db, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, n INTEGER, b BLOB) STRICT");
	unsigned char bytes[256];
	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i;
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->db, "INSERT INTO item (name, n, b) VALUES (?, ?, ?) "
					   "RETURNING id", &st), 0);
	assert_int_equal(db_bind_text(st, 1, "it's ? ünïcode", (size_t)-1), 0);
	assert_int_equal(db_bind_i64(st, 2, INT64_MIN), 0);
	assert_int_equal(db_bind_blob(st, 3, bytes, sizeof bytes), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 0), 1);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_changes(f->db), 1);
	/* reused after reset, with NULLs and an empty blob */
	assert_int_equal(db_reset(st), 0);
	assert_int_equal(db_bind_null(st, 1), 0);
	assert_int_equal(db_bind_i64(st, 2, INT64_MAX), 0);
	assert_int_equal(db_bind_blob(st, 3, NULL, 0), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 0), 2);
	db_finalize(st);

	assert_int_equal(db_prepare(f->db, "SELECT id, name, n, b, name IS NULL, length(b) "
					   "FROM item ORDER BY id", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 1), "it's ? ünïcode");
	assert_true(db_col_i64(st, 2) == INT64_MIN);
	assert_int_equal(db_col_bytes(st, 3), 256);
	assert_memory_equal(db_col_blob(st, 3), bytes, 256);
	assert_int_equal(db_col_i64(st, 4), 0);  /* a boolean reads as 0 or 1 */
	assert_int_equal(db_col_i64(st, 5), 256);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 1));
	assert_string_equal(db_col_text(st, 1), "");
	assert_true(db_col_i64(st, 2) == INT64_MAX);
	assert_false(db_col_is_null(st, 3));
	assert_int_equal(db_col_bytes(st, 3), 0);
	assert_int_equal(db_col_i64(st, 4), 1);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);

	/* text with a NUL cannot be stored whole: refused, not cut short */
	assert_int_equal(db_prepare(f->db, "UPDATE item SET name = ? WHERE id = 1", &st), 0);
	assert_int_equal(db_bind_text(st, 1, "a\0b", 3), -1);
	assert_int_equal(db_bind_i64(st, 2, 1), -1); /* no such parameter */
	db_finalize(st);

	/* parameters whose type only the bound value tells: NULL in a CASE and
	 * an integer column, a numbered one left out, SELECT ? in a recursive
	 * query joined to an integer column */
	const char *ins = "INSERT INTO item (name, n, b) VALUES (CASE WHEN ?2 IS NULL THEN 'none' "
			  "ELSE 'some' END, ?2, X'') RETURNING id";
	for (int round = 0; round < 2; round++) {
		assert_int_equal(db_begin(f->db), 0);
		assert_int_equal(db_prepare(f->db, ins, &st), 0);
		if (round == 0)
			assert_int_equal(db_bind_null(st, 2), 0);
		else
			assert_int_equal(db_bind_i64(st, 2, 7), 0);
		if (db_step(st) != DB_ROW)
			fail_msg("round %d: %s", round, db_error(f->db)->msg);
		db_finalize(st);
		assert_int_equal(db_commit(f->db), 0);
	}
	assert_int_equal(q(f->db, "SELECT count(*) FROM item WHERE name = 'none' AND n IS NULL"), 1);
	assert_int_equal(q(f->db, "SELECT count(*) FROM item WHERE name = 'some' AND n = 7"), 1);
	/* SQLite's IS ? takes NULL as a value (accounts/store.c's password change
	 * compares totp_wrapped IS ?): bound NULL and bound a value */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(db_prepare(f->db, "SELECT count(*) FROM item WHERE n IS ? AND "
						   "name IS NOT 'x'", &st), 0);
		assert_int_equal(round ? db_bind_i64(st, 1, 7) : db_bind_null(st, 1), 0);
		if (db_step(st) != DB_ROW)
			fail_msg("IS ?, round %d: %s", round, db_error(f->db)->msg);
		assert_int_equal(db_col_i64(st, 0), 1);
		db_finalize(st);
	}
	assert_int_equal(db_prepare(f->db, "WITH RECURSIVE down(id) AS (SELECT ? UNION SELECT i.id "
					   "FROM item i JOIN down ON i.id = down.id + 1) "
					   "SELECT count(*) FROM down", &st), 0);
	assert_int_equal(db_bind_i64(st, 1, 1), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 0), 4);
	db_finalize(st);
	/* SQLite's leniencies: CAST of text to INTEGER, total(), instr() */
	assert_int_equal(q(f->db, "SELECT CAST('iv' AS INTEGER) + CAST(' 12b' AS INTEGER)"), 12);
	assert_int_equal(q(f->db, "SELECT total(n) FROM item WHERE id > 100"), 0);
	assert_int_equal(q(f->db, "SELECT instr(b, 'x') + instr('abc', 'c') FROM item WHERE id = 2"),
			 3);
}

/* One writer at a time, across connections, waiting up to the busy
 * timeout; readers see a snapshot; errors leave nothing half-written. */
static void test_transactions(void **state)
{
	NEED_PG();
	struct fx *f = *state;
	ex(f->db, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT");
	db_t *other = open_url(f->url, 100);
	if (!other)
		return;
	assert_int_equal(db_begin(f->db), 0);
	ex(f->db, "INSERT INTO item (name) VALUES ('a')");
	/* the second writer waits 100 ms, then gives up with DBE_BUSY */
	assert_int_equal(db_begin(other), -1);
	assert_int_equal(db_error(other)->cls, DBE_BUSY);
	/* a reader is not held up and does not see the uncommitted row */
	assert_int_equal(db_begin_read(other), 0);
	assert_int_equal(q(other, "SELECT count(*) FROM item"), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(q(other, "SELECT count(*) FROM item"), 0); /* its snapshot */
	assert_int_equal(db_commit(other), 0);
	assert_int_equal(q(other, "SELECT count(*) FROM item"), 1);
	/* a read transaction cannot write */
	assert_int_equal(db_begin_read(other), 0);
	assert_int_equal(db_exec(other, "INSERT INTO item (name) VALUES ('b')"), -1);
	assert_int_equal(db_error(other)->cls, DBE_READONLY);
	db_rollback(other);

	/* a failed statement: the commit refuses, nothing of it stays */
	assert_int_equal(db_begin(f->db), 0);
	ex(f->db, "INSERT INTO item (name) VALUES ('c')");
	assert_int_equal(db_exec(f->db, "INSERT INTO item (name) VALUES ('a')"), -1);
	assert_int_equal(db_error(f->db)->cls, DBE_CONSTRAINT);
	assert_int_equal(db_commit(f->db), -1);
	assert_int_equal(q(f->db, "SELECT count(*) FROM item"), 1);
	/* rollback after rollback, and outside a transaction, is harmless */
	db_rollback(f->db);
	assert_int_equal(db_begin(f->db), 0);
	ex(f->db, "INSERT INTO item (name) VALUES ('d')");
	db_rollback(f->db);
	assert_int_equal(q(f->db, "SELECT count(*) FROM item"), 1);
	/* the lock went with the transaction */
	assert_int_equal(db_begin(other), 0);
	db_rollback(other);
	db_close(other);

	assert_int_equal(db_exec(f->db, "SELEC 1"), -1);
	assert_int_equal(db_error(f->db)->cls, DBE_GENERIC);
	assert_int_equal(db_backup(f->db, "/tmp/x"), -1);
	assert_non_null(strstr(db_error(f->db)->msg, "pg_dump"));
	assert_int_equal(db_checkpoint(f->db), 0);
}

/* A database that does not exist; a read-only connection. */
static void test_open(void **state)
{
	NEED_PG();
	struct fx *f = *state;
	char url[600];
	snprintf(url, sizeof url, "%s_missing", f->url);
	db_t *db;
	struct db_error err;
	assert_int_equal(db_open(url, 0, NULL, &db, &err), -1);
	assert_int_equal(err.cls, DBE_MISSING);
	assert_null(db);
	ex(f->db, "CREATE TABLE item (id INTEGER PRIMARY KEY) STRICT");
	assert_int_equal(db_open(f->url, DB_OPEN_READONLY, NULL, &db, &err), 0);
	if (!db)
		return;
	assert_int_equal(db_exec(db, "INSERT INTO item DEFAULT VALUES"), -1);
	assert_int_equal(db_error(db)->cls, DBE_READONLY);
	db_close(db);
}

/* Ends db's server session from another connection, as a server restart or
 * a failover does. */
static void kill_session(struct fx *f, db_t *db)
{
	int64_t pid = 0;
	assert_int_equal(db_query_i64(db, "SELECT pg_backend_pid()", NULL, &pid), 0);
	db_t *other = open_url(f->url, 200);
	if (!other)
		return;
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", (long long)pid);
	assert_int_equal(db_exec(other, sql), 0);
	db_close(other);
}

/* A lost connection is opened again before the next statement or
 * transaction; a transaction it broke fails and is never continued outside
 * one. */
static void test_reconnect(void **state)
{
	NEED_PG();
	struct fx *f = *state;
	ex(f->db, "CREATE TABLE item (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) STRICT");
	db_stmt_t *st;
	int64_t n = -1;
	/* a statement prepared on the server before the break */
	assert_int_equal(db_query_i64(f->db, "SELECT count(*) FROM item WHERE v > ?", "0", &n), 0);
	kill_session(f, f->db);
	/* the first use after the break may fail: it finds the break */
	(void)db_query_i64(f->db, "SELECT 1", NULL, &n);
	/* then the connection is opened again, the statement prepared anew */
	n = -1;
	assert_int_equal(db_query_i64(f->db, "SELECT count(*) FROM item WHERE v > ?", "0", &n), 0);
	assert_int_equal(n, 0);
	/* a break inside a transaction: its statements fail, nothing is written */
	assert_int_equal(db_begin(f->db), 0);
	ex(f->db, "INSERT INTO item (v) VALUES (1)");
	kill_session(f, f->db);
	assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (2)", &st), 0);
	assert_int_equal(db_step(st), -1);
	db_finalize(st);
	assert_int_equal(db_prepare(f->db, "INSERT INTO item (v) VALUES (3)", &st), 0);
	assert_int_equal(db_step(st), -1); /* not run outside the transaction */
	db_finalize(st);
	assert_int_equal(db_commit(f->db), -1);
	db_rollback(f->db);
	assert_int_equal(db_query_i64(f->db, "SELECT count(*) FROM item", NULL, &n), 0);
	assert_int_equal(n, 0);
	/* and the next transaction works */
	assert_int_equal(db_begin(f->db), 0);
	ex(f->db, "INSERT INTO item (v) VALUES (4)");
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(db_query_i64(f->db, "SELECT count(*) FROM item", NULL, &n), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
