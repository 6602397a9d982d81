/* pg.c: the PostgreSQL engine, on libpq. The only file that calls PQ*.
 *
 * Statements: every db_prepare becomes a server-side prepared statement
 * (PQprepare), kept per connection by its SQL text so that a statement run
 * again is parsed once; parameters are always sent apart from the SQL
 * (PQexecPrepared): integers and text as text, blobs in binary. Results come
 * as text; integers and booleans ('t'/'f') read back as integers and bytea is
 * unescaped. The SQL is SQLite's dialect translated by pg_sql.c; a migration
 * statement that cannot be translated has a PostgreSQL version in
 * migrations/pg/, which replaces the statement creating the same object.
 *
 * Transactions: SQLite has one writer at a time (BEGIN IMMEDIATE) and readers
 * on a snapshot, and every caller is written for that. Here db_begin takes a
 * transaction-scoped advisory lock, one per database, so that writers (of all
 * nodes) still go one after another, waiting up to the busy timeout
 * (lock_timeout) and failing with DBE_BUSY after it, as on SQLite. The writer
 * runs at READ COMMITTED on purpose: under the lock no other writer runs, so
 * each of its statements sees every earlier writer's commit and the writers
 * are serial. SERIALIZABLE or REPEATABLE READ would take their snapshot at the
 * first statement, which is the lock wait itself, before the previous writer
 * committed, and so fail or read stale rows. db_begin_read is a REPEATABLE READ
 * READ ONLY transaction: one snapshot, like SQLite's read transaction.
 * Serialization failures and deadlocks (40001, 40P01, possible only between a
 * transaction and a statement outside one) and lock timeouts read as
 * DBE_BUSY, which callers already treat as "try again". */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "store/engine.h"
#include "store/pg_sql.h"

#define BOOLOID 16
#define BYTEAOID 17
#define INT8OID 20
#define TEXTOID 25
/* pg_advisory_xact_lock key of the writer lock: "PRBT" */
#define WRITER_LOCK "1347568212"

/* One SQL text of this connection: translated once, prepared on the server
 * at its first run. Usually one server statement with every parameter's type
 * left to the server; when the server cannot tell a parameter's type
 * ("? IS NULL"), one per combination of the types bound (variants). */
struct variant {
	char sig[16];    /* a type letter per parameter, up to 15 */
	char name[16];
};

struct cached {
	char *sql, *pgsql;
	unsigned hash;
	int nparams;
	int typed;       /* the server needs the bound types: use variants */
	char name[16];   /* the untyped server statement once prepared, else "" */
	struct variant *v;
	size_t nv;
};

struct pgconn {
	PGconn *c;
	char *settings;  /* the session's SETs, run again after a reconnect */
	int intx;        /* between pg_begin and its commit or rollback */
	int64_t changes;
	unsigned next;
	struct cached *cache;
	size_t ncache, capcache;
};

struct pgstmt {
	size_t prep;     /* index into the connection's cache, which may move */
	char **vals;
	int *lens, *fmts;
	Oid *types;      /* what was bound: INT8, BYTEA, TEXT, or 0 for NULL */
	PGresult *res;
	int row, nrows, ncols, done;
	char **blob;     /* per column: the current row's bytea unescaped, or NULL */
	size_t *blob_n;
};

#define CONN(db) ((struct pgconn *)(db)->impl)
#define STMT(st) ((struct pgstmt *)(st)->impl)

static enum db_errclass classify(const char *state)
{
	if (!state || strlen(state) != 5)
		return DBE_GENERIC;
	if (strncmp(state, "23", 2) == 0)
		return DBE_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
	    !strcmp(state, "57014"))
		return DBE_BUSY;
	if (!strcmp(state, "53100"))
		return DBE_FULL;
	if (!strcmp(state, "25006"))
		return DBE_READONLY;
	if (!strcmp(state, "3D000"))
		return DBE_MISSING;
	if (strncmp(state, "28", 2) == 0 || !strcmp(state, "42501"))
		return DBE_CANTOPEN;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "58", 2) == 0 ||
	    strncmp(state, "57", 2) == 0)
		return DBE_IO;
	return DBE_GENERIC;
}

/* Records the error of res (or of the connection when res has none) and
 * clears res. */
