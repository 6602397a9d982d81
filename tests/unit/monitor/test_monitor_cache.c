/* test_monitor_cache.c: a year's dashboard tables kept in memory
 * (src/monitor/cache.c, migration 0022). A second load of the same key is a
 * hit (the load counter stays) and equal, cell and mark, to a load without
 * the cache; a write through another connection (as another node or
 * `probity import` would make it) to a case, a report, a register or the
 * tree changes the next answer, and so does a rebuild of the counts; a rolled-back write does not cost a reload;
 * two scopes, two days and two trees each get their own figures, never the
 * other's; the page's risk heat and scores likewise (a framework, a year,
 * a tree each their own); the table stays within its bound; the page's HTML
 * kept per key, each part of the key and both marks its own (test_html_keys).
 * Each test fails when the cache
 * ignores the marks, a part of the key, or is never used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/scope.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "frameworks/framework.h"
#include "monitor/cache.h"
#include "monitor/store.h"
#include "monitor/trend.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

#define TODAY "2025-06-01"
#define YEAR 2024

struct fx {
	struct testfx t;
	struct arena a;
	struct scope all, fin; /* every department; FIN alone */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	testfx_open(&f->t);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	testfx_add_org(&f->t, "EZK", "RIJK", -1);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	if (scope_all_departments(f->t.db, &f->all) != 0 || f->all.n != 3) {
		fail_msg("scope_all_departments: %zu", f->all.n);
		return -1;
	}
	f->fin.n = 0;
	for (size_t i = 0; i < f->all.n; i++)
		if (strcmp(f->all.dept[i].code, "FIN") == 0)
			f->fin.dept[f->fin.n++] = f->all.dept[i];
	mon_cache_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_free(&f->a);
	testfx_close(&f->t);
	free(f);
	mon_cache_clear();
	return 0;
}

static void add_cases(db_t *db, const char *org, int n, const char *opened)
{
	char sql[600];
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO case_file (org_id, protocol, protocol_revision, phase,"
			 " phase_started_on, opened_on, opened_at, summary_key) SELECT id,"
			 " 'onderzoeksprotocol', 1, 'intake', '%s', '%s', '%sT09:00:00Z', X''"
			 " FROM org WHERE code = '%s'",
			 opened, opened, opened, org);
		testdb_exec(db, sql);
	}
}

static void add_report(db_t *db, const char *org, const char *received)
{
	char sql[700];
	snprintf(sql, sizeof sql,
		 "INSERT INTO report (org_id, kind, mode, questionnaire, questionnaire_revision,"
		 " received_on, received_at, receipt_lookup, receipt_salt, body) SELECT id,"
		 " 'integrity_violation', 'anonymous', 'q', 1, '%s', '%sT10:00:00Z',"
		 " randomblob(32), randomblob(16), X'' FROM org WHERE code = '%s'",
		 received, received, org);
	testdb_exec(db, sql);
}

/* The year's tables through the cache, as the page reads them. */
static const struct mon_dash *get(struct fx *f, db_t *db, const struct scope *s, int year,
				  int today_tree, const char *today)
{
	struct mon_marks m;
	char err[300];
	struct mon_dash *d = arena_alloc(&f->a, sizeof *d);
	if (mon_marks_read(db, &m) != 0) {
		fail_msg("mon_marks_read: %s", db_error(db)->msg);
		return NULL;
	}
	if (mon_dash_get(db, &f->a, &m, s, year, today_tree, today, 5, d, err, sizeof err) != 0) {
		fail_msg("mon_dash_get: %s", err);
		return NULL;
	}
	return d;
}

/* Row of department code in d, or -1. */
static int row(const struct mon_dash *d, const char *code)
{
	for (size_t i = 0; i < d->scope.n; i++)
		if (strcmp(d->scope.dept[i].code, code) == 0)
			return (int)i;
	return -1;
}

