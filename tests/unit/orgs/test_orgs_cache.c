/* test_orgs_cache.c: the organisation tree kept in memory (src/orgs/cache.c)
 * is used only while the database's change mark (migration 0020) is the one
 * it was loaded under. A change through the store, a hand-written SQL change,
 * a change by a second connection (as another node would make it) and a
 * rolled-back change are each seen right on the next read (by a page that
 * only shows the tree, within ORGS_RECENT_MS: test_recent); two databases
 * whose trees had as many changes do not share a cached tree. The load
 * counter tells a cache hit from a reload, so that the tests also fail when
 * the cache is never used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "orgs/cache.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

#define ACTOR "cli:test"

static int setup(void **state)
{
	struct testfx *f = xcalloc(1, sizeof *f);
	testfx_open(f);
	orgs_cache_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct testfx *f = *state;
	testfx_close(f);
	free(f);
	orgs_cache_clear();
	orgs_cache_set_recent_ms(ORGS_RECENT_MS);
	return 0;
}

static void recent_name(db_t *db, const char *code, char *out, size_t cap)
{
	struct org_table t;
	org_table_init(&t);
	if (orgs_load_recent(db, &t) != 0)
		fail_msg("orgs_load_recent: %s", db_error(db)->msg);
	const struct org *o = org_find_open(&t, code);
	snprintf(out, cap, "%s", o ? o->name : "");
	org_table_free(&t);
}

/* The name of the organisation with code open today, read through orgs_load
 * on db; "" when there is none. */
static void name_of(db_t *db, const char *code, char *out, size_t cap)
{
	struct org_table t;
	org_table_init(&t);
	if (orgs_load(db, &t) != 0)
		fail_msg("orgs_load: %s", db_error(db)->msg);
	const struct org *o = org_find_open(&t, code);
	snprintf(out, cap, "%s", o ? o->name : "");
	org_table_free(&t);
}

static void rename_org(struct testfx *f, const char *code, const char *to, const char *name)
{
	struct org_successor s = {.code = to, .name = name};
	struct org_change c = {.op = ORG_OP_RENAME, .on = "2020-01-01", .code = code,
			       .into = &s, .ninto = 1, .kind = -1, .scope = -1};
	struct org_error e;
	if (orgs_change(f->db, &f->signer, ACTOR, &c, NULL, NULL, &e) != 0)
		fail_msg("rename: %s", e.msg);
}

static void test_hit_then_change_through_store(void **state)
{
	struct testfx *f = *state;
	char name[ORG_NAME_MAX + 1];
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(f, "EZK", "RIJK", -1);
	name_of(f->db, "EZK", name, sizeof name);
	assert_string_equal(name, "EZK");
	uint64_t loads = orgs_cache_loads();
	/* unchanged: the next reads come from memory, loads and lookups alike */
	name_of(f->db, "EZK", name, sizeof name);
	assert_string_equal(name, "EZK");
	struct org o;
	assert_int_equal(orgs_lookup(f->db, "ezk", "2015-01-01", &o), 0);
	assert_string_equal(o.code, "EZK");
	assert_int_equal(orgs_lookup(f->db, "EZK", "2009-12-31", &o), 1);
	assert_int_equal(orgs_lookup(f->db, "NOPE", "2015-01-01", &o), 1);
	assert_int_equal(orgs_cache_loads(), loads);

	rename_org(f, "EZK", "EZK2", "Economische Zaken 2");
	name_of(f->db, "EZK2", name, sizeof name);
	assert_string_equal(name, "Economische Zaken 2");
	name_of(f->db, "EZK", name, sizeof name);
	assert_string_equal(name, ""); /* closed on 2020-01-01 */
	assert_int_equal(orgs_lookup(f->db, "EZK2", "2021-01-01", &o), 0);
	assert_string_equal(o.name, "Economische Zaken 2");
	assert_int_equal(orgs_lookup(f->db, "EZK", "2021-01-01", &o), 1);
	assert_true(orgs_cache_loads() > loads);
	/* the rename's own load happened in its write transaction; one reload after */
	assert_true(orgs_cache_loads() <= loads + 2);
}

/* A second connection stands for another node or `probity org` run beside
 * the server: its changes, even by plain SQL, are seen by the first. */