static int fail_res(db_t *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *cons = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	if (!msg)
		msg = PQerrorMessage(CONN(db)->c);
	enum db_errclass cls = state ? classify(state) : DBE_IO;
	if (cons)
		db_fail(db, cls, "%s (constraint %s)", msg, cons);
	else
		db_fail(db, cls, "%s", msg);
	/* libpq's messages end in a newline */
	size_t n = strlen(db->err.msg);
	while (n && (db->err.msg[n - 1] == '\n' || db->err.msg[n - 1] == ' '))
		db->err.msg[--n] = 0;
	PQclear(res);
	return -1;
}

/* db_changes counts the rows of the last INSERT, UPDATE or DELETE, whether
 * it ran prepared (pg_step) or through db_exec, as sqlite3_changes does. */
static void note_changes(struct pgconn *pc, PGresult *res)
{
	const char *cmd = PQcmdStatus(res);
	if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6))
		pc->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

static int run(db_t *db, const char *sql)
{
	PGresult *res = PQexec(CONN(db)->c, sql);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return fail_res(db, res);
	note_changes(CONN(db), res);
	PQclear(res);
	return 0;
}

/* migrations/pg: statements that replace the SQLite one creating the same
 * object, read once from the embedded files. */
extern const struct embedded_file store_migrations_pg[];

struct override {
	char key[128];
	char *sql;
};
static struct override *overrides;
static size_t noverrides;
static pthread_once_t overrides_once = PTHREAD_ONCE_INIT;

static int add_override(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	char key[128];
	pg_sql_created(s, n, key, sizeof key);
	if (!*key)
		return 0;
	overrides = xrealloc(overrides, (noverrides + 1) * sizeof *overrides);
	snprintf(overrides[noverrides].key, sizeof overrides[noverrides].key, "%s", key);
	overrides[noverrides++].sql = xstrndup(s, n);
	return 0;
}

/* compat.sql is not an override: it runs before the first migration */
static const char *compat_sql;

static void load_overrides(void)
{
	for (const struct embedded_file *f = store_migrations_pg; f->name; f++) {
		if (!strcmp(f->name, "compat.sql"))
			compat_sql = f->data;
		else
			pg_sql_split(f->data, add_override, NULL);
	}
}

static const char *override_for(const char *s, size_t n)
{
	char key[128];
	pthread_once(&overrides_once, load_overrides);
	pg_sql_created(s, n, key, sizeof key);
	for (size_t i = 0; *key && i < noverrides; i++)
		if (!strcmp(overrides[i].key, key))
			return overrides[i].sql;
	return NULL;
}

/* A case-insensitive collation for SQLite's COLLATE NOCASE: ICU, strength 2
 * (case ignored, accents not), nondeterministic so that "a" = "A". */
static const char nocase_sql[] =
	"CREATE COLLATION IF NOT EXISTS probity_nocase (provider = icu, "
	"locale = 'und-u-ks-level2', deterministic = false)";

static int exec_one(void *ctx, const char *s, size_t n)
{
	db_t *db = ctx;
	const char *over = override_for(s, n);
	if (over)
		return run(db, over);
	char key[128];
	pg_sql_created(s, n, key, sizeof key);
	if (!strcmp(key, "table:schema_migrations") && compat_sql && run(db, compat_sql) != 0)
		return -1;
	struct buf out = BUF_INIT;
	int np;
	unsigned flags;
	char why[200];
	int rc = pg_sql_translate(s, n, &out, &np, &flags, why, sizeof why);
	if (rc != 0)
		rc = db_fail(db, DBE_GENERIC, "%s", why);
	else if (np > 0)
		rc = db_fail(db, DBE_GENERIC, "db_exec takes no parameters");
	else if ((flags & PG_SQL_NEEDS_NOCASE) && run(db, nocase_sql) != 0)
		rc = -1;
	else
		rc = run(db, out.p);
	buf_free(&out);
	return rc;
}

static int revive(db_t *db);

static int pg_exec(db_t *db, const char *sql)
{
	if (revive(db) != 0)
		return -1;
	return pg_sql_split(sql, exec_one, db) ? -1 : 0;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs ("already exists, skipping") are not errors */
}

/* "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db", so
 * that messages and logs never carry the password. */
