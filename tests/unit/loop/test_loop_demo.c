/* test_loop_demo.c: the demo history (src/loop/demo.c) on the shipped demo
 * data: organisations, accounts, the risk registers of data/demo/risks.json
 * and data/demo/case-history.json, as `probity demo` loads them. Every
 * department of the file gets between 10 and 60 established violations a
 * year; the rows are the purge's shape (purged, no key, no team); every
 * process is its own department's; Defence has its history; the view finds
 * flags A, B and C somewhere in the default period; the audit trail
 * verifies. Every case is filed at an organisation row valid on the day it
 * opened: before the reorganisation of 2 July 2024 at the department as it
 * was (EZK, LNV, the old BZK and JENV), without a process, in numbers that
 * carry on into their successors' without a jump. Established cases record
 * measures of the current list and a share of police reports, larger for
 * financial violations than for unwanted behaviour; cases not established
 * record neither; the dashboard's kept counts equal a rebuild. A malformed
 * file or a process the register lacks writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "loop/demo.h"
#include "loop/loop.h"
#include "loop/store.h"
#include "monitor/store.h"
#include "orgs/orgs.h"
#include "risks/demo.h"
#include "store/testutil.h"

#define TODAY "2026-11-30"

struct demo {
	struct testfx f;
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t nl;
	struct loop_demo_summary sum; /* of the shipped history, once loaded */
	int loaded;
};

static int setup(void **state)
{
	static struct demo d;
	char err[1024];
	struct risks_demo_summary rs;
	memset(&d, 0, sizeof d);
	testfx_open(&d.f);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0 ||
	    orgs_import_file(d.f.db, &d.f.signer, "test", SRCDIR "/data/demo/organisations.json",
			     err, sizeof err) != 0 ||
	    accounts_import_demo(d.f.db, &d.f.signer, "test", SRCDIR "/data/demo/accounts.json",
				 d.l, ACCOUNT_DEMO_MAX, &d.nl, err, sizeof err) != 0 ||
	    risks_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/risks.json", d.l, d.nl,
				   &rs, err, sizeof err) != 0) {
		fprintf(stderr, "demo data: %s\n", err);
		return -1;
	}
	*state = &d;
	return 0;
}

static int teardown(void **state)
{
	struct demo *d = *state;
	sodium_memzero(d->l, sizeof d->l);
	accounts_shutdown();
	testfx_close(&d->f);
	return 0;
}

static int64_t q(struct demo *d, const char *sql)
{
	return testdb_i64(d->f.db, sql); /* fails the test naming the SQL and the error */
}

