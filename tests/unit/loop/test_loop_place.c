/* test_loop_place.c: where a violation happened, recorded with the outcome
 * (cases_set_outcome_at, src/cases/outcome.c, migration 0014): a process of
 * the case's department's risk register and a unit under the department
 * are stored, read back and audited; a process of another department, a
 * unit outside it, the department itself or a negative id are refused with
 * nothing written (the outcome given with them neither); the plain
 * cases_set_outcome leaves the place alone; and the place outlives the
 * retention purge with the rest of the statistical record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/date.h"
#include "cases/cases.h"
#include "cases/casesfx.h"
#include "cases/walk.h"

static int64_t proc_fin, proc_fin2, proc_bzk, org_fin, org_dgb, org_bzk;

static int64_t add_process(struct cfx *f, int64_t org, const char *name)
{
	char sql[300];
	snprintf(sql, sizeof sql, "INSERT INTO risk_process (org_id, name, description, inherent, "
		 "f_complexity, f_change, f_management, f_personnel, f_history, updated_on) "
		 "VALUES (%lld, '%s', '', 0, 0, 0, 0, 0, 0, '2026-01-01')", (long long)org, name);
	assert_int_equal(db_exec(f->t.db, sql), 0);
	return cfx_q(f, "SELECT max(id) FROM risk_process");
}

static int setup(void **state)
{
	if (cfx_setup(state) != 0)
		return -1;
	struct cfx *f = *state;
	org_fin = cfx_q(f, "SELECT id FROM org WHERE code = 'FIN'");
	org_dgb = cfx_q(f, "SELECT id FROM org WHERE code = 'FIN-DGB'");
	org_bzk = cfx_q(f, "SELECT id FROM org WHERE code = 'BZK'");
	proc_fin = add_process(f, org_fin, "Inkoop");
	proc_fin2 = add_process(f, org_fin, "Invordering");
	proc_bzk = add_process(f, org_bzk, "Vergunningen");
	return 0;
}

static int64_t open_fin_case(struct cfx *f)
{
	int64_t r = cfx_report(f, "FIN-DGB", "{\"what\":\"x\"}");
	return cfx_open(f, COORD_FIN, &r, 1);
}

static int set(struct cfx *f, const struct cases_key *k, const char *outcome, int64_t proc,
	       int64_t unit, struct cases_error *e)
{
	const struct cases_place pl = {proc, unit};
	return cases_set_outcome_at(f->t.db, &f->t.signer, k, f->ids[COORD_FIN], outcome, "2",
				    NULL, 0, 0, &pl, e);
}

static void test_place_recorded(void **state)
{
	struct cfx *f = *state;
	struct cases_key k;
	struct cases_error e;
	struct cases_case c;
	int64_t id = open_fin_case(f);
	cfx_key(f, id, COORD_FIN, &k);
	assert_int_equal(set(f, &k, "established", proc_fin, org_dgb, &e), 0);
	assert_int_equal(cases_read(f->t.db, &k, &c, &e), 0);
	assert_int_equal(c.process_id, proc_fin);
	assert_string_equal(c.process_name, "Inkoop");
	assert_int_equal(c.unit_id, org_dgb);
	assert_string_equal(c.unit_code, "FIN-DGB");
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'case.outcome' "
		 "AND detail LIKE '%% process %lld unit %lld'", (long long)proc_fin,
		 (long long)org_dgb);
	assert_int_equal(cfx_q(f, sql), 1);

	/* the plain call keeps the place */
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN], "partly",
					   "2", NULL, 0, 0, &e), 0);
	assert_int_equal(cases_read(f->t.db, &k, &c, &e), 0);
	assert_string_equal(c.outcome, "partly");
	assert_int_equal(c.process_id, proc_fin);
	assert_int_equal(c.unit_id, org_dgb);

	/* 0 clears either; the department's other process replaces */
	assert_int_equal(set(f, &k, "partly", proc_fin2, 0, &e), 0);
	assert_int_equal(cases_read(f->t.db, &k, &c, &e), 0);
	assert_int_equal(c.process_id, proc_fin2);
	assert_int_equal(c.unit_id, 0);
	assert_string_equal(c.unit_code, "");
	assert_int_equal(set(f, &k, "partly", 0, 0, &e), 0);
	assert_int_equal(cases_read(f->t.db, &k, &c, &e), 0);
	assert_int_equal(c.process_id, 0);
	assert_string_equal(c.process_name, "");
	cases_key_wipe(&k);
	cfx_audit_ok(f);
}

/* another department's process, a unit outside, the department itself:
 * refused, and neither the place nor the outcome given with it is saved */
static void test_place_refused(void **state)
{
	struct cfx *f = *state;
	struct cases_key k;
	struct cases_error e;
	struct cases_case c;
	int64_t id = open_fin_case(f);
	cfx_key(f, id, COORD_FIN, &k);
	assert_int_equal(set(f, &k, "established", proc_fin, org_dgb, &e), 0);
	int64_t entries = cfx_q(f, "SELECT count(*) FROM audit_log");

	assert_int_equal(set(f, &k, "not_established", proc_bzk, 0, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_non_null(strstr(e.msg, "risk register"));
	assert_int_equal(set(f, &k, "not_established", 0, org_bzk, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(set(f, &k, "not_established", 0, org_fin, &e), -1); /* no unit */
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(set(f, &k, "not_established", proc_fin, -1, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	assert_int_equal(set(f, &k, "not_established", 999999, 0, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);

	assert_int_equal(cases_read(f->t.db, &k, &c, &e), 0);
	assert_string_equal(c.outcome, "established");
	assert_int_equal(c.process_id, proc_fin);
	assert_int_equal(c.unit_id, org_dgb);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), entries);
	cases_key_wipe(&k);
}

/* the place is statistical metadata: the purge leaves it */
static void test_place_after_purge(void **state)
{
	struct cfx *f = *state;
	struct cases_key kc, ka;
	struct cases_error e;
	int64_t id = open_fin_case(f);
	cfx_key(f, id, COORD_FIN, &kc);
	assert_int_equal(set(f, &kc, "established", proc_fin, org_dgb, &e), 0);
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN],
					     f->ids[AUTH_FIN], f->today, &e), 0);
	cfx_authority_key(f, id, AUTH_FIN, &ka);
	walk_close(f, &kc, COORD_FIN, &ka, AUTH_FIN, "besluit");
	cases_key_wipe(&kc);
	cases_key_wipe(&ka);
	char sql[200];
	/* closed today with the default term; purge as if its day had come */
	snprintf(sql, sizeof sql, "UPDATE case_file SET purge_after = '%s' WHERE id = %lld",
		 f->today, (long long)id);
	assert_int_equal(db_exec(f->t.db, sql), 0);
	size_t n = 0;
	assert_int_equal(cases_purge(f->t.db, &f->t.signer, f->today, &n, &e), 0);
	assert_true(n >= 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_file WHERE id = %lld AND purged_on "
		 "IS NOT NULL AND process_id = %lld AND unit_id = %lld AND category = '2' AND "
		 "outcome = 'established'", (long long)id, (long long)proc_fin, (long long)org_dgb);
	assert_int_equal(cfx_q(f, sql), 1);
	cfx_audit_ok(f);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_place_recorded, setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_place_refused, setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_place_after_purge, setup, cfx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
