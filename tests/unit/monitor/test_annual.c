/* test_annual.c: the annual report (src/monitor/annual*.c) against the
 * records it counts. Registrations and closed cases are seeded directly in
 * the database: a department split in 2024 (EZK into EZ and KGG, its unit
 * RVO moved to EZ), Defence outside the coordinator's scope, and the
 * taxonomy's revision 2 (8 split into 8a and 8b). Checked by hand on a few
 * records, then on a few thousand random ones: every department's figure
 * equals a count of the records under it, the rows add up to the
 * departments and the departments to the total, --today moves figures
 * without losing or doubling any, and Defence is never counted but in its
 * own report. The reports' timeliness the same way: by hand, then each
 * department's received, in-time and overdue counts against the reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "monitor/annual.h"
#include "orgs/orgs.h"
#include "store/testutil.h"
#include "web/sheet.h"

static struct testfx F;

static void org_add(const char *code, const char *parent, int scope)
{
	struct org_change c = {.op = ORG_OP_ADD, .on = "2010-01-01", .code = code, .name = code,
			       .parent = parent, .kind = parent ? -1 : ORG_GOVERNMENT,
			       .scope = scope};
	struct org_error e;
	if (orgs_change(F.db, &F.signer, "test", &c, NULL, NULL, &e) != 0)
		fail_msg("org add %s: %s", code, e.msg);
}

static int setup(void **state)
{
	(void)state;
	testfx_open(&F);
	org_add("RIJK", NULL, -1);
	org_add("FIN", "RIJK", -1);
	org_add("DEF", "RIJK", 1);
	org_add("EZK", "RIJK", -1);
	org_add("RVO", "EZK", -1);
	static const struct org_successor into[] = {{"EZ", "Economische Zaken"},
						    {"KGG", "Klimaat en Groene Groei"}};
	static const struct org_move moves[] = {{"RVO", "EZ"}};
	struct org_change split = {.op = ORG_OP_SPLIT, .on = "2024-07-02", .code = "EZK",
				   .into = into, .ninto = 2, .moves = moves, .nmoves = 1,
				   .kind = -1, .scope = -1};
	struct org_error e;
	if (orgs_change(F.db, &F.signer, "test", &split, NULL, NULL, &e) != 0)
		fail_msg("split: %s", e.msg);
	testdb_exec(F.db, "INSERT INTO registration_import (id, sha256, file_name, rows,"
			  " imported_at, imported_by) VALUES (1, printf('%064d', 0), 'x.csv', 0,"
			  " '2025-01-01T00:00:00Z', 'test')");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testfx_close(&F);
	return 0;
}

/* The row of code alive on day. */
static int64_t org_at(const char *code, const char *day)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT id FROM org WHERE code = '%s' AND valid_from <= '%s' AND"
		 " (valid_to IS NULL OR valid_to > '%s')",
		 code, day, day);
	return testdb_i64(F.db, sql);
}

static void reg(const char *code, const char *day, const char *cat, int rev,
		const char *outcome, const char *measure, int police)
{
	char sql[700], m[200];
	if (measure)
		snprintf(m, sizeof m, "'%s', 'cao_rijk', 1", measure);
	else
		snprintf(m, sizeof m, "NULL, NULL, NULL");
	snprintf(sql, sizeof sql,
		 "INSERT INTO registration (org_id, received_on, category, taxonomy,"
		 " taxonomy_revision, outcome, measure, measures_list, measures_revision,"
		 " police_report, import_id) VALUES (%lld, '%s', '%s', 'schendingen', %d, '%s',"
		 " %s, %d, 1)",
		 (long long)org_at(code, day), day, cat, rev, outcome, m, police);
	testdb_exec(F.db, sql);
}

/* A closed case with a category; measure NULL for none. */
static void closed_case(const char *code, const char *day, const char *cat,
			const char *outcome, const char *measure, int police)
{
	char sql[700];
	snprintf(sql, sizeof sql,
		 "INSERT INTO case_file (org_id, protocol, protocol_revision, phase,"
		 " phase_started_on, opened_on, opened_at, summary_key, closed_on, category,"
		 " taxonomy, taxonomy_revision, outcome, police_report) VALUES (%lld,"
		 " 'onderzoeksprotocol', 1, 'closed', '%s', '%s', '%sT09:00:00Z', X'', '%s',"
		 " '%s', 'schendingen', 1, '%s', %d) RETURNING id",
		 (long long)org_at(code, day), day, day, day, day, cat, outcome, police);
	int64_t id = testdb_i64(F.db, sql);
	if (measure) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO case_measure (case_id, code) VALUES (%lld, '%s')",
			 (long long)id, measure);
		testdb_exec(F.db, sql);
	}
}