static long long cell(const struct mon_dash *d, int t, const char *code, size_t c)
{
	int r = row(d, code);
	if (r < 0) {
		fail_msg("no row %s", code);
		return -1;
	}
	return *mon_at(&d->t[t].g, (size_t)r, c);
}

/* Whether a and b are the same tables: rows, cells and marks. */
static void assert_same(const struct mon_dash *a, const struct mon_dash *b)
{
	assert_int_equal(a->scope.n, b->scope.n);
	assert_int_equal(a->none, b->none);
	assert_int_equal(a->from_registers, b->from_registers);
	for (size_t i = 0; i < a->scope.n; i++) {
		assert_int_equal(a->scope.dept[i].id, b->scope.dept[i].id);
		assert_string_equal(a->scope.dept[i].name, b->scope.dept[i].name);
		assert_int_equal(a->former[i], b->former[i]);
	}
	for (size_t t = 0; t < MON_NTABLES; t++) {
		const struct mon_grid *x = &a->t[t].g, *y = &b->t[t].g;
		assert_int_equal(a->t[t].present, b->t[t].present);
		if (!a->t[t].present)
			continue;
		assert_int_equal(x->nrows, y->nrows);
		assert_int_equal(x->ncols, y->ncols);
		size_t cells = (x->nrows + 1) * (x->ncols + 1);
		assert_memory_equal(x->n, y->n, cells * sizeof *x->n);
		assert_memory_equal(x->mark, y->mark, cells);
		if (a->t[t].heads_are_codes)
			for (size_t c = 0; c < x->ncols; c++)
				assert_string_equal(a->t[t].heads[c], b->t[t].heads[c]);
	}
}

/* The load without the cache, to compare with. */
static const struct mon_dash *direct(struct fx *f, const struct scope *s, int year,
				     int today_tree, const char *today)
{
	char err[300];
	struct mon_dash *d = arena_alloc(&f->a, sizeof *d);
	if (mon_dash_load(f->t.db, &f->a, s, year, today_tree, today, 5, d, err, sizeof err) != 0) {
		fail_msg("mon_dash_load: %s", err);
		return NULL;
	}
	return d;
}

static void test_hit_equals_load(void **state)
{
	struct fx *f = *state;
	add_cases(f->t.db, "FIN", 7, "2024-03-01");
	add_cases(f->t.db, "BZK", 9, "2024-05-01");
	add_cases(f->t.db, "EZK", 2, "2024-05-01"); /* small: hidden, and others with it */
	testdb_exec(f->t.db, "INSERT INTO case_measure (case_id, code) SELECT id, 'warning' "
		    "FROM case_file WHERE org_id = (SELECT id FROM org WHERE code = 'BZK')");
	uint64_t l0 = mon_cache_loads();
	const struct mon_dash *a = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(mon_cache_loads(), l0 + 1);
	const struct mon_dash *b = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(mon_cache_loads(), l0 + 1); /* a hit */
	if (!a || !b)
		return;
	assert_same(a, b);
	assert_same(b, direct(f, &f->all, YEAR, 0, TODAY));
	assert_true(a->t[MON_T_MEASURES].present);
	assert_int_equal(cell(b, MON_T_CASES, "FIN", MON_C_OPEN), 7);
	/* the hit is the request's own copy: changing it changes no later answer */
	*mon_at(&((struct mon_dash *)b)->t[MON_T_CASES].g, 0, 0) = 999;
	assert_same(a, get(f, f->t.db, &f->all, YEAR, 0, TODAY));

	/* the trends read through it: a second page load is five hits */
	struct mon_trend tr;
	char err[300];
	assert_int_equal(mon_trend_load(f->t.db, &f->a, &f->all, YEAR, 0, TODAY, 5, &tr, err,
					sizeof err), 0);
	uint64_t l1 = mon_cache_loads();
	assert_int_equal(mon_trend_load(f->t.db, &f->a, &f->all, YEAR, 0, TODAY, 5, &tr, err,
					sizeof err), 0);
	assert_int_equal(mon_cache_loads(), l1);
	assert_int_equal(tr.nyears, MON_TREND_YEARS);
	assert_same(tr.d[MON_TREND_YEARS - 1], a);
}