static void test_refused_writes_nothing(void **state)
{
	struct demo *d = *state;
	struct loop_demo_summary s;
	char err[700];
	const char *bad[] = {
		"{\"format\":\"probity-demo-case-history\",\"version\":1,\"seed\":1,"
		"\"from\":\"2021-01-01\",\"outcomes\":{\"established\":1,\"partly\":0,"
		"\"not_established\":0},\"departments\":[{\"org\":\"FIN\",\"per_year\":10,"
		"\"unrecorded\":0,\"processes\":[{\"name\":\"Geen zo'n proces\",\"weight\":1,"
		"\"categories\":{\"1\":1}}]}]}",
		"{\"format\":\"probity-demo-case-history\",\"version\":1,\"seed\":1,"
		"\"from\":\"2021-01-01\",\"outcomes\":{\"established\":1,\"partly\":0,"
		"\"not_established\":0},\"departments\":[{\"org\":\"FIN\",\"per_year\":10,"
		"\"unrecorded\":0,\"processes\":[{\"name\":\"Invordering\",\"weight\":1,"
		"\"categories\":{\"99\":1}}]}]}",
		"{\"format\":\"probity-demo-case-history\",\"version\":1,\"seed\":1,"
		"\"from\":\"2021-01-01\",\"outcomes\":{\"established\":1,\"partly\":0,"
		"\"not_established\":0},\"departments\":[{\"org\":\"NOPE\",\"per_year\":10,"
		"\"unrecorded\":0,\"processes\":[]}]}",
		"{\"format\":\"probity-demo-case-history\",\"version\":1,\"seed\":1,\"extra\":1}",
	};
	const char *why[] = {"no process of this name", "departments[0].processes[0].categories.99",
			     "open department", "extra"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(loop_import_demo(d->f.db, &d->f.signer, "test", bad[i],
						  strlen(bad[i]), TODAY, &s, err, sizeof err), -1);
		if (!strstr(err, why[i]))
			fail_msg("case %zu: %s", i, err);
	}
	assert_int_equal(q(d, "SELECT count(*) FROM case_file"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_measure"), 0);
}

/* established (or partly) cases of the organisations with code (and their
 * units) opened in year */
static int64_t established(struct demo *d, const char *codes, int year)
{
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_file c JOIN org o ON o.id = "
		 "c.org_id LEFT JOIN org p ON p.id = o.parent_id WHERE (CASE WHEN o.kind = "
		 "'unit' THEN p.code ELSE o.code END) IN (%s) AND outcome <> 'not_established' "
		 "AND opened_on LIKE '%d-%%'", codes, year);
	return q(d, sql);
}

static void test_reorganisation_and_measures(void **state)
{
	struct demo *d = *state;
	const struct loop_demo_summary s = d->sum;
	if (!d->loaded) {
		fail_msg("test_shipped_history loads the history first");
		return;
	}
	/* every case at an organisation row (and its department) valid on the
	 * day it opened */
	assert_int_equal(q(d, "SELECT count(*) FROM case_file c JOIN org o ON o.id = c.org_id "
			      "JOIN org p ON p.id = o.parent_id WHERE o.valid_from > c.opened_on OR "
			      "o.valid_to <= c.opened_on OR (o.kind = 'unit' AND (p.valid_from > "
			      "c.opened_on OR p.valid_to <= c.opened_on))"), 0);
	/* the departments before the reorganisation have their history, and
	 * carry no process of today's registers */
	const char *before[] = {"EZK", "LNV"};
	for (size_t i = 0; i < 2; i++) {
		char codes[16];
		snprintf(codes, sizeof codes, "'%s'", before[i]);
		for (int y = 2021; y <= 2023; y++)
			if (established(d, codes, y) < 3)
				fail_msg("%s %d: %lld established violations", before[i], y,
					 (long long)established(d, codes, y));
	}
	assert_true(q(d, "SELECT count(*) FROM case_file c JOIN org o ON o.id = c.org_id "
			 "WHERE o.code = 'BZK' AND o.valid_to = '2024-07-02' AND c.opened_on < "
			 "'2024-01-01'") > 20);
	assert_int_equal(q(d, "SELECT count(*) FROM case_file WHERE opened_on < '2024-07-02' AND "
			      "process_id IS NOT NULL AND org_id IN (SELECT id FROM org WHERE "
			      "valid_to = '2024-07-02' OR parent_id IN (SELECT id FROM org WHERE "
			      "valid_to = '2024-07-02'))"), 0);
	/* no jump: JenV before against JenV and AenM after, within a factor 2 */
	int64_t was = established(d, "'JENV'", 2023), now = established(d, "'JENV','AENM'", 2025);
	if (was * 2 < now || now * 2 < was)
		fail_msg("JENV 2023: %lld, JENV + AENM 2025: %lld", (long long)was, (long long)now);
	was = established(d, "'EZK'", 2023);
	now = established(d, "'EZ','KGG'", 2025);
	if (was * 3 < now || now * 3 < was)
		fail_msg("EZK 2023: %lld, EZ + KGG 2025: %lld", (long long)was, (long long)now);

	/* the outcome's record: every case names the measures list; an
	 * established one at least one measure, police_report 1 exactly when
	 * the measure "police_report" is there; one not established none */
	assert_int_equal(q(d, "SELECT count(*) FROM case_file WHERE measures_list IS NOT "
			      "'cao_rijk' OR police_report IS NULL"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_file c WHERE c.outcome <> "
			      "'not_established' AND NOT EXISTS (SELECT 1 FROM case_measure m WHERE "
			      "m.case_id = c.id AND m.code <> 'police_report')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_file c WHERE c.outcome = "
			      "'not_established' AND (c.police_report = 1 OR EXISTS (SELECT 1 FROM "
			      "case_measure m WHERE m.case_id = c.id))"), 0);
	/* EXISTS as 0 or 1 in a CASE: PostgreSQL compares no integer with a boolean */
	assert_int_equal(q(d, "SELECT count(*) FROM case_file c WHERE c.police_report <> CASE "
			      "WHEN EXISTS (SELECT 1 FROM case_measure m WHERE m.case_id = c.id AND "
			      "m.code = 'police_report') THEN 1 ELSE 0 END"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_file c WHERE c.outcome = 'partly' AND "
			      "EXISTS (SELECT 1 FROM case_measure m WHERE m.case_id = c.id AND "
			      "m.code = 'dismissal')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_measure"), (int64_t)s.measures);
	assert_int_equal(q(d, "SELECT count(*) FROM case_file WHERE police_report = 1"),
			 (int64_t)s.police);
	/* police reports every year, and far more often for financial
	 * violations (fraud, theft) than for unwanted behaviour */
	for (int y = 2021; y <= 2025; y++) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM case_file WHERE police_report = 1 "
			 "AND opened_on LIKE '%d-%%'", y);
		if (q(d, sql) < 10)
			fail_msg("%d: %lld police reports", y, (long long)q(d, sql));
	}
	int64_t fin = q(d, "SELECT 1000 * sum(police_report) / count(*) FROM case_file WHERE "
			   "outcome = 'established' AND category = '1'");
	int64_t ub = q(d, "SELECT 1000 * sum(police_report) / count(*) FROM case_file WHERE "
			  "outcome = 'established' AND category = '6'");
	if (fin < 4 * ub || fin < 250)
		fail_msg("police reports per 1000: financial %lld, unwanted behaviour %lld",
			 (long long)fin, (long long)ub);
	/* the counts the triggers keep are what a rebuild gives */
	long long differ = -1;
	assert_int_equal(monitor_check(d->f.db, &differ), 0);
	assert_int_equal(differ, 0);
	assert_true(q(d, "SELECT sum(n) FROM monitor_measure_count") == (int64_t)s.measures);
}

