/* store_items.c: vulnerable positions, risks and controls of a department's
 * risk register (risks.h, migration 0013). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "risks/internal.h"
#include "risks/risks.h"
#include "web/i18n.h"

/* Binds text, or NULL for "". */
static int bind_opt(db_stmt_t *st, int idx, const char *s)
{
	return *s ? db_bind_text(st, idx, s, (size_t)-1) : db_bind_null(st, idx);
}

static int bind_opt_id(db_stmt_t *st, int idx, int64_t id)
{
	return id ? db_bind_i64(st, idx, id) : db_bind_null(st, idx);
}

static const char *const ITEMS_FULL = N_("The register holds as many of these as it can (1,000).");

/* Checks inside the transaction that row id of table (when set) is org_id's,
 * or that there is room for a new one, and that the optional process is
 * org_id's too. 0, or -1 with e. */
static int check_owned(db_t *db, const char *table, int64_t id, int64_t process_id,
		       int64_t org_id, const char *notfound, struct risks_error *e)
{
	if (risks_claim(db, table, id, org_id, notfound, ITEMS_FULL, e) != 0)
		return -1;
	if (process_id)
		return risks_require(db, "risk_process", process_id, org_id, RISKS_EINVALID,
				     N_("Choose a process of this department, or none."), e);
	return 0;
}

/* ---- positions ---- */

static const char POSITION_COLS[] =
	"id, coalesce(process_id, 0), title, staff, screening, screening_status, rotation_years, "
	"rotation_status, declaration, declaration_status, updated_on";

static void position_row(db_stmt_t *st, struct risks_position *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_i64(st, 0);
	p->process_id = db_col_i64(st, 1);
	risks_copy(p->title, sizeof p->title, db_col_text(st, 2));
	p->staff = (int)db_col_i64(st, 3);
	risks_copy(p->screening, sizeof p->screening, db_col_text(st, 4));
	risks_copy(p->screening_status, sizeof p->screening_status, db_col_text(st, 5));
	p->rotation_years = (int)db_col_i64(st, 6);
	risks_copy(p->rotation_status, sizeof p->rotation_status, db_col_text(st, 7));
	p->declaration = (int)db_col_i64(st, 8);
	risks_copy(p->declaration_status, sizeof p->declaration_status, db_col_text(st, 9));
	risks_copy(p->updated_on, sizeof p->updated_on, db_col_text(st, 10));
}

/* ?2 .. ?11 of POSITION_UPSERT */
static int position_bind(db_stmt_t *st, const void *rec, const char *today)
{
	const struct risks_position *p = rec;
	return bind_opt_id(st, 2, p->process_id) ||
	       db_bind_text(st, 3, p->title, (size_t)-1) != 0 || db_bind_i64(st, 4, p->staff) != 0 ||
	       db_bind_text(st, 5, p->screening, (size_t)-1) != 0 ||
	       db_bind_text(st, 6, p->screening_status, (size_t)-1) != 0 ||
	       db_bind_i64(st, 7, p->rotation_years) != 0 ||
	       db_bind_text(st, 8, p->rotation_status, (size_t)-1) != 0 ||
	       db_bind_i64(st, 9, p->declaration) != 0 ||
	       db_bind_text(st, 10, p->declaration_status, (size_t)-1) != 0 ||
	       db_bind_text(st, 11, today, (size_t)-1) != 0 ? -1 : 0;
}

static const struct risks_upsert POSITION_UPSERT = {
	.table = "risk_position",
	.insert_sql = "INSERT INTO risk_position (org_id, process_id, title, staff, screening, "
		      "screening_status, rotation_years, rotation_status, declaration, "
		      "declaration_status, updated_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		      "?10, ?11) RETURNING id",
	.update_sql = "UPDATE risk_position SET process_id = ?2, title = ?3, staff = ?4, "
		      "screening = ?5, screening_status = ?6, rotation_years = ?7, "
		      "rotation_status = ?8, declaration = ?9, declaration_status = ?10, "
		      "updated_on = ?11 WHERE id = ?1 RETURNING id",
	.added = "risk.position.add",
	.updated = "risk.position.update",
};