/* Another node's writes, by plain SQL on its own connection. */
static void test_write_by_another_connection(void **state)
{
	struct fx *f = *state;
	add_cases(f->t.db, "FIN", 7, "2024-03-01");
	add_cases(f->t.db, "BZK", 9, "2024-05-01");
	db_t *other = testdb_open(f->t.db_path, 0, 1000);
	const struct mon_dash *d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	if (!d)
		return;
	assert_int_equal(cell(d, MON_T_CASES, "FIN", MON_C_OPEN), 7);

	add_cases(other, "FIN", 1, "2024-08-01");
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(cell(d, MON_T_CASES, "FIN", MON_C_OPEN), 8);

	/* a case closed with an outcome moves between columns */
	testdb_exec(other, "UPDATE case_file SET closed_on = '2024-12-01', outcome = "
		    "'not_established', category = '1', taxonomy = 't', taxonomy_revision = 1 "
		    "WHERE id = (SELECT min(id) FROM case_file)");
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(cell(d, MON_T_CASES, "FIN", MON_C_OPEN), 7);
	assert_same(d, direct(f, &f->all, YEAR, 0, TODAY));

	/* reports */
	for (int i = 0; i < 6; i++)
		add_report(other, "BZK", "2024-02-01");
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(*mon_at(&d->t[MON_T_ACK].g, (size_t)row(d, "BZK"), 3), 6);
	testdb_exec(other, "UPDATE report SET acknowledged_on = '2024-02-03'");
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(cell(d, MON_T_ACK, "BZK", 0), 6);
	assert_same(d, direct(f, &f->all, YEAR, 0, TODAY));

	/* the tree: a renamed department's row is named anew */
	testdb_exec(other, "UPDATE org SET name = 'Financien' WHERE code = 'FIN'");
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_string_equal(d->scope.dept[row(d, "FIN")].name, "Financien");

	/* the registers, read for the years before the first case */
	d = get(f, f->t.db, &f->all, 2019, 0, TODAY);
	assert_true(d->from_registers);
	assert_int_equal(cell(d, MON_T_CASES, "BZK", MON_C_VIOLATION), 0);
	testdb_exec(other, "INSERT INTO registration_import (sha256, file_name, rows, "
		    "imported_at, imported_by) VALUES (printf('%064d', 1), 'r.csv', 5, "
		    "'2025-01-01T00:00:00Z', 'cli:test')");
	char sql[600];
	for (int i = 0; i < 5; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO registration (org_id, received_on, category, taxonomy, "
			 "taxonomy_revision, outcome, police_report, import_id) "
			 "SELECT o.id, '2019-04-0%d', '1', 't', 1, 'established', 0, "
			 "(SELECT max(id) FROM registration_import) FROM org o WHERE o.code = 'BZK'",
			 i + 1);
		testdb_exec(other, sql);
	}
	d = get(f, f->t.db, &f->all, 2019, 0, TODAY);
	assert_int_equal(cell(d, MON_T_CASES, "BZK", MON_C_VIOLATION), 5);

	/* counts set right by a rebuild: wrong ones were cached first */
	testdb_exec(other, "UPDATE monitor_case_count SET n = n + 3 WHERE year = 2024 AND closed = 0 "
		    "AND org_id = (SELECT id FROM org WHERE code = 'FIN')");
	mon_cache_clear();
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(cell(d, MON_T_CASES, "FIN", MON_C_OPEN), 10);
	assert_int_equal(monitor_rebuild(other, NULL), 0);
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(cell(d, MON_T_CASES, "FIN", MON_C_OPEN), 7);

	/* a write rolled back leaves the mark, and the cache, as they were */
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY); /* again since the registers */
	uint64_t l0 = mon_cache_loads();
	testdb_exec(other, "BEGIN");
	add_cases(other, "FIN", 3, "2024-08-01");
	testdb_exec(other, "ROLLBACK");
	d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(mon_cache_loads(), l0);
	assert_int_equal(cell(d, MON_T_CASES, "FIN", MON_C_OPEN), 7);
	db_close(other);
}

