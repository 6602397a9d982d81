/* test_risks_demo.c: the demo risk registers (src/risks/demo.c): the
 * shipped file loads a register for every department of today, Defence's
 * too, IENW's on its own 4 x 4 matrix, every change audited as the
 * department's integrity coordinator; a wrong file is refused with where
 * and why before anything of any register is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "orgs/orgs.h"
#include "risks/demo.h"
#include "risks/risks.h"
#include "store/testutil.h"

struct demo {
	struct testfx f;
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t nl;
};

static void load_demo(struct demo *d)
{
	char err[1024];
	testfx_open(&d->f);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("%s", err);
	if (orgs_import_file(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/organisations.json",
			     err, sizeof err) != 0 ||
	    accounts_import_demo(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/accounts.json",
				 d->l, ACCOUNT_DEMO_MAX, &d->nl, err, sizeof err) != 0)
		fail_msg("demo data: %s", err);
}

static void unload_demo(struct demo *d)
{
	sodium_memzero(d->l, sizeof d->l);
	accounts_shutdown();
	testfx_close(&d->f);
}

static int64_t count(struct demo *d, const char *sql)
{
	return testdb_i64(d->f.db, sql);
}

static void the_shipped_registers_load(void **state)
{
	(void)state;
	struct demo d;
	load_demo(&d);
	struct risks_demo_summary sum;
	char err[1024] = "";
	if (risks_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/risks.json", d.l, d.nl,
				   &sum, err, sizeof err) != 0)
		fail_msg("%s", err);
	struct scope all;
	assert_int_equal(scope_all_departments(d.f.db, &all), 0);
	assert_int_equal(sum.registers, all.n);
	assert_int_equal(sum.matrices, 1);
	/* every department of today, Defence included, has a full register */
	for (size_t i = 0; i < all.n; i++) {
		char sql[300];
		snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM risk_process WHERE org_id = %lld) "
			 ">= 3 AND (SELECT count(*) FROM risk_position WHERE org_id = %lld) >= 2 AND "
			 "(SELECT count(*) FROM risk WHERE org_id = %lld) >= 5",
			 (long long)all.dept[i].id, (long long)all.dept[i].id,
			 (long long)all.dept[i].id);
		if (count(&d, sql) != 1)
			fail_msg("%s has no full register", all.dept[i].code);
	}
	assert_int_equal(count(&d, "SELECT count(*) FROM risk_process"), (int64_t)sum.processes);
	assert_int_equal(count(&d, "SELECT count(*) FROM risk"), (int64_t)sum.risks);
	assert_int_equal(count(&d, "SELECT count(*) FROM risk_control"), (int64_t)sum.controls);
	assert_int_equal(count(&d, "SELECT count(*) FROM risk_position"), (int64_t)sum.positions);
	/* IENW's own matrix, read back as the pages read it */
	struct scope_dept ienw;
	assert_int_equal(scope_department_by_code(d.f.db, "IENW", &ienw), 0);
	struct risks_matrix m;
	struct risks_error re;
	int custom = 0;
	assert_int_equal(risks_matrix_get(d.f.db, ienw.id, &m, &custom, &re), 0);
	assert_int_equal(custom, 1);
	assert_int_equal(m.nlikelihood, 4);
	assert_int_equal(m.nimpact, 4);
	assert_string_equal(m.likelihood[0], "zelden");
	/* one audit entry per record, each by the department's own coordinator */
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log WHERE action LIKE 'risk.%'"),
			 (int64_t)(sum.matrices + sum.processes + sum.positions + sum.risks +
				   sum.controls));
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log a WHERE a.action LIKE 'risk.%' "
				   "AND NOT EXISTS (SELECT 1 FROM account_role r WHERE "
				   "'user:' || r.account_id = a.actor AND r.role = "
				   "'integrity_coordinator' AND 'org=' || r.org_id = a.detail)"),
			 0);
	unload_demo(&d);
}

/* A register around the given parts; %s are: keeper, matrix (with its
 * comma), processes, positions, risks. */
static const char *reg(char *buf, size_t n, const char *org, const char *keeper,
		       const char *extra)
{
	snprintf(buf, n,
		 "{\"org\": \"%s\", \"keeper\": \"%s\", %s}", org, keeper, extra);
	return buf;
}

#define PROC "{\"name\": \"Inkoop\", \"inherent\": [\"contracting\"], \"factors\": {\"complexity\": 1, \"change\": 1, \"management\": 1, \"personnel\": 1, \"history\": 1}}"
#define RISK(inh, res, more) "{\"process\": \"Inkoop\", \"title\": \"Voorkeur voor een leverancier\", \"inherent\": " inh ", \"residual\": " res ", \"treatment\": \"reduce\", \"owner\": \"Hoofd inkoop\"" more "}"

