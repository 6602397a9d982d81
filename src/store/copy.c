/* copy.c: db_copy, the table-by-table move of `probity migrate` (copy.h).
 *
 * What to copy is read from the source's own catalogue (SQLite: sqlite_schema,
 * pragma_table_info, pragma_foreign_key_list), so a table a later migration
 * adds is copied without a change here. Values are bound by the column's
 * declared type (INTEGER, BLOB, else TEXT), which both engines share through
 * the migrations, so an id or a sealed blob arrives byte for byte.
 *
 * Triggers: some tables are written by triggers on others (the dashboard's
 * counts of migration 0017, org_generation of 0020). Inserting the source
 * tables on the target fires those triggers and fills them again, doubling
 * the counts; so such "derived" tables are copied last, after emptying what
 * the triggers wrote, and end up exactly as in the source. */
#include "store/copy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "store/migrate.h"

#define MAX_TABLES 256
#define MAX_COLS 200
#define MAX_NAME 63
/* rows per INSERT: fewer round trips to a server, within the 999 parameters
 * a statement may have (SQLite's old limit, kept by pg_sql.c) */
#define BATCH_ROWS 100
#define BATCH_PARAMS 999

enum kind { K_INT, K_BLOB, K_TEXT };

struct col {
	char name[MAX_NAME + 1];
	enum kind kind;
	int pk;
};

struct table {
	char name[MAX_NAME + 1];
	struct col *cols;
	int ncols;
	char (*deps)[MAX_NAME + 1];
	int ndeps;
	int derived;
	int placed;
	int64_t total;
};

struct val {
	int null;
	enum kind kind;
	int64_t i;
	char *p;
	size_t n;
};

struct copy {
	db_t *src, *dst;
	struct table *t;
	int nt;
	int *order;
	int *which;
};

static int src_fail(struct copy *c)
{
	*c->which = 1;
	return -1;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

static int find_table(const struct copy *c, const char *name)
{
	for (int i = 0; i < c->nt; i++)
		if (!strcmp(c->t[i].name, name))
			return i;
	return -1;
}

/* Names come from the source's catalogue and go into SQL text (a table name
 * cannot be a parameter): anything but a plain identifier is refused. */
static int read_tables(struct copy *c)
{
	db_stmt_t *st;
	if (db_prepare(c->src, "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
			       "substr(name, 1, 7) <> 'sqlite_' ORDER BY name", &st) != 0)
		return src_fail(c);
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		if (c->nt == MAX_TABLES || !valid_name(name)) {
			db_finalize(st);
			*c->which = 1;
			return db_fail(c->src, DBE_SCHEMA, "cannot copy table '%.80s': %s", name,
				       c->nt == MAX_TABLES ? "too many tables" : "unusual name");
		}
		snprintf(c->t[c->nt++].name, MAX_NAME + 1, "%s", name);
	}
	db_finalize(st);
	return r == DB_DONE ? 0 : src_fail(c);
}

static int read_columns(struct copy *c, struct table *t)
{
	db_stmt_t *st;
	if (db_prepare(c->src, "SELECT name, upper(type), pk FROM pragma_table_info(?1) "
			       "ORDER BY cid", &st) != 0 ||
	    db_bind_text(st, 1, t->name, (size_t)-1) != 0)
		goto fail;
	t->cols = xcalloc(MAX_COLS, sizeof *t->cols);
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0), *type = db_col_text(st, 1);
		if (t->ncols == MAX_COLS || !valid_name(name)) {
			db_finalize(st);
			*c->which = 1;
			return db_fail(c->src, DBE_SCHEMA, "cannot copy column '%.80s' of %s", name,
				       t->name);
		}
		struct col *k = &t->cols[t->ncols++];
		snprintf(k->name, sizeof k->name, "%s", name);
		k->kind = strstr(type, "INT") ? K_INT : strstr(type, "BLOB") ? K_BLOB : K_TEXT;
		k->pk = (int)db_col_i64(st, 2);
	}
	if (r != DB_DONE)
		goto fail;
	db_finalize(st);
	if (db_prepare(c->src, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
		       &st) != 0 ||
	    db_bind_text(st, 1, t->name, (size_t)-1) != 0)
		goto fail;
	t->deps = xcalloc(MAX_TABLES, sizeof *t->deps);
	while ((r = db_step(st)) == DB_ROW)
		if (t->ndeps < MAX_TABLES)
			snprintf(t->deps[t->ndeps++], MAX_NAME + 1, "%s", db_col_text(st, 0));
	if (r != DB_DONE)
		goto fail;
	db_finalize(st);
	return 0;