/* A report received on day by code's row then, with the acknowledgement and
 * feedback dates (NULL: none). */
static void report(const char *code, const char *day, const char *ack, const char *fb)
{
	char sql[900], a[32], f[32];
	snprintf(a, sizeof a, ack ? "'%s'" : "NULL", ack ? ack : "");
	snprintf(f, sizeof f, fb ? "'%s'" : "NULL", fb ? fb : "");
	snprintf(sql, sizeof sql,
		 "INSERT INTO report (org_id, kind, mode, questionnaire, questionnaire_revision,"
		 " received_on, received_at, acknowledged_on, feedback_on, receipt_lookup,"
		 " receipt_salt, body) VALUES (%lld, 'integrity_violation', 'anonymous', 'q', 1,"
		 " '%s', '%sT10:00:00Z', %s, %s, randomblob(32), randomblob(16), X'')",
		 (long long)org_at(code, day), day, day, a, f);
	testdb_exec(F.db, sql);
}

static const struct annual_group *group(const struct annual_report *r, const char *code,
					int undivided)
{
	for (size_t i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].code, code) == 0 && r->groups[i].undivided == undivided)
			return &r->groups[i];
	return NULL;
}

static const struct annual_row *row(const struct annual_report *r, const char *code,
				    const char *cat)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(r->groups[r->rows[i].group].code, code) == 0 &&
		    strcmp(r->rows[i].category, cat) == 0)
			return &r->rows[i];
	return NULL;
}

static void load(struct annual_opts *o, struct annual_report *r)
{
	char err[600];
	enum annual_status s = annual_load(F.db, o, r, err, sizeof err);
	if (s != ANNUAL_OK)
		fail_msg("annual_load: %d %s", (int)s, err);
}

/* By hand: both sources, outcomes, police reports, measures, the year, the
 * tree as it was and as it is today, Defence. */
static void test_by_hand(void **state)
{
	(void)state;
	reg("EZK", "2023-03-14", "1", 1, "established", "written_reprimand", 0);
	reg("EZK", "2023-05-01", "1", 1, "partly", NULL, 1);
	reg("RVO", "2023-06-01", "3", 1, "not_established", NULL, 1);
	reg("DEF", "2023-06-01", "3", 1, "established", "dismissal", 1);
	reg("FIN", "2022-12-31", "3", 1, "established", NULL, 0);   /* another year */
	closed_case("FIN", "2023-02-01", "3", "established", "dismissal", 1);
	closed_case("RVO", "2023-08-01", "1", "established", "written_reprimand", 0);
	/* open: not counted until closed */
	testdb_exec(F.db, "INSERT INTO case_file (org_id, protocol, protocol_revision, phase,"
			  " phase_started_on, opened_on, opened_at, summary_key, category, taxonomy,"
			  " taxonomy_revision) SELECT id, 'onderzoeksprotocol', 1, 'intake',"
			  " '2023-04-01', '2023-04-01', '2023-04-01T09:00:00Z', X'', '1',"
			  " 'schendingen', 1 FROM org WHERE code = 'FIN'");

	struct annual_opts o = {.year = 2023};
	struct annual_report r;
	load(&o, &r);
	assert_int_equal(r.ngroups, 2);
	const struct annual_group *ezk = group(&r, "EZK", 0), *fin = group(&r, "FIN", 0);
	if (!ezk || !fin) {
		fail_msg("EZK or FIN missing");
		return;
	}
	assert_int_equal(ezk->total.registered, 4);
	assert_int_equal(ezk->total.established, 2);
	assert_int_equal(ezk->total.partly, 1);
	assert_int_equal(ezk->total.not_established, 1);
	assert_int_equal(ezk->total.police, 2);
	assert_int_equal(ezk->measures, 2);
	assert_int_equal(fin->total.registered, 1);
	assert_int_equal(fin->measures, 1);
	assert_int_equal(r.total.registered, 5);
	assert_int_equal(r.measures_total, 3);
	assert_null(group(&r, "DEF", 0));
	const struct annual_row *x = row(&r, "EZK", "1");
	if (!x) {
		fail_msg("no EZK row for category 1");
		return;
	}
	assert_int_equal(x->c.registered, 3);
	annual_report_free(&r);

	/* today: RVO's figures follow it to EZ; EZK's own stay undivided */
	o.today = 1;
	load(&o, &r);
	const struct annual_group *ez = group(&r, "EZ", 0), *und = group(&r, "EZK", 1);
	if (!ez || !und) {
		fail_msg("EZ or undivided EZK missing");
		return;
	}
	assert_int_equal(ez->total.registered, 2);
	assert_int_equal(und->total.registered, 2);
	assert_string_equal(und->note, "before the split into EZ, KGG");
	assert_int_equal(r.total.registered, 5);
	assert_null(group(&r, "KGG", 0));
	annual_report_free(&r);

	/* one department: its own figures; KGG today sees only the undivided part */
	o.org = "KGG";
	load(&o, &r);
	assert_int_equal(r.ngroups, 1);
	assert_int_equal(r.groups[0].undivided, 1);
	assert_int_equal(r.total.registered, 2);
	annual_report_free(&r);
	o.today = 0;
	o.org = "DEF";
	load(&o, &r);
	assert_int_equal(r.ngroups, 1);
	assert_string_equal(r.groups[0].code, "DEF");
	assert_int_equal(r.total.registered, 1);
	annual_report_free(&r);

	/* refusals */
	char err[600];
	o.org = "KGG";
	assert_int_equal(annual_load(F.db, &o, &r, err, sizeof err), ANNUAL_ENOTFOUND);
	o.org = "RVO";
	assert_int_equal(annual_load(F.db, &o, &r, err, sizeof err), ANNUAL_EINVALID);
	o.org = "NOPE";
	assert_int_equal(annual_load(F.db, &o, &r, err, sizeof err), ANNUAL_ENOTFOUND);
	o.org = NULL;
	o.year = 1800;
	assert_int_equal(annual_load(F.db, &o, &r, err, sizeof err), ANNUAL_EINVALID);
	assert_int_equal(r.ngroups, 0);
}

