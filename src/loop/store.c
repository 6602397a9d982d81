/* store.c: what "where were the risks greatest" counts (loop.h), read from
 * the cases (case_file: organisation, dates, outcome, category, process;
 * migrations 0008 and 0014) and the department's risk register (risk,
 * risk_control, risk_band, risk_process; migration 0013). Read-only, one
 * read transaction, metadata in the clear only: nothing here needs a key,
 * and purged cases count like any other (their statistical record stays).
 *
 * Categories are compared in the current taxonomy: a case or risk filed
 * under another revision is mapped to it (cases_data_map_category) when the
 * mapping gives one code; when it gives several the stored code is kept as
 * it is, so the violation still counts, on a row of its own. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "loop/store.h"
#include "risks/matrix.h"

/* The department's organisation rows: itself and the units under it. */
#define DOWN_CTE                                                                      \
	"WITH RECURSIVE down(id, depth) AS (SELECT ?1, 0 UNION ALL SELECT o.id, "      \
	"down.depth + 1 FROM org o JOIN down ON o.parent_id = down.id WHERE o.kind = " \
	"'unit' AND down.depth < 16) "

static int fail(char *err, size_t errlen, db_t *db, const char *what)
{
	const struct db_error *e = db_error(db);
	snprintf(err, errlen, "%s: %s", what, e && e->msg[0] ? e->msg : "database error");
	return -1;
}

/* code of taxonomy id/revision in the current taxonomy, into out. */
static void current_code(const char *tax, int revision, const char *code, char *out,
			 size_t cap)
{
	const struct cases_taxonomy *cur = cases_data_taxonomy();
	const char *m[4];
	size_t nm = 0;
	snprintf(out, cap, "%s", code);
	if (!cur || strcmp(tax, cur->id) != 0 || revision == cur->revision)
		return;
	if (cases_data_map_category(tax, code, revision, cur->revision, m, 4, &nm) == 0 &&
	    nm == 1)
		snprintf(out, cap, "%s", m[0]);
}

/* The department's bands ranked by their lowest score: its own rows, or the
 * default matrix's. */