static void test_shipped_history(void **state)
{
	struct demo *d = *state;
	struct loop_demo_summary s;
	char err[1024];
	if (loop_import_demo_file(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/case-history.json",
				  TODAY, &s, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	d->sum = s;
	d->loaded = 1;
	assert_true(s.departments >= 12);
	assert_true(s.cases > 1000);
	assert_true(strcmp(s.first, "2021-01-01") >= 0);
	assert_true(strcmp(s.last, "2026-10-01") <= 0);
	/* the purge's shape: purged, no key, no team, nothing of content */
	assert_int_equal(q(d, "SELECT count(*) FROM case_file WHERE purged_on IS NULL OR "
			      "length(summary_key) <> 0 OR closed_on IS NULL OR closed_on > '"
			      TODAY "' OR closed_on < opened_on"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_key"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM case_member"), 0);
	/* every process is of its case's department */
	assert_int_equal(q(d, "SELECT count(*) FROM case_file c JOIN risk_process p ON p.id = "
			      "c.process_id JOIN org o ON o.id = c.org_id WHERE p.org_id <> o.id "
			      "AND p.org_id <> o.parent_id"), 0);
	assert_true(q(d, "SELECT count(*) FROM case_file WHERE process_id IS NULL") > 0);
	assert_true(q(d, "SELECT count(*) FROM case_file WHERE unit_id IS NOT NULL") > 0);
	/* Defence has its history */
	assert_true(q(d, "SELECT count(*) FROM case_file c JOIN org o ON o.id = c.org_id "
			 "LEFT JOIN org p ON p.id = o.parent_id WHERE o.code = 'DEF' OR "
			 "p.code = 'DEF'") > 100);
	/* 10 to 60 established violations a year for a department with full
	 * years (FIN 2022..2025) */
	for (int y = 2022; y <= 2025; y++) {
		char sql[400];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM case_file c JOIN org o ON o.id = "
			 "c.org_id LEFT JOIN org p ON p.id = o.parent_id WHERE (o.code = 'FIN' OR "
			 "p.code = 'FIN') AND outcome <> 'not_established' AND opened_on LIKE '%d-%%'",
			 y);
		int64_t n = q(d, sql);
		if (n < 10 || n > 60)
			fail_msg("FIN %d: %lld established violations", y, (long long)n);
	}
	assert_int_equal(q(d, "SELECT count(*) FROM audit_log WHERE action = "
			      "'case.history-import'"), (int64_t)s.departments);
	struct audit_report ar;
	int v = audit_verify(d->f.db, d->f.key.pk, &ar);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)ar.bad_seq, ar.reason);

	/* the view shows every flag somewhere in the default period */
	struct scope all;
	int flagged[3] = {0};
	assert_int_equal(scope_all_departments(d->f.db, &all), 0);
	for (size_t i = 0; i < all.n; i++) {
		struct arena a = ARENA_INIT;
		struct loop_data data;
		struct loop_result r;
		char from[DATE_LEN + 1], to[DATE_LEN + 1];
		assert_int_equal(loop_default_period(TODAY, from, to), 0);
		if (loop_load(d->f.db, &a, all.dept[i].id, from, to, LOOP_N_DEFAULT, &data, err,
			      sizeof err) != 0 ||
		    loop_compute(&data.in, &a, &r, err, sizeof err) != 0)
			fail_msg("%s: %s", all.dept[i].code, err);
		for (int k = 0; k < 3; k++)
			flagged[k] += r.flagged[k];
		arena_free(&a);
	}
	assert_true(flagged[0] > 0);
	assert_true(flagged[1] > 0);
	assert_true(flagged[2] > 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_writes_nothing),
		cmocka_unit_test(test_shipped_history),
		cmocka_unit_test(test_reorganisation_and_measures), /* on the history just loaded */
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
