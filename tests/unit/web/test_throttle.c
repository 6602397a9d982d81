/* test_throttle.c: token buckets per client key, in the database. The
 * arithmetic alone; then the store on SQLite, and on PostgreSQL when
 * PROBITY_TEST_PG names a throw-away cluster (scripts/pg-test-cluster run
 * meson test ...; each test gets a database of its own, as store_pg's do). */
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

#include "store/migrate.h"
#include "store/testutil.h"
#include "web/throttle.h"

/* ---- the arithmetic ---- */

static void test_step(void **state)
{
	(void)state;
	double tokens = 3, at = 100; /* 3 at once, then one per 10 s */
	for (int i = 0; i < 3; i++)
		assert_int_equal(throttle_step(3, 0.1, &tokens, &at, 100, 1), 0);
	int wait = throttle_step(3, 0.1, &tokens, &at, 100, 1);
	assert_true(wait >= 9 && wait <= 11);
	/* after 10.5 s one attempt is back, not more */
	assert_int_equal(throttle_step(3, 0.1, &tokens, &at, 110.5, 1), 0);
	assert_true(throttle_step(3, 0.1, &tokens, &at, 110.5, 1) > 0);
	/* a long pause refills to the burst, never above */
	for (int i = 0; i < 3; i++)
		assert_int_equal(throttle_step(3, 0.1, &tokens, &at, 10000, 1), 0);
	assert_true(throttle_step(3, 0.1, &tokens, &at, 10000, 1) > 0);
	/* a clock that steps back gives nothing back, and takes nothing either */
	assert_true(throttle_step(3, 0.1, &tokens, &at, 5000, 1) > 0);
	assert_true(at == 10000);
	/* waiting (take 0) never changes the count */
	tokens = 1;
	at = 0;
	for (int i = 0; i < 5; i++)
		assert_int_equal(throttle_step(3, 0.001, &tokens, &at, 0, 0), 0);
	assert_int_equal(throttle_step(3, 0.001, &tokens, &at, 0, 1), 0);
	assert_int_equal(throttle_step(3, 0.001, &tokens, &at, 0, 0), 1001); /* rounded up */
}

/* ---- the store, on either engine ---- */

struct fx {
	char *dir;        /* SQLite: the folder */
	char path[512];   /* SQLite: the file; PostgreSQL: the URL */
	char pgname[32];  /* PostgreSQL: the test's database */
	db_t *db;
};

static const char *pg_base(void)
{
	const char *u = getenv("PROBITY_TEST_PG");
	return u && *u ? u : NULL;
}

static db_t *open_target(const char *target)
{
	db_t *db;
	struct db_error err;
	struct db_options opt = {.busy_timeout_ms = 2000};
	if (db_open(target, 0, &opt, &db, &err) != 0) {
		print_error("db_open %s: %s\n", target, err.msg);
		return NULL;
	}
	return db;
}

static int pg_admin(const char *sql)
{
	db_t *db = open_target(pg_base());
	if (!db)
		return -1;
	int rc = db_exec(db, sql);
	if (rc != 0)
		print_error("%s: %s\n", sql, db_error(db)->msg);
	db_close(db);
	return rc;
}

static int setup_sqlite(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->dir = tmpdir_make();
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->db = testdb_create(f->path);
	*state = f;
	return 0;
}

static int setup_pg(void **state)
{
	*state = NULL;
	if (!pg_base())
		return 0;
	struct fx *f = calloc(1, sizeof *f);
	unsigned char r[6];
	int fd = open("/dev/urandom", O_RDONLY);
	if (!f || fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r)
		return -1;
	close(fd);
	snprintf(f->pgname, sizeof f->pgname, "t_%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
		 r[4], r[5]);
	const char *b = pg_base(), *slash = strchr(strstr(b, "://") + 3, '/');
	snprintf(f->path, sizeof f->path, "%.*s/%s", (int)(slash - b), b, f->pgname);
	char sql[96];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pgname);
	if (pg_admin(sql) != 0)
		return -1;
	*state = f;
	/* the migration runs on PostgreSQL too, through the engine's translation */
	f->db = open_target(f->path);
	if (!f->db || migrate_up(f->db, NULL, NULL) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	db_close(f->db);
	if (f->pgname[0]) {
		char sql[96];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->pgname);
		pg_admin(sql);
	} else {
		tmpdir_remove(f->dir);
	}
	free(f);
	return 0;
}

