/* test_assess_demo.c: the demo self-assessments (src/assess/demo.c): the
 * shipped file makes its assessments through the store, with the scores
 * its levels give, Defence's never reviewed, the steps back-dated and each
 * audited; a wrong file is refused with where and why before anything is
 * written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "assess/assess.h"
#include "assess/demo.h"
#include "frameworks/framework.h"
#include "orgs/orgs.h"
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

static void the_shipped_assessments_load(void **state)
{
	(void)state;
	struct demo d;
	load_demo(&d);
	struct assess_demo_summary sum;
	char err[1024] = "";
	if (assess_import_demo_file(d.f.db, &d.f.signer, SRCDIR "/data/demo/assessments.json", d.l,
				    d.nl, &sum, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment"), (int64_t)sum.assessments);
	assert_int_equal(sum.assessments, sum.drafts + sum.signed_off + sum.reviewed);
	assert_true(sum.drafts > 0 && sum.signed_off > 0 && sum.reviewed > 0);
	assert_int_equal(sum.first_year, 2022);
	assert_int_equal(sum.last_year, 2026);
	assert_int_equal(count(&d, "SELECT count(DISTINCT org_id) FROM assessment"),
			 (int64_t)sum.departments);
	/* Defence's: signed off at most, never reviewed */
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment a JOIN org o ON o.id = a.org_id "
				   "WHERE o.outside_scope = 1 AND a.status = 'reviewed'"),
			 0);
	assert_true(count(&d, "SELECT count(*) FROM assessment a JOIN org o ON o.id = a.org_id "
			      "WHERE o.outside_scope = 1") > 0);
	/* the store's own steps, audited */
	assert_int_equal(count(&d, "SELECT count(*) FROM audit_log WHERE action = 'assess.sign_off'"),
			 (int64_t)(sum.signed_off + sum.reviewed));
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment_action"), (int64_t)sum.actions);
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment_evidence WHERE kind = 'link'"),
			 (int64_t)sum.links);
	/* back-dated to the file's days: AZ 2022 */
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment a JOIN org o ON o.id = a.org_id "
				   "WHERE o.code = 'AZ' AND a.year = 2022 AND a.created_at LIKE '2022-09-%' "
				   "AND a.signed_off_at LIKE '2022-11-%' AND a.reviewed_at LIKE '2023-01-%'"),
			 1);
	/* the levels give the judgements: AZ 2022 norm 5 is "433", so 5.1 is
	 * leading (all adequate) and 5.2 established (operation partly) */
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment_item i JOIN assessment a ON "
				   "a.id = i.assessment_id JOIN org o ON o.id = a.org_id WHERE o.code = "
				   "'AZ' AND a.year = 2022 AND ((i.req_code = '5.1' AND i.design = 3 AND "
				   "i.existence = 3 AND i.operation = 3 AND i.maturity = 4) OR (i.req_code "
				   "= '5.2' AND i.design = 3 AND i.existence = 3 AND i.operation = 2 AND "
				   "i.maturity = 3))"),
			 2);
	/* a draft's '-' stays as the store prefilled it */
	assert_true(count(&d, "SELECT count(*) FROM assessment_item i JOIN assessment a ON a.id = "
			      "i.assessment_id WHERE a.status = 'draft' AND i.prefilled = 1") > 0);
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment_item i JOIN assessment a ON "
				   "a.id = i.assessment_id WHERE a.status <> 'draft' AND "
				   "(i.prefilled = 1 OR i.design = 0)"),
			 0);
	unload_demo(&d);
}

/* One assessment of FIN for 2024 with the given fields after its levels. */
#define LEVELS "\"levels\": \"33333 3333 333 3333 333 3333 333 333 333 3333 3333 3333 33333\""
#define A(org, status, more) "{\"org\": \"" org "\", \"framework\": \"basisnormen-2006\", \"year\": 2024, \"status\": \"" status "\", " more "}"
#define DRAFT_DATES "\"dates\": {\"created\": \"2024-09-01\"}"
#define SIGNED_DATES "\"dates\": {\"created\": \"2024-09-01\", \"signed_off\": \"2024-11-01\"}"