static void test_change_by_another_connection(void **state)
{
	struct testfx *f = *state;
	char name[ORG_NAME_MAX + 1];
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(f, "BZK", "RIJK", -1);
	db_t *other = testdb_open(f->db_path, 0, 1000);
	name_of(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "BZK");

	testdb_exec(other, "UPDATE org SET name = 'Binnenlandse Zaken' WHERE code = 'BZK'");
	name_of(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "Binnenlandse Zaken");
	struct org o;
	assert_int_equal(orgs_lookup(f->db, "BZK", "2020-01-01", &o), 0);
	assert_string_equal(o.name, "Binnenlandse Zaken");

	/* a link alone changes the mark too */
	int64_t n0 = testdb_i64(f->db, "SELECT n FROM org_generation");
	testdb_exec(other, "INSERT INTO org (code, name, kind, parent_id, valid_from) "
		    "SELECT 'BZK2', 'B', 'department', id, '2030-01-01' FROM org WHERE code = 'RIJK'");
	testdb_exec(other, "INSERT INTO org_link (predecessor_id, successor_id, kind, on_date) "
		    "SELECT a.id, b.id, 'rename', '2030-01-01' FROM org a, org b "
		    "WHERE a.code = 'BZK' AND b.code = 'BZK2'");
	assert_int_equal(testdb_i64(f->db, "SELECT n FROM org_generation"), n0 + 2);
	struct org_table t;
	org_table_init(&t);
	assert_int_equal(orgs_load(f->db, &t), 0);
	assert_int_equal(t.nlinks, 1);
	org_table_free(&t);

	testdb_exec(other, "DELETE FROM org_link");
	org_table_init(&t);
	assert_int_equal(orgs_load(f->db, &t), 0);
	assert_int_equal(t.nlinks, 0);
	org_table_free(&t);
	db_close(other);
}

/* A page that only shows the tree (orgs_load_recent) may see another
 * connection's change up to the interval late, and sees it once the interval
 * is over; what decides (orgs_load, orgs_lookup) sees it at once, and a
 * change by this process's store is shown at once. The stale read is what
 * proves the mark was not read (a read would have seen the change). */
static void test_recent(void **state)
{
	struct testfx *f = *state;
	char name[ORG_NAME_MAX + 1];
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(f, "BZK", "RIJK", -1);
	db_t *other = testdb_open(f->db_path, 0, 1000);
	orgs_cache_set_recent_ms(60000); /* long enough for a slow machine */
	recent_name(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "BZK");

	testdb_exec(other, "UPDATE org SET name = 'One' WHERE code = 'BZK'");
	recent_name(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "BZK"); /* within the interval: the mark not read */
	name_of(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "One"); /* orgs_load reads it */
	struct org o;
	assert_int_equal(orgs_lookup(f->db, "BZK", "2020-01-01", &o), 0);
	assert_string_equal(o.name, "One");
	/* the tree held is no longer the one confirmed: read again, not served */
	recent_name(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "One");

	testdb_exec(other, "UPDATE org SET name = 'Two' WHERE code = 'BZK'");
	recent_name(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "One");
	orgs_cache_set_recent_ms(100);
	struct timespec ts = {0, 150 * 1000000L};
	nanosleep(&ts, NULL);
	recent_name(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "Two"); /* the interval is over: the change shows */

	/* this process's own change shows at once, whatever the interval */
	orgs_cache_set_recent_ms(60000);
	recent_name(f->db, "BZK", name, sizeof name);
	rename_org(f, "BZK", "BZK3", "Drie");
	recent_name(f->db, "BZK3", name, sizeof name);
	assert_string_equal(name, "Drie");
	recent_name(f->db, "BZK", name, sizeof name);
	assert_string_equal(name, "");
	db_close(other);
}

/* A tree read inside a transaction that is then rolled back must not be
 * served afterwards: the mark it was cached under never commits. */
static void test_rollback_not_served(void **state)
{
	struct testfx *f = *state;
	char name[ORG_NAME_MAX + 1];
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(f, "FIN", "RIJK", -1);
	name_of(f->db, "FIN", name, sizeof name);
	assert_int_equal(db_begin(f->db), 0);
	testdb_exec(f->db, "UPDATE org SET name = 'Never' WHERE code = 'FIN'");
	name_of(f->db, "FIN", name, sizeof name);
	assert_string_equal(name, "Never");
	db_rollback(f->db);
	name_of(f->db, "FIN", name, sizeof name);
	assert_string_equal(name, "FIN");
	struct org o;
	assert_int_equal(orgs_lookup(f->db, "FIN", "2020-01-01", &o), 0);
	assert_string_equal(o.name, "FIN");
	/* the next committed change counts as many changes as the rolled-back one */
	name_of(f->db, "FIN", name, sizeof name);
	assert_int_equal(db_begin(f->db), 0);
	testdb_exec(f->db, "UPDATE org SET name = 'Never' WHERE code = 'FIN'");
	name_of(f->db, "FIN", name, sizeof name);
	db_rollback(f->db);
	testdb_exec(f->db, "UPDATE org SET name = 'Later' WHERE code = 'FIN'");
	name_of(f->db, "FIN", name, sizeof name);
	assert_string_equal(name, "Later");
}