static char *redact(const char *target)
{
	char *t = xstrdup(target);
	char *scheme = strstr(t, "://");
	if (scheme) {
		char *auth = scheme + 3, *at = strchr(auth, '@'), *slash = strchr(auth, '/');
		char *colon = strchr(auth, ':');
		if (at && (!slash || at < slash) && colon && colon < at) {
			char *r = xasprintf("%.*s***%s", (int)(colon + 1 - t), t, at);
			free(t);
			t = r;
		}
	}
	char *pw = strstr(t, "password=");
	if (pw) {
		char *end = strchr(pw, '&');
		char *r = xasprintf("%.*spassword=***%s", (int)(pw - t), t, end ? end : "");
		free(t);
		t = r;
	}
	return t;
}

static int pg_open(db_t *db, const char *target, unsigned flags, const struct db_options *opt)
{
	struct pgconn *pc = xcalloc(1, sizeof *pc);
	db->impl = pc;
	char *shown = redact(target);
	free(db->target);
	db->target = shown;
	pc->c = PQconnectdb(target);
	if (!pc->c || PQstatus(pc->c) != CONNECTION_OK) {
		const char *m = pc->c ? PQerrorMessage(pc->c) : "out of memory";
		enum db_errclass cls = strstr(m, "does not exist") ? DBE_MISSING : DBE_CANTOPEN;
		db_fail(db, cls, "cannot open database %s: %.*s", shown,
			(int)strcspn(m, "\n"), m);
		goto fail;
	}
	PQsetNoticeProcessor(pc->c, quiet, NULL);
	pc->settings = xasprintf(
		"SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; "
		"SET lock_timeout = %d; SET default_transaction_read_only = %s",
		opt ? opt->busy_timeout_ms : 5000, (flags & DB_OPEN_READONLY) ? "on" : "off");
	if (run(db, pc->settings) != 0)
		goto fail;
	return 0;
fail:
	PQfinish(pc->c);
	free(pc->settings);
	free(pc);
	db->impl = NULL;
	return -1;
}

