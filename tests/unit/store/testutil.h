/* testutil.h: temporary folders and databases for the unit tests of src/store
 * and src/crypto. Every test works in its own mkdtemp folder, removed afterwards,
 * so that tests never share files and leave nothing behind. */
#ifndef TESTS_UNIT_STORE_TESTUTIL_H
#define TESTS_UNIT_STORE_TESTUTIL_H
#include <stddef.h>
#include <stdint.h>

#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "store/db.h"

/* Creates a fresh folder under $TMPDIR (or /tmp); returns its malloc'd path. */
char *tmpdir_make(void);
/* Removes the folder and everything in it, then frees dir. NULL is ignored. */
void tmpdir_remove(char *dir);
/* Returns the malloc'd path dir/name. */
char *tmpdir_path(const char *dir, const char *name);
/* Writes n bytes to path (created or truncated with mode). Aborts on failure. */
void write_file_bytes(const char *path, const void *data, size_t n, unsigned mode);
/* Reads a whole small file into a malloc'd, NUL-terminated buffer; returns NULL if
 * it cannot be read. *n gets the length when n is not NULL. */
char *read_file_bytes(const char *path, size_t *n);
/* Returns 1 if path exists (without following a final symlink), else 0. */
int path_exists(const char *path);
/* Counts the entries of dir other than "." and "..". */
int dir_count(const char *dir);

/* 1 when the tests' database paths stand for databases on PostgreSQL
 * (PROBITY_TEST_PG names a cluster: scripts/pg-test-cluster run), else 0. */
int testdb_pg(void);
/* For a test of SQLite itself (its files, pragmas, write-ahead log, backup
 * copies): on PostgreSQL it says why and skips the rest of the test, so that
 * every skip in a PostgreSQL run is explained. Checks before it ran on both. */
#define SQLITE_ONLY(why)                                                  \
	do {                                                              \
		if (testdb_pg()) {                                        \
			print_message("[ SQLITE ONLY ] %s\n", why);      \
			skip();                                           \
		}                                                         \
	} while (0)
/* For the part of a test that reads SQLite's files (a scan of the database
 * file and its log for plaintext): 1 on SQLite; on PostgreSQL it says why
 * the part is left out and returns 0, and the rest of the test runs. */
int testdb_sqlite_part(const char *why);
/* A copy of the database at src_path (closed: no connection open) at
 * dst_path, which must not exist: SQLite's db_backup, on PostgreSQL a
 * CREATE DATABASE from the other as its template. Fails the test on error. */
void testdb_copy(const char *src_path, const char *dst_path);

/* Opens (creating) path, applies every migration; fails the test on error. */
db_t *testdb_create(const char *path);
/* Opens path with flags; fails the test on error. */
db_t *testdb_open(const char *path, unsigned flags, int busy_timeout_ms);
/* Runs sql and returns the integer in the first column of the first row; fails
 * the test on error. */
int64_t testdb_i64(db_t *db, const char *sql);
/* Runs sql; fails the test (printing the database's message) on error. */
void testdb_exec(db_t *db, const char *sql);

/* A fresh folder with a migrated database and a signing key: what a feature's
 * store tests start from. */
struct testfx {
	char *dir;
	char *db_path, *key_path;
	db_t *db;
	struct signkey key;
	struct audit_signer signer;  /* checkpoints every 4 entries */
};
/* Fills fx; fails the test on any error. */
void testfx_open(struct testfx *fx);
/* Adds an organisation valid from 2010-01-01, named by its code; kind -1
 * lets the model choose from the parent. Fails the test on error. */
void testfx_add_org(struct testfx *fx, const char *code, const char *parent, int kind);
/* Closes the database, wipes the key and removes the folder. */
void testfx_close(struct testfx *fx);

#endif
