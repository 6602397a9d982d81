/* dash.c: the dashboard's tables for one year (dash.h). Reads the counts
 * that migration 0017's triggers keep (a few hundred rows at a million
 * cases), or registrations_counts for years before the first case, maps each
 * organisation row to its department in the viewer's scope and drops the
 * rest before adding anything up, so that a department outside the scope
 * (Defence) is in no figure and no total. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "monitor/dash.h"
#include "monitor/place.h"
#include "registrations/registrations.h"
#include "web/i18n.h"

static const char *ack_heads[] = {N_("Acknowledged within 7 days"), N_("Acknowledged late"),
				  N_("Not acknowledged yet")};
static const char *feedback_heads[] = {N_("Feedback within 3 months"), N_("Feedback late"),
				       N_("Waiting, not yet due"), N_("Overdue now")};
static const char *case_heads[] = {N_("Violation established (fully or partly)"),
				   N_("Not established"), N_("Closed without outcome"),
				   N_("Still open")};
static const char *police_heads[] = {N_("Police report made"), N_("No police report"),
				     N_("Not recorded")};

int mon_read_year(const char *s, const char *today, int *year)
{
	int now = atoi(today); /* "YYYY-MM-DD": the year */
	if (!s || !*s) {
		*year = now - 1;
		return 0;
	}
	if (strlen(s) != 4)
		return -1;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	int y = atoi(s);
	if (y < MON_YEAR_MIN || y > now)
		return -1;
	*year = y;
	return 0;
}

/* organisation row -> row of the grids, remembered; the tree read once */
struct orgmap {
	int64_t *org;
	int *row;
	size_t n, cap;
	struct org_table t;
	const struct scope *in;   /* the viewer's departments today */
	int64_t govs[SCOPE_MAX];  /* the governments of the viewer's departments */
	size_t ngovs;
};

static int in_govs(const struct orgmap *m, int64_t id)
{
	for (size_t i = 0; i < m->ngovs; i++)
		if (m->govs[i] == id)
			return 1;
	return 0;
}

static int add_row(struct mon_dash *d, const struct org *o, int former)
{
	if (d->scope.n == SCOPE_MAX)
		return -1; /* not reached with a dozen departments a year */
	struct scope_dept *f = &d->scope.dept[d->scope.n];
	memset(f, 0, sizeof *f);
	f->id = o->id;
	snprintf(f->code, sizeof f->code, "%s", o->code);
	snprintf(f->name, sizeof f->name, "%s", o->name);
	d->former[d->scope.n] = former;
	return (int)d->scope.n++;
}

static int by_code_from(const void *x, const void *y)
{
	const struct org *a = *(const struct org *const *)x, *b = *(const struct org *const *)y;
	int c = strcmp(a->code, b->code);
	return c ? c : strcmp(a->valid_from, b->valid_from);
}

/* Whether the counts of place pl may be shown to the viewer at all: its
 * department as it was lies in one of the viewer's governments and inside
 * the scope, and so does every department it leads to today. The same
 * rule in both views, so that their totals are equal; when unsure, out. */
static int admitted(const struct orgmap *m, const struct mon_place *pl)
{
	if (pl->was->kind != ORG_DEPARTMENT || pl->was->outside_scope || pl->succ_outside ||
	    !in_govs(m, pl->was->parent_id))
		return 0;
	for (size_t i = 0; i < pl->nsucc; i++)
		if (!scope_find(m->in, pl->succ[i]->id))
			return 0;
	return 1;
}

/* The rows before any count: today's departments in scope, or those of
 * the scope's governments that existed in the year, by code. */
static void init_rows(struct orgmap *m, struct mon_dash *d, const struct scope *scope)
{
	m->in = scope;
	for (size_t i = 0; i < scope->n; i++) {
		const struct org *o = org_by_id(&m->t, scope->dept[i].id);
		if (o && !in_govs(m, o->parent_id) && m->ngovs < SCOPE_MAX)
			m->govs[m->ngovs++] = o->parent_id;
	}
	if (d->today) {
		d->scope = *scope;
		return;
	}
	char lo[32], hi[32]; /* room for any int, though the year was checked */
	snprintf(lo, sizeof lo, "%04d-01-01", d->year);
	snprintf(hi, sizeof hi, "%04d-01-01", d->year + 1);
	const struct org *rows[SCOPE_MAX] = {0};
	size_t n = 0;
	for (size_t i = 0; i < m->t.nrows && n < SCOPE_MAX; i++) {
		const struct org *o = &m->t.rows[i];
		struct mon_place pl;
		if (o->kind != ORG_DEPARTMENT || strcmp(o->valid_from, hi) >= 0 ||
		    (o->valid_to[0] && strcmp(o->valid_to, lo) <= 0) ||
		    mon_place(&m->t, o->id, &pl) != 0 || !admitted(m, &pl))
			continue;
		rows[n++] = o;
	}
	if (n)
		qsort(rows, n, sizeof *rows, by_code_from);
	for (size_t i = 0; i < n; i++)
		add_row(d, rows[i], MON_ROW_DEPT);
}