int risks_position_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
			int64_t org_id, struct risks_position *p, const char *today,
			struct risks_error *e)
{
	const struct risks_act a = {s, actor_id, org_id, today};
	if (risks_begin(db, risks_position_check(p), e) != 0)
		return -1;
	if (check_owned(db, "risk_position", p->id, p->process_id, org_id,
			N_("This department has no such position."), e) != 0 ||
	    risks_upsert(db, &a, &POSITION_UPSERT, org_id, position_bind, p, &p->id, e) != 0)
		return risks_rollback(db, e);
	risks_copy(p->updated_on, sizeof p->updated_on, today);
	return 0;
}

/* ---- risks ---- */

static const char RISK_COLS[] =
	"r.id, coalesce(r.process_id, 0), r.title, r.description, coalesce(r.category, ''), "
	"coalesce(r.taxonomy, ''), coalesce(r.taxonomy_revision, 0), r.inherent_likelihood, "
	"r.inherent_impact, r.residual_likelihood, r.residual_impact, r.treatment, r.owner, "
	"coalesce(r.review_on, ''), r.status, r.updated_on, coalesce(p.name, '')";

static void risk_row(db_stmt_t *st, const struct risks_matrix *m, struct risks_risk *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_i64(st, 0);
	r->process_id = db_col_i64(st, 1);
	risks_copy(r->title, sizeof r->title, db_col_text(st, 2));
	risks_copy(r->description, sizeof r->description, db_col_text(st, 3));
	risks_copy(r->category, sizeof r->category, db_col_text(st, 4));
	risks_copy(r->taxonomy, sizeof r->taxonomy, db_col_text(st, 5));
	r->taxonomy_revision = (int)db_col_i64(st, 6);
	r->il = (int)db_col_i64(st, 7);
	r->ii = (int)db_col_i64(st, 8);
	r->rl = (int)db_col_i64(st, 9);
	r->ri = (int)db_col_i64(st, 10);
	risks_copy(r->treatment, sizeof r->treatment, db_col_text(st, 11));
	risks_copy(r->owner, sizeof r->owner, db_col_text(st, 12));
	risks_copy(r->review_on, sizeof r->review_on, db_col_text(st, 13));
	risks_copy(r->status, sizeof r->status, db_col_text(st, 14));
	risks_copy(r->updated_on, sizeof r->updated_on, db_col_text(st, 15));
	risks_copy(r->process_name, sizeof r->process_name, db_col_text(st, 16));
	r->inherent_band = risks_band_of(m, r->il, r->ii);
	r->residual_band = risks_band_of(m, r->rl, r->ri);
}

/* A risk as written: the record and the taxonomy of its category (NULL
 * when it has none). */
struct risk_rec {
	const struct risks_risk *r;
	const struct cases_taxonomy *tx;
};

/* ?2 .. ?16 of RISK_UPSERT */
static int risk_bind(db_stmt_t *st, const void *rec, const char *today)
{
	const struct risks_risk *r = ((const struct risk_rec *)rec)->r;
	const struct cases_taxonomy *tx = ((const struct risk_rec *)rec)->tx;
	return bind_opt_id(st, 2, r->process_id) ||
	       db_bind_text(st, 3, r->title, (size_t)-1) != 0 ||
	       db_bind_text(st, 4, r->description, (size_t)-1) != 0 ||
	       bind_opt(st, 5, r->category) != 0 ||
	       (tx ? db_bind_text(st, 6, tx->id, (size_t)-1) : db_bind_null(st, 6)) != 0 ||
	       (tx ? db_bind_i64(st, 7, tx->revision) : db_bind_null(st, 7)) != 0 ||
	       db_bind_i64(st, 8, r->il) != 0 || db_bind_i64(st, 9, r->ii) != 0 ||
	       db_bind_i64(st, 10, r->rl) != 0 || db_bind_i64(st, 11, r->ri) != 0 ||
	       db_bind_text(st, 12, r->treatment, (size_t)-1) != 0 ||
	       db_bind_text(st, 13, r->owner, (size_t)-1) != 0 || bind_opt(st, 14, r->review_on) ||
	       db_bind_text(st, 15, r->status, (size_t)-1) != 0 ||
	       db_bind_text(st, 16, today, (size_t)-1) != 0 ? -1 : 0;
}

