/* test_loop_demo.c: the demo history (src/loop/demo.c) on the shipped demo
 * data: organisations, accounts, the risk registers of data/demo/risks.json
 * and data/demo/case-history.json, as `probity demo` loads them. Every
 * department of the file gets between 10 and 60 established violations a
 * year; the rows are the purge's shape (purged, no key, no team); every
 * process is its own department's; Defence has its history; the view finds
 * flags A, B and C somewhere in the default period; the audit trail
 * verifies. A malformed file or a process the register lacks writes
 * nothing. */
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
#include "orgs/orgs.h"
#include "risks/demo.h"
#include "store/testutil.h"

#define TODAY "2026-11-30"

struct demo {
	struct testfx f;
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t nl;
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
	int64_t v = -1;
	assert_int_equal(db_query_i64(d->f.db, sql, NULL, &v), 0);
	return v;
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
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
