/* testutil.c: see testutil.h. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "orgs/orgs.h"
#include "store/migrate.h"

char *tmpdir_make(void)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	char *dir = xasprintf("%s/probity-test-XXXXXX", base);
	if (!mkdtemp(dir)) {
		print_error("mkdtemp %s: %s\n", dir, strerror(errno));
		free(dir);
		fail();
	}
	return dir;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT)
		print_error("cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static void pg_drop_under(const char *dir);

void tmpdir_remove(char *dir)
{
	if (!dir)
		return;
	pg_drop_under(dir);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *tmpdir_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

void write_file_bytes(const char *path, const void *data, size_t n, unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

char *read_file_bytes(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *p = xmalloc(cap + 1);
	size_t r;
	while ((r = fread(p + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			p = xrealloc(p, cap + 1);
		}
	}
	fclose(f);
	p[len] = 0;
	if (n)
		*n = len;
	return p;
}

int path_exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

int dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* With PROBITY_TEST_PG set (scripts/pg-test-cluster run), a test's database
 * file path stands for a database of its own on that cluster, named by a
 * hash of the path and created with DB_OPEN_CREATE: the feature stores'
 * tests run on PostgreSQL unchanged. */
int testdb_pg(void)
{
	const char *base = getenv("PROBITY_TEST_PG");
	if (base && *base)
		return 1;
	if (getenv("PROBITY_TEST_REQUIRE_PG")) {
		/* meson test --setup pg without a cluster: not a silent SQLite run
		 * (as tests/http/harness.c) */
		fprintf(stderr, "PROBITY_TEST_PG is not set: run the pg setup under "
				"scripts/pg-test-cluster run\n");
		exit(1);
	}
	return 0;
}

int testdb_sqlite_part(const char *why)
{
	if (!testdb_pg())
		return 1;
	print_message("[ SQLITE ONLY ] part left out: %s\n", why);
	return 0;
}

/* The database name a path stands for on PostgreSQL. */
static void pg_name(const char *path, char name[32])
{
	unsigned long long h = 1469598103934665603ull;
	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	snprintf(name, 32, "u_%016llx", h);
}

/* Runs sql on the cluster's first database; "already exists" is accepted
 * when exists_ok. Fails the test on any other error. */
static void pg_admin(const char *sql, int exists_ok)
{
	db_t *admin;
	struct db_error err;
	if (db_open(getenv("PROBITY_TEST_PG"), 0, NULL, &admin, &err) != 0) {
		print_error("PROBITY_TEST_PG: %s\n", err.msg);
		fail();
	}
	if (db_exec(admin, sql) != 0 &&
	    !(exists_ok && strstr(db_error(admin)->msg, "already exists"))) {
		print_error("%s: %s\n", sql, db_error(admin)->msg);
		db_close(admin);
		fail();
	}
	db_close(admin);
}

/* The databases made on the cluster for paths, so that removing a test's
 * folder drops those of its paths too: each is several MB (a copy of
 * template1 and the schema), and a run of the unit suite makes hundreds. */
struct made {
	char *path;
	char name[32];
};
static struct made *made;
static size_t nmade;

static void remember(const char *path, const char *name)
{
	for (size_t i = 0; i < nmade; i++)
		if (!strcmp(made[i].name, name))
			return;
	made = xrealloc(made, (nmade + 1) * sizeof *made);
	made[nmade].path = xstrdup(path);
	snprintf(made[nmade].name, sizeof made[nmade].name, "%s", name);
	nmade++;
}

/* Drops the databases of the paths under dir (WITH (FORCE): a connection the
 * test left open ends with it). A failure is said, not fatal: the cluster is
 * thrown away afterwards anyway. */
static void pg_drop_under(const char *dir)
{
	size_t n = strlen(dir), keep = 0;
	db_t *admin = NULL;
	struct db_error err;
	for (size_t i = 0; i < nmade; i++) {
		if (strncmp(made[i].path, dir, n) != 0 || made[i].path[n] != '/') {
			made[keep++] = made[i];
			continue;
		}
		char sql[96];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", made[i].name);
		if (!admin && db_open(getenv("PROBITY_TEST_PG"), 0, NULL, &admin, &err) != 0) {
			print_error("PROBITY_TEST_PG: %s\n", err.msg);
			admin = NULL;
		}
		if (admin && db_exec(admin, sql) != 0)
			print_error("%s: %s\n", sql, db_error(admin)->msg);
		free(made[i].path);
	}
	nmade = keep;
	if (!nmade) {
		free(made);
		made = NULL;
	}
	db_close(admin);
}

