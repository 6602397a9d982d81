/* store.c: the matrix and the processes of a department's risk register
 * (risks.h, migration 0013), and what the storage files share. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "risks/internal.h"
#include "risks/risks.h"
#include "web/i18n.h"

void risks_error_clear(struct risks_error *e)
{
	memset(e, 0, sizeof *e);
}

void risks_copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int risks_audit(db_t *db, const struct audit_signer *s, int64_t actor_id, const char *action,
		const char *object_type, int64_t object_id, int64_t org_id)
{
	char detail[32];
	snprintf(detail, sizeof detail, "org=%" PRId64, org_id);
	return audit_append_user(db, s, actor_id, action, object_type, object_id, detail);
}

int risks_owned(db_t *db, const char *table, int64_t id, int64_t org_id)
{
	char sql[96];
	db_stmt_t *st = NULL;
	int rc = -1;
	snprintf(sql, sizeof sql, "SELECT org_id = ?2 FROM %s WHERE id = ?1", table);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0 ||
	    db_bind_i64(st, 2, org_id) != 0)
		goto out;
	int s = db_step(st);
	if (s == DB_ROW)
		rc = db_col_i64(st, 0) ? 1 : 0;
	else if (s == DB_DONE)
		rc = 0;
out:
	db_finalize(st);
	return rc;
}

int64_t risks_count(db_t *db, const char *table, int64_t org_id)
{
	char sql[160];
	db_stmt_t *st = NULL;
	int64_t n = -1;
	if (strcmp(table, "risk_control") == 0)
		snprintf(sql, sizeof sql, "SELECT count(*) FROM risk_control c JOIN risk r ON "
			 "r.id = c.risk_id WHERE r.org_id = ?1");
	else
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE org_id = ?1", table);
	if (db_prepare(db, sql, &st) == 0 && db_bind_i64(st, 1, org_id) == 0 &&
	    db_step(st) == DB_ROW)
		n = db_col_i64(st, 0);
	db_finalize(st);
	return n;
}

int risks_require(db_t *db, const char *table, int64_t id, int64_t org_id, int code,
		  const char *msgid, struct risks_error *e)
{
	int own = risks_owned(db, table, id, org_id);
	if (own < 0)
		return risks_fail_db(db, e);
	return own ? 0 : risks_fail(e, code, msgid);
}

int risks_room(db_t *db, const char *table, int64_t org_id, const char *full,
	       struct risks_error *e)
{
	int64_t n = risks_count(db, table, org_id);
	if (n < 0)
		return risks_fail_db(db, e);
	return n < RISKS_ITEMS_MAX ? 0 : risks_fail(e, RISKS_EFULL, full);
}

int risks_claim(db_t *db, const char *table, int64_t id, int64_t org_id, const char *notfound,
		const char *full, struct risks_error *e)
{
	return id ? risks_require(db, table, id, org_id, RISKS_ENOTFOUND, notfound, e)
		  : risks_room(db, table, org_id, full, e);
}

int risks_upsert(db_t *db, const struct risks_act *a, const struct risks_upsert *u,
		 int64_t owner, risks_bind_fn *bind, const void *rec, int64_t *id,
		 struct risks_error *e)
{
	db_stmt_t *st = NULL;
	int added = *id == 0;
	if (db_prepare(db, added ? u->insert_sql : u->update_sql, &st) != 0 ||
	    db_bind_i64(st, 1, added ? owner : *id) != 0 || bind(st, rec, a->today) != 0 ||
	    db_step(st) != DB_ROW)
		goto dbfail;
	*id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (risks_audit(db, a->s, a->actor_id, added ? u->added : u->updated, u->table, *id,
			a->org_id) != 0 || db_commit(db) != 0)
		goto dbfail;
	return 0;
dbfail:
	risks_fail_db(db, e);
	db_finalize(st);
	return -1;
}

int risks_begin(db_t *db, const char *why, struct risks_error *e)
{
	risks_error_clear(e);
	if (why)
		return risks_fail(e, RISKS_EINVALID, why);
	return db_begin(db) != 0 ? risks_fail_db(db, e) : 0;
}

int risks_rollback(db_t *db, struct risks_error *e)
{
	if (!e->code)
		e->code = RISKS_EDB;
	db_rollback(db);
	return -1;
}

void *risks_rows_alloc(db_t *db, struct arena *a, const char *table, int64_t org_id,
		       size_t size, size_t *cap)
{
	int64_t n = risks_count(db, table, org_id);
	*cap = n < 0 ? 0 : n > RISKS_ITEMS_MAX ? RISKS_ITEMS_MAX : (size_t)n;
	return arena_alloc(a, (*cap ? *cap : 1) * size);
}

/* ---- the matrix ---- */