static void expect_refused(const char *assessments, const char *why)
{
	struct demo d;
	load_demo(&d);
	int64_t seq = count(&d, "SELECT max(seq) FROM audit_log");
	char text[8192], err[1024] = "";
	snprintf(text, sizeof text, "{\"format\": \"probity-demo-assessments\", \"version\": 1, "
		 "\"assessments\": [%s]}", assessments);
	struct assess_demo_summary sum;
	assert_int_equal(assess_import_demo(d.f.db, &d.f.signer, text, strlen(text), d.l, d.nl,
					    &sum, err, sizeof err), -1);
	if (!strstr(err, why))
		fail_msg("wanted \"%s\" in \"%s\"", why, err);
	assert_int_equal(count(&d, "SELECT max(seq) FROM audit_log"), seq);
	assert_int_equal(count(&d, "SELECT count(*) FROM assessment"), 0);
	unload_demo(&d);
}

static void wrong_files_are_refused(void **state)
{
	(void)state;
	expect_refused(A("NOPE", "draft", LEVELS ", " DRAFT_DATES),
		       "assessments[0].org: must be the code of an open department");
	expect_refused("{\"org\": \"FIN\", \"framework\": \"geen-kader\", \"year\": 2024, "
		       "\"status\": \"draft\", " LEVELS ", " DRAFT_DATES "}",
		       "assessments[0].framework: must be the code of a framework in the library");
	expect_refused(A("FIN", "final", LEVELS ", " DRAFT_DATES),
		       "assessments[0].status: must be draft, signed_off or reviewed");
	expect_refused(A("FIN", "draft", "\"levels\": \"33333 3333\", " DRAFT_DATES),
		       "group 3 must follow the one before after one space");
	expect_refused(A("FIN", "draft", "\"levels\": \"33333 3333 333 3333 333 3333 333 333 333 3333 3333 3333 333335\", " DRAFT_DATES),
		       "has more than the 49 requirements");
	expect_refused(A("FIN", "signed_off", "\"levels\": \"33333 3333 333 3333 333 3333 333 333 333 3333 3333 3333 -----\", " SIGNED_DATES),
		       "requirement 13.1 needs a level 1 to 4 (group 13");
	expect_refused(A("FIN", "draft", "\"levels\": \"33333 3333 333 3333 333 3333 333 333 333 3333 3333 3333 -----\", \"comments\": {\"13.1\": \"Nog niet.\"}, " DRAFT_DATES),
		       "comments.13.1: a comment goes with a level");
	expect_refused(A("FIN", "draft", LEVELS ", \"comments\": {\"99.1\": \"x\"}, " DRAFT_DATES),
		       "comments.99.1: is not a requirement of basisnormen-2006");
	expect_refused(A("FIN", "draft", LEVELS ", \"actions\": [{\"req\": \"4.1\", \"text\": \"Herzien\", \"owner\": \"SG\", \"status\": \"later\"}], " DRAFT_DATES),
		       "actions[0].status: must be open, in_progress or done");
	expect_refused(A("FIN", "draft", LEVELS ", \"links\": [{\"req\": \"4.1\", \"url\": \"http://intranet.example/x\"}], " DRAFT_DATES),
		       "links[0].url: must be an https:// link");
	expect_refused(A("FIN", "draft", LEVELS ", \"drafter\": \"manager.bzk\", " DRAFT_DATES),
		       "assessments[0].drafter: manager.bzk may not draft at FIN");
	expect_refused(A("FIN", "draft", LEVELS ", \"review\": \"Goed.\", " DRAFT_DATES),
		       "assessments[0].review: belongs to a reviewed assessment");
	expect_refused(A("DEF", "reviewed", LEVELS ", \"review\": \"Goed.\", \"dates\": {\"created\": \"2024-09-01\", \"signed_off\": \"2024-11-01\", \"reviewed\": \"2025-01-10\"}"),
		       "DEF is outside the coordinator's scope");
	expect_refused(A("FIN", "signed_off", LEVELS ", \"dates\": {\"created\": \"2024-09-01\", \"signed_off\": \"2024-08-01\"}"),
		       "the steps must follow each other");
	expect_refused(A("FIN", "signed_off", LEVELS ", " DRAFT_DATES),
		       "dates.signed_off: must be a date");
	expect_refused(A("FIN", "draft", LEVELS ", \"dates\": {\"created\": \"2999-01-01\"}"),
		       "dates.created: is after today");
	/* a good one before a bad one: nothing of the good one is written */
	expect_refused(A("FIN", "draft", LEVELS ", " DRAFT_DATES) ", " A("FIN", "draft", LEVELS ", " DRAFT_DATES),
		       "assessments[1]: assessments[0] is FIN's basisnormen-2006 of 2024 already");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_assessments_load),
		cmocka_unit_test(wrong_files_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