static const struct risks_upsert RISK_UPSERT = {
	.table = "risk",
	.insert_sql = "INSERT INTO risk (org_id, process_id, title, description, category, "
		      "taxonomy, taxonomy_revision, inherent_likelihood, inherent_impact, "
		      "residual_likelihood, residual_impact, treatment, owner, review_on, status, "
		      "updated_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		      "?14, ?15, ?16) RETURNING id",
	.update_sql = "UPDATE risk SET process_id = ?2, title = ?3, description = ?4, "
		      "category = ?5, taxonomy = ?6, taxonomy_revision = ?7, "
		      "inherent_likelihood = ?8, inherent_impact = ?9, residual_likelihood = ?10, "
		      "residual_impact = ?11, treatment = ?12, owner = ?13, review_on = ?14, "
		      "status = ?15, updated_on = ?16 WHERE id = ?1 RETURNING id",
	.added = "risk.add",
	.updated = "risk.update",
};

int risks_risk_save(db_t *db, const struct audit_signer *s, int64_t actor_id, int64_t org_id,
		    struct risks_risk *r, const char *today, struct risks_error *e)
{
	const struct risks_act a = {s, actor_id, org_id, today};
	struct risks_matrix m;
	const char *why;
	struct risk_rec rec = {r, NULL};
	char err[300];
	risks_error_clear(e);
	if (*r->category) {
		if (cases_data_init(err, sizeof err) != 0 || !(rec.tx = cases_data_taxonomy())) {
			snprintf(e->detail, sizeof e->detail, "taxonomy: %s", err);
			e->code = RISKS_EDB;
			return -1;
		}
		if (!cases_taxonomy_find(rec.tx, r->category))
			return risks_fail(e, RISKS_EINVALID, N_("Choose a category of integrity violation from the list, or none."));
	}
	if (risks_begin(db, NULL, e) != 0)
		return -1;
	if (risks_matrix_get(db, org_id, &m, NULL, e) != 0)
		return risks_rollback(db, e);
	/* checked against the matrix as it is inside this transaction, so that
	 * a matrix changed meanwhile cannot leave this risk off it */
	if ((why = risks_risk_check(r, &m)) != NULL) {
		risks_fail(e, RISKS_EINVALID, why);
		return risks_rollback(db, e);
	}
	if (check_owned(db, "risk", r->id, r->process_id, org_id,
			N_("This department has no such risk."), e) != 0 ||
	    risks_upsert(db, &a, &RISK_UPSERT, org_id, risk_bind, &rec, &r->id, e) != 0)
		return risks_rollback(db, e);
	if (rec.tx) {
		risks_copy(r->taxonomy, sizeof r->taxonomy, rec.tx->id);
		r->taxonomy_revision = rec.tx->revision;
	} else {
		r->taxonomy[0] = 0;
		r->taxonomy_revision = 0;
	}
	risks_copy(r->updated_on, sizeof r->updated_on, today);
	r->inherent_band = risks_band_of(&m, r->il, r->ii);
	r->residual_band = risks_band_of(&m, r->rl, r->ri);
	return 0;
}

/* ---- controls ---- */

static const char CONTROL_COLS[] =
	"c.id, c.risk_id, c.description, c.owner, c.status, coalesce(c.implemented_on, ''), "
	"coalesce(c.review_on, ''), c.updated_on";

static void control_row(db_stmt_t *st, struct risks_control *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_i64(st, 0);
	c->risk_id = db_col_i64(st, 1);
	risks_copy(c->description, sizeof c->description, db_col_text(st, 2));
	risks_copy(c->owner, sizeof c->owner, db_col_text(st, 3));
	risks_copy(c->status, sizeof c->status, db_col_text(st, 4));
	risks_copy(c->implemented_on, sizeof c->implemented_on, db_col_text(st, 5));
	risks_copy(c->review_on, sizeof c->review_on, db_col_text(st, 6));
	risks_copy(c->updated_on, sizeof c->updated_on, db_col_text(st, 7));
}

/* 0 if control c->id is one of risk c->risk_id (which is org_id's); else
 * -1 with e: RISKS_ENOTFOUND, or RISKS_EDB on a database error. */