/* Reads the matrix inside the caller's transaction (or none). */
static int matrix_read(db_t *db, int64_t org_id, struct risks_matrix *m, int *custom)
{
	db_stmt_t *st = NULL;
	int rc = -1, s;
	*custom = 0;
	risks_matrix_default(m);
	if (db_prepare(db, "SELECT likelihood_levels, impact_levels FROM risk_matrix "
			   "WHERE org_id = ?", &st) != 0 || db_bind_i64(st, 1, org_id) != 0)
		goto out;
	s = db_step(st);
	if (s == DB_DONE) {
		rc = 0;
		goto out;
	}
	if (s != DB_ROW)
		goto out;
	memset(m, 0, sizeof *m);
	m->nlikelihood = (int)db_col_i64(st, 0);
	m->nimpact = (int)db_col_i64(st, 1);
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "SELECT axis = 'impact', level, name FROM risk_matrix_level "
			   "WHERE org_id = ?", &st) != 0 || db_bind_i64(st, 1, org_id) != 0)
		goto out;
	while ((s = db_step(st)) == DB_ROW) {
		int axis = (int)db_col_i64(st, 0), lv = (int)db_col_i64(st, 1);
		if (lv < 1 || lv > RISKS_LEVELS_MAX)
			continue;
		risks_copy(axis ? m->impact[lv - 1] : m->likelihood[lv - 1], RISKS_NAME_MAX + 1,
			   db_col_text(st, 2));
	}
	if (s != DB_DONE)
		goto out;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "SELECT name, lo, hi, colour FROM risk_band WHERE org_id = ? "
			   "ORDER BY lo, hi", &st) != 0 || db_bind_i64(st, 1, org_id) != 0)
		goto out;
	while ((s = db_step(st)) == DB_ROW) {
		if (m->nbands == RISKS_BANDS_MAX)
			continue;
		struct risks_band *b = &m->bands[m->nbands++];
		risks_copy(b->name, sizeof b->name, db_col_text(st, 0));
		b->lo = (int)db_col_i64(st, 1);
		b->hi = (int)db_col_i64(st, 2);
		risks_copy(b->colour, sizeof b->colour, db_col_text(st, 3));
	}
	if (s != DB_DONE)
		goto out;
	*custom = 1;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

int risks_matrix_get(db_t *db, int64_t org_id, struct risks_matrix *m, int *custom,
		     struct risks_error *e)
{
	int c = 0;
	risks_error_clear(e);
	if (matrix_read(db, org_id, m, &c) != 0)
		return risks_fail_db(db, e);
	if (custom)
		*custom = c;
	return 0;
}

/* The risks that use a level m lacks, into e->detail; 1 when any, 0 none,
 * -1 db error. */
