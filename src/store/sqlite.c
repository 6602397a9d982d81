/* sqlite.c: the SQLite engine, the embedded default. The only file that calls
 * sqlite3_*.
 *
 * Every connection runs in WAL mode (readers never block the writer), with
 * foreign keys on, synchronous=FULL (a committed transaction survives power
 * loss, so an acknowledged report is never lost), secure_delete (deleted
 * content is overwritten, not left in free pages) and the defensive flag (no
 * writable_schema tricks).
 *
 * Statements: preparing one (parsing and planning its SQL) was a quarter to
 * a third of the CPU of the busiest pages (docs/performance.md), and the same
 * few hundred SQL texts run on every request. So each connection keeps up to
 * CACHE_MAX prepared statements by their SQL text (SQLITE_PREPARE_PERSISTENT):
 * db_prepare takes an idle one, db_finalize resets it, clears its bindings and
 * gives it back. A caller sees a fresh statement either way. Two live uses of
 * one SQL text (a loop that runs a query inside another's rows) get two
 * statements: only an idle one is handed out. When the cache is full an idle
 * one is finalised to make room (round robin); when all are in use the new
 * one is simply not kept. A schema change (a migration) re-prepares a cached
 * statement by itself (sqlite3_prepare_v3). */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "store/engine.h"

#define CACHE_MAX 128

struct slot {
	char *sql;           /* NULL: empty */
	unsigned hash;
	int busy;            /* handed out, not yet finalised */
	sqlite3_stmt *s;
};

struct sqconn {
	sqlite3 *c;
	struct slot cache[CACHE_MAX];
	unsigned clock;      /* where the next eviction looks first */
};

#define CONN(db) ((db)->impl ? ((struct sqconn *)(db)->impl)->c : NULL)
#define STMT(st) ((sqlite3_stmt *)(st)->impl)

static enum db_errclass classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DBE_BUSY;
	case SQLITE_FULL: return DBE_FULL;
	case SQLITE_IOERR: return DBE_IO;
	case SQLITE_READONLY: return DBE_READONLY;
	case SQLITE_CONSTRAINT: return DBE_CONSTRAINT;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return DBE_NOTADB;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_AUTH: return DBE_CANTOPEN;
	default: return DBE_GENERIC;
	}
}

static int fail_rc(db_t *db, int rc)
{
	const char *msg = CONN(db) ? sqlite3_errmsg(CONN(db)) : sqlite3_errstr(rc);
	enum db_errclass cls = classify(rc);
	/* a full disk often surfaces as an I/O error (on the WAL index, say) */
	if (cls == DBE_IO && CONN(db) && sqlite3_system_errno(CONN(db)) == ENOSPC)
		cls = DBE_FULL;
	return db_fail(db, cls, "%s", msg);
}

static int sq_exec(db_t *db, const char *sql)
{
	int rc = sqlite3_exec(CONN(db), sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : fail_rc(db, rc);
}

static int sq_open(db_t *db, const char *path, unsigned flags, const struct db_options *opt)
{
	struct stat sb;
	if (!*path)
		return db_fail(db, DBE_CANTOPEN, "no database given");
	if (!(flags & DB_OPEN_CREATE) && stat(path, &sb) != 0)
		return db_fail(db, errno == ENOENT ? DBE_MISSING : DBE_CANTOPEN,
			       "cannot open database %s: %s", path, strerror(errno));
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & DB_OPEN_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	sqlite3 *conn = NULL;
	int rc = sqlite3_open_v2(path, &conn, oflags, NULL);
	struct sqconn *sc = xcalloc(1, sizeof *sc);
	sc->c = conn;
	db->impl = sc;
	if (rc != SQLITE_OK) {
		fail_rc(db, rc);
		char why[sizeof db->err.msg];
		snprintf(why, sizeof why, "%s", db->err.msg);
		db_fail(db, db->err.cls, "cannot open database %s: %s", path, why);
		goto fail;
	}
	if (!(flags & DB_OPEN_READONLY) && sqlite3_db_readonly(conn, "main") == 1) {
		db_fail(db, DBE_READONLY, "database %s is read-only", path);
		goto fail;
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, opt ? opt->busy_timeout_ms : 5000);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL);
	/* Reading the schema is the first real read: it tells a non-database file
	 * apart and waits out a lock held by another process. */
	if (sq_exec(db, "SELECT count(*) FROM sqlite_schema") != 0)
		goto fail;
	if (!(flags & DB_OPEN_READONLY) &&
	    sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			" PRAGMA secure_delete=ON;") != 0)
		goto fail;
	if (sq_exec(db, "PRAGMA foreign_keys=ON") != 0)
		goto fail;
	return 0;
