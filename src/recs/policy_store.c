/* policy_store.c: policy items, the departments' adoptions and the links
 * to recommendations (policy.h, migration 0016). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "recs/internal.h"
#include "recs/policy.h"
#include "web/i18n.h"

static const char ITEM_COLS[] = "id, title, kind, version, description, stage, development_on, "
				"adopted_on, implemented_on, evaluated_on, updated_on";

static void item_row(db_stmt_t *st, struct policy_item *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_i64(st, 0);
	recs_copy(p->title, sizeof p->title, db_col_text(st, 1));
	recs_copy(p->kind, sizeof p->kind, db_col_text(st, 2));
	recs_copy(p->version, sizeof p->version, db_col_text(st, 3));
	recs_copy(p->description, sizeof p->description, db_col_text(st, 4));
	if (policy_stage_parse(db_col_text(st, 5), &p->stage) != 0)
		p->stage = POLICY_DEVELOPMENT;
	for (int s = 0; s < POLICY_NSTAGES; s++)
		recs_copy(p->stage_on[s], sizeof p->stage_on[s], db_col_text(st, 6 + s));
	recs_copy(p->updated_on, sizeof p->updated_on, db_col_text(st, 10));
}

int policy_item_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		     struct policy_item *p, const char *today, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	int added = p->id == 0;
	recs_error_clear(e);
	if ((why = policy_item_check(p, today)) != NULL)
		return recs_fail(e, RECS_EINVALID, why);
	if (db_begin(db) != 0)
		return recs_fail_db(db, e);
	if (added ? db_query_i64_2(db, "SELECT count(*) FROM policy_item", 0, 0, &n) != 0
		  : db_query_i64_2(db, "SELECT count(*) FROM policy_item WHERE id = ?1", p->id, 0, &n) != 0)
		goto dbfail;
	if (added && n >= POLICY_ITEMS_MAX) {
		recs_fail(e, RECS_EFULL, N_("The policy cycle holds as many items as it can (200)."));
		goto refused;
	}
	if (!added && n == 0) {
		recs_fail(e, RECS_ENOTFOUND, N_("There is no such policy item."));
		goto refused;
	}
	if (db_prepare(db, added ? "INSERT INTO policy_item (title, kind, version, description, "
				   "stage, development_on, adopted_on, implemented_on, evaluated_on, "
				   "updated_on) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
				   "RETURNING id"
				 : "UPDATE policy_item SET title = ?2, kind = ?3, version = ?4, "
				   "description = ?5, stage = ?6, development_on = ?7, adopted_on = ?8, "
				   "implemented_on = ?9, evaluated_on = ?10, updated_on = ?11 "
				   "WHERE id = ?1 RETURNING id", &st) != 0 ||
	    (!added && db_bind_i64(st, 1, p->id) != 0) ||
	    db_bind_text(st, 2, p->title, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, p->kind, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, p->version, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, p->description, (size_t)-1) != 0 ||
	    db_bind_text(st, 6, policy_stage_id(p->stage), (size_t)-1) != 0)
		goto dbfail;
	for (int k = 0; k < POLICY_NSTAGES; k++)
		if (db_bind_text(st, 7 + k, p->stage_on[k], (size_t)-1) != 0)
			goto dbfail;
	if (db_bind_text(st, 11, today, (size_t)-1) != 0 || db_step(st) != DB_ROW)
		goto dbfail;
	p->id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	char detail[32];
	snprintf(detail, sizeof detail, "stage=%s", policy_stage_id(p->stage));
	if (recs_audit(db, s, actor_id, added ? "recs.policy.add" : "recs.policy.update",
		       "policy_item", p->id, detail) != 0 || db_commit(db) != 0)
		goto dbfail;
	recs_copy(p->updated_on, sizeof p->updated_on, today);
	return 0;
dbfail:
	recs_fail_db(db, e);
refused:
	db_finalize(st);
	return recs_rollback(db, e);
}

int policy_item_get(db_t *db, int64_t id, struct policy_item *out, struct recs_error *e)
{
	char sql[256];
	db_stmt_t *st = NULL;
	recs_error_clear(e);
	snprintf(sql, sizeof sql, "SELECT %s FROM policy_item WHERE id = ?", ITEM_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0) {
		db_finalize(st);
		return recs_fail_db(db, e);
	}
	int s = db_step(st);
	if (s == DB_ROW)
		item_row(st, out);
	db_finalize(st);
	if (s == DB_ROW)
		return 0;
	if (s == DB_DONE)
		return recs_fail(e, RECS_ENOTFOUND, N_("There is no such policy item."));
	return recs_fail_db(db, e);
}

int policy_item_list(db_t *db, struct arena *a, struct policy_item **out, size_t *n,
		     struct recs_error *e)
{
	char sql[256];
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0, cap;
	int64_t count;
	recs_error_clear(e);
	*n = 0;
	if (db_query_i64_2(db, "SELECT count(*) FROM policy_item", 0, 0, &count) != 0)
		return recs_fail_db(db, e);
	cap = count > POLICY_ITEMS_MAX ? POLICY_ITEMS_MAX : (size_t)count;
	*out = arena_alloc(a, (cap ? cap : 1) * sizeof **out);
	snprintf(sql, sizeof sql, "SELECT %s FROM policy_item ORDER BY title, id", ITEM_COLS);
	if (db_prepare(db, sql, &st) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < cap)
			item_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}

/* ---- adoptions ---- */

