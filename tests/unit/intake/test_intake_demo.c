/* test_intake_demo.c: the demo reports (src/intake/demo.c): the shipped file
 * loads onto the demo organisations and accounts, every report opens with
 * its printed receipt, the clocks are in every state; and a file that is
 * wrong is refused with where and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#include "accounts/accounts.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

static void load_demo(struct testfx *f)
{
	char err[1024];
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t n;
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("%s", err);
	if (orgs_import_file(f->db, &f->signer, "test", SRCDIR "/data/demo/organisations.json",
			     err, sizeof err) != 0 ||
	    accounts_import_demo(f->db, &f->signer, "test", SRCDIR "/data/demo/accounts.json", l,
				 ACCOUNT_DEMO_MAX, &n, err, sizeof err) != 0)
		fail_msg("demo data: %s", err);
}

static void the_shipped_reports_load_and_open(void **state)
{
	(void)state;
	struct testfx f;
	testfx_open(&f);
	load_demo(&f);
	struct intake_demo_report r[INTAKE_DEMO_MAX];
	size_t n = 0;
	char err[1024] = "";
	if (intake_import_demo_file(f.db, &f.signer, SRCDIR "/data/demo/reports.json", r,
				    INTAKE_DEMO_MAX, &n, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(n >= 5);
	assert_int_equal(testdb_i64(f.db, "SELECT count(*) FROM report"), (int64_t)n);
	for (size_t i = 0; i < n; i++) {
		struct intake_report rep;
		struct intake_error e;
		assert_int_equal(intake_open_by_receipt(f.db, r[i].receipt, &rep, &e), 0);
		assert_string_equal(rep.org_code, r[i].org_code);
		assert_string_equal(rep.mode, r[i].mode);
		intake_report_free(&rep);
	}
	/* every state of the clocks: open, acknowledged, feedback given, handed over */
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report WHERE acknowledged_on IS NULL") > 0);
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report WHERE acknowledged_on IS NOT NULL") > 0);
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report WHERE feedback_on IS NOT NULL") > 0);
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report WHERE handed_over_on IS NOT NULL") > 0);
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report_message") > 0);
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report_note") > 0);
	/* the central desk got one */
	assert_true(testdb_i64(f.db, "SELECT count(*) FROM report r JOIN org o ON o.id = r.org_id "
				     "WHERE o.code = 'RIJK'") > 0);
	testfx_close(&f);
}

static void expect_refused(const char *text, const char *why)
{
	struct testfx f;
	testfx_open(&f);
	load_demo(&f);
	struct intake_demo_report r[4];
	size_t n = 9;
	char err[1024] = "";
	assert_int_equal(intake_import_demo(f.db, &f.signer, text, strlen(text), r, 4, &n, err,
					    sizeof err), -1);
	if (!strstr(err, why))
		fail_msg("wanted \"%s\" in \"%s\"", why, err);
	/* checked before anything of the report is stored */
	assert_int_equal(n, 0);
	assert_int_equal(testdb_i64(f.db, "SELECT count(*) FROM report"), 0);
	testfx_close(&f);
}

#define HEAD "{\"format\": \"probity-demo-reports\", \"version\": 1, \"reports\": ["
#define OK_ANSWERS "\"answers\": {\"kind\": \"integrity_violation\", \"description\": \"x\", " \
		   "\"contact\": \"messages\"}"

static void a_wrong_file_is_refused(void **state)
{
	(void)state;
	expect_refused(HEAD "]}", "reports");
	expect_refused(HEAD "{\"org\": \"FIN\", \"mode\": \"anonymous\", \"received_days_ago\": 1, "
			    OK_ANSWERS ", \"colour\": 1}]}", "colour");
	expect_refused(HEAD "{\"org\": \"FIN\", \"mode\": \"anonymous\", \"received_days_ago\": -1, "
			    OK_ANSWERS "}]}", "received_days_ago");
	expect_refused(HEAD "{\"org\": \"FIN\", \"mode\": \"anonymous\", \"received_days_ago\": 1, "
			    "\"answers\": {\"kind\": \"integrity_violation\"}}]}", "description");
	expect_refused(HEAD "{\"org\": \"NOPE\", \"mode\": \"anonymous\", \"received_days_ago\": 1, "
			    OK_ANSWERS "}]}", "reports[0]");
	expect_refused(HEAD "{\"org\": \"FIN\", \"mode\": \"anonymous\", \"received_days_ago\": 1, "
			    OK_ANSWERS ", \"messages\": [{\"from\": \"someone\", \"text\": \"x\"}]}]}",
		       "messages[0]");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_reports_load_and_open),
		cmocka_unit_test(a_wrong_file_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
