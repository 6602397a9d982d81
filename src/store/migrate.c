/* migrate.c: applies the SQL files of src/store/migrations, embedded at build
 * time. File names are NNNN_name.sql; numbers start at 1 and have no gaps (a unit
 * test holds this). */
#include "store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "store/engine.h"
#include "store/pg_sql.h"

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

/* Runs migration m and records it. own_tx: in a transaction of its own (start-up,
 * 'probity init'); else inside the caller's, which rolls back on failure. */
static int apply(db_t *db, int version, const struct embedded_file *m, int own_tx)
{
	char now[TIMESTAMP_LEN + 1];
	timestamp_now(now);
	if (own_tx && db_begin(db) != 0)
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
	if (!ok || (own_tx && db_commit(db) != 0))
		goto fail;
	return 0;
fail:;
	struct db_error keep = db->err;
	if (own_tx)
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

static int apply_from(db_t *db, int first, int last, int own_tx, migrate_progress_fn progress,
		      void *ctx)
{
	for (int v = first; v <= last; v++) {
		const struct embedded_file *m = &store_migrations[v - 1];
		if (version_of(m->name) != v)
			return db_fail(db, DBE_GENERIC, "migration %s is out of sequence", m->name);
		if (apply(db, v, m, own_tx) != 0)
			return -1;
		if (progress)
			progress(ctx, v, m->name);
	}
	return 0;
}

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
	return apply_from(db, s.current + 1, s.latest, 1, progress, ctx);
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

/* What the migrations create, read from their own text (pg_sql_created names
 * the object a statement creates), so that a table a later migration adds is
 * known without a list kept by hand. */
struct each_ctx {
	migrate_object_fn fn;
	void *ctx;
};

static int each_stmt(void *ctx, const char *sql, size_t n)
{
	struct each_ctx *e = ctx;
	char key[128];
	pg_sql_created(sql, n, key, sizeof key);
	char *colon = strchr(key, ':');
	if (!colon)
		return 0;
	*colon = '\0';
	if (!strcmp(key, "table") || !strcmp(key, "view") || !strcmp(key, "trigger"))
		e->fn(e->ctx, key, colon + 1);
	return 0;
}

void migrate_each_object(migrate_object_fn fn, void *ctx)
{
	struct each_ctx e = {fn, ctx};
	fn(ctx, "table", "schema_migrations");
	for (int i = 0; store_migrations[i].name; i++)
		pg_sql_split(store_migrations[i].data, each_stmt, &e);
}

#define MAX_OBJECTS 1024

struct objects {
	char kind[MAX_OBJECTS][8];
	char name[MAX_OBJECTS][64];
	int n, overflow;
};

static void collect(void *ctx, const char *kind, const char *name)
{
	struct objects *o = ctx;
	if (o->n == MAX_OBJECTS || strlen(name) >= sizeof o->name[0]) {
		o->overflow = 1;
		return;
	}
	snprintf(o->kind[o->n], sizeof o->kind[0], "%s", kind);
	snprintf(o->name[o->n], sizeof o->name[0], "%s", name);
	o->n++;
}

/* A name from our own migrations goes into SQL text (DROP takes no
 * parameter): only a plain identifier, so that a typo there cannot turn
 * into something else. */
static int plain_name(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return *s != '\0';
}

/* DROP <what> IF EXISTS of every object of kind in o, newest first: on
 * PostgreSQL in one statement, which may drop a table together with the
 * tables whose foreign keys name it (and only then: no CASCADE); on SQLite,
 * which drops one table per statement, one by one, with the caller's
 * foreign keys deferred. suffix follows each name ("()" for a function). */
static int drop_all(db_t *db, const struct objects *o, const char *kind, const char *what,
		    const char *suffix, int one_statement)
{
	struct buf b = BUF_INIT;
	int rc = 0, any = 0;
	for (int i = o->n - 1; i >= 0 && rc == 0; i--) {
		if (strcmp(o->kind[i], kind) != 0)
			continue;
		if (!plain_name(o->name[i])) {
			rc = db_fail(db, DBE_GENERIC, "migration object '%s' has an unusual name",
				     o->name[i]);
			break;
		}
		/* a trigger's function on PostgreSQL is pg_sql.c's name_fn */
		const char *fn = !strcmp(kind, "trigger") ? "_fn" : "";
		if (!one_statement) {
			buf_printf(&b, "DROP %s IF EXISTS %s%s%s", what, o->name[i], fn, suffix);
			rc = db_exec(db, b.p);
			buf_reset(&b);
		} else {
			buf_printf(&b, "%s%s%s%s", any ? ", " : "", o->name[i], fn, suffix);
		}
		any = 1;
	}
	if (rc == 0 && one_statement && any) {
		char *names = buf_detach(&b);
		buf_printf(&b, "DROP %s IF EXISTS %s", what, names);
		free(names);
		rc = db_exec(db, b.p);
	}
	buf_free(&b);
	return rc;
}

/* Views first (they read tables), then tables, which takes their triggers
 * and indexes along; on PostgreSQL each trigger also left the function it
 * runs, which the migrations create again. No CASCADE: an object of someone
 * else's that depends on ours makes the drop fail, and the caller's
 * transaction rolls back, rather than be dropped with it. SQLite empties a
 * table it drops, and a newer table's rows may be named by an older one's
 * foreign key (case_file.process_id, 0014, names risk_process, 0013): the
 * checks wait until every table is gone (defer_foreign_keys lasts until the
 * transaction ends; it is switched off again before the copy, whose own
 * rows must pass at once). */
static int drop_ours(db_t *db, const struct objects *o)
{
	int pg = !strcmp(db_engine_name(db), "postgresql");
	if (drop_all(db, o, "view", "VIEW", "", pg) != 0)
		return -1;
	if (pg) {
		if (drop_all(db, o, "table", "TABLE", "", 1) != 0)
			return -1;
		return drop_all(db, o, "trigger", "FUNCTION", "()", 1);
	}
	if (db_exec(db, "PRAGMA defer_foreign_keys = ON") != 0)
		return -1;
	if (drop_all(db, o, "table", "TABLE", "", 0) != 0)
		return -1;
	return db_exec(db, "PRAGMA defer_foreign_keys = OFF");
}

int migrate_replace(db_t *db, migrate_progress_fn progress, void *ctx)
{
	struct migrate_state s;
	if (migrate_state(db, &s) != 0)
		return -1;
	if (s.current > s.latest)
		return refuse_newer(db, &s);
	struct objects *o = calloc(1, sizeof *o);
	if (!o)
		return db_fail(db, DBE_GENERIC, "out of memory");
	migrate_each_object(collect, o);
	int rc = o->overflow ? db_fail(db, DBE_GENERIC, "too many objects in the migrations")
			     : drop_ours(db, o);
	free(o);
	if (rc != 0)
		return -1;
	if (db_exec(db, bootstrap) != 0)
		return -1;
	return apply_from(db, 1, s.latest, 0, progress, ctx);
}