static const char *pg_target(const char *path, unsigned flags, char *url, size_t cap)
{
	if (!testdb_pg())
		return path;
	const char *base = getenv("PROBITY_TEST_PG");
	char name[32];
	pg_name(path, name);
	const char *slash = strchr(strstr(base, "://") + 3, '/');
	snprintf(url, cap, "%.*s/%s", (int)(slash - base), base, name);
	if (flags & DB_OPEN_CREATE) {
		char sql[80];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		pg_admin(sql, 1);
		remember(path, name);
	}
	return url;
}

void testdb_copy(const char *src_path, const char *dst_path)
{
	if (testdb_pg()) {
		/* a template must have no connection: the caller closed its own */
		char src[32], dst[32], sql[120];
		pg_name(src_path, src);
		pg_name(dst_path, dst);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", dst, src);
		pg_admin(sql, 0);
		remember(dst_path, dst);
		return;
	}
	db_t *db = testdb_open(src_path, DB_OPEN_READONLY, 1000);
	if (db_backup(db, dst_path) != 0) {
		print_error("backup %s: %s\n", src_path, db_error(db)->msg);
		db_close(db);
		fail();
	}
	db_close(db);
}

db_t *testdb_open(const char *path, unsigned flags, int busy_timeout_ms)
{
	struct db_options opt = {.busy_timeout_ms = busy_timeout_ms};
	struct db_error err;
	db_t *db = NULL;
	char url[600];
	path = pg_target(path, flags, url, sizeof url);
	if (db_open(path, flags, &opt, &db, &err) != 0) {
		print_error("db_open %s: %s\n", path, err.msg);
		fail();
	}
	assert_non_null(db);
	return db;
}

db_t *testdb_create(const char *path)
{
	db_t *db = testdb_open(path, DB_OPEN_CREATE, 1000);
	if (migrate_up(db, NULL, NULL) != 0) {
		print_error("migrate_up: %s\n", db_error(db)->msg);
		fail();
	}
	return db;
}

int64_t testdb_i64(db_t *db, const char *sql)
{
	int64_t v = -12345;
	if (db_query_i64(db, sql, NULL, &v) != 0) {
		print_error("%s: %s\n", sql, db_error(db)->msg);
		fail();
	}
	return v;
}

void testdb_exec(db_t *db, const char *sql)
{
	if (db_exec(db, sql) != 0) {
		print_error("%s: %s\n", sql, db_error(db)->msg);
		fail();
	}
}

void testfx_open(struct testfx *fx)
{
	char err[600];
	memset(fx, 0, sizeof *fx);
	fx->dir = tmpdir_make();
	fx->db_path = tmpdir_path(fx->dir, "test.db");
	fx->key_path = tmpdir_path(fx->dir, "test.key");
	fx->db = testdb_create(fx->db_path);
	if (signkey_create(fx->key_path, err, sizeof err) != 0 ||
	    signkey_load(fx->key_path, &fx->key, err, sizeof err) != 0) {
		print_error("signing key: %s\n", err);
		fail();
	}
	fx->signer = (struct audit_signer){.key = &fx->key, .interval = 4};
}

void testfx_close(struct testfx *fx)
{
	db_close(fx->db);
	signkey_wipe(&fx->key);
	free(fx->db_path);
	free(fx->key_path);
	tmpdir_remove(fx->dir);
	memset(fx, 0, sizeof *fx);
}

void testfx_add_org(struct testfx *fx, const char *code, const char *parent, int kind)
{
	struct org_error e;
	struct org_change c = {.op = ORG_OP_ADD, .on = "2010-01-01", .code = code, .name = code,
			       .parent = parent, .kind = kind, .scope = -1};
	if (orgs_change(fx->db, &fx->signer, "cli:test", &c, NULL, NULL, &e) != 0) {
		print_error("org %s: %s\n", code, e.msg);
		fail();
	}
}
