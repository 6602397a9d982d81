/* test_recs_demo.c: the demo policy cycle and recommendations
 * (src/recs/demo.c). The shipped files load after the demo accounts and
 * self-assessments: the counts the summary gives are what is stored, every
 * item, source, recommendation and note is the coordinator's act and every
 * adoption its own department's integrity coordinator's, the evaluations
 * rest on the department's own 2024 self-assessments, and nothing is
 * addressed to Defence. Wrong files are each refused with the JSON path and
 * reason (an unknown field, a department outside the scope, an adoption by
 * another department's coordinator, a policy title not loaded, a future
 * date, a duplicate number, an editor who is no coordinator, a
 * self-assessment the department does not have) with no row and no audit
 * entry written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "assess/demo.h"
#include "frameworks/framework.h"
#include "orgs/orgs.h"
#include "recs/demo.h"
#include "store/testutil.h"

struct demo {
	struct testfx f;
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t nl;
};

static void load_demo(struct demo *d, int assessments)
{
	char err[1024];
	testfx_open(&d->f);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("%s", err);
	if (frameworks_ensure_shipped(d->f.db, &d->f.signer, NULL) != 0)
		fail_msg("frameworks: %s", db_error(d->f.db)->msg);
	if (orgs_import_file(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/organisations.json",
			     err, sizeof err) != 0 ||
	    accounts_import_demo(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/accounts.json",
				 d->l, ACCOUNT_DEMO_MAX, &d->nl, err, sizeof err) != 0)
		fail_msg("demo data: %s", err);
	struct assess_demo_summary as;
	if (assessments &&
	    assess_import_demo_file(d->f.db, &d->f.signer, SRCDIR "/data/demo/assessments.json",
				    d->l, d->nl, &as, err, sizeof err) != 0)
		fail_msg("assessments: %s", err);
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

static void the_shipped_files_load(void **state)
{
	(void)state;
	struct demo d;
	load_demo(&d, 1);
	struct recs_demo_summary sum = {0};
	char err[1024] = "";
	if (recs_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/policy.json", 1, d.l,
				  d.nl, &sum, err, sizeof err) != 0 ||
	    recs_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/recommendations.json", 0,
				  d.l, d.nl, &sum, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(count(&d, "SELECT count(*) FROM policy_item"), (int64_t)sum.items);
	assert_int_equal(count(&d, "SELECT count(*) FROM policy_adoption"), (int64_t)sum.adoptions);
	assert_int_equal(count(&d, "SELECT count(*) FROM policy_adoption WHERE evaluated_on <> ''"),
			 (int64_t)sum.evaluations);
	assert_int_equal(count(&d, "SELECT count(*) FROM rec_source"), (int64_t)sum.sources);
	assert_int_equal(count(&d, "SELECT count(*) FROM recommendation"), (int64_t)sum.recs);
	assert_int_equal(count(&d, "SELECT count(*) FROM recommendation WHERE status <> 'none'"),
			 (int64_t)sum.with_status);
	assert_int_equal(count(&d, "SELECT count(*) FROM rec_note"), (int64_t)sum.notes);
	assert_int_equal(sum.items, 3);
	assert_int_equal(sum.sources, 4);
	/* every kind of source, the Court of Audit's 5 to 8 */
	assert_int_equal(count(&d, "SELECT count(DISTINCT kind) FROM rec_source"), 4);
	int64_t ar = count(&d, "SELECT count(*) FROM recommendation r JOIN rec_source s ON "
			       "s.id = r.source_id WHERE s.kind = 'court_of_audit'");
	assert_true(ar >= 5 && ar <= 8);
	/* GRECO's scale is used in full */
	assert_int_equal(count(&d, "SELECT count(DISTINCT status) FROM recommendation"), 4);
	/* the coordinator did the tracker, each department's coordinator its adoption */
	int64_t coord = count(&d, "SELECT a.id FROM account a WHERE a.username = 'coordinator.rijk'");
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action LIKE 'recs.%%' "
		 "AND action <> 'recs.adoption' AND actor <> 'user:%lld'", (long long)coord);
	assert_int_equal(count(&d, sql), 0);
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log WHERE action = 'recs.adoption'"),
			 (int64_t)sum.adoptions);
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log a WHERE a.action = 'recs.adoption' "
				   "AND NOT EXISTS (SELECT 1 FROM account_role r WHERE "
				   "'user:' || r.account_id = a.actor AND r.role = "
				   "'integrity_coordinator' AND 'org=' || r.org_id = a.detail)"),
			 0);
	/* evaluations rest on the department's own self-assessment */
	assert_int_equal(count(&d, "SELECT count(*) FROM policy_adoption p JOIN assessment a ON "
				   "a.id = p.assessment_id WHERE a.org_id = p.org_id AND a.year = 2024"),
			 4);
	/* Defence is never addressed, nor the subject of a note; its adoption is there */
	assert_int_equal(count(&d, "SELECT count(*) FROM rec_addressee a JOIN org o ON o.id = "
				   "a.org_id WHERE o.outside_scope = 1"), 0);
	assert_int_equal(count(&d, "SELECT count(*) FROM rec_note n JOIN org o ON o.id = n.org_id "
				   "WHERE o.outside_scope = 1"), 0);
	assert_int_equal(count(&d, "SELECT count(*) FROM policy_adoption p JOIN org o ON o.id = "
				   "p.org_id WHERE o.outside_scope = 1"), 1);
	/* recommendations name the policy items that answer them */
	assert_true(count(&d, "SELECT count(*) FROM rec_policy") >= 4);
	unload_demo(&d);
}