static int risks_off_matrix(db_t *db, int64_t org_id, const struct risks_matrix *m,
			    struct risks_error *e)
{
	db_stmt_t *st = NULL;
	int s, found = 0;
	size_t used = 0;
	if (db_prepare(db, "SELECT id, title FROM risk WHERE org_id = ?1 AND "
			   "(max(inherent_likelihood, residual_likelihood) > ?2 OR "
			   "max(inherent_impact, residual_impact) > ?3) ORDER BY id", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_bind_i64(st, 2, m->nlikelihood) != 0 ||
	    db_bind_i64(st, 3, m->nimpact) != 0) {
		db_finalize(st);
		return -1;
	}
	e->detail[0] = 0;
	while ((s = db_step(st)) == DB_ROW) {
		found++;
		if (used + 60 >= sizeof e->detail)
			continue;
		char title[48];
		snprintf(title, sizeof title, "%s", db_col_text(st, 1));
		int w = snprintf(e->detail + used, sizeof e->detail - used, "%s%" PRId64 " '%s'",
				 found > 1 ? ", " : "", db_col_i64(st, 0), title);
		if (w > 0)
			used += (size_t)w;
		if (used >= sizeof e->detail)
			used = sizeof e->detail - 1;
	}
	db_finalize(st);
	if (s != DB_DONE)
		return -1;
	return found > 0;
}

int risks_matrix_set(db_t *db, const struct audit_signer *s, int64_t actor_id, int64_t org_id,
		     const struct risks_matrix *m_in, const char *today, struct risks_error *e)
{
	db_stmt_t *st = NULL;
	struct risks_matrix m = *m_in;
	int rc = -1;
	(void)today;
	risks_error_clear(e);
	if (risks_matrix_check(&m, &e->problem) != 0) {
		e->matrix_problem = 1;
		return risks_fail(e, RISKS_EINVALID, NULL);
	}
	risks_matrix_sort(&m);
	if (db_begin(db) != 0)
		return risks_fail_db(db, e);
	int off = risks_off_matrix(db, org_id, &m, e);
	if (off < 0)
		goto dbfail;
	if (off) {
		risks_fail(e, RISKS_ECONFLICT, N_("Risks still use levels the new matrix does not have: {}. Change their likelihood and impact first, then the matrix."));
		goto out;
	}
	/* child rows first: the levels and bands reference the matrix row */
	if (db_prepare(db, "DELETE FROM risk_matrix_level WHERE org_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "DELETE FROM risk_band WHERE org_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO risk_matrix (org_id, likelihood_levels, impact_levels) "
			   "VALUES (?1, ?2, ?3) ON CONFLICT (org_id) DO UPDATE SET "
			   "likelihood_levels = ?2, impact_levels = ?3", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_bind_i64(st, 2, m.nlikelihood) != 0 ||
	    db_bind_i64(st, 3, m.nimpact) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO risk_matrix_level (org_id, axis, level, name) "
			   "VALUES (?, ?, ?, ?)", &st) != 0)
		goto dbfail;
	for (int axis = 0; axis < 2; axis++) {
		int n = axis ? m.nimpact : m.nlikelihood;
		for (int lv = 1; lv <= n; lv++) {
			const char *name = axis ? m.impact[lv - 1] : m.likelihood[lv - 1];
			if (db_reset(st) != 0 || db_bind_i64(st, 1, org_id) != 0 ||
			    db_bind_text(st, 2, axis ? "impact" : "likelihood", (size_t)-1) != 0 ||
			    db_bind_i64(st, 3, lv) != 0 ||
			    db_bind_text(st, 4, name, (size_t)-1) != 0 || db_step(st) != DB_DONE)
				goto dbfail;
		}
	}
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO risk_band (org_id, name, lo, hi, colour) "
			   "VALUES (?, ?, ?, ?, ?)", &st) != 0)
		goto dbfail;
	for (size_t i = 0; i < m.nbands; i++) {
		const struct risks_band *b = &m.bands[i];
		if (db_reset(st) != 0 || db_bind_i64(st, 1, org_id) != 0 ||
		    db_bind_text(st, 2, b->name, (size_t)-1) != 0 || db_bind_i64(st, 3, b->lo) != 0 ||
		    db_bind_i64(st, 4, b->hi) != 0 ||
		    db_bind_text(st, 5, b->colour, (size_t)-1) != 0 || db_step(st) != DB_DONE)
			goto dbfail;
	}
	db_finalize(st);
	st = NULL;
	if (risks_audit(db, s, actor_id, "risk.matrix", "org", org_id, org_id) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	return 0;
dbfail:
	risks_fail_db(db, e);
out:
	db_finalize(st);
	db_rollback(db);
	return rc;
}

/* ---- processes ---- */

static const char PROCESS_COLS[] =
	"id, name, description, inherent, f_complexity, f_change, f_management, f_personnel, "
	"f_history, updated_on";

static void process_row(db_stmt_t *st, struct risks_process *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_i64(st, 0);
	risks_copy(p->name, sizeof p->name, db_col_text(st, 1));
	risks_copy(p->description, sizeof p->description, db_col_text(st, 2));
	p->saint.inherent = (unsigned)db_col_i64(st, 3);
	for (int i = 0; i < SAINT_FACTORS; i++)
		p->saint.factor[i] = (int)db_col_i64(st, 4 + i);
	risks_copy(p->updated_on, sizeof p->updated_on, db_col_text(st, 9));
}