/* Timeliness by hand: each clock's outcome, overdue as on the report's
 * date, a unit's reports under its department (and with today under the
 * successor it moved to), Defence only in its own report, another year
 * left out, and a year with registers only said to have no timeliness. */
static void test_timely(void **state)
{
	(void)state;
	report("FIN", "2023-01-02", "2023-01-05", "2023-03-01");   /* both in time */
	report("FIN", "2023-02-01", "2023-02-20", NULL);           /* late; due 2023-05-20 */
	report("FIN", "2023-11-20", "2023-11-22", NULL);           /* due 2024-02-22 */
	report("FIN", "2023-03-01", NULL, "2023-08-01");           /* none; feedback late */
	report("FIN", "2022-12-31", "2023-01-02", NULL);           /* another year */
	report("RVO", "2023-06-01", "2023-06-02", "2023-07-01");
	report("DEF", "2023-06-01", NULL, NULL);
	struct annual_opts o = {.year = 2023, .as_of = "2024-01-15"};
	struct annual_report r;
	load(&o, &r);
	const struct annual_group *fin = group(&r, "FIN", 0), *ezk = group(&r, "EZK", 0);
	if (!fin || !ezk) {
		fail_msg("FIN or EZK missing");
		return;
	}
	/* departments with reports and no violations are part of the report */
	assert_int_equal(r.ngroups, 2);
	assert_int_equal(fin->total.registered, 0);
	assert_int_equal(fin->timely.received, 4);
	assert_int_equal(fin->timely.ack_on_time, 2);
	assert_int_equal(fin->timely.ack_late, 1);
	assert_int_equal(fin->timely.ack_none, 1);
	assert_int_equal(fin->timely.feedback_on_time, 1);
	assert_int_equal(fin->timely.feedback_late, 1);
	assert_int_equal(fin->timely.waiting, 2);
	assert_int_equal(fin->timely.overdue, 1);
	assert_int_equal(ezk->timely.received, 1);
	assert_int_equal(ezk->timely.feedback_on_time, 1);
	assert_int_equal(r.timely.received, 5);
	assert_int_equal(r.timely.overdue, 1);
	assert_null(group(&r, "DEF", 0));
	assert_string_equal(r.as_of, "2024-01-15");
	annual_report_free(&r);

	/* later, the November report's feedback is overdue too */
	o.as_of = "2024-03-01";
	load(&o, &r);
	assert_int_equal(r.timely.overdue, 2);
	annual_report_free(&r);

	/* with today's departments, RVO's report follows it to EZ */
	o.today = 1;
	load(&o, &r);
	const struct annual_group *ez = group(&r, "EZ", 0);
	if (!ez) {
		fail_msg("EZ missing");
		return;
	}
	assert_int_equal(ez->timely.received, 1);
	assert_int_equal(r.timely.received, 5);
	annual_report_free(&r);

	/* Defence's own report holds its one report, not acknowledged, overdue */
	o.today = 0;
	o.org = "DEF";
	load(&o, &r);
	assert_int_equal(r.ngroups, 1);
	assert_int_equal(r.timely.received, 1);
	assert_int_equal(r.timely.ack_none, 1);
	assert_int_equal(r.timely.overdue, 1);
	annual_report_free(&r);

	/* a year of registers only: no timeliness, and the report says why */
	reg("FIN", "2021-05-01", "1", 1, "established", NULL, 0);
	o.org = NULL;
	o.year = 2021;
	load(&o, &r);
	assert_int_equal(r.timely.received, 0);
	assert_int_equal(r.from_registers, 1);
	struct buf b = {0};
	annual_html(&r, &b);
	if (!b.p) {
		fail_msg("no html");
		return;
	}
	assert_non_null(strstr(b.p, "imported registers only"));
	buf_reset(&b);
	annual_json(&r, &b);
	assert_non_null(strstr(b.p, "\"acknowledged_within_7_days_share\": null"));
	buf_free(&b);
	annual_report_free(&r);

	/* a bad date of the figures is refused */
	char err[600];
	o.as_of = "2024-02-30";
	assert_int_equal(annual_load(F.db, &o, &r, err, sizeof err), ANNUAL_EINVALID);
}