static int64_t written(struct demo *d)
{
	return count(d, "SELECT (SELECT count(*) FROM rec_source) + (SELECT count(*) FROM recommendation)"
			" + (SELECT count(*) FROM rec_note) + (SELECT count(*) FROM policy_item)"
			" + (SELECT count(*) FROM policy_adoption)"
			" + (SELECT count(*) FROM audit_log WHERE action LIKE 'recs.%')");
}

#define POLICY_HEAD "{\"format\":\"probity-demo-policy\",\"version\":1,\"description\":\"t\","
#define RECS_HEAD "{\"format\":\"probity-demo-recommendations\",\"version\":1,\"description\":\"t\","
#define ITEM "{\"title\":\"Gedragscode\",\"kind\":\"framework\",\"stage\":\"adopted\"," \
	     "\"stages\":{\"adopted\":\"2019-07-01\"}"
#define SOURCE "{\"kind\":\"court_of_audit\",\"title\":\"Integriteit als basis\"," \
	       "\"issued_on\":\"2024-09-25\",\"recommendations\":["

static void wrong_files_are_refused(void **state)
{
	(void)state;
	static const struct {
		int policy;
		const char *text, *why;
	} cases[] = {
		{1, (POLICY_HEAD "\"editor\":\"coordinator.rijk\",\"items\":[" ITEM ",\"colour\":\"red\"}]}"),
		 "items[0]: unknown field"},
		{1, (POLICY_HEAD "\"editor\":\"integrity.fin\",\"items\":[" ITEM "}]}"),
		 "$.editor: integrity.fin is not coordinator"},
		{1, (POLICY_HEAD "\"editor\":\"coordinator.rijk\",\"items\":[" ITEM ",\"adoptions\":["
		 "{\"department\":\"BZK\",\"by\":\"integrity.fin\",\"adopted_on\":\"2019-08-01\"}]}]}"),
		 "items[0].adoptions[0].by: integrity.fin is not integrity_coordinator at BZK"},
		{1, (POLICY_HEAD "\"editor\":\"coordinator.rijk\",\"items\":[" ITEM ",\"adoptions\":["
		 "{\"department\":\"FIN\",\"by\":\"integrity.fin\",\"adopted_on\":\"2099-08-01\"}]}]}"),
		 "items[0].adoptions[0]: Give the date the department adopted the policy"},
		{1, (POLICY_HEAD "\"editor\":\"coordinator.rijk\",\"items\":[" ITEM ",\"adoptions\":["
		 "{\"department\":\"FIN\",\"by\":\"integrity.fin\",\"adopted_on\":\"2019-08-01\","
		 "\"evaluated_on\":\"2024-01-01\",\"assessment\":{\"framework\":\"basisnormen-2006\","
		 "\"year\":2024}}]}]}"),
		 "items[0].adoptions[0].assessment: FIN has no self-assessment against this framework for 2024"},
		{1, (POLICY_HEAD "\"editor\":\"coordinator.rijk\",\"items\":[" ITEM "}," ITEM "}]}"),
		 "items[1]: the title is the title of another item"},
		{0, (RECS_HEAD "\"editor\":\"coordinator.rijk\",\"sources\":[" SOURCE
		 "{\"number\":\"1\",\"text\":\"x\",\"addressees\":[\"DEF\"]}]}]}"),
		 "sources[0].recommendations[0].addressees[0]: DEF is outside the coordinator's scope"},
		{0, (RECS_HEAD "\"editor\":\"coordinator.rijk\",\"sources\":[" SOURCE
		 "{\"number\":\"1\",\"text\":\"x\",\"policy\":[\"Bestaat niet\"]}]}]}"),
		 "sources[0].recommendations[0].policy[0]: must be the title of a policy item"},
		{0, (RECS_HEAD "\"editor\":\"coordinator.rijk\",\"sources\":[" SOURCE
		 "{\"number\":\"1\",\"text\":\"x\"},{\"number\":\"1\",\"text\":\"y\"}]}]}"),
		 "sources[0].recommendations[1]: the source has a recommendation with this number already"},
		{0, (RECS_HEAD "\"editor\":\"coordinator.rijk\",\"sources\":[" SOURCE
		 "{\"number\":\"1\",\"text\":\"x\",\"status\":\"partly\"}]}]}"),
		 "sources[0].recommendations[0]: Give the date the status was given"},
		{0, (RECS_HEAD "\"editor\":\"coordinator.rijk\",\"sources\":[" SOURCE
		 "{\"number\":\"1\",\"text\":\"x\",\"progress\":[{\"noted_on\":\"2024-10-01\","
		 "\"text\":\"y\",\"evidence\":[\"http://x.example/\"]}]}]}]}"),
		 "sources[0].recommendations[0].progress[0]: An evidence link must start with https://"},
	};
	struct demo d;
	load_demo(&d, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct recs_demo_summary sum = {0};
		char err[1024] = "";
		int64_t before = written(&d);
		if (recs_import_demo(d.f.db, &d.f.signer, cases[i].text, strlen(cases[i].text),
				     cases[i].policy, d.l, d.nl, &sum, err, sizeof err) == 0)
			fail_msg("case %zu was loaded", i);
		if (strncmp(err, cases[i].why, strlen(cases[i].why)) != 0)
			fail_msg("case %zu: %s", i, err);
		assert_int_equal(written(&d), before);
	}
	unload_demo(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_files_load),
		cmocka_unit_test(wrong_files_are_refused),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