static int control_mine(db_t *db, const struct risks_control *c, int64_t org_id,
			struct risks_error *e)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT r.org_id = ?2, c.risk_id FROM risk_control c JOIN risk r ON "
			   "r.id = c.risk_id WHERE c.id = ?1", &st) != 0 ||
	    db_bind_i64(st, 1, c->id) != 0 || db_bind_i64(st, 2, org_id) != 0) {
		rc = risks_fail_db(db, e);
		goto out;
	}
	int s = db_step(st);
	if (s == DB_ROW && db_col_i64(st, 0) && db_col_i64(st, 1) == c->risk_id)
		rc = 0;
	else if (s == DB_ROW || s == DB_DONE)
		rc = risks_fail(e, RISKS_ENOTFOUND, N_("This risk has no such control."));
	else
		rc = risks_fail_db(db, e);
out:
	db_finalize(st);
	return rc;
}

/* ?2 .. ?7 of CONTROL_UPSERT */
static int control_bind(db_stmt_t *st, const void *rec, const char *today)
{
	const struct risks_control *c = rec;
	return db_bind_text(st, 2, c->description, (size_t)-1) != 0 ||
	       db_bind_text(st, 3, c->owner, (size_t)-1) != 0 ||
	       db_bind_text(st, 4, c->status, (size_t)-1) != 0 ||
	       bind_opt(st, 5, c->implemented_on) || bind_opt(st, 6, c->review_on) ||
	       db_bind_text(st, 7, today, (size_t)-1) != 0 ? -1 : 0;
}

static const struct risks_upsert CONTROL_UPSERT = {
	.table = "risk_control",
	.insert_sql = "INSERT INTO risk_control (risk_id, description, owner, status, "
		      "implemented_on, review_on, updated_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		      "RETURNING id",
	.update_sql = "UPDATE risk_control SET description = ?2, owner = ?3, status = ?4, "
		      "implemented_on = ?5, review_on = ?6, updated_on = ?7 WHERE id = ?1 "
		      "RETURNING id",
	.added = "risk.control.add",
	.updated = "risk.control.update",
};

int risks_control_save(db_t *db, const struct audit_signer *s, int64_t actor_id,
		       int64_t org_id, struct risks_control *c, const char *today,
		       struct risks_error *e)
{
	const struct risks_act a = {s, actor_id, org_id, today};
	if (risks_begin(db, risks_control_check(c), e) != 0)
		return -1;
	/* a new control counts against the department's, through its risks */
	if (risks_require(db, "risk", c->risk_id, org_id, RISKS_ENOTFOUND,
			  N_("This department has no such risk."), e) != 0 ||
	    (c->id ? control_mine(db, c, org_id, e)
		   : risks_room(db, "risk_control", org_id, ITEMS_FULL, e)) != 0 ||
	    risks_upsert(db, &a, &CONTROL_UPSERT, c->risk_id, control_bind, c, &c->id, e) != 0)
		return risks_rollback(db, e);
	risks_copy(c->updated_on, sizeof c->updated_on, today);
	return 0;
}

/* ---- lists and single rows ---- */

/* Runs sql (bound: ?1 org_id, ?2 id when id) and reads rows with row(). */
enum kind { K_POSITION, K_RISK, K_CONTROL };

