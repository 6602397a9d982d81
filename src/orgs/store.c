/* store.c: the SQL of the organisation tree (tables in
 * src/store/migrations/0001_organisations.sql). Loads the table whole for the
 * model, and writes a model's plan with its audit entries inside the caller's
 * write transaction, so that a change and its record commit or vanish together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "orgs/cache.h"
#include "orgs/orgs.h"

#define ROW_COLUMNS                                                                         \
	"id, code, name, kind, coalesce(parent_id, 0), valid_from, coalesce(valid_to, ''), " \
	"outside_scope"

/* Copies column col into out (cap bytes with the NUL); -1 if it is longer or
 * holds a NUL byte. */
static int col_copy(db_stmt_t *st, int col, char *out, size_t cap)
{
	const char *s = db_col_text(st, col);
	size_t n = db_col_bytes(st, col);
	if (n >= cap || strlen(s) != n)
		return -1;
	memcpy(out, s, n + 1);
	return 0;
}

/* Reads the current row of a ROW_COLUMNS query into r, checking it against the
 * model's rules: a row that breaks them was written around this program. */
static int read_row(db_t *db, db_stmt_t *st, struct org *r)
{
	struct org_error e;
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(st, 0);
	int64_t scope = db_col_i64(st, 7);
	const char *why = NULL;
	if (col_copy(st, 1, r->code, sizeof r->code) || org_check_code("code", r->code, &e))
		why = "its code";
	else if (col_copy(st, 2, r->name, sizeof r->name) || org_check_name("name", r->name, &e))
		why = "its name";
	else if (org_kind_parse(db_col_text(st, 3), &r->kind))
		why = "its kind";
	else if (col_copy(st, 5, r->valid_from, sizeof r->valid_from) ||
		 date_valid(r->valid_from, strlen(r->valid_from)) ||
		 col_copy(st, 6, r->valid_to, sizeof r->valid_to) ||
		 (r->valid_to[0] && date_valid(r->valid_to, strlen(r->valid_to))))
		why = "its dates";
	else if (scope != 0 && scope != 1)
		why = "its scope flag";
	if (why)
		return db_fail(db, DBE_GENERIC, "organisation row %lld is damaged (%s): restore the "
			       "database from a backup", (long long)r->id, why);
	r->parent_id = db_col_i64(st, 4);
	r->outside_scope = (int)scope;
	return 0;
}

/* Reads the whole tree from the database into t, every row checked. */
static int read_tree(db_t *db, struct org_table *t)
{
	db_stmt_t *st = NULL;
	int64_t n;
	int s;
	if (db_query_i64(db, "SELECT count(*) FROM org", NULL, &n) != 0)
		return -1;
	if (n > ORG_MAX_ROWS)
		return db_fail(db, DBE_GENERIC, "the org table holds %lld rows, more than this "
			       "program handles (%d)", (long long)n, ORG_MAX_ROWS);
	if (db_query_i64(db, "SELECT count(*) FROM org_link", NULL, &n) != 0)
		return -1;
	if (n > ORG_MAX_LINKS)
		return db_fail(db, DBE_GENERIC, "the org_link table holds %lld rows, more than this "
			       "program handles (%d)", (long long)n, ORG_MAX_LINKS);

	if (db_prepare(db, "SELECT " ROW_COLUMNS " FROM org ORDER BY id", &st) != 0)
		return -1;
	while ((s = db_step(st)) == DB_ROW) {
		struct org r;
		if (read_row(db, st, &r) != 0)
			goto fail;
		/* the count above ran in the same transaction, so the limit holds */
		if (org_table_add_row(t, &r) != 0) {
			db_fail(db, DBE_GENERIC, "organisation row %lld appears twice",
				(long long)r.id);
			goto fail;
		}
	}
	if (s < 0)
		goto fail;
	db_finalize(st);

	if (db_prepare(db, "SELECT predecessor_id, successor_id, kind, on_date FROM org_link "
			   "ORDER BY on_date, predecessor_id, successor_id", &st) != 0)
		return -1;
	while ((s = db_step(st)) == DB_ROW) {
		struct org_link l = {.pred_id = db_col_i64(st, 0), .succ_id = db_col_i64(st, 1)};
		if (org_link_kind_parse(db_col_text(st, 2), &l.kind) ||
		    col_copy(st, 3, l.on, sizeof l.on) || date_valid(l.on, strlen(l.on)) ||
		    !org_by_id(t, l.pred_id) || !org_by_id(t, l.succ_id) ||
		    org_table_add_link(t, &l) != 0) {
			db_fail(db, DBE_GENERIC, "organisation link %lld -> %lld is damaged: restore "
				"the database from a backup", (long long)l.pred_id,
				(long long)l.succ_id);
			goto fail;
		}
	}
	if (s < 0)
		goto fail;
	db_finalize(st);
	orgs_cache_count_load();
	return 0;
fail:
	db_finalize(st);
	return -1;
}