/* Two scopes, two days, two trees: each its own answer. */
static void test_keys_do_not_mix(void **state)
{
	struct fx *f = *state;
	add_cases(f->t.db, "FIN", 7, "2024-03-01");
	add_cases(f->t.db, "BZK", 9, "2024-05-01");
	add_report(f->t.db, "FIN", "2024-01-10"); /* never acknowledged, no feedback */
	for (int i = 0; i < 5; i++)
		add_report(f->t.db, "FIN", "2024-01-12");
	const struct mon_dash *all = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	const struct mon_dash *fin = get(f, f->t.db, &f->fin, YEAR, 0, TODAY);
	if (!all || !fin)
		return;
	assert_int_equal(all->scope.n, 3);
	assert_int_equal(fin->scope.n, 1);
	assert_int_equal(row(fin, "BZK"), -1);
	assert_same(fin, direct(f, &f->fin, YEAR, 0, TODAY));
	/* the totals are the scope's own */
	const struct mon_grid *g = &fin->t[MON_T_CASES].g;
	assert_int_equal(*mon_at(g, g->nrows, g->ncols), 7);
	assert_same(all, get(f, f->t.db, &f->all, YEAR, 0, TODAY));
	assert_same(fin, get(f, f->t.db, &f->fin, YEAR, 0, TODAY));

	/* "overdue now" moves with the day: the same marks, another answer */
	const struct mon_dash *early = get(f, f->t.db, &f->fin, YEAR, 0, "2024-02-01");
	const struct mon_dash *late = get(f, f->t.db, &f->fin, YEAR, 0, TODAY);
	assert_int_equal(*mon_at(&early->t[MON_T_FEEDBACK].g, 0, 3), 0);
	assert_int_equal(*mon_at(&late->t[MON_T_FEEDBACK].g, 0, 3), 6);
	assert_same(early, direct(f, &f->fin, YEAR, 0, "2024-02-01"));

	/* today's tree after a rename: its rows are today's names, the year's
	 * tree keeps the old one */
	testdb_exec(f->t.db, "UPDATE org SET name = 'Old' WHERE code = 'EZK'");
	struct org_error oe;
	static const struct org_successor into = {"KGG", "Klimaat"};
	struct org_change c = {.op = ORG_OP_RENAME, .on = "2025-01-01", .code = "EZK",
			       .into = &into, .ninto = 1, .scope = -1};
	if (orgs_change(f->t.db, &f->t.signer, "cli:test", &c, NULL, NULL, &oe) != 0) {
		fail_msg("rename: %s", oe.msg);
		return;
	}
	struct scope now;
	assert_int_equal(scope_all_departments(f->t.db, &now), 0);
	const struct mon_dash *then = get(f, f->t.db, &now, YEAR, 0, TODAY);
	const struct mon_dash *today = get(f, f->t.db, &now, YEAR, 1, TODAY);
	assert_true(row(then, "EZK") >= 0);
	assert_int_equal(row(then, "KGG"), -1);
	assert_true(row(today, "KGG") >= 0);
	assert_int_equal(row(today, "EZK"), -1);
	assert_same(then, direct(f, &now, YEAR, 0, TODAY));
	assert_same(today, direct(f, &now, YEAR, 1, TODAY));
}

static void add_risks(db_t *db, const char *org, int n)
{
	char sql[700];
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO risk (org_id, title, description, inherent_likelihood, "
			 "inherent_impact, residual_likelihood, residual_impact, treatment, owner, "
			 "status, updated_on) SELECT id, 'r', '', 4, 4, 4, 4, 'reduce', 'o', 'open', "
			 "'2025-01-01' FROM org WHERE code = '%s'",
			 org);
		testdb_exec(db, sql);
	}
}