fail:
	db_finalize(st);
	return src_fail(c);
}

/* Marks the tables a trigger's body writes: the word after INTO, and after an
 * UPDATE that is a table's name (not "DO UPDATE SET"). */
static void mark_derived(struct copy *c, const char *sql)
{
	const char *p = sql, *body = NULL;
	char prev[MAX_NAME + 1] = "";
	while (*p) {
		while (*p && !(isalnum((unsigned char)*p) || *p == '_'))
			p++;
		const char *w = p;
		while (*p && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		size_t n = (size_t)(p - w);
		if (!n)
			break;
		char word[MAX_NAME + 1];
		snprintf(word, sizeof word, "%.*s", (int)(n > MAX_NAME ? MAX_NAME : n), w);
		for (char *q = word; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		if (!body) {
			if (!strcmp(word, "begin"))
				body = w;
		} else if (!strcmp(prev, "into") || !strcmp(prev, "update")) {
			int i = find_table(c, word);
			if (i >= 0)
				c->t[i].derived = 1;
		}
		snprintf(prev, sizeof prev, "%s", word);
	}
}

static int read_triggers(struct copy *c)
{
	db_stmt_t *st;
	if (db_prepare(c->src, "SELECT sql FROM sqlite_schema WHERE type = 'trigger'", &st) != 0)
		return src_fail(c);
	int r;
	while ((r = db_step(st)) == DB_ROW)
		mark_derived(c, db_col_text(st, 0));
	db_finalize(st);
	return r == DB_DONE ? 0 : src_fail(c);
}

/* Parents before children; derived tables last; a cycle (none today) goes in
 * name order and is caught by the target's foreign keys. */
static void sort_tables(struct copy *c)
{
	int n = 0;
	for (int pass = 0; pass < 2; pass++) {
		int moved = 1;
		while (moved) {
			moved = 0;
			for (int i = 0; i < c->nt; i++) {
				struct table *t = &c->t[i];
				if (t->placed || t->derived != pass)
					continue;
				int ready = 1;
				for (int d = 0; d < t->ndeps && ready; d++) {
					int j = find_table(c, t->deps[d]);
					ready = j < 0 || j == i || c->t[j].placed;
				}
				if (ready) {
					t->placed = 1;
					c->order[n++] = i;
					moved = 1;
				}
			}
		}
		for (int i = 0; i < c->nt; i++)
			if (!c->t[i].placed && c->t[i].derived == pass) {
				c->t[i].placed = 1;
				c->order[n++] = i;
			}
	}
}

static int count_rows(db_t *db, const char *table, int64_t *out)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return db_query_i64(db, sql, NULL, out);
}

/* The target holds data when a table other than the migrations' record and
 * the derived ones has a row. */
static int check_empty(struct copy *c, struct db_copy_report *r)
{
	for (int i = 0; i < c->nt; i++) {
		const struct table *t = &c->t[i];
		if (t->derived || !strcmp(t->name, "schema_migrations"))
			continue;
		int64_t n;
		if (count_rows(c->dst, t->name, &n) != 0)
			return -1;
		if (n > 0) {
			r->refused = 1;
			return db_fail(c->dst, DBE_CONSTRAINT, "the target database already holds "
				       "data (%lld rows in %s): migrate copies into an empty database "
				       "only", (long long)n, t->name);
		}
	}
	return 0;
}

static char *insert_sql(const struct table *t, int rows)
{
	struct buf b = {0};
	buf_printf(&b, "INSERT INTO %s (", t->name);
	for (int j = 0; j < t->ncols; j++)
		buf_printf(&b, "%s%s", j ? ", " : "", t->cols[j].name);
	buf_adds(&b, ") VALUES ");
	for (int r = 0; r < rows; r++) {
		buf_adds(&b, r ? ", (" : "(");
		for (int j = 0; j < t->ncols; j++)
			buf_adds(&b, j ? ", ?" : "?");
		buf_adds(&b, ")");
	}
	return buf_detach(&b);
}

static void free_vals(struct val *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].p);
		v[i].p = NULL;
	}
}

