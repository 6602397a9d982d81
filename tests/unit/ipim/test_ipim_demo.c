/* test_ipim_demo.c: the demo IPIM (src/ipim/demo.c). The shipped file
 * loads after the demo accounts, recommendations and policy cycle: the
 * counts the summary gives are what is stored, meetings are the editor's
 * acts and each practice its own department's integrity coordinator's,
 * and every agenda link names a demo record. Wrong files are each refused
 * with the JSON path and reason (a recommendation not loaded, a practice
 * by another department's coordinator, a contact that is an e-mail
 * address, an editor who is no IPIM member or coordinator, an unknown
 * field) with no row and no audit entry written. */
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
#include "ipim/demo.h"
#include "orgs/orgs.h"
#include "recs/demo.h"
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
	if (frameworks_ensure_shipped(d->f.db, &d->f.signer, NULL) != 0)
		fail_msg("frameworks: %s", db_error(d->f.db)->msg);
	struct assess_demo_summary as;
	struct recs_demo_summary rs = {0};
	if (orgs_import_file(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/organisations.json",
			     err, sizeof err) != 0 ||
	    accounts_import_demo(d->f.db, &d->f.signer, "test", SRCDIR "/data/demo/accounts.json",
				 d->l, ACCOUNT_DEMO_MAX, &d->nl, err, sizeof err) != 0 ||
	    assess_import_demo_file(d->f.db, &d->f.signer, SRCDIR "/data/demo/assessments.json",
				    d->l, d->nl, &as, err, sizeof err) != 0 ||
	    recs_import_demo_file(d->f.db, &d->f.signer, SRCDIR "/data/demo/policy.json", 1, d->l,
				  d->nl, &rs, err, sizeof err) != 0 ||
	    recs_import_demo_file(d->f.db, &d->f.signer, SRCDIR "/data/demo/recommendations.json", 0,
				  d->l, d->nl, &rs, err, sizeof err) != 0)
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

static int64_t written(struct demo *d)
{
	return count(d, "SELECT (SELECT count(*) FROM ipim_meeting) + (SELECT count(*) FROM ipim_item)"
			" + (SELECT count(*) FROM ipim_decision) + (SELECT count(*) FROM ipim_practice)"
			" + (SELECT count(*) FROM audit_log WHERE action LIKE 'ipim.%')");
}

static void the_shipped_file_loads(void **state)
{
	(void)state;
	struct demo d;
	load_demo(&d);
	struct ipim_demo_summary sum = {0};
	char err[1024] = "";
	if (ipim_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/ipim.json", d.l, d.nl,
				  &sum, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(count(&d, "SELECT count(*) FROM ipim_meeting"), (int64_t)sum.meetings);
	assert_int_equal(count(&d, "SELECT count(*) FROM ipim_item"), (int64_t)sum.items);
	assert_int_equal(count(&d, "SELECT (SELECT count(*) FROM ipim_item_rec) + "
				   "(SELECT count(*) FROM ipim_item_policy)"), (int64_t)sum.links);
	assert_int_equal(count(&d, "SELECT count(*) FROM ipim_decision"), (int64_t)sum.decisions);
	assert_int_equal(count(&d, "SELECT count(*) FROM ipim_practice"), (int64_t)sum.practices);
	assert_true(sum.meetings >= 2 && sum.practices >= 6);
	/* every theme but one at least, both kinds of link, both statuses */
	assert_true(count(&d, "SELECT count(DISTINCT theme) FROM ipim_practice") >= 5);
	assert_true(count(&d, "SELECT count(*) FROM ipim_item_rec") > 0);
	assert_true(count(&d, "SELECT count(*) FROM ipim_item_policy") > 0);
	assert_int_equal(count(&d, "SELECT count(DISTINCT status) FROM ipim_decision"), 2);
	/* meetings by the IPIM member; each practice by its own coordinator */
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log WHERE action LIKE 'ipim.%' AND "
				   "action <> 'ipim.practice.add' AND actor <> 'user:' || "
				   "(SELECT id FROM account WHERE username = 'ipim.ocw')"), 0);
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log l JOIN ipim_practice p ON "
				   "l.object_id = CAST(p.id AS TEXT) WHERE l.action = 'ipim.practice.add' "
				   "AND NOT EXISTS (SELECT 1 FROM account_role r WHERE 'user:' || "
				   "r.account_id = l.actor AND r.role = 'integrity_coordinator' AND "
				   "r.org_id = p.org_id)"), 0);
	unload_demo(&d);
}

#define HEAD "{\"format\":\"probity-demo-ipim\",\"version\":1,\"description\":\"t\","
#define PRACTICE(dept, by, contact) \
	"{\"department\":\"" dept "\",\"by\":\"" by "\",\"theme\":\"values\",\"title\":\"T\"," \
	"\"description\":\"D\",\"contact\":\"" contact "\",\"practised_on\":\"2024-01-01\"}"

static void wrong_files_write_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *text, *why;
	} cases[] = {
		{HEAD "\"editor\":\"ipim.ocw\",\"meetings\":[{\"held_on\":\"2025-01-01\",\"title\":\"M\","
		      "\"place\":\"online\",\"items\":[{\"title\":\"I\",\"recommendations\":[{\"source\":"
		      "\"Integriteit als basis\",\"number\":\"99\"}]}]}]}",
		 "$.meetings[0].items[0].recommendations[0]: no such recommendation"},
		{HEAD "\"editor\":\"ipim.ocw\",\"practices\":[" PRACTICE("BZK", "integrity.fin", "C") "]}",
		 "$.practices[0].by: integrity.fin may not do this for BZK"},
		{HEAD "\"editor\":\"ipim.ocw\",\"practices\":[" PRACTICE("FIN", "integrity.fin", "x@fin.nl") "]}",
		 "$.practices[0]: Give a role to contact, never a person"},
		{HEAD "\"editor\":\"manager.fin\",\"meetings\":[]}", "$.editor: manager.fin may not do this"},
		{HEAD "\"editor\":\"ipim.ocw\",\"meetings\":[{\"held_on\":\"2025-01-01\",\"title\":\"M\","
		      "\"place\":\"online\",\"chair\":\"X\"}]}",
		 "$.meetings[0]"},
	};
	struct demo d;
	load_demo(&d);
	int64_t before = written(&d);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct ipim_demo_summary sum = {0};
		char err[1024] = "";
		if (ipim_import_demo(d.f.db, &d.f.signer, cases[i].text, strlen(cases[i].text), d.l,
				     d.nl, &sum, err, sizeof err) == 0)
			fail_msg("case %zu loaded", i);
		if (!strstr(err, cases[i].why))
			fail_msg("case %zu: %s", i, err);
		assert_int_equal(written(&d), before);
	}
	unload_demo(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_file_loads),
		cmocka_unit_test(wrong_files_write_nothing),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