/* The tree comes from the cache when the database's change mark is the one
 * it was loaded under; otherwise from the database, and is then kept. The
 * mark is read in the caller's transaction, like the rows would be, so a
 * caller always gets the tree its own snapshot holds. */
int orgs_load(db_t *db, struct org_table *t)
{
	struct orgs_mark m;
	if (orgs_mark_read(db, &m) != 0)
		return -1;
	if (orgs_cache_copy(&m, t))
		return 0;
	int fresh = t->nrows == 0 && t->nlinks == 0;
	if (read_tree(db, t) != 0)
		return -1;
	if (fresh)
		orgs_cache_put(&m, t);
	return 0;
}

/* orgs_load for a page that only shows the tree (cache.h: up to
 * ORGS_RECENT_MS old). Outside any transaction: the mark it reads then is
 * the database's latest, which is what it records as confirmed. */
int orgs_load_recent(db_t *db, struct org_table *t)
{
	if (orgs_cache_copy_recent(t))
		return 0;
	int64_t at = orgs_cache_clock(); /* before the read: the age is never understated */
	struct orgs_mark m;
	if (orgs_mark_read(db, &m) != 0)
		return -1;
	if (!orgs_cache_copy(&m, t)) {
		int fresh = t->nrows == 0 && t->nlinks == 0;
		if (read_tree(db, t) != 0)
			return -1;
		if (fresh)
			orgs_cache_put(&m, t);
	}
	orgs_cache_confirmed(&m, at);
	return 0;
}

/* Writes plan p: closes, then opens (parents first, so that each new row's
 * parent id is known), then links, then one audit entry per note. ids[i]
 * receives the id of p->add[i]. Returns 0 or -1 (db error). */
static int write_plan(db_t *db, const struct audit_signer *s, const char *actor,
		      const struct org_plan *p, int64_t *ids)
{
	db_stmt_t *st = NULL;
	if (db_prepare(db, "UPDATE org SET valid_to = ? WHERE id = ? AND valid_to IS NULL",
		       &st) != 0)
		return -1;
	for (size_t i = 0; i < p->nclose; i++) {
		if (db_bind_text(st, 1, p->on, (size_t)-1) || db_bind_i64(st, 2, p->close[i]) ||
		    db_step(st) != DB_DONE)
			goto fail;
		/* the table was read in this transaction, so the row must still be open */
		if (db_changes(db) != 1) {
			db_fail(db, DBE_GENERIC, "organisation row %lld was closed meanwhile",
				(long long)p->close[i]);
			goto fail;
		}
		db_reset(st);
	}
	db_finalize(st);

	if (db_prepare(db, "INSERT INTO org (code, name, kind, parent_id, valid_from, "
			   "outside_scope) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", &st) != 0)
		return -1;
	for (size_t i = 0; i < p->nadd; i++) {
		const struct org_new *n = &p->add[i];
		int64_t parent = n->parent_new ? ids[n->parent_new - 1] : n->row.parent_id;
		if (db_bind_text(st, 1, n->row.code, (size_t)-1) ||
		    db_bind_text(st, 2, n->row.name, (size_t)-1) ||
		    db_bind_text(st, 3, org_kind_name(n->row.kind), (size_t)-1) ||
		    (parent ? db_bind_i64(st, 4, parent) : db_bind_null(st, 4)) ||
		    db_bind_text(st, 5, p->on, (size_t)-1) ||
		    db_bind_i64(st, 6, n->row.outside_scope) || db_step(st) != DB_ROW)
			goto fail;
		ids[i] = db_col_i64(st, 0);
		if (db_step(st) != DB_DONE)
			goto fail;
		db_reset(st);
	}
	db_finalize(st);

	if (db_prepare(db, "INSERT INTO org_link (predecessor_id, successor_id, kind, on_date) "
			   "VALUES (?, ?, ?, ?)", &st) != 0)
		return -1;
	for (size_t i = 0; i < p->nlink; i++) {
		if (db_bind_i64(st, 1, p->link[i].pred_id) ||
		    db_bind_i64(st, 2, ids[p->link[i].succ]) ||
		    db_bind_text(st, 3, org_link_kind_name(p->link[i].kind), (size_t)-1) ||
		    db_bind_text(st, 4, p->on, (size_t)-1) || db_step(st) != DB_DONE)
			goto fail;
		db_reset(st);
	}
	db_finalize(st);
	st = NULL;

	for (size_t i = 0; i < p->nnote; i++) {
		struct audit_entry e = {.actor = actor, .action = p->note[i].action,
					.object_type = "org", .object_id = p->note[i].object_id,
					.detail = p->note[i].detail};
		if (audit_append(db, s, &e) != 0)
			return -1;
	}
	return 0;
fail:
	db_finalize(st);
	return -1;
}