static int flush(struct copy *c, const struct table *t, struct val *v, int rows)
{
	char *sql = insert_sql(t, rows);
	db_stmt_t *st;
	int rc = db_prepare(c->dst, sql, &st);
	free(sql);
	if (rc != 0)
		return -1;
	for (int i = 0; i < rows * t->ncols && rc == 0; i++) {
		const struct val *x = &v[i];
		if (x->null)
			rc = db_bind_null(st, i + 1);
		else if (x->kind == K_INT)
			rc = db_bind_i64(st, i + 1, x->i);
		else if (x->kind == K_BLOB)
			rc = db_bind_blob(st, i + 1, x->p ? x->p : "", x->n);
		else
			rc = db_bind_text(st, i + 1, x->p ? x->p : "", x->n);
	}
	if (rc == 0 && db_step(st) != DB_DONE)
		rc = -1;
	db_finalize(st);
	return rc;
}

static int copy_table(struct copy *c, const struct table *t, db_copy_progress_fn progress,
		      void *ctx)
{
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM %s", t->name);
	if (db_exec(c->dst, sql) != 0)
		return -1;
	struct buf q = {0};
	buf_adds(&q, "SELECT ");
	for (int j = 0; j < t->ncols; j++)
		buf_printf(&q, "%s%s", j ? ", " : "", t->cols[j].name);
	buf_printf(&q, " FROM %s", t->name);
	char *qs = buf_detach(&q);
	db_stmt_t *st;
	int rc = db_prepare(c->src, qs, &st);
	free(qs);
	if (rc != 0)
		return src_fail(c);
	int per = BATCH_PARAMS / t->ncols;
	if (per > BATCH_ROWS)
		per = BATCH_ROWS;
	if (per < 1)
		per = 1;
	struct val *v = xcalloc((size_t)per * (size_t)t->ncols, sizeof *v);
	int rows = 0, r;
	int64_t done = 0;
	while ((r = db_step(st)) == DB_ROW) {
		struct val *row = &v[(size_t)rows * (size_t)t->ncols];
		for (int j = 0; j < t->ncols; j++) {
			struct val *x = &row[j];
			x->kind = t->cols[j].kind;
			x->null = db_col_is_null(st, j);
			if (x->null)
				continue;
			if (x->kind == K_INT) {
				x->i = db_col_i64(st, j);
			} else {
				const void *p = x->kind == K_BLOB ? db_col_blob(st, j)
								  : (const void *)db_col_text(st, j);
				x->n = db_col_bytes(st, j);
				x->p = xmalloc(x->n + 1);
				if (x->n)
					memcpy(x->p, p, x->n);
				x->p[x->n] = '\0';
			}
		}
		if (++rows == per) {
			rc = flush(c, t, v, rows);
			free_vals(v, (size_t)rows * (size_t)t->ncols);
			if (rc != 0)
				goto out;
			done += rows;
			rows = 0;
			if (progress)
				progress(ctx, t->name, done, t->total);
		}
	}
	if (r != DB_DONE) {
		rc = src_fail(c);
		goto out;
	}
	if (rows) {
		rc = flush(c, t, v, rows);
		if (rc != 0)
			goto out;
		done += rows;
	}
	if (progress && (rows || done == 0))
		progress(ctx, t->name, done, t->total);
	rc = 0;
out:
	free_vals(v, (size_t)rows * (size_t)t->ncols);
	free(v);
	db_finalize(st);
	return rc;
}

/* PostgreSQL's identity columns keep their own counter, which explicit ids do
 * not move: set it past the largest id so that the next insert does not
 * collide. SQLite takes max(rowid) + 1 by itself. */
static int reset_sequences(struct copy *c)
{
	if (strcmp(db_engine_name(c->dst), "postgresql") != 0)
		return 0;
	for (int i = 0; i < c->nt; i++) {
		const struct table *t = &c->t[i];
		int npk = 0, at = -1;
		for (int j = 0; j < t->ncols; j++)
			if (t->cols[j].pk) {
				npk++;
				at = j;
			}
		if (npk != 1 || t->cols[at].kind != K_INT)
			continue;
		char sql[400];
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
			 "(SELECT coalesce(max(%s), 0) + 1 FROM %s), false)",
			 t->name, t->cols[at].name, t->cols[at].name, t->name);
		int64_t ignored;
		if (db_query_i64(c->dst, sql, NULL, &ignored) != 0)
			return -1;
	}
	return 0;
}

static int verify_counts(struct copy *c, struct db_copy_report *r)
{
	for (int i = 0; i < c->nt; i++) {
		const struct table *t = &c->t[i];
		int64_t n;
		if (count_rows(c->dst, t->name, &n) != 0)
			return -1;
		if (n != t->total) {
			snprintf(r->bad_table, sizeof r->bad_table, "%s", t->name);
			return db_fail(c->dst, DBE_GENERIC, "table %s has %lld rows on the target, "
				       "%lld in the source: nothing was kept", t->name, (long long)n,
				       (long long)t->total);
		}
		r->rows += n;
	}
	return 0;
}

