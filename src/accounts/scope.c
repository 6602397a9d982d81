/* scope.c: the departments a viewer may act for (scope.h). The viewer's role
 * rows already carry their organisation ids; the tree walk is done in SQL so
 * that a role at a unit finds its department however deep the unit lies. */
#include "accounts/scope.h"

#include <string.h>

/* The open department that ?1 is or lies under (the walk stops at the first
 * department going up; a government has none above it). */
static const char DEPT_OF_SQL[] =
	"WITH RECURSIVE up(id, kind, parent_id) AS ("
	" SELECT id, kind, parent_id FROM org WHERE id = ?1"
	" UNION ALL SELECT o.id, o.kind, o.parent_id FROM org o JOIN up ON o.id = up.parent_id"
	" WHERE up.kind <> 'department')"
	" SELECT d.id, d.code, d.name, d.outside_scope FROM up JOIN org d ON d.id = up.id"
	" WHERE d.kind = 'department' AND d.valid_to IS NULL";

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void row_to_dept(db_stmt_t *st, struct scope_dept *d)
{
	memset(d, 0, sizeof *d);
	d->id = db_col_i64(st, 0);
	copy_str(d->code, sizeof d->code, db_col_text(st, 1));
	copy_str(d->name, sizeof d->name, db_col_text(st, 2));
	d->outside_scope = db_col_i64(st, 3) != 0;
}

const struct scope_dept *scope_find(const struct scope *s, int64_t dept_id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dept[i].id == dept_id)
			return &s->dept[i];
	return NULL;
}

/* Adds d keeping the list ordered by code and free of repeats; a list that is
 * full drops the rest (SCOPE_MAX is far above any government's size). */
static void scope_add(struct scope *s, const struct scope_dept *d)
{
	if (scope_find(s, d->id) || s->n == SCOPE_MAX)
		return;
	size_t i = s->n;
	while (i > 0 && strcmp(s->dept[i - 1].code, d->code) > 0) {
		s->dept[i] = s->dept[i - 1];
		i--;
	}
	s->dept[i] = *d;
	s->n++;
}

int scope_department_of(db_t *db, int64_t org_id, struct scope_dept *out)
{
	db_stmt_t *st = NULL;
	if (db_prepare(db, DEPT_OF_SQL, &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, org_id) != 0)
		goto done;
	int s = db_step(st);
	if (s == DB_ROW) {
		row_to_dept(st, out);
		rc = 0;
	} else if (s == DB_DONE) {
		rc = 1;
	}
done:
	db_finalize(st);
	return rc;
}

int scope_department_by_code(db_t *db, const char *code, struct scope_dept *out)
{
	db_stmt_t *st = NULL;
	if (db_prepare(db,
		       "SELECT id, code, name, outside_scope FROM org WHERE kind = 'department'"
		       " AND valid_to IS NULL AND code = ?1",
		       &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_text(st, 1, code, strlen(code)) != 0)
		goto done;
	int s = db_step(st);
	if (s == DB_ROW) {
		row_to_dept(st, out);
		rc = 0;
	} else if (s == DB_DONE) {
		rc = 1;
	}
done:
	db_finalize(st);
	return rc;
}

int scope_own(db_t *db, const struct viewer *v, unsigned roles, struct scope *out)
{
	out->n = 0;
	for (size_t i = 0; v && i < v->nroles; i++) {
		if (!(role_mask(v->role[i].role) & roles))
			continue;
		struct scope_dept d;
		int rc = scope_department_of(db, v->role[i].org_id, &d);
		if (rc < 0)
			return -1;
		if (rc == 0)
			scope_add(out, &d);
	}
	return 0;
}

/* Appends the open departments (in scope only, or all) under government
 * gov_id, or under every government when gov_id is 0. */
static int add_departments(db_t *db, int64_t gov_id, int in_scope_only, struct scope *out)
{
	db_stmt_t *st = NULL;
	if (db_prepare(db,
		       "SELECT d.id, d.code, d.name, d.outside_scope FROM org d"
		       " JOIN org g ON g.id = d.parent_id AND g.kind = 'government'"
		       " WHERE d.kind = 'department' AND d.valid_to IS NULL"
		       " AND (?1 = 0 OR g.id = ?1) AND (?2 = 0 OR d.outside_scope = 0)"
		       " ORDER BY d.code",
		       &st) != 0)
		return -1;
	int rc = -1, s;
	if (db_bind_i64(st, 1, gov_id) != 0 || db_bind_i64(st, 2, in_scope_only) != 0)
		goto done;
	while ((s = db_step(st)) == DB_ROW) {
		struct scope_dept d;
		row_to_dept(st, &d);
		scope_add(out, &d);
	}
	if (s == DB_DONE)
		rc = 0;
done:
	db_finalize(st);
	return rc;
}

int scope_coordinated(db_t *db, const struct viewer *v, unsigned roles, struct scope *out)
{
	out->n = 0;
	for (size_t i = 0; v && i < v->nroles; i++) {
		if (!(role_mask(v->role[i].role) & roles))
			continue;
		/* only a role held at a government oversees its departments: a
		 * coordinator appointed at a department oversees nothing */
		int64_t is_gov = 0;
		db_stmt_t *st = NULL;
		if (db_prepare(db, "SELECT count(*) FROM org WHERE id = ?1 AND kind = 'government'",
			       &st) != 0)
			return -1;
		int ok = db_bind_i64(st, 1, v->role[i].org_id) == 0 && db_step(st) == DB_ROW;
		if (ok)
			is_gov = db_col_i64(st, 0);
		db_finalize(st);
		if (!ok)
			return -1;
		if (is_gov && add_departments(db, v->role[i].org_id, 1, out) != 0)
			return -1;
	}
	return 0;
}

int scope_all_departments(db_t *db, struct scope *out)
{
	out->n = 0;
	return add_departments(db, 0, 0, out);
}

int scope_shared_with(db_t *db, const struct viewer *v, struct scope *out)
{
	struct scope all, own;
	if (scope_all_departments(db, &all) != 0 || scope_own(db, v, ~0u, &own) != 0)
		return -1;
	out->n = 0;
	for (size_t i = 0; i < all.n; i++)
		if (!all.dept[i].outside_scope || scope_find(&own, all.dept[i].id))
			out->dept[out->n++] = all.dept[i];
	return 0;
}