/* The row of place pl (admitted): as it was, its department's row (added
 * when the year's tree lacks it, so that no admitted count is lost);
 * today, the one department it leads to, else its department as it was on
 * a marked row of its own. -1 when there is no room. */
static int place_row(struct mon_dash *d, const struct mon_place *pl)
{
	if (d->today && pl->nsucc == 1) {
		const struct scope_dept *in = scope_find(&d->scope, pl->succ[0]->id);
		return in ? (int)(in - d->scope.dept) : -1;
	}
	int former = !d->today ? MON_ROW_DEPT : pl->nsucc ? MON_ROW_SPLIT : MON_ROW_GONE;
	for (size_t i = 0; i < d->scope.n; i++)
		if (d->scope.dept[i].id == pl->was->id && d->former[i] == former)
			return (int)i;
	int row = add_row(d, pl->was, former);
	if (row >= 0 && former == MON_ROW_SPLIT) {
		const struct org *sorted[ORG_MAX_SUCCESSORS];
		memcpy(sorted, pl->succ, pl->nsucc * sizeof *sorted);
		qsort(sorted, pl->nsucc, sizeof *sorted, by_code_from);
		size_t len = 0;
		char *t = d->succ[row];
		t[0] = '\0';
		for (size_t i = 0; i < pl->nsucc && len < MON_SUCC_TEXT_MAX; i++)
			len += (size_t)snprintf(t + len, MON_SUCC_TEXT_MAX - len, "%s%s",
						i ? ", " : "", sorted[i]->code);
	}
	return row;
}

static int row_of(struct arena *a, struct orgmap *m, struct mon_dash *d, int64_t org)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->org[i] == org)
			return m->row[i];
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		int64_t *o = arena_alloc(a, cap * sizeof *o);
		int *r = arena_alloc(a, cap * sizeof *r);
		if (m->n) {
			memcpy(o, m->org, m->n * sizeof *o);
			memcpy(r, m->row, m->n * sizeof *r);
		}
		m->org = o;
		m->row = r;
		m->cap = cap;
	}
	struct mon_place pl;
	int row = -1;
	if (mon_place(&m->t, org, &pl) == 0 && admitted(m, &pl))
		row = place_row(d, &pl);
	m->org[m->n] = org;
	m->row[m->n++] = row;
	return row;
}

static int fail(db_t *db, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s", db_error(db)->msg);
	return -1;
}

static int init_table(struct mon_table *t, struct arena *a, size_t nrows, const char *slug,
		      const char *caption, const char **heads, size_t ncols)
{
	t->slug = slug;
	t->caption = caption;
	t->heads = heads;
	t->present = 1;
	return mon_grid_init(&t->g, a, nrows, ncols);
}

static void add(struct mon_table *t, int row, size_t col, long long n)
{
	if (row >= 0 && n > 0)
		*mon_at(&t->g, (size_t)row, col) += n;
}

