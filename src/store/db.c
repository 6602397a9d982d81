/* db.c: picks the engine for a target and forwards each call to it. */
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/engine.h"

int db_fail(db_t *db, enum db_errclass cls, const char *fmt, ...)
{
	db->err.cls = cls;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err.msg, sizeof db->err.msg, fmt, ap);
	va_end(ap);
	return -1;
}

int db_open(const char *target, unsigned flags, const struct db_options *opt, db_t **out,
	    struct db_error *err)
{
	*out = NULL;
	memset(err, 0, sizeof *err);
	int pg = strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
	const char *path = !pg && strncmp(target, "sqlite:", 7) == 0 ? target + 7 : target;
	db_t *db = xcalloc(1, sizeof *db);
	db->engine = pg ? &db_engine_pg : &db_engine_sqlite;
	db->target = xstrdup(path);
	if (db->engine->open(db, path, flags, opt) != 0) {
		*err = db->err;
		free(db->target);
		free(db);
		return -1;
	}
	*out = db;
	return 0;
}

void db_close(db_t *db)
{
	if (!db)
		return;
	db->engine->close(db);
	free(db->target);
	free(db);
}

const struct db_error *db_error(const db_t *db) { return &db->err; }
const char *db_engine_name(const db_t *db) { return db->engine->name; }
const char *db_target(const db_t *db) { return db->target; }
int db_exec(db_t *db, const char *sql) { return db->engine->exec(db, sql); }
int db_prepare(db_t *db, const char *sql, db_stmt_t **out) { return db->engine->prepare(db, sql, out); }
int db_bind_i64(db_stmt_t *st, int idx, int64_t v) { return st->db->engine->bind_i64(st, idx, v); }
int db_bind_null(db_stmt_t *st, int idx) { return st->db->engine->bind_null(st, idx); }

int db_bind_text(db_stmt_t *st, int idx, const char *s, size_t n)
{
	if (!s)
		return db_bind_null(st, idx);
	if (n == (size_t)-1)
		n = strlen(s);
	return st->db->engine->bind_text(st, idx, s, n);
}

int db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n)
{
	return st->db->engine->bind_blob(st, idx, p, n);
}

int db_step(db_stmt_t *st) { return st->db->engine->step(st); }
int db_reset(db_stmt_t *st) { return st->db->engine->reset(st); }

void db_finalize(db_stmt_t *st)
{
	if (st)
		st->db->engine->finalize(st);
}

int db_col_is_null(db_stmt_t *st, int col) { return st->db->engine->col_is_null(st, col); }
int64_t db_col_i64(db_stmt_t *st, int col) { return st->db->engine->col_i64(st, col); }
const char *db_col_text(db_stmt_t *st, int col) { return st->db->engine->col_text(st, col); }
const void *db_col_blob(db_stmt_t *st, int col) { return st->db->engine->col_blob(st, col); }
size_t db_col_bytes(db_stmt_t *st, int col) { return st->db->engine->col_bytes(st, col); }
int db_begin(db_t *db) { return db->engine->begin(db, 1); }
int db_begin_read(db_t *db) { return db->engine->begin(db, 0); }
int db_commit(db_t *db) { return db->engine->commit(db); }
void db_rollback(db_t *db) { db->engine->rollback(db); }
int64_t db_changes(db_t *db) { return db->engine->changes(db); }
int db_backup(db_t *db, const char *dest) { return db->engine->backup(db, dest); }
int db_checkpoint(db_t *db) { return db->engine->checkpoint(db); }
int db_count_tables(db_t *db, const char *name, int64_t *out) { return db->engine->count_tables(db, name, out); }

const char *db_library_versions(void)
{
	static char v[80];
	snprintf(v, sizeof v, "%s, %s", db_engine_sqlite.library_version(),
		 db_engine_pg.library_version());
	return v;
}

int db_query_i64(db_t *db, const char *sql, const char *param, int64_t *out)
{
	db_stmt_t *st;
	*out = 0;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	if (param && db_bind_text(st, 1, param, (size_t)-1) != 0)
		goto fail;
	int r = db_step(st);
	if (r < 0)
		goto fail;
	if (r == DB_ROW)
		*out = db_col_i64(st, 0);
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return -1;
}

int db_query_i64_2(db_t *db, const char *sql, int64_t a, int64_t b, int64_t *out)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	*out = 0;
	if (db_prepare(db, sql, &st) != 0 || (strstr(sql, "?1") && db_bind_i64(st, 1, a) != 0) ||
	    (strstr(sql, "?2") && db_bind_i64(st, 2, b) != 0))
		goto out;
	int s = db_step(st);
	if (s == DB_ROW)
		*out = db_col_i64(st, 0);
	rc = s == DB_ROW || s == DB_DONE ? 0 : -1;
out:
	db_finalize(st);
	return rc;
}