/* Turns the database's last error into e. */
static int db_err(db_t *db, struct org_error *e)
{
	e->cls = ORG_EDB;
	snprintf(e->msg, sizeof e->msg, "%s", db_error(db)->msg);
	return -1;
}

int orgs_apply(db_t *db, const struct audit_signer *s, const char *actor, struct org_table *t,
	       const struct org_change *c, char **summary, size_t *moved, struct org_error *e)
{
	struct org_plan p;
	int64_t *ids = NULL;
	int rc = -1;
	org_plan_init(&p);
	if (org_plan_change(t, c, &p, e) != 0)
		goto out;
	ids = xcalloc(p.nadd + 1, sizeof *ids);
	if (write_plan(db, s, actor, &p, ids) != 0) {
		db_err(db, e);
		goto out;
	}
	if (org_table_apply(t, &p, ids) != 0) {
		e->cls = ORG_ECONFLICT;
		snprintf(e->msg, sizeof e->msg, "the organisation table is full");
		goto out;
	}
	if (summary)
		*summary = xstrdup(p.nnote ? p.note[0].detail : "");
	if (moved)
		*moved = p.moved;
	rc = 0;
out:
	free(ids);
	org_plan_free(&p);
	return rc;
}

int orgs_change(db_t *db, const struct audit_signer *s, const char *actor,
		const struct org_change *c, char **summary, size_t *moved, struct org_error *e)
{
	struct org_table t;
	char *sum = NULL;
	org_table_init(&t);
	if (db_begin(db) != 0)
		return db_err(db, e);
	if (orgs_load(db, &t) != 0) {
		db_err(db, e);
		goto fail;
	}
	if (orgs_apply(db, s, actor, &t, c, &sum, moved, e) != 0)
		goto fail;
	if (db_commit(db) != 0) {
		db_err(db, e);
		goto fail;
	}
	orgs_cache_forget_recent(); /* this node's pages show the change at once */
	org_table_free(&t);
	if (summary)
		*summary = sum;
	else
		free(sum);
	return 0;
fail:
	db_rollback(db);
	org_table_free(&t);
	free(sum);
	return -1;
}

int orgs_lookup(db_t *db, const char *code, const char *date, struct org *out)
{
	struct orgs_mark m;
	/* the model's code comparison ignores ASCII case, like the column's NOCASE */
	if (orgs_mark_read(db, &m) != 0)
		return -1;
	int found = orgs_cache_find_at(&m, code, date, out);
	if (found < 0) {
		/* not cached under this mark: load (and keep) the tree, then look */
		struct org_table t;
		org_table_init(&t);
		if (read_tree(db, &t) != 0) {
			org_table_free(&t);
			return -1;
		}
		orgs_cache_put(&m, &t);
		const struct org *o = org_find_at(&t, code, date);
		if (o)
			*out = *o;
		found = o != NULL;
		org_table_free(&t);
	}
	return found ? 0 : 1;
}

int orgs_count_alive(db_t *db, enum org_kind kind, const char *date, int64_t *out)
{
	db_stmt_t *st;
	*out = 0;
	if (db_prepare(db, "SELECT count(*) FROM org WHERE kind = ? AND valid_from <= ? "
			   "AND (valid_to IS NULL OR valid_to > ?)", &st) != 0)
		return -1;
	int ok = db_bind_text(st, 1, org_kind_name(kind), (size_t)-1) == 0 &&
		 db_bind_text(st, 2, date, (size_t)-1) == 0 &&
		 db_bind_text(st, 3, date, (size_t)-1) == 0 && db_step(st) == DB_ROW;
	if (ok)
		*out = db_col_i64(st, 0);
	db_finalize(st);
	return ok ? 0 : -1;
}