static int load_bands(db_t *db, struct arena *a, int64_t dept, struct loop_band **out,
		      size_t *n)
{
	db_stmt_t *st = NULL;
	struct loop_band *b = arena_alloc(a, RISKS_BANDS_MAX * sizeof *b);
	*n = 0;
	if (db_prepare(db, "SELECT name, lo, hi FROM risk_band WHERE org_id = ? ORDER BY lo, hi",
		       &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && *n < RISKS_BANDS_MAX) {
		b[*n].name = arena_strdup(a, db_col_text(st, 0));
		b[*n].lo = (int)db_col_i64(st, 1);
		b[*n].hi = (int)db_col_i64(st, 2);
		(*n)++;
	}
	db_finalize(st);
	if (step != DB_ROW && step != DB_DONE)
		return -1;
	if (*n == 0) {
		struct risks_matrix m;
		risks_matrix_default(&m);
		risks_matrix_sort(&m);
		for (size_t i = 0; i < m.nbands; i++)
			b[(*n)++] = (struct loop_band){arena_strdup(a, m.bands[i].name),
						       m.bands[i].lo, m.bands[i].hi};
	}
	*out = b;
	return 0;
}

int loop_band_rank(const struct loop_band *b, size_t n, int score)
{
	for (size_t i = 0; i < n; i++)
		if (score >= b[i].lo && score <= b[i].hi)
			return (int)i;
	return -1;
}

static int load_violations(db_t *db, struct arena *a, int64_t dept, const char *lo,
			   const char *hi, struct loop_data *d)
{
	db_stmt_t *st = NULL;
	size_t cap = 256;
	struct loop_violation *v = arena_alloc(a, cap * sizeof *v);
	d->in.nv = 0;
	if (db_prepare(db, DOWN_CTE "SELECT coalesce(c.process_id, 0), c.category, c.taxonomy, "
			   "c.taxonomy_revision, c.opened_on FROM case_file c "
			   "WHERE c.org_id IN (SELECT id FROM down) AND c.closed_on IS NOT NULL "
			   "AND c.outcome IN ('established', 'partly') AND c.category IS NOT NULL "
			   "AND c.opened_on BETWEEN ?2 AND ?3 ORDER BY c.opened_on, c.id", &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0 || db_bind_text(st, 2, lo, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, hi, (size_t)-1) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (d->in.nv == LOOP_VIOLATIONS_MAX)
			break; /* the model refuses more; this keeps memory bounded */
		if (d->in.nv == cap) {
			struct loop_violation *w = arena_alloc(a, 2 * cap * sizeof *w);
			memcpy(w, v, cap * sizeof *v);
			v = w;
			cap *= 2;
		}
		struct loop_violation *x = &v[d->in.nv++];
		x->process_id = db_col_i64(st, 0);
		current_code(db_col_text(st, 2), (int)db_col_i64(st, 3), db_col_text(st, 1),
			     x->category, sizeof x->category);
		snprintf(x->on, sizeof x->on, "%s", db_col_text(st, 4));
	}
	db_finalize(st);
	d->in.v = v;
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

static int load_risks(db_t *db, struct arena *a, int64_t dept, struct loop_data *d)
{
	db_stmt_t *st = NULL;
	struct loop_risk *r = arena_alloc(a, LOOP_RISKS_MAX * sizeof *r);
	d->in.nrisks = 0;
	if (db_prepare(db, "SELECT id, coalesce(process_id, 0), category, taxonomy, "
			   "taxonomy_revision, residual_likelihood * residual_impact, title "
			   "FROM risk WHERE org_id = ? AND status = 'open' AND category IS NOT NULL "
			   "ORDER BY id", &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && d->in.nrisks < LOOP_RISKS_MAX) {
		struct loop_risk *x = &r[d->in.nrisks++];
		x->id = db_col_i64(st, 0);
		x->process_id = db_col_i64(st, 1);
		current_code(db_col_text(st, 3), (int)db_col_i64(st, 4), db_col_text(st, 2),
			     x->category, sizeof x->category);
		x->band = loop_band_rank(d->bands, d->nbands, (int)db_col_i64(st, 5));
		x->band_name = x->band >= 0 ? d->bands[x->band].name : NULL;
		x->title = arena_strdup(a, db_col_text(st, 6));
	}
	db_finalize(st);
	d->in.risks = r;
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

static int load_controls(db_t *db, struct arena *a, int64_t dept, struct loop_data *d)
{
	db_stmt_t *st = NULL;
	struct loop_control *c = arena_alloc(a, LOOP_CONTROLS_MAX * sizeof *c);
	d->in.ncontrols = 0;
	if (db_prepare(db, "SELECT c.id, c.risk_id, c.implemented_on, c.description "
			   "FROM risk_control c JOIN risk r ON r.id = c.risk_id "
			   "WHERE r.org_id = ? AND r.status = 'open' AND c.status = 'implemented' "
			   "AND c.implemented_on IS NOT NULL ORDER BY c.id", &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && d->in.ncontrols < LOOP_CONTROLS_MAX) {
		struct loop_control *x = &c[d->in.ncontrols++];
		x->id = db_col_i64(st, 0);
		x->risk_id = db_col_i64(st, 1);
		snprintf(x->implemented_on, sizeof x->implemented_on, "%s", db_col_text(st, 2));
		x->description = arena_strdup(a, db_col_text(st, 3));
	}
	db_finalize(st);
	d->in.controls = c;
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

static int load_processes(db_t *db, struct arena *a, int64_t dept, struct loop_data *d)
{
	db_stmt_t *st = NULL;
	struct loop_process *p = arena_alloc(a, LOOP_RISKS_MAX * sizeof *p);
	d->nprocesses = 0;
	if (db_prepare(db, "SELECT id, name FROM risk_process WHERE org_id = ? ORDER BY name, id",
		       &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && d->nprocesses < LOOP_RISKS_MAX) {
		p[d->nprocesses].id = db_col_i64(st, 0);
		p[d->nprocesses].name = arena_strdup(a, db_col_text(st, 1));
		d->nprocesses++;
	}
	db_finalize(st);
	d->processes = p;
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

/* The first day violations can have been recorded for dept: its row's
 * valid_from, or the opening of its first case when that is later (the
 * records begin there; a before-year without records proves nothing). */
static int load_data_from(db_t *db, int64_t dept, char out[DATE_LEN + 1])
{
	db_stmt_t *st = NULL;
	out[0] = '\0';
	if (db_prepare(db, DOWN_CTE "SELECT max(o.valid_from, coalesce((SELECT min(c.opened_on) "
			   "FROM case_file c WHERE c.org_id IN (SELECT id FROM down)), '')) "
			   "FROM org o WHERE o.id = ?1", &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0) {
		db_finalize(st);
		return -1;
	}
	int step = db_step(st);
	if (step == DB_ROW)
		snprintf(out, DATE_LEN + 1, "%s", db_col_text(st, 0));
	db_finalize(st);
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

int loop_load(db_t *db, struct arena *a, int64_t dept_id, const char *from, const char *to,
	      int n, struct loop_data *out, char *err, size_t errlen)
{
	char lo[DATE_LEN + 1];
	int in_tx = 0, rc = -1;
	memset(out, 0, sizeof *out);
	if (!from || !to || date_valid(from, strlen(from)) != 0 ||
	    date_valid(to, strlen(to)) != 0 || date_add_months(from, -12, lo) != 0) {
		snprintf(err, errlen, "the period is not a pair of dates");
		return -1;
	}
	snprintf(out->in.from, sizeof out->in.from, "%s", from);
	snprintf(out->in.to, sizeof out->in.to, "%s", to);
	out->in.n = n;
	char cerr[200];
	if (cases_data_init(cerr, sizeof cerr) != 0) {
		snprintf(err, errlen, "%s", cerr);
		return -1;
	}
	if (db_begin_read(db) != 0)
		return fail(err, errlen, db, "begin");
	in_tx = 1;
	/* violations from a year before the period: a control implemented on
	 * its first day is judged on the year before it */
	if (load_bands(db, a, dept_id, &out->bands, &out->nbands) != 0 ||
	    load_violations(db, a, dept_id, lo, to, out) != 0 ||
	    load_risks(db, a, dept_id, out) != 0 || load_controls(db, a, dept_id, out) != 0 ||
	    load_processes(db, a, dept_id, out) != 0 ||
	    load_data_from(db, dept_id, out->in.data_from) != 0) {
		fail(err, errlen, db, "reading the cases and the risk register");
		goto out;
	}
	rc = 0;
out:
	if (in_tx)
		db_rollback(db);
	return rc;
}

const char *loop_process_name(const struct loop_data *d, int64_t id)
{
	for (size_t i = 0; i < d->nprocesses; i++)
		if (d->processes[i].id == id)
			return d->processes[i].name;
	return NULL;
}

int loop_access(db_t *db, const struct viewer *viewer, int64_t dept_id, int *how)
{
	struct scope s;
	const unsigned own = role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER);
	const unsigned over = role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR);
	*how = 0;
	if (scope_own(db, viewer, own, &s) != 0)
		return -1;
	if (scope_find(&s, dept_id)) {
		*how = 1;
		return 0;
	}
	if (scope_coordinated(db, viewer, over, &s) != 0)
		return -1;
	const struct scope_dept *d = scope_find(&s, dept_id);
	if (d && !d->outside_scope)
		*how = 2;
	return 0;
}