static void test_share(void **state)
{
	(void)state;
	assert_int_equal(annual_share(1, 3), 333);
	assert_int_equal(annual_share(2, 3), 667);
	assert_int_equal(annual_share(1, 8), 125);
	assert_int_equal(annual_share(7, 7), 1000);
	assert_int_equal(annual_share(0, 5), 0);
	assert_int_equal(annual_share(0, 0), -1);
}

/* Across a taxonomy change: reported in revision 2, category 8 of revision 1
 * maps to 8a and 8b and is counted once on their combination; 8a of
 * revision 2 on its own row; 3 stays 3. */
static void test_taxonomy(void **state)
{
	(void)state;
	reg("FIN", "2023-01-10", "8", 1, "established", NULL, 0);
	reg("FIN", "2023-01-11", "8", 1, "established", NULL, 0);
	reg("FIN", "2023-01-12", "8a", 2, "partly", NULL, 0);
	reg("FIN", "2023-01-13", "3", 1, "partly", NULL, 0);
	struct annual_opts o = {.year = 2023, .taxonomy = "schendingen", .taxonomy_revision = 2};
	struct annual_report r;
	load(&o, &r);
	const struct annual_row *both = row(&r, "FIN", "8a+8b"), *a = row(&r, "FIN", "8a"),
				*three = row(&r, "FIN", "3");
	if (!both || !a || !three) {
		fail_msg("rows missing");
		return;
	}
	assert_int_equal(both->c.registered, 2);
	assert_int_equal(a->c.registered, 1);
	assert_int_equal(three->c.registered, 1);
	assert_int_equal(r.nrows, 3);
	assert_int_equal(r.total.registered, 4);
	annual_report_free(&r);
	/* in revision 1, 8a maps back to 8: one row */
	o.taxonomy_revision = 1;
	load(&o, &r);
	const struct annual_row *eight = row(&r, "FIN", "8");
	if (!eight) {
		fail_msg("no row 8");
		return;
	}
	assert_int_equal(eight->c.registered, 3);
	annual_report_free(&r);
}