/* The page's scores and heat through the cache, for d's year. */
static const struct mon_heat *extras_fw(struct fx *f, db_t *db, const struct scope *s,
					const struct mon_dash *d, const char *fw)
{
	struct mon_marks m;
	char err[300];
	struct mon_score *scores = NULL;
	struct mon_heat *h = arena_alloc(&f->a, sizeof *h);
	if (!d || mon_marks_read(db, &m) != 0 ||
	    mon_extras_get(db, &f->a, &m, s, d, fw, &scores, h, err, sizeof err) != 0) {
		fail_msg("mon_extras_get");
		return NULL;
	}
	for (size_t i = 0; i < d->scope.n; i++)
		assert_int_equal(scores[i].id, 0); /* no assessment in this database */
	return h;
}

static const struct mon_heat *extras(struct fx *f, db_t *db, const struct scope *s,
				     const struct mon_dash *d)
{
	return extras_fw(f, db, s, d, "basisnormen-2006");
}

static long long heat_total(const struct mon_heat *h)
{
	if (!h) {
		fail_msg("no heat");
		return -1;
	}
	return *mon_at(&h->g, h->g.nrows, h->g.ncols);
}

static void test_scores_and_heat(void **state)
{
	struct fx *f = *state;
	add_risks(f->t.db, "FIN", 6);
	add_risks(f->t.db, "BZK", 7);
	db_t *other = testdb_open(f->t.db_path, 0, 1000);
	const struct mon_dash *all = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	const struct mon_dash *fin = get(f, f->t.db, &f->fin, YEAR, 0, TODAY);
	uint64_t l0 = mon_cache_loads();
	const struct mon_heat *h = extras(f, f->t.db, &f->all, all);
	assert_int_equal(heat_total(h), 13);
	assert_int_equal(extras(f, f->t.db, &f->all, all)->g.nrows, 3);
	assert_int_equal(mon_cache_loads(), l0 + 1); /* the second a hit */
	/* another scope: its own rows and total, not the other's */
	h = extras(f, f->t.db, &f->fin, fin);
	assert_int_equal(h->g.nrows, 1);
	assert_int_equal(heat_total(h), 6);
	assert_int_equal(heat_total(extras(f, f->t.db, &f->all, all)), 13);
	/* two scopes of as many departments: BZK's risks are not EZK's */
	struct scope bf = {.n = 0}, ef = {.n = 0};
	for (size_t i = 0; i < f->all.n; i++) {
		if (strcmp(f->all.dept[i].code, "EZK") != 0)
			bf.dept[bf.n++] = f->all.dept[i];
		if (strcmp(f->all.dept[i].code, "BZK") != 0)
			ef.dept[ef.n++] = f->all.dept[i];
	}
	assert_int_equal(heat_total(extras(f, f->t.db, &bf, get(f, f->t.db, &bf, YEAR, 0, TODAY))),
			 13);
	assert_int_equal(heat_total(extras(f, f->t.db, &ef, get(f, f->t.db, &ef, YEAR, 0, TODAY))),
			 6);

	/* the scores are of a framework and up to a year: each its own entry */
	uint64_t l2 = mon_cache_loads();
	extras_fw(f, f->t.db, &f->all, all, "bios-2023");
	assert_int_equal(mon_cache_loads(), l2 + 1);
	extras(f, f->t.db, &f->all, get(f, f->t.db, &f->all, YEAR - 1, 0, TODAY));
	assert_int_equal(mon_cache_loads(), l2 + 3); /* that year's tables, then its extras */

	/* and of a threshold: 6 of FIN's risks are small under 10 */
	struct mon_dash *t10 = arena_alloc(&f->a, sizeof *t10);
	*t10 = *all;
	t10->threshold = 10;
	h = extras(f, f->t.db, &f->all, t10);
	assert_int_equal(mon_show(&h->g, (size_t)row(all, "FIN"), h->g.ncols), MON_SHOW_SMALL);
	h = extras(f, f->t.db, &f->all, all);
	assert_int_equal(mon_show(&h->g, (size_t)row(all, "FIN"), h->g.ncols), MON_SHOW_NUMBER);

	/* a risk closed on another node */
	testdb_exec(other, "UPDATE risk SET status = 'closed' WHERE id = (SELECT min(id) FROM risk)");
	all = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_int_equal(heat_total(extras(f, f->t.db, &f->all, all)), 12);
	/* a matrix added there moves the risks into its bands */
	testdb_exec(other, "INSERT INTO risk_matrix (org_id, likelihood_levels, impact_levels) "
		    "SELECT id, 5, 5 FROM org WHERE code = 'FIN'");
	uint64_t l1 = mon_cache_loads();
	all = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	extras(f, f->t.db, &f->all, all);
	assert_int_equal(mon_cache_loads(), l1 + 2); /* the tables and the extras again */
	db_close(other);
}