static void expect_refused(const char *registers, const char *why)
{
	struct demo d;
	load_demo(&d);
	int64_t seq = count(&d, "SELECT max(seq) FROM audit_log");
	char text[8192], err[1024] = "";
	snprintf(text, sizeof text, "{\"format\": \"probity-demo-risks\", \"version\": 1, "
		 "\"registers\": [%s]}", registers);
	struct risks_demo_summary sum;
	assert_int_equal(risks_import_demo(d.f.db, &d.f.signer, text, strlen(text), d.l, d.nl, &sum,
					   err, sizeof err), -1);
	if (!strstr(err, why))
		fail_msg("wanted \"%s\" in \"%s\"", why, err);
	/* checked before anything is written */
	assert_int_equal(count(&d, "SELECT max(seq) FROM audit_log"), seq);
	assert_int_equal(count(&d, "SELECT count(*) FROM risk_process"), 0);
	assert_int_equal(count(&d, "SELECT count(*) FROM risk_matrix"), 0);
	unload_demo(&d);
}

static void wrong_files_are_refused(void **state)
{
	(void)state;
	char a[4096], b[4096], both[8300];
	const char *ok = "\"processes\": [" PROC "], \"risks\": [" RISK("[4, 4]", "[2, 2]", "") "]";
	expect_refused(reg(a, sizeof a, "NOPE", "integrity.fin", ok),
		       "registers[0].org: NOPE is not an open department");
	expect_refused(reg(a, sizeof a, "EZK", "integrity.fin", ok), "EZK is not an open department");
	expect_refused(reg(a, sizeof a, "AZ", "integrity.fin", ok),
		       "registers[0].keeper: integrity.fin is not integrity_coordinator at AZ");
	expect_refused(reg(a, sizeof a, "FIN", "nobody", ok), "nobody is not one of the demo accounts");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [{\"name\": \"X\", \"inherent\": [\"gifts\"], \"factors\": {}}]"),
		       "registers[0].processes[0].inherent[0]: is not an inherent vulnerability");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [{\"name\": \"X\", \"inherent\": [], \"factors\": {\"complexity\": 1}}]"),
		       "processes[0].factors: must score each of the 5");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [{\"name\": \"X\", \"inherent\": [], \"factors\": {\"complexity\": 4, \"change\": 1, \"management\": 1, \"personnel\": 1, \"history\": 1}}]"),
		       "processes[0].factors.complexity: must be a whole number from 0 to 3");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin", "\"processes\": [" PROC ", " PROC "]"),
		       "processes[1]: the name is that of processes[0] too");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [" PROC "], \"positions\": [{\"title\": \"Inkoper\", \"process\": \"Elders\", \"staff\": 3, \"screening\": \"b\", \"screening_status\": \"in_place\", \"rotation_years\": 5, \"rotation_status\": \"planned\", \"declaration\": true, \"declaration_status\": \"in_place\"}]"),
		       "positions[0].process: is not a process of this register");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [" PROC "], \"risks\": [" RISK("[2, 2]", "[3, 2]", "") "]"),
		       "risks[0]: The residual risk (after the controls) cannot score higher");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [" PROC "], \"risks\": [" RISK("[6, 1]", "[1, 1]", "") "]"),
		       "risks[0]: Likelihood must be one of the levels");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [" PROC "], \"risks\": [" RISK("[2, 2]", "[1, 1]", ", \"category\": \"42\"") "]"),
		       "risks[0].category: is not a category of schendingen");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [" PROC "], \"risks\": [" RISK("[2, 2]", "[1, 1]", ", \"controls\": [{\"description\": \"Vier ogen\", \"owner\": \"Hoofd\", \"status\": \"implemented\"}]") "]"),
		       "controls[0]: Give the date the control was implemented");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"processes\": [" PROC "], \"risks\": [" RISK("[2, 2]", "[1, 1]", ", \"controls\": [{\"description\": \"Vier ogen\", \"owner\": \"Hoofd\", \"status\": \"implemented\", \"implemented_on\": \"2999-01-01\"}]") "]"),
		       "controls[0].implemented_on: is after today");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin",
			   "\"matrix\": {\"likelihood\": [\"laag\", \"hoog\"], \"impact\": [\"laag\", \"hoog\"], \"bands\": [{\"name\": \"a\", \"lo\": 1, \"hi\": 2, \"colour\": \"green\"}, {\"name\": \"b\", \"lo\": 2, \"hi\": 4, \"colour\": \"red\"}]}, \"processes\": [" PROC "]"),
		       "registers[0].matrix: Bands 'a' (1");
	expect_refused(reg(a, sizeof a, "FIN", "integrity.fin", "\"processes\": [" PROC "], \"extra\": 1"),
		       "registers[0]: unknown");
	/* a good register before a bad one: the good one is not written either */
	reg(a, sizeof a, "FIN", "integrity.fin", ok);
	reg(b, sizeof b, "FIN", "integrity.fin", ok);
	snprintf(both, sizeof both, "%s, %s", a, b);
	expect_refused(both, "registers[1]: FIN has a register in registers[0] already");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_registers_load),
		cmocka_unit_test(wrong_files_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