fail:
	sqlite3_close(conn);
	free(sc);
	db->impl = NULL;
	return -1;
}

static void sq_close(db_t *db)
{
	struct sqconn *sc = db->impl;
	for (size_t i = 0; i < CACHE_MAX; i++) {
		sqlite3_finalize(sc->cache[i].s);  /* a leaked busy one too: it goes with db */
		free(sc->cache[i].sql);
	}
	if (sqlite3_close(sc->c) != SQLITE_OK)
		sqlite3_close_v2(sc->c); /* statements leaked: close when they go */
	free(sc);
	db->impl = NULL;
}

static unsigned hash_sql(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* An idle cached statement for sql, marked busy, or NULL. */
static sqlite3_stmt *cache_take(struct sqconn *sc, const char *sql, unsigned h)
{
	for (size_t i = 0; i < CACHE_MAX; i++) {
		struct slot *x = &sc->cache[i];
		if (x->sql && !x->busy && x->hash == h && !strcmp(x->sql, sql)) {
			x->busy = 1;
			return x->s;
		}
	}
	return NULL;
}

/* Keeps a new statement: an empty slot, else an idle one's. Returns 0 when
 * every slot is busy (the statement is then finalised at db_finalize). */
static int cache_put(struct sqconn *sc, const char *sql, unsigned h, sqlite3_stmt *s)
{
	struct slot *victim = NULL;
	for (size_t i = 0; i < CACHE_MAX && !victim; i++)
		if (!sc->cache[i].sql)
			victim = &sc->cache[i];
	for (size_t k = 0; k < CACHE_MAX && !victim; k++) {
		struct slot *x = &sc->cache[(sc->clock + k) % CACHE_MAX];
		if (!x->busy) {
			victim = x;
			sc->clock = (unsigned)((sc->clock + k + 1) % CACHE_MAX);
		}
	}
	if (!victim)
		return 0;
	sqlite3_finalize(victim->s);
	free(victim->sql);
	*victim = (struct slot){.sql = xstrdup(sql), .hash = h, .busy = 1, .s = s};
	return 1;
}

static int sq_prepare(db_t *db, const char *sql, db_stmt_t **out)
{
	struct sqconn *sc = db->impl;
	*out = NULL;
	unsigned h = hash_sql(sql);
	sqlite3_stmt *s = cache_take(sc, sql, h);
	if (!s) {
		int rc = sqlite3_prepare_v3(sc->c, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
		if (rc != SQLITE_OK)
			return fail_rc(db, rc);
		/* an empty statement (only a comment) has no handle to keep */
		if (s)
			cache_put(sc, sql, h, s);
	}
	db_stmt_t *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->impl = s;
	*out = st;
	return 0;
}

static int bind_result(db_stmt_t *st, int rc)
{
	return rc == SQLITE_OK ? 0 : fail_rc(st->db, rc);
}

static int sq_bind_i64(db_stmt_t *st, int idx, int64_t v)
{
	return bind_result(st, sqlite3_bind_int64(STMT(st), idx, v));
}

static int sq_bind_text(db_stmt_t *st, int idx, const char *s, size_t n)
{
	return bind_result(st, sqlite3_bind_text64(STMT(st), idx, s, n, SQLITE_TRANSIENT,
						   SQLITE_UTF8));
}

static int sq_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n)
{
	/* a zero-length blob is still a blob, not NULL */
	return bind_result(st, p ? sqlite3_bind_blob64(STMT(st), idx, p, n, SQLITE_TRANSIENT)
				 : sqlite3_bind_zeroblob(STMT(st), idx, 0));
}

static int sq_bind_null(db_stmt_t *st, int idx)
{
	return bind_result(st, sqlite3_bind_null(STMT(st), idx));
}

static int sq_step(db_stmt_t *st)
{
	int rc = sqlite3_step(STMT(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return fail_rc(st->db, rc);
}

static int sq_reset(db_stmt_t *st)
{
	sqlite3_clear_bindings(STMT(st));
	int rc = sqlite3_reset(STMT(st));
	return rc == SQLITE_OK ? 0 : fail_rc(st->db, rc);
}

static void sq_finalize(db_stmt_t *st)
{
	struct sqconn *sc = st->db->impl;
	sqlite3_stmt *s = STMT(st);
	free(st);
	for (size_t i = 0; i < CACHE_MAX; i++)
		if (sc->cache[i].s == s && s) {
			/* back to the cache as new: no open read, no bound values kept */
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			sc->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(s);
}

static int sq_col_is_null(db_stmt_t *st, int col)
{
	return sqlite3_column_type(STMT(st), col) == SQLITE_NULL;
}

static int64_t sq_col_i64(db_stmt_t *st, int col)
{
	return sqlite3_column_int64(STMT(st), col);
}

static const char *sq_col_text(db_stmt_t *st, int col)
{
	const unsigned char *t = sqlite3_column_text(STMT(st), col);
	return t ? (const char *)t : "";
}

static const void *sq_col_blob(db_stmt_t *st, int col)
{
	return sqlite3_column_blob(STMT(st), col);
}

static size_t sq_col_bytes(db_stmt_t *st, int col)
{
	return (size_t)sqlite3_column_bytes(STMT(st), col);
}

static int sq_begin(db_t *db, int write)
{
	return sq_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

static int sq_commit(db_t *db)
{
	if (sq_exec(db, "COMMIT") == 0)
		return 0;
	/* a failed COMMIT (disk full, busy) may leave the transaction open: end it
	 * so that nothing is half-written, keeping the first error */
	struct db_error keep = db->err;
	if (!sqlite3_get_autocommit(CONN(db)))
		sqlite3_exec(CONN(db), "ROLLBACK", NULL, NULL, NULL);
	db->err = keep;
	return -1;
}

static void sq_rollback(db_t *db)
{
	if (!sqlite3_get_autocommit(CONN(db)))
		sqlite3_exec(CONN(db), "ROLLBACK", NULL, NULL, NULL);
}

static int64_t sq_changes(db_t *db)
{
	return sqlite3_changes64(CONN(db));
}

/* VACUUM INTO a temporary name beside dest, fsync it, then link it into place,
 * which fails rather than replaces if dest appeared meanwhile. */
static int sq_backup(db_t *db, const char *dest)
{
	struct stat sb;
	if (stat(dest, &sb) == 0)
		return db_fail(db, DBE_CONSTRAINT, "%s already exists", dest);
	char *tmp = xasprintf("%s.partial-%ld", dest, (long)getpid());
	unlink(tmp);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(CONN(db), "VACUUM INTO ?", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, tmp, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK) {
		fail_rc(db, rc);
		sqlite3_finalize(s);
		goto fail;
	}
	sqlite3_finalize(s);
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		db_fail(db, errno == ENOSPC ? DBE_FULL : DBE_IO, "cannot write %s: %s", tmp,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	if (link(tmp, dest) != 0) {
		db_fail(db, errno == EEXIST ? DBE_CONSTRAINT : DBE_IO, "cannot create %s: %s", dest,
			strerror(errno));
		goto fail;
	}
	unlink(tmp);
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return -1;
}

/* A TRUNCATE checkpoint: it waits (busy handler) for readers to leave the
 * log and for a writer, then copies the log into the file and truncates it.
 * SQLITE_BUSY, or a log not wholly copied, means it did not finish. */
static int sq_checkpoint(db_t *db)
{
	int frames = -1, done = -1;
	int rc = sqlite3_wal_checkpoint_v2(CONN(db), NULL, SQLITE_CHECKPOINT_TRUNCATE, &frames,
					   &done);
	if ((rc & 0xff) == SQLITE_BUSY || (rc == SQLITE_OK && frames > 0 && done < frames)) {
		db_fail(db, DBE_BUSY, "the write-ahead log of %s could not be emptied: another "
			"connection is using it; try again when it has finished", db->target);
		return 1;
	}
	return rc == SQLITE_OK ? 0 : fail_rc(db, rc);
}

static int sq_count_tables(db_t *db, const char *name, int64_t *out)
{
	return db_query_i64(db,
			    name ? "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"
				 : "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
			    name, out);
}

static const char *sq_library_version(void)
{
	static char v[32];
	snprintf(v, sizeof v, "SQLite %s", sqlite3_libversion());
	return v;
}

const struct db_engine db_engine_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_i64 = sq_bind_i64,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.col_is_null = sq_col_is_null,
	.col_i64 = sq_col_i64,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_bytes = sq_col_bytes,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.changes = sq_changes,
	.backup = sq_backup,
	.checkpoint = sq_checkpoint,
	.count_tables = sq_count_tables,
	.library_version = sq_library_version,
};