static void pg_close(db_t *db)
{
	struct pgconn *pc = CONN(db);
	PQfinish(pc->c);
	free(pc->settings);
	for (size_t i = 0; i < pc->ncache; i++) {
		free(pc->cache[i].sql);
		free(pc->cache[i].pgsql);
		free(pc->cache[i].v);
	}
	free(pc->cache);
	free(pc);
	db->impl = NULL;
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const struct cached *prepared(db_t *db, const char *sql)
{
	struct pgconn *pc = CONN(db);
	unsigned h = hash(sql);
	for (size_t i = 0; i < pc->ncache; i++)
		if (pc->cache[i].hash == h && !strcmp(pc->cache[i].sql, sql))
			return &pc->cache[i];
	struct buf out = BUF_INIT;
	int np;
	unsigned flags;
	char why[200];
	if (pg_sql_translate(sql, strlen(sql), &out, &np, &flags, why, sizeof why) != 0) {
		buf_free(&out);
		db_fail(db, DBE_GENERIC, "%s", why);
		return NULL;
	}
	if (pc->ncache == pc->capcache) {
		pc->capcache = pc->capcache ? pc->capcache * 2 : 64;
		pc->cache = xrealloc(pc->cache, pc->capcache * sizeof *pc->cache);
	}
	pc->cache[pc->ncache] = (struct cached){.sql = xstrdup(sql), .pgsql = buf_detach(&out),
						.hash = h, .nparams = np};
	return &pc->cache[pc->ncache++];
}

/* Would the statement prepare with the bound types where it did not with
 * the server's guesses? A parameter it cannot type (42P18, 42P08), or one it typed
 * as text that meets an integer ("SELECT ?" in a recursive query: 42883
 * operator does not exist, 42804 datatype mismatch). */
static int retry_typed(const char *state)
{
	return !strcmp(state, "42P18") || !strcmp(state, "42P08") || !strcmp(state, "42883") ||
	       !strcmp(state, "42804") || !strcmp(state, "42725");
}

/* PQprepare with types (NULL: all the server's to infer). Inside a
 * transaction a failed prepare would abort it, so the attempt runs under a
 * savepoint. When the server cannot infer a parameter's type it says which
 * ("$3"): with types given, that one becomes text and it tries again.
 * Returns 1 prepared, 0 the bound types are needed (only when types is
 * NULL), -1. */
static int try_prepare(db_t *db, const struct cached *c, const char *name, const Oid *types,
		       PGresult **res)
{
	PGconn *conn = CONN(db)->c;
	int tx = PQtransactionStatus(conn) == PQTRANS_INTRANS;
	if (tx && run(db, "SAVEPOINT probity_prepare") != 0)
		return -1;
	*res = PQprepare(conn, name, c->pgsql, c->nparams, types);
	int ok = PQresultStatus(*res) == PGRES_COMMAND_OK;
	if (tx) {
		struct db_error keep = db->err;
		if (run(db, ok ? "RELEASE SAVEPOINT probity_prepare"
			       : "ROLLBACK TO SAVEPOINT probity_prepare") != 0)
			return PQclear(*res), *res = NULL, -1;
		db->err = keep;
	}
	return ok;
}

/* A parameter bound NULL whose type nothing tells (CASE WHEN ?2 IS NULL ...
 * ?2 again as an integer column's value): the server types it at its first
 * use, so that type is guessed: text, then integer, then bytea, moving on
 * when the guess does not fit (42804, 42883). */
static const Oid guesses[] = {TEXTOID, INT8OID, BYTEAOID};

static int server_prepare(db_t *db, const struct cached *c, const char *name, Oid *types)
{
	int guessed = -1; /* the parameter being guessed, 0-based */
	for (int tries = 0; tries <= 3 * c->nparams + 1; tries++) {
		PGresult *res = NULL;
		int r = try_prepare(db, c, name, types, &res);
		if (r < 0)
			return -1;
		if (r == 1) {
			PQclear(res);
			return 1;
		}
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		if (!types && c->nparams > 0 && state && retry_typed(state)) {
			PQclear(res);
			return 0;
		}
		if (!types || !state)
			return fail_res(db, res);
		const char *d = msg ? strstr(msg, "parameter $") : NULL;
		/* 42P08 too: "could not determine" where the parameter's uses disagree */
		if ((!strcmp(state, "42P18") || !strcmp(state, "42P08")) && d) {
			int idx = atoi(d + strlen("parameter $"));
			if (idx < 1 || idx > c->nparams || types[idx - 1] != 0)
				return fail_res(db, res);
			types[idx - 1] = guesses[0];
			guessed = idx - 1;
		} else if (guessed >= 0 && retry_typed(state)) {
			size_t g = 0;
			while (g < 3 && guesses[g] != types[guessed])
				g++;
			if (g + 1 >= 3)
				return fail_res(db, res);
			types[guessed] = guesses[g + 1];
		} else {
			return fail_res(db, res);
		}
		PQclear(res);
	}
	return db_fail(db, DBE_GENERIC, "cannot prepare: parameter types unknown");
}

/* The server statement to run st with: prepared on first use. */
static const char *statement_name(db_stmt_t *st)
{
	db_t *db = st->db;
	struct pgconn *pc = CONN(db);
	struct cached *c = &pc->cache[STMT(st)->prep];
	if (!c->typed && !c->name[0]) {
		char name[16];
		snprintf(name, sizeof name, "p%u", pc->next++);
		int r = server_prepare(db, c, name, NULL);
		if (r < 0)
			return NULL;
		if (r == 1)
			snprintf(c->name, sizeof c->name, "%s", name);
		else
			c->typed = 1;
	}
	if (!c->typed)
		return c->name;
	if (c->nparams >= 16)
		return db_fail(db, DBE_GENERIC, "too many parameters"), NULL;
	/* a parameter bound NULL is left to the server (and then text) */
	char sig[16];
	Oid *types = xcalloc((size_t)c->nparams, sizeof *types);
	for (int i = 0; i < c->nparams; i++) {
		types[i] = STMT(st)->types[i];
		sig[i] = types[i] == INT8OID ? 'i' : types[i] == BYTEAOID ? 'b'
			 : types[i] == TEXTOID ? 't' : 'n';
	}
	sig[c->nparams] = 0;
	for (size_t i = 0; i < c->nv; i++)
		if (!strcmp(c->v[i].sig, sig)) {
			free(types);
			return c->v[i].name;
		}
	/* text parameters are left to the server too, so that a '5' compared
	 * with an integer column still reads as 5; only a type it cannot infer
	 * is fixed from what was bound */
	for (int i = 0; i < c->nparams; i++)
		if (types[i] == TEXTOID)
			types[i] = 0;
	struct variant v;
	snprintf(v.sig, sizeof v.sig, "%s", sig);
	snprintf(v.name, sizeof v.name, "p%u", pc->next++);
	int r = server_prepare(db, c, v.name, types);
	free(types);
	if (r != 1)
		return NULL;
	c->v = xrealloc(c->v, (c->nv + 1) * sizeof *c->v);
	c->v[c->nv] = v;
	return c->v[c->nv++].name;
}

/* A server restart or a failover breaks the connection, and a node that
 * kept it would answer every request with an error until restarted. So
 * before a statement or a transaction starts, a broken connection is opened
 * again: the session's settings run anew and the server statements, which
 * died with the old session, are prepared again on their next use. What was
 * in flight when it broke has failed already, and a transaction never
 * continues across the break: this runs only outside one. 0, or -1 when the
 * server is still unreachable. */
static int revive(db_t *db)
{
	struct pgconn *pc = CONN(db);
	if (PQstatus(pc->c) != CONNECTION_BAD)
		return 0;
	if (pc->intx)
		return db_fail(db, DBE_IO, "the connection to %s was lost during a transaction",
			       db->target);
	PQreset(pc->c);
	if (PQstatus(pc->c) != CONNECTION_OK)
		return db_fail(db, DBE_IO, "the connection to %s is lost and cannot be opened "
			       "again: %.*s", db->target,
			       (int)strcspn(PQerrorMessage(pc->c), "\n"), PQerrorMessage(pc->c));
	PQsetNoticeProcessor(pc->c, quiet, NULL);
	for (size_t i = 0; i < pc->ncache; i++) {
		pc->cache[i].name[0] = '\0';
		free(pc->cache[i].v);
		pc->cache[i].v = NULL;
		pc->cache[i].nv = 0;
	}
	return run(db, pc->settings);
}

static int pg_prepare(db_t *db, const char *sql, db_stmt_t **out)
{
	*out = NULL;
	const struct cached *c = prepared(db, sql);
	if (!c)
		return -1;
	struct pgstmt *s = xcalloc(1, sizeof *s);
	s->prep = (size_t)(c - CONN(db)->cache);
	int np = c->nparams;
	if (np > 0) {
		s->vals = xcalloc((size_t)np, sizeof *s->vals);
		s->lens = xcalloc((size_t)np, sizeof *s->lens);
		s->fmts = xcalloc((size_t)np, sizeof *s->fmts);
		s->types = xcalloc((size_t)np, sizeof *s->types);
	}
	db_stmt_t *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->impl = s;
	*out = st;
	return 0;
}

static const struct cached *prep_of(db_stmt_t *st)
{
	return &CONN(st->db)->cache[STMT(st)->prep];
}

static int set_param(db_stmt_t *st, int idx, char *v, int len, int fmt, Oid type)
{
	struct pgstmt *s = STMT(st);
	if (idx < 1 || idx > prep_of(st)->nparams) {
		free(v);
		return db_fail(st->db, DBE_GENERIC, "column index out of range");
	}
	free(s->vals[idx - 1]);
	s->vals[idx - 1] = v;
	s->lens[idx - 1] = len;
	s->fmts[idx - 1] = fmt;
	s->types[idx - 1] = type;
	return 0;
}

static int pg_bind_i64(db_stmt_t *st, int idx, int64_t v)
{
	return set_param(st, idx, xasprintf("%lld", (long long)v), 0, 0, INT8OID);
}

static int pg_bind_text(db_stmt_t *st, int idx, const char *s, size_t n)
{
	/* PostgreSQL's text holds no NUL; cutting it short would store less than
	 * was given */
	if (memchr(s, 0, n))
		return db_fail(st->db, DBE_CONSTRAINT, "text with a NUL byte cannot be stored");
	if (n > 0x3fffffff)
		return db_fail(st->db, DBE_GENERIC, "text too long");
	return set_param(st, idx, xstrndup(s, n), (int)n, 0, TEXTOID);
}

static int pg_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n)
{
	if (n > 0x3fffffff)
		return db_fail(st->db, DBE_GENERIC, "blob too long");
	char *v = xmalloc(n ? n : 1);
	if (n)
		memcpy(v, p, n);
	return set_param(st, idx, v, (int)n, 1, BYTEAOID);
}

