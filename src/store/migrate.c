/* migrate.c: applies the SQL files of src/store/migrations, embedded at build
 * time. File names are NNNN_name.sql; numbers start at 1 and have no gaps (a unit
 * test holds this). */
#include "store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/embedded.h"
#include "store/engine.h"

extern const struct embedded_file store_migrations[];

static int version_of(const char *name)
{
	return atoi(name); /* "0007_x.sql" -> 7; checked against position below */
}

int migrate_latest(void)
{
	int n = 0;
	while (store_migrations[n].name)
		n++;
	return n;
}

int migrate_state(db_t *db, struct migrate_state *out)
{
	int64_t has_table, tables, v = 0;
	out->current = 0;
	out->latest = migrate_latest();
	if (db_count_tables(db, "schema_migrations", &has_table) != 0)
		return -1;
	if (!has_table) {
		if (db_count_tables(db, NULL, &tables) != 0)
			return -1;
		if (tables > 0)
			return db_fail(db, DBE_SCHEMA,
				       "%s holds tables but is not a Probity database",
				       db_target(db));
		return 0;
	}
	if (db_query_i64(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL,
			 &v) != 0)
		return -1;
	out->current = (int)v;
	return 0;
}

static int refuse_newer(db_t *db, const struct migrate_state *s)
{
	return db_fail(db, DBE_SCHEMA,
		       "database %s is newer than this program (schema %d, program knows %d): "
		       "upgrade probity",
		       db_target(db), s->current, s->latest);
}

static int apply(db_t *db, int version, const struct embedded_file *m)
{
	char now[TIMESTAMP_LEN + 1];
	timestamp_now(now);
	if (db_begin(db) != 0)
		return -1;
	if (db_exec(db, m->data) != 0)
		goto fail;
	db_stmt_t *st;
	if (db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at) "
			   "VALUES (?, ?, ?)", &st) != 0)
		goto fail;
	int ok = db_bind_i64(st, 1, version) == 0 && db_bind_text(st, 2, m->name, (size_t)-1) == 0 &&
		 db_bind_text(st, 3, now, (size_t)-1) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok || db_commit(db) != 0)
		goto fail;
	return 0;
fail:;
	struct db_error keep = db->err;
	db_rollback(db);
	db->err = keep;
	size_t n = strlen(db->err.msg);
	if (n < sizeof db->err.msg - 1)
		snprintf(db->err.msg + n, sizeof db->err.msg - n, " (in migration %s)", m->name);
	return -1;
}

static const char bootstrap[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL"
	") STRICT";

int migrate_up(db_t *db, migrate_progress_fn progress, void *ctx)
{
	struct migrate_state s;
	if (migrate_state(db, &s) != 0)
		return -1;
	if (s.current > s.latest)
		return refuse_newer(db, &s);
	if (s.current == s.latest)
		return 0;
	if (s.current == 0 && db_exec(db, bootstrap) != 0)
		return -1;
	for (int v = s.current + 1; v <= s.latest; v++) {
		const struct embedded_file *m = &store_migrations[v - 1];
		if (version_of(m->name) != v)
			return db_fail(db, DBE_GENERIC, "migration %s is out of sequence", m->name);
		if (apply(db, v, m) != 0)
			return -1;
		if (progress)
			progress(ctx, v, m->name);
	}
	return 0;
}

int migrate_require_current(db_t *db)
{
	struct migrate_state s;
	if (migrate_state(db, &s) != 0)
		return -1;
	if (s.current > s.latest)
		return refuse_newer(db, &s);
	if (s.current == 0)
		return db_fail(db, DBE_SCHEMA,
			       "%s is not a Probity database yet: create it with 'probity init'",
			       db_target(db));
	if (s.current < s.latest)
		return db_fail(db, DBE_SCHEMA,
			       "database %s needs upgrading (schema %d, program needs %d): run "
			       "'probity init' on it",
			       db_target(db), s.current, s.latest);
	return 0;
}