static int read_rows(db_t *db, enum kind k, int64_t org_id, int64_t id, void *out, size_t cap,
		     size_t *n, struct risks_error *e)
{
	char sql[1024];
	db_stmt_t *st = NULL;
	struct risks_matrix m;
	int s;
	size_t cnt = 0;
	*n = 0;
	if (k == K_RISK && risks_matrix_get(db, org_id, &m, NULL, e) != 0)
		return -1;
	const char *alias = k == K_POSITION ? "risk_position" : k == K_RISK ? "r" : "c";
	char w[64] = "";
	if (id)
		snprintf(w, sizeof w, " AND %s.id = ?2", alias);
	switch (k) {
	case K_POSITION:
		snprintf(sql, sizeof sql, "SELECT %s FROM risk_position WHERE org_id = ?1%s "
			 "ORDER BY title, id", POSITION_COLS, w);
		break;
	case K_RISK:
		snprintf(sql, sizeof sql, "SELECT %s FROM risk r LEFT JOIN risk_process p ON "
			 "p.id = r.process_id WHERE r.org_id = ?1%s ORDER BY r.status = 'closed', "
			 "r.title, r.id", RISK_COLS, w);
		break;
	case K_CONTROL:
		snprintf(sql, sizeof sql, "SELECT %s FROM risk_control c JOIN risk r ON "
			 "r.id = c.risk_id WHERE r.org_id = ?1%s ORDER BY c.risk_id, c.id",
			 CONTROL_COLS, w);
		break;
	}
	if (db_prepare(db, sql, &st) != 0 || db_bind_i64(st, 1, org_id) != 0 ||
	    (id && db_bind_i64(st, 2, id) != 0))
		goto dbfail;
	while ((s = db_step(st)) == DB_ROW) {
		if (cnt == cap)
			continue;
		if (k == K_POSITION)
			position_row(st, (struct risks_position *)out + cnt);
		else if (k == K_RISK)
			risk_row(st, &m, (struct risks_risk *)out + cnt);
		else
			control_row(st, (struct risks_control *)out + cnt);
		cnt++;
	}
	if (s != DB_DONE)
		goto dbfail;
	db_finalize(st);
	*n = cnt;
	return 0;
dbfail:
	db_finalize(st);
	return risks_fail_db(db, e);
}

int risks_position_list(db_t *db, struct arena *a, int64_t org_id,
			struct risks_position **out, size_t *n, struct risks_error *e)
{
	size_t cap;
	risks_error_clear(e);
	*out = risks_rows_alloc(db, a, "risk_position", org_id, sizeof **out, &cap);
	return read_rows(db, K_POSITION, org_id, 0, *out, cap, n, e);
}

int risks_risk_list(db_t *db, struct arena *a, int64_t org_id, struct risks_risk **out,
		    size_t *n, struct risks_error *e)
{
	size_t cap;
	risks_error_clear(e);
	*out = risks_rows_alloc(db, a, "risk", org_id, sizeof **out, &cap);
	return read_rows(db, K_RISK, org_id, 0, *out, cap, n, e);
}

int risks_control_list(db_t *db, struct arena *a, int64_t org_id,
		       struct risks_control **out, size_t *n, struct risks_error *e)
{
	size_t cap;
	risks_error_clear(e);
	*out = risks_rows_alloc(db, a, "risk_control", org_id, sizeof **out, &cap);
	return read_rows(db, K_CONTROL, org_id, 0, *out, cap, n, e);
}

static int one(db_t *db, enum kind k, int64_t org_id, int64_t id, void *out,
	       const char *notfound, struct risks_error *e)
{
	size_t n = 0;
	risks_error_clear(e);
	if (id <= 0)
		return risks_fail(e, RISKS_ENOTFOUND, notfound);
	if (read_rows(db, k, org_id, id, out, 1, &n, e) != 0)
		return -1;
	return n ? 0 : risks_fail(e, RISKS_ENOTFOUND, notfound);
}

int risks_position_get(db_t *db, int64_t org_id, int64_t id, struct risks_position *out,
		       struct risks_error *e)
{
	return one(db, K_POSITION, org_id, id, out, N_("This department has no such position."), e);
}

int risks_risk_get(db_t *db, int64_t org_id, int64_t id, struct risks_risk *out,
		   struct risks_error *e)
{
	return one(db, K_RISK, org_id, id, out, N_("This department has no such risk."), e);
}

int risks_control_get(db_t *db, int64_t org_id, int64_t id, struct risks_control *out,
		      struct risks_error *e)
{
	return one(db, K_CONTROL, org_id, id, out, N_("This risk has no such control."), e);
}

int risks_risk_org(db_t *db, int64_t id, int64_t *org_id)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT org_id FROM risk WHERE id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, id) == 0) {
		int s = db_step(st);
		if (s == DB_ROW) {
			*org_id = db_col_i64(st, 0);
			rc = 0;
		} else if (s == DB_DONE) {
			rc = 1;
		}
	}
	db_finalize(st);
	return rc;
}