/* Random records: figures equal counts of the records. */
static void test_random(void **state)
{
	(void)state;
	static const char *const orgs[] = {"FIN", "DEF", "EZK", "RVO", "EZ", "KGG"};
	static const char *const outcomes[] = {"established", "partly", "not_established"};
	static const char *const cats[] = {"1", "2", "3", "5", "8"};
	srand(7);
	testdb_exec(F.db, "BEGIN");
	for (int i = 0; i < 3000; i++) {
		int year = 2022 + rand() % 4;
		char day[16];
		snprintf(day, sizeof day, "%04d-%02d-%02d", year, 1 + rand() % 12, 1 + rand() % 28);
		const char *code = orgs[rand() % 6];
		/* EZK before the split, EZ and KGG after (RVO lives on under EZ) */
		int before = strcmp(day, "2024-07-02") < 0;
		if (before && (!strcmp(code, "EZ") || !strcmp(code, "KGG")))
			code = "EZK";
		else if (!before && !strcmp(code, "EZK"))
			code = "KGG";
		if (rand() % 3)
			reg(code, day, cats[rand() % 5], 1, outcomes[rand() % 3],
			    rand() % 4 ? NULL : "written_reprimand", rand() % 2);
		else
			closed_case(code, day, cats[rand() % 5], outcomes[rand() % 3],
				    rand() % 4 ? NULL : "dismissal", rand() % 2);
		/* a report on the same day, its clocks 0-19 and 0-140 days on, or none */
		char ack[DATE_LEN + 1], fb[DATE_LEN + 1];
		int ka = rand() % 4, kf = rand() % 3;
		if (date_add_days(day, rand() % 20, ack) != 0 ||
		    date_add_days(day, 1 + rand() % 140, fb) != 0) {
			fail_msg("date %s", day);
			return;
		}
		report(code, day, ka ? ack : NULL, kf ? fb : NULL);
	}
	testdb_exec(F.db, "COMMIT");
	for (int year = 2022; year <= 2025; year++) {
		char sql[900];
		/* the records under each organisation row's department by SQL, Defence out */
		snprintf(sql, sizeof sql,
			 "WITH d(id, dept) AS (SELECT id, CASE WHEN kind = 'unit' THEN parent_id ELSE"
			 " id END FROM org), recs(org_id) AS (SELECT org_id FROM registration WHERE"
			 " received_on LIKE '%d-%%' UNION ALL SELECT org_id FROM case_file WHERE"
			 " closed_on IS NOT NULL AND category IS NOT NULL AND opened_on LIKE '%d-%%')"
			 " SELECT count(*) FROM recs JOIN d ON d.id = recs.org_id JOIN org o ON"
			 " o.id = d.dept WHERE o.outside_scope = 0",
			 year, year);
		int64_t expect = testdb_i64(F.db, sql);
		struct annual_opts o = {.year = year, .as_of = "2025-08-01"};
		struct annual_report r, t;
		load(&o, &r);
		o.today = 1;
		load(&o, &t);
		assert_int_equal(r.total.registered, expect);
		assert_int_equal(t.total.registered, expect);
		int64_t sum = 0, rows = 0;
		for (size_t i = 0; i < r.ngroups; i++) {
			const struct annual_cells *c = &r.groups[i].total;
			sum += c->registered;
			assert_int_equal(c->registered, c->established + c->partly +
								c->not_established + c->no_outcome);
			assert_false(r.groups[i].outside_scope);
			assert_string_not_equal(r.groups[i].code, "DEF");
			/* each department against its own records */
			snprintf(sql, sizeof sql,
				 "WITH d(id, dept) AS (SELECT id, CASE WHEN kind = 'unit' THEN"
				 " parent_id ELSE id END FROM org), recs(org_id) AS (SELECT org_id"
				 " FROM registration WHERE received_on LIKE '%d-%%' UNION ALL SELECT"
				 " org_id FROM case_file WHERE closed_on IS NOT NULL AND category IS"
				 " NOT NULL AND opened_on LIKE '%d-%%') SELECT count(*) FROM recs JOIN"
				 " d ON d.id = recs.org_id WHERE d.dept = %lld",
				 year, year, (long long)r.groups[i].org_id);
			assert_int_equal(c->registered, testdb_i64(F.db, sql));
			/* its reports and their clocks, counted from the reports */
			const struct annual_timely *tm = &r.groups[i].timely;
			static const char *const what[] = {
				"1 = 1",
				"acknowledged_on <= date(received_on, '+7 days')",
				"feedback_on IS NOT NULL AND feedback_on <= min(date(coalesce("
				"acknowledged_on, date(received_on, '+7 days')), '+3 months'),"
				" date(coalesce(acknowledged_on, date(received_on, '+7 days')),"
				" 'start of month', '+4 months', '-1 day'))",
				"feedback_on IS NULL",
				"feedback_on IS NULL AND '2025-08-01' > min(date(coalesce("
				"acknowledged_on, date(received_on, '+7 days')), '+3 months'),"
				" date(coalesce(acknowledged_on, date(received_on, '+7 days')),"
				" 'start of month', '+4 months', '-1 day'))"};
			const int64_t got[] = {tm->received, tm->ack_on_time, tm->feedback_on_time,
					       tm->waiting, tm->overdue};
			for (size_t k = 0; k < 5; k++) {
				snprintf(sql, sizeof sql,
					 "WITH d(id, dept) AS (SELECT id, CASE WHEN kind = 'unit' THEN"
					 " parent_id ELSE id END FROM org) SELECT count(*) FROM report"
					 " JOIN d ON d.id = report.org_id WHERE received_on LIKE '%d-%%'"
					 " AND d.dept = %lld AND %s",
					 year, (long long)r.groups[i].org_id, what[k]);
				assert_int_equal(got[k], testdb_i64(F.db, sql));
			}
			assert_int_equal(tm->received, tm->ack_on_time + tm->ack_late + tm->ack_none);
			assert_int_equal(tm->received,
					 tm->feedback_on_time + tm->feedback_late + tm->waiting);
		}
		/* the government's reports: every one of the year outside Defence, also
		 * with today's departments */
		snprintf(sql, sizeof sql,
			 "WITH d(id, dept) AS (SELECT id, CASE WHEN kind = 'unit' THEN parent_id ELSE"
			 " id END FROM org) SELECT count(*) FROM report JOIN d ON d.id = report.org_id"
			 " JOIN org o ON o.id = d.dept WHERE received_on LIKE '%d-%%' AND"
			 " o.outside_scope = 0",
			 year);
		assert_int_equal(r.timely.received, testdb_i64(F.db, sql));
		assert_int_equal(t.timely.received, r.timely.received);
		assert_int_equal(t.timely.overdue, r.timely.overdue);
		for (size_t i = 0; i < r.nrows; i++)
			rows += r.rows[i].c.registered;
		assert_int_equal(sum, expect);
		assert_int_equal(rows, expect);
		int64_t m = 0;
		for (size_t i = 0; i < t.nmeasure_totals; i++)
			m += t.measure_totals[i].n;
		assert_int_equal(m, r.measures_total);
		assert_int_equal(t.measures_total, r.measures_total);
		/* Defence's own report holds exactly its records */
		o.today = 0;
		o.org = "DEF";
		struct annual_report d;
		load(&o, &d);
		snprintf(sql, sizeof sql,
			 "SELECT (SELECT count(*) FROM registration WHERE received_on LIKE '%d-%%'"
			 " AND org_id = %lld) + (SELECT count(*) FROM case_file WHERE closed_on IS"
			 " NOT NULL AND category IS NOT NULL AND opened_on LIKE '%d-%%' AND org_id ="
			 " %lld)",
			 year, (long long)org_at("DEF", "2022-01-01"), year,
			 (long long)org_at("DEF", "2022-01-01"));
		assert_int_equal(d.total.registered, testdb_i64(F.db, sql));
		/* the government's and Defence's reports hold every record of the year */
		snprintf(sql, sizeof sql,
			 "SELECT (SELECT count(*) FROM registration WHERE received_on LIKE '%d-%%')"
			 " + (SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL AND"
			 " category IS NOT NULL AND opened_on LIKE '%d-%%')",
			 year, year);
		assert_int_equal(d.total.registered + r.total.registered, testdb_i64(F.db, sql));
		annual_report_free(&d);
		annual_report_free(&r);
		annual_report_free(&t);
	}
}