static int pg_bind_null(db_stmt_t *st, int idx)
{
	return set_param(st, idx, NULL, 0, 0, 0);
}

static void clear_row(struct pgstmt *s)
{
	for (int i = 0; s->blob && i < s->ncols; i++) {
		free(s->blob[i]);
		s->blob[i] = NULL;
	}
}

static void clear_result(struct pgstmt *s)
{
	clear_row(s);
	free(s->blob);
	free(s->blob_n);
	s->blob = NULL;
	s->blob_n = NULL;
	PQclear(s->res);
	s->res = NULL;
	s->done = 0;
}

static int pg_step(db_stmt_t *st)
{
	struct pgstmt *s = STMT(st);
	struct pgconn *pc = CONN(st->db);
	if (s->done)
		return DB_DONE;
	if (!s->res) {
		if (revive(st->db) != 0)
			return -1;
		const char *name = statement_name(st);
		if (!name)
			return -1;
		const struct cached *c = prep_of(st);
		PGresult *res = PQexecPrepared(pc->c, name, c->nparams,
					       (const char *const *)s->vals, s->lens, s->fmts, 0);
		ExecStatusType rs = PQresultStatus(res);
		if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK)
			return fail_res(st->db, res);
		note_changes(pc, res);
		s->res = res;
		s->row = -1;
		s->nrows = rs == PGRES_TUPLES_OK ? PQntuples(res) : 0;
		s->ncols = PQnfields(res);
		if (s->ncols > 0) {
			s->blob = xcalloc((size_t)s->ncols, sizeof *s->blob);
			s->blob_n = xcalloc((size_t)s->ncols, sizeof *s->blob_n);
		}
	}
	clear_row(s);
	if (++s->row < s->nrows)
		return DB_ROW;
	s->done = 1;
	return DB_DONE;
}