/* Two databases with as many changes each (the same counter) but other
 * trees, read in turn by one process: each gets its own. */
static void test_two_databases(void **state)
{
	struct testfx *f = *state;
	struct testfx g = {0};
	testfx_open(&g);
	char name[ORG_NAME_MAX + 1];
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(f, "EZK", "RIJK", -1);
	testfx_add_org(&g, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&g, "OCW", "RIJK", -1);
	assert_int_equal(testdb_i64(f->db, "SELECT n FROM org_generation"),
			 testdb_i64(g.db, "SELECT n FROM org_generation"));
	for (int i = 0; i < 2; i++) {
		name_of(f->db, "EZK", name, sizeof name);
		assert_string_equal(name, "EZK");
		name_of(g.db, "EZK", name, sizeof name);
		assert_string_equal(name, "");
		name_of(g.db, "OCW", name, sizeof name);
		assert_string_equal(name, "OCW");
		struct org o;
		assert_int_equal(orgs_lookup(f->db, "OCW", "2020-01-01", &o), 1);
	}
	testfx_close(&g);
}

/* A damaged mark is an error, not a silent fallback to a stale tree. */
static void test_damaged_mark(void **state)
{
	struct testfx *f = *state;
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testdb_exec(f->db, "DELETE FROM org_generation");
	struct org_table t;
	org_table_init(&t);
	assert_int_equal(orgs_load(f->db, &t), -1);
	assert_non_null(strstr(db_error(f->db)->msg, "change mark"));
	org_table_free(&t);
	struct org o;
	assert_int_equal(orgs_lookup(f->db, "RIJK", "2020-01-01", &o), -1);
}

/* Readers on connections of their own (as the server's worker threads) while
 * a writer renames: every read is whole (as many rows as there are) and
 * names one of the names written, and after the last change every reader
 * sees it (its final read starts after the writer is done). Failures are counted, not asserted, off the main thread; ASan
 * sees a tree freed under a reader. */
#define READERS 4
#define ROUNDS 150

static atomic_int writer_done;

struct reader {
	const char *path;
	int failures;
	char last[ORG_NAME_MAX + 1];
};

static void *read_loop(void *arg)
{
	struct reader *r = arg;
	struct db_options opt = {.busy_timeout_ms = 5000};
	struct db_error err;
	db_t *db;
	if (db_open(r->path, 0, &opt, &db, &err) != 0) {
		r->failures++;
		return NULL;
	}
	/* at least ROUNDS reads, and on until the writer is done */
	for (int i = 0; i < ROUNDS || !atomic_load(&writer_done); i++) {
		struct org_table t;
		org_table_init(&t);
		const struct org *o = NULL;
		if (orgs_load(db, &t) != 0 || t.nrows != 2 || !(o = org_find_open(&t, "FIN")) ||
		    strncmp(o->name, "Name ", 5) != 0)
			r->failures++;
		org_table_free(&t);
		struct org one;
		if (orgs_lookup(db, "FIN", "2020-01-01", &one) != 0)
			r->failures++;
	}
	struct org_table t;
	org_table_init(&t);
	const struct org *o = orgs_load(db, &t) == 0 ? org_find_open(&t, "FIN") : NULL;
	snprintf(r->last, sizeof r->last, "%s", o ? o->name : "");
	org_table_free(&t);
	db_close(db);
	return NULL;
}

static void test_threads(void **state)
{
	struct testfx *f = *state;
	testfx_add_org(f, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(f, "FIN", "RIJK", -1);
	testdb_exec(f->db, "UPDATE org SET name = 'Name 0' WHERE code = 'FIN'");
	if (getenv("PROBITY_TEST_PG"))
		skip(); /* the readers open the path as SQLite; the PG mapping is testutil's */
	struct reader r[READERS];
	pthread_t th[READERS];
	atomic_store(&writer_done, 0);
	for (int i = 0; i < READERS; i++) {
		r[i] = (struct reader){.path = f->db_path};
		assert_int_equal(pthread_create(&th[i], NULL, read_loop, &r[i]), 0);
	}
	char sql[80];
	for (int k = 1; k <= 20; k++) {
		snprintf(sql, sizeof sql, "UPDATE org SET name = 'Name %d' WHERE code = 'FIN'", k);
		testdb_exec(f->db, sql);
	}
	atomic_store(&writer_done, 1);
	for (int i = 0; i < READERS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].failures, 0);
		assert_string_equal(r[i].last, "Name 20");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_then_change_through_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_by_another_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_not_served, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_databases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