/* FIN's signed-off self-assessment of year against the shipped framework
 * code (no items: its score is "no score", but its row is there). */
static void add_assessment(struct fx *f, const char *code, int year)
{
	int added = 0;
	int64_t fw = 0;
	char sql[700];
	if (frameworks_ensure_shipped(f->t.db, &f->t.signer, &added) != 0 ||
	    frameworks_latest(f->t.db, code, &fw) != 0) {
		fail_msg("frameworks: %s", db_error(f->t.db)->msg);
		return;
	}
	/* no accounts in this database: the signer's id is not checked here */
	testdb_exec(f->t.db, "PRAGMA foreign_keys = OFF");
	snprintf(sql, sizeof sql,
		 "INSERT INTO assessment (org_id, framework_version_id, framework_code, year, status,"
		 " created_by, created_at, signed_off_by, signed_off_at) SELECT id, %lld, '%s', %d,"
		 " 'signed_off', 1, '%d-03-01T10:00:00Z', 1, '%d-04-01T10:00:00Z' FROM org"
		 " WHERE code = 'FIN'",
		 (long long)fw, code, year, year, year);
	testdb_exec(f->t.db, sql);
	testdb_exec(f->t.db, "PRAGMA foreign_keys = ON");
}

/* The id of the assessment the page shows for code's row, through the cache. */
static int64_t score_id(struct fx *f, const struct scope *s, const struct mon_dash *d,
			const char *fw, const char *code)
{
	struct mon_marks m;
	char err[300];
	struct mon_score *scores = NULL;
	struct mon_heat h;
	int r = d ? row(d, code) : -1;
	if (r < 0 || mon_marks_read(f->t.db, &m) != 0 ||
	    mon_extras_get(f->t.db, &f->a, &m, s, d, fw, &scores, &h, err, sizeof err) != 0) {
		fail_msg("scores of %s", code);
		return -1;
	}
	return scores[r].id;
}

/* The scores are per row of the year's tables, of one framework, up to a
 * year: each their own entry, and each row its own department's. */