static int pg_reset(db_stmt_t *st)
{
	struct pgstmt *s = STMT(st);
	clear_result(s);
	for (int i = 0; i < prep_of(st)->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->lens[i] = s->fmts[i] = 0;
		s->types[i] = 0;
	}
	return 0;
}

static void pg_finalize(db_stmt_t *st)
{
	struct pgstmt *s = STMT(st);
	pg_reset(st);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->types);
	free(s);
	free(st);
}

static int have(struct pgstmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < s->ncols;
}

static int pg_col_is_null(db_stmt_t *st, int col)
{
	struct pgstmt *s = STMT(st);
	return !have(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t pg_col_i64(db_stmt_t *st, int col)
{
	struct pgstmt *s = STMT(st);
	if (pg_col_is_null(st, col))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

/* The current row's bytea column, unescaped and NUL-terminated. */
static const char *bytea(struct pgstmt *s, int col, size_t *n)
{
	if (!s->blob[col]) {
		size_t len = 0;
		unsigned char *u = PQunescapeBytea(
			(const unsigned char *)PQgetvalue(s->res, s->row, col), &len);
		if (!u) {
			fputs("out of memory\n", stderr);
			abort();
		}
		s->blob[col] = xmalloc(len + 1);
		memcpy(s->blob[col], u, len);
		s->blob[col][len] = 0;
		s->blob_n[col] = len;
		PQfreemem(u);
	}
	*n = s->blob_n[col];
	return s->blob[col];
}

static const char *pg_col_text(db_stmt_t *st, int col)
{
	struct pgstmt *s = STMT(st);
	size_t n;
	if (pg_col_is_null(st, col))
		return "";
	if (PQftype(s->res, col) == BYTEAOID)
		return bytea(s, col, &n);
	return PQgetvalue(s->res, s->row, col);
}

static const void *pg_col_blob(db_stmt_t *st, int col)
{
	struct pgstmt *s = STMT(st);
	size_t n;
	if (pg_col_is_null(st, col))
		return NULL;
	if (PQftype(s->res, col) == BYTEAOID)
		return bytea(s, col, &n);
	return PQgetvalue(s->res, s->row, col);
}

static size_t pg_col_bytes(db_stmt_t *st, int col)
{
	struct pgstmt *s = STMT(st);
	size_t n;
	if (pg_col_is_null(st, col))
		return 0;
	if (PQftype(s->res, col) == BYTEAOID) {
		bytea(s, col, &n);
		return n;
	}
	return (size_t)PQgetlength(s->res, s->row, col);
}

static int pg_begin(db_t *db, int write)
{
	if (revive(db) != 0)
		return -1;
	/* PostgreSQL only warns about a BEGIN inside a transaction and goes on
	 * in the outer one, so that the inner caller's commit would commit the
	 * outer caller's half-done work: refused, as SQLite refuses it */
	if (CONN(db)->intx || PQtransactionStatus(CONN(db)->c) != PQTRANS_IDLE)
		return db_fail(db, DBE_GENERIC, "cannot start a transaction within a transaction");
	if (!write) {
		if (run(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != 0)
			return -1;
		CONN(db)->intx = 1;
		return 0;
	}
	if (run(db, "BEGIN ISOLATION LEVEL READ COMMITTED") != 0)
		return -1;
	if (run(db, "SELECT pg_advisory_xact_lock(" WRITER_LOCK ")") != 0) {
		struct db_error keep = db->err;
		run(db, "ROLLBACK");
		db->err = keep;
		if (db->err.cls == DBE_BUSY)
			db_fail(db, DBE_BUSY, "database is locked: another writer held it beyond "
				"the busy timeout");
		return -1;
	}
	CONN(db)->intx = 1;
	return 0;
}

static int pg_commit(db_t *db)
{
	/* a COMMIT without a transaction only warns on PostgreSQL: the caller
	 * would believe work committed that ran (and committed) statement by
	 * statement, or not at all */
	if (!CONN(db)->intx && PQtransactionStatus(CONN(db)->c) == PQTRANS_IDLE)
		return db_fail(db, DBE_GENERIC, "cannot commit - no transaction is active");
	CONN(db)->intx = 0; /* over either way: committed, or rolled back below */
	PGresult *res = PQexec(CONN(db)->c, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fail_res(db, res);
	} else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/* COMMIT of a transaction that had failed answers ROLLBACK */
		PQclear(res);
		db_fail(db, DBE_GENERIC, "the transaction was rolled back after an earlier error");
	} else {
		PQclear(res);
		return 0;
	}
	struct db_error keep = db->err;
	if (PQtransactionStatus(CONN(db)->c) != PQTRANS_IDLE)
		run(db, "ROLLBACK");
	db->err = keep;
	return -1;
}

static void pg_rollback(db_t *db)
{
	CONN(db)->intx = 0;
	PGTransactionStatusType ts = PQtransactionStatus(CONN(db)->c);
	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
		struct db_error keep = db->err;
		run(db, "ROLLBACK");
		db->err = keep;
	}
}

static int64_t pg_changes(db_t *db)
{
	return CONN(db)->changes;
}

static int pg_backup(db_t *db, const char *dest)
{
	(void)dest;
	return db_fail(db, DBE_GENERIC, "probity backup copies SQLite databases only: back up "
		       "PostgreSQL with pg_dump or pg_basebackup (docs/deployment.md)");
}

static int pg_checkpoint(db_t *db)
{
	(void)db; /* the server manages its write-ahead log */
	return 0;
}

static int pg_count_tables(db_t *db, const char *name, int64_t *out)
{
	return db_query_i64(db,
			    name ? "SELECT count(*) FROM information_schema.tables WHERE "
				   "table_schema = current_schema() AND table_type = 'BASE TABLE' "
				   "AND table_name = ?"
				 : "SELECT count(*) FROM information_schema.tables WHERE "
				   "table_schema = current_schema() AND table_type = 'BASE TABLE'",
			    name, out);
}

static const char *pg_library_version(void)
{
	static char v[32];
	int n = PQlibVersion();
	snprintf(v, sizeof v, "libpq %d.%d", n / 10000, n % 10000);
	return v;
}

const struct db_engine db_engine_pg = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_i64 = pg_bind_i64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.col_is_null = pg_col_is_null,
	.col_i64 = pg_col_i64,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_bytes = pg_col_bytes,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.changes = pg_changes,
	.backup = pg_backup,
	.checkpoint = pg_checkpoint,
	.count_tables = pg_count_tables,
	.library_version = pg_library_version,
};