/* The renderers: the JSON and HTML hold the figures, the book its three tables. */
static void test_render(void **state)
{
	(void)state;
	reg("FIN", "2023-03-14", "1", 1, "established", "written_reprimand", 0);
	reg("FIN", "2023-03-15", "1", 1, "established", NULL, 0);
	struct annual_opts o = {.year = 2023};
	struct annual_report r;
	load(&o, &r);
	struct buf b = {0};
	annual_json(&r, &b);
	if (!b.p) {
		fail_msg("no json");
		return;
	}
	assert_non_null(strstr(b.p, "\"registered\": 2"));
	buf_reset(&b);
	annual_html(&r, &b);
	assert_non_null(strstr(b.p, "<caption>"));
	assert_non_null(strstr(b.p, "@media print"));
	buf_free(&b);
	struct arena a = ARENA_INIT;
	struct sheet_book *book = annual_book(&r, &a);
	assert_int_equal(sheet_book_tables(book), 4);
	struct buf csv = {0};
	sheet_write_csv(sheet_book_table(book, 3), &csv);
	if (!csv.p) {
		fail_msg("no timeliness table");
		return;
	}
	assert_non_null(strstr(csv.p, "Reports received"));
	buf_free(&csv);
	arena_free(&a);
	annual_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timely, setup, teardown),
		cmocka_unit_test(test_share),
		cmocka_unit_test_setup_teardown(test_taxonomy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