static void test_scores_keys(void **state)
{
	struct fx *f = *state;
	if (strcmp(db_engine_name(f->t.db), "sqlite") != 0)
		skip(); /* the assessment's signer is no account: SQLite's foreign keys go off */
	add_assessment(f, "basisnormen-2006", YEAR);
	const struct mon_dash *d = get(f, f->t.db, &f->all, YEAR, 0, TODAY);
	assert_true(score_id(f, &f->all, d, "basisnormen-2006", "FIN") > 0);
	assert_int_equal(score_id(f, &f->all, d, "oecd-integrity-2017", "FIN"), 0);
	assert_true(score_id(f, &f->all, d, "basisnormen-2006", "FIN") > 0);
	const struct mon_dash *before = get(f, f->t.db, &f->all, YEAR - 1, 0, TODAY);
	assert_int_equal(score_id(f, &f->all, before, "basisnormen-2006", "FIN"), 0);

	/* after EZK became KGG, FIN is the second row of today's tree and the
	 * third of the year's: its score follows it in both */
	static const struct org_successor into = {"KGG", "Klimaat"};
	struct org_change c = {.op = ORG_OP_RENAME, .on = "2025-01-01", .code = "EZK",
			       .into = &into, .ninto = 1, .scope = -1};
	struct org_error oe;
	if (orgs_change(f->t.db, &f->t.signer, "cli:test", &c, NULL, NULL, &oe) != 0) {
		fail_msg("rename: %s", oe.msg);
		return;
	}
	struct scope now;
	assert_int_equal(scope_all_departments(f->t.db, &now), 0);
	const struct mon_dash *then = get(f, f->t.db, &now, YEAR, 0, TODAY);
	const struct mon_dash *today = get(f, f->t.db, &now, YEAR, 1, TODAY);
	assert_int_equal(row(then, "FIN"), 2);
	assert_int_equal(row(today, "FIN"), 1);
	assert_true(score_id(f, &now, then, "basisnormen-2006", "FIN") > 0);
	assert_true(score_id(f, &now, today, "basisnormen-2006", "FIN") > 0);
	assert_int_equal(score_id(f, &now, today, "basisnormen-2006", "KGG"), 0);
}

static void test_bound(void **state)
{
	struct fx *f = *state;
	add_cases(f->t.db, "FIN", 7, "2020-03-01");
	/* more keys than entries: every year twice over, in both trees */
	for (int tree = 0; tree < 2; tree++)
		for (int y = 1990; y < 1990 + MON_CACHE_ENTRIES; y++) {
			get(f, f->t.db, &f->all, y, tree, TODAY);
			assert_true(mon_cache_size() <= MON_CACHE_ENTRIES);
		}
	assert_int_equal(mon_cache_size(), MON_CACHE_ENTRIES);
	/* the most recent ones are kept, the oldest went */
	uint64_t l0 = mon_cache_loads();
	get(f, f->t.db, &f->all, 1990 + MON_CACHE_ENTRIES - 1, 1, TODAY);
	assert_int_equal(mon_cache_loads(), l0);
	get(f, f->t.db, &f->all, 1990, 0, TODAY);
	assert_int_equal(mon_cache_loads(), l0 + 1);
	assert_same(get(f, f->t.db, &f->all, 2020, 0, TODAY), direct(f, &f->all, 2020, 0, TODAY));
}

/* ---- the page's HTML (mon_html_get) ---- */

#define MISS "(none)"

/* The page kept for k under m, or MISS (the buffer then left empty). */
static const char *html_get(const struct mon_marks *m, const struct mon_html_key *k,
			    struct buf *b)
{
	buf_reset(b);
	if (!mon_html_get(m, k, b))
		return b->n == 0 ? MISS : "(a miss that wrote)";
	return b->p ? b->p : "(a hit without bytes)";
}

/* Same key, same bytes; a change of any one part of the key, or of either
 * mark, is a miss and never another key's page; the bound holds. Fails
 * when the cache leaves a part of the key or the marks out. */