static int load_reports(db_t *db, struct arena *a, struct orgmap *m, struct mon_dash *d,
			const char *today)
{
	db_stmt_t *st;
	static const char *const states[] = {"on_time", "late", "none"};
	if (db_prepare(db, "SELECT org_id, ack, feedback, sum(n) FROM monitor_report_count "
			   "WHERE year = ? GROUP BY org_id, ack, feedback", &st) != 0)
		return -1;
	db_bind_i64(st, 1, d->year);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int row = row_of(a, m, d, db_col_i64(st, 0));
		long long n = db_col_i64(st, 3);
		for (size_t k = 0; k < 3; k++) {
			if (strcmp(db_col_text(st, 1), states[k]) == 0)
				add(&d->t[MON_T_ACK], row, k, n);
			if (strcmp(db_col_text(st, 2), states[k]) == 0)
				add(&d->t[MON_T_FEEDBACK], row, k, n);
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	/* overdue now depends on today, so it is counted from the reports still
	 * without feedback (the partial index monitor_report_open), by the
	 * view's own rule of when feedback is due; those move from "none" */
	if (db_prepare(db, MON_OVERDUE_SQL, &st) != 0)
		return -1;
	db_bind_i64(st, 1, d->year);
	db_bind_text(st, 2, today, (size_t)-1);
	struct mon_grid *g = &d->t[MON_T_FEEDBACK].g;
	while ((rc = db_step(st)) == DB_ROW) {
		int row = row_of(a, m, d, db_col_i64(st, 0));
		if (row < 0)
			continue;
		long long n = db_col_i64(st, 1), *none = mon_at(g, (size_t)row, 2);
		if (n > *none)
			n = *none; /* a report changed between the two reads */
		*none -= n;
		*mon_at(g, (size_t)row, 3) += n;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static void count_case(struct mon_dash *d, int row, int closed, const char *outcome, int police,
		       long long n)
{
	size_t col = !closed ? MON_C_OPEN
		     : strcmp(outcome, "established") == 0 || strcmp(outcome, "partly") == 0
			     ? MON_C_VIOLATION
		     : strcmp(outcome, "not_established") == 0 ? MON_C_NOT_ESTABLISHED
							       : MON_C_NO_OUTCOME;
	add(&d->t[MON_T_CASES], row, col, n);
	if (closed)
		add(&d->t[MON_T_POLICE], row, police == 1 ? 0 : police == 0 ? 1 : 2, n);
}

/* measure codes of the year, in a fixed order (by code) */
struct mcount {
	int row;
	char code[REG_MEASURE_MAX + 1];
	long long n;
};

static int by_code(const void *x, const void *y)
{
	return strcmp(((const struct mcount *)x)->code, ((const struct mcount *)y)->code);
}

static int measures_table(struct arena *a, struct mon_dash *d, struct mcount *mc, size_t n)
{
	struct mon_table *t = &d->t[MON_T_MEASURES];
	qsort(mc, n, sizeof *mc, by_code);
	const char **codes = arena_alloc(a, (MON_DIM_MAX + 1) * sizeof *codes);
	size_t nc = 0;
	for (size_t i = 0; i < n; i++)
		if (mc[i].row >= 0 && mc[i].n > 0 && (!nc || strcmp(codes[nc - 1], mc[i].code)))
			if (nc < MON_DIM_MAX)
				codes[nc++] = arena_strdup(a, mc[i].code);
	t->slug = "maatregelen";
	t->caption = N_("Measures taken");
	t->heads_are_codes = 1;
	if (!nc) {
		t->present = 0;
		return 0;
	}
	if (init_table(t, a, SCOPE_MAX, t->slug, t->caption, codes, nc) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < nc; c++)
			if (strcmp(codes[c], mc[i].code) == 0)
				add(t, mc[i].row, c, mc[i].n);
	return 0;
}

static int load_cases(db_t *db, struct arena *a, struct orgmap *m, struct mon_dash *d)
{
	db_stmt_t *st;
	int rc;
	if (db_prepare(db, "SELECT org_id, closed, outcome, police_report, sum(n) "
			   "FROM monitor_case_count WHERE year = ? "
			   "GROUP BY org_id, closed, outcome, police_report", &st) != 0)
		return -1;
	db_bind_i64(st, 1, d->year);
	while ((rc = db_step(st)) == DB_ROW) {
		int row = row_of(a, m, d, db_col_i64(st, 0));
		count_case(d, row, (int)db_col_i64(st, 1), db_col_text(st, 2),
			   (int)db_col_i64(st, 3), db_col_i64(st, 4));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	if (db_prepare(db, "SELECT org_id, code, sum(n) FROM monitor_measure_count "
			   "WHERE year = ? AND n > 0 GROUP BY org_id, code", &st) != 0)
		return -1;
	db_bind_i64(st, 1, d->year);
	size_t n = 0, cap = 64;
	struct mcount *mc = arena_alloc(a, cap * sizeof *mc);
	while ((rc = db_step(st)) == DB_ROW) {
		int row = row_of(a, m, d, db_col_i64(st, 0));
		if (n == cap) {
			struct mcount *b = arena_alloc(a, 2 * cap * sizeof *b);
			memcpy(b, mc, n * sizeof *mc);
			mc = b;
			cap *= 2;
		}
		mc[n].row = row;
		snprintf(mc[n].code, sizeof mc[n].code, "%s", db_col_text(st, 1));
		mc[n++].n = db_col_i64(st, 2);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return measures_table(a, d, mc, n);
}

static int load_registers(db_t *db, struct arena *a, struct orgmap *m, struct mon_dash *d)
{
	struct reg_count *rc = NULL;
	struct reg_measure_count *mr = NULL;
	size_t n = 0, nm = 0;
	int ret = -1;
	if (registrations_counts(db, d->year, d->year, &rc, &n) != 0 ||
	    registrations_measure_counts(db, d->year, d->year, &mr, &nm) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int row = row_of(a, m, d, rc[i].org_id);
		/* a register holds closed matters only */
		count_case(d, row, 1, rc[i].outcome, rc[i].police_report,
			   rc[i].registered + rc[i].cases);
	}
	struct mcount *mc = arena_alloc(a, (nm + 1) * sizeof *mc);
	for (size_t i = 0; i < nm; i++) {
		int row = row_of(a, m, d, mr[i].org_id);
		mc[i].row = row;
		snprintf(mc[i].code, sizeof mc[i].code, "%s", mr[i].code);
		mc[i].n = mr[i].registered + mr[i].cases;
	}
	ret = measures_table(a, d, mc, nm);
out:
	free(rc);
	free(mr);
	return ret;
}

/* The first nrows rows of g, in a grid of their own. */
static int cut(struct mon_grid *g, struct arena *a, size_t nrows)
{
	struct mon_grid c;
	if (mon_grid_init(&c, a, nrows, g->ncols) != 0)
		return -1;
	for (size_t r = 0; r < nrows; r++)
		for (size_t k = 0; k < g->ncols; k++)
			*mon_at(&c, r, k) = *mon_at(g, r, k);
	*g = c;
	return 0;
}

int mon_dash_load(db_t *db, struct arena *a, const struct scope *scope, int year,
		  int today_tree, const char *today, int threshold, struct mon_dash *d,
		  char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	d->year = year;
	d->today = today_tree;
	d->threshold = threshold;
	/* the rows are counted into grids of SCOPE_MAX rows, because a
	 * department before its split may add one (place_row), and then cut
	 * down to the scope's rows before the totals and the suppression */
	size_t nr = SCOPE_MAX;
	if (init_table(&d->t[MON_T_ACK], a, nr, "ontvangstbevestiging",
		       N_("Reports received: acknowledgement"), ack_heads, 3) != 0 ||
	    init_table(&d->t[MON_T_FEEDBACK], a, nr, "terugkoppeling",
		       N_("Reports received: feedback"), feedback_heads, 4) != 0 ||
	    init_table(&d->t[MON_T_CASES], a, nr, "zaken", N_("Cases by outcome"), case_heads,
		       MON_NCASECOLS) != 0 ||
	    init_table(&d->t[MON_T_POLICE], a, nr, "aangifte",
		       N_("Closed cases: police report"), police_heads, 3) != 0) {
		snprintf(err, errlen, "%zu departments: no table of that size", nr);
		return -1;
	}
	int64_t first = 0;
	if (db_query_i64(db, "SELECT coalesce(min(year), 0) FROM monitor_case_count WHERE n > 0",
			 NULL, &first) != 0)
		return fail(db, err, errlen);
	d->first_case_year = (int)first;
	d->from_registers = !first || year < first;
	struct orgmap m = {0};
	org_table_init(&m.t);
	if (orgs_load(db, &m.t) != 0) {
		org_table_free(&m.t);
		return fail(db, err, errlen);
	}
	init_rows(&m, d, scope);
	int rc = load_reports(db, a, &m, d, today) != 0 ||
		 (d->from_registers ? load_registers(db, a, &m, d) : load_cases(db, a, &m, d)) != 0;
	org_table_free(&m.t);
	if (rc)
		return fail(db, err, errlen);
	if (d->from_registers)
		d->t[MON_T_CASES].caption = N_("Registered violations by outcome");
	if (d->scope.n == 0) {
		/* a year before any department of the scope existed */
		d->none = 1;
		for (size_t i = 0; i < MON_NTABLES; i++)
			d->t[i].present = 0;
		return 0;
	}
	for (size_t i = 0; i < MON_NTABLES; i++) {
		if (!d->t[i].present)
			continue;
		if (cut(&d->t[i].g, a, d->scope.n) != 0) {
			snprintf(err, errlen, "%zu rows: no table of that size", d->scope.n);
			return -1;
		}
		mon_totals(&d->t[i].g);
	}
	/* Tables that count the same things from two sides share their row
	 * totals (reports received: acknowledgement and feedback; closed cases:
	 * outcome and police report): a total hidden in one must not be printed
	 * in the other, so they are suppressed together. Measures are counted
	 * per measure, not per case, and stand alone. */
	static const int groups[][2] = {{MON_T_ACK, MON_T_FEEDBACK}, {MON_T_CASES, MON_T_POLICE}};
	int done[MON_NTABLES] = {0};
	for (size_t k = 0; k < sizeof groups / sizeof groups[0]; k++) {
		struct mon_grid *gs[2];
		size_t n = 0;
		for (size_t j = 0; j < 2; j++)
			if (d->t[groups[k][j]].present) {
				gs[n++] = &d->t[groups[k][j]].g;
				done[groups[k][j]] = 1;
			}
		if (mon_suppress_linked(gs, n, threshold) != 0) {
			snprintf(err, errlen, "table %s cannot be suppressed", d->t[groups[k][0]].slug);
			return -1;
		}
	}
	for (size_t i = 0; i < MON_NTABLES; i++) {
		if (!d->t[i].present || done[i])
			continue;
		if (mon_suppress(&d->t[i].g, threshold) != 0) {
			snprintf(err, errlen, "table %s cannot be suppressed", d->t[i].slug);
			return -1;
		}
	}
	return 0;
}