/* The fixture, or NULL (skipped) on PostgreSQL without a cluster. */
static struct fx *fx(void **state)
{
	struct fx *f = *state;
	if (!f)
		skip();
	return f;
}

static int64_t rows(db_t *db)
{
	return testdb_i64(db, "SELECT count(*) FROM throttle_bucket");
}

static void test_burst_then_wait(void **state)
{
	struct fx *f = fx(state);
	if (!f)
		return;
	struct throttle t;
	throttle_init(&t, "test", 3, 0.1);
	unsigned char a[HTTP_CLIENT_KEY_BYTES] = {1}, b[HTTP_CLIENT_KEY_BYTES] = {2};
	double now = 1.7e9; /* wall-clock seconds, as throttle_now gives */
	assert_int_equal(rows(f->db), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(throttle_take(&t, f->db, a, now), 0);
	int wait = throttle_take(&t, f->db, a, now);
	assert_true(wait >= 9 && wait <= 11);
	assert_true(throttle_wait(&t, f->db, a, now) > 0);
	/* another client is not affected, nor another bucket name */
	assert_int_equal(throttle_wait(&t, f->db, b, now), 0);
	struct throttle other;
	throttle_init(&other, "other", 3, 0.1);
	assert_int_equal(throttle_wait(&other, f->db, a, now), 0);
	/* after 10.5 s one attempt is back, not more: the fixed-point columns
	 * lose nothing that would give one more */
	assert_int_equal(throttle_wait(&t, f->db, a, now + 10.5), 0);
	assert_int_equal(throttle_take(&t, f->db, a, now + 10.5), 0);
	assert_true(throttle_take(&t, f->db, a, now + 10.5) > 0);
	/* waiting takes nothing */
	for (int i = 0; i < 10; i++)
		assert_int_equal(throttle_wait(&t, f->db, b, now), 0);
	assert_int_equal(rows(f->db), 1); /* only the client that failed */
}

/* Two connections are two nodes: they draw on one budget. */
static void test_shared_between_connections(void **state)
{
	struct fx *f = fx(state);
	if (!f)
		return;
	/* testdb_open: with PROBITY_TEST_PG set, the "SQLite" fixture's path
	 * names a database on the cluster (store/testutil.c) */
	db_t *other = f->pgname[0] ? open_target(f->path) : testdb_open(f->path, 0, 2000);
	if (!other) {
		fail_msg("second connection");
		return;
	}
	struct throttle t;
	throttle_init(&t, "login", 4, 0.01);
	unsigned char a[HTTP_CLIENT_KEY_BYTES] = {9};
	double now = 1.7e9;
	assert_int_equal(throttle_take(&t, f->db, a, now), 0);
	assert_int_equal(throttle_take(&t, other, a, now), 0);
	assert_int_equal(throttle_take(&t, f->db, a, now), 0);
	assert_int_equal(throttle_take(&t, other, a, now), 0);
	/* four in all, not four per connection */
	assert_true(throttle_wait(&t, f->db, a, now) > 0);
	assert_true(throttle_wait(&t, other, a, now) > 0);
	assert_true(throttle_take(&t, other, a, now) > 0);
	db_close(other);
}

/* A row lives only while its bucket is short of full. */
static void test_prune(void **state)
{
	struct fx *f = fx(state);
	if (!f)
		return;
	struct throttle t;
	throttle_init(&t, "test", 2, 1); /* full again 2 s after the last failure */
	double now = 1.7e9;
	for (unsigned char k = 1; k <= 5; k++) {
		unsigned char key[HTTP_CLIENT_KEY_BYTES] = {k};
		assert_int_equal(throttle_take(&t, f->db, key, now), 0);
	}
	assert_int_equal(rows(f->db), 5);
	/* one second on, not yet full: nothing goes */
	unsigned char z[HTTP_CLIENT_KEY_BYTES] = {99};
	assert_int_equal(throttle_take(&t, f->db, z, now + 0.5), 0);
	assert_int_equal(rows(f->db), 6);
	/* later, the five are full again: the next write removes them */
	assert_int_equal(throttle_take(&t, f->db, z, now + 1.2), 0);
	assert_int_equal(rows(f->db), 1);
	/* another bucket's rows are not its to remove */
	struct throttle o;
	throttle_init(&o, "other", 2, 1);
	assert_int_equal(throttle_take(&o, f->db, z, now + 100), 0);
	assert_int_equal(rows(f->db), 2);
	/* a write removes at most THROTTLE_PRUNE rows */
	for (int i = 0; i < THROTTLE_PRUNE + 10; i++) {
		unsigned char key[HTTP_CLIENT_KEY_BYTES] = {1, (unsigned char)i};
		assert_int_equal(throttle_take(&t, f->db, key, now + 200), 0);
	}
	assert_int_equal(testdb_i64(f->db, "SELECT count(*) FROM throttle_bucket WHERE bucket = 'test'"),
			 THROTTLE_PRUNE + 10);
	assert_int_equal(throttle_take(&t, f->db, z, now + 300), 0);
	assert_int_equal(testdb_i64(f->db, "SELECT count(*) FROM throttle_bucket WHERE bucket = 'test'"),
			 10 + 1);
}

/* Past the cap, unknown clients share one overflow bucket; the table stops
 * growing and known clients keep their own. */
static void test_cap_overflow(void **state)
{
	struct fx *f = fx(state);
	if (!f)
		return;
	struct throttle t;
	throttle_init(&t, "test", 2, 0.001);
	t.cap = 3;
	double now = 1.7e9;
	unsigned char k[HTTP_CLIENT_KEY_BYTES] = {0};
	for (unsigned char i = 1; i <= 3; i++) {
		k[0] = i;
		assert_int_equal(throttle_take(&t, f->db, k, now), 0);
	}
	assert_int_equal(rows(f->db), 3);
	/* a rotating attacker: fresh keys, each failing once */
	int refused = 0;
	for (int i = 0; i < 50; i++) {
		k[0] = 100;
		k[1] = (unsigned char)i;
		if (throttle_wait(&t, f->db, k, now) > 0)
			refused++;
		else
			throttle_take(&t, f->db, k, now);
	}
	/* the overflow bucket's two, then nothing for any new key */
	assert_int_equal(refused, 48);
	assert_int_equal(rows(f->db), 4);
	assert_int_equal(testdb_i64(f->db, "SELECT count(*) FROM throttle_bucket WHERE client = "
				    "X'6f766572666c6f77206275636b657400'"), 1);
	/* a known client still has its own bucket */
	k[0] = 1;
	k[1] = 0;
	assert_int_equal(throttle_wait(&t, f->db, k, now), 0);
	/* and a new one is refused */
	k[0] = 200;
	assert_true(throttle_take(&t, f->db, k, now) > 0);
	assert_int_equal(rows(f->db), 4);
}

/* A database error denies, it never allows. */
static void test_fail_closed(void **state)
{
	struct fx *f = fx(state);
	if (!f)
		return;
	struct throttle t;
	throttle_init(&t, "test", 10, 1);
	unsigned char a[HTTP_CLIENT_KEY_BYTES] = {5};
	assert_int_equal(throttle_wait(&t, NULL, a, 1.7e9), THROTTLE_EDB);
	assert_int_equal(throttle_take(&t, NULL, a, 1.7e9), THROTTLE_EDB);
	testdb_exec(f->db, "DROP TABLE throttle_bucket");
	assert_int_equal(throttle_wait(&t, f->db, a, 1.7e9), THROTTLE_EDB);
	assert_int_equal(throttle_take(&t, f->db, a, 1.7e9), THROTTLE_EDB);
	/* no transaction is left open: the connection still writes */
	testdb_exec(f->db, "CREATE TABLE after_failure (x INTEGER)");
}

#define BOTH(fn)                                                                                   \
	cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown),                               \
		cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step),
		BOTH(test_burst_then_wait),
		BOTH(test_shared_between_connections),
		BOTH(test_prune),
		BOTH(test_cap_overflow),
		BOTH(test_fail_closed),
	};
	return cmocka_run_group_tests_name("throttle", tests, NULL, NULL);
}