static void test_html_keys(void **state)
{
	struct fx *f = *state;
	struct mon_marks m, m2;
	if (mon_marks_read(f->t.db, &m) != 0) {
		fail_msg("marks: %s", db_error(f->t.db)->msg);
		return;
	}
	const struct mon_html_key k = {.scope = &f->all, .totals_only = 0, .year = YEAR,
				       .today_tree = 0, .threshold = 5, .today = TODAY,
				       .fw = "NORM", .lang = "en"};
	struct buf b = BUF_INIT;
	assert_string_equal(html_get(&m, &k, &b), MISS);
	mon_html_put(&m, &k, "<p>en</p>", 9);
	const char *got = html_get(&m, &k, &b);
	assert_string_equal(got, "<p>en</p>");
	assert_int_equal(b.n, 9);
	/* appended after what the buffer holds (the frame's top) */
	buf_reset(&b);
	buf_adds(&b, "<top>");
	assert_int_equal(mon_html_get(&m, &k, &b), 1);
	assert_string_equal(b.p, "<top><p>en</p>");

	/* each part of the key on its own */
	struct mon_html_key o[9];
	for (size_t i = 0; i < 9; i++)
		o[i] = k;
	o[0].scope = &f->fin;
	o[1].totals_only = 1;
	o[2].year = YEAR - 1;
	o[3].today_tree = 1;
	o[4].threshold = 6;
	o[5].today = "2025-06-02";
	o[6].fw = "OTHER";
	o[7].lang = "nl";
	struct scope renamed = f->all; /* the same ids, another name */
	snprintf(renamed.dept[0].name, sizeof renamed.dept[0].name, "%s", "Renamed");
	o[8].scope = &renamed;
	for (size_t i = 0; i < 9; i++) {
		if (strcmp(html_get(&m, &o[i], &b), MISS) != 0)
			fail_msg("key part %zu left out: a hit with another key", i);
		char page[32];
		int n = snprintf(page, sizeof page, "<p>%zu</p>", i);
		mon_html_put(&m, &o[i], page, (size_t)n);
	}
	for (size_t i = 0; i < 9; i++) {
		char page[32];
		snprintf(page, sizeof page, "<p>%zu</p>", i);
		assert_string_equal(html_get(&m, &o[i], &b), page);
	}
	assert_string_equal(html_get(&m, &k, &b), "<p>en</p>");

	/* either mark moved: a miss, and the new page replaces the old */
	m2 = m;
	m2.counts[0] ^= 1;
	assert_string_equal(html_get(&m2, &k, &b), MISS);
	m2 = m;
	m2.org[MON_STAMP_LEN - 1] ^= 1;
	assert_string_equal(html_get(&m2, &k, &b), MISS);
	size_t held = mon_html_size();
	mon_html_put(&m2, &k, "<p>new</p>", 10);
	assert_int_equal(mon_html_size(), held);
	assert_string_equal(html_get(&m2, &k, &b), "<p>new</p>");
	assert_string_equal(html_get(&m, &k, &b), MISS);

	/* a page too large, or a key too long, is not kept */
	char *big = xcalloc(1, MON_HTML_MAX + 2);
	memset(big, 'x', MON_HTML_MAX + 1);
	struct mon_html_key kb = k;
	kb.year = 1999;
	mon_html_put(&m, &kb, big, MON_HTML_MAX + 1);
	assert_string_equal(html_get(&m, &kb, &b), MISS);
	free(big);
	char longfw[100];
	memset(longfw, 'F', sizeof longfw - 1);
	longfw[sizeof longfw - 1] = 0;
	kb.fw = longfw;
	mon_html_put(&m, &kb, "<p>fw</p>", 9);
	assert_string_equal(html_get(&m, &kb, &b), MISS);

	/* the bound: more keys than entries, the most recent kept */
	for (int y = 1990; y < 1990 + 2 * MON_HTML_ENTRIES; y++) {
		kb = k;
		kb.year = y;
		mon_html_put(&m, &kb, "<p>y</p>", 8);
		assert_true(mon_html_size() <= MON_HTML_ENTRIES);
	}
	assert_int_equal(mon_html_size(), MON_HTML_ENTRIES);
	kb.year = 1990 + 2 * MON_HTML_ENTRIES - 1;
	assert_string_equal(html_get(&m, &kb, &b), "<p>y</p>");
	kb.year = 1990;
	assert_string_equal(html_get(&m, &kb, &b), MISS);
	mon_cache_clear();
	assert_int_equal(mon_html_size(), 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_equals_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_by_another_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_do_not_mix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scores_and_heat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scores_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_keys, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