/* ?2 .. ?10 of PROCESS_UPSERT */
static int process_bind(db_stmt_t *st, const void *rec, const char *today)
{
	const struct risks_process *p = rec;
	if (db_bind_text(st, 2, p->name, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, p->description, (size_t)-1) != 0 ||
	    db_bind_i64(st, 4, p->saint.inherent) != 0)
		return -1;
	for (int i = 0; i < SAINT_FACTORS; i++)
		if (db_bind_i64(st, 5 + i, p->saint.factor[i]) != 0)
			return -1;
	return db_bind_text(st, 10, today, (size_t)-1);
}

static const struct risks_upsert PROCESS_UPSERT = {
	.table = "risk_process",
	.insert_sql = "INSERT INTO risk_process (org_id, name, description, inherent, "
		      "f_complexity, f_change, f_management, f_personnel, f_history, updated_on) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
	.update_sql = "UPDATE risk_process SET name = ?2, description = ?3, inherent = ?4, "
		      "f_complexity = ?5, f_change = ?6, f_management = ?7, f_personnel = ?8, "
		      "f_history = ?9, updated_on = ?10 WHERE id = ?1 RETURNING id",
	.added = "risk.process.add",
	.updated = "risk.process.update",
};

int risks_process_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       int64_t org_id, struct risks_process *p, const char *today,
		       struct risks_error *e)
{
	const struct risks_act a = {s, actor_id, org_id, today};
	if (risks_begin(db, risks_process_check(p), e) != 0)
		return -1;
	if (risks_claim(db, "risk_process", p->id, org_id, N_("This department has no such process."),
			N_("The register holds as many processes as it can (1,000)."), e) != 0 ||
	    risks_upsert(db, &a, &PROCESS_UPSERT, org_id, process_bind, p, &p->id, e) != 0)
		return risks_rollback(db, e);
	risks_copy(p->updated_on, sizeof p->updated_on, today);
	return 0;
}

int risks_process_list(db_t *db, struct arena *a, int64_t org_id, struct risks_process **out,
		       size_t *n, struct risks_error *e)
{
	char sql[256];
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0, cap;
	risks_error_clear(e);
	*n = 0;
	*out = risks_rows_alloc(db, a, "risk_process", org_id, sizeof **out, &cap);
	snprintf(sql, sizeof sql, "SELECT %s FROM risk_process WHERE org_id = ? "
		 "ORDER BY name, id", PROCESS_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, org_id) != 0)
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW)
		if (k < cap)
			process_row(st, &(*out)[k++]);
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = k;
	return 0;
dbfail:
	db_finalize(st);
	return risks_fail_db(db, e);
}

int risks_process_get(db_t *db, int64_t org_id, int64_t id, struct risks_process *out,
		      struct risks_error *e)
{
	char sql[256];
	db_stmt_t *st = NULL;
	risks_error_clear(e);
	snprintf(sql, sizeof sql, "SELECT %s FROM risk_process WHERE id = ? AND org_id = ?",
		 PROCESS_COLS);
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, id) != 0 ||
	    db_bind_i64(st, 2, org_id) != 0)
		goto dbfail;
	int s = db_step(st);
	if (s == DB_ROW) {
		process_row(st, out);
		db_finalize(st);
		return 0;
	}
	db_finalize(st);
	if (s == DB_DONE)
		return risks_fail(e, RISKS_ENOTFOUND, N_("This department has no such process."));
	return risks_fail_db(db, e);
dbfail:
	db_finalize(st);
	return risks_fail_db(db, e);
}

int risks_processes(db_t *db, int64_t dept_id, struct risks_process_ref *out, size_t cap,
		    size_t *n)
{
	db_stmt_t *st = NULL;
	int s;
	size_t k = 0;
	*n = 0;
	if (db_prepare(db, "SELECT id, name FROM risk_process WHERE org_id = ? ORDER BY name, id",
		       &st) != 0 || db_bind_i64(st, 1, dept_id) != 0) {
		db_finalize(st);
		return -1;
	}
	while ((s = db_step(st)) == DB_ROW) {
		if (k == cap)
			continue;
		out[k].id = db_col_i64(st, 0);
		risks_copy(out[k].name, sizeof out[k].name, db_col_text(st, 1));
		k++;
	}
	db_finalize(st);
	if (s != DB_DONE)
		return -1;
	*n = k;
	return 0;
}