int db_copy(db_t *src, db_t *dst, const struct db_copy_hooks *h, struct db_copy_report *r,
	    int *which)
{
	memset(r, 0, sizeof *r);
	*which = 0;
	if (strcmp(db_engine_name(src), "sqlite") != 0) {
		*which = 1;
		return db_fail(src, DBE_GENERIC, "the source must be a SQLite database");
	}
	struct copy c = {.src = src, .dst = dst, .which = which};
	c.t = xcalloc(MAX_TABLES, sizeof *c.t);
	c.order = xcalloc(MAX_TABLES, sizeof *c.order);
	int rc = -1, in_dst = 0;
	if (db_begin_read(src) != 0) {
		src_fail(&c);
		goto out;
	}
	if (read_tables(&c) != 0)
		goto out;
	for (int i = 0; i < c.nt; i++) {
		if (read_columns(&c, &c.t[i]) != 0)
			goto out;
		if (count_rows(src, c.t[i].name, &c.t[i].total) != 0) {
			src_fail(&c);
			goto out;
		}
	}
	if (read_triggers(&c) != 0)
		goto out;
	sort_tables(&c);
	if (db_begin(dst) != 0)
		goto out;
	in_dst = 1;
	if (h->prepare && h->prepare(h->ctx, dst) != 0)
		goto out;
	if (check_empty(&c, r) != 0)
		goto out;
	for (int k = 0; k < c.nt; k++)
		if (copy_table(&c, &c.t[c.order[k]], h->progress, h->ctx) != 0)
			goto out;
	if (reset_sequences(&c) != 0 || verify_counts(&c, r) != 0)
		goto out;
	if (h->extra && h->extra(h->ctx, dst) != 0)
		goto out;
	if (db_commit(dst) != 0) {
		in_dst = 0;
		goto out;
	}
	in_dst = 0;
	r->tables = c.nt;
	rc = 0;
out:
	if (in_dst) {
		struct db_error keep = *db_error(dst);
		db_rollback(dst);
		db_fail(dst, keep.cls, "%s", keep.msg);
	}
	db_rollback(src);
	for (int i = 0; i < c.nt; i++) {
		free(c.t[i].cols);
		free(c.t[i].deps);
	}
	free(c.t);
	free(c.order);
	return rc;
}

struct survey_ctx {
	db_t *db;
	struct db_survey *out;
	int rc;
};

static void survey_table(void *ctx, const char *kind, const char *name)
{
	struct survey_ctx *s = ctx;
	int64_t has, n;
	if (s->rc || strcmp(kind, "table") != 0 || !strcmp(name, "schema_migrations"))
		return;
	if (!valid_name(name)) {
		s->rc = db_fail(s->db, DBE_GENERIC, "unusual table name '%.80s'", name);
		return;
	}
	/* a table the migrations create twice (none today) is counted once */
	for (int i = 0; i < s->out->ntables; i++)
		if (!strcmp(s->out->t[i].name, name))
			return;
	if (db_count_tables(s->db, name, &has) != 0 || (has && count_rows(s->db, name, &n) != 0)) {
		s->rc = -1;
		return;
	}
	if (!has || n == 0)
		return;
	if (s->out->ntables == DB_SURVEY_TABLES) {
		s->rc = db_fail(s->db, DBE_GENERIC, "too many tables");
		return;
	}
	snprintf(s->out->t[s->out->ntables].name, sizeof s->out->t[0].name, "%s", name);
	s->out->t[s->out->ntables++].rows = n;
	s->out->rows += n;
}

int db_survey(db_t *db, struct db_survey *out)
{
	memset(out, 0, sizeof *out);
	struct survey_ctx s = {db, out, 0};
	migrate_each_object(survey_table, &s);
	if (s.rc)
		return -1;
	int64_t has;
	if (db_count_tables(db, "audit_log", &has) != 0)
		return -1;
	if (!has)
		return 0;
	db_stmt_t *st;
	if (db_prepare(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st) != 0)
		return -1;
	int r = db_step(st);
	if (r == DB_ROW) {
		out->head_seq = db_col_i64(st, 0);
		size_t n = db_col_bytes(st, 1);
		out->head_len = n < sizeof out->head ? n : sizeof out->head;
		if (out->head_len)
			memcpy(out->head, db_col_blob(st, 1), out->head_len);
	}
	db_finalize(st);
	return r == DB_ROW || r == DB_DONE ? 0 : -1;
}