static const char ADOPTION_SQL[] =
	"SELECT a.policy_id, a.org_id, a.adopted_on, a.translation, a.evaluated_on, "
	"coalesce(a.assessment_id, 0), a.updated_on, o.code, o.name, o.outside_scope "
	"FROM policy_adoption a JOIN org o ON o.id = a.org_id WHERE a.policy_id = ?1 "
	"AND (?2 = 0 OR a.org_id = ?2) ORDER BY o.code, o.id";

static void adoption_row(db_stmt_t *st, struct policy_adoption *a)
{
	memset(a, 0, sizeof *a);
	a->policy_id = db_col_i64(st, 0);
	a->org_id = db_col_i64(st, 1);
	recs_copy(a->adopted_on, sizeof a->adopted_on, db_col_text(st, 2));
	recs_copy(a->translation, sizeof a->translation, db_col_text(st, 3));
	recs_copy(a->evaluated_on, sizeof a->evaluated_on, db_col_text(st, 4));
	a->assessment_id = db_col_i64(st, 5);
	recs_copy(a->updated_on, sizeof a->updated_on, db_col_text(st, 6));
	recs_copy(a->org_code, sizeof a->org_code, db_col_text(st, 7));
	recs_copy(a->org_name, sizeof a->org_name, db_col_text(st, 8));
	a->outside_scope = db_col_i64(st, 9) != 0;
}

int policy_adoption_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
			 struct policy_adoption *a, const char *today, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	const char *why;
	int64_t n;
	char code[ORG_CODE_MAX + 1], detail[48];
	recs_error_clear(e);
	if ((why = policy_adoption_check(a, today)) != NULL)
		return recs_fail(e, RECS_EINVALID, why);
	if (db_begin(db) != 0)
		return recs_fail_db(db, e);
	if (db_query_i64_2(db, "SELECT count(*) FROM policy_item WHERE id = ?1", a->policy_id, 0, &n) != 0)
		goto dbfail;
	if (n == 0) {
		recs_fail(e, RECS_ENOTFOUND, N_("There is no such policy item."));
		goto refused;
	}
	int rc = recs_department_code(db, a->org_id, 1, code);
	if (rc < 0)
		goto dbfail;
	if (rc) {
		recs_fail(e, RECS_ENOTFOUND, N_("There is no such department."));
		goto refused;
	}
	/* the evaluation rests on the department's own self-assessment: the
	 * assessment table is src/assess's, read here only for this check,
	 * inside the same transaction */
	if (a->assessment_id) {
		if (db_query_i64_2(db, "SELECT count(*) FROM assessment WHERE id = ?1 AND org_id = ?2",
				   a->assessment_id, a->org_id, &n) != 0)
			goto dbfail;
		if (n == 0) {
			recs_fail(e, RECS_EINVALID, N_("The self-assessment chosen is not one of this department's."));
			goto refused;
		}
	}
	if (db_prepare(db, "INSERT INTO policy_adoption (policy_id, org_id, adopted_on, translation, "
			   "evaluated_on, assessment_id, updated_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
			   "ON CONFLICT (policy_id, org_id) DO UPDATE SET adopted_on = ?3, "
			   "translation = ?4, evaluated_on = ?5, assessment_id = ?6, updated_on = ?7",
		       &st) != 0 ||
	    db_bind_i64(st, 1, a->policy_id) != 0 || db_bind_i64(st, 2, a->org_id) != 0 ||
	    db_bind_text(st, 3, a->adopted_on, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, a->translation, (size_t)-1) != 0 ||
	    db_bind_text(st, 5, a->evaluated_on, (size_t)-1) != 0 ||
	    (a->assessment_id ? db_bind_i64(st, 6, a->assessment_id) : db_bind_null(st, 6)) != 0 ||
	    db_bind_text(st, 7, today, (size_t)-1) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(detail, sizeof detail, "org=%" PRId64, a->org_id);
	if (recs_audit(db, s, actor_id, "recs.adoption", "policy_item", a->policy_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	recs_copy(a->updated_on, sizeof a->updated_on, today);
	recs_copy(a->org_code, sizeof a->org_code, code);
	return 0;
dbfail:
	recs_fail_db(db, e);
refused:
	db_finalize(st);
	return recs_rollback(db, e);
}

int policy_adoption_get(db_t *db, int64_t policy_id, int64_t org_id,
			struct policy_adoption *out, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	recs_error_clear(e);
	if (db_prepare(db, ADOPTION_SQL, &st) != 0 || db_bind_i64(st, 1, policy_id) != 0 ||
	    db_bind_i64(st, 2, org_id) != 0) {
		db_finalize(st);
		return recs_fail_db(db, e);
	}
	int s = db_step(st);
	if (s == DB_ROW)
		adoption_row(st, out);
	db_finalize(st);
	if (s == DB_ROW)
		return 0;
	if (s != DB_DONE)
		return recs_fail_db(db, e);
	memset(out, 0, sizeof *out);
	out->policy_id = policy_id;
	out->org_id = org_id;
	return recs_fail(e, RECS_ENOTFOUND, N_("The department has not recorded its adoption yet."));
}

int policy_adoption_list(db_t *db, struct arena *a, int64_t policy_id,
			 struct policy_adoption **out, size_t *n, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0, cap;
	int64_t count;
	recs_error_clear(e);
	*n = 0;
	if (db_query_i64_2(db, "SELECT count(*) FROM policy_adoption WHERE policy_id = ?1", policy_id, 0,
			   &count) != 0)
		return recs_fail_db(db, e);
	/* one per department: a government has a few dozen at most */
	cap = count > 256 ? 256 : (size_t)count;
	*out = arena_alloc(a, (cap ? cap : 1) * sizeof **out);
	if (db_prepare(db, ADOPTION_SQL, &st) != 0 || db_bind_i64(st, 1, policy_id) != 0 ||
	    db_bind_i64(st, 2, 0) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < cap)
			adoption_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}

int policy_recs(db_t *db, struct arena *a, int64_t policy_id, struct recs_policy_ref **out,
		size_t *n, struct recs_error *e)
{
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0;
	recs_error_clear(e);
	*n = 0;
	*out = arena_alloc(a, POLICY_RECS_MAX * sizeof **out);
	if (db_prepare(db, "SELECT r.id, s.title, r.number FROM rec_policy l JOIN recommendation r "
			   "ON r.id = l.rec_id JOIN rec_source s ON s.id = r.source_id WHERE "
			   "l.policy_id = ? ORDER BY s.issued_on DESC, s.id DESC, "
			   "CAST(r.number AS INTEGER), r.id", &st) != 0 ||
	    db_bind_i64(st, 1, policy_id) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW) {
		if (k == POLICY_RECS_MAX)
			continue;
		(*out)[k].id = db_col_i64(st, 0);
		/* the title may be cut: it is a label, the page links the rest */
		snprintf((*out)[k].title, sizeof (*out)[k].title, "%.160s, %s", db_col_text(st, 1),
			 db_col_text(st, 2));
		k++;
	}
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return recs_fail_db(db, e);
}
